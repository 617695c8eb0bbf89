#include "planner/plan_util.h"

#include <algorithm>

namespace laminar::planner {

sql::ExprPtr RemapColumns(const sql::ExprPtr& e, const std::function<int(int)>& f) {
  if (!e) return e;
  if (e->kind == sql::ExprKind::kColumn) {
    int c = f(e->column);
    if (c == e->column) return e;
    auto n = std::make_shared<sql::Expr>(*e);
    n->column = c;
    return n;
  }
  bool changed = false;
  std::vector<sql::ExprPtr> kids;
  kids.reserve(e->children.size());
  for (const auto& c : e->children) {
    kids.push_back(RemapColumns(c, f));
    changed = changed || kids.back() != c;
  }
  if (!changed) return e;
  auto n = std::make_shared<sql::Expr>(*e);
  n->children = std::move(kids);
  return n;
}

void CollectColumns(const sql::Expr& e, std::vector<int>* out) {
  sql::VisitColumns(e, [&](int c) {
    if (std::find(out->begin(), out->end(), c) == out->end()) out->push_back(c);
  });
}

void SplitConjuncts(const sql::ExprPtr& e, std::vector<sql::ExprPtr>* out) {
  if (!e) return;
  if (e->kind == sql::ExprKind::kAnd) {
    for (const auto& c : e->children) SplitConjuncts(c, out);
    return;
  }
  out->push_back(e);
}

sql::ExprPtr AndAll(std::vector<sql::ExprPtr> parts) {
  if (parts.empty()) return nullptr;
  if (parts.size() == 1) return parts[0];
  auto n = std::make_shared<sql::Expr>();
  n->kind = sql::ExprKind::kAnd;
  n->type = Type::kBool;
  n->children = std::move(parts);
  return n;
}

sql::ExprPtr ColumnRef(int id, const std::string& name, Type type) { return sql::MakeColumn(id, name, type); }

sql::ExprPtr CastTo(const sql::ExprPtr& e, Type t) {
  if (e->type == t) return e;
  return sql::MakeCast(e, t);
}

LogicalPtr MakeProjection(LogicalPtr child, std::vector<sql::ExprPtr> exprs, std::vector<std::string> names,
                          std::vector<int> ids) {
  auto p = MakeNode(LogicalKind::kProjection);
  for (size_t i = 0; i < exprs.size(); i++) p->columns.push_back({names[i], exprs[i]->type, exprs[i]->shape});
  p->ids = std::move(ids);
  p->exprs = std::move(exprs);
  p->children.push_back(std::move(child));
  return p;
}

LogicalPtr MakeFilter(LogicalPtr child, sql::ExprPtr predicate) {
  auto f = MakeNode(LogicalKind::kFilter);
  f->columns = child->columns;
  f->ids = child->ids;
  f->predicate = std::move(predicate);
  f->children.push_back(std::move(child));
  return f;
}

}  // namespace laminar::planner
