#include "lake/lake.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "common/crash_point.h"
#include "common/file_util.h"
#include "common/time_util.h"

namespace laminar::lake {

using nlohmann::json;

namespace {

constexpr const char* kManifestDir = "_manifest/";

std::string ManifestPrefix(const std::string& stream) { return stream + "/" + kManifestDir; }
std::string ManifestKey(const std::string& stream, uint64_t version) {
  return fmt::format("{}{:020}.json", ManifestPrefix(stream), version);
}
// The version of a manifest key, 0 when the key is not one.
uint64_t ManifestVersion(const std::string& key, const std::string& prefix) {
  if (key.size() != prefix.size() + 25 || key.compare(0, prefix.size(), prefix) != 0) return 0;
  if (key.compare(key.size() - 5, 5, ".json") != 0) return 0;
  uint64_t v = 0;
  for (size_t i = prefix.size(); i < prefix.size() + 20; i++) {
    if (key[i] < '0' || key[i] > '9') return 0;
    v = v * 10 + uint64_t(key[i] - '0');
  }
  return v;
}


bool IsLakeDataFile(const std::string& key) {
  size_t slash = key.rfind('/');
  std::string name = key.substr(slash + 1);
  return name.size() == 32 && (name.rfind("seg-", 0) == 0 || name.rfind("att-", 0) == 0) &&
         name.compare(24, 8, ".parquet") == 0;
}

}  // namespace

bool Manifest::Contains(uint64_t segment_id) const {
  for (const auto& s : segments)
    if (s.segment_id == segment_id) return true;
  return false;
}

uint64_t Manifest::last_seq() const {
  uint64_t m = 0;
  for (const auto& s : segments) m = std::max(m, s.last_seq);
  return m;
}

std::string Manifest::ToJson() const {
  json segs = json::array();
  for (const auto& s : segments) {
    json files = json::array();
    for (const auto& f : s.files)
      files.push_back({{"path", f.path}, {"rows", f.rows}, {"bytes", f.bytes},
                       {"min_event_time", FormatTimestamp(f.min_event_time)},
                       {"max_event_time", FormatTimestamp(f.max_event_time)}});
    json e = {{"segment_id", s.segment_id}, {"first_seq", s.first_seq}, {"last_seq", s.last_seq},
              {"files", files}};
    if (!s.attached_from.empty()) e["attached_from"] = s.attached_from;
    segs.push_back(std::move(e));
  }
  json j = {{"format", "laminar-lake-manifest"}, {"format_version", 1}, {"version", version},
            {"retention_epoch", retention_epoch}, {"segments", segs}};
  if (dropped_before != 0) j["dropped_before"] = FormatTimestamp(dropped_before);
  return j.dump(1);
}

Result<Manifest> Manifest::FromJson(const std::string& text, const std::string& path) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != "laminar-lake-manifest")
    return Corruption("{}: not a Laminar lake manifest", path);
  if (j.value("format_version", 0) != 1)
    return Corruption("{}: unsupported manifest format_version {}", path, j.value("format_version", 0));
  Manifest m;
  try {
    m.version = j.at("version").get<uint64_t>();
    m.retention_epoch = j.value("retention_epoch", uint64_t{0});
    if (j.contains("dropped_before")) {
      auto t = ParseTimestamp(j.at("dropped_before").get<std::string>());
      if (!t) return Corruption("{}: bad dropped_before", path);
      m.dropped_before = *t;
    }
    for (const auto& s : j.at("segments")) {
      SegmentEntry e;
      e.segment_id = s.at("segment_id").get<uint64_t>();
      e.first_seq = s.at("first_seq").get<uint64_t>();
      e.last_seq = s.at("last_seq").get<uint64_t>();
      e.attached_from = s.value("attached_from", "");
      for (const auto& f : s.at("files")) {
        LakeFile lf;
        lf.path = f.at("path").get<std::string>();
        lf.rows = f.at("rows").get<uint64_t>();
        lf.bytes = f.at("bytes").get<uint64_t>();
        auto lo = ParseTimestamp(f.at("min_event_time").get<std::string>());
        auto hi = ParseTimestamp(f.at("max_event_time").get<std::string>());
        if (!lo || !hi) return Corruption("{}: bad event time range for {}", path, lf.path);
        lf.min_event_time = *lo;
        lf.max_event_time = *hi;
        e.files.push_back(std::move(lf));
      }
      m.segments.push_back(std::move(e));
    }
  } catch (const json::exception& e) {
    return Corruption("{}: {}", path, e.what());
  }
  return m;
}

