// The S3 ObjectStore: libcurl easy handles (a small pool guarded by a mutex), requests signed by
// our own SigV4 signer (s3_sigv4.h), path-style or virtual-hosted addressing, retries with
// exponential backoff and jitter, multipart uploads streamed from the file, conditional PUT
// (`If-None-Match: *`) for PutIfAbsent, and server-side encryption headers (SSE-S3, SSE-KMS) on the
// requests that create objects. See README.md in this folder for the behaviour.
#include <curl/curl.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "objstore/object_store.h"
#include "objstore/s3_sigv4.h"
#include "objstore/s3_store.h"
#include "objstore/s3_xml.h"
#include "common/strings.h"

namespace laminar::objstore {
namespace {

constexpr uint64_t kMinPartSize = 5ull << 20;
constexpr uint64_t kMaxParts = 10000;
constexpr int kMaxBackoffMs = 5000;
constexpr const char* kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kSseS3 = "AES256";
constexpr const char* kSseKms = "aws:kms";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// What a request sends: nothing, a memory buffer, or a region of an open file.
struct Body {
  std::string_view data;
  int fd = -1;
  uint64_t offset = 0;
  uint64_t length = 0;

  static Body Memory(std::string_view d) {
    Body b;
    b.data = d;
    b.length = d.size();
    return b;
  }
  static Body File(int fd, uint64_t offset, uint64_t length) {
    Body b;
    b.fd = fd;
    b.offset = offset;
    b.length = length;
    return b;
  }
};

// Reads [offset, offset + length) of `fd` into the hasher, in 1 MiB pieces.
Result<std::string> HashFileRegion(int fd, uint64_t offset, uint64_t length,
                                   const std::string& path) {
  s3::Sha256 h;
  std::string buf(std::min<uint64_t>(length, 1 << 20), '\0');
  uint64_t done = 0;
  while (done < length) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), length - done));
    ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return IOError("read {}: {}", path, std::strerror(errno));
    }
    if (n == 0) return IOError("read {}: the file shrank while being uploaded", path);
    h.Update(std::string_view(buf.data(), static_cast<size_t>(n)));
    done += static_cast<uint64_t>(n);
  }
  return h.HexDigest();
}

struct Request {
  std::string op;       // for messages: "PUT", "GET", "LIST", "UploadPart 3", ...
  std::string method;   // HTTP method
  std::string key;      // full S3 key ("" for bucket-level requests)
  std::vector<std::pair<std::string, std::string>> query;    // raw names and values
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (signed)
  std::string content_type;  // POST bodies (not signed)
  Body body;
  std::string payload_hash;  // hex SHA256 of the body; computed from memory bodies when empty
  uint64_t max_response_bytes = UINT64_MAX;
  bool long_running = false;       // no total time limit (stall detection only)
  bool error_in_200_retries = false;  // CompleteMultipartUpload: a 200 may carry an <Error>
};

struct Response {
  long status = 0;
  std::string body;
  std::string etag;
  std::optional<uint64_t> content_length;
  bool too_large = false;
};

struct Outcome {
  Response response;
  int attempts = 0;
  // An earlier attempt failed in a way that may have taken effect on the server (a 5xx, a
  // timeout, a connection lost after sending): a 412 or NoSuchUpload may be our own doing.
  bool ambiguous = false;
};

// Per-transfer state handed to curl's callbacks.
struct Transfer {
  const Body* body = nullptr;
  uint64_t pos = 0;
  int read_errno = 0;
  Response* response = nullptr;
  uint64_t max_bytes = UINT64_MAX;
};

size_t ReadCallback(char* buf, size_t size, size_t nitems, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  const Body& b = *t->body;
  uint64_t remaining = b.length - t->pos;
  size_t n = static_cast<size_t>(std::min<uint64_t>(remaining, size * nitems));
  if (n == 0) return 0;
  if (b.fd < 0) {
    std::memcpy(buf, b.data.data() + t->pos, n);
  } else {
    ssize_t got;
    do {
      got = ::pread(b.fd, buf, n, static_cast<off_t>(b.offset + t->pos));
    } while (got < 0 && errno == EINTR);
    if (got <= 0) {
      t->read_errno = got < 0 ? errno : EIO;
      return CURL_READFUNC_ABORT;
    }
    n = static_cast<size_t>(got);
  }
  t->pos += n;
  return n;
}

