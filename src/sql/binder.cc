#include "sql/binder.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

#include "common/time_util.h"
#include "sql/parser.h"
#include "common/strings.h"

namespace laminar::sql {
namespace {

using json = nlohmann::json;

// A bound expression plus whether it is still "unknown" in PostgreSQL's sense: an untyped string
// literal or NULL, which takes its type from the other side of an operator.
struct Bound {
  ExprPtr e;
  bool unknown = false;
  bool numeric = false;   // a decimal constant such as 2.5 (PostgreSQL's numeric): casts to bigint
                          // round half away from zero, where float8 rounds half to even
  bool interval = false;  // an interval constant: e is a bigint literal of microseconds
};

const std::string& NodeKind(const json& node) {
  static const std::string kNone;
  if (!node.is_object() || node.empty()) return kNone;
  return node.begin().key();
}

bool IsNumeric(Type t) { return t == Type::kInt64 || t == Type::kDouble; }

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) b++;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) e--;
  return s.substr(b, e - b);
}

// "SVFOP_CURRENT_TIMESTAMP" → "CURRENT_TIMESTAMP" style helper: drops a prefix.
std::string StripPrefix(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0 ? s.substr(prefix.size()) : s;
}

// The construct a node stands for, as SQL, for `unsupported expression: X` messages.
std::string DescribeNode(const json& node) {
  const std::string& kind = NodeKind(node);
  const json& body = kind.empty() ? node : node[kind];
  if (kind == "CaseExpr") return "CASE";
  if (kind == "SubLink") {
    std::string t = body.value("subLinkType", "");
    if (t == "EXISTS_SUBLINK") return "EXISTS (subquery)";
    if (t == "ANY_SUBLINK") return "IN (subquery)";
    return "subquery";
  }
  if (kind == "CoalesceExpr") return "COALESCE";
  if (kind == "NullIfExpr") return "NULLIF";
  if (kind == "MinMaxExpr") return body.value("op", "") == "IS_LEAST" ? "LEAST" : "GREATEST";
  if (kind == "BooleanTest") {
    std::string t = StripPrefix(body.value("booltesttype", ""), "IS_");
    for (char& c : t)
      if (c == '_') c = ' ';
    return "IS " + t;
  }
  if (kind == "SQLValueFunction") return StripPrefix(body.value("op", "SVFOP_?"), "SVFOP_");
  if (kind == "A_ArrayExpr") return "ARRAY";
  if (kind == "RowExpr") return "ROW";
  if (kind == "ParamRef") return fmt::format("parameter ${}", body.value("number", 0));
  if (kind == "A_Indirection") return "subscript or field selection";
  if (kind == "CollateClause") return "COLLATE";
  if (kind == "GroupingFunc") return "GROUPING";
  if (kind == "XmlExpr" || kind == "XmlSerialize") return "XML";
  if (kind == "A_Star") return "*";
  if (kind == "FuncCall") return NameList(Field(body, "funcname")) + "(...)";
  if (kind.empty()) return "empty expression";
  return kind;
}

Status Unsupported(const json& node) {
  return Unimplemented("unsupported expression: {}", DescribeNode(node));
}

}  // namespace

bool IsAggregateName(const std::string& name) {
  static const char* kAggs[] = {"count",
                                "sum",
                                "min",
                                "max",
                                "avg",
                                "stddev",
                                "stddev_pop",
                                "stddev_samp",
                                "variance",
                                "var_pop",
                                "var_samp",
                                "approx_count_distinct",
                                "approx_percentile",
                                "percentile_cont",
                                "percentile_disc",
                                "mode",
                                "string_agg",
                                "array_agg",
                                "json_agg",
                                "jsonb_agg",
                                "json_object_agg",
                                "jsonb_object_agg",
                                "bool_and",
                                "bool_or",
                                "every",
                                "bit_and",
                                "bit_or",
                                "bit_xor",
                                "corr",
                                "covar_pop",
                                "covar_samp",
                                "regr_avgx",
                                "regr_avgy",
                                "regr_count",
                                "regr_intercept",
                                "regr_r2",
                                "regr_slope",
                                "regr_sxx",
                                "regr_sxy",
                                "regr_syy",
                                "xmlagg",
                                "range_agg",
                                "range_intersect_agg"};
  for (const char* a : kAggs)
    if (name == a) return true;
  return false;
}

