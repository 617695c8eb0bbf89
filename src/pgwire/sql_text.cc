#include "pgwire/sql_text.h"

#include <cctype>

namespace laminar::pgwire {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsIdentStart(char c) { return std::isalpha(uint8_t(c)) || c == '_' || uint8_t(c) >= 0x80; }
bool IsIdentChar(char c) { return IsIdentStart(c) || std::isdigit(uint8_t(c)) || c == '$'; }

// Past a quoted run that starts at sql[i] == q: the doubled quote stands for itself; with
// `backslash`, a backslash escapes the next character (E'...').
size_t SkipQuoted(std::string_view sql, size_t i, char q, bool backslash) {
  size_t j = i + 1, n = sql.size();
  while (j < n) {
    if (backslash && sql[j] == '\\') {
      j += 2;
      continue;
    }
    if (sql[j] == q) {
      if (j + 1 < n && sql[j + 1] == q) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return n;
}

// A dollar quote's opening delimiter at i ("$$" or "$tag$"): its length, else 0.
size_t DollarTag(std::string_view sql, size_t i) {
  if (sql[i] != '$') return 0;
  size_t j = i + 1;
  if (j < sql.size() && IsIdentStart(sql[j])) {
    while (j < sql.size() && IsIdentChar(sql[j]) && sql[j] != '$') j++;
  }
  return j < sql.size() && sql[j] == '$' ? j + 1 - i : 0;
}

}  // namespace

size_t SkipSpace(std::string_view sql, size_t i) {
  size_t n = sql.size();
  while (i < n) {
    if (IsSpace(sql[i])) {
      i++;
    } else if (sql[i] == '-' && i + 1 < n && sql[i + 1] == '-') {
      size_t nl = sql.find('\n', i);
      i = nl == std::string_view::npos ? n : nl + 1;
    } else if (sql[i] == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] == '/' && i + 1 < n && sql[i + 1] == '*') {
          depth++;
          i += 2;
        } else if (sql[i] == '*' && i + 1 < n && sql[i + 1] == '/') {
          depth--;
          i += 2;
        } else {
          i++;
        }
      }
    } else {
      break;
    }
  }
  return i;
}

size_t SkipToken(std::string_view sql, size_t i) {
  size_t n = sql.size();
  char c = sql[i];
  if (c == '\'') return SkipQuoted(sql, i, '\'', false);
  if (c == '"') return SkipQuoted(sql, i, '"', false);
  if ((c == 'e' || c == 'E') && i + 1 < n && sql[i + 1] == '\'') return SkipQuoted(sql, i + 1, '\'', true);
  if (size_t tag = DollarTag(sql, i)) {
    size_t end = sql.find(sql.substr(i, tag), i + tag);
    return end == std::string_view::npos ? n : end + tag;
  }
  if (IsIdentStart(c)) {
    while (i < n && IsIdentChar(sql[i])) i++;
    return i;
  }
  if (std::isdigit(uint8_t(c)) || (c == '$' && i + 1 < n && std::isdigit(uint8_t(sql[i + 1])))) {
    i++;
    while (i < n && (std::isalnum(uint8_t(sql[i])) || sql[i] == '.' || sql[i] == '_')) i++;
    return i;
  }
  return i + 1;
}

std::optional<size_t> FindWord(std::string_view sql, size_t from, std::string_view word) {
  int depth = 0;
  for (size_t i = from; i < sql.size();) {
    i = SkipSpace(sql, i);
    if (i >= sql.size()) break;
    size_t end = SkipToken(sql, i);
    if (sql[i] == '(') depth++;
    if (sql[i] == ')') depth--;
    if (depth == 0 && end - i == word.size()) {
      bool same = true;
      for (size_t k = 0; k < word.size() && same; k++)
        same = std::tolower(uint8_t(sql[i + k])) == std::tolower(uint8_t(word[k]));
      if (same) return i;
    }
    i = end;
  }
  return std::nullopt;
}

}  // namespace laminar::pgwire
