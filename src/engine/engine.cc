#include "engine/engine.h"

#include "engine/scan.h"
#include "engine/server_files.h"
#include "engine/stores.h"
#include "planner/binder.h"
#include "serving/engine_query.h"
#include "serving/table_catalog.h"
#include "sql/session.h"
#include "sql/transformer.h"

#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cctype>
#include <filesystem>

#include "batch/builder.h"
#include "common/file_util.h"
#include "common/fs.h"
#include "common/time_util.h"

namespace laminar::engine {

using nlohmann::json;


Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  std::unique_ptr<Engine> e(new Engine(options));
  const std::string& dir = options.data_dir;
  RETURN_IF_ERROR(CreateDirs(JoinPath(dir, "log")));
  RETURN_IF_ERROR(CreateDirs(JoinPath(dir, "deadletter")));
  if (options.import_dirs.empty() && !options.read_only) RETURN_IF_ERROR(CreateDirs(JoinPath(dir, "import")));
  ASSIGN_OR_RETURN(e->catalog_, catalog::Catalog::Open(dir));
  e->deadletter_ = std::make_unique<ingest::DeadLetter>(JoinPath(dir, "deadletter"));
  std::shared_ptr<objstore::ObjectStore> lake_store, views_store;
  RETURN_IF_ERROR(OpenStores(options, &lake_store, &views_store));
  // Files being written for the lake wait here until they are uploaded (renamed, locally).
  std::string staging = JoinPath(JoinPath(dir, "tmp"), "lake");
  std::error_code ec;
  std::filesystem::remove_all(staging, ec);  // left by a crash
  RETURN_IF_ERROR(CreateDirs(staging));
  e->lake_ = std::make_unique<lake::Lake>(lake_store, staging, options.lake);
  e->store_ = std::make_unique<batch::VersionStore>(views_store, options.retain_versions);
  if (!e->catalog_->existed()) {
    // Never start as if data that no catalog describes did not exist: a stream created again
    // would start empty, and its lake would be taken for leftovers.
    ASSIGN_OR_RETURN(std::vector<std::string> found, e->DataWithoutCatalog(*views_store));
    if (!found.empty()) {
      std::string list;
      for (const auto& f : found) list += (list.empty() ? "" : ", ") + f;
      return Corruption("data directory {} holds data ({}) but no catalog file ({}): Laminar will not start as if "
                        "it did not exist. Rebuild the catalog with `laminar recover-catalog --data-dir {}` (from "
                        "the lake, the batch views and the dimension tables), restore the catalog file from a "
                        "backup, or move the data away",
                        dir, list, JoinPath(dir, "catalog"), dir);
    }
  }
  if (!options.read_only) RETURN_IF_ERROR(e->FinishDrops());
  catalog::SnapshotPtr snap = e->catalog_->snapshot();
  for (const auto& [name, schema] : snap->streams) RETURN_IF_ERROR(e->OpenStream(schema));
  RETURN_IF_ERROR(e->OpenDimensions());
  {
    std::lock_guard<std::mutex> lock(e->batch_mu_);
    for (const auto& [name, def] : snap->views) RETURN_IF_ERROR(e->InstallView(def));
  }
  if (!options.read_only) {
    RETURN_IF_ERROR(e->StartSources(*snap));
    e->bg_ = std::thread([raw = e.get()] { raw->BackgroundLoop(); });
    if (options.batch_interval_ms > 0) e->batch_thread_ = std::thread([raw = e.get()] { raw->BatchLoop(); });
  }
  return e;
}

Engine::~Engine() { Close().IgnoreError(); }

Status Engine::Close() {
  {
    std::lock_guard<std::mutex> lock(bg_mu_);
    if (stopping_) return Status::OK();
    stopping_ = true;
  }
  bg_cv_.notify_all();
  {
    // Sources first: each may be in the middle of a delivery into a log.
    std::map<std::string, RunningSource> running;
    {
      std::lock_guard<std::mutex> l(sources_mu_);
      running.swap(sources_);
    }
    for (auto& [name, r] : running) r.source->Stop();
  }
  if (bg_.joinable()) bg_.join();
  if (batch_thread_.joinable()) batch_thread_.join();
  std::map<std::string, std::shared_ptr<StreamRuntime>> streams;
  {
    std::lock_guard<std::mutex> lock(mu_);
    streams = streams_;
  }
  Status first;
  for (auto& [name, rt] : streams) {
    std::unique_lock<std::shared_mutex> l(rt->apply_mu);
    Status st = rt->log->Close();
    if (!st.ok() && first.ok()) first = st;
  }
  return first;
}

void Engine::BackgroundLoop() {
  std::unique_lock<std::mutex> lock(bg_mu_);
  while (!stopping_) {
    bg_cv_.wait_for(lock, std::chrono::milliseconds(options_.seal_check_interval_ms));
    if (stopping_) break;
    lock.unlock();
    std::vector<std::shared_ptr<StreamRuntime>> streams;
    {
      std::lock_guard<std::mutex> l(mu_);
      for (auto& [n, rt] : streams_) streams.push_back(rt);
    }
    for (auto& rt : streams) {
      Status st = rt->log->SealIfAged();
      if (!st.ok()) spdlog::warn("stream {}: sealing the log segment failed: {}", rt->schema->name, st.ToString());
      st = CommitStream(rt, false);
      if (!st.ok())
        spdlog::warn("stream {}: committing to the lake failed (will retry): {}", rt->schema->name, st.ToString());
    }
    lock.lock();
  }
}

