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
#include "sql/func_internal.h"
#include "sql/regex.h"

namespace laminar::sql {

using internal::CountChars;
using internal::EvalError;
using internal::FloorDiv;
using internal::FloorMod;
using internal::FoldAscii;
using internal::IsCont;
using internal::NextChar;
using internal::SkipChars;

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

ExprPtr WithShape(ExprPtr e, const TextShape& shape) {
  const TextShape& has = e->shape;
  if (has.elem_type == shape.elem_type && has.fields == shape.fields && has.local_time == shape.local_time) return e;
  auto shaped = std::make_shared<Expr>(*e);
  shaped->shape = shape;
  return shaped;
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
    case Type::kDate: return FormatDate(v.as_int());
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// LIKE.

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
  if (v.type() == Type::kText || v.type() == Type::kTimestamp || v.type() == Type::kDate)
    return QuoteSqlLiteral(v.ToString());
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
      switch (func) {
        case Func::kConcatOp:
        case Func::kRegexMatch:
        case Func::kRegexNotMatch:
        case Func::kRegexIMatch:
        case Func::kRegexNotIMatch:
          return fmt::format("({} {} {})", children[0]->ToString(), internal::FuncName(func), children[1]->ToString());
        case Func::kArrayAny:
        case Func::kArrayAll:
          return fmt::format("({} {} {}({}))", children[0]->ToString(), OpText(op), func == Func::kArrayAny ? "ANY" : "ALL",
                             children[1]->ToString());
        case Func::kArraySubscript: return fmt::format("({})[{}]", children[0]->ToString(), children[1]->ToString());
        case Func::kAtTimeZone: return fmt::format("({} AT TIME ZONE {})", children[0]->ToString(), children[1]->ToString());
        case Func::kRecordField: {
          const auto& fields = children[0]->shape.fields;
          return fmt::format("({}).{}", children[0]->ToString(),
                             fields && field_index < static_cast<int>(fields->size()) ? (*fields)[size_t(field_index)].name : "?");
        }
        case Func::kArrayConstruct: return fmt::format("ARRAY[{}]", ListText(children));
        case Func::kArrayIn: return fmt::format("CAST({} AS {}[])", children[0]->ToString(), TypeName(shape.elem_type));
        case Func::kDateBin:  // the stride is an interval constant
          if (children[0]->kind == ExprKind::kLiteral && !children[0]->literal.is_null())
            return fmt::format("date_bin(interval {}, {})", QuoteSqlLiteral(FormatInterval(children[0]->literal.as_int())),
                               ListText(children, 1));
          break;
        default: break;
      }
      return fmt::format("{}({})", internal::FuncName(func), ListText(children));
    case ExprKind::kLike: {
      std::string out = fmt::format("({} {}{} {}", children[0]->ToString(), negated ? "NOT " : "",
                                    ilike ? "ILIKE" : "LIKE", children[1]->ToString());
      if (escape != '\\') out += " ESCAPE " + QuoteSqlLiteral(escape ? std::string_view(&escape, 1) : std::string_view());
      return out + ")";
    }
    case ExprKind::kExtract:
      return fmt::format("extract({} FROM {})", DatePartName(field), children[0]->ToString());
    case ExprKind::kDistinct:
      return fmt::format("({} IS {}DISTINCT FROM {})", children[0]->ToString(), negated ? "NOT " : "",
                         children[1]->ToString());
    case ExprKind::kBoolTest: {
      static const char* kTests[] = {"TRUE", "FALSE", "UNKNOWN"};
      return fmt::format("({} IS {}{})", children[0]->ToString(), negated ? "NOT " : "",
                         kTests[static_cast<int>(bool_test)]);
    }
  }
  return "?";
}

