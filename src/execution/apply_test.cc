// Apply: the subquery's answer appended per input row, planned once per distinct combination of
// the parameters (cached), NULL for no row, 21000 for several rows; LATERAL: the row once per
// subquery row (LEFT: with NULLs when there is none).
#include "execution/apply.h"

#include <gtest/gtest.h>

#include "execution/operator_test_source.h"
#include "execution/values.h"

namespace laminar::execution {
namespace {

using test_util::Execute;
using test_util::TestSource;

TEST(ApplyTest, AnswersPerRowAndPlansOncePerDistinctParameters) {
  int plans = 0;
  // The "subquery": the parameter times ten, no row for 0, two rows for 9.
  Apply::PlanFn plan = [&plans](const std::vector<Value>& p) -> Result<PhysicalOperatorPtr> {
    plans++;
    std::vector<std::vector<Value>> rows;
    if (!p[0].is_null() && p[0].as_int() != 0) rows.push_back({Value::Int(p[0].as_int() * 10)});
    if (!p[0].is_null() && p[0].as_int() == 9) rows.push_back({Value::Int(1)});
    return PhysicalOperatorPtr(std::make_unique<ValuesSource>(std::vector<Type>{Type::kInt64}, std::move(rows)));
  };
  auto input = std::make_unique<TestSource>(std::vector<Type>{Type::kText, Type::kInt64},
                                            std::vector<std::vector<Value>>{{Value::Text("a"), Value::Int(1)},
                                                                            {Value::Text("b"), Value::Int(2)},
                                                                            {Value::Text("c"), Value::Int(1)},
                                                                            {Value::Text("d"), Value::Int(0)},
                                                                            {Value::Text("e"), Value::Null()}});
  Apply apply(std::move(input), {1}, plan, {Type::kInt64}, ApplyMode::kScalar, "subquery");
  auto rows = Execute(apply);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((std::vector<std::string>{"a|1|10", "b|2|20", "c|1|10", "d|0|NULL", "e|NULL|NULL"}), *rows);
  EXPECT_EQ(4, plans);  // 1, 2, 0 and NULL: the second 1 is answered from the cache
}

TEST(ApplyTest, LateralRepeatsTheRowPerSubqueryRow) {
  // The "subquery": rows 1..p of (i, p * i).
  Apply::PlanFn plan = [](const std::vector<Value>& p) -> Result<PhysicalOperatorPtr> {
    std::vector<std::vector<Value>> rows;
    for (int64_t i = 1; !p[0].is_null() && i <= p[0].as_int(); i++) rows.push_back({Value::Int(i), Value::Int(p[0].as_int() * i)});
    return PhysicalOperatorPtr(std::make_unique<ValuesSource>(std::vector<Type>{Type::kInt64, Type::kInt64}, std::move(rows)));
  };
  auto input = [] {
    return std::make_unique<TestSource>(std::vector<Type>{Type::kText, Type::kInt64},
                                        std::vector<std::vector<Value>>{{Value::Text("a"), Value::Int(2)},
                                                                        {Value::Text("b"), Value::Int(0)},
                                                                        {Value::Text("c"), Value::Int(1)}});
  };
  Apply inner(input(), {1}, plan, {Type::kInt64, Type::kInt64}, ApplyMode::kLateral, "lateral");
  auto rows = Execute(inner);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((std::vector<std::string>{"a|2|1|2", "a|2|2|4", "c|1|1|1"}), *rows);
  Apply left(input(), {1}, plan, {Type::kInt64, Type::kInt64}, ApplyMode::kLeftLateral, "lateral");
  rows = Execute(left);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((std::vector<std::string>{"a|2|1|2", "a|2|2|4", "b|0|NULL|NULL", "c|1|1|1"}), *rows);
}

TEST(ApplyTest, SeveralRowsForOneInputRowIsAnError) {
  Apply::PlanFn plan = [](const std::vector<Value>&) -> Result<PhysicalOperatorPtr> {
    return PhysicalOperatorPtr(std::make_unique<ValuesSource>(
        std::vector<Type>{Type::kInt64}, std::vector<std::vector<Value>>{{Value::Int(1)}, {Value::Int(2)}}));
  };
  auto input = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64},
                                            std::vector<std::vector<Value>>{{Value::Int(1)}});
  Apply apply(std::move(input), {0}, plan, {Type::kInt64}, ApplyMode::kScalar, "subquery");
  auto rows = Execute(apply);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(ErrorCode::kCardinalityViolation, rows.status().error_code());
}

TEST(ApplyTest, APlanningErrorEndsTheQuery) {
  Apply::PlanFn plan = [](const std::vector<Value>&) -> Result<PhysicalOperatorPtr> {
    return Unimplemented(ErrorCode::kFeatureNotSupported, "no plan");
  };
  auto input = std::make_unique<TestSource>(std::vector<Type>{Type::kInt64},
                                            std::vector<std::vector<Value>>{{Value::Int(1)}});
  Apply apply(std::move(input), {0}, plan, {Type::kInt64}, ApplyMode::kScalar, "subquery");
  EXPECT_EQ(StatusCode::kUnimplemented, Execute(apply).status().code());
}

}  // namespace
}  // namespace laminar::execution
