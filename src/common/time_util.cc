#include "common/time_util.h"

#include <fmt/format.h>

#include <cctype>
#include <chrono>

namespace laminar {

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

std::optional<int64_t> ParseTimestamp(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d))
    return std::nullopt;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > int(DaysInMonth(y, mo))) return std::nullopt;
  size_t p = 10;
  int64_t frac_micros = 0;
  if (p < s.size() && (s[p] == 'T' || s[p] == 't' || s[p] == ' ')) {
    p++;
    if (!Digits(s, p, 2, &h) || p + 2 >= s.size() || s[p + 2] != ':' || !Digits(s, p + 3, 2, &mi))
      return std::nullopt;
    p += 5;
    if (p < s.size() && s[p] == ':') {
      if (!Digits(s, p + 1, 2, &sec)) return std::nullopt;
      p += 3;
      if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        p++;
        int n = 0;
        int64_t scale = 100000;
        while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) {
          if (n < 6) frac_micros += (s[p] - '0') * scale, scale /= 10;
          n++, p++;
        }
        if (n == 0) return std::nullopt;
      }
    }
    if (h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi || sec || frac_micros))) return std::nullopt;
  }
  int64_t offset_sec = 0;
  if (p < s.size()) {
    if (s[p] == ' ') p++;
    if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
      p++;
    } else if (p + 3 <= s.size() && s.substr(p, 3) == "UTC") {
      p += 3;
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      int sign = s[p] == '-' ? -1 : 1;
      int oh, om = 0;
      if (!Digits(s, p + 1, 2, &oh)) return std::nullopt;
      p += 3;
      if (p < s.size() && s[p] == ':') p++;
      if (p < s.size()) {
        if (!Digits(s, p, 2, &om)) return std::nullopt;
        p += 2;
      }
      if (oh > 15 || om > 59) return std::nullopt;
      offset_sec = sign * (oh * 3600 + om * 60);
    } else {
      return std::nullopt;
    }
  }
  if (p != s.size()) return std::nullopt;
  int64_t days = DaysFromCivil(y, mo, d);
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + std::min(sec, 59) - offset_sec;
  return secs * kMicrosPerSecond + frac_micros;
}

std::string FormatTimestamp(int64_t micros) {
  int64_t secs = micros >= 0 ? micros / kMicrosPerSecond : -((-micros + kMicrosPerSecond - 1) / kMicrosPerSecond);
  int64_t frac = micros - secs * kMicrosPerSecond;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, m, d, rem / 3600,
                                (rem / 60) % 60, rem % 60);
  if (frac) {
    std::string f = fmt::format("{:06}", frac);
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  out += "Z";
  return out;
}

std::string FormatDate(int64_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  if (y <= 0) return fmt::format("{:04}-{:02}-{:02} BC", 1 - y, m, d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::optional<TimeUnit> ParseTimeUnit(std::string_view name) {
  std::string n;
  for (char c : name) n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n == "microsecond") return TimeUnit::kMicrosecond;
  if (n == "millisecond") return TimeUnit::kMillisecond;
  static constexpr TimeUnit kAll[] = {TimeUnit::kMicrosecond, TimeUnit::kMillisecond, TimeUnit::kSecond,
                                      TimeUnit::kMinute,      TimeUnit::kHour,        TimeUnit::kDay,
                                      TimeUnit::kWeek,        TimeUnit::kMonth,       TimeUnit::kQuarter,
                                      TimeUnit::kYear,        TimeUnit::kDecade,      TimeUnit::kCentury,
                                      TimeUnit::kMillennium};
  for (TimeUnit u : kAll)
    if (n == TimeUnitName(u)) return u;
  return std::nullopt;
}

const char* TimeUnitName(TimeUnit u) {
  switch (u) {
    case TimeUnit::kMicrosecond: return "microseconds";  // as PostgreSQL spells these two
    case TimeUnit::kMillisecond: return "milliseconds";
    case TimeUnit::kSecond: return "second";
    case TimeUnit::kMinute: return "minute";
    case TimeUnit::kHour: return "hour";
    case TimeUnit::kDay: return "day";
    case TimeUnit::kWeek: return "week";
    case TimeUnit::kMonth: return "month";
    case TimeUnit::kQuarter: return "quarter";
    case TimeUnit::kYear: return "year";
    case TimeUnit::kDecade: return "decade";
    case TimeUnit::kCentury: return "century";
    case TimeUnit::kMillennium: return "millennium";
  }
  return "?";
}

namespace {
int64_t FloorTo(int64_t v, int64_t unit) {
  int64_t q = v / unit;
  if (v % unit < 0) q--;
  return q * unit;
}
}  // namespace

int64_t DateTrunc(TimeUnit unit, int64_t micros) {
  switch (unit) {
    case TimeUnit::kMicrosecond: return micros;
    case TimeUnit::kMillisecond: return FloorTo(micros, 1000);
    case TimeUnit::kSecond: return FloorTo(micros, kMicrosPerSecond);
    case TimeUnit::kMinute: return FloorTo(micros, kMicrosPerMinute);
    case TimeUnit::kHour: return FloorTo(micros, kMicrosPerHour);
    case TimeUnit::kDay: return FloorTo(micros, kMicrosPerDay);
    case TimeUnit::kWeek: {
      // 1970-01-01 was a Thursday; Monday 1969-12-29 is day -3.
      int64_t day = FloorTo(micros, kMicrosPerDay) / kMicrosPerDay;
      int64_t monday = FloorTo(day + 3, 7) - 3;
      return monday * kMicrosPerDay;
    }
    case TimeUnit::kMonth:
    case TimeUnit::kQuarter:
    case TimeUnit::kYear:
    case TimeUnit::kDecade:
    case TimeUnit::kCentury:
    case TimeUnit::kMillennium: {
      int64_t day = FloorTo(micros, kMicrosPerDay) / kMicrosPerDay;
      int64_t y;  // astronomical: 0 is 1 BC
      unsigned m, d;
      CivilFromDays(day, &y, &m, &d);
      // PostgreSQL's timestamptz_trunc_internal, on astronomical years.
      switch (unit) {
        case TimeUnit::kMillennium:
          y = y > 0 ? (y + 999) / 1000 * 1000 - 999 : -((999 - (y - 1)) / 1000) * 1000 + 1;
          break;
        case TimeUnit::kCentury:
          y = y > 0 ? (y + 99) / 100 * 100 - 99 : -((99 - (y - 1)) / 100) * 100 + 1;
          break;
        case TimeUnit::kDecade: y = y > 0 ? y / 10 * 10 : -((8 - y) / 10) * 10; break;
        default: break;
      }
      if (unit == TimeUnit::kMonth) return DaysFromCivil(y, m, 1) * kMicrosPerDay;
      if (unit == TimeUnit::kQuarter) return DaysFromCivil(y, (m - 1) / 3 * 3 + 1, 1) * kMicrosPerDay;
      return DaysFromCivil(y, 1, 1) * kMicrosPerDay;
    }
  }
  return micros;
}

bool UnitIsCoarserOrEqual(TimeUnit coarse, TimeUnit fine) {
  if (coarse == fine) return true;
  if (coarse == TimeUnit::kWeek) return fine <= TimeUnit::kDay;
  if (fine == TimeUnit::kWeek) return false;
  return static_cast<int>(coarse) > static_cast<int>(fine);
}

int64_t MonotonicMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace laminar
