#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] [--target TARGET] [extra libFuzzer flags...]: builds fuzz targets with
# clang-14 and -fsanitize=fuzzer,address,undefined into build/fuzz and runs libFuzzer on each for
# SECONDS (default 300). TARGET is one of (default parquet; tests/fuzz/README.md says more):
#   parquet  the Parquet reader (src/lake/fuzz/parquet_fuzz.cc)
#   sql      the SQL front end of queries over raw rows: parse, plan and run SELECTs over
#            in-memory relations (src/serving/fuzz/sql_fuzz.cc), with the SQL token dictionary
#            src/serving/fuzz/sql.dict
#   pgwire   the PostgreSQL message decoder (src/pgwire/fuzz/pgwire_fuzz.cc)
#   events   the event parsers: NDJSON / JSON / compressed bodies, CSV with ParseTextValue, the
#            log payload decoder (src/ingest/fuzz/events_fuzz.cc)
#   wal      the log reader and recovery over a log directory built from the input
#            (src/log/fuzz/wal_fuzz.cc)
#   http     the HTTP request parser of the server (src/server/fuzz/http_fuzz.cc)
#   all      each of the six in turn, SECONDS each (so `all` takes 6 × SECONDS), going on after a
#            crash; the exit status is 1 when any target failed
# Seeds: the repository corpus tests/fuzz/corpus/<target>/ (read, never written) and the files
# the target's LaminarFuzzMakeSeeds writes (<target>_fuzz_seeds --make-seeds, into
# build/fuzz/seeds-<target>). New inputs libFuzzer finds go to build/fuzz/corpus-<target>; crashes
# to build/fuzz/artifacts-<target>/. A crash input is reproduced with the target binary and the
# file (e.g. build/fuzz/src/log/wal_fuzz FILE); to keep it as a regression seed, copy it into
# tests/fuzz/corpus/<target>/ (tests/fuzz/README.md).
# After each target one line for scripts to collect, as the standalone driver prints it:
#   fuzz: <target> <executions> executions in <s> s, <n> seeds
# (<executions> from libFuzzer's "Done N runs"; <n>: the files in the corpus directories it
# started from, what earlier runs found in build/fuzz/corpus-<target> included).
# libFuzzer's output goes to the terminal and to build/fuzz/<target>.log.
# FUZZ_BUILD_DIR overrides the build directory (default build/fuzz); JOBS the build's parallelism
# (default 2). Exit status: libFuzzer's for one target; for `all`, 0 only when every target passed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=300
target=parquet
all_targets=(parquet sql pgwire events wal http)
usage="usage: scripts/fuzz.sh [SECONDS] [--target parquet|sql|pgwire|events|wal|http|all] [libFuzzer flags...]"
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --target) target=${2:?--target needs one of: ${all_targets[*]} all}; shift 2 ;;
    --target=*) target=${1#--target=}; shift ;;
    *) extra+=("$1"); shift ;;
  esac
done

# The binary (under the build directory) and the libFuzzer flags of each target.
binary() {
  case "$1" in
    parquet) echo src/lake/parquet_fuzz ;;
    sql) echo src/serving/sql_fuzz ;;
    pgwire) echo src/pgwire/pgwire_fuzz ;;
    events) echo src/ingest/events_fuzz ;;
    wal) echo src/log/wal_fuzz ;;
    http) echo src/server/http_fuzz ;;
  esac
}
flags_of() {
  case "$1" in
    parquet) echo "-max_len=65536 -rss_limit_mb=2048 -timeout=20" ;;
    sql) echo "-max_len=4096 -rss_limit_mb=2048 -timeout=10 -dict=src/serving/fuzz/sql.dict" ;;
    pgwire) echo "-max_len=8192 -rss_limit_mb=2048 -timeout=10" ;;
    events) echo "-max_len=16384 -rss_limit_mb=2048 -timeout=10" ;;
    wal) echo "-max_len=16384 -rss_limit_mb=2048 -timeout=10" ;;
    http) echo "-max_len=8192 -rss_limit_mb=2048 -timeout=10" ;;
  esac
}

if [[ $target == all ]]; then
  targets=("${all_targets[@]}")
elif [[ -n $(binary "$target") ]]; then
  targets=("$target")
else
  echo "$usage" >&2
  exit 2
fi

out=${FUZZ_BUILD_DIR:-build/fuzz}
cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DLAMINAR_LIBFUZZER=ON \
  "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
  "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" >/dev/null
build_targets=()
for t in "${targets[@]}"; do build_targets+=("${t}_fuzz" "${t}_fuzz_seeds"); done
cmake --build "$out" -j "${JOBS:-2}" --target "${build_targets[@]}"

failed=0
for t in "${targets[@]}"; do
  bin=$out/$(binary "$t")
  corpus=$out/corpus-$t seeds=$out/seeds-$t artifacts=$out/artifacts-$t repo=tests/fuzz/corpus/$t
  mkdir -p "$corpus" "$seeds" "$artifacts"
  "${bin}_seeds" --make-seeds "$seeds" >/dev/null
  dirs=("$corpus" "$seeds")
  [[ -d $repo ]] && dirs+=("$repo")
  n_seeds=$(find "${dirs[@]}" -type f | wc -l)
  read -r -a flags <<<"$(flags_of "$t")"
  echo "== fuzz $t for $seconds s ($bin, $n_seeds seed files)"
  status=0
  "$bin" -max_total_time="$seconds" "${flags[@]}" -artifact_prefix="$artifacts/" \
    ${extra[@]+"${extra[@]}"} "${dirs[@]}" 2>&1 | tee "$out/$t.log" || status=$?
  # libFuzzer ends with "Done N runs in S second(s)".
  if done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$out/$t.log" | tail -1); then
    read -r _ runs _ _ secs _ <<<"$done_line"
    echo "fuzz: $t $runs executions in $secs s, $n_seeds seeds"
  else
    echo "fuzz: $t failed (exit status $status; see $out/$t.log and $artifacts/)"
  fi
  [[ $status -ne 0 ]] && failed=$status
done
if [[ ${#targets[@]} -gt 1 ]]; then
  [[ $failed -ne 0 ]] && exit 1
  exit 0
fi
exit "$failed"
