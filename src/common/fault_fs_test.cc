// FaultFs's model of a power loss: what was synced stays, what was not goes, directory changes
// last only once their directory was synced; and its injected faults.
#include "common/fault_fs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/file_util.h"

namespace laminar::fs {
namespace {

class FaultFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar_fault_fs_test_XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(tmpl));
    dir_ = tmpl;
    fs_.real_syncs = false;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string P(const char* name) const { return JoinPath(dir_, name); }
  void Write(const std::string& path, std::string_view data, bool sync) {
    auto f = fs_.Open(path, OpenMode::kAppend);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    ASSERT_TRUE((*f)->Append(data).ok());
    if (sync) ASSERT_TRUE((*f)->Sync(true).ok());
  }
  std::string Read(const std::string& path) {
    auto r = ReadFile(path);
    return r.ok() ? *r : "(missing)";
  }
  std::string dir_;
  FaultFs fs_;
};

TEST_F(FaultFsTest, UnsyncedBytesAndEntriesAreLost) {
  Write(P("a"), "synced", true);
  ASSERT_TRUE(fs_.SyncDir(dir_).ok());
  Write(P("a"), "+lost", false);
  Write(P("b"), "never in the directory", true);  // synced data, but the entry was not
  fs_.DropUnsyncedData();
  EXPECT_EQ("synced", Read(P("a")));
  EXPECT_EQ("(missing)", Read(P("b")));
}

TEST_F(FaultFsTest, KeepsPartOfTheUnsyncedBytesWhenAsked) {
  Write(P("a"), "abc", true);
  ASSERT_TRUE(fs_.SyncDir(dir_).ok());
  Write(P("a"), "defgh", false);
  fs_.DropUnsyncedData(2);
  EXPECT_EQ("abcde", Read(P("a")));
}

TEST_F(FaultFsTest, KeepingEverythingKeepsEveryByte) {  // UINT64_MAX once wrapped to a cut
  Write(P("a"), "abc", true);
  ASSERT_TRUE(fs_.SyncDir(dir_).ok());
  Write(P("a"), "def", false);
  fs_.DropUnsyncedData(UINT64_MAX, SIZE_MAX);
  EXPECT_EQ("abcdef", Read(P("a")));
}

TEST_F(FaultFsTest, AnUnsyncedRenameIsUndoneAndTheTargetRestored) {
  Write(P("f"), "old", true);
  Write(P("f.tmp"), "new", true);
  ASSERT_TRUE(fs_.SyncDir(dir_).ok());
  ASSERT_TRUE(fs_.Rename(P("f.tmp"), P("f")).ok());
  ASSERT_TRUE(fs_.Remove(P("gone")).ok());  // missing: nothing to undo
  EXPECT_EQ("new", Read(P("f")));
  fs_.DropUnsyncedData();
  EXPECT_EQ("old", Read(P("f")));
  EXPECT_EQ("new", Read(P("f.tmp")));
}

TEST_F(FaultFsTest, ASyncedRenameAndAnUnsyncedUnlink) {
  Write(P("f.tmp"), "new", true);
  ASSERT_TRUE(fs_.Rename(P("f.tmp"), P("f")).ok());
  ASSERT_TRUE(fs_.SyncDir(dir_).ok());
  ASSERT_TRUE(fs_.Remove(P("f")).ok());
  fs_.DropUnsyncedData();
  EXPECT_EQ("new", Read(P("f")));  // the unlink was not synced: the file is back
  EXPECT_EQ("(missing)", Read(P("f.tmp")));
}

TEST_F(FaultFsTest, APrefixOfTheDirectoryChangesSurvivesWhenAsked) {
  Write(P("a"), "1", true);
  Write(P("b"), "2", true);
  Write(P("c"), "3", true);
  fs_.DropUnsyncedData(0, 2);
  EXPECT_EQ("1", Read(P("a")));
  EXPECT_EQ("2", Read(P("b")));
  EXPECT_EQ("(missing)", Read(P("c")));
}

TEST_F(FaultFsTest, AnUnsyncedDirectoryGoesWithItsContents) {
  ASSERT_TRUE(fs_.MakeDir(P("sub")).ok());
  Write(JoinPath(P("sub"), "x"), "data", true);
  ASSERT_TRUE(fs_.SyncDir(P("sub")).ok());  // x's entry is durable in sub, but sub is not in dir_
  fs_.DropUnsyncedData();
  EXPECT_FALSE(std::filesystem::exists(P("sub")));
}

TEST_F(FaultFsTest, FailAtFailsOneOperationCrashAtEveryLaterOne) {
  Write(P("a"), "x", true);  // ops 1-3: open, append, fdatasync
  EXPECT_EQ(3u, fs_.ops());
  fs_.FailAt(5);
  auto f = fs_.Open(P("a"), OpenMode::kAppend);  // op 4
  ASSERT_TRUE(f.ok());
  Status full = (*f)->Append("yyyy");  // op 5: half of it reaches the file
  EXPECT_EQ(ErrorCode::kDiskFull, full.error_code()) << full.ToString();
  EXPECT_NE(std::string::npos, fs_.injected().find("#5 append"));
  EXPECT_TRUE((*f)->Sync(true).ok());  // op 6
  EXPECT_EQ("xyy", Read(P("a")));
  fs_.CrashAt(8);
  EXPECT_TRUE((*f)->Append("z").ok());  // op 7
  EXPECT_FALSE((*f)->Append("w").ok());  // op 8: the power is gone
  EXPECT_FALSE(fs_.SyncDir(dir_).ok());
  EXPECT_TRUE(fs_.crashed());
  EXPECT_EQ("xyyz", Read(P("a")));  // nothing after the crash reached the file
}

// Found by src/engine/fault_test.cc: a directory made while its parent's fsync failed stayed,
// the next CreateDirs found it and returned OK, and a power loss took the lake's manifests with it.
TEST_F(FaultFsTest, CreateDirsRemovesADirectoryWhoseParentFsyncFailed) {
  SetForTesting(&fs_);
  fs_.FailAt(2);  // mkdir, then the parent's fsync
  EXPECT_FALSE(CreateDirs(P("m")).ok());
  EXPECT_FALSE(std::filesystem::exists(P("m")));
  EXPECT_TRUE(CreateDirs(P("m")).ok());
  SetForTesting(nullptr);
  fs_.DropUnsyncedData();
  EXPECT_TRUE(std::filesystem::is_directory(P("m")));
}

}  // namespace
}  // namespace laminar::fs
