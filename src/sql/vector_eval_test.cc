// Differential tests of the vectorized evaluator: EvalVector and EvalSelect against sql::Eval and
// sql::EvalPredicate, row by row — the same values, the same NULLs, the same recorded runtime
// error. Expressions are SQL (parsed and bound as the planner binds them): several hundred
// generated at random over every type, plus hand-written edge cases, evaluated over random
// chunks holding NULLs and extremes (INT64_MIN/MAX, NaN, ±Infinity, -0, empty and non-ASCII
// text). The input chunk is destroyed before the results are read, so a text result that does
// not keep its input alive shows under ASan.
#include "sql/vector_eval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/time_util.h"
#include "sql/binder.h"
#include "sql/transformer.h"
#include "sql/parser.h"

namespace laminar::sql {
namespace {

using columnar::Chunk;
using columnar::Vector;

// The test table: b boolean, n m bigint, d e double precision, s t text, ts u timestamptz.
sql::Scope TestScope() {
  sql::Scope scope;
  scope.relation = "t";
  scope.columns = {{"b", Type::kBool},   {"n", Type::kInt64}, {"m", Type::kInt64},
                   {"d", Type::kDouble}, {"e", Type::kDouble}, {"s", Type::kText},
                   {"t", Type::kText},   {"ts", Type::kTimestamp}, {"u", Type::kTimestamp}};
  return scope;
}

std::vector<Type> TestTypes() {
  std::vector<Type> out;
  for (const auto& c : TestScope().columns) out.push_back(c.type);
  return out;
}

Result<sql::ExprPtr> Bind(const std::string& expr) {
  auto stmts = sql::Parse("SELECT " + expr + " FROM t");
  if (!stmts.ok()) return stmts.status();
  ASSIGN_OR_RETURN(auto tree, sql::TransformExpr((*stmts)[0].node["SelectStmt"]["targetList"][0]["ResTarget"]["val"]));
  return sql::BindExpr(*tree, TestScope());
}

// ---------------------------------------------------------------------------------------------
// Random data.

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

int64_t Ts(const char* text) { return ParseTimestamp(text).value(); }

class DataGen {
 public:
  explicit DataGen(uint64_t seed) : rng_(seed) {}

  Value Random(Type t) {
    switch (t) {
      case Type::kBool: return Value::Bool(Pick(2) == 0);
      case Type::kInt64: {
        static const int64_t kPool[] = {0, 1, -1, 2, 7, -7, 10, 100, kMin, kMax, kMin + 1, kMax - 1,
                                        3037000500, -3037000500, int64_t{1} << 53, (int64_t{1} << 53) + 1,
                                        int64_t{1} << 62, 1000000000000000000};
        if (Pick(3) == 0) return Value::Int(kPool[Pick(std::size(kPool))]);
        if (Pick(2) == 0) return Value::Int(static_cast<int64_t>(Pick(41)) - 20);
        return Value::Int(static_cast<int64_t>(rng_()));
      }
      case Type::kDouble: {
        static const double kPool[] = {0.0, -0.0, 1.0, -1.0, 0.5, 2.5, -2.5, 0.1, 7.0, 1e300, -1e300, 1e-300,
                                       5e-324, std::nan(""), INFINITY, -INFINITY, 9223372036854775807.0,
                                       9007199254740992.0, 1e15, 123.456};
        if (Pick(2) == 0) return Value::Double(kPool[Pick(std::size(kPool))]);
        if (Pick(2) == 0) return Value::Double((static_cast<double>(Pick(2001)) - 1000) / 8);
        double d;
        uint64_t bits = rng_();
        std::memcpy(&d, &bits, sizeof d);
        return Value::Double(d);
      }
      case Type::kText: {
        static const char* kPool[] = {"", "a", "abc", "ABC", "Abc", "US", "FR", "h\xC3\xA9llo", "\xC3\xBF",
                                      "12", " 12 ", "-5", "1e3", "true", "x%y", "a_b", "a\\", "2024-01-08",
                                      "NaN", "zzz", "\xE6\x97\xA5\xE6\x9C\xAC", "ab", "bc", "abcabc"};
        if (Pick(4) != 0) return Value::Text(kPool[Pick(std::size(kPool))]);
        std::string s;
        size_t len = Pick(12);
        for (size_t i = 0; i < len; i++) s.push_back("abcABC%_\\ \xC3\xA9"[Pick(11)]);
        return Value::Text(s);
      }
      case Type::kTimestamp: {
        // Not within a day of INT64_MIN: sql's date_trunc/extract overflow there (see the report).
        static const int64_t kPool[] = {0, -1, 1, Ts("2024-01-08T10:30:05.123456Z"), Ts("2000-02-29T12:00:00Z"),
                                        Ts("0001-01-01T00:00:00Z"), Ts("9999-12-31T23:59:59.999999Z"),
                                        Ts("1969-12-31T23:59:59.999999Z"), Ts("2024-12-30T00:00:00Z"),
                                        Ts("2021-01-03T00:00:00Z"), int64_t{1} << 62, -(int64_t{1} << 62),
                                        kMax, kMax - 1};
        if (Pick(3) == 0) return Value::Timestamp(kPool[Pick(std::size(kPool))]);
        // 1900 .. 2100
        return Value::Timestamp(-2208988800000000 + static_cast<int64_t>(rng_() % 6311433600000000ull));
      }
      case Type::kDate: return Value::Date(static_cast<int64_t>(rng_() % 73049) - 25567);  // 1900 .. 2100
    }
    return Value::Null();
  }

