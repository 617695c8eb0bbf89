// COPY ... FROM into dimension tables, and their life cycle through DDL, on a real Engine.
// The rows are read back from `<data_dir>/tables/<name>.parquet` (what the store serves).
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>

#include "common/file_util.h"
#include "common/time_util.h"
#include "engine/engine.h"
#include "lake/parquet_reader.h"
#include "lake/parquet_writer.h"

namespace laminar::engine {
namespace {

constexpr const char* kAirports =
    "CREATE TABLE airports (code text NOT NULL, name text, lat double precision, elevation bigint, "
    "opened timestamptz, hub boolean) WITH (kind = 'dimension')";

std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = data.size();
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = out.size();
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

class DimensionCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar_dimension_copy_test_XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(tmpl));
    root_ = tmpl;
    Reopen();
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(root_);
  }

  void Reopen() {
    engine_.reset();
    EngineOptions o;
    o.data_dir = JoinPath(root_, "data");
    o.batch_interval_ms = 0;
    o.import_dirs = {root_};  // the tests write their files there
    auto e = Engine::Open(o);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e).value();
  }

  // The tag, or "Code: message".
  std::string Exec(const std::string& sql) {
    auto r = engine_->ExecuteSql(sql);
    if (!r.ok()) return r.status().ToString();
    return r->empty() ? "" : r->back().tag;
  }

  std::string Write(const std::string& name, const std::string& data) {
    std::string path = JoinPath(root_, name);
    EXPECT_TRUE(WriteFileAtomic(path, data).ok());
    return path;
  }

  std::string TablePath(const std::string& name) { return JoinPath(JoinPath(JoinPath(root_, "data"), "tables"), name + ".parquet"); }

  // The table's rows from its file, each as "v1|v2|..." (NULL as "∅"), in file order.
  std::vector<std::string> Rows(const std::string& name) {
    std::vector<std::string> out;
    auto file = lake::ParquetReader::Open(TablePath(name));
    if (!file.ok()) {
      out.push_back(file.status().ToString());
      return out;
    }
    ingest::StreamSchema s = (*file)->schema();
    for (int g = 0; g < (*file)->num_row_groups(); g++) {
      auto b = (*file)->ReadRowGroup(g, s);
      EXPECT_TRUE(b.ok());
      for (size_t r = 0; r < b->num_rows(); r++) {
        std::string row;
        for (size_t c = 0; c < b->num_columns(); c++) {
          Value v = b->column(c).Get(r);
          row += (c ? "|" : "") + (v.is_null() ? std::string("∅") : v.ToString());
        }
        out.push_back(row);
      }
    }
    return out;
  }

  bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

  std::string root_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(DimensionCopyTest, CsvWithHeaderQuotesNullsAndReplaceWhole) {
  ASSERT_EQ("CREATE TABLE", Exec(kAirports));
  std::string f = Write("a.csv",
                        "Name,code,lat,elevation,opened,hub\r\n"
                        "\"Amsterdam, Schiphol\",AMS,52.31,-11,2024-01-02T03:04:05Z,true\r\n"
                        "\"say \"\"hi\"\"\",XYZ,,,,\r\n"
                        "\"multi\nline\",ABC,1e1,7,1704067200,no\r\n"
                        "\"\",EMP, 2.5 ,0,2024-01-01,f\r\n");
  EXPECT_EQ("COPY 4", Exec("COPY airports FROM '" + f + "' WITH (FORMAT csv, HEADER true)"));
  std::vector<std::string> want = {
      "AMS|Amsterdam, Schiphol|52.31|-11|2024-01-02T03:04:05Z|true",
      "XYZ|say \"hi\"|∅|∅|∅|∅",
      "ABC|multi\nline|10|7|2024-01-01T00:00:00Z|false",
      "EMP||2.5|0|2024-01-01T00:00:00Z|false",
  };
  EXPECT_EQ(want, Rows("airports"));

  // Replaced whole by the next COPY; the format comes from the name; gzip is detected.
  std::string g = Write("b.csv.gz", Gzip("code,name\nLHR,Heathrow\n"));
  EXPECT_EQ("COPY 1", Exec("COPY airports FROM '" + g + "' (HEADER)"));
  EXPECT_EQ(std::vector<std::string>{"LHR|Heathrow|∅|∅|∅|∅"}, Rows("airports"));

  // It survives a restart.
  Reopen();
  EXPECT_EQ(std::vector<std::string>{"LHR|Heathrow|∅|∅|∅|∅"}, Rows("airports"));
  // An empty file (no header) empties the table.
  std::string e = Write("empty.csv", "");
  EXPECT_EQ("COPY 0", Exec("COPY airports FROM '" + e + "' WITH (FORMAT csv)"));
  EXPECT_TRUE(Rows("airports").empty());
}

