// The transformer's statements: SELECT (FROM items, GROUP BY, WITH, set operations), EXPLAIN, and
// the JSON helpers (transformer.h, transformer_internal.h).
#include <string>

#include "common/strings.h"
#include "sql/transformer.h"
#include "sql/transformer_internal.h"

namespace laminar::sql {
namespace internal {

bool SplitNode(const json& node, std::string* type, const json** body) {
  if (!node.is_object() || node.size() != 1) return false;
  auto it = node.begin();
  if (!it.value().is_object()) return false;
  *type = it.key();
  *body = &it.value();
  return true;
}

std::string DescribeNode(const std::string& type, const json& body) {
  if (type == "XmlExpr") {
    static const std::pair<const char*, const char*> kOps[] = {
        {"IS_XMLCONCAT", "XMLCONCAT"}, {"IS_XMLELEMENT", "XMLELEMENT"}, {"IS_XMLFOREST", "XMLFOREST"},
        {"IS_XMLPARSE", "XMLPARSE"},   {"IS_XMLPI", "XMLPI"},           {"IS_XMLROOT", "XMLROOT"},
        {"IS_XMLSERIALIZE", "XMLSERIALIZE"}, {"IS_DOCUMENT", "IS DOCUMENT"}};
    std::string op = Str(body, "op");
    for (const auto& [k, name] : kOps)
      if (op == k) return name;
    return "XML";
  }
  static const std::pair<const char*, const char*> kNames[] = {
      {"XmlSerialize", "XMLSERIALIZE"},
      {"RangeTableSample", "TABLESAMPLE"},
      {"RangeTableFunc", "XMLTABLE"},
      {"SetToDefault", "DEFAULT"},
      {"CurrentOfExpr", "WHERE CURRENT OF"},
      {"MultiAssignRef", "assigning several columns from one expression"},
      {"RangeTableFuncCol", "XMLTABLE"},
  };
  for (const auto& [k, name] : kNames)
    if (type == k) return name;
  if (type.ends_with("Stmt")) return DescribeKind(type);
  return "the syntax " + type;
}

Status NotSupported(const std::string& type, const json& body) {
  return Unimplemented("{} is not supported", DescribeNode(type, body));
}

std::string Str(const json& obj, const char* key) {
  const json& v = Field(obj, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

int64_t Int(const json& obj, const char* key, int64_t fallback) {
  const json& v = Field(obj, key);
  return v.is_number_integer() ? v.get<int64_t>() : fallback;
}

bool Bool(const json& obj, const char* key) {
  const json& v = Field(obj, key);
  return v.is_boolean() && v.get<bool>();
}

int Location(const json& obj) { return static_cast<int>(Int(obj, "location", -1)); }

Result<const json*> ListField(const json& obj, const char* key) {
  static const json kEmpty = json::array();
  const json& v = Field(obj, key);
  if (v.is_null()) return &kEmpty;
  if (!v.is_array()) return Malformed("{} is not a list", key);
  return &v;
}

std::string SVal(const json& node) { return Str(Field(node, "String"), "sval"); }

std::string JoinedNames(const json& obj, const char* key) {
  auto names = Names(obj, key);
  if (!names.ok()) return "";
  std::string out;
  for (const std::string& n : *names) out += (out.empty() ? "" : ".") + n;
  return out;
}

Result<std::vector<std::string>> Names(const json& obj, const char* key) {
  ASSIGN_OR_RETURN(const json* list, ListField(obj, key));
  std::vector<std::string> out;
  for (const json& n : *list) {
    if (!Field(n, "String").is_object()) return Malformed("{}: expected a name, got {}", key, n.dump().substr(0, 60));
    out.push_back(SVal(n));
  }
  return out;
}

namespace {

using ast::TableRefPtr;

Result<ast::SelectPtr> Select(const json& b);

void SetAlias(ast::TableRef& t, const json& alias) {
  if (!alias.is_object()) return;
  t.alias = Str(alias, "aliasname");
  for (const json& c : Field(alias, "colnames")) t.column_aliases.push_back(SVal(c));
}

Result<TableRefPtr> Table(const json& node);

Result<TableRefPtr> Join(const json& b) {
  auto t = std::make_unique<ast::TableRef>();
  t->kind = ast::TableRefKind::kJoin;
  std::string type = Str(b, "jointype");
  t->natural = Bool(b, "isNatural");
  ASSIGN_OR_RETURN(t->left, Table(Field(b, "larg")));
  ASSIGN_OR_RETURN(t->right, Table(Field(b, "rarg")));
  ASSIGN_OR_RETURN(t->on, OptionalExpr(b, "quals"));
  ASSIGN_OR_RETURN(t->using_columns, Names(b, "usingClause"));
  t->using_alias = Str(Field(b, "join_using_alias"), "aliasname");
  SetAlias(*t, Field(b, "alias"));
  if (type == "JOIN_INNER") {
    t->join_type = !t->on && t->using_columns.empty() && !t->natural ? ast::JoinType::kCross : ast::JoinType::kInner;
  } else if (type == "JOIN_LEFT") {
    t->join_type = ast::JoinType::kLeft;
  } else if (type == "JOIN_RIGHT") {
    t->join_type = ast::JoinType::kRight;
  } else if (type == "JOIN_FULL") {
    t->join_type = ast::JoinType::kFull;
  } else {
    return Malformed("unknown join type {}", type);
  }
  t->location = t->left->location;
  return t;
}

Result<TableRefPtr> Function(const json& b) {
  auto t = std::make_unique<ast::TableRef>();
  t->kind = ast::TableRefKind::kFunction;
  t->lateral = Bool(b, "lateral");
  t->with_ordinality = Bool(b, "ordinality");
  ASSIGN_OR_RETURN(const json* functions, ListField(b, "functions"));
  if (Bool(b, "is_rowsfrom") || functions->size() != 1) return Unimplemented("ROWS FROM (...) is not supported");
  // Each function is a list [call, column definition list or {}].
  const json& items = Field(Field((*functions)[0], "List"), "items");
  if (!items.is_array() || items.empty()) return Malformed("table function without a call");
  if (items.size() > 1 && !items[1].is_null() && !(items[1].is_object() && items[1].empty()))
    return Unimplemented("column definition lists inside ROWS FROM (...) are not supported");
  ASSIGN_OR_RETURN(t->function, Expr(items[0]));
  t->location = t->function->location;
  SetAlias(*t, Field(b, "alias"));
  ASSIGN_OR_RETURN(const json* coldefs, ListField(b, "coldeflist"));
  if (!coldefs->empty() && !t->column_aliases.empty()) return Malformed("both column aliases and definitions");
  for (const json& c : *coldefs) {
    const json& def = Field(c, "ColumnDef");
    if (!def.is_object()) return Malformed("bad column definition");
    t->column_aliases.push_back(Str(def, "colname"));
    ASSIGN_OR_RETURN(ast::TypeName type, TransformTypeName(Field(def, "typeName")));
    t->column_types.push_back(std::move(type));
  }
  return t;
}

Result<TableRefPtr> Table(const json& node) {
  std::string type;
  const json* body;
  if (!SplitNode(node, &type, &body)) return Malformed("expected a FROM item");
  const json& b = *body;
  if (type == "RangeVar") {
    auto t = std::make_unique<ast::TableRef>();
    t->kind = ast::TableRefKind::kBase;
    t->catalog = Str(b, "catalogname");
    t->schema = Str(b, "schemaname");
    t->name = Str(b, "relname");
    if (t->name.empty()) return Malformed("table without a name");
    SetAlias(*t, Field(b, "alias"));
    t->location = Location(b);
    return t;
  }
  if (type == "RangeSubselect") {
    auto t = std::make_unique<ast::TableRef>();
    t->kind = ast::TableRefKind::kSubquery;
    t->lateral = Bool(b, "lateral");
    ASSIGN_OR_RETURN(t->subquery, SelectNode(Field(b, "subquery")));
    SetAlias(*t, Field(b, "alias"));
    return t;
  }
  if (type == "RangeFunction") return Function(b);
  if (type == "JoinExpr") return Join(b);
  return NotSupported(type, b);
}

Result<ast::GroupingElement> Grouping(const json& node) {
  ast::GroupingElement g;
  const json& set = Field(node, "GroupingSet");
  const json& row = Field(node, "RowExpr");
  if (set.is_object()) {
    std::string kind = Str(set, "kind");
    if (kind == "GROUPING_SET_EMPTY") g.kind = ast::GroupingKind::kEmpty;
    else if (kind == "GROUPING_SET_ROLLUP") g.kind = ast::GroupingKind::kRollup;
    else if (kind == "GROUPING_SET_CUBE") g.kind = ast::GroupingKind::kCube;
    else if (kind == "GROUPING_SET_SETS") g.kind = ast::GroupingKind::kSets;
    else return Malformed("unknown grouping set kind {}", kind);
    ASSIGN_OR_RETURN(const json* content, ListField(set, "content"));
    for (const json& c : *content) {
      ASSIGN_OR_RETURN(ast::GroupingElement child, Grouping(c));
      g.children.push_back(std::move(child));
    }
    g.location = Location(set);
  } else if (row.is_object() && Str(row, "row_format") == "COERCE_IMPLICIT_CAST") {
    // (a, b): grouped together, not a row value.
    g.kind = ast::GroupingKind::kList;
    ASSIGN_OR_RETURN(std::vector<ast::ExprPtr> items, ExprList(row, "args"));
    for (auto& e : items) {
      ast::GroupingElement child;
      child.location = e->location;
      child.expr = std::move(e);
      g.children.push_back(std::move(child));
    }
    g.location = Location(row);
  } else {
    ASSIGN_OR_RETURN(g.expr, Expr(node));
    g.location = g.expr->location;
  }
  return g;
}

Status With(const json& w, ast::SelectStmt& s) {
  s.with_recursive = Bool(w, "recursive");
  ASSIGN_OR_RETURN(const json* ctes, ListField(w, "ctes"));
  for (const json& node : *ctes) {
    const json& c = Field(node, "CommonTableExpr");
    if (!c.is_object()) return Malformed("WITH item is not a common table expression");
    ast::CommonTableExpr cte;
    cte.name = Str(c, "ctename");
    ASSIGN_OR_RETURN(cte.column_names, Names(c, "aliascolnames"));
    std::string mat = Str(c, "ctematerialized");
    cte.materialized = mat == "CTEMaterializeAlways"  ? "materialized"
                       : mat == "CTEMaterializeNever" ? "not materialized"
                                                      : "";
    if (!Field(c, "search_clause").is_null()) return Unimplemented("SEARCH in WITH RECURSIVE is not supported");
    if (!Field(c, "cycle_clause").is_null()) return Unimplemented("CYCLE in WITH RECURSIVE is not supported");
    std::string type;
    const json* body;
    if (!SplitNode(Field(c, "ctequery"), &type, &body)) return Malformed("WITH item without a query");
    if (type != "SelectStmt") return Unimplemented("{} in WITH is not supported", DescribeKind(type));
    ASSIGN_OR_RETURN(cte.query, Select(*body));
    cte.location = Location(c);
    s.with.push_back(std::move(cte));
  }
  return Status::OK();
}

Result<ast::SelectPtr> Select(const json& b) {
  if (!b.is_object()) return Malformed("expected a SELECT");
  auto s = std::make_unique<ast::SelectStmt>();
  const json& with = Field(b, "withClause");
  if (with.is_object()) RETURN_IF_ERROR(With(with, *s));

  std::string op = Str(b, "op");
  if (op == "SETOP_UNION" || op == "SETOP_INTERSECT" || op == "SETOP_EXCEPT") {
    s->op = op == "SETOP_UNION" ? ast::SetOpKind::kUnion : op == "SETOP_INTERSECT" ? ast::SetOpKind::kIntersect
                                                                                    : ast::SetOpKind::kExcept;
    s->set_all = Bool(b, "all");
    ASSIGN_OR_RETURN(s->left, Select(Field(b, "larg")));
    ASSIGN_OR_RETURN(s->right, Select(Field(b, "rarg")));
  } else if (!op.empty() && op != "SETOP_NONE") {
    return Malformed("unknown set operation {}", op);
  }

  ASSIGN_OR_RETURN(const json* values, ListField(b, "valuesLists"));
  for (const json& row : *values) {
    const json& list = Field(row, "List");
    if (!list.is_object()) return Malformed("VALUES row is not a list");
    ASSIGN_OR_RETURN(std::vector<ast::ExprPtr> items, ExprList(list, "items"));
    s->values_lists.push_back(std::move(items));
  }

  ASSIGN_OR_RETURN(const json* distinct, ListField(b, "distinctClause"));
  if (!distinct->empty()) {
    s->distinct = true;
    // DISTINCT is a list of one empty node; DISTINCT ON a list of expressions.
    bool plain = distinct->size() == 1 && ((*distinct)[0].is_null() || (*distinct)[0].empty());
    if (!plain) {
      ASSIGN_OR_RETURN(s->distinct_on, ExprList(b, "distinctClause"));
    }
  }

  ASSIGN_OR_RETURN(const json* targets, ListField(b, "targetList"));
  for (const json& node : *targets) {
    const json& r = Field(node, "ResTarget");
    if (!r.is_object()) return Malformed("select item is not a ResTarget");
    if (!Field(r, "indirection").is_null()) return Malformed("select item with an assignment target");
    ast::SelectItem item;
    const json& val = Field(r, "val");
    if (val.is_null()) return Malformed("select item without a value");
    ASSIGN_OR_RETURN(item.expr, Expr(val));
    item.alias = Str(r, "name");
    item.location = Location(r);
    s->targets.push_back(std::move(item));
  }

  const json& into = Field(Field(b, "intoClause"), "rel");
  if (into.is_object()) {
    for (const char* part : {"catalogname", "schemaname", "relname"}) {
      std::string name = Str(into, part);
      if (name.empty()) continue;
      s->into += (s->into.empty() ? "" : ".") + ast::QuoteIdentifier(name);
    }
    if (s->into.empty()) return Malformed("SELECT INTO without a table");
  }

  ASSIGN_OR_RETURN(const json* from, ListField(b, "fromClause"));
  for (const json& item : *from) {
    ASSIGN_OR_RETURN(TableRefPtr t, Table(item));
    s->from.push_back(std::move(t));
  }
  ASSIGN_OR_RETURN(s->where, OptionalExpr(b, "whereClause"));

  ASSIGN_OR_RETURN(const json* group, ListField(b, "groupClause"));
  for (const json& item : *group) {
    ASSIGN_OR_RETURN(ast::GroupingElement g, Grouping(item));
    s->group_by.push_back(std::move(g));
  }
  s->group_by_distinct = Bool(b, "groupDistinct");
  ASSIGN_OR_RETURN(s->having, OptionalExpr(b, "havingClause"));

  ASSIGN_OR_RETURN(const json* windows, ListField(b, "windowClause"));
  for (const json& node : *windows) {
    const json& w = Field(node, "WindowDef");
    if (!w.is_object()) return Malformed("WINDOW item is not a window definition");
    ASSIGN_OR_RETURN(std::unique_ptr<ast::WindowDef> def, Window(w, /*in_over_clause=*/false));
    if (def->name.empty()) return Malformed("WINDOW item without a name");
    s->windows.push_back(std::move(def));
  }

  ASSIGN_OR_RETURN(s->order_by, SortList(b, "sortClause"));
  ASSIGN_OR_RETURN(s->limit, OptionalExpr(b, "limitCount"));
  ASSIGN_OR_RETURN(s->offset, OptionalExpr(b, "limitOffset"));
  s->limit_with_ties = Str(b, "limitOption") == "LIMIT_OPTION_WITH_TIES";
  ASSIGN_OR_RETURN(const json* locking, ListField(b, "lockingClause"));
  s->for_update = !locking->empty();
  return s;
}

// EXPLAIN's boolean options as PostgreSQL's defGetBoolean reads them.
Result<bool> BoolOption(const std::string& name, const json& arg) {
  if (arg.is_null()) return true;
  if (const json& i = Field(arg, "Integer"); i.is_object()) {
    int64_t v = Int(i, "ival");
    if (v == 0 || v == 1) return v == 1;
  } else if (const json& bv = Field(arg, "Boolean"); bv.is_object()) {
    return Bool(bv, "boolval");
  } else {
    std::string v = Lower(SVal(arg));
    if (v == "true" || v == "on") return true;
    if (v == "false" || v == "off") return false;
  }
  return InvalidArgument("{} requires a Boolean value", name);
}

}  // namespace

Result<ast::SelectPtr> SelectNode(const json& node) {
  std::string type;
  const json* body;
  if (!SplitNode(node, &type, &body)) return Malformed("expected a subquery");
  if (type != "SelectStmt") return Malformed("expected a SELECT, got {}", type);
  return Select(*body);
}

}  // namespace internal

Result<ast::SelectPtr> TransformSelect(const nlohmann::json& select_stmt) { return internal::Select(select_stmt); }

Result<ast::SelectPtr> TransformStatement(const Statement& statement) {
  if (statement.kind != "SelectStmt")
    return InvalidArgument("expected a SELECT statement, not {}", DescribeKind(statement.kind));
  return internal::Select(Field(statement.node, "SelectStmt"));
}

Result<ast::ExplainStmt> TransformExplain(const Statement& statement) {
  using namespace internal;
  if (statement.kind != "ExplainStmt")
    return InvalidArgument("expected an EXPLAIN statement, not {}", DescribeKind(statement.kind));
  const json& b = Field(statement.node, "ExplainStmt");
  ast::ExplainStmt out;
  out.format = "text";
  ASSIGN_OR_RETURN(const json* options, ListField(b, "options"));
  for (const json& node : *options) {
    const json& d = Field(node, "DefElem");
    if (!d.is_object()) return Malformed("EXPLAIN option is not a DefElem");
    std::string name = Str(d, "defname");
    const json& arg = Field(d, "arg");
    if (name == "analyze" || name == "verbose") {
      ASSIGN_OR_RETURN(bool v, BoolOption(name, arg));
      (name == "analyze" ? out.analyze : out.verbose) = v;
    } else if (name == "costs" || name == "settings" || name == "buffers" || name == "wal" || name == "timing" ||
               name == "summary") {
      ASSIGN_OR_RETURN(bool v, BoolOption(name, arg));
      (void)v;  // accepted, without effect
    } else if (name == "format") {
      std::string f = Lower(SVal(arg));
      if (f == "xml" || f == "yaml") {
        return Unimplemented("EXPLAIN (FORMAT {}) is not supported", f == "xml" ? "XML" : "YAML");
      }
      if (f != "text" && f != "json")
        return InvalidArgument("unrecognized value for EXPLAIN option \"format\": \"{}\"", SVal(arg));
      out.format = f;
    } else {
      return InvalidArgument("unrecognized EXPLAIN option \"{}\"", name);
    }
  }
  std::string type;
  const json* query;
  if (!SplitNode(Field(b, "query"), &type, &query)) return Malformed("EXPLAIN without a statement");
  if (type != "SelectStmt") return Unimplemented("EXPLAIN {} is not supported", DescribeKind(type));
  ASSIGN_OR_RETURN(out.query, internal::Select(*query));
  return out;
}

}  // namespace laminar::sql
