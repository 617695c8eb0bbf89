// The expression binder: ast::Expr → typed sql::Expr (operators, casts, CASE and the like, the
// public entry points). Function calls are in binder_funcs.cc, literal text in binder_text.cc.
#include "sql/binder.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

#include "common/strings.h"
#include "common/time_util.h"
#include "sql/binder_internal.h"
#include "sql/func_internal.h"

namespace laminar::sql {
namespace binder_internal {

using internal::BindRegex;

namespace {

thread_local std::optional<int64_t> pinned_statement_time;
thread_local const std::vector<Param>* pinned_params = nullptr;

}  // namespace

int64_t Ctx::Now() const {
  if (pinned_statement_time) return *pinned_statement_time;
  if (!now) now = NowMicros();
  return *now;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += '.';
    out += n;
  }
  return out;
}

std::string DescribeNode(const ast::Expr& node) {
  using K = ast::ExprKind;
  switch (node.kind) {
    // The constructs that have no SQL name here read as libpg_query's node names, as the binder
    // of JSON trees said them (`expected a constant, got ColumnRef`).
    case K::kColumnRef: return "ColumnRef";
    case K::kConstant: return "A_Const";
    case K::kCast: return "TypeCast";
    case K::kOperator:
    case K::kInList:
    case K::kBetween:
    case K::kLike:
    case K::kAnyAll:
    case K::kDistinctFrom:
    case K::kNullIf: return "A_Expr";
    case K::kAnd:
    case K::kOr:
    case K::kNot: return "BoolExpr";
    case K::kNullTest: return "NullTest";
    case K::kBoolTest: {
      static const char* kTests[] = {"TRUE", "FALSE", "UNKNOWN"};
      return fmt::format("IS {}{}", node.negated ? "NOT " : "", kTests[static_cast<int>(node.bool_test)]);
    }
    case K::kCase: return "CASE";
    case K::kCoalesce: return "COALESCE";
    case K::kGreatest: return "GREATEST";
    case K::kLeast: return "LEAST";
    case K::kFunction: return JoinNames(node.func_name) + "(...)";
    case K::kSubquery:
      if (node.sublink == ast::SublinkKind::kExists) return "EXISTS (subquery)";
      if (node.sublink == ast::SublinkKind::kAny || node.sublink == ast::SublinkKind::kIn) return "IN (subquery)";
      return "subquery";
    case K::kParam: return fmt::format("parameter ${}", node.param_number);
    case K::kArray: return "ARRAY";
    case K::kSqlValue: {  // libpg_query's SVFOP_ names: CURRENT_DATE, CURRENT_TIME_N, ...
      std::string name = node.sql_value;
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return node.sql_value_precision >= 0 ? name + "_N" : name;
    }
    case K::kGrouping: return "GROUPING";
    case K::kIndirection: return "subscript or field selection";
    case K::kRow: return "ROW";
    case K::kCollate: return "COLLATE";
    case K::kStar: return "*";
  }
  return "expression";
}

Status Unsupported(const ast::Expr& node) {
  return Unimplemented("unsupported expression: {}", DescribeNode(node));
}

Result<ExprPtr> ResolveUnknown(const Bound& b, Type t) {
  const Value& v = b.e->literal;
  if (v.is_null()) return MakeLiteral(Value::Null(), t);
  ASSIGN_OR_RETURN(Value cast, CastText(v.as_text(), t));
  return MakeLiteral(std::move(cast), t);
}

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
  if (from == Type::kDate && t == Type::kTimestamp) return MakeCast(b.e, t);  // midnight UTC
  return Internal("no implicit conversion from {} to {}", TypeName(from), TypeName(t));
}

const char* TypeNameOrUnknown(const Bound& b) { return b.unknown ? "unknown" : TypeName(b.e->type); }

std::string SignatureText(const std::vector<Bound>& args) {
  std::string out;
  for (size_t i = 0; i < args.size(); i++) {
    if (i) out += ", ";
    out += TypeNameOrUnknown(args[i]);
  }
  return out;
}

