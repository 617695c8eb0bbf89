// The file-system seam: every operation whose failure or loss in a crash matters — writing and
// syncing files, creating, renaming, linking and removing entries, syncing directories — goes
// through a FileSystem. Production uses POSIX; tests substitute one that fails chosen operations
// or forgets what was not made durable (common/fault_fs.h), as leveldb's fault-injection Env
// does, to check what survives a failed fsync or a power loss. Reads are plain POSIX: they are not
// part of the seam.
//
// Users: the log (segments, its state file), the lake (Parquet files, manifests through the local
// object store), the batch version store, the catalog, dimension tables, the dead-letter log —
// everything written with common/file_util.h.
//
// Errors: IOError naming the operation and the path; out of space (ENOSPC, EDQUOT) carries
// ErrorCode::kDiskFull; a missing path is NotFound (kUndefinedFile); an existing one where a
// new one was asked for (kCreateNew, Link) is AlreadyExists.
//
// Thread safety: a FileSystem is used from many threads; a WritableFile from one at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace laminar::fs {

enum class OpenMode {
  kCreateNew,  // O_EXCL: fails when the file exists
  kTruncate,   // creates or empties the file
  kAppend,     // creates the file or appends to what it holds
};

// A file opened for writing. The destructor closes without syncing.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Appends all of data with write(2) (repeated on a short write).
  virtual Status Append(std::string_view data) = 0;
  // fdatasync(2) when data_only, else fsync(2).
  virtual Status Sync(bool data_only) = 0;
  // Cuts the file to `size` bytes and appends from there on (after a failed Append).
  virtual Status Truncate(uint64_t size) = 0;
  virtual Status Close() = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual Result<std::unique_ptr<WritableFile>> Open(const std::string& path, OpenMode mode) = 0;
  // rename(2): atomically replaces `to`.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // link(2): AlreadyExists when `to` exists (an atomic "create if absent").
  virtual Status Link(const std::string& from, const std::string& to) = 0;
  // unlink(2); OK when the file is missing.
  virtual Status Remove(const std::string& path) = 0;
  // Removes a directory and everything in it; OK when it is missing.
  virtual Status RemoveAll(const std::string& dir) = 0;
  // mkdir(2) of one directory; OK when it exists.
  virtual Status MakeDir(const std::string& dir) = 0;
  // fsync(2) on a directory: makes creations, renames and unlinks in it durable.
  virtual Status SyncDir(const std::string& dir) = 0;
};

// The POSIX file system (a process-wide singleton).
FileSystem* Posix();

// The file system in use: Posix() unless a test set another. A Log keeps the one it was opened
// with; every other user asks at each operation.
FileSystem* Current();

// Test seam: the file system used from now on; nullptr restores POSIX.
// REQUIRES: fs outlives its use; no file operation in flight.
void SetForTesting(FileSystem* fs);

// An IOError for errno `err` of `what` on `path` (kDiskFull for ENOSPC and EDQUOT, NotFound for
// ENOENT).
Status ErrnoStatus(std::string_view what, const std::string& path, int err);

}  // namespace laminar::fs
