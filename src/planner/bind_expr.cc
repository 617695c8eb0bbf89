// Expressions in clause context: aggregates, window functions, GROUPING, subqueries and the
// group-key rule of aggregate queries (planner/binder.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "planner/binder_internal.h"
#include "sql/expr.h"

namespace laminar::planner::internal {

namespace {

bool IsConstantNode(const ast::Expr& e) {
  return e.kind == ast::ExprKind::kConstant ||
         (e.kind == ast::ExprKind::kCast && !e.args.empty() && e.args[0]->kind == ast::ExprKind::kConstant);
}

// (qualifier, name) of a column reference.
std::pair<std::string, std::string> RefParts(const ast::Expr& e) {
  if (e.names.size() >= 2) return {e.names[e.names.size() - 2], e.names.back()};
  return {"", e.names.empty() ? "" : e.names.back()};
}

ExprPtr Arith(sql::ArithOp op, ExprPtr a, ExprPtr b) {
  auto n = std::make_shared<sql::Expr>();
  n->kind = sql::ExprKind::kArith;
  n->arith = op;
  n->type = Type::kInt64;
  n->children = {std::move(a), std::move(b)};
  return n;
}

ExprPtr IntLit(int64_t v) { return sql::MakeLiteral(Value::Int(v), Type::kInt64); }

// The quantiles of percentile_cont/disc and approx_percentile: q or ARRAY[q, ...].
Status QuantilesOf(const ast::Expr& arg, const std::string& fn, function::AggregateSpec* spec) {
  ASSIGN_OR_RETURN(spec->quantiles, sql::BindQuantiles(arg, fn, &spec->quantile_array));
  return Status::OK();
}

}  // namespace

bool ContainsNode(const ast::Expr& e, const std::function<bool(const ast::Expr&)>& pred) {
  if (pred(e)) return true;
  for (const auto& a : e.args)
    if (a && ContainsNode(*a, pred)) return true;
  if (e.agg_filter && ContainsNode(*e.agg_filter, pred)) return true;
  for (const auto& o : e.agg_order)
    if (o.expr && ContainsNode(*o.expr, pred)) return true;
  if (e.over) {
    for (const auto& p : e.over->partition_by)
      if (ContainsNode(*p, pred)) return true;
    for (const auto& o : e.over->order_by)
      if (ContainsNode(*o.expr, pred)) return true;
  }
  for (const auto& s : e.indirection) {
    if (s.lower && ContainsNode(*s.lower, pred)) return true;
    if (s.upper && ContainsNode(*s.upper, pred)) return true;
  }
  return false;
}

bool IsAggregateCall(const ast::Expr& e) {
  return e.kind == ast::ExprKind::kFunction && !e.over && sql::IsAggregateName(e.FunctionName());
}

bool IsWindowCall(const ast::Expr& e) { return e.kind == ast::ExprKind::kFunction && e.over != nullptr; }

bool IsSetReturningCall(const ast::Expr& e) {
  if (e.kind != ast::ExprKind::kFunction || e.over) return false;
  const std::string& n = e.FunctionName();
  return n == "unnest" || n == "generate_subscripts" || n == "generate_series" ||
         (n == "_pg_expandarray" && e.func_name.size() == 2 && e.func_name[0] == "information_schema");
}

// unnest(array), generate_subscripts(array, dim), generate_series(start, stop [, step]) and
// information_schema._pg_expandarray(array) in a select list: a column of the ProjectSet below the
// projection (execution/project_set.h). An element of an array whose element type is known reads
// as that type; _pg_expandarray's record has the fields x (the element) and n (its subscript).
Result<ExprPtr> Binder::BindSetReturningCall(const ast::Expr& call, ExprCtx& ctx, std::vector<int>* table) {
  std::string name = call.FunctionName();
  if (!ctx.set_calls)
    return Unimplemented(ErrorCode::kFeatureNotSupported, "set-returning function {}() is not supported in {}", name, ctx.clause);
  ExprCtx argc;
  argc.scope = ctx.scope;
  argc.clause = "the argument of a set-returning function";
  LogicalOperator::SetCall sc;
  std::vector<Type> want;
  if (name == "unnest") {
    sc.func = execution::SetFunction::kUnnest;
    want = {Type::kText};
  } else if (name == "_pg_expandarray") {
    sc.func = execution::SetFunction::kExpandArray;
    want = {Type::kText};
  } else if (name == "generate_subscripts") {
    sc.func = execution::SetFunction::kGenerateSubscripts;
    want = {Type::kText, Type::kInt64};
  } else {
    sc.func = execution::SetFunction::kGenerateSeries;
    want = {Type::kInt64, Type::kInt64, Type::kInt64};
    if (call.args.size() == 2) want.pop_back();
  }
  if (call.args.size() != want.size())
    return InvalidArgument(ErrorCode::kUndefinedFunction, "function {} with {} arguments does not exist", name, call.args.size());
  for (size_t i = 0; i < want.size(); i++) {
    ASSIGN_OR_RETURN(ExprPtr a, Bind(*call.args[i], argc));
    if (a->type != want[i]) {
      if (name == "generate_series")
        return Unimplemented(ErrorCode::kFeatureNotSupported, "generate_series over {} in a select list is not supported (bigint only; in FROM, timestamps too)",
                             TypeName(a->type));
      return InvalidArgument(ErrorCode::kUndefinedFunction, "function {} does not exist for an argument of type {}", name, TypeName(a->type));
    }
    sc.args.push_back(a);
  }
  Type elem = sc.args[0]->shape.elem_type;
  execution::SetFunction func = sc.func;
  int id = NewId();
  ctx.set_calls->push_back(std::move(sc));
  ctx.set_ids->push_back(id);
  table->push_back(id);
  ExprPtr col = sql::MakeColumn(static_cast<int>(table->size() - 1), name, execution::SetFunctionType(func));
  if (func == execution::SetFunction::kUnnest && elem != Type::kText) return sql::MakeCast(col, elem);
  if (func == execution::SetFunction::kExpandArray) {
    sql::TextShape record;
    record.fields = std::make_shared<const std::vector<sql::RecordField>>(
        std::vector<sql::RecordField>{{"x", elem}, {"n", Type::kInt64}});
    return sql::WithShape(col, record);
  }
  return col;
}

std::string FigureName(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::kColumnRef: return e.star || e.names.empty() ? "?column?" : e.names.back();
    case ast::ExprKind::kFunction: return e.FunctionName();
    case ast::ExprKind::kCast: {
      std::string inner = e.args.empty() ? "?column?" : FigureName(*e.args[0]);
      if (inner != "?column?") return inner;
      return e.type ? e.type->name() : inner;
    }
    case ast::ExprKind::kCase: return "case";
    case ast::ExprKind::kCoalesce: return "coalesce";
    case ast::ExprKind::kGreatest: return "greatest";
    case ast::ExprKind::kLeast: return "least";
    case ast::ExprKind::kNullIf: return "nullif";
    case ast::ExprKind::kSqlValue: return e.sql_value;
    case ast::ExprKind::kGrouping: return "grouping";
    case ast::ExprKind::kRow: return "row";
    case ast::ExprKind::kArray: return "array";
    case ast::ExprKind::kSubquery:
      if (e.sublink == ast::SublinkKind::kExists) return "exists";
      if (e.sublink == ast::SublinkKind::kArray) return "array";
      if (e.sublink == ast::SublinkKind::kScalar && e.subquery && e.subquery->op == ast::SetOpKind::kNone &&
          e.subquery->values_lists.empty() && !e.subquery->targets.empty()) {
        const auto& t = e.subquery->targets[0];
        return t.alias.empty() ? FigureName(*t.expr) : t.alias;
      }
      return "?column?";
    default: return "?column?";
  }
}

