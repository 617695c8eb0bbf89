#!/usr/bin/env node
// Workload benchmark: ingest throughput and ack latency over HTTP (fsync group commit), and query
// latency over a view — with sqlite3 (Debian's CLI) on the same events as the peer.
//
//   node bench/ingest_query.mjs [--events N] [--batch B] [--clients C] [--bin PATH]
//
// Prints one line per figure: "laminar ..." and "sqlite3 ..." from the same run.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, freePort, sleep, pct } from './lib.mjs';

const args = parseArgs();
const EVENTS = Number(args.events ?? 200000);
const BATCH = Number(args.batch ?? 1000);
const CLIENTS = Number(args.clients ?? 8);
const BIN = args.bin ?? path.resolve('build/release/src/app/laminar');
const QUERIES = 200;


const dir = mkdtempSync(path.join(os.tmpdir(), 'laminar-bench-'));
const lines = execFileSync(BIN, ['gen', 'pageviews', '--events', String(EVENTS), '--seed', '1', '--start', '2024-05-01T00:00:00Z', '--rate', '2000'], { maxBuffer: 1 << 30 }).toString().trim().split('\n');
const batches = [];
for (let i = 0; i < lines.length; i += BATCH) batches.push(lines.slice(i, i + BATCH).join('\n') + '\n');

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const proc = spawn(BIN, ['serve', '--data-dir', path.join(dir, 'data'), '--http', `127.0.0.1:${port}`], { stdio: 'ignore' });
for (;;) { try { if ((await fetch(`${url}/healthz`)).ok) break; } catch {} await sleep(50); }
const ddl = execFileSync(BIN, ['gen', 'pageviews', '--ddl']).toString() + `
CREATE MATERIALIZED VIEW by_url AS SELECT date_trunc('minute', ts) AS minute, url, count(*) AS views, avg(latency_ms) AS latency FROM pageviews GROUP BY 1, 2;
CREATE MATERIALIZED VIEW by_country AS SELECT date_trunc('hour', ts) AS hour, country, device, count(*) AS views, sum(bytes) AS bytes FROM pageviews GROUP BY 1, 2, 3;`;
await fetch(`${url}/v1/sql`, { method: 'POST', body: ddl });

// Ingest.
const ackMs = [];
let next = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: CLIENTS }, async () => {
  while (next < batches.length) {
    const body = batches[next++];
    const s = performance.now();
    const r = await fetch(`${url}/v1/streams/pageviews/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    const j = await r.json();
    if (j.rejected) throw new Error(JSON.stringify(j.errors[0]));
    ackMs.push(performance.now() - s);
  }
}));
const secs = (performance.now() - t0) / 1000;
console.log(`laminar ingest: ${EVENTS} events in ${secs.toFixed(2)} s = ${Math.round(EVENTS / secs)} events/s (fsync per group commit; ${CLIENTS} clients x ${BATCH}-event batches); ack p50 ${pct(ackMs, 0.5).toFixed(1)} ms p99 ${pct(ackMs, 0.99).toFixed(1)} ms`);

// Queries.
const sql = 'SELECT url, sum(views) AS views, avg(latency) AS latency FROM by_url GROUP BY url ORDER BY views DESC LIMIT 10';
const qMs = [];
for (let i = 0; i < QUERIES; i++) {
  const s = performance.now();
  const r = await fetch(`${url}/v1/query`, { method: 'POST', body: JSON.stringify({ sql }), headers: { 'content-type': 'application/json' } });
  await r.json();
  qMs.push(performance.now() - s);
}
console.log(`laminar query (top urls over the per-minute view, over HTTP): p50 ${pct(qMs, 0.5).toFixed(2)} ms p99 ${pct(qMs, 0.99).toFixed(2)} ms`);
proc.kill('SIGTERM');

// Peer: sqlite3 on the same events, durable file database (synchronous=FULL), one transaction
// per batch of the same size, then the same question over the raw table.
const json = path.join(dir, 'events.json');
writeFileSync(json, '[' + lines.join(',') + ']');
const db = path.join(dir, 'peer.db');
const script = `PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
CREATE TABLE pv (ts TEXT, user_id TEXT, session_id TEXT, url TEXT, referrer TEXT, country TEXT, device TEXT, browser TEXT, status INTEGER, latency_ms REAL, bytes INTEGER);
CREATE TEMP TABLE raw AS SELECT value AS j FROM json_each(readfile('${json}'));
.timer on
${Array.from({ length: Math.ceil(EVENTS / BATCH) }, (_, i) => `INSERT INTO pv SELECT json_extract(j,'$.ts'),json_extract(j,'$.user_id'),json_extract(j,'$.session_id'),json_extract(j,'$.url'),json_extract(j,'$.referrer'),json_extract(j,'$.country'),json_extract(j,'$.device'),json_extract(j,'$.browser'),json_extract(j,'$.status'),json_extract(j,'$.latency_ms'),json_extract(j,'$.bytes') FROM raw WHERE rowid > ${i * BATCH} AND rowid <= ${(i + 1) * BATCH};`).join('\n')}
SELECT url, count(*) AS views, avg(latency_ms) FROM pv GROUP BY url ORDER BY views DESC LIMIT 10;
`;
const out = execFileSync('sqlite3', [db], { input: script, maxBuffer: 1 << 28 }).toString();
const times = [...out.matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]));
const insertSecs = times.slice(0, -1).reduce((a, b) => a + b, 0);
console.log(`sqlite3 ingest (same events, ${BATCH}-row transactions, WAL + synchronous=FULL, from pre-parsed JSON): ${Math.round(EVENTS / insertSecs)} events/s`);
console.log(`sqlite3 query (top urls over the raw table, in process): ${(times.at(-1) * 1000).toFixed(2)} ms`);
rmSync(dir, { recursive: true, force: true });
