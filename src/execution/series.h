// GenerateSeries: the table function generate_series(start, stop [, step]) over bigint (step
// 1 by default) or timestamptz (a step in microseconds), pushing chunks as it counts: PostgreSQL's
// semantics (stop inclusive; a step of 0 is an error, checked by the planner; a step of the wrong
// sign gives no rows).
#pragma once

#include <cstdint>
#include <string>

#include "execution/operator.h"

namespace laminar::execution {

class GenerateSeries : public PhysicalOperator {
 public:
  // REQUIRES: type is kInt64 or kTimestamp; step != 0.
  GenerateSeries(Type type, int64_t start, int64_t stop, int64_t step);
  Status Produce(ExecContext& ctx, Sink& out) override;
  std::string Describe() const override;

 private:
  int64_t start_, stop_, step_;
};

}  // namespace laminar::execution
