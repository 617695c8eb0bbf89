// FaultFs: a test file system (common/fs.h) over POSIX that counts operations, fails chosen ones
// and simulates a power loss — as leveldb's fault-injection Env and SQLite's crash VFS do. For
// tests only (linked into laminar_common because it is small; nothing in production uses it).
//
// Faults:
//   - `fail_writes` / `fail_syncs`: every Append fails with ENOSPC (after writing half of its
//     bytes, as a full disk may) / every Sync and SyncDir fails with EIO, while set.
//   - FailAt(n): the n-th operation fails once (writes, creations, renames: ENOSPC after doing
//     nothing, or half an Append; syncs: EIO), later ones succeed.
//   - CrashAt(n): the power goes just before the n-th operation: it and every later one fail
//     ("injected power loss") and change nothing; then DropUnsyncedData() leaves the files as a
//     machine would find them after restarting.
// Operations counted (1, 2, ...): Open, Append, Sync, Truncate, Rename, Link, Remove, RemoveAll,
// MakeDir, SyncDir.
//
// The durability model of DropUnsyncedData: a file keeps what it held at its last Sync (plus at
// most `keep_unsynced` bytes of the rest: a partly flushed page cache); a directory change
// (create, rename, link, unlink, mkdir) lasts only once its directory was synced, except that the
// first `keep_dir_ops` of the changes not synced survive (file systems such as ext4 journal them
// in order). A rename that is undone takes the file back to its old name and restores what the
// target held; an unlink that is undone restores the file as it was durable. RemoveAll is taken
// as durable at once (it is used only for dropping whole directories, which the catalog redoes).
//
// Thread safety: thread-safe (operations are serialised by a mutex, except sync_delay's sleep).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fs.h"

namespace laminar::fs {

class FaultFs : public FileSystem {
 public:
  std::atomic<bool> fail_writes{false};
  std::atomic<bool> fail_syncs{false};
  std::chrono::microseconds sync_delay{0};  // each Sync sleeps this long first (a slow disk)
  // False: Sync and SyncDir only update the model, without fsync(2) (tests that simulate the
  // power loss do not need the disk's, and real fsyncs make them slow).
  std::atomic<bool> real_syncs{true};

  void FailAt(uint64_t n);
  void CrashAt(uint64_t n);
  bool crashed() const;
  // Operations counted so far (including failed ones).
  uint64_t ops() const;
  // The last operations, "#n op path", newest last (for failure messages).
  std::vector<std::string> RecentOps() const;
  // The operation FailAt or CrashAt hit ("#n op path"), empty before.
  std::string injected() const;
  // Successful Appends / fdatasyncs on files whose path ends with `suffix`.
  int Appends(std::string_view suffix = "") const;
  int DataSyncs(std::string_view suffix = "") const;

  // Leaves the files as a power loss would (see above) and forgets them: the FaultFs starts
  // afresh, not crashed. REQUIRES: nothing writes through it meanwhile.
  void DropUnsyncedData(uint64_t keep_unsynced = 0, size_t keep_dir_ops = 0);

  Result<std::unique_ptr<WritableFile>> Open(const std::string& path, OpenMode mode) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Link(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Status RemoveAll(const std::string& dir) override;
  Status MakeDir(const std::string& dir) override;
  Status SyncDir(const std::string& dir) override;

 private:
  class File;
  struct FileState {
    uint64_t size = 0;
    uint64_t synced = 0;
    int appends = 0;
    int data_syncs = 0;
  };
  enum class Kind { kCreate, kRename, kLink, kRemove, kMakeDir };
  struct DirChange {
    Kind kind;
    std::string path;                   // created, removed or renamed from
    std::string to;                     // rename and link target
    std::optional<std::string> saved;   // what an unlink removed or a rename replaced
    std::optional<FileState> saved_state;
  };
  enum class Verdict { kGo, kFail, kCrash };

  // Counts an operation; kCrash / kFail when it must not happen / fail. REQUIRES: mu_ held.
  Verdict Count(std::string_view op, const std::string& path);
  // What `path` durably holds now (its synced bytes when tracked), or nullopt when missing.
  std::optional<std::string> DurableContent(const std::string& path) const;
  void Journal(DirChange change);

  mutable std::mutex mu_;
  uint64_t ops_ = 0;
  uint64_t fail_at_ = 0;
  uint64_t crash_at_ = 0;
  std::vector<std::string> recent_;
  std::string injected_;
  std::map<std::string, FileState> files_;  // files written through this FaultFs, by path
  std::vector<DirChange> journal_;          // directory changes not yet synced, oldest first
};

}  // namespace laminar::fs
