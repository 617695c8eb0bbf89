// The catalog interpreter's queries (see catalog_interp.h): SELECT, FROM and joins, grouping,
// window functions, set operations, ORDER BY and LIMIT. Expressions are in catalog_expr.cc,
// functions in catalog_functions.cc.
#include "pgwire/catalog_interp.h"

#include <algorithm>
#include <set>

#include "sql/parser.h"

namespace laminar::pgwire::pgcat {

// ---- Parse-tree helpers -----------------------------------------------------------------------

std::vector<std::string> Names(const json& list) {
  std::vector<std::string> out;
  for (const json& n : list) out.push_back(sql::StringValue(n));
  return out;
}

std::pair<std::string, const json*> KindOf(const json& node) {
  if (node.is_object() && node.size() == 1) return {node.begin().key(), &node.begin().value()};
  return {"", &node};
}

std::string Str(const json& b, const char* key) {
  const json& v = sql::Field(b, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

namespace {

const std::set<std::string>& AggregateNames() {
  static const std::set<std::string> kAggs = {"count", "sum", "min", "max", "avg", "string_agg", "array_agg",
                                              "bool_and", "bool_or", "every"};
  return kAggs;
}

// Aggregates PostgreSQL has and the interpreter does not: refused by name, not "unknown function".
const std::set<std::string>& OtherAggregateNames() {
  static const std::set<std::string> kAggs = {"json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg",
                                              "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop",
                                              "var_samp", "bit_and", "bit_or", "xmlagg", "percentile_cont",
                                              "percentile_disc", "mode", "corr", "covar_pop", "covar_samp"};
  return kAggs;
}

bool IsBoolTrue(const json& v) { return v.is_boolean() && v.get<bool>(); }

// Calls of aggregates in `node` at this query level (not inside subqueries or window calls).
void FindAggregates(const json& node, bool* found) {
  if (*found) return;
  if (node.is_array()) {
    for (const json& n : node) FindAggregates(n, found);
    return;
  }
  if (!node.is_object()) return;
  for (const auto& [k, v] : node.items()) {
    if (k == "SubLink") continue;  // a subquery aggregates on its own
    if (k == "FuncCall" && !v.contains("over") && IsAggregateCall(v)) {
      *found = true;
      return;
    }
    FindAggregates(v, found);
  }
}

// Window function calls (FuncCall with OVER) in `node` at this query level.
void FindWindowCalls(const json& node, std::vector<const json*>* out) {
  if (node.is_array()) {
    for (const json& n : node) FindWindowCalls(n, out);
    return;
  }
  if (!node.is_object()) return;
  for (const auto& [k, v] : node.items()) {
    if (k == "SubLink") continue;
    if (k == "FuncCall" && v.contains("over")) {
      out->push_back(&v);
      continue;
    }
    FindWindowCalls(v, out);
  }
}

const char* ClauseName(std::string_view clause) {
  if (clause == "windowClause") return "WINDOW";
  if (clause == "withClause") return "WITH";
  if (clause == "valuesLists") return "VALUES";
  if (clause == "intoClause") return "SELECT INTO";
  return "FOR UPDATE/SHARE";
}

// ORDER BY / GROUP BY n or output_name: the output column; nullopt for an expression.
template <typename NameOf>
Result<std::optional<size_t>> OutputPosition(const json& node, size_t count, NameOf name_of, const char* clause) {
  auto [kind, body] = KindOf(node);
  if (kind == "A_Const" && body->contains("ival")) {
    const json& v = sql::Field(sql::Field(*body, "ival"), "ival");
    int64_t p = v.is_number_integer() ? v.get<int64_t>() : 0;
    if (p < 1 || size_t(p) > count)
      return InvalidArgument(ErrorCode::kInvalidColumnReference, "{} position {} is not in select list", clause, p);
    return std::optional<size_t>(size_t(p - 1));
  }
  if (kind == "ColumnRef") {
    const json& fields = sql::Field(*body, "fields");
    if (fields.size() == 1 && !fields[0].contains("A_Star")) {
      std::string n = sql::StringValue(fields[0]);
      for (size_t k = 0; k < count; k++)
        if (name_of(k) == n) return std::optional<size_t>(k);
    }
  }
  return std::optional<size_t>();
}

// (descending, nulls first) of each SortBy.
std::vector<std::pair<bool, bool>> SortDirections(const json& sorts) {
  std::vector<std::pair<bool, bool>> dirs;
  for (const json& sb : sorts) {
    const json& b = sql::Field(sb, "SortBy");
    bool desc = Str(b, "sortby_dir") == "SORTBY_DESC";
    std::string nulls = Str(b, "sortby_nulls");
    dirs.push_back({desc, nulls == "SORTBY_NULLS_FIRST" || (nulls != "SORTBY_NULLS_LAST" && desc)});
  }
  return dirs;
}

// -1, 0, 1 comparing two sort keys under `dirs`.
int CompareKeys(const std::vector<Datum>& a, const std::vector<Datum>& b, const std::vector<std::pair<bool, bool>>& dirs) {
  for (size_t k = 0; k < dirs.size() && k < a.size(); k++) {
    if (a[k].null || b[k].null) {
      if (a[k].null && b[k].null) continue;
      return a[k].null == dirs[k].second ? -1 : 1;
    }
    int c = SortCompare(a[k], b[k]);
    if (c != 0) return dirs[k].first ? -c : c;
  }
  return 0;
}

// Sorts rows by their keys (stable).
void SortRows(std::vector<std::vector<Datum>>* rows, std::vector<std::vector<Datum>>* keys, const json& sorts) {
  if (sorts.empty()) return;
  std::vector<size_t> order(rows->size());
  for (size_t k = 0; k < order.size(); k++) order[k] = k;
  auto dirs = SortDirections(sorts);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return CompareKeys((*keys)[x], (*keys)[y], dirs) < 0; });
  std::vector<std::vector<Datum>> sorted;
  for (size_t k : order) sorted.push_back(std::move((*rows)[k]));
  *rows = std::move(sorted);
}

std::vector<std::optional<std::string>> RowText(const std::vector<Datum>& row) {
  std::vector<std::optional<std::string>> text;
  for (const Datum& d : row) text.push_back(ToText(d));
  return text;
}

}  // namespace

bool IsAggregateCall(const json& b) {
  auto names = Names(sql::Field(b, "funcname"));
  if (names.empty() || names.size() > 2 || (names.size() == 2 && names[0] != "pg_catalog")) return false;
  return b.contains("agg_star") || AggregateNames().count(names.back()) || OtherAggregateNames().count(names.back());
}

bool SameExpr(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    size_t na = 0, nb = 0;
    for (const auto& [k, v] : a.items()) {
      if (k == "location") continue;
      na++;
      auto it = b.find(k);
      if (it == b.end() || !SameExpr(v, *it)) return false;
    }
    for (const auto& [k, v] : b.items()) nb += k != "location";
    return na == nb;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t k = 0; k < a.size(); k++)
      if (!SameExpr(a[k], b[k])) return false;
    return true;
  }
  return a == b;
}

