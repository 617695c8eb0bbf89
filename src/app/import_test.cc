#include "app/import.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/time_util.h"
#include "lake/parquet_writer.h"

namespace laminar::app {
namespace {

using ingest::StreamSchema;
using nlohmann::json;

StreamSchema Schema() {
  StreamSchema s;
  s.name = "ev";
  s.columns = {{"ts", Type::kTimestamp, true},
               {"k", Type::kInt64, false},
               {"x", Type::kDouble, false},
               {"name", Type::kText, false},
               {"ok", Type::kBool, false}};
  s.event_time_index = 0;
  return s;
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = data.size();
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = out.size();
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Zstd(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
  return out;
}

Result<std::string> ReadAllFrom(ByteSource* src) {
  std::string out;
  char buf[7];  // small reads exercise the decompressors' state machines
  for (;;) {
    ASSIGN_OR_RETURN(size_t n, src->Read(buf, sizeof buf));
    if (n == 0) return out;
    out.append(buf, n);
  }
}

Result<std::string> Decompress(const std::string& data, Compression c, size_t chunk = 5) {
  auto d = NewDecompressor(std::make_unique<StringSource>(data, chunk), c);
  return ReadAllFrom(d.get());
}

std::string Text(std::string_view s, Type t) {
  std::string out;
  Status st = AppendTextAsJson(s, t, &out);
  return st.ok() ? out : "ERROR: " + st.message();
}

TEST(Import, DetectsCompressionAndFormat) {
  EXPECT_EQ(DetectCompression(Gzip("x")), Compression::kGzip);
  EXPECT_EQ(DetectCompression(Zstd("x")), Compression::kZstd);
  EXPECT_EQ(DetectCompression("PAR1"), Compression::kNone);
  EXPECT_EQ(DetectCompression(""), Compression::kNone);
  EXPECT_EQ(FormatFromName("a/b.CSV"), FileFormat::kCsv);
  EXPECT_EQ(FormatFromName("b.tsv.gz"), FileFormat::kCsv);
  EXPECT_EQ(FormatFromName("b.ndjson.zst"), FileFormat::kNdjson);
  EXPECT_EQ(FormatFromName("b.jsonl"), FileFormat::kNdjson);
  EXPECT_EQ(FormatFromName("b.json.gz"), FileFormat::kNdjson);
  EXPECT_EQ(FormatFromName("b.parquet"), FileFormat::kParquet);
  EXPECT_EQ(FormatFromName("b.dat"), FileFormat::kAuto);
  EXPECT_EQ(*ParseFileFormat("CSV"), FileFormat::kCsv);
  EXPECT_EQ(*ParseFileFormat("jsonl"), FileFormat::kNdjson);
  EXPECT_FALSE(ParseFileFormat("xml").ok());
}

TEST(Import, GzipStreamsConcatenatedMembersAndRejectsDamage) {
  std::string a(100000, 'a'), b = "second member\n";
  for (size_t i = 0; i < a.size(); i += 97) a[i] = char('0' + i % 10);
  auto r = Decompress(Gzip(a) + Gzip(b), Compression::kGzip);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, a + b);
  std::string gz = Gzip(a);
  r = Decompress(gz.substr(0, gz.size() / 2), Compression::kGzip);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("truncated gzip"), std::string::npos) << r.status().message();
  gz[gz.size() / 2] ^= 0x55;
  gz[gz.size() / 2 + 1] ^= 0x55;
  EXPECT_FALSE(Decompress(gz, Compression::kGzip).ok());
}

TEST(Import, ZstdStreamsFramesAndRejectsDamage) {
  std::string a(300000, 'z'), b = "tail";
  for (size_t i = 0; i < a.size(); i += 13) a[i] = char('a' + i % 26);
  auto r = Decompress(Zstd(a) + Zstd(b), Compression::kZstd, 1000);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, a + b);
  std::string z = Zstd(a);
  r = Decompress(z.substr(0, z.size() - 3), Compression::kZstd);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("zstd"), std::string::npos);
  EXPECT_EQ(*Decompress("plain", Compression::kNone), "plain");
}