namespace {

void AppendKey(const Expr& e, std::string* out) {
  // Every field that changes what the expression computes; separators keep fields apart.
  fmt::format_to(std::back_inserter(*out), "({}:{}", static_cast<int>(e.kind), static_cast<int>(e.type));
  // What an array's elements or a record's fields read as (the same text read as int[] or as
  // text[] gives elements of different types).
  if (e.shape.elem_type != Type::kText) fmt::format_to(std::back_inserter(*out), ":e{}", static_cast<int>(e.shape.elem_type));
  if (e.shape.fields)
    for (const auto& f : *e.shape.fields) fmt::format_to(std::back_inserter(*out), ":f{}:{}", f.name, static_cast<int>(f.type));
  if (e.shape.local_time) *out += ":local";
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
      fmt::format_to(std::back_inserter(*out), ":{}:{}:{}:{}{}{}{}:{}:{}:{}:{}:{}", static_cast<int>(e.op),
                     static_cast<int>(e.arith), static_cast<int>(e.unit), int(e.negated), int(e.has_operand),
                     int(e.least), int(e.ilike), static_cast<int>(static_cast<unsigned char>(e.escape)),
                     static_cast<int>(e.func), static_cast<int>(e.field), static_cast<int>(e.bool_test),
                     e.field_index);
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
  if (type == Type::kDate) {  // date ± bigint days (the binder puts the date first)
    int64_t x = a.as_int(), y = b.as_int(), r = 0;
    bool overflow = op == ArithOp::kSub ? __builtin_sub_overflow(x, y, &r) : __builtin_add_overflow(x, y, &r);
    if (overflow || !IsValidDate(r)) return EvalError(ErrorCode::kDatetimeFieldOverflow, "date out of range");
    return Value::Date(r);
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
    case Type::kBool:
    case Type::kDate: break;
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
    case Type::kTimestamp:  // the day in UTC
      if (to == Type::kDate) return Value::Date(internal::FloorDiv(v.as_int(), kMicrosPerDay));
      break;
    case Type::kDate:  // midnight UTC
      if (to == Type::kTimestamp) {
        if (!DateFitsTimestamp(v.as_int()))
          return EvalError(ErrorCode::kDatetimeFieldOverflow, "date out of range for timestamp");
        return Value::Timestamp(v.as_int() * kMicrosPerDay);
      }
      break;
  }
  // The binder refuses these casts; reaching here is a bug.
  return EvalError(ErrorCode::kCannotCoerce, "cannot cast type {} to {}", TypeName(from), TypeName(to));
}

// ----- function calls, evaluated by family (func_math.cc, func_text.cc, func_time.cc)

// The most arguments a strict function takes (regexp_substr has 6); the binder keeps to it.
constexpr size_t kMaxStrictArgs = 6;

Value EvalFunc(const Expr& e, const Value* row) {
  const auto& ch = e.children;
  // concat, concat_ws, format and quote_nullable look at NULL arguments; every other function is
  // strict (NULL in, NULL out).
  switch (e.func) {
    case Func::kConcat:
    case Func::kConcatWs:
    case Func::kFormat:
    case Func::kQuoteNullable:
    case Func::kJsonBuildObject: return internal::EvalTextFuncNonStrict(e, row);
    case Func::kArrayConstruct:
    case Func::kArrayAny:
    case Func::kArrayAll:
    case Func::kArrayCat: return internal::EvalArrayFuncNonStrict(e, row);
    default: break;
  }
  size_t n = ch.size();
  if (n == 0 || n > kMaxStrictArgs) return Value::Null();  // the binder makes neither
  Value tmp[kMaxStrictArgs];
  const Value* args[kMaxStrictArgs];
  for (size_t i = 0; i < n; i++) {
    args[i] = &EvalRef(*ch[i], row, &tmp[i]);
    if (args[i]->is_null()) return Value::Null();
  }
  switch (internal::FamilyOf(e.func)) {
    case internal::FuncFamily::kMath: return internal::EvalMathFunc(e, args, n);
    case internal::FuncFamily::kText: return internal::EvalTextFunc(e, args, n);
    case internal::FuncFamily::kTime: return internal::EvalTimeFunc(e, args, n);
    case internal::FuncFamily::kArray: return internal::EvalArrayFunc(e, args, n);
  }
  return Value::Null();
}

}  // namespace

namespace internal {

Value CastFromTextValue(const std::string& text, Type to) { return CastFromText(text, to); }
bool CompareHoldsOp(CompareOp op, int c) { return CompareHolds(op, c); }

void AppendOutputText(const Value& v, Type t, std::string* out) {
  if (t == Type::kText) {
    out->append(v.as_text());
  } else if (t == Type::kBool) {
    out->push_back(v.as_bool() ? 't' : 'f');  // the output function: 't'/'f' (a cast: "true")
  } else {
    out->append(PgText(v, t));
  }
}

}  // namespace internal

namespace {

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
      return internal::Extract(e.field, a.as_int());
    }
    case ExprKind::kDistinct: {
      Value ta, tb;
      const Value& a = EvalRef(*e.children[0], row, &ta);
      const Value& b = EvalRef(*e.children[1], row, &tb);
      bool distinct = a.is_null() || b.is_null() ? a.is_null() != b.is_null() : Value::Compare(a, b) != 0;
      return Value::Bool(distinct != e.negated);
    }
    case ExprKind::kBoolTest: {
      int t = Truth(Eval(*e.children[0], row));
      bool holds = e.bool_test == BoolTest::kUnknown ? t < 0 : t == (e.bool_test == BoolTest::kTrue ? 1 : 0);
      return Value::Bool(holds != e.negated);
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
         is(Type::kBool, Type::kInt64) || is(Type::kDate, Type::kTimestamp) || is(Type::kTimestamp, Type::kDate);
}

}  // namespace laminar::sql
