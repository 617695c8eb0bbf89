// Aggregate functions (every aggregate Laminar has; the executor's operators,
// execution/aggregate.h and execution/window.h): one accumulator per aggregate call
// per group, fed one input row at a time — from column vectors (Update) or from Values (AddRow).
//
// Kinds and results (docs/sql.md "Queries over raw events"; PostgreSQL's semantics):
//   count(*), count(x) → bigint; sum(bigint) → bigint (beyond the bigint range: the error
//   `bigint out of range (sum)`, there is no numeric type); sum(double) → double (exact sum,
//   correctly rounded: views/aggregate.h ExactSum); avg → double; min/max → the input type;
//   count(DISTINCT x), sum/avg(DISTINCT x);
//   approx_count_distinct(x) → bigint (HyperLogLog, views/sketch.h);
//   approx_percentile(x, q) → double (DDSketch, relative value error ≤ 1%);
//   percentile_cont(q) WITHIN GROUP (ORDER BY x) → double (exact, linear interpolation);
//   percentile_disc(q) WITHIN GROUP (ORDER BY x) → the input type (exact, first value whose
//   cumulative distribution reaches q);
//   bool_and/every/bool_or(x) → boolean; stddev/stddev_samp/stddev_pop/variance/var_samp/var_pop
//   → double;
//   string_agg(text, delimiter [ORDER BY ...]) → text: the non-NULL values, each but the first
//   preceded by its own row's delimiter (a NULL delimiter adds nothing); NULL over no value;
//   array_agg(x [ORDER BY ...]) → text in PostgreSQL's array syntax with its quoting
//   (`{1,NULL,"a b"}`, booleans `t`/`f`; Laminar has no array type); NULLs are elements; NULL
//   over no row. With DISTINCT and no ORDER BY both come in ascending order of their arguments
//   (as PostgreSQL, which sorts to remove duplicates);
//   corr, covar_pop, covar_samp, regr_slope, regr_intercept (Y, X) → double, regr_count(Y, X) →
//   bigint: PostgreSQL's float8 definitions (Youngs-Cramer sums; rows where either argument is
//   NULL are skipped; NULL for too few rows or a zero variance of X — of Y too for corr;
//   regr_count is 0 over no row; finite inputs whose sums overflow are the error
//   `value out of range: overflow`).
// With several quantiles (an ARRAY[...] argument), a percentile's result is text in PostgreSQL's
// array syntax, `{1.5,2.25}`.
//
// Inputs. An aggregate call reads NumInputs(spec) input columns: its arguments (none for
// count(*); one for most; two for string_agg and the regression family), then the values of its
// ORDER BY keys (spec.order). The quantiles of the percentiles are constants in the spec. NULL
// rules: count(*) and array_agg take every row; string_agg skips a NULL value; the two-argument
// statistics skip a row where either argument is NULL; the others skip a NULL argument.
// DISTINCT removes duplicate input tuples (NULLs equal, -0.0 = 0.0, one NaN).
//
// Errors: ResolveAggregate refuses an aggregate that does not apply (InvalidArgument, as
// PostgreSQL words it); Finalize returns runtime errors (a bigint sum out of range).
//
// Memory: Update/AddRow return the bytes the call added, so that the executor can enforce its
// per-query cap; DISTINCT, the exact percentiles and ORDER BY inside a call keep every input row
// of the group; string_agg/array_agg keep their text.
//
// Thread safety: values; not synchronised.
#pragma once

#include <absl/container/flat_hash_set.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "columnar/vector.h"
#include "common/status.h"
#include "common/types.h"
#include "views/aggregate.h"

