#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

#include "lake/parquet_reader.h"
#include "lake/parquet_writer.h"

namespace laminar::lake {
namespace {

using ingest::ColumnDef;
using ingest::RowBatch;
using ingest::StreamSchema;

constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr double kInf = std::numeric_limits<double>::infinity();

StreamSchema TestSchema() {
  StreamSchema s;
  s.name = "events";
  s.columns = {{"ts", Type::kTimestamp, true},
               {"id", Type::kInt64, false},
               {"x", Type::kDouble, false},
               {"name", Type::kText, false},
               {"flag", Type::kBool, false},
               {"n", Type::kInt64, true}};
  s.event_time_index = 0;
  return s;
}

class ParquetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/lake_parquet_testXXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/f.parquet";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::vector<RowBatch>& batches, const WriterOptions& options = {},
             const StreamSchema& schema = TestSchema()) {
    auto w = ParquetWriter::Open(path_, schema, options);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    (*w)->AddMetadata("laminar.first_seq", "7");
    (*w)->AddMetadata("laminar.last_seq", "42");
    for (const RowBatch& b : batches) ASSERT_TRUE((*w)->Write(b).ok());
    Status st = (*w)->Finish();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  // Every row of every row group, as one batch.
  Result<RowBatch> ReadAll(const StreamSchema& schema = TestSchema()) {
    ASSIGN_OR_RETURN(auto reader, ParquetReader::Open(path_));
    RowBatch all(schema);
    for (int g = 0; g < reader->num_row_groups(); g++) {
      ASSIGN_OR_RETURN(RowBatch b, reader->ReadRowGroup(g, schema));
      all.AppendBatch(b);
    }
    return all;
  }

  std::string FileBytes() {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void SetFileBytes(const std::string& bytes) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << bytes;
  }

  std::string dir_, path_;
};

// Compares values exactly: doubles bit for bit (NaN, -0.0), nulls by validity only.
void ExpectSameRows(const RowBatch& want, const RowBatch& got) {
  ASSERT_EQ(want.num_rows(), got.num_rows());
  ASSERT_EQ(want.num_columns(), got.num_columns());
  for (size_t c = 0; c < want.num_columns(); c++) {
    const auto& a = want.column(c);
    const auto& b = got.column(c);
    for (size_t r = 0; r < want.num_rows(); r++) {
      ASSERT_EQ(a.is_null(r), b.is_null(r)) << "column " << c << " row " << r;
      if (a.is_null(r)) continue;
      switch (a.type) {
        case Type::kDouble:
          ASSERT_EQ(0, std::memcmp(&a.doubles[r], &b.doubles[r], 8))
              << "column " << c << " row " << r << ": " << a.doubles[r] << " vs " << b.doubles[r];
          break;
        case Type::kText: ASSERT_EQ(a.text(r), b.text(r)) << "column " << c << " row " << r; break;
        default: ASSERT_EQ(a.ints[r], b.ints[r]) << "column " << c << " row " << r;
      }
    }
  }
}

RowBatch EdgeCaseBatch() {
  RowBatch b(TestSchema());
  auto row = [&](std::vector<Value> v) { b.AppendRow(v); };
  row({Value::Timestamp(0), Value::Int(kI64Min), Value::Double(-kInf), Value::Text(""),
       Value::Bool(false), Value::Int(0)});
  row({Value::Timestamp(1700000000123456), Value::Int(kI64Max), Value::Double(kInf),
       Value::Text("héllo wörld ✓ 日本語 🚀"), Value::Bool(true), Value::Int(kI64Max)});
  row({Value::Timestamp(-1), Value::Null(), Value::Null(), Value::Null(), Value::Null(),
       Value::Int(kI64Min)});
  row({Value::Timestamp(kI64Max), Value::Int(-1), Value::Double(std::nan("")), Value::Text("a"),
       Value::Bool(true), Value::Int(1)});
  row({Value::Timestamp(kI64Min), Value::Int(0), Value::Double(-0.0), Value::Text(std::string("nul\0byte", 8)),
       Value::Bool(false), Value::Int(2)});
  row({Value::Timestamp(5), Value::Int(1), Value::Double(0.0), Value::Text(""), Value::Null(),
       Value::Int(3)});
  row({Value::Timestamp(6), Value::Int(2), Value::Double(1e-308), Value::Text("a"), Value::Bool(true),
       Value::Int(4)});
  return b;
}

// A deterministic batch of `rows` rows; text from a vocabulary of `distinct` values.
RowBatch RandomBatch(size_t rows, int distinct, uint32_t seed) {
  std::mt19937_64 rng(seed);
  RowBatch b(TestSchema());
  for (size_t i = 0; i < rows; i++) {
    bool null = rng() % 7 == 0;
    b.AppendRow({Value::Timestamp(1700000000000000 + static_cast<int64_t>(rng() % 3600000000)),
                 null ? Value::Null() : Value::Int(static_cast<int64_t>(rng())),
                 rng() % 5 == 0 ? Value::Null() : Value::Double(static_cast<double>(rng() % 100000) / 7.0),
                 rng() % 11 == 0 ? Value::Null()
                                 : Value::Text("value-" + std::to_string(rng() % distinct) + "-é"),
                 rng() % 3 == 0 ? Value::Null() : Value::Bool(rng() % 2),
                 Value::Int(static_cast<int64_t>(i))});
  }
  return b;
}

TEST_F(ParquetTest, RoundTripsNullsEmptyStringsUnicodeAndExtremes) {
  RowBatch b = EdgeCaseBatch();
  Write({b});
  auto reader = ParquetReader::Open(path_);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(7, (*reader)->num_rows());
  EXPECT_EQ(1, (*reader)->num_row_groups());
  EXPECT_EQ("laminar version 0.1.0", (*reader)->created_by());
  EXPECT_EQ("7", (*reader)->GetMetadata("laminar.first_seq").value_or(""));
  EXPECT_EQ("42", (*reader)->GetMetadata("laminar.last_seq").value_or(""));
  EXPECT_FALSE((*reader)->GetMetadata("nope").has_value());
  const StreamSchema& s = (*reader)->schema();
  ASSERT_EQ(6u, s.columns.size());
  for (size_t i = 0; i < s.columns.size(); i++) {
    EXPECT_EQ(TestSchema().columns[i].name, s.columns[i].name);
    EXPECT_EQ(TestSchema().columns[i].type, s.columns[i].type);
    EXPECT_EQ(TestSchema().columns[i].not_null, s.columns[i].not_null);
  }
  auto got = ReadAll();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSameRows(b, *got);
}

TEST_F(ParquetTest, EmptyFileHasNoRowGroups) {
  Write({});
  auto reader = ParquetReader::Open(path_);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(0, (*reader)->num_rows());
  EXPECT_EQ(0, (*reader)->num_row_groups());
}

TEST_F(ParquetTest, ManyRowGroupsAndPages) {
  WriterOptions o;
  o.row_group_bytes = 64 << 10;
  o.page_bytes = 2 << 10;
  std::vector<RowBatch> batches = {RandomBatch(5000, 50, 1), RandomBatch(1, 50, 2),
                                   RandomBatch(7000, 50, 3)};
  Write(batches, o);
  RowBatch want(TestSchema());
  for (const auto& b : batches) want.AppendBatch(b);
  auto reader = ParquetReader::Open(path_);
  ASSERT_TRUE(reader.ok());
  EXPECT_GT((*reader)->num_row_groups(), 3);
  int64_t rows = 0;
  for (int g = 0; g < (*reader)->num_row_groups(); g++) rows += (*reader)->row_group_num_rows(g);
  EXPECT_EQ(12001, rows);
  auto got = ReadAll();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSameRows(want, *got);
}

TEST_F(ParquetTest, LargeDictionaryFallsBackToPlain) {
  WriterOptions small_dict;
  small_dict.dictionary_max_bytes = 4096;
  RowBatch b = RandomBatch(20000, 100000, 4);  // ~17000 distinct strings
  Write({b}, small_dict);
  const auto plain_size = std::filesystem::file_size(path_);
  auto got = ReadAll();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSameRows(b, *got);

  RowBatch few = RandomBatch(20000, 10, 5);  // fits the default dictionary
  Write({few});
  got = ReadAll();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSameRows(few, *got);
  EXPECT_LT(std::filesystem::file_size(path_), plain_size);
}

TEST_F(ParquetTest, ReadsColumnsByNameAndFillsMissingWithNulls) {
  Write({EdgeCaseBatch()});
  StreamSchema s;
  s.columns = {{"name", Type::kText, false}, {"extra", Type::kDouble, false}, {"n", Type::kInt64, true}};
  auto got = ReadAll(s);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(7u, got->num_rows());
  EXPECT_EQ("héllo wörld ✓ 日本語 🚀", got->column(0).text(1));
  EXPECT_TRUE(got->column(1).is_null(0));
  EXPECT_EQ(kI64Min, got->column(2).ints[2]);

  s.columns = {{"id", Type::kText, false}};
  EXPECT_EQ(StatusCode::kInvalidArgument, ReadAll(s).status().code());
  s.columns = {{"missing", Type::kText, true}};
  EXPECT_EQ(StatusCode::kInvalidArgument, ReadAll(s).status().code());
  s.columns = {{"id", Type::kInt64, true}};  // the file has nulls there
  EXPECT_EQ(StatusCode::kInvalidArgument, ReadAll(s).status().code());
}

TEST_F(ParquetTest, WriterRejectsBadBatchesAndKeepsErrorsSticky) {
  auto w = ParquetWriter::Open(path_, TestSchema());
  ASSERT_TRUE(w.ok());
  RowBatch b(TestSchema());
  b.AppendRow({Value::Null(), Value::Int(1), Value::Double(1), Value::Text("a"), Value::Bool(true),
               Value::Int(1)});
  EXPECT_EQ(StatusCode::kInvalidArgument, (*w)->Write(b).code());
  StreamSchema other;
  other.columns = {{"a", Type::kInt64, false}};
  RowBatch wrong(other);
  wrong.AppendRow({Value::Int(1)});
  EXPECT_EQ(StatusCode::kInvalidArgument, (*w)->Write(wrong).code());
  ASSERT_TRUE((*w)->Write(EdgeCaseBatch()).ok());
  ASSERT_TRUE((*w)->Finish().ok());
  EXPECT_FALSE((*w)->Finish().ok());
  EXPECT_FALSE((*w)->Write(EdgeCaseBatch()).ok());
  EXPECT_EQ(static_cast<int64_t>(std::filesystem::file_size(path_)), (*w)->bytes_written());

  StreamSchema dup;
  dup.columns = {{"a", Type::kInt64, false}, {"a", Type::kText, false}};
  EXPECT_EQ(StatusCode::kInvalidArgument, ParquetWriter::Open(path_, dup).status().code());
  EXPECT_EQ(StatusCode::kNotFound,
            ParquetWriter::Open(dir_ + "/no/such/dir/f.parquet", TestSchema()).status().code());
}

TEST_F(ParquetTest, AbandonRemovesThePartialFile) {
  auto w = ParquetWriter::Open(path_, TestSchema());
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Write(EdgeCaseBatch()).ok());
  EXPECT_TRUE(std::filesystem::exists(path_));
  (*w)->Abandon();
  EXPECT_FALSE(std::filesystem::exists(path_));
  EXPECT_FALSE((*w)->Finish().ok());
}

