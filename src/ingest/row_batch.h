// RowBatch: a columnar batch of events of one stream, the unit that flows from ingest through
// the log to the speed layer (and, later, the lake).
//
// Layout per column: a validity byte per row (1 = not null) and one value vector chosen by the
// type: `ints` for boolean (0/1), bigint and timestamptz (micros UTC); `doubles` for double
// precision; text as one byte arena `text_data` with `text_offsets` (rows + 1 entries; row i is
// text_data[offsets[i], offsets[i+1])). A null row still has a slot (0, 0.0 or an empty string).
//
// Thread safety: a value; not synchronised.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "ingest/schema.h"

namespace laminar::ingest {

struct Column {
  Type type = Type::kText;
  std::vector<uint8_t> valid;
  std::vector<int64_t> ints;
  std::vector<double> doubles;
  std::string text_data;
  std::vector<uint32_t> text_offsets{0};

  bool is_null(size_t row) const { return valid[row] == 0; }
  std::string_view text(size_t row) const {
    return std::string_view(text_data).substr(text_offsets[row],
                                              text_offsets[row + 1] - text_offsets[row]);
  }
  Value Get(size_t row) const;

  void AppendNull();
  void AppendInt(int64_t v);      // boolean, bigint, timestamptz
  void AppendDouble(double v);
  void AppendText(std::string_view v);
  void Append(const Value& v);    // REQUIRES: v is null or of this column's type
  void Reserve(size_t rows);
};

class RowBatch {
 public:
  RowBatch() = default;
  explicit RowBatch(const StreamSchema& schema);

  size_t num_rows() const { return num_rows_; }
  size_t num_columns() const { return columns_.size(); }
  Column& column(size_t i) { return columns_[i]; }
  const Column& column(size_t i) const { return columns_[i]; }
  // Call once per row after appending exactly one value to every column.
  void FinishRow() { num_rows_++; }
  // Drops a partially appended row: truncates every column to num_rows().
  void RollbackRow();
  void AppendRow(const std::vector<Value>& row);  // REQUIRES: one value per column
  std::vector<Value> GetRow(size_t row) const;
  // Appends every row of `other`. REQUIRES: same column types.
  void AppendBatch(const RowBatch& other);
  // Appends the rows of `other` numbered in `rows`, in that order, a column at a time.
  // REQUIRES: same column types; every number < other.num_rows().
  void AppendRows(const RowBatch& other, const std::vector<uint32_t>& rows);

  // Binary encoding used as the log record payload. Little-endian, versioned:
  // [u8 version=1][u32 columns][u32 rows] then per column [u8 type][valid bytes][values]
  // where values are rows×i64, rows×f64, or (rows+1)×u32 offsets followed by the text bytes.
  std::string Encode() const;
  size_t EncodedBytes() const;  // the size of Encode()'s result, without encoding
  // Decodes and checks the encoding against the schema's column types. Corruption on any
  // mismatch or truncation (never reads out of bounds). A log record's payload may carry its
  // origin before the encoding (ingest/event_record.h): it is skipped.
  static Result<RowBatch> Decode(std::string_view data, const StreamSchema& schema);

 private:
  // A default-constructed batch takes `other`'s columns (types); REQUIRES otherwise the same.
  void TakeShapeOf(const RowBatch& other);

  std::vector<Column> columns_;
  size_t num_rows_ = 0;
};

}  // namespace laminar::ingest
