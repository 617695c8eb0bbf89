#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/auth_cli.h"
#include "app/config.h"
#include "app/gen.h"
#include "app/import.h"
#include "app/lake_cli.h"
#include "common/file_util.h"
#include "common/time_util.h"
#include "server/api.h"

namespace laminar::app {
namespace {

using nlohmann::json;

// Blocks SIGINT/SIGTERM in every thread (call before starting any), so that WaitForSignal
// receives them.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);  // reloads the TLS certificate (WaitForStop)
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int WaitForSignal(const sigset_t& set) {
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

int Fail(const Status& st) {
  std::fprintf(stderr, "laminar: %s\n", st.message().c_str());
  return 1;
}

struct Running {
  std::unique_ptr<auth::Guard> guard;  // outlives the servers (declared first, destroyed last)
  std::shared_ptr<auth::TlsContext> tls;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<server::HttpServer> http;
  std::unique_ptr<pgwire::PgServer> pg;  // null with --pg off
};

bool Loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// Secure defaults: without authentication the server listens on loopback addresses only, unless
// --insecure says otherwise.
Status CheckExposure(const ServerConfig& cfg) {
  if (cfg.auth.enabled || cfg.insecure) return Status::OK();
  std::vector<std::string> open;
  if (!Loopback(cfg.http.host)) open.push_back(fmt::format("HTTP on {}:{}", cfg.http.host, cfg.http.port));
  if (cfg.pg_enabled && !Loopback(cfg.pg.host)) open.push_back(fmt::format("PostgreSQL on {}:{}", cfg.pg.host, cfg.pg.port));
  if (open.empty()) return Status::OK();
  return PermissionDenied("refusing to listen ({}) without authentication: anyone who reaches the address could read, "
                          "write and drop everything. Configure [auth] tokens or users (laminar token create, laminar "
                          "user create), listen on 127.0.0.1, or pass --insecure",
                          fmt::join(open, ", "));
}

Result<Running> StartServer(ServerConfig cfg, const std::string& catalog_file) {
  RETURN_IF_ERROR(CheckExposure(cfg));
  Running r;
  ASSIGN_OR_RETURN(r.engine, engine::Engine::Open(cfg.engine));
  std::string audit = cfg.auth.audit_log.empty() ? cfg.engine.data_dir + "/audit.log" : cfg.auth.audit_log;
  ASSIGN_OR_RETURN(r.guard, auth::Guard::Make(cfg.auth, audit));
  if (cfg.auth.enabled) {
    spdlog::info("authentication on: {} token(s), {} user(s); audit log {}", cfg.auth.tokens.size(),
                 cfg.auth.users.size(), audit);
  } else if (cfg.insecure) {
    spdlog::warn("authentication is OFF and --insecure is given: every client that reaches {}:{} may do everything",
                 cfg.http.host, cfg.http.port);
  } else {
    spdlog::info("authentication off: listening on loopback only (configure [auth] to serve other machines)");
  }
  // Roles made in SQL (catalog/roles.cc) log in as users do; a config user of the same name wins.
  r.guard->set_role_lookup([engine = r.engine.get()](const std::string& name) -> std::optional<auth::UserEntry> {
    catalog::SnapshotPtr snap = engine->catalog();
    auto it = snap->roles.find(name);
    if (it == snap->roles.end() || !it->second->login || it->second->verifier.empty()) return std::nullopt;
    auth::UserEntry user{name, it->second->verifier, {}, {}};
    for (const std::string& text : it->second->scopes)
      if (auto scope = auth::ParseScope(text); scope.ok()) user.scopes.push_back(*scope);
    if (it->second->superuser) user.scopes.push_back(auth::Scope{auth::ScopeKind::kAdmin, {}});
    return user;
  });
  cfg.api.guard = r.guard.get();
  cfg.pg.guard = r.guard.get();
  if (cfg.tls.enabled()) {
    ASSIGN_OR_RETURN(r.tls, auth::TlsContext::Load(cfg.tls));
    cfg.pg.tls = r.tls;
    cfg.http.tls = r.tls;
    spdlog::info("TLS on HTTP and the PostgreSQL protocol{} ({}); SIGHUP reloads the certificate",
                 cfg.tls.required ? ", required" : "", cfg.tls.cert_file);
  }
  cfg.http.on_refusal = [guard = r.guard.get()](const std::string& remote, const std::string& why) {
    guard->Audit({"denied", "", "", "http", remote, "connection", why});
  };
  if (!catalog_file.empty()) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(catalog_file));
    RETURN_IF_ERROR(r.engine->ApplyCatalogFile(text));
  }
  ASSIGN_OR_RETURN(r.http, server::HttpServer::Start(cfg.http, server::MakeApiHandler(r.engine.get(), cfg.api)));
  if (cfg.pg_enabled) {
    auto pg = pgwire::PgServer::Start(cfg.pg, r.engine.get());
    if (!pg.ok() && cfg.pg_explicit) return pg.status();
    if (!pg.ok()) {
      spdlog::warn("PostgreSQL protocol not started: {}", pg.status().message());
    } else {
      r.pg = std::move(pg).value();
      spdlog::info("PostgreSQL protocol on {}:{} ({}, {})", cfg.pg.host, r.pg->port(),
                   cfg.auth.enabled ? "SCRAM-SHA-256" : "no authentication", r.tls ? "TLS" : "no TLS");
    }
  }
  return r;
}

// Waits for SIGINT or SIGTERM; a SIGHUP meanwhile reloads the TLS certificate and key (new
// connections get them; open ones keep theirs).
void WaitForStop(Running& r, const sigset_t& signals) {
  while (WaitForSignal(signals) == SIGHUP) {
    if (!r.tls) continue;
    if (Status st = r.tls->Reload(); !st.ok()) {
      spdlog::error("SIGHUP: the TLS certificate was not reloaded (the old one stays): {}", st.message());
    } else {
      spdlog::info("SIGHUP: TLS certificate reloaded from {}", r.tls->options().cert_file);
    }
  }
}

void Shutdown(Running& r) {
  spdlog::info("shutting down");
  if (r.pg) r.pg->Stop();
  if (r.http) r.http->Stop();
  if (r.engine) {
    Status st = r.engine->Close();
    if (!st.ok()) spdlog::error("closing the engine: {}", st.ToString());
  }
}

std::string Table(const json& result) {
  const auto& cols = result["columns"];
  const auto& rows = result["rows"];
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> width(cols.size());
  std::vector<std::string> header;
  for (size_t i = 0; i < cols.size(); i++) {
    header.push_back(cols[i]["name"].get<std::string>());
    width[i] = header[i].size();
  }
  for (const auto& row : rows) {
    std::vector<std::string> line;
    for (size_t i = 0; i < row.size(); i++) {
      std::string s = row[i].is_null() ? "" : row[i].is_string() ? row[i].get<std::string>() : row[i].dump();
      width[i] = std::max(width[i], s.size());
      line.push_back(std::move(s));
    }
    cells.push_back(std::move(line));
  }
  auto fmt_line = [&](const std::vector<std::string>& l, bool right_numbers) {
    std::string out;
    for (size_t i = 0; i < l.size(); i++) {
      std::string type = cols[i]["type"].get<std::string>();
      bool num = right_numbers && (type == "bigint" || type == "double");
      std::string pad(width[i] - l[i].size(), ' ');
      out += (i ? " | " : " ") + (num ? pad + l[i] : l[i] + pad);
    }
    return out + "\n";
  };
  std::string out = fmt_line(header, false);
  for (size_t i = 0; i < width.size(); i++) out += (i ? "-+-" : "-") + std::string(width[i], '-');
  out += "-\n";
  for (const auto& l : cells) out += fmt_line(l, true);
  out += fmt::format("({} row{})\n", cells.size(), cells.size() == 1 ? "" : "s");
  return out;
}

const char* kDemoCatalog = R"(
CREATE MATERIALIZED VIEW pv_minute AS
  SELECT date_trunc('minute', ts) AS minute, url, count(*) AS views, avg(latency_ms) AS avg_latency,
         max(latency_ms) AS max_latency, sum(bytes) AS bytes
  FROM pageviews GROUP BY 1, 2;
CREATE MATERIALIZED VIEW pv_country_hourly AS
  SELECT date_trunc('hour', ts) AS hour, country, device, count(*) AS views,
         count(referrer) AS referred, avg(latency_ms) AS avg_latency
  FROM pageviews GROUP BY 1, 2, 3;
CREATE MATERIALIZED VIEW status_codes AS
  SELECT date_trunc('minute', ts) AS minute, status, count(*) AS responses, min(latency_ms) AS min_latency
  FROM pageviews GROUP BY 1, 2;
)";

