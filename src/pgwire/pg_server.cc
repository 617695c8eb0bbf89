// PgServer's sessions: one blocking thread per connection (see pg_server.h); the acceptor, the
// connection slots and Start/Stop are in pg_listener.cc.
//
// A connection's socket is owned by its Session; its I/O uses the native descriptor directly:
// poll() with the idle timeout before every read (Asio's blocking reads cannot time out) and
// blocking send() with SO_SNDTIMEO. Stop() wakes sessions by shutting their descriptors down.
// COPY ... TO STDOUT (copy_out.h) and SQL PREPARE / EXECUTE / DEALLOCATE (prepared.h) are run by
// the session itself; every other statement goes first to the session's SessionState
// (session_state.h: transaction blocks, cursors, SET/SHOW), then to the engine, which also
// answers catalog queries (pg_catalog and information_schema are views over its system tables)
// and the session functions (current_setting, set_config, pg_sleep, ...: sql/session.h).
#include <utility>  // before Asio: GCC 12 + C++20 needs std::exchange declared (TOOLCHAIN.md)

#include "pgwire/pg_server.h"
#include "pgwire/pg_server_impl.h"
#include "sql/session.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <csignal>
#include <sys/socket.h>
#include <sys/time.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cctype>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "auth/scram.h"
#include "auth/tls.h"
#include "pgwire/copy_out.h"
#include "pgwire/message.h"
#include "pgwire/prepared.h"
#include "pgwire/session_state.h"
#include "sql/parser.h"
#include "sql/transformer.h"

namespace laminar::pgwire {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

struct Portal {
  std::shared_ptr<PreparedStatement> stmt;  // what runs (for SQL EXECUTE: the statement it names)
  std::vector<sql::Param> params;      // the values of $1..$n (pinned while it runs)
  std::vector<int16_t> result_formats;
  // Session answers, and engine statements run by an Execute with a row limit: the
  // whole result, computed at the first Describe or Execute and kept.
  std::optional<Outcome> outcome;
  // An engine SELECT described before it runs: its columns (Engine::DescribeQuery).
  std::optional<Outcome> described;
  size_t next_row = 0;
  bool completed = false;  // an engine SELECT whose rows were streamed by an Execute
};

class Session {
 public:
  Session(PgServer::Impl* srv, tcp::socket socket, int32_t id, int32_t key, std::string refusal)
      : srv_(srv), socket_(std::move(socket)), fd_(socket_.native_handle()), id_(id), key_(key), refusal_(std::move(refusal)) {}

  // Unregisters the cancel flag before the session goes away.
  ~Session() {
    std::lock_guard<std::mutex> lock(srv_->mu);
    auto it = srv_->slots.find(id_);
    if (it != srv_->slots.end()) it->second.cancel = nullptr;
  }

  const sql::Session* sql_session() const { return &sql_session_; }

  void Run() {
    {
      std::lock_guard<std::mutex> lock(srv_->mu);
      auto it = srv_->slots.find(id_);
      if (it != srv_->slots.end()) it->second.cancel = &cancel_;
    }
    int timeout = srv_->options.idle_timeout_seconds;
    if (timeout > 0) {
      timeval tv{timeout, 0};
      setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    boost::system::error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);
    // A write to a connection the client closed fails with EPIPE instead of killing the process
    // (send has MSG_NOSIGNAL; SSL_write cannot pass it).
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    if (!Startup()) return;
    while (!srv_->stopping.load()) {
      if (!Flush()) return;
      auto msg = ReadMessage();
      if (!msg || msg->type == 'X') return;
      Handle(*msg);
    }
  }

 private:
  enum class ReadStatus { kOk, kClosed, kTimeout };

  // The next frontend message; nullopt when the connection ended (closed, idle too long, or a
  // malformed message, after a FATAL error).
  std::optional<FrontendMessage> ReadMessage() {
    uint8_t head[5];
    ReadStatus rs = ReadExact(head, 5);
    if (rs != ReadStatus::kOk) {
      if (rs == ReadStatus::kTimeout) Fatal("57P05", "terminating connection due to idle-session timeout");
      return std::nullopt;
    }
    auto len = DecodeMessageLength(char(head[0]), head + 1, srv_->options.max_message_bytes);
    if (!len.ok()) {
      Fatal("08P01", "invalid message: " + len.status().message());
      return std::nullopt;
    }
    std::string body(*len, '\0');
    if (*len > 0 && ReadExact(body.data(), *len) != ReadStatus::kOk) return std::nullopt;
    auto msg = DecodeFrontendBody(char(head[0]), body);
    if (!msg.ok()) {
      Fatal("08P01", "invalid message: " + msg.status().message());
      return std::nullopt;
    }
    return std::move(*msg);
  }

  ReadStatus ReadExact(void* buf, size_t n) {
    auto* p = static_cast<char*>(buf);
    int timeout_ms = srv_->options.idle_timeout_seconds > 0 ? srv_->options.idle_timeout_seconds * 1000 : -1;
    while (n > 0) {
      // Bytes TLS has already decrypted are not visible to poll.
      if (ssl_ && SSL_pending(ssl_.get()) > 0) {
        ssize_t got = Recv(p, n);
        if (got <= 0) return ReadStatus::kClosed;
        p += got;
        n -= size_t(got);
        continue;
      }
      pollfd pfd{fd_, POLLIN, 0};
      if (startup_deadline_) {  // during the startup: what is left of startup_timeout_seconds
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*startup_deadline_ -
                                                                          std::chrono::steady_clock::now());
        if (left.count() <= 0) return ReadStatus::kTimeout;
        timeout_ms = int(left.count());
      }
      int r = ::poll(&pfd, 1, timeout_ms);
      if (r < 0 && errno == EINTR) continue;
      if (r == 0) return ReadStatus::kTimeout;
      if (r < 0) return ReadStatus::kClosed;
      ssize_t got = Recv(p, n);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return ReadStatus::kClosed;
      p += got;
      n -= size_t(got);
    }
    return ReadStatus::kOk;
  }

