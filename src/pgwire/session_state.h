// SessionState: what a PostgreSQL session holds besides the protocol — its parameters (SET,
// RESET, SHOW, set_config()), its transaction block (BEGIN ... COMMIT) and its SQL cursors
// (DECLARE ... FETCH) — and the statements over them, answered without the engine. The protocol
// session (pg_server.cc) asks it first for every statement. What each statement does is in
// src/pgwire/README.md ("Transaction blocks", "SQL cursors", SET/SHOW).
//
// Errors: InvalidArgument with PostgreSQL's words and its condition (ErrorCode, SQLSTATE by
// common/sqlstate.h: kActiveSqlTransaction 25001 inside a transaction block,
// kInFailedSqlTransaction 25P02 in a failed block, kNoActiveSqlTransaction 25P01,
// kInvalidCursorName 34000 / kDuplicateCursor 42P03 for cursors, kUndefinedObject 42704 for an
// unknown parameter), Unimplemented (0A000) naming what is not supported, ResourceExhausted
// past kMaxCursors.
// Thread safety: none; one per connection, used by the connection's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "serving/result.h"
#include "sql/ast_session.h"
#include "sql/parser.h"

namespace laminar::pgwire {

constexpr const char* kServerVersion = "16.0 (Laminar)";

// The result of one statement.
struct Outcome {
  bool returns_rows = false;
  std::vector<serving::ResultColumn> columns;
  std::vector<std::vector<Value>> rows;
  std::string tag;
  std::vector<std::pair<std::string, std::string>> reports;  // ParameterStatus to send (SET)
  std::vector<std::pair<std::string, std::string>> warnings;  // (sqlstate, message) as NoticeResponse
  bool binary = false;  // rows of a BINARY cursor: binary format whatever the client asked
};

// The command tag of a statement the engine ran without giving one: PostgreSQL's tag for its kind
// ("CREATE TABLE", "DROP MATERIALIZED VIEW", "COPY").
std::string FallbackTag(const sql::Statement& stmt);

class SessionState {
 public:
  static constexpr size_t kMaxCursors = 64;  // open SQL cursors per session

  SessionState();  // every parameter at its default

  // ---- Parameters ----
  // The parameters a session reports with ParameterStatus at startup: (name, value).
  std::vector<std::pair<std::string, std::string>> ReportedParams() const;
  // Sets parameter `name` (SET, set_config(), the startup packet); a reported one is added to
  // o->reports when `o` is given. InvalidArgument for a read-only parameter.
  Status ApplySetting(const std::string& name, const std::string& value, Outcome* o);
  // Makes the parameters' current values (after the startup packet's) the ones RESET, SET ...
  // DEFAULT, RESET ALL and DISCARD ALL go back to, as PostgreSQL does.
  void KeepAsResetValues() { reset_values_ = params_; }
  // The parameters by lower-case name: (canonical name, value), as SHOW sees them.
  const std::map<std::string, std::pair<std::string, std::string>>& params() const { return params_; }

  // ---- Statements answered here ----
  // The session's answer to `stmt` (sql/ast_session.h, made by sql::TransformSessionStmt): SET,
  // RESET, SHOW; BEGIN/START TRANSACTION, COMMIT/END, ROLLBACK/ABORT, savepoints and two-phase
  // commit (0A000), SET TRANSACTION / SET SESSION CHARACTERISTICS, DISCARD; DECLARE, FETCH, MOVE,
  // CLOSE. In a failed block only the transaction statements run (25P02 for the others).
  // `run` runs DECLARE's SELECT to completion (its rows are kept); `describe_only` (Describe of
  // a prepared FETCH): the columns, no row consumed.
  using RunSelect = std::function<Result<Outcome>(const sql::ast::SelectStmt& select)>;
  Result<Outcome> Answer(sql::ast::SessionStmt stmt, bool describe_only, const RunSelect& run);

  // ---- The transaction block ----
  char TxStatus() const { return tx_ == Tx::kIdle ? 'I' : (tx_ == Tx::kBlock ? 'T' : 'E'); }  // ReadyForQuery
  bool InBlock() const { return tx_ != Tx::kIdle; }   // portals survive Sync; DDL is refused
  bool Failed() const { return tx_ == Tx::kFailed; }  // only COMMIT/ROLLBACK run
  void OnError() {                                    // an error inside a block fails it
    if (tx_ == Tx::kBlock) tx_ = Tx::kFailed;
  }
  // True once after DISCARD ALL: the session drops its prepared statements.
  bool TakeDiscardStatements() { return std::exchange(discard_statements_, false); }
  // How the last statement ended a transaction block: kCommit (COMMIT/END of a block that had not
  // failed), kRollback (ROLLBACK, or COMMIT of a failed block), kNone (it did not end one).
  // Reset by the call.
  enum class BlockEnd { kNone, kCommit, kRollback };
  BlockEnd TakeBlockEnd() { return std::exchange(block_end_, BlockEnd::kNone); }

 private:
  // A SQL cursor: its rows, kept whole, handed out by FETCH.
  struct OpenCursor {
    Outcome outcome;
    size_t next_row = 0;
    bool binary = false;
    bool hold = false;  // WITH HOLD: outlives the transaction block
  };
  enum class Tx { kIdle, kBlock, kFailed };

  Result<Outcome> Transaction(const sql::ast::TransactionStmt& t);
  Result<Outcome> Discard(const sql::ast::DiscardStmt& d);
  Result<Outcome> Set(const sql::ast::SetStmt& s);
  Result<Outcome> Show(const sql::ast::ShowStmt& s) const;
  Result<Outcome> Declare(sql::ast::DeclareCursorStmt d, const RunSelect& run);
  Result<Outcome> Fetch(const sql::ast::FetchStmt& f, bool describe_only);
  Result<Outcome> Close(const sql::ast::CloseStmt& c);
  void ResetAll(Outcome* o);
  static Status CheckTransactionOptions(const std::vector<sql::ast::TransactionOption>& options);

  std::map<std::string, std::pair<std::string, std::string>> params_;  // lower name → (name, value)
  std::map<std::string, std::pair<std::string, std::string>> reset_values_;  // what RESET goes back to
  Tx tx_ = Tx::kIdle;
  std::map<std::string, OpenCursor> cursors_;
  bool discard_statements_ = false;
  BlockEnd block_end_ = BlockEnd::kNone;
  // SET LOCAL in a block: each parameter's (name, value) before it, restored when the block ends.
  std::map<std::string, std::optional<std::pair<std::string, std::string>>> local_saved_;
};

}  // namespace laminar::pgwire
