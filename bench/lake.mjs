#!/usr/bin/env node
// Workload benchmark: the open lake — bringing files in (`laminar lake attach` of a Parquet file
// written by DuckDB, `laminar ingest` of Parquet and gzip CSV through the live path), and a lake in
// S3 (a batch run that commits to a local S3 server) against the same run on a local lake. DuckDB
// (the npm package in tests/oracle) loads the same files as the peer.
//
//   node bench/lake.mjs [--rows N] [--bin PATH]
//
//   --rows  rows in the generated files (default 1000000)
//   --bin   the laminar binary (default build/release/src/app/laminar)
//
// Files: DuckDB writes N pageview-like rows (ts TIMESTAMP, user_id, url, country VARCHAR,
// latency_ms DOUBLE, status INTEGER) as Parquet (ZSTD) and as gzip CSV. Laminar: a server with
// `[batch] interval = 0`; POST /v1/lake/attach of the Parquet file (read, convert, write the lake
// files per hour, commit); `laminar ingest` of the Parquet file and of the CSV (HTTP, 10,000 rows
// per request). DuckDB: CREATE TABLE AS SELECT * FROM read_parquet / read_csv of the same files.
// S3: the same stream with `[lake] url = "s3://…"` against tests/s3/s3_server.mjs (signature
// checks on, no faults): ingest N/4 rows, then POST /v1/batch/run (seal, write, upload, commit
// the manifest, build a view), against the same on a local lake.
//
// Prints one line per figure: "laminar ..." and "duckdb ..." from the same run.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, startServer as startBenchServer } from './lib.mjs';

const args = parseArgs();
const ROWS = Number(args.rows ?? 1000000);
const BIN = args.bin ?? path.resolve('build/release/src/app/laminar');
const here = path.dirname(fileURLToPath(import.meta.url));
const oracle = path.join(here, '..', 'tests', 'oracle');

