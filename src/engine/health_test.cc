// The engine's health (GET /healthz): a stream whose log had an fsync fail acknowledges nothing
// more, says why, and makes the engine degraded; a failed write is not a lasting fault.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/file_util.h"
#include "engine/engine.h"
#include "common/fault_fs.h"

namespace laminar::engine {
namespace {

class HealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar_health_test_XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(tmpl));
    root_ = tmpl;
    fs::SetForTesting(&fs_);
    EngineOptions o;
    o.data_dir = JoinPath(root_, "data");
    o.batch_interval_ms = 0;
    auto e = Engine::Open(o);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e).value();
    ASSERT_TRUE(engine_->ExecuteSql("CREATE TABLE ev (ts timestamptz NOT NULL, n bigint)").ok());
  }
  void TearDown() override {
    engine_.reset();
    fs::SetForTesting(nullptr);
    std::filesystem::remove_all(root_);
  }
  Status Ingest() {
    return engine_->Ingest("ev", "application/x-ndjson", "", "{\"ts\":\"2024-05-01T00:00:00Z\",\"n\":1}\n").status();
  }
  std::string root_;
  fs::FaultFs fs_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(HealthTest, AFailedWriteIsRetriedAFailedFsyncMakesTheStreamReadOnly) {
  ASSERT_TRUE(Ingest().ok());
  fs_.fail_writes = true;
  Status full = Ingest();
  EXPECT_EQ(ErrorCode::kDiskFull, full.error_code()) << full.ToString();
  EXPECT_NE(std::string::npos, full.message().find("stream ev: the events were not stored (none acknowledged)"));
  EXPECT_TRUE(engine_->Health().empty());
  fs_.fail_writes = false;
  ASSERT_TRUE(Ingest().ok());

  fs_.fail_syncs = true;
  EXPECT_EQ(StatusCode::kIOError, Ingest().code());
  fs_.fail_syncs = false;
  Status read_only = Ingest();
  EXPECT_EQ(StatusCode::kUnavailable, read_only.code());
  EXPECT_NE(std::string::npos, read_only.message().find("read-only")) << read_only.ToString();
  std::vector<std::string> problems = engine_->Health();
  ASSERT_EQ(1u, problems.size());
  EXPECT_EQ(0u, problems[0].rfind("stream ev: ", 0)) << problems[0];
  EXPECT_NE(std::string::npos, problems[0].find("a failed fsync is not retried"));
  auto q = engine_->Query("SELECT count(*) FROM ev");  // what was acknowledged still answers
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(2, q->rows.at(0).at(0).as_int());
}

}  // namespace
}  // namespace laminar::engine
