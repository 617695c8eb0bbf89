// Test helpers for the log: FaultFs (common/fault_fs.h: a file system that fails on demand and
// forgets unsynced data, as leveldb's db/fault_injection_test.cc does) and WalTest, a fixture over a temporary
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
#include "common/fault_fs.h"
#include "log/wal_format.h"

namespace laminar::wal::test_util {

using fs::FaultFs;

class WalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar-wal-test-XXXXXX";
    ASSERT_NE(nullptr, ::mkdtemp(tmpl));
    root_ = dir_ = tmpl;
  }

  void TearDown() override {
    log_.reset();
    fs::SetForTesting(nullptr);
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
