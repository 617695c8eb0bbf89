// SELECT DISTINCT and DISTINCT ON.
//
// HashDistinct(child, columns) passes on a row of its child when its values of `columns` were not
// seen before (GROUP BY equality: NULLs equal, -0.0 = 0.0, one NaN; execution/aggregate.h
// AppendGroupKey). Output: every child column, so that with `columns` = all columns it is SELECT
// DISTINCT. It streams: rows leave in the chunk that brought them, in input order — the first
// row of each key, which makes it DISTINCT ON as well: DistinctOn(child, on-columns) is the same
// operator under its own EXPLAIN name; the planner sorts its input first (DISTINCT ON's "first
// row" is the first in ORDER BY order).
//
// Memory: the encoded keys seen, charged to the ExecContext (released when Produce returns).
// ExecContext::Check runs per input chunk. A parent's stop request stops the child.
#pragma once

#include <string>
#include <vector>

#include "execution/operator.h"

namespace laminar::execution {

class HashDistinct : public PhysicalOperator {
 public:
  HashDistinct(PhysicalOperatorPtr child, std::vector<int> columns);

  Status Produce(ExecContext& ctx, Sink& out) override;
  std::string Describe() const override;

 protected:
  std::string DescribeAs(const char* name) const;
  std::vector<int> columns_;
};

class DistinctOn : public HashDistinct {
 public:
  DistinctOn(PhysicalOperatorPtr child, std::vector<int> on) : HashDistinct(std::move(child), std::move(on)) {}
  std::string Describe() const override { return DescribeAs("DistinctOn"); }
};

}  // namespace laminar::execution
