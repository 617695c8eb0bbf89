// File import (see import.h). In order: format detection, schema and column mapping, value
// conversion, the three record readers (NDJSON, CSV, Parquet), the batching loop and the
// `laminar ingest` command around it. The byte sources and decompressors
// (ingest/byte_source.cc), the CSV tokenizer (ingest/csv.cc) and the text parsers
// (ingest/text_value.cc) live in ingest/, shared with the engine's COPY.
#include "app/import.h"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <future>
#include <map>
#include <unordered_map>

#include "common/time_util.h"
#include "lake/parquet_inspect.h"
#include "lake/parquet_reader.h"
#include "server/http_server.h"
#include "common/strings.h"

namespace laminar::app {

using lake::AppendJsonString;  // a JSON string literal (the lake's, shared with `lake cat`)
using ingest::PrefixedSource;
using ingest::ReadUpTo;
namespace {

using nlohmann::json;

constexpr size_t kReadChunk = 256u << 10;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Shortened for messages.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  out += s.size() > 64 ? std::string(s.substr(0, 61)) + "..." : std::string(s);
  return out + "\"";
}

// Splits a byte source into lines (LF or CRLF), reporting over-long lines instead of buffering
// them.
class LineReader {
 public:
  LineReader(ByteSource* src, size_t max_line) : src_(src), max_line_(max_line) {}
  // false at the end. *too_long: the line exceeded max_line (its text is dropped).
  Result<bool> Next(std::string* line, bool* too_long) {
    line->clear();
    *too_long = false;
    for (;;) {
      if (pos_ == end_) {
        if (eof_) {
          if (line->empty() && !*too_long && !pending_) return false;
          pending_ = false;
          break;
        }
        if (buf_.empty()) buf_.resize(kReadChunk);
        ASSIGN_OR_RETURN(size_t n, src_->Read(buf_.data(), buf_.size()));
        pos_ = 0;
        end_ = n;
        if (n == 0) eof_ = true;
        continue;
      }
      pending_ = true;
      const char* start = buf_.data() + pos_;
      const char* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
      size_t take = nl ? size_t(nl - start) : end_ - pos_;
      if (!*too_long) {
        if (line->size() + take > max_line_) {
          *too_long = true;
          line->clear();
        } else {
          line->append(start, take);
        }
      }
      pos_ += take;
      if (nl) {
        pos_++;
        pending_ = false;
        break;
      }
    }
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return true;
  }

 private:
  ByteSource* src_;
  size_t max_line_;
  std::string buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  bool pending_ = false;  // bytes of an unfinished line have been consumed
};

// ---- Conversion -------------------------------------------------------------------------------

// The text parsers are ingest/text_value.h's (shared with COPY ... FROM csv).
Status AppendInt64Text(std::string_view t, std::string* out) {
  ASSIGN_OR_RETURN(int64_t v, ingest::ParseInt64Text(t));
  *out += std::to_string(v);
  return Status::OK();
}

void AppendDouble(double d, std::string* out) { fmt::format_to(std::back_inserter(*out), "{}", d); }

using ingest::LooksNumeric;

// How a Parquet column of type `from` goes into a stream column of type `to`.
bool Convertible(Type from, Type to) {
  if (from == to || to == Type::kText || from == Type::kText) return true;
  switch (to) {
    case Type::kInt64:
    case Type::kDouble: return from == Type::kInt64 || from == Type::kDouble;
    case Type::kTimestamp: return from == Type::kInt64 || from == Type::kDouble;
    default: return false;
  }
}

// Appends `"name":` for a stream column.
void AppendKey(const std::string& name, bool first, std::string* out) {
  if (!first) out->push_back(',');
  AppendJsonString(name, out);
  out->push_back(':');
}

// ---- Readers ----------------------------------------------------------------------------------

class NdjsonReader : public RecordReader {
 public:
  NdjsonReader(std::unique_ptr<ByteSource> src, const ingest::StreamSchema& schema, const ImportOptions& o)
      : src_(std::move(src)), lines_(src_.get(), o.max_line_bytes), schema_(schema), options_(o) {}

