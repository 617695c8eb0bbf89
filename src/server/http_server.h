// HttpServer: an HTTP/1.1 server (Boost.Beast) that hands each request to one Handler.
//
// Threads: Options::threads I/O threads run the connections; a Handler runs on an I/O thread and
// may block (e.g. for a group-commit fsync); other connections proceed on the other threads.
// Keep-alive is supported; each connection serves requests one at a time (pipelined requests
// are answered in order). At most Options::threads Handlers run at once: a Handler that blocks
// holds one I/O thread, so with threads == 1 a slow Handler delays every connection.
//
// Limits (explicit, all in Options): request body bytes (413 before the body is read when
// Content-Length says so, else once the limit is passed), header bytes, concurrent connections
// (beyond it, an idle keep-alive connection is closed to make room — the oldest first — and only
// when every connection is busy does a new one get 503 and close), header timeout, read timeout
// per request, streamed
// answers at once (503 beyond max_streams) and the time a streamed answer waits for a client that
// reads nothing (write_timeout_seconds: then it is cut and the connection closed).
// TLS (Options::tls): HTTPS and plain HTTP on the same port, told apart by the first bytes.
// Error answers are JSON {"error": "..."}: 400 malformed HTTP or percent-encoding, 413 body too
// large, 431 header too large, 501 a Transfer-Encoding other than `chunked` (the body could not
// be framed, so a smuggled request must not be read as the next one), 503 too many connections
// (these close the connection); 403 a Host header that is not one of the server's names
// (HttpOptions::allowed_hosts), 500 a Handler that threw (the connection stays open).
//
// Thread safety: Start/Stop from one thread; the Handler must be thread-safe.
// Lifetime: Stop() closes the listener, lets in-flight requests finish (up to a grace period),
// then joins the threads; the destructor calls Stop(). Idle keep-alive connections are closed at
// once. A Handler still running after the grace period delays Stop() until it returns (a thread
// cannot be interrupted), and its answer may be lost.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/tls.h"
#include "common/status.h"

namespace laminar::server {

struct HttpRequest {
  std::string method;                         // "GET", "POST", ...
  std::string path;                           // target without the query string, percent-decoded
  std::map<std::string, std::string> query;   // decoded query parameters ('+' is a space);
                                              // a repeated key keeps its last value
  std::map<std::string, std::string> headers; // lower-case names; repeats joined with ", "
  std::string body;                           // raw (not decompressed)
  std::string remote;                         // "ip:port"

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Extra headers. Content-Length, Transfer-Encoding and Server are set by the server and
  // ignored here; "Connection: close" closes the connection after the answer.
  // From HttpCall: every header of the answer, lower-case names (content-type included).
  std::map<std::string, std::string> headers;
  // A streamed body (instead of `body`): after the status line and headers go out with
  // Transfer-Encoding: chunked, the server calls `stream` on the I/O thread, and every `write`
  // sends one chunk at once (blocking). `write` fails (IOError) once the client is gone; the
  // producer should then stop. The status is already sent, so errors are the producer's to
  // report inside the body. Not for HEAD (answered without a body).
  using Writer = std::function<Status(std::string_view chunk)>;
  std::function<void(const Writer& write)> stream;
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;           // 0 picks a free port (see HttpServer::port())
  int threads = 16;
  size_t max_body_bytes = 64u << 20;
  size_t max_header_bytes = 64u << 10;
  size_t max_connections = 1024;
  int request_timeout_seconds = 60;  // reading one request's body, writing its answer
  // Waiting for a request's header — a new connection's first, or the next on a keep-alive
  // connection — at most this long (a slow or silent client does not hold a connection slot).
  int header_timeout_seconds = 15;
  int shutdown_grace_seconds = 5;    // Stop() waits this long for in-flight requests
  // A streamed answer (HttpResponse::stream) holds its I/O thread while it is written, so: at most
  // this many at once (0: half the threads, at least 1; beyond it 503 before the producer runs),
  // and a client that takes no bytes for write_timeout_seconds has its answer cut and its
  // connection closed — a slow reader never holds a thread that ingest needs.
  int max_streams = 0;
  int write_timeout_seconds = 30;
  // Connections one client address may hold (0: three quarters of max_connections, at least 1):
  // one client cannot take every slot. Beyond it the new connection gets 503 and is closed.
  size_t max_connections_per_address = 0;
  // The names a request's Host header may carry (ports ignored, case-insensitive), against DNS
  // rebinding: `localhost`, any IP literal and the bound host are always accepted; "*" accepts
  // any. Another name gets 403 naming it. A request without Host (HTTP/1.0) is accepted.
  std::vector<std::string> allowed_hosts;
  // TLS (auth/tls.h): a connection that starts with a TLS ClientHello is encrypted with the
  // context's current certificate (a reload applies to later connections); a plain one is served
  // as it is, or answered 400 "TLS is required" and closed when the context says required.
  // nullptr: plain HTTP only.
  std::shared_ptr<auth::TlsContext> tls;
  // Told (on an I/O thread) of connections refused before any request: a plain one where TLS is
  // required, a failed TLS handshake — the client's "ip:port" and why (the audit log).
  std::function<void(const std::string& remote, const std::string& why)> on_refusal;
};

// True when a Host header value (`name[:port]`, `[v6]:port`) is one `options` accepts.
bool HostAllowed(std::string_view host_header, const HttpOptions& options);

class HttpServer {
 public:
  // Binds and starts serving. IOError naming host:port when the address is taken.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpOptions& options, Handler handler);
  ~HttpServer();
  uint16_t port() const;
  void Stop();

 private:
  HttpServer() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A small blocking HTTP/1.1 client for the CLI (laminar ingest/query) and tests.
// One request per call, new connection each time. IOError on connection failure naming
// host:port; DeadlineExceeded naming host:port when the whole exchange takes longer than
// timeout_seconds; the response is returned whatever its status. Sets Host, User-Agent,
// Authorization (Bearer $LAMINAR_TOKEN when that variable is set and `headers` has none) and
// Content-Length (when there is a body or the method is POST/PUT/PATCH) unless given.
// `target` is sent as is (percent-encode it yourself).
Result<HttpResponse> HttpCall(const std::string& host, uint16_t port, const std::string& method,
                              const std::string& target, const std::string& body,
                              const std::map<std::string, std::string>& headers = {},
                              int timeout_seconds = 60);

// Splits "host:port" (also "[::1]:port" → "::1", ":port" → 127.0.0.1). Port 0..65535.
// InvalidArgument on bad input (no port, non-numeric or out-of-range port, unbracketed IPv6).
Status ParseHostPort(const std::string& text, std::string* host, uint16_t* port);

}  // namespace laminar::server
