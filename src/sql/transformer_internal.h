// Helpers shared by transformer_expr.cc and transformer_select.cc: typed access to libpg_query's
// JSON that reports a malformed tree as InvalidArgument instead of throwing.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "common/status.h"
#include "sql/ast.h"

namespace laminar::sql::internal {

using json = nlohmann::json;

// A node {"Type": {...}}: its type name and body. False when `node` is not such an object.
bool SplitNode(const json& node, std::string* type, const json** body);

template <typename... Args>
Status Malformed(fmt::format_string<Args...> f, Args&&... args) {
  return InvalidArgument("malformed parse tree: {}", fmt::format(f, std::forward<Args>(args)...));
}

// The user's words for a node type the transformer does not handle ("XMLELEMENT", "TABLESAMPLE").
std::string DescribeNode(const std::string& type, const json& body);
Status NotSupported(const std::string& type, const json& body);

// Field access: a missing field gives the default; a field of the wrong JSON type too.
std::string Str(const json& obj, const char* key);
int64_t Int(const json& obj, const char* key, int64_t fallback = 0);
bool Bool(const json& obj, const char* key);
int Location(const json& obj);
// The list under `key` (an empty array when missing); Malformed when present but not an array.
Result<const json*> ListField(const json& obj, const char* key);
// The string of a {"String": {"sval": "..."}} node, "" if not one (sql::StringValue throws on a
// malformed node).
std::string SVal(const json& node);
// A list of String nodes; JoinedNames: dotted, "" when malformed (for messages and matching).
Result<std::vector<std::string>> Names(const json& obj, const char* key);
std::string JoinedNames(const json& obj, const char* key);

// The recursive entry points, shared by both files.
Result<ast::ExprPtr> Expr(const json& node);
Result<ast::ExprPtr> OptionalExpr(const json& obj, const char* key);  // null when absent
Result<std::vector<ast::ExprPtr>> ExprList(const json& obj, const char* key);
Result<std::vector<ast::SortItem>> SortList(const json& obj, const char* key);
Result<std::unique_ptr<ast::WindowDef>> Window(const json& window_def_body, bool in_over_clause);
Result<ast::SelectPtr> SelectNode(const json& node);  // {"SelectStmt": {...}}

}  // namespace laminar::sql::internal
