#include "views/sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "views/state_codec.h"
#include "views/view_state.h"

namespace laminar::views {
namespace {

// ---- HyperLogLog ----

Hll HllOf(int64_t first, int64_t n) {
  Hll h;
  for (int64_t i = first; i < first + n; i++) h.AddHash(HashValue(Value::Int(i)));
  return h;
}

TEST(Hll, ErrorWithinTwoPercent) {
  for (int64_t n : {100, 1000, 10000, 100000, 1000000}) {
    Hll h = HllOf(12345, n);
    // Duplicates change nothing.
    for (int64_t i = 12345; i < 12345 + std::min<int64_t>(n, 1000); i++) h.AddHash(HashValue(Value::Int(i)));
    double err = std::fabs(h.Estimate() - double(n)) / double(n);
    std::printf("hll n=%lld estimate=%.1f error=%.4f%% dense=%d\n", static_cast<long long>(n), h.Estimate(),
                100 * err, h.is_dense());
    EXPECT_LE(err, 0.02) << "n = " << n;
    if (n <= 1000) {
      EXPECT_LE(err, 0.001) << "linear counting over 2^25 sparse registers is near exact";
    }
  }
  // Text values.
  Hll t;
  for (int i = 0; i < 50000; i++) t.AddHash(HashValue(Value::Text("user-" + std::to_string(i))));
  EXPECT_LE(std::fabs(t.Estimate() - 50000) / 50000, 0.02);
}

TEST(Hll, EqualValuesHashAlike) {
  EXPECT_EQ(HashValue(Value::Double(0.0)), HashValue(Value::Double(-0.0)));
  EXPECT_EQ(HashValue(Value::Double(NAN)), HashValue(Value::Double(-NAN)));
  EXPECT_NE(HashValue(Value::Double(1.0)), HashValue(Value::Double(2.0)));
  EXPECT_NE(HashValue(Value::Text("a")), HashValue(Value::Text("b")));
  ingest::StreamSchema s;
  s.name = "s";
  s.columns = {{"x", Type::kDouble, false}, {"t", Type::kText, false}, {"b", Type::kBool, false}};
  ingest::RowBatch b(s);
  b.AppendRow({Value::Double(-0.0), Value::Text("hello"), Value::Bool(true)});
  EXPECT_EQ(HashColumnValue(b.column(0), 0), HashValue(Value::Double(0.0)));
  EXPECT_EQ(HashColumnValue(b.column(1), 0), HashValue(Value::Text("hello")));
  EXPECT_EQ(HashColumnValue(b.column(2), 0), HashValue(Value::Bool(true)));
}

TEST(Hll, SparseTurnsDenseAtTheThreshold) {
  Hll h;
  int64_t i = 0;
  while (!h.is_dense()) {
    size_t before = h.sparse().size();
    h.AddHash(HashValue(Value::Int(i++)));
    if (!h.is_dense()) {
      EXPECT_LE(h.sparse().size(), Hll::kMaxSparse);
    } else {
      EXPECT_EQ(before, Hll::kMaxSparse);
    }
  }
  EXPECT_EQ(h.registers().size(), Hll::kM);
  EXPECT_TRUE(h.sparse().empty());
  std::printf("hll turned dense after %lld distinct values; estimate %.1f\n", static_cast<long long>(i),
              h.Estimate());
  EXPECT_LE(std::fabs(h.Estimate() - double(i)) / double(i), 0.02);

  // Dense registers derived from sparse entries equal those of direct dense insertion: a sketch
  // that turned dense early (from other values) then got these values equals, after merging, a
  // sketch built in a different order.
  Hll a = HllOf(0, 3000);           // sparse
  Hll b = HllOf(1000000, 5000);     // dense
  ASSERT_FALSE(a.is_dense());
  ASSERT_TRUE(b.is_dense());
  Hll ab = b;
  for (int64_t k = 0; k < 3000; k++) ab.AddHash(HashValue(Value::Int(k)));  // direct dense
  Hll ba = a;
  ba.Merge(b);  // sparse → dense by conversion
  EXPECT_TRUE(ab == ba);
  Hll ab2 = b;
  ab2.Merge(a);
  EXPECT_TRUE(ab2 == ba);
}

// Splits `values` into random parts, merges them in random order, and expects the one-pass state.
template <typename Sketch, typename AddFn>
void ExpectMergeOfSplitsEqualsOnePass(const std::vector<double>& values, AddFn add, std::mt19937_64& rng,
                                      const char* what) {
  Sketch whole;
  for (double v : values) add(whole, v);
  for (int trial = 0; trial < 5; trial++) {
    size_t parts = 1 + rng() % 8;
    std::vector<Sketch> ps(parts);
    std::vector<double> shuffled = values;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    for (double v : shuffled) add(ps[rng() % parts], v);
    std::shuffle(ps.begin(), ps.end(), rng);
    // Merge as a tree sometimes, as a chain otherwise.
    while (ps.size() > 1) {
      size_t i = rng() % ps.size(), j = rng() % ps.size();
      if (i == j) continue;
      ps[i].Merge(ps[j]);
      ps.erase(ps.begin() + j);
    }
    EXPECT_TRUE(ps[0] == whole) << what << " trial " << trial << " of " << values.size();
  }
}

TEST(Hll, MergeOfRandomSplitsEqualsOnePass) {
  std::mt19937_64 rng(11);
  for (size_t n : {1, 50, 3000, 3100, 6000, 40000}) {
    std::vector<double> values;
    for (size_t i = 0; i < n; i++) values.push_back(double(rng() % (n * 2)));  // with duplicates
    auto add = [](Hll& h, double v) { h.AddHash(HashValue(Value::Double(v))); };
    ExpectMergeOfSplitsEqualsOnePass<Hll>(values, add, rng, "hll");
    Hll whole, other;
    for (double v : values) add(whole, v);
    for (auto it = values.rbegin(); it != values.rend(); ++it) add(other, *it);
    EXPECT_EQ(whole.Estimate(), other.Estimate());
  }
}

// ---- DDSketch ----

double ExactQuantile(std::vector<double> sorted, double q) {
  // percentile_disc's rank: the ceil(q·n)-th smallest, at least the first.
  size_t k = static_cast<size_t>(std::ceil(q * double(sorted.size())));
  return sorted[k == 0 ? 0 : k - 1];
}

// Max relative error over q = 0.01 .. 0.99 (and 0 and 1).
double MaxRelativeError(const std::vector<double>& values) {
  DDSketch d;
  for (double v : values) d.Add(v);
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  double worst = 0;
  for (int k = 0; k <= 100; k++) {
    double q = k / 100.0;
    double exact = ExactQuantile(sorted, q), est = d.Quantile(q);
    double err = exact == 0 ? std::fabs(est) : std::fabs(est - exact) / std::fabs(exact);
    EXPECT_LE(err, 0.01) << "q=" << q << " exact=" << exact << " estimate=" << est;
    worst = std::max(worst, err);
  }
  return worst;
}

TEST(DDSketch, RelativeErrorWithinOnePercent) {
  std::mt19937_64 rng(3);
  std::vector<double> uniform, lognormal, mixed, ints;
  std::uniform_real_distribution<double> u(0, 1000);
  std::lognormal_distribution<double> ln(3, 1.5);
  std::normal_distribution<double> nd(0, 100);
  for (int i = 0; i < 100000; i++) {
    uniform.push_back(u(rng));
    lognormal.push_back(ln(rng));
    mixed.push_back(i % 50 == 0 ? 0.0 : nd(rng));
    ints.push_back(double(int64_t(rng() % 2000) - 1000));
  }
  std::vector<double> negative = lognormal;
  for (double& v : negative) v = -v;
  for (auto* data : {&uniform, &lognormal, &negative, &mixed, &ints}) {
    double worst = MaxRelativeError(*data);
    std::printf("ddsketch max relative error %.5f%% (alpha %.3f%%)\n", 100 * worst, 100 * DDSketch::kAlpha);
    EXPECT_LE(worst, DDSketch::kAlpha * (1 + 1e-9));
  }
}

TEST(DDSketch, ExtremesAndSmallInputs) {
  DDSketch d;
  d.Add(42.5);
  EXPECT_EQ(d.Quantile(0), 42.5);  // clamped to [min, max]
  EXPECT_EQ(d.Quantile(0.5), 42.5);
  EXPECT_EQ(d.Quantile(1), 42.5);
  d.Add(-7);
  d.Add(-0.0);
  EXPECT_EQ(d.Quantile(0), -7);
  EXPECT_EQ(d.Quantile(0.5), 0);
  EXPECT_EQ(d.Quantile(1), 42.5);
  EXPECT_EQ(d.count(), 3);
  EXPECT_EQ(d.zero_count(), 1);
  EXPECT_FALSE(std::signbit(d.Quantile(0.5)));
  // The largest and smallest doubles have buckets.
  DDSketch e;
  e.Add(std::numeric_limits<double>::max());
  e.Add(std::numeric_limits<double>::denorm_min());
  e.Add(-std::numeric_limits<double>::max());
  EXPECT_EQ(e.Quantile(1), std::numeric_limits<double>::max());
  EXPECT_EQ(e.Quantile(0), -std::numeric_limits<double>::max());
}

TEST(DDSketch, FoldsLowestBucketsBeyondTheCap) {
  // Values over 1e-200 .. 1e200 need ~92000 buckets: the store keeps the top 2048.
  std::mt19937_64 rng(8);
  std::vector<double> values;
  for (int i = 0; i < 20000; i++) values.push_back(std::pow(10.0, double(rng() % 400000) / 1000.0 - 200));
  DDSketch d;
  for (double v : values) d.Add(v);
  EXPECT_EQ(d.positive().counts.size(), static_cast<size_t>(DDSketch::kMaxBuckets));
  std::sort(values.begin(), values.end());
  // The upper quantiles (within γ^2048 ≈ 7.8e8 of the maximum) keep the guarantee.
  for (double q : {0.99, 0.995, 0.999, 1.0}) {
    double exact = ExactQuantile(values, q), est = d.Quantile(q);
    EXPECT_LE(std::fabs(est - exact) / exact, 0.01) << q;
  }
  // Folding is canonical: any split, merged, equals one pass.
  auto add = [](DDSketch& s, double v) { s.Add(v); };
  ExpectMergeOfSplitsEqualsOnePass<DDSketch>(values, add, rng, "ddsketch folded");
  std::vector<double> neg = values;
  for (double& v : neg) v = -v;
  ExpectMergeOfSplitsEqualsOnePass<DDSketch>(neg, add, rng, "ddsketch folded negative");
}

TEST(DDSketch, MergeOfRandomSplitsEqualsOnePass) {
  std::mt19937_64 rng(21);
  std::normal_distribution<double> nd(0, 1000);
  for (size_t n : {1, 10, 1000, 30000}) {
    std::vector<double> values;
    for (size_t i = 0; i < n; i++) values.push_back(i % 17 == 0 ? 0.0 : nd(rng));
    auto add = [](DDSketch& s, double v) { s.Add(v); };
    ExpectMergeOfSplitsEqualsOnePass<DDSketch>(values, add, rng, "ddsketch");
    DDSketch a, b;
    for (double v : values) a.Add(v);
    for (auto it = values.rbegin(); it != values.rend(); ++it) b.Add(*it);
    for (double q : {0.0, 0.25, 0.5, 0.95, 1.0}) EXPECT_EQ(a.Quantile(q), b.Quantile(q));
  }
}

// ---- As view measures ----

ingest::StreamSchema Schema() {
  ingest::StreamSchema s;
  s.name = "events";
  s.columns = {{"ts", Type::kTimestamp, true}, {"k", Type::kText, false}, {"user", Type::kText, false},
               {"lat", Type::kDouble, false}, {"n", Type::kInt64, false}};
  s.event_time_index = 0;
  return s;
}

// SELECT k, approx_count_distinct(user), approx_percentile(lat, 0.95), approx_percentile(n, 0.5),
//        count(*) FROM events GROUP BY k
ViewDefPtr Def() {
  auto d = std::make_shared<ViewDef>();
  d->name = "v";
  d->stream = "events";
  d->dims = {DimensionDef{"k", sql::MakeColumn(1, "k", Type::kText), Type::kText}};
  MeasureDef users{"users", AggKind::kApproxCountDistinct, 2, Type::kText, Type::kInt64};
  MeasureDef p95{"p95", AggKind::kApproxPercentile, 3, Type::kDouble, Type::kDouble, 0.95};
  MeasureDef med{"med", AggKind::kApproxPercentile, 4, Type::kInt64, Type::kDouble, 0.5};
  MeasureDef cnt{"cnt", AggKind::kCountStar, -1, Type::kInt64, Type::kInt64};
  d->measures = {users, p95, med, cnt};
  return d;
}

std::vector<std::vector<Value>> Rows(std::mt19937_64& rng, size_t n) {
  std::vector<std::vector<Value>> rows;
  const char* keys[] = {"tiny", "small", "big"};
  for (size_t i = 0; i < n; i++) {
    int k = rng() % 10 == 0 ? 0 : rng() % 3 == 0 ? 1 : 2;
    Value user = rng() % 20 == 0 ? Value::Null()
                                 : Value::Text("u" + std::to_string(rng() % (k == 0 ? 5 : k == 1 ? 2000 : 100000)));
    double l = std::exp(double(rng() % 10000) / 1000.0);
    Value lat = rng() % 20 == 0 ? Value::Null()
                : rng() % 97 == 0 ? Value::Double(rng() % 2 ? NAN : INFINITY)
                                  : Value::Double(l);
    Value num = rng() % 20 == 0 ? Value::Null() : Value::Int(int64_t(rng() % 1000) - 300);
    rows.push_back({Value::Timestamp(int64_t(i)), Value::Text(keys[k]), user, lat, num});
  }
  // A group whose sketches see only NULLs and non-finite values.
  rows.push_back({Value::Timestamp(1), Value::Text("nulls"), Value::Null(), Value::Double(NAN), Value::Null()});
  return rows;
}

TEST(SketchMeasures, ApplyMergeFinalizeAndCodec) {
  ingest::StreamSchema schema = Schema();
  std::mt19937_64 rng(77);
  auto rows = Rows(rng, 60000);
  ingest::RowBatch all(schema);
  for (auto& r : rows) all.AppendRow(r);
  ViewState whole(Def());
  whole.Apply(all);
  ASSERT_EQ(whole.num_groups(), 4u);

  // Any split, merged in any order, equals one pass: states and finalized values.
  for (int trial = 0; trial < 3; trial++) {
    std::shuffle(rows.begin(), rows.end(), rng);
    size_t parts = 2 + rng() % 5;
    std::vector<ingest::RowBatch> batches(parts, ingest::RowBatch(schema));
    for (auto& r : rows) batches[rng() % parts].AppendRow(r);
    std::vector<ViewState> states(parts, ViewState(Def()));
    for (size_t i = 0; i < parts; i++) states[i].Apply(batches[i]);
    ViewState merged(Def());
    for (size_t i = parts; i-- > 0;) merged.Merge(states[i]);
    EXPECT_TRUE(merged.SameAs(whole));
    std::string a, b;
    for (const Group& g : merged.groups()) {
      std::string scratch;
      const Group* w = whole.Find(g.dims, &scratch);
      ASSERT_NE(w, nullptr);
      for (size_t m = 0; m < g.aggs.size(); m++)
        EXPECT_EQ(g.aggs[m].Finalize(Def()->measures[m]).ToString(),
                  w->aggs[m].Finalize(Def()->measures[m]).ToString());
    }
  }

  // Finalized values against exact answers.
  std::string scratch;
  const ViewDef& def = *whole.def();
  const Group* nulls = whole.Find({Value::Text("nulls")}, &scratch);
  ASSERT_NE(nulls, nullptr);
  EXPECT_EQ(nulls->aggs[0].Finalize(def.measures[0]).as_int(), 0);
  EXPECT_TRUE(nulls->aggs[1].Finalize(def.measures[1]).is_null());
  EXPECT_TRUE(nulls->aggs[2].Finalize(def.measures[2]).is_null());
  for (const char* k : {"tiny", "small", "big"}) {
    std::set<std::string> users;
    std::vector<double> lats;
    for (auto& r : rows) {
      if (r[1].as_text() != k) continue;
      if (!r[2].is_null()) users.insert(std::string(r[2].as_text()));
      if (!r[3].is_null() && std::isfinite(r[3].as_double())) lats.push_back(r[3].as_double());
    }
    std::sort(lats.begin(), lats.end());
    const Group* g = whole.Find({Value::Text(k)}, &scratch);
    ASSERT_NE(g, nullptr);
    double est_users = double(g->aggs[0].Finalize(def.measures[0]).as_int());
    EXPECT_LE(std::fabs(est_users - double(users.size())) / double(users.size()), 0.02) << k;
    double p95 = g->aggs[1].Finalize(def.measures[1]).as_double();
    EXPECT_LE(std::fabs(p95 - ExactQuantile(lats, 0.95)) / ExactQuantile(lats, 0.95), 0.01) << k;
    // Another q from the same sketch.
    double p50 = g->aggs[1].Finalize(def.measures[1], 0.5).as_double();
    EXPECT_LE(std::fabs(p50 - ExactQuantile(lats, 0.5)) / ExactQuantile(lats, 0.5), 0.01) << k;
  }

  // Codec round trip: identical states and bytes.
  std::string bytes;
  EncodeViewState(whole, &bytes);
  auto back = DecodeViewState(bytes, Def());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->SameAs(whole));
  EXPECT_TRUE(whole.SameAs(*back));
  std::string again;
  EncodeViewState(*back, &again);
  EXPECT_EQ(again, bytes);
  // A merge into a decoded state still equals one pass.
  ViewState twice(Def());
  twice.Apply(all);
  twice.Apply(all);
  back->Merge(whole);
  EXPECT_TRUE(back->SameAs(twice));
}

TEST(SketchMeasures, DamagedInputIsCorruption) {
  ingest::StreamSchema schema = Schema();
  std::mt19937_64 rng(5);
  ingest::RowBatch all(schema);
  for (auto& r : Rows(rng, 60)) all.AppendRow(r);
  ViewState s(Def());
  s.Apply(all);
  std::string bytes;
  EncodeViewState(s, &bytes);
  for (size_t n = 0; n < bytes.size(); n++) {
    auto r = DecodeViewState(std::string_view(bytes).substr(0, n), Def());
    ASSERT_FALSE(r.ok()) << "truncated to " << n;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  }
  for (int i = 0; i < 1500; i++) {
    std::string d = bytes;
    d[rng() % d.size()] ^= static_cast<char>(1 + rng() % 255);
    auto r = DecodeViewState(d, Def());
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
    } else {
      // Whatever decodes still finalizes and merges without crashing.
      ViewState m(Def());
      m.Merge(*r);
      for (const Group& g : m.groups())
        for (size_t k = 0; k < g.aggs.size(); k++) g.aggs[k].Finalize(Def()->measures[k]);
    }
  }
  // A dense HyperLogLog round-trips too (one group with many users).
  ingest::RowBatch many(schema);
  for (int i = 0; i < 20000; i++)
    many.AppendRow({Value::Timestamp(i), Value::Text("k"), Value::Text(std::to_string(i)), Value::Double(i + 1),
                    Value::Int(i)});
  ViewState big(Def());
  big.Apply(many);
  ASSERT_TRUE(big.groups()[0].aggs[0].hll->is_dense());
  std::string bb;
  EncodeViewState(big, &bb);
  auto back = DecodeViewState(bb, Def());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->SameAs(big));
  // A dense register above the maximum rank is Corruption.
  size_t pos = bb.find(std::string("\x01\x0e\x02", 3));
  ASSERT_NE(pos, std::string::npos);
  bb[pos + 3] = 60;
  auto bad = DecodeViewState(bb, Def());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace laminar::views
