// Engine: COPY table [(col, ...)] FROM '/absolute/path' [WITH (option, ...)] — a file in an
// import directory (engine/server_files.h) — or FROM STDIN (the bytes a PostgreSQL client sends:
// CopyFromClient), into a stream or a dimension table (docs/sql.md "Loading rows").
//
// Every row is read and converted first, and any bad row fails the statement naming its line and
// column, with nothing stored (TableRows, then StoreRows: engine/insert.cc). Into a stream the
// rows are appended as events (through the log, into every view, durable before the statement
// completes); into a dimension table they replace its rows (docs/dimensions.md).
// Formats: PostgreSQL's text format (the default for FROM STDIN; ingest/copy_text.h), CSV (fields
// convert by the rules of `laminar ingest`, ingest/text_value.h, the same code; files may be
// gzip- or zstd-compressed, detected by magic bytes) and Parquet (columns matched by name, of
// the table column's type or bigint into double precision, as `laminar lake attach`).
#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <cstring>
#include <limits>
#include <optional>

#include "catalog/ddl.h"
#include "common/strings.h"
#include "engine/engine.h"
#include "engine/server_files.h"
#include "ingest/byte_source.h"
#include "ingest/copy_text.h"
#include "ingest/csv.h"
#include "ingest/text_value.h"
#include "lake/parquet_reader.h"
#include "sql/transformer.h"

