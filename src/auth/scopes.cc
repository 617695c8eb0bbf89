#include "auth/scopes.h"

#include <fmt/format.h>

#include "sql/ast_ddl.h"
#include "sql/ast_session.h"
#include "sql/transformer.h"

namespace laminar::auth {

Result<Scope> ParseScope(std::string_view text) {
  if (text == "query") return Scope{ScopeKind::kQuery, {}};
  if (text == "admin") return Scope{ScopeKind::kAdmin, {}};
  if (text.substr(0, 7) == "ingest:" && text.size() > 7) return Scope{ScopeKind::kIngest, std::string(text.substr(7))};
  return InvalidArgument("unknown scope \"{}\" (expected query, admin, ingest:<stream> or ingest:*)", text);
}

Result<std::vector<Scope>> ParseScopes(const std::vector<std::string>& texts) {
  std::vector<Scope> out;
  for (const std::string& t : texts) {
    ASSIGN_OR_RETURN(Scope s, ParseScope(t));
    out.push_back(std::move(s));
  }
  return out;
}

std::string FormatScope(const Scope& scope) {
  switch (scope.kind) {
    case ScopeKind::kQuery: return "query";
    case ScopeKind::kAdmin: return "admin";
    case ScopeKind::kIngest: return "ingest:" + scope.stream;
  }
  return "";
}

bool Principal::admin() const {
  if (anonymous()) return true;
  for (const Scope& s : scopes)
    if (s.kind == ScopeKind::kAdmin) return true;
  return false;
}

Principal Principal::Anonymous() { return Principal{"anonymous", "anonymous", {}, {}}; }

std::string Access::What() const {
  switch (kind) {
    case Kind::kAuthenticated: return "a login";
    case Kind::kQuery: return "the scope query";
    case Kind::kAdmin: return "the scope admin";
    case Kind::kIngest: return "the scope ingest:" + stream;
  }
  return "";
}

bool Allows(const Principal& who, const Access& access) {
  if (who.admin()) return true;
  switch (access.kind) {
    case Access::Kind::kAuthenticated: return true;
    case Access::Kind::kAdmin: return false;
    case Access::Kind::kQuery:
      for (const Scope& s : who.scopes)
        if (s.kind == ScopeKind::kQuery) return true;
      return false;
    case Access::Kind::kIngest:
      for (const Scope& s : who.scopes)
        if (s.kind == ScopeKind::kIngest && (s.stream == "*" || s.stream == access.stream)) return true;
      return false;
  }
  return false;
}

Status Authorize(const Principal& who, const Access& access, std::string_view action) {
  if (Allows(who, access)) return Status::OK();
  return PermissionDenied(ErrorCode::kInsufficientPrivilege, "permission denied: {} needs {}, which {} \"{}\" does not have",
                          action, access.What(), who.kind, who.name);
}

Result<std::vector<Access>> StatementAccess(const sql::Statement& stmt) {
  const std::string& kind = stmt.kind;
  if (kind == "SelectStmt" || kind == "ExplainStmt") return std::vector<Access>{Access::Query()};
  if (kind == "PrepareStmt" || kind == "ExecuteStmt" || kind == "DeallocateStmt") return std::vector<Access>{};
  if (kind == "InsertStmt") {
    ASSIGN_OR_RETURN(sql::ast::InsertStmt insert, sql::TransformInsert(stmt));
    std::vector<Access> need{Access::Ingest(insert.relation.name)};
    if (insert.query && insert.query->values_lists.empty()) need.push_back(Access::Query());
    return need;
  }
  if (kind == "CopyStmt") {
    ASSIGN_OR_RETURN(sql::ast::CopyStmt copy, sql::TransformCopy(stmt));
    if (copy.filename || copy.is_program) return std::vector<Access>{Access::Admin()};  // the server's files
    if (copy.is_from) return std::vector<Access>{Access::Ingest(copy.relation.name)};
    return std::vector<Access>{Access::Query()};
  }
  ASSIGN_OR_RETURN(std::optional<sql::ast::SessionStmt> session, sql::TransformSessionStmt(stmt));
  if (session) {
    if (std::holds_alternative<sql::ast::DeclareCursorStmt>(*session)) return std::vector<Access>{Access::Query()};
    return std::vector<Access>{};
  }
  return std::vector<Access>{Access::Admin()};
}

Status AuthorizeStatement(const Principal& who, const sql::Statement& stmt, bool* needs_admin) {
  if (needs_admin) *needs_admin = false;
  const std::string& kind = stmt.kind;
  if (who.admin() && (kind == "SelectStmt" || kind == "InsertStmt" || kind == "ExplainStmt")) return Status::OK();
  ASSIGN_OR_RETURN(std::vector<Access> need, StatementAccess(stmt));
  for (const Access& a : need) {
    if (needs_admin && a.kind == Access::Kind::kAdmin) *needs_admin = true;
    RETURN_IF_ERROR(Authorize(who, a, sql::DescribeKind(kind)));
  }
  return Status::OK();
}

}  // namespace laminar::auth
