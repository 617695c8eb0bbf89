// Subqueries, WITH and set operations, for any SELECT (over views, streams, dimension tables):
// what analysts write that a single SELECT block cannot say.
//
// How: the parts run first, each as an ordinary SELECT through the caller's runner (so a part
// over one view still merges its measures), and their rows are kept in memory as derived
// relations; the statement is then rewritten to read them and run last:
//   - WITH name [(columns)] AS (SELECT ...), ... : each CTE in order (a CTE may read the earlier
//     ones), visible to the rest of the statement by its name (shadowing a table of that name
//     unless the table is schema-qualified). WITH RECURSIVE: Unimplemented.
//   - FROM (SELECT ...) [AS] alias [(columns)], also inside joins. LATERAL: Unimplemented.
//   - set operations UNION [ALL], INTERSECT [ALL], EXCEPT [ALL] (nested, parenthesized): both
//     sides run, rows combine with NULLs equal, then the statement's ORDER BY / LIMIT / OFFSET
//     apply to the combined rows. Column types must match (bigint and double precision combine
//     as double precision); names come from the left side.
//   - uncorrelated subqueries in expressions (WHERE, HAVING, the select list, join conditions):
//     `(SELECT ...)` (one column, at most one row: none is NULL; more is an error in PostgreSQL's
//     words), `x [NOT] IN (SELECT ...)` / `x = ANY (SELECT ...)` (one column, up to
//     kMaxInSubqueryRows values) and `[NOT] EXISTS (SELECT ...)` become constants before the
//     statement runs. A subquery that reads a column of the outer query (correlated) fails with
//     the column's error and a note that correlated subqueries are not supported; other forms
//     (ALL, ARRAY, row comparisons) are Unimplemented.
//
// Limits: the query's time limit covers all its parts together; the rows the parts keep count
// against its memory cap (max_memory_bytes), not against max_result_rows. Stats add up the scans
// of every part. Thread safety: a pure function of its inputs (the runner is called on the
// caller's thread).
#pragma once

#include <functional>

#include "common/status.h"
#include "serving/query.h"
#include "serving/raw_query.h"
#include "sql/parser.h"

namespace laminar::serving {

constexpr size_t kMaxInSubqueryRows = 100'000;

// True when `stmt` (a SELECT) has WITH, a set operation, a subquery in FROM or a subquery in an
// expression — what ExecuteWithSubqueries is for.
bool HasSubqueries(const sql::Statement& stmt);

// Runs one SELECT without any of the above. `reads_derived`: the statement reads a derived
// relation (a CTE or subquery result) through `provider`, so a FROM name that is also a view's is
// not that view. With a sink, rows go to it (as ExecuteRawSelect).
using SelectRunner = std::function<Result<QueryResult>(const sql::Statement& stmt, const RelationProvider& provider,
                                                       bool reads_derived, const QueryLimits& limits,
                                                       const RowSink* sink)>;

// Runs `stmt` (see the file comment); errors as the runner's, plus InvalidArgument /
// Unimplemented / ResourceExhausted / DeadlineExceeded named above.
Result<QueryResult> ExecuteWithSubqueries(const sql::Statement& stmt, const RelationProvider& provider,
                                          const QueryLimits& limits, const RowSink* sink, const SelectRunner& run);

}  // namespace laminar::serving
