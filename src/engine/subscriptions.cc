// Engine: subscriptions (CREATE SUBSCRIPTION) — their sources started and stopped as the catalog
// says, each delivery stored through the one ingest path (AppendRows) with the positions it
// reaches in the record's origin, positions saved beside the log, and their state for
// GET /v1/sources, the laminar.subscriptions table and /metrics.
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/file_util.h"
#include "common/time_util.h"
#include "engine/engine.h"
#include "engine/scan.h"

namespace laminar::engine {

std::string Engine::PositionsPath(const std::string& stream) const {
  return JoinPath(JoinPath(options_.data_dir, "sources"), stream + ".json");
}

Status Engine::SavePositionsLocked(StreamRuntime& rt) {
  RETURN_IF_ERROR(rt.positions->Save(PositionsPath(rt.schema->name), rt.log->last_seq())
                      .WithContext("saving source positions"));
  rt.positions_saved = true;
  return Status::OK();
}

Status Engine::StopSources(const catalog::Snapshot& after) {
  std::vector<RunningSource> stopping;
  {
    std::lock_guard<std::mutex> l(sources_mu_);
    for (auto it = sources_.begin(); it != sources_.end();) {
      auto sub = after.subscriptions.find(it->first);
      bool keep = sub != after.subscriptions.end() && sub->second->enabled && sub->second->sql == it->second.def->sql &&
                  after.streams.count(sub->second->stream);
      if (keep) {
        ++it;
      } else {
        stopping.push_back(std::move(it->second));
        it = sources_.erase(it);
      }
    }
  }
  for (RunningSource& r : stopping) {
    r.source->Stop();
    spdlog::info("subscription {}: stopped", r.def->name);
  }
  // Dropped subscriptions: their positions go, so that one created again under the name starts
  // afresh (the saved copy then covers the old records' origins).
  std::vector<std::shared_ptr<StreamRuntime>> streams;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& [n, rt] : streams_) streams.push_back(rt);
  }
  for (const auto& rt : streams) {
    if (!rt->positions_saved) continue;
    bool forgot = false;
    std::unique_lock<std::shared_mutex> pause(rt->apply_mu);
    if (rt->dropped) continue;
    for (const std::string& name : rt->positions->Names()) {
      auto sub = after.subscriptions.find(name);
      if (sub == after.subscriptions.end() || sub->second->stream != rt->schema->name) {
        rt->positions->Forget(name);
        forgot = true;
      }
    }
    if (forgot) RETURN_IF_ERROR(SavePositionsLocked(*rt));
  }
  return Status::OK();
}

Status Engine::StartSources(const catalog::Snapshot& after) {
  for (const auto& [name, def] : after.subscriptions) {
    if (!def->enabled) continue;
    {
      std::lock_guard<std::mutex> l(sources_mu_);
      if (sources_.count(name)) continue;
    }
    std::shared_ptr<StreamRuntime> rt = FindStream(def->stream);
    if (!rt) continue;  // cannot happen: the catalog keeps a subscription's stream
    if (!rt->positions_saved) {
      // The saved copy exists before the first record of a subscription (RestoreOrigins reads
      // the log for positions only when there is one).
      std::unique_lock<std::shared_mutex> pause(rt->apply_mu);
      if (!rt->positions_saved) RETURN_IF_ERROR(SavePositionsLocked(*rt));
    }
    std::weak_ptr<StreamRuntime> weak = rt;
    auto deliver = [this, name = name, weak](const sources::Delivery& d) -> Status {
      std::shared_ptr<StreamRuntime> stream = weak.lock();
      if (!stream) return Unavailable("the stream is gone");
      return Deliver(name, stream, d);
    };
    RunningSource r;
    r.def = def;
    r.source = sources::MakeSource(name, def->stream, def->spec, *rt->schema, options_.ingest, rt->positions->Get(name),
                                   std::move(deliver));
    r.source->Start();
    spdlog::info("subscription {}: started ({} {} {} into stream {})", name, sources::KindName(def->spec.kind),
                 def->spec.kind == sources::SourceKind::kKafka ? "topic" : "stream", def->spec.topic, def->stream);
    std::lock_guard<std::mutex> l(sources_mu_);
    sources_[name] = std::move(r);
  }
  return Status::OK();
}

