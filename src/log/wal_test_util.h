// Test helpers for the log: FaultFs (a file system that fails on demand and forgets unsynced
// data, as leveldb's db/fault_injection_test.cc does) and WalTest, a fixture over a temporary
// log directory with "write this, read that" helpers (leveldb db/log_test.cc style).
// Included only by *_test.cc files.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/file_util.h"
#include "log/wal.h"
#include "log/wal_file.h"
#include "log/wal_format.h"

namespace laminar::wal::test_util {

// A file system over POSIX that counts writes and syncs, fails on demand, and can simulate a
// power loss: every file loses what was written after its last sync.
class FaultFs : public internal::FileSystem {
 public:
  std::atomic<bool> fail_writes{false};
  std::atomic<bool> fail_syncs{false};
  std::atomic<int> writes{0};      // successful Append calls (one write() each)
  std::atomic<int> data_syncs{0};  // fdatasync calls: one per group commit
  std::chrono::microseconds sync_delay{0};

  Result<std::unique_ptr<internal::WritableFile>> NewWritableFile(
      const std::string& path) override {
    ASSIGN_OR_RETURN(std::unique_ptr<internal::WritableFile> base,
                     internal::PosixFileSystem()->NewWritableFile(path));
    std::lock_guard<std::mutex> l(mu_);
    files_[path] = FileState{};
    return std::unique_ptr<internal::WritableFile>(new File(this, path, std::move(base)));
  }

  Status SyncDir(const std::string& dir) override {
    {
      std::lock_guard<std::mutex> l(mu_);
      for (auto& [path, state] : files_) {
        if (std::filesystem::path(path).parent_path() == std::filesystem::path(dir)) {
          state.entry_durable = true;
        }
      }
    }
    return internal::PosixFileSystem()->SyncDir(dir);
  }

  // Power loss: each file keeps its synced bytes plus at most `keep_unsynced` of the rest (a
  // partly flushed page cache); a file whose directory entry was never synced disappears.
  void DropUnsyncedData(uint64_t keep_unsynced = 0) {
    std::lock_guard<std::mutex> l(mu_);
    for (auto& [path, state] : files_) {
      if (!state.entry_durable) {
        ::unlink(path.c_str());
        continue;
      }
      uint64_t keep = std::min(state.size, state.synced + keep_unsynced);
      EXPECT_EQ(0, ::truncate(path.c_str(), static_cast<off_t>(keep))) << path;
    }
    files_.clear();
  }

 private:
  struct FileState {
    uint64_t size = 0;
    uint64_t synced = 0;
    bool entry_durable = false;
  };

  class File : public internal::WritableFile {
   public:
    File(FaultFs* fs, std::string path, std::unique_ptr<internal::WritableFile> base)
        : fs_(fs), path_(std::move(path)), base_(std::move(base)) {}
    Status Append(std::string_view data) override {
      if (fs_->fail_writes) {
        // A write that failed part way: some bytes reach the file, as ENOSPC may leave them.
        if (data.size() > 1) {
          RETURN_IF_ERROR(base_->Append(data.substr(0, data.size() / 2)));
          std::lock_guard<std::mutex> l(fs_->mu_);
          fs_->files_[path_].size += data.size() / 2;
        }
        return IOError(ErrorCode::kDiskFull, "injected write error on {}: No space left on device", path_);
      }
      RETURN_IF_ERROR(base_->Append(data));
      ++fs_->writes;
      std::lock_guard<std::mutex> l(fs_->mu_);
      fs_->files_[path_].size += data.size();
      return Status::OK();
    }
    Status Truncate(uint64_t size) override {
      RETURN_IF_ERROR(base_->Truncate(size));
      std::lock_guard<std::mutex> l(fs_->mu_);
      FileState& st = fs_->files_[path_];
      st.size = size;
      st.synced = std::min(st.synced, size);
      return Status::OK();
    }
    Status Sync(bool data_only) override {
      if (fs_->fail_syncs) return IOError("injected fsync error on {}", path_);
      if (data_only) ++fs_->data_syncs;
      if (fs_->sync_delay.count() > 0) std::this_thread::sleep_for(fs_->sync_delay);
      RETURN_IF_ERROR(base_->Sync(data_only));
      std::lock_guard<std::mutex> l(fs_->mu_);
      FileState& st = fs_->files_[path_];
      st.synced = st.size;
      return Status::OK();
    }
    Status Close() override { return base_->Close(); }

   private:
    FaultFs* fs_;
    std::string path_;
    std::unique_ptr<internal::WritableFile> base_;
  };

  std::mutex mu_;
  std::map<std::string, FileState> files_;
};

class WalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar-wal-test-XXXXXX";
    ASSERT_NE(nullptr, ::mkdtemp(tmpl));
    root_ = dir_ = tmpl;
  }

  void TearDown() override {
    log_.reset();
    internal::SetFileSystemForTesting(nullptr);
    std::filesystem::remove_all(root_);
  }

  // Opens (or reopens) the log, running recovery into report_.
  Status TryOpen() {
    log_.reset();
    report_ = RecoveryReport{};
    auto r = Log::Open(dir_, options_, &report_);
    if (!r.ok()) return r.status();
    log_ = std::move(r).value();
    return Status::OK();
  }
  void Reopen() {
    Status st = TryOpen();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  AppendResult Write(std::string_view payload, uint32_t count = 1) {
    auto r = log_->Append(payload, count);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : AppendResult{};
  }

  // Every record replayed from `from`, as "first_seq:payload" (count appended as "+n" when > 1).
  std::vector<std::string> Read(uint64_t from = 1) {
    std::vector<std::string> out;
    Status st = log_->Replay(from, [&](const Record& r) {
      std::string s = std::to_string(r.first_seq);
      if (r.count > 1) s += "+" + std::to_string(r.count);
      out.push_back(s + ":" + std::string(r.payload));
      return Status::OK();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  std::string SegmentPath(uint64_t id) const { return JoinPath(dir_, SegmentFileName(id)); }
  std::vector<uint64_t> SegmentIds() const {
    std::vector<uint64_t> ids;
    for (const SegmentInfo& s : log_->Segments()) ids.push_back(s.id);
    return ids;
  }
  bool MessagesMention(std::string_view a, std::string_view b = "") const {
    for (const std::string& m : report_.messages) {
      if (m.find(a) != std::string::npos && m.find(b) != std::string::npos) return true;
    }
    return false;
  }

  static std::string Bytes(const std::string& path) { return *ReadFile(path); }
  static void SetBytes(const std::string& path, std::string_view data) {
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(data.data(), data.size());
  }
  static void FlipByte(const std::string& path, uint64_t offset) {
    std::string b = Bytes(path);
    b[offset] = static_cast<char>(b[offset] ^ 0x40);
    SetBytes(path, b);
  }

  std::string root_;  // the temporary directory, removed after the test
  std::string dir_;   // the log directory (root_ unless a test changes it)
  Options options_;
  RecoveryReport report_;
  std::unique_ptr<Log> log_;
};

using Strings = std::vector<std::string>;

}  // namespace laminar::wal::test_util
