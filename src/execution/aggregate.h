// HashAggregate: GROUP BY (with grouping sets) and aggregates without GROUP BY.
//
// The planner projects below the operator, so it takes column indexes of its child's chunks:
// group key columns, and per aggregate call its input columns (arguments, then the values of the
// ORDER BY keys inside the call: function/aggregate.h NumInputs) and an optional boolean FILTER
// column (a row counts when it is true; false and NULL skip it).
//
// Output: the key columns (types of the child's key columns), then one column per aggregate
// (its spec's output_type), then one bigint column per GROUPING(...) call. Group order is
// unspecified (first appearance per grouping set, the sets in the order given).
//
// Grouping sets: each set is a list of positions in `keys` (ROLLUP and CUBE are expanded by the
// planner); a group of a set has NULL in the key columns not in the set. No grouping sets means
// the one set of every key. A set without keys (no GROUP BY, or `()` in GROUPING SETS) gives
// exactly one row, also over no input. GROUPING(a, b, ...) (positions in `keys`) is a bitmask
// with a bit set for each argument NOT in the row's grouping set; the leftmost argument is the
// most significant bit (PostgreSQL's order).
//
// Keys compare with GROUP BY semantics (AppendGroupKey): NULLs group together, -0.0 with 0.0,
// every NaN together. Memory for groups and aggregate states is charged to the ExecContext;
// ExecContext::Check runs per input chunk and per output chunk. An aggregate's runtime error
// (sum(bigint) out of range) ends the query with that error.
//
// Thread safety: as every operator, run by one thread.
#pragma once

#include <string>
#include <vector>

#include "execution/operator.h"
#include "function/aggregate.h"

namespace laminar::execution {

// Appends the GROUP BY encoding of row `row` of `v` to `key`: two values encode alike exactly
// when they group together (NULLs together; -0.0 with 0.0; every NaN alike). The same bytes as
// views::AppendGroupKey, apart from NaN, which that function does not canonicalise.
void AppendGroupKey(const Vector& v, size_t row, std::string* key);

// Appends row `row` of `src` to `dst` (same type, or bigint into double), text by reference:
// the caller keeps `src`'s text alive (dst.ShareHeap(src) does).
void AppendRef(Vector& dst, const Vector& src, size_t row);

struct AggregateCall {
  function::AggregateSpec spec;  // resolved (function::ResolveAggregate)
  std::vector<int> inputs;       // child columns: NumInputs(spec) of them
  int filter = -1;               // boolean child column of FILTER (WHERE ...); -1: none
  std::string name;              // for EXPLAIN ("sum(x)"); empty: the function and its columns
};

// The EXPLAIN text of an aggregate call: its name, else e.g. "sum(DISTINCT #2) FILTER (#4)".
std::string DescribeAggregate(const AggregateCall& call);

class HashAggregate : public PhysicalOperator {
 public:
  HashAggregate(PhysicalOperatorPtr child, std::vector<int> keys, std::vector<AggregateCall> aggregates,
                std::vector<std::vector<int>> grouping_sets = {}, std::vector<std::vector<int>> grouping = {});

  Status Produce(ExecContext& ctx, Sink& out) override;
  std::string Describe() const override;

 private:
  std::vector<int> keys_;
  std::vector<AggregateCall> aggs_;
  std::vector<std::vector<int>> sets_;      // never empty: positions in keys_
  std::vector<std::vector<int>> grouping_;  // GROUPING(...) arguments: positions in keys_
  bool explicit_sets_ = false;
};

}  // namespace laminar::execution
