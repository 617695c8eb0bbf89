#include "sql/regex.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "common/utf8.h"

namespace laminar::sql {
namespace {

Status Invalid(std::string_view what) {
  return InvalidArgument(ErrorCode::kInvalidRegularExpression, "invalid regular expression: {}", what);
}
Status NotSupported(std::string_view what) {
  return Unimplemented(ErrorCode::kFeatureNotSupported, "{} in regular expressions are not supported", what);
}

constexpr const char* kBadEscape = "invalid escape \\ sequence";
constexpr int kMaxRepeat = 255;  // PostgreSQL's DUPMAX

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// The code point at s[*i] (text is valid UTF-8 throughout Laminar); advances *i past it.
uint32_t NextCodePoint(std::string_view s, size_t* i) {
  unsigned char c = static_cast<unsigned char>(s[*i]);
  int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len && *i + k < s.size(); k++) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += len;
  return cp;
}

// Applies one option letter (flags argument or embedded option); false when it is not one.
bool ApplyOption(char c, RegexOptions* o) {
  switch (c) {
    case 'b':
    case 'e': o->basic = true; o->quote = false; return true;
    case 'c': o->icase = false; return true;
    case 'i': o->icase = true; return true;
    case 'm':
    case 'n': o->nl_stop = o->nl_anchor = true; return true;
    case 'p': o->nl_stop = true; o->nl_anchor = false; return true;
    case 'q': o->quote = true; o->basic = false; return true;
    case 's': o->nl_stop = o->nl_anchor = false; return true;
    case 't': o->expanded = false; return true;
    case 'w': o->nl_stop = false; o->nl_anchor = true; return true;
    case 'x': o->expanded = true; return true;
    default: return false;
  }
}

// Translates a PostgreSQL ARE into RE2's syntax (see regex.h).
class Translator {
 public:
  Translator(std::string_view p, RegexOptions o) : p_(p), o_(o) {}

  Status Run();
  const std::string& out() const { return out_; }
  const RegexOptions& options() const { return o_; }
  int groups() const { return groups_; }
  bool non_greedy() const { return non_greedy_; }

 private:
  // A code point as RE2 reads it literally, inside or outside a bracket expression.
  static void EmitLiteral(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      char c = static_cast<char>(cp);
      if (IsDigit(c) || IsAlpha(c)) {
        out->push_back(c);
      } else if (cp > 0x20 && cp < 0x7F) {
        out->push_back('\\');  // RE2 takes any escaped punctuation as itself
        out->push_back(c);
      } else {
        *out += fmt::format("\\x{{{:X}}}", cp);
      }
      return;
    }
    AppendUtf8(cp, out);
  }

  static bool IsLower(uint32_t c) { return c >= 'a' && c <= 'z'; }
  static bool IsUpper(uint32_t c) { return c >= 'A' && c <= 'Z'; }

  // Case-insensitive matching folds ASCII letters only, as PostgreSQL's in the C locale: RE2
  // runs case-sensitively and a letter stands for both of its cases ([aA]); RE2's own folding
  // would also fold É and é.
  void Literal(uint32_t cp) {
    if (o_.icase && (IsLower(cp) || IsUpper(cp))) {
      out_ += '[';
      out_ += static_cast<char>(cp);
      out_ += static_cast<char>(cp ^ 0x20);
      out_ += ']';
      return;
    }
    EmitLiteral(cp, &out_);
  }
  // A character or range [lo, hi] inside a bracket expression (with the other case of its
  // ASCII letters when case-insensitive).
  void BracketRange(uint32_t lo, uint32_t hi) {
    EmitLiteral(lo, &out_);
    if (hi != lo) {
      out_ += '-';
      EmitLiteral(hi, &out_);
    }
    if (!o_.icase) return;
    auto other = [&](uint32_t from, uint32_t to, uint32_t first, uint32_t last) {
      uint32_t a = std::max(from, first), b = std::min(to, last);
      if (a > b) return;
      EmitLiteral(a ^ 0x20, &out_);
      if (b > a) {
        out_ += '-';
        EmitLiteral(b ^ 0x20, &out_);
      }
    };
    other(lo, hi, 'a', 'z');
    other(lo, hi, 'A', 'Z');
  }

