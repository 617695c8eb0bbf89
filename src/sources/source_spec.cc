#include "sources/source_spec.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <memory>

namespace laminar::sources {
namespace {

// The librdkafka properties Laminar sets itself: a subscription cannot change them.
constexpr const char* kManaged[] = {"bootstrap.servers", "metadata.broker.list", "group.id", "enable.auto.commit",
                                    "enable.auto.offset.store", "enable.partition.eof"};

Result<int64_t> IntOption(const SourceOption& o, int64_t lo, int64_t hi) {
  int64_t v = 0;
  size_t i = 0;
  bool ok = !o.value.empty();
  for (; ok && i < o.value.size(); i++) {
    if (o.value[i] < '0' || o.value[i] > '9' || v > (hi + 9) / 10) ok = false;
    else v = v * 10 + (o.value[i] - '0');
  }
  if (!ok || v < lo || v > hi)
    return InvalidArgument("subscription option {} must be an integer from {} to {}, not \"{}\"", o.name, lo, hi, o.value);
  return v;
}

Result<bool> BoolOption(const SourceOption& o) {
  std::string v = o.value;
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  if (v == "true" || v == "on" || v == "1") return true;
  if (v == "false" || v == "off" || v == "0") return false;
  return InvalidArgument("subscription option {} must be true or false, not \"{}\"", o.name, o.value);
}

Status ParseKafkaConnection(const std::string& rest, SourceSpec* spec) {
  // host:port[,host:port...]
  size_t start = 0;
  std::string brokers;
  while (start <= rest.size()) {
    size_t comma = rest.find(',', start);
    std::string hp = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t colon = hp.rfind(':');
    bool ok = !hp.empty() && colon != std::string::npos && colon > 0 && colon + 1 < hp.size() &&
              hp.find('/') == std::string::npos;
    for (size_t i = colon + 1; ok && i < hp.size(); i++) ok = hp[i] >= '0' && hp[i] <= '9';
    if (!ok)
      return InvalidArgument("CONNECTION 'kafka://{}': expected kafka://host:port[,host:port...], and \"{}\" is not host:port",
                             rest, hp);
    brokers += (brokers.empty() ? "" : ",") + hp;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  spec->brokers = brokers;
  return Status::OK();
}

}  // namespace

const char* KindName(SourceKind k) { return k == SourceKind::kKafka ? "kafka" : "kinesis"; }

Result<SourceSpec> ParseSourceSpec(const std::string& connection, const std::vector<SourceOption>& options) {
  SourceSpec spec;
  if (connection.rfind("kafka://", 0) == 0) {
    RETURN_IF_ERROR(ParseKafkaConnection(connection.substr(8), &spec));
  } else if (connection.rfind("kinesis://", 0) == 0) {
    return Unimplemented(ErrorCode::kFeatureNotSupported,
                         "Kinesis subscriptions are not built yet (CONNECTION '{}'): use kafka://", connection);
  } else {
    return InvalidArgument("CONNECTION '{}': expected kafka://host:port[,host:port...] or kinesis://region/stream",
                           connection);
  }
  std::unique_ptr<rd_kafka_conf_t, decltype(&rd_kafka_conf_destroy)> conf(rd_kafka_conf_new(), rd_kafka_conf_destroy);
  std::vector<std::string> seen;
  for (const SourceOption& o : options) {
    if (std::find(seen.begin(), seen.end(), o.name) != seen.end())
      return InvalidArgument("subscription option {} is given twice", o.name);
    seen.push_back(o.name);
    if (o.name == "topic") {
      if (o.value.empty()) return InvalidArgument("subscription option topic is empty");
      spec.topic = o.value;
    } else if (o.name == "format") {
      if (o.value == "json") spec.format = MessageFormat::kJson;
      else if (o.value == "csv") spec.format = MessageFormat::kCsv;
      else return InvalidArgument("subscription option format must be 'json' or 'csv', not '{}'", o.value);
    } else if (o.name == "start") {
      if (o.value == "earliest") spec.start_latest = false;
      else if (o.value == "latest") spec.start_latest = true;
      else return InvalidArgument("subscription option start must be 'earliest' or 'latest', not '{}'", o.value);
    } else if (o.name == "batch_events") {
      ASSIGN_OR_RETURN(int64_t v, IntOption(o, 1, 1'000'000));
      spec.batch_events = static_cast<size_t>(v);
    } else if (o.name == "batch_wait_ms") {
      ASSIGN_OR_RETURN(int64_t v, IntOption(o, 0, 10'000));
      spec.batch_wait_ms = static_cast<int>(v);
    } else if (o.name == "group_id") {
      if (o.value.empty()) return InvalidArgument("subscription option group_id is empty");
      spec.group_id = o.value;
    } else if (o.name == "enabled") {
      ASSIGN_OR_RETURN(spec.enabled, BoolOption(o));
    } else if (o.name.find('.') != std::string::npos) {
      for (const char* m : kManaged)
        if (o.name == m) return InvalidArgument("subscription option \"{}\" is set by Laminar and cannot be given", o.name);
      char err[512];
      if (rd_kafka_conf_set(conf.get(), o.name.c_str(), o.value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
        return InvalidArgument("subscription option \"{}\": {}", o.name, err);
      spec.properties.emplace_back(o.name, o.value);
    } else {
      return InvalidArgument(
          "unknown subscription option {} (known: topic, format, start, batch_events, batch_wait_ms, group_id, enabled, "
          "and librdkafka properties written with their dots, such as \"security.protocol\")",
          o.name);
    }
  }
  if (spec.topic.empty()) return InvalidArgument("a Kafka subscription needs WITH (topic = '...')");
  return spec;
}

}  // namespace laminar::sources
