// Time zones for AT TIME ZONE: IANA names ('America/New_York', 'Europe/Paris', 'UTC') read from
// the system's tz database (/usr/share/zoneinfo, Debian's tzdata) through Abseil's cctz, which
// caches each zone once loaded.
//
// Thread safety: pure functions (the zone cache is Abseil's, thread-safe).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace laminar::sql {

// True when `name` is a zone the database knows.
bool IsKnownTimeZone(const std::string& name);
// The wall-clock time in `zone` at instant `micros` (µs since the Unix epoch), as the instant
// whose UTC clock reads it; nullopt for an unknown zone.
std::optional<int64_t> InstantToLocal(int64_t micros, const std::string& zone);
// The instant at which `zone`'s clocks read `local` (a wall-clock time held as the instant whose
// UTC clock reads it). A repeated wall-clock time (clocks turned back) or a skipped one (turned
// forward) maps to two instants; the later one is taken, as PostgreSQL does. nullopt for an
// unknown zone.
std::optional<int64_t> LocalToInstant(int64_t local, const std::string& zone);

}  // namespace laminar::sql
