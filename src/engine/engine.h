// Engine: the wiring of Laminar's stages on one machine — catalog, per-stream write-ahead logs,
// ingest, the lake, the batch layer, the speed layer and serving. The HTTP and CLI front ends
// call only this class.
//
// Data directory (DESIGN.md): catalog, log/<stream>/, deadletter/<stream>/, lake/<stream>/,
// views/<view>/.
//
// Lake: a background thread seals aged log segments and commits every sealed segment to the
// Parquet lake (lake/lake.h), in segment order.
//
// Batch layer: a second background thread runs RunBatch every batch_interval; RunBatch is also
// called on demand (POST /v1/batch/run, `laminar batch run`). A run on demand first seals the
// open log segments and commits them, so its versions cover every event acked before the call.
// Each view's new version (previous ⊕ new lake files, or a full recompute) is written to
// views/<view>/ and then published to the view's live state together with its horizon H, which
// drops the speed generations ≤ H (speed/speed_view.h): a query reads one batch version and the
// generations above its H as one snapshot. One run at a time (batch_mu_); DDL waits for a run.
//
// Retention (contract 6): after a run, each stream's log segments that are in the lake and at or
// below every view's horizon are deleted; with lake_retention set, lake partitions older than it
// are dropped first (lake/lake.h) and the views, built on the old lake, are recomputed in full.
//
// Ingest path (contract 1): parse → dead-letter the bad records → Log::Append (group commit,
// fsync) → apply the batch to every view of the stream in the speed layer → return (the ack).
// So an acked event is durable and visible; an event a crash could take back is never visible.
// A per-stream reader/writer lock orders ingest (shared) against view creation (exclusive: the
// new view replays the log with no append in flight, so it counts every event exactly once).
//
// Views (install, restart, redefinition): the view's newest version on disk for its definition is
// loaded — or, when there is none (a new or redefined view), built in full from the lake and
// published — and the speed state is rebuilt by replaying the log above its horizon. A redefined
// view keeps answering from its old definition until the new one is installed; query stats say
// which definition answered.
//
// Thread safety: all public methods are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "batch/builder.h"
#include "batch/version_store.h"
#include "catalog/catalog.h"
#include "common/status.h"
#include "ingest/deadletter.h"
#include "ingest/event_parser.h"
#include "lake/lake.h"
#include "log/wal.h"
#include "objstore/object_store.h"
#include "serving/result.h"
#include "sql/ast.h"
#include "serving/relation_provider.h"
#include "speed/speed_view.h"
#include "engine/dimension_store.h"
#include "engine/idempotency.h"
#include "sources/positions.h"
#include "sources/source.h"

