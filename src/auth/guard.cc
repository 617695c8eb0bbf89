#include "auth/guard.h"

#include "common/base64.h"

namespace laminar::auth {

Result<std::unique_ptr<Guard>> Guard::Make(AuthConfig config, const std::string& audit_path) {
  auto g = std::unique_ptr<Guard>(new Guard());
  g->tokens_ = TokenStore(config.tokens);
  g->config_ = std::move(config);
  ASSIGN_OR_RETURN(g->audit_, AuditLog::Open(audit_path));
  return g;
}

std::unique_ptr<Guard> Guard::Open() { return std::unique_ptr<Guard>(new Guard()); }

namespace {

// The token of an Authorization header: "Bearer <token>", or "Basic base64(user:token)" (the
// user part is ignored). "" when the header holds neither.
std::string TokenOf(std::string_view authorization) {
  auto scheme = [&](std::string_view name) {
    if (authorization.size() <= name.size() + 1) return false;
    for (size_t i = 0; i < name.size(); i++)
      if (std::tolower(static_cast<unsigned char>(authorization[i])) != name[i]) return false;
    return authorization[name.size()] == ' ';
  };
  auto rest = [&](size_t n) {
    std::string_view r = authorization.substr(n);
    while (!r.empty() && r.front() == ' ') r.remove_prefix(1);
    while (!r.empty() && r.back() == ' ') r.remove_suffix(1);
    return r;
  };
  if (scheme("bearer")) return std::string(rest(7));
  if (scheme("basic")) {
    auto decoded = Base64Decode(rest(6));
    if (!decoded.ok()) return "";
    size_t colon = decoded->find(':');
    return colon == std::string::npos ? std::string() : decoded->substr(colon + 1);
  }
  return "";
}

}  // namespace

Result<Principal> Guard::FromHttp(std::string_view authorization, std::string_view access_key) const {
  if (!config_.enabled) return Principal::Anonymous();
  std::string token = TokenOf(authorization);
  if (token.empty() && !authorization.empty())
    return Unauthenticated(ErrorCode::kInvalidAuthorizationSpecification,
                           "the Authorization header must be \"Bearer <token>\"");
  if (token.empty()) token = std::string(access_key);
  if (token.empty())
    return Unauthenticated(ErrorCode::kInvalidAuthorizationSpecification,
                           "authentication required: send Authorization: Bearer <token>");
  const TokenEntry* e = tokens_.Find(token);
  if (!e) return Unauthenticated(ErrorCode::kInvalidAuthorizationSpecification, "invalid token");
  return Principal{e->name, "token", e->scopes, e->limits};
}

std::optional<UserEntry> Guard::FindUser(const std::string& name) const {
  for (const UserEntry& u : config_.users)
    if (u.name == name) return u;
  if (role_lookup_) return role_lookup_(name);
  return std::nullopt;
}

void Guard::Audit(const AuditEvent& e) {
  if (audit_) audit_->Write(e);
}

}  // namespace laminar::auth
