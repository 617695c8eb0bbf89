// SCRAM-SHA-256 (RFC 5802, RFC 7677), the server side, as PostgreSQL's wire protocol carries it
// (PostgreSQL docs, "SASL Authentication"): pgwire/ offers kScramMechanism in AuthenticationSASL,
// passes SASLInitialResponse's data to ClientFirst and SASLResponse's to ClientFinal, and answers
// with AuthenticationSASLContinue / AuthenticationSASLFinal carrying what they return.
//
// What it promises:
//  - Verifiers in PostgreSQL's stored form (pg_authid.rolpassword), so a role's verifier moves
//    between PostgreSQL and Laminar unchanged. The server keeps only StoredKey and ServerKey,
//    never the password.
//  - A user that is unknown or has no password gets an exchange that looks like a real one
//    (PostgreSQL's mock authentication: a salt made up from the user name, stable for the
//    process) and fails only at the proof, with the wrong-password error: a client cannot probe
//    which users exist.
//  - The proof is compared in constant time. An exchange is single use: after an error, or after
//    ClientFinal, every call fails, so one server nonce cannot be used to try several proofs.
//
// Limits:
//  - No channel binding: SCRAM-SHA-256-PLUS is not offered. A client saying "y" (it could bind
//    but thinks the server cannot) is accepted, which is right only while no -PLUS is offered
//    (RFC 5802 section 6: with TLS and -PLUS, "y" means a downgrade and must be refused).
//  - No SASLprep (RFC 4013): MakeVerifier hashes the password's bytes as given. PostgreSQL (the
//    server making a verifier, and libpq making its proof) applies SASLprep first when the
//    password is valid UTF-8 that SASLprep accepts, and uses the raw bytes otherwise. The two
//    agree for every ASCII password; a non-ASCII password that SASLprep changes (not in NFKC,
//    non-ASCII spaces, ignorable characters such as a soft hyphen) gets a verifier libpq's proof
//    does not match. Verifiers taken from PostgreSQL are unaffected.
//
// Errors: InvalidArgument naming what is malformed (a verifier; a message or a call out of order,
// these with ErrorCode::kProtocolViolation, 08P01, as PostgreSQL sends them); a wrong proof is Unauthenticated with ErrorCode::kInvalidPassword (SQLSTATE 28P01) and
// PostgreSQL's message, `password authentication failed for user "<user>"`.
//
// Thread safety: the free functions are safe to call concurrently; a ScramExchange belongs to one
// connection (no internal locking).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace laminar::auth {

inline constexpr std::string_view kScramMechanism = "SCRAM-SHA-256";

// What the server stores for a password. Raw bytes (not base64).
struct ScramVerifier {
  int iterations = 4096;
  std::string salt;
  std::string stored_key;  // SHA-256(HMAC(SaltedPassword, "Client Key")), 32 bytes
  std::string server_key;  // HMAC(SaltedPassword, "Server Key"), 32 bytes
  bool operator==(const ScramVerifier&) const = default;
};

// PostgreSQL's stored form:
// "SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>".
std::string FormatVerifier(const ScramVerifier& v);
// The inverse of FormatVerifier. InvalidArgument naming the part that is wrong (the text itself
// is never quoted: it is a secret).
Result<ScramVerifier> ParseVerifier(std::string_view text);

// A verifier for `password` (its bytes; see SASLprep above) with a random 16-byte salt.
// REQUIRES: iterations >= 1.
ScramVerifier MakeVerifier(std::string_view password, int iterations = 4096);
ScramVerifier MakeVerifier(std::string_view password, std::string_view salt, int iterations);

// Whether `password` is the one `v` was made from (for clear-text password authentication); the
// keys are compared in constant time.
bool VerifyPassword(const ScramVerifier& v, std::string_view password);

// One authentication exchange for one connection.
class ScramExchange {
 public:
  // `user`: the startup packet's user (PostgreSQL ignores the SCRAM user name). `verifier`:
  // theirs, nullopt when the user is unknown or has no password (mock authentication, above).
  ScramExchange(std::string user, std::optional<ScramVerifier> verifier);

  // For tests: the server's part of the nonce, instead of 18 random bytes in base64.
  // Call before ClientFirst.
  void SetServerNonceForTest(std::string nonce);

  // client-first-message (SASLInitialResponse's data) → server-first-message
  // "r=<client nonce><server nonce>,s=<base64 salt>,i=<iterations>". The gs2 header must be
  // "n,," or "y,,": "p=" (channel binding), an authorization identity ("a=") and a mandatory
  // extension ("m=") are refused as PostgreSQL refuses them. The user name attribute "n=" must be
  // present but its value is ignored (libpq sends it empty). Extensions after the nonce are
  // ignored.
  Result<std::string> ClientFirst(std::string_view message);

  // client-final-message (SASLResponse's data) → server-final-message "v=<base64
  // ServerSignature>". Checks that "c=" is the base64 of the gs2 header, "r=" the whole nonce
  // and "p=" (last) the proof; extensions between "r=" and "p=" are ignored.
  Result<std::string> ClientFinal(std::string_view message);

  // Whether ClientFinal accepted the proof.
  bool succeeded() const { return succeeded_; }

 private:
  enum class State { kStart, kFirstDone, kEnded };

  std::string user_;
  ScramVerifier verifier_;
  bool doomed_;  // mock authentication: no proof is accepted
  std::string server_nonce_;
  State state_ = State::kStart;
  bool succeeded_ = false;
  // Kept from ClientFirst for ClientFinal.
  std::string gs2_header_;
  std::string nonce_;               // client nonce + server nonce
  std::string auth_message_start_;  // client-first-message-bare "," server-first-message
};

}  // namespace laminar::auth