Result<ExprPtr> Binder::Bind(const ast::Expr& original, ExprCtx& ctx, bool predicate) {
  // Quantified comparisons with a subquery other than IN / NOT IN are read over the subquery's
  // values as an array (QuantifiedOverArray).
  ast::ExprPtr desugared = DesugarQuantified(original);
  const ast::Expr& e = desugared ? *desugared : original;
  std::vector<int> table = ctx.scope->ids;
  sql::BindHook hook = [&](const ast::Expr& n) -> Result<ExprPtr> {
    if (n.kind == ast::ExprKind::kSubquery) {
      if (!ctx.joins) return Unimplemented(ErrorCode::kFeatureNotSupported, "subqueries are not supported in {}", ctx.clause);
      return BindSubqueryExpr(n, ctx, &table);
    }
    if (IsSetReturningCall(n)) return BindSetReturningCall(n, ctx, &table);
    if (IsWindowCall(n)) {
      if (!ctx.allow_windows) return InvalidArgument(ErrorCode::kWindowingError, "window functions are not allowed in {}", ctx.clause);
      return BindWindowCall(n, ctx, &table);
    }
    if (IsAggregateCall(n)) {
      if (!ctx.allow_aggregates) {
        if (std::string_view(ctx.clause) == "an aggregate") return InvalidArgument(ErrorCode::kGroupingError, "aggregate function calls cannot be nested");
        return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in {}", ctx.clause);
      }
      ExprCtx argc;
      argc.scope = ctx.scope;
      argc.clause = "an aggregate";
      return BindAggregateCall(n, argc, ctx.agg, &table);
    }
    if (n.kind == ast::ExprKind::kGrouping) {
      if (!ctx.agg) return InvalidArgument(ErrorCode::kGroupingError, "GROUPING must be used in a query with GROUP BY");
      return BindGrouping(n, ctx, &table);
    }
    if (n.kind == ast::ExprKind::kColumnRef && !n.star) {
      auto [q, name] = RefParts(n);
      auto r = ctx.scope->scope.Resolve(q, name);
      if (!r.ok() && outer_value_columns_) {
        // A column of the row an Apply runs this query for: its value, a constant.
        sql::Scope values;
        values.columns = *outer_value_columns_;
        auto found = values.Resolve(q, name);
        if (found.ok()) {
          const sql::ScopeColumn& col = (*outer_value_columns_)[*found];
          return sql::WithShape(sql::MakeLiteral((*outer_values_)[*found], col.type), col.shape);
        }
      }
      if (!r.ok()) {
        // A column of an enclosing query: a correlated reference (ids are query-wide, so the
        // subquery's plan reads the outer column by its id; BindSubqueryExpr decorrelates).
        for (size_t o = outer_scopes_.size(); o-- > 0;) {
          const BindScope* outer = outer_scopes_[o];
          auto found = outer->scope.Resolve(q, name);
          if (!found.ok()) continue;
          if (o + 1 != outer_scopes_.size())
            return Unimplemented(ErrorCode::kFeatureNotSupported, "a subquery reading a column of a query two or more levels out (\"{}\") is not "
                                 "supported", q.empty() ? name : q + "." + name);
          int id = outer->ids[*found];
          correlated_ids_.insert(id);
          table.push_back(id);
          return sql::MakeColumn(static_cast<int>(table.size() - 1), name, outer->scope.columns[*found].type);
        }
        return r.status();
      }
    }
    if (ctx.agg && n.kind == ast::ExprKind::kColumnRef && !n.star) {
      // After GROUP BY a bare measure of a view that is no group key is re-aggregated by its
      // own merge (docs/sql.md "Queries over views").
      if (const ViewMeasure* m = MeasureRef(n, *ctx.scope); m && m->row_id >= 0) {
        bool is_key = false;
        for (const ExprPtr& k : ctx.agg->keys) {
          if (k->kind != sql::ExprKind::kColumn) continue;
          auto it = measures_->find(k->column);
          is_key = is_key || (it != measures_->end() && &it->second == m);
        }
        if (!is_key) {
          ExprCtx argc;
          argc.scope = ctx.scope;
          argc.clause = "an aggregate";
          return BindMeasureMerge("", *m, nullptr, argc, ctx.agg, &table);
        }
      }
    }
    if (ctx.agg && !IsConstantNode(n)) {
      // After GROUP BY: an expression without aggregates is a group key, a constant, or built
      // from them.
      bool deferred = ContainsNode(n, [](const ast::Expr& x) {
        return IsAggregateCall(x) || IsWindowCall(x) || x.kind == ast::ExprKind::kSubquery ||
               x.kind == ast::ExprKind::kGrouping;
      });
      if (deferred) return ExprPtr();
      ExprCtx pre;
      pre.scope = ctx.scope;
      pre.clause = ctx.clause;
      auto b = Bind(n, pre);
      if (!b.ok()) {
        if (n.kind == ast::ExprKind::kColumnRef) return b.status();
        return ExprPtr();
      }
      std::string k = (*b)->Key();
      for (size_t i = 0; i < ctx.agg->key_keys.size(); i++)
        if (ctx.agg->key_keys[i] == k) {
          table.push_back(ctx.agg->key_ids[i]);
          return sql::MakeColumn(static_cast<int>(table.size() - 1), (*b)->ToString(), (*b)->type);
        }
      if (sql::IsConstant(**b)) return *b;
      if (n.kind == ast::ExprKind::kColumnRef)
        return InvalidArgument(ErrorCode::kGroupingError, "column \"{}\" must appear in the GROUP BY clause or be used in an aggregate function",
                               (*b)->ToString());
      return ExprPtr();
    }
    return ExprPtr();
  };
  ASSIGN_OR_RETURN(ExprPtr b, predicate ? sql::BindPredicate(e, ctx.scope->scope, &hook)
                                        : sql::BindExpr(e, ctx.scope->scope, &hook));
  return RemapColumns(b, [&](int i) { return table[i]; });
}

