// The transformer's DDL statements (sql/transformer.h, sql/ast_ddl.h): CREATE TABLE, CREATE
// MATERIALIZED VIEW, DROP, COPY, INSERT, the SUBSCRIPTION statements, PREPARE / EXECUTE /
// DEALLOCATE.
#include "sql/transformer.h"
#include "sql/transformer_internal.h"

namespace laminar::sql {

using namespace internal;

namespace {

// PostgreSQL's words for a constraint type (CONSTR_PRIMARY → "PRIMARY KEY").
std::string ConstraintWords(const std::string& contype) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"CONSTR_DEFAULT", "DEFAULT"},
      {"CONSTR_IDENTITY", "GENERATED ... AS IDENTITY"},
      {"CONSTR_GENERATED", "GENERATED"},
      {"CONSTR_CHECK", "CHECK"},
      {"CONSTR_PRIMARY", "PRIMARY KEY"},
      {"CONSTR_UNIQUE", "UNIQUE"},
      {"CONSTR_EXCLUSION", "EXCLUDE"},
      {"CONSTR_FOREIGN", "REFERENCES (foreign key)"},
      {"CONSTR_ATTR_DEFERRABLE", "DEFERRABLE"},
      {"CONSTR_ATTR_NOT_DEFERRABLE", "NOT DEFERRABLE"},
      {"CONSTR_ATTR_DEFERRED", "INITIALLY DEFERRED"},
      {"CONSTR_ATTR_IMMEDIATE", "INITIALLY IMMEDIATE"}};
  for (const auto& [k, name] : kNames)
    if (contype == k) return name;
  return "this constraint";
}

Result<ast::DdlOption> Option(const json& node) {
  std::string type;
  const json* de = nullptr;
  if (!SplitNode(node, &type, &de) || type != "DefElem") return Malformed("expected a DefElem option");
  ast::DdlOption o;
  o.name_space = Str(*de, "defnamespace");
  o.name = Str(*de, "defname");
  if (!de->contains("arg")) return o;
  const json& arg = (*de)["arg"];
  std::string arg_type;
  const json* body = nullptr;
  using Arg = ast::DdlOption::Arg;
  o.arg = Arg::kOther;
  if (!SplitNode(arg, &arg_type, &body)) return o;
  if (arg_type == "String") {
    o.arg = Arg::kString;
    o.value = Str(*body, "sval");
  } else if (arg_type == "Integer") {
    o.arg = Arg::kInteger;
    o.value = std::to_string(Int(*body, "ival"));
  } else if (arg_type == "Float") {
    o.arg = Arg::kFloat;
    o.value = Str(*body, "fval");
  } else if (arg_type == "Boolean") {
    o.arg = Arg::kBoolean;
    o.value = Bool(*body, "boolval") ? "true" : "false";
  } else if (arg_type == "TypeName") {  // a bare word: event_time = ts, FORMAT csv
    ASSIGN_OR_RETURN(std::vector<std::string> names, Names(*body, "names"));
    if (names.size() == 1) {
      o.arg = Arg::kWord;
      o.value = names[0];
    }
  } else if (arg_type == "List") {
    o.arg = Arg::kList;
    ASSIGN_OR_RETURN(o.list, Names(*body, "items"));
  } else if (arg_type == "A_Star") {
    o.arg = Arg::kStar;
  }
  return o;
}

// The DefElem list under `key`.
Result<std::vector<ast::DdlOption>> Options(const json& obj, const char* key) {
  ASSIGN_OR_RETURN(const json* list, ListField(obj, key));
  std::vector<ast::DdlOption> out;
  for (const json& o : *list) {
    ASSIGN_OR_RETURN(ast::DdlOption option, Option(o));
    out.push_back(std::move(option));
  }
  return out;
}

Result<ast::ColumnDef> Column(const json& cd) {
  ast::ColumnDef c;
  c.name = Str(cd, "colname");
  c.location = Location(cd);
  if (!cd.contains("typeName")) return Malformed("column without a type");
  ASSIGN_OR_RETURN(c.type, TransformTypeName(cd["typeName"]));
  c.collate = cd.contains("collClause");
  c.has_default = cd.contains("raw_default");
  ASSIGN_OR_RETURN(const json* constraints, ListField(cd, "constraints"));
  for (const json& node : *constraints) {
    std::string type;
    const json* con = nullptr;
    if (!SplitNode(node, &type, &con) || type != "Constraint") return Malformed("expected a column constraint");
    std::string contype = Str(*con, "contype");
    if (contype == "CONSTR_NOTNULL") {
      c.not_null = true;
    } else if (contype == "CONSTR_DEFAULT") {  // the raw tree keeps DEFAULT among the constraints
      c.has_default = true;
    } else if (contype == "CONSTR_NULL") {
      c.null = true;
    } else {
      c.other_constraints.push_back(ConstraintWords(contype));
    }
  }
  return c;
}

}  // namespace

