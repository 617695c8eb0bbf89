#include "ingest/event_parser.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <random>

#include "common/time_util.h"

namespace laminar::ingest {
namespace {

StreamSchema Schema() {
  StreamSchema s;
  s.name = "pageviews";
  s.columns = {{"ts", Type::kTimestamp, true},     {"user_id", Type::kText, false},
               {"status", Type::kInt64, false},    {"latency_ms", Type::kDouble, false},
               {"ok", Type::kBool, false}};
  s.event_time_index = 0;
  return s;
}

constexpr const char* kTs = "\"ts\":\"2024-01-08T10:00:00Z\"";

// A good record with extra fields appended: Rec(R"("status":1)").
std::string Rec(const std::string& fields = "") {
  return std::string("{") + kTs + (fields.empty() ? "" : "," + fields) + "}";
}

class ParserTest : public ::testing::Test {
 protected:
  ParseResult Parse(std::string_view body, BodyFormat format = BodyFormat::kNdjson) {
    auto r = ParseEvents(Schema(), body, format, limits_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return ParseResult{};
    return std::move(r).value();
  }
  // The reason of the only error for a one-record body ("" when it was accepted).
  std::string Reason(std::string_view body) {
    ParseResult r = Parse(body);
    EXPECT_EQ(r.records, 1u);
    if (r.errors.empty()) return "";
    EXPECT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.rows.num_rows(), 0u);
    return r.errors[0].reason;
  }
  // The value parsed for one field of a one-record body.
  Value Field(std::string_view body, size_t column) {
    ParseResult r = Parse(body);
    EXPECT_TRUE(r.errors.empty()) << r.errors[0].reason;
    EXPECT_EQ(r.rows.num_rows(), 1u);
    if (r.rows.num_rows() != 1) return Value::Null();
    return r.rows.column(column).Get(0);
  }
  Value Ts(std::string_view json_value) {
    return Field("{\"ts\":" + std::string(json_value) + "}", 0);
  }
  std::string TsReason(std::string_view json_value) { return Reason("{\"ts\":" + std::string(json_value) + "}"); }

