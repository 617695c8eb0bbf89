#include "serving/query.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>

#include "common/time_util.h"
#include "serving/select_clauses.h"
#include "sql/binder.h"
#include "views/sketch_sql.h"

namespace laminar::serving {
namespace {

using nlohmann::json;
using views::AggKind;

enum class ItemKind { kKey, kExpr, kMeasure, kCountRows, kDimMin, kDimMax };

struct Item {
  ItemKind kind = ItemKind::kKey;
  std::string name;
  Type type = Type::kText;
  int key = -1;          // kKey
  int measure = -1;      // kMeasure: index into ViewDef::measures
  sql::ExprPtr expr;     // kExpr, kDimMin, kDimMax: over the view's dims
  std::string expr_text; // display text
  std::string expr_key;  // sql::Expr::Key, for matching ORDER BY / GROUP BY expressions
  double quantile = -1;  // kMeasure over an approx_percentile: the q asked for (else the measure's)
  std::vector<double> quantiles;  // approx_percentile(measure, ARRAY[...]): several, as a text array
};

struct Plan {
  views::ViewDefPtr view;
  sql::Scope dim_scope;
  sql::ExprPtr where;
  std::vector<sql::ExprPtr> keys;
  bool global = false;   // aggregates without GROUP BY: exactly one output row
  std::vector<Item> items;
  std::vector<SortKey> order;
  int64_t limit = -1, offset = 0;
};

using sql::FuncName;

bool HasAggregate(const json& node) {
  return sql::AnyNode(node, [](const json& n) {
    const json& fc = sql::Field(n, "FuncCall");
    return fc.is_object() && sql::IsAggregateName(FuncName(fc));
  });
}

// The first ColumnRef name in node that is a measure of the view, or "".
std::string MeasureRefIn(const json& node, const views::ViewDef& v) {
  if (node.is_object()) {
    std::string n = sql::ColumnRefName(node);
    if (!n.empty()) {
      for (const auto& m : v.measures)
        if (m.name == n) return n;
    }
    for (const auto& [k, child] : node.items()) {
      std::string r = MeasureRefIn(child, v);
      if (!r.empty()) return r;
    }
  } else if (node.is_array()) {
    for (const auto& child : node) {
      std::string r = MeasureRefIn(child, v);
      if (!r.empty()) return r;
    }
  }
  return "";
}

int FindMeasure(const views::ViewDef& v, const std::string& name) {
  for (size_t i = 0; i < v.measures.size(); i++)
    if (v.measures[i].name == name) return static_cast<int>(i);
  return -1;
}

Status CheckUnsupported(const json& s) {
  if (s.value("op", "SETOP_NONE") != "SETOP_NONE")
    return Unimplemented("set operations (UNION, INTERSECT, EXCEPT) are not supported");
  if (s.contains("withClause")) return Unimplemented("WITH queries are not supported");
  if (s.contains("distinctClause")) return Unimplemented("SELECT DISTINCT over a view is not supported");
  if (s.contains("windowClause")) return Unimplemented("window clauses are not supported");
  if (s.contains("havingClause")) return Unimplemented("HAVING over a view is not supported");
  if (s.contains("lockingClause")) return Unimplemented("FOR UPDATE/SHARE is not supported");
  if (s.contains("intoClause")) return Unimplemented("SELECT INTO is not supported");
  if (s.contains("valuesLists")) return Unimplemented("VALUES lists are not supported");
  return Status::OK();
}

// Binds an aggregate FuncCall of the select list.
Result<Item> BindAggregate(const json& fc, const Plan& p, std::string name) {
  std::string fn = FuncName(fc);
  const views::ViewDef& v = *p.view;
  bool approx = fn == "approx_count_distinct" || fn == "approx_percentile";
  if (fn != "count" && fn != "sum" && fn != "min" && fn != "max" && fn != "avg" && !approx)
    return Unimplemented("aggregate function {}() is not supported over a view", fn);
  if (fc.value("agg_distinct", false))
    return Unimplemented("{}(DISTINCT ...) over a view is not supported", fn);
  if (fc.contains("over")) return Unimplemented("window function {}() is not supported", fn);
  if (fc.contains("agg_filter")) return Unimplemented("FILTER on aggregates is not supported");
  Item it;
  it.name = name.empty() ? fn : name;
  if (fc.value("agg_star", false)) {
    if (fn != "count") return InvalidArgument("{}(*) is not an aggregate", fn);
    it.kind = ItemKind::kCountRows;
    it.type = Type::kInt64;
    return it;
  }
  const json args = fc.value("args", json::array());
  if (fn == "approx_percentile") {
    if (args.size() != 2)
      return InvalidArgument("approx_percentile() takes two arguments (a measure and a quantile q)");
    bool is_array = false;
    ASSIGN_OR_RETURN(std::vector<double> qs, views::BindQuantiles(args[1], fn, &is_array));
    if (is_array) it.quantiles = std::move(qs);
    else it.quantile = qs.front();
  } else if (args.size() != 1) {
    return InvalidArgument("{}() takes one argument", fn);
  }
  std::string col = sql::ColumnRefName(args[0]);
  int m = col.empty() ? -1 : FindMeasure(v, col);
  if (m >= 0) {
    const views::MeasureDef& md = v.measures[m];
    bool ok = (fn == "sum" && (md.kind == AggKind::kCount || md.kind == AggKind::kCountStar ||
                               md.kind == AggKind::kSum)) ||
              (fn == "min" && md.kind == AggKind::kMin) ||
              (fn == "max" && md.kind == AggKind::kMax) ||
              (fn == "avg" && md.kind == AggKind::kAvg) ||
              (fn == "approx_count_distinct" && md.kind == AggKind::kApproxCountDistinct) ||
              (fn == "approx_percentile" && md.kind == AggKind::kApproxPercentile);
    if (!ok) {
      const char* merge = md.kind == AggKind::kCountStar || md.kind == AggKind::kCount ? "sum"
                                                                                         : views::AggKindName(md.kind);
      return InvalidArgument(
          "{}({}): measure \"{}\" is a {} and re-aggregates only with {}({}{}) or by naming it",
          fn, col, col, views::AggKindName(md.kind), merge, col,
          md.kind == AggKind::kApproxPercentile ? ", q" : "");
    }
    it.kind = ItemKind::kMeasure;
    it.measure = m;
    it.type = it.quantiles.empty() ? md.output_type : Type::kText;
    it.name = name.empty() ? fn : name;
    return it;
  }
  if (fn != "min" && fn != "max")
    return InvalidArgument(
        "{}() over a view takes a measure of the view; {} is not one (measures: see GET /v1/views){}",
        fn, col.empty() ? std::string("the argument") : "\"" + col + "\"",
        approx ? fmt::format(" — define {}(col) in the view to query it", fn) : std::string());
  ASSIGN_OR_RETURN(sql::ExprPtr e, sql::BindExpr(args[0], p.dim_scope));
  it.kind = fn == "min" ? ItemKind::kDimMin : ItemKind::kDimMax;
  it.expr = e;
  it.type = e->type;
  return it;
}

Result<Plan> MakePlan(const json& s, const catalog::Snapshot& cat) {
  RETURN_IF_ERROR(CheckUnsupported(s));
  Plan p;
  const json from = s.value("fromClause", json::array());
  if (from.empty()) return Unimplemented("SELECT without FROM is not supported; query a view");
  if (from.size() > 1 || !from[0].contains("RangeVar")) {
    if (from[0].contains("JoinExpr") || from.size() > 1) return Unimplemented("joins are not supported yet");
    if (from[0].contains("RangeSubselect")) return Unimplemented("subqueries in FROM are not supported");
    if (from[0].contains("RangeFunction")) return Unimplemented("table functions are not supported yet");
    return Unimplemented("unsupported FROM clause");
  }
  const json& rv = from[0]["RangeVar"];
  std::string rel = rv.value("relname", "");
  if (rv.contains("schemaname") && rv["schemaname"] != "public")
    return NotFound(ErrorCode::kUndefinedTable,
                    "relation \"{}.{}\" does not exist", rv["schemaname"].get<std::string>(), rel);
  auto vit = cat.views.find(rel);
  if (vit == cat.views.end()) {
    if (cat.streams.count(rel))
      return Unimplemented(
          "\"{}\" is a stream: queries over raw events are not supported yet; query one of its views",
          rel);
    return NotFound(ErrorCode::kUndefinedTable, "relation \"{}\" does not exist", rel);
  }
  p.view = vit->second;
  const views::ViewDef& v = *p.view;
  // A qualified column must name this relation: its alias, or the view's name without one.
  {
    std::string alias = rv.contains("alias") ? rv["alias"].value("aliasname", rel) : rel;
    std::string bad;
    sql::AnyNode(s, [&](const json& n) {
      if (!bad.empty() || !n.contains("ColumnRef")) return false;
      const json& fields = sql::Field(n["ColumnRef"], "fields");
      if (fields.size() < 2) return false;
      std::string qualifier = sql::StringValue(fields[fields.size() - 2]);
      if (!qualifier.empty() && qualifier != alias) bad = qualifier;
      return !bad.empty();
    });
    if (!bad.empty())
      return InvalidArgument(ErrorCode::kUndefinedTable, "missing FROM-clause entry for table \"{}\"", bad);
  }
  p.dim_scope.relation = v.name;
  for (const auto& d : v.dims) p.dim_scope.columns.push_back({d.name, d.type});

  if (s.contains("whereClause")) {
    std::string m = MeasureRefIn(s["whereClause"], v);
    if (!m.empty())
      return InvalidArgument("WHERE may reference only dimensions of view \"{}\"; \"{}\" is a measure",
                             v.name, m);
    ASSIGN_OR_RETURN(p.where, sql::BindPredicate(s["whereClause"], p.dim_scope));
  }

  // The select list, with * expanded.
  struct Target {
    json node;
    std::string name;
  };
  std::vector<Target> targets;
  for (const json& t : s.at("targetList")) {
    const json& rt = t.at("ResTarget");
    const json& val = rt.at("val");
    if (val.contains("ColumnRef") && val["ColumnRef"]["fields"].back().contains("A_Star")) {
      for (const auto& c : v.columns) {
        json ref = {{"ColumnRef", {{"fields", json::array({{{"String", {{"sval", v.ColumnName(c)}}}}})}}}};
        targets.push_back({ref, ""});
      }
      continue;
    }
    targets.push_back({val, rt.value("name", "")});
  }

  bool has_group = s.contains("groupClause") && !s["groupClause"].empty();
  bool has_agg = false;
  for (const auto& t : targets) has_agg = has_agg || HasAggregate(t.node);
  if (s.contains("sortClause"))
    for (const auto& sb : s["sortClause"])
      if (HasAggregate(sb)) return Unimplemented("aggregates in ORDER BY: select them and order by their name or position");

  // Group keys.
  if (has_group) {
    for (const json& g : s["groupClause"]) {
      if (g.contains("A_Const")) {
        ASSIGN_OR_RETURN(int64_t pos, ConstInt(g, "GROUP BY position"));
        if (pos < 1 || pos > int64_t(targets.size()))
          return InvalidArgument(ErrorCode::kInvalidColumnReference, "GROUP BY position {} is not in select list", pos);
        const Target& t = targets[pos - 1];
        if (HasAggregate(t.node))
          return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in GROUP BY");
        std::string m = MeasureRefIn(t.node, v);
        if (!m.empty()) return InvalidArgument("cannot GROUP BY measure \"{}\"", m);
        ASSIGN_OR_RETURN(sql::ExprPtr e, sql::BindExpr(t.node, p.dim_scope));
        p.keys.push_back(e);
        continue;
      }
      std::string n = sql::ColumnRefName(g);
      const json* node = &g;
      if (!n.empty() && p.dim_scope.Find(n) < 0) {
        for (const auto& t : targets)
          if (t.name == n) node = &t.node;
      }
      if (HasAggregate(*node))
        return InvalidArgument(ErrorCode::kGroupingError, "aggregate functions are not allowed in GROUP BY");
      std::string m = MeasureRefIn(*node, v);
      if (!m.empty()) return InvalidArgument("cannot GROUP BY measure \"{}\"", m);
      ASSIGN_OR_RETURN(sql::ExprPtr e, sql::BindExpr(*node, p.dim_scope));
      p.keys.push_back(e);
    }
  } else if (!has_agg) {
    for (size_t i = 0; i < v.dims.size(); i++)
      p.keys.push_back(sql::MakeColumn(static_cast<int>(i), v.dims[i].name, v.dims[i].type));
  } else {
    p.global = true;
  }

  // Select items.
  for (const auto& t : targets) {
    const json& node = t.node;
    if (node.contains("FuncCall") && sql::IsAggregateName(FuncName(node["FuncCall"]))) {
      ASSIGN_OR_RETURN(Item it, BindAggregate(node["FuncCall"], p, t.name));
      p.items.push_back(std::move(it));
      continue;
    }
    if (has_agg && HasAggregate(node))
      return Unimplemented("expressions over aggregates are not supported; select the aggregate itself");
    std::string col = sql::ColumnRefName(node);
    int m = col.empty() ? -1 : FindMeasure(v, col);
    if (m >= 0) {
      Item it;
      it.kind = ItemKind::kMeasure;
      it.measure = m;
      it.type = v.measures[m].output_type;
      it.name = t.name.empty() ? col : t.name;
      p.items.push_back(std::move(it));
      continue;
    }
    std::string mref = MeasureRefIn(node, v);
    if (!mref.empty())
      return Unimplemented("expressions over measure \"{}\" are not supported; select the measure itself", mref);
    ASSIGN_OR_RETURN(sql::ExprPtr e, sql::BindExpr(node, p.dim_scope));
    Item it;
    it.expr = e;
    it.expr_text = e->ToString();
    it.expr_key = e->Key();
    it.type = e->type;
    it.name = t.name;
    if (it.name.empty()) {
      if (!col.empty()) it.name = col;
      else if (node.contains("FuncCall")) it.name = FuncName(node["FuncCall"]);
      else it.name = "?column?";
    }
    for (size_t k = 0; k < p.keys.size(); k++)
      if (p.keys[k]->Key() == it.expr_key) it.key = static_cast<int>(k);
    if (it.key >= 0) {
      it.kind = ItemKind::kKey;
    } else {
      // Allowed when every dimension it reads is itself a group key (functionally dependent).
      bool dependent = true;
      sql::VisitColumns(*e, [&](int c) {
        bool found = false;
        for (const auto& k : p.keys)
          if (k->kind == sql::ExprKind::kColumn && k->column == c) found = true;
        dependent = dependent && found;
      });
      if (!dependent)
        return InvalidArgument(ErrorCode::kGroupingError,
            "column \"{}\" must appear in the GROUP BY clause or be used in an aggregate function",
            it.expr_text);
      it.kind = ItemKind::kExpr;
    }
    p.items.push_back(std::move(it));
  }

  // ORDER BY.
  if (s.contains("sortClause")) {
    for (const json& sbw : s["sortClause"]) {
      const json& sb = sbw.at("SortBy");
      const json& node = sb.at("node");
      int idx = -1;
      if (node.contains("A_Const")) {
        ASSIGN_OR_RETURN(int64_t pos, ConstInt(node, "ORDER BY position"));
        if (pos < 1 || pos > int64_t(p.items.size()))
          return InvalidArgument(ErrorCode::kInvalidColumnReference, "ORDER BY position {} is not in select list", pos);
        idx = static_cast<int>(pos - 1);
      } else {
        std::string n = sql::ColumnRefName(node);
        if (!n.empty())
          for (size_t i = 0; i < p.items.size() && idx < 0; i++)
            if (p.items[i].name == n) idx = static_cast<int>(i);
        if (idx < 0 && MeasureRefIn(node, v).empty()) {
          auto bound = sql::BindExpr(node, p.dim_scope);
          if (bound.ok()) {
            std::string key = (*bound)->Key();
            for (size_t i = 0; i < p.items.size() && idx < 0; i++)
              if (p.items[i].expr && p.items[i].expr_key == key) idx = static_cast<int>(i);
          }
        }
        if (idx < 0)
          return InvalidArgument("ORDER BY must name an output column or its position; \"{}\" is neither",
                                 n.empty() ? std::string("expression") : n);
      }
      bool desc, nulls_first;
      RETURN_IF_ERROR(ParseSortDirection(sb, &desc, &nulls_first));
      p.order.push_back({idx, desc, nulls_first});
    }
  }
  RETURN_IF_ERROR(ParseLimitOffset(s, &p.limit, &p.offset));
  return p;
}

struct OutGroup {
  std::vector<Value> rep_dims;        // dims of one member view row
  std::vector<Value> keys;
  std::vector<views::AggState> aggs;  // per item (kMeasure)
  std::vector<Value> extremes;        // per item (kDimMin/kDimMax)
  int64_t rows = 0;
};

}  // namespace

Result<QueryResult> ExecuteSelect(const sql::Statement& stmt, const catalog::Snapshot& cat,
                                  const ViewSnapshotFn& snapshot_fn, const QueryLimits& limits) {
  int64_t start = MonotonicMicros();
  if (stmt.kind != "SelectStmt") return InvalidArgument("not a query: {}", sql::DescribeKind(stmt.kind));
  ASSIGN_OR_RETURN(Plan p, MakePlan(stmt.node.at("SelectStmt"), cat));
  ASSIGN_OR_RETURN(ViewSnapshot snap, snapshot_fn(p.view));
  const views::ViewDef& v = *p.view;

  absl::flat_hash_map<std::string, uint32_t> index;
  std::vector<OutGroup> groups;
  std::string key;
  std::vector<Value> keys(p.keys.size());
  size_t n = 0;
  auto new_group = [&](const std::vector<Value>& dims) {
    OutGroup g;
    g.rep_dims = dims;
    g.keys = keys;
    g.aggs.resize(p.items.size());
    g.extremes.resize(p.items.size());
    groups.push_back(std::move(g));
  };
  if (p.global) {
    keys.clear();
    new_group({});
    index[""] = 0;
  }
  // A speed group whose dimensions the batch version also holds is the same view row; only
  // count(*) over view rows needs to know.
  std::string probe;
  bool counts_rows = false;
  for (const Item& item : p.items) counts_rows = counts_rows || item.kind == ItemKind::kCountRows;
  auto visit = [&](const views::Group& vg, bool from_speed) -> Status {
    if ((++n & 4095) == 0 && MonotonicMicros() - start > limits.timeout_micros)
      return DeadlineExceeded("query exceeded the time limit of {} ms", limits.timeout_micros / 1000);
    if (p.where && !sql::EvalPredicate(*p.where, vg.dims.data())) return Status::OK();
    key.clear();
    for (size_t k = 0; k < p.keys.size(); k++) {
      keys[k] = sql::Eval(*p.keys[k], vg.dims.data());
      views::AppendGroupKey(keys[k], &key);
    }
    auto [it, inserted] = index.try_emplace(key, static_cast<uint32_t>(groups.size()));
    if (inserted) {
      if (groups.size() >= limits.max_result_rows && p.limit < 0)
        return ResourceExhausted("result exceeds {} rows; add LIMIT or narrow the query",
                                 limits.max_result_rows);
      new_group(vg.dims);
    }
    OutGroup& g = groups[it->second];
    if (g.rep_dims.empty()) g.rep_dims = vg.dims;
    if (!from_speed || !counts_rows || !snap.base || !snap.base->Find(vg.dims, &probe)) g.rows++;
    for (size_t i = 0; i < p.items.size(); i++) {
      const Item& item = p.items[i];
      if (item.kind == ItemKind::kMeasure) {
        g.aggs[i].Merge(v.measures[item.measure].kind, vg.aggs[item.measure]);
      } else if (item.kind == ItemKind::kDimMin || item.kind == ItemKind::kDimMax) {
        Value x = sql::Eval(*item.expr, vg.dims.data());
        if (x.is_null()) continue;  // next item
        Value& cur = g.extremes[i];
        int c = cur.is_null() ? 0 : Value::Compare(x, cur);
        if (cur.is_null() || (item.kind == ItemKind::kDimMin ? c < 0 : c > 0)) cur = std::move(x);
      }
    }
    return Status::OK();
  };
  if (snap.base)
    for (const views::Group& vg : snap.base->groups()) RETURN_IF_ERROR(visit(vg, false));
  for (const views::Group& vg : snap.state.groups()) RETURN_IF_ERROR(visit(vg, true));

  QueryResult out;
  out.stats = snap.stats;
  out.stats.relation = v.name;
  for (const Item& item : p.items) out.columns.push_back({item.name, item.type});
  out.rows.reserve(groups.size());
  for (OutGroup& g : groups) {
    std::vector<Value> row;
    row.reserve(p.items.size());
    for (size_t i = 0; i < p.items.size(); i++) {
      const Item& item = p.items[i];
      switch (item.kind) {
        case ItemKind::kKey: row.push_back(g.keys[item.key]); break;
        case ItemKind::kExpr: row.push_back(sql::Eval(*item.expr, g.rep_dims.data())); break;
        case ItemKind::kMeasure:
          // Over no view rows every aggregate but count(*) is NULL, as sum() is in PostgreSQL.
          if (!item.quantiles.empty()) {
            std::vector<Value> vals;
            for (double q : item.quantiles)
              vals.push_back(g.rows == 0 ? Value::Null() : g.aggs[i].Finalize(v.measures[item.measure], q));
            row.push_back(g.rows == 0 || vals.front().is_null() ? Value::Null() : Value::Text(views::ArrayText(vals)));
            break;
          }
          row.push_back(g.rows == 0 ? Value::Null()
                                    : g.aggs[i].Finalize(v.measures[item.measure], item.quantile));
          break;
        case ItemKind::kCountRows: row.push_back(Value::Int(g.rows)); break;
        case ItemKind::kDimMin:
        case ItemKind::kDimMax: row.push_back(g.extremes[i]); break;
      }
    }
    out.rows.push_back(std::move(row));
  }
  if (!p.order.empty()) {
    std::stable_sort(out.rows.begin(), out.rows.end(),
                     [&](const auto& a, const auto& b) { return RowLess(p.order, a, b); });
  }
  size_t off = std::min<size_t>(static_cast<size_t>(p.offset), out.rows.size());
  size_t end = p.limit < 0 ? out.rows.size() : std::min(out.rows.size(), off + static_cast<size_t>(p.limit));
  if (off > 0 || end < out.rows.size())
    out.rows = std::vector<std::vector<Value>>(std::make_move_iterator(out.rows.begin() + off),
                                               std::make_move_iterator(out.rows.begin() + end));
  if (out.rows.size() > limits.max_result_rows)
    return ResourceExhausted("result exceeds {} rows; add LIMIT or narrow the query", limits.max_result_rows);
  out.tag = "SELECT " + std::to_string(out.rows.size());
  out.stats.elapsed_micros = MonotonicMicros() - start;
  return out;
}

}  // namespace laminar::serving
