#include "sql/parser.h"

#include <gtest/gtest.h>

namespace laminar::sql {
namespace {

std::vector<Statement> MustParse(std::string_view sql) {
  auto r = Parse(sql);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<Statement>{};
}

TEST(ParserTest, OneStatementKindAndText) {
  auto stmts = MustParse("SELECT 1;");
  ASSERT_EQ(1u, stmts.size());
  EXPECT_EQ("SelectStmt", stmts[0].kind);
  EXPECT_EQ("SELECT 1", stmts[0].text);
  EXPECT_FALSE(stmts[0].or_replace);
  EXPECT_TRUE(stmts[0].node.contains("SelectStmt"));
}

TEST(ParserTest, MultipleStatementsKeepTheirOwnText) {
  auto stmts = MustParse(
      "  CREATE TABLE a (ts timestamptz NOT NULL);\n"
      "-- a comment\n"
      "DROP TABLE a ;   SELECT 'x;y' /* ; */ FROM b  \n");
  ASSERT_EQ(3u, stmts.size());
  EXPECT_EQ("CreateStmt", stmts[0].kind);
  EXPECT_EQ("CREATE TABLE a (ts timestamptz NOT NULL)", stmts[0].text);
  EXPECT_EQ("DropStmt", stmts[1].kind);
  EXPECT_EQ("DROP TABLE a", stmts[1].text);
  EXPECT_EQ("SelectStmt", stmts[2].kind);
  EXPECT_EQ("SELECT 'x;y' /* ; */ FROM b", stmts[2].text);
}

TEST(ParserTest, EmptyInputGivesNoStatements) {
  EXPECT_TRUE(MustParse("").empty());
  EXPECT_TRUE(MustParse("  \n -- nothing\n /* at all */ ;; ").empty());
}

TEST(ParserTest, SyntaxErrorHasPostgresMessageAndPosition) {
  auto r = Parse("SELECT * FORM t");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(StatusCode::kInvalidArgument, r.status().code());
  EXPECT_EQ("syntax error at or near \"FORM\" (at character 10)", r.status().message());

  r = Parse("SELECT 1; SELEC 2");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("syntax error at or near \"SELEC\" (at character 11)", r.status().message());

  r = Parse("SELECT 'abc");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.status().message().find("unterminated quoted string"))
      << r.status().message();
}

TEST(ParserTest, OrReplaceMaterializedViewIsRecognised) {
  auto stmts = MustParse("CREATE OR REPLACE MATERIALIZED VIEW v AS SELECT count(*) FROM s");
  ASSERT_EQ(1u, stmts.size());
  EXPECT_EQ("CreateTableAsStmt", stmts[0].kind);
  EXPECT_TRUE(stmts[0].or_replace);
  // The text is the user's, OR REPLACE included.
  EXPECT_EQ("CREATE OR REPLACE MATERIALIZED VIEW v AS SELECT count(*) FROM s", stmts[0].text);
  EXPECT_EQ("OBJECT_MATVIEW", stmts[0].node["CreateTableAsStmt"]["objtype"]);
}

TEST(ParserTest, OrReplaceToleratesCaseWhitespaceAndComments) {
  auto stmts = MustParse(
      "create table s (ts timestamptz not null);\n"
      "create  /* c */ or\n  -- line\n replace\tmaterialized view v as select count(*) from s;\n"
      "CREATE MATERIALIZED VIEW w AS SELECT count(*) FROM s");
  ASSERT_EQ(3u, stmts.size());
  EXPECT_FALSE(stmts[0].or_replace);
  EXPECT_TRUE(stmts[1].or_replace);
  EXPECT_FALSE(stmts[2].or_replace);
}

TEST(ParserTest, OrReplaceOnlyAtStatementStart) {
  // Inside a string literal it is just text.
  auto stmts = MustParse("SELECT 'CREATE OR REPLACE MATERIALIZED VIEW x'");
  ASSERT_EQ(1u, stmts.size());
  EXPECT_FALSE(stmts[0].or_replace);
  EXPECT_EQ("SELECT 'CREATE OR REPLACE MATERIALIZED VIEW x'", stmts[0].text);
  // CREATE OR REPLACE VIEW is PostgreSQL grammar and left alone.
  stmts = MustParse("CREATE OR REPLACE VIEW x AS SELECT 1");
  ASSERT_EQ(1u, stmts.size());
  EXPECT_EQ("ViewStmt", stmts[0].kind);
  EXPECT_FALSE(stmts[0].or_replace);
}

TEST(ParserTest, ErrorPositionsCountTheOriginalText) {
  auto r = Parse("CREATE OR REPLACE MATERIALIZED VIEW v AS SELECT FROM FROM s");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("syntax error at or near \"FROM\" (at character 54)", r.status().message());
}

TEST(ParserTest, NegativeAndZeroIntegerConstantsKeepTheirValue) {
  // libpg_query 15 drops these values from its JSON; Parse restores them.
  auto stmts = MustParse("SELECT -5, 0, - /* c */ 7, (-12)::bigint, -(3), 42");
  ASSERT_EQ(1u, stmts.size());
  const auto& targets = stmts[0].node["SelectStmt"]["targetList"];
  auto ival = [&](size_t i) -> int64_t {
    const auto& v = targets[i]["ResTarget"]["val"];
    const auto& c = v.contains("TypeCast") ? v["TypeCast"]["arg"]["A_Const"] : v["A_Const"];
    return c["ival"].value("ival", int64_t{999});
  };
  EXPECT_EQ(-5, ival(0));
  EXPECT_EQ(0, ival(1));
  EXPECT_EQ(-7, ival(2));
  EXPECT_EQ(-12, ival(3));
  EXPECT_EQ(-3, ival(4));
  EXPECT_EQ(42, ival(5));
}

TEST(ParserTest, Helpers) {
  auto stmts = MustParse("DROP TABLE public.pv");
  ASSERT_EQ(1u, stmts.size());
  const auto& items = stmts[0].node["DropStmt"]["objects"][0]["List"]["items"];
  EXPECT_EQ("public.pv", NameList(items));
  EXPECT_EQ("pv", StringValue(items[1]));
  EXPECT_EQ("", StringValue(nlohmann::json::object()));
  EXPECT_EQ("SELECT", DescribeKind("SelectStmt"));
  EXPECT_EQ("INSERT", DescribeKind("InsertStmt"));
  EXPECT_EQ("CREATE MATERIALIZED VIEW", DescribeKind("CreateTableAsStmt"));
  EXPECT_EQ("ALTER SYSTEM", DescribeKind("AlterSystemStmt"));
}

TEST(ParserTest, LongOperatorChainsAreRefusedNotACrash) {
  // 150,000 nested additions: deeper than libpg_query survives on an 8 MB stack, and deeper than
  // anything downstream should walk recursively.
  std::string sql = "SELECT 1";
  for (int i = 0; i < 150000; i++) sql += "+1";
  auto r = Parse(sql);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(StatusCode::kInvalidArgument, r.status().code());
  EXPECT_EQ("statement 1 has too many operators (more than 10000)", r.status().message());
  // Fewer operators, still too deep for the rest of Laminar to walk recursively.
  sql = "SELECT 1";
  for (int i = 0; i < 5000; i++) sql += "::int";
  r = Parse(sql);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.status().message().find("nested too deeply")) << r.status().message();
  // A long but shallow statement is fine.
  sql = "SELECT 1 FROM t WHERE x IN (0";
  for (int i = 1; i < 20000; i++) sql += "," + std::to_string(i);
  sql += ")";
  r = Parse(sql);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(1u, r->size());
}

