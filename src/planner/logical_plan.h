// The logical plan: what a query computes, as a tree of relational operators, before the
// optimizer rewrites it and the physical planner chooses operators for it.
//
// Every node has an output schema (`columns`: name and type) and a query-wide id per output
// column (`ids`). Expressions in a node (sql::Expr, bound) read columns of its children by id
// (kColumn's `column` is an id), so the optimizer can move expressions between nodes without
// renumbering; the physical planner turns ids into positions. Nothing here refers to the SQL
// text or its parse tree.
//
// Ownership: a node owns its children. Thread safety: values; not synchronised.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/types.h"
#include "execution/apply.h"
#include "execution/project_set.h"
#include "execution/table_source.h"
#include "function/aggregate.h"
#include "sql/ast.h"
#include "sql/binder.h"
#include "sql/expr.h"

namespace laminar::planner {

struct OutputColumn {
  std::string name;
  Type type;
  sql::TextShape shape = {};  // an array's element type or a record's fields (sql/expr.h)
};

enum class LogicalKind {
  kGet,          // a relation of the TableCatalog (with pushed-down columns, bounds and filter)
  kValues,       // constant rows (VALUES, SELECT without FROM)
  kFilter,       // rows where `predicate` is true
  kProjection,   // `exprs` over each row
  kAggregate,    // GROUP BY (grouping sets) with aggregates
  kJoin,         // two inputs: equality keys + a residual condition
  kWindow,       // window functions appended to each row
  kSort,         // ORDER BY
  kLimit,        // LIMIT / OFFSET
  kDistinct,     // SELECT DISTINCT (on all columns, or DISTINCT ON the first `distinct_on` ones)
  kSetOp,        // UNION / INTERSECT / EXCEPT [ALL]
  kSingleRow,    // a scalar subquery's input: at most one row, else an error
  kSeries,       // generate_series(start, stop, step) in FROM: one bigint or timestamptz column
  kApply,        // a correlated scalar subquery run per row of the child (execution/apply.h)
  kProjectSet,   // set-returning functions of a select list (execution/project_set.h)
};

// kMark: every left row plus a boolean: SQL IN's three-valued result over the right rows that
// satisfy the residual (the keys are the IN test). kMarkExists: true when some right row
// matches (keys and residual), else false (EXISTS).
enum class JoinKind { kInner, kLeft, kRight, kFull, kSemi, kAnti, kMark, kMarkExists, kCross };
enum class SetOpKind { kUnion, kIntersect, kExcept };

struct SortKey {
  sql::ExprPtr expr;  // over the child's columns
  bool descending = false;
  bool nulls_first = false;
};

struct AggregateCall {
  std::string name;                 // "count", "sum", ... for EXPLAIN
  function::AggregateSpec spec;
  std::vector<sql::ExprPtr> args;   // over the child's columns (count(*): none)
  sql::ExprPtr filter;              // FILTER (WHERE ...), may be null
  std::vector<SortKey> order;       // string_agg(x, ',' ORDER BY y)
};

enum class WindowFunc {
  kRowNumber, kRank, kDenseRank, kPercentRank, kCumeDist, kNtile, kLag, kLead, kFirstValue,
  kLastValue, kNthValue, kAggregate,
};
enum class FrameMode { kRows, kRange, kGroups };
enum class FrameBound { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };
enum class FrameExclude { kNoOthers, kCurrentRow, kGroup, kTies };

struct WindowCall {
  std::string name;
  WindowFunc func = WindowFunc::kRowNumber;
  AggregateCall aggregate;          // kAggregate
  std::vector<sql::ExprPtr> args;   // lag(x, 2, 0): x, 2, 0; ntile(n); nth_value(x, n)
  std::vector<sql::ExprPtr> partition_by;
  std::vector<SortKey> order_by;
  FrameMode mode = FrameMode::kRange;
  FrameBound start = FrameBound::kUnboundedPreceding, end = FrameBound::kCurrentRow;
  sql::ExprPtr start_offset, end_offset;  // constants
  FrameExclude exclude = FrameExclude::kNoOthers;
  Type type = Type::kInt64;
};

struct LogicalOperator;
using LogicalPtr = std::unique_ptr<LogicalOperator>;

struct LogicalOperator {
  LogicalKind kind;
  std::vector<OutputColumn> columns;
  // Query-wide ids of the output columns (parallel to `columns`): expressions in the plan read
  // columns by id until the physical planner turns ids into positions.
  std::vector<int> ids;
  std::vector<LogicalPtr> children;