TEST_F(DimensionCopyTest, CsvOptions) {
  ASSERT_EQ("CREATE TABLE", Exec(kAirports));
  // No header: by position. DELIMITER, NULL, QUOTE, ESCAPE.
  std::string f = Write("a.txt",
                        "AMS;'Schip;hol';NA;1;NA;t\n"
                        "BCN;'El \\'Prat\\'';41.3;4;2020-01-01T00:00:00Z;NA\n"
                        "CDG;;1;2;;\n");
  EXPECT_EQ("COPY 3", Exec("COPY airports FROM '" + f +
                           "' WITH (FORMAT csv, DELIMITER ';', NULL 'NA', QUOTE '''', ESCAPE '\\')"));
  std::vector<std::string> want = {"AMS|Schip;hol|∅|1|∅|true", "BCN|El 'Prat'|41.3|4|2020-01-01T00:00:00Z|∅",
                                   "CDG|∅|1|2|∅|∅"};
  EXPECT_EQ(want, Rows("airports"));
  // A column list: the fields go to those columns; the rest are NULL. HEADER skips a line.
  std::string l = Write("l.csv", "x,y\nFRA,50.03\n");
  EXPECT_EQ("COPY 1", Exec("COPY airports (code, lat) FROM '" + l + "' WITH (FORMAT csv, HEADER true)"));
  EXPECT_EQ(std::vector<std::string>{"FRA|∅|50.03|∅|∅|∅"}, Rows("airports"));
  EXPECT_TRUE(Has(Exec("COPY airports (code, lat) FROM '" + l + "' WITH (FORMAT csv, HEADER match)"),
                  "column name mismatch in header line field 1: got \"x\", expected \"code\""));
  std::string m = Write("m.csv", "code,lat\nMAD,40.5\n");
  EXPECT_EQ("COPY 1", Exec("COPY airports (code, lat) FROM '" + m + "' WITH (FORMAT csv, HEADER match)"));
  // .tsv: tab-separated unless DELIMITER says otherwise.
  std::string t = Write("t.tsv", "code\tname\nOSL\tGardermoen\n");
  EXPECT_EQ("COPY 1", Exec("COPY airports FROM '" + t + "' WITH (HEADER)"));
  EXPECT_EQ(std::vector<std::string>{"OSL|Gardermoen|∅|∅|∅|∅"}, Rows("airports"));
}

