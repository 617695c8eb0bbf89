// pg_catalog emulation (see pg_catalog.h): virtual catalog tables built from a catalog::Snapshot
// and a small interpreter for the SELECTs clients send over them.
#include "pgwire/pg_catalog.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <functional>
#include <memory>
// GCC 12 reports false -Wmaybe-uninitialized warnings inside <regex>'s instantiations.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#pragma GCC diagnostic pop
#include <set>

#include <fmt/ranges.h>

#include "common/types.h"
#include "pgwire/message.h"

namespace laminar::pgwire {

namespace {

using json = nlohmann::json;

// ---- Types ------------------------------------------------------------------------------------

constexpr uint32_t kOidChar = 18, kOidName = 19, kOidInt2Vector = 22, kOidOid = 26, kOidOidVector = 30,
                   kOidNodeTree = 194, kOidUnknown = 705, kOidBpchar = 1042, kOidTimestamp = 1114,
                   kOidNumeric = 1700, kOidRegclass = 2205, kOidRegtype = 2206, kOidRegnamespace = 4089,
                   kOidCharArray = 1002, kOidNameArray = 1003, kOidInt2Array = 1005, kOidTextArray = 1009,
                   kOidOidArray = 1028, kOidAclArray = 1034;

// The type facts the catalog reports (pg_type rows, pg_attribute details, format_type).
struct TypeInfo {
  uint32_t oid;
  const char* typname;
  const char* formatted;  // format_type()
  int len;
  bool byval;
  char align, storage, category;
  bool preferred;
  uint32_t array_oid, collation;
  char typtype;
};

const std::vector<TypeInfo>& Types() {
  static const std::vector<TypeInfo> kTypes = {
      {kOidBool, "bool", "boolean", 1, true, 'c', 'p', 'B', true, 1000, 0, 'b'},
      {kOidChar, "char", "\"char\"", 1, true, 'c', 'p', 'Z', false, kOidCharArray, 0, 'b'},
      {kOidName, "name", "name", 64, false, 'c', 'p', 'S', false, kOidNameArray, 950, 'b'},
      {kOidInt8, "int8", "bigint", 8, true, 'd', 'p', 'N', false, 1016, 0, 'b'},
      {kOidInt2, "int2", "smallint", 2, true, 's', 'p', 'N', false, kOidInt2Array, 0, 'b'},
      {kOidInt4, "int4", "integer", 4, true, 'i', 'p', 'N', false, 1007, 0, 'b'},
      {kOidText, "text", "text", -1, false, 'i', 'x', 'S', true, kOidTextArray, 100, 'b'},
      {kOidOid, "oid", "oid", 4, true, 'i', 'p', 'N', false, kOidOidArray, 0, 'b'},
      {kOidFloat4, "float4", "real", 4, true, 'i', 'p', 'N', false, 1021, 0, 'b'},
      {kOidFloat8, "float8", "double precision", 8, true, 'd', 'p', 'N', true, 1022, 0, 'b'},
      {kOidUnknown, "unknown", "unknown", -2, false, 'c', 'p', 'X', false, 0, 0, 'p'},
      {kOidVarchar, "varchar", "character varying", -1, false, 'i', 'x', 'S', false, 1015, 100, 'b'},
      {kOidTimestamp, "timestamp", "timestamp without time zone", 8, true, 'd', 'p', 'D', false, 1115, 0, 'b'},
      {kOidTimestamptz, "timestamptz", "timestamp with time zone", 8, true, 'd', 'p', 'D', true, 1185, 0, 'b'},
      {kOidVoid, "void", "void", 4, true, 'i', 'p', 'P', false, 0, 0, 'p'},
  };
  return kTypes;
}

const TypeInfo* FindType(uint32_t oid) {
  for (const TypeInfo& t : Types())
    if (t.oid == oid) return &t;
  return nullptr;
}

// format_type(oid, typmod) for the types clients may meet; "???" as PostgreSQL for the others.
std::string FormatTypeName(uint32_t oid) {
  if (const TypeInfo* t = FindType(oid)) return t->formatted;
  switch (oid) {
    case kOidBpchar: return "character";
    case kOidNumeric: return "numeric";
    case kOidRegclass: return "regclass";
    case kOidRegtype: return "regtype";
    case kOidRegnamespace: return "regnamespace";
    case kOidNameArray: return "name[]";
    case kOidTextArray: return "text[]";
    case kOidOidArray: return "oid[]";
    case kOidInt2Array: return "smallint[]";
    case kOidCharArray: return "\"char\"[]";
    case kOidAclArray: return "aclitem[]";
    case kOidInt2Vector: return "int2vector";
    case kOidOidVector: return "oidvector";
    case kOidNodeTree: return "pg_node_tree";
  }
  return "???";
}

enum class Cat { kBool, kInt, kFloat, kText, kArray, kOther };

Cat CatOf(uint32_t oid) {
  switch (oid) {
    case kOidBool: return Cat::kBool;
    case kOidInt2: case kOidInt4: case kOidInt8: case kOidOid: case kOidRegclass: case kOidRegtype:
    case kOidRegnamespace: return Cat::kInt;
    case kOidFloat4: case kOidFloat8: case kOidNumeric: return Cat::kFloat;
    case kOidChar: case kOidName: case kOidText: case kOidUnknown: case kOidBpchar: case kOidVarchar:
    case kOidVoid: case kOidNodeTree: return Cat::kText;
    case kOidCharArray: case kOidNameArray: case kOidInt2Array: case kOidTextArray: case kOidOidArray:
    case kOidAclArray: case kOidInt2Vector: case kOidOidVector: return Cat::kArray;
  }
  return Cat::kOther;
}

bool IsRegType(uint32_t oid) { return oid == kOidRegclass || oid == kOidRegtype || oid == kOidRegnamespace; }

// ---- Values -----------------------------------------------------------------------------------

// A SQL value of the interpreter. The category of `type` says which field holds it: bool and
// integers (and reg* oids, with their display name in s) in i, floats in f, text in s, arrays in
// elems.
struct Datum {
  uint32_t type = kOidUnknown;
  bool null = true;
  int64_t i = 0;
  double f = 0;
  std::string s;
  std::vector<std::optional<std::string>> elems;
};

Datum Null(uint32_t type = kOidUnknown) {
  Datum d;
  d.type = type;
  return d;
}
Datum Bool(bool b) {
  Datum d;
  d.type = kOidBool;
  d.null = false;
  d.i = b;
  return d;
}
Datum Int(int64_t v, uint32_t type = kOidInt4) {
  Datum d;
  d.type = type;
  d.null = false;
  d.i = v;
  return d;
}
Datum Float(double v, uint32_t type = kOidFloat8) {
  Datum d;
  d.type = type;
  d.null = false;
  d.f = v;
  return d;
}
Datum Text(std::string s, uint32_t type = kOidText) {
  Datum d;
  d.type = type;
  d.null = false;
  d.s = std::move(s);
  return d;
}
Datum Reg(int64_t oid, std::string display, uint32_t type) {
  Datum d = Int(oid, type);
  d.s = std::move(display);
  return d;
}
Datum Array(std::vector<std::optional<std::string>> elems, uint32_t type) {
  Datum d;
  d.type = type;
  d.null = false;
  d.elems = std::move(elems);
  return d;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(uint8_t(c)));
  return out;
}

std::string ArrayText(const std::vector<std::optional<std::string>>& elems) {
  std::string out = "{";
  for (size_t k = 0; k < elems.size(); k++) {
    if (k) out += ',';
    if (!elems[k]) {
      out += "NULL";
      continue;
    }
    const std::string& e = *elems[k];
    bool quote = e.empty() || Lower(e) == "null";
    for (char c : e) quote = quote || c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || std::isspace(uint8_t(c));
    if (!quote) {
      out += e;
      continue;
    }
    out += '"';
    for (char c : e) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::optional<std::string> ToText(const Datum& d) {
  if (d.null) return std::nullopt;
  switch (CatOf(d.type)) {
    case Cat::kBool: return std::string(d.i ? "t" : "f");
    case Cat::kInt: return IsRegType(d.type) ? d.s : std::to_string(d.i);
    case Cat::kFloat: return EncodeText(Value::Double(d.f), Type::kDouble);
    case Cat::kArray: return ArrayText(d.elems);
    default: return d.s;
  }
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && std::isspace(uint8_t(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(uint8_t(s.back()))) s.remove_suffix(1);
  return s;
}

Result<int64_t> ParseInt(std::string_view text, uint32_t type) {
  std::string_view t = TrimSpace(text);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size())
    return InvalidArgument("invalid input syntax for type {}: \"{}\"", FormatTypeName(type), text);
  if ((type == kOidInt4 && (v < INT32_MIN || v > INT32_MAX)) || (type == kOidInt2 && (v < INT16_MIN || v > INT16_MAX)) ||
      (type == kOidOid && (v < INT32_MIN || v > int64_t(UINT32_MAX))))
    return InvalidArgument("value \"{}\" is out of range for type {}", text, FormatTypeName(type));
  if (type == kOidOid && v < 0) v += int64_t(1) << 32;  // oid input accepts negative int4 values
  return v;
}

Result<double> ParseFloat(std::string_view text, uint32_t type) {
  std::string t(TrimSpace(text));
  std::string l = Lower(t);
  if (l == "nan") return std::nan("");
  if (l == "infinity" || l == "+infinity" || l == "inf") return HUGE_VAL;
  if (l == "-infinity" || l == "-inf") return -HUGE_VAL;
  double v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size())
    return InvalidArgument("invalid input syntax for type {}: \"{}\"", FormatTypeName(type), text);
  return v;
}

Result<bool> ParseBool(std::string_view text) {
  std::string l = Lower(TrimSpace(text));
  for (const char* t : {"t", "true", "yes", "on", "1", "y"})
    if (l == t) return true;
  for (const char* f : {"f", "false", "no", "off", "0", "n"})
    if (l == f) return false;
  return InvalidArgument("invalid input syntax for type boolean: \"{}\"", text);
}

// ---- The relations of the snapshot ------------------------------------------------------------

struct RelColumn {
  std::string name;
  Type type;
  bool not_null;
};

struct RelInfo {
  std::string name;
  char kind = 'r';  // 'r' stream or dimension table, 'm' materialized view
  uint32_t oid = 0;
  std::vector<RelColumn> cols;
  const views::ViewDef* view = nullptr;
};

uint32_t NameHash(std::string_view name) {
  uint32_t h = 2166136261u;
  for (char c : name) {
    h ^= uint8_t(c);
    h *= 16777619u;
  }
  return h;
}

// Every relation with its oid (RelationOid's rule), in name order.
std::vector<RelInfo> Relations(const catalog::Snapshot& snap) {
  std::vector<RelInfo> rels;
  auto add_table = [&](const catalog::StreamPtr& s) {
    RelInfo r;
    r.name = s->name;
    for (const auto& c : s->columns) r.cols.push_back({c.name, c.type, c.not_null});
    rels.push_back(std::move(r));
  };
  for (const auto& [name, s] : snap.streams) add_table(s);
  for (const auto& [name, s] : snap.dimensions) add_table(s);
  for (const auto& [name, v] : snap.views) {
    RelInfo r;
    r.name = name;
    r.kind = 'm';
    r.view = v.get();
    for (const auto& c : v->columns) r.cols.push_back({v->ColumnName(c), v->ColumnType(c), false});
    rels.push_back(std::move(r));
  }
  std::stable_sort(rels.begin(), rels.end(), [](const RelInfo& a, const RelInfo& b) { return a.name < b.name; });
  constexpr uint32_t kSpan = 0x80000000u - kFirstRelationOid;
  std::set<uint32_t> used;
  for (RelInfo& r : rels) {
    uint32_t oid = kFirstRelationOid + NameHash(r.name) % kSpan;
    while (used.count(oid)) oid = oid + 1 >= 0x80000000u ? kFirstRelationOid : oid + 1;
    used.insert(oid);
    r.oid = oid;
  }
  return rels;
}

// The SELECT of a view's CREATE text: what follows the first AS after the view's name.
std::string ViewSelectText(const std::string& create_sql) {
  const std::string& s = create_sql;
  size_t i = 0;
  bool seen_view = false;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\'' || c == '"') {  // literal or quoted identifier ('' / "" doubled)
      for (i++; i < s.size(); i++) {
        if (s[i] == c) {
          if (i + 1 < s.size() && s[i + 1] == c) {
            i++;
            continue;
          }
          break;
        }
      }
      i++;
      continue;
    }
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      while (i < s.size() && s[i] != '\n') i++;
      continue;
    }
    if (std::isalpha(uint8_t(c)) || c == '_') {
      size_t start = i;
      while (i < s.size() && (std::isalnum(uint8_t(s[i])) || s[i] == '_' || s[i] == '$')) i++;
      std::string word = Lower(std::string_view(s).substr(start, i - start));
      if (word == "view") seen_view = true;
      if (seen_view && word == "as") {
        std::string rest(TrimSpace(std::string_view(s).substr(i)));
        while (!rest.empty() && rest.back() == ';') rest.pop_back();
        return " " + rest + ";";
      }
      continue;
    }
    i++;
  }
  return s;
}