int SortCompare(const Datum& a, const Datum& b) {
  Cat ca = CatOf(a.type), cb = CatOf(b.type);
  bool na = ca == Cat::kInt || ca == Cat::kFloat || ca == Cat::kBool;
  bool nb = cb == Cat::kInt || cb == Cat::kFloat || cb == Cat::kBool;
  if (na && nb) {
    if (ca != Cat::kFloat && cb != Cat::kFloat) return a.i < b.i ? -1 : a.i > b.i;
    double x = ca == Cat::kFloat ? a.f : double(a.i), y = cb == Cat::kFloat ? b.f : double(b.i);
    return x < y ? -1 : x > y;
  }
  std::string x = ToText(a).value_or(""), y = ToText(b).value_or("");
  return x.compare(y) < 0 ? -1 : x.compare(y) > 0;
}

Status TooMany() { return ResourceExhausted("catalog query: more than {} intermediate rows", kMaxRows); }

// ---- SELECT -----------------------------------------------------------------------------------

Evaluator::Evaluator(const catalog::Snapshot& snap, const CatalogContext& ctx)
    : rels_(Relations(snap)), ctx_(ctx), settings_(ctx.settings) {}

const VTable* Evaluator::Keep(std::unique_ptr<VTable> t) {
  temp_tables_.push_back(std::move(t));
  return temp_tables_.back().get();
}

