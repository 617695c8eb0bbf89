#include "log/wal_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "common/file_util.h"

namespace laminar::wal::internal {
namespace {

Status ErrnoStatus(const char* what, const std::string& path, int err) {
  if (err == ENOSPC || err == EDQUOT)
    return IOError(ErrorCode::kDiskFull, "{} {}: {}", what, path, std::strerror(err));
  return IOError("{} {}: {}", what, path, std::strerror(err));
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Append(std::string_view data) override {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("write", path_, errno);
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::OK();
  }

  Status Sync(bool data_only) override {
    int rc = data_only ? ::fdatasync(fd_) : ::fsync(fd_);
    if (rc != 0) return ErrnoStatus(data_only ? "fdatasync" : "fsync", path_, errno);
    return Status::OK();
  }

  Status Truncate(uint64_t size) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return ErrnoStatus("truncate", path_, errno);
    if (::lseek(fd_, static_cast<off_t>(size), SEEK_SET) < 0) return ErrnoStatus("seek", path_, errno);
    return Status::OK();
  }

  Status Close() override {
    if (fd_ < 0) return Status::OK();
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return ErrnoStatus("close", path_, errno);
    return Status::OK();
  }

 private:
  std::string path_;
  int fd_;
};

class PosixFs final : public FileSystem {
 public:
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoStatus("create", path, errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }
  Status SyncDir(const std::string& dir) override { return FsyncDir(dir); }
};

std::atomic<FileSystem*> g_test_fs{nullptr};

}  // namespace

FileSystem* PosixFileSystem() {
  static PosixFs fs;
  return &fs;
}

FileSystem* CurrentFileSystem() {
  FileSystem* fs = g_test_fs.load();
  return fs != nullptr ? fs : PosixFileSystem();
}

void SetFileSystemForTesting(FileSystem* fs) { g_test_fs.store(fs); }

}  // namespace laminar::wal::internal