std::string PartitionPath(TimeUnit unit, int64_t start) {
  int64_t y;
  unsigned mo, d;
  int64_t day = DateTrunc(TimeUnit::kDay, start);
  CivilFromDays(day / kMicrosPerDay, &y, &mo, &d);
  if (unit == TimeUnit::kMonth) return fmt::format("event_month={:04}-{:02}", y, mo);
  if (unit == TimeUnit::kDay) return fmt::format("event_date={:04}-{:02}-{:02}", y, mo, d);
  return fmt::format("event_date={:04}-{:02}-{:02}/event_hour={:02}", y, mo, d, int((start - day) / kMicrosPerHour));
}

int64_t PartitionEnd(TimeUnit unit, int64_t start) {
  switch (unit) {
    case TimeUnit::kMonth: return DateTrunc(TimeUnit::kMonth, start + 32 * kMicrosPerDay);
    case TimeUnit::kDay: return start + kMicrosPerDay;
    default: return start + kMicrosPerHour;
  }
}

void SplitByPartition(const ingest::StreamSchema& schema, const ingest::RowBatch& batch,
                      std::map<int64_t, ingest::RowBatch>* parts) {
  // The rows of each partition, then each one's rows copied a column at a time (a log record of a
  // dense stream usually falls in one partition: then the whole batch at once).
  const ingest::Column& ts = batch.column(schema.event_time_index);
  std::map<int64_t, std::vector<uint32_t>> rows;
  for (size_t i = 0; i < batch.num_rows(); i++)
    rows[DateTrunc(schema.partition, ts.ints[i])].push_back(static_cast<uint32_t>(i));
  for (const auto& [start, which] : rows) {
    auto it = parts->find(start);
    if (it == parts->end()) it = parts->emplace(start, ingest::RowBatch(schema)).first;
    if (which.size() == batch.num_rows()) it->second.AppendBatch(batch);
    else it->second.AppendRows(batch, which);
  }
}

Lake::Lake(std::shared_ptr<objstore::ObjectStore> store, std::string staging_dir, WriterOptions options)
    : store_(std::move(store)), staging_dir_(std::move(staging_dir)), options_(options) {}

std::string Lake::FileKey(const std::string& stream, const LakeFile& f) const { return stream + "/" + f.path; }
std::string Lake::LocalPath(const std::string& stream, const LakeFile& f) const {
  return store_->LocalPath(FileKey(stream, f));
}
Result<std::string> Lake::ReadFile(const std::string& stream, const LakeFile& f) const {
  auto data = store_->Get(FileKey(stream, f));
  if (!data.ok()) return data.status().WithContext("lake file of the manifest");
  return data;
}

Result<Manifest> Lake::LoadManifest(const std::string& stream) const {
  {
    std::lock_guard<std::mutex> l(cache_mu_);
    auto it = cache_.find(stream);
    if (it != cache_.end()) return it->second;
  }
  ASSIGN_OR_RETURN(Manifest m, LoadFromStore(stream));
  std::lock_guard<std::mutex> l(cache_mu_);
  return cache_.try_emplace(stream, std::move(m)).first->second;  // a commit meanwhile wins
}

Result<Manifest> Lake::LoadFromStore(const std::string& stream) const {
  const std::string prefix = ManifestPrefix(stream);
  ASSIGN_OR_RETURN(auto objects, store_->List(prefix));
  uint64_t newest = 0;
  std::string key;
  for (const auto& o : objects) {
    uint64_t v = ManifestVersion(o.key, prefix);
    if (v > newest) {
      newest = v;
      key = o.key;
    }
  }
  if (newest == 0) return Manifest{};
  ASSIGN_OR_RETURN(std::string text, store_->Get(key));
  std::string where = store_->url() + "/" + key;
  ASSIGN_OR_RETURN(Manifest m, Manifest::FromJson(text, where));
  if (m.version != newest) return Corruption("{}: holds version {}", where, m.version);
  // Old versions beyond the kept ones (a crash may have skipped their deletion).
  for (const auto& o : objects) {
    uint64_t v = ManifestVersion(o.key, prefix);
    if (v != 0 && v + kKeepManifests <= newest) store_->Delete(o.key).IgnoreError();
  }
  return m;
}

