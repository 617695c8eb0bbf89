// Rewrites of the syntax tree before binding (planner/binder_internal.h DesugarQuantified).
#include "planner/binder_internal.h"

namespace laminar::planner::internal {

namespace {

// `x op ANY (subquery)` other than `= ANY` (IN), `x op ALL (subquery)` other than `<> ALL` (NOT
// IN), over a subquery of one column.
bool IsOrderedQuantified(const ast::Expr& x) {
  if (x.kind != ast::ExprKind::kSubquery || !x.subquery || x.args.empty() || x.args[0]->kind == ast::ExprKind::kRow) return false;
  bool any = x.sublink == ast::SublinkKind::kAny && x.op != "=";
  bool all = x.sublink == ast::SublinkKind::kAll && x.op != "<>" && x.op != "!=";
  if (!any && !all) return false;
  const ast::SelectStmt* s = x.subquery.get();
  while (s && s->op != ast::SetOpKind::kNone) s = s->left.get();
  if (!s) return false;
  if (!s->values_lists.empty()) return s->values_lists[0].size() == 1;
  return s->targets.size() == 1 && !(s->targets[0].expr->kind == ast::ExprKind::kColumnRef && s->targets[0].expr->star);
}

// x op ANY|ALL (COALESCE((SELECT array_agg(v) FROM (subquery) AS quantified(v)), '{}')): the
// subquery's values as an array, which ANY/ALL over arrays compares with the same three-valued
// result (an empty subquery: ANY false, ALL true).
ast::ExprPtr QuantifiedOverArray(const ast::Expr& x) {
  auto inner = std::make_unique<ast::TableRef>();
  inner->kind = ast::TableRefKind::kSubquery;
  inner->subquery = x.subquery->Clone();
  inner->alias = "quantified";
  inner->column_aliases = {"v"};
  auto col = std::make_unique<ast::Expr>();
  col->kind = ast::ExprKind::kColumnRef;
  col->names = {"quantified", "v"};
  auto agg = std::make_unique<ast::Expr>();
  agg->kind = ast::ExprKind::kFunction;
  agg->func_name = {"array_agg"};
  agg->args.push_back(std::move(col));
  auto sel = std::make_unique<ast::SelectStmt>();
  ast::SelectItem item;
  item.expr = std::move(agg);
  sel->targets.push_back(std::move(item));
  sel->from.push_back(std::move(inner));
  auto scalar = std::make_unique<ast::Expr>();
  scalar->kind = ast::ExprKind::kSubquery;
  scalar->sublink = ast::SublinkKind::kScalar;
  scalar->subquery = std::move(sel);
  auto empty = std::make_unique<ast::Expr>();
  empty->kind = ast::ExprKind::kConstant;
  empty->value = Value::Text("{}");
  empty->is_string = true;
  auto co = std::make_unique<ast::Expr>();
  co->kind = ast::ExprKind::kCoalesce;
  co->args.push_back(std::move(scalar));
  co->args.push_back(std::move(empty));
  auto q = std::make_unique<ast::Expr>();
  q->kind = ast::ExprKind::kAnyAll;
  q->op = x.op;
  q->all = x.sublink == ast::SublinkKind::kAll;
  q->location = x.location;
  q->args.push_back(x.args[0]->Clone());
  q->args.push_back(std::move(co));
  return q;
}

void Rewrite(ast::ExprPtr* e) {
  if (IsOrderedQuantified(**e)) *e = QuantifiedOverArray(**e);
  for (auto& a : (*e)->args)
    if (a) Rewrite(&a);
}

}  // namespace

ast::ExprPtr DesugarQuantified(const ast::Expr& e) {
  if (!ContainsNode(e, IsOrderedQuantified)) return nullptr;
  ast::ExprPtr copy = e.Clone();
  Rewrite(&copy);
  return copy;
}

}  // namespace laminar::planner::internal
