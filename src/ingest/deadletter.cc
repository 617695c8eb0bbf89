#include "ingest/deadletter.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "common/file_util.h"
#include "common/time_util.h"

namespace laminar::ingest {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are not one
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const auto cont = [&](size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
  uint8_t c = b(i);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    if (c == 0xF0 && b(i + 1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(i + 1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Appends s as a JSON string. Invalid UTF-8 bytes become U+FFFD so every line stays valid JSON.
void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': *out += "\\\""; i++; continue;
      case '\\': *out += "\\\\"; i++; continue;
      case '\n': *out += "\\n"; i++; continue;
      case '\r': *out += "\\r"; i++; continue;
      case '\t': *out += "\\t"; i++; continue;
      case '\b': *out += "\\b"; i++; continue;
      case '\f': *out += "\\f"; i++; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      *out += fmt::format("\\u{:04x}", c);
      i++;
      continue;
    }
    size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      *out += "\\ufffd";
      i++;
    } else {
      out->append(s.data() + i, n);
      i += n;
    }
  }
  out->push_back('"');
}

bool SafeStreamName(const std::string& s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string::npos &&
         s.find('\0') == std::string::npos;
}

}  // namespace

Status DeadLetter::Write(const std::string& stream, const std::vector<RecordError>& errors,
                         const std::vector<std::string>& origins) {
  if (errors.empty()) return Status::OK();
  if (!SafeStreamName(stream)) return InvalidArgument("dead letter: bad stream name \"{}\"", stream);
  const int64_t now = NowMicros();
  const std::string ts = FormatTimestamp(now);
  int64_t y;
  unsigned m, d;
  CivilFromDays(DateTrunc(TimeUnit::kDay, now) / kMicrosPerDay, &y, &m, &d);

  std::string lines;
  for (size_t i = 0; i < errors.size(); i++) {
    const RecordError& e = errors[i];
    lines += "{\"ts\":";
    AppendJsonString(&lines, ts);
    lines += ",\"stream\":";
    AppendJsonString(&lines, stream);
    if (i < origins.size() && !origins[i].empty()) {
      lines += ",\"origin\":";
      AppendJsonString(&lines, origins[i]);
    }
    lines += fmt::format(",\"index\":{},\"field\":", e.index);
    AppendJsonString(&lines, e.field);
    lines += ",\"reason\":";
    AppendJsonString(&lines, e.reason);
    lines += ",\"raw\":";
    AppendJsonString(&lines, e.raw);
    lines += "}\n";
  }

  const std::string stream_dir = JoinPath(dir_, stream);
  const std::string path = JoinPath(stream_dir, fmt::format("{:04d}-{:02d}-{:02d}.ndjson", y, m, d));
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(CreateDirs(stream_dir));
  struct stat sb;
  const bool existed = ::stat(path.c_str(), &sb) == 0;
  Status st = AppendAndSync(path, lines);
  if (!st.ok()) return st.WithContext("dead letter");
  // A new file's directory entry is durable only once the directory is synced.
  if (!existed) RETURN_IF_ERROR(FsyncDir(stream_dir));
  return Status::OK();
}

}  // namespace laminar::ingest
