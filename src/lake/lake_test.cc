#include "lake/lake.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "common/file_util.h"
#include "common/time_util.h"
#include "lake/parquet_reader.h"

namespace laminar::lake {
namespace {

namespace fs = std::filesystem;

class LakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("laminar-lake-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    schema_.name = "ev";
    schema_.columns = {{"ts", Type::kTimestamp, true}, {"k", Type::kInt64, true}, {"s", Type::kText, false}};
    schema_.event_time_index = 0;
    wal::RecoveryReport rep;
    auto log = wal::Log::Open((root_ / "log").string(), wal::Options{}, &rep);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    log_ = std::move(log).value();
  }
  void TearDown() override {
    log_.reset();
    fs::remove_all(root_);
  }

  // Appends events k = from..to-1, event time = hour (k % 3) of 2024-03-10.
  void Append(int from, int to) {
    ingest::RowBatch b(schema_);
    for (int k = from; k < to; k++)
      b.AppendRow({Value::Timestamp(*ParseTimestamp("2024-03-10T00:00:00Z") + (k % 3) * kMicrosPerHour + k),
                   Value::Int(k), k % 4 ? Value::Text("t" + std::to_string(k)) : Value::Null()});
    ASSERT_TRUE(log_->Append(b.Encode(), uint32_t(b.num_rows())).ok());
  }

  // Every k in the committed files, read back with the Parquet reader.
  std::vector<int64_t> LakeKeys(const Manifest& m) {
    std::vector<int64_t> ks;
    for (const auto& seg : m.segments)
      for (const auto& f : seg.files) {
        auto r = ParquetReader::Open((root_ / "lake" / "ev" / f.path).string());
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        for (int g = 0; g < (*r)->num_row_groups(); g++) {
          auto batch = (*r)->ReadRowGroup(g, schema_);
          EXPECT_TRUE(batch.ok());
          for (size_t i = 0; i < batch->num_rows(); i++) ks.push_back(batch->column(1).ints[i]);
        }
      }
    std::sort(ks.begin(), ks.end());
    return ks;
  }

  fs::path root_;
  ingest::StreamSchema schema_;
  std::unique_ptr<wal::Log> log_;
};

TEST_F(LakeTest, CommitsOnlySealedSegmentsInOrderPartitionedByHour) {
  Lake lake((root_ / "lake").string(), WriterOptions{});
  Append(0, 10);
  auto n = lake.CommitSealedSegments(schema_, *log_);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0u);  // the active segment is not in the lake
  ASSERT_TRUE(log_->SealActive().ok());
  Append(10, 25);
  ASSERT_TRUE(log_->SealActive().ok());
  n = lake.CommitSealedSegments(schema_, *log_);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2u);
  auto m = lake.LoadManifest("ev");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->version, 2u);
  EXPECT_EQ(m->last_seq(), 25u);
  ASSERT_EQ(m->segments.size(), 2u);
  EXPECT_EQ(m->segments[0].first_seq, 1u);
  EXPECT_EQ(m->segments[0].last_seq, 10u);
  EXPECT_EQ(m->segments[0].files.size(), 3u);  // three event hours
  EXPECT_EQ(m->segments[0].files[1].path, "event_date=2024-03-10/event_hour=01/seg-00000000000000000001.parquet");
  std::vector<int64_t> want(25);
  for (int i = 0; i < 25; i++) want[i] = i;
  EXPECT_EQ(LakeKeys(*m), want);
  // Nothing new: nothing committed, manifest unchanged.
  EXPECT_EQ(*lake.CommitSealedSegments(schema_, *log_), 0u);
  EXPECT_EQ(lake.LoadManifest("ev")->version, 2u);
}

TEST_F(LakeTest, ACrashBeforeTheManifestCommitIsRedoneWithTheSameFiles) {
  Lake lake((root_ / "lake").string(), WriterOptions{});
  Append(0, 12);
  ASSERT_TRUE(log_->SealActive().ok());
  ASSERT_TRUE(lake.CommitSealedSegments(schema_, *log_).ok());
  // As if the process died after writing the files but before renaming the manifest.
  ASSERT_TRUE(RemoveFile((root_ / "lake" / "ev" / "_manifest.json").string()).ok());
  EXPECT_EQ(*lake.CommitSealedSegments(schema_, *log_), 1u);
  auto m = lake.LoadManifest("ev");
  ASSERT_EQ(m->segments.size(), 1u);
  EXPECT_EQ(LakeKeys(*m).size(), 12u);  // no duplicates: the same file names were rewritten
  size_t files = 0;
  for (auto& e : fs::recursive_directory_iterator(root_ / "lake" / "ev"))
    if (e.path().extension() == ".parquet") files++;
  EXPECT_EQ(files, 3u);
}

TEST_F(LakeTest, ADamagedManifestIsCorruptionNamingTheFile) {
  Lake lake((root_ / "lake").string(), WriterOptions{});
  fs::create_directories(root_ / "lake" / "ev");
  ASSERT_TRUE(WriteFileAtomic((root_ / "lake" / "ev" / "_manifest.json").string(), "{\"format\": 1").ok());
  auto m = lake.LoadManifest("ev");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kCorruption);
  EXPECT_NE(m.status().message().find("_manifest.json"), std::string::npos);
}

TEST(ManifestTest, RoundTripsThroughJson) {
  Manifest m;
  m.version = 7;
  m.segments.push_back({3, 10, 20, {{"event_date=2024-01-01/event_hour=05/seg-3.parquet", 11, 999, 5, 6}}});
  m.segments.push_back({4, 0, 0, {}});
  auto back = Manifest::FromJson(m.ToJson(), "m");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->version, 7u);
  EXPECT_EQ(back->last_seq(), 20u);
  EXPECT_TRUE(back->Contains(4));
  EXPECT_EQ(back->segments[0].files[0].rows, 11u);
  EXPECT_EQ(back->segments[0].files[0].max_event_time, 6);
}

}  // namespace
}  // namespace laminar::lake
