#include "planner/optimizer.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "planner/plan_util.h"

namespace laminar::planner {

namespace {

using sql::ExprKind;
using sql::ExprPtr;

bool ReadsOnly(const sql::Expr& e, const std::vector<int>& ids) {
  bool ok = true;
  sql::VisitColumns(e, [&](int c) { ok = ok && std::find(ids.begin(), ids.end(), c) != ids.end(); });
  return ok;
}

sql::CompareOp Flip(sql::CompareOp op) {
  switch (op) {
    case sql::CompareOp::kLt: return sql::CompareOp::kGt;
    case sql::CompareOp::kLe: return sql::CompareOp::kGe;
    case sql::CompareOp::kGt: return sql::CompareOp::kLt;
    case sql::CompareOp::kGe: return sql::CompareOp::kLe;
    default: return op;
  }
}

// Bounds a scan can use: comparisons of a scanned column with constants.
void DeriveBounds(const sql::Expr& e, const LogicalOperator& get, std::vector<execution::ColumnBound>* out) {
  auto constant = [](const ExprPtr& x, Value* v) {
    if (!sql::IsConstant(*x)) return false;
    *v = sql::Eval(*x, nullptr);
    sql::ClearEvalError();
    return !v->is_null();
  };
  auto column_of = [&](const sql::Expr& c) -> int {
    if (c.kind != ExprKind::kColumn) return -1;
    for (size_t i = 0; i < get.ids.size(); i++)
      if (get.ids[i] == c.column) return get.scan_columns[i];
    return -1;
  };
  auto add = [&](int col, sql::CompareOp op, const Value& v) {
    if (col < 0) return;
    // Compare in the column's type domain only: a bound of another type could prune wrongly.
    Type ct = get.table.columns[col].type;
    bool numeric = (ct == Type::kInt64 || ct == Type::kDouble) && (v.type() == Type::kInt64 || v.type() == Type::kDouble);
    if (!numeric && v.type() != ct) return;
    execution::ColumnBound b;
    b.column = col;
    switch (op) {
      case sql::CompareOp::kEq: b.lo = b.hi = v; break;
      case sql::CompareOp::kLt: b.hi = v; b.hi_inclusive = false; break;
      case sql::CompareOp::kLe: b.hi = v; break;
      case sql::CompareOp::kGt: b.lo = v; b.lo_inclusive = false; break;
      case sql::CompareOp::kGe: b.lo = v; break;
      case sql::CompareOp::kNe: return;
    }
    out->push_back(std::move(b));
  };
  Value v, w;
  if (e.kind == ExprKind::kCompare) {
    const ExprPtr &a = e.children[0], &b = e.children[1];
    if (a->kind == ExprKind::kColumn && constant(b, &v)) add(column_of(*a), e.op, v);
    else if (b->kind == ExprKind::kColumn && constant(a, &v)) add(column_of(*b), Flip(e.op), v);
  } else if (e.kind == ExprKind::kBetween && !e.negated && e.children[0]->kind == ExprKind::kColumn &&
             constant(e.children[1], &v) && constant(e.children[2], &w)) {
    int col = column_of(*e.children[0]);
    add(col, sql::CompareOp::kGe, v);
    add(col, sql::CompareOp::kLe, w);
  } else if (e.kind == ExprKind::kIn && !e.negated && e.children[0]->kind == ExprKind::kColumn) {
    Value lo, hi;
    for (size_t i = 1; i < e.children.size(); i++) {
      if (!constant(e.children[i], &v)) return;
      if (lo.is_null() || Value::Compare(v, lo) < 0) lo = v;
      if (hi.is_null() || Value::Compare(v, hi) > 0) hi = v;
    }
    if (lo.is_null()) return;
    int col = column_of(*e.children[0]);
    add(col, sql::CompareOp::kGe, lo);
    add(col, sql::CompareOp::kLe, hi);
  }
}

LogicalPtr WrapFilter(LogicalPtr node, std::vector<ExprPtr> preds) {
  if (preds.empty()) return node;
  return MakeFilter(std::move(node), AndAll(std::move(preds)));
}

// A join condition conjunct `l = r` with l over the left input and r over the right: a key.
bool TakeKey(const ExprPtr& c, const LogicalOperator& join, ExprPtr* l, ExprPtr* r) {
  if (c->kind != ExprKind::kCompare || c->op != sql::CompareOp::kEq) return false;
  const auto& left_ids = join.children[0]->ids;
  const auto& right_ids = join.children[1]->ids;
  const ExprPtr &a = c->children[0], &b = c->children[1];
  if (sql::IsConstant(*a) || sql::IsConstant(*b)) return false;
  if (ReadsOnly(*a, left_ids) && ReadsOnly(*b, right_ids)) {
    *l = a;
    *r = b;
  } else if (ReadsOnly(*b, left_ids) && ReadsOnly(*a, right_ids)) {
    *l = b;
    *r = a;
  } else {
    return false;
  }
  if ((*l)->type != (*r)->type) {
    auto numeric = [](Type t) { return t == Type::kInt64 || t == Type::kDouble; };
    if (!numeric((*l)->type) || !numeric((*r)->type)) return false;
    *l = CastTo(*l, Type::kDouble);
    *r = CastTo(*r, Type::kDouble);
  }
  return true;
}

LogicalPtr Push(LogicalPtr node, std::vector<ExprPtr> preds);

LogicalPtr PushJoin(LogicalPtr node, std::vector<ExprPtr> preds) {
  JoinKind k = node->join;
  const auto& lids = node->children[0]->ids;
  const auto& rids = node->children[1]->ids;
  std::vector<ExprPtr> to_left, to_right, above, cond;
  bool inner = k == JoinKind::kInner || k == JoinKind::kCross;
  // WHERE conjuncts above the join.
  for (auto& p : preds) {
    if (ReadsOnly(*p, lids) && k != JoinKind::kRight && k != JoinKind::kFull) to_left.push_back(p);
    else if (ReadsOnly(*p, rids) && (inner || k == JoinKind::kRight)) to_right.push_back(p);
    else if (inner) cond.push_back(p);
    else above.push_back(p);
  }
  // The join's own condition (MARK and SINGLE joins keep theirs as keys).
  std::vector<ExprPtr> own;
  SplitConjuncts(node->residual, &own);
  node->residual = nullptr;
  for (auto& c : own) {
    if (inner && ReadsOnly(*c, lids)) to_left.push_back(c);
    else if ((inner || k == JoinKind::kLeft) && ReadsOnly(*c, rids)) to_right.push_back(c);
    else if (k == JoinKind::kRight && ReadsOnly(*c, lids)) to_left.push_back(c);
    else cond.push_back(c);
  }
  std::vector<ExprPtr> residual;
  for (auto& c : cond) {
    ExprPtr l, r;
    if (k != JoinKind::kMark && TakeKey(c, *node, &l, &r)) {
      node->left_keys.push_back(l);
      node->right_keys.push_back(r);
    } else {
      residual.push_back(c);
    }
  }
  if (node->join == JoinKind::kCross && (!node->left_keys.empty() || !residual.empty())) node->join = JoinKind::kInner;
  node->residual = AndAll(std::move(residual));
  node->children[0] = Push(std::move(node->children[0]), std::move(to_left));
  node->children[1] = Push(std::move(node->children[1]), std::move(to_right));
  return WrapFilter(std::move(node), std::move(above));
}

LogicalPtr Push(LogicalPtr node, std::vector<ExprPtr> preds) {
  switch (node->kind) {
    case LogicalKind::kFilter: {
      SplitConjuncts(node->predicate, &preds);
      return Push(std::move(node->children[0]), std::move(preds));
    }
    case LogicalKind::kProjection: {
      // Inline the projected expressions into the conjuncts that read only this projection.
      std::map<int, ExprPtr> defs;
      for (size_t i = 0; i < node->ids.size(); i++) defs[node->ids[i]] = node->exprs[i];
      std::vector<ExprPtr> down, above;
      for (auto& p : preds) {
        if (!ReadsOnly(*p, node->ids)) {
          above.push_back(p);
          continue;
        }
        std::function<ExprPtr(const ExprPtr&)> inline_defs = [&](const ExprPtr& e) -> ExprPtr {
          if (e->kind == ExprKind::kColumn) return defs.at(e->column);
          if (e->children.empty()) return e;
          auto n = std::make_shared<sql::Expr>(*e);
          for (auto& ch : n->children) ch = inline_defs(ch);
          return ExprPtr(n);
        };
        down.push_back(inline_defs(p));
      }
      node->children[0] = Push(std::move(node->children[0]), std::move(down));
      return WrapFilter(std::move(node), std::move(above));
    }
    case LogicalKind::kSort:
      node->children[0] = Push(std::move(node->children[0]), std::move(preds));
      return node;
    case LogicalKind::kDistinct:
      if (node->distinct_on == 0) {
        node->children[0] = Push(std::move(node->children[0]), std::move(preds));
        return node;
      }
      node->children[0] = Push(std::move(node->children[0]), {});
      return WrapFilter(std::move(node), std::move(preds));
    case LogicalKind::kJoin: return PushJoin(std::move(node), std::move(preds));
    case LogicalKind::kProjectSet:
    case LogicalKind::kApply: {
      // Conjuncts that do not read the subquery's answer (the functions' values) go below it.
      std::vector<ExprPtr> down, above;
      for (auto& p : preds) (ReadsOnly(*p, node->children[0]->ids) ? down : above).push_back(p);
      node->children[0] = Push(std::move(node->children[0]), std::move(down));
      return WrapFilter(std::move(node), std::move(above));
    }
    case LogicalKind::kAggregate: {
      // Conjuncts over group keys only filter groups before grouping (not with grouping sets,
      // where a key is NULL in the rows of the sets without it).
      std::vector<ExprPtr> down, above;
      size_t nkeys = node->keys.size();
      std::vector<int> key_ids(node->ids.begin(), node->ids.begin() + nkeys);
      for (auto& p : preds) {
        if (node->grouping_sets.empty() && nkeys > 0 && ReadsOnly(*p, key_ids)) {
          // Substitute each key id by its expression.
          std::function<ExprPtr(const ExprPtr&)> sub = [&](const ExprPtr& e) -> ExprPtr {
            if (e->kind == ExprKind::kColumn) {
              for (size_t i = 0; i < nkeys; i++)
                if (key_ids[i] == e->column) return node->keys[i];
              return e;
            }
            if (e->children.empty()) return e;
            auto n = std::make_shared<sql::Expr>(*e);
            for (auto& ch : n->children) ch = sub(ch);
            return ExprPtr(n);
          };
          down.push_back(sub(p));
        } else {
          above.push_back(p);
        }
      }
      node->children[0] = Push(std::move(node->children[0]), std::move(down));
      return WrapFilter(std::move(node), std::move(above));
    }
    case LogicalKind::kGet: {
      std::vector<ExprPtr> mine;
      SplitConjuncts(node->scan_filter, &mine);
      for (auto& p : preds) mine.push_back(p);
      node->bounds.clear();
      for (const auto& p : mine) DeriveBounds(*p, *node, &node->bounds);
      node->scan_filter = AndAll(std::move(mine));
      return node;
    }
    default: {
      for (auto& c : node->children) c = Push(std::move(c), {});
      return WrapFilter(std::move(node), std::move(preds));
    }
  }
}

// ---- Column pruning ----

void Need(const ExprPtr& e, std::set<int>* need) {
  if (e) sql::VisitColumns(*e, [&](int c) { need->insert(c); });
}

void PassThrough(LogicalOperator* node) {
  node->columns = node->children[0]->columns;
  node->ids = node->children[0]->ids;
}

void Prune(LogicalOperator* node, const std::set<int>& required) {
  std::set<int> need;
  switch (node->kind) {
    case LogicalKind::kGet: {
      std::set<int> want = required;
      Need(node->scan_filter, &want);
      std::vector<OutputColumn> cols;
      std::vector<int> ids, scan;
      for (size_t i = 0; i < node->ids.size(); i++) {
        if (!want.count(node->ids[i])) continue;
        cols.push_back(node->columns[i]);
        ids.push_back(node->ids[i]);
        scan.push_back(node->scan_columns[i]);
      }
      node->columns = std::move(cols);
      node->ids = std::move(ids);
      node->scan_columns = std::move(scan);
      return;
    }
    case LogicalKind::kValues:
    case LogicalKind::kSeries:
    case LogicalKind::kSetOp:
    case LogicalKind::kSingleRow: {
      for (auto& c : node->children) Prune(c.get(), std::set<int>(c->ids.begin(), c->ids.end()));
      return;
    }
    case LogicalKind::kFilter:
      need = required;
      Need(node->predicate, &need);
      Prune(node->children[0].get(), need);
      PassThrough(node);
      return;
    case LogicalKind::kProjection: {
      std::vector<OutputColumn> cols;
      std::vector<int> ids;
      std::vector<ExprPtr> exprs;
      for (size_t i = 0; i < node->ids.size(); i++) {
        if (!required.count(node->ids[i])) continue;
        cols.push_back(node->columns[i]);
        ids.push_back(node->ids[i]);
        exprs.push_back(node->exprs[i]);
        Need(node->exprs[i], &need);
      }
      node->columns = std::move(cols);
      node->ids = std::move(ids);
      node->exprs = std::move(exprs);
      Prune(node->children[0].get(), need);
      return;
    }
    case LogicalKind::kAggregate:
      for (const auto& k : node->keys) Need(k, &need);
      for (const auto& a : node->aggregates) {
        for (const auto& x : a.args) Need(x, &need);
        Need(a.filter, &need);
        for (const auto& o : a.order) Need(o.expr, &need);
      }
      Prune(node->children[0].get(), need);
      return;
    case LogicalKind::kProjectSet: {
      size_t base = node->columns.size() - node->set_calls.size();
      std::vector<OutputColumn> scols(node->columns.begin() + base, node->columns.end());
      std::vector<int> sids(node->ids.begin() + base, node->ids.end());
      need = required;
      for (const auto& c : node->set_calls)
        for (const auto& a : c.args) Need(a, &need);
      Prune(node->children[0].get(), need);
      PassThrough(node);
      node->columns.insert(node->columns.end(), scols.begin(), scols.end());
      node->ids.insert(node->ids.end(), sids.begin(), sids.end());
      return;
    }
    case LogicalKind::kApply: {
      std::vector<OutputColumn> answer(node->columns.end() - long(node->apply_width), node->columns.end());
      std::vector<int> answer_ids(node->ids.end() - long(node->apply_width), node->ids.end());
      need = required;
      need.insert(node->apply_params.begin(), node->apply_params.end());
      Prune(node->children[0].get(), need);
      PassThrough(node);
      node->columns.insert(node->columns.end(), answer.begin(), answer.end());
      node->ids.insert(node->ids.end(), answer_ids.begin(), answer_ids.end());
      return;
    }
    case LogicalKind::kJoin: {
      bool mark = node->join == JoinKind::kMark || node->join == JoinKind::kMarkExists;
      OutputColumn mark_col;
      int mark_id = -1;
      if (mark) {
        mark_col = node->columns.back();
        mark_id = node->ids.back();
      }
      need = required;
      for (const auto& k : node->left_keys) Need(k, &need);
      for (const auto& k : node->right_keys) Need(k, &need);
      Need(node->residual, &need);
      Prune(node->children[0].get(), need);
      Prune(node->children[1].get(), need);
      node->columns = node->children[0]->columns;
      node->ids = node->children[0]->ids;
      if (mark) {
        node->columns.push_back(mark_col);
        node->ids.push_back(mark_id);
      } else if (node->join != JoinKind::kSemi && node->join != JoinKind::kAnti) {
        const auto& r = node->children[1];
        node->columns.insert(node->columns.end(), r->columns.begin(), r->columns.end());
        node->ids.insert(node->ids.end(), r->ids.begin(), r->ids.end());
      }
      return;
    }
    case LogicalKind::kWindow: {
      size_t base = node->columns.size() - node->windows.size();
      std::vector<OutputColumn> wcols(node->columns.begin() + base, node->columns.end());
      std::vector<int> wids(node->ids.begin() + base, node->ids.end());
      need = required;
      for (const auto& w : node->windows) {
        for (const auto& a : w.args) Need(a, &need);
        for (const auto& p : w.partition_by) Need(p, &need);
        for (const auto& o : w.order_by) Need(o.expr, &need);
        for (const auto& x : w.aggregate.args) Need(x, &need);
        Need(w.aggregate.filter, &need);
      }
      Prune(node->children[0].get(), need);
      PassThrough(node);
      node->columns.insert(node->columns.end(), wcols.begin(), wcols.end());
      node->ids.insert(node->ids.end(), wids.begin(), wids.end());
      return;
    }
    case LogicalKind::kSort:
      need = required;
      for (const auto& o : node->order) Need(o.expr, &need);
      Prune(node->children[0].get(), need);
      PassThrough(node);
      return;
    case LogicalKind::kLimit:
      Prune(node->children[0].get(), required);
      PassThrough(node);
      return;
    case LogicalKind::kDistinct:
      if (node->distinct_on == 0) {
        const auto& c = node->children[0];
        Prune(c.get(), std::set<int>(c->ids.begin(), c->ids.end()));
      } else {
        need = required;
        for (const auto& e : node->exprs) Need(e, &need);
        Prune(node->children[0].get(), need);
      }
      PassThrough(node);
      return;
  }
}

}  // namespace

double EstimateRows(const LogicalOperator& n) {
  switch (n.kind) {
    case LogicalKind::kGet: return n.table.estimated_rows * (n.scan_filter ? 0.3 : 1.0);
    case LogicalKind::kValues: return double(n.rows.size());
    case LogicalKind::kFilter: return EstimateRows(*n.children[0]) * 0.3;
    case LogicalKind::kAggregate: return n.keys.empty() ? 1.0 : std::max(1.0, EstimateRows(*n.children[0]) * 0.1);
    case LogicalKind::kJoin: {
      double l = EstimateRows(*n.children[0]), r = EstimateRows(*n.children[1]);
      if (n.join == JoinKind::kCross) return l * r;
      if (n.join == JoinKind::kMark || n.join == JoinKind::kMarkExists || n.join == JoinKind::kSemi || n.join == JoinKind::kAnti) return l;
      return std::max(l, r);
    }
    case LogicalKind::kLimit: {
      double c = EstimateRows(*n.children[0]);
      return n.limit >= 0 ? std::min(c, double(n.limit)) : c;
    }
    case LogicalKind::kSingleRow: return 1.0;
    case LogicalKind::kSeries:
      return std::max(1.0, (double(n.series_stop) - double(n.series_start)) / double(n.series_step) + 1);
    case LogicalKind::kSetOp: return EstimateRows(*n.children[0]) + EstimateRows(*n.children[1]);
    default: return n.children.empty() ? 1.0 : EstimateRows(*n.children[0]);
  }
}

LogicalPtr Optimize(LogicalPtr plan) {
  plan = Push(std::move(plan), {});
  std::set<int> all(plan->ids.begin(), plan->ids.end());
  Prune(plan.get(), all);
  return plan;
}

}  // namespace laminar::planner
