#include "log/wal_format.h"

#include <algorithm>

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

bool LogState::Covers(uint64_t first, uint64_t last) const {
  uint64_t need = first;  // the lowest number not yet seen covered
  for (const SeqGap& g : gaps) {
    if (g.first > need) break;
    if (g.last >= need) {
      if (g.last >= last) return true;
      need = g.last + 1;
    }
  }
  return false;
}

namespace {

// Inserts [first, last], which no gap overlaps, into the sorted `gaps`, merging it with the
// neighbours of its kind that touch it.
void InsertDisjointGap(std::vector<SeqGap>* gaps, uint64_t first, uint64_t last, SeqGap::Kind kind) {
  auto at = std::lower_bound(gaps->begin(), gaps->end(), first, [](const SeqGap& g, uint64_t v) { return g.first < v; });
  at = gaps->insert(at, SeqGap{first, last, kind});
  // Merge with the neighbours of the same kind that touch it.
  if (at + 1 != gaps->end() && (at + 1)->kind == kind && (at + 1)->first <= last + 1) {
    at->last = std::max(at->last, (at + 1)->last);
    gaps->erase(at + 1);
  }
  if (at != gaps->begin() && (at - 1)->kind == kind && (at - 1)->last + 1 >= first) {
    (at - 1)->last = std::max((at - 1)->last, at->last);
    gaps->erase(at);
  }
}

}  // namespace

void LogState::AddGap(uint64_t first, uint64_t last, SeqGap::Kind kind) {
  // Only the numbers no gap holds yet are added, so that the gaps stay disjoint (the state file
  // refuses overlapping ones): a salvage may lose a range around a reserved gap, whose numbers
  // stay reserved.
  std::vector<std::pair<uint64_t, uint64_t>> parts;
  uint64_t from = first;
  bool covered = false;
  for (const SeqGap& g : gaps) {
    if (g.last < from) continue;
    if (g.first > last) break;
    if (g.first > from) parts.emplace_back(from, g.first - 1);
    if (g.last >= last) {
      covered = true;
      break;
    }
    from = g.last + 1;
  }
  if (!covered) parts.emplace_back(from, last);
  for (const auto& [a, b] : parts) InsertDisjointGap(&gaps, a, b, kind);
}

void LogState::DropGapsBefore(uint64_t seq) {
  std::erase_if(gaps, [seq](const SeqGap& g) { return g.last < seq; });
}

namespace {
constexpr size_t kStateV1Size = 32;
constexpr size_t kStateFixed = 8 + 4 + 8 + 8 + 4;  // magic, version, next_seq, next_segment_id, gap_count
constexpr size_t kGapSize = 17;
}  // namespace

std::string EncodeLogState(const LogState& s) {
  std::string out(kStateFixed + s.gaps.size() * kGapSize + 16 + 4, '\0');
  std::memcpy(out.data(), kStateMagic.data(), 8);
  PutFixed32(out.data() + 8, kStateVersion);
  PutFixed64(out.data() + 12, s.next_seq);
  PutFixed64(out.data() + 20, s.next_segment_id);
  PutFixed32(out.data() + 28, static_cast<uint32_t>(s.gaps.size()));
  char* p = out.data() + kStateFixed;
  for (const SeqGap& g : s.gaps) {
    PutFixed64(p, g.first);
    PutFixed64(p + 8, g.last);
    p[16] = static_cast<char>(g.kind);
    p += kGapSize;
  }
  PutFixed64(p, s.created_segment);
  PutFixed64(p + 8, s.deleted_through);
  size_t body = out.size() - 4;
  PutFixed32(out.data() + body, crc32c::Mask(crc32c::Value(out.data(), body)));
  return out;
}

Status DecodeLogState(std::string_view in, LogState* s) {
  if (in.size() < kStateV1Size) return Corruption("state file is {} bytes, shorter than a state", in.size());
  if (in.substr(0, 8) != kStateMagic) return Corruption("bad magic in state file");
  uint32_t version = GetFixed32(in.data() + 8);
  if (version < 1 || version > kStateVersion) return Corruption("unsupported state file version {}", version);
  size_t body = in.size() - 4;
  if (crc32c::Value(in.data(), body) != crc32c::Unmask(GetFixed32(in.data() + body)))
    return Corruption("state file checksum mismatch");
  s->next_seq = GetFixed64(in.data() + 12);
  s->next_segment_id = GetFixed64(in.data() + 20);
  s->gaps.clear();
  s->created_segment = s->deleted_through = 0;
  if (version == 1) {
    if (in.size() != kStateV1Size) return Corruption("state file is {} bytes, expected {}", in.size(), kStateV1Size);
    return Status::OK();
  }
  uint32_t n = GetFixed32(in.data() + 28);
  const uint64_t tail = version >= 3 ? 16 : 0;
  if (in.size() != kStateFixed + uint64_t(n) * kGapSize + tail + 4)
    return Corruption("state file is {} bytes, but it lists {} gaps", in.size(), n);
  const char* p = in.data() + kStateFixed;
  uint64_t floor = 0;
  for (uint32_t i = 0; i < n; i++, p += kGapSize) {
    SeqGap g{GetFixed64(p), GetFixed64(p + 8), static_cast<SeqGap::Kind>(p[16])};
    if (g.first == 0 || g.last < g.first || g.first <= floor ||
        (g.kind != SeqGap::Kind::kReserved && g.kind != SeqGap::Kind::kLost))
      return Corruption("state file gap {} is not a valid range", i + 1);
    floor = g.last;
    s->gaps.push_back(g);
  }
  if (version >= 3) {
    s->created_segment = GetFixed64(p);
    s->deleted_through = GetFixed64(p + 8);
  }
  return Status::OK();
}

}  // namespace laminar::wal