int SeekCallback(void* userdata, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(userdata);
  if (origin != SEEK_SET || offset < 0 || static_cast<uint64_t>(offset) > t->body->length) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  t->pos = static_cast<uint64_t>(offset);
  return CURL_SEEKFUNC_OK;
}

size_t WriteCallback(char* ptr, size_t size, size_t nmemb, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  size_t n = size * nmemb;
  if (t->response->body.size() + n > t->max_bytes) {
    t->response->too_large = true;
    return 0;  // aborts the transfer
  }
  t->response->body.append(ptr, n);
  return n;
}

size_t HeaderCallback(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  size_t n = size * nitems;
  std::string_view line(buffer, n);
  if (line.substr(0, 5) == "HTTP/") {  // a new response (after a redirect or 100)
    t->response->etag.clear();
    t->response->content_length.reset();
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name = Lower(Trim(line.substr(0, colon)));
  std::string_view value = Trim(line.substr(colon + 1));
  if (name == "etag") {
    t->response->etag = std::string(value);
  } else if (name == "content-length") {
    uint64_t v = std::strtoull(std::string(value).c_str(), nullptr, 10);
    t->response->content_length = v;
    if (v > t->max_bytes) {
      t->response->too_large = true;
      return 0;
    }
  }
  return n;
}

bool RetryableCurlError(CURLcode cc) {
  switch (cc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SEND_FAIL_REWIND:
      return true;
    default:
      return false;
  }
}

// A failed attempt that never reached the server cannot have taken effect.
bool CurlErrorMayHaveReachedServer(CURLcode cc) {
  return cc != CURLE_COULDNT_RESOLVE_HOST && cc != CURLE_COULDNT_CONNECT;
}

const char* ReasonPhrase(long status) {
  switch (status) {
    case 400: return "BadRequest";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 405: return "MethodNotAllowed";
    case 409: return "Conflict";
    case 412: return "PreconditionFailed";
    case 429: return "TooManyRequests";
    case 500: return "InternalError";
    case 501: return "NotImplemented";
    case 503: return "ServiceUnavailable";
    default: return "HTTPError";
  }
}

class CurlPool {
 public:
  ~CurlPool() {
    for (CURL* h : idle_) curl_easy_cleanup(h);
  }
  CURL* Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        CURL* h = idle_.back();
        idle_.pop_back();
        return h;
      }
    }
    return curl_easy_init();
  }
  void Release(CURL* h) {
    curl_easy_reset(h);  // keeps the connection cache
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < kMaxIdle) {
      idle_.push_back(h);
      return;
    }
    curl_easy_cleanup(h);
  }

 private:
  static constexpr size_t kMaxIdle = 16;
  std::mutex mu_;
  std::vector<CURL*> idle_;
};

struct Endpoint {
  std::string scheme;    // "http" or "https"
  std::string hostport;  // "127.0.0.1:4568"
};

Result<Endpoint> ParseEndpoint(const std::string& endpoint) {
  Endpoint e;
  std::string_view s = endpoint;
  size_t sep = s.find("://");
  if (sep == std::string_view::npos) {
    return InvalidArgument("S3 endpoint '{}' is not a URL (want http://host:port or https://host)",
                           endpoint);
  }
  e.scheme = Lower(s.substr(0, sep));
  if (e.scheme != "http" && e.scheme != "https") {
    return InvalidArgument("S3 endpoint '{}': the scheme must be http or https", endpoint);
  }
  std::string_view rest = s.substr(sep + 3);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) return InvalidArgument("S3 endpoint '{}' has no host", endpoint);
  if (rest.find_first_of("/?#@ ") != std::string_view::npos) {
    return InvalidArgument("S3 endpoint '{}' must be scheme://host[:port] without a path",
                           endpoint);
  }
  e.hostport = Lower(rest);
  return e;
}

class S3Store final : public ObjectStore {
 public:
  S3Store(S3Options options, Endpoint endpoint, S3TestHooks hooks)
      : o_(std::move(options)), endpoint_(std::move(endpoint)), hooks_(hooks) {
    creds_.access_key_id = o_.access_key_id;
    creds_.secret_access_key = o_.secret_access_key;
    creds_.region = o_.region;
    creds_.service = "s3";
  }

