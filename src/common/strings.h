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

// `s` as a SQL string literal: in single quotes, each ' doubled (standard_conforming_strings: a
// backslash is an ordinary character).
inline std::string QuoteSqlLiteral(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace laminar
