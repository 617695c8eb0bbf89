// A view read by the engine (serving/view_source.h): rows one per dimension tuple over the batch
// version ⊕ the speed state, and measures re-merged by their own merge — exactly, where the
// per-row values would round or mislead.
#include "serving/view_source.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <random>
#include <set>

#include "serving/engine_query.h"
#include "sql/parser.h"
#include "sql/transformer.h"

namespace laminar::serving {
namespace {

using views::AggKind;

// SELECT country, count(*) AS n, sum(x) AS total, avg(x) AS mean FROM events GROUP BY country
views::ViewDefPtr Def() {
  auto d = std::make_shared<views::ViewDef>();
  d->name = "v";
  d->stream = "events";
  d->dims = {{"country", sql::MakeColumn(0, "country", Type::kText), Type::kText}};
  d->measures = {{"n", AggKind::kCountStar, -1, Type::kInt64, Type::kInt64},
                 {"total", AggKind::kSum, 1, Type::kDouble, Type::kDouble},
                 {"mean", AggKind::kAvg, 1, Type::kDouble, Type::kDouble}};
  d->columns = {{true, 0}, {false, 0}, {false, 1}, {false, 2}};
  return d;
}

void Apply(views::ViewState* s, const std::vector<std::pair<const char*, double>>& rows) {
  ingest::StreamSchema schema;
  schema.name = "events";
  schema.columns = {{"country", Type::kText, false}, {"x", Type::kDouble, false}};
  ingest::RowBatch b(schema);
  for (const auto& [c, x] : rows) b.AppendRow({Value::Text(c), Value::Double(x)});
  s->Apply(b);
}

// The view pinned once, as ProviderCatalog does.
class OneViewCatalog : public execution::TableCatalog {
 public:
  explicit OneViewCatalog(std::shared_ptr<const PinnedView> v) : view_(std::move(v)) {}
  Result<execution::TableInfo> Describe(const std::string&, const std::string& name) const override {
    if (name != "v") return NotFound("relation \"{}\" does not exist", name);
    return view_->Describe(view_);
  }
  Status Scan(const execution::TableInfo&, const execution::ScanRequest& req, const execution::ScanChunkFn& fn,
              execution::ScanStats* stats) const override {
    return view_->Scan(req, fn, stats);
  }

 private:
  std::shared_ptr<const PinnedView> view_;
};

class ViewSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    def_ = Def();
    auto base = std::make_shared<views::ViewState>(def_);
    // Magnitudes far apart: the sum of rounded per-row sums differs from the exact sum.
    Apply(base.get(), {{"US", 1e16}, {"US", 1}, {"DE", 3}});
    // The speed state in its two parts (speed/speed_view.h): US is in all three.
    views::ViewState speed(def_), recent(def_);
    Apply(&speed, {{"US", 1}});
    Apply(&recent, {{"US", -1e16}, {"FR", 5}});
    ViewSnapshot snap{base, std::make_shared<const views::ViewState>(std::move(speed)),
                      std::make_shared<const views::ViewState>(std::move(recent)), {}};
    snap.stats.batch_version = 4;
    view_ = std::make_shared<const PinnedView>(def_, std::move(snap));
  }
  std::string Rows(const std::string& q) {
    OneViewCatalog cat(view_);
    auto stmts = sql::Parse(q);
    if (!stmts.ok()) return stmts.status().ToString();
    auto ast = sql::TransformStatement(stmts->front());
    if (!ast.ok()) return ast.status().ToString();
    auto r = RunEngineQuery(**ast, cat, {});
    if (!r.ok()) return "ERROR: " + r.status().message();
    std::string s;
    for (const auto& row : r->rows) {
      if (!s.empty()) s += ";";
      for (size_t i = 0; i < row.size(); i++) s += (i ? "|" : "") + (row[i].is_null() ? std::string("NULL") : row[i].ToString());
    }
    return s;
  }
  views::ViewDefPtr def_;
  std::shared_ptr<const PinnedView> view_;
};

TEST_F(ViewSourceTest, OneRowPerTupleWithStatesMerged) {
  EXPECT_EQ(view_->num_rows(), 3u);  // US in both parts is one row
  auto rows = view_->Rows();
  ASSERT_EQ(rows.size(), 3u);
  std::map<std::string, std::vector<Value>> by;
  for (auto& r : rows) by[r[0].as_text()] = r;
  EXPECT_EQ(by["US"][1].as_int(), 4);
  EXPECT_EQ(by["US"][2].as_double(), 2.0);  // exact: 1e16 + 1 + 1 - 1e16
  EXPECT_EQ(by["FR"][3].as_double(), 5.0);
  execution::TableInfo t = view_->Describe(view_);
  ASSERT_EQ(t.columns.size(), 5u);
  EXPECT_TRUE(t.columns[4].hidden);
  EXPECT_EQ(t.row_ref_column, 4);
  EXPECT_EQ(t.columns[2].measure, 1);
  EXPECT_EQ(t.columns[0].measure, -1);
}

