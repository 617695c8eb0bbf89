#include "sources/source_spec.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
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
    std::string rest = connection.substr(10);
    size_t slash = rest.find('/');
    spec.kind = SourceKind::kKinesis;
    if (slash != std::string::npos) {
      spec.region = rest.substr(0, slash);
      spec.topic = rest.substr(slash + 1);
    }
    auto name_ok = [](const std::string& s, const char* extra) {
      return !s.empty() && s.size() <= 128 &&
             std::all_of(s.begin(), s.end(), [&](char c) { return std::isalnum(static_cast<unsigned char>(c)) || std::strchr(extra, c); });
    };
    if (!name_ok(spec.region, "-") || !name_ok(spec.topic, "_.-"))
      return InvalidArgument("CONNECTION '{}': expected kinesis://region/stream-name", connection);
    spec.batch_events = 10'000;
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
    const bool kinesis = spec.kind == SourceKind::kKinesis;
    if (kinesis && (o.name == "topic" || o.name == "group_id" || o.name.find('.') != std::string::npos))
      return InvalidArgument("subscription option {} is for Kafka subscriptions (a Kinesis stream is named in the connection)",
                             o.name);
    if (!kinesis && (o.name == "endpoint" || o.name == "access_key_id" || o.name == "secret_access_key" ||
                     o.name == "session_token"))
      return InvalidArgument("subscription option {} is for Kinesis subscriptions", o.name);
    if (o.name == "endpoint") {
      if (o.value.rfind("http://", 0) != 0 && o.value.rfind("https://", 0) != 0)
        return InvalidArgument("subscription option endpoint must be an http:// or https:// URL, not '{}'", o.value);
      spec.endpoint = o.value;
      while (!spec.endpoint.empty() && spec.endpoint.back() == '/') spec.endpoint.pop_back();
    } else if (o.name == "access_key_id") {
      spec.access_key_id = o.value;
    } else if (o.name == "secret_access_key") {
      spec.secret_access_key = o.value;
    } else if (o.name == "session_token") {
      spec.session_token = o.value;
    } else if (o.name == "topic") {
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
      ASSIGN_OR_RETURN(int64_t v, IntOption(o, 1, kinesis ? 10'000 : 1'000'000));
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
  if (spec.kind == SourceKind::kKinesis) {
    auto env = [](const char* n) {
      const char* v = std::getenv(n);
      return std::string(v ? v : "");
    };
    if (spec.endpoint.empty()) spec.endpoint = "https://kinesis." + spec.region + ".amazonaws.com";
    if (spec.access_key_id.empty() && spec.secret_access_key.empty()) {
      spec.access_key_id = env("AWS_ACCESS_KEY_ID");
      spec.secret_access_key = env("AWS_SECRET_ACCESS_KEY");
      if (spec.session_token.empty()) spec.session_token = env("AWS_SESSION_TOKEN");
    }
    if (spec.access_key_id.empty() || spec.secret_access_key.empty())
      return InvalidArgument(
          "a Kinesis subscription needs credentials: WITH (access_key_id = '...', secret_access_key = '...'), or "
          "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the server's environment");
  }
  return spec;
}

}  // namespace laminar::sources
