// IdempotencyKeys (idempotency.h): claims, answers, another body, waiting for a pending key, the
// window and the key limit, and restoring from origins and from a saved copy.
#include "engine/idempotency.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

namespace laminar::engine {
namespace {

constexpr int64_t kSecond = 1'000'000;

IngestAnswer Answer(uint64_t accepted, uint64_t first_seq) {
  IngestAnswer a;
  a.accepted = accepted;
  a.first_seq = first_seq;
  a.last_seq = first_seq + accepted - 1;
  a.errors.push_back({3, "ts", "bad", ""});
  return a;
}

TEST(IdempotencyKeys, ClaimFinishAndAnswerAgain) {
  IdempotencyKeys keys(60 * kSecond, 100);
  IngestAnswer got;
  ASSERT_EQ(keys.Begin("k", "h1", 0, &got), IdempotencyKeys::Claim::kNew);
  keys.Finish("k", Answer(5, 10));
  ASSERT_EQ(keys.Begin("k", "h1", kSecond, &got), IdempotencyKeys::Claim::kDone);
  EXPECT_EQ(got.accepted, 5u);
  EXPECT_EQ(got.last_seq, 14u);
  ASSERT_EQ(got.errors.size(), 1u);
  EXPECT_EQ(got.errors[0].reason, "bad");
  EXPECT_EQ(keys.Begin("k", "h2", kSecond, &got), IdempotencyKeys::Claim::kOtherRequest);
  // Abandoned: the next request may claim it again.
  ASSERT_EQ(keys.Begin("j", "h", 0, &got), IdempotencyKeys::Claim::kNew);
  keys.Abandon("j");
  EXPECT_EQ(keys.Begin("j", "h", 0, &got), IdempotencyKeys::Claim::kNew);
  // The window: gone after it.
  EXPECT_EQ(keys.Begin("k", "h1", 61 * kSecond, &got), IdempotencyKeys::Claim::kNew);
}

TEST(IdempotencyKeys, ASecondRequestWaitsForThePendingOne) {
  IdempotencyKeys keys(60 * kSecond, 100);
  IngestAnswer got;
  ASSERT_EQ(keys.Begin("k", "h", 0, &got), IdempotencyKeys::Claim::kNew);
  std::atomic<int> claim{-1};
  std::thread other([&] { claim = int(keys.Begin("k", "h", 0, &got)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(claim.load(), -1) << "it waits while the key is held";
  keys.Finish("k", Answer(2, 1));
  other.join();
  EXPECT_EQ(claim.load(), int(IdempotencyKeys::Claim::kDone));
  EXPECT_EQ(got.accepted, 2u);
}

TEST(IdempotencyKeys, TheOldestGoPastMaxKeys) {
  IdempotencyKeys keys(60 * kSecond, 3);
  IngestAnswer got;
  for (int i = 0; i < 5; i++) {
    ASSERT_EQ(keys.Begin("k" + std::to_string(i), "h", i, &got), IdempotencyKeys::Claim::kNew);
    keys.Finish("k" + std::to_string(i), Answer(1, i + 1));
  }
  EXPECT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys.Begin("k0", "h", 10, &got), IdempotencyKeys::Claim::kNew);
  EXPECT_EQ(keys.Begin("k4", "h", 10, &got), IdempotencyKeys::Claim::kDone);
}

TEST(IdempotencyKeys, RestoredFromOriginsAndFromASavedCopy) {
  const std::string dir = ::testing::TempDir() + "/idem_test";
  std::filesystem::remove_all(dir);
  const std::string path = dir + "/s.json";
  IdempotencyKeys keys(60 * kSecond, 100);
  keys.Restore(IdempotencyKeys::Origin("a", "ha", 5 * kSecond, Answer(3, 0)), 7, 9, 10 * kSecond);
  keys.Restore(IdempotencyKeys::Origin("old", "ho", 0, Answer(1, 0)), 1, 1, 100 * kSecond);  // out of the window
  keys.Restore("{\"kind\":\"kafka\"}", 1, 1, 0);                                              // another kind
  keys.Restore("not json", 1, 1, 0);
  EXPECT_EQ(keys.size(), 1u);
  IngestAnswer got;
  ASSERT_EQ(keys.Begin("a", "ha", 10 * kSecond, &got), IdempotencyKeys::Claim::kDone);
  EXPECT_EQ(got.first_seq, 7u);
  EXPECT_EQ(got.last_seq, 9u);
  ASSERT_TRUE(keys.Save(path, 10 * kSecond, 9).ok());
  IdempotencyKeys loaded(60 * kSecond, 100);
  auto covered = loaded.Load(path, 10 * kSecond);
  ASSERT_TRUE(covered.ok());
  EXPECT_EQ(*covered, 9u);
  ASSERT_EQ(loaded.Begin("a", "ha", 10 * kSecond, &got), IdempotencyKeys::Claim::kDone);
  EXPECT_EQ(got.accepted, 3u);
  EXPECT_EQ(got.first_seq, 7u);
  EXPECT_EQ(got.errors.size(), 1u);
  IdempotencyKeys none(60 * kSecond, 100);
  EXPECT_EQ(none.Load(dir + "/missing.json", 0).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace laminar::engine
