// The table source of a view read by the engine: one pinned snapshot of the view — its batch
// version ⊕ the speed state above the version's horizon (ViewSnapshot: `state` ⊕ `recent`) —
// seen as rows, one per dimension tuple (a tuple in several parts is one row whose states merge).
//
// The rows' columns are the view's columns in definition order (dimensions, and measures as
// their finalized values), then one hidden bigint column: the row reference. A query that
// re-aggregates a measure (planner: kMergeMeasure) merges the referenced rows' states through
// the PinnedView (function::MeasureStates), so that a re-aggregated sum, average or sketch is
// exact — the same answer as one pass over the events.
//
// Row references: a scan that reads the reference column records each row's groups (in the batch
// version, the speed state and its recent part) and hands out their index, so that merging a
// row's states needs no lookup. The speed parts are looked up in the batch version only for the
// groups the scan's bounds admit (the speed layer grows with ingest; a query reads a day of it).
//
// Every part is read by its leading dimension (ViewState::ForEachInLeadingRange): a bound on it
// (a time range, usually) reads only the groups of that range.
//
// Thread safety: a PinnedView belongs to one query; Scan and MergeInto are called by the one
// thread running its plan (execution/operator.h). Its snapshot is kept alive by it.
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
  // Rows in all: one per distinct dimension tuple of both parts (looks every speed group up).
  size_t num_rows() const;

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
  static constexpr uint32_t kNone = UINT32_MAX;
  using DimBounds = std::vector<std::pair<const execution::ColumnBound*, int>>;  // bound, dimension
  // A row's group in each part (kNone: not there).
  struct Parts {
    uint32_t base = kNone, state = kNone, recent = kNone;
  };
  // The speed groups whose tuples the bounds admit: those with a batch group (base → parts)
  // and those without.
  struct SpeedPart {
    absl::flat_hash_map<uint32_t, Parts> partner;
    std::vector<Parts> only;
  };
  SpeedPart ResolveSpeed(const DimBounds& bounds, size_t* visited) const;
  const std::vector<Value>& Dims(const Parts& p) const;
  Value MeasureValue(const Parts& p, int measure) const;
  // Calls fn(state) for measure `measure`'s state in each part that holds the row.
  template <typename Fn>
  void ForEachPart(const Parts& p, int measure, Fn&& fn) const;
  // Calls fn(parts) for every row the bounds admit.
  template <typename Fn>
  Status ForEachRow(const DimBounds& bounds, size_t* visited, Fn&& fn) const;
  // Calls fn(group) for each group of `state` the bounds admit (counted in *visited).
  template <typename Fn>
  static Status ForEachAdmitted(const views::ViewState& state, const DimBounds& bounds, size_t* visited, Fn&& fn);

  views::ViewDefPtr def_;
  ViewSnapshot snap_;
  size_t base_rows_ = 0;
  // The rows handed out as references by Scan (a reference is an index here).
  mutable std::vector<Parts> refs_;
};

}  // namespace laminar::serving
