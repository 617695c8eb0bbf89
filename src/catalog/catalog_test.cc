#include "catalog/catalog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "common/file_util.h"

namespace laminar::catalog {
namespace {

constexpr const char* kPageviews =
    "CREATE TABLE pageviews (ts timestamptz NOT NULL, user_id text, url text, country text, "
    "latency_ms double precision, bytes bigint, ok boolean)";

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar_catalog_test_XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(tmpl));
    dir_ = tmpl;
    Reopen();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Reopen() {
    cat_.reset();
    auto c = Catalog::Open(dir_);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cat_ = std::move(c).value();
  }

  // Executes and returns "OK" or the error as "Code: message".
  std::string Exec(std::string_view sql) {
    auto r = cat_->Execute(sql);
    if (!r.ok()) return r.status().ToString();
    last_ = *r;
    return "OK";
  }
  void MustExec(std::string_view sql) { ASSERT_EQ("OK", Exec(sql)) << sql; }

  // The message of a failing statement (empty if it succeeded).
  std::string Error(std::string_view sql) {
    auto r = cat_->Execute(sql);
    return r.ok() ? "" : r.status().message();
  }
  StatusCode Code(std::string_view sql) {
    auto r = cat_->Execute(sql);
    return r.ok() ? StatusCode::kOk : r.status().code();
  }
  bool Contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
  }

  views::ViewDefPtr View(const std::string& name) {
    auto s = cat_->snapshot();
    auto it = s->views.find(name);
    return it == s->views.end() ? nullptr : it->second;
  }
  StreamPtr Stream(const std::string& name) {
    auto s = cat_->snapshot();
    auto it = s->streams.find(name);
    return it == s->streams.end() ? nullptr : it->second;
  }

  std::string dir_;
  std::unique_ptr<Catalog> cat_;
  std::vector<Change> last_;
};

TEST_F(CatalogTest, EmptyWhenNoFile) {
  auto s = cat_->snapshot();
  EXPECT_TRUE(s->streams.empty());
  EXPECT_TRUE(s->views.empty());
  EXPECT_EQ(0u, s->version);
}

TEST_F(CatalogTest, CreateStream) {
  MustExec(kPageviews);
  ASSERT_EQ(1u, last_.size());
  EXPECT_EQ(ChangeKind::kCreateStream, last_[0].kind);
  EXPECT_EQ("pageviews", last_[0].name);
  EXPECT_EQ("CREATE TABLE", last_[0].tag);
  StreamPtr s = Stream("pageviews");
  ASSERT_NE(nullptr, s);
  ASSERT_EQ(7u, s->columns.size());
  EXPECT_EQ("ts", s->columns[0].name);
  EXPECT_EQ(Type::kTimestamp, s->columns[0].type);
  EXPECT_TRUE(s->columns[0].not_null);
  EXPECT_EQ(Type::kDouble, s->columns[4].type);
  EXPECT_EQ(Type::kInt64, s->columns[5].type);
  EXPECT_EQ(Type::kBool, s->columns[6].type);
  EXPECT_FALSE(s->columns[1].not_null);
  EXPECT_EQ(0, s->event_time_index);
  EXPECT_EQ(kPageviews, cat_->snapshot()->stream_sql.at("pageviews"));
  EXPECT_EQ(1u, cat_->snapshot()->version);
}

TEST_F(CatalogTest, TypeAliases) {
  MustExec(
      "CREATE TABLE a (t timestamp NOT NULL, i int, j integer, k smallint, r real, f float, "
      "n numeric(10,2), v varchar(20), b bool)");
  StreamPtr s = Stream("a");
  ASSERT_NE(nullptr, s);
  std::vector<Type> want = {Type::kTimestamp, Type::kInt64,  Type::kInt64, Type::kInt64, Type::kDouble,
                            Type::kDouble,    Type::kDouble, Type::kText,  Type::kBool};
  ASSERT_EQ(want.size(), s->columns.size());
  for (size_t i = 0; i < want.size(); i++) EXPECT_EQ(want[i], s->columns[i].type) << i;
}

TEST_F(CatalogTest, EventTimeOption) {
  MustExec(
      "CREATE TABLE e (created timestamptz NOT NULL, ts timestamptz NOT NULL, x bigint) "
      "WITH (event_time = 'ts')");
  EXPECT_EQ(1, Stream("e")->event_time_index);
  MustExec("CREATE TABLE e2 (a timestamptz NOT NULL, b timestamptz NOT NULL) WITH (event_time = b)");
  EXPECT_EQ(1, Stream("e2")->event_time_index);
  EXPECT_EQ("event_time column \"nope\" does not exist",
            Error("CREATE TABLE e3 (ts timestamptz NOT NULL) WITH (event_time = 'nope')"));
  EXPECT_TRUE(
      Contains(Error("CREATE TABLE e3 (ts timestamptz NOT NULL, t2 timestamptz) WITH (event_time = 't2')"),
               "must be timestamptz NOT NULL"));
  EXPECT_TRUE(
      Contains(Error("CREATE TABLE e3 (ts timestamptz NOT NULL, x bigint NOT NULL) WITH (event_time = 'x')"),
               "must be timestamptz NOT NULL"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE e3 (ts timestamptz NOT NULL) WITH (fillfactor = 70)"),
                       "unrecognized parameter \"fillfactor\""));
}

TEST_F(CatalogTest, PartitionOption) {
  MustExec("CREATE TABLE h (ts timestamptz NOT NULL, event_month text)");
  EXPECT_EQ(TimeUnit::kHour, Stream("h")->partition);
  MustExec("CREATE TABLE d (ts timestamptz NOT NULL) WITH (partition = 'day')");
  EXPECT_EQ(TimeUnit::kDay, Stream("d")->partition);
  MustExec("CREATE TABLE m (ts timestamptz NOT NULL, x bigint) WITH (partition = Month, event_time = ts)");
  EXPECT_EQ(TimeUnit::kMonth, Stream("m")->partition);
  EXPECT_TRUE(Contains(Error("CREATE TABLE w (ts timestamptz NOT NULL) WITH (partition = 'week')"),
                       "unknown lake partition \"week\""));
  EXPECT_TRUE(Contains(Error("CREATE TABLE w (ts timestamptz NOT NULL, event_month text) WITH (partition = 'month')"),
                       "\"event_month\" is reserved"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE w (ts timestamptz NOT NULL) WITH (partition = 'day', partition = 'hour')"),
                       "specified more than once"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE w (k text) WITH (kind = 'dimension', partition = 'day')"),
                       "only streams have partitions"));
}

