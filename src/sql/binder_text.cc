// The binder's reading of literal text: CastText (PostgreSQL's input functions for the five
// types), interval input (and the binding of interval constants and timestamptz ± interval) and
// the shape of constant LIKE patterns.
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "common/strings.h"
#include "common/time_util.h"
#include "sql/binder_internal.h"

namespace laminar::sql {
namespace binder_internal {
namespace {

constexpr int64_t kMaxIntervalMicros = int64_t{1} << 62;

// The length in microseconds of an interval unit word; 0 for months and years (refused), -1 when
// not a unit.
int64_t IntervalUnitMicros(const std::string& u) {
  static const std::pair<const char*, int64_t> kUnits[] = {
      {"microsecond", 1},   {"microseconds", 1},   {"us", 1},       {"usec", 1},
      {"usecs", 1},         {"microsecon", 1},     {"millisecond", 1000},
      {"milliseconds", 1000}, {"ms", 1000},        {"msec", 1000},  {"msecs", 1000},
      {"millisecon", 1000}, {"second", kMicrosPerSecond}, {"seconds", kMicrosPerSecond},
      {"s", kMicrosPerSecond}, {"sec", kMicrosPerSecond}, {"secs", kMicrosPerSecond},
      {"minute", kMicrosPerMinute}, {"minutes", kMicrosPerMinute}, {"m", kMicrosPerMinute},
      {"min", kMicrosPerMinute}, {"mins", kMicrosPerMinute}, {"hour", kMicrosPerHour},
      {"hours", kMicrosPerHour}, {"h", kMicrosPerHour}, {"hr", kMicrosPerHour}, {"hrs", kMicrosPerHour},
      {"day", kMicrosPerDay}, {"days", kMicrosPerDay}, {"d", kMicrosPerDay},
      {"week", 7 * kMicrosPerDay}, {"weeks", 7 * kMicrosPerDay}, {"w", 7 * kMicrosPerDay},
      {"month", 0}, {"months", 0}, {"mon", 0}, {"mons", 0}, {"year", 0}, {"years", 0}, {"y", 0},
      {"yr", 0}, {"yrs", 0}, {"decade", 0}, {"decades", 0}, {"dec", 0}, {"decs", 0}, {"century", 0},
      {"centuries", 0}, {"c", 0}, {"cent", 0}, {"millennium", 0}, {"millennia", 0}, {"mil", 0},
      {"mils", 0}};
  for (const auto& [name, micros] : kUnits)
    if (u == name) return micros;
  return -1;
}

}  // namespace

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) b++;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) e--;
  return s.substr(b, e - b);
}

