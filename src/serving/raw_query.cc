#include "serving/raw_query.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <optional>

#include "common/time_util.h"
#include "function/aggregate.h"
#include "serving/select_clauses.h"
#include "sql/binder.h"
#include "views/sketch_sql.h"
#include "views/view_state.h"

namespace laminar::serving {
namespace {

using nlohmann::json;
using sql::ExprKind;
using sql::ExprPtr;

using sql::FuncName;
using function::Accumulator;
using function::AggregateKind;
using function::AggregateSpec;
using function::ResolveAggregate;

bool IsAggregateCall(const json& node) {
  const json& fc = sql::Field(node, "FuncCall");
  return fc.is_object() && !fc.contains("over") && sql::IsAggregateName(FuncName(fc));
}

bool HasAggregate(const json& node) { return sql::AnyNode(node, IsAggregateCall); }

bool HasWindow(const json& node) {
  return sql::AnyNode(node, [](const json& n) { return sql::Field(n, "FuncCall").contains("over"); });
}

bool HasSubquery(const json& node) {
  return sql::AnyNode(node, [](const json& n) { return n.contains("SubLink"); });
}

// PostgreSQL's default output name of a select-list expression (FigureColname).
std::string FigureName(const json& node) {
  if (node.contains("ColumnRef")) {
    const json& last = node["ColumnRef"]["fields"].back();
    return last.contains("A_Star") ? "?column?" : sql::StringValue(last);
  }
  if (node.contains("FuncCall")) return FuncName(node["FuncCall"]);
  if (node.contains("TypeCast")) {
    std::string inner = FigureName(node["TypeCast"]["arg"]);
    if (inner != "?column?") return inner;
    const json& names = sql::Field(sql::Field(node["TypeCast"], "typeName"), "TypeName");
    const json& parts = sql::Field(names, "names");
    return parts.empty() ? inner : sql::StringValue(parts.back());
  }
  if (node.contains("CaseExpr")) return "case";
  if (node.contains("CoalesceExpr")) return "coalesce";
  if (node.contains("MinMaxExpr"))
    return sql::Field(node["MinMaxExpr"], "op") == "IS_LEAST" ? "least" : "greatest";
  if (node.contains("A_Expr") && sql::Field(node["A_Expr"], "kind") == "AEXPR_NULLIF") return "nullif";
  if (node.contains("SQLValueFunction")) {
    std::string op = sql::Field(node["SQLValueFunction"], "op").is_string() ? node["SQLValueFunction"]["op"].get<std::string>() : "";
    if (op.rfind("SVFOP_", 0) == 0) {
      std::string n = op.substr(6);
      for (auto& ch : n) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return n;
    }
  }
  return "?column?";
}

void SplitAnd(const json& node, std::vector<const json*>* out) {
  const json& b = sql::Field(node, "BoolExpr");
  if (b.is_object() && b.value("boolop", "") == "AND_EXPR") {
    for (const json& a : b.at("args")) SplitAnd(a, out);
    return;
  }
  out->push_back(&node);
}

// Quantiles of a percentile aggregate: a constant in [0, 1] or ARRAY[...] of them.
Status ParseQuantiles(const json& arg, const std::string& fn, AggregateSpec* spec) {
  ASSIGN_OR_RETURN(spec->quantiles, views::BindQuantiles(arg, fn, &spec->quantile_array));
  return Status::OK();
}

int RelationOf(int column, const std::vector<int>& offsets) {
  int r = 0;
  while (r + 1 < static_cast<int>(offsets.size()) && column >= offsets[r + 1]) r++;
  return r;
}

struct Rel {
  RelationInfo info;
  std::string alias;
  int offset = 0;
  bool left = false;                     // LEFT JOIN (rels ≥ 1)
  std::vector<ExprPtr> left_keys, right_keys;  // over the combined row
  std::vector<char> key_as_double;       // bigint joined with double: compare as doubles
  ExprPtr join_filter;                   // non-equality ON conditions
  ScanRequest req;
  // Built side: rows (relation-local) with non-null keys, by encoded key.
  std::vector<std::vector<Value>> rows;
  absl::flat_hash_map<std::string, std::vector<uint32_t>> index;
};

struct AggCall {
  AggregateSpec spec;
  ExprPtr arg;     // null for count(*)
  ExprPtr filter;  // FILTER (WHERE ...)
  std::string text;  // display name
  std::string key;   // structural identity (sql::Expr::Key of the argument and filter)
};

struct OutItem {
  std::string name;
  ExprPtr expr;
  Type type = Type::kText;
};

struct Plan {
  std::vector<Rel> rels;
  std::vector<int> offsets;
  sql::Scope scope;                // every column of every relation
  ExprPtr scan_filter;             // conjuncts over the first relation only
  ExprPtr where;                   // the others, after the joins
  bool aggregate = false;
  std::vector<ExprPtr> keys;       // over the input row
  std::vector<std::string> key_text;  // Expr::Key of each key
  std::vector<AggCall> aggs;
  ExprPtr having;                  // over [keys..., aggregates...]
  std::vector<OutItem> items;      // visible first, then hidden sort items
  size_t visible = 0;
  std::vector<SortKey> order;
  int64_t limit = -1, offset = 0;
};

ExprPtr AndAll(std::vector<ExprPtr> parts) {
  if (parts.empty()) return nullptr;
  if (parts.size() == 1) return parts[0];
  auto e = std::make_shared<sql::Expr>();
  e->kind = ExprKind::kAnd;
  e->type = Type::kBool;
  e->children = std::move(parts);
  return e;
}

bool ColumnsWithin(const sql::Expr& e, int lo, int hi) {
  bool ok = true;
  sql::VisitColumns(e, [&](int c) { ok = ok && c >= lo && c < hi; });
  return ok;
}

Status CheckUnsupported(const json& s) {
  if (s.value("op", "SETOP_NONE") != "SETOP_NONE")
    return Unimplemented("set operations (UNION, INTERSECT, EXCEPT) are not supported");
  if (s.contains("withClause")) return Unimplemented("WITH queries are not supported");
  if (s.contains("windowClause") || HasWindow(s)) return Unimplemented("window functions are not supported");
  if (s.contains("lockingClause")) return Unimplemented("FOR UPDATE/SHARE is not supported");
  if (s.contains("intoClause")) return Unimplemented("SELECT INTO is not supported");
  if (s.contains("valuesLists")) return Unimplemented("VALUES lists are not supported");
  if (HasSubquery(s)) return Unimplemented("subqueries are not supported");
  return Status::OK();
}

class Planner {
 public:
  Planner(const RelationProvider& provider, Plan* p) : provider_(provider), p_(*p) {}

