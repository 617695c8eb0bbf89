#include "execution/join.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <random>

#include "execution/operator_test_util.h"

namespace laminar::execution {
namespace {

using testing::CheckingSink;
using testing::Row;
using testing::RowSource;
using testing::RowString;
using testing::RowStrings;

const double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<JoinType> HashJoinTypes() {
  return {JoinType::kInner, JoinType::kLeft, JoinType::kRight, JoinType::kFull,
          JoinType::kSemi,  JoinType::kAnti, JoinType::kMark,  JoinType::kMarkExists};
}

// ---------------------------------------------------------------------------------------------
// The reference: a nested loop over Values, written independently of the operators.

bool RefKeyEqual(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return false;
  if (a.type() == Type::kText) return a.as_text() == b.as_text();
  if (a.type() == Type::kDouble || b.type() == Type::kDouble) {
    double x = a.numeric(), y = b.numeric();
    return x == y || (std::isnan(x) && std::isnan(y));
  }
  return a.as_int() == b.as_int();
}

struct RefJoin {
  std::vector<uint32_t> left_keys, right_keys;  // empty: no keys (nested loop)
  std::function<bool(const Row&, const Row&)> residual;  // null: true
  size_t left_width = 0, right_width = 0;

  bool Match(const Row& l, const Row& r) const {
    for (size_t i = 0; i < left_keys.size(); i++) {
      if (!RefKeyEqual(l[left_keys[i]], r[right_keys[i]])) return false;
    }
    return !residual || residual(l, r);
  }
  // MARK's unknown: no key pair both non-NULL and unequal, and the residual holds.
  bool Unknown(const Row& l, const Row& r) const {
    for (size_t i = 0; i < left_keys.size(); i++) {
      const Value& a = l[left_keys[i]];
      const Value& b = r[right_keys[i]];
      if (!a.is_null() && !b.is_null() && !RefKeyEqual(a, b)) return false;
    }
    return !residual || residual(l, r);
  }

