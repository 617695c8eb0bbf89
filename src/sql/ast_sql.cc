// The deparser: ast trees back to PostgreSQL SQL text (ToSql in ast.h).
//
// Expressions: an operand of an operator (or of IS, BETWEEN, IN, LIKE, COLLATE, ...) is
// parenthesised unless it is atomic (a name, a non-negative constant, a function call, CAST(...),
// CASE ... END, a subquery in parentheses, ...), so no precedence rule is ever needed; top-level
// expressions (select items, function arguments, WHERE) are not. Casts print as CAST(x AS t),
// typed literals too (`date '2024-01-01'` → CAST('2024-01-01' AS date): the same tree).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <string_view>

#include "common/strings.h"
#include "sql/ast.h"

namespace laminar::sql::ast {
namespace {

// PostgreSQL 15's keywords other than the unreserved ones (src/include/parser/kwlist.h), by
// category, sorted. Column-name keywords may name columns but not functions; type/function-name
// keywords may name functions and types but not columns; reserved keywords neither.
constexpr std::string_view kColNameKeywords[] = {
    "between", "bigint", "bit", "boolean", "char", "character", "coalesce", "dec", "decimal", "exists",
    "extract", "float", "greatest", "grouping", "inout", "int", "integer", "interval", "least", "national",
    "nchar", "none", "normalize", "nullif", "numeric", "out", "overlay", "position", "precision", "real",
    "row", "setof", "smallint", "substring", "time", "timestamp", "treat", "trim", "values", "varchar",
    "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse",
    "xmlpi", "xmlroot", "xmlserialize", "xmltable"};
constexpr std::string_view kTypeFuncNameKeywords[] = {
    "authorization", "binary", "collation", "concurrently", "cross", "current_schema", "freeze", "full",
    "ilike", "inner", "is", "isnull", "join", "left", "like", "natural", "notnull", "outer", "overlaps",
    "right", "similar", "tablesample", "verbose"};
constexpr std::string_view kReservedKeywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
    "check", "collate", "column", "constraint", "create", "current_catalog", "current_date",
    "current_role", "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc",
    "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant",
    "group", "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit", "localtime",
    "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing", "primary",
    "references", "returning", "select", "session_user", "some", "symmetric", "table", "then", "to",
    "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where", "window", "with"};

template <size_t N>
bool In(const std::string_view (&list)[N], std::string_view s) {
  return std::binary_search(std::begin(list), std::end(list), s);
}

// Lower-case letters, digits and '_', not starting with a digit: what needs no quotes (apart
// from keywords).
bool PlainName(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// After a '.' any keyword is a valid name (ColLabel).
std::string QuoteLabel(const std::string& s) { return PlainName(s) ? s : Quoted(s); }

// The first part of a function name: type/function-name keywords are allowed (`left(s, 2)`).
std::string QuoteFuncName(const std::string& s) {
  return PlainName(s) && !In(kColNameKeywords, s) && !In(kReservedKeywords, s) ? s : Quoted(s);
}

std::string Qualified(const std::vector<std::string>& names, std::string (*first)(const std::string&)) {
  std::string out;
  for (size_t i = 0; i < names.size(); i++) {
    if (i > 0) out += '.';
    out += i == 0 ? first(names[i]) : QuoteLabel(names[i]);
  }
  return out;
}

std::string NameList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); i++) out += (i ? ", " : "") + QuoteIdentifier(names[i]);
  return out;
}

// Interval type modifiers (PostgreSQL's datetime.h): the first is a mask of the fields
// (INTERVAL_MASK(YEAR) = 1 << 2, ...), the second the precision of the seconds.
constexpr int64_t kIntervalFullRange = 0x7FFF;
const char* IntervalFields(int64_t mask) {
  constexpr int64_t kMonth = 1 << 1, kYear = 1 << 2, kDay = 1 << 3, kHour = 1 << 10, kMinute = 1 << 11,
                    kSecond = 1 << 12;
  switch (mask) {
    case kYear: return "year";
    case kMonth: return "month";
    case kDay: return "day";
    case kHour: return "hour";
    case kMinute: return "minute";
    case kSecond: return "second";
    case kYear | kMonth: return "year to month";
    case kDay | kHour: return "day to hour";
    case kDay | kHour | kMinute: return "day to minute";
    case kDay | kHour | kMinute | kSecond: return "day to second";
    case kHour | kMinute: return "hour to minute";
    case kHour | kMinute | kSecond: return "hour to second";
    case kMinute | kSecond: return "minute to second";
    default: return nullptr;
  }
}

