// The catalog interpreter's expressions (see catalog_interp.h): evaluation, casts, operators,
// subqueries and static result types.
#include <algorithm>
#include <cmath>

// GCC 12 reports false -Wmaybe-uninitialized warnings inside <regex>'s instantiations.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#pragma GCC diagnostic pop

#include "pgwire/catalog_interp.h"
#include "sql/parser.h"

namespace laminar::pgwire::pgcat {

// Figures a result column's name as PostgreSQL does (FigureColname), for unnamed targets.
std::string FigureName(const json& node) {
  auto [kind, body] = KindOf(node);
  const json& b = *body;
  if (kind == "ColumnRef") {
    const json& fields = sql::Field(b, "fields");
    if (!fields.empty()) {
      std::string last = sql::StringValue(fields.back());
      if (!last.empty()) return last;
    }
  } else if (kind == "FuncCall") {
    auto names = Names(sql::Field(b, "funcname"));
    if (!names.empty()) return names.back();
  } else if (kind == "TypeCast") {
    std::string inner = FigureName(sql::Field(b, "arg"));
    if (inner != "?column?") return inner;
    auto names = Names(sql::Field(sql::Field(b, "typeName"), "names"));
    if (!names.empty()) return names.back();
  } else if (kind == "CollateClause") {
    return FigureName(sql::Field(b, "arg"));
  } else if (kind == "CaseExpr") {
    return "case";
  } else if (kind == "CoalesceExpr") {
    return "coalesce";
  } else if (kind == "SubLink") {
    std::string t = sql::Field(b, "subLinkType").is_string() ? sql::Field(b, "subLinkType").get<std::string>() : "";
    if (t == "EXISTS_SUBLINK") return "exists";
    if (t == "ARRAY_SUBLINK") return "array";
    if (t == "EXPR_SUBLINK") {
      const json& targets = sql::Field(sql::Field(sql::Field(b, "subselect"), "SelectStmt"), "targetList");
      if (targets.size() == 1) {
        const json& rt = sql::Field(targets[0], "ResTarget");
        if (sql::Field(rt, "name").is_string()) return sql::Field(rt, "name").get<std::string>();
        return FigureName(sql::Field(rt, "val"));
      }
    }
  } else if (kind == "SQLValueFunction") {
    std::string op = sql::Field(b, "op").is_string() ? sql::Field(b, "op").get<std::string>() : "";
    if (op == "SVFOP_CURRENT_USER") return "current_user";
    if (op == "SVFOP_SESSION_USER") return "session_user";
    if (op == "SVFOP_USER") return "user";
    if (op == "SVFOP_CURRENT_ROLE") return "current_role";
    if (op == "SVFOP_CURRENT_CATALOG") return "current_catalog";
    if (op == "SVFOP_CURRENT_SCHEMA") return "current_schema";
  }
  return "?column?";
}

namespace {

// SQL LIKE with % and _ and the escape character backslash.
bool LikeMatch(std::string_view s, std::string_view p, bool icase) {
  auto eq = [&](char a, char b) { return icase ? std::tolower(uint8_t(a)) == std::tolower(uint8_t(b)) : a == b; };
  size_t si = 0, pi = 0, star_p = std::string_view::npos, star_s = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '%') {
      star_p = ++pi;
      star_s = si;
      continue;
    }
    if (pi < p.size()) {
      char pc = p[pi];
      size_t step = 1;
      if (pc == '\\' && pi + 1 < p.size()) {
        pc = p[pi + 1];
        step = 2;
        if (eq(pc, s[si])) {
          pi += step;
          si++;
          continue;
        }
      } else if (pc == '_' || eq(pc, s[si])) {
        pi += step;
        si++;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    pi = star_p;
    si = ++star_s;
  }
  while (pi < p.size() && p[pi] == '%') pi++;
  return pi == p.size();
}

}  // namespace

Result<bool> Evaluator::Truth(const Datum& d, const char* where) {
  if (d.null) return false;
  if (d.type == kOidUnknown) return ParseBool(d.s);
  if (CatOf(d.type) != Cat::kBool)
    return InvalidArgument(ErrorCode::kDatatypeMismatch,
                           "argument of {} must be type boolean, not type {}", where, FormatTypeName(d.type));
  return d.i != 0;
}

Result<Datum> Evaluator::Column(const json& fields, const Scope& scope) {
  std::vector<std::string> parts;
  for (const json& f : fields) {
    if (f.contains("A_Star")) return Unimplemented("catalog query: * is not supported here");
    parts.push_back(sql::StringValue(f));
  }
  if (parts.empty() || parts.size() > 3) return InvalidArgument("improper qualified name");
  const std::string& col = parts.back();
  std::string qual = parts.size() >= 2 ? parts[parts.size() - 2] : "";
  std::string shown = qual.empty() ? col : qual + "." + col;
  bool catalog_tables = false;
  for (const Scope* s = &scope; s; s = s->outer) {
    if (!s->entries) continue;
    int matches = 0;
    size_t entry = 0, index = 0;
    const RangeEntry* qual_entry = nullptr;
    for (size_t e = 0; e < s->entries->size(); e++) {
      const RangeEntry& re = (*s->entries)[e];
      catalog_tables = catalog_tables || re.catalog_table;
      if (!qual.empty() && re.alias != qual) continue;
      if (!qual.empty()) qual_entry = &re;
      for (size_t c = 0; c < re.cols.size(); c++) {
        if (re.cols[c].name != col || (qual.empty() && re.hidden[c])) continue;
        matches++;
        entry = e;
        index = c;
      }
    }
    if (matches > 1) return InvalidArgument(ErrorCode::kAmbiguousColumn, "column reference \"{}\" is ambiguous", shown);
    if (matches == 1) {
      if (s->group) {  // from a subquery of a grouped query: a grouped column is the group's value
        for (size_t k = 0; k < s->group->key_exprs.size(); k++) {
          const json& key = sql::Field(*s->group->key_exprs[k], "ColumnRef");
          if (!key.is_null() && SameExpr(sql::Field(key, "fields"), fields)) return s->group->key_values[k];
        }
        return InvalidArgument(ErrorCode::kGroupingError,
                               "column \"{}\" must appear in the GROUP BY clause or be used in an aggregate function",
                               shown);
      }
      const auto* row = (*s->row)[entry];
      if (!row) return Null((*s->entries)[entry].cols[index].type_oid);
      return (*row)[index];
    }
    if (qual_entry) {
      if (qual_entry->catalog_table)
        return Unimplemented("catalog query: column {} is not supported by Laminar's catalog emulation", shown);
      return InvalidArgument(ErrorCode::kUndefinedColumn, "column {} does not exist", shown);
    }
  }
  if (!qual.empty())
    return InvalidArgument(ErrorCode::kUndefinedTable, "missing FROM-clause entry for table \"{}\"", qual);
  if (catalog_tables) return Unimplemented("catalog query: column \"{}\" is not supported by Laminar's catalog emulation", col);
  return InvalidArgument(ErrorCode::kUndefinedColumn, "column \"{}\" does not exist", col);
}

// The static type of an expression when no row shows it (an empty result's RowDescription).
uint32_t Evaluator::StaticType(const json& node, const std::vector<RangeEntry>& entries) const {
  auto [kind, body] = KindOf(node);
  const json& b = *body;
  if (kind == "ColumnRef") {
    const json& fields = sql::Field(b, "fields");
    if (fields.empty()) return kOidText;
    std::string col = sql::StringValue(fields.back());
    std::string qual = fields.size() >= 2 ? sql::StringValue(fields[fields.size() - 2]) : "";
    for (const RangeEntry& e : entries) {
      if (!qual.empty() && e.alias != qual) continue;
      for (const CatalogColumn& c : e.cols)
        if (c.name == col) return c.type_oid;
    }
    return kOidText;
  }
  if (kind == "TypeCast") {
    auto t = CastTarget(sql::Field(b, "typeName"));
    return t.ok() ? *t : kOidText;
  }
  if (kind == "CollateClause") return StaticType(sql::Field(b, "arg"), entries);
  if (kind == "A_Const") {
    if (b.contains("ival")) return kOidInt4;
    if (b.contains("fval")) return kOidNumeric;
    if (b.contains("boolval")) return kOidBool;
    return kOidText;
  }
  if (kind == "CaseExpr") {
    const json& whens = sql::Field(b, "args");
    if (!whens.empty()) return StaticType(sql::Field(sql::Field(whens[0], "CaseWhen"), "result"), entries);
    return kOidText;
  }
  if (kind == "BoolExpr" || kind == "NullTest" || kind == "BooleanTest") return kOidBool;
  if (kind == "A_Expr") {
    auto names = Names(sql::Field(b, "name"));
    std::string op = names.empty() ? "" : names.back();
    if (op == "||") return kOidText;
    if (op == "+" || op == "-" || op == "*" || op == "/") return StaticType(sql::Field(b, "lexpr"), entries);
    return kOidBool;
  }
  if (kind == "SQLValueFunction") return kOidName;
  if (kind == "SubLink") {
    std::string t = Str(b, "subLinkType");
    if (t == "EXISTS_SUBLINK") return kOidBool;
    if (t == "ARRAY_SUBLINK") return kOidTextArray;
    return kOidText;
  }
  if (kind == "FuncCall") {
    auto names = Names(sql::Field(b, "funcname"));
    std::string f = names.empty() ? "" : names.back();
    const json& args = sql::Field(b, "args");
    if (b.contains("over")) return kOidInt8;  // row_number, rank, dense_rank
    if (IsAggregateCall(b)) {
      if (f == "count") return kOidInt8;
      if (f == "string_agg") return kOidText;
      if (f == "bool_and" || f == "bool_or" || f == "every") return kOidBool;
      uint32_t arg = args.empty() ? kOidText : StaticType(args[0], entries);
      if (f == "array_agg") return ArrayTypeOf(arg) ? ArrayTypeOf(arg) : kOidTextArray;
      if (f == "sum" && CatOf(arg) == Cat::kInt) return kOidInt8;
      if (f == "avg") return CatOf(arg) == Cat::kInt ? kOidNumeric : kOidFloat8;
      return arg;
    }
    static const std::map<std::string, uint32_t> kReturns = {
        {"current_database", kOidName}, {"current_schema", kOidName}, {"current_schemas", kOidNameArray},
        {"pg_backend_pid", kOidInt4}, {"pg_get_userbyid", kOidName}, {"pg_table_is_visible", kOidBool},
        {"pg_type_is_visible", kOidBool}, {"pg_function_is_visible", kOidBool}, {"pg_encoding_to_char", kOidName},
        {"pg_sleep", kOidVoid}, {"pg_is_in_recovery", kOidBool}, {"pg_table_size", kOidInt8},
        {"pg_relation_size", kOidInt8}, {"pg_total_relation_size", kOidInt8}, {"pg_relation_is_publishable", kOidBool},
        {"array_upper", kOidInt4}, {"array_lower", kOidInt4}, {"array_length", kOidInt4}, {"cardinality", kOidInt4},
        {"length", kOidInt4}, {"char_length", kOidInt4}, {"character_length", kOidInt4}};
    auto it = kReturns.find(f);
    return it == kReturns.end() ? kOidText : it->second;
  }
  if (kind == "A_Indirection") {
    uint32_t elem = ElementType(StaticType(sql::Field(b, "arg"), entries));
    return elem ? elem : kOidText;
  }
  if (kind == "A_ArrayExpr") return kOidTextArray;
  if (kind == "CoalesceExpr") {
    const json& args = sql::Field(b, "args");
    return args.empty() ? kOidText : StaticType(args[0], entries);
  }
  return kOidText;
}

Result<uint32_t> Evaluator::CastTarget(const json& type_name) {
  auto names = Names(sql::Field(type_name, "names"));
  if (names.empty()) return InvalidArgument("bad type name");
  std::string t = names.back();
  if (names.size() > 2 || (names.size() == 2 && names[0] != "pg_catalog"))
    return Unimplemented("catalog query: type {} is not supported", t);
  static const std::map<std::string, uint32_t> kTargets = {
      {"text", kOidText}, {"varchar", kOidVarchar}, {"name", kOidName}, {"char", kOidChar}, {"bpchar", kOidBpchar},
      {"int2", kOidInt2}, {"int4", kOidInt4}, {"int8", kOidInt8}, {"oid", kOidOid}, {"bool", kOidBool},
      {"float4", kOidFloat4}, {"float8", kOidFloat8}, {"numeric", kOidNumeric}, {"regclass", kOidRegclass},
      {"regtype", kOidRegtype}, {"regnamespace", kOidRegnamespace}, {"timestamptz", kOidTimestamptz},
      {"timestamp", kOidTimestamp}, {"regproc", kOidRegproc}};
  auto it = kTargets.find(t);
  if (it == kTargets.end()) return Unimplemented("catalog query: cast to type {} is not supported", t);
  if (sql::Field(type_name, "arrayBounds").is_null()) return it->second;
  uint32_t array = ArrayTypeOf(it->second);
  if (!array || sql::Field(type_name, "arrayBounds").size() > 1)
    return Unimplemented("catalog query: cast to type {}[] is not supported", t);
  return array;
}

const RelInfo* Evaluator::RelByOid(int64_t oid) const {
  for (const RelInfo& r : rels_)
    if (r.oid == oid) return &r;
  return nullptr;
}

std::string Evaluator::RelDisplay(int64_t oid) const {
  if (oid == 0) return "-";
  if (const RelInfo* r = RelByOid(oid)) return QuoteIdent(r->name);
  if (const char* system = SystemRelationName(uint32_t(oid))) return system;
  return std::to_string(oid);
}

Result<Datum> Evaluator::Cast(const Datum& d, uint32_t target) {
  if (d.type == target) return d;
  if (d.null) return Null(target);
  Cat from = CatOf(d.type), to = CatOf(target);
  if (from == Cat::kArray && to == Cat::kArray) {  // element by element
    uint32_t elem = ElementType(target);
    Datum out = Array({}, target);
    for (const auto& e : d.elems) {
      ASSIGN_OR_RETURN(Datum v, Cast(e ? Text(*e, kOidUnknown) : Null(), elem));
      out.elems.push_back(ToText(v));
    }
    return out;
  }
  if (from == Cat::kArray && to == Cat::kText && target != kOidChar) return Text(*ToText(d), target);
  if (from == Cat::kArray || from == Cat::kOther)
    return Unimplemented("catalog query: cast from {} to {} is not supported", FormatTypeName(d.type), FormatTypeName(target));
  std::string text = ToText(d).value_or("");
  if (to == Cat::kArray) {
    if (from != Cat::kText)
      return InvalidArgument(ErrorCode::kCannotCoerce,
                             "cannot cast type {} to {}", FormatTypeName(d.type), FormatTypeName(target));
    ASSIGN_OR_RETURN(auto elems, ParseArrayText(text));
    return Cast(Array(std::move(elems), kOidTextArray), target);
  }
  if (target == kOidRegproc) {
    if (from == Cat::kInt) {
      const char* name = BuiltinProcName(uint32_t(d.i));
      return Reg(d.i, d.i == 0 ? "-" : name ? name : std::to_string(d.i), kOidRegproc);
    }
    std::string name(TrimSpace(text));
    if (name.starts_with("pg_catalog.")) name = name.substr(11);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    } else {
      name = Lower(name);
    }
    if (std::optional<uint32_t> oid = BuiltinProcOid(name)) return Reg(*oid, name, kOidRegproc);
    return InvalidArgument(ErrorCode::kUndefinedFunction, "function \"{}\" does not exist", text);
  }
  if (target == kOidRegclass) {
    if (from == Cat::kInt || from == Cat::kFloat) {
      int64_t oid = from == Cat::kInt ? d.i : int64_t(d.f);
      return Reg(oid, RelDisplay(oid), kOidRegclass);
    }
    std::string name(TrimSpace(text));
    if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return std::isdigit(uint8_t(c)); })) {
      ASSIGN_OR_RETURN(int64_t oid, ParseInt(name, kOidOid));
      return Reg(oid, RelDisplay(oid), kOidRegclass);
    }
    std::string schema;
    if (name.starts_with("public.")) name = name.substr(7);
    if (name.starts_with("pg_catalog.")) {
      schema = "pg_catalog";
      name = name.substr(11);
    }
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      std::string unq;
      for (size_t k = 1; k + 1 < name.size(); k++) {
        unq += name[k];
        if (name[k] == '"' && k + 2 < name.size() && name[k + 1] == '"') k++;
      }
      name = unq;
    } else {
      name = Lower(name);
    }
    if (schema.empty()) {
      for (const RelInfo& r : rels_)
        if (r.name == name) return Reg(r.oid, QuoteIdent(r.name), kOidRegclass);
    }
    if (std::optional<uint32_t> oid = SystemRelationOid(name)) return Reg(*oid, name, kOidRegclass);
    if (IsVirtualTable("pg_catalog", name))
      return Unimplemented("catalog query: the catalog view {} has no oid in Laminar's catalog emulation", name);
    return InvalidArgument(ErrorCode::kUndefinedTable, "relation \"{}\" does not exist", text);
  }
  if (target == kOidRegtype) {
    if (from == Cat::kInt)
      return Reg(d.i, d.i == 0 ? "-" : FindType(uint32_t(d.i)) ? FormatTypeName(uint32_t(d.i)) : std::to_string(d.i),
                 kOidRegtype);
    std::string name = Lower(TrimSpace(text));
    if (name.starts_with("pg_catalog.")) name = name.substr(11);
    for (const TypeInfo& t : Types())
      if (name == t.typname || name == t.formatted) return Reg(t.oid, t.formatted, kOidRegtype);
    return InvalidArgument(ErrorCode::kUndefinedObject, "type \"{}\" does not exist", text);
  }
  if (target == kOidRegnamespace) {
    auto nsp = [](int64_t oid) -> std::optional<std::string> {
      if (oid == kCatalogNamespaceOid) return "pg_catalog";
      if (oid == kPublicNamespaceOid) return "public";
      if (oid == kInfoSchemaNamespaceOid) return "information_schema";
      if (oid == 0) return "-";
      return std::nullopt;
    };
    if (from == Cat::kInt) return Reg(d.i, nsp(d.i).value_or(std::to_string(d.i)), kOidRegnamespace);
    std::string name = Lower(TrimSpace(text));
    if (name == "pg_catalog") return Reg(kCatalogNamespaceOid, name, kOidRegnamespace);
    if (name == "public") return Reg(kPublicNamespaceOid, name, kOidRegnamespace);
    if (name == "information_schema") return Reg(kInfoSchemaNamespaceOid, name, kOidRegnamespace);
    return InvalidArgument(ErrorCode::kInvalidSchemaName, "schema \"{}\" does not exist", text);
  }
  switch (to) {
    case Cat::kText: {
      if (target == kOidChar) text = text.substr(0, 1);
      return Text(std::move(text), target);
    }
    case Cat::kBool: {
      if (from == Cat::kBool) return Bool(d.i != 0);
      if (from == Cat::kInt) return Bool(d.i != 0);
      if (from == Cat::kText) {
        ASSIGN_OR_RETURN(bool b, ParseBool(text));
        return Bool(b);
      }
      break;
    }
    case Cat::kInt: {
      if (from == Cat::kInt || from == Cat::kBool) return Int(d.i, target);
      if (from == Cat::kFloat) {
        if (!std::isfinite(d.f))
          return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "{} out of range", FormatTypeName(target));
        return Int(int64_t(std::nearbyint(d.f)), target);
      }
      ASSIGN_OR_RETURN(int64_t v, ParseInt(text, target));
      return Int(v, target);
    }
    case Cat::kFloat: {
      if (from == Cat::kInt) return Float(double(d.i), target);
      if (from == Cat::kFloat) return Float(d.f, target);
      if (from == Cat::kText) {
        ASSIGN_OR_RETURN(double v, ParseFloat(text, target));
        return Float(v, target);
      }
      break;
    }
    default: break;
  }
  return Unimplemented("catalog query: cast from {} to {} is not supported", FormatTypeName(d.type), FormatTypeName(target));
}