  // A chunk of `rows` rows; each column has its own NULL rate (none, some, half or all).
  Chunk RandomChunk(size_t rows) {
    std::vector<Type> types = TestTypes();
    static const int kNullPercent[] = {0, 10, 50, 100};
    std::vector<int> null_pct;
    for (size_t c = 0; c < types.size(); c++) null_pct.push_back(kNullPercent[Pick(4)] * (Pick(5) != 0));
    Chunk chunk(types);
    for (size_t r = 0; r < rows; r++) {
      std::vector<Value> row;
      for (size_t c = 0; c < types.size(); c++)
        row.push_back(static_cast<int>(Pick(100)) < null_pct[c] ? Value::Null() : Random(types[c]));
      chunk.AppendValues(row);
    }
    return chunk;
  }

  // Sometimes a selection of a bigger chunk (text in shared heaps, the source gone).
  Chunk Input() {
    static const size_t kSizes[] = {0, 1, 2, 7, 64, 200, 333};
    size_t rows = Pick(20) == 0 ? columnar::kChunkRows : kSizes[Pick(std::size(kSizes))];
    if (Pick(3) != 0) return RandomChunk(rows);
    Chunk big = RandomChunk(rows * 2);
    std::vector<uint32_t> sel;
    for (uint32_t i = 0; i < big.rows; i++)
      if (Pick(2) == 0) sel.push_back(i);
    return Chunk::Select(big, sel);
  }

  size_t Pick(size_t n) { return static_cast<size_t>(rng_() % n); }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

// ---------------------------------------------------------------------------------------------
// The comparison.

// The value as a Vector of `t` would hold it (bigint into double converted), printed exactly.
std::string Slot(const Value& v, Type t) {
  if (v.is_null()) return "NULL";
  Vector tmp(t);
  tmp.Append(v);
  if (t == Type::kDouble) {
    double d = tmp.f64(0);
    if (std::isnan(d)) return "NaN";
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    return fmt::format("{} ({:x})", d, bits);
  }
  if (t == Type::kText) return "'" + std::string(tmp.str(0)) + "'";
  return std::to_string(tmp.i64(0));
}

std::string SlotAt(const Vector& v, size_t i) {
  if (v.is_null(i)) return "NULL";
  return Slot(v.Get(i), v.type());
}

std::string RowText(const std::vector<Value>& row) {
  std::string out;
  auto types = TestTypes();
  for (size_t c = 0; c < row.size(); c++) out += (c ? ", " : "") + Slot(row[c], types[c]);
  return out;
}

struct Stats {
  int exprs = 0, unbound = 0, evaluations = 0, rows = 0, errors = 0, failures = 0;
};

// Checks EvalVector (and EvalSelect when boolean) of `e` over `chunk` against sql::Eval.
void Check(const std::string& text, const sql::Expr& e, Chunk chunk, Stats* st) {
  std::vector<std::vector<Value>> rows;
  for (size_t r = 0; r < chunk.rows; r++) rows.push_back(chunk.GetRow(r));
  sql::ClearEvalError();
  std::vector<std::string> want;
  for (const auto& row : rows) want.push_back(Slot(sql::Eval(e, row.data()), e.type));
  std::string want_error = sql::TakeEvalError().message();
  std::vector<uint32_t> want_sel;
  if (e.type == Type::kBool) {
    for (uint32_t r = 0; r < rows.size(); r++)
      if (sql::EvalPredicate(e, rows[r].data())) want_sel.push_back(r);
    sql::ClearEvalError();
  }

  Vector out;
  EvalVector(e, chunk, &out);
  std::string got_error = sql::TakeEvalError().message();
  std::vector<uint32_t> got_sel;
  std::string got_sel_error;
  if (e.type == Type::kBool) {
    EvalSelect(e, chunk, &got_sel);
    got_sel_error = sql::TakeEvalError().message();
  }
  chunk = Chunk();  // the input's heaps go; the output must not need them

  st->evaluations++;
  st->rows += static_cast<int>(rows.size());
  st->errors += !want_error.empty();
  auto fail = [&](const std::string& what) {
    if (++st->failures <= 30) ADD_FAILURE() << text << "  [" << e.ToString() << "]: " << what;
  };
  if (out.type() != e.type) return fail("result type");
  if (out.size() != rows.size()) return fail(fmt::format("size {} for {} rows", out.size(), rows.size()));
  for (size_t r = 0; r < rows.size(); r++) {
    std::string got = SlotAt(out, r);
    if (got != want[r])
      return fail(fmt::format("row {} ({}): EvalVector {}, sql::Eval {}", r, RowText(rows[r]), got, want[r]));
  }
  if (got_error != want_error) return fail(fmt::format("error \"{}\", sql::Eval's \"{}\"", got_error, want_error));
  if (e.type != Type::kBool) return;
  if (got_sel != want_sel) {
    for (size_t k = 0; k < std::max(got_sel.size(), want_sel.size()); k++) {
      uint32_t g = k < got_sel.size() ? got_sel[k] : UINT32_MAX, w = k < want_sel.size() ? want_sel[k] : UINT32_MAX;
      if (g != w) {
        uint32_t r = std::min(g, w);
        return fail(fmt::format("EvalSelect: row {} ({}) {} by EvalSelect, {} by EvalPredicate", r, RowText(rows[r]),
                                r == g ? "selected" : "not selected", r == w ? "selected" : "not selected"));
      }
    }
  }
  if (got_sel_error != want_error)
    return fail(fmt::format("EvalSelect error \"{}\", sql::Eval's \"{}\"", got_sel_error, want_error));
}

void CheckText(const std::string& text, DataGen& data, int chunks, Stats* st) {
  auto e = Bind(text);
  st->exprs++;
  if (!e.ok()) {
    if (std::getenv("SHOW_UNBOUND")) std::printf("unbound: %s: %s\n", text.c_str(), e.status().message().c_str());
    st->unbound++;
    return;
  }
  for (int k = 0; k < chunks; k++) Check(text, **e, data.Input(), st);
}

// ---------------------------------------------------------------------------------------------
// Random expressions, as SQL text.

class ExprGen {
 public:
  explicit ExprGen(DataGen& data) : data_(data) {}

