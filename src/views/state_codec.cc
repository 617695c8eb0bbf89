#include "views/state_codec.h"

#include <cstring>

namespace laminar::views {
namespace {

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

void PutValue(std::string* out, const Value& v) {
  if (v.is_null()) {
    out->push_back(0);
    return;
  }
  out->push_back(static_cast<char>(1 + static_cast<int>(v.type())));
  switch (v.type()) {
    case Type::kBool:
    case Type::kInt64:
    case Type::kTimestamp:
    case Type::kDate: Put<int64_t>(out, v.as_int()); break;
    case Type::kDouble: Put<double>(out, v.as_double()); break;
    case Type::kText:
      Put<uint32_t>(out, static_cast<uint32_t>(v.as_text().size()));
      out->append(v.as_text());
      break;
  }
}

class Reader {
 public:
  explicit Reader(std::string_view d) : d_(d) {}
  template <typename T>
  bool Get(T* v) {
    if (d_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, d_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool GetValue(Value* v) {
    uint8_t tag;
    if (!Get(&tag)) return false;
    if (tag == 0) {
      *v = Value::Null();
      return true;
    }
    if (tag > 1 + static_cast<int>(Type::kDate)) return false;
    Type t = static_cast<Type>(tag - 1);
    switch (t) {
      case Type::kBool:
      case Type::kInt64:
      case Type::kTimestamp:
      case Type::kDate: {
        int64_t i;
        if (!Get(&i)) return false;
        *v = t == Type::kBool ? Value::Bool(i != 0)
             : t == Type::kInt64 ? Value::Int(i)
             : t == Type::kTimestamp ? Value::Timestamp(i)
                                     : Value::Date(i);
        return true;
      }
      case Type::kDouble: {
        double x;
        if (!Get(&x)) return false;
        *v = Value::Double(x);
        return true;
      }
      case Type::kText: {
        uint32_t n;
        if (!Get(&n) || d_.size() - pos_ < n) return false;
        *v = Value::Text(std::string(d_.substr(pos_, n)));
        pos_ += n;
        return true;
      }
    }
    return false;
  }
  size_t remaining() const { return d_.size() - pos_; }
  size_t pos() const { return pos_; }

 private:
  std::string_view d_;
  size_t pos_ = 0;
};

// Sketch encodings (docs/formats/views.md). Each starts with a format byte, so a later format can
// be added without breaking files written now.
constexpr uint8_t kHllFormat = 1;
constexpr uint8_t kDDSketchFormat = 1;
enum : uint8_t { kHllEmpty = 0, kHllSparse = 1, kHllDense = 2 };

void PutHll(std::string* out, const Hll* h) {
  out->push_back(static_cast<char>(kHllFormat));
  out->push_back(static_cast<char>(Hll::kP));
  if (!h || h->empty()) {
    out->push_back(static_cast<char>(kHllEmpty));
  } else if (!h->is_dense()) {
    out->push_back(static_cast<char>(kHllSparse));
    Put<uint32_t>(out, static_cast<uint32_t>(h->sparse().size()));
    for (uint32_t e : h->sparse()) Put<uint32_t>(out, e);
  } else {
    out->push_back(static_cast<char>(kHllDense));
    out->append(reinterpret_cast<const char*>(h->registers().data()), h->registers().size());
  }
}

void PutStore(std::string* out, const DDSketch::Store& s) {
  Put<int32_t>(out, s.offset);
  Put<uint32_t>(out, static_cast<uint32_t>(s.counts.size()));
  for (int64_t c : s.counts) Put<int64_t>(out, c);
}

void PutDDSketch(std::string* out, const DDSketch* d) {
  out->push_back(static_cast<char>(kDDSketchFormat));
  if (!d || d->count() == 0) {
    out->push_back(0);
    return;
  }
  out->push_back(1);
  Put<double>(out, DDSketch::kAlpha);
  Put<int64_t>(out, d->zero_count());
  Put<double>(out, d->min());
  Put<double>(out, d->max());
  PutStore(out, d->negative());
  PutStore(out, d->positive());
}

// Values of a column of type `want` may be NULL; bigint measures of double input are not mixed.
bool TypeFits(const Value& v, Type want) { return v.is_null() || v.type() == want; }

}  // namespace

void EncodeViewState(const ViewState& state, std::string* out) {
  Put<uint64_t>(out, state.num_groups());
  for (const Group& g : state.groups()) {
    for (const Value& v : g.dims) PutValue(out, v);
    for (const AggState& a : g.aggs) {
      Put<int64_t>(out, a.count);
      unsigned __int128 u = static_cast<unsigned __int128>(a.isum);
      Put<uint64_t>(out, static_cast<uint64_t>(u));
      Put<uint64_t>(out, static_cast<uint64_t>(u >> 64));
      Put<uint32_t>(out, static_cast<uint32_t>(a.fsum.partials().size()));
      for (double p : a.fsum.partials()) Put<double>(out, p);
      Put<uint32_t>(out, a.fsum.pos_inf());
      Put<uint32_t>(out, a.fsum.neg_inf());
      Put<uint32_t>(out, a.fsum.nan());
      PutValue(out, a.extreme);
      AggKind kind = state.def()->measures[&a - g.aggs.data()].kind;
      if (kind == AggKind::kApproxCountDistinct) PutHll(out, a.hll.get());
      if (kind == AggKind::kApproxPercentile) PutDDSketch(out, a.dd.get());
    }
  }
}

Result<ViewState> DecodeViewState(std::string_view data, const ViewDefPtr& def) {
  Reader r(data);
  ViewState state(def);
  uint64_t n;
  auto bad = [&](const char* what) {
    return Corruption("view state of {}: {} at byte {}", def->name, what, r.pos());
  };
  if (!r.Get(&n)) return bad("truncated group count");
  // Each group takes at least one byte per dimension and 36 per measure.
  size_t min_group = def->dims.size() + def->measures.size() * 36;
  if (min_group > 0 && n > r.remaining() / min_group) return bad("group count larger than the data");
  std::vector<Value> dims(def->dims.size());
  for (uint64_t i = 0; i < n; i++) {
    for (size_t d = 0; d < dims.size(); d++) {
      if (!r.GetValue(&dims[d])) return bad("bad dimension value");
      if (!TypeFits(dims[d], def->dims[d].type)) return bad("dimension value of the wrong type");
    }
    size_t before = state.num_groups();
    Group& g = state.GroupFor(dims);
    // (The one group of a view without dimensions exists from the start.)
    if (state.num_groups() == before && !(dims.empty() && i == 0)) return bad("duplicate group");
    for (size_t m = 0; m < def->measures.size(); m++) {
      AggState& a = g.aggs[m];
      uint64_t lo, hi;
      uint32_t np, pinf, ninf, nan;
      if (!r.Get(&a.count) || !r.Get(&lo) || !r.Get(&hi) || !r.Get(&np)) return bad("truncated measure");
      if (a.count < 0) return bad("negative count");
      a.isum = static_cast<__int128>((static_cast<unsigned __int128>(hi) << 64) | lo);
      if (np > r.remaining() / sizeof(double)) return bad("partial count larger than the data");
      std::vector<double> partials(np);
      for (auto& p : partials)
        if (!r.Get(&p)) return bad("truncated partials");
      if (!r.Get(&pinf) || !r.Get(&ninf) || !r.Get(&nan)) return bad("truncated measure");
      a.fsum = ExactSum::FromParts(std::move(partials), pinf, ninf, nan);
      if (!r.GetValue(&a.extreme)) return bad("bad extreme value");
      const MeasureDef& md = def->measures[m];
      if ((md.kind == AggKind::kMin || md.kind == AggKind::kMax) && !TypeFits(a.extreme, md.input_type))
        return bad("min/max value of the wrong type");
      if (md.kind == AggKind::kApproxCountDistinct) {
        uint8_t format, p, form;
        if (!r.Get(&format) || !r.Get(&p) || !r.Get(&form)) return bad("truncated sketch");
        if (format != kHllFormat) return bad("unknown HyperLogLog format");
        if (p != Hll::kP) return bad("unsupported HyperLogLog precision");
        if (form == kHllEmpty) {
          if (a.count != 0) return bad("empty HyperLogLog with a non-zero count");
        } else if (form == kHllSparse) {
          uint32_t ne;
          if (!r.Get(&ne) || ne > r.remaining() / 4) return bad("truncated sparse HyperLogLog");
          std::vector<uint32_t> entries(ne);
          for (auto& e : entries)
            if (!r.Get(&e)) return bad("truncated sparse HyperLogLog");
          if (!Hll::FromSparse(std::move(entries), &a.hll.GetOrCreate())) return bad("invalid sparse HyperLogLog");
        } else if (form == kHllDense) {
          if (r.remaining() < Hll::kM) return bad("truncated dense HyperLogLog");
          std::vector<uint8_t> regs(Hll::kM);
          for (auto& x : regs) r.Get(&x);
          if (!Hll::FromDense(std::move(regs), &a.hll.GetOrCreate())) return bad("invalid dense HyperLogLog");
        } else {
          return bad("unknown HyperLogLog form");
        }
        if (form != kHllEmpty && a.count == 0) return bad("non-empty HyperLogLog with a zero count");
      }
      if (md.kind == AggKind::kApproxPercentile) {
        uint8_t format, present;
        if (!r.Get(&format) || !r.Get(&present)) return bad("truncated sketch");
        if (format != kDDSketchFormat) return bad("unknown DDSketch format");
        if (present > 1) return bad("bad DDSketch flag");
        if (present == 0) {
          if (a.count != 0) return bad("empty DDSketch with a non-zero count");
        } else {
          double alpha, mn, mx;
          int64_t zero;
          DDSketch::Store stores[2];
          if (!r.Get(&alpha) || !r.Get(&zero) || !r.Get(&mn) || !r.Get(&mx)) return bad("truncated DDSketch");
          if (alpha != DDSketch::kAlpha) return bad("unsupported DDSketch accuracy");
          for (auto& st : stores) {
            uint32_t nb;
            if (!r.Get(&st.offset) || !r.Get(&nb) || nb > r.remaining() / 8) return bad("truncated DDSketch");
            st.counts.resize(nb);
            for (auto& c : st.counts)
              if (!r.Get(&c)) return bad("truncated DDSketch");
          }
          if (!DDSketch::FromParts(std::move(stores[0]), std::move(stores[1]), zero, mn, mx, &a.dd.GetOrCreate()))
            return bad("invalid DDSketch");
          if (a.dd->count() != a.count) return bad("DDSketch count does not match the measure's count");
        }
      }
    }
  }
  if (r.remaining() != 0) return bad("trailing bytes");
  return state;
}

}  // namespace laminar::views