// ---- Virtual tables ---------------------------------------------------------------------------

struct VTable {
  std::string name;
  std::vector<CatalogColumn> cols;
  std::vector<std::vector<Datum>> rows;

  int Find(std::string_view col) const {
    for (size_t k = 0; k < cols.size(); k++)
      if (cols[k].name == col) return int(k);
    return -1;
  }
};

// Fills one row of a VTable by column name; unset columns are NULL.
class RowBuilder {
 public:
  explicit RowBuilder(VTable* t) : t_(t) {
    for (const auto& c : t->cols) row_.push_back(Null(c.type_oid));
  }
  RowBuilder& operator()(std::string_view col, Datum d) {
    int k = t_->Find(col);
    if (k < 0) std::abort();  // a programming error in the table definitions below
    uint32_t type = t_->cols[size_t(k)].type_oid;
    if (CatOf(type) == Cat::kText && CatOf(d.type) == Cat::kText) d.type = type;
    if (CatOf(type) == Cat::kInt && CatOf(d.type) == Cat::kInt) d.type = type;
    if (CatOf(type) == Cat::kFloat && CatOf(d.type) == Cat::kFloat) d.type = type;
    if (CatOf(d.type) != CatOf(type)) std::abort();
    row_[size_t(k)] = std::move(d);
    return *this;
  }
  void Add() { t_->rows.push_back(std::move(row_)); }

 private:
  VTable* t_;
  std::vector<Datum> row_;
};

RowBuilder Row(VTable* t) { return RowBuilder(t); }

Datum Oid(int64_t v) { return Int(v, kOidOid); }
Datum Name(std::string s) { return Text(std::move(s), kOidName); }
Datum Char(char c) { return Text(c ? std::string(1, c) : std::string(), kOidChar); }
Datum I2(int64_t v) { return Int(v, kOidInt2); }

