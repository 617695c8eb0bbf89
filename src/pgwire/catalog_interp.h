// Internal to the pg_catalog emulation (pg_catalog.h): the SQL interpreter that evaluates a
// catalog SELECT (libpg_query's JSON parse tree) over the virtual tables of catalog_tables.h.
// Not for use outside src/pgwire/catalog_*.cc and pg_catalog.cc.
//
// What it evaluates (pg_catalog.h lists it for users): FROM with [LEFT] JOIN ... ON / USING, comma
// joins, derived tables (subqueries in FROM, with column aliases), set-returning functions in FROM
// (unnest, generate_series; WITH ORDINALITY); WHERE; GROUP BY / HAVING / aggregates (count, sum,
// min, max, avg, string_agg, array_agg, bool_and, bool_or, every; DISTINCT, FILTER and ORDER BY
// inside them); window functions row_number, rank, dense_rank over (PARTITION BY ... ORDER BY
// ...); SELECT DISTINCT; UNION [ALL]; ORDER BY; LIMIT/OFFSET; expressions: CASE, COALESCE,
// NULLIF, casts, operators, IN, LIKE, regular expressions, ANY/ALL over arrays, array subscripts,
// scalar / EXISTS / IN / ARRAY subqueries (correlated too) and the functions of catalog_functions.cc.
// Everything else is Unimplemented naming the construct — the caller answers SQLSTATE 0A000 —
// never a guessed answer. Errors PostgreSQL reports too are InvalidArgument with its wording.
//
// Thread safety: an Evaluator is used by one thread; it reads the snapshot's relations (copied
// at construction) and the CatalogContext, which must outlive it.
#pragma once

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "pgwire/catalog_tables.h"
#include "pgwire/catalog_values.h"
#include "pgwire/pg_catalog.h"

namespace laminar::pgwire::pgcat {

using json = nlohmann::json;

// One FROM item as the query sees it: its alias and visible columns.
struct RangeEntry {
  std::string alias;
  std::vector<CatalogColumn> cols;
  std::vector<bool> hidden;  // merged into the left side by JOIN ... USING: unqualified names skip it
  bool catalog_table = false;  // a virtual table: an unknown column is Unimplemented, not "does not exist"
};
using JoinedRow = std::vector<const std::vector<Datum>*>;  // one per range entry; nullptr: NULLs
struct FromResult {
  std::vector<RangeEntry> entries;
  std::vector<JoinedRow> rows;
  bool has_using = false;
};
// A result: columns and rows.
struct Relation {
  std::vector<CatalogColumn> cols;
  std::vector<std::vector<Datum>> rows;
};

struct GroupState;
// Window function results by call node: one value per output unit (row or group).
using WindowValues = std::map<const json*, std::vector<Datum>>;

// Where names resolve: the FROM items and current row of this query level, then the outer
// levels (correlated subqueries).
struct Scope {
  const std::vector<RangeEntry>* entries = nullptr;
  const JoinedRow* row = nullptr;
  const Scope* outer = nullptr;
  const GroupState* group = nullptr;      // set while evaluating a group's outputs
  const WindowValues* windows = nullptr;  // set while evaluating the outputs
  size_t unit = 0;                        // the output unit's index into *windows
};

// A group of a grouped query: its key expressions and values, and its input rows.
struct GroupState {
  std::vector<const json*> key_exprs;
  std::vector<Datum> key_values;
  std::vector<const JoinedRow*> rows;
};

constexpr size_t kMaxRows = 1'000'000;        // rows of one FROM item, join, group set or result
constexpr size_t kMaxJoinPairs = 20'000'000;  // row pairs one join may look at

class Evaluator {
 public:
  Evaluator(const catalog::Snapshot& snap, const CatalogContext& ctx);

  // A SelectStmt's body, with `outer` the enclosing query's scope (nullptr at the top).
  Result<Relation> Select(const json& s, const Scope* outer);

  // set_config(name, value, false) calls made so far, in order.
  std::vector<std::pair<std::string, std::string>> changed;

 private:
  // catalog_interp.cc: queries.
  Result<Relation> SetOperation(const json& s, const std::string& op, const Scope* outer);
  Status Limit(const json& s, std::vector<std::vector<Datum>>* rows);
  Result<FromResult> From(const json& item, const Scope* outer);
  Result<FromResult> FromTable(const json& rv);
  Result<FromResult> FromSubquery(const json& b, const Scope* outer);
  Result<FromResult> FromFunction(const json& b, const Scope* outer);
  Result<FromResult> Join(const json& b, const Scope* outer);
  Result<const VTable*> Table(const json& rv);
  Result<WindowValues> Windows(const std::vector<const json*>& calls, const std::vector<Scope>& units);
  Result<Datum> Aggregate(const json& call, const std::string& name, const Scope& scope);
  // A table of the evaluator's lifetime (derived tables, function results).
  const VTable* Keep(std::unique_ptr<VTable> t);

  // catalog_expr.cc: expressions.
 public:
  Result<Datum> Eval(const json& node, const Scope& scope);
  Result<Datum> Cast(const Datum& d, uint32_t target);

 private:
  Result<Datum> EvalResult(const json& node, const Scope& scope);
  Result<Datum> EvalAExpr(const json& b, const Scope& scope);
  Result<Datum> EvalSubLink(const json& b, const Scope& scope);
  Result<Datum> EvalIndirection(const json& b, const Scope& scope);
  Result<Datum> Column(const json& fields, const Scope& scope);
  Result<int> Compare(const Datum& a, const Datum& b);
  Result<Datum> BinaryOp(const std::string& op, const Datum& a, const Datum& b);
  Result<const std::regex*> Regex(const std::string& pattern, bool icase);
  uint32_t StaticType(const json& node, const std::vector<RangeEntry>& entries) const;
  static Result<uint32_t> CastTarget(const json& type_name);
  static Result<bool> Truth(const Datum& d, const char* where);
  const RelInfo* RelByOid(int64_t oid) const;
  std::string RelDisplay(int64_t oid) const;  // regclass output: name, or the oid when unknown

  // catalog_functions.cc: scalar functions.
  Result<Datum> Call(const json& b, const Scope& scope);
  std::string SettingName(const std::string& name);
  std::optional<Result<Datum>> CallMore(const std::string& f, const std::vector<Datum>& args);

  std::vector<RelInfo> rels_;
  const CatalogContext& ctx_;
  std::map<std::string, std::pair<std::string, std::string>> settings_;
  std::map<std::string, std::unique_ptr<VTable>> tables_;  // by schema.name
  std::vector<std::unique_ptr<VTable>> temp_tables_;
  std::map<std::string, std::regex> regexes_;
};

// ---- Parse-tree helpers (catalog_interp.cc) ----

std::vector<std::string> Names(const json& list);
// The node's kind (its only key) and body.
std::pair<std::string, const json*> KindOf(const json& node);
std::string Str(const json& b, const char* key);
// Figures a result column's name as PostgreSQL does (FigureColname), for unnamed targets.
std::string FigureName(const json& node);
// True when `name` (with its qualification) is an aggregate function the interpreter knows.
bool IsAggregateCall(const json& func_call);
// Equality of two parse trees ignoring token locations (GROUP BY expressions).
bool SameExpr(const json& a, const json& b);
// Orders without failing: numbers as numbers, booleans false < true, the rest by text.
int SortCompare(const Datum& a, const Datum& b);
Status TooMany();

}  // namespace laminar::pgwire::pgcat