  std::string url() const override {
    return o_.prefix.empty() ? "s3://" + o_.bucket : "s3://" + o_.bucket + "/" + o_.prefix;
  }

  Status Put(const std::string& key, std::string_view data) override {
    RETURN_IF_ERROR(ValidateKey(key));
    Request r = ObjectRequest("PUT", "PUT", key);
    AddSseHeaders(&r);
    r.body = Body::Memory(data);
    r.long_running = data.size() > (1u << 20);
    ASSIGN_OR_RETURN(Outcome out, Execute(r));
    if (out.response.status == 200) return Status::OK();
    return HttpError(r, out);
  }

  Status PutIfAbsent(const std::string& key, std::string_view data) override {
    RETURN_IF_ERROR(ValidateKey(key));
    Request r = ObjectRequest("PUT (If-None-Match)", "PUT", key);
    AddSseHeaders(&r);
    r.body = Body::Memory(data);
    r.headers.emplace_back("if-none-match", "*");
    r.long_running = data.size() > (1u << 20);
    ASSIGN_OR_RETURN(Outcome out, Execute(r));
    if (out.response.status == 200) return Status::OK();
    if (out.response.status == 412) {
      if (out.ambiguous) {
        // An earlier attempt may have stored the object before failing on the way back: the
        // object is ours when it holds exactly our bytes.
        auto existing = Get(key);
        if (existing.ok() && *existing == data) return Status::OK();
      }
      return AlreadyExists("S3 object {} exists already", ObjectUrl(r.key));
    }
    return HttpError(r, out);
  }

  Status Upload(const std::string& key, const std::string& local_path) override {
    Status st = UploadImpl(key, local_path);
    if (::unlink(local_path.c_str()) != 0 && errno != ENOENT && st.ok()) {
      spdlog::warn("S3 upload: could not remove {}: {}", local_path, std::strerror(errno));
    }
    return st;
  }

  Result<std::string> Get(const std::string& key) const override {
    RETURN_IF_ERROR(ValidateKey(key));
    Request r = ObjectRequest("GET", "GET", key);
    r.max_response_bytes = o_.max_object_bytes;
    r.long_running = true;
    ASSIGN_OR_RETURN(Outcome out, Execute(r));
    if (out.response.status == 200) return std::move(out.response.body);
    if (out.response.status == 404) {
      s3::ErrorInfo e = s3::ParseError(out.response.body);
      if (e.code.empty() || e.code == "NoSuchKey") {
        return NotFound("S3 object {} not found", ObjectUrl(r.key));
      }
    }
    return HttpError(r, out);
  }

