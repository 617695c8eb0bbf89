// The typed syntax tree of a query: what the transformer (sql/transformer.h) makes of
// libpg_query's parse tree, once. Everything downstream of the transformer — the binder, the
// planner, DDL — reads this tree, never the JSON.
//
// The tree is syntax, not meaning: names are unresolved, types unknown, `count(*)` is a function
// call like any other. It keeps what PostgreSQL's grammar distinguishes and what error messages
// need (`location`: the 0-based byte offset of the node in the statement text, -1 when unknown).
//
// Ownership: each node owns its children (unique_ptr); Clone() copies a subtree (the planner
// needs that when a select-list expression is referenced again by GROUP BY position).
//
// Thread safety: values; not synchronised.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/types.h"

namespace laminar::sql::ast {

struct Expr;
struct SelectStmt;
struct TableRef;
using ExprPtr = std::unique_ptr<Expr>;
using SelectPtr = std::unique_ptr<SelectStmt>;
using TableRefPtr = std::unique_ptr<TableRef>;

// A type as written: `double precision` → names {"pg_catalog", "float8"}; `varchar(10)` →
// {"varchar"} with modifiers {10}; `text[]` → array_bounds 1; `interval day to second` keeps
// its modifiers. `name()` is the last name ("float8").
struct TypeName {
  std::vector<std::string> names;
  std::vector<int64_t> modifiers;
  int array_bounds = 0;     // number of [] suffixes
  bool setof = false;
  int location = -1;
  const std::string& name() const { return names.back(); }
  // "float8", "pg_catalog.varchar(10)", "text[]": for messages.
  std::string ToString() const;
};

enum class SortDir { kDefault, kAsc, kDesc };
enum class NullsOrder { kDefault, kFirst, kLast };

struct SortItem {
  ExprPtr expr;
  SortDir dir = SortDir::kDefault;
  NullsOrder nulls = NullsOrder::kDefault;
  int location = -1;
  SortItem Clone() const;
};

// A window frame bound: UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n FOLLOWING, UNBOUNDED
// FOLLOWING.
enum class FrameBoundKind { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };
enum class FrameMode { kRange, kRows, kGroups };
enum class FrameExclusion { kNone, kCurrentRow, kGroup, kTies };

struct WindowDef {
  std::string name;      // WINDOW w AS (...): the definition's name
  std::string refname;   // OVER (w ORDER BY ...) or OVER w: the window it builds on
  bool ref_only = false; // OVER w (no parentheses): refname is w and nothing else is given; in
                         // PostgreSQL it takes w's frame too, where OVER (w) may not
  std::vector<ExprPtr> partition_by;
  std::vector<SortItem> order_by;
  bool has_frame = false;  // false: the default frame (RANGE UNBOUNDED PRECEDING .. CURRENT ROW)
  FrameMode mode = FrameMode::kRange;
  FrameBoundKind start = FrameBoundKind::kUnboundedPreceding;
  FrameBoundKind end = FrameBoundKind::kCurrentRow;
  ExprPtr start_offset, end_offset;  // for kPreceding / kFollowing
  FrameExclusion exclusion = FrameExclusion::kNone;
  int location = -1;
  std::unique_ptr<WindowDef> Clone() const;
};

enum class ExprKind {
  kColumnRef,    // names: ["c"], ["t", "c"], ["s", "t", "c"]; `star` for t.* and *
  kConstant,     // value (bigint, double, text, boolean or NULL); see `constant_text`
  kParam,        // $n: param_number
  kOperator,     // op: "+", "-", "*", "/", "%", "^", "=", "<>", "<", "<=", ">", ">=", "||", "~",
                 // "~*", "!~", "!~*", "->>", ...: args = [left, right], or [operand] for a prefix
                 // operator (unary minus: op "-")
  kAnd,          // args (≥ 2)
  kOr,           // args (≥ 2)
  kNot,          // args[0]
  kNullTest,     // args[0] IS [NOT] NULL (negated: IS NOT NULL)
  kBoolTest,     // args[0] IS [NOT] TRUE | FALSE | UNKNOWN (bool_test, negated)
  kDistinctFrom, // args[0] IS [NOT] DISTINCT FROM args[1] (negated: IS NOT DISTINCT FROM)
  kBetween,      // args[0] [NOT] BETWEEN [SYMMETRIC] args[1] AND args[2]
  kInList,       // args[0] [NOT] IN (args[1..])
  kAnyAll,       // args[0] op ANY|ALL (args[1]), args[1] an array expression (not a subquery):
                 // `relkind = ANY('{r,m}')`, `x = ANY(ARRAY[1,2])` (all: ALL)
  kLike,         // args[0] [NOT] LIKE | ILIKE | SIMILAR TO args[1] [ESCAPE args[2]]
  kCase,         // CASE [args[0] if has_operand] WHEN w THEN t ... [ELSE e] END:
                 // args = [operand?], w1, t1, ..., wn, tn, [else if has_else]
  kCoalesce,     // COALESCE(args)
  kNullIf,       // NULLIF(args[0], args[1])
  kGreatest,     // GREATEST(args)
  kLeast,        // LEAST(args)
  kCast,         // CAST(args[0] AS type) / args[0]::type / type 'literal'
  kFunction,     // func_name(args) with its decorations (see the fields below); also aggregates
                 // and window functions (over != null)
  kSubquery,     // a subquery in an expression: sublink kind, args[0] the test expression for
                 // ANY/ALL/IN, op the operator for ANY/ALL ("=" for IN)
  kArray,        // ARRAY[args] or '{...}'-less array constructor
  kSqlValue,     // CURRENT_DATE, CURRENT_TIME(STAMP), LOCALTIME(STAMP), CURRENT_USER, SESSION_USER,
                 // USER, CURRENT_ROLE, CURRENT_CATALOG, CURRENT_SCHEMA: sql_value names it
  kGrouping,     // GROUPING(args)
  kIndirection,  // args[0] followed by subscripts [i] / slices / .field: see `indirection`
  kRow,          // ROW(args) or (a, b)
  kCollate,      // args[0] COLLATE collation (names)
  kStar,         // a bare * in an argument list: count(*) has `agg_star` instead; kept for
                 // forms like `SELECT (t).*`
};

enum class BoolTestKind { kTrue, kFalse, kUnknown };
enum class LikeKind { kLike, kILike, kSimilar };
enum class SublinkKind { kExists, kAny, kAll, kScalar, kArray, kIn };

struct IndirectionStep {
  bool is_field = false;      // .field (name) or [subscript]
  std::string field;
  ExprPtr lower, upper;       // [lower] or [lower:upper] (is_slice)
  bool is_slice = false;
};

struct Expr {
  ExprKind kind = ExprKind::kConstant;
  int location = -1;
  std::vector<ExprPtr> args;

