#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds with ASan + UBSan, runs unit and
# end-to-end tests with ctest (the last line shows the counts).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh test
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd build/test
log=$(mktemp)
set +e
ctest --output-on-failure -j 2 --timeout 900 "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# ctest's own summary ("100% tests passed, 0 tests failed out of N") is followed by timing lines;
# repeat the counts as the last line.
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
rm -f "$log"
if [ -n "$summary" ]; then
  failed=$(echo "$summary" | sed -E 's/.*passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
  total=$(echo "$summary" | sed -E 's/.*failed out of ([0-9]+).*/\1/')
  echo "ctest: $((total - failed)) passed, $failed failed"
fi
exit "$rc"
