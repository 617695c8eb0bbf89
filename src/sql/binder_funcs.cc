// Function calls in expressions: the scalar functions of sql::Func, date_trunc, extract and
// date_part, now() and CURRENT_TIMESTAMP, AT TIME ZONE 'UTC'; aggregates and window functions are
// refused here (the planner's hook replaces them first).
#include <optional>

#include "common/strings.h"
#include "common/time_util.h"
#include "sql/binder_internal.h"
#include "sql/func_internal.h"
#include "sql/time_zone.h"

namespace laminar::sql {

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

namespace binder_internal {
namespace {

// A named argument (f(a => 1)): libpg_query wraps it in a NamedArgExpr node, which the binder
// does not accept; the syntax tree keeps the name beside the argument.
bool IsNamedArg(const ast::Expr& fc, size_t i) { return i < fc.arg_names.size() && !fc.arg_names[i].empty(); }

// Binds argument i of a call.
Result<Bound> BindArg(const ast::Expr& fc, size_t i, const Ctx& cx) {
  if (IsNamedArg(fc, i)) return Unimplemented("unsupported expression: NamedArgExpr");
  return Bind(*fc.args[i], cx);
}

// Argument i of a call as a constant (not offered to the hook).
Result<Value> ConstArg(const ast::Expr& fc, size_t i) {
  if (IsNamedArg(fc, i)) return InvalidArgument("expected a constant, got NamedArgExpr");
  return ConstValue(*fc.args[i]);
}

std::optional<DatePart> ParseDatePart(const std::string& f);

// date_trunc's unit: PostgreSQL's spellings of the fields that are units ('hour', 'hours', 'hr',
// 'qtr', 'ms', ...).
Result<TimeUnit> DateTruncUnit(const ast::Expr& fc, size_t i) {
  auto v = ConstArg(fc, i);
  if (!v.ok() || v->is_null() || v->type() != Type::kText)
    return Unimplemented("date_trunc: the unit must be a constant string such as 'hour'");
  std::string unit = Lower(v->as_text());  // as PostgreSQL: lower-cased, not trimmed
  if (auto part = ParseDatePart(unit)) {
    switch (*part) {
      case DatePart::kMicroseconds: return TimeUnit::kMicrosecond;
      case DatePart::kMilliseconds: return TimeUnit::kMillisecond;
      case DatePart::kSecond: return TimeUnit::kSecond;
      case DatePart::kMinute: return TimeUnit::kMinute;
      case DatePart::kHour: return TimeUnit::kHour;
      case DatePart::kDay: return TimeUnit::kDay;
      case DatePart::kWeek: return TimeUnit::kWeek;
      case DatePart::kMonth: return TimeUnit::kMonth;
      case DatePart::kQuarter: return TimeUnit::kQuarter;
      case DatePart::kYear: return TimeUnit::kYear;
      case DatePart::kDecade: return TimeUnit::kDecade;
      case DatePart::kCentury: return TimeUnit::kCentury;
      case DatePart::kMillennium: return TimeUnit::kMillennium;
      default: break;  // dow, epoch, ...: not units
    }
  }
  return InvalidArgument(ErrorCode::kInvalidParameterValue, "unit \"{}\" not recognized for type timestamp with time zone",
                         unit);
}

// Argument i, which must be a timestamptz (unknown literals are read as one).
Result<ExprPtr> TimestampArg(const ast::Expr& fc, size_t i, const Ctx& cx, const char* fn) {
  ASSIGN_OR_RETURN(Bound arg, BindArg(fc, i, cx));
  if (arg.unknown) {
    ASSIGN_OR_RETURN(arg.e, ResolveUnknown(arg, Type::kTimestamp));
  }
  if (arg.e->type == Type::kDate) return MakeCast(arg.e, Type::kTimestamp);  // PostgreSQL's implicit cast
  if (arg.e->type != Type::kTimestamp)
    return InvalidArgument(ErrorCode::kUndefinedFunction, "function {}(unknown, {}) does not exist: {} needs a timestamp with time zone", fn,
                           TypeName(arg.e->type), fn);
  return arg.e;
}

LAMINAR_NOINLINE Result<Bound> BindDateTrunc(const ast::Expr& fc, const Ctx& cx) {
  const auto& args = fc.args;
  if (args.size() == 3)
    return Unimplemented("date_trunc with a time zone argument is not supported (Laminar works in UTC)");
  if (args.size() != 2) return InvalidArgument(ErrorCode::kUndefinedFunction, "function date_trunc takes 2 arguments, got {}", args.size());
  ASSIGN_OR_RETURN(TimeUnit unit, DateTruncUnit(fc, 0));
  ASSIGN_OR_RETURN(ExprPtr arg, TimestampArg(fc, 1, cx, "date_trunc"));
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

// extract(field FROM ts) (the grammar makes it pg_catalog.extract('field', ts)) and
// date_part('field', ts).
LAMINAR_NOINLINE Result<Bound> BindExtract(const std::string& fn, const ast::Expr& fc, const Ctx& cx) {
  if (fc.args.size() != 2) return InvalidArgument(ErrorCode::kUndefinedFunction, "function {} takes 2 arguments, got {}", fn, fc.args.size());
  auto v = ConstArg(fc, 0);
  if (!v.ok() || v->is_null() || v->type() != Type::kText)
    return Unimplemented("{}: the field must be a constant string such as 'hour'", fn);
  std::string field = Lower(v->as_text());
  auto part = ParseDatePart(field);
  if (!part) {
    if (field == "julian") return Unimplemented("{} field julian is not supported", fn);
    return InvalidArgument(ErrorCode::kInvalidParameterValue, "unit \"{}\" not recognized for type timestamp with time zone", field);
  }
  ASSIGN_OR_RETURN(ExprPtr arg, TimestampArg(fc, 1, cx, fn.c_str()));
  if (fn == "extract" && arg->kind == ExprKind::kCast && arg->children[0]->type == Type::kDate) {
    // extract(... FROM date) has no time of day (date_part('hour', date) reads the date as a
    // timestamp and gives 0, as PostgreSQL does).
    switch (*part) {
      case DatePart::kHour:
      case DatePart::kMinute:
      case DatePart::kSecond:
      case DatePart::kMilliseconds:
      case DatePart::kMicroseconds:
      case DatePart::kTimezone:
      case DatePart::kTimezoneHour:
      case DatePart::kTimezoneMinute:
        return Unimplemented(ErrorCode::kFeatureNotSupported, "unit \"{}\" not supported for type date", field);
      default: break;
    }
  }
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
  kSubstr,        // f(text, bigint [, bigint]) → text; substring(text, pattern text) → text
  kConcat,        // f(any, ...) → text
  kTrim,          // f(text [, text]) → text
  kText3,         // f(text, text, text) → text
  kText2ToInt,    // f(text, text) → bigint
  kNumSame,       // f(x) → x's type
  kRound,         // f(x) → x's type; f(x, bigint) → double
  kNum2,          // f(x, y) → bigint if both are, else double
  kDouble,        // f(double) → double (log: also f(double, double))
  kDouble2,       // f(double, double) → double
  kToTimestamp,   // f(double) → timestamptz
  kTextInt,       // f(text, bigint) → text
  kTextTextInt,   // f(text, text, bigint) → text
  kPad,           // f(text, bigint [, text]) → text
  kText2ToBool,   // f(text, text) → boolean
  kIntToText,     // f(bigint) → text
  kAnyToText,     // f(any) → text: the argument cast to text
  kFormat,        // f(text, any...) → text
  kInt2,          // f(bigint, bigint) → bigint
  kWidthBucket,   // f(double, double, double, bigint) → bigint
  kRegex,         // the regexp_* functions: see BindRegexCall
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
      {"sin", Func::kSin, Sig::kDouble},
      {"cos", Func::kCos, Sig::kDouble},
      {"tan", Func::kTan, Sig::kDouble},
      {"cot", Func::kCot, Sig::kDouble},
      {"asin", Func::kAsin, Sig::kDouble},
      {"acos", Func::kAcos, Sig::kDouble},
      {"atan", Func::kAtan, Sig::kDouble},
      {"atan2", Func::kAtan2, Sig::kDouble2},
      {"sinh", Func::kSinh, Sig::kDouble},
      {"cosh", Func::kCosh, Sig::kDouble},
      {"tanh", Func::kTanh, Sig::kDouble},
      {"asinh", Func::kAsinh, Sig::kDouble},
      {"acosh", Func::kAcosh, Sig::kDouble},
      {"atanh", Func::kAtanh, Sig::kDouble},
      {"radians", Func::kRadians, Sig::kDouble},
      {"degrees", Func::kDegrees, Sig::kDouble},
      {"cbrt", Func::kCbrt, Sig::kDouble},
      {"width_bucket", Func::kWidthBucket, Sig::kWidthBucket},
      {"gcd", Func::kGcd, Sig::kInt2},
      {"lcm", Func::kLcm, Sig::kInt2},
      {"left", Func::kLeft, Sig::kTextInt},
      {"right", Func::kRight, Sig::kTextInt},
      {"repeat", Func::kRepeat, Sig::kTextInt},
      {"split_part", Func::kSplitPart, Sig::kTextTextInt},
      {"lpad", Func::kLpad, Sig::kPad},
      {"rpad", Func::kRpad, Sig::kPad},
      {"initcap", Func::kInitcap, Sig::kText},
      {"reverse", Func::kReverse, Sig::kText},
      {"md5", Func::kMd5, Sig::kText},
      {"quote_ident", Func::kQuoteIdent, Sig::kText},
      {"quote_literal", Func::kQuoteLiteral, Sig::kAnyToText},
      {"quote_nullable", Func::kQuoteNullable, Sig::kAnyToText},
      {"starts_with", Func::kStartsWith, Sig::kText2ToBool},
      {"format", Func::kFormat, Sig::kFormat},
      {"concat_ws", Func::kConcatWs, Sig::kFormat},
      {"translate", Func::kTranslate, Sig::kText3},
      {"ascii", Func::kAscii, Sig::kTextToInt},
      {"octet_length", Func::kOctetLength, Sig::kTextToInt},
      {"chr", Func::kChr, Sig::kIntToText},
      {"to_hex", Func::kToHex, Sig::kIntToText},
      {"regexp_replace", Func::kRegexpReplace, Sig::kRegex},
      {"regexp_like", Func::kRegexpLike, Sig::kRegex},
      {"regexp_count", Func::kRegexpCount, Sig::kRegex},
      {"regexp_substr", Func::kRegexpSubstr, Sig::kRegex},
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

// The argument lists of the regexp_* functions (PostgreSQL 15): `t` text, `i` an integer; the
// flags are text. A 4th argument of regexp_replace that is a string literal is the flags, as
// PostgreSQL resolves it.
Result<bool> RegexArgs(Func f, std::vector<Bound>* args) {
  size_t n = args->size();
  std::string_view shape;
  switch (f) {
    case Func::kRegexpReplace:
      if (n == 4) shape = (*args)[3].unknown || (*args)[3].e->type == Type::kText ? "tttt" : "ttti";
      else if (n == 3 || n == 5 || n == 6) shape = std::string_view("tttiit").substr(0, n);
      break;
    case Func::kRegexpLike:
      if (n == 2 || n == 3) shape = std::string_view("ttt").substr(0, n);
      break;
    case Func::kRegexpCount:
      if (n >= 2 && n <= 4) shape = std::string_view("ttit").substr(0, n);
      break;
    case Func::kRegexpSubstr:
      if (n >= 2 && n <= 6) shape = std::string_view("ttiiti").substr(0, n);
      break;
    default: break;
  }
  if (shape.empty()) return false;
  for (size_t i = 0; i < n; i++) {
    ASSIGN_OR_RETURN(bool ok, ArgAs(&(*args)[i], shape[i] == 't' ? Type::kText : Type::kInt64));
    if (!ok) return false;
  }
  return true;
}

LAMINAR_NOINLINE Result<Bound> BindScalarFunc(const std::string& name, const FuncInfo& fi, const ast::Expr& fc,
                                              const Ctx& cx) {
  std::vector<Bound> args;
  for (size_t i = 0; i < fc.args.size(); i++) {
    ASSIGN_OR_RETURN(Bound b, BindArg(fc, i, cx));
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
      if (name == "substring" && (args[1].unknown ? !args[1].e->literal.is_null() : args[1].e->type == Type::kText)) {
        // substring(s FROM pattern): a POSIX regular expression; with a third (escape)
        // argument, an SQL regular expression (SIMILAR TO's syntax).
        if (n == 3) return Unimplemented("substring with an SQL regular expression (FROM pattern FOR escape) is not supported");
        e->func = Func::kSubstringRegex;
        for (auto& a : args) {
          ASSIGN_OR_RETURN(ok, ArgAs(&a, Type::kText));
          if (!ok) return no_such();
        }
        e->type = Type::kText;
        break;
      }
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
      bool two = fi.sig == Sig::kDouble2;
      if (fi.func == Func::kLog10 && n == 2) {  // log(b, x)
        e->func = Func::kLogBase;
        two = true;
      }
      if (n != (two ? 2u : 1u)) return no_such();
      for (size_t i = 0; i < n && ok; i++) {  // evaluated as doubles: bigint arguments are not cast
        ASSIGN_OR_RETURN(ok, NumericArg(&args[i]));
      }
      e->type = fi.sig == Sig::kToTimestamp ? Type::kTimestamp : Type::kDouble;
      break;
    }
    case Sig::kTextInt:
    case Sig::kTextTextInt:
    case Sig::kPad: {
      // (text, bigint), (text, text, bigint), (text, bigint [, text])
      std::vector<Type> want = fi.sig == Sig::kTextInt       ? std::vector<Type>{Type::kText, Type::kInt64}
                               : fi.sig == Sig::kTextTextInt ? std::vector<Type>{Type::kText, Type::kText, Type::kInt64}
                                                             : std::vector<Type>{Type::kText, Type::kInt64, Type::kText};
      if (n != want.size() && !(fi.sig == Sig::kPad && n == 2)) return no_such();
      for (size_t i = 0; i < n && ok; i++) {
        ASSIGN_OR_RETURN(ok, ArgAs(&args[i], want[i]));
      }
      e->type = Type::kText;
      break;
    }
    case Sig::kText2ToBool: {
      if (n != 2) return no_such();
      for (size_t i = 0; i < n && ok; i++) {
        ASSIGN_OR_RETURN(ok, ArgAs(&args[i], Type::kText));
      }
      e->type = Type::kBool;
      break;
    }
    case Sig::kIntToText: {
      if (n != 1) return no_such();
      ASSIGN_OR_RETURN(ok, ArgAs(&args[0], Type::kInt64));
      e->type = Type::kText;
      break;
    }
    case Sig::kAnyToText: {  // quote_literal(anyelement): the value's text, as a cast gives it
      if (n != 1) return no_such();
      if (args[0].unknown) {
        ASSIGN_OR_RETURN(ok, ArgAs(&args[0], Type::kText));
      } else if (args[0].e->type != Type::kText) {
        args[0].e = MakeCast(args[0].e, Type::kText);
      }
      e->type = Type::kText;
      break;
    }
    case Sig::kFormat: {  // format(text, any...), concat_ws(text, any...)
      if (n == 0) return no_such();
      ASSIGN_OR_RETURN(ok, ArgAs(&args[0], Type::kText));
      for (size_t i = 1; i < n && ok; i++)
        if (args[i].unknown) {
          ASSIGN_OR_RETURN(ok, ArgAs(&args[i], Type::kText));
        }
      e->type = Type::kText;
      break;
    }
    case Sig::kInt2: {
      if (n != 2) return no_such();
      for (size_t i = 0; i < n && ok; i++) {
        ASSIGN_OR_RETURN(ok, ArgAs(&args[i], Type::kInt64));
      }
      e->type = Type::kInt64;
      break;
    }
    case Sig::kWidthBucket: {  // width_bucket(double, double, double, bigint); arrays are not types here
      if (n != 4) return no_such();
      for (size_t i = 0; i < 3 && ok; i++) {
        ASSIGN_OR_RETURN(ok, NumericArg(&args[i]));
      }
      if (ok) {
        ASSIGN_OR_RETURN(ok, ArgAs(&args[3], Type::kInt64));
      }
      e->type = Type::kInt64;
      break;
    }
    case Sig::kRegex: {
      ASSIGN_OR_RETURN(ok, RegexArgs(fi.func, &args));
      e->type = fi.func == Func::kRegexpLike ? Type::kBool : fi.func == Func::kRegexpCount ? Type::kInt64 : Type::kText;
      break;
    }
  }
  if (!ok) return no_such();
  for (const auto& a : args) e->children.push_back(a.e);
  if (fi.sig == Sig::kRegex || e->func == Func::kSubstringRegex) {
    ASSIGN_OR_RETURN(e->regex, internal::BindRegex(*e));
  }
  return Bound{e, false};
}

// date_bin(stride interval, source timestamptz, origin timestamptz).
LAMINAR_NOINLINE Result<Bound> BindDateBin(const ast::Expr& fc, const Ctx& cx) {
  if (fc.args.size() != 3) {
    std::vector<Bound> args;
    for (size_t i = 0; i < fc.args.size(); i++) {
      ASSIGN_OR_RETURN(Bound b, BindArg(fc, i, cx));
      args.push_back(b);
    }
    return InvalidArgument(ErrorCode::kUndefinedFunction, "function date_bin({}) does not exist", SignatureText(args));
  }
  if (IsNamedArg(fc, 0)) return Unimplemented("unsupported expression: NamedArgExpr");
  auto stride = Bind(*fc.args[0], cx, /*allow_interval=*/true);
  auto months = [](const Status& st) {
    if (st.code() == StatusCode::kUnimplemented && st.message().find("months") != std::string::npos)
      return Unimplemented(ErrorCode::kFeatureNotSupported, "timestamps cannot be binned into intervals containing months or years");
    return st;
  };
  if (!stride.ok()) return months(stride.status());
  Bound s = *stride;
  if (s.unknown) {  // '15 minutes': an interval literal
    Value micros;
    if (!s.e->literal.is_null()) {
      auto m = ParseInterval(s.e->literal.as_text(), kMicrosPerSecond, false);
      if (!m.ok()) return months(m.status());
      micros = Value::Int(*m);
    }
    s = Bound{MakeLiteral(std::move(micros), Type::kInt64), false};
    s.interval = true;
  }
  ASSIGN_OR_RETURN(ExprPtr ts, TimestampArg(fc, 1, cx, "date_bin"));
  ASSIGN_OR_RETURN(ExprPtr origin, TimestampArg(fc, 2, cx, "date_bin"));
  if (!s.interval)
    return InvalidArgument(ErrorCode::kUndefinedFunction,
                           "function date_bin({}, timestamp with time zone, timestamp with time zone) does not exist",
                           TypeNameOrUnknown(s));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kFunc;
  e->func = Func::kDateBin;
  e->type = Type::kTimestamp;
  e->children = {s.e, ts, origin};
  return Bound{e, false};
}

// to_char(timestamptz | bigint | double precision, text).
LAMINAR_NOINLINE Result<Bound> BindToChar(const ast::Expr& fc, const Ctx& cx) {
  std::vector<Bound> args;
  for (size_t i = 0; i < fc.args.size(); i++) {
    ASSIGN_OR_RETURN(Bound b, BindArg(fc, i, cx));
    args.push_back(b);
  }
  if (args.size() == 2 && args[0].unknown)
    return InvalidArgument(ErrorCode::kAmbiguousFunction, "function to_char({}) is not unique", SignatureText(args));
  if (args.size() == 2 && args[0].e->type == Type::kDate) args[0].e = MakeCast(args[0].e, Type::kTimestamp);
  bool ok = args.size() == 2 && (args[0].e->type == Type::kTimestamp || IsNumeric(args[0].e->type));
  if (ok) {
    ASSIGN_OR_RETURN(ok, ArgAs(&args[1], Type::kText));
  }
  if (!ok) return InvalidArgument(ErrorCode::kUndefinedFunction, "function to_char({}) does not exist", SignatureText(args));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kFunc;
  e->func = Func::kToChar;
  e->type = Type::kText;
  e->children = {args[0].e, args[1].e};
  return Bound{e, false};
}

bool IsUtcZone(std::string z) {
  z = Lower(Trim(z));
  return z == "utc" || z == "z" || z == "gmt" || z == "uct" || z == "etc/utc" || z == "etc/gmt" || z == "zulu" ||
         z == "+00" || z == "+00:00" || z == "-00" || z == "00:00" || z == "utc+0" || z == "utc0";
}

}  // namespace

LAMINAR_NOINLINE Result<Bound> BindFuncCall(const ast::Expr& fc, const Ctx& cx) {
  const std::vector<std::string>& names = fc.func_name;
  std::string name = names.empty() ? "" : names.back();
  std::string qualifier = names.size() > 1 ? names[names.size() - 2] : "";
  if (!qualifier.empty() && qualifier != "pg_catalog")
    return Unimplemented("unsupported function: {}", JoinNames(names));
  if (fc.over) return Unimplemented("window functions are not supported: {}", name);
  if (IsAggregateName(name)) return InvalidArgument(ErrorCode::kGroupingError, "aggregate function {} is not allowed here", name);
  if (fc.agg_star)
    return InvalidArgument(ErrorCode::kWrongObjectType, "{}(*) specified, but {} is not an aggregate function", name, name);
  if (fc.agg_distinct)
    return InvalidArgument(ErrorCode::kWrongObjectType, "DISTINCT specified, but {} is not an aggregate function", name);
  if (fc.agg_filter)
    return InvalidArgument(ErrorCode::kWrongObjectType, "FILTER specified, but {} is not an aggregate function", name);
  if (!fc.agg_order.empty() || fc.agg_within_group)
    return InvalidArgument(ErrorCode::kWrongObjectType, "ORDER BY specified, but {} is not an aggregate function", name);
  if (fc.func_variadic) return Unimplemented("VARIADIC is not supported");
  const auto& args = fc.args;
  if (name == "date_trunc") return BindDateTrunc(fc, cx);
  if (name == "extract" || name == "date_part") return BindExtract(name, fc, cx);
  if (name == "now" || name == "transaction_timestamp" || name == "statement_timestamp") {
    if (!args.empty()) return InvalidArgument(ErrorCode::kUndefinedFunction, "function {} takes no arguments", name);
    return Bound{MakeLiteral(Value::Timestamp(cx.Now()), Type::kTimestamp), false};
  }
  if (name == "timezone" && args.size() == 2) {  // ts AT TIME ZONE 'zone'
    auto zone = ConstArg(fc, 0);
    if (!zone.ok() || zone->is_null() || zone->type() != Type::kText)
      return Unimplemented("AT TIME ZONE needs a constant zone name ('America/New_York', 'UTC')");
    ASSIGN_OR_RETURN(ExprPtr arg, TimestampArg(fc, 1, cx, "timezone"));
    // An instant becomes a wall-clock time and a wall-clock time an instant (expr.h TextShape).
    auto e = std::make_shared<Expr>();
    if (IsUtcZone(zone->as_text())) {
      *e = *arg;  // in UTC the clock reads the instant: only the kind of value changes
    } else {
      std::string name = Trim(zone->as_text());
      if (!IsKnownTimeZone(name))
        return InvalidArgument(ErrorCode::kInvalidParameterValue, "time zone \"{}\" not recognized", zone->as_text());
      e->kind = ExprKind::kFunc;
      e->func = Func::kAtTimeZone;
      e->type = Type::kTimestamp;
      e->children = {arg, MakeLiteral(Value::Text(name), Type::kText)};
    }
    e->shape.local_time = !arg->shape.local_time;
    return Bound{e, false};
  }
  if (name == "date_bin") return BindDateBin(fc, cx);
  if (name == "to_char") return BindToChar(fc, cx);
  if (name == "pi") {
    if (!args.empty()) {
      std::vector<Bound> bound;
      for (size_t i = 0; i < args.size(); i++) {
        ASSIGN_OR_RETURN(Bound b, BindArg(fc, i, cx));
        bound.push_back(b);
      }
      return InvalidArgument(ErrorCode::kUndefinedFunction, "function pi({}) does not exist", SignatureText(bound));
    }
    return Bound{MakeLiteral(Value::Double(3.141592653589793), Type::kDouble), false};
  }
  if (auto arr = BindArrayFunc(name, fc, cx)) return std::move(*arr);
  if (auto cat = BindCatalogFunc(name, fc, cx)) return std::move(*cat);
  const FuncInfo* fi = FindFunc(name);
  if (!fi) return Unimplemented("unsupported function: {}", name);
  return BindScalarFunc(name, *fi, fc, cx);
}

LAMINAR_NOINLINE Result<Bound> BindSqlValueFunction(const ast::Expr& node, const Ctx& cx) {
  if (node.sql_value == "current_date")  // the statement's day in UTC
    return Bound{MakeLiteral(Value::Date(internal::FloorDiv(cx.Now(), kMicrosPerDay)), Type::kDate), false};
  if (node.sql_value == "current_timestamp" || node.sql_value == "localtimestamp") {
    int64_t now = cx.Now();
    int64_t precision = node.sql_value_precision;  // -1: none
    if (precision >= 0 && precision < 6) {  // rounded to the precision asked for, as PostgreSQL does
      int64_t unit = 1;
      for (int64_t i = precision; i < 6; i++) unit *= 10;
      int64_t r = (now + unit / 2) / unit * unit;
      if (now + unit / 2 < 0 && (now + unit / 2) % unit != 0) r -= unit;
      now = r;
    }
    return Bound{MakeLiteral(Value::Timestamp(now), Type::kTimestamp), false};
  }
  if (auto v = BindSessionValue(node)) return std::move(*v);
  return Unsupported(node);
}

}  // namespace binder_internal

namespace {

Result<double> QuantileOf(const ast::Expr& e, std::string_view fn) {
  auto v = ConstValue(e);
  if (!v.ok() || v->is_null() || (v->type() != Type::kDouble && v->type() != Type::kInt64))
    return InvalidArgument(ErrorCode::kInvalidParameterValue,
                           "the quantile of {} must be a numeric constant between 0 and 1 (or an ARRAY of them)", fn);
  double q = v->type() == Type::kDouble ? v->as_double() : static_cast<double>(v->as_int());
  if (!(q >= 0 && q <= 1))
    return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "the quantile of {} must be between 0 and 1, got {}", fn,
                           v->ToString());
  return q;
}

}  // namespace

Result<std::vector<double>> BindQuantiles(const ast::Expr& arg, std::string_view fn, bool* is_array) {
  const ast::Expr* a = &arg;
  if (a->kind == ast::ExprKind::kCast && !a->args.empty() && a->args[0]->kind == ast::ExprKind::kArray) a = a->args[0].get();
  *is_array = a->kind == ast::ExprKind::kArray;
  std::vector<double> out;
  if (!*is_array) {
    ASSIGN_OR_RETURN(double q, QuantileOf(*a, fn));
    out.push_back(q);
    return out;
  }
  if (a->args.empty()) return InvalidArgument("{}: the array of quantiles is empty", fn);
  if (a->args.size() > 1000) return InvalidArgument(ErrorCode::kProgramLimitExceeded, "{}: at most 1000 quantiles", fn);
  for (const auto& e : a->args) {
    if (e->kind == ast::ExprKind::kArray) return InvalidArgument("{}: the quantiles must be a one-dimensional array", fn);
    ASSIGN_OR_RETURN(double q, QuantileOf(*e, fn));
    out.push_back(q);
  }
  return out;
}

}  // namespace laminar::sql
