#include "serving/view_source.h"

#include <algorithm>

namespace laminar::serving {

PinnedView::PinnedView(views::ViewDefPtr def, ViewSnapshot snapshot) : def_(std::move(def)), snap_(std::move(snapshot)) {
  base_rows_ = snap_.base ? snap_.base->num_groups() : 0;
}

size_t PinnedView::num_rows() const {
  size_t visited = 0;
  return base_rows_ + ResolveSpeed({}, &visited).only.size();
}

execution::TableInfo PinnedView::Describe(std::shared_ptr<const PinnedView> self) const {
  execution::TableInfo t;
  t.kind = execution::TableKind::kView;
  t.name = def_->name;
  for (const auto& c : def_->columns) {
    execution::TableColumn col{def_->ColumnName(c), def_->ColumnType(c)};
    if (!c.is_dimension) col.measure = c.index;
    t.columns.push_back(col);
  }
  t.row_ref_column = static_cast<int>(t.columns.size());
  execution::TableColumn ref{"#row", Type::kInt64};
  ref.hidden = true;
  t.columns.push_back(ref);
  t.measures = def_->measures;
  t.measure_states = std::move(self);
  // An estimate (a speed group may share its tuple with a batch group): no lookups here.
  t.estimated_rows = static_cast<double>(base_rows_ + snap_.state->num_groups() +
                                         (snap_.recent ? snap_.recent->num_groups() : 0));
  return t;
}

PinnedView::SpeedPart PinnedView::ResolveSpeed(const DimBounds& bounds, size_t* visited) const {
  // The speed parts are the small ones (the events above the batch horizon): look their admitted
  // tuples up in the larger parts, not the other way round. One key encoding probes each part.
  SpeedPart out;
  const views::ViewState* base = snap_.base.get();
  const views::ViewState& state = *snap_.state;
  std::string key;
  auto in = [&](const views::ViewState* s) { return s ? s->IndexOfKey(key) : kNone; };
  absl::flat_hash_map<uint32_t, uint32_t> recent_of;  // state group → recent group
  if (snap_.recent) {
    const views::ViewState& recent = *snap_.recent;
    (void)ForEachAdmitted(recent, bounds, visited, [&](uint32_t r) -> Status {  // never fails
      views::ViewState::KeyOf(recent.groups()[r].dims, &key);
      if (uint32_t g = in(&state); g != kNone) {
        recent_of[g] = r;
        return Status::OK();
      }
      Parts p{kNone, kNone, r};
      if (uint32_t b = in(base); b != kNone) out.partner[b] = p;
      else out.only.push_back(p);
      return Status::OK();
    });
  }
  (void)ForEachAdmitted(state, bounds, visited, [&](uint32_t g) -> Status {  // never fails
    auto it = recent_of.find(g);
    Parts p{kNone, g, it == recent_of.end() ? kNone : it->second};
    if (base) views::ViewState::KeyOf(state.groups()[g].dims, &key);
    if (uint32_t b = in(base); b != kNone) out.partner[b] = p;
    else out.only.push_back(p);
    return Status::OK();
  });
  return out;
}

const std::vector<Value>& PinnedView::Dims(const Parts& p) const {
  if (p.base != kNone) return snap_.base->groups()[p.base].dims;
  if (p.state != kNone) return snap_.state->groups()[p.state].dims;
  return snap_.recent->groups()[p.recent].dims;
}

template <typename Fn>
void PinnedView::ForEachPart(const Parts& p, int measure, Fn&& fn) const {
  if (p.base != kNone) fn(snap_.base->groups()[p.base].aggs[measure]);
  if (p.state != kNone) fn(snap_.state->groups()[p.state].aggs[measure]);
  if (p.recent != kNone) fn(snap_.recent->groups()[p.recent].aggs[measure]);
}

void PinnedView::MergeInto(int64_t row, int measure, views::AggState* into) const {
  views::AggKind kind = def_->measures[measure].kind;
  ForEachPart(refs_[static_cast<size_t>(row)], measure, [&](const views::AggState& s) { into->Merge(kind, s); });
}

Value PinnedView::MeasureValue(const Parts& p, int measure) const {
  const views::MeasureDef& m = def_->measures[measure];
  const views::AggState* one = nullptr;
  int parts = 0;
  ForEachPart(p, measure, [&](const views::AggState& s) {
    one = &s;
    parts++;
  });
  if (parts == 1) return one->Finalize(m);  // no merge needed
  views::AggState merged;
  ForEachPart(p, measure, [&](const views::AggState& s) { merged.Merge(m.kind, s); });
  return merged.Finalize(m);
}

template <typename Fn>
Status PinnedView::ForEachAdmitted(const views::ViewState& state, const DimBounds& bounds, size_t* visited, Fn&& fn) {
  // With a bound on the leading dimension (a time range, usually) only its groups are read, and
  // that bound needs no check per group.
  auto lead = std::find_if(bounds.begin(), bounds.end(), [](const auto& bd) { return bd.second == 0; });
  auto admitted = [&](uint32_t g) -> Status {
    (*visited)++;
    const std::vector<Value>& dims = state.groups()[g].dims;
    for (auto it = bounds.begin(); it != bounds.end(); ++it)
      if (it != lead && !it->first->Admits(dims[it->second])) return Status::OK();
    return fn(g);
  };
  if (lead != bounds.end()) {
    const execution::ColumnBound& b = *lead->first;
    return state.ForEachInLeadingRange(b.lo, b.lo_inclusive, b.hi, b.hi_inclusive, admitted);
  }
  for (uint32_t g = 0; g < state.num_groups(); g++) RETURN_IF_ERROR(admitted(g));
  return Status::OK();
}

template <typename Fn>
Status PinnedView::ForEachRow(const DimBounds& bounds, size_t* visited, Fn&& fn) const {
  SpeedPart speed = ResolveSpeed(bounds, visited);
  if (snap_.base) {
    RETURN_IF_ERROR(ForEachAdmitted(*snap_.base, bounds, visited, [&](uint32_t g) -> Status {
      auto it = speed.partner.find(g);
      Parts p = it == speed.partner.end() ? Parts{} : it->second;
      p.base = g;
      return fn(p);
    }));
  }
  for (const Parts& p : speed.only) RETURN_IF_ERROR(fn(p));
  return Status::OK();
}

Status PinnedView::Scan(const execution::ScanRequest& request, const execution::ScanChunkFn& fn,
                        execution::ScanStats* stats) const {
  const size_t ncols = def_->columns.size();
  stats->view_scans++;
  stats->batch_version = snap_.stats.batch_version;
  stats->horizon = snap_.stats.horizon;
  stats->speed_max_seq = snap_.stats.speed_max_seq;
  stats->speed_generations = snap_.stats.speed_generations;
  stats->definition_version = snap_.stats.definition_version;
  stats->batch_rows = base_rows_;
  stats->speed_rows = snap_.stats.speed_rows;
  // Bounds name dimension columns (a measure's value is computed per row: checked by the
  // scan's filter instead).
  // Bounds on one column (`hour >= a AND hour < b` gives two) are read as one, so that a range
  // on the leading dimension is all served by its index.
  std::vector<execution::ColumnBound> merged;
  merged.reserve(request.bounds.size());
  for (const auto& b : request.bounds) {
    if (b.column < 0 || static_cast<size_t>(b.column) >= ncols || !def_->columns[b.column].is_dimension) continue;
    auto same = std::find_if(merged.begin(), merged.end(), [&](const auto& m) { return m.column == b.column; });
    if (same == merged.end()) merged.push_back(b);
    else same->Intersect(b);
  }
  DimBounds dim_bounds;
  for (const auto& b : merged) dim_bounds.push_back({&b, def_->columns[b.column].index});
  std::vector<Type> types;
  for (int c : request.columns)
    types.push_back(static_cast<size_t>(c) == ncols ? Type::kInt64 : def_->ColumnType(def_->columns[c]));
  columnar::Chunk chunk(types);
  bool stop = false;
  auto flush = [&]() -> Status {
    if (chunk.rows == 0) return Status::OK();
    RETURN_IF_ERROR(fn(chunk, &stop));
    chunk.Clear();
    return Status::OK();
  };
  // The consumer's stop ends the walk through an error only the walk sees.
  const Status kStop = Cancelled("view scan stopped");
  size_t visited = 0;
  Status st = ForEachRow(dim_bounds, &visited, [&](const Parts& p) -> Status {
    const std::vector<Value>& dims = Dims(p);
    for (size_t i = 0; i < request.columns.size(); i++) {
      size_t c = static_cast<size_t>(request.columns[i]);
      columnar::Vector& v = chunk.columns[i];
      if (c == ncols) {
        v.AppendInt(static_cast<int64_t>(refs_.size()));
        refs_.push_back(p);
        continue;
      }
      const views::OutputColumn& oc = def_->columns[c];
      if (oc.is_dimension) {
        const Value& x = dims[oc.index];
        if (x.is_null()) v.AppendNull();
        else if (x.type() == Type::kText) v.AppendTextRef(x.as_text());  // the snapshot outlives the query
        else v.Append(x);
      } else {
        v.Append(MeasureValue(p, oc.index));
      }
    }
    chunk.rows++;
    if (chunk.rows == columnar::kChunkRows) RETURN_IF_ERROR(flush());
    return stop ? kStop : Status::OK();
  });
  if (!st.ok() && !stop) return st;
  if (!stop) RETURN_IF_ERROR(flush());
  stats->other_rows += visited;
  return Status::OK();
}

std::vector<std::vector<Value>> PinnedView::Rows() const {
  std::vector<std::vector<Value>> rows;
  rows.reserve(base_rows_ + snap_.state->num_groups());
  size_t visited = 0;
  Status st = ForEachRow({}, &visited, [&](const Parts& p) -> Status {
    const std::vector<Value>& dims = Dims(p);
    std::vector<Value> row;
    row.reserve(def_->columns.size());
    for (const auto& oc : def_->columns)
      row.push_back(oc.is_dimension ? dims[oc.index] : MeasureValue(p, oc.index));
    rows.push_back(std::move(row));
    return Status::OK();
  });
  (void)st;  // the callback never fails
  return rows;
}

}  // namespace laminar::serving