  Limits limits_;
};

TEST_F(ParserTest, GoodRecordBecomesARow) {
  ParseResult r = Parse(Rec(R"("user_id":"u1","status":200,"latency_ms":12.5,"ok":true)"));
  ASSERT_EQ(r.rows.num_rows(), 1u);
  EXPECT_EQ(r.records, 1u);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.row_index, std::vector<size_t>{0});
  auto row = r.rows.GetRow(0);
  EXPECT_EQ(row[0].as_int(), *ParseTimestamp("2024-01-08T10:00:00Z"));
  EXPECT_EQ(row[1].as_text(), "u1");
  EXPECT_EQ(row[2].as_int(), 200);
  EXPECT_EQ(row[3].as_double(), 12.5);
  EXPECT_TRUE(row[4].as_bool());
}

TEST_F(ParserTest, FieldOrderDoesNotMatter) {
  Value v = Field(R"({"ok":false,"status":3,"ts":0,"user_id":"x"})", 2);
  EXPECT_EQ(v.as_int(), 3);
}

TEST_F(ParserTest, MissingAndNullFieldsAreNull) {
  ParseResult r = Parse(Rec(R"("user_id":null)"));
  ASSERT_EQ(r.rows.num_rows(), 1u);
  for (size_t c = 1; c < 5; c++) EXPECT_TRUE(r.rows.column(c).is_null(0)) << c;
}

TEST_F(ParserTest, NotNullColumnMustHaveAValue) {
  EXPECT_EQ(Reason(R"({"user_id":"u"})"), R"(field "ts": missing value for NOT NULL column)");
  EXPECT_EQ(Reason(R"({"ts":null})"), R"(field "ts": missing value for NOT NULL column)");
  ParseResult r = Parse(R"({"user_id":"u"})");
  EXPECT_EQ(r.errors[0].field, "ts");
  EXPECT_EQ(r.errors[0].index, 0u);
  EXPECT_EQ(r.errors[0].raw, R"({"user_id":"u"})");
}

TEST_F(ParserTest, WrongTypesNameFieldAndValue) {
  EXPECT_EQ(Reason(Rec(R"("latency_ms":"abc")")), R"(field "latency_ms": expected double precision, got string "abc")");
  EXPECT_EQ(Reason(Rec(R"("status":"200")")), R"(field "status": expected bigint, got string "200")");
  EXPECT_EQ(Reason(Rec(R"("ok":1)")), R"(field "ok": expected boolean, got number 1)");
  EXPECT_EQ(Reason(Rec(R"("user_id":5)")), R"(field "user_id": expected text, got number 5)");
  EXPECT_EQ(Reason(Rec(R"("user_id":true)")), R"(field "user_id": expected text, got boolean true)");
  EXPECT_EQ(Reason(Rec(R"("ok":"true")")), R"(field "ok": expected boolean, got string "true")");
}

TEST_F(ParserTest, BigintMustBeAnIntegerInRange) {
  EXPECT_EQ(Reason(Rec(R"("status":1.5)")), R"(field "status": expected bigint, got number 1.5)");
  EXPECT_EQ(Reason(Rec(R"("status":1.0)")), R"(field "status": expected bigint, got number 1.0)");
  EXPECT_EQ(Reason(Rec(R"("status":1e2)")), R"(field "status": expected bigint, got number 1e2)");
  EXPECT_EQ(Reason(Rec(R"("status":9223372036854775808)")),
            R"(field "status": number 9223372036854775808 is out of range for bigint)");
  EXPECT_EQ(Reason(Rec(R"("status":-9223372036854775809)")),
            R"(field "status": number -9223372036854775809 is out of range for bigint)");
  EXPECT_EQ(Reason(Rec(R"("status":123456789012345678901234567890)")),
            R"(field "status": number 123456789012345678901234567890 is out of range for bigint)");
  EXPECT_EQ(Field(Rec(R"("status":9223372036854775807)"), 2).as_int(), INT64_MAX);
  EXPECT_EQ(Field(Rec(R"("status":-9223372036854775808)"), 2).as_int(), INT64_MIN);
  EXPECT_EQ(Field(Rec(R"("status":-0)"), 2).as_int(), 0);
}

TEST_F(ParserTest, DoubleAcceptsAnyJsonNumber) {
  EXPECT_EQ(Field(Rec(R"("latency_ms":3)"), 3).as_double(), 3.0);
  EXPECT_EQ(Field(Rec(R"("latency_ms":-2.5e-3)"), 3).as_double(), -2.5e-3);
  EXPECT_EQ(Field(Rec(R"("latency_ms":18446744073709551616)"), 3).as_double(), 18446744073709551616.0);
  EXPECT_EQ(Reason(Rec(R"("latency_ms":1e400)")),
            R"(field "latency_ms": number 1e400 is out of range for double precision)");
  EXPECT_EQ(Reason(Rec(R"("latency_ms":01)")).rfind("malformed JSON", 0), 0u);
  EXPECT_EQ(Reason(Rec(R"("latency_ms":NaN)")).rfind("malformed JSON", 0), 0u);
}

TEST_F(ParserTest, TimestampStrings) {
  EXPECT_EQ(Ts(R"("2024-01-08T10:00:00.123Z")").as_int(), *ParseTimestamp("2024-01-08T10:00:00.123Z"));
  EXPECT_EQ(Ts(R"("2024-01-08 12:00:00+02:00")").as_int(), *ParseTimestamp("2024-01-08T10:00:00Z"));
  EXPECT_EQ(Ts(R"("2024-01-08")").as_int(), *ParseTimestamp("2024-01-08T00:00:00Z"));
  EXPECT_EQ(TsReason(R"("yesterday")"), R"(field "ts": invalid timestamp "yesterday")");
  EXPECT_EQ(TsReason(R"("2024-02-30T00:00:00Z")"), R"(field "ts": invalid timestamp "2024-02-30T00:00:00Z")");
  EXPECT_EQ(TsReason("true"), R"(field "ts": expected timestamptz (ISO-8601 string or epoch number), got boolean true)");
}

TEST_F(ParserTest, TimestampEpochSecondsAndMillis) {
  EXPECT_EQ(Ts("1700000000").as_int(), 1'700'000'000 * kMicrosPerSecond);
  EXPECT_EQ(Ts("1700000000123").as_int(), 1'700'000'000'123'000);
  EXPECT_EQ(Ts("1700000000.5").as_int(), 1'700'000'000'500'000);
  EXPECT_EQ(Ts("1700000000123.5").as_int(), 1'700'000'000'123'500);
  EXPECT_EQ(Ts("0").as_int(), 0);
  EXPECT_EQ(Ts("-86400").as_int(), -kMicrosPerDay);
  EXPECT_EQ(Ts("99999999999").as_int(), 99'999'999'999 * kMicrosPerSecond);  // last value read as seconds
  EXPECT_EQ(Ts("100000000000").as_int(), 100'000'000'000'000);               // first read as millis
  EXPECT_EQ(TsReason("1e20"), R"(field "ts": timestamp 1e20 is out of range (years 0001..9999))");
  EXPECT_EQ(TsReason("9223372036854775807"),
            R"(field "ts": timestamp 9223372036854775807 is out of range (years 0001..9999))");
  EXPECT_EQ(TsReason("99999999999999999999"),
            R"(field "ts": timestamp 99999999999999999999 is out of range (years 0001..9999))");
}

TEST_F(ParserTest, UnknownFieldIsAnErrorUnlessIgnored) {
  EXPECT_EQ(Reason(Rec(R"("colour":"red")")), R"(field "colour": unknown field (not a column of stream pageviews))");
  ParseResult r = Parse(Rec(R"("colour":"red")"));
  EXPECT_EQ(r.errors[0].field, "colour");
  limits_.ignore_unknown_fields = true;
  EXPECT_EQ(Reason(Rec(R"("colour":"red","extra":{"a":[1,2]})")), "");
}

TEST_F(ParserTest, NestedValuesAreErrorsNamingTheField) {
  EXPECT_EQ(Reason(Rec(R"("user_id":{"id":1})")), R"(field "user_id": nested object is not allowed (expected text))");
  EXPECT_EQ(Reason(Rec(R"("status":[1,2])")), R"(field "status": nested array is not allowed (expected bigint))");
}

TEST_F(ParserTest, DeepNestingIsRejectedFirst) {
  std::string deep = std::string(40, '[') + std::string(40, ']');
  // The depth error wins over the earlier type error.
  std::string body = std::string("{\"status\":\"x\",\"deep\":") + deep + "}";
  EXPECT_EQ(Reason(body), "nesting deeper than 32 levels");
  limits_.ignore_unknown_fields = true;
  EXPECT_EQ(Reason(Rec("\"deep\":" + deep)), "nesting deeper than 32 levels");
  // 31 levels inside the record object are within the limit (ignored unknown field).
  EXPECT_EQ(Reason(Rec("\"deep\":" + std::string(31, '[') + std::string(31, ']'))), "");
  // Brackets inside strings do not count.
  EXPECT_EQ(Reason(Rec("\"user_id\":\"" + std::string(100, '{') + "\"")), "");
  // Very deep input never reaches the JSON parser.
  std::string abyss = "{\"a\":" + std::string(100000, '[') + "}";
  EXPECT_EQ(Reason(abyss), "nesting deeper than 32 levels");
}

TEST_F(ParserTest, TextLimit) {
  limits_.max_text_bytes = 10;
  EXPECT_EQ(Reason(Rec(R"("user_id":"0123456789")")), "");
  EXPECT_EQ(Reason(Rec(R"("user_id":"0123456789a")")), R"(field "user_id": text is 11 bytes, more than the limit of 10)");
}

TEST_F(ParserTest, HugeStringWithinDefaultLimits) {
  std::string big(60000, 'x');
  EXPECT_EQ(Field(Rec("\"user_id\":\"" + big + "\""), 1).as_text(), big);
  std::string huge(70000, 'y');
  EXPECT_EQ(Reason(Rec("\"user_id\":\"" + huge + "\"")),
            R"(field "user_id": text is 70000 bytes, more than the limit of 65536)");
}

TEST_F(ParserTest, RecordLimitAndRawTruncation) {
  limits_.max_record_bytes = 100;
  std::string rec = Rec("\"user_id\":\"" + std::string(200, 'z') + "\"");
  EXPECT_EQ(Reason(rec), fmt::format("record is {} bytes, more than the limit of 100", rec.size()));
  limits_ = Limits{};
  std::string long_bad = "{\"bad\":\"" + std::string(10000, 'q') + "\"}";
  ParseResult r = Parse(long_bad);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].raw.size(), 4096u);
  EXPECT_EQ(r.errors[0].raw, long_bad.substr(0, 4096));
}

TEST_F(ParserTest, StringEscapesAndUnicode) {
  EXPECT_EQ(Field(Rec(R"("user_id":"a\"b\\c\n\u00e9\ud83d\ude00")"), 1).as_text(), "a\"b\\c\né😀");
  EXPECT_EQ(Field(Rec(R"("user_id":"naïve ✓")"), 1).as_text(), "naïve ✓");
  EXPECT_EQ(Field(R"({"t\u0073":0,"user_id":"k"})", 1).as_text(), "k");  // escaped key
  EXPECT_EQ(Reason(Rec(R"("user_id":"\ud800")")).rfind("malformed JSON", 0), 0u);
}

TEST_F(ParserTest, InvalidUtf8RejectsOnlyThatRecord) {
  std::string body = Rec(R"("user_id":"a")") + "\n" + Rec("\"user_id\":\"\xff\xfe\"") + "\n" + Rec(R"("user_id":"c")");
  ParseResult r = Parse(body);
  EXPECT_EQ(r.records, 3u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].index, 1u);
  EXPECT_EQ(r.errors[0].reason, "invalid UTF-8");
  EXPECT_EQ(r.errors[0].field, "");
  EXPECT_EQ(r.row_index, (std::vector<size_t>{0, 2}));
  // Overlong encodings are invalid too.
  EXPECT_EQ(Reason(Rec("\"user_id\":\"\xc0\xaf\"")), "invalid UTF-8");
  // NUL is valid UTF-8 but no text value may hold it (PostgreSQL refuses it).
  EXPECT_EQ(Reason(Rec(R"("user_id":"a\u0000b")")),
            "field \"user_id\": text contains the NUL character (\\u0000), which text values may not hold");
}

TEST_F(ParserTest, MalformedLineInTheMiddleKeepsItsNeighbours) {
  std::string body = Rec(R"("status":1)") + "\n{\"ts\":\n" + Rec(R"("status":3)") + "\n";
  ParseResult r = Parse(body);
  EXPECT_EQ(r.records, 3u);
  ASSERT_EQ(r.rows.num_rows(), 2u);
  EXPECT_EQ(r.rows.column(2).Get(0).as_int(), 1);
  EXPECT_EQ(r.rows.column(2).Get(1).as_int(), 3);
  EXPECT_EQ(r.row_index, (std::vector<size_t>{0, 2}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].index, 1u);
  EXPECT_EQ(r.errors[0].raw, "{\"ts\":");
  EXPECT_EQ(r.errors[0].reason.rfind("malformed JSON", 0), 0u) << r.errors[0].reason;
}

TEST_F(ParserTest, MalformedJsonCatalogue) {
  for (std::string bad : {R"({"ts":0,})", R"({"ts" 0})", R"({"ts":0)", R"({"ts":tru})", R"({"ts":0,"ok":nul})",
                          R"({"ts":"abc)", R"({ts:0})", R"({"ts":0} {"ts":1})", R"({"ts":0}])"}) {
    std::string reason = Reason(bad);
    EXPECT_EQ(reason.rfind("malformed JSON", 0), 0u) << bad << " → " << reason;
  }
}

TEST_F(ParserTest, RecordMustBeAnObject) {
  for (std::string bad : {"[1,2]", "42", "\"text\"", "null", "true"}) {
    EXPECT_EQ(Reason(bad).rfind("record is not a JSON object", 0), 0u) << bad;
  }
}

TEST_F(ParserTest, DuplicateFieldIsAnError) {
  EXPECT_EQ(Reason(Rec(R"("status":1,"status":2)")), R"(field "status": duplicate field)");
}

TEST_F(ParserTest, BlankLinesAreSkippedAndNotCounted) {
  std::string body = "\n  \n" + Rec(R"("status":1)") + "\r\n\t\r\n" + R"({"status":"x","ts":0})" + "\r\n\n";
  ParseResult r = Parse(body);
  EXPECT_EQ(r.records, 2u);
  EXPECT_EQ(r.rows.num_rows(), 1u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].index, 1u);
  EXPECT_EQ(r.errors[0].raw, R"({"status":"x","ts":0})");  // without the \r
}

TEST_F(ParserTest, EmptyBodyIsARequestError) {
  for (std::string body : {"", "   \n\n\r\n", "\xEF\xBB\xBF"}) {
    auto r = ParseEvents(Schema(), body, BodyFormat::kNdjson, limits_);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), "empty body");
  }
  EXPECT_EQ(ParseEvents(Schema(), "", BodyFormat::kJsonArray, limits_).status().message(), "empty body");
}

