// Vectorized evaluation of bound scalar expressions (sql/expr.h) over column chunks.
//
// An expression's kColumn nodes index the columns of the input chunk. Results follow sql::Eval
// exactly (PostgreSQL semantics, three-valued logic); the common kinds have column-at-a-time
// kernels, the rest are evaluated row by row with sql::Eval over the columns they read.
//
// Runtime errors (a bad cast, bigint overflow, ...) make the value NULL and are recorded in the
// thread's error slot as sql::Eval does: after evaluating, a caller checks sql::HasEvalError().
//
// Thread safety: pure functions of their inputs.
#pragma once

#include <cstdint>
#include <vector>

#include "columnar/vector.h"
#include "sql/expr.h"

namespace laminar::sql {

// Evaluates `e` over the `in.rows` rows of `in` into `*out` (replaced; type e.type). Text results
// may point into `in`'s text or into the expression's literals; `*out` keeps `in`'s heaps alive.
void EvalVector(const sql::Expr& e, const columnar::Chunk& in, columnar::Vector* out);

// The rows of `in` where the predicate `e` is true (not false, not NULL), ascending, into *sel.
void EvalSelect(const sql::Expr& e, const columnar::Chunk& in, std::vector<uint32_t>* sel);

}  // namespace laminar::sql