  std::string Gen(Type t, int depth) {
    if (depth <= 0 || Pick(4) == 0) return Leaf(t);
    switch (t) {
      case Type::kBool: return GenBool(depth);
      case Type::kInt64: return GenInt(depth);
      case Type::kDouble: return GenDouble(depth);
      case Type::kText: return GenText(depth);
      case Type::kTimestamp: return GenTs(depth);
      case Type::kDate: return Leaf(t);
    }
    return "NULL";
  }

  std::string Literal(Type t) {
    static const char* kBool[] = {"true", "false"};
    static const char* kInt[] = {"0", "1", "-1", "2", "7", "-7", "100", "3037000500", "-3037000500",
                                 "9223372036854775807", "-9223372036854775807", "4611686018427387904",
                                 "(-9223372036854775807 - 1)"};
    static const char* kDouble[] = {"0.0", "-0.0", "1.5", "-2.5", "2.5", "1e300", "-1e300", "1e-300", "0.1",
                                    "'NaN'::float8", "'Infinity'::float8", "'-Infinity'::float8", "7.0"};
    static const char* kText[] = {"'a'", "''", "'abc'", "'US'", "'h\xC3\xA9llo'", "'12'", "' 12 '", "'zzz'",
                                  "'ABC'", "'\xE6\x97\xA5\xE6\x9C\xAC'", "'x%y'", "'ab'"};
    static const char* kTs[] = {"'2024-01-08 10:30:05.123456+00'", "'1970-01-01 00:00:00+00'", "'2000-02-29'",
                                "'0001-01-01 00:00:00+00'", "'9999-12-31 23:59:59.999999+00'", "'2024-01-08'"};
    switch (t) {
      case Type::kBool: return kBool[Pick(std::size(kBool))];
      case Type::kInt64: return kInt[Pick(std::size(kInt))];
      case Type::kDouble: return kDouble[Pick(std::size(kDouble))];
      case Type::kText: return kText[Pick(std::size(kText))];
      case Type::kTimestamp: return kTs[Pick(std::size(kTs))];
      case Type::kDate: return "'2024-01-08'";
    }
    return "NULL";
  }

  // A literal that stands alone (typed).
  std::string TypedLiteral(Type t) {
    if (Pick(12) == 0) return std::string("NULL::") + SqlType(t);
    if (t == Type::kText || t == Type::kTimestamp) return Literal(t) + "::" + SqlType(t);
    return Literal(t);
  }

