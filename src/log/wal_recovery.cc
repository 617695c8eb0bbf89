#include "log/wal_recovery.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <utility>

#include "common/file_util.h"
#include "common/fs.h"
#include "log/wal_reader.h"

namespace laminar::wal {
namespace {

void Note(RecoveryReport* report, std::string message) {
  spdlog::warn("wal recovery: {}", message);
  if (report != nullptr) report->messages.push_back(std::move(message));
}

// ftruncate + fsync: on OK the file is `size` bytes long, durably.
Status TruncateFile(const std::string& path, uint64_t size) {
  ASSIGN_OR_RETURN(std::unique_ptr<fs::WritableFile> f, fs::Current()->Open(path, fs::OpenMode::kAppend));
  Status st = f->Truncate(size);
  if (st.ok()) st = f->Sync(false);
  Status closed = f->Close();
  return st.ok() ? closed : st;
}

// True when `bytes` (at most a header long) could be the start of a segment header being
// written when the process died: zeros, or a prefix of the magic followed by anything.
bool LooksLikeTornHeader(std::string_view bytes) {
  if (std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; })) return true;
  size_t n = std::min(bytes.size(), kSegmentMagic.size());
  return bytes.substr(0, n) == kSegmentMagic.substr(0, n);
}

struct SegmentOutcome {
  bool removed = false;
  RecoveredSegment segment;
  uint64_t records = 0;
};

// Recovery of one log directory: the state file's gaps, the options, the report.
struct Recovery {
  std::string dir;
  const Options& options;
  LogState* state;
  RecoveryReport* report;
  bool state_changed = false;
  // The changes to the files (cuts, rewrites, removals), made only once every segment passed:
  // a refused recovery leaves the directory as it found it.
  std::vector<std::function<Status()>> changes;

  // Sequence numbers [first, last] are absent where the log should hold them (`where` says
  // where, for the message): OK when they are a known gap (reserved, or lost in an earlier
  // salvage); recorded as lost under salvage; Corruption otherwise.
  Status Absent(uint64_t first, uint64_t last, const std::string& where, const std::string& hint) {
    if (state->Covers(first, last)) return Status::OK();
    if (!options.salvage)
      return Corruption("{}: sequence numbers {}..{} are missing ({}). Restore the missing data from a backup, or "
                        "start with --salvage-wal to accept the loss of those events",
                        where, first, last, hint);
    state->AddGap(first, last, SeqGap::Kind::kLost);
    state_changed = true;
    if (report != nullptr) report->lost_events += last - first + 1;
    spdlog::error("wal recovery: {}: salvage: sequence numbers {}..{} ({} events) are lost ({})", where, first, last,
                  last - first + 1, hint);
    if (report != nullptr)
      report->messages.push_back(fmt::format("{}: salvage: sequence numbers {}..{} ({} events) are lost ({})", where,
                                             first, last, last - first + 1, hint));
    return Status::OK();
  }

  Result<SegmentOutcome> Segment(const std::string& path, uint64_t id, bool is_last, uint64_t min_base,
                                 bool has_previous);
};

// Rewrites `path` without the byte ranges in `drop` (sorted, disjoint), atomically.
Status DropRanges(const std::string& path, const std::vector<std::pair<uint64_t, uint64_t>>& drop) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  std::string kept;
  uint64_t at = 0;
  for (const auto& [from, to] : drop) {
    kept.append(bytes, at, from - at);
    at = to;
  }
  kept.append(bytes, at, std::string::npos);
  return WriteFileAtomic(path, kept);
}

