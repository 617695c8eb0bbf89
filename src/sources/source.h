// Source: a running subscription's reader (Kafka: kafka_source.h, Kinesis: kinesis_source.h) —
// what they share: the thread, the state and errors reported through Status(), delivering a
// batch to the engine with retries, and the positions reached.
//
// A source reads batches of messages, turns them into rows (sources/messages.h) and hands each
// batch to the engine as one log record's worth (Deliver). Exactly once: its positions move only
// when Deliver returned OK (the record is durable); a source that stops drops the batch it has
// not delivered (read again after the next start); restarts begin at the positions the engine
// restored from the log (sources/positions.h). A failed Deliver is retried with the same batch,
// backoff 0.1 s doubling to 10 s; nothing more is read meanwhile (back-pressure).
//
// Thread safety: Start/Stop from one thread; Status() and SetError from any.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "ingest/event_parser.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"
#include "sources/positions.h"
#include "sources/source_spec.h"

namespace laminar::sources {

// The longest wait between two tries of anything a source retries (a delivery, a connection, a
// shard's read).
inline constexpr int kMaxBackoffMs = 10'000;

// One Kafka partition or Kinesis shard.
struct PartitionStatus {
  std::string id;               // the partition number, or the shard id
  std::string position;         // its recorded position (positions.h); empty before any
  int64_t high_watermark = -1;  // Kafka: the partition's end offset; -1 unknown (and for Kinesis)
  int64_t lag = -1;             // Kafka: messages not yet read; Kinesis: milliseconds behind its newest record; -1 unknown
};

struct SourceStatus {
  std::string subscription, stream, kind, topic;
  std::string state;          // "starting", "running", "error", "disabled"
  std::string last_error;     // the latest error, kept after recovery (empty: none)
  int64_t last_error_at = 0;  // micros since the epoch
  std::vector<PartitionStatus> partitions;
  uint64_t events = 0;        // rows delivered since start
  uint64_t bad_messages = 0;  // messages sent to the dead-letter store since start
  uint64_t records = 0;       // deliveries (log records) since start
  double events_per_second = 0;  // over the last 10 s
};

// One batch for the engine: its rows (maybe none), its bad messages with their origins
// ("kafka topic t partition p offset o"), and the record origin carrying the positions it
// reaches. `positions_only`: no messages, a position resolved without them (a 'latest' start),
// to be saved.
struct Delivery {
  const ingest::RowBatch* rows = nullptr;
  const std::vector<ingest::RecordError>* errors = nullptr;
  std::vector<std::string> error_origins;  // one per error
  std::string origin;                      // SourcePositions::Origin
  Positions reached;
  bool positions_only = false;
};
using DeliverFn = std::function<Status(const Delivery&)>;

class Source {
 public:
  Source(std::string subscription, std::string stream, SourceSpec spec, ingest::StreamSchema schema,
         ingest::Limits limits, Positions resume, DeliverFn deliver);
  virtual ~Source();  // REQUIRES: Stop() was called (each subclass's destructor does)
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  void Start();
  // Stops reading and waits for the thread. Idempotent.
  void Stop();
  SourceStatus Status() const;
  // Records `what` as the latest error (state "error", last_error) and logs it; the next
  // delivered batch sets the state back to "running".
  void SetError(const std::string& what);
  // Records `what` as the latest error (last_error) without changing the state: a condition the
  // source rides out by itself, such as throttling, which is normal under load.
  void NoteError(const std::string& what);

 protected:
  virtual void Run() = 0;  // on the source's thread until stopping()
  bool stopping() const { return stopping_; }
  void SetState(const char* state);
  // Waits `ms` or until Stop; false when stopping.
  bool Sleep(int ms);
  // Delivers `d` of `messages` messages, retrying while it fails; true once delivered (positions
  // moved, counters and state updated), false when stopping first.
  bool DeliverRetrying(const Delivery& d);
  // A positions-only delivery of `reached` (retried as above).
  bool DeliverPositions(const Positions& reached);
  Positions positions() const;
  void SetLag(const std::string& id, int64_t lag, int64_t high_watermark = -1);
  // Builds the batch's Delivery: rows and errors of `values` (one per message), each error's
  // origin from `origin_of(message index)`.
  Delivery MakeDelivery(const ingest::ParseResult& parsed, const std::function<std::string(size_t)>& origin_of,
                        Positions reached) const;

  const std::string subscription_, stream_;
  const SourceSpec spec_;
  const ingest::StreamSchema schema_;
  const ingest::Limits limits_;

 private:
  const DeliverFn deliver_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  Positions positions_;                    // GUARDED_BY(mu_): delivered
  std::map<std::string, std::pair<int64_t, int64_t>> lag_;  // GUARDED_BY(mu_): id → (lag, high watermark)
  SourceStatus status_;                    // GUARDED_BY(mu_): all but partitions
  std::deque<std::pair<int64_t, uint64_t>> rate_samples_;  // GUARDED_BY(mu_): (micros, events)
};

// The source of `spec.kind`.
std::unique_ptr<Source> MakeSource(std::string subscription, std::string stream, SourceSpec spec,
                                   ingest::StreamSchema schema, ingest::Limits limits, Positions resume,
                                   DeliverFn deliver);

}  // namespace laminar::sources
