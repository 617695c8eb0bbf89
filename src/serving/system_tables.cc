// The engine's system tables and catalog views (serving/system_tables.h).
#include "serving/system_tables.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "ingest/row_batch.h"
#include "ingest/row_batch_chunk.h"
#include "sql/ast.h"
#include "sql/parser.h"
#include "sql/pg_types.h"
#include "sql/transformer.h"

namespace laminar::serving {

namespace {

using execution::TableColumn;
using execution::TableInfo;

uint32_t NameHash(std::string_view name) {
  uint32_t h = 2166136261u;
  for (char c : name) {
    h ^= static_cast<uint8_t>(c);
    h *= 16777619u;
  }
  return h;
}

// The SELECT of a view's CREATE statement, as SQL (pg_get_viewdef, pg_matviews.definition).
std::string ViewSelect(const views::ViewDef& v) {
  auto stmts = sql::Parse(v.sql);
  if (!stmts.ok() || stmts->size() != 1) return v.sql;
  const nlohmann::json& node = (*stmts)[0].node;
  if (!node.contains("CreateTableAsStmt") || !node["CreateTableAsStmt"].contains("query")) return v.sql;
  const nlohmann::json& q = node["CreateTableAsStmt"]["query"];
  if (!q.contains("SelectStmt")) return v.sql;
  auto select = sql::TransformSelect(q["SelectStmt"]);
  if (!select.ok()) return v.sql;
  return " " + sql::ast::ToSql(**select) + ";";
}

struct SystemTableDef {
  const char* name;
  std::vector<TableColumn> columns;
};

const std::vector<SystemTableDef>& SystemTableDefs() {
  static const std::vector<SystemTableDef> kDefs = {
      {"relations",
       {{"oid", Type::kInt64}, {"name", Type::kText}, {"kind", Type::kText}, {"definition", Type::kText},
        {"columns", Type::kInt64}}},
      {"columns",
       {{"relation_oid", Type::kInt64}, {"relation", Type::kText}, {"position", Type::kInt64}, {"name", Type::kText},
        {"type", Type::kText}, {"type_oid", Type::kInt64}, {"not_null", Type::kBool}}},
      {"types",
       {{"oid", Type::kInt64}, {"name", Type::kText}, {"formatted", Type::kText}, {"len", Type::kInt64},
        {"byval", Type::kBool}, {"align", Type::kText}, {"storage", Type::kText}, {"category", Type::kText},
        {"preferred", Type::kBool}, {"array_oid", Type::kInt64}, {"elem", Type::kInt64}, {"collation", Type::kInt64},
        {"typtype", Type::kText}, {"input", Type::kInt64}, {"output", Type::kInt64}}},
      {"namespaces", {{"oid", Type::kInt64}, {"name", Type::kText}}},
      {"settings", {{"name", Type::kText}, {"value", Type::kText}}},
      {"subscriptions",
       {{"name", Type::kText}, {"stream", Type::kText}, {"kind", Type::kText}, {"topic", Type::kText},
        {"state", Type::kText}, {"enabled", Type::kBool}, {"partition", Type::kText}, {"position", Type::kText},
        {"high_watermark", Type::kInt64}, {"lag", Type::kInt64}, {"events", Type::kInt64},
        {"bad_messages", Type::kInt64}, {"events_per_second", Type::kDouble}, {"last_error", Type::kText}}},
  };
  return kDefs;
}

// The parsed catalog views by "schema.name".
const std::map<std::string, std::shared_ptr<const sql::ast::SelectStmt>>& CatalogViews() {
  static const auto* kViews = [] {
    auto* m = new std::map<std::string, std::shared_ptr<const sql::ast::SelectStmt>>();
    for (const auto& v : internal::CatalogViewTexts()) {
      auto stmts = sql::Parse(v.sql);
      if (!stmts.ok() || stmts->size() != 1) std::abort();  // a programming error in catalog_views.cc
      auto select = sql::TransformStatement((*stmts)[0]);
      if (!select.ok()) std::abort();
      (*m)[std::string(v.schema) + "." + v.name] = std::shared_ptr<const sql::ast::SelectStmt>(std::move(*select));
    }
    return m;
  }();
  return *kViews;
}

std::string Char(char c) { return c ? std::string(1, c) : std::string(); }

}  // namespace

std::vector<sql::SessionRelation> SessionRelations(const catalog::Snapshot& snap) {
  std::vector<sql::SessionRelation> rels;
  for (const auto& [name, s] : snap.streams) rels.push_back({0, name, ""});
  for (const auto& [name, s] : snap.dimensions) rels.push_back({0, name, ""});
  for (const auto& [name, v] : snap.views) rels.push_back({0, name, ViewSelect(*v)});
  std::stable_sort(rels.begin(), rels.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  constexpr int64_t kSpan = int64_t{0x80000000} - sql::pg::kFirstRelationOid;
  std::set<int64_t> used;
  for (auto& r : rels) {
    int64_t oid = sql::pg::kFirstRelationOid + int64_t{NameHash(r.name)} % kSpan;
    while (used.count(oid)) oid = oid + 1 >= int64_t{0x80000000} ? sql::pg::kFirstRelationOid : oid + 1;
    used.insert(oid);
    r.oid = oid;
  }
  return rels;
}

std::optional<Result<TableInfo>> DescribeSystemRelation(const std::string& schema, const std::string& name) {
  if (schema == "laminar") {
    for (const auto& d : SystemTableDefs()) {
      if (name != d.name) continue;
      TableInfo t;
      t.kind = execution::TableKind::kSystem;
      t.schema = schema;
      t.name = name;
      t.columns = d.columns;
      t.estimated_rows = 100;
      return Result<TableInfo>(std::move(t));
    }
    return Result<TableInfo>(NotFound(ErrorCode::kUndefinedTable, "relation \"laminar.{}\" does not exist", name));
  }
  std::string s = schema.empty() ? "pg_catalog" : schema;
  if (s != "pg_catalog" && s != "information_schema") return std::nullopt;
  auto it = CatalogViews().find(s + "." + name);
  if (it == CatalogViews().end()) {
    if (schema.empty()) return std::nullopt;
    return Result<TableInfo>(Unimplemented(ErrorCode::kFeatureNotSupported, "{}.{} is not supported by Laminar", s, name));
  }
  TableInfo t;
  t.kind = execution::TableKind::kSystem;
  t.schema = s;
  t.name = name;
  t.definition = it->second;
  return Result<TableInfo>(std::move(t));
}

Status ScanSystemTable(const TableInfo& table, const catalog::Snapshot& snap,
                       const std::vector<sql::SessionRelation>& rels, const sql::Session& session,
                       const RelationProvider& live, const execution::ScanRequest& request, const execution::ScanChunkFn& fn,
                       execution::ScanStats* stats) {
  ingest::StreamSchema schema;
  for (const auto& c : table.columns) schema.columns.push_back({c.name, c.type, false});
  ingest::RowBatch batch(schema);
  const std::string& n = table.name;
  if (n == "relations" || n == "columns") {
    for (const auto& r : rels) {
      std::vector<std::pair<std::string, std::pair<Type, bool>>> cols;
      std::string kind;
      if (auto it = snap.streams.find(r.name); it != snap.streams.end()) {
        kind = "stream";
        for (const auto& c : it->second->columns) cols.push_back({c.name, {c.type, c.not_null}});
      } else if (auto d = snap.dimensions.find(r.name); d != snap.dimensions.end()) {
        kind = "dimension table";
        for (const auto& c : d->second->columns) cols.push_back({c.name, {c.type, c.not_null}});
      } else if (auto v = snap.views.find(r.name); v != snap.views.end()) {
        kind = "view";
        for (const auto& c : v->second->columns) cols.push_back({v->second->ColumnName(c), {v->second->ColumnType(c), false}});
      }
      if (n == "relations") {
        batch.AppendRow({Value::Int(r.oid), Value::Text(r.name), Value::Text(kind),
                         r.view_select.empty() ? Value::Null() : Value::Text(r.view_select),
                         Value::Int(static_cast<int64_t>(cols.size()))});
        continue;
      }
      for (size_t k = 0; k < cols.size(); k++) {
        Type t = cols[k].second.first;
        batch.AppendRow({Value::Int(r.oid), Value::Text(r.name), Value::Int(static_cast<int64_t>(k) + 1),
                         Value::Text(cols[k].first), Value::Text(TypeName(t)), Value::Int(sql::pg::TypeOid(t)),
                         Value::Bool(cols[k].second.second)});
      }
    }
  } else if (n == "types") {
    for (const auto& t : sql::pg::Types())
      batch.AppendRow({Value::Int(t.oid), Value::Text(t.typname), Value::Text(t.formatted), Value::Int(t.len),
                       Value::Bool(t.byval), Value::Text(Char(t.align)), Value::Text(Char(t.storage)),
                       Value::Text(Char(t.category)), Value::Bool(t.preferred), Value::Int(t.array_oid), Value::Int(t.elem),
                       Value::Int(t.collation), Value::Text(Char(t.typtype)),
                       Value::Int(sql::pg::ProcOid(t.input).value_or(0)), Value::Int(sql::pg::ProcOid(t.output).value_or(0))});
  } else if (n == "namespaces") {
    for (const auto& [oid, name] : sql::pg::Namespaces()) batch.AppendRow({Value::Int(oid), Value::Text(name)});
  } else if (n == "settings") {
    for (const auto& [name, value] : session.settings) batch.AppendRow({Value::Text(name), Value::Text(value)});
  } else if (n == "subscriptions") {
    for (const auto& row : live.LiveRows(n)) {
      if (row.size() != table.columns.size()) return Internal("laminar.{}: a row of {} values", n, row.size());
      batch.AppendRow(row);
    }
  } else {
    return Internal("no system table {}", n);
  }
  if (stats) stats->other_rows += batch.num_rows();
  std::vector<int> identity(table.columns.size());
  for (size_t i = 0; i < identity.size(); i++) identity[i] = static_cast<int>(i);
  columnar::Chunk chunk = ingest::ChunkOfBatch(batch, request.columns, identity);
  bool stop = false;
  return fn(chunk, &stop);
}

}  // namespace laminar::serving