void Engine::BatchLoop() {
  std::unique_lock<std::mutex> lock(bg_mu_);
  while (!stopping_) {
    bg_cv_.wait_for(lock, std::chrono::milliseconds(options_.batch_interval_ms));
    if (stopping_) break;
    lock.unlock();
    BatchRunOptions opts;
    opts.seal = false;
    auto r = RunBatch(opts);
    if (!r.ok()) spdlog::warn("batch run failed (will retry): {}", r.status().ToString());
    lock.lock();
  }
}

Status Engine::CommitStream(const std::shared_ptr<StreamRuntime>& rt, bool seal) {
  // Under the stream's lock (shared with ingest), and only while the stream still exists:
  // DropStream takes the lock exclusively before it removes the log and the lake files.
  std::shared_lock<std::shared_mutex> l(rt->apply_mu);
  if (rt->dropped) return Status::OK();
  if (seal) {
    auto sealed = rt->log->SealActive();
    if (!sealed.ok()) return sealed.status().WithContext("stream " + rt->schema->name + ": sealing the log");
  }
  auto committed = lake_->CommitSealedSegments(*rt->schema, *rt->log);
  return committed.status();
}

Status Engine::PublishVersion(ViewRuntime* vr, batch::BatchVersion v, size_t* dropped) {
  if (!options_.read_only) RETURN_IF_ERROR(store_->Publish(*vr->def, &v.info, *v.state));
  *dropped = vr->live->Publish(v.info.version, v.info.horizon, v.state);
  {
    std::lock_guard<std::mutex> l(views_mu_);
    vr->info = v.info;
  }
  vr->current = std::move(v);
  return Status::OK();
}

Result<size_t> Engine::ApplyLogRetention(const std::shared_ptr<StreamRuntime>& rt) {
  const std::string& name = rt->schema->name;
  ASSIGN_OR_RETURN(lake::Manifest m, lake_->LoadManifest(name));
  uint64_t bound = m.last_seq();
  {
    std::lock_guard<std::mutex> l(views_mu_);
    for (const auto& [vn, vr] : views_)
      if (vr->def->stream == name) bound = std::min(bound, vr->live->horizon());
  }
  if (bound == 0) return size_t{0};
  if (rt->keys_saved || rt->positions_saved) {
    // The keys and source positions of the records about to go are saved first: with ingest
    // paused, so that every record appended so far has its key finished and its positions
    // advanced (AppendRows).
    std::unique_lock<std::shared_mutex> pause(rt->apply_mu);
    if (rt->keys_saved)
      RETURN_IF_ERROR(rt->keys->Save(IdempotencyPath(name), NowMicros(), rt->log->last_seq())
                          .WithContext("saving idempotency keys"));
    if (rt->positions_saved) RETURN_IF_ERROR(SavePositionsLocked(*rt));
  }
  std::unique_lock<std::shared_mutex> scan_lock(scan_mu_);
  size_t before = rt->log->Segments().size();
  RETURN_IF_ERROR(rt->log->DeleteSealedThrough(bound));
  size_t deleted = before - rt->log->Segments().size();
  if (deleted > 0) spdlog::info("stream {}: retention deleted {} log segments through seq {}", name, deleted, bound);
  return deleted;
}

Result<BatchRunResult> Engine::RunBatch(const BatchRunOptions& opts) {
  if (options_.read_only) return Unavailable("the engine is open read-only");
  int64_t start = MonotonicMicros();
  std::lock_guard<std::mutex> batch_lock(batch_mu_);
  BatchRunResult out;
  std::vector<std::shared_ptr<ViewRuntime>> targets;
  {
    std::lock_guard<std::mutex> l(views_mu_);
    if (!opts.view.empty()) {
      auto it = views_.find(opts.view);
      if (it == views_.end()) return NotFound(ErrorCode::kUndefinedTable, "view \"{}\" does not exist", opts.view);
      targets.push_back(it->second);
    } else {
      for (const auto& [n, vr] : views_)
        if (opts.stream.empty() || vr->def->stream == opts.stream) targets.push_back(vr);
    }
  }
  std::vector<std::shared_ptr<StreamRuntime>> streams;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& [n, rt] : streams_) {
      if (!opts.view.empty() && n != targets.front()->def->stream) continue;
      if (!opts.stream.empty() && n != opts.stream) continue;
      streams.push_back(rt);
    }
  }
  for (const auto& rt : streams) RETURN_IF_ERROR(CommitStream(rt, opts.seal));
  if (options_.lake_retention_micros > 0 && opts.view.empty() && opts.stream.empty()) {
    int64_t cutoff = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count() -
                     options_.lake_retention_micros;
    std::unique_lock<std::shared_mutex> scan_lock(scan_mu_);
    for (const auto& rt : streams) {
      ASSIGN_OR_RETURN(size_t dropped, lake_->DropPartitionsBefore(*rt->schema, cutoff));
      out.lake_files_dropped += dropped;
    }
  }
  // Views of one stream are built together: each lake file is read once.
  std::map<std::string, std::vector<std::shared_ptr<ViewRuntime>>> by_stream;
  for (const auto& vr : targets) by_stream[vr->def->stream].push_back(vr);
  for (const auto& [sname, vrs] : by_stream) {
    auto rt = FindStream(sname);
    if (!rt) continue;
    ASSIGN_OR_RETURN(lake::Manifest m, lake_->LoadManifest(sname));
    std::vector<batch::BuildRequest> reqs;
    for (const auto& vr : vrs) {
      batch::BuildRequest req = FullBuildRequest(vr->def, *rt, m);
      req.previous = vr->current.state ? &vr->current : nullptr;
      req.full = opts.full;
      req.version = std::max(store_->MaxVersion(vr->def->name), vr->current.info.version) + 1;
      reqs.push_back(std::move(req));
    }
    auto built = batch::BuildAll(reqs);
    if (!built.ok()) return built.status().WithContext("stream " + sname + ": building views");
    for (size_t i = 0; i < vrs.size(); i++) {
      ViewRuntime* vr = vrs[i].get();
      BatchViewResult r;
      r.view = vr->def->name;
      if ((*built)[i].has_value()) {
        RETURN_IF_ERROR(PublishVersion(vr, std::move(*(*built)[i]), &r.speed_generations_dropped));
        r.published = true;
        const batch::VersionInfo& info = vr->current.info;
        spdlog::info("view {}: version {} published (horizon {}, {} rows, {} files, {} ms{})", r.view, info.version,
                     info.horizon, info.rows, info.files_read, info.build_micros / 1000, info.full ? ", full" : "");
      }
      r.info = vr->current.info;
      out.views.push_back(std::move(r));
    }
  }
  for (const auto& rt : streams) {
    ASSIGN_OR_RETURN(size_t deleted, ApplyLogRetention(rt));
    out.log_segments_deleted += deleted;
  }
  out.elapsed_micros = MonotonicMicros() - start;
  return out;
}

