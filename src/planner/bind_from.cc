// FROM: relations of the catalog, CTEs, subqueries, joins (planner/binder.h).
#include <fmt/format.h>

#include <set>

#include "planner/binder_internal.h"
#include "sql/array.h"
#include "sql/pg_types.h"

namespace laminar::planner::internal {

namespace {

// Renames the first columns of `scope_names` by `aliases` (FROM t AS x (a, b)).
Status ApplyColumnAliases(const std::vector<std::string>& aliases, const std::string& what,
                          std::vector<OutputColumn>* columns) {
  if (aliases.size() > columns->size())
    return InvalidArgument("table \"{}\" has {} columns available but {} columns specified", what, columns->size(),
                           aliases.size());
  for (size_t i = 0; i < aliases.size(); i++) (*columns)[i].name = aliases[i];
  return Status::OK();
}

std::optional<Type> JoinType(Type a, Type b) {
  if (a == b) return a;
  if ((a == Type::kInt64 || a == Type::kDouble) && (b == Type::kInt64 || b == Type::kDouble)) return Type::kDouble;
  return std::nullopt;
}

// A FROM item that reads the items before it: one written LATERAL, or a table function whose
// arguments read a column (functions in FROM are lateral in PostgreSQL: unnest(t.tags)).
bool IsLateral(const ast::TableRef& ref) {
  if (ref.lateral) return true;
  if (ref.kind != ast::TableRefKind::kFunction || !ref.function) return false;
  for (const auto& a : ref.function->args)
    if (ContainsNode(*a, [](const ast::Expr& e) { return e.kind == ast::ExprKind::kColumnRef; })) return true;
  return false;
}

LogicalPtr OneEmptyRow() {
  auto v = MakeNode(LogicalKind::kValues);
  v->rows.push_back({});
  return v;
}

}  // namespace

Status Binder::BindFrom(const std::vector<ast::TableRefPtr>& from, LogicalPtr* plan, BindScope* scope) {
  if (from.empty()) {
    *plan = OneEmptyRow();
    return Status::OK();
  }
  for (size_t i = 0; i < from.size(); i++) {
    if (i > 0 && IsLateral(*from[i])) {
      RETURN_IF_ERROR(BindLateral(*from[i], nullptr, execution::ApplyMode::kLateral, plan, scope));
      continue;
    }
    LogicalPtr p;
    BindScope sc;
    RETURN_IF_ERROR(BindTableRef(*from[i], &p, &sc));
    if (i == 0) {
      *plan = std::move(p);
      *scope = std::move(sc);
      continue;
    }
    auto j = MakeNode(LogicalKind::kJoin);
    j->join = JoinKind::kCross;
    j->columns = (*plan)->columns;
    j->ids = (*plan)->ids;
    j->columns.insert(j->columns.end(), p->columns.begin(), p->columns.end());
    j->ids.insert(j->ids.end(), p->ids.begin(), p->ids.end());
    j->children.push_back(std::move(*plan));
    j->children.push_back(std::move(p));
    *plan = std::move(j);
    size_t base = scope->size();
    for (size_t c = 0; c < sc.size(); c++)
      scope->AddCopy(sc.scope.columns[c], sc.ids[c]);
    for (int c : sc.star) scope->star.push_back(static_cast<int>(base) + c);
  }
  // A relation name used twice at one level is ambiguous (PostgreSQL refuses it).
  std::set<std::string> seen;
  std::string last;
  for (const auto& c : scope->scope.columns) {
    if (c.relation.empty() || c.relation == last) continue;
    last = c.relation;
    (void)seen;
  }
  return Status::OK();
}

Status Binder::BindTableRef(const ast::TableRef& ref, LogicalPtr* plan, BindScope* scope) {
  switch (ref.kind) {
    case ast::TableRefKind::kBase: return BindBaseRef(ref, plan, scope);
    case ast::TableRefKind::kJoin: return BindJoin(ref, plan, scope);
    case ast::TableRefKind::kSubquery:
    case ast::TableRefKind::kValues: {
      if (ref.alias.empty()) return InvalidArgument(ErrorCode::kSyntaxError, "subquery in FROM must have an alias");
      // It may read the query this one is a subquery of (a correlated reference, as in its
      // WHERE): those references are this query's, for decorrelation or Apply to see.
      Binder child(catalog_, next_id_, this);
      child.outer_scopes_ = outer_scopes_;
      ASSIGN_OR_RETURN(*plan, child.BindSelect(*ref.subquery));
      correlated_ids_.insert(child.correlated_ids_.begin(), child.correlated_ids_.end());
      RETURN_IF_ERROR(ApplyColumnAliases(ref.column_aliases, ref.alias, &(*plan)->columns));
      for (size_t i = 0; i < (*plan)->columns.size(); i++)
        scope->Add((*plan)->columns[i].name, (*plan)->columns[i].type, ref.alias, (*plan)->ids[i], true, false,
                   (*plan)->columns[i].shape);
      return Status::OK();
    }
    case ast::TableRefKind::kFunction: return BindTableFunction(ref, plan, scope);
  }
  return Internal("unknown FROM item");
}

Status Binder::BindBaseRef(const ast::TableRef& ref, LogicalPtr* plan, BindScope* scope) {
  std::string relation = ref.alias.empty() ? ref.name : ref.alias;
  if (!ref.catalog.empty()) return Unimplemented(ErrorCode::kFeatureNotSupported, "cross-database references are not implemented: {}.{}.{}", ref.catalog, ref.schema, ref.name);
  const ast::CommonTableExpr* cte = ref.schema.empty() ? FindCte(ref.name) : nullptr;
  if (cte && cte_depth_ < 64) {
    // Each reference binds the CTE's query anew (fresh column ids), as an inlined subquery.
    cte_depth_++;
    Binder child(catalog_, next_id_, this);
    child.cte_depth_ = cte_depth_;
    auto bound = child.BindSelect(*cte->query);
    cte_depth_--;
    if (!bound.ok()) return bound.status();
    *plan = std::move(*bound);
    if (cte->column_names.size() > (*plan)->columns.size())
      return InvalidArgument("WITH query \"{}\" has {} columns available but {} columns specified", cte->name,
                             (*plan)->columns.size(), cte->column_names.size());
    for (size_t i = 0; i < cte->column_names.size(); i++) (*plan)->columns[i].name = cte->column_names[i];
  } else if (cte) {
    return InvalidArgument(ErrorCode::kFeatureNotSupported, "recursive reference to query \"{}\" must not appear within its non-recursive term", ref.name);
  } else {
    ASSIGN_OR_RETURN(execution::TableInfo info, catalog_.Describe(ref.schema, ref.name));
    if (info.definition) {
      // A view defined in SQL (pg_catalog, information_schema): its SELECT, bound in place as a
      // subquery that sees nothing of the query around it.
      Binder child(catalog_, next_id_, nullptr);
      ASSIGN_OR_RETURN(*plan, child.BindSelect(*info.definition));
    } else {
      auto get = MakeNode(LogicalKind::kGet);
      get->alias = relation;
      // Hidden columns (a view's row reference) come last: the plan carries them, SQL does not
      // see them.
      for (size_t i = 0; i < info.columns.size(); i++) {
        get->columns.push_back({info.columns[i].name, info.columns[i].type});
        get->ids.push_back(NewId());
        get->scan_columns.push_back(static_cast<int>(i));
      }
      if (info.row_ref_column >= 0 && info.measure_states) {
        int row_id = get->ids[info.row_ref_column];
        for (size_t i = 0; i < info.columns.size(); i++) {
          int m = info.columns[i].measure;
          if (m < 0) continue;
          (*measures_)[get->ids[i]] = ViewMeasure{row_id, m, info.measures[m], info.measure_states, info.columns[i].name};
        }
      }
      get->table = std::move(info);
      *plan = std::move(get);
    }
  }
  size_t visible = (*plan)->columns.size();
  if ((*plan)->kind == LogicalKind::kGet)
    while (visible > 0 && (*plan)->table.columns[visible - 1].hidden) visible--;
  std::vector<OutputColumn> shown((*plan)->columns.begin(), (*plan)->columns.begin() + visible);
  RETURN_IF_ERROR(ApplyColumnAliases(ref.column_aliases, relation, &shown));
  std::copy(shown.begin(), shown.end(), (*plan)->columns.begin());
  for (size_t i = 0; i < visible; i++)
    scope->Add((*plan)->columns[i].name, (*plan)->columns[i].type, relation, (*plan)->ids[i], true, false,
               (*plan)->columns[i].shape);
  return Status::OK();
}

Status Binder::BindLateral(const ast::TableRef& ref, const ast::Expr* on, execution::ApplyMode mode, LogicalPtr* plan,
                           BindScope* scope) {
  if (outer_value_columns_)
    return Unimplemented(ErrorCode::kFeatureNotSupported, "a LATERAL item inside a subquery that runs per row is not supported");
  // The item as a query of its own: SELECT * FROM item [WHERE on].
  auto q = std::make_shared<ast::SelectStmt>();
  ast::SelectItem star;
  star.expr = std::make_unique<ast::Expr>();
  star.expr->kind = ast::ExprKind::kColumnRef;
  star.expr->star = true;
  q->targets.push_back(std::move(star));
  ast::TableRefPtr item = ref.Clone();
  item->lateral = false;
  q->from.push_back(std::move(item));
  if (on) q->where = on->Clone();
  // Bound once now with NULLs for the columns before it: its columns, and what fails for every row.
  std::vector<sql::ScopeColumn> columns = scope->scope.columns;
  for (auto& c : columns) c.merged = false;
  std::vector<Value> nulls(columns.size());
  int next = 0;
  Binder probe(catalog_, &next, nullptr);
  probe.SetOuterValues(&columns, &nulls);
  ASSIGN_OR_RETURN(LogicalPtr sub, probe.BindSelect(*q));

  auto node = MakeNode(LogicalKind::kApply);
  node->columns = (*plan)->columns;
  node->ids = (*plan)->ids;
  node->apply_mode = mode;
  node->apply_width = sub->columns.size();
  node->apply_query = q;
  node->apply_params = scope->ids;
  node->apply_columns = std::move(columns);
  node->apply_catalog = &catalog_;
  std::string relation = !ref.alias.empty() ? ref.alias : ref.function ? ref.function->FunctionName() : "";
  for (const auto& c : sub->columns) {
    int id = NewId();
    node->columns.push_back(c);
    node->ids.push_back(id);
    scope->Add(c.name, c.type, relation, id, true, false, c.shape);
  }
  node->children.push_back(std::move(*plan));
  *plan = std::move(node);
  return Status::OK();
}

Status Binder::BindJoin(const ast::TableRef& ref, LogicalPtr* plan, BindScope* scope) {
  LogicalPtr left, right;
  BindScope ls, rs;
  RETURN_IF_ERROR(BindTableRef(*ref.left, &left, &ls));
  if (IsLateral(*ref.right)) {
    // JOIN LATERAL: the ON condition filters the item's rows for each row of the left side.
    if (ref.join_type == ast::JoinType::kRight || ref.join_type == ast::JoinType::kFull)
      return InvalidArgument(ErrorCode::kInvalidColumnReference, "the combining JOIN type must be INNER or LEFT for a LATERAL reference");
    if (ref.natural || !ref.using_columns.empty())
      return Unimplemented(ErrorCode::kFeatureNotSupported, "JOIN LATERAL with USING or NATURAL is not supported (use ON)");
    auto mode = ref.join_type == ast::JoinType::kLeft ? execution::ApplyMode::kLeftLateral : execution::ApplyMode::kLateral;
    RETURN_IF_ERROR(BindLateral(*ref.right, ref.on.get(), mode, &left, &ls));
    *plan = std::move(left);
    size_t base = scope->size();
    for (size_t c = 0; c < ls.size(); c++) scope->AddCopy(ls.scope.columns[c], ls.ids[c]);
    for (int c : ls.star) scope->star.push_back(static_cast<int>(base) + c);
    if (!ref.alias.empty())
      for (auto& c : scope->scope.columns) c.relation = ref.alias;
    return Status::OK();
  }
  RETURN_IF_ERROR(BindTableRef(*ref.right, &right, &rs));

  JoinKind kind = JoinKind::kInner;
  switch (ref.join_type) {
    case ast::JoinType::kInner: kind = JoinKind::kInner; break;
    case ast::JoinType::kLeft: kind = JoinKind::kLeft; break;
    case ast::JoinType::kRight: kind = JoinKind::kRight; break;
    case ast::JoinType::kFull: kind = JoinKind::kFull; break;
    case ast::JoinType::kCross: kind = JoinKind::kCross; break;
  }

  // USING / NATURAL columns: one visible column of that name on each side.
  std::vector<std::string> using_cols = ref.using_columns;
  if (ref.natural) {
    for (int c : ls.star) {
      const std::string& n = ls.scope.columns[c].name;
      for (int d : rs.star)
        if (rs.scope.columns[d].name == n && std::find(using_cols.begin(), using_cols.end(), n) == using_cols.end())
          using_cols.push_back(n);
    }
  }
  auto visible = [](const BindScope& s, const std::string& name, const char* side) -> Result<int> {
    int found = -1;
    for (int c : s.star) {
      if (s.scope.columns[c].name != name) continue;
      if (found >= 0) return InvalidArgument(ErrorCode::kDuplicateColumn, "common column name \"{}\" appears more than once in {} table", name, side);
      found = c;
    }
    if (found < 0) return InvalidArgument("column \"{}\" specified in USING clause does not exist in {} table", name, side);
    return found;
  };

  auto join = MakeNode(LogicalKind::kJoin);
  join->join = kind;
  join->columns = left->columns;
  join->ids = left->ids;
  join->columns.insert(join->columns.end(), right->columns.begin(), right->columns.end());
  join->ids.insert(join->ids.end(), right->ids.begin(), right->ids.end());

  BindScope joined;
  for (size_t c = 0; c < ls.size(); c++)
    joined.AddCopy(ls.scope.columns[c], ls.ids[c]);
  for (size_t c = 0; c < rs.size(); c++)
    joined.AddCopy(rs.scope.columns[c], rs.ids[c]);
  size_t rbase = ls.size();

  std::vector<ExprPtr> conds;
  std::vector<std::pair<int, int>> pairs;  // (left scope index, right scope index)
  for (const auto& name : using_cols) {
    ASSIGN_OR_RETURN(int l, visible(ls, name, "left"));
    ASSIGN_OR_RETURN(int r, visible(rs, name, "right"));
    Type lt = ls.scope.columns[l].type, rt = rs.scope.columns[r].type;
    auto t = JoinType(lt, rt);
    if (!t) return InvalidArgument(ErrorCode::kDatatypeMismatch, "JOIN/USING types {} and {} cannot be matched", TypeName(lt), TypeName(rt));
    conds.push_back(sql::MakeCompare(sql::CompareOp::kEq, CastTo(ColumnRef(ls.ids[l], name, lt), *t),
                                     CastTo(ColumnRef(rs.ids[r], name, rt), *t)));
    pairs.push_back({l, r});
  }
  if (ref.on) {
    ExprCtx c;
    c.scope = &joined;
    c.clause = "JOIN conditions";
    ASSIGN_OR_RETURN(ExprPtr on, Bind(*ref.on, c, true));
    conds.push_back(on);
  }
  if (kind == JoinKind::kCross && !conds.empty()) kind = join->join = JoinKind::kInner;
  if (kind != JoinKind::kCross && conds.empty() && !ref.natural)
    return InvalidArgument(ErrorCode::kSyntaxError, "JOIN requires an ON or USING clause");
  if (ref.natural && conds.empty() && kind == JoinKind::kInner) join->join = JoinKind::kCross;
  join->residual = AndAll(std::move(conds));
  join->children.push_back(std::move(left));
  join->children.push_back(std::move(right));
  *plan = std::move(join);

  // The scope: USING columns first (merged: the left copy, the right one for RIGHT JOIN,
  // COALESCE of both for FULL JOIN), then the other visible columns of each side.
  std::vector<ExprPtr> coalesced;
  std::vector<std::string> coalesced_names;
  std::vector<int> coalesced_ids;
  std::string rel = ref.using_alias;
  for (size_t i = 0; i < pairs.size(); i++) {
    auto [l, r] = pairs[i];
    joined.scope.columns[l].merged = true;
    joined.scope.columns[rbase + r].merged = true;
    Type lt = ls.scope.columns[l].type, rt = rs.scope.columns[r].type;
    Type t = *JoinType(lt, rt);
    int id;
    if (kind == JoinKind::kFull || t != (kind == JoinKind::kRight ? rt : lt)) {
      auto co = std::make_shared<sql::Expr>();
      co->kind = sql::ExprKind::kCoalesce;
      co->type = t;
      ExprPtr a = CastTo(ColumnRef(ls.ids[l], using_cols[i], lt), t), b = CastTo(ColumnRef(rs.ids[r], using_cols[i], rt), t);
      co->children = kind == JoinKind::kRight ? std::vector<ExprPtr>{b, a} : std::vector<ExprPtr>{a, b};
      if (kind != JoinKind::kFull) co->children.pop_back();
      id = NewId();
      coalesced.push_back(co);
      coalesced_names.push_back(using_cols[i]);
      coalesced_ids.push_back(id);
    } else {
      id = kind == JoinKind::kRight ? rs.ids[r] : ls.ids[l];
    }
    scope->Add(using_cols[i], t, rel, id);
  }
  if (!coalesced.empty()) {
    std::vector<ExprPtr> exprs;
    std::vector<std::string> names;
    std::vector<int> ids;
    for (size_t i = 0; i < (*plan)->columns.size(); i++) {
      exprs.push_back(ColumnRef((*plan)->ids[i], (*plan)->columns[i].name, (*plan)->columns[i].type));
      names.push_back((*plan)->columns[i].name);
      ids.push_back((*plan)->ids[i]);
    }
    for (size_t i = 0; i < coalesced.size(); i++) {
      exprs.push_back(coalesced[i]);
      names.push_back(coalesced_names[i]);
      ids.push_back(coalesced_ids[i]);
    }
    *plan = MakeProjection(std::move(*plan), std::move(exprs), std::move(names), std::move(ids));
  }
  size_t base = scope->size();
  for (size_t c = 0; c < joined.size(); c++)
    scope->AddCopy(joined.scope.columns[c], joined.ids[c]);
  for (int c : ls.star)
    if (!joined.scope.columns[c].merged) scope->star.push_back(static_cast<int>(base) + c);
  for (int c : rs.star)
    if (!joined.scope.columns[rbase + c].merged) scope->star.push_back(static_cast<int>(base + rbase) + c);
  if (!ref.alias.empty()) {
    // (a JOIN b) AS j: every column is j's.
    for (auto& c : scope->scope.columns) c.relation = ref.alias;
  }
  return Status::OK();
}

// generate_series(start, stop [, step]) over bigint, or over timestamptz with an interval step:
// constant arguments, counted lazily by the GenerateSeries operator.
Status Binder::BindTableFunction(const ast::TableRef& ref, LogicalPtr* plan, BindScope* scope) {
  std::string name = ref.function ? ref.function->FunctionName() : "";
  if (name == "unnest") return BindUnnest(ref, plan, scope);
  if (name == "pg_get_keywords" && (ref.function->func_name.size() == 1 || ref.function->func_name[0] == "pg_catalog"))
    return BindKeywords(ref, plan, scope);
  if (name != "generate_series")
    return Unimplemented(ErrorCode::kFeatureNotSupported, "table function {}() is not supported (only generate_series, unnest and pg_get_keywords)", name);
  if (ref.with_ordinality) return Unimplemented(ErrorCode::kFeatureNotSupported, "WITH ORDINALITY is not supported");
  const auto& args = ref.function->args;
  if (args.size() < 2 || args.size() > 3)
    return InvalidArgument(ErrorCode::kUndefinedFunction, "generate_series takes 2 or 3 arguments, got {}", args.size());
  BindScope none;
  ExprCtx c;
  c.scope = &none;
  c.clause = "FROM";
  auto constant = [&](const ast::Expr& e) -> Result<Value> {
    ASSIGN_OR_RETURN(ExprPtr b, Bind(e, c));
    if (!sql::IsConstant(*b))
      return InvalidArgument(ErrorCode::kFeatureNotSupported, "generate_series needs constant arguments");
    sql::ClearEvalError();
    Value v = sql::Eval(*b, nullptr);
    if (sql::HasEvalError()) return sql::TakeEvalError();
    return v;
  };
  ASSIGN_OR_RETURN(Value start, constant(*args[0]));
  ASSIGN_OR_RETURN(Value stop, constant(*args[1]));
  auto node = MakeNode(LogicalKind::kSeries);
  Type type = Type::kInt64;
  if (!start.is_null() && start.type() == Type::kText && !stop.is_null() && stop.type() == Type::kText) {
    // Untyped literals: timestamps when a step is an interval (as PostgreSQL resolves them).
    ASSIGN_OR_RETURN(start, sql::CastText(start.as_text(), Type::kTimestamp));
    ASSIGN_OR_RETURN(stop, sql::CastText(stop.as_text(), Type::kTimestamp));
  }
  if (!start.is_null() && !stop.is_null() && start.type() == Type::kTimestamp && stop.type() == Type::kText) {
    ASSIGN_OR_RETURN(stop, sql::CastText(stop.as_text(), Type::kTimestamp));
  } else if (!start.is_null() && !stop.is_null() && stop.type() == Type::kTimestamp && start.type() == Type::kText) {
    ASSIGN_OR_RETURN(start, sql::CastText(start.as_text(), Type::kTimestamp));
  }
  if (start.is_null() || stop.is_null()) {
    // NULL bounds: no rows, as PostgreSQL.
    node->series_start = 1;
    node->series_stop = 0;
    type = start.is_null() ? (stop.is_null() ? Type::kInt64 : stop.type()) : start.type();
  } else if (start.type() == Type::kInt64 && stop.type() == Type::kInt64) {
    node->series_start = start.as_int();
    node->series_stop = stop.as_int();
    if (args.size() == 3) {
      ASSIGN_OR_RETURN(Value step, constant(*args[2]));
      if (step.is_null() || step.type() != Type::kInt64)
        return InvalidArgument(ErrorCode::kUndefinedFunction, "generate_series(bigint, bigint, {}) does not exist",
                               step.is_null() ? "unknown" : TypeName(step.type()));
      node->series_step = step.as_int();
    }
  } else if (start.type() == Type::kTimestamp && stop.type() == Type::kTimestamp) {
    type = Type::kTimestamp;
    if (args.size() != 3)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "generate_series(timestamp with time zone, timestamp with time zone) needs an interval step");
    // The step: bind start + step (an interval constant) and take the difference.
    auto sum = std::make_unique<ast::Expr>();
    sum->kind = ast::ExprKind::kOperator;
    sum->op = "+";
    auto lit = std::make_unique<ast::Expr>();
    lit->kind = ast::ExprKind::kConstant;
    lit->value = Value::Text(sql::PgText(start, Type::kTimestamp));
    lit->is_string = true;
    auto cast = std::make_unique<ast::Expr>();
    cast->kind = ast::ExprKind::kCast;
    cast->type = ast::TypeName{{"timestamptz"}, {}, 0, false, -1};
    cast->args.push_back(std::move(lit));
    sum->args.push_back(std::move(cast));
    sum->args.push_back(args[2]->Clone());
    ASSIGN_OR_RETURN(Value next, constant(*sum));
    if (next.is_null() || next.type() != Type::kTimestamp)
      return InvalidArgument(ErrorCode::kUndefinedFunction, "the step of generate_series over timestamps must be an interval");
    node->series_start = start.as_int();
    node->series_stop = stop.as_int();
    node->series_step = next.as_int() - start.as_int();
  } else {
    return InvalidArgument(ErrorCode::kUndefinedFunction, "generate_series({}, {}) does not exist", TypeName(start.type()),
                           TypeName(stop.type()));
  }
  if (node->series_step == 0) return InvalidArgument(ErrorCode::kInvalidParameterValue, "step size cannot equal zero");
  std::string alias = ref.alias.empty() ? "generate_series" : ref.alias;
  std::string col = !ref.column_aliases.empty() ? ref.column_aliases[0] : ref.alias.empty() ? "generate_series" : ref.alias;
  if (ref.column_aliases.size() > 1)
    return InvalidArgument(ErrorCode::kInvalidColumnReference, "table \"{}\" has 1 columns available but {} columns specified",
                           alias, ref.column_aliases.size());
  node->columns.push_back({col, type});
  node->ids.push_back(NewId());
  scope->Add(col, type, alias, node->ids[0]);
  *plan = std::move(node);
  return Status::OK();
}

