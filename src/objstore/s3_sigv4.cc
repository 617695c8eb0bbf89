#include "objstore/s3_sigv4.h"
#include "common/strings.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace laminar::objstore::s3 {

std::string HexEncode(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr);
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::Update(std::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}

std::string Sha256::HexDigest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), md, &len);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(md), len));
}

std::string Sha256Hex(std::string_view data) {
  Sha256 h;
  h.Update(data);
  return h.HexDigest();
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string UriEncode(std::string_view s, bool encode_slash) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3 / 2);
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (c == '/' && !encode_slash)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string AmzDate(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

namespace {

// Trims leading and trailing whitespace and collapses inner runs of spaces to one space.
std::string CanonicalHeaderValue(std::string_view v) {
  std::string out;
  bool pending_space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string Scope(std::string_view amz_date, const SigningCredentials& creds) {
  return std::string(amz_date.substr(0, 8)) + "/" + creds.region + "/" + creds.service +
         "/aws4_request";
}

}  // namespace

std::string CanonicalRequest(const SigningInput& in, std::string* signed_headers) {
  std::vector<std::pair<std::string, std::string>> query;
  query.reserve(in.query.size());
  for (const auto& [k, v] : in.query) query.emplace_back(UriEncode(k, true), UriEncode(v, true));
  std::sort(query.begin(), query.end());

  // Header names lowercased and sorted; repeated names join their values with ','.
  std::map<std::string, std::string> headers;
  for (const auto& [k, v] : in.headers) {
    std::string name = Lower(k);
    std::string value = CanonicalHeaderValue(v);
    auto it = headers.find(name);
    if (it == headers.end()) {
      headers.emplace(std::move(name), std::move(value));
    } else {
      it->second += ",";
      it->second += value;
    }
  }

  std::string out = in.method;
  out += '\n';
  out += in.canonical_uri.empty() ? "/" : in.canonical_uri;
  out += '\n';
  for (size_t i = 0; i < query.size(); ++i) {
    if (i) out += '&';
    out += query[i].first;
    out += '=';
    out += query[i].second;
  }
  out += '\n';
  std::string names;
  for (const auto& [k, v] : headers) {
    out += k;
    out += ':';
    out += v;
    out += '\n';
    if (!names.empty()) names += ';';
    names += k;
  }
  out += '\n';
  out += names;
  out += '\n';
  out += in.payload_hash;
  if (signed_headers) *signed_headers = std::move(names);
  return out;
}

std::string StringToSign(const SigningInput& in, const SigningCredentials& creds,
                         const std::string& canonical_request) {
  return "AWS4-HMAC-SHA256\n" + in.amz_date + "\n" + Scope(in.amz_date, creds) + "\n" +
         Sha256Hex(canonical_request);
}

std::string SigningKey(std::string_view secret, std::string_view date, std::string_view region,
                       std::string_view service) {
  std::string k = HmacSha256("AWS4" + std::string(secret), date);
  k = HmacSha256(k, region);
  k = HmacSha256(k, service);
  return HmacSha256(k, "aws4_request");
}

std::string AuthorizationHeader(const SigningInput& in, const SigningCredentials& creds) {
  std::string signed_headers;
  std::string canonical = CanonicalRequest(in, &signed_headers);
  std::string to_sign = StringToSign(in, creds, canonical);
  std::string key = SigningKey(creds.secret_access_key, std::string_view(in.amz_date).substr(0, 8),
                               creds.region, creds.service);
  std::string signature = HexEncode(HmacSha256(key, to_sign));
  return "AWS4-HMAC-SHA256 Credential=" + creds.access_key_id + "/" + Scope(in.amz_date, creds) +
         ",SignedHeaders=" + signed_headers + ",Signature=" + signature;
}

}  // namespace laminar::objstore::s3
