#include "sql/expr.h"

#include <cstring>

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <limits>

#include "sql/binder.h"  // CastText: the slow path (and the error message) of text casts
#include "common/strings.h"

namespace laminar::sql {

ExprPtr MakeColumn(int index, std::string name, Type type) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kColumn;
  e->column = index;
  e->column_name = std::move(name);
  e->type = type;
  return e;
}

ExprPtr MakeLiteral(Value v, Type type) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kLiteral;
  e->literal = std::move(v);
  e->type = type;
  return e;
}

ExprPtr MakeCompare(CompareOp op, ExprPtr a, ExprPtr b) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCompare;
  e->op = op;
  e->type = Type::kBool;
  e->children = {std::move(a), std::move(b)};
  return e;
}

ExprPtr MakeDateTrunc(TimeUnit unit, ExprPtr arg) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kDateTrunc;
  e->unit = unit;
  e->type = Type::kTimestamp;
  e->children = {std::move(arg)};
  return e;
}

ExprPtr MakeCast(ExprPtr arg, Type to) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCast;
  e->type = to;
  e->children = {std::move(arg)};
  return e;
}

// ---------------------------------------------------------------------------------------------
// The runtime error slot.

namespace {

thread_local std::string eval_error_message;
thread_local ErrorCode eval_error_code = ErrorCode::kNone;

void RecordError(ErrorCode code, std::string message) {
  if (internal::eval_error) return;
  internal::eval_error = true;
  eval_error_code = code;
  eval_error_message = std::move(message);
}

// Records a runtime error (formatting the message only for the first one) and returns NULL.
template <typename... Args>
Value EvalError(ErrorCode code, fmt::format_string<Args...> f, Args&&... args) {
  if (!internal::eval_error) RecordError(code, fmt::format(f, std::forward<Args>(args)...));
  return Value::Null();
}

Value BigintOutOfRange() { return EvalError(ErrorCode::kNumericValueOutOfRange, "bigint out of range"); }

}  // namespace

void RecordEvalError(ErrorCode code, std::string message) { RecordError(code, std::move(message)); }

Status TakeEvalError() {
  if (!internal::eval_error) return Status::OK();
  internal::eval_error = false;
  Status st(StatusCode::kInvalidArgument, eval_error_code, std::move(eval_error_message));
  eval_error_message.clear();
  eval_error_code = ErrorCode::kNone;
  return st;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL text output.

namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

void AppendFraction(int64_t frac_micros, std::string* out) {
  if (frac_micros == 0) return;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06d", static_cast<int>(frac_micros));
  int n = 6;
  while (n > 0 && buf[n - 1] == '0') n--;
  out->push_back('.');
  out->append(buf, n);
}

}  // namespace

std::string FormatFloat8(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, r.ptr - buf);  // "-1.2345e+20", "1e-05"
  size_t epos = sci.find('e');
  int exp = std::atoi(std::string(sci.substr(epos + 1)).c_str());
  if (exp < -4 || exp >= 15) return std::string(sci);  // as PostgreSQL (and printf): 1e+20, 1e-05
  bool neg = sci[0] == '-';
  std::string digits;
  for (char c : sci.substr(neg ? 1 : 0, epos - (neg ? 1 : 0)))
    if (c != '.') digits.push_back(c);
  std::string out = neg ? "-" : "";
  if (exp < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exp - 1), '0');
    out += digits;
    return out;
  }
  size_t int_digits = static_cast<size_t>(exp) + 1;
  if (digits.size() <= int_digits) {
    out += digits;
    out.append(int_digits - digits.size(), '0');
  } else {
    out += digits.substr(0, int_digits);
    out += '.';
    out += digits.substr(int_digits);
  }
  return out;
}

std::string FormatTimestamptz(int64_t micros) {
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t tod = micros - days * kMicrosPerDay;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  bool bc = y <= 0;
  if (bc) y = 1 - y;
  int64_t secs = tod / kMicrosPerSecond;
  std::string out = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", y, m, d, secs / 3600, (secs / 60) % 60,
                                secs % 60);
  AppendFraction(tod % kMicrosPerSecond, &out);
  out += "+00";
  if (bc) out += " BC";
  return out;
}

std::string FormatInterval(int64_t micros) {
  int64_t days = micros / kMicrosPerDay, rem = micros % kMicrosPerDay;
  std::string out;
  if (days != 0) out = fmt::format("{} {}", days, days == 1 ? "day" : "days");
  if (rem != 0 || days == 0) {
    if (!out.empty()) out += ' ';
    if (rem < 0) out += '-';
    int64_t r = rem < 0 ? -rem : rem;
    int64_t secs = r / kMicrosPerSecond;
    fmt::format_to(std::back_inserter(out), "{:02}:{:02}:{:02}", secs / 3600, (secs / 60) % 60, secs % 60);
    AppendFraction(r % kMicrosPerSecond, &out);
  }
  return out;
}

