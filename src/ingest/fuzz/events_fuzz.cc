// Fuzz target for the event parsers of ingest: the bodies a stream takes over HTTP (NDJSON, a
// JSON array, gzip/zstd-compressed; event_parser.h, as Engine::Ingest calls them: Decompress,
// DetectFormat, ParseEvents), CSV files as `COPY table FROM` reads them (csv.h over a
// byte_source.h decompressor, then text_value.h ParseTextValue per field, as
// engine/dimension.cc does), and the log payload decoder RowBatch::Decode (row_batch.h).
//
// The first input byte picks what the rest is and against which schema:
//   bits 0-2  format: 0 NDJSON, 1 application/json (DetectFormat: array or NDJSON), 2 a content
//             type taken from the body's first line (DetectFormat, unsupported ones included),
//             3 CSV (',' '"'), 4 CSV (';', escape '\'), 5 CSV (tab, quote '\''), 6 an encoded
//             RowBatch (the log record payload), 7 a gzip or zstd body (Decompress by its magic,
//             then NDJSON or a JSON array)
//   bits 3-4  schema: 0 pageviews (ts NOT NULL, user_id text, status bigint, latency_ms double,
//             ok boolean), 1 every type NOT NULL, 2 eight text columns with odd names, 3 only ts
//   bit 5     JSON: ignore_unknown_fields; CSV: the first record is a header naming columns
//   bit 6     small limits (16-byte texts, 256-byte records, depth 4, 8 events, 64-byte CSV fields,
//             8 CSV columns)
//   bit 7     CSV: the source hands out one byte per read (buffer refills everywhere)
// Findings: crashes, sanitizer reports and broken invariants, checked after every parse: rows +
// errors = records, row numbers increasing and disjoint from the errors', no NULL in a NOT NULL
// column, texts valid UTF-8 without NUL and within the limit, timestamps in years 0001..9999
// (and FormatTimestamp → ParseTimestamp gives them back), and Encode → Decode → Encode of the
// batch gives the same bytes.
//
// Built two ways (src/ingest/CMakeLists.txt): with the standalone mutation driver
// (src/lake/fuzz/fuzz_driver.cc; ctest events_fuzz_smoke) or with libFuzzer (scripts/fuzz.sh
// --target events). LaminarFuzzMakeSeeds writes valid and edge-case bodies of every format.
#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/fuzz_seeds.h"
#include "common/time_util.h"
#include "ingest/byte_source.h"
#include "ingest/csv.h"
#include "ingest/event_parser.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"
#include "ingest/text_value.h"