Status Engine::OpenStream(const catalog::StreamPtr& schema) {
  auto rt = std::make_shared<StreamRuntime>();
  rt->schema = schema;
  wal::RecoveryReport report;
  std::string dir = JoinPath(JoinPath(options_.data_dir, "log"), schema->name);
  RETURN_IF_ERROR(CreateDirs(dir));
  auto log = wal::Log::Open(dir, options_.log, &report);
  if (!log.ok()) return log.status().WithContext("stream " + schema->name);
  rt->log = std::move(log).value();
  if (!options_.read_only) {
    // The definition beside the data, for laminar recover-catalog.
    catalog::SnapshotPtr snap = catalog_->snapshot();
    auto sql = snap->stream_sql.find(schema->name);
    if (sql != snap->stream_sql.end())
      RETURN_IF_ERROR(lake_->WriteDefinition(schema->name, sql->second).WithContext("stream " + schema->name));
  }
  // (Recovery logged each finding itself, with the file's path; they are not logged again.)
  if (report.lost_events > 0)
    spdlog::error("stream {}: --salvage-wal: {} acknowledged events were lost (sequence numbers in the messages above)",
                  schema->name, report.lost_events);
  RETURN_IF_ERROR(CheckLakeMeetsLog(*rt).WithContext("stream " + schema->name));
  RETURN_IF_ERROR(RestoreOrigins(*rt).WithContext("stream " + schema->name));
  spdlog::info("stream {}: log recovered, {} records, last seq {}", schema->name, report.records,
               rt->log->last_seq());
  std::lock_guard<std::mutex> lock(mu_);
  streams_[schema->name] = rt;
  return Status::OK();
}

Status Engine::DropStream(const std::string& name) {
  std::shared_ptr<StreamRuntime> rt;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = streams_.find(name);
    if (it == streams_.end()) return Status::OK();
    rt = it->second;
    streams_.erase(it);
  }
  std::unique_lock<std::shared_mutex> scan_lock(scan_mu_);  // no raw scan reads its files now
  std::unique_lock<std::shared_mutex> l(rt->apply_mu);
  rt->dropped = true;
  rt->log->Close().IgnoreError();
  RETURN_IF_ERROR(RemoveStreamFiles(name));
  return catalog_->FinishDrop(name);
}

// Every event is in the lake or in the log: the lake holds sequence numbers up to L, so the log
// must reach back to L + 1 (retention deletes only what the lake and every view hold), and its
// sequence numbers must not end below L (a newest segment deleted: the numbers would be handed
// out again). Known gaps (attached rows, salvaged losses) do not count.
Status Engine::CheckLakeMeetsLog(const StreamRuntime& rt) {
  ASSIGN_OR_RETURN(lake::Manifest m, lake_->LoadManifest(rt.schema->name));
  const uint64_t lake_last = m.last_seq();
  wal::Log& log = *rt.log;
  const uint64_t oldest = log.oldest_seq(), last = log.last_seq();
  if (oldest > lake_last + 1 && !log.KnownAbsent(lake_last + 1, oldest - 1)) {
    if (!options_.log.salvage)
      return Corruption("events {}..{} are neither in the lake (which holds sequence numbers through {}) nor in the "
                        "log (which starts at {}): a log segment was deleted or lost. Restore it, or start with "
                        "--salvage-wal to accept the loss", lake_last + 1, oldest - 1, lake_last, oldest);
    spdlog::error("stream {}: --salvage-wal: events {}..{} are in neither the lake nor the log: lost", rt.schema->name,
                  lake_last + 1, oldest - 1);
    RETURN_IF_ERROR(log.AcceptLost(lake_last + 1, oldest - 1));
  }
  if (lake_last > last) {
    if (!options_.log.salvage)
      return Corruption("the lake holds events through sequence number {} but the log ends at {}: its newest "
                        "segments were deleted or lost (their events are in the lake; sequence numbers would be "
                        "reused). Restore them, or start with --salvage-wal to continue after {}",
                        lake_last, last, lake_last);
    spdlog::error("stream {}: --salvage-wal: the log ended at {}, below the lake's {}: continuing after {}",
                  rt.schema->name, last, lake_last, lake_last);
    RETURN_IF_ERROR(log.AcceptLost(last + 1, lake_last));
  }
  return Status::OK();
}

