// Scalar expressions: the bound, typed form of SQL WHERE clauses, view dimensions, query group
// keys and select-list expressions. Built by the binder (sql/binder.h) from the syntax tree
// (sql/ast.h); evaluated row by row over a row of Values whose positions the binder resolved.
//
// Semantics follow PostgreSQL: three-valued logic (a comparison with NULL is NULL; AND/OR use
// Kleene logic), numeric comparisons across bigint/double, text compared bytewise (C collation),
// date_trunc and extract in UTC. The deviations are listed in docs/sql.md ("Expressions").
//
// Runtime errors. Eval returns a Value and never fails: it runs once per row. A problem that
// only shows on some rows (text that does not parse in a cast, bigint overflow, a negative
// substring length, the square root of a negative number, ...) makes that expression NULL and
// records the FIRST such error of the thread in a thread_local slot, in PostgreSQL's words
// (`invalid input syntax for type bigint: "abc"`, `bigint out of range`). A caller that wants
// PostgreSQL's behaviour (the statement fails) checks HasEvalError() after evaluating (a
// thread_local bool: cheap enough per row or per batch) and reports TakeEvalError(). Call
// TakeEvalError() (or ClearEvalError()) before a run of evaluations whose errors matter, since
// the slot keeps the first error until it is taken. Division (and modulo) by zero is not an
// error: it yields NULL (a documented deviation: PostgreSQL raises `division by zero`).
//
// Thread safety: an Expr is immutable after binding and shared (ExprPtr) freely across threads;
// Eval is thread-safe (the error slot is per thread).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time_util.h"
#include "common/types.h"

namespace laminar::sql {

enum class ExprKind {
  kColumn,     // row[column]
  kLiteral,    // literal
  kCompare,    // children[0] op children[1]
  kAnd,        // all children (≥ 2)
  kOr,         // any child (≥ 2)
  kNot,        // NOT children[0]
  kIn,         // children[0] [NOT] IN (children[1..])
  kBetween,    // children[0] [NOT] BETWEEN children[1] AND children[2]
  kIsNull,     // children[0] IS [NOT] NULL
  kDateTrunc,  // date_trunc(unit, children[0])
  kArith,      // children[0] arith_op children[1]  (+ - * / %) over bigint/double; with
               // type timestamptz: children[0] (timestamptz) ± children[1] (an interval, as
               // bigint microseconds; + and - only); with type date: children[0] (date) ±
               // children[1] (bigint days); date - date has type bigint
  kNegate,     // -children[0]
  kCase,       // CASE [children[0] if has_operand] WHEN c THEN r ... ELSE children.back() END:
               // children = [operand], when_1, then_1, ..., when_n, then_n, else (always present:
               // a NULL literal when the SQL has no ELSE). Searched CASE: each when is boolean;
               // simple CASE: each when is compared with the operand (=).
  kCoalesce,   // COALESCE(children...): the first non-NULL
  kNullIf,     // NULLIF(children[0], children[1])
  kMinMax,     // GREATEST(children...) or LEAST (least == true); NULLs are ignored
  kCast,       // CAST(children[0] AS type) (the source type is children[0]->type)
  kFunc,       // func(children...): a scalar function, see Func
  kLike,       // children[0] [NOT] LIKE/ILIKE children[1] [ESCAPE escape]
  kExtract,    // extract(field FROM children[0]) (also date_part('field', ...)), double precision
  kDistinct,   // children[0] IS [NOT] DISTINCT FROM children[1] (negated: IS NOT DISTINCT FROM):
               // NULL is a value here, equal only to NULL; never NULL itself
  kBoolTest,   // children[0] (boolean) IS [NOT] TRUE / FALSE / UNKNOWN (bool_test, negated);
               // never NULL
};

// The tests of kBoolTest.
enum class BoolTest { kTrue, kFalse, kUnknown };

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };
enum class ArithOp { kAdd, kSub, kMul, kDiv, kMod };