TEST_F(ParserTest, TooManyEventsIsARequestError) {
  limits_.max_events_per_request = 2;
  std::string three = Rec() + "\n" + Rec() + "\n" + Rec() + "\n";
  auto r = ParseEvents(Schema(), three, BodyFormat::kNdjson, limits_);
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(ParseEvents(Schema(), Rec() + "\n\n" + Rec() + "\n\n", BodyFormat::kNdjson, limits_).ok());
  auto a = ParseEvents(Schema(), "[" + Rec() + "," + Rec() + "," + Rec() + "]", BodyFormat::kJsonArray, limits_);
  EXPECT_EQ(a.status().code(), StatusCode::kResourceExhausted);
}

TEST_F(ParserTest, JsonArrayBody) {
  std::string body = " [ " + Rec(R"("status":1)") + " ,\n 7, " + R"({"ts":"never"})" + ", " + Rec(R"("user_id":"]},[{\"")") +
                     ", {\"ts\":} ]\n";
  ParseResult r = Parse(body, BodyFormat::kJsonArray);
  EXPECT_EQ(r.records, 5u);
  EXPECT_EQ(r.row_index, (std::vector<size_t>{0, 3}));
  EXPECT_EQ(r.rows.column(1).Get(1).as_text(), "]},[{\"");
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].index, 1u);
  EXPECT_EQ(r.errors[0].reason, "record is not a JSON object (got number)");
  EXPECT_EQ(r.errors[0].raw, "7");
  EXPECT_EQ(r.errors[1].index, 2u);
  EXPECT_EQ(r.errors[1].reason, R"(field "ts": invalid timestamp "never")");
  EXPECT_EQ(r.errors[2].index, 4u);
  EXPECT_EQ(r.errors[2].reason.rfind("malformed JSON", 0), 0u);
  EXPECT_EQ(Parse("[]", BodyFormat::kJsonArray).records, 0u);
  EXPECT_EQ(Parse("\xEF\xBB\xBF[ ]", BodyFormat::kJsonArray).records, 0u);
}

