// laminar recover-catalog: rebuilds a lost catalog file from what the data directory holds
// (engine.h RecoverCatalog).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "batch/version_store.h"
#include "catalog/catalog.h"
#include "common/file_util.h"
#include "engine/engine.h"
#include "engine/stores.h"
#include "lake/lake.h"
#include "lake/parquet_reader.h"

namespace laminar::engine {

Result<CatalogRecovery> RecoverCatalog(const EngineOptions& options) {
  const std::string& dir = options.data_dir;
  CatalogRecovery out;
  std::shared_ptr<objstore::ObjectStore> lake_store, views_store;
  RETURN_IF_ERROR(OpenStores(options, &lake_store, &views_store));
  lake::Lake lake(lake_store, JoinPath(JoinPath(dir, "tmp"), "lake"), options.lake);
  std::vector<catalog::Catalog::RecoveredEntry> tables;

  // Streams: every name in the lake or the log, defined by the lake's `<stream>/_stream.sql`.
  std::set<std::string> streams;
  ASSIGN_OR_RETURN(std::vector<std::string> in_lake, lake.Streams());
  streams.insert(in_lake.begin(), in_lake.end());
  if (auto logs = ListDir(JoinPath(dir, "log")); logs.ok()) streams.insert(logs->begin(), logs->end());
  for (const std::string& name : streams) {
    ASSIGN_OR_RETURN(std::optional<std::string> sql, lake.ReadDefinition(name));
    if (!sql) {
      out.unrecovered.push_back(fmt::format("stream {}: the lake holds no definition of it ({}/_stream.sql); give its "
                                            "CREATE TABLE with --catalog once the catalog exists",
                                            name, name));
      continue;
    }
    tables.push_back({*sql, 1});
  }

  // Dimension tables: each file's footer holds its CREATE TABLE.
  if (auto files = ListDir(JoinPath(dir, "tables")); files.ok()) {
    for (const std::string& f : *files) {
      if (!f.ends_with(".parquet")) continue;
      auto reader = lake::ParquetReader::Open(JoinPath(JoinPath(dir, "tables"), f));
      std::optional<std::string> sql = reader.ok() ? (*reader)->GetMetadata("laminar.dimension.sql") : std::nullopt;
      if (!sql) {
        out.unrecovered.push_back(fmt::format("dimension table file tables/{}: {}", f,
                                              reader.ok() ? "no definition in its footer" : reader.status().message()));
        continue;
      }
      tables.push_back({*sql, 1});
    }
  }

  // Views: the definition the newest batch version of each was built for.
  std::map<std::string, catalog::Catalog::RecoveredEntry> views;
  ASSIGN_OR_RETURN(auto objects, views_store->List(""));
  std::set<std::string> view_names;
  for (const auto& o : objects)
    if (size_t slash = o.key.find('/'); slash != std::string::npos && slash > 0) view_names.insert(o.key.substr(0, slash));
  batch::VersionStore versions(views_store, 1);
  for (const std::string& name : view_names) {
    std::vector<batch::VersionInfo> infos = versions.List(name);
    if (infos.empty()) {
      out.unrecovered.push_back(fmt::format("view {}: no readable batch version", name));
      continue;
    }
    const batch::VersionInfo& newest = infos.back();
    views[name] = {newest.definition_sql, newest.definition_version};
  }

  ASSIGN_OR_RETURN(std::vector<std::string> skipped, catalog::Catalog::WriteRecovered(dir, tables, views));
  for (auto& s : skipped) out.unrecovered.push_back(std::move(s));
  ASSIGN_OR_RETURN(auto cat, catalog::Catalog::Open(dir));
  catalog::SnapshotPtr snap = cat->snapshot();
  for (const auto& [name, s] : snap->streams) out.recovered.push_back("stream " + name);
  for (const auto& [name, s] : snap->dimensions) out.recovered.push_back("dimension table " + name);
  for (const auto& [name, v] : snap->views)
    out.recovered.push_back(fmt::format("materialized view {} (definition version {})", name, v->definition_version));
  return out;
}

}  // namespace laminar::engine
