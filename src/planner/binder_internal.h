// The query binder's internals, shared by its files (binder.cc: SELECT blocks, set operations,
// VALUES; bind_from.cc: FROM; bind_expr.cc: expressions in clause context — aggregates, window
// functions, subqueries). Not a public interface: see planner/binder.h.
#pragma once

#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "planner/binder.h"
#include "planner/plan_util.h"
#include "sql/binder.h"

namespace laminar::planner::internal {

namespace ast = sql::ast;
using sql::ExprPtr;

// The columns a FROM clause makes visible.
struct BindScope {
  sql::Scope scope;       // names, types and relation aliases (sql::Scope::Resolve)
  std::vector<int> ids;   // scope column i → column id
  std::vector<int> star;  // what SELECT * lists, in order (scope indexes)
  size_t size() const { return ids.size(); }
  void Add(const std::string& name, Type type, const std::string& relation, int id, bool visible = true,
           bool merged = false, const sql::TextShape& shape = {}) {
    if (visible) star.push_back(static_cast<int>(ids.size()));
    scope.columns.push_back({name, type, relation, merged, shape});
    ids.push_back(id);
  }
  // A copy of another scope's column (its name, type, relation, merged flag and shape).
  void AddCopy(const sql::ScopeColumn& c, int id) { Add(c.name, c.type, c.relation, id, false, c.merged, c.shape); }
};

// GROUP BY state of one SELECT block.
struct AggState {
  std::vector<ExprPtr> keys;          // over the pre-aggregation ids
  std::vector<std::string> key_keys;  // Expr::Key of each
  std::vector<int> key_ids;           // ids of the key output columns
  std::vector<AggregateCall> calls;
  std::vector<std::string> call_keys;
  std::vector<int> call_ids;
  int grouping_id = -1;               // id of the GROUPING() bitmask column, when used
  bool grouping_used = false;
};

// A measure column of a view read in the query (by its column id): re-aggregated by its own
// merge over the view rows' states (function::AggregateKind::kMergeMeasure).
struct ViewMeasure {
  int row_id = -1;   // the id of the view scan's hidden row-reference column
  int measure = -1;  // index into the view's measures
  views::MeasureDef def;
  std::shared_ptr<const function::MeasureStates> states;
  std::string column;  // its name, for messages
};

// A subquery in an expression, joined into the block's plan when the clause's level is built.
// A correlated scalar subquery run per row (LogicalKind::kApply): its query, the block's columns
// it may read (ids, and their names as the subquery sees them) and its answer's type.
struct ApplySpec {
  std::shared_ptr<const ast::SelectStmt> query;
  std::vector<int> params;
  std::vector<sql::ScopeColumn> columns;
  Type result_type = Type::kText;
};

struct PendingJoin {
  // kLeft (scalar: one row or none), kCross (EXISTS), kMark (IN), kMarkExists (correlated EXISTS)
  JoinKind kind = JoinKind::kLeft;
  LogicalPtr right;
  std::vector<ExprPtr> left_keys, right_keys;  // kMark: the IN test
  ExprPtr residual;                            // correlation conditions (decorrelated subqueries)
  int mark_id = -1;                            // kMark/kMarkExists: the id of the boolean output
  bool single_match = false;                   // kLeft: at most one right row per left row (21000)
  std::shared_ptr<ApplySpec> apply;            // set: an Apply (mark_id is its answer's id), not a join
};

// A subquery with its correlated conditions pulled out (bind_decorrelate.cc).
struct Decorrelated {
  LogicalPtr plan;
  std::vector<ExprPtr> conds;  // read the enclosing query's ids and the plan's
  bool coalesce_zero = false;  // the scalar result is a count: NULL (no rows) means 0
  bool single_match = false;   // a scalar subquery: one row per outer row at most
  // A scalar subquery whose selected expression reads the enclosing query: that expression
  // (over the plan's ids and the outer ids), computed after the join; marker_id is NULL when the
  // subquery had no row.
  ExprPtr scalar_expr;
  int marker_id = -1;
};

// Where an expression is being bound.
struct ExprCtx {
  const BindScope* scope = nullptr;
  const char* clause = "";            // "WHERE", "GROUP BY", ... for messages
  AggState* agg = nullptr;            // post-aggregation: column references must be group keys
  bool allow_aggregates = false;      // aggregate calls are collected into *agg
  bool allow_windows = false;         // window calls are collected into *windows
  std::vector<WindowCall>* windows = nullptr;
  std::vector<int>* window_ids = nullptr;
  std::vector<PendingJoin>* joins = nullptr;  // where subqueries go (null: not allowed here)
  // Where set-returning functions of a select list go (null: not allowed here), with their ids.
  std::vector<LogicalOperator::SetCall>* set_calls = nullptr;
  std::vector<int>* set_ids = nullptr;
};

class Binder {
 public:
  Binder(const execution::TableCatalog& catalog, int* next_id, const Binder* parent)
      : catalog_(catalog), next_id_(next_id), parent_(parent),
        measures_(parent ? parent->measures_ : &own_measures_),
        outer_value_columns_(parent ? parent->outer_value_columns_ : nullptr),
        outer_values_(parent ? parent->outer_values_ : nullptr) {}

