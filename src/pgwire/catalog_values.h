// Internal to the pg_catalog emulation (pg_catalog.h): the SQL values of its interpreter and the
// PostgreSQL type facts it reports. Not for use outside src/pgwire/catalog_*.cc and pg_catalog.cc.
//
// A Datum is a typed SQL value; its type OID's category (CatOf) says which field holds it.
// Text conversion (ToText) and input parsing (ParseInt, ParseFloat, ParseBool, ParseArrayText)
// follow PostgreSQL's text formats; parse errors are InvalidArgument with PostgreSQL's wording
// (`invalid input syntax for type integer: "x"`) and ErrorCode::kInvalidTextRepresentation
// (22P02).
//
// Thread safety: the type table is immutable; everything else is plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pgwire/message.h"
#include "pgwire/pg_catalog.h"
#include "sql/pg_types.h"

namespace laminar::pgwire::pgcat {

// Type OIDs beyond message.h's (which has bool, int2, int4, int8, text, float4, float8,
// varchar, timestamptz) and pg_catalog.h's (void).
constexpr uint32_t kOidChar = 18, kOidName = 19, kOidInt2Vector = 22, kOidRegproc = 24, kOidOid = 26,
                   kOidOidVector = 30, kOidNodeTree = 194, kOidUnknown = 705, kOidBpchar = 1042,
                   kOidTimestamp = 1114, kOidNumeric = 1700, kOidRegclass = 2205, kOidRegtype = 2206,
                   kOidRegnamespace = 4089, kOidBoolArray = 1000, kOidCharArray = 1002,
                   kOidNameArray = 1003, kOidInt2Array = 1005, kOidInt4Array = 1007, kOidTextArray = 1009,
                   kOidVarcharArray = 1015, kOidInt8Array = 1016, kOidFloat4Array = 1021, kOidFloat8Array = 1022,
                   kOidOidArray = 1028, kOidAclArray = 1034, kOidTimestampArray = 1115,
                   kOidTimestamptzArray = 1185, kOidDateArray = 1182;

// The facts of one type the catalog reports (pg_type rows, pg_attribute details, format_type).
using TypeInfo = sql::pg::TypeInfo;

// Every type of pg_type: the column types of Laminar's relations, the catalog's own types and
// their array types.
const std::vector<TypeInfo>& Types();
const TypeInfo* FindType(uint32_t oid);
// format_type(oid, NULL) for the types clients may meet; "???" (as PostgreSQL) for the others.
std::string FormatTypeName(uint32_t oid);

enum class Cat { kBool, kInt, kFloat, kText, kArray, kOther };
// The storage category of a type: which Datum field holds its values.
Cat CatOf(uint32_t oid);
bool IsRegType(uint32_t oid);  // regclass, regtype, regnamespace, regproc
// An array type's element type (int2vector: int2, oidvector: oid); 0 when not an array.
uint32_t ElementType(uint32_t array_oid);
// The array type of an element type; 0 when there is none.
uint32_t ArrayTypeOf(uint32_t elem_oid);
// The lower bound of an array's subscripts: 0 for int2vector and oidvector, 1 otherwise.
int LowerBound(uint32_t array_oid);

// The functions named by pg_type's typinput/typoutput, which regproc values name: oid by name
// and name by oid. pg_proc lists none of them (it lists no system functions).
std::optional<uint32_t> BuiltinProcOid(std::string_view name);
const char* BuiltinProcName(uint32_t oid);

// A SQL value. Bool and integers (and reg* oids, with their display name in s) in i, floats and
// numeric in f, text-like in s, arrays in elems (each element's text, nullopt for NULL).
struct Datum {
  uint32_t type = kOidUnknown;
  bool null = true;
  int64_t i = 0;
  double f = 0;
  std::string s;
  std::vector<std::optional<std::string>> elems;
};

Datum Null(uint32_t type = kOidUnknown);
Datum Bool(bool b);
Datum Int(int64_t v, uint32_t type = kOidInt4);
Datum Float(double v, uint32_t type = kOidFloat8);
Datum Text(std::string s, uint32_t type = kOidText);
Datum Reg(int64_t oid, std::string display, uint32_t type);
Datum Array(std::vector<std::optional<std::string>> elems, uint32_t type);
inline Datum Oid(int64_t v) { return Int(v, kOidOid); }
inline Datum Name(std::string s) { return Text(std::move(s), kOidName); }
inline Datum Char(char c) { return Text(c ? std::string(1, c) : std::string(), kOidChar); }
inline Datum I2(int64_t v) { return Int(v, kOidInt2); }

// PostgreSQL's text form of a value; nullopt for NULL.
std::optional<std::string> ToText(const Datum& d);
// An array's text form: {a,"b c",NULL}.
std::string ArrayText(const std::vector<std::optional<std::string>>& elems);
// Parses a one-dimensional array literal ('{a,"b c",NULL}'); InvalidArgument naming the text
// when malformed, Unimplemented for several dimensions or explicit bounds.
Result<std::vector<std::optional<std::string>>> ParseArrayText(std::string_view text);

std::string Lower(std::string_view s);
std::string_view TrimSpace(std::string_view s);
Result<int64_t> ParseInt(std::string_view text, uint32_t type);
Result<double> ParseFloat(std::string_view text, uint32_t type);
Result<bool> ParseBool(std::string_view text);
// quote_ident(): the name, double-quoted unless it is a plain lower-case identifier.
std::string QuoteIdent(const std::string& s);

}  // namespace laminar::pgwire::pgcat