int RunDemo(ServerConfig cfg, double rate) {
  sigset_t signals = BlockStopSignals();
  std::string catalog = std::string(kPageviewsDdl) + ";\n" + kDemoCatalog;
  std::string tmp = JoinPath(cfg.engine.data_dir, "demo-catalog.sql");
  if (Status st = CreateDirs(cfg.engine.data_dir); !st.ok()) return Fail(st);
  if (Status st = WriteFileAtomic(tmp, catalog); !st.ok()) return Fail(st);
  auto r = StartServer(cfg, tmp);
  if (!r.ok()) return Fail(r.status());
  std::string addr = fmt::format("{}:{}", cfg.http.host, r->http->port());
  std::printf(
      "Laminar demo: serving on http://%s (data in %s), generating %.0f pageviews/s.\n\n"
      "Try:\n"
      "  curl -s http://%s/v1/views\n"
      "  curl -s http://%s/v1/query -d '{\"sql\": \"SELECT url, sum(views) AS views, avg(avg_latency) AS latency FROM pv_minute GROUP BY url ORDER BY views DESC LIMIT 5\"}'\n"
      "  curl -s http://%s/v1/query -H 'Accept: text/csv' -d '{\"sql\": \"SELECT country, device, views FROM pv_country_hourly ORDER BY views DESC LIMIT 10\"}'\n"
      "  curl -s http://%s/v1/query -d '{\"sql\": \"SELECT status, sum(responses) FROM status_codes GROUP BY 1 ORDER BY 1\"}'\n"
      "  laminar query --http %s \"SELECT minute, url, views FROM pv_minute ORDER BY minute DESC, views DESC LIMIT 10\"\n"
      "  laminar batch run --http %s        # publish new batch view versions now\n"
      "  laminar verify --http %s           # compare every view with a from-scratch recompute\n"
      "  curl -s http://%s/v1/streams/pageviews/events -H 'Content-Type: application/x-ndjson' \\\n"
      "       --data-binary '{\"ts\": \"2024-01-01T00:00:00Z\", \"url\": \"/hello\", \"country\": \"US\"}'\n\n"
      "Ctrl-C stops.\n",
      addr.c_str(), cfg.engine.data_dir.c_str(), rate, addr.c_str(), addr.c_str(), addr.c_str(),
      addr.c_str(), addr.c_str(), addr.c_str(), addr.c_str(), addr.c_str());
  if (r->pg) std::printf("PostgreSQL protocol: psql \"host=%s port=%u user=demo dbname=laminar\"\n", cfg.pg.host.c_str(),
                         unsigned(r->pg->port()));
  std::fflush(stdout);
  std::atomic<bool> stop{false};
  std::thread gen([&] {
    GenOptions o;
    o.events = UINT64_MAX;
    o.seed = static_cast<uint64_t>(NowMicros());
    o.start_micros = NowMicros();
    o.rate = rate;
    PageviewGenerator g(o);
    const int kBatchesPerSecond = 10;
    size_t per_batch = std::max<size_t>(1, size_t(rate / kBatchesPerSecond));
    int64_t next = MonotonicMicros();
    while (!stop) {
      std::string body;
      for (size_t i = 0; i < per_batch; i++) body += g.NextLine() + "\n";
      auto res = r->engine->Ingest("pageviews", "application/x-ndjson", "", body);
      if (!res.ok()) spdlog::warn("demo generator: {}", res.status().ToString());
      next += 1'000'000 / kBatchesPerSecond;
      int64_t wait = next - MonotonicMicros();
      if (wait > 0) std::this_thread::sleep_for(std::chrono::microseconds(wait));
    }
  });
  WaitForStop(*r, signals);
  stop = true;
  gen.join();
  Shutdown(*r);
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
  // Create spdlog's registry before any thread exists (it is otherwise created lazily by the
  // first log call, which may race with the server's threads).
  spdlog::set_level(spdlog::level::info);
  CLI::App app{"laminar: batch and real-time analytics in one binary"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "laminar 0.1.0");

  int exit_code = 0;
  AddAuthCommands(app, &exit_code);

  auto* version = app.add_subcommand("version", "print the version");
  version->callback([] { std::printf("laminar 0.1.0\n"); });

  // serve / demo share the server options.
  ServerConfig cfg;
  std::string pg_addr;
  std::string http_addr, config_file, catalog_file, durability, data_dir;
  bool salvage_wal = false;
  std::vector<std::string> import_dirs;
  auto add_server_opts = [&](CLI::App* c) {
    c->add_option("--data-dir", data_dir, "data directory (default ./laminar-data)");
    c->add_option("--http", http_addr, "HTTP listen address HOST:PORT (default 127.0.0.1:8080)");
    c->add_option("--config", config_file, "TOML configuration file")->check(CLI::ExistingFile);
    c->add_option("--durability", durability, "fsync (default) or none");
    c->add_option("--pg", pg_addr, "PostgreSQL protocol listen address HOST:PORT (default 127.0.0.1:5433), or off");
    c->add_option("--import-dir", import_dirs,
                  "a directory whose files clients may name in COPY ... FROM '/path' and lake attach (repeatable; "
                  "replaces [import] dirs; default DATA_DIR/import)");
    c->add_flag("--insecure", cfg.insecure,
                "listen on a non-loopback address without authentication (otherwise refused when [auth] has no "
                "tokens or users)");
    c->add_flag("--salvage-wal", salvage_wal,
                "start despite a damaged or missing log segment: keep every valid record and report the events lost "
                "(without it such damage stops the start, naming the file)");
  };
  auto resolve_config = [&](const std::string& default_dir) -> Status {
    cfg.engine.data_dir = default_dir;
    if (!config_file.empty()) RETURN_IF_ERROR(LoadConfigFile(config_file, &cfg));
    if (!data_dir.empty()) cfg.engine.data_dir = data_dir;
    if (!http_addr.empty()) RETURN_IF_ERROR(server::ParseHostPort(http_addr, &cfg.http.host, &cfg.http.port));
    if (!durability.empty()) {
      ASSIGN_OR_RETURN(cfg.engine.log.sync, ParseDurability(durability));
    }
    if (!pg_addr.empty()) RETURN_IF_ERROR(ParsePgAddress(pg_addr, &cfg).WithContext("--pg"));
    if (salvage_wal) cfg.engine.log.salvage = true;
    if (!import_dirs.empty()) {
      for (const std::string& d : import_dirs)
        if (d.empty() || d[0] != '/') return InvalidArgument("--import-dir {}: give an absolute path", d);
      cfg.engine.import_dirs = import_dirs;
    }
    cfg.http.max_body_bytes = std::max(cfg.http.max_body_bytes, cfg.engine.ingest.max_body_bytes);
    return Status::OK();
  };

  auto* serve = app.add_subcommand("serve", "run the server");
  add_server_opts(serve);
  serve->add_option("--catalog", catalog_file, "SQL file of streams and views to apply at start")
      ->check(CLI::ExistingFile);
  serve->callback([&] {
    if (Status st = resolve_config("laminar-data"); !st.ok()) {
      exit_code = Fail(st);
      return;
    }
    sigset_t signals = BlockStopSignals();
    auto r = StartServer(cfg, catalog_file);
    if (!r.ok()) {
      exit_code = Fail(r.status());
      return;
    }
    spdlog::info("laminar serving HTTP on {}:{}, data dir {}", cfg.http.host, r->http->port(), cfg.engine.data_dir);
    // These lines name the bound ports (with port 0 in the config, the ones the kernel picked):
    // whoever starts laminar reads them instead of guessing a free port beforehand. The HTTP
    // line comes last: when it is printed, everything listens.
    if (r->pg) std::printf("laminar: PostgreSQL protocol on %s:%u\n", cfg.pg.host.c_str(), unsigned(r->pg->port()));
    std::printf("laminar: listening on http://%s:%u\n", cfg.http.host.c_str(), unsigned(r->http->port()));
    std::fflush(stdout);
    WaitForStop(*r, signals);
    Shutdown(*r);
  });

  auto* demo = app.add_subcommand("demo", "serve with a built-in pageviews stream, views and a live generator");
  add_server_opts(demo);
  double demo_rate = 2000;
  demo->add_option("--rate", demo_rate, "generated events per second")->check(CLI::Range(1.0, 1e6));
  demo->callback([&] {
    if (Status st = resolve_config("laminar-demo-data"); !st.ok()) {
      exit_code = Fail(st);
      return;
    }
    if (config_file.empty()) {
      // Show the whole pipeline within seconds: segments sealed every 10 s, batch runs every 15 s.
      cfg.engine.log.segment_max_age = std::chrono::seconds(10);
      cfg.engine.batch_interval_ms = 15'000;
    }
    exit_code = RunDemo(cfg, demo_rate);
  });

  auto* gen = app.add_subcommand("gen", "print synthetic events as NDJSON");
  std::string gen_kind;
  GenOptions gen_opts;
  gen_opts.events = 1000;
  std::string gen_start;
  gen->add_option("kind", gen_kind, "what to generate: pageviews")->required()->check(CLI::IsMember({"pageviews"}));
  gen->add_option("--events", gen_opts.events, "how many events");
  gen->add_option("--seed", gen_opts.seed, "random seed");
  gen->add_option("--start", gen_start, "event time of the first event (ISO-8601; default now)");
  gen->add_option("--rate", gen_opts.rate, "events per second of event time");
  bool gen_ddl = false;
  gen->add_flag("--ddl", gen_ddl, "print the stream's CREATE TABLE instead of events");
  gen->callback([&] {
    if (gen_ddl) {
      std::printf("%s;\n", kPageviewsDdl);
      return;
    }
    gen_opts.start_micros = NowMicros();
    if (!gen_start.empty()) {
      auto t = ParseTimestamp(gen_start);
      if (!t) {
        exit_code = Fail(InvalidArgument("--start: invalid timestamp \"{}\"", gen_start));
        return;
      }
      gen_opts.start_micros = *t;
    }
    PageviewGenerator g(gen_opts);
    std::string buf;
    for (uint64_t i = 0; i < gen_opts.events; i++) {
      buf += g.NextLine();
      buf += '\n';
      if (buf.size() > (1 << 20)) {
        std::fwrite(buf.data(), 1, buf.size(), stdout);
        buf.clear();
      }
    }
    std::fwrite(buf.data(), 1, buf.size(), stdout);
  });

  auto* ingest_cmd = app.add_subcommand("ingest", "import an NDJSON, CSV or Parquet file into a stream of a running server");
  std::string client_http = "127.0.0.1:8080";
  IngestCommand ing;
  std::string ing_format = "auto", ing_delimiter, ing_null;
  ingest_cmd->add_option("stream", ing.stream, "stream name")->required();
  ingest_cmd->add_option("file", ing.file, "file to import: .ndjson/.jsonl/.json, .csv/.tsv, .parquet; gzip/zstd "
                                           "compressed NDJSON/CSV too ('-' for standard input)")->required();
  ingest_cmd->add_option("--http", client_http, "server address HOST:PORT");
  ingest_cmd->add_option("--batch", ing.batch, "rows per request")->check(CLI::Range(size_t{1}, size_t{1000000}));
  ingest_cmd->add_option("--format", ing_format, "auto (by name, then content), ndjson, csv or parquet")
      ->check(CLI::IsMember({"auto", "ndjson", "jsonl", "json", "csv", "parquet"}));
  ingest_cmd->add_option("--delimiter", ing_delimiter, "CSV field delimiter, one character or \\t (default , or tab for .tsv)");
  ingest_cmd->add_option("--null-string", ing_null, "CSV: an unquoted field equal to this is NULL (empty unquoted fields always are)");
  ingest_cmd->add_flag("--ignore-unknown", ing.options.ignore_unknown, "skip file columns the stream does not have");
  ingest_cmd->add_option("--errors", ing.errors_file, "write every rejected row to this file as NDJSON");
  ingest_cmd->add_flag("--compress", ing.compress, "send zstd-compressed request bodies");
  ingest_cmd->add_flag("--quiet", ing.quiet, "no progress output");
  ingest_cmd->callback([&] {
    ing.http = client_http;
    ing.options.format = *ParseFileFormat(ing_format);
    if (ingest_cmd->count("--null-string")) ing.options.null_string = ing_null;
    if (ing_delimiter == "\\t" || ing_delimiter == "tab") ing_delimiter = "\t";
    if (ing_delimiter.size() > 1 || ing_delimiter == "\"" || ing_delimiter == "\n" || ing_delimiter == "\r") {
      exit_code = Fail(InvalidArgument("--delimiter must be one character other than a quote or a newline"));
      return;
    }
    if (!ing_delimiter.empty()) ing.options.delimiter = ing_delimiter[0];
    exit_code = RunIngestCommand(ing);
  });

  auto* query_cmd = app.add_subcommand("query", "run a SQL query against a running server");
  std::string q_sql, q_format = "table";
  query_cmd->add_option("sql", q_sql, "the SQL query")->required();
  query_cmd->add_option("--http", client_http, "server address HOST:PORT");
  query_cmd->add_option("--format", q_format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
  query_cmd->callback([&] {
    std::string host;
    uint16_t port;
    if (Status st = server::ParseHostPort(client_http, &host, &port); !st.ok()) {
      exit_code = Fail(st);
      return;
    }
    std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}};
    if (q_format == "csv") headers["Accept"] = "text/csv";
    auto resp = server::HttpCall(host, port, "POST", "/v1/query", json({{"sql", q_sql}}).dump(), headers);
    if (!resp.ok()) {
      exit_code = Fail(resp.status());
      return;
    }
    if (resp->status != 200) {
      json j = json::parse(resp->body, nullptr, false);
      std::fprintf(stderr, "ERROR: %s\n",
                   j.is_object() && j.contains("error") ? j["error"].get<std::string>().c_str() : resp->body.c_str());
      exit_code = 1;
      return;
    }
    if (q_format != "table") {
      std::fwrite(resp->body.data(), 1, resp->body.size(), stdout);
      if (q_format == "json") std::printf("\n");
      return;
    }
    std::string t = Table(json::parse(resp->body));
    std::fwrite(t.data(), 1, t.size(), stdout);
  });

  // Client calls that POST a JSON body and print or check the JSON answer.
  auto post_json = [&](const std::string& path, const json& body) -> Result<json> {
    std::string host;
    uint16_t port;
    RETURN_IF_ERROR(server::ParseHostPort(client_http, &host, &port));
    ASSIGN_OR_RETURN(auto resp, server::HttpCall(host, port, "POST", path, body.dump(),
                                                 {{"Content-Type", "application/json"}}));
    json j = json::parse(resp.body, nullptr, false);
    if (resp.status != 200)
      return Status(StatusCode::kUnavailable, j.is_object() && j.contains("error") ? j["error"].get<std::string>() : resp.body);
    if (j.is_discarded()) return Internal("the server answered with invalid JSON");
    return j;
  };

  auto* batch_cmd = app.add_subcommand("batch", "the batch layer");
  auto* batch_run = batch_cmd->add_subcommand("run", "run the batch layer now on a running server");
  batch_cmd->require_subcommand(1);
  bool b_full = false;
  std::string b_view;
  batch_run->add_flag("--full", b_full, "recompute from the whole lake instead of incrementally");
  batch_run->add_option("--view", b_view, "only this view");
  batch_run->add_option("--http", client_http, "server address HOST:PORT");
  batch_run->callback([&] {
    json body = {{"full", b_full}};
    if (!b_view.empty()) body["view"] = b_view;
    auto r = post_json("/v1/batch/run", body);
    if (!r.ok()) {
      exit_code = Fail(r.status());
      return;
    }
    for (const auto& v : (*r)["views"])
      std::printf("%-24s version %-6llu horizon %-10llu rows %-8llu %s %.1f ms%s\n",
                  v["view"].get<std::string>().c_str(), (unsigned long long)v["version"].get<uint64_t>(),
                  (unsigned long long)v["horizon"].get<uint64_t>(), (unsigned long long)v["rows"].get<uint64_t>(),
                  v["published"].get<bool>() ? (v["full"].get<bool>() ? "published (full)" : "published (incremental)")
                                             : "unchanged",
                  v["build_ms"].get<double>(), "");
    std::printf("log segments deleted: %llu, lake files dropped: %llu, %.1f ms\n",
                (unsigned long long)(*r)["log_segments_deleted"].get<uint64_t>(),
                (unsigned long long)(*r)["lake_files_dropped"].get<uint64_t>(), (*r)["elapsed_ms"].get<double>());
  });

  auto* recover_cmd = app.add_subcommand(
      "recover-catalog", "rebuild a lost catalog file from the data directory (offline): streams from their lakes, "
                         "dimension tables from their files, views from their batch versions");
  recover_cmd->add_option("--data-dir", data_dir, "data directory (default ./laminar-data)");
  recover_cmd->add_option("--config", config_file, "TOML configuration file (for the lake's URL)")->check(CLI::ExistingFile);
  recover_cmd->callback([&] {
    if (Status st = resolve_config("laminar-data"); !st.ok()) {
      exit_code = Fail(st);
      return;
    }
    auto r = engine::RecoverCatalog(cfg.engine);
    if (!r.ok()) {
      exit_code = Fail(r.status());
      return;
    }
    for (const auto& what : r->recovered) std::printf("recovered %s\n", what.c_str());
    for (const auto& what : r->unrecovered) std::printf("NOT recovered: %s\n", what.c_str());
    std::printf("wrote %s/catalog (%zu objects)%s\n", cfg.engine.data_dir.c_str(), r->recovered.size(),
                r->unrecovered.empty() ? "" : "; see what was not recovered above");
    if (!r->unrecovered.empty()) exit_code = 1;
  });

  auto* verify_cmd = app.add_subcommand(
      "verify", "recompute views from scratch (lake + log tail) and compare with what serving answers");
  std::string v_view, v_http;
  verify_cmd->add_option("--view", v_view, "only this view");
  verify_cmd->add_option("--data-dir", data_dir, "offline: a data directory whose server is stopped");
  verify_cmd->add_option("--config", config_file, "TOML configuration file (offline)")->check(CLI::ExistingFile);
  verify_cmd->add_option("--http", v_http, "online: a running server HOST:PORT");
  verify_cmd->callback([&] {
    json report;
    if (!v_http.empty()) {
      if (!data_dir.empty()) {
        exit_code = Fail(InvalidArgument("give either --data-dir (offline) or --http (online), not both"));
        return;
      }
      client_http = v_http;
      json body = json::object();
      if (!v_view.empty()) body["view"] = v_view;
      auto r = post_json("/v1/verify", body);
      if (!r.ok()) {
        exit_code = Fail(r.status());
        return;
      }
      report = *r;
    } else {
      if (Status st = resolve_config("laminar-data"); !st.ok()) {
        exit_code = Fail(st);
        return;
      }
      cfg.engine.read_only = true;
      auto e = engine::Engine::Open(cfg.engine);
      if (!e.ok()) {
        exit_code = Fail(e.status().WithContext(
            e.status().code() == StatusCode::kUnavailable ? "is the server running? use --http" : "opening the data dir"));
        return;
      }
      auto r = (*e)->Verify(v_view);
      (*e)->Close().IgnoreError();
      if (!r.ok()) {
        exit_code = Fail(r.status());
        return;
      }
      report = json::parse(server::VerifyJson(*r));
    }
    for (const auto& v : report["views"]) {
      std::printf("%s: %s — %llu rows served, %llu from scratch (batch version %llu, horizon %llu, %llu events)\n",
                  v["view"].get<std::string>().c_str(), v["ok"].get<bool>() ? "OK" : "DIFFERS",
                  (unsigned long long)v["served_rows"].get<uint64_t>(),
                  (unsigned long long)v["reference_rows"].get<uint64_t>(),
                  (unsigned long long)v["batch_version"].get<uint64_t>(),
                  (unsigned long long)v["horizon"].get<uint64_t>(), (unsigned long long)v["events"].get<uint64_t>());
      for (const auto& d : v["diffs"])
        std::printf("  (%s): served [%s] from scratch [%s]\n", d["key"].get<std::string>().c_str(),
                    d["served"].get<std::string>().c_str(), d["reference"].get<std::string>().c_str());
    }
    if (!report["ok"].get<bool>()) exit_code = 1;
  });

  RegisterLakeCommands(app, &client_http, &exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}

}  // namespace laminar::app
