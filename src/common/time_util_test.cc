#include "common/time_util.h"

#include <gtest/gtest.h>

#include <string>

#include "common/crc32c.h"
#include "common/types.h"

namespace laminar {
namespace {

TEST(TimeUtil, ParsesIsoForms) {
  EXPECT_EQ(ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseTimestamp("1970-01-01"), 0);
  EXPECT_EQ(ParseTimestamp("1970-01-01 00:00:01.5"), 1'500'000);
  EXPECT_EQ(ParseTimestamp("1970-01-01T02:00:00+02:00"), 0);
  EXPECT_EQ(ParseTimestamp("1970-01-01T00:00:00-0130"), 90 * kMicrosPerMinute);
  EXPECT_EQ(ParseTimestamp("2001-01-08T00:00:00.000001Z"), 978'912'000'000'001);
}

TEST(TimeUtil, RejectsGarbage) {
  for (const char* bad : {"", "2024", "2024-13-01", "2024-02-30", "2024-01-01T25:00", "yesterday",
                          "2024-01-01T10:00:00Zjunk", "2024-01-01T10:00:00.Z"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
}

TEST(TimeUtil, FormatsRoundTrip) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(1'500'000), "1970-01-01T00:00:01.5Z");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59.999999Z");
  for (int64_t t : {int64_t{979'084'800'123'456}, int64_t{-86'400'000'001}, int64_t{1}})
    EXPECT_EQ(ParseTimestamp(FormatTimestamp(t)), t);
}

TEST(TimeUtil, DateTruncMatchesPostgres) {
  int64_t t = *ParseTimestamp("2024-03-14T15:09:26.535Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kMinute, t)), "2024-03-14T15:09:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kHour, t)), "2024-03-14T15:00:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kDay, t)), "2024-03-14T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kWeek, t)), "2024-03-11T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kMonth, t)), "2024-03-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kYear, t)), "2024-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kHour, -1)), "1969-12-31T23:00:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kMicrosecond, t + 7)), "2024-03-14T15:09:26.535007Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kMillisecond, t + 7)), "2024-03-14T15:09:26.535Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kMillisecond, -1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kQuarter, t)), "2024-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kQuarter, *ParseTimestamp("2024-12-31T23:00:00Z"))),
            "2024-10-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kDecade, t)), "2020-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kCentury, t)), "2001-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kCentury, *ParseTimestamp("2000-12-31"))), "1901-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kMillennium, t)), "2001-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(DateTrunc(TimeUnit::kMillennium, *ParseTimestamp("1000-05-16"))), "0001-01-01T00:00:00Z");
}

TEST(TimeUtil, BeforeChristDecadesAndCenturiesAsPostgres) {
  // Astronomical year -2 is 3 BC: its decade starts in 11 BC (year -10), its century in 100 BC
  // (year -99), its millennium in 1000 BC (year -999).
  int64_t bc3 = DaysFromCivil(-2, 5, 16) * kMicrosPerDay;
  int64_t y;
  unsigned m, d;
  CivilFromDays(DateTrunc(TimeUnit::kDecade, bc3) / kMicrosPerDay, &y, &m, &d);
  EXPECT_EQ(y, -10);
  CivilFromDays(DateTrunc(TimeUnit::kCentury, bc3) / kMicrosPerDay, &y, &m, &d);
  EXPECT_EQ(y, -99);
  CivilFromDays(DateTrunc(TimeUnit::kMillennium, bc3) / kMicrosPerDay, &y, &m, &d);
  EXPECT_EQ(y, -999);
  EXPECT_EQ(m, 1u);
  EXPECT_EQ(d, 1u);
}

