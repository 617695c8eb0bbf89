#include "auth/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <fstream>

namespace laminar::auth {

std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out;
}

namespace {

Status Readable(const std::string& path, const char* what) {
  std::ifstream in(path);
  if (!in) return IOError("TLS {} {}: cannot be read", what, path);
  return Status::OK();
}

Result<std::shared_ptr<SSL_CTX>> MakeContext(const TlsOptions& o) {
  RETURN_IF_ERROR(Readable(o.cert_file, "certificate"));
  RETURN_IF_ERROR(Readable(o.key_file, "key"));
  ERR_clear_error();
  std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!ctx) return Internal("TLS: SSL_CTX_new failed: {}", OpenSslErrors());
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), o.cert_file.c_str()) != 1)
    return InvalidArgument("TLS certificate {}: {}", o.cert_file, OpenSslErrors());
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), o.key_file.c_str(), SSL_FILETYPE_PEM) != 1)
    return InvalidArgument("TLS key {}: {}", o.key_file, OpenSslErrors());
  if (SSL_CTX_check_private_key(ctx.get()) != 1)
    return InvalidArgument("TLS key {} does not belong to the certificate {}: {}", o.key_file, o.cert_file,
                           OpenSslErrors());
  return ctx;
}

}  // namespace

Result<std::shared_ptr<TlsContext>> TlsContext::Load(const TlsOptions& options) {
  std::shared_ptr<TlsContext> t(new TlsContext(options));
  ASSIGN_OR_RETURN(t->ctx_, MakeContext(options));
  return t;
}

Status TlsContext::Reload() {
  ASSIGN_OR_RETURN(std::shared_ptr<SSL_CTX> fresh, MakeContext(options_));
  std::lock_guard<std::mutex> lock(mu_);
  ctx_ = std::move(fresh);
  return Status::OK();
}

std::shared_ptr<SSL_CTX> TlsContext::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ctx_;
}

}  // namespace laminar::auth