// unnest(array) [WITH ORDINALITY]: one row per element (text; NULL elements kept), over a
// constant array (an array is text in PostgreSQL's form, sql/array.h).
Status Binder::BindUnnest(const ast::TableRef& ref, LogicalPtr* plan, BindScope* scope) {
  const auto& args = ref.function->args;
  if (args.size() != 1)
    return Unimplemented(ErrorCode::kFeatureNotSupported, "unnest of {} arrays is not supported (one array only)", args.size());
  BindScope none;
  ExprCtx c;
  c.scope = &none;
  c.clause = "FROM";
  ASSIGN_OR_RETURN(ExprPtr arr, Bind(*args[0], c));
  if (arr->type != Type::kText)
    return InvalidArgument(ErrorCode::kUndefinedFunction, "function unnest({}) does not exist", TypeName(arr->type));
  if (arr->kind != sql::ExprKind::kLiteral)
    return Unimplemented(ErrorCode::kFeatureNotSupported, "unnest in FROM needs a constant array or a column of an item before it");
  // An array whose element type is known gives elements of that type.
  Type elem = arr->shape.elem_type;
  std::vector<std::vector<Value>> rows;
  if (!arr->literal.is_null()) {
    ASSIGN_OR_RETURN(sql::ArrayElems elems, sql::ParseArray(arr->literal.as_text()));
    int64_t ord = 0;
    for (auto& el : elems) {
      Value v = el ? Value::Text(std::move(*el)) : Value::Null();
      if (elem != Type::kText && !v.is_null()) {
        sql::ClearEvalError();
        v = sql::Eval(*sql::MakeCast(sql::MakeLiteral(std::move(v), Type::kText), elem), nullptr);
        if (sql::HasEvalError()) return sql::TakeEvalError();
      }
      std::vector<Value> row{std::move(v)};
      if (ref.with_ordinality) row.push_back(Value::Int(++ord));
      rows.push_back(std::move(row));
    }
  }
  std::vector<std::string> names{"unnest"};
  std::vector<Type> types{elem};
  if (ref.with_ordinality) {
    names.push_back("ordinality");
    types.push_back(Type::kInt64);
  }
  return BindFunctionRows(ref, "unnest", std::move(names), std::move(types), std::move(rows), plan, scope);
}

