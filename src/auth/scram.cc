#include "auth/scram.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <charconv>
#include <cstdlib>
#include <utility>
#include <vector>

#include "common/base64.h"

namespace laminar::auth {
namespace {

constexpr std::string_view kVerifierPrefix = "SCRAM-SHA-256$";
constexpr size_t kKeyLength = SHA256_DIGEST_LENGTH;
constexpr size_t kSaltLength = 16;   // PostgreSQL's SCRAM_DEFAULT_SALT_LEN
constexpr size_t kNonceLength = 18;  // PostgreSQL's SCRAM_RAW_NONCE_LEN
constexpr int kMockIterations = 4096;  // PostgreSQL's default scram_iterations

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  // OpenSSL's generator fails only when the operating system cannot seed it; going on with
  // predictable salts and nonces would be worse than stopping.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::abort();
  }
  return out;
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string Sha256(std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  return std::string(reinterpret_cast<const char*>(md), sizeof md);
}

// A mock verifier's salt must look random yet stay the same for a user name, or a client could
// spot an unknown user by asking twice; a secret per process gives both.
const std::string& MockSecret() {
  static const std::string secret = RandomBytes(32);
  return secret;
}

ScramVerifier MockVerifier(std::string_view user) {
  ScramVerifier v;
  v.iterations = kMockIterations;
  v.salt = Hmac(MockSecret(), user).substr(0, kSaltLength);
  v.stored_key = v.server_key = std::string(kKeyLength, '\0');  // the exchange is doomed anyway
  return v;
}

// `s` split at its first `sep`; nullopt without one.
std::optional<std::pair<std::string_view, std::string_view>> Cut(std::string_view s, char sep) {
  size_t at = s.find(sep);
  if (at == std::string_view::npos) return std::nullopt;
  return std::pair{s.substr(0, at), s.substr(at + 1)};
}

// The bytes of one base64 part of a verifier: `length` of them, or any number but none when 0.
Result<std::string> DecodeVerifierPart(std::string_view b64, std::string_view what, size_t length) {
  auto bytes = Base64Decode(b64);
  if (!bytes.ok()) {
    return bytes.status().WithContext(fmt::format("malformed SCRAM-SHA-256 verifier: {}", what));
  }
  if (length != 0 ? bytes->size() != length : bytes->empty()) {
    return InvalidArgument("malformed SCRAM-SHA-256 verifier: {} is {} bytes", what, bytes->size());
  }
  return bytes;
}

// Message errors are protocol violations (08P01), as PostgreSQL reports them.
template <typename... Args>
Status Malformed(fmt::format_string<Args...> f, Args&&... args) {
  return InvalidArgument(ErrorCode::kProtocolViolation, "malformed SCRAM message: {}",
                         fmt::format(f, std::forward<Args>(args)...));
}

// A message's comma-separated attributes ("r=...", RFC 5802 section 5.1). Values hold no commas.
std::vector<std::string_view> SplitAttributes(std::string_view message) {
  std::vector<std::string_view> out;
  for (auto rest = Cut(message, ','); rest; rest = Cut(message, ',')) {
    out.push_back(rest->first);
    message = rest->second;
  }
  out.push_back(message);
  return out;
}

bool IsAttribute(std::string_view attr, char name) {
  return attr.size() >= 2 && attr[0] == name && attr[1] == '=';
}

// The value of attrs[i], which must be the attribute `name`.
Result<std::string_view> Value(const std::vector<std::string_view>& attrs, size_t i, char name) {
  if (i >= attrs.size() || !IsAttribute(attrs[i], name)) {
    return Malformed("expected attribute \"{}=\"", name);
  }
  return attrs[i].substr(2);
}

// Extensions (any "x=..." we do not know) are part of the signed AuthMessage, so ignoring them
// is safe; anything not shaped like an attribute is garbage.
Status CheckExtensions(const std::vector<std::string_view>& attrs, size_t from) {
  for (size_t i = from; i < attrs.size(); i++) {
    if (attrs[i].empty() || !IsAttribute(attrs[i], attrs[i][0])) {
      return Malformed("garbage after the nonce");
    }
  }
  return Status::OK();
}

struct ClientFirstMessage {
  std::string_view gs2_header;  // "n,," or "y,,"
  std::string_view bare;        // client-first-message-bare: what follows the header
  std::string_view client_nonce;
};

Result<ClientFirstMessage> ParseClientFirst(std::string_view message) {
  std::vector<std::string_view> attrs = SplitAttributes(message);
  if (attrs.size() < 2) return Malformed("no gs2 header");
  if (IsAttribute(attrs[0], 'p')) {
    return Malformed("channel binding (\"p=\") requested, but SCRAM-SHA-256-PLUS was not offered");
  }
  if (attrs[0] != "n" && attrs[0] != "y") return Malformed("unknown channel binding flag");
  if (IsAttribute(attrs[1], 'a')) {
    return Malformed("an authorization identity (\"a=\") is not supported");
  }
  if (!attrs[1].empty()) return Malformed("unexpected attribute in the gs2 header");
  ClientFirstMessage out;
  out.gs2_header = message.substr(0, attrs[0].size() + 2);
  out.bare = message.substr(out.gs2_header.size());
  if (attrs.size() > 2 && IsAttribute(attrs[2], 'm')) {
    return Malformed("a mandatory extension (\"m=\") is not supported");
  }
  // The user name's value is ignored: PostgreSQL authenticates the startup packet's user.
  RETURN_IF_ERROR(Value(attrs, 2, 'n').status());
  ASSIGN_OR_RETURN(out.client_nonce, Value(attrs, 3, 'r'));
  if (out.client_nonce.empty()) return Malformed("empty nonce");
  for (char c : out.client_nonce) {
    if (c < 0x21 || c > 0x7e) return Malformed("non-printable characters in the nonce");
  }
  RETURN_IF_ERROR(CheckExtensions(attrs, 4));
  return out;
}

struct ClientFinalMessage {
  std::string_view without_proof;  // client-final-message-without-proof, signed by the proof
  std::string_view channel_binding;
  std::string_view nonce;
  std::string proof;
};

Result<ClientFinalMessage> ParseClientFinal(std::string_view message) {
  ClientFinalMessage out;
  size_t last = message.rfind(',');
  if (last == std::string_view::npos || !IsAttribute(message.substr(last + 1), 'p')) {
    return Malformed("the proof (\"p=\") is not the last attribute");
  }
  out.without_proof = message.substr(0, last);
  auto proof = Base64Decode(message.substr(last + 3));
  if (!proof.ok() || proof->size() != kKeyLength) {
    return Malformed("the proof is not {} bytes in base64", kKeyLength);
  }
  out.proof = std::move(proof).value();
  std::vector<std::string_view> attrs = SplitAttributes(out.without_proof);
  ASSIGN_OR_RETURN(out.channel_binding, Value(attrs, 0, 'c'));
  ASSIGN_OR_RETURN(out.nonce, Value(attrs, 1, 'r'));
  RETURN_IF_ERROR(CheckExtensions(attrs, 2));
  return out;
}

Status OutOfOrder(std::string_view what) {
  return InvalidArgument(ErrorCode::kProtocolViolation, "SCRAM {} out of order", what);
}

}  // namespace

