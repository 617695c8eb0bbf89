// HttpServer, HttpCall and ParseHostPort on Boost.Beast.
//
// Server: one io_context run by Options::threads threads; every connection is a Session bound
// to its own strand, so its reads, Handler call and writes are serialized while different
// connections run in parallel on different threads. The Handler is called synchronously on the
// I/O thread that completed the read.
//
// Client: a private io_context per call, async operations on a beast::tcp_stream (whose
// timeouts only apply to async operations), run to completion on the calling thread.
#include <utility>  // before Asio: GCC 12 + C++20 needs std::exchange declared (TOOLCHAIN.md)

#include "server/http_server.h"
#include "server/http_parse.h"

#include <spdlog/spdlog.h>

#include <poll.h>
#include <sys/socket.h>
#include <sstream>
#include <cstring>
#include <cerrno>
#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

namespace laminar::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// How long a connection that is being closed after an error answer keeps reading (and
// discarding) what the client still sends, so that closing does not reset the connection
// before the client has read the answer.
constexpr std::chrono::seconds kLingerTime(2);

// "host:port", with IPv6 literals bracketed.
std::string EndpointToString(const std::string& host, uint16_t port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes (and '+' as a space when plus_is_space). False on a malformed escape.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexDigit(in[i + 1]);
      int lo = HexDigit(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

// Splits a request target into a decoded path and query parameters. Accepts origin form
// ("/a/b?x=1"), absolute form ("http://host/a/b?x=1") and "*". False (with *error) on bad
// percent-encoding or an unknown form.
bool ParseTarget(std::string_view target, std::string* path,
                 std::map<std::string, std::string>* query, std::string* error) {
  if (size_t hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  bool absolute = false;
  if (target.starts_with("http://") || target.starts_with("https://")) {
    absolute = true;
    size_t slash = target.find_first_of("/?", target.find("://") + 3);
    target = slash == std::string_view::npos ? std::string_view() : target.substr(slash);
  }
  if (!absolute && (target.empty() || (target[0] != '/' && target != "*"))) {
    *error = "malformed request target";
    return false;
  }
  size_t qmark = target.find('?');
  std::string_view raw_path = target.substr(0, qmark);
  if (raw_path.empty()) raw_path = "/";
  if (!PercentDecode(raw_path, /*plus_is_space=*/false, path)) {
    *error = "malformed percent-encoding in path";
    return false;
  }
  if (qmark == std::string_view::npos) return true;
  std::string_view rest = target.substr(qmark + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, eq), true, &key) ||
        (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &value))) {
      *error = "malformed percent-encoding in query string";
      return false;
    }
    (*query)[std::move(key)] = std::move(value);
  }
  return true;
}

std::string ErrorBody(const std::string& message) {
  return nlohmann::json{{"error", message}}.dump();
}

HttpResponse ErrorResponse(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.body = ErrorBody(message);
  return r;
}

// The request parsing shared by Session (from its socket) and internal::ParseRequest (from
// bytes in memory, for the fuzz target).
using RequestParser = http::request_parser<http::string_body>;

// A new request parser gets the limits of `options`.
void ConfigureParser(RequestParser* parser, const HttpOptions& options) {
  parser->body_limit(options.max_body_bytes);
  parser->header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
}

// After the header: the message of the 501 answer when the request carries a Transfer-Encoding
// other than `chunked` alone, else "". Only `chunked` alone frames a body besides
// Content-Length: with any other coding the body's end is unknown (or its bytes are not what the
// handler reads), and reading on would take the body for the next request (smuggling).
std::string UnsupportedTransferEncoding(const http::request_header<>& head) {
  std::string_view te(head[http::field::transfer_encoding].data(), head[http::field::transfer_encoding].size());
  while (!te.empty() && (te.front() == ' ' || te.front() == '\t')) te.remove_prefix(1);
  while (!te.empty() && (te.back() == ' ' || te.back() == '\t')) te.remove_suffix(1);
  if (!te.empty() && !beast::iequals(beast::string_view(te.data(), te.size()), "chunked"))
    return "unsupported Transfer-Encoding \"" + std::string(te) + "\": only chunked is understood";
  return "";
}

