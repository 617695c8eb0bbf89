// Recovery of a log directory, run by Log::Open before anything is appended.
//
// Scans every segment in id order and checks each record's checksum and sequence numbers:
//  - A bad record (checksum, or a length running past the end) followed somewhere in the same
//    segment by a valid record (any byte position; SegmentReader::FindRecord) is corruption,
//    wherever it is: Corruption naming the file, the offset and the sequence numbers at stake.
//    Under Options::salvage the damaged bytes are dropped instead (the file is rewritten
//    atomically without them), the sequence numbers they held are recorded as lost, and the scan
//    goes on at the valid record.
//  - With no valid record after it, in the last segment the bad record and everything after it is
//    a torn tail (a crash during a group write): the file is truncated there (ftruncate + fsync),
//    and the cut is reported (file, offset, bytes) in RecoveryReport::messages and as an spdlog
//    warning. In an earlier (sealed) segment only an incomplete tail — a record cut off by the
//    end of the file, or a zero-filled remainder — is cut the same way; any other damage is
//    Corruption.
//  - Sequence numbers must follow on, within a segment and from one segment to the next, except
//    across the state file's known gaps (ranges reserved by Log::Reserve, or lost in an earlier
//    salvage). A range missing otherwise — a deleted segment — is Corruption naming the range,
//    or, under salvage, recorded as lost. Records that go back (overlap) are always Corruption,
//    as is a record with a valid checksum but an unknown type.
//  - The last segment with a header cut short (a crash while creating it) holds no records and
//    is removed; any other bad segment header is Corruption.
//  - Files whose names are not segment names are left alone and reported.
// Losses recorded by a salvage are written to the state file (wal.state) before RecoverLog
// returns, so the next recovery accepts them without the flag.
//
// Thread safety: REQUIRES exclusive access to the directory (Log holds its LOCK file).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "log/wal.h"
#include "log/wal_format.h"

namespace laminar::wal {

struct RecoveredSegment {
  uint64_t id = 0;
  uint64_t base_seq = 0;
  uint64_t first_seq = 0;  // 0 when the segment holds no record
  uint64_t last_seq = 0;   // 0 when the segment holds no record
  uint64_t bytes = 0;      // file size after any truncation
  std::string path;
};

struct RecoveredLog {
  std::vector<RecoveredSegment> segments;  // in id order
  // The next sequence number and segment id to hand out.
  LogState next;
};

// Recovers `dir` as described above. `report` may be null. Errors: Corruption naming the file
// and offset; IOError when reading, truncating or syncing fails.
Result<RecoveredLog> RecoverLog(const std::string& dir, const Options& options, RecoveryReport* report);

// Names in the log directory that belong to the log but are not segments.
inline constexpr std::string_view kLockFileName = "LOCK";

}  // namespace laminar::wal
