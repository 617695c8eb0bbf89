// A streaming CSV reader (RFC 4180) for `laminar ingest` and `COPY table FROM 'file.csv'`
// (moved here from app/ so the engine can use it). It reads from a ByteSource (byte_source.h).
//
// Accepted input: records separated by LF, CRLF or a lone CR; fields separated by a one-byte
// delimiter (',' by default). A field that starts with the quote character ('"' by default) is
// quoted: it ends at the next lone quote, a doubled quote inside it is one quote, and it may
// contain delimiters, CR and LF. With an escape character other than the quote (PostgreSQL's
// COPY ... ESCAPE), inside a quoted field the escape followed by a quote or by the escape gives
// that character, and an escape followed by anything else is kept as it is (as PostgreSQL does).
// After the closing quote only a delimiter or the end of the record may follow. A quote inside
// an unquoted field is kept as an ordinary character (as most producers expect). A UTF-8 byte-order mark at
// the very start is skipped. Blank lines (no bytes between two record ends) are skipped and are
// not records. Each field reports whether it was quoted, so callers can tell an empty unquoted
// field (NULL in `laminar ingest`) from "" (the empty string).
//
// Limits: a field longer than max_field_bytes, a record with more than max_columns fields, and an
// unterminated quoted field are errors (InvalidArgument naming the line and the 1-based column);
// the reader cannot resynchronise after one, so they end the read. Memory use is bounded by one
// record (max_columns × max_field_bytes at worst) plus the input buffer.
//
// Line numbers are physical 1-based lines of the input (a CR LF pair counts once); a record that
// spans lines (newlines inside quotes) is reported at the line it starts on.
//
// Thread safety: a CsvReader belongs to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/byte_source.h"

namespace laminar::ingest {

struct CsvOptions {
  char delimiter = ',';
  char quote = '"';
  char escape = '"';  // inside quoted fields; equal to quote: a doubled quote is one quote
  size_t max_field_bytes = 1u << 20;
  size_t max_columns = 4096;
};

struct CsvField {
  std::string value;
  bool quoted = false;
};

// A reader of delimited records: CSV (CsvReader) or PostgreSQL's COPY text format
// (copy_text.h), for loaders that take either.
class FieldReader {
 public:
  virtual ~FieldReader() = default;
  // Reads the next record into *fields (resized to the record's field count). Returns false at
  // the end of the input.
  virtual Result<bool> Next(std::vector<CsvField>* fields) = 0;
  // Line on which the record last returned by Next() starts.
  virtual int64_t record_line() const = 0;
};

class CsvReader : public FieldReader {
 public:
  // Does not take ownership of `source`, which must outlive the reader.
  CsvReader(ByteSource* source, const CsvOptions& options);

  // Reads the next record into *fields (resized to the record's field count). Returns false at
  // the end of the input. Errors: see the file comment; I/O errors of the source pass through.
  Result<bool> Next(std::vector<CsvField>* fields) override;

  // Line on which the record last returned by Next() starts.
  int64_t record_line() const override { return record_line_; }
  // Bytes consumed from the source so far.
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  // Next input byte (0..255), kEnd at the end, kError after a source error (kept in error_).
  static constexpr int kEnd = -1, kError = -2;
  int Get() { return pos_ < end_ ? static_cast<unsigned char>(buf_[pos_++]) : Refill(); }
  int Refill();
  // REQUIRES: the last Get() returned a byte.
  void Unget() { pos_--; }
  // Counts the line ended by `c` ('\n' or '\r'), consuming the LF of a CR LF pair.
  Status EndLine(int c);
  CsvField& Slot(std::vector<CsvField>* fields, size_t n);

  ByteSource* source_;
  CsvOptions options_;
  std::string buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  bool started_ = false;
  Status error_;
  int64_t line_ = 1;
  int64_t record_line_ = 0;
  uint64_t bytes_read_ = 0;
};

}  // namespace laminar::ingest
