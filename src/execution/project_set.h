// ProjectSet: set-returning functions in a select list (PostgreSQL's ProjectSet). For each input
// row, each function gives a list of values — unnest(array) its elements, generate_subscripts(
// array, 1) the subscripts 1..n, generate_series(start, stop [, step]) the bigints,
// information_schema._pg_expandarray(array) a record (x, n) per element (its value and subscript,
// as text in PostgreSQL's record form, sql/array.h) — and the row
// is repeated as many times as the longest list, the functions' values side by side (a shorter
// list gives NULL past its end; an empty or NULL one, no value). Output: the input's columns, then
// one column per function, of type SetFunctionType.
//
// Errors: a malformed array (22P02), a zero step (22023); the row limit is the query's.
//
// Thread safety: as every PhysicalOperator, one thread.
#pragma once

#include <string>
#include <vector>

#include "execution/operator.h"
#include "sql/expr.h"

namespace laminar::execution {

enum class SetFunction { kUnnest, kGenerateSubscripts, kGenerateSeries, kExpandArray };

// The type of a function's column: text (an element, a record) or bigint; and its SQL name.
Type SetFunctionType(SetFunction f);
const char* SetFunctionName(SetFunction f);

struct SetFunctionCall {
  SetFunction func = SetFunction::kUnnest;
  std::vector<sql::ExprPtr> args;  // over the input's columns (positions)
};

class ProjectSet : public PhysicalOperator {
 public:
  ProjectSet(PhysicalOperatorPtr input, std::vector<SetFunctionCall> calls);
  Status Produce(ExecContext& ctx, Sink& out) override;
  std::string Describe() const override;

 private:
  std::vector<SetFunctionCall> calls_;
};

}  // namespace laminar::execution
