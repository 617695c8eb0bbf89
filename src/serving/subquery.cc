#include "serving/subquery.h"

#include <fmt/format.h>

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "common/time_util.h"
#include "ingest/row_batch.h"
#include "views/view_state.h"

namespace laminar::serving {
namespace {

using nlohmann::json;

// A derived relation: the rows of a CTE, a FROM subquery or a set operation.
struct Derived {
  RelationInfo info;
  std::vector<std::vector<Value>> rows;
};

// The caller's relations plus the derived ones (an unqualified name finds a derived one first).
class DerivedProvider : public RelationProvider {
 public:
  DerivedProvider(const RelationProvider& base, const std::map<std::string, Derived>& derived)
      : base_(base), derived_(derived) {}

  Result<RelationInfo> Describe(const std::string& schema, const std::string& name) const override {
    if (schema.empty()) {
      auto it = derived_.find(name);
      if (it != derived_.end()) return it->second.info;
    }
    return base_.Describe(schema, name);
  }

  Status Scan(const RelationInfo& rel, const ScanRequest& req, const ScanFn& fn, QueryStats* stats) const override {
    auto it = derived_.find(rel.name);
    if (rel.kind != RelationKind::kSystem || it == derived_.end()) return base_.Scan(rel, req, fn, stats);
    ingest::StreamSchema schema;
    for (const auto& c : rel.columns) schema.columns.push_back({c.name, c.type, false});
    std::vector<int> identity(rel.columns.size());
    for (size_t i = 0; i < identity.size(); i++) identity[i] = static_cast<int>(i);
    const auto& rows = it->second.rows;
    bool stop = false;
    for (size_t i = 0; i < rows.size() && !stop; i += 4096) {
      ingest::RowBatch batch(schema);
      for (size_t r = i; r < std::min(rows.size(), i + 4096); r++) batch.AppendRow(rows[r]);
      stats->other_rows += batch.num_rows();
      RETURN_IF_ERROR(fn(batch, identity, &stop));
    }
    return Status::OK();
  }

 private:
  const RelationProvider& base_;
  const std::map<std::string, Derived>& derived_;
};

size_t RowBytes(const std::vector<Value>& row) {
  size_t n = sizeof(row) + row.size() * sizeof(Value);
  for (const Value& v : row)
    if (!v.is_null() && v.type() == Type::kText) n += v.as_text().size();
  return n;
}

// `v` of type `t` as a SQL constant expression, e.g. CAST('o''brien' AS text).
std::string LiteralSql(const Value& v, Type t) {
  const char* type = t == Type::kTimestamp ? "timestamptz" : TypeName(t);
  if (v.is_null()) return fmt::format("CAST(NULL AS {})", type);
  std::string text;
  switch (t) {
    case Type::kBool: return v.as_bool() ? "true" : "false";
    case Type::kInt64: text = std::to_string(v.as_int()); break;
    case Type::kDouble: {
      double d = v.as_double();
      text = std::isnan(d) ? "NaN" : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity") : fmt::format("{}", d);
      break;
    }
    case Type::kText: text = v.as_text(); break;
    case Type::kTimestamp: text = FormatTimestamp(v.as_int()); break;
  }
  return fmt::format("CAST({} AS {})", QuoteSqlLiteral(text), type);
}

// The expression node of a SQL constant (parsed, so its shape is the parser's own).
Result<json> LiteralNode(const std::string& sql) {
  ASSIGN_OR_RETURN(std::vector<sql::Statement> stmts, sql::Parse("SELECT " + sql));
  return stmts.front().node["SelectStmt"]["targetList"][0]["ResTarget"]["val"];
}

std::string SetOpName(const std::string& op) {
  if (op == "SETOP_UNION") return "UNION";
  if (op == "SETOP_INTERSECT") return "INTERSECT";
  return "EXCEPT";
}

class SubqueryRunner {
 public:
  SubqueryRunner(const RelationProvider& base, const QueryLimits& limits, const SelectRunner& run)
      : provider_(base, derived_), limits_(limits), run_(run), start_(MonotonicMicros()) {
    stats_.raw = true;
  }

