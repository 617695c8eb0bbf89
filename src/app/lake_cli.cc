#include "app/lake_cli.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "common/file_util.h"
#include "common/status.h"
#include "lake/parquet_inspect.h"
#include "server/http_server.h"

namespace laminar::app {
namespace {

using nlohmann::json;

int Fail(const Status& st) {
  std::fprintf(stderr, "laminar: %s\n", st.message().c_str());
  return 1;
}

// Calls the server; the parsed JSON of a 200 answer, else an error carrying the server's message.
Result<json> Call(const std::string& http, const std::string& method, const std::string& path,
                  const std::string& body) {
  std::string host;
  uint16_t port = 0;
  RETURN_IF_ERROR(server::ParseHostPort(http, &host, &port));
  std::map<std::string, std::string> headers;
  if (!body.empty()) headers["Content-Type"] = "application/json";
  auto resp = server::HttpCall(host, port, method, path, body, headers);
  if (!resp.ok()) return resp.status().WithContext(fmt::format("cannot reach the server at {}", http));
  json j = json::parse(resp->body, nullptr, false);
  if (resp->status != 200) {
    std::string msg = j.is_object() && j.contains("error") && j["error"].is_string() ? j["error"].get<std::string>()
                                                                                     : resp->body.substr(0, 500);
    StatusCode code = resp->status == 404 ? StatusCode::kNotFound : StatusCode::kInvalidArgument;
    return Status(code, fmt::format("{} {}: {}", method, path, msg));
  }
  if (j.is_discarded()) return Internal("{} {}: the server answered with invalid JSON", method, path);
  return j;
}

uint64_t U64(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return 0;
  return j[key].is_number_unsigned() || j[key].is_number_integer() ? j[key].get<uint64_t>()
                                                                   : static_cast<uint64_t>(j[key].get<double>());
}

std::string Str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

// The table of one stream of GET /v1/lake: a line per partition and a total.
std::string StreamTable(const json& s) {
  struct Part {
    uint64_t files = 0, rows = 0, bytes = 0;
  };
  std::map<std::string, Part> parts;
  Part total;
  if (s.contains("files") && s["files"].is_array()) {
    for (const auto& f : s["files"]) {
      std::string p = Str(f, "partition");
      if (p.empty()) {
        std::string path = Str(f, "path");
        size_t slash = path.rfind('/');
        p = slash == std::string::npos ? "" : path.substr(0, slash);
      }
      Part& part = parts[p];
      part.files++, part.rows += U64(f, "rows"), part.bytes += U64(f, "bytes");
      total.files++, total.rows += U64(f, "rows"), total.bytes += U64(f, "bytes");
    }
  }
  std::string out = fmt::format("{} (manifest version {}, last seq {})\n", Str(s, "stream"),
                                Str(s, "manifest_version").empty() ? "-" : Str(s, "manifest_version"),
                                Str(s, "last_seq").empty() ? "-" : Str(s, "last_seq"));
  if (parts.empty()) return out + "  (no files)\n";
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"partition", "files", "rows", "bytes"});
  for (const auto& [p, v] : parts)
    rows.push_back({p.empty() ? "(none)" : p, std::to_string(v.files), std::to_string(v.rows), std::to_string(v.bytes)});
  rows.push_back({"total", std::to_string(total.files), std::to_string(total.rows), std::to_string(total.bytes)});
  std::vector<size_t> width(4, 0);
  for (const auto& r : rows)
    for (size_t i = 0; i < 4; i++) width[i] = std::max(width[i], r[i].size());
  auto line = [&](const std::vector<std::string>& r) {
    std::string l;
    for (size_t i = 0; i < 4; i++) {
      std::string pad(width[i] - r[i].size(), ' ');
      l += (i ? " | " : " ") + (i == 0 ? r[i] + pad : pad + r[i]);  // numbers (and their headers) right
    }
    return l + "\n";
  };
  for (size_t k = 0; k < rows.size(); k++) {
    if (k == rows.size() - 1 || k == 1) {
      std::string sep;
      for (size_t i = 0; i < 4; i++) sep += (i ? "-+-" : "-") + std::string(width[i], '-');
      out += sep + "-\n";
    }
    out += line(rows[k]);
  }
  return out;
}

}  // namespace