  // kColumnRef
  std::vector<std::string> names;  // also kCollate (collation name), kFunction (see func_name)
  bool star = false;               // t.* or *

  // kConstant: the value, and how it was written: a quoted string stays text ('2024-01-01' is an
  // "unknown"-typed literal in PostgreSQL, typed by its context), numbers as bigint or double
  // (a numeric literal too large for bigint, or with a '.', or an exponent, is a double here;
  // `constant_text` keeps its exact text, e.g. for numeric()), NULL as a null Value.
  Value value;
  bool is_string = false;      // a quoted literal ('...', E'...', $$...$$)
  std::string constant_text;   // numbers: the literal as written
  bool is_bit_string = false;  // B'0101' / X'1F': constant_text and value (text) hold libpg_query's
                               // form of it, "b0101" / "x1F"

  int param_number = 0;        // kParam

  std::string op;              // kOperator, kAnyAll, kSubquery (ANY/ALL): the operator name
  std::vector<std::string> op_schema;  // OPERATOR(pg_catalog.~): the schema part, if any

  bool negated = false;        // NOT BETWEEN, NOT IN, NOT LIKE, IS NOT NULL, IS NOT DISTINCT FROM, IS NOT TRUE
  bool symmetric = false;      // BETWEEN SYMMETRIC
  bool all = false;            // kAnyAll: ALL (else ANY)
  BoolTestKind bool_test = BoolTestKind::kTrue;
  LikeKind like = LikeKind::kLike;
  bool has_escape = false;     // kLike: args[2] is the escape
  bool has_operand = false;    // kCase
  bool has_else = false;       // kCase

  std::optional<TypeName> type;  // kCast

  // kFunction
  std::vector<std::string> func_name;  // as written, lower-cased: {"pg_catalog", "count"}
  bool agg_star = false;               // count(*)
  bool agg_distinct = false;           // count(DISTINCT x)
  bool agg_within_group = false;       // percentile_cont(0.5) WITHIN GROUP (ORDER BY x):
                                       // agg_order holds the ORDER BY, args the direct arguments
  bool func_variadic = false;          // VARIADIC argument
  std::vector<SortItem> agg_order;     // string_agg(x, ',' ORDER BY y), or WITHIN GROUP's order
  ExprPtr agg_filter;                  // FILTER (WHERE ...)
  std::unique_ptr<WindowDef> over;     // OVER (...) / OVER name (over->refname)
  std::vector<std::string> arg_names;  // named arguments (name => value), "" where positional

  // kSubquery
  SublinkKind sublink = SublinkKind::kScalar;
  SelectPtr subquery;

  std::string sql_value;  // kSqlValue: "current_date", "current_timestamp", "current_user", ...
  int sql_value_precision = -1;  // CURRENT_TIMESTAMP(3)

  std::vector<IndirectionStep> indirection;  // kIndirection

