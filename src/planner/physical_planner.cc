#include "planner/physical_planner.h"

#include "execution/apply.h"
#include "execution/project_set.h"
#include "planner/binder.h"
#include "planner/optimizer.h"

#include <fmt/format.h>

#include <algorithm>

#include "sql/vector_eval.h"
#include "execution/filter.h"
#include "execution/join.h"
#include "execution/limit.h"
#include "execution/projection.h"
#include "execution/series.h"
#include "execution/single_row.h"
#include "execution/sort.h"
#include "execution/table_scan.h"
#include "execution/values.h"
#include "planner/optimizer.h"
#include "planner/physical_planner_internal.h"
#include "planner/plan_util.h"

namespace laminar::planner {

namespace internal {

using execution::PhysicalOperatorPtr;
using sql::ExprPtr;

Result<ExprPtr> ToPositions(const ExprPtr& e, const std::vector<int>& ids) {
  if (!e) return e;
  bool missing = false;
  ExprPtr out = RemapColumns(e, [&](int id) {
    auto it = std::find(ids.begin(), ids.end(), id);
    if (it == ids.end()) {
      missing = true;
      return id;
    }
    return static_cast<int>(it - ids.begin());
  });
  if (missing) return Internal("plan: {} reads a column its input does not have", e->ToString());
  return out;
}

Result<std::vector<uint32_t>> Materialize(Lowered* in, const std::vector<ExprPtr>& exprs) {
  std::vector<uint32_t> pos;
  std::vector<ExprPtr> extra;
  for (const auto& e : exprs) {
    if (e->kind == sql::ExprKind::kColumn) {
      auto it = std::find(in->ids.begin(), in->ids.end(), e->column);
      if (it != in->ids.end()) {
        pos.push_back(static_cast<uint32_t>(it - in->ids.begin()));
        continue;
      }
    }
    ASSIGN_OR_RETURN(ExprPtr p, ToPositions(e, in->ids));
    pos.push_back(static_cast<uint32_t>(in->ids.size() + extra.size()));
    extra.push_back(p);
  }
  if (extra.empty()) return pos;
  std::vector<ExprPtr> all;
  for (size_t i = 0; i < in->types.size(); i++) all.push_back(sql::MakeColumn(static_cast<int>(i), "", in->types[i]));
  for (auto& e : extra) {
    all.push_back(e);
    in->ids.push_back(-1);
    in->types.push_back(e->type);
  }
  in->op = std::make_unique<execution::Projection>(std::move(in->op), std::move(all));
  return pos;
}

Result<Lowered> Select(Lowered in, const std::vector<int>& ids) {
  if (in.ids == ids) return in;
  std::vector<ExprPtr> exprs;
  std::vector<Type> types;
  for (int id : ids) {
    auto it = std::find(in.ids.begin(), in.ids.end(), id);
    if (it == in.ids.end()) return Internal("plan: column {} is missing", id);
    size_t p = it - in.ids.begin();
    exprs.push_back(sql::MakeColumn(static_cast<int>(p), "", in.types[p]));
    types.push_back(in.types[p]);
  }
  Lowered out;
  out.op = std::make_unique<execution::Projection>(std::move(in.op), std::move(exprs));
  out.ids = ids;
  out.types = std::move(types);
  return out;
}

namespace {

execution::ChunkPredicate PredicateOf(ExprPtr e) {
  return [e](const columnar::Chunk& rows, std::vector<uint32_t>* sel) -> Status {
    sql::ClearEvalError();
    sql::EvalSelect(*e, rows, sel);
    if (sql::HasEvalError()) return sql::TakeEvalError();
    return Status::OK();
  };
}

execution::JoinType PhysicalJoin(JoinKind k) {
  switch (k) {
    case JoinKind::kInner: return execution::JoinType::kInner;
    case JoinKind::kLeft: return execution::JoinType::kLeft;
    case JoinKind::kRight: return execution::JoinType::kRight;
    case JoinKind::kFull: return execution::JoinType::kFull;
    case JoinKind::kSemi: return execution::JoinType::kSemi;
    case JoinKind::kAnti: return execution::JoinType::kAnti;
    case JoinKind::kMark: return execution::JoinType::kMark;
    case JoinKind::kMarkExists: return execution::JoinType::kMarkExists;
    case JoinKind::kCross: return execution::JoinType::kCross;
  }
  return execution::JoinType::kInner;
}

}  // namespace

Result<Lowered> Lowerer::Lower(const LogicalOperator& n) {
  switch (n.kind) {
    case LogicalKind::kGet: {
      execution::ScanRequest req;
      req.columns = n.scan_columns;
      req.bounds = n.bounds;
      ASSIGN_OR_RETURN(ExprPtr filter, ToPositions(n.scan_filter, n.ids));
      Lowered out;
      out.op = std::make_unique<execution::TableScan>(catalog_, n.table, std::move(req), filter, stats_);
      out.ids = n.ids;
      out.types = n.types();
      return out;
    }
    case LogicalKind::kValues: {
      Lowered out;
      out.op = std::make_unique<execution::ValuesSource>(n.types(), n.rows);
      out.ids = n.ids;
      out.types = n.types();
      return out;
    }
    case LogicalKind::kFilter: {
      ASSIGN_OR_RETURN(Lowered in, Lower(*n.children[0]));
      ASSIGN_OR_RETURN(ExprPtr p, ToPositions(n.predicate, in.ids));
      in.op = std::make_unique<execution::Filter>(std::move(in.op), p);
      return in;
    }
    case LogicalKind::kProjection: {
      ASSIGN_OR_RETURN(Lowered in, Lower(*n.children[0]));
      std::vector<ExprPtr> exprs;
      for (const auto& e : n.exprs) {
        ASSIGN_OR_RETURN(ExprPtr p, ToPositions(e, in.ids));
        exprs.push_back(p);
      }
      Lowered out;
      out.op = std::make_unique<execution::Projection>(std::move(in.op), std::move(exprs));
      out.ids = n.ids;
      out.types = n.types();
      return out;
    }
    case LogicalKind::kJoin: return LowerJoin(n);
    case LogicalKind::kAggregate: return LowerAggregate(n);
    case LogicalKind::kWindow: return LowerWindow(n);
    case LogicalKind::kDistinct: return LowerDistinct(n);
    case LogicalKind::kSetOp: return LowerSetOp(n);
    case LogicalKind::kSort: {
      ASSIGN_OR_RETURN(Lowered in, Lower(*n.children[0]));
      std::vector<int> ids = in.ids;
      std::vector<ExprPtr> exprs;
      for (const auto& k : n.order) exprs.push_back(k.expr);
      ASSIGN_OR_RETURN(auto pos, Materialize(&in, exprs));
      std::vector<execution::SortKey> keys;
      for (size_t i = 0; i < pos.size(); i++) keys.push_back({pos[i], n.order[i].descending, n.order[i].nulls_first});
      in.op = std::make_unique<execution::Sort>(std::move(in.op), std::move(keys));
      return Select(std::move(in), ids);
    }
    case LogicalKind::kLimit: {
      const LogicalOperator& c = *n.children[0];
      if (c.kind == LogicalKind::kSort && n.limit >= 0) {
        ASSIGN_OR_RETURN(Lowered in, Lower(*c.children[0]));
        std::vector<int> ids = in.ids;
        std::vector<ExprPtr> exprs;
        for (const auto& k : c.order) exprs.push_back(k.expr);
        ASSIGN_OR_RETURN(auto pos, Materialize(&in, exprs));
        std::vector<execution::SortKey> keys;
        for (size_t i = 0; i < pos.size(); i++) keys.push_back({pos[i], c.order[i].descending, c.order[i].nulls_first});
        in.op = std::make_unique<execution::TopN>(std::move(in.op), std::move(keys), uint64_t(n.limit), uint64_t(n.offset));
        return Select(std::move(in), ids);
      }
      ASSIGN_OR_RETURN(Lowered in, Lower(c));
      std::optional<uint64_t> limit;
      if (n.limit >= 0) limit = uint64_t(n.limit);
      in.op = std::make_unique<execution::Limit>(std::move(in.op), limit, uint64_t(n.offset));
      return in;
    }
    case LogicalKind::kSeries: {
      Lowered out;
      out.op = std::make_unique<execution::GenerateSeries>(n.columns[0].type, n.series_start, n.series_stop, n.series_step);
      out.ids = n.ids;
      out.types = n.types();
      return out;
    }
    case LogicalKind::kSingleRow: {
      ASSIGN_OR_RETURN(Lowered in, Lower(*n.children[0]));
      in.op = std::make_unique<execution::EnforceSingleRow>(std::move(in.op));
      return in;
    }
    case LogicalKind::kProjectSet: {
      ASSIGN_OR_RETURN(Lowered in, Lower(*n.children[0]));
      std::vector<execution::SetFunctionCall> calls;
      for (const auto& c : n.set_calls) {
        execution::SetFunctionCall call;
        call.func = c.func;
        for (const auto& a : c.args) {
          ASSIGN_OR_RETURN(ExprPtr p, ToPositions(a, in.ids));
          call.args.push_back(p);
        }
        calls.push_back(std::move(call));
      }
      size_t base = n.columns.size() - n.set_calls.size();
      for (size_t i = base; i < n.columns.size(); i++) {
        in.ids.push_back(n.ids[i]);
        in.types.push_back(n.columns[i].type);
      }
      in.op = std::make_unique<execution::ProjectSet>(std::move(in.op), std::move(calls));
      return in;
    }
    case LogicalKind::kApply: {
      ASSIGN_OR_RETURN(Lowered in, Lower(*n.children[0]));
      std::vector<ExprPtr> refs;
      for (size_t i = 0; i < n.apply_params.size(); i++)
        refs.push_back(ColumnRef(n.apply_params[i], n.apply_columns[i].name, n.apply_columns[i].type));
      ASSIGN_OR_RETURN(std::vector<uint32_t> params, Materialize(&in, refs));
      auto query = n.apply_query;
      auto columns = n.apply_columns;
      const execution::TableCatalog* catalog = n.apply_catalog;
      execution::Apply::PlanFn plan = [query, columns, catalog](const std::vector<Value>& values)
          -> Result<execution::PhysicalOperatorPtr> {
        ASSIGN_OR_RETURN(LogicalPtr p, BindWithValues(*query, *catalog, columns, values));
        p = Optimize(std::move(p));
        ASSIGN_OR_RETURN(PhysicalPlan pp, CreatePhysicalPlan(*p, *catalog, nullptr));
        return std::move(pp.root);
      };
      std::vector<int> ids = in.ids;
      std::vector<Type> types = in.types;
      std::vector<Type> result;
      for (size_t i = n.columns.size() - n.apply_width; i < n.columns.size(); i++) {
        ids.push_back(n.ids[i]);
        types.push_back(n.columns[i].type);
        result.push_back(n.columns[i].type);
      }
      Lowered out;
      out.op = std::make_unique<execution::Apply>(std::move(in.op), std::move(params), std::move(plan), std::move(result),
                                                  n.apply_mode, n.apply_mode == execution::ApplyMode::kScalar ? "subquery" : "LATERAL");
      out.ids = std::move(ids);
      out.types = std::move(types);
      std::vector<int> want(n.ids.begin(), n.ids.end());
      return Select(std::move(out), want);
    }
  }
  return Internal("plan: unknown node");
}

Result<Lowered> Lowerer::LowerJoin(const LogicalOperator& n) {
  ASSIGN_OR_RETURN(Lowered left, Lower(*n.children[0]));
  ASSIGN_OR_RETURN(Lowered right, Lower(*n.children[1]));
  std::vector<int> want = n.ids;
  execution::JoinType type = PhysicalJoin(n.join);
  if (n.left_keys.empty()) {
    std::vector<int> combined = left.ids;
    combined.insert(combined.end(), right.ids.begin(), right.ids.end());
    execution::ChunkPredicate pred;
    std::string text;
    if (n.residual) {
      ASSIGN_OR_RETURN(ExprPtr r, ToPositions(n.residual, combined));
      pred = PredicateOf(r);
      text = n.residual->ToString();
    } else if (type == execution::JoinType::kInner) {
      type = execution::JoinType::kCross;
    }
    if (type == execution::JoinType::kMark) return Internal("plan: a mark join without keys");
    Lowered out;
    auto j = std::make_unique<execution::NestedLoopJoin>(std::move(left.op), std::move(right.op), type, pred);
    if (!text.empty()) j->set_residual_text(text);
    j->set_single_match(n.single_match);
    out.op = std::move(j);
    out.ids = left.ids;
    out.types = left.types;
    if (type == execution::JoinType::kMarkExists) {
      out.ids.push_back(n.ids.back());
      out.types.push_back(Type::kBool);
    } else if (type != execution::JoinType::kSemi && type != execution::JoinType::kAnti) {
      out.ids = combined;
      out.types.insert(out.types.end(), right.types.begin(), right.types.end());
    }
    return Select(std::move(out), want);
  }
  ASSIGN_OR_RETURN(auto lpos, Materialize(&left, n.left_keys));
  ASSIGN_OR_RETURN(auto rpos, Materialize(&right, n.right_keys));
  std::vector<int> combined = left.ids;
  combined.insert(combined.end(), right.ids.begin(), right.ids.end());
  execution::ChunkPredicate pred;
  std::string text;
  if (n.residual) {
    ASSIGN_OR_RETURN(ExprPtr r, ToPositions(n.residual, combined));
    pred = PredicateOf(r);
    text = n.residual->ToString();
  }
  execution::JoinSide build = execution::JoinSide::kRight;
  if (n.join == JoinKind::kInner || n.join == JoinKind::kLeft || n.join == JoinKind::kRight || n.join == JoinKind::kFull)
    if (EstimateRows(*n.children[0]) < EstimateRows(*n.children[1])) build = execution::JoinSide::kLeft;
  Lowered out;
  out.types = left.types;
  out.ids = left.ids;
  if (type == execution::JoinType::kMark || type == execution::JoinType::kMarkExists) {
    out.types.push_back(Type::kBool);
    out.ids.push_back(n.ids.back());
  } else if (type != execution::JoinType::kSemi && type != execution::JoinType::kAnti) {
    out.types.insert(out.types.end(), right.types.begin(), right.types.end());
    out.ids.insert(out.ids.end(), right.ids.begin(), right.ids.end());
  }
  auto j = std::make_unique<execution::HashJoin>(std::move(left.op), std::move(right.op), std::move(lpos),
                                                 std::move(rpos), type, pred, build);
  if (!text.empty()) j->set_residual_text(text);
  j->set_single_match(n.single_match);
  out.op = std::move(j);
  return Select(std::move(out), want);
}

}  // namespace internal

Result<PhysicalPlan> CreatePhysicalPlan(const LogicalOperator& plan, const execution::TableCatalog& catalog,
                                        execution::ScanStats* stats) {
  internal::Lowerer lowerer(catalog, stats);
  ASSIGN_OR_RETURN(internal::Lowered l, lowerer.Lower(plan));
  ASSIGN_OR_RETURN(l, internal::Select(std::move(l), plan.ids));
  PhysicalPlan out;
  out.root = std::move(l.op);
  out.columns = plan.columns;
  return out;
}

namespace {
void Explain(const execution::PhysicalOperator& op, bool analyze, int depth, std::vector<std::string>* out) {
  std::string line = std::string(depth * 2, ' ') + (depth ? "-> " : "") + op.Describe();
  if (analyze) {
    const auto& s = op.stats();
    line += fmt::format("  (rows {}, chunks {}, time {:.3f} ms)", s.rows, s.chunks, s.micros / 1000.0);
  }
  out->push_back(line);
  if (analyze)
    for (const auto& d : op.stats().details) out->push_back(std::string(depth * 2 + 6, ' ') + d);
  for (const auto& c : op.children()) Explain(*c, analyze, depth + 1, out);
}
}  // namespace

std::vector<std::string> ExplainLines(const execution::PhysicalOperator& root, bool analyze) {
  std::vector<std::string> out;
  Explain(root, analyze, 0, &out);
  return out;
}

}  // namespace laminar::planner