std::vector<std::string> Engine::ImportDirs() const {
  if (!options_.import_dirs.empty()) return options_.import_dirs;
  std::string dir = JoinPath(options_.data_dir, "import");
  if (!dir.empty() && dir[0] != '/') dir = JoinPath(std::filesystem::current_path().string(), dir);
  return {dir};
}

ServerFileRules Engine::ServerFiles() const { return ServerFileRules{ImportDirs(), options_.import_max_file_bytes}; }

Result<std::vector<std::string>> Engine::DataWithoutCatalog(const objstore::ObjectStore& views_store) const {
  std::vector<std::string> found;
  for (const char* sub : {"log", "tables"}) {
    std::string path = JoinPath(options_.data_dir, sub);
    auto names = ListDir(path);
    if (names.ok() && !names->empty()) found.push_back(fmt::format("{}/ ({})", path, fmt::join(*names, ", ")));
  }
  ASSIGN_OR_RETURN(std::vector<std::string> streams, lake_->Streams());
  if (!streams.empty()) found.push_back(fmt::format("lake streams {}", fmt::join(streams, ", ")));
  ASSIGN_OR_RETURN(auto versions, views_store.List(""));
  if (!versions.empty()) found.push_back(fmt::format("{} batch view versions", versions.size()));
  return found;
}

// Removes what dropped streams left behind (a crash between DROP TABLE and the removal of the
// files) and tells the catalog they are gone.
Status Engine::FinishDrops() {
  catalog::SnapshotPtr snap = catalog_->snapshot();
  for (const std::string& name : snap->dropping) {
    if (snap->streams.count(name)) continue;  // created again: its files are the new stream's
    RETURN_IF_ERROR(RemoveStreamFiles(name));
    RETURN_IF_ERROR(catalog_->FinishDrop(name));
  }
  return Status::OK();
}

Status Engine::RemoveStreamFiles(const std::string& name) {
  RETURN_IF_ERROR(RemoveFile(IdempotencyPath(name)));
  RETURN_IF_ERROR(RemoveFile(PositionsPath(name)));
  std::string dir = JoinPath(JoinPath(options_.data_dir, "log"), name);
  RETURN_IF_ERROR(fs::Current()->RemoveAll(dir));
  RETURN_IF_ERROR(FsyncDir(JoinPath(options_.data_dir, "log")));
  return lake_->DropStream(name);
}

// A CREATE TABLE of a stream the catalog does not know must not find data under its name that a
// dropped stream did not leave: that is a stream whose catalog entry was lost, and creating the
// new one would take its lake for leftovers.
Status Engine::CheckNoForeignData(const sql::Statement& stmt) {
  if (stmt.kind != "CreateStmt") return Status::OK();
  auto create = sql::TransformCreateTable(stmt);
  if (!create.ok()) return Status::OK();  // the catalog reports it
  const std::string& name = create->relation.name;
  catalog::SnapshotPtr snap = catalog_->snapshot();
  if (snap->streams.count(name) || snap->dimensions.count(name) || snap->views.count(name) || snap->dropping.count(name))
    return Status::OK();
  ASSIGN_OR_RETURN(bool in_lake, lake_->HasData(name));
  auto log_files = ListDir(JoinPath(JoinPath(options_.data_dir, "log"), name));
  bool in_log = log_files.ok() && !log_files->empty();
  if (!in_lake && !in_log) return Status::OK();
  return InvalidArgument(ErrorCode::kDuplicateTable,
                         "the data directory already holds data of a stream \"{}\" ({}) that the catalog does not "
                         "describe (its catalog entry was lost?): recover it with `laminar recover-catalog`, or move "
                         "it away before creating a new stream of that name",
                         name, in_lake ? "in the lake" : "in the log");
}

std::shared_ptr<Engine::StreamRuntime> Engine::FindStream(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = streams_.find(name);
  return it == streams_.end() ? nullptr : it->second;
}

