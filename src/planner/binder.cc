// SELECT blocks, set operations and VALUES (planner/binder.h).
#include "planner/binder.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "planner/binder_internal.h"
#include "sql/expr.h"

namespace laminar::planner {

using namespace internal;  // NOLINT

namespace {

struct Target {
  const ast::Expr* node = nullptr;  // null for a column of a * expansion
  ExprPtr bound;                    // the * column, or the bound node
  std::string name;
};

Result<int64_t> ConstCount(const ast::Expr& e, const char* what) {
  ASSIGN_OR_RETURN(Value v, sql::ConstValue(e));
  if (v.is_null()) return int64_t{-1};
  // A quoted constant or an untyped parameter ('10', $1) reads as bigint, as in PostgreSQL.
  if (v.type() == Type::kText) {
    ASSIGN_OR_RETURN(v, sql::CastText(v.as_text(), Type::kInt64));
  }
  if (v.type() != Type::kInt64) return InvalidArgument("argument of {} must be type bigint, not type {}", what, TypeName(v.type()));
  if (v.as_int() < 0) return InvalidArgument(ErrorCode::kInvalidRowCountInLimitClause, "{} must not be negative", what);
  return v.as_int();
}

// The position (1-based) a constant integer names, or 0 when `e` is not an integer constant.
int64_t PositionOf(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::kConstant && !e.is_string && !e.value.is_null() && e.value.type() == Type::kInt64)
    return e.value.as_int() == 0 ? -1 : e.value.as_int();
  return 0;
}

bool IsBareName(const ast::Expr& e) { return e.kind == ast::ExprKind::kColumnRef && !e.star && e.names.size() == 1; }

// The common type of two set-operation or VALUES columns (PostgreSQL's select_common_type over
// Laminar's types); nullopt when they cannot be matched.
std::optional<Type> CommonType(Type a, Type b) {
  if (a == b) return a;
  auto numeric = [](Type t) { return t == Type::kInt64 || t == Type::kDouble; };
  if (numeric(a) && numeric(b)) return Type::kDouble;
  return std::nullopt;
}

}  // namespace

Result<LogicalPtr> BindQuery(const ast::SelectStmt& stmt, const execution::TableCatalog& catalog) {
  int next_id = 0;
  Binder b(catalog, &next_id, nullptr);
  return b.BindSelect(stmt);
}

Result<LogicalPtr> BindWithValues(const ast::SelectStmt& stmt, const execution::TableCatalog& catalog,
                                  const std::vector<sql::ScopeColumn>& columns, const std::vector<Value>& values) {
  int next_id = 0;
  Binder b(catalog, &next_id, nullptr);
  b.SetOuterValues(&columns, &values);
  return b.BindSelect(stmt);
}

namespace {

void TablesOfExpr(const ast::Expr& e, std::set<std::string>* out);

void TablesOfSelect(const ast::SelectStmt& s, std::set<std::string>* out) {
  std::function<void(const ast::TableRef&)> ref = [&](const ast::TableRef& r) {
    if (r.kind == ast::TableRefKind::kBase) out->insert(r.name);
    if (r.subquery) TablesOfSelect(*r.subquery, out);
    if (r.left) ref(*r.left);
    if (r.right) ref(*r.right);
    if (r.on) TablesOfExpr(*r.on, out);
    if (r.function) TablesOfExpr(*r.function, out);
  };
  for (const auto& c : s.with)
    if (c.query) TablesOfSelect(*c.query, out);
  if (s.left) TablesOfSelect(*s.left, out);
  if (s.right) TablesOfSelect(*s.right, out);
  for (const auto& f : s.from) ref(*f);
  for (const auto& t : s.targets)
    if (t.expr) TablesOfExpr(*t.expr, out);
  if (s.where) TablesOfExpr(*s.where, out);
  if (s.having) TablesOfExpr(*s.having, out);
  for (const auto& o : s.order_by)
    if (o.expr) TablesOfExpr(*o.expr, out);
  for (const auto& l : s.values_lists)
    for (const auto& e : l) TablesOfExpr(*e, out);
}

void TablesOfExpr(const ast::Expr& e, std::set<std::string>* out) {
  internal::ContainsNode(e, [&](const ast::Expr& x) {
    if (x.kind == ast::ExprKind::kSubquery && x.subquery) TablesOfSelect(*x.subquery, out);
    return false;
  });
}

}  // namespace

