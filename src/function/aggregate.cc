#include "function/aggregate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <limits>

#include "sql/expr.h"

#include "views/sketch.h"
#include "views/sketch_sql.h"
#include "views/view_state.h"

namespace laminar::function {
namespace {

bool Numeric(Type t) { return t == Type::kInt64 || t == Type::kDouble; }

double AsDouble(const Value& v) { return v.type() == Type::kDouble ? v.as_double() : static_cast<double>(v.as_int()); }

size_t ValueBytes(const Value& v) {
  return sizeof(Value) + (!v.is_null() && v.type() == Type::kText ? v.as_text().size() : 0);
}

// The views::MeasureDef that makes views::AggState::Finalize give this aggregate's result.
views::MeasureDef MeasureFor(const AggregateSpec& spec) {
  views::MeasureDef m;
  m.input_type = spec.input_type;
  m.output_type = spec.output_type;
  switch (spec.kind) {
    case AggregateKind::kCountStar: m.kind = views::AggKind::kCountStar; break;
    case AggregateKind::kCount: m.kind = views::AggKind::kCount; break;
    case AggregateKind::kSum: m.kind = views::AggKind::kSum; break;
    case AggregateKind::kAvg: m.kind = views::AggKind::kAvg; break;
    case AggregateKind::kMin: m.kind = views::AggKind::kMin; break;
    case AggregateKind::kMax: m.kind = views::AggKind::kMax; break;
    case AggregateKind::kApproxCountDistinct: m.kind = views::AggKind::kApproxCountDistinct; break;
    default: m.kind = views::AggKind::kApproxPercentile; break;
  }
  return m;
}

}  // namespace

Status ResolveAggregate(const std::string& name, AggregateSpec* spec) {
  Type t = spec->input_type;
  auto need_numeric = [&]() -> Status {
    if (!Numeric(t)) return InvalidArgument("function {}({}) does not exist", name, TypeName(t));
    return Status::OK();
  };
  if (name == "count") {
    spec->output_type = Type::kInt64;
    return Status::OK();
  }
  if (name == "sum") {
    spec->kind = AggregateKind::kSum;
    RETURN_IF_ERROR(need_numeric());
    spec->output_type = t;
    return Status::OK();
  }
  if (name == "avg") {
    spec->kind = AggregateKind::kAvg;
    RETURN_IF_ERROR(need_numeric());
    spec->output_type = Type::kDouble;
    return Status::OK();
  }
  if (name == "min" || name == "max") {
    spec->kind = name == "min" ? AggregateKind::kMin : AggregateKind::kMax;
    spec->output_type = t;
    return Status::OK();
  }
  if (name == "approx_count_distinct") {
    spec->kind = AggregateKind::kApproxCountDistinct;
    spec->output_type = Type::kInt64;
    return Status::OK();
  }
  if (name == "approx_percentile" || name == "percentile_cont") {
    spec->kind = name == "approx_percentile" ? AggregateKind::kApproxPercentile : AggregateKind::kPercentileCont;
    RETURN_IF_ERROR(need_numeric());
    spec->output_type = spec->quantile_array ? Type::kText : Type::kDouble;
    return Status::OK();
  }
  if (name == "percentile_disc") {
    spec->kind = AggregateKind::kPercentileDisc;
    spec->output_type = spec->quantile_array ? Type::kText : t;
    return Status::OK();
  }
  if (name == "bool_and" || name == "bool_or" || name == "every") {
    spec->kind = name == "bool_or" ? AggregateKind::kBoolOr : AggregateKind::kBoolAnd;
    if (t != Type::kBool) return InvalidArgument("function {}({}) does not exist", name, TypeName(t));
    spec->output_type = Type::kBool;
    return Status::OK();
  }
  if (name == "stddev" || name == "stddev_samp" || name == "stddev_pop" || name == "variance" ||
      name == "var_samp" || name == "var_pop") {
    RETURN_IF_ERROR(need_numeric());
    spec->kind = name == "stddev_pop"                     ? AggregateKind::kStddevPop
                 : name == "var_pop"                      ? AggregateKind::kVarPop
                 : name == "variance" || name == "var_samp" ? AggregateKind::kVarSamp
                                                          : AggregateKind::kStddevSamp;
    spec->output_type = Type::kDouble;
    return Status::OK();
  }
  return Unimplemented("aggregate function {}() is not supported", name);
}

size_t Accumulator::Add(const AggregateSpec& spec, const Value& v) {
  if (spec.kind == AggregateKind::kCountStar) {
    state_.count++;
    return 0;
  }
  if (v.is_null()) return 0;
  if (spec.distinct) {
    if (!seen_) seen_ = std::make_unique<absl::flat_hash_set<std::string>>();
    std::string key;
    views::AppendGroupKey(v, &key);
    size_t bytes = key.size() + 48;
    if (!seen_->insert(std::move(key)).second) return 0;
    values_.push_back(v);
    return bytes + ValueBytes(v);
  }
  return AddPlain(spec, v);
}

size_t Accumulator::AddPlain(const AggregateSpec& spec, const Value& v) {
  views::AggState& s = state_;
  switch (spec.kind) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount: s.count++; return 0;
    case AggregateKind::kSum:
    case AggregateKind::kAvg:
      s.count++;
      if (v.type() == Type::kDouble) s.fsum.Add(v.as_double());
      else s.isum += v.as_int();
      return 0;
    case AggregateKind::kMin:
    case AggregateKind::kMax: {
      int c = s.count == 0 ? 0 : Value::Compare(v, s.extreme);
      if (s.count == 0 || (spec.kind == AggregateKind::kMin ? c < 0 : c > 0)) s.extreme = v;
      s.count++;
      return 0;
    }
    case AggregateKind::kApproxCountDistinct: {
      bool fresh = !s.hll;
      s.count++;
      s.hll.GetOrCreate().AddHash(views::HashValue(v));
      return fresh ? 16 * 1024 : 0;
    }
    case AggregateKind::kApproxPercentile: {
      double x = AsDouble(v);
      if (!std::isfinite(x)) return 0;  // as the view measure (docs/sql.md)
      bool fresh = !s.dd;
      s.count++;
      s.dd.GetOrCreate().Add(x);
      return fresh ? 32 * 1024 : 0;
    }
    case AggregateKind::kPercentileCont:
    case AggregateKind::kPercentileDisc:
      values_.push_back(v);
      return ValueBytes(v);
    case AggregateKind::kBoolAnd:
    case AggregateKind::kBoolOr:
      if (s.count == 0) s.extreme = v;
      else if (spec.kind == AggregateKind::kBoolAnd ? !v.as_bool() : v.as_bool()) s.extreme = v;
      s.count++;
      return 0;
    case AggregateKind::kStddevSamp:
    case AggregateKind::kStddevPop:
    case AggregateKind::kVarSamp:
    case AggregateKind::kVarPop: {
      double x = AsDouble(v);
      s.count++;
      double d = x - mean_;
      mean_ += d / static_cast<double>(s.count);
      m2_ += d * (x - mean_);
      return 0;
    }
  }
  return 0;
}

