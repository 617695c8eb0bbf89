#include "common/fault_fs.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/file_util.h"

namespace laminar::fs {
namespace {

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool Under(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

Status PowerLoss(std::string_view op, const std::string& path) {
  return IOError("injected power loss before {} {}", op, path);
}

Status DiskFull(std::string_view op, const std::string& path) {
  return IOError(ErrorCode::kDiskFull, "injected {} error on {}: No space left on device", op, path);
}

Status SyncError(const std::string& path) { return IOError("injected fsync error on {}: Input/output error", path); }

void WriteWhole(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(data.data(), static_cast<std::streamsize>(data.size()));
}

}  // namespace

class FaultFs::File final : public WritableFile {
 public:
  File(FaultFs* fs, std::string path, std::unique_ptr<WritableFile> base)
      : fs_(fs), path_(std::move(path)), base_(std::move(base)) {}

  Status Append(std::string_view data) override {
    std::lock_guard<std::mutex> l(fs_->mu_);
    Verdict v = fs_->Count("append", path_);
    if (v == Verdict::kCrash) return PowerLoss("append", path_);
    FileState& st = fs_->files_[path_];
    if (v == Verdict::kFail || fs_->fail_writes) {
      // A write that failed part way: some bytes reach the file, as ENOSPC may leave them.
      if (data.size() > 1 && base_->Append(data.substr(0, data.size() / 2)).ok()) st.size += data.size() / 2;
      return DiskFull("write", path_);
    }
    RETURN_IF_ERROR(base_->Append(data));
    st.size += data.size();
    ++st.appends;
    return Status::OK();
  }

  Status Sync(bool data_only) override {
    if (fs_->sync_delay.count() > 0) std::this_thread::sleep_for(fs_->sync_delay);
    std::lock_guard<std::mutex> l(fs_->mu_);
    Verdict v = fs_->Count(data_only ? "fdatasync" : "fsync", path_);
    if (v == Verdict::kCrash) return PowerLoss("fsync", path_);
    if (v == Verdict::kFail || fs_->fail_syncs) return SyncError(path_);
    if (fs_->real_syncs) RETURN_IF_ERROR(base_->Sync(data_only));
    FileState& st = fs_->files_[path_];
    st.synced = st.size;
    if (data_only) ++st.data_syncs;
    return Status::OK();
  }

  Status Truncate(uint64_t size) override {
    std::lock_guard<std::mutex> l(fs_->mu_);
    Verdict v = fs_->Count("truncate", path_);
    if (v == Verdict::kCrash) return PowerLoss("truncate", path_);
    if (v == Verdict::kFail) return IOError("injected truncate error on {}: Input/output error", path_);
    RETURN_IF_ERROR(base_->Truncate(size));
    FileState& st = fs_->files_[path_];
    st.size = size;
    st.synced = std::min(st.synced, size);
    return Status::OK();
  }

  Status Close() override { return base_->Close(); }

