// Fuzz target for the SQL engine: the input is SQL text; it is parsed (sql::Parse: libpg_query and
// Laminar's checks), every SELECT is transformed, bound, optimized and planned
// (serving/engine_query.h) against fixed in-memory relations, and then run over a handful of
// rows with edge values (NULLs, INT64_MIN/MAX, NaN, ±Infinity, -0.0, empty and non-ASCII text,
// timestamps far from 1970), so that evaluation is fuzzed too. Small limits (1,000 result rows,
// 16 MiB, 1 s) keep each input cheap; errors are expected results. Findings: crashes (an exception
// escaping included), sanitizer reports, and broken invariants — a result value whose type is
// not its column's; more rows than max_result_rows; a different
// answer when the scan leaves out the rows the WHERE bounds rule out (as partition pruning and
// row-group skipping do). LaminarFuzzMakeSeeds writes 71 valid and edge-case queries for the
// standalone driver (src/lake/fuzz/fuzz_driver.cc, --self-seeds) and for libFuzzer's corpus
// (scripts/fuzz.sh --target sql); fuzz/sql.dict is a libFuzzer dictionary of SQL tokens.
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/fuzz_seeds.h"
#include "serving/engine_query.h"
#include "serving/relation_provider.h"
#include "serving/table_catalog.h"
#include "sql/binder.h"
#include "sql/expr.h"
#include "sql/parser.h"
#include "sql/transformer.h"

namespace {

using namespace laminar;
using serving::RelationInfo;
using serving::RelationKind;

// Relations held in memory, delivered in batches of two rows (so scans cross batch boundaries).
// With skip_by_bounds, the scan leaves out rows that no ScanRequest bound admits, as the lake's
// partition pruning and row-group skipping may: the answer must not change.
class MemoryRelations : public serving::RelationProvider {
 public:
  explicit MemoryRelations(bool skip_by_bounds) : skip_by_bounds_(skip_by_bounds) {
    const int64_t h = 3600LL * 1000000;
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const int64_t imax = std::numeric_limits<int64_t>::max(), imin = std::numeric_limits<int64_t>::min();
    auto T = [](const char* s) { return Value::Text(s); };
    auto I = [](int64_t i) { return Value::Int(i); };
    auto D = [](double d) { return Value::Double(d); };
    auto B = [](bool b) { return Value::Bool(b); };
    auto TS = [](int64_t us) { return Value::Timestamp(us); };
    const Value N;
    // ev: a stream (ts is the event time).
    Add({RelationKind::kStream, "ev",
         {{"ts", Type::kTimestamp}, {"country", Type::kText}, {"url", Type::kText}, {"lat", Type::kDouble},
          {"n", Type::kInt64}, {"ok", Type::kBool}},
         0},
        {
            {TS(1710028800000000), T("US"), T("/a"), D(10.5), I(1), B(true)},
            {TS(1710028800000000 + h), T("US"), T("/b?x=1"), D(-20), I(-2), B(false)},
            {TS(1710028800000000 + 2 * h + 1), T("DE"), T("/a"), D(0.0), N, N},
            {TS(1710028800000000 + 25 * h), T("fr"), T(""), N, I(imax), B(true)},
            {TS(-62135596800000000), N, T("/ünï/\xe2\x82\xac"), D(-0.0), I(imin), B(false)},
            {TS(253402300799999999), T("%_\\"), N, D(inf), I(0), N},
            {TS(0), T(""), T("/a"), D(-inf), I(-1), B(true)},
            {TS(1710028800000000 + 3 * h), T("US"), T("/c"), D(nan), I(4611686018427387904LL), B(false)},
            {TS(1710028800000000 + 47 * h), T("DE"), T("/a"), D(1e308), I(-4611686018427387905LL), B(true)},
        });
    // countries: a dimension table (a duplicate key, a NULL key).
    Add({RelationKind::kDimension, "countries", {{"code", Type::kText}, {"name", Type::kText}, {"pop", Type::kInt64}}, -1},
        {
            {T("US"), T("United States"), I(331)},
            {T("DE"), T("Germany"), I(83)},
            {T("DE"), T("Deutschland"), N},
            {N, T("nowhere"), I(0)},
            {T("IT"), N, I(imax)},
        });
    // pv: a view read as a table.
    Add({RelationKind::kView, "pv", {{"hour", Type::kTimestamp}, {"country", Type::kText}, {"views", Type::kInt64},
                                     {"avg_lat", Type::kDouble}},
         -1},
        {
            {TS(1710028800000000), T("US"), I(2), D(-4.75)},
            {TS(1710028800000000 + h), N, I(1), N},
            {TS(1710028800000000 + h), T("DE"), I(imin), D(nan)},
        });
  }

