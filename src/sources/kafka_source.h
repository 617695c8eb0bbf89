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
// Thread safety: as Source (sources/source.h).
#pragma once

#include "sources/source.h"

namespace laminar::sources {

class KafkaSource : public Source {
 public:
  KafkaSource(std::string subscription, std::string stream, SourceSpec spec, ingest::StreamSchema schema,
              ingest::Limits limits, Positions resume, DeliverFn deliver);
  ~KafkaSource() override;

 private:
  struct Client;
  void Run() override;
  ::laminar::Status Consume(Client& c);
};

}  // namespace laminar::sources
