// Apply: a correlated scalar subquery that decorrelation cannot turn into a join, run for each row
// of its input (PostgreSQL's SubPlan). For every input row, the values of the columns the
// subquery reads (`params`) select a plan made for exactly those values (`plan`: the planner binds
// the subquery with them as constants); its answer — NULL for no row, the value for one row, an
// error (21000) for more — is appended to the row. Answers are cached by the parameter values,
// so the subquery runs once per distinct combination. This is the slow path of correlated
// subqueries: rows are formed one at a time.
//
// Limits: the cache holds at most kMaxCached answers (then it is cleared); the subquery runs with
// the query's ExecContext (time, memory, cancel).
//
// Thread safety: as every PhysicalOperator, one thread.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "execution/operator.h"

namespace laminar::execution {

class Apply : public PhysicalOperator {
 public:
  // The subquery's plan for one combination of parameter values (its first column is the answer).
  using PlanFn = std::function<Result<PhysicalOperatorPtr>(const std::vector<Value>& params)>;
  static constexpr size_t kMaxCached = 100000;

  // Output: the input's columns, then the answer (type `result`).
  Apply(PhysicalOperatorPtr input, std::vector<uint32_t> params, PlanFn plan, Type result, std::string text);
  Status Produce(ExecContext& ctx, Sink& out) override;
  std::string Describe() const override { return "Apply (per input row) " + text_; }

 private:
  Result<Value> Answer(ExecContext& ctx, const std::vector<Value>& params);

  std::vector<uint32_t> params_;
  PlanFn plan_;
  std::string text_;
  std::unordered_map<std::string, Value> cache_;
};

}  // namespace laminar::execution
