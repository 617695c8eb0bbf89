// The transformer's tree, field by field, its errors, and the deparser's details. The corpus
// round trip is in transformer_corpus_test.cc.
#include "sql/transformer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sql/parser.h"

namespace laminar::sql {
namespace {

using ast::ExprKind;

ast::SelectPtr Select(std::string_view sql) {
  auto stmts = Parse(sql);
  EXPECT_TRUE(stmts.ok()) << stmts.status().ToString();
  if (!stmts.ok() || stmts->size() != 1) return std::make_unique<ast::SelectStmt>();
  auto r = TransformStatement((*stmts)[0]);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  return r.ok() ? std::move(*r) : std::make_unique<ast::SelectStmt>();
}

// The i-th select item of `SELECT ...`.
ast::ExprPtr Item(std::string_view sql, size_t i = 0) {
  auto s = Select(sql);
  if (i >= s->targets.size()) {
    ADD_FAILURE() << "no item " << i << " in " << sql;
    return std::make_unique<ast::Expr>();
  }
  return std::move(s->targets[i].expr);
}

Status Error(std::string_view sql) {
  auto stmts = Parse(sql);
  EXPECT_TRUE(stmts.ok()) << stmts.status().ToString();
  if (!stmts.ok()) return stmts.status();
  const Statement& st = (*stmts)[0];
  if (st.kind == "ExplainStmt") return TransformExplain(st).status();
  return TransformStatement(st).status();
}

void ExpectUnimplemented(std::string_view sql, std::string_view words) {
  Status st = Error(sql);
  EXPECT_EQ(st.code(), StatusCode::kUnimplemented) << sql << ": " << st.ToString();
  EXPECT_NE(st.message().find(words), std::string::npos) << sql << ": " << st.message();
}

TEST(TransformerTest, ConstantsKeepTheirTypesAndText) {
  auto s = Select("SELECT 1, -5, 3000000000, 99999999999999999999, 1.5, '1', TRUE, FALSE, NULL, B'101', "
                  "-2147483648, 0, -9223372036854775808, 1e3, X'Ff'");
  ASSERT_EQ(s->targets.size(), 15u);
  auto at = [&](size_t i) -> const ast::Expr& { return *s->targets[i].expr; };
  for (size_t i = 0; i < s->targets.size(); i++) EXPECT_EQ(at(i).kind, ExprKind::kConstant) << i;
  EXPECT_EQ(at(0).value, Value::Int(1));
  EXPECT_EQ(at(0).constant_text, "1");
  EXPECT_EQ(at(1).value, Value::Int(-5));  // one constant, not a minus over 5
  EXPECT_EQ(at(2).value.type(), Type::kInt64);  // beyond int32 libpg_query gives an "fval"
  EXPECT_EQ(at(2).value.as_int(), 3000000000);
  EXPECT_EQ(at(3).value.type(), Type::kDouble);  // beyond bigint: a double, the text kept
  EXPECT_EQ(at(3).constant_text, "99999999999999999999");
  EXPECT_DOUBLE_EQ(at(3).value.as_double(), 1e20);
  EXPECT_EQ(at(4).value, Value::Double(1.5));
  EXPECT_EQ(at(4).constant_text, "1.5");
  EXPECT_EQ(at(5).value, Value::Text("1"));
  EXPECT_TRUE(at(5).is_string);
  EXPECT_FALSE(at(4).is_string);
  EXPECT_EQ(at(6).value, Value::Bool(true));
  EXPECT_EQ(at(7).value, Value::Bool(false));
  EXPECT_TRUE(at(8).value.is_null());
  EXPECT_TRUE(at(9).is_bit_string);
  EXPECT_EQ(at(9).constant_text, "b101");
  EXPECT_EQ(at(10).value, Value::Int(-2147483648LL));
  EXPECT_EQ(at(11).value, Value::Int(0));
  EXPECT_EQ(at(12).value, Value::Int(INT64_MIN));
  EXPECT_EQ(at(13).value, Value::Double(1000));
  EXPECT_EQ(at(13).constant_text, "1e3");
  EXPECT_EQ(ast::ToSql(at(14)), "X'Ff'");
  EXPECT_EQ(ast::ToSql(*s), "SELECT 1, -5, 3000000000, 99999999999999999999, 1.5, '1', TRUE, FALSE, NULL, "
                            "B'101', -2147483648, 0, -9223372036854775808, 1e3, X'Ff'");
}

TEST(TransformerTest, LocationsAreByteOffsets) {
  auto s = Select("SELECT a + b AS s, f(x) FROM t WHERE c = 'x'");
  const ast::Expr& plus = *s->targets[0].expr;
  EXPECT_EQ(plus.kind, ExprKind::kOperator);
  EXPECT_EQ(plus.op, "+");
  EXPECT_EQ(plus.location, 9);  // the operator
  EXPECT_EQ(plus.args[0]->location, 7);
  EXPECT_EQ(plus.args[1]->location, 11);
  EXPECT_EQ(s->targets[0].location, 7);
  EXPECT_EQ(s->targets[1].expr->location, 19);
  EXPECT_EQ(s->targets[1].expr->args[0]->location, 21);
  EXPECT_EQ(s->from[0]->location, 29);
  EXPECT_EQ(s->where->args[1]->location, 41);
  // Locations survive Clone().
  auto copy = s->Clone();
  EXPECT_EQ(copy->targets[0].expr->args[1]->location, 11);
  EXPECT_EQ(copy->from[0]->location, 29);
}

TEST(TransformerTest, Operators) {
  auto e = Item("SELECT c OPERATOR(pg_catalog.~) 'x'");
  EXPECT_EQ(e->kind, ExprKind::kOperator);
  EXPECT_EQ(e->op, "~");
  EXPECT_EQ(e->op_schema, std::vector<std::string>{"pg_catalog"});
  e = Item("SELECT -x");
  EXPECT_EQ(e->kind, ExprKind::kOperator);
  EXPECT_EQ(e->op, "-");
  ASSERT_EQ(e->args.size(), 1u);
  e = Item("SELECT a != b");
  EXPECT_EQ(e->op, "<>");
  e = Item("SELECT a AND b AND c");
  EXPECT_EQ(e->kind, ExprKind::kAnd);
  EXPECT_EQ(e->args.size(), 3u);
  e = Item("SELECT NOT a OR b");
  EXPECT_EQ(e->kind, ExprKind::kOr);
  EXPECT_EQ(e->args[0]->kind, ExprKind::kNot);
}

TEST(TransformerTest, Predicates) {
  auto e = Item("SELECT x NOT IN (1, 2, 3)");
  EXPECT_EQ(e->kind, ExprKind::kInList);
  EXPECT_TRUE(e->negated);
  EXPECT_EQ(e->args.size(), 4u);
  e = Item("SELECT x NOT BETWEEN SYMMETRIC 1 AND 2");
  EXPECT_EQ(e->kind, ExprKind::kBetween);
  EXPECT_TRUE(e->negated);
  EXPECT_TRUE(e->symmetric);
  EXPECT_EQ(e->args.size(), 3u);
  e = Item("SELECT s NOT ILIKE 'a!%' ESCAPE '!'");
  EXPECT_EQ(e->kind, ExprKind::kLike);
  EXPECT_EQ(e->like, ast::LikeKind::kILike);
  EXPECT_TRUE(e->negated);
  EXPECT_TRUE(e->has_escape);
  ASSERT_EQ(e->args.size(), 3u);
  EXPECT_EQ(e->args[1]->value, Value::Text("a!%"));  // like_escape() unwrapped
  EXPECT_EQ(e->args[2]->value, Value::Text("!"));
  e = Item("SELECT s SIMILAR TO 'a|b'");
  EXPECT_EQ(e->like, ast::LikeKind::kSimilar);
  EXPECT_FALSE(e->has_escape);
  ASSERT_EQ(e->args.size(), 2u);
  EXPECT_EQ(e->args[1]->value, Value::Text("a|b"));  // similar_to_escape() unwrapped
  e = Item("SELECT a IS NOT DISTINCT FROM b");
  EXPECT_EQ(e->kind, ExprKind::kDistinctFrom);
  EXPECT_TRUE(e->negated);
  e = Item("SELECT b IS NOT UNKNOWN");
  EXPECT_EQ(e->kind, ExprKind::kBoolTest);
  EXPECT_EQ(e->bool_test, ast::BoolTestKind::kUnknown);
  EXPECT_TRUE(e->negated);
  e = Item("SELECT a NOTNULL");
  EXPECT_EQ(e->kind, ExprKind::kNullTest);
  EXPECT_TRUE(e->negated);
  e = Item("SELECT relkind = ANY ('{r,m}')");
  EXPECT_EQ(e->kind, ExprKind::kAnyAll);
  EXPECT_FALSE(e->all);
  EXPECT_EQ(e->op, "=");
  e = Item("SELECT x < ALL (ARRAY[1, 2])");
  EXPECT_TRUE(e->all);
  EXPECT_EQ(e->args[1]->kind, ExprKind::kArray);
  e = Item("SELECT NULLIF(a, b)");
  EXPECT_EQ(e->kind, ExprKind::kNullIf);
  EXPECT_EQ(e->args.size(), 2u);
  e = Item("SELECT CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' ELSE 'c' END");
  EXPECT_EQ(e->kind, ExprKind::kCase);
  EXPECT_TRUE(e->has_operand);
  EXPECT_TRUE(e->has_else);
  EXPECT_EQ(e->args.size(), 6u);
}

TEST(TransformerTest, SubqueryKinds) {
  auto e = Item("SELECT x IN (SELECT y FROM t)");
  EXPECT_EQ(e->kind, ExprKind::kSubquery);
  EXPECT_EQ(e->sublink, ast::SublinkKind::kIn);
  EXPECT_EQ(e->op, "=");
  ASSERT_EQ(e->args.size(), 1u);
  ASSERT_TRUE(e->subquery);
  EXPECT_EQ(e->subquery->from[0]->name, "t");
  e = Item("SELECT x NOT IN (SELECT y FROM t)");
  EXPECT_EQ(e->kind, ExprKind::kNot);
  EXPECT_EQ(e->args[0]->sublink, ast::SublinkKind::kIn);
  e = Item("SELECT x = ANY (SELECT y FROM t)");
  EXPECT_EQ(e->sublink, ast::SublinkKind::kAny);
  EXPECT_EQ(e->op, "=");
  e = Item("SELECT x >= ALL (SELECT y FROM t)");
  EXPECT_EQ(e->sublink, ast::SublinkKind::kAll);
  EXPECT_EQ(e->op, ">=");
  EXPECT_EQ(Item("SELECT EXISTS (SELECT 1)")->sublink, ast::SublinkKind::kExists);
  EXPECT_EQ(Item("SELECT (SELECT 1)")->sublink, ast::SublinkKind::kScalar);
  EXPECT_EQ(Item("SELECT ARRAY(SELECT 1)")->sublink, ast::SublinkKind::kArray);
  EXPECT_EQ(ast::ToSql(*Item("SELECT x NOT IN (SELECT y FROM t)")), "NOT (x IN (SELECT y FROM t))");
}

TEST(TransformerTest, WindowFrames) {
  auto s = Select(
      "SELECT sum(x) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING EXCLUDE TIES), "
      "sum(x) OVER (ORDER BY ts RANGE BETWEEN interval '1 day' PRECEDING AND UNBOUNDED FOLLOWING), "
      "sum(x) OVER (ORDER BY ts GROUPS 3 PRECEDING EXCLUDE CURRENT ROW), "
      "sum(x) OVER (ORDER BY ts), sum(x) OVER w, sum(x) OVER (w ROWS CURRENT ROW) FROM t "
      "WINDOW w AS (PARTITION BY k ORDER BY ts DESC NULLS FIRST)");
  ASSERT_EQ(s->targets.size(), 6u);
  auto over = [&](size_t i) -> const ast::WindowDef& { return *s->targets[i].expr->over; };
  const ast::WindowDef& w0 = over(0);
  EXPECT_TRUE(w0.has_frame);
  EXPECT_EQ(w0.mode, ast::FrameMode::kRows);
  EXPECT_EQ(w0.start, ast::FrameBoundKind::kPreceding);
  EXPECT_EQ(w0.start_offset->value, Value::Int(2));
  EXPECT_EQ(w0.end, ast::FrameBoundKind::kFollowing);
  EXPECT_EQ(w0.end_offset->value, Value::Int(1));
  EXPECT_EQ(w0.exclusion, ast::FrameExclusion::kTies);
  EXPECT_EQ(w0.partition_by.size(), 1u);
  EXPECT_EQ(w0.order_by.size(), 1u);
  const ast::WindowDef& w1 = over(1);
  EXPECT_EQ(w1.mode, ast::FrameMode::kRange);
  EXPECT_EQ(w1.start_offset->kind, ExprKind::kCast);
  EXPECT_EQ(w1.end, ast::FrameBoundKind::kUnboundedFollowing);
  EXPECT_FALSE(w1.end_offset);
  const ast::WindowDef& w2 = over(2);  // no BETWEEN: the end is the current row
  EXPECT_EQ(w2.mode, ast::FrameMode::kGroups);
  EXPECT_EQ(w2.start, ast::FrameBoundKind::kPreceding);
  EXPECT_EQ(w2.end, ast::FrameBoundKind::kCurrentRow);
  EXPECT_EQ(w2.exclusion, ast::FrameExclusion::kCurrentRow);
  const ast::WindowDef& w3 = over(3);
  EXPECT_FALSE(w3.has_frame);
  EXPECT_EQ(w3.start, ast::FrameBoundKind::kUnboundedPreceding);
  EXPECT_EQ(w3.end, ast::FrameBoundKind::kCurrentRow);
  EXPECT_EQ(over(4).refname, "w");
  EXPECT_TRUE(over(4).ref_only);
  EXPECT_TRUE(over(4).name.empty());
  EXPECT_EQ(over(5).refname, "w");
  EXPECT_FALSE(over(5).ref_only);
  EXPECT_EQ(over(5).start, ast::FrameBoundKind::kCurrentRow);
  ASSERT_EQ(s->windows.size(), 1u);
  EXPECT_EQ(s->windows[0]->name, "w");
  EXPECT_EQ(s->windows[0]->order_by[0].dir, ast::SortDir::kDesc);
  EXPECT_EQ(s->windows[0]->order_by[0].nulls, ast::NullsOrder::kFirst);
  EXPECT_EQ(ast::ToSql(*s->targets[4].expr), "sum(x) OVER w");
  EXPECT_EQ(ast::ToSql(*s->targets[5].expr), "sum(x) OVER (w ROWS BETWEEN CURRENT ROW AND CURRENT ROW)");
}

TEST(TransformerTest, FunctionCalls) {
  auto e = Item("SELECT pg_catalog.count(*)");
  EXPECT_EQ(e->kind, ExprKind::kFunction);
  EXPECT_EQ(e->func_name, (std::vector<std::string>{"pg_catalog", "count"}));
  EXPECT_EQ(e->FunctionName(), "count");
  EXPECT_TRUE(e->agg_star);
  EXPECT_TRUE(e->args.empty());
  e = Item("SELECT count(DISTINCT x) FILTER (WHERE y > 0)");
  EXPECT_TRUE(e->agg_distinct);
  ASSERT_TRUE(e->agg_filter);
  EXPECT_EQ(e->agg_filter->op, ">");
  e = Item("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x DESC)");
  EXPECT_TRUE(e->agg_within_group);
  EXPECT_EQ(e->args.size(), 1u);
  ASSERT_EQ(e->agg_order.size(), 1u);
  EXPECT_EQ(e->agg_order[0].dir, ast::SortDir::kDesc);
  e = Item("SELECT string_agg(a, ',' ORDER BY b)");
  EXPECT_FALSE(e->agg_within_group);
  EXPECT_EQ(e->args.size(), 2u);
  EXPECT_EQ(e->agg_order.size(), 1u);
  EXPECT_TRUE(e->arg_names.empty());
  e = Item("SELECT f(1, b => 2, c := 3)");
  EXPECT_EQ(e->arg_names, (std::vector<std::string>{"", "b", "c"}));
  e = Item("SELECT f(1, VARIADIC ARRAY[2])");
  EXPECT_TRUE(e->func_variadic);
  e = Item("SELECT \"Upper\"(x)");
  EXPECT_EQ(e->FunctionName(), "Upper");  // quoted names keep their case, as in PostgreSQL
  e = Item("SELECT extract(year FROM ts)");
  EXPECT_EQ(e->func_name, (std::vector<std::string>{"pg_catalog", "extract"}));
  EXPECT_EQ(e->args[0]->value, Value::Text("year"));
  EXPECT_EQ(ast::ToSql(*e), "EXTRACT(year FROM ts)");
  e = Item("SELECT ts AT TIME ZONE 'UTC'");
  EXPECT_EQ(e->FunctionName(), "timezone");
  EXPECT_EQ(Item("SELECT x")->FunctionName(), "");
}

TEST(TransformerTest, SqlValueFunctionsAndOtherForms) {
  auto e = Item("SELECT CURRENT_TIMESTAMP(3)");
  EXPECT_EQ(e->kind, ExprKind::kSqlValue);
  EXPECT_EQ(e->sql_value, "current_timestamp");
  EXPECT_EQ(e->sql_value_precision, 3);
  e = Item("SELECT current_date");
  EXPECT_EQ(e->sql_value, "current_date");
  EXPECT_EQ(e->sql_value_precision, -1);
  EXPECT_EQ(Item("SELECT session_user")->sql_value, "session_user");
  e = Item("SELECT s COLLATE pg_catalog.\"C\"");
  EXPECT_EQ(e->kind, ExprKind::kCollate);
  EXPECT_EQ(e->names, (std::vector<std::string>{"pg_catalog", "C"}));
  EXPECT_EQ(Item("SELECT (1, 2)")->kind, ExprKind::kRow);
  EXPECT_EQ(Item("SELECT GROUPING(a, b)")->kind, ExprKind::kGrouping);
  EXPECT_EQ(Item("SELECT GREATEST(a, b)")->kind, ExprKind::kGreatest);
  EXPECT_EQ(Item("SELECT LEAST(a, b)")->kind, ExprKind::kLeast);
  EXPECT_EQ(Item("SELECT COALESCE(a, b)")->kind, ExprKind::kCoalesce);
  e = Item("SELECT $2");
  EXPECT_EQ(e->kind, ExprKind::kParam);
  EXPECT_EQ(e->param_number, 2);
  e = Item("SELECT t.*");
  EXPECT_EQ(e->kind, ExprKind::kColumnRef);
  EXPECT_TRUE(e->star);
  EXPECT_EQ(e->names, std::vector<std::string>{"t"});
  e = Item("SELECT *");
  EXPECT_TRUE(e->star);
  EXPECT_TRUE(e->names.empty());
}

TEST(TransformerTest, Indirection) {
  auto e = Item("SELECT t.arr[1][2:3].f");
  EXPECT_EQ(e->kind, ExprKind::kIndirection);
  EXPECT_EQ(e->args[0]->names, (std::vector<std::string>{"t", "arr"}));
  ASSERT_EQ(e->indirection.size(), 3u);
  EXPECT_FALSE(e->indirection[0].is_slice);
  EXPECT_EQ(e->indirection[0].lower->value, Value::Int(1));
  EXPECT_TRUE(e->indirection[1].is_slice);
  EXPECT_EQ(e->indirection[1].upper->value, Value::Int(3));
  EXPECT_TRUE(e->indirection[2].is_field);
  EXPECT_EQ(e->indirection[2].field, "f");
  e = Item("SELECT arr[:2]");
  EXPECT_TRUE(e->indirection[0].is_slice);
  EXPECT_FALSE(e->indirection[0].lower);
  e = Item("SELECT (f(x)).*");
  EXPECT_EQ(e->kind, ExprKind::kStar);
  EXPECT_EQ(e->args[0]->kind, ExprKind::kFunction);
  e = Item("SELECT (c).a.*");
  EXPECT_EQ(e->kind, ExprKind::kStar);
  EXPECT_EQ(e->args[0]->kind, ExprKind::kIndirection);
  EXPECT_EQ(ast::ToSql(*e), "((c).a).*");
}

TEST(TransformerTest, TypeNames) {
  auto e = Item("SELECT CAST(x AS varchar(10)[])");
  ASSERT_TRUE(e->type);
  EXPECT_EQ(e->type->names, (std::vector<std::string>{"pg_catalog", "varchar"}));
  EXPECT_EQ(e->type->modifiers, std::vector<int64_t>{10});
  EXPECT_EQ(e->type->array_bounds, 1);
  EXPECT_EQ(e->type->name(), "varchar");
  EXPECT_EQ(e->type->ToString(), "pg_catalog.varchar(10)[]");
  EXPECT_EQ(ast::ToSql(*e->type), "varchar(10)[]");
  e = Item("SELECT interval '1' day to second(3)");
  EXPECT_EQ(e->kind, ExprKind::kCast);
  EXPECT_EQ(e->args[0]->value, Value::Text("1"));
  EXPECT_EQ(e->type->modifiers, (std::vector<int64_t>{(1 << 3) | (1 << 10) | (1 << 11) | (1 << 12), 3}));
  EXPECT_EQ(e->type->ToString(), "interval day to second(3)");
  e = Item("SELECT x::double precision");
  EXPECT_EQ(e->type->ToString(), "pg_catalog.float8");
  EXPECT_EQ(ast::ToSql(*e->type), "double precision");
  e = Item("SELECT x::\"char\"");
  EXPECT_EQ(e->type->ToString(), "char");
  EXPECT_EQ(ast::ToSql(*e->type), "\"char\"");
  e = Item("SELECT date '2024-01-01'");
  EXPECT_EQ(e->type->names, std::vector<std::string>{"date"});
  EXPECT_TRUE(e->args[0]->is_string);
  EXPECT_EQ(e->type->location, 7);
}

TEST(TransformerTest, FromItems) {
  auto s = Select("SELECT * FROM c.s.t AS x(a, b) NATURAL LEFT JOIN u, v CROSS JOIN w, a JOIN b USING (k) AS j, "
                  "(d FULL JOIN e ON d.k = e.k) AS de, LATERAL (SELECT 1) AS q(one), "
                  "LATERAL generate_series(1, 3) WITH ORDINALITY AS g(i, n), f() AS r(p int, q text), "
                  "(VALUES (1, 2)) AS vals(y, z)");
  ASSERT_EQ(s->from.size(), 8u);
  const ast::TableRef& j0 = *s->from[0];
  EXPECT_EQ(j0.kind, ast::TableRefKind::kJoin);
  EXPECT_EQ(j0.join_type, ast::JoinType::kLeft);
  EXPECT_TRUE(j0.natural);
  EXPECT_EQ(j0.left->catalog, "c");
  EXPECT_EQ(j0.left->schema, "s");
  EXPECT_EQ(j0.left->name, "t");
  EXPECT_EQ(j0.left->alias, "x");
  EXPECT_EQ(j0.left->column_aliases, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s->from[1]->join_type, ast::JoinType::kCross);
  const ast::TableRef& j2 = *s->from[2];
  EXPECT_EQ(j2.join_type, ast::JoinType::kInner);
  EXPECT_EQ(j2.using_columns, std::vector<std::string>{"k"});
  EXPECT_EQ(j2.using_alias, "j");
  EXPECT_EQ(s->from[3]->join_type, ast::JoinType::kFull);
  EXPECT_EQ(s->from[3]->alias, "de");
  ASSERT_TRUE(s->from[3]->on);
  const ast::TableRef& q = *s->from[4];
  EXPECT_EQ(q.kind, ast::TableRefKind::kSubquery);
  EXPECT_TRUE(q.lateral);
  EXPECT_EQ(q.column_aliases, std::vector<std::string>{"one"});
  const ast::TableRef& g = *s->from[5];
  EXPECT_EQ(g.kind, ast::TableRefKind::kFunction);
  EXPECT_TRUE(g.lateral);
  EXPECT_TRUE(g.with_ordinality);
  EXPECT_EQ(g.function->FunctionName(), "generate_series");
  EXPECT_EQ(g.column_aliases, (std::vector<std::string>{"i", "n"}));
  const ast::TableRef& r = *s->from[6];
  EXPECT_EQ(r.column_aliases, (std::vector<std::string>{"p", "q"}));
  ASSERT_EQ(r.column_types.size(), 2u);
  EXPECT_EQ(r.column_types[0].name(), "int4");
  EXPECT_EQ(r.column_types[1].name(), "text");
  const ast::TableRef& v = *s->from[7];
  EXPECT_EQ(v.kind, ast::TableRefKind::kSubquery);
  EXPECT_EQ(v.subquery->values_lists.size(), 1u);
  EXPECT_EQ(v.subquery->values_lists[0].size(), 2u);
}

TEST(TransformerTest, GroupBy) {
  auto s = Select("SELECT 1 FROM t GROUP BY DISTINCT a, (b, c), ROLLUP (a, (b, c)), CUBE (d), "
                  "GROUPING SETS ((a, b), (), ROLLUP (e)), ()");
  EXPECT_TRUE(s->group_by_distinct);
  ASSERT_EQ(s->group_by.size(), 6u);
  EXPECT_EQ(s->group_by[0].kind, ast::GroupingKind::kExpr);
  EXPECT_EQ(s->group_by[1].kind, ast::GroupingKind::kList);
  EXPECT_EQ(s->group_by[1].children.size(), 2u);
  const ast::GroupingElement& rollup = s->group_by[2];
  EXPECT_EQ(rollup.kind, ast::GroupingKind::kRollup);
  ASSERT_EQ(rollup.children.size(), 2u);
  EXPECT_EQ(rollup.children[0].kind, ast::GroupingKind::kExpr);
  EXPECT_EQ(rollup.children[1].kind, ast::GroupingKind::kList);
  EXPECT_EQ(s->group_by[3].kind, ast::GroupingKind::kCube);
  const ast::GroupingElement& sets = s->group_by[4];
  EXPECT_EQ(sets.kind, ast::GroupingKind::kSets);
  ASSERT_EQ(sets.children.size(), 3u);
  EXPECT_EQ(sets.children[0].kind, ast::GroupingKind::kList);
  EXPECT_EQ(sets.children[1].kind, ast::GroupingKind::kEmpty);
  EXPECT_EQ(sets.children[2].kind, ast::GroupingKind::kRollup);
  EXPECT_EQ(s->group_by[5].kind, ast::GroupingKind::kEmpty);
  // ROW(a, b) is an expression, not a list.
  auto r = Select("SELECT 1 FROM t GROUP BY ROW(a, b)");
  EXPECT_EQ(r->group_by[0].kind, ast::GroupingKind::kExpr);
  EXPECT_EQ(r->group_by[0].expr->kind, ExprKind::kRow);
}

TEST(TransformerTest, StatementClauses) {
  auto s = Select("WITH RECURSIVE r(n) AS MATERIALIZED (SELECT 1), q AS NOT MATERIALIZED (SELECT 2), p AS (SELECT 3) "
                  "SELECT DISTINCT ON (a, b) a, b FROM t ORDER BY a DESC NULLS LAST, b "
                  "OFFSET 3 ROWS FETCH FIRST 10 ROWS WITH TIES");
  EXPECT_TRUE(s->with_recursive);
  ASSERT_EQ(s->with.size(), 3u);
  EXPECT_EQ(s->with[0].name, "r");
  EXPECT_EQ(s->with[0].column_names, std::vector<std::string>{"n"});
  EXPECT_EQ(s->with[0].materialized, "materialized");
  EXPECT_EQ(s->with[1].materialized, "not materialized");
  EXPECT_EQ(s->with[2].materialized, "");
  EXPECT_TRUE(s->distinct);
  EXPECT_EQ(s->distinct_on.size(), 2u);
  EXPECT_EQ(s->order_by[0].dir, ast::SortDir::kDesc);
  EXPECT_EQ(s->order_by[0].nulls, ast::NullsOrder::kLast);
  EXPECT_EQ(s->order_by[1].dir, ast::SortDir::kDefault);
  EXPECT_EQ(s->limit->value, Value::Int(10));
  EXPECT_EQ(s->offset->value, Value::Int(3));
  EXPECT_TRUE(s->limit_with_ties);

  s = Select("SELECT DISTINCT a FROM t LIMIT ALL");
  EXPECT_TRUE(s->distinct);
  EXPECT_TRUE(s->distinct_on.empty());
  ASSERT_TRUE(s->limit);
  EXPECT_TRUE(s->limit->value.is_null());
  EXPECT_EQ(ast::ToSql(*s), "SELECT DISTINCT a FROM t LIMIT ALL");

  s = Select("SELECT a FROM t UNION ALL SELECT b FROM u INTERSECT SELECT c FROM v ORDER BY 1 LIMIT 5");
  EXPECT_EQ(s->op, ast::SetOpKind::kUnion);
  EXPECT_TRUE(s->set_all);
  EXPECT_EQ(s->left->op, ast::SetOpKind::kNone);
  EXPECT_EQ(s->right->op, ast::SetOpKind::kIntersect);  // INTERSECT binds tighter
  EXPECT_FALSE(s->right->set_all);
  EXPECT_EQ(s->order_by.size(), 1u);
  EXPECT_TRUE(s->limit);
  EXPECT_EQ(ast::ToSql(*s), "SELECT a FROM t UNION ALL (SELECT b FROM u INTERSECT SELECT c FROM v) ORDER BY 1 LIMIT 5");

  s = Select("VALUES (1, 'a'), (2, 'b')");
  EXPECT_EQ(s->values_lists.size(), 2u);
  EXPECT_TRUE(s->targets.empty());

  s = Select("SELECT * INTO TEMP \"New\" FROM t FOR SHARE");
  EXPECT_EQ(s->into, "\"New\"");
  EXPECT_TRUE(s->for_update);

  s = Select("SELECT a, b AS \"B\" FROM t WHERE a > 1 GROUP BY a, b HAVING count(*) > 1 WINDOW w AS ()");
  EXPECT_EQ(s->targets[1].alias, "B");
  EXPECT_TRUE(s->where);
  EXPECT_TRUE(s->having);
  EXPECT_EQ(s->windows.size(), 1u);
}

TEST(TransformerTest, Explain) {
  auto explain = [](std::string_view sql) {
    auto stmts = Parse(sql);
    EXPECT_TRUE(stmts.ok());
    return TransformExplain((*stmts)[0]);
  };
  auto e = explain("EXPLAIN SELECT 1");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_FALSE(e->analyze);
  EXPECT_FALSE(e->verbose);
  EXPECT_EQ(e->format, "text");
  ASSERT_TRUE(e->query);
  EXPECT_EQ(ast::ToSql(*e->query), "SELECT 1");
  e = explain("EXPLAIN ANALYZE VERBOSE SELECT a FROM t");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->analyze);
  EXPECT_TRUE(e->verbose);
  e = explain("EXPLAIN (ANALYZE 1, VERBOSE off, FORMAT JSON, COSTS false, TIMING, BUFFERS on) SELECT 1");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_TRUE(e->analyze);
  EXPECT_FALSE(e->verbose);
  EXPECT_EQ(e->format, "json");
  e = explain("EXPLAIN (ANALYZE maybe) SELECT 1");
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(e.status().message(), "analyze requires a Boolean value");
  e = explain("EXPLAIN (FOO) SELECT 1");
  EXPECT_EQ(e.status().message(), "unrecognized EXPLAIN option \"foo\"");
  e = explain("EXPLAIN (FORMAT CSV) SELECT 1");
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  ExpectUnimplemented("EXPLAIN (FORMAT YAML) SELECT 1", "EXPLAIN (FORMAT YAML) is not supported");
  ExpectUnimplemented("EXPLAIN INSERT INTO t VALUES (1)", "EXPLAIN INSERT is not supported");
  auto stmts = Parse("SELECT 1");
  EXPECT_EQ(TransformExplain((*stmts)[0]).status().code(), StatusCode::kInvalidArgument);
}

TEST(TransformerTest, UnsupportedConstructsAreNamed) {
  ExpectUnimplemented("SELECT xmlelement(name foo)", "XMLELEMENT is not supported");
  ExpectUnimplemented("SELECT x IS DOCUMENT FROM t", "IS DOCUMENT is not supported");
  ExpectUnimplemented("SELECT xmlserialize(content x AS text) FROM t", "XMLSERIALIZE is not supported");
  ExpectUnimplemented("SELECT * FROM t TABLESAMPLE bernoulli (10)", "TABLESAMPLE is not supported");
  ExpectUnimplemented("SELECT * FROM XMLTABLE('/r' PASSING x COLUMNS a int) AS x", "XMLTABLE is not supported");
  ExpectUnimplemented("SELECT * FROM ROWS FROM (f(), g()) AS x", "ROWS FROM (...) is not supported");
  ExpectUnimplemented("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SEARCH DEPTH FIRST BY n "
                      "SET o SELECT * FROM r",
                      "SEARCH in WITH RECURSIVE is not supported");
  ExpectUnimplemented("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) CYCLE n SET c USING p "
                      "SELECT * FROM r",
                      "CYCLE in WITH RECURSIVE is not supported");
  ExpectUnimplemented("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "DELETE in WITH is not supported");
  ExpectUnimplemented("SELECT * FROM t ORDER BY a USING <", "ORDER BY ... USING is not supported");
  ExpectUnimplemented("SELECT CAST(x AS geometry(point, 4326)) FROM t", "type modifiers other than integers");
  Status st = Error("CREATE TABLE t (a int)");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "expected a SELECT statement, not CREATE TABLE");
}

TEST(TransformerTest, MalformedTreesAreInvalidArgument) {
  using nlohmann::json;
  auto expr_code = [](const json& j) { return TransformExpr(j).status().code(); };
  EXPECT_EQ(expr_code(json("x")), StatusCode::kInvalidArgument);
  EXPECT_EQ(expr_code(json::object()), StatusCode::kInvalidArgument);
  EXPECT_EQ(expr_code(json::parse(R"({"A_Expr": {"kind": "AEXPR_OP"}})")), StatusCode::kInvalidArgument);
  EXPECT_EQ(expr_code(json::parse(R"({"A_Expr": {"kind": "AEXPR_WHAT", "name": [{"String": {"sval": "+"}}]}})")),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(expr_code(json::parse(R"({"A_Const": {"fval": {"fval": "1.2.3"}}})")), StatusCode::kInvalidArgument);
  EXPECT_EQ(expr_code(json::parse(R"({"ColumnRef": {"fields": 3}})")), StatusCode::kInvalidArgument);
  EXPECT_EQ(expr_code(json::parse(R"({"BoolExpr": {"boolop": "AND_EXPR", "args": []}})")),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(expr_code(json::parse(R"({"SubLink": {"subLinkType": "EXPR_SUBLINK"}})")), StatusCode::kInvalidArgument);
  EXPECT_EQ(expr_code(json::parse(R"({"NamedArgExpr": {"name": "a"}})")), StatusCode::kInvalidArgument);
  Status st = TransformExpr(json::parse(R"({"FancyNewExpr": {}})")).status();
  EXPECT_EQ(st.code(), StatusCode::kUnimplemented);
  EXPECT_EQ(st.message(), "the syntax FancyNewExpr is not supported");
  EXPECT_EQ(TransformSelect(json(1)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TransformSelect(json::parse(R"({"op": "SETOP_UNION"})")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TransformSelect(json::parse(R"({"targetList": [{"ResTarget": {}}]})")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(TransformTypeName(json::parse(R"({"names": []})")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(TransformSelect(json::object()).ok());  // SELECT with nothing: valid (SELECT;)
}

TEST(TransformerTest, CloneIsDeep) {
  auto s = Select("WITH c AS (SELECT 1 AS x) SELECT sum(x) OVER (ORDER BY x ROWS 1 PRECEDING) AS s, arr[1:2] FROM c "
                  "JOIN LATERAL f(x) AS g(y int) ON TRUE GROUP BY ROLLUP (x, (x, x)) ORDER BY 1");
  std::string sql = ast::ToSql(*s);
  auto copy = s->Clone();
  EXPECT_EQ(ast::ToSql(*copy), sql);
  copy->targets[0].expr->over->start_offset->value = Value::Int(7);
  copy->with[0].name = "d";
  copy->from[0]->right->column_types[0].names = {"text"};
  copy->group_by[0].children[1].children[0].expr->names = {"z"};
  EXPECT_EQ(ast::ToSql(*s), sql);
  EXPECT_NE(ast::ToSql(*copy), sql);
  EXPECT_EQ(ast::ToSql(*s->targets[1].expr->Clone()), "arr[1:2]");
}

// The deepest trees sql::Parse lets through transform and print (recursion stays within the stack,
// sanitizers included).
TEST(TransformerTest, DeepTreesWithinTheParserLimit) {
  for (const auto& [open, close] : {std::pair<std::string, std::string>{"abs(", ")"}, {"1 + (", ")"},
                                    {"(SELECT ", ")"}, {"NOT (", ")"}}) {
    int depth = 320;
    std::string sql;
    for (;;) {
      sql = "SELECT ";
      for (int i = 0; i < depth; i++) sql += open;
      sql += "true";
      for (int i = 0; i < depth; i++) sql += close;
      if (Parse(sql).ok()) break;
      depth -= 10;  // over the parser's nesting limit for this shape
    }
    SCOPED_TRACE(open + std::to_string(depth));
    EXPECT_GE(depth, 100);
    auto s = Select(sql);
    std::string text = ast::ToSql(*s);
    EXPECT_EQ(ast::ToSql(*Select(text)), text);
  }
}

TEST(DeparserTest, QuotesIdentifiersWherePostgresNeedsIt) {
  EXPECT_EQ(ast::QuoteIdentifier("abc_1"), "abc_1");
  EXPECT_EQ(ast::QuoteIdentifier("Abc"), "\"Abc\"");
  EXPECT_EQ(ast::QuoteIdentifier("select"), "\"select\"");     // reserved
  EXPECT_EQ(ast::QuoteIdentifier("timestamp"), "\"timestamp\"");  // column-name keyword
  EXPECT_EQ(ast::QuoteIdentifier("left"), "\"left\"");         // type/function-name keyword
  EXPECT_EQ(ast::QuoteIdentifier("name"), "name");             // unreserved
  EXPECT_EQ(ast::QuoteIdentifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(ast::QuoteIdentifier("1a"), "\"1a\"");
  EXPECT_EQ(ast::QuoteIdentifier("a b"), "\"a b\"");
  EXPECT_EQ(ast::ToSql(*Item("SELECT \"select\".\"from\", \"left\"(s, 1), \"user\"")), "\"select\".from");
}

TEST(DeparserTest, HandBuiltTrees) {
  auto constant = [](Value v) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = ExprKind::kConstant;
    e->value = std::move(v);
    return e;
  };
  EXPECT_EQ(ast::ToSql(*constant(Value::Double(2))), "2.0");
  EXPECT_EQ(ast::ToSql(*constant(Value::Double(0.1))), "0.1");
  EXPECT_EQ(ast::ToSql(*constant(Value::Double(NAN))), "CAST('NaN' AS pg_catalog.float8)");
  EXPECT_EQ(ast::ToSql(*constant(Value::Text("it's"))), "'it''s'");
  auto minus = std::make_unique<ast::Expr>();
  minus->kind = ExprKind::kOperator;
  minus->op = "*";
  minus->args.push_back(constant(Value::Int(-3)));
  minus->args.push_back(constant(Value::Double(-0.5)));
  EXPECT_EQ(ast::ToSql(*minus), "(-3) * (-0.5)");
  // Missing children print as NULL rather than crash.
  auto broken = std::make_unique<ast::Expr>();
  broken->kind = ExprKind::kBetween;
  EXPECT_EQ(ast::ToSql(*broken), "NULL BETWEEN NULL AND NULL");
  ast::SelectStmt empty;
  EXPECT_EQ(ast::ToSql(empty), "SELECT");
}

TEST(TransformerTest, CreateTable) {
  auto stmts = Parse(
      "CREATE UNLOGGED TABLE IF NOT EXISTS public.pv (ts timestamptz NOT NULL, n bigint NULL PRIMARY KEY, "
      "tags text[] COLLATE \"C\" DEFAULT '{}', UNIQUE (n)) INHERITS (base) WITH (event_time = ts, kind = 'stream', "
      "toast.fillfactor = 70)");
  ASSERT_TRUE(stmts.ok()) << stmts.status().ToString();
  auto t = TransformCreateTable(stmts->front());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ("public", t->relation.schema);
  EXPECT_EQ("pv", t->relation.name);
  EXPECT_EQ(ast::RangeName::Persistence::kUnlogged, t->relation.persistence);
  EXPECT_TRUE(t->if_not_exists);
  ASSERT_EQ(3u, t->columns.size());
  EXPECT_EQ("ts", t->columns[0].name);
  EXPECT_EQ("timestamptz", t->columns[0].type.name());
  EXPECT_TRUE(t->columns[0].not_null);
  EXPECT_TRUE(t->columns[1].null);
  EXPECT_EQ(std::vector<std::string>{"PRIMARY KEY"}, t->columns[1].other_constraints);
  EXPECT_EQ(1, t->columns[2].type.array_bounds);
  EXPECT_TRUE(t->columns[2].collate);
  EXPECT_TRUE(t->columns[2].has_default);
  EXPECT_EQ(std::vector<std::string>{"UNIQUE"}, t->table_constraints);
  EXPECT_EQ(std::vector<std::string>{"INHERITS"}, t->other_clauses);
  ASSERT_EQ(3u, t->options.size());
  EXPECT_EQ("event_time", t->options[0].name);
  EXPECT_EQ("ts", *t->options[0].value);  // a bare word
  EXPECT_EQ("stream", *t->options[1].value);
  EXPECT_EQ("toast", t->options[2].name_space);
  EXPECT_EQ(ast::DdlOption::Arg::kInteger, t->options[2].arg);  // a number, not a name
  EXPECT_EQ("70", *t->options[2].value);
  auto select = Parse("SELECT 1");
  EXPECT_FALSE(TransformCreateTable(select->front()).ok());
}

TEST(TransformerTest, CreateMaterializedViewAndDrop) {
  auto stmts = Parse("CREATE MATERIALIZED VIEW IF NOT EXISTS v (a, b) AS SELECT k, count(*) FROM t GROUP BY 1 WITH NO DATA; "
                     "DROP MATERIALIZED VIEW IF EXISTS public.v, w CASCADE; DROP INDEX CONCURRENTLY i; "
                     "CREATE TABLE c AS SELECT 1");
  ASSERT_TRUE(stmts.ok()) << stmts.status().ToString();
  auto v = TransformCreateMatView((*stmts)[0]);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->matview);
  EXPECT_TRUE(v->if_not_exists);
  EXPECT_TRUE(v->with_no_data);
  EXPECT_EQ("v", v->relation.name);
  EXPECT_EQ((std::vector<std::string>{"a", "b"}), v->column_names);
  ASSERT_TRUE(v->query);
  EXPECT_EQ(2u, v->query->targets.size());
  auto d = TransformDrop((*stmts)[1]);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(ast::DropStmt::Kind::kMaterializedView, d->kind);
  EXPECT_EQ("MATERIALIZED VIEW", d->object_words);
  EXPECT_TRUE(d->if_exists);
  EXPECT_TRUE(d->cascade);
  EXPECT_EQ((std::vector<std::vector<std::string>>{{"public", "v"}, {"w"}}), d->names);
  auto i = TransformDrop((*stmts)[2]);
  ASSERT_TRUE(i.ok());
  EXPECT_EQ(ast::DropStmt::Kind::kOther, i->kind);
  EXPECT_EQ("INDEX", i->object_words);
  EXPECT_TRUE(i->concurrently);
  auto ctas = TransformCreateMatView((*stmts)[3]);
  ASSERT_TRUE(ctas.ok());
  EXPECT_FALSE(ctas->matview);
}

}  // namespace
}  // namespace laminar::sql