// Recovers one segment. `min_base` is the lowest sequence number the segment may start at:
// just past the previous segment's records when `has_previous`.
Result<SegmentOutcome> Recovery::Segment(const std::string& path, uint64_t id, bool is_last, uint64_t min_base,
                                         bool has_previous) {
  ASSIGN_OR_RETURN(std::unique_ptr<SegmentReader> reader, SegmentReader::Open(path));
  const uint64_t size = reader->file_size();
  SegmentOutcome out;

  ASSIGN_OR_RETURN(std::string_view header_bytes, reader->ReadHeaderBytes());
  SegmentHeader header;
  if (Status hs = DecodeSegmentHeader(header_bytes, &header); !hs.ok()) {
    bool torn_creation = false;
    if (is_last) {
      if (size <= kSegmentHeaderSize) {
        torn_creation = LooksLikeTornHeader(header_bytes);
      } else {
        reader->SetRange(0, size);
        ASSIGN_OR_RETURN(torn_creation, reader->AllZeroFrom(0));
      }
    }
    if (!torn_creation) {
      return Corruption("WAL segment {} is damaged at offset 0: {}", path, hs.message());
    }
    if (id <= state->created_segment && !options.salvage) {
      // Its creation completed (the state file says so): not what a crash leaves.
      return Corruption("WAL segment {} is damaged at offset 0 ({} bytes, no valid header), but its creation had "
                        "completed: the events it held are lost. Restore it from a backup, or start with "
                        "--salvage-wal to accept the loss",
                        path, size);
    }
    reader.reset();
    changes.push_back([path, d = dir] {
      RETURN_IF_ERROR(RemoveFile(path));
      return FsyncDir(d);
    });
    Note(report, fmt::format("{}: segment header cut short ({} bytes; a crash while creating the "
                             "segment); removed the file, which held no records",
                             path, size));
    out.removed = true;
    return out;
  }
  if (header.segment_id != id) {
    return Corruption("WAL segment {} is damaged at offset 0: its header names segment {}", path,
                      header.segment_id);
  }
  if (header.base_seq < min_base) {
    return Corruption(
        "WAL segment {} is damaged at offset 0: it starts at sequence number {}, but earlier "
        "segments reach {}",
        path, header.base_seq, min_base - 1);
  }
  if (has_previous && header.base_seq > min_base) {
    RETURN_IF_ERROR(Absent(min_base, header.base_seq - 1, fmt::format("WAL segment {}", path),
                           "no segment holds them: a segment file before this one was deleted or lost"));
  }

  RecoveredSegment& seg = out.segment;
  seg.id = id;
  seg.base_seq = header.base_seq;
  seg.bytes = size;
  seg.path = path;
  uint64_t expected = header.base_seq;
  reader->SetRange(kSegmentHeaderSize, size);
  ParsedRecord rec;
  ReadProblem problem;
  std::vector<std::pair<uint64_t, uint64_t>> dropped;  // salvage: damaged byte ranges
  uint64_t end = size;                                 // after a torn tail's cut
  for (;;) {
    ASSIGN_OR_RETURN(SegmentReader::Outcome outcome, reader->Next(&rec, &problem));
    if (outcome == SegmentReader::Outcome::kEnd) break;
    if (outcome == SegmentReader::Outcome::kRecord) {
      if (rec.count == 0 || rec.first_seq < expected || expected > UINT64_MAX - rec.count) {
        return Corruption(
            "WAL segment {} is damaged at offset {}: the record holds sequence numbers {}+{}, "
            "but {} was expected next",
            path, rec.offset, rec.first_seq, rec.count, expected);
      }
      if (rec.first_seq > expected) {
        RETURN_IF_ERROR(Absent(expected, rec.first_seq - 1, fmt::format("WAL segment {} at offset {}", path, rec.offset),
                               "the records before this one skip them"));
      }
      if (seg.first_seq == 0) seg.first_seq = rec.first_seq;
      seg.last_seq = rec.first_seq + rec.count - 1;
      expected = rec.first_seq + rec.count;
      ++out.records;
      continue;
    }
    // A bad record at problem.offset.
    if (problem.kind == ReadProblem::Kind::kMalformed) {
      return Corruption("WAL segment {} is damaged at offset {}: {}", path, problem.offset,
                        problem.reason);
    }
    // Valid records after the damage make it corruption, not a torn tail: cutting here would
    // drop them, and they were acknowledged.
    ASSIGN_OR_RETURN(std::optional<SegmentReader::Found> next, reader->FindRecord(problem.offset + 1, expected));
    if (next) {
      std::string where = fmt::format("WAL segment {} at offset {}", path, problem.offset);
      if (!options.salvage) {
        return Corruption(
            "WAL segment {} is damaged at offset {}: {}; valid records follow at offset {} (from sequence number "
            "{}), so this is not a torn tail, and cutting it would lose acknowledged events from sequence number "
            "{} on. Restore the file from a backup, or start with --salvage-wal to keep every valid record "
            "(losing the events of the damaged bytes, sequence numbers {}..{})",
            path, problem.offset, problem.reason, next->offset, next->first_seq, expected, expected,
            next->first_seq - 1);
      }
      Note(report, fmt::format("{}: salvage: {}; dropped {} damaged bytes, valid records resume at offset {}", path,
                               problem.reason, next->offset - problem.offset, next->offset));
      if (next->first_seq > expected)
        RETURN_IF_ERROR(Absent(expected, next->first_seq - 1, where, "their records were damaged"));
      dropped.push_back({problem.offset, next->offset});
      reader->SetRange(next->offset, size);
      expected = next->first_seq;
      continue;
    }
    bool torn_tail = is_last || problem.kind == ReadProblem::Kind::kIncomplete;
    if (!torn_tail) {
      ASSIGN_OR_RETURN(torn_tail, reader->AllZeroFrom(problem.offset));
    }
    if (!torn_tail) {
      return Corruption(
          "WAL segment {} is damaged at offset {}: {}; the segment is sealed and the damage is "
          "followed by data, so it is not a torn tail. Restore the file from a backup, or move "
          "it out of the directory to start without its records",
          path, problem.offset, problem.reason);
    }
    uint64_t cut = size - problem.offset;
    reader.reset();
    if (!dropped.empty()) {
      dropped.push_back({problem.offset, size});
    } else {
      changes.push_back([path, at = problem.offset] { return TruncateFile(path, at); });
      end = problem.offset;
    }
    if (report != nullptr) report->truncated_bytes += cut;
    Note(report, fmt::format("{}: torn tail at offset {}: {}; truncated {} bytes", path,
                             problem.offset, problem.reason, cut));
    break;
  }
  reader.reset();
  seg.bytes = end;
  if (!dropped.empty()) {
    changes.push_back([path, dropped] { return DropRanges(path, dropped); });
    for (const auto& [from, to] : dropped) seg.bytes -= to - from;
  }
  return out;
}

}  // namespace

