// Scalar expressions: the bound, typed form of SQL WHERE clauses, view dimensions and query
// group keys. Built by the binder (sql/binder.h) from libpg_query's parse tree; evaluated over a
// row of Values whose positions the binder resolved.
//
// Semantics follow PostgreSQL: three-valued logic (a comparison with NULL is NULL; AND/OR use
// Kleene logic), numeric comparisons across bigint/double, text compared bytewise (C collation),
// date_trunc in UTC.
//
// Thread safety: an Expr is immutable after binding and shared (ExprPtr) freely across threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "common/types.h"

namespace laminar::sql {

enum class ExprKind {
  kColumn,     // row[column]
  kLiteral,    // literal
  kCompare,    // children[0] op children[1]
  kAnd,        // all children (≥ 2)
  kOr,         // any child (≥ 2)
  kNot,        // NOT children[0]
  kIn,         // children[0] [NOT] IN (children[1..])
  kBetween,    // children[0] [NOT] BETWEEN children[1] AND children[2]
  kIsNull,     // children[0] IS [NOT] NULL
  kDateTrunc,  // date_trunc(unit, children[0])
  kArith,      // children[0] arith_op children[1]  (+ - * / %) over bigint/double
  kNegate,     // -children[0]
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };
enum class ArithOp { kAdd, kSub, kMul, kDiv, kMod };

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  Type type = Type::kBool;    // result type
  int column = -1;            // kColumn
  std::string column_name;    // kColumn, for messages and ToString
  Value literal;              // kLiteral
  CompareOp op = CompareOp::kEq;
  ArithOp arith = ArithOp::kAdd;
  TimeUnit unit = TimeUnit::kHour;  // kDateTrunc
  bool negated = false;       // kIn: NOT IN; kBetween: NOT BETWEEN; kIsNull: IS NOT NULL
  std::vector<ExprPtr> children;

  // SQL text of the expression, e.g. "date_trunc('hour', ts)", "(country = 'US')".
  std::string ToString() const;
};

// Constructors used by the binder and by tests.
ExprPtr MakeColumn(int index, std::string name, Type type);
ExprPtr MakeLiteral(Value v, Type type);
ExprPtr MakeCompare(CompareOp op, ExprPtr a, ExprPtr b);
ExprPtr MakeDateTrunc(TimeUnit unit, ExprPtr arg);

// Evaluates over `row` (indexed by Expr::column). Division by zero yields NULL (documented
// deviation: PostgreSQL raises an error).
Value Eval(const Expr& e, const Value* row);
// WHERE semantics: true only when the value is true (NULL and false are both "no").
bool EvalPredicate(const Expr& e, const Value* row);

// Calls fn(column_index) for every column the expression reads.
template <typename Fn>
void VisitColumns(const Expr& e, Fn&& fn) {
  if (e.kind == ExprKind::kColumn) fn(e.column);
  for (const auto& c : e.children) VisitColumns(*c, fn);
}

}  // namespace laminar::sql
