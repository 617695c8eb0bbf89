// Aggregate functions: expected values are PostgreSQL 15's (psql with extra_float_digits=1).
#include "function/aggregate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace laminar::function {
namespace {

using columnar::Vector;

Vector Col(Type t, const std::vector<Value>& values) {
  Vector v(t);
  for (const Value& x : values) v.Append(x);
  return v;
}

AggregateSpec Spec(const std::string& name, std::vector<Type> args, std::vector<AggregateOrder> order = {},
                   bool distinct = false) {
  AggregateSpec s;
  s.arg_types = std::move(args);
  s.order = std::move(order);
  s.distinct = distinct;
  Status st = ResolveAggregate(name, &s);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return s;
}

// Runs the aggregate over every row of `cols` through the column path.
Value RunColumns(const AggregateSpec& spec, const std::vector<Vector>& cols, size_t rows) {
  std::vector<const Vector*> args;
  for (const Vector& c : cols) args.push_back(&c);
  Accumulator acc;
  acc.UpdateRows(spec, args.data(), nullptr, rows);
  Result<Value> r = acc.Finalize(spec);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Value::Null();
}

// The same through the Value path.
Value RunValues(const AggregateSpec& spec, const std::vector<Vector>& cols, size_t rows) {
  Accumulator acc;
  for (size_t r = 0; r < rows; r++) {
    std::vector<Value> in;
    for (const Vector& c : cols) in.push_back(c.Get(r));
    acc.AddRow(spec, in.data());
  }
  Result<Value> r = acc.Finalize(spec);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Value::Null();
}

Value Agg(const AggregateSpec& spec, const std::vector<Vector>& cols) {
  size_t rows = cols.empty() ? 0 : cols[0].size();
  Value a = RunColumns(spec, cols, rows), b = RunValues(spec, cols, rows);
  EXPECT_EQ(a.is_null(), b.is_null());
  if (!a.is_null() && !b.is_null()) {
    if (a.type() == Type::kDouble && std::isnan(a.as_double())) EXPECT_TRUE(std::isnan(b.as_double()));
    else EXPECT_EQ(a, b) << a.ToString() << " vs " << b.ToString();
  }
  return a;
}

const Value N = Value::Null();
Value D(double d) { return Value::Double(d); }
Value I(int64_t i) { return Value::Int(i); }
Value T(const char* s) { return Value::Text(s); }

TEST(ResolveAggregateTest, KindsTypesAndErrors) {
  AggregateSpec s = Spec("count", {});
  EXPECT_EQ(s.kind, AggregateKind::kCountStar);
  EXPECT_EQ(Spec("count", {Type::kText}).kind, AggregateKind::kCount);
  EXPECT_EQ(Spec("every", {Type::kBool}).kind, AggregateKind::kBoolAnd);
  EXPECT_EQ(Spec("string_agg", {Type::kText, Type::kText}).output_type, Type::kText);
  EXPECT_EQ(Spec("array_agg", {Type::kTimestamp}).output_type, Type::kText);
  EXPECT_EQ(Spec("corr", {Type::kInt64, Type::kDouble}).output_type, Type::kDouble);
  EXPECT_EQ(Spec("regr_count", {Type::kDouble, Type::kDouble}).output_type, Type::kInt64);
  EXPECT_EQ(Spec("sum", {Type::kInt64}).output_type, Type::kInt64);
  EXPECT_EQ(Spec("min", {Type::kText}).output_type, Type::kText);
  EXPECT_EQ(NumInputs(Spec("string_agg", {Type::kText, Type::kText}, {{true, true}})), 3u);

  auto error = [](const std::string& name, std::vector<Type> args) {
    AggregateSpec s;
    s.arg_types = std::move(args);
    return ResolveAggregate(name, &s);
  };
  EXPECT_EQ(error("string_agg", {Type::kInt64, Type::kText}).message(), "function string_agg(bigint, text) does not exist");
  EXPECT_EQ(error("corr", {Type::kText, Type::kDouble}).message(), "function corr(text, double precision) does not exist");
  EXPECT_EQ(error("corr", {Type::kDouble}).message(), "function corr(double precision) does not exist");
  EXPECT_EQ(error("sum", {Type::kText}).message(), "function sum(text) does not exist");
  EXPECT_EQ(error("every", {Type::kInt64}).message(), "function every(bigint) does not exist");
  EXPECT_EQ(error("sum", {}).message(), "function sum() does not exist");
  EXPECT_EQ(error("median", {Type::kInt64}).code(), StatusCode::kUnimplemented);
  EXPECT_STREQ(AggregateName(AggregateKind::kRegrIntercept), "regr_intercept");
}

TEST(AggregateTest, CountStarAndCount) {
  Vector x = Col(Type::kInt64, {I(1), N, I(3)});
  EXPECT_EQ(Agg(Spec("count", {}), {x}), I(3));  // count(*) reads no column: rows from the first
  EXPECT_EQ(Agg(Spec("count", {Type::kInt64}), {x}), I(2));
  Accumulator empty;
  EXPECT_EQ(*empty.Finalize(Spec("count", {})), I(0));
}

// SELECT corr(y,x), covar_pop(y,x), covar_samp(y,x), regr_slope(y,x), regr_intercept(y,x),
// regr_count(y,x) FROM (VALUES (1.0,2.0),(2,4.5),(3,5.0),(NULL,7),(4,NULL),(10,1.25),(-3,0.1)) t(y,x)
TEST(AggregateTest, RegressionFamilyMatchesPostgres) {
  std::vector<Vector> cols = {Col(Type::kDouble, {D(1), D(2), D(3), N, D(4), D(10), D(-3)}),
                              Col(Type::kDouble, {D(2), D(4.5), D(5), D(7), N, D(1.25), D(0.1)})};
  auto run = [&](const char* name) { return Agg(Spec(name, {Type::kDouble, Type::kDouble}), cols); };
  EXPECT_DOUBLE_EQ(run("corr").as_double(), 0.1202174426212391);
  EXPECT_DOUBLE_EQ(run("covar_pop").as_double(), 0.9580000000000005);
  EXPECT_DOUBLE_EQ(run("covar_samp").as_double(), 1.1975000000000007);
  EXPECT_DOUBLE_EQ(run("regr_slope").as_double(), 0.2691313630745029);
  EXPECT_DOUBLE_EQ(run("regr_intercept").as_double(), 1.9083323968985275);
  EXPECT_EQ(run("regr_count"), I(5));
}

TEST(AggregateTest, RegressionOverBigintArguments) {
  std::vector<Vector> cols = {Col(Type::kInt64, {I(1), I(2), I(3), I(5)}), Col(Type::kInt64, {I(1), I(2), I(3), I(4)})};
  // corr(y, x) over (1,1),(2,2),(3,3),(5,4): PostgreSQL gives 0.9827076298239908.
  EXPECT_DOUBLE_EQ(Agg(Spec("corr", {Type::kInt64, Type::kInt64}), cols).as_double(), 0.9827076298239908);
  EXPECT_DOUBLE_EQ(Agg(Spec("regr_slope", {Type::kInt64, Type::kInt64}), cols).as_double(), 1.3);
  EXPECT_DOUBLE_EQ(Agg(Spec("regr_intercept", {Type::kInt64, Type::kInt64}), cols).as_double(), -0.5);
}

TEST(AggregateTest, RegressionEdgeCases) {
  auto run = [](const char* name, std::vector<Value> y, std::vector<Value> x) {
    return Agg(Spec(name, {Type::kDouble, Type::kDouble}), {Col(Type::kDouble, y), Col(Type::kDouble, x)});
  };
  // No rows: NULL, regr_count 0.
  EXPECT_TRUE(run("corr", {}, {}).is_null());
  EXPECT_TRUE(run("covar_pop", {}, {}).is_null());
  EXPECT_EQ(run("regr_count", {}, {}), I(0));
  // A row with a NULL argument does not count.
  EXPECT_EQ(run("regr_count", {D(1)}, {N}), I(0));
  EXPECT_TRUE(run("covar_pop", {D(1)}, {N}).is_null());
  // One row: covar_pop 0, covar_samp NULL, corr/slope/intercept NULL (zero variance).
  EXPECT_EQ(run("covar_pop", {D(1)}, {D(2)}), D(0));
  EXPECT_TRUE(run("covar_samp", {D(1)}, {D(2)}).is_null());
  EXPECT_TRUE(run("corr", {D(1)}, {D(2)}).is_null());
  EXPECT_TRUE(run("regr_slope", {D(1)}, {D(2)}).is_null());
  // Vertical line (x constant): slope and intercept NULL; horizontal (y constant): corr NULL,
  // slope 0, intercept y.
  EXPECT_TRUE(run("regr_slope", {D(1), D(3)}, {D(2), D(2)}).is_null());
  EXPECT_TRUE(run("corr", {D(1), D(3)}, {D(2), D(2)}).is_null());
  EXPECT_TRUE(run("corr", {D(1), D(1)}, {D(2), D(3)}).is_null());
  EXPECT_EQ(run("regr_slope", {D(1), D(1)}, {D(2), D(3)}), D(0));
  EXPECT_EQ(run("regr_intercept", {D(1), D(1)}, {D(2), D(3)}), D(1));
  // NaN and infinities make the sums NaN.
  double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(std::isnan(run("corr", {D(nan), D(1)}, {D(2), D(3)}).as_double()));
  EXPECT_TRUE(std::isnan(run("covar_pop", {D(nan), D(1)}, {D(2), D(3)}).as_double()));
  EXPECT_TRUE(std::isnan(run("regr_slope", {D(inf), D(1)}, {D(2), D(3)}).as_double()));
  // Finite inputs whose sums overflow: PostgreSQL's error.
  AggregateSpec spec = Spec("covar_pop", {Type::kDouble, Type::kDouble});
  Accumulator acc;
  Value big[2] = {D(1e300), D(1e300)}, small[2] = {D(-1e300), D(-1e300)};
  acc.AddRow(spec, big);
  acc.AddRow(spec, small);
  Result<Value> r = acc.Finalize(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "value out of range: overflow");
}

TEST(AggregateTest, StringAggDelimiterPerRow) {
  // string_agg(x, d) FROM (VALUES ('a', ','), ('b', '-'), (NULL, '+'), ('c', NULL), ('d', ';')):
  // a-bc;d (the first value's delimiter is dropped; a NULL delimiter adds nothing).
  std::vector<Vector> cols = {Col(Type::kText, {T("a"), T("b"), N, T("c"), T("d")}),
                              Col(Type::kText, {T(","), T("-"), T("+"), N, T(";")})};
  EXPECT_EQ(Agg(Spec("string_agg", {Type::kText, Type::kText}), cols), T("a-bc;d"));
  EXPECT_TRUE(Agg(Spec("string_agg", {Type::kText, Type::kText}), {Col(Type::kText, {N}), Col(Type::kText, {T(",")})}).is_null());
  EXPECT_TRUE(Agg(Spec("string_agg", {Type::kText, Type::kText}), {Col(Type::kText, {}), Col(Type::kText, {})}).is_null());
}

TEST(AggregateTest, StringAggOrderByAndDistinct) {
  // string_agg(x, ',' ORDER BY y DESC) over ('a',1),('b',3),('c',2),('d',NULL): d,b,c,a.
  std::vector<Vector> cols = {Col(Type::kText, {T("a"), T("b"), T("c"), T("d")}), Col(Type::kText, {T(","), T(","), T(","), T(",")}),
                              Col(Type::kInt64, {I(1), I(3), I(2), N})};
  EXPECT_EQ(Agg(Spec("string_agg", {Type::kText, Type::kText}, {{true, true}}), cols), T("d,b,c,a"));
  EXPECT_EQ(Agg(Spec("string_agg", {Type::kText, Type::kText}, {{true, false}}), cols), T("b,c,a,d"));
  EXPECT_EQ(Agg(Spec("string_agg", {Type::kText, Type::kText}, {{false, false}}), cols), T("a,c,b,d"));
  // DISTINCT without ORDER BY: ascending (PostgreSQL sorts to remove duplicates): a,b,c.
  std::vector<Vector> dup = {Col(Type::kText, {T("b"), T("a"), T("b"), N, T("c")}), Col(Type::kText, {T(","), T(","), T(","), T(","), T(",")})};
  EXPECT_EQ(Agg(Spec("string_agg", {Type::kText, Type::kText}, {}, true), dup), T("a,b,c"));
  // string_agg(DISTINCT x, ',' ORDER BY x DESC): c,b,a.
  std::vector<Vector> dup_ordered = {dup[0], dup[1], dup[0]};
  EXPECT_EQ(Agg(Spec("string_agg", {Type::kText, Type::kText}, {{true, true}}, true), dup_ordered), T("c,b,a"));
}

TEST(AggregateTest, ArrayAggQuotesAsPostgres) {
  std::vector<Vector> cols = {Col(Type::kText, {T("a"), N, T(""), T("NULL"), T("null"), T("a b"), T("q\"uote"), T("back\\slash"),
                                                T("{x}"), T("c,d"), T("tab\tx")})};
  EXPECT_EQ(Agg(Spec("array_agg", {Type::kText}), cols),
            T("{a,NULL,\"\",\"NULL\",\"null\",\"a b\",\"q\\\"uote\",\"back\\\\slash\",\"{x}\",\"c,d\",\"tab\tx\"}"));
  EXPECT_EQ(Agg(Spec("array_agg", {Type::kBool}), {Col(Type::kBool, {Value::Bool(true), Value::Bool(false), N})}), T("{t,f,NULL}"));
  double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(Agg(Spec("array_agg", {Type::kDouble}), {Col(Type::kDouble, {D(1.5), D(nan), D(inf), D(1e20), D(0.1), D(-0.0)})}),
            T("{1.5,NaN,Infinity,1e+20,0.1,-0}"));
  int64_t t = 1704164645LL * 1000000;  // 2024-01-02 03:04:05+00
  EXPECT_EQ(Agg(Spec("array_agg", {Type::kTimestamp}), {Col(Type::kTimestamp, {Value::Timestamp(t), Value::Timestamp(t + 500000)})}),
            T("{\"2024-01-02 03:04:05+00\",\"2024-01-02 03:04:05.5+00\"}"));
  EXPECT_TRUE(Agg(Spec("array_agg", {Type::kInt64}), {Col(Type::kInt64, {})}).is_null());
  EXPECT_EQ(Agg(Spec("array_agg", {Type::kInt64}), {Col(Type::kInt64, {N})}), T("{NULL}"));
}

TEST(AggregateTest, ArrayAggOrderByAndDistinct) {
  Vector x = Col(Type::kInt64, {I(1), N, I(3), I(2)});
  // array_agg(x ORDER BY x DESC NULLS LAST): {3,2,1,NULL}
  EXPECT_EQ(Agg(Spec("array_agg", {Type::kInt64}, {{true, false}}), {x, x}), T("{3,2,1,NULL}"));
  // array_agg(DISTINCT x) over 1,NULL,3,2,NULL,3: {1,2,3,NULL}
  EXPECT_EQ(Agg(Spec("array_agg", {Type::kInt64}, {}, true), {Col(Type::kInt64, {I(1), N, I(3), I(2), N, I(3)})}), T("{1,2,3,NULL}"));
  // array_agg(x ORDER BY y, x DESC) over (1,'a'),(2,'a'),(3,'b'),(4,NULL): {2,1,3,4}
  Vector xs = Col(Type::kInt64, {I(1), I(2), I(3), I(4)});
  Vector ys = Col(Type::kText, {T("a"), T("a"), T("b"), N});
  EXPECT_EQ(Agg(Spec("array_agg", {Type::kInt64}, {{false, false}, {true, true}}), {xs, ys, xs}), T("{2,1,3,4}"));
  // Ties keep input order (stable).
  EXPECT_EQ(Agg(Spec("array_agg", {Type::kInt64}, {{false, false}}), {xs, ys}), T("{1,2,3,4}"));
}

TEST(AggregateTest, EveryIsBoolAnd) {
  Vector b = Col(Type::kBool, {Value::Bool(true), N, Value::Bool(false)});
  EXPECT_EQ(Agg(Spec("every", {Type::kBool}), {b}), Value::Bool(false));
  EXPECT_EQ(Agg(Spec("bool_or", {Type::kBool}), {b}), Value::Bool(true));
  EXPECT_TRUE(Agg(Spec("every", {Type::kBool}), {Col(Type::kBool, {N})}).is_null());
}

TEST(AggregateTest, BigintSumOutOfRangeIsAnError) {
  AggregateSpec spec = Spec("sum", {Type::kInt64});
  Vector x = Col(Type::kInt64, {I(std::numeric_limits<int64_t>::max()), I(1)});
  const Vector* args[] = {&x};
  Accumulator acc;
  acc.UpdateRows(spec, args, nullptr, 2);
  Result<Value> r = acc.Finalize(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "bigint out of range (sum)");
  // Back in range: fine (the sum is exact in 128 bits).
  Vector y = Col(Type::kInt64, {I(-5)});
  const Vector* args2[] = {&y};
  acc.Update(spec, args2, 0);
  EXPECT_EQ(*acc.Finalize(spec), I(std::numeric_limits<int64_t>::max() - 4));
}

// The column path and the Value path agree for the kinds with a column fast path, over random
// data with NULLs, NaN and -0.0.
TEST(AggregateTest, ColumnPathMatchesValuePath) {
  std::mt19937_64 rng(7);
  std::vector<Value> ints, doubles, texts, bools;
  for (int i = 0; i < 500; i++) {
    bool null = rng() % 7 == 0;
    ints.push_back(null ? N : I(int64_t(rng() % 1000) - 500));
    double d = double(int64_t(rng() % 2000) - 1000) / 8;
    if (rng() % 50 == 0) d = std::numeric_limits<double>::quiet_NaN();
    if (rng() % 50 == 0) d = -0.0;
    doubles.push_back(rng() % 9 == 0 ? N : D(d));
    texts.push_back(null ? N : T(std::to_string(rng() % 100).c_str()));
    bools.push_back(rng() % 5 == 0 ? N : Value::Bool(rng() % 3 != 0));
  }
  Vector vi = Col(Type::kInt64, ints), vd = Col(Type::kDouble, doubles), vt = Col(Type::kText, texts), vb = Col(Type::kBool, bools);
  for (const char* fn : {"count", "sum", "avg", "min", "max", "stddev", "var_pop", "stddev_pop", "variance"}) {
    Agg(Spec(fn, {Type::kInt64}), {vi});
    Agg(Spec(fn, {Type::kDouble}), {vd});
    Agg(Spec(fn, {Type::kInt64}, {}, true), {vi});
  }
  for (const char* fn : {"min", "max", "count", "array_agg"}) Agg(Spec(fn, {Type::kText}), {vt});
  for (const char* fn : {"bool_and", "bool_or"}) Agg(Spec(fn, {Type::kBool}), {vb});
  for (const char* fn : {"corr", "covar_samp", "regr_slope", "regr_intercept", "regr_count"})
    Agg(Spec(fn, {Type::kDouble, Type::kInt64}), {vd, vi});
  Agg(Spec("string_agg", {Type::kText, Type::kText}), {vt, vt});
  EXPECT_EQ(Agg(Spec("count", {Type::kDouble}, {}, true), {Col(Type::kDouble, {D(0.0), D(-0.0), D(std::nan("")), D(-std::nan(""))})}),
            I(2));
}

// A window finalizes, adds more rows and finalizes again.
TEST(AggregateTest, FinalizeTwice) {
  AggregateSpec spec = Spec("string_agg", {Type::kText, Type::kText}, {{false, false}});
  Vector x = Col(Type::kText, {T("b"), T("a")}), d = Col(Type::kText, {T(","), T(",")});
  const Vector* args[] = {&x, &d, &x};
  Accumulator acc;
  acc.Update(spec, args, 0);
  EXPECT_EQ(*acc.Finalize(spec), T("b"));
  acc.Update(spec, args, 1);
  EXPECT_EQ(*acc.Finalize(spec), T("a,b"));
}

}  // namespace
}  // namespace laminar::function
