// The typed trees of role statements: CREATE/ALTER ROLE or USER, DROP ROLE or USER, GRANT and
// REVOKE on relations (sql/ast_ddl.h), read from libpg_query's tree once.
#include "sql/ast_ddl.h"
#include "sql/transformer.h"
#include "sql/transformer_internal.h"

namespace laminar::sql {

using namespace internal;
using nlohmann::json;

namespace {

// A RoleSpec's name (the node itself, or wrapped in {"RoleSpec": ...}); CURRENT_USER and the
// like are refused by name.
Result<std::string> RoleName(const json& node) {
  const json& spec = node.contains("RoleSpec") ? node["RoleSpec"] : node;
  std::string type = Str(spec, "roletype");
  if (type != "ROLESPEC_CSTRING")
    return Unimplemented("a role given as {} is not supported: name the role", type.empty() ? "?" : type);
  return Str(spec, "rolename");
}

}  // namespace

Result<ast::RoleStmt> TransformRoleStmt(const Statement& statement) {
  ast::RoleStmt r;
  const json* body = nullptr;
  if (statement.kind == "CreateRoleStmt") {
    body = &statement.node["CreateRoleStmt"];
    r.create = true;
    std::string type = Str(*body, "stmt_type");
    if (type == "ROLESTMT_GROUP") return Unimplemented("CREATE GROUP is not supported: use CREATE ROLE");
    r.user = type == "ROLESTMT_USER";
    r.name = Str(*body, "role");
  } else if (statement.kind == "AlterRoleStmt") {
    body = &statement.node["AlterRoleStmt"];
    r.create = false;
    ASSIGN_OR_RETURN(r.name, RoleName(Field(*body, "role")));
  } else {
    return InvalidArgument("not a CREATE or ALTER ROLE statement: {}", statement.kind);
  }
  for (const json& item : Field(*body, "options")) {
    const json& de = Field(item, "DefElem");
    std::string name = Str(de, "defname");
    const json& arg = Field(de, "arg");
    bool flag = Field(Field(arg, "Boolean"), "boolval").is_boolean() && Field(Field(arg, "Boolean"), "boolval").get<bool>();
    if (name == "password") {
      r.password_given = true;
      if (arg.contains("String")) r.password = Str(arg["String"], "sval");
    } else if (name == "superuser") {
      r.superuser = flag;
    } else if (name == "canlogin") {
      r.login = flag;
    } else {
      r.other_options.push_back(name);
    }
  }
  return r;
}

Result<ast::DropRoleStmt> TransformDropRole(const Statement& statement) {
  if (statement.kind != "DropRoleStmt") return InvalidArgument("not a DROP ROLE statement: {}", statement.kind);
  const json& body = statement.node["DropRoleStmt"];
  ast::DropRoleStmt d;
  d.if_exists = Field(body, "missing_ok").is_boolean() && body["missing_ok"].get<bool>();
  for (const json& role : Field(body, "roles")) {
    ASSIGN_OR_RETURN(std::string name, RoleName(role));
    d.names.push_back(std::move(name));
  }
  return d;
}

Result<ast::GrantStmt> TransformGrant(const Statement& statement) {
  if (statement.kind != "GrantStmt") return InvalidArgument("not a GRANT or REVOKE statement: {}", statement.kind);
  const json& body = statement.node["GrantStmt"];
  ast::GrantStmt g;
  g.grant = Field(body, "is_grant").is_boolean() && body["is_grant"].get<bool>();
  std::string target = Str(body, "targtype");
  if (target == "ACL_TARGET_DEFAULTS") return Unimplemented("ALTER DEFAULT PRIVILEGES is not supported");
  g.all_in_schema = target == "ACL_TARGET_ALL_IN_SCHEMA";
  std::string type = Str(body, "objtype");
  g.object_type = type == "OBJECT_TABLE" ? "table" : type;
  for (const json& obj : Field(body, "objects")) {
    if (obj.contains("RangeVar")) {
      ASSIGN_OR_RETURN(ast::RangeName rel, TransformRangeVar(obj["RangeVar"]));
      g.objects.push_back(rel.name);
    } else {
      g.objects.push_back(StringValue(obj));
    }
  }
  for (const json& p : Field(body, "privileges")) {
    std::string name = Str(Field(p, "AccessPriv"), "priv_name");
    if (!Field(Field(p, "AccessPriv"), "cols").empty()) return Unimplemented("column privileges are not supported");
    g.privileges.push_back(name);
  }
  for (const json& role : Field(body, "grantees")) {
    ASSIGN_OR_RETURN(std::string name, RoleName(role));
    g.grantees.push_back(std::move(name));
  }
  return g;
}

}  // namespace laminar::sql
