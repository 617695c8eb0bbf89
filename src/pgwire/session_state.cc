#include "pgwire/session_state.h"

#include "sql/session.h"

#include <fmt/format.h>

#include <cctype>

#include "common/strings.h"
#include "sql/parser.h"
#include "sql/transformer.h"

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

// PostgreSQL's text of a list setting's item: search_path quotes what is not a plain lower-case
// identifier ("$user"), as its GUC_LIST_QUOTE flag asks; other settings keep their items as given.
// DateStyle's words are PostgreSQL's canonical spelling (ISO, MDY, Postgres) however written.
std::string ListItem(const std::string& name, const std::string& item) {
  if (name == "datestyle") {
    std::string lower = Lower(item);
    if (lower == "postgres" || lower == "german") return std::string(1, char(std::toupper(uint8_t(lower[0])))) + lower.substr(1);
    std::string upper = item;
    for (char& c : upper) c = char(std::toupper(uint8_t(c)));
    return upper;
  }
  if (name != "search_path") return item;
  bool plain = !item.empty() && !std::isdigit(uint8_t(item[0]));
  for (char c : item) plain = plain && (std::islower(uint8_t(c)) || std::isdigit(uint8_t(c)) || c == '_');
  if (plain) return item;
  std::string out = "\"";
  for (char c : item) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

Status FailedBlock() {
  return InvalidArgument(ErrorCode::kInFailedSqlTransaction,
                         "current transaction is aborted, commands ignored until end of transaction block");
}

}  // namespace

std::string FallbackTag(const sql::Statement& stmt) {
  if (stmt.kind == "CreateStmt") return "CREATE TABLE";
  if (stmt.kind == "CreateTableAsStmt") {
    auto create = sql::TransformCreateMatView(stmt);
    return create.ok() && create->matview ? "CREATE MATERIALIZED VIEW" : "CREATE TABLE AS";
  }
  if (stmt.kind == "DropStmt") {
    auto drop = sql::TransformDrop(stmt);
    return drop.ok() ? "DROP " + drop->object_words : "DROP";
  }
  return sql::DescribeKind(stmt.kind);
}

SessionState::SessionState() {
  for (const DefaultParam& p : DefaultParams()) params_[Lower(p.name)] = {p.name, p.value};
  reset_values_ = params_;
}

std::vector<std::pair<std::string, std::string>> SessionState::ReportedParams() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const DefaultParam& d : DefaultParams())
    if (d.reported) out.push_back({d.name, params_.at(Lower(d.name)).second});
  return out;
}

Result<Outcome> SessionState::Answer(sql::ast::SessionStmt stmt, bool describe_only, const RunSelect& run) {
  using namespace sql::ast;
  if (auto* t = std::get_if<TransactionStmt>(&stmt)) return Transaction(*t);
  if (auto* d = std::get_if<DiscardStmt>(&stmt)) return Discard(*d);
  auto* set = std::get_if<SetStmt>(&stmt);
  if (set && (set->kind == SetStmt::Kind::kTransaction || set->kind == SetStmt::Kind::kSessionCharacteristics)) {
    RETURN_IF_ERROR(CheckTransactionOptions(set->options));
    Outcome o;
    o.tag = "SET";
    return o;
  }
  if (tx_ == Tx::kFailed) return FailedBlock();
  if (set) return Set(*set);
  if (auto* s = std::get_if<ShowStmt>(&stmt)) return Show(*s);
  if (auto* d = std::get_if<DeclareCursorStmt>(&stmt)) return Declare(std::move(*d), run);
  if (auto* f = std::get_if<FetchStmt>(&stmt)) return Fetch(*f, describe_only);
  return Close(std::get<CloseStmt>(stmt));
}