const ViewMeasure* Binder::MeasureRef(const ast::Expr& e, const BindScope& scope) const {
  if (e.kind != ast::ExprKind::kColumnRef || e.star || measures_->empty()) return nullptr;
  auto [q, name] = RefParts(e);
  auto r = scope.scope.Resolve(q, name);
  if (!r.ok()) return nullptr;
  auto it = measures_->find(scope.ids[*r]);
  return it == measures_->end() ? nullptr : &it->second;
}

Result<ExprPtr> Binder::BindMeasureMerge(const std::string& fn_in, const ViewMeasure& m, const ast::Expr* fc,
                                         ExprCtx& argc, AggState* into, std::vector<int>* table) {
  using views::AggKind;
  const AggKind kind = m.def.kind;
  const bool counts = kind == AggKind::kCount || kind == AggKind::kCountStar;
  std::string natural = counts || kind == AggKind::kSum ? "sum" : views::AggKindName(kind);
  std::string fn = fn_in.empty() ? natural : fn_in;
  if (fn != natural) {
    // Called only for sum/avg over an average or a sketch (see BindAggregateCall): the sum of
    // averages or of distinct counts is no answer anyone means.
    return InvalidArgument(ErrorCode::kGroupingError,
                           "{}({}): measure \"{}\" is a {} and re-aggregates only with {}({}{}) or by naming it", fn,
                           m.column, m.column, views::AggKindName(kind), natural, m.column,
                           kind == AggKind::kApproxPercentile ? ", q" : "");
  }
  AggregateCall call;
  call.name = fmt::format("{}({}) merged", fn, m.column);
  function::AggregateSpec& spec = call.spec;
  spec.kind = function::AggregateKind::kMergeMeasure;
  spec.arg_types = {Type::kInt64};
  spec.measure_states = m.states;
  spec.measure = m.measure;
  spec.measure_def = m.def;
  spec.output_type = m.def.output_type;
  if (fc && fn == "approx_percentile") {
    if (fc->args.size() != 2)
      return InvalidArgument("approx_percentile() takes two arguments (a measure and a quantile q or ARRAY[q, ...])");
    RETURN_IF_ERROR(QuantilesOf(*fc->args[1], fn, &spec));
    if (spec.quantile_array) spec.output_type = Type::kText;
  } else if (fc && fc->args.size() != 1) {
    return InvalidArgument("{}() takes one argument", fn);
  }
  call.args.push_back(sql::MakeColumn(m.row_id, m.column, Type::kInt64));
  if (fc && fc->agg_filter) {
    if (ContainsNode(*fc->agg_filter, IsAggregateCall)) return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in FILTER");
    ExprCtx fctx = argc;
    fctx.clause = "FILTER";
    ASSIGN_OR_RETURN(call.filter, Bind(*fc->agg_filter, fctx, true));
  }
  // Identity: the view scan (its row reference), the measure, the quantiles and the filter.
  std::string key = fmt::format("merge|{}|{}|{}|{}", m.row_id, m.measure, int(spec.quantile_array),
                                call.filter ? call.filter->Key() : "");
  for (double q : spec.quantiles) key += fmt::format(",{}", q);
  AggState& agg = *into;
  size_t idx = agg.calls.size();
  for (size_t i = 0; i < agg.call_keys.size(); i++)
    if (agg.call_keys[i] == key) idx = i;
  std::string display = fmt::format("{}({})", fn, m.column);
  Type out = spec.output_type;
  if (idx == agg.calls.size()) {
    agg.calls.push_back(std::move(call));
    agg.call_keys.push_back(key);
    agg.call_ids.push_back(NewId());
  }
  table->push_back(agg.call_ids[idx]);
  return sql::MakeColumn(static_cast<int>(table->size() - 1), display, out);
}