Result<Relation> Evaluator::Select(const json& s, const Scope* outer) {
  std::string op = Str(s, "op");
  if (!op.empty() && op != "SETOP_NONE") return SetOperation(s, op, outer);
  for (const char* clause : {"windowClause", "withClause", "valuesLists", "intoClause", "lockingClause"}) {
    if (s.contains(clause)) return Unimplemented("catalog query: {} is not supported", ClauseName(clause));
  }
  bool distinct = false;
  if (s.contains("distinctClause")) {
    for (const json& d : sql::Field(s, "distinctClause"))
      if (!d.empty()) return Unimplemented("catalog query: DISTINCT ON is not supported");
    distinct = true;
  }
  const json& targets = sql::Field(s, "targetList");
  const json& where = sql::Field(s, "whereClause");
  const json& groups = sql::Field(s, "groupClause");
  const json& having = sql::Field(s, "havingClause");
  const json& sorts = sql::Field(s, "sortClause");
  bool where_aggregates = false;
  FindAggregates(where, &where_aggregates);
  if (where_aggregates)
    return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in WHERE");

  // FROM: the cross product of its items.
  FromResult from;
  from.rows.push_back({});
  for (const json& item : sql::Field(s, "fromClause")) {
    ASSIGN_OR_RETURN(FromResult next, From(item, outer));
    FromResult joined;
    joined.entries = from.entries;
    joined.entries.insert(joined.entries.end(), next.entries.begin(), next.entries.end());
    joined.has_using = from.has_using || next.has_using;
    if (from.rows.size() * next.rows.size() > kMaxJoinPairs) return TooMany();
    for (const JoinedRow& a : from.rows) {
      for (const JoinedRow& b : next.rows) {
        JoinedRow r = a;
        r.insert(r.end(), b.begin(), b.end());
        joined.rows.push_back(std::move(r));
        if (joined.rows.size() > kMaxRows) return TooMany();
      }
    }
    from = std::move(joined);
  }

  // The output columns (* expanded).
  struct OutItem {
    std::string name;
    const json* expr = nullptr;
    size_t entry = 0, col = 0;  // when expr is null: a column of a FROM item
  };
  std::vector<OutItem> items;
  for (const json& t : targets) {
    const json& rt = sql::Field(t, "ResTarget");
    const json& val = sql::Field(rt, "val");
    const json& fields = sql::Field(sql::Field(val, "ColumnRef"), "fields");
    if (!fields.empty() && fields.back().contains("A_Star")) {
      std::string qual = fields.size() >= 2 ? sql::StringValue(fields[fields.size() - 2]) : "";
      if (qual.empty() && from.has_using) return Unimplemented("catalog query: SELECT * over JOIN ... USING is not supported");
      bool any = false;
      for (size_t e = 0; e < from.entries.size(); e++) {
        if (!qual.empty() && from.entries[e].alias != qual) continue;
        any = true;
        for (size_t c = 0; c < from.entries[e].cols.size(); c++) items.push_back({from.entries[e].cols[c].name, nullptr, e, c});
      }
      if (!any) {
        if (qual.empty()) return InvalidArgument("SELECT * with no tables specified is not valid");
        return InvalidArgument(ErrorCode::kUndefinedTable, "missing FROM-clause entry for table \"{}\"", qual);
      }
      continue;
    }
    std::string name = sql::Field(rt, "name").is_string() ? sql::Field(rt, "name").get<std::string>() : FigureName(val);
    items.push_back({std::move(name), &val});
  }

  // WHERE.
  std::vector<const JoinedRow*> kept;
  for (const JoinedRow& row : from.rows) {
    if (!where.is_null()) {
      Scope scope{&from.entries, &row, outer};
      ASSIGN_OR_RETURN(Datum w, Eval(where, scope));
      ASSIGN_OR_RETURN(bool keep, Truth(w, "WHERE"));
      if (!keep) continue;
    }
    kept.push_back(&row);
  }

  // The output units: one per kept row, or one per group of a grouped query.
  bool grouped = !groups.empty() || !having.is_null();
  FindAggregates(targets, &grouped);
  FindAggregates(having, &grouped);
  FindAggregates(sorts, &grouped);
  std::vector<GroupState> group_states;
  std::vector<Scope> units;
  const JoinedRow null_row(from.entries.size(), nullptr);
  if (grouped) {
    std::vector<const json*> key_exprs;
    for (const json& g : groups) {
      auto [gk, gb] = KindOf(g);
      if (gk == "GroupingSet") return Unimplemented("catalog query: GROUPING SETS, ROLLUP and CUBE are not supported");
      // A position or an output name that is not an input column names a select-list item.
      ASSIGN_OR_RETURN(std::optional<size_t> pos, OutputPosition(g, items.size(), [&](size_t k) { return items[k].name; }, "GROUP BY"));
      if (pos && gk == "ColumnRef") {
        Scope probe{&from.entries, &null_row, nullptr};
        if (Column(sql::Field(*gb, "fields"), probe).ok()) pos.reset();
      }
      if (pos) {
        if (!items[*pos].expr) return Unimplemented("catalog query: GROUP BY a * column is not supported");
        key_exprs.push_back(items[*pos].expr);
      } else {
        key_exprs.push_back(&g);
      }
    }
    std::map<std::vector<std::optional<std::string>>, size_t> index;
    for (const JoinedRow* row : kept) {
      Scope scope{&from.entries, row, outer};
      std::vector<Datum> key;
      for (const json* e : key_exprs) {
        ASSIGN_OR_RETURN(Datum d, Eval(*e, scope));
        key.push_back(std::move(d));
      }
      auto [it, added] = index.emplace(RowText(key), group_states.size());
      if (added) {
        if (group_states.size() >= kMaxRows) return TooMany();
        group_states.push_back({key_exprs, std::move(key), {}});
      }
      group_states[it->second].rows.push_back(row);
    }
    if (groups.empty() && group_states.empty()) group_states.push_back({key_exprs, {}, {}});  // one group, over no rows
    for (const GroupState& g : group_states)
      units.push_back(Scope{&from.entries, g.rows.empty() ? &null_row : g.rows.front(), outer, &g});
    if (!having.is_null()) {
      std::vector<Scope> passing;
      for (const Scope& u : units) {
        ASSIGN_OR_RETURN(Datum h, Eval(having, u));
        ASSIGN_OR_RETURN(bool keep, Truth(h, "HAVING"));
        if (keep) passing.push_back(u);
      }
      units = std::move(passing);
    }
  } else {
    for (const JoinedRow* row : kept) units.push_back(Scope{&from.entries, row, outer});
  }

  // Window functions, then the output rows and their sort keys.
  std::vector<const json*> window_calls;
  FindWindowCalls(targets, &window_calls);
  FindWindowCalls(sorts, &window_calls);
  ASSIGN_OR_RETURN(WindowValues windows, Windows(window_calls, units));
  Relation out;
  std::vector<std::vector<Datum>> keys;
  std::set<std::vector<std::optional<std::string>>> seen;
  for (size_t u = 0; u < units.size(); u++) {
    Scope scope = units[u];
    scope.windows = &windows;
    scope.unit = u;
    std::vector<Datum> values;
    for (const OutItem& item : items) {
      if (item.expr) {
        ASSIGN_OR_RETURN(Datum d, Eval(*item.expr, scope));
        values.push_back(std::move(d));
      } else {
        if (grouped) return Unimplemented("catalog query: * in a grouped query is not supported");
        const auto* r = (*scope.row)[item.entry];
        values.push_back(r ? (*r)[item.col] : Null(from.entries[item.entry].cols[item.col].type_oid));
      }
    }
    if (distinct && !seen.insert(RowText(values)).second) continue;
    std::vector<Datum> key;
    for (const json& sb : sorts) {
      const json& node = sql::Field(sql::Field(sb, "SortBy"), "node");
      ASSIGN_OR_RETURN(std::optional<size_t> pos,
                       OutputPosition(node, items.size(), [&](size_t k) { return items[k].name; }, "ORDER BY"));
      if (pos) {
        key.push_back(values[*pos]);
      } else {
        ASSIGN_OR_RETURN(Datum d, Eval(node, scope));
        key.push_back(std::move(d));
      }
    }
    out.rows.push_back(std::move(values));
    keys.push_back(std::move(key));
  }
  for (size_t k = 0; k < items.size(); k++) {
    uint32_t type = kOidUnknown;
    for (const auto& r : out.rows) {
      if (r[k].type != kOidUnknown) {
        type = r[k].type;
        break;
      }
    }
    if (type == kOidUnknown)
      type = items[k].expr ? StaticType(*items[k].expr, from.entries) : from.entries[items[k].entry].cols[items[k].col].type_oid;
    out.cols.push_back({items[k].name, type == kOidUnknown ? kOidText : type});
  }
  SortRows(&out.rows, &keys, sorts);
  RETURN_IF_ERROR(Limit(s, &out.rows));
  return out;
}

