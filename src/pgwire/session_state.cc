#include "pgwire/session_state.h"

#include "sql/session.h"

#include <fmt/format.h>

#include <cctype>

#include "common/strings.h"
#include "sql/parser.h"

namespace laminar::pgwire {
namespace {

// A session parameter's default. SHOW and current_setting() answer every one, SET and
// set_config() change them; the reported ones are sent as ParameterStatus at startup and on
// every change.
using DefaultParam = sql::DefaultSetting;
const std::vector<DefaultParam>& DefaultParams() { return sql::DefaultSettings(); }

const DefaultParam* FindDefault(std::string_view lower_name) {
  for (const DefaultParam& p : DefaultParams())
    if (Lower(p.name) == lower_name) return &p;
  return nullptr;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (std::isspace(uint8_t(s.front())) || s.front() == ';')) s.remove_prefix(1);
  while (!s.empty() && (std::isspace(uint8_t(s.back())) || s.back() == ';')) s.remove_suffix(1);
  return s;
}

// Lower-case with runs of white space as one space.
std::string Normalize(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : Trim(s)) {
    if (std::isspace(uint8_t(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += char(std::tolower(uint8_t(c)));
  }
  return out;
}

// 'text' → text ('' undone); "name" → name; else as is.
std::string Unquote(std::string_view s) {
  s = Trim(s);
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front()) {
    char q = s.front();
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); i++) {
      out += s[i];
      if (s[i] == q && i + 2 < s.size() && s[i + 1] == q) i++;
    }
    return out;
  }
  return std::string(s);
}

}  // namespace

std::string_view TrimStatement(std::string_view s) { return Trim(s); }
std::string NormalizeStatement(std::string_view s) { return Normalize(s); }

// A tag for a statement the engine answered without one (e.g. CREATE ... IF NOT EXISTS that
// changed nothing): its leading keywords.
std::string FallbackTag(std::string_view text) {
  std::string n = Normalize(text);
  std::string tag = n.substr(0, n.find(' '));
  for (const char* t : {"create materialized view", "create table", "drop materialized view", "drop table"}) {
    if (n.starts_with(t)) tag = t;
  }
  for (char& c : tag) c = char(std::toupper(uint8_t(c)));
  return tag;
}

bool IsOneSelect(std::string_view text) {
  auto parsed = sql::Parse(text);
  return parsed.ok() && parsed->size() == 1 && parsed->front().kind == "SelectStmt";
}

SessionState::SessionState() {
  for (const DefaultParam& p : DefaultParams()) params_[Lower(p.name)] = {p.name, p.value};
}

std::vector<std::pair<std::string, std::string>> SessionState::ReportedParams() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const DefaultParam& d : DefaultParams())
    if (d.reported) out.push_back({d.name, params_.at(Lower(d.name)).second});
  return out;
}

