// Roles made in SQL: CREATE/ALTER ROLE or USER, DROP ROLE or USER, GRANT and REVOKE, as
// PostgreSQL's grammar writes them, mapped onto Laminar's scopes (auth/scopes.h). A password is
// kept only as its SCRAM-SHA-256 verifier (auth/scram.h).
#include <algorithm>

#include "auth/scram.h"
#include "catalog/ddl.h"
#include "sql/transformer.h"

namespace laminar::catalog::internal {
namespace {

Change RoleChange(const std::string& name, const char* tag) { return Change{ChangeKind::kRole, name, tag}; }

// The verifier for PASSWORD 'text': a SCRAM-SHA-256 verifier as given (what psql's \password
// sends), else the password, hashed here. md5 verifiers are refused: Laminar never offers md5.
Result<std::string> VerifierOf(const std::string& password) {
  if (password.rfind("SCRAM-SHA-256$", 0) == 0) {
    RETURN_IF_ERROR(auth::ParseVerifier(password).status());
    return password;
  }
  if (password.size() == 35 && password.rfind("md5", 0) == 0 &&
      std::all_of(password.begin() + 3, password.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
    return Unimplemented("md5 passwords are not supported: give the password or a SCRAM-SHA-256 verifier");
  if (password.empty()) return InvalidArgument("an empty password is not allowed (PASSWORD NULL removes it)");
  return auth::FormatVerifier(auth::MakeVerifier(password));
}

}  // namespace

Status ApplyRole(const sql::Statement& stmt, Snapshot* s, Change* change) {
  ASSIGN_OR_RETURN(sql::ast::RoleStmt r, sql::TransformRoleStmt(stmt));
  if (!r.other_options.empty())
    return Unimplemented("role option {} is not supported (Laminar knows PASSWORD, LOGIN and SUPERUSER)",
                         r.other_options.front());
  RETURN_IF_ERROR(CheckObjectName(r.name, "role"));
  auto it = s->roles.find(r.name);
  std::shared_ptr<RoleDef> role;
  if (r.create) {
    if (it != s->roles.end()) return AlreadyExists(ErrorCode::kDuplicateObject, "role \"{}\" already exists", r.name);
    role = std::make_shared<RoleDef>();
    role->name = r.name;
    role->login = r.user;
  } else {
    if (it == s->roles.end()) return NotFound(ErrorCode::kUndefinedObject, "role \"{}\" does not exist", r.name);
    role = std::make_shared<RoleDef>(*it->second);
  }
  if (r.password_given) {
    role->verifier.clear();
    if (r.password) {
      ASSIGN_OR_RETURN(role->verifier, VerifierOf(*r.password));
    }
  }
  if (r.login) role->login = *r.login;
  if (r.superuser) role->superuser = *r.superuser;
  s->roles[r.name] = std::move(role);
  *change = RoleChange(r.name, r.create ? "CREATE ROLE" : "ALTER ROLE");
  return Status::OK();
}

Status DropRole(const sql::Statement& stmt, Snapshot* s, Change* change) {
  ASSIGN_OR_RETURN(sql::ast::DropRoleStmt d, sql::TransformDropRole(stmt));
  for (const std::string& name : d.names)
    if (!s->roles.count(name) && !d.if_exists)
      return NotFound(ErrorCode::kUndefinedObject, "role \"{}\" does not exist", name);
  bool any = false;
  for (const std::string& name : d.names) any = s->roles.erase(name) > 0 || any;
  *change = any ? RoleChange(d.names.front(), "DROP ROLE") : Change{ChangeKind::kNone, d.names.front(), "DROP ROLE"};
  return Status::OK();
}

Status Grant(const sql::Statement& stmt, Snapshot* s, Change* change) {
  ASSIGN_OR_RETURN(sql::ast::GrantStmt g, sql::TransformGrant(stmt));
  const char* verb = g.grant ? "GRANT" : "REVOKE";
  if (g.object_type != "table")
    return Unimplemented("{} on objects other than tables is not supported ({})", verb, g.object_type);
  bool select = g.privileges.empty(), insert = g.privileges.empty();
  for (const std::string& p : g.privileges) {
    if (p == "select") select = true;
    else if (p == "insert") insert = true;
    else return Unimplemented("privilege {} is not supported: Laminar grants SELECT (the scope query) and INSERT "
                              "(the scope ingest:<table>)", p);
  }
  std::set<std::string> scopes;
  if (g.all_in_schema) {
    for (const std::string& schema : g.objects)
      if (schema != "public") return NotFound(ErrorCode::kInvalidSchemaName, "schema \"{}\" does not exist", schema);
    if (select) scopes.insert("query");
    if (insert) scopes.insert("ingest:*");
  } else {
    if (select)
      return Unimplemented("{} SELECT on single tables is not supported: Laminar's scope query covers every relation: "
                           "{} SELECT ON ALL TABLES IN SCHEMA public {} role", verb, verb, g.grant ? "TO" : "FROM");
    for (const std::string& table : g.objects) {
      if (!s->streams.count(table) && !s->dimensions.count(table))
        return NotFound(ErrorCode::kUndefinedTable, "relation \"{}\" does not exist (INSERT is granted on streams and "
                                                    "dimension tables)", table);
      scopes.insert("ingest:" + table);
    }
  }
  for (const std::string& grantee : g.grantees)
    if (!s->roles.count(grantee)) return NotFound(ErrorCode::kUndefinedObject, "role \"{}\" does not exist", grantee);
  for (const std::string& grantee : g.grantees) {
    auto role = std::make_shared<RoleDef>(*s->roles[grantee]);
    for (const std::string& scope : scopes) {
      if (g.grant) role->scopes.insert(scope);
      else role->scopes.erase(scope);
    }
    s->roles[grantee] = std::move(role);
  }
  *change = RoleChange(g.grantees.empty() ? "" : g.grantees.front(), verb);
  return Status::OK();
}

}  // namespace laminar::catalog::internal
