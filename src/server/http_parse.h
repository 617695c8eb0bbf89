// Internal: HttpServer's parsing of one request, from bytes in memory instead of a socket, for
// the fuzz target (src/server/fuzz/http_fuzz.cc). Not part of the server's API: the server and
// this function share the same steps (http_server.cc: the parser's limits, the Transfer-Encoding
// check, the read errors' answers, the target's percent-decoding, the header map and the Host
// check), so what the fuzzer finds here a client finds over TCP.
//
// Thread safety: a pure function.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "server/http_server.h"

namespace laminar::server::internal {

struct ParsedRequest {
  // 0: `request` goes to the Handler. Else the error answer the server sends instead: 400, 413,
  // 431 or 501 (the connection is then closed), or 403 (a Host that is not one of the server's
  // names; the connection stays open when keep_alive).
  int status = 0;
  std::string error;       // that answer's message
  HttpRequest request;     // when status is 0 (`remote` empty)
  bool keep_alive = false; // the connection serves a next request after this one
  bool expect_continue = false;  // the server sends an interim 100 before it reads the body
  size_t consumed = 0;     // bytes of the input this request took (up to the error, for one)
};

// The first request in `bytes`, parsed as a connection of a server with `options` parses it.
// nullopt when `bytes` end before the request does (a connection would wait for more, and close
// at a timeout or at the end of the stream without answering).
std::optional<ParsedRequest> ParseRequest(std::string_view bytes, const HttpOptions& options);

}  // namespace laminar::server::internal