Status Lake::CommitManifest(const std::string& stream, Manifest next) {
  Status st = PutManifest(stream, next);
  std::lock_guard<std::mutex> l(cache_mu_);
  if (st.ok()) {
    cache_[stream] = std::move(next);
  } else {
    // The put may have happened although it failed for us (an answer lost after the retries):
    // the next load asks the store.
    cache_.erase(stream);
  }
  return st;
}

Status Lake::PutManifest(const std::string& stream, const Manifest& next) {
  const std::string key = ManifestKey(stream, next.version);
  const std::string text = next.ToJson();
  Status st = store_->PutIfAbsent(key, text);
  if (st.code() == StatusCode::kAlreadyExists) {
    // Ours already, when a retried request had in fact succeeded; else another writer's.
    auto there = store_->Get(key);
    if (!there.ok() || *there != text) {
      return Unavailable("lake manifest {} of stream {} was committed by another writer: is a second "
                         "Laminar using the lake {}?", next.version, stream, store_->url());
    }
    st = Status::OK();
  }
  RETURN_IF_ERROR(st);
  if (next.version > kKeepManifests) store_->Delete(ManifestKey(stream, next.version - kKeepManifests)).IgnoreError();
  return Status::OK();
}

Result<size_t> Lake::CommitSealedSegments(const ingest::StreamSchema& schema, const wal::Log& log) {
  std::lock_guard<std::mutex> lock(mu_);
  return CommitSealedLocked(schema, log);
}

Result<size_t> Lake::CommitSealedLocked(const ingest::StreamSchema& schema, const wal::Log& log) {
  ASSIGN_OR_RETURN(Manifest m, LoadManifest(schema.name));
  uint64_t last_id = m.segments.empty() ? 0 : m.segments.back().segment_id;
  size_t committed = 0;
  for (const wal::SegmentInfo& seg : log.Segments()) {
    if (!seg.sealed) break;  // in order: stop at the active segment
    if (seg.id <= last_id) continue;  // committed (or before an attached range)
    RETURN_IF_ERROR(CommitSegment(schema, log, seg, &m));
    committed++;
  }
  return committed;
}

Result<std::vector<LakeFile>> Lake::WritePartitions(const ingest::StreamSchema& schema,
                                                    std::map<int64_t, ingest::RowBatch>& parts,
                                                    const std::string& file_prefix, const SegmentEntry& entry) {
  RETURN_IF_ERROR(CreateDirs(staging_dir_));
  std::vector<LakeFile> files;
  const int et = schema.event_time_index;
  for (auto& [start, rows] : parts) {
    std::string part = PartitionPath(schema.partition, start);
    std::string name = fmt::format("{}-{:020}.parquet", file_prefix, entry.segment_id);
    std::string staged = JoinPath(staging_dir_, fmt::format("{}.{}.{}", schema.name, start, name));
    ASSIGN_OR_RETURN(auto writer, ParquetWriter::Open(staged, schema, options_));
    writer->AddMetadata("laminar.stream", schema.name);
    writer->AddMetadata("laminar.segment_id", std::to_string(entry.segment_id));
    writer->AddMetadata("laminar.first_seq", std::to_string(entry.first_seq));
    writer->AddMetadata("laminar.last_seq", std::to_string(entry.last_seq));
    if (!entry.attached_from.empty()) writer->AddMetadata("laminar.attached_from", entry.attached_from);
    Status ws = writer->Write(rows);
    if (ws.ok()) ws = writer->Finish();
    if (!ws.ok()) {
      writer->Abandon();
      return ws.WithContext("lake: writing " + part + "/" + name);
    }
    LakeFile f;
    f.path = part + "/" + name;
    f.rows = rows.num_rows();
    f.bytes = static_cast<uint64_t>(writer->bytes_written());
    const ingest::Column& ts = rows.column(et);
    f.min_event_time = *std::min_element(ts.ints.begin(), ts.ints.end());
    f.max_event_time = *std::max_element(ts.ints.begin(), ts.ints.end());
    RETURN_IF_ERROR(store_->Upload(FileKey(schema.name, f), staged));
    files.push_back(std::move(f));
  }
  return files;
}