  Status Run(const json& s) {
    RETURN_IF_ERROR(CheckUnsupported(s));
    RETURN_IF_ERROR(PlanFrom(sql::Field(s, "fromClause"), sql::Field(s, "whereClause")));
    RETURN_IF_ERROR(PlanWhere(s));
    const json& target_list = sql::Field(s, "targetList");
    if (target_list.empty()) return InvalidArgument("SELECT needs at least one output column");
    RETURN_IF_ERROR(ExpandTargets(target_list));
    const json& group = sql::Field(s, "groupClause");
    bool distinct = s.contains("distinctClause");
    if (distinct && !s["distinctClause"].empty() && !s["distinctClause"][0].is_null() &&
        !s["distinctClause"][0].empty())
      return Unimplemented("SELECT DISTINCT ON is not supported");
    bool has_agg = HasAggregate(target_list) || HasAggregate(sql::Field(s, "havingClause")) ||
                   HasAggregate(sql::Field(s, "sortClause"));
    p_.aggregate = !group.empty() || has_agg || distinct || s.contains("havingClause");
    if (p_.aggregate) {
      if (distinct && (has_agg || !group.empty()))
        return Unimplemented("SELECT DISTINCT together with GROUP BY or aggregates is not supported");
      if (distinct) {
        for (const auto& t : targets_) RETURN_IF_ERROR(AddKey(*t.node));
      } else {
        for (const json& g : group) RETURN_IF_ERROR(PlanGroupItem(g));
      }
      for (const auto& t : targets_) {
        ASSIGN_OR_RETURN(ExprPtr e, BindPost(*t.node));
        p_.items.push_back({t.name, e, e->type});
      }
      if (s.contains("havingClause")) {
        sql::JsonBindHook hook = PostHook();
        ASSIGN_OR_RETURN(p_.having, sql::BindPredicate(s["havingClause"], post_scope_, &hook));
      }
    } else {
      for (const auto& t : targets_) {
        ASSIGN_OR_RETURN(ExprPtr e, sql::BindExpr(*t.node, p_.scope));
        p_.items.push_back({t.name, e, e->type});
      }
    }
    p_.visible = p_.items.size();
    RETURN_IF_ERROR(PlanOrder(sql::Field(s, "sortClause"), distinct));
    RETURN_IF_ERROR(ParseLimitOffset(s, &p_.limit, &p_.offset));
    // What each relation's scan must read.
    for (Rel& r : p_.rels) r.req.needed.assign(r.info.columns.size(), 0);
    auto mark = [&](const ExprPtr& e) {
      if (!e) return;
      sql::VisitColumns(*e, [&](int c) {
        int r = RelationOf(c, p_.offsets);
        p_.rels[r].req.needed[c - p_.offsets[r]] = 1;
      });
    };
    mark(p_.scan_filter);
    mark(p_.where);
    for (const Rel& r : p_.rels) {
      for (const auto& k : r.left_keys) mark(k);
      for (const auto& k : r.right_keys) mark(k);
      mark(r.join_filter);
    }
    for (const auto& k : p_.keys) mark(k);
    for (const auto& a : p_.aggs) {
      mark(a.arg);
      mark(a.filter);
    }
    if (!p_.aggregate)
      for (const auto& it : p_.items) mark(it.expr);
    return Status::OK();
  }

 private:
  struct Target {
    const json* node;
    std::string name;
  };

  Status AddRelation(const json& rv, bool left) {
    std::string schema = rv.value("schemaname", "");
    std::string name = rv.value("relname", "");
    if (rv.contains("catalogname")) return Unimplemented("cross-database references are not supported");
    ASSIGN_OR_RETURN(RelationInfo info, provider_.Describe(schema, name));
    Rel r;
    r.info = std::move(info);
    r.alias = rv.contains("alias") ? rv["alias"].value("aliasname", name) : name;
    if (rv.contains("alias") && rv["alias"].contains("colnames"))
      return Unimplemented("column aliases in FROM are not supported");
    for (const Rel& o : p_.rels)
      if (o.alias == r.alias)
        return InvalidArgument(ErrorCode::kDuplicateAlias, "table name \"{}\" specified more than once", r.alias);
    r.offset = static_cast<int>(p_.scope.columns.size());
    r.left = left;
    p_.offsets.push_back(r.offset);
    for (const auto& c : r.info.columns) p_.scope.columns.push_back(sql::ScopeColumn{c.name, c.type, r.alias});
    p_.rels.push_back(std::move(r));
    return Status::OK();
  }

  Status PlanFromItem(const json& item) {
    if (item.contains("RangeVar")) return AddRelation(item["RangeVar"], false);
    if (item.contains("JoinExpr")) {
      const json& j = item["JoinExpr"];
      std::string type = j.value("jointype", "JOIN_INNER");
      if (type != "JOIN_INNER" && type != "JOIN_LEFT")
        return Unimplemented("{} joins are not supported; use INNER or LEFT JOIN",
                             type == "JOIN_RIGHT" ? "RIGHT" : type == "JOIN_FULL" ? "FULL" : type);
      if (j.value("isNatural", false)) return Unimplemented("NATURAL joins are not supported; use JOIN ... ON or USING");
      RETURN_IF_ERROR(PlanFromItem(j.at("larg")));
      const json& r = j.at("rarg");
      if (!r.contains("RangeVar"))
        return Unimplemented("the right side of a join must be a table, a stream or a view (joins are left-deep)");
      RETURN_IF_ERROR(AddRelation(r["RangeVar"], type == "JOIN_LEFT"));
      return PlanJoinCondition(j);
    }
    if (item.contains("RangeSubselect")) return Unimplemented("subqueries in FROM are not supported");
    if (item.contains("RangeFunction")) return Unimplemented("table functions are not supported");
    return Unimplemented("unsupported FROM clause");
  }

