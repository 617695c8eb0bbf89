#include "serving/engine_query.h"

#include <fmt/format.h>

#include <functional>
#include <set>

#include "common/time_util.h"
#include "planner/binder.h"
#include "planner/optimizer.h"
#include "planner/physical_planner.h"
#include "sql/binder.h"
#include "sql/expr.h"

namespace laminar::serving {

namespace {

Result<planner::LogicalPtr> LogicalPlan(const sql::ast::SelectStmt& stmt, const execution::TableCatalog& catalog) {
  sql::ScopedStatementTime now(NowMicros());  // one now() for the whole statement
  ASSIGN_OR_RETURN(planner::LogicalPtr plan, planner::BindQuery(stmt, catalog));
  return planner::Optimize(std::move(plan));
}

execution::ExecLimits ExecLimitsOf(const QueryLimits& limits, int64_t start) {
  execution::ExecLimits l;
  l.deadline_micros = limits.timeout_micros > 0 ? start + limits.timeout_micros : 0;
  l.timeout_micros = limits.timeout_micros;
  l.max_memory_bytes = limits.max_memory_bytes;
  l.cancel = limits.cancel;
  return l;
}

void CopyStats(const execution::ScanStats& s, QueryStats* q) {
  // A query that reads views and no stream reports the views' versions (the view form of the
  // stats); any other the scans' counts.
  if (s.view_scans > 0 && s.stream_scans == 0) {
    q->raw = false;
    q->batch_version = s.batch_version;
    q->horizon = s.horizon;
    q->speed_max_seq = s.speed_max_seq;
    q->batch_rows = s.batch_rows;
    q->speed_rows = s.speed_rows;
    q->speed_generations = s.speed_generations;
    q->definition_version = s.definition_version;
    return;
  }
  q->raw = true;
  q->lake_last_seq = s.lake_last_seq;
  q->log_last_seq = s.log_last_seq;
  q->lake_files = s.lake_files;
  q->lake_files_skipped = s.lake_files_skipped;
  q->row_groups = s.row_groups;
  q->row_groups_skipped = s.row_groups_skipped;
  q->lake_rows = s.lake_rows;
  q->log_rows = s.log_rows;
  q->other_rows = s.other_rows;
}

// Turns chunks into rows: the edge where rows are formed.
class RowsSink : public execution::Sink {
 public:
  RowsSink(execution::ExecContext& ctx, const QueryLimits& limits, const RowSink* sink, QueryResult* out)
      : ctx_(ctx), limits_(limits), sink_(sink), out_(out) {}
  Status Push(columnar::Chunk& chunk, bool* stop) override {
    for (size_t r = 0; r < chunk.rows; r++) {
      std::vector<Value> row = chunk.GetRow(r);
      count_++;
      if (sink_) {
        RETURN_IF_ERROR(sink_->row(std::move(row)));
        continue;
      }
      if (count_ > limits_.max_result_rows)
        return ResourceExhausted("the result has more than {} rows ([query] max_result_rows); add LIMIT, aggregate, "
                                 "or stream it (\"stream\": true over HTTP; the PostgreSQL protocol streams unless "
                                 "Execute fetches the rows in pieces)",
                                 limits_.max_result_rows);
      size_t bytes = 32 + row.size() * sizeof(Value);
      for (const Value& v : row)
        if (!v.is_null() && v.type() == Type::kText) bytes += v.as_text().size();
      RETURN_IF_ERROR(ctx_.Charge(bytes, "result rows"));
      out_->rows.push_back(std::move(row));
    }
    return Status::OK();
  }
  size_t count() const { return count_; }

