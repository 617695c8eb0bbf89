// Binding: turns expressions of the syntax tree (sql/ast.h) into typed sql::Expr trees, resolving
// column names against a Scope and typing literals and operators as PostgreSQL does.
//
// Supported expressions (docs/sql.md, "Expressions", is the user-facing list):
//  - column references `c`, `t.c` (see Scope::Resolve); constants (integer, float, string,
//    boolean, NULL);
//  - casts of any expression (`CAST(x AS t)`, `x::t`, `timestamptz '...'`) to the five types,
//    where PostgreSQL has the cast (`cannot cast type timestamp with time zone to bigint`);
//    `interval '...'` constants (no months or years) as operands of timestamptz + and -;
//  - operators = <> != < <= > >= + - * / % ||, unary - and +, IN, NOT IN, BETWEEN, NOT BETWEEN,
//    [NOT] LIKE, [NOT] ILIKE (with ESCAPE), NULLIF; AND, OR, NOT; IS [NOT] NULL;
//  - CASE (searched and simple), COALESCE, GREATEST, LEAST;
//  - arrays, held as text in PostgreSQL's form (sql/array.h): x op ANY/ALL (array), ARRAY[...],
//    subscripts a[i], casts to t[] / int2vector / oidvector, the array functions; COLLATE "C"
//    (and "POSIX", "default"), which changes nothing;
//  - calls of the scalar functions of sql::Func, date_trunc, extract/date_part, now() (and
//    CURRENT_TIMESTAMP/LOCALTIMESTAMP), `AT TIME ZONE 'UTC'`; names may be qualified with
//    pg_catalog.
// Anything else is Unimplemented naming the construct: `unsupported expression: IS DISTINCT
// FROM`, `unsupported function: md5`.
//
// Typing: a string literal compared with (or IN-listed against, or BETWEEN-ed with) a typed
// expression is cast to that expression's type: `hour >= '2001-01-08'` parses the text as a
// timestamptz; a bad literal is InvalidArgument (`invalid input syntax for type timestamp with
// time zone: "yesterday"`). Integer literals compared with double columns become doubles.
// Comparing incompatible types (text with bigint) is InvalidArgument naming both types. CASE,
// COALESCE, GREATEST and LEAST take the common type of their branches as PostgreSQL's
// select_common_type does (bigint with double is double; NULL and string literals adopt the
// others' type; `CASE types text and bigint cannot be matched`).
//
// Constant subexpressions (no column reads) are evaluated at bind time and become literals, as
// PostgreSQL's planner folds them; an error while folding (`bigint out of range`) is returned
// as InvalidArgument. now() and CURRENT_TIMESTAMP are the statement's time: the instant pinned by
// a ScopedStatementTime on the thread, else the clock read once per BindExpr/BindPredicate call.
//
// Thread safety: pure functions (ScopedStatementTime is per thread).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "sql/ast.h"
#include "sql/expr.h"

namespace laminar::sql {

struct ScopeColumn {
  std::string name;
  Type type;
  // The table name or alias the column belongs to (for joins: `t.c`); empty for a scope of one
  // relation, whose columns are referred to unqualified (a qualifier is then not checked).
  std::string relation;
  // The right-hand copy of a JOIN ... USING column: reachable qualified (`t.c`); an unqualified
  // `c` means the left-hand copy, as in PostgreSQL.
  bool merged = false;
  // An array's element type or a record's fields, when the column holds one (sql/expr.h).
  TextShape shape = {};
};

// The columns an expression may read; a ColumnRef resolves to its index here (Expr::column).
struct Scope {
  std::vector<ScopeColumn> columns;
  std::string relation;  // table/view name, for messages: `column "x" does not exist in "pv"`

  // The first column named `name`, whatever its relation, or -1.
  int Find(const std::string& name) const {
    for (size_t i = 0; i < columns.size(); i++)
      if (columns[i].name == name) return static_cast<int>(i);
    return -1;
  }

