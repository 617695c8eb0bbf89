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
  expect_0a000("SELECT table_name FROM information_schema.tables", "information_schema.tables");
  expect_0a000("SELECT count(*) FROM pg_catalog.pg_class", "aggregate function count");
  expect_0a000("SELECT relkind FROM pg_class GROUP BY relkind", "GROUP BY");
  expect_0a000("SELECT DISTINCT relkind FROM pg_class", "DISTINCT");
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

TEST(TextCellToBinaryTest, Types) {
  EXPECT_EQ(*TextCellToBinary("t", kOidBool), std::string(1, '\1'));
  EXPECT_EQ(*TextCellToBinary("16385", 26), std::string("\0\0\x40\x01", 4));
  EXPECT_EQ(*TextCellToBinary("-2", kOidInt2), std::string("\xff\xfe", 2));
  EXPECT_EQ(TextCellToBinary("public", 19).value(), "public");
  EXPECT_EQ(TextCellToBinary("", kOidVoid).value(), "");
  EXPECT_EQ(TextCellToBinary("{a}", 1003).status().code(), StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace laminar::pgwire
