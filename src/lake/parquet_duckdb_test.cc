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

}  // namespace
}  // namespace laminar::lake
