// The array functions of sql::Func (expr.h, "Arrays"): arrays are text in PostgreSQL's form
// (sql/array.h); a malformed array is an error of the row that holds it.
#include <string>

#include "sql/array.h"
#include "sql/func_internal.h"

namespace laminar::sql::internal {

namespace {

// The elements of an array argument; nullopt (with the error recorded) when it is malformed.
std::optional<ArrayElems> Elems(const Value& v) {
  auto r = ParseArray(v.as_text());
  if (!r.ok()) {
    EvalError(r.status().error_code(), "{}", r.status().message());
    return std::nullopt;
  }
  return std::move(r).value();
}

// An element's text form: what a cast to text writes (booleans as true/false).
std::string ElemText(const Value& v, Type t) {
  if (t == Type::kText) return v.as_text();
  std::string out;
  AppendOutputText(v, t, &out);
  return out;
}

Value DimBound(const Value& arr, const Value& dim, bool upper_or_len, bool length) {
  auto elems = Elems(arr);
  if (!elems) return Value::Null();
  if (elems->empty() || dim.as_int() != 1) return Value::Null();
  if (length) return Value::Int(static_cast<int64_t>(elems->size()));
  return Value::Int(upper_or_len ? static_cast<int64_t>(elems->size()) : 1);
}

}  // namespace

Value EvalArrayFunc(const Expr& e, const Value* const* args, size_t n) {
  switch (e.func) {
    case Func::kArrayIn: {
      auto elems = Elems(*args[0]);
      if (!elems) return Value::Null();
      if (e.shape.elem_type != Type::kText)
        for (auto& el : *elems) {
          if (!el) continue;
          Value v = CastFromTextValue(*el, e.shape.elem_type);
          if (v.is_null()) return Value::Null();  // the error is recorded
          *el = ElemText(v, e.shape.elem_type);
        }
      return Value::Text(FormatArray(*elems));
    }
    case Func::kArraySubscript: {
      auto elems = Elems(*args[0]);
      if (!elems) return Value::Null();
      int64_t i = args[1]->as_int();
      if (i < 1 || i > static_cast<int64_t>(elems->size()) || !(*elems)[size_t(i - 1)]) return Value::Null();
      return Value::Text(*(*elems)[size_t(i - 1)]);
    }
    case Func::kRecordField: {
      auto fields = ParseRecord(args[0]->as_text());
      if (!fields.ok()) {
        EvalError(fields.status().error_code(), "{}", fields.status().message());
        return Value::Null();
      }
      size_t i = static_cast<size_t>(e.field_index);
      if (i >= fields->size() || !(*fields)[i]) return Value::Null();
      return Value::Text(*(*fields)[i]);
    }
    case Func::kArrayUpper: return DimBound(*args[0], *args[1], true, false);
    case Func::kArrayLower: return DimBound(*args[0], *args[1], false, false);
    case Func::kArrayLength: return DimBound(*args[0], *args[1], true, true);
    case Func::kCardinality: {
      auto elems = Elems(*args[0]);
      if (!elems) return Value::Null();
      return Value::Int(static_cast<int64_t>(elems->size()));
    }
    case Func::kArrayToString: {
      auto elems = Elems(*args[0]);
      if (!elems) return Value::Null();
      const std::string& sep = args[1]->as_text();
      std::string out;
      bool first = true;
      for (const auto& el : *elems) {
        if (!el && n < 3) continue;
        if (!first) out += sep;
        first = false;
        out += el ? *el : args[2]->as_text();
      }
      return Value::Text(std::move(out));
    }
    case Func::kStringToArray: {
      const std::string& s = args[0]->as_text();
      const std::string& sep = args[1]->as_text();
      ArrayElems out;
      if (s.empty()) return Value::Text("{}");
      if (sep.empty()) {
        out.push_back(s);
      } else {
        size_t start = 0;
        for (;;) {
          size_t k = s.find(sep, start);
          out.push_back(s.substr(start, k == std::string::npos ? std::string::npos : k - start));
          if (k == std::string::npos) break;
          start = k + sep.size();
        }
      }
      if (n == 3)
        for (auto& el : out)
          if (el && *el == args[2]->as_text()) el.reset();
      return Value::Text(FormatArray(out));
    }
    default: break;
  }
  return Value::Null();
}

Value EvalArrayFuncNonStrict(const Expr& e, const Value* row) {
  if (e.func == Func::kArrayConstruct) {
    ArrayElems out;
    for (const auto& c : e.children) {
      Value v = Eval(*c, row);
      if (v.is_null()) {
        out.push_back(std::nullopt);
      } else {
        out.push_back(ElemText(v, c->type));
      }
    }
    return Value::Text(FormatArray(out));
  }
  if (e.func == Func::kArrayCat) {
    Value a = Eval(*e.children[0], row), b = Eval(*e.children[1], row);
    if (a.is_null() && b.is_null()) return Value::Null();
    ArrayElems out;
    for (const Value* v : {&a, &b}) {
      if (v->is_null()) continue;
      auto elems = Elems(*v);
      if (!elems) return Value::Null();
      for (auto& el : *elems) out.push_back(std::move(el));
    }
    return Value::Text(FormatArray(out));
  }
  // x op ANY (arr) / x op ALL (arr): PostgreSQL's three-valued result. ANY: true when some
  // element satisfies op, else NULL when x or some element is NULL, else false. ALL: false when
  // some element fails, else NULL when a NULL was seen, else true. An empty array: false / true.
  Value arr = Eval(*e.children[1], row);
  if (arr.is_null()) return Value::Null();
  auto elems = Elems(arr);
  if (!elems) return Value::Null();
  bool any = e.func == Func::kArrayAny;
  if (elems->empty()) return Value::Bool(!any);
  Value x = Eval(*e.children[0], row);
  if (x.is_null()) return Value::Null();
  Type t = e.children[0]->type;
  bool saw_null = false;
  for (const auto& el : *elems) {
    if (!el) {
      saw_null = true;
      continue;
    }
    Value v = t == Type::kText ? Value::Text(*el) : CastFromTextValue(*el, t);
    if (v.is_null()) return Value::Null();  // the element does not read as t: the error is recorded
    bool holds = CompareHoldsOp(e.op, Value::Compare(x, v));
    if (any && holds) return Value::Bool(true);
    if (!any && !holds) return Value::Bool(false);
  }
  if (saw_null) return Value::Null();
  return Value::Bool(!any);
}

}  // namespace laminar::sql::internal