  // The function's last name ("count" for pg_catalog.count), "" when not a function.
  const std::string& FunctionName() const;
  ExprPtr Clone() const;
};

// A FROM item.
enum class TableRefKind {
  kBase,      // [schema.]name
  kSubquery,  // (SELECT ...) [AS] alias [(cols)], maybe LATERAL
  kJoin,      // left JOIN right
  kFunction,  // a table function: generate_series(1, 10) [AS] alias [(cols)], maybe LATERAL
  kValues,    // (VALUES ...) alias — transformed as kSubquery over a VALUES SelectStmt
};

enum class JoinType { kInner, kLeft, kRight, kFull, kCross };

struct TableRef {
  TableRefKind kind = TableRefKind::kBase;
  int location = -1;
  // kBase
  std::string catalog, schema, name;
  // every kind but kJoin (and kJoin with an alias: (a JOIN b) AS j)
  std::string alias;
  std::vector<std::string> column_aliases;
  bool lateral = false;
  // kSubquery
  SelectPtr subquery;
  // kFunction
  ExprPtr function;
  std::vector<TypeName> column_types;  // f() AS t(a int, b text): a column definition list, one
                                       // type per column_aliases entry (else empty)
  bool with_ordinality = false;
  // kJoin
  JoinType join_type = JoinType::kInner;
  bool natural = false;
  TableRefPtr left, right;
  ExprPtr on;                         // ON condition
  std::vector<std::string> using_columns;
  std::string using_alias;            // JOIN ... USING (a) AS j

  TableRefPtr Clone() const;
};

// GROUP BY items: expressions and the grouping-set forms.
// kList: a parenthesised list (a, b) of expressions grouped together as one set — inside ROLLUP,
// CUBE or GROUPING SETS, or as a GROUP BY item (`GROUP BY (a, b)` groups by a and b); children
// are kExpr. ROW(a, b) is an expression (kExpr of a kRow).
enum class GroupingKind { kExpr, kEmpty, kRollup, kCube, kSets, kList };
struct GroupingElement {
  GroupingKind kind = GroupingKind::kExpr;
  ExprPtr expr;                           // kExpr
  std::vector<GroupingElement> children;  // kRollup/kCube: kExpr or kList; kSets: elements of any
                                          // kind; kList: kExpr
  int location = -1;
  GroupingElement Clone() const;
};

struct SelectItem {
  ExprPtr expr;        // a kColumnRef with star for * and t.*
  std::string alias;   // AS alias; "" when none
  int location = -1;
  SelectItem Clone() const;
};

struct CommonTableExpr {
  std::string name;
  std::vector<std::string> column_names;
  SelectPtr query;
  std::string materialized;  // "", "materialized", "not materialized"
  int location = -1;
};

enum class SetOpKind { kNone, kUnion, kIntersect, kExcept };

// A SELECT, a VALUES list, or a set operation of two of them; WITH, ORDER BY and LIMIT apply to
// the whole.
struct SelectStmt {
  // WITH
  std::vector<CommonTableExpr> with;
  bool with_recursive = false;

  // A set operation: op != kNone; left and right hold the operands.
  SetOpKind op = SetOpKind::kNone;
  bool set_all = false;
  SelectPtr left, right;

  // VALUES (...), (...): values_lists non-empty; nothing below but ORDER BY/LIMIT.
  std::vector<std::vector<ExprPtr>> values_lists;

  // A plain SELECT.
  bool distinct = false;
  std::vector<ExprPtr> distinct_on;  // DISTINCT ON (...) (distinct is also true)
  std::vector<SelectItem> targets;
  std::vector<TableRefPtr> from;     // comma-separated items (each may be a join tree)
  ExprPtr where;
  std::vector<GroupingElement> group_by;
  bool group_by_distinct = false;    // GROUP BY DISTINCT
  ExprPtr having;
  std::vector<std::unique_ptr<WindowDef>> windows;  // WINDOW name AS (...)

  // Whole statement.
  std::vector<SortItem> order_by;
  ExprPtr limit;                     // LIMIT n (NULL constant: LIMIT ALL)
  ExprPtr offset;
  bool limit_with_ties = false;      // FETCH FIRST n ROWS WITH TIES
  bool for_update = false;           // FOR UPDATE/SHARE (refused by the binder)
  std::string into;                  // SELECT INTO (refused by the binder)
  int location = -1;

  SelectPtr Clone() const;
};

// EXPLAIN [ANALYZE] [VERBOSE] SELECT ...
struct ExplainStmt {
  bool analyze = false;
  bool verbose = false;
  std::string format;  // "text" (default), "json"
  SelectPtr query;
};

// The deparser: valid PostgreSQL SQL for a tree (sql/ast_sql.cc). Expressions nested in
// operators are parenthesised, identifiers quoted where PostgreSQL requires it (keywords, upper
// case), string literals in standard form. Parsing and transforming the text gives a tree that
// prints the same text. For EXPLAIN, error messages and tests.
std::string ToSql(const Expr& expr);
std::string ToSql(const SelectStmt& select);
std::string ToSql(const TableRef& table);
std::string ToSql(const TypeName& type);
// An identifier as SQL: quoted when it is not a lower-case name or is a keyword PostgreSQL
// reserves in that position ("Name", "select", "user").
std::string QuoteIdentifier(const std::string& name);

}  // namespace laminar::sql::ast