TEST(Import, TextConversionRules) {
  EXPECT_EQ(Text("42", Type::kInt64), "42");
  EXPECT_EQ(Text(" -7 ", Type::kInt64), "-7");
  EXPECT_EQ(Text("+9", Type::kInt64), "9");
  EXPECT_EQ(Text("9223372036854775807", Type::kInt64), "9223372036854775807");
  EXPECT_EQ(Text("1.5", Type::kInt64), "ERROR: invalid bigint \"1.5\"");
  EXPECT_EQ(Text("1e3", Type::kInt64), "ERROR: invalid bigint \"1e3\"");
  EXPECT_EQ(Text("9223372036854775808", Type::kInt64), "ERROR: \"9223372036854775808\" is out of range for bigint");
  EXPECT_EQ(Text("abc", Type::kInt64), "ERROR: invalid bigint \"abc\"");

  EXPECT_EQ(Text("1.5", Type::kDouble), "1.5");
  EXPECT_EQ(Text("-2e-3", Type::kDouble), "-0.002");
  EXPECT_EQ(Text("0.1", Type::kDouble), "0.1");
  EXPECT_EQ(Text("7", Type::kDouble), "7");
  EXPECT_NE(Text("NaN", Type::kDouble).find("not a finite number"), std::string::npos);
  EXPECT_NE(Text("inf", Type::kDouble).find("not a finite number"), std::string::npos);
  EXPECT_NE(Text("1e999", Type::kDouble).find("out of range"), std::string::npos);
  EXPECT_NE(Text("1,5", Type::kDouble).find("invalid number"), std::string::npos);

  for (const char* t : {"true", "T", "yes", "Y", "on", "1"}) EXPECT_EQ(Text(t, Type::kBool), "true") << t;
  for (const char* f : {"false", "f", "NO", "n", "off", "0"}) EXPECT_EQ(Text(f, Type::kBool), "false") << f;
  EXPECT_NE(Text("maybe", Type::kBool).find("invalid boolean"), std::string::npos);

  EXPECT_EQ(Text("2024-01-08T10:00:00Z", Type::kTimestamp), "\"2024-01-08T10:00:00Z\"");
  EXPECT_EQ(Text("2024-01-08 10:00:00.5+02:00", Type::kTimestamp), "\"2024-01-08 10:00:00.5+02:00\"");
  EXPECT_EQ(Text("1704708000", Type::kTimestamp), "1704708000");
  EXPECT_EQ(Text("1704708000123", Type::kTimestamp), "1704708000123");
  EXPECT_EQ(Text("1704708000.25", Type::kTimestamp), "1704708000.25");
  EXPECT_EQ(Text("2024-13-01", Type::kTimestamp), "ERROR: invalid timestamp \"2024-13-01\"");
  EXPECT_EQ(Text("yesterday", Type::kTimestamp), "ERROR: invalid timestamp \"yesterday\"");

  EXPECT_EQ(Text("a \"q\" \\ \n\t\x01 é", Type::kText), "\"a \\\"q\\\" \\\\ \\n\\t\\u0001 é\"");
  EXPECT_EQ(Text("", Type::kText), "\"\"");
  EXPECT_EQ(Text("\xff\xfe", Type::kText), "ERROR: invalid UTF-8");
  EXPECT_TRUE(IsValidUtf8("héllo 😀"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xc0\x80"));      // overlong
}

TEST(Import, ColumnMapping) {
  StreamSchema s = Schema();
  auto m = MapColumns({"K", "ts", "Name", "x"}, s, false);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->target, (std::vector<int>{1, 0, 3, 2}));
  EXPECT_EQ(m->missing, (std::vector<std::string>{"ok"}));
  EXPECT_TRUE(m->missing_not_null.empty());

  m = MapColumns({"k", "extra", "other"}, s, false);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("\"extra\", \"other\" are not in stream \"ev\""), std::string::npos)
      << m.status().message();
  m = MapColumns({"k", "extra"}, s, true);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->target, (std::vector<int>{1, -1}));
  EXPECT_EQ(m->missing_not_null, (std::vector<std::string>{"ts"}));

  m = MapColumns({"a", "b"}, s, true);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("none of the file's columns"), std::string::npos);

  m = MapColumns({"k", "K"}, s, false);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("both map to stream column \"k\""), std::string::npos);

  // An exact match wins over a case-insensitive one; two case-insensitive candidates match none.
  StreamSchema t;
  t.columns = {{"Id", Type::kInt64, false}, {"id", Type::kInt64, false}, {"ID2", Type::kText, false}};
  EXPECT_EQ(MatchColumn(t, "Id"), 0);
  EXPECT_EQ(MatchColumn(t, "id"), 1);
  EXPECT_EQ(MatchColumn(t, "ID"), -1);
  EXPECT_EQ(MatchColumn(t, "id2"), 2);
}

