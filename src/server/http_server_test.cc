#include <utility>  // before Asio (TOOLCHAIN.md)

#include "server/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <thread>

namespace laminar::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using nlohmann::json;

HttpResponse Text(std::string body, int status = 200) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

std::unique_ptr<HttpServer> StartServer(Handler handler, HttpOptions options = {}) {
  options.host = "127.0.0.1";
  options.port = 0;
  if (options.threads == HttpOptions().threads) options.threads = 4;
  auto server = HttpServer::Start(options, std::move(handler));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return std::move(server).value();
}

Result<HttpResponse> Call(HttpServer& server, const std::string& method,
                          const std::string& target, const std::string& body = "",
                          const std::map<std::string, std::string>& headers = {}) {
  return HttpCall("127.0.0.1", server.port(), method, target, body, headers, 30);
}

// A raw client connection, for keep-alive, chunked and malformed requests.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  void Write(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }
  http::response<http::string_body> ReadResponse() {
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res);
    return res;
  }
  // Reads until the peer closes; true on a clean EOF (or reset) with no further bytes.
  bool ReadsEof() {
    char c;
    beast::error_code ec;
    size_t n = buffer_.size();
    if (n > 0) return false;
    socket_.read_some(asio::buffer(&c, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }
  std::string ReadUntil(const std::string& delim) {
    std::string out;
    asio::read_until(socket_, asio::dynamic_buffer(out), delim);
    return out;
  }
  void Close() { socket_.close(); }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

std::string Get(const std::string& target, bool keep_alive = true) {
  return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" +
         (keep_alive ? "" : "Connection: close\r\n") + "\r\n";
}

TEST(HttpServerTest, GetAndPostRoundTrip) {
  auto server = StartServer([](const HttpRequest& req) {
    HttpResponse r = Text(req.method + " " + req.path + " [" + req.body + "]");
    r.headers["X-Laminar-Test"] = "yes";
    return r;
  });
  auto get = Call(*server, "GET", "/healthz");
  ASSERT_TRUE(get.ok()) << get.status().ToString();
  EXPECT_EQ(200, get->status);
  EXPECT_EQ("GET /healthz []", get->body);
  EXPECT_EQ("text/plain", get->content_type);
  EXPECT_EQ("laminar", get->headers["server"]);
  EXPECT_EQ("yes", get->headers["x-laminar-test"]);

  auto post = Call(*server, "POST", "/v1/query", "{\"sql\": \"SELECT 1\"}");
  ASSERT_TRUE(post.ok()) << post.status().ToString();
  EXPECT_EQ("POST /v1/query [{\"sql\": \"SELECT 1\"}]", post->body);
}

TEST(HttpServerTest, StatusAndEmptyPostBody) {
  auto server = StartServer([](const HttpRequest& req) {
    return Text("size=" + std::to_string(req.body.size()) + " cl=" + req.Header("content-length"),
                404);
  });
  auto r = Call(*server, "POST", "/x");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(404, r->status);
  EXPECT_EQ("size=0 cl=0", r->body);
}

TEST(HttpServerTest, DecodesPathQueryAndLowerCasesHeaders) {
  HttpRequest seen;
  std::mutex mu;
  auto server = StartServer([&](const HttpRequest& req) {
    std::lock_guard<std::mutex> lock(mu);
    seen = req;
    return Text("ok");
  });
  auto r = Call(*server, "GET",
                "/v1/streams/page%20views/events%2Fx?a=1&b=hello+world&c=%2Fx%26y%3D&flag&&a=2",
                "", {{"X-Custom-Header", "Value"}, {"Authorization", "Bearer t"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ("GET", seen.method);
  EXPECT_EQ("/v1/streams/page views/events/x", seen.path);
  std::map<std::string, std::string> want = {
      {"a", "2"}, {"b", "hello world"}, {"c", "/x&y="}, {"flag", ""}};
  EXPECT_EQ(want, seen.query);
  EXPECT_EQ("Value", seen.Header("x-custom-header"));
  EXPECT_EQ("Bearer t", seen.Header("authorization"));
  EXPECT_EQ("laminar", seen.Header("user-agent"));
  EXPECT_EQ(0u, seen.headers.count("X-Custom-Header"));
  EXPECT_EQ(0u, seen.remote.rfind("127.0.0.1:", 0)) << seen.remote;
}

TEST(HttpServerTest, PlusInPathIsLiteralAndRepeatedHeadersJoin) {
  HttpRequest seen;
  std::mutex mu;
  auto server = StartServer([&](const HttpRequest& req) {
    std::lock_guard<std::mutex> lock(mu);
    seen = req;
    return Text("ok");
  });
  RawConnection conn(server->port());
  conn.Write("GET /a+b HTTP/1.1\r\nHost: localhost\r\nX-Multi: 1\r\nx-multi: 2\r\n\r\n");
  EXPECT_EQ(200u, conn.ReadResponse().result_int());
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ("/a+b", seen.path);
  EXPECT_EQ("1, 2", seen.Header("x-multi"));
}

TEST(HttpServerTest, MalformedPercentEncodingIs400) {
  std::atomic<int> calls{0};
  auto server = StartServer([&](const HttpRequest&) {
    ++calls;
    return Text("ok");
  });
  for (const char* target : {"/bad%zz", "/bad%2", "/ok?x=%G1"}) {
    auto r = Call(*server, "GET", target);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(400, r->status) << target;
    EXPECT_EQ("application/json", r->content_type);
    EXPECT_TRUE(json::parse(r->body).contains("error"));
  }
  EXPECT_EQ(0, calls.load());
}

TEST(HttpServerTest, MalformedHttpIs400AndCloses) {
  auto server = StartServer([](const HttpRequest&) { return Text("ok"); });
  RawConnection conn(server->port());
  conn.Write("G(T / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  auto res = conn.ReadResponse();
  EXPECT_EQ(400u, res.result_int());
  EXPECT_NE(std::string::npos, json::parse(res.body())["error"].get<std::string>().find(
                                   "malformed HTTP request"));
  EXPECT_TRUE(conn.ReadsEof());
}

TEST(HttpServerTest, OversizedBodyByContentLengthIs413) {
  std::atomic<int> calls{0};
  HttpOptions options;
  options.max_body_bytes = 1024;
  auto server = StartServer(
      [&](const HttpRequest& req) {
        ++calls;
        return Text(std::to_string(req.body.size()));
      },
      options);
  auto ok = Call(*server, "POST", "/e", std::string(1024, 'x'));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(200, ok->status);
  EXPECT_EQ("1024", ok->body);

  for (size_t size : {size_t{1025}, size_t{1} << 20}) {
    auto big = Call(*server, "POST", "/e", std::string(size, 'x'));
    ASSERT_TRUE(big.ok()) << big.status().ToString();
    EXPECT_EQ(413, big->status);
    EXPECT_EQ("application/json", big->content_type);
    EXPECT_EQ("request body exceeds 1024 bytes", json::parse(big->body)["error"]);
    EXPECT_EQ("close", big->headers["connection"]);
  }
  EXPECT_EQ(1, calls.load());
}

TEST(HttpServerTest, OversizedChunkedBodyIs413) {
  std::atomic<int> calls{0};
  HttpOptions options;
  options.max_body_bytes = 1000;
  auto server = StartServer(
      [&](const HttpRequest&) {
        ++calls;
        return Text("ok");
      },
      options);
  RawConnection conn(server->port());
  std::string chunk(600, 'y');
  conn.Write("POST /e HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
  conn.Write("258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
  auto res = conn.ReadResponse();
  EXPECT_EQ(413u, res.result_int());
  EXPECT_EQ("request body exceeds 1000 bytes", json::parse(res.body())["error"]);
  EXPECT_TRUE(conn.ReadsEof());
  EXPECT_EQ(0, calls.load());
}

TEST(HttpServerTest, ChunkedBodyWithinLimitIsReassembled) {
  auto server = StartServer([](const HttpRequest& req) { return Text(req.body); });
  RawConnection conn(server->port());
  conn.Write("POST /e HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  auto res = conn.ReadResponse();
  EXPECT_EQ(200u, res.result_int());
  EXPECT_EQ("hello world", res.body());

  // HttpCall frames the body as chunks when asked to.
  auto r = Call(*server, "POST", "/e", "{\"a\":1}\n", {{"Transfer-Encoding", "chunked"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ("{\"a\":1}\n", r->body);
}

TEST(HttpServerTest, UnknownTransferCodingIs501AndTheBodyIsNeverReadAsARequest) {
  int calls = 0;
  auto server = StartServer([&](const HttpRequest& req) {
    calls++;
    return Text(req.method + " " + req.path);
  });
  RawConnection c(server->port());
  // A smuggling attempt: with "xchunked" the body's end is unknown; the smuggled GET must not run.
  c.Write("POST /v1/sql HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: xchunked\r\n\r\n"
          "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n");
  auto res = c.ReadResponse();
  EXPECT_EQ(501u, res.result_int());
  EXPECT_NE(std::string::npos, res.body().find("xchunked"));
  EXPECT_TRUE(c.ReadsEof());
  EXPECT_EQ(0, calls);
  RawConnection d(server->port());
  d.Write("POST /x HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(501u, d.ReadResponse().result_int());
}

TEST(HttpServerTest, HostHeaderMustBeOneOfTheServersNames) {
  HttpOptions o;
  o.allowed_hosts = {"laminar.example.com"};
  auto server = StartServer([](const HttpRequest& req) { return Text("ok"); }, o);
  for (const char* host : {"localhost", "localhost:8080", "127.0.0.1:1", "[::1]:8080", "10.1.2.3", "LAMINAR.example.com:443",
                           "app.localhost"}) {
    RawConnection c(server->port());
    c.Write(std::string("GET / HTTP/1.1\r\nHost: ") + host + "\r\n\r\n");
    EXPECT_EQ(200u, c.ReadResponse().result_int()) << host;
  }
  for (const char* host : {"evil.example.net", "evil.example.net:8080", "laminar.example.com.evil.net", "[::1"}) {
    RawConnection c(server->port());
    c.Write(std::string("GET / HTTP/1.1\r\nHost: ") + host + "\r\n\r\n");
    auto res = c.ReadResponse();
    EXPECT_EQ(403u, res.result_int()) << host;
    EXPECT_NE(std::string::npos, res.body().find("allowed_hosts")) << res.body();
  }
  HttpOptions any;
  any.allowed_hosts = {"*"};
  EXPECT_TRUE(HostAllowed("anything.example", any));
  EXPECT_FALSE(HostAllowed("anything.example", HttpOptions()));
  EXPECT_FALSE(HostAllowed("", HttpOptions()));
}

TEST(HttpServerTest, HeaderTooLargeIs431) {
  HttpOptions options;
  options.max_header_bytes = 1024;
  auto server = StartServer([](const HttpRequest&) { return Text("ok"); }, options);
  auto r = Call(*server, "GET", "/", "", {{"X-Big", std::string(4096, 'h')}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(431, r->status);
}

TEST(HttpServerTest, ExpectContinueGetsInterimAnswer) {
  auto server = StartServer([](const HttpRequest& req) { return Text(req.body); });
  RawConnection conn(server->port());
  conn.Write("POST /e HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  std::string interim = conn.ReadUntil("\r\n\r\n");
  EXPECT_EQ(0u, interim.rfind("HTTP/1.1 100 Continue\r\n", 0)) << interim;
  conn.Write("abcde");
  auto res = conn.ReadResponse();
  EXPECT_EQ(200u, res.result_int());
  EXPECT_EQ("abcde", res.body());
}

TEST(HttpServerTest, HeadAnswersLengthWithoutBody) {
  auto server = StartServer([](const HttpRequest&) { return Text("hello"); });
  auto r = Call(*server, "HEAD", "/");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(200, r->status);
  EXPECT_EQ("5", r->headers["content-length"]);
  EXPECT_EQ("", r->body);
}

TEST(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  std::mutex mu;
  std::set<std::string> remotes;
  std::atomic<int> calls{0};
  auto server = StartServer([&](const HttpRequest& req) {
    {
      std::lock_guard<std::mutex> lock(mu);
      remotes.insert(req.remote);
    }
    return Text(std::to_string(++calls) + req.path);
  });
  RawConnection conn(server->port());
  for (int i = 1; i <= 3; ++i) {
    conn.Write(Get("/r" + std::to_string(i)));
    auto res = conn.ReadResponse();
    EXPECT_EQ(200u, res.result_int());
    EXPECT_TRUE(res.keep_alive());
    EXPECT_EQ(std::to_string(i) + "/r" + std::to_string(i), res.body());
  }
  // Pipelined: two requests in one write, answered in order; the last asks to close.
  conn.Write(Get("/p1") + Get("/p2", /*keep_alive=*/false));
  EXPECT_EQ("4/p1", conn.ReadResponse().body());
  auto last = conn.ReadResponse();
  EXPECT_EQ("5/p2", last.body());
  EXPECT_FALSE(last.keep_alive());
  EXPECT_TRUE(conn.ReadsEof());
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(1u, remotes.size());
}

TEST(HttpServerTest, SlowHandlerDoesNotBlockOtherConnections) {
  // The slow handler waits until the fast one has run (or gives up after 20 s). If a blocked
  // handler stalled the server, the fast request would only run after the slow one gave up and
  // would then see slow_done.
  std::mutex mu;
  std::condition_variable cv;
  bool slow_started = false, fast_ran = false;
  std::atomic<bool> slow_done{false};
  auto server = StartServer([&](const HttpRequest& req) {
    if (req.path == "/slow") {
      std::unique_lock<std::mutex> lock(mu);
      slow_started = true;
      cv.notify_all();
      cv.wait_for(lock, std::chrono::seconds(20), [&] { return fast_ran; });
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      slow_done = true;
      return Text(fast_ran ? "fast ran first" : "gave up");
    }
    bool slow_in_progress = !slow_done.load();
    {
      std::lock_guard<std::mutex> lock(mu);
      fast_ran = true;
    }
    cv.notify_all();
    return Text(slow_in_progress ? "slow in progress" : "slow finished");
  });
  auto slow = std::async(std::launch::async, [&] { return Call(*server, "GET", "/slow"); });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return slow_started; });
  }
  auto fast = Call(*server, "GET", "/fast");
  bool slow_done_when_fast_returned = slow_done.load();
  ASSERT_TRUE(fast.ok());
  EXPECT_EQ("slow in progress", fast->body);
  EXPECT_FALSE(slow_done_when_fast_returned);
  auto slow_res = slow.get();
  ASSERT_TRUE(slow_res.ok());
  EXPECT_EQ("fast ran first", slow_res->body);
}

TEST(HttpServerTest, AtTheLimitIdleConnectionsAreClosedFirst) {
  HttpOptions options;
  options.max_connections = 2;
  options.max_connections_per_address = 100;  // the global limit alone
  auto server = StartServer([&](const HttpRequest&) { return Text("ok"); }, options);
  // Two open keep-alive connections, idle after one answered request each.
  auto a = std::make_unique<RawConnection>(server->port());
  RawConnection b(server->port());
  a->Write(Get("/"));
  EXPECT_EQ(200u, a->ReadResponse().result_int());
  b.Write(Get("/"));
  EXPECT_EQ(200u, b.ReadResponse().result_int());
  // A third client is served: the oldest idle one (a) is closed to make room. (A connection
  // becomes idle when the server's write of its answer completes, which may come just after the
  // client read it: a 503 then, and the next try finds it idle.)
  auto r = Call(*server, "GET", "/");
  for (int i = 0; i < 50 && r.ok() && r->status == 503; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    r = Call(*server, "GET", "/");
  }
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(200, r->status);
  EXPECT_TRUE(a->ReadsEof());

}

// A server whose "/slow" requests wait in the handler until the end of the test: Occupy(n)
// holds n connections busy (returning once all n are inside the handler).
class BusyServer {
 public:
  explicit BusyServer(HttpOptions options) {
    server_ = StartServer([this](const HttpRequest& req) {
      if (req.path == "/slow") {
        inside_++;
        while (!release_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      return Text("ok");
    }, options);
  }
  ~BusyServer() {
    release_ = true;
    for (auto& t : busy_) t.join();
  }
  void Occupy(int n) {
    for (int i = 0; i < n; i++) busy_.emplace_back([this] { (void)Call(*server_, "GET", "/slow"); });
    for (int i = 0; i < 500 && inside_.load() < n; i++) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  HttpServer& server() { return *server_; }

 private:
  std::atomic<bool> release_{false};
  std::atomic<int> inside_{0};
  std::unique_ptr<HttpServer> server_;
  std::vector<std::thread> busy_;
};

TEST(HttpServerTest, AtTheLimitWithEveryConnectionBusyANewOneGets503) {
  HttpOptions options;
  options.max_connections = 2;
  options.max_connections_per_address = 100;  // the global limit alone
  BusyServer busy(options);
  busy.Occupy(2);
  auto full = Call(busy.server(), "GET", "/");
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_EQ(503, full->status);
  EXPECT_EQ("too many connections (limit 2)", json::parse(full->body)["error"]);
}

TEST(HttpServerTest, OneAddressCannotTakeEverySlot) {
  HttpOptions options;
  options.max_connections = 8;
  options.max_connections_per_address = 2;
  BusyServer busy(options);
  busy.Occupy(2);
  auto r = Call(busy.server(), "GET", "/");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(503, r->status);
  EXPECT_EQ("too many connections from 127.0.0.1 (limit 2)", json::parse(r->body)["error"]);
}

TEST(HttpServerTest, ASilentClientIsClosedAfterTheHeaderTimeout) {
  HttpOptions options;
  options.header_timeout_seconds = 1;
  auto server = StartServer([](const HttpRequest&) { return Text("ok"); }, options);
  RawConnection c(server->port());
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ReadsEof());  // closed without a word
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

TEST(HttpServerTest, HandlerExceptionIs500AndConnectionSurvives) {
  auto server = StartServer([](const HttpRequest& req) -> HttpResponse {
    if (req.path == "/boom") throw std::runtime_error("boom");
    if (req.path == "/int") throw 42;
    return Text("fine");
  });
  auto r = Call(*server, "GET", "/boom");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(500, r->status);
  EXPECT_EQ("internal error: boom", json::parse(r->body)["error"]);

  RawConnection conn(server->port());
  conn.Write(Get("/int"));
  auto res = conn.ReadResponse();
  EXPECT_EQ(500u, res.result_int());
  EXPECT_EQ("internal error: unknown exception", json::parse(res.body())["error"]);
  conn.Write(Get("/ok"));
  EXPECT_EQ("fine", conn.ReadResponse().body());
}

TEST(HttpServerTest, StopLetsInFlightRequestFinish) {
  std::promise<void> entered;
  auto server = StartServer([&](const HttpRequest&) {
    entered.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return Text("finished");
  });
  uint16_t port = server->port();
  auto call = std::async(std::launch::async, [&] { return Call(*server, "GET", "/slow"); });
  entered.get_future().wait();
  server->Stop();
  auto r = call.get();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(200, r->status);
  EXPECT_EQ("finished", r->body);
  EXPECT_EQ("close", r->headers["connection"]);

  server->Stop();  // idempotent
  auto after = HttpCall("127.0.0.1", port, "GET", "/", "", {}, 5);
  EXPECT_FALSE(after.ok());
  EXPECT_EQ(StatusCode::kIOError, after.status().code());
}

TEST(HttpServerTest, StopClosesIdleConnectionsWithoutWaitingForGrace) {
  HttpOptions options;
  options.shutdown_grace_seconds = 60;
  auto server = StartServer([](const HttpRequest&) { return Text("ok"); }, options);
  RawConnection conn(server->port());
  conn.Write(Get("/"));
  EXPECT_EQ(200u, conn.ReadResponse().result_int());
  auto start = std::chrono::steady_clock::now();
  server->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_TRUE(conn.ReadsEof());
}

TEST(HttpServerTest, IdleConnectionTimesOut) {
  HttpOptions options;
  options.request_timeout_seconds = 1;
  auto server = StartServer([](const HttpRequest&) { return Text("ok"); }, options);
  RawConnection conn(server->port());
  conn.Write("GET / HTTP/1.1\r\nHost:");  // never finished
  EXPECT_TRUE(conn.ReadsEof());
}

TEST(HttpServerTest, StartOnTakenPortIsIOError) {
  auto first = StartServer([](const HttpRequest&) { return Text("ok"); });
  HttpOptions options;
  options.port = first->port();
  auto second = HttpServer::Start(options, [](const HttpRequest&) { return Text("ok"); });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(StatusCode::kIOError, second.status().code());
  EXPECT_NE(std::string::npos,
            second.status().message().find("127.0.0.1:" + std::to_string(first->port())))
      << second.status().ToString();
}

TEST(HttpServerTest, StartWithoutHandlerIsInvalidArgument) {
  HttpOptions options;
  options.port = 0;
  auto server = HttpServer::Start(options, Handler());
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(StatusCode::kInvalidArgument, server.status().code());
}

TEST(HttpCallTest, ClosedPortIsIOErrorNamingHostPort) {
  uint16_t port;
  {
    asio::io_context ioc;
    tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = acceptor.local_endpoint().port();
  }
  auto r = HttpCall("127.0.0.1", port, "GET", "/", "", {}, 5);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(StatusCode::kIOError, r.status().code());
  EXPECT_NE(std::string::npos, r.status().message().find("127.0.0.1:" + std::to_string(port)))
      << r.status().ToString();
}

TEST(HttpCallTest, TimeoutIsDeadlineExceeded) {
  // A listener that accepts (via the kernel backlog) but never answers.
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  uint16_t port = acceptor.local_endpoint().port();
  auto r = HttpCall("127.0.0.1", port, "GET", "/", "", {}, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(StatusCode::kDeadlineExceeded, r.status().code()) << r.status().ToString();
  EXPECT_NE(std::string::npos, r.status().message().find("127.0.0.1:" + std::to_string(port)));
}

TEST(ParseHostPortTest, Cases) {
  std::string host;
  uint16_t port = 0;
  ASSERT_TRUE(ParseHostPort("example.com:8080", &host, &port).ok());
  EXPECT_EQ("example.com", host);
  EXPECT_EQ(8080, port);
  ASSERT_TRUE(ParseHostPort("0.0.0.0:0", &host, &port).ok());
  EXPECT_EQ("0.0.0.0", host);
  EXPECT_EQ(0, port);
  ASSERT_TRUE(ParseHostPort(":5433", &host, &port).ok());
  EXPECT_EQ("127.0.0.1", host);
  EXPECT_EQ(5433, port);
  ASSERT_TRUE(ParseHostPort("[::1]:65535", &host, &port).ok());
  EXPECT_EQ("::1", host);
  EXPECT_EQ(65535, port);

  for (const char* bad : {"", "localhost", "localhost:", "host:65536", "host:80x", "host:-1",
                          "::1:80", "[::1]", "[::1]80", "[]:80", "[::1:80", "host:1000000"}) {
    Status st = ParseHostPort(bad, &host, &port);
    EXPECT_EQ(StatusCode::kInvalidArgument, st.code()) << "'" << bad << "'";
  }
}

}  // namespace
}  // namespace laminar::server
