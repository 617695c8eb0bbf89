#include "ingest/copy_text.h"

#include <cstring>

namespace laminar::ingest {
namespace {

constexpr size_t kBufferBytes = 256u << 10;

int Octal(char c) { return c >= '0' && c <= '7' ? c - '0' : -1; }
int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

CopyTextReader::CopyTextReader(ByteSource* source, CopyTextOptions options)
    : source_(source), options_(std::move(options)) {}

Result<bool> CopyTextReader::ReadLine() {
  line_.clear();
  bool any = false;
  for (;;) {
    if (pos_ == end_) {
      if (eof_) return any;
      if (buf_.empty()) buf_.resize(kBufferBytes);
      ASSIGN_OR_RETURN(size_t n, source_->Read(buf_.data(), buf_.size()));
      pos_ = 0;
      end_ = n;
      if (n == 0) {
        eof_ = true;
        return any;
      }
      if (!started_) {
        started_ = true;
        if (n >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
      }
      continue;
    }
    if (pending_cr_) {
      pending_cr_ = false;
      if (buf_[pos_] == '\n') {
        pos_++;
        continue;
      }
    }
    const char* start = buf_.data() + pos_;
    const void* nl = std::memchr(start, '\n', end_ - pos_);
    const void* cr = std::memchr(start, '\r', end_ - pos_);
    const char* stop = static_cast<const char*>(nl);
    if (cr && (!stop || cr < static_cast<const void*>(stop))) stop = static_cast<const char*>(cr);
    any = true;
    if (!stop) {
      line_.append(start, end_ - pos_);
      pos_ = end_;
    } else {
      line_.append(start, stop - start);
      pos_ += (stop - start) + 1;
      pending_cr_ = *stop == '\r';
      return true;
    }
    if (line_.size() > options_.max_field_bytes * 4 + options_.max_columns)
      return InvalidArgument("line {}: longer than {} bytes", next_line_, options_.max_field_bytes * 4 + options_.max_columns);
  }
}

Result<bool> CopyTextReader::Next(std::vector<CsvField>* fields) {
  fields->clear();
  if (done_) return false;
  ASSIGN_OR_RETURN(bool more, ReadLine());
  if (!more || line_ == "\\.") {
    done_ = true;
    return false;
  }
  record_line_ = next_line_++;
  const char delim = options_.delimiter;
  size_t i = 0;
  for (;;) {
    if (fields->size() >= options_.max_columns)
      return InvalidArgument("line {}: more than {} fields", record_line_, options_.max_columns);
    // The raw field: up to an unescaped delimiter.
    size_t start = i;
    while (i < line_.size() && line_[i] != delim) i += line_[i] == '\\' ? 2 : 1;
    if (i > line_.size()) return InvalidArgument("line {}: a backslash ends the line (an incomplete escape)", record_line_);
    std::string_view raw(line_.data() + start, i - start);
    CsvField& f = fields->emplace_back();
    if (raw == options_.null_marker) {
      f.quoted = false;
    } else {
      f.quoted = true;
      f.value.reserve(raw.size());
      for (size_t k = 0; k < raw.size(); k++) {
        char c = raw[k];
        if (c != '\\') {
          f.value += c;
          continue;
        }
        char e = raw[++k];  // raw never ends in a lone backslash (checked above)
        switch (e) {
          case 'b': f.value += '\b'; break;
          case 'f': f.value += '\f'; break;
          case 'n': f.value += '\n'; break;
          case 'r': f.value += '\r'; break;
          case 't': f.value += '\t'; break;
          case 'v': f.value += '\v'; break;
          case 'x':
            if (k + 1 < raw.size() && Hex(raw[k + 1]) >= 0) {
              int v = Hex(raw[++k]);
              if (k + 1 < raw.size() && Hex(raw[k + 1]) >= 0) v = v * 16 + Hex(raw[++k]);
              f.value += static_cast<char>(v);
            } else {
              f.value += 'x';
            }
            break;
          default:
            if (Octal(e) >= 0) {
              int v = Octal(e);
              for (int d = 0; d < 2 && k + 1 < raw.size() && Octal(raw[k + 1]) >= 0; d++) v = v * 8 + Octal(raw[++k]);
              f.value += static_cast<char>(v & 0xff);
            } else {
              f.value += e;
            }
        }
      }
      if (f.value.size() > options_.max_field_bytes)
        return InvalidArgument("line {}, column {}: field longer than {} bytes", record_line_, fields->size(),
                               options_.max_field_bytes);
    }
    if (i >= line_.size()) break;
    i++;  // the delimiter
  }
  return true;
}

}  // namespace laminar::ingest