namespace laminar::engine {

struct ServerFileRules;  // engine/server_files.h

struct EngineOptions {
  std::string data_dir = "laminar-data";
  wal::Options log;
  ingest::Limits ingest;
  serving::QueryLimits query;
  lake::WriterOptions lake;
  int seal_check_interval_ms = 1000;
  int64_t batch_interval_ms = 60'000;  // 0: no periodic batch runs
  size_t retain_versions = 3;          // batch view versions kept on disk per view
  int64_t lake_retention_micros = 0;   // 0: keep the lake forever
  // Where the lake and the batch views live: empty for `<data_dir>/lake` and `<data_dir>/views`;
  // "file:///dir" for `dir/lake` and `dir/views`; "s3://bucket/prefix" for `prefix/lake/` and
  // `prefix/views/` in S3, with the endpoint, region and credentials of `s3` (empty fields taken
  // from the AWS_* environment variables). The log always stays in the data directory.
  std::string lake_url;
  // [encryption]: 32 raw bytes; the lake's and the views' objects are written encrypted
  // (objstore/encrypted_store.h). Empty: not encrypted.
  std::string encryption_key;
  objstore::S3Options s3;
  uint64_t attach_max_rows = 50'000'000;  // rows one `lake attach` may bring
  uint64_t dimension_max_rows = 10'000'000;  // rows one dimension table may hold (COPY)
  // The directories whose files a client may name (COPY ... FROM '/path', lake attach):
  // engine/server_files.h. Empty: `<data_dir>/import` (created at open). Absolute paths.
  std::vector<std::string> import_dirs;
  uint64_t import_max_file_bytes = 4ull << 30;  // the largest such file read
  // Idempotency-Key on HTTP ingest (engine/idempotency.h): how long a key is remembered, and how
  // many keys a stream remembers at most (the oldest go first).
  int64_t idempotency_window_micros = 86'400'000'000;  // 24 hours
  size_t idempotency_max_keys = 100'000;
  // Offline inspection (`laminar verify --data-dir`): no background threads, nothing written
  // (versions that are missing are built in memory only). Log recovery still runs.
  bool read_only = false;
};

struct BatchRunOptions {
  bool full = false;
  std::string view;   // empty: every view
  std::string stream; // non-empty: only this stream's views (and no lake retention)
  bool seal = true;   // seal and commit open log segments first (runs on demand)
};

struct BatchViewResult {
  std::string view;
  bool published = false;            // false: nothing new since the current version
  batch::VersionInfo info;           // the current version after the run
  size_t speed_generations_dropped = 0;
};

struct BatchRunResult {
  std::vector<BatchViewResult> views;
  size_t log_segments_deleted = 0;
  size_t lake_files_dropped = 0;
  int64_t elapsed_micros = 0;
};

// One difference between what serving answers and the from-scratch computation.
struct VerifyDiff {
  std::string key;        // the view row's dimensions, as text
  std::string served;     // the served row ("(missing)" when absent)
  std::string reference;  // the from-scratch row ("(missing)" when absent)
};

struct VerifyReport {
  std::string view;
  size_t served_rows = 0, reference_rows = 0;
  uint64_t batch_version = 0, horizon = 0, log_last_seq = 0, lake_last_seq = 0;
  uint64_t events = 0;            // events the reference aggregated (lake + log tail)
  std::vector<VerifyDiff> diffs;  // empty: identical, bit for bit
};

struct AttachResult {
  std::string stream;
  lake::SegmentEntry entry;   // the lake segment the rows became (sequence range, files)
  BatchRunResult batch;       // the batch run that followed, so the views include the rows
};

struct IngestResult {
  size_t accepted = 0;
  size_t rejected = 0;
  std::vector<ingest::RecordError> errors;
  uint64_t first_seq = 0;  // 0 when nothing was accepted
  uint64_t last_seq = 0;
  bool replayed = false;   // the first answer of an Idempotency-Key, given again; nothing appended
};

// Rows an INSERT or a COPY ... FROM made for one table: checked and converted to its columns,
// not yet stored (engine/insert.cc, engine/copy_in.cc). Engine::StoreRows stores them; the
// PostgreSQL protocol keeps them until COMMIT inside a transaction block.
struct TableRows {
  catalog::StreamPtr schema;   // the table as the statement found it
  bool stream = true;          // else a dimension table
  bool replace = false;        // COPY into a dimension table: the rows replace the table's
  ingest::RowBatch rows;
  std::string tag;             // "INSERT 0 3", "COPY 3"
};

// The outcome of one SQL statement (DDL or query).
struct StatementResult {
  std::string tag;                     // "CREATE TABLE", "SELECT 3", ...
  bool is_query = false;
  serving::QueryResult query;          // when is_query
};

struct Metrics {
  std::atomic<uint64_t> events_accepted{0}, events_rejected{0}, ingest_requests{0};
  std::atomic<uint64_t> queries{0}, query_errors{0}, ddl_statements{0};
  std::atomic<uint64_t> ingest_micros_total{0}, query_micros_total{0};
};

// What `laminar recover-catalog` rebuilt, and what it could not (with the reason).
struct CatalogRecovery {
  std::vector<std::string> recovered;    // "stream pageviews", "materialized view pv_hourly (definition version 2)"
  std::vector<std::string> unrecovered;
};

// Rebuilds a missing catalog file (`<data_dir>/catalog`) from the data directory, without
// changing anything else: streams from the definitions their lakes keep (`<stream>/_stream.sql`,
// written at every start), dimension tables from their files' footers, materialized views from
// the definitions their newest batch versions were built for (with that definition version, so
// the versions are used). AlreadyExists when the catalog file exists. Offline: no server may run
// on the directory.
Result<CatalogRecovery> RecoverCatalog(const EngineOptions& options);

class Engine {
 public:
  // Opens the data directory, recovers every log and rebuilds the speed layer.
  // Errors: IOError/Corruption naming the file (e.g. a damaged middle of a log segment).
  static Result<std::unique_ptr<Engine>> Open(const EngineOptions& options);
  ~Engine();