  // Runs a {"SelectStmt": {...}} node (see the file comment). `final`: the statement's answer
  // (rows to `sink`, or returned under max_result_rows), else a part whose rows are kept.
  Result<QueryResult> Select(json node, const RowSink* sink, bool final) {
    json& s = node["SelectStmt"];
    // CTEs: each in order, visible to what follows; restored when this statement ends.
    std::vector<std::pair<std::string, std::optional<Derived>>> shadowed;
    auto restore = [&] {
      for (auto it = shadowed.rbegin(); it != shadowed.rend(); ++it) {
        if (it->second) derived_[it->first] = std::move(*it->second);
        else derived_.erase(it->first);
      }
    };
    Result<QueryResult> r = SelectWith(s, node, sink, final, &shadowed);
    restore();
    return r;
  }

  QueryStats& stats() { return stats_; }

 private:
  Result<QueryResult> SelectWith(json& s, json& node, const RowSink* sink, bool final,
                                 std::vector<std::pair<std::string, std::optional<Derived>>>* shadowed) {
    if (s.contains("withClause")) {
      const json& w = s["withClause"];
      if (w.value("recursive", false)) return Unimplemented("WITH RECURSIVE is not supported");
      for (const json& item : sql::Field(w, "ctes")) {
        const json& cte = item["CommonTableExpr"];
        std::string name = cte.value("ctename", "");
        if (!cte.contains("ctequery") || !cte["ctequery"].contains("SelectStmt"))
          return Unimplemented("WITH \"{}\": only SELECT queries are supported in WITH", name);
        ASSIGN_OR_RETURN(QueryResult r, Select(cte["ctequery"], nullptr, false));
        RETURN_IF_ERROR(Rename(&r, sql::Field(cte, "aliascolnames"), name));
        auto it = derived_.find(name);
        shadowed->push_back({name, it == derived_.end() ? std::nullopt : std::optional<Derived>(std::move(it->second))});
        RETURN_IF_ERROR(Keep(name, std::move(r)));
      }
      s.erase("withClause");
    }
    if (s.value("op", "SETOP_NONE") != "SETOP_NONE") {
      ASSIGN_OR_RETURN(QueryResult combined, SetOperation(s));
      std::string name = NewName();
      RETURN_IF_ERROR(Keep(name, std::move(combined)));
      json outer = {{"targetList", json::array({{{"ResTarget", {{"val", {{"ColumnRef", {{"fields", json::array({{{"A_Star", json::object()}}})}}}}}}}}})},
                    {"fromClause", json::array({{{"RangeVar", {{"relname", name}, {"inh", true}, {"relpersistence", "p"}}}}})},
                    {"limitOption", s.value("limitOption", "LIMIT_OPTION_DEFAULT")},
                    {"op", "SETOP_NONE"}};
      for (const char* k : {"sortClause", "limitCount", "limitOffset"})
        if (s.contains(k)) outer[k] = s[k];
      json wrapped = {{"SelectStmt", std::move(outer)}};
      Result<QueryResult> r = RunPlain(wrapped, sink, final);
      derived_.erase(name);
      return r;
    }
    if (s.contains("fromClause")) RETURN_IF_ERROR(RewriteFrom(&s["fromClause"]));
    RETURN_IF_ERROR(RewriteSubLinks(&s));
    return RunPlain(node, sink, final);
  }

