// Internal to catalog/ (and engine/dimension.cc, for COPY's table name): turning parsed DDL into
// catalog objects. Pure functions over a parse tree
// and a snapshot; the Catalog class (catalog.cc) sequences them, persists and publishes.
//
// Errors name the construct: InvalidArgument for wrong input (`relation "pv" already exists` is
// AlreadyExists, a missing relation NotFound), Unimplemented for valid PostgreSQL that Laminar
// does not support (`JOIN is not supported in a materialized view ...`).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "catalog/catalog.h"
#include "common/status.h"
#include "ingest/schema.h"
#include "sql/ast_ddl.h"
#include "sql/parser.h"
#include "views/view_def.h"

namespace laminar::catalog::internal {

// A stream or view name must be a plain lower-case identifier ([a-z_][a-z0-9_]*, at most 63
// bytes): it names directories in the data directory and the lake. `what` is "stream"/"view"/"table".
Status CheckObjectName(const std::string& name, const char* what);

// The name of a relation as written; the schema may only be absent or "public"; TEMPORARY and
// UNLOGGED relations are refused. The JSON overload takes a RangeVar node (transformed first).
Result<std::string> RelationName(const sql::ast::RangeName& relation);
Result<std::string> RelationName(const nlohmann::json& range_var);

// Role statements (roles.cc): CREATE/ALTER ROLE or USER, DROP ROLE or USER, GRANT/REVOKE.
Status ApplyRole(const sql::Statement& stmt, Snapshot* s, Change* change);
Status DropRole(const sql::Statement& stmt, Snapshot* s, Change* change);
Status Grant(const sql::Statement& stmt, Snapshot* s, Change* change);

// The name of a DROP object as written (optionally schema-qualified with public).
Result<std::string> DropObjectName(const std::vector<std::string>& names);

// CREATE TABLE (sql::TransformCreateTable) → a stream's or a dimension table's schema
// (WITH (kind = 'stream' | 'dimension'), default stream). A dimension table has no event-time
// column (event_time_index -1; WITH (event_time = ...) is an error) and may use the lake's
// partition-key names as column names. Does not look at the catalog.
struct TableDef {
  std::shared_ptr<ingest::StreamSchema> schema;
  bool dimension = false;
};
Result<TableDef> BuildTable(const sql::ast::CreateTable& create);
// BuildTable for a statement that must define a stream (InvalidArgument for a dimension table).
Result<std::shared_ptr<ingest::StreamSchema>> BuildStream(const sql::ast::CreateTable& create);

// CREATE MATERIALIZED VIEW (`view`, sql::TransformCreateMatView of the statement whose text is
// `text`) → the view definition, resolved against the streams of `snap`.
// definition_version is 1; the caller sets it for replacements and when loading.
Result<std::shared_ptr<views::ViewDef>> BuildView(const sql::ast::CreateMatView& view, const std::string& text,
                                                  const Snapshot& snap);

}  // namespace laminar::catalog::internal
