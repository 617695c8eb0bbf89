// Scopes and principals: what a token or a user may do, and the access an action needs.
//
// A scope is one of `query` (SELECT, EXPLAIN, COPY ... TO STDOUT, the read-only HTTP routes),
// `ingest:<stream>` / `ingest:*` (events, INSERT and COPY FROM STDIN into that stream or
// dimension table, any with `*`) and `admin` (DDL, roles, batch runs, verify, attach, server
// files; admin implies every other scope, as a PostgreSQL superuser does).
//
// An Access is what one action needs: nothing but a known principal (kAuthenticated: SET, SHOW,
// BEGIN, the session's own statements), or one scope. `StatementAccess` reads what a parsed SQL
// statement needs from its typed tree (sql/transformer.h); a statement kind it does not know
// needs admin, so a new statement is closed until someone decides otherwise.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/parser.h"

namespace laminar::auth {

enum class ScopeKind { kQuery, kIngest, kAdmin };

struct Scope {
  ScopeKind kind = ScopeKind::kQuery;
  std::string stream;  // kIngest: the stream or table, "*" for any
  bool operator==(const Scope&) const = default;
};

// "query", "admin", "ingest:<name>", "ingest:*". InvalidArgument naming the text otherwise.
Result<Scope> ParseScope(std::string_view text);
Result<std::vector<Scope>> ParseScopes(const std::vector<std::string>& texts);
std::string FormatScope(const Scope& scope);

// Per-principal limits (0: none). Rates are per second with a burst allowance (token buckets,
// auth/rate_limit.h); the query limits tighten the server's [query] limits for this principal.
struct Limits {
  double requests_per_second = 0;
  double requests_burst = 0;     // 0: max(1, requests_per_second)
  double events_per_second = 0;
  double events_burst = 0;       // 0: max(1, events_per_second)
  double query_timeout_seconds = 0;
  int64_t query_max_memory_mb = 0;
};

// Who is asking. `anonymous` is the principal of a server without authentication (loopback only,
// or --insecure): it may do everything.
struct Principal {
  std::string name;
  std::string kind;  // "token", "user", "anonymous"
  std::vector<Scope> scopes;
  Limits limits;
  bool anonymous() const { return kind == "anonymous"; }
  bool admin() const;
  static Principal Anonymous();
};

struct Access {
  enum class Kind { kAuthenticated, kQuery, kIngest, kAdmin } kind = Kind::kAuthenticated;
  std::string stream;  // kIngest
  std::string What() const;  // "the scope query", "the scope ingest:pageviews", ...
  static Access Query() { return {Kind::kQuery, {}}; }
  static Access Admin() { return {Kind::kAdmin, {}}; }
  static Access Ingest(std::string stream) { return {Kind::kIngest, std::move(stream)}; }
  static Access Authenticated() { return {}; }
};

bool Allows(const Principal& who, const Access& access);
// OK, or PermissionDenied (42501) naming the principal, the scope it lacks and `action`.
Status Authorize(const Principal& who, const Access& access, std::string_view action);

// What running `stmt` needs (every entry): see the header comment. SELECT/EXPLAIN/DECLARE CURSOR
// and COPY ... TO STDOUT: query; INSERT ... VALUES and COPY ... FROM STDIN: ingest:<table>
// (INSERT ... SELECT also query); COPY to or from a server file or program: admin; PREPARE,
// EXECUTE, DEALLOCATE and the session's statements: nothing (an EXECUTEd statement is checked
// when it runs); anything else: admin. Errors of the statement's own syntax tree are returned.
Result<std::vector<Access>> StatementAccess(const sql::Statement& stmt);
// Authorize for every access `stmt` needs; the action named is the statement's kind.
// `*needs_admin` (when given): whether the statement needs the scope admin (the edges audit
// those). SELECT, INSERT and EXPLAIN never do: an admin's are allowed without reading their trees.
Status AuthorizeStatement(const Principal& who, const sql::Statement& stmt, bool* needs_admin = nullptr);

}  // namespace laminar::auth
