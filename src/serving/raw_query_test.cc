// ExecuteRawSelect over in-memory relations: planning, joins, grouping, ordering, limits.
#include "serving/raw_query.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>

#include "sql/parser.h"
#include "views/sketch_sql.h"

namespace laminar::serving {
namespace {

// Relations held in memory, delivered in batches of `batch_rows` rows.
class MemoryRelations : public RelationProvider {
 public:
  void Add(RelationInfo info, std::vector<std::vector<Value>> rows) {
    std::string name = info.name;
    rels_[name] = {std::move(info), std::move(rows)};
  }
  Result<RelationInfo> Describe(const std::string& schema, const std::string& name) const override {
    auto it = rels_.find(name);
    if (!schema.empty() && schema != "public") return NotFound("relation \"{}.{}\" does not exist", schema, name);
    if (it == rels_.end()) return NotFound("relation \"{}\" does not exist", name);
    return it->second.first;
  }
  Status Scan(const RelationInfo& rel, const ScanRequest& req, const ScanFn& fn, QueryStats* stats) const override {
    const auto& [info, rows] = rels_.at(rel.name);
    last_request = req;
    ingest::StreamSchema schema;
    for (const auto& c : info.columns) schema.columns.push_back({c.name, c.type, false});
    std::vector<int> cols(info.columns.size());
    for (size_t i = 0; i < cols.size(); i++) cols[i] = req.needed[i] ? static_cast<int>(i) : -1;
    bool stop = false;
    for (size_t i = 0; i < rows.size() && !stop; i += batch_rows) {
      ingest::RowBatch b(schema);
      for (size_t r = i; r < std::min(rows.size(), i + batch_rows); r++) b.AppendRow(rows[r]);
      stats->other_rows += b.num_rows();
      scanned_batches++;
      RETURN_IF_ERROR(fn(b, cols, &stop));
    }
    return Status::OK();
  }
  size_t batch_rows = 2;
  mutable ScanRequest last_request;
  mutable size_t scanned_batches = 0;

 private:
  std::map<std::string, std::pair<RelationInfo, std::vector<std::vector<Value>>>> rels_;
};

Value T(const char* s) { return Value::Text(s); }
Value I(int64_t i) { return Value::Int(i); }
Value D(double d) { return Value::Double(d); }
const Value N;

class RawQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RelationInfo ev{RelationKind::kStream, "ev",
                    {{"ts", Type::kTimestamp}, {"country", Type::kText}, {"url", Type::kText}, {"lat", Type::kDouble},
                     {"n", Type::kInt64}},
                    0};
    int64_t h = 3600LL * 1000000;
    rel_.Add(ev, {
                     {Value::Timestamp(0), T("US"), T("/a"), D(10), I(1)},
                     {Value::Timestamp(h), T("US"), T("/b"), D(20), I(2)},
                     {Value::Timestamp(2 * h), T("DE"), T("/a"), D(30), N},
                     {Value::Timestamp(3 * h), T("FR"), T("/c"), N, I(4)},
                     {Value::Timestamp(4 * h), N, T("/a"), D(50), I(5)},
                 });
    RelationInfo countries{RelationKind::kDimension, "countries", {{"code", Type::kText}, {"name", Type::kText}}, -1};
    rel_.Add(countries, {{T("US"), T("United States")}, {T("DE"), T("Germany")}, {T("IT"), T("Italy")}});
  }

  Result<QueryResult> Run(const std::string& q, QueryLimits limits = {}) {
    auto stmts = sql::Parse(q);
    if (!stmts.ok()) return stmts.status();
    return ExecuteRawSelect(stmts->front(), rel_, limits);
  }