Result<ExprPtr> Binder::BindAggregateCall(const ast::Expr& fc, ExprCtx& argc, AggState* into, std::vector<int>* table) {
  std::string fn = fc.FunctionName();
  // An aggregate of a view's measure that is the measure's own merge re-aggregates its states:
  // sum of a count or a sum (exact), min of a min, max of a max, avg of an avg (a true average),
  // the sketches merged. sum/avg of an average or a sketch are refused (a sum of averages or of
  // distinct counts is no answer anyone means); any other aggregate (and DISTINCT) reads the
  // measure's value per view row, as of any column.
  if (!fc.agg_star && !fc.agg_distinct && !fc.agg_within_group && fc.agg_order.empty() && !fc.args.empty() && !fc.over) {
    if (const ViewMeasure* m = MeasureRef(*fc.args[0], *argc.scope)) {
      using views::AggKind;
      AggKind k = m->def.kind;
      bool counts_or_sum = k == AggKind::kCount || k == AggKind::kCountStar || k == AggKind::kSum;
      bool natural = fn == (counts_or_sum ? "sum" : views::AggKindName(k));
      bool misleading = (fn == "sum" || fn == "avg") &&
                        (k == AggKind::kAvg || k == AggKind::kApproxCountDistinct || k == AggKind::kApproxPercentile);
      bool states_needed = misleading || (natural && (k == AggKind::kAvg || k == AggKind::kApproxCountDistinct ||
                                                      k == AggKind::kApproxPercentile));
      if (m->row_id < 0 && states_needed)
        return InvalidArgument(ErrorCode::kFeatureNotSupported,
                               "{}({}): \"{}\" holds the per-row values of a view's {} measure, read through a "
                               "subquery or WITH; re-aggregate it in the query block that reads the view",
                               fn, m->column, m->column, views::AggKindName(k));
      if (m->row_id >= 0 && (natural || misleading)) return BindMeasureMerge(fn, *m, &fc, argc, into, table);
    }
  }
  AggregateCall call;
  call.name = fn;
  function::AggregateSpec& spec = call.spec;
  spec.distinct = fc.agg_distinct;
  auto bind_arg = [&](const ast::Expr& a) -> Result<ExprPtr> {
    if (ContainsNode(a, IsWindowCall)) return InvalidArgument(ErrorCode::kGroupingError, "aggregate function calls cannot contain window function calls");
    return Bind(a, argc);
  };
  if (fc.agg_order.size() > 0 && !fc.agg_within_group && fn != "string_agg" && fn != "array_agg")
    return Unimplemented(ErrorCode::kFeatureNotSupported, "ORDER BY inside {}() is not supported", fn);
  if (fn == "percentile_cont" || fn == "percentile_disc") {
    if (!fc.agg_within_group || fc.agg_order.size() != 1 || fc.args.size() != 1)
      return InvalidArgument("{} takes a quantile and WITHIN GROUP (ORDER BY expression)", fn);
    RETURN_IF_ERROR(QuantilesOf(*fc.args[0], fn, &spec));
    spec.descending = fc.agg_order[0].dir == ast::SortDir::kDesc;
    ASSIGN_OR_RETURN(ExprPtr x, bind_arg(*fc.agg_order[0].expr));
    call.args.push_back(x);
  } else if (fc.agg_within_group) {
    return InvalidArgument("{} is not an ordered-set aggregate, so it cannot have WITHIN GROUP", fn);
  } else if (fc.agg_star) {
    if (fn != "count") return InvalidArgument("{}(*) is not valid; only count(*)", fn);
    spec.kind = function::AggregateKind::kCountStar;
  } else if (fn == "approx_percentile") {
    if (fc.args.size() != 2)
      return InvalidArgument("approx_percentile() takes two arguments (a value and a quantile q or ARRAY[q, ...])");
    RETURN_IF_ERROR(QuantilesOf(*fc.args[1], fn, &spec));
    ASSIGN_OR_RETURN(ExprPtr x, bind_arg(*fc.args[0]));
    call.args.push_back(x);
  } else {
    if (fc.args.empty()) return InvalidArgument("{}() takes arguments", fn);
    for (const auto& a : fc.args) {
      ASSIGN_OR_RETURN(ExprPtr x, bind_arg(*a));
      call.args.push_back(x);
    }
    if (call.args.size() != 1 && fn != "string_agg" && fn != "corr" && fn != "covar_pop" && fn != "covar_samp" &&
        fn != "regr_slope" && fn != "regr_intercept" && fn != "regr_count")
      return InvalidArgument("{}() takes one argument", fn);
    spec.kind = function::AggregateKind::kCount;  // ResolveAggregate sets the others
  }
  for (const auto& o : fc.agg_order) {
    if (fc.agg_within_group) break;
    SortKey k;
    k.descending = o.dir == ast::SortDir::kDesc;
    k.nulls_first = o.nulls == ast::NullsOrder::kDefault ? k.descending : o.nulls == ast::NullsOrder::kFirst;
    ASSIGN_OR_RETURN(k.expr, bind_arg(*o.expr));
    call.order.push_back(std::move(k));
  }
  spec.arg_types.clear();
  for (const auto& x : call.args) spec.arg_types.push_back(x->type);
  for (const auto& o : call.order) spec.order.push_back({o.descending, o.nulls_first});
  RETURN_IF_ERROR(function::ResolveAggregate(fn, &spec));
  if (fc.agg_filter) {
    if (ContainsNode(*fc.agg_filter, IsAggregateCall)) return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in FILTER");
    ExprCtx fctx = argc;
    fctx.clause = "FILTER";
    ASSIGN_OR_RETURN(call.filter, Bind(*fc.agg_filter, fctx, true));
  }
  // Identity by bound structure.
  std::string key = fmt::format("{}|{}|{}|{}|{}", fn, int(spec.distinct), int(spec.quantile_array), int(spec.descending),
                                call.filter ? call.filter->Key() : "");
  for (const auto& a : call.args) key += "|" + a->Key();
  for (const auto& o : call.order) key += fmt::format("|o{}{}{}", o.expr->Key(), int(o.descending), int(o.nulls_first));
  for (double q : spec.quantiles) key += fmt::format(",{}", q);
  AggState& agg = *into;
  size_t idx = agg.calls.size();
  for (size_t i = 0; i < agg.call_keys.size(); i++)
    if (agg.call_keys[i] == key) idx = i;
  std::string display = fmt::format("{}({}{})", fn, spec.distinct ? "DISTINCT " : "",
                                    call.args.empty() ? std::string("*") : call.args[0]->ToString());
  Type out = spec.output_type;
  if (idx == agg.calls.size()) {
    call.name = fn;
    agg.calls.push_back(std::move(call));
    agg.call_keys.push_back(key);
    agg.call_ids.push_back(NewId());
  }
  table->push_back(agg.call_ids[idx]);
  return sql::MakeColumn(static_cast<int>(table->size() - 1), display, out);
}

Result<ExprPtr> Binder::BindGrouping(const ast::Expr& g, ExprCtx& ctx, std::vector<int>* table) {
  AggState& agg = *ctx.agg;
  if (g.args.empty() || g.args.size() > 31) return InvalidArgument("GROUPING takes 1 to 31 arguments");
  ExprCtx pre;
  pre.scope = ctx.scope;
  pre.clause = "GROUPING";
  if (agg.grouping_id < 0) agg.grouping_id = NewId();
  agg.grouping_used = true;
  table->push_back(agg.grouping_id);
  ExprPtr mask = sql::MakeColumn(static_cast<int>(table->size() - 1), "grouping", Type::kInt64);
  size_t n = agg.keys.size();
  ExprPtr sum;
  for (size_t j = 0; j < g.args.size(); j++) {
    ASSIGN_OR_RETURN(ExprPtr b, Bind(*g.args[j], pre));
    std::string k = b->Key();
    size_t i = 0;
    while (i < n && agg.key_keys[i] != k) i++;
    if (i == n) return InvalidArgument(ErrorCode::kGroupingError, "arguments to GROUPING must be grouping expressions of the associated query level");
    // bit of key i in the mask (the leftmost key is the most significant bit).
    ExprPtr bit = Arith(sql::ArithOp::kMod, Arith(sql::ArithOp::kDiv, mask, IntLit(int64_t{1} << (n - 1 - i))), IntLit(2));
    ExprPtr term = Arith(sql::ArithOp::kMul, bit, IntLit(int64_t{1} << (g.args.size() - 1 - j)));
    sum = sum ? Arith(sql::ArithOp::kAdd, sum, term) : term;
  }
  // The caller remaps table indexes; `mask` reads table index, the rest is arithmetic.
  return sum;
}

