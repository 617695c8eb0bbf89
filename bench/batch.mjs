#!/usr/bin/env node
// Workload benchmark: the batch layer — a full batch run (seal the log, write the Parquet lake,
// build every view from the lake), an incremental run over new lake files, and query latency
// over batch versions — with DuckDB (the npm package in tests/oracle) on the same lake files as
// the peer.
//
//   node bench/batch.mjs [--events N] [--batch B] [--clients C] [--rate R] [--bin PATH]
//
//   --events   pageviews ingested before the full run (default 1000000); another 10% are
//              ingested before the incremental run
//   --batch    events per HTTP request (default 1000)
//   --clients  concurrent ingest clients (default 4)
//   --rate     event-time rate of `laminar gen pageviews`, events/s (default 100: 1M events span
//              ~2.8 h, so the lake has several hour partitions)
//   --bin      the laminar binary (default build/release/src/app/laminar)
//
// Workload: `laminar gen pageviews` events (seed 1) are posted as NDJSON to a server configured
// with `[batch] interval = 0` (no periodic runs: only the runs below build versions) and 8 MiB log
// segments (so sealed segments reach the lake while ingest runs). Catalog: the pageviews stream
// plus three views like the demo's: pv_minute (minute, url: count/avg/max/sum), pv_country_hourly
// (hour, country, device: count/count(referrer)/avg), status_codes (minute, status: count/min).
// Then: POST /v1/batch/run {"full": true}; DuckDB runs pv_minute's aggregation over the same lake
// files (row count checked against the view); 200 queries over HTTP against pv_minute (answered
// from the batch version); ingest 10% more and POST /v1/batch/run (incremental: previous
// version ⊕ new lake files).
//
// Prints one line per figure: "laminar ..." and "duckdb ..." from the same run.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync, readdirSync, statSync, readFileSync, openSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, freePort, sleep, pct } from './lib.mjs';

const args = parseArgs();
const EVENTS = Number(args.events ?? 1000000);
const EXTRA = Math.round(EVENTS / 10);
const BATCH = Number(args.batch ?? 1000);
const CLIENTS = Number(args.clients ?? 4);
const RATE = Number(args.rate ?? 100);
const BIN = args.bin ?? path.resolve('build/release/src/app/laminar');
const QUERIES = 200;
const PEER_QUERIES = 20;

const here = path.dirname(fileURLToPath(import.meta.url));
const oracle = path.join(here, '..', 'tests', 'oracle');

