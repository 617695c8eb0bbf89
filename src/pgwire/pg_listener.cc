// PgServer's listener: the Asio acceptor thread, the connection slots (session ids, secret keys,
// cancel flags) and their limit, cancel requests, Start and Stop (see pg_server.h). Each accepted
// connection runs on a thread of its own (RunSession, pg_server.cc).
#include <algorithm>
#include <utility>  // before Asio: GCC 12 + C++20 needs std::exchange declared (TOOLCHAIN.md)

#include <sys/socket.h>

#include <fmt/format.h>

#include "pgwire/pg_server.h"
#include "pgwire/pg_server_impl.h"

namespace laminar::pgwire {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Connections over max_connections still get an error answer, up to this many at once.
constexpr size_t kMaxRejecting = 16;

}  // namespace

void PgServer::Impl::Accept() {
  acceptor->async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (stopping.load()) return;
    if (!ec) StartSession(std::move(socket));
    Accept();
  });
}

void PgServer::Impl::StartSession(tcp::socket socket) {
  boost::system::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  std::string address = ec ? std::string() : remote.address().to_string();
  int32_t id, key;
  std::string refusal;
  {
    std::lock_guard<std::mutex> lock(mu);
    size_t per_address_limit = options.max_connections_per_address != 0
                                   ? options.max_connections_per_address
                                   : std::max<size_t>(1, options.max_connections * 3 / 4);
    if (live - rejecting >= options.max_connections) {
      refusal = fmt::format("sorry, too many clients already (limit {})", options.max_connections);
    } else if (per_address[address] >= per_address_limit) {
      refusal = fmt::format("sorry, too many connections from {} (limit {} a client address)", address,
                            per_address_limit);
    }
    if (!refusal.empty() && rejecting >= kMaxRejecting) return;  // the socket closes
    id = next_id++;
    key = int32_t(key_source());
    live++;
    if (!refusal.empty()) rejecting++;
    else per_address[address]++;
    slots[id] = Slot{socket.native_handle(), key, nullptr};
  }
  bool refused = !refusal.empty();
  std::thread([this, s = std::move(socket), id, key, refusal = std::move(refusal), refused, address]() mutable {
    RunSession(this, std::move(s), id, key, std::move(refusal));  // the socket is closed when it returns
    std::lock_guard<std::mutex> lock(mu);
    live--;
    if (refused) {
      rejecting--;
    } else if (--per_address[address] == 0) {
      per_address.erase(address);
    }
    idle_cv.notify_all();
  }).detach();
}

void PgServer::Impl::Cancel(int32_t pid, int32_t key) {
  std::lock_guard<std::mutex> lock(mu);
  auto it = slots.find(pid);
  if (it == slots.end()) return;
  // Constant time in the key: every byte is compared whatever the first difference.
  uint32_t a = uint32_t(it->second.key), b = uint32_t(key);
  uint32_t diff = 0;
  for (int shift = 0; shift < 32; shift += 8) diff |= ((a >> shift) ^ (b >> shift)) & 0xffu;
  if (diff != 0 || !it->second.cancel) return;
  it->second.cancel->store(true);
}

Result<std::unique_ptr<PgServer>> PgServer::Start(const PgOptions& options, engine::Engine* engine) {
  std::unique_ptr<PgServer> s(new PgServer());
  s->impl_ = std::make_unique<Impl>();
  Impl& impl = *s->impl_;
  impl.options = options;
  impl.engine = engine;
  std::string where = fmt::format("{}:{}", options.host, options.port);
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(options.host, ec);
  if (ec) return InvalidArgument("pg: invalid listen address {}: {}", options.host, ec.message());
  tcp::endpoint ep(addr, options.port);
  impl.acceptor.emplace(impl.ioc);
  if (impl.acceptor->open(ep.protocol(), ec); ec) return IOError("pg: cannot listen on {}: {}", where, ec.message());
  impl.acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (impl.acceptor->bind(ep, ec); ec) return IOError("pg: cannot listen on {}: {}", where, ec.message());
  if (impl.acceptor->listen(asio::socket_base::max_listen_connections, ec); ec)
    return IOError("pg: cannot listen on {}: {}", where, ec.message());
  impl.port = impl.acceptor->local_endpoint(ec).port();
  impl.Accept();
  impl.accept_thread = std::thread([&impl] { impl.ioc.run(); });
  return s;
}

uint16_t PgServer::port() const { return impl_->port; }

void PgServer::Stop() {
  if (!impl_ || impl_->stopped) return;
  Impl& impl = *impl_;
  impl.stopped = true;
  impl.stopping = true;
  impl.ioc.stop();
  if (impl.accept_thread.joinable()) impl.accept_thread.join();
  boost::system::error_code ec;
  impl.acceptor->close(ec);  // no thread runs the io_context any more
  std::unique_lock<std::mutex> lock(impl.mu);
  for (const auto& [id, slot] : impl.slots) ::shutdown(slot.fd, SHUT_RDWR);
  impl.idle_cv.wait(lock, [&] { return impl.live == 0; });
}

PgServer::~PgServer() { Stop(); }

}  // namespace laminar::pgwire
