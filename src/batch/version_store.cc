#include "batch/version_store.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "common/crash_point.h"
#include "common/crc32c.h"
#include "common/file_util.h"
#include "common/time_util.h"
#include "views/state_codec.h"

namespace laminar::batch {

using nlohmann::json;

namespace {

constexpr char kMagic[8] = {'L', 'M', 'N', 'V', 'I', 'E', 'W', '1'};

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

Result<VersionInfo> InfoFromJson(const std::string& text, const std::string& path) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Corruption("{}: header is not JSON", path);
  VersionInfo i;
  try {
    i.view = j.at("view").get<std::string>();
    i.version = j.at("version").get<uint64_t>();
    i.definition_version = j.at("definition_version").get<uint64_t>();
    i.definition_sql = j.at("definition_sql").get<std::string>();
    i.horizon = j.at("horizon").get<uint64_t>();
    i.through_segment = j.at("through_segment").get<uint64_t>();
    i.manifest_version = j.at("manifest_version").get<uint64_t>();
    i.retention_epoch = j.at("retention_epoch").get<uint64_t>();
    i.rows = j.at("rows").get<uint64_t>();
    i.events = j.at("events").get<uint64_t>();
    i.files_read = j.at("files_read").get<uint64_t>();
    i.events_read = j.at("events_read").get<uint64_t>();
    i.full = j.at("full").get<bool>();
    i.build_micros = j.at("build_micros").get<int64_t>();
    i.created_at = j.at("created_at").get<int64_t>();
  } catch (const json::exception& e) {
    return Corruption("{}: header: {}", path, e.what());
  }
  i.path = path;
  return i;
}

}  // namespace

std::string VersionInfo::ToJson() const {
  return json({{"view", view}, {"version", version}, {"definition_version", definition_version},
               {"definition_sql", definition_sql}, {"horizon", horizon}, {"through_segment", through_segment},
               {"manifest_version", manifest_version}, {"retention_epoch", retention_epoch}, {"rows", rows},
               {"events", events}, {"files_read", files_read}, {"events_read", events_read}, {"full", full},
               {"build_micros", build_micros}, {"created_at", created_at}})
      .dump();
}

json VersionInfo::Summary() const {
  return {{"version", version}, {"horizon", horizon}, {"rows", rows}, {"events", events}, {"full", full},
          {"files_read", files_read}, {"events_read", events_read}, {"build_ms", double(build_micros) / 1000.0},
          {"through_segment", through_segment}, {"created_at", FormatTimestamp(created_at)}};
}

Result<BatchVersion> ParseVersionFile(std::string_view data, const std::string& path, const views::ViewDefPtr& def) {
  // magic, u32 header length, header, u64 state length, state, u32 masked crc of all before.
  if (data.size() < sizeof kMagic + 4 + 8 + 4 || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0)
    return Corruption("{}: not a Laminar view version file", path);
  uint32_t stored;
  std::memcpy(&stored, data.data() + data.size() - 4, 4);
  if (crc32c::Unmask(stored) != crc32c::Value(data.data(), data.size() - 4))
    return Corruption("{}: checksum mismatch", path);
  size_t pos = sizeof kMagic;
  uint32_t hlen;
  std::memcpy(&hlen, data.data() + pos, 4);
  pos += 4;
  if (hlen > data.size() - pos - 12) return Corruption("{}: header length {} past the end", path, hlen);
  ASSIGN_OR_RETURN(VersionInfo info, InfoFromJson(std::string(data.substr(pos, hlen)), path));
  pos += hlen;
  uint64_t slen;
  std::memcpy(&slen, data.data() + pos, 8);
  pos += 8;
  if (slen != data.size() - pos - 4) return Corruption("{}: state length {} does not match the file", path, slen);
  info.path = path;
  BatchVersion v{std::move(info), nullptr};
  if (def) {
    auto state = views::DecodeViewState(data.substr(pos, slen), def);
    if (!state.ok()) return state.status().WithContext(path);
    v.state = std::make_shared<const views::ViewState>(std::move(state).value());
  }
  return v;
}

