// Internal to sql/: what expr.cc (Eval) shares with the files that evaluate the scalar functions
// by family — func_math.cc (arithmetic functions, trigonometry, logarithms, width_bucket),
// func_text.cc (strings, format(), regular expressions), func_time.cc (to_timestamp, date_bin,
// to_char, extract) — and func.cc, which names each function and its family. Not for other
// modules.
//
// A family's Eval*Func gets the function's arguments already evaluated: every function routed to
// it is strict (a NULL argument makes the result NULL, which EvalFunc handles before calling),
// so `args[i]` is never NULL. Runtime errors go to the thread's error slot (expr.h, "Runtime
// errors") through EvalError, which returns the NULL the function then yields.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sql/expr.h"

namespace laminar::sql::internal {

// Records a runtime error in PostgreSQL's words (formatted only when it is the thread's first)
// and returns NULL.
template <typename... Args>
Value EvalError(ErrorCode code, fmt::format_string<Args...> f, Args&&... args) {
  if (!HasEvalError()) RecordEvalError(code, fmt::format(f, std::forward<Args>(args)...));
  return Value::Null();
}

// The families of sql::Func and the function's SQL name ("lower"; "~" and "||" for the operators
// evaluated as functions), func.cc.
enum class FuncFamily { kMath, kText, kTime, kArray };
FuncFamily FamilyOf(Func f);
const char* FuncName(Func f);

// The families. REQUIRES: e.kind == kFunc, e.func of the family, args[0..n) not NULL.
Value EvalMathFunc(const Expr& e, const Value* const* args, size_t n);
Value EvalTextFunc(const Expr& e, const Value* const* args, size_t n);
Value EvalTimeFunc(const Expr& e, const Value* const* args, size_t n);
Value EvalArrayFunc(const Expr& e, const Value* const* args, size_t n);
// The non-strict array functions (ARRAY[...], ANY, ALL), over the row (func_array.cc).
Value EvalArrayFuncNonStrict(const Expr& e, const Value* row);
// expr.cc's pieces the families share: a cast of text to `to` (errors to the thread's slot, NULL
// returned), and whether a comparison result c (<0, 0, >0) satisfies op.
Value CastFromTextValue(const std::string& text, Type to);
bool CompareHoldsOp(CompareOp op, int c);
// The non-strict text functions (concat, concat_ws, format, quote_nullable), over the row.
Value EvalTextFuncNonStrict(const Expr& e, const Value* row);
// extract(field FROM ts) / date_part (ExprKind::kExtract), in UTC (func_time.cc).
Value Extract(DatePart f, int64_t micros);

// The compiled pattern of a regular expression call (Func::kRegex*, kRegexp*, kSubstringRegex)
// whose pattern and flags are constants, for Expr::regex; null when they are not constants or
// do not compile (the error then shows when a row is evaluated, as in PostgreSQL). A pattern
// that uses what Laminar does not support (back-references, lookahead, ...) is refused now:
// Unimplemented (kFeatureNotSupported).
Result<std::shared_ptr<const Regex>> BindRegex(const Expr& e);

// UTF-8, by code points (text is valid UTF-8 throughout Laminar).
inline bool IsCont(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
// The byte offset of the code point after the one at i.
inline size_t NextChar(std::string_view s, size_t i) {
  i++;
  while (i < s.size() && IsCont(s[i])) i++;
  return i;
}
// The byte offset n code points after byte i (or the end).
inline size_t SkipChars(std::string_view s, size_t i, int64_t n) {
  while (n > 0 && i < s.size()) {
    i = NextChar(s, i);
    n--;
  }
  return i;
}
// The number of code points in s[0, end).
inline int64_t CountChars(std::string_view s, size_t end) {
  int64_t n = 0;
  for (size_t i = 0; i < end; i++) n += !IsCont(s[i]);
  return n;
}
inline char FoldAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
inline int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

// ISO 8601: the week (1..53) and week-numbering year of day `days` (since 1970-01-01) of
// astronomical year `y`; the number of ISO weeks in year y.
void IsoWeek(int64_t days, int64_t y, int64_t* week, int64_t* iso_year);
int64_t IsoWeeksInYear(int64_t y);

// The text of a value as PostgreSQL's output function writes it (what concat() and format()
// print): PgText, except booleans are "t"/"f".
void AppendOutputText(const Value& v, Type t, std::string* out);

}  // namespace laminar::sql::internal