  Result<std::vector<ObjectInfo>> List(const std::string& prefix) const override {
    if (prefix.find('\0') != std::string::npos) {
      return InvalidArgument("S3 list: the prefix holds a NUL byte");
    }
    std::string root = o_.prefix.empty() ? "" : o_.prefix + "/";
    std::string full_prefix = root + prefix;
    std::vector<ObjectInfo> out;
    std::string token;
    for (;;) {
      Request r;
      r.op = "LIST";
      r.method = "GET";
      r.query.emplace_back("list-type", "2");
      if (!full_prefix.empty()) r.query.emplace_back("prefix", full_prefix);
      if (!token.empty()) r.query.emplace_back("continuation-token", token);
      if (hooks_.list_page_size > 0) {
        r.query.emplace_back("max-keys", std::to_string(hooks_.list_page_size));
      }
      r.long_running = true;
      ASSIGN_OR_RETURN(Outcome res, Execute(r));
      if (res.response.status != 200) return HttpError(r, res, full_prefix + "*");
      auto page = s3::ParseListPage(res.response.body);
      if (!page.ok()) {
        return page.status().WithContext("S3 LIST " + ObjectUrl(full_prefix) + "*");
      }
      for (auto& e : page->entries) {
        if (e.key.compare(0, root.size(), root) != 0) continue;
        out.push_back(ObjectInfo{e.key.substr(root.size()), e.size});
      }
      if (!page->truncated) break;
      if (page->next_token == token) {
        return Corruption("S3 LIST {}*: the continuation token did not advance",
                          ObjectUrl(full_prefix));
      }
      token = page->next_token;
    }
    std::sort(out.begin(), out.end(),
              [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    return out;
  }

  Status Delete(const std::string& key) override {
    RETURN_IF_ERROR(ValidateKey(key));
    Request r = ObjectRequest("DELETE", "DELETE", key);
    ASSIGN_OR_RETURN(Outcome out, Execute(r));
    long s = out.response.status;
    if (s == 200 || s == 204 || s == 404) return Status::OK();
    return HttpError(r, out);
  }

  std::string LocalPath(const std::string& key) const override { return ""; }

 private:
  std::string FullKey(const std::string& key) const {
    return o_.prefix.empty() ? key : o_.prefix + "/" + key;
  }
  std::string ObjectUrl(const std::string& full_key) const {
    return "s3://" + o_.bucket + "/" + full_key;
  }

  Request ObjectRequest(std::string op, std::string method, const std::string& key) const {
    Request r;
    r.op = std::move(op);
    r.method = std::move(method);
    r.key = FullKey(key);
    return r;
  }

  // The server-side encryption headers, for the requests that create an object: PutObject (plain
  // and conditional) and CreateMultipartUpload. They are x-amz-* headers, so S3 requires them
  // signed: Perform signs every header in Request::headers. GET and HEAD need none (S3 decrypts
  // SSE-S3 and SSE-KMS objects by itself, and rejects these headers there).
  void AddSseHeaders(Request* r) const {
    if (o_.sse.empty()) return;
    r->headers.emplace_back("x-amz-server-side-encryption", o_.sse);
    if (!o_.sse_kms_key_id.empty()) {
      r->headers.emplace_back("x-amz-server-side-encryption-aws-kms-key-id", o_.sse_kms_key_id);
    }
  }

  Status UploadImpl(const std::string& key, const std::string& local_path) {
    RETURN_IF_ERROR(ValidateKey(key));
    int fd = ::open(local_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return IOError("S3 upload: open {}: {}", local_path, std::strerror(errno));
    struct stat st {};
    Status result;
    if (::fstat(fd, &st) != 0) {
      result = IOError("S3 upload: stat {}: {}", local_path, std::strerror(errno));
    } else {
      uint64_t size = static_cast<uint64_t>(st.st_size);
      result = size <= o_.multipart_threshold ? PutFile(key, fd, size, local_path)
                                              : MultipartUpload(key, fd, size, local_path);
    }
    ::close(fd);
    return result;
  }

  Status PutFile(const std::string& key, int fd, uint64_t size, const std::string& path) {
    Request r = ObjectRequest("PUT", "PUT", key);
    AddSseHeaders(&r);
    r.body = Body::File(fd, 0, size);
    ASSIGN_OR_RETURN(r.payload_hash, HashFileRegion(fd, 0, size, path));
    r.long_running = size > (1u << 20);
    ASSIGN_OR_RETURN(Outcome out, Execute(r));
    if (out.response.status == 200) return Status::OK();
    return HttpError(r, out);
  }

  Status MultipartUpload(const std::string& key, int fd, uint64_t size, const std::string& path) {
    uint64_t part_size = std::max<uint64_t>(o_.part_size, (size + kMaxParts - 1) / kMaxParts);
    std::string full_key = FullKey(key);

    Request init = ObjectRequest("CreateMultipartUpload", "POST", key);
    init.query.emplace_back("uploads", "");
    init.content_type = "application/octet-stream";
    // The object's encryption is fixed here; S3 refuses these headers on UploadPart and
    // CompleteMultipartUpload (they are only for SSE-C there), so those steps carry none.
    AddSseHeaders(&init);
    ASSIGN_OR_RETURN(Outcome created, Execute(init));
    if (created.response.status != 200) return HttpError(init, created);
    auto upload_id = s3::XmlFirst(created.response.body, "UploadId");
    if (!upload_id || upload_id->empty()) {
      return IOError("S3 CreateMultipartUpload {}: the response has no UploadId",
                     ObjectUrl(full_key));
    }

    Status st = UploadParts(key, *upload_id, fd, size, part_size, path);
    if (!st.ok()) {
      Abort(key, *upload_id);
      return st;
    }
    return Status::OK();
  }

  Status UploadParts(const std::string& key, const std::string& upload_id, int fd, uint64_t size,
                     uint64_t part_size, const std::string& path) {
    std::string complete = "<CompleteMultipartUpload>";
    uint64_t parts = (size + part_size - 1) / part_size;
    for (uint64_t n = 1; n <= parts; ++n) {
      uint64_t offset = (n - 1) * part_size;
      uint64_t len = std::min(part_size, size - offset);
      Request r = ObjectRequest("UploadPart " + std::to_string(n), "PUT", key);
      r.query.emplace_back("partNumber", std::to_string(n));
      r.query.emplace_back("uploadId", upload_id);
      r.body = Body::File(fd, offset, len);
      ASSIGN_OR_RETURN(r.payload_hash, HashFileRegion(fd, offset, len, path));
      r.long_running = true;
      ASSIGN_OR_RETURN(Outcome out, Execute(r));
      if (out.response.status != 200) return HttpError(r, out);
      if (out.response.etag.empty()) {
        return IOError("S3 UploadPart {} {}: the response has no ETag", n, ObjectUrl(r.key));
      }
      complete += "<Part><PartNumber>" + std::to_string(n) + "</PartNumber><ETag>" +
                  s3::XmlEscape(out.response.etag) + "</ETag></Part>";
    }
    complete += "</CompleteMultipartUpload>";

    Request r = ObjectRequest("CompleteMultipartUpload", "POST", key);
    r.query.emplace_back("uploadId", upload_id);
    r.body = Body::Memory(complete);
    r.content_type = "application/xml";
    r.long_running = true;  // S3 may take minutes, sending whitespace meanwhile
    r.error_in_200_retries = true;
    ASSIGN_OR_RETURN(Outcome out, Execute(r));
    if (out.response.status == 200) return Status::OK();
    if (out.response.status == 404 && out.ambiguous &&
        s3::ParseError(out.response.body).code == "NoSuchUpload") {
      // An earlier attempt may have completed the upload before its answer was lost: accept the
      // object when it is there with the right size.
      Request head = ObjectRequest("HEAD", "HEAD", key);
      ASSIGN_OR_RETURN(Outcome h, Execute(head));
      if (h.response.status == 200 && h.response.content_length == size) return Status::OK();
    }
    return HttpError(r, out);
  }

  void Abort(const std::string& key, const std::string& upload_id) {
    Request r = ObjectRequest("AbortMultipartUpload", "DELETE", key);
    r.query.emplace_back("uploadId", upload_id);
    auto out = Execute(r);
    if (!out.ok() || (out->response.status != 204 && out->response.status != 200 &&
                      out->response.status != 404)) {
      spdlog::warn("S3 AbortMultipartUpload {} (upload {}) failed; a bucket lifecycle rule for "
                   "incomplete multipart uploads cleans it up",
                   ObjectUrl(r.key), upload_id);
    }
  }

  // The error for a final, unwanted response: names the operation, the object and S3's code.
  Status HttpError(const Request& r, const Outcome& out, const std::string& what = "") const {
    const Response& resp = out.response;
    s3::ErrorInfo e = s3::ParseError(resp.body);
    std::string code = e.code.empty() ? ReasonPhrase(resp.status) : e.code;
    std::string object = ObjectUrl(what.empty() ? r.key : what);
    std::string detail = e.message.empty() ? code : code + ": " + e.message;
    std::string attempts =
        out.attempts > 1 ? fmt::format(" (after {} attempts)", out.attempts) : std::string();
    if (resp.status == 403) {
      // With SSE-KMS, a write also needs kms:GenerateDataKey on the key and a read kms:Decrypt:
      // S3 answers AccessDenied when the key policy is what is missing.
      const char* check = o_.sse == kSseKms
                              ? "the credentials, the bucket policy and the KMS key policy"
                              : "the credentials and the bucket policy";
      return IOError("S3 denied {} {}: 403 {} (check {})", r.op, object, detail, check);
    }
    return IOError("S3 {} {} failed: {} {}{}", r.op, object, resp.status, detail, attempts);
  }

  // Runs `r` with retries on 5xx, 429, 409 ConditionalRequestConflict, 400 RequestTimeout,
  // timeouts and connection errors. Returns the first response that is not retried (any status),
  // or IOError when the retries ran out; ResourceExhausted when the response exceeded
  // r.max_response_bytes.
  Result<Outcome> Execute(const Request& r) const {
    Outcome out;
    std::string payload_hash = r.payload_hash;
    if (payload_hash.empty()) {
      payload_hash = r.body.fd < 0 && r.body.length > 0 ? s3::Sha256Hex(r.body.data) : kEmptySha256;
    }
    std::string object = ObjectUrl(r.key);
    for (int attempt = 0;; ++attempt) {
      out.attempts = attempt + 1;
      bool last = attempt >= o_.max_retries;
      Response resp;
      CURLcode cc = Perform(r, payload_hash, &resp);
      std::string why;
      if (cc != CURLE_OK) {
        if (resp.too_large) {
          return ResourceExhausted("S3 {} {}: the object is larger than max_object_bytes ({})",
                                   r.op, object, r.max_response_bytes);
        }
        if (!RetryableCurlError(cc)) {
          return IOError("S3 {} {} failed: {}", r.op, object, curl_easy_strerror(cc));
        }
        if (CurlErrorMayHaveReachedServer(cc)) out.ambiguous = true;
        why = curl_easy_strerror(cc);
        if (last) {
          return IOError("S3 {} {} failed: {} (after {} attempts)", r.op, object, why,
                         out.attempts);
        }
      } else {
        bool retry = false;
        long s = resp.status;
        if (s >= 500 || s == 429) {
          retry = true;
          if (s >= 500) out.ambiguous = true;
        } else if (s == 409 || s == 400) {
          std::string code = s3::ParseError(resp.body).code;
          retry = code == "ConditionalRequestConflict" || code == "RequestTimeout" ||
                  code == "OperationAborted";
        } else if (s == 200 && r.error_in_200_retries) {
          std::string code = s3::ParseError(resp.body).code;
          if (!code.empty()) {
            retry = true;
            out.ambiguous = true;
            if (last) resp.status = 500;  // reported as the failure it is
          }
        }
        if (!retry || last) {
          out.response = std::move(resp);
          return out;
        }
        why = fmt::format("HTTP {}", s);
      }
      int delay = Backoff(attempt);
      spdlog::debug("S3 {} {}: {}; retry {} of {} in {} ms", r.op, object, why, attempt + 1,
                    o_.max_retries, delay);
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    }
  }

  int Backoff(int attempt) const {
    int64_t d = static_cast<int64_t>(std::max(o_.retry_base_ms, 1));
    for (int i = 0; i < attempt && d < kMaxBackoffMs; ++i) d *= 2;
    d = std::min<int64_t>(d, kMaxBackoffMs);
    thread_local std::mt19937_64 rng(std::random_device{}() ^
                                     std::hash<std::thread::id>()(std::this_thread::get_id()));
    // "Equal jitter": half the delay fixed, half random.
    std::uniform_int_distribution<int64_t> jitter(0, d / 2);
    return static_cast<int>(d - d / 2 + jitter(rng));
  }

  // One HTTP exchange. Returns curl's result; `resp` gets the status, body and headers.
  CURLcode Perform(const Request& r, const std::string& payload_hash, Response* resp) const {
    // Path and host for the addressing style.
    std::string encoded_key = s3::UriEncode(r.key, /*encode_slash=*/false);
    std::string host = endpoint_.hostport;
    std::string path;
    if (o_.path_style) {
      path = "/" + s3::UriEncode(o_.bucket, true);
      if (!r.key.empty()) path += "/" + encoded_key;
    } else {
      host = o_.bucket + "." + host;
      path = "/" + encoded_key;
    }
    std::vector<std::pair<std::string, std::string>> query = r.query;
    std::sort(query.begin(), query.end());
    std::string url = endpoint_.scheme + "://" + host + path;
    for (size_t i = 0; i < query.size(); ++i) {
      url += i == 0 ? '?' : '&';
      url += s3::UriEncode(query[i].first, true) + "=" + s3::UriEncode(query[i].second, true);
    }

    s3::SigningInput in;
    in.method = r.method;
    in.canonical_uri = path;
    in.query = query;
    in.payload_hash = payload_hash;
    in.amz_date = s3::AmzDate(std::time(nullptr));
    in.headers.emplace_back("host", host);
    in.headers.emplace_back("x-amz-content-sha256", payload_hash);
    in.headers.emplace_back("x-amz-date", in.amz_date);
    if (!o_.session_token.empty()) in.headers.emplace_back("x-amz-security-token", o_.session_token);
    for (const auto& h : r.headers) in.headers.push_back(h);
    std::string authorization = s3::AuthorizationHeader(in, creds_);
    if (hooks_.on_request) {
      S3SentRequest sent;
      sent.op = r.op;
      sent.method = r.method;
      sent.target = url.substr(endpoint_.scheme.size() + 3 + host.size());
      for (const auto& [k, v] : in.headers) sent.headers.emplace_back(Lower(k), v);
      sent.headers.emplace_back("authorization", authorization);
      if (!r.content_type.empty()) sent.headers.emplace_back("content-type", r.content_type);
      hooks_.on_request(sent);
    }

    curl_slist* headers = nullptr;
    for (const auto& [k, v] : in.headers) {
      headers = curl_slist_append(headers, (k + ": " + v).c_str());
    }
    headers = curl_slist_append(headers, ("Authorization: " + authorization).c_str());
    headers = curl_slist_append(headers, "Expect:");
    headers = curl_slist_append(headers, "Accept:");
    if (!r.content_type.empty()) {
      headers = curl_slist_append(headers, ("Content-Type: " + r.content_type).c_str());
    }

    Transfer t;
    t.body = &r.body;
    t.response = resp;
    t.max_bytes = r.max_response_bytes;

    CURL* h = pool_.Acquire();
    if (h == nullptr) {
      curl_slist_free_all(headers);
      return CURLE_OUT_OF_MEMORY;
    }
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o_.connect_timeout_ms));
    // Stall detection for every request: abort when under 1 byte/s for request_timeout.
    long stall_s = std::max(1L, static_cast<long>((o_.request_timeout_ms + 999) / 1000));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, stall_s);
    if (!r.long_running) {
      curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(o_.request_timeout_ms));
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, WriteCallback);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, HeaderCallback);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    if (r.method == "PUT") {
      curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(r.body.length));
    } else if (r.method == "POST") {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.length));
    } else if (r.method == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (r.method != "GET") {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    }
    if (r.method == "PUT" || r.method == "POST") {
      curl_easy_setopt(h, CURLOPT_READFUNCTION, ReadCallback);
      curl_easy_setopt(h, CURLOPT_READDATA, &t);
      curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, SeekCallback);
      curl_easy_setopt(h, CURLOPT_SEEKDATA, &t);
    }

    CURLcode cc = curl_easy_perform(h);
    if (cc == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
      resp->status = status;
    } else if (cc == CURLE_ABORTED_BY_CALLBACK && t.read_errno != 0) {
      spdlog::warn("S3 {}: reading the upload source failed: {}", r.op,
                   std::strerror(t.read_errno));
    }
    pool_.Release(h);
    curl_slist_free_all(headers);
    return cc;
  }

  const S3Options o_;
  const Endpoint endpoint_;
  const S3TestHooks hooks_;
  s3::SigningCredentials creds_;
  mutable CurlPool pool_;
};

