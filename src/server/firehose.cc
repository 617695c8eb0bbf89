#include "server/firehose.h"

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "common/time_util.h"

namespace laminar::server {
namespace {

using nlohmann::json;

bool KeyMatches(const std::string& given, const std::vector<std::string>& keys) {
  bool ok = false;
  for (const auto& k : keys)
    ok |= k.size() == given.size() && CRYPTO_memcmp(k.data(), given.data(), k.size()) == 0;
  return ok;
}

}  // namespace

HttpResponse HandleFirehose(engine::Engine* e, const HttpRequest& req, const std::string& stream,
                            const FirehoseOptions& options, uint64_t* accepted) {
  *accepted = 0;
  std::string request_id = req.Header("x-amz-firehose-request-id");
  auto answer = [&](int status, const std::string& error) {
    HttpResponse r;
    r.status = status;
    json j = {{"requestId", request_id}, {"timestamp", NowMicros() / 1000}};
    if (!error.empty()) j["errorMessage"] = error;
    r.body = j.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
  };
  if (!options.access_keys.empty() && !KeyMatches(req.Header("x-amz-firehose-access-key"), options.access_keys))
    return answer(401, "the X-Amz-Firehose-Access-Key header is missing or not one of [firehose] access_keys");
  auto body = e->DecompressBody(req.Header("content-encoding"), req.body);
  if (!body.ok()) return answer(body.status().code() == StatusCode::kResourceExhausted ? 413 : 400, body.status().message());
  json j = json::parse(*body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("records") || !j["records"].is_array())
    return answer(400, "not a Firehose delivery: expected {\"requestId\", \"timestamp\", \"records\": [{\"data\": ...}]}");
  if (j.contains("requestId") && j["requestId"].is_string()) {
    if (!request_id.empty() && request_id != j["requestId"].get<std::string>())
      return answer(400, "X-Amz-Firehose-Request-Id and the body's requestId differ");
    request_id = j["requestId"].get<std::string>();
  }
  if (request_id.empty()) return answer(400, "a Firehose delivery needs its requestId");
  std::string ndjson;
  size_t index = 0;
  for (const auto& rec : j["records"]) {
    if (!rec.is_object() || !rec.contains("data") || !rec["data"].is_string())
      return answer(400, fmt::format("record {}: expected {{\"data\": \"<base64>\"}}", index));
    auto data = Base64Decode(rec["data"].get<std::string>());
    if (!data.ok()) return answer(400, fmt::format("record {}: {}", index, data.status().message()));
    ndjson += *data;
    if (!data->empty() && data->back() != '\n') ndjson += '\n';
    index++;
  }
  if (ndjson.empty()) return answer(200, "");
  auto r = e->Ingest(stream, "application/x-ndjson", "", ndjson, "firehose:" + request_id, "firehose request " + request_id);
  if (!r.ok()) {
    int status = r.status().code() == StatusCode::kNotFound ? 404
                 : r.status().code() == StatusCode::kResourceExhausted ? 413
                 : r.status().code() == StatusCode::kInvalidArgument || r.status().code() == StatusCode::kAlreadyExists
                     ? 400
                     : 503;
    return answer(status, r.status().message());
  }
  *accepted = r->accepted;
  return answer(200, "");
}

}  // namespace laminar::server
