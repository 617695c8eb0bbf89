// The catalog emulation without a socket: psql 15's own \d queries (as `psql -E` prints them)
// over a hand-built snapshot, session functions, and refusals of what is not emulated.
#include "pgwire/pg_catalog.h"

#include <gtest/gtest.h>

#include "pgwire/message.h"

namespace laminar::pgwire {
namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

catalog::Snapshot MakeSnapshot() {
  catalog::Snapshot s;
  auto stream = std::make_shared<ingest::StreamSchema>();
  stream->name = "pageviews";
  stream->columns = {{"ts", Type::kTimestamp, true},
                     {"url", Type::kText, false},
                     {"country", Type::kText, false},
                     {"latency_ms", Type::kDouble, false},
                     {"ok", Type::kBool, false},
                     {"n", Type::kInt64, true}};
  stream->event_time_index = 0;
  s.streams["pageviews"] = stream;

  auto view = std::make_shared<views::ViewDef>();
  view->name = "pv_hourly";
  view->stream = "pageviews";
  view->sql =
      "CREATE MATERIALIZED VIEW pv_hourly AS SELECT date_trunc('hour', ts) AS hour, country, count(*) AS views, "
      "avg(latency_ms) AS avg_latency FROM pageviews GROUP BY 1, 2";
  view->dims.push_back({"hour", nullptr, Type::kTimestamp, true, TimeUnit::kHour});
  view->dims.push_back({"country", nullptr, Type::kText});
  views::MeasureDef views_m;
  views_m.name = "views";
  views_m.kind = views::AggKind::kCountStar;
  views::MeasureDef avg_m;
  avg_m.name = "avg_latency";
  avg_m.kind = views::AggKind::kAvg;
  avg_m.column = 3;
  avg_m.input_type = Type::kDouble;
  avg_m.output_type = Type::kDouble;
  view->measures = {views_m, avg_m};
  view->columns = {{true, 0}, {true, 1}, {false, 0}, {false, 1}};
  s.views["pv_hourly"] = view;

  auto dim = std::make_shared<ingest::StreamSchema>();
  dim->name = "countries";
  dim->columns = {{"code", Type::kText, true}, {"name", Type::kText, false}};
  s.dimensions["countries"] = dim;
  return s;
}

CatalogContext MakeContext() {
  CatalogContext ctx;
  ctx.user = "alice";
  ctx.database = "analytics";
  ctx.backend_pid = 7;
  ctx.settings["application_name"] = {"application_name", "psql"};
  ctx.settings["timezone"] = {"TimeZone", "UTC"};
  ctx.settings["server_version"] = {"server_version", "16.0 (Laminar)"};
  return ctx;
}

class PgCatalogTest : public ::testing::Test {
 protected:
  // The answer to a query that must be a catalog query and succeed.
  CatalogResult Answer(const std::string& sql) {
    auto r = AnswerCatalogQuery(sql, snap_, ctx_);
    EXPECT_TRUE(r.has_value()) << sql;
    if (!r) return {};
    EXPECT_TRUE(r->ok()) << r->status().ToString() << "\n" << sql;
    if (!r->ok()) return {};
    return std::move(r->value());
  }
  Status Error(const std::string& sql) {
    auto r = AnswerCatalogQuery(sql, snap_, ctx_);
    EXPECT_TRUE(r.has_value()) << sql;
    if (!r) return Status::OK();
    EXPECT_FALSE(r->ok()) << sql;
    return r->ok() ? Status::OK() : r->status();
  }
  std::string Oid(const std::string& name) { return std::to_string(*RelationOid(snap_, name)); }