// ---- Transaction blocks ----
//
// Laminar has no transactions: every statement reads its own snapshot and DDL applies at once.
// Clients that wrap statements in blocks (psycopg2, JDBC with autocommit off, ORMs) still work:
// BEGIN/START TRANSACTION, COMMIT/END and ROLLBACK/ABORT track PostgreSQL's transaction status
// (ReadyForQuery 'T'; after an error 'E', where only COMMIT/ROLLBACK run — 25P02 otherwise),
// portals live across Syncs until the block ends, INSERT and COPY rows are held by the protocol
// session until COMMIT (pg_server.cc), and DDL is refused inside a block (25001) because it could
// not be rolled back.
// Isolation: READ COMMITTED (and READ UNCOMMITTED, the same in PostgreSQL) is what each
// statement gets; REPEATABLE READ and SERIALIZABLE are refused (0A000). Savepoints, two-phase
// commit and AND CHAIN: 0A000. DISCARD ALL resets the session's parameters and statements.
// SET LOCAL lasts until the block ends (outside one it only warns, as in PostgreSQL).
Result<Outcome> SessionState::Transaction(const sql::ast::TransactionStmt& t) {
  using K = sql::ast::TransactionStmt::Kind;
  Outcome o;
  if (t.kind == K::kOther)
    return Unimplemented("{} is not supported: Laminar has no transactions (a block only groups statements)", t.words);
  if (t.chain) return Unimplemented("AND CHAIN is not supported: Laminar has no transactions");
  if (t.kind == K::kBegin || t.kind == K::kStart) {
    if (tx_ == Tx::kFailed) return FailedBlock();
    RETURN_IF_ERROR(CheckTransactionOptions(t.options));
    if (tx_ == Tx::kBlock) o.warnings.push_back({"25001", "there is already a transaction in progress"});
    tx_ = Tx::kBlock;
    o.tag = t.kind == K::kBegin ? "BEGIN" : "START TRANSACTION";
    return o;
  }
  if (tx_ == Tx::kIdle) o.warnings.push_back({"25P01", "there is no transaction in progress"});
  // COMMIT of a failed block rolls it back, as in PostgreSQL.
  const bool commit = t.kind == K::kCommit && tx_ != Tx::kFailed;
  o.tag = commit ? "COMMIT" : "ROLLBACK";
  if (tx_ != Tx::kIdle) block_end_ = commit ? BlockEnd::kCommit : BlockEnd::kRollback;
  tx_ = Tx::kIdle;
  // The block's cursors end with it; WITH HOLD ones stay (kept whole already).
  for (auto it = cursors_.begin(); it != cursors_.end();) it = it->second.hold ? std::next(it) : cursors_.erase(it);
  // SET LOCAL values end with it.
  for (auto& [key, before] : local_saved_) {
    std::string now = params_.count(key) ? params_[key].second : std::string();
    if (before) {
      params_[key] = *before;
    } else {
      params_.erase(key);
    }
    const DefaultParam* d = FindDefault(key);
    if (d && d->reported && before && before->second != now) o.reports.push_back({d->name, before->second});
  }
  local_saved_.clear();
  return o;
}

Result<Outcome> SessionState::Discard(const sql::ast::DiscardStmt& d) {
  if (tx_ != Tx::kIdle)
    return InvalidArgument(ErrorCode::kActiveSqlTransaction, "DISCARD {} cannot run inside a transaction block", d.words);
  Outcome o;
  if (d.target == sql::ast::DiscardStmt::Target::kAll) {
    ResetAll(&o);
    discard_statements_ = true;  // the session drops its prepared statements
  }
  o.tag = "DISCARD " + d.words;
  return o;
}

// The isolation level and access mode options of BEGIN / SET TRANSACTION.
Status SessionState::CheckTransactionOptions(const std::vector<sql::ast::TransactionOption>& options) {
  for (const sql::ast::TransactionOption& o : options) {
    if (o.name != "transaction_isolation") continue;  // READ ONLY / DEFERRABLE: accepted
    if (o.value == "read committed" || o.value == "read uncommitted") continue;
    std::string level = o.value;
    for (char& c : level) c = char(std::toupper(uint8_t(c)));
    return Unimplemented("isolation level {} is not supported: Laminar runs every statement on its own snapshot "
                         "(READ COMMITTED)", level);
  }
  return Status::OK();
}

// ---- SQL cursors ----
//
// DECLARE name [BINARY] [NO SCROLL] CURSOR [WITH[OUT] HOLD] FOR query, FETCH [FORWARD] [n | ALL |
// NEXT] [FROM | IN] name, MOVE, CLOSE name | ALL — what psycopg2's named cursors and similar
// clients send to read a large result in pieces. The query runs at DECLARE and its rows are kept
// (bounded by [query] max_result_rows, like an Execute with a row limit); FETCH hands them out
// in order. Without WITH HOLD a cursor needs a transaction block and ends with it. Forward only:
// SCROLL, BACKWARD, ABSOLUTE, RELATIVE and FETCH 0 give 0A000. At most kMaxCursors per session.
Result<Outcome> SessionState::Declare(sql::ast::DeclareCursorStmt d, const RunSelect& run) {
  if (d.scroll) return Unimplemented("SCROLL cursors are not supported: cursors read forward only");
  if (!d.hold && tx_ == Tx::kIdle)
    return InvalidArgument(ErrorCode::kNoActiveSqlTransaction, "DECLARE CURSOR can only be used in transaction blocks");
  if (cursors_.count(d.name)) return InvalidArgument(ErrorCode::kDuplicateCursor, "cursor \"{}\" already exists", d.name);
  if (cursors_.size() >= kMaxCursors)
    return ResourceExhausted("too many open cursors (at most {} per session): CLOSE some", kMaxCursors);
  if (!run) return Internal("DECLARE without a way to run its query");
  ASSIGN_OR_RETURN(Outcome rows, run(*d.query));
  OpenCursor c;
  c.outcome = std::move(rows);
  c.binary = d.binary;
  c.hold = d.hold;
  cursors_.emplace(d.name, std::move(c));
  Outcome o;
  o.tag = "DECLARE CURSOR";
  return o;
}

