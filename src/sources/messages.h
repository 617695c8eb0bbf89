// Messages → rows: the events of a batch of source messages (Kafka values) as a RowBatch of the
// stream's columns, and an error for each message that is not a valid event (the caller sends
// those to the dead-letter store with the message's origin).
//
// Formats (sources/source_spec.h):
//   json: each message is one JSON object, read by the HTTP ingest rules (ingest/event_parser.h);
//         line breaks inside a message are JSON white space (a raw line break cannot be in a JSON
//         string), so a pretty-printed object is one event.
//   csv:  each message is one CSV record (RFC 4180; a trailing line break is ignored) with one
//         field per column of the stream, in order; an empty unquoted field is NULL; fields are
//         read by the rules of `laminar ingest` (ingest/text_value.h).
// An empty message (a Kafka tombstone) is an error ("empty message").
//
// Thread safety: a pure function.
#pragma once

#include <string_view>
#include <vector>

#include "ingest/event_parser.h"
#include "ingest/schema.h"
#include "sources/source_spec.h"

namespace laminar::sources {

// RecordError::index is the message's index in `values`; ParseResult::row_index names each
// row's message.
ingest::ParseResult DecodeMessages(const ingest::StreamSchema& schema, MessageFormat format,
                                   const std::vector<std::string_view>& values, const ingest::Limits& limits);

}  // namespace laminar::sources