const fmtMs = (ms) => `${ms.toFixed(1)} ms`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'laminar-bench-batch-'));
const dataDir = path.join(dir, 'data');
let proc;
let logFile;
const cleanup = () => {
  if (proc && proc.exitCode === null) proc.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
};
process.on('uncaughtException', (e) => { console.error(e); dumpLog(); cleanup(); process.exit(1); });
process.on('unhandledRejection', (e) => { console.error(e); dumpLog(); cleanup(); process.exit(1); });
function dumpLog() {
  try { console.error('--- server log (tail) ---\n' + readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')); } catch {}
}

// Events: EVENTS + EXTRA lines from one generator run, cut into BATCH-line request bodies
// (zero-copy slices of the generator's output).
const gen = execFileSync(BIN, ['gen', 'pageviews', '--events', String(EVENTS + EXTRA), '--seed', '1',
  '--start', '2024-05-01T00:00:00Z', '--rate', String(RATE)], { maxBuffer: 1 << 30 });
const bodies = [];
for (let start = 0, n = 0, i = 0; i < gen.length; i++) {
  if (gen[i] !== 10) continue;
  if (++n === BATCH || bodies.length * BATCH + n === EVENTS || i === gen.length - 1) {
    bodies.push({ body: gen.subarray(start, i + 1), events: n });
    start = i + 1;
    n = 0;
  }
}
const firstBodies = [];
const extraBodies = [];
{
  let seen = 0;
  for (const b of bodies) { (seen < EVENTS ? firstBodies : extraBodies).push(b); seen += b.events; }
}

// Server.
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const cfg = path.join(dir, 'laminar.toml');
writeFileSync(cfg, '[batch]\ninterval = 0\n[log]\nsegment_max_bytes = 8388608\n');
logFile = path.join(dir, 'server.log');
const logFd = openSync(logFile, 'w');
proc = spawn(BIN, ['serve', '--config', cfg, '--data-dir', dataDir, '--http', `127.0.0.1:${port}`], { stdio: ['ignore', logFd, logFd] });
for (let tries = 0; ; tries++) {
  try { if ((await fetch(`${url}/healthz`)).ok) break; } catch {}
  if (proc.exitCode !== null || tries > 600) throw new Error('server did not start');
  await sleep(50);
}
const ddl = execFileSync(BIN, ['gen', 'pageviews', '--ddl']).toString() + `;
CREATE MATERIALIZED VIEW pv_minute AS
  SELECT date_trunc('minute', ts) AS minute, url, count(*) AS views, avg(latency_ms) AS avg_latency,
         max(latency_ms) AS max_latency, sum(bytes) AS bytes
  FROM pageviews GROUP BY 1, 2;
CREATE MATERIALIZED VIEW pv_country_hourly AS
  SELECT date_trunc('hour', ts) AS hour, country, device, count(*) AS views,
         count(referrer) AS referred, avg(latency_ms) AS avg_latency
  FROM pageviews GROUP BY 1, 2, 3;
CREATE MATERIALIZED VIEW status_codes AS
  SELECT date_trunc('minute', ts) AS minute, status, count(*) AS responses, min(latency_ms) AS min_latency
  FROM pageviews GROUP BY 1, 2;`;
{
  const r = await fetch(`${url}/v1/sql`, { method: 'POST', body: ddl });
  if (!r.ok) throw new Error(`DDL failed: ${r.status} ${await r.text()}`);
}

async function ingest(list) {
  const ackMs = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < list.length) {
      const { body } = list[next++];
      const s = performance.now();
      const r = await fetch(`${url}/v1/streams/pageviews/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
      const j = await r.json();
      if (!r.ok || j.rejected) throw new Error(`ingest: ${r.status} ${JSON.stringify(j)}`);
      ackMs.push(performance.now() - s);
    }
  }));
  const events = list.reduce((a, b) => a + b.events, 0);
  return { events, secs: (performance.now() - t0) / 1000, ackMs };
}

async function batchRun(body) {
  const s = performance.now();
  const r = await fetch(`${url}/v1/batch/run`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await r.text();
  const wallMs = performance.now() - s;
  if (!r.ok) {
    console.log(`laminar batch run ${JSON.stringify(body)} FAILED: HTTP ${r.status} ${text}`);
    dumpLog();
    throw new Error('batch run failed');
  }
  return { wallMs, j: JSON.parse(text) };
}

function lakeSize() {
  let bytes = 0, files = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.parquet')) { bytes += statSync(p).size; files++; }
    }
  };
  walk(path.join(dataDir, 'lake', 'pageviews'));
  return { bytes, files };
}
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;

// 1. Ingest.
{
  const { events, secs, ackMs } = await ingest(firstBodies);
  console.log(`laminar ingest: ${events} events in ${secs.toFixed(2)} s = ${Math.round(events / secs)} events/s (${CLIENTS} clients x ${BATCH}-event batches, fsync, 8 MiB segments); ack p50 ${fmtMs(pct(ackMs, 0.5))} p99 ${fmtMs(pct(ackMs, 0.99))}`);
}

// 2. Full batch run.
const full = await batchRun({ full: true });
{
  const { wallMs, j } = full;
  // The views of a stream are built in one pass over the lake files: build_ms is shared.
  const evRead = Math.max(...j.views.map((v) => v.events_read));
  const buildMs = Math.max(...j.views.map((v) => v.build_ms));
  console.log(`laminar batch run full: wall ${fmtMs(wallMs)} (server elapsed ${fmtMs(j.elapsed_ms)}; seals the open segment, commits it to the lake, builds ${j.views.length} views from the lake); log segments deleted ${j.log_segments_deleted}`);
  for (const v of j.views) {
    console.log(`laminar batch full view ${v.view}: build ${fmtMs(v.build_ms)}, events ${v.events}, rows ${v.rows}, files_read ${v.files_read}, events_read ${v.events_read} = ${Math.round(v.events_read / (v.build_ms / 1000))} events/s`);
  }
  console.log(`laminar batch full build: ${fmtMs(buildMs)} for ${j.views.length} views in one pass over ${evRead} events = ${Math.round(evRead / (buildMs / 1000))} events/s (DuckDB below runs one view's aggregation)`);
}
const fullRows = Object.fromEntries(full.j.views.map((v) => [v.view, v.rows]));

// Lake on disk.
const lake = lakeSize();
console.log(`laminar lake: ${lake.bytes} bytes (${mib(lake.bytes)}) in ${lake.files} Parquet files for ${EVENTS} events = ${(lake.bytes / EVENTS).toFixed(1)} bytes/event`);

// 4. Peer: DuckDB over the same lake files.
const require = createRequire(path.join(oracle, 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
const duck = await (await DuckDBInstance.create(':memory:')).connect();
const glob = path.join(dataDir, 'lake', 'pageviews', '*', '*', '*.parquet');
const read = `read_parquet('${glob}', hive_partitioning = true)`;
const peerAgg = `SELECT date_trunc('minute', ts) AS minute, url, count(*), avg(latency_ms), max(latency_ms), sum(bytes) FROM ${read} GROUP BY 1, 2`;
async function duckTimed(sql) {
  const s = performance.now();
  const r = await duck.runAndReadAll(sql);
  return { ms: performance.now() - s, r };
}
{
  const times = [];
  let rows = 0;
  for (let i = 0; i < 3; i++) {
    const { ms, r } = await duckTimed(peerAgg);
    times.push(ms);
    rows = r.getRows().length;
  }
  const best = Math.min(...times);
  console.log(`duckdb pv_minute aggregation over the lake (${lake.files} files, in process): best of 3 ${fmtMs(best)} (first ${fmtMs(times[0])}) = ${Math.round(EVENTS / (best / 1000))} events/s; rows ${rows}`);
  if (rows !== fullRows.pv_minute) console.log(`MISMATCH: duckdb rows ${rows} != laminar pv_minute rows ${fullRows.pv_minute}`);
  else console.log(`duckdb check: rows ${rows} == laminar pv_minute rows`);
}
{
  const out = path.join(dir, 'duck.parquet');
  const s = performance.now();
  await duck.run(`COPY (SELECT * FROM read_parquet('${glob}', hive_partitioning = false)) TO '${out}' (FORMAT parquet, COMPRESSION zstd)`);
  const ms = performance.now() - s;
  const bytes = statSync(out).size;
  console.log(`duckdb same rows as one zstd Parquet file: ${bytes} bytes (${mib(bytes)}) = ${(bytes / EVENTS).toFixed(1)} bytes/event (lake/duckdb ${(lake.bytes / bytes).toFixed(2)}x; written in ${fmtMs(ms)})`);
  rmSync(out, { force: true });
}

// 5. Query latency after the full run: answered from the batch version.
const topSql = 'SELECT url, sum(views) FROM pv_minute GROUP BY url ORDER BY 2 DESC LIMIT 10';
let lamTop;
{
  const qMs = [];
  let stats;
  for (let i = 0; i < QUERIES; i++) {
    const s = performance.now();
    const r = await fetch(`${url}/v1/query`, { method: 'POST', body: JSON.stringify({ sql: topSql }), headers: { 'content-type': 'application/json' } });
    const j = await r.json();
    if (!r.ok) throw new Error(`query: ${r.status} ${JSON.stringify(j)}`);
    qMs.push(performance.now() - s);
    stats = j.stats;
    lamTop = j.rows;
  }
  console.log(`laminar query (top urls over pv_minute, over HTTP, after the full run): p50 ${pct(qMs, 0.5).toFixed(2)} ms p99 ${pct(qMs, 0.99).toFixed(2)} ms (batch version ${stats.batch_version}, rows_from_batch ${stats.rows_from_batch}, rows_from_speed ${stats.rows_from_speed})`);
}
{
  const peerTop = `SELECT url, count(*) FROM ${read} GROUP BY url ORDER BY 2 DESC LIMIT 10`;
  const qMs = [];
  let rows;
  for (let i = 0; i < PEER_QUERIES; i++) {
    const { ms, r } = await duckTimed(peerTop);
    qMs.push(ms);
    rows = r.getRows();
  }
  console.log(`duckdb query (top urls over the raw lake files, in process): p50 ${pct(qMs, 0.5).toFixed(2)} ms (first ${qMs[0].toFixed(2)} ms)`);
  const a = lamTop.map((r) => Number(r[1])).join(',');
  const b = rows.map((r) => Number(r[1])).join(',');
  if (a !== b) console.log(`MISMATCH: top-10 counts laminar [${a}] vs duckdb [${b}]`);
}

// 3. Incremental run after another 10% of events.
{
  const { events, secs } = await ingest(extraBodies);
  console.log(`laminar ingest (incremental part): ${events} events in ${secs.toFixed(2)} s = ${Math.round(events / secs)} events/s`);
  const { wallMs, j } = await batchRun({});
  console.log(`laminar batch run incremental: wall ${fmtMs(wallMs)} (server elapsed ${fmtMs(j.elapsed_ms)}); log segments deleted ${j.log_segments_deleted}`);
  for (const v of j.views) {
    const note = v.events_read === events ? 'only the new events' : `MISMATCH: expected ${events} new events`;
    console.log(`laminar batch incremental view ${v.view}: build ${fmtMs(v.build_ms)}, full ${v.full}, files_read ${v.files_read}, events_read ${v.events_read} (${note}), events ${v.events}, rows ${v.rows}`);
  }
  const after = lakeSize();
  const r = await duck.runAndReadAll(`SELECT count(*) FROM (${peerAgg})`);
  const peerRows = Number(r.getRows()[0][0]);
  const lamRows = j.views.find((v) => v.view === 'pv_minute').rows;
  if (peerRows !== lamRows) console.log(`MISMATCH: after the incremental run duckdb rows ${peerRows} != laminar pv_minute rows ${lamRows}`);
  else console.log(`duckdb check after the incremental run: rows ${peerRows} == laminar pv_minute rows (lake now ${after.files} files, ${mib(after.bytes)})`);
}

duck.closeSync?.();
proc.kill('SIGTERM');
await new Promise((res) => { if (proc.exitCode !== null) res(); else proc.once('exit', res); });
rmSync(dir, { recursive: true, force: true });
