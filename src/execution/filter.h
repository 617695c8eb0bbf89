// Filter: passes on the rows of its child's chunks where a predicate is true (WHERE, HAVING, a
// join's residual condition).
//
// Each input chunk becomes Chunk::Select of its true rows (text by reference: valid during the
// Push, as the input is); a chunk whose rows all pass is forwarded as is, one with none is
// dropped. A runtime error of the predicate (sql::HasEvalError) ends the query with
// sql::TakeEvalError()'s status; whoever runs the plan clears the thread's error slot first
// (sql::ClearEvalError), as an error found there after an evaluation is taken as the query's.
//
// Thread safety: as every PhysicalOperator, one thread.
#pragma once

#include <string>

#include "execution/operator.h"
#include "sql/expr.h"

namespace laminar::execution {

class Filter : public PhysicalOperator {
 public:
  // REQUIRES: predicate->type is boolean; its columns index the child's output.
  Filter(PhysicalOperatorPtr child, sql::ExprPtr predicate);

  Status Produce(ExecContext& ctx, Sink& out) override;
  // "Filter (n > 1)".
  std::string Describe() const override;

  const sql::Expr& predicate() const { return *predicate_; }

 private:
  sql::ExprPtr predicate_;
};

}  // namespace laminar::execution