namespace {

thread_local std::optional<int64_t> pinned_statement_time;

// What every binding step needs: the columns, the hook, and the statement's time.
struct Ctx {
  const Scope& scope;
  const BindHook* hook = nullptr;
  mutable std::optional<int64_t> now;
  int64_t Now() const {
    if (pinned_statement_time) return *pinned_statement_time;
    if (!now) now = NowMicros();
    return *now;
  }
};

#define LAMINAR_NOINLINE __attribute__((noinline))

// Gives an unknown literal (string or NULL) a type.
Result<ExprPtr> ResolveUnknown(const Bound& b, Type t) {
  const Value& v = b.e->literal;
  if (v.is_null()) return MakeLiteral(Value::Null(), t);
  ASSIGN_OR_RETURN(Value cast, CastText(v.as_text(), t));
  return MakeLiteral(std::move(cast), t);
}

// Converts a bound expression to type t, which the caller chose among the implicit conversions
// PostgreSQL has: unknown → anything, bigint → double precision.
Result<ExprPtr> Coerce(const Bound& b, Type t) {
  if (b.unknown) return ResolveUnknown(b, t);
  Type from = b.e->type;
  if (from == t) return b.e;
  if (from == Type::kInt64 && t == Type::kDouble) {
    if (b.e->kind == ExprKind::kLiteral) {
      const Value& v = b.e->literal;
      return MakeLiteral(v.is_null() ? Value::Null() : Value::Double(static_cast<double>(v.as_int())), t);
    }
    return MakeCast(b.e, t);
  }
  return Internal("no implicit conversion from {} to {}", TypeName(from), TypeName(t));
}

// Makes the operands of a comparison, IN list or BETWEEN agree on one type: unknown literals take
// the type of the typed operands; bigint and double mix (integer literals become doubles next to
// a double); anything else must match exactly. `op` is for the message.
Status Unify(std::vector<Bound*> items, const char* op) {
  const Bound* first = nullptr;
  Type t = Type::kText;
  for (const Bound* b : items) {
    if (b->unknown) continue;
    if (!first) {
      first = b;
      t = b->e->type;
      continue;
    }
    Type bt = b->e->type;
    if (bt == t) continue;
    if (IsNumeric(bt) && IsNumeric(t)) {
      t = Type::kDouble;
      continue;
    }
    return InvalidArgument(ErrorCode::kUndefinedFunction,
                           "operator does not exist: {} {} {}", TypeName(first->e->type), op, TypeName(bt));
  }
  for (Bound* b : items) {
    if (b->unknown) {
      ASSIGN_OR_RETURN(b->e, ResolveUnknown(*b, t));
      b->unknown = false;
    } else if (t == Type::kDouble && b->e->kind == ExprKind::kLiteral && b->e->type == Type::kInt64) {
      ASSIGN_OR_RETURN(b->e, Coerce(*b, Type::kDouble));
    }
  }
  return Status::OK();
}

// PostgreSQL's select_common_type for CASE, COALESCE, GREATEST and LEAST (`context`): unknown
// inputs are skipped; bigint and double precision give double precision; other mixes are
// InvalidArgument `CASE types text and bigint cannot be matched`; all unknown gives text.
Result<Type> CommonType(const std::vector<Bound*>& items, const char* context) {
  std::optional<Type> t;
  for (const Bound* b : items) {
    if (b->unknown) continue;
    Type nt = b->e->type;
    if (!t) {
      t = nt;
    } else if (nt != *t) {
      if (IsNumeric(nt) && IsNumeric(*t)) {
        t = Type::kDouble;
      } else {
        return InvalidArgument(ErrorCode::kDatatypeMismatch,
                               "{} types {} and {} cannot be matched", context, TypeName(*t), TypeName(nt));
      }
    }
  }
  return t.value_or(Type::kText);
}

Result<Bound> Bind(const json& node, const Ctx& cx, bool allow_interval = false);

const char* TypeNameOrUnknown(const Bound& b) { return b.unknown ? "unknown" : TypeName(b.e->type); }

std::string SignatureText(const std::vector<Bound>& args) {
  std::string out;
  for (size_t i = 0; i < args.size(); i++) {
    if (i) out += ", ";
    out += TypeNameOrUnknown(args[i]);
  }
  return out;
}

Result<Type> TypeOfTypeName(const json& tn) {
  const json& names = Field(tn, "names");
  std::string name = names.empty() ? "" : StringValue(names.back());
  if (tn.contains("arrayBounds")) return Unimplemented("unsupported type: {}[] (arrays)", name);
  auto t = TypeFromSqlName(name);
  if (!t) return Unimplemented("unsupported type: {}", name);
  return *t;
}

Result<Bound> BindConst(const json& c) {
  if (c.contains("ival")) {
    return Bound{MakeLiteral(Value::Int(c["ival"].value("ival", int64_t{0})), Type::kInt64), false};
  }
  if (c.contains("fval")) {
    std::string s = c["fval"].value("fval", "");
    bool integral = !s.empty();
    for (size_t i = 0; i < s.size(); i++)
      if (!(std::isdigit(static_cast<unsigned char>(s[i])) || (i == 0 && (s[i] == '-' || s[i] == '+'))))
        integral = false;
    if (integral) {
      errno = 0;
      char* end = nullptr;
      long long v = std::strtoll(s.c_str(), &end, 10);
      if (errno == 0 && end && *end == '\0') return Bound{MakeLiteral(Value::Int(v), Type::kInt64), false};
    }
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (!end || *end != '\0') return InvalidArgument("invalid numeric constant: {}", s);
    Bound b{MakeLiteral(Value::Double(d), Type::kDouble), false};
    b.numeric = true;
    return b;
  }
  if (c.contains("sval")) {
    return Bound{MakeLiteral(Value::Text(c["sval"].value("sval", "")), Type::kText), true};
  }
  if (c.contains("boolval")) {
    return Bound{MakeLiteral(Value::Bool(c["boolval"].value("boolval", false)), Type::kBool), false};
  }
  if (c.value("isnull", false)) return Bound{MakeLiteral(Value::Null(), Type::kText), true};
  if (c.contains("bsval")) return Unimplemented("unsupported expression: bit-string constant");
  return Unimplemented("unsupported expression: constant");
}

Result<Bound> BindColumnRef(const json& ref, const Ctx& cx) {
  const json& fields = Field(ref, "fields");
  for (const auto& f : fields)
    if (f.contains("A_Star")) return Unimplemented("unsupported expression: *");
  std::string name = fields.empty() ? "" : StringValue(fields.back());
  std::string qualifier = fields.size() >= 2 ? StringValue(fields[fields.size() - 2]) : "";
  ASSIGN_OR_RETURN(int idx, cx.scope.Resolve(qualifier, name));
  return Bound{MakeColumn(idx, name, cx.scope.columns[idx].type), false};
}

// ----- intervals

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

// Parses PostgreSQL interval input without months or years: '1 hour', '90 minutes',
// '1 day 2 hours', '1.5 hours', '01:30:00', '1 day 01:30', '-1 hour', '2 hours ago', '10'
// (seconds, or `bare_unit` when the literal had a field qualifier such as INTERVAL '90' MINUTE).
Result<int64_t> ParseInterval(const std::string& text, int64_t bare_unit, bool qualified) {
  auto bad = [&]() { return InvalidArgument(ErrorCode::kInvalidTextRepresentation,
                                            "invalid input syntax for type interval: \"{}\"", text); };
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
  if (!(std::fabs(total) < static_cast<double>(kMaxIntervalMicros)))
    return InvalidArgument(ErrorCode::kDatetimeFieldOverflow, "interval out of range");
  return static_cast<int64_t>(total);
}

// INTERVAL field qualifier masks (PostgreSQL's INTERVAL_MASK).
constexpr int64_t kMaskMonth = 1 << 1, kMaskYear = 1 << 2, kMaskDay = 1 << 3, kMaskHour = 1 << 10,
                  kMaskMinute = 1 << 11, kMaskSecond = 1 << 12, kFullRange = 0x7FFF;

LAMINAR_NOINLINE Result<Bound> BindIntervalCast(const json& tc) {
  const json& arg = Field(tc, "arg");
  if (!arg.contains("A_Const") || !arg["A_Const"].contains("sval"))
    return Unimplemented("type interval is not supported (only interval constants such as interval '1 hour', "
                         "added to or subtracted from a timestamptz)");
  std::string text = arg["A_Const"]["sval"].value("sval", "");
  int64_t bare = kMicrosPerSecond;
  bool qualified = false;
  const json& typmods = Field(Field(tc, "typeName"), "typmods");
  if (!typmods.empty()) {
    int64_t mask = Field(Field(Field(typmods[0], "A_Const"), "ival"), "ival").is_number()
                       ? typmods[0]["A_Const"]["ival"]["ival"].get<int64_t>()
                       : kFullRange;
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
    return InvalidArgument(ErrorCode::kUndefinedFunction,
                           "operator does not exist: {} {} {}", a.interval ? "interval" : TypeNameOrUnknown(a),
                           op_text, b.interval ? "interval" : TypeNameOrUnknown(b));
  if (a.unknown) {
    ASSIGN_OR_RETURN(a.e, ResolveUnknown(a, Type::kTimestamp));
    a.unknown = false;
  }
  if (a.e->type != Type::kTimestamp)
    return InvalidArgument(ErrorCode::kUndefinedFunction,
                           "operator does not exist: {} {} interval", TypeName(a.e->type), op_text);
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kArith;
  e->arith = op;
  e->type = Type::kTimestamp;
  e->children = {a.e, b.e};
  return Bound{e, false};
}

LAMINAR_NOINLINE Result<Bound> BindTypeCast(const json& tc, const Ctx& cx) {
  const json& names = Field(Field(tc, "typeName"), "names");
  std::string type_name = names.empty() ? "" : StringValue(names.back());
  if (type_name == "interval" && !Field(tc, "typeName").contains("arrayBounds")) return BindIntervalCast(tc);
  ASSIGN_OR_RETURN(Type to, TypeOfTypeName(Field(tc, "typeName")));
  ASSIGN_OR_RETURN(Bound arg, Bind(Field(tc, "arg"), cx));
  if (arg.unknown) {
    ASSIGN_OR_RETURN(ExprPtr e, ResolveUnknown(arg, to));
    return Bound{e, false};
  }
  Type from = arg.e->type;
  bool to_numeric = type_name == "numeric" || type_name == "decimal";
  if (from == to) {
    arg.numeric = arg.numeric && to_numeric;
    return arg;
  }
  if (!CastAllowed(from, to))
    return InvalidArgument(ErrorCode::kCannotCoerce, "cannot cast type {} to {}", TypeName(from), TypeName(to));
  if (arg.numeric && to == Type::kInt64 && arg.e->kind == ExprKind::kLiteral) {
    // numeric → bigint rounds half away from zero (float8 → bigint: half to even).
    double d = std::round(arg.e->literal.as_double());
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
      return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "bigint out of range");
    return Bound{MakeLiteral(Value::Int(static_cast<int64_t>(d)), Type::kInt64), false};
  }
  return Bound{MakeCast(arg.e, to), false};
}

Result<ExprPtr> MakeArith(ArithOp op, const char* op_text, Bound a, Bound b) {
  if (a.unknown && b.unknown)
    return InvalidArgument(ErrorCode::kAmbiguousFunction, "operator is not unique: unknown {} unknown", op_text);
  // timestamptz + 'literal': the literal is an interval, as PostgreSQL resolves it.
  if (op == ArithOp::kAdd && (a.unknown || b.unknown)) {
    Bound& lit = a.unknown ? a : b;
    const Bound& other = a.unknown ? b : a;
    if (other.e->type == Type::kTimestamp) {
      Value micros;  // NULL stays NULL: timestamptz + NULL is a NULL timestamptz
      if (!lit.e->literal.is_null()) {
        ASSIGN_OR_RETURN(int64_t m, ParseInterval(lit.e->literal.as_text(), kMicrosPerSecond, false));
        micros = Value::Int(m);
      }
      lit = Bound{MakeLiteral(std::move(micros), Type::kInt64), false};
      lit.interval = true;
      ASSIGN_OR_RETURN(Bound r, BindIntervalArith(op, op_text, a, b));
      return r.e;
    }
  }
  if (a.unknown) {
    ASSIGN_OR_RETURN(a.e, ResolveUnknown(a, b.e->type));
  }
  if (b.unknown) {
    ASSIGN_OR_RETURN(b.e, ResolveUnknown(b, a.e->type));
  }
  Type ta = a.e->type, tb = b.e->type;
  if (!IsNumeric(ta) || !IsNumeric(tb)) {
    if (ta == Type::kTimestamp || tb == Type::kTimestamp)
      return Unimplemented("unsupported operator: {} {} {}", TypeName(ta), op_text, TypeName(tb));
    return InvalidArgument(ErrorCode::kUndefinedFunction,
                           "operator does not exist: {} {} {}", TypeName(ta), op_text, TypeName(tb));
  }
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kArith;
  e->arith = op;
  e->type = ta == Type::kDouble || tb == Type::kDouble ? Type::kDouble : Type::kInt64;
  e->children = {a.e, b.e};
  return ExprPtr(e);
}

LAMINAR_NOINLINE Result<Bound> BindNegate(const json& operand, const Ctx& cx, bool minus) {
  ASSIGN_OR_RETURN(Bound a, Bind(operand, cx));
  const char* op = minus ? "-" : "+";
  if (a.unknown) return InvalidArgument(ErrorCode::kAmbiguousFunction, "operator is not unique: {} unknown", op);
  if (!IsNumeric(a.e->type))
    return InvalidArgument(ErrorCode::kUndefinedFunction, "operator does not exist: {} {}", op, TypeName(a.e->type));
  if (!minus) return a;
  if (a.e->kind == ExprKind::kLiteral) {  // fold: -5 is a constant
    const Value& v = a.e->literal;
    if (v.is_null()) return a;
    if (a.e->type == Type::kDouble) {
      Bound r{MakeLiteral(Value::Double(-v.as_double()), Type::kDouble), false};
      r.numeric = a.numeric;
      return r;
    }
    if (v.as_int() == std::numeric_limits<int64_t>::min())
      return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "bigint out of range");
    return Bound{MakeLiteral(Value::Int(-v.as_int()), Type::kInt64), false};
  }
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kNegate;
  e->type = a.e->type;
  e->children = {a.e};
  return Bound{e, false};
}