Result<int64_t> ParseInterval(const std::string& text, int64_t bare_unit, bool qualified) {
  auto bad = [&]() { return InvalidArgument(ErrorCode::kInvalidDatetimeFormat, "invalid input syntax for type interval: \"{}\"", text); };
  std::string s = Lower(text);
  size_t i = 0, n = s.size();
  double total = 0;
  bool any = false, ago = false;
  auto skip_space = [&]() {
    while (i < n && std::isspace(static_cast<unsigned char>(s[i]))) i++;
  };
  auto read_word = [&]() {
    size_t b = i;
    while (i < n && std::isalpha(static_cast<unsigned char>(s[i]))) i++;
    return s.substr(b, i - b);
  };
  skip_space();
  if (i < n && s[i] == '@') i++;
  while (true) {
    skip_space();
    if (i >= n) break;
    if (ago) return bad();
    if (std::isalpha(static_cast<unsigned char>(s[i]))) {
      if (read_word() != "ago" || !any) return bad();
      ago = true;
      continue;
    }
    double sign = 1;
    if (s[i] == '+' || s[i] == '-') sign = s[i++] == '-' ? -1 : 1;
    size_t b = i;
    while (i < n && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) i++;
    if (i == b) return bad();
    std::string num = s.substr(b, i - b);
    char* end = nullptr;
    double v = std::strtod(num.c_str(), &end);
    if (*end != '\0') return bad();
    if (i < n && s[i] == ':') {  // h:m[:s[.f]]
      if (qualified) return Unimplemented("interval field qualifiers are not supported");
      if (num.find('.') != std::string::npos) return bad();
      double parts[3] = {v, 0, 0};
      int np = 1;
      while (i < n && s[i] == ':' && np < 3) {
        i++;
        size_t pb = i;
        while (i < n && (std::isdigit(static_cast<unsigned char>(s[i])) || (np == 2 && s[i] == '.'))) i++;
        if (i == pb) return bad();
        parts[np++] = std::strtod(s.substr(pb, i - pb).c_str(), nullptr);
      }
      if (parts[1] >= 60 || parts[2] >= 60) return bad();
      total += sign * (parts[0] * kMicrosPerHour + parts[1] * kMicrosPerMinute + parts[2] * kMicrosPerSecond);
      any = true;
      continue;
    }
    skip_space();
    std::string unit = read_word();
    int64_t micros = bare_unit;
    if (!unit.empty()) {
      if (unit == "ago") {  // "1 ago" is not an interval
        return bad();
      }
      if (qualified) return Unimplemented("interval field qualifiers are not supported");
      micros = IntervalUnitMicros(unit);
      if (micros < 0) return bad();
      if (micros == 0) return Unimplemented("intervals with months or years are not supported");
    }
    total += sign * v * static_cast<double>(micros);
    any = true;
  }
  if (!any) return bad();
  if (ago) total = -total;
  total = std::rint(total);
  if (!(std::fabs(total) < static_cast<double>(kMaxIntervalMicros))) return InvalidArgument(ErrorCode::kDatetimeFieldOverflow, "interval out of range");
  return static_cast<int64_t>(total);
}

// Recognises the shape of a constant pattern (see LikeShape); InvalidArgument when it ends with
// the escape character.
Status AnalyzeLike(std::string_view p, char escape, bool ilike, LikeShape* shape, std::string* literal) {
  int lead = 0, trail = 0;
  bool general = false;
  int state = 0;  // 0: leading %s, 1: literal, 2: trailing %s
  literal->clear();
  for (size_t i = 0; i < p.size(); i++) {
    char c = p[i];
    if (escape != '\0' && c == escape) {
      if (i + 1 == p.size()) return InvalidArgument(ErrorCode::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
      if (state == 2) general = true;
      state = 1;
      *literal += p[++i];
    } else if (c == '%') {
      if (state == 0) lead++;
      else state = 2, trail++;
    } else if (c == '_') {
      general = true;
    } else {
      if (state == 2) general = true;
      state = 1;
      *literal += c;
    }
  }
  if (general) *shape = LikeShape::kGeneral;
  else if (literal->empty() && lead + trail > 0) *shape = LikeShape::kAny;
  else if (lead == 0 && trail == 0) *shape = LikeShape::kExact;
  else if (lead == 0) *shape = LikeShape::kPrefix;
  else if (trail == 0) *shape = LikeShape::kSuffix;
  else *shape = ilike ? LikeShape::kGeneral : LikeShape::kContains;
  if (*shape == LikeShape::kGeneral || *shape == LikeShape::kAny) literal->clear();
  return Status::OK();
}

// ----- intervals

// INTERVAL field qualifier masks (PostgreSQL's INTERVAL_MASK).
constexpr int64_t kMaskMonth = 1 << 1, kMaskYear = 1 << 2, kMaskDay = 1 << 3, kMaskHour = 1 << 10,
                  kMaskMinute = 1 << 11, kMaskSecond = 1 << 12, kFullRange = 0x7FFF;

Result<Bound> BindIntervalCast(const ast::Expr& tc) {
  const ast::Expr& arg = *tc.args[0];
  if (arg.kind != ast::ExprKind::kConstant || !arg.is_string || arg.value.is_null())
    return Unimplemented("type interval is not supported (only interval constants such as interval '1 hour', "
                         "added to or subtracted from a timestamptz)");
  const std::string& text = arg.value.as_text();
  int64_t bare = kMicrosPerSecond;
  bool qualified = false;
  const std::vector<int64_t>& typmods = tc.type->modifiers;
  if (!typmods.empty()) {
    int64_t mask = typmods[0];
    if (mask != kFullRange) {
      qualified = true;
      if (mask == kMaskSecond) bare = kMicrosPerSecond;
      else if (mask == kMaskMinute) bare = kMicrosPerMinute;
      else if (mask == kMaskHour) bare = kMicrosPerHour;
      else if (mask == kMaskDay) bare = kMicrosPerDay;
      else if (mask & (kMaskYear | kMaskMonth))
        return Unimplemented("intervals with months or years are not supported");
      else
        return Unimplemented("interval field qualifiers are not supported");
    }
  }
  ASSIGN_OR_RETURN(int64_t micros, ParseInterval(text, bare, qualified));
  Bound b{MakeLiteral(Value::Int(micros), Type::kInt64), false};
  b.interval = true;
  return b;
}

// timestamptz ± interval (either order for +).
Result<Bound> BindIntervalArith(ArithOp op, const char* op_text, Bound a, Bound b) {
  if (a.interval && b.interval)
    return Unimplemented("type interval is not supported (only timestamptz + interval and timestamptz - interval)");
  if (a.interval && op == ArithOp::kAdd) std::swap(a, b);
  if (a.interval || (op != ArithOp::kAdd && op != ArithOp::kSub))
    return InvalidArgument(ErrorCode::kUndefinedFunction, "operator does not exist: {} {} {}", a.interval ? "interval" : TypeNameOrUnknown(a),
                           op_text, b.interval ? "interval" : TypeNameOrUnknown(b));
  if (a.unknown) {
    ASSIGN_OR_RETURN(a.e, ResolveUnknown(a, Type::kTimestamp));
    a.unknown = false;
  }
  if (a.e->type == Type::kDate) a.e = MakeCast(a.e, Type::kTimestamp);  // date ± interval: a timestamp
  if (a.e->type != Type::kTimestamp)
    return InvalidArgument(ErrorCode::kUndefinedFunction, "operator does not exist: {} {} interval", TypeName(a.e->type), op_text);
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kArith;
  e->arith = op;
  e->type = Type::kTimestamp;
  e->children = {a.e, b.e};
  return Bound{e, false};
}

}  // namespace binder_internal

