// ObjectStore: where the lake, its manifests and the batch views live (DESIGN.md "Beyond one
// machine": S3 holds the shared lake). Two implementations: a local directory (the default,
// `<data_dir>/lake` and `<data_dir>/views`) and S3 (`lake.url = "s3://bucket/prefix"`, SigV4 via
// libcurl). The log never lives here: it stays in the local data directory.
//
// Keys are '/'-separated relative paths ("pageviews/event_date=2026-11-24/event_hour=07/x.parquet");
// no key starts or ends with '/', has an empty, "." or ".." component, or holds a NUL byte
// (InvalidArgument). Objects are whole and immutable once written: a reader sees either no object
// or a whole one, never part of one.
//
// Durability: when Put/PutIfAbsent/Upload return OK the object is durable (local: the file and its
// directory are fsynced; S3: the PUT or CompleteMultipartUpload got 200).
//
// Errors: NotFound for a missing key (Get); AlreadyExists (PutIfAbsent); IOError for a failure of
// the file system or of S3 after the retries, naming the operation, the object and the cause
// (S3: HTTP status and the error code of the response, e.g. "403 SignatureDoesNotMatch");
// Corruption when a listing cannot be parsed.
//
// Thread safety: every method may be called from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace laminar::objstore {

struct ObjectInfo {
  std::string key;   // full key, relative to the store's root
  uint64_t size = 0;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // "file:///abs/dir" or "s3://bucket/prefix": for messages and `laminar lake ls`.
  virtual std::string url() const = 0;

  // Stores `data` under `key`, replacing any object there.
  virtual Status Put(const std::string& key, std::string_view data) = 0;
  // Stores `data` under `key` only if no object has that key: AlreadyExists otherwise. Atomic
  // (local: link(2) of a fsynced temporary file; S3: PUT with `If-None-Match: *`, 412 →
  // AlreadyExists). The manifest commit relies on it (docs/formats/lake.md).
  virtual Status PutIfAbsent(const std::string& key, std::string_view data) = 0;
  // Stores the content of the local file `local_path` under `key` and removes `local_path`
  // (also on error). Local store: fsync + rename (no copy). S3: one PUT, or a multipart upload
  // for files above S3Options::multipart_threshold.
  virtual Status Upload(const std::string& key, const std::string& local_path) = 0;

  // The whole object. NotFound when there is none.
  virtual Result<std::string> Get(const std::string& key) const = 0;
  // Every object whose key starts with `prefix` (a plain string prefix; "" lists all), in key
  // order. Temporary files of the local store are not listed.
  virtual Result<std::vector<ObjectInfo>> List(const std::string& prefix) const = 0;
  // Removes the object; OK when there is none. (Local store: directories left empty are removed
  // too, up to the root.)
  virtual Status Delete(const std::string& key) = 0;

  // The local file holding `key`, for a local store (so DuckDB or a user can read the lake in
  // place); "" for S3.
  virtual std::string LocalPath(const std::string& key) const = 0;
};

// Checks a key against the rules above.
Status ValidateKey(std::string_view key);

// A store over the local directory `dir` (created when missing). IOError when it cannot be.
Result<std::unique_ptr<ObjectStore>> OpenLocal(const std::string& dir);

struct S3Options {
  std::string bucket;
  std::string prefix;        // without leading or trailing '/'; may be empty
  std::string endpoint;      // "http://127.0.0.1:4568" or "https://s3.eu-west-1.amazonaws.com";
                             // empty: https://s3.<region>.amazonaws.com
  std::string region = "us-east-1";
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // optional (x-amz-security-token)
  bool path_style = true;     // bucket in the path (MinIO, s3rver); false: virtual-hosted
  uint64_t multipart_threshold = 64ull << 20;  // files above this use multipart upload
  uint64_t part_size = 16ull << 20;            // ≥ 5 MiB, as S3 requires (except the last part)
  int max_retries = 5;        // per request, on 5xx, 429, timeouts and connection errors
  int retry_base_ms = 100;    // backoff: base * 2^attempt, with jitter, capped at 5 s
  int connect_timeout_ms = 5000;
  int request_timeout_ms = 60000;
  uint64_t max_object_bytes = 4ull << 30;      // Get refuses larger objects (ResourceExhausted)
  // Server-side encryption of the objects we write: "" (none requested: the bucket's default
  // encryption applies), "AES256" (SSE-S3) or "aws:kms" (SSE-KMS). Sent as
  // x-amz-server-side-encryption on PutObject and CreateMultipartUpload; S3 encrypts and decrypts,
  // reads need nothing. SSE-C (keys supplied by the client) is not supported.
  std::string sse;
  // With sse "aws:kms" only: the KMS key (id, ARN or alias) as
  // x-amz-server-side-encryption-aws-kms-key-id. Empty: S3 uses the account's default key for S3.
  std::string sse_kms_key_id;
};

// Parses "s3://bucket/prefix" into bucket and prefix. InvalidArgument naming what is wrong.
Status ParseS3Url(std::string_view url, S3Options* options);
// Fills empty credential and region fields from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN, AWS_REGION (or AWS_DEFAULT_REGION) and AWS_ENDPOINT_URL(_S3).
void ApplyAwsEnvironment(S3Options* options);

// A store in S3. Checks nothing over the network yet (the first request does): InvalidArgument
// only for options that cannot work (no bucket, no credentials, part_size < 5 MiB, an sse other
// than "", "AES256" or "aws:kms", an sse_kms_key_id without sse "aws:kms").
Result<std::unique_ptr<ObjectStore>> OpenS3(const S3Options& options);

}  // namespace laminar::objstore