TEST_F(ParserTest, MalformedJsonArrayIsARequestError) {
  for (std::string bad : std::vector<std::string>{"[" + Rec(), "[" + Rec() + ",]", "[" + Rec() + " " + Rec() + "]", "[," + Rec() + "]",
                          "[" + Rec() + "] x", "{\"ts\":0}", "[" + Rec() + "}]", "[\"unterminated]",
                                                  "[1 2]", "[\"a\" \"b\"]", "[{} x]", "[[] {}]"}) {
    auto r = ParseEvents(Schema(), bad, BodyFormat::kJsonArray, limits_);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(r.status().message().rfind("malformed JSON array", 0), 0u) << r.status().message();
  }
}

TEST_F(ParserTest, JsonArrayOfScalarsGivesPerRecordErrors) {
  ParseResult r = Parse(R"([ 1 , "x" ,null, [ ] ])", BodyFormat::kJsonArray);
  EXPECT_EQ(r.records, 4u);
  ASSERT_EQ(r.errors.size(), 4u);
  EXPECT_EQ(r.errors[1].raw, R"("x")");
  EXPECT_EQ(r.errors[3].raw, "[ ]");
}

// Hostile bodies: random mutations of a valid body never crash, and every record ends up either
// as a row or as an error.
TEST_F(ParserTest, MutatedBodiesNeverCrash) {
  std::string body;
  for (int i = 0; i < 20; i++) {
    body += fmt::format(R"({{"ts":"2024-01-08T10:00:{:02d}Z","user_id":"u\u00e9{}","status":{},"latency_ms":{}.5,"ok":{}}})",
                        i, i, i, i, i % 2 ? "true" : "false");
    body += i % 5 == 4 ? "\r\n" : "\n";
  }
  std::mt19937_64 rng(1);
  const char kAlphabet[] = "{}[]\",:\\ \n0123456789.eE-+tfnul\xff\xc3\x80";
  for (int iter = 0; iter < 3000; iter++) {
    std::string bad = body;
    int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits; e++) {
      size_t at = rng() % bad.size();
      switch (rng() % 3) {
        case 0: bad[at] = kAlphabet[rng() % (sizeof kAlphabet - 1)]; break;
        case 1: bad.erase(at, 1 + rng() % 8); break;
        default: bad.insert(at, 1, kAlphabet[rng() % (sizeof kAlphabet - 1)]); break;
      }
      if (bad.empty()) bad = "x";
    }
    for (BodyFormat f : {BodyFormat::kNdjson, BodyFormat::kJsonArray}) {
      std::string input = f == BodyFormat::kJsonArray ? "[" + bad + "]" : bad;
      auto r = ParseEvents(Schema(), input, f, limits_);
      if (!r.ok()) continue;
      EXPECT_EQ(r->records, r->rows.num_rows() + r->errors.size());
      EXPECT_EQ(r->row_index.size(), r->rows.num_rows());
      for (size_t k = 1; k < r->row_index.size(); k++) EXPECT_LT(r->row_index[k - 1], r->row_index[k]);
      for (size_t k = 0; k < r->rows.num_rows(); k++) (void)r->rows.GetRow(k);
      std::string enc = r->rows.Encode();
      EXPECT_TRUE(RowBatch::Decode(enc, Schema()).ok());
    }
  }
}

