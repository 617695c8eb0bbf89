#include "app/config.h"
#include "app/config_internal.h"
#include "common/base64.h"

#include <toml++/toml.h>

#include <cctype>
#include <set>

namespace laminar::app {

Result<bool> ParseDurability(const std::string& text) {
  if (text == "fsync") return true;
  if (text == "none") return false;
  return InvalidArgument("durability must be \"fsync\" or \"none\", not \"{}\"", text);
}

namespace {

// A duration: a number of seconds, or a string "<n>s|m|h|d" ("90s", "5m", "12h", "30d").
Result<int64_t> ReadDurationMicros(const toml::table& t, const std::string& section, const std::string& key,
                                   int64_t dflt) {
  const toml::node* n = t.get(key);
  if (!n) return dflt;
  if (auto i = n->value<int64_t>()) {
    if (*i < 0) return InvalidArgument("config: [{}] {} must not be negative", section, key);
    return *i * 1'000'000;
  }
  auto str = n->value<std::string>();
  if (!str) return InvalidArgument("config: [{}] {} must be seconds or a string like \"5m\"", section, key);
  if (*str == "forever") return int64_t{0};
  auto d = ParseDuration(*str);
  if (!d.ok()) return InvalidArgument("config: [{}] {}: {}", section, key, d.status().message());
  return *d;
}

}  // namespace

Status ParsePgAddress(const std::string& text, ServerConfig* c) {
  if (text == "off") {
    c->pg_enabled = false;
    return Status::OK();
  }
  c->pg_enabled = true;
  c->pg_explicit = true;
  return server::ParseHostPort(text, &c->pg.host, &c->pg.port);
}

Result<int64_t> ParseDuration(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) i++;
  if (i == 0 || i + 1 != text.size() || i > 12)
    return InvalidArgument("bad duration \"{}\" (expected a number and s, m, h or d, e.g. \"30d\")", text);
  int64_t n = std::stoll(text.substr(0, i));
  switch (text[i]) {
    case 's': return n * 1'000'000;
    case 'm': return n * 60'000'000;
    case 'h': return n * 3'600'000'000;
    case 'd': return n * 86'400'000'000;
  }
  return InvalidArgument("bad duration \"{}\": unit must be s, m, h or d", text);
}

