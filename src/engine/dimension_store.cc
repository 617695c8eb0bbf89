// DimensionStore (see dimension_store.h).
#include "engine/dimension_store.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "common/file_util.h"
#include "common/fs.h"
#include "lake/parquet_reader.h"

namespace laminar::engine {
namespace {

constexpr const char* kSqlKey = "laminar.dimension.sql";
constexpr const char* kTableKey = "laminar.dimension.table";
constexpr const char* kSuffix = ".parquet";
constexpr const char* kTmpSuffix = ".parquet.tmp";

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Columns(const ingest::StreamSchema& s) {
  std::string out;
  for (const auto& c : s.columns) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", c.name, TypeName(c.type));
  return out;
}

}  // namespace

std::string DimensionStore::PathOf(const std::string& name) const { return JoinPath(dir_, name + kSuffix); }

Result<std::shared_ptr<const ingest::RowBatch>> DimensionStore::LoadRows(const std::string& name,
                                                                         const Table& t, bool must_exist) const {
  const std::string path = PathOf(name);
  auto empty = std::make_shared<const ingest::RowBatch>(*t.schema);
  auto reader = lake::ParquetReader::Open(path);
  if (!reader.ok()) {
    if (reader.status().code() == StatusCode::kNotFound) {
      if (!must_exist) return empty;
      return Corruption("dimension table {}: its file {} is missing, though COPY loaded rows into it: restore the "
                        "file, or DROP TABLE and CREATE TABLE it again",
                        name, path);
    }
    if (reader.status().code() == StatusCode::kIOError) return reader.status();
    return Corruption("dimension table {}: {}", name, reader.status().message());
  }
  const lake::ParquetReader& file = **reader;
  if (auto sql = file.GetMetadata(kSqlKey); sql && *sql != t.sql) {
    spdlog::warn("dimension table {}: ignoring {}, written for an earlier definition of the table", name, path);
    return empty;
  }
  const ingest::StreamSchema& fs = file.schema();
  bool same = fs.columns.size() == t.schema->columns.size();
  for (size_t i = 0; same && i < fs.columns.size(); i++)
    same = fs.columns[i].name == t.schema->columns[i].name && fs.columns[i].type == t.schema->columns[i].type;
  if (!same)
    return Corruption("dimension table {}: {} has columns ({}), the table has ({}); COPY the table again, or DROP TABLE it",
                      name, path, Columns(fs), Columns(*t.schema));
  ingest::RowBatch rows(*t.schema);
  for (int g = 0; g < file.num_row_groups(); g++) {
    auto group = file.ReadRowGroup(g, *t.schema);
    if (!group.ok()) {
      if (group.status().code() == StatusCode::kIOError) return group.status();
      return Corruption("dimension table {}: {}", name, group.status().message());
    }
    rows.AppendBatch(*group);
  }
  for (size_t c = 0; c < t.schema->columns.size(); c++) {
    if (!t.schema->columns[c].not_null) continue;
    for (size_t r = 0; r < rows.num_rows(); r++)
      if (rows.column(c).is_null(r))
        return Corruption("dimension table {}: {}: NULL in NOT NULL column \"{}\" (row {})", name, path,
                          t.schema->columns[c].name, r + 1);
  }
  return std::shared_ptr<const ingest::RowBatch>(std::make_shared<ingest::RowBatch>(std::move(rows)));
}

Status DimensionStore::Damage(const std::string& name) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = tables_.find(name);
  return it == tables_.end() ? Status::OK() : it->second.damage;
}

void DimensionStore::Publish(const std::string& name, Table t) {
  std::lock_guard<std::mutex> l(mu_);
  tables_[name] = std::move(t);
}

