#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "batch/builder.h"
#include "batch/version_store.h"
#include "common/file_util.h"
#include "common/time_util.h"

namespace laminar::batch {
namespace {

namespace fs = std::filesystem;

// A stream with a log, a lake and a view: SELECT date_trunc('hour', ts), count(*), sum(k),
// sum(x), max(k) FROM ev GROUP BY 1.
class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("laminar-batch-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    schema_.name = "ev";
    schema_.columns = {{"ts", Type::kTimestamp, true}, {"k", Type::kInt64, true}, {"x", Type::kDouble, false}};
    schema_.event_time_index = 0;
    wal::RecoveryReport rep;
    auto log = wal::Log::Open((root_ / "log").string(), wal::Options{}, &rep);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    log_ = std::move(log).value();
    lake_ = std::make_unique<lake::Lake>(Store("lake"), (root_ / "staging").string(), lake::WriterOptions{});
    def_ = MakeDef("SELECT ... v1", 1);
  }
  void TearDown() override {
    log_.reset();
    fs::remove_all(root_);
  }

  views::ViewDefPtr MakeDef(const std::string& sql, uint64_t definition_version) {
    auto d = std::make_shared<views::ViewDef>();
    d->name = "v";
    d->stream = "ev";
    d->sql = sql;
    d->definition_version = definition_version;
    d->dims = {{"hour", sql::MakeDateTrunc(TimeUnit::kHour, sql::MakeColumn(0, "ts", Type::kTimestamp)),
                Type::kTimestamp, true, TimeUnit::kHour}};
    d->measures = {{"n", views::AggKind::kCountStar, -1, Type::kInt64, Type::kInt64},
                   {"sk", views::AggKind::kSum, 1, Type::kInt64, Type::kInt64},
                   {"sx", views::AggKind::kSum, 2, Type::kDouble, Type::kDouble},
                   {"mk", views::AggKind::kMax, 1, Type::kInt64, Type::kInt64}};
    d->columns = {{true, 0}, {false, 0}, {false, 1}, {false, 2}, {false, 3}};
    return d;
  }

  // Appends events k = from..to-1 (event hour k % 5, late ones included), seals and commits.
  void AppendAndCommit(int from, int to) {
    ingest::RowBatch b(schema_);
    for (int k = from; k < to; k++)
      b.AppendRow({Value::Timestamp(*ParseTimestamp("2026-01-01T00:00:00Z") + (k % 5) * kMicrosPerHour),
                   Value::Int(k), k % 7 ? Value::Double(k * 0.1) : Value::Null()});
    ASSERT_TRUE(log_->Append(b.Encode(), uint32_t(b.num_rows())).ok());
    all_.Merge(ApplyTo(b));
    ASSERT_TRUE(log_->SealActive().ok());
    ASSERT_TRUE(lake_->CommitSealedSegments(schema_, *log_).ok());
  }
  views::ViewState ApplyTo(const ingest::RowBatch& b) {
    views::ViewState s(def_);
    s.Apply(b);
    return s;
  }
  lake::Manifest Manifest() { return *lake_->LoadManifest("ev"); }

  Result<std::optional<BatchVersion>> BuildNext(const BatchVersion* prev, bool full, uint64_t version) {
    lake::Manifest m = Manifest();
    BuildRequest req{def_, &schema_, lake_.get(), &m, prev, full, version};
    return Build(req);
  }

  std::shared_ptr<objstore::ObjectStore> Store(const char* name) {
    auto s = objstore::OpenLocal((root_ / name).string());
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }

