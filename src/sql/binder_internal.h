// Internal to the binder (binder.cc, binder_funcs.cc, binder_text.cc): what its parts share.
// Not for other modules.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/binder.h"

namespace laminar::sql::binder_internal {

// Binding recurses once per nesting level through the Bind* functions: keeping each one out of
// line keeps its temporaries out of the callers' frames, so the stack used per level stays small.
#define LAMINAR_NOINLINE __attribute__((noinline))

// A bound expression plus whether it is still "unknown" in PostgreSQL's sense: an untyped string
// literal or NULL, which takes its type from the other side of an operator.
struct Bound {
  ExprPtr e;
  bool unknown = false;
  bool numeric = false;   // a decimal constant such as 2.5 (PostgreSQL's numeric): casts to bigint
                          // round half away from zero, where float8 rounds half to even
  bool interval = false;  // an interval constant: e is a bigint literal of microseconds
};

// What every binding step needs: the columns, the hook, and the statement's time.
struct Ctx {
  const Scope& scope;
  const BindHook* hook = nullptr;
  mutable std::optional<int64_t> now;
  int64_t Now() const;
};

// Binds one expression (offering it to the hook first); `allow_interval`: an interval constant
// may be the result (an operand of + or -).
Result<Bound> Bind(const ast::Expr& node, const Ctx& cx, bool allow_interval = false);

inline bool IsNumeric(Type t) { return t == Type::kInt64 || t == Type::kDouble; }
inline bool IsDateTime(Type t) { return t == Type::kTimestamp || t == Type::kDate; }
const char* TypeNameOrUnknown(const Bound& b);
// "bigint, unknown": the argument types of a call, for `function f(...) does not exist`.
std::string SignatureText(const std::vector<Bound>& args);

// Gives an unknown literal (string or NULL) a type.
Result<ExprPtr> ResolveUnknown(const Bound& b, Type t);
// Converts a bound expression to type t, which the caller chose among the implicit conversions
// PostgreSQL has: unknown → anything, bigint → double precision, date → timestamptz.
Result<ExprPtr> Coerce(const Bound& b, Type t);

// The construct an expression stands for, for `unsupported expression: X` and `expected a
// constant, got X` (libpg_query's node names where the old messages had them: "ColumnRef").
std::string DescribeNode(const ast::Expr& node);
// "pg_catalog.lower": a qualified name as written.
std::string JoinNames(const std::vector<std::string>& names);
Status Unsupported(const ast::Expr& node);

// Function calls (binder_funcs.cc): kFunction and kSqlValue nodes.
Result<Bound> BindFuncCall(const ast::Expr& fc, const Ctx& cx);
Result<Bound> BindSqlValueFunction(const ast::Expr& node, const Ctx& cx);

// Arrays (binder_array.cc): x op ANY/ALL (array), ARRAY[...], subscripts, casts to t[] (and
// int2vector / oidvector), and the array functions (nullopt: `name` is none of them).
Result<Bound> BindAnyAll(const ast::Expr& node, const Ctx& cx);
Result<Bound> BindArrayConstructor(const ast::Expr& node, const Ctx& cx);
Result<Bound> BindIndirection(const ast::Expr& node, const Ctx& cx);
Result<Bound> BindArrayCast(const ast::Expr& tc, const Ctx& cx);
std::optional<Result<Bound>> BindArrayFunc(const std::string& name, const ast::Expr& fc, const Ctx& cx);
// An operand written as an array: ARRAY[...], ARRAY(subquery) or a cast to t[]. `a || b` with one
// is array concatenation (BindArrayConcat), else text concatenation.
bool IsArraySyntax(const ast::Expr& e);
Result<Bound> BindArrayConcat(Bound a, Bound b);
// An array element (a subscript's result): text that compares with a typed value as that type,
// as PostgreSQL's typed elements do.
bool IsArrayElement(const Expr& e);

// The session and catalog functions (binder_catalog.cc): nullopt when `name` is none of them.
std::optional<Result<Bound>> BindCatalogFunc(const std::string& name, const ast::Expr& fc, const Ctx& cx);
std::optional<Result<Bound>> BindSessionValue(const ast::Expr& node);
// Casts to regclass, regtype, regproc, regnamespace: a name gives its oid, an oid its name.
bool IsRegTypeName(const std::string& name);
Result<Bound> BindRegCast(const std::string& type, const ast::Expr& tc, const Ctx& cx);

// Literal text (binder_text.cc).
std::string Trim(const std::string& s);
// Parses PostgreSQL interval input without months or years: '1 hour', '90 minutes',
// '1 day 2 hours', '1.5 hours', '01:30:00', '1 day 01:30', '-1 hour', '2 hours ago', '10'
// (seconds, or `bare_unit` when the literal had a field qualifier such as INTERVAL '90' MINUTE).
Result<int64_t> ParseInterval(const std::string& text, int64_t bare_unit, bool qualified);
// An interval constant (INTERVAL '1 hour', '90'::interval minute): a bigint literal of
// microseconds marked Bound::interval. Unimplemented for months, years and other field qualifiers.
Result<Bound> BindIntervalCast(const ast::Expr& cast);
// timestamptz ± interval (either order for +); date ± interval is a timestamptz.
Result<Bound> BindIntervalArith(ArithOp op, const char* op_text, Bound a, Bound b);
// Recognises the shape of a constant LIKE pattern (see LikeShape) and its literal part;
// InvalidArgument when it ends with the escape character.
Status AnalyzeLike(std::string_view p, char escape, bool ilike, LikeShape* shape, std::string* literal);

}  // namespace laminar::sql::binder_internal