Result<Relation> Evaluator::SetOperation(const json& s, const std::string& op, const Scope* outer) {
  if (op != "SETOP_UNION") return Unimplemented("catalog query: {} is not supported", op == "SETOP_INTERSECT" ? "INTERSECT" : "EXCEPT");
  ASSIGN_OR_RETURN(Relation left, Select(sql::Field(s, "larg"), outer));
  ASSIGN_OR_RETURN(Relation right, Select(sql::Field(s, "rarg"), outer));
  if (left.cols.size() != right.cols.size())
    return InvalidArgument(ErrorCode::kSyntaxError, "each UNION query must have the same number of columns");
  Relation out;
  out.cols = left.cols;
  for (size_t k = 0; k < out.cols.size(); k++)
    if (left.rows.empty() && out.cols[k].type_oid == kOidText) out.cols[k].type_oid = right.cols[k].type_oid;
  bool all = IsBoolTrue(sql::Field(s, "all"));
  std::set<std::vector<std::optional<std::string>>> seen;
  for (Relation* part : {&left, &right}) {
    for (auto& row : part->rows) {
      if (!all && !seen.insert(RowText(row)).second) continue;
      out.rows.push_back(std::move(row));
    }
  }
  const json& sorts = sql::Field(s, "sortClause");
  std::vector<std::vector<Datum>> keys;
  for (const auto& row : out.rows) {
    std::vector<Datum> key;
    for (const json& sb : sorts) {
      const json& node = sql::Field(sql::Field(sb, "SortBy"), "node");
      ASSIGN_OR_RETURN(std::optional<size_t> pos,
                       OutputPosition(node, out.cols.size(), [&](size_t k) { return out.cols[k].name; }, "ORDER BY"));
      if (!pos) return Unimplemented("catalog query: ORDER BY over a UNION must name an output column");
      key.push_back(row[*pos]);
    }
    keys.push_back(std::move(key));
  }
  SortRows(&out.rows, &keys, sorts);
  RETURN_IF_ERROR(Limit(s, &out.rows));
  return out;
}

Status Evaluator::Limit(const json& s, std::vector<std::vector<Datum>>* rows) {
  std::string option = Str(s, "limitOption");
  if (option == "LIMIT_OPTION_WITH_TIES") return Unimplemented("catalog query: FETCH ... WITH TIES is not supported");
  Scope none;
  int64_t offset = 0, count = -1;
  if (const json& o = sql::Field(s, "limitOffset"); !o.is_null()) {
    ASSIGN_OR_RETURN(Datum d, Eval(o, none));
    ASSIGN_OR_RETURN(d, Cast(d, kOidInt8));
    if (!d.null) offset = std::max<int64_t>(0, d.i);
  }
  if (const json& c = sql::Field(s, "limitCount"); !c.is_null()) {
    ASSIGN_OR_RETURN(Datum d, Eval(c, none));
    ASSIGN_OR_RETURN(d, Cast(d, kOidInt8));
    if (!d.null) {
      if (d.i < 0) return InvalidArgument(ErrorCode::kInvalidRowCountInLimitClause, "LIMIT must not be negative");
      count = d.i;
    }
  }
  if (offset > 0) rows->erase(rows->begin(), rows->begin() + std::min<int64_t>(offset, int64_t(rows->size())));
  if (count >= 0 && size_t(count) < rows->size()) rows->resize(size_t(count));
  return Status::OK();
}

// ---- Window functions -------------------------------------------------------------------------

