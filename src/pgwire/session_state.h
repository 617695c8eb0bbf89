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

#include <nlohmann/json.hpp>

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

// Statement text: without white space and ';' at both ends; lower case with runs of white space
// as one space; a tag for a statement the engine answered without one (its leading keywords).
std::string_view TrimStatement(std::string_view s);
std::string NormalizeStatement(std::string_view s);
std::string FallbackTag(std::string_view text);
// True when `text` parses as exactly one SELECT.
bool IsOneSelect(std::string_view text);

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
  // The parameters by lower-case name: (canonical name, value), as SHOW sees them.
  const std::map<std::string, std::pair<std::string, std::string>>& params() const { return params_; }

  // ---- Statements answered here (nullopt: not such a statement) ----
  // BEGIN/START TRANSACTION, COMMIT/END, ROLLBACK/ABORT, savepoints and two-phase commit (0A000),
  // SET TRANSACTION / SET SESSION CHARACTERISTICS, DISCARD.
  std::optional<Result<Outcome>> Transaction(std::string_view text);
  // SET, RESET, SHOW.
  std::optional<Result<Outcome>> Settings(std::string_view text);
  // DECLARE / FETCH / MOVE / CLOSE. `run` runs DECLARE's SELECT to completion (rows kept).
  // `describe_only` (Describe of a prepared FETCH): the columns, no row consumed.
  using RunSelect = std::function<Result<Outcome>(std::string_view select)>;
  std::optional<Result<Outcome>> Cursor(std::string_view text, bool describe_only, const RunSelect& run);

  // ---- The transaction block ----
  char TxStatus() const { return tx_ == Tx::kIdle ? 'I' : (tx_ == Tx::kBlock ? 'T' : 'E'); }  // ReadyForQuery
  bool InBlock() const { return tx_ != Tx::kIdle; }   // portals survive Sync; DDL is refused
  bool Failed() const { return tx_ == Tx::kFailed; }  // only COMMIT/ROLLBACK run
  void OnError() {                                    // an error inside a block fails it
    if (tx_ == Tx::kBlock) tx_ = Tx::kFailed;
  }
  // True once after DISCARD ALL: the session drops its prepared statements.
  bool TakeDiscardStatements() { return std::exchange(discard_statements_, false); }

 private:
  // A SQL cursor: its rows, kept whole, handed out by FETCH.
  struct OpenCursor {
    Outcome outcome;
    size_t next_row = 0;
    bool binary = false;
    bool hold = false;  // WITH HOLD: outlives the transaction block
  };
  enum class Tx { kIdle, kBlock, kFailed };

  Result<Outcome> Set(std::string_view rest);
  static Status CheckTransactionOptions(const nlohmann::json& options);
  static size_t FindWord(const std::string& s, std::string_view word, size_t from);

  std::map<std::string, std::pair<std::string, std::string>> params_;  // lower name → (name, value)
  Tx tx_ = Tx::kIdle;
  std::map<std::string, OpenCursor> cursors_;
  bool discard_statements_ = false;
};

}  // namespace laminar::pgwire
