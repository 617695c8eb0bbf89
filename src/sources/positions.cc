#include "sources/positions.h"

#include <nlohmann/json.hpp>

#include "common/file_util.h"

namespace laminar::sources {
namespace {

using json = nlohmann::json;
constexpr const char* kFormat = "laminar-source-positions";

bool Decimal(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// A position read from JSON: a non-negative integer or its decimal text, or "closed".
bool ReadPosition(const json& v, std::string* out) {
  if (v.is_number_unsigned()) {
    *out = std::to_string(v.get<uint64_t>());
    return true;
  }
  if (!v.is_string()) return false;
  *out = v.get<std::string>();
  return *out == kClosed || Decimal(*out);
}

bool ReadPositions(const json& j, Positions* out) {
  if (!j.is_object()) return false;
  for (const auto& [k, v] : j.items()) {
    std::string p;
    if (k.empty() || k.size() > 256 || !ReadPosition(v, &p)) return false;
    (*out)[k] = std::move(p);
  }
  return true;
}

void MergeForward(Positions* into, const Positions& next) {
  for (const auto& [k, p] : next) {
    auto [it, fresh] = into->emplace(k, p);
    if (!fresh && Ahead(p, it->second)) it->second = p;
  }
}

}  // namespace

bool Ahead(const std::string& a, const std::string& b) {
  if (a == b) return false;
  if (b == kClosed) return false;
  if (a == kClosed) return true;
  std::string_view x = a, y = b;
  while (x.size() > 1 && x[0] == '0') x.remove_prefix(1);
  while (y.size() > 1 && y[0] == '0') y.remove_prefix(1);
  return x.size() != y.size() ? x.size() > y.size() : x > y;
}

std::string SourcePositions::Origin(SourceKind kind, const std::string& subscription, const std::string& topic,
                                    const Positions& reached) {
  json j;
  j["kind"] = KindName(kind);
  j["subscription"] = subscription;
  j["topic"] = topic;
  j["positions"] = reached;
  return j.dump();
}

void SourcePositions::Restore(std::string_view origin) {
  json j = json::parse(origin, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("positions")) return;
  std::string kind = j.value("kind", "");
  if (kind != KindName(SourceKind::kKafka) && kind != KindName(SourceKind::kKinesis)) return;
  Positions p;
  if (!ReadPositions(j["positions"], &p)) return;
  Advance(j.value("subscription", ""), p);
}

void SourcePositions::Advance(const std::string& subscription, const Positions& reached) {
  std::lock_guard<std::mutex> l(mu_);
  MergeForward(&by_subscription_[subscription], reached);
}

Positions SourcePositions::Get(const std::string& subscription) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_subscription_.find(subscription);
  return it == by_subscription_.end() ? Positions{} : it->second;
}

std::vector<std::string> SourcePositions::Names() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<std::string> out;
  for (const auto& [name, p] : by_subscription_) out.push_back(name);
  return out;
}

void SourcePositions::Forget(const std::string& subscription) {
  std::lock_guard<std::mutex> l(mu_);
  by_subscription_.erase(subscription);
}

Status SourcePositions::Save(const std::string& path, uint64_t covered_seq) const {
  json doc;
  doc["format"] = kFormat;
  doc["covered_seq"] = covered_seq;
  doc["subscriptions"] = json::object();
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& [name, p] : by_subscription_) doc["subscriptions"][name] = p;
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
  for (const auto& [name, positions] : doc["subscriptions"].items()) {
    Positions p;
    if (!ReadPositions(positions, &p)) return Corruption("source positions {}: subscription {} is damaged", path, name);
    MergeForward(&by_subscription_[name], p);
  }
  return doc["covered_seq"].get<uint64_t>();
}

}  // namespace laminar::sources