Result<WindowValues> Evaluator::Windows(const std::vector<const json*>& calls, const std::vector<Scope>& units) {
  WindowValues out;
  for (const json* call : calls) {
    const json& b = *call;
    auto names = Names(sql::Field(b, "funcname"));
    std::string f = names.empty() ? "" : names.back();
    const json& over = sql::Field(b, "over");
    if (f != "row_number" && f != "rank" && f != "dense_rank")
      return Unimplemented("catalog query: window function {} is not supported (row_number, rank and dense_rank are)", f);
    if (names.size() > 2 || (names.size() == 2 && names[0] != "pg_catalog"))
      return Unimplemented("catalog query: function {} is not supported", fmt::join(names, "."));
    if (!sql::Field(b, "args").empty())
      return InvalidArgument(ErrorCode::kUndefinedFunction, "function {} takes no arguments", f);
    if (over.contains("name") || over.contains("refname"))
      return Unimplemented("catalog query: named windows are not supported");
    // Each unit's partition key and order key.
    const json& partition = sql::Field(over, "partitionClause");
    const json& order = sql::Field(over, "orderClause");
    std::vector<std::vector<Datum>> part_keys, order_keys;
    for (const Scope& u : units) {
      std::vector<Datum> pk, ok;
      for (const json& p : partition) {
        ASSIGN_OR_RETURN(Datum d, Eval(p, u));
        pk.push_back(std::move(d));
      }
      for (const json& sb : order) {
        ASSIGN_OR_RETURN(Datum d, Eval(sql::Field(sql::Field(sb, "SortBy"), "node"), u));
        ok.push_back(std::move(d));
      }
      part_keys.push_back(std::move(pk));
      order_keys.push_back(std::move(ok));
    }
    // Partitions in order of first appearance, each sorted by the window's ORDER BY.
    std::map<std::vector<std::optional<std::string>>, std::vector<size_t>> partitions;
    for (size_t u = 0; u < units.size(); u++) partitions[RowText(part_keys[u])].push_back(u);
    auto dirs = SortDirections(order);
    std::vector<Datum> values(units.size());
    for (auto& [key, members] : partitions) {
      std::stable_sort(members.begin(), members.end(),
                       [&](size_t x, size_t y) { return CompareKeys(order_keys[x], order_keys[y], dirs) < 0; });
      int64_t rank = 0, dense = 0;
      for (size_t k = 0; k < members.size(); k++) {
        bool peer = k > 0 && CompareKeys(order_keys[members[k - 1]], order_keys[members[k]], dirs) == 0;
        if (!peer) {
          rank = int64_t(k) + 1;
          dense++;
        }
        int64_t v = f == "row_number" ? int64_t(k) + 1 : f == "rank" ? rank : dense;
        values[members[k]] = Int(v, kOidInt8);
      }
    }
    out[call] = std::move(values);
  }
  return out;
}

// ---- Aggregates -------------------------------------------------------------------------------

