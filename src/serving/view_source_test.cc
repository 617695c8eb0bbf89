// A view read by the engine (serving/view_source.h): rows one per dimension tuple over the batch
// version ⊕ the speed state, and measures re-merged by their own merge — exactly, where the
// per-row values would round or mislead.
#include "serving/view_source.h"

#include <gtest/gtest.h>

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
    views::ViewState speed(def_);
    Apply(&speed, {{"US", 1}, {"US", -1e16}, {"FR", 5}});
    ViewSnapshot snap{base, std::move(speed), {}};
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

}  // namespace
}  // namespace laminar::serving
