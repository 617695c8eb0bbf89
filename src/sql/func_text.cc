// The text functions of sql::Func: lower/upper, length, substr, ||, the trims, replace, strpos,
// left/right, split_part, lpad/rpad, initcap, reverse, repeat, starts_with, md5, the quote_*
// functions, concat, concat_ws, format(), translate, ascii/chr, to_hex, octet_length, and the
// regular expression operators and functions (over sql/regex.h). Semantics and messages are
// PostgreSQL 15's (varlena.c, oracle_compat.c, regexp.c) in the C locale: case mapping touches
// ASCII letters only.
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "common/time_util.h"
#include "common/utf8.h"
#include "sql/ast.h"  // QuoteIdentifier: quote_ident() and format('%I')
#include "sql/func_internal.h"
#include "sql/regex.h"

namespace laminar::sql::internal {
namespace {

// PostgreSQL's largest text value (its allocation limit, 1 GB): longer results of lpad, rpad and
// repeat are `requested length too large`.
constexpr int64_t kMaxTextBytes = (int64_t{1} << 30) - 1;

Value TooLong() { return EvalError(ErrorCode::kProgramLimitExceeded, "requested length too large"); }

// True when the code point `ch` (its bytes) is one of the code points of `set`.
bool CharIn(std::string_view ch, std::string_view set) {
  for (size_t k = 0; k < set.size();) {
    size_t n = NextChar(set, k);
    if (set.substr(k, n - k) == ch) return true;
    k = n;
  }
  return false;
}

Value Trim(std::string_view s, std::string_view set, bool left, bool right) {
  size_t b = 0, e = s.size();
  if (left) {
    while (b < e) {
      size_t n = NextChar(s, b);
      if (!CharIn(s.substr(b, n - b), set)) break;
      b = n;
    }
  }
  if (right) {
    while (e > b) {
      size_t start = e - 1;
      while (start > b && IsCont(s[start])) start--;
      if (!CharIn(s.substr(start, e - start), set)) break;
      e = start;
    }
  }
  return Value::Text(std::string(s.substr(b, e - b)));
}

Value Substr(std::string_view s, int64_t start, bool has_count, int64_t count) {
  if (has_count && count < 0) return EvalError(ErrorCode::kSubstringError, "negative substring length not allowed");
  int64_t begin = start < 1 ? 1 : start;
  size_t b = SkipChars(s, 0, begin - 1);
  if (!has_count) return Value::Text(std::string(s.substr(b)));
  int64_t end;  // exclusive, in characters
  if (__builtin_add_overflow(start, count, &end)) end = std::numeric_limits<int64_t>::max();
  if (end <= begin) return Value::Text("");
  size_t e = SkipChars(s, b, end - begin);
  return Value::Text(std::string(s.substr(b, e - b)));
}


// The byte offset where the last n characters of s begin.
size_t LastChars(std::string_view s, int64_t n) {
  size_t i = s.size();
  while (n > 0 && i > 0) {
    i--;
    while (i > 0 && IsCont(s[i])) i--;
    n--;
  }
  return i;
}

Value Left(std::string_view s, int64_t n, bool right) {
  int64_t len = CountChars(s, s.size());
  if (n < 0) n = std::max<int64_t>(len + n, 0);  // all but |n| characters
  if (right) return Value::Text(std::string(s.substr(LastChars(s, n))));
  return Value::Text(std::string(s.substr(0, SkipChars(s, 0, n))));
}

Value SplitPart(std::string_view s, std::string_view sep, int64_t field) {
  if (field == 0) return EvalError(ErrorCode::kInvalidParameterValue, "field position must not be zero");
  if (s.empty()) return Value::Text("");
  if (sep.empty()) return Value::Text(field == 1 || field == -1 ? std::string(s) : "");
  std::vector<std::string_view> fields;
  for (size_t from = 0;;) {
    size_t at = s.find(sep, from);
    if (at == std::string_view::npos) {
      fields.push_back(s.substr(from));
      break;
    }
    fields.push_back(s.substr(from, at - from));
    from = at + sep.size();
  }
  int64_t count = static_cast<int64_t>(fields.size());
  int64_t k = field > 0 ? field - 1 : count + field;
  if (k < 0 || k >= count) return Value::Text("");
  return Value::Text(std::string(fields[static_cast<size_t>(k)]));
}

// lpad / rpad: the string cut to `len` characters, filled to `len` with repetitions of `fill`.
Value Pad(std::string_view s, int64_t len, std::string_view fill, bool left) {
  if (len < 0) len = 0;
  if (len > kMaxTextBytes / 4) return TooLong();  // PostgreSQL's check, for 4-byte characters
  size_t keep = SkipChars(s, 0, len);
  int64_t have = CountChars(s, keep);
  std::string pad;
  if (!fill.empty()) {
    for (size_t i = 0; have + CountChars(pad, pad.size()) < len;) {
      size_t next = NextChar(fill, i);
      pad.append(fill.substr(i, next - i));
      i = next < fill.size() ? next : 0;
    }
  }
  std::string out;
  out.reserve(keep + pad.size());
  if (left) out += pad;
  out.append(s.substr(0, keep));
  if (!left) out += pad;
  return Value::Text(std::move(out));
}

Value Initcap(std::string_view s) {
  std::string out(s);
  bool in_word = false;  // the previous character was an ASCII letter or digit
  for (char& c : out) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (in_word) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    } else if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
    in_word = alnum;
  }
  return Value::Text(std::move(out));
}

