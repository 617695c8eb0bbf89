#include "ingest/csv.h"

#include <algorithm>
#include <cstring>

namespace laminar::ingest {
namespace {

constexpr size_t kBufferBytes = 256u << 10;

}  // namespace

CsvReader::CsvReader(ByteSource* source, const CsvOptions& options) : source_(source), options_(options) {}

int CsvReader::Refill() {
  if (eof_) return kEnd;
  if (!error_.ok()) return kError;
  if (buf_.empty()) buf_.resize(kBufferBytes);
  end_ = pos_ = 0;
  // The first fill reads at least 3 bytes (or everything) so that a byte-order mark is seen whole.
  size_t want = started_ ? 1 : 3;
  while (end_ < want) {
    auto n = source_->Read(buf_.data() + end_, buf_.size() - end_);
    if (!n.ok()) {
      error_ = n.status();
      return kError;
    }
    if (*n == 0) {
      eof_ = true;
      break;
    }
    end_ += *n;
    bytes_read_ += *n;
  }
  if (!started_) {
    started_ = true;
    if (end_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) {
      pos_ = 3;
      if (pos_ == end_) return Refill();
    }
  }
  if (pos_ >= end_) {
    eof_ = true;
    return kEnd;
  }
  return static_cast<unsigned char>(buf_[pos_++]);
}

CsvField& CsvReader::Slot(std::vector<CsvField>* fields, size_t n) {
  if (fields->size() <= n) fields->resize(n + 1);
  CsvField& f = (*fields)[n];
  f.value.clear();
  f.quoted = false;
  return f;
}

Status CsvReader::EndLine(int c) {
  line_++;
  if (c == '\r') {  // CR LF or a lone CR
    int d = Get();
    if (d == kError) return error_;
    if (d >= 0 && d != '\n') Unget();
  }
  return Status::OK();
}

Result<bool> CsvReader::Next(std::vector<CsvField>* fields) {
  const int delim = static_cast<unsigned char>(options_.delimiter);
  const int quote = static_cast<unsigned char>(options_.quote);
  const int escape = static_cast<unsigned char>(options_.escape);
  // Skip blank lines.
  int c;
  for (;;) {
    c = Get();
    if (c == kError) return error_;
    if (c == kEnd) {
      fields->clear();
      return false;
    }
    if (c != '\n' && c != '\r') break;
    RETURN_IF_ERROR(EndLine(c));
  }
  record_line_ = line_;
  size_t n = 0;
  for (;;) {  // one field per iteration; `c` is its first byte (or the record's end)
    if (n == options_.max_columns)
      return InvalidArgument("line {}: more than {} columns", record_line_, options_.max_columns);
    CsvField& f = Slot(fields, n++);
    if (c == quote) {
      f.quoted = true;
      const int64_t start_line = line_;
      for (;;) {
        c = Get();
        if (c == kError) return error_;
        if (c == kEnd)
          return InvalidArgument("line {}, column {}: quoted field is not terminated before the end of the input",
                                 start_line, n);
        if (c == escape && escape != quote) {
          // An escape escapes only a quote or itself; before anything else it is kept.
          int d = Get();
          if (d == kError) return error_;
          if (d == quote || d == escape) {
            c = d;
          } else if (d >= 0) {
            Unget();
          }
        } else if (c == quote) {
          c = Get();
          if (c == kError) return error_;
          if (c != quote) break;  // the closing quote; c is what follows it
        } else if (c == '\n') {
          line_++;
        } else if (c == '\r') {
          int d = Get();
          if (d == kError) return error_;
          if (d >= 0) Unget();
          if (d != '\n') line_++;  // a CR LF pair counts once, at its LF
        }
        if (f.value.size() >= options_.max_field_bytes)
          return InvalidArgument("line {}, column {}: field is longer than {} bytes", start_line, n,
                                 options_.max_field_bytes);
        f.value.push_back(static_cast<char>(c));
      }
      if (c != delim && c != '\n' && c != '\r' && c != kEnd)
        return InvalidArgument("line {}, column {}: unexpected character '{}' after a closing quote "
                               "(a quote inside a quoted field is written {}{})",
                               line_, n, static_cast<char>(c), static_cast<char>(escape), static_cast<char>(quote));
    } else {
      while (c != delim && c != '\n' && c != '\r' && c != kEnd) {
        if (c == kError) return error_;
        if (f.value.size() >= options_.max_field_bytes)
          return InvalidArgument("line {}, column {}: field is longer than {} bytes", record_line_, n,
                                 options_.max_field_bytes);
        f.value.push_back(static_cast<char>(c));
        c = Get();
      }
      if (c == kError) return error_;
    }
    if (c == delim) {
      c = Get();
      if (c == kError) return error_;
      continue;
    }
    // The end of the record.
    if (c != kEnd) RETURN_IF_ERROR(EndLine(c));
    fields->resize(n);
    return true;
  }
}

}  // namespace laminar::ingest
