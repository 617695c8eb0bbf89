// The data directory's files against its catalog, on a real Engine: a stream dropped by a DROP
// that a crash interrupted loses its files at the next open, a CREATE TABLE never takes data that
// the catalog does not describe for leftovers, and a lost catalog is refused and recovered.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "catalog/catalog.h"
#include "common/fault_fs.h"
#include "common/file_util.h"
#include "engine/engine.h"

namespace laminar::engine {
namespace {

constexpr const char* kStream = "CREATE TABLE ev (ts timestamptz NOT NULL, n bigint)";

class CatalogLossTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar_catalog_loss_test_XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(tmpl));
    root_ = tmpl;
    options_.data_dir = JoinPath(root_, "data");
    options_.batch_interval_ms = 0;
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(root_);
  }
  Status TryOpen() {
    engine_.reset();
    auto e = Engine::Open(options_);
    if (!e.ok()) return e.status();
    engine_ = std::move(e).value();
    return Status::OK();
  }
  void Open() {
    Status st = TryOpen();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  std::string Exec(const std::string& sql) {
    auto r = engine_->ExecuteSql(sql);
    return r.ok() ? "OK" : r.status().ToString();
  }
  // Two committed batches in the lake and one in the log.
  void Fill() {
    ASSERT_EQ("OK", Exec(kStream));
    for (int i = 0; i < 3; i++) {
      auto r = engine_->Ingest("ev", "application/x-ndjson", "",
                               "{\"ts\":\"2024-05-01T00:00:00Z\",\"n\":1}\n{\"ts\":\"2024-05-01T01:00:00Z\",\"n\":2}\n");
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      if (i < 2) ASSERT_TRUE(engine_->RunBatch({}).ok());
    }
  }
  // Fill() and a view over it in a batch version, closed, then the catalog file deleted.
  void LoseTheCatalog() {
    Open();
    Fill();
    ASSERT_EQ("OK", Exec("CREATE MATERIALIZED VIEW per_n AS SELECT n, count(*) AS c FROM ev GROUP BY n"));
    ASSERT_TRUE(engine_->RunBatch({}).ok());
    engine_.reset();
    std::filesystem::remove(Path("catalog"));
  }
  int64_t Count() {
    auto q = engine_->Query("SELECT count(*) FROM ev");
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    return q.ok() ? q->rows.at(0).at(0).as_int() : -1;
  }
  std::string Path(const std::string& rel) const { return JoinPath(options_.data_dir, rel); }

  std::string root_;
  EngineOptions options_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(CatalogLossTest, AnInterruptedDropLosesItsFilesAtTheNextOpen) {
  Open();
  Fill();
  engine_.reset();
  // The DROP's catalog write happened, the removal of the files did not (a crash between).
  {
    auto cat = catalog::Catalog::Open(options_.data_dir);
    ASSERT_TRUE(cat.ok());
    ASSERT_TRUE((*cat)->Execute("DROP TABLE ev").ok());
    EXPECT_EQ(1u, (*cat)->snapshot()->dropping.count("ev"));
  }
  ASSERT_TRUE(std::filesystem::exists(Path("lake/ev")));
  Open();
  EXPECT_FALSE(std::filesystem::exists(Path("lake/ev")));
  EXPECT_FALSE(std::filesystem::exists(Path("log/ev")));
  EXPECT_TRUE(engine_->catalog()->dropping.empty());
  // A stream of that name starts empty.
  ASSERT_EQ("OK", Exec(kStream));
  EXPECT_EQ(0, Count());
}

TEST_F(CatalogLossTest, CreateTableRefusesDataTheCatalogDoesNotDescribe) {
  Open();
  Fill();
  engine_.reset();
  // A catalog restored from a copy taken before the stream existed.
  ASSERT_TRUE(WriteFileAtomic(Path("catalog"), "{\"format\": \"laminar-catalog\", \"format_version\": 1, "
                                               "\"version\": 0, \"streams\": [], \"views\": []}\n").ok());
  Open();
  std::string err = Exec(kStream);
  EXPECT_NE(std::string::npos, err.find("already holds data of a stream \"ev\"")) << err;
  EXPECT_TRUE(std::filesystem::exists(Path("lake/ev/_stream.sql")));  // nothing was removed
}

TEST_F(CatalogLossTest, AMissingCatalogIsRefusedAndRecovered) {
  ASSERT_NO_FATAL_FAILURE(LoseTheCatalog());
  Status st = TryOpen();
  ASSERT_EQ(StatusCode::kCorruption, st.code());
  EXPECT_NE(std::string::npos, st.message().find("recover-catalog")) << st.ToString();
  auto r = RecoverCatalog(options_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((std::vector<std::string>{"stream ev", "materialized view per_n (definition version 1)"}), r->recovered);
  EXPECT_TRUE(r->unrecovered.empty());
  EXPECT_EQ(StatusCode::kAlreadyExists, RecoverCatalog(options_).status().code());
  Open();
  EXPECT_EQ(6, Count());
  auto v = engine_->Query("SELECT sum(c) FROM per_n");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(6, v->rows.at(0).at(0).as_int());
}

// recover-catalog with a failed operation at each of its operations, then a power loss: the
// catalog is either not there (and a second recover-catalog makes it) or whole.
TEST_F(CatalogLossTest, RecoverCatalogWithAFailedOperationAnywhere) {
  ASSERT_NO_FATAL_FAILURE(LoseTheCatalog());
  const std::string pristine = JoinPath(root_, "pristine");
  std::filesystem::copy(options_.data_dir, pristine, std::filesystem::copy_options::recursive);
  fs::FaultFs fs;
  fs.real_syncs = false;
  fs::SetForTesting(&fs);
  ASSERT_TRUE(RecoverCatalog(options_).ok());
  const uint64_t total = fs.ops();
  fs::SetForTesting(nullptr);
  fs.DropUnsyncedData(UINT64_MAX, SIZE_MAX);
  ASSERT_GT(total, 2u);
  for (uint64_t n = 1; n <= total; n++) {
    SCOPED_TRACE("a failed operation #" + std::to_string(n) + " of " + std::to_string(total));
    std::filesystem::remove_all(options_.data_dir);
    std::filesystem::copy(pristine, options_.data_dir, std::filesystem::copy_options::recursive);
    fs::SetForTesting(&fs);
    fs.FailAt(n);
    Status first = RecoverCatalog(options_).status();
    fs::SetForTesting(nullptr);
    fs.DropUnsyncedData();
    Status second = RecoverCatalog(options_).status();
    if (first.ok()) EXPECT_EQ(StatusCode::kAlreadyExists, second.code()) << second.ToString();
    else EXPECT_TRUE(second.ok() || second.code() == StatusCode::kAlreadyExists) << second.ToString();
    Open();
    EXPECT_EQ(6, Count());
    auto v = engine_->Query("SELECT sum(c) FROM per_n");
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(6, v->rows.at(0).at(0).as_int());
    engine_.reset();
  }
}

}  // namespace
}  // namespace laminar::engine
