#include "common/file_util.h"

#include "common/crash_point.h"
#include "common/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace laminar {
namespace {

Status Errno(const std::string& what, const std::string& path) {
  int e = errno;
  if (e == ENOENT) return NotFound(ErrorCode::kUndefinedFile, "{} {}: {}", what, path, std::strerror(e));
  return IOError("{} {}: {}", what, path, std::strerror(e));
}

std::string Parent(const std::string& path) {
  auto pos = path.find_last_of('/');
  if (pos == std::string::npos) return ".";
  if (pos == 0) return "/";
  return path.substr(0, pos);
}

}  // namespace

std::string JoinPath(std::string_view a, std::string_view b) {
  std::string out(a);
  if (!out.empty() && out.back() != '/') out += '/';
  out += b;
  return out;
}

Result<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("open", path);
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status st = Errno("read", path);
      ::close(fd);
      return st;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status FsyncDir(const std::string& dir) { return fs::Current()->SyncDir(dir); }

Status WriteFileAtomic(const std::string& path, std::string_view data, const char* crash_point) {
  fs::FileSystem* fs = fs::Current();
  std::string tmp = path + ".tmp";
  ASSIGN_OR_RETURN(std::unique_ptr<fs::WritableFile> f, fs->Open(tmp, fs::OpenMode::kTruncate));
  Status st = f->Append(data);
  if (st.ok()) st = f->Sync(false);
  Status closed = f->Close();
  if (st.ok()) st = closed;
  if (!st.ok()) return st;
  if (crash_point) CrashPoint(crash_point);
  RETURN_IF_ERROR(fs->Rename(tmp, path));
  return fs->SyncDir(Parent(path));
}

Status CreateDirs(const std::string& dir) {
  if (dir.empty()) return Status::OK();
  struct stat sb;
  if (::stat(dir.c_str(), &sb) == 0) {
    if (S_ISDIR(sb.st_mode)) return Status::OK();
    return IOError("{} exists and is not a directory", dir);
  }
  std::string parent = Parent(dir);
  if (parent != dir) RETURN_IF_ERROR(CreateDirs(parent));
  RETURN_IF_ERROR(fs::Current()->MakeDir(dir));
  Status synced = FsyncDir(parent);
  // A directory whose entry may not be durable must not stay: the next call would find it and
  // return OK, and what is written inside could vanish with it in a crash. (An empty one only:
  // a concurrent caller that found it may have written into it already.)
  if (!synced.ok()) ::rmdir(dir.c_str());
  return synced;
}

Result<std::vector<std::string>> ListDir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return Errno("opendir", dir);
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(std::move(n));
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

Status RemoveFile(const std::string& path) { return fs::Current()->Remove(path); }

Status AppendAndSync(const std::string& path, std::string_view data) {
  ASSIGN_OR_RETURN(std::unique_ptr<fs::WritableFile> f, fs::Current()->Open(path, fs::OpenMode::kAppend));
  Status st = f->Append(data);
  if (st.ok()) st = f->Sync(true);
  Status closed = f->Close();
  return st.ok() ? closed : st;
}

}  // namespace laminar