using binder_internal::Trim;

namespace {

// PostgreSQL's date input, the common forms: "2024-01-08" (also "2024-1-8", "2024/01/08",
// "2024.01.08", "20240108"), a
// timestamp's text (its date part: "2024-01-08 10:00:00+05" is 2024-01-08), "... BC", "epoch".
// Returns 0 on success with *days set, 1 for text that is no date, 2 for a day or month out of
// range.
int ParseDate(std::string_view s, int64_t* days) {
  auto digits = [&](size_t* i, size_t max, int64_t* v) {
    size_t b = *i;
    *v = 0;
    while (*i < s.size() && *i - b < max && s[*i] >= '0' && s[*i] <= '9') *v = *v * 10 + (s[(*i)++] - '0');
    return *i > b;
  };
  if (Lower(s) == "epoch") {
    *days = 0;
    return 0;
  }
  size_t i = 0;
  int64_t y, m, d;
  if (s.size() == 8 && s.find_first_not_of("0123456789") == std::string_view::npos) {
    y = std::stoll(std::string(s.substr(0, 4)));  // YYYYMMDD
    m = std::stoll(std::string(s.substr(4, 2)));
    d = std::stoll(std::string(s.substr(6, 2)));
    i = 8;
  } else {
    // Year first, then month and day, separated by one of - / . (the same twice).
    if (!digits(&i, 7, &y) || i >= s.size()) return 1;
    char sep = s[i++];
    if ((sep != '-' && sep != '/' && sep != '.') || !digits(&i, 2, &m) || i >= s.size() || s[i++] != sep ||
        !digits(&i, 2, &d))
      return 1;
  }
  std::string_view rest = s.substr(i);
  bool bc = false;
  if (rest.size() >= 3 && Lower(rest.substr(rest.size() - 3)) == " bc") {
    bc = true;
    rest.remove_suffix(3);
  }
  if (!rest.empty()) {
    // A time (and zone) may follow, as in a timestamp's text; it must be one.
    if (rest[0] != ' ' && rest[0] != 'T' && rest[0] != 't') return 1;
    std::string ts = fmt::format("2000-01-01{}", rest);
    if (!ParseTimestamp(ts)) return 1;
  }
  if (y == 0 && bc) return 1;
  if (m < 1 || m > 12 || d < 1) return 2;
  int64_t yy = bc ? 1 - y : y;  // astronomical
  int64_t first = DaysFromCivil(yy, static_cast<unsigned>(m), 1);
  int64_t next = m == 12 ? DaysFromCivil(yy + 1, 1, 1) : DaysFromCivil(yy, static_cast<unsigned>(m + 1), 1);
  if (d > next - first) return 2;
  *days = first + d - 1;
  return IsValidDate(*days) ? 0 : 3;
}

}  // namespace

