// The peers of the suite: a PostgreSQL 15 cluster started on loopback (Debian's server, run as
// the postgres user, fsync and synchronous_commit on as shipped), and the DuckDB SQL that loads
// and aggregates the same pageviews.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../lib.mjs';

const PGBIN = '/usr/lib/postgresql/15/bin';

// Starts a throw-away cluster in a directory of its own under the system's temporary directory
// (readable by the postgres user, whatever the suite's own directory allows); resolves {port,
// connect(), query(sql), exchangeDir (files the server may read with COPY FROM), stop()}.
export async function startPostgres() {
  const top = mkdtempSync(path.join(os.tmpdir(), 'laminar-bench-pg-'));
  chmodSync(top, 0o755);
  const data = path.join(top, 'data');
  mkdirSync(data);
  const asPostgres = process.getuid() === 0;
  const run = (argv) => {
    const r = asPostgres ? spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', argv.map((a) => `'${a}'`).join(' ')], { encoding: 'utf8' })
      : spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}${r.stdout}`);
  };
  if (asPostgres) {
    const { uid, gid } = statSync('/var/lib/postgresql');
    chownSync(data, uid, gid);
  }
  const port = await freePort();
  run([`${PGBIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  run([`${PGBIN}/pg_ctl`, '-D', data, '-w', '-l', path.join(data, 'server.log'), '-o',
    `-p ${port} -k ${data} -c listen_addresses=127.0.0.1 -c max_connections=64 -c shared_buffers=512MB`, 'start']);
  const connect = async () => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await c.connect();
    return c;
  };
  const admin = await connect();
  return {
    port, connect, exchangeDir: top,
    query: (sql) => admin.query(sql),
    pid: () => Number(execFileSync('head', ['-1', path.join(data, 'postmaster.pid')]).toString()),
    stop: async () => {
      await admin.end().catch(() => {});
      run([`${PGBIN}/pg_ctl`, '-D', data, '-m', 'fast', '-w', 'stop']);
      rmSync(top, { recursive: true, force: true });
    },
  };
}

// The columns of `laminar gen pageviews` as DuckDB's read_json takes them.
export const DUCK_COLUMNS = `{ts: 'TIMESTAMPTZ', user_id: 'VARCHAR', session_id: 'VARCHAR', url: 'VARCHAR',
  referrer: 'VARCHAR', country: 'VARCHAR', device: 'VARCHAR', browser: 'VARCHAR', status: 'BIGINT',
  latency_ms: 'DOUBLE', bytes: 'BIGINT'}`;

// The views every Laminar server of the suite defines over a pageviews stream `s`, and the same
// aggregations as plain SQL over a relation (the peers' aggregate tables: an average is kept as
// sum and count, so that it re-aggregates exactly).
export const views = (s) => `
CREATE MATERIALIZED VIEW ${s}_hourly AS SELECT date_trunc('hour', ts) AS hour, url, count(*) AS views,
  avg(latency_ms) AS latency, sum(bytes) AS bytes FROM ${s} GROUP BY 1, 2;
CREATE MATERIALIZED VIEW ${s}_country AS SELECT date_trunc('hour', ts) AS hour, country, device,
  count(*) AS views, count(referrer) AS referred, max(latency_ms) AS max_latency FROM ${s} GROUP BY 1, 2, 3;
CREATE MATERIALIZED VIEW ${s}_status AS SELECT date_trunc('minute', ts) AS minute, status,
  count(*) AS responses, min(latency_ms) AS min_latency FROM ${s} GROUP BY 1, 2`;
export const peerAggregates = (from) => [
  ['hourly', `SELECT date_trunc('hour', ts) AS hour, url, count(*) AS views, sum(latency_ms) AS latency_sum,
    count(latency_ms) AS latency_n, sum(bytes) AS bytes FROM ${from} GROUP BY 1, 2`],
  ['country', `SELECT date_trunc('hour', ts) AS hour, country, device, count(*) AS views,
    count(referrer) AS referred, max(latency_ms) AS max_latency FROM ${from} GROUP BY 1, 2, 3`],
  ['status', `SELECT date_trunc('minute', ts) AS minute, status, count(*) AS responses,
    min(latency_ms) AS min_latency FROM ${from} GROUP BY 1, 2`],
];
