// Internal to the pg_catalog emulation (pg_catalog.h): the virtual tables of pg_catalog and
// information_schema, built from a catalog::Snapshot. Not for use outside src/pgwire/catalog_*.cc
// and pg_catalog.cc.
//
// What they promise: every relation of the snapshot (streams and dimension tables as relkind
// 'r', materialized views as 'm') in schema public with the oid RelationOid gives it; columns,
// types and nullability as the snapshot defines them; PostgreSQL's column names and types for
// every table listed by IsVirtualTable, and, for the tables describing things Laminar does not
// have (indexes, constraints, functions, ...), no rows. Table definitions are checked when built:
// a value of the wrong type for its column is a programming error and aborts.
//
// Thread safety: pure functions; a VTable is a value owned by its caller.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "pgwire/catalog_values.h"
#include "pgwire/pg_catalog.h"

namespace laminar::pgwire::pgcat {

// information_schema's namespace oid (Laminar's choice: PostgreSQL's depends on the release).
constexpr uint32_t kInfoSchemaNamespaceOid = 13000;

struct RelColumn {
  std::string name;
  Type type;
  bool not_null;
};

// A relation of the snapshot.
struct RelInfo {
  std::string name;
  char kind = 'r';  // 'r' stream or dimension table, 'm' materialized view
  uint32_t oid = 0;
  std::vector<RelColumn> cols;
  const views::ViewDef* view = nullptr;
  std::string view_select;  // a view's SELECT (pg_get_viewdef), as the engine's catalog gives it
};

// Every relation with its oid (RelationOid's rule), in name order.
std::vector<RelInfo> Relations(const catalog::Snapshot& snap);

// A table: named, typed columns and rows of Datums (each of its column's type or NULL).
struct VTable {
  std::string name;
  std::vector<CatalogColumn> cols;
  std::vector<std::vector<Datum>> rows;

  int Find(std::string_view col) const;
};

// True when `schema` ("pg_catalog" or "information_schema") has a virtual table `name`.
bool IsVirtualTable(std::string_view schema, std::string_view name);
// The table's rows for the snapshot's relations and the session. REQUIRES: IsVirtualTable.
std::unique_ptr<VTable> BuildTable(std::string_view schema, std::string_view name, const std::vector<RelInfo>& rels,
                                   const CatalogContext& ctx);
// PostgreSQL's oid of system catalog `name` of pg_catalog ('pg_class'::regclass is 1259);
// nullopt for the catalog views (pg_roles, pg_tables, ...), whose oids depend on the release.
std::optional<uint32_t> SystemRelationOid(std::string_view name);
const char* SystemRelationName(uint32_t oid);

}  // namespace laminar::pgwire::pgcat
