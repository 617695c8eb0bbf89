// Faults and power loss through the file-system seam (common/fault_fs.h), on a real Engine.
//
// One scenario — DDL, ingest, a dimension-table COPY, a lake attach, batch runs (lake commit,
// view publish and old versions deleted, log retention) — runs again and again:
//   - with one failed operation (ENOSPC on writes and creations, EIO on fsyncs) at every
//     operation it makes, in turn, followed by a power loss: so a failed fsync followed by an ack
//     loses an acknowledged event, and the test fails;
//   - with the power lost before a random operation, each file keeping a random number of its
//     unsynced bytes and a random prefix of the unsynced directory changes surviving.
// After each run the directory is reopened on POSIX and checked: it opens; everything
// acknowledged is there (the stream, the view, the table, every acked event exactly once in the
// stream — lake and log — and in the view); the view equals the stream and `verify` is clean;
// and the engine keeps working (one more ingest and batch run, verified again).
//
// LAMINAR_POWER_LOSS_POINTS sets the number of power-loss points (default 2,400, split over the
// shards); the figures are printed as "faults: ..." lines for docs/reliability.md.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <set>

#include "common/fault_fs.h"
#include "common/file_util.h"
#include "common/time_util.h"
#include "engine/engine.h"
#include "sql/parser.h"