// pg_get_keywords(): PostgreSQL's keywords (sql/pg_types.h). Which keywords may be a bare column
// label is not in the parser's tables Laminar has: barelabel and baredesc are NULL.
Status Binder::BindKeywords(const ast::TableRef& ref, LogicalPtr* plan, BindScope* scope) {
  if (!ref.function->args.empty())
    return InvalidArgument(ErrorCode::kUndefinedFunction, "function pg_get_keywords() takes no arguments");
  if (ref.with_ordinality) return Unimplemented(ErrorCode::kFeatureNotSupported, "WITH ORDINALITY is not supported for pg_get_keywords()");
  std::vector<std::vector<Value>> rows;
  for (const auto& k : sql::pg::Keywords())
    rows.push_back({Value::Text(k.word), Value::Text(std::string(1, k.catcode)), Value::Null(), Value::Text(k.catdesc), Value::Null()});
  return BindFunctionRows(ref, "pg_get_keywords", {"word", "catcode", "barelabel", "catdesc", "baredesc"},
                          {Type::kText, Type::kText, Type::kBool, Type::kText, Type::kText}, std::move(rows), plan, scope);
}

Status Binder::BindFunctionRows(const ast::TableRef& ref, const std::string& func, std::vector<std::string> names,
                                std::vector<Type> types, std::vector<std::vector<Value>> rows, LogicalPtr* plan,
                                BindScope* scope) {
  std::string alias = ref.alias.empty() ? func : ref.alias;
  // One column (and WITH ORDINALITY's): the alias names the column too, as in PostgreSQL.
  if (!ref.alias.empty() && names.size() - (ref.with_ordinality ? 1 : 0) == 1) names[0] = ref.alias;
  if (ref.column_aliases.size() > names.size())
    return InvalidArgument(ErrorCode::kInvalidColumnReference, "table \"{}\" has {} columns available but {} columns specified",
                           alias, names.size(), ref.column_aliases.size());
  for (size_t i = 0; i < ref.column_aliases.size(); i++) names[i] = ref.column_aliases[i];
  auto v = MakeNode(LogicalKind::kValues);
  v->rows = std::move(rows);
  for (size_t i = 0; i < names.size(); i++) {
    v->columns.push_back({names[i], types[i]});
    v->ids.push_back(NewId());
    scope->Add(names[i], types[i], alias, v->ids[i]);
  }
  *plan = std::move(v);
  return Status::OK();
}

}  // namespace laminar::planner::internal
