// PostgreSQL's facts that clients read from the system catalog, as Laminar reports them: the
// types of pg_type (Laminar's column types, the catalog's own types and their array types), the
// built-in functions pg_type names (typinput/typoutput), the oids of the system catalogs, of the
// schemas and of the owner role, and the oid of each Laminar type. The engine's system tables
// (serving/system_tables.h) and the catalog functions (format_type, ::regtype, ...) read them.
//
// Thread safety: immutable tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/types.h"

namespace laminar::sql::pg {

// Fixed object ids.
constexpr int64_t kCatalogNamespaceOid = 11;      // pg_catalog
constexpr int64_t kPublicNamespaceOid = 2200;     // public
constexpr int64_t kInfoSchemaNamespaceOid = 13000;  // information_schema (Laminar's choice)
constexpr int64_t kOwnerRoleOid = 10;             // role "laminar", owner of everything
constexpr int64_t kDatabaseOid = 16384;
constexpr int64_t kFirstRelationOid = 16385;
constexpr const char* kOwnerRoleName = "laminar";
// version()'s answer.
constexpr const char* kVersionString = "PostgreSQL 16.0 (Laminar 0.1.0) on x86_64-pc-linux-gnu";

// One type of pg_type.
struct TypeInfo {
  int64_t oid;
  const char* typname;
  const char* formatted;  // format_type()
  int len;
  bool byval;
  char align, storage, category;
  bool preferred;
  int64_t array_oid;  // its array type (0: none)
  int64_t elem;       // an array type's element type (0: not an array)
  int64_t collation;
  char typtype;
  const char* input;   // typinput, a function name
  const char* output;  // typoutput
};

const std::vector<TypeInfo>& Types();
const TypeInfo* FindType(int64_t oid);
const TypeInfo* FindTypeByName(std::string_view typname);
// The pg_type oid of a Laminar type (bigint 20, text 25, ...).
int64_t TypeOid(Type t);
// format_type(oid, NULL): the types of Types() and of OtherTypeNames(); "???" (as PostgreSQL) for
// others.
std::string FormatType(int64_t oid);
// The types clients may name that pg_type does not list (numeric, the reg* types, ...):
// (oid, format_type's name).
const std::vector<std::pair<int64_t, const char*>>& OtherTypeNames();
// The built-in functions pg_type names: oid by name, name by oid.
std::optional<int64_t> ProcOid(std::string_view name);
const char* ProcName(int64_t oid);
// PostgreSQL's oids of its system catalogs ('pg_class'::regclass is 1259).
struct SystemRelation {
  const char* name;
  int64_t oid;
};
const std::vector<SystemRelation>& SystemRelations();
// The schemas: (oid, name).
const std::vector<std::pair<int64_t, const char*>>& Namespaces();

// PostgreSQL 15's SQL keywords, as pg_get_keywords() lists them, read from the grammar's keyword
// table that libpg_query carries: the word, its category code (U unreserved, C unreserved but
// not a function or type name, T reserved but a function or type name, R reserved) and the
// category's description.
struct Keyword {
  std::string word;
  char catcode;
  const char* catdesc;
};
const std::vector<Keyword>& Keywords();

}  // namespace laminar::sql::pg
