// Mergeable sketches behind the approximate view measures:
//   approx_count_distinct(col) → Hll (HyperLogLog, Flajolet et al. 2007, with the sparse
//     representation of Heule, Nunkesser and Hall 2013, "HyperLogLog in Practice", and the
//     estimator of Ertl 2017, "New cardinality estimation algorithms for HyperLogLog sketches");
//   approx_percentile(col, q)  → DDSketch (Masson, Rim and Lee 2019).
//
// Exactness (DESIGN.md contract 5): both sketches have a canonical representation that is a
// pure function of the multiset of values added, whatever the order, the split into parts and
// the merge order. So merging states of any split equals one pass *as states* (operator== is
// representation equality and the encoding is identical), and the estimates are bit-identical.
//
//  Hll: every value is hashed to 64 bits (XXH3, seed 0, over HashValue's canonical bytes). The
//   sparse form holds one entry per 25-bit index (the hash's top 25 bits) with the largest rank
//   seen (rank = leading zeros of the remaining 39 bits + 1, at most 40), sorted by index. It
//   turns dense (16384 one-byte registers, p = 14: index = top 14 bits, rank = leading zeros of
//   the other 50 bits + 1, at most 51) exactly when it would hold more than kMaxSparse entries;
//   the dense registers derived from sparse entries equal those of adding the values directly
//   (the 25-bit index's low 11 bits are the first 11 bits after the 14-bit index). The number of
//   distinct 25-bit indexes only grows, so "sparse iff ≤ kMaxSparse entries" is canonical.
//   Merge is the entry-wise / register-wise max.
//  DDSketch: value x ≠ 0 lands in bucket i = ceil(log_γ |x|) of the store for its sign,
//   γ = (1 + α) / (1 − α), α = 0.005; 0 (and -0) counts apart. A store keeps at most kMaxBuckets
//   consecutive indexes: when its range would exceed that, every bucket below
//   top − kMaxBuckets + 1 is folded into that lowest kept bucket. Folding depends only on the
//   highest index, and folding at t then at t' ≥ t equals folding at t', so the folded store is
//   the fold of the full histogram at (highest index − kMaxBuckets + 1): canonical.
//
// Thread safety: values; not synchronised. Memory: see kMaxSparse / kMaxBuckets.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/types.h"
#include "ingest/row_batch.h"

namespace laminar::views {

// The 64-bit hash approx_count_distinct counts: XXH3-64 (seed 0) of the value's canonical
// bytes — boolean, bigint and timestamptz as their i64 (little endian), double precision as its
// IEEE bits with -0.0 as 0.0 and every NaN as the one quiet NaN 0x7ff8000000000000, text as its
// UTF-8 bytes. REQUIRES: the value is not NULL.
uint64_t HashValue(const Value& v);
uint64_t HashColumnValue(const ingest::Column& col, size_t row);

class Hll {
 public:
  static constexpr int kP = 14;                      // dense precision
  static constexpr uint32_t kM = 1u << kP;           // 16384 registers (16 KiB dense)
  static constexpr int kSparseP = 25;                // sparse index bits
  static constexpr uint32_t kMaxRank = 64 - kP + 1;  // 51
  static constexpr uint32_t kMaxSparseRank = 64 - kSparseP + 1;  // 40
  // At most this many sparse entries (4 bytes each: 12 KiB = 3/4 of the dense size).
  static constexpr size_t kMaxSparse = kM * 3 / 4 / 4;  // 3072

  void AddHash(uint64_t h);
  void Merge(const Hll& other);
  // The estimated number of distinct hashes added: linear counting over the 2^25 sparse
  // registers while sparse; Ertl's improved raw estimator over the dense registers.
  double Estimate() const;

  bool empty() const { return !dense_ && sparse_.empty(); }
  bool is_dense() const { return dense_; }
  bool operator==(const Hll& o) const {
    return dense_ == o.dense_ && sparse_ == o.sparse_ && regs_ == o.regs_;
  }
  size_t ApproxBytes() const { return sparse_.capacity() * 4 + regs_.capacity(); }