namespace {

// Makes the operands of a comparison, IN list or BETWEEN agree on one type: unknown literals take
// the type of the typed operands; bigint and double mix (integer literals become doubles next to
// a double); anything else must match exactly. `op` is for the message.
Status Unify(std::vector<Bound*> items, const char* op) {
  const Bound* first = nullptr;
  Type t = Type::kText;
  bool elements = false;
  for (const Bound* b : items) {
    if (b->unknown) continue;
    if (IsArrayElement(*b->e)) {
      elements = true;
      continue;
    }
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
    if (IsDateTime(bt) && IsDateTime(t)) {  // date with timestamptz: as timestamptz
      t = Type::kTimestamp;
      continue;
    }
    return InvalidArgument(ErrorCode::kUndefinedFunction, "operator does not exist: {} {} {}", TypeName(first->e->type), op, TypeName(bt));
  }
  for (Bound* b : items) {
    if (b->unknown) {
      ASSIGN_OR_RETURN(b->e, ResolveUnknown(*b, t));
      b->unknown = false;
    } else if (t == Type::kDouble && b->e->kind == ExprKind::kLiteral && b->e->type == Type::kInt64) {
      ASSIGN_OR_RETURN(b->e, Coerce(*b, Type::kDouble));
    } else if (t == Type::kTimestamp && b->e->type == Type::kDate) {
      ASSIGN_OR_RETURN(b->e, Coerce(*b, Type::kTimestamp));
    } else if (elements && IsArrayElement(*b->e) && t != Type::kText) {
      b->e = MakeCast(b->e, t);
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
      } else if (IsDateTime(nt) && IsDateTime(*t)) {
        t = Type::kTimestamp;
      } else {
        return InvalidArgument(ErrorCode::kDatatypeMismatch, "{} types {} and {} cannot be matched", context, TypeName(*t), TypeName(nt));
      }
    }
  }
  return t.value_or(Type::kText);
}

Result<Type> TypeOfTypeName(const ast::TypeName& tn) {
  std::string name = tn.names.empty() ? "" : tn.names.back();
  if (tn.array_bounds > 0) return Unimplemented("unsupported type: {}[] (arrays)", name);
  // The catalog's types, as the engine's: oid → bigint, name → text.
  if (name == "oid") return Type::kInt64;
  if (name == "name") return Type::kText;
  auto t = TypeFromSqlName(name);
  if (!t) return Unimplemented("unsupported type: {}", name);
  return *t;
}

// A numeric literal PostgreSQL reads as numeric (it has a '.' or an exponent, or is too large
// for an integer): bigint when it is an integer that fits, else a double flagged numeric.
Result<Bound> BindNumericText(const std::string& s) {
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

Result<Bound> BindConst(const ast::Expr& c) {
  const Value& v = c.value;
  if (c.is_bit_string) return Unimplemented("unsupported expression: bit-string constant");
  if (v.is_null()) return Bound{MakeLiteral(Value::Null(), Type::kText), true};
  if (c.is_string) {
    if (v.type() != Type::kText) return Unimplemented("unsupported expression: constant");
    return Bound{MakeLiteral(v, Type::kText), true};
  }
  switch (v.type()) {
    case Type::kInt64: return Bound{MakeLiteral(v, Type::kInt64), false};
    case Type::kBool: return Bound{MakeLiteral(v, Type::kBool), false};
    case Type::kDouble: {
      if (!c.constant_text.empty()) return BindNumericText(c.constant_text);
      Bound b{MakeLiteral(v, Type::kDouble), false};
      b.numeric = true;
      return b;
    }
    default: return Unimplemented("unsupported expression: constant");
  }
}

// $n: the pinned parameter's value as a constant (ScopedParams).
Result<Bound> BindParam(const ast::Expr& node) {
  int n = node.param_number;
  if (!pinned_params || n < 1 || static_cast<size_t>(n) > pinned_params->size())
    return InvalidArgument(ErrorCode::kUndefinedParameter, "there is no parameter ${}", n);
  const Param& p = (*pinned_params)[static_cast<size_t>(n - 1)];
  if (p.unknown) return Bound{MakeLiteral(p.value.is_null() ? Value::Null() : p.value, Type::kText), true};
  return Bound{MakeLiteral(p.value, p.type), false};
}

Result<Bound> BindColumnRef(const ast::Expr& ref, const Ctx& cx) {
  if (ref.star) return Unimplemented("unsupported expression: *");
  const auto& names = ref.names;
  std::string name = names.empty() ? "" : names.back();
  std::string qualifier = names.size() >= 2 ? names[names.size() - 2] : "";
  ASSIGN_OR_RETURN(int idx, cx.scope.Resolve(qualifier, name));
  const ScopeColumn& col = cx.scope.columns[idx];
  return Bound{WithShape(MakeColumn(idx, name, col.type), col.shape), false};
}

Result<Bound> BindPlainCast(const ast::Expr& tc, Type to, const std::string& type_name, const Ctx& cx);

LAMINAR_NOINLINE Result<Bound> BindTypeCast(const ast::Expr& tc, const Ctx& cx) {
  if (!tc.type || tc.args.size() != 1) return InvalidArgument("malformed CAST expression");
  const ast::TypeName& tn = *tc.type;
  std::string type_name = tn.names.empty() ? "" : tn.names.back();
  if (type_name == "interval" && tn.array_bounds == 0) return BindIntervalCast(tc);
  if (tn.array_bounds > 0 || type_name == "int2vector" || type_name == "oidvector") return BindArrayCast(tc, cx);
  if (IsRegTypeName(type_name)) return BindRegCast(type_name, tc, cx);
  ASSIGN_OR_RETURN(Type to, TypeOfTypeName(tn));
  ASSIGN_OR_RETURN(Bound b, BindPlainCast(tc, to, type_name, cx));
  // `timestamp` (without time zone) is a wall-clock time: the same value, read as one by AT TIME
  // ZONE (expr.h TextShape::local_time); `timestamptz` an instant.
  if (to == Type::kTimestamp) {
    TextShape shape = b.e->shape;
    shape.local_time = type_name == "timestamp";
    b.e = WithShape(b.e, shape);
  }
  return b;
}

Result<Bound> BindPlainCast(const ast::Expr& tc, Type to, const std::string& type_name, const Ctx& cx) {
  ASSIGN_OR_RETURN(Bound arg, Bind(*tc.args[0], cx));
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
  if (!CastAllowed(from, to)) return InvalidArgument(ErrorCode::kCannotCoerce, "cannot cast type {} to {}", TypeName(from), TypeName(to));
  if (arg.numeric && to == Type::kInt64 && arg.e->kind == ExprKind::kLiteral) {
    // numeric → bigint rounds half away from zero (float8 → bigint: half to even).
    double d = std::round(arg.e->literal.as_double());
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "bigint out of range");
    return Bound{MakeLiteral(Value::Int(static_cast<int64_t>(d)), Type::kInt64), false};
  }
  return Bound{MakeCast(arg.e, to), false};
}