// Scalar functions of ExprKind::kFunc. Argument and result types are fixed at bind time.
enum class Func {
  kLower,        // lower(text): ASCII letters only (the C locale)
  kUpper,        // upper(text): ASCII letters only
  kLength,       // length/char_length/character_length(text) → bigint, in UTF-8 code points
  kSubstr,       // substr/substring(text, from bigint [, count bigint]), in characters
  kConcat,       // concat(any...) → text; NULL arguments are skipped
  kConcatOp,     // text || text (non-text operands are cast to text by the binder); NULL → NULL
  kBtrim,        // btrim/trim(text [, characters text])
  kLtrim,        // ltrim(text [, characters text])
  kRtrim,        // rtrim(text [, characters text])
  kReplace,      // replace(text, from text, to text)
  kStrpos,       // strpos(text, sub text) / position(sub IN text) → bigint (1-based chars, 0: none)
  kAbs,          // abs(x): bigint or double
  kRound,        // round(x) (bigint stays bigint), round(x, n bigint) → double; half away from 0
  kTrunc,        // trunc(x) (bigint stays bigint), trunc(x, n bigint) → double
  kFloor,        // floor(x) (bigint stays bigint)
  kCeil,         // ceil/ceiling(x) (bigint stays bigint)
  kMod,          // mod(a, b): bigint if both are, else double
  kSqrt,         // sqrt(double)
  kPower,        // power/pow(double, double)
  kLn,           // ln(double)
  kLog10,        // log(double) / log10(double): base 10
  kExp,          // exp(double)
  kSign,         // sign(double) → double (-1, 0, 1)
  kToTimestamp,  // to_timestamp(double seconds since the epoch) → timestamptz
  // Trigonometry and more mathematics (func_math.cc), double precision in and out.
  kSin, kCos, kTan, kCot, kAsin, kAcos, kAtan,
  kAtan2,        // atan2(y, x)
  kSinh, kCosh, kTanh, kAsinh, kAcosh, kAtanh,
  kRadians, kDegrees, kCbrt,
  kLogBase,      // log(b, x): the logarithm of x to base b (PostgreSQL: numeric)
  kWidthBucket,  // width_bucket(x, lo, hi, count bigint) → bigint
  kGcd, kLcm,    // gcd(a, b), lcm(a, b) over bigint
  // Text (func_text.cc). Lengths and positions count characters (UTF-8 code points).
  kLeft,         // left(text, n bigint): the first n characters; n < 0: all but the last |n|
  kRight,        // right(text, n bigint): the last n characters; n < 0: all but the first |n|
  kSplitPart,    // split_part(text, delimiter text, field bigint); field < 0 counts from the end
  kLpad,         // lpad(text, length bigint [, fill text]) (fill ' '); truncates to length
  kRpad,         // rpad(text, length bigint [, fill text])
  kInitcap,      // initcap(text): ASCII words (runs of letters and digits) capitalised
  kReverse,      // reverse(text), by characters
  kRepeat,       // repeat(text, n bigint)
  kStartsWith,   // starts_with(text, prefix text) → boolean
  kMd5,          // md5(text) → text, 32 hex digits
  kFormat,       // format(fmt text, any...) → text: %s %I %L %%, positions (%2$s), widths
  kQuoteIdent,   // quote_ident(text)
  kQuoteLiteral, // quote_literal(text)
  kQuoteNullable,// quote_nullable(text): 'NULL' for NULL
  kConcatWs,     // concat_ws(separator text, any...): NULL arguments skipped
  kTranslate,    // translate(text, from text, to text)
  kAscii,        // ascii(text) → bigint: the first character's code point
  kChr,          // chr(bigint) → text
  kToHex,        // to_hex(bigint) → text
  kOctetLength,  // octet_length(text) → bigint
  // Regular expressions (PostgreSQL's syntax, evaluated by sql/regex.h). children[1] is the
  // pattern; when it is a constant, Expr::regex holds it compiled.
  kRegexMatch,      // text ~ pattern → boolean
  kRegexNotMatch,   // text !~ pattern
  kRegexIMatch,     // text ~* pattern (case-insensitive)
  kRegexNotIMatch,  // text !~* pattern
  kRegexpReplace,   // regexp_replace(text, pattern, replacement [, start, [n]] [, flags])
  kRegexpLike,      // regexp_like(text, pattern [, flags]) → boolean
  kRegexpCount,     // regexp_count(text, pattern [, start [, flags]]) → bigint
  kRegexpSubstr,    // regexp_substr(text, pattern [, start [, n [, flags [, subexpr]]]])
  kSubstringRegex,  // substring(text FROM pattern): the first group's match, or the whole match
  // Time (func_time.cc, to_char.cc).
  kDateBin,      // date_bin(stride, ts, origin): stride is a bigint of microseconds (an interval)
  kToChar,       // to_char(timestamptz | bigint | double precision, format text) → text
  kAtTimeZone,   // children[0] AT TIME ZONE children[1] (an IANA zone name, constant): an instant
                 // → the wall-clock time in the zone; a wall-clock time (children[0]'s
                 // shape.local_time) → the instant it is in the zone (of two, the later, as
                 // PostgreSQL: a repeated time is standard time, a skipped one is read with the
                 // offset before the change)
  // Arrays (func_array.cc). Laminar has no array type: an array is text in PostgreSQL's form
  // ({a,"b c",NULL}, sql/array.h), which these read and write; elements are text.
  kArrayConstruct,  // ARRAY[children...] → text: each element's text, NULL elements kept (not strict)
  kArrayIn,         // CAST(text AS t[]): checks the form (and each element as elem_type) and normalises it
  kArraySubscript,  // children[0][children[1]]: the element (text); NULL out of range; subscripts from 1
  kArrayUpper,      // array_upper(a, dim) → bigint: NULL when empty or dim <> 1
  kArrayLower,      // array_lower(a, dim) → bigint
  kArrayLength,     // array_length(a, dim) → bigint
  kCardinality,     // cardinality(a) → bigint
  kArrayToString,   // array_to_string(a, sep [, null_text]): NULL elements skipped unless null_text
  kStringToArray,   // string_to_array(text, sep [, null_text]) → array
  kArrayAny,        // children[0] op ANY (children[1]) (op: Expr::op); each element read as children[0]'s
                    // type; not strict (three-valued, as PostgreSQL)
  kArrayAll,        // children[0] op ALL (children[1])
  kArrayCat,        // array || array: the elements of both; a NULL operand counts as empty (NULL when
                    // both are); not strict
  kRecordField,     // (children[0]).f: field Expr::field_index of a record (text; NULL when empty)
  kJsonBuildObject, // json_build_object(k1, v1, ...) → text (JSON, PostgreSQL's spacing); not strict
};