Status DimensionStore::Load(const std::map<std::string, SchemaPtr>& tables,
                            const std::map<std::string, std::string>& sql, const std::set<std::string>& filled,
                            bool remove_strays) {
  std::lock_guard<std::mutex> w(write_mu_);
  std::map<std::string, Table> loaded;
  for (const auto& [name, schema] : tables) {
    Table t;
    t.schema = schema;
    auto it = sql.find(name);
    if (it != sql.end()) t.sql = it->second;
    auto rows = LoadRows(name, t, filled.count(name) > 0);
    if (!rows.ok() && rows.status().code() != StatusCode::kCorruption) return rows.status();
    if (rows.ok()) {
      t.rows = std::move(rows).value();
    } else {
      // Served as an error, not as an empty table, until a COPY or DROP TABLE repairs it.
      spdlog::error("{}", rows.status().message());
      t.damage = rows.status();
      t.rows = std::make_shared<const ingest::RowBatch>(*schema);
    }
    loaded[name] = std::move(t);
  }
  if (remove_strays) {
    auto entries = ListDir(dir_);
    if (entries.ok()) {
      for (const auto& e : *entries) {
        bool stray = EndsWith(e, kTmpSuffix);
        if (!stray && EndsWith(e, kSuffix)) stray = !tables.count(e.substr(0, e.size() - std::strlen(kSuffix)));
        if (!stray) continue;
        spdlog::info("dimension tables: removing {} (left by an interrupted write or DROP)", JoinPath(dir_, e));
        RETURN_IF_ERROR(RemoveFile(JoinPath(dir_, e)));
      }
    } else if (entries.status().code() != StatusCode::kNotFound) {
      return entries.status();
    }
  }
  std::lock_guard<std::mutex> l(mu_);
  tables_ = std::move(loaded);
  return Status::OK();
}

Status DimensionStore::Create(const SchemaPtr& schema, const std::string& sql) {
  std::lock_guard<std::mutex> w(write_mu_);
  const std::string& name = schema->name;
  Publish(name, Table{schema, sql, std::make_shared<const ingest::RowBatch>(*schema)});
  RETURN_IF_ERROR(RemoveFile(PathOf(name)));
  return RemoveFile(PathOf(name) + ".tmp");
}

Status DimensionStore::Drop(const std::string& name) {
  std::lock_guard<std::mutex> w(write_mu_);
  {
    std::lock_guard<std::mutex> l(mu_);
    tables_.erase(name);
  }
  RETURN_IF_ERROR(RemoveFile(PathOf(name)));
  RETURN_IF_ERROR(RemoveFile(PathOf(name) + ".tmp"));
  std::error_code ec;
  if (!std::filesystem::is_directory(dir_, ec)) return Status::OK();  // never written
  return FsyncDir(dir_);
}

Status DimensionStore::Replace(const SchemaPtr& schema, ingest::RowBatch rows) {
  std::lock_guard<std::mutex> w(write_mu_);
  const std::string& name = schema->name;
  Table t;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = tables_.find(name);
    if (it == tables_.end() || it->second.schema != schema)
      return Unavailable("table \"{}\" was dropped or redefined while COPY ran; run COPY again", name);
    t = it->second;
  }
  const std::string path = PathOf(name);
  const std::string tmp = path + ".tmp";
  RETURN_IF_ERROR(CreateDirs(dir_));
  ASSIGN_OR_RETURN(std::unique_ptr<lake::ParquetWriter> writer, lake::ParquetWriter::Open(tmp, *schema, writer_));
  writer->AddMetadata(kTableKey, name);
  writer->AddMetadata(kSqlKey, t.sql);
  Status st = writer->Write(rows);
  if (st.ok()) st = writer->Finish();
  if (!st.ok()) {
    writer->Abandon();
    return st;
  }
  writer.reset();
  if (Status err = fs::Current()->Rename(tmp, path); !err.ok()) {
    RemoveFile(tmp).IgnoreError();
    return err;
  }
  // The new file is in place: publish it even if the directory fsync fails (then the rename
  // may not survive a crash, and the error says so).
  t.rows = std::make_shared<const ingest::RowBatch>(std::move(rows));
  t.damage = Status::OK();  // the new file repairs a damaged table
  Publish(name, std::move(t));
  return FsyncDir(dir_);
}

std::shared_ptr<const ingest::RowBatch> DimensionStore::Get(const std::string& name) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second.rows;
}

DimensionStore::SchemaPtr DimensionStore::schema(const std::string& name) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second.schema;
}

}  // namespace laminar::engine
