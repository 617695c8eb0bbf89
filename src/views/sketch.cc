#include "views/sketch.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace laminar::views {
namespace {

uint64_t HashInt(int64_t i) {
  unsigned char b[8];
  uint64_t u = static_cast<uint64_t>(i);
  for (int k = 0; k < 8; k++) b[k] = static_cast<unsigned char>(u >> (8 * k));
  return XXH3_64bits(b, sizeof b);
}

uint64_t HashDouble(double d) {
  if (d == 0) d = 0;  // -0.0 → 0.0
  uint64_t bits;
  if (std::isnan(d)) {
    bits = 0x7ff8000000000000ULL;
  } else {
    std::memcpy(&bits, &d, sizeof bits);
  }
  return HashInt(static_cast<int64_t>(bits));
}

uint64_t HashText(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

constexpr int kSparseShift = 64 - Hll::kSparseP;  // 39
constexpr int kDenseShift = 64 - Hll::kP;         // 50
constexpr int kExtraBits = Hll::kSparseP - Hll::kP;  // 11

uint32_t SparseEntry(uint64_t h) {
  uint32_t idx = static_cast<uint32_t>(h >> kSparseShift);
  // The bit at position kSparseShift - 1 ... counted from the top after shifting; the sentinel
  // caps the rank at kMaxSparseRank.
  uint64_t w = (h << Hll::kSparseP) | (uint64_t{1} << (Hll::kSparseP - 1));
  uint32_t rank = static_cast<uint32_t>(std::countl_zero(w)) + 1;
  return idx << 6 | rank;
}

// The dense (index, rank) of a sparse entry: identical to hashing into the dense form directly.
void DenseOf(uint32_t entry, uint32_t* index, uint32_t* rank) {
  uint32_t idx25 = entry >> 6;
  uint32_t r = entry & 63;
  *index = idx25 >> kExtraBits;
  uint32_t low = idx25 & ((1u << kExtraBits) - 1);
  *rank = low != 0 ? static_cast<uint32_t>(std::countl_zero(low)) - (32 - kExtraBits) + 1 : kExtraBits + r;
}

// Ertl (2017): σ(x) = x + Σ_{k≥1} x^(2^k) 2^(k−1) and τ(x) = (1 − x − Σ_{k≥1} (1 − x^(2^−k))² 2^−k) / 3.
double Sigma(double x) {
  if (x == 1) return std::numeric_limits<double>::infinity();
  double y = 1, z = x, z_old;
  do {
    x *= x;
    z_old = z;
    z += x * y;
    y += y;
  } while (z != z_old);
  return z;
}

double Tau(double x) {
  if (x == 0 || x == 1) return 0;
  double y = 1, z = 1 - x, z_old;
  do {
    x = std::sqrt(x);
    z_old = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (z != z_old);
  return z / 3;
}

}  // namespace

uint64_t HashValue(const Value& v) {
  switch (v.type()) {
    case Type::kBool:
    case Type::kInt64:
    case Type::kTimestamp:
    case Type::kDate: return HashInt(v.as_int());
    case Type::kDouble: return HashDouble(v.as_double());
    case Type::kText: return HashText(v.as_text());
  }
  return 0;
}

uint64_t HashColumnValue(const ingest::Column& col, size_t row) {
  switch (col.type) {
    case Type::kBool:
    case Type::kInt64:
    case Type::kTimestamp:
    case Type::kDate: return HashInt(col.ints[row]);
    case Type::kDouble: return HashDouble(col.doubles[row]);
    case Type::kText: return HashText(col.text(row));
  }
  return 0;
}

// ---- Hll ----

void Hll::AddHash(uint64_t h) {
  if (dense_) {
    uint32_t idx = static_cast<uint32_t>(h >> kDenseShift);
    uint64_t w = (h << kP) | (uint64_t{1} << (kP - 1));
    uint8_t rank = static_cast<uint8_t>(std::countl_zero(w) + 1);
    if (rank > regs_[idx]) regs_[idx] = rank;
    return;
  }
  AddSparse(SparseEntry(h));
}

void Hll::AddSparse(uint32_t entry) {
  uint32_t key = entry >> 6 << 6;
  auto it = std::lower_bound(sparse_.begin(), sparse_.end(), key);
  if (it != sparse_.end() && (*it >> 6) == (entry >> 6)) {
    if (entry > *it) *it = entry;  // same index: the larger rank
    return;
  }
  sparse_.insert(it, entry);
  if (sparse_.size() > kMaxSparse) ToDense();
}

void Hll::ToDense() {
  regs_.assign(kM, 0);
  for (uint32_t e : sparse_) {
    uint32_t idx, rank;
    DenseOf(e, &idx, &rank);
    if (rank > regs_[idx]) regs_[idx] = static_cast<uint8_t>(rank);
  }
  sparse_.clear();
  sparse_.shrink_to_fit();
  dense_ = true;
}

void Hll::Merge(const Hll& o) {
  if (o.empty()) return;
  if (!dense_ && !o.dense_) {
    std::vector<uint32_t> out;
    out.reserve(sparse_.size() + o.sparse_.size());
    size_t i = 0, j = 0;
    while (i < sparse_.size() || j < o.sparse_.size()) {
      if (j == o.sparse_.size() || (i < sparse_.size() && (sparse_[i] >> 6) < (o.sparse_[j] >> 6))) {
        out.push_back(sparse_[i++]);
      } else if (i == sparse_.size() || (o.sparse_[j] >> 6) < (sparse_[i] >> 6)) {
        out.push_back(o.sparse_[j++]);
      } else {
        out.push_back(std::max(sparse_[i++], o.sparse_[j++]));
      }
    }
    sparse_ = std::move(out);
    if (sparse_.size() > kMaxSparse) ToDense();
    return;
  }
  if (!dense_) ToDense();
  if (o.dense_) {
    for (uint32_t k = 0; k < kM; k++) regs_[k] = std::max(regs_[k], o.regs_[k]);
  } else {
    for (uint32_t e : o.sparse_) {
      uint32_t idx, rank;
      DenseOf(e, &idx, &rank);
      if (rank > regs_[idx]) regs_[idx] = static_cast<uint8_t>(rank);
    }
  }
}

double Hll::Estimate() const {
  if (!dense_) {
    // Linear counting over 2^25 registers of which sparse_.size() are set.
    const double m = double(uint64_t{1} << kSparseP);
    return -m * std::log1p(-double(sparse_.size()) / m);
  }
  constexpr int q = 64 - kP;  // ranks 0..q+1
  uint32_t c[q + 2] = {};
  for (uint8_t r : regs_) c[r]++;
  const double m = kM;
  double z = m * Tau(1 - c[q + 1] / m);
  for (int k = q; k >= 1; k--) z = 0.5 * (z + c[k]);
  z += m * Sigma(c[0] / m);
  const double alpha_inf = 1 / (2 * std::log(2.0));
  return alpha_inf * m * m / z;
}

bool Hll::FromSparse(std::vector<uint32_t> entries, Hll* out) {
  if (entries.empty() || entries.size() > kMaxSparse) return false;
  for (size_t i = 0; i < entries.size(); i++) {
    uint32_t rank = entries[i] & 63;
    if (rank < 1 || rank > kMaxSparseRank || (entries[i] >> 6) >= (1u << kSparseP)) return false;
    if (i > 0 && (entries[i] >> 6) <= (entries[i - 1] >> 6)) return false;
  }
  *out = Hll();
  out->sparse_ = std::move(entries);
  return true;
}

bool Hll::FromDense(std::vector<uint8_t> regs, Hll* out) {
  if (regs.size() != kM) return false;
  for (uint8_t r : regs)
    if (r > kMaxRank) return false;
  *out = Hll();
  out->dense_ = true;
  out->regs_ = std::move(regs);
  return true;
}

// ---- DDSketch ----

namespace {
const double kGamma = (1 + DDSketch::kAlpha) / (1 - DDSketch::kAlpha);
const double kLogGamma = std::log(kGamma);
}  // namespace

int32_t DDSketch::IndexOf(double magnitude) {
  return static_cast<int32_t>(std::ceil(std::log(magnitude) / kLogGamma));
}

double DDSketch::ValueOf(int32_t index) {
  // The midpoint in relative terms of (γ^(i−1), γ^i]: within α of every value in the bucket.
  return 2 * std::exp(index * kLogGamma) / (kGamma + 1);
}

void DDSketch::Store::Relayout(int32_t lo, int32_t hi) {
  std::vector<int64_t> out(static_cast<size_t>(hi - lo) + 1, 0);
  for (size_t i = 0; i < counts.size(); i++) {
    if (counts[i] == 0) continue;
    int32_t idx = std::max(offset + static_cast<int32_t>(i), lo);
    out[idx - lo] += counts[i];
  }
  counts = std::move(out);
  offset = lo;
}

void DDSketch::Store::Add(int32_t index, int64_t n) {
  if (n == 0) return;
  if (counts.empty()) {
    offset = index;
    counts.assign(1, n);
    return;
  }
  if (index >= offset && index <= top()) {
    counts[index - offset] += n;
    return;
  }
  int32_t hi = std::max(top(), index);
  int32_t lo = std::max(std::min(offset, index), hi - (kMaxBuckets - 1));
  if (lo != offset || hi != top()) Relayout(lo, hi);
  counts[std::max(index, lo) - lo] += n;
}

void DDSketch::Store::Merge(const Store& o) {
  if (o.empty()) return;
  if (empty()) {
    *this = o;
    return;
  }
  int32_t hi = std::max(top(), o.top());
  int32_t lo = std::max(std::min(offset, o.offset), hi - (kMaxBuckets - 1));
  if (lo != offset || hi != top()) Relayout(lo, hi);
  for (size_t i = 0; i < o.counts.size(); i++) {
    if (o.counts[i] == 0) continue;
    int32_t idx = std::max(o.offset + static_cast<int32_t>(i), lo);
    counts[idx - lo] += o.counts[i];
  }
}

int64_t DDSketch::Store::Total() const {
  int64_t t = 0;
  for (int64_t c : counts) t += c;
  return t;
}

void DDSketch::Add(double x) {
  if (x == 0) x = 0;  // -0.0 → 0.0, so min/max do not depend on order
  if (count_ == 0) {
    min_ = max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  count_++;
  if (x > 0) pos_.Add(IndexOf(x), 1);
  else if (x < 0) neg_.Add(IndexOf(-x), 1);
  else zero_++;
}

void DDSketch::Merge(const DDSketch& o) {
  if (o.count_ == 0) return;
  if (count_ == 0) {
    *this = o;
    return;
  }
  min_ = std::min(min_, o.min_);
  max_ = std::max(max_, o.max_);
  count_ += o.count_;
  zero_ += o.zero_;
  pos_.Merge(o.pos_);
  neg_.Merge(o.neg_);
}

double DDSketch::Quantile(double q) const {
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  // percentile_disc's rank (PostgreSQL): the first value whose cumulative share reaches q, i.e.
  // the ceil(q·n)-th smallest (at least the first), so an approximate answer differs from the
  // exact percentile_disc only by the sketch's relative error.
  int64_t rank = static_cast<int64_t>(std::ceil(q * double(count_))) - 1;
  rank = std::clamp<int64_t>(rank, 0, count_ - 1);
  // The extremes are known exactly.
  if (rank == 0) return min_;
  if (rank == count_ - 1) return max_;
  double v = 0;
  int64_t neg_total = neg_.Total();
  if (rank < neg_total) {
    // Most negative first: the negative store from its highest index down.
    int64_t cum = 0;
    for (size_t i = neg_.counts.size(); i-- > 0;) {
      cum += neg_.counts[i];
      if (cum > rank) {
        v = -ValueOf(neg_.offset + static_cast<int32_t>(i));
        break;
      }
    }
  } else if (rank < neg_total + zero_) {
    v = 0;
  } else {
    rank -= neg_total + zero_;
    int64_t cum = 0;
    for (size_t i = 0; i < pos_.counts.size(); i++) {
      cum += pos_.counts[i];
      if (cum > rank) {
        v = ValueOf(pos_.offset + static_cast<int32_t>(i));
        break;
      }
    }
  }
  return std::clamp(v, min_, max_);
}

bool DDSketch::operator==(const DDSketch& o) const {
  if (count_ != o.count_) return false;
  if (count_ == 0) return true;
  return zero_ == o.zero_ && min_ == o.min_ && max_ == o.max_ && pos_ == o.pos_ && neg_ == o.neg_;
}

bool DDSketch::FromParts(Store neg, Store pos, int64_t zero, double min, double max, DDSketch* out) {
  if (zero < 0) return false;
  int64_t total = zero;
  for (const Store* s : {&neg, &pos}) {
    if (s->counts.size() > static_cast<size_t>(kMaxBuckets)) return false;
    if (s->empty()) continue;
    if (s->counts.front() <= 0 || s->counts.back() <= 0) return false;
    // Bucket indexes of finite doubles lie well within ±80000.
    if (s->offset < -80000 || s->top() > 80000) return false;
    for (int64_t c : s->counts) {
      if (c < 0 || c > std::numeric_limits<int64_t>::max() - total) return false;
      total += c;
    }
  }
  if (total == 0) return false;
  if (!std::isfinite(min) || !std::isfinite(max) || min > max) return false;
  if ((min == 0 && std::signbit(min)) || (max == 0 && std::signbit(max))) return false;
  *out = DDSketch();
  out->neg_ = std::move(neg);
  out->pos_ = std::move(pos);
  out->zero_ = zero;
  out->count_ = total;
  out->min_ = min;
  out->max_ = max;
  return true;
}

}  // namespace laminar::views
