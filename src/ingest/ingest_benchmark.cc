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
#include "ingest/bench_pageviews.h"
#include "ingest/event_parser.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"

namespace laminar::ingest {
namespace {

using bench::PageviewJson;
using bench::Pageviews;
using bench::PageviewsNdjson;
using bench::PageviewsSchema;

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
  const std::string body = PageviewsNdjson(events, 42);
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
  const RowBatch rows = Pageviews(events, 42);
  std::string body = "[";
  for (size_t i = 0; i < events; i++) body += (i ? ",\n" : "") + PageviewJson(rows, i);
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
  const std::string body = PageviewsNdjson(events, 42);
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
  const RowBatch batch = MustParse(schema, PageviewsNdjson(events, 42), BodyFormat::kNdjson).rows;
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
      MustParse(schema, PageviewsNdjson(events, 42), BodyFormat::kNdjson).rows.Encode();
  for (auto _ : state) {
    Result<RowBatch> batch = RowBatch::Decode(payload, schema);
    benchmark::DoNotOptimize(batch);
  }
  SetCounters(state, events, payload.size());
}
BENCHMARK(BM_RowBatchDecode)->Arg(5000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace laminar::ingest
