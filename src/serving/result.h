// What a query answers and under which limits: the result (columns, rows, where they came from),
// the row sink that streams rows to a client instead, and the snapshot of a view the engine
// reads (serving/view_source.h).
//
// Thread safety: values; QueryLimits::cancel is set by another thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "views/view_state.h"

namespace laminar::serving {

struct ResultColumn {
  std::string name;
  Type type;
};

// Where the rows of a query came from, reported with every result.
struct QueryStats {
  // Over views (and no stream): the views' versions. `relation`: the relations read.
  std::string relation;
  uint64_t batch_version = 0;    // 0 while no batch version exists
  uint64_t horizon = 0;          // seq covered by the batch version
  uint64_t speed_max_seq = 0;    // highest seq seen in the speed generations used
  size_t batch_rows = 0;         // view groups read from the batch version
  size_t speed_rows = 0;         // view groups read from the speed layer
  size_t speed_generations = 0;
  uint64_t definition_version = 0;  // the view definition that answered (see redefinition)
  int64_t elapsed_micros = 0;
  // Queries that read a stream (raw = true): what the scans read and skipped.
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
  std::shared_ptr<const views::ViewState> base;   // the batch version; null when none
  // The speed state above it: state ⊕ recent (speed/speed_view.h). state is never null; recent
  // may be null (nothing since the last fold).
  std::shared_ptr<const views::ViewState> state;
  std::shared_ptr<const views::ViewState> recent;
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

// Receives a streamed result: `begin` with the columns once the query is planned (before any
// row; its error ends the run), then each row.
struct RowSink {
  std::function<Status(const std::vector<ResultColumn>& columns)> begin;
  std::function<Status(std::vector<Value>&& row)> row;
};

}  // namespace laminar::serving