Status Engine::InstallView(const views::ViewDefPtr& def) {
  auto rt = FindStream(def->stream);
  if (!rt) return Internal("view {} refers to stream {} which is not open", def->name, def->stream);
  int64_t start = MonotonicMicros();
  auto vr = std::make_shared<ViewRuntime>();
  vr->def = def;
  vr->live = std::make_shared<speed::SpeedView>(def);
  // The batch part: the newest version on disk for this definition, if it still matches the
  // lake; else a full build from the lake (published, so the next start finds it).
  ASSIGN_OR_RETURN(lake::Manifest m, lake_->LoadManifest(def->stream));
  std::vector<std::string> problems;
  ASSIGN_OR_RETURN(std::optional<batch::BatchVersion> loaded, store_->LoadLatest(def, &problems));
  for (const auto& p : problems) spdlog::warn("view {}: skipping a damaged version: {}", def->name, p);
  size_t dropped = 0;
  // A version can be extended by the log only when the log still holds every event above its
  // horizon: a fallback to an older version (the newest one damaged or missing) may reach below
  // what retention kept, and would then miss events — rebuild from the lake instead.
  bool log_reaches = loaded && (loaded->info.horizon + 1 >= rt->log->oldest_seq() ||
                                rt->log->KnownAbsent(loaded->info.horizon + 1, rt->log->oldest_seq() - 1));
  if (loaded && !log_reaches)
    spdlog::warn("view {}: version {} (horizon {}) is older than the log, which starts at {}; recomputing from the lake",
                 def->name, loaded->info.version, loaded->info.horizon, rt->log->oldest_seq());
  if (loaded && log_reaches && batch::CanExtend(*loaded, *def, m)) {
    vr->live->Publish(loaded->info.version, loaded->info.horizon, loaded->state);
    vr->info = loaded->info;
    vr->current = std::move(*loaded);
  } else {
    if (loaded && log_reaches)
      spdlog::warn("view {}: version {} does not match the lake (retention dropped partitions); recomputing",
                   def->name, loaded->info.version);
    batch::BuildRequest req = FullBuildRequest(def, *rt, m);
    req.version = store_->MaxVersion(def->name) + 1;
    auto built = batch::Build(req);
    if (!built.ok()) return built.status().WithContext("view " + def->name + ": building from the lake");
    RETURN_IF_ERROR(PublishVersion(vr.get(), std::move(**built), &dropped));
  }
  // The speed part: the log above the horizon, with ingest paused so that every event is
  // counted exactly once.
  const uint64_t horizon = vr->current.info.horizon;
  std::unique_lock<std::shared_mutex> lock(rt->apply_mu);
  const ingest::StreamSchema& schema = *rt->schema;
  uint64_t events = 0;
  Status st = rt->log->Replay(horizon + 1, [&](const wal::Record& r) -> Status {
    ASSIGN_OR_RETURN(ingest::RowBatch batch, ingest::RowBatch::Decode(r.payload, schema));
    vr->live->Apply(r.segment_id, r.first_seq + r.count - 1, batch);
    events += r.count;
    return Status::OK();
  });
  if (!st.ok()) return st.WithContext("view " + def->name + ": replaying the log of " + def->stream);
  rt->views[def->name] = vr->live;
  {
    std::lock_guard<std::mutex> l(views_mu_);
    views_[def->name] = vr;
  }
  spdlog::info("view {}: installed from batch version {} (horizon {}, {} rows) and {} logged events in {} ms",
               def->name, vr->current.info.version, horizon, vr->current.info.rows, events,
               (MonotonicMicros() - start) / 1000);
  return Status::OK();
}

void Engine::DropView(const std::string& name) {
  {
    std::lock_guard<std::mutex> l(views_mu_);
    views_.erase(name);
  }
  // A stream's apply_mu is never taken under mu_ (lock order: apply_mu before the maps' mutexes).
  std::vector<std::shared_ptr<StreamRuntime>> streams;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [sname, rt] : streams_) streams.push_back(rt);
  }
  for (auto& rt : streams) {
    std::unique_lock<std::shared_mutex> l(rt->apply_mu);
    rt->views.erase(name);
  }
  if (!options_.read_only) {
    Status st = store_->Drop(name);
    if (!st.ok()) spdlog::warn("view {}: removing its versions: {}", name, st.ToString());
  }
}

std::shared_ptr<Engine::ViewRuntime> Engine::FindView(const std::string& view) const {
  std::lock_guard<std::mutex> lock(views_mu_);
  auto it = views_.find(view);
  return it == views_.end() ? nullptr : it->second;
}

batch::BuildRequest Engine::FullBuildRequest(const views::ViewDefPtr& def, const StreamRuntime& rt,
                                             const lake::Manifest& m) const {
  batch::BuildRequest req;
  req.def = def;
  req.schema = rt.schema.get();
  req.lake = lake_.get();
  req.manifest = &m;
  req.full = true;
  return req;
}

serving::ViewSnapshot Engine::SnapshotOf(const ViewRuntime& vr) const {
  speed::SpeedSnapshot s = vr.live->Snapshot();
  serving::ViewSnapshot out{s.base, std::move(s.state), std::move(s.recent), {}};
  out.stats.batch_version = s.base_version;
  out.stats.horizon = s.horizon;
  out.stats.batch_rows = s.base ? s.base->num_groups() : 0;
  out.stats.speed_rows = s.rows;
  out.stats.speed_generations = s.generations;
  out.stats.speed_max_seq = s.max_seq;
  out.stats.definition_version = vr.def->definition_version;
  return out;
}

