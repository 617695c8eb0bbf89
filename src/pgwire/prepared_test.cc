// Prepared statements (prepared.h): SQL PREPARE / EXECUTE / DEALLOCATE parsed from PostgreSQL's
// grammar, the namespace they share with the protocol's Parse, and EXECUTE's arguments bound by the
// same path as Bind's parameters.
#include "pgwire/prepared.h"

#include <gtest/gtest.h>

#include "common/sqlstate.h"
#include "pgwire/message.h"

namespace laminar::pgwire {
namespace {

sql::Statement One(const std::string& text) {
  auto parsed = sql::Parse(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->size(), 1u);
  return parsed->front();
}

std::string Err(const Status& st) { return std::string(SqlStateFor(st)) + " " + st.message(); }

TEST(SqlPrepareTest, NameTypesAndStatement) {
  auto p =
      ParseSqlPrepare(One("PREPARE q (bigint, text, double precision, timestamp with time zone, boolean, int, "
                          "smallint, real, varchar(10), timestamptz, int8) AS SELECT $1 AS x FROM t WHERE y = $2;"));
  ASSERT_TRUE(p.ok()) << Err(p.status());
  EXPECT_EQ(p->name, "q");
  EXPECT_EQ(p->param_types, (std::vector<uint32_t>{kOidInt8, kOidText, kOidFloat8, kOidTimestamptz, kOidBool, kOidInt4,
                                                   kOidInt2, kOidFloat4, kOidVarchar, kOidTimestamptz, kOidInt8}));
  EXPECT_EQ(p->statement.kind, "SelectStmt");
  EXPECT_EQ(sql::MaxParamNumber(p->statement), 2);
  p = ParseSqlPrepare(One("prepare \"My As\" as\n  select 'as' as \"AS\""));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "My As");
  EXPECT_TRUE(p->param_types.empty());
  EXPECT_EQ(p->statement.kind, "SelectStmt");
  EXPECT_EQ(Err(ParseSqlPrepare(One("PREPARE q (numeric) AS SELECT $1")).status()).substr(0, 49),
            "0A000 type numeric is not supported as a paramete");
  EXPECT_EQ(Err(ParseSqlPrepare(One("PREPARE q (nosuch) AS SELECT $1")).status()),
            "42704 type \"nosuch\" does not exist");
  EXPECT_STREQ(SqlStateFor(ParseSqlPrepare(One("PREPARE q (int[]) AS SELECT $1")).status()), "0A000");
}

TEST(SqlExecuteTest, ArgumentsAreConstantExpressions) {
  auto e = ParseSqlExecute(One("EXECUTE q (1, 'a,b)', -2.5, 2 * 3, NULL, '2024-01-02 03:04:05+00'::timestamptz)"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->name, "q");
  ASSERT_EQ(e->args.size(), 6u);
  auto values = EvaluateArgs(*e);
  ASSERT_TRUE(values.ok()) << Err(values.status());
  std::vector<std::string> shown;
  for (size_t i = 0; i < values->columns.size(); i++)
    shown.push_back(std::string(TypeShortName(values->columns[i].type)) + ":" +
                    (values->rows[0][i].is_null() ? "NULL" : EncodeText(values->rows[0][i], values->columns[i].type)));
  EXPECT_EQ(shown, (std::vector<std::string>{"bigint:1", "text:a,b)", "double:-2.5", "bigint:6", "text:NULL",
                                             "timestamptz:2024-01-02 03:04:05+00"}));
  // A column is not a constant; an evaluation error is the argument's.
  EXPECT_EQ(Err(EvaluateArgs(*ParseSqlExecute(One("EXECUTE q (x)"))).status()), "42703 column \"x\" does not exist");
  EXPECT_STREQ(SqlStateFor(EvaluateArgs(*ParseSqlExecute(One("EXECUTE q (9223372036854775807 + 1)"))).status()),
               "22003");
  e = ParseSqlExecute(One("execute \"a (b\""));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->name, "a (b");
  EXPECT_TRUE(e->args.empty());
  EXPECT_EQ(Err(ParseSqlExecute(One("EXECUTE q ((SELECT 1))")).status()),
            "0A000 cannot use subquery in EXECUTE parameter");
  EXPECT_STREQ(SqlStateFor(ParseSqlExecute(One("EXECUTE q (row_number() OVER ())")).status()), "42P20");
  EXPECT_EQ(DeallocateName(One("DEALLOCATE PREPARE q")), "q");
  EXPECT_EQ(DeallocateName(One("DEALLOCATE \"Q\"")), "Q");
  EXPECT_EQ(DeallocateName(One("DEALLOCATE ALL")), std::nullopt);
}

TEST(PreparedTest, OneNamespaceForPrepareParseAndDeallocate) {
  PreparedStatements statements;
  auto tag = RunPrepareOrDeallocate(One("PREPARE q (bigint) AS SELECT n FROM t WHERE n > $1"), &statements);
  ASSERT_TRUE(tag.ok()) << Err(tag.status());
  EXPECT_EQ(*tag, "PREPARE");
  ASSERT_TRUE(statements.count("q"));
  EXPECT_EQ(statements["q"]->param_types, std::vector<uint32_t>{kOidInt8});
  EXPECT_TRUE(statements["q"]->returns_rows);
  EXPECT_EQ(statements["q"]->kind, "SelectStmt");
  EXPECT_EQ(Err(RunPrepareOrDeallocate(One("PREPARE q AS SELECT 1"), &statements).status()),
            "42P05 prepared statement \"q\" already exists");
  // What the protocol's Parse would add: the unnamed statement and a named one.
  statements[""] = *MakePrepared("SELECT 1", {}, statements);
  statements["p"] = *MakePrepared("EXECUTE q (5)", {}, statements);
  EXPECT_EQ(statements["p"]->executes, "q");
  EXPECT_TRUE(statements["p"]->returns_rows);
  EXPECT_EQ(*RunPrepareOrDeallocate(One("DEALLOCATE q"), &statements), "DEALLOCATE");
  EXPECT_EQ(Err(RunPrepareOrDeallocate(One("DEALLOCATE q"), &statements).status()),
            "26000 prepared statement \"q\" does not exist");
  EXPECT_EQ(*RunPrepareOrDeallocate(One("DEALLOCATE ALL"), &statements), "DEALLOCATE ALL");
  EXPECT_EQ(statements.size(), 1u);  // the unnamed statement stays, as in PostgreSQL
  EXPECT_TRUE(statements.count(""));
  // Parse's checks apply to PREPARE's statement too.
  auto two = MakePrepared("SELECT 1; SELECT 2", {}, statements);
  EXPECT_EQ(Err(two.status()), "42601 cannot insert multiple commands into a prepared statement");
  auto p = MakePrepared("SELECT $3", {kOidInt8}, statements);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)->param_types, (std::vector<uint32_t>{kOidInt8, kOidUnspecified, kOidUnspecified}));
}

