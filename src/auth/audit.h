// The audit log: one JSON line per security-relevant event, in its own file (default
// `<data_dir>/audit.log`, `[auth] audit_log`), appended with write(2) and fdatasync'd per line
// (an attacker's failed attempts must not vanish in a crash of the server they tried).
//
// Events: every authentication failure (`auth_failure`), every refused request (`denied`: a scope
// lacking, `rate_limited`, a plain connection where TLS is required), every admin action
// (`admin`: DDL and role statements, batch runs, verify, attach, retention) whether it succeeded
// or not. A line: {"time": "2026-12-08T10:00:00.123456Z", "event": "denied", "who": "loader",
// "kind": "token", "protocol": "http", "from": "127.0.0.1:50312", "what": "POST /v1/sql: DROP",
// "outcome": "403 permission denied: ..."}. Secrets never appear: tokens and passwords are not
// written (a role statement is named by its kind and role, not its text).
//
// Errors: Open fails (IOError naming the path) when the file cannot be opened; a failed write
// is logged once (spdlog) and the server goes on.
//
// Thread safety: Write is thread-safe (one mutex).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "common/fs.h"
#include "common/status.h"

namespace laminar::auth {

struct AuditEvent {
  std::string event;     // auth_failure | denied | rate_limited | admin
  std::string who;       // the principal's name, or the name a client claimed ("" when none)
  std::string kind;      // token | user | anonymous | "" (unknown)
  std::string protocol;  // http | pg
  std::string from;      // the client's address "ip:port"
  std::string what;      // "POST /v1/batch/run", "CREATE MATERIALIZED VIEW", "startup"
  std::string outcome;   // "ok", or the refusal / error
};

class AuditLog {
 public:
  static Result<std::unique_ptr<AuditLog>> Open(const std::string& path);
  void Write(const AuditEvent& e);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::mutex mu_;
  std::unique_ptr<fs::WritableFile> file_;
  bool failed_ = false;
};

// The JSON line of an event, without its newline (for tests and the file).
std::string AuditLine(const AuditEvent& e, int64_t micros);

}  // namespace laminar::auth