  // Reads `count` hex digits (count < 0: one or more, at most 8) at i.
  bool Hex(size_t* i, int count, uint32_t* cp) const {
    uint32_t v = 0;
    int n = 0;
    while (*i < p_.size() && IsHex(p_[*i]) && (count < 0 ? n < 8 : n < count)) {
      char c = p_[*i];
      v = v * 16 + static_cast<uint32_t>(IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
      ++*i;
      n++;
    }
    *cp = v;
    return count < 0 ? n > 0 : n == count;
  }

  // An escape at p_[i] == '\\'. Outside a bracket expression its RE2 form goes to out_; inside,
  // a single character is returned in *cp (is_char) or a class's RE2 form in *cls.
  Status Escape(size_t* i, bool in_bracket, bool* is_char, uint32_t* cp, std::string* cls);
  Status Bracket(size_t* i);
  Status Bound(size_t* i);

  std::string_view p_;
  RegexOptions o_;
  std::string out_;
  int groups_ = 0;         // capturing groups opened
  int closed_groups_ = 0;  // and closed (back-references may only name these)
  std::vector<bool> open_;  // per open parenthesis: capturing?
  bool non_greedy_ = false;
};

Status Translator::Escape(size_t* i, bool in_bracket, bool* is_char, uint32_t* cp, std::string* cls) {
  *is_char = false;
  size_t at = *i + 1;
  if (at >= p_.size()) return Invalid(kBadEscape);
  char c = p_[at];
  *i = at + 1;
  auto ch = [&](uint32_t v) {
    *is_char = true;
    *cp = v;
    return Status::OK();
  };
  // The class shorthands; \W \D (and \S) stop at a newline in newline-sensitive mode, as
  // PostgreSQL's bracket expressions with ^ do.
  const char* nl = o_.nl_stop && !in_bracket ? "\\n" : "";
  switch (c) {
    case 'd': *cls = "\\d"; return Status::OK();
    case 'w': *cls = "\\w"; return Status::OK();
    case 'D': *cls = in_bracket ? "\\D" : fmt::format("[^0-9{}]", nl); return Status::OK();
    case 'W': *cls = in_bracket ? "\\W" : fmt::format("[^0-9A-Za-z_{}]", nl); return Status::OK();
    case 's': *cls = in_bracket ? "\\t\\n\\x0B\\f\\r\\x20" : "[\\t\\n\\x0B\\f\\r\\x20]"; return Status::OK();
    case 'S': *cls = in_bracket ? "\\S" : "[^\\t\\n\\x0B\\f\\r\\x20]"; return Status::OK();
    case 'a': return ch(0x07);
    case 'b': return ch(0x08);  // backspace: PostgreSQL's word boundary is \y
    case 'B': return ch('\\');
    case 'e': return ch(0x1B);
    case 'f': return ch('\f');
    case 'n': return ch('\n');
    case 'r': return ch('\r');
    case 't': return ch('\t');
    case 'v': return ch('\v');
    case 'c': {
      if (*i >= p_.size()) return Invalid(kBadEscape);
      return ch(static_cast<uint32_t>(static_cast<unsigned char>(p_[(*i)++])) & 0x1F);
    }
    case 'u':
    case 'U':
    case 'x': {
      uint32_t v;
      if (!Hex(i, c == 'u' ? 4 : c == 'U' ? 8 : -1, &v) || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return Invalid(kBadEscape);
      return ch(v);
    }
    default: break;
  }
  if (IsDigit(c)) {
    // \0 and \0nn: octal. \1 .. \9: a back-reference. Longer numbers: a back-reference when
    // not above the number of groups closed so far, else two or three octal digits.
    size_t end = at + 1;
    while (end < p_.size() && IsDigit(p_[end]) && end - at < 3 && (c != '0' || p_[end] <= '7')) end++;
    std::string_view digits = p_.substr(at, end - at);
    bool octal = true;
    int value = 0, oct = 0;
    for (char d : digits) {
      value = value * 10 + (d - '0');
      octal = octal && d <= '7';
      oct = oct * 8 + (d - '0');
    }
    bool backref = c != '0' && (digits.size() == 1 || value <= closed_groups_);
    if (!backref && octal) {
      *i = end;
      return ch(static_cast<uint32_t>(oct));
    }
    if (in_bracket) return Invalid(kBadEscape);
    if (!backref || value > closed_groups_) return Invalid("invalid backreference number");
    return NotSupported("back-references (\\1)");
  }
  if (!in_bracket) {
    switch (c) {
      case 'A': *cls = "\\A"; return Status::OK();
      case 'Z': *cls = "\\z"; return Status::OK();
      case 'y': *cls = "\\b"; return Status::OK();
      case 'Y': *cls = "\\B"; return Status::OK();
      case 'm':
      case 'M': return NotSupported("the word-start and word-end constraints (\\m, \\M)");
      default: break;
    }
  }
  if (IsAlpha(c)) return Invalid(kBadEscape);
  // Any other character stands for itself.
  *i = at;
  return ch(NextCodePoint(p_, i));
}

Status Translator::Bracket(size_t* i) {
  std::string_view rest = p_.substr(*i);
  if (rest.substr(0, 7) == "[[:<:]]" || rest.substr(0, 7) == "[[:>:]]")
    return NotSupported("the word-start and word-end constraints ([[:<:]], [[:>:]])");
  size_t k = *i + 1;
  out_ += '[';
  if (k < p_.size() && p_[k] == '^') {
    out_ += '^';
    if (o_.nl_stop) out_ += "\\n";
    k++;
  }
  bool first = true;
  // One element: a single code point (*cp, may start or end a range) or a class (*cls).
  auto element = [&](bool* is_char, uint32_t* cp, std::string* cls) -> Status {
    *is_char = false;
    cls->clear();
    char c = p_[k];
    if (c == '[' && k + 1 < p_.size() && (p_[k + 1] == ':' || p_[k + 1] == '=' || p_[k + 1] == '.')) {
      char kind = p_[k + 1];
      size_t close = p_.find(std::string{kind, ']'}, k + 2);
      if (close == std::string_view::npos) return Invalid("brackets [] not balanced");
      std::string_view name = p_.substr(k + 2, close - (k + 2));
      k = close + 2;
      if (kind == ':') {
        static const char* kClasses[] = {"alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph",
                                         "lower", "print", "punct", "space", "upper", "xdigit", "word"};
        for (const char* n : kClasses)
          if (name == n) {
            // Case-insensitive, upper and lower case letters are each other's.
            bool cased = o_.icase && (name == "upper" || name == "lower");
            *cls = fmt::format("[:{}:]", cased ? "alpha" : name);
            return Status::OK();
          }
        return Invalid("invalid character class");
      }
      size_t j = 0;
      uint32_t v = name.empty() ? 0 : NextCodePoint(name, &j);
      if (name.empty() || j != name.size())
        return kind == '.' ? NotSupported("collating element names ([.name.])") : Invalid("invalid collating element");
      *is_char = true;
      *cp = v;
      return Status::OK();
    }
    if (c == '\\') return Escape(&k, /*in_bracket=*/true, is_char, cp, cls);
    *is_char = true;
    *cp = NextCodePoint(p_, &k);
    return Status::OK();
  };
  while (true) {
    if (k >= p_.size()) return Invalid("brackets [] not balanced");
    if (p_[k] == ']' && !first) {
      k++;
      break;
    }
    first = false;
    bool is_char;
    uint32_t lo;
    std::string cls;
    RETURN_IF_ERROR(element(&is_char, &lo, &cls));
    if (!is_char) {
      out_ += cls;
      continue;
    }
    if (k + 1 < p_.size() && p_[k] == '-' && p_[k + 1] != ']') {  // a range
      k++;
      uint32_t hi;
      RETURN_IF_ERROR(element(&is_char, &hi, &cls));
      if (!is_char || hi < lo) return Invalid("invalid character range");
      BracketRange(lo, hi);
      continue;
    }
    BracketRange(lo, lo);
  }
  out_ += ']';
  *i = k;
  return Status::OK();
}

// {m}, {m,}, {m,n} at p_[i] == '{' followed by a digit.
Status Translator::Bound(size_t* i) {
  size_t k = *i + 1;
  auto number = [&](int* v) {
    size_t start = k;
    int64_t n = 0;
    while (k < p_.size() && IsDigit(p_[k])) {
      n = n * 10 + (p_[k] - '0');
      if (n > kMaxRepeat + 1) n = kMaxRepeat + 1;
      k++;
    }
    *v = static_cast<int>(n);
    return k > start;
  };
  int m = 0, n = -1;
  number(&m);
  bool comma = false;
  if (k < p_.size() && p_[k] == ',') {
    comma = true;
    k++;
    if (!number(&n)) n = -1;
  }
  if (k >= p_.size()) return Invalid("braces {} not balanced");
  if (p_[k] != '}') return Invalid("invalid repetition count(s)");
  k++;
  if (m > kMaxRepeat || n > kMaxRepeat || (n >= 0 && n < m)) return Invalid("invalid repetition count(s)");
  out_ += comma ? (n >= 0 ? fmt::format("{{{},{}}}", m, n) : fmt::format("{{{},}}", m)) : fmt::format("{{{}}}", m);
  *i = k;
  return Status::OK();
}

Status Translator::Run() {
  size_t i = 0;
  if (p_.substr(0, 4) == "***=") {
    o_.quote = true;
    i = 4;
  } else if (p_.substr(0, 4) == "***:") {
    i = 4;
  }
  // Embedded options: (?letters) at the start.
  if (!o_.quote && p_.substr(i, 2) == "(?" && i + 2 < p_.size() && IsAlpha(p_[i + 2])) {
    size_t k = i + 2;
    while (k < p_.size() && IsAlpha(p_[k]))
      if (!ApplyOption(p_[k++], &o_)) return Invalid("invalid embedded option");
    if (k >= p_.size() || p_[k] != ')') return Invalid("invalid embedded option");
    i = k + 1;
  }
  if (o_.quote) {
    while (i < p_.size()) Literal(NextCodePoint(p_, &i));
    return Status::OK();
  }
  if (o_.basic) return NotSupported("basic and extended (POSIX BRE and ERE) syntax, flags 'b' and 'e',");
  while (i < p_.size()) {
    char c = p_[i];
    if (o_.expanded && IsSpace(c)) {
      i++;
      continue;
    }
    if (o_.expanded && c == '#') {
      while (i < p_.size() && p_[i] != '\n') i++;
      continue;
    }
    switch (c) {
      case '\\': {
        bool is_char;
        uint32_t cp;
        std::string cls;
        RETURN_IF_ERROR(Escape(&i, /*in_bracket=*/false, &is_char, &cp, &cls));
        if (is_char) Literal(cp);
        else out_ += cls;
        break;
      }
      case '[': RETURN_IF_ERROR(Bracket(&i)); break;
      case '(':
        if (i + 1 < p_.size() && p_[i + 1] == '?') {
          char k = i + 2 < p_.size() ? p_[i + 2] : '\0';
          if (k == ':') {
            out_ += "(?:";
            open_.push_back(false);
            i += 3;
          } else if (k == '=' || k == '!') {
            return NotSupported("lookahead constraints ((?=...), (?!...))");
          } else if (k == '<' && i + 3 < p_.size() && (p_[i + 3] == '=' || p_[i + 3] == '!')) {
            return NotSupported("lookbehind constraints ((?<=...), (?<!...))");
          } else if (k == '#') {  // a comment
            size_t close = p_.find(')', i);
            if (close == std::string_view::npos) return Invalid("parentheses () not balanced");
            i = close + 1;
          } else {
            return Invalid("quantifier operand invalid");
          }
        } else {
          out_ += '(';
          open_.push_back(true);
          groups_++;
          i++;
        }
        break;
      case ')':
        if (open_.empty()) return Invalid("parentheses () not balanced");
        if (open_.back()) closed_groups_++;
        open_.pop_back();
        out_ += ')';
        i++;
        break;
      case '{':
        if (i + 1 < p_.size() && IsDigit(p_[i + 1])) {
          RETURN_IF_ERROR(Bound(&i));
        } else {
          out_ += "\\{";
          i++;
          break;
        }
        [[fallthrough]];
      case '*':
      case '+':
      case '?':
        if (c != '{') out_ += p_[i++];
        if (i < p_.size() && p_[i] == '?') {  // non-greedy
          out_ += '?';
          non_greedy_ = true;
          i++;
        }
        break;
      case '.':
      case '^':
      case '$':
      case '|': out_ += c; i++; break;
      default: Literal(NextCodePoint(p_, &i)); break;
    }
  }
  if (!open_.empty()) return Invalid("parentheses () not balanced");
  return Status::OK();
}

Status FromRe2Error(re2::RE2::ErrorCode code) {
  switch (code) {
    case re2::RE2::ErrorBadEscape:
    case re2::RE2::ErrorTrailingBackslash: return Invalid(kBadEscape);
    case re2::RE2::ErrorBadCharClass: return Invalid("invalid character class");
    case re2::RE2::ErrorBadCharRange: return Invalid("invalid character range");
    case re2::RE2::ErrorMissingBracket: return Invalid("brackets [] not balanced");
    case re2::RE2::ErrorMissingParen:
    case re2::RE2::ErrorUnexpectedParen: return Invalid("parentheses () not balanced");
    case re2::RE2::ErrorRepeatSize: return Invalid("invalid repetition count(s)");
    case re2::RE2::ErrorPatternTooLarge: return Invalid("regular expression is too complex");
    default: return Invalid("quantifier operand invalid");  // *, a**, (?z): what else reaches RE2
  }
}

}  // namespace

Status RegexOptions::Parse(std::string_view flags, RegexOptions* out) {
  for (size_t i = 0; i < flags.size(); i++) {
    char c = flags[i];
    if (c == 'g') {
      out->global = true;
      continue;
    }
    if (!ApplyOption(c, out)) {
      size_t len = 1;  // the whole character, for the message
      while (i + len < flags.size() && (static_cast<unsigned char>(flags[i + len]) & 0xC0) == 0x80) len++;
      return InvalidArgument(ErrorCode::kInvalidParameterValue, "invalid regular expression option: \"{}\"",
                             flags.substr(i, len));
    }
  }
  return Status::OK();
}

Regex::~Regex() = default;

Result<std::shared_ptr<const Regex>> Regex::Compile(std::string_view pattern, const RegexOptions& options) {
  Translator t(pattern, options);
  RETURN_IF_ERROR(t.Run());
  const RegexOptions& o = t.options();  // embedded options included
  re2::RE2::Options ro;
  ro.set_log_errors(false);
  ro.set_encoding(re2::RE2::Options::EncodingUTF8);
  ro.set_case_sensitive(true);  // the translation spells out ASCII case-insensitivity
  ro.set_dot_nl(!o.nl_stop);
  // PostgreSQL's greedy REs find the longest match at the leftmost position (POSIX); with a
  // non-greedy quantifier RE2's Perl rules (leftmost-first) come closest.
  ro.set_longest_match(!t.non_greedy());
  ro.set_max_mem(32 << 20);
  std::shared_ptr<Regex> r(new Regex());
  r->translated_ = (o.nl_anchor ? "(?m)" : "") + t.out();
  r->re_ = std::make_unique<re2::RE2>(r->translated_, ro);
  if (!r->re_->ok()) return FromRe2Error(r->re_->error_code());
  r->groups_ = r->re_->NumberOfCapturingGroups();
  return std::shared_ptr<const Regex>(std::move(r));
}

Result<std::shared_ptr<const Regex>> Regex::Cached(std::string_view pattern, const RegexOptions& options) {
  // Most recently used first; PostgreSQL keeps 32 compiled patterns per backend.
  constexpr size_t kEntries = 32;
  struct Entry {
    std::string key;
    std::shared_ptr<const Regex> re;
  };
  thread_local std::vector<Entry> cache;
  std::string key(pattern);
  key += '\0';
  key += static_cast<char>('0' + (options.icase | options.nl_stop << 1 | options.nl_anchor << 2 |
                                  options.expanded << 3 | options.quote << 4 | options.basic << 5));
  for (size_t k = 0; k < cache.size(); k++) {
    if (cache[k].key != key) continue;
    if (k > 0) std::rotate(cache.begin(), cache.begin() + static_cast<std::ptrdiff_t>(k),
                           cache.begin() + static_cast<std::ptrdiff_t>(k) + 1);
    return cache.front().re;
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const Regex> re, Compile(pattern, options));
  if (cache.size() == kEntries) cache.pop_back();
  cache.insert(cache.begin(), Entry{std::move(key), re});
  return re;
}

bool Regex::Matches(std::string_view text) const {
  return re_->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), re2::RE2::UNANCHORED, nullptr, 0);
}

bool Regex::Find(std::string_view text, size_t from, std::string_view* groups, int n) const {
  std::vector<re2::StringPiece> sp(static_cast<size_t>(n));
  re2::StringPiece t(text.data(), text.size());
  if (!re_->Match(t, from, text.size(), re2::RE2::UNANCHORED, sp.data(), n)) return false;
  for (int k = 0; k < n; k++)
    groups[k] = sp[k].data() ? std::string_view(sp[k].data(), sp[k].size()) : std::string_view();
  return true;
}

}  // namespace laminar::sql