Status Engine::ApplyCatalogChanges(const catalog::Snapshot& before, const catalog::Snapshot& after) {
  // Objects are compared by definition (DDL text, view definition version), not by pointer.
  auto stream_sql = [](const catalog::Snapshot& s, const std::string& n) {
    auto it = s.stream_sql.find(n);
    return it == s.stream_sql.end() ? std::string() : it->second;
  };
  auto same_view = [](const views::ViewDefPtr& a, const views::ViewDefPtr& b) {
    return a->sql == b->sql && a->definition_version == b->definition_version && a->stream == b->stream;
  };
  // Sources that stop go first (they write into streams), then views that disappeared, then
  // streams; sources start last.
  RETURN_IF_ERROR(StopSources(after));
  for (const auto& [name, def] : before.views)
    if (!after.views.count(name)) DropView(name);
  for (const auto& [name, schema] : before.streams) {
    if (!after.streams.count(name) || stream_sql(before, name) != stream_sql(after, name))
      RETURN_IF_ERROR(DropStream(name));
  }
  for (const auto& [name, schema] : after.streams) {
    if (!before.streams.count(name) && after.dropping.count(name)) {
      // A stream dropped before whose files may remain (an interrupted DROP): the new one starts
      // empty. (Data under a name that no DROP left was refused before the catalog changed.)
      RETURN_IF_ERROR(RemoveStreamFiles(name));
      RETURN_IF_ERROR(catalog_->FinishDrop(name));
    }
    if (!before.streams.count(name) || stream_sql(before, name) != stream_sql(after, name))
      RETURN_IF_ERROR(OpenStream(schema));
  }
  for (const auto& [name, def] : after.views) {
    auto it = before.views.find(name);
    if (it == before.views.end() || !same_view(it->second, def) || !FindView(name))
      RETURN_IF_ERROR(InstallView(def));
  }
  RETURN_IF_ERROR(ApplyDimensionChanges(before, after));
  return options_.read_only ? Status::OK() : StartSources(after);
}

Result<std::vector<StatementResult>> Engine::ExecuteSql(std::string_view text, const std::atomic<bool>* cancel) {
  ASSIGN_OR_RETURN(std::vector<sql::Statement> stmts, sql::Parse(text));
  if (stmts.empty()) return InvalidArgument("no SQL statement given");
  std::vector<StatementResult> results;
  for (size_t i = 0; i < stmts.size(); i++) {
    const sql::Statement& stmt = stmts[i];
    auto r = Execute(stmt, cancel);
    if (!r.ok())
      return stmts.size() == 1 ? r.status()
                               : r.status().WithContext(fmt::format("statement {} ({})", i + 1, stmt.text.substr(0, 60)));
    results.push_back(std::move(r).value());
  }
  return results;
}

Result<StatementResult> Engine::Execute(const sql::Statement& stmt, const std::atomic<bool>* cancel) {
  if (stmt.kind == "SelectStmt" || stmt.kind == "ExplainStmt") {
    ASSIGN_OR_RETURN(serving::QueryResult q, Query(stmt, cancel));
    StatementResult r;
    r.is_query = true;
    r.tag = q.tag;
    r.query = std::move(q);
    return r;
  }
  if (stmt.kind == "CopyStmt") return Copy(stmt);
  if (stmt.kind == "InsertStmt") {
    ASSIGN_OR_RETURN(TableRows rows, PrepareInsert(stmt, cancel));
    RETURN_IF_ERROR(StoreRows(rows));
    return StatementResult{rows.tag};
  }
  if (!catalog::Catalog::IsDdl(stmt)) return Unimplemented("unsupported statement: {}", sql::DescribeKind(stmt.kind));
  std::lock_guard<std::mutex> lock(ddl_mu_);
  std::lock_guard<std::mutex> batch_lock(batch_mu_);
  RETURN_IF_ERROR(CheckNoForeignData(stmt));
  catalog::SnapshotPtr before = catalog_->snapshot();
  ASSIGN_OR_RETURN(auto changes, catalog_->ExecuteParsed({stmt}));
  catalog::SnapshotPtr after = catalog_->snapshot();
  RETURN_IF_ERROR(ApplyCatalogChanges(*before, *after));
  metrics_.ddl_statements++;
  StatementResult r;
  r.tag = changes.empty() ? "" : changes.front().tag;
  return r;
}

namespace {
std::string NormalizeSql(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (!out.empty() && out.back() == ';') out.pop_back();
  return out;
}
}  // namespace

Status Engine::ApplyCatalogFile(std::string_view text) {
  ASSIGN_OR_RETURN(std::vector<sql::Statement> stmts, sql::Parse(text));
  for (const sql::Statement& stmt : stmts) {
    catalog::SnapshotPtr snap = catalog_->snapshot();
    sql::Statement run = stmt;
    if (stmt.kind == "CreateStmt") {
      auto create = sql::TransformCreateTable(stmt);
      std::string name = create.ok() ? create->relation.name : "";
      const std::string* existing = nullptr;
      if (auto it = snap->stream_sql.find(name); it != snap->stream_sql.end()) existing = &it->second;
      if (auto it = snap->dimension_sql.find(name); it != snap->dimension_sql.end()) existing = &it->second;
      if (existing) {
        if (NormalizeSql(*existing) == NormalizeSql(stmt.text)) continue;
        return InvalidArgument("catalog file: table \"{}\" exists with a different definition ({}); "
                               "drop it first to change it", name, *existing);
      }
    } else if (stmt.kind == "CreateTableAsStmt") {
      auto cv = sql::TransformCreateMatView(stmt);
      std::string name = cv.ok() ? cv->relation.name : "";
      auto it = snap->views.find(name);
      if (it != snap->views.end()) {
        if (NormalizeSql(it->second->sql) == NormalizeSql(stmt.text)) continue;
        run.or_replace = true;  // a view that differs is replaced
      }
    }
    auto r = Execute(run);
    if (!r.ok()) return r.status().WithContext("catalog file");
  }
  return Status::OK();
}