  // Names that resolve to constants (BindWithValues): the enclosing row of an Apply.
  void SetOuterValues(const std::vector<sql::ScopeColumn>* columns, const std::vector<Value>* values) {
    outer_value_columns_ = columns;
    outer_values_ = values;
  }

  // A whole SELECT statement (WITH, set operations, VALUES, ORDER BY, LIMIT).
  Result<LogicalPtr> BindSelect(const ast::SelectStmt& s);

  // --- bind_from.cc
  Status BindFrom(const std::vector<ast::TableRefPtr>& from, LogicalPtr* plan, BindScope* scope);

  // --- bind_expr.cc
  // Binds `e` in `ctx`; the result reads column ids.
  Result<ExprPtr> Bind(const ast::Expr& e, ExprCtx& ctx, bool predicate = false);

  int NewId() { return (*next_id_)++; }

 private:
  Result<LogicalPtr> BindBlock(const ast::SelectStmt& s);
  Result<LogicalPtr> BindSetOp(const ast::SelectStmt& s);
  Result<LogicalPtr> BindValues(const ast::SelectStmt& s);
  Status BindOutputOrderLimit(const ast::SelectStmt& s, LogicalPtr* plan);

  Status BindTableRef(const ast::TableRef& ref, LogicalPtr* plan, BindScope* scope);
  Status BindBaseRef(const ast::TableRef& ref, LogicalPtr* plan, BindScope* scope);
  Status BindJoin(const ast::TableRef& ref, LogicalPtr* plan, BindScope* scope);
  Status BindTableFunction(const ast::TableRef& ref, LogicalPtr* plan, BindScope* scope);
  Status BindUnnest(const ast::TableRef& ref, LogicalPtr* plan, BindScope* scope);
  Status BindKeywords(const ast::TableRef& ref, LogicalPtr* plan, BindScope* scope);
  // A LATERAL item (IsLateral) after the FROM items bound in *plan / *scope: an Apply that binds
  // `SELECT * FROM item [WHERE on]` per row of *plan, with that row's columns as constants.
  Status BindLateral(const ast::TableRef& ref, const ast::Expr* on, execution::ApplyMode mode, LogicalPtr* plan,
                     BindScope* scope);
  // A table function's constant rows as a VALUES node named by the FROM item (`f(...) AS a(c, ...)`:
  // the alias names the relation and, with one column, that column; column aliases rename the
  // columns in order).
  Status BindFunctionRows(const ast::TableRef& ref, const std::string& func, std::vector<std::string> names,
                          std::vector<Type> types, std::vector<std::vector<Value>> rows, LogicalPtr* plan, BindScope* scope);
  const ast::CommonTableExpr* FindCte(const std::string& name) const;

