#include "serving/select_clauses.h"

#include <algorithm>

#include "sql/binder.h"

namespace laminar::serving {

Result<int64_t> ConstInt(const nlohmann::json& node, const char* what) {
  ASSIGN_OR_RETURN(Value v, sql::ConstValue(node));
  if (v.is_null()) return int64_t{-1};
  if (v.type() != Type::kInt64 || v.as_int() < 0)
    return InvalidArgument("{} must be a non-negative integer constant", what);
  return v.as_int();
}

Status ParseLimitOffset(const nlohmann::json& s, int64_t* limit, int64_t* offset) {
  if (s.contains("limitCount")) {
    if (s.value("limitOption", "") == "LIMIT_OPTION_WITH_TIES")
      return Unimplemented("FETCH ... WITH TIES is not supported");
    ASSIGN_OR_RETURN(*limit, ConstInt(s["limitCount"], "LIMIT"));
  }
  if (s.contains("limitOffset")) {
    ASSIGN_OR_RETURN(int64_t off, ConstInt(s["limitOffset"], "OFFSET"));
    *offset = std::max<int64_t>(off, 0);
  }
  return Status::OK();
}

Status ParseSortDirection(const nlohmann::json& sb, bool* desc, bool* nulls_first) {
  std::string dir = sb.value("sortby_dir", "SORTBY_DEFAULT");
  if (dir == "SORTBY_USING") return Unimplemented("ORDER BY ... USING is not supported");
  std::string nulls = sb.value("sortby_nulls", "SORTBY_NULLS_DEFAULT");
  *desc = dir == "SORTBY_DESC";
  *nulls_first = nulls == "SORTBY_NULLS_FIRST" || (nulls == "SORTBY_NULLS_DEFAULT" && *desc);
  return Status::OK();
}

bool RowLess(const std::vector<SortKey>& keys, const std::vector<Value>& a, const std::vector<Value>& b) {
  for (const SortKey& k : keys) {
    const Value &x = a[k.item], &y = b[k.item];
    if (x.is_null() != y.is_null()) return k.nulls_first ? x.is_null() : y.is_null();
    if (x.is_null()) continue;
    int c = Value::Compare(x, y);
    if (c != 0) return k.desc ? c > 0 : c < 0;
  }
  return false;
}

}  // namespace laminar::serving
