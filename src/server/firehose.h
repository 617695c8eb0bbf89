// Amazon Data Firehose's HTTP endpoint delivery into a stream: POST /v1/firehose/{stream}.
//
// Firehose sends {"requestId": "...", "timestamp": ms, "records": [{"data": "<base64>"}, ...]}
// (optionally gzip-compressed: Content-Encoding: gzip) with the headers
// X-Amz-Firehose-Request-Id and X-Amz-Firehose-Access-Key, and expects 200 with
// {"requestId", "timestamp"} — or an error status with {"requestId", "timestamp",
// "errorMessage"}, after which it retries. Each record's data is one or more JSON events (NDJSON);
// they go through the stream's ingest path as one request whose idempotency key is the
// requestId (engine/idempotency.h), so a redelivered request appends nothing twice. Events that
// do not fit the stream go to the dead-letter store, as over /v1/streams/{stream}/events; the
// answer is still 200 (Firehose has no per-record answer). With `[firehose] access_keys`
// configured, a request must carry one of them (compared in constant time): 401 otherwise. With
// authentication on ([auth], auth/guard.h) the access key may also be a token with the scope
// ingest:<stream> (the API checks it before this handler runs).
//
// Thread safety: stateless.
#pragma once

#include <string>
#include <vector>

#include "engine/engine.h"
#include "server/http_server.h"

namespace laminar::server {

struct FirehoseOptions {
  std::vector<std::string> access_keys;  // empty: no key is asked for
};

// `*accepted`: the events the delivery appended (for the caller's event rate limit).
HttpResponse HandleFirehose(engine::Engine* e, const HttpRequest& req, const std::string& stream,
                            const FirehoseOptions& options, uint64_t* accepted);

}  // namespace laminar::server
