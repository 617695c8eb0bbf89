#include "sql/binder.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "common/time_util.h"
#include "sql/parser.h"

namespace laminar::sql {
namespace {

using json = nlohmann::json;

// A bound expression plus whether it is still "unknown" in PostgreSQL's sense: an untyped string
// literal or NULL, which takes its type from the other side of an operator.
struct Bound {
  ExprPtr e;
  bool unknown = false;
};

const std::string& NodeKind(const json& node) {
  static const std::string kNone;
  if (!node.is_object() || node.empty()) return kNone;
  return node.begin().key();
}

bool IsNumeric(Type t) { return t == Type::kInt64 || t == Type::kDouble; }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

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

// Converts a typed constant to another type, as PostgreSQL's casts do.
Result<Value> CastConstant(const Value& v, Type from, Type to) {
  if (v.is_null() || from == to) return v.is_null() ? Value::Null() : v;
  switch (to) {
    case Type::kText:
      return Value::Text(v.ToString());
    case Type::kDouble:
      if (from == Type::kInt64) return Value::Double(static_cast<double>(v.as_int()));
      break;
    case Type::kInt64:
      if (from == Type::kDouble) {
        double d = std::round(v.as_double());  // half away from zero, as numeric literal → int8
        if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
          return InvalidArgument("bigint out of range");
        return Value::Int(static_cast<int64_t>(d));
      }
      if (from == Type::kBool) return Value::Int(v.as_bool() ? 1 : 0);
      break;
    case Type::kBool:
      if (from == Type::kInt64) return Value::Bool(v.as_int() != 0);
      break;
    case Type::kTimestamp:
      break;
  }
  if (from == Type::kText) return CastText(v.as_text(), to);
  return InvalidArgument("cannot cast type {} to {}", TypeName(from), TypeName(to));
}

// Gives an unknown literal (string or NULL) a type.
Result<ExprPtr> ResolveUnknown(const Bound& b, Type t) {
  const Value& v = b.e->literal;
  if (v.is_null()) return MakeLiteral(Value::Null(), t);
  ASSIGN_OR_RETURN(Value cast, CastText(v.as_text(), t));
  return MakeLiteral(std::move(cast), t);
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
    return InvalidArgument("operator does not exist: {} {} {}", TypeName(first->e->type), op, TypeName(bt));
  }
  for (Bound* b : items) {
    if (b->unknown) {
      ASSIGN_OR_RETURN(b->e, ResolveUnknown(*b, t));
      b->unknown = false;
    } else if (t == Type::kDouble && b->e->kind == ExprKind::kLiteral && b->e->type == Type::kInt64) {
      const Value& v = b->e->literal;
      b->e = MakeLiteral(v.is_null() ? Value::Null() : Value::Double(static_cast<double>(v.as_int())),
                         Type::kDouble);
    }
  }
  return Status::OK();
}

Result<Bound> Bind(const json& node, const Scope& scope);

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
    return Bound{MakeLiteral(Value::Double(d), Type::kDouble), false};
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

Result<Bound> BindColumnRef(const json& ref, const Scope& scope) {
  const json& fields = Field(ref, "fields");
  for (const auto& f : fields)
    if (f.contains("A_Star")) return Unimplemented("unsupported expression: *");
  std::string name = fields.empty() ? "" : StringValue(fields.back());
  int idx = scope.Find(name);
  if (idx < 0) {
    if (scope.relation.empty()) return InvalidArgument("column \"{}\" does not exist", name);
    return InvalidArgument("column \"{}\" does not exist in \"{}\"", name, scope.relation);
  }
  return Bound{MakeColumn(idx, name, scope.columns[idx].type), false};
}

Result<Bound> BindTypeCast(const json& tc, const Scope& scope) {
  ASSIGN_OR_RETURN(Type to, TypeOfTypeName(Field(tc, "typeName")));
  ASSIGN_OR_RETURN(Bound arg, Bind(Field(tc, "arg"), scope));
  if (arg.unknown) {
    ASSIGN_OR_RETURN(ExprPtr e, ResolveUnknown(arg, to));
    return Bound{e, false};
  }
  if (arg.e->kind == ExprKind::kLiteral) {
    ASSIGN_OR_RETURN(Value v, CastConstant(arg.e->literal, arg.e->type, to));
    return Bound{MakeLiteral(std::move(v), to), false};
  }
  if (arg.e->type == to) return arg;
  return Unimplemented("unsupported expression: cast of {} from {} to {} (only constants can be cast)",
                       arg.e->ToString(), TypeName(arg.e->type), TypeName(to));
}

Result<ExprPtr> MakeArith(ArithOp op, const char* op_text, Bound a, Bound b) {
  if (a.unknown && b.unknown) return InvalidArgument("operator is not unique: unknown {} unknown", op_text);
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
    return InvalidArgument("operator does not exist: {} {} {}", TypeName(ta), op_text, TypeName(tb));
  }
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kArith;
  e->arith = op;
  e->type = ta == Type::kDouble || tb == Type::kDouble ? Type::kDouble : Type::kInt64;
  e->children = {a.e, b.e};
  return ExprPtr(e);
}

