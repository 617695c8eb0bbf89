// Engine::AttachFile (`laminar lake attach`) and Engine::DescribeLakeJson (`laminar lake ls`).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "common/time_util.h"
#include "engine/engine.h"
#include "engine/server_files.h"
#include "lake/parquet_reader.h"

namespace laminar::engine {

using nlohmann::json;

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// How one stream column is filled from the file.
struct ColumnMap {
  int file_column = -1;  // index into the file schema subset read; -1: NULL
  bool widen = false;    // bigint → double precision
};

// Matches the file's columns to the stream's. `read` is the file schema restricted to the
// matched columns (read in that order); map[i] says where stream column i comes from.
Status MatchColumns(const ingest::StreamSchema& stream, const ingest::StreamSchema& file, const std::string& name,
                    ingest::StreamSchema* read, std::vector<ColumnMap>* map) {
  map->assign(stream.columns.size(), ColumnMap{});
  std::vector<bool> used(file.columns.size(), false);
  for (size_t i = 0; i < stream.columns.size(); i++) {
    const auto& sc = stream.columns[i];
    int found = -1;
    for (size_t j = 0; j < file.columns.size() && found < 0; j++)
      if (file.columns[j].name == sc.name) found = int(j);
    for (size_t j = 0; j < file.columns.size() && found < 0; j++)
      if (!used[j] && EqualsIgnoreCase(file.columns[j].name, sc.name)) found = int(j);
    if (found < 0) {
      if (sc.not_null) {
        return InvalidArgument("{} has no column {}, which stream {} declares NOT NULL", name, sc.name, stream.name);
      }
      continue;
    }
    const auto& fc = file.columns[size_t(found)];
    bool widen = fc.type == Type::kInt64 && sc.type == Type::kDouble;
    if (fc.type != sc.type && !widen) {
      return InvalidArgument("column {} of {} is {}, but stream {} column {} is {}", fc.name, name, TypeName(fc.type),
                             stream.name, sc.name, TypeName(sc.type));
    }
    used[size_t(found)] = true;
    (*map)[i] = ColumnMap{int(read->columns.size()), widen};
    read->columns.push_back(fc);
  }
  std::vector<std::string> extra;
  for (size_t j = 0; j < file.columns.size(); j++)
    if (!used[j]) extra.push_back(file.columns[j].name);
  if (!extra.empty()) {
    std::string list;
    for (const auto& e : extra) list += (list.empty() ? "" : ", ") + e;
    return InvalidArgument("{} has columns that stream {} does not: {}", name, stream.name, list);
  }
  return Status::OK();
}

// One row group of the file, as a batch of the stream's schema.
Result<ingest::RowBatch> ConvertGroup(const ingest::RowBatch& in, const ingest::StreamSchema& stream,
                                      const std::vector<ColumnMap>& map, const std::string& name, uint64_t row_base) {
  ingest::RowBatch out(stream);
  size_t rows = in.num_rows();
  for (size_t c = 0; c < stream.columns.size(); c++) {
    ingest::Column& dst = out.column(c);
    const ColumnMap& m = map[c];
    if (m.file_column < 0) {
      for (size_t r = 0; r < rows; r++) dst.AppendNull();
      continue;
    }
    const ingest::Column& src = in.column(size_t(m.file_column));
    if (!m.widen) {
      dst = src;
    } else {
      dst.Reserve(rows);
      for (size_t r = 0; r < rows; r++) {
        if (src.is_null(r)) dst.AppendNull();
        else dst.AppendDouble(static_cast<double>(src.ints[r]));
      }
    }
    if (stream.columns[c].not_null) {
      for (size_t r = 0; r < rows; r++) {
        if (dst.is_null(r)) {
          return InvalidArgument("row {} of {}: column {} is NULL, but stream {} declares it NOT NULL",
                                 row_base + r + 1, name, stream.columns[c].name, stream.name);
        }
      }
    }
  }
  for (size_t r = 0; r < rows; r++) out.FinishRow();
  return out;
}

}  // namespace

