// The object stores of a data directory's lake and batch views (EngineOptions::lake_url): local
// directories `<data_dir>/lake` and `<data_dir>/views` by default, or `lake/` and `views/` under
// an S3 prefix (credentials from the options, else the AWS_* environment), probed at open.
// Used by Engine::Open and by the offline tools (RecoverCatalog).
//
// Errors: InvalidArgument for a URL that is neither s3:// nor file://; the store's own error
// (with the URL) when the bucket cannot be reached.
// Thread safety: a pure function.
#pragma once

#include <memory>

#include "common/status.h"
#include "engine/engine.h"
#include "objstore/object_store.h"

namespace laminar::engine {

Status OpenStores(const EngineOptions& options, std::shared_ptr<objstore::ObjectStore>* lake,
                  std::shared_ptr<objstore::ObjectStore>* views);

}  // namespace laminar::engine
