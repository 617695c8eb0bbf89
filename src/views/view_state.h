// ViewState: the groups of one view and their measures' partial states — the shared unit of the
// speed layer (one per log segment), and, later, of the batch layer and query merging.
//
// Apply() runs the view's definition over a batch of stream rows, a batch at a time: the WHERE
// filter and the dimension expressions are evaluated over the batch's columns
// (sql/vector_eval.h), the group key is encoded from the dimension vectors, and every measure's
// state is updated from the batch's column arrays — no row is copied into Values (a new group's
// dimensions are).
// Merge() combines two states of the same definition group by group (exact; see aggregate.h).
//
// Thread safety: none; callers synchronise (speed/ holds a mutex per view).
// Memory: one Group per distinct dimension tuple, and its number in an ordered index by the
// leading dimension; ApproxBytes() estimates it.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "columnar/vector.h"
#include "ingest/row_batch.h"
#include "views/aggregate.h"
#include "views/view_def.h"

namespace laminar::views {

// Appends a binary encoding of `v` to `key`, such that two values encode alike exactly when
// they group together (NULLs together; -0.0 with 0.0; every NaN with every NaN). Used for
// group-by hash keys.
void AppendGroupKey(const Value& v, std::string* key);
// The same encoding of cell `row` of `v` (the value v.Get(row) would give).
void AppendGroupKey(const columnar::Vector& v, size_t row, std::string* key);

struct Group {
  std::vector<Value> dims;      // one per ViewDef::dims
  std::vector<AggState> aggs;   // one per ViewDef::measures
};

class ViewState {
 public:
  ViewState() = default;
  // A view without dimensions holds exactly one row, also over no events (as SELECT count(*)
  // does in SQL): its one group exists from the start.
  explicit ViewState(ViewDefPtr def) : def_(std::move(def)) {
    if (def_ && def_->dims.empty()) GroupFor({});
  }

  const ViewDefPtr& def() const { return def_; }
  // Applies every row of a batch of the view's stream. Returns how many rows passed the filter.
  size_t Apply(const ingest::RowBatch& batch);
  // Merges `other` (same definition) into this state.
  void Merge(const ViewState& other);

  size_t num_groups() const { return groups_.size(); }
  const std::vector<Group>& groups() const { return groups_; }
  size_t ApproxBytes() const;

  // Finds or creates the group for `dims`.
  Group& GroupFor(const std::vector<Value>& dims);
  // The group for `dims`, or null. `scratch` is a caller-owned key buffer (so that const
  // lookups from several threads need no shared buffer).
  const Group* Find(const std::vector<Value>& dims, std::string* scratch) const;
  // The group key of `dims` (AppendGroupKey of each), and the number of the group with that key
  // (kNoGroup: none) — so that one encoding probes several states of the same definition.
  static constexpr uint32_t kNoGroup = UINT32_MAX;
  static void KeyOf(const std::vector<Value>& dims, std::string* key) { EncodeKey(dims, key); }
  uint32_t IndexOfKey(const std::string& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? kNoGroup : it->second;
  }

  // Equal groups (as sets) with equal states; for verification and tests.
  bool SameAs(const ViewState& other) const;

  // Calls fn(group number) → Status for each group whose leading dimension v has lo < v (lo ≤ v
  // when lo_inclusive) and v < hi (v ≤ hi), in the order of v, until fn fails; a null lo or hi
  // is no bound, NULL values are never in range. A query over a time range of a view reads only
  // those groups (of the batch version and of the speed state). REQUIRES: the view has a dimension.
  template <typename Fn>
  Status ForEachInLeadingRange(const Value& lo, bool lo_inclusive, const Value& hi, bool hi_inclusive, Fn&& fn) const {
    auto it = lo.is_null() ? by_leading_.begin() : lo_inclusive ? by_leading_.lower_bound(lo) : by_leading_.upper_bound(lo);
    for (; it != by_leading_.end() && !it->first.is_null(); ++it) {
      if (!hi.is_null()) {
        int c = Value::Compare(it->first, hi);
        if (c > 0 || (c == 0 && !hi_inclusive)) break;
      }
      for (uint32_t g : it->second) RETURN_IF_ERROR(fn(g));
    }
    return Status::OK();
  }

 private:
  struct ValueLess {
    bool operator()(const Value& a, const Value& b) const { return Value::Compare(a, b) < 0; }
  };
  static void EncodeKey(const std::vector<Value>& dims, std::string* key);
  void Added(uint32_t group);  // a new group: indexed by its leading dimension

  ViewDefPtr def_;
  absl::flat_hash_map<std::string, uint32_t> index_;
  std::vector<Group> groups_;
  std::map<Value, std::vector<uint32_t>, ValueLess> by_leading_;  // views with dimensions
  std::string key_buf_;
};

}  // namespace laminar::views