// The error answer to a failed read of a request (413, 431, 400) and its message; 0 when the
// connection is closed without an answer (end_of_stream: the client closed between requests, a
// timeout, a reset, or Close()).
int ReadErrorStatus(beast::error_code ec, const HttpOptions& options, std::string* message) {
  if (ec == http::error::body_limit) {
    *message = "request body exceeds " + std::to_string(options.max_body_bytes) + " bytes";
    return 413;
  }
  if (ec == http::error::header_limit) {
    *message = "request header exceeds " + std::to_string(options.max_header_bytes) + " bytes";
    return 431;
  }
  if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    *message = "malformed HTTP request: " + ec.message();
    return 400;
  }
  return 0;
}

// A whole message as the Handler sees it (`remote` left empty; the body is moved out of `msg`).
// 0, or the error answer instead of the Handler's (with *error): 400 for a malformed target or
// percent-encoding, 403 for a Host that is not one of the server's names.
int ToHttpRequest(http::request<http::string_body>& msg, const HttpOptions& options, HttpRequest* req,
                  std::string* error) {
  req->method = std::string(msg.method_string());
  if (!ParseTarget(std::string_view(msg.target().data(), msg.target().size()), &req->path, &req->query, error))
    return 400;
  for (const auto& field : msg) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value(field.value());
    auto [it, inserted] = req->headers.emplace(name, value);
    if (!inserted) it->second += ", " + value;
  }
  req->body = std::move(msg.body());
  if (auto host = req->headers.find("host"); host != req->headers.end() && !HostAllowed(host->second, options)) {
    *error = "Host \"" + host->second +
             "\" is not one of this server's names: add it to [server] allowed_hosts (a guard against DNS rebinding)";
    return 403;
  }
  return 0;
}

class Session;

// What sessions share with the server. Lives in HttpServer::Impl, declared before the
// io_context so it outlives every handler the io_context still holds when destroyed.
struct ServerState {
  HttpOptions options;
  Handler handler;
  std::atomic<bool> stopping{false};

  std::atomic<int> streams{0};  // streamed answers being written (HttpOptions::max_streams)

  std::mutex mu;
  std::condition_variable idle_cv;                          // live == 0
  size_t live = 0;                                          // GUARDED_BY(mu)
  uint64_t next_id = 0;                                     // GUARDED_BY(mu)
  std::map<uint64_t, std::weak_ptr<Session>> sessions;      // GUARDED_BY(mu)

  void Unregister(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu);
    sessions.erase(id);
    if (--live == 0) idle_cv.notify_all();
  }
};

