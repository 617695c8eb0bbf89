// IdempotencyKeys: the Idempotency-Key answers of one stream's HTTP ingest. A retry of a request
// with the same key, within the window, gets the first request's answer and appends nothing; a
// request with the same key and another body is refused (docs/architecture.md "Ingest").
//
// Durability. The key, the body's hash and the answer travel in the origin of the log record of
// the request's events (ingest/event_record.h: the same append and fsync as the events), so a key
// is as durable as its events. A saved copy (`<data_dir>/idempotency/<stream>.json`, written
// atomically) holds every key of the records up to the log sequence number it names: it is
// written before a stream's first keyed append (empty) and before log retention deletes segments.
// At open the table is rebuilt from it and from the origins of the log records after that number;
// a stream without a saved copy never had a key, and its log is not read for them. A request
// whose events were all rejected appends nothing: its answer is remembered until the server stops
// (a retry after a restart parses the body again and rejects the same records).
//
// Limits: keys older than the window are forgotten; past max_keys the oldest are (a retry of a
// forgotten key appends again).
//
// Thread safety: all methods are thread-safe. Begin waits while another request holds the key
// (between its Begin and its Finish or Abandon).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/event_parser.h"

namespace laminar::engine {

// What the first request with a key was answered.
struct IngestAnswer {
  uint64_t accepted = 0, rejected = 0;
  uint64_t first_seq = 0, last_seq = 0;       // 0 when nothing was appended
  std::vector<ingest::RecordError> errors;    // index, field and reason (not the raw record)
};

class IdempotencyKeys {
 public:
  IdempotencyKeys(int64_t window_micros, size_t max_keys) : window_(window_micros), max_keys_(max_keys) {}

  enum class Claim { kNew, kDone, kOtherRequest };
  // Claims `key` for a request whose body hashes to `hash`, at `now` (micros): kNew (the caller
  // appends, then calls Finish — or Abandon when nothing was stored), kDone (*first: the first
  // answer) or kOtherRequest (the key answered a request with another body). Waits while another
  // request holds the key.
  Claim Begin(const std::string& key, const std::string& hash, int64_t now, IngestAnswer* first);
  void Finish(const std::string& key, IngestAnswer answer);
  void Abandon(const std::string& key);

  // The origin a record of the key's request carries (JSON; the answer but for its sequence
  // numbers, which are the record's).
  static std::string Origin(const std::string& key, const std::string& hash, int64_t at, const IngestAnswer& a);
  // Restores a finished key from a record's origin (at open). Ignores origins of other kinds and
  // keys older than the window of `now`.
  void Restore(std::string_view origin, uint64_t first_seq, uint64_t last_seq, int64_t now);

  // Writes every finished key of the window to `path` (a temporary file, fsync, rename, fsync of
  // the directory), naming `covered_seq`: the caller guarantees that every record with a sequence
  // number up to it has its key finished here. Load adds the keys of such a file and returns its
  // covered_seq (NotFound when there is no file).
  Status Save(const std::string& path, int64_t now, uint64_t covered_seq);
  Result<uint64_t> Load(const std::string& path, int64_t now);

  size_t size() const;

 private:
  struct Entry {
    bool pending = false;
    std::string hash;
    int64_t at = 0;
    IngestAnswer answer;
  };
  void PruneLocked(int64_t now);
  void PutLocked(const std::string& key, Entry e);

  const int64_t window_;
  const size_t max_keys_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Entry> keys_;              // GUARDED_BY(mu_)
  std::multimap<int64_t, std::string> by_time_;   // GUARDED_BY(mu_): finished keys by `at`
};

}  // namespace laminar::engine
