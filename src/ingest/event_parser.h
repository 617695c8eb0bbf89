// Event parsing and validation: turns an HTTP request body into a RowBatch of good events and a
// list of errors for the bad ones (DESIGN.md "Bad input").
//
// Input forms: NDJSON (one JSON object per line; blank lines are skipped and do not count as
// records), or a JSON array of objects. A body may be gzip- or zstd-compressed (see
// Decompress). Records are numbered from 0 in input order (array index, or the index among
// non-blank lines). A bad record never spoils its neighbours: a line of malformed JSON rejects
// that line only.
//
// Field rules (per column of the schema):
//  - missing or JSON null → NULL; an error if the column is NOT NULL.
//  - boolean: true/false. bigint: a JSON integer in int64 range (1.0 is not accepted).
//  - double precision: any JSON number. text: a JSON string (valid UTF-8, ≤ Limits::max_text_bytes).
//  - timestamptz: an ISO-8601 string (see common/time_util.h) or a number of epoch seconds
//    (|n| < 1e11) or epoch milliseconds (otherwise); integer or fractional.
//  - a field that is not a column is an error (names the field) unless ignore_unknown_fields.
//  - nested objects/arrays as a field value are an error naming the field; nesting deeper than
//    Limits::max_depth is rejected before values are looked at.
//
// Thread safety: stateless functions; an EventParser may be used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"

namespace laminar::ingest {

struct Limits {
  size_t max_body_bytes = 64u << 20;      // decompressed; larger → ResourceExhausted
  size_t max_events_per_request = 1'000'000;
  size_t max_text_bytes = 64u << 10;      // one text field
  size_t max_record_bytes = 1u << 20;     // one JSON record
  size_t max_depth = 32;
  bool ignore_unknown_fields = false;
};

enum class BodyFormat { kNdjson, kJsonArray };

struct RecordError {
  size_t index = 0;     // record number in the request
  std::string field;    // column/field name, empty when the record as a whole is bad
  std::string reason;   // e.g. "expected bigint, got string \"abc\""
  std::string raw;      // the record's text (truncated to 4 KiB), for the dead-letter file
};

struct ParseResult {
  RowBatch rows;                    // good records, in input order
  std::vector<size_t> row_index;    // input record number of each good row
  std::vector<RecordError> errors;  // bad records, in input order (one entry per bad record)
  size_t records = 0;               // good + bad
};

// Chooses the format: kJsonArray when content type is application/json and the first
// non-space character is '['; kNdjson for application/x-ndjson, application/jsonl, text/plain
// or application/json otherwise. InvalidArgument naming an unsupported content type.
Result<BodyFormat> DetectFormat(std::string_view content_type, std::string_view body);

// Decompresses a body by its Content-Encoding ("", "identity", "gzip", "zstd"), refusing output
// above max_bytes (ResourceExhausted) — so a small bomb cannot exhaust memory.
// InvalidArgument for an unknown encoding or corrupt data.
Result<std::string> Decompress(std::string_view encoding, std::string_view body, size_t max_bytes);

// Parses a whole body. Errors (non-OK Status) only for the request as a whole: empty body
// (InvalidArgument "empty body"), more than max_events_per_request records (ResourceExhausted),
// a JSON array that is itself malformed (InvalidArgument). Per-record problems go to errors.
Result<ParseResult> ParseEvents(const StreamSchema& schema, std::string_view body,
                                BodyFormat format, const Limits& limits);

}  // namespace laminar::ingest