// One accepted connection. All member functions run on the connection's strand.
// A rejecting session (over the connection limit) answers 503 and closes; it is not counted.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, ServerState* state, std::optional<uint64_t> id)
      : stream_(std::move(socket)), state_(state), id_(id) {
    beast::error_code ec;
    tcp::endpoint ep = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      remote_ = EndpointToString(ep.address().to_string(), ep.port());
      address_ = ep.address().to_string();
    }
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }
  ~Session() {
    if (id_) state_->Unregister(*id_);
  }

  asio::any_io_executor executor() { return stream_.get_executor(); }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->id_ && self->state_->options.tls) {
        self->DetectTls();
      } else if (self->id_) {
        self->ReadHeader();
      } else {
        self->SendError(503, 11,
                        !self->reject_reason_.empty()
                            ? self->reject_reason_
                            : "too many connections (limit " + std::to_string(self->state_->options.max_connections) + ")");
      }
    });
  }

  // Called (on the strand) by Stop(): closes the connection unless a request is in flight.
  void CloseIfIdle() {
    if (phase_ != Phase::kBusy) Close();
  }

 private:
  enum class Phase { kIdle, kBusy, kLingering, kClosed };

  // Runs `f` on the connection's stream: TLS once the handshake is done, else the TCP stream.
  template <typename F>
  void OnStream(F&& f) {
    if (tls_) {
      f(*tls_);
    } else {
      f(stream_);
    }
  }

  // With TLS configured: a connection whose first bytes are a TLS ClientHello is encrypted (the
  // handshake within the header timeout); a plain one is answered 400 when TLS is required and
  // served as it is otherwise.
  void DetectTls() {
    SetTimeout(HeaderTimeout());
    beast::async_detect_ssl(stream_, buffer_, [self = shared_from_this()](beast::error_code ec, bool is_tls) {
      if (ec) {
        self->Close();
      } else if (is_tls) {
        self->Handshake();
      } else if (self->state_->options.tls->required()) {
        if (self->state_->options.on_refusal) self->state_->options.on_refusal(self->remote_, "a plain connection where TLS is required");
        self->SendError(400, 11, "TLS is required: use https://");
      } else {
        self->ReadHeader();
      }
    });
  }

  void Handshake() {
    // asio's context owns its SSL_CTX: it gets a reference of the current one (a SIGHUP reload
    // replaces that for later connections only).
    std::shared_ptr<SSL_CTX> ctx = state_->options.tls->Current();
    SSL_CTX_up_ref(ctx.get());
    ssl_ctx_ = std::make_unique<asio::ssl::context>(ctx.get());
    tls_.emplace(stream_, *ssl_ctx_);
    tls_->async_handshake(asio::ssl::stream_base::server, buffer_.data(),
                          [self = shared_from_this()](beast::error_code ec, size_t used) {
                            if (ec) {
                              if (self->state_->options.on_refusal) self->state_->options.on_refusal(self->remote_, "TLS handshake: " + ec.message());
                              self->tls_.reset();
                              self->Close();
                              return;
                            }
                            self->buffer_.consume(used);
                            self->ReadHeader();
                          });
  }

  void SetTimeout(std::chrono::seconds limit) {
    if (limit.count() > 0) {
      stream_.expires_after(limit);
    } else {
      stream_.expires_never();
    }
  }
  // Waiting for a request's header (or a connection's first bytes): the header timeout, within
  // the request timeout.
  std::chrono::seconds HeaderTimeout() const {
    return std::chrono::seconds(std::min(state_->options.header_timeout_seconds, state_->options.request_timeout_seconds));
  }
  std::chrono::seconds RequestTimeout() const {
    return std::chrono::seconds(state_->options.request_timeout_seconds);
  }

  void ReadHeader() {
    if (state_->stopping.load() || phase_ == Phase::kClosed) {
      Close();
      return;
    }
    phase_ = Phase::kIdle;
    idle_.store(true);
    parser_.emplace();
    ConfigureParser(&*parser_, state_->options);
    SetTimeout(HeaderTimeout());
    OnStream([&](auto& s) {
      http::async_read_header(s, buffer_, *parser_, beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
    });
  }

  void OnHeader(beast::error_code ec, size_t) {
    idle_.store(false);
    if (ec) {
      OnReadError(ec);
      return;
    }
    phase_ = Phase::kBusy;
    if (std::string te_error = UnsupportedTransferEncoding(parser_->get()); !te_error.empty()) {
      SendError(501, parser_->get().version(), te_error);
      return;
    }
    if (parser_->is_done()) {
      Dispatch();
      return;
    }
    const auto& req = parser_->get();
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, req.version());
      OnStream([&](auto& s) {
        http::async_write(s, *continue_, [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) {
            self->Close();
          } else {
            self->ReadBody();
          }
        });
      });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    SetTimeout(RequestTimeout());
    // Beast reads at most the buffer's free capacity (512 bytes at least): without room, a
    // large body arrives 512 bytes per read, each a trip through the reactor and the strand.
    buffer_.reserve(kBodyReadBytes);
    OnStream([&](auto& s) {
      http::async_read(s, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) {
          self->OnReadError(ec);
        } else {
          self->Dispatch();
        }
      });
    });
  }

  void OnReadError(beast::error_code ec) {
    std::string message;
    int status = ReadErrorStatus(ec, state_->options, &message);
    if (status == 0) {
      Close();
    } else {
      SendError(status, status == 400 ? 11 : RequestVersion(), message);
    }
  }

  unsigned RequestVersion() const {
    return parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
  }

  void Dispatch() {
    http::request<http::string_body> msg = parser_->release();
    parser_.reset();
    HttpRequest req;
    std::string error;
    int status = ToHttpRequest(msg, state_->options, &req, &error);
    if (status == 400) {
      SendError(400, msg.version(), error);
      return;
    }
    req.remote = remote_;
    if (status != 0) {  // 403
      bool keep = msg.keep_alive() && !state_->stopping.load();
      Send(ErrorResponse(status, error), msg.version(), keep, msg.method() == http::verb::head, /*linger=*/false);
      return;
    }

    HttpResponse res;
    try {
      res = state_->handler(req);
    } catch (const std::exception& e) {
      res = ErrorResponse(500, std::string("internal error: ") + e.what());
    } catch (...) {
      res = ErrorResponse(500, "internal error: unknown exception");
    }
    bool keep_alive = msg.keep_alive() && !state_->stopping.load();
    Send(std::move(res), msg.version(), keep_alive, msg.method() == http::verb::head,
         /*linger=*/false);
  }

  void SendError(int status, unsigned version, const std::string& message) {
    phase_ = Phase::kBusy;
    Send(ErrorResponse(status, message), version, /*keep_alive=*/false, /*head=*/false,
         /*linger=*/true);
  }

  void Send(HttpResponse&& out, unsigned version, bool keep_alive, bool head, bool linger) {
    int status = out.status;
    if (status < 100 || status > 999) {
      out = ErrorResponse(500, "internal error: handler returned HTTP status " +
                                   std::to_string(status));
      status = 500;
    }
    res_.emplace();
    res_->version(version);
    res_->result(static_cast<unsigned>(status));
    res_->set(http::field::server, "laminar");
    if (!out.content_type.empty()) res_->set(http::field::content_type, out.content_type);
    for (const auto& [name, value] : out.headers) {
      if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
          beast::iequals(name, "server")) {
        continue;
      }
      if (beast::iequals(name, "connection")) {
        if (beast::iequals(value, "close")) keep_alive = false;
        continue;
      }
      res_->set(name, value);
    }
    if (out.stream && !head) {
      SendStreamed(std::move(out.stream), keep_alive);
      return;
    }
    if (head) {
      size_t n = out.body.size();
      res_->content_length(n);
    } else {
      res_->body() = std::move(out.body);
      res_->prepare_payload();
    }
    res_->keep_alive(keep_alive);
    SetTimeout(RequestTimeout());
    OnStream([&](auto& s) {
    http::async_write(s, *res_,
                      [self = shared_from_this(), keep_alive, linger](beast::error_code ec,
                                                                      size_t) {
                        self->res_.reset();
                        if (ec) {
                          self->Close();
                        } else if (linger) {
                          self->Linger();
                        } else if (!keep_alive) {
                          self->Close();
                        } else {
                          self->ReadHeader();
                        }
                      });
    });
  }

  // Writes all of `data` to the socket, waiting for the client at most write_timeout_seconds
  // between progress (poll on the descriptor: asio's blocking writes wait forever).
  Status WriteWithTimeout(std::string_view data) {
    if (tls_) return WriteTlsWithTimeout(data);
    int fd = stream_.socket().native_handle();
    const int timeout_ms = std::max(1, state_->options.write_timeout_seconds) * 1000;
    while (!data.empty()) {
      ssize_t n = ::send(fd, data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(size_t(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        return IOError("writing to the client: {}", std::strerror(errno));
      pollfd pfd{fd, POLLOUT, 0};
      int r = ::poll(&pfd, 1, timeout_ms);
      if (r < 0 && errno == EINTR) continue;
      if (r == 0)
        return DeadlineExceeded("the client read nothing for {} s: the answer is cut",
                                state_->options.write_timeout_seconds);
      if (r < 0) return IOError("waiting for the client: {}", std::strerror(errno));
    }
    return Status::OK();
  }

  // The same through TLS: asio's TLS stream writes through its own buffers, so the socket is put
  // in blocking mode with a send timeout for the answer (asio switches it back for its next
  // asynchronous operation) and each write blocks at most write_timeout_seconds.
  Status WriteTlsWithTimeout(std::string_view data) {
    beast::error_code ec;
    if (!tls_blocking_) {
      stream_.socket().non_blocking(false, ec);
      timeval tv{std::max(1, state_->options.write_timeout_seconds), 0};
      setsockopt(stream_.socket().native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      tls_blocking_ = true;
    }
    asio::write(*tls_, asio::buffer(data.data(), data.size()), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again || ec == beast::errc::timed_out)
      return DeadlineExceeded("the client read nothing for {} s: the answer is cut", state_->options.write_timeout_seconds);
    if (ec) return IOError("writing to the client: {}", ec.message());
    return Status::OK();
  }

  // A chunked answer written synchronously on this I/O thread (the handler's thread): the
  // header, then a chunk per write, then the last chunk. At most max_streams at once; a client
  // that stops reading has its answer cut after write_timeout_seconds.
  void SendStreamed(std::function<void(const HttpResponse::Writer&)> producer, bool keep_alive) {
    int limit = state_->options.max_streams > 0 ? state_->options.max_streams
                                                : std::max(1, state_->options.threads / 2);
    if (state_->streams.fetch_add(1) >= limit) {
      state_->streams.fetch_sub(1);
      unsigned version = res_->version();
      res_.reset();
      Send(ErrorResponse(503, "too many streamed answers at once (" + std::to_string(limit) +
                                  "): try again, or ask without streaming"),
           version, keep_alive, /*head=*/false, /*linger=*/false);
      return;
    }
    res_->chunked(true);
    res_->keep_alive(keep_alive);
    std::ostringstream head;
    head << res_->base();
    bool failed = !WriteWithTimeout(head.str()).ok();
    std::string framed;
    HttpResponse::Writer write = [&](std::string_view chunk) -> Status {
      if (failed) return IOError("the client closed the connection");
      if (chunk.empty()) return Status::OK();
      framed.clear();
      char size[20];
      int n = std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
      framed.append(size, size_t(n));
      framed.append(chunk);
      framed.append("\r\n");
      Status st = WriteWithTimeout(framed);
      if (!st.ok()) failed = true;
      return st;
    };
    if (!failed) {
      try {
        producer(write);
      } catch (...) {
        failed = true;  // the status is sent: cut the answer short
      }
    }
    if (!failed) failed = !WriteWithTimeout("0\r\n\r\n").ok();
    state_->streams.fetch_sub(1);
    res_.reset();
    if (failed || !keep_alive) {
      Close();
    } else {
      ReadHeader();
    }
  }

  // After an error answer: stop sending, read and discard until the client closes or
  // kLingerTime passes, then close.
  void Linger() {
    phase_ = Phase::kLingering;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLingerTime);
    DrainSome();
  }

  void DrainSome() {
    OnStream([&](auto& s) {
      s.async_read_some(asio::buffer(drain_), [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) {
          self->Close();
        } else {
          self->DrainSome();
        }
      });
    });
  }

  void Close() {
    if (phase_ == Phase::kClosed) return;
    phase_ = Phase::kClosed;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::unique_ptr<asio::ssl::context> ssl_ctx_;                // with TLS: outlives tls_
  std::optional<beast::ssl_stream<beast::tcp_stream&>> tls_;  // after the handshake
  bool tls_blocking_ = false;                                  // WriteTlsWithTimeout set the socket up
  ServerState* state_;
  std::optional<uint64_t> id_;  // nullopt: a rejecting session
 public:
  // True while the connection waits for a request's header (read by the acceptor, which closes
  // idle connections first when the limit is reached).
  std::atomic<bool> idle_{false};
 private:
  std::string remote_;
 public:
  std::string address_;  // the client's IP address (set before the session is shared)
  std::string reject_reason_;  // a rejecting session's 503 message (else: the connection limit)
 private:
  Phase phase_ = Phase::kIdle;
  static constexpr size_t kBodyReadBytes = 64 * 1024;  // beast's largest single read
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> res_;
  std::array<char, 8192> drain_;
};

}  // namespace

struct HttpServer::Impl {
  // Declaration order matters: destroying io_context destroys pending handlers, which own
  // Sessions, whose destructors use `state`.
  ServerState state;
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  asio::strand<asio::io_context::executor_type> accept_strand{ioc.get_executor()};
  tcp::acceptor acceptor{accept_strand};
  asio::steady_timer accept_retry{accept_strand};
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool stopped = false;

  void DoAccept() {
    acceptor.async_accept(asio::make_strand(ioc),
                          asio::bind_executor(accept_strand, [this](beast::error_code ec,
                                                                    tcp::socket socket) {
                            OnAccept(ec, std::move(socket));
                          }));
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || state.stopping.load()) return;
    if (ec) {
      // E.g. EMFILE: back off briefly instead of spinning.
      spdlog::warn("http: accept failed: {}", ec.message());
      accept_retry.expires_after(std::chrono::milliseconds(50));
      accept_retry.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec && !state.stopping.load()) DoAccept();
      });
      return;
    }
    std::shared_ptr<Session> session;
    // Sessions looked at are released only after state.mu: the last reference going runs
    // ~Session, which takes state.mu (Unregister).
    std::vector<std::shared_ptr<Session>> looked_at;
    {
      std::lock_guard<std::mutex> lock(state.mu);
      // Connections of this client address (a new socket: its address from the socket itself).
      beast::error_code addr_ec;
      std::string address = socket.remote_endpoint(addr_ec).address().to_string();
      size_t per_address = state.options.max_connections_per_address > 0
                               ? state.options.max_connections_per_address
                               : std::max<size_t>(1, state.options.max_connections - state.options.max_connections / 4);
      size_t from_address = 0;
      if (!addr_ec) {
        for (auto& [sid, weak] : state.sessions) {
          auto s = weak.lock();
          if (!s) continue;
          looked_at.push_back(s);
          if (s->address_ == address) from_address++;
        }
      }
      std::shared_ptr<Session> victim;
      const bool address_full = from_address >= per_address;
      if (state.live >= state.options.max_connections || address_full) {
        // Make room by closing the oldest connection that waits for a request (keep-alive idle,
        // or a client that connected and sent nothing) — one of this address's when it is the
        // address that is full; if none, the new one gets 503.
        for (auto& [sid, weak] : state.sessions) {
          auto s = weak.lock();
          if (!s) continue;
          looked_at.push_back(s);
          if (address_full && s->address_ != address) continue;
          if (s->idle_.exchange(false)) {
            victim = std::move(s);
            break;
          }
        }
      }
      if (victim) {
        asio::post(victim->executor(), [victim] { victim->CloseIfIdle(); });
      }
      if (address_full && !victim) {
        session = std::make_shared<Session>(std::move(socket), &state, std::nullopt);
        session->reject_reason_ = "too many connections from " + address + " (limit " + std::to_string(per_address) + ")";
      } else if (state.live >= state.options.max_connections && !victim) {
        session = std::make_shared<Session>(std::move(socket), &state, std::nullopt);
      } else {
        uint64_t id = state.next_id++;
        ++state.live;
        session = std::make_shared<Session>(std::move(socket), &state, id);
        state.sessions[id] = session;
      }
    }
    session->Start();
    DoAccept();
  }

  void Run() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("http: I/O thread caught: {}", e.what());
      }
    }
  }
};

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpOptions& options,
                                                      Handler handler) {
  if (!handler) return InvalidArgument("http server: no handler");
  std::unique_ptr<HttpServer> server(new HttpServer());
  server->impl_ = std::make_unique<Impl>();
  Impl& impl = *server->impl_;
  impl.state.options = options;
  impl.state.options.threads = std::max(1, options.threads);
  impl.state.options.max_connections = std::max<size_t>(1, options.max_connections);
  impl.state.handler = std::move(handler);
  const std::string where = EndpointToString(options.host, options.port);

  beast::error_code ec;
  tcp::resolver resolver(impl.ioc);
  auto endpoints = resolver.resolve(options.host, std::to_string(options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return IOError("http server: cannot resolve {}: {}", where,
                   ec ? ec.message() : std::string("no address"));
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  if (impl.acceptor.open(endpoint.protocol(), ec); ec) {
    return IOError("http server: socket for {}: {}", where, ec.message());
  }
  if (impl.acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return IOError("http server: SO_REUSEADDR on {}: {}", where, ec.message());
  }
  if (impl.acceptor.bind(endpoint, ec); ec) {
    return IOError("http server: cannot bind {}: {}", where, ec.message());
  }
  if (impl.acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return IOError("http server: cannot listen on {}: {}", where, ec.message());
  }
  impl.port = impl.acceptor.local_endpoint(ec).port();

  impl.work.emplace(impl.ioc.get_executor());
  asio::dispatch(impl.accept_strand, [&impl] { impl.DoAccept(); });
  for (int i = 0; i < impl.state.options.threads; ++i) {
    impl.threads.emplace_back([&impl] { impl.Run(); });
  }
  return server;
}

HttpServer::~HttpServer() { Stop(); }

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Stop() {
  if (!impl_ || impl_->stopped) return;
  Impl& impl = *impl_;
  impl.stopped = true;
  if (impl.threads.empty()) return;  // Start() failed before serving: nothing runs
  impl.state.stopping.store(true);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::seconds(std::max(0, impl.state.options.shutdown_grace_seconds));

  // 1. Stop accepting (on the acceptor's strand; all I/O threads may be busy in Handlers, so
  //    wait no longer than the grace period).
  auto closed = std::make_shared<std::promise<void>>();
  std::future<void> closed_future = closed->get_future();
  asio::post(impl.accept_strand, [&impl, closed] {
    beast::error_code ec;
    impl.acceptor.close(ec);
    impl.accept_retry.cancel();
    closed->set_value();
  });
  closed_future.wait_until(deadline);

  // 2. Close idle connections; busy ones close after writing their answer.
  std::vector<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard<std::mutex> lock(impl.state.mu);
    for (auto& [id, weak] : impl.state.sessions) {
      if (auto s = weak.lock()) sessions.push_back(std::move(s));
    }
  }
  for (auto& s : sessions) {
    asio::post(s->executor(), [s] { s->CloseIfIdle(); });
  }
  sessions.clear();

  // 3. Wait for in-flight requests, then stop the I/O threads.
  {
    std::unique_lock<std::mutex> lock(impl.state.mu);
    impl.state.idle_cv.wait_until(lock, deadline, [&impl] { return impl.state.live == 0; });
  }
  impl.work.reset();
  impl.ioc.stop();
  for (auto& t : impl.threads) t.join();
  impl.threads.clear();
  beast::error_code ec;
  impl.acceptor.close(ec);
}

Result<HttpResponse> HttpCall(const std::string& host, uint16_t port, const std::string& method,
                              const std::string& target, const std::string& body,
                              const std::map<std::string, std::string>& headers,
                              int timeout_seconds) {
  const std::string where = EndpointToString(host, port);
  try {
    asio::io_context ioc;
    beast::error_code ec;
    tcp::resolver resolver(ioc);
    auto endpoints = resolver.resolve(host, std::to_string(port),
                                      tcp::resolver::numeric_service, ec);
    if (ec) return IOError("cannot resolve {}: {}", where, ec.message());

    http::request<http::string_body> req;
    req.version(11);
    http::verb verb = http::string_to_verb(method);
    if (verb == http::verb::unknown) {
      req.method_string(method);
    } else {
      req.method(verb);
    }
    req.target(target);
    req.set(http::field::host, where);
    req.set(http::field::user_agent, "laminar");
    // The CLI's credentials: a token in LAMINAR_TOKEN (never on the command line, where `ps`
    // shows it) unless the caller gave an Authorization header.
    if (const char* token = std::getenv("LAMINAR_TOKEN"); token && *token)
      req.set(http::field::authorization, std::string("Bearer ") + token);
    bool framed = false;
    for (const auto& [name, value] : headers) {
      if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding")) {
        framed = true;
      }
      req.set(name, value);
    }
    req.body() = body;
    if (!framed && (!body.empty() || verb == http::verb::post || verb == http::verb::put ||
                    verb == http::verb::patch)) {
      req.prepare_payload();
    }

    beast::tcp_stream stream(ioc);
    if (timeout_seconds > 0) stream.expires_after(std::chrono::seconds(timeout_seconds));
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    parser.header_limit(1u << 20);
    if (verb == http::verb::head) parser.skip(true);

    beast::error_code connect_ec, write_ec, read_ec;
    bool wrote = false, read = false;
    stream.async_connect(endpoints, [&](beast::error_code ec, const tcp::endpoint&) {
      if (ec) {
        connect_ec = ec;
        return;
      }
      http::async_write(stream, req, [&](beast::error_code ec, size_t) {
        wrote = true;
        write_ec = ec;
        // Read even after a failed write: the server may have answered (e.g. 413) and closed.
        if (ec == beast::error::timeout) return;
        http::async_read(stream, buffer, parser, [&](beast::error_code ec, size_t) {
          read = true;
          read_ec = ec;
        });
      });
    });
    ioc.run();

    auto fail = [&](const char* what, beast::error_code ec) -> Status {
      if (ec == beast::error::timeout) {
        return DeadlineExceeded("{} {} {}: no answer within {} s", method, where, target,
                                timeout_seconds);
      }
      return IOError("{} {}: {}", what, where, ec.message());
    };
    if (connect_ec) return fail("cannot connect to", connect_ec);
    if (!wrote) return IOError("sending request to {}: not sent", where);
    if (!read || read_ec) {
      if (write_ec) return fail("sending request to", write_ec);
      return fail("reading answer from", read ? read_ec : beast::error_code(beast::error::timeout));
    }
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);

    http::response<http::string_body> res = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    out.content_type = std::string(res[http::field::content_type]);
    for (const auto& field : res) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string value(field.value());
      auto [it, inserted] = out.headers.emplace(name, value);
      if (!inserted) it->second += ", " + value;
    }
    out.body = std::move(res.body());
    return out;
  } catch (const std::exception& e) {
    return IOError("HTTP {} to {}: {}", method, where, e.what());
  }
}