  // The socket's bytes, through TLS once it started (StartTls). Errors: -1 (errno EINTR: retry).
  ssize_t Recv(char* p, size_t n) {
    if (!ssl_) return ::recv(fd_, p, n, 0);
    int got = SSL_read(ssl_.get(), p, int(std::min<size_t>(n, 1 << 30)));
    if (got > 0) return got;
    if (SSL_get_error(ssl_.get(), got) == SSL_ERROR_SYSCALL && errno == EINTR) return -1;
    errno = ECONNRESET;
    return got == 0 ? 0 : -1;
  }
  ssize_t Send(const char* p, size_t n) {
    if (!ssl_) return ::send(fd_, p, n, MSG_NOSIGNAL);
    int sent = SSL_write(ssl_.get(), p, int(std::min<size_t>(n, 1 << 30)));  // SIGPIPE is blocked (Run)
    if (sent > 0) return sent;
    errno = ECONNRESET;
    return -1;
  }

  // After answering an SSLRequest 'S': the TLS handshake, within what is left of the startup
  // time. False: the connection closes (a failed handshake cannot carry an error message).
  bool StartTls() {
    std::shared_ptr<SSL_CTX> ctx = srv_->options.tls->Current();
    ssl_.reset(SSL_new(ctx.get()));
    if (!ssl_ || SSL_set_fd(ssl_.get(), fd_) != 1) return false;
    // SSL_accept reads with blocking recv: bound it by the startup deadline; afterwards, reads of
    // a record's rest by the idle timeout (poll sees only that some bytes arrived).
    auto left = startup_deadline_ ? std::chrono::duration_cast<std::chrono::seconds>(
                                        *startup_deadline_ - std::chrono::steady_clock::now()).count() + 1
                                  : int64_t(srv_->options.idle_timeout_seconds);
    timeval tv{std::max<int64_t>(1, left), 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ERR_clear_error();
    if (SSL_accept(ssl_.get()) != 1) {
      std::string why = auth::OpenSslErrors();
      Audit("auth_failure", "TLS handshake", why.empty() ? "the client ended the handshake" : why);
      ssl_.reset();
      return false;
    }
    timeval idle{srv_->options.idle_timeout_seconds, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
    return true;
  }

  bool Flush() {
    size_t off = 0;
    while (off < out_.size()) {
      ssize_t n = Send(out_.data() + off, out_.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        out_.clear();
        return false;
      }
      off += size_t(n);
    }
    out_.clear();
    return true;
  }

  void Fatal(const std::string& sqlstate, const std::string& message) {
    WriteErrorResponse(&out_, "FATAL", sqlstate, message);
    Flush();
  }

  // Reads the startup packet (answering SSL/GSS requests 'N') and greets, all within
  // startup_timeout_seconds. False: close.
  bool Startup() {
    if (srv_->options.startup_timeout_seconds > 0)
      startup_deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(srv_->options.startup_timeout_seconds);
    bool ok = StartupSteps();
    startup_deadline_.reset();
    return ok;
  }

  bool StartupSteps() {
    for (int round = 0; round < 4; round++) {
      uint8_t head[4];
      if (ReadExact(head, 4) != ReadStatus::kOk) return false;
      // The startup packet is small; 10,000 bytes as PostgreSQL allows.
      auto len = DecodeStartupLength(head, std::min<size_t>(10'000, srv_->options.max_message_bytes));
      if (!len.ok()) {
        Fatal("08P01", "invalid startup packet: " + len.status().message());
        return false;
      }
      std::string body(*len - 4, '\0');
      if (ReadExact(body.data(), body.size()) != ReadStatus::kOk) return false;
      auto p = DecodeStartupBody(body);
      if (!p.ok()) {
        Fatal(p.status().code() == StatusCode::kUnimplemented ? "0A000" : "08P01", p.status().message());
        return false;
      }
      switch (p->kind) {
        case StartupPacket::Kind::kSslRequest:
          if (srv_->options.tls && !ssl_) {
            out_ = "S";
            if (!Flush() || !StartTls()) return false;
            continue;
          }
          [[fallthrough]];
        case StartupPacket::Kind::kGssEncRequest:
          out_ = "N";
          if (!Flush()) return false;
          continue;
        case StartupPacket::Kind::kCancelRequest:
          srv_->Cancel(p->process_id, p->secret_key);
          return false;  // no answer; the connection closes
        case StartupPacket::Kind::kStartup: break;
      }
      if (!refusal_.empty()) {
        Fatal("53300", refusal_);
        return false;
      }
      if (srv_->options.tls && srv_->options.tls->required() && !ssl_) {
        Audit("denied", "startup", "a plain connection where TLS is required");
        Fatal("28000", "TLS is required: connect with sslmode=require or verify-full");
        return false;
      }
      if (auto it = p->params.find("application_name"); it != p->params.end())
        state_.ApplySetting("application_name", it->second, nullptr).IgnoreError();
      state_.KeepAsResetValues();
      if (auto it = p->params.find("user"); it != p->params.end()) user_ = it->second;
      // As PostgreSQL: the database defaults to the user name.
      database_ = user_;
      if (auto it = p->params.find("database"); it != p->params.end() && !it->second.empty()) database_ = it->second;
      if (!Authenticate()) return false;
      WriteAuthenticationOk(&out_);
      for (const auto& [name, value] : state_.ReportedParams()) WriteParameterStatus(&out_, name, value);
      WriteBackendKeyData(&out_, id_, key_);
      WriteReadyForQuery(&out_, 'I');
      return true;
    }
    Fatal("08P01", "too many SSL/GSS negotiation requests");
    return false;
  }

  // ---- Authentication and authorization (auth/guard.h) ----

  std::string Remote() const {
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    return ec ? std::string("unknown") : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  void Audit(const char* event, const std::string& what, const std::string& outcome) {
    if (auth::Guard* g = srv_->options.guard)
      g->Audit({event, user_, principal_.kind, "pg", Remote(), what, outcome});
  }

  // A FATAL authentication failure: audited, and the same answer whatever was wrong (an unknown
  // user, a wrong password), as PostgreSQL answers.
  bool AuthFailed(const std::string& why) {
    Audit("auth_failure", "startup", why);
    Fatal("28P01", fmt::format("password authentication failed for user \"{}\"", user_));
    return false;
  }

  // The body of the client's next 'p' message (SASLInitialResponse, SASLResponse or
  // PasswordMessage); nullopt after a FATAL error or when the connection ended.
  std::optional<std::string> ReadPasswordMessage() {
    if (!Flush()) return std::nullopt;
    uint8_t head[5];
    if (ReadExact(head, 5) != ReadStatus::kOk) return std::nullopt;
    if (head[0] != 'p') {
      Fatal("08P01", fmt::format("expected a password message, got message type \"{}\"", char(head[0])));
      return std::nullopt;
    }
    auto len = DecodeMessageLength('p', head + 1, 10'000);
    if (!len.ok()) {
      Fatal("08P01", "invalid password message: " + len.status().message());
      return std::nullopt;
    }
    std::string body(*len, '\0');
    if (*len > 0 && ReadExact(body.data(), *len) != ReadStatus::kOk) return std::nullopt;
    return body;
  }

  // Who the session is: with authentication on, the startup's user must prove its password with
  // SCRAM-SHA-256 (or in clear text when [auth] allow_cleartext_passwords is set); without it,
  // every session is the anonymous principal. False: the connection closes (FATAL sent).
  bool Authenticate() {
    auth::Guard* g = srv_->options.guard;
    if (!g || !g->enabled()) {
      principal_ = auth::Principal::Anonymous();
      return true;
    }
    std::optional<auth::UserEntry> entry = g->FindUser(user_);
    std::optional<auth::ScramVerifier> verifier;
    if (entry) {
      auto v = auth::ParseVerifier(entry->verifier);
      if (v.ok()) verifier = std::move(*v);
    }
    if (g->config().allow_cleartext_passwords) {
      WriteAuthenticationCleartextPassword(&out_);
      auto body = ReadPasswordMessage();
      if (!body) return false;
      auto password = DecodePasswordMessage(*body);
      if (!password.ok()) return AuthFailed(password.status().message());
      if (!verifier) return AuthFailed("unknown user");
      if (!auth::VerifyPassword(*verifier, *password)) return AuthFailed("wrong password");
    } else {
      WriteAuthenticationSasl(&out_, {std::string(auth::kScramMechanism)});
      auto first = ReadPasswordMessage();
      if (!first) return false;
      auto initial = DecodeSaslInitialResponse(*first);
      if (!initial.ok()) return AuthFailed(initial.status().message());
      if (initial->mechanism != auth::kScramMechanism) {
        Audit("auth_failure", "startup", "unsupported SASL mechanism " + initial->mechanism);
        Fatal("28000", fmt::format("SASL authentication mechanism \"{}\" is not supported: the server offers {}",
                                   initial->mechanism, auth::kScramMechanism));
        return false;
      }
      auth::ScramExchange exchange(user_, verifier);
      auto server_first = exchange.ClientFirst(initial->data);
      if (!server_first.ok()) return AuthFailed(server_first.status().message());
      WriteAuthenticationSaslContinue(&out_, *server_first);
      auto final_body = ReadPasswordMessage();
      if (!final_body) return false;
      auto server_final = exchange.ClientFinal(*final_body);
      if (!server_final.ok()) return AuthFailed(entry ? "wrong password" : "unknown user");
      WriteAuthenticationSaslFinal(&out_, *server_final);
    }
    principal_ = auth::Principal{user_, "user", entry->scopes, entry->limits};
    return true;
  }

  // Whether the session may run `stmt` (auth::StatementAccess): a refusal is audited, and so is
  // every statement that needs admin (by its kind: a role statement's text holds a password).
  Status Authorize(const sql::Statement& stmt) {
    bool needs_admin = false;
    Status st = auth::AuthorizeStatement(principal_, stmt, &needs_admin);
    if (st.code() == StatusCode::kPermissionDenied) Audit("denied", sql::DescribeKind(stmt.kind), st.message());
    if (st.ok() && needs_admin) Audit("admin", sql::DescribeKind(stmt.kind), "allowed");
    return st;
  }

  void SendError(const Status& st) { SendError(SqlStateFor(st), st.message()); }
  void SendError(std::string_view sqlstate, std::string_view message) {
    WriteErrorResponse(&out_, "ERROR", sqlstate, message);
    in_extended_error_ = true;
    state_.OnError();
  }

  void Handle(const FrontendMessage& m) {
    if (in_extended_error_ && m.type != 'S' && m.type != 'Q') return;  // discard until Sync
    switch (m.type) {
      case 'Q': HandleQuery(m.sql); break;
      case 'P': HandleParse(m); break;
      case 'B': HandleBind(m); break;
      case 'D': HandleDescribe(m); break;
      case 'E': HandleExecute(m); break;
      case 'C':
        if (m.target == 'S') {
          statements_.erase(m.name);
        } else {
          portals_.erase(m.name);
        }
        WriteCloseComplete(&out_);
        break;
      case 'S':
        in_extended_error_ = false;
        // Sync ends the implicit transaction; inside a block, portals live until it ends.
        if (!state_.InBlock()) portals_.clear();
        WriteReadyForQuery(&out_, state_.TxStatus());
        break;
      case 'H': break;  // the loop flushes before every read
    }
  }

  // ---- Statements ----

  // pg_sleep: sleeps in small steps, ending early on a cancel request, the statement timeout
  // (the engine's query timeout, counted from the statement's start) or server shutdown.
  Status Sleep(double seconds) {
    using Clock = std::chrono::steady_clock;
    auto now = Clock::now();
    int64_t timeout = srv_->engine->options().query.timeout_micros;
    if (int64_t own = sql_session_.query_timeout_micros; own > 0 && (timeout <= 0 || own < timeout)) timeout = own;
    auto deadline = statement_start_ + std::chrono::microseconds(timeout > 0 ? timeout : 0);
    // NaN and negative durations end at once; very long ones are bounded by the timeout.
    double capped = std::isnan(seconds) ? 0 : std::clamp(seconds, 0.0, 1e9);
    auto end = now + std::chrono::microseconds(int64_t(capped * 1e6));
    for (;;) {
      if (cancel_.load()) return Cancelled("canceling statement due to user request");
      if (srv_->stopping.load()) return Cancelled("terminating connection due to administrator command");
      now = Clock::now();
      if (timeout > 0 && now >= deadline) return DeadlineExceeded("canceling statement due to statement timeout");
      if (now >= end) return Status::OK();
      auto step = std::min<Clock::duration>(std::chrono::milliseconds(10), end - now);
      if (timeout > 0) step = std::min<Clock::duration>(step, deadline - now);
      std::this_thread::sleep_for(step);
    }
  }

  // The session the engine's SQL functions read (current_user, current_setting, set_config,
  // pg_sleep, ...: sql/session.h), renewed at each statement from the session's state and pinned
  // on this connection's thread for its whole life (Run).
  void RenewSqlSession() {
    sql_session_.user = user_;
    sql_session_.database = database_;
    sql_session_.backend_pid = id_;
    sql_session_.query_timeout_micros = int64_t(principal_.limits.query_timeout_seconds * 1e6);
    sql_session_.query_max_memory_bytes = uint64_t(principal_.limits.query_max_memory_mb) << 20;
    sql_session_.settings.clear();
    for (const auto& [lower, param] : state_.params()) sql_session_.settings.push_back(param);
    setting_changes_.clear();
    sql_session_.changes = &setting_changes_;
    sql_session_.sleep = [this](double seconds) { return Sleep(seconds); };
  }

  // Applies the set_config(...) calls of the statement that just succeeded.
  Status ApplySettingChanges(Outcome* o) {
    std::vector<std::pair<std::string, std::string>> changes;
    changes.swap(setting_changes_);
    for (const auto& [name, value] : changes) RETURN_IF_ERROR(state_.ApplySetting(name, value, o));
    return Status::OK();
  }

  // Starts a statement: a cancel request only interrupts the statement running when it arrives.
  void BeginStatement() {
    cancel_.store(false);
    statement_start_ = std::chrono::steady_clock::now();
    RenewSqlSession();
  }

  // The answer of the session (session_state.h: transaction blocks, cursors, parameters),
  // starting the statement; nullopt when the engine answers `stmt`. In a failed transaction
  // block every statement but the transaction ones gets 25P02. `describe_only`: a prepared
  // FETCH's columns, no row consumed.
  std::optional<Result<Outcome>> SessionAnswer(const sql::Statement& stmt, bool describe_only = false) {
    BeginStatement();
    auto session = sql::TransformSessionStmt(stmt);
    if (!session.ok()) return Result<Outcome>(session.status());
    if (!*session) {
      if (!state_.Failed()) return std::nullopt;
      return Result<Outcome>(InvalidArgument(ErrorCode::kInFailedSqlTransaction,
                                             "current transaction is aborted, commands ignored until end of transaction block"));
    }
    auto run = [this](const sql::ast::SelectStmt& q) -> Result<Outcome> {
      ASSIGN_OR_RETURN(serving::QueryResult r, srv_->engine->Query(q, &cancel_));
      return QueryOutcome(std::move(r));
    };
    Result<Outcome> o = state_.Answer(std::move(**session), describe_only, run);
    if (state_.TakeDiscardStatements()) statements_.clear();  // a running portal keeps its own (shared_ptr)
    if (SessionState::BlockEnd end = state_.TakeBlockEnd(); end != SessionState::BlockEnd::kNone) {
      // The block ended: COMMIT stores the rows its INSERTs and COPYs made, in order; ROLLBACK
      // (or COMMIT of a failed block) drops them. A failed store fails the COMMIT, as in
      // PostgreSQL (the block is over either way).
      std::vector<engine::TableRows> held = std::exchange(held_rows_, {});
      held_bytes_ = 0;
      if (end == SessionState::BlockEnd::kCommit)
        for (const engine::TableRows& rows : held)
          if (Status st = srv_->engine->StoreRows(rows); !st.ok())
            return Result<Outcome>(st.WithContext("COMMIT"));
    }
    return o;
  }

  // A query's rows as an Outcome, with the set_config(...) calls it made applied.
  Result<Outcome> QueryOutcome(serving::QueryResult r) {
    Outcome o;
    o.returns_rows = true;
    o.columns = std::move(r.columns);
    o.rows = std::move(r.rows);
    o.tag = r.tag.empty() ? fmt::format("SELECT {}", o.rows.size()) : r.tag;
    RETURN_IF_ERROR(ApplySettingChanges(&o));
    return o;
  }

  // Runs one statement to completion, every row in memory (the engine's max_result_rows applies):
  // the session's answer, else the engine's.
  Result<Outcome> RunStatement(const sql::Statement& stmt) {
    if (auto answer = SessionAnswer(stmt)) return std::move(*answer);
    if (state_.InBlock() && stmt.kind == "InsertStmt") {
      ASSIGN_OR_RETURN(engine::TableRows rows, srv_->engine->PrepareInsert(stmt, &cancel_));
      Outcome o;
      o.tag = rows.tag;
      RETURN_IF_ERROR(Hold(std::move(rows)));
      return o;
    }
    if (state_.InBlock() && stmt.kind != "SelectStmt" && stmt.kind != "ExplainStmt")
      return InvalidArgument(ErrorCode::kActiveSqlTransaction,
                             "{} cannot run inside a transaction block: Laminar applies it at once and could not roll it "
                             "back; run it outside BEGIN ... COMMIT (autocommit)", FallbackTag(stmt));
    ASSIGN_OR_RETURN(engine::StatementResult r, srv_->engine->Execute(stmt, &cancel_));
    if (r.is_query) return QueryOutcome(std::move(r.query));
    Outcome o;
    o.tag = r.tag.empty() ? FallbackTag(stmt) : r.tag;
    RETURN_IF_ERROR(ApplySettingChanges(&o));
    return o;
  }

  // Keeps a statement's rows until the block's COMMIT: at most [import] max_file_bytes of them
  // in one block (ResourceExhausted past it: commit in smaller blocks).
  Status Hold(engine::TableRows rows) {
    const uint64_t bytes = rows.rows.EncodedBytes();
    const uint64_t max = srv_->engine->options().import_max_file_bytes;
    if (held_bytes_ + bytes > max)
      return ResourceExhausted("the transaction block holds more than {} bytes of rows to store at COMMIT "
                               "([import] max_file_bytes): commit in smaller blocks",
                               max);
    held_bytes_ += bytes;
    held_rows_.push_back(std::move(rows));
    return Status::OK();
  }

  // format_codes: none → text, one → all, else one per column (checked by the caller).
  static int16_t FormatOf(const std::vector<int16_t>& formats, size_t i) {
    if (formats.empty()) return 0;
    return formats.size() == 1 ? formats[0] : formats[i];
  }

  void WriteDescription(const Outcome& o, const std::vector<int16_t>& formats) {
    std::vector<FieldDescription> fields;
    for (size_t i = 0; i < o.columns.size(); i++)
      fields.push_back({o.columns[i].name, ColumnOid(o, i), FormatOf(formats, i)});
    WriteRowDescription(&out_, fields);
  }

  static uint32_t ColumnOid(const Outcome& o, size_t i) { return TypeOid(o.columns[i].type); }

  // Writes rows [from, to) of o; false when the connection failed.
  bool WriteRows(const Outcome& o, const std::vector<int16_t>& formats, size_t from, size_t to) {
    for (size_t r = from; r < to; r++)
      if (!WriteRow(o, formats, o.rows[r])) return false;
    return true;
  }

  // Writes one DataRow of o's columns; false when the connection failed.
  bool WriteRow(const Outcome& o, const std::vector<int16_t>& formats, const std::vector<Value>& row) {
    std::vector<std::optional<std::string>>& cells = cells_;
    cells.clear();
    for (size_t i = 0; i < o.columns.size(); i++) {
      if (i >= row.size() || row[i].is_null()) {
        cells.emplace_back();
        continue;
      }
      Type t = o.columns[i].type;
      cells.emplace_back(FormatOf(formats, i) == 1 ? EncodeBinary(row[i], t) : EncodeText(row[i], t));
    }
    WriteDataRow(&out_, cells);
    return out_.size() <= (256u << 10) || Flush();
  }

  // Runs the engine SELECT `text`, writing each row as a DataRow as the engine produces it (no
  // max_result_rows: nothing is held), with a RowDescription first when `describe`. `expect`:
  // the columns an earlier Describe announced, which the statement must still have. The row count
  // goes to *rows. False after an error was sent (rows already written stay: the ErrorResponse
  // follows them, as in PostgreSQL) or when the connection failed.
  bool StreamSelect(const sql::Statement& stmt, const std::vector<int16_t>& formats, bool describe,
                    const Outcome* expect, uint64_t* rows) {
    BeginStatement();
    Outcome o;
    std::optional<std::pair<std::string, std::string>> protocol_error;  // (sqlstate, message)
    bool lost = false;
    *rows = 0;
    serving::RowSink sink;
    sink.begin = [&](const std::vector<serving::ResultColumn>& columns) -> Status {
      if (auto bad = FormatCountError(formats, columns.size())) {
        protocol_error.emplace("08P01", *bad);
        return InvalidArgument("{}", *bad);
      }
      if (expect && !SameColumns(expect->columns, columns)) {
        protocol_error.emplace("0A000", "cached plan must not change result type");
        return InvalidArgument("{}", protocol_error->second);
      }
      o.columns = columns;
      if (describe) WriteDescription(o, formats);
      return Status::OK();
    };
    sink.row = [&](std::vector<Value>&& row) -> Status {
      ++*rows;
      if (WriteRow(o, formats, row)) return Status::OK();
      lost = true;
      return Cancelled("the client connection was lost");
    };
    auto r = srv_->engine->Query(stmt, &cancel_, &sink);
    if (lost) return false;
    if (protocol_error) {
      SendError(protocol_error->first, protocol_error->second);
      return false;
    }
    if (!r.ok()) {
      SendError(r.status());
      return false;
    }
    Outcome changed;
    Status applied = ApplySettingChanges(&changed);
    if (!applied.ok()) {
      SendError(applied);
      return false;
    }
    WriteReports(changed);
    return true;
  }

  // Bind's result format codes must be none, one for all, or one per column (else 08P01).
  static std::optional<std::string> FormatCountError(const std::vector<int16_t>& formats, size_t columns) {
    if (formats.size() <= 1 || formats.size() == columns) return std::nullopt;
    return fmt::format("bind message has {} result formats but query has {} columns", formats.size(), columns);
  }

  static bool SameColumns(const std::vector<serving::ResultColumn>& a, const std::vector<serving::ResultColumn>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++)
      if (a[i].name != b[i].name || a[i].type != b[i].type) return false;
    return true;
  }

  void WriteReports(const Outcome& o) {
    for (const auto& [k, v] : o.reports) WriteParameterStatus(&out_, k, v);
    for (const auto& [state, message] : o.warnings) WriteNoticeResponse(&out_, "WARNING", state, message);
  }

  void HandleQuery(const std::string& text) {
    in_extended_error_ = false;
    portals_.erase("");
    auto parsed = sql::Parse(text);
    if (!parsed.ok()) {
      SendError(parsed.status());
    } else if (parsed->empty()) {
      WriteEmptyQueryResponse(&out_);
    } else {
      for (const sql::Statement& stmt : *parsed)
        if (!RunOne(stmt, 0)) break;
    }
    in_extended_error_ = false;
    WriteReadyForQuery(&out_, state_.TxStatus());
  }

  // One statement of a Query message (`depth`: EXECUTEs around it); false after an error was
  // sent (the rest of the message is skipped) or when the connection failed.
  bool RunOne(const sql::Statement& stmt, int depth) {
    if (Status st = Authorize(stmt); !st.ok()) {
      SendError(st);
      return false;
    }
    if (auto done = PgwireStatement(stmt, depth)) return *done;
    auto answer = SessionAnswer(stmt);
    if (!answer && (stmt.kind == "SelectStmt" || stmt.kind == "ExplainStmt")) {
      uint64_t rows = 0;
      if (!StreamSelect(stmt, {}, true, nullptr, &rows)) return false;
      WriteCommandComplete(&out_, stmt.kind == "ExplainStmt" ? std::string("EXPLAIN") : fmt::format("SELECT {}", rows));
      return true;
    }
    auto o = answer ? std::move(*answer) : RunStatement(stmt);
    if (!o.ok()) {
      SendError(o.status());
      return false;
    }
    WriteReports(*o);
    if (o->returns_rows) {
      std::vector<int16_t> formats;
      if (o->binary) formats = {1};  // a BINARY cursor's rows
      WriteDescription(*o, formats);
      if (!WriteRows(*o, formats, 0, o->rows.size())) return false;
    }
    WriteCommandComplete(&out_, o->tag);
    return true;
  }

  // COPY ... TO, PREPARE, EXECUTE and DEALLOCATE, which pgwire runs itself (copy_out.h,
  // prepared.h): as RunOne; nullopt for any other statement. COPY TO STDOUT only reads, so it
  // also runs inside a transaction block; EXECUTE runs its statement as RunOne would.
  std::optional<bool> PgwireStatement(const sql::Statement& stmt, int depth) {
    const std::string& kind = stmt.kind;
    const bool copy_in = IsCopyFromClient(stmt);
    if (!IsCopyTo(stmt) && !copy_in && kind != "PrepareStmt" && kind != "ExecuteStmt" && kind != "DeallocateStmt")
      return std::nullopt;
    BeginStatement();
    Status error;
    if (state_.Failed()) {
      error = InvalidArgument(ErrorCode::kInFailedSqlTransaction,
                              "current transaction is aborted, commands ignored until end of transaction block");
    } else if (copy_in) {  // COPY ... FROM STDIN (inside a block: stored at COMMIT)
      bool lost = false;
      error = RunCopyIn(stmt, &lost);
      if (lost) return false;
      if (error.ok()) return true;
    } else if (kind == "CopyStmt") {
      Result<CopyOutPlan> plan = PlanCopyOut(stmt);
      bool lost = false;
      error = plan.ok() ? RunCopyOut(*plan, CopySession(), &lost) : plan.status();
      if (lost) return false;
    } else if (kind == "ExecuteStmt" && depth >= 8) {
      error = ResourceExhausted("EXECUTE nested too deeply (prepared statements that EXECUTE each other)");
    } else if (kind == "ExecuteStmt") {
      auto bound = ResolveExecute(stmt, statements_);
      if (!bound.ok()) {
        error = bound.status();
      } else if (!bound->stmt->parsed) {
        WriteEmptyQueryResponse(&out_);
        return true;
      } else {
        sql::ScopedParams pin(&bound->params);
        return RunOne(*bound->stmt->parsed, depth + 1);
      }
    } else if (auto tag = RunPrepareOrDeallocate(stmt, &statements_); tag.ok()) {
      WriteCommandComplete(&out_, *tag);
    } else {
      error = tag.status();
    }
    if (!error.ok()) SendError(error);
    return error.ok();
  }

  // COPY ... FROM STDIN (the client sends the rows); COPY FROM a file is the engine's.
  static bool IsCopyFromClient(const sql::Statement& stmt) {
    if (stmt.kind != "CopyStmt") return false;
    auto c = sql::TransformCopy(stmt);
    return c.ok() && c->is_from && !c->filename && !c->is_program;
  }

  // COPY table FROM STDIN: CopyInResponse, then the client's CopyData until CopyDone (or
  // CopyFail), at most [import] max_file_bytes of it, then the engine loads the table and
  // CommandComplete follows. Flush and Sync during the copy are ignored, as in PostgreSQL; any other
  // message is a protocol violation. *lost: the connection failed.
  Status RunCopyIn(const sql::Statement& stmt, bool* lost) {
    ASSIGN_OR_RETURN(size_t columns, srv_->engine->CopyFromClientColumns(stmt));
    WriteCopyInResponse(&out_, 0, columns);
    if (!Flush()) {
      *lost = true;
      return Status::OK();
    }
    const uint64_t max = srv_->engine->options().import_max_file_bytes;
    // The bytes in pieces of about 1 MiB: no copy of everything when it grows.
    constexpr size_t kPiece = 1u << 20;
    std::vector<std::string> data;
    uint64_t bytes = 0;
    bool too_big = false;
    for (;;) {
      auto m = ReadMessage();
      if (!m) {
        *lost = true;
        return Status::OK();
      }
      if (m->type == 'd') {
        if (!too_big && bytes + m->sql.size() > max) {
          too_big = true;
          data.clear();
        }
        if (too_big) continue;
        bytes += m->sql.size();
        if (m->sql.size() >= kPiece) {
          data.push_back(std::move(m->sql));
        } else {
          if (data.empty() || data.back().size() + m->sql.size() > kPiece) data.emplace_back().reserve(kPiece);
          data.back() += m->sql;
        }
        continue;
      }
      if (m->type == 'c') break;
      if (m->type == 'f') return Cancelled(ErrorCode::kQueryCanceled, "COPY from stdin failed: {}", m->sql);
      if (m->type == 'H' || m->type == 'S') continue;
      if (m->type == 'X') {
        *lost = true;
        return Status::OK();
      }
      return InvalidArgument(ErrorCode::kProtocolViolation, "unexpected message type 0x{:02x} during COPY from stdin",
                             uint8_t(m->type));
    }
    if (too_big)
      return ResourceExhausted("COPY FROM STDIN sent more than {} bytes ([import] max_file_bytes)", max);
    if (state_.InBlock()) {
      ASSIGN_OR_RETURN(engine::TableRows rows, srv_->engine->PrepareCopyFromClient(stmt, data));
      std::string tag = rows.tag;
      RETURN_IF_ERROR(Hold(std::move(rows)));
      WriteCommandComplete(&out_, tag);
      return Status::OK();
    }
    ASSIGN_OR_RETURN(engine::StatementResult r, srv_->engine->CopyFromClient(stmt, data));
    WriteCommandComplete(&out_, r.tag);
    return Status::OK();
  }

  // What COPY ... TO STDOUT needs of the session: its output and the engine's streamed SELECT.
  CopyOutSession CopySession() {
    CopyOutSession s;
    s.out = &out_;
    s.flush = [this] { return Flush(); };
    s.query = [this](const sql::ast::SelectStmt& q, const serving::RowSink& sink) {
      return srv_->engine->Query(q, &cancel_, &sink).status();
    };
    return s;
  }

  void HandleParse(const FrontendMessage& m) {
    if (!m.name.empty() && statements_.count(m.name)) {
      SendError(StatementExists(m.name));
      return;
    }
    if (Status room = CheckRoomForStatement(statements_, m.name); !room.ok()) {
      SendError(room);
      return;
    }
    auto s = MakePrepared(m.sql, m.param_types, statements_);
    if (!s.ok()) {
      SendError(s.status());
      return;
    }
    statements_[m.name] = std::move(*s);
    WriteParseComplete(&out_);
  }

  void HandleBind(const FrontendMessage& m) {
    auto it = statements_.find(m.name);
    if (it == statements_.end()) {
      SendError(NoSuchStatement(m.name));
      return;
    }
    if (!m.portal.empty() && portals_.count(m.portal)) {
      SendError("42P03", fmt::format("portal \"{}\" already exists", m.portal));
      return;
    }
    const PreparedStatement& s = *it->second;
    if (m.params.size() != s.param_types.size()) {
      SendError("08P01", fmt::format("bind message supplies {} parameters, but prepared statement \"{}\" requires {}",
                                     m.params.size(), m.name, s.param_types.size()));
      return;
    }
    auto params = BindParams(s, m.params, m.param_formats);
    if (!params.ok()) {
      SendError(params.status());
      return;
    }
    Portal p;
    p.stmt = it->second;
    p.params = std::move(*params);
    if (s.kind == "ExecuteStmt") {  // SQL EXECUTE: the portal runs the statement it names
      BeginStatement();
      sql::ScopedParams pin(&p.params);
      auto bound = ResolveExecute(*s.parsed, statements_);
      if (!bound.ok()) {
        SendError(bound.status());
        return;
      }
      p.stmt = bound->stmt;
      p.params = std::move(bound->params);
    }
    if (p.stmt->parsed)
      if (Status st = Authorize(*p.stmt->parsed); !st.ok()) {
        SendError(st);
        return;
      }
    p.result_formats = m.result_formats;
    portals_[m.portal] = std::move(p);
    WriteBindComplete(&out_);
  }

  // Runs the portal's statement once, every row in memory; false after sending an error.
  bool Materialize(Portal* p) {
    if (p->outcome) return true;
    return Keep(p, RunStatement(*p->stmt->parsed));
  }

  // Checks o against the portal's result formats and keeps it; false after sending an error.
  bool Keep(Portal* p, Result<Outcome> o) {
    if (!o.ok()) {
      SendError(o.status());
      return false;
    }
    if (auto bad = FormatCountError(p->result_formats, o->columns.size())) {
      SendError("08P01", *bad);
      return false;
    }
    WriteReports(*o);
    p->outcome = std::move(*o);
    return true;
  }

  void HandleDescribe(const FrontendMessage& m) {
    if (m.target == 'S') {
      auto it = statements_.find(m.name);
      if (it == statements_.end()) {
        SendError(NoSuchStatement(m.name));
        return;
      }
      std::vector<uint32_t> oids;
      for (uint32_t oid : it->second->param_types) oids.push_back(oid == kOidUnspecified ? kOidText : oid);
      // SQL EXECUTE: the rows are those of the statement it names.
      if (it->second->kind == "ExecuteStmt") {
        auto target = statements_.find(it->second->executes);
        if (target != statements_.end()) it = target;
      }
      const PreparedStatement& s = *it->second;
      if (!s.returns_rows) {
        WriteParameterDescription(&out_, oids);
        WriteNoData(&out_);
        return;
      }
      // The columns: the session's answer with NULL parameters, else the engine's plan.
      std::vector<sql::Param> nulls = NullParams(s);
      sql::ScopedParams pin(&nulls);
      Result<Outcome> o = Status::OK();
      if (auto answer = SessionAnswer(*s.parsed, /*describe_only=*/true)) {
        o = std::move(*answer);
      } else {
        o = DescribeSelect(*s.parsed);
      }
      if (!o.ok()) {
        SendError(o.status());
        return;
      }
      WriteParameterDescription(&out_, oids);
      WriteDescription(*o, {});
      return;
    }
    auto it = portals_.find(m.name);
    if (it == portals_.end()) {
      SendError("34000", fmt::format("portal \"{}\" does not exist", m.name));
      return;
    }
    Portal& p = it->second;
    if (!p.stmt->returns_rows) {
      WriteNoData(&out_);
      return;
    }
    sql::ScopedParams pin(&p.params);
    if (!p.outcome && !p.described) {
      if (auto answer = SessionAnswer(*p.stmt->parsed)) {
        if (!Keep(&p, std::move(*answer))) return;
      } else {
        auto o = DescribeSelect(*p.stmt->parsed);
        if (!o.ok()) {
          SendError(o.status());
          return;
        }
        if (auto bad = FormatCountError(p.result_formats, o->columns.size())) {
          SendError("08P01", *bad);
          return;
        }
        p.described = std::move(*o);
      }
    }
    WriteDescription(p.outcome ? *p.outcome : *p.described, p.result_formats);
  }

  // The columns of the engine SELECT `stmt`, planned but not run.
  Result<Outcome> DescribeSelect(const sql::Statement& stmt) {
    RETURN_IF_ERROR(Authorize(stmt));
    BeginStatement();
    Outcome o;
    o.returns_rows = true;
    ASSIGN_OR_RETURN(o.columns, srv_->engine->DescribeQuery(stmt, &cancel_));
    return o;
  }

  void HandleExecute(const FrontendMessage& m) {
    auto it = portals_.find(m.portal);
    if (it == portals_.end()) {
      SendError("34000", fmt::format("portal \"{}\" does not exist", m.portal));
      return;
    }
    Portal& p = it->second;
    if (p.stmt->empty) {
      WriteEmptyQueryResponse(&out_);
      return;
    }
    sql::ScopedParams pin(&p.params);
    const sql::Statement& stmt = *p.stmt->parsed;
    // COPY TO, PREPARE and DEALLOCATE run here (COPY FROM is the engine's).
    if (PgwireStatement(stmt, 0).has_value()) return;
    if (!p.outcome && !p.completed) {
      // Without a row limit an engine SELECT streams its rows; with one (a cursor-like fetch in
      // pieces) the rows are kept for the following Executes.
      bool stream = p.stmt->returns_rows && m.max_rows <= 0;
      std::optional<Result<Outcome>> answer;
      if (stream && !p.described) answer = SessionAnswer(stmt);
      if (stream && !answer) {
        uint64_t rows = 0;
        p.completed = true;
        if (!StreamSelect(stmt, p.result_formats, false, p.described ? &*p.described : nullptr, &rows)) return;
        WriteCommandComplete(&out_, fmt::format("SELECT {}", rows));
        return;
      }
      if (answer ? !Keep(&p, std::move(*answer)) : !Materialize(&p)) return;
    }
    if (p.completed) {  // executed again after its rows were streamed
      WriteCommandComplete(&out_, "SELECT 0");
      return;
    }
    const Outcome& o = *p.outcome;
    if (!o.returns_rows) {
      WriteCommandComplete(&out_, o.tag);
      return;
    }
    size_t total = o.rows.size();
    size_t end = m.max_rows > 0 ? std::min(total, p.next_row + size_t(m.max_rows)) : total;
    size_t from = p.next_row;
    if (!WriteRows(o, p.result_formats, from, end)) return;
    p.next_row = end;
    if (end < total) {
      WritePortalSuspended(&out_);
    } else {
      std::string verb = o.tag == "SHOW" ? "SHOW" : (o.tag.starts_with("FETCH") ? "FETCH" : "SELECT");
      WriteCommandComplete(&out_, verb == "SHOW" ? verb : fmt::format("{} {}", verb, end - from));
    }
  }

  PgServer::Impl* srv_;
  tcp::socket socket_;
  int fd_;
  int32_t id_, key_;
  struct SslFree {
    void operator()(SSL* s) const { SSL_free(s); }
  };
  std::unique_ptr<SSL, SslFree> ssl_;  // after StartTls; SSL_new keeps its context alive
  std::string refusal_;  // non-empty: the FATAL message the startup gets (too many connections)
  std::string user_ = "laminar", database_ = "laminar";  // from the startup packet
  auth::Principal principal_;                              // who the session is (Authenticate)
  // Set by a CancelRequest (PgServer::Impl::Cancel, another thread); cleared when a statement
  // starts; polled by the engine's queries and by pg_sleep.
  std::atomic<bool> cancel_{false};
  std::chrono::steady_clock::time_point statement_start_;
  std::optional<std::chrono::steady_clock::time_point> startup_deadline_;  // during Startup()
  std::string out_;
  std::vector<std::optional<std::string>> cells_;  // WriteRow's buffer
  bool in_extended_error_ = false;
  SessionState state_;  // parameters, transaction block, cursors
  sql::Session sql_session_;  // what the statement's SQL functions read (RenewSqlSession)
  std::vector<std::pair<std::string, std::string>> setting_changes_;  // set_config calls of the statement
  std::map<std::string, std::shared_ptr<PreparedStatement>> statements_;
  std::map<std::string, Portal> portals_;
  // INSERT and COPY FROM STDIN rows of the open transaction block, stored at COMMIT.
  std::vector<engine::TableRows> held_rows_;
  uint64_t held_bytes_ = 0;
};

}  // namespace

void RunSession(PgServer::Impl* srv, tcp::socket socket, int32_t id, int32_t key, std::string refusal) {
  Session session(srv, std::move(socket), id, key, std::move(refusal));
  sql::ScopedSession pin(session.sql_session());  // the engine's binds on this thread read it
  session.Run();
  std::lock_guard<std::mutex> lock(srv->mu);
  srv->slots.erase(id);
}  // the session and then its socket go after its slot: Stop() never shuts a reused descriptor down

}  // namespace laminar::pgwire
