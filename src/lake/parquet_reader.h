// ParquetReader: reads flat Parquet files, Laminar's own and those of other writers (DuckDB,
// Spark, pyarrow, …), into RowBatches, row group by row group. docs/formats/parquet.md lists what
// it accepts; in short:
//   - encodings PLAIN, PLAIN_DICTIONARY/RLE_DICTIONARY (with fallback to another encoding in the
//     middle of a chunk), RLE (levels; booleans), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
//     DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT; data pages v1 and v2; dictionary pages;
//   - codecs UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW and the legacy LZ4 (parquet_codec.h);
//   - types: BOOLEAN → boolean; INT32/INT64 (signed or unsigned INTEGER, INT_n/UINT_n) → bigint;
//     FLOAT/DOUBLE and DECIMAL (any physical type) → double precision; BYTE_ARRAY (STRING, ENUM,
//     JSON, BSON or none; bytes kept as they are, UTF-8 is not checked) and UUID → text;
//     TIMESTAMP (MILLIS/MICROS/NANOS, either isAdjustedToUTC), TIMESTAMP_MILLIS/MICROS, INT96 and
//     DATE → timestamptz (micros UTC; nanoseconds rounded down).
// Anything else (nested groups, LIST/MAP, repeated fields, TIME, INTERVAL, FLOAT16, FLBA without a
// logical type, encryption, LZO/BROTLI) is Unimplemented naming the column and the construct. A
// value Laminar cannot hold (a UINT64 above 2^63-1, a timestamp outside the int64 microsecond
// range) is Unimplemented naming the column, row group and value.
//
// Hostile input: every length, offset and count in the file is checked against the file size and
// against the metadata before it is used; the footer and page headers are decoded with Thrift
// string and container limits; each decompression is bounded by the page's declared size, and
// declared sizes by ReaderOptions. A damaged or lying file gives Corruption naming the file and
// what is wrong (column, row group, page offset), never a crash. Memory: the file, one
// decompressed page, and the decoded row group (at most max_row_group_rows rows).
//
// Thread safety: Open()/OpenBuffer() load the whole file into memory; afterwards the const methods,
// including ReadRowGroup(), may be called from several threads at once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"

namespace laminar::parquet_format {
class FileMetaData;
}  // namespace laminar::parquet_format

namespace laminar::lake {

// Limits on what one file may make the reader allocate.
struct ReaderOptions {
  // Largest declared uncompressed page (and largest text one DELTA_BYTE_ARRAY page may rebuild).
  int64_t max_page_bytes = 256LL << 20;
  // Most rows in one row group.
  int64_t max_row_group_rows = 1LL << 28;
};

class ParquetReader {
 public:
  // Reads the file and calls OpenBuffer(). NotFound when the file is missing; IOError when it
  // cannot be read.
  static Result<std::unique_ptr<ParquetReader>> Open(const std::string& path,
                                                     const ReaderOptions& options = {});
  // Checks the file held in `data` and its footer; `name` (a path or an object key) names it in
  // errors. Corruption for data that is not Parquet or whose footer is damaged; Unimplemented for
  // a schema Laminar cannot map (nested columns, unsupported types, encryption).
  static Result<std::unique_ptr<ParquetReader>> OpenBuffer(std::string name, std::string data,
                                                           const ReaderOptions& options = {});
  ~ParquetReader();
  ParquetReader(const ParquetReader&) = delete;
  ParquetReader& operator=(const ParquetReader&) = delete;

  // The file's columns as Laminar types (REQUIRED columns are not_null), in file order. The schema name is
  // empty and event_time_index -1: the file does not record them.
  const ingest::StreamSchema& schema() const { return schema_; }
  int64_t num_rows() const { return num_rows_; }
  int num_row_groups() const;
  int64_t row_group_num_rows(int i) const;
  const std::string& created_by() const { return created_by_; }
  // Footer key/value metadata (for a repeated key, the last value).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  std::optional<std::string> GetMetadata(const std::string& key) const;
  // The path given to Open(), or the name given to OpenBuffer().
  const std::string& path() const { return path_; }

  // Decodes row group i into a batch with the columns of `schema`, matched by name. A column of
  // `schema` missing from the file reads as nulls when nullable (InvalidArgument when NOT NULL);
  // columns of the file not in `schema` are skipped. InvalidArgument for an out-of-range i or a
  // type that does not match the file's; Corruption for damaged pages; Unimplemented for an
  // unsupported encoding or codec, or a value outside the range of its Laminar type.
  Result<ingest::RowBatch> ReadRowGroup(int i, const ingest::StreamSchema& schema) const;

  // The min and max of column `name` in row group i, from the column chunk's statistics, as
  // Laminar values; false when the file has no usable statistics for it (none written, only the
  // deprecated signed min/max of a byte array, NaN bounds, unsigned or decimal columns). Both are
  // NULL (and true is returned) when the chunk holds only nulls per its null_count.
  bool RowGroupMinMax(int i, const std::string& name, Value* min, Value* max) const;

 private:
  ParquetReader() = default;
  Status ReadColumnChunk(int row_group, int file_column, ingest::Column* out) const;

  std::string path_;
  std::string data_;  // the whole file
  ReaderOptions options_;
  std::unique_ptr<parquet_format::FileMetaData> meta_;
  ingest::StreamSchema schema_;
  struct ColumnInfo;
  std::vector<ColumnInfo> columns_;  // per file column: how to decode it
  int64_t num_rows_ = 0;
  std::string created_by_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace laminar::lake
