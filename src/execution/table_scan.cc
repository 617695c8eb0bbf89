#include "execution/table_scan.h"

#include <fmt/format.h>

#include "common/time_util.h"
#include "sql/vector_eval.h"

namespace laminar::execution {

TableScan::TableScan(const TableCatalog& catalog, TableInfo table, ScanRequest request, sql::ExprPtr filter,
                     ScanStats* stats)
    : catalog_(catalog), table_(std::move(table)), request_(std::move(request)), filter_(std::move(filter)),
      stats_(stats) {
  for (int c : request_.columns) types_.push_back(table_.columns[c].type);
}

Status TableScan::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  CountingSink counted(stats(), out);
  std::vector<uint32_t> sel;
  sql::ClearEvalError();
  ScanStats scan;
  Status st = catalog_.Scan(table_, request_, [&](columnar::Chunk& chunk, bool* stop) -> Status {
    RETURN_IF_ERROR(ctx.Check());
    if (chunk.rows == 0) return Status::OK();
    if (!filter_) return counted.Push(chunk, stop);
    sql::EvalSelect(*filter_, chunk, &sel);
    if (sql::HasEvalError()) return sql::TakeEvalError();
    if (sel.empty()) return Status::OK();
    if (sel.size() == chunk.rows) return counted.Push(chunk, stop);
    columnar::Chunk picked = columnar::Chunk::Select(chunk, sel);
    return counted.Push(picked, stop);
  }, &scan);
  own_.Add(scan);
  if (stats_) stats_->Add(scan);
  auto& d = stats().details;
  d.clear();
  if (table_.kind == TableKind::kStream) {
    d.push_back(fmt::format("lake files {} read, {} pruned; row groups {} read, {} skipped; rows {} from the lake, "
                            "{} from the log (lake seq ≤ {}, log seq ≤ {})",
                            own_.lake_files, own_.lake_files_skipped, own_.row_groups, own_.row_groups_skipped,
                            own_.lake_rows, own_.log_rows, own_.lake_last_seq, own_.log_last_seq));
  } else if (table_.kind == TableKind::kView) {
    d.push_back(fmt::format("batch version {}, horizon {}, speed generations {}", own_.batch_version, own_.horizon,
                            own_.speed_generations));
  }
  stats().micros += MonotonicMicros() - start;
  return st;
}

std::string TableScan::Describe() const {
  std::string cols;
  for (size_t i = 0; i < request_.columns.size(); i++)
    cols += (i ? ", " : "") + table_.columns[request_.columns[i]].name;
  std::string out = fmt::format("Scan {} {} [{}]", TableKindName(table_.kind), table_.name, cols);
  for (const auto& b : request_.bounds) out += " bound: " + b.ToString(table_.columns[b.column].name);
  if (filter_) out += " filter: " + filter_->ToString();
  return out;
}

}  // namespace laminar::execution
