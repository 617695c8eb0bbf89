// Tests of the streaming operators Filter and Projection, the ValuesSource, and ExecContext's
// limits (time, cancellation, memory).
#include <gtest/gtest.h>

#include <atomic>

#include "common/time_util.h"
#include "execution/filter.h"
#include "execution/projection.h"
#include "execution/values.h"
#include "sql/binder.h"
#include "sql/transformer.h"
#include "sql/parser.h"

namespace laminar::execution {
namespace {

// Columns k bigint, name text, x double precision.
sql::Scope Scope() {
  sql::Scope scope;
  scope.columns = {{"k", Type::kInt64}, {"name", Type::kText}, {"x", Type::kDouble}};
  return scope;
}

sql::ExprPtr Bind(const std::string& expr) {
  auto stmts = sql::Parse("SELECT " + expr + " FROM t");
  EXPECT_TRUE(stmts.ok()) << stmts.status().ToString();
  auto tree = sql::TransformExpr((*stmts)[0].node["SelectStmt"]["targetList"][0]["ResTarget"]["val"]);
  EXPECT_TRUE(tree.ok());
  auto e = sql::BindExpr(**tree, Scope());
  EXPECT_TRUE(e.ok()) << expr << ": " << e.status().ToString();
  return *e;
}

// Rows k = 0..n-1, name "r<k>" (NULL every 10th row), x = k / 4.
std::unique_ptr<ValuesSource> Rows(int n) {
  std::vector<std::vector<Value>> rows;
  for (int k = 0; k < n; k++)
    rows.push_back({Value::Int(k), k % 10 == 9 ? Value::Null() : Value::Text("r" + std::to_string(k)),
                    Value::Double(k / 4.0)});
  return std::make_unique<ValuesSource>(std::vector<Type>{Type::kInt64, Type::kText, Type::kDouble}, std::move(rows));
}

// A query's context; as a plan runner does, clears the thread's error slot first.
ExecContext Ctx() {
  sql::ClearEvalError();
  return ExecContext(ExecLimits{});
}

// Records the size of every chunk, keeps the rows, asks to stop after `stop_after` rows.
class RecordingSink : public Sink {
 public:
  explicit RecordingSink(std::vector<Type> types, size_t stop_after = SIZE_MAX)
      : all_(std::move(types)), stop_after_(stop_after) {}
  Status Push(Chunk& chunk, bool* stop) override {
    sizes.push_back(chunk.rows);
    for (size_t r = 0; r < chunk.rows; r++) all_.AppendRow(chunk, r);
    if (all_.rows >= stop_after_) *stop = true;
    return Status::OK();
  }
  Chunk& rows() { return all_; }
  std::vector<size_t> sizes;