  Result<RelationInfo> Describe(const std::string& schema, const std::string& name) const override {
    if (!schema.empty() && schema != "public") return NotFound("relation \"{}.{}\" does not exist", schema, name);
    auto it = rels_.find(name);
    if (it == rels_.end()) return NotFound("relation \"{}\" does not exist", name);
    return it->second.first;
  }

  Status Scan(const RelationInfo& rel, const serving::ScanRequest& req, const serving::ScanFn& fn,
              serving::QueryStats* stats) const override {
    auto it = rels_.find(rel.name);
    if (it == rels_.end()) return NotFound("relation \"{}\" does not exist", rel.name);
    const auto& [info, rows] = it->second;
    ingest::StreamSchema schema;
    for (const auto& c : info.columns) schema.columns.push_back({c.name, c.type, false});
    std::vector<int> cols(info.columns.size());
    for (size_t i = 0; i < cols.size(); i++)
      cols[i] = i < req.needed.size() && req.needed[i] ? static_cast<int>(i) : -1;
    bool stop = false;
    for (size_t i = 0; i < rows.size() && !stop; i += 2) {
      ingest::RowBatch b(schema);
      for (size_t r = i; r < std::min(rows.size(), i + 2); r++) {
        bool skip = false;
        if (skip_by_bounds_)
          for (const auto& bound : req.bounds)
            if (bound.column >= 0 && bound.column < static_cast<int>(rows[r].size()) &&
                !bound.Admits(rows[r][bound.column]))
              skip = true;
        if (!skip) b.AppendRow(rows[r]);
      }
      stats->other_rows += b.num_rows();
      RETURN_IF_ERROR(fn(b, cols, &stop));
    }
    return Status::OK();
  }

 private:
  void Add(RelationInfo info, std::vector<std::vector<Value>> rows) {
    std::string name = info.name;
    rels_[name] = {std::move(info), std::move(rows)};
  }
  bool skip_by_bounds_;
  std::map<std::string, std::pair<RelationInfo, std::vector<std::vector<Value>>>> rels_;
};

const MemoryRelations& Relations(bool skip_by_bounds) {
  static const MemoryRelations* all = new MemoryRelations(false);
  static const MemoryRelations* skipping = new MemoryRelations(true);
  return skip_by_bounds ? *skipping : *all;
}

// True when the statement may call now() (or CURRENT_TIMESTAMP, LOCALTIMESTAMP, ...).
bool MayReadClock(std::string_view sql) {
  std::string lower(sql);
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const char* w : {"now", "current", "local", "transaction_", "statement_"})
    if (lower.find(w) != std::string::npos) return true;
  return false;
}

// A result as text, for comparing two runs.
std::string ResultText(const serving::QueryResult& r) {
  std::string out;
  for (const auto& c : r.columns) out += c.name + ":" + TypeShortName(c.type) + ",";
  for (const auto& row : r.rows) {
    out += "\n";
    for (const Value& v : row) out += v.is_null() ? std::string("NULL") : std::string(TypeShortName(v.type())) + ":" + v.ToString() + "|";
  }
  return out;
}

// An invariant broken: the finding. Prints what and aborts (the driver saves the input).
[[noreturn]] void Fail(const char* what, std::string_view sql, const std::string& detail = "") {
  std::fprintf(stderr, "sql_fuzz: %s %s\nSQL: %.*s\n", what, detail.c_str(), static_cast<int>(sql.size()), sql.data());
  std::abort();
}

