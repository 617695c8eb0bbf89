#include "server/api.h"

#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include <cmath>

#include "common/sqlstate.h"
#include "common/time_util.h"
#include "sql/session.h"

namespace laminar::server {
namespace {

using nlohmann::json;

HttpResponse Json(int status, const json& j) {
  HttpResponse r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

// An error's body: {"error": message, "code": the StatusCode's name, "sqlstate": the SQLSTATE
// pgwire would send for it (common/sqlstate.h)}.
json ErrorJson(const Status& st) {
  return {{"error", st.message()}, {"code", StatusCodeName(st.code())}, {"sqlstate", SqlStateFor(st)}};
}

// The HTTP status comes from the StatusCode alone. `query`: errors of a query are 400 whatever
// the cause (an unknown relation included), except time-outs and server faults.
HttpResponse Error(const Status& st, bool body_limit = false, bool query = false) {
  int code = 500;
  if (st.error_code() == ErrorCode::kDiskFull) return Json(507, ErrorJson(st));  // Insufficient Storage
  switch (st.code()) {
    case StatusCode::kNotFound: code = query ? 400 : 404; break;
    case StatusCode::kInvalidArgument:
    case StatusCode::kUnimplemented: code = 400; break;
    case StatusCode::kAlreadyExists: code = 409; break;
    case StatusCode::kResourceExhausted: code = body_limit ? 413 : 400; break;
    case StatusCode::kDeadlineExceeded: code = 408; break;
    case StatusCode::kCancelled: code = 499; break;
    case StatusCode::kPermissionDenied: code = 403; break;
    case StatusCode::kUnauthenticated: code = 401; break;
    case StatusCode::kUnavailable: code = 503; break;
    default: code = 500;
  }
  return Json(code, ErrorJson(st));
}

json ValueJson(const Value& v) {
  if (v.is_null()) return nullptr;
  switch (v.type()) {
    case Type::kBool: return v.as_bool();
    case Type::kInt64: return v.as_int();
    case Type::kDouble: {
      double d = v.as_double();
      if (std::isfinite(d)) return d;
      return v.ToString();  // "NaN", "Infinity": JSON has no such numbers
    }
    case Type::kText: return v.as_text();
    case Type::kTimestamp: return FormatTimestamp(v.as_int());
    case Type::kDate: return FormatDate(v.as_int());  // "2024-01-08"
  }
  return nullptr;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool StartsWith(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

std::string MediaType(const std::string& content_type) {
  std::string t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return t;
}

HttpResponse HandleIngest(engine::Engine* e, const HttpRequest& req, const std::string& stream, uint64_t* accepted) {
  const bool keyed = req.headers.count("idempotency-key") > 0;
  const std::string key = req.Header("idempotency-key");
  if (keyed && key.empty()) return Error(InvalidArgument("Idempotency-Key must be 1 to 255 printable ASCII characters"));
  auto r = e->Ingest(stream, MediaType(req.Header("content-type")), req.Header("content-encoding"), req.body, key);
  if (!r.ok()) return Error(r.status(), /*body_limit=*/true);
  *accepted = r->replayed ? 0 : r->accepted;
  json errors = json::array();
  for (const auto& err : r->errors) {
    json j = {{"index", err.index}, {"reason", err.reason}};
    if (!err.field.empty()) j["field"] = err.field;
    errors.push_back(j);
  }
  json body = {{"accepted", r->accepted}, {"rejected", r->rejected}, {"errors", errors}};
  body["first_seq"] = r->accepted ? json(r->first_seq) : json(nullptr);
  body["last_seq"] = r->accepted ? json(r->last_seq) : json(nullptr);
  HttpResponse resp = Json(200, body);
  if (r->replayed) resp.headers["Idempotency-Replayed"] = "true";
  return resp;
}

// A streamed query (`"stream": true` or Accept: application/x-ndjson): NDJSON, chunked, rows as
// they are produced and without max_result_rows — {"columns": [...]}, one JSON array per row, then
// {"row_count": n, "stats": {...}} or, when the query fails after the answer began, {"error": ...,
// "code": ..., "sqlstate": ...}. SQL that does not parse gets an ordinary 400; once it parses the
// answer is 200 and any later error (unknown column, a limit, a timeout) is that last line.
HttpResponse StreamQuery(engine::Engine* e, std::string sql) {
  // Plan first, so that bad SQL gets a proper 400: the statement runs inside the stream.
  auto parsed = sql::Parse(sql);
  if (!parsed.ok()) return Error(parsed.status(), false, /*query=*/true);
  if (parsed->size() != 1 || parsed->front().kind != "SelectStmt")
    return Error(InvalidArgument("a streamed query must be one SELECT statement"), false, true);
  HttpResponse resp;
  resp.content_type = "application/x-ndjson";
  // The rows are produced after the handler returns: the caller's session goes with them.
  resp.stream = [e, sql = std::move(sql), session = sql::Session::Current()](const HttpResponse::Writer& write) {
    sql::ScopedSession pin(&session);
    std::string buf;
    std::atomic<bool> gone{false};
    auto flush = [&](bool force) -> Status {
      if (buf.size() < (64u << 10) && !force) return Status::OK();
      Status st = write(buf);
      buf.clear();
      if (!st.ok()) gone = true;
      return st.ok() ? st : Cancelled("the client closed the connection");
    };
    serving::RowSink sink;
    sink.begin = [&](const std::vector<serving::ResultColumn>& cols) -> Status {
      json jc = json::array();
      for (const auto& c : cols) jc.push_back({{"name", c.name}, {"type", TypeShortName(c.type)}});
      buf += json({{"columns", jc}}).dump() + "\n";
      return flush(true);
    };
    sink.row = [&](std::vector<Value>&& row) -> Status {
      json jr = json::array();
      for (const auto& v : row) jr.push_back(ValueJson(v));
      buf += jr.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
      return flush(false);
    };
    auto r = e->Query(sql, &gone, &sink);
    if (gone) return;
    if (!r.ok()) {
      buf += ErrorJson(r.status()).dump() + "\n";
    } else {
      json stats = json::parse(QueryResultJson(*r))["stats"];
      buf += json({{"row_count", std::stoull(r->tag.substr(r->tag.find(' ') + 1))}, {"stats", stats}}).dump() + "\n";
    }
    flush(true).IgnoreError();
  };
  return resp;
}

HttpResponse HandleQuery(engine::Engine* e, const HttpRequest& req) {
  std::string sql;
  bool stream = false;
  // A JSON object ({"sql": ...}) whatever the content type says (curl -d sends a form type);
  // otherwise the body is the SQL text itself (SQL never starts with '{').
  size_t first = req.body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && req.body[first] == '{') {
    json j = json::parse(req.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("sql") || !j["sql"].is_string())
      return Error(InvalidArgument("request body must be a JSON object {{\"sql\": \"SELECT ...\"}}"));
    sql = j["sql"].get<std::string>();
    if (j.contains("stream") && !j["stream"].is_boolean())
      return Error(InvalidArgument("\"stream\" must be true or false"));
    stream = j.value("stream", false);
  } else {
    sql = req.body;  // text/plain or application/sql
  }
  if (stream || req.Header("accept").find("application/x-ndjson") != std::string::npos)
    return StreamQuery(e, std::move(sql));
  auto r = e->Query(sql);
  if (!r.ok()) return Error(r.status(), false, /*query=*/true);
  std::string accept = req.Header("accept");
  if (accept.find("text/csv") != std::string::npos) {
    HttpResponse resp;
    resp.content_type = "text/csv; charset=utf-8";
    resp.body = QueryResultCsv(*r);
    return resp;
  }
  HttpResponse resp;
  resp.body = QueryResultJson(*r);
  return resp;
}

// POST /v1/sql: every statement is checked against the caller's scopes before any runs (all or
// none are allowed); statements that need admin are audited with their outcome, by kind (a role
// statement's text holds a password).
HttpResponse HandleSql(engine::Engine* e, const HttpRequest& req, const auth::Principal& who, auth::Guard* guard) {
  auto parsed = sql::Parse(req.body);
  if (!parsed.ok()) return Error(parsed.status(), false, /*query=*/true);
  if (parsed->empty()) return Error(InvalidArgument("no SQL statement given"), false, true);
  std::vector<bool> admin(parsed->size());
  for (size_t i = 0; i < parsed->size(); i++) {
    const sql::Statement& stmt = (*parsed)[i];
    bool needs_admin = false;
    Status st = auth::AuthorizeStatement(who, stmt, &needs_admin);
    if (st.code() == StatusCode::kPermissionDenied) {
      guard->Audit({"denied", who.name, who.kind, "http", req.remote, "POST /v1/sql: " + sql::DescribeKind(stmt.kind),
                    "403 " + st.message()});
      return Error(st);
    }
    if (!st.ok()) return Error(st, false, true);
    admin[i] = needs_admin;
  }
  json results = json::array();
  for (size_t i = 0; i < parsed->size(); i++) {
    const sql::Statement& stmt = (*parsed)[i];
    auto r = e->Execute(stmt);
    if (admin[i])
      guard->Audit({"admin", who.name, who.kind, "http", req.remote, "POST /v1/sql: " + sql::DescribeKind(stmt.kind),
                    r.ok() ? std::string("ok") : r.status().message()});
    if (!r.ok()) {
      Status st = parsed->size() == 1 ? r.status()
                                      : r.status().WithContext(fmt::format("statement {} ({})", i + 1, stmt.text.substr(0, 60)));
      return Error(st, false, /*query=*/true);
    }
    if (r->is_query) results.push_back(json::parse(QueryResultJson(r->query)));
    else results.push_back({{"tag", r->tag}});
  }
  return Json(200, {{"results", results}});
}

// Optional JSON object body; an empty body is {}.
Result<json> BodyObject(const HttpRequest& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument("the body must be a JSON object");
  return j;
}

json BatchRunJson(const engine::BatchRunResult& r) {
  json views = json::array();
  for (const auto& v : r.views) {
    json j = v.info.Summary();
    j["view"] = v.view;
    j["published"] = v.published;
    j["speed_generations_dropped"] = v.speed_generations_dropped;
    views.push_back(j);
  }
  return {{"views", views}, {"log_segments_deleted", r.log_segments_deleted},
          {"lake_files_dropped", r.lake_files_dropped}, {"elapsed_ms", double(r.elapsed_micros) / 1000.0}};
}

// POST /v1/batch/run {"full": bool, "view": "name"}: answers once the versions are published.
HttpResponse HandleBatchRun(engine::Engine* e, const HttpRequest& req) {
  auto body = BodyObject(req);
  if (!body.ok()) return Error(body.status());
  engine::BatchRunOptions opts;
  for (const auto& [k, v] : body->items()) {
    if (k == "full" && v.is_boolean()) opts.full = v.get<bool>();
    else if (k == "view" && v.is_string()) opts.view = v.get<std::string>();
    else return Error(InvalidArgument("unknown or mistyped field \"{}\" (expected \"full\": bool, \"view\": string)", k));
  }
  auto r = e->RunBatch(opts);
  if (!r.ok()) return Error(r.status());
  return Json(200, BatchRunJson(*r));
}

// POST /v1/lake/attach {"stream": "s", "path": "/abs/file.parquet"}: the file is read by the
// server, so the path is one on the server's machine.
HttpResponse HandleLakeAttach(engine::Engine* e, const HttpRequest& req) {
  auto body = BodyObject(req);
  if (!body.ok()) return Error(body.status());
  std::string stream, path;
  for (const auto& [k, v] : body->items()) {
    if (k == "stream" && v.is_string()) stream = v.get<std::string>();
    else if (k == "path" && v.is_string()) path = v.get<std::string>();
    else return Error(InvalidArgument("unknown or mistyped field \"{}\" (expected \"stream\" and \"path\": strings)", k));
  }
  if (stream.empty() || path.empty()) return Error(InvalidArgument("\"stream\" and \"path\" are required"));
  auto r = e->AttachFile(stream, path);
  if (!r.ok()) return Error(r.status());
  json files = json::array();
  uint64_t bytes = 0;
  for (const auto& f : r->entry.files) {
    files.push_back({{"path", f.path}, {"rows", f.rows}, {"bytes", f.bytes}});
    bytes += f.bytes;
  }
  return Json(200, {{"stream", stream}, {"rows", r->entry.last_seq - r->entry.first_seq + 1},
                    {"first_seq", r->entry.first_seq}, {"last_seq", r->entry.last_seq},
                    {"segment_id", r->entry.segment_id}, {"bytes", bytes}, {"files", files},
                    {"batch", BatchRunJson(r->batch)}});
}

// GET /v1/lake and /v1/lake/{stream}.
HttpResponse HandleLakeList(engine::Engine* e, const std::string& stream) {
  auto r = e->DescribeLakeJson(stream);
  if (!r.ok()) return Error(r.status());
  HttpResponse resp;
  resp.body = std::move(r).value();
  return resp;
}

// POST /v1/verify {"view": "name"}: serving against a from-scratch computation.
HttpResponse HandleVerify(engine::Engine* e, const HttpRequest& req) {
  auto body = BodyObject(req);
  if (!body.ok()) return Error(body.status());
  std::string view;
  for (const auto& [k, v] : body->items()) {
    if (k == "view" && v.is_string()) view = v.get<std::string>();
    else return Error(InvalidArgument("unknown or mistyped field \"{}\" (expected \"view\": string)", k));
  }
  auto r = e->Verify(view);
  if (!r.ok()) return Error(r.status());
  HttpResponse resp;
  resp.body = VerifyJson(*r);
  return resp;
}

const char* kIndexHtml = R"(<!doctype html><html><head><meta charset="utf-8"><title>Laminar</title></head>
<body><h1>Laminar</h1><p>Batch and real-time analytics in one binary.</p><ul>
<li>POST /v1/sql — DDL (CREATE TABLE, CREATE MATERIALIZED VIEW, DROP)</li>
<li>POST /v1/streams/{stream}/events — NDJSON or a JSON array</li>
<li>POST /v1/firehose/{stream} — Amazon Data Firehose's HTTP endpoint delivery</li>
<li>POST /v1/query — {"sql": "SELECT ..."}</li>
<li>POST /v1/batch/run — {"full": false, "view": "name"}</li>
<li>POST /v1/verify — {"view": "name"}</li>
<li>POST /v1/lake/attach — {"stream": "name", "path": "/file.parquet"}; <a href="/v1/lake">GET /v1/lake</a></li>
<li><a href="/v1/streams">GET /v1/streams</a>, <a href="/v1/views">GET /v1/views</a>, <a href="/v1/sources">GET /v1/sources</a></li>
<li><a href="/metrics">GET /metrics</a>, <a href="/healthz">GET /healthz</a></li></ul></body></html>)";

}  // namespace

std::string QueryResultJson(const serving::QueryResult& r) {
  json cols = json::array();
  for (const auto& c : r.columns) cols.push_back({{"name", c.name}, {"type", TypeShortName(c.type)}});
  json rows = json::array();
  for (const auto& row : r.rows) {
    json jr = json::array();
    for (const auto& v : row) jr.push_back(ValueJson(v));
    rows.push_back(std::move(jr));
  }
  const serving::QueryStats& s = r.stats;
  json stats = {{"relation", s.relation}, {"batch_version", s.batch_version}, {"horizon", s.horizon},
                {"rows_from_batch", s.batch_rows}, {"rows_from_speed", s.speed_rows},
                {"speed_generations", s.speed_generations}, {"speed_max_seq", s.speed_max_seq},
                {"definition_version", s.definition_version},
                {"elapsed_ms", double(s.elapsed_micros) / 1000.0}};
  if (s.raw) {
    stats = {{"relation", s.relation}, {"raw", true}, {"lake_last_seq", s.lake_last_seq},
             {"log_last_seq", s.log_last_seq}, {"lake_files", s.lake_files},
             {"lake_files_skipped", s.lake_files_skipped}, {"row_groups", s.row_groups},
             {"row_groups_skipped", s.row_groups_skipped}, {"lake_rows", s.lake_rows},
             {"log_rows", s.log_rows}, {"other_rows", s.other_rows},
             {"elapsed_ms", double(s.elapsed_micros) / 1000.0}};
  }
  json out = {{"columns", cols}, {"rows", rows}, {"row_count", r.rows.size()}, {"stats", stats}};
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string VerifyJson(const std::vector<engine::VerifyReport>& reports) {
  json out = json::array();
  bool ok = true;
  for (const auto& rep : reports) {
    json diffs = json::array();
    for (const auto& d : rep.diffs) diffs.push_back({{"key", d.key}, {"served", d.served}, {"reference", d.reference}});
    ok = ok && rep.diffs.empty();
    out.push_back({{"view", rep.view}, {"ok", rep.diffs.empty()}, {"served_rows", rep.served_rows},
                   {"reference_rows", rep.reference_rows}, {"batch_version", rep.batch_version},
                   {"horizon", rep.horizon}, {"log_last_seq", rep.log_last_seq},
                   {"lake_last_seq", rep.lake_last_seq}, {"events", rep.events}, {"diffs", diffs}});
  }
  return json({{"ok", ok}, {"views", out}}).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string QueryResultCsv(const serving::QueryResult& r) {
  std::string out;
  for (size_t i = 0; i < r.columns.size(); i++) out += (i ? "," : "") + CsvField(r.columns[i].name);
  out += "\r\n";
  for (const auto& row : r.rows) {
    for (size_t i = 0; i < row.size(); i++) out += (i ? "," : "") + CsvField(row[i].ToString());
    out += "\r\n";
  }
  return out;
}

// A request that changes something must carry what a web page cannot send to another origin
// without the browser asking the server first (a CORS preflight, which Laminar never grants):
// a content type other than text/plain, form encodings and text/csv... — JSON, NDJSON or
// application/sql — or the header X-Laminar-Client. So a page the user happens to open cannot
// drop streams or send events by cross-site request forgery. Empty when the request may go on.
std::optional<HttpResponse> CsrfRefusal(const HttpRequest& req) {
  static const std::set<std::string> kSafe = {"application/json",     "application/x-ndjson", "application/ndjson",
                                              "application/jsonl",    "application/x-jsonlines",
                                              "application/jsonlines", "application/sql"};
  std::string type = MediaType(req.Header("content-type"));
  if (kSafe.count(type) || req.headers.count("x-laminar-client")) return std::nullopt;
  return Json(415, {{"error", fmt::format("POST {} with {} is refused: a web page could send it from any site. Send "
                                          "Content-Type: application/json, application/x-ndjson or application/sql "
                                          "(for /v1/sql), or the header X-Laminar-Client: 1",
                                          req.path, type.empty() ? std::string("no Content-Type") : "Content-Type " + type)},
                    {"code", "InvalidArgument"}});
}

namespace {

// What a route's caller needs (auth/scopes.h): the route table declares one for every route, and
// the dispatcher checks it before the handler runs.
enum class Policy {
  kPublic,         // anyone (GET /healthz: liveness; details only with a valid token)
  kAuthenticated,  // any valid token (POST /v1/sql checks each statement itself)
  kQuery,
  kIngest,         // ingest:{stream}
  kAdmin,
};

const char* PolicyName(Policy p) {
  switch (p) {
    case Policy::kPublic: return "public";
    case Policy::kAuthenticated: return "authenticated";
    case Policy::kQuery: return "query";
    case Policy::kIngest: return "ingest:{stream}";
    case Policy::kAdmin: return "admin";
  }
  return "";
}

// One request being answered: the route's parameters ({stream}), the caller, and what the handler
// reports back (accepted events, for the event rate limit).
struct Call {
  engine::Engine* e;
  const HttpRequest& req;
  std::map<std::string, std::string> params;
  const auth::Principal& who;
  bool authenticated;  // credentials were given and valid (or authentication is off)
  auth::Guard* guard;
  const ApiOptions& options;
  uint64_t events = 0;
};

struct Route {
  const char* method;   // GET (HEAD too) or POST
  const char* pattern;  // segments; "{stream}" matches one non-empty segment
  Policy policy;
  const char* summary;
  HttpResponse (*handle)(Call& c);
  // A header that may carry the token when Authorization does not (what a client that cannot
  // send Authorization sends instead), lower case; nullptr: none.
  const char* token_header = nullptr;
};

HttpResponse Text(std::string body, const char* type) {
  HttpResponse r;
  r.content_type = type;
  r.body = std::move(body);
  return r;
}

HttpResponse Healthz(Call& c) {
  std::vector<std::string> problems = c.e->Health();
  if (problems.empty()) return Json(200, {{"status", "ok"}});
  if (!c.authenticated) return Json(503, {{"status", "degraded"}});  // liveness only without a token
  return Json(503, {{"status", "degraded"}, {"problems", problems}});
}

HttpResponse Routes(Call& c);

const std::vector<Route>& Table() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/healthz", Policy::kPublic, "liveness (problems with a token)", Healthz},
      {"GET", "/", Policy::kAuthenticated, "this server's endpoints, as a page",
       [](Call&) { return Text(kIndexHtml, "text/html; charset=utf-8"); }},
      {"GET", "/v1/routes", Policy::kAuthenticated, "every route, its policy and whether the caller may use it", Routes},
      {"POST", "/v1/query", Policy::kQuery, "one SELECT: {\"sql\": ...}", [](Call& c) { return HandleQuery(c.e, c.req); }},
      {"POST", "/v1/sql", Policy::kAuthenticated, "SQL statements, each checked against the caller's scopes",
       [](Call& c) { return HandleSql(c.e, c.req, c.who, c.guard); }},
      {"POST", "/v1/streams/{stream}/events", Policy::kIngest, "events (NDJSON or a JSON array)",
       [](Call& c) { return HandleIngest(c.e, c.req, c.params["stream"], &c.events); }},
      {"POST", "/v1/firehose/{stream}", Policy::kIngest, "Amazon Data Firehose's HTTP endpoint delivery",
       [](Call& c) { return HandleFirehose(c.e, c.req, c.params["stream"], c.options.firehose, &c.events); },
       "x-amz-firehose-access-key"},
      {"POST", "/v1/batch/run", Policy::kAdmin, "run the batch layer", [](Call& c) { return HandleBatchRun(c.e, c.req); }},
      {"POST", "/v1/verify", Policy::kAdmin, "compare served views with a recomputation",
       [](Call& c) { return HandleVerify(c.e, c.req); }},
      {"POST", "/v1/lake/attach", Policy::kAdmin, "attach a Parquet file on the server to a stream's lake",
       [](Call& c) { return HandleLakeAttach(c.e, c.req); }},
      {"GET", "/v1/lake", Policy::kQuery, "the lake's files", [](Call& c) { return HandleLakeList(c.e, ""); }},
      {"GET", "/v1/lake/{stream}", Policy::kQuery, "one stream's lake files",
       [](Call& c) { return HandleLakeList(c.e, c.params["stream"]); }},
      {"GET", "/v1/streams", Policy::kQuery, "streams", [](Call& c) { return Text(c.e->DescribeStreamsJson(), "application/json"); }},
      {"GET", "/v1/views", Policy::kQuery, "views", [](Call& c) { return Text(c.e->DescribeViewsJson(), "application/json"); }},
      {"GET", "/v1/sources", Policy::kQuery, "subscriptions' sources",
       [](Call& c) { return Text(c.e->DescribeSourcesJson(), "application/json"); }},
      {"GET", "/metrics", Policy::kQuery, "Prometheus metrics",
       [](Call& c) { return Text(c.e->MetricsText(), "text/plain; version=0.0.4"); }},
  };
  return kRoutes;
}

// Matches `path` against a route's pattern, filling its parameters.
bool Match(const char* pattern, const std::string& path, std::map<std::string, std::string>* params) {
  std::string_view pat(pattern), p(path);
  params->clear();
  while (!pat.empty() || !p.empty()) {
    if (pat.empty() || p.empty() || pat.front() != '/' || p.front() != '/') return false;
    pat.remove_prefix(1);
    p.remove_prefix(1);
    std::string_view ps = pat.substr(0, pat.find('/')), xs = p.substr(0, p.find('/'));
    if (ps.size() > 2 && ps.front() == '{' && ps.back() == '}') {
      if (xs.empty()) return false;
      (*params)[std::string(ps.substr(1, ps.size() - 2))] = std::string(xs);
    } else if (ps != xs) {
      return false;
    }
    pat.remove_prefix(ps.size());
    p.remove_prefix(xs.size());
  }
  return true;
}

auth::Access AccessOf(const Route& r, const std::map<std::string, std::string>& params) {
  switch (r.policy) {
    case Policy::kPublic:
    case Policy::kAuthenticated: return auth::Access::Authenticated();
    case Policy::kQuery: return auth::Access::Query();
    case Policy::kIngest: return auth::Access::Ingest(params.at("stream"));
    case Policy::kAdmin: return auth::Access::Admin();
  }
  return auth::Access::Admin();
}

HttpResponse Routes(Call& c) {
  json out = json::array();
  for (const Route& r : Table()) {
    json j = {{"method", r.method}, {"path", r.pattern}, {"policy", PolicyName(r.policy)}, {"summary", r.summary}};
    if (r.policy != Policy::kIngest) j["allowed"] = auth::Allows(c.who, AccessOf(r, {}));
    out.push_back(j);
  }
  return Json(200, {{"routes", out}});
}

// An error answer that also goes to the audit log.
HttpResponse Refuse(auth::Guard* guard, const char* event, const auth::Principal* who, const HttpRequest& req,
                    int status, const Status& st) {
  guard->Audit({event, who ? who->name : "", who ? who->kind : "", "http", req.remote, req.method + " " + req.path,
                fmt::format("{} {}", status, st.message())});
  HttpResponse r = Json(status, ErrorJson(st));
  return r;
}

}  // namespace

std::vector<RouteInfo> ApiRoutes() {
  std::vector<RouteInfo> out;
  for (const Route& r : Table()) out.push_back({r.method, r.pattern, PolicyName(r.policy), r.summary});
  return out;
}

Handler MakeApiHandler(engine::Engine* e, ApiOptions options) {
  auto owned = options.guard ? nullptr : std::shared_ptr<auth::Guard>(auth::Guard::Open());
  if (owned) options.guard = owned.get();
  return [e, options = std::move(options), owned](const HttpRequest& req) -> HttpResponse {
    auth::Guard* guard = options.guard;
    const bool get = req.method == "GET" || req.method == "HEAD";
    const Route* route = nullptr;
    bool path_known = false;
    std::map<std::string, std::string> params;
    for (const Route& r : Table()) {
      if (!Match(r.pattern, req.path, &params)) continue;
      path_known = true;
      if ((get && std::string_view(r.method) == "GET") || req.method == r.method) {
        route = &r;
        break;
      }
    }
    // Who is asking, before anything about the route is said: without credentials every path is
    // 401, so endpoints cannot be discovered. A Firehose delivery carries its key in its own header.
    auto who = guard->FromHttp(req.Header("authorization"),
                               route && route->token_header ? req.Header(route->token_header) : "");
    if (!who.ok() && !(route && route->policy == Policy::kPublic)) {
      HttpResponse r = Refuse(guard, "auth_failure", nullptr, req, 401, who.status());
      r.headers["WWW-Authenticate"] = "Bearer realm=\"laminar\"";
      return r;
    }
    if (!route) {
      if (path_known) return Json(405, {{"error", "method " + req.method + " not allowed on " + req.path}});
      return Json(404, {{"error", "no such endpoint: " + req.method + " " + req.path}});
    }
    const auth::Principal anonymous_caller{"", "", {}, {}};
    const auth::Principal& caller = who.ok() ? *who : anonymous_caller;
    auth::Access need = AccessOf(*route, params);
    if (route->policy != Policy::kPublic) {
      if (Status st = auth::Authorize(caller, need, req.method + " " + req.path); !st.ok())
        return Refuse(guard, "denied", &caller, req, 403, st);
      auth::RateLimiter::Decision d = guard->limiter().AdmitRequest(caller);
      if (d.admitted && route->policy == Policy::kIngest) d = guard->limiter().AdmitEvents(caller);
      if (!d.admitted) {
        HttpResponse r = Refuse(guard, "rate_limited", &caller, req, 429,
                                ResourceExhausted("rate limit {} of {} \"{}\" reached; retry after {} s", d.limit,
                                                  caller.kind, caller.name, d.retry_after_seconds));
        r.headers["Retry-After"] = std::to_string(d.retry_after_seconds);
        return r;
      }
    }
    if (req.method == "POST" && req.path != "/v1/query")  // a query changes nothing; every other POST does
      if (auto refused = CsrfRefusal(req)) return *refused;
    Call call{e, req, std::move(params), caller, who.ok(), guard, options};
    // The caller as SQL sees it (current_user) and its own query limits; the default session
    // (no copy) for the anonymous caller of a server without authentication.
    std::optional<sql::Session> session;
    if (who.ok() && !caller.anonymous()) {
      session = sql::Session::Default();
      session->user = caller.name;
      session->query_timeout_micros = int64_t(caller.limits.query_timeout_seconds * 1e6);
      session->query_max_memory_bytes = uint64_t(caller.limits.query_max_memory_mb) << 20;
    }
    sql::ScopedSession pin(session ? &*session : &sql::Session::Current());
    HttpResponse resp = route->handle(call);
    if (call.events) guard->limiter().SpendEvents(caller, call.events);
    if (route->policy == Policy::kAdmin)
      guard->Audit({"admin", caller.name, caller.kind, "http", req.remote, req.method + " " + req.path,
                    std::to_string(resp.status)});
    return resp;
  };
}

}  // namespace laminar::server
