// A log record of events with its origin: what made the record, written by the same append (and
// fsync) as the events, so that "these events are stored" and "this request, message or offset
// is done" can never disagree after a crash. Sources that must not append twice record their
// position or key here (an HTTP Idempotency-Key today: engine/idempotency.h).
//
// Encoding: a record without an origin is a RowBatch encoding as it always was (version 1,
// row_batch.h). With one: [u8 2][u32 origin bytes, little-endian][origin][the version-1
// encoding]. RowBatch::Decode reads both (it skips the origin); RecordOrigin reads only the
// origin, without decoding the events.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "ingest/row_batch.h"

namespace laminar::ingest {

inline constexpr uint8_t kRecordWithOrigin = 2;

// The payload of a log record holding `rows` made by `origin` (empty: none, a plain encoding).
std::string EncodeRecord(const RowBatch& rows, std::string_view origin);
// The origin of a record's payload ("" when it has none). Corruption when the header is damaged.
// The view points into `payload`.
Result<std::string_view> RecordOrigin(std::string_view payload);

}  // namespace laminar::ingest
