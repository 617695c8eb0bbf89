// [auth] of the TOML config: API tokens ([[auth.tokens]]: name, hash, scopes, limits) and
// PostgreSQL users ([[auth.users]]: name, password as a SCRAM-SHA-256 verifier, scopes, limits).
#include <set>

#include "app/config_internal.h"
#include "auth/scram.h"

namespace laminar::app {
namespace {

Result<std::vector<auth::Scope>> ReadScopes(const toml::table& t, const std::string& where) {
  const toml::array* list = t.get("scopes") ? t.get("scopes")->as_array() : nullptr;
  if (!list) return InvalidArgument("config: {} needs scopes = [\"query\" | \"admin\" | \"ingest:<stream>\", ...]", where);
  std::vector<std::string> texts;
  for (const toml::node& n : *list) {
    auto v = n.value<std::string>();
    if (!v) return InvalidArgument("config: {} scopes must be strings", where);
    texts.push_back(*v);
  }
  auto scopes = auth::ParseScopes(texts);
  if (!scopes.ok()) return InvalidArgument("config: {}: {}", where, scopes.status().message());
  return scopes;
}

Status ReadLimits(const toml::table& t, const std::string& where, auth::Limits* l) {
  auto number = [&](const char* key, double* out) -> Status {
    const toml::node* n = t.get(key);
    if (!n) return Status::OK();
    auto v = n->value<double>();
    if (!v || *v < 0) return InvalidArgument("config: {} {} must be a number ≥ 0", where, key);
    *out = *v;
    return Status::OK();
  };
  RETURN_IF_ERROR(number("requests_per_second", &l->requests_per_second));
  RETURN_IF_ERROR(number("requests_burst", &l->requests_burst));
  RETURN_IF_ERROR(number("events_per_second", &l->events_per_second));
  RETURN_IF_ERROR(number("events_burst", &l->events_burst));
  RETURN_IF_ERROR(number("query_timeout_seconds", &l->query_timeout_seconds));
  double memory = 0;
  RETURN_IF_ERROR(number("query_max_memory_mb", &memory));
  l->query_max_memory_mb = int64_t(memory);
  return Status::OK();
}

const std::set<std::string> kLimitKeys = {"requests_per_second", "requests_burst",        "events_per_second",
                                          "events_burst",        "query_timeout_seconds", "query_max_memory_mb"};

std::set<std::string> Keys(std::set<std::string> own) {
  own.insert(kLimitKeys.begin(), kLimitKeys.end());
  return own;
}

// The [[auth.<key>]] entries, each checked by `one`.
template <typename F>
Status ForEachEntry(const toml::table& t, const char* key, F one) {
  const toml::node* n = t.get(key);
  if (!n) return Status::OK();
  const toml::array* list = n->as_array();
  if (!list) return InvalidArgument("config: auth.{} must be a list of tables ([[auth.{}]])", key, key);
  std::set<std::string> names;
  for (size_t i = 0; i < list->size(); i++) {
    const toml::table* entry = (*list)[i].as_table();
    if (!entry) return InvalidArgument("config: auth.{} must be a list of tables ([[auth.{}]])", key, key);
    std::string name;
    RETURN_IF_ERROR(Read(*entry, std::string("auth.") + key, "name", &name));
    if (name.empty()) return InvalidArgument("config: [[auth.{}]] number {} needs a name", key, i + 1);
    if (!names.insert(name).second) return InvalidArgument("config: [[auth.{}]] name \"{}\" is given twice", key, name);
    RETURN_IF_ERROR(one(*entry, name, fmt::format("[[auth.{}]] \"{}\"", key, name)));
  }
  return Status::OK();
}

}  // namespace

Status LoadAuthSection(const toml::table& t, auth::AuthConfig* out) {
  RETURN_IF_ERROR(CheckKeys(t, "auth", {"enabled", "tokens", "users", "allow_cleartext_passwords", "audit_log"}));
  RETURN_IF_ERROR(ForEachEntry(t, "tokens", [&](const toml::table& e, const std::string& name, const std::string& where) {
    RETURN_IF_ERROR(CheckKeys(e, "auth.tokens", Keys({"name", "hash", "scopes"})));
    auth::TokenEntry entry{name, {}, {}, {}};
    std::string hash;
    RETURN_IF_ERROR(Read(e, "auth.tokens", "hash", &hash));
    auto raw = auth::ParseTokenHash(hash);
    if (!raw.ok()) return InvalidArgument("config: {} hash: {}", where, raw.status().message());
    entry.hash = *raw;
    ASSIGN_OR_RETURN(entry.scopes, ReadScopes(e, where));
    RETURN_IF_ERROR(ReadLimits(e, where, &entry.limits));
    out->tokens.push_back(std::move(entry));
    return Status::OK();
  }));
  RETURN_IF_ERROR(ForEachEntry(t, "users", [&](const toml::table& e, const std::string& name, const std::string& where) {
    RETURN_IF_ERROR(CheckKeys(e, "auth.users", Keys({"name", "password", "scopes"})));
    auth::UserEntry entry{name, {}, {}, {}};
    RETURN_IF_ERROR(Read(e, "auth.users", "password", &entry.verifier));
    if (auto v = auth::ParseVerifier(entry.verifier); !v.ok())
      return InvalidArgument("config: {} password must be a SCRAM-SHA-256 verifier (laminar user create prints one): {}",
                             where, v.status().message());
    ASSIGN_OR_RETURN(entry.scopes, ReadScopes(e, where));
    RETURN_IF_ERROR(ReadLimits(e, where, &entry.limits));
    out->users.push_back(std::move(entry));
    return Status::OK();
  }));
  // On when credentials are configured; `enabled = true` alone turns it on for roles made in SQL.
  out->enabled = !out->tokens.empty() || !out->users.empty();
  RETURN_IF_ERROR(Read(t, "auth", "enabled", &out->enabled));
  RETURN_IF_ERROR(Read(t, "auth", "allow_cleartext_passwords", &out->allow_cleartext_passwords));
  RETURN_IF_ERROR(Read(t, "auth", "audit_log", &out->audit_log));
  return Status::OK();
}

}  // namespace laminar::app