std::string FormatVerifier(const ScramVerifier& v) {
  return fmt::format("{}{}:{}${}:{}", kVerifierPrefix, v.iterations, Base64Encode(v.salt),
                     Base64Encode(v.stored_key), Base64Encode(v.server_key));
}

Result<ScramVerifier> ParseVerifier(std::string_view text) {
  if (!text.starts_with(kVerifierPrefix)) {
    return InvalidArgument("not a SCRAM-SHA-256 verifier: it does not start with \"{}\"",
                           kVerifierPrefix);
  }
  auto halves = Cut(text.substr(kVerifierPrefix.size()), '$');
  auto params = halves ? Cut(halves->first, ':') : std::nullopt;
  auto keys = halves ? Cut(halves->second, ':') : std::nullopt;
  if (!params || !keys) {
    return InvalidArgument(
        "malformed SCRAM-SHA-256 verifier: expected \"{}<iterations>:<salt>$<StoredKey>:<ServerKey>\"",
        kVerifierPrefix);
  }
  ScramVerifier v;
  const char* end = params->first.data() + params->first.size();
  auto [stop, ec] = std::from_chars(params->first.data(), end, v.iterations);
  if (ec != std::errc() || stop != end || v.iterations < 1) {
    return InvalidArgument(
        "malformed SCRAM-SHA-256 verifier: the iteration count is not a positive integer");
  }
  ASSIGN_OR_RETURN(v.salt, DecodeVerifierPart(params->second, "the salt", 0));
  ASSIGN_OR_RETURN(v.stored_key, DecodeVerifierPart(keys->first, "StoredKey", kKeyLength));
  ASSIGN_OR_RETURN(v.server_key, DecodeVerifierPart(keys->second, "ServerKey", kKeyLength));
  return v;
}

