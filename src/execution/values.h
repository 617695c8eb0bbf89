// ValuesSource: a source operator over rows given as Values — VALUES lists, a FROM-less SELECT
// (one row of no columns) and test inputs.
//
// Pushes the rows in order, in chunks of at most kChunkRows rows (text copied into each chunk's
// own heap), checking ExecContext::Check before each chunk and stopping when the sink asks.
//
// Thread safety: as every PhysicalOperator, one thread.
#pragma once

#include <string>
#include <vector>

#include "execution/operator.h"

namespace laminar::execution {

class ValuesSource : public PhysicalOperator {
 public:
  // REQUIRES: each row has one Value per type, NULL or of that type (bigint into double allowed).
  ValuesSource(std::vector<Type> types, std::vector<std::vector<Value>> rows);

  Status Produce(ExecContext& ctx, Sink& out) override;
  // "Values 3 rows".
  std::string Describe() const override;

  size_t num_rows() const { return rows_.size(); }

 private:
  std::vector<std::vector<Value>> rows_;
};

}  // namespace laminar::execution
