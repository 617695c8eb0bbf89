// The local-directory ObjectStore: a key is a file under the root; writes go to a temporary file
// in the same directory (`.<name>.<n>.tmp`, never listed), are fsynced, then renamed (Put, Upload)
// or linked (PutIfAbsent: link(2) fails with EEXIST when the key exists, atomically), and the
// directory is fsynced.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "common/crash_point.h"
#include "common/file_util.h"
#include "objstore/object_store.h"

namespace laminar::objstore {
namespace {

std::string Errno() { return std::strerror(errno); }

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

bool IsTempName(std::string_view name) {
  return name.size() > 4 && name.substr(name.size() - 4) == ".tmp";
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IOError("write {}: {}", path, Errno());
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Status CopyFile(const std::string& from, int to_fd, const std::string& to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return IOError("open {}: {}", from, Errno());
  std::string buf(1 << 20, '\0');
  Status st;
  for (;;) {
    ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      st = IOError("read {}: {}", from, Errno());
      break;
    }
    if (n == 0) break;
    st = WriteAll(to_fd, std::string_view(buf.data(), static_cast<size_t>(n)), to);
    if (!st.ok()) break;
  }
  ::close(in);
  return st;
}

class LocalStore final : public ObjectStore {
 public:
  explicit LocalStore(std::string root) : root_(std::move(root)) {}

  std::string url() const override { return "file://" + root_; }

  Status Put(const std::string& key, std::string_view data) override {
    std::string path, tmp;
    RETURN_IF_ERROR(WriteTemp(key, data, &path, &tmp));
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      Status st = IOError("rename {} to {}: {}", tmp, path, Errno());
      ::unlink(tmp.c_str());
      return st;
    }
    return FsyncDir(DirOf(path));
  }

  Status PutIfAbsent(const std::string& key, std::string_view data) override {
    std::string path, tmp;
    RETURN_IF_ERROR(WriteTemp(key, data, &path, &tmp));
    int rc = ::link(tmp.c_str(), path.c_str());
    int err = errno;
    ::unlink(tmp.c_str());
    if (rc != 0) {
      if (err == EEXIST) return AlreadyExists("object {} exists already", key);
      return IOError("link {} to {}: {}", tmp, path, std::strerror(err));
    }
    return FsyncDir(DirOf(path));
  }

  Status Upload(const std::string& key, const std::string& local_path) override {
    Status st = UploadImpl(key, local_path);
    if (!st.ok()) ::unlink(local_path.c_str());
    return st;
  }

  Result<std::string> Get(const std::string& key) const override {
    RETURN_IF_ERROR(ValidateKey(key));
    return ReadFile(JoinPath(root_, key));
  }

  Result<std::vector<ObjectInfo>> List(const std::string& prefix) const override {
    std::vector<ObjectInfo> out;
    // Walk from the deepest directory the prefix names.
    size_t slash = prefix.rfind('/');
    std::string dir_key = slash == std::string::npos ? "" : prefix.substr(0, slash);
    RETURN_IF_ERROR(Walk(dir_key, prefix, &out));
    std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    return out;
  }

  Status Delete(const std::string& key) override {
    RETURN_IF_ERROR(ValidateKey(key));
    std::string path = JoinPath(root_, key);
    if (::unlink(path.c_str()) != 0) {
      if (errno == ENOENT) return Status::OK();
      return IOError("unlink {}: {}", path, Errno());
    }
    // Directories left empty go too (a dropped partition), up to the root.
    std::string dir = DirOf(path);
    while (dir.size() > root_.size() && ::rmdir(dir.c_str()) == 0) dir = DirOf(dir);
    return FsyncDir(dir);
  }

  std::string LocalPath(const std::string& key) const override { return JoinPath(root_, key); }

