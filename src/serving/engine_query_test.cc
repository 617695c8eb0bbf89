// The one engine end to end over in-memory tables: bind → optimize → plan → run (serving/
// engine_query.h), with answers checked against PostgreSQL's semantics, and EXPLAIN shapes.
#include "serving/engine_query.h"

#include <gtest/gtest.h>

#include <map>

#include "sql/parser.h"
#include "sql/transformer.h"

namespace laminar::serving {
namespace {

// Tables held in memory, delivered in chunks of `chunk_rows` rows; bounds are ignored (the
// engine also filters every row).
class MemoryCatalog : public execution::TableCatalog {
 public:
  void Add(std::string name, std::vector<execution::TableColumn> cols, std::vector<std::vector<Value>> rows,
           execution::TableKind kind = execution::TableKind::kStream) {
    execution::TableInfo t;
    t.kind = kind;
    t.name = name;
    t.columns = std::move(cols);
    t.estimated_rows = double(rows.size());
    tables_[name] = {std::move(t), std::move(rows)};
  }
  Result<execution::TableInfo> Describe(const std::string& schema, const std::string& name) const override {
    auto it = tables_.find(name);
    if (it == tables_.end() || !(schema.empty() || schema == "public"))
      return NotFound("relation \"{}\" does not exist", name);
    return it->second.first;
  }
  Status Scan(const execution::TableInfo& table, const execution::ScanRequest& req, const execution::ScanChunkFn& fn,
              execution::ScanStats* stats) const override {
    const auto& [info, rows] = tables_.at(table.name);
    last_columns = req.columns;
    last_bounds = req.bounds.size();
    std::vector<Type> types;
    for (int c : req.columns) types.push_back(info.columns[c].type);
    bool stop = false;
    for (size_t i = 0; i < rows.size() && !stop; i += chunk_rows) {
      columnar::Chunk chunk(types);
      for (size_t r = i; r < std::min(rows.size(), i + chunk_rows); r++) {
        for (size_t k = 0; k < req.columns.size(); k++) chunk.columns[k].Append(rows[r][req.columns[k]]);
        chunk.rows++;
      }
      if (stats) stats->other_rows += chunk.rows;
      RETURN_IF_ERROR(fn(chunk, &stop));
    }
    return Status::OK();
  }
  size_t chunk_rows = 2;
  mutable std::vector<int> last_columns;
  mutable size_t last_bounds = 0;

 private:
  std::map<std::string, std::pair<execution::TableInfo, std::vector<std::vector<Value>>>> tables_;
};

Value T(const char* s) { return Value::Text(s); }
Value I(int64_t i) { return Value::Int(i); }
Value D(double d) { return Value::Double(d); }
const Value N;

class EngineQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int64_t h = 3600LL * 1000000;
    cat_.Add("ev",
             {{"ts", Type::kTimestamp}, {"country", Type::kText}, {"url", Type::kText}, {"lat", Type::kDouble},
              {"n", Type::kInt64}},
             {
                 {Value::Timestamp(0), T("US"), T("/a"), D(10), I(1)},
                 {Value::Timestamp(h), T("US"), T("/b"), D(20), I(2)},
                 {Value::Timestamp(2 * h), T("DE"), T("/a"), D(30), N},
                 {Value::Timestamp(3 * h), T("FR"), T("/c"), N, I(4)},
                 {Value::Timestamp(4 * h), N, T("/a"), D(50), I(5)},
             });
    cat_.Add("countries", {{"code", Type::kText}, {"name", Type::kText}},
             {{T("US"), T("United States")}, {T("DE"), T("Germany")}, {T("IT"), T("Italy")}},
             execution::TableKind::kDimension);
  }

