// W1 (bulk ingest), W2 (streaming ingest) and W3 (freshness under W2's load).
//
// W1: the data set as NDJSON over HTTP in 10,000-event requests from 4 connections into the
//     "main" server (pageviews and its three views; fsync before every ack), against DuckDB's
//     read_json of the same file into a table of a file database (then CHECKPOINT).
// W2: up to 1,000,000 of the events in 100-event requests from 16 connections (2 worker threads)
//     into a fresh server, against DuckDB's appender flushed every 100 rows (one writer: DuckDB
//     takes one) and PostgreSQL multi-row INSERTs of 100 rows from 16 connections.
// W3: during W2, one probe event at a time (a unique url) is posted, and from its ack a view query
//     asks for it until it is there.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { httpClient, median, pct, postLoad, sleep, startServer, memoryOf } from '../lib.mjs';
import { DUCK_COLUMNS, views } from './peers.mjs';

const rate = (n, secs) => `${Math.round(n / secs).toLocaleString('en-US')} events/s`;

export async function mainServer(ctx) {
  if (ctx.main) return ctx.main;
  const s = await startServer({ bin: ctx.bin, dir: ctx.dir, name: 'main', pg: true,
    config: '[batch]\ninterval = 0\n[query]\ntimeout_seconds = 600\nmax_memory_mb = 4096\n[server]\npg_max_connections = 128\n' });
  await s.post('/v1/sql', `${ctx.ddl};\n${views('pageviews')}`, 'application/sql');
  (ctx.servers ??= []).push(s);
  ctx.main = s;
  return s;
}

// DuckDB's database file with the data set loaded (W1 measures the load; later workloads use it).
export async function duckWithData(ctx) {
  if (ctx.duck) return ctx.duck;
  mkdirSync(path.join(ctx.dir, 'duck'), { recursive: true });
  const db = await ctx.DuckDBInstance.create(path.join(ctx.dir, 'duck', 'bench.duckdb'));
  const con = await db.connect();
  const t = performance.now();
  await con.run(`CREATE TABLE pageviews AS SELECT * FROM read_json('${ctx.ndjson.file}', format = 'newline_delimited', columns = ${DUCK_COLUMNS})`);
  await con.run('CHECKPOINT');
  ctx.duckLoadSecs = (performance.now() - t) / 1000;
  ctx.duck = con;
  ctx.duckInstance = db;
  return con;
}

export async function bulk(ctx) {
  const s = await mainServer(ctx);
  const bodies = ctx.bodies(10000);
  const r = await postLoad({ port: s.port, p: '/v1/streams/pageviews/events', bodies, workers: 1, clients: 4 });
  if (r.errors) throw new Error(`W1 ingest: ${r.errors} failed requests: ${r.firstError}`);
  await duckWithData(ctx);
  const count = (await s.post('/v1/query', { sql: 'SELECT count(*) FROM pageviews' })).rows[0][0];
  if (Number(count) !== ctx.events) throw new Error(`W1: laminar holds ${count} events, expected ${ctx.events}`);
  const lam = ctx.events / r.secs;
  const peer = ctx.events / ctx.duckLoadSecs;
  ctx.note(`laminar: ${r.secs.toFixed(2)} s, ack p50 ${median(r.latencies).toFixed(0)} ms p99 ${pct(r.latencies, 0.99).toFixed(0)} ms (10,000-event requests, 4 connections, 3 views); duckdb read_json: ${ctx.duckLoadSecs.toFixed(2)} s`);
  ctx.record({ id: 'W1', workload: 'bulk ingest (NDJSON over HTTP, 10k-event requests, durable, 3 views)', laminar: rate(ctx.events, r.secs),
    peer: `${rate(ctx.events, ctx.duckLoadSecs)} (DuckDB read_json)`, ratio: lam / peer, target: '≥ 2× the peer', met: lam >= 2 * peer });
  ctx.memory.main = memoryOf(s.proc.pid).peak;
}