Result<BatchVersion> VersionStore::Read(const std::string& key, const views::ViewDefPtr& def) const {
  if (!def) {
    std::lock_guard<std::mutex> l(cache_mu_);
    auto it = headers_.find(key);
    if (it != headers_.end()) return BatchVersion{it->second, nullptr};
  }
  ASSIGN_OR_RETURN(std::string data, store_->Get(key));
  ASSIGN_OR_RETURN(BatchVersion v, ParseVersionFile(data, store_->url() + "/" + key, def));
  std::lock_guard<std::mutex> l(cache_mu_);
  headers_[key] = v.info;
  return v;
}

std::vector<VersionStore::FileRef> VersionStore::Files(const std::string& view) const {
  std::vector<FileRef> out;
  const std::string prefix = view + "/v-";
  auto objects = store_->List(prefix);
  if (!objects.ok()) {
    spdlog::warn("view {}: listing versions: {}", view, objects.status().ToString());
    return out;
  }
  for (const auto& o : *objects) {
    std::string name = o.key.substr(view.size() + 1);
    unsigned long long v = 0;
    if (name.size() != 28 || std::sscanf(name.c_str(), "v-%llu.state", &v) != 1) continue;
    out.push_back({v, o.key});
  }
  std::sort(out.begin(), out.end(), [](const FileRef& a, const FileRef& b) { return a.version < b.version; });
  return out;
}

uint64_t VersionStore::MaxVersion(const std::string& view) const {
  auto files = Files(view);
  return files.empty() ? 0 : files.back().version;
}

std::vector<VersionInfo> VersionStore::List(const std::string& view) const {
  std::vector<VersionInfo> out;
  for (const FileRef& f : Files(view)) {
    auto v = Read(f.key, nullptr);
    if (v.ok()) out.push_back(std::move(v->info));
  }
  return out;
}

Result<std::optional<BatchVersion>> VersionStore::LoadLatest(const views::ViewDefPtr& def,
                                                             std::vector<std::string>* problems) const {
  auto files = Files(def->name);
  for (auto it = files.rbegin(); it != files.rend(); ++it) {
    auto header = Read(it->key, nullptr);
    if (header.ok() && (header->info.definition_version != def->definition_version ||
                        header->info.definition_sql != def->sql || header->info.view != def->name))
      continue;  // another definition of the view
    auto v = header.ok() ? Read(it->key, def) : header;
    if (!v.ok()) {
      if (problems) problems->push_back(v.status().ToString());
      continue;
    }
    return std::optional<BatchVersion>(std::move(v).value());
  }
  return std::optional<BatchVersion>();
}

Status VersionStore::Publish(const views::ViewDef& def, VersionInfo* info, const views::ViewState& state) {
  std::string header = info->ToJson();
  std::string data(kMagic, sizeof kMagic);
  Put<uint32_t>(&data, static_cast<uint32_t>(header.size()));
  data += header;
  std::string encoded;
  views::EncodeViewState(state, &encoded);
  Put<uint64_t>(&data, encoded.size());
  data += encoded;
  Put<uint32_t>(&data, crc32c::Mask(crc32c::Value(data.data(), data.size())));
  std::string key = fmt::format("{}/v-{:020}.state", def.name, info->version);
  CrashPoint("publish.before_write");
  RETURN_IF_ERROR(store_->Put(key, data));  // the publish
  info->path = store_->url() + "/" + key;
  {
    std::lock_guard<std::mutex> l(cache_mu_);
    headers_[key] = *info;
  }
  CrashPoint("publish.after_write");
  // Prune: the newest `retain_` of this definition stay; everything else goes.
  size_t kept = 0;
  auto files = Files(def.name);
  for (auto it = files.rbegin(); it != files.rend(); ++it) {
    auto h = Read(it->key, nullptr);
    bool same = h.ok() && h->info.definition_version == def.definition_version && h->info.definition_sql == def.sql;
    if (same && kept < retain_) {
      kept++;
      continue;
    }
    if (it->version > info->version) continue;  // never delete a newer file than the one published
    Status st = store_->Delete(it->key);
    if (!st.ok()) spdlog::warn("view {}: pruning {}: {}", def.name, it->key, st.ToString());
    std::lock_guard<std::mutex> l(cache_mu_);
    headers_.erase(it->key);
  }
  return Status::OK();
}

Status VersionStore::Drop(const std::string& view) {
  for (const FileRef& f : Files(view)) {
    RETURN_IF_ERROR(store_->Delete(f.key));
    std::lock_guard<std::mutex> l(cache_mu_);
    headers_.erase(f.key);
  }
  return Status::OK();
}

}  // namespace laminar::batch
