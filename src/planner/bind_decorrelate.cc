// Decorrelation of subqueries in expressions (planner/binder.h): a subquery that reads columns
// of the enclosing query becomes a join whose condition holds the correlation.
//
// What is supported: the correlated conditions are conjuncts of the subquery's WHERE (at any
// depth of filters above its FROM). They are pulled out of the subquery and become the join
// condition:
//   EXISTS / NOT EXISTS        → a mark-exists join (true when a row of the subquery satisfies
//                                the condition);
//   x IN / NOT IN / = ANY / <> ALL (subquery) → a mark join on x = the subquery's column, with
//                                the correlation as the condition on the subquery's rows;
//   a scalar subquery over an aggregate without GROUP BY → the aggregate grouped by the
//                                inner side of each correlated equality, left-joined on those
//                                equalities (count(...) of no rows is 0: COALESCE);
//   a scalar subquery without an aggregate → a left join on the correlation that fails (21000)
//                                when an outer row has more than one match.
// The columns the conditions read are carried up through the subquery's projection (and, for
// aggregates, become its group keys). Anything else — a correlated reference in a join
// condition, the select list (except a scalar subquery's one expression, computed after the
// join), HAVING, under LIMIT/ORDER BY/DISTINCT/window, a non-equality
// correlation under an aggregate — is Unimplemented, naming what is not supported.
#include <fmt/format.h>

#include <algorithm>

#include "planner/binder_internal.h"

namespace laminar::planner::internal {

namespace {

bool ReadsAny(const sql::Expr& e, const std::set<int>& ids) {
  bool any = false;
  sql::VisitColumns(e, [&](int c) { any = any || ids.count(c) > 0; });
  return any;
}

bool NodeReads(const LogicalOperator& n, const std::set<int>& ids) {
  auto r = [&](const ExprPtr& e) { return e && ReadsAny(*e, ids); };
  if (r(n.scan_filter) || r(n.predicate) || r(n.residual)) return true;
  for (const auto& e : n.exprs) if (r(e)) return true;
  for (const auto& e : n.keys) if (r(e)) return true;
  for (const auto& e : n.left_keys) if (r(e)) return true;
  for (const auto& e : n.right_keys) if (r(e)) return true;
  for (const auto& o : n.order) if (r(o.expr)) return true;
  for (const auto& a : n.aggregates) {
    for (const auto& e : a.args) if (r(e)) return true;
    if (r(a.filter)) return true;
    for (const auto& o : a.order) if (r(o.expr)) return true;
  }
  for (const auto& w : n.windows) {
    for (const auto& e : w.args) if (r(e)) return true;
    for (const auto& e : w.partition_by) if (r(e)) return true;
    for (const auto& o : w.order_by) if (r(o.expr)) return true;
    for (const auto& e : w.aggregate.args) if (r(e)) return true;
  }
  return false;
}

bool SubtreeReads(const LogicalOperator& n, const std::set<int>& ids) {
  if (NodeReads(n, ids)) return true;
  for (const auto& c : n.children)
    if (SubtreeReads(*c, ids)) return true;
  return false;
}

class Puller {
 public:
  Puller(const std::set<int>& outer, Binder& b) : outer_(outer), b_(b) {}

  // Moves the correlated conjuncts of filters in `node`'s subtree into conds_.
  Status Pull(LogicalPtr& node, bool below_aggregate) {
    switch (node->kind) {
      case LogicalKind::kFilter: {
        std::vector<ExprPtr> parts, keep;
        SplitConjuncts(node->predicate, &parts);
        for (auto& p : parts) {
          if (!ReadsAny(*p, outer_)) {
            keep.push_back(p);
            continue;
          }
          if (!below_aggregate && aggregated_)
            return Unimplemented(ErrorCode::kFeatureNotSupported, "a correlated condition in the HAVING clause of a subquery is not supported");
          conds_.push_back(p);
        }
        RETURN_IF_ERROR(Pull(node->children[0], below_aggregate));
        if (keep.empty()) {
          LogicalPtr child = std::move(node->children[0]);
          node = std::move(child);
        } else {
          node->predicate = AndAll(std::move(keep));
          node->columns = node->children[0]->columns;
          node->ids = node->children[0]->ids;
        }
        return Status::OK();
      }
      case LogicalKind::kProjection: {
        RETURN_IF_ERROR(Pull(node->children[0], below_aggregate));
        // Carry the inner columns the conditions read up through the projection.
        for (const auto& c : conds_) {
          std::vector<int> cols;
          CollectColumns(*c, &cols);
          for (int id : cols) {
            if (outer_.count(id)) continue;
            if (std::find(node->ids.begin(), node->ids.end(), id) != node->ids.end()) continue;
            const auto& child = *node->children[0];
            auto it = std::find(child.ids.begin(), child.ids.end(), id);
            if (it == child.ids.end()) return Internal("decorrelation: column {} is not available", id);
            const OutputColumn& col = child.columns[it - child.ids.begin()];
            node->exprs.push_back(ColumnRef(id, col.name, col.type));
            node->columns.push_back(col);
            node->ids.push_back(id);
          }
        }
        return Status::OK();
      }
      case LogicalKind::kAggregate: {
        if (!node->grouping_sets.empty())
          return Unimplemented(ErrorCode::kFeatureNotSupported, "a correlated subquery with GROUPING SETS is not supported");
        aggregated_ = true;
        size_t before = conds_.size();
        RETURN_IF_ERROR(Pull(node->children[0], true));
        // Each correlation under the aggregate must be `inner = outer`: the inner side becomes a
        // group key and the condition reads the key.
        for (size_t i = before; i < conds_.size(); i++) {
          ExprPtr& c = conds_[i];
          if (c->kind != sql::ExprKind::kCompare || c->op != sql::CompareOp::kEq)
            return Unimplemented(ErrorCode::kFeatureNotSupported, "a correlated subquery with an aggregate supports only equality conditions with the "
                                 "enclosing query, not {}", c->ToString());
          ExprPtr a = c->children[0], o = c->children[1];
          if (ReadsAny(*a, outer_)) std::swap(a, o);
          std::vector<int> oc;
          CollectColumns(*o, &oc);
          bool outer_only = std::all_of(oc.begin(), oc.end(), [&](int id) { return outer_.count(id) > 0; });
          if (ReadsAny(*a, outer_) || !outer_only)
            return Unimplemented(ErrorCode::kFeatureNotSupported, "a correlated subquery with an aggregate supports only conditions of the form "
                                 "inner = outer, not {}", c->ToString());
          int key_id = b_.NewId();
          size_t pos = node->keys.size();
          node->keys.push_back(a);
          node->columns.insert(node->columns.begin() + pos, OutputColumn{a->ToString(), a->type});
          node->ids.insert(node->ids.begin() + pos, key_id);
          c = sql::MakeCompare(sql::CompareOp::kEq, ColumnRef(key_id, a->ToString(), a->type), o);
        }
        grouped_ = grouped_ || conds_.size() > before;
        return Status::OK();
      }
      default:
        if (SubtreeReads(*node, outer_))
          return Unimplemented(ErrorCode::kFeatureNotSupported, "a correlated reference here is not supported (only in the WHERE clause of the "
                               "subquery, outside its joins, LIMIT, ORDER BY, DISTINCT and window functions)");
        return Status::OK();
    }
  }

