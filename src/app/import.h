// File import for `laminar ingest STREAM FILE`: reads NDJSON, CSV or Parquet (NDJSON and CSV
// optionally gzip- or zstd-compressed), maps the file's columns onto the stream's by name,
// converts the values to JSON the server's event parser accepts, and sends them in batches to
// POST /v1/streams/{stream}/events — the same log → speed → lake path as live events.
//
// Streaming: NDJSON and CSV are read and decompressed incrementally (memory is bounded by one
// batch plus one record); Parquet is decoded one row group at a time (lake::ParquetReader holds
// the file itself in memory).
//
// Column mapping (MapColumns): a file column goes to the stream column of the same name, else to
// the one whose name matches case-insensitively (when exactly one does). File columns that match
// none are an error listing them, unless ignore_unknown (then they are skipped). Stream columns
// absent from the file are sent as NULL (the server rejects NOT NULL ones row by row).
//
// Value conversion (AppendTextAsJson for text, and the Parquet rules in import.cc):
//  - NULL: CSV empty unquoted field or an unquoted field equal to --null-string; Parquet null.
//    A quoted "" is the empty string.
//  - bigint: integer text (optional sign, surrounding blanks ignored; "1.5", "1e3" rejected);
//    Parquet integers; Parquet doubles only when integral and in range.
//  - double precision: decimal/scientific text, Parquet numbers; NaN and ±Infinity are rejected
//    (JSON cannot carry them).
//  - boolean: true/false/t/f/yes/no/y/n/on/off/1/0 (any case); Parquet booleans.
//  - timestamptz: an ISO-8601 text (checked here, passed through as text), or an epoch number;
//    numbers (text or Parquet integer/double columns) are sent as JSON numbers and so follow the
//    server's epoch rule: |n| < 1e11 → seconds, otherwise milliseconds. Parquet timestamps (any
//    unit) are sent as ISO-8601 text, exactly to the microsecond.
//  - text: any value; Parquet numbers/booleans/timestamps become their text form. Text must be
//    valid UTF-8.
//  Parquet combinations not listed (boolean ↔ number or timestamp, timestamp → number) are a
//  column-mismatch error before anything is sent.
//
// Row numbers: `row` is the 1-based data row (CSV: the header is not a row; NDJSON: blank lines
// are not rows; Parquet: the row in the file), `line` the 1-based line where it starts (0 for
// Parquet).
//
// Thread safety: a RecordReader belongs to one thread; the free functions are pure.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "ingest/byte_source.h"
#include "ingest/csv.h"
#include "ingest/schema.h"
#include "ingest/text_value.h"