  Result<QueryResult> Run(const std::string& q, QueryLimits limits = {}) {
    ASSIGN_OR_RETURN(auto stmts, sql::Parse(q));
    if (stmts.front().kind == "ExplainStmt") {
      ASSIGN_OR_RETURN(auto ex, sql::TransformExplain(stmts.front()));
      return ExplainEngineQuery(ex, cat_, limits);
    }
    ASSIGN_OR_RETURN(auto ast, sql::TransformStatement(stmts.front()));
    return RunEngineQuery(*ast, cat_, limits);
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
  std::string Plan(const std::string& q) {
    auto r = Run("EXPLAIN " + q);
    if (!r.ok()) return "ERROR: " + r.status().ToString();
    std::string s;
    for (const auto& row : r->rows) s += row[0].as_text() + "\n";
    return s;
  }

  MemoryCatalog cat_;
};

TEST_F(EngineQueryTest, ProjectionFilterOrderLimit) {
  EXPECT_EQ(Rows("SELECT url, n FROM ev WHERE n > 1 ORDER BY n DESC"), "/a|5;/c|4;/b|2");
  EXPECT_EQ(Rows("SELECT url FROM ev ORDER BY lat NULLS FIRST LIMIT 2"), "/c;/a");
  EXPECT_EQ(Rows("SELECT n * 2 AS x FROM ev WHERE country = 'US' ORDER BY x"), "2;4");
  EXPECT_EQ(Rows("SELECT count(*) FROM ev"), "5");
  EXPECT_EQ(Rows("SELECT url FROM ev ORDER BY 1, n DESC OFFSET 3"), "/b;/c");
  EXPECT_EQ(Rows("SELECT 1 + 1, 'x'"), "2|x");
  EXPECT_EQ(Rows("SELECT * FROM (VALUES (1, 'a'), (2, NULL)) v (k, s) ORDER BY k DESC"), "2|NULL;1|a");
}

TEST_F(EngineQueryTest, Aggregates) {
  EXPECT_EQ(Rows("SELECT country, count(*), sum(n), avg(lat) FROM ev GROUP BY country ORDER BY country NULLS FIRST"),
            "NULL|1|5|50;DE|1|NULL|30;FR|1|4|NULL;US|2|3|15");
  EXPECT_EQ(Rows("SELECT country, count(*) FROM ev GROUP BY 1 HAVING count(*) > 1"), "US|2");
  EXPECT_EQ(Rows("SELECT count(*) FILTER (WHERE n > 1), count(DISTINCT url) FROM ev"), "3|3");
  EXPECT_EQ(Rows("SELECT max(n) - min(n) FROM ev WHERE country = 'none'"), "NULL");
  EXPECT_EQ(Error("SELECT country, url FROM ev GROUP BY country"),
            "column \"url\" must appear in the GROUP BY clause or be used in an aggregate function");
  EXPECT_EQ(Error("SELECT count(*) FROM ev WHERE sum(n) > 1"), "aggregate functions are not allowed in WHERE");
}

TEST_F(EngineQueryTest, GroupingSets) {
  EXPECT_EQ(Rows("SELECT country, url, count(*), GROUPING(country, url) FROM ev WHERE country = 'US' "
                 "GROUP BY ROLLUP (country, url) ORDER BY 4, 2"),
            "US|/a|1|0;US|/b|1|0;US|NULL|2|1;NULL|NULL|2|3");
  EXPECT_EQ(Rows("SELECT country, count(*) FROM ev WHERE n < 3 GROUP BY CUBE (country) ORDER BY 1 NULLS FIRST"),
            "NULL|2;US|2");
}

TEST_F(EngineQueryTest, Joins) {
  EXPECT_EQ(Rows("SELECT e.url, c.name FROM ev e JOIN countries c ON e.country = c.code ORDER BY 1, 2"),
            "/a|Germany;/a|United States;/b|United States");
  EXPECT_EQ(Rows("SELECT c.code, count(e.n) FROM countries c LEFT JOIN ev e ON e.country = c.code GROUP BY 1 ORDER BY 1"),
            "DE|0;IT|0;US|2");
  EXPECT_EQ(Rows("SELECT e.country, c.code FROM ev e RIGHT JOIN countries c ON e.country = c.code WHERE e.country IS NULL"),
            "NULL|IT");
  EXPECT_EQ(Rows("SELECT count(*) FROM ev e FULL JOIN countries c ON e.country = c.code"), "6");
  EXPECT_EQ(Rows("SELECT code FROM countries JOIN (SELECT country AS code FROM ev) s USING (code) ORDER BY 1"),
            "DE;US;US");
  EXPECT_EQ(Rows("SELECT count(*) FROM ev, countries WHERE country = code"), "3");
  EXPECT_EQ(Rows("SELECT count(*) FROM ev CROSS JOIN countries"), "15");
  EXPECT_EQ(Rows("SELECT a.code, b.code FROM countries a JOIN countries b ON a.code < b.code ORDER BY 1, 2"),
            "DE|IT;DE|US;IT|US");
}

TEST_F(EngineQueryTest, SubqueriesAndSetOperations) {
  EXPECT_EQ(Rows("SELECT url FROM ev WHERE n = (SELECT max(n) FROM ev)"), "/a");
  EXPECT_EQ(Rows("SELECT code FROM countries WHERE code IN (SELECT country FROM ev) ORDER BY 1"), "DE;US");
  EXPECT_EQ(Rows("SELECT code FROM countries WHERE code NOT IN (SELECT country FROM ev)"), "");  // a NULL country
  EXPECT_EQ(Rows("SELECT code FROM countries WHERE code NOT IN (SELECT country FROM ev WHERE country IS NOT NULL)"), "IT");
  EXPECT_EQ(Rows("SELECT count(*) FROM ev WHERE EXISTS (SELECT 1 FROM countries WHERE code = 'IT')"), "5");
  EXPECT_EQ(Rows("WITH q AS (SELECT country, count(*) AS c FROM ev GROUP BY 1) SELECT a.country, b.c FROM q a "
                 "JOIN q b ON a.country = b.country ORDER BY 1 NULLS FIRST LIMIT 2"),
            "DE|1;FR|1");
  EXPECT_EQ(Rows("SELECT country FROM ev UNION SELECT code FROM countries ORDER BY 1 NULLS LAST"),
            "DE;FR;IT;US;NULL");
  EXPECT_EQ(Rows("SELECT country FROM ev INTERSECT ALL SELECT code FROM countries ORDER BY 1"), "DE;US");
  EXPECT_EQ(Rows("SELECT country FROM ev EXCEPT ALL SELECT code FROM countries ORDER BY 1 NULLS FIRST"), "NULL;FR;US");
  EXPECT_EQ(Error("SELECT (SELECT n FROM ev)"), "more than one row returned by a subquery used as an expression");
}

TEST_F(EngineQueryTest, CorrelatedSubqueries) {
  EXPECT_EQ(Rows("SELECT code FROM countries c WHERE EXISTS (SELECT 1 FROM ev e WHERE e.country = c.code) ORDER BY 1"),
            "DE;US");
  EXPECT_EQ(Rows("SELECT code FROM countries c WHERE NOT EXISTS (SELECT 1 FROM ev e WHERE e.country = c.code)"), "IT");
  EXPECT_EQ(Rows("SELECT code, (SELECT count(*) FROM ev e WHERE e.country = c.code) FROM countries c ORDER BY 1"),
            "DE|1;IT|0;US|2");
  EXPECT_EQ(Rows("SELECT code, (SELECT max(n) FROM ev e WHERE e.country = c.code) AS m FROM countries c ORDER BY 1"),
            "DE|NULL;IT|NULL;US|2");
  EXPECT_EQ(Rows("SELECT url FROM ev o WHERE n > (SELECT avg(n) FROM ev i WHERE i.url = o.url) ORDER BY 1"), "/a");
  EXPECT_EQ(Rows("SELECT code FROM countries c WHERE 'a' || code IN (SELECT 'a' || country FROM ev e WHERE e.n > 1 "
                 "AND e.country = c.code)"),
            "US");
}

TEST_F(EngineQueryTest, WindowFunctions) {
  EXPECT_EQ(Rows("SELECT url, n, row_number() OVER (ORDER BY n NULLS LAST) FROM ev ORDER BY 3"),
            "/a|1|1;/b|2|2;/c|4|3;/a|5|4;/a|NULL|5");
  EXPECT_EQ(Rows("SELECT url, sum(n) OVER (PARTITION BY url) FROM ev ORDER BY 1, 2"), "/a|6;/a|6;/a|6;/b|2;/c|4");
  EXPECT_EQ(Rows("SELECT n, lag(n) OVER (ORDER BY n) FROM ev WHERE n IS NOT NULL ORDER BY n"), "1|NULL;2|1;4|2;5|4");
  EXPECT_EQ(Rows("SELECT country, count(*), rank() OVER (ORDER BY count(*) DESC) FROM ev GROUP BY 1 ORDER BY 3, 1 NULLS LAST"),
            "US|2|1;DE|1|2;FR|1|2;NULL|1|2");
}

TEST_F(EngineQueryTest, DistinctOn) {
  EXPECT_EQ(Rows("SELECT DISTINCT ON (url) url, n FROM ev ORDER BY url, n DESC NULLS LAST"), "/a|5;/b|2;/c|4");
  EXPECT_EQ(Rows("SELECT DISTINCT country FROM ev ORDER BY 1 NULLS FIRST"), "NULL;DE;FR;US");
}

TEST_F(EngineQueryTest, ExpressionsByStructure) {
  EXPECT_EQ(Rows("SELECT a.name, b.name, count(*) FROM countries a JOIN countries b ON a.code <> b.code "
                 "GROUP BY a.name, b.name ORDER BY a.name, b.name LIMIT 2"),
            "Germany|Italy|1;Germany|United States|1");
  EXPECT_EQ(Rows("SELECT n / 2 AS a, n / 2.0 AS b, count(*) FROM ev WHERE n IS NOT NULL GROUP BY n / 2, n / 2.0 "
                 "ORDER BY n / 2.0"),
            "0|0.5|1;1|1|1;2|2|1;2|2.5|1");
}

TEST_F(EngineQueryTest, ExplainShowsPushdownAndDecorrelation) {
  std::string p = Plan("SELECT url FROM ev WHERE n > 1 AND ts < '2024-01-01'");
  EXPECT_NE(p.find("Scan stream ev [ts, url, n] bound: "), std::string::npos) << p;
  EXPECT_NE(p.find("filter: "), std::string::npos) << p;
  EXPECT_EQ(p.find("-> Filter"), std::string::npos) << p;
  p = Plan("SELECT code FROM countries c WHERE EXISTS (SELECT 1 FROM ev e WHERE e.country = c.code)");
  EXPECT_NE(p.find("HashJoin MARK EXISTS"), std::string::npos) << p;
  p = Plan("SELECT count(*) FROM ev, countries WHERE country = code");
  EXPECT_NE(p.find("HashJoin INNER"), std::string::npos) << p;
  EXPECT_EQ(p.find("NestedLoopJoin"), std::string::npos) << p;
  // Only the needed columns are read.
  ASSERT_TRUE(Run("SELECT sum(n) FROM ev").ok());
  EXPECT_EQ(cat_.last_columns, std::vector<int>{4});
}

TEST_F(EngineQueryTest, Errors) {
  EXPECT_EQ(Error("SELECT x FROM ev"), "column \"x\" does not exist");
  EXPECT_EQ(Error("SELECT * FROM nope"), "relation \"nope\" does not exist");
  EXPECT_EQ(Error("SELECT code FROM countries a, countries b"), "column reference \"code\" is ambiguous");
  EXPECT_EQ(Error("SELECT 1 UNION SELECT true"), "UNION types bigint and boolean cannot be matched");
}

}  // namespace
}  // namespace laminar::serving
