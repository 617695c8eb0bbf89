// Log: appending, replaying, restarts, sealing, retention and group commit, as a spec.
// Recovery and crash tests are in wal_recovery_test.cc; helpers in wal_test_util.h.
#include "log/wal.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include "log/wal_test_util.h"

namespace laminar::wal {
namespace {

using test_util::FaultFs;
using test_util::Strings;
using test_util::WalTest;

// --- Appending and replaying ---------------------------------------------------------------

TEST_F(WalTest, EmptyLog) {
  Reopen();
  EXPECT_EQ(0u, log_->last_seq());
  EXPECT_TRUE(log_->Segments().empty());
  EXPECT_EQ(Strings{}, Read());
  EXPECT_EQ(0u, report_.records);
  EXPECT_TRUE(report_.messages.empty());
}

TEST_F(WalTest, OpenCreatesTheDirectory) {
  dir_ = JoinPath(dir_, "a/b");
  Reopen();
  Write("x");
  EXPECT_TRUE(std::filesystem::exists(SegmentPath(1)));
}

TEST_F(WalTest, AppendThenReplayRoundTrip) {
  Reopen();
  Write("foo");
  Write("");
  Write(std::string(100000, 'x'));
  Write("bar");
  EXPECT_EQ((Strings{"1:foo", "2:", "3:" + std::string(100000, 'x'), "4:bar"}), Read());
}

TEST_F(WalTest, SequenceNumbersStartAtOneAndCoverEachEvent) {
  Reopen();
  AppendResult a = Write("a", 3);
  EXPECT_EQ(1u, a.first_seq);
  EXPECT_EQ(3u, a.last_seq);
  EXPECT_EQ(1u, a.segment_id);
  AppendResult b = Write("b", 2);
  EXPECT_EQ(4u, b.first_seq);
  EXPECT_EQ(5u, b.last_seq);
  EXPECT_EQ(5u, log_->last_seq());
  EXPECT_EQ((Strings{"1+3:a", "4+2:b"}), Read());
}

TEST_F(WalTest, ReplayFromSeqSkipsRecordsEndingBeforeIt) {
  Reopen();
  Write("a", 3);  // 1..3
  Write("b", 2);  // 4..5
  Write("c");     // 6
  EXPECT_EQ((Strings{"1+3:a", "4+2:b", "6:c"}), Read(3));
  EXPECT_EQ((Strings{"4+2:b", "6:c"}), Read(4));
  EXPECT_EQ((Strings{"6:c"}), Read(6));
  EXPECT_EQ(Strings{}, Read(7));
}

TEST_F(WalTest, ReplayStopsAtCallbackError) {
  Reopen();
  Write("a");
  Write("b");
  int calls = 0;
  Status st = log_->Replay(1, [&](const Record&) {
    ++calls;
    return InvalidArgument("stop");
  });
  EXPECT_EQ(StatusCode::kInvalidArgument, st.code());
  EXPECT_EQ(1, calls);
}

TEST_F(WalTest, ZeroCountIsRejected) {
  Reopen();
  auto r = log_->Append("x", 0);
  EXPECT_EQ(StatusCode::kInvalidArgument, r.status().code());
  EXPECT_EQ(0u, log_->last_seq());
}

TEST_F(WalTest, OversizedPayloadIsRejected) {
  options_.max_record_bytes = 100;
  Reopen();
  auto r = log_->Append(std::string(101, 'x'), 1);
  EXPECT_EQ(StatusCode::kInvalidArgument, r.status().code());
  EXPECT_EQ(1u, Write(std::string(100, 'x')).first_seq);
}

TEST_F(WalTest, SyncOffStillAppendsAndReplays) {
  options_.sync = false;
  Reopen();
  Write("a");
  Write("b");
  EXPECT_EQ((Strings{"1:a", "2:b"}), Read());
  ASSERT_TRUE(log_->Close().ok());
  Reopen();
  EXPECT_EQ((Strings{"1:a", "2:b"}), Read());
}

TEST_F(WalTest, CloseMakesAppendsUnavailable) {
  Reopen();
  Write("a");
  ASSERT_TRUE(log_->Close().ok());
  EXPECT_EQ(StatusCode::kUnavailable, log_->Append("b", 1).status().code());
  EXPECT_EQ(StatusCode::kUnavailable, log_->SealActive().status().code());
  EXPECT_TRUE(log_->Close().ok());  // idempotent
  EXPECT_EQ(Strings{"1:a"}, Read());
}

TEST_F(WalTest, SecondOpenOfTheSameDirectoryFails) {
  Reopen();
  auto second = Log::Open(dir_, options_, nullptr);
  EXPECT_EQ(StatusCode::kUnavailable, second.status().code());
}

// --- Restarts --------------------------------------------------------------------------------

TEST_F(WalTest, SequenceNumbersContinueAfterReopenInANewSegment) {
  Reopen();
  Write("a");
  Write("b", 2);
  ASSERT_TRUE(log_->Close().ok());
  Reopen();
  EXPECT_EQ(3u, log_->last_seq());
  EXPECT_EQ(2u, report_.records);
  ASSERT_EQ(1u, log_->Segments().size());
  EXPECT_TRUE(log_->Segments()[0].sealed);  // the old last segment is sealed on reopen
  AppendResult c = Write("c");
  EXPECT_EQ(4u, c.first_seq);
  EXPECT_EQ(2u, c.segment_id);
  EXPECT_EQ((Strings{"1:a", "2+2:b", "4:c"}), Read());
}

TEST_F(WalTest, ReopenWithoutCloseKeepsEverythingAppended) {
  Reopen();
  Write("a");
  log_.reset();  // no Close: the destructor neither syncs nor seals
  Reopen();
  EXPECT_EQ(Strings{"1:a"}, Read());
  EXPECT_EQ(2u, Write("b").first_seq);
}

TEST_F(WalTest, ReopenWithoutAppendsDoesNotReuseIds) {
  Reopen();
  Write("a");
  Reopen();
  Reopen();
  AppendResult b = Write("b");
  EXPECT_EQ(2u, b.first_seq);
  EXPECT_EQ(2u, b.segment_id);
}

TEST_F(WalTest, EmptySegmentLeftByACrashKeepsTheNextSequenceNumber) {
  Reopen();
  Write("a");
  ASSERT_EQ(1u, *log_->SealActive());
  Write("b");
  log_.reset();
  // Segment 2 as left by a crash just after its creation: a header (base_seq 2), no records.
  std::string header = Bytes(SegmentPath(2)).substr(0, kSegmentHeaderSize);
  SetBytes(SegmentPath(2), header);
  Reopen();
  EXPECT_EQ(1u, log_->last_seq());
  AppendResult c = Write("c");
  EXPECT_EQ(2u, c.first_seq);
  EXPECT_EQ(3u, c.segment_id);
  EXPECT_EQ((Strings{"1:a", "2:c"}), Read());
}

// --- Reserving sequence numbers (lake attach) ---------------------------------------------

TEST_F(WalTest, ReserveGivesARangeAndASegmentIdNeverHandedOutAgain) {
  Reopen();
  Write("a", 2);
  auto r = log_->Reserve(10);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(3u, r->first_seq);
  EXPECT_EQ(12u, r->last_seq);
  EXPECT_EQ(2u, r->segment_id);
  EXPECT_EQ(12u, log_->last_seq());
  ASSERT_EQ(1u, log_->Segments().size());
  EXPECT_TRUE(log_->Segments()[0].sealed);  // the active segment was sealed first
  AppendResult b = Write("b");
  EXPECT_EQ(13u, b.first_seq);
  EXPECT_EQ(3u, b.segment_id);
  EXPECT_EQ((Strings{"1+2:a", "13:b"}), Read());
  ASSERT_TRUE(log_->Close().ok());
  Reopen();
  EXPECT_EQ(14u, Write("c").first_seq);
  EXPECT_EQ((Strings{"1+2:a", "13:b", "14:c"}), Read());
}

TEST_F(WalTest, ReserveSurvivesACrashBeforeAnyAppend) {
  Reopen();
  Write("a");
  ASSERT_TRUE(log_->Reserve(5).ok());
  log_.reset();  // no Close, nothing appended after the reservation
  Reopen();
  EXPECT_EQ(6u, log_->last_seq());
  AppendResult b = Write("b");
  EXPECT_EQ(7u, b.first_seq);
  EXPECT_EQ(3u, b.segment_id);  // id 2 was the reservation's
}

TEST_F(WalTest, ReserveSealsAnEmptyActiveSegment) {
  Reopen();
  Write("a");
  ASSERT_EQ(1u, *log_->SealActive());
  auto r1 = log_->Reserve(3);
  ASSERT_TRUE(r1.ok());
  auto r2 = log_->Reserve(1);  // back to back
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(5u, r2->first_seq);
  EXPECT_EQ(r1->segment_id + 1, r2->segment_id);
  EXPECT_EQ(StatusCode::kInvalidArgument, log_->Reserve(0).status().code());
  Write("b");
  log_.reset();
  Reopen();
  EXPECT_EQ((Strings{"1:a", "6:b"}), Read());
}

// --- Sealing ---------------------------------------------------------------------------------

TEST_F(WalTest, SealsWhenTheSegmentReachesMaxBytes) {
  // Header 36 bytes + 71 per record: the third record crosses 200 bytes.
  options_.segment_max_bytes = 200;
  Reopen();
  std::string p(50, 'p');
  EXPECT_EQ(1u, Write(p).segment_id);
  EXPECT_EQ(1u, Write(p).segment_id);
  EXPECT_EQ(1u, Write(p).segment_id);
  std::vector<SegmentInfo> segs = log_->Segments();
  ASSERT_EQ(1u, segs.size());
  EXPECT_TRUE(segs[0].sealed);
  EXPECT_EQ(kSegmentHeaderSize + 3 * RecordSize(50), segs[0].bytes);
  EXPECT_EQ(2u, Write(p).segment_id);
  segs = log_->Segments();
  ASSERT_EQ(2u, segs.size());
  EXPECT_FALSE(segs[1].sealed);
  EXPECT_EQ(4u, segs[1].first_seq);
  EXPECT_EQ(4u, segs[1].last_seq);
  EXPECT_EQ(4u, Read().size());
}

TEST_F(WalTest, SealActiveStartsANewSegment) {
  Reopen();
  EXPECT_EQ(0u, *log_->SealActive());  // nothing to seal
  Write("a");
  Write("b");
  EXPECT_EQ(1u, *log_->SealActive());
  EXPECT_EQ(0u, *log_->SealActive());  // already sealed
  EXPECT_EQ(2u, Write("c").segment_id);
  std::vector<SegmentInfo> segs = log_->Segments();
  ASSERT_EQ(2u, segs.size());
  EXPECT_EQ(1u, segs[0].id);
  EXPECT_TRUE(segs[0].sealed);
  EXPECT_EQ(1u, segs[0].first_seq);
  EXPECT_EQ(2u, segs[0].last_seq);
  EXPECT_EQ(SegmentPath(1), segs[0].path);
  EXPECT_EQ(std::filesystem::file_size(SegmentPath(1)), segs[0].bytes);
  EXPECT_FALSE(segs[1].sealed);
  EXPECT_EQ(3u, segs[1].first_seq);
  EXPECT_EQ((Strings{"1:a", "2:b", "3:c"}), Read());
}

TEST_F(WalTest, SealIfAgedSealsOnlyOldSegments) {
  Reopen();
  Write("a");
  ASSERT_TRUE(log_->SealIfAged().ok());
  EXPECT_FALSE(log_->Segments()[0].sealed);  // younger than 10 minutes

  options_.segment_max_age = std::chrono::milliseconds(0);
  Reopen();
  Write("b");
  ASSERT_TRUE(log_->SealIfAged().ok());
  ASSERT_EQ(2u, log_->Segments().size());
  EXPECT_TRUE(log_->Segments()[1].sealed);
  EXPECT_EQ(3u, Write("c").segment_id);
}

// --- Retention -------------------------------------------------------------------------------

// Found by src/engine/fault_test.cc: a retention whose unlink failed forgot the segment anyway,
// and the next one deleted the newer segment, leaving a hole that recovery refused.
TEST_F(WalTest, AFailedUnlinkInRetentionKeepsTheSegmentForTheNextCall) {
  FaultFs fs;
  fs.real_syncs = false;
  fs::SetForTesting(&fs);
  Reopen();
  Write("a");
  ASSERT_TRUE(log_->SealActive().ok());
  Write("b");
  ASSERT_TRUE(log_->SealActive().ok());
  Write("c");
  ASSERT_EQ((std::vector<uint64_t>{1, 2, 3}), SegmentIds());
  // The state file (open, append, fsync, rename, directory fsync), then the first unlink.
  fs.FailAt(fs.ops() + 6);
  EXPECT_FALSE(log_->DeleteSealedThrough(2).ok());
  EXPECT_NE(std::string::npos, fs.injected().find("unlink")) << fs.injected();
  EXPECT_EQ((std::vector<uint64_t>{1, 2, 3}), SegmentIds());
  ASSERT_TRUE(log_->DeleteSealedThrough(2).ok());
  EXPECT_EQ((std::vector<uint64_t>{3}), SegmentIds());
  Reopen();
  EXPECT_EQ((Strings{"3:c"}), Read(3));
}

TEST_F(WalTest, DeleteSealedThroughRemovesOnlySealedSegmentsAtOrBelowSeq) {
  Reopen();
  Write("a");
  Write("b");
  ASSERT_EQ(1u, *log_->SealActive());  // segment 1: 1..2
  Write("c");
  Write("d");
  ASSERT_EQ(2u, *log_->SealActive());  // segment 2: 3..4
  Write("e");                          // segment 3 (active): 5

  ASSERT_TRUE(log_->DeleteSealedThrough(3).ok());
  EXPECT_EQ((std::vector<uint64_t>{2, 3}), SegmentIds());
  EXPECT_FALSE(std::filesystem::exists(SegmentPath(1)));
  EXPECT_EQ((Strings{"3:c", "4:d", "5:e"}), Read());

  ASSERT_TRUE(log_->DeleteSealedThrough(100).ok());  // the active segment stays
  EXPECT_EQ((std::vector<uint64_t>{3}), SegmentIds());
  EXPECT_EQ(Strings{"5:e"}, Read());
}

TEST_F(WalTest, SequenceNumbersAndIdsSurviveDeletingEverySegment) {
  Reopen();
  Write("a");
  Write("b");
  Reopen();  // segment 1 is now sealed
  ASSERT_TRUE(log_->DeleteSealedThrough(2).ok());
  EXPECT_TRUE(log_->Segments().empty());
  EXPECT_EQ(2u, log_->last_seq());
  Reopen();
  EXPECT_EQ(2u, log_->last_seq());
  AppendResult c = Write("c");
  EXPECT_EQ(3u, c.first_seq);
  EXPECT_EQ(2u, c.segment_id);
  EXPECT_EQ(Strings{"3:c"}, Read());
}

// --- Concurrency and group commit -------------------------------------------------------------

TEST_F(WalTest, ConcurrentAppendsGetUniqueContiguousSeqsAndReplayOnce) {
  options_.segment_max_bytes = 16 << 10;  // seal by size while the threads run
  Reopen();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 300;
  std::vector<std::vector<std::pair<AppendResult, std::string>>> results(kThreads);
  std::atomic<bool> stop{false};
  std::thread sealer([&] {
    while (!stop) {
      EXPECT_TRUE(log_->SealActive().ok());
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string payload = "t" + std::to_string(t) + "-" + std::to_string(i);
        uint32_t count = 1 + static_cast<uint32_t>(i % 3);
        auto r = log_->Append(payload, count);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        ASSERT_EQ(r->first_seq + count - 1, r->last_seq);
        results[t].emplace_back(*r, payload);
      }
    });
  }
  for (auto& th : threads) th.join();
  stop = true;
  sealer.join();

