#include "execution/limit.h"

#include <gtest/gtest.h>

#include "execution/operator_test_util.h"
#include "execution/sort.h"

namespace laminar::execution {
namespace {

using testing::CheckingSink;
using testing::Row;
using testing::RowSource;
using testing::RowStrings;

std::vector<Row> Numbers(int n) {
  std::vector<Row> rows;
  for (int i = 0; i < n; i++) rows.push_back({Value::Int(i), Value::Text(fmt::format("r{}", i))});
  return rows;
}

const std::vector<Type> kTypes = {Type::kInt64, Type::kText};

struct Result {
  std::vector<std::string> rows;
  int pulled = 0;
  uint64_t stats_rows = 0;
};

Result RunLimit(int n, size_t chunk, std::optional<uint64_t> limit, uint64_t offset,
                int stop_after = 0) {
  auto src = std::make_unique<RowSource>(kTypes, Numbers(n), std::vector<size_t>{chunk});
  RowSource* s = src.get();
  Limit op(std::move(src), limit, offset);
  ExecContext ctx(ExecLimits{});
  CheckingSink sink(op.types());
  sink.set_stop_after(stop_after);
  Status st = op.Produce(ctx, sink);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return {RowStrings(sink.rows()), s->pulled(), op.stats().rows};
}

std::vector<std::string> Range(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; i++) out.push_back(fmt::format("{}|'r{}'", i, i));
  return out;
}

TEST(LimitTest, StopsTheProducerOnceReached) {
  Result r = RunLimit(500, 5, 10, 0);
  EXPECT_EQ(r.rows, Range(0, 10));
  EXPECT_EQ(r.pulled, 2);  // 100 chunks available, 2 pulled
  EXPECT_EQ(r.stats_rows, 10u);
  r = RunLimit(500, 5, 7, 0);
  EXPECT_EQ(r.rows, Range(0, 7));
  EXPECT_EQ(r.pulled, 2);
}

TEST(LimitTest, OffsetAcrossChunks) {
  Result r = RunLimit(100, 5, 7, 12);
  EXPECT_EQ(r.rows, Range(12, 19));
  EXPECT_EQ(r.pulled, 4);
  r = RunLimit(100, 5, 1000, 98);
  EXPECT_EQ(r.rows, Range(98, 100));
  EXPECT_EQ(r.pulled, 20);
  r = RunLimit(100, 5, 3, 500);
  EXPECT_TRUE(r.rows.empty());
}

TEST(LimitTest, OffsetOnly) {
  Result r = RunLimit(100, 7, std::nullopt, 95);
  EXPECT_EQ(r.rows, Range(95, 100));
  EXPECT_EQ(r.pulled, 15);
  r = RunLimit(30, 7, std::nullopt, 0);
  EXPECT_EQ(r.rows, Range(0, 30));
}

TEST(LimitTest, LimitZeroDoesNotRunTheChild) {
  Result r = RunLimit(100, 5, 0, 3);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_EQ(r.pulled, 0);
}

TEST(LimitTest, DownstreamStopPropagates) {
  Result r = RunLimit(100, 5, std::nullopt, 0, /*stop_after=*/1);
  EXPECT_EQ(r.rows, Range(0, 5));
  EXPECT_EQ(r.pulled, 1);
}

TEST(LimitTest, AboveSortPullsOneChunk) {
  auto sort = std::make_unique<Sort>(
      std::make_unique<RowSource>(kTypes, Numbers(10000)), std::vector<SortKey>{{0, true, true}});
  Sort* s = sort.get();
  Limit op(std::move(sort), 3, 1);
  ExecContext ctx(ExecLimits{});
  CheckingSink sink(op.types());
  ASSERT_TRUE(op.Produce(ctx, sink).ok());
  EXPECT_EQ(RowStrings(sink.rows()),
            (std::vector<std::string>{"9998|'r9998'", "9997|'r9997'", "9996|'r9996'"}));
  EXPECT_EQ(s->stats().chunks, 1u);
}

TEST(LimitTest, Describe) {
  auto src = [] { return std::make_unique<RowSource>(kTypes, std::vector<Row>{}); };
  EXPECT_EQ(Limit(src(), 10).Describe(), "Limit 10");
  EXPECT_EQ(Limit(src(), 10, 5).Describe(), "Limit 10 offset: 5");
  EXPECT_EQ(Limit(src(), std::nullopt, 5).Describe(), "Limit ALL offset: 5");
  EXPECT_EQ(Limit(src(), 1).types(), kTypes);
}

}  // namespace
}  // namespace laminar::execution
