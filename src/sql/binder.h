// Binding: turns libpg_query expression nodes (JSON) into typed sql::Expr trees, resolving
// column names against a Scope and casting literals as PostgreSQL does.
//
// Supported expression nodes: ColumnRef (unqualified, or qualified with the relation name or
// alias, which is ignored), A_Const (integer, float, string, boolean, NULL), TypeCast of a
// constant or column ('2024-01-01'::timestamptz, CAST(x AS bigint)), A_Expr (=, <>, !=, <, <=,
// >, >=, +, -, *, /, %, IN, NOT IN, BETWEEN, NOT BETWEEN), BoolExpr (AND, OR, NOT), NullTest
// (IS [NOT] NULL), FuncCall date_trunc('unit', expr) with a constant unit, unary minus.
// Anything else is Unimplemented naming the construct: `unsupported expression: CASE`.
//
// Literal casting: a string literal compared with (or IN-listed against, or BETWEEN-ed with) a
// typed expression is cast to that expression's type: `hour >= '2001-01-08'` parses the text as
// a timestamptz; a bad literal is InvalidArgument (`invalid input syntax for type timestamp
// with time zone: "yesterday"`). Integer literals compared with double columns become doubles.
// Comparing incompatible types (text with bigint) is InvalidArgument naming both types.
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "sql/expr.h"

namespace laminar::sql {

struct ScopeColumn {
  std::string name;
  Type type;
};

// The columns an expression may read; a ColumnRef resolves to its index here (Expr::column).
struct Scope {
  std::vector<ScopeColumn> columns;
  std::string relation;  // table/view name, for messages: `column "x" does not exist in "pv"`
  int Find(const std::string& name) const {
    for (size_t i = 0; i < columns.size(); i++)
      if (columns[i].name == name) return static_cast<int>(i);
    return -1;
  }
};

// Binds a scalar expression. NotFound-like problems are InvalidArgument with PostgreSQL-style
// text: `column "foo" does not exist`.
Result<ExprPtr> BindExpr(const nlohmann::json& node, const Scope& scope);

// Binds a boolean expression (a WHERE clause); InvalidArgument if its type is not boolean:
// `argument of WHERE must be type boolean, not type bigint`.
Result<ExprPtr> BindPredicate(const nlohmann::json& node, const Scope& scope);

// Reads a constant node (A_Const, possibly under TypeCast or unary minus) as a Value; used for
// LIMIT/OFFSET, date_trunc units, WITH options. InvalidArgument if not a constant.
Result<Value> ConstValue(const nlohmann::json& node);

// If the node is a column reference, its (last) name; otherwise "".
std::string ColumnRefName(const nlohmann::json& node);

// True for the names of PostgreSQL's aggregate functions (count, sum, stddev, string_agg, ...),
// whether or not Laminar supports them; BindExpr refuses them ("aggregate function count is not
// allowed here"), so callers that accept aggregates look for them first.
bool IsAggregateName(const std::string& name);

// Casts a text literal to a type, as PostgreSQL input functions do ("true"/"t"/"yes"/"1" for
// boolean, ISO-8601 for timestamptz, numbers). InvalidArgument on bad input.
Result<Value> CastText(const std::string& text, Type type);

}  // namespace laminar::sql
