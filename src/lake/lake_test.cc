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

  // A Lake over root/lake, as the engine opens it (a fresh one is like a restart).
  std::unique_ptr<Lake> MakeLake() {
    auto store = objstore::OpenLocal((root_ / "lake").string());
    EXPECT_TRUE(store.ok());
    return std::make_unique<Lake>(std::shared_ptr<objstore::ObjectStore>(std::move(store).value()),
                                  (root_ / "staging").string(), WriterOptions{});
  }
  std::string ManifestFile(uint64_t v) {
    return (root_ / "lake" / "ev" / "_manifest" / fmt::format("{:020}.json", v)).string();
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
        if (!r.ok()) continue;
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
  auto lake_ptr = MakeLake();
  Lake& lake = *lake_ptr;
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

// A stream partitioned by day or month: one file per partition a segment holds, under
// event_date=… or event_month=…; retention drops whole days or months.
TEST_F(LakeTest, PartitionsByDayOrMonth) {
  for (TimeUnit unit : {TimeUnit::kDay, TimeUnit::kMonth}) {
    SCOPED_TRACE(TimeUnitName(unit));
    fs::remove_all(root_ / "lake");
    log_.reset();
    fs::remove_all(root_ / "log");
    wal::RecoveryReport rep;
    log_ = std::move(wal::Log::Open((root_ / "log").string(), wal::Options{}, &rep)).value();
    schema_.partition = unit;
    auto lake = MakeLake();
    // An event every 7 hours from 2024-01-20 03:00 to 2024-02-29: every calendar day has some.
    ingest::RowBatch b(schema_);
    const int64_t t0 = *ParseTimestamp("2024-01-20T03:00:00Z");
    for (int k = 0; k < 140; k++)
      b.AppendRow({Value::Timestamp(t0 + k * 7 * kMicrosPerHour), Value::Int(k), Value::Text("x")});
    ASSERT_TRUE(log_->Append(b.Encode(), uint32_t(b.num_rows())).ok());
    ASSERT_TRUE(log_->SealActive().ok());
    ASSERT_TRUE(lake->CommitSealedSegments(schema_, *log_).ok());
    auto m = lake->LoadManifest("ev");
    ASSERT_TRUE(m.ok());
    const auto& files = m->segments[0].files;
    std::vector<int64_t> want(140);
    for (int i = 0; i < 140; i++) want[i] = i;
    EXPECT_EQ(LakeKeys(*m), want);
    if (unit == TimeUnit::kDay) {
      EXPECT_EQ(files.size(), 41u);  // 2024-01-20 .. 2024-02-29
      EXPECT_EQ(files[0].path, "event_date=2024-01-20/seg-00000000000000000001.parquet");
      EXPECT_EQ(files.back().path, "event_date=2024-02-29/seg-00000000000000000001.parquet");
    } else {
      ASSERT_EQ(files.size(), 2u);
      EXPECT_EQ(files[0].path, "event_month=2024-01/seg-00000000000000000001.parquet");
      EXPECT_EQ(files[1].path, "event_month=2024-02/seg-00000000000000000001.parquet");
    }
    for (const auto& f : files) {
      int64_t start = DateTrunc(unit, f.min_event_time);
      EXPECT_EQ(PartitionPath(unit, start) + "/seg-00000000000000000001.parquet", f.path);
      EXPECT_LT(f.max_event_time, PartitionEnd(unit, start));
    }
    // Retention: whole partitions ending at or before the cutoff, never part of one.
    auto dropped = lake->DropPartitionsBefore(schema_, *ParseTimestamp("2024-02-01T12:00:00Z"));
    ASSERT_TRUE(dropped.ok()) << dropped.status().ToString();
    EXPECT_EQ(*dropped, unit == TimeUnit::kDay ? 12u : 1u);  // Jan 20..31, or January
    m = lake->LoadManifest("ev");
    EXPECT_GE(m->segments[0].files.front().min_event_time, *ParseTimestamp("2024-02-01T00:00:00Z"));
    EXPECT_EQ(PartitionEnd(TimeUnit::kMonth, *ParseTimestamp("2024-02-01T00:00:00Z")), *ParseTimestamp("2024-03-01T00:00:00Z"));
  }
  schema_.partition = TimeUnit::kHour;
}

TEST_F(LakeTest, ACrashBeforeTheManifestCommitIsRedoneWithTheSameFiles) {
  auto lake_ptr = MakeLake();
  Lake& lake = *lake_ptr;
  Append(0, 12);
  ASSERT_TRUE(log_->SealActive().ok());
  ASSERT_TRUE(lake.CommitSealedSegments(schema_, *log_).ok());
  // As if the process died after writing the files but before committing the manifest.
  ASSERT_TRUE(RemoveFile(ManifestFile(1)).ok());
  auto restarted = MakeLake();
  EXPECT_EQ(*restarted->CommitSealedSegments(schema_, *log_), 1u);
  auto m = restarted->LoadManifest("ev");
  ASSERT_EQ(m->segments.size(), 1u);
  EXPECT_EQ(LakeKeys(*m).size(), 12u);  // no duplicates: the same file names were rewritten
  size_t files = 0;
  for (auto& e : fs::recursive_directory_iterator(root_ / "lake" / "ev"))
    if (e.path().extension() == ".parquet") files++;
  EXPECT_EQ(files, 3u);
}

TEST_F(LakeTest, ADamagedManifestIsCorruptionNamingTheFile) {
  auto lake_ptr = MakeLake();
  Lake& lake = *lake_ptr;
  fs::create_directories(root_ / "lake" / "ev" / "_manifest");
  ASSERT_TRUE(WriteFileAtomic(ManifestFile(3), "{\"format\": 1").ok());
  auto m = lake.LoadManifest("ev");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kCorruption);
  EXPECT_NE(m.status().message().find("_manifest/00000000000000000003.json"), std::string::npos);
}