TEST(Import, StreamSchemaFromServerJson) {
  std::string j = R"({"streams":[{"name":"a","columns":[{"name":"t","type":"timestamp with time zone","not_null":true}],"event_time":"t"},
    {"name":"ev","columns":[{"name":"ts","type":"timestamp with time zone","not_null":true},{"name":"k","type":"bigint","not_null":false},
    {"name":"x","type":"double precision","not_null":false},{"name":"name","type":"text","not_null":false},{"name":"ok","type":"boolean","not_null":false}],"event_time":"ts"}]})";
  auto s = StreamSchemaFromJson(j, "ev");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->columns.size(), 5u);
  EXPECT_EQ(s->columns[0].type, Type::kTimestamp);
  EXPECT_TRUE(s->columns[0].not_null);
  EXPECT_EQ(s->columns[2].type, Type::kDouble);
  EXPECT_EQ(s->columns[4].type, Type::kBool);
  EXPECT_EQ(s->event_time_index, 0);
  auto missing = StreamSchemaFromJson(j, "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("streams: a, ev"), std::string::npos);
  EXPECT_FALSE(StreamSchemaFromJson("[]", "ev").ok());
}

class ImportFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar_import_testXXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& data) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << data;
    return path;
  }

  // Every record of the file: "row/line: json" or "row/line: ERROR reason".
  Result<std::vector<std::string>> ReadAll(const std::string& path, ImportOptions o = {},
                                           const StreamSchema& schema = Schema()) {
    ASSIGN_OR_RETURN(auto reader, RecordReader::Open(path, schema, o));
    format_ = reader->format();
    compression_ = reader->compression();
    warnings_ = reader->warnings();
    std::vector<std::string> out;
    ImportRecord rec;
    for (;;) {
      ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
      if (!more) return out;
      out.push_back(std::to_string(rec.row) + "/" + std::to_string(rec.line) + ": " +
                    (rec.error.empty() ? rec.json : "ERROR " + rec.error));
    }
  }

  std::string dir_;
  FileFormat format_ = FileFormat::kAuto;
  Compression compression_ = Compression::kNone;
  std::vector<std::string> warnings_;
};

const char* kCsv =
    "ts,K,x,name,ok\r\n"
    "2024-01-08T10:00:00Z,1,1.5,\"a, \"\"b\"\"\",true\r\n"
    "2024-01-08T10:00:01Z,,,,\r\n"
    "1704708002,3,2,\"\",f\r\n"
    "2024-01-08T10:00:03Z,4.5,1,x,t\r\n"
    "2024-01-08T10:00:04Z,5,1,\"two\nlines\",NULL\r\n"
    "2024-01-08T10:00:05Z,6\r\n";

