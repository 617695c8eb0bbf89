#include "catalog/catalog.h"

#include <nlohmann/json.hpp>

#include <filesystem>

#include "catalog/ddl.h"
#include "common/crc32c.h"
#include "common/file_util.h"
#include "sql/transformer.h"

namespace laminar::catalog {
namespace {

using json = nlohmann::json;
using internal::BuildStream;
using internal::BuildTable;
using internal::BuildView;
using internal::DropObjectName;
using internal::RelationName;

constexpr const char* kFormat = "laminar-catalog";
// 1: streams and views. 2: also dimension tables — written only when there are some, so a file
// without them stays readable by older versions, and older versions refuse a file with them
// rather than silently dropping them on their next write.
constexpr int kFormatVersion = 1;
constexpr int kFormatVersionDimensions = 2;
// 3: also subscriptions (written only when there are some).
constexpr int kFormatVersionSubscriptions = 3;
// 4: also roles (written only when there are some).
constexpr int kFormatVersionRoles = 4;

// CRC-32C of the document's compact JSON (keys sorted), without its "crc32c" field.
uint32_t Checksum(const json& doc) {
  std::string text = doc.dump();
  return crc32c::Value(text.data(), text.size());
}

bool NameTaken(const Snapshot& s, const std::string& name) {
  return s.streams.count(name) || s.views.count(name) || s.dimensions.count(name);
}

Change MakeChange(ChangeKind kind, std::string name, std::string tag) {
  Change c;
  c.kind = kind;
  c.name = std::move(name);
  c.tag = std::move(tag);
  return c;
}

Status CreateStream(const sql::Statement& stmt, Snapshot* s, Change* change) {
  ASSIGN_OR_RETURN(sql::ast::CreateTable cs, sql::TransformCreateTable(stmt));
  ASSIGN_OR_RETURN(std::string name, RelationName(cs.relation));
  if (NameTaken(*s, name)) {
    if (cs.if_not_exists) {
      *change = MakeChange(ChangeKind::kNone, name, "CREATE TABLE");
      return Status::OK();
    }
    return AlreadyExists(ErrorCode::kDuplicateTable, "relation \"{}\" already exists", name);
  }
  ASSIGN_OR_RETURN(internal::TableDef def, BuildTable(cs));
  if (def.dimension) {
    s->dimensions[name] = std::move(def.schema);
    s->dimension_sql[name] = stmt.text;
    *change = MakeChange(ChangeKind::kCreateDimension, name, "CREATE TABLE");
    return Status::OK();
  }
  s->streams[name] = std::move(def.schema);
  s->stream_sql[name] = stmt.text;
  *change = MakeChange(ChangeKind::kCreateStream, name, "CREATE TABLE");
  return Status::OK();
}

Status CreateView(const sql::Statement& stmt, Snapshot* s, Change* change) {
  ASSIGN_OR_RETURN(sql::ast::CreateMatView cv, sql::TransformCreateMatView(stmt));
  if (!cv.matview) return Unimplemented("CREATE TABLE ... AS is not supported: use CREATE MATERIALIZED VIEW");
  ASSIGN_OR_RETURN(std::string name, RelationName(cv.relation));
  bool if_not_exists = cv.if_not_exists;
  const char* tag = "CREATE MATERIALIZED VIEW";
  if (stmt.or_replace && if_not_exists)
    return InvalidArgument("OR REPLACE and IF NOT EXISTS cannot be used together");
  uint64_t version = 1;
  if (s->streams.count(name) || s->dimensions.count(name)) {
    if (if_not_exists) {
      *change = MakeChange(ChangeKind::kNone, name, tag);
      return Status::OK();
    }
    if (stmt.or_replace) return InvalidArgument(ErrorCode::kWrongObjectType, "\"{}\" is not a materialized view", name);
    return AlreadyExists(ErrorCode::kDuplicateTable, "relation \"{}\" already exists", name);
  }
  auto existing = s->views.find(name);
  if (existing != s->views.end()) {
    if (if_not_exists) {
      *change = MakeChange(ChangeKind::kNone, name, tag);
      return Status::OK();
    }
    if (!stmt.or_replace)
      return AlreadyExists(ErrorCode::kDuplicateTable,
          "relation \"{}\" already exists (use CREATE OR REPLACE MATERIALIZED VIEW to "
          "redefine it)",
          name);
    version = existing->second->definition_version + 1;
  }
  ASSIGN_OR_RETURN(std::shared_ptr<views::ViewDef> def, BuildView(cv, stmt.text, *s));
  def->definition_version = version;
  s->views[name] = std::move(def);
  *change = MakeChange(version > 1 ? ChangeKind::kReplaceView : ChangeKind::kCreateView, name, tag);
  return Status::OK();
}

Status Drop(const sql::Statement& stmt, Snapshot* s, Change* change) {
  ASSIGN_OR_RETURN(sql::ast::DropStmt ds, sql::TransformDrop(stmt));
  using Kind = sql::ast::DropStmt::Kind;
  bool missing_ok = ds.if_exists;
  bool cascade = ds.cascade;
  if (ds.concurrently) return Unimplemented("DROP ... CONCURRENTLY is not supported");
  bool table = ds.kind == Kind::kTable;
  if (ds.kind == Kind::kOther) return Unimplemented("DROP {} is not supported", ds.object_words);
  std::string tag = "DROP " + ds.object_words;

  std::vector<std::string> dropped;
  bool dropped_stream = false;
  for (const auto& object : ds.names) {
    ASSIGN_OR_RETURN(std::string name, DropObjectName(object));
    if (table) {
      if (s->views.count(name))
        return InvalidArgument(ErrorCode::kWrongObjectType, "\"{}\" is not a table (use DROP MATERIALIZED VIEW)", name);
      if (s->dimensions.count(name)) {  // nothing depends on a dimension table in the catalog
        s->dimensions.erase(name);
        s->dimension_sql.erase(name);
        s->loaded_dimensions.erase(name);
        dropped.push_back(name);
        continue;
      }
      if (!s->streams.count(name)) {
        if (missing_ok) continue;
        return NotFound(ErrorCode::kUndefinedTable, "table \"{}\" does not exist", name);
      }
      std::vector<std::string> dependents;
      for (const auto& [vname, def] : s->views)
        if (def->stream == name) dependents.push_back(vname);
      if (!dependents.empty() && !cascade) {
        std::string list;
        for (const auto& d : dependents) list += (list.empty() ? "" : ", ") + d;
        return InvalidArgument(ErrorCode::kDependentObjectsStillExist,
            "cannot drop table {} because other objects depend on it: materialized "
            "view {} (use DROP TABLE ... CASCADE to drop them too)",
            name, list);
      }
      std::vector<std::string> feeding;
      for (const auto& [sname, sub] : s->subscriptions)
        if (sub->stream == name) feeding.push_back(sname);
      if (!feeding.empty() && !cascade) {
        std::string list;
        for (const auto& f : feeding) list += (list.empty() ? "" : ", ") + f;
        return InvalidArgument(ErrorCode::kDependentObjectsStillExist,
            "cannot drop table {} because subscription {} feeds it (use DROP TABLE ... CASCADE to drop them too)",
            name, list);
      }
      for (const auto& d : dependents) s->views.erase(d);
      for (const auto& f : feeding) s->subscriptions.erase(f);
      s->streams.erase(name);
      s->stream_sql.erase(name);
      s->dropping.insert(name);
      dropped_stream = true;
    } else {
      if (s->streams.count(name) || s->dimensions.count(name))
        return InvalidArgument(ErrorCode::kWrongObjectType, "\"{}\" is not a materialized view (use DROP TABLE)", name);
      if (!s->views.count(name)) {
        if (missing_ok) continue;
        return NotFound(ErrorCode::kUndefinedTable, "materialized view \"{}\" does not exist", name);
      }
      s->views.erase(name);
    }
    dropped.push_back(name);
  }
  if (dropped.empty()) {
    *change = MakeChange(ChangeKind::kNone, "", tag);
    return Status::OK();
  }
  std::string names;
  for (const auto& n : dropped) names += (names.empty() ? "" : ", ") + n;
  // DROP TABLE of dimension tables only is kDropDimension; with any stream among them kDropStream.
  ChangeKind kind = !table ? ChangeKind::kDropView : dropped_stream ? ChangeKind::kDropStream : ChangeKind::kDropDimension;
  *change = MakeChange(kind, names, tag);
  return Status::OK();
}

// The subscription CREATE SUBSCRIPTION `stmt` defines in `s` (whose streams it may feed).
Result<SubscriptionPtr> BuildSubscription(const sql::Statement& stmt, const Snapshot& s) {
  ASSIGN_OR_RETURN(sql::ast::CreateSubscription cs, sql::TransformCreateSubscription(stmt));
  if (cs.publications.size() != 1)
    return InvalidArgument("PUBLICATION names the one stream subscription {} feeds (got {} names)", cs.name,
                           cs.publications.size());
  const std::string& stream = cs.publications[0];
  if (!s.streams.count(stream)) {
    if (s.dimensions.count(stream) || s.views.count(stream))
      return InvalidArgument(ErrorCode::kWrongObjectType, "\"{}\" is not a stream: a subscription feeds a stream", stream);
    return NotFound(ErrorCode::kUndefinedTable, "stream \"{}\" does not exist", stream);
  }
  std::vector<sources::SourceOption> options;
  using Arg = sql::ast::DdlOption::Arg;
  for (const auto& o : cs.options) {
    if (!o.name_space.empty()) return InvalidArgument("subscription option {}.{}: options have no namespace", o.name_space, o.name);
    if (o.arg == Arg::kNone) options.push_back({o.name, "true"});
    else if (o.value) options.push_back({o.name, *o.value});
    else return InvalidArgument("subscription option {}: give a single value", o.name);
  }
  auto def = std::make_shared<SubscriptionDef>();
  def->name = cs.name;
  def->stream = stream;
  def->sql = stmt.text;
  Result<sources::SourceSpec> spec = sources::ParseSourceSpec(cs.connection, options);
  if (!spec.ok()) return spec.status().WithContext("subscription " + cs.name);
  def->spec = std::move(*spec);
  def->enabled = def->spec.enabled;
  return SubscriptionPtr(std::move(def));
}

Status CreateSubscription(const sql::Statement& stmt, Snapshot* s, Change* change) {
  ASSIGN_OR_RETURN(sql::ast::CreateSubscription cs, sql::TransformCreateSubscription(stmt));
  if (s->subscriptions.count(cs.name))
    return AlreadyExists(ErrorCode::kDuplicateObject, "subscription \"{}\" already exists", cs.name);
  ASSIGN_OR_RETURN(SubscriptionPtr def, BuildSubscription(stmt, *s));
  s->subscriptions[cs.name] = std::move(def);
  *change = MakeChange(ChangeKind::kCreateSubscription, cs.name, "CREATE SUBSCRIPTION");
  return Status::OK();
}

Status AlterSubscription(const sql::Statement& stmt, Snapshot* s, Change* change) {
  ASSIGN_OR_RETURN(sql::ast::AlterSubscription as, sql::TransformAlterSubscription(stmt));
  auto it = s->subscriptions.find(as.name);
  if (it == s->subscriptions.end())
    return NotFound(ErrorCode::kUndefinedObject, "subscription \"{}\" does not exist", as.name);
  using Kind = sql::ast::AlterSubscription::Kind;
  if (as.kind == Kind::kOther)
    return Unimplemented(ErrorCode::kFeatureNotSupported,
                         "ALTER SUBSCRIPTION ... {} is not supported: ENABLE and DISABLE are (drop and create the "
                         "subscription to change it)",
                         as.kind_words);
  auto def = std::make_shared<SubscriptionDef>(*it->second);
  def->enabled = as.kind == Kind::kEnable;
  it->second = std::move(def);
  *change = MakeChange(ChangeKind::kAlterSubscription, as.name, "ALTER SUBSCRIPTION");
  return Status::OK();
}

Status DropSubscription(const sql::Statement& stmt, Snapshot* s, Change* change) {
  ASSIGN_OR_RETURN(sql::ast::DropSubscription ds, sql::TransformDropSubscription(stmt));
  if (!s->subscriptions.erase(ds.name)) {
    if (ds.if_exists) {
      *change = MakeChange(ChangeKind::kNone, ds.name, "DROP SUBSCRIPTION");
      return Status::OK();
    }
    return NotFound(ErrorCode::kUndefinedObject, "subscription \"{}\" does not exist", ds.name);
  }
  *change = MakeChange(ChangeKind::kDropSubscription, ds.name, "DROP SUBSCRIPTION");
  return Status::OK();
}

// Applies one DDL statement to `s` (a private copy). `change->kind` is kNone for a no-op.
Status Apply(const sql::Statement& stmt, Snapshot* s, Change* change) {
  if (stmt.kind == "CreateStmt") return CreateStream(stmt, s, change);
  if (stmt.kind == "CreateTableAsStmt") return CreateView(stmt, s, change);
  if (stmt.kind == "DropStmt") return Drop(stmt, s, change);
  if (stmt.kind == "CreateSubscriptionStmt") return CreateSubscription(stmt, s, change);
  if (stmt.kind == "AlterSubscriptionStmt") return AlterSubscription(stmt, s, change);
  if (stmt.kind == "DropSubscriptionStmt") return DropSubscription(stmt, s, change);
  if (stmt.kind == "CreateRoleStmt" || stmt.kind == "AlterRoleStmt") return internal::ApplyRole(stmt, s, change);
  if (stmt.kind == "DropRoleStmt") return internal::DropRole(stmt, s, change);
  if (stmt.kind == "GrantStmt") return internal::Grant(stmt, s, change);
  return InvalidArgument("not a DDL statement: {}", sql::DescribeKind(stmt.kind));
}

// Rebuilds a snapshot from the catalog file's JSON. Streams and dimension tables first: views
// read streams (and must not reuse a table's name).
Status Load(const json& doc, Snapshot* s) {
  if (!doc.is_object() || doc.value("format", "") != kFormat)
    return Corruption("not a Laminar catalog (format is not \"{}\")", kFormat);
  int fv = doc.value("format_version", 0);
  if (fv != kFormatVersion && fv != kFormatVersionDimensions && fv != kFormatVersionSubscriptions &&
      fv != kFormatVersionRoles)
    return Corruption("unsupported catalog format_version {}", fv);
  s->version = doc.value("version", uint64_t{0});
  auto parse_one = [](const json& obj, const char* what) -> Result<sql::Statement> {
    if (!obj.is_object() || !obj.contains("name") || !obj.contains("sql") || !obj["sql"].is_string())
      return Corruption("a {} entry lacks name or sql", what);
    auto parsed = sql::Parse(obj["sql"].get<std::string>());
    if (!parsed.ok())
      return Corruption("{} \"{}\": {}", what, obj.value("name", ""), parsed.status().message());
    if (parsed->size() != 1)
      return Corruption("{} \"{}\": expected one statement, found {}", what, obj.value("name", ""),
                        parsed->size());
    return std::move((*parsed)[0]);
  };
  for (const auto& obj : sql::Field(doc, "streams")) {
    ASSIGN_OR_RETURN(sql::Statement stmt, parse_one(obj, "stream"));
    std::string name = obj.value("name", "");
    if (stmt.kind != "CreateStmt") return Corruption("stream \"{}\": not a CREATE TABLE statement", name);
    auto create = sql::TransformCreateTable(stmt);
    if (!create.ok()) return Corruption("stream \"{}\": {}", name, create.status().message());
    auto schema = BuildStream(*create);
    if (!schema.ok()) return Corruption("stream \"{}\": {}", name, schema.status().message());
    if ((*schema)->name != name || s->streams.count(name))
      return Corruption("stream \"{}\": name mismatch or duplicate", name);
    s->streams[name] = *schema;
    s->stream_sql[name] = stmt.text;
  }
  for (const auto& obj : sql::Field(doc, "dimensions")) {  // absent before format_version 2
    ASSIGN_OR_RETURN(sql::Statement stmt, parse_one(obj, "dimension table"));
    std::string name = obj.value("name", "");
    if (stmt.kind != "CreateStmt")
      return Corruption("dimension table \"{}\": not a CREATE TABLE statement", name);
    auto create = sql::TransformCreateTable(stmt);
    if (!create.ok()) return Corruption("dimension table \"{}\": {}", name, create.status().message());
    auto def = BuildTable(*create);
    if (!def.ok()) return Corruption("dimension table \"{}\": {}", name, def.status().message());
    if (!def->dimension) return Corruption("dimension table \"{}\": not WITH (kind = 'dimension')", name);
    if (def->schema->name != name || NameTaken(*s, name))
      return Corruption("dimension table \"{}\": name mismatch or duplicate", name);
    s->dimensions[name] = def->schema;
    s->dimension_sql[name] = stmt.text;
  }
  for (const auto& obj : sql::Field(doc, "views")) {
    ASSIGN_OR_RETURN(sql::Statement stmt, parse_one(obj, "view"));
    std::string name = obj.value("name", "");
    if (stmt.kind != "CreateTableAsStmt")
      return Corruption("view \"{}\": not a CREATE MATERIALIZED VIEW statement", name);
    auto view = sql::TransformCreateMatView(stmt);
    if (!view.ok()) return Corruption("view \"{}\": {}", name, view.status().message());
    auto def = BuildView(*view, stmt.text, *s);
    if (!def.ok()) return Corruption("view \"{}\": {}", name, def.status().message());
    if ((*def)->name != name || NameTaken(*s, name))
      return Corruption("view \"{}\": name mismatch or duplicate", name);
    (*def)->definition_version = obj.value("definition_version", uint64_t{1});
    s->views[name] = *def;
  }
  for (const auto& obj : sql::Field(doc, "subscriptions")) {  // absent before format_version 3
    ASSIGN_OR_RETURN(sql::Statement stmt, parse_one(obj, "subscription"));
    std::string name = obj.value("name", "");
    if (stmt.kind != "CreateSubscriptionStmt")
      return Corruption("subscription \"{}\": not a CREATE SUBSCRIPTION statement", name);
    auto def = BuildSubscription(stmt, *s);
    if (!def.ok()) return Corruption("subscription \"{}\": {}", name, def.status().message());
    if ((*def)->name != name || s->subscriptions.count(name))
      return Corruption("subscription \"{}\": name mismatch or duplicate", name);
    auto sub = std::make_shared<SubscriptionDef>(**def);
    sub->enabled = obj.value("enabled", true);
    s->subscriptions[name] = std::move(sub);
  }
  for (const auto& obj : sql::Field(doc, "roles")) {  // absent before format_version 4
    auto role = std::make_shared<RoleDef>();
    role->name = obj.value("name", "");
    role->verifier = obj.value("verifier", "");
    role->login = obj.value("login", false);
    role->superuser = obj.value("superuser", false);
    for (const auto& scope : sql::Field(obj, "scopes"))
      if (scope.is_string()) role->scopes.insert(scope.get<std::string>());
    if (role->name.empty() || s->roles.count(role->name)) return Corruption("role \"{}\": no name or a duplicate", role->name);
    s->roles[role->name] = std::move(role);
  }
  for (const auto& name : sql::Field(doc, "loaded_dimensions")) {  // absent when none
    if (!name.is_string() || !s->dimensions.count(name.get<std::string>()))
      return Corruption("\"loaded_dimensions\" lists {}, which is not a dimension table", name.dump());
    s->loaded_dimensions.insert(name.get<std::string>());
  }
  for (const auto& name : sql::Field(doc, "dropping")) {  // absent when none
    if (!name.is_string()) return Corruption("\"dropping\" lists a non-name");
    s->dropping.insert(name.get<std::string>());
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::string& data_dir) {
  std::unique_ptr<Catalog> cat(new Catalog(JoinPath(data_dir, "catalog")));
  auto snap = std::make_shared<Snapshot>();
  auto text = ReadFile(cat->path_);
  if (text.ok()) {
    cat->existed_ = true;
    json doc = json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return Corruption("catalog {}: not valid JSON", cat->path_);
    if (doc.is_object() && doc.contains("crc32c")) {  // absent in files written before it existed
      json crc = doc["crc32c"];
      doc.erase("crc32c");
      if (!crc.is_number_unsigned() || crc.get<uint64_t>() != Checksum(doc))
        return Corruption("catalog {}: the checksum does not match: the file is damaged (restore it from a backup, "
                          "or move it away and run `laminar recover-catalog`)", cat->path_);
    }
    Status st = Load(doc, snap.get());
    if (!st.ok()) return st.WithContext("catalog " + cat->path_);
  } else if (text.status().code() != StatusCode::kNotFound) {
    return text.status();
  }
  cat->current_ = std::move(snap);
  return cat;
}

SnapshotPtr Catalog::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

Status Catalog::FinishDrop(const std::string& name) {
  std::lock_guard<std::mutex> writer(write_mu_);
  SnapshotPtr cur = snapshot();
  if (!cur->dropping.count(name)) return Status::OK();
  auto next = std::make_shared<Snapshot>(*cur);
  next->dropping.erase(name);
  RETURN_IF_ERROR(Persist(*next));
  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::move(next);
  return Status::OK();
}

Status Catalog::MarkDimensionLoaded(const std::string& name) {
  std::lock_guard<std::mutex> writer(write_mu_);
  SnapshotPtr cur = snapshot();
  if (cur->loaded_dimensions.count(name) || !cur->dimensions.count(name)) return Status::OK();
  auto next = std::make_shared<Snapshot>(*cur);
  next->loaded_dimensions.insert(name);
  RETURN_IF_ERROR(Persist(*next));
  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::move(next);
  return Status::OK();
}

Result<std::vector<std::string>> Catalog::WriteRecovered(const std::string& data_dir,
                                                        const std::vector<RecoveredEntry>& tables,
                                                        const std::map<std::string, RecoveredEntry>& views) {
  Catalog cat(JoinPath(data_dir, "catalog"));
  if (std::error_code ec; std::filesystem::exists(cat.path_, ec))
    return AlreadyExists("{} exists: nothing to recover", cat.path_);
  // The document a catalog would have; each entry is kept when the document still loads with it.
  json doc;
  doc["format"] = kFormat;
  doc["format_version"] = kFormatVersionDimensions;
  doc["version"] = 1;
  doc["streams"] = json::array();
  doc["dimensions"] = json::array();
  doc["views"] = json::array();
  std::vector<std::string> skipped;
  Snapshot s;
  auto try_add = [&](const char* list, json entry, const std::string& what) {
    json next = doc;
    next[list].push_back(std::move(entry));
    Snapshot loaded;
    if (Status st = Load(next, &loaded); !st.ok()) {
      skipped.push_back(fmt::format("{}: {}", what, st.message()));
      return;
    }
    doc = std::move(next);
    s = std::move(loaded);
  };
  for (const RecoveredEntry& t : tables) {
    auto parsed = sql::Parse(t.sql);
    if (!parsed.ok() || parsed->size() != 1 || (*parsed)[0].kind != "CreateStmt") {
      skipped.push_back(fmt::format("not a CREATE TABLE statement: {}", t.sql));
      continue;
    }
    auto create = sql::TransformCreateTable((*parsed)[0]);
    auto def = create.ok() ? BuildTable(*create) : Result<internal::TableDef>(create.status());
    if (!def.ok()) {
      skipped.push_back(fmt::format("{}: {}", t.sql, def.status().message()));
      continue;
    }
    try_add(def->dimension ? "dimensions" : "streams", {{"name", def->schema->name}, {"sql", (*parsed)[0].text}},
            fmt::format("{} {}", def->dimension ? "dimension table" : "stream", def->schema->name));
  }
  for (const auto& [name, v] : views)
    try_add("views", {{"name", name}, {"sql", v.sql}, {"definition_version", v.definition_version}}, "view " + name);
  RETURN_IF_ERROR(cat.Persist(s));
  return skipped;
}

bool Catalog::IsDdl(const sql::Statement& stmt) {
  return stmt.kind == "CreateStmt" || stmt.kind == "CreateTableAsStmt" || stmt.kind == "DropStmt" ||
         stmt.kind == "CreateSubscriptionStmt" || stmt.kind == "AlterSubscriptionStmt" ||
         stmt.kind == "DropSubscriptionStmt" || stmt.kind == "CreateRoleStmt" || stmt.kind == "AlterRoleStmt" ||
         stmt.kind == "DropRoleStmt" || stmt.kind == "GrantStmt";
}

Status Catalog::Persist(const Snapshot& s) {
  json doc;
  doc["format"] = kFormat;
  doc["format_version"] = !s.roles.empty()           ? kFormatVersionRoles
                          : !s.subscriptions.empty() ? kFormatVersionSubscriptions
                          : s.dimensions.empty()     ? kFormatVersion
                                                     : kFormatVersionDimensions;
  doc["version"] = s.version;
  doc["streams"] = json::array();
  for (const auto& [name, schema] : s.streams) {
    auto it = s.stream_sql.find(name);
    doc["streams"].push_back({{"name", name}, {"sql", it == s.stream_sql.end() ? "" : it->second}});
  }
  if (!s.dimensions.empty()) {
    doc["dimensions"] = json::array();
    for (const auto& [name, schema] : s.dimensions) {
      auto it = s.dimension_sql.find(name);
      doc["dimensions"].push_back({{"name", name}, {"sql", it == s.dimension_sql.end() ? "" : it->second}});
    }
  }
  if (!s.subscriptions.empty()) {
    doc["subscriptions"] = json::array();
    for (const auto& [name, sub] : s.subscriptions)
      doc["subscriptions"].push_back({{"name", name}, {"sql", sub->sql}, {"enabled", sub->enabled}});
  }
  if (!s.roles.empty()) {
    doc["roles"] = json::array();
    for (const auto& [name, role] : s.roles)
      doc["roles"].push_back({{"name", name}, {"verifier", role->verifier}, {"login", role->login},
                              {"superuser", role->superuser}, {"scopes", role->scopes}});
  }
  if (!s.dropping.empty()) doc["dropping"] = s.dropping;
  if (!s.loaded_dimensions.empty()) doc["loaded_dimensions"] = s.loaded_dimensions;
  doc["views"] = json::array();
  for (const auto& [name, def] : s.views)
    doc["views"].push_back(
        {{"name", name}, {"sql", def->sql}, {"definition_version", def->definition_version}});
  std::string dir =
      path_.substr(0, path_.find_last_of('/') == std::string::npos ? 0 : path_.find_last_of('/'));
  if (!dir.empty()) RETURN_IF_ERROR(CreateDirs(dir));
  doc["crc32c"] = Checksum(doc);
  return WriteFileAtomic(path_, doc.dump(2) + "\n");
}

Result<std::vector<Change>> Catalog::Execute(std::string_view sql) {
  ASSIGN_OR_RETURN(std::vector<sql::Statement> stmts, sql::Parse(sql));
  return ExecuteParsed(stmts);
}

Result<std::vector<Change>> Catalog::ExecuteParsed(const std::vector<sql::Statement>& stmts) {
  std::lock_guard<std::mutex> writer(write_mu_);
  std::vector<Change> changes;
  for (size_t i = 0; i < stmts.size(); i++) {
    const sql::Statement& stmt = stmts[i];
    auto fail = [&](const Status& st) {
      return stmts.size() == 1 ? st : st.WithContext(fmt::format("statement {}", i + 1));
    };
    if (!IsDdl(stmt)) return fail(InvalidArgument("not a DDL statement: {}", sql::DescribeKind(stmt.kind)));
    auto next = std::make_shared<Snapshot>(*snapshot());
    Change change;
    Status st = Apply(stmt, next.get(), &change);
    if (!st.ok()) return fail(st);
    if (change.kind != ChangeKind::kNone) {
      next->version++;
      st = Persist(*next);
      if (!st.ok()) return fail(st);
      std::lock_guard<std::mutex> lock(mu_);
      current_ = std::move(next);
    }
    changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace laminar::catalog
