// Log recovery as a spec: torn and corrupt tails, damaged sealed segments, stray files in the
// directory, failed writes and simulated power loss (through FaultFs).
#include <gtest/gtest.h>

#include <filesystem>

#include "log/wal.h"
#include "log/wal_test_util.h"

namespace laminar::wal {
namespace {

using test_util::FaultFs;
using test_util::Strings;
using test_util::WalTest;

// --- Recovery: torn and corrupt tails ---------------------------------------------------------

class WalRecoveryTest : public WalTest {
 protected:
  // Three records in segment 1, then closed; remembers where the last record starts.
  void WriteThree() {
    Reopen();
    Write("first");
    Write("second");
    Write("third-record-payload");
    ASSERT_TRUE(log_->Close().ok());
    log_.reset();
    last_record_start_ = kSegmentHeaderSize + RecordSize(5) + RecordSize(6);
    full_ = Bytes(SegmentPath(1));
    ASSERT_EQ(last_record_start_ + RecordSize(20), full_.size());
  }

  uint64_t last_record_start_ = 0;
  std::string full_;
};

TEST_F(WalRecoveryTest, TornTailAtEveryOffsetKeepsTheWholeRecordsBeforeIt) {
  WriteThree();
  for (uint64_t cut = last_record_start_; cut < full_.size(); ++cut) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    SetBytes(SegmentPath(1), std::string_view(full_).substr(0, cut));
    std::filesystem::remove(SegmentPath(2));  // the last iteration's, with the state that records it
    std::filesystem::remove(JoinPath(dir_, std::string(kStateFileName)));
    Reopen();
    EXPECT_EQ((Strings{"1:first", "2:second"}), Read());
    EXPECT_EQ(cut - last_record_start_, report_.truncated_bytes);
    if (cut > last_record_start_) {
      EXPECT_TRUE(MessagesMention(SegmentPath(1), "offset " + std::to_string(last_record_start_)));
    } else {
      EXPECT_TRUE(report_.messages.empty());
    }
    EXPECT_EQ(last_record_start_, std::filesystem::file_size(SegmentPath(1)));
    EXPECT_EQ(3u, Write("again").first_seq);  // seq 3 was never acked
    EXPECT_EQ((Strings{"1:first", "2:second", "3:again"}), Read());
    log_.reset();
  }
}

TEST_F(WalRecoveryTest, FlippedByteInTheLastRecordCutsThere) {
  WriteThree();
  for (uint64_t at = last_record_start_; at < full_.size(); ++at) {
    SCOPED_TRACE("flip at " + std::to_string(at));
    std::string damaged = full_;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
    SetBytes(SegmentPath(1), damaged);
    std::filesystem::remove(SegmentPath(2));  // the last iteration's, with the state that records it
    std::filesystem::remove(JoinPath(dir_, std::string(kStateFileName)));
    Reopen();
    EXPECT_EQ((Strings{"1:first", "2:second"}), Read());
    EXPECT_EQ(full_.size() - last_record_start_, report_.truncated_bytes);
    EXPECT_TRUE(MessagesMention(SegmentPath(1), "offset " + std::to_string(last_record_start_)));
    log_.reset();
  }
}

TEST_F(WalRecoveryTest, ZeroFilledTailIsCut) {
  WriteThree();
  SetBytes(SegmentPath(1), full_ + std::string(4096, '\0'));
  Reopen();
  EXPECT_EQ(3u, Read().size());
  EXPECT_EQ(4096u, report_.truncated_bytes);
}

TEST_F(WalRecoveryTest, DamageFollowedByValidRecordsIsCorruptionEvenInTheLastSegment) {
  WriteThree();
  const uint64_t second = kSegmentHeaderSize + RecordSize(5);
  FlipByte(SegmentPath(1), second + kRecordHeaderSize + kBatchBodyPrefix + 1);  // in record 2's payload
  const std::string damaged = Bytes(SegmentPath(1));
  Status st = TryOpen();
  ASSERT_EQ(StatusCode::kCorruption, st.code()) << st.ToString();
  for (std::string part : std::vector<std::string>{SegmentPath(1), "offset " + std::to_string(second), "valid records follow at offset " +
                               std::to_string(last_record_start_), "sequence numbers 2..2", "--salvage-wal"})
    EXPECT_NE(std::string::npos, st.message().find(part)) << part << " in " << st.ToString();
  EXPECT_EQ(damaged, Bytes(SegmentPath(1)));  // nothing was cut
  EXPECT_EQ(StatusCode::kCorruption, TryOpen().code());  // and it stays refused
}

TEST_F(WalRecoveryTest, DamagedLengthFollowedByValidRecordsIsCorruptionToo) {
  WriteThree();
  FlipByte(SegmentPath(1), kSegmentHeaderSize + RecordSize(5) + 5);  // record 2's length runs past the end
  EXPECT_EQ(StatusCode::kCorruption, TryOpen().code());
}

TEST_F(WalRecoveryTest, SalvageKeepsEveryValidRecordAndRecordsTheLoss) {
  WriteThree();
  FlipByte(SegmentPath(1), kSegmentHeaderSize + RecordSize(5) + 3);  // in record 2's length
  options_.salvage = true;
  Reopen();
  EXPECT_EQ((Strings{"1:first", "3:third-record-payload"}), Read());
  EXPECT_EQ(1u, report_.lost_events);
  EXPECT_TRUE(MessagesMention("sequence numbers 2..2", "lost"));
  EXPECT_EQ(full_.size() - RecordSize(6), std::filesystem::file_size(SegmentPath(1)));  // rewritten without it
  // The loss is remembered: the next start needs no flag, and sequence numbers go on.
  options_.salvage = false;
  Reopen();
  EXPECT_EQ((Strings{"1:first", "3:third-record-payload"}), Read());
  EXPECT_EQ(0u, report_.lost_events);
  EXPECT_TRUE(log_->KnownAbsent(2, 2));
  EXPECT_EQ(4u, Write("fourth").first_seq);
}

// Found by src/engine/damage_test.cc: the newest segment deleted, or emptied, lost its acked
// events silently (an empty one looked like a crash while creating it).
TEST_F(WalRecoveryTest, AMissingOrEmptiedNewestSegmentIsCorruption) {
  Reopen();
  Write("a");
  ASSERT_TRUE(log_->SealActive().ok());
  Write("b");
  Write("c");
  log_.reset();
  const std::string newest = Bytes(SegmentPath(2));
  std::filesystem::remove(SegmentPath(2));
  Status st = TryOpen();
  ASSERT_EQ(StatusCode::kCorruption, st.code());
  EXPECT_NE(std::string::npos, st.message().find(SegmentPath(2) + " is missing")) << st.ToString();
  SetBytes(SegmentPath(2), "");
  st = TryOpen();
  ASSERT_EQ(StatusCode::kCorruption, st.code());
  EXPECT_NE(std::string::npos, st.message().find("its creation had completed")) << st.ToString();
  SetBytes(SegmentPath(2), newest);
  Reopen();
  EXPECT_EQ((Strings{"1:a", "2:b", "3:c"}), Read());
  // Retention may delete every segment: then none is missing.
  ASSERT_TRUE(log_->SealActive().ok());
  ASSERT_TRUE(log_->DeleteSealedThrough(3).ok());
  Reopen();
  EXPECT_EQ(4u, Write("d").first_seq);
}

// A salvage (the damaged segment rewritten with its valid records, the loss recorded in
// wal.state) with a failed operation at each of its operations, then a power loss: a second
// salvage still keeps every valid record, and the loss is recorded once.
TEST_F(WalRecoveryTest, SalvageWithAFailedOperationAnywhereKeepsEveryValidRecord) {
  WriteThree();
  std::string damaged = full_;
  damaged[kSegmentHeaderSize + RecordSize(5) + RecordSize(6) - 2] ^= 0x40;  // inside "second"
  options_.salvage = true;
  FaultFs fs;
  fs.real_syncs = false;
  auto reset = [&] {
    std::filesystem::remove(JoinPath(dir_, std::string(kStateFileName)));
    SetBytes(SegmentPath(1), damaged);
  };
  reset();
  fs::SetForTesting(&fs);
  Reopen();
  const uint64_t total = fs.ops();
  log_.reset();
  fs::SetForTesting(nullptr);
  fs.DropUnsyncedData(UINT64_MAX, SIZE_MAX);
  ASSERT_GT(total, 2u);
  for (uint64_t n = 1; n <= total; n++) {
    SCOPED_TRACE("a failed operation #" + std::to_string(n) + " of " + std::to_string(total));
    reset();
    fs::SetForTesting(&fs);
    fs.FailAt(n);
    TryOpen().IgnoreError();
    log_.reset();
    fs::SetForTesting(nullptr);
    fs.DropUnsyncedData();
    Reopen();
    EXPECT_EQ((Strings{"1:first", "3:third-record-payload"}), Read());
    EXPECT_TRUE(log_->KnownAbsent(2, 2));
  }
}

TEST_F(WalRecoveryTest, MissingMiddleSegmentIsCorruptionNamingTheRange) {
  Reopen();
  for (int seg = 0; seg < 3; seg++) {
    Write("a");
    Write("b");
    ASSERT_TRUE(log_->SealActive().ok());
  }
  log_.reset();
  std::filesystem::remove(SegmentPath(2));  // sequence numbers 3 and 4
  Status st = TryOpen();
  ASSERT_EQ(StatusCode::kCorruption, st.code());
  EXPECT_NE(std::string::npos, st.message().find("sequence numbers 3..4 are missing")) << st.ToString();
  EXPECT_NE(std::string::npos, st.message().find(SegmentPath(3))) << st.ToString();
  options_.salvage = true;
  Reopen();
  EXPECT_EQ((Strings{"1:a", "2:b", "5:a", "6:b"}), Read());
  EXPECT_EQ(2u, report_.lost_events);
  options_.salvage = false;
  Reopen();
  EXPECT_EQ(7u, Write("c").first_seq);
}

TEST_F(WalRecoveryTest, ReservedRangesAreKnownGaps) {
  Reopen();
  Write("a");
  auto reserved = log_->Reserve(10);
  ASSERT_TRUE(reserved.ok());
  EXPECT_EQ(2u, reserved->first_seq);
  EXPECT_EQ(12u, Write("b").first_seq);
  Reopen();  // segment 1 holds 1, the next one 12: 2..11 is the reservation, not a loss
  EXPECT_EQ((Strings{"1:a", "12:b"}), Read());
  EXPECT_TRUE(log_->KnownAbsent(2, 11));
  EXPECT_FALSE(log_->KnownAbsent(1, 11));
}

// Segment 1 (sealed, records 1..3) and segment 2 (record 4).
class WalSealedSegmentTest : public WalRecoveryTest {
 protected:
  void SetUp() override {
    WalRecoveryTest::SetUp();
    WriteThree();
    Reopen();
    Write("fourth");
    ASSERT_TRUE(log_->Close().ok());
    log_.reset();
  }
};

TEST_F(WalSealedSegmentTest, CorruptionInTheMiddleIsReportedWithFileAndOffset) {
  uint64_t second = kSegmentHeaderSize + RecordSize(5);
  FlipByte(SegmentPath(1), second + kRecordHeaderSize + kBatchBodyPrefix + 2);
  Status st = TryOpen();
  EXPECT_EQ(StatusCode::kCorruption, st.code());
  EXPECT_NE(std::string::npos, st.message().find(SegmentPath(1))) << st.ToString();
  EXPECT_NE(std::string::npos, st.message().find("offset " + std::to_string(second)))
      << st.ToString();
  EXPECT_EQ(full_.size(), std::filesystem::file_size(SegmentPath(1)));  // nothing was cut
  // And it stays refused.
  EXPECT_EQ(StatusCode::kCorruption, TryOpen().code());
}

TEST_F(WalSealedSegmentTest, DamagedLastRecordOfASealedSegmentIsCorruption) {
  FlipByte(SegmentPath(1), last_record_start_ + kRecordHeaderSize + kBatchBodyPrefix);
  Status st = TryOpen();
  EXPECT_EQ(StatusCode::kCorruption, st.code());
  EXPECT_NE(std::string::npos, st.message().find(SegmentPath(1))) << st.ToString();
}

TEST_F(WalSealedSegmentTest, IncompleteTailOfASealedSegmentIsALossOfAckedEvents) {
  // Segment 2 starts at 4, so record 3 was acknowledged before segment 1 was sealed: its cut
  // tail is a loss, refused unless salvaged.
  SetBytes(SegmentPath(1), std::string_view(full_).substr(0, full_.size() - 4));
  Status st = TryOpen();
  ASSERT_EQ(StatusCode::kCorruption, st.code());
  EXPECT_NE(std::string::npos, st.message().find("sequence numbers 3..3 are missing")) << st.ToString();
  options_.salvage = true;
  Reopen();
  EXPECT_EQ((Strings{"1:first", "2:second", "4:fourth"}), Read());
  EXPECT_TRUE(MessagesMention(SegmentPath(1), "offset " + std::to_string(last_record_start_)));
  EXPECT_EQ(5u, Write("fifth").first_seq);
}

TEST_F(WalSealedSegmentTest, SegmentWithADamagedHeaderIsCorruption) {
  FlipByte(SegmentPath(1), 10);
  Status st = TryOpen();
  EXPECT_EQ(StatusCode::kCorruption, st.code());
  EXPECT_NE(std::string::npos, st.message().find(SegmentPath(1))) << st.ToString();
}

// --- Recovery: the directory -------------------------------------------------------------------

TEST_F(WalTest, ForeignFilesAreIgnoredAndReported) {
  Reopen();
  Write("a");
  log_.reset();
  SetBytes(JoinPath(dir_, "notes.txt"), "hello");
  Reopen();
  EXPECT_EQ(Strings{"1:a"}, Read());
  EXPECT_TRUE(MessagesMention("notes.txt", "ignored"));
  EXPECT_TRUE(std::filesystem::exists(JoinPath(dir_, "notes.txt")));
}

TEST_F(WalTest, GarbageWithASegmentNameIsCorruption) {
  Reopen();
  Write("a");
  log_.reset();
  SetBytes(SegmentPath(7), "this is not a write-ahead log segment, just some text");
  Status st = TryOpen();
  EXPECT_EQ(StatusCode::kCorruption, st.code());
  EXPECT_NE(std::string::npos, st.message().find(SegmentPath(7))) << st.ToString();
  EXPECT_NE(std::string::npos, st.message().find("magic")) << st.ToString();

  SetBytes(SegmentPath(7), "hi");  // too short to be a header, and not the start of one
  EXPECT_EQ(StatusCode::kCorruption, TryOpen().code());
  EXPECT_TRUE(std::filesystem::exists(SegmentPath(7)));  // never deleted
}

TEST_F(WalTest, LastSegmentWithATornHeaderIsRemoved) {
  Reopen();
  Write("a");
  log_.reset();
  char header[kSegmentHeaderSize];
  EncodeSegmentHeader(SegmentHeader{2, 2}, header);
  SetBytes(SegmentPath(2), std::string_view(header, 11));  // a crash while creating segment 2
  Reopen();
  EXPECT_FALSE(std::filesystem::exists(SegmentPath(2)));
  EXPECT_TRUE(MessagesMention(SegmentPath(2), "removed"));
  EXPECT_EQ(Strings{"1:a"}, Read());
  EXPECT_EQ(2u, Write("b").first_seq);
}

// --- Faults and crashes ------------------------------------------------------------------------

TEST_F(WalTest, FailedWriteIsRetriedOnceSpaceIsBack) {
  FaultFs fs;
  fs::SetForTesting(&fs);
  Reopen();
  Write("a");
  fs.fail_writes = true;  // the disk is full: half a record reaches the file
  Status st = log_->Append("bbbbbbbb", 1).status();
  EXPECT_EQ(StatusCode::kIOError, st.code());
  EXPECT_EQ(ErrorCode::kDiskFull, st.error_code());
  EXPECT_EQ(StatusCode::kIOError, log_->Append("c", 1).status().code());
  EXPECT_EQ(1u, log_->last_seq());
  EXPECT_TRUE(log_->health().ok()) << log_->health().ToString();  // not sticky
  fs.fail_writes = false;  // space is back
  EXPECT_EQ(2u, Write("d").first_seq);
  EXPECT_EQ((Strings{"1:a", "2:d"}), Read());
  fs::SetForTesting(nullptr);
  Reopen();  // the cut left whole records only: no torn tail, nothing lost
  EXPECT_TRUE(report_.messages.empty());
  EXPECT_EQ((Strings{"1:a", "2:d"}), Read());
}

TEST_F(WalTest, FailedSyncIsStickyAndNeverAcknowledgedAgain) {
  FaultFs fs;
  fs::SetForTesting(&fs);
  Reopen();
  Write("a");
  fs.fail_syncs = true;
  EXPECT_EQ(StatusCode::kIOError, log_->Append("b", 1).status().code());
  fs.fail_syncs = false;
  EXPECT_EQ(StatusCode::kUnavailable, log_->Append("c", 1).status().code());  // read-only, saying why
  EXPECT_NE(std::string::npos, log_->Append("c", 1).status().message().find("injected fsync error"));
  EXPECT_EQ(StatusCode::kIOError, log_->SealActive().status().code());
  EXPECT_FALSE(log_->health().ok());
  EXPECT_NE(std::string::npos, log_->health().message().find("a failed fsync is not retried"));
  EXPECT_EQ(1u, log_->last_seq());
}

TEST_F(WalTest, CrashKeepsEverySyncedRecordWhateverPartOfTheRestSurvives) {
  const uint64_t d_size = RecordSize(std::string_view("dddd").size());
  for (uint64_t keep = 0; keep <= d_size; ++keep) {
    SCOPED_TRACE("unsynced bytes kept: " + std::to_string(keep));
    std::filesystem::remove_all(dir_);
    FaultFs fs;
    fs::SetForTesting(&fs);
    Reopen();
    Write("a");
    Write("b");
    Write("c");
    fs.fail_syncs = true;  // D reaches the page cache; its fdatasync fails; the power goes
    EXPECT_EQ(StatusCode::kIOError, log_->Append("dddd", 1).status().code());
    log_.reset();
    fs.DropUnsyncedData(keep);
    fs::SetForTesting(nullptr);

    Reopen();
    if (keep < d_size) {
      EXPECT_EQ((Strings{"1:a", "2:b", "3:c"}), Read());
      EXPECT_EQ(keep, report_.truncated_bytes);
    } else {
      EXPECT_EQ((Strings{"1:a", "2:b", "3:c", "4:dddd"}), Read());  // unacked, yet whole
    }
    uint64_t last = log_->last_seq();
    EXPECT_EQ(last + 1, Write("e").first_seq);
    log_.reset();
  }
}

TEST_F(WalTest, CrashWithSyncOffKeepsSealedSegments) {
  FaultFs fs;
  fs::SetForTesting(&fs);
  options_.sync = false;
  Reopen();
  Write("a");
  Write("b");
  ASSERT_EQ(1u, *log_->SealActive());  // sealing fsyncs
  Write("c");                          // acked, but only in the page cache
  log_.reset();
  fs.DropUnsyncedData();
  fs::SetForTesting(nullptr);
  Reopen();
  EXPECT_EQ((Strings{"1:a", "2:b"}), Read());
  AppendResult d = Write("d");
  EXPECT_EQ(3u, d.segment_id);  // segment 2 survives empty; ids are not reused
  EXPECT_EQ(3u, d.first_seq);   // durability "none": seq 3 was lost with its record
}

}  // namespace
}  // namespace laminar::wal
