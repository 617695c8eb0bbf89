// The write-ahead log of one stream: where an event becomes durable and gets its sequence
// number (DESIGN.md contracts 1 and 2). Format: docs/formats/wal.md.
//
// A Log is a directory of segment files `<segment_id:020>.wal`. The highest-numbered segment is
// the active one; every other segment is sealed (immutable). A segment is sealed when it passes
// Options::segment_max_bytes or has been open for Options::segment_max_age, or on SealActive().
// Each Append() writes one record holding an opaque payload (an encoded RowBatch) and the
// range of sequence numbers [first_seq, first_seq + count) given to its events. Sequence numbers
// start at 1, are strictly increasing per stream and are never reused, also across restarts and
// after segments are deleted.
//
// Thread safety: every method is thread-safe. Append() from many threads is group-committed:
// one thread writes the pending records of all waiting threads, fsyncs once and wakes them.
//
// Durability: when Append() returns OK, the record is on disk (fdatasync) unless
// Options::sync is false (`durability = "none"`), in which case it is in the OS page cache:
// a machine crash may then lose the unsealed tail, and the sequence numbers of lost records are
// handed out again (sealed segments are always fsynced).
// Recovery (in Open) keeps every whole record with a valid checksum and truncates a torn tail of
// the last segment — damage with no valid record after it — logging file and offset. Damage
// followed by valid records, and sequence numbers missing between records or segments (a deleted
// segment), are Corruption naming file, offset and sequence numbers, never cut silently; with
// Options::salvage the valid records are kept and the loss is reported (RecoveryReport) and
// remembered. Rules in log/wal_recovery.h. After Open every existing segment is sealed; the
// first Append creates a new one, so nothing is ever appended after a cut tail.
//
// Besides the segments the directory holds `LOCK` (flock'ed while a Log is open, enforcing one
// Log per directory) and, once retention has deleted a segment or Reserve or a salvage has made a
// gap, `wal.state` (the next sequence number and segment id, so neither is reused when no
// segment is left, and the known gaps in the sequence numbers). Other files are left
// alone and reported.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace laminar::wal {

struct Options {
  uint64_t segment_max_bytes = 64ull << 20;
  std::chrono::milliseconds segment_max_age{std::chrono::minutes(10)};
  bool sync = true;                       // false: durability = "none"
  uint64_t max_record_bytes = 256ull << 20;
  // Recovery keeps every valid record when damage is followed by valid records (or a segment is
  // missing) instead of refusing to open: the damaged bytes are dropped, the sequence numbers
  // they held are recorded as lost (RecoveryReport, wal.state) and the log opens. Off: such
  // damage is Corruption naming the file, the offset and the sequence numbers at stake.
  bool salvage = false;
};

struct SegmentInfo {
  uint64_t id = 0;          // generation number; increases with each new segment
  uint64_t first_seq = 0;   // first sequence number in it (0 when empty)
  uint64_t last_seq = 0;    // last sequence number in it (0 when empty)
  uint64_t bytes = 0;
  bool sealed = false;
  std::string path;
};

struct AppendResult {
  uint64_t first_seq = 0;
  uint64_t last_seq = 0;    // first_seq + count - 1
  uint64_t segment_id = 0;  // the segment (speed-layer generation) the record went to
};

struct RecoveryReport {
  uint64_t records = 0;
  uint64_t truncated_bytes = 0;       // bytes cut from a torn tail
  uint64_t lost_events = 0;           // salvage: events whose records were dropped or missing
  std::vector<std::string> messages;  // human-readable, one per finding (file and offset)
};

// One record as seen by Replay.
struct Record {
  uint64_t segment_id;
  uint64_t first_seq;
  uint32_t count;
  std::string_view payload;  // valid only during the callback
};

class Log {
 public:
  // Opens or creates the log in `dir`, running recovery. REQUIRES: one Log per directory
  // (Unavailable when another Log holds it). `report` may be null. Errors: Corruption naming the
  // file and offset of damage recovery must not cut; IOError.
  static Result<std::unique_ptr<Log>> Open(const std::string& dir, const Options& options,
                                           RecoveryReport* report);
  ~Log();  // does not fsync; call Close() for an orderly stop

