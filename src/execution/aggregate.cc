#include "execution/aggregate.h"

#include <absl/container/flat_hash_map.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "common/time_util.h"

namespace laminar::execution {

void AppendGroupKey(const Vector& v, size_t row, std::string* key) {
  if (v.is_null(row)) {
    key->push_back('\0');
    return;
  }
  key->push_back(static_cast<char>(1 + static_cast<int>(v.type())));
  switch (v.type()) {
    case Type::kDouble: {
      double d = v.f64(row);
      if (d == 0) d = 0;  // -0.0 and 0.0 group together
      if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();  // so does every NaN
      key->append(reinterpret_cast<const char*>(&d), sizeof d);
      break;
    }
    case Type::kText: {
      std::string_view s = v.str(row);
      uint32_t n = static_cast<uint32_t>(s.size());
      key->append(reinterpret_cast<const char*>(&n), sizeof n);
      key->append(s);
      break;
    }
    default: {
      int64_t i = v.i64(row);
      key->append(reinterpret_cast<const char*>(&i), sizeof i);
      break;
    }
  }
}

void AppendRef(Vector& dst, const Vector& src, size_t row) {
  if (src.is_null(row)) return dst.AppendNull();
  switch (dst.type()) {
    case Type::kDouble: return dst.AppendDouble(src.type() == Type::kDouble ? src.f64(row) : double(src.i64(row)));
    case Type::kText: return dst.AppendTextRef(src.str(row));
    default: return dst.AppendInt(src.i64(row));
  }
}

std::string DescribeAggregate(const AggregateCall& call) {
  if (!call.name.empty()) return call.name;
  const function::AggregateSpec& spec = call.spec;
  std::string s = std::string(function::AggregateName(spec.kind)) + "(";
  if (spec.distinct) s += "DISTINCT ";
  size_t args = spec.arg_types.size();
  if (spec.kind == function::AggregateKind::kCountStar) s += "*";
  for (size_t i = 0; i < args && i < call.inputs.size(); i++) s += (i ? ", #" : "#") + std::to_string(call.inputs[i]);
  for (size_t k = 0; k < spec.order.size() && args + k < call.inputs.size(); k++)
    s += (k ? ", #" : " ORDER BY #") + std::to_string(call.inputs[args + k]) + (spec.order[k].descending ? " DESC" : "");
  s += ")";
  if (call.filter >= 0) s += " FILTER (#" + std::to_string(call.filter) + ")";
  return s;
}

namespace {

// The groups of one grouping set.
struct GroupSet {
  std::vector<int> positions;     // positions in the operator's keys
  std::vector<int> slot;          // per key position: its column in `keys`, or -1 (NULL)
  absl::flat_hash_map<std::string, uint32_t> index;  // encoded key → group
  Chunk keys;                     // one row per group: the set's key columns
  std::vector<function::Accumulator> accs;  // groups × aggregates
  size_t groups = 0;
  // Memory: the index's and the accumulators' buffers as last charged (a buffer that grows is
  // charged in full again: the old one lives until the new one is filled), and key strings.
  size_t index_bytes = 0, accs_bytes = 0;
};

// Bytes of a buffer that grew from `before` to `now` (both capacities in bytes): the new buffer
// in full, since the old one is alive while it is copied (the old stays charged: conservative).
size_t Grown(size_t* before, size_t now) {
  if (now <= *before) return 0;
  *before = now;
  return now;
}

class AggregateSink : public Sink {
 public:
  AggregateSink(ExecContext& ctx, const std::vector<int>& keys, const std::vector<AggregateCall>& aggs,
                std::vector<GroupSet>& sets)
      : ctx_(ctx), keys_(keys), aggs_(aggs), sets_(sets) {}

  Status Push(Chunk& chunk, bool* stop) override {
    RETURN_IF_ERROR(ctx_.Check());
    size_t n = chunk.rows;
    for (GroupSet& s : sets_) {
      gids_.assign(n, 0);
      if (!s.positions.empty()) {
        for (size_t r = 0; r < n; r++) {
          key_.clear();
          for (int p : s.positions) AppendGroupKey(chunk.columns[keys_[p]], r, &key_);
          auto [it, inserted] = s.index.try_emplace(key_, static_cast<uint32_t>(s.groups));
          if (inserted) {
            size_t before = s.keys.ApproxBytes();
            for (size_t c = 0; c < s.positions.size(); c++) s.keys.columns[c].AppendFrom(chunk.columns[keys_[s.positions[c]]], r);
            s.keys.rows++;
            s.groups++;
            s.accs.resize(s.groups * aggs_.size());
            size_t after = s.keys.ApproxBytes();
            size_t bytes = (key_.size() > 15 ? key_.size() + 17 : 0) + 2 * (after - std::min(before, after)) +
                           Grown(&s.index_bytes, s.index.capacity() * (sizeof(std::pair<const std::string, uint32_t>) + 1)) +
                           Grown(&s.accs_bytes, s.accs.capacity() * sizeof(function::Accumulator));
            if (bytes) RETURN_IF_ERROR(Charge(bytes));
          }
          gids_[r] = it->second;
        }
      }
      size_t added = 0;
      for (size_t a = 0; a < aggs_.size(); a++) {
        const AggregateCall& call = aggs_[a];
        args_.clear();
        for (int c : call.inputs) args_.push_back(&chunk.columns[c]);
        const Vector* filter = call.filter >= 0 ? &chunk.columns[call.filter] : nullptr;
        size_t na = aggs_.size();
        for (size_t r = 0; r < n; r++) {
          if (filter && !(filter->valid(r) && filter->boolean(r))) continue;
          added += s.accs[gids_[r] * na + a].Update(call.spec, args_.data(), r);
        }
      }
      if (added) RETURN_IF_ERROR(Charge(added));
    }
    return Status::OK();
  }

