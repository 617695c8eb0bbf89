// Projection: evaluates a list of expressions over each chunk of its child (a select list, a
// computed grouping key, the arguments of an aggregate).
//
// Pushes one chunk per input chunk with one column per expression and the same rows. Text of the
// result may reference the input's text (valid during the Push, as the input is). A runtime error
// (sql::HasEvalError) ends the query with sql::TakeEvalError()'s status (the thread's error slot
// is clear when the plan starts: see filter.h).
//
// Thread safety: as every PhysicalOperator, one thread.
#pragma once

#include <string>
#include <vector>

#include "execution/operator.h"
#include "sql/expr.h"

namespace laminar::execution {

class Projection : public PhysicalOperator {
 public:
  // REQUIRES: the expressions' columns index the child's output.
  Projection(PhysicalOperatorPtr child, std::vector<sql::ExprPtr> exprs);

  Status Produce(ExecContext& ctx, Sink& out) override;
  // "Projection n, (n * 2)".
  std::string Describe() const override;

  const std::vector<sql::ExprPtr>& exprs() const { return exprs_; }

 private:
  std::vector<sql::ExprPtr> exprs_;
};

}  // namespace laminar::execution
