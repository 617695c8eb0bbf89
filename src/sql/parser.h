// The SQL front end's first step: libpg_query (the real PostgreSQL 15 grammar) turns text into a
// parse tree, which Laminar reads as JSON (nlohmann::json; pg_query_parse's output) rather than
// through the 4.5 MB generated protobuf code: same parser, same tree, simpler walking.
//
// Laminar-specific pre-parsing (documented in docs/sql.md):
//  - `CREATE OR REPLACE MATERIALIZED VIEW` is not PostgreSQL grammar: the two words OR REPLACE
//    are recognised and removed before parsing, and the statement is flagged `or_replace`.
//
// Thread safety: functions are thread-safe (libpg_query keeps per-thread memory contexts).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace laminar::sql {

struct Statement {
  // The statement's node: the object inside RawStmt.stmt, e.g. {"SelectStmt": {...}}.
  nlohmann::json node;
  std::string kind;   // the node's key: "SelectStmt", "CreateStmt", "CreateTableAsStmt", "DropStmt", ...
  std::string text;   // the statement's own SQL text (trimmed, no trailing ';')
  bool or_replace = false;
};

// Parses one or more statements separated by ';'. InvalidArgument on a syntax error, with
// PostgreSQL's message and the position: `syntax error at or near "FORM" (at character 10)`.
// Empty input (only whitespace/comments) gives an empty vector.
// Also InvalidArgument for a statement with more than 10,000 operators or a tree nested deeper
// than about 500 expression levels (libpg_query and recursive walks would overflow the stack).
// Works around libpg_query 15 dropping zero/negative integer constants from its JSON: every
// A_Const "ival" in the returned trees carries its value.
Result<std::vector<Statement>> Parse(std::string_view sql);

// Helpers for walking the tree.
// obj[key] without copying, or a JSON null (which iterates as empty, size 0) when obj has no such
// key or is not an object. Prefer it to json::value(key, default), which copies the subtree.
const nlohmann::json& Field(const nlohmann::json& obj, const char* key);
// The string of a {"String": {"sval": "..."}} node (PostgreSQL 15 JSON), or "" if not one.
std::string StringValue(const nlohmann::json& node);
// Joins a list of String nodes with '.', e.g. a qualified name ["public","pv"] → "public.pv".
std::string NameList(const nlohmann::json& list);
// The last name of a FuncCall body's funcname ("pg_catalog.count" → "count").
std::string FuncName(const nlohmann::json& func_call);
// True when `pred` holds for `node` or for any object nested in it (depth first).
bool AnyNode(const nlohmann::json& node, const std::function<bool(const nlohmann::json&)>& pred);
// The highest parameter number ($n) in the statement, 0 when it has none.
int MaxParamNumber(const Statement& stmt);
// The statement kind as SQL, for messages: "SelectStmt" → "SELECT", "InsertStmt" → "INSERT", ...
std::string DescribeKind(const std::string& kind);

}  // namespace laminar::sql
