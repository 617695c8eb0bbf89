// The typed syntax of the statements a PostgreSQL session answers itself (pgwire/session_state.h):
// SET / RESET / SHOW, transaction blocks, DISCARD and SQL cursors. sql/transformer.h makes them
// from libpg_query's tree (TransformSessionStmt), so that nothing recognises them by their text.
// Syntax, not meaning: a parameter's name is as the grammar gives it (lower case, `TIME ZONE` is
// "timezone"), its values as written.
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sql/ast.h"

namespace laminar::sql::ast {

// An option of BEGIN / SET TRANSACTION: "transaction_isolation" → "read committed",
// "transaction_read_only" → "1", "transaction_deferrable" → "0".
struct TransactionOption {
  std::string name;
  std::string value;
};

// SET [SESSION | LOCAL] name {TO | =} value, ... | DEFAULT; SET TIME ZONE ...; RESET name | ALL;
// SET TRANSACTION ... and SET SESSION CHARACTERISTICS AS TRANSACTION ...
struct SetStmt {
  enum class Kind { kValue, kDefault, kReset, kResetAll, kTransaction, kSessionCharacteristics } kind = Kind::kValue;
  std::string name;                 // empty for kResetAll and the transaction kinds
  std::vector<std::string> values;  // kValue: each value's text (a string, a number, a word)
  bool local = false;               // SET LOCAL
  std::vector<TransactionOption> options;  // the transaction kinds
};

// SHOW name | ALL ("all").
struct ShowStmt {
  std::string name;
};

// BEGIN / START TRANSACTION / COMMIT / END / ROLLBACK / ABORT, savepoints and two-phase commit.
struct TransactionStmt {
  enum class Kind { kBegin, kStart, kCommit, kRollback, kOther } kind = Kind::kOther;
  std::string words;  // kOther: what it is in PostgreSQL's words ("SAVEPOINT", "PREPARE TRANSACTION")
  bool chain = false; // AND CHAIN
  std::vector<TransactionOption> options;
};

// DISCARD ALL | PLANS | SEQUENCES | TEMP.
struct DiscardStmt {
  enum class Target { kAll, kPlans, kSequences, kTemp } target = Target::kAll;
  std::string words;  // "ALL", "PLANS", "SEQUENCES", "TEMP"
};

// DECLARE name [BINARY] [[NO] SCROLL] CURSOR [WITH[OUT] HOLD] FOR query.
struct DeclareCursorStmt {
  std::string name;
  bool binary = false, scroll = false, hold = false;
  SelectPtr query;
};

// FETCH / MOVE [direction] [FROM | IN] name.
struct FetchStmt {
  enum class Direction { kForward, kBackward, kAbsolute, kRelative } direction = Direction::kForward;
  std::string name;
  bool move = false;
  int64_t count = 1;  // ALL is INT64_MAX; FETCH 0 is 0
};

// CLOSE name | ALL (nullopt).
struct CloseStmt {
  std::optional<std::string> name;
};

using SessionStmt = std::variant<SetStmt, ShowStmt, TransactionStmt, DiscardStmt, DeclareCursorStmt, FetchStmt, CloseStmt>;

}  // namespace laminar::sql::ast