// The binder (binder.cc) relies on these shapes of libpg_query 15's JSON for SQL-syntax
// constructs; a libpg_query upgrade that changes them fails here first.
TEST(ParserTest, ExpressionShapesTheBinderReliesOn) {
  auto val = [](const std::string& expr) {
    auto r = Parse("SELECT " + expr + " FROM t");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].node["SelectStmt"]["targetList"][0]["ResTarget"]["val"] : nlohmann::json();
  };
  auto names = [](const nlohmann::json& fc) { return NameList(fc["funcname"]); };
  // extract(field FROM x): pg_catalog.extract with the field as a string constant.
  nlohmann::json j = val("extract(hour FROM ts)");
  ASSERT_TRUE(j.contains("FuncCall"));
  EXPECT_EQ("pg_catalog.extract", names(j["FuncCall"]));
  EXPECT_EQ("hour", j["FuncCall"]["args"][0]["A_Const"]["sval"]["sval"]);
  // substring(s FROM a FOR b) and substring(s FOR b): pg_catalog.substring(s, a, b) / (s, 1, b).
  j = val("substring(s FROM 2 FOR 3)");
  EXPECT_EQ("pg_catalog.substring", names(j["FuncCall"]));
  EXPECT_EQ(3u, j["FuncCall"]["args"].size());
  j = val("substring(s FOR 3)");
  EXPECT_EQ(3u, j["FuncCall"]["args"].size());
  EXPECT_EQ(1, j["FuncCall"]["args"][1]["A_Const"]["ival"]["ival"]);
  // position(a IN b): pg_catalog.position(b, a).
  j = val("position('x' IN s)");
  EXPECT_EQ("pg_catalog.position", names(j["FuncCall"]));
  EXPECT_TRUE(j["FuncCall"]["args"][0].contains("ColumnRef"));
  // trim(...) forms: btrim/ltrim/rtrim(s [, chars]).
  j = val("trim(leading 'x' FROM s)");
  EXPECT_EQ("pg_catalog.ltrim", names(j["FuncCall"]));
  EXPECT_TRUE(j["FuncCall"]["args"][0].contains("ColumnRef"));
  // LIKE ... ESCAPE: the pattern is wrapped in like_escape(pattern, escape).
  j = val("s NOT LIKE 'a!%' ESCAPE '!'");
  EXPECT_EQ("AEXPR_LIKE", j["A_Expr"]["kind"]);
  EXPECT_EQ("!~~", StringValue(j["A_Expr"]["name"][0]));
  EXPECT_EQ("pg_catalog.like_escape", names(j["A_Expr"]["rexpr"]["FuncCall"]));
  j = val("s ILIKE 'a'");
  EXPECT_EQ("AEXPR_ILIKE", j["A_Expr"]["kind"]);
  EXPECT_EQ("~~*", StringValue(j["A_Expr"]["name"][0]));
  // NULLIF is an A_Expr; COALESCE, GREATEST/LEAST and CASE have their own nodes.
  EXPECT_EQ("AEXPR_NULLIF", val("nullif(a, b)")["A_Expr"]["kind"]);
  EXPECT_TRUE(val("coalesce(a, b)").contains("CoalesceExpr"));
  EXPECT_EQ("IS_LEAST", val("least(a, b)")["MinMaxExpr"]["op"]);
  j = val("CASE x WHEN 1 THEN 'a' END");
  EXPECT_TRUE(j["CaseExpr"].contains("arg"));
  EXPECT_FALSE(j["CaseExpr"].contains("defresult"));
  // interval '...' is a TypeCast to pg_catalog.interval; a field qualifier is a typmod mask.
  j = val("interval '90' minute");
  EXPECT_EQ("pg_catalog.interval", NameList(j["TypeCast"]["typeName"]["names"]));
  EXPECT_EQ(1 << 11, j["TypeCast"]["typeName"]["typmods"][0]["A_Const"]["ival"]["ival"]);
  // CURRENT_TIMESTAMP(0): the zero precision is left out of the JSON.
  j = val("current_timestamp(0)");
  EXPECT_EQ("SVFOP_CURRENT_TIMESTAMP_N", j["SQLValueFunction"]["op"]);
  EXPECT_FALSE(j["SQLValueFunction"].contains("typmod"));
  // ts AT TIME ZONE 'UTC' is pg_catalog.timezone('UTC', ts).
  j = val("ts AT TIME ZONE 'UTC'");
  EXPECT_EQ("pg_catalog.timezone", names(j["FuncCall"]));
}

}  // namespace
}  // namespace laminar::sql