// a || b: text concatenation; a non-text operand is cast to text (PostgreSQL's anynonarray || text).
Result<Bound> BindConcatOp(Bound a, Bound b) {
  bool a_text = a.unknown || a.e->type == Type::kText, b_text = b.unknown || b.e->type == Type::kText;
  if (!a_text && !b_text)
    return InvalidArgument(ErrorCode::kUndefinedFunction,
                           "operator does not exist: {} || {}", TypeName(a.e->type), TypeName(b.e->type));
  ExprPtr ea, eb;
  if (a.unknown) {
    ASSIGN_OR_RETURN(ea, ResolveUnknown(a, Type::kText));
  } else {
    ea = a.e->type == Type::kText ? a.e : MakeCast(a.e, Type::kText);
  }
  if (b.unknown) {
    ASSIGN_OR_RETURN(eb, ResolveUnknown(b, Type::kText));
  } else {
    eb = b.e->type == Type::kText ? b.e : MakeCast(b.e, Type::kText);
  }
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kFunc;
  e->func = Func::kConcatOp;
  e->type = Type::kText;
  e->children = {ea, eb};
  return Bound{e, false};
}

// Each kind of A_Expr binds in its own function: binding recurses through them, and keeping every
// branch's temporaries out of one big frame keeps the stack used per nesting level small.
LAMINAR_NOINLINE Result<Bound> BindBinaryOp(const std::string& op, const json& lexpr, const json& rexpr,
                                            const Ctx& cx) {
  static const std::pair<const char*, CompareOp> kCmp[] = {
      {"=", CompareOp::kEq},  {"<>", CompareOp::kNe}, {"!=", CompareOp::kNe}, {"<", CompareOp::kLt},
      {"<=", CompareOp::kLe}, {">", CompareOp::kGt},  {">=", CompareOp::kGe}};
  static const std::pair<const char*, ArithOp> kArith[] = {{"+", ArithOp::kAdd},
                                                           {"-", ArithOp::kSub},
                                                           {"*", ArithOp::kMul},
                                                           {"/", ArithOp::kDiv},
                                                           {"%", ArithOp::kMod}};
  const CompareOp* cmp = nullptr;
  const ArithOp* arith = nullptr;
  const char* text = nullptr;
  for (const auto& c : kCmp)
    if (op == c.first) cmp = &c.second, text = c.first;
  for (const auto& a : kArith)
    if (op == a.first) arith = &a.second, text = a.first;
  if (!text && op != "||") return Unimplemented("unsupported operator: {}", op);
  bool intervals = arith && (*arith == ArithOp::kAdd || *arith == ArithOp::kSub);
  ASSIGN_OR_RETURN(Bound a, Bind(lexpr, cx, intervals));
  ASSIGN_OR_RETURN(Bound b, Bind(rexpr, cx, intervals));
  if (op == "||") return BindConcatOp(std::move(a), std::move(b));
  if (cmp) {
    RETURN_IF_ERROR(Unify({&a, &b}, op == "!=" ? "<>" : text));
    return Bound{MakeCompare(*cmp, a.e, b.e), false};
  }
  if (a.interval || b.interval) return BindIntervalArith(*arith, text, std::move(a), std::move(b));
  ASSIGN_OR_RETURN(ExprPtr e, MakeArith(*arith, text, a, b));
  return Bound{e, false};
}

LAMINAR_NOINLINE Result<Bound> BindIn(bool negated, const json& lexpr, const json& list, const Ctx& cx) {
  std::vector<Bound> items;
  {
    ASSIGN_OR_RETURN(Bound lhs, Bind(lexpr, cx));
    items.push_back(lhs);
  }
  for (const auto& item : Field(list, "items")) {
    ASSIGN_OR_RETURN(Bound b, Bind(item, cx));
    items.push_back(b);
  }
  std::vector<Bound*> ptrs;
  for (auto& b : items) ptrs.push_back(&b);
  RETURN_IF_ERROR(Unify(ptrs, "="));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kIn;
  e->type = Type::kBool;
  e->negated = negated;
  for (auto& b : items) e->children.push_back(b.e);
  return Bound{e, false};
}

