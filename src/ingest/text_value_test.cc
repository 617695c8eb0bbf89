#include "ingest/text_value.h"

#include <gtest/gtest.h>

#include "common/time_util.h"
#include "ingest/event_parser.h"

namespace laminar::ingest {
namespace {

std::string Show(std::string_view text, Type t) {
  auto v = ParseTextValue(text, t);
  if (!v.ok()) return "ERROR: " + v.status().message();
  return v->ToString();
}

TEST(TextValue, Rules) {
  EXPECT_EQ("42", Show(" 42\t", Type::kInt64));
  EXPECT_EQ("-7", Show("-7", Type::kInt64));
  EXPECT_EQ("7", Show("+7", Type::kInt64));
  EXPECT_EQ("ERROR: invalid bigint \"1.5\"", Show("1.5", Type::kInt64));
  EXPECT_EQ("ERROR: invalid bigint \"1e3\"", Show("1e3", Type::kInt64));
  EXPECT_EQ("ERROR: \"99999999999999999999\" is out of range for bigint", Show("99999999999999999999", Type::kInt64));
  EXPECT_EQ("1.5", Show(" 1.5 ", Type::kDouble));
  EXPECT_EQ("1000", Show("1e3", Type::kDouble));
  EXPECT_EQ("ERROR: invalid number \"abc\"", Show("abc", Type::kDouble));
  EXPECT_TRUE(Show("NaN", Type::kDouble).rfind("ERROR", 0) == 0);
  EXPECT_TRUE(Show("inf", Type::kDouble).rfind("ERROR", 0) == 0);
  for (const char* t : {"true", "T", "yes", "Y", "on", "1"}) EXPECT_EQ("true", Show(t, Type::kBool)) << t;
  for (const char* f : {"false", "f", "NO", "n", "off", "0"}) EXPECT_EQ("false", Show(f, Type::kBool)) << f;
  EXPECT_EQ("ERROR: invalid boolean \"tru\" (true/false, t/f, yes/no, 1/0)", Show("tru", Type::kBool));
  EXPECT_EQ(" a b ", Show(" a b ", Type::kText));  // text is not trimmed
  EXPECT_EQ("ERROR: invalid UTF-8", Show("\xff", Type::kText));
  EXPECT_EQ("ERROR: text contains the NUL character (\\u0000), which text values may not hold",
            Show(std::string_view("a\0b", 3), Type::kText));
  EXPECT_EQ("2024-01-02T03:04:05Z", Show("2024-01-02T03:04:05Z", Type::kTimestamp));
  EXPECT_EQ("2024-01-02T01:04:05Z", Show(" 2024-01-02 03:04:05+02:00 ", Type::kTimestamp));
  EXPECT_EQ("2024-01-01T00:00:00Z", Show("2024-01-01", Type::kTimestamp));
  EXPECT_EQ("2024-01-01T00:00:00Z", Show("1704067200", Type::kTimestamp));        // seconds
  EXPECT_EQ("2024-01-01T00:00:00Z", Show("1704067200000", Type::kTimestamp));     // milliseconds
  EXPECT_EQ("2024-01-01T00:00:00.5Z", Show("1704067200.5", Type::kTimestamp));
  EXPECT_EQ("ERROR: invalid timestamp \"yesterday\"", Show("yesterday", Type::kTimestamp));
  EXPECT_TRUE(Show("99999999999999999", Type::kTimestamp).find("out of range") != std::string::npos);
}

// A CSV field of a timestamptz column goes through `laminar ingest` as a JSON number when it is
// an epoch number, else as a JSON string, and the event parser reads it: ParseTextValue must give
// the same microseconds (or fail on the same inputs).
TEST(TextValue, TimestampsMatchTheEventParser) {
  StreamSchema schema;
  schema.name = "s";
  schema.columns = {{"ts", Type::kTimestamp, true}};
  schema.event_time_index = 0;
  for (const char* text : {"0", "1", "-1", "1704067200", "99999999999", "100000000000", "1704067200123",
                           "-62135596800", "-62135596801", "253402300799", "1704067200.25", "1.5e9", "1e11",
                           "2024-05-01T00:00:00Z", "2024-05-01", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                           "9223372036854775807", "1e300", "x"}) {
    std::string t = text;
    auto mine = ParseTextValue(t, Type::kTimestamp);
    bool numeric = LooksNumeric(t) && (ParseInt64Text(t).ok() || ParseDoubleText(t).ok());
    std::string json;
    if (numeric) {
      auto i = ParseInt64Text(t);
      json = i.ok() ? std::to_string(*i) : fmt::format("{}", *ParseDoubleText(t));
    } else {
      json = "\"" + t + "\"";
    }
    auto parsed = ParseEvents(schema, "{\"ts\":" + json + "}\n", BodyFormat::kNdjson, Limits{});
    ASSERT_TRUE(parsed.ok()) << text;
    bool theirs_ok = parsed->rows.num_rows() == 1;
    EXPECT_EQ(theirs_ok, mine.ok()) << text << ": " << (mine.ok() ? "" : mine.status().message());
    if (theirs_ok && mine.ok()) EXPECT_EQ(parsed->rows.column(0).ints[0], mine->as_int()) << text;
  }
}

}  // namespace
}  // namespace laminar::ingest
