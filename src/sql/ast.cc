#include "sql/ast.h"

#include <string>

namespace laminar::sql::ast {
namespace {

ExprPtr CloneExpr(const ExprPtr& e) { return e ? e->Clone() : nullptr; }

std::vector<ExprPtr> CloneExprs(const std::vector<ExprPtr>& v) {
  std::vector<ExprPtr> out;
  out.reserve(v.size());
  for (const auto& e : v) out.push_back(CloneExpr(e));
  return out;
}

std::vector<SortItem> CloneSort(const std::vector<SortItem>& v) {
  std::vector<SortItem> out;
  out.reserve(v.size());
  for (const auto& s : v) out.push_back(s.Clone());
  return out;
}

SelectPtr CloneSelect(const SelectPtr& s) { return s ? s->Clone() : nullptr; }

}  // namespace

SortItem SortItem::Clone() const {
  SortItem s;
  s.expr = CloneExpr(expr);
  s.dir = dir;
  s.nulls = nulls;
  s.location = location;
  return s;
}

std::unique_ptr<WindowDef> WindowDef::Clone() const {
  auto w = std::make_unique<WindowDef>();
  w->name = name;
  w->refname = refname;
  w->ref_only = ref_only;
  w->partition_by = CloneExprs(partition_by);
  w->order_by = CloneSort(order_by);
  w->has_frame = has_frame;
  w->mode = mode;
  w->start = start;
  w->end = end;
  w->start_offset = CloneExpr(start_offset);
  w->end_offset = CloneExpr(end_offset);
  w->exclusion = exclusion;
  w->location = location;
  return w;
}

const std::string& Expr::FunctionName() const {
  static const std::string kEmpty;
  return kind == ExprKind::kFunction && !func_name.empty() ? func_name.back() : kEmpty;
}

ExprPtr Expr::Clone() const {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->location = location;
  e->args = CloneExprs(args);
  e->names = names;
  e->star = star;
  e->value = value;
  e->is_string = is_string;
  e->constant_text = constant_text;
  e->is_bit_string = is_bit_string;
  e->param_number = param_number;
  e->op = op;
  e->op_schema = op_schema;
  e->negated = negated;
  e->symmetric = symmetric;
  e->all = all;
  e->bool_test = bool_test;
  e->like = like;
  e->has_escape = has_escape;
  e->has_operand = has_operand;
  e->has_else = has_else;
  e->type = type;
  e->func_name = func_name;
  e->agg_star = agg_star;
  e->agg_distinct = agg_distinct;
  e->agg_within_group = agg_within_group;
  e->func_variadic = func_variadic;
  e->agg_order = CloneSort(agg_order);
  e->agg_filter = CloneExpr(agg_filter);
  e->over = over ? over->Clone() : nullptr;
  e->arg_names = arg_names;
  e->sublink = sublink;
  e->subquery = CloneSelect(subquery);
  e->sql_value = sql_value;
  e->sql_value_precision = sql_value_precision;
  e->indirection.reserve(indirection.size());
  for (const IndirectionStep& s : indirection) {
    IndirectionStep c;
    c.is_field = s.is_field;
    c.field = s.field;
    c.lower = CloneExpr(s.lower);
    c.upper = CloneExpr(s.upper);
    c.is_slice = s.is_slice;
    e->indirection.push_back(std::move(c));
  }
  return e;
}

TableRefPtr TableRef::Clone() const {
  auto t = std::make_unique<TableRef>();
  t->kind = kind;
  t->location = location;
  t->catalog = catalog;
  t->schema = schema;
  t->name = name;
  t->alias = alias;
  t->column_aliases = column_aliases;
  t->lateral = lateral;
  t->subquery = CloneSelect(subquery);
  t->function = CloneExpr(function);
  t->column_types = column_types;
  t->with_ordinality = with_ordinality;
  t->join_type = join_type;
  t->natural = natural;
  t->left = left ? left->Clone() : nullptr;
  t->right = right ? right->Clone() : nullptr;
  t->on = CloneExpr(on);
  t->using_columns = using_columns;
  t->using_alias = using_alias;
  return t;
}

GroupingElement GroupingElement::Clone() const {
  GroupingElement g;
  g.kind = kind;
  g.expr = CloneExpr(expr);
  g.children.reserve(children.size());
  for (const auto& c : children) g.children.push_back(c.Clone());
  g.location = location;
  return g;
}

SelectItem SelectItem::Clone() const {
  SelectItem s;
  s.expr = CloneExpr(expr);
  s.alias = alias;
  s.location = location;
  return s;
}

SelectPtr SelectStmt::Clone() const {
  auto s = std::make_unique<SelectStmt>();
  for (const CommonTableExpr& c : with) {
    CommonTableExpr n;
    n.name = c.name;
    n.column_names = c.column_names;
    n.query = CloneSelect(c.query);
    n.materialized = c.materialized;
    n.location = c.location;
    s->with.push_back(std::move(n));
  }
  s->with_recursive = with_recursive;
  s->op = op;
  s->set_all = set_all;
  s->left = CloneSelect(left);
  s->right = CloneSelect(right);
  for (const auto& row : values_lists) s->values_lists.push_back(CloneExprs(row));
  s->distinct = distinct;
  s->distinct_on = CloneExprs(distinct_on);
  for (const auto& t : targets) s->targets.push_back(t.Clone());
  for (const auto& f : from) s->from.push_back(f ? f->Clone() : nullptr);
  s->where = CloneExpr(where);
  for (const auto& g : group_by) s->group_by.push_back(g.Clone());
  s->group_by_distinct = group_by_distinct;
  s->having = CloneExpr(having);
  for (const auto& w : windows) s->windows.push_back(w ? w->Clone() : nullptr);
  s->order_by = CloneSort(order_by);
  s->limit = CloneExpr(limit);
  s->offset = CloneExpr(offset);
  s->limit_with_ties = limit_with_ties;
  s->for_update = for_update;
  s->into = into;
  s->location = location;
  return s;
}

}  // namespace laminar::sql::ast