  std::map<uint64_t, std::pair<AppendResult, std::string>> by_seq;
  uint64_t events = 0;
  for (auto& rs : results) {
    uint64_t prev = 0;
    for (auto& [r, payload] : rs) {
      EXPECT_GT(r.first_seq, prev);  // one thread's appends are ordered
      prev = r.last_seq;
      EXPECT_TRUE(by_seq.emplace(r.first_seq, std::make_pair(r, payload)).second);
      events += r.last_seq - r.first_seq + 1;
    }
  }
  uint64_t next = 1;  // the ranges tile [1, events] with no gap and no overlap
  for (auto& [first, rp] : by_seq) {
    ASSERT_EQ(next, first);
    next = rp.first.last_seq + 1;
  }
  EXPECT_EQ(events, next - 1);
  EXPECT_EQ(events, log_->last_seq());

  auto check_replay = [&] {
    size_t seen = 0;
    uint64_t expect = 1;
    auto check = [&](const Record& rec) {
      EXPECT_EQ(expect, rec.first_seq);
      const auto& [r, payload] = by_seq.at(rec.first_seq);
      EXPECT_EQ(payload, rec.payload);
      EXPECT_EQ(r.segment_id, rec.segment_id);
      EXPECT_EQ(r.last_seq - r.first_seq + 1, rec.count);
      expect = rec.first_seq + rec.count;
      ++seen;
      return Status::OK();
    };
    ASSERT_TRUE(log_->Replay(1, check).ok());
    EXPECT_EQ(by_seq.size(), seen);
  };
  check_replay();
  EXPECT_GT(log_->Segments().size(), 2u);
  Reopen();
  check_replay();
}

TEST_F(WalTest, GroupCommitBatchesConcurrentAppends) {
  FaultFs fs;
  fs.sync_delay = std::chrono::milliseconds(2);  // a slow disk, so that writers queue up
  fs::SetForTesting(&fs);
  Reopen();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) ASSERT_TRUE(log_->Append("event", 1).ok());
    });
  }
  for (auto& th : threads) th.join();
  int groups = fs.DataSyncs(".wal");
  // One write() and one fdatasync per group, plus one header write per segment.
  EXPECT_EQ(groups + static_cast<int>(log_->Segments().size()), fs.Appends(".wal"));
  EXPECT_LT(groups, kThreads * kPerThread / 2) << "appends were not batched";
  EXPECT_EQ(static_cast<uint64_t>(kThreads * kPerThread), log_->last_seq());
  EXPECT_EQ(static_cast<size_t>(kThreads * kPerThread), Read().size());
}

