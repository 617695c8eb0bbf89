#include "serving/table_catalog.h"

#include "ingest/row_batch_chunk.h"
#include "serving/system_tables.h"

#include <cstring>

namespace laminar::serving {

namespace {

execution::TableKind KindOf(RelationKind k) {
  switch (k) {
    case RelationKind::kStream: return execution::TableKind::kStream;
    case RelationKind::kDimension: return execution::TableKind::kDimension;
    case RelationKind::kView: return execution::TableKind::kView;
    case RelationKind::kSystem: return execution::TableKind::kSystem;
  }
  return execution::TableKind::kStream;
}

RelationKind RelationKindOf(execution::TableKind k) {
  switch (k) {
    case execution::TableKind::kStream: return RelationKind::kStream;
    case execution::TableKind::kDimension: return RelationKind::kDimension;
    case execution::TableKind::kView: return RelationKind::kView;
    case execution::TableKind::kSystem: return RelationKind::kSystem;
  }
  return RelationKind::kStream;
}

}  // namespace

const std::vector<sql::SessionRelation>& ProviderCatalog::Relations() const {
  std::lock_guard<std::mutex> l(mu_);
  if (!relations_) relations_ = catalog_ ? SessionRelations(*catalog_) : std::vector<sql::SessionRelation>{};
  return *relations_;
}

Result<execution::TableInfo> ProviderCatalog::Describe(const std::string& schema, const std::string& name) const {
  // pg_catalog comes first on the search path, as in PostgreSQL.
  if (auto sys = DescribeSystemRelation(schema, name)) return std::move(*sys);
  if (catalog_ && (schema.empty() || schema == "public")) {
    if (auto it = catalog_->views.find(name); it != catalog_->views.end()) {
      std::lock_guard<std::mutex> l(mu_);
      auto& pin = pinned_[name];
      if (!pin) {
        ASSIGN_OR_RETURN(ViewSnapshot snap, snapshot_fn_(it->second));
        pin = std::make_shared<const PinnedView>(it->second, std::move(snap));
      }
      execution::TableInfo t = pin->Describe(pin);
      t.schema = schema;
      return t;
    }
  }
  ASSIGN_OR_RETURN(RelationInfo rel, provider_.Describe(schema, name));
  execution::TableInfo t;
  t.kind = KindOf(rel.kind);
  t.schema = schema;
  t.name = rel.name;
  for (const auto& c : rel.columns) t.columns.push_back({c.name, c.type});
  t.event_time = rel.event_time;
  t.estimated_rows = rel.kind == RelationKind::kStream ? 1e6 : rel.kind == RelationKind::kView ? 1e4 : 1e3;
  return t;
}

Status ProviderCatalog::Scan(const execution::TableInfo& table, const execution::ScanRequest& request,
                             const execution::ScanChunkFn& fn, execution::ScanStats* stats) const {
  if (table.kind == execution::TableKind::kSystem) {
    static const catalog::Snapshot kEmpty;
    return ScanSystemTable(table, catalog_ ? *catalog_ : kEmpty, Relations(),
                           session_ ? *session_ : sql::Session::Current(), provider_, request, fn, stats);
  }
  if (table.kind == execution::TableKind::kView && table.measure_states) {
    execution::ScanStats own;
    Status st = static_cast<const PinnedView&>(*table.measure_states).Scan(request, fn, &own);
    if (stats) stats->Add(own);
    return st;
  }
  RelationInfo rel;
  rel.kind = RelationKindOf(table.kind);
  rel.name = table.name;
  for (const auto& c : table.columns) rel.columns.push_back({c.name, c.type});
  rel.event_time = table.event_time;
  ScanRequest req;
  req.needed.assign(table.columns.size(), 0);
  for (int c : request.columns) req.needed[c] = 1;
  // A scan that needs no column (count(*)) still reads one, for the row counts.
  if (request.columns.empty() && !table.columns.empty()) req.needed[table.event_time >= 0 ? table.event_time : 0] = 1;
  req.bounds = request.bounds;
  QueryStats qs;
  Status st = provider_.Scan(rel, req, [&](const ingest::RowBatch& batch, const std::vector<int>& cols, bool* stop) {
    columnar::Chunk chunk = ingest::ChunkOfBatch(batch, request.columns, cols);
    return fn(chunk, stop);
  }, &qs);
  if (stats) {
    stats->lake_last_seq = std::max(stats->lake_last_seq, qs.lake_last_seq);
    stats->log_last_seq = std::max(stats->log_last_seq, qs.log_last_seq);
    stats->lake_files += qs.lake_files;
    stats->lake_files_skipped += qs.lake_files_skipped;
    stats->row_groups += qs.row_groups;
    stats->row_groups_skipped += qs.row_groups_skipped;
    stats->lake_rows += qs.lake_rows;
    stats->log_rows += qs.log_rows;
    stats->other_rows += qs.other_rows;
    stats->batch_version = std::max(stats->batch_version, qs.batch_version);
    stats->horizon = std::max(stats->horizon, qs.horizon);
    stats->speed_generations += qs.speed_generations;
    if (table.kind == execution::TableKind::kStream) stats->stream_scans++;
  }
  return st;
}

}  // namespace laminar::serving
