#!/usr/bin/env bash
# Installs what building and testing Laminar needs on Debian 12 (apt; Node from Debian when
# missing). Idempotent: skips apt when every package is present already.
set -euo pipefail
PKGS=(g++ cmake ninja-build pkg-config libboost-dev libsimdjson-dev libpg-query-dev
  libabsl-dev tzdata libzstd-dev liblz4-dev libsnappy-dev libxxhash-dev libfmt-dev libspdlog-dev
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev zlib1g-dev libre2-dev libssl-dev libcurl4-openssl-dev librdkafka-dev kcat openssl
  thrift-compiler libthrift-dev libpq-dev libgtest-dev libgmock-dev libbenchmark-dev postgresql-client sqlite3 curl ca-certificates
  python3-psycopg2 python3-sqlalchemy pgcli libpostgresql-jdbc-java openjdk-17-jdk-headless)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! command -v node >/dev/null 2>&1; then
  echo "setup: installing Debian's nodejs and npm"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
# Test oracles from npm (DuckDB reads and writes Parquet), pinned by package-lock.json.
if [ ! -d tests/oracle/node_modules/@duckdb/node-api ] || [ ! -d tests/oracle/node_modules/s3rver ]; then
  (cd "$(dirname "$0")/../tests/oracle" && npm ci --no-audit --no-fund --loglevel=error)
fi
# The benchmark suite's PostgreSQL client (bench/run; its smoke test runs in the suite).
if [ ! -d bench/node_modules/pg ]; then
  (cd "$(dirname "$0")/../bench" && npm ci --no-audit --no-fund --loglevel=error)
fi
