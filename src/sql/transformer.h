// The transformer: libpg_query's parse tree (JSON, from sql::Parse) → the typed syntax tree of
// sql/ast.h (and sql/ast_ddl.h for CREATE TABLE), once per statement. Nothing downstream reads
// the JSON.
//
// Coverage: the whole SELECT grammar of PostgreSQL 15 — every A_Expr kind, BoolExpr, NullTest,
// BooleanTest, constants, column references, $n, casts (typed literals and interval fields
// included), function calls with all their decorations (DISTINCT, ORDER BY, WITHIN GROUP, FILTER,
// VARIADIC, named arguments, OVER with frames), subqueries (EXISTS, IN, ANY, ALL, scalar, ARRAY),
// CASE, COALESCE, NULLIF, GREATEST/LEAST, ARRAY[...], ROW(...), CURRENT_DATE and friends,
// GROUPING(), subscripts, slices and field selection, COLLATE; FROM items (tables, subqueries,
// table functions, joins of every kind, LATERAL, WITH ORDINALITY, column definition lists),
// WHERE, GROUP BY (ROLLUP, CUBE, GROUPING SETS, DISTINCT), HAVING, WINDOW, DISTINCT [ON],
// ORDER BY, LIMIT/OFFSET/FETCH ... WITH TIES, VALUES, set operations, WITH [RECURSIVE]
// (MATERIALIZED), FOR UPDATE and SELECT INTO (kept as flags for the binder to refuse).
//
// How the grammar's shapes map to the tree (beyond ast.h's comments):
//  - `x IN (SELECT ...)` is a kSubquery with sublink kIn (op "="); `x = ANY (SELECT ...)` is
//    kAny with op "=". NOT IN (SELECT ...) is a kNot over the kIn, as PostgreSQL has it.
//  - LIKE/ILIKE/SIMILAR TO ... ESCAPE e: args [x, pattern, e], has_escape (libpg_query's
//    like_escape()/similar_to_escape() wrappers are removed).
//  - SQL-syntax functions are the calls PostgreSQL makes of them: EXTRACT(year FROM x) is
//    pg_catalog.extract('year', x), x AT TIME ZONE z is pg_catalog.timezone(z, x), TRIM(BOTH FROM
//    s) pg_catalog.btrim(s), SUBSTRING(s FROM a FOR b) pg_catalog.substring(s, a, b),
//    POSITION(a IN s) pg_catalog.position(s, a), OVERLAY, NORMALIZE, IS NORMALIZED, COLLATION FOR
//    likewise.
//  - `OVER w` gives a WindowDef with refname w and ref_only; `OVER (w ...)` refname w.
//  - `(expr).*` is a kStar over expr; `t.*` and `*` are column references with star.
//  - Subscripts: [i] is an IndirectionStep with lower = i; slices [a:b] set is_slice (either
//    bound may be missing).
//  - A FuncCall's arg_names is empty unless some argument is named.
//  - GROUP BY (a, b) and (a, b) inside ROLLUP/CUBE/GROUPING SETS are GroupingKind::kList.
//  - VALUES in FROM is a kSubquery over a VALUES SelectStmt (TableRefKind::kValues is not used).
//  - CROSS JOIN (an inner join without a condition) is JoinType::kCross; NATURAL joins keep their
//    type with `natural`.
//  - Numbers: an integer that fits in bigint is a bigint constant (libpg_query gives integers
//    beyond int32 as "fval" strings), anything else (decimals, exponents, integers beyond bigint)
//    a double; constant_text keeps the literal. A negative literal (-5) is one constant.
//  - `FROM ONLY t` is `t` (Laminar has no table inheritance). SELECT INTO's table is `into` as SQL
//    (quoted where needed); FOR UPDATE/SHARE/... of any strength is `for_update`.
//  - Locations are libpg_query's: byte offsets into the text given to sql::Parse. A SelectStmt
//    has none (-1).
//
// Errors: valid PostgreSQL that the tree cannot express is Unimplemented naming the construct in
// the user's words ("XMLELEMENT is not supported", "TABLESAMPLE is not supported", "ROWS FROM
// (...) is not supported"); a tree that is not what libpg_query produces is InvalidArgument
// ("malformed parse tree: ..."). Never a crash, whatever the JSON.
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "sql/ast.h"
#include "sql/ast_ddl.h"
#include "sql/ast_session.h"
#include "sql/parser.h"

