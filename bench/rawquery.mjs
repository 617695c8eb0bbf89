#!/usr/bin/env node
// Workload benchmark: SQL over raw events (not a view). Laminar answers from its lake (Parquet,
// one file per event hour) plus the log tail above it; DuckDB (the npm package in tests/oracle)
// answers the same SQL over the same Parquet file plus the same tail, read in place — the peer an
// analyst would otherwise point at the lake.
//
//   node bench/rawquery.mjs [--rows N] [--tail T] [--reps R] [--bin PATH]
//
//   --rows  rows in the lake (default 2000000, over 48 event hours)
//   --tail  rows ingested after the batch run, answered from the log (default 50000)
//   --reps  timed runs per query, the median is printed (default 5, after one warm-up run)
//   --bin   the laminar binary (default build/release/src/app/laminar)
//   --only  run only the queries whose name contains this text
//
// Data: DuckDB writes N pageview-like rows (ts, user_id, url, country, latency_ms, status) as
// Parquet (ZSTD); Laminar attaches it (`POST /v1/lake/attach`: converted into its lake files,
// committed); then T more rows are POSTed as events (the log tail, never batched: `[batch]
// interval = 0`) and written by DuckDB as a second Parquet file for the peer. A dimension table
// of countries is loaded with COPY (Laminar) and CREATE TABLE (DuckDB).
//
// Each query prints one line: Laminar's median over HTTP (POST /v1/query, JSON answer), DuckDB's
// median in-process, the ratio, and what Laminar's stats say it read (lake files and row groups
// skipped). The answers of both are compared first: a mismatch stops the benchmark.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, pct, startServer as startBenchServer } from './lib.mjs';

const args = parseArgs();
const ROWS = Number(args.rows ?? 2000000);
const TAIL = Number(args.tail ?? 50000);
const REPS = Number(args.reps ?? 5);
const BIN = args.bin ?? path.resolve('build/release/src/app/laminar');
const ONLY = args.only ?? '';
const here = path.dirname(fileURLToPath(import.meta.url));
const oracle = path.join(here, '..', 'tests', 'oracle');
const now = () => performance.now();
const dir = mkdtempSync(path.join(os.tmpdir(), 'laminar-bench-rawquery-'));

const HOUR = 3600;
const T0 = '2026-11-20 00:00:00';
// Row i of the data set (DuckDB SQL over range(...) t(i)); `off` shifts the rows of the tail.
const gen = (n, off) => `SELECT TIMESTAMP '${T0}' + INTERVAL ((i * 37) % ${48 * HOUR}) SECOND AS ts,
    'u' || ((i * 7919) % 50000) AS user_id, '/p/' || ((i * 31) % 2000) AS url,
    ['de','fr','us','jp','br','in','it'][(i % 7) + 1] AS country, ((i * 13) % 5000) / 10.0 AS latency_ms,
    [200, 200, 200, 304, 404, 500][(i % 6) + 1]::BIGINT AS status FROM range(${off}, ${off + n}) t(i)`;

// The queries: name, SQL (the same text for both; `pv` is the stream in Laminar, a view over both
// files in DuckDB).
const FROM_TS = '2026-11-21 10:00:00';
const TO_TS = '2026-11-21 12:00:00';
const QUERIES = [
  ['count(*)', 'SELECT count(*) AS n FROM pv'],
  ['group by country: count, avg, max', 'SELECT country, count(*) AS n, avg(latency_ms) AS lat, max(latency_ms) AS mx FROM pv GROUP BY country ORDER BY country'],
  ['2 event hours of 48 (pruned), group by status',
    `SELECT status, count(*) AS n FROM pv WHERE ts >= TIMESTAMP '${FROM_TS}' AND ts < TIMESTAMP '${TO_TS}' GROUP BY status ORDER BY status`],
  ['filter + expressions, group by 2 keys',
    "SELECT date_trunc('hour', ts) AS h, CASE WHEN status >= 400 THEN 'error' ELSE 'ok' END AS k, count(*) AS n FROM pv WHERE lower(country) LIKE '%r%' GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 20"],
  ['count(DISTINCT user_id) by url, top 10',
    'SELECT url, count(DISTINCT user_id) AS users FROM pv GROUP BY url ORDER BY users DESC, url LIMIT 10'],
  ['exact percentile_cont(0.99) by country',
    'SELECT country, percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99 FROM pv GROUP BY country ORDER BY country'],
  ['join with a dimension table, group by region',
    'SELECT d.region, count(*) AS n, avg(p.latency_ms) AS lat FROM pv p JOIN countries d ON p.country = d.code GROUP BY d.region ORDER BY d.region'],
  ['ORDER BY latency_ms DESC LIMIT 5 (top-k)', 'SELECT user_id, latency_ms FROM pv ORDER BY latency_ms DESC, user_id LIMIT 5'],
];

