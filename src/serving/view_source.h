// The table source of a view read by the engine: one pinned snapshot of the view — its batch
// version ⊕ the speed state above the version's horizon (ViewSnapshot) — seen as rows, one per
// dimension tuple (a tuple in both parts is one row whose states merge).
//
// The rows' columns are the view's columns in definition order (dimensions, and measures as
// their finalized values), then one hidden bigint column: the row reference. A query that
// re-aggregates a measure (planner: kMergeMeasure) merges the referenced rows' states through
// the PinnedView (function::MeasureStates), so that a re-aggregated sum, average or sketch is
// exact — the same answer as one pass over the events.
//
// Row references: 0..base_rows-1 are the batch version's groups (with the speed group of the
// same tuple, if any, merged in); base_rows.. are the speed groups no batch group has.
//
// Thread safety: a PinnedView is immutable once built; its snapshot is kept alive by it.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <memory>
#include <vector>

#include "execution/table_source.h"
#include "serving/result.h"

namespace laminar::serving {

class PinnedView : public function::MeasureStates {
 public:
  PinnedView(views::ViewDefPtr def, ViewSnapshot snapshot);

  const views::ViewDef& def() const { return *def_; }
  const ViewSnapshot& snapshot() const { return snap_; }
  size_t num_rows() const { return base_rows_ + speed_only_.size(); }

  // The table as the binder sees it: the view's columns, then the hidden row reference.
  execution::TableInfo Describe(std::shared_ptr<const PinnedView> self) const;
  // Reads the requested columns (relation columns of Describe) of the rows admitted by the
  // request's bounds, a chunk at a time.
  Status Scan(const execution::ScanRequest& request, const execution::ScanChunkFn& fn,
              execution::ScanStats* stats) const;
  // Every row with every view column, as Values (verify; a RelationProvider's view rows).
  std::vector<std::vector<Value>> Rows() const;

  void MergeInto(int64_t row, int measure, views::AggState* into) const override;

 private:
  const std::vector<Value>& Dims(size_t row) const;
  Value MeasureValue(size_t row, int measure) const;

  views::ViewDefPtr def_;
  ViewSnapshot snap_;
  size_t base_rows_ = 0;
  absl::flat_hash_map<uint32_t, uint32_t> partner_;  // base group → the speed group of its tuple
  std::vector<uint32_t> speed_only_;                 // speed groups without a base group
};

}  // namespace laminar::serving
