#include "views/view_state.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "ingest/row_batch_chunk.h"
#include "sql/vector_eval.h"

namespace laminar::views {

namespace {

// One cell of the group-key encoding: a tag byte (0 NULL, 1 + Type) and the payload. Doubles:
// -0.0 as 0.0 and every NaN as one NaN, so that they group together (as GROUP BY does).
void AppendKeyInt(Type t, int64_t i, std::string* key) {
  key->push_back(static_cast<char>(1 + static_cast<int>(t)));
  key->append(reinterpret_cast<const char*>(&i), sizeof i);
}
void AppendKeyDouble(double d, std::string* key) {
  key->push_back(static_cast<char>(1 + static_cast<int>(Type::kDouble)));
  if (d == 0) d = 0;
  if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
  key->append(reinterpret_cast<const char*>(&d), sizeof d);
}
void AppendKeyText(std::string_view t, std::string* key) {
  key->push_back(static_cast<char>(1 + static_cast<int>(Type::kText)));
  uint32_t n = static_cast<uint32_t>(t.size());
  key->append(reinterpret_cast<const char*>(&n), sizeof n);
  key->append(t);
}

}  // namespace

void AppendGroupKey(const Value& v, std::string* key) {
  if (v.is_null()) {
    key->push_back('\0');
    return;
  }
  switch (v.type()) {
    case Type::kDouble: AppendKeyDouble(v.as_double(), key); return;
    case Type::kText: AppendKeyText(v.as_text(), key); return;
    default: AppendKeyInt(v.type(), v.as_int(), key); return;
  }
}

void AppendGroupKey(const columnar::Vector& v, size_t row, std::string* key) {
  if (!v.valid(row)) {
    key->push_back('\0');
    return;
  }
  switch (v.type()) {
    case Type::kDouble: AppendKeyDouble(v.f64(row), key); return;
    case Type::kText: AppendKeyText(v.str(row), key); return;
    default: AppendKeyInt(v.type(), v.i64(row), key); return;
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
    Added(it->second);
  }
  return groups_[it->second];
}

void ViewState::Added(uint32_t group) {
  if (!groups_[group].dims.empty()) by_leading_[groups_[group].dims[0]].push_back(group);
}

const Group* ViewState::Find(const std::vector<Value>& dims, std::string* scratch) const {
  EncodeKey(dims, scratch);
  auto it = index_.find(*scratch);
  return it == index_.end() ? nullptr : &groups_[it->second];
}

size_t ViewState::Apply(const ingest::RowBatch& batch) {
  const ViewDef& def = *def_;
  const size_t n = batch.num_rows();
  if (n == 0) return 0;
  // The columns the filter and the dimensions read, as column vectors (text by reference into
  // the batch); the expressions are evaluated a batch at a time (sql/vector_eval.h).
  const size_t ncols = batch.num_columns();
  std::vector<char> needed(ncols, 0);
  if (def.filter) sql::VisitColumns(*def.filter, [&](int c) { needed[c] = 1; });
  for (const auto& d : def.dims) sql::VisitColumns(*d.expr, [&](int c) { needed[c] = 1; });
  std::vector<int> identity(ncols), read;
  for (size_t c = 0; c < ncols; c++) {
    identity[c] = static_cast<int>(c);
    if (needed[c]) read.push_back(static_cast<int>(c));
  }
  columnar::Chunk part = ingest::ChunkOfBatch(batch, read, identity);
  columnar::Chunk chunk;
  chunk.rows = n;
  for (size_t c = 0; c < ncols; c++) chunk.columns.emplace_back(batch.column(c).type);
  for (size_t i = 0; i < read.size(); i++) chunk.columns[read[i]] = std::move(part.columns[i]);

  std::vector<uint32_t> sel;
  if (def.filter) {
    sql::EvalSelect(*def.filter, chunk, &sel);
  } else {
    sel.resize(n);
    for (size_t r = 0; r < n; r++) sel[r] = static_cast<uint32_t>(r);
  }
  std::vector<columnar::Vector> computed(def.dims.size());
  std::vector<const columnar::Vector*> dims(def.dims.size());
  for (size_t d = 0; d < def.dims.size(); d++) {
    const sql::Expr& e = *def.dims[d].expr;
    if (e.kind == sql::ExprKind::kColumn) {
      dims[d] = &chunk.columns[e.column];
    } else {
      sql::EvalVector(e, chunk, &computed[d]);
      dims[d] = &computed[d];
    }
  }
  // A row that fails to evaluate has a NULL dimension, as before; the statement-level error slot
  // is not the speed layer's to keep.
  sql::ClearEvalError();

  for (uint32_t r : sel) {
    key_buf_.clear();
    for (const columnar::Vector* v : dims) AppendGroupKey(*v, r, &key_buf_);
    auto [it, inserted] = index_.try_emplace(key_buf_, static_cast<uint32_t>(groups_.size()));
    if (inserted) {
      Group ng;
      ng.dims.reserve(dims.size());
      for (const columnar::Vector* v : dims) ng.dims.push_back(v->Get(r));
      ng.aggs.resize(def.measures.size());
      groups_.push_back(std::move(ng));
      Added(it->second);
    }
    Group& g = groups_[it->second];
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
  return sel.size();
}

void ViewState::Merge(const ViewState& other) {
  if (!def_) def_ = other.def_;
  for (const Group& og : other.groups_) {
    Group& g = GroupFor(og.dims);
    for (size_t m = 0; m < og.aggs.size(); m++) g.aggs[m].Merge(def_->measures[m].kind, og.aggs[m]);
  }
}

size_t ViewState::ApproxBytes() const {
  if (!def_ || groups_.empty()) return 0;
  size_t per_group = sizeof(Group) + def_->dims.size() * (sizeof(Value) + 16) +
                     def_->measures.size() * (sizeof(AggState) + 16) + 48 + sizeof(uint32_t);
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