  // Full resolution of a column reference `qualifier.name` (qualifier empty: unqualified), as
  // PostgreSQL resolves names over its FROM list. When no column has a relation set, the
  // qualifier is ignored and this is Find. Otherwise:
  //  - `t.c` is the column c of relation t; InvalidArgument `missing FROM-clause entry for table
  //    "t"` when no column belongs to t, `column t.c does not exist` when t has no column c;
  //  - `c` is the column named c; InvalidArgument `column reference "c" is ambiguous` when
  //    columns of two different relations are named c.
  // A missing column is InvalidArgument `column "c" does not exist` (` in "relation"` when
  // Scope::relation is set).
  Result<int> Resolve(std::string_view qualifier, std::string_view name) const;
};

// Called by the binder for every expression node it is about to bind: the root and each
// sub-expression, before anything else. A non-null result is used as the bound expression of
// that node (its children are not looked at); null means "bind it normally" (its children are
// then offered to the hook in turn); an error is returned as is. The query planner uses it to
// replace aggregate calls with the columns holding their results. When the hook returns null for
// an aggregate call, the binder still refuses it: `aggregate function count is not allowed
// here`. Constants that are part of a construct's syntax are read directly and not offered:
// date_trunc's unit, extract's field, AT TIME ZONE's zone and a LIKE's ESCAPE string (the
// pattern itself is offered); neither are a CASE's WHEN/THEN arms as such (their expressions
// are).
using BindHook = std::function<Result<ExprPtr>(const ast::Expr& node)>;

// Binds a scalar expression. NotFound-like problems are InvalidArgument with PostgreSQL-style
// text: `column "foo" does not exist`.
Result<ExprPtr> BindExpr(const ast::Expr& node, const Scope& scope, const BindHook* hook = nullptr);

// Binds a boolean expression (a WHERE clause); InvalidArgument if its type is not boolean:
// `argument of WHERE must be type boolean, not type bigint`.
Result<ExprPtr> BindPredicate(const ast::Expr& node, const Scope& scope, const BindHook* hook = nullptr);

// Pins the value of now() / CURRENT_TIMESTAMP for the binds of this thread while it lives (one
// statement's expressions then see one instant, as in PostgreSQL, so that equal expressions
// print equal ToString). Nests: the innermost wins.
class ScopedStatementTime {
 public:
  explicit ScopedStatementTime(int64_t micros);
  ~ScopedStatementTime();
  ScopedStatementTime(const ScopedStatementTime&) = delete;
  ScopedStatementTime& operator=(const ScopedStatementTime&) = delete;

 private:
  std::optional<int64_t> previous_;
};

// A statement's parameter $n: the value a client bound to it (the PostgreSQL protocol's Bind,
// SQL EXECUTE). `unknown`: a text value whose type the client left open (an unspecified or a
// text parameter): it takes the type its context needs, as a quoted literal does ($1 = 5 with
// '5' compares as bigint); otherwise the value is of `type`.
struct Param {
  Value value;
  Type type = Type::kText;
  bool unknown = true;
};

// Pins the values of $1..$n for the binds of this thread while it lives; $n binds as a constant
// of its value (and folds as one). Without one, or past the last value, $n is InvalidArgument
// (42P02 `there is no parameter $n`). Nests: the innermost wins. `params` must outlive it.
class ScopedParams {
 public:
  explicit ScopedParams(const std::vector<Param>* params);
  ~ScopedParams();
  ScopedParams(const ScopedParams&) = delete;
  ScopedParams& operator=(const ScopedParams&) = delete;

 private:
  const std::vector<Param>* previous_;
};

// The quantiles of percentile_cont/percentile_disc and approx_percentile: q or ARRAY[q1, q2, ...]
// (also under a cast), each a numeric constant in [0, 1]; *is_array tells which form was written.
// InvalidArgument naming `fn` otherwise (22023 not a numeric constant, 22003 out of [0, 1], 54000
// past 1000 quantiles).
Result<std::vector<double>> BindQuantiles(const ast::Expr& arg, std::string_view fn, bool* is_array);

// Reads a constant expression (a constant, possibly under a cast or unary minus) as a Value;
// used for LIMIT/OFFSET, date_trunc units, WITH options. InvalidArgument if not a constant.
Result<Value> ConstValue(const ast::Expr& node);

// If the node is a column reference (not `t.*`), its (last) name; otherwise "".
std::string ColumnRefName(const ast::Expr& node);

// True for the names of PostgreSQL's aggregate functions (count, sum, stddev, string_agg, ...),
// whether or not Laminar supports them; BindExpr refuses them ("aggregate function count is not
// allowed here"), so callers that accept aggregates look for them first.
bool IsAggregateName(const std::string& name);

// Casts a text literal to a type, as PostgreSQL input functions do ("true"/"t"/"yes"/"1" for
// boolean, ISO-8601 for timestamptz, numbers). InvalidArgument on bad input.
Result<Value> CastText(const std::string& text, Type type);

}  // namespace laminar::sql