// a <op> b for comparisons (both non-NULL): <0, 0, >0.
Result<int> Evaluator::Compare(const Datum& a, const Datum& b) {
  if (a.type == kOidUnknown && b.type != kOidUnknown) {
    ASSIGN_OR_RETURN(Datum ac, Cast(a, b.type));
    return Compare(ac, b);
  }
  if (b.type == kOidUnknown && a.type != kOidUnknown) {
    ASSIGN_OR_RETURN(Datum bc, Cast(b, a.type));
    return Compare(a, bc);
  }
  Cat ca = CatOf(a.type), cb = CatOf(b.type);
  bool na = ca == Cat::kInt || ca == Cat::kFloat, nb = cb == Cat::kInt || cb == Cat::kFloat;
  if (na && nb) {
    if (ca == Cat::kInt && cb == Cat::kInt) return a.i < b.i ? -1 : a.i > b.i;
    double x = ca == Cat::kFloat ? a.f : double(a.i), y = cb == Cat::kFloat ? b.f : double(b.i);
    return x < y ? -1 : x > y;
  }
  if (ca == Cat::kBool && cb == Cat::kBool) return a.i < b.i ? -1 : a.i > b.i;
  if (ca == Cat::kText && cb == Cat::kText) {
    int c = a.s.compare(b.s);
    return c < 0 ? -1 : c > 0;
  }
  return InvalidArgument(ErrorCode::kUndefinedFunction,
                         "operator does not exist: {} = {}", FormatTypeName(a.type), FormatTypeName(b.type));
}

