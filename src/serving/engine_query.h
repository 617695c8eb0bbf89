// The query service's entry to the one engine: a SELECT (or EXPLAIN) as a typed syntax tree →
// bind (planner/binder.h) → optimize (planner/optimizer.h) → physical plan
// (planner/physical_planner.h) → run, with the query's limits (time, memory, result rows, cancel),
// rows formed only here, at the edge (QueryResult rows or a RowSink).
//
// Errors: as the binder's (InvalidArgument, NotFound, Unimplemented naming the construct), and at
// run time DeadlineExceeded, Cancelled, ResourceExhausted (memory, max_result_rows), runtime
// errors of expressions (InvalidArgument), and the sources' (Corruption/IOError naming a file).
//
// Thread safety: pure functions of their inputs; the catalog must be usable from this thread.
#pragma once

#include <vector>

#include "execution/table_source.h"
#include "serving/query.h"
#include "serving/raw_query.h"
#include "sql/ast.h"

namespace laminar::serving {

// Binds, optimizes and plans `stmt` without running it: OK when the engine can answer it.
Status PlanEngineQuery(const sql::ast::SelectStmt& stmt, const execution::TableCatalog& catalog);

// Runs a SELECT. With a sink, rows go to it and QueryResult::rows stays empty.
Result<QueryResult> RunEngineQuery(const sql::ast::SelectStmt& stmt, const execution::TableCatalog& catalog,
                                   const QueryLimits& limits, const RowSink* sink = nullptr);

// The result columns of a SELECT, from its plan (no rows are read).
Result<std::vector<ResultColumn>> DescribeEngineQuery(const sql::ast::SelectStmt& stmt,
                                                      const execution::TableCatalog& catalog);

// EXPLAIN [ANALYZE]: one text column "QUERY PLAN", a row per plan line; ANALYZE runs the query
// (its rows are counted, not returned) and adds rows, chunks, time and scan details per operator.
Result<QueryResult> ExplainEngineQuery(const sql::ast::ExplainStmt& stmt, const execution::TableCatalog& catalog,
                                       const QueryLimits& limits);

}  // namespace laminar::serving
