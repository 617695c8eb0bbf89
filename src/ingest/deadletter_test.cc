#include "ingest/deadletter.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <stdlib.h>

#include <filesystem>
#include <thread>

#include "common/file_util.h"
#include "common/time_util.h"

namespace laminar::ingest {
namespace {

class DeadLetterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/deadletter_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::string TodayFile(const std::string& dir, const std::string& stream) {
    int64_t y;
    unsigned m, d;
    CivilFromDays(NowMicros() / kMicrosPerDay, &y, &m, &d);
    return JoinPath(JoinPath(dir, stream), fmt::format("{:04d}-{:02d}-{:02d}.ndjson", y, m, d));
  }

  std::vector<std::string> Lines(const std::string& path) {
    auto data = ReadFile(path);
    EXPECT_TRUE(data.ok()) << data.status().ToString();
    std::vector<std::string> lines;
    size_t pos = 0;
    while (data.ok() && pos < data->size()) {
      size_t nl = data->find('\n', pos);
      EXPECT_NE(nl, std::string::npos) << "every line ends with a newline";
      if (nl == std::string::npos) break;
      lines.push_back(data->substr(pos, nl - pos));
      pos = nl + 1;
    }
    return lines;
  }

  std::string root_;
};

struct Line {
  std::string ts, stream, field, reason, raw;
  int64_t index = -1;
};

Line ParseLine(const std::string& line) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  Line out;
  auto err = parser.parse(line).get(doc);
  EXPECT_EQ(err, simdjson::SUCCESS) << line;
  if (err) return out;
  std::string_view s;
  if (!doc["ts"].get(s)) out.ts = s;
  if (!doc["stream"].get(s)) out.stream = s;
  if (!doc["field"].get(s)) out.field = s;
  if (!doc["reason"].get(s)) out.reason = s;
  if (!doc["raw"].get(s)) out.raw = s;
  int64_t i;
  if (!doc["index"].get(i)) out.index = i;
  return out;
}

TEST_F(DeadLetterTest, WritesOneJsonLinePerRejectedRecord) {
  std::string dir = JoinPath(root_, "data/deadletter");
  DeadLetter dl(dir);
  std::vector<RecordError> errors = {
      {3, "ts", R"(field "ts": invalid timestamp "yesterday")", R"({"ts":"yesterday"})"},
      {7, "", "malformed JSON: oops", "{\"a\":\n\t\"\\\x01"},
  };
  int64_t before = NowMicros();
  ASSERT_TRUE(dl.Write("pageviews", errors).ok());
  auto lines = Lines(TodayFile(dir, "pageviews"));
  ASSERT_EQ(lines.size(), 2u);
  Line a = ParseLine(lines[0]);
  EXPECT_EQ(a.stream, "pageviews");
  EXPECT_EQ(a.index, 3);
  EXPECT_EQ(a.field, "ts");
  EXPECT_EQ(a.reason, R"(field "ts": invalid timestamp "yesterday")");
  EXPECT_EQ(a.raw, R"({"ts":"yesterday"})");
  auto ts = ParseTimestamp(a.ts);
  ASSERT_TRUE(ts.has_value()) << a.ts;
  EXPECT_GE(*ts, before - kMicrosPerSecond);
  EXPECT_LE(*ts, NowMicros() + kMicrosPerSecond);
  Line b = ParseLine(lines[1]);
  EXPECT_EQ(b.index, 7);
  EXPECT_EQ(b.field, "");
  EXPECT_EQ(b.raw, "{\"a\":\n\t\"\\\x01");  // control characters survive the escaping
  EXPECT_EQ(lines[0].find(R"("ts":)"), 1u);  // documented key order
}

TEST_F(DeadLetterTest, AppendsAcrossWrites) {
  DeadLetter dl(root_);
  ASSERT_TRUE(dl.Write("s", {{0, "a", "r1", "{}"}}).ok());
  ASSERT_TRUE(dl.Write("s", {{1, "b", "r2", "{}"}}).ok());
  auto lines = Lines(TodayFile(root_, "s"));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(ParseLine(lines[1]).reason, "r2");
}

TEST_F(DeadLetterTest, InvalidUtf8InRawBecomesReplacementCharacters) {
  DeadLetter dl(root_);
  ASSERT_TRUE(dl.Write("s", {{0, "", "invalid UTF-8", "{\"u\":\"\xff\xc3\"} é"}}).ok());
  auto lines = Lines(TodayFile(root_, "s"));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(ParseLine(lines[0]).raw, "{\"u\":\"\xEF\xBF\xBD\xEF\xBF\xBD\"} é");
}

TEST_F(DeadLetterTest, NothingToWriteCreatesNothing) {
  DeadLetter dl(JoinPath(root_, "dl"));
  ASSERT_TRUE(dl.Write("s", {}).ok());
  EXPECT_FALSE(std::filesystem::exists(JoinPath(root_, "dl")));
}

TEST_F(DeadLetterTest, RejectsStreamNamesThatEscapeTheDirectory) {
  DeadLetter dl(root_);
  EXPECT_EQ(dl.Write("../x", {{0, "", "r", ""}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dl.Write("..", {{0, "", "r", ""}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dl.Write("", {{0, "", "r", ""}}).code(), StatusCode::kInvalidArgument);
}

TEST_F(DeadLetterTest, ConcurrentWritersDoNotInterleaveLines) {
  DeadLetter dl(root_);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([&dl, t] {
      for (int i = 0; i < 20; i++) {
        std::vector<RecordError> errs(3, RecordError{static_cast<size_t>(i), "f", fmt::format("t{}", t),
                                                     std::string(500, 'x')});
        ASSERT_TRUE(dl.Write("s", errs).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  auto lines = Lines(TodayFile(root_, "s"));
  ASSERT_EQ(lines.size(), 4u * 20 * 3);
  for (const auto& l : lines) EXPECT_EQ(ParseLine(l).raw.size(), 500u);
}

}  // namespace
}  // namespace laminar::ingest