TEST_F(ParserTest, WideSchemaLooksUpByName) {
  StreamSchema s;
  s.name = "wide";
  for (int i = 0; i < 20; i++) s.columns.push_back({fmt::format("c{}", i), Type::kInt64, false});
  std::string body = R"({"c19":19,"c3":3,"c0":0})" "\n" R"({"c20":1})";
  auto r = ParseEvents(s, body, BodyFormat::kNdjson, limits_);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.num_rows(), 1u);
  EXPECT_EQ(r->rows.column(19).Get(0).as_int(), 19);
  EXPECT_EQ(r->rows.column(3).Get(0).as_int(), 3);
  EXPECT_TRUE(r->rows.column(4).is_null(0));
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].field, "c20");
}

TEST_F(ParserTest, ManyRecordsWithErrorsSprinkled) {
  std::string body;
  for (int i = 0; i < 1000; i++) {
    if (i % 7 == 3) {
      body += R"({"ts":"bad"})";
    } else {
      body += fmt::format(R"({{"ts":{},"user_id":"user-{}","status":{}}})", 1700000000 + i, i, i);
    }
    body += "\n";
  }
  ParseResult r = Parse(body);
  EXPECT_EQ(r.records, 1000u);
  EXPECT_EQ(r.errors.size() + r.rows.num_rows(), 1000u);
  for (size_t k = 0; k < r.rows.num_rows(); k++) {
    size_t i = r.row_index[k];
    EXPECT_NE(i % 7, 3u);
    EXPECT_EQ(r.rows.column(2).Get(k).as_int(), static_cast<int64_t>(i));
    EXPECT_EQ(r.rows.column(1).Get(k).as_text(), fmt::format("user-{}", i));
  }
  for (const RecordError& e : r.errors) EXPECT_EQ(e.index % 7, 3u);
}