namespace laminar::engine {
namespace {

// A text column of a RowBatch is indexed by uint32 offsets.
constexpr uint64_t kMaxTextBytesPerColumn = std::numeric_limits<uint32_t>::max();

enum class CopyFormat { kUnset, kText, kCsv, kParquet };

struct CopyOptions {
  CopyFormat format = CopyFormat::kUnset;
  bool header = false;
  bool header_match = false;
  std::optional<char> delimiter;
  std::optional<std::string> null_string;
  std::optional<char> quote;
  std::optional<char> escape;
};

// The column of `schema` a file column named `name` goes to: the exact name, else the only
// case-insensitive match; -1 when none. `allowed` (when not empty) limits the candidates.
int MatchColumn(const ingest::StreamSchema& schema, const std::vector<int>& allowed, std::string_view name) {
  std::vector<int> cands = allowed;
  if (cands.empty())
    for (size_t i = 0; i < schema.columns.size(); i++) cands.push_back(int(i));
  for (int i : cands)
    if (schema.columns[size_t(i)].name == name) return i;
  int found = -1;
  for (int i : cands) {
    if (Lower(schema.columns[size_t(i)].name) != Lower(name)) continue;
    if (found >= 0) return -1;  // ambiguous
    found = i;
  }
  return found;
}

std::string NameList(const ingest::StreamSchema& schema) {
  std::string out;
  for (const auto& c : schema.columns) out += (out.empty() ? "" : ", ") + c.name;
  return out;
}

Result<CopyOptions> ParseCopyOptions(const std::vector<sql::ast::DdlOption>& options) {
  CopyOptions o;
  std::vector<std::string> seen;
  for (const auto& opt : options) {
    const std::string& name = opt.name;
    if (std::find(seen.begin(), seen.end(), name) != seen.end())
      return InvalidArgument("conflicting or redundant options: {} given twice", name);
    seen.push_back(name);
    const std::optional<std::string>& arg = opt.value;  // a string, a number, a boolean or a word
    auto one_byte = [&](const char* what) -> Result<char> {
      if (!arg || arg->size() != 1)
        return InvalidArgument(ErrorCode::kFeatureNotSupported, "COPY {} must be a single one-byte character", what);
      char c = (*arg)[0];
      if (c == '\n' || c == '\r')
        return InvalidArgument(ErrorCode::kInvalidParameterValue, "COPY {} cannot be newline or carriage return", what);
      return c;
    };
    if (name == "format") {
      std::string f = Lower(arg.value_or(""));
      if (f == "csv") o.format = CopyFormat::kCsv;
      else if (f == "text") o.format = CopyFormat::kText;
      else if (f == "parquet") o.format = CopyFormat::kParquet;
      else if (f == "binary")
        return Unimplemented("COPY FORMAT binary is not supported (use FORMAT text, csv or parquet)");
      else return InvalidArgument(ErrorCode::kInvalidParameterValue,
                                  "COPY format \"{}\" not recognized (use text, csv or parquet)", arg.value_or(""));
    } else if (name == "header") {
      std::string v = Lower(arg.value_or("true"));
      if (v == "true" || v == "on" || v == "1" || v == "yes" || v == "t") o.header = true;
      else if (v == "false" || v == "off" || v == "0" || v == "no" || v == "f") o.header = false;
      else if (v == "match") o.header = o.header_match = true;
      else return InvalidArgument("header requires a Boolean value or \"match\", not \"{}\"", arg.value_or(""));
    } else if (name == "delimiter") {
      ASSIGN_OR_RETURN(char c, one_byte("delimiter"));
      o.delimiter = c;
    } else if (name == "quote") {
      ASSIGN_OR_RETURN(char c, one_byte("quote"));
      o.quote = c;
    } else if (name == "escape") {
      ASSIGN_OR_RETURN(char c, one_byte("escape"));
      o.escape = c;
    } else if (name == "null") {
      if (!arg) return InvalidArgument("COPY NULL needs a string, e.g. NULL 'NA'");
      if (arg->find_first_of("\r\n") != std::string::npos)
        return InvalidArgument(ErrorCode::kInvalidParameterValue,
                               "COPY null representation cannot use newline or carriage return");
      o.null_string = *arg;
    } else if (name == "encoding") {
      std::string e = Lower(arg.value_or(""));
      if (e != "utf8" && e != "utf-8" && e != "unicode")
        return Unimplemented("COPY ENCODING '{}' is not supported: files are read as UTF-8", arg.value_or(""));
    } else {
      return Unimplemented("COPY option \"{}\" is not supported (Laminar knows FORMAT, HEADER, DELIMITER, NULL, "
                           "QUOTE, ESCAPE, ENCODING 'UTF8')",
                           name);
    }
  }
  return o;
}

// Where a COPY ... FROM reads: a file on the server (`path`, checked by ResolveServerFile) or the
// bytes a client sent (`data`, COPY ... FROM STDIN, in the pieces it sent). `name` names it in
// messages.
struct CopyInput {
  std::string name;
  std::string path;
  const std::vector<std::string>* data = nullptr;
  Result<std::unique_ptr<ingest::ByteSource>> Open() const {
    if (data) return std::unique_ptr<ingest::ByteSource>(new ingest::PiecesSource(data));
    return ingest::OpenFileSource(path);
  }
};

// How much one COPY may load: rows (dimension_max_rows for a dimension table; none for a
// stream) and bytes of one text field (for a stream the ingest limit, as for events sent over
// HTTP; 0: none). `what` names the kind of table in messages.
struct LoadLimits {
  uint64_t max_rows = UINT64_MAX;
  size_t max_text_bytes = 0;
  const char* what = "a table";
};

// Reads text-format or CSV data into a batch of the table's schema, or fails naming the line.
class CsvLoader {
 public:
  CsvLoader(const ingest::StreamSchema& schema, const CopyInput& in, const CopyOptions& o,
            const std::vector<int>& column_list, LoadLimits limits)
      : schema_(schema), in_(in), path_(in.name), o_(o), list_(column_list), limits_(limits) {}

