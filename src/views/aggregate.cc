#include "views/aggregate.h"

#include <cmath>
#include <limits>

namespace laminar::views {

const char* AggKindName(AggKind k) {
  switch (k) {
    case AggKind::kCountStar:
    case AggKind::kCount: return "count";
    case AggKind::kSum: return "sum";
    case AggKind::kMin: return "min";
    case AggKind::kMax: return "max";
    case AggKind::kAvg: return "avg";
    case AggKind::kApproxCountDistinct: return "approx_count_distinct";
    case AggKind::kApproxPercentile: return "approx_percentile";
  }
  return "?";
}

void ExactSum::Add(double x) {
  if (!std::isfinite(x)) {
    if (std::isnan(x)) nan_++;
    else if (x > 0) pos_inf_++;
    else neg_inf_++;
    return;
  }
  size_t i = 0;
  for (double y : partials_) {
    if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
    double hi = x + y;
    if (!std::isfinite(hi)) {  // overflow of the running sum: count it as an infinity
      (hi > 0 ? pos_inf_ : neg_inf_)++;
      partials_.clear();
      return;
    }
    double lo = y - (hi - x);
    if (lo != 0.0) partials_[i++] = lo;
    x = hi;
  }
  partials_.resize(i);
  partials_.push_back(x);
}

void ExactSum::Merge(const ExactSum& other) {
  for (double p : other.partials_) Add(p);
  pos_inf_ += other.pos_inf_;
  neg_inf_ += other.neg_inf_;
  nan_ += other.nan_;
}

double ExactSum::Result() const {
  if (nan_ || (pos_inf_ && neg_inf_)) return std::numeric_limits<double>::quiet_NaN();
  if (pos_inf_) return std::numeric_limits<double>::infinity();
  if (neg_inf_) return -std::numeric_limits<double>::infinity();
  size_t n = partials_.size();
  if (n == 0) return 0.0;
  double hi = partials_[--n], lo = 0.0;
  while (n > 0) {
    double x = hi, y = partials_[--n];
    hi = x + y;
    double yr = hi - x;
    lo = y - yr;
    if (lo != 0.0) break;
  }
  // Round half to even across the remaining partials (as CPython's fsum).
  if (n > 0 && ((lo < 0 && partials_[n - 1] < 0) || (lo > 0 && partials_[n - 1] > 0))) {
    double y = lo * 2, x = hi + y, yr = x - hi;
    if (y == yr) hi = x;
  }
  return hi;
}

bool ExactSum::operator==(const ExactSum& o) const {
  return Result() == o.Result() || (std::isnan(Result()) && std::isnan(o.Result()));
}

void AggState::Merge(AggKind kind, const AggState& o) {
  switch (kind) {
    case AggKind::kCountStar:
    case AggKind::kCount: count += o.count; break;
    case AggKind::kSum:
    case AggKind::kAvg:
      count += o.count;
      isum += o.isum;
      fsum.Merge(o.fsum);
      break;
    case AggKind::kMin:
    case AggKind::kMax:
      if (o.count == 0) break;
      if (count == 0) {
        extreme = o.extreme;
      } else {
        int c = Value::Compare(o.extreme, extreme);
        if ((kind == AggKind::kMin && c < 0) || (kind == AggKind::kMax && c > 0)) extreme = o.extreme;
      }
      count += o.count;
      break;
    case AggKind::kApproxCountDistinct:
      count += o.count;
      if (o.hll) hll.GetOrCreate().Merge(*o.hll);
      break;
    case AggKind::kApproxPercentile:
      count += o.count;
      if (o.dd) dd.GetOrCreate().Merge(*o.dd);
      break;
  }
}

Value AggState::Finalize(const MeasureDef& m, double quantile) const {
  switch (m.kind) {
    case AggKind::kCountStar:
    case AggKind::kCount: return Value::Int(count);
    case AggKind::kSum:
      if (count == 0) return Value::Null();
      if (m.input_type == Type::kDouble) return Value::Double(fsum.Result());
      if (isum > std::numeric_limits<int64_t>::max() || isum < std::numeric_limits<int64_t>::min())
        return Value::Double(static_cast<double>(isum));
      return Value::Int(static_cast<int64_t>(isum));
    case AggKind::kAvg:
      if (count == 0) return Value::Null();
      if (m.input_type == Type::kDouble) return Value::Double(fsum.Result() / double(count));
      return Value::Double(static_cast<double>(isum) / double(count));
    case AggKind::kMin:
    case AggKind::kMax: return count == 0 ? Value::Null() : extreme;
    case AggKind::kApproxCountDistinct:
      return Value::Int(hll ? std::llround(hll->Estimate()) : 0);
    case AggKind::kApproxPercentile:
      if (!dd || dd->count() == 0) return Value::Null();
      return Value::Double(dd->Quantile(quantile >= 0 ? quantile : m.quantile));
  }
  return Value::Null();
}

namespace {
// A null sketch is the empty one.
template <typename T>
bool SameSketch(const SketchPtr<T>& a, const SketchPtr<T>& b) {
  static const T kEmpty;
  return (a ? *a : kEmpty) == (b ? *b : kEmpty);
}
}  // namespace

bool AggState::operator==(const AggState& o) const {
  return count == o.count && isum == o.isum && fsum == o.fsum &&
         (extreme.is_null() ? o.extreme.is_null() : (!o.extreme.is_null() && extreme == o.extreme)) &&
         SameSketch(hll, o.hll) && SameSketch(dd, o.dd);
}

}  // namespace laminar::views
