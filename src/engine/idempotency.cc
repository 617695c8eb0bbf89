#include "engine/idempotency.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "common/file_util.h"

namespace laminar::engine {
namespace {

using nlohmann::json;

constexpr const char* kKind = "idempotency_key";

json AnswerJson(const IngestAnswer& a) {
  json errors = json::array();
  for (const auto& e : a.errors) errors.push_back({e.index, e.field, e.reason});
  return {{"accepted", a.accepted}, {"rejected", a.rejected}, {"errors", errors}};
}

IngestAnswer AnswerOf(const json& j) {
  IngestAnswer a;
  a.accepted = j.value("accepted", uint64_t{0});
  a.rejected = j.value("rejected", uint64_t{0});
  a.first_seq = j.value("first_seq", uint64_t{0});
  a.last_seq = j.value("last_seq", uint64_t{0});
  if (j.contains("errors") && j["errors"].is_array())
    for (const auto& e : j["errors"])
      if (e.is_array() && e.size() == 3)
        a.errors.push_back({e[0].get<size_t>(), e[1].get<std::string>(), e[2].get<std::string>(), ""});
  return a;
}

}  // namespace

IdempotencyKeys::Claim IdempotencyKeys::Begin(const std::string& key, const std::string& hash, int64_t now,
                                              IngestAnswer* first) {
  std::unique_lock<std::mutex> l(mu_);
  PruneLocked(now);
  for (;;) {
    auto it = keys_.find(key);
    if (it == keys_.end()) {
      Entry e;
      e.pending = true;
      e.hash = hash;
      e.at = now;
      keys_.emplace(key, std::move(e));
      return Claim::kNew;
    }
    if (it->second.pending) {
      cv_.wait(l);
      continue;
    }
    if (it->second.hash != hash) return Claim::kOtherRequest;
    *first = it->second.answer;
    return Claim::kDone;
  }
}

void IdempotencyKeys::Finish(const std::string& key, IngestAnswer answer) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = keys_.find(key);
  if (it != keys_.end()) {
    it->second.pending = false;
    it->second.answer = std::move(answer);
    by_time_.emplace(it->second.at, key);
    while (by_time_.size() > max_keys_) {
      keys_.erase(by_time_.begin()->second);
      by_time_.erase(by_time_.begin());
    }
  }
  cv_.notify_all();
}

void IdempotencyKeys::Abandon(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = keys_.find(key);
  if (it != keys_.end() && it->second.pending) keys_.erase(it);
  cv_.notify_all();
}

std::string IdempotencyKeys::Origin(const std::string& key, const std::string& hash, int64_t at,
                                    const IngestAnswer& a) {
  json j = AnswerJson(a);
  j["kind"] = kKind;
  j["key"] = key;
  j["hash"] = hash;
  j["at"] = at;
  return j.dump();
}

void IdempotencyKeys::PutLocked(const std::string& key, Entry e) {
  auto it = keys_.find(key);
  if (it != keys_.end()) {
    if (it->second.pending) return;
    for (auto [b, end] = by_time_.equal_range(it->second.at); b != end; ++b)
      if (b->second == key) {
        by_time_.erase(b);
        break;
      }
    keys_.erase(it);
  }
  by_time_.emplace(e.at, key);
  keys_.emplace(key, std::move(e));
  while (by_time_.size() > max_keys_) {
    keys_.erase(by_time_.begin()->second);
    by_time_.erase(by_time_.begin());
  }
}

void IdempotencyKeys::Restore(std::string_view origin, uint64_t first_seq, uint64_t last_seq, int64_t now) {
  json j = json::parse(origin, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("kind", "") != kKind) return;
  Entry e;
  e.hash = j.value("hash", "");
  e.at = j.value("at", int64_t{0});
  if (e.at < now - window_) return;
  e.answer = AnswerOf(j);
  e.answer.first_seq = first_seq;
  e.answer.last_seq = last_seq;
  std::lock_guard<std::mutex> l(mu_);
  PutLocked(j.value("key", ""), std::move(e));
}

void IdempotencyKeys::PruneLocked(int64_t now) {
  while (!by_time_.empty() && by_time_.begin()->first < now - window_) {
    keys_.erase(by_time_.begin()->second);
    by_time_.erase(by_time_.begin());
  }
}

Status IdempotencyKeys::Save(const std::string& path, int64_t now, uint64_t covered_seq) {
  json keys = json::array();
  {
    std::lock_guard<std::mutex> l(mu_);
    PruneLocked(now);
    for (const auto& [at, key] : by_time_) {
      const Entry& e = keys_.at(key);
      json j = AnswerJson(e.answer);
      j["key"] = key;
      j["hash"] = e.hash;
      j["at"] = e.at;
      j["first_seq"] = e.answer.first_seq;
      j["last_seq"] = e.answer.last_seq;
      keys.push_back(std::move(j));
    }
  }
  RETURN_IF_ERROR(CreateDirs(path.substr(0, path.rfind('/'))));
  return WriteFileAtomic(path, json({{"covered_seq", covered_seq}, {"keys", keys}}).dump());
}

Result<uint64_t> IdempotencyKeys::Load(const std::string& path, int64_t now) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return NotFound("{} does not exist", path);
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("keys") || !j["keys"].is_array())
    return Corruption("{}: not a file of idempotency keys", path);
  std::lock_guard<std::mutex> l(mu_);
  for (const auto& k : j["keys"]) {
    if (!k.is_object()) return Corruption("{}: not a file of idempotency keys", path);
    Entry e;
    e.hash = k.value("hash", "");
    e.at = k.value("at", int64_t{0});
    if (e.at < now - window_) continue;
    e.answer = AnswerOf(k);
    PutLocked(k.value("key", ""), std::move(e));
  }
  return j.value("covered_seq", uint64_t{0});
}

size_t IdempotencyKeys::size() const {
  std::lock_guard<std::mutex> l(mu_);
  return keys_.size();
}

}  // namespace laminar::engine
