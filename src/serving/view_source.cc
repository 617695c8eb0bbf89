#include "serving/view_source.h"

#include <algorithm>

namespace laminar::serving {

namespace {
int64_t RowRef(uint32_t base, uint32_t speed) {
  auto part = [](uint32_t i) { return i == UINT32_MAX ? int64_t{0} : int64_t{i} + 1; };
  return part(base) << 32 | part(speed);
}
}  // namespace

PinnedView::PinnedView(views::ViewDefPtr def, ViewSnapshot snapshot) : def_(std::move(def)), snap_(std::move(snapshot)) {
  base_rows_ = snap_.base ? snap_.base->num_groups() : 0;
}

size_t PinnedView::num_rows() const { return base_rows_ + ResolveSpeed({}).only.size(); }

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
  t.estimated_rows = static_cast<double>(base_rows_ + snap_.state->num_groups());
  return t;
}

PinnedView::SpeedPart PinnedView::ResolveSpeed(const DimBounds& bounds) const {
  // The speed state is the small part (the events above the batch horizon): look its admitted
  // tuples up in the batch version, not the other way round.
  SpeedPart out;
  const auto& speed = snap_.state->groups();
  std::string probe;
  size_t visited = 0;
  Status st = ForEachAdmitted(*snap_.state, bounds, &visited, [&](uint32_t i) -> Status {
    const views::Group* g = snap_.base ? snap_.base->Find(speed[i].dims, &probe) : nullptr;
    if (g) out.partner[static_cast<uint32_t>(g - snap_.base->groups().data())] = i;
    else out.only.push_back(i);
    return Status::OK();
  });
  (void)st;  // the callback never fails
  return out;
}

const std::vector<Value>& PinnedView::Dims(uint32_t base, uint32_t speed) const {
  return base != kNone ? snap_.base->groups()[base].dims : snap_.state->groups()[speed].dims;
}

void PinnedView::MergeInto(int64_t row, int measure, views::AggState* into) const {
  views::AggKind kind = def_->measures[measure].kind;
  const int64_t base = row >> 32, speed = row & 0xffffffff;
  if (base > 0) into->Merge(kind, snap_.base->groups()[base - 1].aggs[measure]);
  if (speed > 0) into->Merge(kind, snap_.state->groups()[speed - 1].aggs[measure]);
}

Value PinnedView::MeasureValue(uint32_t base, uint32_t speed, int measure) const {
  const views::MeasureDef& m = def_->measures[measure];
  if (speed == kNone) return snap_.base->groups()[base].aggs[measure].Finalize(m);
  if (base == kNone) return snap_.state->groups()[speed].aggs[measure].Finalize(m);
  views::AggState s;
  MergeInto(RowRef(base, speed), measure, &s);
  return s.Finalize(m);
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
  SpeedPart speed = ResolveSpeed(bounds);
  if (snap_.base) {
    RETURN_IF_ERROR(ForEachAdmitted(*snap_.base, bounds, visited, [&](uint32_t g) -> Status {
      auto it = speed.partner.find(g);
      return fn(g, it == speed.partner.end() ? kNone : it->second);
    }));
  }
  for (uint32_t s : speed.only) {
    (*visited)++;
    RETURN_IF_ERROR(fn(kNone, s));
  }
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
  stats->speed_rows = snap_.state->num_groups();
  // Bounds name dimension columns (a measure's value is computed per row: checked by the
  // scan's filter instead).
  DimBounds dim_bounds;
  for (const auto& b : request.bounds)
    if (b.column >= 0 && static_cast<size_t>(b.column) < ncols && def_->columns[b.column].is_dimension)
      dim_bounds.push_back({&b, def_->columns[b.column].index});
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
  Status st = ForEachRow(dim_bounds, &visited, [&](uint32_t base, uint32_t speed) -> Status {
    const std::vector<Value>& dims = Dims(base, speed);
    for (size_t i = 0; i < request.columns.size(); i++) {
      size_t c = static_cast<size_t>(request.columns[i]);
      columnar::Vector& v = chunk.columns[i];
      if (c == ncols) {
        v.AppendInt(RowRef(base, speed));
        continue;
      }
      const views::OutputColumn& oc = def_->columns[c];
      if (oc.is_dimension) {
        const Value& x = dims[oc.index];
        if (x.is_null()) v.AppendNull();
        else if (x.type() == Type::kText) v.AppendTextRef(x.as_text());  // the snapshot outlives the query
        else v.Append(x);
      } else {
        v.Append(MeasureValue(base, speed, oc.index));
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
  Status st = ForEachRow({}, &visited, [&](uint32_t base, uint32_t speed) -> Status {
    const std::vector<Value>& dims = Dims(base, speed);
    std::vector<Value> row;
    row.reserve(def_->columns.size());
    for (const auto& oc : def_->columns)
      row.push_back(oc.is_dimension ? dims[oc.index] : MeasureValue(base, speed, oc.index));
    rows.push_back(std::move(row));
    return Status::OK();
  });
  (void)st;  // the callback never fails
  return rows;
}

}  // namespace laminar::serving