TEST(TimeUtil, UnitNamesAndOrder) {
  for (const char* n : {"microseconds", "milliseconds", "second", "minute", "hour", "day", "week", "month",
                        "quarter", "year", "decade", "century", "millennium"}) {
    auto u = ParseTimeUnit(n);
    ASSERT_TRUE(u.has_value()) << n;
    EXPECT_STREQ(TimeUnitName(*u), n);
  }
  EXPECT_EQ(ParseTimeUnit("Millisecond"), TimeUnit::kMillisecond);
  EXPECT_FALSE(ParseTimeUnit("fortnight").has_value());
  EXPECT_TRUE(UnitIsCoarserOrEqual(TimeUnit::kQuarter, TimeUnit::kMonth));
  EXPECT_TRUE(UnitIsCoarserOrEqual(TimeUnit::kCentury, TimeUnit::kDecade));
  EXPECT_TRUE(UnitIsCoarserOrEqual(TimeUnit::kWeek, TimeUnit::kMillisecond));
  EXPECT_FALSE(UnitIsCoarserOrEqual(TimeUnit::kQuarter, TimeUnit::kWeek));
  EXPECT_FALSE(UnitIsCoarserOrEqual(TimeUnit::kMonth, TimeUnit::kQuarter));
}

TEST(TimeUtil, DatesPrintAsPostgres) {
  EXPECT_EQ("1970-01-01", FormatDate(0));
  EXPECT_EQ("2024-01-08", FormatDate(DaysFromCivil(2024, 1, 8)));
  EXPECT_EQ("1969-12-31", FormatDate(-1));
  EXPECT_EQ("0001-01-01", FormatDate(DaysFromCivil(1, 1, 1)));
  EXPECT_EQ("0001-12-31 BC", FormatDate(DaysFromCivil(0, 12, 31)));  // year 0 is 1 BC
  EXPECT_EQ("0044-03-15 BC", FormatDate(DaysFromCivil(-43, 3, 15)));
  EXPECT_EQ("10000-01-01", FormatDate(DaysFromCivil(10000, 1, 1)));
  EXPECT_TRUE(IsValidDate(DaysFromCivil(-4713, 11, 24)));  // 4714-11-24 BC, PostgreSQL's first date
  EXPECT_FALSE(IsValidDate(DaysFromCivil(-4713, 11, 23)));
  EXPECT_TRUE(DateFitsTimestamp(DaysFromCivil(294276, 12, 31)));
  EXPECT_FALSE(DateFitsTimestamp(DaysFromCivil(294277, 1, 1)));
  EXPECT_EQ(Value::Date(DaysFromCivil(2024, 1, 8)).ToString(), "2024-01-08");
  EXPECT_LT(Value::Compare(Value::Date(1), Value::Date(2)), 0);
}

TEST(Crc32c, KnownVectors) {
  // RFC 3720 B.4: 32 bytes of zeros.
  char zeros[32] = {};
  EXPECT_EQ(crc32c::Value(zeros, 32), 0x8a9136aau);
  EXPECT_EQ(crc32c::Value("123456789", 9), 0xe3069283u);
  EXPECT_EQ(crc32c::Extend(crc32c::Value("1234", 4), "56789", 5), 0xe3069283u);
  EXPECT_EQ(crc32c::Unmask(crc32c::Mask(0x12345678u)), 0x12345678u);
}

// The crc32 instruction's form (where the CPU has it) equals the table-driven one for every
// length and alignment, and extends the same way.
TEST(Crc32c, InstructionAndTablesAgree) {
  std::string data;
  for (int i = 0; i < 300; i++) data.push_back(static_cast<char>(i * 131 + 7));
  char zeros[32] = {};
  EXPECT_EQ(crc32c::internal::ExtendPortable(0, zeros, 32), 0x8a9136aau);
  for (size_t off = 0; off < 9; off++)
    for (size_t n = 0; off + n <= data.size(); n += 1 + n / 7) {
      EXPECT_EQ(crc32c::Extend(0x1234u, data.data() + off, n), crc32c::internal::ExtendPortable(0x1234u, data.data() + off, n))
          << "offset " << off << " length " << n;
    }
}

TEST(Value, OrdersNullsLastAndNumbersNumerically) {
  EXPECT_LT(Value::Compare(Value::Int(1), Value::Double(1.5)), 0);
  EXPECT_GT(Value::Compare(Value::Null(), Value::Int(1)), 0);
  EXPECT_EQ(Value::Compare(Value::Text("a"), Value::Text("a")), 0);
  EXPECT_EQ(Value::Timestamp(0).ToString(), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace laminar
