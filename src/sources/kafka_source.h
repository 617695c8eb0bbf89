// KafkaSource: one Kafka subscription running — a consumer (librdkafka) that reads every partition
// of the topic from the positions Laminar recorded (sources/positions.h), turns each batch of
// messages into rows (sources/messages.h) and hands it to the engine as one log record's worth
// (Deliver), then moves on. Exactly once: positions advance only when Deliver returned OK (the
// record is durable), and a restart resumes from the positions in the log, never from the
// broker's committed offsets (which the source also commits, after each delivery, for monitoring
// tools only).
//
// Partitions are assigned by the source itself (no consumer-group rebalancing): all of the
// topic's partitions, found from the topic's metadata at start and every 5 s, so partitions added
// later are picked up (from their earliest message). A partition without a recorded position
// begins at the earliest message, or — with start = 'latest' — at the end as it is when first
// seen, handed to Deliver as a positions-only delivery so that a restart does not skip what came
// in between.
//
// Back-pressure: Deliver runs on the source's thread and nothing more is fetched while it waits
// (for the log's fsync); librdkafka's prefetch buffer is bounded (queued.max.messages.kbytes,
// 64 MiB unless the subscription sets it). A failed Deliver is retried with the same batch, with
// backoff (0.1 s doubling to 10 s); broker outages are retried by librdkafka; a topic that does
// not exist (or no longer does) is an error state with the reason: its partitions are unassigned
// and its metadata asked for again every second until it is back. One librdkafka client serves
// the source from start to stop (a new one only when creating it failed). Every error is in
// Status() (state "error", last_error) and the server's log.
//
// Thread safety: Start/Stop from one thread; Status() from any.
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

struct PartitionStatus {
  int32_t partition = 0;
  int64_t next_offset = -1;     // -1: nothing consumed or recorded yet
  int64_t high_watermark = -1;  // -1: not known yet
};

struct SourceStatus {
  std::string subscription, stream, kind, topic;
  std::string state;        // "starting", "running", "error", "disabled"
  std::string last_error;   // the latest error, kept after recovery (empty: none)
  int64_t last_error_at = 0;  // micros since the epoch
  std::vector<PartitionStatus> partitions;
  uint64_t events = 0;       // rows delivered since start
  uint64_t bad_messages = 0; // messages sent to the dead-letter store since start
  uint64_t records = 0;      // deliveries (log records) since start
  double events_per_second = 0;  // over the last 10 s
};

// One batch for the engine: its rows (maybe none), its bad messages with their origins
// ("kafka topic/partition/offset"), and the record origin carrying the positions it moves to.
struct Delivery {
  const ingest::RowBatch* rows = nullptr;
  const std::vector<ingest::RecordError>* errors = nullptr;
  std::vector<std::string> error_origins;  // one per error
  std::string origin;                      // SourcePositions::Origin
  Offsets next;
  bool positions_only = false;             // no messages: positions resolved at a 'latest' start
};
using DeliverFn = std::function<Status(const Delivery&)>;

class KafkaSource {
 public:
  KafkaSource(std::string subscription, std::string stream, SourceSpec spec, ingest::StreamSchema schema,
              ingest::Limits limits, Offsets resume, DeliverFn deliver);
  ~KafkaSource();
  KafkaSource(const KafkaSource&) = delete;
  KafkaSource& operator=(const KafkaSource&) = delete;

  void Start();
  // Stops consuming and waits for the thread: a batch not yet delivered is dropped (its messages
  // are read again after the next start). Idempotent.
  void Stop();
  SourceStatus Status() const;
  // Records `what` as the source's latest error (state "error", last_error) and logs it; the next
  // delivered batch sets the state back to "running".
  void SetError(const std::string& what);

 private:
  struct Client;
  void Run();
  ::laminar::Status Consume(Client& c);
  void SetState(const char* state);
  bool Sleep(int ms);  // false when stopping
  void NoteEvents(uint64_t n);

  const std::string subscription_, stream_;
  const SourceSpec spec_;
  const ingest::StreamSchema schema_;
  const ingest::Limits limits_;
  const DeliverFn deliver_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  Offsets positions_;                 // GUARDED_BY(mu_): next offset per partition (delivered)
  std::map<int32_t, int64_t> high_;   // GUARDED_BY(mu_): high watermarks seen
  SourceStatus status_;               // GUARDED_BY(mu_): all but partitions
  std::deque<std::pair<int64_t, uint64_t>> rate_samples_;  // GUARDED_BY(mu_): (micros, events)
};

}  // namespace laminar::sources