 private:
  FaultFs* fs_;
  std::string path_;
  std::unique_ptr<WritableFile> base_;
};

void FaultFs::FailAt(uint64_t n) {
  std::lock_guard<std::mutex> l(mu_);
  fail_at_ = n;
}

void FaultFs::CrashAt(uint64_t n) {
  std::lock_guard<std::mutex> l(mu_);
  crash_at_ = n;
}

bool FaultFs::crashed() const {
  std::lock_guard<std::mutex> l(mu_);
  return crash_at_ != 0 && ops_ >= crash_at_;
}

uint64_t FaultFs::ops() const {
  std::lock_guard<std::mutex> l(mu_);
  return ops_;
}

std::vector<std::string> FaultFs::RecentOps() const {
  std::lock_guard<std::mutex> l(mu_);
  return recent_;
}

std::string FaultFs::injected() const {
  std::lock_guard<std::mutex> l(mu_);
  return injected_;
}

int FaultFs::Appends(std::string_view suffix) const {
  std::lock_guard<std::mutex> l(mu_);
  int n = 0;
  for (const auto& [path, st] : files_)
    if (path.ends_with(suffix)) n += st.appends;
  return n;
}

int FaultFs::DataSyncs(std::string_view suffix) const {
  std::lock_guard<std::mutex> l(mu_);
  int n = 0;
  for (const auto& [path, st] : files_)
    if (path.ends_with(suffix)) n += st.data_syncs;
  return n;
}

FaultFs::Verdict FaultFs::Count(std::string_view op, const std::string& path) {
  ++ops_;
  recent_.push_back(fmt::format("#{} {} {}", ops_, op, path));
  if (recent_.size() > 32) recent_.erase(recent_.begin());
  if (crash_at_ != 0 && ops_ >= crash_at_) {
    if (ops_ == crash_at_) injected_ = recent_.back();
    return Verdict::kCrash;
  }
  if (fail_at_ != 0 && ops_ == fail_at_) {
    injected_ = recent_.back();
    return Verdict::kFail;
  }
  return Verdict::kGo;
}

std::optional<std::string> FaultFs::DurableContent(const std::string& path) const {
  auto data = ReadFile(path);
  if (!data.ok()) return std::nullopt;
  auto it = files_.find(path);
  if (it != files_.end() && it->second.synced < data->size()) data->resize(it->second.synced);
  return std::move(data).value();
}

void FaultFs::Journal(DirChange change) { journal_.push_back(std::move(change)); }

Result<std::unique_ptr<WritableFile>> FaultFs::Open(const std::string& path, OpenMode mode) {
  std::lock_guard<std::mutex> l(mu_);
  Verdict v = Count("open", path);
  if (v == Verdict::kCrash) return PowerLoss("open", path);
  if (v == Verdict::kFail) return DiskFull("create", path);
  std::error_code ec;
  bool existed = std::filesystem::exists(path, ec);
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> base, Posix()->Open(path, mode));
  if (!existed) {
    Journal(DirChange{Kind::kCreate, path});
    files_[path] = FileState{};
  } else if (mode == OpenMode::kTruncate) {
    files_[path] = FileState{};
  } else if (!files_.count(path)) {
    uint64_t size = std::filesystem::file_size(path, ec);
    files_[path] = FileState{ec ? 0 : size, ec ? 0 : size};
  }
  return std::unique_ptr<WritableFile>(new File(this, path, std::move(base)));
}

Status FaultFs::Rename(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> l(mu_);
  Verdict v = Count("rename", from);
  if (v == Verdict::kCrash) return PowerLoss("rename", from);
  if (v == Verdict::kFail) return DiskFull("rename", from);
  DirChange change{Kind::kRename, from, to, DurableContent(to)};
  if (auto it = files_.find(to); it != files_.end()) change.saved_state = it->second;
  RETURN_IF_ERROR(Posix()->Rename(from, to));
  files_.erase(to);
  if (auto it = files_.find(from); it != files_.end()) {
    files_[to] = it->second;
    files_.erase(from);
  }
  Journal(std::move(change));
  return Status::OK();
}

Status FaultFs::Link(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> l(mu_);
  Verdict v = Count("link", to);
  if (v == Verdict::kCrash) return PowerLoss("link", to);
  if (v == Verdict::kFail) return DiskFull("link", to);
  RETURN_IF_ERROR(Posix()->Link(from, to));
  if (auto it = files_.find(from); it != files_.end()) files_[to] = it->second;
  Journal(DirChange{Kind::kLink, from, to});
  return Status::OK();
}

Status FaultFs::Remove(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  Verdict v = Count("unlink", path);
  if (v == Verdict::kCrash) return PowerLoss("unlink", path);
  if (v == Verdict::kFail) return IOError("injected unlink error on {}: Input/output error", path);
  std::optional<std::string> saved = DurableContent(path);
  RETURN_IF_ERROR(Posix()->Remove(path));
  files_.erase(path);
  if (saved) Journal(DirChange{Kind::kRemove, path, "", std::move(saved)});
  return Status::OK();
}

Status FaultFs::RemoveAll(const std::string& dir) {
  std::lock_guard<std::mutex> l(mu_);
  Verdict v = Count("remove-all", dir);
  if (v == Verdict::kCrash) return PowerLoss("remove-all", dir);
  if (v == Verdict::kFail) return IOError("injected unlink error on {}: Input/output error", dir);
  RETURN_IF_ERROR(Posix()->RemoveAll(dir));
  std::erase_if(files_, [&](const auto& f) { return f.first == dir || Under(f.first, dir); });
  std::erase_if(journal_, [&](const DirChange& c) {
    return c.path == dir || Under(c.path, dir) || Under(c.to, dir);
  });
  return Status::OK();
}

Status FaultFs::MakeDir(const std::string& dir) {
  std::lock_guard<std::mutex> l(mu_);
  Verdict v = Count("mkdir", dir);
  if (v == Verdict::kCrash) return PowerLoss("mkdir", dir);
  if (v == Verdict::kFail) return DiskFull("mkdir", dir);
  std::error_code ec;
  bool existed = std::filesystem::is_directory(dir, ec);
  RETURN_IF_ERROR(Posix()->MakeDir(dir));
  if (!existed) Journal(DirChange{Kind::kMakeDir, dir});
  return Status::OK();
}

Status FaultFs::SyncDir(const std::string& dir) {
  std::lock_guard<std::mutex> l(mu_);
  Verdict v = Count("fsync-dir", dir);
  if (v == Verdict::kCrash) return PowerLoss("fsync", dir);
  if (v == Verdict::kFail || fail_syncs) return SyncError(dir);
  if (real_syncs) RETURN_IF_ERROR(Posix()->SyncDir(dir));
  std::erase_if(journal_, [&](const DirChange& c) {
    bool renames = c.kind == Kind::kRename || c.kind == Kind::kLink;
    return DirOf(renames ? c.to : c.path) == dir;
  });
  return Status::OK();
}

void FaultFs::DropUnsyncedData(uint64_t keep_unsynced, size_t keep_dir_ops) {
  std::lock_guard<std::mutex> l(mu_);
  for (const auto& [path, st] : files_) {
    std::error_code ec;
    uint64_t now = std::filesystem::file_size(path, ec);
    if (ec) continue;
    uint64_t unsynced = st.size > st.synced ? st.size - st.synced : 0;
    uint64_t keep = std::min<uint64_t>(now, st.synced + std::min(keep_unsynced, unsynced));
    if (keep < now) std::filesystem::resize_file(path, keep, ec);
  }
  for (size_t i = journal_.size(); i-- > std::min(keep_dir_ops, journal_.size());) {
    const DirChange& c = journal_[i];
    std::error_code ec;
    switch (c.kind) {
      case Kind::kCreate:
        std::filesystem::remove(c.path, ec);
        break;
      case Kind::kLink:
        std::filesystem::remove(c.to, ec);
        break;
      case Kind::kRemove:
        if (c.saved) WriteWhole(c.path, *c.saved);
        break;
      case Kind::kRename:
        std::filesystem::rename(c.to, c.path, ec);
        if (c.saved) WriteWhole(c.to, *c.saved);
        break;
      case Kind::kMakeDir:
        std::filesystem::remove_all(c.path, ec);
        break;
    }
  }
  files_.clear();
  journal_.clear();
  recent_.clear();
  injected_.clear();
  ops_ = fail_at_ = crash_at_ = 0;
}

}  // namespace laminar::fs
