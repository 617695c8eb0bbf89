// Window: errors, EXPLAIN, limits, exclusions over ROWS with ties, and random frames against a
// brute-force reference (window_postgres_test.cc checks the results against PostgreSQL).
#include "execution/window.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>

#include "execution/operator_test_source.h"

namespace laminar::execution {
namespace {

using B = FrameBoundKind;
using K = WindowFunctionKind;

// Rows pushed in chunks of 3 unless a test says otherwise.
using RowsSource = test_util::TestSource;

const Value N;
Value I(int64_t i) { return Value::Int(i); }
Value D(double d) { return Value::Double(d); }
Value T(const char* s) { return Value::Text(s); }

WindowFunction Fn(K kind, std::vector<int> inputs, WindowFrame frame = WindowFrame()) {
  WindowFunction f;
  f.kind = kind;
  f.inputs = std::move(inputs);
  f.frame = std::move(frame);
  return f;
}

WindowFunction Agg(const std::string& name, std::vector<Type> types, std::vector<int> inputs, WindowFrame frame = WindowFrame(),
                   std::vector<function::AggregateOrder> order = {}) {
  WindowFunction f = Fn(K::kAggregate, std::move(inputs), std::move(frame));
  f.aggregate.arg_types = std::move(types);
  f.aggregate.order = std::move(order);
  Status st = function::ResolveAggregate(name, &f.aggregate);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return f;
}

WindowFrame Frame(FrameMode mode, B s, Value so, B e, Value eo, FrameExclude ex = FrameExclude::kNoOthers) {
  return WindowFrame{mode, {s, std::move(so)}, {e, std::move(eo)}, ex};
}

// Output rows as text, in output order.
Result<std::vector<std::string>> Execute(Window& w, ExecLimits limits = {}) {
  ExecContext ctx(limits);
  CollectSink sink(w.types());
  RETURN_IF_ERROR(w.Produce(ctx, sink));
  EXPECT_EQ(ctx.memory_used(), 0u);
  std::vector<std::string> rows;
  for (size_t r = 0; r < sink.chunk().rows; r++) {
    std::string s;
    for (const Value& v : sink.chunk().GetRow(r)) s += (s.empty() ? "" : "|") + (v.is_null() ? std::string("NULL") : v.ToString());
    rows.push_back(s);
  }
  return rows;
}

std::unique_ptr<RowsSource> KV(std::vector<std::vector<Value>> rows) {
  return std::make_unique<RowsSource>(std::vector<Type>{Type::kInt64, Type::kInt64}, std::move(rows));
}

TEST(WindowTest, OutputIsSortedInputThenFunctions) {
  // SELECT g, x, row_number() OVER (PARTITION BY g ORDER BY x DESC), sum(x) OVER (PARTITION BY g ...)
  Window w(KV({{I(1), I(5)}, {I(2), I(7)}, {I(1), I(9)}, {N, I(1)}, {I(2), I(7)}}), {0}, {{1, true, true}},
           {Fn(K::kRowNumber, {}), Agg("sum", {Type::kInt64}, {1})});
  EXPECT_EQ(w.types(), (std::vector<Type>{Type::kInt64, Type::kInt64, Type::kInt64, Type::kInt64}));
  auto rows = Execute(w);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"1|9|1|9", "1|5|2|14", "2|7|1|14", "2|7|2|14", "NULL|1|1|1"}));
  EXPECT_EQ(w.stats().rows, 5u);
  EXPECT_EQ(w.stats().chunks, 1u);
  EXPECT_EQ(w.Describe(),
            "Window partition: #0; order: #1 DESC; functions: row_number(), sum(#1) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND "
            "CURRENT ROW)");
}

TEST(WindowTest, EmptyInputAndNoOrder) {
  Window empty(KV({}), {0}, {{1}}, {Fn(K::kRank, {})});
  EXPECT_TRUE(Execute(empty)->empty());
  // Without ORDER BY every row is a peer: rank 1, the default frame is the whole partition.
  Window all(KV({{I(1), I(5)}, {I(1), I(6)}, {I(2), I(7)}}), {0}, {}, {Fn(K::kRank, {}), Fn(K::kCumeDist, {}), Agg("sum", {Type::kInt64}, {1})});
  EXPECT_EQ(*Execute(all), (std::vector<std::string>{"1|5|1|1|11", "1|6|1|1|11", "2|7|1|1|7"}));
}