Result<Value> CastText(const std::string& text, Type type) {
  auto bad = [&]() {
    // PostgreSQL's datetime input errors are invalid_datetime_format (22007).
    ErrorCode code = type == Type::kTimestamp || type == Type::kDate ? ErrorCode::kInvalidDatetimeFormat
                                                                     : ErrorCode::kInvalidTextRepresentation;
    return InvalidArgument(code, "invalid input syntax for type {}: \"{}\"", TypeName(type), text);
  };
  std::string s = Trim(text);
  switch (type) {
    case Type::kText:
      return Value::Text(text);
    case Type::kBool: {
      std::string l = Lower(s);
      if (l.empty()) return bad();
      auto prefix_of = [&](const char* word) { return std::string_view(word).substr(0, l.size()) == l; };
      if (l == "1" || l == "on" || prefix_of("true") || prefix_of("yes")) return Value::Bool(true);
      if (l == "0" || l == "off" || prefix_of("false") || prefix_of("no")) return Value::Bool(false);
      return bad();
    }
    case Type::kInt64: {
      size_t i = 0;
      if (i < s.size() && (s[i] == '-' || s[i] == '+')) i++;
      if (i == s.size()) return bad();
      for (size_t j = i; j < s.size(); j++)
        if (!std::isdigit(static_cast<unsigned char>(s[j]))) return bad();
      errno = 0;
      long long v = std::strtoll(s.c_str(), nullptr, 10);
      if (errno == ERANGE) return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "value \"{}\" is out of range for type bigint", text);
      return Value::Int(v);
    }
    case Type::kDouble: {
      std::string l = Lower(s);
      if (l == "nan") return Value::Double(std::numeric_limits<double>::quiet_NaN());
      if (l == "infinity" || l == "+infinity" || l == "inf" || l == "+inf")
        return Value::Double(std::numeric_limits<double>::infinity());
      if (l == "-infinity" || l == "-inf") return Value::Double(-std::numeric_limits<double>::infinity());
      if (l.empty() || l.find_first_not_of("0123456789+-.e") != std::string::npos) return bad();
      errno = 0;
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (!end || *end != '\0') return bad();
      if (errno == ERANGE && std::isinf(d))
        return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "\"{}\" is out of range for type double precision", text);
      return Value::Double(d);
    }
    case Type::kTimestamp: {
      if (Lower(s) == "epoch") return Value::Timestamp(0);
      auto t = ParseTimestamp(s);
      if (!t) return bad();
      return Value::Timestamp(*t);
    }
    case Type::kDate: {
      int64_t days = 0;
      switch (ParseDate(s, &days)) {
        case 0: return Value::Date(days);
        case 2:
          return InvalidArgument(ErrorCode::kDatetimeFieldOverflow, "date/time field value out of range: \"{}\"", text);
        case 3: return InvalidArgument(ErrorCode::kDatetimeFieldOverflow, "date out of range: \"{}\"", text);
        default: return bad();
      }
    }
  }
  return bad();
}

}  // namespace laminar::sql