// ---- Transaction blocks ----
//
// Laminar has no transactions: every statement reads its own snapshot and DDL applies at once.
// Clients that wrap statements in blocks (psycopg2, JDBC with autocommit off, ORMs) still work:
// BEGIN/START TRANSACTION, COMMIT/END and ROLLBACK/ABORT track PostgreSQL's transaction status
// (ReadyForQuery 'T'; after an error 'E', where only COMMIT/ROLLBACK run — 25P02 otherwise),
// portals live across Syncs until the block ends, and a statement that changes something
// (DDL, COPY) is refused inside a block (25001) because it could not be rolled back.
// Isolation: READ COMMITTED (and READ UNCOMMITTED, the same in PostgreSQL) is what each
// statement gets; REPEATABLE READ and SERIALIZABLE are refused (0A000). Savepoints, two-phase
// commit and AND CHAIN: 0A000. DISCARD ALL resets the session's parameters and statements.
std::optional<Result<Outcome>> SessionState::Transaction(std::string_view text) {
  std::string n = Normalize(text);
  bool lead = false;
  for (std::string_view w : {"begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release",
                             "prepare transaction", "set transaction", "set session characteristics", "discard"})
    lead = lead || n == w || (n.starts_with(w) && n.size() > w.size() && n[w.size()] == ' ');
  if (!lead) return std::nullopt;
  auto parsed = sql::Parse(text);
  if (!parsed.ok() || parsed->size() != 1) return std::nullopt;  // the normal path reports it
  const sql::Statement& st = parsed->front();
  const nlohmann::json& node = st.node.begin().value();
  Outcome o;
  if (st.kind == "VariableSetStmt") {
    std::string name = node.value("name", "");
    if (name != "TRANSACTION" && name != "SESSION CHARACTERISTICS") return std::nullopt;
    if (Status s = CheckTransactionOptions(node.value("args", nlohmann::json())); !s.ok()) return Result<Outcome>(s);
    o.tag = "SET";
    return Result<Outcome>(std::move(o));
  }
  if (st.kind == "DiscardStmt") {
    std::string target = node.value("target", "");
    std::string what = target.starts_with("DISCARD_") ? target.substr(8) : target;
    if (tx_ != Tx::kIdle)
      return Result<Outcome>(InvalidArgument(ErrorCode::kActiveSqlTransaction,
                                             "DISCARD {} cannot run inside a transaction block", what));
    if (target == "DISCARD_ALL") {
      for (const DefaultParam& d : DefaultParams()) {
        auto& cur = params_[Lower(d.name)];
        if (d.reported && cur.second != d.value) o.reports.push_back({d.name, d.value});
        cur = {d.name, d.value};
      }
      for (auto it = params_.begin(); it != params_.end();)
        it = FindDefault(it->first) ? std::next(it) : params_.erase(it);
      discard_statements_ = true;  // the session drops its prepared statements
    }
    o.tag = "DISCARD " + what;
    return Result<Outcome>(std::move(o));
  }
  if (st.kind != "TransactionStmt") return std::nullopt;
  std::string kind = node.value("kind", "");
  if (node.value("chain", false)) return Result<Outcome>(Unimplemented("AND CHAIN is not supported: Laminar has no transactions"));
  if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") {
    if (tx_ == Tx::kFailed)
      return Result<Outcome>(InvalidArgument(ErrorCode::kInFailedSqlTransaction,
                                             "current transaction is aborted, commands ignored until end of transaction block"));
    if (Status s = CheckTransactionOptions(node.value("options", nlohmann::json())); !s.ok()) return Result<Outcome>(s);
    if (tx_ == Tx::kBlock) o.warnings.push_back({"25001", "there is already a transaction in progress"});
    tx_ = Tx::kBlock;
    o.tag = kind == "TRANS_STMT_BEGIN" ? "BEGIN" : "START TRANSACTION";
    return Result<Outcome>(std::move(o));
  }
  if (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK") {
    if (tx_ == Tx::kIdle) o.warnings.push_back({"25P01", "there is no transaction in progress"});
    // COMMIT of a failed block rolls it back, as in PostgreSQL.
    o.tag = kind == "TRANS_STMT_COMMIT" && tx_ != Tx::kFailed ? "COMMIT" : "ROLLBACK";
    tx_ = Tx::kIdle;
    // The block's cursors end with it; WITH HOLD ones stay (kept whole already).
    for (auto it = cursors_.begin(); it != cursors_.end();) it = it->second.hold ? std::next(it) : cursors_.erase(it);
    return Result<Outcome>(std::move(o));
  }
  std::string what = kind.starts_with("TRANS_STMT_") ? kind.substr(11) : kind;
  for (char& c : what) c = c == '_' ? ' ' : c;
  return Result<Outcome>(Unimplemented("{} is not supported: Laminar has no transactions (a block only groups statements)", what));
}

