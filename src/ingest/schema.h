// StreamSchema: the typed columns of a stream (an append-only table of events).
// Thread safety: a value; immutable once published in the catalog.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

  // Index of the column with this name, or -1.
  int FindColumn(const std::string& column) const {
    for (size_t i = 0; i < columns.size(); i++)
      if (columns[i].name == column) return static_cast<int>(i);
    return -1;
  }
};

}  // namespace laminar::ingest
