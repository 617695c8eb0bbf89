#include "sources/kinesis_source.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <map>

#include "common/base64.h"
#include "common/time_util.h"
#include "objstore/s3_sigv4.h"
#include "sources/messages.h"

namespace laminar::sources {

namespace {
using json = nlohmann::json;
constexpr int64_t kListEveryMicros = 10'000'000;
constexpr int64_t kIdlePollMicros = 200'000;  // Kinesis allows 5 GetRecords a second per shard
constexpr size_t kMaxGetRecords = 10'000;      // Kinesis's own limit per call

size_t Collect(char* p, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, size * n);
  return size * n;
}

// "host[:port]" of an endpoint URL.
std::string Authority(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find('/', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}
}  // namespace

// The Kinesis JSON API (version 2013-12-02) over one libcurl handle, each call signed.
class KinesisSource::Api {
 public:
  explicit Api(const SourceSpec& spec) : spec_(spec), url_(spec.endpoint + "/"), host_(Authority(spec.endpoint)) {
    curl_ = curl_easy_init();
  }
  ~Api() {
    if (curl_) curl_easy_cleanup(curl_);
  }
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // The answer to operation `op` (ListShards, GetShardIterator, GetRecords). Errors carry AWS's
  // error type in the message; throttling is ResourceExhausted, a missing stream or shard
  // NotFound, an expired iterator DeadlineExceeded, a connection failure Unavailable.
  Result<json> Call(const std::string& op, const json& body) {
    if (!curl_) return Internal("cannot create a libcurl handle");
    std::string payload = body.dump();
    objstore::s3::SigningInput in;
    in.method = "POST";
    in.canonical_uri = "/";
    in.amz_date = objstore::s3::AmzDate(std::time(nullptr));
    in.payload_hash = objstore::s3::Sha256Hex(payload);
    std::string target = "Kinesis_20131202." + op;
    in.headers = {{"host", host_},
                  {"content-type", "application/x-amz-json-1.1"},
                  {"x-amz-date", in.amz_date},
                  {"x-amz-target", target}};
    if (!spec_.session_token.empty()) in.headers.push_back({"x-amz-security-token", spec_.session_token});
    objstore::s3::SigningCredentials creds;
    creds.access_key_id = spec_.access_key_id;
    creds.secret_access_key = spec_.secret_access_key;
    creds.region = spec_.region;
    creds.service = "kinesis";
    std::string authorization = objstore::s3::AuthorizationHeader(in, creds);
    curl_slist* headers = nullptr;
    for (const auto& [k, v] : in.headers)
      if (k != "host") headers = curl_slist_append(headers, (k + ": " + v).c_str());
    headers = curl_slist_append(headers, ("Authorization: " + authorization).c_str());
    headers = curl_slist_append(headers, "Expect:");
    std::string answer;
    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, payload.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &answer);
    CURLcode rc = curl_easy_perform(curl_);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) return Unavailable("Kinesis {} at {}: {}", op, spec_.endpoint, curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    json j = json::parse(answer, nullptr, /*allow_exceptions=*/false);
    if (status == 200 && j.is_object()) return j;
    std::string type = j.is_object() ? j.value("__type", "") : "";
    if (size_t hash = type.rfind('#'); hash != std::string::npos) type = type.substr(hash + 1);
    std::string message = j.is_object() ? j.value("message", j.value("Message", "")) : answer.substr(0, 200);
    std::string what = fmt::format("Kinesis {} on stream {}: {} {}{}", op, spec_.topic, status,
                                   type.empty() ? std::string("error") : type, message.empty() ? "" : ": " + message);
    if (type == "ProvisionedThroughputExceededException" || type == "LimitExceededException" ||
        type == "ThrottlingException" || status == 429 || status == 503)
      return ResourceExhausted("{}", what);
    if (type == "ResourceNotFoundException") return NotFound("{}", what);
    if (type == "ExpiredIteratorException") return DeadlineExceeded("{}", what);
    if (status >= 500) return Unavailable("{}", what);
    return InvalidArgument("{}", what);
  }

