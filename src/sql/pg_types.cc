// PostgreSQL's catalog facts as Laminar reports them (sql/pg_types.h).
#include "sql/pg_types.h"

// The grammar's keyword table, from libpg_query (PostgreSQL 15's src/include/common/kwlookup.h
// and parser/kwlist.h: the keywords in order, their offsets, and each one's category).
extern "C" {
struct ScanKeywordList {
  const char* kw_string;
  const uint16_t* kw_offsets;
  const void* hash;
  int num_keywords;
  int max_kw_len;
};
extern const ScanKeywordList ScanKeywords;
extern const uint8_t ScanKeywordCategories[];
}

namespace laminar::sql::pg {

const std::vector<TypeInfo>& Types() {
  // oid, typname, format_type, len, byval, align, storage, category, preferred, array, elem,
  // collation, typtype, typinput, typoutput.
  static const std::vector<TypeInfo> kTypes = {
      {16, "bool", "boolean", 1, true, 'c', 'p', 'B', true, 1000, 0, 0, 'b', "boolin", "boolout"},
      {18, "char", "\"char\"", 1, true, 'c', 'p', 'Z', false, 1002, 0, 0, 'b', "charin", "charout"},
      {19, "name", "name", 64, false, 'c', 'p', 'S', false, 1003, 0, 950, 'b', "namein", "nameout"},
      {20, "int8", "bigint", 8, true, 'd', 'p', 'N', false, 1016, 0, 0, 'b', "int8in", "int8out"},
      {21, "int2", "smallint", 2, true, 's', 'p', 'N', false, 1005, 0, 0, 'b', "int2in", "int2out"},
      {23, "int4", "integer", 4, true, 'i', 'p', 'N', false, 1007, 0, 0, 'b', "int4in", "int4out"},
      {25, "text", "text", -1, false, 'i', 'x', 'S', true, 1009, 0, 100, 'b', "textin", "textout"},
      {26, "oid", "oid", 4, true, 'i', 'p', 'N', false, 1028, 0, 0, 'b', "oidin", "oidout"},
      {700, "float4", "real", 4, true, 'i', 'p', 'N', false, 1021, 0, 0, 'b', "float4in", "float4out"},
      {701, "float8", "double precision", 8, true, 'd', 'p', 'N', true, 1022, 0, 0, 'b', "float8in",
       "float8out"},
      {705, "unknown", "unknown", -2, false, 'c', 'p', 'X', false, 0, 0, 0, 'p', "unknownin", "unknownout"},
      {1043, "varchar", "character varying", -1, false, 'i', 'x', 'S', false, 1015, 0, 100, 'b',
       "varcharin", "varcharout"},
      {1114, "timestamp", "timestamp without time zone", 8, true, 'd', 'p', 'D', false, 1115, 0,
       0, 'b', "timestamp_in", "timestamp_out"},
      {1184, "timestamptz", "timestamp with time zone", 8, true, 'd', 'p', 'D', true, 1185,
       0, 0, 'b', "timestamptz_in", "timestamptz_out"},
      {1082, "date", "date", 4, true, 'i', 'p', 'D', false, 1182, 0, 0, 'b', "date_in", "date_out"},
      {2278, "void", "void", 4, true, 'i', 'p', 'P', false, 0, 0, 0, 'p', "void_in", "void_out"},
      // Their array types.
      {1000, "_bool", "boolean[]", -1, false, 'i', 'x', 'A', false, 0, 16, 0, 'b', "array_in", "array_out"},
      {1002, "_char", "\"char\"[]", -1, false, 'i', 'x', 'A', false, 0, 18, 0, 'b', "array_in", "array_out"},
      {1003, "_name", "name[]", -1, false, 'i', 'x', 'A', false, 0, 19, 950, 'b', "array_in", "array_out"},
      {1016, "_int8", "bigint[]", -1, false, 'd', 'x', 'A', false, 0, 20, 0, 'b', "array_in", "array_out"},
      {1005, "_int2", "smallint[]", -1, false, 'i', 'x', 'A', false, 0, 21, 0, 'b', "array_in", "array_out"},
      {1007, "_int4", "integer[]", -1, false, 'i', 'x', 'A', false, 0, 23, 0, 'b', "array_in", "array_out"},
      {1009, "_text", "text[]", -1, false, 'i', 'x', 'A', false, 0, 25, 100, 'b', "array_in", "array_out"},
      {1028, "_oid", "oid[]", -1, false, 'i', 'x', 'A', false, 0, 26, 0, 'b', "array_in", "array_out"},
      {1021, "_float4", "real[]", -1, false, 'i', 'x', 'A', false, 0, 700, 0, 'b', "array_in",
       "array_out"},
      {1022, "_float8", "double precision[]", -1, false, 'd', 'x', 'A', false, 0, 701, 0, 'b',
       "array_in", "array_out"},
      {1015, "_varchar", "character varying[]", -1, false, 'i', 'x', 'A', false, 0, 1043, 100, 'b',
       "array_in", "array_out"},
      {1115, "_timestamp", "timestamp without time zone[]", -1, false, 'd', 'x', 'A', false, 0,
       1114, 0, 'b', "array_in", "array_out"},
      {1185, "_timestamptz", "timestamp with time zone[]", -1, false, 'd', 'x', 'A', false, 0,
       1184, 0, 'b', "array_in", "array_out"},
      {1182, "_date", "date[]", -1, false, 'i', 'x', 'A', false, 0, 1082, 0, 'b', "array_in", "array_out"},
  };
  return kTypes;
}

const TypeInfo* FindType(int64_t oid) {
  for (const TypeInfo& t : Types())
    if (t.oid == oid) return &t;
  return nullptr;
}

const TypeInfo* FindTypeByName(std::string_view typname) {
  for (const TypeInfo& t : Types())
    if (typname == t.typname) return &t;
  return nullptr;
}

int64_t TypeOid(Type t) {
  switch (t) {
    case Type::kBool: return 16;
    case Type::kInt64: return 20;
    case Type::kDouble: return 701;
    case Type::kText: return 25;
    case Type::kTimestamp: return 1184;
    case Type::kDate: return 1082;
  }
  return 25;
}

const std::vector<std::pair<int64_t, const char*>>& OtherTypeNames() {
  static const std::vector<std::pair<int64_t, const char*>> kNames = {
      {1042, "character"}, {1700, "numeric"},  {2205, "regclass"},  {2206, "regtype"},    {4089, "regnamespace"},
      {24, "regproc"},     {1034, "aclitem[]"}, {22, "int2vector"}, {30, "oidvector"}, {194, "pg_node_tree"}};
  return kNames;
}

std::string FormatType(int64_t oid) {
  if (const TypeInfo* t = FindType(oid)) return t->formatted;
  for (const auto& [o, name] : OtherTypeNames())
    if (o == oid) return name;
  return "???";
}

namespace {
struct BuiltinProc {
  int64_t oid;
  const char* name;
};
constexpr BuiltinProc kProcs[] = {
    {1242, "boolin"}, {1243, "boolout"}, {1245, "charin"}, {33, "charout"}, {34, "namein"}, {35, "nameout"},
    {460, "int8in"}, {461, "int8out"}, {38, "int2in"}, {39, "int2out"}, {42, "int4in"}, {43, "int4out"},
    {46, "textin"}, {47, "textout"}, {1798, "oidin"}, {1799, "oidout"}, {200, "float4in"}, {201, "float4out"},
    {214, "float8in"}, {215, "float8out"}, {109, "unknownin"}, {110, "unknownout"}, {1046, "varcharin"},
    {1047, "varcharout"}, {1312, "timestamp_in"}, {1313, "timestamp_out"}, {1150, "timestamptz_in"},
    {1151, "timestamptz_out"}, {1084, "date_in"}, {1085, "date_out"}, {2298, "void_in"}, {2299, "void_out"},
    {750, "array_in"}, {751, "array_out"},
};
}  // namespace

std::optional<int64_t> ProcOid(std::string_view name) {
  for (const BuiltinProc& p : kProcs)
    if (name == p.name) return p.oid;
  return std::nullopt;
}

const char* ProcName(int64_t oid) {
  for (const BuiltinProc& p : kProcs)
    if (oid == p.oid) return p.name;
  return nullptr;
}

const std::vector<SystemRelation>& SystemRelations() {
  // Fixed by PostgreSQL's headers, e.g. CATALOG(pg_class,1259,RelationRelationId).
  static const std::vector<SystemRelation> kRelations = {
    {"pg_type", 1247}, {"pg_attribute", 1249}, {"pg_proc", 1255}, {"pg_class", 1259}, {"pg_auth_members", 1261},
    {"pg_database", 1262}, {"pg_shdescription", 2396}, {"pg_am", 2601}, {"pg_attrdef", 2604},
    {"pg_constraint", 2606}, {"pg_depend", 2608}, {"pg_description", 2609}, {"pg_index", 2610},
    {"pg_inherits", 2611}, {"pg_namespace", 2615}, {"pg_rewrite", 2618}, {"pg_trigger", 2620},
    {"pg_sequence", 2224}, {"pg_foreign_table", 3118}, {"pg_policy", 3256}, {"pg_partitioned_table", 3350},
    {"pg_statistic_ext", 3381}, {"pg_collation", 3456}, {"pg_publication", 6104}, {"pg_publication_rel", 6106},
    {"pg_publication_namespace", 6237}, {"pg_enum", 3501},
  };
  return kRelations;
}

const std::vector<std::pair<int64_t, const char*>>& Namespaces() {
  static const std::vector<std::pair<int64_t, const char*>> kNamespaces = {
      {kCatalogNamespaceOid, "pg_catalog"}, {kPublicNamespaceOid, "public"}, {kInfoSchemaNamespaceOid, "information_schema"}};
  return kNamespaces;
}

const std::vector<Keyword>& Keywords() {
  static const std::vector<Keyword> kKeywords = [] {
    std::vector<Keyword> out;
    const char* base = ScanKeywords.kw_string;
    for (int i = 0; i < ScanKeywords.num_keywords; i++) {
      uint8_t cat = ScanKeywordCategories[i];
      static constexpr char kCodes[] = {'U', 'C', 'T', 'R'};
      static constexpr const char* kDescs[] = {"unreserved", "unreserved (cannot be function or type name)",
                                               "reserved (can be function or type name)", "reserved"};
      if (cat > 3) continue;
      out.push_back({base + ScanKeywords.kw_offsets[i], kCodes[cat], kDescs[cat]});
    }
    return out;
  }();
  return kKeywords;
}

}  // namespace laminar::sql::pg
