// Arrays in expressions (expr.h, "Arrays"): x op ANY/ALL (array), ARRAY[...], subscripts,
// casts to t[] (and int2vector / oidvector), and the array functions. An array is text in
// PostgreSQL's form; an argument that must be an array is text (or an untyped literal).
#include "common/strings.h"
#include "sql/array.h"
#include "sql/binder_internal.h"
#include "sql/func_internal.h"

namespace laminar::sql::binder_internal {

namespace {

ExprPtr MakeFunc(Func f, Type type, std::vector<ExprPtr> children) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kFunc;
  e->func = f;
  e->type = type;
  e->children = std::move(children);
  return e;
}

// An argument that must be an array: text, or an untyped literal read as one.
Result<ExprPtr> ArrayArg(Bound b, const std::string& what) {
  if (b.unknown) {
    if (b.e->literal.is_null()) return MakeLiteral(Value::Null(), Type::kText);
    ASSIGN_OR_RETURN(ArrayElems elems, ParseArray(b.e->literal.as_text()));
    return MakeLiteral(Value::Text(FormatArray(elems)), Type::kText);
  }
  if (b.e->type != Type::kText)
    return InvalidArgument(ErrorCode::kDatatypeMismatch, "{} must be an array, not type {}", what, TypeName(b.e->type));
  return b.e;
}

std::optional<CompareOp> CompareOpOf(const std::string& op) {
  if (op == "=") return CompareOp::kEq;
  if (op == "<>" || op == "!=") return CompareOp::kNe;
  if (op == "<") return CompareOp::kLt;
  if (op == "<=") return CompareOp::kLe;
  if (op == ">") return CompareOp::kGt;
  if (op == ">=") return CompareOp::kGe;
  return std::nullopt;
}

}  // namespace

bool IsArraySyntax(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::kArray) return true;
  if (e.kind == ast::ExprKind::kSubquery && e.sublink == ast::SublinkKind::kArray) return true;
  return e.kind == ast::ExprKind::kCast && e.type && e.type->array_bounds > 0;
}

Result<Bound> BindArrayConcat(Bound a, Bound b) {
  ASSIGN_OR_RETURN(ExprPtr ea, ArrayArg(a, "an operand of || with an array"));
  ASSIGN_OR_RETURN(ExprPtr eb, ArrayArg(b, "an operand of || with an array"));
  return Bound{MakeFunc(Func::kArrayCat, Type::kText, {ea, eb}), false};
}

bool IsArrayElement(const Expr& e) { return e.kind == ExprKind::kFunc && e.func == Func::kArraySubscript; }

Result<Bound> BindAnyAll(const ast::Expr& node, const Ctx& cx) {
  const char* which = node.all ? "ALL" : "ANY";
  auto op = CompareOpOf(node.op);
  if (!op) return Unimplemented(ErrorCode::kFeatureNotSupported, "operator {} with {} is not supported", node.op, which);
  if (node.args.size() != 2) return InvalidArgument("malformed {} expression", which);
  ASSIGN_OR_RETURN(Bound x, Bind(*node.args[0], cx));
  ASSIGN_OR_RETURN(Bound a, Bind(*node.args[1], cx));
  ASSIGN_OR_RETURN(ExprPtr arr, ArrayArg(a, fmt::format("the operand of {}", which)));
  if (x.unknown) {
    ASSIGN_OR_RETURN(x.e, ResolveUnknown(x, Type::kText));
  }
  if (arr->kind == ExprKind::kLiteral && !arr->literal.is_null()) {
    // A constant array: its elements are read as x's type now (a bad element is an error at
    // once, as PostgreSQL's input function reports it); = ANY is IN, <> ALL is NOT IN.
    ASSIGN_OR_RETURN(ArrayElems elems, ParseArray(arr->literal.as_text()));
    std::vector<ExprPtr> items;
    for (const auto& el : elems) {
      if (!el) {
        items.push_back(MakeLiteral(Value::Null(), x.e->type));
        continue;
      }
      ASSIGN_OR_RETURN(Value v, CastText(*el, x.e->type));
      items.push_back(MakeLiteral(std::move(v), x.e->type));
    }
    bool in_form = !items.empty() && ((!node.all && *op == CompareOp::kEq) || (node.all && *op == CompareOp::kNe));
    if (in_form) {
      auto e = std::make_shared<Expr>();
      e->kind = ExprKind::kIn;
      e->type = Type::kBool;
      e->negated = node.all;
      e->children.push_back(x.e);
      for (auto& it : items) e->children.push_back(std::move(it));
      return Bound{e, false};
    }
    ArrayElems normal;
    for (const auto& it : items) {
      if (it->literal.is_null()) {
        normal.push_back(std::nullopt);
      } else {
        std::string text;
        internal::AppendOutputText(it->literal, it->type, &text);
        normal.push_back(std::move(text));
      }
    }
    arr = MakeLiteral(Value::Text(FormatArray(normal)), Type::kText);
  }
  auto e = MakeFunc(node.all ? Func::kArrayAll : Func::kArrayAny, Type::kBool, {x.e, arr});
  std::const_pointer_cast<Expr>(e)->op = *op;
  return Bound{e, false};
}

