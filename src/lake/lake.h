// The lake: the immutable master dataset (DESIGN.md contract 3), kept in an ObjectStore (a local
// directory, `<data>/lake`, or S3, `lake.url = "s3://bucket/prefix"` → `prefix/lake`). Each sealed
// log segment of a stream becomes Parquet files, one per partition it holds — an event hour by
// default, an event day or month when the stream says so (StreamSchema::partition, CREATE TABLE
// ... WITH (partition = 'day'), so that a sparse stream does not write a small file per hour):
//   <stream>/event_date=YYYY-MM-DD/event_hour=HH/seg-<segment_id:020>.parquet   (hour)
//   <stream>/event_date=YYYY-MM-DD/seg-<segment_id:020>.parquet                 (day)
//   <stream>/event_month=YYYY-MM/seg-<segment_id:020>.parquet                   (month)
// (Hive style, so DuckDB, Spark, Trino and Athena read the lake as it is; stream columns can
// never be named event_date or event_hour, nor event_month when partitioned by month — the
// catalog refuses them). Rows attached as history (`laminar lake attach`) land the same way as
// `att-<segment_id:020>.parquet`.
//
// The manifest records which segments (sequence ranges) are in the lake and their files. Each
// commit writes a new manifest object `<stream>/_manifest/<version:020>.json` with a conditional
// put (PutIfAbsent: local link(2), S3 `If-None-Match: *`), after the files are durable; the
// newest version is the manifest. Nothing is renamed, so the commit is atomic on S3 too; see
// docs/formats/lake.md. A file is part of the lake only once a manifest names it: a crash between
// writing files and committing leaves files no manifest names, which the next commit of that
// segment rewrites with the same names and content. A committed file is never changed. The last
// kKeepManifests manifest versions are kept.
//
// A Lake assumes it is the only writer of its stream prefixes (one Laminar per lake): a
// conditional put that loses to another writer is reported (Unavailable), never overwritten.
//
// Thread safety: a Lake serialises commits with a mutex; Manifest values are copies.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"
#include "lake/parquet_writer.h"
#include "log/wal.h"
#include "objstore/object_store.h"

namespace laminar::lake {

struct LakeFile {
  std::string path;      // relative to the stream's prefix
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
  std::string attached_from;  // empty: a log segment; else the file attached (its name)
};

struct Manifest {
  uint64_t version = 0;                 // +1 per commit
  std::vector<SegmentEntry> segments;   // in segment id (and sequence) order
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

inline constexpr uint64_t kKeepManifests = 10;

// Rows to attach: calls `sink` with batches of the stream's schema (see Lake::Attach).
using RowSource = std::function<Status(const std::function<Status(ingest::RowBatch&&)>& sink)>;

class Lake {
 public:
  // `store` holds the lake; `staging_dir` is a local directory where files are written before
  // they are uploaded (for a local store, on the same file system, so uploading is a rename).
  Lake(std::shared_ptr<objstore::ObjectStore> store, std::string staging_dir, WriterOptions options);

  objstore::ObjectStore& store() const { return *store_; }
  std::string url() const { return store_->url(); }

  // The stream's manifest (empty when none was committed). Corruption when unreadable; IOError
  // when the store fails. Cached after the first load: this Lake is the only writer.
  Result<Manifest> LoadManifest(const std::string& stream) const;

  // Writes every sealed segment of `log` that the manifest does not hold yet, in segment order,
  // committing the manifest after each. Returns how many segments were committed.
  // Segments are committed in order only: a segment waits for every earlier one.
  Result<size_t> CommitSealedSegments(const ingest::StreamSchema& schema, const wal::Log& log);

