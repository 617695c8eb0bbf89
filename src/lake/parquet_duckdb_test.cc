// DuckDB as an oracle for the files ParquetWriter writes: tests/oracle/read_parquet.mjs prints
// what DuckDB reads (types, row count, sums, min/max) and these tests compare it with what was
// written. Skipped when node or @duckdb/node-api is not installed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <limits>
#include <string>

#include <fstream>
#include <set>
#include <sstream>

#include "common/time_util.h"
#include "lake/parquet_inspect.h"
#include "lake/parquet_reader.h"
#include "lake/parquet_writer.h"

namespace laminar::lake {
namespace {

using ingest::RowBatch;
using ingest::StreamSchema;

std::filesystem::path OracleDir() {
  // This file is src/lake/parquet_duckdb_test.cc; the oracle lives in tests/oracle.
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "tests" / "oracle";
}

bool OracleAvailable() {
  return std::system("command -v node >/dev/null 2>&1") == 0 &&
         std::filesystem::exists(OracleDir() / "node_modules" / "@duckdb" / "node-api") &&
         std::filesystem::exists(OracleDir() / "read_parquet.mjs");
}

// Runs the oracle on `file`; the parsed JSON, or a null json with the failure in *error.
nlohmann::json DuckDbRead(const std::string& file, std::string* error) {
  std::string cmd = "cd '" + OracleDir().string() + "' && node read_parquet.mjs '" + file + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) {
    *error = "popen failed";
    return nullptr;
  }
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  if (rc != 0) {
    *error = "node exited with " + std::to_string(rc) + ": " + out;
    return nullptr;
  }
  auto j = nlohmann::json::parse(out, nullptr, false);
  if (j.is_discarded()) *error = "not JSON: " + out;
  return j;
}

StreamSchema OracleSchema() {
  StreamSchema s;
  s.name = "events";
  s.columns = {{"event_time", Type::kTimestamp, true},
               {"user_id", Type::kInt64, false},
               {"amount", Type::kDouble, false},
               {"country", Type::kText, false},
               {"premium", Type::kBool, false}};
  s.event_time_index = 0;
  return s;
}

// DuckDB sums bigints as HUGEINT; so do we.
std::string Int128ToString(__int128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  std::string s;
  while (v != 0) {
    int digit = static_cast<int>(v % 10);
    s.insert(s.begin(), static_cast<char>('0' + (neg ? -digit : digit)));
    v /= 10;
  }
  return neg ? "-" + s : s;
}

struct Expected {
  __int128 ts_sum = 0;
  int64_t rows = 0, ts_min = INT64_MAX, ts_max = INT64_MIN;
  int64_t id_sum = 0, id_min = INT64_MAX, id_max = INT64_MIN, id_non_null = 0;
  int64_t amount_non_null = 0, text_len_sum = 0, text_non_null = 0, true_count = 0, bool_non_null = 0;
  double amount_min = 1e300, amount_max = -1e300;
};

// Rows with distinct texts when `distinct_text` (to force the PLAIN fallback).
RowBatch MakeRows(int64_t first, int64_t count, bool distinct_text, Expected* e) {
  RowBatch b(OracleSchema());
  static const char* kCountries[] = {"DE", "FR", "日本", "", "Ελλάδα"};
  for (int64_t i = first; i < first + count; i++) {
    int64_t ts = 1700000000000000 + i * 1000003;
    Value id = i % 10 == 0 ? Value::Null() : Value::Int(i * 37 - 5000);
    Value amount = i % 7 == 0 ? Value::Null() : Value::Double(static_cast<double>(i % 1000) * 0.25);
    std::string text = distinct_text ? "customer-" + std::to_string(i) : kCountries[i % 5];
    Value country = i % 13 == 0 ? Value::Null() : Value::Text(text);
    Value premium = i % 4 == 0 ? Value::Null() : Value::Bool(i % 3 == 0);
    b.AppendRow({Value::Timestamp(ts), id, amount, country, premium});
    e->rows++;
    e->ts_sum += ts;
    e->ts_min = std::min(e->ts_min, ts);
    e->ts_max = std::max(e->ts_max, ts);
    if (!id.is_null()) {
      e->id_non_null++;
      e->id_sum += id.as_int();
      e->id_min = std::min(e->id_min, id.as_int());
      e->id_max = std::max(e->id_max, id.as_int());
    }
    if (!amount.is_null()) {
      e->amount_non_null++;
      e->amount_min = std::min(e->amount_min, amount.as_double());
      e->amount_max = std::max(e->amount_max, amount.as_double());
    }
    if (!country.is_null()) {
      e->text_non_null++;
      // DuckDB's length() counts characters: count UTF-8 lead bytes.
      for (unsigned char ch : text) e->text_len_sum += (ch & 0xC0) != 0x80;
    }
    if (!premium.is_null()) {
      e->bool_non_null++;
      e->true_count += premium.as_bool();
    }
  }
  return b;
}

class ParquetDuckDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!OracleAvailable()) GTEST_SKIP() << "node or @duckdb/node-api not installed in " << OracleDir();
    char tmpl[] = "/tmp/lake_duckdb_testXXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Returns the number of row groups DuckDB saw.
  int64_t WriteAndCompare(const WriterOptions& options, bool distinct_text, int batches, int rows) {
    const std::string path = dir_ + "/events.parquet";
    Expected e;
    auto w = ParquetWriter::Open(path, OracleSchema(), options);
    if (!w.ok()) {
      ADD_FAILURE() << w.status().ToString();
      return 0;
    }
    for (int i = 0; i < batches; i++)
      EXPECT_TRUE((*w)->Write(MakeRows(int64_t{i} * rows, rows, distinct_text, &e)).ok());
    EXPECT_TRUE((*w)->Finish().ok());

    std::string error;
    nlohmann::json j = DuckDbRead(path, &error);
    if (j.is_null()) {
      ADD_FAILURE() << error;
      return 0;
    }
    SCOPED_TRACE(j.dump());
    EXPECT_EQ(std::to_string(e.rows), j["count"]);
    EXPECT_EQ("laminar version 0.1.0", j["created_by"]);
    auto& c = j["columns"];
    EXPECT_EQ("TIMESTAMP WITH TIME ZONE", c["event_time"]["type"]);
    EXPECT_EQ("BIGINT", c["user_id"]["type"]);
    EXPECT_EQ("DOUBLE", c["amount"]["type"]);
    EXPECT_EQ("VARCHAR", c["country"]["type"]);
    EXPECT_EQ("BOOLEAN", c["premium"]["type"]);

    EXPECT_EQ(std::to_string(e.rows), c["event_time"]["non_null"]);
    EXPECT_EQ(Int128ToString(e.ts_sum), c["event_time"]["sum"]);
    EXPECT_EQ(std::to_string(e.ts_min), c["event_time"]["min"]);
    EXPECT_EQ(std::to_string(e.ts_max), c["event_time"]["max"]);
    EXPECT_EQ(std::to_string(e.id_non_null), c["user_id"]["non_null"]);
    EXPECT_EQ(std::to_string(e.id_sum), c["user_id"]["sum"]);
    EXPECT_EQ(std::to_string(e.id_min), c["user_id"]["min"]);
    EXPECT_EQ(std::to_string(e.id_max), c["user_id"]["max"]);
    EXPECT_EQ(std::to_string(e.amount_non_null), c["amount"]["non_null"]);
    EXPECT_EQ(e.amount_min, std::stod(c["amount"]["min"].get<std::string>()));
    EXPECT_EQ(e.amount_max, std::stod(c["amount"]["max"].get<std::string>()));
    EXPECT_EQ(std::to_string(e.text_non_null), c["country"]["non_null"]);
    EXPECT_EQ(std::to_string(e.text_len_sum), c["country"]["sum"]);
    EXPECT_EQ(std::to_string(e.bool_non_null), c["premium"]["non_null"]);
    EXPECT_EQ(std::to_string(e.true_count), c["premium"]["sum"]);

    // Per column chunk (DuckDB's parquet_metadata): ZSTD pages, text dictionary-encoded unless
    // its dictionary outgrew dictionary_max_bytes (then PLAIN), null counts that add up.
    int64_t id_nulls = 0, groups = 0, plain_chunks = 0;
    for (const auto& chunk : j["chunks"]) {
      EXPECT_EQ("ZSTD", chunk["compression"]);
      if (chunk["column"] == "country") {
        groups++;
        plain_chunks += chunk["encodings"].get<std::string>().find("RLE_DICTIONARY") == std::string::npos;
      }
      if (chunk["column"] == "user_id") id_nulls += std::stoll(chunk["null_count"].get<std::string>());
    }
    EXPECT_EQ(e.rows - e.id_non_null, id_nulls);
    if (distinct_text) {
      // Every full row group outgrows the dictionary; a small last one may not.
      EXPECT_GE(plain_chunks, groups - 1);
      EXPECT_GT(plain_chunks, 0);
    } else {
      EXPECT_EQ(0, plain_chunks);
    }
    return groups;
  }

  std::string dir_;
};

