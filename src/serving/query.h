// Queries over views: SELECT from one view, with measures re-aggregated by their own merge
// (DESIGN.md "Query semantics"). The view's current state comes from a ViewSnapshotFn (the
// engine supplies it: today the speed layer's merged generations; with the batch layer, batch
// version ⊕ speed generations above its horizon).
//
// Semantics (docs/sql.md "Queries"):
//  - Without GROUP BY and without aggregate functions, the view's rows are returned as stored
//    (one per distinct dimension tuple); `SELECT *` lists the view's columns in definition order.
//  - With GROUP BY (names, output aliases, positions or expressions over dimensions, e.g. a
//    coarser date_trunc), rows are grouped and every measure is merged: a bare measure name or
//    sum(count measure|sum measure), min(min measure), max(max measure), avg(avg measure) — an
//    avg stays a true average. Other aggregate/measure pairings are errors naming both.
//  - count(*) counts view rows; min()/max() of a dimension expression work as in SQL.
//  - Aggregates without GROUP BY make one row (also over no input, as in PostgreSQL).
//  - WHERE may read dimensions only; ORDER BY output names, positions or selected expressions,
//    ASC/DESC, NULLS FIRST/LAST; LIMIT/OFFSET constants.
//
// Thread safety: pure functions over their inputs.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "common/types.h"
#include "sql/parser.h"
#include "views/view_state.h"

namespace laminar::serving {

struct ResultColumn {
  std::string name;
  Type type;
};

// Where the rows of a query came from, reported with every result.
struct QueryStats {
  std::string relation;          // the view queried
  uint64_t batch_version = 0;    // 0 while no batch version exists
  uint64_t horizon = 0;          // seq covered by the batch version
  uint64_t speed_max_seq = 0;    // highest seq seen in the speed generations used
  size_t batch_rows = 0;         // view groups read from the batch version
  size_t speed_rows = 0;         // view groups read from the speed layer
  size_t speed_generations = 0;
  uint64_t definition_version = 0;  // the view definition that answered (see redefinition)
  int64_t elapsed_micros = 0;
  // Queries over raw rows (serving/raw_query.h): what the scan read and skipped.
  bool raw = false;
  uint64_t lake_last_seq = 0;        // the lake manifest's last seq (lake rows have seq ≤ it)
  uint64_t log_last_seq = 0;         // the log end read (log-tail rows have seq in (lake, log])
  size_t lake_files = 0, lake_files_skipped = 0;    // skipped: partition pruning on event time
  size_t row_groups = 0, row_groups_skipped = 0;    // skipped: min/max statistics
  size_t lake_rows = 0, log_rows = 0, other_rows = 0;  // rows scanned from each source
};

struct QueryResult {
  std::vector<ResultColumn> columns;
  std::vector<std::vector<Value>> rows;
  QueryStats stats;
  std::string tag;               // "SELECT n"
};

// The state of one view at one instant: the batch version (may be null) ⊕ the speed state above
// its horizon. A dimension tuple present in both is one view row whose states merge.
struct ViewSnapshot {
  std::shared_ptr<const views::ViewState> base;
  views::ViewState state;
  QueryStats stats;              // relation, versions and row counts filled in by the provider
};
using ViewSnapshotFn = std::function<Result<ViewSnapshot>(const views::ViewDefPtr& view)>;

struct QueryLimits {
  size_t max_result_rows = 1'000'000;  // more → ResourceExhausted (unless the rows are streamed)
  int64_t timeout_micros = 30'000'000; // checked while scanning and grouping; past it → DeadlineExceeded
  // Memory one query may hold (groups, distinct sets, sort buffers, join tables, result rows),
  // counted approximately; more → ResourceExhausted.
  size_t max_memory_bytes = 512ull << 20;
  // Set by another thread (a PostgreSQL cancel request) to end the query with Cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

// Plans and runs one SELECT statement. InvalidArgument/Unimplemented name the problem (an
// unknown relation, a measure in WHERE, a raw stream, ...); NotFound for an unknown view.
Result<QueryResult> ExecuteSelect(const sql::Statement& stmt, const catalog::Snapshot& catalog,
                                  const ViewSnapshotFn& snapshot_fn, const QueryLimits& limits);

}  // namespace laminar::serving
