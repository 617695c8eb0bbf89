#!/usr/bin/env bash
# Builds with ThreadSanitizer and runs the unit tests (the concurrent ones matter most) and the
# end-to-end tests against the TSan binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh tsan
cd build/tsan
TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1} ctest --output-on-failure -j 2 "$@"
