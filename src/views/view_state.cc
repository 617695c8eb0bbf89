#include "views/view_state.h"

#include <cmath>
#include <cstring>

namespace laminar::views {

void AppendGroupKey(const Value& v, std::string* key) {
  if (v.is_null()) {
    key->push_back('\0');
    return;
  }
  key->push_back(static_cast<char>(1 + static_cast<int>(v.type())));
  switch (v.type()) {
    case Type::kBool:
    case Type::kInt64:
    case Type::kTimestamp: {
      int64_t i = v.as_int();
      key->append(reinterpret_cast<const char*>(&i), sizeof i);
      break;
    }
    case Type::kDouble: {
      double d = v.as_double();
      if (d == 0) d = 0;  // -0.0 and 0.0 group together
      key->append(reinterpret_cast<const char*>(&d), sizeof d);
      break;
    }
    case Type::kText: {
      uint32_t n = static_cast<uint32_t>(v.as_text().size());
      key->append(reinterpret_cast<const char*>(&n), sizeof n);
      key->append(v.as_text());
      break;
    }
  }
}

void ViewState::EncodeKey(const std::vector<Value>& dims, std::string* key) {
  key->clear();
  for (const Value& v : dims) AppendGroupKey(v, key);
}

Group& ViewState::GroupFor(const std::vector<Value>& dims) {
  EncodeKey(dims, &key_buf_);
  auto [it, inserted] = index_.try_emplace(key_buf_, static_cast<uint32_t>(groups_.size()));
  if (inserted) {
    Group g;
    g.dims = dims;
    g.aggs.resize(def_->measures.size());
    groups_.push_back(std::move(g));
  }
  return groups_[it->second];
}

const Group* ViewState::Find(const std::vector<Value>& dims, std::string* scratch) const {
  EncodeKey(dims, scratch);
  auto it = index_.find(*scratch);
  return it == index_.end() ? nullptr : &groups_[it->second];
}

size_t ViewState::Apply(const ingest::RowBatch& batch) {
  const ViewDef& def = *def_;
  // Materialise only the columns the filter and the dimensions read.
  std::vector<char> needed(batch.num_columns(), 0);
  if (def.filter) sql::VisitColumns(*def.filter, [&](int c) { needed[c] = 1; });
  for (const auto& d : def.dims) sql::VisitColumns(*d.expr, [&](int c) { needed[c] = 1; });
  std::vector<Value> row(batch.num_columns());
  std::vector<Value> dims(def.dims.size());
  size_t applied = 0;
  for (size_t r = 0; r < batch.num_rows(); r++) {
    for (size_t c = 0; c < needed.size(); c++)
      if (needed[c]) row[c] = batch.column(c).Get(r);
    if (def.filter && !sql::EvalPredicate(*def.filter, row.data())) continue;
    applied++;
    for (size_t d = 0; d < def.dims.size(); d++) dims[d] = sql::Eval(*def.dims[d].expr, row.data());
    Group& g = GroupFor(dims);
    for (size_t m = 0; m < def.measures.size(); m++) {
      const MeasureDef& md = def.measures[m];
      AggState& s = g.aggs[m];
      if (md.kind == AggKind::kCountStar) {
        s.count++;
        continue;
      }
      const ingest::Column& col = batch.column(md.column);
      if (col.is_null(r)) continue;
      switch (md.kind) {
        case AggKind::kCountStar:
        case AggKind::kCount: s.count++; break;
        case AggKind::kSum:
        case AggKind::kAvg:
          s.count++;
          if (md.input_type == Type::kDouble) s.fsum.Add(col.doubles[r]);
          else s.isum += col.ints[r];
          break;
        case AggKind::kMin:
        case AggKind::kMax: {
          Value v = col.Get(r);
          if (s.count == 0) {
            s.extreme = std::move(v);
          } else {
            int cmp = Value::Compare(v, s.extreme);
            if ((md.kind == AggKind::kMin && cmp < 0) || (md.kind == AggKind::kMax && cmp > 0))
              s.extreme = std::move(v);
          }
          s.count++;
          break;
        }
        case AggKind::kApproxCountDistinct:
          s.count++;
          s.hll.GetOrCreate().AddHash(HashColumnValue(col, r));
          break;
        case AggKind::kApproxPercentile: {
          double x = md.input_type == Type::kDouble ? col.doubles[r] : static_cast<double>(col.ints[r]);
          if (!std::isfinite(x)) break;  // NaN and ±Infinity are skipped (docs/sql.md)
          s.count++;
          s.dd.GetOrCreate().Add(x);
          break;
        }
      }
    }
  }
  return applied;
}

void ViewState::Merge(const ViewState& other) {
  if (!def_) def_ = other.def_;
  for (const Group& og : other.groups_) {
    Group& g = GroupFor(og.dims);
    for (size_t m = 0; m < og.aggs.size(); m++) g.aggs[m].Merge(def_->measures[m].kind, og.aggs[m]);
  }
}

size_t ViewState::ApproxBytes() const {
  size_t per_group = sizeof(Group) + def_->dims.size() * (sizeof(Value) + 16) +
                     def_->measures.size() * (sizeof(AggState) + 16) + 48;
  size_t sketches = 0;
  for (const MeasureDef& m : def_->measures) {
    if (m.kind != AggKind::kApproxCountDistinct && m.kind != AggKind::kApproxPercentile) continue;
    size_t i = &m - def_->measures.data();
    for (const Group& g : groups_) {
      if (g.aggs[i].hll) sketches += g.aggs[i].hll->ApproxBytes();
      if (g.aggs[i].dd) sketches += g.aggs[i].dd->ApproxBytes();
    }
  }
  return groups_.size() * per_group + sketches;
}

bool ViewState::SameAs(const ViewState& other) const {
  if (groups_.size() != other.groups_.size()) return false;
  std::string key;
  for (const Group& g : groups_) {
    EncodeKey(g.dims, &key);
    auto it = other.index_.find(key);
    if (it == other.index_.end()) return false;
    const Group& og = other.groups_[it->second];
    for (size_t m = 0; m < g.aggs.size(); m++)
      if (!(g.aggs[m] == og.aggs[m])) return false;
  }
  return true;
}

}  // namespace laminar::views