  Result<ingest::RowBatch> Load() {
    ASSIGN_OR_RETURN(std::unique_ptr<ingest::ByteSource> raw, in_.Open());
    ASSIGN_OR_RETURN(std::string head, ingest::ReadUpTo(raw.get(), 4));
    if (head == "PAR1") return InvalidArgument("{} is a Parquet file: use WITH (FORMAT parquet)", path_);
    ingest::Compression compression = ingest::DetectCompression(head);
    std::unique_ptr<ingest::ByteSource> src = ingest::NewDecompressor(
        std::make_unique<ingest::PrefixedSource>(std::move(head), std::move(raw)), compression);
    std::unique_ptr<ingest::FieldReader> reader;
    if (o_.format == CopyFormat::kText) {
      ingest::CopyTextOptions to;
      to.delimiter = o_.delimiter.value_or('\t');
      to.null_marker = o_.null_string.value_or("\\N");
      reader = std::make_unique<ingest::CopyTextReader>(src.get(), to);
    } else {
      ingest::CsvOptions co;
      co.delimiter = o_.delimiter.value_or(',');
      co.quote = o_.quote.value_or('"');
      co.escape = o_.escape.value_or(co.quote);
      reader = std::make_unique<ingest::CsvReader>(src.get(), co);
    }
    ingest::FieldReader& csv = *reader;
    std::vector<ingest::CsvField> fields;
    RETURN_IF_ERROR(MapColumns(&csv, &fields));
    filled_.assign(schema_.columns.size(), false);
    for (int t : targets_) filled_[size_t(t)] = true;

    // Two stages on two threads: this one splits records into fields (blocks of them), the other
    // converts the blocks, in order, into the table's columns. The first error wins: a
    // conversion error is on an earlier line than wherever the splitting has got to.
    ingest::RowBatch out(schema_);
    std::mutex mu;
    std::condition_variable cv;
    std::deque<Block> ready;
    std::vector<Block> spare;
    bool done = false;
    Status convert_error;
    std::thread converter([&] {
      for (;;) {
        Block b;
        {
          std::unique_lock<std::mutex> l(mu);
          cv.wait(l, [&] { return !ready.empty() || done; });
          if (ready.empty()) return;
          b = std::move(ready.front());
          ready.pop_front();
        }
        cv.notify_all();
        Status st = Convert(b, &out);
        std::lock_guard<std::mutex> l(mu);
        b.Clear();
        spare.push_back(std::move(b));
        if (!st.ok()) {
          convert_error = std::move(st);
          done = true;
          cv.notify_all();
          return;
        }
      }
    });
    Status split_error;
    Block block;
    auto hand_off = [&]() -> bool {
      std::unique_lock<std::mutex> l(mu);
      cv.wait(l, [&] { return ready.size() < 2 || done; });
      if (done) return false;  // the converter failed
      ready.push_back(std::move(block));
      block = Block();
      if (!spare.empty()) {
        block = std::move(spare.back());
        spare.pop_back();
      }
      cv.notify_all();
      return true;
    };
    for (;;) {
      Result<bool> more = csv.Next(&fields);
      if (!more.ok()) {
        split_error = more.status();
        break;
      }
      if (!*more) break;
      block.Add(fields, csv.record_line());
      if ((block.records() >= kBlockRecords || block.arena.size() >= kBlockBytes) && !hand_off()) break;
    }
    if (split_error.ok() && block.records() > 0) hand_off();
    {
      std::lock_guard<std::mutex> l(mu);
      done = true;
    }
    cv.notify_all();
    converter.join();
    if (!convert_error.ok()) return convert_error;
    RETURN_IF_ERROR(split_error);
    return out;
  }

 private:
  static constexpr size_t kBlockRecords = 4096, kBlockBytes = 1u << 20;
  // Records split into fields: their bytes in one arena.
  struct Block {
    struct Field {
      size_t off = 0, len = 0;
      bool quoted = false;
    };
    std::string arena;
    std::vector<Field> fields;
    std::vector<size_t> first;  // per record: its first field in `fields`
    std::vector<int64_t> lines;
    size_t records() const { return lines.size(); }
    void Add(const std::vector<ingest::CsvField>& record, int64_t line) {
      first.push_back(fields.size());
      lines.push_back(line);
      for (const auto& f : record) {
        fields.push_back({arena.size(), f.value.size(), f.quoted});
        arena += f.value;
      }
    }
    void Clear() {
      arena.clear();
      fields.clear();
      first.clear();
      lines.clear();
    }
  };