std::string PgText(const Value& v, Type t) {
  if (v.is_null()) return "";
  switch (t) {
    case Type::kBool: return v.as_bool() ? "true" : "false";
    case Type::kInt64: return std::to_string(v.as_int());
    case Type::kDouble: return FormatFloat8(v.as_double());
    case Type::kText: return v.as_text();
    case Type::kTimestamp: return FormatTimestamptz(v.as_int());
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// LIKE.

namespace {

inline char FoldAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool IsCont(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
// The byte offset of the code point after the one at i.
inline size_t NextChar(std::string_view s, size_t i) {
  i++;
  while (i < s.size() && IsCont(s[i])) i++;
  return i;
}

}  // namespace

bool LikeMatch(std::string_view t, std::string_view p, char escape, bool fold_case, bool* bad_escape) {
  size_t ti = 0, pi = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (ti < t.size()) {
    if (pi < p.size()) {
      char c = p[pi];
      size_t plen = 1;
      if (escape != '\0' && c == escape) {  // first: the escape may be '%' or '_'
        if (pi + 1 >= p.size()) {
          *bad_escape = true;
          return false;
        }
        c = p[pi + 1];
        plen = 2;
      } else if (c == '%') {
        star_p = ++pi;
        star_t = ti;
        continue;
      } else if (c == '_') {
        ti = NextChar(t, ti);
        pi++;
        continue;
      }
      if (fold_case ? FoldAscii(c) == FoldAscii(t[ti]) : c == t[ti]) {
        ti++;
        pi += plen;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    star_t = NextChar(t, star_t);
    ti = star_t;
    pi = star_p;
  }
  while (pi < p.size() && p[pi] == '%' && escape != '%') pi++;
  if (pi < p.size() && escape != '\0' && p[pi] == escape && pi + 1 == p.size()) *bad_escape = true;
  return pi == p.size();
}

// ---------------------------------------------------------------------------------------------
// ToString.

namespace {

const char* OpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "<>";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

const char* ArithText(ArithOp op) {
  switch (op) {
    case ArithOp::kAdd: return "+";
    case ArithOp::kSub: return "-";
    case ArithOp::kMul: return "*";
    case ArithOp::kDiv: return "/";
    case ArithOp::kMod: return "%";
  }
  return "?";
}

const char* FuncName(Func f) {
  switch (f) {
    case Func::kLower: return "lower";
    case Func::kUpper: return "upper";
    case Func::kLength: return "length";
    case Func::kSubstr: return "substr";
    case Func::kConcat: return "concat";
    case Func::kConcatOp: return "||";
    case Func::kBtrim: return "btrim";
    case Func::kLtrim: return "ltrim";
    case Func::kRtrim: return "rtrim";
    case Func::kReplace: return "replace";
    case Func::kStrpos: return "strpos";
    case Func::kAbs: return "abs";
    case Func::kRound: return "round";
    case Func::kTrunc: return "trunc";
    case Func::kFloor: return "floor";
    case Func::kCeil: return "ceil";
    case Func::kMod: return "mod";
    case Func::kSqrt: return "sqrt";
    case Func::kPower: return "power";
    case Func::kLn: return "ln";
    case Func::kLog10: return "log";
    case Func::kExp: return "exp";
    case Func::kSign: return "sign";
    case Func::kToTimestamp: return "to_timestamp";
  }
  return "?";
}

const char* DatePartName(DatePart f) {
  switch (f) {
    case DatePart::kYear: return "year";
    case DatePart::kQuarter: return "quarter";
    case DatePart::kMonth: return "month";
    case DatePart::kWeek: return "week";
    case DatePart::kDay: return "day";
    case DatePart::kDow: return "dow";
    case DatePart::kIsoDow: return "isodow";
    case DatePart::kDoy: return "doy";
    case DatePart::kHour: return "hour";
    case DatePart::kMinute: return "minute";
    case DatePart::kSecond: return "second";
    case DatePart::kMilliseconds: return "milliseconds";
    case DatePart::kMicroseconds: return "microseconds";
    case DatePart::kEpoch: return "epoch";
    case DatePart::kIsoYear: return "isoyear";
    case DatePart::kDecade: return "decade";
    case DatePart::kCentury: return "century";
    case DatePart::kMillennium: return "millennium";
    case DatePart::kTimezone: return "timezone";
    case DatePart::kTimezoneHour: return "timezone_hour";
    case DatePart::kTimezoneMinute: return "timezone_minute";
  }
  return "?";
}

std::string LiteralText(const Value& v) {
  if (v.is_null()) return "NULL";
  if (v.type() == Type::kText || v.type() == Type::kTimestamp) return QuoteSqlLiteral(v.ToString());
  return v.ToString();
}

std::string ListText(const std::vector<ExprPtr>& children, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < children.size(); i++) {
    if (i > from) out += ", ";
    out += children[i]->ToString();
  }
  return out;
}

}  // namespace

std::string Expr::ToString() const {
  switch (kind) {
    case ExprKind::kColumn: return column_name;
    case ExprKind::kLiteral: return LiteralText(literal);
    case ExprKind::kCompare:
      return fmt::format("({} {} {})", children[0]->ToString(), OpText(op), children[1]->ToString());
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      std::string out = "(";
      for (size_t i = 0; i < children.size(); i++) {
        if (i) out += kind == ExprKind::kAnd ? " AND " : " OR ";
        out += children[i]->ToString();
      }
      return out + ")";
    }
    case ExprKind::kNot: return "(NOT " + children[0]->ToString() + ")";
    case ExprKind::kIn:
      return "(" + children[0]->ToString() + (negated ? " NOT IN (" : " IN (") + ListText(children, 1) + "))";
    case ExprKind::kBetween:
      return fmt::format("({} {}BETWEEN {} AND {})", children[0]->ToString(), negated ? "NOT " : "",
                         children[1]->ToString(), children[2]->ToString());
    case ExprKind::kIsNull:
      return fmt::format("({} IS {}NULL)", children[0]->ToString(), negated ? "NOT " : "");
    case ExprKind::kDateTrunc:
      return fmt::format("date_trunc('{}', {})", TimeUnitName(unit), children[0]->ToString());
    case ExprKind::kArith:
      if (type == Type::kTimestamp && children[1]->kind == ExprKind::kLiteral &&
          !children[1]->literal.is_null())
        return fmt::format("({} {} interval {})", children[0]->ToString(), ArithText(arith),
                           QuoteSqlLiteral(FormatInterval(children[1]->literal.as_int())));
      return fmt::format("({} {} {})", children[0]->ToString(), ArithText(arith), children[1]->ToString());
    case ExprKind::kNegate: return "(-" + children[0]->ToString() + ")";
    case ExprKind::kCase: {
      std::string out = "CASE";
      size_t i = 0;
      if (has_operand) out += " " + children[i++]->ToString();
      for (; i + 1 < children.size(); i += 2)
        out += " WHEN " + children[i]->ToString() + " THEN " + children[i + 1]->ToString();
      const Expr& els = *children.back();
      if (!(els.kind == ExprKind::kLiteral && els.literal.is_null())) out += " ELSE " + els.ToString();
      return out + " END";
    }
    case ExprKind::kCoalesce: return "COALESCE(" + ListText(children) + ")";
    case ExprKind::kNullIf: return "NULLIF(" + ListText(children) + ")";
    case ExprKind::kMinMax: return (least ? "LEAST(" : "GREATEST(") + ListText(children) + ")";
    case ExprKind::kCast: return fmt::format("CAST({} AS {})", children[0]->ToString(), TypeName(type));
    case ExprKind::kFunc:
      if (func == Func::kConcatOp)
        return fmt::format("({} || {})", children[0]->ToString(), children[1]->ToString());
      return fmt::format("{}({})", FuncName(func), ListText(children));
    case ExprKind::kLike: {
      std::string out = fmt::format("({} {}{} {}", children[0]->ToString(), negated ? "NOT " : "",
                                    ilike ? "ILIKE" : "LIKE", children[1]->ToString());
      if (escape != '\\') out += " ESCAPE " + QuoteSqlLiteral(escape ? std::string_view(&escape, 1) : std::string_view());
      return out + ")";
    }
    case ExprKind::kExtract:
      return fmt::format("extract({} FROM {})", DatePartName(field), children[0]->ToString());
  }
  return "?";
}

namespace {

void AppendKey(const Expr& e, std::string* out) {
  // Every field that changes what the expression computes; separators keep fields apart.
  fmt::format_to(std::back_inserter(*out), "({}:{}", static_cast<int>(e.kind), static_cast<int>(e.type));
  switch (e.kind) {
    case ExprKind::kColumn: fmt::format_to(std::back_inserter(*out), ":c{}", e.column); break;
    case ExprKind::kLiteral: {
      const Value& v = e.literal;
      if (v.is_null()) {
        *out += ":null";
      } else {
        fmt::format_to(std::back_inserter(*out), ":t{}:", static_cast<int>(v.type()));
        switch (v.type()) {
          case Type::kDouble: {
            double d = v.as_double();
            uint64_t bits;
            std::memcpy(&bits, &d, sizeof bits);
            fmt::format_to(std::back_inserter(*out), "{:x}", bits);
            break;
          }
          case Type::kText: fmt::format_to(std::back_inserter(*out), "{}:{}", v.as_text().size(), v.as_text()); break;
          default: fmt::format_to(std::back_inserter(*out), "{}", v.as_int()); break;
        }
      }
      break;
    }
    default:
      fmt::format_to(std::back_inserter(*out), ":{}:{}:{}:{}{}{}{}:{}:{}:{}", static_cast<int>(e.op),
                     static_cast<int>(e.arith), static_cast<int>(e.unit), int(e.negated), int(e.has_operand),
                     int(e.least), int(e.ilike), static_cast<int>(static_cast<unsigned char>(e.escape)),
                     static_cast<int>(e.func), static_cast<int>(e.field));
      break;
  }
  for (const auto& c : e.children) AppendKey(*c, out);
  *out += ')';
}

}  // namespace

std::string Expr::Key() const {
  std::string out;
  AppendKey(*this, &out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

namespace {

Value Bool3(int b) { return b < 0 ? Value::Null() : Value::Bool(b != 0); }
// -1 unknown, 0 false, 1 true
int Truth(const Value& v) { return v.is_null() ? -1 : (v.as_bool() ? 1 : 0); }

// A reference to the value of `e`: the row's or the literal's own Value when `e` is a column or a
// literal (no copy: text columns are not copied per row), else *tmp, evaluated.
inline const Value& EvalRef(const Expr& e, const Value* row, Value* tmp) {
  if (e.kind == ExprKind::kColumn) return row[e.column];
  if (e.kind == ExprKind::kLiteral) return e.literal;
  *tmp = Eval(e, row);
  return *tmp;
}

bool CompareHolds(CompareOp op, int c) {
  switch (op) {
    case CompareOp::kEq: return c == 0;
    case CompareOp::kNe: return c != 0;
    case CompareOp::kLt: return c < 0;
    case CompareOp::kLe: return c <= 0;
    case CompareOp::kGt: return c > 0;
    case CompareOp::kGe: return c >= 0;
  }
  return false;
}

// PostgreSQL's float8 checks: an infinite result from finite inputs overflowed; a zero result
// from non-zero inputs (multiplication, division) underflowed.
Value CheckedDouble(double r, bool overflowed, bool underflowed) {
  if (overflowed) return EvalError(ErrorCode::kNumericValueOutOfRange, "value out of range: overflow");
  if (underflowed) return EvalError(ErrorCode::kNumericValueOutOfRange, "value out of range: underflow");
  return Value::Double(r);
}

Value Arith(ArithOp op, const Value& a, const Value& b, Type type) {
  if (a.is_null() || b.is_null()) return Value::Null();
  if (type == Type::kInt64) {
    int64_t x = a.as_int(), y = b.as_int(), r = 0;
    switch (op) {
      case ArithOp::kAdd: if (__builtin_add_overflow(x, y, &r)) return BigintOutOfRange(); break;
      case ArithOp::kSub: if (__builtin_sub_overflow(x, y, &r)) return BigintOutOfRange(); break;
      case ArithOp::kMul: if (__builtin_mul_overflow(x, y, &r)) return BigintOutOfRange(); break;
      case ArithOp::kDiv:
        if (y == 0) return Value::Null();
        if (x == INT64_MIN && y == -1) return BigintOutOfRange();
        r = x / y;
        break;
      case ArithOp::kMod: if (y == 0 || y == -1) return y == -1 ? Value::Int(0) : Value::Null(); r = x % y; break;
    }
    return Value::Int(r);
  }
  if (type == Type::kTimestamp) {  // timestamptz ± interval (microseconds)
    int64_t x = a.as_int(), y = b.as_int(), r = 0;
    bool overflow = op == ArithOp::kSub ? __builtin_sub_overflow(x, y, &r) : __builtin_add_overflow(x, y, &r);
    if (overflow) return EvalError(ErrorCode::kDatetimeFieldOverflow, "timestamp out of range");
    return Value::Timestamp(r);
  }
  double x = a.numeric(), y = b.numeric(), r = 0;
  bool finite_in = std::isfinite(x) && std::isfinite(y);
  switch (op) {
    case ArithOp::kAdd: r = x + y; return CheckedDouble(r, std::isinf(r) && finite_in, false);
    case ArithOp::kSub: r = x - y; return CheckedDouble(r, std::isinf(r) && finite_in, false);
    case ArithOp::kMul:
      r = x * y;
      return CheckedDouble(r, std::isinf(r) && finite_in, r == 0 && x != 0 && y != 0);
    case ArithOp::kDiv:
      if (y == 0) return Value::Null();
      r = x / y;
      return CheckedDouble(r, std::isinf(r) && std::isfinite(x), r == 0 && x != 0 && !std::isinf(y));
    case ArithOp::kMod: if (y == 0) return Value::Null(); r = std::fmod(x, y); break;
  }
  return Value::Double(r);
}

// ----- casts

inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// text → type. The common valid inputs are parsed here without allocating; anything else goes to
// CastText, which accepts the rest of PostgreSQL's input forms or words the error.
Value CastFromText(const std::string& text, Type to) {
  std::string_view s = TrimSpaces(text);
  switch (to) {
    case Type::kText: return Value::Text(text);
    case Type::kInt64: {
      int64_t v;
      if (!s.empty() && s[0] != '+') {
        auto r = std::from_chars(s.data(), s.data() + s.size(), v);
        if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return Value::Int(v);
      }
      break;
    }
    case Type::kDouble: {
      bool plain = !s.empty() && s[0] != '+';
      for (char c : s)
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) plain = false;
      if (plain) {
        double v;
        auto r = std::from_chars(s.data(), s.data() + s.size(), v);
        if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return Value::Double(v);
      }
      break;
    }
    case Type::kTimestamp: {
      if (auto t = ParseTimestamp(s)) return Value::Timestamp(*t);
      break;
    }
    case Type::kBool: break;
  }
  auto r = CastText(text, to);
  if (!r.ok()) return EvalError(r.status().error_code(), "{}", r.status().message());
  return std::move(r).value();
}

Value CastEval(const Value& v, Type from, Type to) {
  if (v.is_null()) return v;
  if (from == to) return v;
  if (to == Type::kText) return Value::Text(PgText(v, from));
  switch (from) {
    case Type::kText: return CastFromText(v.as_text(), to);
    case Type::kInt64:
      if (to == Type::kDouble) return Value::Double(static_cast<double>(v.as_int()));
      if (to == Type::kBool) return Value::Bool(v.as_int() != 0);
      break;
    case Type::kDouble:
      if (to == Type::kInt64) {
        double r = std::rint(v.as_double());  // PostgreSQL's float8 → int8: ties to even
        if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0)) return BigintOutOfRange();
        return Value::Int(static_cast<int64_t>(r));
      }
      break;
    case Type::kBool:
      if (to == Type::kInt64) return Value::Int(v.as_bool() ? 1 : 0);
      break;
    case Type::kTimestamp: break;
  }
  // The binder refuses these casts; reaching here is a bug.
  return EvalError(ErrorCode::kCannotCoerce, "cannot cast type {} to {}", TypeName(from), TypeName(to));
}

// ----- text functions

// True when the code point `ch` (its bytes) is one of the code points of `set`.
bool CharIn(std::string_view ch, std::string_view set) {
  for (size_t k = 0; k < set.size();) {
    size_t n = NextChar(set, k);
    if (set.substr(k, n - k) == ch) return true;
    k = n;
  }
  return false;
}

size_t SkipChars(std::string_view s, size_t i, int64_t n) {
  while (n > 0 && i < s.size()) {
    i = NextChar(s, i);
    n--;
  }
  return i;
}

int64_t CountChars(std::string_view s, size_t end) {
  int64_t n = 0;
  for (size_t i = 0; i < end; i++) n += !IsCont(s[i]);
  return n;
}

Value Trim(std::string_view s, std::string_view set, bool left, bool right) {
  size_t b = 0, e = s.size();
  if (left) {
    while (b < e) {
      size_t n = NextChar(s, b);
      if (!CharIn(s.substr(b, n - b), set)) break;
      b = n;
    }
  }
  if (right) {
    while (e > b) {
      size_t start = e - 1;
      while (start > b && IsCont(s[start])) start--;
      if (!CharIn(s.substr(start, e - start), set)) break;
      e = start;
    }
  }
  return Value::Text(std::string(s.substr(b, e - b)));
}

Value Substr(std::string_view s, int64_t start, bool has_count, int64_t count) {
  if (has_count && count < 0) return EvalError(ErrorCode::kSubstringError, "negative substring length not allowed");
  int64_t begin = start < 1 ? 1 : start;
  size_t b = SkipChars(s, 0, begin - 1);
  if (!has_count) return Value::Text(std::string(s.substr(b)));
  int64_t end;  // exclusive, in characters
  if (__builtin_add_overflow(start, count, &end)) end = std::numeric_limits<int64_t>::max();
  if (end <= begin) return Value::Text("");
  size_t e = SkipChars(s, b, end - begin);
  return Value::Text(std::string(s.substr(b, e - b)));
}

void AppendConcatText(const Value& v, Type t, std::string* out) {
  if (t == Type::kText) {
    out->append(v.as_text());
  } else if (t == Type::kBool) {
    out->push_back(v.as_bool() ? 't' : 'f');  // concat() uses the output function: 't'/'f'
  } else {
    out->append(PgText(v, t));
  }
}

// ----- numeric functions

// round/trunc(x, n) as PostgreSQL computes them for x::numeric: x is first read as a decimal of
// 15 significant digits (float8 → numeric), then rounded (half away from zero) or truncated at
// n decimal places (n < 0: left of the point).
double DecimalRound(double x, int64_t n, bool truncate) {
  if (!std::isfinite(x) || x == 0) return x;
  if (n > 400) n = 400;
  if (n < -400) n = -400;
  char buf[40];
  auto printed = std::to_chars(buf, buf + sizeof buf - 1, x, std::chars_format::scientific, 14);
  *printed.ptr = '\0';  // "-d.dddddddddddddde±XX"
  bool neg = buf[0] == '-';
  const char* p = buf + (neg ? 1 : 0);
  int digits[16];
  int nd = 0;
  const char* q = p;
  for (; *q && *q != 'e'; q++)
    if (*q >= '0' && *q <= '9') digits[nd++] = *q - '0';
  int exp = std::atoi(q + 1);  // value = d0.d1d2... × 10^exp
  // Digit k weighs 10^(exp-k); keep the digits weighing at least 10^-n.
  int64_t keep = static_cast<int64_t>(exp) + n + 1;
  if (keep > nd) keep = nd;
  bool up = false;
  if (keep < 0) return 0.0;
  if (!truncate && keep < nd) up = digits[keep] >= 5;
  int kept[17];
  for (int64_t i = 0; i < keep; i++) kept[i + 1] = digits[i];
  kept[0] = 0;
  if (up) {
    int64_t i = keep;
    while (true) {
      if (++kept[i] < 10) break;
      kept[i] = 0;
      i--;
    }
  }
  // kept[0..keep] × 10^(exp+1-keep... ): kept[i] weighs 10^(exp - i + 1).
  char out[48];
  int len = 0;
  if (neg) out[len++] = '-';
  bool any = false;
  for (int64_t i = 0; i <= keep; i++) {
    if (!any && kept[i] == 0) continue;
    any = true;
    out[len++] = static_cast<char>('0' + kept[i]);
  }
  if (!any) return 0.0;
  // The last emitted digit is kept[keep], which weighs 10^(exp - keep + 1).
  out[len++] = 'e';
  len = static_cast<int>(std::to_chars(out + len, out + sizeof out, exp - keep + 1).ptr - out);
  double r = 0;
  std::from_chars(out, out + len, r);
  return r;
}

Value Power(double x, double y) {
  if (std::isnan(x)) return Value::Double(y == 0 ? 1.0 : x);
  if (std::isnan(y)) return Value::Double(x == 1 ? 1.0 : y);
  if (x == 0 && y < 0)
    return EvalError(ErrorCode::kInvalidArgumentForPower, "zero raised to a negative power is undefined");
  if (x < 0 && std::floor(y) != y && std::isfinite(y))
    return EvalError(ErrorCode::kInvalidArgumentForPower,
                     "a negative number raised to a non-integer power yields a complex result");
  double r = std::pow(x, y);
  if (std::isinf(r) && std::isfinite(x) && std::isfinite(y))
    return EvalError(ErrorCode::kNumericValueOutOfRange, "value out of range: overflow");
  if (r == 0 && x != 0 && std::isfinite(x) && std::isfinite(y))
    return EvalError(ErrorCode::kNumericValueOutOfRange, "value out of range: underflow");
  return Value::Double(r);
}

Value EvalFunc(const Expr& e, const Value* row) {
  const auto& ch = e.children;
  // concat skips NULLs; every other function is strict (NULL in, NULL out).
  if (e.func == Func::kConcat) {
    std::string out;
    Value tmp;
    for (const auto& c : ch) {
      const Value& v = EvalRef(*c, row, &tmp);
      if (!v.is_null()) AppendConcatText(v, c->type, &out);
    }
    return Value::Text(std::move(out));
  }
  Value t0, t1, t2;
  const Value& a = EvalRef(*ch[0], row, &t0);
  if (a.is_null()) return Value::Null();
  const Value* b = nullptr;
  const Value* c = nullptr;
  if (ch.size() > 1) {
    b = &EvalRef(*ch[1], row, &t1);
    if (b->is_null()) return Value::Null();
  }
  if (ch.size() > 2) {
    c = &EvalRef(*ch[2], row, &t2);
    if (c->is_null()) return Value::Null();
  }
  switch (e.func) {
    case Func::kLower:
    case Func::kUpper: {
      std::string s = a.as_text();
      if (e.func == Func::kLower) {
        for (char& x : s)
          if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
      } else {
        for (char& x : s)
          if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
      }
      return Value::Text(std::move(s));
    }
    case Func::kLength: return Value::Int(CountChars(a.as_text(), a.as_text().size()));
    case Func::kSubstr: return Substr(a.as_text(), b->as_int(), c != nullptr, c ? c->as_int() : 0);
    case Func::kConcat: break;
    case Func::kConcatOp: {
      std::string s;
      s.reserve(a.as_text().size() + b->as_text().size());
      s += a.as_text();
      s += b->as_text();
      return Value::Text(std::move(s));
    }
    case Func::kBtrim:
    case Func::kLtrim:
    case Func::kRtrim:
      return Trim(a.as_text(), b ? std::string_view(b->as_text()) : std::string_view(" "),
                  e.func != Func::kRtrim, e.func != Func::kLtrim);
    case Func::kReplace: {
      const std::string& s = a.as_text();
      const std::string& from = b->as_text();
      if (from.empty()) return a;
      std::string out;
      size_t pos = 0;
      while (true) {
        size_t f = s.find(from, pos);
        if (f == std::string::npos) break;
        out.append(s, pos, f - pos);
        out += c->as_text();
        pos = f + from.size();
      }
      out.append(s, pos, std::string::npos);
      return Value::Text(std::move(out));
    }
    case Func::kStrpos: {
      size_t f = a.as_text().find(b->as_text());
      if (f == std::string::npos) return Value::Int(0);
      return Value::Int(CountChars(a.as_text(), f) + 1);
    }
    case Func::kAbs:
      if (e.type == Type::kInt64) {
        if (a.as_int() == INT64_MIN) return BigintOutOfRange();
        return Value::Int(a.as_int() < 0 ? -a.as_int() : a.as_int());
      }
      return Value::Double(std::fabs(a.as_double()));
    case Func::kRound:
    case Func::kTrunc:
      if (b) return Value::Double(DecimalRound(a.numeric(), b->as_int(), e.func == Func::kTrunc));
      if (e.type == Type::kInt64) return a;
      return Value::Double(e.func == Func::kRound ? std::round(a.as_double()) : std::trunc(a.as_double()));
    case Func::kFloor:
      if (e.type == Type::kInt64) return a;
      return Value::Double(std::floor(a.as_double()));
    case Func::kCeil:
      if (e.type == Type::kInt64) return a;
      return Value::Double(std::ceil(a.as_double()));
    case Func::kMod: return Arith(ArithOp::kMod, a, *b, e.type);
    case Func::kSqrt: {
      double x = a.numeric();
      if (x < 0) return EvalError(ErrorCode::kInvalidArgumentForPower, "cannot take square root of a negative number");
      return Value::Double(std::sqrt(x));
    }
    case Func::kPower: return Power(a.numeric(), b->numeric());
    case Func::kLn:
    case Func::kLog10: {
      double x = a.numeric();
      if (x == 0) return EvalError(ErrorCode::kInvalidArgumentForLog, "cannot take logarithm of zero");
      if (x < 0) return EvalError(ErrorCode::kInvalidArgumentForLog, "cannot take logarithm of a negative number");
      return Value::Double(e.func == Func::kLn ? std::log(x) : std::log10(x));
    }
    case Func::kExp: {
      double x = a.numeric(), r = std::exp(x);
      if (std::isinf(r) && !std::isinf(x))
        return EvalError(ErrorCode::kNumericValueOutOfRange, "value out of range: overflow");
      if (r == 0 && !std::isinf(x))
        return EvalError(ErrorCode::kNumericValueOutOfRange, "value out of range: underflow");
      return Value::Double(r);
    }
    case Func::kSign: {
      double x = a.numeric();
      return Value::Double(x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0));
    }
    case Func::kToTimestamp: {
      double x = a.numeric();
      if (std::isnan(x)) return EvalError(ErrorCode::kDatetimeFieldOverflow, "timestamp cannot be NaN");
      // PostgreSQL's range: 4714-11-24 BC to 294276 AD.
      if (!(x >= -210866803200.0 && x < 9224318016000.0))
        return EvalError(ErrorCode::kDatetimeFieldOverflow, "timestamp out of range: \"{:g}\"", x);
      return Value::Timestamp(static_cast<int64_t>(std::rint(x * 1e6)));
    }
  }
  return Value::Null();
}

// ----- extract

int64_t IsoWeeksInYear(int64_t y);

// ISO-8601 week number and year of a civil date.
void IsoWeek(int64_t days, int64_t y, int64_t* week, int64_t* iso_year) {
  int64_t dow = FloorMod(days + 4, 7);  // 0 = Sunday (1970-01-01 was a Thursday)
  int64_t isodow = dow == 0 ? 7 : dow;
  int64_t doy = days - DaysFromCivil(y, 1, 1) + 1;
  int64_t w = FloorDiv(doy - isodow + 10, 7);
  if (w < 1) {
    *iso_year = y - 1;
    *week = IsoWeeksInYear(y - 1);
  } else if (w > IsoWeeksInYear(y)) {
    *iso_year = y + 1;
    *week = 1;
  } else {
    *iso_year = y;
    *week = w;
  }
}

int64_t IsoWeeksInYear(int64_t y) {
  int64_t dec28 = DaysFromCivil(y, 12, 28);  // always in the year's last ISO week
  int64_t dow = FloorMod(dec28 + 4, 7);
  int64_t isodow = dow == 0 ? 7 : dow;
  int64_t doy = dec28 - DaysFromCivil(y, 1, 1) + 1;
  return FloorDiv(doy - isodow + 10, 7);
}

Value Extract(DatePart f, int64_t us) {
  int64_t days = FloorDiv(us, kMicrosPerDay);
  int64_t tod = us - days * kMicrosPerDay;
  int64_t sec_us = tod % kMicrosPerMinute;  // microseconds within the minute
  switch (f) {
    case DatePart::kHour: return Value::Double(static_cast<double>(tod / kMicrosPerHour));
    case DatePart::kMinute: return Value::Double(static_cast<double>((tod / kMicrosPerMinute) % 60));
    case DatePart::kSecond: return Value::Double(static_cast<double>(sec_us) / 1e6);
    case DatePart::kMilliseconds: return Value::Double(static_cast<double>(sec_us) / 1e3);
    case DatePart::kMicroseconds: return Value::Double(static_cast<double>(sec_us));
    case DatePart::kEpoch: return Value::Double(static_cast<double>(us) / 1e6);
    case DatePart::kTimezone:
    case DatePart::kTimezoneHour:
    case DatePart::kTimezoneMinute: return Value::Double(0);
    case DatePart::kDow:
    case DatePart::kIsoDow: {
      int64_t dow = FloorMod(days + 4, 7);
      if (f == DatePart::kIsoDow && dow == 0) dow = 7;
      return Value::Double(static_cast<double>(dow));
    }
    default: break;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);  // y: astronomical (0 = 1 BC)
  switch (f) {
    case DatePart::kYear: return Value::Double(static_cast<double>(y > 0 ? y : y - 1));
    case DatePart::kQuarter: return Value::Double(static_cast<double>((m - 1) / 3 + 1));
    case DatePart::kMonth: return Value::Double(m);
    case DatePart::kDay: return Value::Double(d);
    case DatePart::kDoy: return Value::Double(static_cast<double>(days - DaysFromCivil(y, 1, 1) + 1));
    case DatePart::kWeek:
    case DatePart::kIsoYear: {
      int64_t week, iso_year;
      IsoWeek(days, y, &week, &iso_year);
      if (f == DatePart::kWeek) return Value::Double(static_cast<double>(week));
      return Value::Double(static_cast<double>(iso_year > 0 ? iso_year : iso_year - 1));
    }
    case DatePart::kDecade:
      return Value::Double(static_cast<double>(y >= 0 ? y / 10 : -((8 - (y - 1)) / 10)));
    case DatePart::kCentury:
      return Value::Double(static_cast<double>(y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100)));
    case DatePart::kMillennium:
      return Value::Double(static_cast<double>(y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000)));
    default: break;
  }
  return Value::Null();
}

