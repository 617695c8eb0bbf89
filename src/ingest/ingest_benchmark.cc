// Microbenchmarks of the ingest kernels (Google Benchmark; scripts/microbench.sh, docs/testing.md):
//   - ParseEvents: a request body of pageview events — NDJSON as `laminar gen pageviews` writes it,
//     or one JSON array — parsed and validated into a RowBatch; also a zstd body (Decompress then
//     ParseEvents), as `laminar ingest --compress` sends it;
//   - RowBatch::Encode (the log record payload, before the append) and RowBatch::Decode (replay).
// Items are events; bytes are the (uncompressed) body for the parsers, the encoded payload for
// Encode/Decode.
//
// The events have the shape and distributions of app/gen.cc (which src/ingest may not include):
// ~200-byte lines, 11 fields, ISO timestamps with milliseconds, ~35% null referrers.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <zstd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "ingest/event_parser.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"

namespace laminar::ingest {
namespace {

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
const char* const kReferrers[] = {nullptr, "https://www.google.com/", "https://shop.example.com/",
                                  "https://www.bing.com/", "https://t.co/", "https://news.ycombinator.com/"};

// Zipf-like weights 1/k^s, k = 1..n.
std::discrete_distribution<int> Zipf(int n, double s) {
  std::vector<double> w(n);
  for (int k = 1; k <= n; k++) w[k - 1] = 1.0 / std::pow(k, s);
  return std::discrete_distribution<int>(w.begin(), w.end());
}

// NDJSON pageview lines: 2,000 events/s of event time from 2024-01-08T10:00:00Z, 2% late.
class PageviewLines {
 public:
  explicit PageviewLines(uint64_t seed) : rng_(seed) {}

  std::string Next() {
    clock_ += static_cast<int64_t>(gap_(rng_));
    int64_t ts = clock_ - (unit_(rng_) < 0.02 ? static_cast<int64_t>(unit_(rng_) * 300e6) : 0);
    int user = user_(rng_);
    int64_t days = ts / kMicrosPerDay, ms = ts % kMicrosPerDay / 1000;
    int64_t y;
    unsigned m, d;
    CivilFromDays(days, &y, &m, &d);
    fmt::memory_buffer out;
    auto it = std::back_inserter(out);
    fmt::format_to(it, "{{\"ts\":\"{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z\"", y, m, d,
                   ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60, ms % 1000);
    fmt::format_to(it, ",\"user_id\":\"u{:05d}\",\"session_id\":\"{:016x}\",\"url\":\"{}\",\"referrer\":", user,
                   (user * 0x9e3779b97f4a7c15ULL) ^ static_cast<uint64_t>(ts / (30 * kMicrosPerMinute)),
                   kUrls[url_(rng_)]);
    const char* referrer = kReferrers[unit_(rng_) < 0.35 ? 0 : 1 + rng_() % 5];
    if (referrer) fmt::format_to(it, "\"{}\"", referrer);
    else fmt::format_to(it, "null");
    int status = unit_(rng_) < 0.9 ? 200 : (rng_() % 2 ? 304 : 404);
    fmt::format_to(it,
                   ",\"country\":\"{}\",\"device\":\"{}\",\"browser\":\"{}\",\"status\":{},\"latency_ms\":{:.1f},"
                   "\"bytes\":{}}}",
                   kCountries[country_(rng_)], kDevices[user % 3], kBrowsers[rng_() % 5], status,
                   std::round(latency_(rng_) * 10) / 10, status == 304 ? 0 : static_cast<int64_t>(bytes_(rng_)));
    return fmt::to_string(out);
  }

  // `events` lines, each ending in '\n'.
  std::string Body(size_t events) {
    std::string body;
    for (size_t i = 0; i < events; i++) body += Next() + "\n";
    return body;
  }

