// EngineRelations: the engine's serving::RelationProvider — streams (lake + log tail, with
// partition pruning and row-group skipping), dimension tables and views read as tables. See
// scan.cc. Made per query; holds the query's catalog snapshot and view snapshot function.
//
// Thread safety: used by one query at a time; the engine's state it reads is thread-safe.
#pragma once

#include <string>

#include "catalog/catalog.h"
#include "engine/engine.h"
#include "serving/result.h"
#include "serving/relation_provider.h"

namespace laminar::engine {

class EngineRelations : public serving::RelationProvider {
 public:
  EngineRelations(const Engine* e, const catalog::Snapshot& cat, serving::ViewSnapshotFn view_fn)
      : e_(e), cat_(cat), view_fn_(std::move(view_fn)) {}

  Result<serving::RelationInfo> Describe(const std::string& schema, const std::string& name) const override;
  Status Scan(const serving::RelationInfo& rel, const serving::ScanRequest& req, const serving::ScanFn& fn,
              serving::QueryStats* stats) const override;
  std::vector<std::vector<Value>> LiveRows(const std::string& table) const override;

 private:
  Status ScanStream(const serving::RelationInfo& rel, const serving::ScanRequest& req, const serving::ScanFn& fn,
                    serving::QueryStats* stats) const;
  Status ScanView(const serving::RelationInfo& rel, const serving::ScanFn& fn, serving::QueryStats* stats) const;

  const Engine* e_;
  const catalog::Snapshot& cat_;
  serving::ViewSnapshotFn view_fn_;
};

}  // namespace laminar::engine