Result<ast::RangeName> TransformRangeVar(const json& node) {
  const json& rv = node.contains("RangeVar") ? node["RangeVar"] : node;
  if (!rv.is_object()) return Malformed("expected a relation name");
  ast::RangeName r;
  r.catalog = Str(rv, "catalogname");
  r.schema = Str(rv, "schemaname");
  r.name = Str(rv, "relname");
  r.location = Location(rv);
  std::string persistence = Str(rv, "relpersistence");
  if (persistence == "t") r.persistence = ast::RangeName::Persistence::kTemporary;
  if (persistence == "u") r.persistence = ast::RangeName::Persistence::kUnlogged;
  return r;
}

Result<ast::CreateTable> TransformCreateTable(const Statement& statement) {
  if (statement.kind != "CreateStmt") return InvalidArgument("not a CREATE TABLE statement: {}", statement.kind);
  const json& cs = statement.node["CreateStmt"];
  ast::CreateTable t;
  if (!cs.contains("relation")) return Malformed("CREATE TABLE without a relation");
  ASSIGN_OR_RETURN(t.relation, TransformRangeVar(cs["relation"]));
  t.if_not_exists = Bool(cs, "if_not_exists");
  ASSIGN_OR_RETURN(t.options, Options(cs, "options"));
  ASSIGN_OR_RETURN(const json* elements, ListField(cs, "tableElts"));
  for (const json& node : *elements) {
    std::string type;
    const json* body = nullptr;
    if (!SplitNode(node, &type, &body)) return Malformed("expected a table element");
    if (type == "ColumnDef") {
      ASSIGN_OR_RETURN(ast::ColumnDef c, Column(*body));
      t.columns.push_back(std::move(c));
    } else if (type == "Constraint") {
      t.table_constraints.push_back(ConstraintWords(Str(*body, "contype")));
    } else if (type == "TableLikeClause") {
      t.other_clauses.push_back("(LIKE ...)");
    } else {
      t.other_clauses.push_back(DescribeNode(type, *body));
    }
  }
  ASSIGN_OR_RETURN(const json* constraints, ListField(cs, "constraints"));
  for (const json& node : *constraints) {
    std::string type;
    const json* body = nullptr;
    if (SplitNode(node, &type, &body) && type == "Constraint") t.table_constraints.push_back(ConstraintWords(Str(*body, "contype")));
  }
  static const std::pair<const char*, const char*> kClauses[] = {
      {"inhRelations", "INHERITS"}, {"partspec", "PARTITION BY"}, {"partbound", "PARTITION OF"},
      {"ofTypename", "OF type"},    {"tablespacename", "TABLESPACE"}, {"accessMethod", "USING"}};
  for (const auto& [key, words] : kClauses)
    if (cs.contains(key)) t.other_clauses.push_back(words);
  std::string oncommit = Str(cs, "oncommit");
  if (!oncommit.empty() && oncommit != "ONCOMMIT_NOOP") t.other_clauses.push_back("ON COMMIT");
  return t;
}

Result<ast::CreateMatView> TransformCreateMatView(const Statement& statement) {
  if (statement.kind != "CreateTableAsStmt")
    return InvalidArgument("not a CREATE MATERIALIZED VIEW statement: {}", statement.kind);
  const json& ctas = statement.node["CreateTableAsStmt"];
  ast::CreateMatView v;
  v.matview = Str(ctas, "objtype") == "OBJECT_MATVIEW";
  v.if_not_exists = Bool(ctas, "if_not_exists");
  if (!ctas.contains("into") || !ctas["into"].is_object()) return Malformed("CREATE ... AS without a target");
  const json& into = ctas["into"];
  if (!into.contains("rel")) return Malformed("CREATE ... AS without a relation");
  ASSIGN_OR_RETURN(v.relation, TransformRangeVar(into["rel"]));
  ASSIGN_OR_RETURN(v.column_names, Names(into, "colNames"));
  ASSIGN_OR_RETURN(v.options, Options(into, "options"));
  v.with_no_data = Bool(into, "skipData");
  if (into.contains("tableSpaceName")) v.other_clauses.push_back("TABLESPACE");
  if (into.contains("accessMethod")) v.other_clauses.push_back("USING");
  if (ctas.contains("query") && ctas["query"].contains("SelectStmt")) {
    ASSIGN_OR_RETURN(v.query, TransformSelect(ctas["query"]["SelectStmt"]));
  }
  return v;
}