Value Reverse(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t end = s.size(); end > 0;) {
    size_t start = end - 1;
    while (start > 0 && IsCont(s[start])) start--;
    out.append(s.substr(start, end - start));
    end = start;
  }
  return Value::Text(std::move(out));
}

Value Repeat(std::string_view s, int64_t n) {
  if (n <= 0 || s.empty()) return Value::Text("");
  if (n > kMaxTextBytes / static_cast<int64_t>(s.size())) return TooLong();
  std::string out;
  out.reserve(s.size() * static_cast<size_t>(n));
  for (int64_t i = 0; i < n; i++) out.append(s);
  return Value::Text(std::move(out));
}

Value Md5(std::string_view s) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(s.data(), s.size(), digest, &len, EVP_md5(), nullptr) != 1)
    return EvalError(ErrorCode::kInternalError, "could not compute MD5 hash");
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; i++) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return Value::Text(std::move(out));
}

// PostgreSQL's quote_literal: in single quotes, ' and \ doubled, E'' when there is a backslash.
std::string QuoteLiteral(std::string_view s) {
  std::string out;
  if (s.find('\\') != std::string_view::npos) out += 'E';
  out += '\'';
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + '\'';
}

Value Translate(std::string_view s, std::string_view from, std::string_view to) {
  // The characters of `to`, by index.
  std::vector<std::string_view> targets;
  for (size_t i = 0; i < to.size();) {
    size_t n = NextChar(to, i);
    targets.push_back(to.substr(i, n - i));
    i = n;
  }
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t n = NextChar(s, i);
    std::string_view ch = s.substr(i, n - i);
    size_t index = 0;
    bool found = false;
    for (size_t j = 0; j < from.size(); index++) {
      size_t m = NextChar(from, j);
      if (from.substr(j, m - j) == ch) {
        found = true;
        break;
      }
      j = m;
    }
    if (!found) out.append(ch);
    else if (index < targets.size()) out.append(targets[index]);  // else: deleted
    i = n;
  }
  return Value::Text(std::move(out));
}

Value Ascii(std::string_view s) {
  if (s.empty()) return Value::Int(0);
  auto c = static_cast<unsigned char>(s[0]);
  int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len && static_cast<size_t>(k) < s.size(); k++) cp = (cp << 6) | (static_cast<unsigned char>(s[k]) & 0x3F);
  return Value::Int(cp);
}

Value Chr(int64_t cp) {
  if (cp < 0 || cp > std::numeric_limits<int32_t>::max())
    return cp < 0 ? EvalError(ErrorCode::kInvalidParameterValue, "character number must be positive")
                  : EvalError(ErrorCode::kNumericValueOutOfRange, "integer out of range");
  if (cp == 0) return EvalError(ErrorCode::kProgramLimitExceeded, "null character not permitted");
  if (cp > 0x10FFFF) return EvalError(ErrorCode::kProgramLimitExceeded, "requested character too large for encoding: {}", cp);
  if (cp >= 0xD800 && cp <= 0xDFFF)
    return EvalError(ErrorCode::kProgramLimitExceeded, "requested character not valid for encoding: {}", cp);
  std::string out;
  AppendUtf8(static_cast<uint32_t>(cp), &out);
  return Value::Text(std::move(out));
}

