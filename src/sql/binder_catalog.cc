// The session and catalog functions PostgreSQL clients call (sql/session.h, sql/pg_types.h):
// current_user and friends, current_database(), current_schema(s), current_setting(),
// set_config(), version(), pg_backend_pid(), pg_sleep(); the catalog's helpers (format_type,
// pg_get_userbyid, pg_table_is_visible, pg_get_viewdef, ... and those that answer NULL because
// Laminar has no such object: comments, defaults, constraints, sizes); and the casts to the
// object-identifier types regclass, regtype, regproc and regnamespace. Laminar has no reg* type:
// a name cast to one gives its oid (bigint), an oid cast to one gives its name (text).
#include <fmt/format.h>

#include "common/strings.h"
#include "sql/array.h"
#include "sql/binder_internal.h"
#include "sql/pg_types.h"
#include "sql/session.h"

namespace laminar::sql::binder_internal {

namespace {

Bound Lit(Value v, Type t) { return Bound{MakeLiteral(std::move(v), t), false}; }
Bound Text(std::string s) { return Lit(Value::Text(std::move(s)), Type::kText); }

// Simple CASE operand WHEN k THEN v ... ELSE otherwise END.
ExprPtr CaseMap(ExprPtr operand, const std::vector<std::pair<Value, Value>>& pairs, Type key_type, Type value_type,
                ExprPtr otherwise) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCase;
  e->type = value_type;
  e->has_operand = true;
  e->children.push_back(std::move(operand));
  for (const auto& [k, v] : pairs) {
    e->children.push_back(MakeLiteral(k, key_type));
    e->children.push_back(MakeLiteral(v, value_type));
  }
  e->children.push_back(otherwise ? std::move(otherwise) : MakeLiteral(Value::Null(), value_type));
  return e;
}

ExprPtr IsNullExpr(ExprPtr x) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kIsNull;
  e->type = Type::kBool;
  e->children = {std::move(x)};
  return e;
}

// CASE WHEN x IS NULL THEN NULL ELSE v END: a function of x that is strict and otherwise v.
ExprPtr StrictConst(ExprPtr x, Value v, Type t) {
  if (x->kind == ExprKind::kLiteral) return MakeLiteral(x->literal.is_null() ? Value::Null() : std::move(v), t);
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCase;
  e->type = t;
  e->children = {IsNullExpr(std::move(x)), MakeLiteral(Value::Null(), t), MakeLiteral(std::move(v), t)};
  return e;
}

// An argument that is an oid (bigint; untyped literals read as one).
Result<ExprPtr> OidArg(Bound b, const std::string& fn) {
  if (b.unknown) return ResolveUnknown(b, Type::kInt64);
  if (b.e->type != Type::kInt64)
    return InvalidArgument(ErrorCode::kUndefinedFunction, "function {}({}) does not exist", fn, TypeName(b.e->type));
  return b.e;
}

Result<std::string> ConstText(const Bound& b, const std::string& what) {
  if (b.e->kind != ExprKind::kLiteral || (!b.unknown && b.e->type != Type::kText))
    return Unimplemented(ErrorCode::kFeatureNotSupported, "{} must be a constant string", what);
  if (b.e->literal.is_null()) return std::string();
  return b.e->literal.as_text();
}

// The last part of a possibly qualified, possibly quoted name ("pg_catalog.pg_class",
// "public.\"My Table\""): PostgreSQL's identifier rules (unquoted parts fold to lower case).
std::string UnqualifiedName(std::string_view text) {
  std::vector<std::string> parts;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); i++) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cur += '"';
        i++;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '.') {
      parts.push_back(std::move(cur));
      cur.clear();
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return cur;
}

// The (oid, name) pairs of a reg* type.
std::vector<std::pair<int64_t, std::string>> RegObjects(const std::string& type) {
  std::vector<std::pair<int64_t, std::string>> out;
  if (type == "regclass") {
    for (const auto& r : Session::Current().Relations()) out.emplace_back(r.oid, r.name);
    for (const auto& r : pg::SystemRelations()) out.emplace_back(r.oid, r.name);
  } else if (type == "regtype") {
    for (const auto& t : pg::Types()) out.emplace_back(t.oid, t.formatted);
  } else if (type == "regproc") {
    for (const auto& t : pg::Types()) {
      out.emplace_back(*pg::ProcOid(t.input), t.input);
      out.emplace_back(*pg::ProcOid(t.output), t.output);
    }
  } else if (type == "regnamespace") {
    for (const auto& [oid, name] : pg::Namespaces()) out.emplace_back(oid, name);
  }
  return out;
}