Result<Datum> Evaluator::Aggregate(const json& b, const std::string& f, const Scope& scope) {
  if (!AggregateNames().count(f) && !b.contains("agg_star"))
    return Unimplemented("catalog query: aggregate function {} is not supported", f);
  if (!scope.group)
    return InvalidArgument(ErrorCode::kGroupingError, "aggregate function calls cannot be nested or used here ({})", f);
  if (b.contains("agg_within_group")) return Unimplemented("catalog query: WITHIN GROUP is not supported");
  if (b.contains("func_variadic")) return Unimplemented("catalog query: VARIADIC is not supported");
  const json& args = sql::Field(b, "args");
  bool star = b.contains("agg_star");
  if (star && f != "count") return InvalidArgument("{}(*) must be used to call a parameterless aggregate function", f);
  size_t want = star ? 0 : f == "string_agg" ? 2 : 1;
  if (args.size() != want)
    return InvalidArgument(ErrorCode::kUndefinedFunction,
                           "function {} with {} arguments does not exist", f, args.size());
  const json& filter = sql::Field(b, "agg_filter");
  const json& order = sql::Field(b, "agg_order");
  bool distinct = b.contains("agg_distinct");

  // The inputs: one tuple of argument values per row that passes FILTER, ordered by ORDER BY.
  std::vector<std::vector<Datum>> inputs, keys;
  for (const JoinedRow* row : scope.group->rows) {
    Scope rs{scope.entries, row, scope.outer};
    if (!filter.is_null()) {
      ASSIGN_OR_RETURN(Datum w, Eval(filter, rs));
      ASSIGN_OR_RETURN(bool keep, Truth(w, "FILTER"));
      if (!keep) continue;
    }
    std::vector<Datum> vals, key;
    for (const json& a : args) {
      ASSIGN_OR_RETURN(Datum d, Eval(a, rs));
      if (d.type == kOidUnknown && !d.null) d.type = kOidText;
      vals.push_back(std::move(d));
    }
    for (const json& sb : order) {
      ASSIGN_OR_RETURN(Datum d, Eval(sql::Field(sql::Field(sb, "SortBy"), "node"), rs));
      key.push_back(std::move(d));
    }
    inputs.push_back(std::move(vals));
    keys.push_back(std::move(key));
  }
  SortRows(&inputs, &keys, order);
  if (distinct) {
    std::set<std::vector<std::optional<std::string>>> seen;
    std::vector<std::vector<Datum>> unique;
    for (auto& in : inputs) {
      if (seen.insert({ToText(in[0])}).second) unique.push_back(std::move(in));
    }
    inputs = std::move(unique);
  }

  uint32_t arg_type = star ? kOidInt8 : StaticType(args[0], *scope.entries);
  for (const auto& in : inputs)
    if (!in.empty() && !in[0].null) arg_type = in[0].type;
  if (f == "count") {
    int64_t n = 0;
    for (const auto& in : inputs) n += star || !in[0].null;
    return Int(n, kOidInt8);
  }
  if (f == "string_agg") {
    if (CatOf(arg_type) != Cat::kText)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "function string_agg({}, text) does not exist", FormatTypeName(arg_type));
    std::optional<std::string> out;
    for (const auto& in : inputs) {
      if (in[0].null) continue;
      if (out) out->append(ToText(in[1]).value_or(""));
      out = out.value_or("") + in[0].s;
    }
    return out ? Text(*out) : Null(kOidText);
  }
  if (f == "array_agg") {
    uint32_t array = ArrayTypeOf(arg_type);
    if (!array) return Unimplemented("catalog query: array_agg({}) is not supported", FormatTypeName(arg_type));
    if (inputs.empty()) return Null(array);
    std::vector<std::optional<std::string>> elems;
    for (const auto& in : inputs) elems.push_back(ToText(in[0]));
    return Array(std::move(elems), array);
  }
  if (f == "bool_and" || f == "bool_or" || f == "every") {
    std::optional<bool> acc;
    for (const auto& in : inputs) {
      if (in[0].null) continue;
      ASSIGN_OR_RETURN(bool v, Truth(in[0], f.c_str()));
      acc = f == "bool_or" ? (acc.value_or(false) || v) : (acc.value_or(true) && v);
    }
    return acc ? Bool(*acc) : Null(kOidBool);
  }
  if (f == "min" || f == "max") {
    std::optional<Datum> best;
    for (const auto& in : inputs) {
      if (in[0].null) continue;
      if (CatOf(in[0].type) == Cat::kArray || CatOf(in[0].type) == Cat::kOther)
        return Unimplemented("catalog query: {}({}) is not supported", f, FormatTypeName(in[0].type));
      if (!best) {
        best = in[0];
        continue;
      }
      ASSIGN_OR_RETURN(int c, Compare(in[0], *best));
      if (f == "min" ? c < 0 : c > 0) best = in[0];
    }
    return best ? *best : Null(arg_type);
  }
  // sum, avg: numbers only.
  Cat cat = CatOf(arg_type);
  if ((cat != Cat::kInt && cat != Cat::kFloat) || IsRegType(arg_type) || arg_type == kOidOid)
    return InvalidArgument(ErrorCode::kUndefinedFunction,
                           "function {}({}) does not exist", f, FormatTypeName(arg_type));
  bool ints = cat == Cat::kInt;
  int64_t isum = 0;
  double fsum = 0;
  size_t n = 0;
  for (const auto& in : inputs) {
    if (in[0].null) continue;
    n++;
    if (ints) {
      if (__builtin_add_overflow(isum, in[0].i, &isum))
        return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "bigint out of range");
    } else {
      fsum += in[0].f;
    }
  }
  if (f == "sum") {
    if (n == 0) return Null(ints ? kOidInt8 : arg_type);
    return ints ? Int(isum, kOidInt8) : Float(fsum, arg_type);
  }
  if (n == 0) return Null(ints ? kOidNumeric : kOidFloat8);
  return ints ? Float(double(isum) / double(n), kOidNumeric) : Float(fsum / double(n), arg_type == kOidNumeric ? kOidNumeric : kOidFloat8);
}

// ---- FROM -------------------------------------------------------------------------------------

Result<const VTable*> Evaluator::Table(const json& rv) {
  std::string schema = Str(rv, "schemaname"), name = Str(rv, "relname");
  if (!Str(rv, "catalogname").empty()) return Unimplemented("catalog query: cross-database references are not supported");
  if (schema == "information_schema") {
    if (!IsVirtualTable(schema, name))
      return Unimplemented("catalog query: information_schema.{} is not supported by Laminar's catalog emulation", name);
  } else if (!schema.empty() && schema != "pg_catalog") {
    return Unimplemented("catalog query: relation \"{}.{}\" cannot be read together with pg_catalog; query it on its own",
                         schema, name);
  } else if (!IsVirtualTable("pg_catalog", name)) {
    for (const RelInfo& r : rels_)
      if (r.name == name && schema.empty())
        return Unimplemented("catalog query: relation \"{}\" cannot be read together with pg_catalog; query it on its own", name);
    return Unimplemented("catalog query: pg_catalog.{} is not supported by Laminar's catalog emulation", name);
  } else {
    schema = "pg_catalog";
  }
  std::string key = schema + "." + name;
  auto it = tables_.find(key);
  if (it == tables_.end()) it = tables_.emplace(key, BuildTable(schema, name, rels_, ctx_)).first;
  return it->second.get();
}

namespace {

// Applies `alias`'s column names to the entry's first columns.
Status RenameColumns(const json& alias, RangeEntry* e) {
  auto colnames = Names(sql::Field(alias, "colnames"));
  if (colnames.size() > e->cols.size())
    return InvalidArgument(ErrorCode::kInvalidColumnReference,
                           "table \"{}\" has {} columns available but {} columns specified", e->alias, e->cols.size(),
                           colnames.size());
  for (size_t k = 0; k < colnames.size(); k++) e->cols[k].name = colnames[k];
  return Status::OK();
}

FromResult OneEntry(RangeEntry e, const VTable* t) {
  FromResult r;
  e.hidden.assign(e.cols.size(), false);
  r.entries.push_back(std::move(e));
  for (const auto& row : t->rows) r.rows.push_back({&row});
  return r;
}

}  // namespace