 private:
  std::mt19937_64 rng_;
  int64_t clock_ = 1'704'708'000 * kMicrosPerSecond;  // 2024-01-08T10:00:00Z
  std::exponential_distribution<double> gap_{1.0 / 500};  // mean 500 µs
  std::uniform_real_distribution<double> unit_{0, 1};
  std::discrete_distribution<int> user_ = Zipf(10'000, 1.05);
  std::discrete_distribution<int> url_ = Zipf(40, 1.0);
  std::discrete_distribution<int> country_{30, 10, 7, 7, 6, 5, 5, 4, 3, 3, 3, 3, 3, 2, 2};
  std::lognormal_distribution<double> latency_{std::log(60.0), 0.6};
  std::lognormal_distribution<double> bytes_{std::log(18000.0), 0.9};
};

// A body that must parse without a single bad record; aborts otherwise (a broken benchmark).
ParseResult MustParse(const StreamSchema& schema, std::string_view body, BodyFormat format) {
  Result<ParseResult> r = ParseEvents(schema, body, format, Limits{});
  if (!r.ok() || !r->errors.empty()) {
    std::fprintf(stderr, "ingest_benchmark: the generated body does not parse: %s\n",
                 r.ok() ? r->errors[0].reason.c_str() : r.status().ToString().c_str());
    std::abort();
  }
  return std::move(r).value();
}

void SetCounters(benchmark::State& state, size_t events, size_t bytes) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["bytes/event"] = static_cast<double>(bytes) / static_cast<double>(events);
}

// One NDJSON request body of state.range(0) events → RowBatch.
void BM_ParseNdjson(benchmark::State& state) {
  const StreamSchema schema = PageviewsSchema();
  const size_t events = static_cast<size_t>(state.range(0));
  const std::string body = PageviewLines(42).Body(events);
  MustParse(schema, body, BodyFormat::kNdjson);
  for (auto _ : state) {
    Result<ParseResult> r = ParseEvents(schema, body, BodyFormat::kNdjson, Limits{});
    benchmark::DoNotOptimize(r);
  }
  SetCounters(state, events, body.size());
}
BENCHMARK(BM_ParseNdjson)->Arg(100)->Arg(5000)->Unit(benchmark::kMicrosecond);

// The same events as one JSON array (Content-Type application/json).
void BM_ParseJsonArray(benchmark::State& state) {
  const StreamSchema schema = PageviewsSchema();
  const size_t events = static_cast<size_t>(state.range(0));
  PageviewLines lines(42);
  std::string body = "[";
  for (size_t i = 0; i < events; i++) body += (i ? ",\n" : "") + lines.Next();
  body += "]";
  MustParse(schema, body, BodyFormat::kJsonArray);
  for (auto _ : state) {
    Result<ParseResult> r = ParseEvents(schema, body, BodyFormat::kJsonArray, Limits{});
    benchmark::DoNotOptimize(r);
  }
  SetCounters(state, events, body.size());
}
BENCHMARK(BM_ParseJsonArray)->Arg(5000)->Unit(benchmark::kMicrosecond);

// A zstd-compressed NDJSON body (level 3): Decompress, then ParseEvents. Bytes: uncompressed.
void BM_ParseNdjsonZstd(benchmark::State& state) {
  const StreamSchema schema = PageviewsSchema();
  const size_t events = static_cast<size_t>(state.range(0));
  const std::string body = PageviewLines(42).Body(events);
  std::string compressed(ZSTD_compressBound(body.size()), '\0');
  compressed.resize(ZSTD_compress(compressed.data(), compressed.size(), body.data(), body.size(), 3));
  for (auto _ : state) {
    Result<std::string> plain = Decompress("zstd", compressed, Limits{}.max_body_bytes);
    Result<ParseResult> r = ParseEvents(schema, *plain, BodyFormat::kNdjson, Limits{});
    benchmark::DoNotOptimize(r);
  }
  SetCounters(state, events, body.size());
  state.counters["compression"] = static_cast<double>(body.size()) / static_cast<double>(compressed.size());
}
BENCHMARK(BM_ParseNdjsonZstd)->Arg(5000)->Unit(benchmark::kMicrosecond);

// RowBatch → log record payload.
void BM_RowBatchEncode(benchmark::State& state) {
  const StreamSchema schema = PageviewsSchema();
  const size_t events = static_cast<size_t>(state.range(0));
  const RowBatch batch = MustParse(schema, PageviewLines(42).Body(events), BodyFormat::kNdjson).rows;
  const size_t bytes = batch.Encode().size();
  for (auto _ : state) {
    std::string payload = batch.Encode();
    benchmark::DoNotOptimize(payload);
  }
  SetCounters(state, events, bytes);
}
BENCHMARK(BM_RowBatchEncode)->Arg(5000)->Unit(benchmark::kMicrosecond);

// Log record payload → RowBatch, every length and offset checked (replay, the speed layer's restart).
void BM_RowBatchDecode(benchmark::State& state) {
  const StreamSchema schema = PageviewsSchema();
  const size_t events = static_cast<size_t>(state.range(0));
  const std::string payload =
      MustParse(schema, PageviewLines(42).Body(events), BodyFormat::kNdjson).rows.Encode();
  for (auto _ : state) {
    Result<RowBatch> batch = RowBatch::Decode(payload, schema);
    benchmark::DoNotOptimize(batch);
  }
  SetCounters(state, events, payload.size());
}
BENCHMARK(BM_RowBatchDecode)->Arg(5000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace laminar::ingest