  // FROM a, b, ...: each later relation is an inner join whose hash-join keys are WHERE's
  // equalities between it and the relations before it (WHERE still filters every row); without
  // one, every pair of rows (a cross product, bounded by the time and memory limits).
  Status PlanFrom(const json& from, const json& where) {
    if (from.empty()) return Status::OK();
    RETURN_IF_ERROR(PlanFromItem(from[0]));
    std::vector<const json*> conj;
    if (!where.is_null()) SplitAnd(where, &conj);
    for (size_t i = 1; i < from.size(); i++) {
      if (!from[i].contains("RangeVar"))
        return Unimplemented("after a comma in FROM only a table, stream, view or subquery may follow (joins are "
                             "left-deep): write the comma-separated relations first, or JOIN ... ON");
      RETURN_IF_ERROR(AddRelation(from[i]["RangeVar"], false));
      std::vector<ExprPtr> unused;
      RETURN_IF_ERROR(PlanJoinConjuncts(conj, /*from_where=*/true, &unused));
    }
    return Status::OK();
  }

  Status AddJoinKey(Rel& r, ExprPtr left, ExprPtr right) {
    bool ln = left->type == Type::kInt64 || left->type == Type::kDouble;
    bool rn = right->type == Type::kInt64 || right->type == Type::kDouble;
    if (left->type != right->type && !(ln && rn))
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "JOIN/ON: operator does not exist: {} = {}", TypeName(left->type), TypeName(right->type));
    r.left_keys.push_back(std::move(left));
    r.right_keys.push_back(std::move(right));
    r.key_as_double.push_back(r.left_keys.back()->type != r.right_keys.back()->type);
    return Status::OK();
  }

  Status PlanJoinCondition(const json& j) {
    Rel& r = p_.rels.back();
    int lo = r.offset, hi = r.offset + static_cast<int>(r.info.columns.size());
    std::vector<ExprPtr> filters;
    if (j.contains("usingClause")) {
      for (const json& n : j["usingClause"]) {
        std::string name = sql::StringValue(n);
        int left = -1, right = -1;
        for (int c = 0; c < lo; c++)
          if (p_.scope.columns[c].name == name && !p_.scope.columns[c].merged) {
            if (left >= 0)
              return InvalidArgument(ErrorCode::kAmbiguousColumn,
                                     "common column name \"{}\" appears more than once in left table", name);
            left = c;
          }
        for (int c = lo; c < hi; c++)
          if (p_.scope.columns[c].name == name) right = c;
        if (left < 0 || right < 0)
          return InvalidArgument(ErrorCode::kUndefinedColumn,
                                 "column \"{}\" specified in USING clause does not exist in {} table", name,
                                 left < 0 ? "left" : "right");
        RETURN_IF_ERROR(AddJoinKey(r, sql::MakeColumn(left, name, p_.scope.columns[left].type),
                                   sql::MakeColumn(right, name, p_.scope.columns[right].type)));
        p_.scope.columns[right].merged = true;  // `name` alone means the left copy
      }
    } else if (j.contains("quals")) {
      std::vector<const json*> conj;
      SplitAnd(j["quals"], &conj);
      RETURN_IF_ERROR(PlanJoinConjuncts(conj, /*from_where=*/false, &filters));
    }
    // No equality (CROSS JOIN, ON true, ON a.x < b.y): every pair of rows, then the filter.
    r.join_filter = AndAll(std::move(filters));
    return Status::OK();
  }

  // Sorts conjuncts of the last relation's join condition: an equality between it and the
  // relations before it becomes a hash-join key, the rest go to *filters. From WHERE (a comma
  // join), conjuncts that are not such an equality, or that read later relations, are left to
  // WHERE.
  Status PlanJoinConjuncts(const std::vector<const json*>& conj, bool from_where, std::vector<ExprPtr>* filters) {
    Rel& r = p_.rels.back();
    int lo = r.offset, hi = r.offset + static_cast<int>(r.info.columns.size());
    for (const json* c : conj) {
      if (HasAggregate(*c)) {
        if (from_where) continue;  // WHERE's own check reports it
        return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in JOIN conditions");
      }
      auto bound = sql::BindPredicate(*c, p_.scope);
      if (!bound.ok()) {
        if (from_where) continue;  // reads a relation after this one (or is wrong: WHERE says so)
        return bound.status();
      }
      ExprPtr e = std::move(bound).value();
      if (!ColumnsWithin(*e, 0, hi)) {
        if (from_where) continue;
        return InvalidArgument(ErrorCode::kInvalidColumnReference,
                               "invalid reference in JOIN/ON: {} reads a table joined later", e->ToString());
      }
      if (e->kind == ExprKind::kCompare && e->op == sql::CompareOp::kEq) {
        const ExprPtr &a = e->children[0], &b = e->children[1];
        bool a_right = ColumnsWithin(*a, lo, hi) && !sql::IsConstant(*a);
        bool b_right = ColumnsWithin(*b, lo, hi) && !sql::IsConstant(*b);
        bool a_left = ColumnsWithin(*a, 0, lo) && !sql::IsConstant(*a);
        bool b_left = ColumnsWithin(*b, 0, lo) && !sql::IsConstant(*b);
        if (a_left && b_right) {
          RETURN_IF_ERROR(AddJoinKey(r, a, b));
          continue;
        }
        if (b_left && a_right) {
          RETURN_IF_ERROR(AddJoinKey(r, b, a));
          continue;
        }
      }
      if (!from_where) filters->push_back(e);
    }
    return Status::OK();
  }

