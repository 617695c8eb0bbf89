#!/usr/bin/env bash
# scripts/build.sh [release|test|tsan]: configures and builds into build/<kind>.
#   release: optimised (the demo and benchmarks)   test: ASan + UBSan (the test suite)
#   tsan:    ThreadSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  test) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DLAMINAR_SANITIZE=ON) ;;
  tsan) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DLAMINAR_TSAN=ON) ;;
  *) echo "usage: scripts/build.sh [release|test|tsan]" >&2; exit 2 ;;
esac
cmake -S . -B "build/$kind" -G Ninja "${flags[@]}" >/dev/null
cmake --build "build/$kind" -j "$(nproc)"