TEST_F(DimensionCopyTest, BadInputNamesLineColumnAndValueAndLeavesTheTableUnchanged) {
  ASSERT_EQ("CREATE TABLE", Exec(kAirports));
  std::string good = Write("good.csv", "code,lat\nAMS,1.5\n");
  ASSERT_EQ("COPY 1", Exec("COPY airports FROM '" + good + "' WITH (FORMAT csv, HEADER true)"));
  const std::vector<std::string> before = Rows("airports");
  auto copy = [&](const std::string& name, const std::string& data, const std::string& with = "FORMAT csv, HEADER true") {
    return Exec("COPY airports FROM '" + Write(name, data) + "' WITH (" + with + ")");
  };
  EXPECT_EQ("InvalidArgument: COPY airports: line 3, column \"lat\": invalid number \"abc\"",
            copy("n.csv", "code,lat\nA,1\nB,abc\nC,2\n"));
  EXPECT_EQ("InvalidArgument: COPY airports: line 2, column \"elevation\": invalid bigint \"1.5\"",
            copy("i.csv", "code,elevation\nA,1.5\n"));
  // Far in (the records are split and converted in blocks on two threads): the line is exact, and
  // a later CSV error does not hide the earlier bad value.
  std::string many = "code,lat\n";
  for (int i = 2; i <= 30000; i++) many += i == 21234 ? "X,north\n" : "K" + std::to_string(i) + ",1\n";
  EXPECT_EQ("InvalidArgument: COPY airports: line 21234, column \"lat\": invalid number \"north\"",
            copy("many.csv", many + "\"unterminated\n"));
  EXPECT_EQ("InvalidArgument: COPY airports: line 21234: missing data for column \"lat\" (expected 2 fields, got 1)",
            copy("late.csv", many.substr(0, many.find("X,north")) + "Z\n"));
  EXPECT_EQ("InvalidArgument: COPY airports: line 2, column \"opened\": invalid timestamp \"yesterday\"",
            copy("t.csv", "code,opened\nA,yesterday\n"));
  EXPECT_EQ("InvalidArgument: COPY airports: line 2, column \"hub\": invalid boolean \"maybe\" (true/false, t/f, "
            "yes/no, 1/0)",
            copy("b.csv", "code,hub\nA,maybe\n"));
  EXPECT_EQ("InvalidArgument: COPY airports: line 3, column \"code\": null value violates not-null constraint",
            copy("nn.csv", "code,lat\nA,1\n,2\n"));
  EXPECT_EQ("InvalidArgument: COPY airports: NOT NULL column \"code\" is not in the file's header",
            copy("nh.csv", "name,lat\nx,1\n"));
  EXPECT_TRUE(Has(copy("u.csv", "code,colour\nA,red\n"), "header column \"colour\" is not in table \"airports\""));
  EXPECT_EQ("InvalidArgument: COPY airports: line 3: missing data for column \"lat\" (expected 2 fields, got 1)",
            copy("f.csv", "code,lat\nA,1\nB\n"));
  EXPECT_TRUE(Has(copy("x.csv", "code,lat\nA,1,2\n"), "line 2: extra data after last expected column"));
  EXPECT_TRUE(Has(copy("q.csv", "code,lat\n\"A,1\n"), "quoted field is not terminated"));
  EXPECT_TRUE(Has(copy("e.csv", ""), "is empty, but HEADER says it starts with a header line"));
  EXPECT_TRUE(Has(copy("utf.csv", "code,name\nA,\xff\xfe\n"), "line 2, column \"name\": invalid UTF-8"));
  // By position: too few fields.
  EXPECT_TRUE(Has(copy("p.csv", "A,1\n", "FORMAT csv"), "line 1: missing data for column \"lat\" (expected 6 fields, got 2)"));
  EXPECT_EQ(before, Rows("airports"));

  // Files and statements that are refused before reading.
  EXPECT_EQ("NotFound: COPY airports: file \"" + root_ + "/nonexistent.csv\" does not exist",
            Exec("COPY airports FROM '" + root_ + "/nonexistent.csv' WITH (FORMAT csv)"));
  // Outside the import directories: refused without a word about the file.
  EXPECT_TRUE(Has(Exec("COPY airports FROM '/etc/passwd' WITH (FORMAT csv)"),
                  "PermissionDenied: COPY airports: \"/etc/passwd\" is not in an import directory"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM '/nonexistent/x.csv' WITH (FORMAT csv)"), "is not in an import directory"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM '" + root_ + "' WITH (FORMAT csv)"), "is a directory"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM 'rel.csv'"), "must be an absolute path"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM '" + Write("x.dat", "a") + "'"), "say WITH (FORMAT csv)"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM STDIN"), "COPY ... FROM STDIN needs a client that sends the data"));
  EXPECT_TRUE(Has(Exec("COPY airports TO '/tmp/x.csv'"), "COPY ... TO is not supported"));
  EXPECT_TRUE(Has(Exec("COPY (SELECT 1) TO '/tmp/x.csv'"), "COPY (query) TO is not supported"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM PROGRAM 'cat x'"), "PROGRAM is not supported"));
  EXPECT_EQ("NotFound: relation \"nope\" does not exist", Exec("COPY nope FROM '" + good + "'"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM '" + good + "' WITH (FORMAT binary)"), "FORMAT binary is not supported"));
  // The text format reads tabs: a CSV file is one field a line.
  EXPECT_TRUE(Has(Exec("COPY airports FROM '" + good + "' WITH (FORMAT text)"), "missing data for column"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM '" + good + "' WITH (FORMAT text, QUOTE '\"')"), "COPY QUOTE available only in CSV mode"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM '" + good + "' WITH (FREEZE)"), "COPY option \"freeze\" is not supported"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM '" + good + "' WITH (DELIMITER ';;')"), "single one-byte character"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM '" + good + "' WITH (HEADER, HEADER false)"), "conflicting or redundant"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM '" + good + "' WITH (FORMAT parquet, HEADER)"), "cannot specify HEADER"));
  EXPECT_TRUE(Has(Exec("COPY airports FROM '" + good + "' WITH (FORMAT parquet)"), "is not a Parquet file"));
  EXPECT_TRUE(Has(Exec("COPY airports (code, nope) FROM '" + good + "'"), "column \"nope\" of relation"));
  EXPECT_TRUE(Has(Exec("COPY airports (lat) FROM '" + good + "'"), "NOT NULL column \"code\" is not in the column list"));
  EXPECT_EQ(before, Rows("airports"));

  // A stream takes COPY's rows as events (here a file whose columns it lacks: refused whole);
  // a view is no COPY target.
  ASSERT_EQ("CREATE TABLE", Exec("CREATE TABLE pv (ts timestamptz NOT NULL, url text)"));
  ASSERT_EQ("CREATE MATERIALIZED VIEW", Exec("CREATE MATERIALIZED VIEW v AS SELECT url, count(*) FROM pv GROUP BY 1"));
  EXPECT_TRUE(Has(Exec("COPY pv FROM '" + good + "' WITH (FORMAT csv, HEADER true)"), "not in table \"pv\""));
  EXPECT_TRUE(Has(Exec("COPY v FROM '" + good + "'"), "cannot COPY into materialized view \"v\""));
  // Ingesting events into a dimension table: there is no such stream.
  auto r = engine_->Ingest("airports", "application/x-ndjson", "", "{\"code\":\"A\"}\n");
  EXPECT_EQ(StatusCode::kNotFound, r.status().code());
}

TEST_F(DimensionCopyTest, Parquet) {
  ASSERT_EQ("CREATE TABLE", Exec(kAirports));
  // A file with the columns in another order and case, bigint into double precision, and no hub.
  ingest::StreamSchema fs;
  fs.columns = {{"LAT", Type::kInt64, false}, {"code", Type::kText, true}, {"opened", Type::kTimestamp, false}};
  ingest::RowBatch b(fs);
  b.AppendRow({Value::Int(52), Value::Text("AMS"), Value::Timestamp(86'400'000'000)});
  b.AppendRow({Value(), Value::Text("BCN"), Value()});
  std::string path = JoinPath(root_, "a.parquet");
  {
    auto w = lake::ParquetWriter::Open(path, fs);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Write(b).ok());
    ASSERT_TRUE((*w)->Finish().ok());
  }
  EXPECT_EQ("COPY 2", Exec("COPY airports FROM '" + path + "'"));
  EXPECT_EQ((std::vector<std::string>{"AMS|∅|52|∅|1970-01-02T00:00:00Z|∅", "BCN|∅|∅|∅|∅|∅"}), Rows("airports"));
  // A column list takes only those columns from the file.
  EXPECT_EQ("COPY 2", Exec("COPY airports (code) FROM '" + path + "' WITH (FORMAT parquet)"));
  EXPECT_EQ((std::vector<std::string>{"AMS|∅|∅|∅|∅|∅", "BCN|∅|∅|∅|∅|∅"}), Rows("airports"));

  // Errors: an unknown column, a type that does not fit, NULL in a NOT NULL column.
  auto write = [&](const std::string& name, ingest::StreamSchema s, const std::vector<std::vector<Value>>& rows) {
    ingest::RowBatch batch(s);
    for (const auto& r : rows) batch.AppendRow(r);
    std::string p = JoinPath(root_, name);
    auto w = lake::ParquetWriter::Open(p, s);
    EXPECT_TRUE(w.ok());
    EXPECT_TRUE((*w)->Write(batch).ok());
    EXPECT_TRUE((*w)->Finish().ok());
    return p;
  };
  ingest::StreamSchema extra;
  extra.columns = {{"code", Type::kText, false}, {"colour", Type::kText, false}};
  std::string e = Exec("COPY airports FROM '" + write("e.parquet", extra, {{Value::Text("A"), Value::Text("r")}}) + "'");
  EXPECT_TRUE(Has(e, "has columns that table \"airports\" does not: colour")) << e;
  ingest::StreamSchema typed;
  typed.columns = {{"code", Type::kText, false}, {"elevation", Type::kDouble, false}};
  e = Exec("COPY airports FROM '" + write("t.parquet", typed, {{Value::Text("A"), Value::Double(1)}}) + "'");
  EXPECT_TRUE(Has(e, "file column \"elevation\" is double precision, table column \"elevation\" is bigint")) << e;
  ingest::StreamSchema nulls;
  nulls.columns = {{"code", Type::kText, false}};
  e = Exec("COPY airports FROM '" + write("n.parquet", nulls, {{Value::Text("A")}, {Value()}}) + "'");
  EXPECT_EQ("InvalidArgument: COPY airports: row 2, column \"code\": null value violates not-null constraint", e);
  ingest::StreamSchema nocode;
  nocode.columns = {{"name", Type::kText, false}};
  e = Exec("COPY airports FROM '" + write("c.parquet", nocode, {{Value::Text("A")}}) + "'");
  EXPECT_TRUE(Has(e, "has no column \"code\", which is NOT NULL")) << e;
  e = Exec("COPY airports FROM '" + Write("gz.parquet", Gzip("PAR1")) + "'");
  EXPECT_TRUE(Has(e, "gzip-compressed")) << e;
  std::string csv = Write("p.csv", "PAR1 and more");
  e = Exec("COPY airports FROM '" + csv + "' WITH (FORMAT csv)");
  EXPECT_TRUE(Has(e, "is a Parquet file: use WITH (FORMAT parquet)")) << e;
  EXPECT_EQ((std::vector<std::string>{"AMS|∅|∅|∅|∅|∅", "BCN|∅|∅|∅|∅|∅"}), Rows("airports"));
}

TEST_F(DimensionCopyTest, CreateDropAndRedefine) {
  ASSERT_EQ("CREATE TABLE", Exec(kAirports));
  std::string f = Write("a.csv", "code\nAMS\n");
  ASSERT_EQ("COPY 1", Exec("COPY airports FROM '" + f + "' (FORMAT csv, HEADER)"));
  ASSERT_TRUE(std::filesystem::exists(TablePath("airports")));
  // IF NOT EXISTS keeps the rows.
  ASSERT_EQ("CREATE TABLE", Exec("CREATE TABLE IF NOT EXISTS airports (x bigint) WITH (kind = 'dimension')"));
  EXPECT_EQ(std::vector<std::string>{"AMS|∅|∅|∅|∅|∅"}, Rows("airports"));
  ASSERT_EQ("DROP TABLE", Exec("DROP TABLE airports"));
  EXPECT_FALSE(std::filesystem::exists(TablePath("airports")));
  EXPECT_EQ("NotFound: relation \"airports\" does not exist", Exec("COPY airports FROM '" + f + "' (FORMAT csv)"));
  // Re-created (another definition): empty, and COPY works against the new columns.
  ASSERT_EQ("CREATE TABLE", Exec("CREATE TABLE airports (code text, n bigint) WITH (kind = 'dimension')"));
  EXPECT_FALSE(std::filesystem::exists(TablePath("airports")));
  std::string g = Write("b.csv", "n,code\n5,X\n");
  ASSERT_EQ("COPY 1", Exec("COPY airports FROM '" + g + "' (FORMAT csv, HEADER)"));
  EXPECT_EQ(std::vector<std::string>{"X|5"}, Rows("airports"));
  Reopen();
  EXPECT_EQ(std::vector<std::string>{"X|5"}, Rows("airports"));
  ASSERT_EQ("COPY 1", Exec("COPY airports FROM '" + g + "' (FORMAT csv, HEADER)"));
  // A materialized view cannot read it; a stream of the same name cannot exist.
  EXPECT_TRUE(Has(Exec("CREATE MATERIALIZED VIEW w AS SELECT code, count(*) FROM airports GROUP BY 1"),
                  "\"airports\" is a dimension table; materialized views read streams"));
  EXPECT_EQ("AlreadyExists: relation \"airports\" already exists",
            Exec("CREATE TABLE airports (ts timestamptz NOT NULL)"));
  // A file left by a DROP that crashed before deleting it is removed at the next open.
  ASSERT_EQ("DROP TABLE", Exec("DROP TABLE airports"));
  ASSERT_TRUE(WriteFileAtomic(TablePath("ghost"), "x").ok());
  Reopen();
  EXPECT_FALSE(std::filesystem::exists(TablePath("ghost")));
}

TEST_F(DimensionCopyTest, ADamagedOrMissingFileFailsQueriesNamingItUntilCopyOrDrop) {
  ASSERT_EQ("CREATE TABLE", Exec(kAirports));
  std::string f = Write("a.csv", "code\nAMS\n");
  ASSERT_EQ("COPY 1", Exec("COPY airports FROM '" + f + "' (FORMAT csv, HEADER)"));
  engine_.reset();
  ASSERT_TRUE(WriteFileAtomic(TablePath("airports"), "PAR1garbagePAR1").ok());
  Reopen();  // the rest of the data directory still serves
  std::string e = Exec("SELECT count(*) FROM airports");
  EXPECT_TRUE(Has(e, "Corruption")) << e;
  EXPECT_TRUE(Has(e, "airports.parquet")) << e;
  EXPECT_EQ("COPY 1", Exec("COPY airports FROM '" + f + "' (FORMAT csv, HEADER)"));  // repairs it
  EXPECT_EQ(1u, Rows("airports").size());
  // A missing file of a table COPY filled is damage too (never an empty table); DROP repairs.
  engine_.reset();
  ASSERT_TRUE(RemoveFile(TablePath("airports")).ok());
  Reopen();
  e = Exec("SELECT count(*) FROM airports");
  EXPECT_TRUE(Has(e, "airports.parquet is missing, though COPY loaded rows into it")) << e;
  EXPECT_EQ("DROP TABLE", Exec("DROP TABLE airports"));
  ASSERT_EQ("CREATE TABLE", Exec(kAirports));
  auto q = engine_->Query("SELECT count(*) FROM airports");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(0, q->rows.at(0).at(0).as_int());
}

}  // namespace
}  // namespace laminar::engine
