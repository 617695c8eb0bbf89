// The logical optimizer: rewrites a bound plan into one that computes the same rows with less
// work. Passes, in order:
//
//  1. Filter pushdown. WHERE conjuncts move down through projections (inlining the projected
//     expressions), sorts, DISTINCT and the preserved side of outer joins, into inner joins and
//     into table scans. An equality between an expression of the left input and one of the right
//     input becomes a hash-join key (a comma join or CROSS JOIN with such a WHERE becomes an
//     inner hash join); conjuncts over one side of an inner join move to that side. At a scan,
//     conjuncts become its filter, and comparisons of a column with constants become bounds
//     (ColumnBound) the source uses to prune lake partitions, row groups and pages.
//  2. Column pruning. Every node keeps only the columns something above it reads; a scan
//     decodes only those columns.
//
// Constant folding happens earlier, in the expression binder (sql/binder.h). The join build side
// is chosen by the physical planner from the estimates here (EstimateRows).
//
// Thread safety: pure functions.
#pragma once

#include "planner/logical_plan.h"

namespace laminar::planner {

LogicalPtr Optimize(LogicalPtr plan);

// A rough row-count estimate of a node's output (for the build side of hash joins).
double EstimateRows(const LogicalOperator& node);

}  // namespace laminar::planner