  // Rows as text: "a|b;c|d".
  std::string Rows(const std::string& q) {
    auto r = Run(q);
    if (!r.ok()) return "ERROR: " + r.status().ToString();
    std::string s;
    for (const auto& row : r->rows) {
      if (!s.empty()) s += ";";
      for (size_t i = 0; i < row.size(); i++) s += (i ? "|" : "") + (row[i].is_null() ? std::string("NULL") : row[i].ToString());
    }
    return s;
  }
  std::string Error(const std::string& q) {
    auto r = Run(q);
    return r.ok() ? "OK" : r.status().message();
  }

  MemoryRelations rel_;
};

TEST_F(RawQueryTest, ProjectionWhereOrderLimit) {
  EXPECT_EQ(Rows("SELECT url, n FROM ev WHERE n > 1 ORDER BY n DESC"), "/a|5;/c|4;/b|2");
  EXPECT_EQ(Rows("SELECT url FROM ev ORDER BY lat NULLS FIRST LIMIT 2"), "/c;/a");
  EXPECT_EQ(Rows("SELECT n * 2 AS x FROM ev WHERE country = 'US' ORDER BY x"), "2;4");
  EXPECT_EQ(Rows("SELECT count(*) FROM ev"), "5");
  EXPECT_EQ(Rows("SELECT url FROM ev ORDER BY 1, n DESC OFFSET 3"), "/b;/c");
  auto r = Run("SELECT * FROM ev LIMIT 1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->columns.size(), 5u);
  EXPECT_EQ(r->columns[1].name, "country");
  EXPECT_EQ(r->tag, "SELECT 1");
}

TEST_F(RawQueryTest, GroupByAndAggregates) {
  EXPECT_EQ(Rows("SELECT country, count(*), sum(n), avg(lat), min(url), max(n) FROM ev GROUP BY country ORDER BY country"),
            "DE|1|NULL|30|/a|NULL;FR|1|4|NULL|/c|4;US|2|3|15|/a|2;NULL|1|5|50|/a|5");
  EXPECT_EQ(Rows("SELECT count(DISTINCT url), count(url), count(lat) FROM ev"), "3|5|4");
  EXPECT_EQ(Rows("SELECT url, count(*) AS c FROM ev GROUP BY url HAVING count(*) > 1 ORDER BY c DESC"), "/a|3");
  EXPECT_EQ(Rows("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lat) FROM ev"), "25");
  EXPECT_EQ(Rows("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY lat) FROM ev"), "20");
  EXPECT_EQ(Rows("SELECT percentile_cont(ARRAY[0, 1]) WITHIN GROUP (ORDER BY n) FROM ev"), "{1,5}");
  EXPECT_EQ(Rows("SELECT sum(n) * 10 + count(*) AS score FROM ev"), "125");
  EXPECT_EQ(Rows("SELECT count(*) FILTER (WHERE n > 2) FROM ev"), "2");
  EXPECT_EQ(Rows("SELECT sum(n) FROM ev WHERE false"), "NULL");
  EXPECT_EQ(Rows("SELECT count(*) FROM ev WHERE false"), "0");
  EXPECT_EQ(Rows("SELECT country FROM ev WHERE false GROUP BY country"), "");
  EXPECT_EQ(Rows("SELECT DISTINCT url FROM ev ORDER BY url"), "/a;/b;/c");
  EXPECT_EQ(Rows("SELECT url AS u, count(*) FROM ev GROUP BY u ORDER BY 2 DESC, 1 LIMIT 2"), "/a|3;/b|1");
  EXPECT_EQ(Rows("SELECT approx_count_distinct(url) FROM ev"), "3");
}

TEST_F(RawQueryTest, Joins) {
  EXPECT_EQ(Rows("SELECT e.url, c.name FROM ev e JOIN countries c ON e.country = c.code ORDER BY e.ts"),
            "/a|United States;/b|United States;/a|Germany");
  EXPECT_EQ(Rows("SELECT e.url, c.name FROM ev AS e LEFT JOIN countries AS c ON c.code = e.country ORDER BY e.ts"),
            "/a|United States;/b|United States;/a|Germany;/c|NULL;/a|NULL");
  EXPECT_EQ(Rows("SELECT name, count(*) FROM ev JOIN countries ON country = code GROUP BY name ORDER BY name"),
            "Germany|1;United States|2");
  EXPECT_EQ(Rows("SELECT c.name FROM ev JOIN countries c ON ev.country = c.code AND ev.n > 1 ORDER BY 1"), "United States");
  // Without an equality: every pair of rows, then the condition (5 × 3 rows here).
  EXPECT_EQ(Rows("SELECT count(*) FROM ev JOIN countries ON true"), "15");
  EXPECT_EQ(Rows("SELECT count(*) FROM ev CROSS JOIN countries"), "15");
  EXPECT_EQ(Rows("SELECT count(*) FROM ev e JOIN countries c ON e.country < c.code"), "4");  // DE<IT, DE<US, FR<IT, FR<US
  // A comma join takes WHERE's equalities as its hash-join keys.
  EXPECT_EQ(Rows("SELECT e.url, c.name FROM ev e, countries c WHERE e.country = c.code AND e.n > 1 ORDER BY 1"),
            "/b|United States");
  EXPECT_EQ(Rows("SELECT count(*) FROM ev, countries"), "15");
  EXPECT_EQ(Error("SELECT 1 FROM ev RIGHT JOIN countries ON country = code"),
            "RIGHT joins are not supported; use INNER or LEFT JOIN");
}

TEST_F(RawQueryTest, Errors) {
  EXPECT_EQ(Error("SELECT nope FROM ev"), "column \"nope\" does not exist");
  EXPECT_EQ(Error("SELECT * FROM missing"), "relation \"missing\" does not exist");
  EXPECT_EQ(Error("SELECT url, count(*) FROM ev"),
            "column \"url\" must appear in the GROUP BY clause or be used in an aggregate function");
  EXPECT_EQ(Error("SELECT sum(url) FROM ev"), "function sum(text) does not exist");
  EXPECT_EQ(Error("SELECT url FROM ev WHERE count(*) > 1"), "aggregate functions are not allowed in WHERE");
  EXPECT_EQ(Error("SELECT (SELECT 1) FROM ev"), "subqueries are not supported");
  EXPECT_EQ(Error("SELECT row_number() OVER () FROM ev"), "window functions are not supported");
  EXPECT_EQ(Error("SELECT percentile_cont(2) WITHIN GROUP (ORDER BY n) FROM ev"),
            "the quantile of percentile_cont must be between 0 and 1, got 2");
}

TEST_F(RawQueryTest, BoundsAndEarlyStop) {
  rel_.batch_rows = 1;
  auto r = Run("SELECT url FROM ev WHERE n >= 2 AND n < 5 AND ts BETWEEN '1970-01-01' AND '1970-01-02'");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& bounds = rel_.last_request.bounds;
  ASSERT_EQ(bounds.size(), 4u);
  EXPECT_EQ(bounds[0].column, 4);
  EXPECT_TRUE(bounds[0].Admits(I(2)));
  EXPECT_FALSE(bounds[1].Admits(I(5)));
  EXPECT_TRUE(bounds[1].MayOverlap(I(0), I(4)));
  EXPECT_FALSE(bounds[0].MayOverlap(I(0), I(1)));
  EXPECT_EQ(bounds[2].column, 0);
  // Only what is read is asked for.
  EXPECT_EQ(std::string(rel_.last_request.needed.begin(), rel_.last_request.needed.end()), std::string("\1\0\1\0\1", 5));
  // LIMIT without ORDER BY stops the scan.
  rel_.scanned_batches = 0;
  EXPECT_EQ(Rows("SELECT url FROM ev LIMIT 2"), "/a;/b");
  EXPECT_EQ(rel_.scanned_batches, 2u);
}

TEST_F(RawQueryTest, Limits) {
  QueryLimits small;
  small.max_result_rows = 3;
  auto r = Run("SELECT url FROM ev", small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("more than 3 rows"), std::string::npos) << r.status().message();
  QueryLimits mem;
  mem.max_memory_bytes = 100;
  r = Run("SELECT url, count(*) FROM ev GROUP BY url", mem);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("max_memory_mb"), std::string::npos) << r.status().message();
  std::atomic<bool> cancel{true};
  QueryLimits c;
  c.cancel = &cancel;
  r = Run("SELECT url FROM ev ORDER BY url", c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  // Streamed to a sink: no row limit.
  std::vector<std::vector<Value>> got;
  RowSink sink{[](const std::vector<ResultColumn>&) { return Status::OK(); },
               [&](std::vector<Value>&& row) {
                 got.push_back(std::move(row));
                 return Status::OK();
               }};
  auto stmts = sql::Parse("SELECT url FROM ev");
  r = ExecuteRawSelect(stmts->front(), rel_, small, &sink);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(got.size(), 5u);
  EXPECT_EQ(r->tag, "SELECT 5");
  // A runtime error in row 3 (batches of 2 rows): rows 1 and 2 reach the sink, then the error;
  // the failing row and the rest of its batch never do.
  got.clear();
  stmts = sql::Parse("SELECT CASE WHEN url = '/a' AND n IS NULL THEN 'x' ELSE '1' END::bigint FROM ev");
  r = ExecuteRawSelect(stmts->front(), rel_, small, &sink);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("invalid input syntax for type bigint"), std::string::npos) << r.status().message();
  EXPECT_EQ(got.size(), 2u);
}