  static const char* SqlType(Type t) {
    switch (t) {
      case Type::kBool: return "boolean";
      case Type::kInt64: return "bigint";
      case Type::kDouble: return "double precision";
      case Type::kText: return "text";
      case Type::kTimestamp: return "timestamptz";
      case Type::kDate: return "date";
    }
    return "text";
  }

 private:
  size_t Pick(size_t n) { return data_.Pick(n); }
  Type AnyType() { return static_cast<Type>(Pick(5)); }
  Type Numeric() { return Pick(2) ? Type::kInt64 : Type::kDouble; }

  std::string Leaf(Type t) {
    static const char* kCols[][2] = {{"b", "b"}, {"n", "m"}, {"d", "e"}, {"s", "t"}, {"ts", "u"}};
    if (Pick(4) == 0) return TypedLiteral(t);
    return kCols[static_cast<int>(t)][Pick(2)];
  }

  // CASE, COALESCE: shared by every type.
  std::string Common(Type t, int depth) {
    switch (Pick(4)) {
      case 0:
        return fmt::format("CASE WHEN {} THEN {} ELSE {} END", Gen(Type::kBool, depth - 1), Gen(t, depth - 1),
                           Gen(t, depth - 1));
      case 1:
        return fmt::format("CASE WHEN {} THEN {} WHEN {} THEN {} END", Gen(Type::kBool, depth - 1),
                           Gen(t, depth - 1), Gen(Type::kBool, depth - 1), Gen(t, depth - 1));
      case 2: {
        Type o = Pick(2) ? Type::kInt64 : Type::kText;
        return fmt::format("CASE {} WHEN {} THEN {} WHEN {} THEN {} ELSE {} END", Gen(o, depth - 1), Literal(o),
                           Gen(t, depth - 1), Literal(o), Gen(t, depth - 1), Gen(t, depth - 1));
      }
      default:
        return fmt::format("COALESCE({}, {}, {})", Gen(t, depth - 1), Gen(t, depth - 1), Gen(t, depth - 1));
    }
  }

  std::string GenBool(int depth) {
    static const char* kOps[] = {"=", "<>", "<", "<=", ">", ">="};
    switch (Pick(12)) {
      case 0:
      case 1: {  // comparison, often with a literal
        Type t = AnyType();
        std::string a = Gen(t, depth - 1);
        std::string b = Pick(2) ? Literal(t) : Gen(t == Type::kInt64 || t == Type::kDouble ? Numeric() : t, depth - 1);
        return fmt::format("({} {} {})", a, kOps[Pick(6)], b);
      }
      case 2: return fmt::format("({} AND {})", Gen(Type::kBool, depth - 1), Gen(Type::kBool, depth - 1));
      case 3: return fmt::format("({} OR {})", Gen(Type::kBool, depth - 1), Gen(Type::kBool, depth - 1));
      case 4:
        return fmt::format("({} {} {} {} {})", Gen(Type::kBool, depth - 1), Pick(2) ? "AND" : "OR",
                           Gen(Type::kBool, depth - 1), Pick(2) ? "AND" : "OR", Gen(Type::kBool, depth - 1));
      case 5: return fmt::format("(NOT {})", Gen(Type::kBool, depth - 1));
      case 6: return fmt::format("({} IS {}NULL)", Gen(AnyType(), depth - 1), Pick(2) ? "NOT " : "");
      case 7: {  // IN: short or long lists, sometimes with NULL, sometimes bigint among doubles
        Type t = AnyType();
        size_t k = Pick(3) == 0 ? 14 + Pick(12) : 1 + Pick(5);
        std::string items;
        for (size_t i = 0; i < k; i++) {
          std::string item = Pick(15) == 0 ? "NULL" : Literal(t);
          if (t == Type::kInt64 && Pick(8) == 0) item = Literal(Type::kDouble);
          if (t == Type::kTimestamp && item != "NULL") item += "::timestamptz";
          items += (i ? ", " : "") + item;
        }
        if (t == Type::kInt64 || t == Type::kDouble) {
          std::string lits;
          for (int i = 0; i < 16; i++) lits += fmt::format("{}{}", i ? ", " : "", static_cast<int>(Pick(41)) - 20);
          if (Pick(3) == 0) items = lits;  // values that random data hits
        }
        return fmt::format("({} {}IN ({}))", Gen(t, depth - 1), Pick(3) == 0 ? "NOT " : "", items);
      }
      case 8: {
        Type t = AnyType();
        bool lits = Pick(3) != 0;
        return fmt::format("({} {}BETWEEN {} AND {})", Gen(t, depth - 1), Pick(3) == 0 ? "NOT " : "",
                           lits ? Literal(t) : Gen(t, depth - 1), lits ? Literal(t) : Gen(t, depth - 1));
      }
      case 9: {
        static const char* kPatterns[] = {"'abc'", "'a%'", "'%c'", "'%b%'", "'%'", "'%%'", "'a_c'", "'_'", "''",
                                          "'h%'", "'%lo'", "'%\xC3\xA9%'", "'US'", "'x\\%y'", "'%\\_%'", "'A%'",
                                          "'%BC'", "'%a%b%'", "'__'", "'a\\\\'", "t"};
        const char* ops[] = {"LIKE", "NOT LIKE", "ILIKE", "NOT ILIKE"};
        std::string esc = Pick(10) == 0 ? " ESCAPE '#'" : "";
        return fmt::format("({} {} {}{})", Gen(Type::kText, depth - 1), ops[Pick(4)],
                           kPatterns[Pick(std::size(kPatterns))], esc);
      }
      case 10: return fmt::format("(b = ({} > {}))", Gen(Type::kInt64, depth - 1), Literal(Type::kInt64));
      default: return Common(Type::kBool, depth);
    }
  }

