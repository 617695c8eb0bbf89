// SourceSpec: what a subscription (CREATE SUBSCRIPTION ... CONNECTION 'uri' WITH (...)) reads,
// checked once — when the statement runs and when the catalog is loaded — so a running source
// never meets an option it does not understand.
//
// Connections:
//   kafka://host:port[,host:port...]   Kafka brokers (the bootstrap list).
//   kinesis://region/stream-name       a Kinesis data stream (its name is SourceSpec::topic).
// Options (WITH (name = value, ...)):
//   topic         the Kafka topic (required for Kafka; refused for Kinesis, whose stream is in
//                 the connection)
//   format        'json' (default: each message one JSON object, the HTTP NDJSON rules) or 'csv'
//                 (each message one CSV record, the stream's columns in order; an empty unquoted
//                 field is NULL)
//   start         'earliest' (default) or 'latest': where a partition without a recorded
//                 position begins (partitions that appear later always begin at the earliest)
//   batch_events  most messages in one log record (default 20,000; 1 .. 1,000,000)
//   batch_wait_ms longest wait to fill a record once a message is in hand (default 20; 0 .. 10,000)
//   group_id      the consumer group whose committed offsets mirror Laminar's positions, for
//                 monitoring tools (default 'laminar-<subscription>'); never read back
//   enabled       true (default) or false, as ALTER SUBSCRIPTION ... ENABLE / DISABLE
//   Kinesis only:
//   endpoint      the API's URL (default https://kinesis.<region>.amazonaws.com)
//   access_key_id, secret_access_key, session_token: the credentials (default: the environment's
//                 AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN when the statement
//                 runs or the catalog loads); without a key id and secret the statement fails
//   (batch_events is at most 10,000 per GetRecords for Kinesis; group_id and librdkafka
//   properties are refused)
//   "x.y"         any name with a dot is a librdkafka property passed through as it is
//                 ("security.protocol", "sasl.mechanism", "sasl.username", "ssl.ca.location", ...);
//                 unknown ones, bad values and the properties Laminar sets itself
//                 (bootstrap.servers, group.id, enable.auto.commit, enable.auto.offset.store,
//                 enable.partition.eof) are errors.
//
// Thread safety: plain values; ParseSourceSpec is a pure function.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace laminar::sources {

enum class SourceKind { kKafka, kKinesis };
enum class MessageFormat { kJson, kCsv };

struct SourceSpec {
  SourceKind kind = SourceKind::kKafka;
  std::string brokers;  // kafka: "host:port,host:port"
  std::string topic;
  MessageFormat format = MessageFormat::kJson;
  bool start_latest = false;
  size_t batch_events = 20'000;
  int batch_wait_ms = 20;
  std::string group_id;  // empty: "laminar-<subscription>"
  bool enabled = true;
  std::vector<std::pair<std::string, std::string>> properties;  // librdkafka, as given
  // Kinesis
  std::string region, endpoint;
  std::string access_key_id, secret_access_key, session_token;
};

// One option as written: its name and its value's text.
struct SourceOption {
  std::string name;
  std::string value;
};

// Checks a subscription's connection and options (see the file comment). InvalidArgument naming
// the bad one.
Result<SourceSpec> ParseSourceSpec(const std::string& connection, const std::vector<SourceOption>& options);

const char* KindName(SourceKind k);  // "kafka", "kinesis"

}  // namespace laminar::sources
