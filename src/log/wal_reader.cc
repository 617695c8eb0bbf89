#include "log/wal_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/crc32c.h"

namespace laminar::wal {
namespace {

constexpr uint64_t kChunk = 1 << 20;

}  // namespace

Result<std::unique_ptr<SegmentReader>> SegmentReader::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    if (e == ENOENT) return NotFound(ErrorCode::kUndefinedFile, "open {}: {}", path, std::strerror(e));
    return IOError("open {}: {}", path, std::strerror(e));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return IOError("stat {}: {}", path, std::strerror(e));
  }
  return std::unique_ptr<SegmentReader>(
      new SegmentReader(path, fd, static_cast<uint64_t>(st.st_size)));
}

SegmentReader::SegmentReader(std::string path, int fd, uint64_t size)
    : path_(std::move(path)),
      fd_(fd),
      file_size_(size),
      pos_(std::min<uint64_t>(kSegmentHeaderSize, size)),
      limit_(size) {}

SegmentReader::~SegmentReader() { ::close(fd_); }

void SegmentReader::SetRange(uint64_t offset, uint64_t limit) {
  limit_ = std::min(limit, file_size_);
  pos_ = std::min(offset, limit_);
}

Result<const char*> SegmentReader::Fetch(uint64_t offset, uint64_t n) {
  if (offset >= buf_offset_ && offset + n <= buf_offset_ + buf_len_) {
    return buf_.data() + (offset - buf_offset_);
  }
  uint64_t want = std::min(std::max(n, kChunk), limit_ - offset);
  if (buf_.size() < want) buf_.resize(want);
  buf_offset_ = offset;
  buf_len_ = 0;
  while (buf_len_ < want) {
    ssize_t r = ::pread(fd_, buf_.data() + buf_len_, want - buf_len_,
                        static_cast<off_t>(offset + buf_len_));
    if (r < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      buf_len_ = 0;
      return IOError("read {} at offset {}: {}", path_, offset, std::strerror(e));
    }
    if (r == 0) break;  // the file shrank under us
    buf_len_ += static_cast<uint64_t>(r);
  }
  if (buf_len_ < n) {
    return IOError("read {} at offset {}: file ended early", path_, offset + buf_len_);
  }
  return buf_.data();
}

Result<std::string_view> SegmentReader::ReadHeaderBytes() {
  uint64_t n = std::min<uint64_t>(kSegmentHeaderSize, file_size_);
  uint64_t saved_limit = limit_;
  limit_ = file_size_;
  auto p = Fetch(0, n);
  limit_ = saved_limit;
  if (!p.ok()) return p.status();
  return std::string_view(*p, n);
}

Result<SegmentReader::Outcome> SegmentReader::Next(ParsedRecord* rec, ReadProblem* problem) {
  if (pos_ >= limit_) return Outcome::kEnd;
  uint64_t left = limit_ - pos_;
  auto fail = [&](ReadProblem::Kind kind, std::string reason) {
    problem->kind = kind;
    problem->offset = pos_;
    problem->reason = std::move(reason);
    return Outcome::kProblem;
  };
  if (left < kRecordHeaderSize) {
    return fail(ReadProblem::Kind::kIncomplete,
                fmt::format("{} bytes left, fewer than a record header", left));
  }
  ASSIGN_OR_RETURN(const char* head, Fetch(pos_, kRecordHeaderSize));
  uint32_t stored_crc = GetFixed32(head);
  uint64_t length = GetFixed32(head + 4);
  auto type = static_cast<uint8_t>(head[8]);
  if (kRecordHeaderSize + length > left) {
    return fail(ReadProblem::Kind::kIncomplete,
                fmt::format("record length {} runs past the end of the data ({} bytes left)",
                            length, left - kRecordHeaderSize));
  }
  ASSIGN_OR_RETURN(const char* p, Fetch(pos_, kRecordHeaderSize + length));
  uint32_t actual = crc32c::Value(p + 4, 5 + length);
  if (actual != crc32c::Unmask(stored_crc)) {
    return fail(ReadProblem::Kind::kBadChecksum, "record checksum mismatch");
  }
  if (type != static_cast<uint8_t>(RecordType::kBatch)) {
    return fail(ReadProblem::Kind::kMalformed, fmt::format("unknown record type {}", type));
  }
  if (length < kBatchBodyPrefix) {
    return fail(ReadProblem::Kind::kMalformed,
                fmt::format("record length {} is shorter than a batch body", length));
  }
  const char* body = p + kRecordHeaderSize;
  rec->offset = pos_;
  rec->size = kRecordHeaderSize + length;
  rec->first_seq = GetFixed64(body);
  rec->count = GetFixed32(body + 8);
  rec->payload = std::string_view(body + kBatchBodyPrefix, length - kBatchBodyPrefix);
  pos_ += rec->size;
  return Outcome::kRecord;
}

Result<bool> SegmentReader::AllZeroFrom(uint64_t offset) {
  for (uint64_t off = offset; off < limit_;) {
    uint64_t n = std::min(kChunk, limit_ - off);
    ASSIGN_OR_RETURN(const char* p, Fetch(off, n));
    for (uint64_t i = 0; i < n; ++i) {
      if (p[i] != 0) return false;
    }
    off += n;
  }
  return true;
}

Result<std::optional<SegmentReader::Found>> SegmentReader::FindRecord(uint64_t offset, uint64_t min_seq) {
  constexpr uint64_t kHead = kRecordHeaderSize + kBatchBodyPrefix;
  for (uint64_t off = offset; off < limit_ && limit_ - off >= kHead; ++off) {
    ASSIGN_OR_RETURN(const char* h, Fetch(off, kHead));
    if (static_cast<uint8_t>(h[8]) != static_cast<uint8_t>(RecordType::kBatch)) continue;
    uint64_t length = GetFixed32(h + 4);
    if (length < kBatchBodyPrefix || kRecordHeaderSize + length > limit_ - off) continue;
    uint64_t first = GetFixed64(h + kRecordHeaderSize);
    uint32_t count = GetFixed32(h + kRecordHeaderSize + 8);
    if (count == 0 || first < min_seq || first - min_seq > (uint64_t{1} << 40)) continue;
    ASSIGN_OR_RETURN(const char* p, Fetch(off, kRecordHeaderSize + length));
    if (crc32c::Value(p + 4, 5 + length) != crc32c::Unmask(GetFixed32(p))) continue;
    return std::optional<Found>(Found{off, first});
  }
  return std::optional<Found>();
}

}  // namespace laminar::wal
