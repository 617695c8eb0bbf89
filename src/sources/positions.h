// SourcePositions: how far each subscription of one stream has read its source — per Kafka
// partition the offset of the next message to consume, per Kinesis shard the sequence number of
// the last record consumed (or "closed" once a shard that was split or merged is drained) — kept
// exactly as durable as the events.
//
// Durability. A batch of consumed messages goes into the log as one record whose origin
// (ingest/event_record.h) names the subscription and the positions it reaches: the same append
// and fsync as the events, so a position never runs ahead of or behind what the log holds. A
// saved copy (`<data_dir>/sources/<stream>.json`, written atomically) holds every position of
// the records up to the log sequence number it names; the engine writes it before a
// subscription's first record, when a subscription goes, when a delivery has no row to log (a
// 'latest' start, a batch of only bad messages, a drained shard), and before log retention
// deletes segments. At
// open the positions are rebuilt from it and from the origins of the later records: restarts
// resume from here, never from the broker's committed offsets.
//
// Positions are decimal integers as text (Kinesis sequence numbers exceed 64 bits) or "closed";
// they only move forward ("closed" is ahead of every number).
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
#include "sources/source_spec.h"

namespace laminar::sources {

using Positions = std::map<std::string, std::string>;  // partition or shard → position
inline constexpr const char* kClosed = "closed";

// Whether position `a` is ahead of `b` (see the file comment).
bool Ahead(const std::string& a, const std::string& b);

class SourcePositions {
 public:
  // The origin of a record of `subscription`'s messages from `topic` (a Kafka topic or a Kinesis
  // stream): JSON {"kind":"kafka"|"kinesis","subscription":…,"topic":…,"positions":{…}}.
  static std::string Origin(SourceKind kind, const std::string& subscription, const std::string& topic,
                            const Positions& reached);

  // Takes a record's origin into account (origins of other kinds are ignored): each position
  // moves forward to the origin's, never back.
  void Restore(std::string_view origin);
  // Moves `subscription`'s positions forward to `reached` (after its record is durable).
  void Advance(const std::string& subscription, const Positions& reached);
  Positions Get(const std::string& subscription) const;
  // The subscriptions with positions.
  std::vector<std::string> Names() const;
  // Forgets a dropped subscription.
  void Forget(const std::string& subscription);

  // Writes every position to `path` (temporary file, fsync, rename, fsync of the directory),
  // naming `covered_seq`: the caller guarantees that the positions of every record up to it are
  // here. Load adds the positions of such a file and returns its covered_seq (NotFound when
  // there is no file; Corruption naming the file when it cannot be read).
  Status Save(const std::string& path, uint64_t covered_seq) const;
  Result<uint64_t> Load(const std::string& path);

 private:
  mutable std::mutex mu_;
  std::map<std::string, Positions> by_subscription_;  // GUARDED_BY(mu_)
};

}  // namespace laminar::sources
