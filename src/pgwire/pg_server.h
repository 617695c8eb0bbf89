// PgServer: a PostgreSQL wire-protocol (3.0) server in front of the Engine, so psql and libpq
// clients can run DDL and queries. See src/pgwire/README.md for what is supported.
//
// Connection setup: SSLRequest and GSSENCRequest are answered 'N' (no TLS yet); the startup
// packet's user and database are accepted without a password ("trust": there is no
// authentication yet — bind to loopback only). The server then sends AuthenticationOk,
// ParameterStatus (server_version "16.0 (Laminar)", encodings UTF8, DateStyle "ISO, MDY",
// TimeZone UTC, integer_datetimes and standard_conforming_strings on), BackendKeyData and
// ReadyForQuery 'I'.
//
// Cancel: every session has a cancel flag (std::atomic<bool>), registered under its process id
// with its secret key. A CancelRequest (a new connection) whose process id and secret match
// (constant-time comparison) sets it; anything else is ignored; the connection closes without an
// answer. The flag is cleared when a statement starts and passed to the engine (Query, ExecuteSql), whose
// queries poll it, and to pg_sleep: the statement ends with 57014.
//
// Simple query: each statement of a Query message runs on its own and gets its own result
// (RowDescription + DataRows + CommandComplete); the first error stops the rest (earlier
// statements stay applied). A SELECT the engine answers is streamed (Engine::Query with a row
// sink: DataRows as rows are produced, no max_result_rows); other statements go through
// Engine::ExecuteSql. Before the engine, the session's own state (session_state.h) answers
// transaction control, SQL cursors, `SET name = value` / `SET name TO value` (remembered per
// session) and `SHOW name`. Catalog queries (psql's \d ...), session functions and pg_sleep are
// the engine's, reading the connection's sql::Session pinned on its thread.
//
// COPY ... TO STDOUT (copy_out.h: CopyOutResponse, a CopyData per row as the engine produces it,
// CopyDone, `COPY n`) and SQL PREPARE / EXECUTE / DEALLOCATE (prepared.h: one namespace with the
// extended protocol's named statements) are run by the session itself, in both protocols.
//
// Transaction blocks: BEGIN/COMMIT/ROLLBACK only track PostgreSQL's transaction status (no
// transactions: each statement has its own snapshot); DDL inside a block is refused (25001), a
// failed block refuses statements until it ends (25P02), portals live across Syncs in a block.
//
// Extended query: named and unnamed statements and portals. Bind turns each parameter into a
// value (message.h ParamToValue: typed and validated; text and unspecified types stay text of
// unknown type), and the portal's statement runs with them pinned (sql::ScopedParams): the
// engine binds $n as a constant of its value, and no SQL text is rebuilt. Describe plans an engine SELECT
// (Engine::DescribeQuery) without reading rows; Execute without a row limit streams it. Execute
// with a row limit computes the portal's rows once (bounded by max_result_rows) and keeps them,
// returning them in pieces (PortalSuspended); so are session and catalog answers. Every Sync ends the implicit transaction: all portals are dropped. After an
// error, messages up to the next Sync are discarded.
//
// Threads: one acceptor thread (an Asio io_context) and one thread per connection, doing blocking
// reads with poll() for the idle timeout. At most Options::max_connections connections; beyond
// it a new connection gets ErrorResponse 53300 and is closed.
//
// Limits (explicit): max_connections, max_connections_per_address, max_message_bytes (a message declaring more is refused
// with 08P01 and the connection closed), idle_timeout_seconds (waiting for a message or for the
// rest of one; past it the connection gets FATAL 57P05 and is closed), startup_timeout_seconds
// (the whole startup; past it the connection is closed).
//
// Thread safety: Start/Stop from one thread. The Engine must outlive the server.
// Lifetime: Stop() closes the listener, shuts every connection's socket down and waits for the
// connection threads; a query that is running finishes first (pg_sleep stops at once). The
// destructor calls Stop().
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "auth/guard.h"
#include "auth/tls.h"
#include "engine/engine.h"

namespace laminar::pgwire {

struct PgOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 5433;            // 0 picks a free port (see PgServer::port())
  size_t max_connections = 64;
  // Connections one client address may hold (0: three quarters of max_connections, at least 1),
  // so that one client cannot take every slot; beyond it FATAL 53300 naming the address.
  size_t max_connections_per_address = 0;
  size_t max_message_bytes = 1u << 20;
  int idle_timeout_seconds = 600;  // 0: no timeout
  // The whole startup (SSL/GSS negotiation and the startup packet) must arrive within this, as
  // PostgreSQL's authentication_timeout: half-sent startups cannot hold the connection slots.
  int startup_timeout_seconds = 10;
  // Authentication (SCRAM-SHA-256 against its users), scopes and the audit log; not owned.
  // nullptr or a Guard with authentication off: trust, every session may do everything.
  auth::Guard* guard = nullptr;
  // TLS (auth/tls.h): SSLRequest answered 'S' and the session encrypted; with `required`, a
  // plain startup gets FATAL 28000. nullptr: SSLRequest answered 'N'.
  std::shared_ptr<auth::TlsContext> tls;
};

class PgServer {
 public:
  // Binds and starts accepting. IOError naming host:port when the address cannot be bound.
  static Result<std::unique_ptr<PgServer>> Start(const PgOptions& options, engine::Engine* engine);
  ~PgServer();
  uint16_t port() const;
  void Stop();

  struct Impl;  // internal (pg_server.cc); public so that its sessions can name it

 private:
  PgServer() = default;
  std::unique_ptr<Impl> impl_;
};

}  // namespace laminar::pgwire
