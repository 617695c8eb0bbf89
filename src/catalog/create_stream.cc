// CREATE TABLE → StreamSchema (a stream or a dimension table), and the name rules shared by every
// DDL statement.
#include <cctype>

#include "catalog/ddl.h"
#include "common/types.h"
#include "sql/transformer.h"

namespace laminar::catalog::internal {
namespace {

using json = nlohmann::json;

// Hive-style partition keys of the lake (DESIGN.md, "Lake commit"): a stream column with one of these
// names would be silently replaced by the partition value in Spark, Trino, Athena and DuckDB.
constexpr const char* kPartitionKeys[] = {"event_date", "event_hour"};

Result<Type> ColumnType(const std::string& column, const sql::ast::TypeName& type_name) {
  const std::string& name = type_name.name();
  if (type_name.array_bounds > 0) return Unimplemented("column \"{}\": array types are not supported", column);
  if (type_name.setof) return Unimplemented("column \"{}\": SETOF is not supported", column);
  auto t = TypeFromSqlName(name);
  if (t == Type::kDate)
    return Unimplemented(ErrorCode::kFeatureNotSupported,
                         "column \"{}\": type date is not supported for a stream column (use timestamptz; date is "
                         "for queries: ts::date, date '2024-01-08')",
                         column);
  if (!t)
    return InvalidArgument(
        "column \"{}\": type \"{}\" is not supported (use boolean, bigint, double precision, text or "
        "timestamptz)",
        column, name);
  return *t;
}

// WITH (event_time = 'col') or WITH (event_time = col); also WITH (kind = 'dimension') and
// WITH (partition = 'hour' | 'day' | 'month').
Result<std::string> OptionText(const sql::ast::DdlOption& o) {
  using Arg = sql::ast::DdlOption::Arg;
  if ((o.arg == Arg::kString || o.arg == Arg::kWord) && !o.value->empty()) return *o.value;
  return InvalidArgument("option {} needs a column name, e.g. {} = 'ts'", o.name, o.name);
}

}  // namespace

Status CheckObjectName(const std::string& name, const char* what) {
  bool ok = !name.empty() && name.size() <= 63 &&
            (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '_'))
      ok = false;
  if (!ok)
    return InvalidArgument(
        "invalid {} name \"{}\": use lower-case letters, digits and underscores, starting with a "
        "letter or underscore (at most 63)",
        what, name);
  return Status::OK();
}

Result<std::string> RelationName(const sql::ast::RangeName& rv) {
  if (!rv.catalog.empty())
    return Unimplemented("cross-database references are not supported: {}.{}.{}", rv.catalog, rv.schema, rv.name);
  if (!rv.schema.empty() && rv.schema != "public")
    return InvalidArgument(ErrorCode::kInvalidSchemaName,
                           "schema \"{}\" does not exist (Laminar has only the public schema)", rv.schema);
  if (rv.persistence == sql::ast::RangeName::Persistence::kTemporary)
    return Unimplemented("temporary tables are not supported: {}", rv.name);
  if (rv.persistence == sql::ast::RangeName::Persistence::kUnlogged) return Unimplemented("UNLOGGED is not supported: {}", rv.name);
  return rv.name;
}

Result<std::string> RelationName(const json& range_var) {
  ASSIGN_OR_RETURN(sql::ast::RangeName rv, sql::TransformRangeVar(range_var));
  return RelationName(rv);
}

Result<std::string> DropObjectName(const std::vector<std::string>& names) {
  if (names.empty() || names.size() > 2) {
    std::string shown;
    for (const auto& n : names) shown += (shown.empty() ? "" : ".") + n;
    return InvalidArgument("improper relation name: {}", shown);
  }
  if (names.size() == 2 && names[0] != "public")
    return InvalidArgument(ErrorCode::kInvalidSchemaName,
                           "schema \"{}\" does not exist (Laminar has only the public schema)", names[0]);
  return names.back();
}

