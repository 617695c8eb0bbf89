// Helpers shared by the config loader's files (config.cc, auth_config.cc): typed reads of TOML
// keys and the check that a section holds only known keys.
#pragma once

#include <toml++/toml.h>

#include <set>
#include <string>

#include "auth/guard.h"
#include "common/status.h"

namespace laminar::app {

template <typename T>
Status Read(const toml::table& t, const std::string& section, const std::string& key, T* out) {
  const toml::node* n = t.get(key);
  if (!n) return Status::OK();
  auto v = n->value<T>();
  if (!v) return InvalidArgument("config: [{}] {} has the wrong type", section, key);
  *out = *v;
  return Status::OK();
}

inline Status CheckKeys(const toml::table& t, const std::string& section, const std::set<std::string>& known) {
  for (const auto& [k, v] : t) {
    std::string key(k.str());
    if (!known.count(key))
      return InvalidArgument("config: unknown key \"{}\"{}", key, section.empty() ? "" : " in [" + section + "]");
  }
  return Status::OK();
}

// [auth]: tokens, users, cleartext passwords, the audit log's path (app/auth_config.cc).
Status LoadAuthSection(const toml::table& t, auth::AuthConfig* out);

}  // namespace laminar::app