  fs::path root_;
  ingest::StreamSchema schema_;
  std::unique_ptr<wal::Log> log_;
  std::unique_ptr<lake::Lake> lake_;
  views::ViewDefPtr def_;
  views::ViewState all_{nullptr};
};

TEST_F(BatchTest, IncrementalBuildsEqualAFullRecompute) {
  all_ = views::ViewState(def_);
  AppendAndCommit(0, 100);
  auto v1 = BuildNext(nullptr, false, 1);
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  ASSERT_TRUE(v1->has_value());
  EXPECT_TRUE((*v1)->info.full);  // no previous version
  EXPECT_EQ((*v1)->info.horizon, 100u);
  EXPECT_TRUE((*v1)->state->SameAs(all_));

  // Nothing new: no version.
  auto none = BuildNext(&**v1, false, 2);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  AppendAndCommit(100, 150);
  AppendAndCommit(150, 333);
  auto v2 = BuildNext(&**v1, false, 2);
  ASSERT_TRUE(v2.ok() && v2->has_value());
  EXPECT_FALSE((*v2)->info.full);
  EXPECT_EQ((*v2)->info.horizon, 333u);
  EXPECT_EQ((*v2)->info.events_read, 233u);  // only the new files were read
  EXPECT_EQ((*v2)->info.events, 333u);
  EXPECT_TRUE((*v2)->state->SameAs(all_));
  // The previous version is not modified by the next build (queries may still hold it).
  int64_t v1_count = 0;
  for (const auto& g : (*v1)->state->groups()) v1_count += g.aggs[0].count;
  EXPECT_EQ(v1_count, 100);

  // Several views built together (one incremental, one full, one with nothing new) read each
  // file once and give the same states as separate builds.
  {
    lake::Manifest m = Manifest();
    BuildRequest inc{def_, &schema_, lake_.get(), &m, &**v1, false, 10};
    BuildRequest whole{def_, &schema_, lake_.get(), &m, nullptr, false, 11};
    BuildRequest same{def_, &schema_, lake_.get(), &m, &**v2, false, 12};
    auto all = BuildAll({inc, whole, same});
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    ASSERT_EQ(all->size(), 3u);
    ASSERT_TRUE((*all)[0].has_value() && (*all)[1].has_value());
    EXPECT_FALSE((*all)[2].has_value());
    EXPECT_EQ((*all)[0]->info.events_read, 233u);
    EXPECT_EQ((*all)[1]->info.events_read, 333u);
    EXPECT_EQ((*all)[0]->info.version, 10u);
    EXPECT_TRUE((*all)[0]->state->SameAs(all_));
    EXPECT_TRUE((*all)[1]->state->SameAs(all_));
  }

  auto full = BuildNext(&**v2, true, 3);
  ASSERT_TRUE(full.ok() && full->has_value());
  EXPECT_TRUE((*full)->info.full);
  EXPECT_TRUE((*full)->state->SameAs(*(*v2)->state));
}

TEST_F(BatchTest, AnotherDefinitionOrARetentionDropForcesAFullBuild) {
  all_ = views::ViewState(def_);
  AppendAndCommit(0, 50);
  auto v1 = BuildNext(nullptr, false, 1);
  ASSERT_TRUE(v1.ok() && v1->has_value());
  lake::Manifest m = Manifest();
  EXPECT_TRUE(CanExtend(**v1, *def_, m));
  EXPECT_FALSE(CanExtend(**v1, *MakeDef("SELECT ... v2", 2), m));
  // Retention drops every partition before hour 2: the lake changed under the version.
  auto dropped = lake_->DropPartitionsBefore(schema_, *ParseTimestamp("2026-01-01T02:00:00Z"));
  ASSERT_TRUE(dropped.ok()) << dropped.status().ToString();
  EXPECT_GT(*dropped, 0u);
  m = Manifest();
  EXPECT_EQ(m.retention_epoch, 1u);
  EXPECT_FALSE(CanExtend(**v1, *def_, m));
  // The dropped files are gone from the disk too.
  for (const auto& e : fs::recursive_directory_iterator(root_ / "lake" / "ev"))
    EXPECT_EQ(e.path().string().find("event_hour=00"), std::string::npos) << e.path();
  // Late events for a dropped hour land in the lake again (and count again).
  AppendAndCommit(50, 60);
  auto v2 = BuildNext(&**v1, false, 2);
  ASSERT_TRUE(v2.ok() && v2->has_value());
  EXPECT_TRUE((*v2)->info.full);
  int64_t n = 0;
  for (const auto& g : (*v2)->state->groups()) {
    if (g.dims[0].as_int() < *ParseTimestamp("2026-01-01T02:00:00Z")) EXPECT_EQ(g.aggs[0].count, 2);
    n += g.aggs[0].count;
  }
  EXPECT_EQ(n, 40);  // k < 50 with k % 5 in {2, 3, 4}, and all of 50..59
}

TEST_F(BatchTest, StorePublishesAtomicallyKeepsTheNewestAndSkipsDamage) {
  all_ = views::ViewState(def_);
  VersionStore store(Store("views"), 2);
  std::vector<std::string> problems;
  auto none = store.LoadLatest(def_, &problems);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  std::optional<BatchVersion> prev;
  for (int i = 0; i < 4; i++) {
    AppendAndCommit(i * 10, i * 10 + 10);
    auto v = BuildNext(prev ? &*prev : nullptr, false, store.MaxVersion("v") + 1);
    ASSERT_TRUE(v.ok() && v->has_value());
    ASSERT_TRUE(store.Publish(*def_, &(*v)->info, *(*v)->state).ok());
    prev = std::move(**v);
  }
  EXPECT_EQ(store.MaxVersion("v"), 4u);
  auto listed = store.List("v");
  ASSERT_EQ(listed.size(), 2u);  // retain = 2
  EXPECT_EQ(listed[0].version, 3u);
  auto latest = store.LoadLatest(def_, &problems);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->info.version, 4u);
  EXPECT_EQ((*latest)->info.horizon, 40u);
  EXPECT_TRUE((*latest)->state->SameAs(all_));

  // A leftover temporary file (a crash before the rename) is not a version.
  { std::ofstream((root_ / "views" / "v" / "v-00000000000000000005.state.tmp").string()) << "partial"; }
  EXPECT_EQ(store.MaxVersion("v"), 4u);

  // A damaged newest file is skipped: the previous version answers.
  EXPECT_EQ("file://" + fs::canonical(root_ / "views").string() + "/v/v-00000000000000000004.state", (*latest)->info.path);
  std::string path = (root_ / "views" / "v" / "v-00000000000000000004.state").string();
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(200);
    f.put('\x7f');
  }
  problems.clear();
  auto fallback = store.LoadLatest(def_, &problems);
  ASSERT_TRUE(fallback.ok() && fallback->has_value());
  EXPECT_EQ((*fallback)->info.version, 3u);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("checksum"), std::string::npos) << problems[0];

  // Another definition does not see these versions; publishing it prunes them.
  auto def2 = MakeDef("SELECT ... v2", 2);
  auto other = store.LoadLatest(def2);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
  VersionInfo info = (*fallback)->info;
  info.version = 6;
  info.definition_version = 2;
  info.definition_sql = def2->sql;
  ASSERT_TRUE(store.Publish(*def2, &info, *(*fallback)->state).ok());
  auto after = store.List("v");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].version, 6u);
  ASSERT_TRUE(store.Drop("v").ok());
  EXPECT_TRUE(store.List("v").empty());
  EXPECT_FALSE(fs::exists(root_ / "views" / "v" / "v-00000000000000000006.state"));
}

}  // namespace
}  // namespace laminar::batch