// ----- LIKE

bool StartsWith(std::string_view s, std::string_view p, bool fold) {
  if (s.size() < p.size()) return false;
  if (!fold) return s.compare(0, p.size(), p) == 0;
  for (size_t i = 0; i < p.size(); i++)
    if (FoldAscii(s[i]) != FoldAscii(p[i])) return false;
  return true;
}

Value EvalLike(const Expr& e, const Value* row) {
  Value t0;
  const Value& s = EvalRef(*e.children[0], row, &t0);
  if (s.is_null()) return Value::Null();
  std::string_view text = s.as_text();
  std::string_view lit = e.like_text;
  bool m = false;
  switch (e.like_shape) {
    case LikeShape::kAny: m = true; break;
    case LikeShape::kExact: m = text.size() == lit.size() && StartsWith(text, lit, e.ilike); break;
    case LikeShape::kPrefix: m = StartsWith(text, lit, e.ilike); break;
    case LikeShape::kSuffix:
      m = text.size() >= lit.size() && StartsWith(text.substr(text.size() - lit.size()), lit, e.ilike);
      break;
    case LikeShape::kContains: m = text.find(lit) != std::string_view::npos; break;
    case LikeShape::kGeneral: {
      Value t1;
      const Value& p = EvalRef(*e.children[1], row, &t1);
      if (p.is_null()) return Value::Null();
      bool bad = false;
      m = LikeMatch(text, p.as_text(), e.escape, e.ilike, &bad);
      if (bad) return EvalError(ErrorCode::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
      break;
    }
  }
  return Value::Bool(m != e.negated);
}

Value EvalCase(const Expr& e, const Value* row) {
  const auto& ch = e.children;
  size_t i = 0, last = ch.size() - 1;
  if (e.has_operand) {
    Value t0;
    const Value& op = EvalRef(*ch[0], row, &t0);
    if (!op.is_null()) {
      for (i = 1; i < last; i += 2) {
        Value t1;
        const Value& w = EvalRef(*ch[i], row, &t1);
        if (!w.is_null() && Value::Compare(op, w) == 0) return Eval(*ch[i + 1], row);
      }
    }
    return Eval(*ch[last], row);
  }
  for (; i < last; i += 2)
    if (Truth(Eval(*ch[i], row)) == 1) return Eval(*ch[i + 1], row);
  return Eval(*ch[last], row);
}

Value EvalMinMax(const Expr& e, const Value* row) {
  Value best;
  for (const auto& c : e.children) {
    Value v = Eval(*c, row);
    if (v.is_null()) continue;
    if (best.is_null()) {
      best = std::move(v);
      continue;
    }
    int cmp = Value::Compare(v, best);
    if (e.least ? cmp < 0 : cmp > 0) best = std::move(v);
  }
  return best;
}

}  // namespace