TEST_F(ViewSourceTest, ScanSkipsRowsOutsideDimensionBounds) {
  execution::ScanRequest req;
  req.columns = {0, 1, 4};
  execution::ColumnBound b;
  b.column = 0;
  b.lo = b.hi = Value::Text("US");
  req.bounds = {b};
  execution::ScanStats stats;
  std::vector<std::string> seen;
  ASSERT_TRUE(view_->Scan(req, [&](columnar::Chunk& c, bool*) {
    for (size_t r = 0; r < c.rows; r++) seen.push_back(c.GetRow(r)[0].as_text() + ":" + c.GetRow(r)[1].ToString());
    return Status::OK();
  }, &stats).ok());
  EXPECT_EQ(seen, std::vector<std::string>{"US:4"});
  EXPECT_EQ(stats.batch_version, 4u);
  EXPECT_EQ(stats.view_scans, 1u);
}

TEST_F(ViewSourceTest, ReaggregationMergesStatesExactly) {
  // The merged double sum is exact (1e16 + 1 + 3 + 1 - 1e16 + 5 = 10); summing the per-row values
  // would give the same here only by luck of rounding, so compare with the raw total.
  EXPECT_EQ(Rows("SELECT sum(total), sum(n), avg(mean) FROM v"), "10|6|1.6666666666666667");
  // A bare measure after GROUP BY is its merge; avg stays a true average.
  EXPECT_EQ(Rows("SELECT country = 'DE' AS de, mean, n FROM v GROUP BY 1 ORDER BY 1"), "false|1.4|5;true|3|1");
  // Other aggregates read per-row values: the mean per-row count, the largest row.
  EXPECT_EQ(Rows("SELECT avg(n), max(n), count(*) FROM v"), "2|4|3");
  EXPECT_EQ(Rows("SELECT sum(mean) FROM v"),
            "ERROR: sum(mean): measure \"mean\" is a avg and re-aggregates only with avg(mean) or by naming it");
  // Over no rows a merged measure is NULL, as sum() is.
  EXPECT_EQ(Rows("SELECT sum(n), avg(mean) FROM v WHERE country = 'IT'"), "NULL|NULL");
  EXPECT_EQ(Rows("SELECT country FROM v WHERE n > 1"), "US");
}