// Column lists: "name:oid name:oid ...".
const std::map<std::string, std::string>& TableSpecs() {
  static const std::map<std::string, std::string> kSpecs = {
      {"pg_namespace", "oid:26 nspname:19 nspowner:26 nspacl:1034"},
      {"pg_class",
       "oid:26 relname:19 relnamespace:26 reltype:26 reloftype:26 relowner:26 relam:26 relfilenode:26 "
       "reltablespace:26 relpages:23 reltuples:700 relallvisible:23 reltoastrelid:26 relhasindex:16 "
       "relisshared:16 relpersistence:18 relkind:18 relnatts:21 relchecks:21 relhasrules:16 relhastriggers:16 "
       "relhassubclass:16 relrowsecurity:16 relforcerowsecurity:16 relispopulated:16 relreplident:18 "
       "relispartition:16 relrewrite:26 relacl:1034 reloptions:1009 relpartbound:194"},
      {"pg_attribute",
       "attrelid:26 attname:19 atttypid:26 attstattarget:23 attlen:21 attnum:21 attndims:23 attcacheoff:23 "
       "atttypmod:23 attbyval:16 attalign:18 attstorage:18 attcompression:18 attnotnull:16 atthasdef:16 "
       "atthasmissing:16 attidentity:18 attgenerated:18 attisdropped:16 attislocal:16 attinhcount:23 "
       "attcollation:26 attacl:1034 attoptions:1009 attfdwoptions:1009"},
      {"pg_type",
       "oid:26 typname:19 typnamespace:26 typowner:26 typlen:21 typbyval:16 typtype:18 typcategory:18 "
       "typispreferred:16 typisdefined:16 typdelim:18 typrelid:26 typelem:26 typarray:26 typalign:18 "
       "typstorage:18 typnotnull:16 typbasetype:26 typtypmod:23 typndims:23 typcollation:26 typdefault:25"},
      {"pg_collation",
       "oid:26 collname:19 collnamespace:26 collowner:26 collprovider:18 collisdeterministic:16 "
       "collencoding:23 collcollate:25 collctype:25 colliculocale:25 collversion:25"},
      {"pg_database",
       "oid:26 datname:19 datdba:26 encoding:23 datlocprovider:18 datistemplate:16 datallowconn:16 "
       "datconnlimit:23 dattablespace:26 datcollate:25 datctype:25 daticulocale:25 datcollversion:25 datacl:1034"},
      {"pg_roles",
       "rolname:19 rolsuper:16 rolinherit:16 rolcreaterole:16 rolcreatedb:16 rolcanlogin:16 rolreplication:16 "
       "rolconnlimit:23 rolpassword:25 rolvaliduntil:1184 rolbypassrls:16 rolconfig:1009 oid:26"},
      {"pg_user",
       "usename:19 usesysid:26 usecreatedb:16 usesuper:16 userepl:16 usebypassrls:16 passwd:25 valuntil:1184 "
       "useconfig:1009"},
      {"pg_tables",
       "schemaname:19 tablename:19 tableowner:19 tablespace:19 hasindexes:16 hasrules:16 hastriggers:16 rowsecurity:16"},
      {"pg_matviews",
       "schemaname:19 matviewname:19 matviewowner:19 tablespace:19 hasindexes:16 ispopulated:16 definition:25"},
      {"pg_views", "schemaname:19 viewname:19 viewowner:19 definition:25"},
      {"pg_am", "oid:26 amname:19 amtype:18"},
      {"pg_attrdef", "oid:26 adrelid:26 adnum:21 adbin:194"},
      {"pg_index",
       "indexrelid:26 indrelid:26 indnatts:21 indnkeyatts:21 indisunique:16 indnullsnotdistinct:16 indisprimary:16 "
       "indisexclusion:16 indimmediate:16 indisclustered:16 indisvalid:16 indcheckxmin:16 indisready:16 "
       "indislive:16 indisreplident:16 indkey:22 indcollation:30 indclass:30 indoption:22 indexprs:194 indpred:194"},
      {"pg_constraint",
       "oid:26 conname:19 connamespace:26 contype:18 condeferrable:16 condeferred:16 convalidated:16 conrelid:26 "
       "contypid:26 conindid:26 conparentid:26 confrelid:26 confupdtype:18 confdeltype:18 confmatchtype:18 "
       "conislocal:16 coninhcount:23 connoinherit:16 conkey:1005 confkey:1005 conbin:194"},
      {"pg_trigger",
       "oid:26 tgrelid:26 tgparentid:26 tgname:19 tgfoid:26 tgtype:21 tgenabled:18 tgisinternal:16 "
       "tgconstrrelid:26 tgconstrindid:26 tgconstraint:26 tgdeferrable:16 tginitdeferred:16 tgnargs:21 tgattr:22 "
       "tgqual:194 tgoldtable:19 tgnewtable:19"},
      {"pg_rewrite", "oid:26 rulename:19 ev_class:26 ev_type:18 ev_enabled:18 is_instead:16 ev_qual:194 ev_action:194"},
      {"pg_policy", "oid:26 polname:19 polrelid:26 polcmd:18 polpermissive:16 polroles:1028 polqual:194 polwithcheck:194"},
      {"pg_statistic_ext",
       "oid:26 stxrelid:26 stxname:19 stxnamespace:26 stxowner:26 stxstattarget:23 stxkeys:22 stxkind:1002 stxexprs:194"},
      {"pg_publication",
       "oid:26 pubname:19 pubowner:26 puballtables:16 pubinsert:16 pubupdate:16 pubdelete:16 pubtruncate:16 pubviaroot:16"},
      {"pg_publication_rel", "oid:26 prpubid:26 prrelid:26 prqual:194 prattrs:22"},
      {"pg_publication_namespace", "oid:26 pnpubid:26 pnnspid:26"},
      {"pg_inherits", "inhrelid:26 inhparent:26 inhseqno:23 inhdetachpending:16"},
      {"pg_description", "objoid:26 classoid:26 objsubid:23 description:25"},
      {"pg_shdescription", "objoid:26 classoid:26 description:25"},
      {"pg_auth_members", "roleid:26 member:26 grantor:26 admin_option:16"},
      {"pg_partitioned_table", "partrelid:26 partstrat:18 partnatts:21 partdefid:26 partattrs:22"},
      {"pg_sequence",
       "seqrelid:26 seqtypid:26 seqstart:20 seqincrement:20 seqmax:20 seqmin:20 seqcache:20 seqcycle:16"},
      {"pg_foreign_table", "ftrelid:26 ftserver:26 ftoptions:1009"},
  };
  return kSpecs;
}

bool IsVirtualTable(std::string_view name) { return TableSpecs().count(std::string(name)) > 0; }

std::unique_ptr<VTable> EmptyTable(const std::string& name) {
  auto t = std::make_unique<VTable>();
  t->name = name;
  std::string_view spec = TableSpecs().at(name);
  while (!spec.empty()) {
    size_t sp = spec.find(' ');
    std::string_view item = spec.substr(0, sp);
    size_t colon = item.find(':');
    uint32_t oid = 0;
    std::from_chars(item.data() + colon + 1, item.data() + item.size(), oid);
    t->cols.push_back({std::string(item.substr(0, colon)), oid});
    spec = sp == std::string_view::npos ? std::string_view() : spec.substr(sp + 1);
  }
  return t;
}

// The rows of a virtual table.
void FillTable(VTable* t, const std::vector<RelInfo>& rels, const CatalogContext& ctx) {
  const std::string& n = t->name;
  if (n == "pg_namespace") {
    Row(t)("oid", Oid(kCatalogNamespaceOid))("nspname", Name("pg_catalog"))("nspowner", Oid(kOwnerRoleOid)).Add();
    Row(t)("oid", Oid(kPublicNamespaceOid))("nspname", Name("public"))("nspowner", Oid(kOwnerRoleOid)).Add();
  } else if (n == "pg_class") {
    for (const RelInfo& r : rels) {
      Row(t)("oid", Oid(r.oid))("relname", Name(r.name))("relnamespace", Oid(kPublicNamespaceOid))(
          "reltype", Oid(0))("reloftype", Oid(0))("relowner", Oid(kOwnerRoleOid))("relam", Oid(0))(
          "relfilenode", Oid(0))("reltablespace", Oid(0))("relpages", Int(0))("reltuples", Float(-1, kOidFloat4))(
          "relallvisible", Int(0))("reltoastrelid", Oid(0))("relhasindex", Bool(false))("relisshared", Bool(false))(
          "relpersistence", Char('p'))("relkind", Char(r.kind))("relnatts", I2(int64_t(r.cols.size())))(
          "relchecks", I2(0))("relhasrules", Bool(false))("relhastriggers", Bool(false))(
          "relhassubclass", Bool(false))("relrowsecurity", Bool(false))("relforcerowsecurity", Bool(false))(
          "relispopulated", Bool(true))("relreplident", Char('d'))(
          "relispartition", Bool(false))("relrewrite", Oid(0))
          .Add();
    }
  } else if (n == "pg_attribute") {
    for (const RelInfo& r : rels) {
      for (size_t k = 0; k < r.cols.size(); k++) {
        const RelColumn& c = r.cols[k];
        const TypeInfo* ti = FindType(TypeOid(c.type));
        Row(t)("attrelid", Oid(r.oid))("attname", Name(c.name))("atttypid", Oid(ti->oid))(
            "attstattarget", Int(-1))("attlen", I2(ti->len))("attnum", I2(int64_t(k) + 1))("attndims", Int(0))(
            "attcacheoff", Int(-1))("atttypmod", Int(-1))("attbyval", Bool(ti->byval))("attalign", Char(ti->align))(
            "attstorage", Char(ti->storage))("attcompression", Char(0))("attnotnull", Bool(c.not_null))(
            "atthasdef", Bool(false))("atthasmissing", Bool(false))("attidentity", Char(0))(
            "attgenerated", Char(0))("attisdropped", Bool(false))("attislocal", Bool(true))("attinhcount", Int(0))(
            "attcollation", Oid(ti->collation))
            .Add();
      }
    }
  } else if (n == "pg_type") {
    for (const TypeInfo& ti : Types()) {
      Row(t)("oid", Oid(ti.oid))("typname", Name(ti.typname))("typnamespace", Oid(kCatalogNamespaceOid))(
          "typowner", Oid(kOwnerRoleOid))("typlen", I2(ti.len))("typbyval", Bool(ti.byval))("typtype", Char(ti.typtype))(
          "typcategory", Char(ti.category))("typispreferred", Bool(ti.preferred))("typisdefined", Bool(true))(
          "typdelim", Char(','))("typrelid", Oid(0))("typelem", Oid(0))("typarray", Oid(ti.array_oid))(
          "typalign", Char(ti.align))("typstorage", Char(ti.storage))("typnotnull", Bool(false))(
          "typbasetype", Oid(0))("typtypmod", Int(-1))("typndims", Int(0))("typcollation", Oid(ti.collation))
          .Add();
    }
  } else if (n == "pg_collation") {
    auto coll = [&](uint32_t oid, const char* name, char provider, std::optional<const char*> locale) {
      RowBuilder b(t);
      b("oid", Oid(oid))("collname", Name(name))("collnamespace", Oid(kCatalogNamespaceOid))(
          "collowner", Oid(kOwnerRoleOid))("collprovider", Char(provider))("collisdeterministic", Bool(true))(
          "collencoding", Int(-1));
      if (locale) b("collcollate", Text(*locale))("collctype", Text(*locale));
      b.Add();
    };
    coll(100, "default", 'd', std::nullopt);
    coll(950, "C", 'c', "C");
    coll(951, "POSIX", 'c', "POSIX");
  } else if (n == "pg_database") {
    Row(t)("oid", Oid(kDatabaseOid))("datname", Name(ctx.database))("datdba", Oid(kOwnerRoleOid))(
        "encoding", Int(6))("datlocprovider", Char('c'))("datistemplate", Bool(false))("datallowconn", Bool(true))(
        "datconnlimit", Int(-1))("dattablespace", Oid(0))("datcollate", Text("C"))("datctype", Text("C"))
        .Add();
  } else if (n == "pg_roles") {
    Row(t)("rolname", Name(kOwnerRoleName))("rolsuper", Bool(false))("rolinherit", Bool(true))(
        "rolcreaterole", Bool(false))("rolcreatedb", Bool(false))("rolcanlogin", Bool(true))(
        "rolreplication", Bool(false))("rolconnlimit", Int(-1))("rolpassword", Text("********"))(
        "rolbypassrls", Bool(false))("oid", Oid(kOwnerRoleOid))
        .Add();
  } else if (n == "pg_user") {
    Row(t)("usename", Name(kOwnerRoleName))("usesysid", Oid(kOwnerRoleOid))("usecreatedb", Bool(false))(
        "usesuper", Bool(false))("userepl", Bool(false))("usebypassrls", Bool(false))("passwd", Text("********"))
        .Add();
  } else if (n == "pg_tables" || n == "pg_matviews") {
    bool views = n == "pg_matviews";
    for (const RelInfo& r : rels) {
      if ((r.kind == 'm') != views) continue;
      RowBuilder b(t);
      b("schemaname", Name("public"))(views ? "matviewname" : "tablename", Name(r.name))(
          views ? "matviewowner" : "tableowner", Name(kOwnerRoleName))("hasindexes", Bool(false));
      if (views) {
        b("ispopulated", Bool(true))("definition", Text(ViewSelectText(r.view->sql)));
      } else {
        b("hasrules", Bool(false))("hastriggers", Bool(false))("rowsecurity", Bool(false));
      }
      b.Add();
    }
  }
  // Every other table is empty: Laminar has no indexes, constraints (NOT NULL is pg_attribute's),
  // triggers, rules, policies, statistics objects, publications, inheritance, comments, ...
}

