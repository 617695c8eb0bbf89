// EngineRelations: the streams and dimension tables the query engine reads
// (serving/relation_provider.h, adapted by serving/table_catalog.h).
//  - A stream: one snapshot of its lake (the manifest's files, in sequence order) and its log
//    tail (records above the manifest's last seq, up to the log end at the start of the scan).
//    Lake files whose event-time range the WHERE bounds rule out are skipped (partition
//    pruning: one file per event hour), and so are row groups whose min/max statistics rule them
//    out. Retention and DROP wait for running scans (scan_mu_), so nothing read disappears.
//  - A dimension table: its current rows (engine/dimension_store.h).
//  - A view read as a table: its rows, one per dimension tuple (serving/view_source.h; the
//    engine reads views through ProviderCatalog's pinned snapshots instead).
#include "engine/scan.h"

#include <limits>
#include <shared_mutex>

#include "lake/parquet_reader.h"
#include "serving/view_source.h"

namespace laminar::engine {

using serving::RelationInfo;
using serving::RelationKind;

Result<RelationInfo> EngineRelations::Describe(const std::string& schema, const std::string& name) const {
  RelationInfo info;
  info.name = name;
  if (!schema.empty() && schema != "public")
    return NotFound(ErrorCode::kUndefinedTable, "relation \"{}.{}\" does not exist", schema, name);
  if (auto it = cat_.streams.find(name); it != cat_.streams.end()) {
    info.kind = RelationKind::kStream;
    for (const auto& c : it->second->columns) info.columns.push_back({c.name, c.type});
    info.event_time = it->second->event_time_index;
    return info;
  }
  if (auto it = cat_.dimensions.find(name); it != cat_.dimensions.end()) {
    info.kind = RelationKind::kDimension;
    for (const auto& c : it->second->columns) info.columns.push_back({c.name, c.type});
    return info;
  }
  if (auto it = cat_.views.find(name); it != cat_.views.end()) {
    info.kind = RelationKind::kView;
    const views::ViewDef& v = *it->second;
    for (const auto& c : v.columns) info.columns.push_back({v.ColumnName(c), v.ColumnType(c)});
    return info;
  }
  return NotFound(ErrorCode::kUndefinedTable, "relation \"{}\" does not exist", name);
}

Status EngineRelations::Scan(const RelationInfo& rel, const serving::ScanRequest& req, const serving::ScanFn& fn,
                             serving::QueryStats* stats) const {
  switch (rel.kind) {
    case RelationKind::kStream: return ScanStream(rel, req, fn, stats);
    case RelationKind::kDimension: {
      auto rows = e_->dimensions_ ? e_->dimensions_->Get(rel.name) : nullptr;
      if (!rows) return NotFound(ErrorCode::kUndefinedTable, "dimension table \"{}\" is not loaded", rel.name);
      RETURN_IF_ERROR(e_->dimensions_->Damage(rel.name));
      std::vector<int> identity(rel.columns.size());
      for (size_t i = 0; i < identity.size(); i++) identity[i] = static_cast<int>(i);
      bool stop = false;
      stats->other_rows += rows->num_rows();
      return fn(*rows, identity, &stop);
    }
    case RelationKind::kView: return ScanView(rel, fn, stats);
    case RelationKind::kSystem: break;
  }
  return Unimplemented("relation \"{}\" cannot be scanned", rel.name);
}

Status EngineRelations::ScanView(const RelationInfo& rel, const serving::ScanFn& fn, serving::QueryStats* stats) const {
  auto it = cat_.views.find(rel.name);
  if (it == cat_.views.end()) return NotFound(ErrorCode::kUndefinedTable, "relation \"{}\" does not exist", rel.name);
  ASSIGN_OR_RETURN(serving::ViewSnapshot snap, view_fn_(it->second));
  serving::PinnedView view(it->second, std::move(snap));
  ingest::StreamSchema schema;
  for (const auto& c : rel.columns) schema.columns.push_back({c.name, c.type, false});
  ingest::RowBatch batch(schema);
  for (const auto& row : view.Rows()) batch.AppendRow(row);
  std::vector<int> identity(rel.columns.size());
  for (size_t i = 0; i < identity.size(); i++) identity[i] = static_cast<int>(i);
  stats->other_rows += batch.num_rows();
  bool stop = false;
  return fn(batch, identity, &stop);
}

Status EngineRelations::ScanStream(const RelationInfo& rel, const serving::ScanRequest& req, const serving::ScanFn& fn,
                                   serving::QueryStats* stats) const {
  auto rt = e_->FindStream(rel.name);
  if (!rt) return NotFound(ErrorCode::kUndefinedTable, "stream \"{}\" is not open", rel.name);
  const ingest::StreamSchema& schema = *rt->schema;
  std::shared_lock<std::shared_mutex> scan_lock(e_->scan_mu_);
  ASSIGN_OR_RETURN(lake::Manifest m, e_->lake_->LoadManifest(rel.name));
  // The manifest first, then the log end: every record above the manifest is still in the log
  // (retention waits for this scan), and every event acked before the query is at or below it.
  const uint64_t lake_last = m.last_seq();
  const uint64_t log_last = rt->log->last_seq();
  stats->lake_last_seq = lake_last;
  stats->log_last_seq = std::max(log_last, lake_last);

  // Lake files are read with only the needed columns.
  ingest::StreamSchema proj;
  std::vector<int> colmap(schema.columns.size(), -1);
  for (size_t c = 0; c < schema.columns.size(); c++) {
    if (c < req.needed.size() && !req.needed[c]) continue;
    colmap[c] = static_cast<int>(proj.columns.size());
    ingest::ColumnDef def = schema.columns[c];
    def.not_null = false;  // files of older writers may lack the column: read it as nulls
    proj.columns.push_back(def);
  }
  bool stop = false;
  for (const lake::SegmentEntry& seg : m.segments) {
    for (const lake::LakeFile& f : seg.files) {
      stats->lake_files++;
      bool skip = false;
      for (const auto& b : req.bounds)
        if (b.column == schema.event_time_index &&
            !b.MayOverlap(Value::Timestamp(f.min_event_time), Value::Timestamp(f.max_event_time)))
          skip = true;
      if (skip) {
        stats->lake_files_skipped++;
        continue;
      }
      ASSIGN_OR_RETURN(std::string data, e_->lake_->ReadFile(rel.name, f));
      ASSIGN_OR_RETURN(auto reader, lake::ParquetReader::OpenBuffer(e_->lake_->FileKey(rel.name, f), std::move(data)));
      for (int g = 0; g < reader->num_row_groups(); g++) {
        stats->row_groups++;
        bool skip_group = false;
        for (const auto& b : req.bounds) {
          Value mn, mx;
          if (!reader->RowGroupMinMax(g, schema.columns[b.column].name, &mn, &mx)) continue;
          if (mn.is_null()) {
            skip_group = true;  // all NULL: no bound admits NULL
            continue;
          }
          // Statistics leave NaN out: a double chunk may hold NaN beyond its max.
          bool nan_possible = schema.columns[b.column].type == Type::kDouble &&
                              b.Admits(Value::Double(std::numeric_limits<double>::quiet_NaN()));
          if (!b.MayOverlap(mn, mx) && !nan_possible) skip_group = true;
        }
        if (skip_group) {
          stats->row_groups_skipped++;
          continue;
        }
        ASSIGN_OR_RETURN(ingest::RowBatch batch, reader->ReadRowGroup(g, proj));
        stats->lake_rows += batch.num_rows();
        RETURN_IF_ERROR(fn(batch, colmap, &stop));
        if (stop) return Status::OK();
      }
    }
  }

  std::vector<int> identity(schema.columns.size());
  for (size_t i = 0; i < identity.size(); i++) identity[i] = static_cast<int>(i);
  bool stopped = false;  // the replay ended because fn asked to stop: not an error
  Status st = rt->log->Replay(lake_last + 1, [&](const wal::Record& r) -> Status {
    if (r.first_seq > log_last || r.first_seq <= lake_last) return Status::OK();
    ASSIGN_OR_RETURN(ingest::RowBatch batch, ingest::RowBatch::Decode(r.payload, schema));
    stats->log_rows += batch.num_rows();
    RETURN_IF_ERROR(fn(batch, identity, &stop));
    if (!stop) return Status::OK();
    stopped = true;
    return Cancelled("scan stopped");
  });
  if (stopped) return Status::OK();
  return st;
}

}  // namespace laminar::engine
