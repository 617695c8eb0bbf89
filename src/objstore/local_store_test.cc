#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "common/file_util.h"
#include "objstore/object_store.h"

namespace laminar::objstore {
namespace {

namespace fs = std::filesystem;

class LocalStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("lamobj-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    auto s = OpenLocal((root_ / "store").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_F(LocalStoreTest, PutGetListDelete) {
  ASSERT_TRUE(store_->Put("s/event_date=2026-11-24/event_hour=07/a.parquet", "abc").ok());
  ASSERT_TRUE(store_->Put("s/event_date=2026-11-24/event_hour=08/b.parquet", "defg").ok());
  ASSERT_TRUE(store_->Put("t/x", "1").ok());
  auto got = store_->Get("s/event_date=2026-11-24/event_hour=08/b.parquet");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ("defg", *got);
  auto all = store_->List("s/");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(2u, all->size());
  EXPECT_EQ("s/event_date=2026-11-24/event_hour=07/a.parquet", (*all)[0].key);
  EXPECT_EQ(4u, (*all)[1].size);
  auto partial = store_->List("s/event_date=2026-11-24/event_hour=0");
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(2u, partial->size());
  EXPECT_EQ(3u, store_->List("")->size());
  EXPECT_TRUE(store_->List("nothing/")->empty());
  ASSERT_TRUE(store_->Put("t/x", "2").ok());  // replaces
  EXPECT_EQ("2", *store_->Get("t/x"));
  ASSERT_TRUE(store_->Delete("t/x").ok());
  ASSERT_TRUE(store_->Delete("t/x").ok());  // missing is fine
  EXPECT_EQ(StatusCode::kNotFound, store_->Get("t/x").status().code());
  EXPECT_EQ("file://" + fs::canonical(root_ / "store").string(), store_->url());
}

TEST_F(LocalStoreTest, RejectsBadKeys) {
  for (const char* key : {"", "/a", "a/", "a//b", "a/../b", "./a", "a/b.tmp"}) {
    EXPECT_EQ(StatusCode::kInvalidArgument, store_->Put(key, "x").code()) << key;
  }
}

TEST_F(LocalStoreTest, PutIfAbsentHasOneWinner) {
  std::atomic<int> wins{0}, exists{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Status st = store_->PutIfAbsent("m/_manifest/00000000000000000001.json", "writer " + std::to_string(i));
      if (st.ok()) ++wins;
      else if (st.code() == StatusCode::kAlreadyExists) ++exists;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(1, wins.load());
  EXPECT_EQ(7, exists.load());
  auto list = store_->List("m/");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(1u, list->size());  // no temporary files are listed or left
  EXPECT_EQ(1, std::distance(fs::directory_iterator(root_ / "store" / "m" / "_manifest"), fs::directory_iterator()));
}

TEST_F(LocalStoreTest, UploadMovesTheFile) {
  fs::path local = root_ / "staged.parquet";
  { std::ofstream(local) << "parquet bytes"; }
  ASSERT_TRUE(store_->Upload("s/p/f.parquet", local.string()).ok());
  EXPECT_FALSE(fs::exists(local));
  EXPECT_EQ("parquet bytes", *store_->Get("s/p/f.parquet"));
  EXPECT_EQ(fs::canonical(root_ / "store" / "s" / "p" / "f.parquet").string(), store_->LocalPath("s/p/f.parquet"));
  // A missing source is NotFound, naming it.
  Status st = store_->Upload("s/p/g.parquet", (root_ / "missing").string());
  EXPECT_EQ(StatusCode::kNotFound, st.code());
  EXPECT_NE(std::string::npos, st.message().find("missing"));
}

}  // namespace
}  // namespace laminar::objstore
