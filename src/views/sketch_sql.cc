#include "views/sketch_sql.h"

#include <cmath>

#include "sql/binder.h"

namespace laminar::views {

Result<double> BindQuantileArg(const nlohmann::json& arg, std::string_view fn) {
  if (arg.contains("A_ArrayExpr") ||
      (arg.contains("TypeCast") && arg["TypeCast"].contains("arg") && arg["TypeCast"]["arg"].contains("A_ArrayExpr")))
    return Unimplemented("{}(col, ARRAY[...]) with several quantiles is not supported yet: use one {}(col, q) per quantile",
                         fn, fn);
  auto v = sql::ConstValue(arg);
  if (!v.ok() || v->is_null() || (v->type() != Type::kDouble && v->type() != Type::kInt64))
    return InvalidArgument("the second argument of {} must be a numeric constant between 0 and 1", fn);
  double q = v->type() == Type::kDouble ? v->as_double() : static_cast<double>(v->as_int());
  if (!(q >= 0 && q <= 1))
    return InvalidArgument("the quantile of {} must be between 0 and 1, got {}", fn, v->ToString());
  return q;
}

}  // namespace laminar::views
