// Tests of the expression layer: CASE/COALESCE/NULLIF/GREATEST/LEAST, casts, runtime errors,
// string, numeric and date functions, LIKE, intervals, column resolution, the bind hook,
// ToString, IsConstant and VisitColumns. Expected values are PostgreSQL 15's answers (psql with
// TimeZone UTC), except where a test says it checks a documented deviation.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "common/time_util.h"
#include "sql/binder.h"
#include "sql/eval_test_util.h"
#include "sql/transformer.h"
#include "sql/expr.h"
#include "sql/parser.h"

namespace laminar::sql {
namespace {

int64_t Ts(const char* text) {
  auto t = ParseTimestamp(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(0);
}

// Columns of the test scope, in order.
enum Col { kTs, kN, kD, kS, kB, kU, kZ, kZn, kBig, kT2, kTt, kNeg };

Scope TestScope() {
  Scope scope;
  scope.relation = "t";
  scope.columns = {{"ts", Type::kTimestamp}, {"n", Type::kInt64},  {"d", Type::kDouble},
                   {"s", Type::kText},       {"b", Type::kBool},   {"u", Type::kText},
                   {"z", Type::kText},       {"zn", Type::kInt64}, {"big", Type::kInt64},
                   {"t2", Type::kText},      {"tt", Type::kText},  {"neg", Type::kDouble}};
  return scope;
}

// ts 2024-01-08 10:30:05.123456 UTC (a Monday), n 7, d 2.5, s 'US', b true, u 'héllo wörld',
// z NULL, zn NULL, big 9223372036854775807, t2 ' 12 ', tt '2024-01-08T10:00:00Z', neg -2.5.
std::vector<Value> Row() {
  return {Value::Timestamp(Ts("2024-01-08T10:30:05.123456Z")),
          Value::Int(7),
          Value::Double(2.5),
          Value::Text("US"),
          Value::Bool(true),
          Value::Text("h\xC3\xA9llo w\xC3\xB6rld"),
          Value::Null(),
          Value::Null(),
          Value::Int(INT64_MAX),
          Value::Text(" 12 "),
          Value::Text("2024-01-08T10:00:00Z"),
          Value::Double(-2.5)};
}

ast::ExprPtr ExprNode(const std::string& expr) {
  auto tree = ExprTree(expr);
  EXPECT_TRUE(tree.ok()) << expr << ": " << tree.status().ToString();
  return tree.ok() ? std::move(*tree) : std::make_unique<ast::Expr>();
}

Result<ExprPtr> Bind(const std::string& expr, const Scope& scope = TestScope()) {
  ASSIGN_OR_RETURN(ast::ExprPtr tree, ExprTree(expr));
  return BindExpr(*tree, scope);
}

// Binds and evaluates over Row(); the value as psql prints it, "NULL", "ERROR: <bind error>" or
// "RUNTIME ERROR: <message>" (the value is then NULL).
std::string Ev(const std::string& expr, std::vector<Value> row = Row()) {
  auto e = Bind(expr);
  if (!e.ok()) return "ERROR: " + e.status().message();
  ClearEvalError();
  Value v = Eval(**e, row.data());
  if (HasEvalError()) {
    EXPECT_TRUE(v.is_null()) << expr;
    return "RUNTIME ERROR: " + TakeEvalError().message();
  }
  if (v.is_null()) return "NULL";
  EXPECT_EQ((*e)->type, v.type()) << expr << ": the value's type is not the expression's";
  return PgText(v, (*e)->type);
}

Type TypeOf(const std::string& expr) {
  auto e = Bind(expr);
  EXPECT_TRUE(e.ok()) << expr << ": " << e.status().ToString();
  return e.ok() ? (*e)->type : Type::kBool;
}

Status BindError(const std::string& expr) {
  auto e = Bind(expr);
  return e.ok() ? Status::OK() : e.status();
}

std::string Str(const std::string& expr) {
  auto e = Bind(expr);
  return e.ok() ? (*e)->ToString() : "ERROR: " + e.status().message();
}

// ---------------------------------------------------------------------------------------------

TEST(ExprCaseTest, SearchedCase) {
  EXPECT_EQ("big", Ev("CASE WHEN n > 5 THEN 'big' ELSE 'small' END"));
  EXPECT_EQ("small", Ev("CASE WHEN n > 10 THEN 'big' ELSE 'small' END"));
  EXPECT_EQ("NULL", Ev("CASE WHEN n > 10 THEN 'big' END"));
  EXPECT_EQ("second", Ev("CASE WHEN n > 10 THEN 'first' WHEN n > 5 THEN 'second' ELSE 'third' END"));
  EXPECT_EQ("null", Ev("CASE WHEN zn IS NULL THEN 'null' ELSE 'not' END"));
  // A NULL condition is not true.
  EXPECT_EQ("else", Ev("CASE WHEN zn > 1 THEN 'then' ELSE 'else' END"));
  // Branches not taken are not evaluated (no runtime error from them).
  EXPECT_EQ("1", Ev("CASE WHEN n > 0 THEN 1 ELSE n / 0 END"));
  EXPECT_EQ("7", Ev("CASE WHEN b THEN n ELSE s::bigint END"));
  EXPECT_EQ("CASE WHEN (n > 1) THEN 'a' ELSE 'b' END", Str("CASE WHEN n > 1 THEN 'a' ELSE 'b' END"));
  EXPECT_EQ("CASE WHEN b THEN 1 END", Str("CASE WHEN b THEN 1 END"));
  EXPECT_EQ("CASE WHEN b THEN 1 END", Str("CASE WHEN b THEN 1 ELSE NULL END"));  // same meaning
}

TEST(ExprCaseTest, SimpleCase) {
  EXPECT_EQ("seven", Ev("CASE n WHEN 1 THEN 'one' WHEN 7 THEN 'seven' ELSE 'other' END"));
  EXPECT_EQ("other", Ev("CASE n WHEN 1 THEN 'one' ELSE 'other' END"));
  EXPECT_EQ("1", Ev("CASE s WHEN 'US' THEN 1 ELSE 0 END"));
  EXPECT_EQ("x", Ev("CASE d WHEN 2.5 THEN 'x' END"));
  EXPECT_EQ("x", Ev("CASE n WHEN 7.0 THEN 'x' END"));  // bigint = double compares numerically
  EXPECT_EQ("b", Ev("CASE zn WHEN NULL THEN 'a' ELSE 'b' END"));  // NULL = NULL is not true
  EXPECT_EQ("b", Ev("CASE zn WHEN 1 THEN 'a' ELSE 'b' END"));
  EXPECT_EQ("yes", Ev("CASE ts WHEN '2024-01-08 10:30:05.123456+00' THEN 'yes' END"));  // literal typed
  EXPECT_EQ("CASE n WHEN 1 THEN 'a' ELSE 'b' END", Str("CASE n WHEN 1 THEN 'a' ELSE 'b' END"));
  EXPECT_EQ("operator does not exist: text = bigint", BindError("CASE s WHEN 1 THEN 'a' END").message());
  EXPECT_EQ("invalid input syntax for type bigint: \"x\"", BindError("CASE n WHEN 'x' THEN 1 END").message());
}

TEST(ExprCaseTest, ResultTypeIsTheCommonType) {
  EXPECT_EQ(Type::kText, TypeOf("CASE WHEN b THEN 'x' ELSE 'y' END"));  // all unknown: text
  EXPECT_EQ(Type::kText, TypeOf("CASE WHEN b THEN s ELSE 'y' END"));
  EXPECT_EQ(Type::kInt64, TypeOf("CASE WHEN b THEN 1 ELSE 2 END"));
  EXPECT_EQ(Type::kDouble, TypeOf("CASE WHEN b THEN n ELSE d END"));
  EXPECT_EQ(Type::kDouble, TypeOf("CASE WHEN b THEN 1 ELSE 2.5 END"));
  EXPECT_EQ(Type::kInt64, TypeOf("CASE WHEN b THEN NULL ELSE n END"));
  EXPECT_EQ(Type::kInt64, TypeOf("CASE WHEN b THEN '5' ELSE n END"));
  EXPECT_EQ(Type::kTimestamp, TypeOf("CASE WHEN b THEN ts ELSE '2024-01-01' END"));
  EXPECT_EQ(Type::kBool, TypeOf("CASE WHEN b THEN true END"));
  // bigint branch values become doubles when the CASE is double precision.
  EXPECT_EQ("7", Ev("CASE WHEN b THEN n ELSE d END"));
  EXPECT_EQ("5", Ev("CASE WHEN b THEN '5' ELSE n END"));
  EXPECT_EQ("NULL", Ev("CASE WHEN b THEN NULL ELSE n END"));
  EXPECT_EQ("2024-01-01 00:00:00+00", Ev("CASE WHEN NOT b THEN ts ELSE '2024-01-01' END"));
}

TEST(ExprCaseTest, Errors) {
  // PostgreSQL looks at the ELSE first.
  EXPECT_EQ("CASE types text and bigint cannot be matched", BindError("CASE WHEN b THEN 1 ELSE s END").message());
  EXPECT_EQ("CASE types bigint and text cannot be matched", BindError("CASE WHEN b THEN s ELSE 1 END").message());
  EXPECT_EQ("CASE types boolean and bigint cannot be matched",
            BindError("CASE WHEN b THEN true WHEN b THEN 1 END").message());
  EXPECT_EQ("CASE types double precision and timestamp with time zone cannot be matched",
            BindError("CASE WHEN b THEN ts ELSE d END").message());
  EXPECT_EQ(StatusCode::kInvalidArgument, BindError("CASE WHEN b THEN 1 ELSE s END").code());
  EXPECT_EQ("argument of CASE/WHEN must be type boolean, not type bigint",
            BindError("CASE WHEN n THEN 1 END").message());
  EXPECT_EQ("invalid input syntax for type bigint: \"abc\"", BindError("CASE WHEN b THEN 'abc' ELSE n END").message());
}

TEST(ExprCoalesceTest, Coalesce) {
  EXPECT_EQ("US", Ev("coalesce(z, s)"));
  EXPECT_EQ("7", Ev("coalesce(zn, n)"));
  EXPECT_EQ("7", Ev("coalesce(n, zn)"));
  EXPECT_EQ("x", Ev("coalesce(z, 'x')"));
  EXPECT_EQ("x", Ev("coalesce(z, NULL, 'x', s)"));
  EXPECT_EQ("NULL", Ev("coalesce(z, NULL)"));
  EXPECT_EQ("2.5", Ev("coalesce(zn, d)"));
  EXPECT_EQ(Type::kDouble, TypeOf("coalesce(zn, d)"));
  EXPECT_EQ(Type::kDouble, TypeOf("coalesce(n, 1.5)"));
  EXPECT_EQ("7", Ev("coalesce(n, 1.5)"));
  EXPECT_EQ(Type::kText, TypeOf("coalesce(NULL, NULL)"));
  EXPECT_EQ(Type::kInt64, TypeOf("coalesce(zn, '3')"));
  EXPECT_EQ("COALESCE types text and bigint cannot be matched", BindError("coalesce(s, 1)").message());
  EXPECT_EQ("invalid input syntax for type bigint: \"abc\"", BindError("coalesce(zn, 'abc')").message());
  EXPECT_EQ("COALESCE(z, s)", Str("coalesce(z, s)"));
  // The second argument is not evaluated when the first is not NULL.
  EXPECT_EQ("7", Ev("coalesce(n, s::bigint)"));
}

TEST(ExprCoalesceTest, NullIf) {
  EXPECT_EQ("NULL", Ev("nullif(n, 7)"));
  EXPECT_EQ("7", Ev("nullif(n, 8)"));
  EXPECT_EQ("NULL", Ev("nullif(s, 'US')"));
  EXPECT_EQ("US", Ev("nullif(s, 'FR')"));
  EXPECT_EQ("NULL", Ev("nullif(z, 'x')"));
  EXPECT_EQ("7", Ev("nullif(n, NULL)"));
  EXPECT_EQ("7", Ev("nullif(n, d)"));
  EXPECT_EQ(Type::kDouble, TypeOf("nullif(n, d)"));  // the first argument, after widening
  EXPECT_EQ(Type::kInt64, TypeOf("nullif(n, 1)"));
  EXPECT_EQ(Type::kText, TypeOf("nullif('a', 'b')"));
  EXPECT_EQ("operator does not exist: text = bigint", BindError("nullif(s, 1)").message());
  EXPECT_EQ("NULLIF(n, 7)", Str("nullif(n, 7)"));
}

TEST(ExprCoalesceTest, GreatestLeast) {
  EXPECT_EQ("10", Ev("greatest(n, 3, 10)"));
  EXPECT_EQ("3", Ev("least(n, 3, 10)"));
  EXPECT_EQ("7", Ev("greatest(n, zn)"));  // NULLs are ignored
  EXPECT_EQ("7", Ev("least(zn, n)"));
  EXPECT_EQ("NULL", Ev("least(zn, NULL)"));
  EXPECT_EQ("7", Ev("greatest(n, d)"));
  EXPECT_EQ(Type::kDouble, TypeOf("greatest(n, d)"));
  EXPECT_EQ("2.5", Ev("least(n, d)"));
  EXPECT_EQ("ZZ", Ev("greatest(s, 'ZZ')"));
  EXPECT_EQ("2024-01-01 00:00:00+00", Ev("least(ts, '2024-01-01')"));
  EXPECT_EQ("GREATEST types text and bigint cannot be matched", BindError("greatest(s, 1)").message());
  EXPECT_EQ("LEAST types bigint and text cannot be matched", BindError("least(1, s)").message());
  EXPECT_EQ("GREATEST(n, 3, 10)", Str("greatest(n, 3, 10)"));
  EXPECT_EQ("LEAST(n, 3, 10)", Str("least(n, 3, 10)"));
}

// ---------------------------------------------------------------------------------------------

TEST(ExprCastTest, Numbers) {
  EXPECT_EQ("2", Ev("d::bigint"));               // float8 → int8 rounds half to even (rint)
  EXPECT_EQ("4", Ev("(d + 1)::bigint"));         // 3.5 → 4
  EXPECT_EQ("-2", Ev("neg::bigint"));            // -2.5 → -2
  EXPECT_EQ("2", Ev("2.5::float8::bigint"));
  EXPECT_EQ("3", Ev("2.5::bigint"));             // numeric → int8 rounds half away from zero
  EXPECT_EQ("-3", Ev("(-2.5)::bigint"));
  EXPECT_EQ("3", Ev("2.5::numeric::bigint"));
  EXPECT_EQ("7", Ev("n::double precision"));
  EXPECT_EQ(Type::kDouble, TypeOf("n::double precision"));
  EXPECT_EQ("RUNTIME ERROR: bigint out of range", Ev("big::double precision::bigint"));
  EXPECT_EQ("RUNTIME ERROR: bigint out of range", Ev("(d * 1e300)::bigint"));
  EXPECT_EQ("RUNTIME ERROR: bigint out of range", Ev("(d - 'NaN'::float8)::bigint"));
  EXPECT_EQ("bigint out of range", BindError("1e19::float8::bigint").message());
  EXPECT_EQ("9007199254740992", Ev("(n * 0 + 9007199254740993)::float8::bigint"));
}

TEST(ExprCastTest, BooleansAndText) {
  EXPECT_EQ("true", Ev("b::text"));
  EXPECT_EQ("false", Ev("(NOT b)::text"));
  EXPECT_EQ("1", Ev("b::int"));
  EXPECT_EQ("0", Ev("(NOT b)::integer"));
  EXPECT_EQ("true", Ev("n::boolean"));
  EXPECT_EQ("false", Ev("(n - 7)::bool"));
  EXPECT_EQ("7", Ev("n::text"));
  EXPECT_EQ(Type::kText, TypeOf("n::text"));
  EXPECT_EQ("-9223372036854775807", Ev("(-big)::varchar"));
  EXPECT_EQ("2.5", Ev("d::text"));
  EXPECT_EQ("0.1", Ev("(d * 0 + 0.1)::text"));
  EXPECT_EQ("0.30000000000000004", Ev("(d * 0 + 0.1 + 0.2)::text"));
  EXPECT_EQ("1e+20", Ev("(d * 0 + 1e20)::text"));
  EXPECT_EQ("2.5e+20", Ev("(d * 1e20)::text"));
  EXPECT_EQ("NaN", Ev("'NaN'::float8::text"));
  EXPECT_EQ("-Infinity", Ev("'-Infinity'::float8::text"));
  EXPECT_EQ("2024-01-08 10:30:05.123456+00", Ev("ts::text"));
  EXPECT_EQ("2024-01-08 10:00:00+00", Ev("date_trunc('hour', ts)::text"));
  EXPECT_EQ("2024-01-02 03:04:05.1+00", Ev("'2024-01-02 03:04:05.1'::timestamptz::text"));
  EXPECT_EQ("NULL", Ev("zn::text"));
}

TEST(ExprCastTest, FromText) {
  EXPECT_EQ("12", Ev("t2::bigint"));  // surrounding spaces are allowed, as in PostgreSQL
  EXPECT_EQ("12", Ev("t2::float8"));
  EXPECT_EQ("2024-01-08 10:00:00+00", Ev("tt::timestamptz"));
  EXPECT_EQ("true", Ev("tt::timestamptz = '2024-01-08 10:00:00+00'"));
  EXPECT_EQ("RUNTIME ERROR: invalid input syntax for type bigint: \"US\"", Ev("s::bigint"));
  EXPECT_EQ("RUNTIME ERROR: invalid input syntax for type double precision: \"US\"", Ev("s::float8"));
  EXPECT_EQ("RUNTIME ERROR: invalid input syntax for type boolean: \"US\"", Ev("s::boolean"));
  EXPECT_EQ("RUNTIME ERROR: invalid input syntax for type timestamp with time zone: \"US\"", Ev("s::timestamptz"));
  EXPECT_EQ("RUNTIME ERROR: invalid input syntax for type bigint: \"2024-01-08T10:00:00Z\"", Ev("tt::bigint"));
  EXPECT_EQ("RUNTIME ERROR: value \"99999999999999999999\" is out of range for type bigint",
            Ev("(s || '99999999999999999999')::bigint",
                {Value::Null(), Value::Null(), Value::Null(), Value::Text(""), Value::Null(), Value::Null(),
                 Value::Null(), Value::Null(), Value::Null(), Value::Null(), Value::Null(), Value::Null()}));
  // Forms only the slow path (CastText) knows.
  auto row = Row();
  row[kS] = Value::Text("+42");
  EXPECT_EQ("42", Ev("s::bigint", row));
  row[kS] = Value::Text("yes");
  EXPECT_EQ("true", Ev("s::boolean", row));
  row[kS] = Value::Text("epoch");
  EXPECT_EQ("1970-01-01 00:00:00+00", Ev("s::timestamptz", row));
  row[kS] = Value::Text("-1.5e3");
  EXPECT_EQ("-1500", Ev("s::float8", row));
  row[kS] = Value::Text(" Infinity");
  EXPECT_EQ("Infinity", Ev("s::float8", row));
  // Constant text that does not parse is a bind-time error.
  EXPECT_EQ("invalid input syntax for type bigint: \"abc\"", BindError("'abc'::bigint").message());
}

TEST(ExprCastTest, TypeNames) {
  for (const char* t : {"int", "int4", "int8", "integer", "bigint", "smallint"})
    EXPECT_EQ(Type::kInt64, TypeOf(std::string("d::") + t)) << t;
  for (const char* t : {"float8", "double precision", "numeric", "numeric(10,2)", "real", "float"})
    EXPECT_EQ(Type::kDouble, TypeOf(std::string("n::") + t)) << t;
  for (const char* t : {"text", "varchar", "varchar(10)", "character varying"})
    EXPECT_EQ(Type::kText, TypeOf(std::string("n::") + t)) << t;
  for (const char* t : {"bool", "boolean"}) EXPECT_EQ(Type::kBool, TypeOf(std::string("n::") + t)) << t;
  for (const char* t : {"timestamptz", "timestamp", "timestamp with time zone"})
    EXPECT_EQ(Type::kTimestamp, TypeOf(std::string("tt::") + t)) << t;
  EXPECT_EQ(Type::kTimestamp, TypeOf("CAST(tt AS timestamptz)"));
}

TEST(ExprCastTest, RefusedCasts) {
  EXPECT_EQ("cannot cast type timestamp with time zone to bigint", BindError("ts::bigint").message());
  EXPECT_EQ(StatusCode::kInvalidArgument, BindError("ts::bigint").code());
  EXPECT_EQ("cannot cast type bigint to timestamp with time zone", BindError("n::timestamptz").message());
  EXPECT_EQ("cannot cast type boolean to double precision", BindError("b::float8").message());
  EXPECT_EQ("cannot cast type double precision to boolean", BindError("d::boolean").message());
  EXPECT_EQ("cannot cast type timestamp with time zone to boolean", BindError("CAST(ts AS boolean)").message());
  EXPECT_EQ("cannot cast type boolean to timestamp with time zone", BindError("true::timestamptz").message());
  EXPECT_EQ("cannot cast type bigint to date", BindError("n::date").message());  // date_test.cc
  EXPECT_EQ(StatusCode::kUnimplemented, BindError("n::time").code());
  EXPECT_TRUE(CastAllowed(Type::kTimestamp, Type::kText));
  EXPECT_TRUE(CastAllowed(Type::kText, Type::kTimestamp));
  EXPECT_FALSE(CastAllowed(Type::kDouble, Type::kTimestamp));
}

TEST(ExprCastTest, ToString) {
  EXPECT_EQ("CAST(d AS bigint)", Str("CAST(d AS bigint)"));
  EXPECT_EQ("CAST(d AS bigint)", Str("d::int8"));
  EXPECT_EQ("CAST(n AS text)", Str("n::text"));
  EXPECT_EQ("CAST(n AS double precision)", Str("n::float8"));
  EXPECT_EQ("n", Str("n::bigint"));  // a cast to the same type is no cast
  EXPECT_EQ("2", Str("'2'::bigint"));
}

// ---------------------------------------------------------------------------------------------

TEST(ExprRuntimeErrorTest, Slot) {
  ClearEvalError();
  EXPECT_FALSE(HasEvalError());
  EXPECT_TRUE(TakeEvalError().ok());
  auto e = Bind("s::bigint");
  ASSERT_TRUE(e.ok());
  auto row = Row();
  EXPECT_TRUE(Eval(**e, row.data()).is_null());
  EXPECT_TRUE(HasEvalError());
  // The first error is kept.
  auto overflow = Bind("big + 1");
  ASSERT_TRUE(overflow.ok());
  EXPECT_TRUE(Eval(**overflow, row.data()).is_null());
  // A bind while an error is pending leaves it alone.
  ASSERT_TRUE(Bind("1 + 1").ok());
  Status st = TakeEvalError();
  EXPECT_EQ(StatusCode::kInvalidArgument, st.code());
  EXPECT_EQ("invalid input syntax for type bigint: \"US\"", st.message());
  EXPECT_FALSE(HasEvalError());
  EXPECT_TRUE(TakeEvalError().ok());
  // Rows without errors do not set it.
  row[kS] = Value::Text("5");
  EXPECT_EQ(Value::Int(5), Eval(**e, row.data()));
  EXPECT_FALSE(HasEvalError());
  // WHERE semantics: the NULL is "no".
  auto p = BindPredicate(*ExprNode("s::bigint > 1"), TestScope());
  ASSERT_TRUE(p.ok());
  row[kS] = Value::Text("x");
  EXPECT_FALSE(EvalPredicate(**p, row.data()));
  EXPECT_EQ("invalid input syntax for type bigint: \"x\"", TakeEvalError().message());
}

TEST(ExprRuntimeErrorTest, PerThread) {
  ClearEvalError();
  std::thread other([] {
    auto e = Bind("s::bigint");
    auto row = Row();
    Eval(**e, row.data());
    EXPECT_TRUE(HasEvalError());
  });
  other.join();
  EXPECT_FALSE(HasEvalError());
}

TEST(ExprRuntimeErrorTest, BigintOverflow) {
  EXPECT_EQ("RUNTIME ERROR: bigint out of range", Ev("big + 1"));
  EXPECT_EQ("RUNTIME ERROR: bigint out of range", Ev("big * 2"));
  EXPECT_EQ("RUNTIME ERROR: bigint out of range", Ev("-big - 2"));
  EXPECT_EQ("-9223372036854775808", Ev("-big - 1"));
  EXPECT_EQ("RUNTIME ERROR: bigint out of range", Ev("-(-big - 1)"));
  EXPECT_EQ("RUNTIME ERROR: bigint out of range", Ev("(-big - 1) / -1"));
  EXPECT_EQ("0", Ev("(-big - 1) % -1"));
  EXPECT_EQ("RUNTIME ERROR: value out of range: overflow", Ev("d * 1e308"));
  EXPECT_EQ("RUNTIME ERROR: value out of range: underflow", Ev("d * 1e-323 * 1e-10"));
  // Division by zero stays NULL (documented deviation), without an error.
  EXPECT_EQ("NULL", Ev("n / 0"));
  EXPECT_EQ("NULL", Ev("d / 0"));
  EXPECT_EQ("NULL", Ev("n % 0"));
  // Constant expressions are folded at bind time: their errors are bind errors.
  EXPECT_EQ("bigint out of range", BindError("9223372036854775807 + 1").message());
  EXPECT_EQ(StatusCode::kInvalidArgument, BindError("9223372036854775807 + 1").code());
}

// ---------------------------------------------------------------------------------------------

TEST(ExprStringTest, LowerUpperLength) {
  EXPECT_EQ("us", Ev("lower(s)"));
  EXPECT_EQ("us", Ev("pg_catalog.lower(s)"));
  EXPECT_EQ("HéLLO WöRLD", Ev("upper(u)"));  // ASCII letters only (C locale)
  EXPECT_EQ("àb", Ev("lower('àB')"));
  EXPECT_EQ("\xC3\x80" "b", Ev("lower('\xC3\x80" "B')"));
  EXPECT_EQ("11", Ev("length(u)"));  // code points, not bytes
  EXPECT_EQ("11", Ev("char_length(u)"));
  EXPECT_EQ("11", Ev("character_length(u)"));
  EXPECT_EQ(Type::kInt64, TypeOf("length(s)"));
  EXPECT_EQ("0", Ev("length('')"));
  EXPECT_EQ("NULL", Ev("length(z)"));
  EXPECT_EQ("NULL", Ev("lower(z)"));
  EXPECT_EQ("function lower(bigint) does not exist", BindError("lower(n)").message());
  EXPECT_EQ("function length(text, text) does not exist", BindError("length(s, s)").message());
  EXPECT_EQ("lower(s)", Str("lower(s)"));
  EXPECT_EQ("length(u)", Str("char_length(u)"));
}

TEST(ExprStringTest, Substr) {
  EXPECT_EQ("ell", Ev("substr('hello', 2, 3)"));
  EXPECT_EQ("he", Ev("substr('hello', 0, 3)"));  // PostgreSQL counts positions before the start
  EXPECT_EQ("h", Ev("substr('hello', -1, 3)"));
  EXPECT_EQ("", Ev("substr('hello', -5, 3)"));
  EXPECT_EQ("ello", Ev("substr('hello', 2)"));
  EXPECT_EQ("hello", Ev("substr('hello', -3)"));
  EXPECT_EQ("", Ev("substr('hello', 10)"));
  EXPECT_EQ("", Ev("substr('hello', 1, 0)"));
  EXPECT_EQ("hello", Ev("substr('hello', 1, 9223372036854775807)"));
  EXPECT_EQ("éll", Ev("substr(u, 2, 3)"));
  EXPECT_EQ("wörld", Ev("substring(u FROM 7)"));
  EXPECT_EQ("el", Ev("substring('hello' FROM 2 FOR 2)"));
  EXPECT_EQ("he", Ev("substring('hello' FOR 2)"));
  EXPECT_EQ("ll", Ev("substring('hello', 3, 2)"));
  EXPECT_EQ("U", Ev("substr(s, 1, n - 6)"));
  EXPECT_EQ("RUNTIME ERROR: negative substring length not allowed", Ev("substr(s, 1, n - 8)"));
  EXPECT_EQ("negative substring length not allowed", BindError("substr('hello', 1, -1)").message());
  EXPECT_EQ("NULL", Ev("substr(s, zn)"));
  EXPECT_EQ("US", Ev("substring(s FROM 'U.')"));  // a POSIX regular expression (func_test.cc)
  EXPECT_EQ(StatusCode::kUnimplemented, BindError("substring(s FROM 'U.' FOR '#')").code());
  EXPECT_EQ("function substr(bigint, bigint) does not exist", BindError("substr(n, 1)").message());
  EXPECT_EQ("function substr(text, double precision) does not exist", BindError("substr(s, d)").message());
  EXPECT_EQ("substr(s, 1, 2)", Str("substring(s FROM 1 FOR 2)"));
}

TEST(ExprStringTest, ConcatAndOperator) {
  EXPECT_EQ("a72.5t", Ev("concat('a', n, NULL, d, b)"));  // NULLs skipped; booleans as t/f
  EXPECT_EQ("", Ev("concat(z)"));
  EXPECT_EQ("US2024-01-08 10:30:05.123456+00", Ev("concat(s, ts)"));
  EXPECT_EQ(Type::kText, TypeOf("concat(n)"));
  EXPECT_EQ("USx", Ev("s || 'x'"));
  EXPECT_EQ("US7", Ev("s || n"));
  EXPECT_EQ("7US", Ev("n || s"));
  EXPECT_EQ("trueUS", Ev("b || s"));  // a cast to text: 'true', unlike concat()
  EXPECT_EQ("2.5", Ev("d || ''"));
  EXPECT_EQ("abc", Ev("'a' || 'b' || 'c'"));
  EXPECT_EQ("NULL", Ev("s || z"));
  EXPECT_EQ("NULL", Ev("s || NULL"));
  EXPECT_EQ("operator does not exist: bigint || bigint", BindError("n || n").message());
  EXPECT_EQ("(s || 'x')", Str("s || 'x'"));
  EXPECT_EQ("(CAST(n AS text) || s)", Str("n || s"));
  EXPECT_EQ("concat(s, 'x')", Str("concat(s, 'x')"));
}

TEST(ExprStringTest, TrimReplaceStrpos) {
  EXPECT_EQ("ab", Ev("trim('  ab  ')"));
  EXPECT_EQ("ab", Ev("btrim('xxabxx', 'x')"));
  EXPECT_EQ("ab ", Ev("ltrim('  ab ')"));
  EXPECT_EQ(" ab", Ev("rtrim(' ab  ')"));
  EXPECT_EQ("ab", Ev("trim(both 'xy' from 'xyabyx')"));
  EXPECT_EQ("abx", Ev("trim(leading 'x' from 'xxabx')"));
  EXPECT_EQ("xab", Ev("trim(trailing 'x' from 'xabxx')"));
  EXPECT_EQ("a", Ev("btrim('éaé', 'é')"));  // characters, not bytes
  EXPECT_EQ("\xC3\xA9", Ev("btrim('\xC3\xA9', '\xC3\xA8')"));  // é is not è, though they share a byte
  EXPECT_EQ("", Ev("trim('   ')"));
  EXPECT_EQ("heLLo", Ev("replace('hello', 'l', 'L')"));
  EXPECT_EQ("hello", Ev("replace('hello', '', 'x')"));
  EXPECT_EQ("United States", Ev("replace(s, 'US', 'United States')"));
  EXPECT_EQ("NULL", Ev("replace(s, z, 'x')"));
  EXPECT_EQ("3", Ev("strpos('hello', 'll')"));
  EXPECT_EQ("7", Ev("strpos(u, 'wö')"));  // in characters
  EXPECT_EQ("0", Ev("strpos('hello', 'z')"));
  EXPECT_EQ("1", Ev("strpos('abc', '')"));
  EXPECT_EQ("3", Ev("position('l' IN 'hello')"));
  EXPECT_EQ("2", Ev("position('S' IN s)"));
  EXPECT_EQ("btrim(s)", Str("trim(s)"));
  EXPECT_EQ("strpos(s, 'S')", Str("position('S' IN s)"));
}

TEST(ExprLikeTest, Basics) {
  EXPECT_EQ("true", Ev("s LIKE 'U%'"));
  EXPECT_EQ("false", Ev("s LIKE 'u%'"));
  EXPECT_EQ("true", Ev("s ILIKE 'u%'"));
  EXPECT_EQ("false", Ev("s NOT LIKE 'U%'"));
  EXPECT_EQ("true", Ev("s NOT ILIKE 'x%'"));
  EXPECT_EQ("true", Ev("s LIKE 'US'"));
  EXPECT_EQ("false", Ev("s LIKE 'U'"));
  EXPECT_EQ("true", Ev("s LIKE '%S'"));
  EXPECT_EQ("true", Ev("s ILIKE '%s'"));
  EXPECT_EQ("true", Ev("s LIKE '%'"));
  EXPECT_EQ("true", Ev("s LIKE '_S'"));
  EXPECT_EQ("false", Ev("s LIKE '_'"));
  EXPECT_EQ("true", Ev("u LIKE 'h_llo%'"));  // _ is one character (é is two bytes)
  EXPECT_EQ("false", Ev("u LIKE 'h__llo%'"));
  EXPECT_EQ("true", Ev("u LIKE '%ö%'"));
  EXPECT_EQ("true", Ev("u ILIKE 'H%LD'"));
  EXPECT_EQ("NULL", Ev("z LIKE '%'"));
  EXPECT_EQ("NULL", Ev("s LIKE z"));
  EXPECT_EQ("true", Ev("'' LIKE ''"));
  EXPECT_EQ("true", Ev("'' LIKE '%'"));
  EXPECT_EQ("false", Ev("'' LIKE '_'"));
}

TEST(ExprLikeTest, GeneralPatterns) {
  EXPECT_EQ("true", Ev("'abcabc' LIKE '%b_a%'"));
  EXPECT_EQ("true", Ev("'mississippi' LIKE '%iss%ipp%'"));
  EXPECT_EQ("false", Ev("'mississippi' LIKE 'm%ss%x'"));
  EXPECT_EQ("true", Ev("'mississippi' LIKE 'm%i'"));
  EXPECT_EQ("true", Ev("'ABCabc' ILIKE '%Bca%'"));
  EXPECT_EQ("true", Ev("'aaa' LIKE '%a%a%a%'"));
  EXPECT_EQ("false", Ev("'aa' LIKE '%a%a%a%'"));
  // Non-constant patterns.
  EXPECT_EQ("true", Ev("s LIKE s"));
  EXPECT_EQ("true", Ev("u LIKE (substr(u, 1, 2) || '%')"));
  EXPECT_EQ("false", Ev("s LIKE lower(s)"));
  EXPECT_EQ("true", Ev("s ILIKE lower(s)"));
}

TEST(ExprLikeTest, Escapes) {
  EXPECT_EQ("true", Ev("'a%b' LIKE 'a\\%b'"));
  EXPECT_EQ("false", Ev("'axb' LIKE 'a\\%b'"));
  EXPECT_EQ("true", Ev("'a_b' LIKE 'a\\_b'"));
  EXPECT_EQ("true", Ev("'a\\b' LIKE 'a\\\\b'"));
  EXPECT_EQ("true", Ev("'a_b' LIKE 'a!_b' ESCAPE '!'"));
  EXPECT_EQ("false", Ev("'axb' LIKE 'a!_b' ESCAPE '!'"));
  EXPECT_EQ("true", Ev("'a\\b' LIKE 'a\\b' ESCAPE ''"));
  EXPECT_EQ("true", Ev("'a%' NOT ILIKE 'A#%x' ESCAPE '#'"));
  EXPECT_EQ("true", Ev("'a%' LIKE 'a%%' ESCAPE '%'"));
  EXPECT_EQ("false", Ev("'ab' LIKE 'a%%' ESCAPE '%'"));
  EXPECT_EQ("true", Ev("'US%' LIKE s || '%%' ESCAPE '%'"));  // a non-constant pattern: the general matcher
  EXPECT_EQ("false", Ev("'USA' LIKE s || '%%' ESCAPE '%'"));
  EXPECT_EQ("LIKE pattern must not end with escape character", BindError("s LIKE 'ab\\'").message());
  EXPECT_EQ("RUNTIME ERROR: LIKE pattern must not end with escape character", Ev("s LIKE (s || '\\')"));
  EXPECT_EQ(StatusCode::kInvalidArgument, BindError("s LIKE 'a' ESCAPE 'ab'").code());
  EXPECT_EQ(StatusCode::kUnimplemented, BindError("s LIKE 'a' ESCAPE s").code());
}

TEST(ExprLikeTest, TypesShapesAndText) {
  EXPECT_EQ("operator does not exist: bigint ~~ unknown", BindError("n LIKE '1%'").message());
  EXPECT_EQ("operator does not exist: text !~~* bigint", BindError("s NOT ILIKE n").message());
  auto shape = [](const std::string& expr) {
    auto e = Bind(expr);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? std::make_pair((*e)->like_shape, (*e)->like_text) : std::make_pair(LikeShape::kGeneral, std::string());
  };
  EXPECT_EQ(std::make_pair(LikeShape::kPrefix, std::string("U")), shape("s LIKE 'U%'"));
  EXPECT_EQ(std::make_pair(LikeShape::kSuffix, std::string("S")), shape("s LIKE '%S'"));
  EXPECT_EQ(std::make_pair(LikeShape::kContains, std::string("S")), shape("s LIKE '%S%'"));
  EXPECT_EQ(std::make_pair(LikeShape::kGeneral, std::string()), shape("s ILIKE '%S%'"));
  EXPECT_EQ(std::make_pair(LikeShape::kExact, std::string("US")), shape("s LIKE 'US'"));
  EXPECT_EQ(std::make_pair(LikeShape::kAny, std::string()), shape("s LIKE '%%'"));
  EXPECT_EQ(std::make_pair(LikeShape::kGeneral, std::string()), shape("s LIKE 'U_'"));
  EXPECT_EQ(std::make_pair(LikeShape::kGeneral, std::string()), shape("s LIKE 'U%S'"));
  EXPECT_EQ(std::make_pair(LikeShape::kExact, std::string("a%")), shape("s LIKE 'a\\%'"));
  EXPECT_EQ(std::make_pair(LikeShape::kPrefix, std::string("a%")), shape("s LIKE 'a\\%%'"));
  EXPECT_EQ("(s LIKE 'U%')", Str("s LIKE 'U%'"));
  EXPECT_EQ("(s NOT ILIKE 'x%')", Str("s NOT ILIKE 'x%'"));
  EXPECT_EQ("(s LIKE 'a!_b' ESCAPE '!')", Str("s LIKE 'a!_b' ESCAPE '!'"));
  EXPECT_EQ("(s LIKE 'a' ESCAPE '')", Str("s LIKE 'a' ESCAPE ''"));
}

TEST(ExprLikeTest, LikeMatchDirectly) {
  bool bad = false;
  EXPECT_TRUE(LikeMatch("hello", "h%o", '\\', false, &bad));
  EXPECT_FALSE(LikeMatch("hello", "H%", '\\', false, &bad));
  EXPECT_TRUE(LikeMatch("hello", "H%", '\\', true, &bad));
  EXPECT_TRUE(LikeMatch("50%", "50!%", '!', false, &bad));
  EXPECT_FALSE(LikeMatch("500", "50!%", '!', false, &bad));
  EXPECT_TRUE(LikeMatch("x", "%%%_%%", '\\', false, &bad));
  EXPECT_TRUE(LikeMatch("a%", "a%%", '%', false, &bad));  // the escape may be a wildcard character
  EXPECT_FALSE(LikeMatch("ab", "a%%", '%', false, &bad));
  EXPECT_TRUE(LikeMatch("a_", "a__", '_', false, &bad));
  EXPECT_FALSE(bad);
  EXPECT_FALSE(LikeMatch("ab", "ab\\", '\\', false, &bad));
  EXPECT_TRUE(bad);
}

// ---------------------------------------------------------------------------------------------

TEST(ExprNumericTest, AbsRoundTruncFloorCeil) {
  EXPECT_EQ("5", Ev("abs(-5)"));
  EXPECT_EQ("3", Ev("abs(n - 10)"));
  EXPECT_EQ(Type::kInt64, TypeOf("abs(n)"));
  EXPECT_EQ("2.5", Ev("abs(neg)"));
  EXPECT_EQ(Type::kDouble, TypeOf("abs(d)"));
  EXPECT_EQ("RUNTIME ERROR: bigint out of range", Ev("abs(-big - 1)"));
  EXPECT_EQ("3", Ev("round(2.5)"));
  EXPECT_EQ("-3", Ev("round(-2.5)"));
  EXPECT_EQ("3", Ev("round(d)"));   // half away from zero (PostgreSQL's float8 round gives 2)
  EXPECT_EQ("-3", Ev("round(neg)"));
  EXPECT_EQ("-1", Ev("round(-0.5)"));
  EXPECT_EQ("7", Ev("round(n)"));
  EXPECT_EQ(Type::kInt64, TypeOf("round(n)"));
  EXPECT_EQ(Type::kDouble, TypeOf("round(d)"));
  EXPECT_EQ(Type::kDouble, TypeOf("round(n, 1)"));
  EXPECT_EQ("2.68", Ev("round(2.675, 2)"));  // as numeric: 2.675 is read as a decimal
  EXPECT_EQ("1.01", Ev("round(1.005, 2)"));
  EXPECT_EQ("1200", Ev("round(1234.5678, -2)"));
  EXPECT_EQ("1234.57", Ev("round(1234.5678, 2)"));
  EXPECT_EQ("3", Ev("round(d, 0)"));
  EXPECT_EQ("1", Ev("round(0.5, 0)"));
  EXPECT_EQ("0", Ev("round(0.4, 0)"));
  EXPECT_EQ("0", Ev("round(4, -1)"));
  EXPECT_EQ("10", Ev("round(5, -1)"));
  EXPECT_EQ("7", Ev("round(n, 3)"));
  EXPECT_EQ("0.3", Ev("round(0.1 + 0.2, 10)"));
  EXPECT_EQ("-2.68", Ev("round(-2.675, 2)"));
  EXPECT_EQ("2", Ev("trunc(2.7)"));
  EXPECT_EQ("-2", Ev("trunc(-2.7)"));
  EXPECT_EQ("1234.56", Ev("trunc(1234.5678, 2)"));
  EXPECT_EQ("1200", Ev("trunc(1299, -2)"));
  EXPECT_EQ("7", Ev("trunc(n)"));
  EXPECT_EQ("-3", Ev("floor(-2.5)"));
  EXPECT_EQ("2", Ev("floor(d)"));
  EXPECT_EQ("7", Ev("floor(n)"));
  EXPECT_EQ(Type::kInt64, TypeOf("floor(n)"));
  EXPECT_EQ("3", Ev("ceil(2.1)"));
  EXPECT_EQ("-2", Ev("ceiling(-2.1)"));
  EXPECT_EQ("function abs(text) does not exist", BindError("abs(s)").message());
  EXPECT_EQ("function round(double precision, double precision) does not exist",
            BindError("round(d, 1.5)").message());
}

TEST(ExprNumericTest, ModSqrtPowerLnExpSign) {
  EXPECT_EQ("1", Ev("mod(7, 3)"));
  EXPECT_EQ("-1", Ev("mod(-7, 3)"));
  EXPECT_EQ("1", Ev("mod(n, 3)"));
  EXPECT_EQ(Type::kInt64, TypeOf("mod(n, 3)"));
  EXPECT_EQ("NULL", Ev("mod(n, 0)"));
  EXPECT_EQ("1.5", Ev("mod(7.5, 2)"));
  EXPECT_EQ("2", Ev("mod(n, d)"));
  EXPECT_EQ(Type::kDouble, TypeOf("mod(n, d)"));
  EXPECT_EQ("4", Ev("sqrt(16)"));
  EXPECT_EQ("1.4142135623730951", Ev("sqrt(2)"));
  EXPECT_EQ("2.6457513110645907", Ev("sqrt(n)"));
  EXPECT_EQ("RUNTIME ERROR: cannot take square root of a negative number", Ev("sqrt(n - 8)"));
  EXPECT_EQ("cannot take square root of a negative number", BindError("sqrt(-1)").message());
  EXPECT_EQ("1024", Ev("power(2, 10)"));
  EXPECT_EQ("1.4142135623730951", Ev("pow(2, 0.5)"));
  EXPECT_EQ("0.25", Ev("power(2, -2)"));
  EXPECT_EQ("-8", Ev("power(-2, 3)"));
  EXPECT_EQ("RUNTIME ERROR: zero raised to a negative power is undefined", Ev("power(n - 7, -1)"));
  EXPECT_EQ("RUNTIME ERROR: a negative number raised to a non-integer power yields a complex result",
            Ev("power(neg, 0.5)"));
  EXPECT_EQ("RUNTIME ERROR: value out of range: overflow", Ev("power(n * 10, 400)"));
  EXPECT_EQ("0", Ev("ln(1)"));
  EXPECT_EQ("1.9459101490553132", Ev("ln(n)"));
  EXPECT_EQ("RUNTIME ERROR: cannot take logarithm of zero", Ev("ln(n - 7)"));
  EXPECT_EQ("RUNTIME ERROR: cannot take logarithm of a negative number", Ev("ln(neg)"));
  EXPECT_EQ("2", Ev("log(100)"));
  EXPECT_EQ("3", Ev("log10(1000)"));
  EXPECT_EQ("RUNTIME ERROR: cannot take logarithm of zero", Ev("log(n - 7)"));
  EXPECT_EQ("1", Ev("exp(0)"));
  EXPECT_EQ("2.718281828459045", Ev("exp(1)"));
  EXPECT_EQ("RUNTIME ERROR: value out of range: overflow", Ev("exp(n * 1000)"));
  EXPECT_EQ("RUNTIME ERROR: value out of range: underflow", Ev("exp(n * -1000)"));
  EXPECT_EQ("-1", Ev("sign(neg)"));
  EXPECT_EQ("0", Ev("sign(n - 7)"));
  EXPECT_EQ("1", Ev("sign(n)"));
  EXPECT_EQ(Type::kDouble, TypeOf("sign(n)"));
  EXPECT_EQ("NULL", Ev("sqrt(zn)"));
  EXPECT_EQ("sqrt(n)", Str("sqrt(n)"));
  EXPECT_EQ("round(d, 1)", Str("round(d, 1)"));
  EXPECT_EQ("power(d, 2)", Str("pow(d, 2)"));
}

TEST(ExprNumericTest, ToTimestamp) {
  EXPECT_EQ("1970-01-01 00:00:00+00", Ev("to_timestamp(0)"));
  EXPECT_EQ("2024-01-08 10:30:00.5+00", Ev("to_timestamp(1704709800.5)"));
  EXPECT_EQ("1970-01-01 00:00:07+00", Ev("to_timestamp(n)"));
  EXPECT_EQ(Type::kTimestamp, TypeOf("to_timestamp(d)"));
  EXPECT_EQ("RUNTIME ERROR: timestamp cannot be NaN", Ev("to_timestamp(d - 'NaN'::float8)"));
  EXPECT_EQ(StatusCode::kUnimplemented, BindError("to_timestamp(s, 'YYYY')").code());
}

// ---------------------------------------------------------------------------------------------

TEST(ExprDateTest, ExtractFields) {
  EXPECT_EQ("2024", Ev("extract(year FROM ts)"));
  EXPECT_EQ("1", Ev("extract(quarter FROM ts)"));
  EXPECT_EQ("1", Ev("extract(month FROM ts)"));
  EXPECT_EQ("2", Ev("extract(week FROM ts)"));
  EXPECT_EQ("8", Ev("extract(day FROM ts)"));
  EXPECT_EQ("1", Ev("extract(dow FROM ts)"));
  EXPECT_EQ("1", Ev("extract(isodow FROM ts)"));
  EXPECT_EQ("8", Ev("extract(doy FROM ts)"));
  EXPECT_EQ("10", Ev("extract(hour FROM ts)"));
  EXPECT_EQ("30", Ev("extract(minute FROM ts)"));
  EXPECT_EQ("5.123456", Ev("extract(second FROM ts)"));
  EXPECT_EQ("5123.456", Ev("extract(milliseconds FROM ts)"));
  EXPECT_EQ("5123456", Ev("extract(microseconds FROM ts)"));
  EXPECT_EQ("1704709805.123456", Ev("extract(epoch FROM ts)"));
  EXPECT_EQ("2024", Ev("extract(isoyear FROM ts)"));
  EXPECT_EQ("202", Ev("extract(decade FROM ts)"));
  EXPECT_EQ("21", Ev("extract(century FROM ts)"));
  EXPECT_EQ("3", Ev("extract(millennium FROM ts)"));
  EXPECT_EQ("0", Ev("extract(timezone FROM ts)"));
  EXPECT_EQ(Type::kDouble, TypeOf("extract(hour FROM ts)"));
  EXPECT_EQ("10", Ev("date_part('hour', ts)"));
  EXPECT_EQ("10", Ev("date_part('HOURS', ts)"));
  EXPECT_EQ("10", Ev("extract(hours FROM ts)"));
  EXPECT_EQ("30", Ev("extract('min' FROM ts)"));
  EXPECT_EQ("10", Ev("extract(hour FROM '2024-01-08 10:00')"));
  EXPECT_EQ("NULL", Ev("extract(hour FROM tt::timestamptz + NULL)"));
}

TEST(ExprDateTest, CalendarEdges) {
  auto at = [](const char* field, const char* ts) {
    // Not a constant (it reads b), so Eval computes it rather than the binder's folding.
    return Ev(std::string("extract(") + field + " FROM CASE WHEN b THEN '" + ts + "'::timestamptz END)");
  };
  EXPECT_EQ("0", at("dow", "2024-01-07 12:00:00+00"));  // Sunday
  EXPECT_EQ("7", at("isodow", "2024-01-07 12:00:00+00"));
  EXPECT_EQ("1", at("week", "2024-01-07 12:00:00+00"));
  EXPECT_EQ("53", at("week", "2021-01-01"));  // a Friday: last ISO week of 2020
  EXPECT_EQ("2020", at("isoyear", "2021-01-01"));
  EXPECT_EQ("2021", at("year", "2021-01-01"));
  EXPECT_EQ("1", at("week", "2024-12-30"));  // a Monday: first ISO week of 2025
  EXPECT_EQ("2025", at("isoyear", "2024-12-30"));
  EXPECT_EQ("53", at("week", "2020-12-31"));
  EXPECT_EQ("52", at("week", "2023-12-31"));
  EXPECT_EQ("366", at("doy", "2024-12-31"));
  EXPECT_EQ("365", at("doy", "2023-12-31"));
  EXPECT_EQ("4", at("quarter", "2024-11-05"));
  EXPECT_EQ("3", at("quarter", "2024-09-30"));
  EXPECT_EQ("1969", at("year", "1969-12-31 23:59:59.5+00"));
  EXPECT_EQ("23", at("hour", "1969-12-31 23:59:59.5+00"));
  EXPECT_EQ("59.5", at("second", "1969-12-31 23:59:59.5+00"));
  EXPECT_EQ("-0.5", at("epoch", "1969-12-31 23:59:59.5+00"));
  EXPECT_EQ("3", at("dow", "1969-12-31 23:59:59.5+00"));  // a Wednesday
  EXPECT_EQ("20", at("century", "2000-12-31"));
  EXPECT_EQ("21", at("century", "2001-01-01"));
  EXPECT_EQ("2", at("millennium", "2000-06-01"));
  EXPECT_EQ("200", at("decade", "2009-06-01"));
}

TEST(ExprDateTest, ExtractErrorsAndText) {
  EXPECT_EQ("unit \"fortnight\" not recognized for type timestamp with time zone",
            BindError("extract(fortnight FROM ts)").message());
  EXPECT_EQ(StatusCode::kInvalidArgument, BindError("extract(fortnight FROM ts)").code());
  EXPECT_EQ("unit \"fortnight\" not recognized for type timestamp with time zone",
            BindError("date_part('Fortnight', ts)").message());
  EXPECT_EQ(StatusCode::kUnimplemented, BindError("extract(julian FROM ts)").code());
  EXPECT_EQ(StatusCode::kUnimplemented, BindError("date_part(s, ts)").code());
  Status st = BindError("extract(hour FROM n)");
  EXPECT_EQ(StatusCode::kInvalidArgument, st.code());
  EXPECT_NE(std::string::npos, st.message().find("function extract(unknown, bigint) does not exist")) << st.message();
  EXPECT_EQ("extract(hour FROM ts)", Str("extract(hour FROM ts)"));
  EXPECT_EQ("extract(hour FROM ts)", Str("date_part('hour', ts)"));
  EXPECT_EQ("extract(epoch FROM ts)", Str("extract(epoch FROM ts)"));
  EXPECT_EQ("extract(minute FROM ts)", Str("extract(mins FROM ts)"));
}

TEST(ExprDateTest, NowAndCurrentTimestamp) {
  int64_t before = NowMicros();
  auto e = Bind("now()");
  int64_t after = NowMicros();
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(ExprKind::kLiteral, (*e)->kind);  // evaluated once, at bind time
  EXPECT_EQ(Type::kTimestamp, (*e)->type);
  EXPECT_GE((*e)->literal.as_int(), before);
  EXPECT_LE((*e)->literal.as_int(), after);
  // One instant per bind call.
  EXPECT_EQ("true", Ev("now() = current_timestamp"));
  EXPECT_EQ("true", Ev("now() = transaction_timestamp()"));
  {
    ScopedStatementTime pin(Ts("2024-01-08T10:30:05.6Z"));
    EXPECT_EQ("2024-01-08 10:30:05.6+00", Ev("now()"));
    EXPECT_EQ("2024-01-08 10:30:05.6+00", Ev("current_timestamp"));
    EXPECT_EQ("2024-01-08 10:30:05.6+00", Ev("localtimestamp"));
    EXPECT_EQ("2024-01-08 10:30:06+00", Ev("current_timestamp(0)"));
    EXPECT_EQ("2024-01-08 10:30:05.6+00", Ev("current_timestamp(1)"));
    EXPECT_EQ("2024-01-08 10:30:06+00", Ev("localtimestamp(0)"));
    EXPECT_EQ("2024-01-07 10:30:05.6+00", Ev("now() - interval '1 day'"));
    EXPECT_EQ(Str("ts > now() - interval '1 hour'"), Str("ts > now() - interval '1 hour'"));
    EXPECT_EQ("(ts > '2024-01-08T09:30:05.6Z')", Str("ts > now() - interval '1 hour'"));
    {
      ScopedStatementTime inner(0);
      EXPECT_EQ("1970-01-01 00:00:00+00", Ev("now()"));
    }
    EXPECT_EQ("2024-01-08 10:30:05.6+00", Ev("now()"));
  }
  EXPECT_EQ(StatusCode::kUnimplemented, BindError("current_time").code());  // current_date: date_test.cc
  EXPECT_EQ("function now takes no arguments", BindError("now(1)").message());
}

// Expected values: PostgreSQL 15 with TimeZone UTC (a wall-clock time printed with +00 here).
TEST(ExprDateTest, AtTimeZone) {
  EXPECT_EQ("2024-01-08 10:30:05.123456+00", Ev("ts AT TIME ZONE 'UTC'"));
  EXPECT_EQ("2024-01-08 11:30:05.123456+00", Ev("ts AT TIME ZONE 'Europe/Paris'"));
  EXPECT_EQ("2024-01-08 16:00:05.123456+00", Ev("ts AT TIME ZONE 'Asia/Kolkata'"));
  // Back: a wall-clock time to the instant; a round trip is the identity.
  EXPECT_EQ("2024-01-08 09:30:05.123456+00", Ev("CAST(ts AS timestamp) AT TIME ZONE 'Europe/Paris'"));
  EXPECT_EQ("true", Ev("(ts AT TIME ZONE 'America/New_York') AT TIME ZONE 'America/New_York' = ts"));
  // Before 1970 (sub-second parts floor) and across a DST change.
  EXPECT_EQ("1969-12-31 18:59:59.5+00", Ev("timestamptz '1969-12-31 23:59:59.5+00' AT TIME ZONE 'America/New_York'"));
  EXPECT_EQ("2024-11-03 06:30:00+00", Ev("timestamp '2024-11-03 01:30' AT TIME ZONE 'America/New_York'"));
  EXPECT_EQ("2024-03-10 07:30:00+00", Ev("timestamp '2024-03-10 02:30' AT TIME ZONE 'America/New_York'"));
  EXPECT_EQ(ErrorCode::kInvalidParameterValue, BindError("ts AT TIME ZONE 'Mars/Olympus'").error_code());
  EXPECT_EQ(StatusCode::kUnimplemented, BindError("ts AT TIME ZONE s").code());
}

TEST(ExprIntervalTest, Arithmetic) {
  EXPECT_EQ("2024-01-08 11:30:05.123456+00", Ev("ts + interval '1 hour'"));
  EXPECT_EQ("2024-01-08 09:00:05.123456+00", Ev("ts - interval '90 minutes'"));
  EXPECT_EQ("2024-01-09 10:30:05.123456+00", Ev("interval '1 day' + ts"));
  EXPECT_EQ("2024-01-09 12:30:05.123456+00", Ev("ts + interval '1 day 2 hours'"));
  EXPECT_EQ("2024-01-08 12:00:05.123456+00", Ev("ts + interval '01:30:00'"));
  EXPECT_EQ("2024-01-08 12:00:05.123456+00", Ev("ts + interval '1:30'"));
  EXPECT_EQ("2024-01-09 12:00:05.123456+00", Ev("ts + interval '1 day 01:30'"));
  EXPECT_EQ("2024-01-15 10:30:05.123456+00", Ev("ts + interval '1 week'"));
  EXPECT_EQ("2024-01-08 12:00:05.123456+00", Ev("ts + interval '1.5 hours'"));
  EXPECT_EQ("2024-01-08 11:30:05.123456+00", Ev("ts - interval '-1 hour'"));
  EXPECT_EQ("2024-01-08 10:30:05.623456+00", Ev("ts + interval '500 milliseconds'"));
  EXPECT_EQ("2024-01-08 10:30:05.123457+00", Ev("ts + interval '1 microsecond'"));
  EXPECT_EQ("2024-01-08 10:30:15.123456+00", Ev("ts + interval '10'"));  // seconds
  EXPECT_EQ("2024-01-08 08:30:05.123456+00", Ev("ts + interval '2 hours ago'"));
  EXPECT_EQ("2024-01-08 12:00:05.123456+00", Ev("ts + interval '90' minute"));
  EXPECT_EQ("2024-01-08 11:30:05.123456+00", Ev("ts + '1 hour'"));  // an unknown literal is an interval
  EXPECT_EQ("2024-01-08 10:30:05.123456+00", Ev("ts + interval '1 day -24 hours'"));
  EXPECT_EQ("NULL", Ev("tt::timestamptz + NULL"));
  EXPECT_EQ(Type::kTimestamp, TypeOf("ts + interval '1 hour'"));
  EXPECT_EQ("true", Ev("ts > ts - interval '1 second'"));
  EXPECT_EQ("RUNTIME ERROR: timestamp out of range",
            Ev("ts + interval '1000000000 hours' + interval '1000000000 hours' + interval '1000000000 hours'"));
}

TEST(ExprIntervalTest, Errors) {
  EXPECT_EQ("intervals with months or years are not supported", BindError("ts + interval '1 month'").message());
  EXPECT_EQ(StatusCode::kUnimplemented, BindError("ts + interval '1 month'").code());
  EXPECT_EQ("intervals with months or years are not supported", BindError("ts - interval '2 years'").message());
  EXPECT_EQ(StatusCode::kUnimplemented, BindError("ts + interval '1' year").code());
  Status st = BindError("interval '1 day'");
  EXPECT_EQ(StatusCode::kUnimplemented, st.code());
  EXPECT_EQ(0u, st.message().find("type interval is not supported")) << st.message();
  EXPECT_EQ(0u, BindError("ts * interval '1 day'").message().find("type interval is not supported"));
  EXPECT_EQ(StatusCode::kUnimplemented, BindError("interval '1 hour' + interval '1 hour'").code());
  EXPECT_EQ(StatusCode::kUnimplemented, BindError("s::interval").code());
  EXPECT_EQ("invalid input syntax for type interval: \"abc\"", BindError("ts + interval 'abc'").message());
  EXPECT_EQ("invalid input syntax for type interval: \"1 fortnight\"",
            BindError("ts + interval '1 fortnight'").message());
  EXPECT_EQ("invalid input syntax for type interval: \"\"", BindError("ts + interval ''").message());
  EXPECT_EQ("operator does not exist: bigint + interval", BindError("n + interval '1 hour'").message());
  EXPECT_EQ("operator does not exist: interval - timestamp with time zone",
            BindError("interval '1 hour' - ts").message());
}

TEST(ExprIntervalTest, ToString) {
  EXPECT_EQ("(ts + interval '01:00:00')", Str("ts + interval '1 hour'"));
  EXPECT_EQ("(ts + interval '01:00:00')", Str("interval '60 minutes' + ts"));
  EXPECT_EQ("(ts - interval '1 day 02:00:00')", Str("ts - interval '1 day 2 hours'"));
  EXPECT_EQ("00:00:00", FormatInterval(0));
  EXPECT_EQ("01:30:00", FormatInterval(90 * kMicrosPerMinute));
  EXPECT_EQ("1 day", FormatInterval(kMicrosPerDay));
  EXPECT_EQ("3 days", FormatInterval(3 * kMicrosPerDay));
  EXPECT_EQ("-3 days", FormatInterval(-3 * kMicrosPerDay));
  EXPECT_EQ("-01:00:00", FormatInterval(-kMicrosPerHour));
  EXPECT_EQ("00:00:00.5", FormatInterval(500000));
  EXPECT_EQ("1 day 02:00:00.000001", FormatInterval(kMicrosPerDay + 2 * kMicrosPerHour + 1));
}

// ---------------------------------------------------------------------------------------------

Scope JoinScope() {
  Scope scope;
  scope.columns = {{"id", Type::kInt64, "a"},
                   {"code", Type::kText, "a"},
                   {"id", Type::kInt64, "b"},
                   {"code", Type::kText, "b"},
                   {"name", Type::kText, "b"}};
  return scope;
}

TEST(ExprColumnsTest, QualifiedAndAmbiguous) {
  Scope scope = JoinScope();
  auto col = [&](const std::string& expr) {
    auto e = Bind(expr, scope);
    if (!e.ok()) return "ERROR: " + e.status().message();
    return std::to_string((*e)->column);
  };
  EXPECT_EQ("1", col("a.code"));
  EXPECT_EQ("3", col("b.code"));
  EXPECT_EQ("2", col("b.id"));
  EXPECT_EQ("4", col("name"));
  EXPECT_EQ("4", col("b.name"));
  EXPECT_EQ("3", col("public.b.code"));
  EXPECT_EQ("ERROR: column reference \"code\" is ambiguous", col("code"));
  EXPECT_EQ("ERROR: missing FROM-clause entry for table \"c\"", col("c.code"));
  EXPECT_EQ("ERROR: column a.name does not exist", col("a.name"));
  EXPECT_EQ("ERROR: column \"nope\" does not exist", col("nope"));
  EXPECT_EQ(StatusCode::kInvalidArgument, Bind("code", scope).status().code());
  EXPECT_EQ("column reference \"id\" is ambiguous", Bind("a.id = id", scope).status().message());
  EXPECT_TRUE(Bind("a.id = b.id AND a.code <> b.code", scope).ok());
  // Find keeps its meaning: the first column of that name.
  EXPECT_EQ(1, scope.Find("code"));
  EXPECT_EQ(-1, scope.Find("nope"));
  EXPECT_EQ(1, *scope.Resolve("a", "code"));
  EXPECT_EQ(3, *scope.Resolve("b", "code"));
  EXPECT_EQ(4, *scope.Resolve("", "name"));
}

TEST(ExprColumnsTest, QualifierIgnoredWithoutRelations) {
  Scope scope = TestScope();
  auto e = Bind("t.n", scope);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(kN, (*e)->column);
  e = Bind("whatever.n", scope);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(kN, (*e)->column);
  EXPECT_EQ("column \"nope\" does not exist in \"t\"", Bind("t.nope", scope).status().message());
  // Duplicate names in a scope without relations: the first, as before.
  scope.columns.push_back({"n", Type::kText});
  e = Bind("n", scope);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(kN, (*e)->column);
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------

TEST(ExprTreeTest, IsConstant) {
  EXPECT_TRUE(IsConstant(*MakeLiteral(Value::Int(1), Type::kInt64)));
  EXPECT_FALSE(IsConstant(*MakeColumn(0, "n", Type::kInt64)));
  EXPECT_TRUE(IsConstant(*MakeCompare(CompareOp::kEq, MakeLiteral(Value::Int(1), Type::kInt64),
                                      MakeLiteral(Value::Int(2), Type::kInt64))));
  EXPECT_TRUE(IsConstant(*MakeCast(MakeLiteral(Value::Int(1), Type::kInt64), Type::kText)));
  EXPECT_FALSE(IsConstant(*MakeCast(MakeColumn(0, "n", Type::kInt64), Type::kText)));
  for (const char* expr : {"n + 1", "CASE WHEN b THEN 1 END", "lower(s)", "coalesce(z, 'x')", "s LIKE 'a%'",
                           "extract(hour FROM ts)", "greatest(1, n)"}) {
    auto e = Bind(expr);
    ASSERT_TRUE(e.ok()) << expr;
    EXPECT_FALSE(IsConstant(**e)) << expr;
  }
  for (const char* expr : {"lower('ABC')", "1 + 2", "CASE WHEN true THEN 1 END", "now() - interval '1 day'",
                           "'a' LIKE 'a%'", "coalesce(NULL, 2)"}) {
    auto e = Bind(expr);
    ASSERT_TRUE(e.ok()) << expr;
    EXPECT_TRUE(IsConstant(**e)) << expr;
    EXPECT_EQ(ExprKind::kLiteral, (*e)->kind) << expr << " is folded";
  }
  EXPECT_EQ("'abc'", Str("lower('ABC')"));
  EXPECT_EQ("3", Str("1 + 2"));
}

TEST(ExprTreeTest, VisitColumnsCoversNewKinds) {
  auto cols = [](const std::string& expr) {
    auto e = Bind(expr);
    EXPECT_TRUE(e.ok()) << expr << ": " << e.status().ToString();
    std::set<int> out;
    if (e.ok()) VisitColumns(**e, [&](int c) { out.insert(c); });
    return out;
  };
  EXPECT_EQ((std::set<int>{kB, kN, kZn, kBig}), cols("CASE WHEN b THEN n ELSE coalesce(zn, big) END"));
  EXPECT_EQ((std::set<int>{kS, kN, kD}), cols("CASE s WHEN 'x' THEN n ELSE d END"));
  EXPECT_EQ((std::set<int>{kS, kU}), cols("s LIKE u"));
  EXPECT_EQ((std::set<int>{kTs}), cols("extract(hour FROM ts)"));
  EXPECT_EQ((std::set<int>{kS, kN}), cols("substr(s, n)"));
  EXPECT_EQ((std::set<int>{kD}), cols("CAST(d AS bigint)"));
  EXPECT_EQ((std::set<int>{kN, kBig}), cols("greatest(n, big)"));
  EXPECT_EQ((std::set<int>{kS, kU}), cols("nullif(s, u)"));
  EXPECT_EQ((std::set<int>{kTs}), cols("ts + interval '1 hour'"));
  EXPECT_EQ((std::set<int>{kS, kN}), cols("concat(s, 1, n)"));
}

TEST(ExprTreeTest, ToStringIsCanonicalAndDistinct) {
  const char* exprs[] = {
      "lower(s)", "upper(s)", "length(s)", "substr(s, 1, 2)", "substr(s, 1)", "concat(s, 'x')", "s || 'x'",
      "btrim(s)", "ltrim(s)", "rtrim(s)", "btrim(s, 'x')", "replace(s, 'a', 'b')", "strpos(s, 'a')",
      "abs(d)", "round(d)", "round(d, 1)", "trunc(d)", "floor(d)", "ceil(d)", "mod(n, 2)", "sqrt(d)",
      "power(d, 2)", "ln(d)", "log(d)", "exp(d)", "sign(d)", "to_timestamp(d)", "CAST(d AS bigint)",
      "CAST(d AS text)", "CAST(n AS boolean)", "s LIKE 'a%'", "s ILIKE 'a%'", "s NOT LIKE 'a%'",
      "s NOT ILIKE 'a%'", "s LIKE 'a%' ESCAPE '!'", "extract(hour FROM ts)", "extract(minute FROM ts)",
      "extract(epoch FROM ts)", "CASE WHEN b THEN 1 ELSE 2 END", "CASE WHEN b THEN 1 END",
      "CASE n WHEN 1 THEN 1 END", "coalesce(n, 1)", "nullif(n, 1)", "greatest(n, 1)", "least(n, 1)",
      "ts + interval '1 hour'", "ts - interval '1 hour'", "ts + interval '2 hours'", "date_trunc('hour', ts)",
  };
  std::set<std::string> texts;
  for (const char* expr : exprs) {
    std::string text = Str(expr);
    EXPECT_EQ(std::string::npos, text.find("ERROR")) << expr << ": " << text;
    EXPECT_TRUE(texts.insert(text).second) << expr << " prints like another expression: " << text;
    EXPECT_EQ(text, Str(expr)) << "binding twice gives the same text";
    // The text is SQL that binds back to the same expression.
    EXPECT_EQ(text, Str(text)) << expr;
  }
}

TEST(ExprTreeTest, DeepNestingOfNewConstructsWorks) {
  std::string lower = "s", cased = "n", coalesced = "zn";
  for (int i = 0; i < 200; i++) {
    lower = "lower(" + lower + ")";
    coalesced = "coalesce(" + coalesced + ", zn)";
  }
  for (int i = 0; i < 100; i++) cased = "CASE WHEN b THEN " + cased + " ELSE 0 END";  // 2 levels each
  EXPECT_EQ("us", Ev(lower));
  EXPECT_EQ("7", Ev(cased));
  EXPECT_EQ("NULL", Ev(coalesced));
}

// ---------------------------------------------------------------------------------------------

TEST(ExprTextTest, FormatFloat8) {
  EXPECT_EQ("0.1", FormatFloat8(0.1));
  EXPECT_EQ("1e+20", FormatFloat8(1e20));
  EXPECT_EQ("1e+15", FormatFloat8(1e15));
  EXPECT_EQ("100000000000000", FormatFloat8(1e14));
  EXPECT_EQ("123456789012345.6", FormatFloat8(123456789012345.6));
  EXPECT_EQ("0.0001", FormatFloat8(0.0001));
  EXPECT_EQ("1e-05", FormatFloat8(0.00001));
  EXPECT_EQ("1.5e-07", FormatFloat8(1.5e-7));
  EXPECT_EQ("-2.5", FormatFloat8(-2.5));
  EXPECT_EQ("0.3333333333333333", FormatFloat8(1.0 / 3));
  EXPECT_EQ("100", FormatFloat8(100));
  EXPECT_EQ("-0", FormatFloat8(-0.0));
  EXPECT_EQ("0", FormatFloat8(0.0));
  EXPECT_EQ("1.7976931348623157e+308", FormatFloat8(1.7976931348623157e308));
  EXPECT_EQ("5e-324", FormatFloat8(5e-324));
  EXPECT_EQ("NaN", FormatFloat8(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_EQ("Infinity", FormatFloat8(std::numeric_limits<double>::infinity()));
  EXPECT_EQ("-Infinity", FormatFloat8(-std::numeric_limits<double>::infinity()));
}

TEST(ExprTextTest, FormatTimestamptzAndPgText) {
  EXPECT_EQ("1970-01-01 00:00:00+00", FormatTimestamptz(0));
  EXPECT_EQ("1970-01-01 00:00:00.000001+00", FormatTimestamptz(1));
  EXPECT_EQ("1970-01-01 00:00:00.123+00", FormatTimestamptz(123000));
  EXPECT_EQ("1969-12-31 23:59:59.999999+00", FormatTimestamptz(-1));
  EXPECT_EQ("2024-01-02 03:04:05+00", FormatTimestamptz(Ts("2024-01-02T03:04:05Z")));
  EXPECT_EQ("0001-01-01 00:00:00+00 BC", FormatTimestamptz(DaysFromCivil(0, 1, 1) * kMicrosPerDay));
  EXPECT_EQ("true", PgText(Value::Bool(true), Type::kBool));
  EXPECT_EQ("-42", PgText(Value::Int(-42), Type::kInt64));
  EXPECT_EQ("1e+20", PgText(Value::Double(1e20), Type::kDouble));
  EXPECT_EQ("x", PgText(Value::Text("x"), Type::kText));
  EXPECT_EQ("", PgText(Value::Null(), Type::kText));
}

}  // namespace
}  // namespace laminar::sql