  void AddBound(const sql::Expr& col, sql::CompareOp op, const Value& v) {
    int c = col.column;
    if (c >= static_cast<int>(p_.rels[0].info.columns.size()) || v.is_null()) return;
    ColumnBound b;
    b.column = c;
    switch (op) {
      case sql::CompareOp::kEq: b.lo = b.hi = v; break;
      case sql::CompareOp::kLt: b.hi = v; b.hi_inclusive = false; break;
      case sql::CompareOp::kLe: b.hi = v; break;
      case sql::CompareOp::kGt: b.lo = v; b.lo_inclusive = false; break;
      case sql::CompareOp::kGe: b.lo = v; break;
      case sql::CompareOp::kNe: return;
    }
    p_.rels[0].req.bounds.push_back(std::move(b));
  }

  static sql::CompareOp Flip(sql::CompareOp op) {
    switch (op) {
      case sql::CompareOp::kLt: return sql::CompareOp::kGt;
      case sql::CompareOp::kLe: return sql::CompareOp::kGe;
      case sql::CompareOp::kGt: return sql::CompareOp::kLt;
      case sql::CompareOp::kGe: return sql::CompareOp::kLe;
      default: return op;
    }
  }

  // Bounds for skipping data: column ⋈ constant, BETWEEN constants, IN constants.
  void DeriveBounds(const sql::Expr& e) {
    auto constant = [](const ExprPtr& x, Value* v) {
      if (!sql::IsConstant(*x)) return false;
      *v = sql::Eval(*x, nullptr);
      (void)sql::TakeEvalError();
      return !v->is_null();
    };
    Value v, w;
    if (e.kind == ExprKind::kCompare) {
      const ExprPtr &a = e.children[0], &b = e.children[1];
      if (a->kind == ExprKind::kColumn && constant(b, &v)) AddBound(*a, e.op, v);
      else if (b->kind == ExprKind::kColumn && constant(a, &v)) AddBound(*b, Flip(e.op), v);
    } else if (e.kind == ExprKind::kBetween && !e.negated && e.children[0]->kind == ExprKind::kColumn &&
               constant(e.children[1], &v) && constant(e.children[2], &w)) {
      AddBound(*e.children[0], sql::CompareOp::kGe, v);
      AddBound(*e.children[0], sql::CompareOp::kLe, w);
    } else if (e.kind == ExprKind::kIn && !e.negated && e.children[0]->kind == ExprKind::kColumn) {
      Value lo, hi;
      for (size_t i = 1; i < e.children.size(); i++) {
        if (!constant(e.children[i], &v)) return;
        if (lo.is_null() || Value::Compare(v, lo) < 0) lo = v;
        if (hi.is_null() || Value::Compare(v, hi) > 0) hi = v;
      }
      if (lo.is_null()) return;
      AddBound(*e.children[0], sql::CompareOp::kGe, lo);
      AddBound(*e.children[0], sql::CompareOp::kLe, hi);
    } else if (e.kind == ExprKind::kAnd) {
      for (const auto& c : e.children) DeriveBounds(*c);
    }
  }

  Status PlanWhere(const json& s) {
    if (!s.contains("whereClause")) return Status::OK();
    if (HasAggregate(s["whereClause"]))
      return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in WHERE");
    std::vector<const json*> conj;
    SplitAnd(s["whereClause"], &conj);
    std::vector<ExprPtr> scan, rest;
    int first_hi = p_.rels.empty() ? 0 : static_cast<int>(p_.rels[0].info.columns.size());
    for (const json* c : conj) {
      ASSIGN_OR_RETURN(ExprPtr e, sql::BindPredicate(*c, p_.scope));
      if (!p_.rels.empty() && ColumnsWithin(*e, 0, first_hi)) {
        DeriveBounds(*e);
        scan.push_back(e);
      } else {
        rest.push_back(e);
      }
    }
    p_.scan_filter = AndAll(std::move(scan));
    p_.where = AndAll(std::move(rest));
    return Status::OK();
  }

  Status ExpandTargets(const json& list) {
    for (const json& t : list) {
      const json& rt = t.at("ResTarget");
      const json& val = rt.at("val");
      if (val.contains("ColumnRef") && val["ColumnRef"]["fields"].back().contains("A_Star")) {
        const json& fields = val["ColumnRef"]["fields"];
        std::string rel = fields.size() > 1 ? sql::StringValue(fields[fields.size() - 2]) : "";
        bool found = rel.empty();
        if (p_.rels.empty()) return InvalidArgument("SELECT * with no tables specified is not valid");
        for (size_t c = 0; c < p_.scope.columns.size(); c++) {
          const auto& col = p_.scope.columns[c];
          if (!rel.empty() && col.relation != rel) continue;
          if (rel.empty() && col.merged) continue;  // SELECT * shows a USING column once
          found = true;
          // A qualified reference, so that columns of the same name in two tables stay apart.
          json ref = {{"ColumnRef",
                       {{"fields", json::array({{{"String", {{"sval", col.relation}}}}, {{"String", {{"sval", col.name}}}}})}}}};
          synthesized_.push_back(std::make_unique<json>(std::move(ref)));
          targets_.push_back({synthesized_.back().get(), col.name});
        }
        if (!found)
          return InvalidArgument(ErrorCode::kUndefinedTable, "missing FROM-clause entry for table \"{}\"", rel);
        continue;
      }
      targets_.push_back({&val, rt.contains("name") ? rt["name"].get<std::string>() : FigureName(val)});
    }
    return Status::OK();
  }

  Status AddKey(const json& node) {
    if (HasAggregate(node))
      return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in GROUP BY");
    ASSIGN_OR_RETURN(ExprPtr e, sql::BindExpr(node, p_.scope));
    std::string key = e->Key();
    for (const auto& k : p_.key_text)
      if (k == key) return Status::OK();
    p_.keys.push_back(e);
    p_.key_text.push_back(std::move(key));
    return Status::OK();
  }