namespace laminar::app {

// The byte sources, decompressors and the CSV reader live in ingest/ (byte_source.h, csv.h),
// shared with the engine's COPY; app code names them as before.
using ingest::ByteSource;
using ingest::Compression;
using ingest::CompressionName;
using ingest::CsvField;
using ingest::CsvOptions;
using ingest::CsvReader;
using ingest::DetectCompression;
using ingest::IsValidUtf8;
using ingest::NewDecompressor;
using ingest::OpenFileSource;
using ingest::StringSource;

enum class FileFormat { kAuto, kNdjson, kCsv, kParquet };

const char* FileFormatName(FileFormat f);
// "auto", "ndjson" (also "jsonl", "json"), "csv", "parquet". InvalidArgument otherwise.
Result<FileFormat> ParseFileFormat(std::string_view name);
// From the file name: .csv/.tsv, .ndjson/.jsonl/.json, .parquet/.pq, after dropping a
// .gz/.gzip/.zst/.zstd suffix; kAuto when the name does not tell.
FileFormat FormatFromName(const std::string& path);

// The schema of `stream` from the answer of GET /v1/streams
// ({"streams": [{"name", "columns": [{"name", "type", "not_null"}], "event_time"}]}).
// NotFound naming the streams there are; InvalidArgument for an answer of another shape.
Result<ingest::StreamSchema> StreamSchemaFromJson(std::string_view streams_json, const std::string& stream);

// The stream column a file column named `name` goes to: exact match, else the only
// case-insensitive match; -1 when none.
int MatchColumn(const ingest::StreamSchema& schema, std::string_view name);

struct ColumnMap {
  std::vector<int> target;                    // per file column: stream column index, -1 = skipped
  std::vector<std::string> missing;           // stream columns not in the file
  std::vector<std::string> missing_not_null;  // ... of which NOT NULL (every row will be rejected)
};
// InvalidArgument listing unknown file columns (unless ignore_unknown), naming two file columns
// that map to the same stream column, or when no file column maps at all.
Result<ColumnMap> MapColumns(const std::vector<std::string>& file_columns, const ingest::StreamSchema& schema,
                             bool ignore_unknown);

// Appends the JSON value for text `s` going into a column of type `type` (rules above; `s` is
// not NULL here). InvalidArgument with the reason (no column name) when it does not convert.
Status AppendTextAsJson(std::string_view s, Type type, std::string* out);

struct ImportOptions {
  FileFormat format = FileFormat::kAuto;
  char delimiter = 0;                       // 0: ',' ('\t' for a .tsv name)
  std::optional<std::string> null_string;   // CSV: an unquoted field equal to this is NULL
  bool ignore_unknown = false;
  CsvOptions csv;                           // limits (the delimiter is taken from above)
  size_t max_line_bytes = 16u << 20;        // NDJSON: a longer line is rejected
};

// One record of the file: converted (json set) or rejected client-side (error set).
struct ImportRecord {
  int64_t row = 0;
  int64_t line = 0;
  std::string json;   // one JSON object, no newline
  std::string error;  // non-empty: why the row was rejected
};

class RecordReader {
 public:
  // Opens `path` ("-" = standard input; not for Parquet), choosing the format from
  // options.format, else the name, else the content (PAR1 → Parquet, '{' → NDJSON, else CSV),
  // and the compression from the magic bytes. Reads the CSV header or the Parquet footer and
  // maps the columns. Errors: the file cannot be opened or read (NotFound/IOError), column
  // mismatch or bad header (InvalidArgument), unsupported Parquet (Unimplemented/Corruption).
  static Result<std::unique_ptr<RecordReader>> Open(const std::string& path, const ingest::StreamSchema& schema,
                                                    const ImportOptions& options);
  virtual ~RecordReader() = default;

  // The next record; false at the end. A non-OK status ends the import (I/O error, corrupt
  // compressed data, CSV structure errors).
  virtual Result<bool> Next(ImportRecord* rec) = 0;

  FileFormat format() const { return format_; }
  Compression compression() const { return compression_; }
  // Things the user should know before rows are sent (e.g. NOT NULL columns missing).
  const std::vector<std::string>& warnings() const { return warnings_; }

 protected:
  FileFormat format_ = FileFormat::kAuto;
  Compression compression_ = Compression::kNone;
  std::vector<std::string> warnings_;
};

// A row rejected by the client or by the server, mapped to the file.
struct RejectedRow {
  int64_t row = 0;
  int64_t line = 0;
  std::string field;   // when known (server errors name it)
  std::string reason;
  bool by_server = false;
  std::string record;  // the JSON sent (server rejections)
};
// "row 3 (line 4): reason" / "row 3: reason".
std::string DescribeReject(const RejectedRow& r);

struct ImportProgress {
  uint64_t read = 0;      // records produced by the reader
  uint64_t accepted = 0;
  uint64_t rejected = 0;  // client-side + server-side
};

struct ImportHooks {
  // Sends one NDJSON body; returns the server's JSON answer to a 200
  // ({"accepted", "rejected", "errors": [{"index", "field", "reason"}]}), or an error that ends
  // the import.
  std::function<Result<std::string>(const std::string& body)> post;
  std::function<void(const RejectedRow&)> on_reject;          // optional
  std::function<void(const ImportProgress&)> on_batch_done;   // optional, after each answer
};

// Reads every record of `reader` and sends them in batches of at most batch_rows records (and
// about batch_bytes bytes), one request in flight while the next batch is built. *progress is
// up to date also when an error is returned.
Status RunImport(RecordReader* reader, size_t batch_rows, size_t batch_bytes, const ImportHooks& hooks,
                 ImportProgress* progress);

// `laminar ingest` as a whole: fetches the schema, imports, prints progress (stderr), the summary
// (stdout) and writes errors_file. Returns the exit code: 0 all accepted, 2 some rows rejected,
// 1 fatal error (server unreachable, unreadable file, column mismatch, request refused).
struct IngestCommand {
  std::string stream;
  std::string file;
  std::string http = "127.0.0.1:8080";
  size_t batch = 5000;
  bool quiet = false;
  bool compress = false;   // zstd request bodies (Content-Encoding: zstd)
  std::string errors_file;
  ImportOptions options;
};
int RunIngestCommand(const IngestCommand& cmd);

}  // namespace laminar::app