// ----- regular expressions

// Where a regex call keeps its flags (-1: none), by the argument list PostgreSQL gives it.
int FlagsArg(const Expr& e) {
  size_t n = e.children.size();
  switch (e.func) {
    case Func::kRegexpReplace:  // (s, p, r, flags) or (s, p, r, start, n, flags)
      if (n == 4 && e.children[3]->type == Type::kText) return 3;
      return n == 6 ? 5 : -1;
    case Func::kRegexpLike: return n == 3 ? 2 : -1;
    case Func::kRegexpCount: return n == 4 ? 3 : -1;
    case Func::kRegexpSubstr: return n >= 5 ? 4 : -1;
    default: return -1;
  }
}

const char* GlobalRefused(Func f) {
  switch (f) {
    case Func::kRegexpLike: return "regexp_like";
    case Func::kRegexpCount: return "regexp_count";
    case Func::kRegexpSubstr: return "regexp_substr";
    default: return nullptr;
  }
}

// The options of a call from its operator and flags argument; false after recording an error.
bool CallOptions(const Expr& e, std::string_view flags, RegexOptions* o) {
  *o = RegexOptions{};
  o->icase = e.func == Func::kRegexIMatch || e.func == Func::kRegexNotIMatch;
  Status st = RegexOptions::Parse(flags, o);
  if (!st.ok()) {
    RecordEvalError(st.error_code(), st.message());
    return false;
  }
  if (o->global && GlobalRefused(e.func)) {
    EvalError(ErrorCode::kInvalidParameterValue, "{}() does not support the \"global\" option", GlobalRefused(e.func));
    return false;
  }
  return true;
}

// The compiled pattern of a call: the bound one, or compiled now (errors recorded: null).
std::shared_ptr<const Regex> Pattern(const Expr& e, std::string_view pattern, const RegexOptions& o) {
  if (e.regex) return e.regex;
  auto re = Regex::Cached(pattern, o);
  if (!re.ok()) {
    RecordEvalError(re.status().error_code(), re.status().message());
    return nullptr;
  }
  return *re;
}

// A 1-based start position or occurrence; false (error recorded) when below `min`.
bool PositiveArg(int64_t v, int64_t min, const char* name) {
  if (v >= min && v <= std::numeric_limits<int32_t>::max()) return true;
  if (v > std::numeric_limits<int32_t>::max()) {
    EvalError(ErrorCode::kNumericValueOutOfRange, "integer out of range");
    return false;
  }
  EvalError(ErrorCode::kInvalidParameterValue, "invalid value for parameter \"{}\": {}", name, v);
  return false;
}

// Calls fn(groups) for each match from character `start` (0-based), as PostgreSQL walks them:
// the next search starts where the match ended, one character further after an empty match. fn
// returns false to stop.
template <typename Fn>
void ForEachMatch(const Regex& re, std::string_view s, int64_t start, int ngroups, Fn&& fn) {
  std::vector<std::string_view> g(static_cast<size_t>(ngroups));
  size_t from = SkipChars(s, 0, start);
  if (start > CountChars(s, s.size())) return;
  while (from <= s.size()) {
    if (!re.Find(s, from, g.data(), ngroups)) return;
    if (!fn(g.data())) return;
    size_t end = static_cast<size_t>(g[0].data() - s.data()) + g[0].size();
    from = end;
    if (g[0].empty()) {
      if (end >= s.size()) return;
      from = NextChar(s, end);
    }
  }
}

// regexp_replace's replacement text for one match: \1..\9 the groups, \& the match, \\ a
// backslash; another backslash stays as it is.
void AppendReplacement(std::string_view repl, const std::string_view* g, int ngroups, std::string* out) {
  for (size_t i = 0; i < repl.size(); i++) {
    char c = repl[i];
    if (c != '\\' || i + 1 == repl.size()) {
      out->push_back(c);
      continue;
    }
    char d = repl[i + 1];
    int k = d >= '1' && d <= '9' ? d - '0' : d == '&' ? 0 : -1;
    if (k >= 0) {
      if (k < ngroups && g[k].data()) out->append(g[k]);
      i++;
    } else if (d == '\\') {
      out->push_back('\\');
      i++;
    } else {
      out->push_back('\\');
    }
  }
}