Result<ast::DropStmt> TransformDrop(const Statement& statement) {
  if (statement.kind != "DropStmt") return InvalidArgument("not a DROP statement: {}", statement.kind);
  const json& ds = statement.node["DropStmt"];
  ast::DropStmt d;
  std::string type = Str(ds, "removeType");
  d.kind = type == "OBJECT_TABLE"     ? ast::DropStmt::Kind::kTable
           : type == "OBJECT_MATVIEW" ? ast::DropStmt::Kind::kMaterializedView
           : type == "OBJECT_VIEW"    ? ast::DropStmt::Kind::kView
                                      : ast::DropStmt::Kind::kOther;
  d.object_words = type.rfind("OBJECT_", 0) == 0 ? type.substr(7) : type;  // OBJECT_MATVIEW → MATVIEW
  for (char& c : d.object_words)
    if (c == '_') c = ' ';
  if (d.kind == ast::DropStmt::Kind::kMaterializedView) d.object_words = "MATERIALIZED VIEW";
  d.if_exists = Bool(ds, "missing_ok");
  d.cascade = Str(ds, "behavior") == "DROP_CASCADE";
  d.concurrently = Bool(ds, "concurrent");
  if (d.kind == ast::DropStmt::Kind::kOther) return d;
  ASSIGN_OR_RETURN(const json* objects, ListField(ds, "objects"));
  for (const json& object : *objects) {
    if (!object.contains("List")) return Malformed("expected a name list in DROP");
    ASSIGN_OR_RETURN(std::vector<std::string> names, Names(object["List"], "items"));
    d.names.push_back(std::move(names));
  }
  return d;
}

Result<ast::CopyStmt> TransformCopy(const Statement& statement) {
  if (statement.kind != "CopyStmt") return InvalidArgument("not a COPY statement: {}", statement.kind);
  const json& cs = statement.node["CopyStmt"];
  ast::CopyStmt c;
  if (cs.contains("relation")) {
    c.has_relation = true;
    ASSIGN_OR_RETURN(c.relation, TransformRangeVar(cs["relation"]));
  }
  ASSIGN_OR_RETURN(c.columns, Names(cs, "attlist"));
  if (cs.contains("query")) {
    const json& q = cs["query"];
    if (q.contains("SelectStmt")) {
      ASSIGN_OR_RETURN(c.query, TransformSelect(q["SelectStmt"]));
    } else {
      c.query_kind = q.is_object() && !q.empty() ? q.begin().key() : std::string("?");
    }
  }
  c.is_from = Bool(cs, "is_from");
  c.is_program = Bool(cs, "is_program");
  if (cs.contains("filename")) c.filename = Str(cs, "filename");
  c.has_where = cs.contains("whereClause");
  ASSIGN_OR_RETURN(c.options, Options(cs, "options"));
  return c;
}

Result<ast::InsertStmt> TransformInsert(const Statement& statement) {
  if (statement.kind != "InsertStmt") return InvalidArgument("not an INSERT statement: {}", statement.kind);
  const json& is = statement.node["InsertStmt"];
  ast::InsertStmt in;
  if (!is.contains("relation")) return Malformed("INSERT without a table");
  ASSIGN_OR_RETURN(in.relation, TransformRangeVar(is["relation"]));
  ASSIGN_OR_RETURN(const json* cols, ListField(is, "cols"));
  for (const json& c : *cols) {
    if (!c.contains("ResTarget")) return Malformed("INSERT column list");
    const json& target = c["ResTarget"];
    if (target.contains("indirection"))
      return Unimplemented("INSERT into a part of a column (an array element or a field) is not supported");
    in.columns.push_back(Str(target, "name"));
  }
  if (is.contains("selectStmt")) {
    const json& q = is["selectStmt"];
    if (!q.contains("SelectStmt")) return Malformed("INSERT without a SELECT or VALUES");
    ASSIGN_OR_RETURN(in.query, TransformSelect(q["SelectStmt"]));
  }
  in.has_returning = is.contains("returningList");
  in.has_on_conflict = is.contains("onConflictClause");
  in.has_with = is.contains("withClause");
  in.has_overriding = Str(is, "override") != "" && Str(is, "override") != "OVERRIDING_NOT_SET";
  return in;
}

