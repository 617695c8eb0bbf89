#!/usr/bin/env bash
# Builds Laminar (release) and runs `laminar demo`: embedded defaults, sample events flowing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release
exec build/release/src/app/laminar demo "$@"
