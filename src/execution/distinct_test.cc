#include "execution/distinct.h"

#include <gtest/gtest.h>

#include "execution/operator_test_source.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace laminar::execution {
namespace {

using namespace test_util;  // NOLINT

const Value N;
Value I(int64_t i) { return Value::Int(i); }
Value D(double d) { return Value::Double(d); }
Value T(const char* s) { return Value::Text(s); }

// Stops after the first chunk it receives (as LIMIT does).
class StopSink : public Sink {
 public:
  Status Push(Chunk& chunk, bool* stop) override {
    rows += chunk.rows;
    *stop = true;
    return Status::OK();
  }
  size_t rows = 0;
};

// Rows in output order (not sorted).
std::vector<std::string> InOrder(PhysicalOperator& op) {
  ExecContext ctx({});
  CollectSink sink(op.types());
  Status st = op.Produce(ctx, sink);
  EXPECT_TRUE(st.ok()) << st.ToString();
  std::vector<std::string> rows;
  for (size_t r = 0; r < sink.chunk().rows; r++) rows.push_back(RowText(sink.chunk().GetRow(r)));
  return rows;
}

TEST(HashDistinctTest, AllColumnsWithNullsZerosAndNaN) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  auto src = std::make_unique<TestSource>(
      std::vector<Type>{Type::kDouble, Type::kText},
      std::vector<std::vector<Value>>{{D(0.0), T("a")}, {D(-0.0), T("a")}, {D(nan), N}, {D(-nan), N}, {N, N}, {N, N},
                                      {N, T("")}, {D(1), T("a")}, {D(0), T("b")}, {D(1), T("a")}},
      2);
  HashDistinct distinct(std::move(src), {0, 1});
  EXPECT_EQ(distinct.types(), (std::vector<Type>{Type::kDouble, Type::kText}));
  // The first of each, in input order.
  EXPECT_EQ(InOrder(distinct), (std::vector<std::string>{"0|a", "NaN|NULL", "NULL|NULL", "NULL|", "1|a", "0|b"}));
  EXPECT_EQ(distinct.stats().rows, 6u);
  EXPECT_EQ(distinct.Describe(), "HashDistinct on: #0, #1");
}

TEST(DistinctOnTest, FirstRowPerKeyInInputOrder) {
  // SELECT DISTINCT ON (k) k, v ... ORDER BY k, v DESC: the planner sorted; the first row per k.
  auto src = std::make_unique<TestSource>(
      std::vector<Type>{Type::kInt64, Type::kText},
      std::vector<std::vector<Value>>{{I(1), T("z")}, {I(1), T("y")}, {I(2), T("x")}, {I(3), T("q")}, {I(3), T("p")}, {N, T("n1")}, {N, T("n2")}},
      3);
  DistinctOn on(std::move(src), {0});
  EXPECT_EQ(InOrder(on), (std::vector<std::string>{"1|z", "2|x", "3|q", "NULL|n1"}));
  EXPECT_EQ(on.Describe(), "DistinctOn on: #0");
}

TEST(HashDistinctTest, StopsTheChildWhenTheParentStops) {
  std::vector<std::vector<Value>> in;
  for (int i = 0; i < 100; i++) in.push_back({I(i % 10)});
  auto src = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64}, in, 4);
  TestSource* raw = src.get();
  HashDistinct distinct(std::move(src), {0});
  ExecContext ctx({});
  StopSink stop;
  ASSERT_TRUE(distinct.Produce(ctx, stop).ok());
  EXPECT_EQ(stop.rows, 4u);
  EXPECT_EQ(raw->pushes, 1);
  EXPECT_EQ(ctx.memory_used(), 0u);
}

TEST(HashDistinctTest, ChunkOfOnlyDuplicatesPushesNothing) {
  auto src = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64},
                                          std::vector<std::vector<Value>>{{I(1)}, {I(2)}, {I(1)}, {I(2)}, {I(3)}}, 2);
  HashDistinct distinct(std::move(src), {0});
  EXPECT_EQ(InOrder(distinct), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(distinct.stats().chunks, 2u);
}

TEST(HashDistinctTest, MemoryLimit) {
  std::vector<std::vector<Value>> in;
  for (int i = 0; i < 10000; i++) in.push_back({I(i)});
  auto src = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64}, in, 1000);
  HashDistinct distinct(std::move(src), {0});
  ExecLimits limits;
  limits.max_memory_bytes = 100000;
  EXPECT_EQ(Execute(distinct, limits).status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace laminar::execution