namespace internal {

std::optional<ParsedRequest> ParseRequest(std::string_view bytes, const HttpOptions& options) {
  RequestParser parser;
  ConfigureParser(&parser, options);
  ParsedRequest out;
  // As async_read_header and async_read feed the parser: everything received so far; need_more
  // with the whole input given means the request is not complete.
  enum class Fed { kDone, kIncomplete, kError };
  beast::error_code ec;
  auto feed = [&](bool header_only) {
    while (!(header_only ? parser.is_header_done() : parser.is_done())) {
      ec = {};
      size_t n = parser.put(asio::buffer(bytes.data() + out.consumed, bytes.size() - out.consumed), ec);
      out.consumed += n;
      if (ec == http::error::need_more || (!ec && n == 0)) return Fed::kIncomplete;
      if (ec) return Fed::kError;
    }
    return Fed::kDone;
  };
  auto read_error = [&]() -> std::optional<ParsedRequest> {
    out.status = ReadErrorStatus(ec, options, &out.error);
    if (out.status == 0) return std::nullopt;
    return out;
  };
  switch (feed(/*header_only=*/true)) {
    case Fed::kIncomplete: return std::nullopt;
    case Fed::kError: return read_error();
    case Fed::kDone: break;
  }
  if (std::string te_error = UnsupportedTransferEncoding(parser.get()); !te_error.empty()) {
    out.status = 501;
    out.error = std::move(te_error);
    return out;
  }
  if (!parser.is_done()) {
    out.expect_continue = beast::iequals(parser.get()[http::field::expect], "100-continue");
    switch (feed(/*header_only=*/false)) {
      case Fed::kIncomplete: return std::nullopt;
      case Fed::kError: return read_error();
      case Fed::kDone: break;
    }
  }
  http::request<http::string_body> msg = parser.release();
  out.status = ToHttpRequest(msg, options, &out.request, &out.error);
  out.keep_alive = out.status != 400 && msg.keep_alive();
  return out;
}

}  // namespace internal