Result<Outcome> SessionState::Fetch(const sql::ast::FetchStmt& f, bool describe_only) {
  using D = sql::ast::FetchStmt::Direction;
  const char* verb = f.move ? "MOVE" : "FETCH";
  if (f.direction != D::kForward || f.count <= 0) {
    static const char* kWords[] = {"FORWARD", "BACKWARD", "ABSOLUTE", "RELATIVE"};
    std::string what = f.direction == D::kForward ? fmt::format("{} 0", verb) : kWords[int(f.direction)];
    return Unimplemented("{} is not supported: cursors read forward only ({} [FORWARD] n | ALL | NEXT)", what, verb);
  }
  auto it = cursors_.find(f.name);
  if (it == cursors_.end()) return InvalidArgument(ErrorCode::kInvalidCursorName, "cursor \"{}\" does not exist", f.name);
  OpenCursor& c = it->second;
  Outcome o;
  o.returns_rows = !f.move;
  o.columns = c.outcome.columns;
  if (describe_only) return o;
  size_t from = c.next_row;
  size_t to = from + std::min<uint64_t>(uint64_t(f.count), c.outcome.rows.size() - from);
  if (!f.move)
    for (size_t r = from; r < to; r++) o.rows.push_back(std::move(c.outcome.rows[r]));
  c.next_row = to;
  o.tag = fmt::format("{} {}", verb, to - from);
  o.binary = c.binary;
  return o;
}

Result<Outcome> SessionState::Close(const sql::ast::CloseStmt& c) {
  if (!c.name) {
    cursors_.clear();
  } else if (!cursors_.erase(*c.name)) {
    return InvalidArgument(ErrorCode::kInvalidCursorName, "cursor \"{}\" does not exist", *c.name);
  }
  Outcome o;
  o.tag = "CLOSE CURSOR";
  return o;
}

// ---- SET, RESET, SHOW ----

Result<Outcome> SessionState::Set(const sql::ast::SetStmt& s) {
  using K = sql::ast::SetStmt::Kind;
  Outcome o;
  o.tag = s.kind == K::kReset || s.kind == K::kResetAll ? "RESET" : "SET";
  if (s.kind == K::kResetAll) {
    ResetAll(&o);
    return o;
  }
  std::string key = Lower(s.name);
  const DefaultParam* dflt = FindDefault(key);
  if (s.local && tx_ == Tx::kIdle) {
    o.warnings.push_back({"25P01", "SET LOCAL can only be used in transaction blocks"});
    return o;
  }
  if (s.local && !local_saved_.count(key)) {
    auto it = params_.find(key);
    local_saved_[key] = it == params_.end() ? std::nullopt : std::optional(it->second);
  }
  if (s.kind == K::kDefault || s.kind == K::kReset) {
    auto reset = reset_values_.find(key);
    if (reset == reset_values_.end()) {
      if (dflt && sql::IsReadOnlySetting(key))
        return InvalidArgument(ErrorCode::kCantChangeRuntimeParam, "parameter \"{}\" cannot be changed", dflt->name);
      params_.erase(key);
      return o;
    }
    RETURN_IF_ERROR(ApplySetting(reset->second.first, reset->second.second, &o));
    return o;
  }
  // A list is shown as PostgreSQL does: its items joined by ", ".
  std::string value;
  for (const std::string& v : s.values) value += (value.empty() ? "" : ", ") + ListItem(key, v);
  RETURN_IF_ERROR(ApplySetting(dflt ? dflt->name : s.name, value, &o));
  return o;
}

// Every parameter back to its reset value (RESET ALL, DISCARD ALL); custom ones set since are
// dropped.
void SessionState::ResetAll(Outcome* o) {
  for (const auto& [key, param] : reset_values_) {
    const DefaultParam* d = FindDefault(key);
    auto& cur = params_[key];
    if (d && d->reported && cur.second != param.second) o->reports.push_back({d->name, param.second});
    cur = param;
  }
  for (auto it = params_.begin(); it != params_.end();) it = reset_values_.count(it->first) ? std::next(it) : params_.erase(it);
}

Result<Outcome> SessionState::Show(const sql::ast::ShowStmt& s) const {
  Outcome o;
  o.returns_rows = true;
  o.tag = "SHOW";
  if (s.name == "all") {
    o.columns = {{"name", Type::kText}, {"setting", Type::kText}, {"description", Type::kText}};
    for (const auto& [key, param] : params_) {
      // Laminar keeps no descriptions of its parameters: NULL.
      o.rows.push_back({Value::Text(param.first), Value::Text(param.second), Value::Null()});
    }
    return o;
  }
  auto it = params_.find(Lower(s.name));
  if (it == params_.end())
    return InvalidArgument(ErrorCode::kUndefinedObject, "unrecognized configuration parameter \"{}\"", s.name);
  o.columns = {{it->second.first, Type::kText}};
  o.rows = {{Value::Text(it->second.second)}};
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
