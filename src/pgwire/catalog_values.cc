// The values and type facts of the pg_catalog emulation (see catalog_values.h).
#include "pgwire/catalog_values.h"

#include "sql/array.h"
#include "sql/pg_types.h"

#include <charconv>
#include <cmath>

#include "common/types.h"

namespace laminar::pgwire::pgcat {

const std::vector<TypeInfo>& Types() { return sql::pg::Types(); }

const TypeInfo* FindType(uint32_t oid) {
  for (const TypeInfo& t : Types())
    if (t.oid == oid) return &t;
  return nullptr;
}

std::string FormatTypeName(uint32_t oid) { return sql::pg::FormatType(oid); }

Cat CatOf(uint32_t oid) {
  switch (oid) {
    case kOidBool: return Cat::kBool;
    case kOidInt2: case kOidInt4: case kOidInt8: case kOidOid: case kOidRegclass: case kOidRegtype:
    case kOidRegnamespace: case kOidRegproc: return Cat::kInt;
    case kOidFloat4: case kOidFloat8: case kOidNumeric: return Cat::kFloat;
    case kOidChar: case kOidName: case kOidText: case kOidUnknown: case kOidBpchar: case kOidVarchar:
    case kOidVoid: case kOidNodeTree: return Cat::kText;
    case kOidAclArray: case kOidInt2Vector: case kOidOidVector: return Cat::kArray;
  }
  if (ElementType(oid)) return Cat::kArray;
  return Cat::kOther;
}

bool IsRegType(uint32_t oid) {
  return oid == kOidRegclass || oid == kOidRegtype || oid == kOidRegnamespace || oid == kOidRegproc;
}

uint32_t ElementType(uint32_t array_oid) {
  if (array_oid == kOidInt2Vector) return kOidInt2;
  if (array_oid == kOidOidVector) return kOidOid;
  if (array_oid == kOidAclArray) return kOidText;  // aclitem: shown as text
  const TypeInfo* t = FindType(array_oid);
  return t ? t->elem : 0;
}

uint32_t ArrayTypeOf(uint32_t elem_oid) {
  const TypeInfo* t = FindType(elem_oid);
  return t ? t->array_oid : 0;
}

int LowerBound(uint32_t array_oid) { return array_oid == kOidInt2Vector || array_oid == kOidOidVector ? 0 : 1; }

std::optional<uint32_t> BuiltinProcOid(std::string_view name) {
  auto oid = sql::pg::ProcOid(name);
  if (!oid) return std::nullopt;
  return uint32_t(*oid);
}

const char* BuiltinProcName(uint32_t oid) { return sql::pg::ProcName(oid); }

Datum Null(uint32_t type) {
  Datum d;
  d.type = type;
  return d;
}
Datum Int(int64_t v, uint32_t type) {
  Datum d;
  d.type = type;
  d.null = false;
  d.i = v;
  return d;
}
Datum Bool(bool b) { return Int(b ? 1 : 0, kOidBool); }
Datum Float(double v, uint32_t type) {
  Datum d;
  d.type = type;
  d.null = false;
  d.f = v;
  return d;
}
Datum Text(std::string s, uint32_t type) {
  Datum d;
  d.type = type;
  d.null = false;
  d.s = std::move(s);
  return d;
}
Datum Reg(int64_t oid, std::string display, uint32_t type) {
  Datum d = Int(oid, type);
  d.s = std::move(display);
  return d;
}
Datum Array(std::vector<std::optional<std::string>> elems, uint32_t type) {
  Datum d;
  d.type = type;
  d.null = false;
  d.elems = std::move(elems);
  return d;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(uint8_t(c)));
  return out;
}

std::string ArrayText(const std::vector<std::optional<std::string>>& elems) { return sql::FormatArray(elems); }

Result<std::vector<std::optional<std::string>>> ParseArrayText(std::string_view text) { return sql::ParseArray(text); }

std::optional<std::string> ToText(const Datum& d) {
  if (d.null) return std::nullopt;
  switch (CatOf(d.type)) {
    case Cat::kBool: return std::string(d.i ? "t" : "f");
    case Cat::kInt: return IsRegType(d.type) ? d.s : std::to_string(d.i);
    case Cat::kFloat: return EncodeText(Value::Double(d.f), Type::kDouble);
    case Cat::kArray:
      if (d.type == kOidInt2Vector || d.type == kOidOidVector) {  // space-separated, no braces
        std::string out;
        for (const auto& e : d.elems) out += (out.empty() ? "" : " ") + e.value_or("");
        return out;
      }
      return ArrayText(d.elems);
    default: return d.s;
  }
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && std::isspace(uint8_t(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(uint8_t(s.back()))) s.remove_suffix(1);
  return s;
}

Result<int64_t> ParseInt(std::string_view text, uint32_t type) {
  std::string_view t = TrimSpace(text);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size())
    return InvalidArgument(ErrorCode::kInvalidTextRepresentation,
                           "invalid input syntax for type {}: \"{}\"", FormatTypeName(type), text);
  if ((type == kOidInt4 && (v < INT32_MIN || v > INT32_MAX)) || (type == kOidInt2 && (v < INT16_MIN || v > INT16_MAX)) ||
      (type == kOidOid && (v < INT32_MIN || v > int64_t(UINT32_MAX))))
    return InvalidArgument(ErrorCode::kNumericValueOutOfRange,
                           "value \"{}\" is out of range for type {}", text, FormatTypeName(type));
  if (type == kOidOid && v < 0) v += int64_t(1) << 32;  // oid input accepts negative int4 values
  return v;
}

Result<double> ParseFloat(std::string_view text, uint32_t type) {
  std::string t(TrimSpace(text));
  std::string l = Lower(t);
  if (l == "nan") return std::nan("");
  if (l == "infinity" || l == "+infinity" || l == "inf") return HUGE_VAL;
  if (l == "-infinity" || l == "-inf") return -HUGE_VAL;
  double v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size())
    return InvalidArgument(ErrorCode::kInvalidTextRepresentation,
                           "invalid input syntax for type {}: \"{}\"", FormatTypeName(type), text);
  return v;
}

Result<bool> ParseBool(std::string_view text) {
  std::string l = Lower(TrimSpace(text));
  for (const char* t : {"t", "true", "yes", "on", "1", "y"})
    if (l == t) return true;
  for (const char* f : {"f", "false", "no", "off", "0", "n"})
    if (l == f) return false;
  return InvalidArgument(ErrorCode::kInvalidTextRepresentation, "invalid input syntax for type boolean: \"{}\"", text);
}

std::string QuoteIdent(const std::string& s) {
  bool plain = !s.empty() && (std::islower(uint8_t(s[0])) || s[0] == '_');
  for (char c : s) plain = plain && (std::islower(uint8_t(c)) || std::isdigit(uint8_t(c)) || c == '_');
  if (plain) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace laminar::pgwire::pgcat
