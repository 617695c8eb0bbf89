#include "execution/sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "execution/limit.h"
#include "execution/operator_test_util.h"

namespace laminar::execution {
namespace {

using testing::CheckingSink;
using testing::Row;
using testing::RowSource;
using testing::RowString;
using testing::RowStrings;

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// The reference order, written independently of RowComparator.
int RefCompareValues(const Value& a, const Value& b) {
  if (a.type() == Type::kDouble) {
    double x = a.as_double(), y = b.as_double();
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) - std::isnan(y);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.type() == Type::kText) {
    const std::string& x = a.as_text();
    const std::string& y = b.as_text();
    for (size_t i = 0; i < std::min(x.size(), y.size()); i++) {
      auto cx = static_cast<unsigned char>(x[i]), cy = static_cast<unsigned char>(y[i]);
      if (cx != cy) return cx < cy ? -1 : 1;
    }
    return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
  }
  return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
}

bool RefLess(const Row& a, const Row& b, const std::vector<SortKey>& keys) {
  for (const SortKey& k : keys) {
    const Value& x = a[k.column];
    const Value& y = b[k.column];
    if (x.is_null() && y.is_null()) continue;
    if (x.is_null() || y.is_null()) return x.is_null() == k.nulls_first;
    int c = RefCompareValues(x, y);
    if (c != 0) return k.descending ? c > 0 : c < 0;
  }
  return false;
}

std::vector<std::string> RefSort(std::vector<Row> rows, const std::vector<SortKey>& keys) {
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const Row& a, const Row& b) { return RefLess(a, b, keys); });
  std::vector<std::string> out;
  for (const Row& r : rows) out.push_back(RowString(r));
  return out;
}

Status RunOp(PhysicalOperator& op, std::vector<std::string>* rows, ExecLimits limits = {}) {
  ExecContext ctx(limits);
  CheckingSink sink(op.types());
  RETURN_IF_ERROR(op.Produce(ctx, sink));
  *rows = RowStrings(sink.rows());
  if (op.stats().rows != sink.rows().rows) return Internal("stats rows differ");
  if (ctx.memory_used() != 0) return Internal("memory not released");
  return Status::OK();
}