TEST_F(LakeTest, EachCommitIsANewManifestVersionAndOnlyTheLastTenAreKept) {
  auto lake = MakeLake();
  for (int i = 0; i < 13; i++) {
    Append(i * 2, i * 2 + 2);
    ASSERT_TRUE(log_->SealActive().ok());
    ASSERT_EQ(*lake->CommitSealedSegments(schema_, *log_), 1u);
  }
  EXPECT_EQ(13u, lake->LoadManifest("ev")->version);
  std::vector<std::string> names;
  for (auto& e : fs::directory_iterator(root_ / "lake" / "ev" / "_manifest")) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  ASSERT_EQ(kKeepManifests, names.size());
  EXPECT_EQ(fmt::format("{:020}.json", 4), names.front());
  // A restart reads the newest.
  auto again = MakeLake()->LoadManifest("ev");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(13u, again->version);
  EXPECT_EQ(26u, again->last_seq());
}

TEST_F(LakeTest, AManifestVersionTakenByAnotherWriterIsRefused) {
  auto lake = MakeLake();
  Append(0, 3);
  ASSERT_TRUE(log_->SealActive().ok());
  ASSERT_TRUE(lake->CommitSealedSegments(schema_, *log_).ok());
  // Another Laminar (with another log) commits version 2 of the same stream.
  fs::create_directories(root_ / "lake" / "ev" / "_manifest");
  Manifest theirs = *lake->LoadManifest("ev");
  theirs.version = 2;
  ASSERT_TRUE(WriteFileAtomic(ManifestFile(2), theirs.ToJson()).ok());
  Append(3, 5);
  ASSERT_TRUE(log_->SealActive().ok());
  auto n = lake->CommitSealedSegments(schema_, *log_);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(StatusCode::kUnavailable, n.status().code());
  EXPECT_NE(std::string::npos, n.status().message().find("another writer")) << n.status().ToString();
}

// Rows of 2024-03-10, hours 5 and 6, keys from..to-1.
RowSource Rows(const ingest::StreamSchema& schema, int from, int to, bool null_time_at_end = false) {
  return [=](const std::function<Status(ingest::RowBatch&&)>& sink) -> Status {
    ingest::RowBatch b(schema);
    for (int k = from; k < to; k++) {
      Value ts = Value::Timestamp(*ParseTimestamp("2024-03-10T05:00:00Z") + (k % 2) * kMicrosPerHour + k);
      if (null_time_at_end && k == to - 1) ts = Value::Null();
      b.AppendRow({ts, Value::Int(k), Value::Text("a")});
    }
    return sink(std::move(b));
  };
}

