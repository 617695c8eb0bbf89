// COPY ... TO STDOUT over the PostgreSQL protocol: what psql's `\copy (SELECT ...) TO 'file'` and
// `\copy t TO 'file' CSV HEADER` send. The statement becomes a SELECT the engine streams
// (pg_server.cc); each row goes to the client as one CopyData message in PostgreSQL's COPY text,
// CSV or binary format (PostgreSQL documentation, "COPY": "File Formats"), between
// CopyOutResponse and CopyDone, and CommandComplete says `COPY n`.
//
// Accepted: `COPY (query) TO STDOUT` and `COPY relation [(col, ...)] TO STDOUT` (a stream, a
// dimension table or a view: `SELECT col, ... FROM relation`, every column without a list), with
// the options of both syntaxes — `WITH (FORMAT text|csv|binary, HEADER [bool], DELIMITER 'c',
// NULL 'str', QUOTE 'c', ESCAPE 'c', FORCE_QUOTE (col, ...) | *, ENCODING 'UTF8')` and the old
// `[BINARY] [CSV [HEADER] [QUOTE [AS] 'c'] [ESCAPE [AS] 'c'] [FORCE QUOTE col, ... | *]]
// [DELIMITER [AS] 'c'] [NULL [AS] 'str']` — checked as PostgreSQL checks them, with its messages
// and SQLSTATEs. Refused: COPY to a server file or a program (0A000: Laminar writes no files on
// the server; COPY ... TO STDOUT, psql's \copy, does the job), FORCE_NOT_NULL / FORCE_NULL /
// FREEZE / HEADER MATCH (options of COPY FROM), other encodings than UTF8.
//
// Thread safety: pure functions; a CopyEncoder belongs to one statement.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/types.h"
#include "pgwire/session_state.h"
#include "serving/result.h"
#include "serving/relation_provider.h"
#include "sql/ast.h"
#include "sql/ast.h"
#include "sql/parser.h"

namespace laminar::pgwire {

enum class CopyFormat { kText, kCsv, kBinary };

struct CopyOutOptions {
  CopyFormat format = CopyFormat::kText;
  bool header = false;
  char delimiter = '\t';                 // CSV: ','
  std::string null_string = "\\N";       // CSV: ""
  char quote = '"';                      // CSV only
  char escape = '"';                     // CSV only; defaults to the quote
  bool force_quote_all = false;          // FORCE_QUOTE *
  std::vector<std::string> force_quote;  // FORCE_QUOTE (col, ...): checked against the columns
};

// What a COPY ... TO STDOUT runs.
struct CopyOutPlan {
  sql::ast::SelectPtr select;  // the SELECT whose rows are copied (COPY t TO: SELECT * FROM t)
  CopyOutOptions options;
};

// True for COPY ... TO (STDOUT, a file or a program); COPY ... FROM is the engine's.
bool IsCopyTo(const sql::Statement& stmt);

// The SELECT and options of a COPY ... TO statement (IsCopyTo), or the error PostgreSQL gives.
Result<CopyOutPlan> PlanCopyOut(const sql::Statement& stmt);

// Encodes rows in a COPY format.
class CopyEncoder {
 public:
  // Checks FORCE_QUOTE's columns against `columns` (42P10 when one is not among them).
  static Result<CopyEncoder> Make(const CopyOutOptions& options, const std::vector<serving::ResultColumn>& columns);

  // What comes before the first row, as one CopyData payload: the header line (HEADER) or the
  // binary file header; empty when nothing.
  std::string Start() const;
  // One row (a line with its newline, or a binary tuple), appended to *out.
  void Row(const std::vector<Value>& row, std::string* out) const;
  // What follows the last row: the binary trailer; empty for text and CSV.
  std::string Finish() const;
  bool binary() const { return options_.format == CopyFormat::kBinary; }

  // One value in COPY's text format (backslash escapes) or CSV format (quoted when needed).
  static void AppendText(std::string_view value, char delimiter, std::string* out);
  static void AppendCsv(std::string_view value, const CopyOutOptions& o, bool force_quote, bool single_column,
                        std::string* out);

 private:
  CopyEncoder() = default;
  CopyOutOptions options_;
  std::vector<serving::ResultColumn> columns_;
  std::vector<bool> force_quote_;  // per column
};

// What running a COPY ... TO STDOUT needs from the protocol session.
struct CopyOutSession {
  std::string* out;             // the messages to send
  std::function<bool()> flush;  // sends *out; false when the connection failed
  // The engine: streams the SELECT's rows to the sink (Engine::Query of a syntax tree).
  std::function<Status(const sql::ast::SelectStmt& select, const serving::RowSink& sink)> query;
};

// Runs the plan: CopyOutResponse, one CopyData per row as the engine produces it (flushed every
// 256 KiB; no max_result_rows, nothing held), CopyDone, CommandComplete `COPY n`. Returns OK when
// done, else the error to send (after the CopyData written so far: an ErrorResponse ends
// copy-out mode, as in PostgreSQL). *lost: the connection failed (nothing more to send).
Status RunCopyOut(const CopyOutPlan& plan, const CopyOutSession& session, bool* lost);

// A value in PostgreSQL's text output, as COPY writes it (the type's output function with
// DateStyle ISO, TimeZone UTC, extra_float_digits 1): bool t/f, doubles shortest round-trip with
// PostgreSQL's exponent thresholds (1e+15, 1e-05), timestamptz "2024-01-02 03:04:05.5+00".
std::string CopyValueText(const Value& v, Type t);

}  // namespace laminar::pgwire
