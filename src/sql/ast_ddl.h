// The typed syntax of Laminar's DDL statements (sql/transformer.h makes them from libpg_query's
// tree): CREATE TABLE, CREATE MATERIALIZED VIEW, DROP, COPY, INSERT, CREATE / ALTER / DROP
// SUBSCRIPTION, and SQL's PREPARE / EXECUTE / DEALLOCATE. Like sql/ast.h, syntax and not meaning: names are unresolved, and clauses
// Laminar has no use for are kept by name (in the user's words) for the catalog to refuse.
//
// Thread safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sql/ast.h"
#include "sql/parser.h"

namespace laminar::sql::ast {

// A relation as written: [catalog.][schema.]name, and TEMPORARY / UNLOGGED.
struct RangeName {
  std::string catalog, schema, name;
  enum class Persistence { kPermanent, kTemporary, kUnlogged } persistence = Persistence::kPermanent;
  int location = -1;
};

// WITH (name = value, ...) and COPY's options: [name_space.]name and the argument — its kind,
// its text (a string, a number, true/false, a bare word; nullopt for none, a list or *), and a
// list's names (FORCE_QUOTE (a, b)).
struct DdlOption {
  enum class Arg { kNone, kString, kInteger, kFloat, kBoolean, kWord, kList, kStar, kOther };
  std::string name_space, name;
  Arg arg = Arg::kNone;
  std::optional<std::string> value;
  std::vector<std::string> list;
};

struct ColumnDef {
  std::string name;
  TypeName type;
  bool not_null = false;    // NOT NULL
  bool null = false;        // NULL
  bool collate = false;     // COLLATE ...
  bool has_default = false; // DEFAULT ...
  // Other column constraints, in PostgreSQL's words: "PRIMARY KEY", "UNIQUE", "CHECK", ...
  std::vector<std::string> other_constraints;
  int location = -1;
};

// CREATE [TEMPORARY | UNLOGGED] TABLE [IF NOT EXISTS] name (column, ...) [WITH (...)] ...
struct CreateTable {
  RangeName relation;
  bool if_not_exists = false;
  std::vector<ColumnDef> columns;
  std::vector<DdlOption> options;
  // Table constraints (in PostgreSQL's words: "PRIMARY KEY", ...) and other clauses present that
  // Laminar refuses: "INHERITS", "PARTITION BY", "PARTITION OF", "OF type", "TABLESPACE",
  // "USING", "ON COMMIT", "(LIKE ...)".
  std::vector<std::string> table_constraints;
  std::vector<std::string> other_clauses;
};

// CREATE MATERIALIZED VIEW [IF NOT EXISTS] name [(column, ...)] [WITH (...)] AS query
// [WITH [NO] DATA]; also CREATE TABLE ... AS (matview false), which Laminar refuses. OR REPLACE is
// the Statement's flag (sql/parser.h).
struct CreateMatView {
  bool matview = true;
  RangeName relation;
  bool if_not_exists = false;
  std::vector<std::string> column_names;
  std::vector<DdlOption> options;
  bool with_no_data = false;
  std::vector<std::string> other_clauses;  // "TABLESPACE", "USING"
  SelectPtr query;                         // null when the query is not a SELECT
};

// DROP TABLE | MATERIALIZED VIEW | VIEW [IF EXISTS] name, ... [CASCADE | RESTRICT]; DROP of any
// other object keeps its type in words for the catalog to refuse.
struct DropStmt {
  enum class Kind { kTable, kMaterializedView, kView, kOther } kind = Kind::kOther;
  std::string object_words;                     // "TABLE", "MATERIALIZED VIEW", "INDEX", "FUNCTION", ...
  std::vector<std::vector<std::string>> names;  // each relation's name as written (kTable/kMaterializedView/kView)
  bool if_exists = false;
  bool cascade = false;
  bool concurrently = false;
};

// COPY relation [(column, ...)] FROM|TO 'file' | PROGRAM 'cmd' | STDIN | STDOUT [WITH (...)]
// [WHERE ...], COPY (query) TO ...
struct CopyStmt {
  bool has_relation = false;
  RangeName relation;
  std::vector<std::string> columns;
  SelectPtr query;         // COPY (SELECT ...) TO
  std::string query_kind;  // COPY (query): the query's statement kind when it is not a SELECT ("InsertStmt")
  bool is_from = false;
  bool is_program = false;
  std::optional<std::string> filename;  // a file or program; nullopt for STDIN / STDOUT
  bool has_where = false;
  std::vector<DdlOption> options;
};

// INSERT INTO relation [(column, ...)] VALUES (...), ... | SELECT ... | DEFAULT VALUES.
// `query` is the rows' source (VALUES is a SelectStmt with its values lists); null for DEFAULT
// VALUES. What the statement has that Laminar does not take is kept to be refused by name.
struct InsertStmt {
  RangeName relation;
  std::vector<std::string> columns;
  SelectPtr query;
  bool has_returning = false;
  bool has_on_conflict = false;
  bool has_with = false;
  bool has_overriding = false;
};

// CREATE SUBSCRIPTION name CONNECTION 'uri' PUBLICATION stream[, ...] [WITH (...)]: a source
// feeding a stream (Kafka, Kinesis); the connection and the options as written.
struct CreateSubscription {
  std::string name;
  std::string connection;
  std::vector<std::string> publications;
  std::vector<DdlOption> options;
};

// ALTER SUBSCRIPTION name ENABLE | DISABLE; any other form keeps PostgreSQL's kind in words
// ("SET (...)", "CONNECTION", ...) for the catalog to refuse.
struct AlterSubscription {
  std::string name;
  enum class Kind { kEnable, kDisable, kOther } kind = Kind::kOther;
  std::string kind_words;
};

// DROP SUBSCRIPTION [IF EXISTS] name [CASCADE | RESTRICT].
struct DropSubscription {
  std::string name;
  bool if_exists = false;
};

// CREATE ROLE | USER name [[WITH] option ...] and ALTER ROLE | USER name [[WITH] option ...]: the
// options Laminar knows (PASSWORD, SUPERUSER, LOGIN) and the names of the others, to be refused.
struct RoleStmt {
  bool create = true;
  bool user = false;  // CREATE USER (LOGIN unless NOLOGIN)
  std::string name;
  bool password_given = false;
  std::optional<std::string> password;  // PASSWORD NULL: given, without a value
  std::optional<bool> superuser, login;
  std::vector<std::string> other_options;  // "createdb", "connectionlimit", ...
};

// DROP ROLE | USER [IF EXISTS] name, ...
struct DropRoleStmt {
  std::vector<std::string> names;
  bool if_exists = false;
};

// GRANT | REVOKE privilege, ... ON [TABLE] name, ... | ON ALL TABLES IN SCHEMA schema, ... TO | FROM role, ...
struct GrantStmt {
  bool grant = true;
  bool all_in_schema = false;
  std::string object_type;               // "table" for tables (and views); else the grammar's word
  std::vector<std::string> objects;      // relation names, or schema names with all_in_schema
  std::vector<std::string> privileges;   // lower case; empty: ALL [PRIVILEGES]
  std::vector<std::string> grantees;
};

// PREPARE name [(type, ...)] AS statement (the statement as parsed: its node and kind, with the
// PREPARE's text, for the session to prepare as it would a Parse message's); EXECUTE name
// [(arg, ...)]; DEALLOCATE [PREPARE] name | ALL (name nullopt).
struct PrepareStmt {
  std::string name;
  std::vector<TypeName> arg_types;
  Statement statement;
};
struct ExecuteStmt {
  std::string name;
  std::vector<ExprPtr> args;
};
struct DeallocateStmt {
  std::optional<std::string> name;
};

}  // namespace laminar::sql::ast