Result<Bound> BindArrayConstructor(const ast::Expr& node, const Ctx& cx) {
  std::vector<ExprPtr> elems;
  for (const auto& a : node.args) {
    if (a->kind == ast::ExprKind::kArray) return Unimplemented(ErrorCode::kFeatureNotSupported, "multidimensional arrays are not supported");
    ASSIGN_OR_RETURN(Bound b, Bind(*a, cx));
    if (b.unknown) {
      ASSIGN_OR_RETURN(b.e, ResolveUnknown(b, Type::kText));
    }
    elems.push_back(b.e);
  }
  Type elem = elems.empty() ? Type::kText : elems[0]->type;
  for (const auto& e : elems)
    if (e->type != elem) elem = Type::kText;
  TextShape shape;
  shape.elem_type = elem;
  return Bound{WithShape(MakeFunc(Func::kArrayConstruct, Type::kText, std::move(elems)), shape), false};
}

Result<Bound> BindIndirection(const ast::Expr& node, const Ctx& cx) {
  if (node.args.empty()) return InvalidArgument("malformed subscript expression");
  ASSIGN_OR_RETURN(Bound base, Bind(*node.args[0], cx));
  if (node.indirection.size() != 1)
    return Unimplemented(ErrorCode::kFeatureNotSupported, "subscripts of multidimensional arrays are not supported");
  const ast::IndirectionStep& step = node.indirection[0];
  if (step.is_field) {
    // (record).field: a record is text with its fields' names and types in its shape.
    const auto& fields = base.e->shape.fields;
    if (!fields)
      return InvalidArgument(ErrorCode::kDatatypeMismatch, "column notation .{} applied to type {}, which is not a composite type",
                             step.field, base.unknown ? "unknown" : TypeName(base.e->type));
    for (size_t f = 0; f < fields->size(); f++) {
      if ((*fields)[f].name != step.field) continue;
      auto e = std::make_shared<Expr>(*MakeFunc(Func::kRecordField, Type::kText, {base.e}));
      e->field_index = static_cast<int>(f);
      ExprPtr out = e;
      if ((*fields)[f].type != Type::kText) out = MakeCast(out, (*fields)[f].type);
      return Bound{out, false};
    }
    return InvalidArgument(ErrorCode::kUndefinedColumn, "could not identify column \"{}\" in record data type", step.field);
  }
  ASSIGN_OR_RETURN(ExprPtr arr, ArrayArg(base, "a subscripted value"));
  if (step.is_slice || !step.lower) return Unimplemented(ErrorCode::kFeatureNotSupported, "array slices are not supported");
  ASSIGN_OR_RETURN(Bound i, Bind(*step.lower, cx));
  if (i.unknown) {
    ASSIGN_OR_RETURN(i.e, ResolveUnknown(i, Type::kInt64));
  }
  if (i.e->type != Type::kInt64)
    return InvalidArgument(ErrorCode::kDatatypeMismatch, "array subscript must have type integer, not {}", TypeName(i.e->type));
  ExprPtr elem = MakeFunc(Func::kArraySubscript, Type::kText, {arr, i.e});
  // An element of an array whose element type is known reads as that type.
  if (arr->shape.elem_type != Type::kText) elem = MakeCast(elem, arr->shape.elem_type);
  return Bound{elem, false};
}