Status Engine::Deliver(const std::string& sub, const std::shared_ptr<StreamRuntime>& rt, const sources::Delivery& d) {
  const int64_t start = MonotonicMicros();
  if (!d.errors->empty()) RETURN_IF_ERROR(deadletter_->Write(rt->schema->name, *d.errors, d.error_origins));
  if (d.rows->num_rows() > 0) {
    RETURN_IF_ERROR(AppendRows(*rt, *d.rows, d.origin, [&](const wal::AppendResult&) {
                      rt->positions->Advance(sub, d.reached);
                    }).status());
  } else {
    // No row to log (a positions-only delivery, every message bad, a Kinesis shard found
    // drained): the positions go into the saved copy instead, as durable as a record's origin.
    std::unique_lock<std::shared_mutex> pause(rt->apply_mu);
    if (rt->dropped) return Unavailable("stream {} was dropped", rt->schema->name);
    rt->positions->Advance(sub, d.reached);
    RETURN_IF_ERROR(SavePositionsLocked(*rt));
  }
  metrics_.events_accepted += d.rows->num_rows();
  metrics_.events_rejected += d.errors->size();
  metrics_.ingest_micros_total += static_cast<uint64_t>(MonotonicMicros() - start);
  return Status::OK();
}

std::vector<sources::SourceStatus> Engine::SourceStatuses() const {
  catalog::SnapshotPtr snap = catalog_->snapshot();
  std::vector<sources::SourceStatus> out;
  std::lock_guard<std::mutex> l(sources_mu_);
  for (const auto& [name, def] : snap->subscriptions) {
    auto it = sources_.find(name);
    if (it != sources_.end() && it->second.def == def) {
      out.push_back(it->second.source->Status());
      continue;
    }
    sources::SourceStatus s;
    s.subscription = name;
    s.stream = def->stream;
    s.kind = sources::KindName(def->spec.kind);
    s.topic = def->spec.topic;
    s.state = def->enabled && !options_.read_only ? "starting" : "disabled";
    if (std::shared_ptr<StreamRuntime> rt = FindStream(def->stream))
      for (const auto& [id, p] : rt->positions->Get(name)) s.partitions.push_back({id, p, -1, -1});
    out.push_back(std::move(s));
  }
  return out;
}

std::string Engine::DescribeSourcesJson() const {
  using json = nlohmann::json;
  json arr = json::array();
  for (const sources::SourceStatus& s : SourceStatuses()) {
    json parts = json::array();
    int64_t lag = 0;
    bool lag_known = !s.partitions.empty();
    for (const auto& p : s.partitions) {
      json j = {{"id", p.id}};
      j["position"] = p.position.empty() ? json(nullptr) : json(p.position);
      j["high_watermark"] = p.high_watermark >= 0 ? json(p.high_watermark) : json(nullptr);
      j["lag"] = p.lag >= 0 ? json(p.lag) : json(nullptr);
      if (p.lag >= 0) lag += p.lag;
      else lag_known = false;
      parts.push_back(std::move(j));
    }
    json j = {{"name", s.subscription},   {"stream", s.stream},       {"kind", s.kind},
              {"topic", s.topic},         {"state", s.state},         {"events", s.events},
              {"bad_messages", s.bad_messages}, {"records", s.records}, {"events_per_second", s.events_per_second},
              {"partitions", std::move(parts)}};
    j["lag"] = lag_known ? json(lag) : json(nullptr);
    j["last_error"] = s.last_error.empty() ? json(nullptr) : json(s.last_error);
    j["last_error_at"] = s.last_error.empty() ? json(nullptr) : json(FormatTimestamp(s.last_error_at));
    arr.push_back(std::move(j));
  }
  return json({{"sources", std::move(arr)}}).dump();
}

