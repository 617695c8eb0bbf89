// Prepared statements: the protocol's Parse / Bind and SQL's PREPARE / EXECUTE / DEALLOCATE,
// which share one namespace of named statements per session, as in PostgreSQL (a statement
// PREPAREd in SQL can be bound by the extended protocol, one Parsed with a name can be run by SQL
// EXECUTE, DEALLOCATE and Close drop either).
//
// Both go through the same two steps: MakePrepared parses, checks and describes the statement (the
// Parse message's text, or PREPARE's statement as parsed with it) and BindParams turns each parameter into the value its
// $n binds to (message.h ParamToValue: typed and validated; sql::ScopedParams pins them while the
// statement runs, and the engine binds $n as a constant of that value). SQL EXECUTE evaluates its
// arguments (constant expressions, EvaluateArgs) and hands each value to
// BindParams in text format, as a client would send it in Bind — so EXECUTE q(...) and a Bind of
// the same values behave identically.
//
// Errors carry PostgreSQL's conditions (ErrorCode): 26000 `prepared statement "x" does not
// exist`, 42P05 `prepared statement "x" already exists`, 42601 `wrong number of parameters for
// prepared statement "x"`, 42704 / 0A000 for a PREPARE parameter type that does not exist / that
// Laminar has not, 0A000 for a subquery in an EXECUTE argument, 42P20 for a window function.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pgwire/session_state.h"
#include "sql/binder.h"
#include "sql/parser.h"

namespace laminar::pgwire {

struct PreparedStatement {
  std::string sql;                    // as given (a PREPARE's: the whole PREPARE statement)
  std::optional<sql::Statement> parsed;  // parsed once, when prepared; nullopt when empty
  std::vector<uint32_t> param_types;  // one per parameter; 0 = unspecified
  std::string kind;                   // the parse tree's statement kind ("SelectStmt", ...); empty when empty
  std::string executes;               // an EXECUTE: the name of the statement it runs
  bool empty = false;
  bool returns_rows = false;
};

using PreparedStatements = std::map<std::string, std::shared_ptr<PreparedStatement>>;

// Named prepared statements one session may hold (protocol Parse and SQL PREPARE together; the
// unnamed statement does not count): past it, 54000 until some are deallocated.
inline constexpr size_t kMaxPreparedStatements = 10000;
// ResourceExhausted when adding statement `name` would pass kMaxPreparedStatements; else OK.
Status CheckRoomForStatement(const PreparedStatements& statements, const std::string& name);

// Checks `sql` (one statement, $n parameters; `param_types` as given, completed with unspecified
// ones up to the highest $n) and describes it. `statements`: for an EXECUTE, the statement it runs
// decides whether rows come back.
Result<std::shared_ptr<PreparedStatement>> MakePrepared(const std::string& sql, std::vector<uint32_t> param_types,
                                                        const PreparedStatements& statements);
// The same for a statement already parsed (PREPARE's).
Result<std::shared_ptr<PreparedStatement>> MakePrepared(sql::Statement stmt, std::vector<uint32_t> param_types,
                                                        const PreparedStatements& statements);

// The values of the statement's parameters: `params` (nullopt: NULL) in `formats` (Bind's
// parameter format codes: none → text, one → all, else one each). REQUIRES: params.size() ==
// s.param_types.size().
Result<std::vector<sql::Param>> BindParams(const PreparedStatement& s, const std::vector<std::optional<std::string>>& params,
                                           const std::vector<int16_t>& formats);
// Every parameter NULL (of its type): to describe the statement before Bind.
std::vector<sql::Param> NullParams(const PreparedStatement& s);

// ---- SQL PREPARE / EXECUTE / DEALLOCATE ----

struct SqlPrepare {
  std::string name;
  std::vector<uint32_t> param_types;
  sql::Statement statement;  // the statement after AS, as parsed
};
// PREPARE name [(type, ...)] AS statement.
Result<SqlPrepare> ParseSqlPrepare(const sql::Statement& stmt);

struct SqlExecute {
  std::string name;
  std::vector<sql::ast::ExprPtr> args;  // the argument expressions
};
// EXECUTE name [(arg, ...)].
Result<SqlExecute> ParseSqlExecute(const sql::Statement& stmt);

// The values of EXECUTE's arguments: constant expressions (no column, subquery, aggregate or
// window function), evaluated once; $n are the pinned parameters (sql::ScopedParams). One row.
Result<Outcome> EvaluateArgs(const SqlExecute& e);

// EXECUTE's evaluated arguments (the one row of `args`, EvaluateArgs) as Bind
// parameters of `s` in text format, then BindParams. An unspecified parameter type takes its
// argument's (bigint, double precision, boolean, timestamptz; text stays unspecified, an untyped
// literal, as a quoted constant is in PostgreSQL). 42601 when the counts differ.
Result<std::vector<sql::Param>> BindExecute(const PreparedStatement& s, const std::string& name, const Outcome& args);
// 42601 `wrong number of parameters ...` unless `given` arguments fit `s`; else OK.
Status CheckArgCount(const PreparedStatement& s, const std::string& name, size_t given);

// DEALLOCATE [PREPARE] name: the name; DEALLOCATE [PREPARE] ALL: nullopt.
std::optional<std::string> DeallocateName(const sql::Statement& stmt);

// Runs PREPARE or DEALLOCATE on the session's statements: the command tag ("PREPARE",
// "DEALLOCATE", "DEALLOCATE ALL"). DEALLOCATE ALL keeps the unnamed statement, as PostgreSQL.
Result<std::string> RunPrepareOrDeallocate(const sql::Statement& stmt, PreparedStatements* statements);

// EXECUTE: the statement it runs and the values of its parameters (EvaluateArgs, BindExecute).
struct BoundExecute {
  std::shared_ptr<PreparedStatement> stmt;
  std::vector<sql::Param> params;
};
Result<BoundExecute> ResolveExecute(const sql::Statement& stmt, const PreparedStatements& statements);

// The wire OID of a PREPARE parameter type.
Result<uint32_t> ParamTypeOid(const sql::ast::TypeName& type_name);

// 26000 / 42P05 for a statement name.
Status NoSuchStatement(const std::string& name);
Status StatementExists(const std::string& name);

}  // namespace laminar::pgwire
