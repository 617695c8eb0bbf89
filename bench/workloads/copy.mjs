// W10: COPY FROM STDIN — psql's \copy of the data set as one CSV file (written by DuckDB, with a
// header) into a fresh Laminar server's stream with the suite's three views (durable, every view
// updated before COPY answers), and into a PostgreSQL 15 table (fsync on, as shipped), with the
// same psql client over loopback. Laminar's count is checked against the data set.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startServer } from '../lib.mjs';
import { views } from './peers.mjs';
import { duckWithData } from './ingest.mjs';

const rate = (n, secs) => `${Math.round(n / secs).toLocaleString('en-US')} rows/s`;

function psqlCopy(conninfo, table, file) {
  const t = performance.now();
  const r = spawnSync('psql', [conninfo, '-X', '-v', 'ON_ERROR_STOP=1', '-c',
    `\\copy ${table} FROM '${file}' WITH (FORMAT csv, HEADER true)`], { encoding: 'utf8' });
  const secs = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`W10: psql \\copy into ${table}: ${r.stderr}`);
  return { secs, tag: r.stdout.trim() };
}

export async function copy(ctx) {
  const duck = await duckWithData(ctx);
  const csv = path.join(ctx.dir, 'duck', 'pageviews.csv');
  await duck.run(`COPY (SELECT * FROM pageviews) TO '${csv}' (HEADER, DELIMITER ',')`);
  const n = ctx.events;
  const s = await startServer({ bin: ctx.bin, dir: ctx.dir, name: 'copy', pg: true, config: '[batch]\ninterval = 0\n' });
  (ctx.servers ??= []).push(s);
  await s.post('/v1/sql', `${ctx.ddl};\n${views('pageviews')}`, 'application/sql');
  const lam = psqlCopy(`host=127.0.0.1 port=${s.pgPort} user=bench dbname=laminar sslmode=disable`, 'pageviews', csv);
  if (lam.tag !== `COPY ${n}`) throw new Error(`W10: laminar answered ${lam.tag}, expected COPY ${n}`);
  const count = Number((await s.post('/v1/query', { sql: 'SELECT count(*) FROM pageviews' })).rows[0][0]);
  if (count !== n) throw new Error(`W10: laminar holds ${count} events after COPY, expected ${n}`);
  let pg = null;
  if (ctx.postgres) {
    await ctx.postgres.query(`CREATE TABLE pv_copy (ts timestamptz, user_id text, session_id text, url text, referrer text,
      country text, device text, browser text, status bigint, latency_ms double precision, bytes bigint)`);
    pg = psqlCopy(`host=127.0.0.1 port=${ctx.postgres.port} user=postgres dbname=postgres sslmode=disable`, 'pv_copy', csv);
  }
  ctx.note(`laminar ${lam.secs.toFixed(2)} s (${lam.tag}); postgresql ${pg ? `${pg.secs.toFixed(2)} s (${pg.tag})` : '—'}`);
  ctx.record({ id: 'W10', workload: 'COPY FROM STDIN (psql \\copy of one CSV file, durable, 3 views)', laminar: rate(n, lam.secs),
    peer: pg ? `${rate(n, pg.secs)} (PostgreSQL COPY)` : '—', ratio: pg ? pg.secs / lam.secs : undefined,
    target: '≥ the peer', met: pg ? lam.secs <= pg.secs : undefined });
  await s.stop();
  ctx.servers = ctx.servers.filter((x) => x !== s);
}
