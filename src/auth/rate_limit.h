// Rate limits per principal, as an API gateway's usage plan: requests per second and events per
// second, each a token bucket that holds at most its burst and refills at its rate.
//
// Requests: a request is admitted when its principal's request bucket holds at least one request,
// and takes it. Events: the number of events of a request is known only once it is parsed, so a
// request is admitted when the event bucket holds at least one event, and its accepted events
// are taken afterwards (`SpendEvents`; the bucket may go below zero by one request's events,
// which then delays the next ones until it refills). A refusal says how long to wait: the time
// until the bucket holds one again, rounded up to whole seconds (Retry-After).
//
// Buckets are keyed by the principal's kind and name and start full. A principal without
// limits (Limits zero) is never refused and costs nothing.
//
// Thread safety: all methods are thread-safe (one mutex).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "auth/scopes.h"

namespace laminar::auth {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  struct Decision {
    bool admitted = true;
    int retry_after_seconds = 0;  // when refused
    std::string limit;            // "requests_per_second = 5", when refused
  };

  Decision AdmitRequest(const Principal& who) { return Admit(who, /*events=*/false, Clock::now()); }
  Decision AdmitEvents(const Principal& who) { return Admit(who, /*events=*/true, Clock::now()); }
  void SpendEvents(const Principal& who, uint64_t events) { Spend(who, events, Clock::now()); }

  // For tests: the same with a given time.
  Decision Admit(const Principal& who, bool events, Clock::time_point now);
  void Spend(const Principal& who, uint64_t events, Clock::time_point now);

 private:
  struct Bucket {
    double level = 0;
    Clock::time_point at;
    bool started = false;
  };
  Bucket& Refill(const std::string& key, double rate, double burst, Clock::time_point now);

  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace laminar::auth