  // Runs DDL and/or SELECT statements in order; stops at the first error (earlier statements
  // stay applied). The catalog file given at start goes through here too.
  // `cancel`, when given, is polled by queries: set → the query ends with Cancelled.
  Result<std::vector<StatementResult>> ExecuteSql(std::string_view sql,
                                                  const std::atomic<bool>* cancel = nullptr);
  // Runs one statement already parsed (sql::Parse): a SELECT or EXPLAIN, INSERT, COPY, or DDL.
  // A statement of any other kind is Unimplemented, naming it.
  Result<StatementResult> Execute(const sql::Statement& stmt, const std::atomic<bool>* cancel = nullptr);
  // Applies a catalog file given at start (--catalog): like ExecuteSql, except that a CREATE
  // of an object that exists with the same definition text is skipped, so the same file can be
  // given at every start. A CREATE TABLE whose stream exists with a different definition is an
  // error; a CREATE MATERIALIZED VIEW whose view differs replaces it (a new definition version).
  Status ApplyCatalogFile(std::string_view sql);

  // Runs exactly one SELECT (or EXPLAIN) on the query engine (serving/engine_query.h): streams
  // as lake + log tail, dimension tables, views (one pinned snapshot each, measures re-merged by
  // their own merge: serving/view_source.h), VALUES.
  // With a sink, the rows are streamed to it and max_result_rows does not apply.
  Result<serving::QueryResult> Query(std::string_view sql, const std::atomic<bool>* cancel = nullptr,
                                     const serving::RowSink* sink = nullptr);
  // The same for one statement already parsed (a SelectStmt or an ExplainStmt).
  Result<serving::QueryResult> Query(const sql::Statement& stmt, const std::atomic<bool>* cancel = nullptr,
                                     const serving::RowSink* sink = nullptr);
  // The same for a SELECT given as a syntax tree (a statement's own query: COPY (SELECT ...) TO,
  // COPY t TO), so that no SQL text is built to be parsed again.
  Result<serving::QueryResult> Query(const sql::ast::SelectStmt& select, const std::atomic<bool>* cancel = nullptr,
                                     const serving::RowSink* sink = nullptr);
  // The columns `stmt` (one SELECT or EXPLAIN, parsed) would answer with, without reading its
  // rows: the statement is planned, and the run ends before the first row is read. Errors as
  // Query's.
  Result<std::vector<serving::ResultColumn>> DescribeQuery(const sql::Statement& stmt,
                                                           const std::atomic<bool>* cancel = nullptr);

  // Ingests a request body into a stream (see class comment). NotFound for an unknown stream.
  // With an idempotency key (1-255 printable ASCII characters; engine/idempotency.h): a request
  // whose key answered the same body within the window gets that answer again (`replayed`) and
  // appends nothing; one whose key answered another body is AlreadyExists. `origin`, when given,
  // is where the body came from ("firehose request <id>"), written with each of its rejected
  // records in the dead-letter store.
  Result<IngestResult> Ingest(const std::string& stream, std::string_view content_type,
                              std::string_view content_encoding, std::string_view body,
                              const std::string& idempotency_key = {}, const std::string& origin = {});

  // A request body decompressed by its Content-Encoding ("", identity, gzip, zstd) within
  // [ingest] max_body_bytes (ingest/event_parser.h Decompress), for bodies that wrap events
  // (a Firehose delivery: server/firehose.h).
  Result<std::string> DecompressBody(std::string_view content_encoding, std::string_view body) const;

  // Runs the batch layer now (see class comment) and returns when the versions are published.
  // NotFound for an unknown view.
  Result<BatchRunResult> RunBatch(const BatchRunOptions& options);

  // Recomputes each view (or the one named) from scratch over the lake plus the log tail and
  // compares it row by row with what serving answers (SELECT * over the view), at one instant:
  // ingest and batch runs pause while the served snapshot is taken.
  Result<std::vector<VerifyReport>> Verify(const std::string& view);

