#include "pgwire/prepared.h"

#include <fmt/format.h>

#include "pgwire/message.h"
#include "sql/expr.h"
#include "sql/transformer.h"

namespace laminar::pgwire {


Status NoSuchStatement(const std::string& name) {
  return NotFound(ErrorCode::kInvalidSqlStatementName, "prepared statement \"{}\" does not exist", name);
}

Status StatementExists(const std::string& name) {
  return AlreadyExists(ErrorCode::kDuplicatePreparedStatement, "prepared statement \"{}\" already exists", name);
}

Status CheckRoomForStatement(const PreparedStatements& statements, const std::string& name) {
  if (name.empty() || statements.count(name)) return Status::OK();
  size_t named = statements.size() - statements.count("");
  if (named < kMaxPreparedStatements) return Status::OK();
  return ResourceExhausted("too many prepared statements (at most {} per session): DEALLOCATE or Close some",
                           kMaxPreparedStatements);
}

Result<std::shared_ptr<PreparedStatement>> MakePrepared(const std::string& sql, std::vector<uint32_t> param_types,
                                                        const PreparedStatements& statements) {
  // The syntax is checked here, the names when it runs.
  auto parsed = sql::Parse(sql);
  if (!parsed.ok()) return parsed.status();
  if (parsed->size() > 1)
    return InvalidArgument(ErrorCode::kSyntaxError, "cannot insert multiple commands into a prepared statement");
  if (parsed->empty()) {
    auto s = std::make_shared<PreparedStatement>();
    s->sql = sql;
    s->param_types = std::move(param_types);
    s->empty = true;
    return s;
  }
  return MakePrepared(std::move(parsed->front()), std::move(param_types), statements);
}

Result<std::shared_ptr<PreparedStatement>> MakePrepared(sql::Statement stmt, std::vector<uint32_t> param_types,
                                                        const PreparedStatements& statements) {
  auto s = std::make_shared<PreparedStatement>();
  s->sql = stmt.text;
  s->param_types = std::move(param_types);
  const sql::Statement& st = s->parsed.emplace(std::move(stmt));
  size_t n = size_t(sql::MaxParamNumber(st));
  if (n > 65535) return ResourceExhausted("too many parameters");
  if (s->param_types.size() < n) s->param_types.resize(n, kOidUnspecified);
  s->kind = st.kind;
  s->returns_rows = st.kind == "SelectStmt" || st.kind == "ExplainStmt" || st.kind == "VariableShowStmt";
  if (st.kind == "FetchStmt") {
    ASSIGN_OR_RETURN(std::optional<sql::ast::SessionStmt> fetch, sql::TransformSessionStmt(st));
    s->returns_rows = fetch && !std::get<sql::ast::FetchStmt>(*fetch).move;
  }
  if (st.kind == "ExecuteStmt") {
    ASSIGN_OR_RETURN(sql::ast::ExecuteStmt execute, sql::TransformExecute(st));
    s->executes = execute.name;
    auto it = statements.find(s->executes);
    s->returns_rows = it != statements.end() && it->second->returns_rows;
  }
  return s;
}

Result<std::vector<sql::Param>> BindParams(const PreparedStatement& s, const std::vector<std::optional<std::string>>& params,
                                           const std::vector<int16_t>& formats) {
  std::vector<sql::Param> values;
  for (size_t i = 0; i < params.size(); i++) {
    int16_t format = formats.empty() ? 0 : formats.size() == 1 ? formats[0] : formats[i];
    auto v = ParamToValue(params[i], format, s.param_types[i]);
    if (!v.ok()) return v.status().WithContext(fmt::format("parameter ${}", i + 1));
    values.push_back(std::move(*v));
  }
  return values;
}

std::vector<sql::Param> NullParams(const PreparedStatement& s) {
  std::vector<sql::Param> values;
  for (uint32_t oid : s.param_types) values.push_back(*ParamToValue(std::nullopt, 0, oid));
  return values;
}

// ---- SQL PREPARE / EXECUTE / DEALLOCATE ----

Result<uint32_t> ParamTypeOid(const sql::ast::TypeName& type_name) {
  const std::vector<std::string>& names = type_name.names;
  std::string name = names.empty() ? std::string() : names.back();
  std::string schema = names.size() > 1 ? names[0] : std::string();
  std::string shown;
  for (const auto& n : names) shown += (shown.empty() ? "" : ".") + n;
  if (schema.empty() || schema == "pg_catalog") {
    if (type_name.array_bounds > 0)
      return Unimplemented("array types are not supported as parameters: Laminar has no arrays");
    static const std::map<std::string, uint32_t> kTypes = {
        {"int8", kOidInt8},     {"int4", kOidInt4},       {"int2", kOidInt2},
        {"float8", kOidFloat8}, {"float4", kOidFloat4},   {"bool", kOidBool},
        {"text", kOidText},     {"varchar", kOidVarchar}, {"timestamptz", kOidTimestamptz},
        {"date", kOidDate}};
    if (auto it = kTypes.find(name); it != kTypes.end()) return it->second;
    // PostgreSQL types Laminar does not have.
    for (const char* other :
         {"numeric", "timestamp", "time", "timetz", "interval", "json", "jsonb", "uuid",   "bytea", "bpchar",
          "char",    "name", "oid",       "inet", "cidr",   "money",    "xml",  "bit",   "varbit", "point", "regclass"})
      if (name == other)
        return Unimplemented(
            "type {} is not supported as a parameter type: use bigint, integer, smallint, double "
            "precision, real, boolean, text, varchar, timestamp with time zone or date",
            name == "bpchar" ? "character" : name);
  }
  return NotFound(ErrorCode::kUndefinedObject, "type \"{}\" does not exist", shown);
}

Result<SqlPrepare> ParseSqlPrepare(const sql::Statement& stmt) {
  ASSIGN_OR_RETURN(sql::ast::PrepareStmt prepare, sql::TransformPrepare(stmt));
  SqlPrepare p;
  p.name = prepare.name;
  for (const sql::ast::TypeName& t : prepare.arg_types) {
    ASSIGN_OR_RETURN(uint32_t oid, ParamTypeOid(t));
    p.param_types.push_back(oid);
  }
  p.statement = std::move(prepare.statement);
  return p;
}

Result<SqlExecute> ParseSqlExecute(const sql::Statement& stmt) {
  ASSIGN_OR_RETURN(sql::ast::ExecuteStmt execute, sql::TransformExecute(stmt));
  // What an argument may not hold (PostgreSQL's words): a subquery, a window function.
  std::function<Status(const sql::ast::Expr&)> check = [&](const sql::ast::Expr& x) -> Status {
    if (x.kind == sql::ast::ExprKind::kSubquery) return Unimplemented("cannot use subquery in EXECUTE parameter");
    if (x.kind == sql::ast::ExprKind::kFunction && x.over)
      return InvalidArgument(ErrorCode::kWindowingError, "window functions are not allowed in EXECUTE parameters");
    for (const auto& a : x.args)
      if (a) RETURN_IF_ERROR(check(*a));
    return Status::OK();
  };
  for (const auto& a : execute.args) RETURN_IF_ERROR(check(*a));
  SqlExecute e;
  e.name = execute.name;
  e.args = std::move(execute.args);
  return e;
}

Result<Outcome> EvaluateArgs(const SqlExecute& e) {
  Outcome o;
  o.returns_rows = true;
  o.rows.emplace_back();
  sql::Scope none;
  for (size_t i = 0; i < e.args.size(); i++) {
    ASSIGN_OR_RETURN(sql::ExprPtr bound, sql::BindExpr(*e.args[i], none));
    sql::ClearEvalError();
    Value v = sql::Eval(*bound, nullptr);
    if (sql::HasEvalError()) return sql::TakeEvalError();
    o.columns.push_back({fmt::format("${}", i + 1), bound->type});
    o.rows[0].push_back(std::move(v));
  }
  return o;
}

Status CheckArgCount(const PreparedStatement& s, const std::string& name, size_t given) {
  if (given == s.param_types.size()) return Status::OK();
  // PostgreSQL says the counts in a DETAIL field: here in the message.
  return InvalidArgument(ErrorCode::kSyntaxError,
                         "wrong number of parameters for prepared statement \"{}\": expected {}, got {}", name,
                         s.param_types.size(), given);
}

Result<std::vector<sql::Param>> BindExecute(const PreparedStatement& s, const std::string& name, const Outcome& args) {
  size_t given = args.columns.size();
  RETURN_IF_ERROR(CheckArgCount(s, name, given));
  if (args.rows.size() != 1) return Internal("EXECUTE's arguments gave {} rows, not one", args.rows.size());
  PreparedStatement typed = s;
  std::vector<std::optional<std::string>> params;
  for (size_t i = 0; i < given; i++) {
    const Value& v = i < args.rows[0].size() ? args.rows[0][i] : Value::Null();
    if (v.is_null()) {
      params.emplace_back();
      continue;
    }
    Type t = args.columns[i].type;
    params.emplace_back(EncodeText(v, t));
    if (typed.param_types[i] == kOidUnspecified && t != Type::kText) typed.param_types[i] = TypeOid(t);
  }
  return BindParams(typed, params, {});
}

std::optional<std::string> DeallocateName(const sql::Statement& stmt) {
  auto d = sql::TransformDeallocate(stmt);
  return d.ok() ? d->name : std::nullopt;
}

Result<std::string> RunPrepareOrDeallocate(const sql::Statement& stmt, PreparedStatements* statements) {
  if (stmt.kind == "DeallocateStmt") {
    std::optional<std::string> name = DeallocateName(stmt);
    if (!name) {
      for (auto it = statements->begin(); it != statements->end();)
        it = it->first.empty() ? std::next(it) : statements->erase(it);
      return std::string("DEALLOCATE ALL");
    }
    if (!statements->erase(*name)) return NoSuchStatement(*name);
    return std::string("DEALLOCATE");
  }
  Result<SqlPrepare> p = ParseSqlPrepare(stmt);
  if (!p.ok()) return p.status();
  if (statements->count(p->name)) return StatementExists(p->name);
  RETURN_IF_ERROR(CheckRoomForStatement(*statements, p->name));
  auto s = MakePrepared(std::move(p->statement), p->param_types, *statements);
  if (!s.ok()) return s.status();
  (*statements)[p->name] = std::move(*s);
  return std::string("PREPARE");
}

Result<BoundExecute> ResolveExecute(const sql::Statement& stmt, const PreparedStatements& statements) {
  Result<SqlExecute> e = ParseSqlExecute(stmt);
  if (!e.ok()) return e.status();
  auto it = statements.find(e->name);
  if (it == statements.end()) return NoSuchStatement(e->name);
  BoundExecute b;
  b.stmt = it->second;  // kept: DEALLOCATE while it runs does not free it
  RETURN_IF_ERROR(CheckArgCount(*b.stmt, e->name, e->args.size()));
  ASSIGN_OR_RETURN(Outcome args, EvaluateArgs(*e));
  Result<std::vector<sql::Param>> params = BindExecute(*b.stmt, e->name, args);
  if (!params.ok()) return params.status();
  b.params = std::move(*params);
  return b;
}

}  // namespace laminar::pgwire
