// Aggregate functions (every aggregate Laminar has; serving/raw_query.h and the executor): one
// accumulator per aggregate call per group, fed one input value at a time.
//
// Kinds and results (docs/sql.md "Queries over raw events"):
//   count(*), count(x) → bigint; sum(bigint) → bigint (double beyond the bigint range);
//   sum(double) → double (exact sum, correctly rounded: views/aggregate.h ExactSum);
//   avg → double; min/max → the input type; count(DISTINCT x), sum/avg(DISTINCT x);
//   approx_count_distinct(x) → bigint (HyperLogLog, views/sketch.h);
//   approx_percentile(x, q) → double (DDSketch, relative value error ≤ 1%);
//   percentile_cont(q) WITHIN GROUP (ORDER BY x) → double (exact, linear interpolation);
//   percentile_disc(q) WITHIN GROUP (ORDER BY x) → the input type (exact, first value whose
//   cumulative distribution reaches q);
//   bool_and/bool_or(x) → boolean; stddev/stddev_samp/stddev_pop/variance/var_samp/var_pop → double.
// With several quantiles (an ARRAY[...] argument), the result is text in PostgreSQL's array
// syntax, `{1.5,2.25}` (Laminar has no array type).
//
// Memory: Bytes() after each Add, so the executor can enforce its per-query cap; DISTINCT and the
// exact percentiles keep every (distinct) value of the group.
//
// Thread safety: values; not synchronised.
#pragma once

#include <absl/container/flat_hash_set.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/types.h"
#include "views/aggregate.h"

namespace laminar::function {

enum class AggregateKind {
  kCountStar, kCount, kSum, kAvg, kMin, kMax, kApproxCountDistinct, kApproxPercentile,
  kPercentileCont, kPercentileDisc, kBoolAnd, kBoolOr, kStddevSamp, kStddevPop, kVarSamp, kVarPop,
};

struct AggregateSpec {
  AggregateKind kind = AggregateKind::kCountStar;
  bool distinct = false;
  Type input_type = Type::kInt64;
  Type output_type = Type::kInt64;
  std::vector<double> quantiles;  // percentiles: one, or several (array form)
  bool quantile_array = false;    // the result is a text array
  bool descending = false;        // percentile_*: WITHIN GROUP (ORDER BY x DESC)
};

// Resolves the kind and output type of aggregate `name` over an input of `input_type`.
// InvalidArgument naming the function and the type when it does not apply (sum(text)).
Status ResolveAggregate(const std::string& name, AggregateSpec* spec);

class Accumulator {
 public:
  // Adds one input row's value (count(*) passes NULL; NULLs are otherwise ignored).
  // Returns the bytes of memory this call added.
  size_t Add(const AggregateSpec& spec, const Value& v);
  Value Finalize(const AggregateSpec& spec) const;

 private:
  size_t AddPlain(const AggregateSpec& spec, const Value& v);
  views::AggState state_;
  double mean_ = 0, m2_ = 0;                    // Welford, for the variances
  std::vector<Value> values_;                   // percentiles; distinct values
  std::unique_ptr<absl::flat_hash_set<std::string>> seen_;  // DISTINCT: encoded values
};

}  // namespace laminar::function
