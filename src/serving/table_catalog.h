// ProviderCatalog: the query engine's TableCatalog (execution/table_source.h) over a
// RelationProvider (serving/raw_query.h) — streams, dimension tables and views read as tables,
// as the engine serves them. Rows arrive as the provider's RowBatches and are handed on as
// column chunks that reference the batch (no copy of text).
//
// Thread safety: as the provider.
#pragma once

#include "execution/table_source.h"
#include "serving/raw_query.h"

namespace laminar::serving {

class ProviderCatalog : public execution::TableCatalog {
 public:
  explicit ProviderCatalog(const RelationProvider& provider) : provider_(provider) {}
  Result<execution::TableInfo> Describe(const std::string& schema, const std::string& name) const override;
  Status Scan(const execution::TableInfo& table, const execution::ScanRequest& request,
              const execution::ScanChunkFn& fn, execution::ScanStats* stats) const override;

 private:
  const RelationProvider& provider_;
};

// The chunk of `batch` holding relation columns `columns` (batch column columns_in_batch[c] for
// relation column c), text by reference into the batch.
columnar::Chunk ChunkOfBatch(const ingest::RowBatch& batch, const std::vector<int>& columns,
                             const std::vector<int>& columns_in_batch);

}  // namespace laminar::serving
