// HashJoin (join.h): a chained hash table over the build side's materialised rows.
//
// Build: the build input is copied into one Chunk (rows whose key is NULL are dropped when no
// output can need them); each row's key hash is computed column at a time; rows are linked into
// bucket chains (`buckets` holds a chain's first row, `next` the following one), in ascending row
// order. Rows with a NULL key are never linked: they cannot match. Probe: per probe chunk the
// key hashes are computed the same way, each row walks its bucket's chain comparing the stored
// hash and then the keys, and JoinRunner turns the equal pairs into output. Hashes are of
// normalised keys: doubles with -0.0 as 0.0 and every NaN as one NaN; bigint as double when the
// key pair compares as double.
#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <string_view>

#include "common/time_util.h"
#include "execution/join.h"
#include "execution/join_internal.h"

namespace laminar::execution {

using join_internal::JoinRunner;
using join_internal::kNoRow;

namespace {

enum class KeyKind : uint8_t { kInt, kDouble, kText };

struct KeyPair {
  uint32_t build_col, probe_col;
  KeyKind kind;
};

inline uint64_t Mix(uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline double ReadDouble(const Vector& v, size_t r) {
  return v.type() == Type::kDouble ? v.f64(r) : static_cast<double>(v.i64(r));
}

inline uint64_t DoubleBits(double d) {
  if (d == 0.0) d = 0.0;  // -0.0 hashes as 0.0
  if (std::isnan(d)) return 0x7ff8000000000000ULL;
  return std::bit_cast<uint64_t>(d);
}

inline bool KeyEqual(const Vector& a, size_t ra, const Vector& b, size_t rb, KeyKind kind) {
  switch (kind) {
    case KeyKind::kInt: return a.i64(ra) == b.i64(rb);
    case KeyKind::kDouble: {
      double x = ReadDouble(a, ra), y = ReadDouble(b, rb);
      return x == y || (std::isnan(x) && std::isnan(y));
    }
    case KeyKind::kText: return a.str(ra) == b.str(rb);
  }
  return false;
}

// Hashes of the keys of every row of `c` (key columns taken from `build` or `probe` side of each
// pair); (*nulls)[r] = 1 when any key of row r is NULL (its hash is then meaningless).
void HashKeys(const Chunk& c, const std::vector<KeyPair>& keys, bool build,
              std::vector<uint64_t>* hashes, std::vector<uint8_t>* nulls) {
  size_t n = c.rows;
  hashes->assign(n, 0x2545f4914f6cdd1dULL);
  nulls->assign(n, 0);
  uint64_t* h = hashes->data();
  uint8_t* null = nulls->data();
  for (const KeyPair& k : keys) {
    const Vector& v = c.columns[build ? k.build_col : k.probe_col];
    const uint8_t* valid = v.validity();
    for (size_t r = 0; r < n; r++) null[r] |= valid[r] ^ 1;
    switch (k.kind) {
      case KeyKind::kInt: {
        const int64_t* x = v.ints();
        for (size_t r = 0; r < n; r++) h[r] = Mix(h[r] ^ static_cast<uint64_t>(x[r]));
        break;
      }
      case KeyKind::kDouble:
        for (size_t r = 0; r < n; r++) h[r] = Mix(h[r] ^ DoubleBits(ReadDouble(v, r)));
        break;
      case KeyKind::kText: {
        const std::string_view* x = v.strings();
        std::hash<std::string_view> hs;
        for (size_t r = 0; r < n; r++) h[r] = Mix(h[r] ^ hs(x[r]));
        break;
      }
    }
  }
}

// Hash table and probe state of one Produce.
class HashJoinExec {
 public:
  HashJoinExec(ExecContext& ctx, JoinRunner& runner, std::vector<KeyPair> keys, JoinType type,
               bool has_residual, const std::vector<Type>& build_types)
      : ctx_(ctx),
        mem_(ctx),
        runner_(runner),
        keys_(std::move(keys)),
        type_(type),
        has_residual_(has_residual),
        rows_(build_types) {}

  // Which build rows with a NULL key can matter: kept for outer joins preserving the build side,
  // for semi-like joins building the left side (every left row is output or marked), and MARK.
  bool KeepNullKeyBuildRows() const {
    if (type_ == JoinType::kMark) return true;
    if (!runner_.probe_is_left()) {
      return type_ != JoinType::kInner && type_ != JoinType::kRight && type_ != JoinType::kSemi;
    }
    return type_ == JoinType::kRight || type_ == JoinType::kFull;
  }

  Status Build(PhysicalOperator& child) {
    std::vector<uint32_t> drop;
    if (!KeepNullKeyBuildRows()) {
      for (const KeyPair& k : keys_) drop.push_back(k.build_col);
    }
    MaterializeSink sink(&rows_, &mem_, "hash join build side", std::move(drop));
    RETURN_IF_ERROR(child.Produce(ctx_, sink));
    RETURN_IF_ERROR(ctx_.Check());

    size_t n = rows_.rows;
    size_t buckets = std::bit_ceil(std::max<size_t>(16, n + n / 2));
    RETURN_IF_ERROR(mem_.Charge(n * (sizeof(uint64_t) + 1 + sizeof(uint32_t)) +
                                    buckets * sizeof(uint32_t),
                                "hash join table"));
    std::vector<uint8_t> nulls;
    HashKeys(rows_, keys_, /*build=*/true, &hashes_, &nulls);
    mask_ = buckets - 1;
    buckets_.assign(buckets, kNoRow);
    next_.assign(n, kNoRow);
    for (size_t i = n; i-- > 0;) {  // backwards, so that each chain is in ascending row order
      if (nulls[i]) {
        null_key_rows_.push_back(static_cast<uint32_t>(i));
        continue;
      }
      uint32_t& head = buckets_[hashes_[i] & mask_];
      next_[i] = head;
      head = static_cast<uint32_t>(i);
    }
    std::reverse(null_key_rows_.begin(), null_key_rows_.end());
    RETURN_IF_ERROR(mem_.Charge(runner_.SetBuild(&rows_), "hash join match flags"));
    return Status::OK();
  }

  const Chunk& rows() const { return rows_; }
  size_t charged() const { return mem_.charged(); }

  Status Probe(const Chunk& probe, bool* stop) {
    RETURN_IF_ERROR(ctx_.Check());
    runner_.StartProbe(&probe);
    HashKeys(probe, keys_, /*build=*/false, &probe_hashes_, &probe_nulls_);
    // A left probe row of a semi-like join is decided by its first match.
    bool first_only = runner_.immediate() && runner_.probe_is_left() &&
                      type_ != JoinType::kInner && type_ != JoinType::kLeft &&
                      type_ != JoinType::kRight && type_ != JoinType::kFull;
    for (uint32_t p = 0; p < probe.rows; p++) {
      if (probe_nulls_[p]) continue;
      uint64_t h = probe_hashes_[p];
      for (uint32_t b = buckets_[h & mask_]; b != kNoRow; b = next_[b]) {
        RETURN_IF_ERROR(runner_.Tick());
        if (hashes_[b] != h || !KeysEqual(probe, p, b)) continue;
        RETURN_IF_ERROR(runner_.AddMatch(p, b));
        if (runner_.stopped()) break;
        if (first_only) break;
      }
      if (runner_.stopped()) break;
    }
    if (type_ == JoinType::kMark && !runner_.stopped()) {
      RETURN_IF_ERROR(runner_.Flush());  // match flags final before looking for unknowns
      RETURN_IF_ERROR(runner_.probe_is_left() ? MarkUnknownLeft(probe) : MarkUnknownRight(probe));
    }
    RETURN_IF_ERROR(runner_.FinishProbe());
    if (runner_.stopped()) *stop = true;
    return Status::OK();
  }

 private:
  bool KeysEqual(const Chunk& probe, uint32_t p, uint32_t b) const {
    for (const KeyPair& k : keys_) {
      if (!KeyEqual(probe.columns[k.probe_col], p, rows_.columns[k.build_col], b, k.kind)) {
        return false;
      }
    }
    return true;
  }

  // No key pair definitely unequal (both non-NULL and different).
  bool KeysMaybe(const Chunk& probe, uint32_t p, uint32_t b) const {
    for (const KeyPair& k : keys_) {
      const Vector& x = probe.columns[k.probe_col];
      const Vector& y = rows_.columns[k.build_col];
      if (x.valid(p) && y.valid(b) && !KeyEqual(x, p, y, b, k.kind)) return false;
    }
    return true;
  }

  // MARK, left side probing: an unmatched probe row is unknown against any build row (with the
  // residual) if its key has a NULL, else against a build row with a NULL key.
  Status MarkUnknownLeft(const Chunk& probe) {
    size_t all = rows_.rows;
    for (uint32_t p = 0; p < probe.rows && !runner_.stopped(); p++) {
      if (runner_.probe_matched(p)) continue;
      bool probe_null = probe_nulls_[p] != 0;
      size_t candidates = probe_null ? all : null_key_rows_.size();
      for (size_t i = 0; i < candidates && !runner_.probe_maybe(p); i++) {
        uint32_t b = probe_null ? static_cast<uint32_t>(i) : null_key_rows_[i];
        RETURN_IF_ERROR(runner_.Tick());
        if (KeysMaybe(probe, p, b)) RETURN_IF_ERROR(runner_.AddMaybe(p, b));
      }
    }
    return Status::OK();
  }

  // MARK, left side built: a build row is unknown against a probe row with a NULL key, and a
  // build row with a NULL key against any probe row (each subject to the residual).
  Status MarkUnknownRight(const Chunk& probe) {
    if (probe.rows == 0) return Status::OK();
    if (!has_residual_ && keys_.size() == 1) {  // no residual, one key: no pair to look at
      bool probe_has_null = false;
      for (uint32_t p = 0; p < probe.rows; p++) probe_has_null |= probe_nulls_[p] != 0;
      if (probe_has_null && !all_build_maybe_) {
        for (uint32_t b = 0; b < rows_.rows; b++) runner_.set_build_maybe(b);
        all_build_maybe_ = true;
      }
      if (!null_key_build_maybe_) {
        for (uint32_t b : null_key_rows_) runner_.set_build_maybe(b);
        null_key_build_maybe_ = true;
      }
      return Status::OK();
    }
    for (uint32_t p = 0; p < probe.rows && !runner_.stopped(); p++) {
      bool probe_null = probe_nulls_[p] != 0;
      size_t candidates = probe_null ? rows_.rows : null_key_rows_.size();
      for (size_t i = 0; i < candidates; i++) {
        uint32_t b = probe_null ? static_cast<uint32_t>(i) : null_key_rows_[i];
        RETURN_IF_ERROR(runner_.Tick());
        if (runner_.build_matched(b) || runner_.build_maybe(b)) continue;
        if (KeysMaybe(probe, p, b)) RETURN_IF_ERROR(runner_.AddMaybe(p, b));
      }
    }
    return Status::OK();
  }

  ExecContext& ctx_;
  MemoryCharge mem_;
  JoinRunner& runner_;
  std::vector<KeyPair> keys_;
  JoinType type_;
  bool has_residual_;

  Chunk rows_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> buckets_, next_, null_key_rows_;
  uint64_t mask_ = 0;
  bool all_build_maybe_ = false, null_key_build_maybe_ = false;
  std::vector<uint64_t> probe_hashes_;
  std::vector<uint8_t> probe_nulls_;
};

class ProbeSink : public Sink {
 public:
  explicit ProbeSink(HashJoinExec& exec) : exec_(exec) {}
  Status Push(Chunk& chunk, bool* stop) override { return exec_.Probe(chunk, stop); }

 private:
  HashJoinExec& exec_;
};

std::string ColumnList(const std::vector<uint32_t>& cols) {
  std::string s = "[";
  for (size_t i = 0; i < cols.size(); i++) s += fmt::format("{}{}", i ? ", " : "", cols[i]);
  return s + "]";
}

}  // namespace

HashJoin::HashJoin(PhysicalOperatorPtr left, PhysicalOperatorPtr right,
                   std::vector<uint32_t> left_keys, std::vector<uint32_t> right_keys,
                   JoinType type, ChunkPredicate residual, JoinSide build,
                   std::vector<bool> keys_as_double)
    : left_keys_(std::move(left_keys)),
      right_keys_(std::move(right_keys)),
      type_(type),
      residual_(std::move(residual)),
      build_(build),
      as_double_(std::move(keys_as_double)) {
  types_ = left->types();
  if (type_ == JoinType::kMark || type_ == JoinType::kMarkExists) {
    types_.push_back(Type::kBool);
  } else if (type_ != JoinType::kSemi && type_ != JoinType::kAnti) {
    for (Type t : right->types()) types_.push_back(t);
  }
  children_.push_back(std::move(left));
  children_.push_back(std::move(right));
}

std::string HashJoin::Describe() const {
  std::string s = fmt::format("HashJoin {} keys: {}={} build: {}", JoinTypeName(type_),
                              ColumnList(left_keys_), ColumnList(right_keys_),
                              build_ == JoinSide::kLeft ? "left" : "right");
  std::vector<uint32_t> dbl;
  for (size_t i = 0; i < as_double_.size(); i++) {
    if (as_double_[i]) dbl.push_back(static_cast<uint32_t>(i));
  }
  if (!dbl.empty()) s += " as double: " + ColumnList(dbl);
  if (residual_) s += residual_text_.empty() ? " residual" : " residual: " + residual_text_;
  return s;
}

Status HashJoin::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  Status st = Run(ctx, out);
  stats_.micros += MonotonicMicros() - start;
  return st;
}

Status HashJoin::Run(ExecContext& ctx, Sink& out) {
  const std::vector<Type>& lt = children_[0]->types();
  const std::vector<Type>& rt = children_[1]->types();
  if (type_ == JoinType::kCross || left_keys_.empty() ||
      left_keys_.size() != right_keys_.size() ||
      (!as_double_.empty() && as_double_.size() != left_keys_.size())) {
    return Internal("hash join needs matching key lists and a join type other than CROSS: {}",
                    Describe());
  }
  bool build_left = build_ == JoinSide::kLeft;
  std::vector<KeyPair> keys;
  for (size_t i = 0; i < left_keys_.size(); i++) {
    uint32_t l = left_keys_[i], r = right_keys_[i];
    if (l >= lt.size() || r >= rt.size()) {
      return Internal("hash join key column out of range: {}", Describe());
    }
    Type a = lt[l], b = rt[r];
    auto numeric = [](Type t) { return t == Type::kInt64 || t == Type::kDouble; };
    KeyKind kind;
    if ((!as_double_.empty() && as_double_[i]) || (a != b && numeric(a) && numeric(b))) {
      if (!numeric(a) || !numeric(b)) {
        return Internal("hash join key {} compared as double has type {} = {}", i, TypeName(a),
                        TypeName(b));
      }
      kind = KeyKind::kDouble;
    } else if (a != b) {
      return Internal("hash join key {} has types {} = {}", i, TypeName(a), TypeName(b));
    } else {
      kind = a == Type::kText ? KeyKind::kText : a == Type::kDouble ? KeyKind::kDouble : KeyKind::kInt;
    }
    keys.push_back(build_left ? KeyPair{l, r, kind} : KeyPair{r, l, kind});
  }

  CountingSink counted(stats_, out);
  JoinRunner runner(type_, build_, &residual_, lt, rt, ctx, counted);
  runner.set_single_match(single_match_);
  HashJoinExec exec(ctx, runner, std::move(keys), type_, static_cast<bool>(residual_),
                    build_left ? lt : rt);
  PhysicalOperator& build_child = *children_[build_left ? 0 : 1];
  PhysicalOperator& probe_child = *children_[build_left ? 1 : 0];
  RETURN_IF_ERROR(exec.Build(build_child));
  stats_.details = {fmt::format("build rows {}, {} bytes", exec.rows().rows, exec.charged())};
  if (exec.rows().rows == 0 && runner.EmptyBuildGivesEmptyOutput()) return Status::OK();
  ProbeSink probe(exec);
  RETURN_IF_ERROR(probe_child.Produce(ctx, probe));
  return runner.FinishBuild();
}

}  // namespace laminar::execution
