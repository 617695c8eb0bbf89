#include "log/wal_format.h"

#include <gtest/gtest.h>

#include <cstring>

#include "common/crc32c.h"

namespace laminar::wal {
namespace {

TEST(WalFormatTest, SegmentHeaderRoundTrips) {
  char buf[kSegmentHeaderSize];
  EncodeSegmentHeader(SegmentHeader{42, 1000}, buf);
  EXPECT_EQ(kSegmentMagic, std::string_view(buf, 8));
  SegmentHeader h;
  ASSERT_TRUE(DecodeSegmentHeader(std::string_view(buf, sizeof buf), &h).ok());
  EXPECT_EQ(42u, h.segment_id);
  EXPECT_EQ(1000u, h.base_seq);
}

TEST(WalFormatTest, SegmentHeaderRejectsDamage) {
  char buf[kSegmentHeaderSize];
  EncodeSegmentHeader(SegmentHeader{1, 1}, buf);
  SegmentHeader h;
  for (size_t i = 0; i < sizeof buf; ++i) {
    std::string damaged(buf, sizeof buf);
    damaged[i] ^= 0x01;
    Status st = DecodeSegmentHeader(damaged, &h);
    EXPECT_EQ(StatusCode::kCorruption, st.code()) << "byte " << i;
  }
  EXPECT_EQ(StatusCode::kCorruption, DecodeSegmentHeader(std::string_view(buf, 20), &h).code());
}

TEST(WalFormatTest, BatchRecordLayout) {
  std::string rec;
  AppendBatchRecord(&rec, 7, 3, "xyz");
  ASSERT_EQ(RecordSize(3), rec.size());
  EXPECT_EQ(kBatchBodyPrefix + 3, GetFixed32(rec.data() + 4));
  EXPECT_EQ(static_cast<char>(RecordType::kBatch), rec[8]);
  EXPECT_EQ(7u, GetFixed64(rec.data() + 9));
  EXPECT_EQ(3u, GetFixed32(rec.data() + 17));
  EXPECT_EQ("xyz", rec.substr(21));
}

TEST(WalFormatTest, SegmentFileNames) {
  EXPECT_EQ("00000000000000000042.wal", SegmentFileName(42));
  uint64_t id = 0;
  EXPECT_TRUE(ParseSegmentFileName("00000000000000000042.wal", &id));
  EXPECT_EQ(42u, id);
  EXPECT_TRUE(ParseSegmentFileName(SegmentFileName(UINT64_MAX), &id));
  EXPECT_EQ(UINT64_MAX, id);
  EXPECT_FALSE(ParseSegmentFileName("42.wal", &id));
  EXPECT_FALSE(ParseSegmentFileName("0000000000000000004x.wal", &id));
  EXPECT_FALSE(ParseSegmentFileName("00000000000000000042.wal.tmp", &id));
  EXPECT_FALSE(ParseSegmentFileName("99999999999999999999.wal", &id));  // > 2^64 - 1
}

TEST(WalFormatTest, StateFileRoundTripsAndRejectsDamage) {
  LogState in{123, 45};
  in.created_segment = 44;
  in.deleted_through = 40;
  in.AddGap(10, 19, SeqGap::Kind::kReserved);
  in.AddGap(30, 30, SeqGap::Kind::kLost);
  std::string bytes = EncodeLogState(in);
  ASSERT_EQ(36u + 2 * 17u + 16u, bytes.size());
  LogState s;
  ASSERT_TRUE(DecodeLogState(bytes, &s).ok());
  EXPECT_EQ(123u, s.next_seq);
  EXPECT_EQ(45u, s.next_segment_id);
  EXPECT_EQ(44u, s.created_segment);
  EXPECT_EQ(40u, s.deleted_through);
  ASSERT_EQ(2u, s.gaps.size());
  EXPECT_EQ(SeqGap::Kind::kLost, s.gaps[1].kind);
  bytes[15] ^= 0x10;
  EXPECT_EQ(StatusCode::kCorruption, DecodeLogState(bytes, &s).code());
  EXPECT_EQ(StatusCode::kCorruption, DecodeLogState("short", &s).code());
  bytes = EncodeLogState(in);
  EXPECT_EQ(StatusCode::kCorruption, DecodeLogState(bytes.substr(0, bytes.size() - 5), &s).code());
}

TEST(WalFormatTest, StateFileOfVersionOneIsRead) {
  std::string v1(32, '\0');
  std::memcpy(v1.data(), kStateMagic.data(), 8);
  PutFixed32(v1.data() + 8, 1);
  PutFixed64(v1.data() + 12, 77);
  PutFixed64(v1.data() + 20, 8);
  PutFixed32(v1.data() + 28, crc32c::Mask(crc32c::Value(v1.data(), 28)));
  LogState s;
  ASSERT_TRUE(DecodeLogState(v1, &s).ok());
  EXPECT_EQ(77u, s.next_seq);
  EXPECT_TRUE(s.gaps.empty());
}

TEST(WalFormatTest, GapsCoverRangesAndMerge) {
  LogState s;
  s.AddGap(5, 9, SeqGap::Kind::kReserved);
  s.AddGap(10, 12, SeqGap::Kind::kReserved);  // merges: 5..12
  s.AddGap(13, 13, SeqGap::Kind::kLost);      // another kind: kept apart
  ASSERT_EQ(2u, s.gaps.size());
  EXPECT_EQ(12u, s.gaps[0].last);
  EXPECT_TRUE(s.Covers(5, 13));
  EXPECT_TRUE(s.Covers(7, 7));
  EXPECT_FALSE(s.Covers(4, 6));
  EXPECT_FALSE(s.Covers(12, 14));
  s.DropGapsBefore(13);
  ASSERT_EQ(1u, s.gaps.size());
  EXPECT_EQ(13u, s.gaps[0].first);
}

// Found by wal_fuzz: a salvage that lost 10..19 around a reserved gap 14..19 (a segment missing
// before one that starts at 20) recorded an overlapping lost gap, and the next start refused the
// state file it wrote ("state file gap 2 is not a valid range").
TEST(WalFormatTest, GapsOverlappingOthersStayDisjoint) {
  LogState s;
  s.AddGap(14, 19, SeqGap::Kind::kReserved);
  s.AddGap(30, 31, SeqGap::Kind::kReserved);
  s.AddGap(10, 40, SeqGap::Kind::kLost);
  ASSERT_EQ(5u, s.gaps.size());
  const std::pair<uint64_t, uint64_t> want[] = {{10, 13}, {14, 19}, {20, 29}, {30, 31}, {32, 40}};
  for (size_t i = 0; i < 5; i++) {
    EXPECT_EQ(want[i].first, s.gaps[i].first) << i;
    EXPECT_EQ(want[i].second, s.gaps[i].last) << i;
    EXPECT_EQ(i % 2 ? SeqGap::Kind::kReserved : SeqGap::Kind::kLost, s.gaps[i].kind) << i;
  }
  s.AddGap(15, 18, SeqGap::Kind::kLost);  // already reserved: nothing changes
  s.AddGap(12, 12, SeqGap::Kind::kLost);
  EXPECT_EQ(5u, s.gaps.size());
  EXPECT_TRUE(s.Covers(10, 40));
  LogState back;
  ASSERT_TRUE(DecodeLogState(EncodeLogState(s), &back).ok());
  EXPECT_EQ(5u, back.gaps.size());
}

}  // namespace
}  // namespace laminar::wal