Result<Bound> BindNegate(const json& operand, const Scope& scope, bool minus) {
  ASSIGN_OR_RETURN(Bound a, Bind(operand, scope));
  const char* op = minus ? "-" : "+";
  if (a.unknown) return InvalidArgument("operator is not unique: {} unknown", op);
  if (!IsNumeric(a.e->type))
    return InvalidArgument("operator does not exist: {} {}", op, TypeName(a.e->type));
  if (!minus) return a;
  if (a.e->kind == ExprKind::kLiteral) {  // fold: -5 is a constant
    const Value& v = a.e->literal;
    if (v.is_null()) return a;
    if (a.e->type == Type::kDouble)
      return Bound{MakeLiteral(Value::Double(-v.as_double()), Type::kDouble), false};
    if (v.as_int() == std::numeric_limits<int64_t>::min()) return InvalidArgument("bigint out of range");
    return Bound{MakeLiteral(Value::Int(-v.as_int()), Type::kInt64), false};
  }
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kNegate;
  e->type = a.e->type;
  e->children = {a.e};
  return Bound{e, false};
}

// Each kind of A_Expr binds in its own function: binding recurses through them, and keeping every
// branch's temporaries out of one big frame keeps the stack used per nesting level small.
Result<Bound> BindBinaryOp(const std::string& op, const json& lexpr, const json& rexpr, const Scope& scope) {
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
  if (!text) return Unimplemented("unsupported operator: {}", op);
  ASSIGN_OR_RETURN(Bound a, Bind(lexpr, scope));
  ASSIGN_OR_RETURN(Bound b, Bind(rexpr, scope));
  if (cmp) {
    RETURN_IF_ERROR(Unify({&a, &b}, op == "!=" ? "<>" : text));
    return Bound{MakeCompare(*cmp, a.e, b.e), false};
  }
  ASSIGN_OR_RETURN(ExprPtr e, MakeArith(*arith, text, a, b));
  return Bound{e, false};
}