namespace laminar::engine {
namespace {

constexpr int kShards = 6;

// What one run acknowledged.
struct Acks {
  bool stream = false, view = false, dim = false;
  bool attach_stream = false;  // CREATE TABLE ev2 acknowledged
  bool attached = false;       // the lake attach into ev2 acknowledged
  std::set<int64_t> acked;      // event numbers (n) acknowledged
  std::set<int64_t> attempted;  // every event number sent
  std::set<int64_t> may_expire; // acked events lake retention may have dropped
  int steps_failed = 0;
};

class FaultTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar_fault_test_XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(tmpl));
    root_ = tmpl;
    options_.data_dir = JoinPath(root_, "data");
    options_.batch_interval_ms = 0;
    options_.seal_check_interval_ms = 3'600'000;  // no background sealing: the runs repeat exactly
    options_.retain_versions = 1;  // each publish deletes the view's older version too
    fs_.real_syncs = false;
    check_fs_.real_syncs = false;
    options_.import_dirs = {JoinPath(root_, "import")};
    MakeAttachFile();
  }

  // A Parquet file of kAttachRows events of ev's schema, for `lake attach` into ev2: a lake file
  // of a small engine of its own.
  void MakeAttachFile() {
    EngineOptions o = options_;
    o.data_dir = JoinPath(root_, "attach-source");
    auto e = Engine::Open(o);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    ASSERT_TRUE((*e)->ExecuteSql("CREATE TABLE ev (ts timestamptz NOT NULL, k text NOT NULL, n bigint NOT NULL)").ok());
    std::string body;  // one event hour: one lake file
    for (int n = 5001; n < 5001 + kAttachRows; n++)
      body += fmt::format("{{\"ts\":\"2024-05-01T10:{:02}:00Z\",\"k\":\"k{}\",\"n\":{}}}\n", n % 60, n % 4, n);
    ASSERT_TRUE((*e)->Ingest("ev", "application/x-ndjson", "", body).ok());
    ASSERT_TRUE((*e)->RunBatch({}).ok());
    e->reset();
    std::filesystem::create_directories(options_.import_dirs[0]);
    for (const auto& f : std::filesystem::recursive_directory_iterator(JoinPath(o.data_dir, "lake")))
      if (f.path().extension() == ".parquet") {
        std::filesystem::copy_file(f.path(), AttachPath(), std::filesystem::copy_options::overwrite_existing);
        break;
      }
    ASSERT_TRUE(std::filesystem::exists(AttachPath()));
  }
  std::string AttachPath() const { return JoinPath(options_.import_dirs[0], "attach.parquet"); }
  static constexpr int kAttachRows = 6;
  void TearDown() override {
    fs::SetForTesting(nullptr);
    std::filesystem::remove_all(root_);
  }

  void Fresh() {
    std::filesystem::remove_all(options_.data_dir);
  }

  static std::string Events(int64_t first, int count) {
    std::string body;
    for (int64_t n = first; n < first + count; n++) {
      body += fmt::format("{{\"ts\":\"2024-05-0{}T0{}:00:00Z\",\"k\":\"k{}\",\"n\":{}}}\n", 1 + n % 3, n % 10, n % 4, n);
    }
    return body;
  }

  // The scenario, on the FaultFs; every step may fail.
  Acks Run() {
    Acks a;
    std::unique_ptr<Engine> e;
    auto opened = Engine::Open(options_);
    if (!opened.ok()) {
      a.steps_failed++;
      return a;
    }
    e = std::move(opened).value();
    auto step = [&](bool ok) {
      if (!ok) a.steps_failed++;
      return ok;
    };
    a.stream = step(e->ExecuteSql("CREATE TABLE ev (ts timestamptz NOT NULL, k text NOT NULL, n bigint NOT NULL)").ok());
    a.view = step(e->ExecuteSql("CREATE MATERIALIZED VIEW by_k AS SELECT k, count(*) AS c, sum(n) AS s FROM ev GROUP BY k").ok());
    bool dim_table = step(e->ExecuteSql("CREATE TABLE dim (k text NOT NULL, label text) WITH (kind = 'dimension')").ok());
    int64_t next = 1;
    auto ingest = [&](int count) {
      for (int64_t n = next; n < next + count; n++) a.attempted.insert(n);
      auto r = e->Ingest("ev", "application/x-ndjson", "", Events(next, count));
      if (step(r.ok() && r->accepted == static_cast<size_t>(count)))
        for (int64_t n = next; n < next + count; n++) a.acked.insert(n);
      next += count;
    };
    ingest(4);
    ingest(3);
    step(e->RunBatch({}).ok());
    ingest(5);
    if (dim_table) {
      auto copy = sql::Parse("COPY dim FROM STDIN (FORMAT csv)");
      if (copy.ok() && step(e->CopyFromClient(copy->at(0), {"k0,zero\nk1,one\nk2,two\n"}).ok())) a.dim = true;
    }
    a.attach_stream = step(e->ExecuteSql("CREATE TABLE ev2 (ts timestamptz NOT NULL, k text NOT NULL, n bigint NOT NULL)").ok());
    if (a.attach_stream) a.attached = step(e->AttachFile("ev2", AttachPath()).ok());
    step(e->RunBatch({}).ok());
    ingest(2);
    // A stream with log and lake files, dropped (the lake's and the log's deletions, FinishDrop).
    if (step(e->ExecuteSql("CREATE TABLE tmp_ev (ts timestamptz NOT NULL)").ok())) {
      step(e->Ingest("tmp_ev", "application/x-ndjson", "", "{\"ts\":\"2024-05-01T00:00:00Z\"}\n").ok());
      step(e->RunBatch({}).ok());
    }
    step(e->ExecuteSql("DROP TABLE tmp_ev").ok());
    ingest(3);
    e.reset();  // closes (its writes may fail too)
    return a;
  }

  // Lake retention: events of ten days ago and of now; a batch run with [lake] retention of five
  // days drops the old partitions and recomputes the view in full.
  Acks RunRetention() {
    Acks a;
    auto opened = Engine::Open(options_);
    if (!opened.ok()) return a;
    std::unique_ptr<Engine> e = std::move(opened).value();
    a.stream = e->ExecuteSql("CREATE TABLE ev (ts timestamptz NOT NULL, k text NOT NULL, n bigint NOT NULL)").ok();
    a.view = e->ExecuteSql("CREATE MATERIALIZED VIEW by_k AS SELECT k, count(*) AS c, sum(n) AS s FROM ev GROUP BY k").ok();
    const int64_t now = NowMicros();
    auto ingest = [&](int64_t first, int count, int64_t ts, bool old) {
      std::string body;
      for (int64_t n = first; n < first + count; n++) {
        a.attempted.insert(n);
        body += fmt::format("{{\"ts\":\"{}\",\"k\":\"k{}\",\"n\":{}}}\n", FormatTimestamp(ts + n * 1'000'000), n % 3, n);
      }
      auto r = e->Ingest("ev", "application/x-ndjson", "", body);
      if (r.ok() && r->accepted == static_cast<size_t>(count))
        for (int64_t n = first; n < first + count; n++) {
          a.acked.insert(n);
          if (old) a.may_expire.insert(n);
        }
    };
    ingest(1, 6, now - 10 * 86'400'000'000LL, true);
    ingest(7, 6, now - 3'600'000'000LL, false);
    e->RunBatch({}).status().IgnoreError();  // commits, drops the old partitions, recomputes
    ingest(13, 3, now - 3'600'000'000LL, false);
    e->RunBatch({}).status().IgnoreError();
    return a;
  }

  // Reopens (on a FaultFs without faults) and checks what `a` promised.
  void Check(const Acks& a, const std::string& what) {
    SCOPED_TRACE(what);
    fs::SetForTesting(&check_fs_);
    CheckReopened(a);
    check_fs_.DropUnsyncedData(UINT64_MAX, SIZE_MAX);  // forgets its model, keeping every file
    fs::SetForTesting(nullptr);
  }

  void CheckReopened(const Acks& a) {
    auto opened = Engine::Open(options_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    std::unique_ptr<Engine> e = std::move(opened).value();
    catalog::SnapshotPtr cat = e->catalog();
    bool has_stream = e->Query("SELECT count(*) FROM ev").ok();
    if (a.stream) ASSERT_TRUE(has_stream) << "an acknowledged CREATE TABLE was lost";
    if (!has_stream) {
      ASSERT_TRUE(a.acked.empty()) << "events were acknowledged into a stream that is gone";
      return;
    }
    auto rows = e->Query("SELECT n FROM ev");
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    std::multiset<int64_t> seen;
    for (const auto& row : rows->rows) seen.insert(row.at(0).as_int());
    for (int64_t n : a.acked)
      if (!a.may_expire.count(n)) ASSERT_EQ(1u, seen.count(n)) << "acknowledged event " << n;
    for (int64_t n : seen) {
      ASSERT_EQ(1u, seen.count(n)) << "event " << n << " counted twice";
      ASSERT_TRUE(a.attempted.count(n)) << "event " << n << " was never sent";
    }
    bool has_view = e->Query("SELECT count(*) FROM by_k").ok();
    if (a.view) ASSERT_TRUE(has_view) << "an acknowledged CREATE MATERIALIZED VIEW was lost";
    if (has_view) ExpectViewExact(e.get());
    auto ev2 = e->Query("SELECT count(*), count(DISTINCT n) FROM ev2");
    if (a.attach_stream) ASSERT_TRUE(ev2.ok()) << "an acknowledged CREATE TABLE was lost: " << ev2.status().ToString();
    if (ev2.ok()) {
      int64_t rows = ev2->rows.at(0).at(0).as_int();
      if (a.attached) ASSERT_EQ(kAttachRows, rows) << "an acknowledged lake attach was lost";
      ASSERT_TRUE(rows == 0 || rows == kAttachRows) << "a lake attach is partly visible: " << rows << " rows";
      ASSERT_EQ(rows, ev2->rows.at(0).at(1).as_int()) << "attached rows counted twice";
    }
    if (a.dim) {
      auto d = e->Query("SELECT count(*) FROM dim");
      ASSERT_TRUE(d.ok()) << d.status().ToString();
      ASSERT_EQ(3, d->rows.at(0).at(0).as_int()) << "an acknowledged COPY was lost";
    }
    // It keeps working: one more batch of events, a batch run, and the view is still exact.
    auto more = e->Ingest("ev", "application/x-ndjson", "", Events(1000, 2));
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    auto run = e->RunBatch({});
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    if (has_view) ExpectViewExact(e.get());
  }

  void ExpectViewExact(Engine* e) {
    auto view = e->Query("SELECT k, c, s FROM by_k ORDER BY k");
    auto raw = e->Query("SELECT k, count(*), sum(n) FROM ev GROUP BY k ORDER BY k");
    ASSERT_TRUE(view.ok()) << view.status().ToString();
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    ASSERT_EQ(raw->rows.size(), view->rows.size());
    for (size_t i = 0; i < raw->rows.size(); i++)
      for (size_t j = 0; j < 3; j++)
        ASSERT_EQ(raw->rows[i][j].ToString(), view->rows[i][j].ToString()) << "row " << i << " column " << j;
    auto verify = e->Verify("");
    ASSERT_TRUE(verify.ok()) << verify.status().ToString();
    for (const VerifyReport& r : *verify) ASSERT_TRUE(r.diffs.empty()) << "verify: view " << r.view << " differs";
  }

  // Operations the scenario makes without faults.
  uint64_t CountOps() {
    Fresh();
    fs::SetForTesting(&fs_);
    Acks a = Run();
    uint64_t n = fs_.ops();
    fs_.DropUnsyncedData(UINT64_MAX, SIZE_MAX);  // forget, keeping everything
    fs::SetForTesting(nullptr);
    EXPECT_EQ(0, a.steps_failed);
    return n;
  }

  // Runs `scenario` from a fresh directory with its n-th operation failing, then loses the power;
  // *op names the operation that failed.
  Acks FailThenLosePower(uint64_t n, const std::function<Acks()>& scenario, std::string* op) {
    Fresh();
    fs::SetForTesting(&fs_);
    fs_.FailAt(n);
    Acks a = scenario();
    *op = fs_.injected();
    fs_.DropUnsyncedData();
    return a;
  }

  std::string root_;
  EngineOptions options_;
  fs::FaultFs fs_;     // the faults
  fs::FaultFs check_fs_;  // no faults: the checks, without real fsyncs
};

// One failed operation at every call site, then a power loss.
TEST_P(FaultTest, AFailedOperationAnywhereLosesNothingAcknowledged) {
  const uint64_t total = CountOps();
  ASSERT_GT(total, 50u);
  int checked = 0, failed_steps = 0;
  for (uint64_t n = 1 + GetParam(); n <= total; n += kShards) {
    std::string op;
    Acks a = FailThenLosePower(n, [this] { return Run(); }, &op);
    failed_steps += a.steps_failed > 0;
    Check(a, fmt::format("a failed operation {} of {}, then a power loss", op, total));
    if (HasFatalFailure()) return;
    checked++;
  }
  std::printf("faults: shard %d: %d failed operations injected (of %llu call sites), %d runs saw an error\n",
              GetParam(), checked, static_cast<unsigned long long>(total), failed_steps);
}

// The power lost before a random operation, with random parts of the unsynced state surviving.
TEST_P(FaultTest, APowerLossAnywhereLeavesTheOldStateOrTheNew) {
  const uint64_t total = CountOps();
  const char* env = std::getenv("LAMINAR_POWER_LOSS_POINTS");
  const int points = (env != nullptr ? std::atoi(env) : 2400) / kShards;
  std::mt19937_64 rng(1234 + GetParam());
  for (int i = 0; i < points; i++) {
    uint64_t n = 1 + rng() % (total + 1);
    uint64_t keep_bytes = rng() % 3 == 0 ? 0 : rng() % 4096;
    size_t keep_dir_ops = rng() % 2 == 0 ? 0 : rng() % 8;
    Fresh();
    fs::SetForTesting(&fs_);
    fs_.CrashAt(n);
    Acks a = Run();
    std::string op = fs_.injected();
    fs_.DropUnsyncedData(keep_bytes, keep_dir_ops);
    Check(a, fmt::format("power lost before operation {} of {} (kept {} unsynced bytes a file, {} directory changes)",
                         op.empty() ? "#" + std::to_string(n) : op, total, keep_bytes, keep_dir_ops));
    if (HasFatalFailure()) return;
  }
  std::printf("faults: shard %d: %d power-loss points (of %llu operations)\n", GetParam(), points,
              static_cast<unsigned long long>(total));
}

// Lake retention (dropping whole partitions, then the views recomputed) with one failed
// operation at each of its operations, then a power loss: the old events may go, nothing else.
class LakeRetentionFaultTest : public FaultTest {};  // not sharded: about 150 operations

TEST_F(LakeRetentionFaultTest, AFailedOperationAnywhereLosesOnlyExpiredEvents) {
  options_.lake_retention_micros = 5 * 86'400'000'000LL;
  Fresh();
  fs::SetForTesting(&fs_);
  Acks clean = RunRetention();
  const uint64_t total = fs_.ops();
  fs_.DropUnsyncedData(UINT64_MAX, SIZE_MAX);
  fs::SetForTesting(nullptr);
  ASSERT_EQ(15u, clean.acked.size());
  {
    auto e = Engine::Open(options_);  // without faults, retention dropped the six old events
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    auto q = (*e)->Query("SELECT count(*) FROM ev");
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    ASSERT_EQ(9, q->rows.at(0).at(0).as_int());
  }
  for (uint64_t n = 1; n <= total; n++) {
    std::string op;
    Acks a = FailThenLosePower(n, [this] { return RunRetention(); }, &op);
    Check(a, fmt::format("lake retention: a failed operation {} of {}, then a power loss", op, total));
    if (HasFatalFailure()) return;
  }
  std::printf("faults: lake retention: %llu failed operations injected\n", static_cast<unsigned long long>(total));
}

INSTANTIATE_TEST_SUITE_P(Shards, FaultTest, ::testing::Range(0, kShards));

}  // namespace
}  // namespace laminar::engine