  Status PlanGroupItem(const json& g) {
    if (g.contains("GroupingSet")) return Unimplemented("GROUPING SETS, ROLLUP and CUBE are not supported");
    if (g.contains("A_Const")) {
      ASSIGN_OR_RETURN(int64_t pos, ConstInt(g, "GROUP BY position"));
      if (pos < 1 || pos > static_cast<int64_t>(targets_.size()))
        return InvalidArgument(ErrorCode::kInvalidColumnReference, "GROUP BY position {} is not in select list", pos);
      return AddKey(*targets_[pos - 1].node);
    }
    // A bare name: an input column first, else an output alias (as PostgreSQL).
    std::string n = sql::ColumnRefName(g);
    if (!n.empty() && g["ColumnRef"]["fields"].size() == 1) {
      bool input = false;
      for (const auto& c : p_.scope.columns) input = input || c.name == n;
      if (!input)
        for (const auto& t : targets_)
          if (t.name == n) return AddKey(*t.node);
    }
    return AddKey(g);
  }

  // Binds an expression evaluated per group: aggregates become columns after the keys; other
  // sub-expressions must be group keys (or constants).
  sql::JsonBindHook PostHook() {
    return [this](const json& node) -> Result<ExprPtr> {
      if (IsAggregateCall(node)) return BindAggregate(node["FuncCall"]);
      if (node.contains("A_Const")) return ExprPtr();
      if (HasAggregate(node)) return ExprPtr();  // bind its parts
      auto bound = sql::BindExpr(node, p_.scope);
      if (!bound.ok()) {
        if (node.contains("ColumnRef")) return bound.status();
        return ExprPtr();
      }
      std::string text = (*bound)->ToString();
      std::string key = (*bound)->Key();
      for (size_t k = 0; k < p_.keys.size(); k++)
        if (p_.key_text[k] == key) return sql::MakeColumn(static_cast<int>(k), text, p_.keys[k]->type);
      if (sql::IsConstant(**bound)) return *bound;
      if (node.contains("ColumnRef"))
        return InvalidArgument(ErrorCode::kGroupingError,
                               "column \"{}\" must appear in the GROUP BY clause or be used in an aggregate function",
                               text);
      return ExprPtr();
    };
  }

  Result<ExprPtr> BindPost(const json& node) {
    sql::JsonBindHook hook = PostHook();
    return sql::BindExpr(node, post_scope_, &hook);
  }

  Result<ExprPtr> BindAggregate(const json& fc) {
    std::string fn = FuncName(fc);
    AggCall a;
    a.spec.distinct = fc.value("agg_distinct", false);
    const json& args = sql::Field(fc, "args");
    bool within = fc.value("agg_within_group", false);
    if (fc.contains("agg_order") && !within)
      return Unimplemented("ORDER BY inside {}() is not supported", fn);
    if (fn == "percentile_cont" || fn == "percentile_disc") {
      if (!within || sql::Field(fc, "agg_order").size() != 1 || args.size() != 1)
        return InvalidArgument("{} takes a quantile and WITHIN GROUP (ORDER BY expression)", fn);
      RETURN_IF_ERROR(ParseQuantiles(args[0], fn, &a.spec));
      const json& sb = fc["agg_order"][0].at("SortBy");
      a.spec.descending = sb.value("sortby_dir", "") == "SORTBY_DESC";
      ASSIGN_OR_RETURN(a.arg, BindAggArg(sb.at("node"), fn));
    } else if (within) {
      return InvalidArgument(ErrorCode::kWrongObjectType,
                             "{} is not an ordered-set aggregate, so it cannot have WITHIN GROUP", fn);
    } else if (fc.value("agg_star", false)) {
      if (fn != "count") return InvalidArgument("{}(*) is not valid; only count(*)", fn);
      a.spec.kind = AggregateKind::kCountStar;
    } else if (fn == "approx_percentile") {
      if (args.size() != 2)
        return InvalidArgument(ErrorCode::kUndefinedFunction,
                               "approx_percentile() takes two arguments (a value and a quantile q or ARRAY[q, ...])");
      RETURN_IF_ERROR(ParseQuantiles(args[1], fn, &a.spec));
      ASSIGN_OR_RETURN(a.arg, BindAggArg(args[0], fn));
    } else {
      if (args.size() != 1) return InvalidArgument(ErrorCode::kUndefinedFunction, "{}() takes one argument", fn);
      ASSIGN_OR_RETURN(a.arg, BindAggArg(args[0], fn));
    }
    if (a.arg) {
      a.spec.arg_types = {a.arg->type};
      RETURN_IF_ERROR(ResolveAggregate(fn, &a.spec));
    }
    if (fc.contains("agg_filter")) {
      if (HasAggregate(fc["agg_filter"]))
        return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in FILTER");
      ASSIGN_OR_RETURN(a.filter, sql::BindPredicate(fc["agg_filter"], p_.scope));
    }
    a.text = fmt::format("{}({}{}{})", fn, a.spec.distinct ? "DISTINCT " : "", a.arg ? a.arg->ToString() : "*",
                         a.filter ? " FILTER " + a.filter->ToString() : "");
    // Identity of the call by bound structure (the text above only names the column).
    a.key = fmt::format("{}|{}|{}|{}|{}|{}|{}", fn, int(a.spec.distinct), a.arg ? a.arg->Key() : "*",
                        a.filter ? a.filter->Key() : "", int(a.spec.quantile_array), int(a.spec.descending),
                        a.spec.quantiles.size());
    for (double q : a.spec.quantiles) a.key += fmt::format(",{}", q);
    size_t idx = p_.aggs.size();
    for (size_t i = 0; i < p_.aggs.size(); i++)
      if (p_.aggs[i].key == a.key) idx = i;
    Type out = a.spec.output_type;
    std::string text = a.text;
    if (idx == p_.aggs.size()) p_.aggs.push_back(std::move(a));
    return sql::MakeColumn(static_cast<int>(p_.keys.size() + idx), text, out);
  }

  Result<ExprPtr> BindAggArg(const json& node, const std::string& fn) {
    if (HasAggregate(node))
      return InvalidArgument(ErrorCode::kGroupingError, "aggregate function calls cannot be nested (in {}())", fn);
    return sql::BindExpr(node, p_.scope);
  }