Result<Bound> BindArrayCast(const ast::Expr& tc, const Ctx& cx) {
  const ast::TypeName& tn = *tc.type;
  std::string name = tn.names.back();
  Type elem = Type::kText;
  if (name == "int2vector" || name == "oidvector") {
    elem = Type::kInt64;
  } else if (name == "oid" || name == "regclass" || name == "regtype" || name == "regproc" || name == "regnamespace") {
    elem = Type::kText;  // oids (and reg* names) are kept as written
  } else if (name != "name" && name != "aclitem") {
    auto t = TypeFromSqlName(name);
    if (!t) return Unimplemented(ErrorCode::kFeatureNotSupported, "unsupported type: {}[]", name);
    elem = *t;
  }
  if (tn.array_bounds > 1) return Unimplemented(ErrorCode::kFeatureNotSupported, "multidimensional arrays are not supported");
  ASSIGN_OR_RETURN(Bound arg, Bind(*tc.args[0], cx));
  ASSIGN_OR_RETURN(ExprPtr arr, ArrayArg(arg, "the operand of a cast to an array type"));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kFunc;
  e->func = Func::kArrayIn;
  e->type = Type::kText;
  e->shape.elem_type = elem;
  e->children = {arr};
  return Bound{e, false};
}

std::optional<Result<Bound>> BindArrayFunc(const std::string& name, const ast::Expr& fc, const Ctx& cx) {
  struct Fn {
    const char* name;
    Func func;
    size_t min_args, max_args;
    const char* arg_types;  // per argument: a array, t text, i bigint
    Type result;
  };
  static const Fn kFns[] = {
      {"array_upper", Func::kArrayUpper, 2, 2, "ai", Type::kInt64},
      {"array_lower", Func::kArrayLower, 2, 2, "ai", Type::kInt64},
      {"array_length", Func::kArrayLength, 2, 2, "ai", Type::kInt64},
      {"cardinality", Func::kCardinality, 1, 1, "a", Type::kInt64},
      {"array_to_string", Func::kArrayToString, 2, 3, "att", Type::kText},
      {"string_to_array", Func::kStringToArray, 2, 3, "ttt", Type::kText},
  };
  const Fn* fn = nullptr;
  for (const auto& f : kFns)
    if (name == f.name) fn = &f;
  if (!fn) return std::nullopt;
  auto run = [&]() -> Result<Bound> {
    std::vector<Bound> args;
    for (const auto& a : fc.args) {
      ASSIGN_OR_RETURN(Bound b, Bind(*a, cx));
      args.push_back(b);
    }
    if (args.size() < fn->min_args || args.size() > fn->max_args)
      return InvalidArgument(ErrorCode::kUndefinedFunction, "function {}({}) does not exist", name, SignatureText(args));
    std::vector<ExprPtr> children;
    for (size_t i = 0; i < args.size(); i++) {
      char k = fn->arg_types[i];
      if (k == 'a') {
        ASSIGN_OR_RETURN(ExprPtr a, ArrayArg(args[i], fmt::format("the first argument of {}", name)));
        children.push_back(a);
        continue;
      }
      Type want = k == 'i' ? Type::kInt64 : Type::kText;
      if (args[i].unknown) {
        ASSIGN_OR_RETURN(args[i].e, ResolveUnknown(args[i], want));
      } else if (args[i].e->type != want) {
        return InvalidArgument(ErrorCode::kUndefinedFunction, "function {}({}) does not exist", name, SignatureText(args));
      }
      children.push_back(args[i].e);
    }
    return Bound{MakeFunc(fn->func, fn->result, std::move(children)), false};
  };
  return run();
}

}  // namespace laminar::sql::binder_internal
