// W5: view queries — a day's top-10 urls, a group-by over a week, a point lookup — from 16
// connections for --seconds each, over HTTP and over the PostgreSQL protocol, on the main server
// after W4 (a batch version plus the speed layer above it) while 100-event ingest requests keep
// arriving from 2 more connections. The peers answer the same SQL over aggregate tables of the
// same rows: DuckDB in process (16 connections) and PostgreSQL over loopback (16 connections,
// an index on the time column). Each query form's answers are compared before the load.
import { median, pct, postLoad } from '../lib.mjs';
import { peerAggregates } from './peers.mjs';
import { duckWithData } from './ingest.mjs';
import { loaded } from './batch.mjs';

const DAY = 86400000;
const iso = (ms) => new Date(ms).toISOString().replace('T', ' ').replace('.000Z', '+00');

function queries(ctx) {
  const t0 = Date.parse(ctx.ndjson.start);
  const out = [];
  for (let i = 0; i < 60; i++) {
    const day = t0 + (i % ctx.days) * DAY;
    const week = t0 + (i % Math.max(1, ctx.days - 6)) * DAY;
    const hour = t0 + ((i * 37) % (ctx.days * 24)) * 3600000;
    out.push(`SELECT url, sum(views) AS views FROM pageviews_hourly WHERE hour >= '${iso(day)}' AND hour < '${iso(day + DAY)}' GROUP BY url ORDER BY views DESC, url LIMIT 10`);
    out.push(`SELECT country, device, sum(views) AS views, max(max_latency) AS max_latency FROM pageviews_country WHERE hour >= '${iso(week)}' AND hour < '${iso(week + 7 * DAY)}' GROUP BY 1, 2 ORDER BY 1, 2`);
    out.push(`SELECT views, bytes FROM pageviews_hourly WHERE hour = '${iso(hour)}' AND url = '/'`);
  }
  return out;
}

const norm = (rows) => JSON.stringify(rows.map((r) => (Array.isArray(r) ? r : Object.values(r)).map((v) => {
  if (typeof v === 'bigint' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v))) return Number(Number(v).toPrecision(9));
  if (typeof v === 'number') return Number(v.toPrecision(9));
  return v;
})));

// Runs `fn(query)` from `clients` concurrent loops for `seconds`; returns {qps, p50, p99, n}.
async function closedLoop(list, clients, seconds, fn) {
  const ms = [];
  let next = 0;
  const stop = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    while (performance.now() < stop) {
      const q = list[(next++) % list.length];
      const t = performance.now();
      await fn(q, c);
      ms.push(performance.now() - t);
    }
  }));
  return { qps: ms.length / seconds, p50: median(ms), p99: pct(ms, 0.99), n: ms.length };
}

const fmt = (r) => `${Math.round(r.qps).toLocaleString('en-US')} q/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`;