TEST_F(ParquetTest, MissingFileIsNotFound) {
  EXPECT_EQ(StatusCode::kNotFound, ParquetReader::Open(dir_ + "/nope.parquet").status().code());
}

TEST_F(ParquetTest, BadMagicIsCorruption) {
  Write({EdgeCaseBatch()});
  std::string bytes = FileBytes();
  bytes[0] = 'X';
  SetFileBytes(bytes);
  Status st = ParquetReader::Open(path_).status();
  EXPECT_EQ(StatusCode::kCorruption, st.code());
  EXPECT_NE(std::string::npos, st.message().find(path_)) << st.message();
  EXPECT_NE(std::string::npos, st.message().find("magic")) << st.message();
}

TEST_F(ParquetTest, LyingFooterLengthIsCorruption) {
  Write({EdgeCaseBatch()});
  std::string bytes = FileBytes();
  for (uint32_t len : {0u, 1u, 5u, 0x7fffffffu, 0xffffffffu, static_cast<uint32_t>(bytes.size() - 11)}) {
    std::string b = bytes;
    std::memcpy(&b[b.size() - 8], &len, 4);
    SetFileBytes(b);
    Status st = ParquetReader::Open(path_).status();
    EXPECT_EQ(StatusCode::kCorruption, st.code()) << len << ": " << st.ToString();
    EXPECT_NE(std::string::npos, st.message().find(path_)) << st.message();
  }
}