// Runs a SELECT as the engine does.
Result<serving::QueryResult> RunSelect(const sql::Statement& stmt, const serving::RelationProvider& rel,
                                       const serving::QueryLimits& limits) {
  ASSIGN_OR_RETURN(auto ast, sql::TransformStatement(stmt));
  serving::ProviderCatalog catalog(rel);
  return serving::RunEngineQuery(*ast, catalog, limits);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;  // long inputs only slow the parser down
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto stmts = sql::Parse(text);
  if (!stmts.ok()) return 0;
  serving::QueryLimits limits;
  limits.max_result_rows = 1000;
  limits.max_memory_bytes = 16u << 20;
  limits.timeout_micros = 1'000'000;
  for (const sql::Statement& stmt : *stmts) {
    if (stmt.kind != "SelectStmt") continue;
    auto run = RunSelect(stmt, Relations(false), limits);
    if (run.ok()) {
      // Every row has one value per column, of the column's type (or NULL).
      for (const auto& row : run->rows) {
        if (row.size() != run->columns.size()) Fail("a row of the wrong width", stmt.text);
        for (size_t c = 0; c < row.size(); c++)
          if (!row[c].is_null() && row[c].type() != run->columns[c].type)
            Fail("a value of the wrong type in column", stmt.text,
                 run->columns[c].name + ": " + TypeShortName(row[c].type()) + " in a " +
                     TypeShortName(run->columns[c].type) + " column");
      }
      if (run->rows.size() > limits.max_result_rows) Fail("more rows than max_result_rows", stmt.text);
      // Skipping the rows the WHERE bounds rule out gives the same answer. (Only when both runs
      // succeed: a row-level error in a WHERE conjunct may come from a row the other run skips;
      // and not with now(), CURRENT_TIMESTAMP, LOCALTIMESTAMP: each run is a statement of its own.)
      sql::ClearEvalError();
      auto skipped = RunSelect(stmt, Relations(true), limits);
      if (skipped.ok() && !MayReadClock(stmt.text) && ResultText(*skipped) != ResultText(*run))
        Fail("skipping rows by the scan bounds changed the answer:", stmt.text,
             "\nall rows:" + ResultText(*run) + "\nskipping:" + ResultText(*skipped));
    }
    sql::ClearEvalError();
  }
  return 0;
}

