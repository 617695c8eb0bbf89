// Server configuration: defaults, then a TOML file (--config), then command-line flags.
// Keys (all optional):
//   data_dir = "laminar-data"
//   [server]  http = "127.0.0.1:8080"   threads = 16   max_connections = 1024
//             pg = "127.0.0.1:5433" (PostgreSQL wire protocol, src/pgwire; "off" disables it)
//   [log]     durability = "fsync" | "none"   segment_max_bytes = 67108864
//             segment_max_age_seconds = 600
//   [ingest]  max_body_bytes = 67108864   max_events_per_request = 1000000
//             max_text_bytes = 65536   ignore_unknown_fields = false
//   [query]   timeout_seconds = 30   max_result_rows = 1000000   max_memory_mb = 512
//             dimension_max_rows = 10000000
//   [batch]   interval = "60s" (or seconds; 0 turns periodic runs off)   retain_versions = 3
//   [lake]    retention = "forever" | "<n>d" | "<n>h" ... (drops whole older partitions)
//             url = "s3://bucket/prefix" | "file:///dir" (default: the data directory)
//             endpoint = "http://127.0.0.1:9000"   region = "us-east-1"   path_style = true
//             access_key_id, secret_access_key, session_token (default: AWS_* variables)
//             sse = "" | "AES256" | "aws:kms"   sse_kms_key_id (server-side encryption)
//             max_retries = 5   multipart_threshold = 67108864   part_size = 16777216
//             row_group_bytes = 134217728   page_bytes = 1048576   dictionary_max_bytes = 1048576
//             zstd_level = 3   attach_max_rows = 50000000
//   [auth]    enabled (default: true when tokens or users are given)   allow_cleartext_passwords = false
//             audit_log = "<data_dir>/audit.log"
//             [[auth.tokens]] name, hash = "sha256:...", scopes = [...], requests_per_second,
//                             requests_burst, events_per_second, events_burst,
//                             query_timeout_seconds, query_max_memory_mb
//             [[auth.users]]  name, password = "SCRAM-SHA-256$...", scopes, the same limits
//   [encryption] key = "<base64 of 32 bytes>" | key_env = "VARIABLE" (the lake and views encrypted)
//   [tls]     cert_file, key_file (PEM)   required = false (plain PostgreSQL connections refused)
// Unknown keys are errors naming the key (a typo must not silently keep a default).
#pragma once

#include <string>

#include "auth/guard.h"
#include "auth/tls.h"
#include "common/status.h"
#include "engine/engine.h"
#include "pgwire/pg_server.h"
#include "server/api.h"
#include "server/http_server.h"

namespace laminar::app {

struct ServerConfig {
  engine::EngineOptions engine;
  server::HttpOptions http;
  bool pg_enabled = true;
  // Set when the address was given (--pg, [server] pg): then failing to bind it is an error;
  // the default address that is taken (another server, a PostgreSQL) only gives a warning.
  bool pg_explicit = false;
  pgwire::PgOptions pg;
  server::ApiOptions api;  // [firehose] access_keys
  auth::AuthConfig auth;   // [auth]
  auth::TlsOptions tls;    // [tls]
  // --insecure: listen on a non-loopback address without authentication.
  bool insecure = false;
};

// "HOST:PORT" or "off" for the PostgreSQL listener.
Status ParsePgAddress(const std::string& text, ServerConfig* config);

Status LoadConfigFile(const std::string& path, ServerConfig* config);
// "fsync" → true, "none" → false; InvalidArgument otherwise.
Result<bool> ParseDurability(const std::string& text);
// "90s", "5m", "12h", "30d" → microseconds; InvalidArgument otherwise.
Result<int64_t> ParseDuration(const std::string& text);

}  // namespace laminar::app
