// ProjectSet: set-returning functions in lockstep (the longest list decides the row count; a
// shorter one gives NULL past its end; NULL or empty arrays give no value).
#include "execution/project_set.h"

#include <gtest/gtest.h>

#include "execution/operator_test_source.h"

namespace laminar::execution {
namespace {

using test_util::Execute;
using test_util::TestSource;

sql::ExprPtr Col(int i, Type t) { return sql::MakeColumn(i, "c", t); }
sql::ExprPtr Int(int64_t v) { return sql::MakeLiteral(Value::Int(v), Type::kInt64); }

TEST(ProjectSetTest, FunctionsRunInLockstep) {
  auto input = std::make_unique<TestSource>(std::vector<Type>{Type::kText, Type::kText},
                                            std::vector<std::vector<Value>>{{Value::Text("p"), Value::Text("{a,b,c}")},
                                                                            {Value::Text("q"), Value::Text("{}")},
                                                                            {Value::Text("r"), Value::Null()},
                                                                            {Value::Text("s"), Value::Text("{x,NULL}")}});
  std::vector<SetFunctionCall> calls(3);
  calls[0].func = SetFunction::kUnnest;
  calls[0].args = {Col(1, Type::kText)};
  calls[1].func = SetFunction::kGenerateSubscripts;
  calls[1].args = {Col(1, Type::kText), Int(1)};
  calls[2].func = SetFunction::kGenerateSeries;
  calls[2].args = {Int(10), Int(11)};
  ProjectSet ps(std::move(input), std::move(calls));
  auto rows = Execute(ps);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((std::vector<std::string>{"p|{a,b,c}|a|1|10", "p|{a,b,c}|b|2|11", "p|{a,b,c}|c|3|NULL", "q|{}|NULL|NULL|10",
                                      "q|{}|NULL|NULL|11", "r|NULL|NULL|NULL|10", "r|NULL|NULL|NULL|11",
                                      "s|{x,NULL}|NULL|2|11", "s|{x,NULL}|x|1|10"}),
            *rows);
}

TEST(ProjectSetTest, BadInputIsAnError) {
  auto input = std::make_unique<TestSource>(std::vector<Type>{Type::kText},
                                            std::vector<std::vector<Value>>{{Value::Text("{a")}});
  std::vector<SetFunctionCall> calls(1);
  calls[0].func = SetFunction::kUnnest;
  calls[0].args = {Col(0, Type::kText)};
  ProjectSet ps(std::move(input), std::move(calls));
  EXPECT_EQ(ErrorCode::kInvalidTextRepresentation, Execute(ps).status().error_code());

  auto one = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64}, std::vector<std::vector<Value>>{{Value::Int(1)}});
  std::vector<SetFunctionCall> series(1);
  series[0].func = SetFunction::kGenerateSeries;
  series[0].args = {Int(1), Int(3), Int(0)};
  ProjectSet zero(std::move(one), std::move(series));
  EXPECT_EQ(ErrorCode::kInvalidParameterValue, Execute(zero).status().error_code());
}

}  // namespace
}  // namespace laminar::execution
