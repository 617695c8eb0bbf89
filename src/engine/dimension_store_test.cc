#include "engine/dimension_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <fstream>
#include <thread>

#include "common/file_util.h"
#include "lake/parquet_reader.h"

namespace laminar::engine {
namespace {

using SchemaPtr = DimensionStore::SchemaPtr;

constexpr const char* kSql = "CREATE TABLE airports (...) WITH (kind = 'dimension')";

SchemaPtr Airports() {
  auto s = std::make_shared<ingest::StreamSchema>();
  s->name = "airports";
  s->columns = {{"code", Type::kText, true}, {"lat", Type::kDouble, false}, {"gen", Type::kInt64, false}};
  return s;
}

// n rows: code "A<i>", lat i/2, gen `gen`.
ingest::RowBatch Rows(const ingest::StreamSchema& s, int n, int64_t gen) {
  ingest::RowBatch b(s);
  for (int i = 0; i < n; i++) {
    b.AppendRow({Value::Text("A" + std::to_string(i)), i % 3 == 0 ? Value() : Value::Double(i / 2.0), Value::Int(gen)});
  }
  return b;
}

class DimensionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar_dimension_store_test_XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(tmpl));
    root_ = tmpl;
    dir_ = JoinPath(root_, "tables");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // A store opened over dir_ with the given tables.
  std::unique_ptr<DimensionStore> Open(const std::vector<SchemaPtr>& tables, std::string sql = kSql,
                                       bool strays = true, Status* st = nullptr) {
    auto store = std::make_unique<DimensionStore>(dir_);
    std::map<std::string, SchemaPtr> m;
    std::map<std::string, std::string> q;
    for (const auto& t : tables) {
      m[t->name] = t;
      q[t->name] = sql;
    }
    Status s = store->Load(m, q, loaded_, strays);
    // A damaged table does not fail the load (its queries fail): report the first one's damage.
    for (const auto& t : tables)
      if (s.ok() && !store->Damage(t->name).ok()) s = store->Damage(t->name);
    if (st) *st = s;
    else EXPECT_TRUE(s.ok()) << s.ToString();
    return store;
  }

  std::string root_, dir_;
  std::set<std::string> loaded_;  // the tables a COPY filled (their files must exist)
};

TEST_F(DimensionStoreTest, ReplaceGetAndReloadAfterReopen) {
  SchemaPtr s = Airports();
  auto store = Open({s});
  auto empty = store->Get("airports");
  ASSERT_NE(nullptr, empty);
  EXPECT_EQ(0u, empty->num_rows());
  EXPECT_EQ(3u, empty->num_columns());
  EXPECT_EQ(nullptr, store->Get("nope"));
  EXPECT_EQ(s, store->schema("airports"));
  EXPECT_FALSE(std::filesystem::exists(store->PathOf("airports")));  // never loaded: no file

  ASSERT_TRUE(store->Replace(s, Rows(*s, 1000, 1)).ok());
  auto rows = store->Get("airports");
  ASSERT_EQ(1000u, rows->num_rows());
  EXPECT_EQ(Value::Text("A7"), rows->column(0).Get(7));
  EXPECT_TRUE(rows->column(1).is_null(0));
  EXPECT_EQ(JoinPath(dir_, "airports.parquet"), store->PathOf("airports"));
  EXPECT_TRUE(std::filesystem::exists(store->PathOf("airports")));
  EXPECT_FALSE(std::filesystem::exists(store->PathOf("airports") + ".tmp"));
  // The file is plain Parquet with the table's columns (NOT NULL → REQUIRED) and its definition.
  auto file = lake::ParquetReader::Open(store->PathOf("airports"));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(1000, (*file)->num_rows());
  EXPECT_TRUE((*file)->schema().columns[0].not_null);
  EXPECT_EQ(kSql, (*file)->GetMetadata("laminar.dimension.sql").value_or(""));

  // Replaced whole: the old pointer still holds the old table.
  ASSERT_TRUE(store->Replace(s, Rows(*s, 10, 2)).ok());
  EXPECT_EQ(10u, store->Get("airports")->num_rows());
  EXPECT_EQ(1000u, rows->num_rows());
  EXPECT_EQ(Value::Int(1), rows->column(2).Get(999));

  store.reset();
  store = Open({s});
  rows = store->Get("airports");
  ASSERT_NE(nullptr, rows);
  ASSERT_EQ(10u, rows->num_rows());
  for (size_t r = 0; r < 10; r++) {
    EXPECT_EQ(Rows(*s, 10, 2).GetRow(r), rows->GetRow(r)) << r;
  }

  // An empty table round-trips too.
  ASSERT_TRUE(store->Replace(s, ingest::RowBatch(*s)).ok());
  store = Open({s});
  EXPECT_EQ(0u, store->Get("airports")->num_rows());
}