Value RegexpReplace(const Regex& re, std::string_view s, std::string_view repl, int64_t start, int64_t nth) {
  // nth: 0 replaces every match, k the k-th only.
  int ngroups = std::min(re.groups() + 1, 10);
  std::string out;
  size_t copied = 0;
  int64_t seen = 0;
  ForEachMatch(re, s, start, ngroups, [&](const std::string_view* g) {
    seen++;
    if (nth > 0 && seen < nth) return true;
    size_t at = static_cast<size_t>(g[0].data() - s.data());
    out.append(s.substr(copied, at - copied));
    AppendReplacement(repl, g, ngroups, &out);
    copied = at + g[0].size();
    return nth == 0;
  });
  out.append(s.substr(copied));
  return Value::Text(std::move(out));
}

Value EvalRegex(const Expr& e, const Value* const* args, size_t n) {
  int fa = FlagsArg(e);
  RegexOptions o;
  if (!CallOptions(e, fa >= 0 ? std::string_view(args[fa]->as_text()) : std::string_view(), &o)) return Value::Null();
  std::shared_ptr<const Regex> re = Pattern(e, args[1]->as_text(), o);
  if (!re) return Value::Null();
  std::string_view s = args[0]->as_text();
  switch (e.func) {
    case Func::kRegexMatch:
    case Func::kRegexIMatch: return Value::Bool(re->Matches(s));
    case Func::kRegexNotMatch:
    case Func::kRegexNotIMatch: return Value::Bool(!re->Matches(s));
    case Func::kRegexpLike: return Value::Bool(re->Matches(s));
    case Func::kRegexpReplace: {
      int64_t start = 1, nth = o.global ? 0 : 1;
      if (n >= 4 && e.children[3]->type == Type::kInt64) {
        start = args[3]->as_int();
        if (!PositiveArg(start, 1, "start")) return Value::Null();
        if (n >= 5) {
          nth = args[4]->as_int();
          if (!PositiveArg(nth, 0, "n")) return Value::Null();
        }
      }
      return RegexpReplace(*re, s, args[2]->as_text(), start - 1, nth);
    }
    case Func::kRegexpCount: {
      int64_t start = n >= 3 ? args[2]->as_int() : 1;
      if (!PositiveArg(start, 1, "start")) return Value::Null();
      int64_t count = 0;
      ForEachMatch(*re, s, start - 1, 1, [&](const std::string_view*) { return ++count, true; });
      return Value::Int(count);
    }
    case Func::kRegexpSubstr: {
      int64_t start = n >= 3 ? args[2]->as_int() : 1, nth = n >= 4 ? args[3]->as_int() : 1;
      int64_t sub = n >= 6 ? args[5]->as_int() : 0;
      if (!PositiveArg(start, 1, "start") || !PositiveArg(nth, 1, "n") || !PositiveArg(sub, 0, "subexpr"))
        return Value::Null();
      if (sub > re->groups()) return Value::Null();
      Value result;
      int64_t seen = 0;
      ForEachMatch(*re, s, start - 1, static_cast<int>(sub) + 1, [&](const std::string_view* g) {
        if (++seen < nth) return true;
        if (g[sub].data()) result = Value::Text(std::string(g[sub]));
        return false;
      });
      return result;
    }
    case Func::kSubstringRegex: {
      std::string_view g[2];
      int k = re->groups() > 0 ? 1 : 0;
      if (!re->Find(s, 0, g, k + 1) || !g[k].data()) return Value::Null();
      return Value::Text(std::string(g[k]));
    }
    default: return Value::Null();
  }
}

// ----- format()

struct FormatError {
  ErrorCode code = ErrorCode::kInvalidParameterValue;
  std::string message;
};

// format()'s arguments, evaluated up front as PostgreSQL evaluates a call's arguments (argument 0
// is the format itself).
class FormatArgs {
 public:
  FormatArgs(const Expr& e, const Value* row) : e_(e) {
    values_.reserve(e.children.size());
    for (const auto& c : e.children) values_.push_back(Eval(*c, row));
  }
  size_t count() const { return values_.size(); }
  const Value& value(size_t i) const { return values_[i]; }
  Type type(size_t i) const { return e_.children[i]->type; }

 private:
  const Expr& e_;
  std::vector<Value> values_;
};

void AppendPadded(std::string_view s, bool left_justify, int64_t width, std::string* out) {
  int64_t pad = width - CountChars(s, s.size());
  if (pad > 0 && !left_justify) out->append(static_cast<size_t>(pad), ' ');
  out->append(s);
  if (pad > 0 && left_justify) out->append(static_cast<size_t>(pad), ' ');
}

