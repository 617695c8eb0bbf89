// SortedGroups (views/sorted_groups.h): a batch version's groups in dimension order, ranges of
// the leading dimension by binary search, and min/max per block.
#include "views/sorted_groups.h"

#include <gtest/gtest.h>

namespace laminar::views {
namespace {

// SELECT hour, country, count(*) ... GROUP BY 1, 2 with its groups made directly.
std::shared_ptr<ViewState> State(const std::vector<std::pair<Value, Value>>& tuples) {
  auto d = std::make_shared<ViewDef>();
  d->name = "v";
  d->dims = {{"hour", sql::MakeColumn(0, "hour", Type::kTimestamp), Type::kTimestamp},
             {"country", sql::MakeColumn(1, "country", Type::kText), Type::kText}};
  d->measures = {{"n", AggKind::kCountStar, -1, Type::kInt64, Type::kInt64}};
  d->columns = {{true, 0}, {true, 1}, {false, 0}};
  auto s = std::make_shared<ViewState>(d);
  for (const auto& [h, c] : tuples) s->GroupFor({h, c}).aggs[0].count++;
  return s;
}

std::vector<std::string> Lead(const SortedGroups& g, std::pair<size_t, size_t> r) {
  std::vector<std::string> out;
  for (size_t p = r.first; p < r.second; p++) out.push_back(g.dims(p)[0].ToString() + "/" + g.dims(p)[1].ToString());
  return out;
}

TEST(SortedGroupsTest, OrdersByDimensionsWithNullsLast) {
  auto s = State({{Value::Timestamp(30), Value::Text("b")}, {Value::Null(), Value::Text("a")},
                  {Value::Timestamp(10), Value::Null()}, {Value::Timestamp(10), Value::Text("a")},
                  {Value::Timestamp(20), Value::Text("a")}});
  SortedGroups g(s);
  ASSERT_EQ(g.size(), 5u);
  std::vector<uint32_t> groups;
  for (size_t p = 0; p < g.size(); p++) groups.push_back(g.group(p));
  EXPECT_EQ(groups, (std::vector<uint32_t>{3, 2, 4, 0, 1}));  // (10,a) (10,NULL) (20,a) (30,b) (NULL,a)
  const Value none;
  // Every non-null leading value; NULL never.
  EXPECT_EQ(g.LeadingRange(none, true, none, true), (std::pair<size_t, size_t>{0, 4}));
  EXPECT_EQ(g.LeadingRange(Value::Timestamp(10), true, Value::Timestamp(20), false), (std::pair<size_t, size_t>{0, 2}));
  EXPECT_EQ(g.LeadingRange(Value::Timestamp(10), false, Value::Timestamp(20), true), (std::pair<size_t, size_t>{2, 3}));
  EXPECT_EQ(g.LeadingRange(Value::Timestamp(20), true, Value::Timestamp(20), true), (std::pair<size_t, size_t>{2, 3}));
  EXPECT_EQ(g.LeadingRange(Value::Timestamp(31), true, none, true).first, g.LeadingRange(Value::Timestamp(31), true, none, true).second);
  EXPECT_EQ(g.LeadingRange(Value::Timestamp(25), true, Value::Timestamp(5), true).second,
            g.LeadingRange(Value::Timestamp(25), true, Value::Timestamp(5), true).first);  // empty, never reversed
  EXPECT_EQ(Lead(g, g.LeadingRange(none, true, Value::Timestamp(10), true)).size(), 2u);
  // One block: min and max of the non-null values, and whether a NULL is there.
  ASSERT_EQ(g.num_blocks(), 1u);
  EXPECT_EQ(g.BlockMin(0, 0).as_int(), 10);
  EXPECT_EQ(g.BlockMax(0, 0).as_int(), 30);
  EXPECT_TRUE(g.BlockHasNull(0, 0));
  EXPECT_EQ(g.BlockMin(0, 1).as_text(), "a");
  EXPECT_EQ(g.BlockMax(0, 1).as_text(), "b");
}

TEST(SortedGroupsTest, BlocksOfManyGroups) {
  std::vector<std::pair<Value, Value>> tuples;
  for (int h = 2999; h >= 0; h--) tuples.push_back({Value::Timestamp(h), Value::Text(h % 2 ? "odd" : "even")});
  SortedGroups g(State(tuples));
  ASSERT_EQ(g.num_blocks(), 3u);
  EXPECT_EQ(g.BlockMin(1, 0).as_int(), 1024);
  EXPECT_EQ(g.BlockMax(1, 0).as_int(), 2047);
  EXPECT_EQ(g.BlockMax(2, 0).as_int(), 2999);
  EXPECT_FALSE(g.BlockHasNull(2, 0));
  auto r = g.LeadingRange(Value::Timestamp(100), true, Value::Timestamp(200), false);
  EXPECT_EQ(r.second - r.first, 100u);
  EXPECT_EQ(g.dims(r.first)[0].as_int(), 100);
}

}  // namespace
}  // namespace laminar::views