Result<serving::QueryResult> Engine::Query(std::string_view text, const std::atomic<bool>* cancel,
                                           const serving::RowSink* sink) {
  ASSIGN_OR_RETURN(std::vector<sql::Statement> parsed, sql::Parse(text));
  if (parsed.size() != 1) return InvalidArgument("expected one SELECT statement, got {}", parsed.size());
  return Query(parsed.front(), cancel, sink);
}

Result<serving::QueryResult> Engine::Query(const sql::Statement& stmt, const std::atomic<bool>* cancel,
                                           const serving::RowSink* sink) {
  return Counted([&] { return RunQuery(stmt, cancel, sink); });
}

Result<serving::QueryResult> Engine::Query(const sql::ast::SelectStmt& select, const std::atomic<bool>* cancel,
                                           const serving::RowSink* sink) {
  return Counted([&] { return RunTree(&select, nullptr, cancel, sink); });
}

Result<serving::QueryResult> Engine::Counted(const std::function<Result<serving::QueryResult>()>& run) {
  int64_t start = MonotonicMicros();
  metrics_.queries++;
  auto r = run();
  if (!r.ok()) {
    metrics_.query_errors++;
    return r;
  }
  metrics_.query_micros_total += static_cast<uint64_t>(MonotonicMicros() - start);
  return r;
}

Result<std::vector<serving::ResultColumn>> Engine::DescribeQuery(const sql::Statement& stmt,
                                                                 const std::atomic<bool>* cancel) {
  // The executors hand the columns to the sink's begin once planned, before reading any row;
  // begin's error ends the run there.
  std::optional<std::vector<serving::ResultColumn>> columns;
  serving::RowSink sink;
  sink.begin = [&](const std::vector<serving::ResultColumn>& c) -> Status {
    columns = c;
    return Cancelled("described");
  };
  sink.row = [](std::vector<Value>&&) { return Status::OK(); };
  auto r = RunQuery(stmt, cancel, &sink);
  if (columns) return std::move(*columns);
  if (!r.ok()) return r.status();
  return Internal("the query gave no columns");
}

Result<serving::QueryResult> Engine::RunQuery(const sql::Statement& stmt, const std::atomic<bool>* cancel,
                                              const serving::RowSink* sink) {
  if (stmt.kind == "ExplainStmt") {
    ASSIGN_OR_RETURN(sql::ast::ExplainStmt explain, sql::TransformExplain(stmt));
    return RunTree(nullptr, &explain, cancel, sink);
  }
  if (stmt.kind != "SelectStmt") return InvalidArgument("not a query: {}", sql::DescribeKind(stmt.kind));
  ASSIGN_OR_RETURN(auto select, sql::TransformStatement(stmt));
  return RunTree(select.get(), nullptr, cancel, sink);
}

Result<serving::QueryResult> Engine::RunTree(const sql::ast::SelectStmt* select, const sql::ast::ExplainStmt* explain,
                                             const std::atomic<bool>* cancel, const serving::RowSink* sink) {
  // Plan against the view definitions the speed layer holds now, so that a view being
  // redefined keeps answering from its current version until the new one is built.
  catalog::Snapshot cat = *catalog_->snapshot();
  std::map<std::string, std::shared_ptr<ViewRuntime>> runtimes;
  {
    std::lock_guard<std::mutex> l(views_mu_);
    for (auto& [name, def] : cat.views) {
      auto it = views_.find(name);
      if (it == views_.end()) continue;
      def = it->second->def;
      runtimes[name] = it->second;
    }
  }
  serving::ViewSnapshotFn fn = [this, &runtimes](const views::ViewDefPtr& def) -> Result<serving::ViewSnapshot> {
    auto it = runtimes.find(def->name);
    if (it == runtimes.end())
      return NotFound(ErrorCode::kObjectNotInPrerequisiteState, "view \"{}\" is not ready", def->name);
    return SnapshotOf(*it->second);
  };
  serving::QueryLimits limits = options_.query;
  limits.cancel = cancel;
  const sql::Session& caller = sql::Session::Current();  // the principal's own limits tighten the server's
  if (caller.query_timeout_micros > 0 && (limits.timeout_micros <= 0 || caller.query_timeout_micros < limits.timeout_micros))
    limits.timeout_micros = caller.query_timeout_micros;
  if (caller.query_max_memory_bytes > 0 && caller.query_max_memory_bytes < limits.max_memory_bytes)
    limits.max_memory_bytes = caller.query_max_memory_bytes;
  EngineRelations relations(this, cat, fn);
  serving::ProviderCatalog catalog(relations, cat, fn);
  // The caller's session (pinned on this thread by the PostgreSQL protocol; else the default),
  // with the relations this statement sees.
  sql::Session session = sql::Session::Current();
  session.load_relations = [&catalog] { return catalog.Relations(); };
  sql::ScopedSession pin(&session);
  catalog.set_session(&session);
  if (explain) {
    ASSIGN_OR_RETURN(serving::QueryResult r, serving::ExplainEngineQuery(*explain, catalog, limits));
    if (sink) {
      RETURN_IF_ERROR(sink->begin(r.columns));
      for (auto& row : r.rows) RETURN_IF_ERROR(sink->row(std::move(row)));
      r.rows.clear();
    }
    return r;
  }
  ASSIGN_OR_RETURN(auto prepared, serving::PrepareEngineQuery(*select, catalog));
  return serving::RunPreparedEngineQuery(*prepared, limits, sink);
}

