// SourcePositions: how far each subscription of one stream has read its source — per Kafka
// partition, the offset of the next message to consume — kept exactly as durable as the events.
//
// Durability. A batch of consumed messages goes into the log as one record whose origin
// (ingest/event_record.h) names the subscription and the next offset of each partition it
// covers: the same append and fsync as the events, so a position never runs ahead of or behind
// what the log holds. A saved copy (`<data_dir>/sources/<stream>.json`, written atomically) holds
// every position of the records up to the log sequence number it names; the engine writes it
// before a subscription's first record, when a subscription goes, and before log retention
// deletes segments. At open the positions are rebuilt from it and from the origins of the later
// records: restarts resume from here, never from the broker's committed offsets.
//
// Thread safety: all methods are thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace laminar::sources {

using Offsets = std::map<int32_t, int64_t>;  // partition → offset of the next message

class SourcePositions {
 public:
  // The origin of a record of `subscription`'s messages from `topic`: JSON
  // {"kind":"kafka","subscription":…,"topic":…,"next":{"<partition>":<offset>,…}}.
  static std::string Origin(const std::string& subscription, const std::string& topic, const Offsets& next);
  // The subscription a record's origin names (empty for an origin of another kind).
  static std::string SubscriptionOf(std::string_view origin);

  // Takes a record's origin into account (origins of other kinds are ignored): each partition's
  // position moves forward to the origin's, never back.
  void Restore(std::string_view origin);
  // Moves `subscription`'s positions forward to `next` (after its record is durable).
  void Advance(const std::string& subscription, const Offsets& next);
  Offsets Get(const std::string& subscription) const;
  // The subscriptions with positions.
  std::vector<std::string> Names() const;
  // Forgets a dropped subscription.
  void Forget(const std::string& subscription);
  bool empty() const;

  // Writes every position to `path` (temporary file, fsync, rename, fsync of the directory),
  // naming `covered_seq`: the caller guarantees that the positions of every record up to it are
  // here. Load adds the positions of such a file and returns its covered_seq (NotFound when
  // there is no file; Corruption naming the file when it cannot be read).
  Status Save(const std::string& path, uint64_t covered_seq) const;
  Result<uint64_t> Load(const std::string& path);

 private:
  mutable std::mutex mu_;
  std::map<std::string, Offsets> by_subscription_;  // GUARDED_BY(mu_)
};

}  // namespace laminar::sources
