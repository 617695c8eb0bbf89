// Fuzz target for the HTTP request parser of HttpServer (server/http_parse.h: the server's own
// parsing steps over bytes in memory — Beast's request parser with the server's limits, the
// Transfer-Encoding check, the target's percent-decoding, the header map, the Host check). The
// first input byte picks the server options (default limits, or small ones: 64-byte bodies,
// 512-byte headers; allowed_hosts empty, a list, or "*"); the rest is what a client sends on one
// connection: requests are parsed one after another (pipelining) until one is incomplete, gets
// an answer that closes the connection, or does not keep the connection alive. The input is
// also given to HostAllowed and ParseHostPort. Findings: crashes, sanitizer reports, and broken
// invariants (a request that consumes no bytes or more than it was given; a path not starting
// with '/' other than "*"; a header name not in lower case; a body above the limit; an error
// answer without a message).
//
// Built two ways (src/server/CMakeLists.txt): with the standalone mutation driver
// (src/lake/fuzz/fuzz_driver.cc; ctest http_fuzz_smoke) or with libFuzzer (scripts/fuzz.sh
// --target http). LaminarFuzzMakeSeeds writes valid requests of every route and framing.
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/fuzz_seeds.h"
#include "server/http_parse.h"
#include "server/http_server.h"

namespace {

using namespace laminar::server;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "http_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

HttpOptions OptionsFor(uint8_t b) {
  HttpOptions o;
  if (b & 1) {
    o.max_body_bytes = 64;
    o.max_header_bytes = 512;
  }
  switch ((b >> 1) & 3) {
    case 0: break;
    case 1: o.allowed_hosts = {"laminar.example", "db.internal"}; break;
    case 2: o.allowed_hosts = {"*"}; break;
    default: o.host = "0.0.0.0"; break;
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const HttpOptions options = OptionsFor(data[0]);
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  (void)HostAllowed(rest.substr(0, 300), options);
  {
    std::string host;
    uint16_t port = 0;
    (void)ParseHostPort(std::string(rest.substr(0, 300)), &host, &port);
  }
  for (int i = 0; i < 64 && !rest.empty(); i++) {
    auto parsed = internal::ParseRequest(rest, options);
    if (!parsed) break;  // incomplete: the connection would wait for more
    Check(parsed->consumed <= rest.size(), "consumed more than the input");
    if (parsed->status != 0) {
      Check(!parsed->error.empty(), "an error answer without a message");
      Check(parsed->status == 400 || parsed->status == 403 || parsed->status == 413 || parsed->status == 431 ||
                parsed->status == 501,
            "an unexpected error status");
      if (parsed->status != 403 || !parsed->keep_alive) break;
    } else {
      const HttpRequest& r = parsed->request;
      Check(!r.method.empty(), "an empty method");
      Check(r.path == "*" || (!r.path.empty() && r.path[0] == '/'), "a path not starting with '/'");
      for (const auto& [name, value] : r.headers)
        for (char c : name) Check(!std::isupper(static_cast<unsigned char>(c)), "a header name not in lower case");
      Check(r.body.size() <= options.max_body_bytes, "a body above max_body_bytes");
      if (!parsed->keep_alive) break;
    }
    Check(parsed->consumed > 0, "a request that consumed nothing");
    rest.remove_prefix(parsed->consumed);
  }
  return 0;
}

// Writes seed files into `dir`: the option byte followed by one connection's requests.
extern "C" int LaminarFuzzMakeSeeds(const char* dir) {
  const std::string ndjson = "{\"ts\":\"2024-01-08T10:15:00Z\",\"url\":\"/a\",\"country\":\"US\"}\n";
  const std::string sql = "SELECT country, views FROM pv_hourly WHERE country = 'US'";
  const std::string attach = "{\"stream\":\"pageviews\",\"path\":\"a.parquet\"}";
  auto len = [](const std::string& s) { return std::to_string(s.size()); };
  std::vector<std::string> seeds = {
      std::string(1, '\0') + "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n",
      std::string(1, '\0') + "GET /metrics HTTP/1.0\r\n\r\n",
      std::string(1, '\0') + "POST /v1/streams/pageviews/events HTTP/1.1\r\nHost: localhost:8080\r\n"
                             "Content-Type: application/x-ndjson\r\nContent-Length: " + len(ndjson) + "\r\n\r\n" + ndjson,
      std::string(1, '\0') + "POST /v1/streams/pageviews/events HTTP/1.1\r\nHost: localhost\r\n"
                             "Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "10\r\n{\"ts\":1700000000\r\n1;ext=1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n",
      std::string(1, '\0') + "POST /v1/query HTTP/1.1\r\nHost: [::1]:8080\r\nContent-Type: application/json\r\n"
                             "Content-Length: 24\r\n\r\n{\"sql\": \"SELECT 1 + 1\"}\n",
      std::string(1, '\0') + "POST /v1/sql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sql\r\n"
                             "Expect: 100-continue\r\nContent-Length: " + len(sql) + "\r\n\r\n" + sql,
      std::string(1, '\0') + "GET /v1/streams?verbose=1&name=page%20views&x=a+b&x=c#frag HTTP/1.1\r\nHost: localhost\r\n"
                             "Accept: */*\r\nAccept: application/json\r\n\r\n"
                             "GET /v1/views/pv_hourly HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
      std::string(1, '\0') + "HEAD http://localhost:8080/healthz?x HTTP/1.1\r\nHost: localhost\r\n\r\n"
                             "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n",
      std::string(1, '\0') + "DELETE /v1/streams/pageviews HTTP/1.1\r\nHost: localhost\r\nX-Laminar-Client: cli\r\n\r\n",
      std::string(1, '\0') + "POST /v1/lake/attach HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                             "Content-Length: " + len(attach) + "\r\n\r\n" + attach,
      // Small limits: a body and a header over them.
      std::string(1, '\1') + "POST /v1/query HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n" +
          std::string(100, 'x'),
      std::string(1, '\1') + "GET / HTTP/1.1\r\nHost: localhost\r\nCookie: " + std::string(600, 'c') + "\r\n\r\n",
      std::string(1, '\1') + "POST /v1/query HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "40\r\n" + std::string(64, 'y') + "\r\n1\r\nz\r\n0\r\n\r\n",
      // Allowed hosts; a Host that is not one (403, the connection stays open).
      std::string(1, '\2') + "GET /healthz HTTP/1.1\r\nHost: laminar.example:8080\r\n\r\n"
                             "GET /healthz HTTP/1.1\r\nHost: evil.example\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n",
      std::string(1, '\4') + "GET /healthz HTTP/1.1\r\nHost: anything.example\r\n\r\n",
      std::string(1, '\6') + "GET /healthz HTTP/1.1\r\nHost: 0.0.0.0:8080\r\n\r\n",
      // Smuggling and malformed requests.
      std::string(1, '\0') + "POST /v1/query HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: xchunked\r\n\r\n"
                             "GET /admin HTTP/1.1\r\n\r\n",
      std::string(1, '\0') + "POST /v1/query HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef",
      std::string(1, '\0') + "POST /v1/query HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
      std::string(1, '\0') + "GET /a%zz HTTP/1.1\r\nHost: localhost\r\n\r\n",
      std::string(1, '\0') + "GET /a?b=%4 HTTP/1.1\r\nHost: localhost\r\n\r\n",
      std::string(1, '\0') + "GET relative HTTP/1.1\r\nHost: localhost\r\n\r\n",
      std::string(1, '\0') + "G@T / HTTP/1.1\r\n\r\n",
      std::string(1, '\0') + "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n",
      std::string(1, '\0') + "GET / HTTP/1.1\r\n Folded: header\r\n\r\n",
  };
  return laminar::WriteFuzzSeeds(dir, seeds);
}