 private:
  const SourceSpec& spec_;
  const std::string url_, host_;
  CURL* curl_ = nullptr;
};

KinesisSource::KinesisSource(std::string subscription, std::string stream, SourceSpec spec,
                             ingest::StreamSchema schema, ingest::Limits limits, Positions resume, DeliverFn deliver)
    : Source(std::move(subscription), std::move(stream), std::move(spec), std::move(schema), limits, std::move(resume),
             std::move(deliver)) {}

KinesisSource::~KinesisSource() { Stop(); }

void KinesisSource::Run() {
  struct Shard {
    std::string parent, adjacent_parent;
    std::string iterator;  // empty: ask for one
    int64_t next_poll = 0;
    int backoff_ms = 0;
    bool listed = true;
  };
  Api api(spec_);
  std::map<std::string, Shard> shards;
  bool listed_once = false;
  int64_t next_list = 0;
  std::string first_last_round;
  const size_t limit = std::min(spec_.batch_events, kMaxGetRecords);

  // Lists the shards (every page): new ones join, gone ones are marked unlisted.
  auto list = [&]() -> ::laminar::Status {
    std::map<std::string, Shard> seen;
    json req = {{"StreamName", spec_.topic}};
    for (int page = 0; page < 1000; page++) {
      ASSIGN_OR_RETURN(json a, api.Call("ListShards", req));
      for (const json& s : a.value("Shards", json::array())) {
        Shard sh;
        sh.parent = s.value("ParentShardId", "");
        sh.adjacent_parent = s.value("AdjacentParentShardId", "");
        seen[s.value("ShardId", "")] = sh;
      }
      std::string token = a.value("NextToken", "");
      if (token.empty()) break;
      req = {{"NextToken", token}};
    }
    for (auto& [id, sh] : shards) sh.listed = seen.count(id) > 0;
    for (auto& [id, sh] : seen) {
      if (shards.count(id)) continue;
      if (listed_once) spdlog::info("subscription {}: Kinesis stream {} has a new shard {}", subscription_, spec_.topic, id);
      shards.emplace(id, std::move(sh));
    }
    return ::laminar::Status::OK();
  };
  // A failed call on a shard: reported, the shard waits (0.2 s doubling to kMaxBackoffMs), and a
  // missing stream or shard has the list read again at once. Throttling (ResourceExhausted) is
  // only noted: the subscription keeps running while it backs off.
  auto back_off = [&](Shard& sh, const ::laminar::Status& st) {
    if (st.code() == StatusCode::kResourceExhausted) {
      NoteError(st.message());
    } else {
      SetError(st.message());
    }
    sh.backoff_ms = std::clamp(sh.backoff_ms * 2, 200, kMaxBackoffMs);
    sh.next_poll = MonotonicMicros() + int64_t{sh.backoff_ms} * 1000;
    if (st.code() == StatusCode::kNotFound) next_list = 0;
  };
  // A shard is read once its parents are drained (closed) or gone from the list.
  auto ready = [&](const std::string& id, const Shard& sh, const Positions& pos) {
    auto done = [&](const std::string& parent) {
      if (parent.empty()) return true;
      auto p = pos.find(parent);
      if (p != pos.end() && p->second == kClosed) return true;
      auto s = shards.find(parent);
      return s == shards.end() || !s->second.listed;
    };
    auto mine = pos.find(id);
    return sh.listed && (mine == pos.end() || mine->second != kClosed) && done(sh.parent) && done(sh.adjacent_parent);
  };

  while (!stopping()) {
    const int64_t now = MonotonicMicros();
    if (now >= next_list) {
      ::laminar::Status st = list();
      if (st.ok()) {
        if (!listed_once) {
          spdlog::info("subscription {}: reading Kinesis stream {} ({} shards) at {} into stream {}", subscription_,
                       spec_.topic, shards.size(), spec_.endpoint, stream_);
          SetState("running");
        }
        listed_once = true;
        next_list = now + kListEveryMicros;
      } else {
        SetError(st.message());
        next_list = now + 1'000'000;
        if (!listed_once && !Sleep(1000)) break;
        if (!listed_once) continue;
      }
    }
    Positions pos = positions();
    // One round over the ready shards, filling one batch.
    std::vector<std::string> data;
    std::vector<std::pair<std::string, std::string>> origin;  // shard, sequence number per message
    Positions reached;
    int64_t wake = now + kIdlePollMicros;
    // The round starts after the shard the last one started with, so a busy shard early in the
    // list does not keep the others waiting.
    std::vector<std::string> order;
    for (const auto& [id, sh] : shards) order.push_back(id);
    if (!order.empty()) {
      auto from = std::upper_bound(order.begin(), order.end(), first_last_round);
      std::rotate(order.begin(), from == order.end() ? order.begin() : from, order.end());
      first_last_round = order.front();
    }
    for (const std::string& id : order) {
      Shard& sh = shards[id];
      if (stopping() || data.size() >= limit) break;
      if (!ready(id, sh, pos)) continue;
      if (sh.next_poll > MonotonicMicros()) {
        wake = std::min(wake, sh.next_poll);
        continue;
      }
      if (sh.iterator.empty()) {
        json req = {{"StreamName", spec_.topic}, {"ShardId", id}};
        auto p = pos.find(id);
        if (p != pos.end()) {
          req["ShardIteratorType"] = "AFTER_SEQUENCE_NUMBER";
          req["StartingSequenceNumber"] = p->second;
        } else {
          bool latest = spec_.start_latest && sh.parent.empty() && sh.adjacent_parent.empty();
          req["ShardIteratorType"] = latest ? "LATEST" : "TRIM_HORIZON";
        }
        Result<json> it = api.Call("GetShardIterator", req);
        if (!it.ok()) {
          back_off(sh, it.status());
          continue;
        }
        sh.iterator = it->value("ShardIterator", "");
      }
      Result<json> got = api.Call("GetRecords", {{"ShardIterator", sh.iterator}, {"Limit", limit - data.size()}});
      if (!got.ok()) {
        if (got.status().code() == StatusCode::kDeadlineExceeded) {
          sh.iterator.clear();  // expired: asked for again from the position
          continue;
        }
        back_off(sh, got.status());
        continue;
      }
      if (sh.backoff_ms > 0) SetState("running");  // the shard's calls succeed again
      sh.backoff_ms = 0;
      static const json kNone = json::array();
      const json& records = got->contains("Records") ? (*got)["Records"] : kNone;
      std::string last;
      if (records.is_array()) {
        for (const json& r : records) {
          Result<std::string> bytes = Base64Decode(r.value("Data", ""));
          std::string seq = r.value("SequenceNumber", "");
          data.push_back(bytes.ok() ? std::move(*bytes) : std::string());
          origin.emplace_back(id, seq);
          last = seq;
        }
      }
      if (!last.empty()) reached[id] = last;
      if (got->contains("MillisBehindLatest") && (*got)["MillisBehindLatest"].is_number_integer())
        SetLag(id, (*got)["MillisBehindLatest"].get<int64_t>());
      auto next = got->find("NextShardIterator");
      if (next != got->end() && next->is_string()) {
        sh.iterator = next->get<std::string>();
        if (!records.is_array() || records.empty()) sh.next_poll = MonotonicMicros() + kIdlePollMicros;
      } else {
        reached[id] = kClosed;  // drained: its children may start
        spdlog::info("subscription {}: shard {} of Kinesis stream {} is drained", subscription_, id, spec_.topic);
      }
    }
    if (!reached.empty()) {
      std::vector<std::string_view> values(data.begin(), data.end());
      ingest::ParseResult parsed = DecodeMessages(schema_, spec_.format, values, limits_);
      Delivery d = MakeDelivery(
          parsed,
          [&](size_t i) {
            return fmt::format("kinesis stream {} shard {} sequence {}", spec_.topic, origin[i].first, origin[i].second);
          },
          reached);
      if (!DeliverRetrying(d)) break;
      continue;  // more may be waiting
    }
    int64_t wait = wake - MonotonicMicros();
    if (wait > 0 && !Sleep(static_cast<int>((wait + 999) / 1000))) break;
  }
}

}  // namespace laminar::sources
