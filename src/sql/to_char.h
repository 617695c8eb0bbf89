// PostgreSQL's to_char: a timestamptz or a number formatted by a template, with PostgreSQL 15's
// output (formatting.c) in UTC and the C locale.
//
// Timestamps: YYYY YYY YY Y Y,YYY IYYY IYY IY I CC, MM Month MONTH month Mon MON mon RM rm, DD
// DDD IDDD D ID, Day DAY day Dy DY dy, WW IW W Q J, HH HH12 HH24 MI SS MS US FF1..FF6 SSSS
// SSSSS, AM PM A.M. P.M. (and lower case), AD BC A.D. B.C., TZ tz OF TZH TZM (UTC: "UTC",
// "+00"); the FM prefix (no padding), TM (no effect in the C locale), the TH/th suffix
// (ordinals: 1st, 2nd), SP (ignored); "quoted text" and \" for a literal quote. Names are
// padded to 9 characters (Month, Day) unless FM.
//
// Numbers: 9 0 . , D G (C locale: '.' and ','), S MI PL SG PR, L (a space in the C locale), FM,
// B, V, TH th, RN rn (roman numerals), EEEE; a value too wide for the template prints '#'s.
// bigint and double precision are formatted as PostgreSQL formats int8 and float8 (doubles keep at
// most 15 significant digits; halves round to even, as printf does).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace laminar::sql {

// to_char(timestamptz, fmt). nullopt for an empty template (PostgreSQL returns NULL).
std::optional<std::string> ToCharTimestamp(int64_t micros, std::string_view fmt);

// to_char(bigint, fmt) and to_char(double precision, fmt). Errors: a template PostgreSQL
// refuses, InvalidArgument with kSyntaxError (`multiple decimal points`, `cannot use "S" and
// "PL"/"MI"/"SG"/"PR" together`, ...); V on a bigint that overflows: `bigint out of range`.
Result<std::string> ToCharInt(int64_t value, std::string_view fmt);
Result<std::string> ToCharDouble(double value, std::string_view fmt);

}  // namespace laminar::sql
