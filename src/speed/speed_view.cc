#include "speed/speed_view.h"

namespace laminar::speed {

void SpeedView::Apply(uint64_t generation, uint64_t last_seq, const ingest::RowBatch& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (last_seq <= horizon_) return;
  auto it = generations_.find(generation);
  if (it == generations_.end())
    it = generations_.emplace(generation, Generation{views::ViewState(def_), 0}).first;
  it->second.state.Apply(batch);
  if (last_seq > it->second.max_seq) it->second.max_seq = last_seq;
  merged_.reset();
}

size_t SpeedView::Publish(uint64_t version, uint64_t horizon, std::shared_ptr<const views::ViewState> state) {
  std::lock_guard<std::mutex> lock(mu_);
  base_ = std::move(state);
  merged_.reset();
  base_version_ = version;
  horizon_ = horizon;
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

SpeedSnapshot SpeedView::Snapshot() const {
  SpeedSnapshot snap;
  std::lock_guard<std::mutex> lock(mu_);
  snap.base = base_;
  snap.base_version = base_version_;
  snap.horizon = horizon_;
  if (!merged_) {
    auto merged = std::make_shared<views::ViewState>(def_);
    for (const auto& [gen, g] : generations_) merged->Merge(g.state);
    merged_ = std::move(merged);
  }
  snap.state = merged_;
  for (const auto& [gen, g] : generations_) {
    snap.max_seq = std::max(snap.max_seq, g.max_seq);
    snap.generations++;
  }
  return snap;
}

uint64_t SpeedView::horizon() const {
  std::lock_guard<std::mutex> lock(mu_);
  return horizon_;
}

uint64_t SpeedView::base_version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return base_version_;
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