bool HostAllowed(std::string_view host_header, const HttpOptions& options) {
  std::string_view h = host_header;
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
  std::string name;
  if (!h.empty() && h.front() == '[') {  // [v6]:port
    size_t close = h.find(']');
    if (close == std::string_view::npos) return false;
    name = std::string(h.substr(1, close - 1));
  } else {
    size_t colon = h.find(':');
    name = std::string(colon == std::string_view::npos ? h : h.substr(0, colon));
  }
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (name.empty()) return false;
  if (name == "localhost" || name.ends_with(".localhost")) return true;
  boost::system::error_code ec;
  asio::ip::make_address(name, ec);
  if (!ec) return true;  // an IP literal: no DNS name to rebind
  if (beast::iequals(name, options.host)) return true;
  for (const std::string& allowed : options.allowed_hosts)
    if (allowed == "*" || beast::iequals(allowed, name)) return true;
  return false;
}

Status ParseHostPort(const std::string& text, std::string* host, uint16_t* port) {
  std::string_view rest;
  if (text.starts_with("[")) {
    size_t close = text.find(']');
    if (close == std::string::npos || close == 1) {
      return InvalidArgument("bad address '{}': expected [ipv6]:port", text);
    }
    *host = text.substr(1, close - 1);
    rest = std::string_view(text).substr(close + 1);
    if (!rest.starts_with(":")) return InvalidArgument("bad address '{}': missing :port", text);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string::npos) {
      return InvalidArgument("bad address '{}': expected host:port", text);
    }
    std::string h = text.substr(0, colon);
    if (h.find(':') != std::string::npos) {
      return InvalidArgument("bad address '{}': write an IPv6 address as [addr]:port", text);
    }
    *host = h.empty() ? "127.0.0.1" : h;
    rest = std::string_view(text).substr(colon);
  }
  std::string_view digits = rest.substr(1);
  if (digits.empty() || digits.size() > 5 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return InvalidArgument("bad address '{}': port must be a number 0-65535", text);
  }
  unsigned long value = std::stoul(std::string(digits));
  if (value > 65535) {
    return InvalidArgument("bad address '{}': port must be a number 0-65535", text);
  }
  *port = static_cast<uint16_t>(value);
  return Status::OK();
}

}  // namespace laminar::server
