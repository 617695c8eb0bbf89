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
  int64_t n = 0;
  for (const auto* part : {s.state.get(), s.recent.get()})
    if (part && part->num_groups() > 0) n += part->groups()[0].aggs[0].count;
  return n;
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

std::shared_ptr<const views::ViewState> BatchState(std::initializer_list<int64_t> ks) {
  auto s = std::make_shared<views::ViewState>(Def());
  s->Apply(Batch(ks));
  return s;
}

int64_t Total(const SpeedSnapshot& s) {
  int64_t n = Count(s);
  if (s.base && s.base->num_groups() > 0) n += s.base->groups()[0].aggs[0].count;
  return n;
}

TEST(SpeedView, PublishDropsWholeGenerationsAtTheHorizon) {
  SpeedView v(Def());
  v.Apply(1, 3, Batch({1, 2, 3}));
  v.Apply(2, 5, Batch({4, 5}));
  EXPECT_EQ(v.Publish(1, 3, BatchState({1, 2, 3})), 1u);
  SpeedSnapshot s = v.Snapshot();
  EXPECT_EQ(Count(s), 2);
  EXPECT_EQ(Total(s), 5);
  EXPECT_EQ(s.base_version, 1u);
  EXPECT_EQ(s.horizon, 3u);
  EXPECT_EQ(s.generations, 1u);
  EXPECT_EQ(v.Publish(2, 5, BatchState({1, 2, 3, 4, 5})), 1u);
  EXPECT_EQ(Count(v.Snapshot()), 0);
  EXPECT_EQ(Total(v.Snapshot()), 5);
  // Replayed records the version already covers are ignored.
  v.Apply(2, 5, Batch({4, 5}));
  EXPECT_EQ(Total(v.Snapshot()), 5);
  v.Apply(3, 6, Batch({6}));
  EXPECT_EQ(Total(v.Snapshot()), 6);
}

// Publishing while batches are applied: every snapshot holds each event exactly once.
TEST(SpeedView, SwapsUnderConcurrentApplyNeverDoubleCountOrMiss) {
  SpeedView v(Def());
  std::atomic<uint64_t> applied{0};
  std::atomic<bool> done{false};
  // Generation g holds seqs (10(g-1), 10g]; one event per seq.
  std::thread writer([&] {
    for (uint64_t seq = 1; seq <= 3000; seq++) {
      v.Apply((seq + 9) / 10, seq, Batch({1}));
      applied = seq;
    }
    done = true;
  });
  std::thread publisher([&] {
    uint64_t version = 0;
    while (!done) {
      uint64_t h = applied.load() / 10 * 10;  // a segment boundary already applied
      if (h <= v.horizon()) continue;
      auto st = std::make_shared<views::ViewState>(Def());
      ingest::RowBatch b(Schema());
      for (uint64_t i = 0; i < h; i++) b.AppendRow({Value::Timestamp(0), Value::Int(1)});
      st->Apply(b);
      v.Publish(++version, h, st);
    }
  });
  int64_t last = 0;
  while (!done) {
    uint64_t lo = applied.load();
    int64_t n = Total(v.Snapshot());
    ASSERT_GE(n, int64_t(lo));
    ASSERT_GE(n, last) << "a count went backwards";
    last = n;
  }
  writer.join();
  publisher.join();
  EXPECT_EQ(Total(v.Snapshot()), 3000);
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

// A view grouped by k: the speed state (state ⊕ recent) equals one state of every event applied
// above the horizon, group for group, across folds (the tail past the threshold), snapshots
// still held while a fold happens (copied, never changed under the holder), and publishes.
views::ViewDefPtr ByKey() {
  auto d = std::make_shared<views::ViewDef>();
  d->name = "by_k";
  d->stream = "ev";
  views::DimensionDef dim;
  dim.name = "k";
  auto col = std::make_shared<sql::Expr>();
  col->kind = sql::ExprKind::kColumn;
  col->column = 1;
  col->type = Type::kInt64;
  dim.expr = col;
  dim.type = Type::kInt64;
  d->dims = {dim};
  d->measures = {{"n", views::AggKind::kCountStar, -1, Type::kInt64, Type::kInt64},
                 {"s", views::AggKind::kSum, 1, Type::kInt64, Type::kInt64}};
  d->columns = {{true, 0}, {false, 0}, {false, 1}};
  return d;
}

views::ViewState Merged(const SpeedSnapshot& s) {
  views::ViewState m(s.state->def());
  m.Merge(*s.state);
  if (s.recent) m.Merge(*s.recent);
  return m;
}

TEST(SpeedView, StateAndRecentMergeToEveryEventAcrossFolds) {
  auto def = ByKey();
  SpeedView v(def);
  views::ViewState reference(def);
  std::vector<SpeedSnapshot> held;
  std::vector<views::ViewState> held_then;
  uint64_t seq = 0;
  for (int round = 0; round < 60; round++) {
    ingest::RowBatch b(Schema());
    // New keys every round (the tail grows past the fold threshold) and old ones again.
    for (int i = 0; i < 100; i++) b.AppendRow({Value::Timestamp(0), Value::Int(round * 80 + i)});
    seq += 100;
    v.Apply(1 + round / 20, seq, b);
    reference.Apply(b);
    SpeedSnapshot s = v.Snapshot();
    views::ViewState m = Merged(s);
    ASSERT_TRUE(m.SameAs(reference)) << "round " << round;
    EXPECT_EQ(s.rows, reference.num_groups()) << "round " << round;
    if (round % 7 == 0) {  // keep some snapshots alive through later folds
      held.push_back(s);
      held_then.push_back(std::move(m));
    }
  }
  EXPECT_GT(v.Snapshot().state->num_groups(), 0u) << "the tail was folded at least once";
  for (size_t i = 0; i < held.size(); i++) EXPECT_TRUE(Merged(held[i]).SameAs(held_then[i])) << "held snapshot " << i;
  // A publish covering generations 1 and 2 leaves generation 3 (rounds 40..59) as the speed state.
  views::ViewState gen3(def);
  for (int round = 40; round < 60; round++) {
    ingest::RowBatch b(Schema());
    for (int i = 0; i < 100; i++) b.AppendRow({Value::Timestamp(0), Value::Int(round * 80 + i)});
    gen3.Apply(b);
  }
  EXPECT_EQ(v.Publish(1, 4000, std::make_shared<views::ViewState>(def)), 2u);
  SpeedSnapshot after = v.Snapshot();
  EXPECT_TRUE(Merged(after).SameAs(gen3));
  EXPECT_EQ(after.rows, gen3.num_groups());
}

TEST(SpeedView, FoldThresholdGrowsWithTheState) {
  EXPECT_EQ(SpeedView::FoldThreshold(0), 1024u);
  EXPECT_EQ(SpeedView::FoldThreshold(1'000'000), 16'000u);
}

}  // namespace
}  // namespace laminar::speed
