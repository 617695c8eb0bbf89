// TlsContext: the server's certificate and key as an OpenSSL server context, shared by the
// PostgreSQL protocol (and, later, HTTP), and replaced on SIGHUP without dropping connections.
//
// Load reads `cert_file` (PEM: the certificate, then any intermediates) and `key_file` (PEM
// private key) and checks that they belong together; TLS 1.2 is the oldest version accepted.
// Reload reads them again: a connection keeps the context it started with (OpenSSL counts
// references), new connections get the new one; when the files are broken the old context stays
// and the error is returned (the server logs it and goes on).
//
// Errors: IOError naming a file that cannot be read, InvalidArgument when its content is not a
// certificate or key or they do not match (with OpenSSL's reason).
//
// Thread safety: Current and Reload may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace laminar::auth {

struct TlsOptions {
  std::string cert_file;
  std::string key_file;
  bool required = false;  // plain connections refused
  bool enabled() const { return !cert_file.empty(); }
};

class TlsContext {
 public:
  static Result<std::shared_ptr<TlsContext>> Load(const TlsOptions& options);
  Status Reload();
  std::shared_ptr<SSL_CTX> Current() const;
  bool required() const { return options_.required; }
  const TlsOptions& options() const { return options_; }

 private:
  explicit TlsContext(TlsOptions options) : options_(std::move(options)) {}
  TlsOptions options_;
  mutable std::mutex mu_;
  std::shared_ptr<SSL_CTX> ctx_;
};

// OpenSSL's queued errors as text ("error:0A000086:SSL routines::certificate verify failed"),
// emptying the queue; "" when there is none.
std::string OpenSslErrors();

}  // namespace laminar::auth
