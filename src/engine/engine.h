// Engine: the wiring of Laminar's stages on one machine — catalog, per-stream write-ahead logs,
// ingest, the speed layer and serving. The HTTP and CLI front ends call only this class.
//
// Data directory (DESIGN.md): catalog, log/<stream>/, deadletter/<stream>/, lake/<stream>/
// (views/ comes with the batch layer).
//
// Lake: the background thread seals aged log segments and commits every sealed segment to the
// Parquet lake (lake/lake.h), in segment order.
//
// Ingest path (contract 1): parse → dead-letter the bad records → Log::Append (group commit,
// fsync) → apply the batch to every view of the stream in the speed layer → return (the ack).
// So an acked event is durable and visible; an event a crash could take back is never visible.
// A per-stream reader/writer lock orders ingest (shared) against view creation (exclusive: the
// new view replays the log with no append in flight, so it counts every event exactly once).
//
// Restart: the catalog is loaded, each stream's log recovered, and every view's speed state
// rebuilt by replaying its stream's log (generation = log segment).
//
// Thread safety: all public methods are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "ingest/deadletter.h"
#include "ingest/event_parser.h"
#include "lake/lake.h"
#include "log/wal.h"
#include "serving/query.h"
#include "speed/speed_view.h"

namespace laminar::engine {

struct EngineOptions {
  std::string data_dir = "laminar-data";
  wal::Options log;
  ingest::Limits ingest;
  serving::QueryLimits query;
  lake::WriterOptions lake;
  int seal_check_interval_ms = 1000;
};

struct IngestResult {
  size_t accepted = 0;
  size_t rejected = 0;
  std::vector<ingest::RecordError> errors;
  uint64_t first_seq = 0;  // 0 when nothing was accepted
  uint64_t last_seq = 0;
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

class Engine {
 public:
  // Opens the data directory, recovers every log and rebuilds the speed layer.
  // Errors: IOError/Corruption naming the file (e.g. a damaged middle of a log segment).
  static Result<std::unique_ptr<Engine>> Open(const EngineOptions& options);
  ~Engine();

  // Runs DDL and/or SELECT statements in order; stops at the first error (earlier statements
  // stay applied). The catalog file given at start goes through here too.
  Result<std::vector<StatementResult>> ExecuteSql(std::string_view sql);
  // Applies a catalog file given at start (--catalog): like ExecuteSql, except that a CREATE
  // of an object that exists with the same definition text is skipped, so the same file can be
  // given at every start. A CREATE TABLE whose stream exists with a different definition is an
  // error; a CREATE MATERIALIZED VIEW whose view differs replaces it (a new definition version).
  Status ApplyCatalogFile(std::string_view sql);

  // Runs exactly one SELECT.
  Result<serving::QueryResult> Query(std::string_view sql);

  // Ingests a request body into a stream (see class comment). NotFound for an unknown stream.
  Result<IngestResult> Ingest(const std::string& stream, std::string_view content_type,
                              std::string_view content_encoding, std::string_view body);

  // JSON descriptions for GET /v1/streams and GET /v1/views.
  std::string DescribeStreamsJson() const;
  std::string DescribeViewsJson() const;
  // Prometheus text exposition for GET /metrics.
  std::string MetricsText() const;

  catalog::SnapshotPtr catalog() const { return catalog_->snapshot(); }
  const EngineOptions& options() const { return options_; }
  Metrics& metrics() { return metrics_; }

  // Stops the background thread and closes the logs. Idempotent.
  Status Close();

 private:
  struct StreamRuntime {
    catalog::StreamPtr schema;
    std::unique_ptr<wal::Log> log;
    std::shared_mutex apply_mu;  // shared: ingest; exclusive: view creation/replacement
    std::map<std::string, std::shared_ptr<speed::SpeedView>> views;  // GUARDED_BY(apply_mu)
  };

  explicit Engine(EngineOptions options) : options_(std::move(options)) {}
  Status OpenStream(const catalog::StreamPtr& schema);
  Status DropStream(const std::string& name);
  // Creates or replaces the speed view, replaying the stream's log. REQUIRES: no lock held.
  Status InstallView(const views::ViewDefPtr& def);
  void DropView(const std::string& name);
  std::shared_ptr<StreamRuntime> FindStream(const std::string& name) const;
  std::shared_ptr<speed::SpeedView> FindSpeedView(const std::string& view) const;
  Status ApplyCatalogChanges(const catalog::Snapshot& before, const catalog::Snapshot& after);
  void BackgroundLoop();

  EngineOptions options_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<ingest::DeadLetter> deadletter_;
  std::unique_ptr<lake::Lake> lake_;
  mutable std::mutex mu_;  // guards streams_
  std::map<std::string, std::shared_ptr<StreamRuntime>> streams_;
  std::mutex ddl_mu_;      // serialises DDL
  // Installed speed views by view name: what queries read. Swapped whole when a rebuilt view is
  // ready, so queries never wait for a rebuild.
  mutable std::mutex views_mu_;
  std::map<std::string, std::shared_ptr<speed::SpeedView>> speed_views_;  // GUARDED_BY(views_mu_)
  Metrics metrics_;

  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  bool stopping_ = false;
  std::thread bg_;
};

}  // namespace laminar::engine