  std::vector<std::string> Run(JoinType type, const std::vector<Row>& left,
                               const std::vector<Row>& right) const {
    std::vector<std::string> out;
    auto concat = [](const Row& a, const Row& b) {
      Row row = a;
      row.insert(row.end(), b.begin(), b.end());
      return RowString(row);
    };
    Row left_nulls(left_width), right_nulls(right_width);
    std::vector<bool> right_matched(right.size());
    for (const Row& l : left) {
      bool matched = false, unknown = false;
      for (size_t j = 0; j < right.size(); j++) {
        if (Match(l, right[j])) {
          matched = true;
          right_matched[j] = true;
          if (type == JoinType::kInner || type == JoinType::kCross || type == JoinType::kLeft ||
              type == JoinType::kRight || type == JoinType::kFull) {
            out.push_back(concat(l, right[j]));
          }
        } else if (Unknown(l, right[j])) {
          unknown = true;
        }
      }
      switch (type) {
        case JoinType::kLeft:
        case JoinType::kFull:
          if (!matched) out.push_back(concat(l, right_nulls));
          break;
        case JoinType::kSemi:
          if (matched) out.push_back(RowString(l));
          break;
        case JoinType::kAnti:
          if (!matched) out.push_back(RowString(l));
          break;
        case JoinType::kMark:
          out.push_back(concat(l, {matched ? Value::Bool(true)
                                   : unknown ? Value::Null()
                                             : Value::Bool(false)}));
          break;
        case JoinType::kMarkExists: out.push_back(concat(l, {Value::Bool(matched)})); break;
        default: break;
      }
    }
    if (type == JoinType::kRight || type == JoinType::kFull) {
      for (size_t j = 0; j < right.size(); j++) {
        if (!right_matched[j]) out.push_back(concat(left_nulls, right[j]));
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// ---------------------------------------------------------------------------------------------
// Random inputs. Left rows: [id, keys..., v]; right rows: [keys..., v, id]. v is a small bigint
// or NULL, used by the residuals.

struct KeyConfig {
  std::string name;
  std::vector<Type> left_types, right_types;  // of the key columns
  std::vector<bool> as_double;
  // Values a key column of the given type draws from (NULL added by the generator).
  std::vector<std::vector<Value>> left_values, right_values;
};

void PrintTo(const KeyConfig& k, std::ostream* os) { *os << k.name; }

std::vector<Value> Ints(std::initializer_list<int64_t> v) {
  std::vector<Value> out;
  for (int64_t x : v) out.push_back(Value::Int(x));
  return out;
}
std::vector<Value> Doubles(std::initializer_list<double> v) {
  std::vector<Value> out;
  for (double x : v) out.push_back(Value::Double(x));
  return out;
}
std::vector<Value> Texts(std::initializer_list<const char*> v) {
  std::vector<Value> out;
  for (const char* x : v) out.push_back(Value::Text(x));
  return out;
}

std::vector<KeyConfig> KeyConfigs() {
  std::vector<Value> dbl = Doubles({-0.0, 0.0, 1.5, kNaN, std::copysign(kNaN, -1.0), 2.0});
  std::vector<Value> txt = Texts({"", "a", "b", "ab", "\xff"});
  std::vector<Value> ts = {Value::Timestamp(0), Value::Timestamp(1000), Value::Timestamp(-5)};
  return {
      {"bigint", {Type::kInt64}, {Type::kInt64}, {}, {Ints({0, 1, 2, 3})}, {Ints({0, 1, 2, 3})}},
      {"double", {Type::kDouble}, {Type::kDouble}, {}, {dbl}, {dbl}},
      {"text", {Type::kText}, {Type::kText}, {}, {txt}, {txt}},
      {"bigint_double",
       {Type::kInt64},
       {Type::kDouble},
       {},
       {Ints({0, 1, 2})},
       {Doubles({0.0, -0.0, 1.0, 1.5, 2.0})}},
      {"as_double", {Type::kInt64}, {Type::kInt64}, {true}, {Ints({-1, 0, 1})}, {Ints({0, 1, 2})}},
      {"bool_text",
       {Type::kBool, Type::kText},
       {Type::kBool, Type::kText},
       {},
       {{Value::Bool(false), Value::Bool(true)}, Texts({"x", "y"})},
       {{Value::Bool(false), Value::Bool(true)}, Texts({"x", "y"})}},
      {"timestamp_double",
       {Type::kTimestamp, Type::kDouble},
       {Type::kTimestamp, Type::kDouble},
       {},
       {ts, Doubles({1.0, -0.0})},
       {ts, Doubles({0.0, 1.0})}},
  };
}

struct Tables {
  std::vector<Type> left_types, right_types;
  std::vector<Row> left, right;
  std::vector<uint32_t> left_keys, right_keys;
  std::vector<size_t> left_sizes, right_sizes;
  uint32_t left_v = 0, right_v = 0;  // column of v
};

Tables MakeTables(const KeyConfig& kc, std::mt19937_64& rng, size_t max_rows) {
  Tables t;
  size_t nk = kc.left_types.size();
  t.left_types.push_back(Type::kInt64);
  for (Type k : kc.left_types) t.left_types.push_back(k);
  t.left_types.push_back(Type::kInt64);
  for (Type k : kc.right_types) t.right_types.push_back(k);
  t.right_types.push_back(Type::kInt64);
  t.right_types.push_back(Type::kInt64);
  for (size_t i = 0; i < nk; i++) {
    t.left_keys.push_back(static_cast<uint32_t>(1 + i));
    t.right_keys.push_back(static_cast<uint32_t>(i));
  }
  t.left_v = static_cast<uint32_t>(1 + nk);
  t.right_v = static_cast<uint32_t>(nk);
  auto pick = [&](const std::vector<Value>& values) {
    if (rng() % 7 == 0) return Value::Null();
    return values[rng() % values.size()];
  };
  auto v = [&]() { return rng() % 6 == 0 ? Value::Null() : Value::Int(int64_t(rng() % 6)); };
  size_t nl = rng() % (max_rows + 1), nr = rng() % (max_rows + 1);
  for (size_t i = 0; i < nl; i++) {
    Row row = {Value::Int(int64_t(i))};
    for (size_t k = 0; k < nk; k++) row.push_back(pick(kc.left_values[k]));
    row.push_back(v());
    t.left.push_back(row);
  }
  for (size_t i = 0; i < nr; i++) {
    Row row;
    for (size_t k = 0; k < nk; k++) row.push_back(pick(kc.right_values[k]));
    row.push_back(v());
    row.push_back(Value::Int(int64_t(100 + i)));
    t.right.push_back(row);
  }
  auto sizes = [&]() {
    std::vector<size_t> s;
    for (int i = 0; i < 6; i++) s.push_back(rng() % 8);
    s.push_back(1 + rng() % 8);
    return s;
  };
  t.left_sizes = sizes();
  t.right_sizes = sizes();
  return t;
}

// Residuals, as a ChunkPredicate over combined rows and as the reference's row function.
struct Residual {
  ChunkPredicate chunk;
  std::function<bool(const Row&, const Row&)> rows;
};

Residual MakeResidual(int kind, const Tables& t) {
  if (kind == 0) return {};
  uint32_t lv = t.left_v, rv = static_cast<uint32_t>(t.left_types.size()) + t.right_v;
  uint32_t left_v = t.left_v, right_v = t.right_v;
  auto test = [kind](int64_t a, int64_t b) { return kind == 1 ? (a + b) % 3 != 0 : a < b; };
  Residual r;
  r.chunk = [=](const Chunk& rows, std::vector<uint32_t>* sel) {
    const Vector& a = rows.columns[lv];
    const Vector& b = rows.columns[rv];
    for (uint32_t i = 0; i < rows.rows; i++) {
      if (a.valid(i) && b.valid(i) && test(a.i64(i), b.i64(i))) sel->push_back(i);
    }
    return Status::OK();
  };
  r.rows = [=](const Row& l, const Row& rr) {
    const Value& a = l[left_v];
    const Value& b = rr[right_v];
    return !a.is_null() && !b.is_null() && test(a.as_int(), b.as_int());
  };
  return r;
}

Status RunJoin(PhysicalOperator& join, ExecContext& ctx, std::vector<std::string>* rows) {
  CheckingSink sink(join.types());
  RETURN_IF_ERROR(join.Produce(ctx, sink));
  *rows = Sorted(RowStrings(sink.rows()));
  if (join.stats().rows != sink.rows().rows) return Internal("stats rows differ");
  if (ctx.memory_used() != 0) return Internal("memory not released: {}", ctx.memory_used());
  return Status::OK();
}

class HashJoinDifferentialTest : public ::testing::TestWithParam<KeyConfig> {};

TEST_P(HashJoinDifferentialTest, MatchesNestedLoopReference) {
  const KeyConfig& kc = GetParam();
  std::mt19937_64 rng(std::hash<std::string>()(kc.name));
  int runs = 0;
  for (int iter = 0; iter < 30; iter++) {
    Tables t = MakeTables(kc, rng, iter < 25 ? 12 : 60);
    for (int res_kind = 0; res_kind < 3; res_kind++) {
      Residual res = MakeResidual(res_kind, t);
      RefJoin ref{t.left_keys, t.right_keys, res.rows, t.left_types.size(),
                  t.right_types.size()};
      for (JoinType type : HashJoinTypes()) {
        std::vector<std::string> expected = ref.Run(type, t.left, t.right);
        for (JoinSide side : {JoinSide::kRight, JoinSide::kLeft}) {
          SCOPED_TRACE(fmt::format("iter {} residual {} type {} build {}", iter, res_kind,
                                   JoinTypeName(type), side == JoinSide::kLeft ? "left" : "right"));
          HashJoin join(std::make_unique<RowSource>(t.left_types, t.left, t.left_sizes),
                        std::make_unique<RowSource>(t.right_types, t.right, t.right_sizes),
                        t.left_keys, t.right_keys, type, res.chunk, side, kc.as_double);
          ExecContext ctx(ExecLimits{});
          std::vector<std::string> got;
          Status st = RunJoin(join, ctx, &got);
          ASSERT_TRUE(st.ok()) << st.ToString();
          ASSERT_EQ(got, expected);
          runs++;
        }
      }
    }
  }
  EXPECT_EQ(runs, 30 * 3 * 8 * 2);
}

INSTANTIATE_TEST_SUITE_P(Keys, HashJoinDifferentialTest, ::testing::ValuesIn(KeyConfigs()),
                         [](const auto& info) { return info.param.name; });

TEST(NestedLoopJoinTest, MatchesNestedLoopReference) {
  std::mt19937_64 rng(7);
  KeyConfig kc = KeyConfigs()[0];
  for (int iter = 0; iter < 40; iter++) {
    Tables t = MakeTables(kc, rng, iter < 30 ? 10 : 40);
    for (int res_kind = 0; res_kind < 3; res_kind++) {
      Residual res = MakeResidual(res_kind, t);
      RefJoin ref{{}, {}, res.rows, t.left_types.size(), t.right_types.size()};
      for (JoinType type : {JoinType::kCross, JoinType::kInner, JoinType::kLeft, JoinType::kRight,
                            JoinType::kFull, JoinType::kSemi, JoinType::kAnti,
                            JoinType::kMarkExists}) {
        SCOPED_TRACE(fmt::format("iter {} residual {} type {}", iter, res_kind,
                                 JoinTypeName(type)));
        NestedLoopJoin join(std::make_unique<RowSource>(t.left_types, t.left, t.left_sizes),
                            std::make_unique<RowSource>(t.right_types, t.right, t.right_sizes),
                            type, res.chunk);
        ExecContext ctx(ExecLimits{});
        std::vector<std::string> got;
        Status st = RunJoin(join, ctx, &got);
        ASSERT_TRUE(st.ok()) << st.ToString();
        ASSERT_EQ(got, ref.Run(type, t.left, t.right));
      }
    }
  }
}

// Larger inputs: full chunks, long chains, more distinct keys than buckets at first.
TEST(HashJoinTest, LargerRandomInputsMatchReference) {
  std::mt19937_64 rng(11);
  std::vector<Type> lt = {Type::kInt64, Type::kText}, rt = {Type::kText, Type::kInt64};
  std::vector<Row> left, right;
  for (int i = 0; i < 2200; i++) {
    left.push_back({Value::Int(i), rng() % 10 ? Value::Text(fmt::format("k{}", rng() % 150))
                                              : Value::Null()});
  }
  for (int i = 0; i < 800; i++) {
    right.push_back({rng() % 10 ? Value::Text(fmt::format("k{}", rng() % 150)) : Value::Null(),
                     Value::Int(i)});
  }
  // Without a residual, and with one keeping a third of the pairs (batches of evaluated pairs
  // then span several flushes per probe chunk).
  ChunkPredicate ids = [](const Chunk& c, std::vector<uint32_t>* sel) {
    for (uint32_t i = 0; i < c.rows; i++) {
      if ((c.columns[0].i64(i) + c.columns[3].i64(i)) % 3 == 0) sel->push_back(i);
    }
    return Status::OK();
  };
  auto ids_rows = [](const Row& l, const Row& r) {
    return (l[0].as_int() + r[1].as_int()) % 3 == 0;
  };
  for (bool residual : {false, true}) {
    RefJoin ref{{1}, {0}, nullptr, 2, 2};
    if (residual) ref.residual = ids_rows;
    for (JoinType type : HashJoinTypes()) {
      std::vector<std::string> expected = ref.Run(type, left, right);
      for (JoinSide side : {JoinSide::kRight, JoinSide::kLeft}) {
        SCOPED_TRACE(fmt::format("{} {} {}", JoinTypeName(type), side == JoinSide::kLeft,
                                 residual));
        HashJoin join(std::make_unique<RowSource>(lt, left),
                      std::make_unique<RowSource>(rt, right), {1}, {0}, type,
                      residual ? ids : nullptr, side);
        ExecContext ctx(ExecLimits{});
        std::vector<std::string> got;
        Status st = RunJoin(join, ctx, &got);
        ASSERT_TRUE(st.ok()) << st.ToString();
        ASSERT_EQ(got, expected);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Hand cases.

std::vector<std::string> Join(std::vector<Row> left, std::vector<Row> right,
                              std::vector<Type> lt, std::vector<Type> rt,
                              std::vector<uint32_t> lk, std::vector<uint32_t> rk, JoinType type,
                              JoinSide side, ChunkPredicate residual = nullptr) {
  HashJoin join(std::make_unique<RowSource>(lt, left), std::make_unique<RowSource>(rt, right), lk,
                rk, type, residual, side);
  ExecContext ctx(ExecLimits{});
  std::vector<std::string> got;
  Status st = RunJoin(join, ctx, &got);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return got;
}

std::vector<Row> IntRows(std::initializer_list<std::optional<int64_t>> keys) {
  std::vector<Row> rows;
  for (auto k : keys) rows.push_back({k ? Value::Int(*k) : Value::Null()});
  return rows;
}

TEST(HashJoinTest, MarkIsSqlIn) {
  const std::vector<Type> t = {Type::kInt64};
  auto mark = [&](std::vector<Row> left, std::vector<Row> right, JoinSide side) {
    return Join(left, right, t, t, {0}, {0}, JoinType::kMark, side);
  };
  for (JoinSide side : {JoinSide::kRight, JoinSide::kLeft}) {
    // 1 IN (1, NULL) true; 2 IN (1, NULL) NULL; NULL IN (1, NULL) NULL.
    EXPECT_EQ(mark(IntRows({1, 2, std::nullopt}), IntRows({1, std::nullopt}), side),
              Sorted({"1|t", "2|NULL", "NULL|NULL"}));
    // 2 IN (1, 3) false; NULL IN (1, 3) NULL.
    EXPECT_EQ(mark(IntRows({1, 2, std::nullopt}), IntRows({1, 3}), side),
              Sorted({"1|t", "2|f", "NULL|NULL"}));
    // x IN (empty) is false, even for a NULL x (so NOT IN (empty) is true).
    EXPECT_EQ(mark(IntRows({1, std::nullopt}), {}, side), Sorted({"1|f", "NULL|f"}));
    // Only NULLs on the right: unknown for every x.
    EXPECT_EQ(mark(IntRows({1, std::nullopt}), IntRows({std::nullopt}), side),
              Sorted({"1|NULL", "NULL|NULL"}));
    // MARK_EXISTS never gives NULL.
    EXPECT_EQ(Join(IntRows({1, 2, std::nullopt}), IntRows({1, std::nullopt}), t, t, {0}, {0},
                   JoinType::kMarkExists, side),
              Sorted({"1|t", "2|f", "NULL|f"}));
  }
}

TEST(HashJoinTest, MarkRowComparisonWithTwoKeys) {
  const std::vector<Type> t = {Type::kInt64, Type::kInt64};
  Row l1 = {Value::Int(1), Value::Null()};
  for (JoinSide side : {JoinSide::kRight, JoinSide::kLeft}) {
    // (1, NULL) IN ((2, 5)): definitely unequal on the first key: false.
    EXPECT_EQ(Join({l1}, {{Value::Int(2), Value::Int(5)}}, t, t, {0, 1}, {0, 1}, JoinType::kMark,
                   side),
              std::vector<std::string>{"1|NULL|f"});
    // (1, NULL) IN ((2, 5), (1, 7)): unknown against the second.
    EXPECT_EQ(Join({l1}, {{Value::Int(2), Value::Int(5)}, {Value::Int(1), Value::Int(7)}}, t, t,
                   {0, 1}, {0, 1}, JoinType::kMark, side),
              std::vector<std::string>{"1|NULL|NULL"});
    // (1, 2) IN ((NULL, 3)): definitely unequal on the second key: false; IN ((NULL, 2)): NULL.
    Row l2 = {Value::Int(1), Value::Int(2)};
    EXPECT_EQ(Join({l2}, {{Value::Null(), Value::Int(3)}}, t, t, {0, 1}, {0, 1}, JoinType::kMark,
                   side),
              std::vector<std::string>{"1|2|f"});
    EXPECT_EQ(Join({l2}, {{Value::Null(), Value::Int(2)}}, t, t, {0, 1}, {0, 1}, JoinType::kMark,
                   side),
              std::vector<std::string>{"1|2|NULL"});
  }
}

TEST(HashJoinTest, MarkResidualRestrictsTheSet) {
  // x IN (SELECT y FROM r WHERE r.z > x.w): a NULL y only counts when its row passes.
  const std::vector<Type> lt = {Type::kInt64, Type::kInt64}, rt = {Type::kInt64, Type::kInt64};
  std::vector<Row> left = {{Value::Int(1), Value::Int(10)}, {Value::Null(), Value::Int(10)},
                           {Value::Int(2), Value::Int(0)}};
  std::vector<Row> right = {{Value::Null(), Value::Int(5)}, {Value::Int(2), Value::Int(20)}};
  ChunkPredicate z_gt_w = [](const Chunk& c, std::vector<uint32_t>* sel) {
    for (uint32_t i = 0; i < c.rows; i++) {
      if (c.columns[3].i64(i) > c.columns[1].i64(i)) sel->push_back(i);
    }
    return Status::OK();
  };
  for (JoinSide side : {JoinSide::kRight, JoinSide::kLeft}) {
    // w=10: S = {2}: 1 -> false, NULL -> NULL. w=0: S = {NULL, 2}: 2 -> true.
    EXPECT_EQ(Join(left, right, lt, rt, {0}, {0}, JoinType::kMark, side, z_gt_w),
              Sorted({"1|10|f", "NULL|10|NULL", "2|0|t"}));
  }
}

TEST(HashJoinTest, DoubleKeysNegativeZeroAndNaN) {
  const std::vector<Type> t = {Type::kDouble};
  std::vector<Row> left = {{Value::Double(-0.0)}, {Value::Double(kNaN)}, {Value::Double(1)}};
  std::vector<Row> right = {{Value::Double(0.0)}, {Value::Double(-kNaN)}, {Value::Null()}};
  for (JoinSide side : {JoinSide::kRight, JoinSide::kLeft}) {
    EXPECT_EQ(Join(left, right, t, t, {0}, {0}, JoinType::kInner, side),
              Sorted({"-0|0", "nan|-nan"}));
  }
}

TEST(HashJoinTest, BigintEqualsDouble) {
  std::vector<Row> left = IntRows({1, 2, 3});
  std::vector<Row> right = {{Value::Double(1.0)}, {Value::Double(2.5)}, {Value::Double(3.0)}};
  EXPECT_EQ(Join(left, right, {Type::kInt64}, {Type::kDouble}, {0}, {0}, JoinType::kInner,
                 JoinSide::kLeft),
            Sorted({"1|1", "3|3"}));
}

TEST(HashJoinTest, OuterJoinsFillNulls) {
  const std::vector<Type> t = {Type::kInt64, Type::kText};
  std::vector<Row> left = {{Value::Int(1), Value::Text("a")}, {Value::Null(), Value::Text("b")}};
  std::vector<Row> right = {{Value::Int(1), Value::Text("x")}, {Value::Int(2), Value::Text("y")},
                            {Value::Null(), Value::Text("z")}};
  for (JoinSide side : {JoinSide::kRight, JoinSide::kLeft}) {
    EXPECT_EQ(Join(left, right, t, t, {0}, {0}, JoinType::kFull, side),
              Sorted({"1|'a'|1|'x'", "NULL|'b'|NULL|NULL", "NULL|NULL|2|'y'",
                      "NULL|NULL|NULL|'z'"}));
    EXPECT_EQ(Join(left, right, t, t, {0}, {0}, JoinType::kAnti, side),
              std::vector<std::string>{"NULL|'b'"});
    EXPECT_EQ(Join(left, right, t, t, {0}, {0}, JoinType::kSemi, side),
              std::vector<std::string>{"1|'a'"});
  }
}

TEST(HashJoinTest, ManyMatchesComeInBoundedChunksAndCanBeCancelled) {
  const std::vector<Type> t = {Type::kInt64};
  std::vector<Row> one = IntRows({1});
  std::vector<Row> many(20000, Row{Value::Int(1)});
  for (JoinSide side : {JoinSide::kRight, JoinSide::kLeft}) {
    // The single probe row multiplies into 20000 rows.
    bool build_left = side == JoinSide::kLeft;
    auto make = [&]() {
      return HashJoin(std::make_unique<RowSource>(t, build_left ? many : one),
                      std::make_unique<RowSource>(t, build_left ? one : many), {0}, {0},
                      JoinType::kInner, nullptr, side);
    };
    {
      HashJoin join = make();
      ExecContext ctx(ExecLimits{});
      CheckingSink sink(join.types());
      Status st = join.Produce(ctx, sink);
      ASSERT_TRUE(st.ok()) << st.ToString();
      EXPECT_EQ(sink.rows().rows, 20000u);
      EXPECT_EQ(join.stats().rows, 20000u);
      EXPECT_GE(sink.chunks(), 10);
    }
    {
      // The cancel flag is raised by the first output chunk: only Check inside the multiplying
      // probe chunk can see it.
      std::atomic<bool> cancel{false};
      ExecLimits limits;
      limits.cancel = &cancel;
      ExecContext ctx(limits);
      HashJoin join = make();
      struct CancelSink : Sink {
        std::atomic<bool>* flag;
        int chunks = 0;
        Status Push(Chunk&, bool*) override {
          chunks++;
          flag->store(true);
          return Status::OK();
        }
      } sink;
      sink.flag = &cancel;
      Status st = join.Produce(ctx, sink);
      EXPECT_EQ(st.code(), StatusCode::kCancelled) << st.ToString();
      EXPECT_EQ(sink.chunks, 1);
      EXPECT_EQ(ctx.memory_used(), 0u);
    }
  }
}

TEST(HashJoinTest, StopEndsTheProbeSide) {
  const std::vector<Type> t = {Type::kInt64};
  std::vector<Row> rows;
  for (int i = 0; i < 5000; i++) rows.push_back({Value::Int(i % 10)});
  auto* probe = new RowSource(t, rows, {100});
  HashJoin join(PhysicalOperatorPtr(probe), std::make_unique<RowSource>(t, IntRows({1, 2})), {0},
                {0}, JoinType::kInner, nullptr, JoinSide::kRight);
  ExecContext ctx(ExecLimits{});
  CheckingSink sink(join.types());
  sink.set_stop_after(1);
  Status st = join.Produce(ctx, sink);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(sink.chunks(), 1);
  EXPECT_EQ(probe->pulled(), 1);
}

TEST(HashJoinTest, EmptyBuildSideSkipsTheProbeWhenTheOutputIsEmpty) {
  const std::vector<Type> t = {Type::kInt64};
  for (JoinType type : HashJoinTypes()) {
    for (JoinSide side : {JoinSide::kRight, JoinSide::kLeft}) {
      auto empty = std::make_unique<RowSource>(t, std::vector<Row>{});
      auto full = std::make_unique<RowSource>(t, IntRows({1, 2}));
      RowSource* empty_ptr = empty.get();
      RowSource* probe = full.get();
      PhysicalOperatorPtr l, r;
      if (side == JoinSide::kLeft) {
        l = std::move(empty);
        r = std::move(full);
      } else {
        l = std::move(full);
        r = std::move(empty);
      }
      HashJoin join(std::move(l), std::move(r), {0}, {0}, type, nullptr, side);
      ExecContext ctx(ExecLimits{});
      CheckingSink sink(join.types());
      ASSERT_TRUE(join.Produce(ctx, sink).ok());
      EXPECT_EQ(empty_ptr->pulled(), 1);
      // The probe side runs exactly when rows of it can be output.
      bool probe_output = side == JoinSide::kRight
                              ? (type == JoinType::kLeft || type == JoinType::kFull ||
                                 type == JoinType::kAnti || type == JoinType::kMark ||
                                 type == JoinType::kMarkExists)
                              : (type == JoinType::kRight || type == JoinType::kFull);
      SCOPED_TRACE(fmt::format("{} {}", JoinTypeName(type), side == JoinSide::kLeft));
      EXPECT_EQ(probe->pulled(), probe_output ? 1 : 0);
      EXPECT_EQ(sink.rows().rows, probe_output ? 2u : 0u);
    }
  }
}

TEST(HashJoinTest, MemoryLimitIsEnforcedAndReleased) {
  const std::vector<Type> t = {Type::kInt64};
  std::vector<Row> many(20000, Row{Value::Int(1)});
  ExecLimits limits;
  limits.max_memory_bytes = 50000;
  ExecContext ctx(limits);
  HashJoin join(std::make_unique<RowSource>(t, IntRows({1})), std::make_unique<RowSource>(t, many),
                {0}, {0}, JoinType::kInner);
  CheckingSink sink(join.types());
  Status st = join.Produce(ctx, sink);
  EXPECT_EQ(st.code(), StatusCode::kResourceExhausted) << st.ToString();
  EXPECT_EQ(ctx.memory_used(), 0u);
  EXPECT_GT(ctx.memory_peak(), 50000u);
}

TEST(HashJoinTest, ErrorsAreReturned) {
  const std::vector<Type> ti = {Type::kInt64}, tt = {Type::kText};
  ExecContext ctx(ExecLimits{});
  {
    HashJoin join(std::make_unique<RowSource>(ti, IntRows({1})),
                  std::make_unique<RowSource>(tt, std::vector<Row>{{Value::Text("1")}}), {0}, {0},
                  JoinType::kInner);
    CheckingSink sink(join.types());
    EXPECT_EQ(join.Produce(ctx, sink).code(), StatusCode::kInternal);
  }
  {
    HashJoin join(std::make_unique<RowSource>(ti, IntRows({1})),
                  std::make_unique<RowSource>(ti, IntRows({1})), {0}, {3}, JoinType::kInner);
    CheckingSink sink(join.types());
    EXPECT_EQ(join.Produce(ctx, sink).code(), StatusCode::kInternal);
  }
  {
    ChunkPredicate failing = [](const Chunk&, std::vector<uint32_t>*) {
      return InvalidArgument("division by zero");
    };
    HashJoin join(std::make_unique<RowSource>(ti, IntRows({1})),
                  std::make_unique<RowSource>(ti, IntRows({1})), {0}, {0}, JoinType::kLeft,
                  failing);
    CheckingSink sink(join.types());
    Status st = join.Produce(ctx, sink);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(st.message(), "division by zero");
  }
  {
    auto failing_source = std::make_unique<RowSource>(ti, IntRows({1}));
    failing_source->set_fail_after(0);
    HashJoin join(std::make_unique<RowSource>(ti, IntRows({1})), std::move(failing_source), {0},
                  {0}, JoinType::kInner);
    CheckingSink sink(join.types());
    EXPECT_EQ(join.Produce(ctx, sink).code(), StatusCode::kInternal);
  }
  {
    NestedLoopJoin join(std::make_unique<RowSource>(ti, IntRows({1})),
                        std::make_unique<RowSource>(ti, IntRows({1})), JoinType::kMark);
    CheckingSink sink(join.types());
    EXPECT_EQ(join.Produce(ctx, sink).code(), StatusCode::kInternal);
  }
  EXPECT_EQ(ctx.memory_used(), 0u);
}

TEST(JoinDescribeTest, Lines) {
  const std::vector<Type> t = {Type::kInt64, Type::kInt64};
  auto src = [&]() { return std::make_unique<RowSource>(t, std::vector<Row>{}); };
  HashJoin left(src(), src(), {0}, {1}, JoinType::kLeft);
  EXPECT_EQ(left.Describe(), "HashJoin LEFT keys: [0]=[1] build: right");
  HashJoin two(src(), src(), {0, 1}, {1, 0}, JoinType::kMark,
               [](const Chunk&, std::vector<uint32_t>*) { return Status::OK(); }, JoinSide::kLeft,
               {false, true});
  two.set_residual_text("a.x < b.y");
  EXPECT_EQ(two.Describe(),
            "HashJoin MARK keys: [0, 1]=[1, 0] build: left as double: [1] residual: a.x < b.y");
  EXPECT_EQ(two.types(), (std::vector<Type>{Type::kInt64, Type::kInt64, Type::kBool}));
  HashJoin semi(src(), src(), {0}, {0}, JoinType::kSemi);
  EXPECT_EQ(semi.types(), t);
  NestedLoopJoin cross(src(), src(), JoinType::kCross);
  EXPECT_EQ(cross.Describe(), "NestedLoopJoin CROSS");
  EXPECT_EQ(cross.types().size(), 4u);
  NestedLoopJoin inner(src(), src(), JoinType::kInner,
                       [](const Chunk&, std::vector<uint32_t>*) { return Status::OK(); });
  EXPECT_EQ(inner.Describe(), "NestedLoopJoin INNER residual");
}

TEST(NestedLoopJoinTest, CrossJoinOfChunkSizedInputs) {
  const std::vector<Type> t = {Type::kInt64};
  std::vector<Row> a, b;
  for (int i = 0; i < 300; i++) a.push_back({Value::Int(i)});
  for (int i = 0; i < 70; i++) b.push_back({Value::Int(i)});
  NestedLoopJoin join(std::make_unique<RowSource>(t, a, std::vector<size_t>{128}),
                      std::make_unique<RowSource>(t, b, std::vector<size_t>{16}), JoinType::kCross);
  ExecContext ctx(ExecLimits{});
  CheckingSink sink(join.types());
  ASSERT_TRUE(join.Produce(ctx, sink).ok());
  EXPECT_EQ(sink.rows().rows, 300u * 70u);
  EXPECT_EQ(join.stats().rows, 300u * 70u);
  EXPECT_EQ(ctx.memory_used(), 0u);
}

TEST(NestedLoopJoinTest, ChecksWhileOneLeftRowMultiplies) {
  const std::vector<Type> t = {Type::kInt64};
  std::vector<Row> many(30000, Row{Value::Int(1)});
  std::atomic<bool> cancel{false};
  ExecLimits limits;
  limits.cancel = &cancel;
  ExecContext ctx(limits);
  NestedLoopJoin join(std::make_unique<RowSource>(t, IntRows({1})),
                      std::make_unique<RowSource>(t, many), JoinType::kCross);
  struct CancelSink : Sink {
    std::atomic<bool>* flag;
    int chunks = 0;
    Status Push(Chunk&, bool*) override {
      chunks++;
      flag->store(true);
      return Status::OK();
    }
  } sink;
  sink.flag = &cancel;
  Status st = join.Produce(ctx, sink);
  EXPECT_EQ(st.code(), StatusCode::kCancelled) << st.ToString();
  EXPECT_EQ(sink.chunks, 1);
  EXPECT_EQ(ctx.memory_used(), 0u);
}

}  // namespace
}  // namespace laminar::execution
