#include "sources/positions.h"

#include <nlohmann/json.hpp>

#include "common/file_util.h"

namespace laminar::sources {
namespace {

using json = nlohmann::json;
constexpr const char* kKind = "kafka";
constexpr const char* kFormat = "laminar-source-positions";

json OffsetsJson(const Offsets& o) {
  json j = json::object();
  for (const auto& [p, off] : o) j[std::to_string(p)] = off;
  return j;
}

bool ReadOffsets(const json& j, Offsets* out) {
  if (!j.is_object()) return false;
  for (const auto& [k, v] : j.items()) {
    if (!v.is_number_integer() || k.empty() || k.size() > 10) return false;
    char* end = nullptr;
    long p = std::strtol(k.c_str(), &end, 10);
    if (*end != '\0' || p < 0 || p > INT32_MAX) return false;
    (*out)[static_cast<int32_t>(p)] = v.get<int64_t>();
  }
  return true;
}

void MergeForward(Offsets* into, const Offsets& next) {
  for (const auto& [p, off] : next) {
    auto [it, fresh] = into->emplace(p, off);
    if (!fresh && off > it->second) it->second = off;
  }
}

}  // namespace

std::string SourcePositions::Origin(const std::string& subscription, const std::string& topic, const Offsets& next) {
  json j;
  j["kind"] = kKind;
  j["subscription"] = subscription;
  j["topic"] = topic;
  j["next"] = OffsetsJson(next);
  return j.dump();
}

std::string SourcePositions::SubscriptionOf(std::string_view origin) {
  json j = json::parse(origin, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("kind", "") != kKind) return {};
  return j.value("subscription", "");
}

void SourcePositions::Restore(std::string_view origin) {
  json j = json::parse(origin, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("kind", "") != kKind || !j.contains("next")) return;
  Offsets next;
  if (!ReadOffsets(j["next"], &next)) return;
  Advance(j.value("subscription", ""), next);
}

void SourcePositions::Advance(const std::string& subscription, const Offsets& next) {
  std::lock_guard<std::mutex> l(mu_);
  MergeForward(&by_subscription_[subscription], next);
}

Offsets SourcePositions::Get(const std::string& subscription) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_subscription_.find(subscription);
  return it == by_subscription_.end() ? Offsets{} : it->second;
}

std::vector<std::string> SourcePositions::Names() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<std::string> out;
  for (const auto& [name, o] : by_subscription_) out.push_back(name);
  return out;
}

void SourcePositions::Forget(const std::string& subscription) {
  std::lock_guard<std::mutex> l(mu_);
  by_subscription_.erase(subscription);
}

bool SourcePositions::empty() const {
  std::lock_guard<std::mutex> l(mu_);
  return by_subscription_.empty();
}

Status SourcePositions::Save(const std::string& path, uint64_t covered_seq) const {
  json doc;
  doc["format"] = kFormat;
  doc["covered_seq"] = covered_seq;
  doc["subscriptions"] = json::object();
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& [name, offsets] : by_subscription_) doc["subscriptions"][name] = OffsetsJson(offsets);
  }
  RETURN_IF_ERROR(CreateDirs(path.substr(0, path.rfind('/'))));
  return WriteFileAtomic(path, doc.dump() + "\n");
}

Result<uint64_t> SourcePositions::Load(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || doc.value("format", "") != kFormat || !doc.contains("covered_seq") ||
      !doc["covered_seq"].is_number_unsigned() || !doc.contains("subscriptions") || !doc["subscriptions"].is_object())
    return Corruption("source positions {}: not a saved copy of source positions", path);
  std::lock_guard<std::mutex> l(mu_);
  for (const auto& [name, offsets] : doc["subscriptions"].items()) {
    Offsets o;
    if (!ReadOffsets(offsets, &o)) return Corruption("source positions {}: subscription {} is damaged", path, name);
    MergeForward(&by_subscription_[name], o);
  }
  return doc["covered_seq"].get<uint64_t>();
}

}  // namespace laminar::sources