 private:
  // Writes data to a fsynced temporary file beside the key's file.
  Status WriteTemp(const std::string& key, std::string_view data, std::string* path, std::string* tmp) {
    RETURN_IF_ERROR(ValidateKey(key));
    *path = JoinPath(root_, key);
    std::string dir = DirOf(*path);
    RETURN_IF_ERROR(CreateDirs(dir));
    *tmp = TempName(*path);
    int fd = ::open(tmp->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT) {  // a Delete removed the directory just now
      RETURN_IF_ERROR(CreateDirs(dir));
      fd = ::open(tmp->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    if (fd < 0) return IOError("create {}: {}", *tmp, Errno());
    Status st = WriteAll(fd, data, *tmp);
    if (st.ok() && ::fsync(fd) != 0) st = IOError("fsync {}: {}", *tmp, Errno());
    ::close(fd);
    if (!st.ok()) {
      ::unlink(tmp->c_str());
      return st;
    }
    CrashPoint("objstore.before_publish");
    return Status::OK();
  }

  Status UploadImpl(const std::string& key, const std::string& local_path) {
    RETURN_IF_ERROR(ValidateKey(key));
    std::string path = JoinPath(root_, key);
    RETURN_IF_ERROR(CreateDirs(DirOf(path)));
    int fd = ::open(local_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return IOError("open {}: {}", local_path, Errno());
    int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return IOError("fsync {}: {}", local_path, Errno());
    CrashPoint("objstore.before_publish");
    if (::rename(local_path.c_str(), path.c_str()) != 0) {
      if (errno != EXDEV) return IOError("rename {} to {}: {}", local_path, path, Errno());
      // Another file system: copy through a temporary file.
      std::string tmp = TempName(path);
      int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (out < 0) return IOError("create {}: {}", tmp, Errno());
      Status st = CopyFile(local_path, out, tmp);
      if (st.ok() && ::fsync(out) != 0) st = IOError("fsync {}: {}", tmp, Errno());
      ::close(out);
      if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) st = IOError("rename {} to {}: {}", tmp, path, Errno());
      if (!st.ok()) {
        ::unlink(tmp.c_str());
        return st;
      }
      ::unlink(local_path.c_str());
    }
    return FsyncDir(DirOf(path));
  }

  std::string TempName(const std::string& path) {
    size_t slash = path.rfind('/');
    std::string dir = path.substr(0, slash + 1), name = path.substr(slash + 1);
    return fmt::format("{}.{}.{}.{}.tmp", dir, name, ::getpid(), counter_.fetch_add(1));
  }

  Status Walk(const std::string& dir_key, const std::string& prefix, std::vector<ObjectInfo>* out) const {
    std::string dir = dir_key.empty() ? root_ : JoinPath(root_, dir_key);
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      if (errno == ENOENT || errno == ENOTDIR) return Status::OK();
      return IOError("opendir {}: {}", dir, Errno());
    }
    std::vector<std::pair<std::string, bool>> entries;  // name, is_dir
    while (struct dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == ".." || IsTempName(name)) continue;
      std::string key = dir_key.empty() ? name : dir_key + "/" + name;
      struct stat st;
      if (::stat(JoinPath(dir, name).c_str(), &st) != 0) continue;  // removed meanwhile
      bool is_dir = S_ISDIR(st.st_mode);
      if (is_dir) {
        // Descend only where keys below can still match the prefix.
        std::string sub = key + "/";
        if (sub.compare(0, std::min(sub.size(), prefix.size()), prefix, 0, std::min(sub.size(), prefix.size())) != 0) continue;
        entries.emplace_back(key, true);
      } else if (S_ISREG(st.st_mode) && key.compare(0, prefix.size(), prefix) == 0) {
        out->push_back(ObjectInfo{key, static_cast<uint64_t>(st.st_size)});
      }
    }
    ::closedir(d);
    for (const auto& [key, is_dir] : entries) RETURN_IF_ERROR(Walk(key, prefix, out));
    return Status::OK();
  }

  std::string root_;
  std::atomic<uint64_t> counter_{0};
};

}  // namespace

Result<std::unique_ptr<ObjectStore>> OpenLocal(const std::string& dir) {
  RETURN_IF_ERROR(CreateDirs(dir));
  char* real = ::realpath(dir.c_str(), nullptr);
  if (real == nullptr) return IOError("realpath {}: {}", dir, Errno());
  std::string root = real;
  ::free(real);
  return std::unique_ptr<ObjectStore>(new LocalStore(root));
}

}  // namespace laminar::objstore
