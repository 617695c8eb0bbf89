// ParquetWriter: writes one Parquet file from RowBatches of one stream.
//
// The file is what DuckDB, Spark, Trino and Athena expect of a data lake (docs/formats/parquet.md):
// one flat column per stream column, OPTIONAL unless NOT NULL (REQUIRED); data pages v1 with
// RLE/bit-packed definition levels; text dictionary-encoded (a PLAIN dictionary page and
// RLE_DICTIONARY indices) unless the dictionary of a column chunk outgrows
// WriterOptions::dictionary_max_bytes, then that chunk is PLAIN; pages ZSTD-compressed;
// min/max/null-count statistics per column chunk and per page.
//
// Type mapping: boolean → BOOLEAN; bigint → INT64 (INTEGER(64, signed)); double precision →
// DOUBLE; text → BYTE_ARRAY (STRING, converted type UTF8); timestamptz → INT64
// (TIMESTAMP(isAdjustedToUTC=true, MICROS), converted type TIMESTAMP_MICROS).
//
// Thread safety: not thread-safe; one thread writes a file. Writes go through the file-system
// seam (common/fs.h).
//
// Lifecycle (as leveldb's TableBuilder): Open() creates `path` (truncating it), Write() any number
// of batches, then exactly one of Finish() or Abandon(). The writer writes `path` directly; making
// the file appear atomically (tmp + rename + directory fsync) is the caller's job.
// Errors are sticky: after a failed Write() every later call returns the same error. The
// destructor neither finishes nor fsyncs; a writer destroyed without Finish() leaves a partial
// file behind (call Abandon() to remove it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/fs.h"
#include "common/status.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"

namespace laminar::parquet_format {
class ColumnChunk;
class RowGroup;
}  // namespace laminar::parquet_format

namespace laminar::lake {

struct WriterOptions {
  // A row group is closed once its columns hold this much raw (uncompressed, PLAIN-sized) data.
  int64_t row_group_bytes = 128LL << 20;
  // Target raw size of one data page.
  int64_t page_bytes = 1LL << 20;
  // ZSTD compression level for every page.
  int zstd_level = 3;
  // A text column chunk whose dictionary (PLAIN-encoded distinct values) exceeds this size is
  // written PLAIN instead.
  int64_t dictionary_max_bytes = 1LL << 20;
};

// The created_by string written into every file.
inline constexpr const char* kCreatedBy = "laminar version 0.1.0";

class ParquetWriter {
 public:
  // Creates (or truncates) `path` and writes the leading magic. IOError when the file cannot be
  // created; InvalidArgument for a schema without columns or with duplicate column names, or
  // for options that are not positive.
  static Result<std::unique_ptr<ParquetWriter>> Open(const std::string& path,
                                                     const ingest::StreamSchema& schema,
                                                     const WriterOptions& options = {});
  ~ParquetWriter();
  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

  // Adds a key/value pair to the footer (e.g. "laminar.first_seq"). Later pairs with the same key
  // are written too; readers see the last one. REQUIRES: before Finish().
  void AddMetadata(std::string key, std::string value);

  // Appends the rows of `batch`. REQUIRES: its columns have the schema's types, in order.
  // InvalidArgument when they do not, or when a NOT NULL column holds a null (nothing of that
  // batch is written). May write a row group to the file (IOError on failure). Not durable.
  Status Write(const ingest::RowBatch& batch);

  // Writes the last row group and the footer, then fsyncs the file and closes it. On OK the
  // whole file is durable (its directory entry is the caller's business). Sticky error.
  Status Finish();

  // Closes and removes the file. For a writer that will not be finished.
  void Abandon();

  // Rows accepted so far.
  int64_t num_rows() const { return num_rows_; }
  // Bytes written to the file so far (the file size after Finish()).
  int64_t bytes_written() const { return offset_; }
  const std::string& path() const { return path_; }

 private:
  ParquetWriter(std::string path, std::unique_ptr<fs::WritableFile> file, ingest::StreamSchema schema,
                WriterOptions options);
  Status WriteRaw(const std::string& bytes);
  Status FlushRowGroup();
  Status WriteColumnChunk(size_t col, parquet_format::ColumnChunk* chunk);

  std::string path_;
  std::unique_ptr<fs::WritableFile> file_;  // null once closed
  ingest::StreamSchema schema_;
  WriterOptions options_;
  Status error_;             // sticky
  bool finished_ = false;
  int64_t offset_ = 0;       // bytes written to the file
  int64_t num_rows_ = 0;
  int64_t group_rows_ = 0;   // rows buffered in the open row group
  int64_t group_bytes_ = 0;  // raw bytes buffered in the open row group
  std::vector<ingest::Column> buffers_;           // open row group, one per column
  std::vector<parquet_format::RowGroup> row_groups_;  // written row groups, for the footer
  std::vector<std::pair<std::string, std::string>> metadata_;
};

}  // namespace laminar::lake
