// SpeedView: the live state of one view — the published batch version (a ViewState covering
// every event with seq ≤ horizon H) plus the speed layer's incremental state of the events above
// H, kept per log segment (generation) (DESIGN.md contract 4).
//
// Publish(version, H, state) swaps the batch version in and drops the generations ≤ H under the
// same mutex as Snapshot(), so a snapshot holds one batch version and exactly the generations
// above its horizon: nothing counted twice, nothing missed, also while a swap happens. Horizons
// are segment boundaries, so a generation is wholly ≤ H or wholly above it.
//
// Apply() is called after the events are durable in the log and before they are acked
// (contract 1): a batch is applied whole under the view's mutex, so a query sees all of a batch
// or none of it.
//
// Snapshot() merges the generations once per change and shares the merge until the next Apply or
// Publish.
//
// Thread safety: all methods are thread-safe (one mutex per view).
// Memory: one ViewState per live generation, plus their merge while it is current;
// ApproxBytes() reports the generations.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#include "views/view_state.h"

namespace laminar::speed {

struct SpeedSnapshot {
  std::shared_ptr<const views::ViewState> base;  // the batch version; null when none
  uint64_t base_version = 0;   // 0 when none
  uint64_t horizon = 0;        // the batch version covers seq ≤ horizon
  // Merged over the speed generations above the horizon; never null. Shared by the snapshots
  // taken while no batch is applied (the merge is made once per change, not once per query).
  std::shared_ptr<const views::ViewState> state;
  uint64_t max_seq = 0;        // highest sequence number applied among them
  size_t generations = 0;      // how many generations were merged
};

class SpeedView {
 public:
  explicit SpeedView(views::ViewDefPtr def) : def_(std::move(def)) {}

  const views::ViewDefPtr& def() const { return def_; }

  // Applies a batch of events with sequence numbers ≤ last_seq from log segment `generation`.
  // A batch with last_seq ≤ the published horizon is already covered and is ignored.
  void Apply(uint64_t generation, uint64_t last_seq, const ingest::RowBatch& batch);

  // Installs batch version `version` covering seq ≤ horizon and drops every generation whose
  // events all have seq ≤ horizon. Returns how many generations were dropped. REQUIRES: horizon
  // is a segment boundary and state is built with this view's definition.
  size_t Publish(uint64_t version, uint64_t horizon, std::shared_ptr<const views::ViewState> state);

  // One consistent view: the batch version and the merge of the generations above its horizon.
  SpeedSnapshot Snapshot() const;

  uint64_t horizon() const;
  uint64_t base_version() const;

  size_t num_generations() const;
  size_t ApproxBytes() const;

 private:
  struct Generation {
    views::ViewState state;
    uint64_t max_seq = 0;
  };
  views::ViewDefPtr def_;
  mutable std::mutex mu_;
  std::map<uint64_t, Generation> generations_;  // GUARDED_BY(mu_)
  std::shared_ptr<const views::ViewState> base_;  // GUARDED_BY(mu_)
  // The merge of generations_, or null when an Apply or Publish made it stale.
  mutable std::shared_ptr<const views::ViewState> merged_;  // GUARDED_BY(mu_)
  uint64_t base_version_ = 0, horizon_ = 0;       // GUARDED_BY(mu_)
};

}  // namespace laminar::speed