Result<const std::regex*> Evaluator::Regex(const std::string& pattern, bool icase) {
  std::string key = (icase ? "i:" : "c:") + pattern;
  auto it = regexes_.find(key);
  if (it != regexes_.end()) return &it->second;
  if (pattern.size() > 1000) return Unimplemented("catalog query: regular expression longer than 1000 characters");
  try {
    auto flags = std::regex::extended | (icase ? std::regex::icase : std::regex::flag_type(0));
    return &regexes_.emplace(key, std::regex(pattern, flags)).first->second;
  } catch (const std::regex_error& e) {
    return InvalidArgument(ErrorCode::kInvalidRegularExpression, "invalid regular expression: {}", e.what());
  }
}

Result<Datum> Evaluator::BinaryOp(const std::string& op, const Datum& a, const Datum& b) {
  if (op == "||" && (CatOf(a.type) == Cat::kArray || CatOf(b.type) == Cat::kArray)) {
    // Array concatenation: a NULL array is the identity.
    if (CatOf(a.type) != Cat::kArray || CatOf(b.type) != Cat::kArray)
      return Unimplemented("catalog query: || between an array and an element is not supported");
    if (a.null) return b;
    if (b.null) return a;
    Datum out = a;
    out.elems.insert(out.elems.end(), b.elems.begin(), b.elems.end());
    return out;
  }
  if (a.null || b.null) {
    if (op == "||") return Null(kOidText);
    return Null(kOidBool);
  }
  if (op == "=" || op == "<>" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=") {
    ASSIGN_OR_RETURN(int c, Compare(a, b));
    if (op == "=") return Bool(c == 0);
    if (op == "<>" || op == "!=") return Bool(c != 0);
    if (op == "<") return Bool(c < 0);
    if (op == "<=") return Bool(c <= 0);
    if (op == ">") return Bool(c > 0);
    return Bool(c >= 0);
  }
  if (op == "~" || op == "!~" || op == "~*" || op == "!~*") {
    if (CatOf(a.type) != Cat::kText || CatOf(b.type) != Cat::kText)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "operator does not exist: {} {} {}", FormatTypeName(a.type), op, FormatTypeName(b.type));
    ASSIGN_OR_RETURN(const std::regex* re, Regex(b.s, op.find('*') != std::string::npos));
    bool m = std::regex_search(a.s, *re);
    return Bool(op[0] == '!' ? !m : m);
  }
  if (op == "~~" || op == "!~~" || op == "~~*" || op == "!~~*") {
    if (CatOf(a.type) != Cat::kText || CatOf(b.type) != Cat::kText)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "operator does not exist: {} {} {}", FormatTypeName(a.type), op, FormatTypeName(b.type));
    bool m = LikeMatch(a.s, b.s, op.find('*') != std::string::npos);
    return Bool(op[0] == '!' ? !m : m);
  }
  if (op == "||") return Text(ToText(a).value_or("") + ToText(b).value_or(""));
  if (op == "+" || op == "-" || op == "*") {
    ASSIGN_OR_RETURN(Datum x, CatOf(a.type) == Cat::kText ? Cast(a, kOidInt8) : Result<Datum>(a));
    ASSIGN_OR_RETURN(Datum y, CatOf(b.type) == Cat::kText ? Cast(b, kOidInt8) : Result<Datum>(b));
    if (CatOf(x.type) == Cat::kInt && CatOf(y.type) == Cat::kInt) {
      int64_t r = 0;
      bool overflow = op == "+" ? __builtin_add_overflow(x.i, y.i, &r)
                      : op == "-" ? __builtin_sub_overflow(x.i, y.i, &r)
                                  : __builtin_mul_overflow(x.i, y.i, &r);
      if (overflow) return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "bigint out of range");
      return Int(r, x.type == kOidInt8 || y.type == kOidInt8 ? kOidInt8 : kOidInt4);
    }
    if (CatOf(x.type) == Cat::kFloat || CatOf(y.type) == Cat::kFloat) {
      double p = CatOf(x.type) == Cat::kFloat ? x.f : double(x.i), q = CatOf(y.type) == Cat::kFloat ? y.f : double(y.i);
      return Float(op == "+" ? p + q : op == "-" ? p - q : p * q);
    }
  }
  return Unimplemented("catalog query: operator {} on {} and {} is not supported", op, FormatTypeName(a.type), FormatTypeName(b.type));
}

