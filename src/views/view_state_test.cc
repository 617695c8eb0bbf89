#include "views/view_state.h"
#include "views/state_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace laminar::views {
namespace {

using ingest::RowBatch;
using ingest::StreamSchema;

StreamSchema Schema() {
  StreamSchema s;
  s.name = "events";
  s.columns = {{"ts", Type::kTimestamp, true}, {"country", Type::kText, false},
               {"n", Type::kInt64, false}, {"x", Type::kDouble, false}};
  s.event_time_index = 0;
  return s;
}

// SELECT date_trunc('hour', ts) AS hour, country, count(*), count(x), sum(n), sum(x), avg(x),
//        min(x), max(country) FROM events WHERE n <> 13 GROUP BY 1, 2
ViewDefPtr Def() {
  auto d = std::make_shared<ViewDef>();
  d->name = "v";
  d->stream = "events";
  DimensionDef hour{"hour", sql::MakeDateTrunc(TimeUnit::kHour, sql::MakeColumn(0, "ts", Type::kTimestamp)),
                    Type::kTimestamp, true, TimeUnit::kHour};
  DimensionDef country{"country", sql::MakeColumn(1, "country", Type::kText), Type::kText};
  d->dims = {hour, country};
  d->measures = {{"count", AggKind::kCountStar, -1, Type::kInt64, Type::kInt64},
                 {"count_x", AggKind::kCount, 3, Type::kDouble, Type::kInt64},
                 {"sum_n", AggKind::kSum, 2, Type::kInt64, Type::kInt64},
                 {"sum_x", AggKind::kSum, 3, Type::kDouble, Type::kDouble},
                 {"avg_x", AggKind::kAvg, 3, Type::kDouble, Type::kDouble},
                 {"min_x", AggKind::kMin, 3, Type::kDouble, Type::kDouble},
                 {"max_country", AggKind::kMax, 1, Type::kText, Type::kText}};
  d->filter = sql::MakeCompare(sql::CompareOp::kNe, sql::MakeColumn(2, "n", Type::kInt64),
                               sql::MakeLiteral(Value::Int(13), Type::kInt64));
  return d;
}

std::vector<std::vector<Value>> RandomRows(std::mt19937_64& rng, size_t n) {
  std::vector<std::vector<Value>> rows;
  const char* countries[] = {"US", "DE", "FR", "JP"};
  for (size_t i = 0; i < n; i++) {
    Value country = rng() % 10 == 0 ? Value::Null() : Value::Text(countries[rng() % 4]);
    Value num = rng() % 10 == 0 ? Value::Null() : Value::Int(int64_t(rng() % 30) - 5);
    // Values of wildly different magnitudes make naive double sums order dependent.
    double mag = std::pow(10.0, double(rng() % 30) - 10);
    Value x = rng() % 10 == 0 ? Value::Null() : Value::Double((double(rng() % 2000) - 1000) * mag / 7);
    rows.push_back({Value::Timestamp(int64_t(rng() % (5 * kMicrosPerHour))), country, num, x});
  }
  return rows;
}

TEST(ExactSum, IsIndependentOfOrder) {
  std::vector<double> xs = {1e100, 1.0, -1e100, 1e-100, 3.0, 0.1, 0.2, -0.3};
  ExactSum a;
  for (double x : xs) a.Add(x);
  EXPECT_EQ(a.Result(), 4.0);  // 4 + 2.8e-17 + 1e-100, correctly rounded
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 50; trial++) {
    std::shuffle(xs.begin(), xs.end(), rng);
    ExactSum b;
    for (double x : xs) b.Add(x);
    EXPECT_EQ(a.Result(), b.Result());
  }
  ExactSum one;
  one.Add(0.1);
  one.Add(0.2);
  EXPECT_EQ(one.Result(), 0.30000000000000004);  // correctly rounded 0.1 + 0.2
}

TEST(ExactSum, HandlesInfinitiesAndNaN) {
  ExactSum s;
  s.Add(INFINITY);
  s.Add(1);
  EXPECT_EQ(s.Result(), INFINITY);
  s.Add(-INFINITY);
  EXPECT_TRUE(std::isnan(s.Result()));
}

TEST(ViewState, AppliesFilterDimsAndMeasures) {
  StreamSchema schema = Schema();
  RowBatch b(schema);
  b.AppendRow({Value::Timestamp(10), Value::Text("US"), Value::Int(1), Value::Double(1.5)});
  b.AppendRow({Value::Timestamp(20), Value::Text("US"), Value::Int(13), Value::Double(99)});  // filtered
  b.AppendRow({Value::Timestamp(30), Value::Text("US"), Value::Null(), Value::Double(2.5)});
  b.AppendRow({Value::Timestamp(kMicrosPerHour), Value::Text("US"), Value::Int(2), Value::Null()});
  ViewState s(Def());
  EXPECT_EQ(s.Apply(b), 2u);  // NULL <> 13 is NULL: filtered too, as in PostgreSQL
  ASSERT_EQ(s.num_groups(), 2u);
  const Group& g = s.groups()[0];
  const ViewDef& d = *s.def();
  EXPECT_EQ(g.aggs[0].Finalize(d.measures[0]).as_int(), 1);
  EXPECT_EQ(g.aggs[3].Finalize(d.measures[3]).as_double(), 1.5);
  EXPECT_TRUE(s.groups()[1].aggs[4].Finalize(d.measures[4]).is_null());  // avg of no input
}

