// ColumnBound: a bound admits what its conjuncts admit; Intersect narrows two bounds on one
// column to exactly the values both admit.
#include "execution/table_source.h"

#include <gtest/gtest.h>

#include <random>

namespace laminar::execution {
namespace {

TEST(ColumnBound, IntersectAdmitsExactlyWhatBothAdmit) {
  std::mt19937 rng(3);
  auto bound = [&] {
    ColumnBound b;
    b.column = 0;
    if (rng() % 4) b.lo = Value::Int(int64_t(rng() % 20));
    if (rng() % 4) b.hi = Value::Int(int64_t(rng() % 20));
    if (rng() % 6 == 0) b.hi = b.lo;
    b.lo_inclusive = rng() % 2;
    b.hi_inclusive = rng() % 2;
    return b;
  };
  for (int t = 0; t < 2000; t++) {
    ColumnBound a = bound(), b = bound(), both = a;
    both.Intersect(b);
    for (int64_t v = -2; v < 23; v++)
      ASSERT_EQ(both.Admits(Value::Int(v)), a.Admits(Value::Int(v)) && b.Admits(Value::Int(v)))
          << a.ToString("x") << " AND " << b.ToString("x") << " → " << both.ToString("x") << " at " << v;
    EXPECT_FALSE(both.Admits(Value::Null()));
  }
}

}  // namespace
}  // namespace laminar::execution
