// Internal to serving/: the parts of a SELECT both executors (query.cc over one view,
// raw_query.cc over raw rows) read the same way — integer constants, LIMIT/OFFSET, the direction
// of an ORDER BY item — and the row order they sort by.
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "common/types.h"

namespace laminar::serving {

// One ORDER BY item: the output column (visible or hidden) and its direction.
struct SortKey {
  int item;
  bool desc;
  bool nulls_first;
};

// A non-negative integer constant (LIMIT, OFFSET, a position); -1 for NULL.
// InvalidArgument naming `what` otherwise.
Result<int64_t> ConstInt(const nlohmann::json& node, const char* what);

// LIMIT (-1 when absent or NULL) and OFFSET (0 when absent) of a SelectStmt body.
// Unimplemented for FETCH ... WITH TIES.
Status ParseLimitOffset(const nlohmann::json& select, int64_t* limit, int64_t* offset);

// The direction of a SortBy body: DESC, and NULLS FIRST (the default for DESC, as in
// PostgreSQL). Unimplemented for ORDER BY ... USING.
Status ParseSortDirection(const nlohmann::json& sort_by, bool* desc, bool* nulls_first);

// ORDER BY's row order over `keys` (NULLs placed by nulls_first, values by Value::Compare).
bool RowLess(const std::vector<SortKey>& keys, const std::vector<Value>& a, const std::vector<Value>& b);

}  // namespace laminar::serving