// Fields of extract(field FROM ts) / date_part('field', ts), in UTC.
enum class DatePart {
  kYear, kQuarter, kMonth, kWeek, kDay, kDow, kIsoDow, kDoy, kHour, kMinute, kSecond,
  kMilliseconds, kMicroseconds, kEpoch, kIsoYear, kDecade, kCentury, kMillennium, kTimezone,
  kTimezoneHour, kTimezoneMinute,
};

// Shapes of a constant LIKE pattern, recognised at bind time (kLike::like_shape).
enum class LikeShape {
  kGeneral,   // matched by the general matcher against children[1]
  kExact,     // no wildcards: equality with like_text
  kPrefix,    // 'abc%'
  kSuffix,    // '%abc'
  kContains,  // '%abc%'
  kAny,       // '%' (or '%%...'): true for any non-NULL text
};

// A field of a record. A record is held as text in PostgreSQL's form `(a,b)` (sql/record.h).
struct RecordField {
  std::string name;
  Type type;
};

// What a text value holds beyond text, when known: an array's element type, or a record's
// fields. Expressions, scope columns and plan columns carry it, so that an element read from an
// array (a subscript, unnest) or a field of a record ((r).f) comes back typed.
struct TextShape {
  Type elem_type = Type::kText;  // an array: its elements' type (kText: text, or not an array)
  std::shared_ptr<const std::vector<RecordField>> fields;  // a record: its fields; null otherwise
  // A timestamp that is a wall-clock time (PostgreSQL's timestamp without time zone: a cast to
  // `timestamp`, the result of tstz AT TIME ZONE), held as the instant whose UTC clock reads it.
  // AT TIME ZONE reads such a value as a time in the zone; any other as an instant.
  bool local_time = false;
};

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;
class Regex;  // sql/regex.h

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  Type type = Type::kBool;    // result type
  int column = -1;            // kColumn
  std::string column_name;    // kColumn, for messages and ToString
  Value literal;              // kLiteral
  CompareOp op = CompareOp::kEq;
  ArithOp arith = ArithOp::kAdd;
  TimeUnit unit = TimeUnit::kHour;  // kDateTrunc
  bool negated = false;       // kIn: NOT IN; kBetween: NOT BETWEEN; kIsNull: IS NOT NULL;
                              // kLike: NOT LIKE / NOT ILIKE; kDistinct: IS NOT DISTINCT FROM;
                              // kBoolTest: IS NOT TRUE / FALSE / UNKNOWN
  bool has_operand = false;   // kCase: simple CASE (children[0] is the operand)
  bool least = false;         // kMinMax: LEAST (else GREATEST)
  bool ilike = false;         // kLike: ILIKE (ASCII case-insensitive)
  char escape = '\\';         // kLike: escape character ('\0': none, ESCAPE '')
  LikeShape like_shape = LikeShape::kGeneral;  // kLike with a constant pattern
  std::string like_text;      // kLike, shapes other than kGeneral/kAny: the literal part
  Func func = Func::kLower;   // kFunc
  DatePart field = DatePart::kYear;  // kExtract
  BoolTest bool_test = BoolTest::kTrue;  // kBoolTest (negated: IS NOT ...)
  // Array and record values (text): see TextShape. For kFunc kArrayIn, shape.elem_type is the
  // type each element must read as; for kFunc kRecordField, field_index is the field read.
  TextShape shape;
  int field_index = 0;
  // The regular expression functions of Func with a constant pattern (and flags): the pattern,
  // compiled once when bound. Derived from the children (not part of Key()); null when the
  // pattern is not constant or did not compile (then each evaluation compiles, and reports the
  // error as PostgreSQL does: only when a row is evaluated).
  std::shared_ptr<const Regex> regex;
  std::vector<ExprPtr> children;

  // SQL text of the expression, canonical (two expressions with the same text compute the same
  // thing; the planner matches GROUP BY items against select-list expressions by it), e.g.
  // "date_trunc('hour', ts)", "(country = 'US')", "CASE WHEN (x > 1) THEN 'a' ELSE 'b' END",
  // "lower(url)", "CAST(x AS bigint)", "extract(hour FROM ts)", "(ts - interval '01:30:00')".
  // Display only: ToString drops what a reader does not need (a column's table qualifier, a
  // literal's type: `2` and `2.0` print alike), so it must never decide that two expressions are
  // the same. Use Key() for that.
  std::string ToString() const;

  // Structural identity: two expressions with equal keys compute the same value over the same
  // row. The key holds every bound detail — each node's kind and result type, a column's bound
  // position (so `a.x` and `b.x` of a self-join differ), a literal's type and exact value (bits of
  // a double), operators, functions and flags. Planners match GROUP BY keys, DISTINCT keys,
  // aggregates and ORDER BY items against select-list expressions with it.
  std::string Key() const;
};