LAMINAR_NOINLINE Result<Bound> BindBetween(bool negated, const json& lexpr, const json& list, const Ctx& cx) {
  const json& bounds = Field(list, "items");
  if (bounds.size() != 2) return InvalidArgument("BETWEEN needs two bounds");
  ASSIGN_OR_RETURN(Bound a, Bind(lexpr, cx));
  ASSIGN_OR_RETURN(Bound lo, Bind(bounds[0], cx));
  ASSIGN_OR_RETURN(Bound hi, Bind(bounds[1], cx));
  RETURN_IF_ERROR(Unify({&a, &lo, &hi}, ">="));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kBetween;
  e->type = Type::kBool;
  e->negated = negated;
  e->children = {a.e, lo.e, hi.e};
  return Bound{e, false};
}

// ----- LIKE

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
      if (i + 1 == p.size())
        return InvalidArgument(ErrorCode::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
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

bool IsFuncNamed(const json& node, const char* name) {
  if (NodeKind(node) != "FuncCall") return false;
  const json& names = Field(node["FuncCall"], "funcname");
  return !names.empty() && StringValue(names.back()) == name;
}

LAMINAR_NOINLINE Result<Bound> BindLike(bool ilike, const std::string& op, const json& lexpr, const json& rexpr,
                                        const Ctx& cx) {
  bool negated = !op.empty() && op[0] == '!';
  char escape = '\\';
  const json* pattern = &rexpr;
  if (IsFuncNamed(rexpr, "like_escape")) {  // LIKE ... ESCAPE 'x'
    const json& args = Field(rexpr["FuncCall"], "args");
    if (args.size() != 2) return InvalidArgument("malformed LIKE ... ESCAPE");
    auto esc = ConstValue(args[1]);
    if (!esc.ok() || esc->is_null() || esc->type() != Type::kText)
      return Unimplemented("LIKE ... ESCAPE with a non-constant escape string is not supported");
    const std::string& s = esc->as_text();
    if (s.size() > 1) {
      if ((static_cast<unsigned char>(s[0]) & 0x80) && s.size() <= 4)
        return Unimplemented("a multi-byte ESCAPE character is not supported");
      return InvalidArgument(ErrorCode::kInvalidEscapeSequence,
                             "invalid escape string (it must be empty or one character)");
    }
    escape = s.empty() ? '\0' : s[0];
    pattern = &args[0];
  }
  ASSIGN_OR_RETURN(Bound a, Bind(lexpr, cx));
  ASSIGN_OR_RETURN(Bound p, Bind(*pattern, cx));
  if ((!a.unknown && a.e->type != Type::kText) || (!p.unknown && p.e->type != Type::kText))
    return InvalidArgument(ErrorCode::kUndefinedFunction,
                           "operator does not exist: {} {} {}", TypeNameOrUnknown(a), op, TypeNameOrUnknown(p));
  if (a.unknown) {
    ASSIGN_OR_RETURN(a.e, ResolveUnknown(a, Type::kText));
  }
  if (p.unknown) {
    ASSIGN_OR_RETURN(p.e, ResolveUnknown(p, Type::kText));
  }
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kLike;
  e->type = Type::kBool;
  e->negated = negated;
  e->ilike = ilike;
  e->escape = escape;
  e->children = {a.e, p.e};
  if (p.e->kind == ExprKind::kLiteral && !p.e->literal.is_null())
    RETURN_IF_ERROR(AnalyzeLike(p.e->literal.as_text(), escape, ilike, &e->like_shape, &e->like_text));
  return Bound{e, false};
}

LAMINAR_NOINLINE Result<Bound> BindNullIf(const json& lexpr, const json& rexpr, const Ctx& cx) {
  ASSIGN_OR_RETURN(Bound a, Bind(lexpr, cx));
  ASSIGN_OR_RETURN(Bound b, Bind(rexpr, cx));
  RETURN_IF_ERROR(Unify({&a, &b}, "="));
  Type t = a.e->type == Type::kDouble || b.e->type == Type::kDouble ? Type::kDouble : a.e->type;
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kNullIf;
  e->type = t;
  ASSIGN_OR_RETURN(ExprPtr ea, Coerce(a, t));
  e->children = {ea, b.e};
  return Bound{e, false};
}

LAMINAR_NOINLINE Result<Bound> BindAExpr(const json& ax, const Ctx& cx) {
  const std::string kind = ax.value("kind", "");
  const json& names = Field(ax, "name");
  const std::string op = names.empty() ? "" : StringValue(names.back());
  const json& lexpr = Field(ax, "lexpr");
  const json& rexpr = Field(ax, "rexpr");
  bool binary = !lexpr.is_null() && !rexpr.is_null();
  if (kind == "AEXPR_OP") {
    if (lexpr.is_null() && !rexpr.is_null() && (op == "-" || op == "+")) return BindNegate(rexpr, cx, op == "-");
    if (!binary) return Unimplemented("unsupported operator: {}", op);
    if (names.size() > 1 && StringValue(names[0]) != "pg_catalog")
      return Unimplemented("unsupported operator: {}", NameList(names));
    return BindBinaryOp(op, lexpr, rexpr, cx);
  }
  if (kind == "AEXPR_IN") {
    if (!binary || !rexpr.contains("List")) return Unimplemented("unsupported expression: IN");
    return BindIn(op == "<>", lexpr, rexpr["List"], cx);
  }
  if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_NOT_BETWEEN") {
    if (!binary || !rexpr.contains("List")) return Unimplemented("unsupported expression: BETWEEN");
    return BindBetween(kind == "AEXPR_NOT_BETWEEN", lexpr, rexpr["List"], cx);
  }
  if ((kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE") && binary) return BindLike(kind == "AEXPR_ILIKE", op, lexpr, rexpr, cx);
  if (kind == "AEXPR_NULLIF" && binary) return BindNullIf(lexpr, rexpr, cx);
  static const std::pair<const char*, const char*> kOther[] = {
      {"AEXPR_LIKE", "LIKE"},
      {"AEXPR_ILIKE", "ILIKE"},
      {"AEXPR_SIMILAR", "SIMILAR TO"},
      {"AEXPR_DISTINCT", "IS DISTINCT FROM"},
      {"AEXPR_NOT_DISTINCT", "IS NOT DISTINCT FROM"},
      {"AEXPR_NULLIF", "NULLIF"},
      {"AEXPR_OP_ANY", "ANY"},
      {"AEXPR_OP_ALL", "ALL"},
      {"AEXPR_BETWEEN_SYM", "BETWEEN SYMMETRIC"},
      {"AEXPR_NOT_BETWEEN_SYM", "NOT BETWEEN SYMMETRIC"}};
  for (const auto& [k, text] : kOther)
    if (kind == k) return Unimplemented("unsupported expression: {}", text);
  return Unimplemented("unsupported expression: {}", kind);
}

LAMINAR_NOINLINE Result<Bound> BindBoolExpr(const json& be, const Ctx& cx) {
  std::string op = be.value("boolop", "");
  const char* name = op == "AND_EXPR" ? "AND" : op == "OR_EXPR" ? "OR" : "NOT";
  auto e = std::make_shared<Expr>();
  e->kind = op == "AND_EXPR" ? ExprKind::kAnd : op == "OR_EXPR" ? ExprKind::kOr : ExprKind::kNot;
  e->type = Type::kBool;
  for (const auto& arg : Field(be, "args")) {
    ASSIGN_OR_RETURN(Bound b, Bind(arg, cx));
    if (b.unknown) {
      ASSIGN_OR_RETURN(b.e, ResolveUnknown(b, Type::kBool));
    }
    if (b.e->type != Type::kBool)
      return InvalidArgument(ErrorCode::kDatatypeMismatch,
                             "argument of {} must be type boolean, not type {}", name, TypeName(b.e->type));
    e->children.push_back(b.e);
  }
  if (e->kind == ExprKind::kNot ? e->children.size() != 1 : e->children.size() < 2)
    return InvalidArgument("malformed {} expression", name);
  return Bound{e, false};
}

// ----- CASE, COALESCE, GREATEST/LEAST

LAMINAR_NOINLINE Result<Bound> BindCase(const json& ce, const Ctx& cx) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCase;
  std::optional<Bound> operand;
  if (ce.contains("arg")) {
    ASSIGN_OR_RETURN(Bound op, Bind(ce["arg"], cx));
    if (op.unknown) {
      ASSIGN_OR_RETURN(op.e, ResolveUnknown(op, Type::kText));
      op.unknown = false;
    }
    operand = op;
    e->has_operand = true;
  }
  std::vector<ExprPtr> whens;
  std::vector<Bound> results;
  Bound els{MakeLiteral(Value::Null(), Type::kText), true};
  if (ce.contains("defresult")) {
    ASSIGN_OR_RETURN(els, Bind(ce["defresult"], cx));
  }
  results.push_back(els);  // PostgreSQL considers the ELSE first when choosing the type
  for (const auto& arm : Field(ce, "args")) {
    const json& cw = Field(arm, "CaseWhen");
    if (cw.is_null()) return InvalidArgument("malformed CASE expression");
    ASSIGN_OR_RETURN(Bound w, Bind(Field(cw, "expr"), cx));
    if (operand) {
      Bound op = *operand;
      RETURN_IF_ERROR(Unify({&op, &w}, "="));
    } else {
      if (w.unknown) {
        ASSIGN_OR_RETURN(w.e, ResolveUnknown(w, Type::kBool));
      }
      if (w.e->type != Type::kBool)
        return InvalidArgument(ErrorCode::kDatatypeMismatch,
                               "argument of CASE/WHEN must be type boolean, not type {}", TypeName(w.e->type));
    }
    whens.push_back(w.e);
    ASSIGN_OR_RETURN(Bound r, Bind(Field(cw, "result"), cx));
    results.push_back(r);
  }
  if (whens.empty()) return InvalidArgument("malformed CASE expression");
  std::vector<Bound*> ptrs;
  for (auto& r : results) ptrs.push_back(&r);
  ASSIGN_OR_RETURN(Type t, CommonType(ptrs, "CASE"));
  e->type = t;
  if (operand) e->children.push_back(operand->e);
  for (size_t i = 0; i < whens.size(); i++) {
    e->children.push_back(whens[i]);
    ASSIGN_OR_RETURN(ExprPtr r, Coerce(results[i + 1], t));
    e->children.push_back(r);
  }
  ASSIGN_OR_RETURN(ExprPtr else_e, Coerce(results[0], t));
  e->children.push_back(else_e);
  return Bound{e, false};
}

// COALESCE (kCoalesce) or GREATEST/LEAST (kMinMax).
LAMINAR_NOINLINE Result<Bound> BindVariadic(ExprKind kind, bool least, const json& body, const Ctx& cx) {
  const char* context = kind == ExprKind::kCoalesce ? "COALESCE" : least ? "LEAST" : "GREATEST";
  std::vector<Bound> args;
  for (const auto& a : Field(body, "args")) {
    ASSIGN_OR_RETURN(Bound b, Bind(a, cx));
    args.push_back(b);
  }
  if (args.empty()) return InvalidArgument("malformed {} expression", context);
  std::vector<Bound*> ptrs;
  for (auto& b : args) ptrs.push_back(&b);
  ASSIGN_OR_RETURN(Type t, CommonType(ptrs, context));
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->least = least;
  e->type = t;
  for (const auto& b : args) {
    ASSIGN_OR_RETURN(ExprPtr c, Coerce(b, t));
    e->children.push_back(c);
  }
  return Bound{e, false};
}

// ----- functions

Result<TimeUnit> DateTruncUnit(const json& node) {
  auto v = ConstValue(node);
  if (!v.ok() || v->is_null() || v->type() != Type::kText)
    return InvalidArgument("date_trunc: the unit must be a constant string such as 'hour'");
  std::string unit = Lower(Trim(v->as_text()));
  auto u = ParseTimeUnit(unit);
  if (!u && unit.size() > 1 && unit.back() == 's') u = ParseTimeUnit(unit.substr(0, unit.size() - 1));
  if (u) return *u;
  static const char* kPgOnly[] = {"microsecond", "microseconds", "millisecond", "milliseconds",
                                  "quarter",     "decade",       "century",     "millennium"};
  for (const char* p : kPgOnly)
    if (unit == p)
      return Unimplemented(
          "date_trunc unit \"{}\" is not supported (use second, minute, hour, day, "
          "week, month or year)",
          v->as_text());
  return InvalidArgument(ErrorCode::kInvalidParameterValue,
                         "unit \"{}\" not recognized for type timestamp with time zone", v->as_text());
}

// An argument that must be a timestamptz (unknown literals are read as one).
Result<ExprPtr> TimestampArg(const json& node, const Ctx& cx, const char* fn) {
  ASSIGN_OR_RETURN(Bound arg, Bind(node, cx));
  if (arg.unknown) {
    ASSIGN_OR_RETURN(arg.e, ResolveUnknown(arg, Type::kTimestamp));
  }
  if (arg.e->type != Type::kTimestamp)
    return InvalidArgument(ErrorCode::kUndefinedFunction,
                           "function {}(unknown, {}) does not exist: {} needs a timestamp with time zone", fn,
                           TypeName(arg.e->type), fn);
  return arg.e;
}

LAMINAR_NOINLINE Result<Bound> BindDateTrunc(const json& args, const Ctx& cx) {
  if (args.size() == 3)
    return Unimplemented("date_trunc with a time zone argument is not supported (Laminar works in UTC)");
  if (args.size() != 2)
    return InvalidArgument(ErrorCode::kUndefinedFunction, "function date_trunc takes 2 arguments, got {}", args.size());
  ASSIGN_OR_RETURN(TimeUnit unit, DateTruncUnit(args[0]));
  ASSIGN_OR_RETURN(ExprPtr arg, TimestampArg(args[1], cx, "date_trunc"));
  return Bound{MakeDateTrunc(unit, arg), false};
}

std::optional<DatePart> ParseDatePart(const std::string& f) {
  static const std::pair<const char*, DatePart> kParts[] = {
      {"year", DatePart::kYear},           {"years", DatePart::kYear},
      {"y", DatePart::kYear},              {"yr", DatePart::kYear},
      {"yrs", DatePart::kYear},            {"quarter", DatePart::kQuarter},
      {"qtr", DatePart::kQuarter},         {"month", DatePart::kMonth},
      {"months", DatePart::kMonth},        {"mon", DatePart::kMonth},
      {"mons", DatePart::kMonth},          {"week", DatePart::kWeek},
      {"weeks", DatePart::kWeek},          {"w", DatePart::kWeek},
      {"day", DatePart::kDay},             {"days", DatePart::kDay},
      {"d", DatePart::kDay},               {"dow", DatePart::kDow},
      {"isodow", DatePart::kIsoDow},       {"doy", DatePart::kDoy},
      {"hour", DatePart::kHour},           {"hours", DatePart::kHour},
      {"h", DatePart::kHour},              {"hr", DatePart::kHour},
      {"hrs", DatePart::kHour},            {"minute", DatePart::kMinute},
      {"minutes", DatePart::kMinute},      {"m", DatePart::kMinute},
      {"min", DatePart::kMinute},          {"mins", DatePart::kMinute},
      {"second", DatePart::kSecond},       {"seconds", DatePart::kSecond},
      {"s", DatePart::kSecond},            {"sec", DatePart::kSecond},
      {"secs", DatePart::kSecond},         {"millisecond", DatePart::kMilliseconds},
      {"milliseconds", DatePart::kMilliseconds}, {"ms", DatePart::kMilliseconds},
      {"msec", DatePart::kMilliseconds},   {"msecs", DatePart::kMilliseconds},
      {"millisecon", DatePart::kMilliseconds}, {"microsecond", DatePart::kMicroseconds},
      {"microseconds", DatePart::kMicroseconds}, {"us", DatePart::kMicroseconds},
      {"usec", DatePart::kMicroseconds},   {"usecs", DatePart::kMicroseconds},
      {"microsecon", DatePart::kMicroseconds}, {"epoch", DatePart::kEpoch},
      {"isoyear", DatePart::kIsoYear},     {"decade", DatePart::kDecade},
      {"decades", DatePart::kDecade},      {"dec", DatePart::kDecade},
      {"decs", DatePart::kDecade},         {"century", DatePart::kCentury},
      {"centuries", DatePart::kCentury},   {"c", DatePart::kCentury},
      {"cent", DatePart::kCentury},        {"millennium", DatePart::kMillennium},
      {"millennia", DatePart::kMillennium}, {"mil", DatePart::kMillennium},
      {"mils", DatePart::kMillennium},     {"timezone", DatePart::kTimezone},
      {"timezone_h", DatePart::kTimezoneHour}, {"timezone_hour", DatePart::kTimezoneHour},
      {"timezone_m", DatePart::kTimezoneMinute}, {"timezone_minute", DatePart::kTimezoneMinute}};
  for (const auto& [name, part] : kParts)
    if (f == name) return part;
  return std::nullopt;
}

// extract(field FROM ts) (libpg_query: pg_catalog.extract('field', ts)) and date_part('field', ts).
LAMINAR_NOINLINE Result<Bound> BindExtract(const std::string& fn, const json& args, const Ctx& cx) {
  if (args.size() != 2)
    return InvalidArgument(ErrorCode::kUndefinedFunction, "function {} takes 2 arguments, got {}", fn, args.size());
  auto v = ConstValue(args[0]);
  if (!v.ok() || v->is_null() || v->type() != Type::kText)
    return Unimplemented("{}: the field must be a constant string such as 'hour'", fn);
  std::string field = Lower(Trim(v->as_text()));
  auto part = ParseDatePart(field);
  if (!part) {
    if (field == "julian") return Unimplemented("{} field julian is not supported", fn);
    return InvalidArgument(ErrorCode::kInvalidParameterValue,
                           "unit \"{}\" not recognized for type timestamp with time zone", field);
  }
  ASSIGN_OR_RETURN(ExprPtr arg, TimestampArg(args[1], cx, fn.c_str()));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kExtract;
  e->type = Type::kDouble;
  e->field = *part;
  e->children = {arg};
  return Bound{e, false};
}

// The argument classes of the scalar functions.
enum class Sig {
  kText,          // f(text) → text
  kTextToInt,     // f(text) → bigint
  kSubstr,        // f(text, bigint [, bigint]) → text
  kConcat,        // f(any, ...) → text
  kTrim,          // f(text [, text]) → text
  kText3,         // f(text, text, text) → text
  kText2ToInt,    // f(text, text) → bigint
  kNumSame,       // f(x) → x's type
  kRound,         // f(x) → x's type; f(x, bigint) → double
  kNum2,          // f(x, y) → bigint if both are, else double
  kDouble,        // f(double) → double
  kDouble2,       // f(double, double) → double
  kToTimestamp,   // f(double) → timestamptz
};

struct FuncInfo {
  const char* name;
  Func func;
  Sig sig;
};

const FuncInfo* FindFunc(const std::string& name) {
  static const FuncInfo kFuncs[] = {
      {"lower", Func::kLower, Sig::kText},
      {"upper", Func::kUpper, Sig::kText},
      {"length", Func::kLength, Sig::kTextToInt},
      {"char_length", Func::kLength, Sig::kTextToInt},
      {"character_length", Func::kLength, Sig::kTextToInt},
      {"substr", Func::kSubstr, Sig::kSubstr},
      {"substring", Func::kSubstr, Sig::kSubstr},
      {"concat", Func::kConcat, Sig::kConcat},
      {"btrim", Func::kBtrim, Sig::kTrim},
      {"ltrim", Func::kLtrim, Sig::kTrim},
      {"rtrim", Func::kRtrim, Sig::kTrim},
      {"replace", Func::kReplace, Sig::kText3},
      {"strpos", Func::kStrpos, Sig::kText2ToInt},
      {"position", Func::kStrpos, Sig::kText2ToInt},
      {"abs", Func::kAbs, Sig::kNumSame},
      {"round", Func::kRound, Sig::kRound},
      {"trunc", Func::kTrunc, Sig::kRound},
      {"floor", Func::kFloor, Sig::kNumSame},
      {"ceil", Func::kCeil, Sig::kNumSame},
      {"ceiling", Func::kCeil, Sig::kNumSame},
      {"mod", Func::kMod, Sig::kNum2},
      {"sqrt", Func::kSqrt, Sig::kDouble},
      {"power", Func::kPower, Sig::kDouble2},
      {"pow", Func::kPower, Sig::kDouble2},
      {"ln", Func::kLn, Sig::kDouble},
      {"log", Func::kLog10, Sig::kDouble},
      {"log10", Func::kLog10, Sig::kDouble},
      {"exp", Func::kExp, Sig::kDouble},
      {"sign", Func::kSign, Sig::kDouble},
      {"to_timestamp", Func::kToTimestamp, Sig::kToTimestamp},
  };
  for (const auto& f : kFuncs)
    if (name == f.name) return &f;
  return nullptr;
}

// Gives argument `b` type `want` (unknown literals are cast; bigint widens to double); false when
// it has another type.
Result<bool> ArgAs(Bound* b, Type want) {
  if (b->unknown) {
    ASSIGN_OR_RETURN(b->e, ResolveUnknown(*b, want));
    b->unknown = false;
    return true;
  }
  if (b->e->type == want) return true;
  if (b->e->type == Type::kInt64 && want == Type::kDouble) {
    ASSIGN_OR_RETURN(b->e, Coerce(*b, want));
    return true;
  }
  return false;
}

// A numeric argument: bigint or double stay as they are; unknown literals become double.
Result<bool> NumericArg(Bound* b) {
  if (b->unknown) return ArgAs(b, Type::kDouble);
  return IsNumeric(b->e->type);
}

LAMINAR_NOINLINE Result<Bound> BindScalarFunc(const std::string& name, const FuncInfo& fi, const json& arg_nodes,
                                              const Ctx& cx) {
  std::vector<Bound> args;
  for (const auto& a : arg_nodes) {
    ASSIGN_OR_RETURN(Bound b, Bind(a, cx));
    args.push_back(b);
  }
  size_t n = args.size();
  auto no_such = [&]() {
    return InvalidArgument(ErrorCode::kUndefinedFunction, "function {}({}) does not exist", name, SignatureText(args));
  };
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kFunc;
  e->func = fi.func;
  bool ok = true;
  switch (fi.sig) {
    case Sig::kText:
    case Sig::kTextToInt: {
      if (n != 1) return no_such();
      ASSIGN_OR_RETURN(ok, ArgAs(&args[0], Type::kText));
      e->type = fi.sig == Sig::kText ? Type::kText : Type::kInt64;
      break;
    }
    case Sig::kSubstr: {
      if (n != 2 && n != 3) return no_such();
      if (name == "substring" && (args[1].unknown ? !args[1].e->literal.is_null() : args[1].e->type == Type::kText))
        return Unimplemented("substring with a regular expression is not supported");
      ASSIGN_OR_RETURN(ok, ArgAs(&args[0], Type::kText));
      for (size_t i = 1; i < n && ok; i++) {
        ASSIGN_OR_RETURN(ok, ArgAs(&args[i], Type::kInt64));
      }
      e->type = Type::kText;
      break;
    }
    case Sig::kConcat: {
      if (n == 0) return no_such();
      for (auto& a : args)
        if (a.unknown) {
          ASSIGN_OR_RETURN(ok, ArgAs(&a, Type::kText));
        }
      e->type = Type::kText;
      break;
    }
    case Sig::kTrim:
    case Sig::kText3:
    case Sig::kText2ToInt: {
      if (fi.sig == Sig::kTrim ? (n != 1 && n != 2) : n != (fi.sig == Sig::kText3 ? 3u : 2u)) return no_such();
      for (size_t i = 0; i < n && ok; i++) {
        ASSIGN_OR_RETURN(ok, ArgAs(&args[i], Type::kText));
      }
      e->type = fi.sig == Sig::kText2ToInt ? Type::kInt64 : Type::kText;
      break;
    }
    case Sig::kNumSame:
    case Sig::kRound: {
      if (n != 1 && !(fi.sig == Sig::kRound && n == 2)) return no_such();
      ASSIGN_OR_RETURN(ok, NumericArg(&args[0]));
      if (ok && n == 2) {
        ASSIGN_OR_RETURN(ok, ArgAs(&args[1], Type::kInt64));
      }
      if (ok) e->type = n == 2 ? Type::kDouble : args[0].e->type;
      break;
    }
    case Sig::kNum2: {
      if (n != 2) return no_such();
      ASSIGN_OR_RETURN(ok, NumericArg(&args[0]));
      if (ok) {
        ASSIGN_OR_RETURN(ok, NumericArg(&args[1]));
      }
      if (ok) {
        e->type = args[0].e->type == Type::kInt64 && args[1].e->type == Type::kInt64 ? Type::kInt64 : Type::kDouble;
        for (auto& a : args) {
          ASSIGN_OR_RETURN(a.e, Coerce(a, e->type));
        }
      }
      break;
    }
    case Sig::kDouble:
    case Sig::kDouble2:
    case Sig::kToTimestamp: {
      if (fi.func == Func::kToTimestamp && n == 2)
        return Unimplemented("to_timestamp(text, format) is not supported");
      if (fi.func == Func::kLog10 && n == 2) return Unimplemented("log(base, x) is not supported");
      if (n != (fi.sig == Sig::kDouble2 ? 2u : 1u)) return no_such();
      for (size_t i = 0; i < n && ok; i++) {  // evaluated as doubles: bigint arguments are not cast
        ASSIGN_OR_RETURN(ok, NumericArg(&args[i]));
      }
      e->type = fi.sig == Sig::kToTimestamp ? Type::kTimestamp : Type::kDouble;
      break;
    }
  }
  if (!ok) return no_such();
  for (const auto& a : args) e->children.push_back(a.e);
  return Bound{e, false};
}

bool IsUtcZone(std::string z) {
  z = Lower(Trim(z));
  return z == "utc" || z == "z" || z == "gmt" || z == "uct" || z == "etc/utc" || z == "etc/gmt" || z == "zulu" ||
         z == "+00" || z == "+00:00" || z == "-00" || z == "00:00" || z == "utc+0" || z == "utc0";
}

LAMINAR_NOINLINE Result<Bound> BindFuncCall(const json& fc, const Ctx& cx) {
  const json& names = Field(fc, "funcname");
  std::string name = names.empty() ? "" : StringValue(names.back());
  std::string qualifier = names.size() > 1 ? StringValue(names[names.size() - 2]) : "";
  if (!qualifier.empty() && qualifier != "pg_catalog")
    return Unimplemented("unsupported function: {}", NameList(names));
  if (fc.contains("over")) return Unimplemented("window functions are not supported: {}", name);
  if (IsAggregateName(name))
    return InvalidArgument(ErrorCode::kGroupingError, "aggregate function {} is not allowed here", name);
  if (fc.value("agg_star", false))
    return InvalidArgument(ErrorCode::kWrongObjectType,
                           "{}(*) specified, but {} is not an aggregate function", name, name);
  if (fc.value("agg_distinct", false))
    return InvalidArgument(ErrorCode::kWrongObjectType,
                           "DISTINCT specified, but {} is not an aggregate function", name);
  if (fc.contains("agg_filter"))
    return InvalidArgument(ErrorCode::kWrongObjectType, "FILTER specified, but {} is not an aggregate function", name);
  if (fc.contains("agg_order") || fc.value("agg_within_group", false))
    return InvalidArgument(ErrorCode::kWrongObjectType,
                           "ORDER BY specified, but {} is not an aggregate function", name);
  if (fc.value("func_variadic", false)) return Unimplemented("VARIADIC is not supported");
  const json& args = Field(fc, "args");
  if (name == "date_trunc") return BindDateTrunc(args, cx);
  if (name == "extract" || name == "date_part") return BindExtract(name, args, cx);
  if (name == "now" || name == "transaction_timestamp" || name == "statement_timestamp") {
    if (!args.empty()) return InvalidArgument(ErrorCode::kUndefinedFunction, "function {} takes no arguments", name);
    return Bound{MakeLiteral(Value::Timestamp(cx.Now()), Type::kTimestamp), false};
  }
  if (name == "timezone" && args.size() == 2) {  // ts AT TIME ZONE 'zone'
    auto zone = ConstValue(args[0]);
    if (!zone.ok() || zone->is_null() || zone->type() != Type::kText || !IsUtcZone(zone->as_text()))
      return Unimplemented("AT TIME ZONE is supported for UTC only (Laminar works in UTC)");
    ASSIGN_OR_RETURN(ExprPtr arg, TimestampArg(args[1], cx, "timezone"));
    return Bound{arg, false};
  }
  const FuncInfo* fi = FindFunc(name);
  if (!fi) return Unimplemented("unsupported function: {}", name);
  return BindScalarFunc(name, *fi, args, cx);
}

LAMINAR_NOINLINE Result<Bound> BindSqlValueFunction(const json& node, const json& body, const Ctx& cx) {
  std::string op = body.value("op", "");
  if (op == "SVFOP_CURRENT_TIMESTAMP" || op == "SVFOP_LOCALTIMESTAMP" || op == "SVFOP_CURRENT_TIMESTAMP_N" ||
      op == "SVFOP_LOCALTIMESTAMP_N") {
    int64_t now = cx.Now();
    // libpg_query leaves zero out of its JSON: CURRENT_TIMESTAMP(0) has no "typmod".
    bool has_precision = op.size() > 2 && op.compare(op.size() - 2, 2, "_N") == 0;
    int64_t precision = has_precision ? body.value("typmod", int64_t{0}) : -1;
    if (precision >= 0 && precision < 6) {  // rounded to the precision asked for, as PostgreSQL does
      int64_t unit = 1;
      for (int64_t i = precision; i < 6; i++) unit *= 10;
      int64_t r = (now + unit / 2) / unit * unit;
      if (now + unit / 2 < 0 && (now + unit / 2) % unit != 0) r -= unit;
      now = r;
    }
    return Bound{MakeLiteral(Value::Timestamp(now), Type::kTimestamp), false};
  }
  return Unsupported(node);
}

LAMINAR_NOINLINE Result<Bound> BindNullTest(const json& body, const Ctx& cx) {
  ASSIGN_OR_RETURN(Bound a, Bind(Field(body, "arg"), cx));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kIsNull;
  e->type = Type::kBool;
  e->negated = body.value("nulltesttype", "") == "IS_NOT_NULL";
  e->children = {a.e};
  return Bound{e, false};
}

// Offers the node to the hook: a bound expression, or null to bind normally.
LAMINAR_NOINLINE Result<ExprPtr> CallHook(const json& node, const Ctx& cx) { return (*cx.hook)(node); }

// Replaces an expression whose children are all literals by its value (PostgreSQL folds constant
// expressions at plan time too). An error while folding is returned.
LAMINAR_NOINLINE Status Fold(Bound* b) {
  const Expr& e = *b->e;
  if (b->unknown || b->interval || e.kind == ExprKind::kLiteral || e.kind == ExprKind::kColumn) return Status::OK();
  for (const auto& c : e.children)
    if (c->kind != ExprKind::kLiteral) return Status::OK();
  if (HasEvalError()) return Status::OK();  // the caller's pending error stays; no folding then
  Value v = Eval(e, nullptr);
  RETURN_IF_ERROR(TakeEvalError());
  b->e = MakeLiteral(std::move(v), e.type);
  return Status::OK();
}

// Expression trees deeper than this are refused: binding, ToString and Eval recurse per level.
constexpr int kMaxDepth = 500;
thread_local int bind_depth = 0;

struct DepthGuard {
  DepthGuard() { bind_depth++; }
  ~DepthGuard() { bind_depth--; }
};

LAMINAR_NOINLINE Result<Bound> BindNode(const std::string& kind, const json& node, const Ctx& cx) {
  const json& body = node[kind];
  if (kind == "ColumnRef") return BindColumnRef(body, cx);
  if (kind == "A_Const") return BindConst(body);
  if (kind == "TypeCast") return BindTypeCast(body, cx);
  if (kind == "A_Expr") return BindAExpr(body, cx);
  if (kind == "BoolExpr") return BindBoolExpr(body, cx);
  if (kind == "FuncCall") return BindFuncCall(body, cx);
  if (kind == "NullTest") return BindNullTest(body, cx);
  if (kind == "CaseExpr") return BindCase(body, cx);
  if (kind == "CoalesceExpr") return BindVariadic(ExprKind::kCoalesce, false, body, cx);
  if (kind == "MinMaxExpr") return BindVariadic(ExprKind::kMinMax, body.value("op", "") == "IS_LEAST", body, cx);
  if (kind == "SQLValueFunction") return BindSqlValueFunction(node, body, cx);
  return Unsupported(node);
}

Result<Bound> Bind(const json& node, const Ctx& cx, bool allow_interval) {
  DepthGuard guard;
  if (bind_depth > kMaxDepth)
    return InvalidArgument(ErrorCode::kProgramLimitExceeded,
                           "expression is nested too deeply (more than {} levels)", kMaxDepth);
  const std::string& kind = NodeKind(node);
  if (kind.empty()) return Unsupported(node);
  if (cx.hook) {
    ASSIGN_OR_RETURN(ExprPtr hooked, CallHook(node, cx));
    if (hooked) return Bound{std::move(hooked), false};
  }
  ASSIGN_OR_RETURN(Bound b, BindNode(kind, node, cx));
  if (b.interval && !allow_interval)
    return Unimplemented("type interval is not supported (only interval constants such as interval '1 hour', "
                         "added to or subtracted from a timestamptz)");
  RETURN_IF_ERROR(Fold(&b));
  return b;
}

bool IsConstantNode(const json& node) {
  const std::string& kind = NodeKind(node);
  if (kind == "A_Const") return true;
  if (kind == "TypeCast") return IsConstantNode(Field(node[kind], "arg"));
  if (kind == "A_Expr") {
    const json& ax = node[kind];
    const json& names = Field(ax, "name");
    std::string op = names.empty() ? "" : StringValue(names.back());
    return ax.value("kind", "") == "AEXPR_OP" && !ax.contains("lexpr") && (op == "-" || op == "+") &&
           ax.contains("rexpr") && IsConstantNode(ax["rexpr"]);
  }
  return false;
}

}  // namespace