bool ValidBucketName(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return alnum(b.front()) && alnum(b.back());
}

// The values S3 accepts, checked here so a typo fails at start rather than as a 400 on the first
// write. Exact spelling: S3 compares these header values case-sensitively.
Status CheckSse(const S3Options& o) {
  if (!o.sse.empty() && o.sse != kSseS3 && o.sse != kSseKms) {
    return InvalidArgument(
        "S3: sse \"{}\" is not supported (want \"\" for none, \"AES256\" for SSE-S3 or "
        "\"aws:kms\" for SSE-KMS; SSE-C is not supported)",
        o.sse);
  }
  if (o.sse_kms_key_id.empty()) return Status::OK();
  if (o.sse != kSseKms) {
    return InvalidArgument("S3: sse_kms_key_id \"{}\" needs sse \"aws:kms\" (sse is \"{}\")",
                           o.sse_kms_key_id, o.sse);
  }
  // It goes into a header: no spaces or control characters (a key id, ARN or alias has none).
  for (char c : o.sse_kms_key_id) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return InvalidArgument(
          "S3: sse_kms_key_id \"{}\" holds a space, a control or a non-ASCII character (want a "
          "KMS key id, key ARN, alias or alias ARN)",
          o.sse_kms_key_id);
    }
  }
  return Status::OK();
}

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