Result<ExprPtr> Binder::BindWindowCall(const ast::Expr& fc, ExprCtx& ctx, std::vector<int>* table) {
  std::string fn = fc.FunctionName();
  WindowCall w;
  w.name = fn;
  static const std::pair<const char*, WindowFunc> kFuncs[] = {
      {"row_number", WindowFunc::kRowNumber}, {"rank", WindowFunc::kRank}, {"dense_rank", WindowFunc::kDenseRank},
      {"percent_rank", WindowFunc::kPercentRank}, {"cume_dist", WindowFunc::kCumeDist}, {"ntile", WindowFunc::kNtile},
      {"lag", WindowFunc::kLag}, {"lead", WindowFunc::kLead}, {"first_value", WindowFunc::kFirstValue},
      {"last_value", WindowFunc::kLastValue}, {"nth_value", WindowFunc::kNthValue}};
  bool found = false;
  for (const auto& [name, f] : kFuncs)
    if (fn == name) {
      w.func = f;
      found = true;
    }
  if (!found && !sql::IsAggregateName(fn)) return InvalidArgument(ErrorCode::kWrongObjectType, "function {} is not a window function", fn);

  // The window: OVER name / OVER (name ...) builds on a WINDOW clause entry.
  const ast::WindowDef& own = *fc.over;
  const ast::WindowDef* base = nullptr;
  if (!own.refname.empty()) {
    if (named_windows_)
      for (const auto& d : *named_windows_)
        if (d->name == own.refname) base = d.get();
    if (!base) return InvalidArgument("window \"{}\" does not exist", own.refname);
    if (!own.partition_by.empty()) return InvalidArgument("cannot override PARTITION BY clause of window \"{}\"", own.refname);
    if (!own.order_by.empty() && !base->order_by.empty())
      return InvalidArgument("cannot override ORDER BY clause of window \"{}\"", own.refname);
  }
  const auto& partition = base ? base->partition_by : own.partition_by;
  const auto& order = base && own.order_by.empty() ? base->order_by : own.order_by;
  const ast::WindowDef& frame = own.has_frame || !base ? own : *base;

  ExprCtx inner = ctx;
  inner.allow_windows = false;
  inner.clause = "window function calls";
  for (const auto& p : partition) {
    ASSIGN_OR_RETURN(ExprPtr b, Bind(*p, inner));
    w.partition_by.push_back(b);
  }
  for (const auto& o : order) {
    SortKey k;
    k.descending = o.dir == ast::SortDir::kDesc;
    k.nulls_first = o.nulls == ast::NullsOrder::kDefault ? k.descending : o.nulls == ast::NullsOrder::kFirst;
    ASSIGN_OR_RETURN(k.expr, Bind(*o.expr, inner));
    w.order_by.push_back(std::move(k));
  }
  if (frame.has_frame) {
    w.mode = frame.mode == ast::FrameMode::kRows ? FrameMode::kRows
             : frame.mode == ast::FrameMode::kGroups ? FrameMode::kGroups : FrameMode::kRange;
    auto bound = [](ast::FrameBoundKind k) {
      switch (k) {
        case ast::FrameBoundKind::kUnboundedPreceding: return FrameBound::kUnboundedPreceding;
        case ast::FrameBoundKind::kPreceding: return FrameBound::kPreceding;
        case ast::FrameBoundKind::kCurrentRow: return FrameBound::kCurrentRow;
        case ast::FrameBoundKind::kFollowing: return FrameBound::kFollowing;
        case ast::FrameBoundKind::kUnboundedFollowing: return FrameBound::kUnboundedFollowing;
      }
      return FrameBound::kCurrentRow;
    };
    w.start = bound(frame.start);
    w.end = bound(frame.end);
    w.exclude = frame.exclusion == ast::FrameExclusion::kCurrentRow ? FrameExclude::kCurrentRow
                : frame.exclusion == ast::FrameExclusion::kGroup   ? FrameExclude::kGroup
                : frame.exclusion == ast::FrameExclusion::kTies    ? FrameExclude::kTies
                                                                   : FrameExclude::kNoOthers;
    BindScope none;
    ExprCtx cst;
    cst.scope = &none;
    cst.clause = "a window frame offset";
    if (frame.start_offset) {
      ASSIGN_OR_RETURN(w.start_offset, Bind(*frame.start_offset, cst));
    }
    if (frame.end_offset) {
      ASSIGN_OR_RETURN(w.end_offset, Bind(*frame.end_offset, cst));
    }
    if (w.mode == FrameMode::kRange && (w.start_offset || w.end_offset) && w.order_by.size() != 1)
      return InvalidArgument("RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column");
    if (w.mode == FrameMode::kGroups && w.order_by.empty())
      return InvalidArgument("GROUPS mode requires an ORDER BY clause");
  }

  if (found) {
    for (const auto& a : fc.args) {
      ASSIGN_OR_RETURN(ExprPtr b, Bind(*a, inner));
      w.args.push_back(b);
    }
    switch (w.func) {
      case WindowFunc::kRowNumber:
      case WindowFunc::kRank:
      case WindowFunc::kDenseRank:
        if (!w.args.empty()) return InvalidArgument("{}() takes no arguments", fn);
        w.type = Type::kInt64;
        break;
      case WindowFunc::kPercentRank:
      case WindowFunc::kCumeDist:
        if (!w.args.empty()) return InvalidArgument("{}() takes no arguments", fn);
        w.type = Type::kDouble;
        break;
      case WindowFunc::kNtile:
        if (w.args.size() != 1 || w.args[0]->type != Type::kInt64) return InvalidArgument("ntile() takes one bigint argument");
        w.type = Type::kInt64;
        break;
      case WindowFunc::kLag:
      case WindowFunc::kLead:
        if (w.args.empty() || w.args.size() > 3) return InvalidArgument("{}() takes one to three arguments", fn);
        if (w.args.size() > 1 && w.args[1]->type != Type::kInt64) return InvalidArgument("the offset of {}() must be bigint", fn);
        w.type = w.args[0]->type;
        if (w.args.size() == 3) {
          if (w.args[2]->type != w.type) {
            bool numeric = (w.type == Type::kDouble && w.args[2]->type == Type::kInt64);
            bool unknown = w.args[2]->kind == sql::ExprKind::kLiteral && w.args[2]->literal.is_null();
            if (!numeric && !unknown)
              return InvalidArgument("function {}({}, bigint, {}) does not exist", fn, TypeName(w.type), TypeName(w.args[2]->type));
            w.args[2] = CastTo(w.args[2], w.type);
          }
        }
        break;
      case WindowFunc::kFirstValue:
      case WindowFunc::kLastValue:
        if (w.args.size() != 1) return InvalidArgument("{}() takes one argument", fn);
        w.type = w.args[0]->type;
        break;
      case WindowFunc::kNthValue:
        if (w.args.size() != 2 || w.args[1]->type != Type::kInt64) return InvalidArgument("nth_value() takes a value and a bigint");
        w.type = w.args[0]->type;
        break;
      case WindowFunc::kAggregate: break;
    }
  } else {
    // An aggregate over the window frame.
    w.func = WindowFunc::kAggregate;
    // Bind it as an aggregate call whose arguments are read in the current context (after GROUP
    // BY they may be aggregates themselves: sum(count(*)) OVER ()), then take the call out.
    AggState scratch;
    std::vector<int> scratch_table;
    ASSIGN_OR_RETURN(ExprPtr ignored, BindAggregateCall(fc, inner, &scratch, &scratch_table));
    (void)ignored;
    w.aggregate = std::move(scratch.calls.front());
    w.type = w.aggregate.spec.output_type;
    if (w.aggregate.spec.distinct) return Unimplemented(ErrorCode::kFeatureNotSupported, "DISTINCT is not implemented for window functions");
  }
  int id = NewId();
  ctx.windows->push_back(std::move(w));
  ctx.window_ids->push_back(id);
  table->push_back(id);
  return sql::MakeColumn(static_cast<int>(table->size() - 1), fn, ctx.windows->back().type);
}