Result<Datum> Evaluator::Eval(const json& node, const Scope& scope) {
  auto [kind, body] = KindOf(node);
  const json& b = *body;
  if (scope.group) {  // a GROUP BY expression is the group's value
    for (size_t k = 0; k < scope.group->key_exprs.size(); k++)
      if (SameExpr(*scope.group->key_exprs[k], node)) return scope.group->key_values[k];
  }
  if (kind == "A_Const") {
    if (sql::Field(b, "isnull").is_boolean() && sql::Field(b, "isnull").get<bool>()) return Null();
    if (b.contains("ival")) {
      const json& v = sql::Field(sql::Field(b, "ival"), "ival");
      int64_t i = v.is_number_integer() ? v.get<int64_t>() : 0;
      return Int(i, i >= INT32_MIN && i <= INT32_MAX ? kOidInt4 : kOidInt8);
    }
    if (b.contains("fval")) {
      ASSIGN_OR_RETURN(double v, ParseFloat(Str(sql::Field(b, "fval"), "fval"), kOidNumeric));
      return Float(v, kOidNumeric);
    }
    if (b.contains("sval")) return Text(Str(sql::Field(b, "sval"), "sval"), kOidUnknown);
    if (b.contains("boolval")) {
      const json& v = sql::Field(sql::Field(b, "boolval"), "boolval");
      return Bool(v.is_boolean() && v.get<bool>());
    }
    return Unimplemented("catalog query: this constant is not supported");
  }
  if (kind == "ColumnRef") return Column(sql::Field(b, "fields"), scope);
  if (kind == "TypeCast") {
    ASSIGN_OR_RETURN(Datum v, Eval(sql::Field(b, "arg"), scope));
    ASSIGN_OR_RETURN(uint32_t target, CastTarget(sql::Field(b, "typeName")));
    return Cast(v, target);
  }
  if (kind == "CollateClause") return Eval(sql::Field(b, "arg"), scope);  // every comparison is C-collated
  if (kind == "BoolExpr") {
    std::string op = Str(b, "boolop");
    const json& args = sql::Field(b, "args");
    if (op == "NOT_EXPR") {
      if (args.size() != 1) return InvalidArgument("NOT takes one argument");
      ASSIGN_OR_RETURN(Datum v, Eval(args[0], scope));
      if (v.null) return Null(kOidBool);
      ASSIGN_OR_RETURN(bool t, Truth(v, "NOT"));
      return Bool(!t);
    }
    bool is_and = op == "AND_EXPR";
    bool saw_null = false;
    for (const json& a : args) {
      ASSIGN_OR_RETURN(Datum v, Eval(a, scope));
      if (v.null) {
        saw_null = true;
        continue;
      }
      ASSIGN_OR_RETURN(bool t, Truth(v, is_and ? "AND" : "OR"));
      if (t != is_and) return Bool(t);  // AND: a false decides; OR: a true decides
    }
    if (saw_null) return Null(kOidBool);
    return Bool(is_and);
  }
  if (kind == "NullTest") {
    ASSIGN_OR_RETURN(Datum v, Eval(sql::Field(b, "arg"), scope));
    bool is_null = v.null;
    return Bool(Str(b, "nulltesttype") == "IS_NULL" ? is_null : !is_null);
  }
  if (kind == "BooleanTest") {
    ASSIGN_OR_RETURN(Datum v, Eval(sql::Field(b, "arg"), scope));
    std::string t = Str(b, "booltesttype");
    std::optional<bool> val;
    if (!v.null) {
      ASSIGN_OR_RETURN(bool x, Truth(v, "IS"));
      val = x;
    }
    if (t == "IS_TRUE") return Bool(val == true);
    if (t == "IS_NOT_TRUE") return Bool(val != true);
    if (t == "IS_FALSE") return Bool(val == false);
    if (t == "IS_NOT_FALSE") return Bool(val != false);
    if (t == "IS_UNKNOWN") return Bool(!val);
    return Bool(val.has_value());
  }
  if (kind == "A_Expr") return EvalAExpr(b, scope);
  if (kind == "CaseExpr") {
    const json& arg = sql::Field(b, "arg");
    std::optional<Datum> subject;
    if (!arg.is_null()) {
      ASSIGN_OR_RETURN(Datum s, Eval(arg, scope));
      subject = std::move(s);
    }
    for (const json& w : sql::Field(b, "args")) {
      const json& cw = sql::Field(w, "CaseWhen");
      ASSIGN_OR_RETURN(Datum cond, Eval(sql::Field(cw, "expr"), scope));
      bool hit = false;
      if (subject) {
        if (!subject->null && !cond.null) {
          ASSIGN_OR_RETURN(int c, Compare(*subject, cond));
          hit = c == 0;
        }
      } else {
        ASSIGN_OR_RETURN(hit, Truth(cond, "CASE/WHEN"));
      }
      if (hit) return EvalResult(sql::Field(cw, "result"), scope);
    }
    const json& dflt = sql::Field(b, "defresult");
    if (dflt.is_null()) {
      const json& whens = sql::Field(b, "args");
      static const std::vector<RangeEntry> kNoEntries;
      return Null(whens.empty() ? kOidText
                                : StaticType(sql::Field(sql::Field(whens[0], "CaseWhen"), "result"),
                                             scope.entries ? *scope.entries : kNoEntries));
    }
    return EvalResult(dflt, scope);
  }
  if (kind == "CoalesceExpr") {
    Datum last = Null();
    for (const json& a : sql::Field(b, "args")) {
      ASSIGN_OR_RETURN(Datum v, Eval(a, scope));
      if (!v.null) return v;
      last = std::move(v);
    }
    return last;
  }
  if (kind == "SQLValueFunction") {
    std::string op = Str(b, "op");
    if (op == "SVFOP_CURRENT_USER" || op == "SVFOP_SESSION_USER" || op == "SVFOP_USER" || op == "SVFOP_CURRENT_ROLE")
      return Name(ctx_.user);
    if (op == "SVFOP_CURRENT_CATALOG") return Name(ctx_.database);
    if (op == "SVFOP_CURRENT_SCHEMA") return Name("public");
    return Unimplemented("catalog query: {} is not supported", op.substr(6));
  }
  if (kind == "FuncCall") {
    if (b.contains("over")) {
      auto it = scope.windows ? scope.windows->find(&b) : WindowValues::const_iterator();
      if (!scope.windows || it == scope.windows->end())
        return InvalidArgument(ErrorCode::kWindowingError, "window functions are not allowed here");
      return it->second[scope.unit];
    }
    if (IsAggregateCall(b)) {
      auto names = Names(sql::Field(b, "funcname"));
      return Aggregate(b, names.back(), scope);
    }
    return Call(b, scope);
  }
  if (kind == "SubLink") return EvalSubLink(b, scope);
  if (kind == "A_Indirection") return EvalIndirection(b, scope);
  if (kind == "A_ArrayExpr") {
    std::vector<std::optional<std::string>> elems;
    uint32_t elem = kOidUnknown;
    bool mixed = false;
    for (const json& e : sql::Field(b, "elements")) {
      ASSIGN_OR_RETURN(Datum v, Eval(e, scope));
      if (CatOf(v.type) == Cat::kArray) return Unimplemented("catalog query: multidimensional arrays are not supported");
      if (v.type != kOidUnknown) {
        mixed = mixed || (elem != kOidUnknown && elem != v.type);
        elem = v.type;
      }
      elems.push_back(ToText(v));
    }
    uint32_t array = mixed || elem == kOidUnknown ? kOidTextArray : ArrayTypeOf(elem);
    return Array(std::move(elems), array ? array : kOidTextArray);
  }
  if (kind == "ParamRef") return Unimplemented("catalog query: parameters are not supported");
  return Unimplemented("catalog query: expression {} is not supported", kind.empty() ? "?" : kind);
}

