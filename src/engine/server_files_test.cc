// Which server files a client may name (server_files.h): only regular files, of bounded size,
// inside the import directories — whatever links, dot-dots or special files stand in the way.
#include "engine/server_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace laminar::engine {
namespace {

class ServerFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar_server_files_test_XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(tmpl));
    root_ = tmpl;
    import_ = root_ + "/import";
    std::filesystem::create_directories(import_ + "/sub");
    std::ofstream(import_ + "/sub/a.csv") << "x\n1\n";
    std::ofstream(root_ + "/secret.txt") << "secret\n";
    rules_ = ServerFileRules{{import_}, 1000};
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  StatusCode Code(const std::string& path) { return ResolveServerFile(path, rules_).status().code(); }
  std::string root_, import_;
  ServerFileRules rules_;
};

TEST_F(ServerFilesTest, AFileInsideIsItsRealPath) {
  auto r = ResolveServerFile(import_ + "/sub/../sub/a.csv", rules_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(import_ + "/sub/a.csv", *r);
}

TEST_F(ServerFilesTest, OutsideRelativeAndEscapesAreRefused) {
  EXPECT_EQ(StatusCode::kPermissionDenied, Code("/etc/passwd"));
  EXPECT_EQ(StatusCode::kPermissionDenied, Code(root_ + "/secret.txt"));
  EXPECT_EQ(StatusCode::kPermissionDenied, Code(import_ + "/../secret.txt"));
  EXPECT_EQ(StatusCode::kPermissionDenied, Code("/nonexistent/x"));  // says nothing about existence
  EXPECT_EQ(StatusCode::kInvalidArgument, Code("sub/a.csv"));
  // A link inside that points out.
  std::filesystem::create_symlink(root_ + "/secret.txt", import_ + "/link.txt");
  EXPECT_EQ(StatusCode::kPermissionDenied, Code(import_ + "/link.txt"));
  std::filesystem::create_symlink("/dev/zero", import_ + "/zero");
  EXPECT_EQ(StatusCode::kPermissionDenied, Code(import_ + "/zero"));
  // An import directory reached through a link is followed: its real path counts.
  std::filesystem::create_symlink(import_, root_ + "/via");
  EXPECT_TRUE(ResolveServerFile(root_ + "/via/sub/a.csv", ServerFileRules{{root_ + "/via"}, 1000}).ok());
}

TEST_F(ServerFilesTest, SpecialFilesDirectoriesMissingAndLargeFilesAreRefused) {
  ASSERT_EQ(0, ::mkfifo((import_ + "/fifo").c_str(), 0600));
  auto fifo = ResolveServerFile(import_ + "/fifo", rules_);
  EXPECT_EQ(StatusCode::kInvalidArgument, fifo.status().code());
  EXPECT_NE(std::string::npos, fifo.status().message().find("not a regular file"));
  EXPECT_EQ(StatusCode::kInvalidArgument, Code(import_ + "/sub"));
  EXPECT_EQ(StatusCode::kNotFound, Code(import_ + "/nope.csv"));
  std::ofstream(import_ + "/big.csv") << std::string(1001, 'x');
  EXPECT_EQ(StatusCode::kResourceExhausted, Code(import_ + "/big.csv"));
}

}  // namespace
}  // namespace laminar::engine
