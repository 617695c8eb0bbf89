// Window: window functions over partitions of the child's rows (PostgreSQL's semantics).
//
// The operator materialises its child, sorts the rows by (partition columns, order columns) and
// computes every function for every row. Output: the child's columns in that sorted order, then
// one column per function. Partition columns group with GROUP BY equality (NULLs together); rows
// equal on every order column are peers. Functions taking arguments read child columns (the
// planner projects expressions below): ntile(n), lag/lead(x [, offset [, default]]),
// first_value(x), last_value(x), nth_value(x, n), and any aggregate of function/aggregate.h with
// its inputs and an optional FILTER column. Argument columns are read at the row PostgreSQL
// reads them: lag/lead's offset and default, nth_value's n at the current row; ntile's n at the
// partition's first row where it is not NULL.
//
// Functions and results:
//   row_number, rank, dense_rank, ntile → bigint; percent_rank ((rank - 1) / (rows - 1), 0 for
//   one row), cume_dist (rows up to the last peer / rows) → double; lag/lead/first_value/
//   last_value/nth_value → the argument's type (NULL outside the partition or frame, lag/lead's
//   default when given); aggregates → their output type.
// Ranking functions and lag/lead ignore the frame; first/last/nth_value and aggregates use it.
//
// Frames: ROWS, RANGE or GROUPS between UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW,
// n FOLLOWING and UNBOUNDED FOLLOWING, with EXCLUDE NO OTHERS / CURRENT ROW / GROUP / TIES.
// The default is RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (the current row's peers
// included; without ORDER BY every row of the partition is a peer). Offsets are constants: ROWS
// and GROUPS a bigint count; RANGE a bigint or double over a numeric order column, or an
// interval in microseconds (bigint) over a timestamptz order column; RANGE with an offset needs
// exactly one order column. NULL order keys follow PostgreSQL's in_range: a NULL row's offset
// frame is its NULL peers; a non-NULL row's offset frame never holds NULL rows. Frame errors in
// PostgreSQL's words: a NULL or negative offset, UNBOUNDED FOLLOWING as a start, a frame ending
// before it starts by construction (`frame starting from current row cannot have preceding
// rows`).
//
// Cost: sorting O(n log n). Ranking, lag/lead and first/last/nth_value O(1) per row once the
// frame is known (RANGE offsets: a binary search per row). Aggregates: frames whose start is
// UNBOUNDED PRECEDING without EXCLUDE grow monotonically and are computed by one running
// accumulator per partition (O(n) updates; the result is recomputed only when the frame grows);
// any other frame is recomputed per row, O(frame size) per row — O(n·w) for frames of width w,
// O(n²) for a frame spanning the partition with EXCLUDE. Nothing is capped: the time limit
// (ExecContext::Check, every 1024 rows) and the memory limit apply.
//
// Memory: every input row (with its text), the sort permutation and per-row peer bookkeeping
// (≈ 16 bytes a row), the result columns; charged to the ExecContext, released when Produce
// returns.
#pragma once

#include <string>
#include <vector>

#include "execution/aggregate.h"
#include "execution/operator.h"

namespace laminar::execution {

struct WindowOrder {
  int column = 0;
  bool descending = false;
  bool nulls_first = false;  // PostgreSQL's default: NULLS LAST for ASC, NULLS FIRST for DESC
};

enum class FrameMode { kRows, kRange, kGroups };
enum class FrameBoundKind { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };
enum class FrameExclude { kNoOthers, kCurrentRow, kGroup, kTies };

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kUnboundedPreceding;
  Value offset;  // kPreceding/kFollowing: bigint or double (see the header comment)
};

struct WindowFrame {
  FrameMode mode = FrameMode::kRange;
  FrameBound start{FrameBoundKind::kUnboundedPreceding, Value()};
  FrameBound end{FrameBoundKind::kCurrentRow, Value()};
  FrameExclude exclude = FrameExclude::kNoOthers;
};

enum class WindowFunctionKind {
  kRowNumber, kRank, kDenseRank, kPercentRank, kCumeDist, kNtile, kLag, kLead,
  kFirstValue, kLastValue, kNthValue, kAggregate,
};

struct WindowFunction {
  WindowFunctionKind kind = WindowFunctionKind::kRowNumber;
  // Child columns: ntile {n}; lag/lead {x[, offset[, default]]}; first_value/last_value {x};
  // nth_value {x, n}; aggregates NumInputs(aggregate) columns.
  std::vector<int> inputs;
  function::AggregateSpec aggregate;  // kAggregate: resolved
  int filter = -1;                    // kAggregate: boolean FILTER column, -1 none
  WindowFrame frame;                  // first/last/nth_value and aggregates
  std::string name;                   // for EXPLAIN; empty: generated
};

class Window : public PhysicalOperator {
 public:
  Window(PhysicalOperatorPtr child, std::vector<int> partition, std::vector<WindowOrder> order,
         std::vector<WindowFunction> functions);

  Status Produce(ExecContext& ctx, Sink& out) override;
  std::string Describe() const override;

 private:
  Status Run(ExecContext& ctx, Sink& out, size_t* charged);

  std::vector<int> partition_;
  std::vector<WindowOrder> order_;
  std::vector<WindowFunction> functions_;
};

// The EXPLAIN text of a frame, e.g. "ROWS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE TIES".
std::string DescribeFrame(const WindowFrame& frame);

}  // namespace laminar::execution