  // Converts a block's records into rows of `out`, or fails naming the line and the column.
  Status Convert(const Block& b, ingest::RowBatch* out) const {
    for (size_t r = 0; r < b.records(); r++) {
      const int64_t line = b.lines[r];
      const size_t from = b.first[r], n = (r + 1 < b.records() ? b.first[r + 1] : b.fields.size()) - from;
      if (out->num_rows() >= limits_.max_rows)
        return ResourceExhausted("the file has more than {} rows, the most {} may hold (dimension_max_rows)",
                                 limits_.max_rows, limits_.what);
      if (n < targets_.size())
        return InvalidArgument(ErrorCode::kBadCopyFileFormat,
                               "line {}: missing data for column \"{}\" (expected {} fields, got {})", line,
                               schema_.columns[size_t(targets_[n])].name, targets_.size(), n);
      if (n > targets_.size())
        return InvalidArgument(ErrorCode::kBadCopyFileFormat,
                               "line {}: extra data after last expected column (expected {} fields, got {})", line,
                               targets_.size(), n);
      for (size_t c = 0; c < schema_.columns.size(); c++)
        if (!filled_[c]) out->column(c).AppendNull();
      for (size_t i = 0; i < n; i++) {
        const Block::Field& f = b.fields[from + i];
        const std::string_view value(b.arena.data() + f.off, f.len);
        const size_t t = size_t(targets_[i]);
        const ingest::ColumnDef& col = schema_.columns[t];
        ingest::Column& dst = out->column(t);
        bool is_null = !f.quoted && (value.empty() || (o_.null_string && value == *o_.null_string));
        if (is_null) {
          if (col.not_null)
            return InvalidArgument(ErrorCode::kNotNullViolation,
                                   "line {}, column \"{}\": null value violates not-null constraint", line, col.name);
          dst.AppendNull();
          continue;
        }
        auto bad = [&](const Status& st) {
          return InvalidArgument(st.error_code(), "line {}, column \"{}\": {}", line, col.name, st.message());
        };
        if (col.type == Type::kText) {  // the bytes as they are (ingest/text_value.h), checked, no Value
          if (Status st = ingest::CheckText(value); !st.ok()) return bad(st);
          if (limits_.max_text_bytes && value.size() > limits_.max_text_bytes)
            return InvalidArgument(ErrorCode::kProgramLimitExceeded,
                                   "line {}, column \"{}\": text of {} bytes, more than the {} a field may hold "
                                   "([ingest] max_text_bytes)",
                                   line, col.name, value.size(), limits_.max_text_bytes);
          if (dst.text_data.size() + value.size() > kMaxTextBytesPerColumn)
            return ResourceExhausted("column \"{}\" holds more than 4 GiB of text, too much for {}", col.name,
                                     limits_.what);
          dst.AppendText(value);
          continue;
        }
        auto v = ingest::ParseTextValue(value, col.type);
        if (!v.ok()) return bad(v.status());
        dst.Append(*v);
      }
      out->FinishRow();
    }
    return Status::OK();
  }