// A view read by its leading dimension (ViewState::ForEachInLeadingRange, both parts) gives
// exactly the rows every bound admits: random bounds over thousands of groups with NULLs in both
// dimensions, against every row filtered here; bounded scans read fewer groups than all.
TEST(ViewSourceRangeTest, BoundedScanEqualsFilteredRows) {
  auto d = std::make_shared<views::ViewDef>();
  d->name = "v";
  d->stream = "events";
  d->dims = {{"hour", sql::MakeColumn(0, "hour", Type::kTimestamp), Type::kTimestamp},
             {"country", sql::MakeColumn(1, "country", Type::kText), Type::kText}};
  d->measures = {{"n", AggKind::kCountStar, -1, Type::kInt64, Type::kInt64}};
  d->columns = {{true, 0}, {true, 1}, {false, 0}};
  std::mt19937 rng(7);
  auto base = std::make_shared<views::ViewState>(d);
  auto speed = std::make_shared<views::ViewState>(d);
  auto hour = [&]() { return rng() % 50 == 0 ? Value::Null() : Value::Timestamp(int64_t(rng() % 400)); };
  auto country = [&]() { return rng() % 40 == 0 ? Value::Null() : Value::Text(std::string(1, char('a' + rng() % 8))); };
  for (int i = 0; i < 6000; i++) base->GroupFor({hour(), country()}).aggs[0].count += 1 + rng() % 5;
  auto recent = std::make_shared<views::ViewState>(d);
  for (int i = 0; i < 300; i++) speed->GroupFor({hour(), country()}).aggs[0].count++;
  for (int i = 0; i < 200; i++) recent->GroupFor({hour(), country()}).aggs[0].count += 7;
  PinnedView view(d, ViewSnapshot{base, speed, recent, {}});
  {
    // Every row is one tuple of base ⊕ speed ⊕ recent with its counts summed.
    views::ViewState all(d);
    for (const auto* part : {base.get(), speed.get(), recent.get()}) all.Merge(*part);
    auto served = view.Rows();
    ASSERT_EQ(served.size(), all.num_groups());
    std::string key;
    for (const auto& row : served) {
      const views::Group* g = all.Find({row[0], row[1]}, &key);
      ASSERT_NE(g, nullptr);
      EXPECT_EQ(row[2].as_int(), g->aggs[0].count);
    }
  }
  auto rows = [](const PinnedView& v, const execution::ScanRequest& req, size_t* visited) {
    std::multiset<std::string> out;
    execution::ScanStats stats;
    Status st = v.Scan(req, [&](columnar::Chunk& c, bool*) {
      for (size_t r = 0; r < c.rows; r++) {
        std::string row;
        for (const Value& x : c.GetRow(r)) row += (x.is_null() ? "NULL" : x.ToString()) + "|";
        out.insert(row);
      }
      return Status::OK();
    }, &stats);
    EXPECT_TRUE(st.ok()) << st.ToString();
    *visited = stats.other_rows;
    return out;
  };
  size_t fewer = 0;
  for (int t = 0; t < 300; t++) {
    execution::ScanRequest req;
    req.columns = {0, 1, 2, 3};
    for (int c = 0; c < 2; c++) for (int k = 0; k < 2; k++) {  // up to two bounds on a column (a AND b)
      if (rng() % 3 == 0) continue;
      execution::ColumnBound b;
      b.column = c;
      auto pick = [&]() { return c == 0 ? Value::Timestamp(int64_t(rng() % 420) - 10) : Value::Text(std::string(1, char('a' + rng() % 9))); };
      if (rng() % 4) b.lo = pick();
      if (rng() % 4) b.hi = pick();
      if (rng() % 5 == 0) b.hi = b.lo;
      b.lo_inclusive = rng() % 2;
      b.hi_inclusive = rng() % 2;
      req.bounds.push_back(b);
    }
    size_t vw = 0, vo = 0;
    execution::ScanRequest all;
    all.columns = req.columns;
    rows(view, all, &vo);
    // Every row, filtered here by the bounds (the speed part included).
    std::multiset<std::string> expected;
    for (const auto& row : view.Rows()) {
      bool admitted = true;
      for (const auto& b : req.bounds) admitted = admitted && b.Admits(row[b.column]);
      if (!admitted) continue;
      std::string text;
      for (const Value& x : row) text += (x.is_null() ? "NULL" : x.ToString()) + "|";
      expected.insert(text);
    }
    req.columns = {0, 1, 2};
    EXPECT_EQ(rows(view, req, &vw), expected) << "trial " << t;
    EXPECT_LE(vw, vo);
    fewer += vw < vo;
  }
  EXPECT_GT(fewer, 100u);  // the leading index is used: most bounded scans visit fewer rows
}

// A bound on a later dimension is checked on every group: whole hours' runs of keys inside it,
// part of one, and across runs.
TEST(ViewSourceRangeTest, BoundsOnALaterDimension) {
  auto d = std::make_shared<views::ViewDef>();
  d->name = "v";
  d->dims = {{"hour", sql::MakeColumn(0, "hour", Type::kTimestamp), Type::kTimestamp},
             {"key", sql::MakeColumn(1, "key", Type::kText), Type::kText}};
  d->measures = {{"n", AggKind::kCountStar, -1, Type::kInt64, Type::kInt64}};
  d->columns = {{true, 0}, {true, 1}, {false, 0}};
  auto base = std::make_shared<views::ViewState>(d);
  for (int h = 0; h < 2; h++)  // 4,096 keys an hour
    for (int k = 0; k < 4096; k++) base->GroupFor({Value::Timestamp(h), Value::Text(fmt::format("k{:04d}", k))}).aggs[0].count = 1;
  PinnedView view(d, ViewSnapshot{base, std::make_shared<const views::ViewState>(d), {}});
  auto count = [&](const char* lo, const char* hi) {
    execution::ScanRequest req;
    req.columns = {1};
    execution::ColumnBound b;
    b.column = 1;
    b.lo = Value::Text(lo);
    b.hi = Value::Text(hi);
    req.bounds = {b};
    size_t n = 0;
    execution::ScanStats stats;
    EXPECT_TRUE(view.Scan(req, [&](columnar::Chunk& c, bool*) {
      for (size_t r = 0; r < c.rows; r++) EXPECT_TRUE(b.Admits(c.GetRow(r)[0]));
      n += c.rows;
      return Status::OK();
    }, &stats).ok());
    return n;
  };
  EXPECT_EQ(count("k1024", "k3071"), 2u * 2048);
  EXPECT_EQ(count("k1024", "k1500"), 2u * 477);
  EXPECT_EQ(count("k0900", "k1100"), 2u * 201);
}

}  // namespace
}  // namespace laminar::serving