Result<FromResult> Evaluator::FromTable(const json& b) {
  ASSIGN_OR_RETURN(const VTable* t, Table(b));
  std::string alias = Str(sql::Field(b, "alias"), "aliasname");
  RangeEntry e{alias.empty() ? t->name : alias, t->cols, {}, true};
  RETURN_IF_ERROR(RenameColumns(sql::Field(b, "alias"), &e));
  return OneEntry(std::move(e), t);
}

Result<FromResult> Evaluator::FromSubquery(const json& b, const Scope* outer) {
  if (IsBoolTrue(sql::Field(b, "lateral"))) return Unimplemented("catalog query: LATERAL is not supported");
  const json& sub = sql::Field(sql::Field(b, "subquery"), "SelectStmt");
  if (sub.is_null()) return Unimplemented("catalog query: this subquery in FROM is not supported");
  ASSIGN_OR_RETURN(Relation rel, Select(sub, outer));
  auto t = std::make_unique<VTable>();
  std::string alias = Str(sql::Field(b, "alias"), "aliasname");
  t->name = alias.empty() ? "unnamed_subquery" : alias;
  t->cols = std::move(rel.cols);
  t->rows = std::move(rel.rows);
  const VTable* kept = Keep(std::move(t));
  RangeEntry e{kept->name, kept->cols, {}, false};
  RETURN_IF_ERROR(RenameColumns(sql::Field(b, "alias"), &e));
  return OneEntry(std::move(e), kept);
}

Result<FromResult> Evaluator::FromFunction(const json& b, const Scope* outer) {
  if (IsBoolTrue(sql::Field(b, "lateral"))) return Unimplemented("catalog query: LATERAL is not supported");
  if (IsBoolTrue(sql::Field(b, "is_rowsfrom"))) return Unimplemented("catalog query: ROWS FROM is not supported");
  if (b.contains("coldeflist")) return Unimplemented("catalog query: a column definition list is not supported");
  const json& functions = sql::Field(b, "functions");
  const json& items = functions.size() == 1 ? sql::Field(sql::Field(functions[0], "List"), "items") : json();
  const json& call = items.empty() ? json() : sql::Field(items[0], "FuncCall");
  if (call.is_null()) return Unimplemented("catalog query: this function in FROM is not supported");
  auto names = Names(sql::Field(call, "funcname"));
  std::string f = names.empty() ? "" : names.back();
  if (names.size() > 2 || (names.size() == 2 && names[0] != "pg_catalog") || (f != "unnest" && f != "generate_series"))
    return Unimplemented("catalog query: function {} in FROM is not supported (unnest and generate_series are)",
                         fmt::join(names, "."));
  for (const char* k : {"agg_star", "agg_distinct", "over", "agg_order", "agg_filter", "func_variadic"})
    if (call.contains(k)) return Unimplemented("catalog query: this call of {} is not supported", f);
  Scope scope{nullptr, nullptr, outer};
  std::vector<Datum> args;
  for (const json& a : sql::Field(call, "args")) {
    ASSIGN_OR_RETURN(Datum d, Eval(a, scope));
    args.push_back(std::move(d));
  }
  auto t = std::make_unique<VTable>();
  std::string alias = Str(sql::Field(b, "alias"), "aliasname");
  t->name = alias.empty() ? f : alias;
  if (f == "unnest") {
    if (args.size() != 1)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "function unnest with {} arguments does not exist", args.size());
    const Datum& arr = args[0];
    if (!arr.null && CatOf(arr.type) != Cat::kArray)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "function unnest({}) does not exist", FormatTypeName(arr.type));
    uint32_t elem = arr.null ? kOidText : ElementType(arr.type);
    t->cols.push_back({t->name, elem});
    if (!arr.null) {
      for (const auto& e : arr.elems) {
        ASSIGN_OR_RETURN(Datum d, Cast(e ? Text(*e, kOidUnknown) : Null(), elem));
        t->rows.push_back({std::move(d)});
      }
    }
  } else {
    if (args.size() != 2 && args.size() != 3)
      return InvalidArgument(ErrorCode::kUndefinedFunction,
                             "function generate_series with {} arguments does not exist", args.size());
    bool int8 = false;
    for (Datum& a : args) {
      if (a.type == kOidUnknown && !a.null)
        return InvalidArgument(ErrorCode::kAmbiguousFunction, "function generate_series(unknown, ...) is not unique");
      if (!a.null && (CatOf(a.type) != Cat::kInt || IsRegType(a.type) || a.type == kOidOid))
        return Unimplemented("catalog query: generate_series over {} is not supported (integers are)", FormatTypeName(a.type));
      int8 = int8 || a.type == kOidInt8;
    }
    uint32_t type = int8 ? kOidInt8 : kOidInt4;
    t->cols.push_back({t->name, type});
    bool any_null = std::any_of(args.begin(), args.end(), [](const Datum& a) { return a.null; });
    if (!any_null) {
      int64_t from = args[0].i, to = args[1].i, step = args.size() == 3 ? args[2].i : 1;
      if (step == 0) return InvalidArgument(ErrorCode::kInvalidParameterValue, "step size cannot equal zero");
      int64_t v = from;
      while (step > 0 ? v <= to : v >= to) {
        if (t->rows.size() >= kMaxRows) return TooMany();
        t->rows.push_back({Int(v, type)});
        if (__builtin_add_overflow(v, step, &v)) break;
      }
    }
  }
  if (IsBoolTrue(sql::Field(b, "ordinality"))) {
    t->cols.push_back({"ordinality", kOidInt8});
    for (size_t k = 0; k < t->rows.size(); k++) t->rows[k].push_back(Int(int64_t(k) + 1, kOidInt8));
  }
  const VTable* kept = Keep(std::move(t));
  RangeEntry e{kept->name, kept->cols, {}, false};
  RETURN_IF_ERROR(RenameColumns(sql::Field(b, "alias"), &e));
  return OneEntry(std::move(e), kept);
}

