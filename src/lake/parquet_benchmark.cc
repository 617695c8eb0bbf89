// Microbenchmarks of the Parquet writer and reader (Google Benchmark; scripts/microbench.sh,
// docs/testing.md): a RowBatch of pageview rows written as one lake file (ParquetWriter: Open,
// Write, Finish with its fsync; default WriterOptions: dictionary text, ZSTD level 3, statistics),
// then read back (ParquetReader::Open, which loads the file, and ReadRowGroup of every row group),
// all columns and only two (`ts`, `url`: what a scan that needs them decodes).
// Items are rows; bytes are the rows' raw size (their log encoding, RowBatch::Encode), so
// encode and decode rates compare with the log's and the parser's; the file size is a counter.
//
// Files go to $LAMINAR_BENCH_DIR (default /dev/shm: Finish's fsync and the reads cost no device
// time). The rows have the shape and distributions of app/gen.cc (`laminar gen pageviews`, which
// src/lake may not include): 2,000 events/s of event time, 2% late, ~40 URLs and ~10k users with
// Zipf-like popularity, 15 countries, ~35% null referrers, log-normal latency.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"
#include "lake/parquet_reader.h"
#include "lake/parquet_writer.h"

namespace laminar::lake {
namespace {

using ingest::RowBatch;
using ingest::StreamSchema;

enum PageviewColumn {
  kTs, kUserId, kSessionId, kUrl, kReferrer, kCountry, kDevice, kBrowser, kStatus, kLatency, kBytes
};

// kPageviewsDdl of app/gen.h.
StreamSchema PageviewsSchema() {
  StreamSchema s;
  s.name = "pageviews";
  s.columns = {{"ts", Type::kTimestamp, true},  {"user_id", Type::kText},  {"session_id", Type::kText},
               {"url", Type::kText},            {"referrer", Type::kText}, {"country", Type::kText},
               {"device", Type::kText},         {"browser", Type::kText},  {"status", Type::kInt64},
               {"latency_ms", Type::kDouble},   {"bytes", Type::kInt64}};
  s.event_time_index = 0;
  return s;
}

const char* const kUrls[] = {
    "/", "/products", "/search", "/cart", "/products/1001", "/products/1002", "/products/1003",
    "/products/1004", "/products/1005", "/products/1006", "/products/1007", "/products/1008", "/checkout",
    "/login", "/signup", "/account", "/account/orders", "/blog", "/blog/lambda-architecture",
    "/blog/streaming-101", "/blog/parquet-tips", "/about", "/contact", "/help", "/help/shipping",
    "/help/returns", "/pricing", "/careers", "/api/recommendations", "/api/cart", "/api/search", "/deals",
    "/deals/weekly", "/gift-cards", "/stores", "/stores/berlin", "/stores/new-york", "/privacy", "/terms",
    "/sitemap.xml"};
const char* const kCountries[] = {"US", "IN", "DE", "GB", "BR", "FR", "JP", "CA",
                                  "NL", "ES", "IT", "AU", "MX", "PL", "SE"};
const char* const kDevices[] = {"desktop", "mobile", "tablet"};
const char* const kBrowsers[] = {"Chrome", "Safari", "Edge", "Firefox", "Samsung Internet"};
const char* const kReferrers[] = {"https://www.google.com/", "https://shop.example.com/", "https://www.bing.com/",
                                  "https://t.co/", "https://news.ycombinator.com/"};
constexpr int64_t kStart = 1'704'708'000 * kMicrosPerSecond;  // 2024-01-08T10:00:00Z

std::discrete_distribution<int> Zipf(int n, double s) {
  std::vector<double> w(n);
  for (int k = 1; k <= n; k++) w[k - 1] = 1.0 / std::pow(k, s);
  return std::discrete_distribution<int>(w.begin(), w.end());
}

// `n` pageview rows from kStart, 2,000 events per second of event time.
RowBatch Pageviews(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> gap(2000 / 1e6);
  std::uniform_real_distribution<double> unit(0, 1);
  std::discrete_distribution<int> user = Zipf(10'000, 1.05), url = Zipf(40, 1.0);
  std::discrete_distribution<int> country{30, 10, 7, 7, 6, 5, 5, 4, 3, 3, 3, 3, 3, 2, 2};
  std::lognormal_distribution<double> latency(std::log(60.0), 0.6), bytes(std::log(18000.0), 0.9);
  RowBatch b(PageviewsSchema());
  double clock = kStart;
  for (size_t i = 0; i < n; i++) {
    clock += gap(rng);
    int64_t ts = static_cast<int64_t>(clock) / 1000 * 1000;  // milliseconds, as gen writes them
    if (unit(rng) < 0.02) ts -= static_cast<int64_t>(unit(rng) * 300e6) / 1000 * 1000;
    int u = user(rng);
    int status = unit(rng) < 0.9 ? 200 : (rng() % 2 ? 304 : 404);
    b.column(kTs).AppendInt(ts);
    b.column(kUserId).AppendText(fmt::format("u{:05d}", u));
    b.column(kSessionId).AppendText(fmt::format(
        "{:016x}", (u * 0x9e3779b97f4a7c15ULL) ^ static_cast<uint64_t>(ts / (30 * kMicrosPerMinute))));
    b.column(kUrl).AppendText(kUrls[url(rng)]);
    if (unit(rng) < 0.35) b.column(kReferrer).AppendNull();
    else b.column(kReferrer).AppendText(kReferrers[rng() % 5]);
    b.column(kCountry).AppendText(kCountries[country(rng)]);
    b.column(kDevice).AppendText(kDevices[u % 3]);
    b.column(kBrowser).AppendText(kBrowsers[rng() % 5]);
    b.column(kStatus).AppendInt(status);
    b.column(kLatency).AppendDouble(std::round(latency(rng) * 10) / 10);
    b.column(kBytes).AppendInt(status == 304 ? 0 : static_cast<int64_t>(bytes(rng)));
    b.FinishRow();
  }
  return b;
}

// A fresh directory for one benchmark's files, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("LAMINAR_BENCH_DIR");
    std::string tmpl = fmt::format("{}/laminar_parquet_benchmark_XXXXXX",
                                   base ? base : (std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp"));
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::perror(("parquet_benchmark: mkdtemp " + tmpl).c_str());
      std::abort();
    }
    path_ = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Writes `rows` as the file `path`; returns the file's size (0 after an error, in `state`).
int64_t WriteFile(benchmark::State& state, const std::string& path, const RowBatch& rows) {
  Result<std::unique_ptr<ParquetWriter>> w = ParquetWriter::Open(path, PageviewsSchema());
  Status st = w.ok() ? (*w)->Write(rows) : w.status();
  if (st.ok()) st = (*w)->Finish();
  if (!st.ok()) {
    state.SkipWithError(st.ToString().c_str());
    return 0;
  }
  return (*w)->bytes_written();
}

// `rows`: what one iteration wrote or decoded.
void SetCounters(benchmark::State& state, const RowBatch& rows, int64_t file_bytes) {
  const int64_t raw = static_cast<int64_t>(rows.Encode().size());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows.num_rows()));
  state.SetBytesProcessed(state.iterations() * raw);
  state.counters["file_bytes"] = static_cast<double>(file_bytes);
  if (rows.num_columns() == PageviewsSchema().columns.size())
    state.counters["raw/file"] = static_cast<double>(raw) / static_cast<double>(file_bytes);
}

// state.range(0) rows → one file (one row group up to ~1M rows: 128 MiB raw per row group).
void BM_ParquetWrite(benchmark::State& state) {
  const RowBatch rows = Pageviews(static_cast<size_t>(state.range(0)), 1);
  TempDir dir;
  const std::string path = dir.path() + "/f.parquet";
  int64_t file_bytes = 0;
  for (auto _ : state) file_bytes = WriteFile(state, path, rows);
  SetCounters(state, rows, file_bytes);
}
BENCHMARK(BM_ParquetWrite)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

// Every row group of the file at `path`, decoded with `schema`'s columns.
Result<RowBatch> ReadFile(const std::string& path, const StreamSchema& schema) {
  ASSIGN_OR_RETURN(std::unique_ptr<ParquetReader> reader, ParquetReader::Open(path));
  RowBatch all(schema);
  for (int g = 0; g < reader->num_row_groups(); g++) {
    ASSIGN_OR_RETURN(RowBatch batch, reader->ReadRowGroup(g, schema));
    if (reader->num_row_groups() == 1) return batch;
    all.AppendBatch(batch);
  }
  return all;
}

// Reads the file back: all columns (state.range(1) = 0) or only ts and url (1; bytes are then
// those two columns' raw size).
void BM_ParquetRead(benchmark::State& state) {
  const RowBatch rows = Pageviews(static_cast<size_t>(state.range(0)), 1);
  TempDir dir;
  const std::string path = dir.path() + "/f.parquet";
  const int64_t file_bytes = WriteFile(state, path, rows);
  StreamSchema read_schema = PageviewsSchema();
  if (state.range(1) == 1) read_schema.columns = {read_schema.columns[kTs], read_schema.columns[kUrl]};
  Result<RowBatch> decoded = ReadFile(path, read_schema);
  if (!decoded.ok() || decoded->num_rows() != rows.num_rows()) {
    state.SkipWithError(decoded.ok() ? "rows lost" : decoded.status().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    Result<RowBatch> batch = ReadFile(path, read_schema);
    benchmark::DoNotOptimize(batch);
  }
  SetCounters(state, *decoded, file_bytes);
}
BENCHMARK(BM_ParquetRead)
    ->ArgNames({"rows", "ts_url_only"})
    ->ArgsProduct({{10'000, 100'000}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace laminar::lake