  catalog::Snapshot snap_ = MakeSnapshot();
  CatalogContext ctx_ = MakeContext();
};

// psql 15 `\d` (listTables with every kind); `\dt` and `\dm` differ in the relkind list.
std::string ListTables(const std::string& kinds, const std::string& name_pattern = "") {
  std::string sql =
      "SELECT n.nspname as \"Schema\",\n"
      "  c.relname as \"Name\",\n"
      "  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' "
      "THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' "
      "THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as \"Type\",\n"
      "  pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\"\n"
      "FROM pg_catalog.pg_class c\n"
      "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
      "     LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam\n"
      "WHERE c.relkind IN (" + kinds + ")\n";
  if (name_pattern.empty()) {
    sql += "      AND n.nspname <> 'pg_catalog'\n"
           "      AND n.nspname !~ '^pg_toast'\n"
           "      AND n.nspname <> 'information_schema'\n";
  } else {
    sql += "  AND c.relname OPERATOR(pg_catalog.~) '" + name_pattern + "' COLLATE pg_catalog.default\n";
  }
  sql += "  AND pg_catalog.pg_table_is_visible(c.oid)\nORDER BY 1,2;";
  return sql;
}

TEST_F(PgCatalogTest, ListRelationsAsPsqlDoes) {
  CatalogResult all = Answer(ListTables("'r','p','v','m','S','f',''"));
  ASSERT_EQ(all.columns.size(), 4u);
  EXPECT_EQ(all.columns[0].name, "Schema");
  EXPECT_EQ(all.columns[0].type_oid, 19u);  // name
  EXPECT_EQ(all.columns[2].name, "Type");
  EXPECT_EQ(all.columns[2].type_oid, kOidText);
  EXPECT_EQ(all.rows, (Rows{{"public", "countries", "table", "laminar"},
                            {"public", "pageviews", "table", "laminar"},
                            {"public", "pv_hourly", "materialized view", "laminar"}}));

  EXPECT_EQ(Answer(ListTables("'r','p',''")).rows,
            (Rows{{"public", "countries", "table", "laminar"}, {"public", "pageviews", "table", "laminar"}}));
  EXPECT_EQ(Answer(ListTables("'m',''")).rows, (Rows{{"public", "pv_hourly", "materialized view", "laminar"}}));
  EXPECT_TRUE(Answer(ListTables("'v',''")).rows.empty());
  // \dt p* — psql turns the wildcard into a regular expression.
  EXPECT_EQ(Answer(ListTables("'r','p','v','m','S','f',''", "^(p.*)$")).rows,
            (Rows{{"public", "pageviews", "table", "laminar"}, {"public", "pv_hourly", "materialized view", "laminar"}}));
  EXPECT_EQ(Answer(ListTables("'r','p','v','m','S','f',''", "^(pv.hourl.)$")).rows,
            (Rows{{"public", "pv_hourly", "materialized view", "laminar"}}));
  EXPECT_TRUE(Answer(ListTables("'r','p','v','m','S','f',''", "^(nope)$")).rows.empty());
}

TEST_F(PgCatalogTest, DescribeOneRelationAsPsqlDoes) {
  // 1. The name lookup of `\d pv_hourly`.
  CatalogResult found = Answer(
      "SELECT c.oid,\n  n.nspname,\n  c.relname\nFROM pg_catalog.pg_class c\n"
      "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
      "WHERE c.relname OPERATOR(pg_catalog.~) '^(pv_hourly)$' COLLATE pg_catalog.default\n"
      "  AND pg_catalog.pg_table_is_visible(c.oid)\nORDER BY 2, 3;");
  ASSERT_EQ(found.rows.size(), 1u);
  EXPECT_EQ(found.columns[0].type_oid, 26u);
  EXPECT_EQ(found.rows[0], (std::vector<std::optional<std::string>>{Oid("pv_hourly"), "public", "pv_hourly"}));

  // 2. Its table details (psql reads them by position).
  CatalogResult info = Answer(
      "SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, c.relrowsecurity, "
      "c.relforcerowsecurity, false AS relhasoids, c.relispartition, '', c.reltablespace, CASE WHEN c.reloftype = 0 "
      "THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence, c.relreplident, "
      "am.amname\nFROM pg_catalog.pg_class c\n LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)\n"
      "LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid)\nWHERE c.oid = '" + Oid("pv_hourly") + "';");
  ASSERT_EQ(info.rows.size(), 1u);
  EXPECT_EQ(info.rows[0], (std::vector<std::optional<std::string>>{"0", "m", "f", "f", "f", "f", "f", "f", "f", "",
                                                                    "0", "", "p", "d", std::nullopt}));

  // 3. Its columns.
  std::string columns =
      "SELECT a.attname,\n  pg_catalog.format_type(a.atttypid, a.atttypmod),\n"
      "  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)\n   FROM pg_catalog.pg_attrdef d\n"
      "   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),\n  a.attnotnull,\n"
      "  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t\n"
      "   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,\n"
      "  a.attidentity,\n  a.attgenerated\nFROM pg_catalog.pg_attribute a\nWHERE a.attrelid = '%OID%' AND a.attnum > 0 "
      "AND NOT a.attisdropped\nORDER BY a.attnum;";
  auto with_oid = [&](const std::string& name) {
    std::string q = columns;
    q.replace(q.find("%OID%"), 5, Oid(name));
    return q;
  };
  EXPECT_EQ(Answer(with_oid("pv_hourly")).rows,
            (Rows{{"hour", "timestamp with time zone", std::nullopt, "f", std::nullopt, "", ""},
                  {"country", "text", std::nullopt, "f", std::nullopt, "", ""},
                  {"views", "bigint", std::nullopt, "f", std::nullopt, "", ""},
                  {"avg_latency", "double precision", std::nullopt, "f", std::nullopt, "", ""}}));
  CatalogResult stream = Answer(with_oid("pageviews"));
  ASSERT_EQ(stream.rows.size(), 6u);
  EXPECT_EQ(stream.rows[0], (std::vector<std::optional<std::string>>{"ts", "timestamp with time zone", std::nullopt,
                                                                      "t", std::nullopt, "", ""}));
  EXPECT_EQ(stream.rows[4][1], "boolean");
  EXPECT_EQ(stream.rows[5][1], "bigint");
  EXPECT_EQ(stream.rows[5][3], "t");
  EXPECT_EQ(Answer(with_oid("countries")).rows.size(), 2u);

  // 4. The footers over catalogs Laminar has no rows in: empty, whatever their select lists.
  EXPECT_TRUE(Answer("SELECT pol.polname, pol.polpermissive,\n  CASE WHEN pol.polroles = '{0}' THEN NULL ELSE "
                     "pg_catalog.array_to_string(array(select rolname from pg_catalog.pg_roles where oid = any "
                     "(pol.polroles) order by 1),',') END,\n  pg_catalog.pg_get_expr(pol.polqual, pol.polrelid)\n"
                     "FROM pg_catalog.pg_policy pol\nWHERE pol.polrelid = '" + Oid("pageviews") + "' ORDER BY 1;")
                  .rows.empty());
  EXPECT_TRUE(Answer("SELECT pubname\n     , NULL\n     , NULL\nFROM pg_catalog.pg_publication p\n     JOIN "
                     "pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid\n     JOIN pg_catalog.pg_class pc ON "
                     "pc.relnamespace = pn.pnnspid\nWHERE pc.oid ='1' and pg_catalog.pg_relation_is_publishable('1')\n"
                     "UNION\nSELECT pubname\n     , NULL\n     , NULL\nFROM pg_catalog.pg_publication p\nWHERE "
                     "p.puballtables AND pg_catalog.pg_relation_is_publishable('1')\nORDER BY 1;")
                  .rows.empty());
  EXPECT_TRUE(Answer("SELECT c.oid::pg_catalog.regclass\nFROM pg_catalog.pg_class c, pg_catalog.pg_inherits i\n"
                     "WHERE c.oid = i.inhparent AND i.inhrelid = '" + Oid("pageviews") +
                     "'\n  AND c.relkind != 'p' AND c.relkind != 'I'\nORDER BY inhseqno;")
                  .rows.empty());

  // \d+ reads the options with an array concatenation and unnest() in a subquery: empty.
  CatalogResult verbose = Answer(
      "SELECT c.relchecks, pg_catalog.array_to_string(c.reloptions || array(select 'toast.' || x from "
      "pg_catalog.unnest(tc.reloptions) x), ', ')\nFROM pg_catalog.pg_class c\n LEFT JOIN pg_catalog.pg_class tc ON "
      "(c.reltoastrelid = tc.oid)\nWHERE c.oid = '" + Oid("pageviews") + "';");
  EXPECT_EQ(verbose.rows, (Rows{{"0", ""}}));

  // \d+ pv_hourly: the view definition.
  CatalogResult def = Answer("SELECT pg_catalog.pg_get_viewdef('" + Oid("pv_hourly") + "'::pg_catalog.oid, true);");
  ASSERT_EQ(def.rows.size(), 1u);
  EXPECT_EQ(def.rows[0][0],
            " SELECT date_trunc('hour', ts) AS hour, country, count(*) AS views, avg(latency_ms) AS avg_latency "
            "FROM pageviews GROUP BY 1, 2;");
}

TEST_F(PgCatalogTest, OidsAreStableAndDistinct) {
  std::string a = Oid("pageviews"), b = Oid("pv_hourly"), c = Oid("countries");
  EXPECT_NE(a, b);
  EXPECT_NE(a, c);
  EXPECT_GE(std::stoll(a), kFirstRelationOid);
  // Dropping another relation does not move an oid.
  catalog::Snapshot smaller = snap_;
  smaller.views.clear();
  smaller.dimensions.clear();
  EXPECT_EQ(std::to_string(*RelationOid(smaller, "pageviews")), a);
  EXPECT_FALSE(RelationOid(smaller, "pv_hourly").has_value());
  EXPECT_EQ(Answer("SELECT 'pv_hourly'::pg_catalog.regclass::pg_catalog.oid").rows[0][0], b);
  EXPECT_EQ(Answer("SELECT " + b + "::pg_catalog.regclass").rows[0][0], "pv_hourly");
}

TEST_F(PgCatalogTest, SchemasDatabasesRoles) {
  EXPECT_EQ(Answer("SELECT n.nspname AS \"Name\",\n  pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\"\nFROM "
                   "pg_catalog.pg_namespace n\nWHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'\n"
                   "ORDER BY 1;")
                .rows,
            (Rows{{"public", "laminar"}}));
  CatalogResult l = Answer(
      "SELECT d.datname as \"Name\",\n       pg_catalog.pg_get_userbyid(d.datdba) as \"Owner\",\n       "
      "pg_catalog.pg_encoding_to_char(d.encoding) as \"Encoding\",\n       d.datcollate as \"Collate\",\n       "
      "d.datctype as \"Ctype\",\n       d.daticulocale as \"ICU Locale\",\n       CASE d.datlocprovider WHEN 'c' THEN "
      "'libc' WHEN 'i' THEN 'icu' END AS \"Locale Provider\",\n       pg_catalog.array_to_string(d.datacl, E'\\n') AS "
      "\"Access privileges\"\nFROM pg_catalog.pg_database d\nORDER BY 1;");
  EXPECT_EQ(l.rows, (Rows{{"analytics", "laminar", "UTF8", "C", "C", std::nullopt, "libc", std::nullopt}}));
  CatalogResult du = Answer(
      "SELECT r.rolname, r.rolsuper, r.rolinherit,\n  r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,\n  "
      "r.rolconnlimit, r.rolvaliduntil,\n  ARRAY(SELECT b.rolname\n        FROM pg_catalog.pg_auth_members m\n        "
      "JOIN pg_catalog.pg_roles b ON (m.roleid = b.oid)\n        WHERE m.member = r.oid) as memberof\n, "
      "r.rolreplication\n, r.rolbypassrls\nFROM pg_catalog.pg_roles r\nWHERE r.rolname !~ '^pg_'\nORDER BY 1;");
  EXPECT_EQ(du.rows, (Rows{{"laminar", "f", "t", "f", "f", "t", "-1", std::nullopt, "{}", "f", "f"}}));
  EXPECT_EQ(du.columns[8].type_oid, 1003u);  // name[]
}

TEST_F(PgCatalogTest, SessionFunctions) {
  CatalogResult r = Answer("SELECT current_database(), current_schema(), current_user, session_user, "
                           "pg_catalog.current_setting('TimeZone') AS tz, pg_backend_pid()");
  ASSERT_EQ(r.columns.size(), 6u);
  EXPECT_EQ(r.columns[0].name, "current_database");
  EXPECT_EQ(r.columns[2].name, "current_user");
  EXPECT_EQ(r.columns[4].name, "tz");
  EXPECT_EQ(r.rows, (Rows{{"analytics", "public", "alice", "alice", "UTC", "7"}}));
  EXPECT_EQ(Answer("SELECT current_schemas(true)").rows, (Rows{{"{pg_catalog,public}"}}));
  EXPECT_EQ(Answer("select version() as v").rows[0][0], kPgVersionString);

  Status unknown = Error("SELECT current_setting('no_such')");
  EXPECT_EQ(unknown.code(), StatusCode::kInvalidArgument);
  EXPECT_STREQ(SqlStateFor(unknown), "42704");
  EXPECT_EQ(Answer("SELECT current_setting('no_such', true)").rows, (Rows{{std::nullopt}}));

  CatalogResult set = Answer("SELECT pg_catalog.set_config('search_path', '', false), current_setting('search_path')");
  EXPECT_EQ(set.rows, (Rows{{"", ""}}));
  EXPECT_EQ(set.settings_changed, (std::vector<std::pair<std::string, std::string>>{{"search_path", ""}}));
  EXPECT_TRUE(Answer("SELECT set_config('application_name', 'x', true)").settings_changed.empty());
  EXPECT_EQ(Error("SELECT set_config('server_version', '1', false)").code(), StatusCode::kInvalidArgument);

  // Not catalog queries: the engine answers them.
  EXPECT_FALSE(AnswerCatalogQuery("SELECT 1", snap_, ctx_).has_value());
  EXPECT_FALSE(AnswerCatalogQuery("SELECT country FROM pv_hourly", snap_, ctx_).has_value());
  EXPECT_FALSE(AnswerCatalogQuery("SELECT current_user, views FROM pv_hourly", snap_, ctx_).has_value());
  EXPECT_FALSE(AnswerCatalogQuery("CREATE TABLE x (ts timestamptz NOT NULL)", snap_, ctx_).has_value());
}

TEST_F(PgCatalogTest, PgSleepGoesThroughTheContext) {
  double slept = -1;
  ctx_.sleep = [&](double s) {
    slept = s;
    return Status::OK();
  };
  CatalogResult r = Answer("SELECT pg_sleep(0.25)");
  EXPECT_EQ(slept, 0.25);
  ASSERT_EQ(r.columns.size(), 1u);
  EXPECT_EQ(r.columns[0].name, "pg_sleep");
  EXPECT_EQ(r.columns[0].type_oid, kOidVoid);
  EXPECT_EQ(r.rows, (Rows{{""}}));
  Answer("SELECT pg_catalog.pg_sleep(2)");
  EXPECT_EQ(slept, 2);
  Answer("SELECT pg_sleep('1.5')");
  EXPECT_EQ(slept, 1.5);
  ctx_.sleep = [](double) { return Cancelled("canceling statement due to user request"); };
  Status st = Error("SELECT pg_sleep(30)");
  EXPECT_STREQ(SqlStateFor(st), "57014");
  ctx_.sleep = nullptr;
  EXPECT_EQ(Error("SELECT pg_sleep(1)").code(), StatusCode::kUnimplemented);
}

TEST_F(PgCatalogTest, UnsupportedCatalogQueriesAreRefusedByName) {
  auto expect_0a000 = [&](const std::string& sql, const std::string& fragment) {
    Status st = Error(sql);
    EXPECT_STREQ(SqlStateFor(st), "0A000") << sql << ": " << st.ToString();
    EXPECT_NE(st.message().find(fragment), std::string::npos) << st.message();
  };
  expect_0a000("SELECT * FROM pg_catalog.pg_stat_activity", "pg_stat_activity");
  expect_0a000("SELECT * FROM information_schema.routines", "information_schema.routines");
  expect_0a000("SELECT json_agg(relname) FROM pg_catalog.pg_class", "aggregate function json_agg");
  expect_0a000("SELECT relkind FROM pg_class GROUP BY ROLLUP (relkind)", "ROLLUP");
  expect_0a000("SELECT DISTINCT ON (relkind) relname FROM pg_class", "DISTINCT ON");
  expect_0a000("SELECT sum(attnum) OVER () FROM pg_attribute", "window function sum");
  expect_0a000("SELECT relname FROM pg_class INTERSECT SELECT relname FROM pg_class", "INTERSECT");
  expect_0a000("SELECT x.a FROM pg_class c, LATERAL (SELECT c.relname AS a) x", "LATERAL");
  expect_0a000("SELECT information_schema._pg_expandarray(ARRAY[1]) FROM pg_catalog.pg_class", "_pg_expandarray");
  expect_0a000("SELECT (c).relname FROM pg_catalog.pg_class c", "field selection .relname");
  expect_0a000("SELECT (current_schemas(true))[1:2]", "slices");
  expect_0a000("SELECT x FROM pg_catalog.pg_class, pg_catalog.generate_series('a'::text, 'b') x", "generate_series over text");
  expect_0a000("SELECT * FROM pg_catalog.pg_get_keywords()", "pg_get_keywords");
  expect_0a000("SELECT 'pg_roles'::regclass", "pg_roles");
  expect_0a000("SELECT c.relfoo FROM pg_catalog.pg_class c", "relfoo");
  expect_0a000("SELECT pg_catalog.pg_get_indexdef(c.oid) FROM pg_catalog.pg_class c", "pg_get_indexdef");
  expect_0a000("SELECT c.relname FROM pg_catalog.pg_class c JOIN pageviews p ON true", "pageviews");
  expect_0a000("SELECT pg_catalog.pg_postmaster_start_time() FROM pg_catalog.pg_class", "pg_postmaster_start_time");
  // Functions of the engine stay the engine's, even as the parser qualifies them.
  EXPECT_FALSE(AnswerCatalogQuery("SELECT extract(year FROM now())", snap_, ctx_).has_value());
  EXPECT_FALSE(AnswerCatalogQuery("SELECT substring('abc' FROM 2)", snap_, ctx_).has_value());
}

TEST_F(PgCatalogTest, ExpressionSemantics) {
  // Three-valued logic, IN with NULL, CASE without ELSE, COALESCE, LIKE, casts, LIMIT/OFFSET.
  EXPECT_EQ(Answer("SELECT relname FROM pg_catalog.pg_class WHERE relname LIKE 'p%' ORDER BY relname DESC "
                   "LIMIT 1 OFFSET 1")
                .rows,
            (Rows{{"pageviews"}}));
  EXPECT_EQ(Answer("SELECT NULL::text IS NULL, 1 IN (2, NULL), 'x' = 'x' AND NULL, "
                   "CASE WHEN false THEN 1 END, COALESCE(NULL, 'b'), '5'::int4 + 1, current_user = 'alice'")
                .rows,
            (Rows{{"t", std::nullopt, std::nullopt, std::nullopt, "b", "6", "t"}}));
  EXPECT_EQ(Answer("SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relkind = 'm' AND "
                   "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'views')")
                .rows,
            (Rows{{"pv_hourly"}}));
  EXPECT_EQ(Error("SELECT c.oid = 'abc' FROM pg_catalog.pg_class c").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Error("SELECT (SELECT relname FROM pg_catalog.pg_class)").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Answer("SELECT * FROM pg_catalog.pg_tables ORDER BY tablename").rows.size(), 2u);
  EXPECT_EQ(Answer("SELECT matviewname FROM pg_catalog.pg_matviews").rows, (Rows{{"pv_hourly"}}));
}

// pgjdbc 42.5's DatabaseMetaData.getTables(null, "public", "%", null), as the driver sends it.
constexpr const char* kJdbcGetTables =
    "SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME,  CASE n.nspname ~ '^pg_' OR "
    "n.nspname = 'information_schema'  WHEN true THEN CASE  WHEN n.nspname = 'pg_catalog' OR n.nspname = "
    "'information_schema' THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TABLE'   WHEN 'v' THEN 'SYSTEM VIEW'   WHEN "
    "'i' THEN 'SYSTEM INDEX'   ELSE NULL   END  WHEN n.nspname = 'pg_toast' THEN CASE c.relkind   WHEN 'r' THEN "
    "'SYSTEM TOAST TABLE'   WHEN 'i' THEN 'SYSTEM TOAST INDEX'   ELSE NULL   END  ELSE CASE c.relkind   WHEN 'r' "
    "THEN 'TEMPORARY TABLE'   WHEN 'p' THEN 'TEMPORARY TABLE'   WHEN 'i' THEN 'TEMPORARY INDEX'   WHEN 'S' THEN "
    "'TEMPORARY SEQUENCE'   WHEN 'v' THEN 'TEMPORARY VIEW'   ELSE NULL   END  END  WHEN false THEN CASE c.relkind  "
    "WHEN 'r' THEN 'TABLE'  WHEN 'p' THEN 'PARTITIONED TABLE'  WHEN 'i' THEN 'INDEX'  WHEN 'P' then 'PARTITIONED "
    "INDEX'  WHEN 'S' THEN 'SEQUENCE'  WHEN 'v' THEN 'VIEW'  WHEN 'c' THEN 'TYPE'  WHEN 'f' THEN 'FOREIGN TABLE'  "
    "WHEN 'm' THEN 'MATERIALIZED VIEW'  ELSE NULL  END  ELSE NULL  END  AS TABLE_TYPE, d.description AS REMARKS,  "
    "'' as TYPE_CAT, '' as TYPE_SCHEM, '' as TYPE_NAME, '' AS SELF_REFERENCING_COL_NAME, '' AS REF_GENERATION  "
    "FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c  LEFT JOIN pg_catalog.pg_description d ON (c.oid = "
    "d.objoid AND d.objsubid = 0  and d.classoid = 'pg_class'::regclass)  WHERE c.relnamespace = n.oid  AND "
    "n.nspname LIKE 'public' AND c.relname LIKE '%' ORDER BY TABLE_TYPE,TABLE_SCHEM,TABLE_NAME ";

// pgjdbc 42.5's getColumns(null, "public", "pv_hourly", "%").
constexpr const char* kJdbcGetColumns =
    "SELECT * FROM (SELECT n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull OR (t.typtype = 'd' AND "
    "t.typnotnull) AS attnotnull,a.atttypmod,a.attlen,t.typtypmod,row_number() OVER (PARTITION BY a.attrelid "
    "ORDER BY a.attnum) AS attnum, nullif(a.attidentity, '') as attidentity,nullif(a.attgenerated, '') as "
    "attgenerated,pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.description,t.typbasetype,t.typtype  "
    "FROM pg_catalog.pg_namespace n  JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid)  JOIN "
    "pg_catalog.pg_attribute a ON (a.attrelid=c.oid)  JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid)  LEFT JOIN "
    "pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid AND a.attnum = def.adnum)  LEFT JOIN "
    "pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)  LEFT JOIN pg_catalog.pg_class "
    "dc ON (dc.oid=dsc.classoid AND dc.relname='pg_class')  LEFT JOIN pg_catalog.pg_namespace dn ON "
    "(dc.relnamespace=dn.oid AND dn.nspname='pg_catalog')  WHERE c.relkind in ('r','p','v','f','m') and a.attnum > "
    "0 AND NOT a.attisdropped  AND n.nspname LIKE 'public' AND c.relname LIKE 'pv_hourly') c WHERE true  AND "
    "attname LIKE '%' ORDER BY nspname,c.relname,attnum ";

// pgjdbc 42.5's TypeInfoCache query for a type's SQL type code (the parameter substituted).
std::string JdbcTypeQuery(const std::string& oid) {
  return "SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid\n"
         "  FROM pg_catalog.pg_type\n"
         "  LEFT JOIN (select ns.oid as nspoid, ns.nspname, r.r\n"
         "          from pg_namespace as ns\n"
         "          join ( select s.r, (current_schemas(false))[s.r] as nspname\n"
         "                   from generate_series(1, array_upper(current_schemas(false), 1)) as s(r) ) as r\n"
         "         using ( nspname )\n"
         "       ) as sp\n"
         "    ON sp.nspoid = typnamespace\n"
         " WHERE pg_type.oid = " + oid + "\n"
         " ORDER BY sp.r, pg_type.oid DESC;";
}

TEST_F(PgCatalogTest, JdbcDatabaseMetaDataQueries) {
  CatalogResult tables = Answer(kJdbcGetTables);
  ASSERT_EQ(tables.columns.size(), 10u);
  EXPECT_EQ(tables.columns[3].name, "table_type");
  std::vector<std::vector<std::optional<std::string>>> got;
  for (const auto& row : tables.rows) got.push_back({row[1], row[2], row[3]});
  EXPECT_EQ(got, (Rows{{"public", "pv_hourly", "MATERIALIZED VIEW"},
                       {"public", "countries", "TABLE"},
                       {"public", "pageviews", "TABLE"}}));

  CatalogResult cols = Answer(kJdbcGetColumns);
  ASSERT_EQ(cols.columns.size(), 15u);
  EXPECT_EQ(cols.columns[8].name, "attnum");
  EXPECT_EQ(cols.columns[8].type_oid, uint32_t(kOidInt8));  // row_number()
  ASSERT_EQ(cols.rows.size(), 4u);
  // nspname, relname, attname, atttypid, attnotnull, ..., attnum, attidentity, attgenerated, adsrc.
  EXPECT_EQ(cols.rows[0][2], "hour");
  EXPECT_EQ(cols.rows[0][3], "1184");
  EXPECT_EQ(cols.rows[0][4], "f");
  EXPECT_EQ(cols.rows[0][8], "1");
  EXPECT_EQ(cols.rows[0][9], std::nullopt);
  EXPECT_EQ(cols.rows[0][11], std::nullopt);
  EXPECT_EQ(cols.rows[0][14], "b");
  EXPECT_EQ(cols.rows[2][2], "views");
  EXPECT_EQ(cols.rows[2][3], "20");
  EXPECT_EQ(cols.rows[3][2], "avg_latency");
  EXPECT_EQ(cols.rows[3][8], "4");

  // The type cache: int8 is a base type, bigint[] an array.
  EXPECT_EQ(Answer(JdbcTypeQuery("20")).rows, (Rows{{"f", "b", "int8", "20"}}));
  EXPECT_EQ(Answer(JdbcTypeQuery("1016")).rows, (Rows{{"t", "b", "_int8", "1016"}}));
  EXPECT_TRUE(Answer(JdbcTypeQuery("NULL")).rows.empty());  // Describe runs it with NULL parameters
  EXPECT_EQ(Answer(JdbcTypeQuery("NULL")).columns[0].type_oid, uint32_t(kOidBool));

  // getSchemas.
  EXPECT_EQ(Answer("SELECT nspname AS TABLE_SCHEM, NULL AS TABLE_CATALOG FROM pg_catalog.pg_namespace  WHERE "
                   "nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_'  OR nspname = "
                   "(pg_catalog.current_schemas(true))[1]) AND (nspname !~ '^pg_toast_temp_'  OR nspname = "
                   "replace((pg_catalog.current_schemas(true))[1], 'pg_temp_', 'pg_toast_temp_'))  ORDER BY TABLE_SCHEM")
                .rows,
            (Rows{{"information_schema", std::nullopt}, {"pg_catalog", std::nullopt}, {"public", std::nullopt}}));
  // getPrimaryKeys: Laminar has no indexes, so no keys (the expression over them is never evaluated).
  CatalogResult keys = Answer(
      "SELECT        result.TABLE_CAT,        result.TABLE_SCHEM,        result.TABLE_NAME,        "
      "result.COLUMN_NAME,        result.KEY_SEQ,        result.PK_NAME FROM      (SELECT NULL AS TABLE_CAT, "
      "n.nspname AS TABLE_SCHEM,   ct.relname AS TABLE_NAME, a.attname AS COLUMN_NAME,   "
      "(information_schema._pg_expandarray(i.indkey)).n AS KEY_SEQ, ci.relname AS PK_NAME,   "
      "information_schema._pg_expandarray(i.indkey) AS KEYS, a.attnum AS A_ATTNUM FROM pg_catalog.pg_class ct   "
      "JOIN pg_catalog.pg_attribute a ON (ct.oid = a.attrelid)   JOIN pg_catalog.pg_namespace n ON "
      "(ct.relnamespace = n.oid)   JOIN pg_catalog.pg_index i ON ( a.attrelid = i.indrelid)   JOIN "
      "pg_catalog.pg_class ci ON (ci.oid = i.indexrelid) WHERE true  AND n.nspname = 'public' AND ct.relname = "
      "'pageviews' AND i.indisprimary  ) result where  result.A_ATTNUM = (result.KEYS).x  ORDER BY "
      "result.table_name, result.pk_name, result.key_seq");
  EXPECT_TRUE(keys.rows.empty());
  ASSERT_EQ(keys.columns.size(), 6u);
  EXPECT_EQ(keys.columns[3].name, "column_name");
}

TEST_F(PgCatalogTest, InformationSchema) {
  // Grafana/Metabase-style: materialized views are not tables in information_schema (as in PostgreSQL).
  CatalogResult t = Answer("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
  EXPECT_EQ(t.rows, (Rows{{"countries"}, {"pageviews"}}));
  EXPECT_EQ(t.columns[0].type_oid, 19u);
  EXPECT_EQ(Answer("SELECT table_catalog, table_type, is_insertable_into FROM information_schema.tables "
                   "WHERE table_name = 'pageviews'")
                .rows,
            (Rows{{"analytics", "BASE TABLE", "NO"}}));
  CatalogResult c = Answer("SELECT column_name, data_type, ordinal_position, is_nullable, udt_name, "
                           "numeric_precision, datetime_precision FROM information_schema.columns "
                           "WHERE table_name = 'pageviews' ORDER BY ordinal_position");
  EXPECT_EQ(c.rows, (Rows{{"ts", "timestamp with time zone", "1", "NO", "timestamptz", std::nullopt, "6"},
                          {"url", "text", "2", "YES", "text", std::nullopt, std::nullopt},
                          {"country", "text", "3", "YES", "text", std::nullopt, std::nullopt},
                          {"latency_ms", "double precision", "4", "YES", "float8", "53", std::nullopt},
                          {"ok", "boolean", "5", "YES", "bool", std::nullopt, std::nullopt},
                          {"n", "bigint", "6", "NO", "int8", "64", std::nullopt}}));
  EXPECT_EQ(c.columns[2].type_oid, uint32_t(kOidInt4));  // cardinal_number
  EXPECT_TRUE(Answer("SELECT column_name FROM information_schema.columns WHERE table_name = 'pv_hourly'").rows.empty());
  EXPECT_EQ(Answer("SELECT schema_name FROM information_schema.schemata ORDER BY 1").rows,
            (Rows{{"information_schema"}, {"pg_catalog"}, {"public"}}));
  EXPECT_TRUE(Answer("SELECT * FROM information_schema.views").rows.empty());
  EXPECT_TRUE(Answer("SELECT * FROM information_schema.key_column_usage").rows.empty());
  // NOT NULL columns are CHECK constraints, named <namespace oid>_<table oid>_<attnum>_not_null.
  EXPECT_EQ(Answer("SELECT constraint_name, table_name, constraint_type FROM information_schema.table_constraints "
                   "ORDER BY table_name, constraint_name")
                .rows,
            (Rows{{"2200_" + Oid("countries") + "_1_not_null", "countries", "CHECK"},
                  {"2200_" + Oid("pageviews") + "_1_not_null", "pageviews", "CHECK"},
                  {"2200_" + Oid("pageviews") + "_6_not_null", "pageviews", "CHECK"}}));
  // Counting columns per table joins information_schema with itself.
  EXPECT_EQ(Answer("SELECT t.table_name, count(c.column_name) AS n FROM information_schema.tables t "
                   "LEFT JOIN information_schema.columns c USING (table_schema, table_name) "
                   "GROUP BY t.table_name ORDER BY n DESC")
                .rows,
            (Rows{{"pageviews", "6"}, {"countries", "2"}}));
}

TEST_F(PgCatalogTest, GroupingAggregatesAndDistinct) {
  CatalogResult g = Answer("SELECT relkind, count(*), string_agg(relname, ',' ORDER BY relname DESC) AS names, "
                           "min(relnatts), max(relname), sum(relnatts), bool_and(relispopulated) "
                           "FROM pg_catalog.pg_class GROUP BY relkind ORDER BY count(*) DESC");
  EXPECT_EQ(g.rows, (Rows{{"r", "2", "pageviews,countries", "2", "pageviews", "8", "t"},
                          {"m", "1", "pv_hourly", "4", "pv_hourly", "4", "t"}}));
  EXPECT_EQ(g.columns[1].type_oid, uint32_t(kOidInt8));
  // Without GROUP BY: one row, also over no rows.
  EXPECT_EQ(Answer("SELECT count(*), count(relname), max(relname) FROM pg_catalog.pg_class WHERE false").rows,
            (Rows{{"0", "0", std::nullopt}}));
  EXPECT_EQ(Answer("SELECT count(DISTINCT atttypid), count(*) FILTER (WHERE attnotnull) FROM pg_catalog.pg_attribute")
                .rows,
            (Rows{{"5", "3"}}));
  EXPECT_EQ(Answer("SELECT attrelid::regclass, count(*) FROM pg_catalog.pg_attribute GROUP BY 1 "
                   "HAVING count(*) > 2 ORDER BY 2")
                .rows,
            (Rows{{"pv_hourly", "4"}, {"pageviews", "6"}}));
  EXPECT_EQ(Answer("SELECT DISTINCT relkind FROM pg_catalog.pg_class ORDER BY 1").rows, (Rows{{"m"}, {"r"}}));
  // A subquery of a grouped query reads the group's key.
  EXPECT_EQ(Answer("SELECT c.relkind, (SELECT count(*) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class k "
                   "ON k.oid = a.attrelid WHERE k.relkind = c.relkind) FROM pg_catalog.pg_class c GROUP BY c.relkind "
                   "ORDER BY 1")
                .rows,
            (Rows{{"m", "4"}, {"r", "8"}}));
  EXPECT_EQ(Answer("SELECT array_agg(nspname ORDER BY nspname) FROM pg_catalog.pg_namespace").rows,
            (Rows{{"{information_schema,pg_catalog,public}"}}));
  Status st = Error("SELECT relname, count(*) FROM pg_catalog.pg_class GROUP BY relkind");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("must appear in the GROUP BY clause"), std::string::npos) << st.ToString();
  EXPECT_EQ(Error("SELECT relname FROM pg_catalog.pg_class WHERE count(*) > 1").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Error("SELECT sum(relname) FROM pg_catalog.pg_class").code(), StatusCode::kInvalidArgument);
}

TEST_F(PgCatalogTest, WindowsDerivedTablesAndFunctionsInFrom) {
  EXPECT_EQ(Answer("SELECT c.relname, a.attname, row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum DESC) "
                   "AS k, rank() OVER (ORDER BY c.relkind), dense_rank() OVER (ORDER BY c.relkind) "
                   "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
                   "WHERE c.relname <> 'pageviews' ORDER BY 1, 3")
                .rows,
            (Rows{{"countries", "name", "1", "5", "2"},
                  {"countries", "code", "2", "5", "2"},
                  {"pv_hourly", "avg_latency", "1", "1", "1"},
                  {"pv_hourly", "views", "2", "1", "1"},
                  {"pv_hourly", "country", "3", "1", "1"},
                  {"pv_hourly", "hour", "4", "1", "1"}}));
  EXPECT_EQ(Error("SELECT relname FROM pg_catalog.pg_class WHERE row_number() OVER () > 1").code(),
            StatusCode::kInvalidArgument);
  // Derived tables with column aliases; generate_series and unnest WITH ORDINALITY.
  EXPECT_EQ(Answer("SELECT x.n, x.k FROM (SELECT relname, relnatts FROM pg_catalog.pg_class) AS x(n, k) "
                   "WHERE x.k > 2 ORDER BY x.n")
                .rows,
            (Rows{{"pageviews", "6"}, {"pv_hourly", "4"}}));
  EXPECT_EQ(Error("SELECT x.nope FROM (SELECT relname FROM pg_catalog.pg_class) x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Answer("SELECT s.r, (current_schemas(true))[s.r] FROM pg_catalog.pg_namespace n, "
                   "generate_series(1, array_upper(current_schemas(true), 1)) AS s(r) WHERE n.nspname = 'public'")
                .rows,
            (Rows{{"1", "pg_catalog"}, {"2", "public"}}));
  EXPECT_EQ(Answer("SELECT u.x, u.ordinality FROM pg_catalog.pg_namespace n, unnest(ARRAY[10, 20]) WITH ORDINALITY "
                   "AS u(x) WHERE n.nspname = 'public'")
                .rows,
            (Rows{{"10", "1"}, {"20", "2"}}));
  EXPECT_EQ(Answer("SELECT count(*) FROM pg_catalog.pg_class c, generate_series(10, 1, -3) g").rows, (Rows{{"12"}}));
}

TEST_F(PgCatalogTest, ArraysRegprocAndStringFunctions) {
  EXPECT_EQ(Answer("SELECT ('{a,\"b c\",NULL}'::text[])[2], ('{a}'::text[])[5], array_length('{1,2,3}'::int4[], 1), "
                   "array_lower('{x}'::name[], 1), cardinality('{}'::text[]), '{1, 2}'::int8[] "
                   "FROM pg_catalog.pg_namespace WHERE nspname = 'public'")
                .rows,
            (Rows{{"b c", std::nullopt, "3", "1", "0", "{1,2}"}}));
  EXPECT_EQ(Error("SELECT '{1,x}'::int4[] FROM pg_catalog.pg_class").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Error("SELECT 'nope'::text[] FROM pg_catalog.pg_class").code(), StatusCode::kInvalidArgument);
  // pgjdbc's getSQLKeywords shape: <> ALL over an array literal.
  EXPECT_EQ(Answer("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname <> ALL ('{pg_catalog,public}'::text[])")
                .rows,
            (Rows{{"information_schema"}}));
  // An untyped literal after ANY/ALL is an array of the left side's type (psql, pgcli).
  EXPECT_EQ(Answer("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY ('{public,nope}') ORDER BY 1").rows,
            (Rows{{"public"}}));
  EXPECT_EQ(Error("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY ('{public')").code(),
            StatusCode::kInvalidArgument);
  // pg_enum (SQLAlchemy's inspection): Laminar has no enum types.
  EXPECT_TRUE(Answer("SELECT e.enumlabel FROM pg_catalog.pg_enum e").rows.empty());
  EXPECT_EQ(Answer("SELECT typname, typinput, typinput = 'array_in'::regproc, typelem::regtype "
                   "FROM pg_catalog.pg_type WHERE typname IN ('int4', '_text') ORDER BY 1")
                .rows,
            (Rows{{"_text", "array_in", "t", "text"}, {"int4", "int4in", "f", "-"}}));
  EXPECT_EQ(Error("SELECT 'no_such_fn'::regproc").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Answer("SELECT 'pg_class'::regclass::oid, 'pg_catalog.pg_type'::regclass, 1259::regclass").rows,
            (Rows{{"1259", "pg_type", "pg_class"}}));
  EXPECT_EQ(Answer("SELECT replace(current_schema(), 'pub', 'x'), substring('zürich', 2, 3), substring('abc', 0, 2), "
                   "length('zürich'), btrim('\"q\"', '\"'), substr(relname, 1, 1) = 'p' "
                   "FROM pg_catalog.pg_class WHERE relname = 'pageviews'")
                .rows,
            (Rows{{"xlic", "üri", "a", "6", "q", "t"}}));
}

TEST_F(PgCatalogTest, PgProcIsEmptyForPsqlDf) {
  // psql 15's \df.
  CatalogResult df = Answer(
      "SELECT n.nspname as \"Schema\",\n  p.proname as \"Name\",\n  pg_catalog.pg_get_function_result(p.oid) as "
      "\"Result data type\",\n  pg_catalog.pg_get_function_arguments(p.oid) as \"Argument data types\",\n CASE "
      "p.prokind\n  WHEN 'a' THEN 'agg'\n  WHEN 'w' THEN 'window'\n  WHEN 'p' THEN 'proc'\n  ELSE 'func'\n END as "
      "\"Type\"\nFROM pg_catalog.pg_proc p\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\nWHERE "
      "pg_catalog.pg_function_is_visible(p.oid)\n      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> "
      "'information_schema'\nORDER BY 1, 2, 4;");
  EXPECT_TRUE(df.rows.empty());
  ASSERT_EQ(df.columns.size(), 5u);
  EXPECT_EQ(df.columns[1].name, "Name");
  EXPECT_EQ(df.columns[1].type_oid, 19u);
}

TEST(TextCellToBinaryTest, Types) {
  EXPECT_EQ(*TextCellToBinary("t", kOidBool), std::string(1, '\1'));
  EXPECT_EQ(*TextCellToBinary("16385", 26), std::string("\0\0\x40\x01", 4));
  EXPECT_EQ(*TextCellToBinary("-2", kOidInt2), std::string("\xff\xfe", 2));
  EXPECT_EQ(TextCellToBinary("public", 19).value(), "public");
  EXPECT_EQ(TextCellToBinary("", kOidVoid).value(), "");
  // Arrays: ndim, has-NULL flag, element oid, (size, lower bound), then (length, bytes) per element.
  EXPECT_EQ(TextCellToBinary("{a,NULL}", 1003).value(),
            std::string("\0\0\0\1" "\0\0\0\1" "\0\0\0\x13" "\0\0\0\2" "\0\0\0\1" "\0\0\0\1a" "\xff\xff\xff\xff", 29));
  EXPECT_EQ(TextCellToBinary("{}", 1007).value(), std::string("\0\0\0\0" "\0\0\0\0" "\0\0\0\x17", 12));
  EXPECT_EQ(TextCellToBinary("1 2", 22).value(),
            std::string("\0\0\0\1" "\0\0\0\0" "\0\0\0\x15" "\0\0\0\2" "\0\0\0\0" "\0\0\0\2\0\1" "\0\0\0\2\0\2", 32));
  EXPECT_EQ(TextCellToBinary("{x}", 1007).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TextCellToBinary("{a}", 1034).status().code(), StatusCode::kUnimplemented);  // aclitem[]
  EXPECT_EQ(TextCellToBinary("x", 2205).status().code(), StatusCode::kUnimplemented);    // regclass
  for (uint32_t oid : {16u, 20u, 21u, 25u, 26u, 701u, 1003u, 1007u, 22u, 30u}) EXPECT_TRUE(HasBinaryFormat(oid)) << oid;
  for (uint32_t oid : {1700u, 2205u, 1034u, 1184u}) EXPECT_FALSE(HasBinaryFormat(oid)) << oid;
}

}  // namespace
}  // namespace laminar::pgwire
