// pg_catalog emulation: answers the catalog queries psql (\d, \dt, \dv, \dm, \d NAME, \dn, \df, \l,
// \du), libpq programs and drivers (pgjdbc's DatabaseMetaData and type cache; BI tools' queries of
// information_schema) send — SELECTs over pg_catalog.pg_class, pg_namespace, pg_attribute, ...,
// information_schema.tables, columns, ... and session functions such as current_database() or
// current_setting() — from the live Laminar catalog (catalog::Snapshot), without a socket, so it
// can be unit-tested.
//
// How: the statement is parsed with the real PostgreSQL grammar (sql::Parse) and, when it is a
// catalog query (see AnswerCatalogQuery), evaluated by a small SQL interpreter (catalog_interp.h)
// over virtual tables built from the snapshot (catalog_tables.h):
//   FROM: [LEFT] JOIN ... ON / USING, comma joins, derived tables (subqueries in FROM, with column
//     aliases), unnest(array) and generate_series(int, int [, int]) [WITH ORDINALITY] [AS a(c)];
//   WHERE, GROUP BY (expressions, positions, output names), HAVING, SELECT DISTINCT, UNION [ALL],
//     ORDER BY (positions, output names, expressions), LIMIT/OFFSET;
//   aggregates count, sum, min, max, avg, string_agg, array_agg, bool_and, bool_or, every (with
//     DISTINCT, FILTER, ORDER BY inside); window functions row_number, rank, dense_rank with
//     OVER (PARTITION BY ... ORDER BY ...);
//   expressions: CASE, COALESCE, NULLIF, IS [NOT] DISTINCT FROM, casts (text, name, char,
//     varchar, integers, oid, bool, floats, numeric, regclass, regtype, regnamespace, regproc,
//     one-dimensional arrays of these: '{a,b}'::text[]), comparison, arithmetic, ||, IN, LIKE,
//     ILIKE, POSIX regular expressions (psql's `OPERATOR(pg_catalog.~) '^(pv.*)$'`), ANY/ALL over
//     arrays, array subscripts (arr[i]), ARRAY[...], scalar / EXISTS / IN / ARRAY subqueries
//     (correlated too).
// Anything else inside a catalog query — an unknown catalog table, column or function, other
// aggregates or window functions, RIGHT/FULL/NATURAL joins, LATERAL, INTERSECT/EXCEPT, WITH,
// GROUPING SETS, DISTINCT ON, array slices, field selection ((x).f) — is Unimplemented (SQLSTATE
// 0A000) naming the construct: never a guessed answer.
//
// The virtual tables (every relation lives in schema public, oid 2200, owner role "laminar", oid
// 10):
//   pg_class      one row per stream and dimension table (relkind 'r') and materialized view
//                 ('m'), oid as RelationOid below. No system catalogs, indexes or sequences (but
//                 'pg_class'::regclass is PostgreSQL's oid of that catalog, 1259, and so on).
//   pg_attribute  their columns (attnum 1..n; no system columns), NOT NULL from the schema
//                 (view columns are nullable); atttypid: bool 16, int8 20, text 25, float8 701,
//                 timestamptz 1184.
//   pg_namespace  pg_catalog (11), public (2200), information_schema (13000).
//   pg_type       the types above, a few more (int2, int4, oid, name, "char", varchar, float4,
//                 timestamp, void, unknown) and their array types (_int4, ...: typelem,
//                 typinput array_in); typinput/typoutput as regproc.   pg_collation: default, C, POSIX.
//   pg_database   one database: the session's (oid 16384, UTF8, collation C).
//   pg_roles / pg_user: the role "laminar" (oid 10).
//   pg_tables, pg_matviews (definition: the view's SELECT), pg_views (empty).
//   Empty (Laminar has none of these): pg_proc (no user functions; \df lists nothing), pg_am,
//   pg_attrdef, pg_index, pg_constraint, pg_trigger, pg_rewrite, pg_policy, pg_statistic_ext,
//   pg_publication, pg_publication_rel, pg_publication_namespace, pg_enum, pg_inherits, pg_description,
//   pg_shdescription, pg_auth_members, pg_partitioned_table, pg_sequence, pg_foreign_table,
//   pg_depend.
//   information_schema (PostgreSQL's column names; sql_identifier as name, cardinal_number as
//   int4, character_data and yes_or_no as text): schemata (information_schema, pg_catalog,
//   public); tables and columns: streams and dimension tables as 'BASE TABLE' — materialized
//   views are not listed, as in PostgreSQL, whose information_schema does not know them;
//   is_insertable_into and is_updatable are 'NO' (no SQL INSERT/UPDATE); table_constraints: each
//   NOT NULL column as a CHECK constraint named <nsp oid>_<table oid>_<attnum>_not_null, as in
//   PostgreSQL 16; views and key_column_usage: empty.
// Functions: pg_table_is_visible, pg_type_is_visible, pg_function_is_visible,
// pg_get_function_result / pg_get_function_arguments (NULL: no functions), pg_get_userbyid,
// format_type, obj_description / col_description / shobj_description (NULL: no comments),
// pg_get_viewdef (the view's SELECT text), pg_get_expr (NULL: no stored expressions),
// pg_encoding_to_char, pg_relation_is_publishable, pg_table_size / pg_relation_size /
// pg_total_relation_size (NULL: sizes are not tracked), pg_size_pretty, array_to_string,
// array_remove, array_upper / array_lower / array_length / cardinality, unnest and
// generate_series (in FROM), quote_ident, lower, upper, replace, substring / substr, length,
// btrim / ltrim / rtrim, version, current_database, current_schema, current_schemas,
// current_user / session_user / user / current_role / current_catalog, current_setting (the
// session's parameters, as SHOW sees them), set_config, pg_backend_pid, pg_is_in_recovery,
// pg_sleep (through CatalogContext::sleep).
//
// Thread safety: pure functions over their arguments (CatalogContext::sleep is called on the
// caller's thread).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "sql/parser.h"