  // Reads the header (when there is one) and decides which table column each field goes to.
  Status MapColumns(ingest::FieldReader* csv, std::vector<ingest::CsvField>* fields) {
    if (!list_.empty()) {
      targets_ = list_;
    } else if (!o_.header) {
      for (size_t i = 0; i < schema_.columns.size(); i++) targets_.push_back(int(i));
    }
    if (o_.header) {
      ASSIGN_OR_RETURN(bool any, csv->Next(fields));
      if (!any) return InvalidArgument("{} is empty, but HEADER says it starts with a header line", path_);
      std::vector<std::string> names;
      for (const auto& f : *fields)
        names.emplace_back(f.quoted ? std::string_view(f.value) : ingest::TrimBlanks(f.value));
      if (!list_.empty()) {
        // A column list says where the fields go; HEADER MATCH checks the names against it.
        if (o_.header_match) {
          if (names.size() != targets_.size())
            return InvalidArgument(ErrorCode::kBadCopyFileFormat,
                                   "wrong number of fields in header line: {}, expected {}", names.size(),
                                   targets_.size());
          for (size_t i = 0; i < names.size(); i++)
            if (names[i] != schema_.columns[size_t(targets_[i])].name)
              return InvalidArgument(ErrorCode::kBadCopyFileFormat,
                                     "column name mismatch in header line field {}: got \"{}\", expected \"{}\"",
                                     i + 1, names[i], schema_.columns[size_t(targets_[i])].name);
        }
      } else {
        // Without a column list the header names the columns (as `laminar ingest`).
        std::vector<std::string> unknown;
        std::vector<int> source(schema_.columns.size(), -1);
        for (size_t i = 0; i < names.size(); i++) {
          int t = MatchColumn(schema_, {}, names[i]);
          if (t < 0) {
            unknown.push_back(ingest::QuoteForMessage(names[i]));
            continue;
          }
          if (source[size_t(t)] >= 0)
            return InvalidArgument("header columns \"{}\" and \"{}\" both name column \"{}\"",
                                   names[size_t(source[size_t(t)])], names[i], schema_.columns[size_t(t)].name);
          source[size_t(t)] = int(i);
          targets_.push_back(t);
        }
        if (!unknown.empty()) {
          std::string list;
          for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
          return InvalidArgument("header column{} {} {} not in table \"{}\" (columns: {})",
                                 unknown.size() > 1 ? "s" : "", list, unknown.size() > 1 ? "are" : "is",
                                 schema_.name, NameList(schema_));
        }
      }
    }
    std::vector<bool> present(schema_.columns.size(), false);
    for (int t : targets_) present[size_t(t)] = true;
    for (size_t c = 0; c < schema_.columns.size(); c++)
      if (schema_.columns[c].not_null && !present[c])
        return InvalidArgument("NOT NULL column \"{}\" is not in the {}", schema_.columns[c].name,
                               list_.empty() ? "file's header" : "column list");
    return Status::OK();
  }

