// File-system helpers with explicit durability. Every function that promises durability says so;
// none fsyncs in a destructor. Writes go through the file-system seam (common/fs.h).
// Thread safety: functions are thread-safe; concurrent writers of one path are the caller's
// problem.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace laminar {

// Reads a whole file. NotFound when it does not exist.
Result<std::string> ReadFile(const std::string& path);

// Writes `data` to path.tmp, fsyncs it, renames it over `path` and fsyncs the directory:
// on OK the new contents are durable and a crash leaves either the old or the new file.
// `crash_point` (common/crash_point.h), when given, is passed between the fsync and the rename.
Status WriteFileAtomic(const std::string& path, std::string_view data, const char* crash_point = nullptr);

// fsync on a directory, making renames and creations inside it durable.
Status FsyncDir(const std::string& dir);

// mkdir -p. OK when it exists already. Fsyncs each created directory's parent; when that fsync
// fails, the new (empty) directory is removed again, so a later call creates and syncs it anew.
Status CreateDirs(const std::string& dir);

// Names (not paths) of the entries of a directory, sorted. NotFound when it does not exist.
Result<std::vector<std::string>> ListDir(const std::string& dir);

// Removes a file (OK when it is missing).
Status RemoveFile(const std::string& path);

// Appends a line to a file and fsyncs it (for low-volume files such as the dead-letter log).
Status AppendAndSync(const std::string& path, std::string_view data);

// "a/b" joined with "c" → "a/b/c".
std::string JoinPath(std::string_view a, std::string_view b);

}  // namespace laminar
