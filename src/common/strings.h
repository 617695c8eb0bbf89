// Small string helpers shared by every module.
//
// Thread safety: pure functions.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace laminar {

// `s` with ASCII letters in lower case (other bytes, UTF-8 included, unchanged).
inline std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace laminar
