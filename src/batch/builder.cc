#include "batch/builder.h"

#include <chrono>

#include "common/time_util.h"
#include "lake/parquet_reader.h"

namespace laminar::batch {

bool CanExtend(const BatchVersion& prev, const views::ViewDef& def, const lake::Manifest& m) {
  if (!prev.state || prev.info.definition_version != def.definition_version || prev.info.definition_sql != def.sql)
    return false;
  if (prev.info.retention_epoch != m.retention_epoch || prev.info.manifest_version > m.version) return false;
  if (prev.info.through_segment == 0) return prev.info.horizon == 0;
  for (const auto& seg : m.segments)
    if (seg.segment_id == prev.info.through_segment) return true;
  return false;
}

Status AggregateLake(const lake::Lake& lake, const ingest::StreamSchema& schema, const lake::Manifest& m,
                     uint64_t after_segment, views::ViewState* state, uint64_t* files, uint64_t* events) {
  for (const auto& seg : m.segments) {
    if (seg.segment_id <= after_segment) continue;
    for (const auto& f : seg.files) {
      std::string path = lake.FilePath(schema.name, f);
      ASSIGN_OR_RETURN(auto reader, lake::ParquetReader::Open(path));
      uint64_t rows = 0;
      for (int g = 0; g < reader->num_row_groups(); g++) {
        auto batch = reader->ReadRowGroup(g, schema);
        if (!batch.ok()) return batch.status().WithContext(path);
        state->Apply(*batch);
        rows += batch->num_rows();
      }
      if (rows != f.rows)
        return Corruption("{}: holds {} rows but the lake manifest says {}", path, rows, f.rows);
      (*files)++;
      *events += rows;
    }
  }
  return Status::OK();
}

Result<std::optional<BatchVersion>> Build(const BuildRequest& req) {
  int64_t start = MonotonicMicros();
  const lake::Manifest& m = *req.manifest;
  bool full = req.full || !req.previous || !CanExtend(*req.previous, *req.def, m);
  uint64_t last_segment = m.segments.empty() ? 0 : m.segments.back().segment_id;
  if (!full && last_segment == req.previous->info.through_segment) return std::optional<BatchVersion>();

  auto state = full ? std::make_shared<views::ViewState>(req.def)
                    : std::make_shared<views::ViewState>(*req.previous->state);
  VersionInfo info;
  info.view = req.def->name;
  info.version = req.version;
  info.definition_version = req.def->definition_version;
  info.definition_sql = req.def->sql;
  info.full = full;
  info.events = full ? 0 : req.previous->info.events;
  RETURN_IF_ERROR(AggregateLake(*req.lake, *req.schema, m, full ? 0 : req.previous->info.through_segment,
                                state.get(), &info.files_read, &info.events_read));
  info.events += info.events_read;
  info.through_segment = last_segment;
  info.horizon = m.last_seq();
  info.manifest_version = m.version;
  info.retention_epoch = m.retention_epoch;
  info.rows = state->num_groups();
  info.build_micros = MonotonicMicros() - start;
  info.created_at = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::system_clock::now().time_since_epoch()).count();
  return std::optional<BatchVersion>(BatchVersion{std::move(info), std::move(state)});
}

}  // namespace laminar::batch