// ORDER BY ... LIMIT keeps only the best rows while scanning; the answer must equal a stable sort
// of every row (ties in arrival order), whatever the LIMIT/OFFSET. Also exact percentiles
// (computed by selection, not a full sort) against a sorted copy.
TEST_F(RawQueryTest, TopRowsAndPercentilesOverManyRows) {
  RelationInfo t{RelationKind::kStream, "many", {{"k", Type::kInt64}, {"x", Type::kDouble}, {"i", Type::kInt64}}, -1};
  std::vector<std::vector<Value>> rows;
  uint64_t state = 12345;
  for (int64_t i = 0; i < 5000; i++) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    int64_t k = static_cast<int64_t>((state >> 33) % 40);  // many ties
    double x = static_cast<double>((state >> 20) % 100000) / 7.0;
    rows.push_back({(state >> 40) % 50 == 0 ? N : I(k), D(x), I(i)});
  }
  rel_.Add(t, rows);
  rel_.batch_rows = 97;
  for (auto [limit, offset] : std::vector<std::pair<int, int>>{{1, 0}, {7, 2}, {50, 0}, {600, 1000}}) {
    for (bool desc : {false, true}) {
      std::vector<std::vector<Value>> want = rows;
      std::stable_sort(want.begin(), want.end(), [&](const auto& a, const auto& b) {
        if (a[0].is_null() != b[0].is_null()) return desc ? a[0].is_null() : b[0].is_null();  // NULLS LAST asc, FIRST desc
        if (a[0].is_null()) return false;
        return desc ? a[0].as_int() > b[0].as_int() : a[0].as_int() < b[0].as_int();
      });
      std::string expect;
      for (int r = offset; r < offset + limit; r++) expect += (expect.empty() ? "" : ";") + want[r][2].ToString();
      std::string q = "SELECT i FROM many ORDER BY k" + std::string(desc ? " DESC" : "") + " LIMIT " +
                      std::to_string(limit) + " OFFSET " + std::to_string(offset);
      EXPECT_EQ(Rows(q), expect) << q;
    }
  }
  std::vector<double> xs;
  for (const auto& r : rows) xs.push_back(r[1].as_double());
  std::sort(xs.begin(), xs.end());
  auto cont = [&](double q) {
    double pos = q * static_cast<double>(xs.size() - 1);
    size_t lo = static_cast<size_t>(std::floor(pos)), hi = static_cast<size_t>(std::ceil(pos));
    return xs[lo] + (pos - static_cast<double>(lo)) * (xs[hi] - xs[lo]);
  };
  auto r = Run("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x), percentile_cont(0.99) WITHIN GROUP (ORDER BY x DESC), "
               "percentile_disc(0.25) WITHIN GROUP (ORDER BY x), percentile_cont(1) WITHIN GROUP (ORDER BY x) FROM many");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_DOUBLE_EQ(r->rows[0][0].as_double(), cont(0.5));
  // DESC interpolates from the larger neighbour: the same value up to rounding.
  EXPECT_NEAR(r->rows[0][1].as_double(), cont(0.01), 1e-9 * cont(0.01));
  EXPECT_DOUBLE_EQ(r->rows[0][2].as_double(), xs[static_cast<size_t>(std::ceil(0.25 * 5000)) - 1]);
  EXPECT_DOUBLE_EQ(r->rows[0][3].as_double(), xs.back());
  EXPECT_EQ(Rows("SELECT percentile_cont(ARRAY[0, 0.5, 1]) WITHIN GROUP (ORDER BY x) FROM many"),
            views::ArrayText({D(xs.front()), D(cont(0.5)), D(xs.back())}));
}

