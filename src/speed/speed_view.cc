#include "speed/speed_view.h"

namespace laminar::speed {

void SpeedView::Apply(uint64_t generation, uint64_t last_seq, const ingest::RowBatch& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = generations_.find(generation);
  if (it == generations_.end())
    it = generations_.emplace(generation, Generation{views::ViewState(def_), 0}).first;
  it->second.state.Apply(batch);
  if (last_seq > it->second.max_seq) it->second.max_seq = last_seq;
}

size_t SpeedView::DropThrough(uint64_t horizon) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t dropped = 0;
  for (auto it = generations_.begin(); it != generations_.end();) {
    if (it->second.max_seq <= horizon) {
      it = generations_.erase(it);
      dropped++;
    } else {
      ++it;
    }
  }
  return dropped;
}

SpeedSnapshot SpeedView::Snapshot(uint64_t horizon) const {
  SpeedSnapshot snap{views::ViewState(def_), 0, 0};
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [gen, g] : generations_) {
    if (g.max_seq <= horizon) continue;
    snap.state.Merge(g.state);
    snap.max_seq = std::max(snap.max_seq, g.max_seq);
    snap.generations++;
  }
  return snap;
}

size_t SpeedView::num_generations() const {
  std::lock_guard<std::mutex> lock(mu_);
  return generations_.size();
}

size_t SpeedView::ApproxBytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t total = 0;
  for (const auto& [gen, g] : generations_) total += g.state.ApproxBytes();
  return total;
}

}  // namespace laminar::speed