 private:
  Chunk all_;
  size_t stop_after_;
};

TEST(ValuesSourceTest, ChunksOfAtMostChunkRows) {
  auto values = Rows(5000);
  EXPECT_EQ("Values 5000 rows", values->Describe());
  auto ctx = Ctx();
  RecordingSink sink(values->types());
  ASSERT_TRUE(values->Produce(ctx, sink).ok());
  EXPECT_EQ((std::vector<size_t>{2048, 2048, 904}), sink.sizes);
  ASSERT_EQ(5000u, sink.rows().rows);
  EXPECT_EQ(4999, sink.rows().columns[0].i64(4999));
  EXPECT_EQ("r4998", sink.rows().columns[1].str(4998));
  EXPECT_TRUE(sink.rows().columns[1].is_null(4999));
  EXPECT_EQ(5000u, values->stats().rows);
  EXPECT_EQ(3u, values->stats().chunks);
}

TEST(ValuesSourceTest, StopsWhenAsked) {
  auto values = Rows(10000);
  auto ctx = Ctx();
  RecordingSink sink(values->types(), 3000);
  ASSERT_TRUE(values->Produce(ctx, sink).ok());
  EXPECT_EQ((std::vector<size_t>{2048, 2048}), sink.sizes);
}

TEST(ValuesSourceTest, NoRowsAndRowsWithoutColumns) {
  ValuesSource none({Type::kInt64}, {});
  auto ctx = Ctx();
  RecordingSink sink({Type::kInt64});
  ASSERT_TRUE(none.Produce(ctx, sink).ok());
  EXPECT_TRUE(sink.sizes.empty());
  EXPECT_EQ("Values 0 rows", none.Describe());
  // SELECT without FROM: one row of no columns.
  ValuesSource one({}, {{}});
  RecordingSink sink1({});
  ASSERT_TRUE(one.Produce(ctx, sink1).ok());
  EXPECT_EQ((std::vector<size_t>{1}), sink1.sizes);
  EXPECT_EQ("Values 1 row", one.Describe());
}

TEST(FilterTest, PassesTrueRows) {
  Filter filter(Rows(5000), Bind("k % 3 = 0 AND name LIKE 'r1%'"));
  EXPECT_EQ("Filter (((k % 3) = 0) AND (name LIKE 'r1%'))", filter.Describe());
  EXPECT_EQ((std::vector<Type>{Type::kInt64, Type::kText, Type::kDouble}), filter.types());
  auto ctx = Ctx();
  RecordingSink sink(filter.types());
  ASSERT_TRUE(filter.Produce(ctx, sink).ok());
  size_t want = 0;
  for (int k = 0; k < 5000; k++) {
    std::string name = "r" + std::to_string(k);
    if (k % 3 == 0 && k % 10 != 9 && name.rfind("r1", 0) == 0) {
      ASSERT_LT(want, sink.rows().rows);
      EXPECT_EQ(k, sink.rows().columns[0].i64(want));
      EXPECT_EQ(name, sink.rows().columns[1].str(want));
      want++;
    }
  }
  EXPECT_EQ(want, sink.rows().rows);
  EXPECT_EQ(want, filter.stats().rows);
  EXPECT_EQ(sink.sizes.size(), filter.stats().chunks);
  ASSERT_EQ(1u, filter.children().size());
  EXPECT_EQ(5000u, filter.children()[0]->stats().rows);
}

TEST(FilterTest, SkipsEmptyChunksAndForwardsFullOnes) {
  Filter none(Rows(3000), Bind("k < 0"));
  auto ctx = Ctx();
  RecordingSink sink(none.types());
  ASSERT_TRUE(none.Produce(ctx, sink).ok());
  EXPECT_TRUE(sink.sizes.empty());
  EXPECT_EQ(0u, none.stats().chunks);

  Filter all(Rows(3000), Bind("k >= 0"));
  RecordingSink sink2(all.types());
  ASSERT_TRUE(all.Produce(ctx, sink2).ok());
  EXPECT_EQ((std::vector<size_t>{2048, 952}), sink2.sizes);

  // Only the first chunk has rows: the second is dropped.
  Filter first(Rows(3000), Bind("k < 10"));
  RecordingSink sink3(first.types());
  ASSERT_TRUE(first.Produce(ctx, sink3).ok());
  EXPECT_EQ((std::vector<size_t>{10}), sink3.sizes);
}

TEST(FilterTest, RuntimeErrorEndsTheQuery) {
  Filter filter(Rows(100), Bind("CAST(name AS bigint) > 0"));
  auto ctx = Ctx();
  RecordingSink sink(filter.types());
  Status st = filter.Produce(ctx, sink);
  EXPECT_EQ(StatusCode::kInvalidArgument, st.code());
  EXPECT_EQ("invalid input syntax for type bigint: \"r0\"", st.message());
  EXPECT_FALSE(sql::HasEvalError());  // taken
  EXPECT_TRUE(sink.sizes.empty());
}

TEST(FilterTest, StopPropagates) {
  Filter filter(Rows(10000), Bind("k % 2 = 0"));
  auto ctx = Ctx();
  RecordingSink sink(filter.types(), 1);
  ASSERT_TRUE(filter.Produce(ctx, sink).ok());
  EXPECT_EQ((std::vector<size_t>{1024}), sink.sizes);
}

TEST(ProjectionTest, EvaluatesEveryExpression) {
  Projection proj(Rows(3000), {Bind("k"), Bind("k * 2"), Bind("upper(name)"), Bind("x > 100"), Bind("'c'")});
  EXPECT_EQ("Projection k, (k * 2), upper(name), (x > 100), 'c'", proj.Describe());
  EXPECT_EQ((std::vector<Type>{Type::kInt64, Type::kInt64, Type::kText, Type::kBool, Type::kText}), proj.types());
  auto ctx = Ctx();
  RecordingSink sink(proj.types());
  ASSERT_TRUE(proj.Produce(ctx, sink).ok());
  EXPECT_EQ((std::vector<size_t>{2048, 952}), sink.sizes);
  Chunk& out = sink.rows();
  ASSERT_EQ(3000u, out.rows);
  for (int k = 0; k < 3000; k++) {
    EXPECT_EQ(k, out.columns[0].i64(k));
    EXPECT_EQ(2 * k, out.columns[1].i64(k));
    if (k % 10 == 9) EXPECT_TRUE(out.columns[2].is_null(k));
    else EXPECT_EQ("R" + std::to_string(k), out.columns[2].str(k));
    EXPECT_EQ(k / 4.0 > 100, out.columns[3].boolean(k));
    EXPECT_EQ("c", out.columns[4].str(k));
  }
  EXPECT_EQ(3000u, proj.stats().rows);
  EXPECT_EQ(2u, proj.stats().chunks);
}

TEST(ProjectionTest, OverAFilterAndNoExpressions) {
  auto filter = std::make_unique<Filter>(Rows(100), Bind("k < 5"));
  Projection proj(std::move(filter), {});
  EXPECT_EQ("Projection", proj.Describe());
  auto ctx = Ctx();
  RecordingSink sink({});
  ASSERT_TRUE(proj.Produce(ctx, sink).ok());
  EXPECT_EQ((std::vector<size_t>{5}), sink.sizes);  // the rows stay, with no columns
}

TEST(ProjectionTest, RuntimeErrorEndsTheQuery) {
  Projection proj(Rows(100), {Bind("k"), Bind("k * 9223372036854775807")});
  auto ctx = Ctx();
  RecordingSink sink(proj.types());
  Status st = proj.Produce(ctx, sink);
  EXPECT_EQ(StatusCode::kInvalidArgument, st.code());
  EXPECT_EQ("bigint out of range", st.message());
  EXPECT_TRUE(sink.sizes.empty());
}

TEST(ExecContextTest, CancelAndDeadline) {
  std::atomic<bool> cancel{false};
  ExecLimits limits;
  limits.cancel = &cancel;
  ExecContext ctx(limits);
  EXPECT_TRUE(ctx.Check().ok());
  cancel = true;
  Status st = ctx.Check();
  EXPECT_EQ(StatusCode::kCancelled, st.code());
  EXPECT_EQ("canceling statement due to user request", st.message());

  ExecLimits late;
  late.deadline_micros = MonotonicMicros() - 1;
  ExecContext ctx2(late);
  st = ctx2.Check();
  EXPECT_EQ(StatusCode::kDeadlineExceeded, st.code());
  EXPECT_EQ(0u, st.message().find("canceling statement due to statement timeout"));

  ExecLimits later;
  later.deadline_micros = MonotonicMicros() + 60'000'000;
  EXPECT_TRUE(ExecContext(later).Check().ok());
}

TEST(ExecContextTest, OperatorsCheckPerChunk) {
  std::atomic<bool> cancel{true};
  ExecLimits limits;
  limits.cancel = &cancel;
  ExecContext ctx(limits);
  Filter filter(Rows(100), Bind("k > 1"));
  RecordingSink sink(filter.types());
  EXPECT_EQ(StatusCode::kCancelled, filter.Produce(ctx, sink).code());
  EXPECT_TRUE(sink.sizes.empty());
}

TEST(ExecContextTest, ChargeAndRelease) {
  ExecLimits limits;
  limits.max_memory_bytes = 2u << 20;
  ExecContext ctx(limits);
  EXPECT_TRUE(ctx.Charge(1u << 20, "a hash table").ok());
  EXPECT_EQ(1u << 20, ctx.memory_used());
  ctx.Release(1u << 19);
  EXPECT_EQ(1u << 19, ctx.memory_used());
  EXPECT_EQ(1u << 20, ctx.memory_peak());
  Status st = ctx.Charge(2u << 20, "sorting");
  EXPECT_EQ(StatusCode::kResourceExhausted, st.code());
  EXPECT_EQ("query needs more than 2 MiB of memory ([query] max_memory_mb) for sorting; narrow it with WHERE, LIMIT or "
            "fewer groups",
            st.message());
  ctx.Release(100u << 20);
  EXPECT_EQ(0u, ctx.memory_used());
}

}  // namespace
}  // namespace laminar::execution
