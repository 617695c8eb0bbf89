// Text → typed values: the rules `laminar ingest` applies to a CSV field (app/import.cc
// AppendTextAsJson, then the server's event parser, event_parser.h), as one function, so that
// `COPY table FROM 'file.csv'` (engine/dimension.cc) reads a CSV file exactly as `laminar ingest`
// does. The parsing helpers are shared with app/import.cc.
//
// Rules (ParseTextValue; the caller decides what is NULL — an empty unquoted field, --null-string
// or COPY's NULL 'x' — and passes only non-NULL text):
//  - text: the bytes as they are (no trimming); must be valid UTF-8.
//  - bigint: an integer (optional sign; blanks and tabs around it ignored); "1.5", "1e3" and
//    values outside int64 are rejected.
//  - double precision: decimal or scientific notation (blanks around ignored); NaN and ±Infinity
//    are rejected (`laminar ingest` sends JSON, which cannot carry them).
//  - boolean: true/false/t/f/yes/no/y/n/on/off/1/0, any case.
//  - timestamptz: ISO-8601 (common/time_util.h ParseTimestamp), or an epoch number: |n| < 1e11 is
//    seconds, otherwise milliseconds (integers exact; fractions rounded to the microsecond);
//    years 0001..9999 only.
// Errors are InvalidArgument with the reason and the value (`invalid number "abc"`), never the
// column name: the caller adds where the value came from.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/types.h"

namespace laminar::ingest {

// Whether `s` is well-formed UTF-8 (simdjson's validator).
bool IsValidUtf8(std::string_view s);
// Whether `s` may be a text value: well-formed UTF-8 without the NUL character, which PostgreSQL
// refuses in text (so a client reading it back never gets a string cut short). Else
// InvalidArgument (22021) saying which.
Status CheckText(std::string_view s);

// `s` without leading and trailing blanks and tabs.
std::string_view TrimBlanks(std::string_view s);

// `s` in double quotes, shortened to 64 bytes with "..." (for messages).
std::string QuoteForMessage(std::string_view s);

// An integer (optional '+'/'-'; no blanks). InvalidArgument `invalid bigint "x"` or
// `"x" is out of range for bigint`.
Result<int64_t> ParseInt64Text(std::string_view s);
// A finite double (optional sign; no blanks). InvalidArgument `invalid number "x"`,
// `"x" is out of range for double precision`, `"x" is not a finite number ...`.
Result<double> ParseDoubleText(std::string_view s);
// true/false/t/f/yes/no/y/n/on/off/1/0 in any case (no blanks); nullopt otherwise.
std::optional<bool> ParseBoolText(std::string_view s);
// Whether `s` starts like a number (an optional sign, then a digit or '.').
bool LooksNumeric(std::string_view s);

// Epoch seconds (|n| < 1e11) or milliseconds (otherwise) → microseconds, as the event parser
// reads a JSON number in a timestamptz field. InvalidArgument when outside years 0001..9999.
Result<int64_t> EpochToMicros(int64_t n);
Result<int64_t> EpochToMicros(double d);

// The value of `text` in a column of type `type`, by the rules above.
Result<Value> ParseTextValue(std::string_view text, Type type);

}  // namespace laminar::ingest
