// Lowering of aggregates, window functions, DISTINCT and set operations
// (planner/physical_planner.h).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "execution/aggregate.h"
#include "execution/distinct.h"
#include "execution/projection.h"
#include "execution/set_operation.h"
#include "execution/window.h"
#include "planner/physical_planner_internal.h"
#include "planner/plan_util.h"

namespace laminar::planner::internal {

using sql::ExprPtr;

Result<Lowered> Lowerer::LowerAggregate(const LogicalOperator& n) {
  ASSIGN_OR_RETURN(Lowered in, Lower(*n.children[0]));
  // Every column the operator reads, computed below it.
  std::vector<ExprPtr> exprs = n.keys;
  std::vector<size_t> first_input;
  for (const auto& a : n.aggregates) {
    first_input.push_back(exprs.size());
    for (const auto& x : a.args) exprs.push_back(x);
    for (const auto& o : a.order) exprs.push_back(o.expr);
    if (a.filter) exprs.push_back(a.filter);
  }
  ASSIGN_OR_RETURN(auto pos, Materialize(&in, exprs));
  std::vector<int> keys;
  for (size_t i = 0; i < n.keys.size(); i++) keys.push_back(static_cast<int>(pos[i]));
  std::vector<execution::AggregateCall> calls;
  for (size_t i = 0; i < n.aggregates.size(); i++) {
    const AggregateCall& a = n.aggregates[i];
    execution::AggregateCall c;
    c.spec = a.spec;
    size_t p = first_input[i];
    for (size_t k = 0; k < a.args.size() + a.order.size(); k++) c.inputs.push_back(static_cast<int>(pos[p++]));
    if (a.filter) c.filter = static_cast<int>(pos[p++]);
    c.name = n.columns[n.keys.size() + i].name;
    calls.push_back(std::move(c));
  }
  std::vector<std::vector<int>> grouping;
  if (n.grouping_column) {
    std::vector<int> all;
    for (size_t i = 0; i < n.keys.size(); i++) all.push_back(static_cast<int>(i));
    grouping.push_back(std::move(all));
  }
  Lowered out;
  out.op = std::make_unique<execution::HashAggregate>(std::move(in.op), std::move(keys), std::move(calls),
                                                      n.grouping_sets, std::move(grouping));
  out.ids = n.ids;
  out.types = n.types();
  return out;
}

namespace {

execution::FrameBoundKind BoundKind(FrameBound b) {
  switch (b) {
    case FrameBound::kUnboundedPreceding: return execution::FrameBoundKind::kUnboundedPreceding;
    case FrameBound::kPreceding: return execution::FrameBoundKind::kPreceding;
    case FrameBound::kCurrentRow: return execution::FrameBoundKind::kCurrentRow;
    case FrameBound::kFollowing: return execution::FrameBoundKind::kFollowing;
    case FrameBound::kUnboundedFollowing: return execution::FrameBoundKind::kUnboundedFollowing;
  }
  return execution::FrameBoundKind::kCurrentRow;
}

execution::WindowFunctionKind FuncKind(WindowFunc f) {
  switch (f) {
    case WindowFunc::kRowNumber: return execution::WindowFunctionKind::kRowNumber;
    case WindowFunc::kRank: return execution::WindowFunctionKind::kRank;
    case WindowFunc::kDenseRank: return execution::WindowFunctionKind::kDenseRank;
    case WindowFunc::kPercentRank: return execution::WindowFunctionKind::kPercentRank;
    case WindowFunc::kCumeDist: return execution::WindowFunctionKind::kCumeDist;
    case WindowFunc::kNtile: return execution::WindowFunctionKind::kNtile;
    case WindowFunc::kLag: return execution::WindowFunctionKind::kLag;
    case WindowFunc::kLead: return execution::WindowFunctionKind::kLead;
    case WindowFunc::kFirstValue: return execution::WindowFunctionKind::kFirstValue;
    case WindowFunc::kLastValue: return execution::WindowFunctionKind::kLastValue;
    case WindowFunc::kNthValue: return execution::WindowFunctionKind::kNthValue;
    case WindowFunc::kAggregate: return execution::WindowFunctionKind::kAggregate;
  }
  return execution::WindowFunctionKind::kRowNumber;
}

// The constant value of a frame offset.
Result<Value> OffsetValue(const ExprPtr& e) {
  if (!e) return Value();
  if (!sql::IsConstant(*e)) return InvalidArgument("a window frame offset must be a constant");
  sql::ClearEvalError();
  Value v = sql::Eval(*e, nullptr);
  if (sql::HasEvalError()) return sql::TakeEvalError();
  return v;
}

// Two window calls share a Window operator when they partition and order alike.
std::string SpecKey(const WindowCall& w) {
  std::string k;
  for (const auto& p : w.partition_by) k += "p" + p->Key();
  for (const auto& o : w.order_by) k += fmt::format("o{}{}{}", o.expr->Key(), int(o.descending), int(o.nulls_first));
  return k;
}

}  // namespace

Result<Lowered> Lowerer::LowerWindow(const LogicalOperator& n) {
  ASSIGN_OR_RETURN(Lowered in, Lower(*n.children[0]));
  size_t base = n.columns.size() - n.windows.size();
  std::vector<int> child_ids(n.ids.begin(), n.ids.begin() + base);
  // Group the calls by window specification, in order of first appearance.
  std::vector<std::string> specs;
  std::map<std::string, std::vector<size_t>> by_spec;
  for (size_t i = 0; i < n.windows.size(); i++) {
    std::string k = SpecKey(n.windows[i]);
    if (!by_spec.count(k)) specs.push_back(k);
    by_spec[k].push_back(i);
  }
  for (const auto& k : specs) {
    const std::vector<size_t>& idx = by_spec[k];
    const WindowCall& first = n.windows[idx[0]];
    std::vector<ExprPtr> exprs = first.partition_by;
    for (const auto& o : first.order_by) exprs.push_back(o.expr);
    std::vector<size_t> first_input;
    for (size_t i : idx) {
      const WindowCall& w = n.windows[i];
      first_input.push_back(exprs.size());
      if (w.func == WindowFunc::kAggregate) {
        for (const auto& x : w.aggregate.args) exprs.push_back(x);
        for (const auto& o : w.aggregate.order) exprs.push_back(o.expr);
        if (w.aggregate.filter) exprs.push_back(w.aggregate.filter);
      } else {
        for (const auto& x : w.args) exprs.push_back(x);
      }
    }
    ASSIGN_OR_RETURN(auto pos, Materialize(&in, exprs));
    std::vector<int> partition;
    for (size_t i = 0; i < first.partition_by.size(); i++) partition.push_back(static_cast<int>(pos[i]));
    std::vector<execution::WindowOrder> order;
    for (size_t i = 0; i < first.order_by.size(); i++)
      order.push_back({static_cast<int>(pos[first.partition_by.size() + i]), first.order_by[i].descending,
                       first.order_by[i].nulls_first});
    std::vector<execution::WindowFunction> funcs;
    for (size_t j = 0; j < idx.size(); j++) {
      const WindowCall& w = n.windows[idx[j]];
      execution::WindowFunction f;
      f.kind = FuncKind(w.func);
      size_t p = first_input[j];
      if (w.func == WindowFunc::kAggregate) {
        f.aggregate = w.aggregate.spec;
        for (size_t k2 = 0; k2 < w.aggregate.args.size() + w.aggregate.order.size(); k2++)
          f.inputs.push_back(static_cast<int>(pos[p++]));
        if (w.aggregate.filter) f.filter = static_cast<int>(pos[p++]);
      } else {
        for (size_t k2 = 0; k2 < w.args.size(); k2++) f.inputs.push_back(static_cast<int>(pos[p++]));
      }
      f.frame.mode = w.mode == FrameMode::kRows ? execution::FrameMode::kRows
                     : w.mode == FrameMode::kGroups ? execution::FrameMode::kGroups : execution::FrameMode::kRange;
      f.frame.start.kind = BoundKind(w.start);
      f.frame.end.kind = BoundKind(w.end);
      ASSIGN_OR_RETURN(f.frame.start.offset, OffsetValue(w.start_offset));
      ASSIGN_OR_RETURN(f.frame.end.offset, OffsetValue(w.end_offset));
      f.frame.exclude = w.exclude == FrameExclude::kCurrentRow ? execution::FrameExclude::kCurrentRow
                        : w.exclude == FrameExclude::kGroup   ? execution::FrameExclude::kGroup
                        : w.exclude == FrameExclude::kTies    ? execution::FrameExclude::kTies
                                                              : execution::FrameExclude::kNoOthers;
      f.name = w.name;
      funcs.push_back(std::move(f));
    }
    in.op = std::make_unique<execution::Window>(std::move(in.op), std::move(partition), std::move(order), std::move(funcs));
    for (size_t j : idx) {
      in.ids.push_back(n.ids[base + j]);
      in.types.push_back(n.windows[j].type);
    }
  }
  return Select(std::move(in), n.ids);
}

Result<Lowered> Lowerer::LowerDistinct(const LogicalOperator& n) {
  ASSIGN_OR_RETURN(Lowered in, Lower(*n.children[0]));
  std::vector<int> ids = in.ids;
  if (n.distinct_on == 0) {
    ASSIGN_OR_RETURN(in, Select(std::move(in), n.ids));
    std::vector<int> cols;
    for (size_t i = 0; i < in.ids.size(); i++) cols.push_back(static_cast<int>(i));
    in.op = std::make_unique<execution::HashDistinct>(std::move(in.op), std::move(cols));
    return in;
  }
  ASSIGN_OR_RETURN(auto pos, Materialize(&in, n.exprs));
  std::vector<int> on(pos.begin(), pos.end());
  in.op = std::make_unique<execution::DistinctOn>(std::move(in.op), std::move(on));
  return Select(std::move(in), n.ids);
}

Result<Lowered> Lowerer::LowerSetOp(const LogicalOperator& n) {
  ASSIGN_OR_RETURN(Lowered left, Lower(*n.children[0]));
  ASSIGN_OR_RETURN(Lowered right, Lower(*n.children[1]));
  ASSIGN_OR_RETURN(left, Select(std::move(left), n.children[0]->ids));
  ASSIGN_OR_RETURN(right, Select(std::move(right), n.children[1]->ids));
  execution::SetOpKind kind = n.set_op == SetOpKind::kUnion       ? execution::SetOpKind::kUnion
                              : n.set_op == SetOpKind::kIntersect ? execution::SetOpKind::kIntersect
                                                                  : execution::SetOpKind::kExcept;
  Lowered out;
  out.op = std::make_unique<execution::SetOperation>(std::move(left.op), std::move(right.op), kind, n.set_all);
  out.ids = n.ids;
  out.types = n.types();
  return out;
}

}  // namespace laminar::planner::internal