Status Lake::CommitSegment(const ingest::StreamSchema& schema, const wal::Log& log,
                           const wal::SegmentInfo& seg, Manifest* m) {
  SegmentEntry entry{seg.id, seg.first_seq, seg.last_seq, {}, ""};
  if (seg.first_seq != 0) {
    // Split the segment's events by partition, keeping log order within each.
    std::map<int64_t, ingest::RowBatch> hours;
    bool past = false;
    Status st = log.Replay(seg.first_seq, [&](const wal::Record& r) -> Status {
      if (r.segment_id < seg.id) return Status::OK();
      if (r.segment_id > seg.id) {
        past = true;
        return Unavailable("past the segment");  // stops the replay; `past` tells it apart
      }
      ASSIGN_OR_RETURN(ingest::RowBatch batch, ingest::RowBatch::Decode(r.payload, schema));
      SplitByPartition(schema, batch, &hours);
      return Status::OK();
    });
    if (!st.ok() && !past) return st.WithContext(fmt::format("lake: reading segment {} of {}", seg.id, schema.name));
    ASSIGN_OR_RETURN(entry.files, WritePartitions(schema, hours, "seg", entry));
  }
  CrashPoint("lake.before_manifest");
  Manifest next = *m;
  next.version++;
  next.segments.push_back(std::move(entry));
  RETURN_IF_ERROR(CommitManifest(schema.name, next));
  *m = std::move(next);
  CrashPoint("lake.after_manifest");
  spdlog::info("lake: stream {} segment {} (seq {}..{}) committed", schema.name, seg.id, seg.first_seq, seg.last_seq);
  return Status::OK();
}

Result<SegmentEntry> Lake::Attach(const ingest::StreamSchema& schema, wal::Log* log,
                                  const std::string& source_name, const RowSource& rows, uint64_t max_rows) {
  // Read and check everything before anything is reserved or written.
  std::map<int64_t, ingest::RowBatch> hours;
  uint64_t n = 0;
  const int et = schema.event_time_index;
  RETURN_IF_ERROR(rows([&](ingest::RowBatch&& batch) -> Status {
    if (batch.num_columns() != schema.columns.size()) return Internal("attach: batch of another schema");
    const ingest::Column& ts = batch.column(et);
    for (size_t i = 0; i < batch.num_rows(); i++) {
      if (ts.is_null(i)) {
        return InvalidArgument("row {} of {} has no event time (column {} is null)", n + i + 1, source_name,
                               schema.columns[et].name);
      }
    }
    n += batch.num_rows();
    if (n > max_rows) {
      return ResourceExhausted("{} holds more than {} rows, the limit of one attach (lake.attach_max_rows)",
                               source_name, max_rows);
    }
    SplitByPartition(schema, batch, &hours);
    return Status::OK();
  }));
  if (n == 0) return InvalidArgument("{} holds no rows to attach", source_name);

  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(wal::AppendResult r, log->Reserve(n));
  // Every segment before the reserved id is sealed now: commit them first, so the manifest stays
  // in sequence order.
  ASSIGN_OR_RETURN(size_t committed, CommitSealedLocked(schema, *log));
  (void)committed;
  ASSIGN_OR_RETURN(Manifest m, LoadManifest(schema.name));
  SegmentEntry entry{r.segment_id, r.first_seq, r.last_seq, {}, source_name};
  ASSIGN_OR_RETURN(entry.files, WritePartitions(schema, hours, "att", entry));
  CrashPoint("lake.before_manifest");
  Manifest next = m;
  next.version++;
  next.segments.push_back(entry);
  RETURN_IF_ERROR(CommitManifest(schema.name, next));
  CrashPoint("lake.after_manifest");
  spdlog::info("lake: stream {}: attached {} rows of {} as segment {} (seq {}..{}) in {} files", schema.name, n,
               source_name, entry.segment_id, entry.first_seq, entry.last_seq, entry.files.size());
  return entry;
}

