// Event parsing: one simdjson ondemand parse per record, so a malformed record rejects only
// itself. Values go to per-column slots first (string views into simdjson's buffer) and are
// appended to the RowBatch only when the whole record is good, so a bad record leaves no trace.
#include "ingest/event_parser.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <unordered_map>

#include "common/time_util.h"

namespace laminar::ingest {
namespace {

namespace od = simdjson::ondemand;

constexpr size_t kMaxRawBytes = 4096;   // RecordError::raw
constexpr size_t kMaxShownBytes = 64;   // a value quoted in an error message

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view TrimJsonSpace(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view SkipBom(std::string_view s) {
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Cuts s to at most n bytes without splitting a UTF-8 sequence.
std::string_view Utf8Prefix(std::string_view s, size_t n) {
  if (s.size() <= n) return s;
  size_t end = n;
  for (int back = 0; back < 3 && end > 0 && (static_cast<uint8_t>(s[end]) & 0xC0) == 0x80; back++) end--;
  return s.substr(0, end);
}

// "text" in double quotes for an error message: escapes quotes, backslashes and control
// characters, and shortens long values with "...".
std::string Quote(std::string_view s) {
  std::string_view shown = Utf8Prefix(s, kMaxShownBytes);
  std::string out = "\"";
  for (char c : shown) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  out += '"';
  if (shown.size() < s.size()) out += "...";
  return out;
}

const char* ExpectedName(Type t) {
  switch (t) {
    case Type::kBool: return "boolean";
    case Type::kInt64: return "bigint";
    case Type::kDouble: return "double precision";
    case Type::kText: return "text";
    case Type::kTimestamp: return "timestamptz (ISO-8601 string or epoch number)";
    case Type::kDate: return "date";  // a query-time type: no stream column has it
  }
  return "?";
}

// -?(0|[1-9][0-9]*) : a JSON integer literal.
bool IsIntegerLiteral(std::string_view t) {
  if (!t.empty() && t.front() == '-') t.remove_prefix(1);
  if (t.empty() || (t.size() > 1 && t.front() == '0')) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A full JSON number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
bool IsNumberLiteral(std::string_view t) {
  size_t p = 0;
  auto digits = [&]() {
    size_t start = p;
    while (p < t.size() && t[p] >= '0' && t[p] <= '9') p++;
    return p - start;
  };
  if (p < t.size() && t[p] == '-') p++;
  size_t int_start = p;
  size_t n = digits();
  if (n == 0 || (n > 1 && t[int_start] == '0')) return false;
  if (p < t.size() && t[p] == '.') {
    p++;
    if (digits() == 0) return false;
  }
  if (p < t.size() && (t[p] == 'e' || t[p] == 'E')) {
    p++;
    if (p < t.size() && (t[p] == '+' || t[p] == '-')) p++;
    if (digits() == 0) return false;
  }
  return p == t.size();
}

// True when the record nests objects/arrays deeper than max_depth (the record itself is
// depth 1). A byte scan that skips strings; a fast path avoids it for flat records.
bool TooDeep(std::string_view rec, size_t max_depth) {
  if (max_depth >= 1 && rec.find('[') == std::string_view::npos) {
    // (find_first_of would call memchr once per byte; these are three vectorised scans.)
    size_t first = rec.find('{');
    if (first == std::string_view::npos || rec.find('{', first + 1) == std::string_view::npos) return false;
  }
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < rec.size(); i++) {
    char c = rec[i];
    if (in_string) {
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return true;
    } else if ((c == '}' || c == ']') && depth > 0) {
      depth--;
    }
  }
  return false;
}

// Smallest and largest timestamps accepted (years 0001..9999, as ParseTimestamp).
const int64_t kMinTimestamp = DaysFromCivil(1, 1, 1) * kMicrosPerDay;
const int64_t kMaxTimestamp = DaysFromCivil(10000, 1, 1) * kMicrosPerDay - 1;

// The parsed value of one column in the current record.
struct Slot {
  enum class Kind : uint8_t { kMissing, kNull, kInt, kDouble, kText };
  Kind kind = Kind::kMissing;
  int64_t i = 0;
  double d = 0;
  std::string_view s;  // into the simdjson parser's string buffer
};

struct FieldProblem {
  std::string field;
  std::string reason;
};

// Parses records one at a time into a ParseResult. Reuses one simdjson parser and one padded
// buffer for every record.
class RecordParser {
 public:
  RecordParser(const StreamSchema& schema, const Limits& limits, ParseResult* out)
      : schema_(schema), limits_(limits), out_(out), slots_(schema.columns.size()) {
    required_.resize(schema.columns.size());
    for (size_t i = 0; i < schema.columns.size(); i++) {
      required_[i] = schema.columns[i].not_null || static_cast<int>(i) == schema.event_time_index;
    }
    if (schema.columns.size() > 8) {
      for (size_t i = 0; i < schema.columns.size(); i++) by_name_.emplace(schema.columns[i].name, i);
    }
  }

  // Parses record number `index`: appends a row or an error.
  void Parse(size_t index, std::string_view text) {
    out_->records++;
    std::optional<FieldProblem> problem = ParseRecord(text);
    if (!problem) {
      out_->row_index.push_back(index);
      return;
    }
    RecordError e;
    e.index = index;
    e.field = std::move(problem->field);
    e.reason = std::move(problem->reason);
    e.raw = std::string(Utf8Prefix(text, kMaxRawBytes));
    out_->errors.push_back(std::move(e));
  }

 private:
  static FieldProblem RecordProblem(std::string reason) { return FieldProblem{"", std::move(reason)}; }
  static FieldProblem Problem(std::string_view field, std::string_view what) {
    return FieldProblem{std::string(field), fmt::format("field {}: {}", Quote(field), what)};
  }
  FieldProblem Malformed(od::document& doc, simdjson::error_code err) {
    const char* loc = nullptr;
    if (doc.current_location().get(loc) == simdjson::SUCCESS && loc >= buf_.data() &&
        loc < buf_.data() + len_) {
      return RecordProblem(
          fmt::format("malformed JSON near byte {}: {}", loc - buf_.data(), simdjson::error_message(err)));
    }
    return RecordProblem(fmt::format("malformed JSON: {}", simdjson::error_message(err)));
  }

  int FindColumn(std::string_view key) {
    const auto& cols = schema_.columns;
    if (next_col_ < cols.size() && cols[next_col_].name == key) return static_cast<int>(next_col_);
    if (!by_name_.empty()) {
      auto it = by_name_.find(key);
      return it == by_name_.end() ? -1 : static_cast<int>(it->second);
    }
    for (size_t i = 0; i < cols.size(); i++)
      if (cols[i].name == key) return static_cast<int>(i);
    return -1;
  }

  // Copies the record into the padded buffer (its padding zeroed).
  void Load(std::string_view text) {
    size_t need = text.size() + simdjson::SIMDJSON_PADDING;
    if (buf_.size() < need) buf_.resize(std::max(need, buf_.size() * 2));
    std::memcpy(buf_.data(), text.data(), text.size());
    std::memset(buf_.data() + text.size(), 0, simdjson::SIMDJSON_PADDING);
    len_ = text.size();
  }

  std::optional<FieldProblem> ParseRecord(std::string_view text) {
    if (text.size() > limits_.max_record_bytes) {
      return RecordProblem(fmt::format("record is {} bytes, more than the limit of {}", text.size(),
                                       limits_.max_record_bytes));
    }
    if (TooDeep(text, limits_.max_depth)) {
      return RecordProblem(fmt::format("nesting deeper than {} levels", limits_.max_depth));
    }
    Load(text);
    od::document doc;
    simdjson::error_code err = parser_.iterate(buf_.data(), len_, buf_.size()).get(doc);
    if (err == simdjson::UTF8_ERROR) return RecordProblem("invalid UTF-8");
    if (err == simdjson::EMPTY) return RecordProblem("record is not a JSON object (empty)");
    if (err) return RecordProblem(fmt::format("malformed JSON: {}", simdjson::error_message(err)));
    od::json_type type;
    if ((err = doc.type().get(type))) return Malformed(doc, err);
    if (type != od::json_type::object) {
      return RecordProblem(fmt::format("record is not a JSON object (got {})", TypeWord(type)));
    }
    od::object obj;
    if ((err = doc.get_object().get(obj))) return Malformed(doc, err);

    std::fill(slots_.begin(), slots_.end(), Slot{});
    next_col_ = 0;
    for (auto field_result : obj) {
      od::field field;
      if ((err = std::move(field_result).get(field))) return Malformed(doc, err);
      std::string_view key;
      if ((err = field.unescaped_key().get(key))) return Malformed(doc, err);
      int col = FindColumn(key);
      if (col < 0) {
        if (limits_.ignore_unknown_fields) continue;
        return Problem(key, fmt::format("unknown field (not a column of stream {})", schema_.name));
      }
      next_col_ = static_cast<size_t>(col) + 1;
      Slot& slot = slots_[col];
      if (slot.kind != Slot::Kind::kMissing) return Problem(key, "duplicate field");
      od::value value = field.value();
      if (auto p = ParseValue(doc, value, schema_.columns[col], &slot)) return p;
    }
    const char* loc = nullptr;
    if (doc.current_location().get(loc) == simdjson::SUCCESS) {
      return RecordProblem(fmt::format("malformed JSON: trailing content after the object at byte {}",
                                       loc - buf_.data()));
    }
    for (size_t i = 0; i < slots_.size(); i++) {
      if (required_[i] && (slots_[i].kind == Slot::Kind::kMissing || slots_[i].kind == Slot::Kind::kNull)) {
        return Problem(schema_.columns[i].name, "missing value for NOT NULL column");
      }
    }
    Append();
    return std::nullopt;
  }

  static const char* TypeWord(od::json_type t) {
    switch (t) {
      case od::json_type::array: return "array";
      case od::json_type::object: return "object";
      case od::json_type::number: return "number";
      case od::json_type::string: return "string";
      case od::json_type::boolean: return "boolean";
      case od::json_type::null: return "null";
    }
    return "?";
  }

  // "expected bigint, got string "abc"" for a well-formed scalar of the wrong type; a scalar
  // that is not valid JSON (tru, 01, a bad escape) is reported as malformed.
  FieldProblem Mismatch(od::document& doc, od::value& v, od::json_type t, const ColumnDef& col) {
    std::string got;
    simdjson::error_code err = simdjson::SUCCESS;
    std::string_view token = TrimJsonSpace(v.raw_json_token());
    if (t == od::json_type::string) {
      std::string_view s;
      err = v.get_string().get(s);
      got = std::string("string ") + Quote(s);
    } else if (t == od::json_type::boolean) {
      bool b = false;
      err = v.get_bool().get(b);
      got = b ? "boolean true" : "boolean false";
    } else if (t == od::json_type::number) {
      if (!IsNumberLiteral(token)) err = simdjson::NUMBER_ERROR;
      got = fmt::format("number {}", Utf8Prefix(token, kMaxShownBytes));
    } else {
      got = TypeWord(t);
    }
    if (err) return Malformed(doc, err);
    return Problem(col.name, fmt::format("expected {}, got {}", ExpectedName(col.type), got));
  }

  std::optional<FieldProblem> ParseValue(od::document& doc, od::value& v, const ColumnDef& col, Slot* slot) {
    od::json_type t;
    simdjson::error_code err = v.type().get(t);
    if (err) return Malformed(doc, err);
    const std::string& name = col.name;
    if (t == od::json_type::null) {
      bool is_null = false;
      if (v.is_null().get(is_null) || !is_null) return Malformed(doc, simdjson::N_ATOM_ERROR);
      if (col.not_null) return Problem(name, "missing value for NOT NULL column");
      slot->kind = Slot::Kind::kNull;
      return std::nullopt;
    }
    if (t == od::json_type::object || t == od::json_type::array) {
      return Problem(name, fmt::format("nested {} is not allowed (expected {})", TypeWord(t), ExpectedName(col.type)));
    }
    auto mismatch = [&]() { return Mismatch(doc, v, t, col); };
    switch (col.type) {
      case Type::kBool: {
        if (t != od::json_type::boolean) return mismatch();
        bool b;
        if ((err = v.get_bool().get(b))) return Malformed(doc, err);
        slot->kind = Slot::Kind::kInt;
        slot->i = b ? 1 : 0;
        return std::nullopt;
      }
      case Type::kInt64: {
        if (t != od::json_type::number) return mismatch();
        int64_t i;
        if (v.get_int64().get(i) == simdjson::SUCCESS) {
          slot->kind = Slot::Kind::kInt;
          slot->i = i;
          return std::nullopt;
        }
        std::string_view token = NumberToken(v);
        if (IsIntegerLiteral(token)) {
          return Problem(name, fmt::format("number {} is out of range for bigint", Utf8Prefix(token, kMaxShownBytes)));
        }
        if (IsNumberLiteral(token)) return mismatch();
        return Malformed(doc, simdjson::NUMBER_ERROR);
      }
      case Type::kDouble: {
        if (t != od::json_type::number) return mismatch();
        double d;
        if ((err = v.get_double().get(d))) {
          std::string_view token = NumberToken(v);
          if (IsNumberLiteral(token)) {
            return Problem(name, fmt::format("number {} is out of range for double precision",
                                             Utf8Prefix(token, kMaxShownBytes)));
          }
          return Malformed(doc, err);
        }
        slot->kind = Slot::Kind::kDouble;
        slot->d = d;
        return std::nullopt;
      }
      case Type::kText: {
        if (t != od::json_type::string) return mismatch();
        std::string_view s;
        if ((err = v.get_string().get(s))) return Malformed(doc, err);
        if (s.size() > limits_.max_text_bytes) {
          return Problem(name, fmt::format("text is {} bytes, more than the limit of {}", s.size(),
                                           limits_.max_text_bytes));
        }
        if (s.find('\0') != std::string_view::npos)
          return Problem(name, "text contains the NUL character (\\u0000), which text values may not hold");
        slot->kind = Slot::Kind::kText;
        slot->s = s;
        return std::nullopt;
      }
      case Type::kTimestamp: return ParseTimestampValue(doc, v, t, col, slot);
      case Type::kDate: break;  // no stream column is a date
    }
    return mismatch();
  }

  static std::string_view NumberToken(od::value& v) {
    return TrimJsonSpace(v.raw_json_token());
  }

  std::optional<FieldProblem> ParseTimestampValue(od::document& doc, od::value& v, od::json_type t,
                                                  const ColumnDef& col, Slot* slot) {
    const std::string& name = col.name;
    simdjson::error_code err;
    int64_t micros = 0;
    if (t == od::json_type::string) {
      std::string_view s;
      if ((err = v.get_string().get(s))) return Malformed(doc, err);
      std::optional<int64_t> ts = ParseTimestamp(s);
      if (!ts) return Problem(name, fmt::format("invalid timestamp {}", Quote(s)));
      micros = *ts;
    } else if (t == od::json_type::number) {
      std::string_view token = NumberToken(v);
      auto out_of_range = [&]() {
        return Problem(name, fmt::format("timestamp {} is out of range (years 0001..9999)",
                                         Utf8Prefix(token, kMaxShownBytes)));
      };
      int64_t n;
      double d;
      if (v.get_int64().get(n) == simdjson::SUCCESS) {
        // Epoch seconds below 1e11 (year 5138), epoch milliseconds above.
        constexpr int64_t kSecondsLimit = 100'000'000'000;
        if (n > -kSecondsLimit && n < kSecondsLimit) {
          micros = n * kMicrosPerSecond;
        } else {
          if (n > std::numeric_limits<int64_t>::max() / 1000 || n < std::numeric_limits<int64_t>::min() / 1000) {
            return out_of_range();
          }
          micros = n * 1000;
        }
      } else if (IsIntegerLiteral(token)) {
        return out_of_range();
      } else if ((err = v.get_double().get(d)) == simdjson::SUCCESS) {
        double m = std::fabs(d) < 1e11 ? d * 1e6 : d * 1e3;
        if (!std::isfinite(m) || std::fabs(m) > 9.2e18) return out_of_range();
        micros = std::llround(m);
      } else if (IsNumberLiteral(token)) {
        return out_of_range();
      } else {
        return Malformed(doc, err);
      }
      if (micros < kMinTimestamp || micros > kMaxTimestamp) return out_of_range();
    } else {
      return Mismatch(doc, v, t, col);
    }
    slot->kind = Slot::Kind::kInt;
    slot->i = micros;
    return std::nullopt;
  }

  void Append() {
    RowBatch& rows = out_->rows;
    for (size_t i = 0; i < slots_.size(); i++) {
      Column& c = rows.column(i);
      const Slot& s = slots_[i];
      switch (s.kind) {
        case Slot::Kind::kMissing:
        case Slot::Kind::kNull: c.AppendNull(); break;
        case Slot::Kind::kInt: c.AppendInt(s.i); break;
        case Slot::Kind::kDouble: c.AppendDouble(s.d); break;
        case Slot::Kind::kText: c.AppendText(s.s); break;
      }
    }
    rows.FinishRow();
  }

  const StreamSchema& schema_;
  const Limits& limits_;
  ParseResult* out_;
  std::vector<Slot> slots_;
  std::vector<bool> required_;
  std::unordered_map<std::string_view, size_t> by_name_;  // only for wide schemas
  size_t next_col_ = 0;  // the column expected next: fields usually come in schema order
  od::parser parser_;
  std::vector<char> buf_;
  size_t len_ = 0;
};

Status TooManyRecords(const Limits& limits) {
  return ResourceExhausted("more than {} events in one request", limits.max_events_per_request);
}

Status ParseNdjson(std::string_view body, const Limits& limits, RecordParser* parser, ParseResult* out) {
  size_t index = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    size_t end = nl == std::string_view::npos ? body.size() : nl;
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (TrimJsonSpace(line).empty()) continue;
    if (index == limits.max_events_per_request) return TooManyRecords(limits);
    parser->Parse(index++, line);
  }
  return Status::OK();
}

// Splits a JSON array into the text of its elements, without parsing them: a structural scan
// that skips strings. Errors are for the array as a whole.
Status SplitArray(std::string_view body, const Limits& limits, std::vector<std::string_view>* elements) {
  size_t p = 0;
  auto skip_space = [&]() {
    while (p < body.size() && IsJsonSpace(body[p])) p++;
  };
  skip_space();
  if (p >= body.size() || body[p] != '[') return InvalidArgument("malformed JSON array: does not start with '['");
  p++;
  skip_space();
  bool closed = false;
  if (p < body.size() && body[p] == ']') {
    p++;
    closed = true;
  }
  while (!closed) {
    size_t start = p;
    size_t depth = 0;
    bool in_string = false;
    bool scalar = false;  // inside a top-level number or literal
    bool ended = false;   // a whole top-level value has been seen: only ',' or ']' may follow
    char stop = 0;
    for (; p < body.size(); p++) {
      char c = body[p];
      if (in_string) {
        if (c == '\\') {
          p++;
        } else if (c == '"') {
          in_string = false;
          ended = depth == 0;
        }
        continue;
      }
      if (depth == 0 && (c == ',' || c == ']')) {
        stop = c;
        break;
      }
      if (IsJsonSpace(c)) {
        if (scalar) ended = true;
        continue;
      }
      if (ended) return InvalidArgument("malformed JSON array: missing ',' before byte {}", p);
      if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return InvalidArgument("malformed JSON array: unexpected '}}' at byte {}", p);
        ended = --depth == 0;
      } else if (depth == 0) {
        scalar = true;
      }
    }
    if (stop == 0) return InvalidArgument("malformed JSON array: missing ']' at the end");
    std::string_view element = TrimJsonSpace(body.substr(start, p - start));
    if (element.empty()) {
      return InvalidArgument("malformed JSON array: empty element at index {}", elements->size());
    }
    if (elements->size() == limits.max_events_per_request) return TooManyRecords(limits);
    elements->push_back(element);
    p++;
    if (stop == ']') closed = true;
  }
  skip_space();
  if (p != body.size()) return InvalidArgument("malformed JSON array: trailing content at byte {}", p);
  return Status::OK();
}

}  // namespace

Result<BodyFormat> DetectFormat(std::string_view content_type, std::string_view body) {
  std::string type = AsciiLower(TrimJsonSpace(content_type.substr(0, content_type.find(';'))));
  if (type == "application/x-ndjson" || type == "application/ndjson" || type == "application/jsonl" ||
      type == "application/x-jsonlines" || type == "application/jsonlines" || type == "text/plain") {
    return BodyFormat::kNdjson;
  }
  if (type == "application/json" || type.empty()) {
    std::string_view b = TrimJsonSpace(SkipBom(body));
    return !b.empty() && b.front() == '[' ? BodyFormat::kJsonArray : BodyFormat::kNdjson;
  }
  return InvalidArgument(
      "unsupported content type \"{}\": use application/json, application/x-ndjson, application/jsonl or "
      "text/plain",
      std::string(content_type));
}

Result<ParseResult> ParseEvents(const StreamSchema& schema, std::string_view body, BodyFormat format,
                                const Limits& limits) {
  body = SkipBom(body);
  if (TrimJsonSpace(body).empty()) return InvalidArgument("empty body");
  ParseResult result{RowBatch(schema), {}, {}, 0};
  RecordParser parser(schema, limits, &result);
  if (format == BodyFormat::kNdjson) {
    size_t lines = static_cast<size_t>(std::count(body.begin(), body.end(), '\n')) + 1;
    size_t expect = std::min(lines, limits.max_events_per_request);
    for (size_t i = 0; i < result.rows.num_columns(); i++) result.rows.column(i).Reserve(expect);
    result.row_index.reserve(expect);
    RETURN_IF_ERROR(ParseNdjson(body, limits, &parser, &result));
  } else {
    std::vector<std::string_view> elements;
    RETURN_IF_ERROR(SplitArray(body, limits, &elements));
    for (size_t i = 0; i < result.rows.num_columns(); i++) result.rows.column(i).Reserve(elements.size());
    result.row_index.reserve(elements.size());
    for (size_t i = 0; i < elements.size(); i++) parser.Parse(i, elements[i]);
  }
  return result;
}

}  // namespace laminar::ingest