Result<RecoveredLog> RecoverLog(const std::string& dir, const Options& options, RecoveryReport* report) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(dir));
  RecoveredLog log;
  std::vector<uint64_t> ids;
  const std::string state_tmp = std::string(kStateFileName) + ".tmp";
  for (const std::string& name : names) {
    uint64_t id = 0;
    std::string path = JoinPath(dir, name);
    if (ParseSegmentFileName(name, &id)) {
      ids.push_back(id);
    } else if (name == kStateFileName) {
      ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
      Status st = DecodeLogState(bytes, &log.next);
      if (!st.ok()) return st.WithContext(fmt::format("WAL state file {}", path));
    } else if (name == state_tmp) {
      RETURN_IF_ERROR(RemoveFile(path));  // an interrupted atomic write of the state file
    } else if (name != kLockFileName) {
      Note(report, fmt::format("{}: not a WAL segment name; ignored", path));
    }
  }
  std::sort(ids.begin(), ids.end());

  Recovery r{dir, options, &log.next, report};
  uint64_t min_base = 1;
  bool has_previous = false;
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string path = JoinPath(dir, SegmentFileName(ids[i]));
    ASSIGN_OR_RETURN(SegmentOutcome outcome, r.Segment(path, ids[i], i + 1 == ids.size(), min_base, has_previous));
    log.next.next_segment_id = std::max(log.next.next_segment_id, ids[i] + 1);
    if (outcome.removed) continue;
    const RecoveredSegment& seg = outcome.segment;
    min_base = seg.last_seq != 0 ? seg.last_seq + 1 : seg.base_seq;
    has_previous = true;
    log.next.next_seq = std::max(log.next.next_seq, min_base);
    if (report != nullptr) report->records += outcome.records;
    log.segments.push_back(outcome.segment);
  }
  // Sequence numbers the state file says were handed out beyond the last record (a crash with
  // durability = "none" after a state write): never durable, so a known gap from now on, or the
  // next segment would start past a hole that the next recovery refuses.
  if (has_previous && log.next.next_seq > min_base && !log.next.Covers(min_base, log.next.next_seq - 1)) {
    log.next.AddGap(min_base, log.next.next_seq - 1, SeqGap::Kind::kLost);
    r.state_changed = true;
    Note(report, fmt::format("{}: sequence numbers {}..{} were handed out but are in no segment (unsynced appends "
                             "lost in a crash); recorded as a known gap",
                             dir, min_base, log.next.next_seq - 1));
  }
  // The newest segment the log created must still be there, unless retention deleted it.
  const uint64_t expected = log.next.created_segment;
  const uint64_t newest = log.segments.empty() ? 0 : log.segments.back().id;
  if (expected > newest && expected > log.next.deleted_through) {
    std::string missing = JoinPath(dir, SegmentFileName(expected));
    if (!options.salvage)
      return Corruption("WAL segment {} is missing: the log had created it (wal.state), and no later segment "
                        "exists, so the events it held (from sequence number {} on) are lost. Restore it from a "
                        "backup, or start with --salvage-wal to accept the loss",
                        missing, log.next.next_seq);
    spdlog::error("wal recovery: {} is missing (the log had created it): salvage: its events are lost", missing);
    if (report != nullptr) report->messages.push_back(fmt::format("{}: missing; salvage: its events are lost", missing));
  }
  for (const auto& change : r.changes) RETURN_IF_ERROR(change());
  if (r.state_changed) {
    Status st = WriteFileAtomic(JoinPath(dir, kStateFileName), EncodeLogState(log.next));
    if (!st.ok()) return st.WithContext("recording the salvaged loss in the WAL state file");
  }
  return log;
}

}  // namespace laminar::wal