TEST_F(ParquetTest, EveryTruncationIsCorruption) {
  Write({EdgeCaseBatch()});
  const std::string bytes = FileBytes();
  for (size_t n = 0; n < bytes.size(); n++) {
    SetFileBytes(bytes.substr(0, n));
    Status st = ReadAll().status();
    ASSERT_EQ(StatusCode::kCorruption, st.code()) << "truncated to " << n << ": " << st.ToString();
  }
}

// Flips every byte of a small file in turn: the reader returns an error or some rows, never
// crashes (run under ASan/UBSan).
TEST_F(ParquetTest, FlippedBytesNeverCrash) {
  Write({EdgeCaseBatch(), RandomBatch(40, 5, 6)});
  const std::string bytes = FileBytes();
  int errors = 0;
  for (size_t i = 0; i < bytes.size(); i++) {
    for (uint8_t mask : {uint8_t{0xff}, uint8_t{0x01}, uint8_t{0x80}}) {
      std::string b = bytes;
      b[i] = static_cast<char>(b[i] ^ mask);
      SetFileBytes(b);
      Status st = ReadAll().status();
      if (st.ok()) continue;
      errors++;
      EXPECT_TRUE(st.code() == StatusCode::kCorruption || st.code() == StatusCode::kUnimplemented ||
                  st.code() == StatusCode::kInvalidArgument)
          << "byte " << i << ": " << st.ToString();
    }
  }
  EXPECT_GT(errors, 0);
}

