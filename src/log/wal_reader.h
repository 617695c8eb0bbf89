// SegmentReader: reads the records of one segment file in order and says precisely where and
// why it stops. Used by recovery (which decides whether a bad spot is a torn tail to cut or
// corruption to report) and by Log::Replay (for which any bad spot is corruption).
//
// Thread safety: one thread at a time. Ownership: owns its file descriptor and a read buffer
// (grown to the largest record seen; records are read in chunks of 1 MiB or more).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "log/wal_format.h"

namespace laminar::wal {

struct ParsedRecord {
  uint64_t offset = 0;  // of the record header in the file
  uint64_t size = 0;    // header + body bytes
  uint64_t first_seq = 0;
  uint32_t count = 0;
  std::string_view payload;  // valid until the next call on the reader
};

// Why reading stopped before the end.
struct ReadProblem {
  enum class Kind {
    kIncomplete,   // fewer bytes left than a record header, or the length runs past the end
    kBadChecksum,  // a whole record whose checksum does not match (or an impossible length)
    kMalformed,    // a valid checksum but not a record this build reads (unknown type, short body)
  };
  Kind kind = Kind::kIncomplete;
  uint64_t offset = 0;  // where the bad record starts
  std::string reason;   // human-readable
};

class SegmentReader {
 public:
  // Opens path and remembers its size. NotFound when it does not exist.
  static Result<std::unique_ptr<SegmentReader>> Open(const std::string& path);
  ~SegmentReader();
  SegmentReader(const SegmentReader&) = delete;
  SegmentReader& operator=(const SegmentReader&) = delete;

  const std::string& path() const { return path_; }
  uint64_t file_size() const { return file_size_; }

  // The first min(file_size, kSegmentHeaderSize) bytes.
  Result<std::string_view> ReadHeaderBytes();

  // Positions the reader at `offset` and stops it at `limit` (≤ file size): records are read
  // from [offset, limit). Defaults after Open: [kSegmentHeaderSize, file_size).
  void SetRange(uint64_t offset, uint64_t limit);

  enum class Outcome { kRecord, kEnd, kProblem };
  // Reads the next record into *rec; kEnd at the limit; kProblem (and *problem filled) at a bad
  // record, after which the reader stays at that record. IOError when a read fails.
  Result<Outcome> Next(ParsedRecord* rec, ReadProblem* problem);

  // True when every byte in [offset, limit) is zero (a zero-filled tail).
  Result<bool> AllZeroFrom(uint64_t offset);

  // The first whole record at or after `offset` (below the limit), at any byte position, with a
  // valid checksum, the batch type and sequence numbers from `min_seq` on (within 2^40 of it):
  // its offset and first sequence number; nullopt when there is none. Recovery asks it whether
  // valid records follow damage. The header fields are checked before the checksum, so random
  // bytes cost about one header read per position.
  struct Found {
    uint64_t offset = 0;
    uint64_t first_seq = 0;
  };
  Result<std::optional<Found>> FindRecord(uint64_t offset, uint64_t min_seq);

 private:
  SegmentReader(std::string path, int fd, uint64_t size);
  // Makes [offset, offset + n) available in buf_ and returns a pointer to it.
  // REQUIRES: offset + n <= limit_.
  Result<const char*> Fetch(uint64_t offset, uint64_t n);

  std::string path_;
  int fd_;
  uint64_t file_size_;
  uint64_t pos_;
  uint64_t limit_;
  std::string buf_;
  uint64_t buf_offset_ = 0;  // file offset of buf_[0]
  uint64_t buf_len_ = 0;     // valid bytes in buf_
};

}  // namespace laminar::wal
