// SCRAM-SHA-256 against RFC 7677's example exchange and a verifier PostgreSQL 15 made, with full
// exchanges driven by a small client written from RFC 5802 section 3.
#include "auth/scram.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "common/base64.h"

namespace laminar::auth {
namespace {

// RFC 7677 section 3.
constexpr const char* kRfcClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr const char* kRfcServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr const char* kRfcSalt = "W22ZaJ0SNY7soEsUEjb6gQ==";
constexpr const char* kRfcServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr const char* kRfcClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr const char* kRfcServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

// PostgreSQL 15: SET password_encryption = 'scram-sha-256'; CREATE ROLE u LOGIN PASSWORD 'secret';
// SELECT rolpassword FROM pg_authid WHERE rolname = 'u';
constexpr const char* kPostgresVerifier =
    "SCRAM-SHA-256$4096:fENfJLoAcJPwgSZdqYvXrA==$RHYp0xXNHXg3DQWx71reEIdySeR23J60K7Ami953Yis=:"
    "7eBakXE/oDC8FBZRKDbcfMFC5eUZ65Ay6VqetOcYX6c=";

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string Decode(std::string_view b64) { return Base64Decode(b64).value(); }

// The value of attribute `name` in a server-first-message.
std::string Attribute(std::string_view message, char name) {
  std::string prefix = std::string(1, name) + "=";
  size_t at = message.starts_with(prefix) ? 0 : message.find("," + prefix);
  if (at == std::string_view::npos) return "";
  size_t start = at == 0 ? 2 : at + 3;
  return std::string(message.substr(start, message.find(',', start) - start));
}

// The client's side: client-final-message for `password`, given the client-first-message it sent
// and the server's answer.
std::string ClientFinalFor(std::string_view password, std::string_view client_first,
                           std::string_view server_first) {
  std::string gs2_header(client_first.substr(0, 3));  // "n,," or "y,,"
  std::string salt = Decode(Attribute(server_first, 's'));
  int iterations = std::stoi(Attribute(server_first, 'i'));
  unsigned char salted[SHA256_DIGEST_LENGTH];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                    iterations, EVP_sha256(), sizeof salted, salted);
  std::string salted_password(reinterpret_cast<const char*>(salted), sizeof salted);
  std::string client_key = Hmac(salted_password, "Client Key");
  unsigned char stored_key[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(client_key.data()), client_key.size(), stored_key);

