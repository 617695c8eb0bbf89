// Private to objstore and its tests: knobs of the S3 store that production code has no reason to
// turn (OpenS3 in object_store.h is the public entry point).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "objstore/object_store.h"

namespace laminar::objstore {

// One HTTP request as the S3 store sends it, for tests that check what goes on the wire.
struct S3SentRequest {
  std::string op;      // as in error messages: "PUT", "CreateMultipartUpload", "UploadPart 2", ...
  std::string method;  // "PUT", "POST", ...
  std::string target;  // path and query as sent: "/lake/t/k?partNumber=1&uploadId=..."
  // Every header we set, names lowercased, in the order sent; Authorization included (its
  // SignedHeaders list tells which were signed).
  std::vector<std::pair<std::string, std::string>> headers;
};

struct S3TestHooks {
  // ListObjectsV2 max-keys (0: S3's default of 1000). Small pages make the pagination tests fast.
  int list_page_size = 0;
  // Called for every attempt of every request just before it is sent, on the calling thread
  // (so possibly on several threads at once).
  std::function<void(const S3SentRequest&)> on_request;
};

// OpenS3 with test hooks.
Result<std::unique_ptr<ObjectStore>> OpenS3WithHooks(const S3Options& options,
                                                     const S3TestHooks& hooks);

}  // namespace laminar::objstore
