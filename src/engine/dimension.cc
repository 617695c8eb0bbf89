// Engine: dimension tables (being built).
#include "common/file_util.h"
#include "engine/engine.h"

namespace laminar::engine {

Status Engine::OpenDimensions() {
  dimensions_ = std::make_unique<DimensionStore>(JoinPath(options_.data_dir, "tables"));
  return Status::OK();
}

Status Engine::ApplyDimensionChanges(const catalog::Snapshot&, const catalog::Snapshot&) { return Status::OK(); }

Result<StatementResult> Engine::Copy(const sql::Statement&) {
  return Unimplemented("COPY is not supported yet");
}

}  // namespace laminar::engine
