#include "views/sorted_groups.h"

#include <algorithm>
#include <numeric>

namespace laminar::views {

SortedGroups::SortedGroups(std::shared_ptr<const ViewState> state) : state_(std::move(state)) {
  const std::vector<Group>& groups = state_->groups();
  ndims_ = state_->def() ? state_->def()->dims.size() : (groups.empty() ? 0 : groups[0].dims.size());
  order_.resize(groups.size());
  std::iota(order_.begin(), order_.end(), 0u);
  std::sort(order_.begin(), order_.end(), [&](uint32_t a, uint32_t b) {
    const std::vector<Value>& x = groups[a].dims;
    const std::vector<Value>& y = groups[b].dims;
    for (size_t d = 0; d < ndims_; d++) {
      int c = Value::Compare(x[d], y[d]);
      if (c != 0) return c < 0;
    }
    return a < b;
  });
  stats_.resize(num_blocks() * ndims_);
  for (size_t pos = 0; pos < order_.size(); pos++) {
    const std::vector<Value>& dims = groups[order_[pos]].dims;
    for (size_t d = 0; d < ndims_; d++) {
      Stat& s = stats_[(pos / kBlockRows) * ndims_ + d];
      const Value& v = dims[d];
      if (v.is_null()) {
        s.has_null = true;
        continue;
      }
      if (s.min.is_null() || Value::Compare(v, s.min) < 0) s.min = v;
      if (s.max.is_null() || Value::Compare(v, s.max) > 0) s.max = v;
    }
  }
}

std::pair<size_t, size_t> SortedGroups::LeadingRange(const Value& lo, bool lo_inclusive, const Value& hi,
                                                     bool hi_inclusive) const {
  const std::vector<Group>& groups = state_->groups();
  auto lead = [&](uint32_t g) -> const Value& { return groups[g].dims[0]; };
  // NULLs sort last: the range ends before the first of them at the latest.
  size_t end = std::partition_point(order_.begin(), order_.end(), [&](uint32_t g) { return !lead(g).is_null(); }) -
               order_.begin();
  size_t begin = 0;
  if (!lo.is_null()) {
    begin = std::partition_point(order_.begin(), order_.begin() + end, [&](uint32_t g) {
              int c = Value::Compare(lead(g), lo);
              return lo_inclusive ? c < 0 : c <= 0;
            }) - order_.begin();
  }
  if (!hi.is_null()) {
    end = std::partition_point(order_.begin() + begin, order_.begin() + end, [&](uint32_t g) {
            int c = Value::Compare(lead(g), hi);
            return hi_inclusive ? c <= 0 : c < 0;
          }) - order_.begin();
  }
  return {begin, std::max(begin, end)};
}

}  // namespace laminar::views