// ROWS frames exclude peers by the sort order of the operator (stable: input order among peers).
TEST(WindowTest, RowsFramesExcludingGroupAndTies) {
  // k: 1 1 1 2 3 3, ids 0..5 in input order.
  std::vector<std::vector<Value>> rows = {{I(0), I(1)}, {I(1), I(1)}, {I(2), I(1)}, {I(3), I(2)}, {I(4), I(3)}, {I(5), I(3)}};
  auto ids = [&](FrameExclude ex) {
    Window w(KV(rows), {}, {{1}},
             {Agg("array_agg", {Type::kInt64}, {0, 0}, Frame(FrameMode::kRows, B::kPreceding, I(1), B::kFollowing, I(2), ex),
                  {{false, false}})});
    std::vector<std::string> out;
    auto result = Execute(w);
    EXPECT_TRUE(result.ok());
    for (const std::string& r : *result) out.push_back(r.substr(r.rfind('|') + 1));
    return out;
  };
  EXPECT_EQ(ids(FrameExclude::kNoOthers), (std::vector<std::string>{"{0,1,2}", "{0,1,2,3}", "{1,2,3,4}", "{2,3,4,5}", "{3,4,5}", "{4,5}"}));
  EXPECT_EQ(ids(FrameExclude::kCurrentRow), (std::vector<std::string>{"{1,2}", "{0,2,3}", "{1,3,4}", "{2,4,5}", "{3,5}", "{4}"}));
  EXPECT_EQ(ids(FrameExclude::kGroup), (std::vector<std::string>{"NULL", "{3}", "{3,4}", "{2,4,5}", "{3}", "NULL"}));
  EXPECT_EQ(ids(FrameExclude::kTies), (std::vector<std::string>{"{0}", "{1,3}", "{2,3,4}", "{2,3,4,5}", "{3,4}", "{5}"}));
}

TEST(WindowTest, LagLeadOffsetsAndDefaults) {
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 5; i++) rows.push_back({I(i), I(i == 2 ? std::numeric_limits<int64_t>::max() : -1)});
  // lag(x, offset column, default x): offset -1 reads the next row; INT64_MAX is outside.
  Window w(KV(rows), {}, {{0}}, {Fn(K::kLag, {0, 1, 0}), Fn(K::kLead, {0, 1})});
  EXPECT_EQ(*Execute(w), (std::vector<std::string>{"0|-1|1|NULL", "1|-1|2|0", "2|9223372036854775807|2|NULL", "3|-1|4|2", "4|-1|4|3"}));
}

TEST(WindowTest, Errors) {
  auto error = [](std::vector<WindowOrder> order, WindowFunction f) {
    Window w(KV({{I(1), I(0)}, {I(2), I(1)}}), {}, std::move(order), {std::move(f)});
    auto r = Execute(w);
    return r.ok() ? std::string("OK") : r.status().message();
  };
  auto sum = [](WindowFrame frame) { return Agg("sum", {Type::kInt64}, {0}, std::move(frame)); };
  EXPECT_EQ(error({{0}}, sum(Frame(FrameMode::kRows, B::kPreceding, I(-1), B::kCurrentRow, N))),
            "frame starting offset must not be negative");
  EXPECT_EQ(error({{0}}, sum(Frame(FrameMode::kGroups, B::kCurrentRow, N, B::kFollowing, N))), "frame ending offset must not be null");
  EXPECT_EQ(error({{0}}, sum(Frame(FrameMode::kRange, B::kPreceding, D(-0.5), B::kCurrentRow, N))),
            "invalid preceding or following size in window function");
  EXPECT_EQ(error({{0}, {1}}, sum(Frame(FrameMode::kRange, B::kPreceding, I(1), B::kCurrentRow, N))),
            "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column");
  EXPECT_EQ(error({}, sum(Frame(FrameMode::kGroups, B::kPreceding, I(1), B::kCurrentRow, N))), "GROUPS mode requires an ORDER BY clause");
  EXPECT_EQ(error({{0}}, sum(Frame(FrameMode::kRows, B::kUnboundedFollowing, N, B::kUnboundedFollowing, N))),
            "frame start cannot be UNBOUNDED FOLLOWING");
  EXPECT_EQ(error({{0}}, sum(Frame(FrameMode::kRows, B::kCurrentRow, N, B::kUnboundedPreceding, N))),
            "frame end cannot be UNBOUNDED PRECEDING");
  EXPECT_EQ(error({{0}}, sum(Frame(FrameMode::kRows, B::kCurrentRow, N, B::kPreceding, I(1)))),
            "frame starting from current row cannot have preceding rows");
  EXPECT_EQ(error({{0}}, sum(Frame(FrameMode::kRows, B::kFollowing, I(1), B::kCurrentRow, N))),
            "frame starting from following row cannot have preceding rows");
  EXPECT_EQ(error({{0}}, Fn(K::kNtile, {1})), "argument of ntile must be greater than zero");
  EXPECT_EQ(error({{0}}, Fn(K::kNthValue, {0, 1})), "argument of nth_value must be greater than zero");
  EXPECT_EQ(error({{0}}, Fn(K::kLag, {})).substr(0, 20), "window function lag:");
  // The frame of a ranking function is ignored (PostgreSQL ignores it too).
  EXPECT_EQ(error({{0}}, Fn(K::kRank, {}, Frame(FrameMode::kRows, B::kPreceding, I(-1), B::kCurrentRow, N))), "OK");
}

