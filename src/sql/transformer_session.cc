// The transformer's session statements (sql/transformer.h, sql/ast_session.h): SET / RESET /
// SHOW, transaction blocks, DISCARD and SQL cursors.
#include "sql/ast_session.h"
#include "sql/transformer.h"
#include "sql/transformer_internal.h"

namespace laminar::sql {

using namespace internal;

namespace {

// The text of a SET value or an option's argument: an A_Const (string, number, boolean) or a
// cast of one (SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE).
Result<std::string> ConstText(const json& node) {
  std::string type;
  const json* body = nullptr;
  if (!SplitNode(node, &type, &body)) return Malformed("expected a constant");
  if (type == "TypeCast") return ConstText(Field(*body, "arg"));
  if (type != "A_Const") return Malformed("expected a constant, found {}", type);
  if (body->contains("sval")) return Str(Field(*body, "sval"), "sval");
  if (body->contains("ival")) return std::to_string(Int(Field(*body, "ival"), "ival"));
  if (body->contains("fval")) return Str(Field(*body, "fval"), "fval");
  if (body->contains("boolval")) return std::string(Bool(Field(*body, "boolval"), "boolval") ? "true" : "false");
  return Malformed("a constant without a value");
}

Result<std::vector<ast::TransactionOption>> TransactionOptions(const json& obj, const char* key) {
  ASSIGN_OR_RETURN(const json* list, ListField(obj, key));
  std::vector<ast::TransactionOption> out;
  for (const json& o : *list) {
    std::string type;
    const json* de = nullptr;
    if (!SplitNode(o, &type, &de) || type != "DefElem") return Malformed("expected a transaction option");
    ast::TransactionOption opt;
    opt.name = Str(*de, "defname");
    if (de->contains("arg")) {
      ASSIGN_OR_RETURN(opt.value, ConstText((*de)["arg"]));
    }
    out.push_back(std::move(opt));
  }
  return out;
}

Result<ast::SetStmt> Set(const json& vs) {
  ast::SetStmt s;
  std::string kind = Str(vs, "kind");
  s.name = Str(vs, "name");
  s.local = Bool(vs, "is_local");
  using K = ast::SetStmt::Kind;
  if (kind == "VAR_SET_VALUE") {
    s.kind = K::kValue;
    ASSIGN_OR_RETURN(const json* args, ListField(vs, "args"));
    for (const json& a : *args) {
      ASSIGN_OR_RETURN(std::string v, ConstText(a));
      s.values.push_back(std::move(v));
    }
  } else if (kind == "VAR_SET_DEFAULT") {
    s.kind = K::kDefault;
  } else if (kind == "VAR_RESET") {
    s.kind = K::kReset;
  } else if (kind == "VAR_RESET_ALL") {
    s.kind = K::kResetAll;
  } else if (kind == "VAR_SET_MULTI" && (s.name == "TRANSACTION" || s.name == "SESSION CHARACTERISTICS")) {
    s.kind = s.name == "TRANSACTION" ? K::kTransaction : K::kSessionCharacteristics;
    s.name.clear();
    ASSIGN_OR_RETURN(s.options, TransactionOptions(vs, "args"));
  } else if (kind == "VAR_SET_MULTI" || kind == "VAR_SET_CURRENT") {
    return Unimplemented("SET {} is not supported", kind == "VAR_SET_CURRENT" ? "... FROM CURRENT" : s.name);
  } else {
    return Malformed("unknown SET kind {}", kind);
  }
  return s;
}

Result<ast::TransactionStmt> Transaction(const json& ts) {
  ast::TransactionStmt t;
  std::string kind = Str(ts, "kind");
  using K = ast::TransactionStmt::Kind;
  if (kind == "TRANS_STMT_BEGIN") t.kind = K::kBegin;
  else if (kind == "TRANS_STMT_START") t.kind = K::kStart;
  else if (kind == "TRANS_STMT_COMMIT") t.kind = K::kCommit;
  else if (kind == "TRANS_STMT_ROLLBACK") t.kind = K::kRollback;
  static const std::pair<const char*, const char*> kWords[] = {
      {"TRANS_STMT_SAVEPOINT", "SAVEPOINT"},
      {"TRANS_STMT_RELEASE", "RELEASE SAVEPOINT"},
      {"TRANS_STMT_ROLLBACK_TO", "ROLLBACK TO SAVEPOINT"},
      {"TRANS_STMT_PREPARE", "PREPARE TRANSACTION"},
      {"TRANS_STMT_COMMIT_PREPARED", "COMMIT PREPARED"},
      {"TRANS_STMT_ROLLBACK_PREPARED", "ROLLBACK PREPARED"}};
  for (const auto& [k, words] : kWords)
    if (kind == k) t.words = words;
  if (t.kind == K::kOther && t.words.empty()) return Malformed("unknown transaction statement {}", kind);
  t.chain = Bool(ts, "chain");
  ASSIGN_OR_RETURN(t.options, TransactionOptions(ts, "options"));
  return t;
}

Result<ast::DiscardStmt> Discard(const json& ds) {
  ast::DiscardStmt d;
  std::string target = Str(ds, "target");
  using T = ast::DiscardStmt::Target;
  static const std::pair<const char*, T> kTargets[] = {
      {"DISCARD_ALL", T::kAll}, {"DISCARD_PLANS", T::kPlans}, {"DISCARD_SEQUENCES", T::kSequences}, {"DISCARD_TEMP", T::kTemp}};
  for (const auto& [k, t] : kTargets) {
    if (target != k) continue;
    d.target = t;
    d.words = target.substr(8);
    return d;
  }
  return Malformed("unknown DISCARD target {}", target);
}

Result<ast::DeclareCursorStmt> Declare(const json& dc) {
  ast::DeclareCursorStmt d;
  d.name = Str(dc, "portalname");
  int64_t options = Int(dc, "options");
  constexpr int64_t kBinary = 0x1, kScroll = 0x2, kHold = 0x20;  // PostgreSQL's CURSOR_OPT_*
  d.binary = options & kBinary;
  d.scroll = options & kScroll;
  d.hold = options & kHold;
  const json& q = Field(dc, "query");
  if (!q.contains("SelectStmt")) return Unimplemented("DECLARE ... CURSOR FOR needs a SELECT");
  ASSIGN_OR_RETURN(d.query, TransformSelect(q["SelectStmt"]));
  return d;
}

Result<ast::FetchStmt> Fetch(const json& fs) {
  ast::FetchStmt f;
  f.name = Str(fs, "portalname");
  f.move = Bool(fs, "ismove");
  std::string direction = Str(fs, "direction");
  using D = ast::FetchStmt::Direction;
  if (direction.empty() || direction == "FETCH_FORWARD") f.direction = D::kForward;
  else if (direction == "FETCH_BACKWARD") f.direction = D::kBackward;
  else if (direction == "FETCH_ABSOLUTE") f.direction = D::kAbsolute;
  else if (direction == "FETCH_RELATIVE") f.direction = D::kRelative;
  else return Malformed("unknown FETCH direction {}", direction);
  f.count = Int(fs, "howMany", 0);
  return f;
}

}  // namespace

Result<std::optional<ast::SessionStmt>> TransformSessionStmt(const Statement& statement) {
  using Out = std::optional<ast::SessionStmt>;
  const std::string& kind = statement.kind;
  if (kind != "VariableSetStmt" && kind != "VariableShowStmt" && kind != "TransactionStmt" && kind != "DiscardStmt" &&
      kind != "DeclareCursorStmt" && kind != "FetchStmt" && kind != "ClosePortalStmt")
    return Out();
  const json& body = Field(statement.node, kind.c_str());
  if (kind == "VariableSetStmt") {
    ASSIGN_OR_RETURN(ast::SetStmt s, Set(body));
    return Out(std::move(s));
  }
  if (kind == "VariableShowStmt") return Out(ast::ShowStmt{Str(body, "name")});
  if (kind == "TransactionStmt") {
    ASSIGN_OR_RETURN(ast::TransactionStmt t, Transaction(body));
    return Out(std::move(t));
  }
  if (kind == "DiscardStmt") {
    ASSIGN_OR_RETURN(ast::DiscardStmt d, Discard(body));
    return Out(std::move(d));
  }
  if (kind == "DeclareCursorStmt") {
    ASSIGN_OR_RETURN(ast::DeclareCursorStmt d, Declare(body));
    return Out(std::move(d));
  }
  if (kind == "FetchStmt") {
    ASSIGN_OR_RETURN(ast::FetchStmt f, Fetch(body));
    return Out(std::move(f));
  }
  ast::CloseStmt c;
  if (body.contains("portalname")) c.name = Str(body, "portalname");
  return Out(std::move(c));
}

}  // namespace laminar::sql