  Status PlanOrder(const json& sort, bool distinct) {
    for (const json& sbw : sort) {
      const json& sb = sbw.at("SortBy");
      const json& node = sb.at("node");
      bool desc, nulls_first;
      RETURN_IF_ERROR(ParseSortDirection(sb, &desc, &nulls_first));
      int idx = -1;
      if (node.contains("A_Const")) {
        ASSIGN_OR_RETURN(int64_t pos, ConstInt(node, "ORDER BY position"));
        if (pos < 1 || pos > static_cast<int64_t>(p_.visible))
          return InvalidArgument(ErrorCode::kInvalidColumnReference, "ORDER BY position {} is not in select list", pos);
        idx = static_cast<int>(pos - 1);
      } else {
        std::string n = sql::ColumnRefName(node);
        if (!n.empty() && node["ColumnRef"]["fields"].size() == 1) {
          for (size_t i = 0; i < p_.visible; i++)
            if (p_.items[i].name == n) {
              if (idx >= 0 && p_.items[i].expr->Key() != p_.items[idx].expr->Key())
                return InvalidArgument(ErrorCode::kAmbiguousColumn, "ORDER BY \"{}\" is ambiguous", n);
              if (idx < 0) idx = static_cast<int>(i);
            }
        }
        if (idx < 0) {
          ExprPtr e;
          if (p_.aggregate) {
            ASSIGN_OR_RETURN(e, BindPost(node));
          } else {
            ASSIGN_OR_RETURN(e, sql::BindExpr(node, p_.scope));
          }
          std::string text = e->ToString();
          std::string key = e->Key();
          for (size_t i = 0; i < p_.items.size() && idx < 0; i++)
            if (p_.items[i].expr->Key() == key) idx = static_cast<int>(i);
          if (idx < 0) {
            if (distinct)
              return InvalidArgument(ErrorCode::kInvalidColumnReference,
                                     "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
            p_.items.push_back({text, e, e->type});
            idx = static_cast<int>(p_.items.size() - 1);
          }
        }
      }
      p_.order.push_back({idx, desc, nulls_first});
    }
    return Status::OK();
  }

  const RelationProvider& provider_;
  Plan& p_;
  std::vector<Target> targets_;
  std::vector<std::unique_ptr<json>> synthesized_;
  sql::Scope post_scope_;
};

size_t RowBytes(const std::vector<Value>& row) {
  size_t b = 32 + row.size() * sizeof(Value);
  for (const Value& v : row)
    if (!v.is_null() && v.type() == Type::kText) b += v.as_text().size();
  return b;
}

void AppendKey(const Value& v, bool as_double, std::string* key) {
  if (as_double && !v.is_null() && v.type() == Type::kInt64) views::AppendGroupKey(Value::Double(double(v.as_int())), key);
  else views::AppendGroupKey(v, key);
}

struct Group {
  std::vector<Value> keys;
  std::vector<Accumulator> accs;
};

class Executor {
 public:
  // The executor fills the plan's join tables (Rel::rows, Rel::index).
  Executor(Plan& p, const RelationProvider& provider, const QueryLimits& limits, const RowSink* sink)
      : p_(p), provider_(provider), limits_(limits), sink_(sink), start_(MonotonicMicros()) {}

  Result<QueryResult> Run() {
    (void)sql::TakeEvalError();
    for (size_t i = 0; i < p_.visible; i++) out_.columns.push_back({p_.items[i].name, p_.items[i].type});
    out_.stats.raw = true;
    for (const Rel& r : p_.rels) {
      if (!out_.stats.relation.empty()) out_.stats.relation += ", ";
      out_.stats.relation += r.info.name;
    }
    if (sink_ && sink_->begin) RETURN_IF_ERROR(sink_->begin(out_.columns));
    row_.assign(p_.scope.columns.size(), Value());
    probe_keys_.resize(p_.rels.size());
    for (size_t j = 1; j < p_.rels.size(); j++) RETURN_IF_ERROR(Build(j));
    if (p_.aggregate && p_.keys.empty()) NewGroup();  // one row even over no input
    if (p_.rels.empty()) {
      RETURN_IF_ERROR(Probe(1));
    } else {
      const Rel& first = p_.rels[0];
      ScanFn fn = [&](const ingest::RowBatch& batch, const std::vector<int>& cols, bool* stop) -> Status {
        for (size_t r = 0; r < batch.num_rows(); r++) {
          if ((++tick_ & 4095) == 0) RETURN_IF_ERROR(Check());
          for (size_t c = 0; c < cols.size(); c++)
            if (first.req.needed[c] && cols[c] >= 0) row_[c] = batch.column(cols[c]).Get(r);
          if (p_.scan_filter && !sql::EvalPredicate(*p_.scan_filter, row_.data())) continue;
          RETURN_IF_ERROR(Probe(1));
          if (done_) break;
        }
        RETURN_IF_ERROR(Check());
        if (sql::HasEvalError()) return sql::TakeEvalError();
        *stop = done_;
        return Status::OK();
      };
      RETURN_IF_ERROR(provider_.Scan(first.info, first.req, fn, &out_.stats));
    }
    if (p_.aggregate) RETURN_IF_ERROR(EmitGroups());
    RETURN_IF_ERROR(Finish());
    out_.tag = "SELECT " + std::to_string(emitted_);
    out_.stats.elapsed_micros = MonotonicMicros() - start_;
    return std::move(out_);
  }

 private:
  Status Check() {
    if (limits_.cancel && limits_.cancel->load(std::memory_order_relaxed))
      return Cancelled("canceling statement due to user request");
    if (MonotonicMicros() - start_ > limits_.timeout_micros)
      return DeadlineExceeded("canceling statement due to statement timeout: the query ran longer than {} ms ([query] timeout_seconds)",
                              limits_.timeout_micros / 1000);
    return Status::OK();
  }

  Status Charge(size_t bytes, const char* what) {
    mem_ += bytes;
    if (mem_ > limits_.max_memory_bytes)
      return ResourceExhausted("query needs more than {} MiB of memory ([query] max_memory_mb) for {}; "
                               "narrow it with WHERE, LIMIT or fewer groups",
                               limits_.max_memory_bytes >> 20, what);
    return Status::OK();
  }

