// Helpers over bound expressions and logical nodes shared by the binder, the optimizer and the
// physical planner.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "planner/logical_plan.h"
#include "sql/expr.h"

namespace laminar::planner {

// `e` with every column reference c replaced by f(c) (a new tree where anything changed).
sql::ExprPtr RemapColumns(const sql::ExprPtr& e, const std::function<int(int)>& f);
// The distinct columns `e` reads.
void CollectColumns(const sql::Expr& e, std::vector<int>* out);
// The conjuncts of an AND tree (a non-AND expression is one conjunct).
void SplitConjuncts(const sql::ExprPtr& e, std::vector<sql::ExprPtr>* out);
// The AND of `parts` (null when empty; the part itself when one).
sql::ExprPtr AndAll(std::vector<sql::ExprPtr> parts);
// A column reference to id `id`.
sql::ExprPtr ColumnRef(int id, const std::string& name, Type type);
// CAST(e AS t) unless e already has type t.
sql::ExprPtr CastTo(const sql::ExprPtr& e, Type t);

// New nodes with their output schema filled in.
LogicalPtr MakeProjection(LogicalPtr child, std::vector<sql::ExprPtr> exprs, std::vector<std::string> names,
                          std::vector<int> ids);
LogicalPtr MakeFilter(LogicalPtr child, sql::ExprPtr predicate);

}  // namespace laminar::planner