Status ParseS3Url(std::string_view url, S3Options* options) {
  constexpr std::string_view kScheme = "s3://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return InvalidArgument("'{}' is not an S3 URL (want s3://bucket/prefix)", url);
  }
  std::string_view rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string_view bucket = rest.substr(0, slash);
  std::string_view prefix = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (bucket.empty()) return InvalidArgument("S3 URL '{}' has no bucket", url);
  if (!ValidBucketName(bucket)) {
    return InvalidArgument(
        "S3 URL '{}': bucket '{}' is not a valid bucket name (3-63 lowercase letters, digits, "
        "'.', '-')",
        url, bucket);
  }
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  if (!prefix.empty()) {
    if (prefix.find('\0') != std::string_view::npos || prefix.find_first_of("?#") != std::string_view::npos) {
      return InvalidArgument("S3 URL '{}': the prefix may not hold '?', '#' or NUL", url);
    }
    size_t start = 0;
    while (start <= prefix.size()) {
      size_t end = prefix.find('/', start);
      if (end == std::string_view::npos) end = prefix.size();
      std::string_view part = prefix.substr(start, end - start);
      if (part.empty() || part == "." || part == "..") {
        return InvalidArgument("S3 URL '{}': the prefix has an empty, '.' or '..' component", url);
      }
      start = end + 1;
    }
  }
  options->bucket = std::string(bucket);
  options->prefix = std::string(prefix);
  return Status::OK();
}

