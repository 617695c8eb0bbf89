#include "auth/tokens.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>

namespace laminar::auth {
namespace {

std::string Sha256(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

std::string NewToken() {
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("RAND_bytes failed: no random source");
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out = "lmr_";
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char b : raw) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
  return out;
}

std::string FormatTokenHash(std::string_view token) {
  std::string digest = Sha256(token), out = "sha256:";
  for (unsigned char c : digest) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

Result<std::string> ParseTokenHash(std::string_view text) {
  if (text.substr(0, 4) == "lmr_")
    return InvalidArgument("a token hash is expected (sha256:...), not a token: the config must not hold tokens "
                           "(laminar token create prints the hash)");
  if (text.substr(0, 7) != "sha256:" || text.size() != 7 + 64)
    return InvalidArgument("a token hash must be sha256: and 64 hex digits");
  std::string out;
  for (size_t i = 7; i < text.size(); i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int hi = nibble(text[i]), lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) return InvalidArgument("a token hash must be sha256: and 64 hex digits");
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

const TokenEntry* TokenStore::Find(std::string_view token) const {
  const std::string digest = Sha256(token);
  const TokenEntry* found = nullptr;
  for (const TokenEntry& e : entries_)
    if (e.hash.size() == digest.size() && CRYPTO_memcmp(e.hash.data(), digest.data(), digest.size()) == 0) found = &e;
  return found;
}

}  // namespace laminar::auth
