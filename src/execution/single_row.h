// EnforceSingleRow: passes its child's rows on, failing when there is more than one (a scalar
// subquery: PostgreSQL's "more than one row returned by a subquery used as an expression").
#pragma once

#include <string>

#include "execution/operator.h"

namespace laminar::execution {

class EnforceSingleRow : public PhysicalOperator {
 public:
  explicit EnforceSingleRow(PhysicalOperatorPtr child);
  Status Produce(ExecContext& ctx, Sink& out) override;
  std::string Describe() const override { return "EnforceSingleRow"; }
};

}  // namespace laminar::execution