Outcome Args(std::vector<serving::ResultColumn> columns, std::vector<Value> row) {
  Outcome o;
  o.returns_rows = true;
  o.columns = std::move(columns);
  o.rows.push_back(std::move(row));
  return o;
}

TEST(PreparedTest, ExecuteBindsArgumentsLikeBind) {
  auto s = *MakePrepared(
      "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3 AND d = $4 AND e = $5 AND f = $6",
      {kOidUnspecified, kOidUnspecified, kOidInt8, kOidUnspecified, kOidUnspecified, kOidTimestamptz}, {});
  Outcome args = Args({{"a", Type::kInt64},
                       {"b", Type::kText},
                       {"c", Type::kText},
                       {"d", Type::kDouble},
                       {"e", Type::kBool},
                       {"f", Type::kTimestamp}},
                      {Value::Int(-5), Value::Text("O'Neil \\ x"), Value::Text(" 42 "), Value::Double(2.5),
                       Value::Bool(true), Value::Timestamp(1'704'164'645'000'000)});
  // What each parameter binds to: "type:value" ("?" for text of unknown type).
  auto shown = [](const std::vector<sql::Param>& ps) {
    std::string out;
    for (const auto& p : ps)
      out += std::string(out.empty() ? "" : " ") + (p.unknown ? "?" : TypeShortName(p.type)) + ":" +
             (p.value.is_null() ? "NULL" : EncodeText(p.value, p.type));
    return out;
  };
  auto values = BindExecute(*s, "q", args);
  ASSERT_TRUE(values.ok()) << Err(values.status());
  EXPECT_EQ(shown(*values), "bigint:-5 ?:O'Neil \\ x bigint:42 double:2.5 boolean:t timestamptz:2024-01-02 03:04:05+00");
  // The same values sent by Bind in text format: the unspecified ones stay text of unknown type.
  auto bind = BindParams(*s, {"-5", "O'Neil \\ x", " 42 ", "2.5", "t", "2024-01-02 03:04:05+00"}, {});
  ASSERT_TRUE(bind.ok());
  EXPECT_EQ(shown(*bind), "?:-5 ?:O'Neil \\ x bigint:42 ?:2.5 ?:t timestamptz:2024-01-02 03:04:05+00");
  // NULL, a value that is not of the parameter's type, a wrong count.
  args.rows[0][2] = Value::Text("x1");
  auto bad = BindExecute(*s, "q", args);
  ASSERT_FALSE(bad.ok());
  EXPECT_STREQ(SqlStateFor(bad.status()), "22P02");
  EXPECT_EQ(bad.status().message(), "parameter $3: invalid input syntax for type bigint: \"x1\"");
  args.rows[0][2] = Value::Null();
  EXPECT_EQ(shown(*BindExecute(*s, "q", args)).substr(0, 34), "bigint:-5 ?:O'Neil \\ x bigint:NULL");
  auto count = BindExecute(*s, "q", Args({{"a", Type::kInt64}}, {Value::Int(1)}));
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(Err(count.status()), "42601 wrong number of parameters for prepared statement \"q\": expected 6, got 1");
}

TEST(PreparedTest, NamedStatementsPerSessionAreCapped) {
  PreparedStatements statements;
  auto one = MakePrepared("SELECT 1", {}, statements);
  ASSERT_TRUE(one.ok());
  for (size_t i = 0; i < kMaxPreparedStatements; i++) statements["s" + std::to_string(i)] = *one;
  statements[""] = *one;  // the unnamed one does not count
  auto r = RunPrepareOrDeallocate(One("PREPARE more AS SELECT 2"), &statements);
  EXPECT_EQ(Err(r.status()).substr(0, 40), "54000 too many prepared statements (at m");
  EXPECT_TRUE(CheckRoomForStatement(statements, "").ok());    // replacing the unnamed one
  EXPECT_TRUE(CheckRoomForStatement(statements, "s1").ok());  // an existing name (an error of its own)
  ASSERT_TRUE(RunPrepareOrDeallocate(One("DEALLOCATE s1"), &statements).ok());
  EXPECT_TRUE(RunPrepareOrDeallocate(One("PREPARE more AS SELECT 2"), &statements).ok());
}

TEST(PreparedTest, ResolveExecute) {
  PreparedStatements statements;
  ASSERT_TRUE(RunPrepareOrDeallocate(One("PREPARE q (text) AS SELECT $1 AS v"), &statements).ok());
  ASSERT_TRUE(RunPrepareOrDeallocate(One("PREPARE z AS SELECT 1"), &statements).ok());
  auto b = ResolveExecute(One("EXECUTE q ('it''s')"), statements);
  ASSERT_TRUE(b.ok()) << Err(b.status());
  EXPECT_EQ(b->stmt->sql, "PREPARE q (text) AS SELECT $1 AS v");  // as pg_prepared_statements shows it
  ASSERT_EQ(b->params.size(), 1u);
  EXPECT_EQ(b->params[0].value, Value::Text("it's"));
  EXPECT_TRUE(b->params[0].unknown);  // a text parameter: text of unknown type
  EXPECT_EQ(b->stmt, statements["q"]);
  b = ResolveExecute(One("EXECUTE z"), statements);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->stmt->kind, "SelectStmt");
  EXPECT_TRUE(b->params.empty());
  EXPECT_EQ(Err(ResolveExecute(One("EXECUTE nope (1)"), statements).status()),
            "26000 prepared statement \"nope\" does not exist");
  auto wrong = ResolveExecute(One("EXECUTE z (1)"), statements);
  EXPECT_EQ(Err(wrong.status()), "42601 wrong number of parameters for prepared statement \"z\": expected 0, got 1");
  auto failed = ResolveExecute(One("EXECUTE q (x)"), statements);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "column \"x\" does not exist");  // the evaluation's own error
}

}  // namespace
}  // namespace laminar::pgwire
