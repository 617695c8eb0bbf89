// PgServer's shared state (internal to src/pgwire): the listener (pg_listener.cc) accepts
// connections and keeps their slots; each connection's session (pg_server.cc) registers its
// cancel flag in its slot and reads the options, the engine and the stopping flag.
//
// Thread safety: `mu` guards what is marked GUARDED_BY(mu); the rest is set before the acceptor
// starts (options, engine, port) or atomic.
#pragma once

#include <utility>  // before Asio: GCC 12 + C++20 needs std::exchange declared (TOOLCHAIN.md)

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "pgwire/pg_server.h"

namespace laminar::pgwire {

struct PgServer::Impl {
  PgOptions options;
  engine::Engine* engine = nullptr;
  boost::asio::io_context ioc;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  std::thread accept_thread;
  uint16_t port = 0;
  std::atomic<bool> stopping{false};
  bool stopped = false;

  // A live connection, by session id (the BackendKeyData process id).
  struct Slot {
    int fd = -1;
    int32_t key = 0;                         // the BackendKeyData secret key
    std::atomic<bool>* cancel = nullptr;     // the session's cancel flag once it runs
  };

  std::mutex mu;
  std::condition_variable idle_cv;
  size_t live = 0;                 // GUARDED_BY(mu) session threads running
  size_t rejecting = 0;            // GUARDED_BY(mu) of which answering "too many connections"
  std::map<int32_t, Slot> slots;   // GUARDED_BY(mu) session id → connection
  std::map<std::string, size_t> per_address;  // GUARDED_BY(mu) accepted sessions by client address
  int32_t next_id = 1;             // GUARDED_BY(mu)
  std::random_device key_source;   // GUARDED_BY(mu) secret keys (the OS's random source)

  void Accept();
  void StartSession(boost::asio::ip::tcp::socket socket);
  // A CancelRequest: sets the cancel flag of session `pid` when `key` is its secret (compared in
  // constant time); anything else is ignored, as PostgreSQL does.
  void Cancel(int32_t pid, int32_t key);
};

// Runs one accepted connection to its end (pg_server.cc), then frees its slot.
// `refusal` non-empty: the session answers the startup with FATAL 53300 and that message.
void RunSession(PgServer::Impl* srv, boost::asio::ip::tcp::socket socket, int32_t id, int32_t key, std::string refusal);

}  // namespace laminar::pgwire
