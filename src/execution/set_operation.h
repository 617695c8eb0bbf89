// UNION / INTERSECT / EXCEPT [ALL] with PostgreSQL's semantics.
//
// Rows compare whole, with NULLs equal (and -0.0 = 0.0, one NaN: execution/aggregate.h
// AppendGroupKey). Both children have the same column types (the planner casts bigint to double
// where one side is double); the output has the left child's types.
//   UNION ALL: every left row, then every right row (streamed).
//   UNION: each distinct row once (streamed: a row leaves when first seen).
//   INTERSECT: each distinct left row that occurs on the right, once.
//   INTERSECT ALL: a row occurring m times left and n times right, min(m, n) times.
//   EXCEPT: each distinct left row that does not occur on the right, once.
//   EXCEPT ALL: a row occurring m times left and n times right, max(m - n, 0) times.
// INTERSECT and EXCEPT read the right child into a hash table of row counts first, then stream
// the left child. Output order is unspecified (it is the left child's order, then the right's).
//
// Memory: the encoded rows kept (UNION, the right side of INTERSECT/EXCEPT, the left rows already
// emitted by INTERSECT/EXCEPT), charged to the ExecContext and released when Produce returns.
#pragma once

#include <string>

#include "execution/operator.h"

namespace laminar::execution {

enum class SetOpKind { kUnion, kIntersect, kExcept };

class SetOperation : public PhysicalOperator {
 public:
  SetOperation(PhysicalOperatorPtr left, PhysicalOperatorPtr right, SetOpKind kind, bool all);

  Status Produce(ExecContext& ctx, Sink& out) override;
  std::string Describe() const override;

 private:
  SetOpKind kind_;
  bool all_;
};

}  // namespace laminar::execution
