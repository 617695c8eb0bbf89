// Microbenchmarks of the view kernels (Google Benchmark; scripts/microbench.sh, docs/testing.md):
//   - ViewState::Apply of a RowBatch of pageviews (what the speed layer does per acked batch) for
//       SELECT date_trunc('minute', ts) AS minute, url, count(*) AS views,
//              avg(latency_ms) AS avg_latency FROM pageviews GROUP BY 1, 2
//     into a state that already holds the batch's groups (the steady state) and into a new one
//     (a new generation: every group created), and for a view with sketch measures;
//   - ViewState::Merge (serving merging generations, the batch layer merging versions);
//   - the sketches: Hll::AddHash (sparse and dense), HashColumnValue, Hll::Merge, DDSketch::Add and
//     DDSketch::Merge.
// Items are rows for Apply, groups for Merge, values or merges for the sketches.
//
// The ViewDefs are built as the catalog builds them from the SQL in the comments (catalog/ is
// above views/); the rows have the shape and distributions of app/gen.cc (`laminar gen
// pageviews`): 2,000 events/s of event time, 2% late, ~40 URLs and ~10k users with Zipf-like
// popularity, 15 countries, log-normal latency.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "ingest/bench_pageviews.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"
#include "sql/expr.h"
#include "views/sketch.h"
#include "views/view_def.h"
#include "views/view_state.h"

