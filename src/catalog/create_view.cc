// CREATE MATERIALIZED VIEW ... AS SELECT → ViewDef: one stream in FROM, dimensions (columns or
// date_trunc of a column), aggregates whose states merge (count, sum, min, max, avg,
// approx_count_distinct, approx_percentile), a WHERE
// filter, and a GROUP BY that names exactly the selected dimensions.
#include <optional>

#include "catalog/ddl.h"
#include "sql/binder.h"
#include "views/sketch_sql.h"

namespace laminar::catalog::internal {
namespace {

using json = nlohmann::json;

Status NotInView(const std::string& what) {
  return Unimplemented("{} is not supported in a materialized view", what);
}

// Clauses a view's SELECT may not have.
Status CheckSelectShape(const json& s) {
  std::string op = s.value("op", "SETOP_NONE");
  if (op != "SETOP_NONE") return NotInView(op.substr(6));  // SETOP_UNION → UNION
  if (s.contains("valuesLists")) return NotInView("VALUES");
  if (s.contains("withClause")) return NotInView("WITH (common table expressions)");
  if (s.contains("intoClause")) return NotInView("SELECT INTO");
  if (s.contains("distinctClause")) {
    bool on = false;
    for (const auto& d : s["distinctClause"])
      if (d.is_object() && !d.empty()) on = true;
    return NotInView(on ? "DISTINCT ON" : "DISTINCT");
  }
  if (s.contains("havingClause")) return NotInView("HAVING (filter when querying the view)");
  if (s.contains("sortClause")) return NotInView("ORDER BY (order when querying the view)");
  if (s.contains("limitCount")) return NotInView("LIMIT");
  if (s.contains("limitOffset")) return NotInView("OFFSET");
  if (s.contains("windowClause")) return NotInView("WINDOW");
  if (s.contains("lockingClause")) return NotInView("FOR UPDATE/SHARE");
  if (s.value("groupDistinct", false)) return NotInView("GROUP BY DISTINCT");
  return Status::OK();
}

// The one stream in FROM.
Result<ingest::StreamSchema const*> FromStream(const json& s, const Snapshot& snap, const std::string& view) {
  const json& from = sql::Field(s, "fromClause");
  if (from.empty()) return InvalidArgument("materialized view \"{}\" must read FROM one stream", view);
  for (const auto& item : from) {
    if (item.contains("JoinExpr"))
      return Unimplemented("JOIN is not supported in a materialized view: FROM must name exactly one stream");
    if (item.contains("RangeSubselect"))
      return Unimplemented(
          "subqueries in FROM are not supported in a materialized view: FROM must name "
          "exactly one stream");
    if (item.contains("RangeFunction"))
      return Unimplemented(
          "functions in FROM are not supported in a materialized view: FROM must name "
          "exactly one stream");
    if (!item.contains("RangeVar"))
      return Unimplemented("unsupported FROM item in a materialized view: {}", item.begin().key());
  }
  if (from.size() > 1)
    return Unimplemented("joins are not supported in a materialized view: FROM must name exactly one stream");
  ASSIGN_OR_RETURN(std::string name, RelationName(from[0]["RangeVar"]));
  if (snap.views.count(name))
    return InvalidArgument(ErrorCode::kWrongObjectType,
                           "\"{}\" is a materialized view: a materialized view must read a stream", name);
  if (snap.dimensions.count(name))
    return InvalidArgument(ErrorCode::kWrongObjectType,
                           "\"{}\" is a dimension table; materialized views read streams", name);
  auto it = snap.streams.find(name);
  if (it == snap.streams.end()) return NotFound(ErrorCode::kUndefinedTable, "relation \"{}\" does not exist", name);
  return it->second.get();
}

struct AggName {
  const char* name;
  views::AggKind kind;
};
constexpr AggName kAggs[] = {{"count", views::AggKind::kCount},
                             {"sum", views::AggKind::kSum},
                             {"min", views::AggKind::kMin},
                             {"max", views::AggKind::kMax},
                             {"avg", views::AggKind::kAvg},
                             {"approx_count_distinct", views::AggKind::kApproxCountDistinct},
                             {"approx_percentile", views::AggKind::kApproxPercentile}};

// The function name of a FuncCall if it is an aggregate (supported or not), else "".
std::string AggregateName(const json& fc) {
  const json& names = sql::Field(fc, "funcname");
  if (names.empty() || names.size() > 2) return "";
  if (names.size() == 2 && sql::StringValue(names[0]) != "pg_catalog") return "";
  std::string name = sql::StringValue(names.back());
  return sql::IsAggregateName(name) ? name : "";
}

Result<views::MeasureDef> BuildMeasure(const std::string& name, const json& fc, const sql::Scope& scope) {
  std::optional<views::AggKind> kind;
  for (const auto& a : kAggs)
    if (name == a.name) kind = a.kind;
  if (!kind)
    return Unimplemented(
        "unsupported aggregate function: {} (a materialized view supports count, sum, "
        "min, max, avg, approx_count_distinct and approx_percentile)",
        name);
  if (fc.value("agg_distinct", false)) return NotInView(name + "(DISTINCT ...)");
  if (fc.contains("agg_filter")) return NotInView(name + "(...) FILTER");
  if (fc.contains("agg_order")) return NotInView("ORDER BY inside " + name + "(...)");
  if (fc.value("agg_within_group", false)) return NotInView(name + "(...) WITHIN GROUP");
  if (fc.value("func_variadic", false)) return NotInView("VARIADIC");

  views::MeasureDef m;
  m.name = name;
  const json& args = sql::Field(fc, "args");
  if (fc.value("agg_star", false)) {
    if (*kind != views::AggKind::kCount) return InvalidArgument("{}(*) is not valid: only count(*) is", name);
    m.kind = views::AggKind::kCountStar;
    m.column = -1;
    m.input_type = Type::kInt64;
    m.output_type = Type::kInt64;
    return m;
  }
  if (*kind == views::AggKind::kApproxPercentile) {
    if (args.size() != 2)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "function approx_percentile takes two arguments (a column and a quantile q), got {}",
                             args.size());
    bool is_array = false;
    ASSIGN_OR_RETURN(std::vector<double> qs, views::BindQuantiles(args[1], name, &is_array));
    if (is_array)
      return Unimplemented("a view measure {}(col, ARRAY[...]) is not supported: define {}(col, q) and query "
                           "the view with {}(measure, ARRAY[...]) to get several quantiles from its sketch",
                           name, name, name);
    m.quantile = qs.front();
  } else if (args.size() != 1) {
    return InvalidArgument(ErrorCode::kUndefinedFunction, "function {} takes one argument, got {}", name, args.size());
  }
  ASSIGN_OR_RETURN(sql::ExprPtr arg, sql::BindExpr(args[0], scope));
  if (arg->kind != sql::ExprKind::kColumn)
    return Unimplemented("the argument of {} in a materialized view must be a stream column, not {}", name,
                         arg->ToString());
  m.kind = *kind;
  m.column = arg->column;
  m.input_type = arg->type;
  switch (*kind) {
    case views::AggKind::kCount:
    case views::AggKind::kCountStar:
      m.output_type = Type::kInt64;
      break;
    case views::AggKind::kSum:
    case views::AggKind::kAvg:
      if (m.input_type != Type::kInt64 && m.input_type != Type::kDouble)
        return InvalidArgument(ErrorCode::kUndefinedFunction,
                               "function {}({}) does not exist: {} needs a bigint or double precision column",
                               name, TypeName(m.input_type), name);
      m.output_type = *kind == views::AggKind::kAvg ? Type::kDouble : m.input_type;
      break;
    case views::AggKind::kMin:
    case views::AggKind::kMax:
      m.output_type = m.input_type;
      break;
    case views::AggKind::kApproxCountDistinct:
      m.output_type = Type::kInt64;
      break;
    case views::AggKind::kApproxPercentile:
      if (m.input_type != Type::kInt64 && m.input_type != Type::kDouble)
        return InvalidArgument(ErrorCode::kUndefinedFunction,
            "function approx_percentile({}, double precision) does not exist: approx_percentile needs a "
            "bigint or double precision column",
            TypeName(m.input_type));
      m.output_type = Type::kDouble;
      break;
  }
  return m;
}

Result<views::DimensionDef> BuildDimension(const json& val, const sql::Scope& scope) {
  ASSIGN_OR_RETURN(sql::ExprPtr e, sql::BindExpr(val, scope));
  views::DimensionDef d;
  d.expr = e;
  d.type = e->type;
  if (e->kind == sql::ExprKind::kColumn) {
    d.name = e->column_name;
  } else if (e->kind == sql::ExprKind::kDateTrunc && e->children[0]->kind == sql::ExprKind::kColumn) {
    d.name = "date_trunc";
    d.time_unit = e->unit;
  } else {
    return Unimplemented(
        "a materialized view's dimension must be a column or date_trunc('unit', column), "
        "not {}",
        e->ToString());
  }
  d.is_time = d.type == Type::kTimestamp;
  return d;
}

// Marks the dimensions a GROUP BY item names. PostgreSQL's rules: an integer constant is a
// position in the SELECT list; a bare name is a stream column if there is one, else an output
// alias; anything else is an expression matched against the dimensions' expressions.
Status ResolveGroupItem(const json& item, const views::ViewDef& v, const sql::Scope& scope,
                        std::vector<bool>* grouped) {
  if (item.contains("GroupingSet")) return NotInView("GROUPING SETS, ROLLUP and CUBE");
  auto mark = [&](const views::OutputColumn& c) -> Status {
    if (!c.is_dimension)
      return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in GROUP BY");
    (*grouped)[c.index] = true;
    return Status::OK();
  };
  if (item.contains("A_Const")) {
    const json& c = item["A_Const"];
    if (!c.contains("ival")) return InvalidArgument("non-integer constant in GROUP BY");
    int64_t pos = c["ival"].value("ival", int64_t{0});
    if (pos < 1 || pos > static_cast<int64_t>(v.columns.size()))
      return InvalidArgument(ErrorCode::kInvalidColumnReference, "GROUP BY position {} is not in select list", pos);
    return mark(v.columns[pos - 1]);
  }
  std::string name = sql::ColumnRefName(item);
  bool bare = !name.empty() && sql::Field(item["ColumnRef"], "fields").size() == 1;
  if (bare && scope.Find(name) < 0) {
    for (const auto& c : v.columns)
      if (v.ColumnName(c) == name) return mark(c);
  }
  ASSIGN_OR_RETURN(sql::ExprPtr e, sql::BindExpr(item, scope));
  std::string text = e->ToString();
  const std::string key = e->Key();  // structural identity, never the display text
  bool found = false;
  for (size_t i = 0; i < v.dims.size(); i++) {
    if (v.dims[i].expr->Key() == key) {
      (*grouped)[i] = true;
      found = true;
    }
  }
  if (!found) {
    std::string hint;
    for (const auto& c : v.columns)
      if (bare && v.ColumnName(c) == name)
        hint = fmt::format(
            " (as in PostgreSQL, \"{}\" in GROUP BY names the stream column before the "
            "output column; group by position instead)",
            name);
    return InvalidArgument(
        "GROUP BY item {} is not in the select list: a materialized view groups by "
        "exactly its selected dimensions{}",
        text, hint);
  }
  return Status::OK();
}

}  // namespace