const now = () => performance.now();
const rate = (n, ms) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} rows/s`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'laminar-bench-lake-'));
const DDL = `CREATE TABLE pv (ts timestamptz NOT NULL, user_id text, url text, country text,
  latency_ms double precision, status bigint)`;
const VIEW = `CREATE MATERIALIZED VIEW pv_country AS SELECT country, count(*) AS n, avg(latency_ms) AS lat
  FROM pv GROUP BY country`;

const startServer = (name, extraConfig = '') =>
  startBenchServer({ bin: BIN, dir, name, config: `[batch]\ninterval = 0\n${extraConfig}` });

function runCli(argv) {
  const t = now();
  execFileSync(BIN, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  return now() - t;
}

async function main() {
  const require = createRequire(path.join(oracle, 'package.json'));
  const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const pq = path.join(dir, 'pv.parquet');
  const csv = path.join(dir, 'pv.csv.gz');
  const gen = `SELECT TIMESTAMP '2026-11-20 00:00:00' + INTERVAL (i * 37 % 172800) SECOND AS ts,
      'u' || (i * 7919 % 50000) AS user_id, '/p/' || (i * 31 % 2000) AS url,
      ['de','fr','us','jp','br','in'][(i % 6) + 1] AS country, (i * 13 % 5000) / 10.0 AS latency_ms,
      [200, 200, 200, 304, 404, 500][(i % 6) + 1]::INTEGER AS status FROM range(${ROWS}) t(i)`;
  await con.run(`COPY (${gen}) TO '${pq}' (FORMAT parquet, COMPRESSION zstd)`);
  await con.run(`COPY (${gen}) TO '${csv}' (FORMAT csv, HEADER true, COMPRESSION gzip)`);
  console.log(`files: ${ROWS.toLocaleString('en-US')} rows; parquet (zstd) ${(statSync(pq).size / 1e6).toFixed(1)} MB, csv.gz ${(statSync(csv).size / 1e6).toFixed(1)} MB`);

  // DuckDB loads the same files into a table.
  const duck = async (sql) => { const t = now(); await con.run(sql); return now() - t; };
  const dPq = await duck(`CREATE TABLE a AS SELECT * FROM read_parquet('${pq}')`);
  const dCsv = await duck(`CREATE TABLE b AS SELECT * FROM read_csv('${csv}', header = true)`);

  // Laminar: attach, and ingest through the live path.
  const srv = await startServer('local');
  await srv.post('/v1/sql', `${DDL}; ${VIEW}`, 'application/sql');
  let t = now();
  const att = await srv.post('/v1/lake/attach', { stream: 'pv', path: pq });
  const attachMs = now() - t;
  const ingPq = runCli(['ingest', 'pv', pq, '--http', `127.0.0.1:${srv.port}`, '--batch', '10000', '--quiet']);
  const ingCsv = runCli(['ingest', 'pv', csv, '--http', `127.0.0.1:${srv.port}`, '--batch', '10000', '--quiet']);
  t = now();
  await srv.post('/v1/batch/run', {});
  const localRunMs = now() - t;
  await srv.stop();

  console.log(`laminar lake attach (parquet zstd → lake, then batch): ${attachMs.toFixed(0)} ms, ${rate(att.rows, attachMs)} (${att.files.length} lake files)`);
  console.log(`laminar ingest parquet (HTTP, log → speed → lake): ${ingPq.toFixed(0)} ms, ${rate(ROWS, ingPq)}`);
  console.log(`laminar ingest csv.gz (HTTP, log → speed → lake): ${ingCsv.toFixed(0)} ms, ${rate(ROWS, ingCsv)}`);
  console.log(`duckdb load parquet into a table: ${dPq.toFixed(0)} ms, ${rate(ROWS, dPq)}`);
  console.log(`duckdb load csv.gz into a table: ${dCsv.toFixed(0)} ms, ${rate(ROWS, dCsv)}`);
  console.log(`laminar batch run over ${(2 * ROWS).toLocaleString('en-US')} new logged rows, local lake: ${localRunMs.toFixed(0)} ms`);

  // The lake in S3 against a local lake: the same ingest, then one batch run each.
  const s3proc = spawn(process.execPath, [path.join(here, '..', 'tests', 's3', 's3_server.mjs'), '--port', '0',
    '--dir', path.join(dir, 's3'), '--bucket', 'lake', '--access-key', 'AKIDBENCH', '--secret-key', 'bench-secret'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise((res) => { let o = ''; s3proc.stdout.on('data', (d) => { o += d; if (o.includes('\n')) res(JSON.parse(o)); }); });
  const quarter = Math.round(ROWS / 4);
  const runs = {};
  for (const [name, extra] of [['local2', ''], ['s3', `[lake]\nurl = "s3://lake/bench"\nendpoint = "http://127.0.0.1:${ready.port}"\naccess_key_id = "AKIDBENCH"\nsecret_access_key = "bench-secret"\n`]]) {
    const s = await startServer(name, extra);
    await s.post('/v1/sql', `${DDL}; ${VIEW}`, 'application/sql');
    const rows = (await con.runAndReadAll(`SELECT epoch_ms(ts) AS ts, user_id, url, country, latency_ms, status FROM a LIMIT ${quarter}`)).getRowObjects();
    for (let i = 0; i < rows.length; i += 10000) {
      const body = rows.slice(i, i + 10000).map((r) => JSON.stringify({ ...r, ts: Number(r.ts), status: Number(r.status) })).join('\n');
      await s.post('/v1/streams/pv/events', body, 'application/x-ndjson');
    }
    t = now();
    await s.post('/v1/batch/run', {});
    runs[name] = now() - t;
    await s.stop();
  }
  s3proc.kill('SIGTERM');
  console.log(`laminar batch run (seal, write, commit, build) over ${quarter.toLocaleString('en-US')} rows: local lake ${runs.local2.toFixed(0)} ms, S3 lake (s3rver, SigV4 checked) ${runs.s3.toFixed(0)} ms`);
}

main().then(() => rmSync(dir, { recursive: true, force: true }), (e) => {
  console.error(e);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