TEST_F(DimensionStoreTest, ReplaceIsRefusedForADroppedOrRedefinedTable) {
  SchemaPtr s = Airports();
  auto store = Open({s});
  ASSERT_TRUE(store->Replace(s, Rows(*s, 5, 1)).ok());
  SchemaPtr other = Airports();  // same columns, another definition
  Status st = store->Replace(other, Rows(*other, 7, 2));
  EXPECT_EQ(StatusCode::kUnavailable, st.code()) << st.ToString();
  EXPECT_NE(std::string::npos, st.message().find("run COPY again")) << st.message();
  EXPECT_EQ(5u, store->Get("airports")->num_rows());

  // Redefinition (Create) starts empty and removes the file.
  ASSERT_TRUE(store->Create(other, "CREATE TABLE airports (v2)").ok());
  EXPECT_EQ(0u, store->Get("airports")->num_rows());
  EXPECT_FALSE(std::filesystem::exists(store->PathOf("airports")));
  EXPECT_EQ(StatusCode::kUnavailable, store->Replace(s, Rows(*s, 3, 3)).code());
  ASSERT_TRUE(store->Replace(other, Rows(*other, 3, 3)).ok());

  ASSERT_TRUE(store->Drop("airports").ok());
  EXPECT_EQ(nullptr, store->Get("airports"));
  EXPECT_FALSE(std::filesystem::exists(store->PathOf("airports")));
  EXPECT_EQ(StatusCode::kUnavailable, store->Replace(other, Rows(*other, 1, 4)).code());
  EXPECT_FALSE(std::filesystem::exists(store->PathOf("airports")));
  EXPECT_TRUE(store->Drop("airports").ok());  // unknown: OK
  EXPECT_TRUE(store->Drop("never").ok());     // and no directory needed
}

TEST_F(DimensionStoreTest, BadRowsLeaveTheTableUnchanged) {
  SchemaPtr s = Airports();
  auto store = Open({s});
  ASSERT_TRUE(store->Replace(s, Rows(*s, 4, 1)).ok());
  ingest::RowBatch bad(*s);
  bad.AppendRow({Value(), Value::Double(1), Value::Int(2)});  // NULL in NOT NULL code
  Status st = store->Replace(s, std::move(bad));
  EXPECT_EQ(StatusCode::kInvalidArgument, st.code()) << st.ToString();
  EXPECT_EQ(4u, store->Get("airports")->num_rows());
  EXPECT_FALSE(std::filesystem::exists(store->PathOf("airports") + ".tmp"));
  store = Open({s});
  EXPECT_EQ(4u, store->Get("airports")->num_rows());
}

TEST_F(DimensionStoreTest, DamagedFileIsCorruptionNamingIt) {
  SchemaPtr s = Airports();
  {
    auto store = Open({s});
    ASSERT_TRUE(store->Replace(s, Rows(*s, 100, 1)).ok());
  }
  std::string path = JoinPath(dir_, "airports.parquet");
  auto data = ReadFile(path);
  ASSERT_TRUE(data.ok());
  // Cut the footer off.
  ASSERT_TRUE(WriteFileAtomic(path, data->substr(0, data->size() / 2)).ok());
  Status st;
  auto store = Open({s}, kSql, true, &st);
  EXPECT_EQ(StatusCode::kCorruption, st.code()) << st.ToString();
  EXPECT_NE(std::string::npos, st.message().find("airports.parquet")) << st.message();
  EXPECT_NE(std::string::npos, st.message().find("dimension table airports")) << st.message();
  // Garbage that is not Parquet at all.
  ASSERT_TRUE(WriteFileAtomic(path, "not a parquet file at all").ok());
  store = Open({s}, kSql, true, &st);
  EXPECT_EQ(StatusCode::kCorruption, st.code()) << st.ToString();
  EXPECT_NE(std::string::npos, st.message().find("airports.parquet")) << st.message();
  // Damage inside a page (the bytes after the magic): Corruption, never a crash.
  std::string flipped = *data;
  for (size_t i = 8; i < std::min<size_t>(flipped.size() / 2, 200); i++) flipped[i] = static_cast<char>(~flipped[i]);
  ASSERT_TRUE(WriteFileAtomic(path, flipped).ok());
  store = Open({s}, kSql, true, &st);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(std::string::npos, st.ToString().find("airports")) << st.ToString();
}