Result<AttachResult> Engine::AttachFile(const std::string& stream, const std::string& path) {
  if (options_.read_only) return Unavailable("the engine is open read-only");
  std::shared_ptr<StreamRuntime> rt = FindStream(stream);
  if (!rt) return NotFound(ErrorCode::kUndefinedTable, "stream \"{}\" does not exist", stream);
  ASSIGN_OR_RETURN(std::string real, ResolveServerFile(path, ServerFiles()));
  ASSIGN_OR_RETURN(auto reader, lake::ParquetReader::Open(real));
  const ingest::StreamSchema& schema = *rt->schema;
  ingest::StreamSchema read;
  read.name = schema.name;
  std::vector<ColumnMap> map;
  RETURN_IF_ERROR(MatchColumns(schema, reader->schema(), path, &read, &map));
  std::string source = path.substr(path.rfind('/') + 1);
  lake::RowSource rows = [&](const std::function<Status(ingest::RowBatch&&)>& sink) -> Status {
    uint64_t base = 0;
    for (int g = 0; g < reader->num_row_groups(); g++) {
      ASSIGN_OR_RETURN(ingest::RowBatch in, reader->ReadRowGroup(g, read));
      ASSIGN_OR_RETURN(ingest::RowBatch out, ConvertGroup(in, schema, map, path, base));
      base += in.num_rows();
      RETURN_IF_ERROR(sink(std::move(out)));
    }
    return Status::OK();
  };
  AttachResult result;
  result.stream = stream;
  {
    // Like a lake commit: under the stream's lock, only while the stream exists.
    std::shared_lock<std::shared_mutex> l(rt->apply_mu);
    if (rt->dropped) return NotFound(ErrorCode::kUndefinedTable, "stream \"{}\" was dropped", stream);
    ASSIGN_OR_RETURN(result.entry, lake_->Attach(schema, rt->log.get(), source, rows, options_.attach_max_rows));
  }
  BatchRunOptions run;
  run.seal = false;
  run.stream = stream;
  ASSIGN_OR_RETURN(result.batch, RunBatch(run));
  return result;
}

Result<std::string> Engine::DescribeLakeJson(const std::string& stream) const {
  catalog::SnapshotPtr snap = catalog_->snapshot();
  std::vector<std::string> names;
  if (!stream.empty()) {
    if (!snap->streams.count(stream))
      return NotFound(ErrorCode::kUndefinedTable, "stream \"{}\" does not exist", stream);
    names.push_back(stream);
  } else {
    for (const auto& [name, s] : snap->streams) names.push_back(name);
  }
  json streams = json::array();
  for (const auto& name : names) {
    ASSIGN_OR_RETURN(lake::Manifest m, lake_->LoadManifest(name));
    json files = json::array();
    for (const auto& seg : m.segments) {
      for (const auto& f : seg.files) {
        files.push_back({{"path", f.path}, {"partition", f.path.substr(0, f.path.rfind('/'))}, {"rows", f.rows},
                         {"bytes", f.bytes}, {"min_event_time", FormatTimestamp(f.min_event_time)},
                         {"max_event_time", FormatTimestamp(f.max_event_time)}, {"segment_id", seg.segment_id},
                         {"first_seq", seg.first_seq}, {"last_seq", seg.last_seq},
                         {"source", seg.attached_from.empty() ? "log" : "attached"}});
        if (!seg.attached_from.empty()) files.back()["attached_from"] = seg.attached_from;
      }
    }
    streams.push_back({{"stream", name}, {"manifest_version", m.version}, {"last_seq", m.last_seq()},
                       {"retention_epoch", m.retention_epoch}, {"files", files}});
  }
  return json({{"url", lake_->url()}, {"streams", streams}}).dump();
}

}  // namespace laminar::engine
