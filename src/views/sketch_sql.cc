#include "views/sketch_sql.h"

namespace laminar::views {

std::string ArrayText(const std::vector<Value>& values) {
  std::string s = "{";
  for (size_t i = 0; i < values.size(); i++) {
    if (i) s += ',';
    s += values[i].is_null() ? "NULL" : values[i].ToString();
  }
  return s + "}";
}

}  // namespace laminar::views
