// ProviderCatalog: the query engine's TableCatalog (execution/table_source.h) over a
// RelationProvider (serving/relation_provider.h) — streams and dimension tables as the engine serves
// them — and over the views of a catalog snapshot (serving/view_source.h). Rows of streams and
// dimension tables arrive as the provider's RowBatches and are handed on as column chunks that
// reference the batch (no copy of text). A view is pinned the first time the query names it:
// every reference to it in the query (a self-join, a subquery) reads the same snapshot.
//
// Thread safety: one query at a time (the pins are per query).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "catalog/catalog.h"
#include "execution/table_source.h"
#include "serving/relation_provider.h"
#include "serving/view_source.h"
#include "sql/session.h"

namespace laminar::serving {

class ProviderCatalog : public execution::TableCatalog {
 public:
  explicit ProviderCatalog(const RelationProvider& provider) : provider_(provider) {}
  // With views: `catalog`'s views (their definitions as the query sees them) read through
  // `snapshot_fn`. Both must outlive this object.
  ProviderCatalog(const RelationProvider& provider, const catalog::Snapshot& catalog, ViewSnapshotFn snapshot_fn)
      : provider_(provider), catalog_(&catalog), snapshot_fn_(std::move(snapshot_fn)) {}
  Result<execution::TableInfo> Describe(const std::string& schema, const std::string& name) const override;
  Status Scan(const execution::TableInfo& table, const execution::ScanRequest& request,
              const execution::ScanChunkFn& fn, execution::ScanStats* stats) const override;
  // The session the system tables describe (laminar.settings); must outlive this object. Unset:
  // the default session.
  void set_session(const sql::Session* session) { session_ = session; }
  // The relations of the catalog with their oids (serving/system_tables.h SessionRelations), made
  // once per ProviderCatalog: the system tables and the session's ::regclass read them.
  const std::vector<sql::SessionRelation>& Relations() const;

 private:
  const sql::Session* session_ = nullptr;
  const RelationProvider& provider_;
  const catalog::Snapshot* catalog_ = nullptr;
  ViewSnapshotFn snapshot_fn_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const PinnedView>> pinned_;
  mutable std::optional<std::vector<sql::SessionRelation>> relations_;
};

}  // namespace laminar::serving
