#include "app/gen.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "common/time_util.h"
#include "ingest/event_parser.h"

namespace laminar::app {
namespace {

using ingest::BodyFormat;
using ingest::ColumnDef;
using ingest::ParseResult;
using ingest::StreamSchema;

// The schema kPageviewsDdl describes, built by hand.
StreamSchema PageviewsSchema() {
  StreamSchema s;
  s.name = "pageviews";
  s.columns = {
      {"ts", Type::kTimestamp, true}, {"user_id", Type::kText, false},  {"session_id", Type::kText, false},
      {"url", Type::kText, false},    {"referrer", Type::kText, false}, {"country", Type::kText, false},
      {"device", Type::kText, false}, {"browser", Type::kText, false},  {"status", Type::kInt64, false},
      {"latency_ms", Type::kDouble, false}, {"bytes", Type::kInt64, false},
  };
  s.event_time_index = 0;
  return s;
}

const int64_t kStart = *ParseTimestamp("2024-03-01T12:00:00Z");

GenOptions Options(uint64_t seed, double rate = 0) {
  GenOptions o;
  o.events = 0;
  o.seed = seed;
  o.start_micros = kStart;
  o.rate = rate;
  return o;
}

std::vector<std::string> Lines(GenOptions o, size_t n) {
  PageviewGenerator g(o);
  std::vector<std::string> lines;
  for (size_t i = 0; i < n; i++) lines.push_back(g.NextLine());
  return lines;
}

ParseResult ParseAll(const std::vector<std::string>& lines) {
  std::string body;
  for (const auto& l : lines) body += l + "\n";
  auto r = ingest::ParseEvents(PageviewsSchema(), body, BodyFormat::kNdjson, ingest::Limits{});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

TEST(PageviewGeneratorTest, SameSeedSameLines) {
  EXPECT_EQ(Lines(Options(7), 2000), Lines(Options(7), 2000));
  EXPECT_NE(Lines(Options(7), 50), Lines(Options(8), 50));
}

TEST(PageviewGeneratorTest, LinesAreSingleLineJsonObjects) {
  for (const auto& l : Lines(Options(1), 500)) {
    ASSERT_FALSE(l.empty());
    EXPECT_EQ(l.front(), '{');
    EXPECT_EQ(l.back(), '}');
    EXPECT_EQ(l.find('\n'), std::string::npos);
  }
}

TEST(PageviewGeneratorTest, LinesParseWithoutErrors) {
  ParseResult r = ParseAll(Lines(Options(42), 20000));
  for (size_t i = 0; i < std::min<size_t>(r.errors.size(), 5); i++) {
    ADD_FAILURE() << r.errors[i].reason << " in " << r.errors[i].raw;
  }
  EXPECT_EQ(r.errors.size(), 0u);
  EXPECT_EQ(r.rows.num_rows(), 20000u);
}

TEST(PageviewGeneratorTest, TimestampsHaveMillisecondsAndZ) {
  for (const auto& l : Lines(Options(3), 200)) {
    // {"ts":"2024-03-01T12:00:00.123Z", ...
    ASSERT_GT(l.size(), 32u);
    std::string ts = l.substr(7, 24);
    EXPECT_EQ(ts[19], '.') << ts;
    EXPECT_EQ(ts[23], 'Z') << ts;
    EXPECT_TRUE(ParseTimestamp(ts).has_value()) << ts;
  }
}

TEST(PageviewGeneratorTest, TimestampsFollowTheRateWithSomeLateEvents) {
  const double rate = 200;
  const size_t n = 20000;
  ParseResult r = ParseAll(Lines(Options(11, rate), n));
  ASSERT_EQ(r.rows.num_rows(), n);
  const auto& ts = r.rows.column(0).ints;
  int64_t max_seen = ts[0];
  size_t late = 0;
  int64_t max_late = 0;
  for (size_t i = 1; i < n; i++) {
    if (ts[i] < max_seen) {
      late++;
      max_late = std::max(max_late, max_seen - ts[i]);
    }
    max_seen = std::max(max_seen, ts[i]);
  }
  // n events at 200/s span about 100 s of event time.
  double span_s = static_cast<double>(max_seen - kStart) / kMicrosPerSecond;
  EXPECT_NEAR(span_s, n / rate, 0.05 * n / rate);
  EXPECT_GE(*std::min_element(ts.begin(), ts.end()), kStart - 301 * kMicrosPerSecond);
  // About 2% arrive late, none more than five minutes.
  EXPECT_GT(late, n / 100);
  EXPECT_LT(late, 3 * n / 100);
  EXPECT_LE(max_late, 301 * kMicrosPerSecond);
  EXPECT_GT(max_late, 10 * kMicrosPerSecond);
}

TEST(PageviewGeneratorTest, DefaultRateIsAThousandPerSecond) {
  PageviewGenerator g(Options(5));
  for (int i = 0; i < 10000; i++) g.NextLine();
  EXPECT_NEAR(static_cast<double>(g.clock_micros() - kStart) / kMicrosPerSecond, 10.0, 0.5);
}

TEST(PageviewGeneratorTest, DistributionsLookLikeWebTraffic) {
  const size_t n = 50000;
  ParseResult r = ParseAll(Lines(Options(99), n));
  ASSERT_EQ(r.rows.num_rows(), n);
  std::map<std::string, size_t> users, urls, countries, devices, browsers;
  std::map<int64_t, size_t> statuses;
  size_t null_referrers = 0;
  std::vector<double> latencies;
  for (size_t i = 0; i < n; i++) {
    users[std::string(r.rows.column(1).text(i))]++;
    urls[std::string(r.rows.column(3).text(i))]++;
    if (r.rows.column(4).is_null(i)) null_referrers++;
    countries[std::string(r.rows.column(5).text(i))]++;
    devices[std::string(r.rows.column(6).text(i))]++;
    browsers[std::string(r.rows.column(7).text(i))]++;
    statuses[r.rows.column(8).ints[i]]++;
    latencies.push_back(r.rows.column(9).doubles[i]);
    EXPECT_GE(r.rows.column(10).ints[i], 0);
  }
  // Skewed users: many distinct users, the busiest far above the mean.
  EXPECT_GT(users.size(), 3000u);
  size_t top_user = 0;
  for (auto& [u, c] : users) top_user = std::max(top_user, c);
  EXPECT_GT(top_user, 20 * n / users.size());
  EXPECT_GE(urls.size(), 35u);
  EXPECT_LE(urls.size(), 45u);
  EXPECT_EQ(countries.size(), 15u);
  EXPECT_GT(countries["US"], countries["SE"] * 5);
  EXPECT_EQ(devices.size(), 3u);
  EXPECT_GT(devices["desktop"], devices["tablet"]);
  EXPECT_GE(browsers.size(), 5u);
  EXPECT_GT(statuses[200], n * 8 / 10);
  for (int s : {301, 304, 404, 500, 503}) EXPECT_GT(statuses[s], 0u) << s;
  EXPECT_GT(null_referrers, n / 5);
  EXPECT_LT(null_referrers, n / 2);
  std::sort(latencies.begin(), latencies.end());
  double median = latencies[n / 2], p99 = latencies[n * 99 / 100];
  EXPECT_GT(median, 20);
  EXPECT_LT(median, 200);
  EXPECT_GT(p99, 3 * median);  // a long tail
}

TEST(PageviewGeneratorTest, DdlNamesEveryColumn) {
  std::string ddl = kPageviewsDdl;
  for (const ColumnDef& c : PageviewsSchema().columns) EXPECT_NE(ddl.find(c.name + " "), std::string::npos) << c.name;
}

}  // namespace
}  // namespace laminar::app
