// A corpus of damaged files made from good ones: each must give a clear non-OK Status (code and a
// telling substring), never a crash (the test build runs under ASan/UBSan).
#include <gtest/gtest.h>

#include <sstream>

#include "lake/parquet_inspect.h"
#include "lake/parquet_reader.h"
#include "lake/parquet_test_encoder.h"

namespace laminar::lake {
namespace {

namespace pq = ::laminar::parquet_format;
using namespace testenc;

Status ReadAll(const std::string& bytes, const ReaderOptions& options = {}) {
  ASSIGN_OR_RETURN(auto reader, ParquetReader::OpenBuffer("bad.parquet", bytes, options));
  for (int g = 0; g < reader->num_row_groups(); g++) {
    ASSIGN_OR_RETURN(auto b, reader->ReadRowGroup(g, reader->schema()));
    (void)b;
  }
  return Status::OK();
}

void ExpectError(const std::string& bytes, StatusCode code, const std::string& substring,
                 const ReaderOptions& options = {}) {
  Status st = ReadAll(bytes, options);
  EXPECT_EQ(code, st.code()) << substring << ": " << st.ToString();
  EXPECT_NE(std::string::npos, st.message().find(substring)) << substring << ": " << st.message();
  EXPECT_NE(std::string::npos, st.message().find("bad.parquet")) << st.message();
  // The tools never crash on it either.
  (void)InspectParquet("bad.parquet", bytes, true);
  std::ostringstream out;
  (void)CatParquet("bad.parquet", bytes, out, -1);
}

// One OPTIONAL INT64 column "v" with a dictionary page and a data page, plus a REQUIRED text
// column "s" (PLAIN).
std::string GoodFile(int codec = pq::CompressionCodec::UNCOMPRESSED,
                     const std::function<void(pq::FileMetaData&)>& tweak = {}) {
  FileBuilder f(codec);
  int v = f.AddColumn(Leaf("v", pq::Type::INT64));
  int s = f.AddColumn(Leaf("s", pq::Type::BYTE_ARRAY, false));
  f.StartRowGroup(8);
  f.DictPage(v, PlainInt64({10, 20, 30}), 3);
  f.DataPageV1(v, 8, pq::Encoding::RLE_DICTIONARY, DefLevels({1, 1, 0, 1, 1, 1, 0, 1}),
               DictIndices({0, 1, 2, 0, 1, 2}));
  f.DataPageV1(s, 8, pq::Encoding::PLAIN, "", PlainByteArray({"a", "bb", "", "ccc", "d", "e", "f", "g"}));
  return f.Finish(tweak);
}

TEST(ParquetDamageTest, GoodFileReads) { EXPECT_TRUE(ReadAll(GoodFile()).ok()); }

TEST(ParquetDamageTest, MagicAndFooter) {
  const std::string good = GoodFile();
  std::string b = good;
  b[0] = 'X';
  ExpectError(b, StatusCode::kCorruption, "magic");
  b = good;
  b[b.size() - 1] = 'X';
  ExpectError(b, StatusCode::kCorruption, "magic");
  b = good;
  b.replace(b.size() - 4, 4, "PARE");
  ExpectError(b, StatusCode::kUnimplemented, "encrypt");
  for (uint32_t len : {0u, 0x7fffffffu, static_cast<uint32_t>(good.size())}) {
    b = good;
    std::memcpy(&b[b.size() - 8], &len, 4);
    ExpectError(b, StatusCode::kCorruption, "footer length");
  }
  // A footer length that fits but points into the data: the Thrift decode fails.
  b = good;
  uint32_t len;
  std::memcpy(&len, &b[b.size() - 8], 4);
  len -= 3;
  std::memcpy(&b[b.size() - 8], &len, 4);
  ExpectError(b, StatusCode::kCorruption, "footer");
}

TEST(ParquetDamageTest, TruncatedAtEveryOffset) {
  const std::string good = GoodFile(pq::CompressionCodec::SNAPPY);
  for (size_t n = 0; n < good.size(); n++) {
    Status st = ReadAll(good.substr(0, n));
    ASSERT_FALSE(st.ok()) << n;
    ASSERT_TRUE(st.code() == StatusCode::kCorruption) << n << ": " << st.ToString();
  }
}

TEST(ParquetDamageTest, LyingFooter) {
  ExpectError(GoodFile(0, [](pq::FileMetaData& m) { m.num_rows = 9; }), StatusCode::kCorruption,
              "footer says 9 rows");
  ExpectError(GoodFile(0, [](pq::FileMetaData& m) { m.row_groups[0].num_rows = -1; }),
              StatusCode::kCorruption, "row group 0 has -1 rows");
  ExpectError(GoodFile(0, [](pq::FileMetaData& m) { m.row_groups[0].columns[0].meta_data.num_values = 7; }),
              StatusCode::kCorruption, "has 7 values for 8 rows");
  ExpectError(GoodFile(0, [](pq::FileMetaData& m) { m.row_groups[0].columns[0].meta_data.data_page_offset = 1 << 30; }),
              StatusCode::kCorruption, "lies outside its chunk");
  ExpectError(GoodFile(0, [](pq::FileMetaData& m) { m.row_groups[0].columns[1].meta_data.total_compressed_size = 1 << 30; }),
              StatusCode::kCorruption, "lies outside the data");
  ExpectError(GoodFile(0, [](pq::FileMetaData& m) { m.row_groups[0].columns[1].meta_data.total_compressed_size -= 3; }),
              StatusCode::kCorruption, "\"s\" of row group 0");
  ExpectError(GoodFile(0, [](pq::FileMetaData& m) { m.row_groups[0].columns[1].meta_data.type = pq::Type::INT32; }),
              StatusCode::kCorruption, "does not match the schema");
  // A data page offset pointing past the dictionary page: the data page header is read from inside
  // the dictionary values.
  ExpectError(GoodFile(0, [](pq::FileMetaData& m) {
                auto& md = m.row_groups[0].columns[0].meta_data;
                md.__isset.dictionary_page_offset = false;
                md.data_page_offset += 5;
                md.total_compressed_size -= 5;
              }),
              StatusCode::kCorruption, "\"v\" of row group 0, page at offset");
  ExpectError(GoodFile(0, [](pq::FileMetaData& m) {
                m.row_groups[0].columns[0].__set_encrypted_column_metadata("x");
              }),
              StatusCode::kUnimplemented, "encrypted");
  ExpectError(GoodFile(0, [](pq::FileMetaData& m) {
                pq::EncryptionAlgorithm a;
                a.__set_AES_GCM_V1(pq::AesGcmV1());
                m.__set_encryption_algorithm(a);
              }),
              StatusCode::kUnimplemented, "encrypt");
  // Nested schema: a group with one child.
  ExpectError(GoodFile(0, [](pq::FileMetaData& m) {
                pq::SchemaElement g;
                g.__set_name("grp");
                g.__set_num_children(1);
                pq::LogicalType l;
                l.__set_LIST(pq::ListType());
                g.__set_logicalType(l);
                m.schema.insert(m.schema.begin() + 1, g);
                m.schema[0].num_children = 2;
              }),
              StatusCode::kUnimplemented, "\"grp\" is a group (LIST)");
}

// A file with one REQUIRED INT64 column whose only chunk is `page` (header + body as given).
std::string OnePageFile(const pq::PageHeader& h, const std::string& body, int codec, int64_t rows,
                        pq::Type::type type = pq::Type::INT64) {
  FileBuilder f(codec);
  f.AddColumn(Leaf("v", type, false));
  f.StartRowGroup(rows);
  f.RawPage(0, Thrift(h) + body, static_cast<int32_t>(rows));
  return f.Finish();
}

pq::PageHeader V1Header(int32_t num_values, pq::Encoding::type enc, int32_t usize, int32_t csize) {
  pq::PageHeader h;
  h.__set_type(pq::PageType::DATA_PAGE);
  h.__set_uncompressed_page_size(usize);
  h.__set_compressed_page_size(csize);
  pq::DataPageHeader dh;
  dh.__set_num_values(num_values);
  dh.__set_encoding(enc);
  dh.__set_definition_level_encoding(pq::Encoding::RLE);
  dh.__set_repetition_level_encoding(pq::Encoding::RLE);
  h.__set_data_page_header(dh);
  return h;
}

TEST(ParquetDamageTest, BadPageHeadersAndSizes) {
  const std::string values = PlainInt64({1, 2, 3, 4});
  const int32_t n = static_cast<int32_t>(values.size());
  EXPECT_TRUE(ReadAll(OnePageFile(V1Header(4, pq::Encoding::PLAIN, n, n), values, 0, 4)).ok());
  ExpectError(OnePageFile(V1Header(4, pq::Encoding::PLAIN, n, n + 100), values, 0, 4),
              StatusCode::kCorruption, "bad page sizes");
  ExpectError(OnePageFile(V1Header(4, pq::Encoding::PLAIN, -1, n), values, 0, 4),
              StatusCode::kCorruption, "bad page sizes");
  ExpectError(OnePageFile(V1Header(4, pq::Encoding::PLAIN, n + 1, n), values, 0, 4),
              StatusCode::kCorruption, "declares");
  ExpectError(OnePageFile(V1Header(5, pq::Encoding::PLAIN, n, n), values, 0, 4),
              StatusCode::kCorruption, "page of 5 values where 4 remain");
  ExpectError(OnePageFile(V1Header(3, pq::Encoding::PLAIN, n, n), values, 0, 4),
              StatusCode::kCorruption, "pages end after 3 of 4 values");
  ExpectError(OnePageFile(V1Header(4, pq::Encoding::PLAIN, 16, 16), values.substr(0, 16), 0, 4),
              StatusCode::kCorruption, "truncated");
  ExpectError(OnePageFile(V1Header(4, pq::Encoding::BIT_PACKED, n, n), values, 0, 4),
              StatusCode::kUnimplemented, "value encoding BIT_PACKED");
  ExpectError(OnePageFile(V1Header(4, pq::Encoding::PLAIN, n, n), values, pq::CompressionCodec::BROTLI, 4),
              StatusCode::kUnimplemented, "BROTLI");
  // Garbage where the page header should be.
  FileBuilder f;
  f.AddColumn(Leaf("v", pq::Type::INT64, false));
  f.StartRowGroup(4);
  f.RawPage(0, std::string("\xff\xff\xff\xff\xff\xff\x0f\x00", 8) + values, 4);
  ExpectError(f.Finish(), StatusCode::kCorruption, "page header");
  // A limit on the declared page size.
  ReaderOptions small;
  small.max_page_bytes = 16;
  ExpectError(OnePageFile(V1Header(4, pq::Encoding::PLAIN, n, n), values, 0, 4),
              StatusCode::kCorruption, "limit 16", small);
}

TEST(ParquetDamageTest, DecompressionBombsAndBadCompressedData) {
  // 64 MiB of zeros compress to a few KiB; declaring a small size must fail without producing
  // the whole output, and declaring the true size is refused by max_page_bytes.
  const std::string zeros(64 << 20, '\0');
  for (int codec : {pq::CompressionCodec::ZSTD, pq::CompressionCodec::GZIP,
                    pq::CompressionCodec::SNAPPY, pq::CompressionCodec::LZ4_RAW,
                    pq::CompressionCodec::LZ4}) {
    SCOPED_TRACE(codec);
    const std::string bomb = Compress(codec, zeros);
    const int32_t c = static_cast<int32_t>(bomb.size());
    ExpectError(OnePageFile(V1Header(4, pq::Encoding::PLAIN, 32, c), bomb, codec, 4),
                StatusCode::kCorruption, "page at offset");
    ReaderOptions small;
    small.max_page_bytes = 1 << 20;
    ExpectError(OnePageFile(V1Header(4, pq::Encoding::PLAIN, 64 << 20, c), bomb, codec, 4),
                StatusCode::kCorruption, "bad page sizes", small);
    // A small page claiming a huge size (within the limit) is refused before allocating.
    const std::string tiny = Compress(codec, PlainInt64({1, 2, 3, 4}));
    ExpectError(OnePageFile(V1Header(4, pq::Encoding::PLAIN, 200 << 20, static_cast<int32_t>(tiny.size())),
                            tiny, codec, 4),
                StatusCode::kCorruption, "page at offset");
    // Garbage in place of compressed data.
    const std::string junk(40, '\x5a');
    ExpectError(OnePageFile(V1Header(4, pq::Encoding::PLAIN, 32, 40), junk, codec, 4),
                StatusCode::kCorruption, "page at offset");
  }
}

TEST(ParquetDamageTest, BadEncodedValues) {
  auto dict_file = [](const std::string& indices, int64_t rows = 4) {
    FileBuilder f;
    f.AddColumn(Leaf("v", pq::Type::INT64, false));
    f.StartRowGroup(rows);
    f.DictPage(0, PlainInt64({10, 20}), 2);
    f.DataPageV1(0, static_cast<int32_t>(rows), pq::Encoding::RLE_DICTIONARY, "", indices);
    return f.Finish();
  };
  EXPECT_TRUE(ReadAll(dict_file(DictIndices({0, 1, 1, 0}))).ok());
  ExpectError(dict_file(DictIndices({0, 1, 2, 0})), StatusCode::kCorruption, "dictionary index 2 of a dictionary of 2");
  ExpectError(dict_file(std::string("\x21\x03\x00", 3)), StatusCode::kCorruption, "bit width 33");
  ExpectError(dict_file(std::string("\x01\x08\x05", 3)), StatusCode::kCorruption, "malformed");  // run value 5 in 1 bit
  ExpectError(dict_file(std::string("\x01", 1)), StatusCode::kCorruption, "indices");
  // Data page before its dictionary, and two dictionaries.
  {
    FileBuilder f;
    f.AddColumn(Leaf("v", pq::Type::INT64, false));
    f.StartRowGroup(4);
    f.DataPageV1(0, 4, pq::Encoding::RLE_DICTIONARY, "", DictIndices({0, 0, 0, 0}));
    ExpectError(f.Finish(), StatusCode::kCorruption, "without a dictionary");
  }
  // DELTA_BINARY_PACKED headers with absurd values.
  auto delta_file = [](const std::string& body) {
    FileBuilder f;
    f.AddColumn(Leaf("v", pq::Type::INT64, false));
    f.StartRowGroup(4);
    f.DataPageV1(0, 4, pq::Encoding::DELTA_BINARY_PACKED, "", body);
    return f.Finish();
  };
  EXPECT_TRUE(ReadAll(delta_file(DeltaBinaryPacked({1, 5, -3, 7}))).ok());
  auto header = [](uint64_t block, uint64_t mini, uint64_t total) {
    std::string s;
    PutUleb(&s, block);
    PutUleb(&s, mini);
    PutUleb(&s, total);
    PutZigzag(&s, 1);
    return s;
  };
  ExpectError(delta_file(header(0, 4, 4)), StatusCode::kCorruption, "block size 0");
  ExpectError(delta_file(header(1ull << 62, 4, 4)), StatusCode::kCorruption, "block size");
  ExpectError(delta_file(header(128, 0, 4)), StatusCode::kCorruption, "0 miniblocks");
  ExpectError(delta_file(header(128, 3, 4)), StatusCode::kCorruption, "3 miniblocks");
  ExpectError(delta_file(header(128, 4, 2)), StatusCode::kCorruption, "holds 2 values");
  ExpectError(delta_file(header(128, 4, 4) + std::string("\x00\x41\x00\x00\x00", 5)), StatusCode::kCorruption, "bit width 65");
  ExpectError(delta_file(header(128, 4, 4) + std::string("\x00\x20\x00\x00\x00", 5)), StatusCode::kCorruption, "truncated");
  ExpectError(delta_file(std::string("\x80\x80", 2)), StatusCode::kCorruption, "header is truncated");
  // DELTA_BYTE_ARRAY with a prefix longer than the previous value.
  {
    FileBuilder f;
    f.AddColumn(Leaf("s", pq::Type::BYTE_ARRAY, false));
    f.StartRowGroup(2);
    f.DataPageV1(0, 2, pq::Encoding::DELTA_BYTE_ARRAY, "",
                 DeltaBinaryPacked({0, 5}) + DeltaLengthByteArray({"ab", "c"}));
    ExpectError(f.Finish(), StatusCode::kCorruption, "prefix of 5 bytes");
  }
  // DELTA_BYTE_ARRAY blowing up: each value repeats the previous 1000-byte value.
  {
    FileBuilder f;
    f.AddColumn(Leaf("s", pq::Type::BYTE_ARRAY, false));
    const int rows = 5000;
    f.StartRowGroup(rows);
    std::vector<int64_t> prefixes(rows, 1000);
    prefixes[0] = 0;
    std::vector<std::string> suffixes(rows, "");
    suffixes[0] = std::string(1000, 'x');
    f.DataPageV1(0, rows, pq::Encoding::DELTA_BYTE_ARRAY, "",
                 DeltaBinaryPacked(prefixes) + DeltaLengthByteArray(suffixes));
    ReaderOptions small;
    small.max_page_bytes = 1 << 20;
    ExpectError(f.Finish(), StatusCode::kCorruption, "DELTA_BYTE_ARRAY values exceed", small);
  }
  // Definition levels longer than the page; a data page v2 whose null count lies.
  {
    FileBuilder f;
    f.AddColumn(Leaf("v", pq::Type::INT64));
    f.StartRowGroup(2);
    std::string body;
    PutLE(&body, 1000, 4);
    f.RawPage(0, Thrift(V1Header(2, pq::Encoding::PLAIN, 8, 8)) + body + "1234", 2);
    ExpectError(f.Finish(), StatusCode::kCorruption, "definition levels longer than the page");
  }
  {
    FileBuilder f;
    f.AddColumn(Leaf("v", pq::Type::INT64));
    f.StartRowGroup(3);
    f.DataPageV2(0, 3, 0, pq::Encoding::PLAIN, DefLevels({1, 0, 1}), PlainInt64({1, 2}));
    ExpectError(f.Finish(), StatusCode::kCorruption, "says 0 nulls, its levels 1");
  }
  // BYTE_STREAM_SPLIT that is too short, and PLAIN byte arrays overrunning the page.
  {
    FileBuilder f;
    f.AddColumn(Leaf("d", pq::Type::DOUBLE, false));
    f.StartRowGroup(4);
    f.DataPageV1(0, 4, pq::Encoding::BYTE_STREAM_SPLIT, "", std::string(31, '\0'));
    ExpectError(f.Finish(), StatusCode::kCorruption, "BYTE_STREAM_SPLIT values are truncated");
  }
  {
    FileBuilder f;
    f.AddColumn(Leaf("s", pq::Type::BYTE_ARRAY, false));
    f.StartRowGroup(1);
    std::string body;
    PutLE(&body, 0x7fffffff, 4);
    f.DataPageV1(0, 1, pq::Encoding::PLAIN, "", body + "abc");
    ExpectError(f.Finish(), StatusCode::kCorruption, "overruns the page");
  }
}

}  // namespace
}  // namespace laminar::lake