  // COPY table FROM STDIN over the PostgreSQL protocol: the number of columns the statement takes
  // (for CopyInResponse), checked before the client sends anything; then the rows from the bytes
  // the client sent (PostgreSQL's text format unless WITH (FORMAT csv | parquet)), stored as
  // StoreRows does. Errors as COPY FROM a file.
  Result<size_t> CopyFromClientColumns(const sql::Statement& stmt);
  // `data`: the bytes in the pieces the client sent them in (read in order, not joined).
  Result<StatementResult> CopyFromClient(const sql::Statement& stmt, const std::vector<std::string>& data);

  // ---- Rows from SQL (engine/insert.cc, engine/copy_in.cc) ----
  // INSERT INTO table [(col, ...)] VALUES ... | SELECT ... | DEFAULT VALUES into a stream or a
  // dimension table ($n from sql::ScopedParams): the source query runs on the query engine, and
  // each value is cast to its column's type as CAST would (a text literal reads as the column's
  // type). The rows, not stored; errors name the row and the column, and nothing is stored.
  Result<TableRows> PrepareInsert(const sql::Statement& stmt, const std::atomic<bool>* cancel = nullptr);
  // COPY ... FROM STDIN: the rows of the bytes the client sent, not stored.
  Result<TableRows> PrepareCopyFromClient(const sql::Statement& stmt, const std::vector<std::string>& data) {
    return CopyInto(stmt, &data, nullptr);
  }
  // Stores rows a statement made. Into a stream: appended as events — one log record (all or
  // nothing across a crash) unless they pass the log's record limit (then several, each whole),
  // durable and in every view before it returns. Into a dimension table: appended to its rows,
  // or replacing them (`replace`), on disk first. Unavailable when the table was dropped or
  // redefined since the rows were made; the log's and the dimension store's errors.
  Status StoreRows(const TableRows& rows);

  // Attaches the rows of a Parquet file (a path on the server) to the stream's lake as history
  // (lake/lake.h Lake::Attach), then runs the batch layer so every view includes them. Columns
  // are matched by name (exactly, else ignoring case); every file column must be a stream
  // column, stream columns missing from the file read as NULL; a file column's type must be the
  // stream column's (as the reader maps it: int32 → bigint, timestamp → timestamptz, ...) or
  // bigint into double precision. Errors: NotFound (stream, file), InvalidArgument naming the
  // column or row, Unimplemented (Parquet features the reader refuses), ResourceExhausted
  // (attach_max_rows), Unavailable (read-only engine).
  Result<AttachResult> AttachFile(const std::string& stream, const std::string& path);

  // JSON for GET /v1/lake[/{stream}]: the lake's URL and, per stream, its manifest's files.
  // NotFound for an unknown stream.
  Result<std::string> DescribeLakeJson(const std::string& stream) const;

  // What keeps the engine from working fully (GET /healthz: degraded): each stream whose log
  // acknowledges no more appends, with the reason. Empty when healthy.
  std::vector<std::string> Health() const;

  // JSON descriptions for GET /v1/streams and GET /v1/views.
  std::string DescribeStreamsJson() const;
  std::string DescribeViewsJson() const;
  // Every subscription's state: running ones from their source, disabled ones (and those of a
  // read-only engine) from the catalog (state "disabled"). Sorted by name.
  std::vector<sources::SourceStatus> SourceStatuses() const;
  // JSON for GET /v1/sources.
  std::string DescribeSourcesJson() const;
  // Prometheus text exposition for GET /metrics.
  std::string MetricsText() const;

  catalog::SnapshotPtr catalog() const { return catalog_->snapshot(); }
  const EngineOptions& options() const { return options_; }
  Metrics& metrics() { return metrics_; }

  // Stops the background thread and closes the logs. Idempotent.
  Status Close();