Value Eval(const Expr& e, const Value* row) {
  switch (e.kind) {
    case ExprKind::kColumn: return row[e.column];
    case ExprKind::kLiteral: return e.literal;
    case ExprKind::kCompare: {
      Value ta, tb;
      const Value& a = EvalRef(*e.children[0], row, &ta);
      if (a.is_null()) return Value::Null();
      const Value& b = EvalRef(*e.children[1], row, &tb);
      if (b.is_null()) return Value::Null();
      return Value::Bool(CompareHolds(e.op, Value::Compare(a, b)));
    }
    case ExprKind::kAnd: {
      int r = 1;
      for (const auto& c : e.children) {
        int t = Truth(Eval(*c, row));
        if (t == 0) return Value::Bool(false);
        if (t < 0) r = -1;
      }
      return Bool3(r);
    }
    case ExprKind::kOr: {
      int r = 0;
      for (const auto& c : e.children) {
        int t = Truth(Eval(*c, row));
        if (t == 1) return Value::Bool(true);
        if (t < 0) r = -1;
      }
      return Bool3(r);
    }
    case ExprKind::kNot: {
      int t = Truth(Eval(*e.children[0], row));
      return Bool3(t < 0 ? -1 : !t);
    }
    case ExprKind::kIn: {
      Value ta;
      const Value& a = EvalRef(*e.children[0], row, &ta);
      if (a.is_null()) return Value::Null();
      int r = 0;
      for (size_t i = 1; i < e.children.size(); i++) {
        Value tb;
        const Value& b = EvalRef(*e.children[i], row, &tb);
        if (b.is_null()) { r = -1; continue; }
        if (Value::Compare(a, b) == 0) { r = 1; break; }
      }
      if (e.negated && r >= 0) r = !r;
      return Bool3(r);
    }
    case ExprKind::kBetween: {
      Value ta, tl, th;
      const Value& a = EvalRef(*e.children[0], row, &ta);
      const Value& lo = EvalRef(*e.children[1], row, &tl);
      const Value& hi = EvalRef(*e.children[2], row, &th);
      if (a.is_null() || lo.is_null() || hi.is_null()) return Value::Null();
      bool in = Value::Compare(a, lo) >= 0 && Value::Compare(a, hi) <= 0;
      return Value::Bool(e.negated ? !in : in);
    }
    case ExprKind::kIsNull: {
      Value t;
      bool n = EvalRef(*e.children[0], row, &t).is_null();
      return Value::Bool(e.negated ? !n : n);
    }
    case ExprKind::kDateTrunc: {
      Value t;
      const Value& a = EvalRef(*e.children[0], row, &t);
      if (a.is_null()) return Value::Null();
      return Value::Timestamp(DateTrunc(e.unit, a.as_int()));
    }
    case ExprKind::kArith: {
      Value ta, tb;
      const Value& a = EvalRef(*e.children[0], row, &ta);
      if (a.is_null()) return Value::Null();
      return Arith(e.arith, a, EvalRef(*e.children[1], row, &tb), e.type);
    }
    case ExprKind::kNegate: {
      Value t;
      const Value& a = EvalRef(*e.children[0], row, &t);
      if (a.is_null()) return Value::Null();
      if (e.type == Type::kInt64)
        return a.as_int() == INT64_MIN ? BigintOutOfRange() : Value::Int(-a.as_int());
      return Value::Double(-a.numeric());
    }
    case ExprKind::kCase: return EvalCase(e, row);
    case ExprKind::kCoalesce:
      for (const auto& c : e.children) {
        Value v = Eval(*c, row);
        if (!v.is_null()) return v;
      }
      return Value::Null();
    case ExprKind::kNullIf: {
      Value a = Eval(*e.children[0], row);
      if (a.is_null()) return a;
      Value tb;
      const Value& b = EvalRef(*e.children[1], row, &tb);
      if (!b.is_null() && Value::Compare(a, b) == 0) return Value::Null();
      return a;
    }
    case ExprKind::kMinMax: return EvalMinMax(e, row);
    case ExprKind::kCast: {
      Value t;
      const Expr& arg = *e.children[0];
      return CastEval(EvalRef(arg, row, &t), arg.type, e.type);
    }
    case ExprKind::kFunc: return EvalFunc(e, row);
    case ExprKind::kLike: return EvalLike(e, row);
    case ExprKind::kExtract: {
      Value t;
      const Value& a = EvalRef(*e.children[0], row, &t);
      if (a.is_null()) return Value::Null();
      return Extract(e.field, a.as_int());
    }
  }
  return Value::Null();
}

bool EvalPredicate(const Expr& e, const Value* row) { return Truth(Eval(e, row)) == 1; }

bool IsConstant(const Expr& e) {
  if (e.kind == ExprKind::kColumn) return false;
  for (const auto& c : e.children)
    if (!IsConstant(*c)) return false;
  return true;
}

bool CastAllowed(Type from, Type to) {
  if (from == to || from == Type::kText || to == Type::kText) return true;
  auto is = [&](Type a, Type b) { return from == a && to == b; };
  return is(Type::kInt64, Type::kDouble) || is(Type::kDouble, Type::kInt64) || is(Type::kInt64, Type::kBool) ||
         is(Type::kBool, Type::kInt64);
}

}  // namespace laminar::sql
