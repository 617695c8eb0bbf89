// ViewDef: a continuous aggregate over one stream, as defined by
//   CREATE MATERIALIZED VIEW v AS SELECT <dims>, <aggregates> FROM stream [WHERE p] GROUP BY ...
// One definition drives both executions (speed now, batch later): ViewState::Apply evaluates
// `filter` and the dimension expressions over stream rows and updates the measures' states.
//
// Thread safety: immutable once built by the catalog; shared by shared_ptr<const ViewDef>.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "common/types.h"
#include "sql/expr.h"

namespace laminar::views {

enum class AggKind { kCountStar, kCount, kSum, kMin, kMax, kAvg, kApproxCountDistinct, kApproxPercentile };

// "count", "sum", ..., "approx_count_distinct", "approx_percentile" as written in SQL (count(*)
// is "count").
const char* AggKindName(AggKind k);

struct DimensionDef {
  std::string name;            // output column name (alias, or the column's name)
  sql::ExprPtr expr;           // over the stream's columns
  Type type = Type::kText;
  // Set when expr is date_trunc(unit, <timestamptz column>) or a bare timestamptz column
  // (then unit is nullopt but is_time is true); used to allow coarser grouping at query time.
  bool is_time = false;
  std::optional<TimeUnit> time_unit;
};

struct MeasureDef {
  std::string name;            // output column name
  AggKind kind = AggKind::kCountStar;
  int column = -1;             // stream column aggregated; -1 for count(*)
  Type input_type = Type::kInt64;
  // count → bigint; sum(bigint) → bigint; sum(double) → double; avg → double;
  // min/max → input type; approx_count_distinct → bigint; approx_percentile → double.
  Type output_type = Type::kInt64;
  // approx_percentile: the constant q in [0, 1].
  double quantile = 0;
};

struct OutputColumn {
  bool is_dimension = true;
  int index = 0;               // into dims or measures
};

struct ViewDef {
  std::string name;
  std::string stream;
  std::string sql;             // the CREATE statement's text, for descriptions
  uint64_t definition_version = 1;  // +1 on each CREATE OR REPLACE
  std::vector<DimensionDef> dims;
  std::vector<MeasureDef> measures;
  sql::ExprPtr filter;         // over the stream's columns; null when no WHERE
  std::vector<OutputColumn> columns;  // SELECT-list order

  const std::string& ColumnName(const OutputColumn& c) const {
    return c.is_dimension ? dims[c.index].name : measures[c.index].name;
  }
  Type ColumnType(const OutputColumn& c) const {
    return c.is_dimension ? dims[c.index].type : measures[c.index].output_type;
  }
};

using ViewDefPtr = std::shared_ptr<const ViewDef>;

}  // namespace laminar::views