  std::string GenInt(int depth) {
    static const char* kOps[] = {"+", "-", "*", "/", "%"};
    switch (Pick(10)) {
      case 0:
      case 1:
      case 2:
        return fmt::format("({} {} {})", Gen(Type::kInt64, depth - 1), kOps[Pick(5)], Gen(Type::kInt64, depth - 1));
      case 3: return fmt::format("(- {})", Gen(Type::kInt64, depth - 1));
      case 4: return fmt::format("CAST({} AS bigint)", Gen(Pick(3) ? Type::kDouble : Type::kBool, depth - 1));
      case 5: {
        static const char* kFns[] = {"abs({})", "length({})", "NULLIF({}, 7)", "greatest({}, 0)", "mod({}, 3)"};
        size_t f = Pick(std::size(kFns));
        return fmt::format(fmt::runtime(kFns[f]), Gen(f == 1 ? Type::kText : Type::kInt64, depth - 1));
      }
      case 6:  // from text: mostly runtime errors
        if (Pick(4) == 0) return fmt::format("CAST({} AS bigint)", Gen(Type::kText, depth - 1));
        return Common(Type::kInt64, depth);
      default: return Common(Type::kInt64, depth);
    }
  }

  std::string GenDouble(int depth) {
    static const char* kOps[] = {"+", "-", "*", "/", "%"};
    static const char* kFields[] = {"year", "quarter", "month", "week", "day", "dow", "isodow", "doy", "hour",
                                    "minute", "second", "milliseconds", "microseconds", "epoch", "isoyear",
                                    "decade", "century", "millennium", "timezone"};
    switch (Pick(10)) {
      case 0:
      case 1:
      case 2: {
        Type a = Numeric(), b = a == Type::kInt64 ? Type::kDouble : Numeric();
        if (Pick(2)) std::swap(a, b);
        return fmt::format("({} {} {})", Gen(a, depth - 1), kOps[Pick(5)], Gen(b, depth - 1));
      }
      case 3: return fmt::format("(- {})", Gen(Type::kDouble, depth - 1));
      case 4: return fmt::format("CAST({} AS double precision)", Gen(Type::kInt64, depth - 1));
      case 5:
        return fmt::format("extract({} FROM {})", kFields[Pick(std::size(kFields))], Gen(Type::kTimestamp, depth - 1));
      case 6: return fmt::format("{}({})", Pick(2) ? "round" : "sqrt", Gen(Type::kDouble, depth - 1));
      case 7: return fmt::format("COALESCE({}, {})", Gen(Type::kDouble, depth - 1), Gen(Type::kInt64, depth - 1));
      default: return Common(Type::kDouble, depth);
    }
  }

  std::string GenText(int depth) {
    switch (Pick(8)) {
      case 0:
      case 1: return fmt::format("CAST({} AS text)", Gen(AnyType(), depth - 1));
      case 2: return fmt::format("lower({})", Gen(Type::kText, depth - 1));
      case 3: return fmt::format("({} || {})", Gen(Type::kText, depth - 1), Gen(Type::kText, depth - 1));
      default: return Common(Type::kText, depth);
    }
  }

