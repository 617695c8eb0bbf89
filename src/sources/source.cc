#include "sources/source.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "common/time_util.h"
#include "sources/kafka_source.h"
#include "sources/kinesis_source.h"

namespace laminar::sources {
namespace {
constexpr int64_t kRateWindowMicros = 10'000'000;
}  // namespace

Source::Source(std::string subscription, std::string stream, SourceSpec spec, ingest::StreamSchema schema,
               ingest::Limits limits, Positions resume, DeliverFn deliver)
    : subscription_(std::move(subscription)),
      stream_(std::move(stream)),
      spec_(std::move(spec)),
      schema_(std::move(schema)),
      limits_(limits),
      deliver_(std::move(deliver)),
      positions_(std::move(resume)) {
  status_.subscription = subscription_;
  status_.stream = stream_;
  status_.kind = KindName(spec_.kind);
  status_.topic = spec_.topic;
  status_.state = "starting";
}

Source::~Source() { Stop(); }

void Source::Start() { thread_ = std::thread([this] { Run(); }); }

void Source::Stop() {
  stopping_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

SourceStatus Source::Status() const {
  std::lock_guard<std::mutex> l(mu_);
  SourceStatus s = status_;
  std::map<std::string, PartitionStatus> parts;
  for (const auto& [id, p] : positions_) parts[id].position = p;
  for (const auto& [id, lh] : lag_) {
    parts[id].lag = lh.first;
    parts[id].high_watermark = lh.second;
  }
  for (auto& [id, ps] : parts) {
    ps.id = id;
    s.partitions.push_back(ps);
  }
  // Kafka partitions in numeric order.
  std::stable_sort(s.partitions.begin(), s.partitions.end(),
                   [](const PartitionStatus& a, const PartitionStatus& b) { return Ahead(b.id, a.id); });
  if (rate_samples_.size() >= 2) {
    const auto& [t0, e0] = rate_samples_.front();
    const auto& [t1, e1] = rate_samples_.back();
    if (t1 > t0) s.events_per_second = double(e1 - e0) * 1e6 / double(t1 - t0);
  }
  return s;
}

void Source::NoteError(const std::string& what) {
  spdlog::info("subscription {}: {} (retried)", subscription_, what);
  std::lock_guard<std::mutex> l(mu_);
  status_.last_error = what;
  status_.last_error_at = NowMicros();
}

void Source::SetError(const std::string& what) {
  spdlog::warn("subscription {}: {}", subscription_, what);
  std::lock_guard<std::mutex> l(mu_);
  status_.state = "error";
  status_.last_error = what;
  status_.last_error_at = NowMicros();
}

void Source::SetState(const char* state) {
  std::lock_guard<std::mutex> l(mu_);
  status_.state = state;
}

bool Source::Sleep(int ms) {
  std::unique_lock<std::mutex> l(mu_);
  cv_.wait_for(l, std::chrono::milliseconds(ms), [&] { return stopping_.load(); });
  return !stopping_;
}

Positions Source::positions() const {
  std::lock_guard<std::mutex> l(mu_);
  return positions_;
}

void Source::SetLag(const std::string& id, int64_t lag, int64_t high_watermark) {
  std::lock_guard<std::mutex> l(mu_);
  lag_[id] = {lag, high_watermark};
}

Delivery Source::MakeDelivery(const ingest::ParseResult& parsed, const std::function<std::string(size_t)>& origin_of,
                              Positions reached) const {
  Delivery d;
  d.rows = &parsed.rows;
  d.errors = &parsed.errors;
  for (const auto& e : parsed.errors) d.error_origins.push_back(origin_of(e.index));
  d.origin = SourcePositions::Origin(spec_.kind, subscription_, spec_.topic, reached);
  d.reached = std::move(reached);
  return d;
}

bool Source::DeliverRetrying(const Delivery& d) {
  int backoff = 100;
  while (!stopping_) {
    ::laminar::Status st = deliver_(d);
    if (st.ok()) {
      int64_t now = MonotonicMicros();
      std::lock_guard<std::mutex> l(mu_);
      for (const auto& [id, p] : d.reached) {
        auto [it, fresh] = positions_.emplace(id, p);
        if (!fresh && Ahead(p, it->second)) it->second = p;
      }
      if (!d.positions_only) {
        status_.events += d.rows->num_rows();
        status_.bad_messages += d.errors->size();
        status_.records++;
        status_.state = "running";
        rate_samples_.emplace_back(now, status_.events);
        while (rate_samples_.size() > 2 && rate_samples_.front().first < now - kRateWindowMicros)
          rate_samples_.pop_front();
      }
      return true;
    }
    SetError(fmt::format("storing a batch of {}: {}", spec_.topic, st.message()));
    if (!Sleep(backoff)) break;
    backoff = std::min(backoff * 2, kMaxBackoffMs);
  }
  return false;
}

bool Source::DeliverPositions(const Positions& reached) {
  Delivery d;
  ingest::RowBatch none(schema_);
  std::vector<ingest::RecordError> no_errors;
  d.rows = &none;
  d.errors = &no_errors;
  d.reached = reached;
  d.origin = SourcePositions::Origin(spec_.kind, subscription_, spec_.topic, reached);
  d.positions_only = true;
  return DeliverRetrying(d);
}

std::unique_ptr<Source> MakeSource(std::string subscription, std::string stream, SourceSpec spec,
                                   ingest::StreamSchema schema, ingest::Limits limits, Positions resume,
                                   DeliverFn deliver) {
  if (spec.kind == SourceKind::kKinesis)
    return std::make_unique<KinesisSource>(std::move(subscription), std::move(stream), std::move(spec),
                                           std::move(schema), limits, std::move(resume), std::move(deliver));
  return std::make_unique<KafkaSource>(std::move(subscription), std::move(stream), std::move(spec), std::move(schema),
                                       limits, std::move(resume), std::move(deliver));
}

}  // namespace laminar::sources