// ---- The interpreter --------------------------------------------------------------------------

struct RangeEntry {
  std::string alias;
  const VTable* table;
};
using JoinedRow = std::vector<const std::vector<Datum>*>;  // one per range entry; nullptr: NULLs
struct FromResult {
  std::vector<RangeEntry> entries;
  std::vector<JoinedRow> rows;
};
struct Scope {
  const std::vector<RangeEntry>* entries = nullptr;
  const JoinedRow* row = nullptr;
  const Scope* outer = nullptr;
};
struct Relation {
  std::vector<CatalogColumn> cols;
  std::vector<std::vector<Datum>> rows;
};

constexpr size_t kMaxRows = 1'000'000;      // rows of one FROM item, join or result
constexpr size_t kMaxJoinPairs = 20'000'000;  // row pairs one join may look at

std::vector<std::string> Names(const json& list) {
  std::vector<std::string> out;
  for (const json& n : list) out.push_back(sql::StringValue(n));
  return out;
}

// The node's kind (its only key) and body.
std::pair<std::string, const json*> KindOf(const json& node) {
  if (node.is_object() && node.size() == 1) return {node.begin().key(), &node.begin().value()};
  return {"", &node};
}

const std::set<std::string>& Aggregates() {
  static const std::set<std::string> kAggs = {"count", "sum", "min", "max", "avg", "string_agg", "array_agg",
                                              "bool_and", "bool_or", "every", "json_agg", "jsonb_agg"};
  return kAggs;
}

// Functions that make a SELECT without FROM a catalog query (with or without pg_catalog.).
const std::set<std::string>& SessionFunctions() {
  static const std::set<std::string> kFns = {
      "current_database", "current_schema", "current_schemas", "current_setting", "set_config",
      "pg_backend_pid", "version", "pg_sleep", "pg_table_is_visible", "pg_get_userbyid", "format_type",
      "obj_description", "col_description", "shobj_description", "pg_encoding_to_char", "pg_is_in_recovery",
      "pg_get_viewdef", "pg_table_size", "pg_relation_size", "pg_total_relation_size", "pg_size_pretty"};
  return kFns;
}

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

