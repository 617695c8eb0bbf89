// Catalog: the streams, dimension tables and views, defined by SQL DDL and persisted in the data directory
// (file `<data_dir>/catalog`, JSON, written atomically; format in docs/formats/catalog.md).
//
// DDL understood (anything else is Unimplemented/InvalidArgument naming the construct):
//   CREATE TABLE [IF NOT EXISTS] s (col type [NOT NULL], ...) [WITH (event_time = 'col')]
//     Types: boolean, bigint (also int, integer, smallint), double precision (also real, float,
//     numeric), text (also varchar), timestamptz (also timestamp). The event-time column is the
//     one named by event_time, else the first timestamptz NOT NULL column; a stream without one
//     is an error. Constraints other than NOT NULL/NULL, and other WITH options, are errors.
//   CREATE TABLE [IF NOT EXISTS] d (col type [NOT NULL], ...) WITH (kind = 'dimension')
//     A dimension table: a small table loaded and replaced whole by COPY (engine/dimension.cc),
//     joined to streams and views in queries; same types; no event-time column (event_time_index
//     -1; WITH (event_time = ...) is an error). WITH (kind = 'stream') is the default; any other
//     kind is InvalidArgument naming it. A materialized view cannot read a dimension table.
//   CREATE [OR REPLACE] MATERIALIZED VIEW [IF NOT EXISTS] v AS
//     SELECT <dim>, ..., <agg>, ... FROM stream [WHERE pred] GROUP BY <dims by name, position or
//     expression>
//     A dim is a column or date_trunc('second'|'minute'|'hour'|'day'|'week'|'month'|'year', col),
//     optionally AS alias; every dim must appear in GROUP BY and every GROUP BY item must be a
//     selected dim. Aggregates: count(*), count(col), sum, min, max, avg (sum/avg of numbers).
//     DISTINCT, HAVING, ORDER BY, LIMIT, joins, subqueries, window functions are errors.
//     Output names must be unique. OR REPLACE bumps definition_version.
//   DROP TABLE [IF EXISTS] s [CASCADE]  — refuses while views use s unless CASCADE. Also drops
//     dimension tables (nothing in the catalog depends on them).
//   DROP MATERIALIZED VIEW [IF EXISTS] v  (DROP VIEW is accepted too).
//   CREATE SUBSCRIPTION sub CONNECTION 'kafka://host:port' PUBLICATION stream WITH (topic = '...', ...)
//     A source feeding one stream (PUBLICATION names it); connection and options are checked by
//     sources/source_spec.h. ALTER SUBSCRIPTION sub ENABLE | DISABLE; DROP SUBSCRIPTION [IF
//     EXISTS] sub. DROP TABLE of a stream that subscriptions feed needs CASCADE (which drops them).
//   CREATE ROLE | USER r [WITH] [LOGIN | NOLOGIN] [PASSWORD 'pw' | NULL] [SUPERUSER | NOSUPERUSER],
//   ALTER ROLE | USER r [WITH] ..., DROP ROLE | USER [IF EXISTS] r, ...: PostgreSQL users with
//     SCRAM-SHA-256 verifiers (a password in clear text is turned into one; a verifier is kept as
//     given; md5 is refused). GRANT | REVOKE SELECT ON ALL TABLES IN SCHEMA public → the scope
//     query; INSERT ON t, ... → ingest:t; INSERT ON ALL TABLES IN SCHEMA public → ingest:*; ALL →
//     both. Other privileges, per-table SELECT and role membership are Unimplemented.
//
// Names are case-folded as PostgreSQL does (unquoted → lower case). Stream, dimension table and
// view names share one namespace (`relation "x" already exists`).
//
// Thread safety: all methods are thread-safe. Readers take an immutable Snapshot; Execute
// serialises writers and publishes a new snapshot only after the file is durable.
#pragma once

#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/schema.h"
#include "sources/source_spec.h"
#include "sql/parser.h"
#include "views/view_def.h"

