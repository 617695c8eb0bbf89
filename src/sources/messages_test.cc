// DecodeMessages (messages.h): JSON and CSV messages to rows, each bad message an error with its
// own index, pretty-printed JSON, empty messages.
#include "sources/messages.h"

#include <gtest/gtest.h>

namespace laminar::sources {
namespace {

ingest::StreamSchema Schema() {
  ingest::StreamSchema s;
  s.name = "ev";
  s.columns = {{"ts", Type::kTimestamp, true}, {"k", Type::kInt64, true}, {"name", Type::kText, false}};
  s.event_time_index = 0;
  return s;
}

TEST(DecodeMessages, JsonMessagesWithBadOnesBetween) {
  std::vector<std::string_view> values = {
      R"({"ts":"2024-01-01T00:00:00Z","k":1,"name":"a"})",
      "not json",
      "{\n  \"ts\": \"2024-01-01T00:00:01Z\",\n  \"k\": 2\n}",  // pretty-printed: one event
      "",
      R"({"ts":"2024-01-01T00:00:02Z","k":"x"})",
      R"({"ts":"2024-01-01T00:00:03Z","k":4})"};
  ingest::ParseResult r = DecodeMessages(Schema(), MessageFormat::kJson, values, ingest::Limits{});
  ASSERT_EQ(r.rows.num_rows(), 3u);
  EXPECT_EQ(r.row_index, (std::vector<size_t>{0, 2, 5}));
  EXPECT_EQ(r.rows.column(1).Get(1), Value::Int(2));
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].index, 1u);
  EXPECT_EQ(r.errors[1].index, 3u);
  EXPECT_EQ(r.errors[1].reason, "empty message");
  EXPECT_EQ(r.errors[2].index, 4u);
  EXPECT_EQ(r.errors[2].field, "k");
  EXPECT_EQ(r.records, 6u);
}

TEST(DecodeMessages, CsvMessagesOneRecordEach) {
  std::vector<std::string_view> values = {"2024-01-01T00:00:00Z,1,a\n", "2024-01-01T00:00:01Z,2,",
                                          "2024-01-01T00:00:02Z,x,b", "2024-01-01T00:00:03Z,4",
                                          "2024-01-01T00:00:04Z,5,\"multi\nline\"", "a,1,b\nc,2,d",
                                          "2024-01-01T00:00:05Z,,z"};
  ingest::ParseResult r = DecodeMessages(Schema(), MessageFormat::kCsv, values, ingest::Limits{});
  ASSERT_EQ(r.rows.num_rows(), 3u);
  EXPECT_EQ(r.row_index, (std::vector<size_t>{0, 1, 4}));
  EXPECT_TRUE(r.rows.column(2).is_null(1));
  EXPECT_EQ(r.rows.column(2).Get(2), Value::Text("multi\nline"));
  ASSERT_EQ(r.errors.size(), 4u);
  EXPECT_EQ(r.errors[0].index, 2u);
  EXPECT_EQ(r.errors[0].field, "k");
  EXPECT_EQ(r.errors[1].index, 3u);
  EXPECT_NE(r.errors[1].reason.find("expected 3 fields"), std::string::npos);
  EXPECT_EQ(r.errors[2].index, 5u);
  EXPECT_EQ(r.errors[3].index, 6u);
  EXPECT_EQ(r.errors[3].reason, "missing value for NOT NULL column");
}

}  // namespace
}  // namespace laminar::sources