TEST_F(RawQueryTest, NoFrom) {
  EXPECT_EQ(Rows("SELECT 1 + 1 AS two, 'x'"), "2|x");
  auto r = Run("SELECT 1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->columns[0].name, "?column?");
}


// Expressions are the same only when their bound structure is: a column's table and a literal's
// type count, though ToString drops both (bugs: a self-join or a dimension table joined twice
// grouped both sides as one; `n / 2` and `n / 2.0` were one expression).
TEST_F(RawQueryTest, ExpressionsMatchedByStructureNotText) {
  // The same column name through two aliases: GROUP BY a.name, b.name keeps both.
  EXPECT_EQ(Rows("SELECT a.name, b.name, count(*) FROM countries a JOIN countries b ON a.code <> b.code "
                 "GROUP BY a.name, b.name ORDER BY a.name, b.name LIMIT 2"),
            "Germany|Italy|1;Germany|United States|1");
  EXPECT_EQ(Rows("SELECT a.code, b.code FROM countries a, countries b WHERE a.code < b.code ORDER BY b.code, a.code"),
            "DE|IT;DE|US;IT|US");
  EXPECT_EQ(Rows("SELECT DISTINCT a.code, b.code FROM countries a JOIN countries b ON a.code = 'US' "
                 "ORDER BY a.code, b.code"),
            "US|DE;US|IT;US|US");
  // Aggregates over the two sides are two aggregates.
  EXPECT_EQ(Rows("SELECT max(a.code), max(b.code) FROM countries a JOIN countries b ON a.code < b.code"), "IT|US");
  // A literal's type: integer division beside float division.
  EXPECT_EQ(Rows("SELECT n / 2, n / 2.0 FROM ev WHERE n = 5"), "2|2.5");
  EXPECT_EQ(Rows("SELECT n / 2 AS a, n / 2.0 AS b, count(*) FROM ev WHERE n IS NOT NULL GROUP BY n / 2, n / 2.0 "
                 "ORDER BY n / 2.0"),
            "0|0.5|1;1|1|1;2|2|1;2|2.5|1");
  EXPECT_EQ(Rows("SELECT sum(n / 2), sum(n / 2.0) FROM ev"), "5|6");
  // ORDER BY an expression of one side, not the other's.
  EXPECT_EQ(Rows("SELECT a.code, b.code FROM countries a JOIN countries b ON a.code <> b.code "
                 "WHERE a.code = 'DE' ORDER BY b.name DESC"),
            "DE|US;DE|IT");
}

}  // namespace
}  // namespace laminar::serving