 private:
  execution::ExecContext& ctx_;
  const QueryLimits& limits_;
  const RowSink* sink_;
  QueryResult* out_;
  size_t count_ = 0;
};

Status Run(planner::PhysicalPlan& plan, const QueryLimits& limits, const RowSink* sink, int64_t start,
           QueryResult* out) {
  execution::ExecContext ctx(ExecLimitsOf(limits, start));
  RowsSink rows(ctx, limits, sink, out);
  sql::ClearEvalError();
  RETURN_IF_ERROR(plan.root->Produce(ctx, rows));
  out->tag = "SELECT " + std::to_string(rows.count());
  return Status::OK();
}

}  // namespace

struct PreparedEngineQuery {
  int64_t start = 0;              // when preparing began (the time limit counts from it)
  execution::ScanStats stats;     // filled by the plan's scans (its address is in the plan)
  planner::PhysicalPlan plan;
  std::string relations;          // for QueryStats::relation
};

void PreparedEngineQueryDeleter::operator()(PreparedEngineQuery* p) const { delete p; }

Result<PreparedEngineQueryPtr> PrepareEngineQuery(const sql::ast::SelectStmt& stmt,
                                                  const execution::TableCatalog& catalog) {
  PreparedEngineQueryPtr q(new PreparedEngineQuery);
  q->start = MonotonicMicros();
  ASSIGN_OR_RETURN(planner::LogicalPtr logical, LogicalPlan(stmt, catalog));
  ASSIGN_OR_RETURN(q->plan, planner::CreatePhysicalPlan(*logical, catalog, &q->stats));
  // The relations the plan reads (not the names of CTEs), sorted, once each.
  std::set<std::string> names;
  std::function<void(const planner::LogicalOperator&)> visit = [&](const planner::LogicalOperator& n) {
    if (n.kind == planner::LogicalKind::kGet) names.insert(n.table.name);
    for (const auto& c : n.children) visit(*c);
  };
  visit(*logical);
  for (const auto& name : names) q->relations += (q->relations.empty() ? "" : ", ") + name;
  return q;
}

Result<QueryResult> RunPreparedEngineQuery(PreparedEngineQuery& q, const QueryLimits& limits, const RowSink* sink) {
  QueryResult out;
  for (const auto& c : q.plan.columns) out.columns.push_back({c.name, c.type});
  if (sink && sink->begin) RETURN_IF_ERROR(sink->begin(out.columns));
  RETURN_IF_ERROR(Run(q.plan, limits, sink, q.start, &out));
  CopyStats(q.stats, &out.stats);
  out.stats.relation = q.relations;
  out.stats.elapsed_micros = MonotonicMicros() - q.start;
  return out;
}

Result<QueryResult> RunEngineQuery(const sql::ast::SelectStmt& stmt, const execution::TableCatalog& catalog,
                                   const QueryLimits& limits, const RowSink* sink) {
  ASSIGN_OR_RETURN(PreparedEngineQueryPtr q, PrepareEngineQuery(stmt, catalog));
  return RunPreparedEngineQuery(*q, limits, sink);
}

Result<QueryResult> ExplainEngineQuery(const sql::ast::ExplainStmt& stmt, const execution::TableCatalog& catalog,
                                       const QueryLimits& limits) {
  int64_t start = MonotonicMicros();
  if (!stmt.query) return InvalidArgument("EXPLAIN needs a query");
  if (!stmt.format.empty() && stmt.format != "text") return Unimplemented("EXPLAIN (FORMAT {}) is not supported", stmt.format);
  ASSIGN_OR_RETURN(planner::LogicalPtr logical, LogicalPlan(*stmt.query, catalog));
  execution::ScanStats stats;
  ASSIGN_OR_RETURN(planner::PhysicalPlan plan, planner::CreatePhysicalPlan(*logical, catalog, &stats));
  QueryResult out;
  out.columns.push_back({"QUERY PLAN", Type::kText});
  std::vector<std::string> lines;
  if (stmt.analyze) {
    QueryResult ignored;
    RowSink discard;
    discard.begin = [](const std::vector<ResultColumn>&) { return Status::OK(); };
    discard.row = [](std::vector<Value>&&) { return Status::OK(); };
    RETURN_IF_ERROR(Run(plan, limits, &discard, start, &ignored));
    lines = planner::ExplainLines(*plan.root, true);
    lines.push_back(fmt::format("Execution time: {:.3f} ms", (MonotonicMicros() - start) / 1000.0));
  } else {
    lines = planner::ExplainLines(*plan.root, false);
  }
  if (stmt.verbose) {
    lines.push_back("Logical plan:");
    std::string text = logical->ToString(1);
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      lines.push_back(text.substr(pos, nl - pos));
      pos = nl + 1;
    }
  }
  for (auto& l : lines) out.rows.push_back({Value::Text(std::move(l))});
  out.tag = "EXPLAIN";
  CopyStats(stats, &out.stats);
  out.stats.elapsed_micros = MonotonicMicros() - start;
  return out;
}

}  // namespace laminar::serving
