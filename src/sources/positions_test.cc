// SourcePositions (positions.h): origins written and read back, positions only move forward
// (also past 64 bits, and "closed" past every number), other origins ignored, a saved copy,
// forgetting a subscription.
#include "sources/positions.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/file_util.h"

namespace laminar::sources {
namespace {

TEST(SourcePositions, AheadComparesDecimalsOfAnyLengthAndClosed) {
  EXPECT_TRUE(Ahead("10", "9"));
  EXPECT_FALSE(Ahead("9", "10"));
  EXPECT_FALSE(Ahead("7", "7"));
  EXPECT_TRUE(Ahead("49590338271490256608559692538361571095921575989136588899",
                    "49590338271490256608559692538361571095921575989136588898"));
  EXPECT_TRUE(Ahead(kClosed, "99999999999999999999999"));
  EXPECT_FALSE(Ahead("5", kClosed));
  EXPECT_FALSE(Ahead("010", "10"));
}

TEST(SourcePositions, RestoredFromOriginsMovingForwardOnly) {
  constexpr SourceKind kKafka = SourceKind::kKafka;
  SourcePositions pos;
  pos.Restore(SourcePositions::Origin(kKafka, "s", "t", {{"0", "10"}, {"2", "5"}}));
  pos.Restore(SourcePositions::Origin(kKafka, "s", "t", {{"0", "7"}, {"1", "3"}}));  // partition 0 does not go back
  pos.Restore(SourcePositions::Origin(SourceKind::kKinesis, "k", "st", {{"shardId-0", "4959"}, {"shardId-1", kClosed}}));
  pos.Restore(SourcePositions::Origin(SourceKind::kKinesis, "k", "st", {{"shardId-1", "5000"}}));  // closed stays
  pos.Restore(R"({"kind":"idempotency","key":"k"})");
  pos.Restore("not json");
  pos.Restore(R"({"kind":"kafka","subscription":"s","positions":{"0":"x"}})");  // damaged: ignored whole
  EXPECT_EQ(pos.Get("s"), (Positions{{"0", "10"}, {"1", "3"}, {"2", "5"}}));
  EXPECT_EQ(pos.Get("k"), (Positions{{"shardId-0", "4959"}, {"shardId-1", kClosed}}));
  EXPECT_EQ(pos.Get("none"), Positions{});
  pos.Forget("k");
  EXPECT_EQ(pos.Names(), std::vector<std::string>{"s"});
}

TEST(SourcePositions, SavedCopyLoadsWithItsCoveredSequence) {
  const std::string dir = ::testing::TempDir() + "/positions_test";
  std::filesystem::remove_all(dir);
  SourcePositions pos;
  pos.Advance("s", {{"0", "4"}, {"3", "8"}});
  ASSERT_TRUE(pos.Save(dir + "/ev.json", 42).ok());
  SourcePositions loaded;
  auto covered = loaded.Load(dir + "/ev.json");
  ASSERT_TRUE(covered.ok()) << covered.status().ToString();
  EXPECT_EQ(*covered, 42u);
  EXPECT_EQ(loaded.Get("s"), (Positions{{"0", "4"}, {"3", "8"}}));
  EXPECT_EQ(SourcePositions().Load(dir + "/missing.json").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(WriteFileAtomic(dir + "/bad.json", "{\"format\":\"x\"}").ok());
  EXPECT_EQ(SourcePositions().Load(dir + "/bad.json").status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace laminar::sources
