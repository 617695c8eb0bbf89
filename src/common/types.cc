#include "common/types.h"

#include <fmt/format.h>

#include <cmath>

#include "common/time_util.h"

namespace laminar {

const char* TypeName(Type t) {
  switch (t) {
    case Type::kBool: return "boolean";
    case Type::kInt64: return "bigint";
    case Type::kDouble: return "double precision";
    case Type::kText: return "text";
    case Type::kTimestamp: return "timestamp with time zone";
    case Type::kDate: return "date";
  }
  return "?";
}

const char* TypeShortName(Type t) {
  switch (t) {
    case Type::kBool: return "boolean";
    case Type::kInt64: return "bigint";
    case Type::kDouble: return "double";
    case Type::kText: return "text";
    case Type::kTimestamp: return "timestamptz";
    case Type::kDate: return "date";
  }
  return "?";
}

std::optional<Type> TypeFromSqlName(std::string_view n) {
  if (n == "bool" || n == "boolean") return Type::kBool;
  if (n == "int8" || n == "bigint" || n == "int4" || n == "int" || n == "integer" ||
      n == "int2" || n == "smallint")
    return Type::kInt64;
  if (n == "float8" || n == "float4" || n == "double" || n == "real" || n == "numeric" ||
      n == "double precision")
    return Type::kDouble;
  if (n == "text" || n == "varchar" || n == "bpchar" || n == "char" || n == "string")
    return Type::kText;
  if (n == "timestamptz" || n == "timestamp" || n == "timestamp with time zone")
    return Type::kTimestamp;
  if (n == "date") return Type::kDate;
  return std::nullopt;
}

int Value::Compare(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return int(a.is_null()) - int(b.is_null());
  bool an = a.type_ == Type::kDouble, bn = b.type_ == Type::kDouble;
  if (a.type_ == Type::kText || b.type_ == Type::kText) {
    if (a.type_ != b.type_) return a.type_ == Type::kText ? 1 : -1;
    int c = a.as_text().compare(b.as_text());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (an || bn) {
    double x = a.numeric(), y = b.numeric();
    // NaN sorts above every number, as in PostgreSQL.
    if (std::isnan(x) || std::isnan(y)) return int(std::isnan(x)) - int(std::isnan(y));
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  int64_t x = a.as_int(), y = b.as_int();
  return x < y ? -1 : (x > y ? 1 : 0);
}

std::string Value::ToString() const {
  if (is_null()) return "";
  switch (type_) {
    case Type::kBool: return as_bool() ? "true" : "false";
    case Type::kInt64: return std::to_string(as_int());
    case Type::kDouble: {
      double d = as_double();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return fmt::format("{}", d);
    }
    case Type::kText: return as_text();
    case Type::kTimestamp: return FormatTimestamp(as_int());
    case Type::kDate: return FormatDate(as_int());
  }
  return "";
}

}  // namespace laminar