  std::string without_proof = "c=" + Base64Encode(gs2_header) + ",r=" + Attribute(server_first, 'r');
  std::string auth_message = std::string(client_first.substr(3)) + "," + std::string(server_first) +
                             "," + without_proof;
  std::string proof = Hmac(std::string_view(reinterpret_cast<char*>(stored_key), sizeof stored_key),
                           auth_message);
  for (size_t i = 0; i < proof.size(); i++) proof[i] ^= client_key[i];
  return without_proof + ",p=" + Base64Encode(proof);
}

// A whole exchange with `password` as libpq runs it (empty user name); the server's last answer.
Result<std::string> Authenticate(std::optional<ScramVerifier> verifier, std::string_view password) {
  ScramExchange exchange("u", std::move(verifier));
  std::string client_first = "n,,n=,r=fyko+d2lbbFgONRv9qkxdawL";
  Result<std::string> server_first = exchange.ClientFirst(client_first);
  if (!server_first.ok()) return server_first.status();
  std::string client_final = ClientFinalFor(password, client_first, *server_first);
  Result<std::string> server_final = exchange.ClientFinal(client_final);
  EXPECT_EQ(exchange.succeeded(), server_final.ok());
  return server_final;
}

void ExpectAuthenticationFailed(const Status& st, std::string_view user) {
  EXPECT_EQ(st.code(), StatusCode::kUnauthenticated) << st.ToString();
  EXPECT_EQ(st.error_code(), ErrorCode::kInvalidPassword);
  EXPECT_EQ(st.message(), fmt::format("password authentication failed for user \"{}\"", user));
}

void ExpectMalformed(const Status& st, std::string_view needle) {
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();
  EXPECT_EQ(st.error_code(), ErrorCode::kProtocolViolation);
  EXPECT_NE(st.message().find(needle), std::string::npos) << st.message();
}

ScramVerifier RfcVerifier() { return MakeVerifier("pencil", Decode(kRfcSalt), 4096); }

TEST(ScramTest, Rfc7677Example) {
  ScramExchange exchange("user", RfcVerifier());
  exchange.SetServerNonceForTest(kRfcServerNonce);
  auto server_first = exchange.ClientFirst(kRfcClientFirst);
  ASSERT_TRUE(server_first.ok()) << server_first.status().ToString();
  EXPECT_EQ(*server_first, kRfcServerFirst);
  EXPECT_FALSE(exchange.succeeded());

  // The test client agrees with the RFC too, so the other tests' exchanges mean something.
  EXPECT_EQ(ClientFinalFor("pencil", kRfcClientFirst, kRfcServerFirst), kRfcClientFinal);
  auto server_final = exchange.ClientFinal(kRfcClientFinal);
  ASSERT_TRUE(server_final.ok()) << server_final.status().ToString();
  EXPECT_EQ(*server_final, kRfcServerFinal);
  EXPECT_TRUE(exchange.succeeded());
}

TEST(ScramTest, VerifierRoundTrip) {
  ScramVerifier v = MakeVerifier("pencil");
  EXPECT_EQ(v.iterations, 4096);
  EXPECT_EQ(v.salt.size(), 16u);
  EXPECT_EQ(v.stored_key.size(), 32u);
  EXPECT_EQ(v.server_key.size(), 32u);
  std::string text = FormatVerifier(v);
  EXPECT_TRUE(text.starts_with("SCRAM-SHA-256$4096:")) << text;
  auto parsed = ParseVerifier(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, v);
  EXPECT_NE(MakeVerifier("pencil").salt, v.salt);  // a fresh salt each time

  EXPECT_EQ(FormatVerifier(MakeVerifier("pencil", Decode(kRfcSalt), 4096)),
            FormatVerifier(RfcVerifier()));
  EXPECT_EQ(MakeVerifier("pencil", "salt", 1).iterations, 1);
}

TEST(ScramTest, ParseVerifierErrors) {
  const std::string stored = "RHYp0xXNHXg3DQWx71reEIdySeR23J60K7Ami953Yis=";
  const std::pair<std::string, std::string> cases[] = {
      {"", "does not start with"},
      {"md5abcdef", "does not start with"},
      {"SCRAM-SHA-1$4096:c2FsdA==$" + stored + ":" + stored, "does not start with"},
      {"SCRAM-SHA-256$4096:c2FsdA==", "expected"},
      {"SCRAM-SHA-256$4096c2FsdA==$" + stored + ":" + stored, "expected"},
      {"SCRAM-SHA-256$4096:c2FsdA==$" + stored, "expected"},
      {"SCRAM-SHA-256$:c2FsdA==$" + stored + ":" + stored, "iteration count"},
      {"SCRAM-SHA-256$0:c2FsdA==$" + stored + ":" + stored, "iteration count"},
      {"SCRAM-SHA-256$-1:c2FsdA==$" + stored + ":" + stored, "iteration count"},
      {"SCRAM-SHA-256$40x:c2FsdA==$" + stored + ":" + stored, "iteration count"},
      {"SCRAM-SHA-256$99999999999:c2FsdA==$" + stored + ":" + stored, "iteration count"},
      {"SCRAM-SHA-256$4096:c2F!dA==$" + stored + ":" + stored, "the salt: not base64"},
      {"SCRAM-SHA-256$4096:$" + stored + ":" + stored, "the salt is 0 bytes"},
      {"SCRAM-SHA-256$4096:c2FsdA==$c2FsdA==:" + stored, "StoredKey is 4 bytes"},
      {"SCRAM-SHA-256$4096:c2FsdA==$" + stored + ":" + stored + ":" + stored, "ServerKey: not base64"},
      {"SCRAM-SHA-256$4096:c2FsdA==$" + stored + ":", "ServerKey is 0 bytes"},
  };
  for (const auto& [text, needle] : cases) {
    auto parsed = ParseVerifier(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_NE(parsed.status().message().find(needle), std::string::npos)
        << text << " → " << parsed.status().message();
    EXPECT_EQ(parsed.status().message().find(stored), std::string::npos);  // never echoes keys
  }
}

TEST(ScramTest, PostgresVerifier) {
  auto parsed = ParseVerifier(kPostgresVerifier);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->iterations, 4096);
  EXPECT_EQ(FormatVerifier(*parsed), kPostgresVerifier);
  EXPECT_EQ(MakeVerifier("secret", parsed->salt, 4096), *parsed);

  EXPECT_TRUE(Authenticate(*parsed, "secret").ok());
  ExpectAuthenticationFailed(Authenticate(*parsed, "wrong").status(), "u");
}

TEST(ScramTest, WrongPassword) {
  ScramExchange exchange("user", RfcVerifier());
  auto server_first = exchange.ClientFirst(kRfcClientFirst);
  ASSERT_TRUE(server_first.ok());
  auto server_final = exchange.ClientFinal(ClientFinalFor("pencil!", kRfcClientFirst, *server_first));
  ExpectAuthenticationFailed(server_final.status(), "user");
  EXPECT_FALSE(exchange.succeeded());
  // One try per exchange: the right proof now is too late.
  std::string right = ClientFinalFor("pencil", kRfcClientFirst, *server_first);
  ExpectMalformed(exchange.ClientFinal(right).status(), "out of order");
  EXPECT_FALSE(exchange.succeeded());
}

TEST(ScramTest, UnknownUserLooksLikeAWrongPassword) {
  auto server_first_for = [](std::string user) {
    ScramExchange exchange(std::move(user), std::nullopt);
    return exchange.ClientFirst(kRfcClientFirst).value();
  };
  std::string first = server_first_for("ghost");
  EXPECT_EQ(Attribute(first, 'r').size(), std::string("rOprNGfwEbeRWgbNEkqO").size() + 24);
  EXPECT_EQ(Decode(Attribute(first, 's')).size(), 16u);
  EXPECT_EQ(Attribute(first, 'i'), "4096");
  EXPECT_EQ(Attribute(first, 's'), Attribute(server_first_for("ghost"), 's'));  // stable
  EXPECT_NE(Attribute(first, 's'), Attribute(server_first_for("phantom"), 's'));

  // Same shape as a real user's.
  ScramExchange real("user", MakeVerifier("pencil"));
  std::string real_first = real.ClientFirst(kRfcClientFirst).value();
  EXPECT_EQ(Attribute(real_first, 's').size(), Attribute(first, 's').size());
  EXPECT_EQ(Attribute(real_first, 'r').size(), Attribute(first, 'r').size());

  for (const char* password : {"", "pencil", "secret"}) {
    ExpectAuthenticationFailed(Authenticate(std::nullopt, password).status(), "u");
  }
}

TEST(ScramTest, RandomServerNonce) {
  ScramExchange a("user", RfcVerifier());
  ScramExchange b("user", RfcVerifier());
  std::string nonce_a = Attribute(a.ClientFirst(kRfcClientFirst).value(), 'r');
  std::string nonce_b = Attribute(b.ClientFirst(kRfcClientFirst).value(), 'r');
  EXPECT_EQ(nonce_a.size(), 20u + 24u);  // 18 random bytes in base64 after the client's part
  EXPECT_TRUE(nonce_a.starts_with("rOprNGfwEbeRWgbNEkqO"));
  EXPECT_NE(nonce_a, nonce_b);
}

TEST(ScramTest, ClientFirstForms) {
  ScramVerifier v = RfcVerifier();
  for (const char* client_first : {"n,,n=,r=abc", "n,,n=*,r=abc", "n,,n=someone=2Celse,r=abc",
                                   "y,,n=,r=abc", "n,,n=,r=abc,x=ext"}) {
    ScramExchange exchange("user", v);
    auto server_first = exchange.ClientFirst(client_first);
    ASSERT_TRUE(server_first.ok()) << client_first << ": " << server_first.status().ToString();
    auto server_final = exchange.ClientFinal(ClientFinalFor("pencil", client_first, *server_first));
    EXPECT_TRUE(server_final.ok()) << client_first << ": " << server_final.status().ToString();
  }
}

TEST(ScramTest, ClientFirstErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "no gs2 header"},
      {"n", "no gs2 header"},
      {"p=tls-server-end-point,,n=,r=abc", "SCRAM-SHA-256-PLUS was not offered"},
      {"q,,n=,r=abc", "unknown channel binding flag"},
      {"n,a=admin,n=,r=abc", "authorization identity"},
      {"n,x,n=,r=abc", "unexpected attribute in the gs2 header"},
      {"n,,m=ext,n=,r=abc", "mandatory extension"},
      {"n,,r=abc", "expected attribute \"n=\""},
      {"n,,n=", "expected attribute \"r=\""},
      {"n,,n=,s=abc", "expected attribute \"r=\""},
      {"n,,n=,r=", "empty nonce"},
      {"n,,n=,r=a b", "non-printable"},
      {"n,,n=,r=abc,", "garbage after the nonce"},
      {"n,,n=,r=abc,junk", "garbage after the nonce"},
  };
  for (const auto& [message, needle] : cases) {
    ScramExchange exchange("user", RfcVerifier());
    auto server_first = exchange.ClientFirst(message);
    ASSERT_FALSE(server_first.ok()) << message;
    ExpectMalformed(server_first.status(), needle);
    ExpectMalformed(exchange.ClientFirst(kRfcClientFirst).status(), "out of order");
  }
}