namespace {

// The elements at sorted positions `positions` (each < v.size()) by `less`, without sorting all
// of v: one nth_element per distinct position, each over the part right of the previous one
// (O(n) per position).
template <class T, class Less>
std::map<size_t, T> OrderStatistics(std::vector<T> v, std::vector<size_t> positions, Less less) {
  std::sort(positions.begin(), positions.end());
  std::map<size_t, T> at;
  size_t start = 0;
  for (size_t k : positions) {
    if (at.count(k)) continue;
    std::nth_element(v.begin() + static_cast<ptrdiff_t>(start), v.begin() + static_cast<ptrdiff_t>(k), v.end(), less);
    at.emplace(k, v[k]);
    start = k + 1;
  }
  return at;
}

}  // namespace

Value Accumulator::Finalize(const AggregateSpec& spec) const {
  if (spec.distinct) {
    AggregateSpec plain = spec;
    plain.distinct = false;
    Accumulator acc;
    for (const Value& v : values_) acc.AddPlain(plain, v);
    return acc.Finalize(plain);
  }
  const views::AggState& s = state_;
  switch (spec.kind) {
    case AggregateKind::kPercentileCont:
    case AggregateKind::kPercentileDisc: {
      if (values_.empty()) return Value::Null();
      size_t n = values_.size();
      // The sorted positions each quantile needs: percentile_disc the first value whose position
      // reaches q·n (PostgreSQL: ceil(q·n), at least 1); percentile_cont the two around q·(n-1).
      std::vector<size_t> positions;
      for (double q : spec.quantiles) {
        if (spec.kind == AggregateKind::kPercentileDisc) {
          size_t k = static_cast<size_t>(std::ceil(q * static_cast<double>(n)));
          positions.push_back(k == 0 ? 0 : std::min(k, n) - 1);
        } else {
          double pos = q * static_cast<double>(n - 1);
          positions.push_back(static_cast<size_t>(std::floor(pos)));
          positions.push_back(static_cast<size_t>(std::ceil(pos)));
        }
      }
      std::vector<Value> out;
      if (spec.kind == AggregateKind::kPercentileDisc) {
        auto at = OrderStatistics(values_, positions, [&](const Value& a, const Value& b) {
          int c = Value::Compare(a, b);
          return spec.descending ? c > 0 : c < 0;
        });
        for (size_t i = 0; i < spec.quantiles.size(); i++) out.push_back(at[positions[i]]);
      } else {
        // Numbers only: ordered as doubles, NaN above every number (as Value::Compare).
        std::vector<double> xs;
        xs.reserve(n);
        for (const Value& v : values_) xs.push_back(AsDouble(v));
        auto less = [](double a, double b) { return std::isnan(b) ? !std::isnan(a) : a < b; };
        auto at = OrderStatistics(std::move(xs), positions, [&](double a, double b) {
          return spec.descending ? less(b, a) : less(a, b);
        });
        for (size_t i = 0; i < spec.quantiles.size(); i++) {
          double pos = spec.quantiles[i] * static_cast<double>(n - 1);
          size_t lo = positions[2 * i], hi = positions[2 * i + 1];
          double a = at[lo], b = at[hi];
          out.push_back(Value::Double(lo == hi ? a : a + (pos - static_cast<double>(lo)) * (b - a)));
        }
      }
      if (spec.quantile_array) return Value::Text(views::ArrayText(out));
      return out.front();
    }
    case AggregateKind::kApproxPercentile: {
      if (!spec.quantile_array) {
        views::MeasureDef m = MeasureFor(spec);
        return s.Finalize(m, spec.quantiles.front());
      }
      if (!s.dd || s.dd->count() == 0) return Value::Null();
      std::vector<Value> out;
      for (double q : spec.quantiles) out.push_back(Value::Double(s.dd->Quantile(q)));
      return Value::Text(views::ArrayText(out));
    }
    case AggregateKind::kBoolAnd:
    case AggregateKind::kBoolOr: return s.count == 0 ? Value::Null() : s.extreme;
    case AggregateKind::kStddevSamp:
    case AggregateKind::kVarSamp:
      if (s.count < 2) return Value::Null();
      return Value::Double(spec.kind == AggregateKind::kVarSamp ? m2_ / double(s.count - 1)
                                                             : std::sqrt(m2_ / double(s.count - 1)));
    case AggregateKind::kStddevPop:
    case AggregateKind::kVarPop:
      if (s.count < 1) return Value::Null();
      return Value::Double(spec.kind == AggregateKind::kVarPop ? m2_ / double(s.count) : std::sqrt(m2_ / double(s.count)));
    case AggregateKind::kSum:
      // Without a numeric type, a bigint sum past the bigint range is an error (PostgreSQL's
      // sum(bigint) returns numeric).
      if (spec.input_type == Type::kInt64 && s.count > 0 &&
          (s.isum > std::numeric_limits<int64_t>::max() || s.isum < std::numeric_limits<int64_t>::min())) {
        sql::RecordEvalError("bigint out of range (sum)");
        return Value::Null();
      }
      return s.Finalize(MeasureFor(spec));
    default: return s.Finalize(MeasureFor(spec));
  }
}

}  // namespace laminar::function