TEST_F(CatalogTest, StreamErrors) {
  MustExec(kPageviews);
  EXPECT_EQ("AlreadyExists: relation \"pageviews\" already exists", Exec(kPageviews));
  EXPECT_TRUE(Contains(Error("CREATE TABLE n (ts timestamptz, x bigint)"), "has no event-time column"));
  EXPECT_EQ("column \"x\" specified more than once",
            Error("CREATE TABLE d (ts timestamptz NOT NULL, x bigint, x text)"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE j (ts timestamptz NOT NULL, doc json)"),
                       "type \"json\" is not supported"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE \"Bad Name\" (ts timestamptz NOT NULL)"), "invalid stream name"));
  EXPECT_TRUE(
      Contains(Error("CREATE TABLE p (ts timestamptz NOT NULL, x bigint PRIMARY KEY)"), "PRIMARY KEY"));
  EXPECT_EQ(StatusCode::kUnimplemented, Code("CREATE TABLE p (ts timestamptz NOT NULL, x bigint DEFAULT 1)"));
  EXPECT_EQ(StatusCode::kUnimplemented, Code("CREATE TEMP TABLE p (ts timestamptz NOT NULL)"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE p (ts timestamptz NOT NULL, event_date text)"), "reserved"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE other.p (ts timestamptz NOT NULL)"), "schema \"other\""));
  MustExec("CREATE TABLE public.q (ts timestamptz NOT NULL)");
  EXPECT_NE(nullptr, Stream("q"));
}

TEST_F(CatalogTest, IfNotExistsIsANoOp) {
  MustExec(kPageviews);
  uint64_t version = cat_->snapshot()->version;
  MustExec("CREATE TABLE IF NOT EXISTS pageviews (ts timestamptz NOT NULL)");
  ASSERT_EQ(1u, last_.size());
  EXPECT_EQ(ChangeKind::kNone, last_[0].kind);
  EXPECT_EQ(version, cat_->snapshot()->version);
  EXPECT_EQ(7u, Stream("pageviews")->columns.size());
}

TEST_F(CatalogTest, CreateView) {
  MustExec(kPageviews);
  MustExec(
      "CREATE MATERIALIZED VIEW pv_hourly AS SELECT date_trunc('hour', ts) AS hour, country, url, "
      "count(*) AS views, count(user_id), sum(bytes), min(latency_ms), max(country) AS max_country, "
      "avg(latency_ms) AS avg_latency FROM pageviews WHERE ok AND country <> 'XX' GROUP BY 1, 2, 3");
  ASSERT_EQ(1u, last_.size());
  EXPECT_EQ(ChangeKind::kCreateView, last_[0].kind);
  EXPECT_EQ("CREATE MATERIALIZED VIEW", last_[0].tag);
  views::ViewDefPtr v = View("pv_hourly");
  ASSERT_NE(nullptr, v);
  EXPECT_EQ("pageviews", v->stream);
  EXPECT_EQ(1u, v->definition_version);
  ASSERT_EQ(3u, v->dims.size());
  EXPECT_EQ("hour", v->dims[0].name);
  EXPECT_EQ(Type::kTimestamp, v->dims[0].type);
  EXPECT_TRUE(v->dims[0].is_time);
  EXPECT_EQ(TimeUnit::kHour, v->dims[0].time_unit);
  EXPECT_EQ("date_trunc('hour', ts)", v->dims[0].expr->ToString());
  EXPECT_EQ("country", v->dims[1].name);
  EXPECT_FALSE(v->dims[1].is_time);
  EXPECT_EQ(Type::kText, v->dims[1].type);
  ASSERT_EQ(6u, v->measures.size());
  EXPECT_EQ("views", v->measures[0].name);
  EXPECT_EQ(views::AggKind::kCountStar, v->measures[0].kind);
  EXPECT_EQ(-1, v->measures[0].column);
  EXPECT_EQ(Type::kInt64, v->measures[0].output_type);
  EXPECT_EQ("count", v->measures[1].name);
  EXPECT_EQ(views::AggKind::kCount, v->measures[1].kind);
  EXPECT_EQ(1, v->measures[1].column);
  EXPECT_EQ(Type::kInt64, v->measures[1].output_type);
  EXPECT_EQ("sum", v->measures[2].name);
  EXPECT_EQ(Type::kInt64, v->measures[2].output_type);
  EXPECT_EQ("min", v->measures[3].name);
  EXPECT_EQ(Type::kDouble, v->measures[3].output_type);
  EXPECT_EQ("max_country", v->measures[4].name);
  EXPECT_EQ(Type::kText, v->measures[4].output_type);
  EXPECT_EQ(views::AggKind::kAvg, v->measures[5].kind);
  EXPECT_EQ(Type::kDouble, v->measures[5].input_type);
  EXPECT_EQ(Type::kDouble, v->measures[5].output_type);
  ASSERT_EQ(9u, v->columns.size());
  EXPECT_TRUE(v->columns[0].is_dimension);
  EXPECT_FALSE(v->columns[3].is_dimension);
  EXPECT_EQ(0, v->columns[3].index);
  ASSERT_NE(nullptr, v->filter);
  EXPECT_EQ("(ok AND (country <> 'XX'))", v->filter->ToString());
  EXPECT_TRUE(Contains(v->sql, "CREATE MATERIALIZED VIEW pv_hourly"));
}

TEST_F(CatalogTest, DefaultOutputNamesAndGroupByForms) {
  MustExec(kPageviews);
  MustExec(
      "CREATE MATERIALIZED VIEW a AS SELECT date_trunc('day', ts), country, sum(latency_ms) "
      "FROM pageviews GROUP BY date_trunc('day', ts), country");
  views::ViewDefPtr v = View("a");
  ASSERT_NE(nullptr, v);
  EXPECT_EQ("date_trunc", v->dims[0].name);
  EXPECT_EQ(TimeUnit::kDay, v->dims[0].time_unit);
  EXPECT_EQ("sum", v->measures[0].name);
  EXPECT_EQ(Type::kDouble, v->measures[0].output_type);
  // By alias; a bare timestamptz column dimension is a time dimension without a unit.
  MustExec(
      "CREATE MATERIALIZED VIEW b AS SELECT date_trunc('minute', ts) AS m, ts, count(*) n "
      "FROM pageviews GROUP BY m, ts");
  v = View("b");
  ASSERT_NE(nullptr, v);
  EXPECT_TRUE(v->dims[1].is_time);
  EXPECT_FALSE(v->dims[1].time_unit.has_value());
  // A global aggregate: no dimensions, no GROUP BY.
  MustExec("CREATE MATERIALIZED VIEW c AS SELECT count(*) FROM pageviews");
  EXPECT_TRUE(View("c")->dims.empty());
  // Column list renames outputs.
  MustExec("CREATE MATERIALIZED VIEW d (k, n) AS SELECT country, count(*) FROM pageviews GROUP BY country");
  EXPECT_EQ("k", View("d")->dims[0].name);
  EXPECT_EQ("n", View("d")->measures[0].name);
}

