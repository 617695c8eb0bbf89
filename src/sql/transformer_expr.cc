// The transformer's expressions, types, sort items and window definitions (transformer.h).
#include <cerrno>
#include <charconv>
#include <optional>
#include <cstdlib>
#include <string>

#include "sql/transformer.h"
#include "sql/transformer_internal.h"

namespace laminar::sql {
namespace internal {
namespace {

using ast::ExprKind;
using ast::ExprPtr;

std::string Short(const json& node) {
  std::string s = node.dump();
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

ExprPtr NewExpr(ExprKind kind, int location) {
  auto e = std::make_unique<ast::Expr>();
  e->kind = kind;
  e->location = location;
  return e;
}

// Operator names: {"String": "~"} or, for OPERATOR(pg_catalog.~), the schema first.
Status SetOperator(ast::Expr& e, const json& body, const char* key) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, Names(body, key));
  if (names.empty()) return Malformed("operator without a name");
  e.op = names.back();
  names.pop_back();
  e.op_schema = std::move(names);
  return Status::OK();
}

Result<ExprPtr> Required(const json& obj, const char* key, const char* what) {
  const json& v = Field(obj, key);
  if (v.is_null() || (v.is_object() && v.empty())) return Malformed("{} without {}", what, key);
  return Expr(v);
}

// The items of a {"List": {"items": [...]}} node.
Result<std::vector<ExprPtr>> ListItems(const json& node, const char* what) {
  std::string type;
  const json* body;
  if (!SplitNode(node, &type, &body) || type != "List") return Malformed("{}: expected a list", what);
  return ExprList(*body, "items");
}

Result<ExprPtr> Constant(const json& b, int location) {
  auto e = NewExpr(ExprKind::kConstant, location);
  if (Bool(b, "isnull")) return e;
  if (b.contains("ival")) {
    const json& v = Field(Field(b, "ival"), "ival");  // absent for 0 (protobuf's default)
    int64_t i = v.is_number_integer() ? v.get<int64_t>() : 0;
    e->value = Value::Int(i);
    e->constant_text = std::to_string(i);
  } else if (b.contains("fval")) {
    std::string text = Str(Field(b, "fval"), "fval");
    if (text.empty()) return Malformed("numeric constant without digits");
    e->constant_text = text;
    // An integer beyond int32 is an "fval" too: a bigint when it fits.
    size_t digits_from = text[0] == '-' ? 1 : 0;
    bool integer = text.size() > digits_from &&
                   text.find_first_not_of("0123456789", digits_from) == std::string::npos;
    int64_t i = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
    if (integer && ec == std::errc() && end == text.data() + text.size()) {
      e->value = Value::Int(i);
    } else {
      char* stop = nullptr;
      double d = std::strtod(text.c_str(), &stop);
      if (stop != text.c_str() + text.size()) return Malformed("bad numeric constant {}", text);
      e->value = Value::Double(d);
    }
  } else if (b.contains("sval")) {
    e->value = Value::Text(Str(Field(b, "sval"), "sval"));
    e->is_string = true;
  } else if (b.contains("boolval")) {
    e->value = Value::Bool(Bool(Field(b, "boolval"), "boolval"));
  } else if (b.contains("bsval")) {
    std::string text = Str(Field(b, "bsval"), "bsval");
    if (text.empty() || (text[0] != 'b' && text[0] != 'x')) return Malformed("bad bit string constant {}", text);
    e->is_bit_string = true;
    e->constant_text = text;
    e->value = Value::Text(std::move(text));
  } else {
    return Malformed("constant without a value");
  }
  return e;
}

Result<ExprPtr> ColumnRef(const json& b, int location) {
  auto e = NewExpr(ExprKind::kColumnRef, location);
  ASSIGN_OR_RETURN(const json* fields, ListField(b, "fields"));
  if (fields->empty()) return Malformed("column reference without a name");
  for (size_t i = 0; i < fields->size(); i++) {
    const json& f = (*fields)[i];
    if (f.contains("A_Star") && i + 1 == fields->size()) {
      e->star = true;
    } else if (f.contains("String")) {
      e->names.push_back(SVal(f));
    } else {
      return Malformed("bad column reference part {}", Short(f));
    }
  }
  return e;
}

Result<ExprPtr> AExpr(const json& b, int location) {
  std::string kind = Str(b, "kind");
  auto e = NewExpr(ExprKind::kOperator, location);
  RETURN_IF_ERROR(SetOperator(*e, b, "name"));
  ASSIGN_OR_RETURN(ExprPtr left, OptionalExpr(b, "lexpr"));
  const json& right = Field(b, "rexpr");
  auto need_left = [&]() -> Status {
    if (!left) return Malformed("{} without a left operand", kind);
    e->args.push_back(std::move(left));
    return Status::OK();
  };
  auto push_right = [&]() -> Status {
    ASSIGN_OR_RETURN(ExprPtr r, Required(b, "rexpr", kind.c_str()));
    e->args.push_back(std::move(r));
    return Status::OK();
  };
  if (kind == "AEXPR_OP") {
    if (left) e->args.push_back(std::move(left));  // else a prefix operator: -x, ~x
    RETURN_IF_ERROR(push_right());
  } else if (kind == "AEXPR_OP_ANY" || kind == "AEXPR_OP_ALL") {
    e->kind = ExprKind::kAnyAll;
    e->all = kind == "AEXPR_OP_ALL";
    RETURN_IF_ERROR(need_left());
    RETURN_IF_ERROR(push_right());
  } else if (kind == "AEXPR_DISTINCT" || kind == "AEXPR_NOT_DISTINCT" || kind == "AEXPR_NULLIF") {
    e->kind = kind == "AEXPR_NULLIF" ? ExprKind::kNullIf : ExprKind::kDistinctFrom;
    e->negated = kind == "AEXPR_NOT_DISTINCT";
    RETURN_IF_ERROR(need_left());
    RETURN_IF_ERROR(push_right());
  } else if (kind == "AEXPR_IN") {
    e->kind = ExprKind::kInList;
    e->negated = e->op == "<>";
    RETURN_IF_ERROR(need_left());
    ASSIGN_OR_RETURN(std::vector<ExprPtr> items, ListItems(right, "IN"));
    if (items.empty()) return Malformed("IN without a list");
    for (auto& item : items) e->args.push_back(std::move(item));
  } else if (kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE" || kind == "AEXPR_SIMILAR") {
    e->kind = ExprKind::kLike;
    e->like = kind == "AEXPR_LIKE" ? ast::LikeKind::kLike : kind == "AEXPR_ILIKE" ? ast::LikeKind::kILike
                                                                                  : ast::LikeKind::kSimilar;
    e->negated = !e->op.empty() && e->op[0] == '!';
    RETURN_IF_ERROR(need_left());
    // The grammar wraps the pattern: like_escape(pattern, escape) for ESCAPE, and always
    // similar_to_escape(pattern [, escape]) for SIMILAR TO.
    const json& call = Field(right, "FuncCall");
    std::string fn = call.is_object() ? JoinedNames(call, "funcname") : "";
    size_t nargs = Field(call, "args").size();
    bool wrapped = (fn == "pg_catalog.like_escape" && e->like != ast::LikeKind::kSimilar && nargs == 2) ||
                   (fn == "pg_catalog.similar_to_escape" && e->like == ast::LikeKind::kSimilar &&
                    (nargs == 1 || nargs == 2));
    if (wrapped) {
      ASSIGN_OR_RETURN(std::vector<ExprPtr> parts, ExprList(call, "args"));
      e->has_escape = parts.size() == 2;
      for (auto& p : parts) e->args.push_back(std::move(p));
    } else {
      RETURN_IF_ERROR(push_right());
    }
    e->op.clear();
  } else if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_NOT_BETWEEN" || kind == "AEXPR_BETWEEN_SYM" ||
             kind == "AEXPR_NOT_BETWEEN_SYM") {
    e->kind = ExprKind::kBetween;
    e->negated = kind.find("NOT_") != std::string::npos;
    e->symmetric = kind.find("_SYM") != std::string::npos;
    e->op.clear();
    RETURN_IF_ERROR(need_left());
    ASSIGN_OR_RETURN(std::vector<ExprPtr> bounds, ListItems(right, "BETWEEN"));
    if (bounds.size() != 2) return Malformed("BETWEEN with {} bounds", bounds.size());
    for (auto& x : bounds) e->args.push_back(std::move(x));
  } else {
    return Malformed("unknown operator kind {}", kind);
  }
  if (e->kind == ExprKind::kNullIf || e->kind == ExprKind::kDistinctFrom || e->kind == ExprKind::kInList) {
    e->op.clear();
    e->op_schema.clear();
  }
  return e;
}

Result<ExprPtr> BoolExpr(const json& b, int location) {
  std::string op = Str(b, "boolop");
  ExprKind kind = op == "AND_EXPR" ? ExprKind::kAnd : op == "OR_EXPR" ? ExprKind::kOr : ExprKind::kNot;
  if (kind == ExprKind::kNot && op != "NOT_EXPR") return Malformed("unknown boolean operator {}", op);
  auto e = NewExpr(kind, location);
  ASSIGN_OR_RETURN(e->args, ExprList(b, "args"));
  if (kind == ExprKind::kNot ? e->args.size() != 1 : e->args.size() < 2)
    return Malformed("{} with {} arguments", op, e->args.size());
  return e;
}

Result<ExprPtr> FuncCall(const json& b, int location) {
  auto e = NewExpr(ExprKind::kFunction, location);
  ASSIGN_OR_RETURN(e->func_name, Names(b, "funcname"));
  if (e->func_name.empty()) return Malformed("function call without a name");
  ASSIGN_OR_RETURN(const json* args, ListField(b, "args"));
  bool named = false;
  for (const json& a : *args) {
    const json& named_arg = Field(a, "NamedArgExpr");
    if (named_arg.is_object()) {
      named = true;
      e->arg_names.resize(e->args.size());
      e->arg_names.push_back(Str(named_arg, "name"));
      ASSIGN_OR_RETURN(ExprPtr v, Required(named_arg, "arg", "named argument"));
      e->args.push_back(std::move(v));
    } else {
      ASSIGN_OR_RETURN(ExprPtr v, Expr(a));
      e->args.push_back(std::move(v));
    }
  }
  if (named) e->arg_names.resize(e->args.size());
  e->agg_star = Bool(b, "agg_star");
  e->agg_distinct = Bool(b, "agg_distinct");
  e->agg_within_group = Bool(b, "agg_within_group");
  e->func_variadic = Bool(b, "func_variadic");
  ASSIGN_OR_RETURN(e->agg_order, SortList(b, "agg_order"));
  ASSIGN_OR_RETURN(e->agg_filter, OptionalExpr(b, "agg_filter"));
  const json& over = Field(b, "over");
  if (over.is_object()) {
    ASSIGN_OR_RETURN(e->over, Window(over, /*in_over_clause=*/true));
  }
  return e;
}

Result<ExprPtr> SubLink(const json& b, int location) {
  auto e = NewExpr(ExprKind::kSubquery, location);
  std::string kind = Str(b, "subLinkType");
  ASSIGN_OR_RETURN(e->subquery, SelectNode(Field(b, "subselect")));
  ASSIGN_OR_RETURN(ExprPtr test, OptionalExpr(b, "testexpr"));
  if (kind == "EXISTS_SUBLINK") {
    e->sublink = ast::SublinkKind::kExists;
  } else if (kind == "EXPR_SUBLINK") {
    e->sublink = ast::SublinkKind::kScalar;
  } else if (kind == "ARRAY_SUBLINK") {
    e->sublink = ast::SublinkKind::kArray;
  } else if (kind == "ANY_SUBLINK" || kind == "ALL_SUBLINK") {
    if (!test) return Malformed("{} without a test expression", kind);
    e->args.push_back(std::move(test));
    if (Field(b, "operName").empty()) {
      if (kind == "ALL_SUBLINK") return Malformed("ALL (subquery) without an operator");
      e->sublink = ast::SublinkKind::kIn;  // x IN (SELECT ...): no operator name in the tree
      e->op = "=";
    } else {
      e->sublink = kind == "ALL_SUBLINK" ? ast::SublinkKind::kAll : ast::SublinkKind::kAny;
      RETURN_IF_ERROR(SetOperator(*e, b, "operName"));
    }
  } else if (kind == "ROWCOMPARE_SUBLINK" || kind == "MULTIEXPR_SUBLINK" || kind == "CTE_SUBLINK") {
    return Unimplemented("a subquery of kind {} is not supported", kind);
  } else {
    return Malformed("unknown subquery kind {}", kind);
  }
  return e;
}

Result<ExprPtr> CaseExpr(const json& b, int location) {
  auto e = NewExpr(ExprKind::kCase, location);
  ASSIGN_OR_RETURN(ExprPtr operand, OptionalExpr(b, "arg"));
  if (operand) {
    e->has_operand = true;
    e->args.push_back(std::move(operand));
  }
  ASSIGN_OR_RETURN(const json* whens, ListField(b, "args"));
  if (whens->empty()) return Malformed("CASE without WHEN");
  for (const json& w : *whens) {
    const json& when = Field(w, "CaseWhen");
    if (!when.is_object()) return Malformed("CASE arm {}", Short(w));
    ASSIGN_OR_RETURN(ExprPtr cond, Required(when, "expr", "WHEN"));
    ASSIGN_OR_RETURN(ExprPtr result, Required(when, "result", "THEN"));
    e->args.push_back(std::move(cond));
    e->args.push_back(std::move(result));
  }
  ASSIGN_OR_RETURN(ExprPtr other, OptionalExpr(b, "defresult"));
  if (other) {
    e->has_else = true;
    e->args.push_back(std::move(other));
  }
  return e;
}

Result<ExprPtr> Indirection(const json& b) {
  ASSIGN_OR_RETURN(ExprPtr base, Required(b, "arg", "subscript"));
  ASSIGN_OR_RETURN(const json* steps, ListField(b, "indirection"));
  if (steps->empty()) return Malformed("indirection without steps");
  auto e = NewExpr(ExprKind::kIndirection, base->location);
  e->args.push_back(std::move(base));
  for (size_t i = 0; i < steps->size(); i++) {
    const json& s = (*steps)[i];
    ast::IndirectionStep step;
    if (s.contains("A_Star") && i + 1 == steps->size()) {
      // (expr).*: a kStar over what precedes the star.
      ExprPtr inner = e->indirection.empty() ? std::move(e->args[0]) : std::move(e);
      auto star = NewExpr(ExprKind::kStar, inner->location);
      star->args.push_back(std::move(inner));
      return star;
    } else if (s.contains("String")) {
      step.is_field = true;
      step.field = SVal(s);
    } else if (Field(s, "A_Indices").is_object()) {
      const json& idx = Field(s, "A_Indices");
      step.is_slice = Bool(idx, "is_slice");
      if (step.is_slice) {
        ASSIGN_OR_RETURN(step.lower, OptionalExpr(idx, "lidx"));
        ASSIGN_OR_RETURN(step.upper, OptionalExpr(idx, "uidx"));
      } else {
        ASSIGN_OR_RETURN(step.lower, Required(idx, "uidx", "subscript"));
      }
    } else {
      return Malformed("bad indirection step {}", Short(s));
    }
    e->indirection.push_back(std::move(step));
  }
  return e;
}

Result<ExprPtr> SqlValue(const json& b, int location) {
  static const std::pair<const char*, const char*> kOps[] = {
      {"SVFOP_CURRENT_DATE", "current_date"},         {"SVFOP_CURRENT_TIME", "current_time"},
      {"SVFOP_CURRENT_TIME_N", "current_time"},       {"SVFOP_CURRENT_TIMESTAMP", "current_timestamp"},
      {"SVFOP_CURRENT_TIMESTAMP_N", "current_timestamp"}, {"SVFOP_LOCALTIME", "localtime"},
      {"SVFOP_LOCALTIME_N", "localtime"},             {"SVFOP_LOCALTIMESTAMP", "localtimestamp"},
      {"SVFOP_LOCALTIMESTAMP_N", "localtimestamp"},   {"SVFOP_CURRENT_ROLE", "current_role"},
      {"SVFOP_CURRENT_USER", "current_user"},         {"SVFOP_USER", "user"},
      {"SVFOP_SESSION_USER", "session_user"},         {"SVFOP_CURRENT_CATALOG", "current_catalog"},
      {"SVFOP_CURRENT_SCHEMA", "current_schema"},
  };
  std::string op = Str(b, "op");
  for (const auto& [name, value] : kOps) {
    if (op != name) continue;
    auto e = NewExpr(ExprKind::kSqlValue, location);
    e->sql_value = value;
    // libpg_query leaves zero out of its JSON: CURRENT_TIMESTAMP(0) has no "typmod".
    if (op.size() > 2 && op.compare(op.size() - 2, 2, "_N") == 0) e->sql_value_precision = Int(b, "typmod", 0);
    return e;
  }
  return Malformed("unknown SQL value function {}", op);
}

Result<ExprPtr> WithArgs(ExprKind kind, const json& b, const char* key, int location) {
  auto e = NewExpr(kind, location);
  ASSIGN_OR_RETURN(e->args, ExprList(b, key));
  return e;
}

Result<ExprPtr> ExprNode(const json& node) {
  std::string type;
  const json* body;
  if (!SplitNode(node, &type, &body)) return Malformed("expected an expression, got {}", Short(node));
  const json& b = *body;
  int loc = Location(b);
  if (type == "ColumnRef") return ColumnRef(b, loc);
  if (type == "A_Const") return Constant(b, loc);
  if (type == "A_Expr") return AExpr(b, loc);
  if (type == "BoolExpr") return BoolExpr(b, loc);
  if (type == "FuncCall") return FuncCall(b, loc);
  if (type == "TypeCast") {
    auto e = NewExpr(ExprKind::kCast, loc);
    ASSIGN_OR_RETURN(ExprPtr arg, Required(b, "arg", "cast"));
    e->args.push_back(std::move(arg));
    ASSIGN_OR_RETURN(e->type, TransformTypeName(Field(b, "typeName")));
    return e;
  }
  if (type == "NullTest") {
    auto e = NewExpr(ExprKind::kNullTest, loc);
    e->negated = Str(b, "nulltesttype") == "IS_NOT_NULL";
    ASSIGN_OR_RETURN(ExprPtr arg, Required(b, "arg", "IS NULL"));
    e->args.push_back(std::move(arg));
    return e;
  }
  if (type == "BooleanTest") {
    auto e = NewExpr(ExprKind::kBoolTest, loc);
    std::string t = Str(b, "booltesttype");
    e->negated = t.find("_NOT_") != std::string::npos;
    if (t.ends_with("TRUE")) e->bool_test = ast::BoolTestKind::kTrue;
    else if (t.ends_with("FALSE")) e->bool_test = ast::BoolTestKind::kFalse;
    else if (t.ends_with("UNKNOWN")) e->bool_test = ast::BoolTestKind::kUnknown;
    else return Malformed("unknown boolean test {}", t);
    ASSIGN_OR_RETURN(ExprPtr arg, Required(b, "arg", "IS TRUE"));
    e->args.push_back(std::move(arg));
    return e;
  }
  if (type == "ParamRef") {
    auto e = NewExpr(ExprKind::kParam, loc);
    e->param_number = static_cast<int>(Int(b, "number"));
    return e;
  }
  if (type == "SubLink") return SubLink(b, loc);
  if (type == "CaseExpr") return CaseExpr(b, loc);
  if (type == "CoalesceExpr") return WithArgs(ExprKind::kCoalesce, b, "args", loc);
  if (type == "NullIfExpr") return WithArgs(ExprKind::kNullIf, b, "args", loc);
  if (type == "MinMaxExpr") {
    std::string op = Str(b, "op");
    if (op != "IS_GREATEST" && op != "IS_LEAST") return Malformed("unknown GREATEST/LEAST kind {}", op);
    return WithArgs(op == "IS_GREATEST" ? ExprKind::kGreatest : ExprKind::kLeast, b, "args", loc);
  }
  if (type == "A_ArrayExpr") return WithArgs(ExprKind::kArray, b, "elements", loc);
  if (type == "RowExpr") return WithArgs(ExprKind::kRow, b, "args", loc);
  if (type == "GroupingFunc") return WithArgs(ExprKind::kGrouping, b, "args", loc);
  if (type == "SQLValueFunction") return SqlValue(b, loc);
  if (type == "A_Indirection") return Indirection(b);
  if (type == "CollateClause") {
    auto e = NewExpr(ExprKind::kCollate, loc);
    ASSIGN_OR_RETURN(ExprPtr arg, Required(b, "arg", "COLLATE"));
    e->args.push_back(std::move(arg));
    ASSIGN_OR_RETURN(e->names, Names(b, "collname"));
    if (e->names.empty()) return Malformed("COLLATE without a collation");
    return e;
  }
  if (type == "NamedArgExpr" || type == "A_Star" || type == "GroupingSet" || type == "List" ||
      type == "String" || type == "Integer" || type == "Float" || type == "CaseWhen" || type == "SortBy" ||
      type == "ResTarget" || type == "TypeName")
    return Malformed("{} where an expression belongs", type);
  return NotSupported(type, b);
}

// Expression trees deeper than this are refused: transforming (like binding, ToString and Eval)
// recurses per level. sql::Parse refuses such trees already; this guards trees built otherwise.
constexpr int kMaxExprDepth = 500;
thread_local int expr_depth = 0;

}  // namespace