  std::vector<ExprPtr> conds_;
  bool grouped_ = false;
  bool aggregated_ = false;

 private:
  const std::set<int>& outer_;
  Binder& b_;
};

}  // namespace

Result<Decorrelated> Binder::Decorrelate(LogicalPtr sub, const std::set<int>& outer, bool scalar) {
  Decorrelated out;
  if (scalar && sub->kind == LogicalKind::kProjection && sub->exprs.size() == 1 && ReadsAny(*sub->exprs[0], outer)) {
    // The selected expression reads the enclosing query: it is computed after the join, from the
    // inner columns it reads (carried out of the subquery) and a marker that is NULL when the
    // subquery had no row for the outer row (the result is then NULL).
    ExprPtr top = sub->exprs[0];
    std::vector<int> cols;
    CollectColumns(*top, &cols);
    const LogicalOperator& child = *sub->children[0];
    std::vector<ExprPtr> exprs;
    std::vector<OutputColumn> columns;
    std::vector<int> ids;
    int marker = NewId();
    exprs.push_back(sql::MakeLiteral(Value::Bool(true), Type::kBool));
    columns.push_back({"?matched?", Type::kBool});
    ids.push_back(marker);
    for (int id : cols) {
      if (outer.count(id) || std::find(ids.begin(), ids.end(), id) != ids.end()) continue;
      auto it = std::find(child.ids.begin(), child.ids.end(), id);
      if (it == child.ids.end()) return Internal("decorrelation: column {} is not available", id);
      const OutputColumn& col = child.columns[it - child.ids.begin()];
      exprs.push_back(ColumnRef(id, col.name, col.type));
      columns.push_back(col);
      ids.push_back(id);
    }
    sub->exprs = std::move(exprs);
    sub->columns = std::move(columns);
    sub->ids = std::move(ids);
    out.scalar_expr = top;
    out.marker_id = marker;
  }
  // The count aggregates the scalar result may be (count of no rows is 0, not NULL).
  std::set<int> count_ids;
  if (scalar && sub->kind == LogicalKind::kProjection && sub->children[0]->kind == LogicalKind::kAggregate &&
      sub->children[0]->keys.empty()) {  // with GROUP BY, no rows give no group: NULL, not 0
    const LogicalOperator& agg = *sub->children[0];
    for (size_t i = 0; i < agg.aggregates.size(); i++) {
      auto k = agg.aggregates[i].spec.kind;
      if (k == function::AggregateKind::kCount || k == function::AggregateKind::kCountStar)
        count_ids.insert(agg.ids[agg.keys.size() + i]);
    }
  }
  Puller puller(outer, *this);
  RETURN_IF_ERROR(puller.Pull(sub, false));
  if (SubtreeReads(*sub, outer))
    return Unimplemented(ErrorCode::kFeatureNotSupported, "a correlated reference outside the subquery's WHERE clause is not supported");
  if (scalar) {
    // The subquery may give several rows for one outer row (it has no aggregate, or its
    // aggregate has GROUP BY): the join checks that it gives one at most (21000 otherwise), as
    // PostgreSQL does when it runs it.
    out.single_match = true;
    if (!count_ids.empty() && sub->kind == LogicalKind::kProjection && !out.scalar_expr) {
      const ExprPtr& e = sub->exprs[0];
      if (e->kind == sql::ExprKind::kColumn && count_ids.count(e->column)) {
        out.coalesce_zero = true;
      } else if (ReadsAny(*e, count_ids)) {
        return Unimplemented(ErrorCode::kFeatureNotSupported, "a correlated scalar subquery computing an expression of count() is not supported; "
                             "select count() itself");
      }
    }
  }
  out.conds = std::move(puller.conds_);
  out.plan = std::move(sub);
  return out;
}

}  // namespace laminar::planner::internal
