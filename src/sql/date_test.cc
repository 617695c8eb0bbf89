// The date type (Type::kDate, days since 1970-01-01): literals and casts, arithmetic, comparisons
// with timestamptz, CURRENT_DATE, and the time functions over dates. Expected values are
// PostgreSQL 15's (psql, TimeZone UTC), except where a comment names a documented difference.
#include <gtest/gtest.h>

#include "common/time_util.h"
#include "sql/eval_test_util.h"

namespace laminar::sql {
namespace {

Scope TestScope() {
  Scope scope;
  scope.relation = "t";
  scope.columns = {{"ts", Type::kTimestamp}, {"n", Type::kInt64}, {"b", Type::kBool}, {"s", Type::kText}};
  return scope;
}

// ts 2024-01-08 10:30:05.123456+00, n 7, b true, s '2024-02-29'.
std::vector<Value> Row() {
  return {Value::Timestamp(*ParseTimestamp("2024-01-08T10:30:05.123456Z")), Value::Int(7), Value::Bool(true),
          Value::Text("2024-02-29")};
}

const ExprTester& Tester() {
  static const ExprTester tester(TestScope(), Row());
  return tester;
}
Result<ExprPtr> Bind(const std::string& expr) { return Tester().Bind(expr); }
std::string Ev(const std::string& expr) { return Tester().Ev(expr); }
Status Error(const std::string& expr) { return Tester().Error(expr); }
Type TypeOf(const std::string& expr) { return Tester().TypeOf(expr); }

TEST(DateTest, LiteralsAndCasts) {
  EXPECT_EQ("2024-01-08", Ev("ts::date"));
  EXPECT_EQ(Type::kDate, TypeOf("ts::date"));
  EXPECT_EQ("2024-01-07", Ev("(ts - interval '11 hours')::date"));
  EXPECT_EQ("2001-01-05", Ev("CAST('2001-01-05' AS date)"));
  EXPECT_EQ("2001-01-05", Ev("date '2001-01-05'"));
  EXPECT_EQ("2001-01-05", Ev("'2001-1-5'::date"));
  EXPECT_EQ("2001-01-05", Ev("'20010105'::date"));
  EXPECT_EQ("2001-01-05", Ev("'2001/01/05'::date"));
  EXPECT_EQ("2001-01-05", Ev("'2001.1.5'::date"));
  EXPECT_EQ("invalid input syntax for type date: \"2001-01/05\"", Error("'2001-01/05'::date").message());
  EXPECT_EQ("2001-01-05", Ev("'2001-01-05 10:00:00+05'::date"));  // the date as written
  EXPECT_EQ("0044-03-15 BC", Ev("'0044-03-15 BC'::date"));
  EXPECT_EQ("1970-01-01", Ev("'epoch'::date"));
  EXPECT_EQ("2024-02-29", Ev("s::date"));
  EXPECT_EQ("2001-01-05 00:00:00+00", Ev("date '2001-01-05'::timestamptz"));
  EXPECT_EQ("2001-01-05", Ev("date '2001-01-05'::text"));
  EXPECT_EQ("'2001-01-05'", (*Bind("date '2001-01-05'"))->ToString());
  EXPECT_EQ("CAST(ts AS date)", (*Bind("ts::date"))->ToString());
  Status st = Error("'2001-02-30'::date");
  EXPECT_EQ("date/time field value out of range: \"2001-02-30\"", st.message());
  EXPECT_EQ(ErrorCode::kDatetimeFieldOverflow, st.error_code());
  st = Error("'x'::date");
  EXPECT_EQ("invalid input syntax for type date: \"x\"", st.message());
  EXPECT_EQ(ErrorCode::kInvalidDatetimeFormat, st.error_code());
  EXPECT_EQ("date/time field value out of range: \"2001-13-01\"", Error("'2001-13-01'::date").message());
  EXPECT_EQ("invalid input syntax for type date: \"2001-01-05 10:00 junk\"", Error("'2001-01-05 10:00 junk'::date").message());
  EXPECT_EQ("cannot cast type date to bigint", Error("date '2001-01-05'::bigint").message());
  EXPECT_EQ("cannot cast type bigint to date", Error("n::date").message());
}

TEST(DateTest, Arithmetic) {
  EXPECT_EQ("2001-01-12", Ev("date '2001-01-05' + 7"));
  EXPECT_EQ("2001-01-12", Ev("7 + date '2001-01-05'"));
  EXPECT_EQ("2000-12-29", Ev("date '2001-01-05' - 7"));
  EXPECT_EQ("2024-01-15", Ev("ts::date + n"));
  EXPECT_EQ(Type::kDate, TypeOf("ts::date + n"));
  EXPECT_EQ("370", Ev("date '2001-01-05' - date '2000-01-01'"));
  EXPECT_EQ(Type::kInt64, TypeOf("date '2001-01-05' - date '2000-01-01'"));
  // date ± interval is a timestamptz here (PostgreSQL: timestamp without time zone).
  EXPECT_EQ("2001-01-05 01:00:00+00", Ev("date '2001-01-05' + interval '1 hour'"));
  EXPECT_EQ("2001-01-04 00:00:00+00", Ev("date '2001-01-05' - interval '1 day'"));
  EXPECT_EQ("operator does not exist: date * bigint", Error("date '2001-01-05' * 2").message());
  EXPECT_EQ("operator does not exist: date + date", Error("date '2001-01-05' + date '2001-01-05'").message());
  EXPECT_EQ("operator does not exist: date + double precision", Error("date '2001-01-05' + 1.5").message());
  EXPECT_EQ("operator does not exist: - date", Error("-date '2001-01-05'").message());
  Status st = Error("date '5874897-12-31' + 1");
  EXPECT_EQ("date out of range", st.message());
  EXPECT_EQ(ErrorCode::kDatetimeFieldOverflow, st.error_code());
}

TEST(DateTest, ComparisonsAndCommonTypes) {
  EXPECT_EQ("true", Ev("date '2001-01-05' < date '2001-01-06'"));
  EXPECT_EQ("true", Ev("date '2001-01-05' = '2001-01-05'"));
  EXPECT_EQ("true", Ev("date '2001-01-05' < ts"));  // the date as midnight UTC
  EXPECT_EQ("false", Ev("ts::date = ts"));
  EXPECT_EQ("true", Ev("date '2024-01-08' = ts::date"));
  EXPECT_EQ("true", Ev("ts::date BETWEEN '2024-01-01' AND '2024-01-31'"));
  EXPECT_EQ("true", Ev("ts::date IN ('2024-01-08', '2024-01-09')"));
  EXPECT_EQ("true", Ev("date '2001-01-05' IS DISTINCT FROM ts::date"));
  EXPECT_EQ("2001-01-05", Ev("COALESCE(NULL, date '2001-01-05')"));
  EXPECT_EQ(Type::kTimestamp, TypeOf("GREATEST(date '2001-01-05', ts)"));
  EXPECT_EQ("2024-01-08 10:30:05.123456+00", Ev("GREATEST(date '2001-01-05', ts)"));
  EXPECT_EQ("2001-01-05 00:00:00+00", Ev("CASE WHEN b THEN date '2001-01-05' ELSE ts END"));
  EXPECT_EQ("operator does not exist: date = bigint", Error("ts::date = n").message());
}

TEST(DateTest, CurrentDateAndTimeFunctions) {
  {
    ScopedStatementTime at(*ParseTimestamp("2024-05-17T23:59:59Z"));
    EXPECT_EQ("2024-05-17", Ev("CURRENT_DATE"));
    EXPECT_EQ(Type::kDate, TypeOf("CURRENT_DATE"));
    EXPECT_EQ("true", Ev("CURRENT_DATE = now()::date"));
  }
  EXPECT_EQ("2001", Ev("extract(year FROM date '2001-01-05')"));
  EXPECT_EQ("5", Ev("extract(dow FROM date '2001-01-05')"));
  EXPECT_EQ("978652800", Ev("extract(epoch FROM date '2001-01-05')"));
  Status st = Error("extract(hour FROM date '2001-01-05')");
  EXPECT_EQ("unit \"hour\" not supported for type date", st.message());
  EXPECT_EQ(ErrorCode::kFeatureNotSupported, st.error_code());
  EXPECT_EQ("0", Ev("date_part('hour', date '2001-01-05')"));
  EXPECT_EQ("2001-01-01 00:00:00+00", Ev("date_trunc('month', date '2001-01-05')"));
  EXPECT_EQ("2001-01-05 Friday   ", Ev("to_char(date '2001-01-05', 'YYYY-MM-DD Day')"));
  EXPECT_EQ("2001-01-04 12:00:00+00", Ev("date_bin('1 day', date '2001-01-05', timestamptz '2001-01-01 12:00+00')"));
}

}  // namespace
}  // namespace laminar::sql
