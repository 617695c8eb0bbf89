// The virtual tables of the pg_catalog emulation (see catalog_tables.h).
#include "pgwire/catalog_tables.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <fmt/format.h>

#include "common/types.h"
#include "serving/system_tables.h"
#include "sql/pg_types.h"

namespace laminar::pgwire::pgcat {

namespace {

Datum Proc(const char* name) {
  std::optional<uint32_t> oid = BuiltinProcOid(name);
  if (!oid) std::abort();  // a programming error in the type table
  return Reg(*oid, name, kOidRegproc);
}


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
       "typstorage:18 typnotnull:16 typbasetype:26 typtypmod:23 typndims:23 typcollation:26 typdefault:25 typinput:24 "
       "typoutput:24"},
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
      {"pg_enum", "oid:26 enumtypid:26 enumsortorder:700 enumlabel:19"},
      {"pg_depend", "classid:26 objid:26 objsubid:23 refclassid:26 refobjid:26 refobjsubid:23 deptype:18"},
      {"pg_proc",
       "oid:26 proname:19 pronamespace:26 proowner:26 prolang:26 procost:700 prorows:700 provariadic:26 "
       "prosupport:24 prokind:18 prosecdef:16 proleakproof:16 proisstrict:16 proretset:16 provolatile:18 "
       "proparallel:18 pronargs:21 pronargdefaults:21 prorettype:26 proargtypes:30 proallargtypes:1028 "
       "proargmodes:1002 proargnames:1009 proargdefaults:194 protrftypes:1028 prosrc:25 probin:25 prosqlbody:194 "
       "proconfig:1009 proacl:1034"},
  };
  return kSpecs;
}

// information_schema's views, with PostgreSQL's column names; the domains as their base types
// (sql_identifier: name, cardinal_number: int4, character_data and yes_or_no: text).
const std::map<std::string, std::string>& InfoSchemaSpecs() {
  static const std::map<std::string, std::string> kSpecs = {
      {"schemata",
       "catalog_name:19 schema_name:19 schema_owner:19 default_character_set_catalog:19 "
       "default_character_set_schema:19 default_character_set_name:19 sql_path:25"},
      {"tables",
       "table_catalog:19 table_schema:19 table_name:19 table_type:25 self_referencing_column_name:19 "
       "reference_generation:25 user_defined_type_catalog:19 user_defined_type_schema:19 user_defined_type_name:19 "
       "is_insertable_into:25 is_typed:25 commit_action:25"},
      {"columns",
       "table_catalog:19 table_schema:19 table_name:19 column_name:19 ordinal_position:23 column_default:25 "
       "is_nullable:25 data_type:25 character_maximum_length:23 character_octet_length:23 numeric_precision:23 "
       "numeric_precision_radix:23 numeric_scale:23 datetime_precision:23 interval_type:25 interval_precision:23 "
       "character_set_catalog:19 character_set_schema:19 character_set_name:19 collation_catalog:19 "
       "collation_schema:19 collation_name:19 domain_catalog:19 domain_schema:19 domain_name:19 udt_catalog:19 "
       "udt_schema:19 udt_name:19 scope_catalog:19 scope_schema:19 scope_name:19 maximum_cardinality:23 "
       "dtd_identifier:19 is_self_referencing:25 is_identity:25 identity_generation:25 identity_start:25 "
       "identity_increment:25 identity_maximum:25 identity_minimum:25 identity_cycle:25 is_generated:25 "
       "generation_expression:25 is_updatable:25"},
      {"views",
       "table_catalog:19 table_schema:19 table_name:19 view_definition:25 check_option:25 is_updatable:25 "
       "is_insertable_into:25 is_trigger_updatable:25 is_trigger_deletable:25 is_trigger_insertable_into:25"},
      {"table_constraints",
       "constraint_catalog:19 constraint_schema:19 constraint_name:19 table_catalog:19 table_schema:19 "
       "table_name:19 constraint_type:25 is_deferrable:25 initially_deferred:25 enforced:25 nulls_distinct:25"},
      {"key_column_usage",
       "constraint_catalog:19 constraint_schema:19 constraint_name:19 table_catalog:19 table_schema:19 "
       "table_name:19 column_name:19 ordinal_position:23 position_in_unique_constraint:23"},
  };
  return kSpecs;
}