Result<ExprPtr> Expr(const json& node) {
  struct DepthGuard {
    DepthGuard() { expr_depth++; }
    ~DepthGuard() { expr_depth--; }
  } guard;
  if (expr_depth > kMaxExprDepth)
    return InvalidArgument("expression is nested too deeply (more than {} levels)", kMaxExprDepth);
  ASSIGN_OR_RETURN(ExprPtr e, ExprNode(node));
  return e;
}

Result<ExprPtr> OptionalExpr(const json& obj, const char* key) {
  const json& v = Field(obj, key);
  if (v.is_null() || (v.is_object() && v.empty())) return ExprPtr();
  return Expr(v);
}

Result<std::vector<ExprPtr>> ExprList(const json& obj, const char* key) {
  ASSIGN_OR_RETURN(const json* list, ListField(obj, key));
  std::vector<ExprPtr> out;
  out.reserve(list->size());
  for (const json& item : *list) {
    ASSIGN_OR_RETURN(ExprPtr e, Expr(item));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<ast::SortItem>> SortList(const json& obj, const char* key) {
  ASSIGN_OR_RETURN(const json* list, ListField(obj, key));
  std::vector<ast::SortItem> out;
  for (const json& item : *list) {
    const json& s = Field(item, "SortBy");
    if (!s.is_object()) return Malformed("expected a sort item, got {}", Short(item));
    ast::SortItem si;
    ASSIGN_OR_RETURN(si.expr, Required(s, "node", "ORDER BY"));
    std::string dir = Str(s, "sortby_dir"), nulls = Str(s, "sortby_nulls");
    if (dir == "SORTBY_USING") return Unimplemented("ORDER BY ... USING is not supported");
    si.dir = dir == "SORTBY_ASC"    ? ast::SortDir::kAsc
             : dir == "SORTBY_DESC" ? ast::SortDir::kDesc
                                    : ast::SortDir::kDefault;
    si.nulls = nulls == "SORTBY_NULLS_FIRST"  ? ast::NullsOrder::kFirst
               : nulls == "SORTBY_NULLS_LAST" ? ast::NullsOrder::kLast
                                              : ast::NullsOrder::kDefault;
    si.location = Location(s);
    out.push_back(std::move(si));
  }
  return out;
}

// PostgreSQL 15's FRAMEOPTION_* bits (src/include/nodes/parsenodes.h).
namespace frame {
constexpr int64_t kNonDefault = 0x00001, kRange = 0x00002, kRows = 0x00004, kGroups = 0x00008,
                  kStartUnboundedPreceding = 0x00020, kEndUnboundedPreceding = 0x00040,
                  kStartUnboundedFollowing = 0x00080, kEndUnboundedFollowing = 0x00100,
                  kStartCurrentRow = 0x00200, kEndCurrentRow = 0x00400, kStartOffsetPreceding = 0x00800,
                  kEndOffsetPreceding = 0x01000, kStartOffsetFollowing = 0x02000,
                  kEndOffsetFollowing = 0x04000, kExcludeCurrentRow = 0x08000, kExcludeGroup = 0x10000,
                  kExcludeTies = 0x20000;
}  // namespace frame

Result<std::unique_ptr<ast::WindowDef>> Window(const json& b, bool in_over_clause) {
  auto w = std::make_unique<ast::WindowDef>();
  w->name = Str(b, "name");
  w->refname = Str(b, "refname");
  if (in_over_clause && !w->name.empty()) {  // OVER w
    w->refname = std::move(w->name);
    w->name.clear();
    w->ref_only = true;
  }
  ASSIGN_OR_RETURN(w->partition_by, ExprList(b, "partitionClause"));
  ASSIGN_OR_RETURN(w->order_by, SortList(b, "orderClause"));
  w->location = Location(b);
  int64_t f = Int(b, "frameOptions");
  w->has_frame = (f & frame::kNonDefault) != 0;
  if (!w->has_frame) return w;
  using ast::FrameBoundKind;
  if (!(f & (frame::kRange | frame::kRows | frame::kGroups))) return Malformed("window frame without a mode");
  w->mode = (f & frame::kRows)     ? ast::FrameMode::kRows
            : (f & frame::kGroups) ? ast::FrameMode::kGroups
                                   : ast::FrameMode::kRange;
  // The bound among the five bits of one end (unbounded preceding, offset preceding, current row,
  // offset following, unbounded following).
  auto bound = [](int64_t f, int64_t up, int64_t p, int64_t cur, int64_t fo,
                  int64_t uf) -> std::optional<FrameBoundKind> {
    if (f & up) return FrameBoundKind::kUnboundedPreceding;
    if (f & p) return FrameBoundKind::kPreceding;
    if (f & cur) return FrameBoundKind::kCurrentRow;
    if (f & fo) return FrameBoundKind::kFollowing;
    if (f & uf) return FrameBoundKind::kUnboundedFollowing;
    return std::nullopt;
  };
  auto start = bound(f, frame::kStartUnboundedPreceding, frame::kStartOffsetPreceding, frame::kStartCurrentRow,
                     frame::kStartOffsetFollowing, frame::kStartUnboundedFollowing);
  auto end = bound(f, frame::kEndUnboundedPreceding, frame::kEndOffsetPreceding, frame::kEndCurrentRow,
                   frame::kEndOffsetFollowing, frame::kEndUnboundedFollowing);
  if (!start || !end) return Malformed("window frame options {} without bounds", f);
  w->start = *start;
  w->end = *end;
  auto offset = [&](FrameBoundKind k, const char* key, ExprPtr* out) -> Status {
    if (k != FrameBoundKind::kPreceding && k != FrameBoundKind::kFollowing) return Status::OK();
    ASSIGN_OR_RETURN(*out, Required(b, key, "window frame bound"));
    return Status::OK();
  };
  RETURN_IF_ERROR(offset(w->start, "startOffset", &w->start_offset));
  RETURN_IF_ERROR(offset(w->end, "endOffset", &w->end_offset));
  w->exclusion = (f & frame::kExcludeCurrentRow) ? ast::FrameExclusion::kCurrentRow
                 : (f & frame::kExcludeGroup)    ? ast::FrameExclusion::kGroup
                 : (f & frame::kExcludeTies)     ? ast::FrameExclusion::kTies
                                                 : ast::FrameExclusion::kNone;
  return w;
}

}  // namespace internal

Result<ast::ExprPtr> TransformExpr(const nlohmann::json& node) { return internal::Expr(node); }

Result<ast::TypeName> TransformTypeName(const nlohmann::json& node) {
  using namespace internal;
  const json& tn = node.contains("TypeName") ? node["TypeName"] : node;
  if (!tn.is_object()) return Malformed("expected a type name");
  ast::TypeName t;
  ASSIGN_OR_RETURN(t.names, Names(tn, "names"));
  if (t.names.empty()) return Malformed("type without a name");
  if (Bool(tn, "pct_type")) return Unimplemented("%TYPE is not supported");
  ASSIGN_OR_RETURN(const json* mods, ListField(tn, "typmods"));
  for (const json& m : *mods) {
    const json& c = Field(m, "A_Const");
    if (!c.is_object() || !c.contains("ival"))
      return Unimplemented("type modifiers other than integers are not supported: {}({})", JoinedNames(tn, "names"),
                           Short(m));
    const json& v = Field(Field(c, "ival"), "ival");
    t.modifiers.push_back(v.is_number_integer() ? v.get<int64_t>() : 0);
  }
  ASSIGN_OR_RETURN(const json* bounds, ListField(tn, "arrayBounds"));
  t.array_bounds = static_cast<int>(bounds->size());
  t.setof = Bool(tn, "setof");
  t.location = Location(tn);
  return t;
}

}  // namespace laminar::sql
