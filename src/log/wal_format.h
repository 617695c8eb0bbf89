// The bytes of a WAL segment and of the log's state file, as constants and codecs. The prose
// description (the reference for anyone reading the files without this code) is
// docs/formats/wal.md; keep the two in step.
//
// A segment file `<segment_id:020>.wal` is a 36-byte segment header followed by records:
//
//   segment header: magic "LAMWAL01" | version u32 | segment_id u64 | base_seq u64 |
//                   reserved u32 (0) | crc u32 (masked CRC32C of the 32 bytes before it)
//   record:         crc u32 | length u32 | type u8 | body[length]
//   body (type 1):  first_seq u64 | count u32 | payload[length - 12]
//
// All integers are little-endian. A record's crc is the masked CRC32C of everything after the
// crc field (length, type and body), so a torn write, a flipped bit or a zero-filled tail fails
// the check.
//
// Thread safety: pure functions and constants.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace laminar::wal {

inline constexpr std::string_view kSegmentMagic = "LAMWAL01";
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kSegmentHeaderSize = 36;
inline constexpr size_t kRecordHeaderSize = 9;  // crc u32, length u32, type u8
inline constexpr size_t kBatchBodyPrefix = 12;  // first_seq u64, count u32
// The largest payload the u32 length field can describe.
inline constexpr uint64_t kMaxPayloadBytes = 0xffffffffull - kBatchBodyPrefix;

enum class RecordType : uint8_t {
  kZero = 0,   // never written: what a zero-filled (preallocated or torn) region decodes to
  kBatch = 1,  // a batch of `count` events with sequence numbers [first_seq, first_seq + count)
};

struct SegmentHeader {
  uint64_t segment_id = 0;
  // The sequence number the segment's first record gets: the log's next sequence number when
  // the segment was created. Kept so the next sequence number survives an empty segment.
  uint64_t base_seq = 0;
};

// Writes the kSegmentHeaderSize bytes of `h` to out.
void EncodeSegmentHeader(const SegmentHeader& h, char* out);
// Decodes the first kSegmentHeaderSize bytes of `in`. Corruption (with the reason: bad magic,
// unsupported version, checksum mismatch) when they are not a segment header.
Status DecodeSegmentHeader(std::string_view in, SegmentHeader* h);

// Bytes a batch record with a payload of `payload_size` bytes takes in a segment.
inline constexpr uint64_t RecordSize(uint64_t payload_size) {
  return kRecordHeaderSize + kBatchBodyPrefix + payload_size;
}
// Appends one batch record to dst. REQUIRES: payload.size() <= kMaxPayloadBytes, count >= 1.
void AppendBatchRecord(std::string* dst, uint64_t first_seq, uint32_t count,
                       std::string_view payload);

// "00000000000000000042.wal" for 42.
std::string SegmentFileName(uint64_t id);
// True (and *id set) when name is exactly 20 decimal digits followed by ".wal".
bool ParseSegmentFileName(std::string_view name, uint64_t* id);

// The state file remembers the sequence number and segment id floors when retention deletes
// segments, so neither is reused after every segment is gone, and the gaps: ranges of sequence
// numbers that are known to be absent from the log — reserved for rows attached to the lake
// (Log::Reserve) or lost and accepted by a salvage (Options::salvage) — so that recovery can tell
// them from a segment that went missing. It also records the newest segment whose creation
// completed (written right after the segment's header is durable) and the newest one retention
// deleted, so that recovery tells a newest segment deleted or emptied behind the log's back from
// one a crash interrupted while creating it. Written atomically (WriteFileAtomic):
//   magic "LAMWALST" | version u32 (3) | next_seq u64 | next_segment_id u64 |
//   gap_count u32 | gap_count × (first u64 | last u64 | kind u8) |
//   created_segment u64 | deleted_through u64 | crc u32
// (masked CRC32C of every byte before it). Version 1 (no gap fields, 32 bytes) and version 2 (no
// segment fields) are still read (those fields 0: unknown).
inline constexpr std::string_view kStateFileName = "wal.state";
inline constexpr std::string_view kStateMagic = "LAMWALST";
inline constexpr uint32_t kStateVersion = 3;

struct SeqGap {
  enum class Kind : uint8_t { kReserved = 1, kLost = 2 };
  uint64_t first = 0;
  uint64_t last = 0;  // inclusive
  Kind kind = Kind::kReserved;
};

struct LogState {
  uint64_t next_seq = 1;
  uint64_t next_segment_id = 1;
  std::vector<SeqGap> gaps;  // in sequence order, disjoint
  uint64_t created_segment = 0;  // the newest segment created (its header durable); 0: unknown
  uint64_t deleted_through = 0;  // retention deleted every segment with an id at or below this
  // True when every sequence number in [first, last] lies in some gap. REQUIRES: first <= last.
  bool Covers(uint64_t first, uint64_t last) const;
  // Adds the numbers of [first, last] that no gap holds yet (kept sorted and disjoint; adjacent
  // gaps of one kind merge). REQUIRES: first <= last.
  void AddGap(uint64_t first, uint64_t last, SeqGap::Kind kind);
  // Drops the gaps that end before `seq`.
  void DropGapsBefore(uint64_t seq);
};

std::string EncodeLogState(const LogState& s);
// Corruption (with the reason) when `in` is not a state file.
Status DecodeLogState(std::string_view in, LogState* s);

// Little-endian fixed-width integers.
void PutFixed32(char* dst, uint32_t v);
void PutFixed64(char* dst, uint64_t v);
uint32_t GetFixed32(const char* p);
uint64_t GetFixed64(const char* p);

}  // namespace laminar::wal
