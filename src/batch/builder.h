// The batch layer's computation: a view version from the lake (DESIGN.md "batch layer").
//
// Build() makes the next version of a view: the previous version ⊕ the aggregate of the lake
// files of segments committed after it (incremental), or the aggregate of every file in the
// manifest (full). It runs the same ViewState::Apply as the speed layer, so batch and speed
// states merge exactly. The new version covers the manifest's segments in order, through its
// last one: horizon H = the highest last_seq among them.
//
// A full build is also the from-scratch computation `laminar verify` compares against.
//
// Thread safety: pure functions over their inputs (they read lake files). BuildAll reads and
// aggregates the files on up to one thread per core, each into partial states merged at the end.
#pragma once

#include <optional>

#include "batch/version_store.h"
#include "ingest/schema.h"
#include "lake/lake.h"

namespace laminar::batch {

struct BuildRequest {
  views::ViewDefPtr def;
  const ingest::StreamSchema* schema = nullptr;
  const lake::Lake* lake = nullptr;
  const lake::Manifest* manifest = nullptr;
  const BatchVersion* previous = nullptr;  // null: none
  bool full = false;                       // forced full recompute
  uint64_t version = 0;                    // the number the new version gets
};

// Whether `previous` can be extended incrementally from `manifest`: same definition, same
// retention epoch, and its segments are a prefix of the manifest's.
bool CanExtend(const BatchVersion& previous, const views::ViewDef& def, const lake::Manifest& manifest);

// The next version, or nullopt when an incremental build finds no new segment (the previous
// version stays current). Full when req.full, when there is no previous version or when it
// cannot be extended. Errors: Corruption/IOError naming the lake file.
Result<std::optional<BatchVersion>> Build(const BuildRequest& req);

// Build() for several views of one stream over one manifest, reading each lake file once and
// applying its rows to every view that needs it. build_micros is the shared elapsed time.
// REQUIRES: every request names the same stream, lake and manifest.
Result<std::vector<std::optional<BatchVersion>>> BuildAll(const std::vector<BuildRequest>& reqs);

}  // namespace laminar::batch
