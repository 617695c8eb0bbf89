// SortedGroups: the groups of one immutable ViewState (a published batch version) in the order
// of their dimension tuples, with each dimension's smallest and largest value per block of
// kBlockRows positions — built once per version, so that a view query reads only what its bounds
// can admit: a range of the leading dimension (a view's time bucket, usually) is found by binary
// search, and blocks whose other dimensions cannot match are skipped by their min/max, as Parquet
// readers skip row groups and pages.
//
// Order: lexicographic by dimension, each compared with Value::Compare (NULL last, NaN above
// every number). Positions index order; group(pos) is the ViewState's group number (what a
// PinnedView row reference and MergeInto use).
//
// Thread safety: immutable once built; shares ownership of its state.
// Memory: one uint32 per group plus two Values per dimension per block.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "views/view_state.h"

namespace laminar::views {

class SortedGroups {
 public:
  static constexpr size_t kBlockRows = 1024;

  explicit SortedGroups(std::shared_ptr<const ViewState> state);

  const ViewState& state() const { return *state_; }
  size_t size() const { return order_.size(); }
  uint32_t group(size_t pos) const { return order_[pos]; }
  const std::vector<Value>& dims(size_t pos) const { return state_->groups()[order_[pos]].dims; }

  // The positions [begin, end) whose leading dimension v has lo < v (lo ≤ v when lo_inclusive)
  // and v < hi (v ≤ hi); a null lo or hi is no bound. NULL dimensions are never in the range.
  // REQUIRES: the view has a dimension.
  std::pair<size_t, size_t> LeadingRange(const Value& lo, bool lo_inclusive, const Value& hi,
                                         bool hi_inclusive) const;

  size_t num_blocks() const { return (order_.size() + kBlockRows - 1) / kBlockRows; }
  // The smallest and largest non-null value of dimension `dim` among the block's groups (both
  // NULL when every one is NULL), and whether any is NULL.
  const Value& BlockMin(size_t block, size_t dim) const { return stats_[block * ndims_ + dim].min; }
  const Value& BlockMax(size_t block, size_t dim) const { return stats_[block * ndims_ + dim].max; }
  bool BlockHasNull(size_t block, size_t dim) const { return stats_[block * ndims_ + dim].has_null; }

 private:
  struct Stat {
    Value min, max;
    bool has_null = false;
  };
  std::shared_ptr<const ViewState> state_;
  size_t ndims_ = 0;
  std::vector<uint32_t> order_;
  std::vector<Stat> stats_;  // block-major: stats_[block * ndims_ + dim]
};

}  // namespace laminar::views