Result<size_t> Lake::DropPartitionsBefore(const ingest::StreamSchema& schema, int64_t cutoff) {
  const std::string& stream = schema.name;
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(Manifest m, LoadManifest(stream));
  Manifest next = m;
  size_t dropped = 0;
  for (SegmentEntry& seg : next.segments) {
    std::vector<LakeFile> keep;
    for (LakeFile& f : seg.files) {
      // A file holds one partition: it ends where the partition of its first event does.
      if (PartitionEnd(schema.partition, DateTrunc(schema.partition, f.min_event_time)) <= cutoff) {
        dropped++;
      } else {
        keep.push_back(std::move(f));
      }
    }
    seg.files = std::move(keep);
  }
  if (dropped > 0) {
    next.version++;
    next.retention_epoch++;
    next.dropped_before = std::max(m.dropped_before, cutoff);
    RETURN_IF_ERROR(CommitManifest(stream, next));
    spdlog::info("lake: stream {}: retention dropped {} files of partitions before {}", stream, dropped,
                 FormatTimestamp(cutoff));
    CrashPoint("lake.retention_after_manifest");
  }
  RETURN_IF_ERROR(DeleteUnlisted(stream, next));
  return dropped;
}

Status Lake::DeleteUnlisted(const std::string& stream, const Manifest& m) {
  std::set<std::string> listed;
  for (const auto& seg : m.segments)
    for (const auto& f : seg.files) listed.insert(FileKey(stream, f));
  ASSIGN_OR_RETURN(auto objects, store_->List(stream + "/"));  // every partition (not the manifests)
  for (const auto& o : objects) {
    // Runs under mu_: no commit is writing files meanwhile, so an unlisted file is garbage (a
    // dropped partition, or a commit or attach that never reached its manifest).
    if (IsLakeDataFile(o.key) && !listed.count(o.key)) RETURN_IF_ERROR(store_->Delete(o.key));
  }
  return Status::OK();
}

Status Lake::DropStream(const std::string& stream) {
  std::lock_guard<std::mutex> lock(mu_);
  {
    std::lock_guard<std::mutex> l(cache_mu_);
    cache_.erase(stream);
  }
  ASSIGN_OR_RETURN(auto manifests, store_->List(ManifestPrefix(stream)));
  // Oldest first: a crash midway leaves the newest manifest, whose files still exist. (The engine
  // drops a stream's leftovers again before a stream of the same name is created.)
  for (const auto& o : manifests) RETURN_IF_ERROR(store_->Delete(o.key));
  ASSIGN_OR_RETURN(auto objects, store_->List(stream + "/"));
  for (const auto& o : objects) RETURN_IF_ERROR(store_->Delete(o.key));
  return Status::OK();
}

namespace {
std::string DefinitionKey(const std::string& stream) { return stream + "/_stream.sql"; }
}  // namespace

Status Lake::WriteDefinition(const std::string& stream, const std::string& sql) {
  ASSIGN_OR_RETURN(std::optional<std::string> now, ReadDefinition(stream));
  if (now == sql) return Status::OK();
  return store_->Put(DefinitionKey(stream), sql);
}

Result<std::optional<std::string>> Lake::ReadDefinition(const std::string& stream) const {
  auto text = store_->Get(DefinitionKey(stream));
  if (text.ok()) return std::optional<std::string>(std::move(*text));
  if (text.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
  return text.status();
}

Result<std::vector<std::string>> Lake::Streams() const {
  ASSIGN_OR_RETURN(auto objects, store_->List(""));
  std::vector<std::string> names;
  for (const auto& o : objects) {
    size_t slash = o.key.find('/');
    if (slash == std::string::npos || slash == 0) continue;
    std::string name = o.key.substr(0, slash);
    if (names.empty() || names.back() != name) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Result<bool> Lake::HasData(const std::string& stream) const {
  ASSIGN_OR_RETURN(auto objects, store_->List(stream + "/"));
  return !objects.empty();
}

}  // namespace laminar::lake
