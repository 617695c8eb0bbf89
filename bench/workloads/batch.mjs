// W4 (batch build) and W8 (lake bytes and files).
//
// W4: on the main server after W1, POST /v1/batch/run {"full": true} three times (the first also
//     seals the log and writes the lake); Laminar's figure is the median time to build its three
//     views in one pass over the lake (`build_ms`). The peer: DuckDB's CREATE TABLE AS of the same
//     three aggregations, over the same rows in one Parquet file and over the lake's own files,
//     three rounds interleaved, median of the sums. The answers' row counts are compared.
// W8: the main server's lake (dense: the data set over 14 days) against DuckDB's one zstd Parquet
//     file of the same rows; then a sparse stream (the same number of events at ~2,000 an hour:
//     about two months) on a server of its own, against the same.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { median, postLoad, startServer, memoryOf } from '../lib.mjs';
import { DUCK_COLUMNS, peerAggregates, views } from './peers.mjs';
import { duckWithData, mainServer } from './ingest.mjs';

export function lakeSize(dataDir, stream) {
  let bytes = 0, files = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.parquet')) { bytes += statSync(p).size; files++; }
    }
  };
  walk(path.join(dataDir, 'lake', stream));
  return { bytes, files };
}

const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;

// Ensures the main server holds the data set (W1 does it when it runs).
export async function loaded(ctx) {
  const s = await mainServer(ctx);
  const n = Number((await s.post('/v1/query', { sql: 'SELECT count(*) FROM pageviews' })).rows[0][0]);
  if (n === 0) {
    const r = await postLoad({ port: s.port, p: '/v1/streams/pageviews/events', bodies: ctx.bodies(10000), workers: 1, clients: 4 });
    if (r.errors) throw new Error(`ingest: ${r.firstError}`);
  }
  return s;
}

export async function batch(ctx) {
  const s = await loaded(ctx);
  const duck = await duckWithData(ctx);
  const pq = path.join(ctx.dir, 'duck', 'pageviews.parquet');
  await duck.run(`COPY pageviews TO '${pq}' (FORMAT parquet, COMPRESSION zstd)`);
  const lamMs = [], wallMs = [], pqMs = [], lakeMs = [];
  let viewRows;
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    const j = await s.post('/v1/batch/run', { full: true });
    wallMs.push(performance.now() - t);
    lamMs.push(Math.max(...j.views.filter((v) => v.view.startsWith('pageviews_')).map((v) => v.build_ms)));
    viewRows = Object.fromEntries(j.views.map((v) => [v.view, v.rows]));
    ctx.batched = true;
    for (const [from, times] of [[`read_parquet('${pq}')`, pqMs], [`read_parquet('${path.join(s.data, 'lake', 'pageviews', '*', '*', '*.parquet')}')`, lakeMs]]) {
      let sum = 0;
      for (const [name, sql] of peerAggregates(from)) {
        await duck.run(`DROP TABLE IF EXISTS agg_${name}`);
        const t2 = performance.now();
        await duck.run(`CREATE TABLE agg_${name} AS ${sql}`);
        sum += performance.now() - t2;
        const rows = Number((await duck.runAndReadAll(`SELECT count(*) FROM agg_${name}`)).getRows()[0][0]);
        if (rows !== viewRows[`pageviews_${name}`]) throw new Error(`W4: DuckDB's ${name} has ${rows} rows, Laminar's view ${viewRows[`pageviews_${name}`]}`);
      }
      times.push(sum);
    }
  }
  const lam = median(lamMs), peerPq = median(pqMs), peerLake = median(lakeMs);
  ctx.note(`laminar build ${lamMs.map((x) => x.toFixed(0)).join('/')} ms (wall with seal and lake write first: ${wallMs.map((x) => x.toFixed(0)).join('/')} ms); duckdb over one file ${pqMs.map((x) => x.toFixed(0)).join('/')} ms, over the lake files ${lakeMs.map((x) => x.toFixed(0)).join('/')} ms`);
  if (ctx.only('W4')) {
    ctx.record({ id: 'W4', workload: 'batch build: every view recomputed from the lake (3 views)', laminar: `${lam.toFixed(0)} ms`,
      peer: `${peerPq.toFixed(0)} ms (DuckDB CTAS, one Parquet file); ${peerLake.toFixed(0)} ms (the lake's files)`,
      ratio: Math.min(peerPq, peerLake) / lam, target: '≥ 3× the peer', met: Math.min(peerPq, peerLake) >= 3 * lam });
  }
  ctx.memory.main = memoryOf(s.proc.pid).peak;
  if (ctx.only('W8')) {
    const lake = lakeSize(s.data, 'pageviews');
    const peer = statSync(pq).size;
    lakeRow(ctx, 'dense', lake, peer, ctx.events);
  }
}

function lakeRow(ctx, kind, lake, peerBytes, events) {
  ctx.record({ id: 'W8', workload: `lake bytes, ${kind} stream (${events.toLocaleString('en-US')} events)`,
    laminar: `${mib(lake.bytes)} in ${lake.files} files (${Math.round(events / lake.files).toLocaleString('en-US')} rows/file)`,
    peer: `${mib(peerBytes)} (DuckDB, one zstd file)`, ratio: peerBytes / lake.bytes, target: '≤ 1.0× the bytes; files of a useful size',
    met: lake.bytes <= peerBytes && events / lake.files >= 100000 });
}

// W8's sparse stream: the same number of events at ~2,000 an hour.
export async function sparseLake(ctx) {
  if (!ctx.only('W8')) return;
  const n = Math.min(ctx.events, 3000000);
  const file = path.join(ctx.dir, 'sparse.ndjson');
  execFileSync('sh', ['-c', `"$0" gen pageviews --events ${n} --seed 2 --start 2024-01-01T00:00:00Z --rate 0.6 > "$1"`, ctx.bin, file]);
  const s = await startServer({ bin: ctx.bin, dir: ctx.dir, name: 'sparse', config: '[batch]\ninterval = 0\n' });
  (ctx.servers ??= []).push(s);
  try {
    // Partitioned by day: at ~2,000 events an hour, files of a day's events instead of an hour's.
    await s.post('/v1/sql', `${ctx.ddl} WITH (partition = 'day');\n${views('pageviews')}`, 'application/sql');
    const data = (await import('node:fs')).readFileSync(file);
    const r = await postLoad({ port: s.port, p: '/v1/streams/pageviews/events', bodies: ctx.bodies(10000, data), workers: 1, clients: 4 });
    if (r.errors) throw new Error(`sparse ingest: ${r.firstError}`);
    await s.post('/v1/batch/run', { full: true });
    const lake = lakeSize(s.data, 'pageviews');
    const db = await ctx.DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const pq = path.join(ctx.dir, 'duck', 'sparse.parquet');
    await con.run(`COPY (SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = ${DUCK_COLUMNS})) TO '${pq}' (FORMAT parquet, COMPRESSION zstd)`);
    con.closeSync?.();
    lakeRow(ctx, 'sparse (~2,000 events an hour, partition = day)', lake, statSync(pq).size, n);
  } finally {
    await s.stop();
  }
}
