// StreamSchema: the typed columns of a stream (an append-only table of events).
// Thread safety: a value; immutable once published in the catalog.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "common/types.h"

namespace laminar::ingest {

struct ColumnDef {
  std::string name;
  Type type = Type::kText;
  bool not_null = false;
};

struct StreamSchema {
  std::string name;
  std::vector<ColumnDef> columns;
  // Index in `columns` of the event-time column: a timestamptz NOT NULL column.
  int event_time_index = -1;
  // The lake's partitions: one per event hour (the default), day or month
  // (CREATE TABLE ... WITH (partition = 'day')); see lake/lake.h.
  TimeUnit partition = TimeUnit::kHour;

  // Index of the column with this name, or -1.
  int FindColumn(const std::string& column) const {
    for (size_t i = 0; i < columns.size(); i++)
      if (columns[i].name == column) return static_cast<int>(i);
    return -1;
  }
};

}  // namespace laminar::ingest
