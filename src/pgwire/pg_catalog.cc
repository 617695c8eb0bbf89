// pg_catalog emulation (see pg_catalog.h): the public entry points. The virtual tables are in
// catalog_tables.cc, the interpreter in catalog_interp.cc (queries), catalog_expr.cc
// (expressions) and catalog_functions.cc (functions); values and types in catalog_values.cc.
#include "pgwire/pg_catalog.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <set>

#include "pgwire/catalog_interp.h"
#include "pgwire/message.h"

namespace laminar::pgwire {

namespace {

using namespace pgcat;  // NOLINT: the emulation's internals

// Functions that make a SELECT without FROM a catalog query (with or without pg_catalog.).
const std::set<std::string>& SessionFunctions() {
  static const std::set<std::string> kFns = {
      "current_database", "current_schema", "current_schemas", "current_setting", "set_config",
      "pg_backend_pid", "version", "pg_sleep", "pg_table_is_visible", "pg_get_userbyid", "format_type",
      "obj_description", "col_description", "shobj_description", "pg_encoding_to_char", "pg_is_in_recovery",
      "pg_get_viewdef", "pg_table_size", "pg_relation_size", "pg_total_relation_size", "pg_size_pretty"};
  return kFns;
}

void Walk(const json& j, const std::function<void(const std::string&, const json&)>& f) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      f(k, v);
      Walk(v, f);
    }
  } else if (j.is_array()) {
    for (const json& v : j) Walk(v, f);
  }
}

}  // namespace

bool IsReadOnlySetting(std::string_view lower_name) {
  for (const char* n : {"server_version", "server_version_num", "server_encoding", "integer_datetimes",
                        "is_superuser", "max_identifier_length", "lc_collate", "lc_ctype"})
    if (lower_name == n) return true;
  return false;
}

std::optional<uint32_t> RelationOid(const catalog::Snapshot& snapshot, std::string_view name) {
  for (const RelInfo& r : Relations(snapshot))
    if (r.name == name) return r.oid;
  return std::nullopt;
}

std::optional<Result<CatalogResult>> AnswerCatalogQuery(const sql::Statement& stmt, const catalog::Snapshot& snapshot,
                                                        const CatalogContext& ctx) {
  if (stmt.kind != "SelectStmt") return std::nullopt;
  bool catalog_rel = false, other_rel = false, session_fn = false;
  Walk(stmt.node, [&](const std::string& key, const json& v) {
    if (key == "RangeVar") {
      std::string schema = Str(v, "schemaname"), rel = Str(v, "relname");
      bool user = snapshot.streams.count(rel) || snapshot.views.count(rel) || snapshot.dimensions.count(rel);
      if (schema == "pg_catalog" || schema == "information_schema" ||
          (schema.empty() && (IsVirtualTable("pg_catalog", rel) || (rel.starts_with("pg_") && !user))))
        catalog_rel = true;
      else
        other_rel = true;
    } else if (key == "RangeFunction") {
      // FROM pg_catalog.f(...) or FROM pg_f(...): a catalog function (pgjdbc's pg_get_keywords()).
      for (const json& f : sql::Field(v, "functions")) {
        for (const json& item : sql::Field(sql::Field(f, "List"), "items")) {
          auto names = Names(sql::Field(sql::Field(item, "FuncCall"), "funcname"));
          if ((names.size() == 2 && names[0] == "pg_catalog") || (names.size() == 1 && names[0].starts_with("pg_")))
            catalog_rel = true;
        }
      }
    } else if (key == "FuncCall") {
      auto names = Names(sql::Field(v, "funcname"));
      // Only the functions named above: the parser itself writes pg_catalog.extract,
      // pg_catalog.substring, ... for SQL syntax the engine evaluates.
      if ((names.size() == 1 || (names.size() == 2 && names[0] == "pg_catalog")) && SessionFunctions().count(names.back()))
        session_fn = true;
    } else if (key == "TypeCast") {
      auto names = Names(sql::Field(sql::Field(v, "typeName"), "names"));
      if (!names.empty() && names.back().starts_with("reg")) session_fn = true;  // 'name'::regclass
    } else if (key == "SQLValueFunction") {
      std::string op = Str(v, "op");
      if (op == "SVFOP_CURRENT_USER" || op == "SVFOP_SESSION_USER" || op == "SVFOP_USER" ||
          op == "SVFOP_CURRENT_ROLE" || op == "SVFOP_CURRENT_CATALOG" || op == "SVFOP_CURRENT_SCHEMA")
        session_fn = true;
    }
  });
  if (!catalog_rel && (other_rel || !session_fn)) return std::nullopt;
  const json& select = sql::Field(stmt.node, "SelectStmt");
  Evaluator ev(snapshot, ctx);
  auto rel = ev.Select(select, nullptr);
  if (!rel.ok()) return Result<CatalogResult>(rel.status());
  CatalogResult out;
  out.columns = std::move(rel->cols);
  for (const auto& row : rel->rows) {
    std::vector<std::optional<std::string>> cells;
    for (const Datum& d : row) cells.push_back(ToText(d));
    out.rows.push_back(std::move(cells));
  }
  out.settings_changed = std::move(ev.changed);
  return Result<CatalogResult>(std::move(out));
}

