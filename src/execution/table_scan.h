// TableScan: the source operator over a TableCatalog relation, with the filters the optimizer
// pushed into it (evaluated on each chunk as it is read; the source also skips data by the
// request's bounds).
#pragma once

#include <string>
#include <vector>

#include "execution/operator.h"
#include "execution/table_source.h"
#include "sql/expr.h"

namespace laminar::execution {

class TableScan : public PhysicalOperator {
 public:
  // `filter` (may be null) reads the chunk's columns (request.columns order). `stats` (may be
  // null) receives what the source read and skipped.
  TableScan(const TableCatalog& catalog, TableInfo table, ScanRequest request, sql::ExprPtr filter,
            ScanStats* stats);
  Status Produce(ExecContext& ctx, Sink& out) override;
  std::string Describe() const override;

 private:
  const TableCatalog& catalog_;
  TableInfo table_;
  ScanRequest request_;
  sql::ExprPtr filter_;
  ScanStats* stats_;
  ScanStats own_;  // this scan's share, for EXPLAIN ANALYZE
};

}  // namespace laminar::execution
