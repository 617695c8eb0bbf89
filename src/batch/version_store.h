// VersionStore: the batch layer's published view versions, objects `<view>/v-<version:020>.state`
// in an ObjectStore (`<data>/views/` locally, `prefix/views/` in S3; format: docs/formats/views.md).
//
// A version is one object holding a JSON header (VersionInfo) and the encoded ViewState
// (views/state_codec.h), checksummed (CRC32C) as a whole. Publish is one ObjectStore::Put (locally
// a fsynced temporary file renamed into place; in S3 one PUT): a crash at any step leaves the old
// version or the new one, never a mix. The
// newest valid file whose definition matches the catalog's is the current version; a damaged
// file is skipped (and reported), falling back to an older one. After each publish the store
// keeps the newest `retain` versions of the current definition and deletes the rest (including
// every version of an older definition).
//
// Thread safety: reads may run concurrently; the engine serialises publishes (one batch run at a
// time). Headers read are cached by key (a version object never changes once written).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "objstore/object_store.h"
#include "views/view_state.h"

namespace laminar::batch {

struct VersionInfo {
  std::string view;
  uint64_t version = 0;             // per view, +1 per publish, across definitions
  uint64_t definition_version = 0;  // ViewDef::definition_version it was built for
  std::string definition_sql;       // ViewDef::sql it was built for
  uint64_t horizon = 0;             // covers exactly the events with seq ≤ horizon
  uint64_t through_segment = 0;     // last lake segment covered (0: none)
  uint64_t manifest_version = 0;    // lake manifest it was built from
  uint64_t retention_epoch = 0;     // the manifest's retention epoch then
  uint64_t rows = 0;                // view rows (groups)
  uint64_t events = 0;              // events aggregated in total
  uint64_t files_read = 0;          // Parquet files read by this build
  uint64_t events_read = 0;         // events read by this build
  bool full = false;                // full recompute (else previous version ⊕ new files)
  int64_t build_micros = 0;
  int64_t created_at = 0;           // wall clock, micros since the epoch
  std::string path;                 // where the object is (store URL + key; set when loaded or published)

  std::string ToJson() const;  // the whole header, as stored
  // What users see (GET /v1/views, POST /v1/batch/run): version, horizon, rows, events, full,
  // files_read, events_read, build_ms, through_segment, created_at.
  nlohmann::json Summary() const;
};

struct BatchVersion {
  VersionInfo info;
  std::shared_ptr<const views::ViewState> state;
};

class VersionStore {
 public:
  // `retain` ≥ 1.
  VersionStore(std::shared_ptr<objstore::ObjectStore> store, size_t retain)
      : store_(std::move(store)), retain_(retain < 1 ? 1 : retain) {}

  // The newest readable version built for `def` (same definition_version and SQL), or nullopt.
  // Damaged or unreadable objects are skipped; each is described in *problems when given.
  Result<std::optional<BatchVersion>> LoadLatest(const views::ViewDefPtr& def,
                                                 std::vector<std::string>* problems = nullptr) const;
  // Headers of every version of `view`, oldest first (damaged objects are left out).
  std::vector<VersionInfo> List(const std::string& view) const;
  // The highest version number stored for `view`, 0 when none.
  uint64_t MaxVersion(const std::string& view) const;

  // Durably publishes a version (see class comment) and prunes old ones. Sets info->path.
  Status Publish(const views::ViewDef& def, VersionInfo* info, const views::ViewState& state);

  // Removes every version of the view (DROP).
  Status Drop(const std::string& view);

  const objstore::ObjectStore& store() const { return *store_; }

 private:
  struct FileRef {
    uint64_t version;
    std::string key;
  };
  std::vector<FileRef> Files(const std::string& view) const;
  Result<BatchVersion> Read(const std::string& key, const views::ViewDefPtr& def) const;
  std::shared_ptr<objstore::ObjectStore> store_;
  size_t retain_;
  mutable std::mutex cache_mu_;
  mutable std::map<std::string, VersionInfo> headers_;  // by key
};

// Parses one version file's bytes; `where` names it in errors. Corruption names the file and
// what is wrong. With def null only the header is decoded (state left null).
Result<BatchVersion> ParseVersionFile(std::string_view data, const std::string& where,
                                      const views::ViewDefPtr& def);

}  // namespace laminar::batch