namespace laminar::views {
namespace {

using ingest::RowBatch;
using ingest::StreamSchema;

// kPageviewsDdl of app/gen.h; column numbers for the ViewDefs below.
using namespace ingest::bench;  // NOLINT: the pageview columns and rows

DimensionDef TimeDim(const char* name, TimeUnit unit) {
  return {name, sql::MakeDateTrunc(unit, sql::MakeColumn(kTs, "ts", Type::kTimestamp)), Type::kTimestamp, true,
          unit};
}
DimensionDef TextDim(const char* name, int column) {
  return {name, sql::MakeColumn(column, name, Type::kText), Type::kText};
}

// SELECT date_trunc('minute', ts) AS minute, url, count(*) AS views, avg(latency_ms) AS avg_latency
//   FROM pageviews GROUP BY 1, 2
ViewDefPtr MinuteUrlDef() {
  auto d = std::make_shared<ViewDef>();
  d->name = "pv_minute_url";
  d->stream = "pageviews";
  d->dims = {TimeDim("minute", TimeUnit::kMinute), TextDim("url", kUrl)};
  d->measures = {{"views", AggKind::kCountStar, -1, Type::kInt64, Type::kInt64},
                 {"avg_latency", AggKind::kAvg, kLatency, Type::kDouble, Type::kDouble}};
  d->columns = {{true, 0}, {true, 1}, {false, 0}, {false, 1}};
  return d;
}

// SELECT date_trunc('minute', ts) AS minute, country, approx_count_distinct(user_id) AS users,
//        approx_percentile(latency_ms, 0.99) AS p99 FROM pageviews GROUP BY 1, 2
ViewDefPtr MinuteCountrySketchDef() {
  auto d = std::make_shared<ViewDef>();
  d->name = "pv_minute_country_sketch";
  d->stream = "pageviews";
  d->dims = {TimeDim("minute", TimeUnit::kMinute), TextDim("country", kCountry)};
  d->measures = {{"users", AggKind::kApproxCountDistinct, kUserId, Type::kText, Type::kInt64},
                 {"p99", AggKind::kApproxPercentile, kLatency, Type::kDouble, Type::kDouble, 0.99}};
  d->columns = {{true, 0}, {true, 1}, {false, 0}, {false, 1}};
  return d;
}

ViewDefPtr DefOf(int64_t which) { return which == 0 ? MinuteUrlDef() : MinuteCountrySketchDef(); }

// ---- ViewState ----

// Args: rows per batch, view (0: minute × url with count/avg, 1: minute × country with sketches).
// The state already holds the batch's groups: every row updates an existing group.
void BM_ViewApply(benchmark::State& state) {
  const RowBatch batch = Pageviews(static_cast<size_t>(state.range(0)), 1);
  ViewState view(DefOf(state.range(1)));
  view.Apply(batch);
  for (auto _ : state) benchmark::DoNotOptimize(view.Apply(batch));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["groups"] = static_cast<double>(view.num_groups());
}
BENCHMARK(BM_ViewApply)
    ->ArgNames({"rows", "view"})
    ->ArgsProduct({{1000, 100'000}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

// The same into a new state each time (a new generation): group creation included.
void BM_ViewApplyNewState(benchmark::State& state) {
  const RowBatch batch = Pageviews(static_cast<size_t>(state.range(0)), 1);
  const ViewDefPtr def = DefOf(state.range(1));
  size_t groups = 0;
  for (auto _ : state) {
    ViewState view(def);
    view.Apply(batch);
    groups = view.num_groups();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["groups"] = static_cast<double>(groups);
}
BENCHMARK(BM_ViewApplyNewState)
    ->ArgNames({"rows", "view"})
    ->ArgsProduct({{1000, 100'000}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

// Two states over the same state.range(0) minutes of events (600 a minute, different seeds) merged
// into an empty one: about 40 groups a minute for view 0, 15 for view 1. Items: groups merged.
void BM_ViewMerge(benchmark::State& state) {
  const size_t minutes = static_cast<size_t>(state.range(0));
  const ViewDefPtr def = DefOf(state.range(1));
  ViewState a(def), b(def);
  a.Apply(Pageviews(600 * minutes, 1, 10));
  b.Apply(Pageviews(600 * minutes, 2, 10));
  for (auto _ : state) {
    ViewState merged(def);
    merged.Merge(a);
    merged.Merge(b);
    benchmark::DoNotOptimize(merged.num_groups());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(a.num_groups() + b.num_groups()));
  state.counters["groups"] = static_cast<double>(a.num_groups());
}
BENCHMARK(BM_ViewMerge)
    ->ArgNames({"minutes", "view"})
    ->ArgsProduct({{60, 1440}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

// ---- Sketches ----

std::vector<uint64_t> Hashes(size_t n, uint64_t seed) {
  std::vector<uint64_t> h(n);
  for (size_t i = 0; i < n; i++) h[i] = HashValue(Value::Text(fmt::format("u{:08d}-{}", i, seed)));
  return h;
}

// state.range(0) distinct values into a new Hll: sparse up to 3072 entries, then dense.
void BM_HllAdd(benchmark::State& state) {
  const std::vector<uint64_t> hashes = Hashes(static_cast<size_t>(state.range(0)), 1);
  bool dense = false;
  for (auto _ : state) {
    Hll h;
    for (uint64_t x : hashes) h.AddHash(x);
    dense = h.is_dense();
    benchmark::DoNotOptimize(h);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["dense"] = dense;
}
BENCHMARK(BM_HllAdd)->Arg(1000)->Arg(3000)->Arg(100'000)->Unit(benchmark::kMicrosecond);

// The hash approx_count_distinct takes of a text cell (XXH3 over the bytes).
void BM_HashColumnValue(benchmark::State& state) {
  const RowBatch batch = Pageviews(10'000, 1);
  const ingest::Column& users = batch.column(kUserId);
  for (auto _ : state) {
    uint64_t sum = 0;
    for (size_t r = 0; r < batch.num_rows(); r++) sum += HashColumnValue(users, r);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch.num_rows()));
}
BENCHMARK(BM_HashColumnValue)->Unit(benchmark::kMicrosecond);

// Merges b into a, both of state.range(0) distinct values (half of them shared): sparse ⊕ sparse
// while the union fits in 3072 entries, dense ⊕ dense above.
void BM_HllMerge(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::vector<uint64_t> hashes = Hashes(n + n / 2, 1);
  Hll a, b;
  for (size_t i = 0; i < n; i++) a.AddHash(hashes[i]);
  for (size_t i = n / 2; i < n + n / 2; i++) b.AddHash(hashes[i]);
  for (auto _ : state) {
    a.Merge(b);  // a ⊕ b ⊕ b ... = a ⊕ b: the same work every time
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["dense"] = a.is_dense();
}
BENCHMARK(BM_HllMerge)->Arg(1000)->Arg(100'000)->Unit(benchmark::kMicrosecond);

std::vector<double> Latencies(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> latency(std::log(60.0), 0.6);
  std::vector<double> v(n);
  for (double& x : v) x = std::round(latency(rng) * 10) / 10;
  return v;
}

// Latencies into one sketch (its buckets exist after the first pass).
void BM_DDSketchAdd(benchmark::State& state) {
  const std::vector<double> values = Latencies(10'000, 1);
  DDSketch s;
  for (auto _ : state) {
    for (double x : values) s.Add(x);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(values.size()));
}
BENCHMARK(BM_DDSketchAdd)->Unit(benchmark::kMicrosecond);

// Merges one sketch of 10,000 latencies into another.
void BM_DDSketchMerge(benchmark::State& state) {
  DDSketch a, b;
  for (double x : Latencies(10'000, 1)) a.Add(x);
  for (double x : Latencies(10'000, 2)) b.Add(x);
  for (auto _ : state) {
    a.Merge(b);
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["buckets"] = static_cast<double>(b.positive().counts.size());
}
BENCHMARK(BM_DDSketchMerge)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace laminar::views
