// Sort and TopN (sort.h).
//
// Sort copies its input into one Chunk and sorts entries (a normalised prefix of the first key
// and the row number, see SortEntry): runs of kRunRows are sorted with the row number as the
// last key (so equal rows keep input order: a stable sort), then merged pairwise, with
// ExecContext::Check between runs and merges so that a long sort still honours the time limit.
//
// TopN keeps a buffer of candidate rows with their input ordinals. Once the buffer holds
// limit + offset + max(limit + offset, kChunkRows) rows it is compacted: sorted by (keys,
// ordinal) and cut to the first limit + offset rows, copying them into a new chunk (dropping the
// text of the rows cut). After the first compaction that fills it, its last row is a boundary:
// an incoming row that does not sort strictly before it cannot be output (a tie loses, as its
// ordinal is larger) and is not copied. Amortised O(n log k) comparisons for n rows and
// k = limit + offset, at most 2k + kChunkRows rows kept (k + kChunkRows when k is small) — a
// bounded buffer rather than a binary heap, which compares and copies row by row and leaves
// the text of replaced rows behind in its heap.
#include "execution/sort.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

#include "common/time_util.h"
#include "execution/materialize.h"

namespace laminar::execution {

namespace {

constexpr size_t kRunRows = 1 << 15;

inline int Sign(int64_t x) { return (x > 0) - (x < 0); }

inline int CompareDouble(double x, double y) {
  bool xn = std::isnan(x), yn = std::isnan(y);
  if (xn || yn) return static_cast<int>(xn) - static_cast<int>(yn);
  return (x > y) - (x < y);  // -0.0 == 0.0
}

// A row's sort entry: its first key reduced to a rank (NULLS FIRST nulls, values, NULLS LAST
// nulls) and a 64-bit prefix whose unsigned order is the key's order (descending included), so
// that most comparisons are two integer compares. Equal prefixes fall back to RowComparator:
// from the second key when the prefix is the whole first key (numbers, booleans), from the
// first key for text (the prefix is its first 8 bytes).
struct SortEntry {
  uint64_t prefix;
  uint32_t row;
  uint8_t rank;
};

uint64_t Prefix(const Vector& v, size_t r) {
  switch (v.type()) {
    case Type::kDouble: {
      double d = v.f64(r);
      if (d == 0.0) d = 0.0;                     // -0.0 as 0.0
      if (std::isnan(d)) return ~uint64_t{0};    // NaN above +Infinity
      uint64_t bits = std::bit_cast<uint64_t>(d);
      return bits >> 63 ? ~bits : bits | (uint64_t{1} << 63);
    }
    case Type::kText: {
      std::string_view s = v.str(r);
      uint64_t p = 0;
      for (size_t i = 0; i < 8; i++) {
        p = p << 8 | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
      }
      return p;
    }
    default: return static_cast<uint64_t>(v.i64(r)) ^ (uint64_t{1} << 63);
  }
}

// Stable order of all rows of `rows` into *perm.
Status SortRows(ExecContext& ctx, const Chunk& rows, const RowComparator& cmp,
                std::vector<uint32_t>* perm) {
  size_t n = rows.rows;
  std::vector<SortEntry> entries(n);
  const std::vector<SortKey>& keys = cmp.keys();
  size_t tie_from = 0;
  if (keys.empty()) {
    for (size_t r = 0; r < n; r++) entries[r] = {0, static_cast<uint32_t>(r), 1};
  } else {
    const SortKey& k = keys[0];
    const Vector& v = rows.columns[k.column];
    tie_from = v.type() == Type::kText ? 0 : 1;
    for (size_t r = 0; r < n; r++) {
      bool null = v.is_null(r);
      uint64_t p = null ? 0 : Prefix(v, r);
      entries[r] = {k.descending ? ~p : p, static_cast<uint32_t>(r),
                    static_cast<uint8_t>(!null ? 1 : k.nulls_first ? 0 : 2)};
    }
  }
  auto less = [&](const SortEntry& a, const SortEntry& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    int c = cmp.CompareFrom(a.rank == 1 ? tie_from : 1, rows, a.row, rows, b.row);
    return c != 0 ? c < 0 : a.row < b.row;
  };
  for (size_t lo = 0; lo < n; lo += kRunRows) {
    std::sort(entries.begin() + lo, entries.begin() + std::min(n, lo + kRunRows), less);
    RETURN_IF_ERROR(ctx.Check());
  }
  if (n > kRunRows) {
    std::vector<SortEntry> tmp(n);
    for (size_t width = kRunRows; width < n; width *= 2) {
      for (size_t lo = 0; lo < n; lo += 2 * width) {
        size_t mid = std::min(n, lo + width), hi = std::min(n, lo + 2 * width);
        std::merge(entries.begin() + lo, entries.begin() + mid, entries.begin() + mid,
                   entries.begin() + hi, tmp.begin() + lo, less);
        RETURN_IF_ERROR(ctx.Check());
      }
      entries.swap(tmp);
    }
  }
  perm->resize(n);
  for (size_t i = 0; i < n; i++) (*perm)[i] = entries[i].row;
  return Status::OK();
}

// Pushes rows perm[begin, end) of `rows` in chunks of at most kChunkRows.
Status EmitRows(const Chunk& rows, const std::vector<uint32_t>& perm, size_t begin, size_t end,
                Sink& out) {
  for (size_t s = begin; s < end; s += columnar::kChunkRows) {
    std::vector<uint32_t> sel(perm.begin() + s,
                              perm.begin() + std::min(end, s + columnar::kChunkRows));
    Chunk chunk = Chunk::Select(rows, sel);
    bool stop = false;
    RETURN_IF_ERROR(out.Push(chunk, &stop));
    if (stop) break;
  }
  return Status::OK();
}

}  // namespace

int RowComparator::CompareFrom(size_t first, const Chunk& a, size_t ra, const Chunk& b,
                               size_t rb) const {
  for (size_t i = first; i < keys_.size(); i++) {
    const SortKey& k = keys_[i];
    const Vector& x = a.columns[k.column];
    const Vector& y = b.columns[k.column];
    bool xn = x.is_null(ra), yn = y.is_null(rb);
    if (xn || yn) {
      if (xn && yn) continue;
      int c = xn ? 1 : -1;  // NULL after a value, unless NULLS FIRST
      return k.nulls_first ? -c : c;
    }
    int c;
    switch (x.type()) {
      case Type::kDouble: c = CompareDouble(x.f64(ra), y.f64(rb)); break;
      case Type::kText: c = Sign(x.str(ra).compare(y.str(rb))); break;
      default: c = (x.i64(ra) > y.i64(rb)) - (x.i64(ra) < y.i64(rb)); break;
    }
    if (c != 0) return k.descending ? -c : c;
  }
  return 0;
}

std::string DescribeSortKeys(const std::vector<SortKey>& keys) {
  std::string s;
  for (size_t i = 0; i < keys.size(); i++) {
    const SortKey& k = keys[i];
    s += fmt::format("{}[{}]", i ? ", " : "", k.column);
    if (k.descending) s += " DESC";
    if (k.nulls_first != k.descending) s += k.nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  return s;
}

Sort::Sort(PhysicalOperatorPtr child, std::vector<SortKey> keys) : keys_(std::move(keys)) {
  types_ = child->types();
  children_.push_back(std::move(child));
}

std::string Sort::Describe() const { return "Sort keys: " + DescribeSortKeys(keys_); }

Status Sort::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  Status st = Run(ctx, out);
  stats_.micros += MonotonicMicros() - start;
  return st;
}

Status Sort::Run(ExecContext& ctx, Sink& out) {
  for (const SortKey& k : keys_) {
    if (k.column >= types_.size()) return Internal("sort key out of range: {}", Describe());
  }
  MemoryCharge mem(ctx);
  Chunk rows(types_);
  MaterializeSink sink(&rows, &mem, "sort");
  RETURN_IF_ERROR(children_[0]->Produce(ctx, sink));
  RETURN_IF_ERROR(ctx.Check());
  size_t n = rows.rows;
  RETURN_IF_ERROR(
      mem.Charge(n * (sizeof(uint32_t) + sizeof(SortEntry) * (n > kRunRows ? 2 : 1)), "sort"));
  std::vector<uint32_t> perm;
  RETURN_IF_ERROR(SortRows(ctx, rows, RowComparator(keys_), &perm));
  stats_.details = {fmt::format("sorted rows {}, {} bytes", n, mem.charged())};
  CountingSink counted(stats_, out);
  return EmitRows(rows, perm, 0, n, counted);
}

namespace {

// The buffer of TopN (see the top of this file).
class TopNSink : public Sink {
 public:
  // `keep` is the number of rows wanted; past kMaxKeep rows (row numbers are uint32) the input
  // may not have more than kMaxKeep rows.
  static constexpr uint64_t kMaxKeep = UINT32_MAX / 4;

