// Timestamps: microseconds since the Unix epoch, UTC. Laminar works in UTC throughout.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace laminar {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

// Parses ISO-8601 / PostgreSQL input: "2024-01-08", "2024-01-08T10:00:00Z",
// "2024-01-08 10:00:00.123456+02:00", "2024-01-08T10:00:00" (no zone: UTC).
// Returns nullopt when the text is not a timestamp (or out of years 0001..9999).
std::optional<int64_t> ParseTimestamp(std::string_view text);

// "2024-01-08T10:00:00Z", with ".ffffff" fractional digits (trailing zeros dropped) when
// the microseconds are not zero.
std::string FormatTimestamp(int64_t micros);

// A date (days since 1970-01-01) as PostgreSQL prints it: "2024-01-08", "0044-03-15 BC".
std::string FormatDate(int64_t days);
// PostgreSQL's date range, 4714-11-24 BC .. 5874897-12-31 (`date out of range` outside), and the
// dates a timestamptz can hold (before 294277-01-01: `date out of range for timestamp`).
inline bool IsValidDate(int64_t days) { return days >= -2440588 && days < 2145042906; }
inline bool DateFitsTimestamp(int64_t days) { return days >= -2440588 && days < 106762940; }

// Days since 1970-01-01 for a civil date (proleptic Gregorian), and back.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d);

// The units of date_trunc, finest first (UnitIsCoarserOrEqual relies on the order).
enum class TimeUnit {
  kMicrosecond, kMillisecond, kSecond, kMinute, kHour, kDay, kWeek, kMonth, kQuarter, kYear, kDecade,
  kCentury, kMillennium,
};
// The singular names TimeUnitName gives ("microseconds", "milliseconds", "second", "minute",
// "hour", "day", "week", "month", "quarter", "year", "decade", "century", "millennium"; also
// "microsecond" and "millisecond"), case-insensitive. PostgreSQL's other spellings (plurals,
// "hr", "mon", ...) are the SQL binder's business.
std::optional<TimeUnit> ParseTimeUnit(std::string_view name);
const char* TimeUnitName(TimeUnit u);
// PostgreSQL date_trunc in UTC. Weeks start on Monday; decades, centuries and millennia as
// PostgreSQL counts them (the 21st century began on 2001-01-01, the decade on 2020-01-01).
int64_t DateTrunc(TimeUnit unit, int64_t micros);
// True when every bucket of `fine` lies inside one bucket of `coarse` (minute ⊂ hour ⊂ day).
bool UnitIsCoarserOrEqual(TimeUnit coarse, TimeUnit fine);

// Monotonic clock in microseconds, for measuring durations.
int64_t MonotonicMicros();
// Wall clock, microseconds since the epoch.
int64_t NowMicros();

}  // namespace laminar
