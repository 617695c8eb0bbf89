// KinesisSource: one Kinesis Data Streams subscription running — a reader of every shard of the
// stream (the Kinesis JSON API over HTTPS: ListShards, GetShardIterator, GetRecords; signed
// with SigV4, service "kinesis"; libcurl) that resumes each shard AFTER_SEQUENCE_NUMBER of the
// position Laminar recorded (sources/positions.h), turns each batch of records into rows
// (sources/messages.h; a record's data is one message) and hands it to the engine as one log
// record's worth, exactly once as KafkaSource does (sources/source.h).
//
// Resharding: the shard list is read at start and every 10 s. A shard whose parents (after a
// split or a merge) are not yet drained waits; a parent is drained when GetRecords gives no next
// iterator — its position becomes "closed" (in the record that holds its last records, or saved
// by itself) — or when it is no longer listed (past the stream's retention). So a key's records
// are read in order across a split. A shard without a position begins at its oldest record
// (TRIM_HORIZON), or at LATEST with start = 'latest' for the shards of the first listing.
//
// Limits and faults: GetRecords is asked for at most batch_events (≤ 10,000) records, at most 5
// times a second per shard (Kinesis's own limit); ProvisionedThroughputExceededException and
// other throttling are retried per shard with backoff (0.2 s doubling to 10 s); an expired
// iterator is asked for again from the position; a stream that does not exist (or no longer
// does) is an error state with the reason, the list asked for again every second. Every error is
// in Status() and the server's log.
//
// Thread safety: as Source (sources/source.h).
#pragma once

#include "sources/source.h"

namespace laminar::sources {

class KinesisSource : public Source {
 public:
  KinesisSource(std::string subscription, std::string stream, SourceSpec spec, ingest::StreamSchema schema,
                ingest::Limits limits, Positions resume, DeliverFn deliver);
  ~KinesisSource() override;

 private:
  class Api;
  void Run() override;
};

}  // namespace laminar::sources