TEST_F(ImportFileTest, CsvRowsConvertWithNullsAndRejectsNamingRowAndLine) {
  auto r = ReadAll(Write("a.csv", kCsv));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(format_, FileFormat::kCsv);
  std::vector<std::string> want = {
      R"(1/2: {"ts":"2024-01-08T10:00:00Z","k":1,"x":1.5,"name":"a, \"b\"","ok":true})",
      R"(2/3: {"ts":"2024-01-08T10:00:01Z"})",
      R"(3/4: {"ts":1704708002,"k":3,"x":2,"name":"","ok":false})",
      R"(4/5: ERROR column "k": invalid bigint "4.5")",
      R"(5/6: ERROR column "ok": invalid boolean "NULL" (true/false, t/f, yes/no, 1/0))",
      R"(6/8: ERROR expected 5 fields (as in the header), got 2)",
  };
  EXPECT_EQ(*r, want);

  ImportOptions o;
  o.null_string = "NULL";
  r = ReadAll(Write("a.csv", kCsv), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[4], R"(5/6: {"ts":"2024-01-08T10:00:04Z","k":5,"x":1,"name":"two\nlines"})");
}

TEST_F(ImportFileTest, CompressedCsvAndDelimiters) {
  auto r = ReadAll(Write("a.csv.gz", Gzip(kCsv)));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(compression_, Compression::kGzip);
  EXPECT_EQ(r->size(), 6u);
  // Detected by magic bytes, whatever the name says.
  r = ReadAll(Write("b.csv", Zstd(kCsv)));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(compression_, Compression::kZstd);
  EXPECT_EQ(r->size(), 6u);

  r = ReadAll(Write("c.tsv", "ts\tk\n2024-01-08T10:00:00Z\t7\n"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0], R"(1/2: {"ts":"2024-01-08T10:00:00Z","k":7})");
  ImportOptions o;
  o.delimiter = ';';
  r = ReadAll(Write("d.csv", "ts;k\n2024-01-08T10:00:00Z;8\n"), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0], R"(1/2: {"ts":"2024-01-08T10:00:00Z","k":8})");
}