namespace laminar::pgwire {

// Fixed object ids of the emulated catalog.
constexpr uint32_t kCatalogNamespaceOid = 11;   // pg_catalog
constexpr uint32_t kPublicNamespaceOid = 2200;  // public
constexpr uint32_t kOwnerRoleOid = 10;          // role "laminar", owner of every relation
constexpr uint32_t kDatabaseOid = 16384;
constexpr uint32_t kFirstRelationOid = 16385;
constexpr const char* kOwnerRoleName = "laminar";
constexpr uint32_t kOidVoid = 2278;
// version()'s answer.
constexpr const char* kPgVersionString = "PostgreSQL 16.0 (Laminar 0.1.0) on x86_64-pc-linux-gnu";

struct CatalogContext {
  std::string user = "laminar";      // current_user, session_user
  std::string database = "laminar";  // current_database(), pg_database
  int32_t backend_pid = 0;           // pg_backend_pid()
  // The session's parameters by lower-case name: (canonical name, value), as SHOW sees them.
  std::map<std::string, std::pair<std::string, std::string>> settings;
  // pg_sleep(seconds): sleeps, returning early with an error (Cancelled, DeadlineExceeded) when
  // the statement is cancelled or times out. Unset: pg_sleep is Unimplemented.
  std::function<Status(double seconds)> sleep;
};

struct CatalogColumn {
  std::string name;
  uint32_t type_oid = 25;  // the wire type OID (text 25, name 19, oid 26, bool 16, ...)
};

struct CatalogResult {
  std::vector<CatalogColumn> columns;
  // Cells in PostgreSQL's text format; nullopt is NULL.
  std::vector<std::vector<std::optional<std::string>>> rows;
  // set_config(name, value, false) calls the statement made, in order: (name, value) for the
  // caller to apply to the session (set_config(..., true) lasts only for the statement).
  std::vector<std::pair<std::string, std::string>> settings_changed;
};

// The answer to `stmt` when it is a catalog query, else nullopt (the engine answers it).
// A catalog query is a SELECT that reads a relation of pg_catalog or information_schema (named
// with the schema, or without it for the pg_* names above and any other unknown pg_* name) or a
// function in FROM named pg_catalog.f or pg_f, or one without FROM that calls a session or
// catalog function listed above (pg_catalog.-qualified or not) or casts to a reg* type
// ('pv'::regclass). Other functions without FROM (now(), extract(...), which the parser writes as
// pg_catalog.extract) are the engine's. Errors: Unimplemented (0A000) naming what is not
// supported, InvalidArgument with PostgreSQL's condition (ErrorCode) for errors PostgreSQL
// reports too (an unknown setting: `unrecognized configuration parameter`, kUndefinedObject;
// bad input syntax; a subquery returning more than one row; a column that must appear in GROUP
// BY, ...), ResourceExhausted past one million intermediate rows.
std::optional<Result<CatalogResult>> AnswerCatalogQuery(const sql::Statement& stmt,
                                                        const catalog::Snapshot& snapshot,
                                                        const CatalogContext& ctx);
// Same, parsing `sql` first (exactly one statement; a parse error or several statements give
// nullopt: the caller's normal path reports them).
std::optional<Result<CatalogResult>> AnswerCatalogQuery(std::string_view sql, const catalog::Snapshot& snapshot,
                                                        const CatalogContext& ctx);

// The oid of relation `name` (a stream, view or dimension table of the snapshot), nullopt when
// there is none. Stable: derived from the name alone — kFirstRelationOid + FNV-1a(name) modulo
// (2^31 - kFirstRelationOid) — so an oid psql read in one query names the same relation in the
// next, across DDL and restarts. On a collision (two names with the same hash) the later name
// in sorted order takes the next free oid.
std::optional<uint32_t> RelationOid(const catalog::Snapshot& snapshot, std::string_view name);

// Parameters SET / set_config may not change.
bool IsReadOnlySetting(std::string_view lower_name);

// A text-format cell of type `oid` in binary format (bool, int2, int4, int8, oid, float4,
// float8; text-like types and void as their bytes; one-dimensional arrays of these, int2vector
// and oidvector as array_send writes them). Unimplemented for other types (reg*, numeric,
// timestamps, aclitem[]).
Result<std::string> TextCellToBinary(std::string_view text, uint32_t oid);
// True when TextCellToBinary can encode values of type `oid` (to check a Bind's result formats
// before any row is written).
bool HasBinaryFormat(uint32_t oid);

}  // namespace laminar::pgwire