TEST_F(DimensionStoreTest, FileOfAnotherDefinition) {
  SchemaPtr s = Airports();
  {
    auto store = Open({s});
    ASSERT_TRUE(store->Replace(s, Rows(*s, 3, 1)).ok());
  }
  // The catalog's text differs from the file's (an interrupted DROP + CREATE): an empty table.
  auto store = Open({s}, "CREATE TABLE airports (other) WITH (kind = 'dimension')");
  EXPECT_EQ(0u, store->Get("airports")->num_rows());
  // Same text but other columns (a file not written for this table): Corruption.
  auto t = std::make_shared<ingest::StreamSchema>(*s);
  t->columns[1].type = Type::kText;
  Status st;
  store = Open({t}, kSql, true, &st);
  EXPECT_EQ(StatusCode::kCorruption, st.code()) << st.ToString();
  EXPECT_NE(std::string::npos, st.message().find("has columns")) << st.message();
}

TEST_F(DimensionStoreTest, StrayFilesAreRemovedUnlessReadOnly) {
  SchemaPtr s = Airports();
  auto d = std::make_shared<ingest::StreamSchema>(*s);
  d->name = "dropped";
  {
    auto store = Open({s, d});
    ASSERT_TRUE(store->Replace(d, Rows(*d, 2, 1)).ok());
    ASSERT_TRUE(store->Replace(s, Rows(*s, 2, 1)).ok());
  }
  ASSERT_TRUE(WriteFileAtomic(JoinPath(dir_, "airports.parquet.tmp"), "partial").ok());
  auto store = Open({s}, kSql, /*strays=*/false);
  EXPECT_TRUE(std::filesystem::exists(JoinPath(dir_, "dropped.parquet")));
  EXPECT_TRUE(std::filesystem::exists(JoinPath(dir_, "airports.parquet.tmp")));
  store = Open({s}, kSql, /*strays=*/true);
  EXPECT_FALSE(std::filesystem::exists(JoinPath(dir_, "dropped.parquet")));
  EXPECT_FALSE(std::filesystem::exists(JoinPath(dir_, "airports.parquet.tmp")));
  EXPECT_EQ(2u, store->Get("airports")->num_rows());
  EXPECT_EQ(nullptr, store->Get("dropped"));
}

TEST_F(DimensionStoreTest, ConcurrentGetDuringReplaceSeesWholeTables) {
  SchemaPtr s = Airports();
  auto store = Open({s});
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; t++) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto rows = store->Get("airports");
        if (!rows) {
          bad++;
          continue;
        }
        // Generation g has 50 * g rows, all with gen = g.
        size_t n = rows->num_rows();
        int64_t g = n == 0 ? 0 : rows->column(2).ints[0];
        if (n != size_t(50 * g)) bad++;
        for (size_t r = 0; r < n; r++)
          if (rows->column(2).ints[r] != g || rows->column(0).text(r) != "A" + std::to_string(r)) bad++;
        reads++;
      }
    });
  }
  for (int g = 1; g <= 20; g++) ASSERT_TRUE(store->Replace(s, Rows(*s, 50 * g, g)).ok());
  while (reads.load() < 100) std::this_thread::yield();
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(0, bad.load());
  EXPECT_EQ(1000u, store->Get("airports")->num_rows());
}

// Found by src/engine/damage_test.cc: the file of a table that COPY filled, deleted, made the
// table silently empty.
TEST_F(DimensionStoreTest, AMissingFileOfALoadedTableIsDamage) {
  SchemaPtr s = Airports();
  Open({s});  // never loaded: no file, an empty table
  loaded_ = {s->name};
  Status st;
  auto store = Open({s}, kSql, true, &st);
  EXPECT_EQ(StatusCode::kCorruption, st.code()) << st.ToString();
  EXPECT_NE(std::string::npos, st.message().find("airports.parquet is missing")) << st.ToString();
  ASSERT_TRUE(store->Replace(s, Rows(*s, 3, 1)).ok());  // a COPY repairs it
  EXPECT_TRUE(store->Damage(s->name).ok());
}

}  // namespace
}  // namespace laminar::engine
