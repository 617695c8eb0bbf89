// SourcePositions (positions.h): origins written and read back, positions only move forward,
// other origins ignored, a saved copy, forgetting a subscription.
#include "sources/positions.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/file_util.h"

namespace laminar::sources {
namespace {

TEST(SourcePositions, RestoredFromOriginsMovingForwardOnly) {
  SourcePositions pos;
  pos.Restore(SourcePositions::Origin("s", "t", {{0, 10}, {2, 5}}));
  pos.Restore(SourcePositions::Origin("s", "t", {{0, 7}, {1, 3}}));  // partition 0 does not go back
  pos.Restore(SourcePositions::Origin("other", "t", {{0, 99}}));
  pos.Restore(R"({"kind":"idempotency","key":"k"})");
  pos.Restore("not json");
  pos.Restore(R"({"kind":"kafka","subscription":"s","next":{"x":1}})");  // damaged: ignored whole
  EXPECT_EQ(pos.Get("s"), (Offsets{{0, 10}, {1, 3}, {2, 5}}));
  EXPECT_EQ(pos.Get("other"), (Offsets{{0, 99}}));
  EXPECT_EQ(pos.Get("none"), Offsets{});
  EXPECT_EQ(SourcePositions::SubscriptionOf(SourcePositions::Origin("s", "t", {})), "s");
  EXPECT_EQ(SourcePositions::SubscriptionOf(R"({"kind":"idempotency"})"), "");
  pos.Forget("other");
  EXPECT_EQ(pos.Names(), std::vector<std::string>{"s"});
}

TEST(SourcePositions, SavedCopyLoadsWithItsCoveredSequence) {
  const std::string dir = ::testing::TempDir() + "/positions_test";
  std::filesystem::remove_all(dir);
  SourcePositions pos;
  pos.Advance("s", {{0, 4}, {3, 8}});
  ASSERT_TRUE(pos.Save(dir + "/ev.json", 42).ok());
  SourcePositions loaded;
  auto covered = loaded.Load(dir + "/ev.json");
  ASSERT_TRUE(covered.ok()) << covered.status().ToString();
  EXPECT_EQ(*covered, 42u);
  EXPECT_EQ(loaded.Get("s"), (Offsets{{0, 4}, {3, 8}}));
  EXPECT_EQ(SourcePositions().Load(dir + "/missing.json").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(WriteFileAtomic(dir + "/bad.json", "{\"format\":\"x\"}").ok());
  EXPECT_EQ(SourcePositions().Load(dir + "/bad.json").status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace laminar::sources
