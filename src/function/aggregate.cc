#include "function/aggregate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "sql/expr.h"
#include "views/sketch.h"
#include "views/sketch_sql.h"
#include "views/view_state.h"

namespace laminar::function {

using columnar::Vector;

namespace {

using K = AggregateKind;

bool Numeric(Type t) { return t == Type::kInt64 || t == Type::kDouble; }

double AsDouble(const Value& v) { return v.type() == Type::kDouble ? v.as_double() : static_cast<double>(v.as_int()); }

double AsDouble(const Vector& v, size_t row) {
  return v.type() == Type::kDouble ? v.f64(row) : static_cast<double>(v.i64(row));
}

size_t ValueBytes(const Value& v) {
  return sizeof(Value) + (!v.is_null() && v.type() == Type::kText ? v.as_text().size() : 0);
}

bool TwoArgStatistic(K k) {
  return k == K::kCorr || k == K::kCovarPop || k == K::kCovarSamp || k == K::kRegrSlope || k == K::kRegrIntercept ||
         k == K::kRegrCount;
}

// Whether an input row adds nothing (the NULL rules of the header).
bool Skips(const AggregateSpec& spec, const Value* in) {
  switch (spec.kind) {
    case K::kCountStar:
    case K::kArrayAgg: return false;
    default:
      if (TwoArgStatistic(spec.kind)) return in[0].is_null() || in[1].is_null();
      return in[0].is_null();
  }
}

// views::AppendGroupKey, with every NaN encoded alike.
void AppendKey(const Value& v, std::string* key) {
  if (!v.is_null() && v.type() == Type::kDouble && std::isnan(v.as_double()))
    views::AppendGroupKey(Value::Double(std::numeric_limits<double>::quiet_NaN()), key);
  else
    views::AppendGroupKey(v, key);
}

// The views::MeasureDef that makes views::AggState::Finalize give this aggregate's result.
views::MeasureDef MeasureFor(const AggregateSpec& spec) {
  views::MeasureDef m;
  m.input_type = spec.input_type();
  m.output_type = spec.output_type;
  switch (spec.kind) {
    case K::kCountStar: m.kind = views::AggKind::kCountStar; break;
    case K::kCount: m.kind = views::AggKind::kCount; break;
    case K::kSum: m.kind = views::AggKind::kSum; break;
    case K::kAvg: m.kind = views::AggKind::kAvg; break;
    case K::kMin: m.kind = views::AggKind::kMin; break;
    case K::kMax: m.kind = views::AggKind::kMax; break;
    case K::kApproxCountDistinct: m.kind = views::AggKind::kApproxCountDistinct; break;
    default: m.kind = views::AggKind::kApproxPercentile; break;
  }
  return m;
}

// One element of an array_agg result as PostgreSQL's array_out writes it: NULL unquoted; booleans
// t/f, the rest in PostgreSQL's text form (sql::PgText); quoted when empty, "NULL" in any case,
// or holding whitespace, `"`, `\`, `{`, `}` or `,` (then `"` and `\` are escaped with a
// backslash).
void AppendArrayElement(const Value& v, std::string* out) {
  if (v.is_null()) {
    *out += "NULL";
    return;
  }
  if (v.type() == Type::kBool) {
    *out += v.as_bool() ? 't' : 'f';
    return;
  }
  std::string s = sql::PgText(v, v.type());
  bool quote = s.empty() || (s.size() == 4 && (s[0] | 0x20) == 'n' && (s[1] | 0x20) == 'u' &&
                             (s[2] | 0x20) == 'l' && (s[3] | 0x20) == 'l');
  for (char c : s)
    if (c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || c == ' ' || c == '\t' || c == '\n' ||
        c == '\r' || c == '\v' || c == '\f')
      quote = true;
  if (!quote) {
    *out += s;
    return;
  }
  *out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') *out += '\\';
    *out += c;
  }
  *out += '"';
}

// ORDER BY inside a call: -1, 0, 1 as a sorts before, with or after b under `o`.
int CompareOrdered(const Value& a, const Value& b, const AggregateOrder& o) {
  if (a.is_null() || b.is_null()) {
    if (a.is_null() && b.is_null()) return 0;
    return a.is_null() == o.nulls_first ? -1 : 1;
  }
  int c = Value::Compare(a, b);
  return o.descending ? -c : c;
}

// Same type, neither NULL: Value::Compare(v[row], x).
int CompareToValue(const Vector& v, size_t row, const Value& x) {
  switch (v.type()) {
    case Type::kDouble: {
      double a = v.f64(row), b = x.as_double();
      if (std::isnan(a) || std::isnan(b)) return int(std::isnan(a)) - int(std::isnan(b));
      return a < b ? -1 : (a > b ? 1 : 0);
    }
    case Type::kText: {
      int c = v.str(row).compare(x.as_text());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default: {
      int64_t a = v.i64(row), b = x.as_int();
      return a < b ? -1 : (a > b ? 1 : 0);
    }
  }
}

Status ArgumentsError(const std::string& name, const AggregateSpec& spec) {
  std::string types;
  for (size_t i = 0; i < spec.arg_types.size(); i++) {
    if (i) types += ", ";
    types += TypeName(spec.arg_types[i]);
  }
  return InvalidArgument(ErrorCode::kUndefinedFunction, "function {}({}) does not exist", name, types);
}

}  // namespace

const char* AggregateName(AggregateKind kind) {
  switch (kind) {
    case K::kCountStar:
    case K::kCount: return "count";
    case K::kSum: return "sum";
    case K::kAvg: return "avg";
    case K::kMin: return "min";
    case K::kMax: return "max";
    case K::kApproxCountDistinct: return "approx_count_distinct";
    case K::kApproxPercentile: return "approx_percentile";
    case K::kPercentileCont: return "percentile_cont";
    case K::kPercentileDisc: return "percentile_disc";
    case K::kBoolAnd: return "bool_and";
    case K::kBoolOr: return "bool_or";
    case K::kStddevSamp: return "stddev_samp";
    case K::kStddevPop: return "stddev_pop";
    case K::kVarSamp: return "var_samp";
    case K::kVarPop: return "var_pop";
    case K::kStringAgg: return "string_agg";
    case K::kArrayAgg: return "array_agg";
    case K::kCorr: return "corr";
    case K::kCovarPop: return "covar_pop";
    case K::kCovarSamp: return "covar_samp";
    case K::kRegrSlope: return "regr_slope";
    case K::kRegrIntercept: return "regr_intercept";
    case K::kRegrCount: return "regr_count";
    case K::kMergeMeasure: return "merge";
  }
  return "?";
}

Status ResolveAggregate(const std::string& name, AggregateSpec* spec) {
  const std::vector<Type>& args = spec->arg_types;
  auto arity = [&](size_t n) -> Status {
    if (args.size() != n) return ArgumentsError(name, *spec);
    return Status::OK();
  };
  auto numeric = [&]() -> Status {
    for (Type t : args)
      if (!Numeric(t)) return ArgumentsError(name, *spec);
    return Status::OK();
  };
  auto set = [&](K kind, Type out) {
    spec->kind = kind;
    spec->output_type = out;
    return Status::OK();
  };
  if (name == "count") {
    if (args.size() > 1) return ArgumentsError(name, *spec);
    return set(args.empty() ? K::kCountStar : K::kCount, Type::kInt64);
  }
  if (name == "sum" || name == "avg") {
    RETURN_IF_ERROR(arity(1));
    RETURN_IF_ERROR(numeric());
    return name == "sum" ? set(K::kSum, args[0]) : set(K::kAvg, Type::kDouble);
  }
  if (name == "min" || name == "max") {
    RETURN_IF_ERROR(arity(1));
    return set(name == "min" ? K::kMin : K::kMax, args[0]);
  }
  if (name == "approx_count_distinct") {
    RETURN_IF_ERROR(arity(1));
    return set(K::kApproxCountDistinct, Type::kInt64);
  }
  if (name == "approx_percentile" || name == "percentile_cont") {
    RETURN_IF_ERROR(arity(1));
    RETURN_IF_ERROR(numeric());
    return set(name == "approx_percentile" ? K::kApproxPercentile : K::kPercentileCont,
               spec->quantile_array ? Type::kText : Type::kDouble);
  }
  if (name == "percentile_disc") {
    RETURN_IF_ERROR(arity(1));
    return set(K::kPercentileDisc, spec->quantile_array ? Type::kText : args[0]);
  }
  if (name == "bool_and" || name == "bool_or" || name == "every") {
    RETURN_IF_ERROR(arity(1));
    if (args[0] != Type::kBool) return ArgumentsError(name, *spec);
    return set(name == "bool_or" ? K::kBoolOr : K::kBoolAnd, Type::kBool);
  }
  if (name == "stddev" || name == "stddev_samp" || name == "stddev_pop" || name == "variance" ||
      name == "var_samp" || name == "var_pop") {
    RETURN_IF_ERROR(arity(1));
    RETURN_IF_ERROR(numeric());
    return set(name == "stddev_pop"                         ? K::kStddevPop
               : name == "var_pop"                          ? K::kVarPop
               : name == "variance" || name == "var_samp" ? K::kVarSamp
                                                            : K::kStddevSamp,
               Type::kDouble);
  }
  if (name == "string_agg") {
    RETURN_IF_ERROR(arity(2));
    if (args[0] != Type::kText || args[1] != Type::kText) return ArgumentsError(name, *spec);
    return set(K::kStringAgg, Type::kText);
  }
  if (name == "array_agg") {
    RETURN_IF_ERROR(arity(1));
    return set(K::kArrayAgg, Type::kText);
  }
  static const std::pair<const char*, K> kTwo[] = {
      {"corr", K::kCorr},           {"covar_pop", K::kCovarPop},           {"covar_samp", K::kCovarSamp},
      {"regr_slope", K::kRegrSlope}, {"regr_intercept", K::kRegrIntercept}, {"regr_count", K::kRegrCount}};
  for (const auto& [n, kind] : kTwo) {
    if (name != n) continue;
    RETURN_IF_ERROR(arity(2));
    RETURN_IF_ERROR(numeric());
    return set(kind, kind == K::kRegrCount ? Type::kInt64 : Type::kDouble);
  }
  return Unimplemented("aggregate function {}() is not supported", name);
}

Accumulator::Extra& Accumulator::extra() {
  if (!extra_) extra_ = std::make_unique<Extra>();
  return *extra_;
}

void Accumulator::AddVariance(double x) {
  state_.count++;
  double d = x - mean_;
  mean_ += d / static_cast<double>(state_.count);
  m2_ += d * (x - mean_);
}

// PostgreSQL's float8_regr_accum (Youngs-Cramer), N in state_.count.
void Accumulator::AddRegr(double y, double x) {
  Extra& e = extra();
  double old_n = static_cast<double>(state_.count);
  double n = old_n + 1;
  state_.count++;
  double old_sx = e.sx, old_sy = e.sy;
  e.sx += x;
  e.sy += y;
  if (old_n > 0) {
    double tx = x * n - e.sx, ty = y * n - e.sy, scale = 1.0 / (n * old_n);
    e.sxx += tx * tx * scale;
    e.syy += ty * ty * scale;
    e.sxy += tx * ty * scale;
    if (std::isinf(e.sx) || std::isinf(e.sxx) || std::isinf(e.sy) || std::isinf(e.syy) || std::isinf(e.sxy)) {
      if (((std::isinf(e.sx) || std::isinf(e.sxx)) && !std::isinf(old_sx) && !std::isinf(x)) ||
          ((std::isinf(e.sy) || std::isinf(e.syy)) && !std::isinf(old_sy) && !std::isinf(y)) ||
          (std::isinf(e.sxy) && !std::isinf(old_sx) && !std::isinf(x) && !std::isinf(old_sy) && !std::isinf(y)))
        e.overflow = true;
      double nan = std::numeric_limits<double>::quiet_NaN();
      if (std::isinf(e.sxx)) e.sxx = nan;
      if (std::isinf(e.syy)) e.syy = nan;
      if (std::isinf(e.sxy)) e.sxy = nan;
    }
  } else {
    // A first input of Inf or NaN makes the dependent sums NaN (else a later variance reads 0).
    double nan = std::numeric_limits<double>::quiet_NaN();
    if (!std::isfinite(x)) e.sxx = e.sxy = nan;
    if (!std::isfinite(y)) e.syy = e.sxy = nan;
  }
}

size_t Accumulator::AddText(const AggregateSpec& spec, std::string_view value, const std::string_view* delimiter) {
  std::string& t = extra().text;
  size_t before = t.capacity();
  if (state_.count > 0 && delimiter) t += *delimiter;
  t += value;
  state_.count++;
  // A grown buffer in full: the old one lives while it is copied (and stays charged), and the
  // result is one more copy of about the old size.
  return t.capacity() > before ? t.capacity() : 0;
}

size_t Accumulator::Update(const AggregateSpec& spec, const Vector* const* args, size_t row) {
  if (spec.kind == K::kCountStar) {
    state_.count++;
    return 0;
  }
  if (spec.kind == K::kMergeMeasure) {
    if (!args[0]->valid(row)) return 0;
    spec.measure_states->MergeInto(args[0]->i64(row), spec.measure, &state_);
    merged_rows_++;
    return 0;
  }
  if (!spec.distinct) {
    const Vector& v = *args[0];
    switch (spec.kind) {
      case K::kCount:
        if (v.valid(row)) state_.count++;
        return 0;
      case K::kSum:
      case K::kAvg:
        if (!v.valid(row)) return 0;
        state_.count++;
        if (v.type() == Type::kDouble) state_.fsum.Add(v.f64(row));
        else state_.isum += v.i64(row);
        return 0;
      case K::kMin:
      case K::kMax: {
        if (!v.valid(row)) return 0;
        int c = state_.count == 0 ? 0 : CompareToValue(v, row, state_.extreme);
        if (state_.count == 0 || (spec.kind == K::kMin ? c < 0 : c > 0)) state_.extreme = v.Get(row);
        state_.count++;
        return 0;
      }
      case K::kBoolAnd:
      case K::kBoolOr: {
        if (!v.valid(row)) return 0;
        bool b = v.boolean(row);
        if (state_.count == 0 || (spec.kind == K::kBoolAnd ? !b : b)) state_.extreme = Value::Bool(b);
        state_.count++;
        return 0;
      }
      case K::kStddevSamp:
      case K::kStddevPop:
      case K::kVarSamp:
      case K::kVarPop:
        if (v.valid(row)) AddVariance(AsDouble(v, row));
        return 0;
      case K::kCorr:
      case K::kCovarPop:
      case K::kCovarSamp:
      case K::kRegrSlope:
      case K::kRegrIntercept:
      case K::kRegrCount:
        if (v.valid(row) && args[1]->valid(row)) AddRegr(AsDouble(v, row), AsDouble(*args[1], row));
        return 0;
      case K::kStringAgg:
        if (!spec.order.empty()) break;
        if (!v.valid(row)) return 0;
        if (args[1]->valid(row)) {
          std::string_view d = args[1]->str(row);
          return AddText(spec, v.str(row), &d);
        }
        return AddText(spec, v.str(row), nullptr);
      default: break;
    }
  }
  // The other kinds (and DISTINCT) through Values.
  size_t n = NumInputs(spec);
  std::vector<Value> in(n);
  for (size_t i = 0; i < n; i++) in[i] = args[i]->Get(row);
  return AddRow(spec, in.data());
}

size_t Accumulator::UpdateRows(const AggregateSpec& spec, const Vector* const* args, const uint32_t* rows, size_t n) {
  size_t bytes = 0;
  for (size_t i = 0; i < n; i++) bytes += Update(spec, args, rows ? rows[i] : i);
  return bytes;
}

size_t Accumulator::AddRow(const AggregateSpec& spec, const Value* in) {
  if (spec.kind == K::kCountStar) {
    state_.count++;
    return 0;
  }
  if (Skips(spec, in)) return 0;
  if (spec.kind == K::kMergeMeasure) {
    spec.measure_states->MergeInto(in[0].as_int(), spec.measure, &state_);
    merged_rows_++;
    return 0;
  }
  if (spec.distinct) {
    if (!seen_) seen_ = std::make_unique<absl::flat_hash_set<std::string>>();
    size_t n = NumInputs(spec);
    std::string key;
    for (size_t i = 0; i < n; i++) AppendKey(in[i], &key);
    size_t bytes = key.size() > 15 ? key.size() + 17 : 0;
    size_t slots = seen_->capacity(), values = values_.capacity();
    if (!seen_->insert(std::move(key)).second) return 0;
    for (size_t i = 0; i < n; i++) {
      values_.push_back(in[i]);
      bytes += ValueBytes(in[i]) - sizeof(Value) + 16;
    }
    // Grown buffers in full (the old ones live while they are copied, and stay charged).
    if (seen_->capacity() > slots) bytes += seen_->capacity() * (sizeof(std::string) + 1);
    if (values_.capacity() > values) bytes += values_.capacity() * sizeof(Value);
    return bytes;
  }
  return AddPlain(spec, in);
}

size_t Accumulator::AddPlain(const AggregateSpec& spec, const Value* in) {
  views::AggState& s = state_;
  const Value& v = in[0];
  switch (spec.kind) {
    case K::kCountStar:
    case K::kCount: s.count++; return 0;
    case K::kSum:
    case K::kAvg:
      s.count++;
      if (v.type() == Type::kDouble) s.fsum.Add(v.as_double());
      else s.isum += v.as_int();
      return 0;
    case K::kMin:
    case K::kMax: {
      int c = s.count == 0 ? 0 : Value::Compare(v, s.extreme);
      if (s.count == 0 || (spec.kind == K::kMin ? c < 0 : c > 0)) s.extreme = v;
      s.count++;
      return 0;
    }
    case K::kApproxCountDistinct: {
      bool fresh = !s.hll;
      s.count++;
      s.hll.GetOrCreate().AddHash(views::HashValue(v));
      return fresh ? 16 * 1024 : 0;
    }
    case K::kApproxPercentile: {
      double x = AsDouble(v);
      if (!std::isfinite(x)) return 0;  // as the view measure (docs/sql.md)
      bool fresh = !s.dd;
      s.count++;
      s.dd.GetOrCreate().Add(x);
      return fresh ? 32 * 1024 : 0;
    }
    case K::kPercentileCont:
    case K::kPercentileDisc:
      values_.push_back(v);
      return ValueBytes(v);
    case K::kBoolAnd:
    case K::kBoolOr:
      if (s.count == 0) s.extreme = v;
      else if (spec.kind == K::kBoolAnd ? !v.as_bool() : v.as_bool()) s.extreme = v;
      s.count++;
      return 0;
    case K::kStddevSamp:
    case K::kStddevPop:
    case K::kVarSamp:
    case K::kVarPop: AddVariance(AsDouble(v)); return 0;
    case K::kCorr:
    case K::kCovarPop:
    case K::kCovarSamp:
    case K::kRegrSlope:
    case K::kRegrIntercept:
    case K::kRegrCount: AddRegr(AsDouble(in[0]), AsDouble(in[1])); return 0;
    case K::kMergeMeasure: return 0;  // AddRow merges it before reaching here
    case K::kStringAgg:
    case K::kArrayAgg: {
      if (!spec.order.empty()) {  // keep the row; sorted at Finalize
        size_t bytes = 0;
        for (size_t i = 0; i < NumInputs(spec); i++) {
          values_.push_back(in[i]);
          bytes += ValueBytes(in[i]);
        }
        s.count++;
        return bytes;
      }
      if (spec.kind == K::kStringAgg) {
        if (in[1].is_null()) return AddText(spec, v.as_text(), nullptr);
        std::string_view d = in[1].as_text();
        return AddText(spec, v.as_text(), &d);
      }
      std::string& t = extra().text;
      size_t before = t.capacity();
      if (s.count > 0) t += ',';
      AppendArrayElement(v, &t);
      s.count++;
      return t.capacity() > before ? t.capacity() - before : 0;
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

// string_agg / array_agg with ORDER BY (rows kept in values_): sorted (stably) by the keys.
Result<Value> Accumulator::FinalizeOrdered(const AggregateSpec& spec) const {
  size_t width = NumInputs(spec), args = spec.arg_types.size();
  size_t rows = width == 0 ? 0 : values_.size() / width;
  if (rows == 0) return Value::Null();
  std::vector<uint32_t> order(rows);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    for (size_t k = 0; k < spec.order.size(); k++) {
      int c = CompareOrdered(values_[a * width + args + k], values_[b * width + args + k], spec.order[k]);
      if (c) return c < 0;
    }
    return false;
  });
  std::string out = spec.kind == K::kArrayAgg ? "{" : "";
  for (size_t i = 0; i < rows; i++) {
    const Value* row = &values_[order[i] * width];
    if (spec.kind == K::kArrayAgg) {
      if (i) out += ',';
      AppendArrayElement(row[0], &out);
    } else {
      if (i && !row[1].is_null()) out += row[1].as_text();
      out += row[0].as_text();
    }
  }
  if (spec.kind == K::kArrayAgg) out += '}';
  return Value::Text(std::move(out));
}

// PostgreSQL's float8_regr_* and float8_corr/covar final functions.
Result<Value> Accumulator::FinalizeRegr(const AggregateSpec& spec) const {
  if (spec.kind == K::kRegrCount) return Value::Int(state_.count);
  if (extra_ && extra_->overflow) return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "value out of range: overflow");
  double n = static_cast<double>(state_.count);
  if (n < 1) return Value::Null();
  const Extra& e = *extra_;
  switch (spec.kind) {
    case K::kCovarPop: return Value::Double(e.sxy / n);
    case K::kCovarSamp:
      if (n < 2) return Value::Null();
      return Value::Double(e.sxy / (n - 1));
    case K::kCorr:
      if (e.sxx == 0 || e.syy == 0) return Value::Null();
      return Value::Double(e.sxy / std::sqrt(e.sxx * e.syy));
    case K::kRegrSlope:
      if (e.sxx == 0) return Value::Null();
      return Value::Double(e.sxy / e.sxx);
    case K::kRegrIntercept:
      if (e.sxx == 0) return Value::Null();
      return Value::Double((e.sy - e.sx * e.sxy / e.sxx) / n);
    default: return Value::Null();
  }
}

Result<Value> Accumulator::Finalize(const AggregateSpec& spec) const {
  if (spec.distinct && spec.kind != K::kCountStar) {
    AggregateSpec plain = spec;
    plain.distinct = false;
    size_t width = NumInputs(spec);
    size_t rows = width == 0 ? 0 : values_.size() / width;
    std::vector<uint32_t> order(rows);
    std::iota(order.begin(), order.end(), 0);
    if ((spec.kind == K::kStringAgg || spec.kind == K::kArrayAgg) && spec.order.empty()) {
      // PostgreSQL removes duplicates by sorting: the result comes in ascending argument order.
      std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        for (size_t k = 0; k < width; k++) {
          int c = Value::Compare(values_[a * width + k], values_[b * width + k]);
          if (c) return c < 0;
        }
        return false;
      });
    }
    Accumulator acc;
    for (uint32_t r : order) acc.AddPlain(plain, &values_[r * width]);
    return acc.Finalize(plain);
  }
  const views::AggState& s = state_;
  switch (spec.kind) {
    case K::kMergeMeasure: {
      // Over no view row every merged measure is NULL (a count too, as sum() over no row).
      if (merged_rows_ == 0) return Value::Null();
      if (spec.quantile_array) {
        std::vector<Value> out;
        for (double q : spec.quantiles) out.push_back(s.Finalize(spec.measure_def, q));
        if (out.front().is_null()) return Value::Null();
        return Value::Text(views::ArrayText(out));
      }
      return s.Finalize(spec.measure_def, spec.quantiles.empty() ? -1 : spec.quantiles.front());
    }
    case K::kPercentileCont:
    case K::kPercentileDisc: {
      if (values_.empty()) return Value::Null();
      size_t n = values_.size();
      // The sorted positions each quantile needs: percentile_disc the first value whose position
      // reaches q·n (PostgreSQL: ceil(q·n), at least 1); percentile_cont the two around q·(n-1).
      std::vector<size_t> positions;
      for (double q : spec.quantiles) {
        if (spec.kind == K::kPercentileDisc) {
          size_t k = static_cast<size_t>(std::ceil(q * static_cast<double>(n)));
          positions.push_back(k == 0 ? 0 : std::min(k, n) - 1);
        } else {
          double pos = q * static_cast<double>(n - 1);
          positions.push_back(static_cast<size_t>(std::floor(pos)));
          positions.push_back(static_cast<size_t>(std::ceil(pos)));
        }
      }
      std::vector<Value> out;
      if (spec.kind == K::kPercentileDisc) {
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
    case K::kApproxPercentile: {
      if (!spec.quantile_array) {
        views::MeasureDef m = MeasureFor(spec);
        return s.Finalize(m, spec.quantiles.front());
      }
      if (!s.dd || s.dd->count() == 0) return Value::Null();
      std::vector<Value> out;
      for (double q : spec.quantiles) out.push_back(Value::Double(s.dd->Quantile(q)));
      return Value::Text(views::ArrayText(out));
    }
    case K::kBoolAnd:
    case K::kBoolOr: return s.count == 0 ? Value::Null() : s.extreme;
    case K::kStddevSamp:
    case K::kVarSamp:
      if (s.count < 2) return Value::Null();
      return Value::Double(spec.kind == K::kVarSamp ? m2_ / double(s.count - 1) : std::sqrt(m2_ / double(s.count - 1)));
    case K::kStddevPop:
    case K::kVarPop:
      if (s.count < 1) return Value::Null();
      return Value::Double(spec.kind == K::kVarPop ? m2_ / double(s.count) : std::sqrt(m2_ / double(s.count)));
    case K::kSum:
      // Without a numeric type, a bigint sum past the bigint range is an error (PostgreSQL's
      // sum(bigint) returns numeric).
      if (spec.input_type() == Type::kInt64 && s.count > 0 &&
          (s.isum > std::numeric_limits<int64_t>::max() || s.isum < std::numeric_limits<int64_t>::min()))
        return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "bigint out of range (sum)");
      return s.Finalize(MeasureFor(spec));
    case K::kStringAgg:
    case K::kArrayAgg:
      if (!spec.order.empty()) return FinalizeOrdered(spec);
      if (s.count == 0) return Value::Null();
      return Value::Text(spec.kind == K::kArrayAgg ? "{" + extra_->text + "}" : extra_->text);
    case K::kCorr:
    case K::kCovarPop:
    case K::kCovarSamp:
    case K::kRegrSlope:
    case K::kRegrIntercept:
    case K::kRegrCount: return FinalizeRegr(spec);
    default: return s.Finalize(MeasureFor(spec));
  }
}

}  // namespace laminar::function