  // The state as stored (views/state_codec.h). A sparse entry is index << 6 | rank, entries
  // strictly increasing; dense registers hold ranks 0..kMaxRank.
  const std::vector<uint32_t>& sparse() const { return sparse_; }
  const std::vector<uint8_t>& registers() const { return regs_; }
  // Validate and build; false when the parts are not a canonical state.
  static bool FromSparse(std::vector<uint32_t> entries, Hll* out);
  static bool FromDense(std::vector<uint8_t> regs, Hll* out);

 private:
  void ToDense();
  void AddSparse(uint32_t entry);

  bool dense_ = false;
  std::vector<uint32_t> sparse_;
  std::vector<uint8_t> regs_;
};

class DDSketch {
 public:
  static constexpr double kAlpha = 0.005;
  static constexpr int32_t kMaxBuckets = 2048;  // per sign: at most 16 KiB each

  // Consecutive bucket counts from index `offset`; empty, or first and last counts non-zero.
  struct Store {
    int32_t offset = 0;
    std::vector<int64_t> counts;

    bool empty() const { return counts.empty(); }
    int32_t top() const { return offset + static_cast<int32_t>(counts.size()) - 1; }
    void Add(int32_t index, int64_t n);
    void Merge(const Store& o);
    int64_t Total() const;
    bool operator==(const Store& o) const { return offset == o.offset && counts == o.counts; }

   private:
    // Re-lays the counts over [lo, hi], folding indexes below lo into lo.
    void Relayout(int32_t lo, int32_t hi);
  };

  // Adds a finite value. REQUIRES: std::isfinite(x) (callers skip NaN and ±Infinity).
  void Add(double x);
  void Merge(const DDSketch& other);
  int64_t count() const { return count_; }
  // The ceil(q · count)-th smallest value (at least the first): percentile_disc's rank, within
  // relative error α of the true value (for values in unfolded buckets), clamped to [min, max];
  // the first and the last are the exact min and max.
  // REQUIRES: count() > 0, 0 ≤ q ≤ 1.
  double Quantile(double q) const;

  bool operator==(const DDSketch& o) const;
  size_t ApproxBytes() const { return (pos_.counts.capacity() + neg_.counts.capacity()) * 8 + 48; }

  // The bucket of |x| (x finite, ≠ 0) and a bucket's representative magnitude.
  static int32_t IndexOf(double magnitude);
  static double ValueOf(int32_t index);

  // The state as stored (views/state_codec.h).
  const Store& positive() const { return pos_; }
  const Store& negative() const { return neg_; }
  int64_t zero_count() const { return zero_; }
  double min() const { return min_; }
  double max() const { return max_; }
  // Validate and build; false when the parts are not a consistent canonical state.
  static bool FromParts(Store neg, Store pos, int64_t zero, double min, double max, DDSketch* out);

 private:
  Store pos_, neg_;
  int64_t zero_ = 0;
  int64_t count_ = 0;
  double min_ = 0, max_ = 0;  // of the values added; meaningful when count_ > 0
};

// A deep-copying owner: keeps AggState a copyable value (a copy never shares a sketch, so a
// snapshot copied under a lock stays independent of the writer).
template <typename T>
class SketchPtr {
 public:
  SketchPtr() = default;
  SketchPtr(const SketchPtr& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  SketchPtr(SketchPtr&&) noexcept = default;
  SketchPtr& operator=(const SketchPtr& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  SketchPtr& operator=(SketchPtr&&) noexcept = default;

  T* get() const { return p_.get(); }
  T& operator*() const { return *p_; }
  T* operator->() const { return p_.get(); }
  explicit operator bool() const { return p_ != nullptr; }
  T& GetOrCreate() {
    if (!p_) p_ = std::make_unique<T>();
    return *p_;
  }
  void reset(std::unique_ptr<T> p = nullptr) { p_ = std::move(p); }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace laminar::views