Result<LogicalPtr> Binder::BindSubqueryPlan(const ast::SelectStmt& s) {
  Binder child(catalog_, next_id_, this);
  child.outer_scopes_ = outer_scopes_;
  return child.BindSelect(s);
}

// ARRAY(SELECT x FROM ... WHERE ... ORDER BY ...) is COALESCE((SELECT array_agg(x ORDER BY ...)
// FROM ... WHERE ...), '{}'): the subquery's rows, in its order, as an array (text, sql/array.h).
Result<ExprPtr> Binder::BindArraySubquery(const ast::Expr& e, ExprCtx& ctx, std::vector<int>* table) {
  const ast::SelectStmt& s = *e.subquery;
  bool plain = s.op == ast::SetOpKind::kNone && s.values_lists.empty() && !s.distinct && s.group_by.empty() && !s.having &&
               !s.limit && !s.offset && s.with.empty() && s.windows.empty() && s.targets.size() == 1 &&
               !(s.targets[0].expr->kind == ast::ExprKind::kColumnRef && s.targets[0].expr->star) &&
               !ContainsNode(*s.targets[0].expr, [](const ast::Expr& x) { return IsAggregateCall(x) || IsWindowCall(x); });
  if (!plain)
    return Unimplemented(ErrorCode::kFeatureNotSupported,
                         "ARRAY(subquery) is supported over a SELECT of one column without GROUP BY, DISTINCT, LIMIT, "
                         "set operations or aggregates");
  ast::SelectPtr agg_query = s.Clone();
  auto agg = std::make_unique<ast::Expr>();
  agg->kind = ast::ExprKind::kFunction;
  agg->func_name = {"array_agg"};
  agg->args.push_back(s.targets[0].expr->Clone());
  for (const ast::SortItem& o : s.order_by) {
    ast::SortItem item = o.Clone();
    // ORDER BY 1 or the output name: the selected expression.
    const ast::Expr& x = *o.expr;
    bool position = x.kind == ast::ExprKind::kConstant && !x.value.is_null() && x.value.type() == Type::kInt64;
    if (position && x.value.as_int() != 1)
      return InvalidArgument(ErrorCode::kInvalidColumnReference, "ORDER BY position {} is not in select list", x.value.as_int());
    bool alias = !s.targets[0].alias.empty() && sql::ColumnRefName(x) == s.targets[0].alias && x.names.size() == 1;
    if (position || alias) item.expr = s.targets[0].expr->Clone();
    agg->agg_order.push_back(std::move(item));
  }
  agg_query->order_by.clear();
  agg_query->targets[0].expr = std::move(agg);
  agg_query->targets[0].alias = "array";
  ast::Expr scalar;
  scalar.kind = ast::ExprKind::kSubquery;
  scalar.sublink = ast::SublinkKind::kScalar;
  scalar.subquery = std::move(agg_query);
  ASSIGN_OR_RETURN(ExprPtr sub, BindSubqueryExpr(scalar, ctx, table));
  auto co = std::make_shared<sql::Expr>();
  co->kind = sql::ExprKind::kCoalesce;
  co->type = Type::kText;
  co->children = {sub, sql::MakeLiteral(Value::Text("{}"), Type::kText)};
  return ExprPtr(co);
}

