// The binder's own entry points: binding the syntax tree (parse → transform → bind), with and
// without a hook. binder_test.cc and expr_test.cc go through the transitional JSON entry points.
#include <gtest/gtest.h>

#include "common/time_util.h"
#include "sql/binder.h"
#include "sql/parser.h"
#include "sql/transformer.h"

namespace laminar::sql {
namespace {

// Columns: ts timestamptz, n bigint, d double precision, s text, b boolean.
Scope TestScope() {
  Scope scope;
  scope.relation = "t";
  scope.columns = {{"ts", Type::kTimestamp},
                   {"n", Type::kInt64},
                   {"d", Type::kDouble},
                   {"s", Type::kText},
                   {"b", Type::kBool}};
  return scope;
}

// One sample row: ts 2024-01-08T10:30:00Z, n 7, d 2.5, s 'US', b true.
std::vector<Value> Row() {
  return {Value::Timestamp(*ParseTimestamp("2024-01-08T10:30:00Z")), Value::Int(7), Value::Double(2.5),
          Value::Text("US"), Value::Bool(true)};
}

// The syntax tree of a select-list expression. The parse tree it came from is kept in *json when
// asked for.
ast::ExprPtr Tree(const std::string& expr, nlohmann::json* json = nullptr) {
  auto stmts = Parse("SELECT " + expr + " FROM t");
  EXPECT_TRUE(stmts.ok()) << expr << ": " << stmts.status().ToString();
  if (!stmts.ok()) return nullptr;
  nlohmann::json local;
  nlohmann::json& holder = json ? *json : local;
  holder = std::move((*stmts)[0].node);
  auto tree = TransformExpr(holder["SelectStmt"]["targetList"][0]["ResTarget"]["val"]);
  EXPECT_TRUE(tree.ok()) << expr << ": " << tree.status().ToString();
  if (!tree.ok()) return nullptr;
  return std::move(*tree);
}

// Binds from the tree and evaluates over Row(): the value, "NULL" or "ERROR: <message>".
std::string EvalText(const std::string& expr, const BindHook* hook = nullptr) {
  ast::ExprPtr tree = Tree(expr);
  if (!tree) return "no tree";
  auto e = BindExpr(*tree, TestScope(), hook);
  if (!e.ok()) return "ERROR: " + e.status().message();
  std::vector<Value> row = Row();
  Value v = Eval(**e, row.data());
  return v.is_null() ? "NULL" : v.ToString();
}

TEST(BinderAstTest, BindsTheTree) {
  EXPECT_EQ("7", EvalText("n"));
  EXPECT_EQ("-5", EvalText("-5"));
  EXPECT_EQ("9223372036854775807", EvalText("9223372036854775807"));
  EXPECT_EQ("true", EvalText("ts >= '2024-01-08' AND s IN ('US', 'FR') AND n BETWEEN 1 AND 7"));
  EXPECT_EQ("true", EvalText("d IN (1, 2.5)"));
  EXPECT_EQ("3", EvalText("2.5::bigint"));  // numeric → bigint rounds half away from zero
  EXPECT_EQ("2", EvalText("2.5::double precision::bigint"));  // float8 → bigint: half to even
  EXPECT_EQ("2024-01-08T09:00:00Z", EvalText("date_trunc('hour', ts) - interval '1 hour'"));
  EXPECT_EQ("2024-01-08T12:00:00Z", EvalText("ts + '90 minutes'"));
  EXPECT_EQ("10", EvalText("extract(hour FROM ts)"));
  EXPECT_EQ("true", EvalText("s LIKE 'U%' AND s NOT ILIKE 'x!%' ESCAPE '!'"));
  EXPECT_EQ("true", EvalText("'U%' LIKE like_escape('U!%', '!')"));  // LIKE 'U!%' ESCAPE '!'
  EXPECT_EQ("false", EvalText("'US' LIKE like_escape('U!%', '!')"));
  EXPECT_EQ("b", EvalText("CASE n WHEN 1 THEN 'a' WHEN 7 THEN 'b' ELSE 'c' END"));
  EXPECT_EQ("2.5", EvalText("COALESCE(NULL, n, d) - 4.5"));
  EXPECT_EQ("7", EvalText("GREATEST(1, n, NULL)"));
  EXPECT_EQ("NULL", EvalText("NULLIF(s, 'US')"));
  EXPECT_EQ("us:7", EvalText("lower(s) || ':' || n"));
  EXPECT_EQ("true", EvalText("s IS NOT NULL"));
  EXPECT_EQ("2024-01-08T10:30:00Z", EvalText("ts AT TIME ZONE 'UTC'"));
  // The statement's time, rounded to the precision asked for (0 included: libpg_query leaves a
  // zero typmod out of its JSON).
  ScopedStatementTime pin(*ParseTimestamp("2024-01-08T10:30:05.678901Z"));
  EXPECT_EQ("2024-01-08T10:30:05.678901Z", EvalText("now()"));
  EXPECT_EQ("2024-01-08T10:30:06Z", EvalText("CURRENT_TIMESTAMP(0)"));
  EXPECT_EQ("2024-01-08T10:30:05.7Z", EvalText("LOCALTIMESTAMP(1)"));
  EXPECT_EQ("ERROR: unsupported expression: CURRENT_TIME_N", EvalText("CURRENT_TIME(0)"));
}

TEST(BinderAstTest, ErrorsAreTheSame) {
  EXPECT_EQ("ERROR: column \"nope\" does not exist in \"t\"", EvalText("nope + 1"));
  EXPECT_EQ("ERROR: operator does not exist: text = bigint", EvalText("s = 5"));
  EXPECT_EQ("ERROR: operator does not exist: bigint = text", EvalText("n IN (1, s)"));
  EXPECT_EQ("ERROR: operator does not exist: bigint ~~ unknown", EvalText("n LIKE 'x'"));
  EXPECT_EQ("ERROR: operator does not exist: bigint !~~* text", EvalText("n NOT ILIKE s"));
  EXPECT_EQ("ERROR: CASE types bigint and text cannot be matched", EvalText("CASE WHEN b THEN s ELSE n END"));
  EXPECT_EQ("ERROR: invalid input syntax for type timestamp with time zone: \"yesterday\"",
            EvalText("ts >= 'yesterday'"));
  EXPECT_EQ("ERROR: unsupported expression: SIMILAR TO", EvalText("s SIMILAR TO 'U%'"));
  EXPECT_EQ("ERROR: unsupported expression: NOT BETWEEN SYMMETRIC", EvalText("n NOT BETWEEN SYMMETRIC 1 AND 2"));
  EXPECT_EQ("ERROR: operator does not exist: bigint = text", EvalText("n IS NOT DISTINCT FROM s"));
  EXPECT_EQ("ERROR: operator ~~ with ALL is not supported", EvalText("s LIKE ALL('{a}')"));
  EXPECT_EQ("ERROR: argument of IS NOT UNKNOWN must be type boolean, not type bigint", EvalText("n IS NOT UNKNOWN"));
  EXPECT_EQ("ERROR: unsupported expression: IN (subquery)", EvalText("n IN (SELECT 1)"));
  EXPECT_EQ("ERROR: unsupported expression: EXISTS (subquery)", EvalText("EXISTS (SELECT 1)"));
  EXPECT_EQ("ERROR: unsupported expression: CURRENT_TIME", EvalText("CURRENT_TIME"));
  EXPECT_EQ("ERROR: multidimensional arrays are not supported", EvalText("ARRAY[ARRAY[1], ARRAY[2]]"));
  EXPECT_EQ("ERROR: unsupported expression: bit-string constant", EvalText("B'101'"));
  EXPECT_EQ("ERROR: unsupported expression: *", EvalText("t.*"));
  EXPECT_EQ("ERROR: unsupported expression: NamedArgExpr", EvalText("lower(x => s)"));
  EXPECT_EQ("ERROR: unsupported function: myschema.lower", EvalText("myschema.lower(s)"));
  EXPECT_EQ("ERROR: unsupported operator: myschema.+", EvalText("n OPERATOR(myschema.+) 1"));
  EXPECT_EQ("ERROR: unsupported operator: #", EvalText("n # 1"));
  EXPECT_EQ("ERROR: operator does not exist: bigint ~ unknown", EvalText("n ~ 'x'"));
  EXPECT_EQ("ERROR: aggregate function count is not allowed here", EvalText("count(*)"));
  EXPECT_EQ("ERROR: window functions are not supported: lower", EvalText("lower(s) OVER ()"));
  EXPECT_EQ("ERROR: DISTINCT specified, but lower is not an aggregate function", EvalText("lower(DISTINCT s)"));
  EXPECT_EQ("ERROR: function lower(bigint) does not exist", EvalText("lower(n)"));
  EXPECT_EQ("ERROR: bigint out of range", EvalText("9223372036854775807 + 1"));
}

TEST(BinderAstTest, PredicateConstValueColumnRefName) {
  ast::ExprPtr where = Tree("s = 'US' AND ts >= '2024-01-01'");
  ASSERT_TRUE(where);
  auto p = BindPredicate(*where, TestScope());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ("((s = 'US') AND (ts >= '2024-01-01T00:00:00Z'))", (*p)->ToString());
  where = Tree("n + 1");
  ASSERT_TRUE(where);
  EXPECT_EQ("argument of WHERE must be type boolean, not type bigint",
            BindPredicate(*where, TestScope()).status().message());

  EXPECT_EQ(Value::Int(-3), *ConstValue(*Tree("-3")));
  EXPECT_EQ(Value::Double(0.95), *ConstValue(*Tree("0.95")));
  EXPECT_EQ(Value::Int(3), *ConstValue(*Tree("2.5::bigint")));
  EXPECT_TRUE(ConstValue(*Tree("NULL"))->is_null());
  EXPECT_EQ("expected a constant, got ColumnRef", ConstValue(*Tree("n")).status().message());
  EXPECT_EQ("expected a constant, got A_Expr", ConstValue(*Tree("1 + 1")).status().message());
  EXPECT_EQ("expected a constant, got lower(...)", ConstValue(*Tree("lower('A')")).status().message());

  EXPECT_EQ("n", ColumnRefName(*Tree("t.n")));
  EXPECT_EQ("", ColumnRefName(*Tree("t.*")));
  EXPECT_EQ("", ColumnRefName(*Tree("n + 1")));
}

std::string Describe(const ast::Expr& node) {
  switch (node.kind) {
    case ast::ExprKind::kColumnRef: return "column:" + node.names.back();
    case ast::ExprKind::kConstant: return "constant";
    case ast::ExprKind::kOperator: return "op:" + node.op;
    case ast::ExprKind::kFunction: return "call:" + node.FunctionName();
    case ast::ExprKind::kCast: return "cast";
    case ast::ExprKind::kCase: return "case";
    case ast::ExprKind::kLike: return "like";
    default: return "other";
  }
}

TEST(BinderAstTest, HookSeesEveryNodeBeforeItIsBound) {
  Scope scope = TestScope();
  scope.columns.push_back({"count", Type::kInt64});  // where a planner keeps count(*)'s result
  int count_col = static_cast<int>(scope.columns.size()) - 1;
  std::vector<std::string> seen;
  BindHook hook = [&](const ast::Expr& node) -> Result<ExprPtr> {
    seen.push_back(Describe(node));
    if (node.kind == ast::ExprKind::kFunction && node.FunctionName() == "count")
      return MakeColumn(count_col, "count(*)", Type::kInt64);
    return ExprPtr();
  };
  ast::ExprPtr tree = Tree("count(*) + lower(s)::bigint");
  ASSERT_TRUE(tree);
  auto e = BindExpr(*tree, scope, &hook);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ((std::vector<std::string>{"op:+", "call:count", "cast", "call:lower", "column:s"}), seen);
  EXPECT_EQ("(count(*) + CAST(lower(s) AS bigint))", (*e)->ToString());

  // CASE: the operand, the ELSE, then each WHEN and THEN; the replaced node's children are not
  // offered; syntax constants (date_trunc's unit, the ESCAPE string) are not offered either.
  seen.clear();
  tree = Tree("CASE WHEN count(n) > 1 THEN date_trunc('hour', ts) END");
  ASSERT_TRUE(tree);
  ASSERT_TRUE(BindExpr(*tree, scope, &hook).ok());
  EXPECT_EQ((std::vector<std::string>{"case", "op:>", "call:count", "constant", "call:date_trunc", "column:ts"}),
            seen);
  seen.clear();
  tree = Tree("CASE s WHEN 'a' THEN 1 ELSE n END");
  ASSERT_TRUE(tree);
  ASSERT_TRUE(BindExpr(*tree, scope, &hook).ok());
  EXPECT_EQ((std::vector<std::string>{"case", "column:s", "column:n", "constant", "constant"}), seen);
  seen.clear();
  tree = Tree("s LIKE 'a!%' ESCAPE '!'");
  ASSERT_TRUE(tree);
  ASSERT_TRUE(BindExpr(*tree, scope, &hook).ok());
  EXPECT_EQ((std::vector<std::string>{"like", "column:s", "constant"}), seen);

  // Null binds normally (an aggregate is then refused); an error is returned as is; an empty
  // std::function is no hook.
  BindHook nothing = [](const ast::Expr&) -> Result<ExprPtr> { return ExprPtr(); };
  EXPECT_EQ("ERROR: aggregate function sum is not allowed here", EvalText("sum(n) + 1", &nothing));
  BindHook failing = [](const ast::Expr& node) -> Result<ExprPtr> {
    if (node.kind == ast::ExprKind::kColumnRef) return NotFound("no such thing");
    return ExprPtr();
  };
  tree = Tree("1 + n");
  ASSERT_TRUE(tree);
  auto r = BindExpr(*tree, TestScope(), &failing);
  EXPECT_EQ(StatusCode::kNotFound, r.status().code());
  EXPECT_EQ("no such thing", r.status().message());
  BindHook literal = [](const ast::Expr& node) -> Result<ExprPtr> {
    if (node.kind == ast::ExprKind::kColumnRef) return MakeLiteral(Value::Text("zz"), Type::kText);
    return ExprPtr();
  };
  EXPECT_EQ("true", EvalText("nope = 'zz'", &literal));
  BindHook empty;
  EXPECT_EQ("8", EvalText("n + 1", &empty));
}

TEST(BinderAstTest, DeepTreesAreRefused) {
  auto node = std::make_unique<ast::Expr>();
  node->kind = ast::ExprKind::kColumnRef;
  node->names = {"n"};
  for (int i = 0; i < 1200; i++) {
    auto parent = std::make_unique<ast::Expr>();
    parent->kind = ast::ExprKind::kOperator;
    parent->op = "+";
    auto one = std::make_unique<ast::Expr>();
    one->value = Value::Int(1);
    parent->args.push_back(std::move(node));
    parent->args.push_back(std::move(one));
    node = std::move(parent);
  }
  auto e = BindExpr(*node, TestScope());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(StatusCode::kInvalidArgument, e.status().code());
  EXPECT_NE(std::string::npos, e.status().message().find("nested too deeply")) << e.status().message();
  // Taken apart level by level: a 1200-deep chain of unique_ptrs is fine to destroy, but keep
  // the test independent of the destructor's recursion.
  while (node->kind == ast::ExprKind::kOperator) {
    ast::ExprPtr child = std::move(node->args[0]);
    node = std::move(child);
  }
}

}  // namespace
}  // namespace laminar::sql