// The SQL spelling of the pg_catalog types the grammar has keywords for (`double precision` for
// pg_catalog.float8): parsed, it gives the same names and modifiers. Empty for other types.
std::string SqlSpelling(const TypeName& t) {
  if (t.names.size() != 2 || t.names[0] != "pg_catalog") return "";
  const std::string& n = t.names[1];
  const auto& m = t.modifiers;
  static const std::pair<const char*, const char*> kPlain[] = {
      {"int2", "smallint"}, {"int4", "integer"}, {"int8", "bigint"}, {"float4", "real"},
      {"float8", "double precision"}, {"bool", "boolean"}};
  for (const auto& [name, sql] : kPlain)
    if (n == name) return m.empty() ? sql : "";
  // "(10, 2)"; "?" (no spelling) when the type takes fewer modifiers.
  auto mods = [&](size_t max) {
    if (m.size() > max) return std::string("?");
    return m.empty() ? std::string() : fmt::format("({})", fmt::join(m, ", "));
  };
  std::string out;
  if (n == "numeric") out = "numeric" + mods(2);
  else if (n == "varchar") out = "varchar" + mods(1);
  else if (n == "bpchar" && m.size() == 1) out = "char" + mods(1);  // char alone is char(1)
  else if (n == "bit" && m.size() == 1) out = "bit" + mods(1);      // so is bit
  else if (n == "varbit") out = "bit varying" + mods(1);
  else if (n == "timestamptz") out = "timestamp" + mods(1) + " with time zone";
  else if (n == "timestamp") out = "timestamp" + mods(1);
  else if (n == "timetz") out = "time" + mods(1) + " with time zone";
  else if (n == "time") out = "time" + mods(1);
  return out.find('?') == std::string::npos ? out : "";
}

std::string TypeText(const TypeName& t, bool quote) {
  std::string out = t.setof ? "SETOF " : "";
  const auto& m = t.modifiers;
  if (std::string sql = quote ? SqlSpelling(t) : ""; !sql.empty()) {
    out += sql;
    for (int i = 0; i < t.array_bounds; i++) out += "[]";
    return out;
  }
  bool interval = t.names.size() == 2 && t.names[0] == "pg_catalog" && t.names[1] == "interval";
  const char* fields = interval && !m.empty() && m.size() <= 2 ? IntervalFields(m[0]) : nullptr;
  if (interval && (m.empty() || (m.size() == 2 && m[0] == kIntervalFullRange))) {
    out += "interval";  // interval, interval(3)
    if (!m.empty()) out += fmt::format("({})", m[1]);
  } else if (fields) {
    out += fmt::format("interval {}", fields);  // interval day to second(3)
    if (m.size() == 2) out += fmt::format("({})", m[1]);
  } else {
    for (size_t i = 0; i < t.names.size(); i++) {
      if (i > 0) out += '.';
      out += !quote ? t.names[i] : i == 0 ? QuoteIdentifier(t.names[i]) : QuoteLabel(t.names[i]);
    }
    if (!m.empty()) out += fmt::format("({})", fmt::join(m, ", "));
  }
  for (int i = 0; i < t.array_bounds; i++) out += "[]";
  return out;
}

std::string Sql(const Expr& e);
std::string SelectSql(const SelectStmt& s);

bool IsNegativeNumber(const Expr& e) {
  if (e.kind != ExprKind::kConstant || e.is_string || e.is_bit_string || e.value.is_null()) return false;
  if (!e.constant_text.empty()) return e.constant_text[0] == '-';
  if (e.value.type() == Type::kInt64) return e.value.as_int() < 0;
  if (e.value.type() == Type::kDouble) return std::signbit(e.value.as_double());
  return false;
}