  const ingest::StreamSchema& schema_;
  const CopyInput& in_;
  const std::string& path_;
  const CopyOptions& o_;
  const std::vector<int>& list_;
  const LoadLimits limits_;
  std::vector<int> targets_;
  std::vector<bool> filled_;  // per table column: a field goes to it  // per file field: the table column
};

std::string Joined(const std::vector<std::string>& pieces) {
  std::string all;
  size_t n = 0;
  for (const auto& p : pieces) n += p.size();
  all.reserve(n);
  for (const auto& p : pieces) all += p;
  return all;
}

// Reads a Parquet file into a batch of the table's schema (columns matched by name).
Result<ingest::RowBatch> LoadParquet(const ingest::StreamSchema& schema, const CopyInput& in,
                                     const std::vector<int>& column_list, LoadLimits limits) {
  const uint64_t max_rows = limits.max_rows;
  const std::string& path = in.name;
  {
    ASSIGN_OR_RETURN(std::unique_ptr<ingest::ByteSource> raw, in.Open());
    ASSIGN_OR_RETURN(std::string head, ingest::ReadUpTo(raw.get(), 4));
    if (ingest::DetectCompression(head) != ingest::Compression::kNone)
      return InvalidArgument("{} is {}-compressed: a Parquet file is never compressed as a whole", path,
                             ingest::CompressionName(ingest::DetectCompression(head)));
    if (head != "PAR1") return InvalidArgument("{} is not a Parquet file (no PAR1 magic at the start)", path);
  }
  ASSIGN_OR_RETURN(std::unique_ptr<lake::ParquetReader> reader,
                   in.data ? lake::ParquetReader::OpenBuffer(in.name, Joined(*in.data)) : lake::ParquetReader::Open(in.path));
  if (uint64_t(reader->num_rows()) > max_rows)
    return ResourceExhausted("the file has {} rows, more than {} may hold ({}, dimension_max_rows)",
                             reader->num_rows(), limits.what, max_rows);
  const ingest::StreamSchema& fs = reader->schema();
  // source[c]: the index in `read` of the file column that fills table column c (-1: NULL).
  std::vector<int> source(schema.columns.size(), -1);
  std::vector<bool> widen(schema.columns.size(), false);
  ingest::StreamSchema read;
  std::vector<std::string> unknown, bad;
  for (size_t j = 0; j < fs.columns.size(); j++) {
    const ingest::ColumnDef& fc = fs.columns[j];
    int t = MatchColumn(schema, column_list, fc.name);
    if (t < 0) {
      if (column_list.empty()) unknown.push_back(fc.name);
      continue;  // with a column list, the other file columns are not read
    }
    const ingest::ColumnDef& tc = schema.columns[size_t(t)];
    if (source[size_t(t)] >= 0)
      return InvalidArgument("{}: file columns \"{}\" and \"{}\" both match column \"{}\"", path,
                             read.columns[size_t(source[size_t(t)])].name, fc.name, tc.name);
    bool w = fc.type == Type::kInt64 && tc.type == Type::kDouble;
    if (fc.type != tc.type && !w) {
      bad.push_back(fmt::format("file column \"{}\" is {}, table column \"{}\" is {}", fc.name, TypeName(fc.type),
                                tc.name, TypeName(tc.type)));
      continue;
    }
    source[size_t(t)] = int(read.columns.size());
    widen[size_t(t)] = w;
    read.columns.push_back(fc);
  }
  if (!unknown.empty()) {
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    return InvalidArgument("{} has columns that table \"{}\" does not: {} (columns: {})", path, schema.name, list,
                           NameList(schema));
  }
  if (!bad.empty()) {
    std::string list;
    for (const auto& b : bad) list += (list.empty() ? "" : "; ") + b;
    return InvalidArgument("{}: {}", path, list);
  }
  for (size_t c = 0; c < schema.columns.size(); c++) {
    bool wanted = column_list.empty() || std::find(column_list.begin(), column_list.end(), int(c)) != column_list.end();
    if (source[c] < 0 && wanted && schema.columns[c].not_null)
      return InvalidArgument("{} has no column \"{}\", which is NOT NULL", path, schema.columns[c].name);
    if (source[c] < 0 && schema.columns[c].not_null)
      return InvalidArgument("NOT NULL column \"{}\" is not in the column list", schema.columns[c].name);
  }
  ingest::RowBatch out(schema);
  uint64_t row_base = 0;
  for (int g = 0; g < reader->num_row_groups(); g++) {
    ASSIGN_OR_RETURN(ingest::RowBatch in, reader->ReadRowGroup(g, read));
    const size_t rows = in.num_rows();
    for (size_t c = 0; c < schema.columns.size(); c++) {
      const ingest::ColumnDef& tc = schema.columns[c];
      ingest::Column& dst = out.column(c);
      if (source[c] < 0) {
        for (size_t r = 0; r < rows; r++) dst.AppendNull();
        continue;
      }
      const ingest::Column& src = in.column(size_t(source[c]));
      for (size_t r = 0; r < rows; r++) {
        if (src.is_null(r)) {
          if (tc.not_null)
            return InvalidArgument(ErrorCode::kNotNullViolation,
                                   "row {}, column \"{}\": null value violates not-null constraint", row_base + r + 1,
                                   tc.name);
          dst.AppendNull();
        } else if (widen[c]) {
          dst.AppendDouble(static_cast<double>(src.ints[r]));
        } else if (tc.type == Type::kText) {
          std::string_view s = src.text(r);
          if (Status bad = ingest::CheckText(s); !bad.ok())
            return bad.WithContext(fmt::format("row {}, column \"{}\"", row_base + r + 1, tc.name));
          if (dst.text_data.size() + s.size() > kMaxTextBytesPerColumn)
            return ResourceExhausted("column \"{}\" holds more than 4 GiB of text, too much for {}",
                                     tc.name, limits.what);
          dst.AppendText(s);
        } else if (tc.type == Type::kDouble) {
          dst.AppendDouble(src.doubles[r]);
        } else {
          dst.AppendInt(src.ints[r]);
        }
      }
    }
    for (size_t r = 0; r < rows; r++) out.FinishRow();
    row_base += rows;
  }
  return out;
}


}  // namespace

Result<StatementResult> Engine::Copy(const sql::Statement& stmt) {
  ASSIGN_OR_RETURN(TableRows rows, CopyInto(stmt, nullptr, nullptr));
  RETURN_IF_ERROR(StoreRows(rows));
  return StatementResult{rows.tag};
}

Result<size_t> Engine::CopyFromClientColumns(const sql::Statement& stmt) {
  size_t columns = 0;
  const std::vector<std::string> none;
  RETURN_IF_ERROR(CopyInto(stmt, &none, &columns).status());
  return columns;
}

Result<StatementResult> Engine::CopyFromClient(const sql::Statement& stmt, const std::vector<std::string>& data) {
  ASSIGN_OR_RETURN(TableRows rows, CopyInto(stmt, &data, nullptr));
  RETURN_IF_ERROR(StoreRows(rows));
  return StatementResult{rows.tag};
}

Result<TableRows> Engine::CopyInto(const sql::Statement& stmt, const std::vector<std::string>* client_data,
                                   size_t* describe_columns) {
  ASSIGN_OR_RETURN(sql::ast::CopyStmt cs, sql::TransformCopy(stmt));
  if (!cs.has_relation)
    return Unimplemented("COPY (query) TO is not supported here: run the query with POST /v1/query (CSV with "
                         "Accept: text/csv), or COPY (query) TO STDOUT over the PostgreSQL protocol (psql's \\copy)");
  ASSIGN_OR_RETURN(std::string name, catalog::internal::RelationName(cs.relation));
  if (!cs.is_from)
    return Unimplemented("COPY ... TO is not supported here: read the table with SELECT * FROM {}, or COPY {} TO "
                         "STDOUT over the PostgreSQL protocol (psql's \\copy)", name, name);
  ASSIGN_OR_RETURN(TableRows out, RowsTarget(name, "COPY into"));
  const catalog::StreamPtr& schema = out.schema;
  if (cs.is_program) return Unimplemented("COPY ... FROM PROGRAM is not supported");
  if (!cs.filename && !client_data)
    return Unimplemented(
        "COPY ... FROM STDIN needs a client that sends the data (psql's \\copy, or COPY FROM STDIN over the "
        "PostgreSQL protocol); here, name a file in an import directory, e.g. COPY {} FROM '{}/{}.csv' WITH "
        "(FORMAT csv, HEADER true)",
        name, ImportDirs().front(), name);
  if (cs.filename && client_data)
    return InvalidArgument("COPY {} FROM '{}' reads a file on the server, not data sent by the client", name,
                           *cs.filename);
  if (cs.has_where) return Unimplemented("COPY ... FROM ... WHERE is not supported");
  if (options_.read_only) return Unavailable("the engine is open read-only");
  const std::string path = cs.filename.value_or("");
  auto fail = [&](const Status& st) { return st.WithContext(fmt::format("COPY {}", name)); };

  // A column list: the table columns the file's fields go to, in order.
  std::vector<int> column_list;
  for (const std::string& col : cs.columns) {
    int c = schema->FindColumn(col);
    if (c < 0)
      return fail(InvalidArgument(ErrorCode::kUndefinedColumn,
                                  "column \"{}\" of relation \"{}\" does not exist", col, name));
    if (std::find(column_list.begin(), column_list.end(), c) != column_list.end())
      return fail(InvalidArgument(ErrorCode::kDuplicateColumn, "column \"{}\" specified more than once", col));
    column_list.push_back(c);
  }
  auto parsed = ParseCopyOptions(cs.options);
  if (!parsed.ok()) return fail(parsed.status());
  CopyOptions o = *parsed;

  // FORMAT, else from the name: .csv/.tsv (optionally .gz/.zst) or .parquet/.pq.
  std::string lname = Lower(path);
  for (const char* s : {".gz", ".gzip", ".zst", ".zstd"}) {
    if (lname.ends_with(s)) {
      lname.resize(lname.size() - std::strlen(s));
      break;
    }
  }
  if (o.format == CopyFormat::kUnset && client_data) o.format = CopyFormat::kText;  // PostgreSQL's default
  if (o.format == CopyFormat::kUnset) {
    if (lname.ends_with(".csv") || lname.ends_with(".tsv")) o.format = CopyFormat::kCsv;
    else if (lname.ends_with(".parquet") || lname.ends_with(".pq")) o.format = CopyFormat::kParquet;
    else
      return fail(InvalidArgument("say WITH (FORMAT csv) or WITH (FORMAT parquet): the file name '{}' does not end "
                                  "in .csv or .parquet",
                                  path));
  }
  if (o.format == CopyFormat::kCsv && !o.delimiter && lname.ends_with(".tsv")) o.delimiter = '\t';
  if (o.format == CopyFormat::kParquet) {
    for (auto [given, what] : {std::pair{o.header, "HEADER"}, std::pair{o.delimiter.has_value(), "DELIMITER"},
                               std::pair{o.null_string.has_value(), "NULL"}, std::pair{o.quote.has_value(), "QUOTE"},
                               std::pair{o.escape.has_value(), "ESCAPE"}})
      if (given) return fail(InvalidArgument("cannot specify {} with FORMAT parquet (it is for CSV)", what));
  } else if (o.format == CopyFormat::kText) {
    for (auto [given, what] : {std::pair{o.quote.has_value(), "QUOTE"}, std::pair{o.escape.has_value(), "ESCAPE"}})
      if (given) return fail(InvalidArgument(ErrorCode::kFeatureNotSupported, "COPY {} available only in CSV mode", what));
    if (o.null_string && o.null_string->find(o.delimiter.value_or('\t')) != std::string::npos)
      return fail(InvalidArgument(ErrorCode::kInvalidParameterValue,
                                  "COPY delimiter must not appear in the NULL specification"));
  } else {
    char delim = o.delimiter.value_or(','), quote = o.quote.value_or('"');
    if (delim == quote)
      return fail(InvalidArgument(ErrorCode::kInvalidParameterValue, "COPY delimiter and quote must be different"));
    if (o.null_string && o.null_string->find(delim) != std::string::npos)
      return fail(InvalidArgument(ErrorCode::kInvalidParameterValue,
                                  "COPY delimiter must not appear in the NULL specification"));
  }

  if (describe_columns) {  // COPY FROM STDIN, before the data: the number of columns it takes
    *describe_columns = column_list.empty() ? schema->columns.size() : column_list.size();
    return out;
  }
  CopyInput in;
  if (client_data) {
    in.name = "the data sent (COPY FROM STDIN)";
    in.data = client_data;
  } else {
    auto real = ResolveServerFile(path, ServerFiles());
    if (!real.ok()) return fail(real.status());
    in.name = path;
    in.path = *real;
  }
  LoadLimits limits;
  if (out.stream) {
    limits.max_text_bytes = options_.ingest.max_text_bytes;
    limits.what = "a stream";
  } else {
    limits.max_rows = options_.dimension_max_rows;
    limits.what = "a dimension table";
  }
  Result<ingest::RowBatch> rows =
      o.format == CopyFormat::kParquet ? LoadParquet(*schema, in, column_list, limits)
                                       : CsvLoader(*schema, in, o, column_list, limits).Load();
  if (!rows.ok()) return fail(rows.status());
  out.rows = std::move(rows).value();
  out.replace = !out.stream;  // a dimension table's COPY replaces its rows (docs/dimensions.md)
  out.tag = fmt::format("COPY {}", out.rows.num_rows());
  return out;
}

}  // namespace laminar::engine