// A CASE branch's value: an untyped literal result is text.
Result<Datum> Evaluator::EvalResult(const json& node, const Scope& scope) {
  ASSIGN_OR_RETURN(Datum v, Eval(node, scope));
  if (v.type == kOidUnknown) v.type = kOidText;
  return v;
}

Result<Datum> Evaluator::EvalAExpr(const json& b, const Scope& scope) {
  std::string kind = Str(b, "kind");
  auto names = Names(sql::Field(b, "name"));
  if (names.size() == 2 && names[0] != "pg_catalog") return Unimplemented("catalog query: operator {}.{} is not supported", names[0], names[1]);
  std::string op = names.empty() ? "" : names.back();
  const json& lexpr = sql::Field(b, "lexpr");
  const json& rexpr = sql::Field(b, "rexpr");
  if (kind == "AEXPR_OP") {
    if (lexpr.is_null()) {
      ASSIGN_OR_RETURN(Datum v, Eval(rexpr, scope));
      if (op == "-" || op == "+") {
        if (v.null) return v;
        if (v.type == kOidUnknown) {
          ASSIGN_OR_RETURN(v, Cast(v, kOidFloat8));
        }
        if (CatOf(v.type) == Cat::kInt) return Int(op == "-" ? -v.i : v.i, v.type);
        if (CatOf(v.type) == Cat::kFloat) return Float(op == "-" ? -v.f : v.f, v.type);
      }
      return Unimplemented("catalog query: prefix operator {} is not supported", op);
    }
    ASSIGN_OR_RETURN(Datum l, Eval(lexpr, scope));
    ASSIGN_OR_RETURN(Datum r, Eval(rexpr, scope));
    return BinaryOp(op, l, r);
  }
  if (kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE") {
    ASSIGN_OR_RETURN(Datum l, Eval(lexpr, scope));
    ASSIGN_OR_RETURN(Datum r, Eval(rexpr, scope));
    if (CatOf(l.type) == Cat::kText && r.type == kOidUnknown) r.type = kOidText;
    if (CatOf(r.type) == Cat::kText && l.type == kOidUnknown) l.type = kOidText;
    return BinaryOp(op, l, r);
  }
  if (kind == "AEXPR_IN") {
    ASSIGN_OR_RETURN(Datum l, Eval(lexpr, scope));
    bool negate = op == "<>";
    if (l.null) return Null(kOidBool);
    bool saw_null = false;
    for (const json& item : sql::Field(sql::Field(rexpr, "List"), "items")) {
      ASSIGN_OR_RETURN(Datum r, Eval(item, scope));
      if (r.null) {
        saw_null = true;
        continue;
      }
      ASSIGN_OR_RETURN(int c, Compare(l, r));
      if (c == 0) return Bool(!negate);
    }
    if (saw_null) return Null(kOidBool);
    return Bool(negate);
  }
  if (kind == "AEXPR_NULLIF") {
    ASSIGN_OR_RETURN(Datum l, Eval(lexpr, scope));
    ASSIGN_OR_RETURN(Datum r, Eval(rexpr, scope));
    if (!l.null && !r.null) {
      ASSIGN_OR_RETURN(int c, Compare(l, r));
      if (c == 0) return Null(l.type);
    }
    return l;
  }
  if (kind == "AEXPR_DISTINCT" || kind == "AEXPR_NOT_DISTINCT") {
    ASSIGN_OR_RETURN(Datum l, Eval(lexpr, scope));
    ASSIGN_OR_RETURN(Datum r, Eval(rexpr, scope));
    bool distinct;
    if (l.null || r.null) {
      distinct = l.null != r.null;
    } else {
      ASSIGN_OR_RETURN(int c, Compare(l, r));
      distinct = c != 0;
    }
    return Bool(kind == "AEXPR_DISTINCT" ? distinct : !distinct);
  }
  if (kind == "AEXPR_OP_ANY" || kind == "AEXPR_OP_ALL") {
    ASSIGN_OR_RETURN(Datum l, Eval(lexpr, scope));
    ASSIGN_OR_RETURN(Datum r, Eval(rexpr, scope));
    if (l.null || r.null) return Null(kOidBool);
    // An untyped literal is an array of the left operand's type, as in PostgreSQL:
    // relkind = ANY('{r,m}').
    if (r.type == kOidUnknown) {
      ASSIGN_OR_RETURN(r.elems, ParseArrayText(r.s));
      r.type = kOidTextArray;
    }
    if (CatOf(r.type) != Cat::kArray) return Unimplemented("catalog query: {} over a non-array is not supported", kind == "AEXPR_OP_ANY" ? "ANY" : "ALL");
    bool any = kind == "AEXPR_OP_ANY", saw_null = false;
    for (const auto& e : r.elems) {
      if (!e) {
        saw_null = true;
        continue;
      }
      ASSIGN_OR_RETURN(Datum m, BinaryOp(op, l, Text(*e, kOidUnknown)));
      if (m.null) {
        saw_null = true;
        continue;
      }
      if ((m.i != 0) == any) return Bool(any);
    }
    if (saw_null) return Null(kOidBool);
    return Bool(!any);
  }
  return Unimplemented("catalog query: {} is not supported", kind);
}

