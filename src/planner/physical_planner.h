// The physical planner: an optimized logical plan → a tree of physical operators
// (execution/operator.h). Column ids become positions; expressions that operators need as
// columns (join and sort keys, group keys, aggregate and window arguments) are computed by a
// projection below them; a LIMIT over a sort becomes a top-N; a hash join builds its smaller
// input (by EstimateRows).
//
// Thread safety: pure function; the plan refers to `catalog` and `stats`, which must outlive it.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "execution/operator.h"
#include "execution/table_source.h"
#include "planner/logical_plan.h"

namespace laminar::planner {

struct PhysicalPlan {
  execution::PhysicalOperatorPtr root;
  std::vector<OutputColumn> columns;  // the result columns, in order
};

// `stats` (may be null) receives what the plan's table scans read and skipped.
Result<PhysicalPlan> CreatePhysicalPlan(const LogicalOperator& plan, const execution::TableCatalog& catalog,
                                        execution::ScanStats* stats);

// The plan as EXPLAIN prints it: one operator a line, indented; with `analyze`, each line gets
// the rows, chunks and time the operator produced and its details (files and row groups read
// and skipped, view versions).
std::vector<std::string> ExplainLines(const execution::PhysicalOperator& root, bool analyze);

}  // namespace laminar::planner
