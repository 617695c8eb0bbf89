// Engine: dimension tables — loading them at open and following CREATE/DROP. Their rows come
// from COPY ... FROM (engine/copy_in.cc) and INSERT (engine/insert.cc).
#include "common/file_util.h"
#include "engine/engine.h"

namespace laminar::engine {

Status Engine::OpenDimensions() {
  dimensions_ = std::make_unique<DimensionStore>(JoinPath(options_.data_dir, "tables"), options_.lake);
  catalog::SnapshotPtr snap = catalog_->snapshot();
  return dimensions_->Load(snap->dimensions, snap->dimension_sql, snap->loaded_dimensions,
                           /*remove_strays=*/!options_.read_only);
}

Status Engine::ApplyDimensionChanges(const catalog::Snapshot& before, const catalog::Snapshot& after) {
  auto sql = [](const catalog::Snapshot& s, const std::string& n) {
    auto it = s.dimension_sql.find(n);
    return it == s.dimension_sql.end() ? std::string() : it->second;
  };
  Status first;
  auto keep = [&first](Status st) {
    if (!st.ok() && first.ok()) first = std::move(st);
  };
  // Dropped or redefined: the rows and the file go. Created or redefined: empty, stale file removed.
  for (const auto& [name, schema] : before.dimensions)
    if (!after.dimensions.count(name) || sql(before, name) != sql(after, name)) keep(dimensions_->Drop(name));
  for (const auto& [name, schema] : after.dimensions)
    if (!before.dimensions.count(name) || sql(before, name) != sql(after, name))
      keep(dimensions_->Create(schema, sql(after, name)));
  return first;
}

}  // namespace laminar::engine