// ---- SQL cursors ----
//
// DECLARE name [BINARY] [NO SCROLL] CURSOR [WITH[OUT] HOLD] FOR query, FETCH [FORWARD] [n | ALL |
// NEXT] [FROM | IN] name, MOVE, CLOSE name | ALL — what psycopg2's named cursors and similar
// clients send to read a large result in pieces. The query runs at DECLARE and its rows are kept
// (bounded by [query] max_result_rows, like an Execute with a row limit); FETCH hands them out
// in order. Without WITH HOLD a cursor needs a transaction block and ends with it. Forward only:
// SCROLL, BACKWARD, ABSOLUTE, RELATIVE and FETCH 0 give 0A000. At most kMaxCursors per session.
// `describe_only` (Describe of a prepared FETCH): the columns, no row consumed.
std::optional<Result<Outcome>> SessionState::Cursor(std::string_view text, bool describe_only, const RunSelect& run) {
  std::string n = Normalize(text);
  bool lead = false;
  for (std::string_view w : {"declare", "fetch", "move", "close"})
    lead = lead || n == w || (n.starts_with(w) && n.size() > w.size() && n[w.size()] == ' ');
  if (!lead) return std::nullopt;
  auto parsed = sql::Parse(text);
  if (!parsed.ok() || parsed->size() != 1) return std::nullopt;  // the normal path reports it
  const sql::Statement& st = parsed->front();
  if (st.kind != "DeclareCursorStmt" && st.kind != "FetchStmt" && st.kind != "ClosePortalStmt") return std::nullopt;
  const nlohmann::json& node = st.node.begin().value();
  std::string name = node.value("portalname", "");
  Outcome o;
  if (st.kind == "ClosePortalStmt") {
    if (name.empty()) {
      cursors_.clear();
    } else if (!cursors_.erase(name)) {
      return Result<Outcome>(InvalidArgument(ErrorCode::kInvalidCursorName, "cursor \"{}\" does not exist", name));
    }
    o.tag = "CLOSE CURSOR";
    return Result<Outcome>(std::move(o));
  }
  if (st.kind == "DeclareCursorStmt") {
    int64_t options = node.value("options", int64_t(0));
    constexpr int64_t kBinary = 0x1, kScroll = 0x2, kHold = 0x20;  // PostgreSQL's CURSOR_OPT_*
    if (options & kScroll) return Result<Outcome>(Unimplemented("SCROLL cursors are not supported: cursors read forward only"));
    bool hold = options & kHold;
    if (!hold && tx_ == Tx::kIdle)
      return Result<Outcome>(InvalidArgument(ErrorCode::kNoActiveSqlTransaction,
                                             "DECLARE CURSOR can only be used in transaction blocks"));
    if (cursors_.count(name))
      return Result<Outcome>(InvalidArgument(ErrorCode::kDuplicateCursor, "cursor \"{}\" already exists", name));
    if (cursors_.size() >= kMaxCursors)
      return Result<Outcome>(ResourceExhausted("too many open cursors (at most {} per session): CLOSE some", kMaxCursors));
    // The query: the text after the first FOR that follows the CURSOR keyword.
    std::string lower = Lower(st.text);
    size_t at = FindWord(lower, "cursor", 0);
    at = at == std::string::npos ? at : FindWord(lower, "for", at + 6);
    if (at == std::string::npos)
      return Result<Outcome>(InvalidArgument(ErrorCode::kSyntaxError, "syntax error in DECLARE: no FOR query"));
    std::string query(Trim(std::string_view(st.text).substr(at + 3)));
    if (!IsOneSelect(query)) return Result<Outcome>(Unimplemented("DECLARE ... CURSOR FOR needs a SELECT"));
    Result<Outcome> rows = run(query);
    if (!rows.ok()) return Result<Outcome>(rows.status());
    OpenCursor c;
    c.outcome = std::move(*rows);
    c.binary = options & kBinary;
    c.hold = hold;
    cursors_.emplace(name, std::move(c));
    o.tag = "DECLARE CURSOR";
    return Result<Outcome>(std::move(o));
  }
  // FETCH / MOVE.
  bool move = node.value("ismove", false);
  std::string direction = node.value("direction", "FETCH_FORWARD");
  int64_t count = node.value("howMany", int64_t(0));
  if (direction != "FETCH_FORWARD" || count <= 0)
    return Result<Outcome>(Unimplemented("{} is not supported: cursors read forward only ({} [FORWARD] n | ALL | NEXT)",
                                         direction == "FETCH_FORWARD" ? "FETCH 0" : direction.substr(6), move ? "MOVE" : "FETCH"));
  auto it = cursors_.find(name);
  if (it == cursors_.end())
    return Result<Outcome>(InvalidArgument(ErrorCode::kInvalidCursorName, "cursor \"{}\" does not exist", name));
  OpenCursor& c = it->second;
  o.returns_rows = !move;
  o.columns = c.outcome.columns;
  if (describe_only) return Result<Outcome>(std::move(o));
  size_t from = c.next_row;
  size_t to = from + std::min<uint64_t>(uint64_t(count), c.outcome.rows.size() - from);
  if (!move)
    for (size_t r = from; r < to; r++) o.rows.push_back(std::move(c.outcome.rows[r]));
  c.next_row = to;
  o.tag = fmt::format("{} {}", move ? "MOVE" : "FETCH", to - from);
  o.binary = c.binary;
  return Result<Outcome>(std::move(o));
}

// The position of `word` in lower-case `s` at or after `from`, as a whole word; npos if none.
size_t SessionState::FindWord(const std::string& s, std::string_view word, size_t from) {
  auto is_word = [](char ch) { return std::isalnum(uint8_t(ch)) || ch == '_'; };
  for (size_t at = s.find(word, from); at != std::string::npos; at = s.find(word, at + 1)) {
    bool before = at == 0 || !is_word(s[at - 1]);
    bool after = at + word.size() >= s.size() || !is_word(s[at + word.size()]);
    if (before && after) return at;
  }
  return std::string::npos;
}

// The isolation level and access mode options of BEGIN / SET TRANSACTION.
Status SessionState::CheckTransactionOptions(const nlohmann::json& options) {
  if (!options.is_array()) return Status::OK();
  for (const nlohmann::json& o : options) {
    if (!o.contains("DefElem")) continue;
    const nlohmann::json& d = o["DefElem"];
    if (d.value("defname", "") != "transaction_isolation") continue;  // READ ONLY / DEFERRABLE: accepted
    std::string level;
    if (d.contains("arg") && d["arg"].contains("A_Const") && d["arg"]["A_Const"].contains("sval"))
      level = d["arg"]["A_Const"]["sval"].value("sval", "");
    if (level == "read committed" || level == "read uncommitted") continue;
    for (char& c : level) c = char(std::toupper(uint8_t(c)));
    return Unimplemented("isolation level {} is not supported: Laminar runs every statement on its own snapshot "
                         "(READ COMMITTED)", level);
  }
  return Status::OK();
}

