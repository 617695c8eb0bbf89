// The HTTP API (DESIGN.md "Interfaces"): maps requests to Engine calls and Statuses to HTTP
// status codes — the only place besides pgwire that does so.
//
//   GET  /healthz                       200 {"status":"ok"} once the engine is open
//   POST /v1/sql                        DDL (and queries), text body, several statements
//   POST /v1/streams/{stream}/events    NDJSON or JSON array, gzip/zstd; see ingest/event_parser.h;
//                                       Idempotency-Key header: engine/idempotency.h
//   POST /v1/firehose/{stream}          Amazon Data Firehose's HTTP endpoint delivery (firehose.h)
//   POST /v1/query                      {"sql": "..."} → {"columns", "rows", "stats"} or CSV
//                                       (Accept: text/csv)
//   POST /v1/batch/run                  {"full": bool, "view": "name"} (optional) → the published
//                                       versions, once published
//   POST /v1/verify                     {"view": "name"} (optional) → per view: ok, diffs
//   GET  /v1/streams, GET /v1/views     descriptions
//   GET  /metrics                       Prometheus text
//   GET  /                              a short HTML page naming the endpoints
//   GET  /v1/routes                     the route table with each route's policy
//
// Every route declares its policy in one table (api.cc): public (/healthz only), authenticated,
// query, ingest:{stream} or admin. With authentication on (auth/guard.h) a request without valid
// credentials gets 401 on every path but /healthz (WWW-Authenticate: Bearer), whether or not the
// path exists; a caller without the route's scope 403; POST /v1/sql checks each statement
// (auth::StatementAccess) before running any. Rate limits per token answer 429 with Retry-After.
// Refusals, authentication failures and admin routes and statements go to the audit log.
//
// Status mapping, from the StatusCode alone: Unauthenticated → 401, PermissionDenied → 403, InvalidArgument/Unimplemented → 400, NotFound → 404,
// AlreadyExists → 409, ResourceExhausted → 413 for bodies and 400 for queries; every error of a
// SQL statement is 400 (an unknown relation too), DeadlineExceeded → 408, Unavailable → 503,
// others → 500. Error bodies: {"error": "message", "code": "InvalidArgument", "sqlstate":
// "42703"} — code is the StatusCode's name, sqlstate what pgwire sends for the same error
// (common/sqlstate.h: from the error's codes, never its message).
//
// Thread safety: the handler is thread-safe (the Engine is).
#pragma once

#include "auth/guard.h"
#include "engine/engine.h"
#include "server/firehose.h"
#include "server/http_server.h"

namespace laminar::server {

struct ApiOptions {
  FirehoseOptions firehose;
  // Authentication, scopes, rate limits and the audit log; not owned. nullptr: authentication off.
  auth::Guard* guard = nullptr;
};

Handler MakeApiHandler(engine::Engine* engine, ApiOptions options = {});

// The route table: every route with the policy its caller must satisfy ("public",
// "authenticated", "query", "ingest:{stream}", "admin"). GET /v1/routes answers the same (with
// whether the caller may use each).
struct RouteInfo {
  std::string method, path, policy, summary;
};
std::vector<RouteInfo> ApiRoutes();

// JSON text of a query result: {"columns":[{"name","type"}],"rows":[[...]],"stats":{...}}.
std::string QueryResultJson(const serving::QueryResult& r);
// CSV with a header row (RFC 4180 quoting).
std::string QueryResultCsv(const serving::QueryResult& r);
// JSON text of verification reports: {"ok": bool, "views": [{"view", "ok", "diffs", ...}]}.
std::string VerifyJson(const std::vector<engine::VerifyReport>& reports);

}  // namespace laminar::server