TEST(ScramTest, ClientFinalErrors) {
  const std::string nonce = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  const std::string proof = "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  const std::pair<std::string, const char*> cases[] = {
      {"", "the proof (\"p=\") is not the last attribute"},
      {"c=biws," + nonce, "the proof (\"p=\") is not the last attribute"},
      {"c=biws," + proof + "," + nonce, "the proof (\"p=\") is not the last attribute"},
      {"c=biws," + nonce + ",p=c2FsdA==", "the proof is not 32 bytes"},
      {"c=biws," + nonce + ",p=!!!!", "the proof is not 32 bytes"},
      {nonce + "," + proof, "expected attribute \"c=\""},
      {"c=biws," + proof, "expected attribute \"r=\""},
      {"c=eSws," + nonce + "," + proof, "channel binding"},  // "y,," but the client sent "n,,"
      {"c=cCxuLA==," + nonce + "," + proof, "channel binding"},
      {"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k1," + proof, "nonce does not match"},
      {"c=biws,r=rOprNGfwEbeRWgbNEkqO," + proof, "nonce does not match"},
      {"c=biws," + nonce + ",junk," + proof, "garbage after the nonce"},
  };
  for (const auto& [message, needle] : cases) {
    ScramExchange exchange("user", RfcVerifier());
    exchange.SetServerNonceForTest(kRfcServerNonce);
    ASSERT_TRUE(exchange.ClientFirst(kRfcClientFirst).ok());
    auto server_final = exchange.ClientFinal(message);
    ASSERT_FALSE(server_final.ok()) << message;
    ExpectMalformed(server_final.status(), needle);
    EXPECT_FALSE(exchange.succeeded());
  }

  // An extension before the proof is part of the signed AuthMessage: one added after signing
  // spoils the proof.
  ScramExchange exchange("user", RfcVerifier());
  std::string client_first = "n,,n=,r=abc";
  std::string server_first = exchange.ClientFirst(client_first).value();
  std::string client_final = ClientFinalFor("pencil", client_first, server_first);
  std::string with_extension = client_final;
  with_extension.insert(client_final.rfind(",p="), ",x=ext");
  ExpectAuthenticationFailed(exchange.ClientFinal(with_extension).status(), "user");
}

TEST(ScramTest, OutOfOrder) {
  ScramExchange exchange("user", RfcVerifier());
  ExpectMalformed(exchange.ClientFinal(kRfcClientFinal).status(), "out of order");
  // A call out of order ends the exchange like any other error.
  ExpectMalformed(exchange.ClientFirst(kRfcClientFirst).status(), "out of order");

  ScramExchange twice("user", RfcVerifier());
  twice.SetServerNonceForTest(kRfcServerNonce);
  ASSERT_TRUE(twice.ClientFirst(kRfcClientFirst).ok());
  ExpectMalformed(twice.ClientFirst(kRfcClientFirst).status(), "out of order");

  ScramExchange done("user", RfcVerifier());
  done.SetServerNonceForTest(kRfcServerNonce);
  ASSERT_TRUE(done.ClientFirst(kRfcClientFirst).ok());
  ASSERT_TRUE(done.ClientFinal(kRfcClientFinal).ok());
  ExpectMalformed(done.ClientFinal(kRfcClientFinal).status(), "out of order");
  EXPECT_TRUE(done.succeeded());  // a late call does not undo a success
}

}  // namespace
}  // namespace laminar::auth
