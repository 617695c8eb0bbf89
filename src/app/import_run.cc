// The import loop (batches to the server, progress, rejects) and `laminar ingest`; the readers and
// conversions are in import.cc.
#include "app/import.h"
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <future>
#include <map>
#include <unordered_map>
#include "common/time_util.h"
#include "lake/parquet_reader.h"
#include "server/http_server.h"

namespace laminar::app {

using nlohmann::json;

// ---- The batching loop ------------------------------------------------------------------------

namespace {

struct Batch {
  std::string body;
  std::vector<ImportRecord> rows;  // json kept for the errors file; row/line for mapping
};

// Applies the server's answer for `batch`.
Status ApplyAnswer(const Batch& batch, const std::string& answer, const ImportHooks& hooks, ImportProgress* progress) {
  json j = json::parse(answer, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Internal("the server answered with invalid JSON: {}", answer.substr(0, 200));
  uint64_t accepted = j.value("accepted", uint64_t{0});
  uint64_t rejected = j.value("rejected", uint64_t{0});
  progress->accepted += accepted;
  progress->rejected += rejected;
  if (j.contains("errors") && j["errors"].is_array()) {
    for (const auto& e : j["errors"]) {
      RejectedRow r;
      size_t index = e.value("index", size_t{0});
      if (index < batch.rows.size()) {
        r.row = batch.rows[index].row;
        r.line = batch.rows[index].line;
        r.record = batch.rows[index].json;
      }
      r.field = e.value("field", std::string());
      r.reason = e.value("reason", std::string());
      r.by_server = true;
      if (hooks.on_reject) hooks.on_reject(r);
    }
  }
  if (accepted + rejected != batch.rows.size())
    return Internal("the server answered for {} records, {} were sent", accepted + rejected, batch.rows.size());
  return Status::OK();
}

}  // namespace

Status RunImport(RecordReader* reader, size_t batch_rows, size_t batch_bytes, const ImportHooks& hooks,
                 ImportProgress* progress) {
  batch_rows = std::max<size_t>(batch_rows, 1);
  Batch building;
  std::optional<Batch> in_flight;
  std::future<Result<std::string>> answer;

  // Waits for the request in flight and applies its answer.
  auto collect = [&]() -> Status {
    if (!in_flight) return Status::OK();
    Result<std::string> a = answer.get();
    Batch done = std::move(*in_flight);
    in_flight.reset();
    if (!a.ok()) return a.status();
    RETURN_IF_ERROR(ApplyAnswer(done, *a, hooks, progress));
    if (hooks.on_batch_done) hooks.on_batch_done(*progress);
    return Status::OK();
  };
  auto send = [&]() -> Status {
    RETURN_IF_ERROR(collect());
    if (building.rows.empty()) return Status::OK();
    in_flight = std::move(building);
    building = Batch();
    const std::string* body = &in_flight->body;
    answer = std::async(std::launch::async, [&hooks, body] { return hooks.post(*body); });
    return Status::OK();
  };

  Status status;
  ImportRecord rec;
  for (;;) {
    auto more = reader->Next(&rec);
    if (!more.ok()) {
      // The rows read before a damaged part of the file are sent, as they would have been had
      // the batch boundary fallen just before it.
      Status sent = send();
      status = more.status();
      if (!sent.ok()) status = sent;
      break;
    }
    if (!*more) break;
    progress->read++;
    if (!rec.error.empty()) {
      progress->rejected++;
      if (hooks.on_reject) hooks.on_reject(RejectedRow{rec.row, rec.line, "", rec.error, false, ""});
      continue;
    }
    building.body += rec.json;
    building.body.push_back('\n');
    building.rows.push_back(std::move(rec));
    rec = ImportRecord();
    if (building.rows.size() >= batch_rows || building.body.size() >= batch_bytes) {
      status = send();
      if (!status.ok()) break;
    }
  }
  if (status.ok()) status = send();
  Status last = collect();  // never leave a request running
  return status.ok() ? last : status;
}

// ---- laminar ingest ---------------------------------------------------------------------------

namespace {

std::string Compress(const std::string& body) {
  std::string out(ZSTD_compressBound(body.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), body.data(), body.size(), 1);
  if (ZSTD_isError(n)) return std::string();
  out.resize(n);
  return out;
}

std::string ServerError(const server::HttpResponse& resp) {
  json j = json::parse(resp.body, nullptr, false);
  std::string msg = j.is_object() && j.contains("error") && j["error"].is_string() ? j["error"].get<std::string>()
                                                                                   : resp.body.substr(0, 500);
  return fmt::format("the server answered {}: {}", resp.status, msg);
}

}  // namespace

int RunIngestCommand(const IngestCommand& cmd) {
  auto fail = [](const Status& st) {
    std::fprintf(stderr, "laminar: %s\n", st.message().c_str());
    return 1;
  };
  std::string host;
  uint16_t port = 0;
  if (Status st = server::ParseHostPort(cmd.http, &host, &port); !st.ok()) return fail(st);

  auto streams = server::HttpCall(host, port, "GET", "/v1/streams", "");
  if (!streams.ok()) return fail(streams.status().WithContext(fmt::format("cannot reach the server at {}", cmd.http)));
  if (streams->status != 200) return fail(InvalidArgument("GET /v1/streams: {}", ServerError(*streams)));
  auto schema = StreamSchemaFromJson(streams->body, cmd.stream);
  if (!schema.ok()) return fail(schema.status());

  auto reader = RecordReader::Open(cmd.file, *schema, cmd.options);
  if (!reader.ok()) {
    const Status& st = reader.status();
    return fail(st.message().find(cmd.file) == std::string::npos ? st.WithContext(cmd.file) : st);
  }
  if (!cmd.quiet) {
    for (const auto& w : (*reader)->warnings()) std::fprintf(stderr, "laminar: warning: %s\n", w.c_str());
  }

  std::FILE* errors_out = nullptr;
  if (!cmd.errors_file.empty()) {
    errors_out = std::fopen(cmd.errors_file.c_str(), "w");
    if (!errors_out) return fail(IOError("cannot write {}: {}", cmd.errors_file, std::strerror(errno)));
  }
  constexpr size_t kShown = 5;
  std::vector<std::string> first_rejects;

  const bool tty = isatty(2);
  const int64_t start = MonotonicMicros();
  int64_t last_print = start;
  bool printed = false;
  auto print_progress = [&](const ImportProgress& p, bool final) {
    if (cmd.quiet) return;
    int64_t now = MonotonicMicros();
    if (!final && now - last_print < 500'000) return;
    last_print = now;
    double secs = double(now - start) / 1e6;
    double rate = secs > 0 ? double(p.read) / secs : 0;
    if (final) {
      std::fprintf(stderr, "%sdone: %llu rows read, %llu accepted, %llu rejected in %.2f s (%.0f rows/s)\n",
                   printed && tty ? "\n" : "", (unsigned long long)p.read, (unsigned long long)p.accepted,
                   (unsigned long long)p.rejected, secs, rate);
    } else {
      std::fprintf(stderr, "%s%llu rows read, %llu accepted, %llu rejected, %.0f rows/s%s", tty ? "\r" : "",
                   (unsigned long long)p.read, (unsigned long long)p.accepted, (unsigned long long)p.rejected, rate,
                   tty ? "" : "\n");
      printed = true;
    }
  };

  ImportHooks hooks;
  const std::string target = "/v1/streams/" + cmd.stream + "/events";
  hooks.post = [&](const std::string& body) -> Result<std::string> {
    std::map<std::string, std::string> headers = {{"Content-Type", "application/x-ndjson"}};
    std::string compressed;
    if (cmd.compress) {
      compressed = Compress(body);
      if (!compressed.empty()) headers["Content-Encoding"] = "zstd";
    }
    ASSIGN_OR_RETURN(server::HttpResponse resp,
                     server::HttpCall(host, port, "POST", target, compressed.empty() ? body : compressed, headers));
    if (resp.status != 200) {
      if (resp.status == 413)
        return InvalidArgument("{} (use a smaller --batch)", ServerError(resp));
      return InvalidArgument("{}", ServerError(resp));
    }
    return std::move(resp.body);
  };
  hooks.on_reject = [&](const RejectedRow& r) {
    if (first_rejects.size() < kShown) first_rejects.push_back(DescribeReject(r));
    if (errors_out) {
      json j = {{"row", r.row}};
      if (r.line > 0) j["line"] = r.line;
      if (!r.field.empty()) j["field"] = r.field;
      j["reason"] = r.reason;
      j["source"] = r.by_server ? "server" : "client";
      if (!r.record.empty()) {
        json rec = json::parse(r.record, nullptr, false);
        if (!rec.is_discarded()) j["record"] = std::move(rec);
      }
      std::string line = j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
      std::fwrite(line.data(), 1, line.size(), errors_out);
    }
  };
  ImportProgress progress;
  hooks.on_batch_done = [&](const ImportProgress& p) { print_progress(p, false); };

  Status st = RunImport(reader->get(), cmd.batch, 16u << 20, hooks, &progress);
  print_progress(progress, true);
  if (errors_out) std::fclose(errors_out);

  std::printf("accepted %llu, rejected %llu\n", (unsigned long long)progress.accepted,
              (unsigned long long)progress.rejected);
  for (const auto& r : first_rejects) std::printf("  %s\n", r.c_str());
  if (progress.rejected > first_rejects.size())
    std::printf("  ... and %llu more%s\n", (unsigned long long)(progress.rejected - first_rejects.size()),
                cmd.errors_file.empty() ? " (--errors FILE lists them all)" : "");
  std::fflush(stdout);
  if (!st.ok()) return fail(st);
  return progress.rejected ? 2 : 0;
}

}  // namespace laminar::app