std::string Str(const json& b, const char* key) {
  const json& v = sql::Field(b, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

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

std::string QuoteIdent(const std::string& s) {
  bool plain = !s.empty() && (std::islower(uint8_t(s[0])) || s[0] == '_');
  for (char c : s) plain = plain && (std::islower(uint8_t(c)) || std::isdigit(uint8_t(c)) || c == '_');
  if (plain) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

class Evaluator {
 public:
  Evaluator(const catalog::Snapshot& snap, const CatalogContext& ctx)
      : rels_(Relations(snap)), ctx_(ctx), settings_(ctx.settings) {}

  std::vector<std::pair<std::string, std::string>> changed;

  // A SelectStmt's body.
  Result<Relation> Select(const json& s, const Scope* outer) {
    std::string op = Str(s, "op");
    if (!op.empty() && op != "SETOP_NONE") return SetOperation(s, op, outer);
    for (const char* clause : {"distinctClause", "groupClause", "havingClause", "windowClause", "withClause",
                               "valuesLists", "intoClause", "lockingClause"}) {
      if (s.contains(clause)) return Unimplemented("catalog query: {} is not supported", ClauseName(clause));
    }
    const json& targets = sql::Field(s, "targetList");
    RETURN_IF_ERROR(CheckNoAggregates(targets));

    // FROM: the cross product of its items.
    FromResult from;
    from.rows.push_back({});
    for (const json& item : sql::Field(s, "fromClause")) {
      ASSIGN_OR_RETURN(FromResult next, From(item, outer));
      FromResult joined;
      joined.entries = from.entries;
      joined.entries.insert(joined.entries.end(), next.entries.begin(), next.entries.end());
      for (const JoinedRow& a : from.rows) {
        for (const JoinedRow& b : next.rows) {
          JoinedRow r = a;
          r.insert(r.end(), b.begin(), b.end());
          joined.rows.push_back(std::move(r));
          if (joined.rows.size() > kMaxRows) return TooMany();
        }
      }
      from = std::move(joined);
    }

    // The output columns (* expanded).
    struct OutItem {
      std::string name;
      const json* expr = nullptr;
      size_t entry = 0, col = 0;  // when expr is null: a column of a FROM item
    };
    std::vector<OutItem> items;
    for (const json& t : targets) {
      const json& rt = sql::Field(t, "ResTarget");
      const json& val = sql::Field(rt, "val");
      const json& fields = sql::Field(sql::Field(val, "ColumnRef"), "fields");
      if (!fields.empty() && fields.back().contains("A_Star")) {
        std::string qual = fields.size() >= 2 ? sql::StringValue(fields[fields.size() - 2]) : "";
        bool any = false;
        for (size_t e = 0; e < from.entries.size(); e++) {
          if (!qual.empty() && from.entries[e].alias != qual) continue;
          any = true;
          for (size_t c = 0; c < from.entries[e].table->cols.size(); c++)
            items.push_back({from.entries[e].table->cols[c].name, nullptr, e, c});
        }
        if (!any) return InvalidArgument("missing FROM-clause entry for table \"{}\"", qual);
        continue;
      }
      std::string name = sql::Field(rt, "name").is_string() ? sql::Field(rt, "name").get<std::string>() : FigureName(val);
      items.push_back({std::move(name), &val});
    }

    // WHERE, the output rows and the sort keys.
    const json& where = sql::Field(s, "whereClause");
    const json& sorts = sql::Field(s, "sortClause");
    Relation out;
    std::vector<std::vector<Datum>> keys;
    for (const JoinedRow& row : from.rows) {
      Scope scope{&from.entries, &row, outer};
      if (!where.is_null()) {
        ASSIGN_OR_RETURN(Datum w, Eval(where, scope));
        ASSIGN_OR_RETURN(bool keep, Truth(w, "WHERE"));
        if (!keep) continue;
      }
      std::vector<Datum> values;
      for (const OutItem& item : items) {
        if (item.expr) {
          ASSIGN_OR_RETURN(Datum d, Eval(*item.expr, scope));
          values.push_back(std::move(d));
        } else {
          const auto* r = row[item.entry];
          values.push_back(r ? (*r)[item.col] : Null(from.entries[item.entry].table->cols[item.col].type_oid));
        }
      }
      std::vector<Datum> key;
      for (const json& sb : sorts) {
        const json& node = sql::Field(sql::Field(sb, "SortBy"), "node");
        ASSIGN_OR_RETURN(std::optional<size_t> pos, OutputPosition(node, items.size(), [&](size_t k) {
                           return items[k].name;
                         }));
        if (pos) {
          key.push_back(values[*pos]);
        } else {
          ASSIGN_OR_RETURN(Datum d, Eval(node, scope));
          key.push_back(std::move(d));
        }
      }
      out.rows.push_back(std::move(values));
      keys.push_back(std::move(key));
    }
    for (size_t k = 0; k < items.size(); k++) {
      uint32_t type = kOidUnknown;
      for (const auto& r : out.rows) {
        if (r[k].type != kOidUnknown) {
          type = r[k].type;
          break;
        }
      }
      if (type == kOidUnknown)
        type = items[k].expr ? StaticType(*items[k].expr, from.entries) : from.entries[items[k].entry].table->cols[items[k].col].type_oid;
      out.cols.push_back({items[k].name, type == kOidUnknown ? kOidText : type});
    }
    SortRows(&out.rows, &keys, sorts);
    RETURN_IF_ERROR(Limit(s, &out.rows));
    return out;
  }

 private:
  static const char* ClauseName(std::string_view clause) {
    if (clause == "distinctClause") return "DISTINCT";
    if (clause == "groupClause") return "GROUP BY";
    if (clause == "havingClause") return "HAVING";
    if (clause == "windowClause") return "WINDOW";
    if (clause == "withClause") return "WITH";
    if (clause == "valuesLists") return "VALUES";
    if (clause == "intoClause") return "SELECT INTO";
    return "FOR UPDATE/SHARE";
  }

  static Status TooMany() { return ResourceExhausted("catalog query: more than {} intermediate rows", kMaxRows); }

  // Aggregates and window functions change the row count even over no rows: refuse them up front.
  static Status CheckNoAggregates(const json& node) {
    if (node.is_array()) {
      for (const json& n : node) RETURN_IF_ERROR(CheckNoAggregates(n));
      return Status::OK();
    }
    if (!node.is_object()) return Status::OK();
    for (const auto& [k, v] : node.items()) {
      if (k == "SubLink") continue;  // a subquery aggregates on its own
      if (k == "FuncCall") {
        auto names = Names(sql::Field(v, "funcname"));
        std::string name = names.empty() ? "" : names.back();
        if (v.contains("over")) return Unimplemented("catalog query: window function {} is not supported", name);
        if (v.contains("agg_star") || Aggregates().count(name))
          return Unimplemented("catalog query: aggregate function {} is not supported", name);
      }
      RETURN_IF_ERROR(CheckNoAggregates(v));
    }
    return Status::OK();
  }

  Result<Relation> SetOperation(const json& s, const std::string& op, const Scope* outer) {
    if (op != "SETOP_UNION") return Unimplemented("catalog query: {} is not supported", op == "SETOP_INTERSECT" ? "INTERSECT" : "EXCEPT");
    ASSIGN_OR_RETURN(Relation left, Select(sql::Field(s, "larg"), outer));
    ASSIGN_OR_RETURN(Relation right, Select(sql::Field(s, "rarg"), outer));
    if (left.cols.size() != right.cols.size()) return InvalidArgument("each UNION query must have the same number of columns");
    Relation out;
    out.cols = left.cols;
    for (size_t k = 0; k < out.cols.size(); k++)
      if (left.rows.empty() && out.cols[k].type_oid == kOidText) out.cols[k].type_oid = right.cols[k].type_oid;
    bool all = sql::Field(s, "all").is_boolean() && sql::Field(s, "all").get<bool>();
    std::set<std::vector<std::optional<std::string>>> seen;
    for (Relation* part : {&left, &right}) {
      for (auto& row : part->rows) {
        if (!all) {
          std::vector<std::optional<std::string>> text;
          for (const Datum& d : row) text.push_back(ToText(d));
          if (!seen.insert(std::move(text)).second) continue;
        }
        out.rows.push_back(std::move(row));
      }
    }
    const json& sorts = sql::Field(s, "sortClause");
    std::vector<std::vector<Datum>> keys;
    for (const auto& row : out.rows) {
      std::vector<Datum> key;
      for (const json& sb : sorts) {
        const json& node = sql::Field(sql::Field(sb, "SortBy"), "node");
        ASSIGN_OR_RETURN(std::optional<size_t> pos,
                         OutputPosition(node, out.cols.size(), [&](size_t k) { return out.cols[k].name; }));
        if (!pos) return Unimplemented("catalog query: ORDER BY over a UNION must name an output column");
        key.push_back(row[*pos]);
      }
      keys.push_back(std::move(key));
    }
    SortRows(&out.rows, &keys, sorts);
    RETURN_IF_ERROR(Limit(s, &out.rows));
    return out;
  }

  // ORDER BY n or ORDER BY output_name: the output column; nullopt for an expression.
  template <typename NameOf>
  static Result<std::optional<size_t>> OutputPosition(const json& node, size_t count, NameOf name_of) {
    auto [kind, body] = KindOf(node);
    if (kind == "A_Const" && body->contains("ival")) {
      int64_t p = sql::Field(sql::Field(*body, "ival"), "ival").is_number_integer()
                      ? sql::Field(sql::Field(*body, "ival"), "ival").get<int64_t>()
                      : 0;
      if (p < 1 || size_t(p) > count) return InvalidArgument("ORDER BY position {} is not in select list", p);
      return std::optional<size_t>(size_t(p - 1));
    }
    if (kind == "ColumnRef") {
      const json& fields = sql::Field(*body, "fields");
      if (fields.size() == 1) {
        std::string n = sql::StringValue(fields[0]);
        for (size_t k = 0; k < count; k++)
          if (name_of(k) == n) return std::optional<size_t>(k);
      }
    }
    return std::optional<size_t>();
  }

  // Orders without failing: numbers as numbers, booleans false < true, the rest by text (C collation).
  static int SortCompare(const Datum& a, const Datum& b) {
    Cat ca = CatOf(a.type), cb = CatOf(b.type);
    bool na = ca == Cat::kInt || ca == Cat::kFloat || ca == Cat::kBool;
    bool nb = cb == Cat::kInt || cb == Cat::kFloat || cb == Cat::kBool;
    if (na && nb) {
      if (ca != Cat::kFloat && cb != Cat::kFloat) return a.i < b.i ? -1 : a.i > b.i;
      double x = ca == Cat::kFloat ? a.f : double(a.i), y = cb == Cat::kFloat ? b.f : double(b.i);
      return x < y ? -1 : x > y;
    }
    std::string x = ToText(a).value_or(""), y = ToText(b).value_or("");
    return x.compare(y) < 0 ? -1 : x.compare(y) > 0;
  }

  static void SortRows(std::vector<std::vector<Datum>>* rows, std::vector<std::vector<Datum>>* keys, const json& sorts) {
    if (sorts.empty()) return;
    std::vector<size_t> order(rows->size());
    for (size_t k = 0; k < order.size(); k++) order[k] = k;
    std::vector<std::pair<bool, bool>> dirs;  // (descending, nulls first)
    for (const json& sb : sorts) {
      const json& b = sql::Field(sb, "SortBy");
      bool desc = Str(b, "sortby_dir") == "SORTBY_DESC";
      std::string nulls = Str(b, "sortby_nulls");
      bool nulls_first = nulls == "SORTBY_NULLS_FIRST" || (nulls != "SORTBY_NULLS_LAST" && desc);
      dirs.push_back({desc, nulls_first});
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      for (size_t k = 0; k < dirs.size(); k++) {
        const Datum& a = (*keys)[x][k];
        const Datum& b = (*keys)[y][k];
        if (a.null || b.null) {
          if (a.null && b.null) continue;
          return a.null == dirs[k].second;
        }
        int c = SortCompare(a, b);
        if (c != 0) return dirs[k].first ? c > 0 : c < 0;
      }
      return false;
    });
    std::vector<std::vector<Datum>> sorted;
    for (size_t k : order) sorted.push_back(std::move((*rows)[k]));
    *rows = std::move(sorted);
  }

  Status Limit(const json& s, std::vector<std::vector<Datum>>* rows) {
    std::string option = Str(s, "limitOption");
    if (option == "LIMIT_OPTION_WITH_TIES") return Unimplemented("catalog query: FETCH ... WITH TIES is not supported");
    Scope none;
    int64_t offset = 0, count = -1;
    if (const json& o = sql::Field(s, "limitOffset"); !o.is_null()) {
      ASSIGN_OR_RETURN(Datum d, Eval(o, none));
      ASSIGN_OR_RETURN(d, Cast(d, kOidInt8));
      if (!d.null) offset = std::max<int64_t>(0, d.i);
    }
    if (const json& c = sql::Field(s, "limitCount"); !c.is_null()) {
      ASSIGN_OR_RETURN(Datum d, Eval(c, none));
      ASSIGN_OR_RETURN(d, Cast(d, kOidInt8));
      if (!d.null) {
        if (d.i < 0) return InvalidArgument("LIMIT must not be negative");
        count = d.i;
      }
    }
    if (offset > 0) rows->erase(rows->begin(), rows->begin() + std::min<int64_t>(offset, int64_t(rows->size())));
    if (count >= 0 && size_t(count) < rows->size()) rows->resize(size_t(count));
    return Status::OK();
  }

  Result<const VTable*> Table(const json& rv) {
    std::string schema = Str(rv, "schemaname"), name = Str(rv, "relname");
    if (!Str(rv, "catalogname").empty()) return Unimplemented("catalog query: cross-database references are not supported");
    if (schema == "information_schema")
      return Unimplemented("catalog query: information_schema.{} is not supported (Laminar emulates a part of pg_catalog)", name);
    if (!schema.empty() && schema != "pg_catalog")
      return Unimplemented("catalog query: relation \"{}.{}\" cannot be read together with pg_catalog; query it on its own",
                           schema, name);
    if (!IsVirtualTable(name)) {
      for (const RelInfo& r : rels_)
        if (r.name == name && schema.empty())
          return Unimplemented("catalog query: relation \"{}\" cannot be read together with pg_catalog; query it on its own", name);
      return Unimplemented("catalog query: pg_catalog.{} is not supported by Laminar's catalog emulation", name);
    }
    auto it = tables_.find(name);
    if (it == tables_.end()) {
      auto t = EmptyTable(name);
      FillTable(t.get(), rels_, ctx_);
      it = tables_.emplace(name, std::move(t)).first;
    }
    return it->second.get();
  }

  Result<FromResult> From(const json& item, const Scope* outer) {
    auto [kind, body] = KindOf(item);
    const json& b = *body;
    if (kind == "RangeVar") {
      if (!sql::Field(sql::Field(b, "alias"), "colnames").is_null())
        return Unimplemented("catalog query: column aliases in FROM are not supported");
      ASSIGN_OR_RETURN(const VTable* t, Table(b));
      std::string alias = Str(sql::Field(b, "alias"), "aliasname");
      FromResult r;
      r.entries.push_back({alias.empty() ? t->name : alias, t});
      for (const auto& row : t->rows) r.rows.push_back({&row});
      return r;
    }
    if (kind == "JoinExpr") {
      std::string type = Str(b, "jointype");
      if (type != "JOIN_INNER" && type != "JOIN_LEFT")
        return Unimplemented("catalog query: {} is not supported", type == "JOIN_RIGHT" ? "RIGHT JOIN" : type == "JOIN_FULL" ? "FULL JOIN" : type);
      if (b.contains("usingClause") || (b.contains("isNatural") && sql::Field(b, "isNatural").is_boolean() && sql::Field(b, "isNatural").get<bool>()))
        return Unimplemented("catalog query: JOIN ... USING and NATURAL JOIN are not supported");
      if (b.contains("alias") || b.contains("join_using_alias")) return Unimplemented("catalog query: an alias on a JOIN is not supported");
      ASSIGN_OR_RETURN(FromResult left, From(sql::Field(b, "larg"), outer));
      ASSIGN_OR_RETURN(FromResult right, From(sql::Field(b, "rarg"), outer));
      FromResult r;
      r.entries = left.entries;
      r.entries.insert(r.entries.end(), right.entries.begin(), right.entries.end());
      const json& quals = sql::Field(b, "quals");
      if (left.rows.size() * right.rows.size() > kMaxJoinPairs) return TooMany();
      for (const JoinedRow& l : left.rows) {
        bool matched = false;
        for (const JoinedRow& rr : right.rows) {
          JoinedRow row = l;
          row.insert(row.end(), rr.begin(), rr.end());
          if (!quals.is_null()) {
            Scope scope{&r.entries, &row, outer};
            ASSIGN_OR_RETURN(Datum q, Eval(quals, scope));
            ASSIGN_OR_RETURN(bool ok, Truth(q, "JOIN/ON"));
            if (!ok) continue;
          }
          matched = true;
          r.rows.push_back(std::move(row));
          if (r.rows.size() > kMaxRows) return TooMany();
        }
        if (!matched && type == "JOIN_LEFT") {
          JoinedRow row = l;
          row.resize(r.entries.size(), nullptr);
          r.rows.push_back(std::move(row));
        }
      }
      return r;
    }
    if (kind == "RangeSubselect") return Unimplemented("catalog query: a subquery in FROM is not supported");
    if (kind == "RangeFunction") return FromFunction(b, outer);
    return Unimplemented("catalog query: FROM item {} is not supported", kind);
  }

  // FROM unnest(array) [AS] alias: one row per element (psql's \d+ reads reloptions so).
  Result<FromResult> FromFunction(const json& b, const Scope* outer) {
    const json& functions = sql::Field(b, "functions");
    const json& items = functions.size() == 1 ? sql::Field(sql::Field(functions[0], "List"), "items") : json();
    const json& call = items.empty() ? json() : sql::Field(items[0], "FuncCall");
    auto names = Names(sql::Field(call, "funcname"));
    bool unnest = !names.empty() && names.back() == "unnest" && (names.size() == 1 || names[0] == "pg_catalog");
    if (!unnest || sql::Field(call, "args").size() != 1 || b.contains("ordinality") || b.contains("coldeflist") ||
        b.contains("is_rowsfrom") || !sql::Field(sql::Field(b, "alias"), "colnames").is_null())
      return Unimplemented("catalog query: functions in FROM other than unnest(array) are not supported");
    Scope scope{nullptr, nullptr, outer};
    ASSIGN_OR_RETURN(Datum arr, Eval(sql::Field(call, "args")[0], scope));
    if (!arr.null && CatOf(arr.type) != Cat::kArray)
      return InvalidArgument("function unnest({}) does not exist", FormatTypeName(arr.type));
    std::string alias = Str(sql::Field(b, "alias"), "aliasname");
    auto t = std::make_unique<VTable>();
    t->name = alias.empty() ? "unnest" : alias;
    t->cols.push_back({t->name, kOidText});
    if (!arr.null) {
      for (const auto& e : arr.elems) t->rows.push_back({e ? Text(*e) : Null(kOidText)});
    }
    FromResult r;
    r.entries.push_back({t->name, t.get()});
    for (const auto& row : t->rows) r.rows.push_back({&row});
    temp_tables_.push_back(std::move(t));
    return r;
  }

  static Result<bool> Truth(const Datum& d, const char* where) {
    if (d.null) return false;
    if (d.type == kOidUnknown) return ParseBool(d.s);
    if (CatOf(d.type) != Cat::kBool) return InvalidArgument("argument of {} must be type boolean, not type {}", where, FormatTypeName(d.type));
    return d.i != 0;
  }

  Result<Datum> Column(const json& fields, const Scope& scope) {
    std::vector<std::string> parts;
    for (const json& f : fields) {
      if (f.contains("A_Star")) return Unimplemented("catalog query: * is not supported here");
      parts.push_back(sql::StringValue(f));
    }
    if (parts.empty() || parts.size() > 3) return InvalidArgument("improper qualified name");
    const std::string& col = parts.back();
    std::string qual = parts.size() >= 2 ? parts[parts.size() - 2] : "";
    for (const Scope* s = &scope; s; s = s->outer) {
      if (!s->entries) continue;
      int matches = 0;
      size_t entry = 0, index = 0;
      const VTable* qual_table = nullptr;
      for (size_t e = 0; e < s->entries->size(); e++) {
        const RangeEntry& re = (*s->entries)[e];
        if (!qual.empty() && re.alias != qual) continue;
        if (!qual.empty()) qual_table = re.table;
        int c = re.table->Find(col);
        if (c < 0) continue;
        matches++;
        entry = e;
        index = size_t(c);
      }
      if (matches > 1) return InvalidArgument("column reference \"{}\" is ambiguous", col);
      if (matches == 1) {
        const auto* row = (*s->row)[entry];
        if (!row) return Null((*s->entries)[entry].table->cols[index].type_oid);
        return (*row)[index];
      }
      if (qual_table)
        return Unimplemented("catalog query: column {}.{} is not supported by Laminar's catalog emulation", qual_table->name, col);
    }
    if (!qual.empty()) return InvalidArgument("missing FROM-clause entry for table \"{}\"", qual);
    return Unimplemented("catalog query: column \"{}\" is not supported by Laminar's catalog emulation", col);
  }

  // The static type of an expression when no row shows it (an empty result's RowDescription).
  uint32_t StaticType(const json& node, const std::vector<RangeEntry>& entries) const {
    auto [kind, body] = KindOf(node);
    const json& b = *body;
    if (kind == "ColumnRef") {
      const json& fields = sql::Field(b, "fields");
      if (fields.empty()) return kOidText;
      std::string col = sql::StringValue(fields.back());
      std::string qual = fields.size() >= 2 ? sql::StringValue(fields[fields.size() - 2]) : "";
      for (const RangeEntry& e : entries) {
        if (!qual.empty() && e.alias != qual) continue;
        int c = e.table->Find(col);
        if (c >= 0) return e.table->cols[size_t(c)].type_oid;
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
      static const std::map<std::string, uint32_t> kReturns = {
          {"current_database", kOidName}, {"current_schema", kOidName}, {"current_schemas", kOidNameArray},
          {"pg_backend_pid", kOidInt4}, {"pg_get_userbyid", kOidName}, {"pg_table_is_visible", kOidBool},
          {"pg_type_is_visible", kOidBool}, {"pg_encoding_to_char", kOidName}, {"pg_sleep", kOidVoid},
          {"pg_is_in_recovery", kOidBool}, {"pg_table_size", kOidInt8}, {"pg_relation_size", kOidInt8},
          {"pg_total_relation_size", kOidInt8}, {"pg_relation_is_publishable", kOidBool}};
      auto it = kReturns.find(f);
      return it == kReturns.end() ? kOidText : it->second;
    }
    return kOidText;
  }

  static Result<uint32_t> CastTarget(const json& type_name) {
    auto names = Names(sql::Field(type_name, "names"));
    if (names.empty()) return InvalidArgument("bad type name");
    if (!sql::Field(type_name, "arrayBounds").is_null()) return Unimplemented("catalog query: casts to array types are not supported");
    std::string t = names.back();
    if (names.size() > 2 || (names.size() == 2 && names[0] != "pg_catalog"))
      return Unimplemented("catalog query: type {} is not supported", t);
    static const std::map<std::string, uint32_t> kTargets = {
        {"text", kOidText}, {"varchar", kOidVarchar}, {"name", kOidName}, {"char", kOidChar}, {"bpchar", kOidBpchar},
        {"int2", kOidInt2}, {"int4", kOidInt4}, {"int8", kOidInt8}, {"oid", kOidOid}, {"bool", kOidBool},
        {"float4", kOidFloat4}, {"float8", kOidFloat8}, {"numeric", kOidNumeric}, {"regclass", kOidRegclass},
        {"regtype", kOidRegtype}, {"regnamespace", kOidRegnamespace}, {"timestamptz", kOidTimestamptz},
        {"timestamp", kOidTimestamp}};
    auto it = kTargets.find(t);
    if (it == kTargets.end()) return Unimplemented("catalog query: cast to type {} is not supported", t);
    return it->second;
  }

  const RelInfo* RelByOid(int64_t oid) const {
    for (const RelInfo& r : rels_)
      if (r.oid == oid) return &r;
    return nullptr;
  }

  Result<Datum> Cast(const Datum& d, uint32_t target) {
    if (d.type == target) return d;
    if (d.null) return Null(target);
    Cat from = CatOf(d.type), to = CatOf(target);
    if (from == Cat::kArray || from == Cat::kOther)
      return Unimplemented("catalog query: cast from {} to {} is not supported", FormatTypeName(d.type), FormatTypeName(target));
    std::string text = ToText(d).value_or("");
    if (target == kOidRegclass) {
      if (from == Cat::kInt || from == Cat::kFloat) {
        int64_t oid = from == Cat::kInt ? d.i : int64_t(d.f);
        const RelInfo* r = RelByOid(oid);
        return Reg(oid, r ? QuoteIdent(r->name) : std::to_string(oid), kOidRegclass);
      }
      std::string name(TrimSpace(text));
      if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return std::isdigit(uint8_t(c)); })) {
        ASSIGN_OR_RETURN(int64_t oid, ParseInt(name, kOidOid));
        const RelInfo* r = RelByOid(oid);
        return Reg(oid, r ? QuoteIdent(r->name) : std::to_string(oid), kOidRegclass);
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
      if (IsVirtualTable(name)) return Unimplemented("catalog query: pg_catalog relations have no oids in Laminar's catalog emulation");
      return InvalidArgument("relation \"{}\" does not exist", text);
    }
    if (target == kOidRegtype) {
      if (from == Cat::kInt) return Reg(d.i, FindType(uint32_t(d.i)) ? FormatTypeName(uint32_t(d.i)) : std::to_string(d.i), kOidRegtype);
      std::string name = Lower(TrimSpace(text));
      if (name.starts_with("pg_catalog.")) name = name.substr(11);
      for (const TypeInfo& t : Types())
        if (name == t.typname || name == t.formatted) return Reg(t.oid, t.formatted, kOidRegtype);
      return InvalidArgument("type \"{}\" does not exist", text);
    }
    if (target == kOidRegnamespace) {
      auto nsp = [](int64_t oid) -> std::optional<std::string> {
        if (oid == kCatalogNamespaceOid) return "pg_catalog";
        if (oid == kPublicNamespaceOid) return "public";
        return std::nullopt;
      };
      if (from == Cat::kInt) return Reg(d.i, nsp(d.i).value_or(std::to_string(d.i)), kOidRegnamespace);
      std::string name = Lower(TrimSpace(text));
      if (name == "pg_catalog") return Reg(kCatalogNamespaceOid, name, kOidRegnamespace);
      if (name == "public") return Reg(kPublicNamespaceOid, name, kOidRegnamespace);
      return InvalidArgument("schema \"{}\" does not exist", text);
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
          if (!std::isfinite(d.f)) return InvalidArgument("{} out of range", FormatTypeName(target));
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
  Result<int> Compare(const Datum& a, const Datum& b) {
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
    return InvalidArgument("operator does not exist: {} = {}", FormatTypeName(a.type), FormatTypeName(b.type));
  }

  Result<const std::regex*> Regex(const std::string& pattern, bool icase) {
    std::string key = (icase ? "i:" : "c:") + pattern;
    auto it = regexes_.find(key);
    if (it != regexes_.end()) return &it->second;
    if (pattern.size() > 1000) return Unimplemented("catalog query: regular expression longer than 1000 characters");
    try {
      auto flags = std::regex::extended | (icase ? std::regex::icase : std::regex::flag_type(0));
      return &regexes_.emplace(key, std::regex(pattern, flags)).first->second;
    } catch (const std::regex_error& e) {
      return InvalidArgument("invalid regular expression: {}", e.what());
    }
  }

  Result<Datum> BinaryOp(const std::string& op, const Datum& a, const Datum& b) {
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
        return InvalidArgument("operator does not exist: {} {} {}", FormatTypeName(a.type), op, FormatTypeName(b.type));
      ASSIGN_OR_RETURN(const std::regex* re, Regex(b.s, op.find('*') != std::string::npos));
      bool m = std::regex_search(a.s, *re);
      return Bool(op[0] == '!' ? !m : m);
    }
    if (op == "~~" || op == "!~~" || op == "~~*" || op == "!~~*") {
      if (CatOf(a.type) != Cat::kText || CatOf(b.type) != Cat::kText)
        return InvalidArgument("operator does not exist: {} {} {}", FormatTypeName(a.type), op, FormatTypeName(b.type));
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
        if (overflow) return InvalidArgument("bigint out of range");
        return Int(r, x.type == kOidInt8 || y.type == kOidInt8 ? kOidInt8 : kOidInt4);
      }
      if (CatOf(x.type) == Cat::kFloat || CatOf(y.type) == Cat::kFloat) {
        double p = CatOf(x.type) == Cat::kFloat ? x.f : double(x.i), q = CatOf(y.type) == Cat::kFloat ? y.f : double(y.i);
        return Float(op == "+" ? p + q : op == "-" ? p - q : p * q);
      }
    }
    return Unimplemented("catalog query: operator {} on {} and {} is not supported", op, FormatTypeName(a.type), FormatTypeName(b.type));
  }

  Result<Datum> Eval(const json& node, const Scope& scope) {
    auto [kind, body] = KindOf(node);
    const json& b = *body;
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
    if (kind == "FuncCall") return Call(b, scope);
    if (kind == "SubLink") return EvalSubLink(b, scope);
    if (kind == "A_ArrayExpr") {
      std::vector<std::optional<std::string>> elems;
      for (const json& e : sql::Field(b, "elements")) {
        ASSIGN_OR_RETURN(Datum v, Eval(e, scope));
        elems.push_back(ToText(v));
      }
      return Array(std::move(elems), kOidTextArray);
    }
    if (kind == "ParamRef") return Unimplemented("catalog query: parameters are not supported");
    return Unimplemented("catalog query: expression {} is not supported", kind.empty() ? "?" : kind);
  }

  // A CASE branch's value: an untyped literal result is text.
  Result<Datum> EvalResult(const json& node, const Scope& scope) {
    ASSIGN_OR_RETURN(Datum v, Eval(node, scope));
    if (v.type == kOidUnknown) v.type = kOidText;
    return v;
  }

  Result<Datum> EvalAExpr(const json& b, const Scope& scope) {
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

  Result<Datum> EvalSubLink(const json& b, const Scope& scope) {
    std::string type = Str(b, "subLinkType");
    const json& sub = sql::Field(sql::Field(b, "subselect"), "SelectStmt");
    if (sub.is_null()) return Unimplemented("catalog query: this subquery is not supported");
    ASSIGN_OR_RETURN(Relation r, Select(sub, &scope));
    if (type == "EXISTS_SUBLINK") return Bool(!r.rows.empty());
    if (r.cols.size() != 1) return InvalidArgument("subquery must return only one column");
    if (type == "EXPR_SUBLINK") {
      if (r.rows.size() > 1) return InvalidArgument("more than one row returned by a subquery used as an expression");
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

  std::string SettingName(const std::string& name) {
    auto it = settings_.find(Lower(name));
    return it == settings_.end() ? name : it->second.first;
  }

  Result<Datum> Call(const json& b, const Scope& scope) {
    auto names = Names(sql::Field(b, "funcname"));
    if (names.empty()) return InvalidArgument("bad function name");
    std::string f = names.back();
    if (names.size() > 2 || (names.size() == 2 && names[0] != "pg_catalog"))
      return Unimplemented("catalog query: function {} is not supported", fmt::join(names, "."));
    for (const char* k : {"agg_star", "agg_distinct", "over", "agg_order", "agg_filter", "func_variadic", "agg_within_group"})
      if (b.contains(k)) return Unimplemented("catalog query: this call of {} is not supported", f);
    std::vector<Datum> args;
    for (const json& a : sql::Field(b, "args")) {
      if (a.contains("NamedArgExpr")) return Unimplemented("catalog query: named arguments are not supported");
      ASSIGN_OR_RETURN(Datum v, Eval(a, scope));
      args.push_back(std::move(v));
    }
    auto want = [&](size_t lo, size_t hi) -> Status {
      if (args.size() < lo || args.size() > hi)
        return InvalidArgument("function {} with {} arguments does not exist", f, args.size());
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
      return Text(ViewSelectText(r->view->sql));
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
      if (CatOf(args[0].type) != Cat::kArray) return InvalidArgument("function array_to_string({}, text) does not exist", FormatTypeName(args[0].type));
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
      if (CatOf(args[0].type) != Cat::kArray) return InvalidArgument("function array_remove({}, ...) does not exist", FormatTypeName(args[0].type));
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
        return InvalidArgument("unrecognized configuration parameter \"{}\"", name.s);
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
      if (IsReadOnlySetting(key)) return InvalidArgument("parameter \"{}\" cannot be changed", name.s);
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
    return Unimplemented("catalog query: function {} is not supported by Laminar's catalog emulation", f);
  }

  std::vector<RelInfo> rels_;
  const CatalogContext& ctx_;
  std::map<std::string, std::pair<std::string, std::string>> settings_;
  std::map<std::string, std::unique_ptr<VTable>> tables_;
  std::vector<std::unique_ptr<VTable>> temp_tables_;  // FROM unnest(...)
  std::map<std::string, std::regex> regexes_;
};

void Walk(const json& j, const std::function<void(const std::string&, const json&)>& f) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      f(k, v);
      Walk(v, f);
    }
  } else if (j.is_array()) {
    for (const json& v : j) Walk(v, f);
  }
}

}  // namespace

bool IsReadOnlySetting(std::string_view lower_name) {
  for (const char* n : {"server_version", "server_version_num", "server_encoding", "integer_datetimes",
                        "is_superuser", "max_identifier_length", "lc_collate", "lc_ctype"})
    if (lower_name == n) return true;
  return false;
}

std::optional<uint32_t> RelationOid(const catalog::Snapshot& snapshot, std::string_view name) {
  for (const RelInfo& r : Relations(snapshot))
    if (r.name == name) return r.oid;
  return std::nullopt;
}

std::optional<Result<CatalogResult>> AnswerCatalogQuery(const sql::Statement& stmt, const catalog::Snapshot& snapshot,
                                                        const CatalogContext& ctx) {
  if (stmt.kind != "SelectStmt") return std::nullopt;
  bool catalog_rel = false, other_rel = false, session_fn = false;
  Walk(stmt.node, [&](const std::string& key, const json& v) {
    if (key == "RangeVar") {
      std::string schema = Str(v, "schemaname"), rel = Str(v, "relname");
      bool user = snapshot.streams.count(rel) || snapshot.views.count(rel) || snapshot.dimensions.count(rel);
      if (schema == "pg_catalog" || schema == "information_schema" ||
          (schema.empty() && (IsVirtualTable(rel) || (rel.starts_with("pg_") && !user))))
        catalog_rel = true;
      else
        other_rel = true;
    } else if (key == "FuncCall") {
      auto names = Names(sql::Field(v, "funcname"));
      // Only the functions named above: the parser itself writes pg_catalog.extract,
      // pg_catalog.substring, ... for SQL syntax the engine evaluates.
      if ((names.size() == 1 || (names.size() == 2 && names[0] == "pg_catalog")) && SessionFunctions().count(names.back()))
        session_fn = true;
    } else if (key == "TypeCast") {
      auto names = Names(sql::Field(sql::Field(v, "typeName"), "names"));
      if (!names.empty() && names.back().starts_with("reg")) session_fn = true;  // 'name'::regclass
    } else if (key == "SQLValueFunction") {
      std::string op = Str(v, "op");
      if (op == "SVFOP_CURRENT_USER" || op == "SVFOP_SESSION_USER" || op == "SVFOP_USER" ||
          op == "SVFOP_CURRENT_ROLE" || op == "SVFOP_CURRENT_CATALOG" || op == "SVFOP_CURRENT_SCHEMA")
        session_fn = true;
    }
  });
  if (!catalog_rel && (other_rel || !session_fn)) return std::nullopt;
  const json& select = sql::Field(stmt.node, "SelectStmt");
  Evaluator ev(snapshot, ctx);
  auto rel = ev.Select(select, nullptr);
  if (!rel.ok()) return Result<CatalogResult>(rel.status());
  CatalogResult out;
  out.columns = std::move(rel->cols);
  for (const auto& row : rel->rows) {
    std::vector<std::optional<std::string>> cells;
    for (const Datum& d : row) cells.push_back(ToText(d));
    out.rows.push_back(std::move(cells));
  }
  out.settings_changed = std::move(ev.changed);
  return Result<CatalogResult>(std::move(out));
}

std::optional<Result<CatalogResult>> AnswerCatalogQuery(std::string_view sql, const catalog::Snapshot& snapshot,
                                                        const CatalogContext& ctx) {
  auto parsed = sql::Parse(sql);
  if (!parsed.ok() || parsed->size() != 1) return std::nullopt;
  return AnswerCatalogQuery(parsed->front(), snapshot, ctx);
}

Result<std::string> TextCellToBinary(std::string_view text, uint32_t oid) {
  std::string out;
  auto put = [&](uint64_t v, int bytes) {
    for (int k = bytes - 1; k >= 0; k--) out.push_back(char((v >> (8 * k)) & 0xff));
  };
  switch (CatOf(oid)) {
    case Cat::kBool: {
      ASSIGN_OR_RETURN(bool b, ParseBool(text));
      out.push_back(b ? 1 : 0);
      return out;
    }
    case Cat::kInt: {
      if (IsRegType(oid)) break;
      ASSIGN_OR_RETURN(int64_t v, ParseInt(text, oid == kOidOid ? kOidInt8 : oid));
      put(uint64_t(v), oid == kOidInt8 ? 8 : oid == kOidInt2 ? 2 : 4);
      return out;
    }
    case Cat::kFloat: {
      if (oid == kOidNumeric) break;
      ASSIGN_OR_RETURN(double d, ParseFloat(text, oid));
      if (oid == kOidFloat4) {
        put(std::bit_cast<uint32_t>(float(d)), 4);
      } else {
        put(std::bit_cast<uint64_t>(d), 8);
      }
      return out;
    }
    case Cat::kText:
      if (oid == kOidVoid) return std::string();
      return std::string(text);
    default: break;
  }
  return Unimplemented("binary format for type {} is not supported", FormatTypeName(oid));
}

}  // namespace laminar::pgwire