// date + bigint, bigint + date, date - bigint → date; date - date → bigint (days), as PostgreSQL.
Result<ExprPtr> MakeDateArith(ArithOp op, const char* op_text, ExprPtr a, ExprPtr b) {
  Type ta = a->type, tb = b->type;
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kArith;
  e->arith = op;
  if (op == ArithOp::kAdd && ta == Type::kInt64 && tb == Type::kDate) std::swap(a, b);
  if ((op == ArithOp::kAdd || op == ArithOp::kSub) && a->type == Type::kDate && b->type == Type::kInt64) {
    e->type = Type::kDate;
  } else if (op == ArithOp::kSub && ta == Type::kDate && tb == Type::kDate) {
    e->type = Type::kInt64;
  } else {
    return InvalidArgument(ErrorCode::kUndefinedFunction, "operator does not exist: {} {} {}", TypeName(ta), op_text,
                           TypeName(tb));
  }
  e->children = {std::move(a), std::move(b)};
  return ExprPtr(e);
}

Result<ExprPtr> MakeArith(ArithOp op, const char* op_text, Bound a, Bound b) {
  if (a.unknown && b.unknown) return InvalidArgument(ErrorCode::kAmbiguousFunction, "operator is not unique: unknown {} unknown", op_text);
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
  // An array element next to a number is read as that number's type (elements are text).
  if (IsArrayElement(*a.e) && IsNumeric(b.e->type)) a.e = MakeCast(a.e, b.e->type);
  if (IsArrayElement(*b.e) && IsNumeric(a.e->type)) b.e = MakeCast(b.e, a.e->type);
  Type ta = a.e->type, tb = b.e->type;
  if (ta == Type::kDate || tb == Type::kDate) return MakeDateArith(op, op_text, a.e, b.e);
  if (!IsNumeric(ta) || !IsNumeric(tb)) {
    if (ta == Type::kTimestamp || tb == Type::kTimestamp)
      return Unimplemented("unsupported operator: {} {} {}", TypeName(ta), op_text, TypeName(tb));
    return InvalidArgument(ErrorCode::kUndefinedFunction, "operator does not exist: {} {} {}", TypeName(ta), op_text, TypeName(tb));
  }
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kArith;
  e->arith = op;
  e->type = ta == Type::kDouble || tb == Type::kDouble ? Type::kDouble : Type::kInt64;
  e->children = {a.e, b.e};
  return ExprPtr(e);
}

LAMINAR_NOINLINE Result<Bound> BindNegate(const ast::Expr& operand, const Ctx& cx, bool minus) {
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
    if (v.as_int() == std::numeric_limits<int64_t>::min()) return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "bigint out of range");
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
    return InvalidArgument(ErrorCode::kUndefinedFunction, "operator does not exist: {} || {}", TypeName(a.e->type), TypeName(b.e->type));
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