void ApplyAwsEnvironment(S3Options* options) {
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
  };
  if (options->access_key_id.empty() && options->secret_access_key.empty()) {
    options->access_key_id = env("AWS_ACCESS_KEY_ID");
    options->secret_access_key = env("AWS_SECRET_ACCESS_KEY");
    // A token belongs to the keys it came with: only taken along with keys from the environment.
    if (options->session_token.empty()) options->session_token = env("AWS_SESSION_TOKEN");
  }
  // The region: AWS_REGION, else AWS_DEFAULT_REGION, replace an empty region or the built-in
  // default (us-east-1), never a region the configuration chose otherwise.
  std::string region = env("AWS_REGION");
  if (region.empty()) region = env("AWS_DEFAULT_REGION");
  if (!region.empty() && (options->region.empty() || options->region == S3Options().region)) {
    options->region = region;
  }
  if (options->endpoint.empty()) {
    options->endpoint = env("AWS_ENDPOINT_URL_S3");
    if (options->endpoint.empty()) options->endpoint = env("AWS_ENDPOINT_URL");
  }
}

Result<std::unique_ptr<ObjectStore>> OpenS3WithHooks(const S3Options& options,
                                                     const S3TestHooks& hooks) {
  S3Options o = options;
  if (o.bucket.empty()) return InvalidArgument("S3: no bucket given");
  if (!ValidBucketName(o.bucket)) {
    return InvalidArgument("S3: bucket '{}' is not a valid bucket name", o.bucket);
  }
  while (!o.prefix.empty() && o.prefix.back() == '/') o.prefix.pop_back();
  while (!o.prefix.empty() && o.prefix.front() == '/') o.prefix.erase(0, 1);
  if (o.access_key_id.empty() || o.secret_access_key.empty()) {
    return InvalidArgument(
        "S3 {}: no credentials (set access_key_id and secret_access_key, or AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY)",
        "s3://" + o.bucket);
  }
  if (o.region.empty()) return InvalidArgument("S3: no region given");
  if (o.part_size < kMinPartSize) {
    return InvalidArgument("S3: part_size {} is below S3's minimum of 5 MiB", o.part_size);
  }
  if (o.max_retries < 0 || o.retry_base_ms < 0 || o.connect_timeout_ms <= 0 ||
      o.request_timeout_ms <= 0) {
    return InvalidArgument("S3: retries and timeouts must be positive");
  }
  RETURN_IF_ERROR(CheckSse(o));
  if (o.endpoint.empty()) o.endpoint = "https://s3." + o.region + ".amazonaws.com";
  ASSIGN_OR_RETURN(Endpoint endpoint, ParseEndpoint(o.endpoint));
  InitCurlOnce();
  return std::unique_ptr<ObjectStore>(new S3Store(std::move(o), std::move(endpoint), hooks));
}

Result<std::unique_ptr<ObjectStore>> OpenS3(const S3Options& options) {
  return OpenS3WithHooks(options, S3TestHooks{});
}

}  // namespace laminar::objstore