Status LoadConfigFile(const std::string& path, ServerConfig* c) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgument("config {}: {} (line {})", path, std::string(e.description()),
                           e.source().begin.line);
  }
  RETURN_IF_ERROR(CheckKeys(
      root, "", {"data_dir", "server", "log", "ingest", "query", "batch", "lake", "import", "firehose", "auth", "tls", "encryption"}));
  if (auto* s = root["encryption"].as_table()) {
    // The key itself, or the name of the environment variable that holds it (base64, 32 bytes).
    RETURN_IF_ERROR(CheckKeys(*s, "encryption", {"key", "key_env"}));
    std::string key, env;
    RETURN_IF_ERROR(Read(*s, "encryption", "key", &key));
    RETURN_IF_ERROR(Read(*s, "encryption", "key_env", &env));
    if (key.empty() == env.empty()) return InvalidArgument("config: [encryption] needs one of key and key_env");
    if (!env.empty()) {
      const char* value = std::getenv(env.c_str());
      if (!value || !*value) return InvalidArgument("config: [encryption] key_env: the variable {} is not set", env);
      key = value;
    }
    auto raw = Base64Decode(key);
    if (!raw.ok() || raw->size() != 32)
      return InvalidArgument("config: [encryption] the key must be base64 of 32 bytes (openssl rand -base64 32)");
    c->engine.encryption_key = std::move(raw).value();
  }
  if (auto* s = root["tls"].as_table()) {
    RETURN_IF_ERROR(CheckKeys(*s, "tls", {"cert_file", "key_file", "required"}));
    RETURN_IF_ERROR(Read(*s, "tls", "cert_file", &c->tls.cert_file));
    RETURN_IF_ERROR(Read(*s, "tls", "key_file", &c->tls.key_file));
    RETURN_IF_ERROR(Read(*s, "tls", "required", &c->tls.required));
    if (c->tls.cert_file.empty() != c->tls.key_file.empty())
      return InvalidArgument("config: [tls] needs both cert_file and key_file");
    if (c->tls.required && c->tls.cert_file.empty())
      return InvalidArgument("config: [tls] required = true needs cert_file and key_file");
  }
  if (auto* s = root["auth"].as_table()) RETURN_IF_ERROR(LoadAuthSection(*s, &c->auth));
  if (auto* s = root["firehose"].as_table()) {
    RETURN_IF_ERROR(CheckKeys(*s, "firehose", {"access_keys"}));
    if (const toml::node* n = s->get("access_keys")) {
      const toml::array* keys = n->as_array();
      if (!keys) return InvalidArgument("config: [firehose] access_keys must be a list of strings");
      for (const toml::node& k : *keys) {
        auto v = k.value<std::string>();
        if (!v || v->empty()) return InvalidArgument("config: [firehose] access_keys must be a list of non-empty strings");
        c->api.firehose.access_keys.push_back(*v);
      }
    }
  }
  RETURN_IF_ERROR(Read(root, "", "data_dir", &c->engine.data_dir));
  if (auto* s = root["server"].as_table()) {
    RETURN_IF_ERROR(CheckKeys(*s, "server", {"http", "threads", "max_connections", "pg", "allowed_hosts", "max_streams",
                                             "write_timeout_seconds", "header_timeout_seconds",
                                             "max_connections_per_address", "pg_max_connections",
                                             "pg_max_connections_per_address"}));
    int64_t per_address = int64_t(c->http.max_connections_per_address);
    RETURN_IF_ERROR(Read(*s, "server", "max_connections_per_address", &per_address));
    if (per_address < 0) return InvalidArgument("config: [server] max_connections_per_address must be ≥ 0");
    c->http.max_connections_per_address = size_t(per_address);
    int64_t header_timeout = c->http.header_timeout_seconds;
    RETURN_IF_ERROR(Read(*s, "server", "header_timeout_seconds", &header_timeout));
    if (header_timeout < 1 || header_timeout > 3600)
      return InvalidArgument("config: [server] header_timeout_seconds must be 1..3600");
    c->http.header_timeout_seconds = int(header_timeout);
    int64_t max_streams = c->http.max_streams, write_timeout = c->http.write_timeout_seconds;
    RETURN_IF_ERROR(Read(*s, "server", "max_streams", &max_streams));
    RETURN_IF_ERROR(Read(*s, "server", "write_timeout_seconds", &write_timeout));
    if (max_streams < 0 || max_streams > 1024) return InvalidArgument("config: [server] max_streams must be 0..1024");
    if (write_timeout < 1 || write_timeout > 3600)
      return InvalidArgument("config: [server] write_timeout_seconds must be 1..3600");
    c->http.max_streams = int(max_streams);
    c->http.write_timeout_seconds = int(write_timeout);
    if (const toml::node* n = s->get("allowed_hosts")) {
      const toml::array* hosts = n->as_array();
      if (!hosts) return InvalidArgument("config: [server] allowed_hosts must be a list of host names");
      c->http.allowed_hosts.clear();
      for (const toml::node& h : *hosts) {
        auto v = h.value<std::string>();
        if (!v || v->empty()) return InvalidArgument("config: [server] allowed_hosts must be a list of host names");
        c->http.allowed_hosts.push_back(*v);
      }
    }
    std::string pg;
    RETURN_IF_ERROR(Read(*s, "server", "pg", &pg));
    if (!pg.empty()) RETURN_IF_ERROR(ParsePgAddress(pg, c).WithContext("config: [server] pg"));
    std::string http;
    RETURN_IF_ERROR(Read(*s, "server", "http", &http));
    if (!http.empty()) RETURN_IF_ERROR(server::ParseHostPort(http, &c->http.host, &c->http.port));
    int64_t threads = c->http.threads, conns = int64_t(c->http.max_connections);
    RETURN_IF_ERROR(Read(*s, "server", "threads", &threads));
    RETURN_IF_ERROR(Read(*s, "server", "max_connections", &conns));
    if (threads < 1 || threads > 1024) return InvalidArgument("config: [server] threads must be 1..1024");
    c->http.threads = int(threads);
    c->http.max_connections = size_t(std::max<int64_t>(conns, 1));
    int64_t pg_conns = int64_t(c->pg.max_connections), pg_per_address = int64_t(c->pg.max_connections_per_address);
    RETURN_IF_ERROR(Read(*s, "server", "pg_max_connections", &pg_conns));
    RETURN_IF_ERROR(Read(*s, "server", "pg_max_connections_per_address", &pg_per_address));
    if (pg_conns < 1 || pg_conns > 100000) return InvalidArgument("config: [server] pg_max_connections must be 1..100000");
    if (pg_per_address < 0) return InvalidArgument("config: [server] pg_max_connections_per_address must be ≥ 0");
    c->pg.max_connections = size_t(pg_conns);
    c->pg.max_connections_per_address = size_t(pg_per_address);
  }
  if (auto* s = root["log"].as_table()) {
    RETURN_IF_ERROR(CheckKeys(*s, "log", {"durability", "segment_max_bytes", "segment_max_age_seconds"}));
    std::string d;
    RETURN_IF_ERROR(Read(*s, "log", "durability", &d));
    if (!d.empty()) {
      ASSIGN_OR_RETURN(c->engine.log.sync, ParseDurability(d));
    }
    int64_t bytes = int64_t(c->engine.log.segment_max_bytes), age = c->engine.log.segment_max_age.count() / 1000;
    RETURN_IF_ERROR(Read(*s, "log", "segment_max_bytes", &bytes));
    RETURN_IF_ERROR(Read(*s, "log", "segment_max_age_seconds", &age));
    if (bytes < 4096) return InvalidArgument("config: [log] segment_max_bytes must be at least 4096");
    if (age < 1) return InvalidArgument("config: [log] segment_max_age_seconds must be at least 1");
    c->engine.log.segment_max_bytes = uint64_t(bytes);
    c->engine.log.segment_max_age = std::chrono::seconds(age);
  }
  if (auto* s = root["ingest"].as_table()) {
    RETURN_IF_ERROR(CheckKeys(*s, "ingest", {"max_body_bytes", "max_events_per_request", "max_text_bytes",
                                             "ignore_unknown_fields", "idempotency_window", "idempotency_max_keys"}));
    ASSIGN_OR_RETURN(c->engine.idempotency_window_micros,
                     ReadDurationMicros(*s, "ingest", "idempotency_window", c->engine.idempotency_window_micros));
    int64_t keys = int64_t(c->engine.idempotency_max_keys);
    RETURN_IF_ERROR(Read(*s, "ingest", "idempotency_max_keys", &keys));
    if (keys < 1 || c->engine.idempotency_window_micros < 1)
      return InvalidArgument("config: [ingest] idempotency_window and idempotency_max_keys must be positive");
    c->engine.idempotency_max_keys = size_t(keys);
    int64_t body = int64_t(c->engine.ingest.max_body_bytes), events = int64_t(c->engine.ingest.max_events_per_request),
            text = int64_t(c->engine.ingest.max_text_bytes);
    RETURN_IF_ERROR(Read(*s, "ingest", "max_body_bytes", &body));
    RETURN_IF_ERROR(Read(*s, "ingest", "max_events_per_request", &events));
    RETURN_IF_ERROR(Read(*s, "ingest", "max_text_bytes", &text));
    RETURN_IF_ERROR(Read(*s, "ingest", "ignore_unknown_fields", &c->engine.ingest.ignore_unknown_fields));
    if (body < 1 || events < 1 || text < 1) return InvalidArgument("config: [ingest] limits must be positive");
    c->engine.ingest.max_body_bytes = size_t(body);
    c->http.max_body_bytes = size_t(body);
    c->engine.ingest.max_events_per_request = size_t(events);
    c->engine.ingest.max_text_bytes = size_t(text);
  }
  if (auto* s = root["query"].as_table()) {
    RETURN_IF_ERROR(CheckKeys(*s, "query", {"timeout_seconds", "max_result_rows", "max_memory_mb", "dimension_max_rows"}));
    int64_t dim_rows = int64_t(c->engine.dimension_max_rows);
    RETURN_IF_ERROR(Read(*s, "query", "dimension_max_rows", &dim_rows));
    if (dim_rows < 1) return InvalidArgument("config: [query] dimension_max_rows must be positive");
    c->engine.dimension_max_rows = uint64_t(dim_rows);
    double timeout = double(c->engine.query.timeout_micros) / 1e6;
    int64_t rows = int64_t(c->engine.query.max_result_rows);
    int64_t memory_mb = int64_t(c->engine.query.max_memory_bytes >> 20);
    RETURN_IF_ERROR(Read(*s, "query", "max_memory_mb", &memory_mb));
    if (memory_mb < 1) return InvalidArgument("config: [query] max_memory_mb must be positive");
    c->engine.query.max_memory_bytes = size_t(memory_mb) << 20;
    if (const toml::node* n = s->get("timeout_seconds")) {
      if (auto d = n->value<double>()) timeout = *d;
      else return InvalidArgument("config: [query] timeout_seconds has the wrong type");
    }
    RETURN_IF_ERROR(Read(*s, "query", "max_result_rows", &rows));
    if (timeout <= 0 || rows < 1) return InvalidArgument("config: [query] limits must be positive");
    c->engine.query.timeout_micros = int64_t(timeout * 1e6);
    c->engine.query.max_result_rows = size_t(rows);
  }
  if (auto* s = root["batch"].as_table()) {
    RETURN_IF_ERROR(CheckKeys(*s, "batch", {"interval", "retain_versions"}));
    ASSIGN_OR_RETURN(int64_t interval, ReadDurationMicros(*s, "batch", "interval", c->engine.batch_interval_ms * 1000));
    c->engine.batch_interval_ms = interval / 1000;
    int64_t retain = int64_t(c->engine.retain_versions);
    RETURN_IF_ERROR(Read(*s, "batch", "retain_versions", &retain));
    if (retain < 1 || retain > 1000) return InvalidArgument("config: [batch] retain_versions must be 1..1000");
    c->engine.retain_versions = size_t(retain);
  }
  if (auto* s = root["lake"].as_table()) {
    RETURN_IF_ERROR(CheckKeys(*s, "lake", {"retention", "url", "endpoint", "region", "access_key_id",
                                           "secret_access_key", "session_token", "path_style", "max_retries",
                                           "multipart_threshold", "part_size", "row_group_bytes", "page_bytes",
                                           "dictionary_max_bytes", "zstd_level", "attach_max_rows", "sse", "sse_kms_key_id"}));
    ASSIGN_OR_RETURN(c->engine.lake_retention_micros,
                     ReadDurationMicros(*s, "lake", "retention", c->engine.lake_retention_micros));
    engine::EngineOptions& e = c->engine;
    RETURN_IF_ERROR(Read(*s, "lake", "url", &e.lake_url));
    if (!e.lake_url.empty() && e.lake_url.rfind("s3://", 0) != 0 && e.lake_url.rfind("file://", 0) != 0)
      return InvalidArgument("config: [lake] url \"{}\" must start with s3:// or file://", e.lake_url);
    RETURN_IF_ERROR(Read(*s, "lake", "endpoint", &e.s3.endpoint));
    RETURN_IF_ERROR(Read(*s, "lake", "region", &e.s3.region));
    RETURN_IF_ERROR(Read(*s, "lake", "access_key_id", &e.s3.access_key_id));
    RETURN_IF_ERROR(Read(*s, "lake", "secret_access_key", &e.s3.secret_access_key));
    RETURN_IF_ERROR(Read(*s, "lake", "session_token", &e.s3.session_token));
    RETURN_IF_ERROR(Read(*s, "lake", "path_style", &e.s3.path_style));
    RETURN_IF_ERROR(Read(*s, "lake", "sse", &e.s3.sse));  // checked by objstore::OpenS3
    RETURN_IF_ERROR(Read(*s, "lake", "sse_kms_key_id", &e.s3.sse_kms_key_id));
    int64_t retries = e.s3.max_retries, threshold = int64_t(e.s3.multipart_threshold), part = int64_t(e.s3.part_size);
    RETURN_IF_ERROR(Read(*s, "lake", "max_retries", &retries));
    RETURN_IF_ERROR(Read(*s, "lake", "multipart_threshold", &threshold));
    RETURN_IF_ERROR(Read(*s, "lake", "part_size", &part));
    if (retries < 0 || retries > 100) return InvalidArgument("config: [lake] max_retries must be 0..100");
    if (part < (5 << 20)) return InvalidArgument("config: [lake] part_size must be at least 5 MiB (S3's minimum)");
    if (threshold < part) return InvalidArgument("config: [lake] multipart_threshold must be at least part_size");
    e.s3.max_retries = int(retries);
    e.s3.multipart_threshold = uint64_t(threshold);
    e.s3.part_size = uint64_t(part);
    int64_t rg = e.lake.row_group_bytes, page = e.lake.page_bytes, dict = e.lake.dictionary_max_bytes,
            level = e.lake.zstd_level, attach = int64_t(e.attach_max_rows);
    RETURN_IF_ERROR(Read(*s, "lake", "row_group_bytes", &rg));
    RETURN_IF_ERROR(Read(*s, "lake", "page_bytes", &page));
    RETURN_IF_ERROR(Read(*s, "lake", "dictionary_max_bytes", &dict));
    RETURN_IF_ERROR(Read(*s, "lake", "zstd_level", &level));
    RETURN_IF_ERROR(Read(*s, "lake", "attach_max_rows", &attach));
    if (rg < 4096 || page < 1024 || page > rg || dict < 0)
      return InvalidArgument("config: [lake] row_group_bytes must be ≥ 4096, page_bytes 1024..row_group_bytes, "
                             "dictionary_max_bytes ≥ 0");
    if (level < 1 || level > 22) return InvalidArgument("config: [lake] zstd_level must be 1..22");
    if (attach < 1) return InvalidArgument("config: [lake] attach_max_rows must be positive");
    e.lake.row_group_bytes = rg;
    e.lake.page_bytes = page;
    e.lake.dictionary_max_bytes = dict;
    e.lake.zstd_level = int(level);
    e.attach_max_rows = uint64_t(attach);
  }
  if (auto* s = root["import"].as_table()) {
    // The directories whose files clients may name (COPY ... FROM '/path', lake attach).
    RETURN_IF_ERROR(CheckKeys(*s, "import", {"dirs", "max_file_bytes"}));
    engine::EngineOptions& e = c->engine;
    if (const toml::node* n = s->get("dirs")) {
      const toml::array* dirs = n->as_array();
      if (!dirs) return InvalidArgument("config: [import] dirs must be a list of absolute paths");
      e.import_dirs.clear();
      for (const toml::node& d : *dirs) {
        auto v = d.value<std::string>();
        if (!v || v->empty() || (*v)[0] != '/')
          return InvalidArgument("config: [import] dirs must be a list of absolute paths");
        e.import_dirs.push_back(*v);
      }
    }
    int64_t max = int64_t(e.import_max_file_bytes);
    RETURN_IF_ERROR(Read(*s, "import", "max_file_bytes", &max));
    if (max < 1) return InvalidArgument("config: [import] max_file_bytes must be positive");
    e.import_max_file_bytes = uint64_t(max);
  }
  return Status::OK();
}

}  // namespace laminar::app
