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

#include <memory>
#include <string>
#include <vector>

#include "execution/table_source.h"
#include "serving/result.h"
#include "serving/relation_provider.h"
#include "sql/ast.h"

namespace laminar::serving {

// A SELECT bound, optimized and planned, ready to run once. Refers to the catalog it was planned
// against, which must outlive it.
struct PreparedEngineQuery;
struct PreparedEngineQueryDeleter {
  void operator()(PreparedEngineQuery* p) const;
};
using PreparedEngineQueryPtr = std::unique_ptr<PreparedEngineQuery, PreparedEngineQueryDeleter>;

// Binds, optimizes and plans `stmt`: an error when the engine cannot answer it.
Result<PreparedEngineQueryPtr> PrepareEngineQuery(const sql::ast::SelectStmt& stmt,
                                                  const execution::TableCatalog& catalog);

// Runs a prepared SELECT. With a sink, rows go to it and QueryResult::rows stays empty.
Result<QueryResult> RunPreparedEngineQuery(PreparedEngineQuery& query, const QueryLimits& limits,
                                           const RowSink* sink = nullptr);

// PrepareEngineQuery, then RunPreparedEngineQuery.
Result<QueryResult> RunEngineQuery(const sql::ast::SelectStmt& stmt, const execution::TableCatalog& catalog,
                                   const QueryLimits& limits, const RowSink* sink = nullptr);

// EXPLAIN [ANALYZE]: one text column "QUERY PLAN", a row per plan line; ANALYZE runs the query
// (its rows are counted, not returned) and adds rows, chunks, time and scan details per operator.
Result<QueryResult> ExplainEngineQuery(const sql::ast::ExplainStmt& stmt, const execution::TableCatalog& catalog,
                                       const QueryLimits& limits);

}  // namespace laminar::serving
