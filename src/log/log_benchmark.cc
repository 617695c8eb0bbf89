// Microbenchmarks of the write-ahead log (Google Benchmark; scripts/microbench.sh, docs/testing.md):
// wal::Log::Append of one record (an opaque payload, as an encoded RowBatch is to the log) of
// 256 B (about one event), 4 KiB and 64 KiB (a few hundred events), with Options::sync on
// (fdatasync before Append returns: what an ack costs) and off (durability = "none": page cache
// only), from one thread and, with sync, from several at once (group commit: one write and one
// fdatasync per group). Items are records; bytes are payload bytes; rates are per second of wall
// time (the CPU column shows what the appending thread itself spent).
//
// The log lives in $LAMINAR_BENCH_DIR (default /dev/shm, where fdatasync costs a system call and
// no device flush: the log's own CPU cost). Point it at a disk to see the device's flush latency,
// which then dominates every synced append. Segments roll over at the default 64 MiB; sealed
// segments are deleted as the benchmark goes (outside the timing), so /dev/shm stays small.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "common/bench_dir.h"
#include "log/wal.h"

namespace laminar::wal {
namespace {

std::unique_ptr<Log> MustOpen(const std::string& dir, bool sync) {
  Options options;
  options.sync = sync;
  Result<std::unique_ptr<Log>> log = Log::Open(dir, options, nullptr);
  if (!log.ok()) {
    std::fprintf(stderr, "log_benchmark: %s\n", log.status().ToString().c_str());
    std::abort();
  }
  return std::move(log).value();
}

std::string Payload(size_t bytes) {
  std::mt19937_64 rng(7);
  std::string p(bytes, '\0');
  for (char& c : p) c = static_cast<char>(rng());
  return p;
}

// Appends one record; when it went to a new segment, deletes the sealed ones (untimed).
void AppendOne(benchmark::State& state, Log& log, const std::string& payload, uint64_t* segment) {
  Result<AppendResult> r = log.Append(payload, 1);
  if (!r.ok()) {
    state.SkipWithError(r.status().ToString().c_str());
    return;
  }
  if (r->segment_id != *segment) {
    *segment = r->segment_id;
    state.PauseTiming();
    Status st = log.DeleteSealedThrough(r->first_seq - 1);
    if (!st.ok()) state.SkipWithError(st.ToString().c_str());
    state.ResumeTiming();
  }
}

// Args: payload bytes, sync (0/1). One thread.
void BM_LogAppend(benchmark::State& state) {
  const std::string payload = Payload(static_cast<size_t>(state.range(0)));
  BenchDir dir("log_benchmark");
  std::unique_ptr<Log> log = MustOpen(dir.path(), state.range(1) != 0);
  uint64_t segment = 0;
  for (auto _ : state) AppendOne(state, *log, payload, &segment);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
  if (!log->Close().ok()) state.SkipWithError("Close failed");
}
BENCHMARK(BM_LogAppend)
    ->ArgNames({"bytes", "sync"})
    ->ArgsProduct({{256, 4096, 65536}, {0, 1}})
    ->UseRealTime()  // a synced append waits for the device, not the CPU
    ->Unit(benchmark::kMicrosecond);

// Several threads append 4 KiB records to one log with sync: group commit. Items are records of
// all threads per second of wall time.
std::unique_ptr<BenchDir> shared_dir;
std::unique_ptr<Log> shared_log;

void BM_LogAppendConcurrent(benchmark::State& state) {
  const std::string payload = Payload(4096);
  if (state.thread_index() == 0) {  // before the start barrier: every thread waits for it
    shared_dir = std::make_unique<BenchDir>("log_benchmark");
    shared_log = MustOpen(shared_dir->path(), true);
  }
  uint64_t segment = 0;
  for (auto _ : state) AppendOne(state, *shared_log, payload, &segment);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 4096);
  if (state.thread_index() == 0) {  // after the stop barrier: the others are done
    if (!shared_log->Close().ok()) state.SkipWithError("Close failed");
    shared_log.reset();
    shared_dir.reset();
  }
}
BENCHMARK(BM_LogAppendConcurrent)->Threads(1)->Threads(4)->Threads(16)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace laminar::wal