export async function views(ctx) {
  const s = await loaded(ctx);
  if (!ctx.batched) await s.post('/v1/batch/run', { full: true });
  ctx.batched = true;
  const duck = await duckWithData(ctx);
  for (const [name, sql] of peerAggregates('pageviews')) await duck.run(`CREATE OR REPLACE TABLE pageviews_${name} AS ${sql}`);
  const list = queries(ctx);
  // Laminar's answers against DuckDB's, once per query form (before the load adds events).
  for (const q of list.slice(0, 3)) {
    const a = norm((await s.post('/v1/query', { sql: q })).rows);
    const b = norm((await duck.runAndReadAll(q)).getRows());
    if (a !== b) throw new Error(`W5: answers differ for ${q}\n laminar ${a.slice(0, 300)}\n duckdb  ${b.slice(0, 300)}`);
  }
  const pg = ctx.postgres;
  if (pg) {
    for (const [name] of peerAggregates('pageviews')) {
      const csv = `${pg.exchangeDir}/${name}.csv`;
      await duck.run(`COPY pageviews_${name} TO '${csv}' (HEADER)`);
      const cols = (await duck.runAndReadAll(`DESCRIBE pageviews_${name}`)).getRows()
        .map(([c, t]) => `${c} ${/TIME ZONE|TIMESTAMP/.test(t) ? 'timestamptz' : /INT/.test(t) ? 'numeric' : /DOUBLE/.test(t) ? 'double precision' : 'text'}`);
      await pg.query(`CREATE TABLE pageviews_${name} (${cols.join(', ')})`);
      await pg.query(`COPY pageviews_${name} FROM '${csv}' (FORMAT csv, HEADER true)`);
      await pg.query(`CREATE INDEX ON pageviews_${name} (${cols[0].split(' ')[0]})`);
      await pg.query(`ANALYZE pageviews_${name}`);
    }
  }
  const lamPg = await Promise.all(Array.from({ length: 16 }, async () => {
    const { default: pgmod } = await import('pg');
    const c = new pgmod.Client({ host: '127.0.0.1', port: s.pgPort, user: 'bench', database: 'laminar' });
    await c.connect();
    return c;
  }));
  const peerPg = pg ? await Promise.all(Array.from({ length: 16 }, () => pg.connect())) : [];
  const duckCons = await Promise.all(Array.from({ length: 16 }, () => ctx.duckInstance.connect()));
  // Background ingest: 100-event requests from 2 connections, for the whole phase.
  const phases = 4;
  const background = postLoad({ port: s.port, p: '/v1/streams/pageviews/events', bodies: ctx.bodies(100).slice(0, 20000), workers: 1, clients: 2, seconds: phases * ctx.seconds + 2 });
  const res = {};
  {
    // HTTP from 2 worker threads (8 connections each), as W2's load: one Node thread alone
    // would be the bottleneck.
    const r = await postLoad({ port: s.port, p: '/v1/query', type: 'application/json', workers: 2, clients: 8, seconds: ctx.seconds,
      bodies: list.map((q) => ({ body: Buffer.from(JSON.stringify({ sql: q })) })) });
    if (r.errors) throw new Error(`W5 query: ${r.errors} failed: ${r.firstError}`);
    res.http = { qps: r.latencies.length / r.secs, p50: median(r.latencies), p99: pct(r.latencies, 0.99), n: r.latencies.length };
  }
  res.pgwire = await closedLoop(list, 16, ctx.seconds, (q, c) => lamPg[c].query(q));
  res.duck = await closedLoop(list, 16, ctx.seconds, (q, c) => duckCons[c].runAndReadAll(q));
  res.postgres = pg ? await closedLoop(list, 16, ctx.seconds, (q, c) => peerPg[c].query(q)) : null;
  const bg = await background;
  await Promise.all([...lamPg, ...peerPg].map((c) => c.end()));
  const bgEvents = bg.latencies.length * 100;
  ctx.note(`background ingest during the phases: ${Math.round(bgEvents / bg.secs).toLocaleString('en-US')} events/s (${bg.errors} errors)`);
  ctx.note(`laminar HTTP ${fmt(res.http)}; laminar pgwire ${fmt(res.pgwire)}; duckdb ${fmt(res.duck)}${res.postgres ? `; postgresql ${fmt(res.postgres)}` : ''}`);
  const met = (r) => r.p99 <= 1 && r.qps >= 20000;
  ctx.record({ id: 'W5', workload: 'view queries over HTTP, 16 connections, during ingest', laminar: fmt(res.http),
    peer: `${fmt(res.duck)} (DuckDB, aggregate tables)`, ratio: res.http.qps / res.duck.qps, target: 'p99 ≤ 1 ms; ≥ 20,000 q/s', met: met(res.http) });
  ctx.record({ id: 'W5', workload: 'view queries over the PostgreSQL protocol, 16 connections, during ingest', laminar: fmt(res.pgwire),
    peer: res.postgres ? `${fmt(res.postgres)} (PostgreSQL, aggregate tables)` : '—', ratio: res.postgres ? res.pgwire.qps / res.postgres.qps : undefined,
    target: 'p99 ≤ 1 ms; ≥ 20,000 q/s', met: met(res.pgwire) });
}