Result<ast::CreateSubscription> TransformCreateSubscription(const Statement& statement) {
  if (statement.kind != "CreateSubscriptionStmt")
    return InvalidArgument("not a CREATE SUBSCRIPTION statement: {}", statement.kind);
  const json& cs = statement.node["CreateSubscriptionStmt"];
  ast::CreateSubscription c;
  c.name = Str(cs, "subname");
  c.connection = Str(cs, "conninfo");
  ASSIGN_OR_RETURN(c.publications, Names(cs, "publication"));
  ASSIGN_OR_RETURN(c.options, Options(cs, "options"));
  return c;
}

Result<ast::AlterSubscription> TransformAlterSubscription(const Statement& statement) {
  if (statement.kind != "AlterSubscriptionStmt")
    return InvalidArgument("not an ALTER SUBSCRIPTION statement: {}", statement.kind);
  const json& as = statement.node["AlterSubscriptionStmt"];
  ast::AlterSubscription a;
  a.name = Str(as, "subname");
  std::string kind = Str(as, "kind");
  if (kind == "ALTER_SUBSCRIPTION_ENABLED") {
    ASSIGN_OR_RETURN(std::vector<ast::DdlOption> options, Options(as, "options"));
    bool enabled = options.size() == 1 && options[0].name == "enabled" && options[0].value == "true";
    a.kind = enabled ? ast::AlterSubscription::Kind::kEnable : ast::AlterSubscription::Kind::kDisable;
    a.kind_words = enabled ? "ENABLE" : "DISABLE";
    return a;
  }
  static const std::pair<const char*, const char*> kWords[] = {
      {"ALTER_SUBSCRIPTION_OPTIONS", "SET (...)"},
      {"ALTER_SUBSCRIPTION_CONNECTION", "CONNECTION"},
      {"ALTER_SUBSCRIPTION_SET_PUBLICATION", "SET PUBLICATION"},
      {"ALTER_SUBSCRIPTION_ADD_PUBLICATION", "ADD PUBLICATION"},
      {"ALTER_SUBSCRIPTION_DROP_PUBLICATION", "DROP PUBLICATION"},
      {"ALTER_SUBSCRIPTION_REFRESH", "REFRESH PUBLICATION"},
      {"ALTER_SUBSCRIPTION_SKIP", "SKIP"}};
  a.kind_words = kind;
  for (const auto& [k, words] : kWords)
    if (kind == k) a.kind_words = words;
  return a;
}

Result<ast::DropSubscription> TransformDropSubscription(const Statement& statement) {
  if (statement.kind != "DropSubscriptionStmt")
    return InvalidArgument("not a DROP SUBSCRIPTION statement: {}", statement.kind);
  const json& ds = statement.node["DropSubscriptionStmt"];
  ast::DropSubscription d;
  d.name = Str(ds, "subname");
  d.if_exists = Bool(ds, "missing_ok");
  return d;
}

Result<ast::PrepareStmt> TransformPrepare(const Statement& statement) {
  if (statement.kind != "PrepareStmt") return InvalidArgument("not a PREPARE statement: {}", statement.kind);
  const json& ps = statement.node["PrepareStmt"];
  ast::PrepareStmt p;
  p.name = Str(ps, "name");
  ASSIGN_OR_RETURN(const json* types, ListField(ps, "argtypes"));
  for (const json& t : *types) {
    ASSIGN_OR_RETURN(ast::TypeName type, TransformTypeName(t));
    p.arg_types.push_back(std::move(type));
  }
  const json& query = Field(ps, "query");
  if (!query.is_object() || query.size() != 1) return Malformed("PREPARE without a statement");
  p.statement.node = query;
  p.statement.kind = query.begin().key();
  p.statement.text = statement.text;
  return p;
}

Result<ast::ExecuteStmt> TransformExecute(const Statement& statement) {
  if (statement.kind != "ExecuteStmt") return InvalidArgument("not an EXECUTE statement: {}", statement.kind);
  const json& es = statement.node["ExecuteStmt"];
  ast::ExecuteStmt e;
  e.name = Str(es, "name");
  ASSIGN_OR_RETURN(e.args, ExprList(es, "params"));
  return e;
}

Result<ast::DeallocateStmt> TransformDeallocate(const Statement& statement) {
  if (statement.kind != "DeallocateStmt") return InvalidArgument("not a DEALLOCATE statement: {}", statement.kind);
  const json& ds = statement.node["DeallocateStmt"];
  ast::DeallocateStmt d;
  if (ds.contains("name")) d.name = Str(ds, "name");
  return d;
}

}  // namespace laminar::sql
