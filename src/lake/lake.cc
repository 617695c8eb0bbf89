#include "lake/lake.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

#include "common/crash_point.h"
#include "common/file_util.h"
#include "common/time_util.h"
#include "ingest/row_batch.h"

namespace laminar::lake {

using nlohmann::json;

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
    segs.push_back({{"segment_id", s.segment_id}, {"first_seq", s.first_seq}, {"last_seq", s.last_seq},
                    {"files", files}});
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

Result<Manifest> Lake::LoadManifest(const std::string& stream) const {
  std::string path = JoinPath(JoinPath(dir_, stream), "_manifest.json");
  auto text = ReadFile(path);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return Manifest{};
    return text.status();
  }
  return Manifest::FromJson(*text, path);
}

Result<size_t> Lake::CommitSealedSegments(const ingest::StreamSchema& schema, const wal::Log& log) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(Manifest m, LoadManifest(schema.name));
  size_t committed = 0;
  for (const wal::SegmentInfo& seg : log.Segments()) {
    if (!seg.sealed) break;  // in order: stop at the active segment
    if (m.Contains(seg.id)) continue;
    RETURN_IF_ERROR(CommitSegment(schema, log, seg, &m));
    committed++;
  }
  return committed;
}

Status Lake::CommitSegment(const ingest::StreamSchema& schema, const wal::Log& log,
                           const wal::SegmentInfo& seg, Manifest* m) {
  std::string stream_dir = JoinPath(dir_, schema.name);
  RETURN_IF_ERROR(CreateDirs(stream_dir));
  SegmentEntry entry{seg.id, seg.first_seq, seg.last_seq, {}};
  if (seg.first_seq != 0) {
    // Split the segment's events by event hour, keeping log order within each hour.
    std::map<int64_t, ingest::RowBatch> hours;
    const int et = schema.event_time_index;
    bool past = false;
    Status st = log.Replay(seg.first_seq, [&](const wal::Record& r) -> Status {
      if (r.segment_id < seg.id) return Status::OK();
      if (r.segment_id > seg.id) {
        past = true;
        return Unavailable("past the segment");  // stops the replay; `past` tells it apart
      }
      ASSIGN_OR_RETURN(ingest::RowBatch batch, ingest::RowBatch::Decode(r.payload, schema));
      const ingest::Column& ts = batch.column(et);
      for (size_t i = 0; i < batch.num_rows(); i++) {
        int64_t hour = DateTrunc(TimeUnit::kHour, ts.ints[i]);
        auto it = hours.find(hour);
        if (it == hours.end()) it = hours.emplace(hour, ingest::RowBatch(schema)).first;
        it->second.AppendRow(batch.GetRow(i));
      }
      return Status::OK();
    });
    if (!st.ok() && !past) return st.WithContext(fmt::format("lake: reading segment {} of {}", seg.id, schema.name));
    for (auto& [hour, rows] : hours) {
      int64_t y;
      unsigned mo, d;
      CivilFromDays(hour / kMicrosPerDay - (hour % kMicrosPerDay < 0), &y, &mo, &d);
      int h = int((hour - DateTrunc(TimeUnit::kDay, hour)) / kMicrosPerHour);
      std::string part = fmt::format("event_date={:04}-{:02}-{:02}/event_hour={:02}", y, mo, d, h);
      std::string name = fmt::format("seg-{:020}.parquet", seg.id);
      std::string dir = JoinPath(stream_dir, part);
      RETURN_IF_ERROR(CreateDirs(dir));
      std::string path = JoinPath(dir, name), tmp = path + ".tmp";
      ASSIGN_OR_RETURN(auto writer, ParquetWriter::Open(tmp, schema, options_));
      writer->AddMetadata("laminar.stream", schema.name);
      writer->AddMetadata("laminar.segment_id", std::to_string(seg.id));
      writer->AddMetadata("laminar.first_seq", std::to_string(seg.first_seq));
      writer->AddMetadata("laminar.last_seq", std::to_string(seg.last_seq));
      Status ws = writer->Write(rows);
      if (ws.ok()) ws = writer->Finish();
      if (!ws.ok()) {
        writer->Abandon();
        return ws.WithContext("lake: writing " + path);
      }
      if (std::rename(tmp.c_str(), path.c_str()) != 0) return IOError("rename {} → {}", tmp, path);
      RETURN_IF_ERROR(FsyncDir(dir));
      LakeFile f;
      f.path = JoinPath(part, name);
      f.rows = rows.num_rows();
      f.bytes = static_cast<uint64_t>(writer->bytes_written());
      f.min_event_time = hour;
      f.max_event_time = hour;
      const ingest::Column& ts = rows.column(et);
      if (!ts.ints.empty()) {
        f.min_event_time = *std::min_element(ts.ints.begin(), ts.ints.end());
        f.max_event_time = *std::max_element(ts.ints.begin(), ts.ints.end());
      }
      entry.files.push_back(std::move(f));
    }
  }
  CrashPoint("lake.before_manifest");
  Manifest next = *m;
  next.version++;
  next.segments.push_back(std::move(entry));
  RETURN_IF_ERROR(WriteFileAtomic(JoinPath(stream_dir, "_manifest.json"), next.ToJson(), "lake.manifest_before_rename"));
  *m = std::move(next);
  CrashPoint("lake.after_manifest");
  spdlog::info("lake: stream {} segment {} (seq {}..{}) committed", schema.name, seg.id, seg.first_seq, seg.last_seq);
  return Status::OK();
}