std::optional<Result<CatalogResult>> AnswerCatalogQuery(std::string_view sql, const catalog::Snapshot& snapshot,
                                                        const CatalogContext& ctx) {
  auto parsed = sql::Parse(sql);
  if (!parsed.ok() || parsed->size() != 1) return std::nullopt;
  return AnswerCatalogQuery(parsed->front(), snapshot, ctx);
}

Result<std::string> TextCellToBinary(std::string_view text, uint32_t oid) {
  std::string out;
  auto put = [&](uint64_t v, int bytes) {
    for (int k = bytes - 1; k >= 0; k--) out.push_back(char((v >> (8 * k)) & 0xff));
  };
  switch (CatOf(oid)) {
    case Cat::kBool: {
      ASSIGN_OR_RETURN(bool b, ParseBool(text));
      out.push_back(b ? 1 : 0);
      return out;
    }
    case Cat::kInt: {
      if (IsRegType(oid)) break;
      ASSIGN_OR_RETURN(int64_t v, ParseInt(text, oid == kOidOid ? kOidInt8 : oid));
      put(uint64_t(v), oid == kOidInt8 ? 8 : oid == kOidInt2 ? 2 : 4);
      return out;
    }
    case Cat::kFloat: {
      if (oid == kOidNumeric) break;
      ASSIGN_OR_RETURN(double d, ParseFloat(text, oid));
      if (oid == kOidFloat4) {
        put(std::bit_cast<uint32_t>(float(d)), 4);
      } else {
        put(std::bit_cast<uint64_t>(d), 8);
      }
      return out;
    }
    case Cat::kText:
      if (oid == kOidVoid) return std::string();
      return std::string(text);
    case Cat::kArray: {
      // array_send: dimensions, has-NULLs flag, element type, (size, lower bound) per dimension,
      // then each element as (length or -1, its binary form).
      uint32_t elem = ElementType(oid);
      if (oid == kOidAclArray || IsRegType(elem)) break;
      std::vector<std::optional<std::string>> elems;
      if (oid == kOidInt2Vector || oid == kOidOidVector) {  // "1 2 3"
        for (size_t at = 0; at < text.size();) {
          size_t end = std::min(text.find(' ', at), text.size());
          if (end > at) elems.push_back(std::string(text.substr(at, end - at)));
          at = end + 1;
        }
      } else {
        ASSIGN_OR_RETURN(elems, ParseArrayText(text));
      }
      bool has_null = std::any_of(elems.begin(), elems.end(), [](const auto& e) { return !e; });
      put(elems.empty() ? 0 : 1, 4);
      put(has_null ? 1 : 0, 4);
      put(elem, 4);
      if (!elems.empty()) {
        put(elems.size(), 4);
        put(uint64_t(LowerBound(oid)), 4);
      }
      for (const auto& e : elems) {
        if (!e) {
          put(uint32_t(-1), 4);
          continue;
        }
        ASSIGN_OR_RETURN(std::string bin, TextCellToBinary(*e, elem));
        put(bin.size(), 4);
        out += bin;
      }
      return out;
    }
    default: break;
  }
  return Unimplemented("binary format for type {} is not supported", FormatTypeName(oid));
}

bool HasBinaryFormat(uint32_t oid) {
  switch (CatOf(oid)) {
    case Cat::kBool: case Cat::kText: return true;
    case Cat::kInt: return !IsRegType(oid);
    case Cat::kFloat: return oid != kOidNumeric;
    case Cat::kArray: return oid != kOidAclArray && !IsRegType(ElementType(oid)) && HasBinaryFormat(ElementType(oid));
    default: return false;
  }
}

}  // namespace laminar::pgwire