  // kGet: the relation; which of its columns are read (`scan_columns`, the output in that order)
  // and the filter (over the output) the optimizer pushed into the scan, with its bounds.
  execution::TableInfo table;
  std::string alias;
  std::vector<int> scan_columns;
  sql::ExprPtr scan_filter;
  std::vector<execution::ColumnBound> bounds;

  // kValues
  std::vector<std::vector<Value>> rows;

  // kFilter
  sql::ExprPtr predicate;

  // kProjection
  std::vector<sql::ExprPtr> exprs;

  // kAggregate: output = keys, then aggregates, then (grouping_column) the GROUPING() bitmask.
  std::vector<sql::ExprPtr> keys;
  std::vector<AggregateCall> aggregates;
  std::vector<std::vector<int>> grouping_sets;  // empty: one set of all keys
  bool grouping_column = false;

  // kJoin: output = left columns, then right columns (semi/anti: left only; mark: left + a
  // boolean). left_keys read the left child, right_keys the right child; residual reads both.
  JoinKind join = JoinKind::kInner;
  // kLeft: a left row may have one match at most, else the query fails with SQLSTATE 21000 (a
  // correlated scalar subquery decorrelated into this join).
  bool single_match = false;
  std::vector<sql::ExprPtr> left_keys, right_keys;
  sql::ExprPtr residual;

  // kApply: output = the child's columns, then the subquery's last apply_width columns (a scalar
  // subquery's answer, or a LATERAL item's columns; execution/apply.h, apply_mode). The subquery
  // (apply_query) reads the child's columns apply_params, named and typed as apply_columns; it is
  // bound per combination of their values (BindWithValues), against apply_catalog.
  execution::ApplyMode apply_mode = execution::ApplyMode::kScalar;
  size_t apply_width = 1;
  std::shared_ptr<const sql::ast::SelectStmt> apply_query;
  std::vector<int> apply_params;
  std::vector<sql::ScopeColumn> apply_columns;
  const execution::TableCatalog* apply_catalog = nullptr;

  // kProjectSet: output = the child's columns, then one per call (ids); each row repeated as many
  // times as its longest list of values.
  struct SetCall {
    execution::SetFunction func = execution::SetFunction::kUnnest;
    std::vector<sql::ExprPtr> args;  // over the child's columns
  };
  std::vector<SetCall> set_calls;

  // kWindow: output = child columns, then one per call.
  std::vector<WindowCall> windows;

  // kSort
  std::vector<SortKey> order;

  // kLimit: limit < 0: none.
  int64_t limit = -1, offset = 0;

  // kDistinct: distinct_on == 0: on all columns; else DISTINCT ON `exprs` (column references,
  // distinct_on of them): the first row of each key in input order (the input is sorted).
  size_t distinct_on = 0;

  // kSeries: start, stop, step (timestamptz: microseconds).
  int64_t series_start = 0, series_stop = 0, series_step = 1;

  // kSetOp
  SetOpKind set_op = SetOpKind::kUnion;
  bool set_all = false;

  std::vector<Type> types() const;
  // The plan as indented text, one node a line (EXPLAIN's logical form).
  std::string ToString(int indent = 0) const;
};

LogicalPtr MakeNode(LogicalKind kind);

}  // namespace laminar::planner