  // UNION / INTERSECT / EXCEPT [ALL] of a SelectStmt body with larg and rarg.
  Result<QueryResult> SetOperation(const json& s) {
    std::string op = s.value("op", "");
    bool all = s.value("all", false);
    ASSIGN_OR_RETURN(QueryResult left, Select(json{{"SelectStmt", s["larg"]}}, nullptr, false));
    ASSIGN_OR_RETURN(QueryResult right, Select(json{{"SelectStmt", s["rarg"]}}, nullptr, false));
    std::string what = SetOpName(op);
    if (left.columns.size() != right.columns.size())
      return InvalidArgument(ErrorCode::kSyntaxError, "each {} query must have the same number of columns", what);
    std::vector<bool> widen(left.columns.size(), false);
    for (size_t i = 0; i < left.columns.size(); i++) {
      Type a = left.columns[i].type, b = right.columns[i].type;
      if (a == b) continue;
      bool numeric = (a == Type::kInt64 || a == Type::kDouble) && (b == Type::kInt64 || b == Type::kDouble);
      if (!numeric)
        return InvalidArgument(ErrorCode::kDatatypeMismatch,
                               "{} types {} and {} cannot be matched", what, TypeName(a), TypeName(b));
      widen[i] = true;
      left.columns[i].type = Type::kDouble;
    }
    auto normalize = [&](std::vector<Value>& row) {
      for (size_t i = 0; i < row.size(); i++)
        if (widen[i] && !row[i].is_null() && row[i].type() == Type::kInt64) row[i] = Value::Double(double(row[i].as_int()));
    };
    auto key = [](const std::vector<Value>& row) {
      std::string k;
      for (const Value& v : row) views::AppendGroupKey(v, &k);
      return k;
    };
    QueryResult out;
    out.columns = left.columns;
    for (auto& row : left.rows) normalize(row);
    for (auto& row : right.rows) normalize(row);
    if (op == "SETOP_UNION") {
      if (all) {
        out.rows = std::move(left.rows);
        for (auto& row : right.rows) out.rows.push_back(std::move(row));
      } else {
        absl::flat_hash_map<std::string, bool> seen;
        for (auto* side : {&left.rows, &right.rows})
          for (auto& row : *side)
            if (seen.try_emplace(key(row), true).second) out.rows.push_back(std::move(row));
      }
    } else {
      // Right-side multiplicities; each left row takes one (ALL) or its first copy only.
      absl::flat_hash_map<std::string, size_t> count;
      for (const auto& row : right.rows) count[key(row)]++;
      absl::flat_hash_map<std::string, bool> emitted;
      bool intersect = op == "SETOP_INTERSECT";
      for (auto& row : left.rows) {
        std::string k = key(row);
        auto it = count.find(k);
        bool in_right = it != count.end() && it->second > 0;
        if (all) {
          if (in_right) it->second--;
          if (in_right == intersect) out.rows.push_back(std::move(row));
        } else if (in_right == intersect && emitted.try_emplace(k, true).second) {
          out.rows.push_back(std::move(row));
        }
      }
    }
    return out;
  }

  // FROM items: a subquery runs and becomes a RangeVar naming its rows (joins are walked).
  Status RewriteFrom(json* items) {
    for (json& item : *items) RETURN_IF_ERROR(RewriteFromItem(&item));
    return Status::OK();
  }

  Status RewriteFromItem(json* item) {
    if (item->contains("JoinExpr")) {
      json& j = (*item)["JoinExpr"];
      if (j.contains("larg")) RETURN_IF_ERROR(RewriteFromItem(&j["larg"]));
      if (j.contains("rarg")) RETURN_IF_ERROR(RewriteFromItem(&j["rarg"]));
      if (j.contains("quals")) RETURN_IF_ERROR(RewriteSubLinks(&j["quals"]));
      return Status::OK();
    }
    if (!item->contains("RangeSubselect")) return Status::OK();
    const json& rs = (*item)["RangeSubselect"];
    if (rs.value("lateral", false)) return Unimplemented("LATERAL subqueries are not supported");
    if (!rs.contains("subquery") || !rs["subquery"].contains("SelectStmt"))
      return Unimplemented("only SELECT subqueries are supported in FROM");
    ASSIGN_OR_RETURN(QueryResult r, Part(rs["subquery"]));
    const json& alias = sql::Field(rs, "alias");
    std::string shown = alias.is_object() ? alias.value("aliasname", "subquery") : std::string("subquery");
    RETURN_IF_ERROR(Rename(&r, sql::Field(alias, "colnames"), shown));
    std::string name = NewName();
    RETURN_IF_ERROR(Keep(name, std::move(r)));
    json rv = {{"relname", name}, {"inh", true}, {"relpersistence", "p"}};
    // Without an alias the columns are still reachable unqualified (PostgreSQL 16).
    if (alias.is_object()) rv["alias"] = json{{"aliasname", shown}};
    *item = json{{"RangeVar", std::move(rv)}};
    return Status::OK();
  }

  // Replaces every SubLink under `node` by the constant it evaluates to.
  Status RewriteSubLinks(json* node) {
    if (node->is_array()) {
      for (json& c : *node) RETURN_IF_ERROR(RewriteSubLinks(&c));
      return Status::OK();
    }
    if (!node->is_object()) return Status::OK();
    if (node->contains("SubLink")) {
      ASSIGN_OR_RETURN(json replacement, EvalSubLink((*node)["SubLink"]));
      *node = std::move(replacement);
      return Status::OK();
    }
    for (auto& [k, v] : node->items()) {
      if (k == "fromClause" || k == "RangeSubselect") continue;  // rewritten by RewriteFrom
      RETURN_IF_ERROR(RewriteSubLinks(&v));
    }
    return Status::OK();
  }

