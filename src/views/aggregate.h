// Aggregate states: the mergeable partial states behind every view measure.
//
// Exactness (DESIGN.md contract 5): merging states built over any split of the events, in any
// order, gives the same final value bit for bit as one pass over all events. count and bigint
// sums are integers (bigint sums accumulate in 128 bits). Double sums keep Shewchuk's
// non-overlapping partials (as Python's math.fsum), so the state represents the exact real sum
// and the final value is that sum correctly rounded: independent of order and grouping.
// ±Infinity and NaN inputs are counted beside the partials (IEEE semantics for the result).
//
// Thread safety: values; not synchronised.
// Memory: a double sum holds at most a few dozen partials (bounded by the exponent range);
// typically one to three.
#pragma once

#include <cstdint>
#include <vector>

#include "common/types.h"
#include "views/sketch.h"
#include "views/view_def.h"

namespace laminar::views {

class ExactSum {
 public:
  void Add(double x);
  void Merge(const ExactSum& other);
  // The exact sum of every added value, correctly rounded to double.
  double Result() const;
  bool operator==(const ExactSum& o) const;

  // The state as stored (views/state_codec.h): the non-overlapping partials and the counts of
  // infinite and NaN inputs.
  const std::vector<double>& partials() const { return partials_; }
  uint32_t pos_inf() const { return pos_inf_; }
  uint32_t neg_inf() const { return neg_inf_; }
  uint32_t nan() const { return nan_; }
  static ExactSum FromParts(std::vector<double> partials, uint32_t pos_inf, uint32_t neg_inf, uint32_t nan) {
    ExactSum s;
    s.partials_ = std::move(partials);
    s.pos_inf_ = pos_inf;
    s.neg_inf_ = neg_inf;
    s.nan_ = nan;
    return s;
  }

 private:
  std::vector<double> partials_;
  uint32_t pos_inf_ = 0, neg_inf_ = 0, nan_ = 0;
};

// The partial state of one measure in one group. Which fields are used depends on the AggKind:
// count(*)/count(col): count. sum/avg: count (non-null inputs) and isum (bigint) or fsum
// (double). min/max: count and extreme. approx_count_distinct: count (non-null inputs) and hll
// (null until the first input). approx_percentile: count (finite inputs; NaN and ±Infinity are
// skipped) and dd (null until the first input).
struct AggState {
  int64_t count = 0;
  __int128 isum = 0;
  ExactSum fsum;
  Value extreme;  // min or max so far; NULL when count == 0
  SketchPtr<Hll> hll;
  SketchPtr<DDSketch> dd;

  void Merge(AggKind kind, const AggState& other);
  // The SQL result: count → bigint; sum → NULL when no input, else bigint or double
  // (a bigint sum beyond int64 is returned as double); avg → double or NULL; min/max → value;
  // approx_count_distinct → bigint (0 over no input); approx_percentile → double or NULL.
  // `quantile` overrides m.quantile when ≥ 0 (a query may ask a stored sketch for another q).
  Value Finalize(const MeasureDef& m, double quantile = -1) const;
  bool operator==(const AggState& o) const;
};

}  // namespace laminar::views
