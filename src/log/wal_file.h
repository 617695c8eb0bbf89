// The file-system seam of the WAL: the operations whose failure or loss in a crash matters
// (appending to a segment, fsync, creating files, syncing the directory). Production uses POSIX;
// tests substitute a file system that fails on demand or forgets unsynced data, to check what
// survives a crash (as leveldb's db/fault_injection_test.cc does). Reads are plain POSIX: they
// are not part of the seam.
//
// Errors: IOError naming the operation and the file; out of space (ENOSPC, EDQUOT) carries
// ErrorCode::kDiskFull.
//
// Thread safety: a FileSystem is used from many threads; a WritableFile from one at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace laminar::wal::internal {

// A file opened for appending. The destructor closes without syncing.
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
  // Creates a new file (O_EXCL: fails when it exists) for appending.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  // fsync(2) on a directory: makes creations and unlinks in it durable.
  virtual Status SyncDir(const std::string& dir) = 0;
};

// The POSIX file system (a process-wide singleton).
FileSystem* PosixFileSystem();

// The file system a Log opened now uses: PosixFileSystem() unless a test set another.
FileSystem* CurrentFileSystem();
// Test seam: Logs opened after this call use fs; nullptr restores POSIX. A Log keeps the file
// system it was opened with. REQUIRES: fs outlives those Logs; no concurrent Log::Open.
void SetFileSystemForTesting(FileSystem* fs);

}  // namespace laminar::wal::internal