TEST(WindowTest, RangeOverTextIsRefused) {
  Window w(std::make_unique<RowsSource>(std::vector<Type>{Type::kText}, std::vector<std::vector<Value>>{{T("a")}}), {}, {{0}},
           {Fn(K::kFirstValue, {0}, Frame(FrameMode::kRange, B::kPreceding, I(1), B::kCurrentRow, N))});
  EXPECT_EQ(Execute(w).status().message(), "RANGE with offset PRECEDING/FOLLOWING is not supported for column type text and offset type bigint");
}

TEST(WindowTest, RangeOffsetsAtTheEdgesOfBigint) {
  int64_t max = std::numeric_limits<int64_t>::max(), min = std::numeric_limits<int64_t>::min();
  Window w(KV({{I(min), I(0)}, {I(0), I(0)}, {I(max), I(0)}}), {}, {{0}},
           {Agg("count", {}, {}, Frame(FrameMode::kRange, B::kPreceding, I(max), B::kFollowing, I(max)))});
  EXPECT_EQ(*Execute(w), (std::vector<std::string>{"-9223372036854775808|0|1", "0|0|2", "9223372036854775807|0|2"}));
}

TEST(WindowTest, MemoryLimitAndCancel) {
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 20000; i++) rows.push_back({I(i % 7), I(i)});
  ExecLimits small;
  small.max_memory_bytes = 100 * 1024;
  Window w(std::make_unique<RowsSource>(std::vector<Type>{Type::kInt64, Type::kInt64}, rows, 1000), {0}, {{1}}, {Fn(K::kRank, {})});
  EXPECT_EQ(Execute(w, small).status().code(), StatusCode::kResourceExhausted);
  std::atomic<bool> cancel{true};
  ExecLimits cancelled;
  cancelled.cancel = &cancel;
  Window w2(std::make_unique<RowsSource>(std::vector<Type>{Type::kInt64, Type::kInt64}, rows, 1000), {0}, {{1}}, {Fn(K::kRank, {})});
  EXPECT_EQ(Execute(w2, cancelled).status().code(), StatusCode::kCancelled);
}

// Brute force: the frame of sorted position i by the definitions, over one partition sorted by
// (key, input order), keys without NULLs, ascending.
std::vector<size_t> ReferenceFrame(const std::vector<int64_t>& keys, size_t i, const WindowFrame& f) {
  size_t n = keys.size();
  std::vector<int64_t> group(n);
  for (size_t j = 1; j < n; j++) group[j] = group[j - 1] + (keys[j] != keys[j - 1]);
  auto pos = [&](size_t j) -> int64_t {  // the coordinate the mode measures
    return f.mode == FrameMode::kRows ? int64_t(j) : f.mode == FrameMode::kGroups ? group[j] : keys[j];
  };
  auto lower = [&](const FrameBound& b) -> int64_t {
    switch (b.kind) {
      case B::kUnboundedPreceding: return std::numeric_limits<int64_t>::min();
      case B::kPreceding: return pos(i) - b.offset.as_int();
      case B::kCurrentRow: return pos(i);
      case B::kFollowing: return pos(i) + b.offset.as_int();
      default: return std::numeric_limits<int64_t>::max();
    }
  };
  int64_t lo = lower(f.start), hi = f.end.kind == B::kUnboundedFollowing ? std::numeric_limits<int64_t>::max() : lower(f.end);
  // CURRENT ROW as a RANGE/GROUPS bound means the peers: the same coordinate.
  std::vector<size_t> out;
  for (size_t j = 0; j < n; j++) {
    if (pos(j) < lo || pos(j) > hi) continue;
    bool peer = keys[j] == keys[i];
    if (f.exclude == FrameExclude::kCurrentRow && j == i) continue;
    if (f.exclude == FrameExclude::kGroup && peer) continue;
    if (f.exclude == FrameExclude::kTies && peer && j != i) continue;
    out.push_back(j);
  }
  return out;
}