TEST_F(WalTest, SealingBySizeWhileOthersAppend) {
  FaultFs fs;
  fs.sync_delay = std::chrono::microseconds(500);  // writers arrive while a segment is sealed
  fs::SetForTesting(&fs);
  options_.segment_max_bytes = 300;
  Reopen();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) ASSERT_TRUE(log_->Append("0123456789", 1).ok());
    });
  }
  for (auto& th : threads) th.join();
  std::vector<SegmentInfo> segs = log_->Segments();
  ASSERT_GT(segs.size(), 3u);
  uint64_t next = 1;
  for (const SegmentInfo& s : segs) {
    EXPECT_EQ(next, s.first_seq);
    next = s.last_seq + 1;
    EXPECT_EQ(std::filesystem::file_size(s.path), s.bytes);
    if (&s != &segs.back()) {
      EXPECT_TRUE(s.sealed);
    }
  }
  EXPECT_EQ(static_cast<uint64_t>(kThreads * kPerThread), next - 1);
  EXPECT_EQ(static_cast<size_t>(kThreads * kPerThread), Read().size());
}

TEST_F(WalTest, SyncOffWritesButDoesNotSyncEachGroup) {
  FaultFs fs;
  fs::SetForTesting(&fs);
  options_.sync = false;
  Reopen();
  Write("a");
  Write("b");
  EXPECT_EQ(0, fs.DataSyncs(".wal"));
  ASSERT_EQ(1u, *log_->SealActive());  // sealing fsyncs regardless
  EXPECT_EQ((Strings{"1:a", "2:b"}), Read());
}

TEST_F(WalTest, ReplayDuringAppendsSeesEveryEarlierRecord) {
  options_.segment_max_bytes = 8 << 10;
  Reopen();
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 2000; ++i) ASSERT_TRUE(log_->Append("x" + std::to_string(i), 1).ok());
    done = true;
  });
  int rounds = 0;
  while (!done || rounds == 0) {
    uint64_t before = log_->last_seq();
    uint64_t expect = 1;
    auto check = [&](const Record& r) {
      EXPECT_EQ(expect, r.first_seq);
      EXPECT_EQ("x" + std::to_string(r.first_seq - 1), r.payload);
      expect = r.first_seq + r.count;
      return Status::OK();
    };
    ASSERT_TRUE(log_->Replay(1, check).ok());
    EXPECT_GE(expect - 1, before);
    ++rounds;
  }
  writer.join();
}

}  // namespace
}  // namespace laminar::wal

