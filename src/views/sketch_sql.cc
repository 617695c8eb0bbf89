#include "views/sketch_sql.h"

#include <cmath>

#include "sql/binder.h"

namespace laminar::views {

Result<double> BindQuantileArg(const nlohmann::json& arg, std::string_view fn) {
  auto v = sql::ConstValue(arg);
  if (!v.ok() || v->is_null() || (v->type() != Type::kDouble && v->type() != Type::kInt64))
    return InvalidArgument(ErrorCode::kInvalidParameterValue,
                           "the quantile of {} must be a numeric constant between 0 and 1 (or an ARRAY of them)", fn);
  double q = v->type() == Type::kDouble ? v->as_double() : static_cast<double>(v->as_int());
  if (!(q >= 0 && q <= 1))
    return InvalidArgument(ErrorCode::kNumericValueOutOfRange,
                           "the quantile of {} must be between 0 and 1, got {}", fn, v->ToString());
  return q;
}

Result<std::vector<double>> BindQuantiles(const nlohmann::json& arg, std::string_view fn, bool* is_array) {
  const nlohmann::json* a = &arg;
  if (a->contains("TypeCast") && (*a)["TypeCast"].contains("arg") && (*a)["TypeCast"]["arg"].contains("A_ArrayExpr"))
    a = &(*a)["TypeCast"]["arg"];
  std::vector<double> out;
  *is_array = a->contains("A_ArrayExpr");
  if (!*is_array) {
    ASSIGN_OR_RETURN(double q, BindQuantileArg(*a, fn));
    out.push_back(q);
    return out;
  }
  const nlohmann::json& elems = (*a)["A_ArrayExpr"].contains("elements") ? (*a)["A_ArrayExpr"]["elements"] : nlohmann::json::array();
  if (elems.empty()) return InvalidArgument("{}: the array of quantiles is empty", fn);
  if (elems.size() > 1000) return InvalidArgument(ErrorCode::kProgramLimitExceeded, "{}: at most 1000 quantiles", fn);
  for (const auto& e : elems) {
    if (e.contains("A_ArrayExpr")) return InvalidArgument("{}: the quantiles must be a one-dimensional array", fn);
    ASSIGN_OR_RETURN(double q, BindQuantileArg(e, fn));
    out.push_back(q);
  }
  return out;
}

std::string ArrayText(const std::vector<Value>& values) {
  std::string s = "{";
  for (size_t i = 0; i < values.size(); i++) {
    if (i) s += ',';
    s += values[i].is_null() ? "NULL" : values[i].ToString();
  }
  return s + "}";
}

}  // namespace laminar::views