  Result<json> EvalSubLink(const json& link) {
    std::string type = link.value("subLinkType", "");
    if (type != "EXISTS_SUBLINK" && type != "EXPR_SUBLINK" && type != "ANY_SUBLINK")
      return Unimplemented("{} subqueries are not supported (scalar, IN, = ANY and EXISTS subqueries are)",
                           type.substr(0, type.find('_')));
    std::string op = "=";
    if (type == "ANY_SUBLINK") {
      const json& names = sql::Field(link, "operName");
      if (names.size() > 0) op = sql::StringValue(names[names.size() - 1]);
      if (op != "=") return Unimplemented("{} ANY (subquery) is not supported (IN and = ANY are)", op);
      if (link.contains("testexpr") && link["testexpr"].contains("RowExpr"))
        return Unimplemented("row comparisons with a subquery are not supported");
    }
    ASSIGN_OR_RETURN(QueryResult r, Part(link["subselect"]));
    if (type == "EXISTS_SUBLINK") return LiteralNode(r.rows.empty() ? "false" : "true");
    if (r.columns.size() != 1) return InvalidArgument(ErrorCode::kSyntaxError, "subquery must return only one column");
    Type t = r.columns[0].type;
    if (type == "EXPR_SUBLINK") {
      if (r.rows.size() > 1)
        return InvalidArgument(ErrorCode::kCardinalityViolation,
                               "more than one row returned by a subquery used as an expression");
      return LiteralNode(LiteralSql(r.rows.empty() ? Value() : r.rows[0][0], t));
    }
    // x IN (subquery): x IN (constants); over no rows, false (whatever x is).
    if (r.rows.empty()) return LiteralNode("false");
    if (r.rows.size() > kMaxInSubqueryRows)
      return ResourceExhausted("IN (subquery) returned more than {} rows: join with it instead (FROM ... JOIN (SELECT ...))",
                               kMaxInSubqueryRows);
    json list = json::array();
    for (const auto& row : r.rows) {
      ASSIGN_OR_RETURN(json lit, LiteralNode(LiteralSql(row[0], t)));
      list.push_back(std::move(lit));
    }
    return json{{"A_Expr", {{"kind", "AEXPR_IN"}, {"name", json::array({{{"String", {{"sval", "="}}}}})},
                            {"lexpr", link["testexpr"]}, {"rexpr", {{"List", {{"items", std::move(list)}}}}}, {"location", -1}}}};
  }

  // Runs a subquery of a FROM item or an expression; a column it cannot find may be the outer
  // query's (correlated), which is said.
  Result<QueryResult> Part(const json& node) {
    Result<QueryResult> r = Select(node, nullptr, false);
    const Status& st = r.status();
    // An unknown column, or a qualifier naming no table of the subquery (missing FROM-clause
    // entry): both are undefined names in the binder, kept apart from an unknown relation
    // (NotFound).
    bool unknown_name = st.code() == StatusCode::kInvalidArgument && (st.error_code() == ErrorCode::kUndefinedColumn ||
                                                                      st.error_code() == ErrorCode::kUndefinedTable);
    if (unknown_name)
      return InvalidArgument(st.error_code(),
                             "{} (a subquery cannot read the columns of the query around it: correlated subqueries "
                             "are not supported)", st.message());
    return r;
  }

  // Renames the columns of a derived relation (an alias's column list).
  static Status Rename(QueryResult* r, const json& names, const std::string& what) {
    if (names.size() > r->columns.size())
      return InvalidArgument(ErrorCode::kInvalidColumnReference,
                             "\"{}\" has {} columns available but {} columns specified",
                             what, r->columns.size(), names.size());
    for (size_t i = 0; i < names.size(); i++) r->columns[i].name = sql::StringValue(names[i]);
    return Status::OK();
  }

  std::string NewName() { return fmt::format("?subquery{}", ++next_name_); }

  // Keeps a part's rows as derived relation `name`, within the memory cap.
  Status Keep(const std::string& name, QueryResult r) {
    Derived d;
    d.info.kind = RelationKind::kSystem;
    d.info.name = name;
    d.info.columns = std::move(r.columns);
    d.rows = std::move(r.rows);
    derived_[name] = std::move(d);
    return Status::OK();
  }

