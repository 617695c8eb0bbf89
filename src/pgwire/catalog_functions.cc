// The catalog interpreter's scalar functions (see catalog_interp.h and pg_catalog.h's list).
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/ranges.h>

#include "pgwire/catalog_interp.h"
#include "sql/parser.h"

namespace laminar::pgwire::pgcat {

namespace {

std::string SizePretty(int64_t size) {
  constexpr int64_t kLimit = 10 * 1024, kLimit2 = kLimit * 2 - 1;
  auto half_rounded = [](int64_t x) { return (x + (x < 0 ? -1 : 1)) / 2; };
  if (std::llabs(size) < kLimit) return fmt::format("{} bytes", size);
  size >>= 9;  // one extra bit for rounding
  for (const char* unit : {"kB", "MB", "GB", "TB"}) {
    if (std::llabs(size) < kLimit2) return fmt::format("{} {}", half_rounded(size), unit);
    size >>= 10;
  }
  return fmt::format("{} PB", half_rounded(size));
}


// Code points of UTF-8 text: the byte offset of each character.
std::vector<size_t> CharStarts(const std::string& s) {
  std::vector<size_t> starts;
  for (size_t k = 0; k < s.size(); k++)
    if ((uint8_t(s[k]) & 0xC0) != 0x80) starts.push_back(k);
  return starts;
}

// substring(s, start [, count]) in characters, as PostgreSQL: positions before 1 count against
// the length.
Result<std::string> Substring(const std::string& s, int64_t start, std::optional<int64_t> count) {
  std::vector<size_t> starts = CharStarts(s);
  int64_t n = int64_t(starts.size());
  int64_t from = std::max<int64_t>(start, 1), to = n + 1;  // [from, to) in 1-based characters
  if (count) {
    if (*count < 0) return InvalidArgument(ErrorCode::kSubstringError, "negative substring length not allowed");
    int64_t end = 0;
    if (__builtin_add_overflow(start, *count, &end)) end = INT64_MAX;
    to = std::min(to, end);
  }
  if (from >= to || from > n) return std::string();
  size_t b = starts[size_t(from - 1)], e = to > n ? s.size() : starts[size_t(to - 1)];
  return s.substr(b, e - b);
}

// btrim/ltrim/rtrim: removes characters of `chars` (single bytes) from the ends.
std::string Trim(const std::string& s, const std::string& chars, bool left, bool right) {
  size_t b = 0, e = s.size();
  if (left)
    while (b < e && chars.find(s[b]) != std::string::npos) b++;
  if (right)
    while (e > b && chars.find(s[e - 1]) != std::string::npos) e--;
  return s.substr(b, e - b);
}

}  // namespace

std::string Evaluator::SettingName(const std::string& name) {
  auto it = settings_.find(Lower(name));
  return it == settings_.end() ? name : it->second.first;
}

Result<Datum> Evaluator::Call(const json& b, const Scope& scope) {
  auto names = Names(sql::Field(b, "funcname"));
  if (names.empty()) return InvalidArgument("bad function name");
  std::string f = names.back();
  if (names.size() > 2 || (names.size() == 2 && names[0] != "pg_catalog"))
    return Unimplemented("catalog query: function {} is not supported", fmt::join(names, "."));
  for (const char* k : {"agg_star", "agg_distinct", "over", "agg_order", "agg_filter", "func_variadic", "agg_within_group"})
    if (b.contains(k)) return Unimplemented("catalog query: {} is not an aggregate or window function supported here", f);
  std::vector<Datum> args;
  for (const json& a : sql::Field(b, "args")) {
    if (a.contains("NamedArgExpr")) return Unimplemented("catalog query: named arguments are not supported");
    ASSIGN_OR_RETURN(Datum v, Eval(a, scope));
    args.push_back(std::move(v));
  }
  auto want = [&](size_t lo, size_t hi) -> Status {
    if (args.size() < lo || args.size() > hi)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "function {} with {} arguments does not exist", f, args.size());
    return Status::OK();
  };
  auto as_oid = [&](size_t k) -> Result<Datum> { return Cast(args[k], kOidOid); };
  auto as_text = [&](size_t k) -> Result<Datum> { return Cast(args[k], kOidText); };
  if (f == "pg_table_is_visible") {
    RETURN_IF_ERROR(want(1, 1));
    ASSIGN_OR_RETURN(Datum oid, as_oid(0));
    if (oid.null) return Null(kOidBool);
    return Bool(RelByOid(oid.i) != nullptr);
  }
  if (f == "pg_type_is_visible") {
    RETURN_IF_ERROR(want(1, 1));
    ASSIGN_OR_RETURN(Datum oid, as_oid(0));
    if (oid.null) return Null(kOidBool);
    return Bool(FindType(uint32_t(oid.i)) != nullptr);
  }
  if (f == "pg_get_userbyid") {
    RETURN_IF_ERROR(want(1, 1));
    ASSIGN_OR_RETURN(Datum oid, as_oid(0));
    if (oid.null) return Null(kOidName);
    return Name(oid.i == kOwnerRoleOid ? std::string(kOwnerRoleName) : fmt::format("unknown (OID={})", oid.i));
  }
  if (f == "format_type") {
    RETURN_IF_ERROR(want(2, 2));
    ASSIGN_OR_RETURN(Datum oid, as_oid(0));
    if (oid.null) return Null(kOidText);
    return Text(FormatTypeName(uint32_t(oid.i)));
  }
  if (f == "obj_description" || f == "col_description" || f == "shobj_description") {
    RETURN_IF_ERROR(want(1, 2));
    return Null(kOidText);  // Laminar has no comments
  }
  if (f == "pg_get_viewdef") {
    RETURN_IF_ERROR(want(1, 2));
    Datum rel = args[0];
    if (CatOf(rel.type) == Cat::kText) {
      ASSIGN_OR_RETURN(rel, Cast(rel, kOidRegclass));
    } else {
      ASSIGN_OR_RETURN(rel, as_oid(0));
    }
    if (rel.null) return Null(kOidText);
    const RelInfo* r = RelByOid(rel.i);
    if (!r || !r->view) return Null(kOidText);
    return Text(r->view_select);
  }
  if (f == "pg_encoding_to_char") {
    RETURN_IF_ERROR(want(1, 1));
    ASSIGN_OR_RETURN(Datum e, Cast(args[0], kOidInt4));
    if (e.null) return Null(kOidName);
    return Name(e.i == 6 ? "UTF8" : "");
  }
  if (f == "pg_relation_is_publishable") {
    RETURN_IF_ERROR(want(1, 1));
    return Bool(false);
  }
  if (f == "pg_table_size" || f == "pg_relation_size" || f == "pg_total_relation_size" || f == "pg_indexes_size") {
    RETURN_IF_ERROR(want(1, 2));
    return Null(kOidInt8);  // sizes are not tracked per relation
  }
  if (f == "pg_size_pretty") {
    RETURN_IF_ERROR(want(1, 1));
    ASSIGN_OR_RETURN(Datum n, Cast(args[0], kOidInt8));
    if (n.null) return Null(kOidText);
    return Text(SizePretty(n.i));
  }
  if (f == "array_to_string") {
    RETURN_IF_ERROR(want(2, 3));
    if (args[0].null || args[1].null) return Null(kOidText);
    if (CatOf(args[0].type) != Cat::kArray)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "function array_to_string({}, text) does not exist", FormatTypeName(args[0].type));
    ASSIGN_OR_RETURN(Datum sep, as_text(1));
    std::optional<std::string> null_text;
    if (args.size() == 3 && !args[2].null) null_text = ToText(args[2]);
    std::string out;
    bool first = true;
    for (const auto& e : args[0].elems) {
      if (!e && !null_text) continue;
      if (!first) out += sep.s;
      first = false;
      out += e ? *e : *null_text;
    }
    return Text(std::move(out));
  }
  if (f == "array_remove") {
    RETURN_IF_ERROR(want(2, 2));
    if (args[0].null) return args[0];
    if (CatOf(args[0].type) != Cat::kArray)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "function array_remove({}, ...) does not exist", FormatTypeName(args[0].type));
    Datum out = args[0];
    std::optional<std::string> drop = ToText(args[1]);
    std::erase(out.elems, drop);
    return out;
  }
  if (f == "quote_ident" || f == "lower" || f == "upper") {
    RETURN_IF_ERROR(want(1, 1));
    ASSIGN_OR_RETURN(Datum t, as_text(0));
    if (t.null) return t;
    if (f == "quote_ident") return Text(QuoteIdent(t.s));
    for (char& c : t.s) c = char(f == "lower" ? std::tolower(uint8_t(c)) : std::toupper(uint8_t(c)));
    return t;
  }
  if (f == "version") {
    RETURN_IF_ERROR(want(0, 0));
    return Text(kPgVersionString);
  }
  if (f == "current_database") {
    RETURN_IF_ERROR(want(0, 0));
    return Name(ctx_.database);
  }
  if (f == "current_schema") {
    RETURN_IF_ERROR(want(0, 0));
    return Name("public");
  }
  if (f == "current_schemas") {
    RETURN_IF_ERROR(want(1, 1));
    ASSIGN_OR_RETURN(Datum implicit, Cast(args[0], kOidBool));
    if (implicit.null) return Null(kOidNameArray);
    std::vector<std::optional<std::string>> s;
    if (implicit.i) s.push_back("pg_catalog");
    s.push_back("public");
    return Array(std::move(s), kOidNameArray);
  }
  if (f == "pg_backend_pid") {
    RETURN_IF_ERROR(want(0, 0));
    return Int(ctx_.backend_pid);
  }
  if (f == "pg_is_in_recovery") {
    RETURN_IF_ERROR(want(0, 0));
    return Bool(false);
  }
  if (f == "current_setting") {
    RETURN_IF_ERROR(want(1, 2));
    ASSIGN_OR_RETURN(Datum name, as_text(0));
    if (name.null) return Null(kOidText);
    bool missing_ok = false;
    if (args.size() == 2) {
      ASSIGN_OR_RETURN(Datum m, Cast(args[1], kOidBool));
      missing_ok = !m.null && m.i;
    }
    auto it = settings_.find(Lower(name.s));
    if (it == settings_.end()) {
      if (missing_ok) return Null(kOidText);
      return InvalidArgument(ErrorCode::kUndefinedObject, "unrecognized configuration parameter \"{}\"", name.s);
    }
    return Text(it->second.second);
  }
  if (f == "set_config") {
    RETURN_IF_ERROR(want(3, 3));
    ASSIGN_OR_RETURN(Datum name, as_text(0));
    ASSIGN_OR_RETURN(Datum value, as_text(1));
    ASSIGN_OR_RETURN(Datum local, Cast(args[2], kOidBool));
    if (name.null) return InvalidArgument("SET requires parameter name");
    if (value.null) return Unimplemented("catalog query: set_config with a NULL value is not supported");
    std::string key = Lower(name.s);
    if (IsReadOnlySetting(key))
      return InvalidArgument(ErrorCode::kCantChangeRuntimeParam, "parameter \"{}\" cannot be changed", name.s);
    // is_local: the change ends with the (implicit) transaction, i.e. with this statement.
    if (local.null || !local.i) {
      std::string canonical = SettingName(name.s);
      settings_[key] = {canonical, value.s};
      changed.push_back({canonical, value.s});
    }
    return Text(value.s);
  }
  if (f == "pg_sleep") {
    RETURN_IF_ERROR(want(1, 1));
    ASSIGN_OR_RETURN(Datum secs, Cast(args[0], kOidFloat8));
    if (secs.null) return Null(kOidVoid);
    if (!ctx_.sleep) return Unimplemented("pg_sleep is not available here");
    RETURN_IF_ERROR(ctx_.sleep(secs.f));
    return Text("", kOidVoid);
  }
  if (auto r = CallMore(f, args)) return std::move(*r);
  return Unimplemented("catalog query: function {} is not supported by Laminar's catalog emulation", f);
}


