#include "batch/builder.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "common/time_util.h"
#include "lake/parquet_reader.h"

namespace laminar::batch {

bool CanExtend(const BatchVersion& prev, const views::ViewDef& def, const lake::Manifest& m) {
  if (!prev.state || prev.info.definition_version != def.definition_version || prev.info.definition_sql != def.sql)
    return false;
  if (prev.info.retention_epoch != m.retention_epoch || prev.info.manifest_version > m.version) return false;
  if (prev.info.through_segment == 0) return prev.info.horizon == 0;
  for (const auto& seg : m.segments)
    if (seg.segment_id == prev.info.through_segment) return true;
  return false;
}

Result<std::optional<BatchVersion>> Build(const BuildRequest& req) {
  ASSIGN_OR_RETURN(auto all, BuildAll({req}));
  return std::move(all.front());
}

Result<std::vector<std::optional<BatchVersion>>> BuildAll(const std::vector<BuildRequest>& reqs) {
  int64_t start = MonotonicMicros();
  std::vector<std::optional<BatchVersion>> out(reqs.size());
  if (reqs.empty()) return out;
  const lake::Manifest& m = *reqs.front().manifest;
  const ingest::StreamSchema& schema = *reqs.front().schema;
  const lake::Lake& lake = *reqs.front().lake;
  uint64_t last_segment = m.segments.empty() ? 0 : m.segments.back().segment_id;
  std::vector<uint64_t> after(reqs.size());  // segments ≤ after[i] are already in view i's state
  std::vector<std::shared_ptr<views::ViewState>> states(reqs.size());
  std::vector<size_t> active;
  for (size_t i = 0; i < reqs.size(); i++) {
    const BuildRequest& req = reqs[i];
    bool full = req.full || !req.previous || !CanExtend(*req.previous, *req.def, m);
    if (!full && last_segment == req.previous->info.through_segment) continue;  // nothing new
    after[i] = full ? 0 : req.previous->info.through_segment;
    states[i] = full ? std::make_shared<views::ViewState>(req.def)
                     : std::make_shared<views::ViewState>(*req.previous->state);
    VersionInfo& info = out[i].emplace().info;
    info.view = req.def->name;
    info.version = req.version;
    info.definition_version = req.def->definition_version;
    info.definition_sql = req.def->sql;
    info.full = full;
    info.events = full ? 0 : req.previous->info.events;
    active.push_back(i);
  }
  if (active.empty()) return out;
  uint64_t min_after = UINT64_MAX;
  for (size_t i : active) min_after = std::min(min_after, after[i]);
  struct Job {
    uint64_t segment;
    const lake::LakeFile* file;
  };
  std::vector<Job> jobs;
  for (const auto& seg : m.segments)
    if (seg.segment_id > min_after)
      for (const auto& f : seg.files) jobs.push_back({seg.segment_id, &f});
  // The files are read and aggregated on every core: each worker folds its files into partial
  // states of its own, merged into the versions at the end (merges are exact and order-free:
  // views/aggregate.h), so the answer is the one pass would give.
  const size_t nworkers = std::max<size_t>(1, std::min<size_t>(jobs.size(), std::thread::hardware_concurrency()));
  struct Worker {
    std::vector<std::unique_ptr<views::ViewState>> partial;  // per request; null when inactive
    std::vector<uint64_t> files, rows;                       // per request
    Status status;
  };
  std::vector<Worker> workers(nworkers);
  for (Worker& w : workers) {
    w.partial.resize(reqs.size());
    w.files.assign(reqs.size(), 0);
    w.rows.assign(reqs.size(), 0);
    for (size_t i : active) w.partial[i] = std::make_unique<views::ViewState>(reqs[i].def);
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&](Worker& w) {
    for (size_t j; !failed.load() && (j = next.fetch_add(1)) < jobs.size();) {
      const Job& job = jobs[j];
      const lake::LakeFile& f = *job.file;
      std::string path = lake.FileKey(schema.name, f);
      Status st = [&]() -> Status {
        ASSIGN_OR_RETURN(std::string data, lake.ReadFile(schema.name, f));
        ASSIGN_OR_RETURN(auto reader, lake::ParquetReader::OpenBuffer(path, std::move(data)));
        uint64_t rows = 0;
        for (int g = 0; g < reader->num_row_groups(); g++) {
          auto batch = reader->ReadRowGroup(g, schema);
          if (!batch.ok()) return batch.status().WithContext(path);
          for (size_t i : active)
            if (job.segment > after[i]) w.partial[i]->Apply(*batch);
          rows += batch->num_rows();
        }
        if (rows != f.rows)
          return Corruption("{}: holds {} rows but the lake manifest says {}", path, rows, f.rows);
        for (size_t i : active) {
          if (job.segment <= after[i]) continue;
          w.files[i]++;
          w.rows[i] += rows;
        }
        return Status::OK();
      }();
      if (!st.ok()) {
        w.status = st;
        failed.store(true);
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < nworkers; t++) threads.emplace_back(work, std::ref(workers[t]));
  work(workers[0]);
  for (auto& t : threads) t.join();
  for (const Worker& w : workers) RETURN_IF_ERROR(w.status);
  for (const Worker& w : workers) {
    for (size_t i : active) {
      states[i]->Merge(*w.partial[i]);
      out[i]->info.files_read += w.files[i];
      out[i]->info.events_read += w.rows[i];
    }
  }
  int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  for (size_t i : active) {
    VersionInfo& info = out[i]->info;
    info.events += info.events_read;
    info.through_segment = last_segment;
    info.horizon = m.last_seq();
    info.manifest_version = m.version;
    info.retention_epoch = m.retention_epoch;
    info.rows = states[i]->num_groups();
    info.build_micros = MonotonicMicros() - start;
    info.created_at = now;
    out[i]->state = std::move(states[i]);
  }
  return out;
}

}  // namespace laminar::batch