  // Runs a statement without subqueries: the last one with the caller's sink, the parts with a
  // sink that keeps their rows within the memory cap.
  Result<QueryResult> RunPlain(const json& node, const RowSink* sink, bool final) {
    int64_t elapsed = MonotonicMicros() - start_;
    if (elapsed > limits_.timeout_micros)
      return DeadlineExceeded("canceling statement due to statement timeout: the query ran longer than {} ms ([query] timeout_seconds)",
                              limits_.timeout_micros / 1000);
    QueryLimits limits = limits_;
    limits.timeout_micros -= elapsed;
    limits.max_memory_bytes = limits_.max_memory_bytes > held_ ? limits_.max_memory_bytes - held_ : 0;
    sql::Statement stmt;
    stmt.node = node;
    stmt.kind = "SelectStmt";
    bool reads_derived = sql::AnyNode(node, [&](const json& n) {
      if (!n.contains("RangeVar")) return false;
      const json& rv = n["RangeVar"];
      return !rv.contains("schemaname") && derived_.count(rv.value("relname", "")) > 0;
    });
    std::vector<std::vector<Value>> kept;
    RowSink keep;
    if (!final) {
      keep.begin = [](const std::vector<ResultColumn>&) { return Status::OK(); };
      keep.row = [&](std::vector<Value>&& row) -> Status {
        held_ += RowBytes(row);
        if (held_ > limits_.max_memory_bytes)
          return ResourceExhausted("query needs more than {} MiB of memory ([query] max_memory_mb) for subquery results; "
                                   "narrow it with WHERE, LIMIT or fewer groups",
                                   limits_.max_memory_bytes >> 20);
        kept.push_back(std::move(row));
        return Status::OK();
      };
    }
    Result<QueryResult> r = run_(stmt, provider_, reads_derived, limits, final ? sink : &keep);
    if (!r.ok()) return r;
    if (!final) r->rows = std::move(kept);
    const QueryStats& s = r->stats;
    stats_.lake_files += s.lake_files;
    stats_.lake_files_skipped += s.lake_files_skipped;
    stats_.row_groups += s.row_groups;
    stats_.row_groups_skipped += s.row_groups_skipped;
    stats_.lake_rows += s.lake_rows;
    stats_.log_rows += s.log_rows;
    stats_.other_rows += s.other_rows;
    stats_.lake_last_seq = std::max(stats_.lake_last_seq, s.lake_last_seq);
    stats_.log_last_seq = std::max(stats_.log_last_seq, s.log_last_seq);
    // The relations read, without the derived ones.
    for (size_t at = 0; at < s.relation.size();) {
      size_t end = s.relation.find(", ", at);
      std::string name = s.relation.substr(at, end == std::string::npos ? std::string::npos : end - at);
      at = end == std::string::npos ? s.relation.size() : end + 2;
      if (name.empty() || derived_.count(name)) continue;
      if (std::find(relations_.begin(), relations_.end(), name) != relations_.end()) continue;
      relations_.push_back(name);
      stats_.relation += (stats_.relation.empty() ? "" : ", ") + name;
    }
    return r;
  }

  std::map<std::string, Derived> derived_;
  DerivedProvider provider_;
  QueryLimits limits_;
  const SelectRunner& run_;
  int64_t start_;
  size_t held_ = 0;  // bytes of the parts' rows
  int next_name_ = 0;
  QueryStats stats_;
  std::vector<std::string> relations_;  // in stats_.relation
};

}  // namespace

bool HasSubqueries(const sql::Statement& stmt) {
  if (stmt.kind != "SelectStmt") return false;
  return sql::AnyNode(stmt.node, [](const json& n) {
    if (n.contains("withClause") || n.contains("RangeSubselect") || n.contains("SubLink")) return true;
    auto op = n.find("op");
    return op != n.end() && op->is_string() && op->get_ref<const std::string&>().starts_with("SETOP_") &&
           *op != "SETOP_NONE";
  });
}

Result<QueryResult> ExecuteWithSubqueries(const sql::Statement& stmt, const RelationProvider& provider,
                                          const QueryLimits& limits, const RowSink* sink, const SelectRunner& run) {
  SubqueryRunner runner(provider, limits, run);
  int64_t start = MonotonicMicros();
  ASSIGN_OR_RETURN(QueryResult r, runner.Select(stmt.node, sink, true));
  QueryStats stats = runner.stats();
  stats.elapsed_micros = MonotonicMicros() - start;
  r.stats = std::move(stats);
  return r;
}

}  // namespace laminar::serving
