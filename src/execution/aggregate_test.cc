#include "execution/aggregate.h"

#include <gtest/gtest.h>

#include "execution/operator_test_source.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace laminar::execution {
namespace {

using namespace test_util;  // NOLINT


AggregateCall Call(const std::string& name, std::vector<Type> types, std::vector<int> inputs, int filter = -1,
                   std::vector<function::AggregateOrder> order = {}, bool distinct = false) {
  AggregateCall c;
  c.spec.arg_types = std::move(types);
  c.spec.order = std::move(order);
  c.spec.distinct = distinct;
  Status st = function::ResolveAggregate(name, &c.spec);
  EXPECT_TRUE(st.ok()) << st.ToString();
  c.inputs = std::move(inputs);
  c.filter = filter;
  return c;
}

const Value N;
Value I(int64_t i) { return Value::Int(i); }
Value D(double d) { return Value::Double(d); }
Value T(const char* s) { return Value::Text(s); }
Value B(bool b) { return Value::Bool(b); }

TEST(HashAggregateTest, GroupBySemanticsOfKeys) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  auto src = std::make_unique<TestSource>(
      std::vector<Type>{Type::kDouble, Type::kInt64},
      std::vector<std::vector<Value>>{{D(0.0), I(1)}, {D(-0.0), I(2)}, {D(nan), I(3)}, {D(-nan), I(4)}, {N, I(5)},
                                      {N, I(6)}, {D(1.5), I(7)}, {D(1.5), N}});
  HashAggregate agg(std::move(src), {0}, {Call("count", {}, {}), Call("sum", {Type::kInt64}, {1})});
  ASSERT_EQ(agg.types(), (std::vector<Type>{Type::kDouble, Type::kInt64, Type::kInt64}));
  auto rows = Execute(agg);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, Sorted({"0|2|3", "NaN|2|7", "NULL|2|11", "1.5|2|7"}));
  EXPECT_EQ(agg.stats().rows, 4u);
  EXPECT_EQ(agg.stats().chunks, 1u);
}

TEST(HashAggregateTest, TextKeysAcrossChunksAreCopied) {
  std::vector<std::vector<Value>> in;
  for (int i = 0; i < 50; i++) in.push_back({T(i % 3 == 0 ? "alpha" : i % 3 == 1 ? "a much longer text key" : ""), I(i % 2), I(i)});
  in.push_back({N, I(0), I(1000)});
  auto src = std::make_unique<TestSource>(std::vector<Type>{Type::kText, Type::kInt64, Type::kInt64}, in, 4);
  HashAggregate agg(std::move(src), {0, 1},
                    {Call("max", {Type::kInt64}, {2}), Call("min", {Type::kText}, {0}),
                     Call("string_agg", {Type::kText, Type::kText}, {0, 0, 2}, -1, {{true, true}})});
  auto rows = Execute(agg);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  // string_agg(k, k ORDER BY i DESC): the key's text 2n - 1 times (it is its own delimiter).
  auto repeat = [](const std::string& s, int n) {
    std::string r;
    for (int i = 0; i < n; i++) r += s;
    return r;
  };
  std::string longer = "a much longer text key";
  EXPECT_EQ(*rows, Sorted({"NULL|0|1000|NULL|NULL", "|0|44||", "|1|47||", longer + "|0|46|" + longer + "|" + repeat(longer, 15),
                           longer + "|1|49|" + longer + "|" + repeat(longer, 17), "alpha|0|48|alpha|" + repeat("alpha", 17),
                           "alpha|1|45|alpha|" + repeat("alpha", 15)}));
}

TEST(HashAggregateTest, NoKeysGiveOneRowAlsoOverNoInput) {
  auto src = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64}, std::vector<std::vector<Value>>{});
  HashAggregate agg(std::move(src), {}, {Call("count", {}, {}), Call("sum", {Type::kInt64}, {0}), Call("array_agg", {Type::kInt64}, {0})});
  auto rows = Execute(agg);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, std::vector<std::string>{"0|NULL|NULL"});

  auto src2 = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64}, std::vector<std::vector<Value>>{});
  HashAggregate grouped(std::move(src2), {0}, {Call("count", {}, {})});
  EXPECT_TRUE(Execute(grouped)->empty());
}

TEST(HashAggregateTest, FilterColumn) {
  auto src = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64, Type::kBool},
                                          std::vector<std::vector<Value>>{{I(1), B(true)}, {I(2), B(false)}, {I(3), N}, {I(4), B(true)}});
  HashAggregate agg(std::move(src), {}, {Call("count", {}, {}, 1), Call("sum", {Type::kInt64}, {0}, 1), Call("count", {}, {})});
  EXPECT_EQ(*Execute(agg), std::vector<std::string>{"2|5|4"});
  EXPECT_EQ(agg.Describe(), "HashAggregate aggregates: count(*) FILTER (#1), sum(#0) FILTER (#1), count(*)");
}