const startServer = () => startBenchServer({ bin: BIN, dir, name: 'data',
  config: '[batch]\ninterval = 0\n[query]\ntimeout_seconds = 600\nmax_memory_mb = 4096\n' });

const median = (xs) => pct(xs, 0.5);
// Numbers rounded so that float sums added in a different order compare equal.
const norm = (rows) => JSON.stringify(rows.map((r) => r.map((v) => {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number(v.toPrecision(9));
  if (v && typeof v === 'object' && 'micros' in v) return Number(v.micros) / 1e6;  // DuckDB timestamp
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d/.test(v)) return Date.parse(v.replace(' ', 'T').replace(/(\+00(:00)?|Z)?$/, 'Z')) / 1000;
  return v;
})));

async function main() {
  const require = createRequire(path.join(oracle, 'package.json'));
  const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const lakePq = path.join(dir, 'pv.parquet');
  const tailPq = path.join(dir, 'tail.parquet');
  const dimCsv = path.join(dir, 'countries.csv');
  await con.run(`COPY (${gen(ROWS, 0)}) TO '${lakePq}' (FORMAT parquet, COMPRESSION zstd)`);
  await con.run(`COPY (${gen(TAIL, ROWS)}) TO '${tailPq}' (FORMAT parquet, COMPRESSION zstd)`);
  writeFileSync(dimCsv, 'code,region\nde,europe\nfr,europe\nit,europe\nus,americas\nbr,americas\njp,asia\n');
  await con.run(`CREATE VIEW pv AS SELECT * FROM read_parquet(['${lakePq}', '${tailPq}'])`);
  await con.run(`CREATE TABLE countries AS SELECT * FROM read_csv('${dimCsv}', header = true)`);
  console.log(`data: ${ROWS.toLocaleString('en-US')} lake rows (parquet zstd ${(statSync(lakePq).size / 1e6).toFixed(1)} MB, 48 event hours) + ${TAIL.toLocaleString('en-US')} log-tail rows; ${REPS} timed runs per query, median`);

  const srv = await startServer();
  try {
    await srv.post('/v1/sql', `CREATE TABLE pv (ts timestamptz NOT NULL, user_id text, url text, country text,
      latency_ms double precision, status bigint);
      CREATE TABLE countries (code text NOT NULL, region text) WITH (kind = 'dimension');
      COPY countries FROM '${dimCsv}' WITH (FORMAT csv, HEADER true)`, 'application/sql');
    let t = now();
    const att = await srv.post('/v1/lake/attach', { stream: 'pv', path: lakePq });
    console.log(`laminar lake attach: ${(now() - t).toFixed(0)} ms, ${att.files.length} lake files`);
    const tail = (await con.runAndReadAll(`SELECT epoch_ms(ts) AS ts, user_id, url, country, latency_ms, status FROM read_parquet('${tailPq}')`)).getRowObjects();
    for (let i = 0; i < tail.length; i += 10000) {
      const body = tail.slice(i, i + 10000).map((r) => JSON.stringify({ ...r, ts: Number(r.ts), status: Number(r.status) })).join('\n');
      await srv.post('/v1/streams/pv/events', body, 'application/x-ndjson');
    }

    const ratios = [];
    for (const [name, sql] of QUERIES.filter(([n]) => n.includes(ONLY))) {
      const lam = await srv.post('/v1/query', { sql });
      const duckRes = await con.runAndReadAll(sql);
      const a = norm(lam.rows);
      const b = norm(duckRes.getRows());
      if (a !== b) throw new Error(`answers differ for ${name}:\n laminar ${a.slice(0, 400)}\n duckdb  ${b.slice(0, 400)}`);
      const st = lam.stats ?? {};
      if (st.log_rows !== undefined && st.log_rows + st.lake_rows < 1) throw new Error(`${name}: nothing read`);
      const lt = []; const dt = [];
      for (let r = 0; r < REPS; r++) {
        t = now(); await srv.post('/v1/query', { sql }); lt.push(now() - t);
        t = now(); await con.runAndReadAll(sql); dt.push(now() - t);
      }
      const l = median(lt); const d = median(dt);
      ratios.push(l / d);
      const read = `lake files ${st.lake_files - st.lake_files_skipped}/${st.lake_files}, row groups ${st.row_groups - st.row_groups_skipped}/${st.row_groups}, rows lake ${st.lake_rows} + log ${st.log_rows}`;
      console.log(`${name}: laminar ${l.toFixed(1)} ms, duckdb ${d.toFixed(1)} ms (x${(l / d).toFixed(1)}); read ${read}`);
    }
    const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
    console.log(`geometric mean laminar/duckdb: x${geo.toFixed(2)} (DuckDB: in-process, multi-threaded on ${os.cpus().length} cores; Laminar: over HTTP, one thread per query)`);
  } finally {
    await srv.stop();
  }
}

main().then(() => rmSync(dir, { recursive: true, force: true }), (e) => {
  console.error(e);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
