#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] [--target parquet|sql] [extra libFuzzer flags...]: builds a fuzz target
# with clang-14 and -fsanitize=fuzzer,address,undefined into build/fuzz, writes its seed corpus and
# runs libFuzzer for SECONDS (default 300).
#   parquet (default): the Parquet reader (src/lake/fuzz/parquet_fuzz.cc); seeds are files of
#     ParquetWriter and of the test encoder (every encoding, page version and codec).
#   sql: the SQL front end of queries over raw rows (src/serving/fuzz/sql_fuzz.cc: parse, plan and
#     run SELECTs over in-memory relations); seeds are its embedded queries, with the SQL token
#     dictionary src/serving/fuzz/sql.dict.
# FUZZ_BUILD_DIR overrides the build directory (default build/fuzz); JOBS the build's parallelism.
# The corpus grows in build/fuzz/corpus[-sql]; crashes are written to build/fuzz/artifacts[-sql]/.
# A crash input is reproduced with the target binary and the file (build/fuzz/src/lake/parquet_fuzz
# FILE, build/fuzz/src/serving/sql_fuzz FILE). Exit status: libFuzzer's.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=300
target=parquet
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --target) target=${2:?--target needs parquet or sql}; shift 2 ;;
    --target=*) target=${1#--target=}; shift ;;
    *) extra+=("$1"); shift ;;
  esac
done
case "$target" in
  parquet) bin=src/lake/parquet_fuzz; suffix=""; flags=(-max_len=65536 -rss_limit_mb=2048 -timeout=20) ;;
  sql) bin=src/serving/sql_fuzz; suffix="-sql"
       flags=(-max_len=4096 -rss_limit_mb=2048 -timeout=10 -dict=src/serving/fuzz/sql.dict) ;;
  *) echo "usage: scripts/fuzz.sh [SECONDS] [--target parquet|sql] [libFuzzer flags...]" >&2; exit 2 ;;
esac
name=$(basename "$bin")
out=${FUZZ_BUILD_DIR:-build/fuzz}
cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DLAMINAR_LIBFUZZER=ON \
  "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
  "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" >/dev/null
cmake --build "$out" -j "${JOBS:-2}" --target "$name" "${name}_seeds"
corpus=$out/corpus$suffix seeds=$out/seeds$suffix artifacts=$out/artifacts$suffix
mkdir -p "$corpus" "$seeds" "$artifacts"
"$out/$bin"_seeds --make-seeds "$seeds"
exec "$out/$bin" -max_total_time="$seconds" "${flags[@]}" -artifact_prefix="$artifacts/" \
  ${extra[@]+"${extra[@]}"} "$corpus" "$seeds"
