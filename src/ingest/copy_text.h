// A reader of PostgreSQL's COPY text format (the default format of COPY ... FROM STDIN, psql's
// \copy without CSV): one record per line, fields separated by a one-byte delimiter (a tab by
// default), backslash escapes, and a NULL marker (`\N` by default).
//
// Rules, as PostgreSQL's COPY FROM reads them:
//  - Lines end with LF, CR LF or a lone CR. A line that is exactly `\.` ends the data (what older
//    clients send); nothing after it is read.
//  - A field whose raw text (before escapes are undone) equals the NULL marker is NULL. Every
//    other field is text, also an empty one (an empty line is one empty field).
//  - Escapes: \b \f \n \r \t \v, \ followed by 1-3 octal digits, \x followed by 1-2 hex digits
//    (a byte), and \ followed by any other byte gives that byte (\\ is a backslash, \<delimiter>
//    a delimiter inside the field). A backslash at the end of a line is an error.
//  - A UTF-8 byte-order mark at the very start is skipped.
// NULL fields come back as {"", quoted = false} and every other field as {value, quoted = true},
// so a loader that treats an empty unquoted CSV field as NULL reads both formats alike.
//
// Limits: a field longer than max_field_bytes and a record with more than max_columns fields are
// errors naming the line. Memory: one line plus the input buffer.
//
// Thread safety: a reader belongs to one thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ingest/csv.h"

namespace laminar::ingest {

struct CopyTextOptions {
  char delimiter = '\t';
  std::string null_marker = "\\N";
  size_t max_field_bytes = 1u << 20;
  size_t max_columns = 4096;
};

class CopyTextReader : public FieldReader {
 public:
  // Does not take ownership of `source`, which must outlive the reader.
  CopyTextReader(ByteSource* source, CopyTextOptions options);

  Result<bool> Next(std::vector<CsvField>* fields) override;
  int64_t record_line() const override { return record_line_; }

 private:
  // Reads the next line (without its end) into line_; false at the end of the input.
  Result<bool> ReadLine();

  ByteSource* source_;
  CopyTextOptions options_;
  std::string buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false, started_ = false, done_ = false;
  bool pending_cr_ = false;  // the last line ended with CR: an LF right after it belongs to it
  std::string line_;
  int64_t next_line_ = 1, record_line_ = 0;
};

}  // namespace laminar::ingest