Result<Datum> Evaluator::EvalSubLink(const json& b, const Scope& scope) {
  std::string type = Str(b, "subLinkType");
  const json& sub = sql::Field(sql::Field(b, "subselect"), "SelectStmt");
  if (sub.is_null()) return Unimplemented("catalog query: this subquery is not supported");
  ASSIGN_OR_RETURN(Relation r, Select(sub, &scope));
  if (type == "EXISTS_SUBLINK") return Bool(!r.rows.empty());
  if (r.cols.size() != 1) return InvalidArgument(ErrorCode::kSyntaxError, "subquery must return only one column");
  if (type == "EXPR_SUBLINK") {
    if (r.rows.size() > 1)
      return InvalidArgument(ErrorCode::kCardinalityViolation,
                             "more than one row returned by a subquery used as an expression");
    if (r.rows.empty()) return Null(r.cols[0].type_oid);
    return r.rows[0][0];
  }
  if (type == "ARRAY_SUBLINK") {
    std::vector<std::optional<std::string>> elems;
    for (const auto& row : r.rows) elems.push_back(ToText(row[0]));
    uint32_t elem = r.cols[0].type_oid;
    uint32_t array = kOidTextArray;
    if (const TypeInfo* t = FindType(elem); t && t->array_oid) array = t->array_oid;
    if (CatOf(array) != Cat::kArray) array = kOidTextArray;
    return Array(std::move(elems), array);
  }
  if (type == "ANY_SUBLINK") {
    auto names = Names(sql::Field(b, "operName"));
    std::string op = names.empty() ? "=" : names.back();
    ASSIGN_OR_RETURN(Datum l, Eval(sql::Field(b, "testexpr"), scope));
    if (l.null) return Null(kOidBool);
    bool saw_null = false;
    for (const auto& row : r.rows) {
      ASSIGN_OR_RETURN(Datum m, BinaryOp(op, l, row[0]));
      if (m.null) {
        saw_null = true;
        continue;
      }
      if (m.i) return Bool(true);
    }
    if (saw_null) return Null(kOidBool);
    return Bool(false);
  }
  return Unimplemented("catalog query: {} is not supported", type);
}

