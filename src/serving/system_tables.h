// The engine's system tables and the catalog views over them.
//
// System tables (schema `laminar`), built from the catalog snapshot the statement sees:
//   laminar.relations (oid, name, kind, definition, columns): every stream ('stream'), dimension
//     table ('dimension table') and view ('view'; definition: its SELECT) with its oid;
//   laminar.columns (relation_oid, relation, position, name, type, type_oid, not_null);
//   laminar.types (oid, name, formatted, len, byval, align, storage, category, preferred,
//     array_oid, elem, collation, typtype, input, output): PostgreSQL's facts of the types
//     clients meet (sql/pg_types.h);
//   laminar.namespaces (oid, name): pg_catalog, public, information_schema;
//   laminar.settings (name, value): the session's parameters, as SHOW sees them;
//   laminar.subscriptions (name, stream, kind, topic, state, enabled, partition, position,
//     high_watermark, lag, events, bad_messages, events_per_second, last_error): one row per
//     Kafka partition or Kinesis shard of each subscription (one with partition NULL before
//     any), from the engine's
//     running sources (RelationProvider::LiveRows); also pg_catalog.laminar_subscriptions, so
//     that `SELECT * FROM laminar_subscriptions` finds it.
// pg_catalog and information_schema are SQL views over them (catalog_views.cc, PostgreSQL's
// column names), parsed once and bound into each query that names them like a subquery.
//
// Relation oids are stable: derived from the name alone — kFirstRelationOid + FNV-1a(name) modulo
// (2^31 - kFirstRelationOid) — so an oid psql read in one query names the same relation in the
// next, across DDL and restarts; on a collision the later name in sorted order takes the next
// free oid.
//
// Thread safety: pure functions; the parsed views are immutable after their first use.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "execution/table_source.h"
#include "serving/relation_provider.h"
#include "sql/session.h"

namespace laminar::serving {

// The relations of the snapshot with their oids and, for views, their SELECT; sorted by name.
std::vector<sql::SessionRelation> SessionRelations(const catalog::Snapshot& snapshot);

// The system table or catalog view `schema.name` ("laminar", "pg_catalog" or
// "information_schema"; schema "" finds the pg_catalog ones, as PostgreSQL's search path does);
// nullopt when `schema` names none of these schemas (or "" and no pg_catalog view is `name`).
// A name unknown in one of these schemas is Unimplemented (0A000): `pg_catalog.pg_stat_activity
// is not supported`.
std::optional<Result<execution::TableInfo>> DescribeSystemRelation(const std::string& schema, const std::string& name);

// The rows of system table `table` (DescribeSystemRelation gave it) for `snapshot`, its
// relations (SessionRelations(snapshot)), `session` and the engine's running state (`live`).
Status ScanSystemTable(const execution::TableInfo& table, const catalog::Snapshot& snapshot,
                       const std::vector<sql::SessionRelation>& relations, const sql::Session& session,
                       const RelationProvider& live,
                       const execution::ScanRequest& request, const execution::ScanChunkFn& fn,
                       execution::ScanStats* stats);

namespace internal {
struct CatalogViewText {
  const char* schema;
  const char* name;
  const char* sql;  // the view's SELECT
};
const std::vector<CatalogViewText>& CatalogViewTexts();
}  // namespace internal

}  // namespace laminar::serving
