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
ctest --output-on-failure -j 2 --timeout 900 "$@"