// The string, array and catalog-object functions added for drivers (pgjdbc's metadata queries):
// nullopt when `f` is none of them.
std::optional<Result<Datum>> Evaluator::CallMore(const std::string& f, const std::vector<Datum>& args) {
  static const std::set<std::string> kNames = {
      "replace", "substring", "substr", "length", "char_length", "character_length", "btrim", "ltrim", "rtrim",
      "array_upper", "array_lower", "array_length", "cardinality", "pg_get_expr", "pg_function_is_visible",
      "pg_get_function_result", "pg_get_function_arguments", "pg_get_function_identity_arguments"};
  if (!kNames.count(f)) return std::nullopt;
  auto want = [&](size_t lo, size_t hi) -> Status {
    if (args.size() < lo || args.size() > hi)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "function {} with {} arguments does not exist", f, args.size());
    return Status::OK();
  };
  bool any_null = std::any_of(args.begin(), args.end(), [](const Datum& d) { return d.null; });
  auto text_arg = [&](size_t k) -> Result<std::string> {
    if (CatOf(args[k].type) != Cat::kText && args[k].type != kOidUnknown)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "function {}({}) does not exist", f, FormatTypeName(args[k].type));
    return args[k].s;
  };
  auto run = [&]() -> Result<Datum> {
    if (f == "replace") {
      RETURN_IF_ERROR(want(3, 3));
      if (any_null) return Null(kOidText);
      ASSIGN_OR_RETURN(std::string s, text_arg(0));
      ASSIGN_OR_RETURN(std::string from, text_arg(1));
      ASSIGN_OR_RETURN(std::string to, text_arg(2));
      if (from.empty()) return Text(s);
      std::string out;
      for (size_t pos = 0;;) {
        size_t hit = s.find(from, pos);
        if (hit == std::string::npos) {
          out += s.substr(pos);
          break;
        }
        out += s.substr(pos, hit - pos) + to;
        pos = hit + from.size();
      }
      return Text(std::move(out));
    }
    if (f == "substring" || f == "substr") {
      RETURN_IF_ERROR(want(2, 3));
      if (any_null) return Null(kOidText);
      ASSIGN_OR_RETURN(std::string s, text_arg(0));
      ASSIGN_OR_RETURN(Datum start, Cast(args[1], kOidInt8));
      std::optional<int64_t> count;
      if (args.size() == 3) {
        ASSIGN_OR_RETURN(Datum c, Cast(args[2], kOidInt8));
        count = c.i;
      }
      ASSIGN_OR_RETURN(std::string out, Substring(s, start.i, count));
      return Text(std::move(out));
    }
    if (f == "length" || f == "char_length" || f == "character_length") {
      RETURN_IF_ERROR(want(1, 1));
      if (any_null) return Null(kOidInt4);
      ASSIGN_OR_RETURN(std::string s, text_arg(0));
      return Int(int64_t(CharStarts(s).size()));
    }
    if (f == "btrim" || f == "ltrim" || f == "rtrim") {
      RETURN_IF_ERROR(want(1, 2));
      if (any_null) return Null(kOidText);
      ASSIGN_OR_RETURN(std::string s, text_arg(0));
      std::string chars = " ";
      if (args.size() == 2) {
        ASSIGN_OR_RETURN(chars, text_arg(1));
      }
      for (char c : chars)
        if (uint8_t(c) >= 0x80) return Unimplemented("catalog query: {} of non-ASCII characters is not supported", f);
      return Text(Trim(s, chars, f != "rtrim", f != "ltrim"));
    }
    if (f == "array_upper" || f == "array_lower" || f == "array_length" || f == "cardinality") {
      RETURN_IF_ERROR(f == "cardinality" ? want(1, 1) : want(2, 2));
      if (any_null) return Null(kOidInt4);
      if (CatOf(args[0].type) != Cat::kArray)
        return InvalidArgument(ErrorCode::kUndefinedFunction,
                               "function {}({}) does not exist", f, FormatTypeName(args[0].type));
      int64_t n = int64_t(args[0].elems.size());
      if (f == "cardinality") return Int(n);
      ASSIGN_OR_RETURN(Datum dim, Cast(args[1], kOidInt4));
      if (dim.i != 1 || n == 0) return Null(kOidInt4);  // one-dimensional arrays: other dimensions are NULL
      int lb = LowerBound(args[0].type);
      if (f == "array_lower") return Int(lb);
      if (f == "array_upper") return Int(lb + n - 1);
      return Int(n);
    }
    if (f == "pg_get_expr") {
      // Laminar stores no expressions (defaults, index predicates, partition bounds): every
      // pg_node_tree column is NULL, and pg_get_expr(NULL, ...) is NULL.
      RETURN_IF_ERROR(want(2, 3));
      if (args[0].null) return Null(kOidText);
      return Unimplemented("catalog query: pg_get_expr of a value that is not from the catalog is not supported");
    }
    // pg_function_is_visible, pg_get_function_*: pg_proc has no rows, so no oid names a
    // function, for which PostgreSQL answers NULL.
    RETURN_IF_ERROR(want(1, 1));
    return Null(f == "pg_function_is_visible" ? kOidBool : kOidText);
  };
  return run();
}

}  // namespace laminar::pgwire::pgcat
