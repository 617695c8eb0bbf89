// Synthetic web pageviews for `laminar gen`, `laminar demo`, tests and benchmarks.
//
// PageviewGenerator produces one NDJSON object per call, shaped for the pageviews stream
// (kPageviewsDdl). Output is a pure function of GenOptions: the same seed gives the same lines
// (within one build; the generator uses std::mt19937_64 and its own distributions).
//
// What the data looks like:
//  - event time advances by an exponential inter-arrival time with mean 1/rate seconds
//    (a Poisson process); about 2% of events are late, stamped up to 5 minutes before the
//    current event time (out of order), as mobile clients that reconnect do;
//  - ~10k users with Zipf-like activity, 30-minute sessions per user, ~40 URLs with Zipf-like
//    popularity, 15 weighted countries, desktop/mobile/tablet with per-device browsers, ~35%
//    null referrers, status mostly 200 with some 301/304/404/500/503, log-normal latency (slower
//    on mobile and for errors, one slow API endpoint) and response sizes that fit the status;
//  - timestamps are ISO-8601 strings with millisecond precision and a 'Z'.
//
// Thread safety: a PageviewGenerator is used by one thread at a time.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace laminar::app {

inline constexpr const char* kPageviewsDdl =
    "CREATE TABLE pageviews (ts timestamptz NOT NULL, user_id text, session_id text, url text, "
    "referrer text, country text, device text, browser text, status bigint, latency_ms double "
    "precision, bytes bigint)";

struct GenOptions {
  uint64_t events = 0;       // how many events the caller wants (NextLine itself never ends)
  uint64_t seed = 42;
  int64_t start_micros = 0;  // event time of the first event
  double rate = 0;           // events per second of event time; 0 (or less) → 1000
};

class PageviewGenerator {
 public:
  explicit PageviewGenerator(GenOptions options);

  // One NDJSON object, without the newline.
  std::string NextLine();

  // Event time of the most recent in-order event (late events are stamped before it).
  int64_t clock_micros() const { return clock_; }

 private:
  double Uniform();        // [0, 1)
  double Normal();         // standard normal
  size_t Pick(const std::vector<double>& cdf);  // index by a cumulative weight table

  GenOptions options_;
  std::mt19937_64 rng_;
  double mean_gap_micros_;
  double clock_exact_;     // event time as a double, so sub-microsecond gaps accumulate
  int64_t clock_;
  std::vector<double> user_cdf_, url_cdf_, country_cdf_, device_cdf_, referrer_cdf_, status_cdf_;
  std::vector<std::vector<double>> browser_cdf_;  // per device
};

}  // namespace laminar::app