TEST(DetectFormatTest, ByContentTypeAndFirstCharacter) {
  EXPECT_EQ(*DetectFormat("application/json", " [ {} ]"), BodyFormat::kJsonArray);
  EXPECT_EQ(*DetectFormat("Application/JSON; charset=utf-8", "[]"), BodyFormat::kJsonArray);
  EXPECT_EQ(*DetectFormat("application/json", "{}\n{}"), BodyFormat::kNdjson);
  EXPECT_EQ(*DetectFormat("application/x-ndjson", "[]"), BodyFormat::kNdjson);
  EXPECT_EQ(*DetectFormat("application/jsonl", "{}"), BodyFormat::kNdjson);
  EXPECT_EQ(*DetectFormat("text/plain", "{}"), BodyFormat::kNdjson);
  EXPECT_EQ(*DetectFormat("", "[{}]"), BodyFormat::kJsonArray);
  auto bad = DetectFormat("application/xml", "<a/>");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("application/xml"), std::string::npos);
}

// --- Decompress ---

std::string Gzip(std::string_view data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// gzip of `n` zero bytes, compressed in chunks so the test never holds the expanded data.
std::string GzipZeros(size_t n) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string zeros(1 << 20, '\0'), out;
  char buf[1 << 16];
  size_t done = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (zs.avail_in == 0 && done < n) {
      size_t k = std::min(zeros.size(), n - done);
      zs.next_in = reinterpret_cast<Bytef*>(zeros.data());
      zs.avail_in = static_cast<uInt>(k);
      done += k;
    }
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = deflate(&zs, done == n ? Z_FINISH : Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  deflateEnd(&zs);
  return out;
}

std::string Zstd(std::string_view data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string ZstdZeros(size_t n) {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  std::string zeros(1 << 20, '\0'), out;
  std::string buf(ZSTD_CStreamOutSize(), '\0');
  for (size_t done = 0; done < n;) {
    size_t k = std::min(zeros.size(), n - done);
    done += k;
    ZSTD_EndDirective mode = done == n ? ZSTD_e_end : ZSTD_e_continue;
    ZSTD_inBuffer in{zeros.data(), k, 0};
    size_t rem;
    do {
      ZSTD_outBuffer o{buf.data(), buf.size(), 0};
      rem = ZSTD_compressStream2(c, &o, &in, mode);
      EXPECT_FALSE(ZSTD_isError(rem));
      out.append(buf.data(), o.pos);
    } while (mode == ZSTD_e_end ? rem != 0 : in.pos < in.size);
  }
  ZSTD_freeCCtx(c);
  return out;
}

std::string Text(size_t n) {
  std::string s;
  for (size_t i = 0; s.size() < n; i++) s += fmt::format("{{\"ts\":{},\"user_id\":\"u{}\"}}\n", i, i % 97);
  s.resize(n);
  return s;
}

TEST(DecompressTest, IdentityAndLimits) {
  EXPECT_EQ(*Decompress("", "abc", 10), "abc");
  EXPECT_EQ(*Decompress("identity", "abc", 3), "abc");
  EXPECT_EQ(Decompress("identity", "abcd", 3).status().code(), StatusCode::kResourceExhausted);
  auto bad = Decompress("br", "abc", 10);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("br"), std::string::npos);
}

TEST(DecompressTest, GzipRoundTrip) {
  std::string text = Text(300000);
  EXPECT_EQ(*Decompress("gzip", Gzip(text), 1 << 20), text);
  EXPECT_EQ(*Decompress(" GZIP ", Gzip("x"), 1), "x");
  EXPECT_EQ(*Decompress("gzip", Gzip(""), 0), "");
  // Concatenated members are one stream.
  EXPECT_EQ(*Decompress("gzip", Gzip("ab") + Gzip("cd"), 100), "abcd");
  // Exactly at the limit passes, one byte over fails.
  EXPECT_EQ(Decompress("gzip", Gzip(text), text.size())->size(), text.size());
  EXPECT_EQ(Decompress("gzip", Gzip(text), text.size() - 1).status().code(), StatusCode::kResourceExhausted);
}

TEST(DecompressTest, ZstdRoundTrip) {
  std::string text = Text(300000);
  EXPECT_EQ(*Decompress("zstd", Zstd(text), 1 << 20), text);
  EXPECT_EQ(*Decompress("zstd", Zstd("ab") + Zstd("cd"), 100), "abcd");
  EXPECT_EQ(Decompress("zstd", Zstd(text), text.size())->size(), text.size());
  EXPECT_EQ(Decompress("zstd", Zstd(text), text.size() - 1).status().code(), StatusCode::kResourceExhausted);
}

TEST(DecompressTest, CorruptOrTruncatedDataIsInvalidArgument) {
  std::string text = Text(10000);
  std::string gz = Gzip(text), zs = Zstd(text);
  for (size_t cut : {size_t{1}, size_t{5}, gz.size() / 2, gz.size() - 1}) {
    EXPECT_EQ(Decompress("gzip", gz.substr(0, cut), 1 << 20).status().code(), StatusCode::kInvalidArgument) << cut;
  }
  for (size_t cut : {size_t{1}, size_t{5}, zs.size() / 2, zs.size() - 1}) {
    EXPECT_EQ(Decompress("zstd", zs.substr(0, cut), 1 << 20).status().code(), StatusCode::kInvalidArgument) << cut;
  }
  EXPECT_EQ(Decompress("gzip", "not gzip at all", 1 << 20).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Decompress("zstd", "not zstd at all", 1 << 20).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Decompress("gzip", gz + "trailing junk", 1 << 20).status().code(), StatusCode::kInvalidArgument);
  std::string flipped = gz;
  flipped[flipped.size() / 2] ^= 0x55;
  auto r = Decompress("gzip", flipped, 1 << 20);  // a flipped bit fails the CRC or the stream
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST(DecompressTest, BombsStopAtTheLimit) {
  const size_t expanded = size_t{256} << 20;  // 256 MiB of zeros
  std::string gz = GzipZeros(expanded);
  std::string zs = ZstdZeros(expanded);
  EXPECT_LT(gz.size(), 1u << 20);
  EXPECT_LT(zs.size(), 1u << 20);
  auto g = Decompress("gzip", gz, 1 << 20);
  EXPECT_EQ(g.status().code(), StatusCode::kResourceExhausted);
  auto z = Decompress("zstd", zs, 1 << 20);
  EXPECT_EQ(z.status().code(), StatusCode::kResourceExhausted);
}

TEST(DecompressTest, CompressedBodiesParse) {
  std::string body = Rec(R"("status":1)") + "\n" + Rec(R"("status":2)") + "\n";
  for (auto [enc, data] : {std::pair<const char*, std::string>{"gzip", Gzip(body)}, {"zstd", Zstd(body)}}) {
    auto plain = Decompress(enc, data, Limits{}.max_body_bytes);
    ASSERT_TRUE(plain.ok()) << enc;
    auto r = ParseEvents(Schema(), *plain, BodyFormat::kNdjson, Limits{});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->rows.num_rows(), 2u) << enc;
  }
}

}  // namespace
}  // namespace laminar::ingest