namespace {

using namespace laminar;
using namespace laminar::ingest;

constexpr int64_t kMinTimestamp = -62135596800000000;  // 0001-01-01T00:00:00Z
constexpr int64_t kMaxTimestamp = 253402300799999999;  // 9999-12-31T23:59:59.999999Z

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "events_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

StreamSchema SchemaFor(int variant) {
  StreamSchema s;
  s.name = "fuzz";
  switch (variant) {
    case 0:
      s.columns = {{"ts", Type::kTimestamp, true},
                   {"user_id", Type::kText, false},
                   {"status", Type::kInt64, false},
                   {"latency_ms", Type::kDouble, false},
                   {"ok", Type::kBool, false}};
      break;
    case 1:
      s.columns = {{"ts", Type::kTimestamp, true},
                   {"n", Type::kInt64, true},
                   {"x", Type::kDouble, true},
                   {"s", Type::kText, true},
                   {"b", Type::kBool, true},
                   {"t2", Type::kTimestamp, true}};
      break;
    case 2:
      s.columns = {{"ts", Type::kTimestamp, true}, {"a", Type::kText, false},       {"B", Type::kText, false},
                   {"with space", Type::kText, false}, {"\xc3\xbc", Type::kText, false}, {"\"q\"", Type::kText, false},
                   {"a,b", Type::kText, false},     {"", Type::kText, false},        {"ts2", Type::kText, false}};
      break;
    default:
      s.columns = {{"ts", Type::kTimestamp, true}};
      break;
  }
  s.event_time_index = 0;
  return s;
}

Limits LimitsFor(uint8_t flags) {
  Limits l;
  l.max_body_bytes = 1u << 20;
  l.ignore_unknown_fields = flags & 0x20;
  if (flags & 0x40) {
    l.max_text_bytes = 16;
    l.max_record_bytes = 256;
    l.max_depth = 4;
    l.max_events_per_request = 8;
  }
  return l;
}

// The invariants of a batch of rows of `schema` (see the file comment).
void CheckBatch(const StreamSchema& schema, const RowBatch& rows, size_t max_text_bytes) {
  Check(rows.num_columns() == schema.columns.size(), "a batch with the wrong number of columns");
  for (size_t c = 0; c < schema.columns.size(); c++) {
    const Column& col = rows.column(c);
    const ColumnDef& def = schema.columns[c];
    for (size_t r = 0; r < rows.num_rows(); r++) {
      if (col.is_null(r)) {
        Check(!def.not_null && int(c) != schema.event_time_index, "NULL in a NOT NULL column");
        continue;
      }
      switch (def.type) {
        case Type::kText:
          Check(CheckText(col.text(r)).ok(), "a text value that CheckText refuses");
          Check(col.text(r).size() <= max_text_bytes, "a text value above max_text_bytes");
          break;
        case Type::kBool:
          Check(col.ints[r] == 0 || col.ints[r] == 1, "a boolean that is neither 0 nor 1");
          break;
        case Type::kTimestamp: {
          const int64_t us = col.ints[r];
          Check(us >= kMinTimestamp && us <= kMaxTimestamp, "a timestamp outside years 0001..9999");
          auto back = ParseTimestamp(FormatTimestamp(us));
          Check(back && *back == us, "FormatTimestamp → ParseTimestamp does not give the timestamp back");
          break;
        }
        default:
          break;
      }
    }
  }
  const std::string encoded = rows.Encode();
  auto decoded = RowBatch::Decode(encoded, schema);
  Check(decoded.ok(), "Decode refuses what Encode wrote");
  Check(decoded->num_rows() == rows.num_rows(), "Decode gives another number of rows");
  Check(decoded->Encode() == encoded, "Encode → Decode → Encode changes the bytes");
}

void RunJson(const StreamSchema& schema, std::string_view body, BodyFormat format, const Limits& limits) {
  auto parsed = ParseEvents(schema, body, format, limits);
  if (!parsed.ok()) return;
  const ParseResult& r = *parsed;
  Check(r.rows.num_rows() == r.row_index.size(), "rows and row_index differ in size");
  Check(r.rows.num_rows() + r.errors.size() == r.records, "rows + errors != records");
  Check(r.records <= limits.max_events_per_request, "more records than max_events_per_request");
  for (size_t i = 1; i < r.row_index.size(); i++) Check(r.row_index[i - 1] < r.row_index[i], "row_index not increasing");
  for (size_t i = 1; i < r.errors.size(); i++) Check(r.errors[i - 1].index < r.errors[i].index, "errors not increasing");
  for (size_t i = 0, j = 0; i < r.row_index.size() && j < r.errors.size();) {
    Check(r.row_index[i] != r.errors[j].index, "a record both accepted and rejected");
    if (r.row_index[i] < r.errors[j].index) i++; else j++;
  }
  for (const RecordError& e : r.errors) {
    Check(e.index < r.records, "an error's record number beyond the records");
    Check(!e.reason.empty(), "an error without a reason");
    Check(e.raw.size() <= 4096, "an error's raw text above 4 KiB");
  }
  CheckBatch(schema, r.rows, limits.max_text_bytes);
}

// As engine/dimension.cc's CsvLoader reads a file into a table, but going on after a bad record.
void RunCsv(const StreamSchema& schema, std::string_view body, const CsvOptions& options, bool header,
            bool one_byte_reads) {
  auto src = NewDecompressor(std::make_unique<StringSource>(std::string(body), one_byte_reads ? 1 : SIZE_MAX),
                             DetectCompression(body.substr(0, 4)));
  CsvReader csv(src.get(), options);
  std::vector<CsvField> fields;
  std::vector<int> targets;
  if (header) {
    auto any = csv.Next(&fields);
    if (!any.ok() || !*any) return;
    for (const CsvField& f : fields) {
      std::string name(f.quoted ? std::string_view(f.value) : TrimBlanks(f.value));
      int t = schema.FindColumn(name);
      if (t < 0) return;
      for (int u : targets)
        if (u == t) return;
      targets.push_back(t);
    }
  } else {
    for (size_t i = 0; i < schema.columns.size(); i++) targets.push_back(int(i));
  }
  RowBatch out(schema);
  std::vector<bool> filled(schema.columns.size(), false);
  for (int t : targets) filled[size_t(t)] = true;
  int64_t last_line = 0;
  for (int records = 0; records < 10000; records++) {
    auto more = csv.Next(&fields);
    if (!more.ok() || !*more) break;
    Check(csv.record_line() > last_line, "record lines not increasing");
    last_line = csv.record_line();
    Check(fields.size() <= options.max_columns, "a record above max_columns");
    for (const CsvField& f : fields) Check(f.value.size() <= options.max_field_bytes, "a field above max_field_bytes");
    if (fields.size() != targets.size()) continue;
    std::vector<Value> row(schema.columns.size());
    bool good = true;
    for (size_t i = 0; i < fields.size() && good; i++) {
      const ColumnDef& col = schema.columns[size_t(targets[i])];
      if (!fields[i].quoted && fields[i].value.empty()) {
        good = !col.not_null;
        continue;
      }
      auto v = ParseTextValue(fields[i].value, col.type);
      if (!v.ok()) {
        Check(!v.status().message().empty(), "a ParseTextValue error without a message");
        good = false;
        continue;
      }
      Check(v->is_null() == false, "ParseTextValue gave NULL");
      row[size_t(targets[i])] = *v;
    }
    if (!good) continue;
    for (size_t c = 0; c < schema.columns.size(); c++)
      if (!filled[c] && schema.columns[c].not_null) good = false;
    if (good) out.AppendRow(row);
  }
  CheckBatch(schema, out, options.max_field_bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  const StreamSchema schema = SchemaFor((flags >> 3) & 3);
  const Limits limits = LimitsFor(flags);
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  CsvOptions csv;
  if (flags & 0x40) {
    csv.max_field_bytes = 64;
    csv.max_columns = 8;
  }
  const bool header = flags & 0x20;
  const bool one_byte_reads = flags & 0x80;
  switch (flags & 7) {
    case 0:
      RunJson(schema, body, BodyFormat::kNdjson, limits);
      break;
    case 1: {
      auto format = DetectFormat("application/json", body);
      Check(format.ok(), "DetectFormat refuses application/json");
      RunJson(schema, body, *format, limits);
      break;
    }
    case 2: {
      size_t nl = body.find('\n');
      std::string_view type = body.substr(0, nl == std::string_view::npos ? body.size() : nl);
      std::string_view rest = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
      auto format = DetectFormat(type, rest);
      if (format.ok()) RunJson(schema, rest, *format, limits);
      break;
    }
    case 3:
      RunCsv(schema, body, csv, header, one_byte_reads);
      break;
    case 4:
      csv.delimiter = ';';
      csv.escape = '\\';
      RunCsv(schema, body, csv, header, one_byte_reads);
      break;
    case 5:
      csv.delimiter = '\t';
      csv.quote = csv.escape = '\'';
      RunCsv(schema, body, csv, header, one_byte_reads);
      break;
    case 6: {
      auto decoded = RowBatch::Decode(body, schema);
      if (decoded.ok()) {
        // Decode checks the encoding, not the values (the log holds what the parser accepted).
        Check(decoded->num_columns() == schema.columns.size(), "Decode gives the wrong number of columns");
        auto again = RowBatch::Decode(decoded->Encode(), schema);
        Check(again.ok() && again->Encode() == decoded->Encode(), "Decode → Encode → Decode changes the batch");
      }
      break;
    }
    default: {
      std::string_view encoding = body.starts_with("\x1f\x8b") ? "gzip" : "zstd";
      auto plain = Decompress(encoding, body, limits.max_body_bytes);
      if (!plain.ok()) break;
      Check(plain->size() <= limits.max_body_bytes, "Decompress above its limit");
      auto format = DetectFormat("application/json", *plain);
      if (format.ok()) RunJson(schema, *plain, *format, limits);
      break;
    }
  }
  return 0;
}

namespace {

std::string Gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string Zstd(const std::string& in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

}  // namespace

// Writes seed files into `dir`: the flag byte (see the file comment) followed by a body.
extern "C" int LaminarFuzzMakeSeeds(const char* dir) {
  auto F = [](int format, int schema, int extra = 0) { return std::string(1, char(format | (schema << 3) | extra)); };
  const std::string ndjson =
      "{\"ts\":\"2024-01-08T10:15:00Z\",\"user_id\":\"u1\",\"status\":200,\"latency_ms\":12.5,\"ok\":true}\n"
      "\n"
      "{\"ts\":1704708900,\"user_id\":null,\"status\":-9223372036854775808,\"latency_ms\":1e300,\"ok\":false}\r\n"
      "{\"ts\":1704708900123.5,\"user_id\":\"\\u00fc\\ud83d\\ude00\",\"latency_ms\":-0.0}\n"
      "{\"ts\":\"2024-01-08 10:15:00.123456+02:00\",\"status\":1.0}\n"
      "{\"ts\":\"2024-01-08\",\"status\":9223372036854775808,\"extra\":1}\n"
      "{\"ts\":\"2024-01-08T10:15:00Z\",\"user_id\":{\"nested\":[1,2]}}\n"
      "{\"ts\":\"0001-01-01T00:00:00Z\",\"user_id\":\"a\\u0000b\"}\n"
      "{\"ts\":\"9999-12-31T23:59:59.999999Z\",\"ok\":\"true\"}\n"
      "{\"ts\":\"2024-01-08T10:15:00Z\",\"ts\":\"2024-01-08T10:15:01Z\"}\n"
      "{\"ts\":}\n"
      "[1,2,3]\n"
      "{\"ts\":99999999999999999999}\n";
  const std::string array =
      " [{\"ts\":\"2024-01-08T10:15:00Z\",\"n\":1,\"x\":2.5,\"s\":\"a\",\"b\":true,\"t2\":0},"
      " {\"ts\":\"2024-01-08T10:15:00Z\",\"n\":1,\"x\":2.5,\"s\":\"a\",\"b\":true},"
      " {\"ts\":}, 7, {\"ts\":-62135596800,\"n\":-1,\"x\":1E-320,\"s\":\"\",\"b\":false,\"t2\":\"2024-02-29\"}]";
  const std::string wide = "{\"ts\":\"2024-01-08T10:15:00Z\",\"a\":\"x\",\"B\":\"y\",\"with space\":\"z\","
                           "\"\\u00fc\":\"\\u00fc\",\"\\\"q\\\"\":\"q\",\"a,b\":\"c\",\"\":\"empty\",\"ts2\":\"t\"}\n";
  const std::string deep = "{\"ts\":\"2024-01-08T10:15:00Z\",\"user_id\":[[[[[[[[[[\"x\"]]]]]]]]]]}\n";
  const std::string csv =
      "ts,user_id,status,latency_ms,ok\n"
      "2024-01-08T10:15:00Z,u1,200,12.5,true\n"
      "1704708900,\"with, comma\",-1,-1e-3,f\r\n"
      "1704708900123,\"quote \"\"inside\"\"\",,  7 ,YES\r"
      "\"2024-01-08 10:15:00+02\",\"multi\nline\",9223372036854775807,1.7976931348623157e308,0\n"
      "\n"
      "2024-01-08T10:15:00Z,\"\",abc,NaN,maybe\n"
      "2024-01-08T10:15:00Z,too,many,fields,here,x\n"
      ",null ts,1,1,1\n";
  const std::string csv_noheader =
      "\xEF\xBB\xBF" "2024-01-08T10:15:00Z,1,2.5,text,t,2024-01-08\n"
      "2024-01-08T10:15:00Z,\"1\",\"2.5\",\"\",\"t\",\"0\"\n"
      "2024-01-08T10:15:00Z,1,2.5,\"unterminated\n";
  const std::string csv_semicolon =
      "ts;user_id;status\n"
      "2024-01-08T10:15:00Z;\"esc \\\" quote\";1\n"
      "2024-01-08T10:15:00Z;\"esc \\\\ backslash \\x\";2\n"
      "2024-01-08T10:15:00Z;plain \"quote;3\n"
      "2024-01-08T10:15:00Z;\"after\"x;4\n";
  const std::string csv_tab = "ts\ta\tB\n2024-01-08T10:15:00Z\t'tab\there'\t'it''s'\n1\t\t\n";
  std::vector<std::string> seeds = {
      F(0, 0) + ndjson,
      F(0, 0, 0x20) + ndjson,
      F(0, 0, 0x40) + ndjson,
      F(0, 0) + deep,
      F(0, 2) + wide,
      F(0, 3) + "{\"ts\":\"2024-01-08T10:15:00Z\"}\n{\"ts\":0}\n{}\n",
      F(1, 1) + array,
      F(1, 1, 0x40) + array,
      F(1, 1) + "[]",
      F(1, 1) + "[{\"ts\":1},",
      F(1, 0) + ndjson,
      F(2, 0) + "application/x-ndjson\n" + ndjson,
      F(2, 1) + "application/json; charset=utf-8\n" + array,
      F(2, 0) + "application/jsonl\n" + ndjson,
      F(2, 0) + "text/plain\n" + ndjson,
      F(2, 0) + "text/csv\n" + csv,
      F(3, 0, 0x20) + csv,
      F(3, 0, 0xa0) + csv,
      F(3, 0, 0x60) + csv,
      F(3, 1) + csv_noheader,
      F(3, 1, 0x80) + csv_noheader,
      F(3, 0, 0x20) + Gzip(csv),
      F(3, 0, 0x20) + Zstd(csv),
      F(4, 0, 0x20) + csv_semicolon,
      F(5, 2, 0x20) + csv_tab,
      F(7, 0) + Gzip(ndjson),
      F(7, 1) + Zstd(array),
      F(7, 0) + Gzip(ndjson) + Gzip(ndjson),
  };
  // Encoded batches (the log payload) of every schema.
  for (int variant = 0; variant < 4; variant++) {
    StreamSchema s = SchemaFor(variant);
    auto parsed = ParseEvents(s, variant == 1 ? array : variant == 2 ? wide : ndjson,
                              variant == 1 ? BodyFormat::kJsonArray : BodyFormat::kNdjson, Limits{});
    if (parsed.ok()) seeds.push_back(F(6, variant) + parsed->rows.Encode());
  }
  return laminar::WriteFuzzSeeds(dir, seeds);
}
