// Microbenchmarks of the Parquet writer and reader (Google Benchmark; scripts/microbench.sh,
// docs/testing.md): a RowBatch of pageview rows written as one lake file (ParquetWriter: Open,
// Write, Finish with its fsync; default WriterOptions: dictionary text, ZSTD level 3, statistics),
// then read back (ParquetReader::Open, which loads the file, and ReadRowGroup of every row group),
// all columns and only two (`ts`, `url`: what a scan that needs them decodes).
// Items are rows; bytes are the rows' raw size (their log encoding, RowBatch::Encode), so
// encode and decode rates compare with the log's and the parser's; the file size is a counter.
//
// Files go to $LAMINAR_BENCH_DIR (default /dev/shm: Finish's fsync and the reads cost no device
// time). The rows have the shape and distributions of app/gen.cc (`laminar gen pageviews`, which
// src/lake may not include): 2,000 events/s of event time, 2% late, ~40 URLs and ~10k users with
// Zipf-like popularity, 15 countries, ~35% null referrers, log-normal latency.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "common/bench_dir.h"
#include "ingest/bench_pageviews.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"
#include "lake/parquet_reader.h"
#include "lake/parquet_writer.h"

namespace laminar::lake {
namespace {

using ingest::RowBatch;
using ingest::StreamSchema;

using namespace ingest::bench;  // NOLINT: the pageview columns and rows

// Writes `rows` as the file `path`; returns the file's size (0 after an error, in `state`).
int64_t WriteFile(benchmark::State& state, const std::string& path, const RowBatch& rows) {
  Result<std::unique_ptr<ParquetWriter>> w = ParquetWriter::Open(path, PageviewsSchema());
  Status st = w.ok() ? (*w)->Write(rows) : w.status();
  if (st.ok()) st = (*w)->Finish();
  if (!st.ok()) {
    state.SkipWithError(st.ToString().c_str());
    return 0;
  }
  return (*w)->bytes_written();
}

// `rows`: what one iteration wrote or decoded.
void SetCounters(benchmark::State& state, const RowBatch& rows, int64_t file_bytes) {
  const int64_t raw = static_cast<int64_t>(rows.Encode().size());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows.num_rows()));
  state.SetBytesProcessed(state.iterations() * raw);
  state.counters["file_bytes"] = static_cast<double>(file_bytes);
  if (rows.num_columns() == PageviewsSchema().columns.size())
    state.counters["raw/file"] = static_cast<double>(raw) / static_cast<double>(file_bytes);
}

// state.range(0) rows → one file (one row group up to ~1M rows: 128 MiB raw per row group).
void BM_ParquetWrite(benchmark::State& state) {
  const RowBatch rows = Pageviews(static_cast<size_t>(state.range(0)), 1);
  BenchDir dir("parquet_benchmark");
  const std::string path = dir.path() + "/f.parquet";
  int64_t file_bytes = 0;
  for (auto _ : state) file_bytes = WriteFile(state, path, rows);
  SetCounters(state, rows, file_bytes);
}
BENCHMARK(BM_ParquetWrite)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

// Every row group of the file at `path`, decoded with `schema`'s columns.
Result<RowBatch> ReadFile(const std::string& path, const StreamSchema& schema) {
  ASSIGN_OR_RETURN(std::unique_ptr<ParquetReader> reader, ParquetReader::Open(path));
  RowBatch all(schema);
  for (int g = 0; g < reader->num_row_groups(); g++) {
    ASSIGN_OR_RETURN(RowBatch batch, reader->ReadRowGroup(g, schema));
    if (reader->num_row_groups() == 1) return batch;
    all.AppendBatch(batch);
  }
  return all;
}

// Reads the file back: all columns (state.range(1) = 0) or only ts and url (1; bytes are then
// those two columns' raw size).
void BM_ParquetRead(benchmark::State& state) {
  const RowBatch rows = Pageviews(static_cast<size_t>(state.range(0)), 1);
  BenchDir dir("parquet_benchmark");
  const std::string path = dir.path() + "/f.parquet";
  const int64_t file_bytes = WriteFile(state, path, rows);
  StreamSchema read_schema = PageviewsSchema();
  if (state.range(1) == 1) read_schema.columns = {read_schema.columns[kTs], read_schema.columns[kUrl]};
  Result<RowBatch> decoded = ReadFile(path, read_schema);
  if (!decoded.ok() || decoded->num_rows() != rows.num_rows()) {
    state.SkipWithError(decoded.ok() ? "rows lost" : decoded.status().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    Result<RowBatch> batch = ReadFile(path, read_schema);
    benchmark::DoNotOptimize(batch);
  }
  SetCounters(state, *decoded, file_bytes);
}
BENCHMARK(BM_ParquetRead)
    ->ArgNames({"rows", "ts_url_only"})
    ->ArgsProduct({{10'000, 100'000}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace laminar::lake
