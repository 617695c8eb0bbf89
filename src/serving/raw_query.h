// Queries over raw rows: SELECT over a stream (its lake plus its log tail), a dimension table,
// a view read as a table, equality joins between them, and SELECT without FROM.
// (Queries that read one view alone go to serving/query.h, which merges measures.)
//
// What a query may hold (docs/sql.md "Queries over raw events"): projections of any expression
// (sql/expr.h), WHERE, [INNER|LEFT] JOIN ... ON a = b [AND ...] / USING (...), GROUP BY (names,
// positions, select aliases, expressions), aggregates (function/aggregate.h) also inside
// expressions, HAVING, SELECT DISTINCT, ORDER BY (output names, positions or any expression),
// LIMIT/OFFSET.
//
// Execution: the first relation of FROM is scanned batch by batch (RelationProvider::Scan; the
// provider skips lake partitions and row groups that the WHERE bounds rule out); every joined
// relation is read first into a hash table on its join keys; rows then flow through WHERE,
// grouping or projection. Without ORDER BY and aggregates, LIMIT stops the scan early; ORDER BY
// with LIMIT keeps only the best rows seen so far.
//
// Limits (QueryLimits): the time limit and the cancel flag are checked at every batch and every
// 4,096 rows; memory held by groups, DISTINCT sets, percentiles, join tables, sort buffers and
// result rows is counted (approximately) against max_memory_bytes; more than max_result_rows
// result rows is refused unless the rows go to a RowSink (streamed).
//
// Errors: InvalidArgument (bad SQL: unknown column, ambiguous name, type mismatch, an
// aggregate where none is allowed, …), NotFound (unknown relation), Unimplemented (valid
// PostgreSQL Laminar does not run: subqueries, window functions, set operations, RIGHT/FULL
// joins, non-equality joins), DeadlineExceeded, Cancelled, ResourceExhausted, and whatever the
// provider's scan returns (Corruption/IOError naming a lake file).
//
// Thread safety: ExecuteRawSelect is a pure function of its inputs; the provider must be
// thread-safe if shared.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "execution/table_source.h"
#include "ingest/row_batch.h"
#include "serving/query.h"
#include "sql/parser.h"

namespace laminar::serving {

enum class RelationKind { kStream, kDimension, kView, kSystem };

const char* RelationKindName(RelationKind k);  // "stream", "dimension table", "view", "system table"

struct RelationInfo {
  RelationKind kind = RelationKind::kStream;
  std::string name;
  std::vector<ResultColumn> columns;
  int event_time = -1;  // streams: the event-time column
};

// What the WHERE clause says about one column of the scanned relation (execution/table_source.h).
using ColumnBound = execution::ColumnBound;

struct ScanRequest {
  std::vector<char> needed;          // per column: 1 when the query reads it
  std::vector<ColumnBound> bounds;   // conjunctive
};

// Calls with one batch of rows; `columns[i]` is the batch column holding relation column i, or
// -1 when the batch does not hold it (the query does not need it). Set *stop to end the scan.
using ScanFn = std::function<Status(const ingest::RowBatch& batch, const std::vector<int>& columns, bool* stop)>;

class RelationProvider {
 public:
  virtual ~RelationProvider() = default;
  // The relation `name` (schema "" or "public"; "information_schema"/"pg_catalog" for system
  // tables). NotFound: `relation "x" does not exist`.
  virtual Result<RelationInfo> Describe(const std::string& schema, const std::string& name) const = 0;
  // Reads the relation's rows (for a stream: one consistent snapshot of lake and log tail).
  // Fills the scan counters of `stats`.
  virtual Status Scan(const RelationInfo& rel, const ScanRequest& req, const ScanFn& fn,
                      QueryStats* stats) const = 0;
};

// Receives result rows as they are produced instead of collecting them (no max_result_rows).
struct RowSink {
  std::function<Status(const std::vector<ResultColumn>& columns)> begin;
  std::function<Status(std::vector<Value>&& row)> row;
};

// True when the SELECT reads exactly one relation that is a view of `cat` and nothing else
// (serving/query.h ExecuteSelect answers it).
bool IsSingleViewQuery(const sql::Statement& stmt, const catalog::Snapshot& cat);

// Plans and runs a SELECT. With a sink, rows go to it (QueryResult::rows stays empty).
Result<QueryResult> ExecuteRawSelect(const sql::Statement& stmt, const RelationProvider& provider,
                                     const QueryLimits& limits, const RowSink* sink = nullptr);

// Plans the statement without running it (the SQL front-end fuzz target uses it).
Status PlanRawSelect(const sql::Statement& stmt, const RelationProvider& provider);

}  // namespace laminar::serving
