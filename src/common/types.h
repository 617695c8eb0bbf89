// Laminar's column types and a dynamically typed scalar Value.
//
// Types are the five of DESIGN.md: boolean, bigint, double precision, text, timestamptz — the
// types of stream columns — and date, a query-time type only (`ts::date`, `date '2024-01-08'`,
// CURRENT_DATE): no stream column, view state or lake file holds one.
// A timestamptz is microseconds since the Unix epoch, UTC (int64), as in PostgreSQL; a date is
// days since 1970-01-01 (int64).
// Thread safety: values; copy freely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace laminar {

enum class Type : uint8_t { kBool = 0, kInt64 = 1, kDouble = 2, kText = 3, kTimestamp = 4, kDate = 5 };

// SQL name as PostgreSQL prints it: "boolean", "bigint", "double precision", "text",
// "timestamp with time zone", "date".
const char* TypeName(Type t);
// Short name used in JSON descriptions: "boolean", "bigint", "double", "text", "timestamptz",
// "date".
const char* TypeShortName(Type t);
// Parses a PostgreSQL type name as libpg_query spells it ("int8", "float8", "timestamptz",
// "bool", "text", "varchar", "int4", "date", ...). Returns nullopt for an unsupported type.
std::optional<Type> TypeFromSqlName(std::string_view name);

// A nullable scalar. Bool, Int64, Timestamp and Date share the int64 slot; which one is meant is
// the column's Type, kept beside the Value by whoever owns it.
class Value {
 public:
  Value() = default;  // NULL
  static Value Null() { return Value(); }
  static Value Bool(bool b) { return Value(Type::kBool, int64_t{b}); }
  static Value Int(int64_t i) { return Value(Type::kInt64, i); }
  static Value Timestamp(int64_t micros) { return Value(Type::kTimestamp, micros); }
  static Value Date(int64_t days) { return Value(Type::kDate, days); }
  static Value Double(double d) { Value v; v.type_ = Type::kDouble; v.v_ = d; return v; }
  static Value Text(std::string s) { Value v; v.type_ = Type::kText; v.v_ = std::move(s); return v; }

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  Type type() const { return type_; }  // meaningless when is_null()
  bool as_bool() const { return std::get<int64_t>(v_) != 0; }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  double as_double() const { return std::get<double>(v_); }
  const std::string& as_text() const { return std::get<std::string>(v_); }
  // Numeric value as a double (bigint or double); REQUIRES: numeric and not null.
  double numeric() const { return type_ == Type::kDouble ? as_double() : double(as_int()); }

  // Total order used by ORDER BY and min/max: NULL sorts last (as PostgreSQL ASC);
  // bigint and double compare numerically.
  static int Compare(const Value& a, const Value& b);
  bool operator==(const Value& o) const { return Compare(*this, o) == 0 && is_null() == o.is_null(); }

  // Text form: ISO-8601 with zone for timestamps, "2024-01-08" for dates, "true"/"false",
  // shortest round-trip doubles.
  std::string ToString() const;

 private:
  Value(Type t, int64_t i) : type_(t), v_(i) {}
  Type type_ = Type::kInt64;
  std::variant<std::monostate, int64_t, double, std::string> v_;
};

}  // namespace laminar