  std::string GenTs(int depth) {
    static const char* kUnits[] = {"second", "minute", "hour", "day", "week", "month", "year"};
    static const char* kIntervals[] = {"1 hour", "1 day", "90 minutes", "-3 days", "0.5 seconds", "50000000 days"};
    switch (Pick(6)) {
      case 0:
      case 1: return fmt::format("date_trunc('{}', {})", kUnits[Pick(7)], Gen(Type::kTimestamp, depth - 1));
      case 2:
        return fmt::format("({} {} interval '{}')", Gen(Type::kTimestamp, depth - 1), Pick(2) ? "+" : "-",
                           kIntervals[Pick(std::size(kIntervals))]);
      case 3:
        if (Pick(4) == 0) return fmt::format("CAST({} AS timestamptz)", Gen(Type::kText, depth - 1));
        return Common(Type::kTimestamp, depth);
      default: return Common(Type::kTimestamp, depth);
    }
  }

  DataGen& data_;
};

// LAMINAR_EXPR_SEED and LAMINAR_EXPR_COUNT change the seed and the number of expressions (for
// longer runs: LAMINAR_EXPR_SEED=$RANDOM LAMINAR_EXPR_COUNT=20000 execution_test); SHOW_UNBOUND=1
// prints the generated expressions the binder refuses.
uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 10) : fallback;
}

TEST(ExpressionDifferentialTest, GeneratedExpressions) {
  uint64_t seed = EnvOr("LAMINAR_EXPR_SEED", 20240108);
  int count = static_cast<int>(EnvOr("LAMINAR_EXPR_COUNT", 700));
  DataGen data(seed);
  ExprGen gen(data);
  Stats st;
  for (int k = 0; k < count; k++) {
    Type t = static_cast<Type>(k % 5);
    CheckText(gen.Gen(t, 1 + static_cast<int>(data.Pick(4))), data, 3, &st);
  }
  std::printf("generated: %d expressions (%d not bindable), %d evaluations, %d rows, %d with errors\n", st.exprs,
              st.unbound, st.evaluations, st.rows, st.errors);
  EXPECT_EQ(0, st.failures);
  EXPECT_LT(st.unbound * 10, st.exprs) << "the generator makes too many unbindable expressions";
  EXPECT_GT(st.errors, 10) << "the runtime-error paths were hardly exercised";
}

// Expressions chosen for their edges; each over many random chunks.
TEST(ExpressionDifferentialTest, HandWrittenEdgeCases) {
  static const char* kExprs[] = {
      // bigint arithmetic: overflow, division by zero, INT64_MIN / -1, modulo -1
      "n + m", "n - m", "n * m", "n / m", "n % m", "-n", "n + 1", "1 - n", "n * 2", "n / 0", "n % 0", "n / -1",
      "n % -1", "9223372036854775807 + n", "(n * m) + 1", "-(n - m)",
      // double arithmetic: overflow, underflow, NaN, infinities, -0, mixed with bigint
      "d + e", "d - e", "d * e", "d / e", "d % e", "n / d", "d * n", "d / 0", "d * 1e300", "d / 1e300", "-d",
      "n + d", "d - 0.0", "e * -0.0",
      // comparisons of every type, literal on either side, bigint against double
      "n = m", "n < m", "n >= 7", "7 < n", "d = e", "d < e", "d <> 'NaN'::float8", "d >= 'NaN'::float8",
      "n = d", "n < d", "d > n", "n = 9007199254740993", "n = 9007199254740993.0", "s = t", "s < t", "s >= 'b'",
      "'b' < s", "ts < u", "ts >= '2024-01-08'", "b = true", "b < (n > 0)", "d = -0.0",
      // AND/OR/NOT: Kleene logic, errors only where sql::Eval evaluates
      "b AND n > 0", "b OR n > 0", "NOT b", "b AND (n + m) > 0", "b OR (n * m) > 0", "(n > 0 AND s::bigint > 0)",
      "(d > 0 OR s::bigint > 0)", "NOT (b AND d > 0)", "n > 0 AND m > 0 AND d > 0 AND s < 'm'",
      "n > 0 OR m > 0 OR s IS NULL", "(b OR NULL::boolean) AND (n > 0)",
      // IS NULL, IN, BETWEEN
      "n IS NULL", "s IS NOT NULL", "(n + m) IS NULL", "n IN (1, 2, 7)", "n NOT IN (1, NULL)", "n IN (1, 2.5)",
      "d IN (1, 2.5, 'NaN', 0)", "d NOT IN (-0.0, 7)",
      "n IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20, -1, -2, -3, 9223372036854775807)",
      "d IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20, 'NaN', 'Infinity', 0.5, 2.5)",
      "s IN ('a','b','US','FR','abc','','x','y','z','q','w','e','r','t','zzz','ab','bc','h\xC3\xA9llo')",
      "s NOT IN ('a', NULL)", "ts IN ('2024-01-08 10:30:05.123456+00', '1970-01-01')", "b IN (true)",
      "n BETWEEN -5 AND 5", "n NOT BETWEEN 0 AND m", "d BETWEEN 0 AND 1e300", "d BETWEEN n AND m",
      "s BETWEEN 'a' AND 'b'", "ts BETWEEN '2000-01-01' AND '2030-01-01'", "n BETWEEN 1.5 AND 3",
      // LIKE shapes
      "s LIKE 'abc'", "s LIKE 'ab%'", "s LIKE '%bc'", "s LIKE '%b%'", "s LIKE '%'", "s NOT LIKE '%'",
      "s LIKE 'a_c'", "s ILIKE 'ABC'", "s ILIKE 'a%'", "s ILIKE '%BC'", "s ILIKE '%B%'", "s LIKE t",
      "s LIKE '%\xC3\xA9%'", "s LIKE 'x\\%y'", "s LIKE 'x#%y' ESCAPE '#'", "s LIKE '' ", "s NOT ILIKE '%c'",
      // CASE and COALESCE: branches not taken are not evaluated
      "CASE WHEN n > 0 THEN n * 2 ELSE n / 0 END", "CASE WHEN b THEN n ELSE s::bigint END",
      "CASE WHEN s LIKE '1%' THEN s::bigint END", "CASE WHEN n > 0 THEN 'pos' WHEN n < 0 THEN 'neg' END",
      "CASE n WHEN 1 THEN 'one' WHEN 7 THEN 'seven' ELSE s END", "CASE s WHEN 'US' THEN d WHEN 'FR' THEN n END",
      "CASE d WHEN 2.5 THEN 'x' WHEN 'NaN' THEN 'nan' END", "CASE WHEN b THEN s ELSE t END",
      "CASE WHEN b THEN ts END", "COALESCE(n, m, 0)", "COALESCE(s, t, 'none')", "COALESCE(d, n)",
      "COALESCE(n, s::bigint)", "COALESCE(NULL::bigint, n)", "COALESCE(ts, u)",
      // casts
      "d::bigint", "n::float8", "n::boolean", "b::bigint", "n::text", "d::text", "b::text", "ts::text",
      "s::bigint", "s::float8", "s::timestamptz", "s::boolean", "(d * 1e20)::text",
      // date_trunc, extract, intervals
      "date_trunc('second', ts)", "date_trunc('minute', ts)", "date_trunc('hour', ts)", "date_trunc('day', ts)",
      "date_trunc('week', ts)", "date_trunc('month', ts)", "date_trunc('year', ts)", "extract(hour FROM ts)",
      "extract(year FROM ts)", "extract(epoch FROM ts)", "extract(week FROM ts)", "extract(isoyear FROM ts)",
      "extract(dow FROM ts)", "extract(century FROM ts)", "extract(millennium FROM ts)", "extract(decade FROM ts)",
      "extract(second FROM ts)", "date_part('doy', ts)", "ts + interval '1 hour'", "ts - interval '1 day'",
      "ts + interval '50000000 days'", "ts - interval '50000000 days'",
      "(ts - interval '50000000 days') - interval '50000000 days'", "date_trunc('day', ts + interval '1 day')",
      // fallbacks
      "lower(s)", "upper(s) || t", "length(s) + n", "abs(n)", "round(d)", "sqrt(d)", "NULLIF(n, 7)",
      "greatest(n, m, 0)", "least(s, t)", "substr(s, 2)", "s || n", "lower(s) LIKE 'a%'",
  };
  DataGen data(7);
  Stats st;
  for (const char* text : kExprs) {
    auto e = Bind(text);
    ASSERT_TRUE(e.ok()) << text << ": " << e.status().ToString();
    for (int k = 0; k < 12; k++) Check(text, **e, data.Input(), &st);
  }
  std::printf("hand-written: %d evaluations, %d rows, %d with errors\n", st.evaluations, st.rows, st.errors);
  EXPECT_EQ(0, st.failures);
}

// ---------------------------------------------------------------------------------------------
// Specific behaviours.

Chunk OneColumn(Type t, const std::vector<Value>& values) {
  Chunk c({t});
  for (const auto& v : values) c.AppendValues({v});
  return c;
}

TEST(ExpressionTest, BranchNotTakenRecordsNoError) {
  // s::bigint fails on 'x', but only rows with b false take that branch.
  Chunk c({Type::kBool, Type::kText});
  c.AppendValues({Value::Bool(true), Value::Text("x")});
  c.AppendValues({Value::Bool(false), Value::Text("5")});
  sql::Scope scope;
  scope.columns = {{"b", Type::kBool}, {"s", Type::kText}};
  auto stmts = sql::Parse("SELECT CASE WHEN b THEN 1 ELSE s::bigint END FROM t");
  ASSERT_TRUE(stmts.ok());
  auto tree = sql::TransformExpr((*stmts)[0].node["SelectStmt"]["targetList"][0]["ResTarget"]["val"]);
  ASSERT_TRUE(tree.ok());
  auto e = sql::BindExpr(**tree, scope);
  ASSERT_TRUE(e.ok());
  sql::ClearEvalError();
  Vector out;
  EvalVector(**e, c, &out);
  EXPECT_FALSE(sql::HasEvalError());
  EXPECT_EQ(1, out.i64(0));
  EXPECT_EQ(5, out.i64(1));
}

TEST(ExpressionTest, OverflowIsNullAndRecorded) {
  Chunk c = OneColumn(Type::kInt64, {Value::Int(1), Value::Int(kMax), Value::Null()});
  auto e = sql::MakeColumn(0, "n", Type::kInt64);
  auto plus = std::make_shared<sql::Expr>();
  plus->kind = sql::ExprKind::kArith;
  plus->arith = sql::ArithOp::kAdd;
  plus->type = Type::kInt64;
  plus->children = {e, sql::MakeLiteral(Value::Int(1), Type::kInt64)};
  sql::ClearEvalError();
  Vector out;
  EvalVector(*plus, c, &out);
  ASSERT_TRUE(sql::HasEvalError());
  EXPECT_EQ("bigint out of range", sql::TakeEvalError().message());
  EXPECT_EQ(2, out.i64(0));
  EXPECT_TRUE(out.is_null(1));
  EXPECT_TRUE(out.is_null(2));
}

TEST(ExpressionTest, AnEarlierErrorIsKept) {
  Chunk c = OneColumn(Type::kText, {Value::Text("abc"), Value::Text("12")});
  auto cast = sql::MakeCast(sql::MakeColumn(0, "s", Type::kText), Type::kInt64);
  sql::ClearEvalError();
  sql::RecordEvalError(ErrorCode::kInvalidParameterValue, "the first error");
  Vector out;
  EvalVector(*cast, c, &out);
  EXPECT_TRUE(out.is_null(0));
  EXPECT_EQ(12, out.i64(1));
  EXPECT_EQ("the first error", sql::TakeEvalError().message());
}

TEST(ExpressionTest, TextResultsOutliveTheInput) {
  // Column copies, CASE forwarding, literals and casts: all readable after the input is gone.
  auto e = Bind("CASE WHEN n > 0 THEN s WHEN n < 0 THEN 'negative' ELSE CAST(d AS text) END");
  ASSERT_TRUE(e.ok());
  Vector out;
  {
    Chunk c(TestTypes());
    std::vector<Value> row(9);
    row[1] = Value::Int(1);
    row[5] = Value::Text(std::string(300, 'q'));
    c.AppendValues(row);
    row[1] = Value::Int(-1);
    c.AppendValues(row);
    row[1] = Value::Int(0);
    row[3] = Value::Double(0.25);
    c.AppendValues(row);
    EvalVector(**e, c, &out);
  }
  EXPECT_EQ(std::string(300, 'q'), out.str(0));
  EXPECT_EQ("negative", out.str(1));
  EXPECT_EQ("0.25", out.str(2));
}

TEST(ExpressionTest, EmptyChunkAndNoColumns) {
  auto e = Bind("n + 1");
  ASSERT_TRUE(e.ok());
  Chunk empty(TestTypes());
  Vector out;
  EvalVector(**e, empty, &out);
  EXPECT_EQ(0u, out.size());
  std::vector<uint32_t> sel = {1, 2};
  auto p = Bind("n > 1");
  ASSERT_TRUE(p.ok());
  EvalSelect(**p, empty, &sel);
  EXPECT_TRUE(sel.empty());
  // A constant over a chunk of rows but no columns (SELECT 1 FROM t reading no column).
  Chunk no_columns;
  no_columns.rows = 3;
  auto lit = sql::MakeLiteral(Value::Text("k"), Type::kText);
  EvalVector(*lit, no_columns, &out);
  ASSERT_EQ(3u, out.size());
  EXPECT_EQ("k", out.str(2));
}

TEST(ExpressionTest, SelectIsAscendingTrueRowsOnly) {
  Chunk c = OneColumn(Type::kInt64, {Value::Int(5), Value::Null(), Value::Int(0), Value::Int(9), Value::Int(2)});
  auto e = sql::MakeCompare(sql::CompareOp::kGt, sql::MakeColumn(0, "n", Type::kInt64),
                            sql::MakeLiteral(Value::Int(1), Type::kInt64));
  std::vector<uint32_t> sel;
  EvalSelect(*e, c, &sel);
  EXPECT_EQ((std::vector<uint32_t>{0, 3, 4}), sel);
}

}  // namespace
}  // namespace laminar::sql
