#include "serving/view_source.h"

namespace laminar::serving {

PinnedView::PinnedView(views::ViewDefPtr def, ViewSnapshot snapshot) : def_(std::move(def)), snap_(std::move(snapshot)) {
  base_rows_ = snap_.base ? snap_.base->num_groups() : 0;
  // The speed state is the small part (the events above the batch horizon): look its tuples up
  // in the batch version, not the other way round.
  const auto& speed = snap_.state.groups();
  std::string probe;
  for (size_t i = 0; i < speed.size(); i++) {
    const views::Group* g = snap_.base ? snap_.base->Find(speed[i].dims, &probe) : nullptr;
    if (g) partner_[static_cast<uint32_t>(g - snap_.base->groups().data())] = static_cast<uint32_t>(i);
    else speed_only_.push_back(static_cast<uint32_t>(i));
  }
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
  t.estimated_rows = static_cast<double>(num_rows());
  return t;
}

const std::vector<Value>& PinnedView::Dims(size_t row) const {
  if (row < base_rows_) return snap_.base->groups()[row].dims;
  return snap_.state.groups()[speed_only_[row - base_rows_]].dims;
}

void PinnedView::MergeInto(int64_t row, int measure, views::AggState* into) const {
  views::AggKind kind = def_->measures[measure].kind;
  size_t r = static_cast<size_t>(row);
  if (r < base_rows_) {
    into->Merge(kind, snap_.base->groups()[r].aggs[measure]);
    if (auto it = partner_.find(static_cast<uint32_t>(r)); it != partner_.end())
      into->Merge(kind, snap_.state.groups()[it->second].aggs[measure]);
    return;
  }
  into->Merge(kind, snap_.state.groups()[speed_only_[r - base_rows_]].aggs[measure]);
}

Value PinnedView::MeasureValue(size_t row, int measure) const {
  const views::MeasureDef& m = def_->measures[measure];
  if (row < base_rows_) {
    auto it = partner_.find(static_cast<uint32_t>(row));
    if (it == partner_.end()) return snap_.base->groups()[row].aggs[measure].Finalize(m);
  }
  views::AggState s;
  MergeInto(static_cast<int64_t>(row), measure, &s);
  return s.Finalize(m);
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
  stats->speed_rows = snap_.state.num_groups();
  // Bounds name dimension columns (a measure's value is computed per row: checked by the
  // scan's filter instead).
  std::vector<std::pair<const execution::ColumnBound*, int>> dim_bounds;
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
  const size_t n = num_rows();
  for (size_t r = 0; r < n && !stop; r++) {
    const std::vector<Value>& dims = Dims(r);
    bool admitted = true;
    for (const auto& [b, d] : dim_bounds) admitted = admitted && b->Admits(dims[d]);
    if (!admitted) continue;
    for (size_t i = 0; i < request.columns.size(); i++) {
      size_t c = static_cast<size_t>(request.columns[i]);
      columnar::Vector& v = chunk.columns[i];
      if (c == ncols) {
        v.AppendInt(static_cast<int64_t>(r));
        continue;
      }
      const views::OutputColumn& oc = def_->columns[c];
      if (oc.is_dimension) {
        const Value& x = dims[oc.index];
        if (x.is_null()) v.AppendNull();
        else if (x.type() == Type::kText) v.AppendTextRef(x.as_text());  // the snapshot outlives the query
        else v.Append(x);
      } else {
        v.Append(MeasureValue(r, oc.index));
      }
    }
    chunk.rows++;
    if (chunk.rows == columnar::kChunkRows) RETURN_IF_ERROR(flush());
  }
  if (!stop) RETURN_IF_ERROR(flush());
  stats->other_rows += n;
  return Status::OK();
}

std::vector<std::vector<Value>> PinnedView::Rows() const {
  std::vector<std::vector<Value>> rows;
  rows.reserve(num_rows());
  for (size_t r = 0; r < num_rows(); r++) {
    const std::vector<Value>& dims = Dims(r);
    std::vector<Value> row;
    row.reserve(def_->columns.size());
    for (const auto& oc : def_->columns)
      row.push_back(oc.is_dimension ? dims[oc.index] : MeasureValue(r, oc.index));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace laminar::serving
