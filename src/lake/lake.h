// The lake: the immutable master dataset (DESIGN.md contract 3). Each sealed log segment of a
// stream becomes Parquet files, one per event hour it holds, under
//   <lake>/<stream>/event_date=YYYY-MM-DD/event_hour=HH/seg-<segment_id:020>.parquet
// (Hive style, so DuckDB, Spark, Trino and Athena read the lake as it is; stream columns can
// never be named event_date or event_hour — the catalog refuses them).
//
// The manifest `<lake>/<stream>/_manifest.json` records which segments (sequence ranges) are in
// the lake and their files; it is committed atomically (write, fsync, rename, directory fsync)
// after the files are durable. A file is part of the lake only once the manifest names it: a
// crash between writing files and committing leaves files no manifest names, which the next
// commit of that segment rewrites with the same names and the same content. A committed file is
// never changed.
//
// Thread safety: a Lake serialises commits per stream with a mutex; Manifest values are copies.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/schema.h"
#include "lake/parquet_writer.h"
#include "log/wal.h"

namespace laminar::lake {

struct LakeFile {
  std::string path;      // relative to the stream's lake directory
  uint64_t rows = 0;
  uint64_t bytes = 0;
  int64_t min_event_time = 0;  // micros UTC
  int64_t max_event_time = 0;
};

struct SegmentEntry {
  uint64_t segment_id = 0;
  uint64_t first_seq = 0;
  uint64_t last_seq = 0;
  std::vector<LakeFile> files;
};

struct Manifest {
  uint64_t version = 0;                 // +1 per commit
  std::vector<SegmentEntry> segments;   // in segment order
  // +1 each time retention drops partitions: a batch view built on an older epoch holds events
  // the lake no longer has and must be recomputed in full.
  uint64_t retention_epoch = 0;
  int64_t dropped_before = 0;           // micros: partitions older than this were dropped (0: none)
  // Highest sequence number in the lake (0 when none). Empty segments have last_seq 0.
  uint64_t last_seq() const;
  bool Contains(uint64_t segment_id) const;

  std::string ToJson() const;
  static Result<Manifest> FromJson(const std::string& text, const std::string& path_for_errors);
};

class Lake {
 public:
  Lake(std::string dir, WriterOptions options) : dir_(std::move(dir)), options_(options) {}
  const std::string& dir() const { return dir_; }

  // The stream's manifest (empty when none was committed). Corruption when unreadable.
  Result<Manifest> LoadManifest(const std::string& stream) const;

  // Writes every sealed segment of `log` that the manifest does not hold yet, in segment order,
  // committing the manifest after each. Returns how many segments were committed.
  // Segments are committed in order only: a segment waits for every earlier one.
  Result<size_t> CommitSealedSegments(const ingest::StreamSchema& schema, const wal::Log& log);

  // Retention (lake.retention): drops every whole partition (event hour) ending at or before
  // `cutoff` (micros UTC). The manifest is committed first (files removed, retention_epoch + 1),
  // then the files are deleted; files of committed segments that the manifest no longer names
  // (left by a crash between the two steps) are deleted on every call. Returns the number of
  // files dropped.
  Result<size_t> DropPartitionsBefore(const std::string& stream, int64_t cutoff);

  // Absolute path of a manifest file entry.
  std::string FilePath(const std::string& stream, const LakeFile& f) const;

 private:
  Status DeleteUnlisted(const std::string& stream, const Manifest& m);
  Status CommitSegment(const ingest::StreamSchema& schema, const wal::Log& log,
                       const wal::SegmentInfo& seg, Manifest* manifest);
  std::string dir_;
  WriterOptions options_;
  std::mutex mu_;
};

}  // namespace laminar::lake