  // Reads joined relation j into its hash table.
  Status Build(size_t j) {
    Rel& r = p_.rels[j];
    size_t n = r.info.columns.size();
    std::string key;
    ScanFn fn = [&](const ingest::RowBatch& batch, const std::vector<int>& cols, bool*) -> Status {
      for (size_t i = 0; i < batch.num_rows(); i++) {
        if ((++tick_ & 4095) == 0) RETURN_IF_ERROR(Check());
        std::vector<Value> local(n);
        for (size_t c = 0; c < n; c++)
          if (r.req.needed[c] && cols[c] >= 0) local[c] = batch.column(cols[c]).Get(i);
        for (size_t c = 0; c < n; c++) row_[r.offset + c] = local[c];
        key.clear();
        bool null_key = false;
        for (size_t k = 0; k < r.right_keys.size(); k++) {
          Value v = sql::Eval(*r.right_keys[k], row_.data());
          null_key = null_key || v.is_null();
          AppendKey(v, r.key_as_double[k], &key);
        }
        if (null_key) continue;  // NULL never equals anything
        RETURN_IF_ERROR(Charge(RowBytes(local) + key.size() + 16, "a join table"));
        r.index[key].push_back(static_cast<uint32_t>(r.rows.size()));
        r.rows.push_back(std::move(local));
      }
      if (sql::HasEvalError()) return sql::TakeEvalError();
      return Status::OK();
    };
    QueryStats ignored;
    RETURN_IF_ERROR(provider_.Scan(r.info, r.req, fn, &ignored));
    out_.stats.other_rows += ignored.lake_rows + ignored.log_rows + ignored.other_rows;
    return Status::OK();
  }

  // Joins the current row with relations j.. and passes each combination on.
  Status Probe(size_t j) {
    if (j >= p_.rels.size()) return Consume();
    const Rel& r = p_.rels[j];
    std::string& key = probe_keys_[j];  // one buffer per join level: no allocation per row
    key.clear();
    bool null_key = false;
    for (size_t k = 0; k < r.left_keys.size(); k++) {
      Value v = sql::Eval(*r.left_keys[k], row_.data());
      null_key = null_key || v.is_null();
      AppendKey(v, r.key_as_double[k], &key);
    }
    bool matched = false;
    if (!null_key) {
      auto it = r.index.find(key);
      if (it != r.index.end()) {
        for (uint32_t idx : it->second) {
          if ((++tick_ & 4095) == 0) RETURN_IF_ERROR(Check());
          const auto& local = r.rows[idx];
          for (size_t c = 0; c < local.size(); c++) row_[r.offset + c] = local[c];
          if (r.join_filter && !sql::EvalPredicate(*r.join_filter, row_.data())) continue;
          matched = true;
          RETURN_IF_ERROR(Probe(j + 1));
          if (done_) return Status::OK();
        }
      }
    }
    if (!matched && r.left) {
      for (size_t c = 0; c < r.info.columns.size(); c++) row_[r.offset + c] = Value();
      RETURN_IF_ERROR(Probe(j + 1));
    }
    return Status::OK();
  }

  // The value of `e` over the current row: a column's own Value when `e` is a column reference
  // (no copy), else `e` evaluated into *scratch.
  const Value& Ref(const sql::Expr& e, Value* scratch) {
    if (e.kind == sql::ExprKind::kColumn) return row_[static_cast<size_t>(e.column)];
    *scratch = sql::Eval(e, row_.data());
    return *scratch;
  }

  void NewGroup() {
    Group g;
    g.keys = keys_;
    g.accs.resize(p_.aggs.size());
    groups_.push_back(std::move(g));
  }

  Status Consume() {
    if (p_.where && !sql::EvalPredicate(*p_.where, row_.data())) return Status::OK();
    if (!p_.aggregate) {
      std::vector<Value> out(p_.items.size());
      for (size_t i = 0; i < p_.items.size(); i++) out[i] = sql::Eval(*p_.items[i].expr, row_.data());
      return Output(std::move(out));
    }
    uint32_t gi = 0;
    if (!p_.keys.empty()) {
      key_refs_.resize(p_.keys.size());
      scratch_.resize(std::max(scratch_.size(), p_.keys.size()));
      gkey_.clear();
      for (size_t k = 0; k < p_.keys.size(); k++) {
        key_refs_[k] = &Ref(*p_.keys[k], &scratch_[k]);
        views::AppendGroupKey(*key_refs_[k], &gkey_);
      }
      auto [it, inserted] = index_.try_emplace(gkey_, static_cast<uint32_t>(groups_.size()));
      if (inserted) {
        keys_.resize(p_.keys.size());
        for (size_t k = 0; k < p_.keys.size(); k++) keys_[k] = *key_refs_[k];
        RETURN_IF_ERROR(Charge(gkey_.size() * 2 + 64 + RowBytes(keys_) + p_.aggs.size() * sizeof(Accumulator), "groups"));
        NewGroup();
      }
      gi = it->second;
    }
    Group& g = groups_[gi];
    size_t added = 0;
    const Value null;
    Value arg_scratch;
    for (size_t a = 0; a < p_.aggs.size(); a++) {
      const AggCall& call = p_.aggs[a];
      if (call.filter && !sql::EvalPredicate(*call.filter, row_.data())) continue;
      added += g.accs[a].Add(call.spec, call.arg ? Ref(*call.arg, &arg_scratch) : null);
    }
    if (added) RETURN_IF_ERROR(Charge(added, "aggregate state (DISTINCT, percentiles, sketches)"));
    return Status::OK();
  }