TEST_F(ParquetDuckDbTest, DuckDbReadsDictionaryEncodedFile) {
  EXPECT_EQ(1, WriteAndCompare(WriterOptions(), /*distinct_text=*/false, 2, 1500));
}

TEST_F(ParquetDuckDbTest, DuckDbReadsPlainFallbackWithManyRowGroupsAndPages) {
  WriterOptions o;
  o.row_group_bytes = 32 << 10;
  o.page_bytes = 2 << 10;
  o.dictionary_max_bytes = 1024;
  EXPECT_GT(WriteAndCompare(o, /*distinct_text=*/true, 3, 2000), 3);
}

TEST_F(ParquetDuckDbTest, DuckDbReadsExtremeValues) {
  const std::string path = dir_ + "/edge.parquet";
  RowBatch b(OracleSchema());
  const double inf = std::numeric_limits<double>::infinity();
  b.AppendRow({Value::Timestamp(0), Value::Int(INT64_MIN), Value::Double(-inf), Value::Text(""),
               Value::Bool(false)});
  b.AppendRow({Value::Timestamp(-1), Value::Int(INT64_MAX), Value::Double(inf),
               Value::Text("héllo 🚀"), Value::Bool(true)});
  b.AppendRow({Value::Timestamp(1), Value::Null(), Value::Double(std::nan("")), Value::Null(),
               Value::Null()});
  b.AppendRow({Value::Timestamp(2), Value::Int(0), Value::Double(-0.0), Value::Text("a"),
               Value::Bool(false)});
  auto w = ParquetWriter::Open(path, OracleSchema());
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Write(b).ok());
  ASSERT_TRUE((*w)->Finish().ok());
  std::string error;
  nlohmann::json j = DuckDbRead(path, &error);
  ASSERT_FALSE(j.is_null()) << error;
  SCOPED_TRACE(j.dump());
  auto& c = j["columns"];
  EXPECT_EQ("4", j["count"]);
  EXPECT_EQ("-1", c["event_time"]["min"]);
  EXPECT_EQ("2", c["event_time"]["max"]);
  EXPECT_EQ("-1", c["user_id"]["sum"]);
  EXPECT_EQ("-9223372036854775808", c["user_id"]["min"]);
  EXPECT_EQ("9223372036854775807", c["user_id"]["max"]);
  EXPECT_EQ("-inf", c["amount"]["min"]);
  EXPECT_EQ("nan", c["amount"]["max"]);  // DuckDB orders NaN above +inf
  EXPECT_EQ("4", c["amount"]["non_null"]);
  EXPECT_EQ("8", c["country"]["sum"]);  // 0 + 7 + 1 characters
  EXPECT_EQ("", c["country"]["min"]);
  EXPECT_EQ("héllo 🚀", c["country"]["max"]);
  EXPECT_EQ("1", c["premium"]["sum"]);
}


