#include "engine/stores.h"

#include "common/file_util.h"
#include "objstore/encrypted_store.h"

namespace laminar::engine {

namespace {

Status OpenPlainStores(const EngineOptions& options, std::shared_ptr<objstore::ObjectStore>* lake,
                       std::shared_ptr<objstore::ObjectStore>* views) {
  const std::string& url = options.lake_url;
  if (url.rfind("s3://", 0) == 0) {
    objstore::S3Options o = options.s3;
    RETURN_IF_ERROR(objstore::ParseS3Url(url, &o));
    objstore::ApplyAwsEnvironment(&o);
    std::string base = o.prefix;
    for (const char* part : {"lake", "views"}) {
      o.prefix = base.empty() ? part : base + "/" + part;
      ASSIGN_OR_RETURN(auto store, objstore::OpenS3(o));
      (std::string(part) == "lake" ? *lake : *views) = std::move(store);
    }
    // Fail at start, with S3's own words, when the bucket cannot be reached or refuses us.
    auto probe = (*lake)->List("_probe/");
    if (!probe.ok()) return probe.status().WithContext("lake " + url);
    return Status::OK();
  }
  std::string root;
  if (url.empty()) {
    root = options.data_dir;
  } else if (url.rfind("file://", 0) == 0) {
    root = url.substr(7);
  } else {
    return InvalidArgument("lake url '{}': expected s3://bucket/prefix or file:///dir", url);
  }
  ASSIGN_OR_RETURN(auto l, objstore::OpenLocal(JoinPath(root, "lake")));
  ASSIGN_OR_RETURN(auto v, objstore::OpenLocal(JoinPath(root, "views")));
  *lake = std::move(l);
  *views = std::move(v);
  return Status::OK();
}

}  // namespace

// Both stores go through objstore::EncryptedStore: with [encryption] key what they write is
// encrypted; without it, reading an encrypted object says so instead of failing as bad Parquet.
Status OpenStores(const EngineOptions& options, std::shared_ptr<objstore::ObjectStore>* lake,
                  std::shared_ptr<objstore::ObjectStore>* views) {
  RETURN_IF_ERROR(OpenPlainStores(options, lake, views));
  ASSIGN_OR_RETURN(auto l, objstore::WrapEncrypted(std::move(*lake), options.encryption_key));
  ASSIGN_OR_RETURN(auto v, objstore::WrapEncrypted(std::move(*views), options.encryption_key));
  *lake = std::move(l);
  *views = std::move(v);
  return Status::OK();
}

}  // namespace laminar::engine