  Status EmitGroups() {
    std::vector<Value> post(p_.keys.size() + p_.aggs.size());
    for (Group& g : groups_) {
      if ((++tick_ & 1023) == 0) RETURN_IF_ERROR(Check());
      for (size_t k = 0; k < p_.keys.size(); k++) post[k] = g.keys[k];
      for (size_t a = 0; a < p_.aggs.size(); a++) {
        ASSIGN_OR_RETURN(post[p_.keys.size() + a], g.accs[a].Finalize(p_.aggs[a].spec));
      }
      if (p_.having && !sql::EvalPredicate(*p_.having, post.data())) continue;
      std::vector<Value> out(p_.items.size());
      for (size_t i = 0; i < p_.items.size(); i++) out[i] = sql::Eval(*p_.items[i].expr, post.data());
      RETURN_IF_ERROR(Output(std::move(out)));
      if (done_) break;
    }
    if (sql::HasEvalError()) return sql::TakeEvalError();
    return Status::OK();
  }

  bool Less(const std::vector<Value>& a, const std::vector<Value>& b) const { return RowLess(p_.order, a, b); }

  Status Output(std::vector<Value> row) {
    if (!p_.order.empty()) {
      // ORDER BY ... LIMIT: keep the best rows only. Once `keep` rows are known, a row that does
      // not sort before the last of them (ties: the earlier row stays first) cannot be among them.
      size_t keep = p_.limit >= 0 ? static_cast<size_t>(p_.limit + p_.offset) : 0;
      if (cutoff_ && !Less(row, *cutoff_)) return Status::OK();
      RETURN_IF_ERROR(Charge(RowBytes(row), "sorting"));
      buffer_.push_back(std::move(row));
      if (p_.limit >= 0 && buffer_.size() >= 2 * keep + 1024) {
        std::stable_sort(buffer_.begin(), buffer_.end(), [&](const auto& a, const auto& b) { return Less(a, b); });
        for (size_t i = keep; i < buffer_.size(); i++) mem_ -= std::min(mem_, RowBytes(buffer_[i]));
        buffer_.resize(keep);
        if (keep > 0) cutoff_ = buffer_.back();
      }
      return Status::OK();
    }
    return Emit(std::move(row));
  }

  Status Emit(std::vector<Value> row) {
    // An expression of this row failed: the error, never the row (a sink may have sent earlier ones).
    if (sql::HasEvalError()) return sql::TakeEvalError();
    if (skipped_ < static_cast<size_t>(p_.offset)) {
      skipped_++;
      return Status::OK();
    }
    if (p_.limit >= 0 && emitted_ >= static_cast<size_t>(p_.limit)) {
      done_ = true;
      return Status::OK();
    }
    row.resize(p_.visible);
    emitted_++;
    if (p_.limit >= 0 && emitted_ >= static_cast<size_t>(p_.limit) && p_.order.empty() && !p_.aggregate) done_ = true;
    if (sink_) return sink_->row(std::move(row));
    if (emitted_ > limits_.max_result_rows)
      return ResourceExhausted("the result has more than {} rows ([query] max_result_rows); add LIMIT, aggregate, "
                               "or stream it (\"stream\": true over HTTP; the PostgreSQL protocol streams unless Execute "
                               "fetches the rows in pieces)",
                               limits_.max_result_rows);
    RETURN_IF_ERROR(Charge(RowBytes(row), "result rows"));
    out_.rows.push_back(std::move(row));
    return Status::OK();
  }

  Status Finish() {
    if (p_.order.empty()) return Status::OK();
    std::stable_sort(buffer_.begin(), buffer_.end(), [&](const auto& a, const auto& b) { return Less(a, b); });
    done_ = false;
    for (auto& row : buffer_) {
      RETURN_IF_ERROR(Emit(std::move(row)));
      if (done_) break;
    }
    return Status::OK();
  }

  Plan& p_;
  const RelationProvider& provider_;
  const QueryLimits& limits_;
  const RowSink* sink_;
  int64_t start_;
  QueryResult out_;
  std::vector<Value> row_;
  std::vector<Value> keys_;
  std::vector<std::string> probe_keys_;
  std::string gkey_;
  absl::flat_hash_map<std::string, uint32_t> index_;
  std::vector<Group> groups_;
  std::vector<std::vector<Value>> buffer_;
  std::optional<std::vector<Value>> cutoff_;
  std::vector<const Value*> key_refs_;  // Consume: the current row's group keys
  std::vector<Value> scratch_;          // Consume: computed group keys  // ORDER BY ... LIMIT: the last row kept so far
  size_t mem_ = 0, tick_ = 0, emitted_ = 0, skipped_ = 0;
  bool done_ = false;
};

Result<Plan> MakePlan(const sql::Statement& stmt, const RelationProvider& provider) {
  if (stmt.kind != "SelectStmt") return InvalidArgument("not a query: {}", sql::DescribeKind(stmt.kind));
  Plan p;
  sql::ScopedStatementTime now(NowMicros());  // one now() for the whole statement
  Planner planner(provider, &p);
  RETURN_IF_ERROR(planner.Run(stmt.node.at("SelectStmt")));
  return p;
}

}  // namespace

const char* RelationKindName(RelationKind k) {
  switch (k) {
    case RelationKind::kStream: return "stream";
    case RelationKind::kDimension: return "dimension table";
    case RelationKind::kView: return "view";
    case RelationKind::kSystem: return "system table";
  }
  return "relation";
}

bool IsSingleViewQuery(const sql::Statement& stmt, const catalog::Snapshot& cat) {
  if (stmt.kind != "SelectStmt") return false;
  const json& from = sql::Field(stmt.node.at("SelectStmt"), "fromClause");
  if (from.size() != 1 || !from[0].contains("RangeVar")) return false;
  const json& rv = from[0]["RangeVar"];
  if (rv.contains("schemaname") && rv["schemaname"] != "public") return false;
  return cat.views.count(rv.value("relname", "")) > 0;
}

Status PlanRawSelect(const sql::Statement& stmt, const RelationProvider& provider) {
  return MakePlan(stmt, provider).status();
}

Result<QueryResult> ExecuteRawSelect(const sql::Statement& stmt, const RelationProvider& provider,
                                     const QueryLimits& limits, const RowSink* sink) {
  ASSIGN_OR_RETURN(Plan p, MakePlan(stmt, provider));
  Executor ex(p, provider, limits, sink);
  return ex.Run();
}

}  // namespace laminar::serving