Result<Bound> BindIn(bool negated, const json& lexpr, const json& list, const Scope& scope) {
  std::vector<Bound> items;
  {
    ASSIGN_OR_RETURN(Bound lhs, Bind(lexpr, scope));
    items.push_back(lhs);
  }
  for (const auto& item : Field(list, "items")) {
    ASSIGN_OR_RETURN(Bound b, Bind(item, scope));
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

Result<Bound> BindBetween(bool negated, const json& lexpr, const json& list, const Scope& scope) {
  const json& bounds = Field(list, "items");
  if (bounds.size() != 2) return InvalidArgument("BETWEEN needs two bounds");
  ASSIGN_OR_RETURN(Bound a, Bind(lexpr, scope));
  ASSIGN_OR_RETURN(Bound lo, Bind(bounds[0], scope));
  ASSIGN_OR_RETURN(Bound hi, Bind(bounds[1], scope));
  RETURN_IF_ERROR(Unify({&a, &lo, &hi}, ">="));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kBetween;
  e->type = Type::kBool;
  e->negated = negated;
  e->children = {a.e, lo.e, hi.e};
  return Bound{e, false};
}

Result<Bound> BindAExpr(const json& ax, const Scope& scope) {
  const std::string kind = ax.value("kind", "");
  const json& names = Field(ax, "name");
  const std::string op = names.empty() ? "" : StringValue(names.back());
  const json& lexpr = Field(ax, "lexpr");
  const json& rexpr = Field(ax, "rexpr");
  bool binary = !lexpr.is_null() && !rexpr.is_null();
  if (kind == "AEXPR_OP") {
    if (lexpr.is_null() && !rexpr.is_null() && (op == "-" || op == "+"))
      return BindNegate(rexpr, scope, op == "-");
    if (!binary) return Unimplemented("unsupported operator: {}", op);
    return BindBinaryOp(op, lexpr, rexpr, scope);
  }
  if (kind == "AEXPR_IN") {
    if (!binary || !rexpr.contains("List")) return Unimplemented("unsupported expression: IN");
    return BindIn(op == "<>", lexpr, rexpr["List"], scope);
  }
  if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_NOT_BETWEEN") {
    if (!binary || !rexpr.contains("List")) return Unimplemented("unsupported expression: BETWEEN");
    return BindBetween(kind == "AEXPR_NOT_BETWEEN", lexpr, rexpr["List"], scope);
  }
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

Result<Bound> BindBoolExpr(const json& be, const Scope& scope) {
  std::string op = be.value("boolop", "");
  const char* name = op == "AND_EXPR" ? "AND" : op == "OR_EXPR" ? "OR" : "NOT";
  auto e = std::make_shared<Expr>();
  e->kind = op == "AND_EXPR" ? ExprKind::kAnd : op == "OR_EXPR" ? ExprKind::kOr : ExprKind::kNot;
  e->type = Type::kBool;
  for (const auto& arg : Field(be, "args")) {
    ASSIGN_OR_RETURN(Bound b, Bind(arg, scope));
    if (b.unknown) {
      ASSIGN_OR_RETURN(b.e, ResolveUnknown(b, Type::kBool));
    }
    if (b.e->type != Type::kBool)
      return InvalidArgument("argument of {} must be type boolean, not type {}", name, TypeName(b.e->type));
    e->children.push_back(b.e);
  }
  if (e->kind == ExprKind::kNot ? e->children.size() != 1 : e->children.size() < 2)
    return InvalidArgument("malformed {} expression", name);
  return Bound{e, false};
}

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
  return InvalidArgument("unit \"{}\" not recognized for type timestamp with time zone", v->as_text());
}

Result<Bound> BindFuncCall(const json& fc, const Scope& scope) {
  const json& names = Field(fc, "funcname");
  std::string name = names.empty() ? "" : StringValue(names.back());
  std::string qualifier = names.size() > 1 ? StringValue(names[names.size() - 2]) : "";
  if (!qualifier.empty() && qualifier != "pg_catalog")
    return Unimplemented("unsupported function: {}", NameList(names));
  if (fc.contains("over")) return Unimplemented("window functions are not supported: {}", name);
  if (IsAggregateName(name)) return InvalidArgument("aggregate function {} is not allowed here", name);
  if (name != "date_trunc") return Unimplemented("unsupported function: {}", name);

  const json& args = Field(fc, "args");
  if (fc.value("agg_star", false) || fc.value("agg_distinct", false) || fc.contains("agg_filter") ||
      fc.contains("agg_order"))
    return InvalidArgument("date_trunc is not an aggregate: * , DISTINCT, FILTER and ORDER BY do not apply");
  if (args.size() == 3)
    return Unimplemented("date_trunc with a time zone argument is not supported (Laminar works in UTC)");
  if (args.size() != 2) return InvalidArgument("function date_trunc takes 2 arguments, got {}", args.size());
  ASSIGN_OR_RETURN(TimeUnit unit, DateTruncUnit(args[0]));
  ASSIGN_OR_RETURN(Bound arg, Bind(args[1], scope));
  if (arg.unknown) {
    ASSIGN_OR_RETURN(arg.e, ResolveUnknown(arg, Type::kTimestamp));
  }
  if (arg.e->type != Type::kTimestamp)
    return InvalidArgument(
        "function date_trunc(unknown, {}) does not exist: date_trunc needs a "
        "timestamp with time zone",
        TypeName(arg.e->type));
  return Bound{MakeDateTrunc(unit, arg.e), false};
}

// Expression trees deeper than this are refused: binding, ToString and Eval recurse per level.
constexpr int kMaxDepth = 500;
thread_local int bind_depth = 0;

struct DepthGuard {
  DepthGuard() { bind_depth++; }
  ~DepthGuard() { bind_depth--; }
};

Result<Bound> Bind(const json& node, const Scope& scope) {
  DepthGuard guard;
  if (bind_depth > kMaxDepth)
    return InvalidArgument("expression is nested too deeply (more than {} levels)", kMaxDepth);
  const std::string& kind = NodeKind(node);
  if (kind.empty()) return Unsupported(node);
  const json& body = node[kind];
  if (kind == "ColumnRef") return BindColumnRef(body, scope);
  if (kind == "A_Const") return BindConst(body);
  if (kind == "TypeCast") return BindTypeCast(body, scope);
  if (kind == "A_Expr") return BindAExpr(body, scope);
  if (kind == "BoolExpr") return BindBoolExpr(body, scope);
  if (kind == "FuncCall") return BindFuncCall(body, scope);
  if (kind == "NullTest") {
    ASSIGN_OR_RETURN(Bound a, Bind(Field(body, "arg"), scope));
    auto e = std::make_shared<Expr>();
    e->kind = ExprKind::kIsNull;
    e->type = Type::kBool;
    e->negated = body.value("nulltesttype", "") == "IS_NOT_NULL";
    e->children = {a.e};
    return Bound{e, false};
  }
  return Unsupported(node);
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

Result<ExprPtr> BindExpr(const json& node, const Scope& scope) {
  ASSIGN_OR_RETURN(Bound b, Bind(node, scope));
  return b.e;
}

Result<ExprPtr> BindPredicate(const json& node, const Scope& scope) {
  ASSIGN_OR_RETURN(Bound b, Bind(node, scope));
  if (b.unknown) {
    ASSIGN_OR_RETURN(b.e, ResolveUnknown(b, Type::kBool));
  }
  if (b.e->type != Type::kBool)
    return InvalidArgument("argument of WHERE must be type boolean, not type {}", TypeName(b.e->type));
  return b.e;
}

Result<Value> ConstValue(const json& node) {
  if (!IsConstantNode(node)) return InvalidArgument("expected a constant, got {}", DescribeNode(node));
  ASSIGN_OR_RETURN(Bound b, Bind(node, Scope{}));
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
    return InvalidArgument("invalid input syntax for type {}: \"{}\"", TypeName(type), text);
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
      if (errno == ERANGE) return InvalidArgument("value \"{}\" is out of range for type bigint", text);
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
        return InvalidArgument("\"{}\" is out of range for type double precision", text);
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
