// Files as other writers make them, built page by page with the test encoder
// (parquet_test_encoder.h): every encoding, data pages v1 and v2, every codec, INT96, decimals,
// unsigned integers, dates and timestamps, nulls, empty strings, extreme values, a large
// dictionary and a dictionary that falls back to PLAIN in the middle of a chunk.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "lake/parquet_inspect.h"
#include "lake/parquet_reader.h"
#include "lake/parquet_test_encoder.h"
#include "lake/parquet_writer.h"

namespace laminar::lake {
namespace {

namespace pq = ::laminar::parquet_format;
using namespace testenc;
using ingest::RowBatch;

constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr double kInf = std::numeric_limits<double>::infinity();

Result<RowBatch> ReadAll(const std::string& bytes, const std::string& name = "mem.parquet") {
  ASSIGN_OR_RETURN(auto reader, ParquetReader::OpenBuffer(name, bytes));
  RowBatch all(reader->schema());
  for (int g = 0; g < reader->num_row_groups(); g++) {
    ASSIGN_OR_RETURN(RowBatch b, reader->ReadRowGroup(g, reader->schema()));
    all.AppendBatch(b);
  }
  return all;
}

std::string Cat(const std::string& bytes, int64_t limit = -1) {
  std::ostringstream out;
  Status st = CatParquet("mem.parquet", bytes, out, limit);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out.str();
}

pq::LogicalType Logical(std::function<void(pq::LogicalType&)> f) {
  pq::LogicalType l;
  f(l);
  return l;
}

TEST(ParquetForeignTest, SeedFilesOfEveryCodecAndPageVersionDecode) {
  auto files = SeedFiles();
  ASSERT_EQ(12u, files.size());
  std::string first;
  for (const auto& [name, bytes] : files) {
    SCOPED_TRACE(name);
    auto got = ReadAll(bytes);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(20u, got->num_rows());
    const auto& s = got->column(0);  // i32, DELTA_BINARY_PACKED, nulls every third row
    EXPECT_TRUE(s.is_null(0));
    EXPECT_EQ(995, s.ints[1]);
    EXPECT_EQ(18995, s.ints[19]);
    EXPECT_EQ(kI64Max, got->column(1).ints[2]);  // dictionary
    EXPECT_EQ(kI64Min, got->column(1).ints[3]);
    EXPECT_EQ(-3.0, got->column(2).doubles[0]);  // BYTE_STREAM_SPLIT
    EXPECT_EQ(6.5, got->column(2).doubles[19]);
    EXPECT_EQ("prefix-10", got->column(3).text(10));  // DELTA_BYTE_ARRAY
    EXPECT_TRUE(got->column(3).is_null(9));
    EXPECT_EQ("", got->column(4).text(0));  // DELTA_LENGTH_BYTE_ARRAY
    EXPECT_EQ("xxxx", got->column(4).text(4));
    EXPECT_EQ(1, got->column(5).ints[1]);  // booleans (RLE in v2)
    EXPECT_EQ(0, got->column(5).ints[2]);
    // INT96: Julian day 2460000 is 2023-02-24; row 1 adds one hour.
    EXPECT_EQ("2023-02-25T01:00:00.000000Z", FormatTimestampIso(got->column(6).ints[1]));
    EXPECT_EQ(0.07, got->column(7).doubles[7]);  // FLBA DECIMAL(10,2)
    EXPECT_EQ("62626262-6262-6262-6262-626262626262", got->column(8).text(1));  // UUID
    std::string cat = Cat(bytes);
    if (first.empty()) first = cat;
    EXPECT_EQ(first, cat);  // every codec and page version reads the same rows
  }
  EXPECT_NE(std::string::npos, first.find("\"t\":\"2023-02-24T00:00:00.000000Z\""));
}

TEST(ParquetForeignTest, IntegerAndDecimalAndTimeTypes) {
  FileBuilder f;
  auto leaf = [&](const std::string& name, pq::Type::type t, std::function<void(pq::SchemaElement&)> tweak) {
    pq::SchemaElement e = Leaf(name, t, false);
    tweak(e);
    return f.AddColumn(e);
  };
  int i8 = leaf("i8", pq::Type::INT32, [](auto& e) {
    e.__set_logicalType(Logical([](auto& l) { pq::IntType t; t.__set_bitWidth(8); t.__set_isSigned(true); l.__set_INTEGER(t); }));
  });
  int u32 = leaf("u32", pq::Type::INT32, [](auto& e) { e.__set_converted_type(pq::ConvertedType::UINT_32); });
  int u64 = leaf("u64", pq::Type::INT64, [](auto& e) {
    e.__set_logicalType(Logical([](auto& l) { pq::IntType t; t.__set_bitWidth(64); t.__set_isSigned(false); l.__set_INTEGER(t); }));
  });
  int d32 = leaf("d32", pq::Type::INT32, [](auto& e) {
    e.__set_converted_type(pq::ConvertedType::DECIMAL);
    e.__set_scale(2);
    e.__set_precision(9);
  });
  int d64 = leaf("d64", pq::Type::INT64, [](auto& e) {
    e.__set_logicalType(Logical([](auto& l) { pq::DecimalType d; d.__set_scale(3); d.__set_precision(18); l.__set_DECIMAL(d); }));
  });
  int dba = leaf("dba", pq::Type::BYTE_ARRAY, [](auto& e) {
    e.__set_logicalType(Logical([](auto& l) { pq::DecimalType d; d.__set_scale(1); d.__set_precision(30); l.__set_DECIMAL(d); }));
  });
  int date = leaf("date", pq::Type::INT32, [](auto& e) { e.__set_converted_type(pq::ConvertedType::DATE); });
  int ms = leaf("ms", pq::Type::INT64, [](auto& e) { e.__set_converted_type(pq::ConvertedType::TIMESTAMP_MILLIS); });
  int ns = leaf("ns", pq::Type::INT64, [](auto& e) {
    e.__set_logicalType(Logical([](auto& l) {
      pq::TimestampType t;
      t.__set_isAdjustedToUTC(false);
      pq::TimeUnit u;
      u.__set_NANOS(pq::NanoSeconds());
      t.__set_unit(u);
      l.__set_TIMESTAMP(t);
    }));
  });
  int fl = leaf("f", pq::Type::FLOAT, [](auto&) {});
  f.StartRowGroup(3);
  f.DataPageV1(i8, 3, pq::Encoding::PLAIN, "", PlainInt32({-128, 127, 0}));
  f.DataPageV1(u32, 3, pq::Encoding::PLAIN, "", PlainInt32({-1, 0, 5}));
  f.DataPageV2(u64, 3, 0, pq::Encoding::DELTA_BINARY_PACKED, "", DeltaBinaryPacked({kI64Max, 0, 1}));
  f.DataPageV1(d32, 3, pq::Encoding::PLAIN, "", PlainInt32({12345, -1, 0}));
  f.DataPageV1(d64, 3, pq::Encoding::PLAIN, "", PlainInt64({-123456789012345678, 1, 1000}));
  f.DataPageV1(dba, 3, pq::Encoding::PLAIN, "", PlainByteArray({std::string("\xff", 1), std::string("\x01\x00", 2), ""}));
  f.DataPageV1(date, 3, pq::Encoding::PLAIN, "", PlainInt32({0, -1, 20000}));
  f.DataPageV1(ms, 3, pq::Encoding::PLAIN, "", PlainInt64({1, -1, 1700000000123}));
  f.DataPageV1(ns, 3, pq::Encoding::PLAIN, "", PlainInt64({1999, -1, kI64Min}));
  f.DataPageV1(fl, 3, pq::Encoding::BYTE_STREAM_SPLIT, "", ByteStreamSplit(PlainFloat({-0.0f, 1.5f, std::numeric_limits<float>::quiet_NaN()}), 4));
  const std::string file = f.Finish();
  auto got = ReadAll(file);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  auto r = ParquetReader::OpenBuffer("x", file);
  ASSERT_TRUE(r.ok());
  const auto& s = (*r)->schema();
  EXPECT_EQ(Type::kInt64, s.columns[0].type);
  EXPECT_EQ(Type::kDouble, s.columns[3].type);
  EXPECT_EQ(Type::kTimestamp, s.columns[6].type);
  EXPECT_EQ(-128, got->column(0).ints[0]);
  EXPECT_EQ(4294967295, got->column(1).ints[0]);  // UINT_32 zero-extends
  EXPECT_EQ(kI64Max, got->column(2).ints[0]);
  EXPECT_EQ(123.45, got->column(3).doubles[0]);
  EXPECT_EQ(-0.01, got->column(3).doubles[1]);
  EXPECT_EQ(-123456789012345.678, got->column(4).doubles[0]);
  EXPECT_EQ(-0.1, got->column(5).doubles[0]);
  EXPECT_EQ(25.6, got->column(5).doubles[1]);
  EXPECT_EQ(0.0, got->column(5).doubles[2]);
  EXPECT_EQ(0, got->column(6).ints[0]);
  EXPECT_EQ(-86400000000, got->column(6).ints[1]);
  EXPECT_EQ(1000, got->column(7).ints[0]);
  EXPECT_EQ(1700000000123000, got->column(7).ints[2]);
  EXPECT_EQ(1, got->column(8).ints[0]);   // nanos round down
  EXPECT_EQ(-1, got->column(8).ints[1]);
  EXPECT_TRUE(std::signbit(got->column(9).doubles[0]));
  EXPECT_TRUE(std::isnan(got->column(9).doubles[2]));
  const std::string cat = Cat(file, 1);
  EXPECT_EQ("{\"i8\":-128,\"u32\":4294967295,\"u64\":9223372036854775807,\"d32\":123.45,"
            "\"d64\":-123456789012345.67,\"dba\":-0.1,\"date\":\"1970-01-01T00:00:00.000000Z\","
            "\"ms\":\"1970-01-01T00:00:00.001000Z\",\"ns\":\"1970-01-01T00:00:00.000001Z\","
            "\"f\":-0.0}\n", cat);
}

TEST(ParquetForeignTest, ValuesOutsideTheLaminarRangeAreUnimplemented) {
  for (int kind = 0; kind < 2; kind++) {
    FileBuilder f;
    pq::SchemaElement e = Leaf("big", pq::Type::INT64, false);
    if (kind == 0) e.__set_converted_type(pq::ConvertedType::UINT_64);
    else e.__set_converted_type(pq::ConvertedType::TIMESTAMP_MILLIS);
    f.AddColumn(e);
    f.StartRowGroup(2);
    f.DataPageV1(0, 2, pq::Encoding::PLAIN, "", PlainInt64({1, kind == 0 ? -1 : kI64Max}));
    Status st = ReadAll(f.Finish()).status();
    EXPECT_EQ(StatusCode::kUnimplemented, st.code()) << st.ToString();
    EXPECT_NE(std::string::npos, st.message().find("\"big\"")) << st.message();
    EXPECT_NE(std::string::npos, st.message().find(kind == 0 ? "18446744073709551615" : "9223372036854775807"))
        << st.message();
  }
}

TEST(ParquetForeignTest, ExtremesNullsAndEmptyStringsInEveryEncoding) {
  const std::vector<int64_t> ints = {kI64Min, kI64Max, 0, -1, 1, kI64Min, kI64Max};
  const std::vector<double> doubles = {-0.0, std::nan(""), kInf, -kInf, 1e-308, 4.9e-324, -1.5};
  const std::vector<std::string> texts = {"", "a", "", std::string("\0x", 2), "héllo 🚀", "", "héllo"};
  for (int variant = 0; variant < 4; variant++) {
    SCOPED_TRACE(variant);
    FileBuilder f(variant % 2 ? pq::CompressionCodec::ZSTD : pq::CompressionCodec::SNAPPY);
    int ci = f.AddColumn(Leaf("i", pq::Type::INT64));
    int cd = f.AddColumn(Leaf("d", pq::Type::DOUBLE));
    int cs = f.AddColumn(Leaf("s", pq::Type::BYTE_ARRAY));
    // 7 values, then 3 nulls.
    std::vector<bool> valid(10, true);
    for (int i = 7; i < 10; i++) valid[static_cast<size_t>(i)] = false;
    const std::string lv = DefLevels(valid);
    f.StartRowGroup(10);
    std::string iv, dv, sv;
    pq::Encoding::type ie, de, se;
    if (variant < 2) {
      iv = DeltaBinaryPacked(ints), ie = pq::Encoding::DELTA_BINARY_PACKED;
      dv = ByteStreamSplit(PlainDouble(doubles), 8), de = pq::Encoding::BYTE_STREAM_SPLIT;
      sv = DeltaByteArray(texts), se = pq::Encoding::DELTA_BYTE_ARRAY;
    } else {
      iv = PlainInt64(ints), ie = pq::Encoding::PLAIN;
      dv = PlainDouble(doubles), de = pq::Encoding::PLAIN;
      sv = DeltaLengthByteArray(texts), se = pq::Encoding::DELTA_LENGTH_BYTE_ARRAY;
    }
    if (variant % 2) {
      f.DataPageV2(ci, 10, 3, ie, lv, iv);
      f.DataPageV2(cd, 10, 3, de, lv, dv, false);
      f.DataPageV2(cs, 10, 3, se, lv, sv);
    } else {
      f.DataPageV1(ci, 10, ie, lv, iv);
      f.DataPageV1(cd, 10, de, lv, dv);
      f.DataPageV1(cs, 10, se, lv, sv);
    }
    auto got = ReadAll(f.Finish());
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(10u, got->num_rows());
    for (size_t r = 0; r < 7; r++) {
      EXPECT_EQ(ints[r], got->column(0).ints[r]);
      EXPECT_EQ(0, std::memcmp(&doubles[r], &got->column(1).doubles[r], 8)) << r;
      EXPECT_EQ(texts[r], got->column(2).text(r));
    }
    for (size_t r = 7; r < 10; r++)
      for (size_t c = 0; c < 3; c++) EXPECT_TRUE(got->column(c).is_null(r));
  }
}

TEST(ParquetForeignTest, LargeDictionaryAndFallbackToPlainMidChunk) {
  FileBuilder f(pq::CompressionCodec::GZIP);
  int c = f.AddColumn(Leaf("s", pq::Type::BYTE_ARRAY, false));
  const int distinct = 100000;
  std::vector<std::string> dict;
  for (int i = 0; i < distinct; i++) dict.push_back("value-" + std::to_string(i));
  const int rows = 150000;
  f.StartRowGroup(rows);
  f.DictPage(c, PlainByteArray(dict), distinct);
  // Two dictionary pages (17-bit indices), then the writer "falls back": a PLAIN page and a
  // DELTA_BYTE_ARRAY page.
  std::vector<uint32_t> a, b;
  for (int i = 0; i < 60000; i++) a.push_back(static_cast<uint32_t>((i * 7919) % distinct));
  for (int i = 0; i < 40000; i++) b.push_back(static_cast<uint32_t>(distinct - 1 - i));
  f.DataPageV1(c, 60000, pq::Encoding::PLAIN_DICTIONARY, "", DictIndices(a));
  f.DataPageV2(c, 40000, 0, pq::Encoding::RLE_DICTIONARY, "", DictIndices(b));
  std::vector<std::string> plain, delta;
  for (int i = 0; i < 30000; i++) plain.push_back("plain-" + std::to_string(i));
  for (int i = 0; i < 20000; i++) delta.push_back("delta-" + std::to_string(i));
  f.DataPageV1(c, 30000, pq::Encoding::PLAIN, "", PlainByteArray(plain));
  f.DataPageV1(c, 20000, pq::Encoding::DELTA_BYTE_ARRAY, "", DeltaByteArray(delta));
  auto got = ReadAll(f.Finish());
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(static_cast<size_t>(rows), got->num_rows());
  const auto& col = got->column(0);
  EXPECT_EQ(dict[(12345 * 7919) % distinct], col.text(12345));
  EXPECT_EQ(dict[distinct - 1], col.text(60000));
  EXPECT_EQ(dict[distinct - 40000], col.text(99999));
  EXPECT_EQ("plain-0", col.text(100000));
  EXPECT_EQ("delta-19999", col.text(rows - 1));
}

TEST(ParquetForeignTest, UnsupportedConstructsNameTheColumnAndFeature) {
  struct Case {
    std::string what;
    std::function<void(FileBuilder&)> build;
  };
  std::vector<Case> cases = {
      {"TIME", [](FileBuilder& f) {
         pq::SchemaElement e = Leaf("c", pq::Type::INT64);
         e.__set_logicalType(Logical([](auto& l) {
           pq::TimeType t;
           t.__set_isAdjustedToUTC(true);
           pq::TimeUnit u;
           u.__set_MICROS(pq::MicroSeconds());
           t.__set_unit(u);
           l.__set_TIME(t);
         }));
         f.AddColumn(e);
       }},
      {"INTERVAL", [](FileBuilder& f) {
         pq::SchemaElement e = Leaf("c", pq::Type::FIXED_LEN_BYTE_ARRAY);
         e.__set_type_length(12);
         e.__set_converted_type(pq::ConvertedType::INTERVAL);
         f.AddColumn(e);
       }},
      {"FLOAT16", [](FileBuilder& f) {
         pq::SchemaElement e = Leaf("c", pq::Type::FIXED_LEN_BYTE_ARRAY);
         e.__set_type_length(2);
         e.__set_logicalType(Logical([](auto& l) { l.__set_FLOAT16(pq::Float16Type()); }));
         f.AddColumn(e);
       }},
      {"REPEATED", [](FileBuilder& f) {
         pq::SchemaElement e = Leaf("c", pq::Type::INT64);
         e.__set_repetition_type(pq::FieldRepetitionType::REPEATED);
         f.AddColumn(e);
       }},
  };
  for (const auto& c : cases) {
    FileBuilder f;
    c.build(f);
    const std::string file = f.Finish();
    Status st = ParquetReader::OpenBuffer("u.parquet", file).status();
    EXPECT_EQ(StatusCode::kUnimplemented, st.code()) << c.what << ": " << st.ToString();
    EXPECT_NE(std::string::npos, st.message().find("\"c\"")) << st.message();
    EXPECT_NE(std::string::npos, st.message().find(c.what)) << st.message();
    // Inspect still describes the file and says why.
    auto text = InspectParquet("u.parquet", file, false);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    EXPECT_NE(std::string::npos, text->find("unsupported")) << *text;
  }
}

TEST(ParquetForeignTest, InspectDescribesSchemaChunksAndStatistics) {
  // One of Laminar's own files: statistics are written, so min/max decode.
  std::string path = testing::TempDir() + "/inspect.parquet";
  ingest::StreamSchema s;
  s.columns = {{"ts", Type::kTimestamp, true}, {"n", Type::kInt64, false}, {"name", Type::kText, false}};
  {
    auto w = ParquetWriter::Open(path, s);
    ASSERT_TRUE(w.ok());
    (*w)->AddMetadata("laminar.first_seq", "7");
    RowBatch b(s);
    b.AppendRow({Value::Timestamp(1700000000123456), Value::Int(-5), Value::Text("zebra")});
    b.AppendRow({Value::Timestamp(1700000000000000), Value::Null(), Value::Text("\"quoted\"")});
    ASSERT_TRUE((*w)->Write(b).ok());
    ASSERT_TRUE((*w)->Finish().ok());
  }
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  auto text = InspectParquet(path, bytes, false);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE(std::string::npos, text->find("created_by: laminar version 0.1.0")) << *text;
  EXPECT_NE(std::string::npos, text->find("\"laminar.first_seq\" = \"7\"")) << *text;
  EXPECT_NE(std::string::npos, text->find("\"ts\": INT64 TIMESTAMP(MICROS,UTC) (converted TIMESTAMP_MICROS) REQUIRED -> timestamptz")) << *text;
  EXPECT_NE(std::string::npos, text->find("min \"2023-11-14T22:13:20.000000Z\", max \"2023-11-14T22:13:20.123456Z\"")) << *text;
  EXPECT_NE(std::string::npos, text->find("null_count 1")) << *text;
  auto json = InspectParquet(path, bytes, true);
  ASSERT_TRUE(json.ok());
  auto j = nlohmann::json::parse(*json);
  EXPECT_EQ(2, j["num_rows"]);
  EXPECT_EQ("ZSTD", j["row_groups"][0]["columns"][2]["codec"]);
  EXPECT_EQ("zebra", j["row_groups"][0]["columns"][2]["statistics"]["max"]);
  EXPECT_EQ(-5, j["row_groups"][0]["columns"][1]["statistics"]["min"]);
  EXPECT_GE(j["row_groups"][0]["columns"][2]["pages"].get<int>(), 2);
  EXPECT_EQ("text", j["schema"][3]["laminar_type"]);
  EXPECT_EQ("{\"ts\":\"2023-11-14T22:13:20.123456Z\",\"n\":-5,\"name\":\"zebra\"}\n"
            "{\"ts\":\"2023-11-14T22:13:20.000000Z\",\"n\":null,\"name\":\"\\\"quoted\\\"\"}\n",
            Cat(bytes));
  const std::string one = Cat(bytes, 1);
  EXPECT_EQ(1, std::count(one.begin(), one.end(), '\n'));
}

TEST(ParquetForeignTest, JsonFormatting) {
  EXPECT_EQ("1970-01-01T00:00:00.000000Z", FormatTimestampIso(0));
  EXPECT_EQ("1969-12-31T23:59:59.999999Z", FormatTimestampIso(-1));
  EXPECT_EQ("2026-11-24T07:00:00.123456Z", FormatTimestampIso(1795503600123456));
  EXPECT_EQ("0001-01-01T00:00:00.000000Z", FormatTimestampIso(-62135596800000000));
  EXPECT_EQ("+294247-01-10T04:00:54.775807Z", FormatTimestampIso(kI64Max));
  EXPECT_EQ("-290308-12-21T19:59:05.224192Z", FormatTimestampIso(kI64Min));
  EXPECT_EQ("1.0", FormatJsonDouble(1.0));
  EXPECT_EQ("-0.0", FormatJsonDouble(-0.0));
  EXPECT_EQ("0.1", FormatJsonDouble(0.1));
  EXPECT_EQ("1e+300", FormatJsonDouble(1e300));
  EXPECT_EQ("5e-324", FormatJsonDouble(4.9e-324));
  EXPECT_EQ("\"NaN\"", FormatJsonDouble(std::nan("")));
  EXPECT_EQ("\"-Infinity\"", FormatJsonDouble(-kInf));
  std::string s;
  AppendJsonString(std::string("a\"\\\n\x01\xff\xc3\xa9\xed\xa0\x80", 11), &s);
  EXPECT_EQ("\"a\\\"\\\\\\n\\u0001\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", s);
}

}  // namespace
}  // namespace laminar::lake