Result<FromResult> Evaluator::Join(const json& b, const Scope* outer) {
  std::string type = Str(b, "jointype");
  if (type != "JOIN_INNER" && type != "JOIN_LEFT")
    return Unimplemented("catalog query: {} is not supported", type == "JOIN_RIGHT" ? "RIGHT JOIN" : type == "JOIN_FULL" ? "FULL JOIN" : type);
  if (IsBoolTrue(sql::Field(b, "isNatural"))) return Unimplemented("catalog query: NATURAL JOIN is not supported");
  if (b.contains("alias") || b.contains("join_using_alias")) return Unimplemented("catalog query: an alias on a JOIN is not supported");
  ASSIGN_OR_RETURN(FromResult left, From(sql::Field(b, "larg"), outer));
  ASSIGN_OR_RETURN(FromResult right, From(sql::Field(b, "rarg"), outer));
  FromResult r;
  r.entries = left.entries;
  r.entries.insert(r.entries.end(), right.entries.begin(), right.entries.end());
  r.has_using = left.has_using || right.has_using;

  // USING (a, b): equality of the columns of each side; the right one is merged into the left.
  std::vector<std::pair<std::pair<size_t, size_t>, std::pair<size_t, size_t>>> using_cols;  // (entry, col) pairs
  for (const std::string& name : Names(sql::Field(b, "usingClause"))) {
    auto find = [&](size_t from, size_t to, const char* side) -> Result<std::pair<size_t, size_t>> {
      std::optional<std::pair<size_t, size_t>> hit;
      for (size_t e = from; e < to; e++) {
        for (size_t c = 0; c < r.entries[e].cols.size(); c++) {
          if (r.entries[e].hidden[c] || r.entries[e].cols[c].name != name) continue;
          if (hit)
            return InvalidArgument(ErrorCode::kAmbiguousColumn,
                                   "common column name \"{}\" appears more than once in {} table", name, side);
          hit = std::make_pair(e, c);
        }
      }
      if (!hit)
        return InvalidArgument(ErrorCode::kUndefinedColumn,
                               "column \"{}\" specified in USING clause does not exist in {} table", name, side);
      return *hit;
    };
    ASSIGN_OR_RETURN(auto l, find(0, left.entries.size(), "left"));
    ASSIGN_OR_RETURN(auto rr, find(left.entries.size(), r.entries.size(), "right"));
    using_cols.push_back({l, rr});
  }
  for (const auto& [l, rr] : using_cols) r.entries[rr.first].hidden[rr.second] = true;
  r.has_using = r.has_using || !using_cols.empty();

  const json& quals = sql::Field(b, "quals");
  if (left.rows.size() * right.rows.size() > kMaxJoinPairs) return TooMany();
  for (const JoinedRow& l : left.rows) {
    bool matched = false;
    for (const JoinedRow& rr : right.rows) {
      JoinedRow row = l;
      row.insert(row.end(), rr.begin(), rr.end());
      bool ok = true;
      for (const auto& [lc, rc] : using_cols) {
        const auto* lrow = row[lc.first];
        const auto* rrow = row[rc.first];
        if (!lrow || !rrow || (*lrow)[lc.second].null || (*rrow)[rc.second].null) {
          ok = false;
          break;
        }
        ASSIGN_OR_RETURN(int c, Compare((*lrow)[lc.second], (*rrow)[rc.second]));
        if (c != 0) {
          ok = false;
          break;
        }
      }
      if (ok && !quals.is_null()) {
        Scope scope{&r.entries, &row, outer};
        ASSIGN_OR_RETURN(Datum q, Eval(quals, scope));
        ASSIGN_OR_RETURN(ok, Truth(q, "JOIN/ON"));
      }
      if (!ok) continue;
      matched = true;
      r.rows.push_back(std::move(row));
      if (r.rows.size() > kMaxRows) return TooMany();
    }
    if (!matched && type == "JOIN_LEFT") {
      JoinedRow row = l;
      row.resize(r.entries.size(), nullptr);
      r.rows.push_back(std::move(row));
    }
  }
  return r;
}

Result<FromResult> Evaluator::From(const json& item, const Scope* outer) {
  auto [kind, body] = KindOf(item);
  if (kind == "RangeVar") return FromTable(*body);
  if (kind == "JoinExpr") return Join(*body, outer);
  if (kind == "RangeSubselect") return FromSubquery(*body, outer);
  if (kind == "RangeFunction") return FromFunction(*body, outer);
  return Unimplemented("catalog query: FROM item {} is not supported", kind);
}

}  // namespace laminar::pgwire::pgcat
