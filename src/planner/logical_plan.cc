#include "planner/logical_plan.h"

#include <fmt/format.h>

namespace laminar::planner {

LogicalPtr MakeNode(LogicalKind kind) {
  auto n = std::make_unique<LogicalOperator>();
  n->kind = kind;
  return n;
}

std::vector<Type> LogicalOperator::types() const {
  std::vector<Type> out;
  for (const auto& c : columns) out.push_back(c.type);
  return out;
}

namespace {

const char* JoinName(JoinKind k) {
  switch (k) {
    case JoinKind::kInner: return "INNER";
    case JoinKind::kLeft: return "LEFT";
    case JoinKind::kRight: return "RIGHT";
    case JoinKind::kFull: return "FULL";
    case JoinKind::kSemi: return "SEMI";
    case JoinKind::kAnti: return "ANTI";
    case JoinKind::kMark: return "MARK";
    case JoinKind::kMarkExists: return "MARK EXISTS";
    case JoinKind::kCross: return "CROSS";
  }
  return "?";
}

std::string List(const std::vector<sql::ExprPtr>& xs) {
  std::string out;
  for (size_t i = 0; i < xs.size(); i++) out += (i ? ", " : "") + xs[i]->ToString();
  return out;
}

std::string Order(const std::vector<SortKey>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); i++)
    out += fmt::format("{}{}{}{}", i ? ", " : "", keys[i].expr->ToString(), keys[i].descending ? " DESC" : "",
                       keys[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
  return out;
}

}  // namespace

std::string LogicalOperator::ToString(int indent) const {
  std::string pad(indent * 2, ' ');
  std::string line;
  switch (kind) {
    case LogicalKind::kGet: {
      line = fmt::format("Get {} {}", execution::TableKindName(table.kind), table.name);
      if (!alias.empty() && alias != table.name) line += " AS " + alias;
      std::string cols;
      for (size_t i = 0; i < scan_columns.size(); i++) cols += (i ? ", " : "") + table.columns[scan_columns[i]].name;
      line += " [" + cols + "]";
      for (const auto& b : bounds) line += " bound: " + b.ToString(table.columns[b.column].name);
      if (scan_filter) line += " filter: " + scan_filter->ToString();
      break;
    }
    case LogicalKind::kValues: line = fmt::format("Values {} rows", rows.size()); break;
    case LogicalKind::kApply:
      line = fmt::format("Apply{} (per row: {} columns)",
                         apply_mode == execution::ApplyMode::kScalar ? "" : apply_mode == execution::ApplyMode::kLateral ? " LATERAL" : " LEFT LATERAL",
                         apply_params.size());
      break;
    case LogicalKind::kProjectSet: line = fmt::format("ProjectSet {} functions", set_calls.size()); break;
    case LogicalKind::kFilter: line = "Filter " + predicate->ToString(); break;
    case LogicalKind::kProjection: line = "Projection " + List(exprs); break;
    case LogicalKind::kAggregate: {
      line = "Aggregate";
      if (!keys.empty()) line += " keys: " + List(keys);
      if (!grouping_sets.empty()) line += fmt::format(" ({} grouping sets)", grouping_sets.size());
      std::string aggs;
      for (size_t i = 0; i < aggregates.size(); i++) aggs += (i ? ", " : "") + columns[keys.size() + i].name;
      if (!aggs.empty()) line += " aggregates: " + aggs;
      break;
    }
    case LogicalKind::kJoin: {
      line = fmt::format("Join {}", JoinName(join));
      for (size_t i = 0; i < left_keys.size(); i++)
        line += fmt::format("{}{} = {}", i ? " AND " : " keys: ", left_keys[i]->ToString(), right_keys[i]->ToString());
      if (residual) line += " condition: " + residual->ToString();
      break;
    }
    case LogicalKind::kWindow: {
      line = "Window";
      for (const auto& w : windows) {
        line += " " + w.name + "(";
        if (!w.partition_by.empty()) line += "PARTITION BY " + List(w.partition_by);
        if (!w.order_by.empty()) line += std::string(w.partition_by.empty() ? "" : " ") + "ORDER BY " + Order(w.order_by);
        line += ")";
      }
      break;
    }
    case LogicalKind::kSort: line = "Sort " + Order(order); break;
    case LogicalKind::kLimit:
      line = limit >= 0 ? fmt::format("Limit {}", limit) : std::string("Limit ALL");
      if (offset) line += fmt::format(" offset {}", offset);
      break;
    case LogicalKind::kDistinct: line = distinct_on ? "Distinct ON " + List(exprs) : std::string("Distinct"); break;
    case LogicalKind::kSetOp:
      line = fmt::format("{}{}", set_op == SetOpKind::kUnion ? "Union" : set_op == SetOpKind::kIntersect ? "Intersect" : "Except",
                         set_all ? " ALL" : "");
      break;
    case LogicalKind::kSingleRow: line = "SingleRow"; break;
    case LogicalKind::kSeries:
      line = fmt::format("GenerateSeries {} to {} step {}", series_start, series_stop, series_step);
      break;
  }
  std::string out = pad + line + "\n";
  for (const auto& c : children) out += c->ToString(indent + 1);
  return out;
}

}  // namespace laminar::planner
