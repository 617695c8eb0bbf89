// SpeedView: the speed layer's incremental state of one view, kept per log segment
// (generation), so that a batch view version with horizon H can later replace whole
// generations ≤ H (DESIGN.md contract 4).
//
// Apply() is called after the events are durable in the log and before they are acked
// (contract 1): a batch is applied whole under the view's mutex, so a query sees all of a batch
// or none of it.
//
// Thread safety: all methods are thread-safe (one mutex per view).
// Memory: one ViewState per live generation; ApproxBytes() reports it.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

#include "views/view_state.h"

namespace laminar::speed {

struct SpeedSnapshot {
  views::ViewState state;      // merged over the generations included
  uint64_t max_seq = 0;        // highest sequence number applied among them
  size_t generations = 0;      // how many generations were merged
};

class SpeedView {
 public:
  explicit SpeedView(views::ViewDefPtr def) : def_(std::move(def)) {}

  const views::ViewDefPtr& def() const { return def_; }

  // Applies a batch of events with sequence numbers ≤ last_seq from log segment `generation`.
  void Apply(uint64_t generation, uint64_t last_seq, const ingest::RowBatch& batch);

  // Drops every generation whose events all have seq ≤ horizon. Returns how many were dropped.
  size_t DropThrough(uint64_t horizon);

  // One consistent merge of every generation holding events with seq > horizon.
  SpeedSnapshot Snapshot(uint64_t horizon = 0) const;

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
};

}  // namespace laminar::speed