export async function streaming(ctx) {
  const n = Math.min(ctx.events, 1000000);
  const s = await startServer({ bin: ctx.bin, dir: ctx.dir, name: 'stream', config: '[batch]\ninterval = 0\n' });
  (ctx.servers ??= []).push(s);
  await s.post('/v1/sql', `${ctx.ddl};\n${views('pageviews')}`, 'application/sql');
  const all = ctx.bodies(100);
  const bodies = all.slice(0, Math.ceil(n / 100));
  let loading = true;
  const probeMs = [];
  const probes = (async () => {
    if (!ctx.only('W3')) return;
    const http = httpClient(s.port, 2);
    for (let k = 0; loading; k++) {
      const url = `/probe/${k}`;
      const ev = JSON.stringify({ ts: ctx.ndjson.start, user_id: 'probe', url, status: 200, latency_ms: 1, bytes: 1 });
      const a = await http.post('/v1/streams/pageviews/events', ev, 'application/x-ndjson');
      if (a.status !== 200) throw new Error(`probe: ${a.status} ${a.text}`);
      const t = performance.now();
      const sql = JSON.stringify({ sql: `SELECT views FROM pageviews_hourly WHERE url = '${url}'` });
      for (;;) {
        const q = await http.post('/v1/query', sql);
        if (q.status !== 200) throw new Error(`probe query: ${q.status} ${q.text}`);
        if (JSON.parse(q.text).rows.length) break;
      }
      probeMs.push(performance.now() - t);
      await sleep(10);
    }
    http.close();
  })();
  const r = await postLoad({ port: s.port, p: '/v1/streams/pageviews/events', bodies, workers: 2, clients: 8 });
  loading = false;
  await probes;
  if (r.errors) throw new Error(`W2 ingest: ${r.errors} failed requests: ${r.firstError}`);
  ctx.memory.stream = memoryOf(s.proc.pid).peak;
  ctx.streamServer = s;

  // Peers.
  const lines = ctx.ndjson.data.toString('utf8', 0, bodies.reduce((a, b) => a + b.body.length, 0)).trim().split('\n').map((l) => JSON.parse(l));
  const duckSecs = await duckAppender(ctx, lines);
  const pgSecs = ctx.postgres ? await pgInserts(ctx, lines) : 0;
  const lam = n / r.secs;
  const p99 = pct(r.latencies, 0.99);
  ctx.note(`laminar: ${n} events in ${r.secs.toFixed(2)} s, ack p50 ${median(r.latencies).toFixed(2)} ms p99 ${p99.toFixed(2)} ms; duckdb appender ${duckSecs.toFixed(2)} s; postgresql ${pgSecs.toFixed(2)} s`);
  ctx.record({ id: 'W2', workload: 'streaming ingest (100-event requests, 16 connections, durable)', laminar: rate(n, r.secs),
    peer: `${rate(n, duckSecs)} (DuckDB appender); ${pgSecs ? rate(n, pgSecs) : '—'} (PostgreSQL INSERT)`, ratio: lam / (n / duckSecs),
    target: '≥ 1,000,000 events/s', met: lam >= 1e6 });
  ctx.record({ id: 'W2', workload: 'streaming ingest: ack latency p99', laminar: `${p99.toFixed(2)} ms`, target: '≤ 2 ms', met: p99 <= 2 });
  if (ctx.only('W3') && probeMs.length) {
    const f99 = pct(probeMs, 0.99);
    ctx.note(`freshness: ${probeMs.length} probes, p50 ${median(probeMs).toFixed(2)} ms p99 ${f99.toFixed(2)} ms`);
    ctx.record({ id: 'W3', workload: `freshness under W2: ack to visible in a view query (p99 of ${probeMs.length})`, laminar: `${f99.toFixed(2)} ms`,
      target: '≤ 5 ms', met: f99 <= 5 });
  }
}

// DuckDB's appender on a table of its own database file, flushed every 100 rows.
async function duckAppender(ctx, rows) {
  mkdirSync(path.join(ctx.dir, 'duck'), { recursive: true });
  const db = await ctx.DuckDBInstance.create(path.join(ctx.dir, 'duck', 'appender.duckdb'));
  const con = await db.connect();
  await con.run(`CREATE TABLE pv (ts TIMESTAMPTZ, user_id VARCHAR, session_id VARCHAR, url VARCHAR, referrer VARCHAR,
    country VARCHAR, device VARCHAR, browser VARCHAR, status BIGINT, latency_ms DOUBLE, bytes BIGINT)`);
  const { timestampTZValue } = ctx.duckdb;
  const app = await con.createAppender('pv');
  const t = performance.now();
  rows.forEach((e, i) => {
    const micros = BigInt(Date.parse(e.ts)) * 1000n;
    app.appendTimestampTZ(timestampTZValue(micros));
    for (const k of ['user_id', 'session_id', 'url', 'referrer', 'country', 'device', 'browser']) {
      if (e[k] === null || e[k] === undefined) app.appendNull(); else app.appendVarchar(e[k]);
    }
    app.appendBigInt(BigInt(e.status));
    app.appendDouble(e.latency_ms);
    app.appendBigInt(BigInt(e.bytes));
    app.endRow();
    if (i % 100 === 99) app.flushSync();
  });
  app.closeSync();
  await con.run('CHECKPOINT');
  const secs = (performance.now() - t) / 1000;
  con.closeSync?.();
  return secs;
}

// PostgreSQL: multi-row INSERTs of 100 rows (parameters) from 16 connections.
async function pgInserts(ctx, rows) {
  const cols = ['ts', 'user_id', 'session_id', 'url', 'referrer', 'country', 'device', 'browser', 'status', 'latency_ms', 'bytes'];
  await ctx.postgres.query(`CREATE TABLE pv (ts timestamptz, user_id text, session_id text, url text, referrer text,
    country text, device text, browser text, status bigint, latency_ms double precision, bytes bigint)`);
  const clients = await Promise.all(Array.from({ length: 16 }, () => ctx.postgres.connect()));
  let next = 0;
  const t = performance.now();
  await Promise.all(clients.map(async (c) => {
    for (;;) {
      const i = next; next += 100;
      if (i >= rows.length) return;
      const batch = rows.slice(i, i + 100);
      const values = batch.map((_, r) => `(${cols.map((__, k) => `$${r * cols.length + k + 1}`).join(',')})`).join(',');
      await c.query(`INSERT INTO pv VALUES ${values}`, batch.flatMap((e) => cols.map((k) => e[k] ?? null)));
    }
  }));
  const secs = (performance.now() - t) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  return secs;
}
