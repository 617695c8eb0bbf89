// Apply: a subquery run for each row of its input (PostgreSQL's SubPlan, and its nested loop over
// a LATERAL item). For every input row, the values of the columns the subquery reads (`params`)
// select a plan made for exactly those values (`plan`: the planner binds the subquery with them
// as constants), whose rows are combined with the input row by `mode`:
//  - kScalar: a scalar subquery. Its answer — NULL for no row, the value for one row, an error
//    (21000) for more — is appended to the row.
//  - kLateral: FROM t, LATERAL (...) / JOIN LATERAL: the row once per subquery row, with that
//    row's columns appended; no row when the subquery has none.
//  - kLeftLateral: LEFT JOIN LATERAL: as kLateral, but an input row the subquery gives no row for
//    comes out once, with NULLs.
// Answers are cached by the parameter values, so the subquery runs once per distinct combination.
// This is the slow path of correlated subqueries: rows are formed one at a time.
//
// Limits: the cache holds at most kMaxCachedRows subquery rows (then it is cleared); the subquery
// runs with the query's ExecContext (time, memory, cancel).
//
// Thread safety: as every PhysicalOperator, one thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "execution/operator.h"

namespace laminar::execution {

enum class ApplyMode { kScalar, kLateral, kLeftLateral };

class Apply : public PhysicalOperator {
 public:
  // The subquery's plan for one combination of parameter values (its columns are `result`).
  using PlanFn = std::function<Result<PhysicalOperatorPtr>(const std::vector<Value>& params)>;
  static constexpr size_t kMaxCachedRows = 100000;

  // Output: the input's columns, then the subquery's (`result`: one column for kScalar).
  Apply(PhysicalOperatorPtr input, std::vector<uint32_t> params, PlanFn plan, std::vector<Type> result, ApplyMode mode,
        std::string text);
  Status Produce(ExecContext& ctx, Sink& out) override;
  std::string Describe() const override;

 private:
  using Rows = std::vector<std::vector<Value>>;
  Result<std::shared_ptr<const Rows>> Answer(ExecContext& ctx, const std::vector<Value>& params);

  std::vector<uint32_t> params_;
  PlanFn plan_;
  size_t width_;  // the subquery's columns
  ApplyMode mode_;
  std::string text_;
  std::unordered_map<std::string, std::shared_ptr<const Rows>> cache_;
  size_t cached_rows_ = 0;
};

}  // namespace laminar::execution