void RegisterLakeCommands(CLI::App& app, std::string* client_http, int* exit_code) {
  struct Args {
    std::string inspect_file, cat_file, ls_stream, attach_stream, attach_file;
    bool inspect_json = false, ls_json = false;
    int64_t cat_limit = -1;
  };
  auto a = std::make_shared<Args>();  // owned by the callbacks, which live as long as `app`
  auto* lake = app.add_subcommand("lake", "look at Parquet files and at a server's lake");
  lake->require_subcommand(1);

  // laminar lake inspect FILE [--json]
  auto* inspect = lake->add_subcommand("inspect", "print a Parquet file's schema, row groups and statistics");
  inspect->add_option("file", a->inspect_file, "Parquet file")->required();
  inspect->add_flag("--json", a->inspect_json, "print JSON instead of text");
  inspect->callback([a, exit_code] {
    auto data = ReadFile(a->inspect_file);
    if (!data.ok()) {
      *exit_code = Fail(data.status());
      return;
    }
    auto text = lake::InspectParquet(a->inspect_file, *data, a->inspect_json);
    if (!text.ok()) {
      *exit_code = Fail(text.status());
      return;
    }
    std::fwrite(text->data(), 1, text->size(), stdout);
    if (!text->empty() && text->back() != '\n') std::fputc('\n', stdout);
  });

  // laminar lake cat FILE [--limit N]
  auto* cat = lake->add_subcommand("cat", "print a Parquet file's rows as NDJSON");
  cat->add_option("file", a->cat_file, "Parquet file")->required();
  cat->add_option("--limit", a->cat_limit, "print at most N rows (default: all)");
  cat->callback([a, exit_code] {
    auto data = ReadFile(a->cat_file);
    if (!data.ok()) {
      *exit_code = Fail(data.status());
      return;
    }
    Status st = lake::CatParquet(a->cat_file, *data, std::cout, a->cat_limit);
    std::cout.flush();
    if (!st.ok()) *exit_code = Fail(st);
  });

  // laminar lake ls [STREAM] [--json]
  auto* ls = lake->add_subcommand("ls", "list a server's lake files by partition (GET /v1/lake)");
  ls->add_option("stream", a->ls_stream, "only this stream");
  ls->add_option("--http", *client_http, "server address HOST:PORT");
  ls->add_flag("--json", a->ls_json, "print the server's JSON");
  ls->callback([a, client_http, exit_code] {
    auto r = Call(*client_http, "GET", a->ls_stream.empty() ? "/v1/lake" : "/v1/lake/" + a->ls_stream, "");
    if (!r.ok()) {
      *exit_code = Fail(r.status());
      return;
    }
    if (a->ls_json) {
      std::printf("%s\n", r->dump(-1, ' ', false, json::error_handler_t::replace).c_str());
      return;
    }
    const json& j = *r;
    if (j.contains("url")) std::printf("lake: %s\n", Str(j, "url").c_str());
    json streams = j.contains("streams") && j["streams"].is_array() ? j["streams"] : json::array();
    if (streams.empty() && j.contains("stream")) streams.push_back(j);  // a single-stream answer
    if (streams.empty()) std::printf("(no streams)\n");
    for (const auto& s : streams) std::printf("\n%s", StreamTable(s).c_str());
  });

  // laminar lake attach STREAM FILE
  auto* attach = lake->add_subcommand("attach", "add an existing Parquet file to a stream's lake (POST /v1/lake/attach)");
  attach->add_option("stream", a->attach_stream, "stream name")->required();
  attach->add_option("file", a->attach_file, "Parquet file (the server reads it by its absolute path)")->required();
  attach->add_option("--http", *client_http, "server address HOST:PORT");
  attach->callback([a, client_http, exit_code] {
    std::error_code ec;
    std::filesystem::path p = std::filesystem::absolute(a->attach_file, ec);
    if (ec || !std::filesystem::is_regular_file(p, ec)) {
      *exit_code = Fail(NotFound("{}: no such file", a->attach_file));
      return;
    }
    std::string path = p.lexically_normal().string();
    json body = {{"stream", a->attach_stream}, {"path", path}};
    auto r = Call(*client_http, "POST", "/v1/lake/attach", body.dump());
    if (!r.ok()) {
      *exit_code = Fail(r.status());
      return;
    }
    const json& j = *r;
    size_t files = j.contains("files") && j["files"].is_array() ? j["files"].size() : 0;
    // The batch run that followed: which views now include the rows.
    std::string views;
    if (j.contains("batch") && j["batch"].is_object() && j["batch"].contains("views")) {
      for (const auto& v : j["batch"]["views"]) {
        if (!v.is_object()) continue;
        views += (views.empty() ? "" : ", ") + Str(v, "view") + " v" + Str(v, "version");
      }
    }
    std::printf("attached %s to %s: %llu rows, seq %s..%s, %zu file%s%s\n", path.c_str(),
                Str(j, "stream").empty() ? a->attach_stream.c_str() : Str(j, "stream").c_str(),
                (unsigned long long)U64(j, "rows"), Str(j, "first_seq").c_str(), Str(j, "last_seq").c_str(), files,
                files == 1 ? "" : "s", views.empty() ? "" : ("; views " + views).c_str());
  });
}

}  // namespace laminar::app
