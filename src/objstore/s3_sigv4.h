// AWS Signature Version 4: objstore signs its S3 requests with it, sources/kinesis_source.cc its
// Kinesis calls (SigningCredentials::service), the engine hashes Idempotency-Key bodies.
//
// Written from AWS's public description of SigV4 header-based authentication: a canonical request
// (method, URI-encoded path, sorted URI-encoded query, lowercased sorted headers, signed header
// list, payload hash) is hashed into a string to sign, which is signed with a key derived from the
// secret by HMAC-SHA256 over date, region, service and "aws4_request".
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace laminar::objstore::s3 {

// SHA256 of `data`, lowercase hex (64 characters).
std::string Sha256Hex(std::string_view data);
// Raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);
// Lowercase hex of raw bytes.
std::string HexEncode(std::string_view bytes);

// Incremental SHA256 (for hashing a file region without holding it in memory).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  std::string HexDigest();  // finishes; call once

 private:
  void* ctx_;  // EVP_MD_CTX*
};

// SigV4 URI encoding: A-Z a-z 0-9 - . _ ~ are kept, every other byte is %XX (uppercase hex).
// '/' is kept when `encode_slash` is false (object key paths), encoded otherwise (query values).
std::string UriEncode(std::string_view s, bool encode_slash);

// "20130524T000000Z" for a UNIX time.
std::string AmzDate(std::time_t t);

struct SigningInput {
  std::string method;         // "GET"
  std::string canonical_uri;  // the request path, already URI-encoded ("/bucket/a%20b")
  std::vector<std::pair<std::string, std::string>> query;    // raw (not encoded) names and values
  std::vector<std::pair<std::string, std::string>> headers;  // headers to sign, any name case
  std::string payload_hash;   // hex SHA256 of the body, or "UNSIGNED-PAYLOAD"
  std::string amz_date;       // the x-amz-date value, "YYYYMMDDTHHMMSSZ"
};

struct SigningCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string region;
  std::string service = "s3";
};

// The canonical request text; `signed_headers` receives "host;x-amz-date;...".
std::string CanonicalRequest(const SigningInput& in, std::string* signed_headers);
// "AWS4-HMAC-SHA256\n<date>\n<scope>\n<hex sha256 of the canonical request>".
std::string StringToSign(const SigningInput& in, const SigningCredentials& creds,
                         const std::string& canonical_request);
// The raw derived signing key for a date ("YYYYMMDD").
std::string SigningKey(std::string_view secret, std::string_view date, std::string_view region,
                       std::string_view service);
// The value of the Authorization header:
// "AWS4-HMAC-SHA256 Credential=<id>/<scope>,SignedHeaders=<list>,Signature=<hex>".
std::string AuthorizationHeader(const SigningInput& in, const SigningCredentials& creds);

}  // namespace laminar::objstore::s3