std::vector<std::string> Engine::Health() const {
  std::vector<std::string> problems;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, rt] : streams_)
    if (Status st = rt->log->health(); !st.ok()) problems.push_back(fmt::format("stream {}: {}", name, st.message()));
  return problems;
}

std::string Engine::DescribeStreamsJson() const {
  catalog::SnapshotPtr snap = catalog_->snapshot();
  json streams = json::array();
  for (const auto& [name, s] : snap->streams) {
    json cols = json::array();
    for (const auto& c : s->columns)
      cols.push_back({{"name", c.name}, {"type", TypeName(c.type)}, {"not_null", c.not_null}});
    json j = {{"name", name}, {"columns", cols},
              {"event_time", s->columns[s->event_time_index].name}, {"partition", TimeUnitName(s->partition)}};
    auto it = snap->stream_sql.find(name);
    if (it != snap->stream_sql.end()) j["sql"] = it->second;
    json views = json::array();
    for (const auto& [vn, v] : snap->views)
      if (v->stream == name) views.push_back(vn);
    j["views"] = views;
    if (auto rt = FindStream(name)) {
      uint64_t bytes = 0;
      auto segs = rt->log->Segments();
      for (const auto& sg : segs) bytes += sg.bytes;
      j["log"] = {{"last_seq", rt->log->last_seq()}, {"segments", segs.size()}, {"bytes", bytes}};
      auto m = lake_->LoadManifest(name);
      if (m.ok()) {
        uint64_t files = 0, rows = 0, lbytes = 0;
        for (const auto& sg : m->segments)
          for (const auto& f : sg.files) files++, rows += f.rows, lbytes += f.bytes;
        j["lake"] = {{"last_seq", m->last_seq()}, {"segments", m->segments.size()}, {"files", files},
                     {"rows", rows}, {"bytes", lbytes}, {"manifest_version", m->version}};
      }
    }
    streams.push_back(j);
  }
  return json({{"streams", streams}}).dump();
}

std::string Engine::DescribeViewsJson() const {
  catalog::SnapshotPtr snap = catalog_->snapshot();
  json out = json::array();
  for (const auto& [name, v] : snap->views) {
    json dims = json::array(), measures = json::array(), cols = json::array();
    for (const auto& d : v->dims)
      dims.push_back({{"name", d.name}, {"type", TypeName(d.type)}, {"expression", d.expr->ToString()}});
    for (const auto& m : v->measures)
      measures.push_back({{"name", m.name}, {"type", TypeName(m.output_type)},
                          {"aggregate", views::AggKindName(m.kind)}});
    for (const auto& c : v->columns)
      cols.push_back({{"name", v->ColumnName(c)}, {"type", TypeName(v->ColumnType(c))},
                      {"role", c.is_dimension ? "dimension" : "measure"}});
    json j = {{"name", name}, {"stream", v->stream}, {"sql", v->sql},
              {"definition_version", v->definition_version}, {"columns", cols},
              {"dimensions", dims}, {"measures", measures}};
    if (auto vr = FindView(name)) {
      speed::SpeedSnapshot s = vr->live->Snapshot();
      batch::VersionInfo info;
      {
        std::lock_guard<std::mutex> l(views_mu_);
        info = vr->info;
      }
      j["batch"] = info.Summary();
      if (j["batch"].is_object()) j["batch"]["approx_bytes"] = s.base ? s.base->ApproxBytes() : 0;
      j["speed"] = {{"generations", s.generations}, {"rows", s.rows},
                    {"max_seq", s.max_seq}, {"approx_bytes", vr->live->ApproxBytes()}};
      j["serving_definition_version"] = vr->def->definition_version;
      j["rebuilding"] = vr->def->definition_version != v->definition_version || vr->def->sql != v->sql;
    }
    out.push_back(j);
  }
  return json({{"views", out}}).dump();
}

std::string Engine::MetricsText() const {
  std::string out;
  auto counter = [&](const char* name, const char* help, uint64_t v) {
    out += fmt::format("# HELP {} {}\n# TYPE {} counter\n{} {}\n", name, help, name, name, v);
  };
  counter("laminar_events_accepted_total", "Events accepted and acked.", metrics_.events_accepted);
  counter("laminar_events_rejected_total", "Events rejected (dead-lettered).", metrics_.events_rejected);
  counter("laminar_ingest_requests_total", "Ingest requests.", metrics_.ingest_requests);
  counter("laminar_ingest_seconds_total", "Time spent in ingest requests (micros/1e6).",
          metrics_.ingest_micros_total / 1000000);
  counter("laminar_queries_total", "Queries run.", metrics_.queries);
  counter("laminar_query_errors_total", "Queries that failed.", metrics_.query_errors);
  counter("laminar_ddl_statements_total", "DDL statements applied.", metrics_.ddl_statements);
  out += SourcesMetricsText();
  std::lock_guard<std::mutex> lock(mu_);
  out += "# HELP laminar_log_last_seq Last sequence number per stream.\n# TYPE laminar_log_last_seq gauge\n";
  for (const auto& [name, rt] : streams_)
    out += fmt::format("laminar_log_last_seq{{stream=\"{}\"}} {}\n", name, rt->log->last_seq());
  return out;
}

}  // namespace laminar::engine