std::optional<int64_t> RegLookup(const std::string& type, const std::string& name) {
  std::string n = UnqualifiedName(name);
  if (type == "regtype") {
    if (const pg::TypeInfo* t = pg::FindTypeByName(n)) return t->oid;
    for (const auto& t : pg::Types())
      if (n == t.formatted) return t.oid;
    if (n == "int" || n == "integer") return 23;
    return std::nullopt;
  }
  for (const auto& [oid, obj] : RegObjects(type))
    if (obj == n) return oid;
  return std::nullopt;
}

Status RegNotFound(const std::string& type, const std::string& name) {
  if (type == "regclass") return InvalidArgument(ErrorCode::kUndefinedTable, "relation \"{}\" does not exist", name);
  if (type == "regtype") return InvalidArgument(ErrorCode::kUndefinedObject, "type \"{}\" does not exist", name);
  if (type == "regproc") return InvalidArgument(ErrorCode::kUndefinedFunction, "function \"{}\" does not exist", name);
  return InvalidArgument(ErrorCode::kInvalidSchemaName, "schema \"{}\" does not exist", name);
}

}  // namespace

bool IsRegTypeName(const std::string& name) {
  return name == "regclass" || name == "regtype" || name == "regproc" || name == "regnamespace" || name == "regprocedure" ||
         name == "regoper" || name == "regrole";
}

Result<Bound> BindRegCast(const std::string& type, const ast::Expr& tc, const Ctx& cx) {
  if (type != "regclass" && type != "regtype" && type != "regproc" && type != "regnamespace")
    return Unimplemented(ErrorCode::kFeatureNotSupported, "unsupported type: {}", type);
  ASSIGN_OR_RETURN(Bound arg, Bind(*tc.args[0], cx));
  if (arg.unknown || arg.e->type == Type::kText) {
    // A name: its oid.
    if (arg.e->kind == ExprKind::kLiteral) {
      if (arg.e->literal.is_null()) return Lit(Value::Null(), Type::kInt64);
      const std::string& name = arg.e->literal.as_text();
      int64_t number = 0;
      if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        auto v = CastText(name, Type::kInt64);
        if (v.ok()) number = v->as_int();
        return Lit(Value::Int(number), Type::kInt64);
      }
      auto oid = RegLookup(type, name);
      if (!oid) return RegNotFound(type, name);
      return Lit(Value::Int(*oid), Type::kInt64);
    }
    std::vector<std::pair<Value, Value>> pairs;
    for (const auto& [oid, name] : RegObjects(type)) pairs.emplace_back(Value::Text(name), Value::Int(oid));
    return Bound{CaseMap(arg.e, pairs, Type::kText, Type::kInt64, nullptr), false};
  }
  if (arg.e->type != Type::kInt64)
    return InvalidArgument(ErrorCode::kCannotCoerce, "cannot cast type {} to {}", TypeName(arg.e->type), type);
  // An oid: its name, or the number as text when no object has it (as PostgreSQL prints it).
  std::vector<std::pair<Value, Value>> pairs;
  for (const auto& [oid, name] : RegObjects(type)) pairs.emplace_back(Value::Int(oid), Value::Text(name));
  ExprPtr e = CaseMap(arg.e, pairs, Type::kInt64, Type::kText, MakeCast(arg.e, Type::kText));
  return Bound{e, false};
}

Result<Bound> BindJsonBuildObject(const ast::Expr& fc, const Ctx& cx) {
  if (fc.args.size() % 2 != 0)
    return InvalidArgument(ErrorCode::kInvalidParameterValue, "argument list must have even number of elements");
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kFunc;
  e->func = Func::kJsonBuildObject;
  e->type = Type::kText;
  for (const auto& a : fc.args) {
    ASSIGN_OR_RETURN(Bound b, Bind(*a, cx));
    if (b.unknown) {
      ASSIGN_OR_RETURN(b.e, ResolveUnknown(b, Type::kText));
    }
    e->children.push_back(b.e);
  }
  return Bound{e, false};
}

std::optional<Result<Bound>> BindSessionValue(const ast::Expr& node) {
  const Session& s = Session::Current();
  const std::string& v = node.sql_value;
  if (v == "current_user" || v == "session_user" || v == "user" || v == "current_role") return Result<Bound>(Text(s.user));
  if (v == "current_catalog") return Result<Bound>(Text(s.database));
  if (v == "current_schema") return Result<Bound>(Text("public"));
  return std::nullopt;
}