TEST_F(CatalogTest, GroupByMustMatchDimensions) {
  MustExec(kPageviews);
  EXPECT_EQ(
      "column \"url\" must appear in the GROUP BY clause or be used in an aggregate function",
      Error("CREATE MATERIALIZED VIEW v AS SELECT country, url, count(*) FROM pageviews GROUP BY country"));
  EXPECT_TRUE(Contains(
      Error("CREATE MATERIALIZED VIEW v AS SELECT country, count(*) FROM pageviews GROUP BY country, url"),
      "GROUP BY item url is not in the select list"));
  EXPECT_EQ("GROUP BY position 5 is not in select list",
            Error("CREATE MATERIALIZED VIEW v AS SELECT country, count(*) FROM pageviews GROUP BY 5"));
  EXPECT_EQ("aggregate functions are not allowed in GROUP BY",
            Error("CREATE MATERIALIZED VIEW v AS SELECT country, count(*) FROM pageviews GROUP BY 1, 2"));
  EXPECT_TRUE(
      Contains(Error("CREATE MATERIALIZED VIEW v AS SELECT date_trunc('hour', ts), count(*) FROM pageviews"),
               "date_trunc('hour', ts) must appear in the GROUP BY clause"));
  EXPECT_EQ(
      StatusCode::kUnimplemented,
      Code(
          "CREATE MATERIALIZED VIEW v AS SELECT country, count(*) FROM pageviews GROUP BY ROLLUP (country)"));
}

TEST_F(CatalogTest, DuplicateOutputNamesNeedAs) {
  MustExec(kPageviews);
  std::string e =
      Error("CREATE MATERIALIZED VIEW v AS SELECT country, count(*), count(url) FROM pageviews GROUP BY 1");
  EXPECT_TRUE(Contains(e, "column \"count\" specified more than once")) << e;
  EXPECT_TRUE(Contains(e, "AS")) << e;
  MustExec(
      "CREATE MATERIALIZED VIEW v AS SELECT country, count(*), count(url) AS urls FROM pageviews GROUP BY 1");
}

TEST_F(CatalogTest, ViewErrors) {
  MustExec(kPageviews);
  auto err = [&](const std::string& select) { return Error("CREATE MATERIALIZED VIEW v AS " + select); };
  EXPECT_EQ("relation \"nope\" does not exist", err("SELECT count(*) FROM nope"));
  EXPECT_EQ("column \"nope\" does not exist in \"pageviews\"",
            err("SELECT nope, count(*) FROM pageviews GROUP BY 1"));
  EXPECT_TRUE(Contains(err("SELECT sum(url) FROM pageviews"), "function sum(text) does not exist"));
  EXPECT_TRUE(Contains(err("SELECT avg(ok) FROM pageviews"), "function avg(boolean) does not exist"));
  EXPECT_TRUE(Contains(err("SELECT country, stddev(latency_ms) FROM pageviews GROUP BY 1"),
                       "unsupported aggregate function: stddev"));
  EXPECT_TRUE(Contains(err("SELECT p.country, count(*) FROM pageviews p JOIN pageviews q ON true GROUP BY 1"),
                       "JOIN"));
  EXPECT_TRUE(Contains(err("SELECT count(*) FROM pageviews, pageviews q"), "joins"));
  EXPECT_TRUE(Contains(err("SELECT DISTINCT country FROM pageviews"), "DISTINCT"));
  EXPECT_TRUE(
      Contains(err("SELECT country, count(*) FROM pageviews GROUP BY 1 HAVING count(*) > 1"), "HAVING"));
  EXPECT_TRUE(Contains(err("SELECT country, count(*) FROM pageviews GROUP BY 1 ORDER BY 1"), "ORDER BY"));
  EXPECT_TRUE(Contains(err("SELECT country, count(*) FROM pageviews GROUP BY 1 LIMIT 3"), "LIMIT"));
  EXPECT_TRUE(Contains(err("SELECT country, count(*) OVER () FROM pageviews"), "window functions"));
  EXPECT_TRUE(Contains(err("SELECT count(DISTINCT user_id) FROM pageviews"), "DISTINCT"));
  EXPECT_TRUE(Contains(err("SELECT * FROM pageviews"), "SELECT *"));
  EXPECT_TRUE(Contains(err("SELECT count(*) FROM (SELECT * FROM pageviews) s"), "subqueries"));
  EXPECT_TRUE(Contains(err("SELECT lower(country), count(*) FROM pageviews GROUP BY 1"),
                       "dimension must be a column"));
  EXPECT_TRUE(
      Contains(err("SELECT bytes % 10, count(*) FROM pageviews GROUP BY 1"), "dimension must be a column"));
  EXPECT_TRUE(Contains(err("SELECT sum(bytes * 2) FROM pageviews"), "must be a stream column"));
  EXPECT_TRUE(
      Contains(err("SELECT count(*) FROM pageviews WHERE bytes"), "argument of WHERE must be type boolean"));
  EXPECT_TRUE(Contains(err("SELECT count(*) FROM pageviews WHERE ts > now() - interval '1 day'"),
                       "cannot read the clock"));
  EXPECT_TRUE(Contains(err("SELECT count(*) FROM pageviews WHERE url SIMILAR TO 'x%'"), "unsupported expression"));
  EXPECT_TRUE(Contains(err("SELECT count(*) FROM pageviews UNION SELECT count(*) FROM pageviews"), "UNION"));
  EXPECT_TRUE(Contains(err("SELECT count(*) FROM pageviews WITH NO DATA"), "WITH NO DATA"));
  EXPECT_EQ(StatusCode::kUnimplemented,
            Code("CREATE MATERIALIZED VIEW v AS SELECT count(*) FROM pageviews GROUP BY CUBE (url)"));
  EXPECT_EQ(StatusCode::kUnimplemented, Code("CREATE TABLE t2 AS SELECT count(*) FROM pageviews"));
  // Names are shared by streams and views; views read streams only.
  EXPECT_EQ("AlreadyExists: relation \"pageviews\" already exists",
            Exec("CREATE MATERIALIZED VIEW pageviews AS SELECT count(*) FROM pageviews"));
  MustExec("CREATE MATERIALIZED VIEW v AS SELECT count(*) FROM pageviews");
  EXPECT_TRUE(Contains(Error("CREATE TABLE v (ts timestamptz NOT NULL)"), "already exists"));
  EXPECT_TRUE(Contains(Error("CREATE MATERIALIZED VIEW w AS SELECT count(*) FROM v"), "must read a stream"));
  EXPECT_TRUE(
      Contains(Error("CREATE MATERIALIZED VIEW v AS SELECT count(*) FROM pageviews"), "already exists"));
  EXPECT_TRUE(cat_->snapshot()->views.size() == 1);
}