// A subquery that decorrelation refuses (a non-equality correlation under an aggregate, a table
// function reading the enclosing row, EXISTS / IN over a correlated LIMIT, ...): an Apply, which
// binds and runs it per distinct combination of the block's column values. A scalar subquery is
// run as it is; EXISTS, IN, ANY and ALL as `SELECT <the whole test>` (its left operand reads the
// row too). Bound once now with NULLs, so that what fails for every row fails here; else the
// refusal stands.
Result<ExprPtr> Binder::BindApply(const ast::Expr& e, ExprCtx& ctx, std::vector<int>* table, const Status& refused) {
  if (e.sublink == ast::SublinkKind::kArray || !ctx.joins || ctx.agg || !outer_scopes_.empty()) return refused;
  auto spec = std::make_shared<ApplySpec>();
  if (e.sublink == ast::SublinkKind::kScalar) {
    spec->query = std::shared_ptr<const ast::SelectStmt>(e.subquery->Clone());
  } else {
    auto test = std::make_shared<ast::SelectStmt>();
    ast::SelectItem item;
    item.expr = e.Clone();
    test->targets.push_back(std::move(item));
    spec->query = test;
  }
  spec->params = ctx.scope->ids;
  spec->columns = ctx.scope->scope.columns;
  for (auto& c : spec->columns) c.merged = false;
  std::vector<Value> nulls(spec->columns.size());
  int next = 0;
  Binder probe(catalog_, &next, nullptr);
  probe.SetOuterValues(&spec->columns, &nulls);
  auto plan = probe.BindSelect(*spec->query);
  if (!plan.ok()) return refused;
  if ((*plan)->columns.size() != 1) return InvalidArgument(ErrorCode::kSyntaxError, "subquery must return only one column");
  spec->result_type = (*plan)->columns[0].type;
  PendingJoin j;
  j.apply = spec;
  j.mark_id = NewId();
  int id = j.mark_id;
  std::string name = (*plan)->columns[0].name;
  ctx.joins->push_back(std::move(j));
  table->push_back(id);
  return sql::MakeColumn(static_cast<int>(table->size() - 1), name, spec->result_type);
}

Result<ExprPtr> Binder::BindSubqueryExpr(const ast::Expr& e, ExprCtx& ctx, std::vector<int>* table) {
  if (e.sublink == ast::SublinkKind::kArray) return BindArraySubquery(e, ctx, table);
  Binder child(catalog_, next_id_, this);
  child.outer_scopes_ = outer_scopes_;
  child.outer_scopes_.push_back(ctx.scope);
  auto bound = child.BindSelect(*e.subquery);
  if (!bound.ok() && bound.status().error_code() == ErrorCode::kFeatureNotSupported)
    return BindApply(e, ctx, table, bound.status());
  ASSIGN_OR_RETURN(LogicalPtr sub, std::move(bound));
  auto ref = [&](int id, const std::string& name, Type t) {
    table->push_back(id);
    return sql::MakeColumn(static_cast<int>(table->size() - 1), name, t);
  };
  std::set<int> outer = child.correlated_ids_;
  if (!outer.empty()) {
    if (ctx.agg)
      return Unimplemented(ErrorCode::kFeatureNotSupported, "a correlated subquery in a query with GROUP BY or aggregates is not supported");
    auto r = BindCorrelated(e, std::move(sub), outer, ctx, table);
    if (!r.ok() && r.status().error_code() == ErrorCode::kFeatureNotSupported) return BindApply(e, ctx, table, r.status());
    return r;
  }
  switch (e.sublink) {
    case ast::SublinkKind::kScalar: {
      if (sub->columns.size() != 1) return InvalidArgument(ErrorCode::kSyntaxError, "subquery must return only one column");
      int id = sub->ids[0];
      OutputColumn col = sub->columns[0];
      auto single = MakeNode(LogicalKind::kSingleRow);
      single->columns = sub->columns;
      single->ids = sub->ids;
      single->children.push_back(std::move(sub));
      PendingJoin j;
      j.kind = JoinKind::kLeft;
      j.right = std::move(single);
      ctx.joins->push_back(std::move(j));
      return ref(id, col.name, col.type);
    }
    case ast::SublinkKind::kExists: {
      // EXISTS: count(*) > 0 over the first row of the subquery — one row, always.
      auto lim = MakeNode(LogicalKind::kLimit);
      lim->limit = 1;
      lim->columns = sub->columns;
      lim->ids = sub->ids;
      lim->children.push_back(std::move(sub));
      auto agg = MakeNode(LogicalKind::kAggregate);
      AggregateCall cnt;
      cnt.name = "count";
      cnt.spec.kind = function::AggregateKind::kCountStar;
      cnt.spec.output_type = Type::kInt64;
      agg->aggregates.push_back(std::move(cnt));
      int cid = NewId();
      agg->columns.push_back({"count", Type::kInt64});
      agg->ids.push_back(cid);
      agg->children.push_back(std::move(lim));
      int xid = NewId();
      ExprPtr test = sql::MakeCompare(sql::CompareOp::kGt, ColumnRef(cid, "count", Type::kInt64), IntLit(0));
      LogicalPtr proj = MakeProjection(std::move(agg), {test}, {"exists"}, {xid});
      PendingJoin j;
      j.kind = JoinKind::kCross;
      j.right = std::move(proj);
      ctx.joins->push_back(std::move(j));
      return ref(xid, "exists", Type::kBool);
    }
    case ast::SublinkKind::kIn:
    case ast::SublinkKind::kAny:
    case ast::SublinkKind::kAll: {
      bool negate = false;
      if (e.sublink == ast::SublinkKind::kAll) {
        if (e.op != "<>" && e.op != "!=")
          return Unimplemented(ErrorCode::kFeatureNotSupported, "{} ALL (subquery) is not supported; only <> ALL (NOT IN)", e.op);
        negate = true;
      } else if (e.sublink == ast::SublinkKind::kAny && e.op != "=") {
        return Unimplemented(ErrorCode::kFeatureNotSupported, "{} ANY (subquery) is not supported; only = ANY (IN)", e.op);
      }
      if (sub->columns.size() != 1)
        return sub->columns.size() > 1 ? InvalidArgument(ErrorCode::kSyntaxError, "subquery has too many columns")
                                       : InvalidArgument(ErrorCode::kSyntaxError, "subquery has too few columns");
      if (e.args.empty()) return InvalidArgument("IN (subquery) without a tested expression");
      if (e.args[0]->kind == ast::ExprKind::kRow) return Unimplemented(ErrorCode::kFeatureNotSupported, "row comparisons with subqueries are not supported");
      ExprCtx lc = ctx;
      lc.allow_windows = false;
      ASSIGN_OR_RETURN(ExprPtr left, Bind(*e.args[0], lc));
      ExprPtr right = ColumnRef(sub->ids[0], sub->columns[0].name, sub->columns[0].type);
      Type lt = left->type, rt = right->type;
      if (lt != rt) {
        bool numeric = (lt == Type::kInt64 || lt == Type::kDouble) && (rt == Type::kInt64 || rt == Type::kDouble);
        if (!numeric) return InvalidArgument(ErrorCode::kUndefinedFunction, "operator does not exist: {} = {}", TypeName(lt), TypeName(rt));
        left = CastTo(left, Type::kDouble);
        right = CastTo(right, Type::kDouble);
      }
      PendingJoin j;
      j.kind = JoinKind::kMark;
      j.right = std::move(sub);
      j.left_keys.push_back(left);
      j.right_keys.push_back(right);
      j.mark_id = NewId();
      int mark = j.mark_id;
      ctx.joins->push_back(std::move(j));
      ExprPtr m = ref(mark, "?column?", Type::kBool);
      if (!negate) return m;
      auto n = std::make_shared<sql::Expr>();
      n->kind = sql::ExprKind::kNot;
      n->type = Type::kBool;
      n->children = {m};
      return ExprPtr(n);
    }
    case ast::SublinkKind::kArray: return Unimplemented(ErrorCode::kFeatureNotSupported, "ARRAY(subquery) is not supported");
  }
  return Internal("unknown subquery kind");
}