 private:
  // Runs a query counted and timed in the metrics (queries, query_errors, query_micros_total).
  Result<serving::QueryResult> Counted(const std::function<Result<serving::QueryResult>()>& run);
  // Query and DescribeQuery without the metrics: the statement transformed, then RunTree, which
  // plans and runs a SELECT or an EXPLAIN (exactly one of them).
  Result<serving::QueryResult> RunQuery(const sql::Statement& stmt, const std::atomic<bool>* cancel,
                                        const serving::RowSink* sink);
  Result<serving::QueryResult> RunTree(const sql::ast::SelectStmt* select, const sql::ast::ExplainStmt* explain,
                                       const std::atomic<bool>* cancel, const serving::RowSink* sink);
  struct StreamRuntime;
  // At open: the lake and the log of a stream meet without a gap (see engine.cc).
  Status CheckLakeMeetsLog(const StreamRuntime& rt);
  // What the data directory holds, in words, when the catalog file is missing (empty: nothing).
  Result<std::vector<std::string>> DataWithoutCatalog(const objstore::ObjectStore& views_store) const;
  // Dropped streams' leftover files: removed, and the catalog told (Snapshot::dropping).
  Status FinishDrops();
  Status RemoveStreamFiles(const std::string& name);
  // A CREATE TABLE of an unknown stream whose name has data in the lake or log: refused.
  Status CheckNoForeignData(const sql::Statement& stmt);
  struct StreamRuntime {
    catalog::StreamPtr schema;
    std::unique_ptr<wal::Log> log;
    std::shared_mutex apply_mu;  // shared: ingest; exclusive: view creation/replacement
    std::map<std::string, std::shared_ptr<speed::SpeedView>> views;  // GUARDED_BY(apply_mu)
    std::unique_ptr<IdempotencyKeys> keys;  // HTTP ingest's Idempotency-Keys
    std::atomic<bool> keys_saved{false};     // its saved copy exists (written under apply_mu)
    // How far each subscription feeding the stream has read (sources/positions.h).
    std::unique_ptr<sources::SourcePositions> positions;
    std::atomic<bool> positions_saved{false};  // its saved copy exists (written under apply_mu)
    bool dropped = false;  // GUARDED_BY(apply_mu): set by DropStream before it removes the files
  };
  // The live state of one installed view definition.
  struct ViewRuntime {
    views::ViewDefPtr def;
    std::shared_ptr<speed::SpeedView> live;    // batch version ⊕ speed generations
    batch::BatchVersion current;               // GUARDED_BY(batch_mu_) the published version
    batch::VersionInfo info;                   // GUARDED_BY(views_mu_) copy for descriptions
  };

