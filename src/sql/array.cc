// PostgreSQL's text forms of one-dimensional arrays and of records (sql/array.h).
#include "sql/array.h"

#include <cctype>

namespace laminar::sql {

namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool IsNullWord(std::string_view s) {
  return s.size() == 4 && std::tolower(static_cast<unsigned char>(s[0])) == 'n' &&
         std::tolower(static_cast<unsigned char>(s[1])) == 'u' && std::tolower(static_cast<unsigned char>(s[2])) == 'l' &&
         std::tolower(static_cast<unsigned char>(s[3])) == 'l';
}

}  // namespace

std::string FormatArray(const ArrayElems& elems) {
  std::string out = "{";
  for (size_t k = 0; k < elems.size(); k++) {
    if (k) out += ',';
    if (!elems[k]) {
      out += "NULL";
      continue;
    }
    const std::string& e = *elems[k];
    bool quote = e.empty() || IsNullWord(e);
    for (char c : e) quote = quote || c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || IsSpace(c);
    if (!quote) {
      out += e;
      continue;
    }
    out += '"';
    for (char c : e) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

Result<ArrayElems> ParseArray(std::string_view text) {
  auto bad = [&](const char* why) {
    return InvalidArgument(ErrorCode::kInvalidTextRepresentation, "malformed array literal: \"{}\" ({})", text, why);
  };
  std::string_view t = text;
  while (!t.empty() && IsSpace(t.front())) t.remove_prefix(1);
  while (!t.empty() && IsSpace(t.back())) t.remove_suffix(1);
  if (!t.empty() && t.front() == '[')
    return Unimplemented(ErrorCode::kFeatureNotSupported, "array literals with explicit bounds are not supported");
  if (t.size() < 2 || t.front() != '{' || t.back() != '}') return bad("array value must start with \"{\"");
  ArrayElems out;
  size_t i = 1, end = t.size() - 1;
  auto skip_space = [&] {
    while (i < end && IsSpace(t[i])) i++;
  };
  skip_space();
  if (i == end) return out;
  for (;;) {
    skip_space();
    if (i >= end) return bad("unexpected end of input");
    if (t[i] == '{') return Unimplemented(ErrorCode::kFeatureNotSupported, "multidimensional arrays are not supported");
    std::string elem;
    bool quoted = false;
    if (t[i] == '"') {
      quoted = true;
      for (i++;; i++) {
        if (i >= end) return bad("unterminated quoted element");
        if (t[i] == '\\' && i + 1 < end) {
          elem += t[++i];
        } else if (t[i] == '"') {
          i++;
          break;
        } else {
          elem += t[i];
        }
      }
      skip_space();
    } else {
      while (i < end && t[i] != ',') {
        if (t[i] == '"' || t[i] == '{' || t[i] == '}') return bad("unexpected character");
        if (t[i] == '\\' && i + 1 < end) i++;
        elem += t[i++];
      }
      while (!elem.empty() && IsSpace(elem.back())) elem.pop_back();
      if (elem.empty()) return bad("empty element");
    }
    if (!quoted && IsNullWord(elem)) {
      out.push_back(std::nullopt);
    } else {
      out.push_back(std::move(elem));
    }
    if (i == end) return out;
    if (t[i] != ',') return bad("expected \",\"");
    i++;
  }
}

std::string FormatRecord(const ArrayElems& fields) {
  std::string out = "(";
  for (size_t k = 0; k < fields.size(); k++) {
    if (k) out += ',';
    if (!fields[k]) continue;
    const std::string& f = *fields[k];
    bool quote = f.empty();
    for (char c : f) quote = quote || c == '(' || c == ')' || c == ',' || c == '"' || c == '\\' || IsSpace(c);
    if (!quote) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      if (c == '"' || c == '\\') out += c;  // doubled, as record_out writes them
      out += c;
    }
    out += '"';
  }
  return out + ")";
}

Result<ArrayElems> ParseRecord(std::string_view text) {
  auto bad = [&](const char* why) {
    return InvalidArgument(ErrorCode::kInvalidTextRepresentation, "malformed record literal: \"{}\" ({})", text, why);
  };
  std::string_view t = text;
  while (!t.empty() && IsSpace(t.front())) t.remove_prefix(1);
  while (!t.empty() && IsSpace(t.back())) t.remove_suffix(1);
  if (t.size() < 2 || t.front() != '(' || t.back() != ')') return bad("missing \"(\" or \")\"");
  ArrayElems out;
  size_t i = 1, end = t.size() - 1;
  for (;;) {
    if (i == end || t[i] == ',') {
      out.push_back(std::nullopt);
    } else {
      std::string f;
      bool in_quotes = false;
      while (i < end && (in_quotes || t[i] != ',')) {
        char c = t[i++];
        if (c == '\\') {
          if (i >= end) return bad("unexpected end of input");
          f += t[i++];
        } else if (c == '"') {
          if (in_quotes && i < end && t[i] == '"') {
            f += t[i++];
          } else {
            in_quotes = !in_quotes;
          }
        } else {
          f += c;
        }
      }
      if (in_quotes) return bad("unterminated quoted field");
      out.push_back(std::move(f));
    }
    if (i == end) return out;
    i++;  // the comma
  }
}

}  // namespace laminar::sql
