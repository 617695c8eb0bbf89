// Internals of the vectorized expression evaluator (expression.h), shared by its kernel files:
//   expression.cc          entry points, dispatch, columns, literals, AND/OR/NOT, IS NULL, CASE,
//                          COALESCE, the row-by-row fallback
//   expression_compare.cc  comparisons, IN, BETWEEN, LIKE (boolean kernels: selections)
//   expression_arith.cc    arithmetic, negation, casts, date_trunc, extract
//
// Every kernel evaluates an expression over a selection of the input's rows (Sel): the rows sql::Eval
// would evaluate it on. CASE, COALESCE, AND and OR narrow the selection of their later children
// exactly as sql::Eval short-circuits, so a branch not taken is not evaluated (and records no
// error). Values are full-size vectors indexed by input row; rows outside the selection are NULL.
//
// Errors: a kernel makes the value NULL and records the error as sql::Eval does. The entry points
// redo a chunk row by row with sql::Eval when a new error shows, so which error is recorded first
// is always exactly sql::Eval's.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "columnar/vector.h"
#include "sql/expr.h"

namespace laminar::sql::vec {

using columnar::Chunk;
using columnar::Vector;

// Rows to evaluate: ascending row indexes `idx[0..n)`, or all rows [0, n) when idx is null.
struct Sel {
  const uint32_t* idx = nullptr;
  size_t n = 0;

  static Sel All(size_t rows) { return Sel{nullptr, rows}; }
  static Sel Of(const std::vector<uint32_t>& rows) { return Sel{rows.data(), rows.size()}; }
  bool dense() const { return idx == nullptr; }
  uint32_t operator[](size_t k) const { return idx ? idx[k] : static_cast<uint32_t>(k); }
};

template <typename F>
inline void ForEach(const Sel& s, F&& f) {
  if (s.idx == nullptr) {
    for (uint32_t i = 0; i < s.n; i++) f(i);
  } else {
    for (size_t k = 0; k < s.n; k++) f(s.idx[k]);
  }
}

// A boolean result over a selection: the true rows and the NULL rows (ascending subsets of the
// selection); the selection's other rows are false.
struct BoolRows {
  std::vector<uint32_t> t, n;
};

// A child's value: a column of the input read in place, a literal kept as a constant, or a
// vector evaluated into `tmp`.
struct Operand {
  const Vector* vec = nullptr;
  const Value* constant = nullptr;
  Vector tmp;
  Type type = Type::kBool;  // the child expression's type

  bool is_const() const { return constant != nullptr; }
  bool const_null() const { return constant != nullptr && constant->is_null(); }
  bool valid(uint32_t i) const { return constant ? !constant->is_null() : vec->valid(i); }
};

// Evaluates `e` over the rows `sel` of `in` into *out (replaced: type e.type, in.rows rows, NULL
// outside `sel`).
void EvalNode(const sql::Expr& e, const Chunk& in, const Sel& sel, Vector* out);
// The true and NULL rows of the boolean `e` over `sel`.
void SelectNode(const sql::Expr& e, const Chunk& in, const Sel& sel, BoolRows* out);
// The fallback: sql::Eval row by row over the rows `sel` (a row of Values holding only the
// columns `e` reads).
void EvalRows(const sql::Expr& e, const Chunk& in, const Sel& sel, Vector* out);
// True when `e` is a boolean kind with a selection kernel (SelectNode evaluates it natively).
bool HasSelectKernel(const sql::Expr& e);

void EvalOperand(const sql::Expr& e, const Chunk& in, const Sel& sel, Operand* op);
// *out = a vector of `type` with `rows` NULL rows.
void InitOut(Vector* out, Type type, size_t rows);
// The rows of `sel` where `v` is valid: `sel` itself when none is NULL, else a selection in *buf.
Sel ValidRows(const Sel& sel, const Vector& v, std::vector<uint32_t>* buf);
// Scatters a boolean result into *out (type boolean, in_rows rows): false on `sel`, then the
// true and NULL rows.
void BoolRowsToVector(const Sel& sel, const BoolRows& r, size_t in_rows, Vector* out);
// Records a runtime error as sql::Eval does (only the first one is kept).
void RecordError(ErrorCode code, const char* message);

// The operand's values as doubles at the rows `sel` (bigint converted): its own array when it is
// a double vector, else `buf` (in.rows entries). REQUIRES: !op.is_const().
const double* AsDoubles(const Operand& op, const Sel& sel, size_t rows, std::vector<double>* buf);
// Value::Compare of two non-NULL cells (row i of a, row j of b), by the cells' types.
int CompareCells(const Operand& a, uint32_t i, const Operand& b, uint32_t j);

inline int CompareDoubles(double x, double y) {
  bool xn = x != x, yn = y != y;  // NaN sorts above every number and equals itself
  if (xn || yn) return int(xn) - int(yn);
  return (x > y) - (x < y);
}
inline int CompareInts(int64_t x, int64_t y) { return (x > y) - (x < y); }
inline int CompareTexts(std::string_view x, std::string_view y) {
  int c = x.compare(y);
  return (c > 0) - (c < 0);
}
inline bool Holds(sql::CompareOp op, int c) {
  switch (op) {
    case sql::CompareOp::kEq: return c == 0;
    case sql::CompareOp::kNe: return c != 0;
    case sql::CompareOp::kLt: return c < 0;
    case sql::CompareOp::kLe: return c <= 0;
    case sql::CompareOp::kGt: return c > 0;
    case sql::CompareOp::kGe: return c >= 0;
  }
  return false;
}

// expression_compare.cc
void SelectCompare(const sql::Expr& e, const Chunk& in, const Sel& sel, BoolRows* out);
bool InHasKernel(const sql::Expr& e);  // every list item is a literal
void SelectIn(const sql::Expr& e, const Chunk& in, const Sel& sel, BoolRows* out);
void SelectBetween(const sql::Expr& e, const Chunk& in, const Sel& sel, BoolRows* out);
bool LikeHasKernel(const sql::Expr& e);  // a pre-analysed shape or a literal pattern
void SelectLike(const sql::Expr& e, const Chunk& in, const Sel& sel, BoolRows* out);

// expression_arith.cc
void EvalArith(const sql::Expr& e, const Chunk& in, const Sel& sel, Vector* out);
void EvalNegate(const sql::Expr& e, const Chunk& in, const Sel& sel, Vector* out);
bool CastHasKernel(const sql::Expr& e);  // numeric and boolean casts, anything to text
void EvalCast(const sql::Expr& e, const Chunk& in, const Sel& sel, Vector* out);
void EvalDateTrunc(const sql::Expr& e, const Chunk& in, const Sel& sel, Vector* out);
void EvalExtract(const sql::Expr& e, const Chunk& in, const Sel& sel, Vector* out);

}  // namespace laminar::sql::vec
