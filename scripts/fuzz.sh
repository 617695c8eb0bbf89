#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]: builds the Parquet reader's fuzz target
# (src/lake/fuzz/parquet_fuzz.cc) with clang-14 and -fsanitize=fuzzer,address,undefined into
# build/fuzz, writes a seed corpus (files of ParquetWriter and of the test encoder: every encoding,
# page version and codec) and runs libFuzzer for SECONDS (default 300). The corpus grows in
# build/fuzz/corpus; crashes are written to build/fuzz/artifacts/. Exit status: libFuzzer's.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
shift || true
out=build/fuzz
cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DLAMINAR_LIBFUZZER=ON \
  "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
  "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" >/dev/null
cmake --build "$out" -j "${JOBS:-2}" --target parquet_fuzz parquet_fuzz_seeds
mkdir -p "$out/corpus" "$out/seeds" "$out/artifacts"
"$out/src/lake/parquet_fuzz_seeds" --make-seeds "$out/seeds"
exec "$out/src/lake/parquet_fuzz" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
  -timeout=20 -artifact_prefix="$out/artifacts/" "$@" "$out/corpus" "$out/seeds"
