// RelationProvider: how the engine's stage wiring (engine/scan.h) serves the rows of streams
// (lake files + log tail, one snapshot, partitions and row groups skipped by the WHERE bounds)
// and dimension tables as RowBatches; serving/table_catalog.h adapts it to the query engine's
// TableCatalog. Views are served by serving/view_source.h.
//
// Thread safety: as the implementation says (engine/scan.h: one query at a time).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "execution/table_source.h"
#include "ingest/row_batch.h"
#include "serving/result.h"

namespace laminar::serving {

enum class RelationKind { kStream, kDimension, kView, kSystem };


struct RelationInfo {
  RelationKind kind = RelationKind::kStream;
  std::string name;
  std::vector<ResultColumn> columns;
  int event_time = -1;  // streams: the event-time column
};

struct ScanRequest {
  std::vector<char> needed;                    // per column: 1 when the query reads it
  std::vector<execution::ColumnBound> bounds;  // conjunctive
};

// Receives the rows: relation column c is batch column columns[c] (-1: not read). Set *stop to
// end the scan.
using ScanFn = std::function<Status(const ingest::RowBatch& batch, const std::vector<int>& columns, bool* stop)>;

class RelationProvider {
 public:
  virtual ~RelationProvider() = default;
  // The relation `name` (schema "" or "public"). NotFound: `relation "x" does not exist`.
  virtual Result<RelationInfo> Describe(const std::string& schema, const std::string& name) const = 0;
  // Reads the relation's rows (for a stream: one consistent snapshot of lake and log tail).
  // Fills the scan counters of `stats`.
  virtual Status Scan(const RelationInfo& rel, const ScanRequest& req, const ScanFn& fn,
                      QueryStats* stats) const = 0;
  // The rows of a system table made of the engine's running state (laminar.subscriptions), one
  // value per column of its description (serving/system_tables.h). Default: none.
  virtual std::vector<std::vector<Value>> LiveRows(const std::string& table) const {
    (void)table;
    return {};
  }
};

}  // namespace laminar::serving