// A width given by an argument, read as PostgreSQL reads a non-integer one: through its text.
bool WidthValue(const Value& w, Type t, int64_t* width, bool* left, FormatError* err) {
  if (w.is_null()) {
    *width = 0;
    return true;
  }
  std::string text;
  AppendOutputText(w, t, &text);
  size_t k = 0;
  bool neg = !text.empty() && text[0] == '-';
  if (neg || (!text.empty() && text[0] == '+')) k++;
  bool digits = k < text.size();
  int64_t v = 0;
  for (; k < text.size(); k++) {
    if (text[k] < '0' || text[k] > '9') digits = false;
    else if (v <= (int64_t{1} << 32)) v = v * 10 + (text[k] - '0');
  }
  if (!digits) {
    *err = {ErrorCode::kInvalidTextRepresentation, fmt::format("invalid input syntax for type integer: \"{}\"", text)};
    return false;
  }
  if (neg) v = -v;
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    *err = {ErrorCode::kNumericValueOutOfRange, fmt::format("value \"{}\" is out of range for type integer", text)};
    return false;
  }
  if (v == std::numeric_limits<int32_t>::min()) {
    *err = {ErrorCode::kNumericValueOutOfRange, "number is out of range"};
    return false;
  }
  if (v < 0) *left = true;  // a negative width aligns left, as the - flag
  *width = v < 0 ? -v : v;
  return true;
}

// PostgreSQL's format(): %[position$][-...][width | *[position$]](s | I | L), and %%.
bool Format(std::string_view f, const FormatArgs& args, std::string* out, FormatError* err) {
  auto fail = [&](ErrorCode code, std::string message) {
    *err = {code, std::move(message)};
    return false;
  };
  size_t i = 0;
  // Steps past f[i]; running off the end of the format is an unterminated specifier.
  auto advance = [&] {
    if (++i < f.size()) return true;
    return fail(ErrorCode::kInvalidParameterValue, "unterminated format() type specifier");
  };
  // Digits at f[i] into *n (*found: were there any); false on an error.
  auto digits = [&](int64_t* n, bool* found) {
    *n = 0;
    *found = false;
    while (f[i] >= '0' && f[i] <= '9') {
      *n = *n * 10 + (f[i] - '0');
      if (*n > std::numeric_limits<int32_t>::max()) return fail(ErrorCode::kNumericValueOutOfRange, "number is out of range");
      *found = true;
      if (!advance()) return false;
    }
    return true;
  };
  auto position_zero = [&] {
    return fail(ErrorCode::kInvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1");
  };
  size_t arg = 0;  // the argument used last (0 is the format itself)
  for (; i < f.size(); i++) {
    if (f[i] != '%') {
      out->push_back(f[i]);
      continue;
    }
    if (!advance()) return false;
    if (f[i] == '%') {
      out->push_back('%');
      continue;
    }
    int64_t argpos = -1, widthpos = -1, width = 0, n;
    bool left = false, found;
    if (!digits(&n, &found)) return false;
    if (found && f[i] != '$') {
      width = n;  // just a width; the conversion follows
    } else {
      if (found) {
        if (n == 0) return position_zero();
        argpos = n;
        if (!advance()) return false;
      }
      while (f[i] == '-') {
        left = true;
        if (!advance()) return false;
      }
      if (f[i] == '*') {
        if (!advance() || !digits(&n, &found)) return false;
        if (found) {
          if (f[i] != '$') return fail(ErrorCode::kInvalidParameterValue, "width argument position must be ended by \"$\"");
          if (n == 0) return position_zero();
          widthpos = n;
          if (!advance()) return false;
        } else {
          widthpos = 0;
        }
      } else {
        if (!digits(&n, &found)) return false;
        if (found) width = n;
      }
    }
    char conv = f[i];
    if (conv != 's' && conv != 'I' && conv != 'L')
      return fail(ErrorCode::kInvalidParameterValue,
                  fmt::format("unrecognized format() type specifier \"{}\"", f.substr(i, NextChar(f, i) - i)));
    if (widthpos >= 0) {
      arg = widthpos > 0 ? static_cast<size_t>(widthpos) : arg + 1;
      if (arg >= args.count()) return fail(ErrorCode::kInvalidParameterValue, "too few arguments for format()");
      if (!WidthValue(args.value(arg), args.type(arg), &width, &left, err)) return false;
    }
    arg = argpos > 0 ? static_cast<size_t>(argpos) : arg + 1;
    if (arg >= args.count()) return fail(ErrorCode::kInvalidParameterValue, "too few arguments for format()");
    const Value& v = args.value(arg);
    if (v.is_null()) {
      if (conv == 'I') return fail(ErrorCode::kNullValueNotAllowed, "null values cannot be formatted as an SQL identifier");
      AppendPadded(conv == 'L' ? "NULL" : "", left, width, out);
      continue;
    }
    std::string text;
    AppendOutputText(v, args.type(arg), &text);
    if (conv == 'I') text = ast::QuoteIdentifier(text);
    else if (conv == 'L') text = QuoteLiteral(text);
    AppendPadded(text, left, width, out);
  }
  return true;
}

}  // namespace