  // Attaches rows as history (`laminar lake attach`): reads every batch of `rows` (at most
  // max_rows rows: ResourceExhausted above; each must have the stream's schema and a non-null
  // event time), reserves that many sequence numbers and a segment id in `log` (which seals the
  // active segment), commits the sealed segments before it, then writes the rows as
  // `att-<id>.parquet` files per event hour and commits a manifest entry for them. All or
  // nothing: on error before the manifest commit no row is in the lake (a reserved range is
  // simply never used). InvalidArgument for no rows.
  Result<SegmentEntry> Attach(const ingest::StreamSchema& schema, wal::Log* log,
                              const std::string& source_name, const RowSource& rows, uint64_t max_rows);

  // Retention (lake.retention): drops every whole partition (hour, day or month) ending at or before
  // `cutoff` (micros UTC). The manifest is committed first (files removed, retention_epoch + 1),
  // then the files are deleted; Parquet files no manifest names (left by a crash between the two
  // steps, or by an interrupted commit) are deleted on every call. Returns the number of files
  // dropped.
  Result<size_t> DropPartitionsBefore(const ingest::StreamSchema& schema, int64_t cutoff);

  // Removes everything of the stream (DROP TABLE): manifests first, then files.
  Status DropStream(const std::string& stream);

  // The stream's definition, its CREATE TABLE text, kept beside its data as `<stream>/_stream.sql`
  // so that the catalog can be rebuilt from the lake (laminar recover-catalog). Written when the
  // stream is opened (unless the text is there already); nullopt when absent.
  Status WriteDefinition(const std::string& stream, const std::string& sql);
  Result<std::optional<std::string>> ReadDefinition(const std::string& stream) const;
  // The names of the streams with any object in the lake (the first component of every key).
  Result<std::vector<std::string>> Streams() const;
  // True when the lake holds any object of `stream`.
  Result<bool> HasData(const std::string& stream) const;

  // The store key of a manifest file entry, its local path ("" in S3) and its content.
  std::string FileKey(const std::string& stream, const LakeFile& f) const;
  std::string LocalPath(const std::string& stream, const LakeFile& f) const;
  Result<std::string> ReadFile(const std::string& stream, const LakeFile& f) const;

 private:
  // Commits `next` (version = current + 1) and caches it; on failure drops the cached manifest.
  Status CommitManifest(const std::string& stream, Manifest next);
  Status PutManifest(const std::string& stream, const Manifest& next);
  Status DeleteUnlisted(const std::string& stream, const Manifest& m);
  Status CommitSegment(const ingest::StreamSchema& schema, const wal::Log& log,
                       const wal::SegmentInfo& seg, Manifest* manifest);
  Result<size_t> CommitSealedLocked(const ingest::StreamSchema& schema, const wal::Log& log);
  // Writes rows grouped by partition (SplitByPartition) as `<prefix>-<id>.parquet` files and
  // returns them.
  Result<std::vector<LakeFile>> WritePartitions(const ingest::StreamSchema& schema,
                                                std::map<int64_t, ingest::RowBatch>& parts,
                                                const std::string& file_prefix, const SegmentEntry& entry);
  Result<Manifest> LoadFromStore(const std::string& stream) const;

  std::shared_ptr<objstore::ObjectStore> store_;
  std::string staging_dir_;
  WriterOptions options_;
  std::mutex mu_;                  // serialises commits, attach, retention and drops
  mutable std::mutex cache_mu_;    // guards cache_ (never held across I/O)
  mutable std::map<std::string, Manifest> cache_;
};

// Adds the rows of `batch` to `parts`, keyed by the start of their partition (schema.partition:
// hour, day or month) of the event time (column `event_time_index`), in batch order.
void SplitByPartition(const ingest::StreamSchema& schema, const ingest::RowBatch& batch,
                      std::map<int64_t, ingest::RowBatch>* parts);
// The partition's path (without the stream) for the partition starting at `start`, and the start
// of the next one.
std::string PartitionPath(TimeUnit unit, int64_t start);
int64_t PartitionEnd(TimeUnit unit, int64_t start);

}  // namespace laminar::lake