std::set<std::string> ReferencedTables(const ast::SelectStmt& stmt) {
  std::set<std::string> out;
  TablesOfSelect(stmt, &out);
  return out;
}

namespace internal {

const ast::CommonTableExpr* Binder::FindCte(const std::string& name) const {
  for (auto it = ctes_.rbegin(); it != ctes_.rend(); ++it) {
    auto f = it->find(name);
    if (f != it->end()) return f->second;
  }
  return parent_ ? parent_->FindCte(name) : nullptr;
}

Result<LogicalPtr> Binder::BindSelect(const ast::SelectStmt& s) {
  if (s.with_recursive) return Unimplemented(ErrorCode::kFeatureNotSupported, "WITH RECURSIVE is not supported");
  std::map<std::string, const ast::CommonTableExpr*> frame;
  for (const auto& cte : s.with) {
    if (frame.count(cte.name))
      return InvalidArgument("WITH query name \"{}\" specified more than once", cte.name);
    frame[cte.name] = &cte;
  }
  ctes_.push_back(std::move(frame));
  struct Pop {
    std::vector<std::map<std::string, const ast::CommonTableExpr*>>& v;
    ~Pop() { v.pop_back(); }
  } pop{ctes_};
  if (s.op != ast::SetOpKind::kNone) {
    ASSIGN_OR_RETURN(LogicalPtr plan, BindSetOp(s));
    RETURN_IF_ERROR(BindOutputOrderLimit(s, &plan));
    return plan;
  }
  if (!s.values_lists.empty()) {
    ASSIGN_OR_RETURN(LogicalPtr plan, BindValues(s));
    RETURN_IF_ERROR(BindOutputOrderLimit(s, &plan));
    return plan;
  }
  return BindBlock(s);
}

// ORDER BY and LIMIT of a set operation or VALUES: over the output columns only.
Status Binder::BindOutputOrderLimit(const ast::SelectStmt& s, LogicalPtr* plan) {
  if (!s.order_by.empty()) {
    BindScope out;
    for (size_t i = 0; i < (*plan)->columns.size(); i++)
      out.Add((*plan)->columns[i].name, (*plan)->columns[i].type, "", (*plan)->ids[i], true, false, (*plan)->columns[i].shape);
    auto sort = MakeNode(LogicalKind::kSort);
    for (const auto& item : s.order_by) {
      SortKey k;
      k.descending = item.dir == ast::SortDir::kDesc;
      k.nulls_first = item.nulls == ast::NullsOrder::kDefault ? k.descending : item.nulls == ast::NullsOrder::kFirst;
      if (int64_t pos = PositionOf(*item.expr); pos != 0) {
        if (pos < 0 || pos > int64_t(out.size())) return InvalidArgument(ErrorCode::kInvalidColumnReference, "ORDER BY position {} is not in select list", pos);
        k.expr = ColumnRef(out.ids[pos - 1], out.scope.columns[pos - 1].name, out.scope.columns[pos - 1].type);
      } else {
        ExprCtx c;
        c.scope = &out;
        c.clause = "ORDER BY";
        ASSIGN_OR_RETURN(k.expr, Bind(*item.expr, c));
      }
      sort->order.push_back(std::move(k));
    }
    sort->columns = (*plan)->columns;
    sort->ids = (*plan)->ids;
    sort->children.push_back(std::move(*plan));
    *plan = std::move(sort);
  }
  if (s.limit || s.offset) {
    if (s.limit_with_ties) return Unimplemented(ErrorCode::kFeatureNotSupported, "FETCH FIRST ... WITH TIES is not supported");
    auto lim = MakeNode(LogicalKind::kLimit);
    if (s.limit) {
      ASSIGN_OR_RETURN(lim->limit, ConstCount(*s.limit, "LIMIT"));
    }
    if (s.offset) {
      ASSIGN_OR_RETURN(int64_t off, ConstCount(*s.offset, "OFFSET"));
      lim->offset = std::max<int64_t>(off, 0);
    }
    lim->columns = (*plan)->columns;
    lim->ids = (*plan)->ids;
    lim->children.push_back(std::move(*plan));
    *plan = std::move(lim);
  }
  return Status::OK();
}

Result<LogicalPtr> Binder::BindSetOp(const ast::SelectStmt& s) {
  const char* opname = s.op == ast::SetOpKind::kUnion ? "UNION" : s.op == ast::SetOpKind::kIntersect ? "INTERSECT" : "EXCEPT";
  ASSIGN_OR_RETURN(LogicalPtr left, BindSelect(*s.left));
  ASSIGN_OR_RETURN(LogicalPtr right, BindSelect(*s.right));
  if (left->columns.size() != right->columns.size())
    return InvalidArgument(ErrorCode::kSyntaxError, "each {} query must have the same number of columns", opname);
  std::vector<Type> types;
  bool cast_left = false, cast_right = false;
  for (size_t i = 0; i < left->columns.size(); i++) {
    auto t = CommonType(left->columns[i].type, right->columns[i].type);
    if (!t)
      return InvalidArgument(ErrorCode::kDatatypeMismatch, "{} types {} and {} cannot be matched", opname, TypeName(left->columns[i].type),
                             TypeName(right->columns[i].type));
    types.push_back(*t);
    cast_left = cast_left || *t != left->columns[i].type;
    cast_right = cast_right || *t != right->columns[i].type;
  }
  auto cast_side = [&](LogicalPtr p) {
    std::vector<ExprPtr> exprs;
    std::vector<std::string> names;
    std::vector<int> ids;
    for (size_t i = 0; i < p->columns.size(); i++) {
      exprs.push_back(CastTo(ColumnRef(p->ids[i], p->columns[i].name, p->columns[i].type), types[i]));
      names.push_back(p->columns[i].name);
      ids.push_back(NewId());
    }
    return MakeProjection(std::move(p), std::move(exprs), std::move(names), std::move(ids));
  };
  if (cast_left) left = cast_side(std::move(left));
  if (cast_right) right = cast_side(std::move(right));
  auto op = MakeNode(LogicalKind::kSetOp);
  op->set_op = s.op == ast::SetOpKind::kUnion ? SetOpKind::kUnion
               : s.op == ast::SetOpKind::kIntersect ? SetOpKind::kIntersect : SetOpKind::kExcept;
  op->set_all = s.set_all;
  for (size_t i = 0; i < types.size(); i++) {
    op->columns.push_back({left->columns[i].name, types[i]});
    op->ids.push_back(NewId());
  }
  op->children.push_back(std::move(left));
  op->children.push_back(std::move(right));
  return op;
}

Result<LogicalPtr> Binder::BindValues(const ast::SelectStmt& s) {
  size_t width = s.values_lists.front().size();
  BindScope none;
  std::vector<std::vector<ExprPtr>> bound;
  for (const auto& list : s.values_lists) {
    if (list.size() != width) return InvalidArgument("VALUES lists must all be the same length");
    std::vector<ExprPtr> row;
    for (const auto& e : list) {
      ExprCtx c;
      c.scope = &none;
      c.clause = "VALUES";
      ASSIGN_OR_RETURN(ExprPtr b, Bind(*e, c));
      if (!sql::IsConstant(*b)) return Unimplemented(ErrorCode::kFeatureNotSupported, "VALUES entries must be constant expressions");
      row.push_back(b);
    }
    bound.push_back(std::move(row));
  }
  auto v = MakeNode(LogicalKind::kValues);
  for (size_t c = 0; c < width; c++) {
    Type t = bound[0][c]->type;
    bool all_null = true;
    for (const auto& row : bound) {
      bool is_null = row[c]->kind == sql::ExprKind::kLiteral && row[c]->literal.is_null();
      if (is_null) continue;
      if (all_null) {
        t = row[c]->type;
        all_null = false;
        continue;
      }
      auto ct = CommonType(t, row[c]->type);
      if (!ct) return InvalidArgument(ErrorCode::kDatatypeMismatch, "VALUES types {} and {} cannot be matched", TypeName(t), TypeName(row[c]->type));
      t = *ct;
    }
    v->columns.push_back({fmt::format("column{}", c + 1), t});
    v->ids.push_back(NewId());
  }
  sql::ClearEvalError();
  for (const auto& row : bound) {
    std::vector<Value> vals;
    for (size_t c = 0; c < width; c++) {
      Value x = sql::Eval(*CastTo(row[c], v->columns[c].type), nullptr);
      if (sql::HasEvalError()) return sql::TakeEvalError();
      vals.push_back(std::move(x));
    }
    v->rows.push_back(std::move(vals));
  }
  return v;
}

void Binder::ApplyJoins(std::vector<PendingJoin>* joins, LogicalPtr* plan) {
  for (auto& j : *joins) {
    if (j.apply) {
      auto node = MakeNode(LogicalKind::kApply);
      node->columns = (*plan)->columns;
      node->ids = (*plan)->ids;
      node->columns.push_back({"?column?", j.apply->result_type});
      node->ids.push_back(j.mark_id);
      node->apply_query = j.apply->query;
      node->apply_params = j.apply->params;
      node->apply_columns = j.apply->columns;
      node->apply_catalog = &catalog_;
      node->children.push_back(std::move(*plan));
      *plan = std::move(node);
      continue;
    }
    auto node = MakeNode(LogicalKind::kJoin);
    node->join = j.kind;
    node->columns = (*plan)->columns;
    node->ids = (*plan)->ids;
    if (j.kind == JoinKind::kMark || j.kind == JoinKind::kMarkExists) {
      node->columns.push_back({"?mark?", Type::kBool});
      node->ids.push_back(j.mark_id);
    } else {
      for (size_t i = 0; i < j.right->columns.size(); i++) {
        node->columns.push_back(j.right->columns[i]);
        node->ids.push_back(j.right->ids[i]);
      }
    }
    node->residual = std::move(j.residual);
    node->single_match = j.single_match;
    node->left_keys = std::move(j.left_keys);
    node->right_keys = std::move(j.right_keys);
    node->children.push_back(std::move(*plan));
    node->children.push_back(std::move(j.right));
    *plan = std::move(node);
  }
  joins->clear();
}

Result<LogicalPtr> Binder::BindBlock(const ast::SelectStmt& s) {
  if (s.for_update) return Unimplemented(ErrorCode::kFeatureNotSupported, "SELECT ... FOR UPDATE/SHARE is not supported");
  if (!s.into.empty()) return Unimplemented(ErrorCode::kFeatureNotSupported, "SELECT INTO is not supported");
  auto saved_windows = named_windows_;
  named_windows_ = &s.windows;
  struct Restore {
    const std::vector<std::unique_ptr<ast::WindowDef>>*& slot;
    const std::vector<std::unique_ptr<ast::WindowDef>>* saved;
    ~Restore() { slot = saved; }
  } restore{named_windows_, saved_windows};
  LogicalPtr plan;
  BindScope scope;
  RETURN_IF_ERROR(BindFrom(s.from, &plan, &scope));

  if (s.where) {
    std::vector<PendingJoin> joins;
    ExprCtx c;
    c.scope = &scope;
    c.clause = "WHERE";
    c.joins = &joins;
    ASSIGN_OR_RETURN(ExprPtr pred, Bind(*s.where, c, true));
    ApplyJoins(&joins, &plan);
    plan = MakeFilter(std::move(plan), pred);
  }

  // The select list, * expanded.
  std::vector<Target> targets;
  for (const auto& item : s.targets) {
    const ast::Expr& e = *item.expr;
    if (e.kind == ast::ExprKind::kColumnRef && e.star) {
      if (s.from.empty()) return InvalidArgument("SELECT * with no tables specified is not valid");
      std::string rel = e.names.empty() ? "" : e.names.back();
      bool found = false;
      if (rel.empty()) {
        for (int c : scope.star) {
          const auto& col = scope.scope.columns[c];
          targets.push_back({nullptr, ColumnRef(scope.ids[c], col.name, col.type), col.name});
          found = true;
        }
      } else {
        for (size_t c = 0; c < scope.size(); c++) {
          const auto& col = scope.scope.columns[c];
          if (col.relation != rel) continue;
          targets.push_back({nullptr, ColumnRef(scope.ids[c], col.name, col.type), col.name});
          found = true;
        }
        if (!found) return InvalidArgument(ErrorCode::kUndefinedTable, "missing FROM-clause entry for table \"{}\"", rel);
      }
      continue;
    }
    targets.push_back({&e, nullptr, item.alias.empty() ? FigureName(e) : item.alias});
  }

  bool aggregate = !s.group_by.empty() || s.having != nullptr;
  for (const auto& t : targets) aggregate = aggregate || (t.node && ContainsNode(*t.node, IsAggregateCall));
  for (const auto& o : s.order_by) aggregate = aggregate || ContainsNode(*o.expr, IsAggregateCall);

  AggState agg;
  std::vector<std::vector<int>> grouping_sets;
  if (aggregate) {
    std::vector<const ast::Expr*> nodes;
    std::vector<std::string> names;
    for (const auto& t : targets) {
      nodes.push_back(t.node);
      names.push_back(t.name);
    }
    ASSIGN_OR_RETURN(grouping_sets, BindGroupBy(s, scope, nodes, names, &agg));
  }

  std::vector<WindowCall> windows;
  std::vector<int> window_ids;
  std::vector<PendingJoin> joins;  // subqueries of the select list, HAVING and ORDER BY
  ExprCtx post;
  post.scope = &scope;
  post.clause = "SELECT";
  post.agg = aggregate ? &agg : nullptr;
  post.allow_aggregates = aggregate;
  post.allow_windows = true;
  post.windows = &windows;
  post.window_ids = &window_ids;
  post.joins = &joins;
  // Set-returning functions: in the select list of a block without aggregates.
  std::vector<LogicalOperator::SetCall> set_calls;
  std::vector<int> set_ids;
  ExprCtx select = post;
  if (!aggregate) {
    select.set_calls = &set_calls;
    select.set_ids = &set_ids;
  }

  // Select-list expressions.
  for (auto& t : targets) {
    if (t.bound) {
      if (aggregate) {
        // A * column under GROUP BY must be a key.
        std::string k = t.bound->Key();
        auto it = std::find(agg.key_keys.begin(), agg.key_keys.end(), k);
        if (it == agg.key_keys.end())
          return InvalidArgument(ErrorCode::kGroupingError, "column \"{}\" must appear in the GROUP BY clause or be used in an aggregate function",
                                 t.name);
        size_t ki = it - agg.key_keys.begin();
        t.bound = ColumnRef(agg.key_ids[ki], t.name, t.bound->type);
      }
      continue;
    }
    ASSIGN_OR_RETURN(t.bound, Bind(*t.node, select));
  }
  ExprPtr having;
  if (s.having) {
    ExprCtx h = post;
    h.clause = "HAVING";
    h.allow_windows = false;
    ASSIGN_OR_RETURN(having, Bind(*s.having, h, true));
  }

  // DISTINCT ON keys and ORDER BY items: an output column (by position or name) or an
  // expression (a hidden column when it is not in the select list).
  std::vector<ExprPtr> extra;  // hidden sort / DISTINCT ON columns
  auto resolve_item = [&](const ast::Expr& e, const char* clause, bool allow_output_name) -> Result<ExprPtr> {
    if (int64_t pos = PositionOf(e); pos != 0) {
      if (pos < 0 || pos > int64_t(targets.size()))
        return InvalidArgument(ErrorCode::kInvalidColumnReference, "{} position {} is not in select list", clause, pos);
      return targets[pos - 1].bound;
    }
    if (allow_output_name && IsBareName(e)) {
      int found = -1;
      for (size_t i = 0; i < targets.size(); i++) {
        if (targets[i].name != e.names[0]) continue;
        if (found >= 0 && targets[found].bound->Key() != targets[i].bound->Key())
          return InvalidArgument("{} \"{}\" is ambiguous", clause, e.names[0]);
        if (found < 0) found = static_cast<int>(i);
      }
      if (found >= 0) return targets[found].bound;
    }
    ExprCtx c = post;
    c.clause = clause;
    return Bind(e, c);
  };
  std::vector<ExprPtr> distinct_on;
  for (const auto& e : s.distinct_on) {
    ASSIGN_OR_RETURN(ExprPtr b, resolve_item(*e, "SELECT DISTINCT ON", true));
    distinct_on.push_back(b);
  }
  std::vector<SortKey> order;
  for (const auto& item : s.order_by) {
    SortKey k;
    k.descending = item.dir == ast::SortDir::kDesc;
    k.nulls_first = item.nulls == ast::NullsOrder::kDefault ? k.descending : item.nulls == ast::NullsOrder::kFirst;
    ASSIGN_OR_RETURN(k.expr, resolve_item(*item.expr, "ORDER BY", true));
    order.push_back(std::move(k));
  }

  // Build: aggregate, subquery joins, HAVING, windows.
  if (aggregate) {
    auto a = MakeNode(LogicalKind::kAggregate);
    a->keys = agg.keys;
    a->aggregates = agg.calls;
    a->grouping_sets = grouping_sets;
    for (size_t i = 0; i < agg.keys.size(); i++) {
      a->columns.push_back({agg.keys[i]->ToString(), agg.keys[i]->type});
      a->ids.push_back(agg.key_ids[i]);
    }
    for (size_t i = 0; i < agg.calls.size(); i++) {
      a->columns.push_back({agg.calls[i].name, agg.calls[i].spec.output_type});
      a->ids.push_back(agg.call_ids[i]);
    }
    if (agg.grouping_used) {
      a->grouping_column = true;
      a->columns.push_back({"grouping", Type::kInt64});
      a->ids.push_back(agg.grouping_id);
    }
    a->children.push_back(std::move(plan));
    plan = std::move(a);
  }
  ApplyJoins(&joins, &plan);
  if (having) plan = MakeFilter(std::move(plan), having);
  if (!windows.empty()) {
    auto w = MakeNode(LogicalKind::kWindow);
    w->columns = plan->columns;
    w->ids = plan->ids;
    for (size_t i = 0; i < windows.size(); i++) {
      w->columns.push_back({windows[i].name, windows[i].type});
      w->ids.push_back(window_ids[i]);
    }
    w->windows = std::move(windows);
    w->children.push_back(std::move(plan));
    plan = std::move(w);
  }
  if (!set_calls.empty()) {
    auto ps = MakeNode(LogicalKind::kProjectSet);
    ps->columns = plan->columns;
    ps->ids = plan->ids;
    for (size_t i = 0; i < set_calls.size(); i++) {
      ps->columns.push_back({"?set?", execution::SetFunctionType(set_calls[i].func)});
      ps->ids.push_back(set_ids[i]);
    }
    ps->set_calls = std::move(set_calls);
    ps->children.push_back(std::move(plan));
    plan = std::move(ps);
  }

  // The projection: visible columns, then DISTINCT ON keys and sort keys not among them.
  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
  std::vector<int> ids;
  std::vector<std::string> keys;
  for (const auto& t : targets) {
    exprs.push_back(t.bound);
    names.push_back(t.name);
    ids.push_back(NewId());
    keys.push_back(t.bound->Key());
    // A view measure passed on as is keeps its lineage (without its states: row_id -1), so that
    // a query over this block cannot average its averages unknowingly (BindAggregateCall).
    if (t.bound->kind == sql::ExprKind::kColumn) {
      auto it = measures_->find(t.bound->column);
      if (it != measures_->end()) {
        ViewMeasure derived = it->second;
        derived.row_id = -1;
        (*measures_)[ids.back()] = derived;
      }
    }
  }
  size_t visible = exprs.size();
  auto column_of = [&](const ExprPtr& e, bool may_add, const char* why) -> Result<ExprPtr> {
    std::string k = e->Key();
    for (size_t i = 0; i < exprs.size(); i++)
      if (keys[i] == k) return ColumnRef(ids[i], names[i], exprs[i]->type);
    if (!may_add) return InvalidArgument("{}", why);
    exprs.push_back(e);
    names.push_back(e->ToString());
    ids.push_back(NewId());
    keys.push_back(k);
    return ColumnRef(ids.back(), names.back(), e->type);
  };
  bool distinct = s.distinct && s.distinct_on.empty();
  std::vector<ExprPtr> on_cols;
  for (const auto& e : distinct_on) {
    ASSIGN_OR_RETURN(ExprPtr c, column_of(e, true, ""));
    on_cols.push_back(c);
  }
  std::vector<SortKey> sort_keys;
  for (auto& k : order) {
    ASSIGN_OR_RETURN(ExprPtr c, column_of(k.expr, !distinct,
                                          "for SELECT DISTINCT, ORDER BY expressions must appear in select list"));
    sort_keys.push_back({c, k.descending, k.nulls_first});
  }
  plan = MakeProjection(std::move(plan), exprs, names, ids);

  if (!on_cols.empty()) {
    // DISTINCT ON: sort by the keys (then ORDER BY), keep each key's first row. ORDER BY must
    // start with the DISTINCT ON expressions, as in PostgreSQL.
    for (size_t i = 0; i < sort_keys.size() && i < on_cols.size(); i++) {
      bool matches = false;
      for (const auto& oc : on_cols) matches = matches || oc->column == sort_keys[i].expr->column;
      if (!matches) return InvalidArgument(ErrorCode::kInvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
    }
    std::vector<SortKey> keys_first;
    for (const auto& oc : on_cols) {
      bool in_order = false;
      for (const auto& sk : sort_keys) in_order = in_order || sk.expr->column == oc->column;
      if (!in_order) keys_first.push_back({oc, false, false});
    }
    // The DISTINCT ON keys go first (as a projection reordering is not needed: DistinctOn takes
    // the key columns by id through the physical planner).
    std::vector<SortKey> all = sort_keys;
    all.insert(all.begin(), keys_first.begin(), keys_first.end());
    auto sort = MakeNode(LogicalKind::kSort);
    sort->columns = plan->columns;
    sort->ids = plan->ids;
    sort->order = all;
    sort->children.push_back(std::move(plan));
    plan = std::move(sort);
    auto d = MakeNode(LogicalKind::kDistinct);
    d->columns = plan->columns;
    d->ids = plan->ids;
    d->distinct_on = on_cols.size();
    d->exprs = on_cols;  // the ON columns, by id
    d->children.push_back(std::move(plan));
    plan = std::move(d);
    sort_keys.clear();  // already in order
  } else if (distinct) {
    auto d = MakeNode(LogicalKind::kDistinct);
    d->columns = plan->columns;
    d->ids = plan->ids;
    d->children.push_back(std::move(plan));
    plan = std::move(d);
  }
  if (!sort_keys.empty()) {
    auto sort = MakeNode(LogicalKind::kSort);
    sort->columns = plan->columns;
    sort->ids = plan->ids;
    sort->order = std::move(sort_keys);
    sort->children.push_back(std::move(plan));
    plan = std::move(sort);
  }
  if (s.limit || s.offset) {
    if (s.limit_with_ties) return Unimplemented(ErrorCode::kFeatureNotSupported, "FETCH FIRST ... WITH TIES is not supported");
    auto lim = MakeNode(LogicalKind::kLimit);
    if (s.limit) {
      ASSIGN_OR_RETURN(lim->limit, ConstCount(*s.limit, "LIMIT"));
    }
    if (s.offset) {
      ASSIGN_OR_RETURN(int64_t off, ConstCount(*s.offset, "OFFSET"));
      lim->offset = std::max<int64_t>(off, 0);
    }
    lim->columns = plan->columns;
    lim->ids = plan->ids;
    lim->children.push_back(std::move(plan));
    plan = std::move(lim);
  }
  if (exprs.size() > visible) {
    std::vector<ExprPtr> vis;
    std::vector<std::string> vnames;
    std::vector<int> vids;
    for (size_t i = 0; i < visible; i++) {
      vis.push_back(ColumnRef(ids[i], names[i], exprs[i]->type));
      vnames.push_back(names[i]);
      vids.push_back(ids[i]);
    }
    plan = MakeProjection(std::move(plan), std::move(vis), std::move(vnames), std::move(vids));
  }
  return plan;
}

// ---- GROUP BY -------------------------------------------------------------------------------

Result<int> Binder::AddGroupKey(const ast::Expr& e, const BindScope& scope, const std::vector<const ast::Expr*>& nodes,
                                const std::vector<std::string>& names, AggState* agg) {
  const ast::Expr* node = &e;
  if (int64_t pos = PositionOf(e); pos != 0) {
    if (pos < 0 || pos > int64_t(nodes.size())) return InvalidArgument(ErrorCode::kInvalidColumnReference, "GROUP BY position {} is not in select list", pos);
    if (!nodes[pos - 1]) return Unimplemented(ErrorCode::kFeatureNotSupported, "GROUP BY a position of a * column is not supported; name the column");
    node = nodes[pos - 1];
  } else if (IsBareName(e) && scope.scope.Find(e.names[0]) < 0) {
    // A bare name that is no input column: an output alias (PostgreSQL).
    for (size_t i = 0; i < names.size(); i++)
      if (names[i] == e.names[0] && nodes[i]) {
        node = nodes[i];
        break;
      }
  }
  if (ContainsNode(*node, IsAggregateCall)) return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in GROUP BY");
  if (ContainsNode(*node, IsWindowCall)) return InvalidArgument(ErrorCode::kWindowingError, "window functions are not allowed in GROUP BY");
  ExprCtx c;
  c.scope = &scope;
  c.clause = "GROUP BY";
  ASSIGN_OR_RETURN(ExprPtr b, Bind(*node, c));
  std::string k = b->Key();
  for (size_t i = 0; i < agg->key_keys.size(); i++)
    if (agg->key_keys[i] == k) return static_cast<int>(i);
  agg->keys.push_back(b);
  agg->key_keys.push_back(k);
  agg->key_ids.push_back(NewId());
  return static_cast<int>(agg->keys.size() - 1);
}

Result<std::vector<std::vector<int>>> Binder::BindGroupBy(const ast::SelectStmt& s, const BindScope& scope,
                                                          const std::vector<const ast::Expr*>& nodes,
                                                          const std::vector<std::string>& names, AggState* agg) {
  // Each GROUP BY element gives a list of key sets; the clause is their cross product.
  bool plain = true;
  std::vector<std::vector<std::set<int>>> lists;
  std::function<Result<std::vector<std::set<int>>>(const ast::GroupingElement&)> sets_of =
      [&](const ast::GroupingElement& g) -> Result<std::vector<std::set<int>>> {
    switch (g.kind) {
      case ast::GroupingKind::kExpr: {
        if (g.expr->kind == ast::ExprKind::kRow) {
          std::set<int> all;
          for (const auto& a : g.expr->args) {
            ASSIGN_OR_RETURN(int k, AddGroupKey(*a, scope, nodes, names, agg));
            all.insert(k);
          }
          return std::vector<std::set<int>>{all};
        }
        ASSIGN_OR_RETURN(int k, AddGroupKey(*g.expr, scope, nodes, names, agg));
        return std::vector<std::set<int>>{{k}};
      }
      case ast::GroupingKind::kEmpty: return std::vector<std::set<int>>{{}};
      case ast::GroupingKind::kList: {
        std::set<int> all;
        for (const auto& c : g.children) {
          ASSIGN_OR_RETURN(auto cs, sets_of(c));
          for (const auto& x : cs) all.insert(x.begin(), x.end());
        }
        return std::vector<std::set<int>>{all};
      }
      case ast::GroupingKind::kRollup:
      case ast::GroupingKind::kCube: {
        std::vector<std::set<int>> parts;
        for (const auto& c : g.children) {
          ASSIGN_OR_RETURN(auto cs, sets_of(c));
          std::set<int> u;
          for (const auto& x : cs) u.insert(x.begin(), x.end());
          parts.push_back(u);
        }
        std::vector<std::set<int>> out;
        if (g.kind == ast::GroupingKind::kRollup) {
          for (size_t n = parts.size() + 1; n-- > 0;) {
            std::set<int> u;
            for (size_t i = 0; i < n; i++) u.insert(parts[i].begin(), parts[i].end());
            out.push_back(u);
          }
        } else {
          if (parts.size() > 12) return InvalidArgument("CUBE is limited to 12 elements");
          for (size_t mask = (1u << parts.size()); mask-- > 0;) {
            std::set<int> u;
            for (size_t i = 0; i < parts.size(); i++)
              if (mask & (1u << (parts.size() - 1 - i))) u.insert(parts[i].begin(), parts[i].end());
            out.push_back(u);
          }
        }
        return out;
      }
      case ast::GroupingKind::kSets: {
        std::vector<std::set<int>> out;
        for (const auto& c : g.children) {
          ASSIGN_OR_RETURN(auto cs, sets_of(c));
          out.insert(out.end(), cs.begin(), cs.end());
        }
        return out;
      }
    }
    return std::vector<std::set<int>>{};
  };
  for (const auto& g : s.group_by) {
    if (g.kind != ast::GroupingKind::kExpr && g.kind != ast::GroupingKind::kList) plain = false;
    ASSIGN_OR_RETURN(auto l, sets_of(g));
    lists.push_back(std::move(l));
  }
  if (plain) return std::vector<std::vector<int>>{};
  std::vector<std::set<int>> acc{{}};
  for (const auto& l : lists) {
    std::vector<std::set<int>> next;
    for (const auto& a : acc)
      for (const auto& b : l) {
        std::set<int> u = a;
        u.insert(b.begin(), b.end());
        next.push_back(u);
      }
    acc = std::move(next);
    if (acc.size() > 4096) return InvalidArgument("too many grouping sets (at most 4096)");
  }
  std::vector<std::vector<int>> out;
  std::set<std::vector<int>> seen;
  for (const auto& a : acc) {
    std::vector<int> v(a.begin(), a.end());
    if (s.group_by_distinct && !seen.insert(v).second) continue;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace internal
}  // namespace laminar::planner