TEST_F(CatalogTest, ApproximateAggregates) {
  MustExec(kPageviews);
  MustExec(
      "CREATE MATERIALIZED VIEW v AS SELECT country, approx_count_distinct(user_id), "
      "approx_count_distinct(ok) AS distinct_ok, approx_percentile(latency_ms, 0.95) AS p95, "
      "approx_percentile(bytes, 1) AS top FROM pageviews GROUP BY 1");
  auto v = View("v");
  ASSERT_NE(nullptr, v);
  ASSERT_EQ(4u, v->measures.size());
  EXPECT_EQ("approx_count_distinct", v->measures[0].name);
  EXPECT_EQ(views::AggKind::kApproxCountDistinct, v->measures[0].kind);
  EXPECT_EQ(Type::kInt64, v->measures[0].output_type);
  EXPECT_EQ(Type::kBool, v->measures[1].input_type);
  EXPECT_EQ(views::AggKind::kApproxPercentile, v->measures[2].kind);
  EXPECT_EQ(Type::kDouble, v->measures[2].output_type);
  EXPECT_EQ(0.95, v->measures[2].quantile);
  EXPECT_EQ(1.0, v->measures[3].quantile);
  EXPECT_EQ(Type::kInt64, v->measures[3].input_type);

  auto err = [&](const std::string& select) { return Error("CREATE MATERIALIZED VIEW w AS " + select); };
  EXPECT_TRUE(Contains(err("SELECT approx_percentile(url, 0.5) FROM pageviews"),
                       "function approx_percentile(text, double precision) does not exist"));
  EXPECT_TRUE(Contains(err("SELECT approx_percentile(latency_ms) FROM pageviews"),
                       "approx_percentile takes two arguments"));
  EXPECT_TRUE(Contains(err("SELECT approx_percentile(latency_ms, 1.5) FROM pageviews"),
                       "quantile of approx_percentile must be between 0 and 1"));
  EXPECT_TRUE(Contains(err("SELECT approx_percentile(latency_ms, -0.1) FROM pageviews"),
                       "between 0 and 1"));
  EXPECT_TRUE(Contains(err("SELECT approx_percentile(latency_ms, bytes) FROM pageviews"),
                       "quantile of approx_percentile must be a numeric constant"));
  EXPECT_TRUE(Contains(err("SELECT approx_percentile(latency_ms, 'x') FROM pageviews"),
                       "numeric constant"));
  EXPECT_TRUE(Contains(err("SELECT approx_percentile(latency_ms, NULL) FROM pageviews"),
                       "numeric constant"));
  EXPECT_EQ(StatusCode::kUnimplemented,
            Code("CREATE MATERIALIZED VIEW w AS SELECT approx_percentile(latency_ms, ARRAY[0.5, 0.9]) FROM pageviews"));
  EXPECT_TRUE(Contains(err("SELECT approx_percentile(latency_ms, ARRAY[0.5, 0.9]) FROM pageviews"),
                       "ARRAY"));
  EXPECT_TRUE(Contains(err("SELECT approx_count_distinct(user_id, url) FROM pageviews"),
                       "function approx_count_distinct takes one argument, got 2"));
  EXPECT_TRUE(Contains(err("SELECT approx_count_distinct(*) FROM pageviews"), "only count(*) is"));
  EXPECT_TRUE(Contains(err("SELECT approx_count_distinct(DISTINCT user_id) FROM pageviews"), "DISTINCT"));
  EXPECT_TRUE(Contains(err("SELECT approx_count_distinct(lower(url)) FROM pageviews"), "lower"));
}

TEST_F(CatalogTest, CreateOrReplaceBumpsDefinitionVersion) {
  MustExec(kPageviews);
  MustExec("CREATE OR REPLACE MATERIALIZED VIEW v AS SELECT country, count(*) FROM pageviews GROUP BY 1");
  EXPECT_EQ(ChangeKind::kCreateView, last_[0].kind);
  EXPECT_EQ(1u, View("v")->definition_version);
  views::ViewDefPtr before = View("v");
  MustExec("create or replace materialized view v as select url, count(*) from pageviews group by 1");
  EXPECT_EQ(ChangeKind::kReplaceView, last_[0].kind);
  EXPECT_EQ(2u, View("v")->definition_version);
  EXPECT_EQ("url", View("v")->dims[0].name);
  EXPECT_EQ(1u, before->definition_version);  // the old snapshot's object is unchanged
  // A failed replacement leaves the old definition.
  EXPECT_FALSE(
      Error("CREATE OR REPLACE MATERIALIZED VIEW v AS SELECT nope FROM pageviews GROUP BY 1").empty());
  EXPECT_EQ(2u, View("v")->definition_version);
  EXPECT_TRUE(
      Contains(Error("CREATE OR REPLACE MATERIALIZED VIEW pageviews AS SELECT count(*) FROM pageviews"),
               "is not a materialized view"));
}

TEST_F(CatalogTest, PersistsAcrossReopen) {
  MustExec(kPageviews);
  MustExec(
      "CREATE TABLE clicks (at timestamptz NOT NULL, ts timestamptz NOT NULL, x bigint) WITH (event_time = "
      "'ts')");
  MustExec(
      "CREATE MATERIALIZED VIEW v AS SELECT date_trunc('hour', ts) AS hour, count(*) FROM pageviews "
      "WHERE country = 'US' GROUP BY 1");
  MustExec(
      "CREATE OR REPLACE MATERIALIZED VIEW v AS SELECT date_trunc('day', ts) AS day, count(*) FROM pageviews "
      "GROUP BY 1");
  MustExec("CREATE MATERIALIZED VIEW w AS SELECT x, sum(x) FROM clicks GROUP BY x");
  uint64_t version = cat_->snapshot()->version;
  Reopen();
  auto s = cat_->snapshot();
  EXPECT_EQ(version, s->version);
  ASSERT_EQ(2u, s->streams.size());
  ASSERT_EQ(2u, s->views.size());
  EXPECT_EQ(1, Stream("clicks")->event_time_index);
  EXPECT_EQ(7u, Stream("pageviews")->columns.size());
  EXPECT_EQ(kPageviews, s->stream_sql.at("pageviews"));
  views::ViewDefPtr v = View("v");
  ASSERT_NE(nullptr, v);
  EXPECT_EQ(2u, v->definition_version);
  EXPECT_EQ("day", v->dims[0].name);
  EXPECT_EQ(TimeUnit::kDay, v->dims[0].time_unit);
  EXPECT_EQ(nullptr, v->filter);
  EXPECT_EQ("x", View("w")->dims[0].name);
  // Further changes continue from the loaded state.
  MustExec("DROP MATERIALIZED VIEW w");
  Reopen();
  EXPECT_EQ(nullptr, View("w"));
  EXPECT_EQ(version + 1, cat_->snapshot()->version);
}