Result<ExprPtr> Binder::BindCorrelated(const ast::Expr& e, LogicalPtr sub, const std::set<int>& outer, ExprCtx& ctx,
                                       std::vector<int>* table) {
  auto ref = [&](int id, const std::string& name, Type t) {
    table->push_back(id);
    return sql::MakeColumn(static_cast<int>(table->size() - 1), name, t);
  };
  auto negate = [](ExprPtr m) {
    auto n = std::make_shared<sql::Expr>();
    n->kind = sql::ExprKind::kNot;
    n->type = Type::kBool;
    n->children = {std::move(m)};
    return ExprPtr(n);
  };
  switch (e.sublink) {
    case ast::SublinkKind::kExists: {
      ASSIGN_OR_RETURN(Decorrelated d, Decorrelate(std::move(sub), outer, false));
      PendingJoin j;
      j.kind = JoinKind::kMarkExists;
      j.right = std::move(d.plan);
      j.residual = AndAll(std::move(d.conds));
      j.mark_id = NewId();
      int mark = j.mark_id;
      ctx.joins->push_back(std::move(j));
      return ref(mark, "exists", Type::kBool);
    }
    case ast::SublinkKind::kScalar: {
      if (sub->columns.size() != 1) return InvalidArgument(ErrorCode::kSyntaxError, "subquery must return only one column");
      OutputColumn col = sub->columns[0];
      int id = sub->ids[0];
      ASSIGN_OR_RETURN(Decorrelated d, Decorrelate(std::move(sub), outer, true));
      PendingJoin j;
      j.kind = JoinKind::kLeft;
      j.right = std::move(d.plan);
      j.residual = AndAll(std::move(d.conds));
      j.single_match = d.single_match;
      ctx.joins->push_back(std::move(j));
      if (d.scalar_expr) {
        // CASE WHEN marker IS NULL THEN NULL ELSE expr END, over the block's columns.
        ExprPtr value = RemapColumns(d.scalar_expr, [&](int cid) {
          table->push_back(cid);
          return static_cast<int>(table->size() - 1);
        });
        auto is_null = std::make_shared<sql::Expr>();
        is_null->kind = sql::ExprKind::kIsNull;
        is_null->type = Type::kBool;
        is_null->children = {ref(d.marker_id, "?matched?", Type::kBool)};
        auto c = std::make_shared<sql::Expr>();
        c->kind = sql::ExprKind::kCase;
        c->type = value->type;
        c->children = {is_null, sql::MakeLiteral(Value::Null(), value->type), value};
        return ExprPtr(c);
      }
      ExprPtr r = ref(id, col.name, col.type);
      if (!d.coalesce_zero) return r;
      auto co = std::make_shared<sql::Expr>();
      co->kind = sql::ExprKind::kCoalesce;
      co->type = col.type;
      co->children = {r, sql::MakeLiteral(Value::Int(0), Type::kInt64)};
      return ExprPtr(co);
    }
    case ast::SublinkKind::kIn:
    case ast::SublinkKind::kAny:
    case ast::SublinkKind::kAll: {
      bool neg = false;
      if (e.sublink == ast::SublinkKind::kAll) {
        if (e.op != "<>" && e.op != "!=") return Unimplemented(ErrorCode::kFeatureNotSupported, "{} ALL (subquery) is not supported; only <> ALL (NOT IN)", e.op);
        neg = true;
      } else if (e.sublink == ast::SublinkKind::kAny && e.op != "=") {
        return Unimplemented(ErrorCode::kFeatureNotSupported, "{} ANY (subquery) is not supported; only = ANY (IN)", e.op);
      }
      if (sub->columns.size() != 1)
        return sub->columns.size() > 1 ? InvalidArgument(ErrorCode::kSyntaxError, "subquery has too many columns")
                                       : InvalidArgument(ErrorCode::kSyntaxError, "subquery has too few columns");
      if (e.args.empty() || e.args[0]->kind == ast::ExprKind::kRow)
        return Unimplemented(ErrorCode::kFeatureNotSupported, "row comparisons with subqueries are not supported");
      ExprCtx lc = ctx;
      lc.allow_windows = false;
      ASSIGN_OR_RETURN(ExprPtr left, Bind(*e.args[0], lc));
      ExprPtr right = ColumnRef(sub->ids[0], sub->columns[0].name, sub->columns[0].type);
      if (left->type != right->type) {
        auto numeric = [](Type t) { return t == Type::kInt64 || t == Type::kDouble; };
        if (!numeric(left->type) || !numeric(right->type))
          return InvalidArgument(ErrorCode::kUndefinedFunction, "operator does not exist: {} = {}", TypeName(left->type), TypeName(right->type));
        left = CastTo(left, Type::kDouble);
        right = CastTo(right, Type::kDouble);
      }
      ASSIGN_OR_RETURN(Decorrelated d, Decorrelate(std::move(sub), outer, false));
      PendingJoin j;
      j.kind = JoinKind::kMark;
      j.right = std::move(d.plan);
      j.left_keys.push_back(left);
      j.right_keys.push_back(right);
      j.residual = AndAll(std::move(d.conds));
      j.mark_id = NewId();
      int mark = j.mark_id;
      ctx.joins->push_back(std::move(j));
      ExprPtr m = ref(mark, "?column?", Type::kBool);
      return neg ? negate(m) : m;
    }
    case ast::SublinkKind::kArray: return Unimplemented(ErrorCode::kFeatureNotSupported, "ARRAY(subquery) is not supported");
  }
  return Internal("unknown subquery kind");
}

}  // namespace laminar::planner::internal
