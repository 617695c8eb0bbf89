// API tokens: bearer secrets for the HTTP API (and Firehose's access key), kept by the server only
// as hashes.
//
// A token is "lmr_" followed by 43 base64url characters (32 random bytes from the OS). The config
// holds `sha256:<64 hex digits>` of it (`laminar token create` prints both): a token has 256 bits
// of entropy, so a fast hash suffices and a stolen config reveals no token. A presented token is
// hashed and compared with every configured hash in constant time (CRYPTO_memcmp, no early exit),
// so the answer's timing does not tell how much of a hash matched.
//
// Thread safety: TokenStore is immutable after construction; the functions are pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/scopes.h"
#include "common/status.h"

namespace laminar::auth {

struct TokenEntry {
  std::string name;       // for the audit log and error messages; never the token
  std::string hash;       // 32 raw bytes of SHA-256
  std::vector<Scope> scopes;
  Limits limits;
};

std::string NewToken();
// "sha256:<hex>" of a token, as the config holds it.
std::string FormatTokenHash(std::string_view token);
// The 32 bytes of "sha256:<64 hex digits>"; InvalidArgument naming what is wrong (a token given
// where its hash belongs is named as such).
Result<std::string> ParseTokenHash(std::string_view text);

class TokenStore {
 public:
  TokenStore() = default;
  explicit TokenStore(std::vector<TokenEntry> entries) : entries_(std::move(entries)) {}
  // The entry the token hashes to, or nullptr. Every entry is compared.
  const TokenEntry* Find(std::string_view token) const;
  bool empty() const { return entries_.empty(); }
  const std::vector<TokenEntry>& entries() const { return entries_; }

 private:
  std::vector<TokenEntry> entries_;
};

}  // namespace laminar::auth
