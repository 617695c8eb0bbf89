#include "speed/speed_view.h"

#include <gtest/gtest.h>

#include <thread>

namespace laminar::speed {
namespace {

ingest::StreamSchema Schema() {
  ingest::StreamSchema s;
  s.name = "ev";
  s.columns = {{"ts", Type::kTimestamp, true}, {"k", Type::kInt64, true}};
  s.event_time_index = 0;
  return s;
}

views::ViewDefPtr Def() {
  auto d = std::make_shared<views::ViewDef>();
  d->name = "v";
  d->stream = "ev";
  d->measures = {{"n", views::AggKind::kCountStar, -1, Type::kInt64, Type::kInt64},
                 {"s", views::AggKind::kSum, 1, Type::kInt64, Type::kInt64}};
  d->columns = {{false, 0}, {false, 1}};
  return d;
}

ingest::RowBatch Batch(std::initializer_list<int64_t> ks) {
  ingest::RowBatch b(Schema());
  for (int64_t k : ks) b.AppendRow({Value::Timestamp(0), Value::Int(k)});
  return b;
}

int64_t Count(const SpeedSnapshot& s) {
  if (s.state.num_groups() == 0) return 0;
  return s.state.groups()[0].aggs[0].count;
}

TEST(SpeedView, KeepsStatePerGeneration) {
  SpeedView v(Def());
  v.Apply(1, 2, Batch({1, 2}));
  v.Apply(1, 3, Batch({3}));
  v.Apply(2, 5, Batch({4, 5}));
  EXPECT_EQ(v.num_generations(), 2u);
  SpeedSnapshot all = v.Snapshot();
  EXPECT_EQ(Count(all), 5);
  EXPECT_EQ(all.max_seq, 5u);
  EXPECT_EQ(all.generations, 2u);
}

TEST(SpeedView, DropsWholeGenerationsAtAHorizon) {
  SpeedView v(Def());
  v.Apply(1, 3, Batch({1, 2, 3}));
  v.Apply(2, 5, Batch({4, 5}));
  // A horizon inside generation 2 drops only generation 1: whole generations only.
  EXPECT_EQ(v.DropThrough(4), 1u);
  EXPECT_EQ(Count(v.Snapshot()), 2);
  EXPECT_EQ(v.DropThrough(5), 1u);
  EXPECT_EQ(Count(v.Snapshot()), 0);
}

TEST(SpeedView, SnapshotAboveAHorizonSkipsCoveredGenerations) {
  SpeedView v(Def());
  v.Apply(1, 3, Batch({1, 2, 3}));
  v.Apply(2, 5, Batch({4, 5}));
  EXPECT_EQ(Count(v.Snapshot(3)), 2);
  EXPECT_EQ(Count(v.Snapshot(0)), 5);
}

TEST(SpeedView, ABatchIsVisibleWholeOrNotAtAll) {
  SpeedView v(Def());
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 2000; i++) v.Apply(1 + i / 500, uint64_t(i + 1) * 10, Batch({1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
    done = true;
  });
  while (!done) {
    int64_t n = Count(v.Snapshot());
    ASSERT_EQ(n % 10, 0) << "a batch was half visible";
  }
  writer.join();
  EXPECT_EQ(Count(v.Snapshot()), 20000);
}

}  // namespace
}  // namespace laminar::speed