ScramVerifier MakeVerifier(std::string_view password, int iterations) {
  return MakeVerifier(password, RandomBytes(kSaltLength), iterations);
}

ScramVerifier MakeVerifier(std::string_view password, std::string_view salt, int iterations) {
  std::string salted(kKeyLength, '\0');
  // Fails only for iterations < 1 (a caller's bug) or without memory.
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(salted.size()),
                        reinterpret_cast<unsigned char*>(salted.data())) != 1) {
    std::abort();
  }
  ScramVerifier v;
  v.iterations = iterations;
  v.salt = std::string(salt);
  v.stored_key = Sha256(Hmac(salted, "Client Key"));
  v.server_key = Hmac(salted, "Server Key");
  return v;
}

bool VerifyPassword(const ScramVerifier& v, std::string_view password) {
  if (v.iterations < 1) return false;
  ScramVerifier typed = MakeVerifier(password, v.salt, v.iterations);
  return typed.stored_key.size() == v.stored_key.size() && typed.server_key.size() == v.server_key.size() &&
         CRYPTO_memcmp(typed.stored_key.data(), v.stored_key.data(), v.stored_key.size()) == 0 &&
         CRYPTO_memcmp(typed.server_key.data(), v.server_key.data(), v.server_key.size()) == 0;
}

ScramExchange::ScramExchange(std::string user, std::optional<ScramVerifier> verifier)
    : user_(std::move(user)),
      verifier_(verifier ? std::move(*verifier) : MockVerifier(user_)),
      doomed_(!verifier.has_value()) {}

void ScramExchange::SetServerNonceForTest(std::string nonce) { server_nonce_ = std::move(nonce); }

Result<std::string> ScramExchange::ClientFirst(std::string_view message) {
  // Any error, a call out of order included, ends the exchange: kEnded until this call succeeds.
  if (std::exchange(state_, State::kEnded) != State::kStart) {
    return OutOfOrder("client-first-message");
  }
  ASSIGN_OR_RETURN(ClientFirstMessage first, ParseClientFirst(message));
  if (server_nonce_.empty()) server_nonce_ = Base64Encode(RandomBytes(kNonceLength));
  gs2_header_ = first.gs2_header;
  nonce_ = fmt::format("{}{}", first.client_nonce, server_nonce_);
  std::string server_first =
      fmt::format("r={},s={},i={}", nonce_, Base64Encode(verifier_.salt), verifier_.iterations);
  auth_message_start_ = fmt::format("{},{}", first.bare, server_first);
  state_ = State::kFirstDone;
  return server_first;
}

Result<std::string> ScramExchange::ClientFinal(std::string_view message) {
  if (std::exchange(state_, State::kEnded) != State::kFirstDone) {
    return OutOfOrder("client-final-message");
  }
  ASSIGN_OR_RETURN(ClientFinalMessage client_final, ParseClientFinal(message));
  // Without channel binding, "c=" carries only the gs2 header, which must be the one sent first.
  if (client_final.channel_binding != Base64Encode(gs2_header_)) {
    return Malformed("the channel binding (\"c=\") does not match the gs2 header \"{}\"",
                     gs2_header_);
  }
  if (client_final.nonce != nonce_) return Malformed("the nonce does not match");

  // ClientKey = proof XOR HMAC(StoredKey, AuthMessage); the client knew the password when
  // SHA-256(ClientKey) is StoredKey.
  std::string auth_message = fmt::format("{},{}", auth_message_start_, client_final.without_proof);
  std::string client_key = Hmac(verifier_.stored_key, auth_message);
  for (size_t i = 0; i < kKeyLength; i++) client_key[i] ^= client_final.proof[i];
  bool proved = verifier_.stored_key.size() == kKeyLength &&
                CRYPTO_memcmp(Sha256(client_key).data(), verifier_.stored_key.data(), kKeyLength) == 0;
  if (!proved || doomed_) {
    return Unauthenticated(ErrorCode::kInvalidPassword,
                           "password authentication failed for user \"{}\"", user_);
  }
  succeeded_ = true;
  return "v=" + Base64Encode(Hmac(verifier_.server_key, auth_message));
}

}  // namespace laminar::auth