// Random garbage over random spans (footer, page headers, page bodies alike).
TEST_F(ParquetTest, RandomGarbageNeverCrashes) {
  WriterOptions o;
  o.page_bytes = 256;
  Write({EdgeCaseBatch(), RandomBatch(60, 4, 8)}, o);
  const std::string bytes = FileBytes();
  std::mt19937 rng(42);
  for (int iter = 0; iter < 1500; iter++) {
    std::string b = bytes;
    int spans = 1 + static_cast<int>(rng() % 3);
    for (int s = 0; s < spans; s++) {
      size_t at = rng() % b.size();
      size_t len = 1 + rng() % 8;
      for (size_t i = at; i < std::min(b.size(), at + len); i++) b[i] = static_cast<char>(rng());
    }
    SetFileBytes(b);
    Status st = ReadAll().status();
    if (st.ok()) continue;
    EXPECT_TRUE(st.code() == StatusCode::kCorruption || st.code() == StatusCode::kUnimplemented ||
                st.code() == StatusCode::kInvalidArgument)
        << "iteration " << iter << ": " << st.ToString();
  }
}

// Page corruption found by the page decoder names the column.
TEST_F(ParquetTest, DamagedPageNamesTheColumn) {
  WriterOptions o;
  o.zstd_level = 1;
  Write({RandomBatch(100, 5, 7)}, o);
  std::string bytes = FileBytes();
  // The first page header starts right after the magic: make its compressed size lie.
  bytes[4] = '\x7f';
  SetFileBytes(bytes);
  Status st = ReadAll().status();
  EXPECT_EQ(StatusCode::kCorruption, st.code()) << st.ToString();
  EXPECT_NE(std::string::npos, st.message().find("\"ts\"")) << st.message();
}

}  // namespace
}  // namespace laminar::lake