const std::string* SpecOf(std::string_view schema, std::string_view name) {
  const auto& specs = schema == "information_schema" ? InfoSchemaSpecs() : TableSpecs();
  if (schema != "information_schema" && schema != "pg_catalog") return nullptr;
  auto it = specs.find(std::string(name));
  return it == specs.end() ? nullptr : &it->second;
}

std::unique_ptr<VTable> EmptyTable(std::string_view name, std::string_view spec) {
  auto t = std::make_unique<VTable>();
  t->name = std::string(name);
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

// The rows of a virtual table of pg_catalog.
void FillTable(VTable* t, const std::vector<RelInfo>& rels, const CatalogContext& ctx) {
  const std::string& n = t->name;
  if (n == "pg_namespace") {
    Row(t)("oid", Oid(kCatalogNamespaceOid))("nspname", Name("pg_catalog"))("nspowner", Oid(kOwnerRoleOid)).Add();
    Row(t)("oid", Oid(kPublicNamespaceOid))("nspname", Name("public"))("nspowner", Oid(kOwnerRoleOid)).Add();
    Row(t)("oid", Oid(kInfoSchemaNamespaceOid))("nspname", Name("information_schema"))("nspowner", Oid(kOwnerRoleOid))
        .Add();
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
          "typdelim", Char(','))("typrelid", Oid(0))("typelem", Oid(ti.elem))("typarray", Oid(ti.array_oid))(
          "typalign", Char(ti.align))("typstorage", Char(ti.storage))("typnotnull", Bool(false))(
          "typbasetype", Oid(0))("typtypmod", Int(-1))("typndims", Int(0))("typcollation", Oid(ti.collation))(
          "typinput", Proc(ti.input))("typoutput", Proc(ti.output))
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
        b("ispopulated", Bool(true))("definition", Text(r.view_select));
      } else {
        b("hasrules", Bool(false))("hastriggers", Bool(false))("rowsecurity", Bool(false));
      }
      b.Add();
    }
  }
  // Every other table is empty: Laminar has no indexes, constraints (NOT NULL is pg_attribute's),
  // triggers, rules, policies, statistics objects, publications, inheritance, comments,
  // dependencies, user functions, ...
}

// information_schema.columns.data_type and its length/precision columns, for Laminar's types.
void TypeFacts(RowBuilder& b, Type type) {
  const TypeInfo* ti = FindType(TypeOid(type));
  b("data_type", Text(ti->formatted))("udt_schema", Name("pg_catalog"))("udt_name", Name(ti->typname));
  switch (type) {
    case Type::kInt64: b("numeric_precision", Int(64))("numeric_precision_radix", Int(2))("numeric_scale", Int(0)); break;
    case Type::kDouble: b("numeric_precision", Int(53))("numeric_precision_radix", Int(2)); break;
    case Type::kText: b("character_octet_length", Int(1073741824)); break;
    case Type::kTimestamp: b("datetime_precision", Int(6)); break;
    case Type::kDate: b("datetime_precision", Int(0)); break;
    default: break;
  }
}