// SET, RESET and SHOW, answered here; nullopt for everything else.
std::optional<Result<Outcome>> SessionState::Settings(std::string_view text) {
  std::string n = Normalize(text);
  if (n.starts_with("set ")) return Result<Outcome>(Set(Trim(text).substr(4)));
  if (n.starts_with("reset ")) {
    std::string name = Lower(Unquote(Trim(text).substr(6)));
    Outcome o;
    o.tag = "RESET";
    if (const DefaultParam* d = FindDefault(name)) {
      if (sql::IsReadOnlySetting(name))
        return Result<Outcome>(InvalidArgument(ErrorCode::kCantChangeRuntimeParam,
                                               "parameter \"{}\" cannot be changed", d->name));
      params_[name] = {d->name, d->value};
      if (d->reported) o.reports.push_back({d->name, d->value});
      return Result<Outcome>(std::move(o));
    }
    params_.erase(name);
    return Result<Outcome>(std::move(o));
  }
  if (n.starts_with("show ")) {
    std::string name = Unquote(Trim(text).substr(5));
    if (Lower(name) == "time zone") name = "TimeZone";
    if (Lower(name) == "transaction isolation level") name = "transaction_isolation";
    auto it = params_.find(Lower(name));
    if (it == params_.end())
      return Result<Outcome>(InvalidArgument(ErrorCode::kUndefinedObject,
                                             "unrecognized configuration parameter \"{}\"", name));
    Outcome o;
    o.returns_rows = true;
    o.columns = {{Lower(name), Type::kText}};
    o.rows = {{Value::Text(it->second.second)}};
    o.tag = "SHOW";
    return Result<Outcome>(std::move(o));
  }
  return std::nullopt;
}

// `[SESSION|LOCAL] name {=|TO} value`, `TIME ZONE value`.
Result<Outcome> SessionState::Set(std::string_view rest) {
  rest = Trim(rest);
  for (std::string_view kw : {"session ", "local "}) {
    if (Lower(rest.substr(0, kw.size())) == kw) rest = Trim(rest.substr(kw.size()));
  }
  std::string name, value;
  if (Lower(rest.substr(0, 10)) == "time zone ") {
    name = "TimeZone";
    value = Unquote(rest.substr(10));
  } else {
    size_t end = rest.find_first_of(" \t\n=");
    if (end == std::string_view::npos || end == 0)
      return InvalidArgument(ErrorCode::kSyntaxError, "syntax error in SET: \"{}\"", rest);
    name = Unquote(rest.substr(0, end));
    std::string_view v = Trim(rest.substr(end));
    if (!v.empty() && v.front() == '=') {
      v = v.substr(1);
    } else if (Lower(v.substr(0, 3)) == "to " || Lower(v.substr(0, 3)) == "to\t") {
      v = v.substr(3);
    } else {
      return InvalidArgument(ErrorCode::kSyntaxError, "syntax error in SET: expected = or TO after \"{}\"", name);
    }
    v = Trim(v);
    if (v.empty()) return InvalidArgument(ErrorCode::kSyntaxError, "syntax error in SET: no value for \"{}\"", name);
    // A list keeps its text ("ISO, MDY"); a single quoted value is unquoted.
    value = Unquote(v);
  }
  Outcome o;
  o.tag = "SET";
  std::string key = Lower(name);
  const DefaultParam* dflt = FindDefault(key);
  if (Lower(value) == "default") {
    if (dflt) {
      value = dflt->value;
    } else {
      params_.erase(key);
      return o;
    }
  }
  RETURN_IF_ERROR(ApplySetting(name, value, &o));
  return o;
}

// Sets a session parameter (SET, set_config()); a reported one is added to o->reports.
Status SessionState::ApplySetting(const std::string& name, const std::string& value, Outcome* o) {
  std::string key = Lower(name);
  const DefaultParam* dflt = FindDefault(key);
  std::string canonical = dflt ? dflt->name : name;
  if (sql::IsReadOnlySetting(key))
    return InvalidArgument(ErrorCode::kCantChangeRuntimeParam, "parameter \"{}\" cannot be changed", canonical);
  params_[key] = {canonical, value};
  if (dflt && dflt->reported && o) o->reports.push_back({canonical, value});
  return Status::OK();
}

}  // namespace laminar::pgwire
