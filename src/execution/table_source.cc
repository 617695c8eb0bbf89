#include "execution/table_source.h"

#include <fmt/format.h>

#include "common/strings.h"
#include "sql/expr.h"

namespace laminar::execution {

const char* TableKindName(TableKind k) {
  switch (k) {
    case TableKind::kStream: return "stream";
    case TableKind::kDimension: return "dimension table";
    case TableKind::kView: return "view";
    case TableKind::kSystem: return "system table";
  }
  return "relation";
}

bool ColumnBound::Admits(const Value& v) const {
  if (v.is_null()) return false;
  if (!lo.is_null()) {
    int c = Value::Compare(v, lo);
    if (c < 0 || (c == 0 && !lo_inclusive)) return false;
  }
  if (!hi.is_null()) {
    int c = Value::Compare(v, hi);
    if (c > 0 || (c == 0 && !hi_inclusive)) return false;
  }
  return true;
}

void ColumnBound::Intersect(const ColumnBound& o) {
  if (!o.lo.is_null()) {
    int c = lo.is_null() ? -1 : Value::Compare(lo, o.lo);
    if (c < 0) {
      lo = o.lo;
      lo_inclusive = o.lo_inclusive;
    } else if (c == 0) {
      lo_inclusive = lo_inclusive && o.lo_inclusive;
    }
  }
  if (!o.hi.is_null()) {
    int c = hi.is_null() ? 1 : Value::Compare(hi, o.hi);
    if (c > 0) {
      hi = o.hi;
      hi_inclusive = o.hi_inclusive;
    } else if (c == 0) {
      hi_inclusive = hi_inclusive && o.hi_inclusive;
    }
  }
}

bool ColumnBound::MayOverlap(const Value& min, const Value& max) const {
  if (min.is_null() || max.is_null()) return true;  // unknown range
  if (!lo.is_null()) {
    int c = Value::Compare(max, lo);
    if (c < 0 || (c == 0 && !lo_inclusive)) return false;
  }
  if (!hi.is_null()) {
    int c = Value::Compare(min, hi);
    if (c > 0 || (c == 0 && !hi_inclusive)) return false;
  }
  return true;
}

namespace {
std::string Literal(const Value& v) {
  Type t = v.type();
  std::string text = sql::PgText(v, t);
  if (t == Type::kText || t == Type::kTimestamp) return QuoteSqlLiteral(text);
  return text;
}
}  // namespace

std::string ColumnBound::ToString(const std::string& name) const {
  std::string out;
  if (!lo.is_null()) out = fmt::format("{} {} {}", name, lo_inclusive ? ">=" : ">", Literal(lo));
  if (!hi.is_null()) {
    if (!out.empty()) out += " AND ";
    out += fmt::format("{} {} {}", name, hi_inclusive ? "<=" : "<", Literal(hi));
  }
  return out;
}

void ScanStats::Add(const ScanStats& o) {
  lake_last_seq = std::max(lake_last_seq, o.lake_last_seq);
  log_last_seq = std::max(log_last_seq, o.log_last_seq);
  lake_files += o.lake_files;
  lake_files_skipped += o.lake_files_skipped;
  row_groups += o.row_groups;
  row_groups_skipped += o.row_groups_skipped;
  lake_rows += o.lake_rows;
  log_rows += o.log_rows;
  other_rows += o.other_rows;
  batch_version = std::max(batch_version, o.batch_version);
  horizon = std::max(horizon, o.horizon);
  speed_max_seq = std::max(speed_max_seq, o.speed_max_seq);
  definition_version = std::max(definition_version, o.definition_version);
  speed_generations += o.speed_generations;
  batch_rows += o.batch_rows;
  speed_rows += o.speed_rows;
  stream_scans += o.stream_scans;
  view_scans += o.view_scans;
}

}  // namespace laminar::execution