  Result<bool> Next(ImportRecord* rec) override {
    std::string line;
    bool too_long = false;
    for (;;) {
      ASSIGN_OR_RETURN(bool more, lines_.Next(&line, &too_long));
      if (!more) return false;
      line_no_++;
      if (too_long || Trim(line).find_first_not_of("\r\n\f\v") != std::string_view::npos) break;
    }
    rec->row = ++row_;
    rec->line = line_no_;
    rec->json.clear();
    rec->error.clear();
    if (too_long) {
      rec->error = fmt::format("line is longer than {} bytes", options_.max_line_bytes);
      return true;
    }
    if (row_ == 1 && Trim(line).front() == '[')
      return InvalidArgument("line {}: the file looks like a JSON array; laminar ingest reads NDJSON "
                             "(one JSON object per line)", line_no_);
    // ordered_json: a rewritten record keeps the file's field order.
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      rec->error = "malformed JSON";
      return true;
    }
    if (!j.is_object()) {
      rec->error = fmt::format("expected a JSON object, got {}", j.type_name());
      return true;
    }
    bool rewrite = false;
    std::vector<std::string> unknown;
    std::vector<int> targets;
    targets.reserve(j.size());
    std::vector<bool> seen(schema_.columns.size());
    for (const auto& [key, value] : j.items()) {
      int t = Target(key);
      targets.push_back(t);
      if (t < 0) {
        unknown.push_back(key);
        rewrite = true;
        continue;
      }
      if (seen[t]) {
        rec->error = fmt::format("two fields map to column \"{}\"", schema_.columns[t].name);
        return true;
      }
      seen[t] = true;
      if (schema_.columns[t].name != key) rewrite = true;
    }
    if (!unknown.empty() && !options_.ignore_unknown) {
      std::string names;
      for (const auto& u : unknown) names += (names.empty() ? "" : ", ") + Quote(u);
      rec->error = fmt::format("unknown field{} {} (--ignore-unknown skips them)", unknown.size() > 1 ? "s" : "", names);
      return true;
    }
    if (!rewrite) {
      std::string_view t = Trim(line);
      rec->json.assign(t.data(), t.size());
      return true;
    }
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    size_t i = 0;
    for (auto& [key, value] : j.items()) {
      int t = targets[i++];
      if (t >= 0) out[schema_.columns[t].name] = std::move(value);
    }
    rec->json = out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    return true;
  }

 private:
  int Target(const std::string& key) {
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    int t = MatchColumn(schema_, key);
    if (cache_.size() < 10000) cache_.emplace(key, t);
    return t;
  }

  std::unique_ptr<ByteSource> src_;
  LineReader lines_;
  ingest::StreamSchema schema_;
  ImportOptions options_;
  std::unordered_map<std::string, int> cache_;
  int64_t row_ = 0, line_no_ = 0;
};

class CsvRecordReader : public RecordReader {
 public:
  CsvRecordReader(std::unique_ptr<ByteSource> src, const ingest::StreamSchema& schema, const ImportOptions& o)
      : src_(std::move(src)), csv_(src_.get(), o.csv), schema_(schema), options_(o) {}

  Status ReadHeader() {
    ASSIGN_OR_RETURN(bool any, csv_.Next(&fields_));
    if (!any) return InvalidArgument("the CSV file is empty (it needs a header row naming the columns)");
    std::vector<std::string> names;
    for (auto& f : fields_) {
      std::string_view n = f.quoted ? std::string_view(f.value) : Trim(f.value);
      names.emplace_back(n);
    }
    ASSIGN_OR_RETURN(map_, MapColumns(names, schema_, options_.ignore_unknown));
    for (const auto& m : map_.missing_not_null)
      warnings_.push_back(fmt::format("NOT NULL column \"{}\" is not in the file: every row will be rejected", m));
    return Status::OK();
  }

