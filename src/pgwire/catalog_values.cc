// The values and type facts of the pg_catalog emulation (see catalog_values.h).
#include "pgwire/catalog_values.h"

#include "sql/array.h"

#include <charconv>
#include <cmath>

#include "common/types.h"

namespace laminar::pgwire::pgcat {

const std::vector<TypeInfo>& Types() {
  // oid, typname, format_type, len, byval, align, storage, category, preferred, array, elem,
  // collation, typtype, typinput, typoutput.
  static const std::vector<TypeInfo> kTypes = {
      {kOidBool, "bool", "boolean", 1, true, 'c', 'p', 'B', true, kOidBoolArray, 0, 0, 'b', "boolin", "boolout"},
      {kOidChar, "char", "\"char\"", 1, true, 'c', 'p', 'Z', false, kOidCharArray, 0, 0, 'b', "charin", "charout"},
      {kOidName, "name", "name", 64, false, 'c', 'p', 'S', false, kOidNameArray, 0, 950, 'b', "namein", "nameout"},
      {kOidInt8, "int8", "bigint", 8, true, 'd', 'p', 'N', false, kOidInt8Array, 0, 0, 'b', "int8in", "int8out"},
      {kOidInt2, "int2", "smallint", 2, true, 's', 'p', 'N', false, kOidInt2Array, 0, 0, 'b', "int2in", "int2out"},
      {kOidInt4, "int4", "integer", 4, true, 'i', 'p', 'N', false, kOidInt4Array, 0, 0, 'b', "int4in", "int4out"},
      {kOidText, "text", "text", -1, false, 'i', 'x', 'S', true, kOidTextArray, 0, 100, 'b', "textin", "textout"},
      {kOidOid, "oid", "oid", 4, true, 'i', 'p', 'N', false, kOidOidArray, 0, 0, 'b', "oidin", "oidout"},
      {kOidFloat4, "float4", "real", 4, true, 'i', 'p', 'N', false, kOidFloat4Array, 0, 0, 'b', "float4in", "float4out"},
      {kOidFloat8, "float8", "double precision", 8, true, 'd', 'p', 'N', true, kOidFloat8Array, 0, 0, 'b', "float8in",
       "float8out"},
      {kOidUnknown, "unknown", "unknown", -2, false, 'c', 'p', 'X', false, 0, 0, 0, 'p', "unknownin", "unknownout"},
      {kOidVarchar, "varchar", "character varying", -1, false, 'i', 'x', 'S', false, kOidVarcharArray, 0, 100, 'b',
       "varcharin", "varcharout"},
      {kOidTimestamp, "timestamp", "timestamp without time zone", 8, true, 'd', 'p', 'D', false, kOidTimestampArray, 0,
       0, 'b', "timestamp_in", "timestamp_out"},
      {kOidTimestamptz, "timestamptz", "timestamp with time zone", 8, true, 'd', 'p', 'D', true, kOidTimestamptzArray,
       0, 0, 'b', "timestamptz_in", "timestamptz_out"},
      {kOidDate, "date", "date", 4, true, 'i', 'p', 'D', false, kOidDateArray, 0, 0, 'b', "date_in", "date_out"},
      {kOidVoid, "void", "void", 4, true, 'i', 'p', 'P', false, 0, 0, 0, 'p', "void_in", "void_out"},
      // Their array types.
      {kOidBoolArray, "_bool", "boolean[]", -1, false, 'i', 'x', 'A', false, 0, kOidBool, 0, 'b', "array_in", "array_out"},
      {kOidCharArray, "_char", "\"char\"[]", -1, false, 'i', 'x', 'A', false, 0, kOidChar, 0, 'b', "array_in", "array_out"},
      {kOidNameArray, "_name", "name[]", -1, false, 'i', 'x', 'A', false, 0, kOidName, 950, 'b', "array_in", "array_out"},
      {kOidInt8Array, "_int8", "bigint[]", -1, false, 'd', 'x', 'A', false, 0, kOidInt8, 0, 'b', "array_in", "array_out"},
      {kOidInt2Array, "_int2", "smallint[]", -1, false, 'i', 'x', 'A', false, 0, kOidInt2, 0, 'b', "array_in", "array_out"},
      {kOidInt4Array, "_int4", "integer[]", -1, false, 'i', 'x', 'A', false, 0, kOidInt4, 0, 'b', "array_in", "array_out"},
      {kOidTextArray, "_text", "text[]", -1, false, 'i', 'x', 'A', false, 0, kOidText, 100, 'b', "array_in", "array_out"},
      {kOidOidArray, "_oid", "oid[]", -1, false, 'i', 'x', 'A', false, 0, kOidOid, 0, 'b', "array_in", "array_out"},
      {kOidFloat4Array, "_float4", "real[]", -1, false, 'i', 'x', 'A', false, 0, kOidFloat4, 0, 'b', "array_in",
       "array_out"},
      {kOidFloat8Array, "_float8", "double precision[]", -1, false, 'd', 'x', 'A', false, 0, kOidFloat8, 0, 'b',
       "array_in", "array_out"},
      {kOidVarcharArray, "_varchar", "character varying[]", -1, false, 'i', 'x', 'A', false, 0, kOidVarchar, 100, 'b',
       "array_in", "array_out"},
      {kOidTimestampArray, "_timestamp", "timestamp without time zone[]", -1, false, 'd', 'x', 'A', false, 0,
       kOidTimestamp, 0, 'b', "array_in", "array_out"},
      {kOidTimestamptzArray, "_timestamptz", "timestamp with time zone[]", -1, false, 'd', 'x', 'A', false, 0,
       kOidTimestamptz, 0, 'b', "array_in", "array_out"},
      {kOidDateArray, "_date", "date[]", -1, false, 'i', 'x', 'A', false, 0, kOidDate, 0, 'b', "array_in", "array_out"},
  };
  return kTypes;
}

const TypeInfo* FindType(uint32_t oid) {
  for (const TypeInfo& t : Types())
    if (t.oid == oid) return &t;
  return nullptr;
}

std::string FormatTypeName(uint32_t oid) {
  if (const TypeInfo* t = FindType(oid)) return t->formatted;
  switch (oid) {
    case kOidBpchar: return "character";
    case kOidNumeric: return "numeric";
    case kOidRegclass: return "regclass";
    case kOidRegtype: return "regtype";
    case kOidRegnamespace: return "regnamespace";
    case kOidRegproc: return "regproc";
    case kOidAclArray: return "aclitem[]";
    case kOidInt2Vector: return "int2vector";
    case kOidOidVector: return "oidvector";
    case kOidNodeTree: return "pg_node_tree";
  }
  return "???";
}

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

namespace {
// The functions typinput/typoutput name, with their PostgreSQL oids.
struct BuiltinProc {
  uint32_t oid;
  const char* name;
};
constexpr BuiltinProc kProcs[] = {
    {1242, "boolin"}, {1243, "boolout"}, {1245, "charin"}, {33, "charout"}, {34, "namein"}, {35, "nameout"},
    {460, "int8in"}, {461, "int8out"}, {38, "int2in"}, {39, "int2out"}, {42, "int4in"}, {43, "int4out"},
    {46, "textin"}, {47, "textout"}, {1798, "oidin"}, {1799, "oidout"}, {200, "float4in"}, {201, "float4out"},
    {214, "float8in"}, {215, "float8out"}, {109, "unknownin"}, {110, "unknownout"}, {1046, "varcharin"},
    {1047, "varcharout"}, {1312, "timestamp_in"}, {1313, "timestamp_out"}, {1150, "timestamptz_in"},
    {1151, "timestamptz_out"}, {1084, "date_in"}, {1085, "date_out"}, {2298, "void_in"}, {2299, "void_out"},
    {750, "array_in"}, {751, "array_out"},
};
}  // namespace

std::optional<uint32_t> BuiltinProcOid(std::string_view name) {
  for (const BuiltinProc& p : kProcs)
    if (name == p.name) return p.oid;
  return std::nullopt;
}

const char* BuiltinProcName(uint32_t oid) {
  for (const BuiltinProc& p : kProcs)
    if (oid == p.oid) return p.name;
  return nullptr;
}

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