Value EvalTextFunc(const Expr& e, const Value* const* args, size_t n) {
  auto text = [&](size_t i) -> std::string_view { return args[i]->as_text(); };
  switch (e.func) {
    case Func::kLower:
    case Func::kUpper: {
      std::string s = args[0]->as_text();
      for (char& x : s) {
        if (e.func == Func::kLower && x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (e.func == Func::kUpper && x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
      }
      return Value::Text(std::move(s));
    }
    case Func::kLength: return Value::Int(CountChars(text(0), text(0).size()));
    case Func::kSubstr: return Substr(text(0), args[1]->as_int(), n > 2, n > 2 ? args[2]->as_int() : 0);
    case Func::kConcatOp: {
      std::string s;
      s.reserve(text(0).size() + text(1).size());
      s.append(text(0));
      s.append(text(1));
      return Value::Text(std::move(s));
    }
    case Func::kBtrim:
    case Func::kLtrim:
    case Func::kRtrim:
      return Trim(text(0), n > 1 ? text(1) : std::string_view(" "), e.func != Func::kRtrim, e.func != Func::kLtrim);
    case Func::kReplace: {
      std::string_view s = text(0), from = text(1);
      if (from.empty()) return *args[0];
      std::string out;
      size_t pos = 0;
      while (true) {
        size_t f = s.find(from, pos);
        if (f == std::string_view::npos) break;
        out.append(s.substr(pos, f - pos));
        out.append(text(2));
        pos = f + from.size();
      }
      out.append(s.substr(pos));
      return Value::Text(std::move(out));
    }
    case Func::kStrpos: {
      size_t f = text(0).find(text(1));
      if (f == std::string_view::npos) return Value::Int(0);
      return Value::Int(CountChars(text(0), f) + 1);
    }
    case Func::kLeft: return Left(text(0), args[1]->as_int(), false);
    case Func::kRight: return Left(text(0), args[1]->as_int(), true);
    case Func::kSplitPart: return SplitPart(text(0), text(1), args[2]->as_int());
    case Func::kLpad:
    case Func::kRpad: return Pad(text(0), args[1]->as_int(), n > 2 ? text(2) : " ", e.func == Func::kLpad);
    case Func::kInitcap: return Initcap(text(0));
    case Func::kReverse: return Reverse(text(0));
    case Func::kRepeat: return Repeat(text(0), args[1]->as_int());
    case Func::kStartsWith: return Value::Bool(text(0).substr(0, text(1).size()) == text(1));
    case Func::kMd5: return Md5(text(0));
    case Func::kQuoteIdent: return Value::Text(ast::QuoteIdentifier(std::string(text(0))));
    case Func::kQuoteLiteral: return Value::Text(QuoteLiteral(text(0)));
    case Func::kTranslate: return Translate(text(0), text(1), text(2));
    case Func::kAscii: return Ascii(text(0));
    case Func::kChr: return Chr(args[0]->as_int());
    case Func::kToHex: return Value::Text(fmt::format("{:x}", static_cast<uint64_t>(args[0]->as_int())));
    case Func::kOctetLength: return Value::Int(static_cast<int64_t>(text(0).size()));
    case Func::kRegexMatch:
    case Func::kRegexNotMatch:
    case Func::kRegexIMatch:
    case Func::kRegexNotIMatch:
    case Func::kRegexpReplace:
    case Func::kRegexpLike:
    case Func::kRegexpCount:
    case Func::kRegexpSubstr:
    case Func::kSubstringRegex: return EvalRegex(e, args, n);
    default: return Value::Null();
  }
}

Value EvalTextFuncNonStrict(const Expr& e, const Value* row) {
  switch (e.func) {
    case Func::kConcat: {  // NULL arguments are skipped
      std::string out;
      for (const auto& c : e.children) {
        Value v = Eval(*c, row);
        if (!v.is_null()) AppendOutputText(v, c->type, &out);
      }
      return Value::Text(std::move(out));
    }
    case Func::kFormat: {
      FormatArgs args(e, row);
      if (args.value(0).is_null()) return Value::Null();
      std::string out;
      FormatError err;
      if (!Format(args.value(0).as_text(), args, &out, &err)) return EvalError(err.code, "{}", err.message);
      return Value::Text(std::move(out));
    }
    case Func::kConcatWs: {
      Value sep = Eval(*e.children[0], row);
      if (sep.is_null()) return sep;
      std::string out;
      bool first = true;
      for (size_t i = 1; i < e.children.size(); i++) {
        Value v = Eval(*e.children[i], row);
        if (v.is_null()) continue;
        if (!first) out += sep.as_text();
        first = false;
        AppendOutputText(v, e.children[i]->type, &out);
      }
      return Value::Text(std::move(out));
    }
    case Func::kQuoteNullable: {
      Value v = Eval(*e.children[0], row);
      return Value::Text(v.is_null() ? "NULL" : QuoteLiteral(v.as_text()));
    }
    case Func::kJsonBuildObject: {
      // PostgreSQL's text of a json object: {"k" : v, "k2" : v2}.
      // A JSON string: nlohmann's escaping is PostgreSQL's (\" \\ \b \f \n \r \t, other
      // control characters as \u00XX, the rest as is).
      auto quote = [](const std::string& t) {
        return nlohmann::json(t).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      };
      std::string out = "{";
      for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
        Value k = Eval(*e.children[i], row);
        if (k.is_null()) return EvalError(ErrorCode::kNullValueNotAllowed, "null value not allowed for object key");
        if (i) out += ", ";
        std::string key;
        AppendOutputText(k, e.children[i]->type, &key);
        out += quote(key) + " : ";
        Value v = Eval(*e.children[i + 1], row);
        Type t = e.children[i + 1]->type;
        if (v.is_null()) {
          out += "null";
        } else if (t == Type::kBool) {
          out += v.as_bool() ? "true" : "false";
        } else if (t == Type::kInt64) {
          out += std::to_string(v.as_int());
        } else if (t == Type::kDouble && std::isfinite(v.as_double())) {
          AppendOutputText(v, t, &out);
        } else if (t == Type::kTimestamp) {
          // ISO 8601, as PostgreSQL writes timestamps in JSON: 2024-01-01T00:00:00+00:00.
          std::string text = FormatTimestamp(v.as_int());
          if (!text.empty() && text.back() == 'Z') text.replace(text.size() - 1, 1, "+00:00");
          out += quote(text);
        } else {
          std::string text;
          AppendOutputText(v, t, &text);
          out += quote(text);
        }
      }
      return Value::Text(out + "}");
    }
    default: return Value::Null();
  }
}

Result<std::shared_ptr<const Regex>> BindRegex(const Expr& e) {
  auto constant = [](const Expr& c) { return c.kind == ExprKind::kLiteral && !c.literal.is_null(); };
  if (e.children.size() < 2 || !constant(*e.children[1])) return std::shared_ptr<const Regex>();
  int fa = FlagsArg(e);
  if (fa >= 0 && !constant(*e.children[static_cast<size_t>(fa)])) return std::shared_ptr<const Regex>();
  RegexOptions o;
  bool had_error = HasEvalError();
  bool ok = CallOptions(e, fa >= 0 ? std::string_view(e.children[static_cast<size_t>(fa)]->literal.as_text()) : "", &o);
  if (!ok) {
    if (!had_error) ClearEvalError();  // reported when a row is evaluated, as in PostgreSQL
    return std::shared_ptr<const Regex>();
  }
  auto re = Regex::Compile(e.children[1]->literal.as_text(), o);
  if (!re.ok() && re.status().code() == StatusCode::kUnimplemented) return re.status();
  return re.ok() ? *re : std::shared_ptr<const Regex>();
}

}  // namespace laminar::sql::internal
