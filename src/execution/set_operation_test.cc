#include "execution/set_operation.h"

#include <gtest/gtest.h>

#include "execution/operator_test_source.h"

#include <algorithm>

namespace laminar::execution {
namespace {

using namespace test_util;  // NOLINT


const Value N;
Value I(int64_t i) { return Value::Int(i); }
Value T(const char* s) { return Value::Text(s); }

std::unique_ptr<TestSource> Ints(std::vector<Value> values, size_t chunk_rows = 3) {
  std::vector<std::vector<Value>> rows;
  for (const Value& v : values) rows.push_back({v});
  return std::make_unique<TestSource>(std::vector<Type>{Type::kInt64}, rows, chunk_rows);
}

// PostgreSQL over l = {1,1,1,2,2,3,NULL,NULL}, r = {1,1,2,4,NULL}.
std::vector<std::string> SetOp(SetOpKind kind, bool all) {
  SetOperation op(Ints({I(1), I(1), I(1), I(2), I(2), I(3), N, N}), Ints({I(1), I(1), I(2), I(4), N}, 2), kind, all);
  auto rows = Execute(op);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? *rows : std::vector<std::string>{};
}

TEST(SetOperationTest, PostgresMultiplicities) {
  EXPECT_EQ(SetOp(SetOpKind::kUnion, true).size(), 13u);
  EXPECT_EQ(SetOp(SetOpKind::kUnion, false), Sorted({"1", "2", "3", "4", "NULL"}));
  EXPECT_EQ(SetOp(SetOpKind::kIntersect, false), Sorted({"1", "2", "NULL"}));
  EXPECT_EQ(SetOp(SetOpKind::kIntersect, true), Sorted({"1", "1", "2", "NULL"}));
  EXPECT_EQ(SetOp(SetOpKind::kExcept, false), Sorted({"3"}));
  EXPECT_EQ(SetOp(SetOpKind::kExcept, true), Sorted({"1", "2", "3", "NULL"}));
  // r EXCEPT ALL l = {4}
  SetOperation rev(Ints({I(1), I(1), I(2), I(4), N}), Ints({I(1), I(1), I(1), I(2), I(2), I(3), N, N}), SetOpKind::kExcept, true);
  EXPECT_EQ(*Execute(rev), std::vector<std::string>{"4"});
}

TEST(SetOperationTest, WholeRowsWithText) {
  auto rows = [](std::vector<std::vector<Value>> r) {
    return std::make_unique<TestSource>(std::vector<Type>{Type::kText, Type::kInt64}, std::move(r), 2);
  };
  SetOperation op(rows({{T("a"), I(1)}, {T("a"), I(2)}, {N, I(1)}, {T("a"), N}, {T("a"), I(1)}}),
                  rows({{T("a"), I(1)}, {N, I(1)}, {T("b"), I(2)}}), SetOpKind::kExcept, false);
  EXPECT_EQ(*Execute(op), Sorted({"a|2", "a|NULL"}));
  EXPECT_EQ(op.Describe(), "Except");
  EXPECT_EQ(op.types(), (std::vector<Type>{Type::kText, Type::kInt64}));
  SetOperation u(rows({{T("x"), I(1)}, {T("x"), I(1)}}), rows({{T("y"), I(1)}, {T("x"), I(1)}}), SetOpKind::kUnion, false);
  EXPECT_EQ(*Execute(u), Sorted({"x|1", "y|1"}));
  EXPECT_EQ(u.stats().rows, 2u);
}

// Stops after `limit` rows (as LIMIT does).
class LimitSink : public Sink {
 public:
  explicit LimitSink(size_t limit) : limit_(limit) {}
  Status Push(Chunk& chunk, bool* stop) override {
    rows += chunk.rows;
    if (rows >= limit_) *stop = true;
    return Status::OK();
  }
  size_t rows = 0;

 private:
  size_t limit_;
};

TEST(SetOperationTest, UnionAllStopsBeforeTheRightChild) {
  auto left = Ints({I(1), I(2), I(3)});
  auto right = Ints({I(4)});
  TestSource* r = right.get();
  SetOperation op(std::move(left), std::move(right), SetOpKind::kUnion, true);
  ExecContext ctx({});
  LimitSink sink(2);
  ASSERT_TRUE(op.Produce(ctx, sink).ok());
  EXPECT_EQ(r->pushes, 0);
  EXPECT_EQ(op.Describe(), "Union All");
}

TEST(SetOperationTest, IntersectWithEmptyRightSkipsTheLeft) {
  auto left = Ints({I(1), I(2), I(3)});
  TestSource* l = left.get();
  SetOperation op(std::move(left), Ints({}), SetOpKind::kIntersect, true);
  EXPECT_TRUE(Execute(op)->empty());
  EXPECT_EQ(l->pushes, 0);
  EXPECT_EQ(op.Describe(), "Intersect All");
}

}  // namespace
}  // namespace laminar::execution
