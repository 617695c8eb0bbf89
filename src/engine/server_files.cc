#include "engine/server_files.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace laminar::engine {
namespace {

// True when `path` is `dir` or inside it (both normalised, absolute).
bool Inside(const std::string& path, const std::string& dir) {
  if (dir == "/" || path == dir) return true;
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

std::string RealDir(const std::string& dir) {
  char buf[PATH_MAX];
  if (::realpath(dir.c_str(), buf) != nullptr) return buf;
  return std::filesystem::path(dir).lexically_normal().string();
}

}  // namespace

Result<std::string> ResolveServerFile(const std::string& path, const ServerFileRules& rules) {
  auto outside = [&] {
    return PermissionDenied("\"{}\" is not in an import directory ({}): the server reads only files placed there "
                           "([import] dirs); to load a file of your own, send it (COPY ... FROM STDIN, psql's "
                           "\\copy, or HTTP ingest)",
                           path, fmt::join(rules.dirs, ", "));
  };
  if (path.empty() || path[0] != '/')
    return InvalidArgument("the file name must be an absolute path on the server, not '{}'", path);
  // Before touching the file system: a path outside every directory says nothing about the file.
  std::string lexical = std::filesystem::path(path).lexically_normal().string();
  std::vector<std::string> dirs;
  bool lexically_inside = false;
  for (const std::string& d : rules.dirs) {
    std::string normal = std::filesystem::path(d).lexically_normal().string();
    while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
    lexically_inside = lexically_inside || Inside(lexical, normal);
    dirs.push_back(RealDir(d));
  }
  bool real_prefix = false;
  for (const std::string& d : dirs) real_prefix = real_prefix || Inside(lexical, d);
  if (!lexically_inside && !real_prefix) return outside();
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) {
    if (errno == ENOENT || errno == ENOTDIR)
      return NotFound(ErrorCode::kUndefinedFile, "file \"{}\" does not exist", path);
    return IOError("cannot open \"{}\": {}", path, std::strerror(errno));
  }
  std::string real = buf;
  bool inside = false;
  for (const std::string& d : dirs) inside = inside || Inside(real, d);
  if (!inside) return outside();  // a symbolic link out of the directory
  struct stat sb;
  if (::stat(real.c_str(), &sb) != 0) return IOError("cannot open \"{}\": {}", path, std::strerror(errno));
  if (S_ISDIR(sb.st_mode)) return InvalidArgument(ErrorCode::kWrongObjectType, "\"{}\" is a directory", path);
  if (!S_ISREG(sb.st_mode))
    return InvalidArgument("\"{}\" is not a regular file (a device, FIFO or socket is never read)", path);
  if (uint64_t(sb.st_size) > rules.max_bytes)
    return ResourceExhausted("\"{}\" is {} bytes, more than a file the server reads may be ({}, [import] "
                             "max_file_bytes)",
                             path, uint64_t(sb.st_size), rules.max_bytes);
  return real;
}

}  // namespace laminar::engine