std::vector<std::vector<Value>> EngineRelations::LiveRows(const std::string& table) const {
  std::vector<std::vector<Value>> rows;
  if (table != "subscriptions") return rows;
  for (const sources::SourceStatus& s : e_->SourceStatuses()) {
    auto sub = cat_.subscriptions.find(s.subscription);
    bool enabled = sub != cat_.subscriptions.end() && sub->second->enabled;
    auto opt = [](int64_t v) { return v >= 0 ? Value::Int(v) : Value::Null(); };
    auto row = [&](const sources::PartitionStatus* p) {
      rows.push_back({Value::Text(s.subscription), Value::Text(s.stream), Value::Text(s.kind), Value::Text(s.topic),
                      Value::Text(s.state), Value::Bool(enabled), p ? Value::Text(p->id) : Value::Null(),
                      p && !p->position.empty() ? Value::Text(p->position) : Value::Null(),
                      p ? opt(p->high_watermark) : Value::Null(), p ? opt(p->lag) : Value::Null(),
                      Value::Int(static_cast<int64_t>(s.events)), Value::Int(static_cast<int64_t>(s.bad_messages)),
                      Value::Double(s.events_per_second),
                      s.last_error.empty() ? Value::Null() : Value::Text(s.last_error)});
    };
    if (s.partitions.empty()) row(nullptr);
    for (const auto& p : s.partitions) row(&p);
  }
  return rows;
}

std::string Engine::SourcesMetricsText() const {
  std::vector<sources::SourceStatus> all = SourceStatuses();
  if (all.empty()) return {};
  std::string out;
  auto family = [&](const char* name, const char* type, const char* help, const auto& each) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
    for (const auto& s : all) each(name, s);
  };
  auto labels = [](const sources::SourceStatus& s) {
    return fmt::format("subscription=\"{}\",stream=\"{}\"", s.subscription, s.stream);
  };
  family("laminar_source_up", "gauge", "1 while the subscription's source consumes without error.",
         [&](const char* n, const auto& s) { out += fmt::format("{}{{{}}} {}\n", n, labels(s), s.state == "running" ? 1 : 0); });
  family("laminar_source_events_total", "counter", "Events a subscription stored since the server started.",
         [&](const char* n, const auto& s) { out += fmt::format("{}{{{}}} {}\n", n, labels(s), s.events); });
  family("laminar_source_bad_messages_total", "counter",
         "Messages a subscription sent to the dead-letter store since the server started.",
         [&](const char* n, const auto& s) { out += fmt::format("{}{{{}}} {}\n", n, labels(s), s.bad_messages); });
  family("laminar_source_events_per_second", "gauge", "Events a subscription stored per second, over the last 10 s.",
         [&](const char* n, const auto& s) { out += fmt::format("{}{{{}}} {}\n", n, labels(s), s.events_per_second); });
  family("laminar_source_next_offset", "gauge", "Kafka: the offset of the next message a subscription reads, per partition.",
         [&](const char* n, const auto& s) {
           if (s.kind != "kafka") return;
           for (const auto& p : s.partitions)
             if (!p.position.empty())
               out += fmt::format("{}{{{},partition=\"{}\"}} {}\n", n, labels(s), p.id, p.position);
         });
  family("laminar_source_lag", "gauge",
         "What a subscription has not read yet, per partition or shard (Kafka: messages; Kinesis: milliseconds behind).",
         [&](const char* n, const auto& s) {
           for (const auto& p : s.partitions)
             if (p.lag >= 0) out += fmt::format("{}{{{},partition=\"{}\"}} {}\n", n, labels(s), p.id, p.lag);
         });
  return out;
}

}  // namespace laminar::engine