// a ~ p, a ~* p, a !~ p, a !~* p: POSIX regular expression matches (sql/regex.h) over text.
LAMINAR_NOINLINE Result<Bound> BindRegexMatch(const std::string& op, const ast::Expr& lexpr, const ast::Expr& rexpr,
                                              const Ctx& cx) {
  ASSIGN_OR_RETURN(Bound a, Bind(lexpr, cx));
  ASSIGN_OR_RETURN(Bound p, Bind(rexpr, cx));
  if ((!a.unknown && a.e->type != Type::kText) || (!p.unknown && p.e->type != Type::kText))
    return InvalidArgument(ErrorCode::kUndefinedFunction, "operator does not exist: {} {} {}", TypeNameOrUnknown(a), op,
                           TypeNameOrUnknown(p));
  for (Bound* b : {&a, &p})
    if (b->unknown) {
      ASSIGN_OR_RETURN(b->e, ResolveUnknown(*b, Type::kText));
    }
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kFunc;
  e->func = op == "~" ? Func::kRegexMatch : op == "~*" ? Func::kRegexIMatch : op == "!~" ? Func::kRegexNotMatch
                                                                                       : Func::kRegexNotIMatch;
  e->type = Type::kBool;
  e->children = {a.e, p.e};
  ASSIGN_OR_RETURN(e->regex, BindRegex(*e));
  return Bound{e, false};
}

// a ^ b: exponentiation in double precision (PostgreSQL's float8 ^ float8; power()).
LAMINAR_NOINLINE Result<Bound> BindPower(const ast::Expr& lexpr, const ast::Expr& rexpr, const Ctx& cx) {
  ASSIGN_OR_RETURN(Bound a, Bind(lexpr, cx));
  ASSIGN_OR_RETURN(Bound b, Bind(rexpr, cx));
  if (a.unknown && b.unknown) return InvalidArgument(ErrorCode::kAmbiguousFunction, "operator is not unique: unknown ^ unknown");
  if ((!a.unknown && !IsNumeric(a.e->type)) || (!b.unknown && !IsNumeric(b.e->type)))
    return InvalidArgument(ErrorCode::kUndefinedFunction, "operator does not exist: {} ^ {}", TypeNameOrUnknown(a),
                           TypeNameOrUnknown(b));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kFunc;
  e->func = Func::kPower;
  e->type = Type::kDouble;
  for (Bound* x : {&a, &b}) {
    ASSIGN_OR_RETURN(ExprPtr c, Coerce(*x, Type::kDouble));
    e->children.push_back(c);
  }
  return Bound{e, false};
}

// Each kind of operator binds in its own function: binding recurses through them, and keeping
// every branch's temporaries out of one big frame keeps the stack used per nesting level small.
LAMINAR_NOINLINE Result<Bound> BindBinaryOp(const std::string& op, const ast::Expr& lexpr, const ast::Expr& rexpr,
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
  if (op == "~" || op == "~*" || op == "!~" || op == "!~*") return BindRegexMatch(op, lexpr, rexpr, cx);
  if (op == "^") return BindPower(lexpr, rexpr, cx);
  if (!text && op != "||") return Unimplemented("unsupported operator: {}", op);
  bool intervals = arith && (*arith == ArithOp::kAdd || *arith == ArithOp::kSub);
  ASSIGN_OR_RETURN(Bound a, Bind(lexpr, cx, intervals));
  ASSIGN_OR_RETURN(Bound b, Bind(rexpr, cx, intervals));
  if (op == "||") {
    if (IsArraySyntax(lexpr) || IsArraySyntax(rexpr)) return BindArrayConcat(std::move(a), std::move(b));
    return BindConcatOp(std::move(a), std::move(b));
  }
  if (cmp) {
    RETURN_IF_ERROR(Unify({&a, &b}, op == "!=" ? "<>" : text));
    return Bound{MakeCompare(*cmp, a.e, b.e), false};
  }
  if (a.interval || b.interval) return BindIntervalArith(*arith, text, std::move(a), std::move(b));
  ASSIGN_OR_RETURN(ExprPtr e, MakeArith(*arith, text, a, b));
  return Bound{e, false};
}