// ---- DuckDB writes, Laminar reads ------------------------------------------------------------

// Runs DuckDB statements and one query whose values are all VARCHAR (or NULL); returns the rows
// as JSON arrays of strings. The script is passed on stdin (the oracle directory's node_modules
// resolves the import), the SQL in a JSON file.
constexpr char kQueryScript[] = R"JS(
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
const [setup, query] = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const inst = await DuckDBInstance.create(':memory:');
const conn = await inst.connect();
await conn.run('SET threads TO 1');
for (const s of setup) await conn.run(s);
if (query) {
  const rows = (await conn.runAndReadAll(query)).getRows();
  const out = rows.map((r) => JSON.stringify(r.map((v) => (v === null ? null : String(v)))));
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
}
)JS";

std::vector<nlohmann::json> DuckDbQuery(const std::string& dir, const std::vector<std::string>& setup,
                                        const std::string& query, std::string* error) {
  const std::string script = dir + "/query.mjs", sql = dir + "/sql.json";
  std::ofstream(script) << kQueryScript;
  std::ofstream(sql) << nlohmann::json::array({setup, query}).dump();
  std::string cmd = "cd '" + OracleDir().string() + "' && node --input-type=module - '" + sql +
                    "' < '" + script + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[65536];
  size_t n;
  while (p && (n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = p ? pclose(p) : -1;
  std::vector<nlohmann::json> rows;
  if (rc != 0) {
    *error = "node exited with " + std::to_string(rc) + ": " + out.substr(0, 2000);
    return rows;
  }
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) rows.push_back(nlohmann::json::parse(line));
  return rows;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// How a column is normalised on DuckDB's side and compared with CatParquet's JSON.
enum class Kind { kInt, kDouble, kDecimal, kText, kBool, kMicros, kNanos, kDays };

struct OracleColumn {
  std::string name;
  std::string make;  // DuckDB expression over i (the row number)
  Kind kind;
};

std::string Normalise(const OracleColumn& c) {
  const std::string q = "\"" + c.name + "\"";
  switch (c.kind) {
    case Kind::kInt: case Kind::kText: case Kind::kBool: return q + "::VARCHAR";
    case Kind::kDouble: case Kind::kDecimal: return q + "::DOUBLE::VARCHAR";
    case Kind::kMicros: return "epoch_us(" + q + "::TIMESTAMP)::VARCHAR";
    case Kind::kNanos: return "epoch_ns(" + q + ")::VARCHAR";
    case Kind::kDays: return "(" + q + " - DATE '1970-01-01')::VARCHAR";
  }
  return q;
}

// Compares one value of CatParquet's row with DuckDB's normalised string.
::testing::AssertionResult SameValue(const OracleColumn& c, const nlohmann::json& cat,
                                     const nlohmann::json& duck) {
  if (duck.is_null() || cat.is_null()) {
    if (duck.is_null() && cat.is_null()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << c.name << ": laminar " << cat.dump() << ", duckdb " << duck.dump();
  }
  const std::string d = duck.get<std::string>();
  bool same = false;
  std::string mine = cat.dump();
  switch (c.kind) {
    case Kind::kInt: same = cat.is_number_integer() && mine == d; break;
    case Kind::kText: same = cat.is_string() && cat.get<std::string>() == d; break;
    case Kind::kBool: same = cat.is_boolean() && (cat.get<bool>() ? "true" : "false") == d; break;
    case Kind::kDouble:
    case Kind::kDecimal: {
      double want = std::strtod(d.c_str(), nullptr);
      double got = cat.is_string() ? (cat == "NaN" ? std::nan("") : cat == "Infinity" ? HUGE_VAL : -HUGE_VAL)
                                   : cat.get<double>();
      same = (std::isnan(want) && std::isnan(got)) || want == got ||
             (c.kind == Kind::kDecimal && std::fabs(want - got) <= 1e-15 * std::fabs(want));
      break;
    }
    case Kind::kMicros:
    case Kind::kNanos:
    case Kind::kDays: {
      int64_t v = std::stoll(d);
      if (c.kind == Kind::kNanos) v = v / 1000 - (v % 1000 < 0 ? 1 : 0);
      if (c.kind == Kind::kDays) v *= kMicrosPerDay;
      same = cat.is_string() && cat.get<std::string>() == FormatTimestampIso(v);
      mine += " vs " + FormatTimestampIso(v);
      break;
    }
  }
  if (same) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << c.name << ": laminar " << mine << ", duckdb " << d;
}

// Compares CatParquet's rows of `file` with DuckDB's reading of it, row for row.
void CompareWithDuckDb(const std::string& dir, const std::string& file,
                       const std::vector<OracleColumn>& cols, size_t want_rows) {
  std::ostringstream cat;
  Status st = CatParquet(file, ReadBytes(file), cat, -1);
  ASSERT_TRUE(st.ok()) << st.ToString();
  std::string select;
  for (const auto& c : cols) select += (select.empty() ? "" : ", ") + Normalise(c);
  std::string error;
  auto duck = DuckDbQuery(dir, {}, "SELECT " + select + " FROM read_parquet('" + file + "')", &error);
  ASSERT_TRUE(error.empty()) << error;
  ASSERT_EQ(want_rows, duck.size());
  std::istringstream in(cat.str());
  std::string line;
  size_t r = 0;
  int failures = 0;
  while (std::getline(in, line) && r < duck.size()) {
    auto row = nlohmann::json::parse(line);
    for (size_t c = 0; c < cols.size(); c++) {
      auto ok = SameValue(cols[c], row[cols[c].name], duck[r][c]);
      if (!ok && failures++ < 10) ADD_FAILURE() << "row " << r << ": " << ok.message();
    }
    r++;
  }
  EXPECT_EQ(want_rows, r);
  EXPECT_EQ(0, failures);
}

std::vector<OracleColumn> AllTypes() {
  return {
      {"id", "i::BIGINT", Kind::kInt},
      {"ti", "CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 256 - 128)::TINYINT END", Kind::kInt},
      {"si", "(i % 65536 - 32768)::SMALLINT", Kind::kInt},
      {"ii", "CASE WHEN i = 1 THEN -2147483648 WHEN i = 2 THEN 2147483647 ELSE (i * 1000003) % 2147483647 END::INTEGER", Kind::kInt},
      {"bi", "CASE WHEN i = 1 THEN -9223372036854775808 WHEN i = 2 THEN 9223372036854775807 ELSE i * 1000000007 END::BIGINT", Kind::kInt},
      {"uti", "(i % 256)::UTINYINT", Kind::kInt},
      {"usi", "(i % 65536)::USMALLINT", Kind::kInt},
      {"ui", "CASE WHEN i = 2 THEN 4294967295 ELSE i * 7 END::UINTEGER", Kind::kInt},
      {"ubi", "CASE WHEN i = 2 THEN 9223372036854775807 ELSE i * 13 END::UBIGINT", Kind::kInt},
      {"f", "CASE WHEN i = 1 THEN 'nan'::FLOAT WHEN i = 2 THEN '-inf'::FLOAT WHEN i = 3 THEN '-0.0'::FLOAT ELSE (i / 3.0)::FLOAT END", Kind::kDouble},
      {"d", "CASE WHEN i % 11 = 0 THEN NULL WHEN i = 1 THEN 'inf'::DOUBLE WHEN i = 2 THEN 'nan'::DOUBLE WHEN i = 3 THEN '-0.0'::DOUBLE WHEN i = 4 THEN 4.9e-324 ELSE i / 7.0 END::DOUBLE", Kind::kDouble},
      {"dec4", "((i % 19999) / 100.0 - 99.99)::DECIMAL(4,2)", Kind::kDecimal},
      {"dec18", "(i * 1.001 - 2500)::DECIMAL(18,3)", Kind::kDecimal},
      {"dec38", "CASE WHEN i = 2 THEN '-9999999999999999999999999999.9999999999'::DECIMAL(38,10) ELSE (i * 12345.6789012345)::DECIMAL(38,10) END", Kind::kDecimal},
      {"s", "CASE WHEN i % 5 = 0 THEN NULL WHEN i % 5 = 1 THEN '' ELSE 'str-' || (i % 997) || '-ü日本🚀' END", Kind::kText},
      {"bl", "encode('blob-' || (i % 13))", Kind::kText},
      {"b", "CASE WHEN i % 9 = 0 THEN NULL ELSE i % 2 = 0 END", Kind::kBool},
      {"dt", "CASE WHEN i = 1 THEN DATE '0001-01-01' WHEN i = 2 THEN DATE '9999-12-31' ELSE DATE '2024-01-01' + (i % 1000)::INTEGER END", Kind::kDays},
      {"ts", "CASE WHEN i = 1 THEN TIMESTAMP '0001-01-01 00:00:00' WHEN i = 2 THEN TIMESTAMP '9999-12-31 23:59:59.999999' ELSE TIMESTAMP '2024-01-01' + to_microseconds(i * 1000003) END", Kind::kMicros},
      {"tsms", "(TIMESTAMP '2024-01-01' + to_milliseconds(i * 1003))::TIMESTAMP_MS", Kind::kMicros},
      {"tsns", "CASE WHEN i = 1 THEN '1969-12-31 23:59:59.999999999'::TIMESTAMP_NS ELSE (TIMESTAMP '2024-01-01' + to_microseconds(i * 999))::TIMESTAMP_NS END", Kind::kNanos},
      {"tstz", "(TIMESTAMPTZ '2024-06-01 12:00:00+00' + to_microseconds(i * 77))", Kind::kMicros},
      {"u", "CASE WHEN i % 4 = 0 THEN NULL ELSE md5(i::VARCHAR)::UUID END", Kind::kText},
  };
}

std::string MakeTableSql(const std::vector<OracleColumn>& cols, int64_t rows) {
  std::string sel;
  for (const auto& c : cols) sel += (sel.empty() ? "" : ", ") + c.make + " AS \"" + c.name + "\"";
  return "CREATE TABLE t AS SELECT " + sel + " FROM range(" + std::to_string(rows) + ") r(i)";
}

TEST_F(ParquetDuckDbTest, LaminarReadsDuckDbFilesOfEveryCodecAndVersion) {
  const auto cols = AllTypes();
  const int64_t rows = 5000;
  std::vector<std::string> setup = {MakeTableSql(cols, rows)};
  std::vector<std::string> files;
  for (const char* version : {"V1", "V2"}) {
    for (const char* codec : {"uncompressed", "snappy", "gzip", "zstd", "lz4", "lz4_raw"}) {
      std::string file = dir_ + "/duck_" + codec + "_" + version + ".parquet";
      setup.push_back("COPY t TO '" + file + "' (FORMAT parquet, COMPRESSION " + codec +
                      ", PARQUET_VERSION " + version + ", ROW_GROUP_SIZE 2048)");
      files.push_back(file);
    }
  }
  std::string error;
  DuckDbQuery(dir_, setup, "", &error);
  ASSERT_TRUE(error.empty()) << error;
  std::set<std::string> encodings, codecs, page_types;
  for (const auto& file : files) {
    SCOPED_TRACE(file);
    auto reader = ParquetReader::Open(file);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_GT((*reader)->num_row_groups(), 1);
    EXPECT_EQ(Type::kTimestamp, (*reader)->schema().columns[17].type);  // DATE
    EXPECT_EQ(Type::kDouble, (*reader)->schema().columns[13].type);     // DECIMAL(38,10)
    CompareWithDuckDb(dir_, file, cols, static_cast<size_t>(rows));
    auto j = nlohmann::json::parse(InspectParquet(file, ReadBytes(file), true).value());
    for (const auto& g : j["row_groups"])
      for (const auto& c : g["columns"]) {
        codecs.insert(c["codec"].get<std::string>());
        for (const auto& e : c["page_encodings"]) encodings.insert(e.get<std::string>());
        for (const auto& [t, n] : c["page_types"].items()) page_types.insert(t);
        EXPECT_FALSE(c.contains("page_error")) << c.dump();
      }
  }
  std::string seen;
  for (const auto& e : encodings) seen += e + " ";
  SCOPED_TRACE("encodings seen: " + seen);
  for (const char* e : {"PLAIN", "RLE_DICTIONARY", "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY",
                        "BYTE_STREAM_SPLIT"})
    EXPECT_TRUE(encodings.count(e)) << e;
  for (const char* c : {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "LZ4_RAW"}) EXPECT_TRUE(codecs.count(c)) << c;
  // DuckDB's PARQUET_VERSION V2 changes the encodings, not the page format: its pages are v1
  // (data pages v2 are covered by parquet_foreign_test.cc).
  EXPECT_TRUE(page_types.count("DATA_PAGE"));
  EXPECT_TRUE(page_types.count("DICTIONARY_PAGE"));
}

TEST_F(ParquetDuckDbTest, LaminarReadsALargeDuckDbDictionary) {
  const std::vector<OracleColumn> cols = {
      {"id", "i::BIGINT", Kind::kInt},
      {"s", "'customer-' || ((i * 7919) % 20000)", Kind::kText},
      {"n", "CASE WHEN i % 3 = 0 THEN NULL ELSE (i * 7919) % 20000 END::BIGINT", Kind::kInt}};
  const int64_t rows = 60000;  // 20k distinct strings (kept modest: the test runs under ASan)
  for (const char* version : {"V2"}) {
    SCOPED_TRACE(version);
    const std::string file = dir_ + "/dict_" + version + ".parquet";
    std::string error;
    DuckDbQuery(dir_, {MakeTableSql(cols, rows), "COPY t TO '" + file + "' (FORMAT parquet, PARQUET_VERSION " +
                           version + ", ROW_GROUP_SIZE 25000)"}, "", &error);
    ASSERT_TRUE(error.empty()) << error;
    CompareWithDuckDb(dir_, file, cols, static_cast<size_t>(rows));
  }
}

TEST_F(ParquetDuckDbTest, UbigintAboveBigintRangeIsAnErrorNamingTheColumn) {
  const std::string file = dir_ + "/ubig.parquet";
  std::string error;
  DuckDbQuery(dir_, {"COPY (SELECT 18446744073709551615::UBIGINT AS big) TO '" + file + "' (FORMAT parquet)"}, "", &error);
  ASSERT_TRUE(error.empty()) << error;
  std::ostringstream out;
  Status st = CatParquet(file, ReadBytes(file), out, -1);
  EXPECT_EQ(StatusCode::kUnimplemented, st.code()) << st.ToString();
  EXPECT_NE(std::string::npos, st.message().find("\"big\"")) << st.message();
  EXPECT_NE(std::string::npos, st.message().find("18446744073709551615")) << st.message();
}

// ---- Laminar writes, DuckDB reads, row for row -----------------------------------------------

TEST_F(ParquetDuckDbTest, DuckDbReadsLaminarFilesRowForRow) {
  const std::string path = dir_ + "/laminar.parquet";
  StreamSchema s = OracleSchema();
  auto w = ParquetWriter::Open(path, s);
  ASSERT_TRUE(w.ok());
  RowBatch b(s);
  const double inf = std::numeric_limits<double>::infinity();
  b.AppendRow({Value::Timestamp(INT64_MIN / 2), Value::Int(INT64_MIN), Value::Double(-inf), Value::Text(""), Value::Bool(false)});
  b.AppendRow({Value::Timestamp(-1), Value::Int(INT64_MAX), Value::Double(inf), Value::Text("héllo 🚀"), Value::Null()});
  b.AppendRow({Value::Timestamp(0), Value::Null(), Value::Double(std::nan("")), Value::Null(), Value::Bool(true)});
  b.AppendRow({Value::Timestamp(1), Value::Int(0), Value::Double(-0.0), Value::Text("\"quote\" \\ \n"), Value::Bool(true)});
  // A large dictionary: 60k rows, 20k distinct strings.
  for (int64_t i = 0; i < 60000; i++)
    b.AppendRow({Value::Timestamp(1700000000000000 + i), i % 10 ? Value::Int(i * 31) : Value::Null(),
                 Value::Double(static_cast<double>(i) / 3), Value::Text("customer-" + std::to_string((i * 7919) % 20000)),
                 Value::Bool(i % 2)});
  ASSERT_TRUE((*w)->Write(b).ok());
  ASSERT_TRUE((*w)->Finish().ok());
  const std::vector<OracleColumn> cols = {{"event_time", "", Kind::kMicros}, {"user_id", "", Kind::kInt},
                                          {"amount", "", Kind::kDouble}, {"country", "", Kind::kText},
                                          {"premium", "", Kind::kBool}};
  CompareWithDuckDb(dir_, path, cols, b.num_rows());
}

}  // namespace
}  // namespace laminar::lake
