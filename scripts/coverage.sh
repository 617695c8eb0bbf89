#!/usr/bin/env bash
# scripts/coverage.sh [ctest args...]: line coverage of the engine's core (src/log, src/lake,
# src/batch, src/speed, src/engine) by the whole test suite. Builds into build/coverage with gcc
# --coverage (no sanitizers, -O0), runs ctest (every test unless other arguments are given, e.g.
# -L unit; the kill loop at 50 cycles), then gcovr: the per-module summary is written to
# build/coverage/coverage.txt (read by scripts/reliability_figures.mjs) and an HTML report to
# build/coverage/html/. Installs gcovr (Debian) when missing. About 25 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if ! command -v gcovr >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends gcovr
fi
out=build/coverage
cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS=--coverage -O0" \
  "-DCMAKE_C_FLAGS=--coverage -O0" "-DCMAKE_EXE_LINKER_FLAGS=--coverage" >/dev/null
cmake --build "$out" -j "$(nproc)"
find "$out" -name '*.gcda' -delete
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(-E '^$')
export LAMINAR_KILL_CYCLES=${LAMINAR_KILL_CYCLES:-50} LAMINAR_KILL_EVENTS=${LAMINAR_KILL_EVENTS:-250000}
(cd "$out" && ctest -j "$(nproc)" --timeout 1800 "${args[@]}" >"ctest.log" 2>&1) || echo "coverage: some tests failed (see $out/ctest.log); the report covers what ran"
mkdir -p "$out/html"
summary="$out/coverage.txt"
echo "coverage: measured at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown) by scripts/coverage.sh" >"$summary"
for m in log lake batch speed engine; do
  line=$(gcovr -r . --object-directory "$out" --filter "src/$m/" --exclude '.*_test\.cc' --exclude '.*/fuzz/.*' \
    --print-summary --txt "$out/coverage-$m.txt" 2>/dev/null | grep -E '^lines:' || true)
  echo "coverage: src/$m $line" | tee -a "$summary"
done
gcovr -r . --object-directory "$out" --filter 'src/(log|lake|batch|speed|engine)/' --exclude '.*_test\.cc' \
  --exclude '.*/fuzz/.*' --html-details "$out/html/index.html" --print-summary 2>/dev/null |
  grep -E '^lines:' | sed 's/^/coverage: all five /' | tee -a "$summary"
echo "coverage: report in $out/html/index.html"