// args[0] [NOT] IN (args[1..]).
LAMINAR_NOINLINE Result<Bound> BindIn(const ast::Expr& in, const Ctx& cx) {
  if (in.args.size() < 2) return Unimplemented("unsupported expression: IN");
  std::vector<Bound> items;
  for (const auto& item : in.args) {
    ASSIGN_OR_RETURN(Bound b, Bind(*item, cx));
    items.push_back(b);
  }
  std::vector<Bound*> ptrs;
  for (auto& b : items) ptrs.push_back(&b);
  RETURN_IF_ERROR(Unify(ptrs, "="));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kIn;
  e->type = Type::kBool;
  e->negated = in.negated;
  for (auto& b : items) e->children.push_back(b.e);
  return Bound{e, false};
}

LAMINAR_NOINLINE Result<Bound> BindBetween(const ast::Expr& bt, const Ctx& cx) {
  if (bt.symmetric) return Unimplemented("unsupported expression: {}", bt.negated ? "NOT BETWEEN SYMMETRIC" : "BETWEEN SYMMETRIC");
  if (bt.args.size() != 3) return InvalidArgument("BETWEEN needs two bounds");
  ASSIGN_OR_RETURN(Bound a, Bind(*bt.args[0], cx));
  ASSIGN_OR_RETURN(Bound lo, Bind(*bt.args[1], cx));
  ASSIGN_OR_RETURN(Bound hi, Bind(*bt.args[2], cx));
  RETURN_IF_ERROR(Unify({&a, &lo, &hi}, ">="));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kBetween;
  e->type = Type::kBool;
  e->negated = bt.negated;
  e->children = {a.e, lo.e, hi.e};
  return Bound{e, false};
}

// ----- LIKE