  Status Charge(size_t bytes) {
    charged_ += bytes;
    return ctx_.Charge(bytes, "hash aggregate");
  }
  size_t charged() const { return charged_; }

 private:
  ExecContext& ctx_;
  const std::vector<int>& keys_;
  const std::vector<AggregateCall>& aggs_;
  std::vector<GroupSet>& sets_;
  std::vector<uint32_t> gids_;
  std::vector<const Vector*> args_;
  std::string key_;
  size_t charged_ = 0;
};

}  // namespace

HashAggregate::HashAggregate(PhysicalOperatorPtr child, std::vector<int> keys, std::vector<AggregateCall> aggregates,
                             std::vector<std::vector<int>> grouping_sets, std::vector<std::vector<int>> grouping)
    : keys_(std::move(keys)), aggs_(std::move(aggregates)), sets_(std::move(grouping_sets)), grouping_(std::move(grouping)) {
  explicit_sets_ = !sets_.empty();
  if (sets_.empty()) {
    sets_.emplace_back();
    for (size_t k = 0; k < keys_.size(); k++) sets_[0].push_back(static_cast<int>(k));
  }
  const std::vector<Type>& in = child->types();
  for (int k : keys_) types_.push_back(in[k]);
  for (const AggregateCall& a : aggs_) types_.push_back(a.spec.output_type);
  for (size_t g = 0; g < grouping_.size(); g++) types_.push_back(Type::kInt64);
  children_.push_back(std::move(child));
}

Status HashAggregate::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  const std::vector<Type>& in = children_[0]->types();
  std::vector<GroupSet> sets(sets_.size());
  for (size_t i = 0; i < sets_.size(); i++) {
    GroupSet& s = sets[i];
    s.positions = sets_[i];
    s.slot.assign(keys_.size(), -1);
    std::vector<Type> types;
    for (size_t c = 0; c < s.positions.size(); c++) {
      s.slot[s.positions[c]] = static_cast<int>(c);
      types.push_back(in[keys_[s.positions[c]]]);
    }
    s.keys = Chunk(types);
    if (s.positions.empty()) {  // one group, also over no input
      s.groups = 1;
      s.accs.resize(aggs_.size());
    }
  }
  AggregateSink sink(ctx, keys_, aggs_, sets);
  Status st = sink.Charge(aggs_.size() * sizeof(function::Accumulator));
  if (st.ok()) st = children_[0]->Produce(ctx, sink);

  CountingSink counting(stats_, out);
  bool stop = false;
  const size_t nk = keys_.size(), na = aggs_.size();
  for (size_t si = 0; st.ok() && si < sets.size() && !stop; si++) {
    GroupSet& s = sets[si];
    std::vector<int64_t> grouping_values;
    for (const std::vector<int>& args : grouping_) {
      int64_t v = 0;
      for (int p : args) v = (v << 1) | (s.slot[p] < 0 ? 1 : 0);
      grouping_values.push_back(v);
    }
    for (size_t g0 = 0; g0 < s.groups && !stop; g0 += columnar::kChunkRows) {
      st = ctx.Check();
      if (!st.ok()) break;
      size_t g1 = std::min(s.groups, g0 + columnar::kChunkRows);
      Chunk chunk(types_);
      for (size_t k = 0; k < nk; k++) {
        Vector& col = chunk.columns[k];
        if (s.slot[k] < 0) {
          for (size_t g = g0; g < g1; g++) col.AppendNull();
        } else {
          const Vector& src = s.keys.columns[s.slot[k]];
          col.ShareHeap(src);
          for (size_t g = g0; g < g1; g++) AppendRef(col, src, g);
        }
      }
      for (size_t a = 0; a < na && st.ok(); a++) {
        Vector& col = chunk.columns[nk + a];
        for (size_t g = g0; g < g1; g++) {
          Result<Value> v = s.accs[g * na + a].Finalize(aggs_[a].spec);
          if (!v.ok()) {
            st = v.status();
            break;
          }
          col.Append(*v);
        }
      }
      if (!st.ok()) break;
      for (size_t i = 0; i < grouping_values.size(); i++)
        for (size_t g = g0; g < g1; g++) chunk.columns[nk + na + i].AppendInt(grouping_values[i]);
      chunk.rows = g1 - g0;
      st = counting.Push(chunk, &stop);
    }
  }
  ctx.Release(sink.charged());
  stats_.micros += MonotonicMicros() - start;
  return st;
}

std::string HashAggregate::Describe() const {
  auto cols = [&](const std::vector<int>& positions) {
    std::string s;
    for (size_t i = 0; i < positions.size(); i++) s += (i ? ", #" : "#") + std::to_string(keys_[positions[i]]);
    return s;
  };
  std::string s = "HashAggregate";
  if (!keys_.empty()) {
    std::vector<int> all;
    for (size_t k = 0; k < keys_.size(); k++) all.push_back(static_cast<int>(k));
    s += " keys: " + cols(all);
  }
  if (!aggs_.empty()) {
    s += keys_.empty() ? " aggregates: " : "; aggregates: ";
    for (size_t a = 0; a < aggs_.size(); a++) s += (a ? ", " : "") + DescribeAggregate(aggs_[a]);
  }
  if (explicit_sets_) {
    s += "; grouping sets: ";
    for (size_t i = 0; i < sets_.size(); i++) s += (i ? ", (" : "(") + cols(sets_[i]) + ")";
  }
  for (const std::vector<int>& g : grouping_) s += "; GROUPING(" + cols(g) + ")";
  return s;
}

}  // namespace laminar::execution
