#include "app/gen.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/time_util.h"

namespace laminar::app {
namespace {

constexpr int kUsers = 10'000;
constexpr uint64_t kUserIdSpace = 10'007;  // prime, ≥ kUsers
constexpr double kLateFraction = 0.02;
constexpr double kMaxLateSeconds = 300;
constexpr int64_t kSessionMicros = 30 * kMicrosPerMinute;

const char* const kUrls[] = {
    "/",                 "/products",           "/search",           "/cart",
    "/products/1001",    "/products/1002",      "/products/1003",    "/products/1004",
    "/products/1005",    "/products/1006",      "/products/1007",    "/products/1008",
    "/checkout",         "/login",              "/signup",           "/account",
    "/account/orders",   "/blog",               "/blog/lambda-architecture", "/blog/streaming-101",
    "/blog/parquet-tips", "/about",             "/contact",          "/help",
    "/help/shipping",    "/help/returns",       "/pricing",          "/careers",
    "/api/recommendations", "/api/cart",        "/api/search",       "/deals",
    "/deals/weekly",     "/gift-cards",         "/stores",           "/stores/berlin",
    "/stores/new-york",  "/privacy",            "/terms",            "/sitemap.xml",
};
constexpr size_t kNumUrls = sizeof kUrls / sizeof kUrls[0];

struct Weighted {
  const char* name;
  double weight;
};

const Weighted kCountries[] = {
    {"US", 30}, {"IN", 10}, {"DE", 7}, {"GB", 7}, {"BR", 6}, {"FR", 5}, {"JP", 5}, {"CA", 4},
    {"NL", 3},  {"ES", 3},  {"IT", 3}, {"AU", 3}, {"MX", 3}, {"PL", 2}, {"SE", 2},
};
const Weighted kDevices[] = {{"desktop", 55}, {"mobile", 38}, {"tablet", 7}};
const Weighted kBrowsers[3][5] = {
    {{"Chrome", 64}, {"Edge", 13}, {"Firefox", 10}, {"Safari", 12}, {"Opera", 1}},           // desktop
    {{"Chrome", 58}, {"Safari", 30}, {"Samsung Internet", 8}, {"Firefox", 3}, {"Opera", 1}},  // mobile
    {{"Safari", 55}, {"Chrome", 38}, {"Samsung Internet", 4}, {"Firefox", 2}, {"Edge", 1}},   // tablet
};
// nullptr: no referrer (JSON null).
const Weighted kReferrers[] = {
    {nullptr, 35},
    {"https://www.google.com/", 30},
    {"https://shop.example.com/", 12},
    {"https://www.bing.com/", 5},
    {"https://duckduckgo.com/", 4},
    {"https://t.co/", 4},
    {"https://www.facebook.com/", 4},
    {"https://news.ycombinator.com/", 3},
    {"https://www.reddit.com/", 3},
};
const int kStatuses[] = {200, 304, 301, 404, 500, 503};
const double kStatusWeights[] = {90.0, 4.0, 2.0, 2.5, 1.0, 0.5};

template <typename It, typename Weight>
std::vector<double> Cdf(It begin, It end, Weight weight) {
  std::vector<double> cdf;
  double sum = 0;
  for (It it = begin; it != end; ++it) cdf.push_back(sum += weight(*it));
  for (double& c : cdf) c /= sum;
  cdf.back() = 1.0;
  return cdf;
}

// Zipf-like weights 1/k^s for k = 1..n.
std::vector<double> ZipfCdf(size_t n, double s) {
  std::vector<size_t> ranks(n);
  for (size_t i = 0; i < n; i++) ranks[i] = i + 1;
  return Cdf(ranks.begin(), ranks.end(), [s](size_t k) { return 1.0 / std::pow(double(k), s); });
}

std::vector<double> WeightCdf(const Weighted* begin, const Weighted* end) {
  return Cdf(begin, end, [](const Weighted& w) { return w.weight; });
}

// splitmix64: a stateless mix for per-user and per-session identifiers.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The entry of a cumulative weight table that u in [0, 1) falls in.
size_t Index(const std::vector<double>& cdf, double u) {
  size_t i = static_cast<size_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
  return std::min(i, cdf.size() - 1);
}

// A fixed number in [0, 1) derived from a user's key: that user's habitual choice.
double UserUnit(uint64_t user_key, int shift) { return static_cast<double>((user_key >> shift) % 10007) / 10007.0; }

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// "2024-01-08T10:00:00.123Z"
void AppendTimestampMillis(fmt::memory_buffer* out, int64_t micros) {
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t rem = micros - days * kMicrosPerDay;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  int64_t ms = rem / 1000;
  fmt::format_to(std::back_inserter(*out), "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", y, m, d,
                 ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60, ms % 1000);
}

}  // namespace

PageviewGenerator::PageviewGenerator(GenOptions options)
    : options_(options),
      rng_(options.seed),
      mean_gap_micros_(1e6 / (options.rate > 0 ? options.rate : 1000.0)),
      clock_exact_(static_cast<double>(options.start_micros)),
      clock_(options.start_micros) {
  user_cdf_ = ZipfCdf(kUsers, 1.05);
  url_cdf_ = ZipfCdf(kNumUrls, 1.0);
  country_cdf_ = WeightCdf(std::begin(kCountries), std::end(kCountries));
  device_cdf_ = WeightCdf(std::begin(kDevices), std::end(kDevices));
  referrer_cdf_ = WeightCdf(std::begin(kReferrers), std::end(kReferrers));
  status_cdf_ = Cdf(std::begin(kStatusWeights), std::end(kStatusWeights), [](double w) { return w; });
  for (const auto& table : kBrowsers) browser_cdf_.push_back(WeightCdf(std::begin(table), std::end(table)));
}

double PageviewGenerator::Uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

double PageviewGenerator::Normal() {
  // Box-Muller; one of the pair is enough here.
  double u1 = 1.0 - Uniform();  // (0, 1]
  double u2 = Uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

size_t PageviewGenerator::Pick(const std::vector<double>& cdf) { return Index(cdf, Uniform()); }

std::string PageviewGenerator::NextLine() {
  // Event time: a Poisson process at `rate`, plus a few late arrivals.
  clock_exact_ += -std::log(1.0 - Uniform()) * mean_gap_micros_;
  clock_ = static_cast<int64_t>(clock_exact_);
  int64_t ts = clock_;
  if (Uniform() < kLateFraction) {
    double late_s = std::min(kMaxLateSeconds, 1.0 + -std::log(1.0 - Uniform()) * 45.0);
    ts -= static_cast<int64_t>(late_s * kMicrosPerSecond);
  }

  const size_t user = Pick(user_cdf_);
  // Users are ranked by activity; a permutation of the rank (kUserIdSpace is prime) gives
  // distinct ids that do not reveal it.
  const uint64_t user_num = (user * 7919 + options_.seed % kUserIdSpace) % kUserIdSpace;
  const uint64_t user_key = Mix(options_.seed ^ (user_num * 0x100000001b3ULL));
  const uint64_t session = Mix(user_key ^ static_cast<uint64_t>(FloorDiv(ts, kSessionMicros)));
  const size_t url = Pick(url_cdf_);
  const std::string_view url_path = kUrls[url];
  // A user mostly browses from one country and one device.
  const size_t country_idx =
      Uniform() < 0.9 ? Index(country_cdf_, UserUnit(user_key, 20)) : Pick(country_cdf_);
  const size_t device_idx = Uniform() < 0.8 ? Index(device_cdf_, UserUnit(user_key, 40)) : Pick(device_cdf_);
  const size_t browser_idx = Pick(browser_cdf_[device_idx]);
  const size_t referrer_idx = Pick(referrer_cdf_);

  int status = kStatuses[Pick(status_cdf_)];
  const bool slow_api = url_path == "/api/recommendations";
  if (slow_api && status == 200 && Uniform() < 0.05) status = 503;

  double latency = std::exp(std::log(60.0) + 0.6 * Normal());
  if (device_idx == 1) latency *= 1.3;
  if (slow_api) latency *= 3.0;
  if (status == 304 || status == 301) latency *= 0.4;
  if (status >= 500) latency *= 4.0;
  latency = std::max(0.1, std::round(latency * 10.0) / 10.0);

  int64_t bytes;
  switch (status) {
    case 200: bytes = static_cast<int64_t>(std::exp(std::log(18000.0) + 0.9 * Normal())); break;
    case 304: bytes = 0; break;
    case 301: bytes = 180 + static_cast<int64_t>(Uniform() * 60); break;
    case 404: bytes = 1200 + static_cast<int64_t>(Uniform() * 600); break;
    default: bytes = 300 + static_cast<int64_t>(Uniform() * 200); break;
  }

  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "{{\"ts\":\"");
  AppendTimestampMillis(&out, ts);
  fmt::format_to(it, "\",\"user_id\":\"u{:05d}\",\"session_id\":\"{:016x}\",\"url\":\"{}\",\"referrer\":", user_num,
                 session, url_path);
  if (kReferrers[referrer_idx].name) {
    fmt::format_to(it, "\"{}\"", kReferrers[referrer_idx].name);
  } else {
    fmt::format_to(it, "null");
  }
  fmt::format_to(it,
                 ",\"country\":\"{}\",\"device\":\"{}\",\"browser\":\"{}\",\"status\":{},\"latency_ms\":{:.1f},"
                 "\"bytes\":{}}}",
                 kCountries[country_idx].name, kDevices[device_idx].name,
                 kBrowsers[device_idx][browser_idx].name, status, latency, bytes);
  return fmt::to_string(out);
}

}  // namespace laminar::app
