// Table sources: every relation a query reads, behind one interface — a stream (lake files + log
// tail, one snapshot), a view read as a table (one batch version ⊕ the speed generations above
// its horizon), a dimension table, a system table. The binder asks a TableCatalog for a
// relation's columns; the TableScan operator asks it for the rows, naming the columns it needs
// and the bounds the WHERE clause puts on them, so the source can skip partitions, files, row
// groups and pages, and decode only what is needed.
//
// Thread safety: a TableCatalog is used by one query at a time unless its implementation says
// otherwise; Scan may be called more than once per query (a self-join scans twice).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "columnar/vector.h"
#include "common/status.h"
#include "common/types.h"
#include "function/aggregate.h"
#include "sql/ast.h"

namespace laminar::execution {

enum class TableKind { kStream, kDimension, kView, kSystem };

// "stream", "dimension table", "view", "system table"
const char* TableKindName(TableKind k);

struct TableColumn {
  std::string name;
  Type type;
  // Views: the measure this column holds (its value per view row), else -1.
  int measure = -1;
  // Not visible to SQL (not listed by *, not found by name): a view's row reference.
  bool hidden = false;
};

struct TableInfo {
  TableKind kind = TableKind::kStream;
  std::string schema;  // "" for user relations; "pg_catalog" / "information_schema" for system ones
  std::string name;
  std::vector<TableColumn> columns;
  int event_time = -1;           // streams: the event-time column (partition pruning)
  double estimated_rows = 1000;  // for the optimizer's build-side choice; a guess is fine
  // Views: the measures (TableColumn::measure indexes them), their states per view row, and the
  // hidden bigint column whose value is the row reference MeasureStates takes.
  std::vector<views::MeasureDef> measures;
  std::shared_ptr<const function::MeasureStates> measure_states;
  int row_ref_column = -1;
  // A view defined in SQL (the catalog views of pg_catalog and information_schema): the binder
  // binds its SELECT in place of a scan, as a subquery; `columns` is then empty.
  std::shared_ptr<const sql::ast::SelectStmt> definition;
};

// What the WHERE clause says about one column: a row whose value lies outside [lo, hi] (a NULL
// Value: unbounded on that side) cannot match; NULL values never match a bound.
struct ColumnBound {
  int column = -1;  // relation column
  Value lo, hi;
  bool lo_inclusive = true, hi_inclusive = true;
  bool Admits(const Value& v) const;
  // Narrows this bound to the values both it and `o` (a bound on the same column) admit.
  void Intersect(const ColumnBound& o);
  bool MayOverlap(const Value& min, const Value& max) const;
  std::string ToString(const std::string& column_name) const;  // "ts >= '…' AND ts < '…'"
};

struct ScanRequest {
  std::vector<int> columns;          // relation columns to read, ascending, no duplicates
  std::vector<ColumnBound> bounds;   // conjunctive
};

// What a scan read and skipped (EXPLAIN ANALYZE, the HTTP answer's stats).
struct ScanStats {
  uint64_t lake_last_seq = 0, log_last_seq = 0;
  size_t lake_files = 0, lake_files_skipped = 0;
  size_t row_groups = 0, row_groups_skipped = 0;
  size_t lake_rows = 0, log_rows = 0, other_rows = 0;
  // Views read as tables: the batch version and the speed generations above its horizon.
  uint64_t batch_version = 0, horizon = 0, speed_max_seq = 0, definition_version = 0;
  size_t speed_generations = 0;
  size_t batch_rows = 0, speed_rows = 0;  // view rows (dimension tuples) of each part
  size_t stream_scans = 0, view_scans = 0;
  void Add(const ScanStats& o);
};

// Receives the rows as chunks: chunk.columns[i] holds relation column request.columns[i]. The
// chunk is valid only during the call. Set *stop to end the scan.
using ScanChunkFn = std::function<Status(columnar::Chunk& chunk, bool* stop)>;

class TableCatalog {
 public:
  virtual ~TableCatalog() = default;
  // The relation `name` in `schema` ("" = the search path: user relations, then pg_catalog).
  // NotFound `relation "x" does not exist`.
  virtual Result<TableInfo> Describe(const std::string& schema, const std::string& name) const = 0;
  // Reads the relation's rows (a stream: one consistent snapshot of lake and log tail).
  virtual Status Scan(const TableInfo& table, const ScanRequest& request, const ScanChunkFn& fn,
                      ScanStats* stats) const = 0;
};

}  // namespace laminar::execution
