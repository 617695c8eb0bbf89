// The query binder: a SELECT's typed syntax tree (sql/ast.h) → a logical plan
// (planner/logical_plan.h), resolving names against a TableCatalog and the statement's CTEs,
// typing every expression (sql/binder.h binds the scalar parts) and turning the clauses into
// relational operators:
//
//   FROM (relations, subqueries, CTEs, joins, VALUES) → WHERE → GROUP BY / aggregates → HAVING
//   → window functions → SELECT list → DISTINCT [ON] → ORDER BY → LIMIT/OFFSET
//
// Expressions are identified by their bound structure (sql::Expr::Key), never by their text: a
// GROUP BY key, an aggregate, a select-list item and an ORDER BY item are the same only when they
// compute the same thing over the same columns.
//
// Subqueries in expressions become joins: a scalar subquery a left join with a one-row input
// (more rows: an error at run time), EXISTS a join with its non-emptiness, IN / = ANY a mark join.
// Correlated subqueries (reading a column of the enclosing query) are decorrelated into joins
// (bind_decorrelate.cc); a scalar one that cannot be becomes an Apply, bound and run per distinct
// row of the enclosing query (BindWithValues); other shapes are Unimplemented (SQLSTATE 0A000)
// naming the construct. ARRAY(subquery) is a scalar subquery of array_agg. Set-returning
// functions of a select list become a ProjectSet below the projection.
//
// Columns in the plan are identified during binding by query-wide ids (OutputIds); the physical
// planner turns them into positions.
//
// Errors: InvalidArgument for wrong SQL in PostgreSQL's words, NotFound for an unknown relation,
// Unimplemented naming the construct for valid SQL Laminar does not run.
//
// Thread safety: BindQuery is a pure function of its inputs.
#pragma once

#include <set>
#include <string>

#include "common/status.h"
#include "execution/table_source.h"
#include "planner/logical_plan.h"
#include "sql/ast.h"
#include "sql/binder.h"

namespace laminar::planner {

// Binds a whole query; the plan's output columns are the result columns, in order.
Result<LogicalPtr> BindQuery(const sql::ast::SelectStmt& stmt, const execution::TableCatalog& catalog);

// Binds `stmt` with the columns `columns` (which it may name as if they were an enclosing query's)
// read as the constants `values`: a correlated subquery's plan for one row of the enclosing query
// (the Apply operator, execution/apply.h).
Result<LogicalPtr> BindWithValues(const sql::ast::SelectStmt& stmt, const execution::TableCatalog& catalog,
                                  const std::vector<sql::ScopeColumn>& columns, const std::vector<Value>& values);

// The names of the relations the query's FROM clauses name anywhere (subqueries, CTE bodies and
// set operations included; CTE names too, as written).
std::set<std::string> ReferencedTables(const sql::ast::SelectStmt& stmt);

}  // namespace laminar::planner