std::optional<Result<Bound>> BindCatalogFunc(const std::string& name, const ast::Expr& fc, const Ctx& cx) {
  static const char* kNames[] = {
      "current_database", "current_schema", "current_schemas", "current_setting", "set_config", "version",
      "pg_backend_pid", "pg_is_in_recovery", "pg_sleep", "pg_get_userbyid", "pg_table_is_visible",
      "pg_type_is_visible", "pg_function_is_visible", "format_type", "pg_get_viewdef", "pg_encoding_to_char",
      "pg_relation_is_publishable", "obj_description", "col_description", "shobj_description", "pg_get_expr",
      "pg_get_function_result", "pg_get_function_arguments", "pg_get_constraintdef", "pg_get_statisticsobjdef_columns",
      "pg_get_serial_sequence", "pg_get_indexdef", "pg_get_triggerdef", "pg_get_ruledef", "pg_relation_size",
      "pg_table_size", "pg_total_relation_size", "pg_indexes_size", "pg_postmaster_start_time"};
  if (name == "json_build_object") return BindJsonBuildObject(fc, cx);
  bool known = false;
  for (const char* n : kNames) known = known || name == n;
  if (!known) return std::nullopt;
  auto run = [&]() -> Result<Bound> {
    const Session& s = Session::Current();
    std::vector<Bound> args;
    for (const auto& a : fc.args) {
      ASSIGN_OR_RETURN(Bound b, Bind(*a, cx));
      args.push_back(b);
    }
    size_t n = args.size();
    auto no_such = [&]() {
      return InvalidArgument(ErrorCode::kUndefinedFunction, "function {}({}) does not exist", name, SignatureText(args));
    };
    auto want = [&](size_t lo, size_t hi) { return n >= lo && n <= hi; };
    if (name == "current_database") return n == 0 ? Result<Bound>(Text(s.database)) : no_such();
    if (name == "current_schema") return n == 0 ? Result<Bound>(Text("public")) : no_such();
    if (name == "version") return n == 0 ? Result<Bound>(Text(pg::kVersionString)) : no_such();
    if (name == "pg_backend_pid") return n == 0 ? Result<Bound>(Lit(Value::Int(s.backend_pid), Type::kInt64)) : no_such();
    if (name == "pg_is_in_recovery") return n == 0 ? Result<Bound>(Lit(Value::Bool(false), Type::kBool)) : no_such();
    if (name == "pg_postmaster_start_time") return Unimplemented(ErrorCode::kFeatureNotSupported, "pg_postmaster_start_time() is not supported");
    if (name == "current_schemas") {
      if (n != 1) return no_such();
      if (args[0].e->kind != ExprKind::kLiteral) return Unimplemented(ErrorCode::kFeatureNotSupported, "current_schemas needs a constant argument");
      Value implicit = args[0].e->literal;
      if (args[0].unknown) {
        ASSIGN_OR_RETURN(implicit, CastText(implicit.as_text(), Type::kBool));
      }
      if (implicit.is_null()) return Lit(Value::Null(), Type::kText);
      return Text(implicit.as_bool() ? FormatArray({"pg_catalog", "public"}) : FormatArray({"public"}));
    }
    if (name == "current_setting") {
      if (!want(1, 2)) return no_such();
      ASSIGN_OR_RETURN(std::string key, ConstText(args[0], "the setting name of current_setting"));
      bool missing_ok = false;
      if (n == 2) {
        if (args[1].e->kind != ExprKind::kLiteral) return Unimplemented(ErrorCode::kFeatureNotSupported, "current_setting: missing_ok must be a constant");
        Value m = args[1].e->literal;
        if (args[1].unknown) {
          ASSIGN_OR_RETURN(m, CastText(m.as_text(), Type::kBool));
        }
        missing_ok = !m.is_null() && m.as_bool();
      }
      auto v = s.Setting(key);
      if (!v) {
        if (missing_ok) return Lit(Value::Null(), Type::kText);
        return InvalidArgument(ErrorCode::kUndefinedObject, "unrecognized configuration parameter \"{}\"", key);
      }
      return Text(*v);
    }
    if (name == "set_config") {
      if (n != 3) return no_such();
      ASSIGN_OR_RETURN(std::string key, ConstText(args[0], "the setting name of set_config"));
      ASSIGN_OR_RETURN(std::string value, ConstText(args[1], "the value of set_config"));
      if (args[2].e->kind != ExprKind::kLiteral) return Unimplemented(ErrorCode::kFeatureNotSupported, "set_config: is_local must be a constant");
      Value local = args[2].e->literal;
      if (args[2].unknown) {
        ASSIGN_OR_RETURN(local, CastText(local.as_text(), Type::kBool));
      }
      // is_local lasts for the transaction; Laminar's statements each are one: nothing to keep.
      if (s.changes && !(local.is_null() ? false : local.as_bool())) s.changes->emplace_back(key, value);
      return Text(value);
    }
    if (name == "pg_sleep") {
      if (n != 1) return no_such();
      Bound a = args[0];
      if (a.unknown) {
        ASSIGN_OR_RETURN(a.e, ResolveUnknown(a, Type::kDouble));
      }
      if (a.e->kind != ExprKind::kLiteral || !IsNumeric(a.e->type))
        return Unimplemented(ErrorCode::kFeatureNotSupported, "pg_sleep needs a constant number of seconds");
      // Laminar runs pg_sleep when the statement is planned (it has no volatile functions).
      if (!a.e->literal.is_null()) {
        double secs = a.e->type == Type::kDouble ? a.e->literal.as_double() : static_cast<double>(a.e->literal.as_int());
        if (s.sleep) {
          RETURN_IF_ERROR(s.sleep(secs));
        } else if (secs > 0) {
          return Unimplemented(ErrorCode::kFeatureNotSupported, "pg_sleep is supported over the PostgreSQL protocol only");
        }
      }
      return Text("");
    }
    // Functions of an oid.
    if (name == "pg_get_userbyid") {
      if (n != 1) return no_such();
      ASSIGN_OR_RETURN(ExprPtr x, OidArg(args[0], name));
      auto unknown = std::make_shared<Expr>();
      unknown->kind = ExprKind::kFunc;
      unknown->func = Func::kConcatOp;
      unknown->type = Type::kText;
      unknown->children = {MakeLiteral(Value::Text("unknown (OID="), Type::kText),
                           MakeCast(x, Type::kText)};
      auto closed = std::make_shared<Expr>(*unknown);
      closed->children = {unknown, MakeLiteral(Value::Text(")"), Type::kText)};
      return Bound{CaseMap(x, {{Value::Int(pg::kOwnerRoleOid), Value::Text(pg::kOwnerRoleName)}}, Type::kInt64,
                           Type::kText, closed), false};
    }
    if (name == "pg_table_is_visible" || name == "pg_type_is_visible" || name == "pg_function_is_visible") {
      // Every relation and type is in pg_catalog or public, both on the search path.
      if (n != 1) return no_such();
      ASSIGN_OR_RETURN(ExprPtr x, OidArg(args[0], name));
      return Bound{StrictConst(x, Value::Bool(true), Type::kBool), false};
    }
    if (name == "pg_relation_is_publishable") {
      if (n != 1) return no_such();
      ASSIGN_OR_RETURN(ExprPtr x, OidArg(args[0], name));
      return Bound{StrictConst(x, Value::Bool(false), Type::kBool), false};
    }
    if (name == "format_type") {
      if (n != 2) return no_such();
      ASSIGN_OR_RETURN(ExprPtr x, OidArg(args[0], name));
      std::vector<std::pair<Value, Value>> pairs;
      for (const auto& t : pg::Types()) pairs.emplace_back(Value::Int(t.oid), Value::Text(t.formatted));
      for (const auto& [oid, formatted] : pg::OtherTypeNames()) pairs.emplace_back(Value::Int(oid), Value::Text(formatted));
      return Bound{CaseMap(x, pairs, Type::kInt64, Type::kText, MakeLiteral(Value::Text("???"), Type::kText)), false};
    }
    if (name == "pg_encoding_to_char") {
      if (n != 1) return no_such();
      ASSIGN_OR_RETURN(ExprPtr x, OidArg(args[0], name));
      return Bound{CaseMap(x, {{Value::Int(6), Value::Text("UTF8")}}, Type::kInt64, Type::kText,
                           MakeLiteral(Value::Text(""), Type::kText)), false};
    }
    if (name == "pg_get_viewdef") {
      if (!want(1, 2)) return no_such();
      ASSIGN_OR_RETURN(ExprPtr x, OidArg(args[0], name));
      std::vector<std::pair<Value, Value>> pairs;
      for (const auto& r : s.Relations())
        if (!r.view_select.empty()) pairs.emplace_back(Value::Int(r.oid), Value::Text(r.view_select));
      return Bound{CaseMap(x, pairs, Type::kInt64, Type::kText, nullptr), false};
    }
    // What Laminar has none of: comments, stored expressions (defaults, partition bounds),
    // constraints, indexes, triggers, rules, serial sequences, functions' signatures, sizes.
    if (name == "pg_relation_size" || name == "pg_table_size" || name == "pg_total_relation_size" ||
        name == "pg_indexes_size")
      return n == 1 ? Result<Bound>(Lit(Value::Null(), Type::kInt64)) : no_such();
    return Lit(Value::Null(), Type::kText);
  };
  return run();
}

}  // namespace laminar::sql::binder_internal
