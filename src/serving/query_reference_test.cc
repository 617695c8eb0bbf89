// The reference check (the re2 pattern): for random event streams split over random speed-layer
// generations and random queries, the view answer equals the same aggregate computed from
// scratch over the raw events by a slow, obviously correct reference.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <tuple>
#include <map>
#include <random>

#include "catalog/catalog.h"
#include "serving/engine_query.h"
#include "serving/table_catalog.h"
#include "sql/parser.h"
#include "sql/transformer.h"
#include "speed/speed_view.h"

namespace laminar::serving {
namespace {

struct Event {
  int64_t ts;
  std::optional<std::string> country;
  std::string device;
  int64_t status;
  std::optional<double> latency;
};

// Only the view: no stream or dimension table is read.
class NoRelations : public RelationProvider {
 public:
  Result<RelationInfo> Describe(const std::string&, const std::string& name) const override {
    return NotFound("relation \"{}\" does not exist", name);
  }
  Status Scan(const RelationInfo& rel, const ScanRequest&, const ScanFn&, QueryStats*) const override {
    return NotFound("relation \"{}\" does not exist", rel.name);
  }
};

const char* kCountries[] = {"US", "DE", "FR", "JP", "BR"};
const char* kDevices[] = {"desktop", "mobile", "tablet"};
constexpr int64_t kBase = 1704067200LL * kMicrosPerSecond;  // 2024-01-01

Event RandomEvent(std::mt19937_64& rng) {
  Event e;
  e.ts = kBase + int64_t(rng() % (3 * kMicrosPerHour));
  if (rng() % 8) e.country = kCountries[rng() % 5];
  e.device = kDevices[rng() % 3];
  static const int64_t kStatus[] = {200, 200, 200, 301, 404, 500};
  e.status = kStatus[rng() % 6];
  if (rng() % 6) e.latency = double(rng() % 100000) / (1 + rng() % 1000) * (rng() % 2 ? 1e-3 : 1e3);
  return e;
}

ingest::RowBatch ToBatch(const ingest::StreamSchema& s, const std::vector<Event>& evs) {
  ingest::RowBatch b(s);
  for (const Event& e : evs)
    b.AppendRow({Value::Timestamp(e.ts), e.country ? Value::Text(*e.country) : Value::Null(),
                 Value::Text(e.device), Value::Int(e.status),
                 e.latency ? Value::Double(*e.latency) : Value::Null()});
  return b;
}

// A random query and the matching reference predicate/grouping.
struct RandomQuery {
  std::string sql;
  bool hour_bucket = false, by_time = false, by_country = false, by_device = false;
  std::function<bool(const Event&)> where = [](const Event&) { return true; };
};

RandomQuery MakeQuery(std::mt19937_64& rng) {
  RandomQuery q;
  q.by_time = rng() % 2;
  q.hour_bucket = q.by_time && rng() % 2;
  q.by_country = rng() % 2;
  q.by_device = rng() % 2;
  std::vector<std::string> keys;
  if (q.by_time) keys.push_back(q.hour_bucket ? "date_trunc('hour', minute)" : "minute");
  if (q.by_country) keys.push_back("country");
  if (q.by_device) keys.push_back("device");
  std::string select;
  for (size_t i = 0; i < keys.size(); i++) select += keys[i] + ", ";
  select += "sum(n), sum(nl), sl, avg(al), min(mn), max(mx), ss, count(*)";
  std::string where;
  switch (rng() % 5) {
    case 0: break;
    case 1: {
      std::string c = kCountries[rng() % 5];
      where = " WHERE country = '" + c + "'";
      q.where = [c](const Event& e) { return e.country && *e.country == c; };
      break;
    }
    case 2: {
      std::string d1 = kDevices[rng() % 3], d2 = kDevices[rng() % 3];
      where = " WHERE device IN ('" + d1 + "', '" + d2 + "') OR country IS NULL";
      q.where = [d1, d2](const Event& e) { return e.device == d1 || e.device == d2 || !e.country; };
      break;
    }
    case 3: {
      int64_t t = kBase + int64_t(rng() % 180) * kMicrosPerMinute;
      where = " WHERE minute >= '" + FormatTimestamp(t) + "' AND NOT (device = 'tablet')";
      q.where = [t](const Event& e) { return DateTrunc(TimeUnit::kMinute, e.ts) >= t && e.device != "tablet"; };
      break;
    }
    case 4: {
      int64_t a = kBase + int64_t(rng() % 90) * kMicrosPerMinute, b = a + int64_t(rng() % 90) * kMicrosPerMinute;
      where = " WHERE minute BETWEEN '" + FormatTimestamp(a) + "' AND '" + FormatTimestamp(b) + "' AND country <> 'US'";
      q.where = [a, b](const Event& e) {
        int64_t m = DateTrunc(TimeUnit::kMinute, e.ts);
        return m >= a && m <= b && e.country && *e.country != "US";
      };
      break;
    }
  }
  q.sql = "SELECT " + select + " FROM v" + where;
  if (!keys.empty()) {
    q.sql += " GROUP BY ";
    for (size_t i = 0; i < keys.size(); i++) q.sql += (i ? ", " : "") + std::to_string(i + 1);
  }
  return q;
}

// From scratch: filter, group and aggregate the raw events directly.
std::vector<std::vector<std::string>> Reference(const std::vector<Event>& evs, const RandomQuery& q) {
  struct Acc {
    int64_t n = 0, nl = 0, ss = 0, rows = 0;
    views::ExactSum sl;
    std::optional<double> mn;
    int64_t mx = INT64_MIN;
    std::set<std::tuple<int64_t, std::string, std::string>> view_rows;
  };
  std::map<std::vector<std::string>, Acc> groups;
  bool global = !q.by_time && !q.by_country && !q.by_device;
  if (global) groups[{}];
  for (const Event& e : evs) {
    if (e.status == 500) continue;  // the view's WHERE
    if (!q.where(e)) continue;
    int64_t minute = DateTrunc(TimeUnit::kMinute, e.ts);
    std::vector<std::string> key;
    if (q.by_time) key.push_back(FormatTimestamp(q.hour_bucket ? DateTrunc(TimeUnit::kHour, minute) : minute));
    if (q.by_country) key.push_back(e.country ? *e.country : "NULL");
    if (q.by_device) key.push_back(e.device);
    Acc& a = groups[key];
    a.n++;
    a.ss += e.status;
    a.mx = std::max(a.mx, e.status);
    a.view_rows.insert({minute, e.country ? *e.country : "\x01NULL", e.device});
    if (e.latency) {
      a.nl++;
      a.sl.Add(*e.latency);
      a.mn = a.mn ? std::min(*a.mn, *e.latency) : *e.latency;
    }
  }
  std::vector<std::vector<std::string>> out;
  for (auto& [key, a] : groups) {
    std::vector<std::string> row = key;
    auto d = [](double x) { return Value::Double(x).ToString(); };
    row.push_back(a.n ? std::to_string(a.n) : "NULL");
    row.push_back(a.n ? std::to_string(a.nl) : "NULL");
    row.push_back(a.nl ? d(a.sl.Result()) : "NULL");
    row.push_back(a.nl ? d(a.sl.Result() / double(a.nl)) : "NULL");
    row.push_back(a.mn ? d(*a.mn) : "NULL");
    row.push_back(a.n ? std::to_string(a.mx) : "NULL");
    row.push_back(a.n ? std::to_string(a.ss) : "NULL");
    row.push_back(std::to_string(a.view_rows.size()));
    out.push_back(std::move(row));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::vector<std::string>> Rows(const QueryResult& r) {
  std::vector<std::vector<std::string>> out;
  for (const auto& row : r.rows) {
    std::vector<std::string> s;
    for (const Value& v : row) s.push_back(v.is_null() ? "NULL" : v.ToString());
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(QueryReference, RandomQueriesOverRandomGenerationsMatchFromScratch) {
  std::string dir = std::filesystem::temp_directory_path() / ("laminar-ref-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto cat = catalog::Catalog::Open(dir);
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  auto st = (*cat)->Execute(
      "CREATE TABLE ev (ts timestamptz NOT NULL, country text, device text NOT NULL, status bigint NOT NULL, "
      "latency double precision);"
      "CREATE MATERIALIZED VIEW v AS SELECT date_trunc('minute', ts) AS minute, country, device, count(*) AS n, "
      "count(latency) AS nl, sum(latency) AS sl, avg(latency) AS al, min(latency) AS mn, max(status) AS mx, "
      "sum(status) AS ss FROM ev WHERE status <> 500 GROUP BY 1, 2, 3");
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  catalog::SnapshotPtr snap = (*cat)->snapshot();
  const ingest::StreamSchema& schema = *snap->streams.at("ev");
  views::ViewDefPtr def = snap->views.at("v");

  std::mt19937_64 rng(20261124);
  for (int trial = 0; trial < 40; trial++) {
    std::vector<Event> evs;
    size_t n = 1 + rng() % 2000;
    for (size_t i = 0; i < n; i++) evs.push_back(RandomEvent(rng));
    // Split into batches spread over random generations, applied in random order.
    // The first part goes to a batch version (generation 1), the rest to later generations.
    speed::SpeedView sv(def);
    auto base = std::make_shared<views::ViewState>(def);
    size_t in_base = rng() % 3 == 0 ? 0 : rng() % (evs.size() + 1);
    if (in_base > 0) {
      std::vector<Event> part(evs.begin(), evs.begin() + in_base);
      base->Apply(ToBatch(schema, part));
      sv.Publish(1, in_base, base);
    }
    uint64_t seq = in_base;
    for (size_t i = in_base; i < evs.size();) {
      size_t len = std::min(evs.size() - i, size_t(1 + rng() % 200));
      std::vector<Event> part(evs.begin() + i, evs.begin() + i + len);
      seq += len;
      sv.Apply(2 + rng() % 5, seq, ToBatch(schema, part));
      i += len;
    }
    ViewSnapshotFn fn = [&](const views::ViewDefPtr&) -> Result<ViewSnapshot> {
      speed::SpeedSnapshot s = sv.Snapshot();
      return ViewSnapshot{s.base, std::move(s.state), std::move(s.recent), {}};
    };
    for (int k = 0; k < 15; k++) {
      RandomQuery q = MakeQuery(rng);
      auto parsed = sql::Parse(q.sql);
      ASSERT_TRUE(parsed.ok()) << q.sql << ": " << parsed.status().ToString();
      NoRelations none;
      ProviderCatalog catalog(none, *snap, fn);
      auto ast = sql::TransformStatement(parsed->front());
      ASSERT_TRUE(ast.ok()) << q.sql << ": " << ast.status().ToString();
      auto r = RunEngineQuery(**ast, catalog, QueryLimits{});
      ASSERT_TRUE(r.ok()) << q.sql << ": " << r.status().ToString();
      EXPECT_EQ(Rows(*r), Reference(evs, q)) << "trial " << trial << ": " << q.sql;
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace laminar::serving