  Result<bool> Next(ImportRecord* rec) override {
    ASSIGN_OR_RETURN(bool any, csv_.Next(&fields_));
    if (!any) return false;
    rec->row = ++row_;
    rec->line = csv_.record_line();
    rec->json.clear();
    rec->error.clear();
    if (fields_.size() != map_.target.size()) {
      rec->error = fmt::format("expected {} fields (as in the header), got {}", map_.target.size(), fields_.size());
      return true;
    }
    std::string& out = rec->json;
    out.push_back('{');
    bool first = true;
    for (size_t i = 0; i < fields_.size(); i++) {
      int t = map_.target[i];
      if (t < 0) continue;
      const CsvField& f = fields_[i];
      if (!f.quoted && (f.value.empty() || (options_.null_string && f.value == *options_.null_string))) continue;
      const ingest::ColumnDef& col = schema_.columns[t];
      AppendKey(col.name, first, &out);
      first = false;
      Status st = AppendTextAsJson(f.value, col.type, &out);
      if (!st.ok()) {
        rec->json.clear();
        rec->error = fmt::format("column \"{}\": {}", col.name, st.message());
        return true;
      }
    }
    out.push_back('}');
    return true;
  }

 private:
  std::unique_ptr<ByteSource> src_;
  CsvReader csv_;
  ingest::StreamSchema schema_;
  ImportOptions options_;
  ColumnMap map_;
  std::vector<CsvField> fields_;
  int64_t row_ = 0;
};

class ParquetRecordReader : public RecordReader {
 public:
  ParquetRecordReader(std::unique_ptr<lake::ParquetReader> file, const ingest::StreamSchema& schema,
                      const ImportOptions& o)
      : file_(std::move(file)), schema_(schema), options_(o) {}

  Status Init() {
    const ingest::StreamSchema& fs = file_->schema();
    std::vector<std::string> names;
    for (const auto& c : fs.columns) names.push_back(c.name);
    ASSIGN_OR_RETURN(ColumnMap map, MapColumns(names, schema_, options_.ignore_unknown));
    std::vector<std::string> bad;
    for (size_t i = 0; i < fs.columns.size(); i++) {
      int t = map.target[i];
      if (t < 0) continue;
      Type from = fs.columns[i].type, to = schema_.columns[t].type;
      if (!Convertible(from, to)) {
        bad.push_back(fmt::format("file column \"{}\" ({}) cannot go into stream column \"{}\" ({})",
                                  fs.columns[i].name, TypeShortName(from), schema_.columns[t].name, TypeShortName(to)));
        continue;
      }
      read_schema_.columns.push_back(fs.columns[i]);
      targets_.push_back(t);
    }
    if (!bad.empty()) {
      std::string msg;
      for (const auto& b : bad) msg += (msg.empty() ? "" : "; ") + b;
      return InvalidArgument("{}", msg);
    }
    for (const auto& m : map.missing_not_null)
      warnings_.push_back(fmt::format("NOT NULL column \"{}\" is not in the file: every row will be rejected", m));
    return Status::OK();
  }

  Result<bool> Next(ImportRecord* rec) override {
    while (batch_row_ >= batch_.num_rows()) {
      if (group_ >= file_->num_row_groups()) return false;
      ASSIGN_OR_RETURN(batch_, file_->ReadRowGroup(group_, read_schema_));
      group_++;
      batch_row_ = 0;
    }
    size_t r = batch_row_++;
    rec->row = ++row_;
    rec->line = 0;
    rec->json.clear();
    rec->error.clear();
    std::string& out = rec->json;
    out.push_back('{');
    bool first = true;
    for (size_t c = 0; c < targets_.size(); c++) {
      const ingest::Column& col = batch_.column(c);
      if (col.is_null(r)) continue;
      const ingest::ColumnDef& to = schema_.columns[targets_[c]];
      AppendKey(to.name, first, &out);
      first = false;
      Status st = AppendValue(col, r, to.type, &out);
      if (!st.ok()) {
        rec->json.clear();
        rec->error = fmt::format("column \"{}\": {}", to.name, st.message());
        return true;
      }
    }
    out.push_back('}');
    return true;
  }

