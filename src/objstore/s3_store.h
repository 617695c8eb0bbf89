// Private to objstore and its tests: knobs of the S3 store that production code has no reason to
// turn (OpenS3 in object_store.h is the public entry point).
#pragma once

#include <memory>

#include "common/status.h"
#include "objstore/object_store.h"

namespace laminar::objstore {

struct S3TestHooks {
  // ListObjectsV2 max-keys (0: S3's default of 1000). Small pages make the pagination tests fast.
  int list_page_size = 0;
};

// OpenS3 with test hooks.
Result<std::unique_ptr<ObjectStore>> OpenS3WithHooks(const S3Options& options,
                                                     const S3TestHooks& hooks);

}  // namespace laminar::objstore