TEST_F(LakeTest, AttachedRowsGetAReservedRangeAfterEverythingLoggedBefore) {
  auto lake = MakeLake();
  Append(0, 4);
  ASSERT_TRUE(log_->SealActive().ok());
  Append(4, 6);  // still in the active segment
  auto entry = lake->Attach(schema_, log_.get(), "history.parquet", Rows(schema_, 100, 110), 1000);
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_EQ(7u, entry->first_seq);
  EXPECT_EQ(16u, entry->last_seq);
  EXPECT_EQ(3u, entry->segment_id);
  EXPECT_EQ("history.parquet", entry->attached_from);
  ASSERT_EQ(2u, entry->files.size());
  EXPECT_EQ("event_date=2024-03-10/event_hour=05/att-00000000000000000003.parquet", entry->files[0].path);
  auto m = lake->LoadManifest("ev");
  ASSERT_TRUE(m.ok());
  // Both log segments were committed first (the active one was sealed by the reservation).
  ASSERT_EQ(3u, m->segments.size());
  EXPECT_EQ(6u, m->segments[1].last_seq);
  EXPECT_EQ(16u, m->last_seq());
  std::vector<int64_t> want = {0, 1, 2, 3, 4, 5};
  for (int k = 100; k < 110; k++) want.push_back(k);
  EXPECT_EQ(want, LakeKeys(*m));
  // Later events continue after the range; their segment commits after the attached one.
  Append(6, 8);
  ASSERT_TRUE(log_->SealActive().ok());
  ASSERT_EQ(1u, *lake->CommitSealedSegments(schema_, *log_));
  m = MakeLake()->LoadManifest("ev");
  EXPECT_EQ(18u, m->last_seq());
  EXPECT_EQ(4u, m->segments.back().segment_id);
  EXPECT_EQ(17u, m->segments.back().first_seq);
}

TEST_F(LakeTest, AttachIsAllOrNothing) {
  auto lake = MakeLake();
  auto bad = lake->Attach(schema_, log_.get(), "bad.parquet", Rows(schema_, 0, 5, /*null_time_at_end=*/true), 1000);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(StatusCode::kInvalidArgument, bad.status().code());
  EXPECT_NE(std::string::npos, bad.status().message().find("row 5 of bad.parquet")) << bad.status().ToString();
  auto big = lake->Attach(schema_, log_.get(), "big.parquet", Rows(schema_, 0, 50), 10);
  EXPECT_EQ(StatusCode::kResourceExhausted, big.status().code());
  auto none = lake->Attach(schema_, log_.get(), "none.parquet", Rows(schema_, 0, 0), 10);
  EXPECT_EQ(StatusCode::kInvalidArgument, none.status().code());
  EXPECT_EQ(0u, log_->last_seq());  // nothing reserved
  EXPECT_EQ(0u, lake->LoadManifest("ev")->version);
}

TEST_F(LakeTest, RetentionDeletesFilesNoManifestNames) {
  auto lake = MakeLake();
  Append(0, 6);
  ASSERT_TRUE(log_->SealActive().ok());
  ASSERT_TRUE(lake->CommitSealedSegments(schema_, *log_).ok());
  // An attach that died before its manifest left a file behind.
  fs::path stray = root_ / "lake" / "ev" / "event_date=2024-03-10" / "event_hour=05" / "att-00000000000000000009.parquet";
  fs::create_directories(stray.parent_path());
  ASSERT_TRUE(WriteFileAtomic(stray.string(), "x").ok());
  auto dropped = lake->DropPartitionsBefore(schema_, *ParseTimestamp("2024-03-10T01:00:00Z"));
  ASSERT_TRUE(dropped.ok()) << dropped.status().ToString();
  EXPECT_EQ(1u, *dropped);  // hour 00
  EXPECT_FALSE(fs::exists(stray));
  auto m = lake->LoadManifest("ev");
  EXPECT_EQ(1u, m->retention_epoch);
  EXPECT_EQ((std::vector<int64_t>{1, 2, 4, 5}), LakeKeys(*m));
}

TEST_F(LakeTest, DropStreamRemovesManifestsAndFiles) {
  auto lake = MakeLake();
  Append(0, 6);
  ASSERT_TRUE(log_->SealActive().ok());
  ASSERT_TRUE(lake->CommitSealedSegments(schema_, *log_).ok());
  ASSERT_TRUE(lake->DropStream("ev").ok());
  EXPECT_EQ(0u, lake->LoadManifest("ev")->version);
  size_t files = 0;
  for (auto& e : fs::recursive_directory_iterator(root_ / "lake")) files += e.is_regular_file();
  EXPECT_EQ(0u, files);
}

TEST(ManifestTest, RoundTripsThroughJson) {
  Manifest m;
  m.version = 7;
  m.segments.push_back({3, 10, 20, {{"event_date=2024-01-01/event_hour=05/seg-3.parquet", 11, 999, 5, 6}}, ""});
  m.segments.push_back({4, 0, 0, {}, ""});
  m.segments.push_back({5, 21, 22, {}, "old.parquet"});
  auto back = Manifest::FromJson(m.ToJson(), "m");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->version, 7u);
  EXPECT_EQ(back->last_seq(), 22u);
  EXPECT_TRUE(back->Contains(4));
  EXPECT_EQ(back->segments[0].files[0].rows, 11u);
  EXPECT_EQ(back->segments[0].files[0].max_event_time, 6);
  EXPECT_EQ(back->segments[2].attached_from, "old.parquet");
  EXPECT_EQ(back->segments[0].attached_from, "");
}

}  // namespace
}  // namespace laminar::lake
