// What a statement's session says, for the SQL functions that read it when a query is bound:
// current_user, current_database(), current_setting(...), set_config(...), pg_backend_pid(),
// pg_sleep(...), and the relation names and oids that ::regclass and pg_get_viewdef read.
// The PostgreSQL protocol fills one per statement (pgwire/); HTTP queries get the defaults.
//
// A ScopedSession pins a session for the binds of its thread while it lives (as
// ScopedStatementTime pins now()); without one, Current() is a default session (user and
// database "laminar", server defaults for the settings, no relations).
//
// Thread safety: a Session is read by the binding thread only; `changes` and `sleep` are called
// on it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace laminar::sql {

// The server's parameters and their defaults (canonical spelling); `reported` ones are sent to
// PostgreSQL clients as ParameterStatus.
struct DefaultSetting {
  const char* name;
  const char* value;
  bool reported;
};
const std::vector<DefaultSetting>& DefaultSettings();
// Parameters SET / set_config may not change (server_version, server_encoding, lc_collate, ...),
// by lower-case name.
bool IsReadOnlySetting(std::string_view lower_name);

struct SessionRelation {
  int64_t oid = 0;
  std::string name;
  std::string view_select;  // a view's defining SELECT (pg_get_viewdef), "" for other relations
};

struct Session {
  std::string user = "laminar";
  std::string database = "laminar";
  int32_t backend_pid = 0;
  // The limits of the session's principal (auth: a token's or user's query_timeout_seconds and
  // query_max_memory_mb; 0: none): a query runs under the smaller of these and the server's.
  int64_t query_timeout_micros = 0;
  uint64_t query_max_memory_bytes = 0;
  // The session's parameters as SHOW sees them: (canonical name, value); looked up ignoring case.
  std::vector<std::pair<std::string, std::string>> settings;
  // The relations of the catalog the statement sees (for ::regclass, pg_get_viewdef), made on
  // first use by `load_relations` (none when unset).
  std::function<std::vector<SessionRelation>()> load_relations;
  const std::vector<SessionRelation>& Relations() const;
  // set_config(name, value, false) calls of the statement, in order, for the session to apply.
  std::vector<std::pair<std::string, std::string>>* changes = nullptr;
  // pg_sleep(seconds): returns early with an error (Cancelled, DeadlineExceeded) when the
  // statement ends; unset: sleeps with no way to stop it.
  std::function<Status(double seconds)> sleep;

  // The value of setting `name` (any case); nullopt when there is none.
  std::optional<std::string> Setting(std::string_view name) const;
  // The default session: the server's defaults for the settings (server_version, TimeZone UTC,
  // DateStyle ISO, MDY, ...).
  static const Session& Default();
  // The session pinned on this thread, else Default().
  static const Session& Current();

 private:
  mutable std::optional<std::vector<SessionRelation>> relations_;
};

class ScopedSession {
 public:
  explicit ScopedSession(const Session* session);
  ~ScopedSession();
  ScopedSession(const ScopedSession&) = delete;
  ScopedSession& operator=(const ScopedSession&) = delete;

 private:
  const Session* previous_;
};

}  // namespace laminar::sql