// The exactness property: any split of the events into states, merged in any order, equals one
// pass over all of them.
TEST(ViewState, MergeOfAnySplitEqualsOnePass) {
  StreamSchema schema = Schema();
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 20; trial++) {
    auto rows = RandomRows(rng, 500);
    RowBatch all(schema);
    for (auto& r : rows) all.AppendRow(r);
    ViewState whole(Def());
    whole.Apply(all);

    std::shuffle(rows.begin(), rows.end(), rng);
    size_t parts = 1 + rng() % 6;
    std::vector<ViewState> states(parts, ViewState(Def()));
    for (auto& r : rows) {
      RowBatch one(schema);
      one.AppendRow(r);
      states[rng() % parts].Apply(one);
    }
    ViewState merged(Def());
    for (size_t i = parts; i-- > 0;) merged.Merge(states[i]);
    EXPECT_TRUE(merged.SameAs(whole)) << "trial " << trial;
    for (const Group& g : merged.groups()) {
      // Finalized doubles are bit-identical too.
      ViewState probe(Def());
      probe.Merge(whole);
      const Group& w = probe.GroupFor(g.dims);
      for (size_t m = 0; m < g.aggs.size(); m++) {
        Value a = g.aggs[m].Finalize(merged.def()->measures[m]);
        Value b = w.aggs[m].Finalize(merged.def()->measures[m]);
        ASSERT_EQ(a.is_null(), b.is_null());
        if (!a.is_null()) EXPECT_EQ(a.ToString(), b.ToString());
      }
    }
  }
}

// The batch layer stores states with EncodeViewState: a round trip keeps every group and state.
TEST(StateCodec, RoundTripKeepsEveryState) {
  StreamSchema schema = Schema();
  std::mt19937_64 rng(5);
  RowBatch all(schema);
  for (auto& r : RandomRows(rng, 2000)) all.AppendRow(r);
  all.AppendRow({Value::Timestamp(1), Value::Text("inf"), Value::Int(1), Value::Double(INFINITY)});
  all.AppendRow({Value::Timestamp(1), Value::Text("nan"), Value::Int(1), Value::Double(NAN)});
  all.AppendRow({Value::Timestamp(1), Value::Text("big"), Value::Int(INT64_MAX), Value::Double(1)});
  all.AppendRow({Value::Timestamp(1), Value::Text("big"), Value::Int(INT64_MAX), Value::Double(2)});
  ViewState s(Def());
  s.Apply(all);
  std::string bytes;
  EncodeViewState(s, &bytes);
  auto back = DecodeViewState(bytes, Def());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->num_groups(), s.num_groups());
  EXPECT_TRUE(back->SameAs(s));
  EXPECT_TRUE(s.SameAs(*back));
  std::string again;
  EncodeViewState(*back, &again);
  EXPECT_EQ(again, bytes);  // deterministic
  // A merge into a decoded state still equals one pass.
  ViewState twice(Def());
  twice.Apply(all);
  twice.Apply(all);
  back->Merge(s);
  EXPECT_TRUE(back->SameAs(twice));
}

// Damaged input is Corruption (or, for a flipped value byte, a different but valid state), never
// a crash or an out-of-bounds read (ASan checks the latter).
TEST(StateCodec, DamagedInputIsCorruption) {
  StreamSchema schema = Schema();
  std::mt19937_64 rng(9);
  RowBatch all(schema);
  for (auto& r : RandomRows(rng, 40)) all.AppendRow(r);
  ViewState s(Def());
  s.Apply(all);
  std::string bytes;
  EncodeViewState(s, &bytes);
  for (size_t n = 0; n < bytes.size(); n++) {
    auto r = DecodeViewState(std::string_view(bytes).substr(0, n), Def());
    ASSERT_FALSE(r.ok()) << "truncated to " << n;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  }
  EXPECT_FALSE(DecodeViewState(bytes + "x", Def()).ok());
  for (int i = 0; i < 2000; i++) {
    std::string d = bytes;
    d[rng() % d.size()] ^= static_cast<char>(1 + rng() % 255);
    auto r = DecodeViewState(d, Def());
    if (!r.ok()) EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  }
}

// Group keys: every NaN groups with every NaN (whatever its sign and payload), -0.0 with 0.0,
// and a value encodes alike from a Value and from a column vector.
TEST(GroupKey, NaNPayloadsAndSignedZeroGroupTogether) {
  double nan_a = std::numeric_limits<double>::quiet_NaN();
  double nan_b = -std::numeric_limits<double>::quiet_NaN();
  uint64_t bits;
  std::memcpy(&bits, &nan_a, sizeof bits);
  bits |= 0x123;  // another payload
  double nan_c;
  std::memcpy(&nan_c, &bits, sizeof bits);
  std::string a, b, c, z, nz;
  AppendGroupKey(Value::Double(nan_a), &a);
  AppendGroupKey(Value::Double(nan_b), &b);
  AppendGroupKey(Value::Double(nan_c), &c);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, c);
  AppendGroupKey(Value::Double(0.0), &z);
  AppendGroupKey(Value::Double(-0.0), &nz);
  EXPECT_EQ(z, nz);
  columnar::Vector v(Type::kDouble);
  v.AppendDouble(nan_c);
  v.AppendNull();
  v.AppendDouble(-0.0);
  std::string vc, vn, vz, null_key;
  AppendGroupKey(v, 0, &vc);
  AppendGroupKey(v, 1, &vn);
  AppendGroupKey(v, 2, &vz);
  AppendGroupKey(Value::Null(), &null_key);
  EXPECT_EQ(vc, a);
  EXPECT_EQ(vn, null_key);
  EXPECT_EQ(vz, z);
}

}  // namespace
}  // namespace laminar::views
