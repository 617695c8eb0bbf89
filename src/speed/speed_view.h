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
// A snapshot's speed state comes in two immutable parts whose merge is the speed state:
//   - `state`, the merge of the generations as of the last fold, shared by every snapshot until
//     the next fold or Publish;
//   - `recent`, what was applied since (the tail), copied once per change — small: the tail is
//     folded into `state` once it holds more than FoldThreshold() groups.
// Under steady ingest a change costs a copy of the tail, not of the whole speed state; a fold
// (a copy of `state` when a query still holds it, else in place) happens once per
// FoldThreshold() new tail groups. The threshold (16·√groups, at least 1,024) balances the two.
//
// Thread safety: all methods are thread-safe (one mutex per view).
// Memory: one ViewState per live generation and the tail (what ApproxBytes() reports), plus the
// two snapshot parts while they are current.
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
  // The speed state above the horizon is state ⊕ recent (a tuple may be in both: its states
  // merge). `state` is never null; `recent` is null when nothing was applied since the last fold.
  std::shared_ptr<const views::ViewState> state;
  std::shared_ptr<const views::ViewState> recent;
  size_t rows = 0;             // distinct dimension tuples of state ⊕ recent
  uint64_t max_seq = 0;        // highest sequence number applied among them
  size_t generations = 0;      // how many generations are live
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

  // One consistent view: the batch version and the speed state above its horizon.
  SpeedSnapshot Snapshot();

  uint64_t horizon() const;
  uint64_t base_version() const;

  size_t num_generations() const;
  size_t ApproxBytes() const;

  // How many tail groups trigger a fold, for a speed state of `groups` groups.
  static size_t FoldThreshold(size_t groups);

 private:
  struct Generation {
    views::ViewState state;  // without its part of the tail
    uint64_t max_seq = 0;
  };
  // Merges the tail into the generations and into the folded state (in place when no snapshot
  // holds it; else a copy when `copy`, or the folded state is dropped, to be rebuilt).
  void FoldLocked(bool copy);

  views::ViewDefPtr def_;
  mutable std::mutex mu_;
  std::map<uint64_t, Generation> generations_;     // GUARDED_BY(mu_)
  std::map<uint64_t, views::ViewState> tails_;     // GUARDED_BY(mu_): per generation, since the last fold
  size_t tail_groups_ = 0;                         // GUARDED_BY(mu_): groups in tails_
  std::shared_ptr<const views::ViewState> base_;   // GUARDED_BY(mu_)
  // The merge of generations_ (without the tail), or null when it must be rebuilt.
  std::shared_ptr<views::ViewState> folded_;       // GUARDED_BY(mu_)
  // The merge of tails_, or null when stale (or when the tail is empty).
  std::shared_ptr<const views::ViewState> recent_;  // GUARDED_BY(mu_)
  size_t rows_ = 0;                                // GUARDED_BY(mu_): distinct tuples, when rows_valid_
  bool rows_valid_ = false;                        // GUARDED_BY(mu_)
  uint64_t base_version_ = 0, horizon_ = 0;        // GUARDED_BY(mu_)
};

}  // namespace laminar::speed
