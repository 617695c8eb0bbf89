// The physical planner's internals, shared by physical_planner.cc (scans, filters, projections,
// joins, sorts, limits) and physical_aggregate.cc (aggregates, windows, DISTINCT, set
// operations). Not a public interface: see planner/physical_planner.h.
#pragma once

#include <vector>

#include "execution/operator.h"
#include "execution/table_source.h"
#include "planner/logical_plan.h"

namespace laminar::planner::internal {

// A lowered subtree: its operator and, per output position, the column id (-1: a helper column
// a projection added).
struct Lowered {
  execution::PhysicalOperatorPtr op;
  std::vector<int> ids;
  std::vector<Type> types;
};

// `e` with column ids replaced by positions in `ids`; Internal when one is missing.
Result<sql::ExprPtr> ToPositions(const sql::ExprPtr& e, const std::vector<int>& ids);
// The positions of `exprs` in `in`'s output, adding a projection below that computes those that
// are not plain columns of it.
Result<std::vector<uint32_t>> Materialize(Lowered* in, const std::vector<sql::ExprPtr>& exprs);
// `in` restricted to (and ordered as) `ids`.
Result<Lowered> Select(Lowered in, const std::vector<int>& ids);

class Lowerer {
 public:
  Lowerer(const execution::TableCatalog& catalog, execution::ScanStats* stats) : catalog_(catalog), stats_(stats) {}
  Result<Lowered> Lower(const LogicalOperator& n);

 private:
  Result<Lowered> LowerJoin(const LogicalOperator& n);
  Result<Lowered> LowerAggregate(const LogicalOperator& n);
  Result<Lowered> LowerWindow(const LogicalOperator& n);
  Result<Lowered> LowerDistinct(const LogicalOperator& n);
  Result<Lowered> LowerSetOp(const LogicalOperator& n);

  const execution::TableCatalog& catalog_;
  execution::ScanStats* stats_;
};

}  // namespace laminar::planner::internal
