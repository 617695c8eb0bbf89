// Arrays as text (sql/array.h, expr.h "Arrays"): the text form, ANY/ALL, ARRAY[...], subscripts,
// casts and the array functions. Expected values are PostgreSQL 15's (psql), except where a
// comment names a documented difference.
#include <gtest/gtest.h>

#include "sql/array.h"
#include "sql/eval_test_util.h"

namespace laminar::sql {
namespace {

Scope TestScope() {
  Scope scope;
  scope.relation = "t";
  scope.columns = {{"n", Type::kInt64}, {"s", Type::kText}, {"arr", Type::kText}, {"nul", Type::kText}};
  return scope;
}

const ExprTester& Tester() {
  static const ExprTester tester(TestScope(), {Value::Int(2), Value::Text("m"), Value::Text("{1,2,NULL}"), Value::Null()});
  return tester;
}
std::string Ev(const std::string& expr) { return Tester().Ev(expr); }
Status Error(const std::string& expr) { return Tester().Error(expr); }

TEST(ArrayTest, TextForm) {
  auto a = ParseArray(" { a , \"b c\" ,NULL, \"NULL\", \"x\\\"y\" } ");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(5u, a->size());
  EXPECT_EQ("a", *(*a)[0]);
  EXPECT_EQ("b c", *(*a)[1]);
  EXPECT_FALSE((*a)[2].has_value());
  EXPECT_EQ("NULL", *(*a)[3]);
  EXPECT_EQ("x\"y", *(*a)[4]);
  EXPECT_EQ("{a,\"b c\",NULL,\"NULL\",\"x\\\"y\"}", FormatArray(*a));
  EXPECT_EQ("{}", FormatArray({}));
  EXPECT_EQ(ErrorCode::kInvalidTextRepresentation, ParseArray("{a,}").status().error_code());
  EXPECT_EQ(ErrorCode::kInvalidTextRepresentation, ParseArray("a,b").status().error_code());
  EXPECT_EQ(StatusCode::kUnimplemented, ParseArray("{{1},{2}}").status().code());
}

// SELECT row(1, 'a b', NULL, 'x"y', '', 'p\q')::text in PostgreSQL 15: (1,"a b",,"x""y","","p\\q")
TEST(ArrayTest, RecordTextForm) {
  ArrayElems fields = {"1", "a b", std::nullopt, "x\"y", "", "p\\q"};
  std::string text = FormatRecord(fields);
  EXPECT_EQ("(1,\"a b\",,\"x\"\"y\",\"\",\"p\\\\q\")", text);
  auto back = ParseRecord(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(fields, *back);
  auto trailing = ParseRecord("(1,)");
  ASSERT_TRUE(trailing.ok());
  ASSERT_EQ(2u, trailing->size());
  EXPECT_FALSE((*trailing)[1].has_value());
  EXPECT_EQ(ErrorCode::kInvalidTextRepresentation, ParseRecord("1,2").status().error_code());
  EXPECT_EQ(ErrorCode::kInvalidTextRepresentation, ParseRecord("(\"a)").status().error_code());
}

TEST(ArrayTest, AnyAll) {
  EXPECT_EQ("true", Ev("s = ANY('{r,m}')"));
  EXPECT_EQ("false", Ev("s = ANY('{r,v}')"));
  EXPECT_EQ("true", Ev("s = ANY(ARRAY['r','m'])"));
  EXPECT_EQ("true", Ev("n = ANY(arr)"));
  EXPECT_EQ("NULL", Ev("5 = ANY(arr)"));  // no match and a NULL element
  EXPECT_EQ("true", Ev("n = ANY('{1,2}'::int[])"));
  EXPECT_EQ("false", Ev("n = ANY('{}')"));
  EXPECT_EQ("true", Ev("n <> ALL('{}')"));
  EXPECT_EQ("true", Ev("n > ALL('{0,1}')"));
  EXPECT_EQ("false", Ev("n > ALL(arr)"));
  EXPECT_EQ("NULL", Ev("n >= ALL(arr)"));
  EXPECT_EQ("true", Ev("'zz' <> ALL('{a,b}'::text[])"));
  EXPECT_EQ("NULL", Ev("nul = ANY('{a}')"));
  EXPECT_EQ("NULL", Ev("s = ANY(nul)"));
  EXPECT_EQ(ErrorCode::kInvalidTextRepresentation, Error("n = ANY('{1,x}')").error_code());
  EXPECT_EQ(ErrorCode::kInvalidTextRepresentation, Error("n = ANY('{1,x}' || s)").error_code());
  EXPECT_EQ(StatusCode::kUnimplemented, Error("s ~ ANY('{a}')").code());
  EXPECT_EQ(ErrorCode::kDatatypeMismatch, Error("s = ANY(n)").error_code());
}

TEST(ArrayTest, ConstructorSubscriptsAndFunctions) {
  EXPECT_EQ("{1,\"a b\",NULL,true}", Ev("ARRAY[1::text, 'a b', NULL, true::text]"));
  EXPECT_EQ("{2,3}", Ev("ARRAY[n, n + 1]"));
  EXPECT_EQ("2", Ev("arr[2]"));
  EXPECT_EQ("NULL", Ev("arr[3]"));
  EXPECT_EQ("NULL", Ev("arr[0]"));
  EXPECT_EQ("public", Ev("('{public,x}'::text[])[1]"));
  EXPECT_EQ("true", Ev("n = arr[2]"));  // the element compares as bigint
  EXPECT_EQ("3", Ev("array_upper(arr, 1)"));
  EXPECT_EQ("1", Ev("array_lower(arr, 1)"));
  EXPECT_EQ("NULL", Ev("array_upper('{}', 1)"));
  EXPECT_EQ("NULL", Ev("array_upper(arr, 2)"));
  EXPECT_EQ("3", Ev("array_length(arr, 1)"));
  EXPECT_EQ("3", Ev("cardinality(arr)"));
  EXPECT_EQ("0", Ev("cardinality('{}')"));
  EXPECT_EQ("1,2", Ev("array_to_string(arr, ',')"));
  EXPECT_EQ("1,2,*", Ev("array_to_string(arr, ',', '*')"));
  EXPECT_EQ("{a,b,\"\"}", Ev("string_to_array('a,b,', ',')"));
  EXPECT_EQ("{a,NULL}", Ev("string_to_array('a,x', ',', 'x')"));
  EXPECT_EQ("{1,2}", Ev("'{ 1 , 2 }'::int2[]"));
  EXPECT_EQ("{1,2}", Ev("'{1, 02}'::bigint[]"));
  EXPECT_EQ(ErrorCode::kInvalidTextRepresentation, Error("'{1,x}'::int[]").error_code());
  EXPECT_EQ("{t,f}", Ev("'{true,no}'::bool[]"));
}

}  // namespace
}  // namespace laminar::sql