TEST_F(ImportFileTest, CsvHeaderProblemsAreFatal) {
  auto r = ReadAll(Write("a.csv", "ts,k,bogus\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("\"bogus\" is not in stream"), std::string::npos) << r.status().message();
  ImportOptions o;
  o.ignore_unknown = true;
  r = ReadAll(Write("a.csv", "ts,k,bogus\n2024-01-08T10:00:00Z,1,zzz\n"), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0], R"(1/2: {"ts":"2024-01-08T10:00:00Z","k":1})");
  r = ReadAll(Write("e.csv", ""));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("empty"), std::string::npos);
  r = ReadAll(Write("f.csv", "k\n1\n"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(warnings_.size(), 1u);
  r = ReadAll(Write("g.csv", "ts\n\"x\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 2, column 1"), std::string::npos) << r.status().message();
  EXPECT_EQ(ReadAll(dir_ + "/missing.csv").status().code(), StatusCode::kNotFound);
}

TEST_F(ImportFileTest, NdjsonRenamesKeysAndRejectsBadLines) {
  std::string text =
      "{\"ts\":\"2024-01-08T10:00:00Z\",\"k\":1}\n"
      "\n"
      "{\"TS\":\"2024-01-08T10:00:01Z\",\"Name\":\"é\",\"x\":0.1}\r\n"
      "{not json\n"
      "[1,2]\n"
      "{\"ts\":\"2024-01-08T10:00:02Z\",\"zzz\":1}\n"
      "{\"ts\":\"2024-01-08T10:00:03Z\",\"k\":\"as text\"}";
  auto r = ReadAll(Write("a.ndjson.zst", Zstd(text)));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(format_, FileFormat::kNdjson);
  std::vector<std::string> want = {
      R"(1/1: {"ts":"2024-01-08T10:00:00Z","k":1})",
      R"(2/3: {"ts":"2024-01-08T10:00:01Z","name":"é","x":0.1})",
      R"(3/4: ERROR malformed JSON)",
      R"(4/5: ERROR expected a JSON object, got array)",
      R"(5/6: ERROR unknown field "zzz" (--ignore-unknown skips them))",
      // Values pass through: the server's rules apply to them.
      R"(6/7: {"ts":"2024-01-08T10:00:03Z","k":"as text"})",
  };
  EXPECT_EQ(*r, want);
  ImportOptions o;
  o.ignore_unknown = true;
  r = ReadAll(Write("b.jsonl", text), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[4], R"(5/6: {"ts":"2024-01-08T10:00:02Z"})");

  o = ImportOptions();
  o.max_line_bytes = 40;
  r = ReadAll(Write("c.ndjson", text), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[1], "2/3: ERROR line is longer than 40 bytes");
  EXPECT_EQ((*r)[2], "3/4: ERROR malformed JSON");

  r = ReadAll(Write("d.json", "[{\"ts\":1}]\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("JSON array"), std::string::npos);
}

TEST_F(ImportFileTest, FormatFromContentWhenTheNameDoesNotTell) {
  auto r = ReadAll(Write("data.txt", Gzip("{\"k\":5}\n")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(format_, FileFormat::kNdjson);
  EXPECT_EQ((*r)[0], R"(1/1: {"k":5})");
  r = ReadAll(Write("data2.txt", "k,x\n5,1\n"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(format_, FileFormat::kCsv);
  ImportOptions o;
  o.format = FileFormat::kCsv;
  r = ReadAll(Write("data3.ndjson", "k\n6\n"), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0], R"(1/2: {"k":6})");
  // A compressed Parquet name is refused.
  o.format = FileFormat::kParquet;
  r = ReadAll(Write("p.parquet", Gzip("PAR1")), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("never compressed"), std::string::npos);
}

TEST_F(ImportFileTest, ParquetColumnsMapAndConvert) {
  // File columns in another order, other names' case, and types that convert.
  StreamSchema file;
  file.columns = {{"X", Type::kInt64, false},      // → double
                  {"k", Type::kDouble, false},     // → bigint when integral
                  {"name", Type::kInt64, false},   // → text
                  {"ts", Type::kTimestamp, true},
                  {"ok", Type::kText, false}};     // text → boolean by the text rules
  ingest::RowBatch b(file);
  int64_t t0 = *ParseTimestamp("2024-03-10T01:02:03.456789Z");
  b.AppendRow({Value::Int(7), Value::Double(3.0), Value::Int(-5), Value::Timestamp(t0), Value::Text("yes")});
  b.AppendRow({Value(), Value::Double(2.5), Value(), Value::Timestamp(t0 + 1), Value::Text("maybe")});
  b.AppendRow({Value(), Value(), Value(), Value::Timestamp(t0 + 2), Value()});
  std::string path = dir_ + "/f.parquet";
  {
    auto w = lake::ParquetWriter::Open(path, file);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE((*w)->Write(b).ok());
    ASSERT_TRUE((*w)->Finish().ok());
  }
  auto r = ReadAll(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(format_, FileFormat::kParquet);
  std::vector<std::string> want = {
      R"(1/0: {"x":7,"k":3,"name":"-5","ts":"2024-03-10T01:02:03.456789Z","ok":true})",
      R"(2/0: ERROR column "k": 2.5 is not an integer in the range of bigint)",
      R"(3/0: {"ts":"2024-03-10T01:02:03.456791Z"})",
  };
  EXPECT_EQ(*r, want);

  // Also found by content under another name.
  std::filesystem::copy_file(path, dir_ + "/f.bin");
  r = ReadAll(dir_ + "/f.bin");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(format_, FileFormat::kParquet);

  // A timestamp cannot go into a bigint column: fatal before any row.
  StreamSchema s = Schema();
  s.columns[0].type = Type::kInt64;
  auto bad = ReadAll(path, {}, s);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("file column \"ts\" (timestamptz) cannot go into stream column"),
            std::string::npos)
      << bad.status().message();
}

// A fake server: accepts records whose "k" is not 13, rejects the others (as the real one does).
struct FakeServer {
  std::vector<size_t> batch_sizes;
  Result<std::string> Post(const std::string& body) {
    json errors = json::array();
    size_t n = 0, accepted = 0;
    size_t start = 0;
    while (start < body.size()) {
      size_t nl = body.find('\n', start);
      json rec = json::parse(body.substr(start, nl - start));
      if (rec.value("k", 0) == 13) errors.push_back({{"index", n}, {"field", "k"}, {"reason", "unlucky"}});
      else accepted++;
      n++;
      start = nl + 1;
    }
    batch_sizes.push_back(n);
    if (fail_after && batch_sizes.size() > fail_after) return Unavailable("connection refused");
    return json({{"accepted", accepted}, {"rejected", errors.size()}, {"errors", errors}}).dump();
  }
  size_t fail_after = 0;
};

TEST_F(ImportFileTest, RunImportBatchesAndMapsServerRejectsToRows) {
  std::string csv = "k\n";
  for (int i = 1; i <= 25; i++) csv += (i == 5 ? "bad" : std::to_string(i)) + "\n";
  std::string path = Write("n.csv", csv);
  StreamSchema s;
  s.name = "n";
  s.columns = {{"k", Type::kInt64, false}};
  auto reader = RecordReader::Open(path, s, {});
  ASSERT_TRUE(reader.ok());
  FakeServer server;
  std::vector<RejectedRow> rejects;
  int done_calls = 0;
  ImportHooks hooks;
  hooks.post = [&](const std::string& body) { return server.Post(body); };
  hooks.on_reject = [&](const RejectedRow& r) { rejects.push_back(r); };
  hooks.on_batch_done = [&](const ImportProgress&) { done_calls++; };
  ImportProgress p;
  Status st = RunImport(reader->get(), 10, 1 << 20, hooks, &p);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(p.read, 25u);
  EXPECT_EQ(p.accepted, 23u);
  EXPECT_EQ(p.rejected, 2u);
  EXPECT_EQ(server.batch_sizes, (std::vector<size_t>{10, 10, 4}));
  EXPECT_EQ(done_calls, 3);
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(DescribeReject(rejects[0]), "row 5 (line 6): column \"k\": invalid bigint \"bad\"");
  EXPECT_FALSE(rejects[0].by_server);
  EXPECT_EQ(rejects[1].row, 13);
  EXPECT_EQ(rejects[1].line, 14);
  EXPECT_TRUE(rejects[1].by_server);
  EXPECT_EQ(rejects[1].record, "{\"k\":13}");
  EXPECT_EQ(DescribeReject(rejects[1]), "row 13 (line 14): column \"k\": unlucky (server)");

  // A failed request ends the import with the progress so far.
  reader = RecordReader::Open(path, s, {});
  ASSERT_TRUE(reader.ok());
  FakeServer flaky;
  flaky.fail_after = 1;
  hooks.post = [&](const std::string& body) { return flaky.Post(body); };
  p = ImportProgress();
  st = RunImport(reader->get(), 10, 1 << 20, hooks, &p);
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_EQ(p.accepted, 10u);

  // The byte limit closes batches early.
  reader = RecordReader::Open(path, s, {});
  ASSERT_TRUE(reader.ok());
  FakeServer small;
  hooks.post = [&](const std::string& body) { return small.Post(body); };
  p = ImportProgress();
  ASSERT_TRUE(RunImport(reader->get(), 1000, 30, hooks, &p).ok());
  EXPECT_GT(small.batch_sizes.size(), 3u);
  EXPECT_EQ(p.accepted + p.rejected, 25u);
}

}  // namespace
}  // namespace laminar::app