std::vector<std::string> SortRows(std::vector<Type> types, std::vector<Row> rows,
                                  std::vector<SortKey> keys) {
  Sort sort(std::make_unique<RowSource>(types, rows, std::vector<size_t>{3}), keys);
  std::vector<std::string> out;
  Status st = RunOp(sort, &out);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

// Rows [id, value]; returns the ids in output order.
std::vector<std::string> Ids(const std::vector<std::string>& rows) {
  std::vector<std::string> ids;
  for (const std::string& r : rows) ids.push_back(r.substr(0, r.find('|')));
  return ids;
}

std::vector<Row> WithIds(std::vector<Value> values) {
  std::vector<Row> rows;
  for (size_t i = 0; i < values.size(); i++) rows.push_back({Value::Int(int64_t(i)), values[i]});
  return rows;
}

TEST(SortTest, DoublesNaNLastNegativeZeroEqualsZeroNullsPlaced) {
  std::vector<Row> rows = WithIds({Value::Double(1), Value::Double(kNaN), Value::Double(-0.0),
                                   Value::Null(), Value::Double(-kInf), Value::Double(0.0),
                                   Value::Double(kInf), Value::Double(-kNaN), Value::Double(-1)});
  std::vector<Type> t = {Type::kInt64, Type::kDouble};
  using V = std::vector<std::string>;
  // ASC NULLS LAST (PostgreSQL's default): -0.0 and 0.0 tie, keeping input order.
  EXPECT_EQ(Ids(SortRows(t, rows, {{1, false, false}})), (V{"4", "8", "2", "5", "0", "6", "1", "7", "3"}));
  // DESC NULLS FIRST (the default for DESC): ties still in input order.
  EXPECT_EQ(Ids(SortRows(t, rows, {{1, true, true}})), (V{"3", "1", "7", "6", "0", "2", "5", "8", "4"}));
  EXPECT_EQ(Ids(SortRows(t, rows, {{1, false, true}})), (V{"3", "4", "8", "2", "5", "0", "6", "1", "7"}));
  EXPECT_EQ(Ids(SortRows(t, rows, {{1, true, false}})), (V{"1", "7", "6", "0", "2", "5", "8", "4", "3"}));
}

TEST(SortTest, TextIsBytewise) {
  std::vector<Row> rows = WithIds({Value::Text("b"), Value::Text("B"), Value::Text("a"),
                                   Value::Text("ab"), Value::Text(""), Value::Text("\xc3\xa9"),
                                   Value::Text("\xff"), Value::Null(), Value::Text("a")});
  std::vector<Type> t = {Type::kInt64, Type::kText};
  EXPECT_EQ(Ids(SortRows(t, rows, {{1, false, true}})),
            (std::vector<std::string>{"7", "4", "1", "2", "8", "3", "0", "5", "6"}));
}

TEST(SortTest, BooleansTimestampsAndSeveralKeys) {
  std::vector<Type> t = {Type::kInt64, Type::kBool, Type::kTimestamp};
  std::vector<Row> rows = {
      {Value::Int(0), Value::Bool(true), Value::Timestamp(5)},
      {Value::Int(1), Value::Bool(false), Value::Timestamp(-5)},
      {Value::Int(2), Value::Null(), Value::Timestamp(7)},
      {Value::Int(3), Value::Bool(true), Value::Timestamp(-9)},
      {Value::Int(4), Value::Bool(false), Value::Null()},
      {Value::Int(5), Value::Bool(true), Value::Timestamp(5)},
  };
  // bool ASC NULLS LAST, then timestamp DESC NULLS FIRST; 0 and 5 tie and keep their order.
  EXPECT_EQ(Ids(SortRows(t, rows, {{1, false, false}, {2, true, true}})),
            (std::vector<std::string>{"4", "1", "0", "5", "3", "2"}));
}

TEST(SortTest, EmptyInputAndNoKeys) {
  std::vector<Type> t = {Type::kInt64};
  EXPECT_TRUE(SortRows(t, {}, {{0}}).empty());
  std::vector<Row> rows = {{Value::Int(3)}, {Value::Int(1)}};
  EXPECT_EQ(SortRows(t, rows, {}), (std::vector<std::string>{"3", "1"}));  // stable: unchanged
}

// Random tables [int, double, text, bool, timestamp, id] with NULLs, NaN, -0.0 and many ties.
struct RandomTable {
  std::vector<Type> types = {Type::kInt64, Type::kDouble, Type::kText, Type::kBool,
                             Type::kTimestamp, Type::kInt64};
  std::vector<Row> rows;
};

RandomTable MakeTable(std::mt19937_64& rng, size_t n, int distinct) {
  RandomTable t;
  const double specials[] = {-0.0, 0.0, kNaN, -kInf, kInf, 1.5, -2.25};
  for (size_t i = 0; i < n; i++) {
    auto null = [&]() { return rng() % 8 == 0; };
    Row row;
    row.push_back(null() ? Value::Null() : Value::Int(int64_t(rng() % distinct) - distinct / 2));
    row.push_back(null() ? Value::Null() : Value::Double(specials[rng() % 7]));
    std::string s;
    for (size_t k = rng() % 3; k > 0; k--) s += "aB\xff"[rng() % 3];
    row.push_back(null() ? Value::Null() : Value::Text(s));
    row.push_back(null() ? Value::Null() : Value::Bool(rng() % 2));
    row.push_back(null() ? Value::Null() : Value::Timestamp(int64_t(rng() % distinct) * 1000));
    row.push_back(Value::Int(int64_t(i)));
    t.rows.push_back(row);
  }
  return t;
}

std::vector<SortKey> RandomKeys(std::mt19937_64& rng) {
  std::vector<SortKey> keys;
  for (size_t k = 1 + rng() % 3; k > 0; k--) {
    keys.push_back({static_cast<uint32_t>(rng() % 5), rng() % 2 == 0, rng() % 2 == 0});
  }
  return keys;
}

TEST(SortTest, RandomInputsMatchReferenceIncludingStability) {
  std::mt19937_64 rng(3);
  for (int iter = 0; iter < 150; iter++) {
    RandomTable t = MakeTable(rng, rng() % 300, 1 + rng() % 6);
    std::vector<SortKey> keys = RandomKeys(rng);
    SCOPED_TRACE(fmt::format("iter {} keys {}", iter, DescribeSortKeys(keys)));
    std::vector<size_t> sizes = {1 + rng() % 50, 0, 1 + rng() % 50};
    Sort sort(std::make_unique<RowSource>(t.types, t.rows, sizes), keys);
    std::vector<std::string> got;
    Status st = RunOp(sort, &got);
    ASSERT_TRUE(st.ok()) << st.ToString();
    ASSERT_EQ(got, RefSort(t.rows, keys));
  }
}

TEST(SortTest, LargeInputMergesRunsStably) {
  std::mt19937_64 rng(5);
  RandomTable t = MakeTable(rng, 100000, 4);  // > 3 runs of 32768 rows, heavy ties
  std::vector<SortKey> keys = {{0, true, false}, {3, false, false}};
  Sort sort(std::make_unique<RowSource>(t.types, t.rows), keys);
  std::vector<std::string> got;
  Status st = RunOp(sort, &got);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(got, RefSort(t.rows, keys));
}

TEST(SortTest, MemoryLimitAndDownstreamStop) {
  std::mt19937_64 rng(9);
  RandomTable t = MakeTable(rng, 10000, 100);
  {
    ExecLimits limits;
    limits.max_memory_bytes = 100000;
    ExecContext ctx(limits);
    Sort sort(std::make_unique<RowSource>(t.types, t.rows), {{0}});
    CheckingSink sink(sort.types());
    EXPECT_EQ(sort.Produce(ctx, sink).code(), StatusCode::kResourceExhausted);
    EXPECT_EQ(ctx.memory_used(), 0u);
  }
  {
    ExecContext ctx(ExecLimits{});
    Sort sort(std::make_unique<RowSource>(t.types, t.rows), {{0}});
    CheckingSink sink(sort.types());
    sink.set_stop_after(1);
    ASSERT_TRUE(sort.Produce(ctx, sink).ok());
    EXPECT_EQ(sink.chunks(), 1);
    EXPECT_EQ(sort.stats().chunks, 1u);
  }
}

TEST(SortTest, Describe) {
  std::vector<Type> t = {Type::kInt64, Type::kInt64, Type::kInt64};
  auto src = [&]() { return std::make_unique<RowSource>(t, std::vector<Row>{}); };
  Sort sort(src(), {{0, false, false}, {1, true, true}, {2, false, true}, {1, true, false}});
  EXPECT_EQ(sort.Describe(), "Sort keys: [0], [1] DESC, [2] NULLS FIRST, [1] DESC NULLS LAST");
  TopN top(src(), {{2, true, true}}, 10, 5);
  EXPECT_EQ(top.Describe(), "TopN limit: 10 offset: 5 keys: [2] DESC");
  TopN top0(src(), {{0}}, 3);
  EXPECT_EQ(top0.Describe(), "TopN limit: 3 keys: [0]");
}

TEST(TopNTest, EqualsSortThenLimit) {
  std::mt19937_64 rng(13);
  const uint64_t limits[] = {0, 1, 3, 50, 2047, 2049, 5000};
  const uint64_t offsets[] = {0, 1, 7, 3000};
  int runs = 0;
  for (int iter = 0; iter < 40; iter++) {
    RandomTable t = MakeTable(rng, iter < 37 ? rng() % 400 : 4000 + rng() % 3000, 1 + rng() % 8);
    std::vector<SortKey> keys = RandomKeys(rng);
    std::vector<size_t> sizes = {1 + rng() % 3000};
    std::vector<std::string> sorted = RefSort(t.rows, keys);
    for (uint64_t limit : limits) {
      for (uint64_t offset : offsets) {
        SCOPED_TRACE(fmt::format("iter {} rows {} limit {} offset {} keys {}", iter,
                                 t.rows.size(), limit, offset, DescribeSortKeys(keys)));
        TopN top(std::make_unique<RowSource>(t.types, t.rows, sizes), keys, limit, offset);
        std::vector<std::string> got;
        Status st = RunOp(top, &got);
        ASSERT_TRUE(st.ok()) << st.ToString();
        Limit sort_limit(std::make_unique<Sort>(
                             std::make_unique<RowSource>(t.types, t.rows, sizes), keys),
                         limit, offset);
        std::vector<std::string> want;
        st = RunOp(sort_limit, &want);
        ASSERT_TRUE(st.ok()) << st.ToString();
        ASSERT_EQ(got, want);
        size_t b = std::min<size_t>(offset, sorted.size());
        size_t e = std::min<size_t>(offset + limit, sorted.size());
        ASSERT_EQ(got, std::vector<std::string>(sorted.begin() + b, sorted.begin() + e));
        runs++;
      }
    }
  }
  EXPECT_EQ(runs, 40 * 7 * 4);
}

TEST(TopNTest, KeepsBoundedMemoryAndSkipsChildForLimitZero) {
  std::mt19937_64 rng(17);
  RandomTable t = MakeTable(rng, 50000, 1000);
  {
    ExecLimits limits;
    limits.max_memory_bytes = 1 << 20;  // a full sort of 50000 text rows would not fit
    ExecContext ctx(limits);
    TopN top(std::make_unique<RowSource>(t.types, t.rows), {{1, true, true}, {2}}, 10);
    CheckingSink sink(top.types());
    Status st = top.Produce(ctx, sink);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(sink.rows().rows, 10u);
    EXPECT_EQ(ctx.memory_used(), 0u);
    EXPECT_GT(ctx.memory_peak(), 0u);
  }
  {
    auto src = std::make_unique<RowSource>(t.types, t.rows);
    RowSource* s = src.get();
    TopN top(std::move(src), {{0}}, 0, 5);
    std::vector<std::string> got;
    ASSERT_TRUE(RunOp(top, &got).ok());
    EXPECT_TRUE(got.empty());
    EXPECT_EQ(s->pulled(), 0);
  }
}

}  // namespace
}  // namespace laminar::execution