namespace laminar::catalog {

using StreamPtr = std::shared_ptr<const ingest::StreamSchema>;

// A subscription: a source (Kafka) feeding a stream, CREATE SUBSCRIPTION's text and what it means.
struct SubscriptionDef {
  std::string name, stream;
  std::string sql;                 // the CREATE SUBSCRIPTION statement
  sources::SourceSpec spec;        // checked connection and options (spec.enabled: as created)
  bool enabled = true;             // now (ALTER SUBSCRIPTION ... ENABLE | DISABLE)
};
using SubscriptionPtr = std::shared_ptr<const SubscriptionDef>;

// A role made in SQL (CREATE ROLE / USER, ALTER ROLE, GRANT, REVOKE; catalog/roles.cc): a user of
// the PostgreSQL protocol when it may log in and has a password. Only the password's SCRAM-SHA-256
// verifier is kept (auth/scram.h), never the password.
struct RoleDef {
  std::string name;
  std::string verifier;          // "" : no password (cannot log in)
  bool login = false;            // LOGIN (CREATE USER's default)
  bool superuser = false;        // SUPERUSER: the scope admin
  std::set<std::string> scopes;  // from GRANT: "query", "ingest:<table>", "ingest:*" (auth/scopes.h)
};
using RolePtr = std::shared_ptr<const RoleDef>;

struct Snapshot {
  std::map<std::string, StreamPtr> streams;
  std::map<std::string, views::ViewDefPtr> views;
  std::map<std::string, std::string> stream_sql;  // CREATE TABLE text per stream
  // Dimension tables (CREATE TABLE ... WITH (kind = 'dimension')): small tables loaded whole by
  // COPY, joined to streams and views; no event-time column (event_time_index -1), not logged.
  std::map<std::string, StreamPtr> dimensions;
  std::map<std::string, std::string> dimension_sql;  // CREATE TABLE text per dimension table
  uint64_t version = 0;                           // +1 per applied change
  // Streams dropped whose files (log, lake) may still exist: a DROP TABLE records the name before
  // the engine removes the files and forgets it after (FinishDrop), so files that no catalog
  // entry describes are known to be a dropped stream's, and never taken for one whose catalog
  // entry was lost.
  std::set<std::string> dropping;
  // Dimension tables whose rows a COPY wrote (MarkDimensionLoaded): their file must exist, so a
  // file that went missing is damage, not an empty table. A subset of `dimensions`.
  std::set<std::string> loaded_dimensions;
  // Subscriptions by name (their own namespace, as in PostgreSQL).
  std::map<std::string, SubscriptionPtr> subscriptions;
  // Roles by name (their own namespace).
  std::map<std::string, RolePtr> roles;
};
using SnapshotPtr = std::shared_ptr<const Snapshot>;

// kCreateDimension/kDropDimension: a dimension table (tags "CREATE TABLE"/"DROP TABLE"). A DROP
// TABLE naming streams and dimension tables together is one kDropStream change.
enum class ChangeKind {
  kCreateStream,
  kDropStream,
  kCreateView,
  kReplaceView,
  kDropView,
  kCreateDimension,
  kDropDimension,
  kCreateSubscription,
  kAlterSubscription,
  kDropSubscription,
  kRole,  // CREATE / ALTER / DROP ROLE, GRANT, REVOKE: nothing for the engine to do
  kNone
};

struct Change {
  ChangeKind kind = ChangeKind::kNone;
  std::string name;
  std::string tag;  // PostgreSQL command tag: "CREATE TABLE", "CREATE MATERIALIZED VIEW", "DROP TABLE"...
};

class Catalog {
 public:
  // Loads `<data_dir>/catalog` (an empty catalog when missing). Corruption if unreadable.
  static Result<std::unique_ptr<Catalog>> Open(const std::string& data_dir);
  // True when Open found the catalog file (false: a new or emptied data directory).
  bool existed() const { return existed_; }

  // One object of a catalog being rebuilt (laminar recover-catalog): its DDL text and, for a
  // view, the definition version its stored batch versions were built for.
  struct RecoveredEntry {
    std::string sql;
    uint64_t definition_version = 1;
  };
  // Writes `<data_dir>/catalog` from the DDL of streams and dimension tables, then views, each
  // parsed, checked and built as a loaded catalog's entries are; an entry that does not make a
  // valid catalog with the ones before it (a view whose stream is missing) is left out, and
  // described in the returned list. AlreadyExists when the file exists.
  static Result<std::vector<std::string>> WriteRecovered(const std::string& data_dir,
                                                         const std::vector<RecoveredEntry>& tables,
                                                         const std::map<std::string, RecoveredEntry>& views);

  SnapshotPtr snapshot() const;

  // Applies DDL statements in order, each atomically: statement k is persisted before k+1 is
  // looked at; on the first error the earlier ones stay applied and the error says which
  // statement failed. Returns one Change per statement (kNone for IF [NOT] EXISTS no-ops).
  Result<std::vector<Change>> Execute(std::string_view sql);
  // Same, for statements already parsed (all must be DDL).
  Result<std::vector<Change>> ExecuteParsed(const std::vector<sql::Statement>& stmts);

  // True for statement kinds this class executes (CreateStmt, CreateTableAsStmt, DropStmt and the
  // SUBSCRIPTION statements).
  static bool IsDdl(const sql::Statement& stmt);

  // The files of dropped stream `name` are gone: it leaves Snapshot::dropping (persisted).
  Status FinishDrop(const std::string& name);
  // Dimension table `name` has a file of rows: it joins Snapshot::loaded_dimensions (persisted).
  // OK when it is there already or the table is gone.
  Status MarkDimensionLoaded(const std::string& name);

 private:
  explicit Catalog(std::string path) : path_(std::move(path)) {}
  // Writes `s` to path_ atomically and durably (WriteFileAtomic); creates the directory if needed.
  Status Persist(const Snapshot& s);
  std::string path_;
  bool existed_ = false;
  std::mutex write_mu_;   // held by ExecuteParsed: one writer at a time
  mutable std::mutex mu_;  // guards current_ (held only to read or swap the pointer)
  SnapshotPtr current_;
};

}  // namespace laminar::catalog