 private:
  static Status AppendValue(const ingest::Column& col, size_t r, Type to, std::string* out) {
    switch (col.type) {
      case Type::kText: {
        std::string_view s = col.text(r);
        if (to == Type::kText) {
          if (!IsValidUtf8(s)) return InvalidArgument("invalid UTF-8");
          AppendJsonString(s, out);
          return Status::OK();
        }
        return AppendTextAsJson(s, to, out);
      }
      case Type::kBool:
        if (to == Type::kText) AppendJsonString(col.ints[r] ? "true" : "false", out);
        else *out += col.ints[r] ? "true" : "false";
        return Status::OK();
      case Type::kInt64:
        if (to == Type::kText) AppendJsonString(std::to_string(col.ints[r]), out);
        else *out += std::to_string(col.ints[r]);  // bigint, double, timestamptz (epoch rule)
        return Status::OK();
      case Type::kTimestamp:
        AppendJsonString(FormatTimestamp(col.ints[r]), out);  // timestamptz or text
        return Status::OK();
      case Type::kDouble: {
        double d = col.doubles[r];
        if (to == Type::kText) {
          AppendJsonString(Value::Double(d).ToString(), out);
          return Status::OK();
        }
        if (!std::isfinite(d)) return InvalidArgument("{} is not a finite number (JSON cannot carry it)", Value::Double(d).ToString());
        if (to == Type::kInt64) {
          if (d != std::trunc(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
            return InvalidArgument("{} is not an integer in the range of bigint", Value::Double(d).ToString());
          *out += std::to_string(static_cast<int64_t>(d));
          return Status::OK();
        }
        AppendDouble(d, out);
        return Status::OK();
      }
      case Type::kDate: break;  // the Parquet reader gives no dates
    }
    return Internal("unknown type");
  }

  std::unique_ptr<lake::ParquetReader> file_;
  ingest::StreamSchema schema_;
  ImportOptions options_;
  ingest::StreamSchema read_schema_;  // the mapped file columns, with the file's types
  std::vector<int> targets_;          // stream column of each read_schema_ column
  ingest::RowBatch batch_;
  int group_ = 0;
  size_t batch_row_ = 0;
  int64_t row_ = 0;
};

}  // namespace

// ---- Public helpers ---------------------------------------------------------------------------

const char* FileFormatName(FileFormat f) {
  switch (f) {
    case FileFormat::kAuto: return "auto";
    case FileFormat::kNdjson: return "ndjson";
    case FileFormat::kCsv: return "csv";
    case FileFormat::kParquet: return "parquet";
  }
  return "?";
}

Result<FileFormat> ParseFileFormat(std::string_view name) {
  std::string n = Lower(name);
  if (n == "auto") return FileFormat::kAuto;
  if (n == "ndjson" || n == "jsonl" || n == "json") return FileFormat::kNdjson;
  if (n == "csv") return FileFormat::kCsv;
  if (n == "parquet") return FileFormat::kParquet;
  return InvalidArgument("unknown format \"{}\" (auto, ndjson, csv or parquet)", name);
}

FileFormat FormatFromName(const std::string& path) {
  std::string n = Lower(path);
  for (const char* s : {".gz", ".gzip", ".zst", ".zstd"}) {
    if (n.ends_with(s)) {
      n.resize(n.size() - std::strlen(s));
      break;
    }
  }
  if (n.ends_with(".csv") || n.ends_with(".tsv")) return FileFormat::kCsv;
  if (n.ends_with(".ndjson") || n.ends_with(".jsonl") || n.ends_with(".json")) return FileFormat::kNdjson;
  if (n.ends_with(".parquet") || n.ends_with(".pq")) return FileFormat::kParquet;
  return FileFormat::kAuto;
}

Result<ingest::StreamSchema> StreamSchemaFromJson(std::string_view streams_json, const std::string& stream) {
  json j = json::parse(streams_json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("streams") || !j["streams"].is_array())
    return InvalidArgument("unexpected answer from GET /v1/streams (no \"streams\" array)");
  std::vector<std::string> names;
  for (const auto& s : j["streams"]) {
    if (!s.is_object() || !s.contains("name") || !s["name"].is_string()) continue;
    std::string name = s["name"].get<std::string>();
    names.push_back(name);
    if (name != stream) continue;
    ingest::StreamSchema schema;
    schema.name = name;
    if (!s.contains("columns") || !s["columns"].is_array())
      return InvalidArgument("stream \"{}\" has no \"columns\" array in GET /v1/streams", name);
    for (const auto& c : s["columns"]) {
      if (!c.is_object() || !c.contains("name") || !c.contains("type") || !c["name"].is_string() ||
          !c["type"].is_string())
        return InvalidArgument("stream \"{}\": a column without name or type in GET /v1/streams", name);
      ingest::ColumnDef def;
      def.name = c["name"].get<std::string>();
      std::string type = c["type"].get<std::string>();
      auto t = TypeFromSqlName(type);
      if (!t || *t == Type::kDate)  // no stream column is a date
        return InvalidArgument("stream \"{}\": column \"{}\" has unknown type \"{}\"", name, def.name, type);
      def.type = *t;
      def.not_null = c.value("not_null", false);
      schema.columns.push_back(std::move(def));
    }
    if (s.contains("event_time") && s["event_time"].is_string())
      schema.event_time_index = schema.FindColumn(s["event_time"].get<std::string>());
    return schema;
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return NotFound("no stream \"{}\" on the server (streams: {})", stream, list.empty() ? "none" : list);
}

int MatchColumn(const ingest::StreamSchema& schema, std::string_view name) {
  int exact = schema.FindColumn(std::string(name));
  if (exact >= 0) return exact;
  std::string lower = Lower(name);
  int found = -1;
  for (size_t i = 0; i < schema.columns.size(); i++) {
    if (Lower(schema.columns[i].name) != lower) continue;
    if (found >= 0) return -1;  // ambiguous
    found = static_cast<int>(i);
  }
  return found;
}

Result<ColumnMap> MapColumns(const std::vector<std::string>& file_columns, const ingest::StreamSchema& schema,
                             bool ignore_unknown) {
  ColumnMap m;
  std::vector<int> source(schema.columns.size(), -1);
  std::vector<std::string> unknown;
  for (size_t i = 0; i < file_columns.size(); i++) {
    int t = MatchColumn(schema, file_columns[i]);
    m.target.push_back(t);
    if (t < 0) {
      unknown.push_back(file_columns[i]);
      continue;
    }
    if (source[t] >= 0)
      return InvalidArgument("file columns \"{}\" and \"{}\" both map to stream column \"{}\"",
                             file_columns[source[t]], file_columns[i], schema.columns[t].name);
    source[t] = static_cast<int>(i);
  }
  if (!unknown.empty() && !ignore_unknown) {
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + Quote(u);
    std::string cols;
    for (const auto& c : schema.columns) cols += (cols.empty() ? "" : ", ") + c.name;
    return InvalidArgument("file column{} {} {} not in stream \"{}\" (columns: {}); --ignore-unknown skips them",
                           unknown.size() > 1 ? "s" : "", list, unknown.size() > 1 ? "are" : "is", schema.name, cols);
  }
  if (unknown.size() == file_columns.size())
    return InvalidArgument("none of the file's columns is in stream \"{}\"", schema.name);
  for (size_t i = 0; i < schema.columns.size(); i++) {
    if (source[i] >= 0) continue;
    m.missing.push_back(schema.columns[i].name);
    if (schema.columns[i].not_null) m.missing_not_null.push_back(schema.columns[i].name);
  }
  return m;
}

Status AppendTextAsJson(std::string_view s, Type type, std::string* out) {
  switch (type) {
    case Type::kText:
      if (!IsValidUtf8(s)) return InvalidArgument("invalid UTF-8");
      AppendJsonString(s, out);
      return Status::OK();
    case Type::kInt64: return AppendInt64Text(Trim(s), out);
    case Type::kDouble: {
      ASSIGN_OR_RETURN(double d, ingest::ParseDoubleText(Trim(s)));
      AppendDouble(d, out);
      return Status::OK();
    }
    case Type::kBool: {
      auto b = ingest::ParseBoolText(Trim(s));
      if (!b) return InvalidArgument("invalid boolean {} (true/false, t/f, yes/no, 1/0)", Quote(s));
      *out += *b ? "true" : "false";
      return Status::OK();
    }
    case Type::kTimestamp: {
      std::string_view t = Trim(s);
      if (LooksNumeric(t)) {
        // An epoch number: integer text stays exact, otherwise a double.
        std::string tmp;
        if (AppendInt64Text(t, &tmp).ok()) {
          *out += tmp;
          return Status::OK();
        }
        if (auto d = ingest::ParseDoubleText(t); d.ok()) {
          AppendDouble(*d, out);
          return Status::OK();
        }
      }
      if (!ParseTimestamp(t)) return InvalidArgument("invalid timestamp {}", Quote(s));
      if (!IsValidUtf8(t)) return InvalidArgument("invalid UTF-8");
      AppendJsonString(t, out);
      return Status::OK();
    }
    case Type::kDate: break;  // no stream column is a date
  }
  return Internal("unknown type");
}

std::string DescribeReject(const RejectedRow& r) {
  std::string where = r.line > 0 ? fmt::format("row {} (line {})", r.row, r.line) : fmt::format("row {}", r.row);
  std::string what = r.reason;
  if (r.by_server && !r.field.empty()) what = fmt::format("column \"{}\": {}", r.field, what);
  return fmt::format("{}: {}{}", where, what, r.by_server ? " (server)" : "");
}

Result<std::unique_ptr<RecordReader>> RecordReader::Open(const std::string& path, const ingest::StreamSchema& schema,
                                                         const ImportOptions& options) {
  FileFormat format = options.format;
  if (format == FileFormat::kAuto && path != "-") format = FormatFromName(path);
  ImportOptions opts = options;
  if (opts.delimiter == 0) {
    std::string n = Lower(path);
    opts.delimiter = (n.ends_with(".tsv") || n.ends_with(".tsv.gz") || n.ends_with(".tsv.zst")) ? '\t' : ',';
  }
  opts.csv.delimiter = opts.delimiter;

  ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> raw, OpenFileSource(path));
  ASSIGN_OR_RETURN(std::string head, ReadUpTo(raw.get(), 4));
  Compression compression = DetectCompression(head);
  const bool is_par1 = head == "PAR1";
  if (format == FileFormat::kParquet && compression != Compression::kNone)
    return InvalidArgument("{}: a Parquet file is never compressed as a whole ({} data found); decompress it first",
                           path, CompressionName(compression));
  if (format == FileFormat::kAuto && is_par1) format = FileFormat::kParquet;

  if (format == FileFormat::kParquet) {
    if (path == "-") return InvalidArgument("Parquet input must be a file, not standard input");
    if (!is_par1) return InvalidArgument("{}: not a Parquet file (no PAR1 magic at the start)", path);
    raw.reset();
    ASSIGN_OR_RETURN(std::unique_ptr<lake::ParquetReader> file, lake::ParquetReader::Open(path));
    auto r = std::make_unique<ParquetRecordReader>(std::move(file), schema, opts);
    RETURN_IF_ERROR(r->Init());
    r->format_ = FileFormat::kParquet;
    return std::unique_ptr<RecordReader>(std::move(r));
  }

  std::unique_ptr<ByteSource> src =
      NewDecompressor(std::make_unique<PrefixedSource>(std::move(head), std::move(raw)), compression);
  if (format == FileFormat::kAuto) {
    // Sniff the (decompressed) content: '{' first → NDJSON, else CSV.
    ASSIGN_OR_RETURN(std::string peek, ReadUpTo(src.get(), 4096));
    std::string_view p = peek;
    if (p.substr(0, 3) == "\xEF\xBB\xBF") p.remove_prefix(3);
    size_t first = p.find_first_not_of(" \t\r\n");
    format = first != std::string_view::npos && (p[first] == '{' || p[first] == '[') ? FileFormat::kNdjson
                                                                                     : FileFormat::kCsv;
    src = std::make_unique<PrefixedSource>(std::move(peek), std::move(src));
  }
  if (format == FileFormat::kNdjson) {
    auto r = std::make_unique<NdjsonReader>(std::move(src), schema, opts);
    r->format_ = format;
    r->compression_ = compression;
    return std::unique_ptr<RecordReader>(std::move(r));
  }
  auto r = std::make_unique<CsvRecordReader>(std::move(src), schema, opts);
  RETURN_IF_ERROR(r->ReadHeader());
  r->format_ = FileFormat::kCsv;
  r->compression_ = compression;
  return std::unique_ptr<RecordReader>(std::move(r));
}

}  // namespace laminar::app