std::string Lake::FilePath(const std::string& stream, const LakeFile& f) const {
  return JoinPath(JoinPath(dir_, stream), f.path);
}

Result<size_t> Lake::DropPartitionsBefore(const std::string& stream, int64_t cutoff) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(Manifest m, LoadManifest(stream));
  Manifest next = m;
  size_t dropped = 0;
  for (SegmentEntry& seg : next.segments) {
    std::vector<LakeFile> keep;
    for (LakeFile& f : seg.files) {
      // Files hold one event hour each: the partition ends an hour after its first micro.
      if (DateTrunc(TimeUnit::kHour, f.min_event_time) + kMicrosPerHour <= cutoff) {
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
    RETURN_IF_ERROR(WriteFileAtomic(JoinPath(JoinPath(dir_, stream), "_manifest.json"), next.ToJson()));
    spdlog::info("lake: stream {}: retention dropped {} files of partitions before {}", stream, dropped,
                 FormatTimestamp(cutoff));
    CrashPoint("lake.retention_after_manifest");
  }
  RETURN_IF_ERROR(DeleteUnlisted(stream, next));
  return dropped;
}

Status Lake::DeleteUnlisted(const std::string& stream, const Manifest& m) {
  std::set<std::string> listed;
  std::set<uint64_t> committed;
  for (const auto& seg : m.segments) {
    committed.insert(seg.segment_id);
    for (const auto& f : seg.files) listed.insert(f.path);
  }
  std::string stream_dir = JoinPath(dir_, stream);
  std::error_code ec;
  if (!std::filesystem::exists(stream_dir, ec)) return Status::OK();
  std::vector<std::filesystem::path> empty_dirs;
  for (auto it = std::filesystem::recursive_directory_iterator(stream_dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const auto& p = it->path();
    if (it->is_directory()) {
      empty_dirs.push_back(p);
      continue;
    }
    std::string name = p.filename().string();
    unsigned long long id = 0;
    if (std::sscanf(name.c_str(), "seg-%llu.parquet", &id) != 1 || name.size() != 32) continue;
    std::string rel = std::filesystem::relative(p, stream_dir).string();
    if (committed.count(id) && !listed.count(rel)) {
      if (::unlink(p.c_str()) != 0 && errno != ENOENT) return IOError("unlink {}: {}", p.string(), std::strerror(errno));
    }
  }
  if (ec) return IOError("listing {}: {}", stream_dir, ec.message());
  // Remove partition directories left empty, deepest first.
  for (auto it = empty_dirs.rbegin(); it != empty_dirs.rend(); ++it) {
    std::filesystem::remove(*it, ec);  // fails (harmlessly) when not empty
    ec.clear();
  }
  return FsyncDir(stream_dir);
}

}  // namespace laminar::lake
