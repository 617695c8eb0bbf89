// Guard: the server's authentication and authorization state, shared by the HTTP API and the
// PostgreSQL protocol — the configured tokens and users, the rate limiter and the audit log.
//
// With authentication off (no [auth] tokens or users, `enabled = false`) every client is the
// anonymous principal, who may do everything; the server then listens on loopback addresses only
// unless started with --insecure (app/serve). With it on, an HTTP request needs a token
// (`Authorization: Bearer <token>`, or HTTP Basic with the token as the password, which a browser
// can send) and a PostgreSQL session a user's password (SCRAM-SHA-256).
//
// Users come from the config ([[auth.users]], SCRAM verifiers) and from roles made in SQL
// (CREATE ROLE ... PASSWORD, kept in the catalog), looked up through `set_role_lookup`; a config
// user of the same name wins.
//
// Thread safety: everything is thread-safe once the server runs; set_role_lookup before.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit.h"
#include "auth/rate_limit.h"
#include "auth/scopes.h"
#include "auth/tokens.h"

namespace laminar::auth {

// A user of the PostgreSQL protocol: a SCRAM-SHA-256 verifier (PostgreSQL's stored form) and scopes.
struct UserEntry {
  std::string name;
  std::string verifier;
  std::vector<Scope> scopes;
  Limits limits;
};

struct AuthConfig {
  bool enabled = false;
  std::vector<TokenEntry> tokens;
  std::vector<UserEntry> users;
  // PostgreSQL clients that send the password in clear text (AuthenticationCleartextPassword),
  // for clients without SCRAM; off by default. md5 is never offered.
  bool allow_cleartext_passwords = false;
  std::string audit_log;  // "" : <data_dir>/audit.log
};

class Guard {
 public:
  // Opens the audit log (IOError naming it). `audit_path` is the resolved path.
  static Result<std::unique_ptr<Guard>> Make(AuthConfig config, const std::string& audit_path);
  // Authentication off, no audit log (tests, tools).
  static std::unique_ptr<Guard> Open();

  bool enabled() const { return config_.enabled; }
  const AuthConfig& config() const { return config_; }

  // The principal of an HTTP request's credentials: `authorization` is the Authorization header
  // ("" when absent), `access_key` a Firehose access key header ("" when absent). Anonymous when
  // authentication is off; Unauthenticated (28000) naming what is missing or wrong otherwise.
  Result<Principal> FromHttp(std::string_view authorization, std::string_view access_key) const;
  // A PostgreSQL user: its entry (config first, then the role lookup), or nullopt.
  std::optional<UserEntry> FindUser(const std::string& name) const;
  void set_role_lookup(std::function<std::optional<UserEntry>(const std::string&)> lookup) {
    role_lookup_ = std::move(lookup);
  }

  RateLimiter& limiter() { return limiter_; }
  // Writes to the audit log (nothing when there is none).
  void Audit(const AuditEvent& e);
  std::string audit_path() const { return audit_ ? audit_->path() : std::string(); }

 private:
  AuthConfig config_;
  TokenStore tokens_;
  std::function<std::optional<UserEntry>(const std::string&)> role_lookup_;
  RateLimiter limiter_;
  std::unique_ptr<AuditLog> audit_;
};

}  // namespace laminar::auth