// args[0] [NOT] LIKE | ILIKE args[1] [ESCAPE args[2]].
LAMINAR_NOINLINE Result<Bound> BindLike(const ast::Expr& like, const Ctx& cx) {
  if (like.like == ast::LikeKind::kSimilar) return Unimplemented("unsupported expression: SIMILAR TO");
  bool ilike = like.like == ast::LikeKind::kILike;
  bool negated = like.negated;
  // The operator's name, for messages: LIKE is ~~, NOT ILIKE is !~~*.
  std::string op = std::string(negated ? "!" : "") + "~~" + (ilike ? "*" : "");
  if (like.args.size() != (like.has_escape ? 3u : 2u)) return InvalidArgument("malformed LIKE ... ESCAPE");
  const ast::Expr* pattern = like.args[1].get();
  const ast::Expr* escape_node = like.has_escape ? like.args[2].get() : nullptr;
  if (!escape_node && pattern->FunctionName() == "like_escape") {
    // `x LIKE like_escape(p, e)` written out: LIKE p ESCAPE e, as PostgreSQL's grammar spells it
    // (the transformer unwraps only the grammar's own pg_catalog.like_escape).
    if (pattern->args.size() != 2) return InvalidArgument("malformed LIKE ... ESCAPE");
    escape_node = pattern->args[1].get();
    pattern = pattern->args[0].get();
  }
  char escape = '\\';
  if (escape_node) {  // LIKE ... ESCAPE 'x'
    auto esc = ConstValue(*escape_node);
    if (!esc.ok() || esc->is_null() || esc->type() != Type::kText)
      return Unimplemented("LIKE ... ESCAPE with a non-constant escape string is not supported");
    const std::string& s = esc->as_text();
    if (s.size() > 1) {
      if ((static_cast<unsigned char>(s[0]) & 0x80) && s.size() <= 4)
        return Unimplemented("a multi-byte ESCAPE character is not supported");
      return InvalidArgument(ErrorCode::kInvalidEscapeSequence, "invalid escape string (it must be empty or one character)");
    }
    escape = s.empty() ? '\0' : s[0];
  }
  ASSIGN_OR_RETURN(Bound a, Bind(*like.args[0], cx));
  ASSIGN_OR_RETURN(Bound p, Bind(*pattern, cx));
  if ((!a.unknown && a.e->type != Type::kText) || (!p.unknown && p.e->type != Type::kText))
    return InvalidArgument(ErrorCode::kUndefinedFunction, "operator does not exist: {} {} {}", TypeNameOrUnknown(a), op, TypeNameOrUnknown(p));
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

LAMINAR_NOINLINE Result<Bound> BindNullIf(const ast::Expr& ni, const Ctx& cx) {
  if (ni.args.size() != 2) return Unimplemented("unsupported expression: NULLIF");
  ASSIGN_OR_RETURN(Bound a, Bind(*ni.args[0], cx));
  ASSIGN_OR_RETURN(Bound b, Bind(*ni.args[1], cx));
  RETURN_IF_ERROR(Unify({&a, &b}, "="));
  Type t = a.e->type == Type::kDouble || b.e->type == Type::kDouble ? Type::kDouble : a.e->type;
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kNullIf;
  e->type = t;
  ASSIGN_OR_RETURN(ExprPtr ea, Coerce(a, t));
  e->children = {ea, b.e};
  return Bound{e, false};
}

// An operator: unary - and +, or a binary operator.
LAMINAR_NOINLINE Result<Bound> BindOperator(const ast::Expr& node, const Ctx& cx) {
  const std::string& op = node.op;
  if (node.args.size() == 1 && (op == "-" || op == "+")) return BindNegate(*node.args[0], cx, op == "-");
  if (node.args.size() != 2) return Unimplemented("unsupported operator: {}", op);
  if (!node.op_schema.empty() && node.op_schema[0] != "pg_catalog") {
    std::vector<std::string> names = node.op_schema;
    names.push_back(op);
    return Unimplemented("unsupported operator: {}", JoinNames(names));
  }
  return BindBinaryOp(op, *node.args[0], *node.args[1], cx);
}

LAMINAR_NOINLINE Result<Bound> BindBoolExpr(const ast::Expr& be, const Ctx& cx) {
  bool and_ = be.kind == ast::ExprKind::kAnd, or_ = be.kind == ast::ExprKind::kOr;
  const char* name = and_ ? "AND" : or_ ? "OR" : "NOT";
  auto e = std::make_shared<Expr>();
  e->kind = and_ ? ExprKind::kAnd : or_ ? ExprKind::kOr : ExprKind::kNot;
  e->type = Type::kBool;
  for (const auto& arg : be.args) {
    ASSIGN_OR_RETURN(Bound b, Bind(*arg, cx));
    if (b.unknown) {
      ASSIGN_OR_RETURN(b.e, ResolveUnknown(b, Type::kBool));
    }
    if (b.e->type != Type::kBool)
      return InvalidArgument(ErrorCode::kDatatypeMismatch, "argument of {} must be type boolean, not type {}", name, TypeName(b.e->type));
    e->children.push_back(b.e);
  }
  if (e->kind == ExprKind::kNot ? e->children.size() != 1 : e->children.size() < 2)
    return InvalidArgument("malformed {} expression", name);
  return Bound{e, false};
}

// ----- CASE, COALESCE, GREATEST/LEAST

// CASE [operand] WHEN w THEN t ... [ELSE e] END. Binds (and offers to the hook) the operand, then
// the ELSE, then each WHEN and its THEN.
LAMINAR_NOINLINE Result<Bound> BindCase(const ast::Expr& ce, const Ctx& cx) {
  size_t first_arm = ce.has_operand ? 1 : 0;
  size_t end_arms = ce.args.size() - (ce.has_else ? 1 : 0);
  if (ce.args.size() < first_arm + (ce.has_else ? 1 : 0) || (end_arms - first_arm) % 2 != 0)
    return InvalidArgument("malformed CASE expression");
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCase;
  std::optional<Bound> operand;
  if (ce.has_operand) {
    ASSIGN_OR_RETURN(Bound op, Bind(*ce.args[0], cx));
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
  if (ce.has_else) {
    ASSIGN_OR_RETURN(els, Bind(*ce.args.back(), cx));
  }
  results.push_back(els);  // PostgreSQL considers the ELSE first when choosing the type
  for (size_t arm = first_arm; arm < end_arms; arm += 2) {
    ASSIGN_OR_RETURN(Bound w, Bind(*ce.args[arm], cx));
    if (operand) {
      Bound op = *operand;
      RETURN_IF_ERROR(Unify({&op, &w}, "="));
    } else {
      if (w.unknown) {
        ASSIGN_OR_RETURN(w.e, ResolveUnknown(w, Type::kBool));
      }
      if (w.e->type != Type::kBool)
        return InvalidArgument(ErrorCode::kDatatypeMismatch, "argument of CASE/WHEN must be type boolean, not type {}", TypeName(w.e->type));
    }
    whens.push_back(w.e);
    ASSIGN_OR_RETURN(Bound r, Bind(*ce.args[arm + 1], cx));
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
LAMINAR_NOINLINE Result<Bound> BindVariadic(ExprKind kind, bool least, const ast::Expr& node, const Ctx& cx) {
  const char* context = kind == ExprKind::kCoalesce ? "COALESCE" : least ? "LEAST" : "GREATEST";
  std::vector<Bound> args;
  for (const auto& a : node.args) {
    ASSIGN_OR_RETURN(Bound b, Bind(*a, cx));
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

// a IS [NOT] DISTINCT FROM b: the operands unify as for =.
LAMINAR_NOINLINE Result<Bound> BindDistinct(const ast::Expr& node, const Ctx& cx) {
  if (node.args.size() != 2) return InvalidArgument("malformed IS DISTINCT FROM expression");
  ASSIGN_OR_RETURN(Bound a, Bind(*node.args[0], cx));
  ASSIGN_OR_RETURN(Bound b, Bind(*node.args[1], cx));
  RETURN_IF_ERROR(Unify({&a, &b}, "="));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kDistinct;
  e->type = Type::kBool;
  e->negated = node.negated;
  e->children = {a.e, b.e};
  return Bound{e, false};
}

// x IS [NOT] TRUE / FALSE / UNKNOWN over a boolean.
LAMINAR_NOINLINE Result<Bound> BindBoolTest(const ast::Expr& node, const Ctx& cx) {
  if (node.args.size() != 1) return InvalidArgument("malformed IS TRUE expression");
  ASSIGN_OR_RETURN(Bound a, Bind(*node.args[0], cx));
  if (a.unknown) {
    ASSIGN_OR_RETURN(a.e, ResolveUnknown(a, Type::kBool));
  }
  if (a.e->type != Type::kBool)
    return InvalidArgument(ErrorCode::kDatatypeMismatch, "argument of {} must be type boolean, not type {}",
                           DescribeNode(node), TypeName(a.e->type));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kBoolTest;
  e->type = Type::kBool;
  e->negated = node.negated;
  e->bool_test = node.bool_test == ast::BoolTestKind::kTrue    ? BoolTest::kTrue
                 : node.bool_test == ast::BoolTestKind::kFalse ? BoolTest::kFalse
                                                               : BoolTest::kUnknown;
  e->children = {a.e};
  return Bound{e, false};
}

LAMINAR_NOINLINE Result<Bound> BindNullTest(const ast::Expr& node, const Ctx& cx) {
  if (node.args.size() != 1) return InvalidArgument("malformed IS NULL expression");
  ASSIGN_OR_RETURN(Bound a, Bind(*node.args[0], cx));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kIsNull;
  e->type = Type::kBool;
  e->negated = node.negated;
  e->children = {a.e};
  return Bound{e, false};
}

// Offers the node to the hook: a bound expression, or null to bind normally.
LAMINAR_NOINLINE Result<ExprPtr> CallHook(const ast::Expr& node, const Ctx& cx) { return (*cx.hook)(node); }

// Replaces an expression whose children are all literals by its value (PostgreSQL folds constant
// expressions at plan time too). An error while folding is returned.
LAMINAR_NOINLINE Status Fold(Bound* b) {
  const Expr& e = *b->e;
  if (b->unknown || b->interval || e.kind == ExprKind::kLiteral || e.kind == ExprKind::kColumn) return Status::OK();
  // An array element stays one (it adopts the type of what it meets, see IsArrayElement).
  if (IsArrayElement(e)) return Status::OK();
  for (const auto& c : e.children)
    if (c->kind != ExprKind::kLiteral) return Status::OK();
  if (HasEvalError()) return Status::OK();  // the caller's pending error stays; no folding then
  Value v = Eval(e, nullptr);
  RETURN_IF_ERROR(TakeEvalError());
  b->e = WithShape(MakeLiteral(std::move(v), e.type), e.shape);  // an array keeps its element type, ...
  return Status::OK();
}

// Expression trees deeper than this are refused: binding, ToString and Eval recurse per level.
constexpr int kMaxDepth = 500;
thread_local int bind_depth = 0;

struct DepthGuard {
  DepthGuard() { bind_depth++; }
  ~DepthGuard() { bind_depth--; }
};

LAMINAR_NOINLINE Result<Bound> BindNode(const ast::Expr& node, const Ctx& cx) {
  using K = ast::ExprKind;
  switch (node.kind) {
    case K::kColumnRef: return BindColumnRef(node, cx);
    case K::kConstant: return BindConst(node);
    case K::kParam: return BindParam(node);
    case K::kCast: return BindTypeCast(node, cx);
    case K::kOperator: return BindOperator(node, cx);
    case K::kInList: return BindIn(node, cx);
    case K::kBetween: return BindBetween(node, cx);
    case K::kLike: return BindLike(node, cx);
    case K::kNullIf: return BindNullIf(node, cx);
    case K::kDistinctFrom: return BindDistinct(node, cx);
    case K::kBoolTest: return BindBoolTest(node, cx);
    case K::kAnyAll: return BindAnyAll(node, cx);
    case K::kArray: return BindArrayConstructor(node, cx);
    case K::kIndirection: return BindIndirection(node, cx);
    case K::kCollate: {
      // Text compares bytewise (the C collation): COLLATE "C", "POSIX" and "default" change
      // nothing; other collations are not supported.
      std::string coll = node.names.empty() ? "" : node.names.back();
      if (coll != "C" && coll != "POSIX" && coll != "default" && coll != "ucs_basic")
        return Unimplemented(ErrorCode::kFeatureNotSupported, "collation \"{}\" is not supported (text compares bytewise, as COLLATE \"C\")", coll);
      return Bind(*node.args[0], cx);
    }
    case K::kAnd:
    case K::kOr:
    case K::kNot: return BindBoolExpr(node, cx);
    case K::kFunction: return BindFuncCall(node, cx);
    case K::kNullTest: return BindNullTest(node, cx);
    case K::kCase: return BindCase(node, cx);
    case K::kCoalesce: return BindVariadic(ExprKind::kCoalesce, false, node, cx);
    case K::kGreatest:
    case K::kLeast: return BindVariadic(ExprKind::kMinMax, node.kind == K::kLeast, node, cx);
    case K::kSqlValue: return BindSqlValueFunction(node, cx);
    default: return Unsupported(node);
  }
}

}  // namespace

Result<Bound> Bind(const ast::Expr& node, const Ctx& cx, bool allow_interval) {
  DepthGuard guard;
  if (bind_depth > kMaxDepth)
    return InvalidArgument(ErrorCode::kProgramLimitExceeded, "expression is nested too deeply (more than {} levels)", kMaxDepth);
  if (cx.hook) {
    ASSIGN_OR_RETURN(ExprPtr hooked, CallHook(node, cx));
    if (hooked) return Bound{std::move(hooked), false};
  }
  ASSIGN_OR_RETURN(Bound b, BindNode(node, cx));
  if (b.interval && !allow_interval)
    return Unimplemented("type interval is not supported (only interval constants such as interval '1 hour', "
                         "added to or subtracted from a timestamptz)");
  RETURN_IF_ERROR(Fold(&b));
  return b;
}

namespace {

// A constant, possibly under casts and unary minus or plus: what ConstValue accepts.
bool IsConstantNode(const ast::Expr& node) {
  switch (node.kind) {
    case ast::ExprKind::kConstant:
    case ast::ExprKind::kParam: return true;
    case ast::ExprKind::kCast: return node.args.size() == 1 && IsConstantNode(*node.args[0]);
    case ast::ExprKind::kOperator:
      return node.args.size() == 1 && (node.op == "-" || node.op == "+") && IsConstantNode(*node.args[0]);
    default: return false;
  }
}

}  // namespace
}  // namespace binder_internal

using namespace binder_internal;

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
    if (!seen) return InvalidArgument(ErrorCode::kUndefinedTable, "missing FROM-clause entry for table \"{}\"", qualifier);
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

ScopedParams::ScopedParams(const std::vector<Param>* params) : previous_(pinned_params) { pinned_params = params; }

ScopedParams::~ScopedParams() { pinned_params = previous_; }

Result<ExprPtr> BindExpr(const ast::Expr& node, const Scope& scope, const BindHook* hook) {
  Ctx cx{scope, hook && *hook ? hook : nullptr};
  ASSIGN_OR_RETURN(Bound b, Bind(node, cx));
  return b.e;
}

Result<ExprPtr> BindPredicate(const ast::Expr& node, const Scope& scope, const BindHook* hook) {
  Ctx cx{scope, hook && *hook ? hook : nullptr};
  ASSIGN_OR_RETURN(Bound b, Bind(node, cx));
  if (b.unknown) {
    ASSIGN_OR_RETURN(b.e, ResolveUnknown(b, Type::kBool));
  }
  if (b.e->type != Type::kBool)
    return InvalidArgument(ErrorCode::kDatatypeMismatch, "argument of WHERE must be type boolean, not type {}", TypeName(b.e->type));
  return b.e;
}

Result<Value> ConstValue(const ast::Expr& node) {
  if (!IsConstantNode(node)) return InvalidArgument("expected a constant, got {}", DescribeNode(node));
  Scope empty;
  Ctx cx{empty, nullptr};
  ASSIGN_OR_RETURN(Bound b, Bind(node, cx));
  if (b.e->kind != ExprKind::kLiteral)
    return InvalidArgument("expected a constant, got {}", DescribeNode(node));
  return b.e->literal;
}

std::string ColumnRefName(const ast::Expr& node) {
  if (node.kind != ast::ExprKind::kColumnRef || node.star || node.names.empty()) return "";
  return node.names.back();
}

}  // namespace laminar::sql