// arr[i] (one-dimensional; subscripts from LowerBound, NULL out of range). Slices and field
// selection are Unimplemented.
Result<Datum> Evaluator::EvalIndirection(const json& b, const Scope& scope) {
  for (const json& ind : sql::Field(b, "indirection")) {
    auto [kind, body] = KindOf(ind);
    if (kind == "String") return Unimplemented("catalog query: field selection .{} is not supported", sql::StringValue(ind));
    if (kind != "A_Indices") return Unimplemented("catalog query: {} in an indirection is not supported", kind);
    if (sql::Field(*body, "is_slice").is_boolean() && sql::Field(*body, "is_slice").get<bool>())
      return Unimplemented("catalog query: array slices are not supported");
  }
  ASSIGN_OR_RETURN(Datum v, Eval(sql::Field(b, "arg"), scope));
  for (const json& ind : sql::Field(b, "indirection")) {
    const json& body = sql::Field(ind, "A_Indices");
    if (!v.null && CatOf(v.type) != Cat::kArray)
      return InvalidArgument(ErrorCode::kDatatypeMismatch,
                             "cannot subscript type {} because it does not support subscripting",
                             FormatTypeName(v.type));
    uint32_t elem = v.null ? kOidText : ElementType(v.type);
    if (CatOf(v.type) == Cat::kArray && !v.null && elem == 0) elem = kOidText;
    ASSIGN_OR_RETURN(Datum idx, Eval(sql::Field(body, "uidx"), scope));
    ASSIGN_OR_RETURN(idx, Cast(idx, kOidInt4));
    if (v.null || idx.null) {
      v = Null(elem);
      continue;
    }
    int64_t k = idx.i - LowerBound(v.type);
    if (k < 0 || size_t(k) >= v.elems.size() || !v.elems[size_t(k)]) {
      v = Null(elem);
      continue;
    }
    ASSIGN_OR_RETURN(v, Cast(Text(*v.elems[size_t(k)], kOidUnknown), elem));
  }
  return v;
}


}  // namespace laminar::pgwire::pgcat