TEST(WindowTest, RandomFramesMatchBruteForce) {
  std::mt19937_64 rng(42);
  const B kinds[] = {B::kUnboundedPreceding, B::kPreceding, B::kCurrentRow, B::kFollowing, B::kUnboundedFollowing};
  for (int round = 0; round < 120; round++) {
    size_t n = 1 + rng() % 60;
    std::vector<std::vector<Value>> rows;
    for (size_t i = 0; i < n; i++) rows.push_back({I(int64_t(rng() % 3)), I(int64_t(rng() % 12)), I(int64_t(i))});
    WindowFrame f;
    f.mode = FrameMode(rng() % 3);
    do {
      f.start = {kinds[rng() % 4], I(int64_t(rng() % 4))};
      f.end = {kinds[1 + rng() % 4], I(int64_t(rng() % 4))};
    } while (int(f.end.kind) < int(f.start.kind) || (f.start.kind == B::kCurrentRow && f.end.kind == B::kPreceding));
    f.exclude = FrameExclude(rng() % 4);
    SCOPED_TRACE(DescribeFrame(f));
    Window w(std::make_unique<RowsSource>(std::vector<Type>{Type::kInt64, Type::kInt64, Type::kInt64}, rows, 1 + rng() % 7), {0},
             {{1}},
             {Agg("array_agg", {Type::kInt64}, {2}, f), Fn(K::kFirstValue, {2}, f), Fn(K::kLastValue, {2}, f),
              Agg("sum", {Type::kInt64}, {2}, f)});
    ExecContext ctx({});
    CollectSink sink(w.types());
    ASSERT_TRUE(w.Produce(ctx, sink).ok());
    const Chunk& out = sink.chunk();
    ASSERT_EQ(out.rows, n);
    // Partitions are contiguous in the output; check each row against the brute force.
    size_t start = 0;
    while (start < n) {
      size_t end = start;
      while (end < n && out.columns[0].i64(end) == out.columns[0].i64(start)) end++;
      std::vector<int64_t> keys, ids;
      for (size_t r = start; r < end; r++) {
        keys.push_back(out.columns[1].i64(r));
        ids.push_back(out.columns[2].i64(r));
      }
      for (size_t r = start; r < end; r++) {
        std::vector<size_t> frame = ReferenceFrame(keys, r - start, f);
        std::string arr = "{";
        int64_t sum = 0;
        for (size_t j : frame) {
          arr += (arr.size() > 1 ? "," : "") + std::to_string(ids[j]);
          sum += ids[j];
        }
        arr += "}";
        EXPECT_EQ(out.columns[3].Get(r).ToString(), frame.empty() ? "" : arr) << "row " << r;
        EXPECT_EQ(out.columns[4].Get(r), frame.empty() ? N : I(ids[frame.front()])) << "row " << r;
        EXPECT_EQ(out.columns[5].Get(r), frame.empty() ? N : I(ids[frame.back()])) << "row " << r;
        EXPECT_EQ(out.columns[6].Get(r), frame.empty() ? N : I(sum)) << "row " << r;
      }
      start = end;
    }
  }
}

// A large input over several chunks: the running accumulator (frame from UNBOUNDED PRECEDING)
// agrees with per-row recomputation (a frame starting at a preceding offset covering it all).
TEST(WindowTest, RunningAndRecomputedAggregatesAgree) {
  std::mt19937_64 rng(5);
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 6000; i++) rows.push_back({I(int64_t(rng() % 4)), I(int64_t(rng() % 300)), D(double(rng() % 1000) / 4)});
  WindowFrame running;  // RANGE UNBOUNDED PRECEDING .. CURRENT ROW
  WindowFrame recomputed = Frame(FrameMode::kRange, B::kPreceding, I(1000), B::kCurrentRow, N);
  Window w(std::make_unique<RowsSource>(std::vector<Type>{Type::kInt64, Type::kInt64, Type::kDouble}, rows, 2048), {0}, {{1}},
           {Agg("sum", {Type::kDouble}, {2}, running), Agg("sum", {Type::kDouble}, {2}, recomputed),
            Agg("count", {}, {}, running), Agg("count", {}, {}, recomputed), Fn(K::kCumeDist, {})});
  ExecContext ctx({});
  CollectSink sink(w.types());
  ASSERT_TRUE(w.Produce(ctx, sink).ok());
  const Chunk& out = sink.chunk();
  ASSERT_EQ(out.rows, 6000u);
  EXPECT_EQ(w.stats().chunks, 3u);
  for (size_t r = 0; r < out.rows; r++) {
    ASSERT_EQ(out.columns[3].Get(r), out.columns[4].Get(r)) << r;
    ASSERT_EQ(out.columns[5].Get(r), out.columns[6].Get(r)) << r;
  }
}

}  // namespace
}  // namespace laminar::execution