// SELECT a, b, sum(x), GROUPING(a, b), GROUPING(b) FROM t GROUP BY ROLLUP (a, b)
TEST(HashAggregateTest, RollupWithGrouping) {
  auto src = std::make_unique<TestSource>(
      std::vector<Type>{Type::kText, Type::kInt64, Type::kInt64},
      std::vector<std::vector<Value>>{{T("x"), I(1), I(10)}, {T("x"), I(2), I(20)}, {T("y"), I(1), I(30)}, {T("x"), I(1), I(1)}, {N, N, I(5)}});
  HashAggregate agg(std::move(src), {0, 1}, {Call("sum", {Type::kInt64}, {2})}, {{0, 1}, {0}, {}}, {{0, 1}, {1}});
  auto rows = Execute(agg);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, Sorted({"x|1|11|0|0", "x|2|20|0|0", "y|1|30|0|0", "NULL|NULL|5|0|0", "x|NULL|31|1|1", "y|NULL|30|1|1",
                           "NULL|NULL|5|1|1", "NULL|NULL|66|3|1"}));
  EXPECT_EQ(agg.Describe(), "HashAggregate keys: #0, #1; aggregates: sum(#2); grouping sets: (#0, #1), (#0), (); "
                            "GROUPING(#0, #1); GROUPING(#1)");
}

// CUBE (a, b) over no rows: only the empty grouping set gives a row. GROUPING SETS ((a), (a)):
// every group twice.
TEST(HashAggregateTest, CubeOverNoRowsAndDuplicateSets) {
  auto empty = std::make_unique<TestSource>(std::vector<Type>{Type::kText, Type::kInt64}, std::vector<std::vector<Value>>{});
  HashAggregate cube(std::move(empty), {0, 1}, {Call("count", {}, {})}, {{0, 1}, {0}, {1}, {}}, {{0, 1}});
  EXPECT_EQ(*Execute(cube), std::vector<std::string>{"NULL|NULL|0|3"});

  auto src = std::make_unique<TestSource>(std::vector<Type>{Type::kText, Type::kInt64},
                                          std::vector<std::vector<Value>>{{T("a"), I(1)}, {T("b"), I(2)}, {T("a"), I(3)}});
  HashAggregate dup(std::move(src), {0}, {Call("sum", {Type::kInt64}, {1})}, {{0}, {0}});
  EXPECT_EQ(*Execute(dup), Sorted({"a|4", "a|4", "b|2", "b|2"}));
}

TEST(HashAggregateTest, ManyGroupsOverManyChunks) {
  std::vector<std::vector<Value>> in;
  for (int i = 0; i < 20000; i++) in.push_back({I(i % 5000), D(i * 0.5)});
  auto src = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64, Type::kDouble}, in, 2048);
  HashAggregate agg(std::move(src), {0}, {Call("count", {}, {}), Call("avg", {Type::kDouble}, {1})});
  auto rows = Execute(agg);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), 5000u);
  EXPECT_EQ(agg.stats().rows, 5000u);
  EXPECT_EQ(agg.stats().chunks, 3u);  // 2048 + 2048 + 904
  // key 7: values 3.5, 2503.5, 5003.5, 7503.5 → avg 3753.5
  EXPECT_NE(std::find(rows->begin(), rows->end(), "7|4|3753.5"), rows->end());
}

TEST(HashAggregateTest, AggregateErrorEndsTheQuery) {
  auto src = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64},
                                          std::vector<std::vector<Value>>{{I(std::numeric_limits<int64_t>::max())}, {I(1)}});
  HashAggregate agg(std::move(src), {}, {Call("sum", {Type::kInt64}, {0})});
  auto rows = Execute(agg);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().message(), "bigint out of range (sum)");
}

TEST(HashAggregateTest, MemoryLimitAndCancel) {
  std::vector<std::vector<Value>> in;
  for (int i = 0; i < 5000; i++) in.push_back({I(i)});
  auto src = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64}, in, 100);
  HashAggregate agg(std::move(src), {0}, {Call("count", {}, {})});
  ExecLimits limits;
  limits.max_memory_bytes = 64 * 1024;
  auto rows = Execute(agg, limits);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), StatusCode::kResourceExhausted);

  std::atomic<bool> cancel{true};
  ExecLimits cancelled;
  cancelled.cancel = &cancel;
  auto src2 = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64}, in, 100);
  HashAggregate agg2(std::move(src2), {0}, {Call("count", {}, {})});
  EXPECT_EQ(Execute(agg2, cancelled).status().code(), StatusCode::kCancelled);
}

TEST(HashAggregateTest, DistinctAndStatisticalAggregates) {
  auto src = std::make_unique<TestSource>(
      std::vector<Type>{Type::kText, Type::kDouble, Type::kDouble},
      std::vector<std::vector<Value>>{{T("g"), D(1), D(2)}, {T("g"), D(2), D(4.5)}, {T("g"), D(3), D(5)}, {T("g"), N, D(7)},
                                      {T("g"), D(4), N}, {T("g"), D(10), D(1.25)}, {T("g"), D(-3), D(0.1)}, {T("g"), D(1), D(9)}});
  HashAggregate agg(std::move(src), {0},
                    {Call("count", {Type::kDouble}, {1}, -1, {}, true), Call("regr_count", {Type::kDouble, Type::kDouble}, {1, 2}),
                     Call("array_agg", {Type::kDouble}, {1}, -1, {}, true)});
  EXPECT_EQ(*Execute(agg), std::vector<std::string>{"g|6|6|{-3,1,2,3,4,10,NULL}"});
  EXPECT_EQ(agg.Describe(), "HashAggregate keys: #0; aggregates: count(DISTINCT #1), regr_count(#1, #2), array_agg(DISTINCT #1)");
}

}  // namespace
}  // namespace laminar::execution
