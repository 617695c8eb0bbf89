// CREATE MATERIALIZED VIEW ... AS SELECT → ViewDef: one stream in FROM, dimensions (columns or
// date_trunc of a column), aggregates whose states merge (count, sum, min, max, avg,
// approx_count_distinct, approx_percentile), a WHERE
// filter, and a GROUP BY that names exactly the selected dimensions. Reads the statement's typed
// syntax tree (sql::TransformCreateMatView).
#include <optional>

#include "catalog/ddl.h"
#include "sql/binder.h"

namespace laminar::catalog::internal {
namespace {

namespace ast = sql::ast;

Status NotInView(const std::string& what) {
  return Unimplemented("{} is not supported in a materialized view", what);
}

// Clauses a view's SELECT may not have.
Status CheckSelectShape(const ast::SelectStmt& s) {
  switch (s.op) {
    case ast::SetOpKind::kUnion: return NotInView("UNION");
    case ast::SetOpKind::kIntersect: return NotInView("INTERSECT");
    case ast::SetOpKind::kExcept: return NotInView("EXCEPT");
    case ast::SetOpKind::kNone: break;
  }
  if (!s.values_lists.empty()) return NotInView("VALUES");
  if (!s.with.empty()) return NotInView("WITH (common table expressions)");
  if (!s.into.empty()) return NotInView("SELECT INTO");
  if (s.distinct) return NotInView(s.distinct_on.empty() ? "DISTINCT" : "DISTINCT ON");
  if (s.having) return NotInView("HAVING (filter when querying the view)");
  if (!s.order_by.empty()) return NotInView("ORDER BY (order when querying the view)");
  if (s.limit) return NotInView("LIMIT");
  if (s.offset) return NotInView("OFFSET");
  if (!s.windows.empty()) return NotInView("WINDOW");
  if (s.for_update) return NotInView("FOR UPDATE/SHARE");
  if (s.group_by_distinct) return NotInView("GROUP BY DISTINCT");
  return Status::OK();
}

// The one stream in FROM.
Result<ingest::StreamSchema const*> FromStream(const ast::SelectStmt& s, const Snapshot& snap, const std::string& view) {
  if (s.from.empty()) return InvalidArgument("materialized view \"{}\" must read FROM one stream", view);
  for (const auto& item : s.from) {
    switch (item->kind) {
      case ast::TableRefKind::kJoin:
        return Unimplemented("JOIN is not supported in a materialized view: FROM must name exactly one stream");
      case ast::TableRefKind::kSubquery:
      case ast::TableRefKind::kValues:
        return Unimplemented(
            "subqueries in FROM are not supported in a materialized view: FROM must name "
            "exactly one stream");
      case ast::TableRefKind::kFunction:
        return Unimplemented(
            "functions in FROM are not supported in a materialized view: FROM must name "
            "exactly one stream");
      case ast::TableRefKind::kBase: break;
    }
  }
  if (s.from.size() > 1)
    return Unimplemented("joins are not supported in a materialized view: FROM must name exactly one stream");
  ast::RangeName rel;
  rel.catalog = s.from[0]->catalog;
  rel.schema = s.from[0]->schema;
  rel.name = s.from[0]->name;
  ASSIGN_OR_RETURN(std::string name, RelationName(rel));
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

// The function name of a call if it is an aggregate (supported or not), else "".
std::string AggregateName(const ast::Expr& fc) {
  const auto& names = fc.func_name;
  if (names.empty() || names.size() > 2) return "";
  if (names.size() == 2 && names[0] != "pg_catalog") return "";
  return sql::IsAggregateName(names.back()) ? names.back() : "";
}

Result<views::MeasureDef> BuildMeasure(const std::string& name, const ast::Expr& fc, const sql::Scope& scope) {
  std::optional<views::AggKind> kind;
  for (const auto& a : kAggs)
    if (name == a.name) kind = a.kind;
  if (!kind)
    return Unimplemented(
        "unsupported aggregate function: {} (a materialized view supports count, sum, "
        "min, max, avg, approx_count_distinct and approx_percentile)",
        name);
  if (fc.agg_distinct) return NotInView(name + "(DISTINCT ...)");
  if (fc.agg_filter) return NotInView(name + "(...) FILTER");
  if (fc.agg_within_group) return NotInView(name + "(...) WITHIN GROUP");
  if (!fc.agg_order.empty()) return NotInView("ORDER BY inside " + name + "(...)");
  if (fc.func_variadic) return NotInView("VARIADIC");

  views::MeasureDef m;
  m.name = name;
  const auto& args = fc.args;
  if (fc.agg_star) {
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
    ASSIGN_OR_RETURN(std::vector<double> qs, sql::BindQuantiles(*args[1], name, &is_array));
    if (is_array)
      return Unimplemented("a view measure {}(col, ARRAY[...]) is not supported: define {}(col, q) and query "
                           "the view with {}(measure, ARRAY[...]) to get several quantiles from its sketch",
                           name, name, name);
    m.quantile = qs.front();
  } else if (args.size() != 1) {
    return InvalidArgument(ErrorCode::kUndefinedFunction, "function {} takes one argument, got {}", name, args.size());
  }
  ASSIGN_OR_RETURN(sql::ExprPtr arg, sql::BindExpr(*args[0], scope));
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

Result<views::DimensionDef> BuildDimension(const ast::Expr& val, const sql::Scope& scope) {
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
Status ResolveGroupExpr(const ast::Expr& item, const views::ViewDef& v, const sql::Scope& scope,
                        std::vector<bool>* grouped) {
  auto mark = [&](const views::OutputColumn& c) -> Status {
    if (!c.is_dimension)
      return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in GROUP BY");
    (*grouped)[c.index] = true;
    return Status::OK();
  };
  if (item.kind == ast::ExprKind::kConstant && !item.is_string) {
    if (item.value.is_null() || item.value.type() != Type::kInt64) return InvalidArgument("non-integer constant in GROUP BY");
    int64_t pos = item.value.as_int();
    if (pos < 1 || pos > static_cast<int64_t>(v.columns.size()))
      return InvalidArgument(ErrorCode::kInvalidColumnReference, "GROUP BY position {} is not in select list", pos);
    return mark(v.columns[pos - 1]);
  }
  std::string name = sql::ColumnRefName(item);
  bool bare = !name.empty() && item.names.size() == 1;
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

Status ResolveGroupItem(const ast::GroupingElement& item, const views::ViewDef& v, const sql::Scope& scope,
                        std::vector<bool>* grouped) {
  switch (item.kind) {
    case ast::GroupingKind::kExpr: return ResolveGroupExpr(*item.expr, v, scope, grouped);
    case ast::GroupingKind::kList:  // GROUP BY (a, b) is GROUP BY a, b
      for (const auto& c : item.children) RETURN_IF_ERROR(ResolveGroupItem(c, v, scope, grouped));
      return Status::OK();
    default: return NotInView("GROUPING SETS, ROLLUP and CUBE");
  }
}

// True when the expression reads the wall clock (its value would be fixed when bound).
bool ReadsClock(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::kSqlValue) return true;
  if (e.kind == ast::ExprKind::kFunction) {
    const std::string& fn = e.FunctionName();
    if (fn == "now" || fn == "transaction_timestamp" || fn == "statement_timestamp" || fn == "clock_timestamp") return true;
  }
  for (const auto& a : e.args)
    if (a && ReadsClock(*a)) return true;
  return false;
}

}  // namespace

Result<std::shared_ptr<views::ViewDef>> BuildView(const ast::CreateMatView& cv, const std::string& text,
                                                  const Snapshot& snap) {
  auto v = std::make_shared<views::ViewDef>();
  ASSIGN_OR_RETURN(v->name, RelationName(cv.relation));
  RETURN_IF_ERROR(CheckObjectName(v->name, "view"));
  v->sql = text;
  if (cv.with_no_data) return NotInView("WITH NO DATA");
  if (!cv.options.empty())
    return InvalidArgument(ErrorCode::kInvalidParameterValue, "unrecognized parameter \"{}\"", cv.options[0].name);
  if (!cv.other_clauses.empty()) return NotInView(cv.other_clauses[0]);
  if (!cv.query) return Unimplemented("a materialized view must be defined by a SELECT");
  const ast::SelectStmt& s = *cv.query;
  RETURN_IF_ERROR(CheckSelectShape(s));

  ASSIGN_OR_RETURN(const ingest::StreamSchema* stream, FromStream(s, snap, v->name));
  v->stream = stream->name;
  sql::Scope scope;
  scope.relation = stream->name;
  for (const auto& c : stream->columns) scope.columns.push_back({c.name, c.type});

  for (const ast::SelectItem& target : s.targets) {
    const ast::Expr& val = *target.expr;
    const std::string& alias = target.alias;
    if (val.kind == ast::ExprKind::kColumnRef && val.star)
      return Unimplemented(
          "SELECT * is not supported in a materialized view: list its dimensions and "
          "aggregates");
    if (val.kind == ast::ExprKind::kFunction) {
      std::string agg = AggregateName(val);
      if (val.over) {
        std::string shown;
        for (const auto& n : val.func_name) shown += (shown.empty() ? "" : ".") + n;
        return Unimplemented("window functions are not supported in a materialized view: {}", shown);
      }
      if (!agg.empty()) {
        ASSIGN_OR_RETURN(views::MeasureDef m, BuildMeasure(agg, val, scope));
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
  if (cv.column_names.size() > v->columns.size()) return InvalidArgument("too many column names were specified");
  for (size_t i = 0; i < cv.column_names.size(); i++) {
    const views::OutputColumn& c = v->columns[i];
    if (c.is_dimension) {
      v->dims[c.index].name = cv.column_names[i];
    } else {
      v->measures[c.index].name = cv.column_names[i];
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
  for (const auto& item : s.group_by) RETURN_IF_ERROR(ResolveGroupItem(item, *v, scope, &grouped));
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

  if (s.where) {
    if (ReadsClock(*s.where))
      return InvalidArgument("a materialized view's WHERE cannot read the clock (now(), current_timestamp, ...): "
                             "it would be fixed at creation; filter by time when querying the view");
    ASSIGN_OR_RETURN(v->filter, sql::BindPredicate(*s.where, scope));
  }
  return v;
}

}  // namespace laminar::catalog::internal