// Constructors used by the binder and by tests.
ExprPtr MakeColumn(int index, std::string name, Type type);
ExprPtr MakeLiteral(Value v, Type type);
ExprPtr MakeCompare(CompareOp op, ExprPtr a, ExprPtr b);
ExprPtr MakeDateTrunc(TimeUnit unit, ExprPtr arg);
// CAST(arg AS to). REQUIRES: the cast is one CastAllowed accepts.
ExprPtr MakeCast(ExprPtr arg, Type to);
// `e` with `shape`: e itself when it has that shape already, else a copy that has it.
ExprPtr WithShape(ExprPtr e, const TextShape& shape);

// Evaluates over `row` (indexed by Expr::column). Never fails: see "Runtime errors" above.
Value Eval(const Expr& e, const Value* row);
// WHERE semantics: true only when the value is true (NULL and false are both "no").
bool EvalPredicate(const Expr& e, const Value* row);

namespace internal {
inline constinit thread_local bool eval_error = false;
}  // namespace internal

// True when an Eval on this thread recorded a runtime error not yet taken.
inline bool HasEvalError() { return internal::eval_error; }
// The first runtime error recorded on this thread since the last Take/Clear, as InvalidArgument
// with PostgreSQL's message (e.g. `invalid input syntax for type bigint: "abc"`) and its
// ErrorCode (kInvalidTextRepresentation); OK when none. Clears the slot.
Status TakeEvalError();
// Records a runtime error found outside Eval (e.g. an aggregate's result out of range), unless
// one is already recorded.
void RecordEvalError(ErrorCode code, std::string message);
inline void ClearEvalError() {
  if (internal::eval_error) TakeEvalError().IgnoreError();
}

// True when the expression reads no column (only literals and functions of them).
bool IsConstant(const Expr& e);

// Whether PostgreSQL has a cast (explicit or implicit) between the two types; the binder refuses
// the others: `cannot cast type timestamp with time zone to bigint`.
bool CastAllowed(Type from, Type to);

// PostgreSQL's text output of a value of type `t`, as psql shows it with DateStyle ISO and
// TimeZone UTC (what CAST(x AS text) gives): doubles in shortest round-trip form ("0.1",
// "1e+20", "NaN", "Infinity"), timestamps as "2024-01-02 03:04:05.123+00", booleans as
// "true"/"false". NULL gives "".
std::string PgText(const Value& v, Type t);
// PostgreSQL's float8 output (shortest round-trip; exponent form below 1e-4 and from 1e15).
std::string FormatFloat8(double d);
// PostgreSQL's timestamptz output in UTC: "2024-01-02 03:04:05+00", ".123456" fraction trimmed
// of trailing zeros, " BC" for years before 1.
std::string FormatTimestamptz(int64_t micros);
// PostgreSQL's interval output for a number of microseconds: "01:30:00", "1 day 02:00:00",
// "-3 days", "00:00:00.5".
std::string FormatInterval(int64_t micros);

// SQL LIKE: `%` matches any sequence, `_` one character (UTF-8 code point), `escape` ('\0' for
// none) makes the next pattern character literal; `fold_case`: ASCII case-insensitive (ILIKE).
// Returns false with *bad_escape set when the pattern ends with the escape character.
bool LikeMatch(std::string_view text, std::string_view pattern, char escape, bool fold_case,
               bool* bad_escape);

// Calls fn(column_index) for every column the expression reads.
template <typename Fn>
void VisitColumns(const Expr& e, Fn&& fn) {
  if (e.kind == ExprKind::kColumn) fn(e.column);
  for (const auto& c : e.children) VisitColumns(*c, fn);
}

}  // namespace laminar::sql