namespace laminar::function {

enum class AggregateKind {
  kCountStar, kCount, kSum, kAvg, kMin, kMax, kApproxCountDistinct, kApproxPercentile,
  kPercentileCont, kPercentileDisc, kBoolAnd, kBoolOr, kStddevSamp, kStddevPop, kVarSamp, kVarPop,
  kStringAgg, kArrayAgg, kCorr, kCovarPop, kCovarSamp, kRegrSlope, kRegrIntercept, kRegrCount,
  kMergeMeasure,  // a view's measure re-aggregated by its own merge (MeasureStates below)
};

// The measure states of a view read as a table (serving/view_source.h implements it over one
// pinned snapshot of the view). A view row is named by a row reference (a bigint column the
// view's scan produces); a kMergeMeasure call merges the referenced rows' states of one measure,
// so that a re-aggregated measure is exact (a double sum, an average, a sketch) — never an
// aggregate of the rounded per-row values.
class MeasureStates {
 public:
  virtual ~MeasureStates() = default;
  // Merges view row `row`'s state of measure `measure` into *into.
  virtual void MergeInto(int64_t row, int measure, views::AggState* into) const = 0;
};

// One key of ORDER BY inside an aggregate call: `string_agg(x, ',' ORDER BY y DESC)`.
struct AggregateOrder {
  bool descending = false;
  bool nulls_first = false;  // PostgreSQL's default: NULLS LAST for ASC, NULLS FIRST for DESC
};

struct AggregateSpec {
  AggregateKind kind = AggregateKind::kCountStar;
  bool distinct = false;
  std::vector<Type> arg_types;    // the arguments' types (none for count(*))
  Type output_type = Type::kInt64;
  std::vector<double> quantiles;  // percentiles: one, or several (array form)
  bool quantile_array = false;    // the result is a text array
  bool descending = false;        // percentile_*: WITHIN GROUP (ORDER BY x DESC)
  // ORDER BY inside the call (string_agg, array_agg; ignored by the order-insensitive kinds):
  // its key values are input columns after the arguments.
  std::vector<AggregateOrder> order;
  // kMergeMeasure: the one argument is the view row reference; the states are merged from
  // `measure_states`' measure `measure` (defined by `measure_def`). The result is the merged
  // state's value (for approx_percentile at spec.quantiles when given), NULL over no row.
  std::shared_ptr<const MeasureStates> measure_states;
  int measure = -1;
  views::MeasureDef measure_def;

  Type input_type() const { return arg_types.empty() ? Type::kInt64 : arg_types[0]; }
};

// How many input columns (or Values) a row of this aggregate has: arguments, then ORDER BY keys.
inline size_t NumInputs(const AggregateSpec& spec) { return spec.arg_types.size() + spec.order.size(); }

// Resolves spec->kind and spec->output_type of aggregate `name` over arguments of
// spec->arg_types (count with no argument is count(*)). InvalidArgument naming the function and
// the argument types when it does not apply (`function sum(text) does not exist`); Unimplemented
// for an unknown aggregate.
Status ResolveAggregate(const std::string& name, AggregateSpec* spec);

// The SQL name of the aggregate ("count", "string_agg", ...), for EXPLAIN.
const char* AggregateName(AggregateKind kind);

class Accumulator {
 public:
  // Adds input row `row` of the columns `args[0..NumInputs(spec))` (arguments, then ORDER BY
  // keys; each of the type the spec says). Returns the bytes of memory this call added.
  size_t Update(const AggregateSpec& spec, const columnar::Vector* const* args, size_t row);
  // Adds rows `rows[0..n)` (or rows 0..n-1 when `rows` is null) of `args`.
  size_t UpdateRows(const AggregateSpec& spec, const columnar::Vector* const* args, const uint32_t* rows,
                    size_t n);
  // Adds one input row as NumInputs(spec) Values.
  size_t AddRow(const AggregateSpec& spec, const Value* inputs);
  // Shorthand for aggregates of at most one input (count(*) ignores `v`).
  size_t Add(const AggregateSpec& spec, const Value& v) { return AddRow(spec, &v); }

  // The aggregate's result over the rows added so far (the accumulator stays usable: a window
  // adds more rows and finalizes again).
  Result<Value> Finalize(const AggregateSpec& spec) const;

 private:
  // State of the kinds that need more than views::AggState (allocated on first use).
  struct Extra {
    double sx = 0, sxx = 0, sy = 0, syy = 0, sxy = 0;  // the regression family (N: state_.count)
    bool overflow = false;                             // finite inputs overflowed the sums
    std::string text;  // string_agg / array_agg without ORDER BY: the result so far
  };
  size_t AddPlain(const AggregateSpec& spec, const Value* in);
  size_t AddText(const AggregateSpec& spec, std::string_view value, const std::string_view* delimiter);
  void AddRegr(double y, double x);
  void AddVariance(double x);
  Extra& extra();
  Result<Value> FinalizeOrdered(const AggregateSpec& spec) const;
  Result<Value> FinalizeRegr(const AggregateSpec& spec) const;

  views::AggState state_;
  int64_t merged_rows_ = 0;   // kMergeMeasure: view rows merged
  double mean_ = 0, m2_ = 0;  // Welford, for the variances
  // Percentiles: one Value per input. DISTINCT, and string_agg/array_agg with ORDER BY:
  // NumInputs(spec) Values per input row.
  std::vector<Value> values_;
  std::unique_ptr<absl::flat_hash_set<std::string>> seen_;  // DISTINCT: encoded input rows
  std::unique_ptr<Extra> extra_;  // the regression sums; string_agg/array_agg text
};

}  // namespace laminar::function