TEST_F(CatalogTest, CorruptFileIsCorruption) {
  ASSERT_TRUE(WriteFileAtomic(JoinPath(dir_, "catalog"), "{not json").ok());
  auto c = Catalog::Open(dir_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(StatusCode::kCorruption, c.status().code());
  ASSERT_TRUE(WriteFileAtomic(JoinPath(dir_, "catalog"),
                              R"j({"format":"laminar-catalog","format_version":1,"version":1,)j"
                              R"j("streams":[{"name":"s","sql":"CREATE TABLE s (x bigint)"}],"views":[]})j")
                  .ok());
  c = Catalog::Open(dir_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(StatusCode::kCorruption, c.status().code());
  EXPECT_TRUE(Contains(c.status().message(), "stream \"s\"")) << c.status().message();
}

TEST_F(CatalogTest, DropStreamRefusesDependentViewsUnlessCascade) {
  MustExec(kPageviews);
  MustExec("CREATE TABLE other (ts timestamptz NOT NULL)");
  MustExec("CREATE MATERIALIZED VIEW v1 AS SELECT count(*) FROM pageviews");
  MustExec("CREATE MATERIALIZED VIEW v2 AS SELECT country, count(*) FROM pageviews GROUP BY 1");
  MustExec("CREATE MATERIALIZED VIEW v3 AS SELECT count(*) FROM other");
  std::string e = Error("DROP TABLE pageviews");
  EXPECT_TRUE(Contains(e, "cannot drop table pageviews because other objects depend on it")) << e;
  EXPECT_TRUE(Contains(e, "v1, v2")) << e;
  EXPECT_TRUE(Contains(e, "CASCADE")) << e;
  EXPECT_NE(nullptr, Stream("pageviews"));

  MustExec("DROP TABLE pageviews CASCADE");
  ASSERT_EQ(1u, last_.size());
  EXPECT_EQ(ChangeKind::kDropStream, last_[0].kind);
  EXPECT_EQ("DROP TABLE", last_[0].tag);
  auto s = cat_->snapshot();
  EXPECT_EQ(0u, s->streams.count("pageviews"));
  EXPECT_EQ(0u, s->stream_sql.count("pageviews"));
  EXPECT_EQ(0u, s->views.count("v1"));
  EXPECT_EQ(0u, s->views.count("v2"));
  EXPECT_EQ(1u, s->views.count("v3"));
  Reopen();
  EXPECT_EQ(nullptr, View("v1"));
  EXPECT_NE(nullptr, View("v3"));
}

TEST_F(CatalogTest, DropAndIfExists) {
  MustExec(kPageviews);
  MustExec("CREATE MATERIALIZED VIEW v AS SELECT count(*) FROM pageviews");
  EXPECT_EQ("NotFound: materialized view \"nope\" does not exist", Exec("DROP MATERIALIZED VIEW nope"));
  EXPECT_EQ("NotFound: table \"nope\" does not exist", Exec("DROP TABLE nope"));
  uint64_t version = cat_->snapshot()->version;
  MustExec("DROP MATERIALIZED VIEW IF EXISTS nope");
  EXPECT_EQ(ChangeKind::kNone, last_[0].kind);
  MustExec("DROP TABLE IF EXISTS nope");
  EXPECT_EQ(ChangeKind::kNone, last_[0].kind);
  EXPECT_EQ(version, cat_->snapshot()->version);
  EXPECT_TRUE(Contains(Error("DROP TABLE v"), "is not a table"));
  EXPECT_TRUE(Contains(Error("DROP MATERIALIZED VIEW pageviews"), "is not a materialized view"));
  EXPECT_EQ(StatusCode::kUnimplemented, Code("DROP INDEX i"));
  MustExec("DROP VIEW v");
  EXPECT_EQ(ChangeKind::kDropView, last_[0].kind);
  EXPECT_EQ("DROP VIEW", last_[0].tag);
  MustExec("DROP TABLE pageviews");
  EXPECT_EQ(ChangeKind::kDropStream, last_[0].kind);
  EXPECT_TRUE(cat_->snapshot()->streams.empty());
}

TEST_F(CatalogTest, NonDdlIsRefused) {
  EXPECT_EQ("InvalidArgument: not a DDL statement: SELECT", Exec("SELECT 1"));
  EXPECT_EQ("InvalidArgument: not a DDL statement: INSERT", Exec("INSERT INTO t VALUES (1)"));
  auto stmts = sql::Parse("SELECT 1; CREATE TABLE a (ts timestamptz NOT NULL); DROP INDEX i");
  ASSERT_TRUE(stmts.ok());
  EXPECT_FALSE(Catalog::IsDdl((*stmts)[0]));
  EXPECT_TRUE(Catalog::IsDdl((*stmts)[1]));
  EXPECT_TRUE(Catalog::IsDdl((*stmts)[2]));
}

TEST_F(CatalogTest, MultipleStatementsApplyInOrderUntilTheFirstError) {
  EXPECT_EQ("OK", Exec(std::string(kPageviews) +
                       "; CREATE MATERIALIZED VIEW v AS SELECT count(*) FROM pageviews;"));
  ASSERT_EQ(2u, last_.size());
  EXPECT_EQ(ChangeKind::kCreateStream, last_[0].kind);
  EXPECT_EQ(ChangeKind::kCreateView, last_[1].kind);
  std::string e = Exec(
      "CREATE TABLE a (ts timestamptz NOT NULL); CREATE TABLE a (ts timestamptz NOT NULL); "
      "CREATE TABLE b (ts timestamptz NOT NULL)");
  EXPECT_EQ("AlreadyExists: statement 2: relation \"a\" already exists", e);
  EXPECT_NE(nullptr, Stream("a"));  // statement 1 stays applied
  EXPECT_EQ(nullptr, Stream("b"));  // statement 3 never ran
  EXPECT_TRUE(Contains(Exec("CREATE TABLE x (ts timestamptz NOT NULL) FORM"), "syntax error"));
}

TEST_F(CatalogTest, UnchangedObjectsKeepTheirPointers) {
  MustExec(kPageviews);
  MustExec("CREATE MATERIALIZED VIEW v AS SELECT count(*) FROM pageviews");
  StreamPtr s = Stream("pageviews");
  views::ViewDefPtr v = View("v");
  MustExec("CREATE TABLE other (ts timestamptz NOT NULL)");
  EXPECT_EQ(s, Stream("pageviews"));
  EXPECT_EQ(v, View("v"));
}

constexpr const char* kAirports =
    "CREATE TABLE airports (code text NOT NULL, name text, lat double precision, lon double precision, "
    "elevation bigint, opened timestamptz, active boolean) WITH (kind = 'dimension')";

TEST_F(CatalogTest, CreateDimensionTable) {
  MustExec(kAirports);
  ASSERT_EQ(1u, last_.size());
  EXPECT_EQ(ChangeKind::kCreateDimension, last_[0].kind);
  EXPECT_EQ("airports", last_[0].name);
  EXPECT_EQ("CREATE TABLE", last_[0].tag);
  auto s = cat_->snapshot();
  EXPECT_TRUE(s->streams.empty());
  EXPECT_TRUE(s->stream_sql.empty());
  ASSERT_EQ(1u, s->dimensions.count("airports"));
  StreamPtr d = s->dimensions.at("airports");
  EXPECT_EQ("airports", d->name);
  EXPECT_EQ(-1, d->event_time_index);
  ASSERT_EQ(7u, d->columns.size());
  EXPECT_EQ(Type::kText, d->columns[0].type);
  EXPECT_TRUE(d->columns[0].not_null);
  EXPECT_EQ(Type::kDouble, d->columns[2].type);
  EXPECT_EQ(Type::kInt64, d->columns[4].type);
  EXPECT_EQ(Type::kTimestamp, d->columns[5].type);
  EXPECT_FALSE(d->columns[5].not_null);
  EXPECT_EQ(Type::kBool, d->columns[6].type);
  EXPECT_EQ(kAirports, s->dimension_sql.at("airports"));
  EXPECT_EQ(1u, s->version);
  // kind = 'stream' is the default's explicit form; the value is case-insensitive, quoted or not.
  MustExec("CREATE TABLE st (ts timestamptz NOT NULL) WITH (kind = 'stream')");
  EXPECT_NE(nullptr, Stream("st"));
  MustExec("CREATE TABLE d2 (x bigint) WITH (KIND = Dimension)");
  EXPECT_EQ(1u, cat_->snapshot()->dimensions.count("d2"));
  // A dimension table may have a timestamptz NOT NULL column without it being an event time,
  // and may use the lake's partition-key names.
  MustExec("CREATE TABLE d3 (ts timestamptz NOT NULL, event_date text) WITH (kind = 'dimension')");
  EXPECT_EQ(-1, cat_->snapshot()->dimensions.at("d3")->event_time_index);
}

TEST_F(CatalogTest, DimensionTableErrors) {
  EXPECT_EQ("InvalidArgument: unknown table kind \"fact\" (WITH (kind = 'stream') or WITH (kind = 'dimension'))",
            Exec("CREATE TABLE f (x bigint) WITH (kind = 'fact')"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE f (ts timestamptz NOT NULL) WITH (kind = 'dimension', event_time = 'ts')"),
                       "has no event-time column"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE f (x bigint) WITH (kind = 'dimension', kind = 'stream')"),
                       "parameter \"kind\" specified more than once"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE f (x bigint) WITH (kind = 1)"), "option kind needs a value"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE f () WITH (kind = 'dimension')"), "has no columns"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE f (x json) WITH (kind = 'dimension')"), "type \"json\" is not supported"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE f (x bigint PRIMARY KEY) WITH (kind = 'dimension')"), "PRIMARY KEY"));
  EXPECT_TRUE(Contains(Error("CREATE TABLE \"Bad\" (x bigint) WITH (kind = 'dimension')"), "invalid table name"));
  // A stream still needs its event time.
  EXPECT_TRUE(Contains(Error("CREATE TABLE f (x bigint) WITH (kind = 'stream')"), "has no event-time column"));
  EXPECT_EQ(0u, cat_->snapshot()->version);
}

TEST_F(CatalogTest, DimensionTablesShareTheNamespace) {
  MustExec(kPageviews);
  MustExec(kAirports);
  MustExec("CREATE MATERIALIZED VIEW v AS SELECT country, count(*) FROM pageviews GROUP BY 1");
  EXPECT_EQ("AlreadyExists: relation \"airports\" already exists", Exec(kAirports));
  EXPECT_EQ("AlreadyExists: relation \"airports\" already exists",
            Exec("CREATE TABLE airports (ts timestamptz NOT NULL)"));
  EXPECT_EQ("AlreadyExists: relation \"pageviews\" already exists",
            Exec("CREATE TABLE pageviews (x bigint) WITH (kind = 'dimension')"));
  EXPECT_EQ("AlreadyExists: relation \"v\" already exists", Exec("CREATE TABLE v (x bigint) WITH (kind = 'dimension')"));
  EXPECT_EQ("AlreadyExists: relation \"airports\" already exists",
            Exec("CREATE MATERIALIZED VIEW airports AS SELECT count(*) FROM pageviews"));
  EXPECT_TRUE(Contains(Error("CREATE OR REPLACE MATERIALIZED VIEW airports AS SELECT count(*) FROM pageviews"),
                       "is not a materialized view"));
  uint64_t version = cat_->snapshot()->version;
  MustExec("CREATE TABLE IF NOT EXISTS airports (x bigint) WITH (kind = 'dimension')");
  EXPECT_EQ(ChangeKind::kNone, last_[0].kind);
  MustExec("CREATE MATERIALIZED VIEW IF NOT EXISTS airports AS SELECT count(*) FROM pageviews");
  EXPECT_EQ(ChangeKind::kNone, last_[0].kind);
  EXPECT_EQ(version, cat_->snapshot()->version);
  EXPECT_EQ(kAirports, cat_->snapshot()->dimension_sql.at("airports"));
  // A materialized view reads a stream, never a dimension table.
  EXPECT_EQ("InvalidArgument: \"airports\" is a dimension table; materialized views read streams",
            Exec("CREATE MATERIALIZED VIEW w AS SELECT name, count(*) FROM airports GROUP BY 1"));
  EXPECT_EQ(nullptr, View("w"));
}

TEST_F(CatalogTest, DropDimensionTable) {
  MustExec(kPageviews);
  MustExec(kAirports);
  MustExec("CREATE TABLE carriers (code text) WITH (kind = 'dimension')");
  EXPECT_TRUE(Contains(Error("DROP MATERIALIZED VIEW airports"), "is not a materialized view"));
  MustExec("DROP TABLE airports");
  ASSERT_EQ(1u, last_.size());
  EXPECT_EQ(ChangeKind::kDropDimension, last_[0].kind);
  EXPECT_EQ("airports", last_[0].name);
  EXPECT_EQ("DROP TABLE", last_[0].tag);
  auto s = cat_->snapshot();
  EXPECT_EQ(0u, s->dimensions.count("airports"));
  EXPECT_EQ(0u, s->dimension_sql.count("airports"));
  EXPECT_EQ("NotFound: table \"airports\" does not exist", Exec("DROP TABLE airports"));
  MustExec("DROP TABLE IF EXISTS airports");
  EXPECT_EQ(ChangeKind::kNone, last_[0].kind);
  // Streams and dimension tables in one DROP TABLE: one kDropStream change naming both.
  MustExec("DROP TABLE carriers, pageviews");
  EXPECT_EQ(ChangeKind::kDropStream, last_[0].kind);
  EXPECT_EQ("carriers, pageviews", last_[0].name);
  EXPECT_TRUE(cat_->snapshot()->dimensions.empty());
  EXPECT_TRUE(cat_->snapshot()->streams.empty());
  // The name is free again, for either kind.
  MustExec("CREATE TABLE airports (ts timestamptz NOT NULL)");
  EXPECT_NE(nullptr, Stream("airports"));
}

TEST_F(CatalogTest, DimensionTablesPersist) {
  MustExec(kPageviews);
  MustExec(kAirports);
  StreamPtr before = cat_->snapshot()->dimensions.at("airports");
  MustExec("CREATE TABLE other (ts timestamptz NOT NULL)");
  EXPECT_EQ(before, cat_->snapshot()->dimensions.at("airports"));  // unchanged → same pointer
  auto text = ReadFile(JoinPath(dir_, "catalog"));
  ASSERT_TRUE(text.ok());
  EXPECT_TRUE(Contains(*text, "\"format_version\": 2")) << *text;
  EXPECT_TRUE(Contains(*text, "\"dimensions\"")) << *text;
  uint64_t version = cat_->snapshot()->version;
  Reopen();
  auto s = cat_->snapshot();
  EXPECT_EQ(version, s->version);
  ASSERT_EQ(1u, s->dimensions.count("airports"));
  EXPECT_EQ(kAirports, s->dimension_sql.at("airports"));
  EXPECT_EQ(7u, s->dimensions.at("airports")->columns.size());
  EXPECT_EQ(-1, s->dimensions.at("airports")->event_time_index);
  EXPECT_EQ(2u, s->streams.size());
  EXPECT_EQ("AlreadyExists: relation \"airports\" already exists", Exec(kAirports));
  // Without dimension tables the file is format_version 1 again, readable by older versions.
  MustExec("DROP TABLE airports");
  text = ReadFile(JoinPath(dir_, "catalog"));
  ASSERT_TRUE(text.ok());
  EXPECT_TRUE(Contains(*text, "\"format_version\": 1")) << *text;
  EXPECT_FALSE(Contains(*text, "\"dimensions\"")) << *text;
  Reopen();
  EXPECT_TRUE(cat_->snapshot()->dimensions.empty());
}

TEST_F(CatalogTest, RolesKeepVerifiersAndScopesAndPersist) {
  MustExec(kPageviews);
  MustExec("CREATE ROLE writer LOGIN PASSWORD 'pw-1'; CREATE USER reader PASSWORD 'pw-2'; CREATE ROLE group1");
  auto s = cat_->snapshot();
  ASSERT_EQ(3u, s->roles.size());
  EXPECT_TRUE(s->roles.at("reader")->login);   // CREATE USER: LOGIN
  EXPECT_FALSE(s->roles.at("group1")->login);  // CREATE ROLE: NOLOGIN
  EXPECT_EQ("", s->roles.at("group1")->verifier);
  EXPECT_EQ(0u, s->roles.at("writer")->verifier.rfind("SCRAM-SHA-256$4096:", 0)) << s->roles.at("writer")->verifier;
  MustExec("GRANT INSERT ON pageviews TO writer");
  MustExec("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader, writer");
  MustExec("GRANT INSERT ON ALL TABLES IN SCHEMA public TO reader");
  EXPECT_EQ((std::set<std::string>{"ingest:pageviews", "query"}), cat_->snapshot()->roles.at("writer")->scopes);
  EXPECT_EQ((std::set<std::string>{"ingest:*", "query"}), cat_->snapshot()->roles.at("reader")->scopes);
  MustExec("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM reader");
  EXPECT_TRUE(cat_->snapshot()->roles.at("reader")->scopes.empty());
  MustExec("ALTER ROLE writer WITH SUPERUSER PASSWORD NULL");
  EXPECT_TRUE(cat_->snapshot()->roles.at("writer")->superuser);
  EXPECT_EQ("", cat_->snapshot()->roles.at("writer")->verifier);
  const std::string verifier = "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";
  MustExec("ALTER USER writer PASSWORD '" + verifier + "'");  // what psql's \password sends
  EXPECT_EQ(verifier, cat_->snapshot()->roles.at("writer")->verifier);

  EXPECT_EQ("AlreadyExists: role \"writer\" already exists", Exec("CREATE ROLE writer"));
  EXPECT_EQ("NotFound: role \"nobody\" does not exist", Exec("ALTER ROLE nobody PASSWORD 'x'"));
  EXPECT_EQ("NotFound: role \"nobody\" does not exist", Exec("GRANT INSERT ON pageviews TO nobody"));
  EXPECT_TRUE(Contains(Exec("GRANT INSERT ON missing TO writer"), "relation \"missing\" does not exist")) << Exec("GRANT INSERT ON missing TO writer");
  EXPECT_TRUE(Contains(Exec("GRANT SELECT ON pageviews TO writer"), "SELECT on single tables is not supported"));
  EXPECT_TRUE(Contains(Exec("GRANT UPDATE ON pageviews TO writer"), "privilege update is not supported"));
  EXPECT_TRUE(Contains(Exec("GRANT SELECT ON ALL TABLES IN SCHEMA other TO writer"), "schema \"other\" does not exist"));
  EXPECT_TRUE(Contains(Exec("CREATE ROLE x CREATEDB"), "role option createdb is not supported"));
  EXPECT_TRUE(Contains(Exec("CREATE ROLE x PASSWORD 'md5" + std::string(32, 'a') + "'"), "md5 passwords are not supported"));
  EXPECT_TRUE(Contains(Exec("CREATE ROLE x PASSWORD 'SCRAM-SHA-256$bad'"), "verifier"));
  EXPECT_NE(StatusCode::kOk, Code("GRANT group1 TO writer"));  // role membership: not a statement the catalog runs

  auto text = ReadFile(JoinPath(dir_, "catalog"));
  ASSERT_TRUE(text.ok());
  EXPECT_TRUE(Contains(*text, "\"format_version\": 4")) << *text;
  EXPECT_FALSE(Contains(*text, "pw-2")) << "a password in the catalog file";
  Reopen();
  s = cat_->snapshot();
  ASSERT_EQ(3u, s->roles.size());
  EXPECT_EQ(verifier, s->roles.at("writer")->verifier);
  EXPECT_TRUE(s->roles.at("writer")->superuser);
  EXPECT_EQ((std::set<std::string>{"ingest:pageviews", "query"}), s->roles.at("writer")->scopes);
  MustExec("DROP ROLE IF EXISTS group1, nobody");
  EXPECT_EQ("NotFound: role \"group1\" does not exist", Exec("DROP ROLE group1"));
  MustExec("DROP USER writer, reader");
  text = ReadFile(JoinPath(dir_, "catalog"));
  EXPECT_TRUE(Contains(*text, "\"format_version\": 1")) << *text;  // no roles: readable by older versions
}

TEST_F(CatalogTest, OldFileWithoutDimensionsLoadsAndBadDimensionEntriesAreCorruption) {
  ASSERT_TRUE(WriteFileAtomic(JoinPath(dir_, "catalog"),
                              R"j({"format":"laminar-catalog","format_version":1,"version":3,)j"
                              R"j("streams":[{"name":"s","sql":"CREATE TABLE s (ts timestamptz NOT NULL)"}],)j"
                              R"j("views":[]})j")
                  .ok());
  Reopen();
  EXPECT_EQ(3u, cat_->snapshot()->version);
  EXPECT_NE(nullptr, Stream("s"));
  EXPECT_TRUE(cat_->snapshot()->dimensions.empty());

  auto open_with = [&](const std::string& body) {
    EXPECT_TRUE(WriteFileAtomic(JoinPath(dir_, "catalog"), body).ok());
    auto c = Catalog::Open(dir_);
    return c.ok() ? std::string("OK") : c.status().ToString();
  };
  std::string head = R"j({"format":"laminar-catalog","format_version":2,"version":1,"streams":[],"views":[],)j";
  // A stream's statement in the dimensions list, and the reverse.
  std::string e = open_with(head + R"j("dimensions":[{"name":"d","sql":"CREATE TABLE d (ts timestamptz NOT NULL)"}]})j");
  EXPECT_TRUE(Contains(e, "Corruption")) << e;
  EXPECT_TRUE(Contains(e, "dimension table \"d\"")) << e;
  e = open_with(R"j({"format":"laminar-catalog","format_version":2,"version":1,"views":[],)j"
                R"j("streams":[{"name":"d","sql":"CREATE TABLE d (x bigint) WITH (kind = 'dimension')"}]})j");
  EXPECT_TRUE(Contains(e, "Corruption")) << e;
  EXPECT_TRUE(Contains(e, "is a dimension table, not a stream")) << e;
  // A name used twice.
  e = open_with(R"j({"format":"laminar-catalog","format_version":2,"version":1,"views":[],)j"
                R"j("streams":[{"name":"d","sql":"CREATE TABLE d (ts timestamptz NOT NULL)"}],)j"
                R"j("dimensions":[{"name":"d","sql":"CREATE TABLE d (x bigint) WITH (kind = 'dimension')"}]})j");
  EXPECT_TRUE(Contains(e, "name mismatch or duplicate")) << e;
  e = open_with(R"j({"format":"laminar-catalog","format_version":5,"version":1})j");
  EXPECT_TRUE(Contains(e, "unsupported catalog format_version 5")) << e;
  EXPECT_EQ("OK", open_with(head + R"j("dimensions":[{"name":"d","sql":"CREATE TABLE d (x bigint) WITH (kind = 'dimension')"}]})j"));
}

}  // namespace
}  // namespace laminar::catalog

namespace laminar::catalog {
namespace {

TEST_F(CatalogTest, DroppedStreamsAreRememberedUntilTheirFilesAreGone) {
  MustExec("CREATE TABLE s (ts timestamptz NOT NULL)");
  MustExec("DROP TABLE s");
  EXPECT_EQ(1u, cat_->snapshot()->dropping.count("s"));
  Reopen();
  EXPECT_EQ(1u, cat_->snapshot()->dropping.count("s"));  // persisted
  MustExec("CREATE TABLE s (ts timestamptz NOT NULL)");
  EXPECT_EQ(1u, cat_->snapshot()->dropping.count("s"));  // its old files may still be there
  ASSERT_TRUE(cat_->FinishDrop("s").ok());
  Reopen();
  EXPECT_TRUE(cat_->snapshot()->dropping.empty());
  EXPECT_TRUE(Stream("s"));
}

TEST_F(CatalogTest, WriteRecoveredKeepsWhatMakesAValidCatalog) {
  std::filesystem::remove_all(dir_);
  std::vector<Catalog::RecoveredEntry> tables = {{"CREATE TABLE s (ts timestamptz NOT NULL, n bigint)", 1},
                                                 {"CREATE TABLE d (k text) WITH (kind = 'dimension')", 1},
                                                 {"CREATE TABLE broken (", 1}};
  std::map<std::string, Catalog::RecoveredEntry> views = {
      {"v", {"CREATE MATERIALIZED VIEW v AS SELECT n, count(*) AS c FROM s GROUP BY n", 3}},
      {"orphan", {"CREATE MATERIALIZED VIEW orphan AS SELECT count(*) AS c FROM gone", 1}}};
  auto skipped = Catalog::WriteRecovered(dir_, tables, views);
  ASSERT_TRUE(skipped.ok()) << skipped.status().ToString();
  ASSERT_EQ(2u, skipped->size());
  EXPECT_TRUE(Contains(skipped->at(0), "broken"));
  EXPECT_TRUE(Contains(skipped->at(1), "view orphan"));
  Reopen();
  EXPECT_TRUE(Stream("s"));
  EXPECT_EQ(1u, cat_->snapshot()->dimensions.count("d"));
  ASSERT_TRUE(View("v"));
  EXPECT_EQ(3u, View("v")->definition_version);
  EXPECT_EQ(StatusCode::kAlreadyExists, Catalog::WriteRecovered(dir_, tables, views).status().code());
}

TEST_F(CatalogTest, SubscriptionsCreatedAlteredDroppedAndPersisted) {
  MustExec(kPageviews);
  MustExec("CREATE SUBSCRIPTION pv_kafka CONNECTION 'kafka://127.0.0.1:9092' PUBLICATION pageviews "
           "WITH (topic = 'pv', format = 'json', \"security.protocol\" = 'plaintext')");
  EXPECT_EQ(last_[0].kind, ChangeKind::kCreateSubscription);
  EXPECT_EQ(last_[0].tag, "CREATE SUBSCRIPTION");
  EXPECT_TRUE(Contains(Error("CREATE SUBSCRIPTION pv_kafka CONNECTION 'kafka://h:1' PUBLICATION pageviews WITH (topic = 'x')"),
                       "subscription \"pv_kafka\" already exists"));
  EXPECT_TRUE(Contains(Error("CREATE SUBSCRIPTION s2 CONNECTION 'kafka://h:1' PUBLICATION nope WITH (topic = 'x')"),
                       "stream \"nope\" does not exist"));
  EXPECT_TRUE(Contains(Error("CREATE SUBSCRIPTION s2 CONNECTION 'kafka://h:1' PUBLICATION pageviews, x WITH (topic = 'x')"),
                       "PUBLICATION names the one stream"));
  EXPECT_TRUE(Contains(Error("CREATE SUBSCRIPTION s2 CONNECTION 'kafka://h:1' PUBLICATION pageviews"), "topic"));
  EXPECT_TRUE(Contains(Error("CREATE SUBSCRIPTION s2 CONNECTION 'kinesis://eu-west-1' PUBLICATION pageviews"),
                       "expected kinesis://region/stream-name"));
  MustExec("CREATE SUBSCRIPTION k CONNECTION 'kinesis://eu-west-1/clicks' PUBLICATION pageviews "
           "WITH (endpoint = 'http://127.0.0.1:4567', access_key_id = 'a', secret_access_key = 'b')");
  EXPECT_EQ(cat_->snapshot()->subscriptions.at("k")->spec.kind, sources::SourceKind::kKinesis);
  MustExec("DROP SUBSCRIPTION k");
  MustExec("ALTER SUBSCRIPTION pv_kafka DISABLE");
  EXPECT_FALSE(cat_->snapshot()->subscriptions.at("pv_kafka")->enabled);
  EXPECT_EQ(Code("ALTER SUBSCRIPTION pv_kafka SET (topic = 'y')"), StatusCode::kUnimplemented);
  EXPECT_TRUE(Contains(Error("ALTER SUBSCRIPTION nope ENABLE"), "subscription \"nope\" does not exist"));
  Reopen();
  auto snap = cat_->snapshot();
  ASSERT_EQ(snap->subscriptions.count("pv_kafka"), 1u);
  const SubscriptionDef& sub = *snap->subscriptions.at("pv_kafka");
  EXPECT_FALSE(sub.enabled);
  EXPECT_EQ(sub.stream, "pageviews");
  EXPECT_EQ(sub.spec.topic, "pv");
  EXPECT_EQ(sub.spec.brokers, "127.0.0.1:9092");
  MustExec("ALTER SUBSCRIPTION pv_kafka ENABLE");
  // A stream a subscription feeds is dropped only with CASCADE, which drops the subscription.
  EXPECT_TRUE(Contains(Error("DROP TABLE pageviews"), "subscription pv_kafka feeds it"));
  MustExec("DROP TABLE pageviews CASCADE");
  EXPECT_TRUE(cat_->snapshot()->subscriptions.empty());
  MustExec(kPageviews);
  MustExec("CREATE SUBSCRIPTION s CONNECTION 'kafka://h:1' PUBLICATION pageviews WITH (topic = 't')");
  MustExec("DROP SUBSCRIPTION s");
  EXPECT_EQ(last_[0].kind, ChangeKind::kDropSubscription);
  MustExec("DROP SUBSCRIPTION IF EXISTS s");
  EXPECT_EQ(last_[0].kind, ChangeKind::kNone);
  EXPECT_TRUE(Contains(Error("DROP SUBSCRIPTION s"), "subscription \"s\" does not exist"));
  Reopen();
  EXPECT_TRUE(cat_->snapshot()->subscriptions.empty());
}

}  // namespace
}  // namespace laminar::catalog