// Atomic expressions print as one unit that binds tighter than any operator.
bool IsAtomic(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kColumnRef:
    case ExprKind::kParam:
    case ExprKind::kCase:
    case ExprKind::kCoalesce:
    case ExprKind::kNullIf:
    case ExprKind::kGreatest:
    case ExprKind::kLeast:
    case ExprKind::kCast:
    case ExprKind::kFunction:
    case ExprKind::kArray:
    case ExprKind::kSqlValue:
    case ExprKind::kGrouping:
    case ExprKind::kIndirection:
    case ExprKind::kRow:
    case ExprKind::kStar:
      return true;
    case ExprKind::kConstant:
      return !IsNegativeNumber(e);
    case ExprKind::kSubquery:
      return e.sublink == SublinkKind::kExists || e.sublink == SublinkKind::kScalar ||
             e.sublink == SublinkKind::kArray;
    default:
      return false;
  }
}

std::string Nested(const Expr& e) { return IsAtomic(e) ? Sql(e) : "(" + Sql(e) + ")"; }

const ExprPtr& ArgAt(const Expr& e, size_t i) {
  static const ExprPtr kNone;
  return i < e.args.size() ? e.args[i] : kNone;
}
std::string Nested(const ExprPtr& e) { return e ? Nested(*e) : "NULL"; }
std::string Top(const ExprPtr& e) { return e ? Sql(*e) : "NULL"; }

std::string List(const std::vector<ExprPtr>& v, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < v.size(); i++) out += (i > from ? ", " : "") + Top(v[i]);
  return out;
}

std::string OpText(const Expr& e) {
  if (e.op_schema.empty()) return e.op;
  return "OPERATOR(" + Qualified(e.op_schema, QuoteIdentifier) + "." + e.op + ")";
}

std::string SortSql(const std::vector<SortItem>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); i++) {
    const SortItem& s = items[i];
    out += (i ? ", " : "") + Top(s.expr);
    if (s.dir == SortDir::kAsc) out += " ASC";
    if (s.dir == SortDir::kDesc) out += " DESC";
    if (s.nulls == NullsOrder::kFirst) out += " NULLS FIRST";
    if (s.nulls == NullsOrder::kLast) out += " NULLS LAST";
  }
  return out;
}

std::string BoundSql(FrameBoundKind kind, const ExprPtr& offset) {
  switch (kind) {
    case FrameBoundKind::kUnboundedPreceding: return "UNBOUNDED PRECEDING";
    case FrameBoundKind::kPreceding: return Nested(offset) + " PRECEDING";
    case FrameBoundKind::kCurrentRow: return "CURRENT ROW";
    case FrameBoundKind::kFollowing: return Nested(offset) + " FOLLOWING";
    case FrameBoundKind::kUnboundedFollowing: return "UNBOUNDED FOLLOWING";
  }
  return "";
}

// The inside of a window's parentheses.
std::string WindowSpec(const WindowDef& w) {
  std::vector<std::string> parts;
  if (!w.refname.empty()) parts.push_back(QuoteIdentifier(w.refname));
  if (!w.partition_by.empty()) parts.push_back("PARTITION BY " + List(w.partition_by));
  if (!w.order_by.empty()) parts.push_back("ORDER BY " + SortSql(w.order_by));
  if (w.has_frame) {
    static const char* kModes[] = {"RANGE", "ROWS", "GROUPS"};
    std::string f = fmt::format("{} BETWEEN {} AND {}", kModes[static_cast<int>(w.mode)],
                                BoundSql(w.start, w.start_offset), BoundSql(w.end, w.end_offset));
    static const char* kExclusions[] = {"", " EXCLUDE CURRENT ROW", " EXCLUDE GROUP", " EXCLUDE TIES"};
    parts.push_back(f + kExclusions[static_cast<int>(w.exclusion)]);
  }
  return fmt::format("{}", fmt::join(parts, " "));
}

