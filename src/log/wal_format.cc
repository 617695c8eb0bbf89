#include "log/wal_format.h"

#include <fmt/format.h>

#include <cstring>

#include "common/crc32c.h"

namespace laminar::wal {

void PutFixed32(char* dst, uint32_t v) {
  for (int i = 0; i < 4; ++i) dst[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

void PutFixed64(char* dst, uint64_t v) {
  for (int i = 0; i < 8; ++i) dst[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint32_t GetFixed32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

uint64_t GetFixed64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

void EncodeSegmentHeader(const SegmentHeader& h, char* out) {
  std::memcpy(out, kSegmentMagic.data(), 8);
  PutFixed32(out + 8, kFormatVersion);
  PutFixed64(out + 12, h.segment_id);
  PutFixed64(out + 20, h.base_seq);
  PutFixed32(out + 28, 0);
  PutFixed32(out + 32, crc32c::Mask(crc32c::Value(out, 32)));
}

Status DecodeSegmentHeader(std::string_view in, SegmentHeader* h) {
  if (in.size() < kSegmentHeaderSize) {
    return Corruption("segment header is {} bytes, expected {}", in.size(), kSegmentHeaderSize);
  }
  if (in.substr(0, 8) != kSegmentMagic) return Corruption("bad magic: not a Laminar WAL segment");
  uint32_t version = GetFixed32(in.data() + 8);
  if (version != kFormatVersion) {
    return Corruption("unsupported WAL format version {} (this build reads {})", version,
                      kFormatVersion);
  }
  uint32_t expected = crc32c::Unmask(GetFixed32(in.data() + 32));
  if (crc32c::Value(in.data(), 32) != expected) {
    return Corruption("segment header checksum mismatch");
  }
  h->segment_id = GetFixed64(in.data() + 12);
  h->base_seq = GetFixed64(in.data() + 20);
  return Status::OK();
}

void AppendBatchRecord(std::string* dst, uint64_t first_seq, uint32_t count,
                       std::string_view payload) {
  char head[kRecordHeaderSize + kBatchBodyPrefix];
  PutFixed32(head + 4, static_cast<uint32_t>(kBatchBodyPrefix + payload.size()));
  head[8] = static_cast<char>(RecordType::kBatch);
  PutFixed64(head + 9, first_seq);
  PutFixed32(head + 17, count);
  uint32_t crc = crc32c::Value(head + 4, sizeof head - 4);
  crc = crc32c::Extend(crc, payload.data(), payload.size());
  PutFixed32(head, crc32c::Mask(crc));
  dst->append(head, sizeof head);
  dst->append(payload.data(), payload.size());
}

std::string SegmentFileName(uint64_t id) { return fmt::format("{:020}.wal", id); }

bool ParseSegmentFileName(std::string_view name, uint64_t* id) {
  if (name.size() != 24 || name.substr(20) != ".wal") return false;
  uint64_t v = 0;
  for (size_t i = 0; i < 20; ++i) {
    char c = name[i];
    if (c < '0' || c > '9') return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return false;  // does not fit in u64
    v = v * 10 + digit;
  }
  *id = v;
  return true;
}

std::string EncodeLogState(const LogState& s) {
  std::string out(kStateFileSize, '\0');
  std::memcpy(out.data(), kStateMagic.data(), 8);
  PutFixed32(out.data() + 8, kFormatVersion);
  PutFixed64(out.data() + 12, s.next_seq);
  PutFixed64(out.data() + 20, s.next_segment_id);
  PutFixed32(out.data() + 28, crc32c::Mask(crc32c::Value(out.data(), 28)));
  return out;
}

Status DecodeLogState(std::string_view in, LogState* s) {
  if (in.size() != kStateFileSize) {
    return Corruption("state file is {} bytes, expected {}", in.size(), kStateFileSize);
  }
  if (in.substr(0, 8) != kStateMagic) return Corruption("bad magic in state file");
  uint32_t version = GetFixed32(in.data() + 8);
  if (version != kFormatVersion) return Corruption("unsupported state file version {}", version);
  if (crc32c::Value(in.data(), 28) != crc32c::Unmask(GetFixed32(in.data() + 28))) {
    return Corruption("state file checksum mismatch");
  }
  s->next_seq = GetFixed64(in.data() + 12);
  s->next_segment_id = GetFixed64(in.data() + 20);
  return Status::OK();
}

}  // namespace laminar::wal