Result<int> Scope::Resolve(std::string_view qualifier, std::string_view name) const {
  auto missing = [&]() {
    if (relation.empty()) return InvalidArgument(ErrorCode::kUndefinedColumn, "column \"{}\" does not exist", name);
    return InvalidArgument(ErrorCode::kUndefinedColumn, "column \"{}\" does not exist in \"{}\"", name, relation);
  };
  bool relations = false;
  for (const auto& c : columns)
    if (!c.relation.empty()) relations = true;
  if (relations && !qualifier.empty()) {
    bool seen = false;
    for (size_t i = 0; i < columns.size(); i++) {
      if (columns[i].relation != qualifier) continue;
      seen = true;
      if (columns[i].name == name) return static_cast<int>(i);
    }
    if (!seen)
      return InvalidArgument(ErrorCode::kUndefinedTable, "missing FROM-clause entry for table \"{}\"", qualifier);
    return InvalidArgument(ErrorCode::kUndefinedColumn, "column {}.{} does not exist", qualifier, name);
  }
  int found = -1;
  for (size_t i = 0; i < columns.size(); i++) {
    if (columns[i].name != name || columns[i].merged) continue;
    if (found < 0) {
      found = static_cast<int>(i);
    } else if (columns[found].relation != columns[i].relation) {
      return InvalidArgument(ErrorCode::kAmbiguousColumn, "column reference \"{}\" is ambiguous", name);
    }
  }
  if (found < 0) return missing();
  return found;
}

