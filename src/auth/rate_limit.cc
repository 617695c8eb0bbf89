#include "auth/rate_limit.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace laminar::auth {
namespace {

double BurstOf(double rate, double burst) { return burst > 0 ? burst : std::max(1.0, rate); }

}  // namespace

RateLimiter::Bucket& RateLimiter::Refill(const std::string& key, double rate, double burst, Clock::time_point now) {
  Bucket& b = buckets_[key];
  if (!b.started) {
    b = Bucket{burst, now, true};
    return b;
  }
  double seconds = std::chrono::duration<double>(now - b.at).count();
  if (seconds > 0) {
    b.level = std::min(burst, b.level + seconds * rate);
    b.at = now;
  }
  return b;
}

RateLimiter::Decision RateLimiter::Admit(const Principal& who, bool events, Clock::time_point now) {
  const double rate = events ? who.limits.events_per_second : who.limits.requests_per_second;
  if (rate <= 0) return {};
  const double burst = BurstOf(rate, events ? who.limits.events_burst : who.limits.requests_burst);
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& b = Refill(fmt::format("{}/{}/{}", who.kind, who.name, events ? "events" : "requests"), rate, burst, now);
  if (b.level >= 1) {
    if (!events) b.level -= 1;
    return {};
  }
  Decision d;
  d.admitted = false;
  d.retry_after_seconds = std::max(1, static_cast<int>(std::ceil((1 - b.level) / rate)));
  d.limit = fmt::format("{} = {}", events ? "events_per_second" : "requests_per_second", rate);
  return d;
}

void RateLimiter::Spend(const Principal& who, uint64_t events, Clock::time_point now) {
  const double rate = who.limits.events_per_second;
  if (rate <= 0 || events == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& b = Refill(fmt::format("{}/{}/events", who.kind, who.name), rate, BurstOf(rate, who.limits.events_burst), now);
  b.level -= static_cast<double>(events);
}

}  // namespace laminar::auth