  TopNSink(ExecContext& ctx, const std::vector<Type>& types, const std::vector<SortKey>& keys,
           uint64_t keep)
      : ctx_(ctx),
        mem_(ctx),
        types_(types),
        cmp_(keys),
        keep_(std::min(keep, kMaxKeep)),
        capped_(keep > kMaxKeep),
        buf_(types) {
    compact_at_ = keep_ + std::max<uint64_t>(keep_, columnar::kChunkRows);
  }

  Status Push(Chunk& chunk, bool* stop) override {
    if (capped_ && next_seq_ + chunk.rows > keep_) {
      return ResourceExhausted("top-n sort: more than {} rows with limit + offset above it", keep_);
    }
    for (size_t r = 0; r < chunk.rows; r++) {
      uint64_t seq = next_seq_++;
      if (full_ && cmp_.Compare(chunk, r, buf_, keep_ - 1) >= 0) continue;
      buf_.AppendRow(chunk, r);
      seq_.push_back(seq);
    }
    RETURN_IF_ERROR(Charge());
    return buf_.rows >= compact_at_ ? Compact() : Status::OK();
  }

  // Sorts the buffer by (keys, ordinal) and keeps its first `keep` rows.
  Status Compact() {
    std::vector<uint32_t> perm(buf_.rows);
    std::iota(perm.begin(), perm.end(), 0u);
    auto less = [&](uint32_t a, uint32_t b) {
      int c = cmp_.Compare(buf_, a, buf_, b);
      return c != 0 ? c < 0 : seq_[a] < seq_[b];
    };
    size_t kept = static_cast<size_t>(std::min<uint64_t>(keep_, buf_.rows));
    std::partial_sort(perm.begin(), perm.begin() + kept, perm.end(), less);
    Chunk next(types_);
    std::vector<uint64_t> next_seq;
    next_seq.reserve(kept);
    for (size_t i = 0; i < kept; i++) {
      next.AppendRow(buf_, perm[i]);
      next_seq.push_back(seq_[perm[i]]);
    }
    buf_ = std::move(next);
    seq_ = std::move(next_seq);
    full_ = buf_.rows == keep_;
    RETURN_IF_ERROR(Charge());
    return ctx_.Check();
  }

