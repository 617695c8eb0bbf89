// Log: group commit, sealing, replay and retention over the segment files. Recovery is in
// wal_recovery.cc, the byte format in wal_format.cc.
//
// Group commit follows leveldb's writer queue (db/db_impl.cc, DBImpl::Write): every Append,
// SealActive, SealIfAged and Close call queues a Writer and waits. The writer at the front is the
// leader: it takes the data writers behind it (up to kMaxGroupBytes), gives them sequence numbers
// in queue order, releases the mutex, writes all their records with one write() and one
// fdatasync, takes the mutex back, publishes the new end of the segment, wakes the group and
// hands leadership to the next writer in the queue. Because only the leader touches the active
// file, control operations (seal, close) go through the same queue and need no other lock.
#include "log/wal.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <shared_mutex>

#include "common/file_util.h"
#include "common/fs.h"
#include "log/wal_format.h"
#include "log/wal_reader.h"
#include "log/wal_recovery.h"

namespace laminar::wal {
namespace {

// A group takes more writers while it stays under this size (the first writer always goes).
constexpr uint64_t kMaxGroupBytes = 1 << 20;
// After a group larger than this, the leader's buffer is released rather than kept for reuse.
constexpr size_t kMaxKeptBufferBytes = 4 << 20;

using Clock = std::chrono::steady_clock;

}  // namespace

struct Log::Impl {
  enum class Kind { kAppend, kSeal, kSealIfAged, kClose, kReserve };

  // One queued call. Lives on the caller's stack until `done`.
  struct Writer {
    Kind kind = Kind::kAppend;
    std::string_view payload;
    uint32_t count = 0;
    bool done = false;       // GUARDED_BY(mu)
    Status status;           // GUARDED_BY(mu) once queued
    AppendResult result;     // kAppend, kReserve
    uint64_t reserve = 0;    // kReserve: how many sequence numbers
    uint64_t sealed_id = 0;  // kSeal
    std::condition_variable cv;
  };

  struct Segment {
    uint64_t id = 0;
    uint64_t base_seq = 0;
    uint64_t first_seq = 0;
    uint64_t last_seq = 0;
    uint64_t bytes = 0;  // durable (or, with sync off, written) end: whole records only
    bool sealed = false;
    std::string path;
  };

  std::string dir;
  Options options;
  uint64_t max_payload = 0;
  fs::FileSystem* fs = nullptr;
  int lock_fd = -1;

  mutable std::mutex mu;
  std::deque<Writer*> writers;     // GUARDED_BY(mu)
  std::vector<Segment> segments;   // GUARDED_BY(mu); id order; the active one is last
  bool has_active = false;         // GUARDED_BY(mu): segments.back() is open for appends
  Clock::time_point active_since;  // GUARDED_BY(mu)
  uint64_t next_seq = 1;           // GUARDED_BY(mu)
  uint64_t next_segment_id = 1;    // GUARDED_BY(mu)
  std::vector<SeqGap> gaps;        // GUARDED_BY(mu): known absent ranges (wal.state)
  uint64_t created_segment = 0;    // GUARDED_BY(mu): the newest segment created (wal.state)
  uint64_t deleted_through = 0;    // GUARDED_BY(mu): retention deleted the segments up to it
  // Serialises writes of wal.state, so that a later write never carries older facts. Taken
  // before mu, never while holding it.
  std::mutex state_mu;
  Status sticky;                   // GUARDED_BY(mu): the first failed write, fsync or seal
  bool closed = false;             // GUARDED_BY(mu)

  // Used only by the current leader.
  std::unique_ptr<fs::WritableFile> active_file;
  std::vector<Writer*> group;
  std::string buffer;

  // Replay holds it shared, DeleteSealedThrough exclusively, so no file a replay reads vanishes
  // (and state-file writes are serialised).
  mutable std::shared_mutex retention_mu;

  ~Impl() {
    if (lock_fd >= 0) ::close(lock_fd);  // releases the flock
  }

