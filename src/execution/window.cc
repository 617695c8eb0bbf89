#include "execution/window.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/time_util.h"

namespace laminar::execution {
namespace {

using K = WindowFunctionKind;
using B = FrameBoundKind;

// Row a vs row b of v, both non-NULL: -1, 0, 1 (doubles: NaN above every number, -0.0 = 0.0).
int CompareCells(const Vector& v, size_t a, size_t b) {
  switch (v.type()) {
    case Type::kDouble: {
      double x = v.f64(a), y = v.f64(b);
      if (std::isnan(x) || std::isnan(y)) return int(std::isnan(x)) - int(std::isnan(y));
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case Type::kText: {
      int c = v.str(a).compare(v.str(b));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default: {
      int64_t x = v.i64(a), y = v.i64(b);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
  }
}

int CompareKey(const Vector& v, size_t a, size_t b, bool descending, bool nulls_first) {
  bool na = v.is_null(a), nb = v.is_null(b);
  if (na || nb) {
    if (na && nb) return 0;
    return na == nulls_first ? -1 : 1;
  }
  int c = CompareCells(v, a, b);
  return descending ? -c : c;
}

// Sets row i of `dst` to row `row` of `src` (same type, or bigint into double); text by reference.
void SetFrom(Vector& dst, size_t i, const Vector& src, size_t row) {
  if (src.is_null(row)) return dst.SetNull(i);
  switch (dst.type()) {
    case Type::kDouble: return dst.SetDouble(i, src.type() == Type::kDouble ? src.f64(row) : double(src.i64(row)));
    case Type::kText: return dst.SetTextRef(i, src.str(row));
    default: return dst.SetInt(i, src.i64(row));
  }
}

class MaterializeSink : public Sink {
 public:
  MaterializeSink(ExecContext& ctx, Chunk& data, size_t& charged) : ctx_(ctx), data_(data), charged_(charged) {}
  Status Push(Chunk& chunk, bool* stop) override {
    RETURN_IF_ERROR(ctx_.Check());
    size_t before = data_.ApproxBytes();
    for (size_t r = 0; r < chunk.rows; r++) data_.AppendRow(chunk, r);
    size_t after = data_.ApproxBytes();
    if (after <= before) return Status::OK();
    charged_ += after - before;
    return ctx_.Charge(after - before, "window");
  }

 private:
  ExecContext& ctx_;
  Chunk& data_;
  size_t& charged_;
};

// A partition: sorted positions [ps, pe), peer groups [g0, g1).
struct Part {
  size_t ps, pe;
  uint32_t g0, g1;
};

// Up to three ascending, disjoint runs of sorted positions: a frame minus its exclusion.
struct Segments {
  int64_t s[3], e[3];
  int n = 0;
  void Add(int64_t a, int64_t b) {
    if (a <= b) {
      s[n] = a;
      e[n] = b;
      n++;
    }
  }
};

const char* FunctionName(K k) {
  switch (k) {
    case K::kRowNumber: return "row_number";
    case K::kRank: return "rank";
    case K::kDenseRank: return "dense_rank";
    case K::kPercentRank: return "percent_rank";
    case K::kCumeDist: return "cume_dist";
    case K::kNtile: return "ntile";
    case K::kLag: return "lag";
    case K::kLead: return "lead";
    case K::kFirstValue: return "first_value";
    case K::kLastValue: return "last_value";
    case K::kNthValue: return "nth_value";
    case K::kAggregate: return "aggregate";
  }
  return "?";
}

bool UsesFrame(K k) { return k == K::kFirstValue || k == K::kLastValue || k == K::kNthValue || k == K::kAggregate; }

// Computes the window functions over the sorted, partitioned rows.
class Computer {
 public:
  Computer(ExecContext& ctx, const Chunk& data, const std::vector<WindowOrder>& order, const std::vector<uint32_t>& perm,
           const std::vector<uint32_t>& grp, const std::vector<uint32_t>& gstart, const std::vector<Part>& parts)
      : ctx_(ctx), data_(data), order_(order), perm_(perm), grp_(grp), gstart_(gstart), parts_(parts) {}

  Status Compute(const WindowFunction& f, Vector* out) {
    out->Resize(perm_.size());
    switch (f.kind) {
      case K::kRowNumber:
      case K::kRank:
      case K::kDenseRank:
      case K::kPercentRank:
      case K::kCumeDist: Ranking(f.kind, out); return Status::OK();
      case K::kNtile: return Ntile(f, out);
      case K::kLag:
      case K::kLead: return LagLead(f, out);
      case K::kFirstValue:
      case K::kLastValue:
      case K::kNthValue: return FrameValue(f, out);
      case K::kAggregate: return Aggregate(f, out);
    }
    return Status::OK();
  }

 private:
  // Counts work and checks the time limit and cancellation every 4096 units.
  Status Tick(size_t units = 1) {
    work_ += units;
    if (work_ < 4096) return Status::OK();
    work_ = 0;
    return ctx_.Check();
  }

  size_t PeerLo(size_t i) const { return gstart_[grp_[i]]; }
  size_t PeerHi(size_t i) const { return gstart_[grp_[i] + 1] - 1; }

  void Ranking(K kind, Vector* out) {
    for (const Part& p : parts_) {
      double rows = double(p.pe - p.ps);
      for (size_t i = p.ps; i < p.pe; i++) {
        int64_t rank = int64_t(PeerLo(i) - p.ps) + 1;
        switch (kind) {
          case K::kRowNumber: out->SetInt(i, int64_t(i - p.ps) + 1); break;
          case K::kRank: out->SetInt(i, rank); break;
          case K::kDenseRank: out->SetInt(i, int64_t(grp_[i] - p.g0) + 1); break;
          case K::kPercentRank: out->SetDouble(i, rows > 1 ? double(rank - 1) / (rows - 1) : 0.0); break;
          default: out->SetDouble(i, double(PeerHi(i) - p.ps + 1) / rows); break;
        }
      }
    }
  }

  // PostgreSQL's window_ntile: n read at the partition's first row where it is not NULL.
  Status Ntile(const WindowFunction& f, Vector* out) {
    const Vector& nv = data_.columns[f.inputs[0]];
    for (const Part& p : parts_) {
      int64_t ntile = 0, per_bucket = 0, boundary = 0, remainder = 0, total = int64_t(p.pe - p.ps);
      for (size_t i = p.ps; i < p.pe; i++) {
        if (ntile == 0) {
          if (nv.is_null(perm_[i])) continue;  // NULL result
          int64_t buckets = nv.i64(perm_[i]);
          if (buckets <= 0) return InvalidArgument("argument of ntile must be greater than zero");
          ntile = 1;
          boundary = total / buckets;
          if (boundary <= 0) boundary = 1;
          else if ((remainder = total % buckets) != 0) boundary++;
        }
        if (boundary < ++per_bucket) {
          if (remainder != 0 && ntile == remainder) {
            remainder = 0;
            boundary--;
          }
          ntile++;
          per_bucket = 1;
        }
        out->SetInt(i, ntile);
      }
    }
    return Status::OK();
  }

  Status LagLead(const WindowFunction& f, Vector* out) {
    const Vector& x = data_.columns[f.inputs[0]];
    const Vector* offset = f.inputs.size() > 1 ? &data_.columns[f.inputs[1]] : nullptr;
    const Vector* def = f.inputs.size() > 2 ? &data_.columns[f.inputs[2]] : nullptr;
    out->ShareHeap(x);
    if (def) out->ShareHeap(*def);
    for (const Part& p : parts_) {
      for (size_t i = p.ps; i < p.pe; i++) {
        uint32_t r = perm_[i];
        int64_t off = 1;
        if (offset) {
          if (offset->is_null(r)) continue;  // NULL result
          off = offset->i64(r);
        }
        __int128 target = __int128(i) + (f.kind == K::kLag ? -__int128(off) : __int128(off));
        if (target >= __int128(p.ps) && target < __int128(p.pe)) SetFrom(*out, i, x, perm_[size_t(target)]);
        else if (def) SetFrom(*out, i, *def, r);
      }
    }
    return Status::OK();
  }

  // PostgreSQL's in_range(val, base, offset, sub, less): val <= (or >=) base -/+ offset.
  bool InRange(size_t val_pos, size_t base_pos, const Value& offset, bool sub, bool less) const {
    const Vector& k = data_.columns[order_[0].column];
    size_t rv = perm_[val_pos], rb = perm_[base_pos];
    if (k.type() == Type::kDouble || offset.type() == Type::kDouble) {
      auto d = [&](size_t r) { return k.type() == Type::kDouble ? k.f64(r) : double(k.i64(r)); };
      double val = d(rv), base = d(rb), off = offset.numeric();
      if (std::isnan(val)) return std::isnan(base) ? true : !less;  // NaN = NaN, NaN > the rest
      if (std::isnan(base)) return less;
      if (std::isinf(off) && std::isinf(base) && (sub ? base > 0 : base < 0)) return true;
      double sum = sub ? base - off : base + off;
      return less ? val <= sum : val >= sum;
    }
    int64_t val = k.i64(rv), base = k.i64(rb), off = offset.as_int(), sum;
    if (sub ? __builtin_sub_overflow(base, off, &sum) : __builtin_add_overflow(base, off, &sum)) return sub ? !less : less;
    return less ? val <= sum : val >= sum;
  }

  // RANGE with an offset: the first position of the frame (PostgreSQL's update_frameheadpos).
  size_t RangeHead(const FrameBound& b, size_t i, const Part& p) const {
    const WindowOrder& o = order_[0];
    const Vector& k = data_.columns[o.column];
    bool sub = b.kind == B::kPreceding, less = false;
    if (o.descending) sub = !sub, less = true;
    bool ni = k.is_null(perm_[i]);
    auto head_ok = [&](size_t j) {
      bool nj = k.is_null(perm_[j]);
      if (nj || ni) return o.nulls_first ? (!nj || ni) : (nj || !ni);
      return InRange(j, i, b.offset, sub, less);
    };
    size_t lo = p.ps, hi = p.pe;  // first j in [lo, hi) with head_ok
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (head_ok(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  // RANGE with an offset: one past the last position of the frame (update_frametailpos).
  size_t RangeTailEnd(const FrameBound& b, size_t i, const Part& p) const {
    const WindowOrder& o = order_[0];
    const Vector& k = data_.columns[o.column];
    bool sub = b.kind == B::kPreceding, less = true;
    if (o.descending) sub = !sub, less = false;
    bool ni = k.is_null(perm_[i]);
    auto tail_ok = [&](size_t j) {
      bool nj = k.is_null(perm_[j]);
      if (nj || ni) return o.nulls_first ? !(!nj && ni) : !(nj && !ni);
      return InRange(j, i, b.offset, sub, less);
    };
    size_t lo = p.ps, hi = p.pe;  // first j in [lo, hi) without tail_ok
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (tail_ok(mid)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // The first position of row i's frame, in [ps, pe] (pe: empty).
  int64_t FrameStart(const WindowFrame& f, size_t i, const Part& p) const {
    const FrameBound& b = f.start;
    switch (b.kind) {
      case B::kUnboundedPreceding: return int64_t(p.ps);
      case B::kCurrentRow: return int64_t(f.mode == FrameMode::kRows ? i : PeerLo(i));
      case B::kUnboundedFollowing: return int64_t(p.pe);
      default: break;
    }
    bool preceding = b.kind == B::kPreceding;
    if (f.mode == FrameMode::kRange) return int64_t(RangeHead(b, i, p));
    uint64_t off = uint64_t(b.offset.as_int());
    if (f.mode == FrameMode::kRows) {
      if (preceding) return off > i - p.ps ? int64_t(p.ps) : int64_t(i - off);
      return off >= p.pe - i ? int64_t(p.pe) : int64_t(i + off);
    }
    uint32_t g = grp_[i];
    if (preceding) return int64_t(gstart_[off > g - p.g0 ? p.g0 : g - off]);
    return off >= p.g1 - g ? int64_t(p.pe) : int64_t(gstart_[g + off]);
  }

  // The last position of row i's frame, in [ps - 1, pe - 1] (ps - 1: empty).
  int64_t FrameEnd(const WindowFrame& f, size_t i, const Part& p) const {
    const FrameBound& b = f.end;
    switch (b.kind) {
      case B::kUnboundedFollowing: return int64_t(p.pe) - 1;
      case B::kCurrentRow: return int64_t(f.mode == FrameMode::kRows ? i : PeerHi(i));
      case B::kUnboundedPreceding: return int64_t(p.ps) - 1;
      default: break;
    }
    bool preceding = b.kind == B::kPreceding;
    if (f.mode == FrameMode::kRange) return int64_t(RangeTailEnd(b, i, p)) - 1;
    uint64_t off = uint64_t(b.offset.as_int());
    if (f.mode == FrameMode::kRows) {
      if (preceding) return off > i - p.ps ? int64_t(p.ps) - 1 : int64_t(i - off);
      return off >= p.pe - i ? int64_t(p.pe) - 1 : int64_t(i + off);
    }
    uint32_t g = grp_[i];
    if (preceding) return off > g - p.g0 ? int64_t(p.ps) - 1 : int64_t(gstart_[g - off + 1]) - 1;
    return off >= p.g1 - g ? int64_t(p.pe) - 1 : int64_t(gstart_[g + off + 1]) - 1;
  }

  Segments FrameOf(const WindowFrame& f, size_t i, const Part& p) const {
    int64_t s = FrameStart(f, i, p), e = FrameEnd(f, i, p), cur = int64_t(i);
    int64_t lo = int64_t(PeerLo(i)), hi = int64_t(PeerHi(i));
    Segments seg;
    switch (f.exclude) {
      case FrameExclude::kNoOthers: seg.Add(s, e); break;
      case FrameExclude::kCurrentRow:
        seg.Add(s, std::min(e, cur - 1));
        seg.Add(std::max(s, cur + 1), e);
        break;
      case FrameExclude::kGroup:
        seg.Add(s, std::min(e, lo - 1));
        seg.Add(std::max(s, hi + 1), e);
        break;
      case FrameExclude::kTies:
        seg.Add(s, std::min(e, lo - 1));
        seg.Add(std::max(s, cur), std::min(e, cur));
        seg.Add(std::max(s, hi + 1), e);
        break;
    }
    return seg;
  }

  Status FrameValue(const WindowFunction& f, Vector* out) {
    const Vector& x = data_.columns[f.inputs[0]];
    const Vector* nth = f.kind == K::kNthValue ? &data_.columns[f.inputs[1]] : nullptr;
    out->ShareHeap(x);
    for (const Part& p : parts_) {
      for (size_t i = p.ps; i < p.pe; i++) {
        RETURN_IF_ERROR(Tick());
        Segments seg = FrameOf(f.frame, i, p);
        int64_t pos = -1;
        if (f.kind == K::kFirstValue) {
          if (seg.n) pos = seg.s[0];
        } else if (f.kind == K::kLastValue) {
          if (seg.n) pos = seg.e[seg.n - 1];
        } else {
          if (nth->is_null(perm_[i])) continue;
          int64_t n = nth->i64(perm_[i]);
          if (n <= 0) return InvalidArgument("argument of nth_value must be greater than zero");
          for (int k = 0; k < seg.n && pos < 0; k++) {
            int64_t len = seg.e[k] - seg.s[k] + 1;
            if (n <= len) pos = seg.s[k] + n - 1;
            else n -= len;
          }
        }
        if (pos >= 0) SetFrom(*out, i, x, perm_[size_t(pos)]);
      }
    }
    return Status::OK();
  }

  Status Aggregate(const WindowFunction& f, Vector* out) {
    std::vector<const Vector*> args;
    for (int c : f.inputs) args.push_back(&data_.columns[c]);
    const Vector* filter = f.filter >= 0 ? &data_.columns[f.filter] : nullptr;
    const function::AggregateSpec& spec = f.aggregate;
    auto add = [&](function::Accumulator& acc, int64_t pos) -> size_t {
      uint32_t r = perm_[size_t(pos)];
      if (filter && !(filter->valid(r) && filter->boolean(r))) return 0;
      return acc.Update(spec, args.data(), r);
    };
    // Frames that start at the partition and exclude nothing only grow: one running accumulator.
    bool running = f.frame.start.kind == B::kUnboundedPreceding && f.frame.exclude == FrameExclude::kNoOthers;
    for (const Part& p : parts_) {
      if (running) {
        function::Accumulator acc;
        int64_t added = int64_t(p.ps) - 1;
        Value last;
        bool have = false;
        size_t bytes = 0;
        Status st;
        for (size_t i = p.ps; i < p.pe && st.ok(); i++) {
          int64_t e = FrameEnd(f.frame, i, p);
          if (!have || e > added) {
            size_t more = 0;
            for (int64_t j = added + 1; j <= e; j++) more += add(acc, j);
            if (e > added) st = Tick(size_t(e - added));
            added = std::max(added, e);
            if (more && st.ok()) {
              bytes += more;
              st = ctx_.Charge(more, "window aggregate");
            }
            if (!st.ok()) break;
            Result<Value> v = acc.Finalize(spec);
            if (!v.ok()) st = v.status();
            else last = std::move(*v);
            have = true;
          }
          out->Set(i, last);
        }
        ctx_.Release(bytes);
        RETURN_IF_ERROR(st);
        continue;
      }
      for (size_t i = p.ps; i < p.pe; i++) {
        Segments seg = FrameOf(f.frame, i, p);
        function::Accumulator acc;
        size_t bytes = 0, rows = 1;
        for (int k = 0; k < seg.n; k++) {
          for (int64_t j = seg.s[k]; j <= seg.e[k]; j++) bytes += add(acc, j);
          rows += size_t(seg.e[k] - seg.s[k] + 1);
        }
        RETURN_IF_ERROR(Tick(rows));
        if (bytes) {  // held only while this row's result is computed
          Status st = ctx_.Charge(bytes, "window aggregate");
          ctx_.Release(bytes);
          RETURN_IF_ERROR(st);
        }
        ASSIGN_OR_RETURN(Value v, acc.Finalize(spec));
        out->Set(i, v);
      }
    }
    return Status::OK();
  }

  ExecContext& ctx_;
  const Chunk& data_;
  const std::vector<WindowOrder>& order_;
  const std::vector<uint32_t>& perm_;
  const std::vector<uint32_t>& grp_;
  const std::vector<uint32_t>& gstart_;
  const std::vector<Part>& parts_;
  size_t work_ = 0;
};

}  // namespace

std::string DescribeFrame(const WindowFrame& frame) {
  auto bound = [](const FrameBound& b) -> std::string {
    switch (b.kind) {
      case B::kUnboundedPreceding: return "UNBOUNDED PRECEDING";
      case B::kPreceding: return b.offset.ToString() + " PRECEDING";
      case B::kCurrentRow: return "CURRENT ROW";
      case B::kFollowing: return b.offset.ToString() + " FOLLOWING";
      case B::kUnboundedFollowing: return "UNBOUNDED FOLLOWING";
    }
    return "?";
  };
  std::string s = frame.mode == FrameMode::kRows ? "ROWS" : frame.mode == FrameMode::kRange ? "RANGE" : "GROUPS";
  s += " BETWEEN " + bound(frame.start) + " AND " + bound(frame.end);
  switch (frame.exclude) {
    case FrameExclude::kNoOthers: break;
    case FrameExclude::kCurrentRow: s += " EXCLUDE CURRENT ROW"; break;
    case FrameExclude::kGroup: s += " EXCLUDE GROUP"; break;
    case FrameExclude::kTies: s += " EXCLUDE TIES"; break;
  }
  return s;
}

namespace {

size_t MinInputs(const WindowFunction& f) {
  switch (f.kind) {
    case K::kNtile:
    case K::kLag:
    case K::kLead:
    case K::kFirstValue:
    case K::kLastValue: return 1;
    case K::kNthValue: return 2;
    case K::kAggregate: return function::NumInputs(f.aggregate);
    default: return 0;
  }
}

size_t MaxInputs(const WindowFunction& f) {
  return f.kind == K::kLag || f.kind == K::kLead ? 3 : MinInputs(f);
}

Type OutputType(const WindowFunction& f, const std::vector<Type>& in) {
  switch (f.kind) {
    case K::kPercentRank:
    case K::kCumeDist: return Type::kDouble;
    case K::kLag:
    case K::kLead:
    case K::kFirstValue:
    case K::kLastValue:
    case K::kNthValue:
      return f.inputs.empty() || f.inputs[0] < 0 || size_t(f.inputs[0]) >= in.size() ? Type::kInt64 : in[f.inputs[0]];
    case K::kAggregate: return f.aggregate.output_type;
    default: return Type::kInt64;
  }
}

// PostgreSQL's checks of a frame (the parser's and the executor's), in its words.
Status ValidateFrame(const WindowFrame& f, const std::vector<WindowOrder>& order, const std::vector<Type>& in) {
  if (f.start.kind == B::kUnboundedFollowing) return InvalidArgument("frame start cannot be UNBOUNDED FOLLOWING");
  if (f.end.kind == B::kUnboundedPreceding) return InvalidArgument("frame end cannot be UNBOUNDED PRECEDING");
  if (f.start.kind == B::kCurrentRow && f.end.kind == B::kPreceding)
    return InvalidArgument("frame starting from current row cannot have preceding rows");
  if (f.start.kind == B::kFollowing && (f.end.kind == B::kPreceding || f.end.kind == B::kCurrentRow))
    return InvalidArgument("frame starting from following row cannot have preceding rows");
  if (f.mode == FrameMode::kGroups && order.empty()) return InvalidArgument("GROUPS mode requires an ORDER BY clause");
  for (const FrameBound* b : {&f.start, &f.end}) {
    if (b->kind != B::kPreceding && b->kind != B::kFollowing) continue;
    const char* which = b == &f.start ? "starting" : "ending";
    const Value& off = b->offset;
    if (off.is_null()) return InvalidArgument("frame {} offset must not be null", which);
    if (f.mode != FrameMode::kRange) {
      if (off.type() != Type::kInt64)
        return InvalidArgument("argument of {} must be type bigint, not type {}", f.mode == FrameMode::kRows ? "ROWS" : "GROUPS",
                               TypeName(off.type()));
      if (off.as_int() < 0) return InvalidArgument("frame {} offset must not be negative", which);
      continue;
    }
    if (order.size() != 1)
      return InvalidArgument("RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column");
    Type key = in[order[0].column];
    bool numeric_offset = off.type() == Type::kInt64 || off.type() == Type::kDouble;
    if (key == Type::kBool || key == Type::kText || !numeric_offset ||
        (key == Type::kTimestamp && off.type() != Type::kInt64))
      return InvalidArgument("RANGE with offset PRECEDING/FOLLOWING is not supported for column type {} and offset type {}",
                             TypeName(key), key == Type::kTimestamp && off.type() == Type::kInt64 ? "interval" : TypeName(off.type()));
    if (off.numeric() < 0 || std::isnan(off.numeric()))
      return InvalidArgument("invalid preceding or following size in window function");
  }
  return Status::OK();
}

Status Validate(const WindowFunction& f, const std::vector<WindowOrder>& order, const std::vector<Type>& in) {
  if (f.inputs.size() < MinInputs(f) || f.inputs.size() > MaxInputs(f))
    return Internal("window function {}: {} input columns, expected {}", FunctionName(f.kind), f.inputs.size(), MinInputs(f));
  for (int c : f.inputs)
    if (c < 0 || size_t(c) >= in.size()) return Internal("window function {}: no input column {}", FunctionName(f.kind), c);
  if (f.filter >= 0 && (size_t(f.filter) >= in.size() || in[f.filter] != Type::kBool))
    return Internal("window function {}: FILTER column {} is not boolean", FunctionName(f.kind), f.filter);
  return UsesFrame(f.kind) ? ValidateFrame(f.frame, order, in) : Status::OK();
}

}  // namespace

Window::Window(PhysicalOperatorPtr child, std::vector<int> partition, std::vector<WindowOrder> order,
               std::vector<WindowFunction> functions)
    : partition_(std::move(partition)), order_(std::move(order)), functions_(std::move(functions)) {
  types_ = child->types();
  const std::vector<Type>& in = child->types();
  for (const WindowFunction& f : functions_) types_.push_back(OutputType(f, in));
  children_.push_back(std::move(child));
}

Status Window::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  size_t charged = 0;
  Status st = Run(ctx, out, &charged);
  ctx.Release(charged);
  stats_.micros += MonotonicMicros() - start;
  return st;
}

Status Window::Run(ExecContext& ctx, Sink& out, size_t* charged) {
  const std::vector<Type>& in = children_[0]->types();
  for (const WindowOrder& o : order_)
    if (o.column < 0 || size_t(o.column) >= in.size()) return Internal("window: no order column {}", o.column);
  for (int c : partition_)
    if (c < 0 || size_t(c) >= in.size()) return Internal("window: no partition column {}", c);
  for (const WindowFunction& f : functions_) RETURN_IF_ERROR(Validate(f, order_, in));

  Chunk data(in);
  MaterializeSink sink(ctx, data, *charged);
  RETURN_IF_ERROR(children_[0]->Produce(ctx, sink));
  const size_t n = data.rows;
  auto charge = [&](size_t bytes) {
    *charged += bytes;
    return ctx.Charge(bytes, "window");
  };
  RETURN_IF_ERROR(charge(n * 3 * sizeof(uint32_t)));  // perm, grp, gstart

  // Sort by (partition, order); stable, so full ties keep their input order.
  std::vector<uint32_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  auto compare = [&](uint32_t a, uint32_t b, bool partition_only) {
    for (int c : partition_)
      if (int x = CompareKey(data.columns[c], a, b, false, false)) return x;
    if (partition_only) return 0;
    for (const WindowOrder& o : order_)
      if (int x = CompareKey(data.columns[o.column], a, b, o.descending, o.nulls_first)) return x;
    return 0;
  };
  RETURN_IF_ERROR(ctx.Check());
  if (!partition_.empty() || !order_.empty())
    std::stable_sort(perm.begin(), perm.end(), [&](uint32_t a, uint32_t b) { return compare(a, b, false) < 0; });
  RETURN_IF_ERROR(ctx.Check());

  // Partitions and peer groups (rows equal on every order column) over the sorted positions.
  std::vector<uint32_t> grp(n), gstart;
  std::vector<Part> parts;
  for (size_t i = 0; i < n; i++) {
    bool new_part = i == 0 || compare(perm[i - 1], perm[i], true) != 0;
    if (new_part) {
      if (!parts.empty()) {
        parts.back().pe = i;
        parts.back().g1 = uint32_t(gstart.size());
      }
      parts.push_back(Part{i, n, uint32_t(gstart.size()), 0});
    }
    if (new_part || compare(perm[i - 1], perm[i], false) != 0) gstart.push_back(uint32_t(i));
    grp[i] = uint32_t(gstart.size() - 1);
  }
  if (!parts.empty()) parts.back().g1 = uint32_t(gstart.size());
  gstart.push_back(uint32_t(n));

  std::vector<Vector> results;
  Computer computer(ctx, data, order_, perm, grp, gstart, parts);
  for (size_t f = 0; f < functions_.size(); f++) {
    results.emplace_back(types_[in.size() + f]);
    RETURN_IF_ERROR(computer.Compute(functions_[f], &results.back()));
    RETURN_IF_ERROR(charge(results.back().ApproxBytes()));
  }

  CountingSink counting(stats_, out);
  bool stop = false;
  for (size_t o = 0; o < n && !stop; o += columnar::kChunkRows) {
    RETURN_IF_ERROR(ctx.Check());
    size_t m = std::min(columnar::kChunkRows, n - o);
    Chunk chunk(types_);
    for (size_t c = 0; c < in.size(); c++) {
      Vector& col = chunk.columns[c];
      col.ShareHeap(data.columns[c]);
      col.Reserve(m);
      for (size_t i = o; i < o + m; i++) AppendRef(col, data.columns[c], perm[i]);
    }
    for (size_t f = 0; f < results.size(); f++) {
      Vector& col = chunk.columns[in.size() + f];
      col.ShareHeap(results[f]);
      col.Reserve(m);
      for (size_t i = o; i < o + m; i++) AppendRef(col, results[f], i);
    }
    chunk.rows = m;
    RETURN_IF_ERROR(counting.Push(chunk, &stop));
  }
  return Status::OK();
}

std::string Window::Describe() const {
  std::string s = "Window";
  if (!partition_.empty()) {
    s += " partition: ";
    for (size_t i = 0; i < partition_.size(); i++) s += (i ? ", #" : "#") + std::to_string(partition_[i]);
    s += ";";
  }
  if (!order_.empty()) {
    s += " order: ";
    for (size_t i = 0; i < order_.size(); i++) {
      const WindowOrder& o = order_[i];
      s += (i ? ", #" : "#") + std::to_string(o.column) + (o.descending ? " DESC" : "");
      if (o.nulls_first != o.descending) s += o.nulls_first ? " NULLS FIRST" : " NULLS LAST";
    }
    s += ";";
  }
  s += " functions: ";
  for (size_t i = 0; i < functions_.size(); i++) {
    const WindowFunction& f = functions_[i];
    if (i) s += ", ";
    if (!f.name.empty()) {
      s += f.name;
      continue;
    }
    if (f.kind == K::kAggregate) {
      s += DescribeAggregate(AggregateCall{f.aggregate, f.inputs, f.filter, ""});
    } else {
      s += std::string(FunctionName(f.kind)) + "(";
      for (size_t k = 0; k < f.inputs.size(); k++) s += (k ? ", #" : "#") + std::to_string(f.inputs[k]);
      s += ")";
    }
    if (UsesFrame(f.kind)) s += " OVER (" + DescribeFrame(f.frame) + ")";
  }
  return s;
}

}  // namespace laminar::execution
