#!/usr/bin/env bash
# scripts/microbench.sh [FILTER] [BENCHMARK FLAGS...]: the microbenchmarks of the kernels
# (src/*/*_benchmark.cc, Google Benchmark; docs/testing.md, "Microbenchmarks").
# Configures build/microbench (Release, -DLAMINAR_MICROBENCH=ON, Ninja), builds every
# *_benchmark target and runs each, printing its table. FILTER is a regular expression passed as
# --benchmark_filter (e.g. 'Parse|LogAppend/'); binaries with no matching benchmark are skipped.
# Further flags go to every binary (e.g. --benchmark_repetitions=3). Build parallelism:
# MICROBENCH_JOBS (default: the number of cores). Needs libbenchmark-dev (scripts/setup.sh).
# The log and Parquet benchmarks write to $LAMINAR_BENCH_DIR (default /dev/shm).
set -euo pipefail
cd "$(dirname "$0")/.."
filter=${1:-}
[ $# -gt 0 ] && shift
build=build/microbench
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLAMINAR_MICROBENCH=ON >/dev/null
mapfile -t targets < <(ninja -C "$build" -t targets all | sed -n 's/^\([a-z_]*_benchmark\): phony$/\1/p' |
  grep -v '^cmake_' | sort)
if [ ${#targets[@]} -eq 0 ]; then
  echo "microbench: no *_benchmark targets (is libbenchmark-dev installed? scripts/setup.sh)" >&2
  exit 1
fi
cmake --build "$build" -j "${MICROBENCH_JOBS:-$(nproc)}" --target "${targets[@]}"
flags=("$@")
[ -n "$filter" ] && flags=(--benchmark_filter="$filter" "${flags[@]}")
for t in "${targets[@]}"; do
  bin=$(find "$build/src" -type f -name "$t" -perm -u+x | head -n 1)
  if [ -z "$bin" ]; then
    echo "microbench: $t was built but not found under $build/src" >&2
    exit 1
  fi
  if [ -n "$filter" ] && [ -z "$("$bin" --benchmark_list_tests --benchmark_filter="$filter" 2>/dev/null)" ]; then
    continue
  fi
  echo
  echo "== $t"
  "$bin" "${flags[@]}"
done