ScopedStatementTime::ScopedStatementTime(int64_t micros) : previous_(pinned_statement_time) {
  pinned_statement_time = micros;
}

ScopedStatementTime::~ScopedStatementTime() { pinned_statement_time = previous_; }

Result<ExprPtr> BindExpr(const json& node, const Scope& scope, const BindHook* hook) {
  Ctx cx{scope, hook && *hook ? hook : nullptr};
  ASSIGN_OR_RETURN(Bound b, Bind(node, cx));
  return b.e;
}

Result<ExprPtr> BindPredicate(const json& node, const Scope& scope, const BindHook* hook) {
  Ctx cx{scope, hook && *hook ? hook : nullptr};
  ASSIGN_OR_RETURN(Bound b, Bind(node, cx));
  if (b.unknown) {
    ASSIGN_OR_RETURN(b.e, ResolveUnknown(b, Type::kBool));
  }
  if (b.e->type != Type::kBool)
    return InvalidArgument(ErrorCode::kDatatypeMismatch,
                           "argument of WHERE must be type boolean, not type {}", TypeName(b.e->type));
  return b.e;
}

Result<Value> ConstValue(const json& node) {
  if (!IsConstantNode(node)) return InvalidArgument("expected a constant, got {}", DescribeNode(node));
  Scope empty;
  Ctx cx{empty, nullptr};
  ASSIGN_OR_RETURN(Bound b, Bind(node, cx));
  if (b.e->kind != ExprKind::kLiteral)
    return InvalidArgument("expected a constant, got {}", DescribeNode(node));
  return b.e->literal;
}

std::string ColumnRefName(const json& node) {
  if (NodeKind(node) != "ColumnRef") return "";
  const json& fields = Field(node["ColumnRef"], "fields");
  return fields.empty() ? "" : StringValue(fields.back());
}

Result<Value> CastText(const std::string& text, Type type) {
  auto bad = [&]() {
    return InvalidArgument(ErrorCode::kInvalidTextRepresentation,
                           "invalid input syntax for type {}: \"{}\"", TypeName(type), text);
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
      if (errno == ERANGE)
        return InvalidArgument(ErrorCode::kNumericValueOutOfRange,
                               "value \"{}\" is out of range for type bigint", text);
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
        return InvalidArgument(ErrorCode::kNumericValueOutOfRange,
                               "\"{}\" is out of range for type double precision", text);
      return Value::Double(d);
    }
    case Type::kTimestamp: {
      if (Lower(s) == "epoch") return Value::Timestamp(0);
      auto t = ParseTimestamp(s);
      if (!t) return bad();
      return Value::Timestamp(*t);
    }
  }
  return bad();
}

}  // namespace laminar::sql
