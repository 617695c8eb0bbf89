#include "pgwire/copy_out.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "common/strings.h"
#include "pgwire/message.h"
#include "sql/expr.h"
#include "sql/transformer.h"

namespace laminar::pgwire {
namespace {

using Arg = sql::ast::DdlOption::Arg;

// PostgreSQL's defGetBoolean (and defGetCopyHeaderChoice for HEADER): no argument is true.
Result<bool> ArgBool(const sql::ast::DdlOption& o) {
  if (o.arg == Arg::kNone) return true;
  std::string v = Lower(o.value.value_or(""));
  if (v == "true" || v == "on" || (o.arg == Arg::kInteger && v == "1")) return true;
  if (v == "false" || v == "off" || (o.arg == Arg::kInteger && v == "0")) return false;
  if (o.name == "header" && v == "match")
    return Unimplemented("cannot use \"{}\" with HEADER in COPY TO", o.value.value_or(""));
  if (o.name == "header") return InvalidArgument(ErrorCode::kSyntaxError, "header requires a Boolean value or \"match\"");
  return InvalidArgument(ErrorCode::kSyntaxError, "{} requires a Boolean value", o.name);
}

Result<CopyOutOptions> ParseOptions(const std::vector<sql::ast::DdlOption>& options) {
  CopyOutOptions o;
  bool csv = false, binary = false;
  std::optional<std::string> format, delimiter, null_string, quote, escape;
  std::optional<bool> header, freeze;
  bool force_quote_given = false;
  std::vector<std::string> seen;
  for (const sql::ast::DdlOption& opt : options) {
    const std::string& name = opt.name;
    if (std::find(seen.begin(), seen.end(), name) != seen.end())
      return InvalidArgument(ErrorCode::kSyntaxError, "conflicting or redundant options");
    seen.push_back(name);
    auto string_arg = [&]() -> Result<std::string> {  // PostgreSQL's defGetString
      if (!opt.value) return InvalidArgument(ErrorCode::kSyntaxError, "{} requires a parameter", name);
      return *opt.value;
    };
    if (name == "format") {
      Result<std::string> f = string_arg();
      if (!f.ok()) return f.status();
      if (*f == "csv") {
        csv = true;
      } else if (*f == "binary") {
        binary = true;
      } else if (*f != "text") {
        return InvalidArgument(ErrorCode::kInvalidParameterValue, "COPY format \"{}\" not recognized", *f);
      }
      format = *f;
    } else if (name == "header" || name == "freeze") {
      Result<bool> b = ArgBool(opt);
      if (!b.ok()) return b.status();
      (name == "header" ? header : freeze) = *b;
    } else if (name == "delimiter" || name == "null" || name == "quote" || name == "escape") {
      Result<std::string> s = string_arg();
      if (!s.ok()) return s.status();
      (name == "delimiter" ? delimiter : name == "null" ? null_string : name == "quote" ? quote : escape) = *s;
    } else if (name == "force_quote") {
      if (opt.arg == Arg::kStar) {
        o.force_quote_all = true;
      } else if (opt.arg == Arg::kList) {
        o.force_quote = opt.list;
      } else {
        return InvalidArgument(ErrorCode::kInvalidParameterValue,
                               "argument to option \"{}\" must be a list of column names", name);
      }
      force_quote_given = true;
    } else if (name == "force_not_null" || name == "force_null") {
      return Unimplemented("COPY {} only available using COPY FROM",
                           name == "force_null" ? "force null" : "force not null");
    } else if (name == "encoding") {
      Result<std::string> e = string_arg();
      if (!e.ok()) return e.status();
      std::string l = Lower(*e);
      if (l != "utf8" && l != "utf-8" && l != "unicode")
        return Unimplemented("COPY ENCODING '{}' is not supported: Laminar writes UTF-8", *e);
    } else {
      return InvalidArgument(ErrorCode::kSyntaxError, "option \"{}\" not recognized", name);
    }
  }
  if (binary && delimiter) return InvalidArgument(ErrorCode::kSyntaxError, "cannot specify DELIMITER in BINARY mode");
  if (binary && null_string) return InvalidArgument(ErrorCode::kSyntaxError, "cannot specify NULL in BINARY mode");
  std::string delim = delimiter.value_or(csv ? "," : "\t");
  o.null_string = null_string.value_or(csv ? "" : "\\N");
  if (delim.size() != 1) return Unimplemented("COPY delimiter must be a single one-byte character");
  if (delim[0] == '\r' || delim[0] == '\n')
    return InvalidArgument(ErrorCode::kInvalidParameterValue, "COPY delimiter cannot be newline or carriage return");
  if (o.null_string.find_first_of("\r\n") != std::string::npos)
    return InvalidArgument(ErrorCode::kInvalidParameterValue,
                           "COPY null representation cannot use newline or carriage return");
  if (!csv && std::strchr("\\.abcdefghijklmnopqrstuvwxyz0123456789", delim[0]) != nullptr)
    return InvalidArgument(ErrorCode::kInvalidParameterValue, "COPY delimiter cannot be \"{}\"", delim);
  if (binary && header.value_or(false)) return Unimplemented("cannot specify HEADER in BINARY mode");
  if (!csv && quote) return Unimplemented("COPY quote available only in CSV mode");
  std::string q = quote.value_or("\"");
  if (csv && q.size() != 1) return Unimplemented("COPY quote must be a single one-byte character");
  if (csv && delim[0] == q[0])
    return InvalidArgument(ErrorCode::kInvalidParameterValue, "COPY delimiter and quote must be different");
  if (!csv && escape) return Unimplemented("COPY escape available only in CSV mode");
  std::string e = escape.value_or(q);
  if (csv && e.size() != 1) return Unimplemented("COPY escape must be a single one-byte character");
  if (!csv && force_quote_given) return Unimplemented("COPY force quote available only in CSV mode");
  if (o.null_string.find(delim[0]) != std::string::npos)
    return InvalidArgument(ErrorCode::kInvalidParameterValue,
                           "COPY delimiter must not appear in the NULL specification");
  if (csv && o.null_string.find(q[0]) != std::string::npos)
    return InvalidArgument(ErrorCode::kInvalidParameterValue,
                           "CSV quote character must not appear in the NULL specification");
  o.format = binary ? CopyFormat::kBinary : csv ? CopyFormat::kCsv : CopyFormat::kText;
  o.header = header.value_or(false);
  o.delimiter = delim[0];
  o.quote = q[0];
  o.escape = e[0];
  return o;
}

}  // namespace

bool IsCopyTo(const sql::Statement& stmt) {
  if (stmt.kind != "CopyStmt") return false;
  auto copy = sql::TransformCopy(stmt);
  return !copy.ok() || !copy->is_from;  // a COPY that does not transform: PlanCopyOut reports why
}

Result<CopyOutPlan> PlanCopyOut(const sql::Statement& stmt) {
  ASSIGN_OR_RETURN(sql::ast::CopyStmt cs, sql::TransformCopy(stmt));
  if (cs.is_program)
    return Unimplemented(
        "COPY TO PROGRAM is not supported: Laminar runs no programs on the server; use COPY ... "
        "TO STDOUT (psql: \\copy ... TO PROGRAM runs it on the client)");
  if (cs.filename)
    return Unimplemented(
        "COPY to a file is not supported: Laminar writes no files on the server; use COPY ... TO "
        "STDOUT (psql: \\copy ... TO 'file' writes the file on the client)");
  Result<CopyOutOptions> options = ParseOptions(cs.options);
  if (!options.ok()) return options.status();
  CopyOutPlan plan;
  plan.options = std::move(*options);
  if (!cs.has_relation) {
    if (!cs.query)
      return Unimplemented("COPY ({} ...) TO is not supported: COPY copies the rows of a SELECT",
                           sql::DescribeKind(cs.query_kind));
    plan.select = std::move(cs.query);
    return plan;
  }
  // COPY t [(a, b)] TO: SELECT a, b FROM t (every column: *), as a syntax tree.
  auto select = std::make_unique<sql::ast::SelectStmt>();
  std::vector<std::string> seen;
  for (const std::string& col : cs.columns) {
    if (std::find(seen.begin(), seen.end(), col) != seen.end())
      return InvalidArgument(ErrorCode::kDuplicateColumn, "column \"{}\" specified more than once", col);
    seen.push_back(col);
    sql::ast::SelectItem item;
    item.expr = std::make_unique<sql::ast::Expr>();
    item.expr->kind = sql::ast::ExprKind::kColumnRef;
    item.expr->names = {col};
    select->targets.push_back(std::move(item));
  }
  if (cs.columns.empty()) {
    sql::ast::SelectItem star;
    star.expr = std::make_unique<sql::ast::Expr>();
    star.expr->kind = sql::ast::ExprKind::kColumnRef;
    star.expr->star = true;
    select->targets.push_back(std::move(star));
  }
  auto from = std::make_unique<sql::ast::TableRef>();
  from->kind = sql::ast::TableRefKind::kBase;
  from->catalog = cs.relation.catalog;
  from->schema = cs.relation.schema;
  from->name = cs.relation.name;
  select->from.push_back(std::move(from));
  plan.select = std::move(select);
  return plan;
}

// ---- Encoding ----

std::string CopyValueText(const Value& v, Type t) {
  switch (t) {
    case Type::kBool: return v.as_bool() ? "t" : "f";
    case Type::kInt64: return std::to_string(v.as_int());
    case Type::kDouble: return sql::FormatFloat8(v.type() == Type::kDouble ? v.as_double() : double(v.as_int()));
    case Type::kText: return v.type() == Type::kText ? v.as_text() : v.ToString();
    case Type::kTimestamp: return sql::FormatTimestamptz(v.as_int());
    case Type::kDate: return FormatDate(v.as_int());
  }
  return v.ToString();
}

Result<CopyEncoder> CopyEncoder::Make(const CopyOutOptions& options, const std::vector<serving::ResultColumn>& columns) {
  CopyEncoder e;
  e.options_ = options;
  e.columns_ = columns;
  e.force_quote_.assign(columns.size(), options.force_quote_all);
  for (const std::string& name : options.force_quote) {
    auto it = std::find_if(columns.begin(), columns.end(), [&](const auto& c) { return c.name == name; });
    if (it == columns.end())
      return InvalidArgument(ErrorCode::kInvalidColumnReference, "FORCE_QUOTE column \"{}\" not referenced by COPY",
                             name);
    e.force_quote_[size_t(it - columns.begin())] = true;
  }
  return e;
}

void CopyEncoder::AppendText(std::string_view value, char delimiter, std::string* out) {
  // PostgreSQL's CopyAttributeOutText: backslash, the delimiter and the control characters that
  // have a C escape are escaped; other control characters go as they are.
  size_t start = 0;
  for (size_t i = 0; i < value.size(); i++) {
    char c = value[i];
    char esc = 0;
    if (uint8_t(c) < 0x20) {
      switch (c) {
        case '\b': esc = 'b'; break;
        case '\f': esc = 'f'; break;
        case '\n': esc = 'n'; break;
        case '\r': esc = 'r'; break;
        case '\t': esc = 't'; break;
        case '\v': esc = 'v'; break;
        default:
          if (c == delimiter) esc = c;
      }
    } else if (c == '\\' || c == delimiter) {
      esc = c;
    }
    if (!esc) continue;
    out->append(value.substr(start, i - start));
    out->push_back('\\');
    out->push_back(esc);
    start = i + 1;
  }
  out->append(value.substr(start));
}

void CopyEncoder::AppendCsv(std::string_view value, const CopyOutOptions& o, bool force_quote, bool single_column,
                            std::string* out) {
  // PostgreSQL's CopyAttributeOutCSV: quoted when forced, when equal to the NULL string (so it
  // reads back as a value), when it holds the delimiter, the quote, CR or LF, and `\.` alone on a
  // line (the end-of-data marker); inside quotes the quote and the escape get the escape before.
  bool quote = force_quote || value == o.null_string || (single_column && value == "\\.") ||
               value.find_first_of(std::string{o.delimiter, o.quote, '\n', '\r'}) != std::string_view::npos;
  if (!quote) {
    out->append(value);
    return;
  }
  out->push_back(o.quote);
  for (char c : value) {
    if (c == o.quote || c == o.escape) out->push_back(o.escape);
    out->push_back(c);
  }
  out->push_back(o.quote);
}

std::string CopyEncoder::Start() const {
  std::string out;
  if (binary()) {
    // Signature, flags (no OIDs), header extension length.
    out.append("PGCOPY\n\377\r\n\0", 11);
    out.append(8, '\0');
    return out;
  }
  if (!options_.header) return out;
  for (size_t i = 0; i < columns_.size(); i++) {
    if (i > 0) out.push_back(options_.delimiter);
    if (options_.format == CopyFormat::kCsv) {
      AppendCsv(columns_[i].name, options_, false, columns_.size() == 1, &out);
    } else {
      AppendText(columns_[i].name, options_.delimiter, &out);
    }
  }
  out.push_back('\n');
  return out;
}

void CopyEncoder::Row(const std::vector<Value>& row, std::string* out) const {
  auto put32 = [&](uint32_t v) {
    char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    out->append(b, 4);
  };
  if (binary()) {
    out->push_back(char(columns_.size() >> 8));
    out->push_back(char(columns_.size()));
  }
  for (size_t i = 0; i < columns_.size(); i++) {
    bool null = i >= row.size() || row[i].is_null();
    if (binary()) {
      if (null) {
        put32(uint32_t(-1));
        continue;
      }
      std::string bytes = EncodeBinary(row[i], columns_[i].type);
      put32(uint32_t(bytes.size()));
      out->append(bytes);
      continue;
    }
    if (i > 0) out->push_back(options_.delimiter);
    if (null) {
      out->append(options_.null_string);
      continue;
    }
    std::string text = CopyValueText(row[i], columns_[i].type);
    if (options_.format == CopyFormat::kCsv) {
      AppendCsv(text, options_, force_quote_[i], columns_.size() == 1, out);
    } else {
      AppendText(text, options_.delimiter, out);
    }
  }
  if (!binary()) out->push_back('\n');
}

std::string CopyEncoder::Finish() const { return binary() ? std::string("\xff\xff", 2) : std::string(); }

// ---- Running ----

Status RunCopyOut(const CopyOutPlan& plan, const CopyOutSession& session, bool* lost) {
  *lost = false;
  std::string* out = session.out;
  std::optional<CopyEncoder> encoder;
  Status error;  // the encoder's, at the first row
  uint64_t rows = 0;
  std::string line;
  auto begin = [&](const std::vector<serving::ResultColumn>& columns) {
    Result<CopyEncoder> e = CopyEncoder::Make(plan.options, columns);
    if (!e.ok()) {
      error = e.status();
      return false;
    }
    encoder.emplace(std::move(*e));
    WriteCopyOutResponse(out, encoder->binary() ? 1 : 0, columns.size());
    if (std::string start = encoder->Start(); !start.empty()) WriteCopyData(out, start);
    return true;
  };
  auto row = [&](const std::vector<Value>& values) {
    line.clear();
    encoder->Row(values, &line);
    WriteCopyData(out, line);
    rows++;
    if (out->size() <= (256u << 10) || session.flush()) return true;
    *lost = true;
    return false;
  };
  {
    serving::RowSink sink;
    sink.begin = [&](const std::vector<serving::ResultColumn>& columns) -> Status {
      if (begin(columns)) return Status::OK();
      return error;
    };
    sink.row = [&](std::vector<Value>&& values) -> Status {
      if (row(values)) return Status::OK();
      return Cancelled("the client connection was lost");
    };
    Status st = session.query(*plan.select, sink);
    if (*lost) return Status::OK();
    if (!error.ok()) return error;
    if (!st.ok()) return st;
    if (!encoder && !begin({})) return error;  // no columns announced (nothing to copy)
  }
  if (std::string trailer = encoder->Finish(); !trailer.empty()) WriteCopyData(out, trailer);
  WriteCopyDone(out);
  WriteCommandComplete(out, fmt::format("COPY {}", rows));
  return Status::OK();
}

}  // namespace laminar::pgwire
