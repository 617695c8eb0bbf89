// PostgreSQL's regular expressions — the `~ ~* !~ !~*` operators and the regexp_* functions —
// evaluated by RE2 (a linear-time engine: no pattern or text can make a match take exponential
// time or overflow the stack).
//
// A pattern in PostgreSQL's syntax (Advanced Regular Expressions) is translated to RE2's:
// PostgreSQL's escapes (\y \Y word boundaries, \Z, \b backspace, \m \M, \uXXXX, \e, \cX, octal,
// ...), bracket expressions ([[:alpha:]], [=c=], [.c.]), embedded options ((?i) at the start),
// the `***=` and `***:` directors, and the flags ('i' case-insensitive, 'n' newline-sensitive,
// 'p', 'w', 's', 'c', 'x' expanded syntax, 'q' literal). Matching semantics are PostgreSQL's
// where RE2 can express them: a pattern without non-greedy quantifiers finds the leftmost-longest
// match, as PostgreSQL's greedy REs do. What RE2 cannot do is refused by name with
// kFeatureNotSupported (0A000): back-references (\1), lookahead and lookbehind ((?=...)),
// the word-start/end constraints \m \M [[:<:]] [[:>:]], BRE and ERE modes (flags 'b', 'e').
// Case-insensitive matching folds ASCII letters only, as PostgreSQL's in the C locale. The
// difference that remains (docs/sql.md): with non-greedy quantifiers RE2 picks Perl's match where
// PostgreSQL's rules can pick another.
//
// Errors are PostgreSQL's: `invalid regular expression: parentheses () not balanced`
// (kInvalidRegularExpression, 2201B), `invalid regular expression option: "z"`
// (kInvalidParameterValue, 22023).
//
// Thread safety: a Regex is immutable after Compile and may be used from any number of threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace re2 {
class RE2;
}

namespace laminar::sql {

// Compile options from a flags string and the operator (`~*` is case-insensitive).
struct RegexOptions {
  bool icase = false;     // 'i' (and ~*); 'c' clears it
  bool nl_stop = false;   // 'n', 'p': `.` and [^...] do not match a newline
  bool nl_anchor = false; // 'n', 'w': ^ and $ also match at line boundaries
  bool expanded = false;  // 'x': white space and #-comments in the pattern are ignored
  bool quote = false;     // 'q': the whole pattern is a literal string
  bool basic = false;     // 'b' / 'e': BRE / ERE syntax (not supported)
  bool global = false;    // 'g': regexp_replace replaces every match (not a compile option)

  // PostgreSQL's flag letters: g b c e i m n p q s t w x; anything else is InvalidArgument
  // `invalid regular expression option: "z"` (kInvalidParameterValue).
  static Status Parse(std::string_view flags, RegexOptions* out);
};

class Regex {
 public:
  // Translates and compiles `pattern`. Errors: see the file comment.
  static Result<std::shared_ptr<const Regex>> Compile(std::string_view pattern, const RegexOptions& options);
  // Compile through a small per-thread cache, for patterns that change from row to row.
  static Result<std::shared_ptr<const Regex>> Cached(std::string_view pattern, const RegexOptions& options);

  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // True when the pattern matches somewhere in `text`.
  bool Matches(std::string_view text) const;
  // The first match that starts at byte `from` or later; the whole text stays the context of
  // anchors and word boundaries (^ does not match at `from` > 0). groups[0] is the match,
  // groups[i] the i-th parenthesised subexpression (data() == nullptr when it took no part); `n`
  // slots are filled (at most groups() + 1 are meaningful). False when there is no match.
  bool Find(std::string_view text, size_t from, std::string_view* groups, int n) const;
  // The number of capturing groups.
  int groups() const { return groups_; }
  // The RE2 pattern the PostgreSQL one was translated to (for tests).
  const std::string& translated() const { return translated_; }

 private:
  Regex() = default;
  std::unique_ptr<re2::RE2> re_;
  std::string translated_;
  int groups_ = 0;
};

}  // namespace laminar::sql