namespace laminar::sql {

// A SELECT statement: the object under "SelectStmt" (also the bare bodies of set-operation
// operands, "larg"/"rarg").
Result<ast::SelectPtr> TransformSelect(const nlohmann::json& select_stmt);
// A parsed statement of kind SelectStmt (InvalidArgument for any other kind).
Result<ast::SelectPtr> TransformStatement(const Statement& statement);
// EXPLAIN [ANALYZE] [VERBOSE] SELECT ... and EXPLAIN (option [value], ...) SELECT ...: ANALYZE,
// VERBOSE and FORMAT TEXT|JSON are kept; COSTS, SETTINGS, BUFFERS, WAL, TIMING and SUMMARY are
// accepted and ignored. EXPLAIN of anything but a SELECT, and FORMAT XML/YAML, are Unimplemented.
Result<ast::ExplainStmt> TransformExplain(const Statement& statement);
// An expression node, e.g. {"A_Expr": {...}}.
Result<ast::ExprPtr> TransformExpr(const nlohmann::json& node);
// The object of a TypeName node ({"names": [...], "typmods": [...], ...}).
Result<ast::TypeName> TransformTypeName(const nlohmann::json& type_name);
// A RangeVar node (or its object): a relation name as written.
Result<ast::RangeName> TransformRangeVar(const nlohmann::json& range_var);
// A parsed statement of kind CreateStmt (CREATE TABLE; InvalidArgument for any other kind).
Result<ast::CreateTable> TransformCreateTable(const Statement& statement);
// A parsed statement of kind CreateTableAsStmt (CREATE MATERIALIZED VIEW, CREATE TABLE AS).
Result<ast::CreateMatView> TransformCreateMatView(const Statement& statement);
// A parsed statement of kind DropStmt.
Result<ast::DropStmt> TransformDrop(const Statement& statement);
// A parsed statement of kind CopyStmt.
Result<ast::CopyStmt> TransformCopy(const Statement& statement);
// A parsed statement of kind InsertStmt.
Result<ast::InsertStmt> TransformInsert(const Statement& statement);
// Parsed statements of kinds PrepareStmt, ExecuteStmt and DeallocateStmt.
Result<ast::CreateSubscription> TransformCreateSubscription(const Statement& statement);
Result<ast::AlterSubscription> TransformAlterSubscription(const Statement& statement);
Result<ast::DropSubscription> TransformDropSubscription(const Statement& statement);
// CREATE/ALTER ROLE or USER, DROP ROLE or USER, GRANT/REVOKE on relations (transformer_role.cc).
// GRANT role TO role (GrantRoleStmt) is another kind, not made here.
Result<ast::RoleStmt> TransformRoleStmt(const Statement& statement);
Result<ast::DropRoleStmt> TransformDropRole(const Statement& statement);
Result<ast::GrantStmt> TransformGrant(const Statement& statement);
Result<ast::PrepareStmt> TransformPrepare(const Statement& statement);
Result<ast::ExecuteStmt> TransformExecute(const Statement& statement);
Result<ast::DeallocateStmt> TransformDeallocate(const Statement& statement);
// A statement a PostgreSQL session answers itself (sql/ast_session.h: SET, RESET, SHOW,
// BEGIN/COMMIT/ROLLBACK and the rest of TransactionStmt, DISCARD, DECLARE, FETCH/MOVE, CLOSE);
// nullopt for any other kind. `SET name FROM CURRENT` is Unimplemented.
Result<std::optional<ast::SessionStmt>> TransformSessionStmt(const Statement& statement);

}  // namespace laminar::sql