// The rows of a view of information_schema. As in PostgreSQL, materialized views are in none of
// them (information_schema has no notion of them); tables are 'BASE TABLE'. Streams and
// dimension tables take no SQL INSERT or UPDATE: is_insertable_into and is_updatable are 'NO'.
void FillInfoSchema(VTable* t, const std::vector<RelInfo>& rels, const CatalogContext& ctx) {
  const std::string& n = t->name;
  Datum db = Name(ctx.database);
  if (n == "schemata") {
    for (const char* s : {"information_schema", "pg_catalog", "public"})
      Row(t)("catalog_name", db)("schema_name", Name(s))("schema_owner", Name(kOwnerRoleName)).Add();
  } else if (n == "tables") {
    for (const RelInfo& r : rels) {
      if (r.kind != 'r') continue;
      Row(t)("table_catalog", db)("table_schema", Name("public"))("table_name", Name(r.name))(
          "table_type", Text("BASE TABLE"))("is_insertable_into", Text("NO"))("is_typed", Text("NO"))
          .Add();
    }
  } else if (n == "columns") {
    for (const RelInfo& r : rels) {
      if (r.kind != 'r') continue;
      for (size_t k = 0; k < r.cols.size(); k++) {
        const RelColumn& c = r.cols[k];
        RowBuilder b(t);
        b("table_catalog", db)("table_schema", Name("public"))("table_name", Name(r.name))("column_name", Name(c.name))(
            "ordinal_position", Int(int64_t(k) + 1))("is_nullable", Text(c.not_null ? "NO" : "YES"))(
            "udt_catalog", db)("dtd_identifier", Name(std::to_string(k + 1)))("is_self_referencing", Text("NO"))(
            "is_identity", Text("NO"))("identity_cycle", Text("NO"))("is_generated", Text("NEVER"))(
            "is_updatable", Text("NO"));
        TypeFacts(b, c.type);
        b.Add();
      }
    }
  } else if (n == "table_constraints") {
    // PostgreSQL lists each NOT NULL column of a table as a CHECK constraint named
    // <namespace oid>_<table oid>_<attnum>_not_null.
    for (const RelInfo& r : rels) {
      if (r.kind != 'r') continue;
      for (size_t k = 0; k < r.cols.size(); k++) {
        if (!r.cols[k].not_null) continue;
        Row(t)("constraint_catalog", db)("constraint_schema", Name("public"))(
            "constraint_name", Name(fmt::format("{}_{}_{}_not_null", kPublicNamespaceOid, r.oid, k + 1)))(
            "table_catalog", db)("table_schema", Name("public"))("table_name", Name(r.name))(
            "constraint_type", Text("CHECK"))("is_deferrable", Text("NO"))("initially_deferred", Text("NO"))(
            "enforced", Text("YES"))
            .Add();
      }
    }
  }
  // views (Laminar has no plain views) and key_column_usage (no keys) are empty.
}


}  // namespace

int VTable::Find(std::string_view col) const {
  for (size_t k = 0; k < cols.size(); k++)
    if (cols[k].name == col) return int(k);
  return -1;
}

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
  // The engine's oid of each relation (serving/system_tables.h), so both answer alike.
  std::map<std::string, const sql::SessionRelation*> engine;
  std::vector<sql::SessionRelation> engine_rels = serving::SessionRelations(snap);
  for (const auto& r : engine_rels) engine[r.name] = &r;
  for (RelInfo& r : rels) {
    r.oid = uint32_t(engine[r.name]->oid);
    r.view_select = engine[r.name]->view_select;
  }
  return rels;
}

bool IsVirtualTable(std::string_view schema, std::string_view name) { return SpecOf(schema, name) != nullptr; }

std::unique_ptr<VTable> BuildTable(std::string_view schema, std::string_view name, const std::vector<RelInfo>& rels,
                                   const CatalogContext& ctx) {
  const std::string* spec = SpecOf(schema, name);
  if (!spec) std::abort();  // REQUIRES: IsVirtualTable
  auto t = EmptyTable(name, *spec);
  if (schema == "information_schema") {
    FillInfoSchema(t.get(), rels, ctx);
  } else {
    FillTable(t.get(), rels, ctx);
  }
  return t;
}

std::optional<uint32_t> SystemRelationOid(std::string_view name) {
  for (const auto& r : sql::pg::SystemRelations())
    if (name == r.name) return uint32_t(r.oid);
  return std::nullopt;
}

const char* SystemRelationName(uint32_t oid) {
  for (const auto& r : sql::pg::SystemRelations())
    if (oid == r.oid) return r.name;
  return nullptr;
}

}  // namespace laminar::pgwire::pgcat
