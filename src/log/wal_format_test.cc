#include "log/wal_format.h"

#include <gtest/gtest.h>

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
  std::string bytes = EncodeLogState(LogState{123, 45});
  ASSERT_EQ(kStateFileSize, bytes.size());
  LogState s;
  ASSERT_TRUE(DecodeLogState(bytes, &s).ok());
  EXPECT_EQ(123u, s.next_seq);
  EXPECT_EQ(45u, s.next_segment_id);
  bytes[15] ^= 0x10;
  EXPECT_EQ(StatusCode::kCorruption, DecodeLogState(bytes, &s).code());
  EXPECT_EQ(StatusCode::kCorruption, DecodeLogState("short", &s).code());
}

}  // namespace
}  // namespace laminar::wal
