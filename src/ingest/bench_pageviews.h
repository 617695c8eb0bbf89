// Pageview events for the microbenchmarks (src/*/*_benchmark.cc; never linked into the server):
// the shape and distributions of app/gen.cc (`laminar gen pageviews`, which the modules below
// app/ may not include) — 11 columns, `rate` events per second of event time from
// 2024-01-08T10:00:00Z with 2% up to 5 minutes late, ~40 URLs and ~10k users with Zipf-like
// popularity, 15 countries, ~35% null referrers, log-normal latency and size — as a RowBatch, and
// as the NDJSON lines `gen` writes.
//
// Thread safety: pure functions.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"

namespace laminar::ingest::bench {

enum PageviewColumn { kTs, kUserId, kSessionId, kUrl, kReferrer, kCountry, kDevice, kBrowser, kStatus, kLatency, kBytes };

// kPageviewsDdl of app/gen.h.
inline StreamSchema PageviewsSchema() {
  StreamSchema s;
  s.name = "pageviews";
  s.columns = {{"ts", Type::kTimestamp, true},  {"user_id", Type::kText},  {"session_id", Type::kText},
               {"url", Type::kText},            {"referrer", Type::kText}, {"country", Type::kText},
               {"device", Type::kText},         {"browser", Type::kText},  {"status", Type::kInt64},
               {"latency_ms", Type::kDouble},   {"bytes", Type::kInt64}};
  s.event_time_index = 0;
  return s;
}

// `n` pageview rows at `rate` events per second of event time.
inline RowBatch Pageviews(size_t n, uint64_t seed, double rate = 2000) {
  static const char* const kUrls[] = {
      "/", "/products", "/search", "/cart", "/products/1001", "/products/1002", "/products/1003",
      "/products/1004", "/products/1005", "/products/1006", "/products/1007", "/products/1008", "/checkout",
      "/login", "/signup", "/account", "/account/orders", "/blog", "/blog/lambda-architecture",
      "/blog/streaming-101", "/blog/parquet-tips", "/about", "/contact", "/help", "/help/shipping",
      "/help/returns", "/pricing", "/careers", "/api/recommendations", "/api/cart", "/api/search", "/deals",
      "/deals/weekly", "/gift-cards", "/stores", "/stores/berlin", "/stores/new-york", "/privacy", "/terms",
      "/sitemap.xml"};
  static const char* const kCountries[] = {"US", "IN", "DE", "GB", "BR", "FR", "JP", "CA",
                                           "NL", "ES", "IT", "AU", "MX", "PL", "SE"};
  static const char* const kDevices[] = {"desktop", "mobile", "tablet"};
  static const char* const kBrowsers[] = {"Chrome", "Safari", "Edge", "Firefox", "Samsung Internet"};
  static const char* const kReferrers[] = {"https://www.google.com/", "https://shop.example.com/",
                                           "https://www.bing.com/", "https://t.co/", "https://news.ycombinator.com/"};
  auto zipf = [](int k, double s) {  // weights 1/i^s, i = 1..k
    std::vector<double> w(k);
    for (int i = 1; i <= k; i++) w[i - 1] = 1.0 / std::pow(i, s);
    return std::discrete_distribution<int>(w.begin(), w.end());
  };
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> gap(rate / 1e6);
  std::uniform_real_distribution<double> unit(0, 1);
  std::discrete_distribution<int> user = zipf(10'000, 1.05), url = zipf(40, 1.0);
  std::discrete_distribution<int> country{30, 10, 7, 7, 6, 5, 5, 4, 3, 3, 3, 3, 3, 2, 2};
  std::lognormal_distribution<double> latency(std::log(60.0), 0.6), bytes(std::log(18000.0), 0.9);
  RowBatch b(PageviewsSchema());
  double clock = 1'704'708'000.0 * kMicrosPerSecond;  // 2024-01-08T10:00:00Z
  for (size_t i = 0; i < n; i++) {
    clock += gap(rng);
    int64_t ts = static_cast<int64_t>(clock) / 1000 * 1000;  // milliseconds, as gen writes them
    if (unit(rng) < 0.02) ts -= static_cast<int64_t>(unit(rng) * 300e6) / 1000 * 1000;
    int u = user(rng);
    int status = unit(rng) < 0.9 ? 200 : (rng() % 2 ? 304 : 404);
    b.column(kTs).AppendInt(ts);
    b.column(kUserId).AppendText(fmt::format("u{:05d}", u));
    b.column(kSessionId).AppendText(fmt::format(
        "{:016x}", (u * 0x9e3779b97f4a7c15ULL) ^ static_cast<uint64_t>(ts / (30 * kMicrosPerMinute))));
    b.column(kUrl).AppendText(kUrls[url(rng)]);
    if (unit(rng) < 0.35) b.column(kReferrer).AppendNull();
    else b.column(kReferrer).AppendText(kReferrers[rng() % 5]);
    b.column(kCountry).AppendText(kCountries[country(rng)]);
    b.column(kDevice).AppendText(kDevices[u % 3]);
    b.column(kBrowser).AppendText(kBrowsers[rng() % 5]);
    b.column(kStatus).AppendInt(status);
    b.column(kLatency).AppendDouble(std::round(latency(rng) * 10) / 10);
    b.column(kBytes).AppendInt(status == 304 ? 0 : static_cast<int64_t>(bytes(rng)));
    b.FinishRow();
  }
  return b;
}

// Row `r` of Pageviews() as the JSON object `gen` writes (no newline).
inline std::string PageviewJson(const RowBatch& b, size_t r) {
  const int64_t ts = b.column(kTs).ints[r];
  const int64_t days = ts / kMicrosPerDay, ms = ts % kMicrosPerDay / 1000;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  auto text = [&](int c) { return std::string(b.column(c).text(r)); };
  std::string referrer = b.column(kReferrer).is_null(r) ? "null" : "\"" + text(kReferrer) + "\"";
  return fmt::format(
      "{{\"ts\":\"{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z\",\"user_id\":\"{}\",\"session_id\":\"{}\","
      "\"url\":\"{}\",\"referrer\":{},\"country\":\"{}\",\"device\":\"{}\",\"browser\":\"{}\",\"status\":{},"
      "\"latency_ms\":{:.1f},\"bytes\":{}}}",
      y, m, d, ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60, ms % 1000, text(kUserId), text(kSessionId),
      text(kUrl), referrer, text(kCountry), text(kDevice), text(kBrowser), b.column(kStatus).ints[r],
      b.column(kLatency).doubles[r], b.column(kBytes).ints[r]);
}

// `n` events as an NDJSON body (each line ending in '\n').
inline std::string PageviewsNdjson(size_t n, uint64_t seed) {
  RowBatch b = Pageviews(n, seed);
  std::string body;
  for (size_t r = 0; r < b.num_rows(); r++) body += PageviewJson(b, r) + "\n";
  return body;
}

}  // namespace laminar::ingest::bench