namespace {
// True when the expression reads the wall clock (its value would be fixed when bound).
bool ReadsClock(const nlohmann::json& node) {
  return sql::AnyNode(node, [](const nlohmann::json& n) {
    if (n.contains("SQLValueFunction")) return true;
    std::string fn = sql::FuncName(sql::Field(n, "FuncCall"));
    return fn == "now" || fn == "transaction_timestamp" || fn == "statement_timestamp" || fn == "clock_timestamp";
  });
}
}  // namespace

Result<std::shared_ptr<views::ViewDef>> BuildView(const sql::Statement& stmt, const Snapshot& snap) {
  const json& ctas = stmt.node["CreateTableAsStmt"];
  const json& into = sql::Field(ctas, "into");
  auto v = std::make_shared<views::ViewDef>();
  ASSIGN_OR_RETURN(v->name, RelationName(sql::Field(into, "rel")));
  RETURN_IF_ERROR(CheckObjectName(v->name, "view"));
  v->sql = stmt.text;
  if (into.value("skipData", false)) return NotInView("WITH NO DATA");
  if (into.contains("options")) {
    const json& de = sql::Field(into["options"][0], "DefElem");
    return InvalidArgument(ErrorCode::kInvalidParameterValue, "unrecognized parameter \"{}\"", de.value("defname", ""));
  }
  if (into.contains("tableSpaceName")) return NotInView("TABLESPACE");
  if (into.contains("accessMethod")) return NotInView("USING");
  const json& query = sql::Field(ctas, "query");
  if (!query.contains("SelectStmt")) return Unimplemented("a materialized view must be defined by a SELECT");
  const json& s = query["SelectStmt"];
  RETURN_IF_ERROR(CheckSelectShape(s));

  ASSIGN_OR_RETURN(const ingest::StreamSchema* stream, FromStream(s, snap, v->name));
  v->stream = stream->name;
  sql::Scope scope;
  scope.relation = stream->name;
  for (const auto& c : stream->columns) scope.columns.push_back({c.name, c.type});

  for (const auto& target : sql::Field(s, "targetList")) {
    const json& rt = sql::Field(target, "ResTarget");
    const json& val = sql::Field(rt, "val");
    std::string alias = rt.value("name", "");
    if (val.contains("ColumnRef")) {
      for (const auto& f : sql::Field(val["ColumnRef"], "fields"))
        if (f.contains("A_Star"))
          return Unimplemented(
              "SELECT * is not supported in a materialized view: list its dimensions and "
              "aggregates");
    }
    if (val.contains("FuncCall")) {
      const json& fc = val["FuncCall"];
      std::string agg = AggregateName(fc);
      if (fc.contains("over"))
        return Unimplemented("window functions are not supported in a materialized view: {}",
                             sql::NameList(sql::Field(fc, "funcname")));
      if (!agg.empty()) {
        ASSIGN_OR_RETURN(views::MeasureDef m, BuildMeasure(agg, fc, scope));
        if (!alias.empty()) m.name = alias;
        v->columns.push_back({false, static_cast<int>(v->measures.size())});
        v->measures.push_back(std::move(m));
        continue;
      }
    }
    ASSIGN_OR_RETURN(views::DimensionDef d, BuildDimension(val, scope));
    if (!alias.empty()) d.name = alias;
    v->columns.push_back({true, static_cast<int>(v->dims.size())});
    v->dims.push_back(std::move(d));
  }
  if (v->columns.empty()) return InvalidArgument("materialized view \"{}\" selects no columns", v->name);

  // CREATE MATERIALIZED VIEW v (a, b) AS ... renames the first output columns.
  const json& col_names = sql::Field(into, "colNames");
  if (col_names.size() > v->columns.size()) return InvalidArgument("too many column names were specified");
  for (size_t i = 0; i < col_names.size(); i++) {
    const views::OutputColumn& c = v->columns[i];
    std::string n = sql::StringValue(col_names[i]);
    if (c.is_dimension) {
      v->dims[c.index].name = n;
    } else {
      v->measures[c.index].name = n;
    }
  }
  for (size_t i = 0; i < v->columns.size(); i++) {
    const std::string& n = v->ColumnName(v->columns[i]);
    if (n.empty())
      return InvalidArgument("an output column of materialized view \"{}\" has an empty name", v->name);
    for (size_t j = 0; j < i; j++)
      if (v->ColumnName(v->columns[j]) == n)
        return InvalidArgument(ErrorCode::kDuplicateColumn,
            "column \"{}\" specified more than once in materialized view \"{}\": give each "
            "output column its own name with AS",
            n, v->name);
  }

  std::vector<bool> grouped(v->dims.size(), false);
  for (const auto& item : sql::Field(s, "groupClause"))
    RETURN_IF_ERROR(ResolveGroupItem(item, *v, scope, &grouped));
  for (size_t i = 0; i < v->dims.size(); i++) {
    if (grouped[i]) continue;
    const sql::Expr& e = *v->dims[i].expr;
    if (e.kind == sql::ExprKind::kColumn)
      return InvalidArgument(ErrorCode::kGroupingError,
          "column \"{}\" must appear in the GROUP BY clause or be used in an aggregate "
          "function",
          e.column_name);
    return InvalidArgument(ErrorCode::kGroupingError,
                           "{} must appear in the GROUP BY clause or be used in an aggregate function",
                           e.ToString());
  }

  if (s.contains("whereClause")) {
    if (ReadsClock(s["whereClause"]))
      return InvalidArgument("a materialized view's WHERE cannot read the clock (now(), current_timestamp, ...): "
                             "it would be fixed at creation; filter by time when querying the view");
    ASSIGN_OR_RETURN(v->filter, sql::BindPredicate(s["whereClause"], scope));
  }
  return v;
}

}  // namespace laminar::catalog::internal