Result<TableDef> BuildTable(const sql::ast::CreateTable& cs) {
  // WITH options first: the kind decides the rules for the rest.
  std::string event_time, kind = "stream", partition = "hour";
  bool event_time_given = false, kind_given = false, partition_given = false;
  for (const auto& opt : cs.options) {
    const std::string& name = opt.name;
    if (!opt.name_space.empty() || (name != "event_time" && name != "kind" && name != "partition"))
      return InvalidArgument(ErrorCode::kInvalidParameterValue,
          "unrecognized parameter \"{}\" (CREATE TABLE knows WITH (event_time = 'col'), WITH (kind = "
          "'stream' | 'dimension') and WITH (partition = 'hour' | 'day' | 'month'))",
          !opt.name_space.empty() ? opt.name_space + "." + name : name);
    bool& given = name == "kind" ? kind_given : name == "partition" ? partition_given : event_time_given;
    if (given) return InvalidArgument("parameter \"{}\" specified more than once", name);
    given = true;
    if (name == "partition") {
      auto p = OptionText(opt);
      if (!p.ok()) return InvalidArgument("option partition needs a value: WITH (partition = 'hour' | 'day' | 'month')");
      partition = *p;
      for (char& c : partition) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (name == "kind") {
      auto k = OptionText(opt);
      if (!k.ok()) return InvalidArgument("option kind needs a value: WITH (kind = 'stream') or WITH (kind = 'dimension')");
      kind = *k;
      for (char& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      ASSIGN_OR_RETURN(event_time, OptionText(opt));
    }
  }
  if (kind != "stream" && kind != "dimension")
    return InvalidArgument("unknown table kind \"{}\" (WITH (kind = 'stream') or WITH (kind = 'dimension'))", kind);
  if (partition != "hour" && partition != "day" && partition != "month")
    return InvalidArgument(ErrorCode::kInvalidParameterValue,
                           "unknown lake partition \"{}\" (WITH (partition = 'hour' | 'day' | 'month'))", partition);
  TableDef def;
  def.dimension = kind == "dimension";
  auto schema = std::make_shared<ingest::StreamSchema>();
  def.schema = schema;
  ASSIGN_OR_RETURN(schema->name, RelationName(cs.relation));
  RETURN_IF_ERROR(CheckObjectName(schema->name, def.dimension ? "table" : "stream"));
  if (def.dimension && event_time_given)
    return InvalidArgument(
        "dimension table \"{}\" has no event-time column: remove WITH (event_time = ...) (only streams have one)",
        schema->name);
  if (def.dimension && partition_given)
    return InvalidArgument(
        "dimension table \"{}\" is not in the lake: remove WITH (partition = ...) (only streams have partitions)",
        schema->name);
  schema->partition = partition == "day" ? TimeUnit::kDay : partition == "month" ? TimeUnit::kMonth : TimeUnit::kHour;
  for (const std::string& clause : cs.other_clauses) {
    if (clause == "(LIKE ...)") return Unimplemented("CREATE TABLE ... (LIKE ...) is not supported");
    return Unimplemented("CREATE TABLE ... {} is not supported", clause);
  }
  if (!cs.table_constraints.empty())
    return Unimplemented("table constraint {} is not supported (only NOT NULL on a column)", cs.table_constraints[0]);

  for (const sql::ast::ColumnDef& cd : cs.columns) {
    ingest::ColumnDef col;
    col.name = cd.name;
    if (col.name.empty() || col.name.size() > 63)
      return InvalidArgument("invalid column name \"{}\"", col.name);
    for (char c : col.name)
      if (static_cast<unsigned char>(c) < 0x20)
        return InvalidArgument("invalid column name \"{}\": control characters", col.name);
    for (const char* key : kPartitionKeys)
      if (col.name == key && !def.dimension)  // dimension tables are not in the partitioned lake
        return InvalidArgument("column name \"{}\" is reserved: it is a partition key of the lake", col.name);
    if (col.name == "event_month" && schema->partition == TimeUnit::kMonth)
      return InvalidArgument("column name \"event_month\" is reserved: it is the partition key of a lake "
                             "partitioned by month");
    if (schema->FindColumn(col.name) >= 0)
      return InvalidArgument(ErrorCode::kDuplicateColumn, "column \"{}\" specified more than once", col.name);
    ASSIGN_OR_RETURN(col.type, ColumnType(col.name, cd.type));
    if (cd.collate) return Unimplemented("column \"{}\": COLLATE is not supported", col.name);
    if (cd.has_default) return Unimplemented("column \"{}\": DEFAULT is not supported", col.name);
    if (!cd.other_constraints.empty())
      return Unimplemented("column \"{}\": constraint {} is not supported (only NOT NULL)", col.name, cd.other_constraints[0]);
    if (cd.null && cd.not_null)
      return InvalidArgument("conflicting NULL/NOT NULL declarations for column \"{}\"", col.name);
    col.not_null = cd.not_null;
    schema->columns.push_back(std::move(col));
  }
  if (schema->columns.empty())
    return InvalidArgument("{} \"{}\" has no columns", def.dimension ? "table" : "stream", schema->name);
  if (def.dimension) return def;  // event_time_index stays -1

  if (event_time_given) {
    int idx = schema->FindColumn(event_time);
    if (idx < 0)
      return InvalidArgument(ErrorCode::kUndefinedColumn, "event_time column \"{}\" does not exist", event_time);
    const ingest::ColumnDef& c = schema->columns[idx];
    if (c.type != Type::kTimestamp || !c.not_null)
      return InvalidArgument("event_time column \"{}\" must be timestamptz NOT NULL, not {}{}", event_time,
                             TypeName(c.type), c.not_null ? " NOT NULL" : "");
    schema->event_time_index = idx;
  } else {
    for (size_t i = 0; i < schema->columns.size(); i++) {
      if (schema->columns[i].type == Type::kTimestamp && schema->columns[i].not_null) {
        schema->event_time_index = static_cast<int>(i);
        break;
      }
    }
    if (schema->event_time_index < 0)
      return InvalidArgument(
          "stream \"{}\" has no event-time column: add a timestamptz NOT NULL column, or name one with "
          "WITH (event_time = 'col')",
          schema->name);
  }
  return def;
}

Result<std::shared_ptr<ingest::StreamSchema>> BuildStream(const sql::ast::CreateTable& cs) {
  ASSIGN_OR_RETURN(TableDef def, BuildTable(cs));
  if (def.dimension)
    return InvalidArgument(ErrorCode::kWrongObjectType, "\"{}\" is a dimension table, not a stream", def.schema->name);
  return def.schema;
}

}  // namespace laminar::catalog::internal
