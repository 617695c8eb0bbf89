// HttpServer: an HTTP/1.1 server (Boost.Beast) that hands each request to one Handler.
//
// Threads: Options::threads I/O threads run the connections; a Handler runs on an I/O thread and
// may block (e.g. for a group-commit fsync); other connections proceed on the other threads.
// Keep-alive is supported; each connection serves requests one at a time.
//
// Limits (explicit, all in Options): request body bytes (413 before the body is read when
// Content-Length says so, else once the limit is passed), header bytes, concurrent connections
// (beyond it new connections get 503 and are closed), idle/read timeout per request.
//
// Thread safety: Start/Stop from one thread; the Handler must be thread-safe.
// Lifetime: Stop() closes the listener, lets in-flight requests finish (up to a grace period),
// then joins the threads; the destructor calls Stop().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/status.h"

namespace laminar::server {

struct HttpRequest {
  std::string method;                         // "GET", "POST", ...
  std::string path;                           // target without the query string, percent-decoded
  std::map<std::string, std::string> query;   // decoded query parameters
  std::map<std::string, std::string> headers; // lower-case names
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
  std::map<std::string, std::string> headers;  // extra headers
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;           // 0 picks a free port (see HttpServer::port())
  int threads = 16;
  size_t max_body_bytes = 64u << 20;
  size_t max_header_bytes = 64u << 10;
  size_t max_connections = 1024;
  int request_timeout_seconds = 60;
};

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
// host:port; the response is returned whatever its status.
Result<HttpResponse> HttpCall(const std::string& host, uint16_t port, const std::string& method,
                              const std::string& target, const std::string& body,
                              const std::map<std::string, std::string>& headers = {},
                              int timeout_seconds = 60);

// Splits "host:port" (also "[::1]:port", ":port" → 127.0.0.1). InvalidArgument on bad input.
Status ParseHostPort(const std::string& text, std::string* host, uint16_t* port);

}  // namespace laminar::server