  friend class EngineRelations;  // engine/scan.cc: the relations raw queries read
  explicit Engine(EngineOptions options) : options_(std::move(options)) {}
  Status OpenStream(const catalog::StreamPtr& schema);
  // Appends a batch of the stream's events: one log record (durable, with `origin`:
  // ingest/event_record.h), then every view; then `appended`, still under the stream's apply_mu
  // (shared), so that retention, which takes it exclusively, sees what it records.
  Result<wal::AppendResult> AppendRows(StreamRuntime& rt, const ingest::RowBatch& rows, std::string_view origin = {},
                                       const std::function<void(const wal::AppendResult&)>& appended = {});
  // `<data_dir>/idempotency/<stream>.json`: the saved copy of the stream's idempotency keys.
  std::string IdempotencyPath(const std::string& stream) const;
  // At open: the stream's idempotency keys and source positions, each from its saved copy and
  // from the origins of the log records after it (one pass over the log).
  Status RestoreOrigins(StreamRuntime& rt);
  // Subscriptions (engine/subscriptions.cc). `<data_dir>/sources/<stream>.json`: the saved copy
  // of the stream's source positions.
  std::string PositionsPath(const std::string& stream) const;
  // Stops the sources the new catalog no longer runs as they are (dropped, disabled, their stream
  // gone), before the catalog's other changes take effect; StartSources starts the enabled ones
  // not running. Positions of dropped subscriptions are forgotten (and saved).
  Status StopSources(const catalog::Snapshot& after);
  Status StartSources(const catalog::Snapshot& after);
  // Stores one delivery of subscription `sub` into the stream (sources/source.h).
  Status Deliver(const std::string& sub, const std::shared_ptr<StreamRuntime>& rt, const sources::Delivery& d);
  // The subscriptions' part of /metrics.
  std::string SourcesMetricsText() const;
  // Saves the stream's positions, naming its last sequence number. REQUIRES: rt.apply_mu exclusive.
  Status SavePositionsLocked(StreamRuntime& rt);
  struct Key {
    std::string key, hash;
    int64_t at = 0;
  };
  static IngestAnswer AnswerOf(const IngestResult& r);
  // Ingest after the stream is found (and its key, when given, claimed).
  Result<IngestResult> IngestParsed(StreamRuntime& rt, std::string_view content_type,
                                    std::string_view content_encoding, std::string_view body, const Key* key,
                                    const std::string& dead_letter_origin, int64_t start);
  Status DropStream(const std::string& name);
  // Creates or replaces the speed view, replaying the stream's log. REQUIRES: no lock held.
  Status InstallView(const views::ViewDefPtr& def);
  void DropView(const std::string& name);
  // Dimension tables (engine/dimension.cc): loads every dimension table of the catalog at Open;
  // applies created/dropped dimension tables after DDL; runs COPY ... FROM (replaces a table).
  Status OpenDimensions();
  Status ApplyDimensionChanges(const catalog::Snapshot& before, const catalog::Snapshot& after);
  Result<StatementResult> Copy(const sql::Statement& stmt);
  // COPY ... FROM: the rows of the file it names (client_data null) or of the client's bytes
  // (FROM STDIN), not stored; with describe_columns, only checked, and the number of columns it
  // takes set.
  Result<TableRows> CopyInto(const sql::Statement& stmt, const std::vector<std::string>* client_data,
                             size_t* describe_columns);
  // The table rows go to (a stream or a dimension table), or why there are none; `verb` ("COPY
  // into", "INSERT into") for messages.
  Result<TableRows> RowsTarget(const std::string& name, const char* verb) const;
  // The import directories (the default when none is configured) and the rules for their files.
  std::vector<std::string> ImportDirs() const;
  ServerFileRules ServerFiles() const;
  std::shared_ptr<StreamRuntime> FindStream(const std::string& name) const;
  std::shared_ptr<ViewRuntime> FindView(const std::string& view) const;
  Status ApplyCatalogChanges(const catalog::Snapshot& before, const catalog::Snapshot& after);
  void BackgroundLoop();
  void BatchLoop();
  // Seals (when asked) and commits the stream's sealed segments to the lake.
  Status CommitStream(const std::shared_ptr<StreamRuntime>& rt, bool seal);
  // Publishes `v` for the view: disk first (unless read_only), then the live state. REQUIRES batch_mu_.
  Status PublishVersion(ViewRuntime* vr, batch::BatchVersion v, size_t* dropped);
  // Deletes the stream's log segments every view's horizon has passed. REQUIRES batch_mu_.
  Result<size_t> ApplyLogRetention(const std::shared_ptr<StreamRuntime>& rt);
  Result<VerifyReport> VerifyView(const std::shared_ptr<ViewRuntime>& vr);
  serving::ViewSnapshot SnapshotOf(const ViewRuntime& vr) const;
  // A build request for `def` over the stream's lake manifest `m` (full unless changed).
  batch::BuildRequest FullBuildRequest(const views::ViewDefPtr& def, const StreamRuntime& rt,
                                       const lake::Manifest& m) const;

  EngineOptions options_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<ingest::DeadLetter> deadletter_;
  std::unique_ptr<lake::Lake> lake_;
  std::unique_ptr<batch::VersionStore> store_;
  std::unique_ptr<DimensionStore> dimensions_;  // engine/dimension_store.h
  mutable std::mutex mu_;  // guards streams_
  std::map<std::string, std::shared_ptr<StreamRuntime>> streams_;
  std::mutex ddl_mu_;      // serialises DDL; taken before batch_mu_
  std::mutex dimension_rows_mu_;  // serialises StoreRows into dimension tables (read, append, replace)
  std::mutex batch_mu_;    // one batch run, view install or retention at a time
  // Raw scans (shared) against deleting log segments and lake files (exclusive: retention and
  // DROP), so that a scan's manifest and log tail stay readable while it runs.
  mutable std::shared_mutex scan_mu_;
  // Installed speed views by view name: what queries read. Swapped whole when a rebuilt view is
  // ready, so queries never wait for a rebuild.
  mutable std::mutex views_mu_;
  std::map<std::string, std::shared_ptr<ViewRuntime>> views_;  // GUARDED_BY(views_mu_)
  // Running sources by subscription name, with the definition each runs.
  struct RunningSource {
    catalog::SubscriptionPtr def;
    std::unique_ptr<sources::Source> source;
  };
  mutable std::mutex sources_mu_;  // taken after ddl_mu_; never held while a source's Deliver runs
  std::map<std::string, RunningSource> sources_;  // GUARDED_BY(sources_mu_)
  Metrics metrics_;

  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  bool stopping_ = false;
  std::thread bg_, batch_thread_;
};

}  // namespace laminar::engine
