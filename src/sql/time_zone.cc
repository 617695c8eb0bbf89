// AT TIME ZONE's zones (sql/time_zone.h), over absl::TimeZone.
#include "sql/time_zone.h"

#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <algorithm>

namespace laminar::sql {

namespace {

constexpr int64_t kMicros = 1'000'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

std::optional<absl::TimeZone> Load(const std::string& name) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(name, &tz)) return std::nullopt;
  return tz;
}

}  // namespace

bool IsKnownTimeZone(const std::string& name) { return Load(name).has_value(); }

std::optional<int64_t> InstantToLocal(int64_t micros, const std::string& zone) {
  auto tz = Load(zone);
  if (!tz) return std::nullopt;
  int64_t secs = FloorDiv(micros, kMicros), sub = micros - secs * kMicros;
  absl::CivilSecond cs = absl::ToCivilSecond(absl::FromUnixSeconds(secs), *tz);
  return absl::ToUnixSeconds(absl::FromCivil(cs, absl::UTCTimeZone())) * kMicros + sub;
}

std::optional<int64_t> LocalToInstant(int64_t local, const std::string& zone) {
  auto tz = Load(zone);
  if (!tz) return std::nullopt;
  int64_t secs = FloorDiv(local, kMicros), sub = local - secs * kMicros;
  absl::CivilSecond cs = absl::ToCivilSecond(absl::FromUnixSeconds(secs), absl::UTCTimeZone());
  absl::TimeZone::TimeInfo info = tz->At(cs);
  return absl::ToUnixSeconds(std::max(info.pre, info.post)) * kMicros + sub;
}

}  // namespace laminar::sql
