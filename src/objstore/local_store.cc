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
#include "common/fs.h"
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

// Writes data (or the file `from`) to a new file `to` and fsyncs it.
Status WriteSynced(const std::string& to, std::string_view data, const std::string* from = nullptr) {
  ASSIGN_OR_RETURN(std::unique_ptr<fs::WritableFile> out, fs::Current()->Open(to, fs::OpenMode::kTruncate));
  Status st;
  if (from == nullptr) {
    st = out->Append(data);
  } else {
    int in = ::open(from->c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) return IOError("open {}: {}", *from, Errno());
    std::string buf(1 << 20, '\0');
    for (;;) {
      ssize_t n = ::read(in, buf.data(), buf.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        st = IOError("read {}: {}", *from, Errno());
        break;
      }
      if (n == 0) break;
      st = out->Append(std::string_view(buf.data(), static_cast<size_t>(n)));
      if (!st.ok()) break;
    }
    ::close(in);
  }
  if (st.ok()) st = out->Sync(false);
  Status closed = out->Close();
  return st.ok() ? closed : st;
}

class LocalStore final : public ObjectStore {
 public:
  explicit LocalStore(std::string root) : root_(std::move(root)) {}

  std::string url() const override { return "file://" + root_; }

  Status Put(const std::string& key, std::string_view data) override {
    std::string path, tmp;
    RETURN_IF_ERROR(WriteTemp(key, data, &path, &tmp));
    if (Status st = fs::Current()->Rename(tmp, path); !st.ok()) {
      fs::Current()->Remove(tmp).IgnoreError();
      return st;
    }
    return FsyncDir(DirOf(path));
  }

  Status PutIfAbsent(const std::string& key, std::string_view data) override {
    std::string path, tmp;
    RETURN_IF_ERROR(WriteTemp(key, data, &path, &tmp));
    Status linked = fs::Current()->Link(tmp, path);
    fs::Current()->Remove(tmp).IgnoreError();
    if (linked.code() == StatusCode::kAlreadyExists) return AlreadyExists("object {} exists already", key);
    RETURN_IF_ERROR(linked);
    return FsyncDir(DirOf(path));
  }

  Status Upload(const std::string& key, const std::string& local_path) override {
    Status st = UploadImpl(key, local_path);
    if (!st.ok()) fs::Current()->Remove(local_path).IgnoreError();
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
    struct stat sb;
    if (::lstat(path.c_str(), &sb) != 0 && errno == ENOENT) return Status::OK();
    RETURN_IF_ERROR(fs::Current()->Remove(path));
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
    Status st = WriteSynced(*tmp, data);
    if (st.code() == StatusCode::kNotFound) {  // a Delete removed the directory just now
      RETURN_IF_ERROR(CreateDirs(dir));
      st = WriteSynced(*tmp, data);
    }
    if (!st.ok()) {
      fs::Current()->Remove(*tmp).IgnoreError();
      return st;
    }
    CrashPoint("objstore.before_publish");
    return Status::OK();
  }

  Status UploadImpl(const std::string& key, const std::string& local_path) {
    RETURN_IF_ERROR(ValidateKey(key));
    std::string path = JoinPath(root_, key);
    RETURN_IF_ERROR(CreateDirs(DirOf(path)));
    {  // the file's data must be durable before its name is published
      struct stat sb;
      if (::stat(local_path.c_str(), &sb) != 0) return fs::ErrnoStatus("open", local_path, errno);
      ASSIGN_OR_RETURN(std::unique_ptr<fs::WritableFile> f, fs::Current()->Open(local_path, fs::OpenMode::kAppend));
      RETURN_IF_ERROR(f->Sync(false));
      RETURN_IF_ERROR(f->Close());
    }
    CrashPoint("objstore.before_publish");
    Status renamed = fs::Current()->Rename(local_path, path);
    if (!renamed.ok()) {
      struct stat a, b;  // another file system (EXDEV): copy through a temporary file
      bool same_fs = ::stat(local_path.c_str(), &a) == 0 && ::stat(DirOf(path).c_str(), &b) == 0 && a.st_dev == b.st_dev;
      if (same_fs) return renamed;
      std::string tmp = TempName(path);
      Status st = WriteSynced(tmp, {}, &local_path);
      if (st.ok()) st = fs::Current()->Rename(tmp, path);
      if (!st.ok()) {
        fs::Current()->Remove(tmp).IgnoreError();
        return st;
      }
      fs::Current()->Remove(local_path).IgnoreError();
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