  // Appends one record of `count` events (count ≥ 1). Blocks until durable (see class comment).
  // Errors: InvalidArgument for count 0 or an oversized payload; IOError (kDiskFull when out of
  // space) when a write fails — nothing of the group is acknowledged, the file is cut back to
  // its last whole record and later appends are tried again (after space returns, they succeed);
  // IOError when an fsync fails — then the log refuses every further append (sticky error,
  // health()) until reopened, because a failed fsync may have lost written data.
  Result<AppendResult> Append(std::string_view payload, uint32_t count);

  // Calls fn for every record with last seq ≥ from_seq, in sequence order. Reads the files; safe
  // concurrently with Append (it sees at least every record appended before it was called).
  // It reads each segment up to the end known when it started, so records appended meanwhile
  // may or may not be seen. DeleteSealedThrough waits for running replays: fn must not call it.
  // Errors: the first non-OK status of fn; Corruption naming file and offset; IOError.
  Status Replay(uint64_t from_seq, const std::function<Status(const Record&)>& fn) const;

  // Seals the active segment if it holds any record, so that the next Append starts a new one.
  // Returns the id of the segment sealed (0 when nothing was sealed). Sealing fsyncs the file
  // (whatever Options::sync says) and closes it. Unavailable after Close; the sticky error after
  // a failed write.
  Result<uint64_t> SealActive();
  // Reserves `count` sequence numbers and one segment id for events that never pass through the
  // log (rows attached to the lake as history: `laminar lake attach`). Seals the active segment
  // (even an empty one), then gives the range [first_seq, last_seq] and segment_id to the caller
  // and persists the new floors in `wal.state` before returning, so neither is ever handed out
  // again, also after a crash. No segment file is created for the reservation. The next Append
  // starts a new segment after it. Errors: InvalidArgument for count 0; IOError (the
  // reservation did not happen); Unavailable after Close.
  // Note: it waits for running Replays (it shares DeleteSealedThrough's lock); not from a
  // Replay callback.
  Result<AppendResult> Reserve(uint64_t count);

  // Seals the active segment if it is older than segment_max_age (counted from the segment's
  // creation, i.e. its first Append); called by a timer.
  Status SealIfAged();

  // Deletes sealed segments whose last_seq ≤ seq (retention): the oldest segments, in id order,
  // stopping at the first that is unsealed or ends after seq (an empty segment ends just before
  // the sequence number it was created at). Persists the next sequence number and segment id in
  // `wal.state` first, then unlinks and fsyncs the directory.
  Status DeleteSealedThrough(uint64_t seq);

  std::vector<SegmentInfo> Segments() const;
  uint64_t last_seq() const;  // highest sequence number given, 0 when none
  // OK, or why the log acknowledges no more appends (a failed fsync or seal, a failed cut after
  // a failed write) until it is reopened.
  Status health() const;
  // The lowest sequence number the log holds or will hold: the first segment's base, or the next
  // sequence number when no segment is left. Events below it are only in the lake.
  uint64_t oldest_seq() const;
  // True when every sequence number in [first, last] is a known gap (reserved by Reserve, or lost
  // and accepted by a salvage); true for an empty range.
  bool KnownAbsent(uint64_t first, uint64_t last) const;
  // Records [first, last] as lost (a salvage by the caller: events that neither the log nor the
  // lake holds) and raises the next sequence number past it, durably (wal.state). Call before
  // the first Append after Open. Errors: InvalidArgument, Internal (after an Append), IOError.
  Status AcceptLost(uint64_t first, uint64_t last);

  // Flushes and closes the active file (fsync, also with sync off; the segment is sealed at the
  // next Open). Further Appends and SealActive fail with Unavailable; Replay, Segments and
  // DeleteSealedThrough keep working. Idempotent.
  Status Close();

 private:
  Log() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace laminar::wal