std::string ConstantSql(const Expr& e) {
  if (e.is_bit_string && !e.constant_text.empty()) {
    char kind = static_cast<char>(std::toupper(static_cast<unsigned char>(e.constant_text[0])));
    return kind + QuoteSqlLiteral(std::string_view(e.constant_text).substr(1));
  }
  const Value& v = e.value;
  if (v.is_null()) return "NULL";
  switch (v.type()) {
    case Type::kBool:
      return v.as_bool() ? "TRUE" : "FALSE";
    case Type::kText:
      return QuoteSqlLiteral(v.as_text());
    case Type::kInt64:
      return e.constant_text.empty() ? std::to_string(v.as_int()) : e.constant_text;
    case Type::kDouble: {
      if (!e.constant_text.empty()) return e.constant_text;
      double d = v.as_double();
      if (!std::isfinite(d))
        return fmt::format("CAST('{}' AS pg_catalog.float8)", std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
      std::string s = fmt::format("{}", d);
      if (s.find_first_of(".e") == std::string::npos) s += ".0";
      return s;
    }
    default:
      return QuoteSqlLiteral(v.ToString());
  }
}

// EXTRACT's field: a bare word for the usual ones (the grammar takes a few keywords and any
// non-keyword there), else a string.
std::string ExtractField(const std::string& field) {
  static constexpr std::string_view kFields[] = {
      "century", "day", "decade", "dow", "doy", "epoch", "hour", "isodow", "isoyear", "julian",
      "microseconds", "millennium", "milliseconds", "minute", "month", "quarter", "second", "timezone",
      "timezone_hour", "timezone_minute", "week", "year"};
  return In(kFields, field) ? field : QuoteSqlLiteral(field);
}

std::string FunctionSql(const Expr& e) {
  // EXTRACT(field FROM x) is pg_catalog.extract('field', x).
  if (e.func_name.size() == 2 && e.func_name[0] == "pg_catalog" && e.func_name[1] == "extract" &&
      e.args.size() == 2 && e.args[0] && e.args[0]->kind == ExprKind::kConstant && e.args[0]->is_string &&
      !e.args[0]->value.is_null() && e.args[0]->value.type() == Type::kText &&
      !e.agg_star && !e.agg_distinct && !e.func_variadic && e.agg_order.empty() && !e.agg_filter && !e.over &&
      e.arg_names.empty())
    return "EXTRACT(" + ExtractField(e.args[0]->value.as_text()) + " FROM " + Top(e.args[1]) + ")";
  // substring(...) and overlay(...) with plain arguments have productions of their own (the names
  // are keywords): no quotes needed.
  bool plain_keyword_call = e.func_name.size() == 1 && (e.func_name[0] == "substring" || e.func_name[0] == "overlay") &&
                            !e.agg_star && !e.agg_distinct && !e.func_variadic && e.agg_order.empty() &&
                            !e.agg_filter && !e.over;
  std::string out = (plain_keyword_call ? e.func_name[0] : Qualified(e.func_name, QuoteFuncName)) + "(";
  if (e.agg_distinct) out += "DISTINCT ";
  if (e.agg_star) out += "*";
  for (size_t i = 0; i < e.args.size(); i++) {
    if (i > 0) out += ", ";
    if (e.func_variadic && i + 1 == e.args.size()) out += "VARIADIC ";
    if (i < e.arg_names.size() && !e.arg_names[i].empty()) out += QuoteIdentifier(e.arg_names[i]) + " => ";
    out += Top(e.args[i]);
  }
  if (!e.agg_order.empty() && !e.agg_within_group) out += " ORDER BY " + SortSql(e.agg_order);
  out += ")";
  if (e.agg_within_group) out += " WITHIN GROUP (ORDER BY " + SortSql(e.agg_order) + ")";
  if (e.agg_filter) out += " FILTER (WHERE " + Top(e.agg_filter) + ")";
  if (e.over) {
    out += e.over->ref_only ? " OVER " + QuoteIdentifier(e.over->refname) : " OVER (" + WindowSpec(*e.over) + ")";
  }
  return out;
}

std::string SubquerySql(const Expr& e) {
  std::string q = e.subquery ? SelectSql(*e.subquery) : "SELECT";
  switch (e.sublink) {
    case SublinkKind::kExists: return "EXISTS (" + q + ")";
    case SublinkKind::kScalar: return "(" + q + ")";
    case SublinkKind::kArray: return "ARRAY(" + q + ")";
    case SublinkKind::kIn:
      return Nested(ArgAt(e, 0)) + (e.negated ? " NOT IN (" : " IN (") + q + ")";
    case SublinkKind::kAny:
    case SublinkKind::kAll:
      return Nested(ArgAt(e, 0)) + " " + OpText(e) +
             (e.sublink == SublinkKind::kAll ? " ALL (" : " ANY (") + q + ")";
  }
  return "";
}

std::string IndirectionSql(const Expr& e) {
  const ExprPtr& base = ArgAt(e, 0);
  // arr[1] and t.arr[1] need no parentheses; (t).field does (t.field would be a column name).
  bool bare = base && base->kind == ExprKind::kColumnRef && !base->star && !e.indirection.empty() &&
              !e.indirection[0].is_field;
  std::string out = bare ? Sql(*base) : "(" + Top(base) + ")";
  for (const IndirectionStep& s : e.indirection) {
    if (s.is_field) {
      out += "." + QuoteLabel(s.field);
    } else if (s.is_slice) {
      out += "[" + (s.lower ? Top(s.lower) : "") + ":" + (s.upper ? Top(s.upper) : "") + "]";
    } else {
      out += "[" + Top(s.lower) + "]";
    }
  }
  return out;
}

std::string Sql(const Expr& e) {
  const auto& a = e.args;
  auto arg = [&](size_t i) -> const ExprPtr& { return ArgAt(e, i); };
  switch (e.kind) {
    case ExprKind::kColumnRef: {
      std::string out = Qualified(e.names, QuoteIdentifier);
      if (e.star) out += e.names.empty() ? "*" : ".*";
      return out;
    }
    case ExprKind::kConstant:
      return ConstantSql(e);
    case ExprKind::kParam:
      return fmt::format("${}", e.param_number);
    case ExprKind::kOperator:
      if (a.size() == 1) return OpText(e) + " " + Nested(arg(0));
      return Nested(arg(0)) + " " + OpText(e) + " " + Nested(arg(1));
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      std::string out;
      for (size_t i = 0; i < a.size(); i++)
        out += (i ? (e.kind == ExprKind::kAnd ? " AND " : " OR ") : "") + Nested(a[i]);
      return out;
    }
    case ExprKind::kNot:
      return "NOT " + Nested(arg(0));
    case ExprKind::kNullTest:
      return Nested(arg(0)) + (e.negated ? " IS NOT NULL" : " IS NULL");
    case ExprKind::kBoolTest: {
      static const char* kTests[] = {"TRUE", "FALSE", "UNKNOWN"};
      return Nested(arg(0)) + (e.negated ? " IS NOT " : " IS ") + kTests[static_cast<int>(e.bool_test)];
    }
    case ExprKind::kDistinctFrom:
      return Nested(arg(0)) + (e.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") + Nested(arg(1));
    case ExprKind::kBetween:
      return Nested(arg(0)) + (e.negated ? " NOT BETWEEN " : " BETWEEN ") + (e.symmetric ? "SYMMETRIC " : "") +
             Nested(arg(1)) + " AND " + Nested(arg(2));
    case ExprKind::kInList:
      return Nested(arg(0)) + (e.negated ? " NOT IN (" : " IN (") + List(a, 1) + ")";
    case ExprKind::kAnyAll:
      return Nested(arg(0)) + " " + OpText(e) + (e.all ? " ALL (" : " ANY (") + Top(arg(1)) + ")";
    case ExprKind::kLike: {
      static const char* kOps[] = {"LIKE", "ILIKE", "SIMILAR TO"};
      std::string out = Nested(arg(0)) + (e.negated ? " NOT " : " ") + kOps[static_cast<int>(e.like)] + " " +
                        Nested(arg(1));
      if (e.has_escape) out += " ESCAPE " + Nested(arg(2));
      return out;
    }
    case ExprKind::kCase: {
      std::string out = "CASE";
      size_t i = 0;
      if (e.has_operand) out += " " + Top(arg(i++));
      size_t end = a.size() - (e.has_else ? 1 : 0);
      for (; i + 1 < end; i += 2) out += " WHEN " + Top(arg(i)) + " THEN " + Top(arg(i + 1));
      if (e.has_else) out += " ELSE " + Top(a.back());
      return out + " END";
    }
    case ExprKind::kCoalesce:
      return "COALESCE(" + List(a) + ")";
    case ExprKind::kNullIf:
      return "NULLIF(" + List(a) + ")";
    case ExprKind::kGreatest:
      return "GREATEST(" + List(a) + ")";
    case ExprKind::kLeast:
      return "LEAST(" + List(a) + ")";
    case ExprKind::kGrouping:
      return "GROUPING(" + List(a) + ")";
    case ExprKind::kCast:
      return "CAST(" + Top(arg(0)) + " AS " + (e.type ? ToSql(*e.type) : "unknown") + ")";
    case ExprKind::kFunction:
      return FunctionSql(e);
    case ExprKind::kSubquery:
      return SubquerySql(e);
    case ExprKind::kArray:
      return "ARRAY[" + List(a) + "]";
    case ExprKind::kSqlValue: {
      std::string out;
      for (char c : e.sql_value) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (e.sql_value_precision >= 0) out += fmt::format("({})", e.sql_value_precision);
      return out;
    }
    case ExprKind::kIndirection:
      return IndirectionSql(e);
    case ExprKind::kRow:
      return "ROW(" + List(a) + ")";
    case ExprKind::kCollate:
      return Nested(arg(0)) + " COLLATE " + Qualified(e.names, QuoteIdentifier);
    case ExprKind::kStar:
      return a.empty() ? "*" : "(" + Top(arg(0)) + ").*";
  }
  return "";
}

std::string AliasSql(const TableRef& t) {
  if (t.alias.empty() && t.column_types.empty()) return "";
  std::string out = " AS";
  if (!t.alias.empty()) out += " " + QuoteIdentifier(t.alias);
  if (!t.column_types.empty()) {
    out += t.alias.empty() ? " (" : "(";
    for (size_t i = 0; i < t.column_types.size(); i++) {
      std::string name = i < t.column_aliases.size() ? t.column_aliases[i] : fmt::format("column{}", i + 1);
      out += (i ? ", " : "") + QuoteIdentifier(name) + " " + ToSql(t.column_types[i]);
    }
    out += ")";
  } else if (!t.column_aliases.empty()) {
    out += "(" + NameList(t.column_aliases) + ")";
  }
  return out;
}

std::string TableSql(const TableRef& t) {
  switch (t.kind) {
    case TableRefKind::kBase: {
      std::vector<std::string> names;
      for (const std::string* n : {&t.catalog, &t.schema, &t.name})
        if (!n->empty()) names.push_back(*n);
      return Qualified(names, QuoteIdentifier) + AliasSql(t);
    }
    case TableRefKind::kSubquery:
    case TableRefKind::kValues:
      return std::string(t.lateral ? "LATERAL " : "") + "(" + (t.subquery ? SelectSql(*t.subquery) : "") + ")" +
             AliasSql(t);
    case TableRefKind::kFunction:
      return std::string(t.lateral ? "LATERAL " : "") + Top(t.function) +
             (t.with_ordinality ? " WITH ORDINALITY" : "") + AliasSql(t);
    case TableRefKind::kJoin: {
      std::string left = t.left ? TableSql(*t.left) : "";
      std::string right = t.right ? TableSql(*t.right) : "";
      if (t.right && t.right->kind == TableRefKind::kJoin && t.right->alias.empty()) right = "(" + right + ")";
      bool cross = t.join_type == JoinType::kCross ||
                   (t.join_type == JoinType::kInner && !t.natural && !t.on && t.using_columns.empty());
      std::string out = left;
      if (cross) {
        out += " CROSS JOIN " + right;
      } else {
        static const char* kJoins[] = {"JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "JOIN"};
        out += std::string(t.natural ? " NATURAL " : " ") + kJoins[static_cast<int>(t.join_type)] + " " + right;
        if (t.on) out += " ON " + Top(t.on);
        if (!t.using_columns.empty()) {
          out += " USING (" + NameList(t.using_columns) + ")";
          if (!t.using_alias.empty()) out += " AS " + QuoteIdentifier(t.using_alias);
        }
      }
      if (!t.alias.empty()) out = "(" + out + ")" + AliasSql(t);
      return out;
    }
  }
  return "";
}

std::string GroupingSql(const GroupingElement& g) {
  auto children = [&] {
    std::string out;
    for (size_t i = 0; i < g.children.size(); i++) out += (i ? ", " : "") + GroupingSql(g.children[i]);
    return out;
  };
  switch (g.kind) {
    case GroupingKind::kExpr: return Top(g.expr);
    case GroupingKind::kEmpty: return "()";
    case GroupingKind::kRollup: return "ROLLUP (" + children() + ")";
    case GroupingKind::kCube: return "CUBE (" + children() + ")";
    case GroupingKind::kSets: return "GROUPING SETS (" + children() + ")";
    case GroupingKind::kList: return "(" + children() + ")";
  }
  return "";
}

// A set operation's operand: parenthesised when it has clauses of its own or is itself a set
// operation.
std::string OperandSql(const SelectPtr& s) {
  if (!s) return "(SELECT)";
  bool parens = s->op != SetOpKind::kNone || !s->with.empty() || !s->order_by.empty() || s->limit || s->offset ||
                s->for_update || !s->into.empty();
  return parens ? "(" + SelectSql(*s) + ")" : SelectSql(*s);
}

std::string BodySql(const SelectStmt& s) {
  if (s.op != SetOpKind::kNone) {
    static const char* kOps[] = {"", " UNION ", " INTERSECT ", " EXCEPT "};
    return OperandSql(s.left) + kOps[static_cast<int>(s.op)] + (s.set_all ? "ALL " : "") + OperandSql(s.right);
  }
  if (!s.values_lists.empty()) {
    std::string out = "VALUES ";
    for (size_t i = 0; i < s.values_lists.size(); i++) out += (i ? ", (" : "(") + List(s.values_lists[i]) + ")";
    return out;
  }
  std::string out = "SELECT";
  if (s.distinct) out += s.distinct_on.empty() ? " DISTINCT" : " DISTINCT ON (" + List(s.distinct_on) + ")";
  for (size_t i = 0; i < s.targets.size(); i++) {
    out += i ? ", " : " ";
    out += Top(s.targets[i].expr);
    if (!s.targets[i].alias.empty()) out += " AS " + QuoteIdentifier(s.targets[i].alias);
  }
  if (!s.into.empty()) out += " INTO " + s.into;
  for (size_t i = 0; i < s.from.size(); i++) out += (i ? ", " : " FROM ") + (s.from[i] ? TableSql(*s.from[i]) : "");
  if (s.where) out += " WHERE " + Top(s.where);
  if (!s.group_by.empty() || s.group_by_distinct) {
    out += s.group_by_distinct ? " GROUP BY DISTINCT " : " GROUP BY ";
    for (size_t i = 0; i < s.group_by.size(); i++) out += (i ? ", " : "") + GroupingSql(s.group_by[i]);
  }
  if (s.having) out += " HAVING " + Top(s.having);
  for (size_t i = 0; i < s.windows.size(); i++) {
    if (!s.windows[i]) continue;
    out += (i ? ", " : " WINDOW ") + QuoteIdentifier(s.windows[i]->name) + " AS (" + WindowSpec(*s.windows[i]) + ")";
  }
  return out;
}

std::string SelectSql(const SelectStmt& s) {
  std::string out;
  if (!s.with.empty()) {
    out += s.with_recursive ? "WITH RECURSIVE " : "WITH ";
    for (size_t i = 0; i < s.with.size(); i++) {
      const CommonTableExpr& c = s.with[i];
      out += (i ? ", " : "") + QuoteIdentifier(c.name);
      if (!c.column_names.empty()) out += "(" + NameList(c.column_names) + ")";
      out += " AS ";
      if (c.materialized == "materialized") out += "MATERIALIZED ";
      if (c.materialized == "not materialized") out += "NOT MATERIALIZED ";
      out += "(" + (c.query ? SelectSql(*c.query) : "") + ")";
    }
    out += " ";
  }
  out += BodySql(s);
  if (!s.order_by.empty()) out += " ORDER BY " + SortSql(s.order_by);
  if (s.limit_with_ties) {
    if (s.offset) out += " OFFSET " + Top(s.offset);
    out += " FETCH FIRST " + Nested(s.limit) + " ROWS WITH TIES";
  } else {
    if (s.limit) {
      bool all = s.limit->kind == ExprKind::kConstant && s.limit->value.is_null();
      out += " LIMIT " + (all ? std::string("ALL") : Top(s.limit));
    }
    if (s.offset) out += " OFFSET " + Top(s.offset);
  }
  if (s.for_update) out += " FOR UPDATE";
  return out;
}

}  // namespace

std::string QuoteIdentifier(const std::string& name) {
  bool keyword = In(kColNameKeywords, name) || In(kTypeFuncNameKeywords, name) || In(kReservedKeywords, name);
  return PlainName(name) && !keyword ? name : Quoted(name);
}

std::string TypeName::ToString() const { return TypeText(*this, /*quote=*/false); }

std::string ToSql(const TypeName& type) { return TypeText(type, /*quote=*/true); }
std::string ToSql(const Expr& expr) { return Sql(expr); }
std::string ToSql(const SelectStmt& select) { return SelectSql(select); }
std::string ToSql(const TableRef& table) { return TableSql(table); }

}  // namespace laminar::sql::ast