  const Chunk& rows() const { return buf_; }

 private:
  // Twice the buffer: growing it, and compacting it into a new one, holds two at once.
  Status Charge() {
    return mem_.ChargeTo(2 * (buf_.ApproxBytes() + seq_.capacity() * sizeof(uint64_t)), "top-n sort");
  }

  ExecContext& ctx_;
  MemoryCharge mem_;
  std::vector<Type> types_;
  RowComparator cmp_;
  uint64_t keep_, compact_at_;
  bool capped_;
  Chunk buf_;
  std::vector<uint64_t> seq_;
  uint64_t next_seq_ = 0;
  bool full_ = false;
};

}  // namespace

TopN::TopN(PhysicalOperatorPtr child, std::vector<SortKey> keys, uint64_t limit, uint64_t offset)
    : keys_(std::move(keys)), limit_(limit), offset_(offset) {
  types_ = child->types();
  children_.push_back(std::move(child));
}

std::string TopN::Describe() const {
  std::string s = fmt::format("TopN limit: {}", limit_);
  if (offset_ != 0) s += fmt::format(" offset: {}", offset_);
  return s + " keys: " + DescribeSortKeys(keys_);
}

Status TopN::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  Status st = Run(ctx, out);
  stats_.micros += MonotonicMicros() - start;
  return st;
}

Status TopN::Run(ExecContext& ctx, Sink& out) {
  for (const SortKey& k : keys_) {
    if (k.column >= types_.size()) return Internal("sort key out of range: {}", Describe());
  }
  if (limit_ == 0) return Status::OK();
  uint64_t keep = limit_ > UINT64_MAX - offset_ ? UINT64_MAX : limit_ + offset_;
  TopNSink sink(ctx, types_, keys_, keep);
  RETURN_IF_ERROR(children_[0]->Produce(ctx, sink));
  RETURN_IF_ERROR(sink.Compact());
  const Chunk& rows = sink.rows();
  stats_.details = {fmt::format("kept rows {}", rows.rows)};
  std::vector<uint32_t> perm(rows.rows);
  std::iota(perm.begin(), perm.end(), 0u);
  CountingSink counted(stats_, out);
  size_t begin = static_cast<size_t>(std::min<uint64_t>(offset_, rows.rows));
  return EmitRows(rows, perm, begin, rows.rows, counted);
}

}  // namespace laminar::execution
