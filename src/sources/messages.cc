#include "sources/messages.h"

#include <algorithm>

#include "ingest/byte_source.h"
#include "ingest/csv.h"
#include "ingest/text_value.h"

namespace laminar::sources {
namespace {

bool Blank(std::string_view v) {
  return std::all_of(v.begin(), v.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

std::string Raw(std::string_view v) { return std::string(v.substr(0, 4096)); }

ingest::RecordError Error(size_t index, std::string field, std::string reason, std::string_view raw) {
  ingest::RecordError e;
  e.index = index;
  e.field = std::move(field);
  e.reason = std::move(reason);
  e.raw = Raw(raw);
  return e;
}

ingest::ParseResult DecodeJson(const ingest::StreamSchema& schema, const std::vector<std::string_view>& values,
                               const ingest::Limits& limits) {
  // One NDJSON body: a line per non-blank message (line breaks inside one become spaces).
  std::string body;
  size_t bytes = 0;
  for (std::string_view v : values) bytes += v.size() + 1;
  body.reserve(bytes);
  std::vector<size_t> line_message;  // body line → message index
  line_message.reserve(values.size());
  std::vector<ingest::RecordError> empty;
  for (size_t i = 0; i < values.size(); i++) {
    std::string_view v = values[i];
    if (Blank(v)) {
      empty.push_back(Error(i, "", "empty message", v));
      continue;
    }
    size_t at = body.size();
    body.append(v);
    std::replace_if(body.begin() + static_cast<std::ptrdiff_t>(at), body.end(),
                    [](char c) { return c == '\n' || c == '\r'; }, ' ');
    body.push_back('\n');
    line_message.push_back(i);
  }
  ingest::ParseResult out;
  if (!line_message.empty()) {
    ingest::Limits l = limits;
    l.max_events_per_request = std::max(l.max_events_per_request, line_message.size());
    l.max_body_bytes = std::max(l.max_body_bytes, body.size());
    Result<ingest::ParseResult> parsed = ingest::ParseEvents(schema, body, ingest::BodyFormat::kNdjson, l);
    if (parsed.ok()) {
      out = std::move(*parsed);
      for (size_t& r : out.row_index) r = line_message[r];
      for (auto& e : out.errors) e.index = line_message[e.index];
    } else {  // cannot happen for a non-empty NDJSON body within the limits; every message is bad then
      out.rows = ingest::RowBatch(schema);
      for (size_t i : line_message) out.errors.push_back(Error(i, "", parsed.status().message(), values[i]));
    }
  } else {
    out.rows = ingest::RowBatch(schema);
  }
  if (!empty.empty()) {
    out.errors.insert(out.errors.end(), empty.begin(), empty.end());
    std::sort(out.errors.begin(), out.errors.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  }
  out.records = values.size();
  return out;
}

ingest::ParseResult DecodeCsv(const ingest::StreamSchema& schema, const std::vector<std::string_view>& values,
                              const ingest::Limits& limits) {
  ingest::ParseResult out;
  out.rows = ingest::RowBatch(schema);
  out.records = values.size();
  ingest::CsvOptions co;
  co.max_field_bytes = limits.max_text_bytes;
  std::vector<ingest::CsvField> fields;
  const size_t ncols = schema.columns.size();
  for (size_t i = 0; i < values.size(); i++) {
    std::string_view v = values[i];
    if (Blank(v)) {
      out.errors.push_back(Error(i, "", "empty message", v));
      continue;
    }
    ingest::StringSource src{std::string(v)};
    ingest::CsvReader csv(&src, co);
    Result<bool> got = csv.Next(&fields);
    if (!got.ok()) {
      out.errors.push_back(Error(i, "", got.status().message(), v));
      continue;
    }
    std::vector<ingest::CsvField> extra;
    Result<bool> more = *got ? csv.Next(&extra) : Result<bool>(false);
    if (!*got || !more.ok() || *more) {
      out.errors.push_back(Error(i, "", !*got ? "empty message" : "a message holds more than one CSV record", v));
      continue;
    }
    if (fields.size() != ncols) {
      out.errors.push_back(Error(i, "", fmt::format("expected {} fields (the stream's columns), got {}", ncols, fields.size()), v));
      continue;
    }
    size_t c = 0;
    for (; c < ncols; c++) {
      const ingest::ColumnDef& col = schema.columns[c];
      const ingest::CsvField& f = fields[c];
      if (f.value.empty() && !f.quoted) {
        if (col.not_null) {
          out.errors.push_back(Error(i, col.name, "missing value for NOT NULL column", v));
          break;
        }
        out.rows.column(c).AppendNull();
        continue;
      }
      Result<Value> val = ingest::ParseTextValue(f.value, col.type);
      if (!val.ok()) {
        out.errors.push_back(Error(i, col.name, val.status().message(), v));
        break;
      }
      out.rows.column(c).Append(*val);
    }
    if (c < ncols) {
      out.rows.RollbackRow();
      continue;
    }
    out.rows.FinishRow();
    out.row_index.push_back(i);
  }
  return out;
}

}  // namespace

ingest::ParseResult DecodeMessages(const ingest::StreamSchema& schema, MessageFormat format,
                                   const std::vector<std::string_view>& values, const ingest::Limits& limits) {
  return format == MessageFormat::kCsv ? DecodeCsv(schema, values, limits) : DecodeJson(schema, values, limits);
}

}  // namespace laminar::sources
