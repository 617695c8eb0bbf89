#include "speed/speed_view.h"

#include <atomic>
#include <cmath>

namespace laminar::speed {

size_t SpeedView::FoldThreshold(size_t groups) {
  // A change copies the tail (≤ T groups); a fold copies the folded state (S groups) once per T
  // new tail groups. With c new groups a change, the cost per change is about T/2 + c·S/T,
  // least at T = √(2cS); 16·√S is that for c ≈ 128 (a 100-event request touches ~100 groups).
  return std::max<size_t>(1024, static_cast<size_t>(16.0 * std::sqrt(static_cast<double>(groups))));
}

void SpeedView::Apply(uint64_t generation, uint64_t last_seq, const ingest::RowBatch& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (last_seq <= horizon_) return;
  auto it = generations_.find(generation);
  if (it == generations_.end())
    it = generations_.emplace(generation, Generation{views::ViewState(def_), 0}).first;
  if (last_seq > it->second.max_seq) it->second.max_seq = last_seq;
  auto t = tails_.find(generation);
  if (t == tails_.end()) {
    t = tails_.emplace(generation, views::ViewState(def_)).first;
    tail_groups_ += t->second.num_groups();
  }
  const size_t before = t->second.num_groups();
  t->second.Apply(batch);
  tail_groups_ += t->second.num_groups() - before;
  recent_.reset();
  rows_valid_ = false;
  // Without queries the tail is not folded by Snapshot(): fold here, so that it stays small
  // (cheap: a folded state no snapshot holds is merged into in place, else dropped).
  if (tail_groups_ > 4 * FoldThreshold(folded_ ? folded_->num_groups() : it->second.state.num_groups())) FoldLocked(false);
}

void SpeedView::FoldLocked(bool copy) {
  if (folded_ && folded_.use_count() > 1) {
    if (copy) folded_ = std::make_shared<views::ViewState>(*folded_);
    else folded_.reset();
  }
  // use_count() is a relaxed read: pair it with the release of the last other owner's drop.
  std::atomic_thread_fence(std::memory_order_acquire);
  for (auto& [gen, tail] : tails_) {
    generations_.at(gen).state.Merge(tail);
    if (folded_) folded_->Merge(tail);
  }
  tails_.clear();
  tail_groups_ = 0;
  recent_.reset();
  rows_valid_ = false;
}

size_t SpeedView::Publish(uint64_t version, uint64_t horizon, std::shared_ptr<const views::ViewState> state) {
  std::lock_guard<std::mutex> lock(mu_);
  folded_.reset();  // rebuilt by the next snapshot, from the generations left
  FoldLocked(false);
  base_ = std::move(state);
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

SpeedSnapshot SpeedView::Snapshot() {
  SpeedSnapshot snap;
  std::lock_guard<std::mutex> lock(mu_);
  snap.base = base_;
  snap.base_version = base_version_;
  snap.horizon = horizon_;
  if (!folded_) {
    auto merged = std::make_shared<views::ViewState>(def_);
    for (const auto& [gen, g] : generations_) merged->Merge(g.state);
    folded_ = std::move(merged);
    rows_valid_ = false;
  }
  if (tail_groups_ > FoldThreshold(folded_->num_groups())) FoldLocked(true);
  if (!recent_ && !tails_.empty()) {
    if (tails_.size() == 1) {
      recent_ = std::make_shared<const views::ViewState>(tails_.begin()->second);
    } else {
      auto merged = std::make_shared<views::ViewState>(def_);
      for (const auto& [gen, t] : tails_) merged->Merge(t);
      recent_ = std::move(merged);
    }
  }
  if (!rows_valid_) {
    rows_ = folded_->num_groups();
    if (recent_) {
      std::string key;
      for (const views::Group& g : recent_->groups()) {
        views::ViewState::KeyOf(g.dims, &key);
        if (folded_->IndexOfKey(key) == views::ViewState::kNoGroup) rows_++;
      }
    }
    rows_valid_ = true;
  }
  snap.state = folded_;
  snap.recent = recent_;
  snap.rows = rows_;
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
  for (const auto& [gen, t] : tails_) total += t.ApproxBytes();
  return total;
}

}  // namespace laminar::speed