extern "C" int LaminarFuzzMakeSeeds(const char* dir) {
  static const char* const kSeeds[] = {
      "SELECT 1",
      "WITH a AS (SELECT country, count(*) AS c FROM ev GROUP BY 1), b (x) AS (SELECT c FROM a) SELECT * FROM b ORDER BY 1",
      "SELECT s.u FROM (SELECT url AS u, n FROM ev WHERE n > 0) s (u) WHERE s.n < (SELECT max(n) FROM ev) LIMIT 2",
      "SELECT url FROM ev WHERE country IN (SELECT country FROM ev WHERE lat > 1) AND NOT EXISTS (SELECT 1 WHERE false)",
      "SELECT n FROM ev UNION SELECT lat FROM ev INTERSECT ALL SELECT 1 EXCEPT SELECT NULL ORDER BY 1 DESC LIMIT 3",
      "(SELECT url FROM ev ORDER BY 1 LIMIT 1) UNION ALL (SELECT country FROM ev) ORDER BY 1 NULLS FIRST",
      "SELECT 1 + 1 AS two, 'x', NULL, true, -9223372036854775808, 1e308 * 10",
      "SELECT * FROM ev",
      "SELECT ev.* FROM ev LIMIT 3 OFFSET 1",
      "SELECT url, n FROM ev WHERE n > 1 ORDER BY n DESC NULLS LAST",
      "SELECT url FROM ev ORDER BY lat NULLS FIRST, 1 LIMIT 2",
      "SELECT n * 2 AS x, n / 0, n % -1, -n, abs(n) FROM ev WHERE country = 'US' ORDER BY x",
      "SELECT n + 9223372036854775807, n - 1, n * n, lat / 0.0 FROM ev",
      "SELECT count(*), count(url), count(DISTINCT country), sum(n), avg(lat), min(url), max(ts) FROM ev",
      "SELECT country, count(*) AS c, sum(n) FROM ev GROUP BY country HAVING count(*) > 1 ORDER BY c DESC, 1",
      "SELECT date_trunc('hour', ts) AS h, count(*) FROM ev GROUP BY 1 ORDER BY 1",
      "SELECT date_trunc('week', ts), date_trunc('month', ts), date_trunc('year', ts) FROM ev",
      "SELECT extract(epoch FROM ts), extract(dow FROM ts), date_part('doy', ts), extract(century FROM ts) FROM ev",
      "SELECT lower(country), upper(url), length(url), substr(url, 2, 3), substring(url from 0 for 2) FROM ev",
      "SELECT url LIKE '/a%', url ILIKE '%A', country NOT LIKE '\\%%' ESCAPE '\\', url LIKE 'a\\' FROM ev",
      "SELECT country || '-' || url, concat(country, n, lat, ts, ok), replace(url, '/', ''), strpos(url, 'a') FROM ev",
      "SELECT btrim(url, '/'), ltrim(url), rtrim(url, 'a'), trim(both 'x' from url) FROM ev",
      "SELECT CASE WHEN n > 1 THEN 'big' WHEN n IS NULL THEN NULL ELSE 'small' END, CASE n WHEN 1 THEN 'one' END FROM ev",
      "SELECT COALESCE(country, url, 'none'), NULLIF(n, 1), GREATEST(n, 2, NULL), LEAST(lat, -1) FROM ev",
      "SELECT CAST(n AS text), CAST('5' AS bigint), n::double precision, lat::bigint, '2024-01-01'::timestamptz, ok::text FROM ev",
      "SELECT CAST(url AS bigint) FROM ev",
      "SELECT round(lat), round(lat, 2), floor(lat), ceil(lat), trunc(lat, 1), sign(lat), sqrt(lat), ln(lat), exp(lat), power(lat, 2), mod(n, 3) FROM ev",
      "SELECT to_timestamp(lat), ts + interval '1 day 2 hours', ts - interval '90 minutes', now(), CURRENT_TIMESTAMP FROM ev",
      "SELECT ts AT TIME ZONE 'UTC' FROM ev",
      "SELECT * FROM ev WHERE ts BETWEEN '2024-03-10' AND '2024-03-11 12:00:00+00' AND n IN (1, 2, NULL) AND url NOT IN ('/b')",
      "SELECT * FROM ev WHERE NOT (ok OR ok IS NULL) AND lat <> 'NaN' AND country >= 'D'",
      "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lat), percentile_disc(0.5) WITHIN GROUP (ORDER BY n DESC) FROM ev",
      "SELECT percentile_cont(ARRAY[0, 0.5, 1]) WITHIN GROUP (ORDER BY n) FROM ev",
      "SELECT approx_count_distinct(url), approx_percentile(lat, 0.95), approx_percentile(n, ARRAY[0.1, 0.9]) FROM ev",
      "SELECT stddev(lat), variance(n), stddev_pop(n), var_samp(lat), bool_and(ok), bool_or(n > 0) FROM ev GROUP BY country",
      "SELECT count(*) FILTER (WHERE n > 2), sum(n) FILTER (WHERE ok), count(DISTINCT url) FILTER (WHERE lat > 0) FROM ev",
      "SELECT sum(DISTINCT n), avg(DISTINCT lat), count(DISTINCT (country, url)) FROM ev",
      "SELECT sum(n) * 10 + count(*) AS score, max(n) - min(n) FROM ev",
      "SELECT DISTINCT url FROM ev ORDER BY url",
      "SELECT DISTINCT ON (url) url FROM ev",
      "SELECT url AS u, count(*) FROM ev GROUP BY u ORDER BY 2 DESC, 1 LIMIT 2",
      "SELECT lower(country) AS lc, count(*) FROM ev GROUP BY lower(country) ORDER BY lower(country) NULLS FIRST",
      "SELECT e.url, c.name FROM ev e JOIN countries c ON e.country = c.code ORDER BY e.ts",
      "SELECT e.url, c.name FROM ev AS e LEFT JOIN countries AS c ON c.code = e.country AND c.pop > 100",
      "SELECT name, count(*) FROM ev JOIN countries ON country = code GROUP BY name ORDER BY name",
      "SELECT * FROM ev JOIN countries ON lower(country) = lower(code) JOIN pv ON pv.country = ev.country",
      "SELECT url FROM ev JOIN countries USING (country)",
      "SELECT 1 FROM ev RIGHT JOIN countries ON country = code",
      "SELECT 1 FROM ev FULL JOIN countries ON country = code",
      "SELECT 1 FROM ev, countries",
      "SELECT 1 FROM ev CROSS JOIN countries",
      "SELECT 1 FROM ev JOIN countries ON n < pop",
      "SELECT hour, sum(views) FROM pv GROUP BY hour",
      "SELECT (SELECT 1) FROM ev",
      "SELECT * FROM ev WHERE n IN (SELECT pop FROM countries)",
      "SELECT row_number() OVER () FROM ev",
      "SELECT url FROM ev UNION SELECT code FROM countries",
      "WITH x AS (SELECT 1) SELECT * FROM x",
      "SELECT * FROM missing",
      "SELECT nope FROM ev",
      "SELECT url, count(*) FROM ev",
      "SELECT sum(url) FROM ev",
      "SELECT url FROM ev WHERE count(*) > 1",
      "SELECT count(count(*)) FROM ev",
      "SELECT url FROM ev GROUP BY 7",
      "SELECT url FROM ev ORDER BY 0",
      "SELECT url FROM ev LIMIT -1",
      "SELECT url FROM ev LIMIT 'abc'",
      "SELECT ts FROM ev WHERE ts > 'yesterday'",
      "SELECT ((((((((((n)))))))))) + ((((1)))) FROM ev GROUP BY n ORDER BY n + 1",
      "SELECT 1; SELECT 2; CREATE TABLE t (x bigint); SELECT count(*) FROM ev",
  };
  return laminar::WriteFuzzSeeds(dir, kSeeds);
}
