// Tools over one Parquet file held in memory: a description of its metadata (InspectParquet) and
// its rows as NDJSON (CatParquet). The CLI exposes them as `laminar lake inspect` and
// `laminar lake cat`.
//
// Errors are those of ParquetReader (parquet_reader.h): Corruption naming the file and what is
// wrong, Unimplemented for what Laminar does not read. InspectParquet needs only a readable footer:
// it describes files whose columns Laminar cannot map (saying why) and reports damaged pages in
// its output instead of failing.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "common/status.h"

namespace laminar::lake {

// A description of the file: created_by, key/value metadata, rows, the schema (name, physical and
// logical type, repetition, Laminar type or why it is unsupported) and every row group (rows,
// bytes) and column chunk (codec, encodings, sizes, statistics decoded to readable values, page
// count and the encodings of its pages). Human-readable text, or one JSON object when `json`.
Result<std::string> InspectParquet(const std::string& name, const std::string& data, bool json);

// Writes the rows of the file to `out` as NDJSON, one object per row with the columns in file
// order, in file order; at most `limit` rows (all when limit < 0). Values: null; true/false;
// bigint as a JSON integer; double precision as a JSON number that round-trips (always with a
// '.' or an exponent) or the strings "NaN", "Infinity", "-Infinity"; text as a JSON string
// (bytes that are not UTF-8 become U+FFFD); timestamptz as "YYYY-MM-DDTHH:MM:SS.ffffffZ".
// Rows already written stay written when a later row group fails.
Status CatParquet(const std::string& name, const std::string& data, std::ostream& out,
                  int64_t limit);

// "2026-11-24T07:00:00.123456Z": always six fractional digits; years outside 0000..9999 are
// written with a sign ("+10000-…", "-0001-…").
std::string FormatTimestampIso(int64_t micros);

// Appends `s` as a JSON string literal (quotes included) to *out, replacing invalid UTF-8 with
// U+FFFD.
void AppendJsonString(std::string_view s, std::string* out);

// A double as CatParquet writes it (a JSON number or a quoted "NaN"/"Infinity"/"-Infinity").
std::string FormatJsonDouble(double d);

}  // namespace laminar::lake
