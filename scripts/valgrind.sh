#!/usr/bin/env bash
# Runs every unit-test binary of a plain (non-sanitized) build under valgrind memcheck.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
command -v valgrind >/dev/null || apt-get install -y -qq valgrind
scripts/build.sh release
status=0
for t in build/release/src/*/*_test; do
  echo "== valgrind $t"
  valgrind --error-exitcode=9 --leak-check=full --quiet "$t" --gtest_brief=1 || status=1
done
exit $status