  // The view measure `e` names when it is a bare column reference to one in `scope`, else null.
  const ViewMeasure* MeasureRef(const ast::Expr& e, const BindScope& scope) const;
  // `fn`(measure) as the measure's merge (fn empty: its natural merge — a bare measure after
  // GROUP BY); `call` (may be null) gives the quantile of approx_percentile and FILTER.
  Result<ExprPtr> BindMeasureMerge(const std::string& fn, const ViewMeasure& m, const ast::Expr* call, ExprCtx& argc,
                                   AggState* into, std::vector<int>* table);
  // `argc`: where the call's arguments are bound; the call is collected into *into.
  Result<ExprPtr> BindAggregateCall(const ast::Expr& call, ExprCtx& argc, AggState* into, std::vector<int>* table);
  Result<ExprPtr> BindWindowCall(const ast::Expr& call, ExprCtx& ctx, std::vector<int>* table);
  Result<ExprPtr> BindSetReturningCall(const ast::Expr& call, ExprCtx& ctx, std::vector<int>* table);
  Result<ExprPtr> BindGrouping(const ast::Expr& call, ExprCtx& ctx, std::vector<int>* table);
  Result<ExprPtr> BindSubqueryExpr(const ast::Expr& e, ExprCtx& ctx, std::vector<int>* table);
  Result<ExprPtr> BindArraySubquery(const ast::Expr& e, ExprCtx& ctx, std::vector<int>* table);
  Result<ExprPtr> BindCorrelated(const ast::Expr& e, LogicalPtr sub, const std::set<int>& outer, ExprCtx& ctx,
                                 std::vector<int>* table);
  Result<LogicalPtr> BindSubqueryPlan(const ast::SelectStmt& s);
  // Pulls the conditions reading `outer` ids out of `sub` (bind_decorrelate.cc).
  Result<Decorrelated> Decorrelate(LogicalPtr sub, const std::set<int>& outer, bool scalar);

  const execution::TableCatalog& catalog_;
  int* next_id_;
  const Binder* parent_;
  // Applies pending subquery joins on top of *plan.
  void ApplyJoins(std::vector<PendingJoin>* joins, LogicalPtr* plan);
  Result<std::vector<std::vector<int>>> BindGroupBy(const ast::SelectStmt& s, const BindScope& scope,
                                                    const std::vector<const ast::Expr*>& target_nodes,
                                                    const std::vector<std::string>& target_names, AggState* agg);
  Result<int> AddGroupKey(const ast::Expr& e, const BindScope& scope, const std::vector<const ast::Expr*>& target_nodes,
                          const std::vector<std::string>& target_names, AggState* agg);

  // The scopes of the enclosing query blocks (a subquery's binder): a column found there is a
  // correlated reference, recorded in correlated_ids_.
  std::vector<const BindScope*> outer_scopes_;
  std::set<int> correlated_ids_;
  // WINDOW name AS (...) of the block being bound.
  const std::vector<std::unique_ptr<ast::WindowDef>>* named_windows_ = nullptr;
  // CTEs of the enclosing WITH clauses, innermost last.
  std::vector<std::map<std::string, const ast::CommonTableExpr*>> ctes_;
  int cte_depth_ = 0;  // guards against a CTE that references itself without RECURSIVE
  // View measure columns by id, shared by the query's binders (the root owns them).
  std::map<int, ViewMeasure> own_measures_;
  std::map<int, ViewMeasure>* measures_;
  const std::vector<sql::ScopeColumn>* outer_value_columns_ = nullptr;
  const std::vector<Value>* outer_values_ = nullptr;
  // A scalar subquery that decorrelation refuses, run per row instead (kApply).
  Result<ExprPtr> BindApply(const ast::Expr& e, ExprCtx& ctx, std::vector<int>* table, const Status& refused);
};

// The output name PostgreSQL gives an unaliased select-list expression ("?column?" when none).
std::string FigureName(const ast::Expr& e);

// True when `e` (not descending into subqueries) holds a call satisfying `pred`.
bool ContainsNode(const ast::Expr& e, const std::function<bool(const ast::Expr&)>& pred);

// `x op ANY|ALL (subquery)` other than IN / NOT IN, anywhere in `e`'s operands, read over the
// subquery's values as an array: `x op ANY|ALL (COALESCE((SELECT array_agg(v) FROM (subquery) AS
// quantified(v)), '{}'))`, which compares with the same three-valued result. A rewritten copy of
// `e`, or null when it has none (bind_desugar.cc).
ast::ExprPtr DesugarQuantified(const ast::Expr& e);
bool IsAggregateCall(const ast::Expr& e);
bool IsWindowCall(const ast::Expr& e);
// unnest, generate_subscripts, generate_series called in an expression (not in FROM).
bool IsSetReturningCall(const ast::Expr& e);

}  // namespace laminar::planner::internal