  // Queues w and returns once it is done, leading the queue when it reaches the front.
  Status Run(Writer* w);
  // The state file's contents now. REQUIRES: mu held.
  LogState StateLocked() const { return LogState{next_seq, next_segment_id, gaps, created_segment, deleted_through}; }
  // Records in wal.state that segment `id` exists (its header is durable), so that recovery
  // refuses to start when it goes missing. A failure is logged, not returned: the segment is
  // fine, only that check is weaker for it.
  void RecordCreated(uint64_t id);
  // Leader steps. Each expects `l` locked and returns with it locked.
  void LeadAppendGroup(Writer* leader, std::unique_lock<std::mutex>& l);
  Status LeadControl(Writer* w, std::unique_lock<std::mutex>& l);
  Status SealActiveFile(std::unique_lock<std::mutex>& l);
  Status LeadReserve(Writer* w, std::unique_lock<std::mutex>& l);
  // fsyncs and closes the active file with the mutex released; REQUIRES: active_file.
  Status SyncAndCloseActive(std::unique_lock<std::mutex>& l);
  // I/O of a new segment; no lock held.
  Status CreateSegmentFile(uint64_t id, uint64_t base_seq, std::string* path);
};

Status Log::Impl::Run(Writer* w) {
  std::unique_lock<std::mutex> l(mu);
  writers.push_back(w);
  while (!w->done && w != writers.front()) w->cv.wait(l);
  if (w->done) return w->status;

  Status st;
  if (w->kind == Kind::kAppend) {
    LeadAppendGroup(w, l);
    st = w->status;
  } else {
    st = LeadControl(w, l);
    writers.pop_front();
  }
  if (!writers.empty()) writers.front()->cv.notify_one();
  return st;
}

void Log::Impl::LeadAppendGroup(Writer* leader, std::unique_lock<std::mutex>& l) {
  group.clear();
  uint64_t group_bytes = 0;
  for (Writer* w : writers) {
    if (w->kind != Kind::kAppend) break;
    uint64_t size = RecordSize(w->payload.size());
    if (!group.empty() && group_bytes + size > kMaxGroupBytes) break;
    group.push_back(w);
    group_bytes += size;
  }

  Status st = closed ? Unavailable("log {} is closed", dir)
                      : sticky.ok() ? Status::OK()
                                    : Unavailable("the log is read-only: {}", sticky.message());
  uint64_t first = next_seq;
  uint64_t last = first - 1;
  uint64_t segment_id = 0;
  if (st.ok()) {
    bool need_segment = !has_active;
    uint64_t base = next_seq;
    // A new segment's id is taken now: never reused, even if creating the file fails.
    segment_id = need_segment ? next_segment_id++ : segments.back().id;
    for (Writer* w : group) {
      w->result.first_seq = last + 1;
      w->result.last_seq = last + w->count;
      w->result.segment_id = segment_id;
      last += w->count;
    }

    l.unlock();
    std::string path;
    bool create_failed = false;
    if (need_segment) {
      st = CreateSegmentFile(segment_id, base, &path);
      create_failed = !st.ok();
    }
    if (st.ok() && need_segment) {
      l.lock();
      Segment seg;
      seg.id = segment_id;
      seg.base_seq = base;
      seg.bytes = kSegmentHeaderSize;
      seg.path = std::move(path);
      segments.push_back(std::move(seg));
      has_active = true;
      active_since = Clock::now();
      created_segment = segment_id;
      l.unlock();
      RecordCreated(segment_id);
    }
    bool write_failed = false;
    if (st.ok()) {
      buffer.clear();
      buffer.reserve(group_bytes);
      for (Writer* w : group) {
        AppendBatchRecord(&buffer, w->result.first_seq, w->count, w->payload);
      }
      st = active_file->Append(buffer);
      write_failed = !st.ok();
      if (st.ok() && options.sync) st = active_file->Sync(/*data_only=*/true);
      if (buffer.capacity() > kMaxKeptBufferBytes) std::string().swap(buffer);
    }
    l.lock();
    if (st.ok()) {
      Segment& seg = segments.back();
      if (seg.first_seq == 0) seg.first_seq = first;
      seg.last_seq = last;
      seg.bytes += group_bytes;
      next_seq = last + 1;
    } else if (write_failed || create_failed) {
      // A failed write (ENOSPC, EIO) acknowledged nothing: what it may have left is cut, so the
      // file ends at its last whole record, and a later append can succeed once space is back.
      // (A new segment that could not be created was removed by CreateSegmentFile.)
      Status cut = write_failed ? active_file->Truncate(segments.back().bytes) : Status::OK();
      if (!cut.ok()) {
        if (sticky.ok()) {
          sticky = cut.WithContext(fmt::format("after a failed write ({})", st.message()));
          spdlog::error("wal {}: {}; the log acknowledges no more appends until it is reopened", dir, sticky.ToString());
        }
      } else {
        spdlog::warn("wal {}: {}; nothing of the group was acknowledged, later appends are tried again", dir,
                     st.ToString());
      }
    } else if (sticky.ok()) {
      // A failed fsync is never retried: the kernel may have dropped the dirty pages and marked
      // them clean, so a later fsync could succeed without the data (PostgreSQL's lesson, 2018).
      sticky = st.WithContext("the log acknowledges no more appends until it is reopened (a failed fsync is not "
                              "retried: written data may have been lost)");
      spdlog::error("wal {}: {}", dir, sticky.ToString());
    }
  }

  // The group is writers[0, group.size()) with the leader first. Release the followers now;
  // the leader stays at the front until it is done with the file, so that no writer arriving
  // meanwhile takes the lead.
  for (Writer* w : group) {
    w->status = st;
    w->done = true;
    if (w != leader) w->cv.notify_one();
  }
  writers.erase(writers.begin() + 1, writers.begin() + static_cast<ptrdiff_t>(group.size()));
  // Sealing by size (a failure is sticky and fails the next Append).
  if (st.ok() && segments.back().bytes >= options.segment_max_bytes) {
    SealActiveFile(l).IgnoreError();
  }
  writers.pop_front();
}

Status Log::Impl::LeadControl(Writer* w, std::unique_lock<std::mutex>& l) {
  if (w->kind == Kind::kClose) {
    if (closed) return Status::OK();
    closed = true;
    if (!active_file) return Status::OK();
    return SyncAndCloseActive(l);
  }
  if (closed) return Unavailable("log {} is closed", dir);
  RETURN_IF_ERROR(sticky);
  if (w->kind == Kind::kReserve) return LeadReserve(w, l);
  if (!has_active || segments.back().last_seq == 0) return Status::OK();
  if (w->kind == Kind::kSealIfAged && Clock::now() - active_since < options.segment_max_age) {
    return Status::OK();
  }
  uint64_t id = segments.back().id;
  RETURN_IF_ERROR(SealActiveFile(l));
  w->sealed_id = id;
  return Status::OK();
}

Status Log::Impl::LeadReserve(Writer* w, std::unique_lock<std::mutex>& l) {
  // The next record must start a new segment whose base_seq is past the reserved range, so the
  // active segment is sealed even when it holds no record yet.
  if (has_active) RETURN_IF_ERROR(SealActiveFile(l));
  w->result.segment_id = next_segment_id;
  w->result.first_seq = next_seq;
  w->result.last_seq = next_seq + w->reserve - 1;
  LogState state = StateLocked();
  state.next_seq = next_seq + w->reserve;
  state.next_segment_id = next_segment_id + 1;
  // The range is a known gap: recovery tells it from a segment that went missing.
  state.AddGap(w->result.first_seq, w->result.last_seq, SeqGap::Kind::kReserved);
  l.unlock();
  Status st;
  {
    std::lock_guard<std::mutex> sl(state_mu);
    st = WriteFileAtomic(JoinPath(dir, kStateFileName), EncodeLogState(state));
  }
  l.lock();
  if (!st.ok()) return st.WithContext("reserving sequence numbers");
  // Durable: recovery takes the state file's floors (the range and the id are never reused).
  next_seq = state.next_seq;
  next_segment_id = state.next_segment_id;
  gaps = std::move(state.gaps);
  return Status::OK();
}

Status Log::Impl::SyncAndCloseActive(std::unique_lock<std::mutex>& l) {
  l.unlock();
  Status st = active_file->Sync(/*data_only=*/false);
  Status cs = active_file->Close();
  if (st.ok()) st = cs;
  active_file.reset();
  l.lock();
  return st;
}

Status Log::Impl::SealActiveFile(std::unique_lock<std::mutex>& l) {
  Status st = SyncAndCloseActive(l);
  has_active = false;
  if (st.ok()) {
    segments.back().sealed = true;
  } else if (sticky.ok()) {
    sticky = st;
    spdlog::error("wal {}: sealing failed: {}; appends fail until the log is reopened", dir,
                  st.ToString());
  }
  return st;
}

void Log::Impl::RecordCreated(uint64_t id) {
  std::lock_guard<std::mutex> sl(state_mu);
  LogState state;
  {
    std::lock_guard<std::mutex> l(mu);
    if (created_segment != id) return;  // a newer one was recorded meanwhile
    state = StateLocked();
  }
  Status st = WriteFileAtomic(JoinPath(dir, kStateFileName), EncodeLogState(state));
  if (!st.ok())
    spdlog::warn("wal {}: recording segment {} in the state file failed ({}); if that segment went missing, "
                 "recovery could not tell", dir, id, st.ToString());
}

Status Log::Impl::CreateSegmentFile(uint64_t id, uint64_t base_seq, std::string* path) {
  *path = JoinPath(dir, SegmentFileName(id));
  ASSIGN_OR_RETURN(active_file, fs->Open(*path, fs::OpenMode::kCreateNew));
  char header[kSegmentHeaderSize];
  EncodeSegmentHeader(SegmentHeader{id, base_seq}, header);
  Status st = active_file->Append(std::string_view(header, sizeof header));
  if (st.ok()) st = active_file->Sync(/*data_only=*/false);
  if (st.ok()) st = fs->SyncDir(dir);
  if (!st.ok()) {
    // No half-made segment stays behind (recovery would take its header for damage); the next
    // append tries a new one.
    active_file.reset();
    Status removed = fs->Remove(*path);
    if (!removed.ok())
      st = st.WithContext(fmt::format("and removing the half-made segment failed ({})", removed.message()));
  }
  return st;
}

// ---------------------------------------------------------------------------------------------

Result<std::unique_ptr<Log>> Log::Open(const std::string& dir, const Options& options,
                                       RecoveryReport* report) {
  if (options.segment_max_bytes == 0) return InvalidArgument("segment_max_bytes must be > 0");
  if (options.max_record_bytes == 0) return InvalidArgument("max_record_bytes must be > 0");
  RETURN_IF_ERROR(CreateDirs(dir));

  std::unique_ptr<Log> log(new Log());
  log->impl_ = std::make_unique<Impl>();
  Impl& impl = *log->impl_;
  impl.dir = dir;
  impl.options = options;
  impl.max_payload = std::min(options.max_record_bytes, kMaxPayloadBytes);
  impl.fs = fs::Current();

  std::string lock_path = JoinPath(dir, kLockFileName);
  impl.lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (impl.lock_fd < 0) return IOError("open {}: {}", lock_path, std::strerror(errno));
  if (::flock(impl.lock_fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return Unavailable("log directory {} is in use by another Log (LOCK is held)", dir);
    }
    return IOError("flock {}: {}", lock_path, std::strerror(errno));
  }

  ASSIGN_OR_RETURN(RecoveredLog recovered, RecoverLog(dir, options, report));
  for (RecoveredSegment& r : recovered.segments) {
    Impl::Segment seg;
    seg.id = r.id;
    seg.base_seq = r.base_seq;
    seg.first_seq = r.first_seq;
    seg.last_seq = r.last_seq;
    seg.bytes = r.bytes;
    seg.sealed = true;  // appends after a restart go to a new segment
    seg.path = std::move(r.path);
    impl.segments.push_back(std::move(seg));
  }
  impl.next_seq = recovered.next.next_seq;
  impl.next_segment_id = recovered.next.next_segment_id;
  impl.gaps = std::move(recovered.next.gaps);
  impl.created_segment = recovered.next.created_segment;
  impl.deleted_through = recovered.next.deleted_through;
  return log;
}

Log::~Log() = default;

Result<AppendResult> Log::Append(std::string_view payload, uint32_t count) {
  if (count == 0) return InvalidArgument("append of 0 events: a record holds at least one");
  if (payload.size() > impl_->max_payload) {
    return InvalidArgument("record of {} bytes exceeds max_record_bytes ({})", payload.size(),
                           impl_->max_payload);
  }
  Impl::Writer w;
  w.kind = Impl::Kind::kAppend;
  w.payload = payload;
  w.count = count;
  RETURN_IF_ERROR(impl_->Run(&w));
  return w.result;
}

Status Log::Replay(uint64_t from_seq, const std::function<Status(const Record&)>& fn) const {
  std::shared_lock<std::shared_mutex> retention(impl_->retention_mu);
  struct Slice {
    uint64_t id;
    uint64_t end;
    std::string path;
  };
  std::vector<Slice> slices;
  {
    std::lock_guard<std::mutex> l(impl_->mu);
    for (const Impl::Segment& s : impl_->segments) {
      if (s.last_seq != 0 && s.last_seq >= from_seq) slices.push_back({s.id, s.bytes, s.path});
    }
  }
  ParsedRecord rec;
  ReadProblem problem;
  for (const Slice& s : slices) {
    ASSIGN_OR_RETURN(std::unique_ptr<SegmentReader> reader, SegmentReader::Open(s.path));
    if (reader->file_size() < s.end) {
      return Corruption("WAL segment {} is {} bytes, shorter than its {} bytes of records", s.path,
                        reader->file_size(), s.end);
    }
    reader->SetRange(kSegmentHeaderSize, s.end);
    for (;;) {
      ASSIGN_OR_RETURN(SegmentReader::Outcome outcome, reader->Next(&rec, &problem));
      if (outcome == SegmentReader::Outcome::kEnd) break;
      if (outcome == SegmentReader::Outcome::kProblem) {
        return Corruption("WAL segment {} is damaged at offset {}: {}", s.path, problem.offset,
                          problem.reason);
      }
      if (rec.first_seq + rec.count - 1 < from_seq) continue;
      RETURN_IF_ERROR(fn(Record{s.id, rec.first_seq, rec.count, rec.payload}));
    }
  }
  return Status::OK();
}

Result<uint64_t> Log::SealActive() {
  Impl::Writer w;
  w.kind = Impl::Kind::kSeal;
  RETURN_IF_ERROR(impl_->Run(&w));
  return w.sealed_id;
}

Result<AppendResult> Log::Reserve(uint64_t count) {
  if (count == 0) return InvalidArgument("reserving 0 sequence numbers");
  // The state file is also written by DeleteSealedThrough: serialise with it.
  std::unique_lock<std::shared_mutex> retention(impl_->retention_mu);
  Impl::Writer w;
  w.kind = Impl::Kind::kReserve;
  w.reserve = count;
  RETURN_IF_ERROR(impl_->Run(&w));
  return w.result;
}

Status Log::SealIfAged() {
  {
    std::lock_guard<std::mutex> l(impl_->mu);
    if (impl_->closed || !impl_->has_active || impl_->segments.back().last_seq == 0) {
      return impl_->sticky;
    }
    if (Clock::now() - impl_->active_since < impl_->options.segment_max_age) return Status::OK();
  }
  Impl::Writer w;
  w.kind = Impl::Kind::kSealIfAged;
  return impl_->Run(&w);
}

Status Log::DeleteSealedThrough(uint64_t seq) {
  std::unique_lock<std::shared_mutex> retention(impl_->retention_mu);
  std::vector<std::string> doomed;
  LogState state;
  {
    std::lock_guard<std::mutex> l(impl_->mu);
    for (const Impl::Segment& s : impl_->segments) {
      // An empty segment ends just before its base_seq.
      uint64_t end = s.last_seq != 0 ? s.last_seq : s.base_seq - 1;
      if (!s.sealed || end > seq) break;
      doomed.push_back(s.path);
    }
    if (doomed.empty()) return Status::OK();
  }
  {
    std::lock_guard<std::mutex> sl(impl_->state_mu);
    {
      std::lock_guard<std::mutex> l(impl_->mu);
      state = impl_->StateLocked();
      // Gaps below what is left are no longer between segments.
      size_t kept = doomed.size();
      state.DropGapsBefore(kept < impl_->segments.size() ? impl_->segments[kept].base_seq : impl_->next_seq);
      state.deleted_through = impl_->segments[kept - 1].id;
    }
    // Persist the floors first: after the unlinks, the files may no longer show them.
    RETURN_IF_ERROR(WriteFileAtomic(JoinPath(impl_->dir, kStateFileName), EncodeLogState(state)));
    std::lock_guard<std::mutex> l(impl_->mu);
    impl_->gaps = state.gaps;
    impl_->deleted_through = state.deleted_through;
  }
  // Oldest first, each forgotten only once its file is gone: a failed unlink leaves it (and the
  // newer ones) for the next call, so the files on disk never have a hole between segments.
  for (const std::string& path : doomed) {
    RETURN_IF_ERROR(impl_->fs->Remove(path));
    std::lock_guard<std::mutex> l(impl_->mu);
    impl_->segments.erase(impl_->segments.begin());
  }
  return impl_->fs->SyncDir(impl_->dir);
}

std::vector<SegmentInfo> Log::Segments() const {
  std::lock_guard<std::mutex> l(impl_->mu);
  std::vector<SegmentInfo> out;
  out.reserve(impl_->segments.size());
  for (const Impl::Segment& s : impl_->segments) {
    out.push_back(SegmentInfo{s.id, s.first_seq, s.last_seq, s.bytes, s.sealed, s.path});
  }
  return out;
}

uint64_t Log::last_seq() const {
  std::lock_guard<std::mutex> l(impl_->mu);
  return impl_->next_seq - 1;
}

Status Log::health() const {
  std::lock_guard<std::mutex> l(impl_->mu);
  return impl_->sticky;
}

uint64_t Log::oldest_seq() const {
  std::lock_guard<std::mutex> l(impl_->mu);
  return impl_->segments.empty() ? impl_->next_seq : impl_->segments.front().base_seq;
}

bool Log::KnownAbsent(uint64_t first, uint64_t last) const {
  std::lock_guard<std::mutex> l(impl_->mu);
  return first > last || impl_->StateLocked().Covers(first, last);
}

Status Log::AcceptLost(uint64_t first, uint64_t last) {
  if (first == 0 || last < first) return InvalidArgument("not a range of sequence numbers: {}..{}", first, last);
  std::unique_lock<std::shared_mutex> retention(impl_->retention_mu);
  std::lock_guard<std::mutex> sl(impl_->state_mu);
  LogState state;
  {
    std::lock_guard<std::mutex> l(impl_->mu);
    if (impl_->has_active) return Internal("AcceptLost after an Append: call it right after Open");
    state = impl_->StateLocked();
  }
  state.AddGap(first, last, SeqGap::Kind::kLost);
  state.next_seq = std::max(state.next_seq, last + 1);
  RETURN_IF_ERROR(WriteFileAtomic(JoinPath(impl_->dir, kStateFileName), EncodeLogState(state)));
  std::lock_guard<std::mutex> l(impl_->mu);
  impl_->next_seq = state.next_seq;
  impl_->gaps = std::move(state.gaps);
  return Status::OK();
}

Status Log::Close() {
  Impl::Writer w;
  w.kind = Impl::Kind::kClose;
  return impl_->Run(&w);
}

}  // namespace laminar::wal
