// ParquetReader: reads Parquet files of the shape ParquetWriter writes (flat schema; BOOLEAN,
// INT64, DOUBLE, BYTE_ARRAY columns; PLAIN or dictionary-encoded data pages v1; UNCOMPRESSED or
// ZSTD pages). Files by other writers decode when they keep to that subset; anything else is
// reported as Unimplemented, naming the column and the construct. Reading foreign files in
// general (INT32, DATE, nested schemas, data pages v2, other codecs) is a later step.
//
// Hostile input: every length, offset and count in the file is checked against the file size and
// against the metadata before it is used; the footer and page headers are decoded with Thrift
// string and container limits. A damaged or lying file gives Corruption naming the file and what
// is wrong, never a crash or an unbounded allocation.
//
// Thread safety: Open() reads the whole file into memory; afterwards the const methods, including
// ReadRowGroup(), may be called from several threads at once.
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

class ParquetReader {
 public:
  // Reads and checks the file and its footer. NotFound when the file is missing; IOError when it
  // cannot be read; Corruption for a file that is not Parquet or whose footer is damaged;
  // Unimplemented for a schema Laminar cannot map (nested columns, unsupported types).
  static Result<std::unique_ptr<ParquetReader>> Open(const std::string& path);
  ~ParquetReader();
  ParquetReader(const ParquetReader&) = delete;
  ParquetReader& operator=(const ParquetReader&) = delete;

  // The file's columns as Laminar types (REQUIRED columns are not_null). The schema name is
  // empty and event_time_index -1: the file does not record them.
  const ingest::StreamSchema& schema() const { return schema_; }
  int64_t num_rows() const { return num_rows_; }
  int num_row_groups() const;
  int64_t row_group_num_rows(int i) const;
  const std::string& created_by() const { return created_by_; }
  // Footer key/value metadata (for a repeated key, the last value).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  std::optional<std::string> GetMetadata(const std::string& key) const;
  const std::string& path() const { return path_; }

  // Decodes row group i into a batch with the columns of `schema`, matched by name. A column of
  // `schema` missing from the file reads as nulls when nullable (InvalidArgument when NOT NULL);
  // columns of the file not in `schema` are skipped. InvalidArgument for an out-of-range i or a
  // type that does not match the file's; Corruption for damaged pages.
  Result<ingest::RowBatch> ReadRowGroup(int i, const ingest::StreamSchema& schema) const;

 private:
  ParquetReader() = default;
  Status ReadColumnChunk(int row_group, int file_column, ingest::Column* out) const;

  std::string path_;
  std::string data_;  // the whole file
  std::unique_ptr<parquet_format::FileMetaData> meta_;
  ingest::StreamSchema schema_;
  // Per file column, for timestamps: 1 (micros), 1000 (millis: multiply) or -1000 (nanos: divide).
  std::vector<int64_t> timestamp_scale_;
  int64_t num_rows_ = 0;
  std::string created_by_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace laminar::lake
