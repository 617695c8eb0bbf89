// W6: SQL over raw events (not a view). Laminar answers from its lake (Parquet, one file per
// event hour) plus the log tail above it; DuckDB answers the same SQL over the same rows in one
// Parquet file plus the same tail, read in place — the peer at its best.
//
// Data: DuckDB writes N (--events) pageview-like rows (ts, user_id, url, country, latency_ms,
// status) over 48 event hours as Parquet (ZSTD); Laminar attaches it (`POST /v1/lake/attach`:
// converted into its lake files, committed); then 50,000 more rows are POSTed as events (the log
// tail, never batched: `[batch] interval = 0`) and written by DuckDB as a second Parquet file for
// the peer. A dimension table of countries is loaded with COPY (Laminar) and CREATE TABLE (DuckDB).
//
// Each query's answers are compared first (a mismatch stops the suite); then 5 interleaved rounds
// (Laminar over HTTP, DuckDB in process), medians. One row per query and the geometric mean.
import { writeFileSync, statSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { geomean, median, startServer } from '../lib.mjs';

const TAIL = 50000;
const REPS = 5;
const now = () => performance.now();

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
  ['window: rank of urls by views within each country',
    'SELECT country, url, n, rank() OVER (PARTITION BY country ORDER BY n DESC, url) AS r FROM (SELECT country, url, count(*) AS n FROM pv GROUP BY 1, 2) t ORDER BY r, country, url LIMIT 20'],
  ['count(DISTINCT user_id) per hour', "SELECT date_trunc('hour', ts) AS h, count(DISTINCT user_id) AS users FROM pv GROUP BY 1 ORDER BY 1 LIMIT 10"],
];

// Numbers rounded so that float sums added in a different order compare equal.
const norm = (rows) => JSON.stringify(rows.map((r) => r.map((v) => {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number(v.toPrecision(9));
  if (v && typeof v === 'object' && 'micros' in v) return Number(v.micros) / 1e6;  // DuckDB timestamp
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d/.test(v)) return Date.parse(v.replace(' ', 'T').replace(/(\+00(:00)?|Z)?$/, 'Z')) / 1000;
  return v;
})));

export async function rawquery(ctx) {
  const ROWS = ctx.events;
  const dir = path.join(ctx.dir, 'rawquery');
  mkdirSync(dir, { recursive: true });
  const db = await ctx.DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const lakePq = path.join(dir, 'pv.parquet');
  const tailPq = path.join(dir, 'tail.parquet');
  const dimCsv = path.join(dir, 'countries.csv');
  await con.run(`COPY (${gen(ROWS, 0)}) TO '${lakePq}' (FORMAT parquet, COMPRESSION zstd)`);
  await con.run(`COPY (${gen(TAIL, ROWS)}) TO '${tailPq}' (FORMAT parquet, COMPRESSION zstd)`);
  writeFileSync(dimCsv, 'code,region\nde,europe\nfr,europe\nit,europe\nus,americas\nbr,americas\njp,asia\n');
  await con.run(`CREATE VIEW pv AS SELECT * FROM read_parquet(['${lakePq}', '${tailPq}'])`);
  await con.run(`CREATE TABLE countries AS SELECT * FROM read_csv('${dimCsv}', header = true)`);
  ctx.note(`data: ${ROWS.toLocaleString('en-US')} lake rows (parquet zstd ${(statSync(lakePq).size / 1e6).toFixed(1)} MB, 48 event hours) + ${TAIL.toLocaleString('en-US')} log-tail rows`);

  const srv = await startServer({ bin: ctx.bin, dir, name: 'data',
    config: `[batch]\ninterval = 0\n[query]\ntimeout_seconds = 600\nmax_memory_mb = 4096\n[import]\ndirs = ["${dir}"]\n` });
  try {
    await srv.post('/v1/sql', `CREATE TABLE pv (ts timestamptz NOT NULL, user_id text, url text, country text,
      latency_ms double precision, status bigint);
      CREATE TABLE countries (code text NOT NULL, region text) WITH (kind = 'dimension');
      COPY countries FROM '${dimCsv}' WITH (FORMAT csv, HEADER true)`, 'application/sql');
    await srv.post('/v1/lake/attach', { stream: 'pv', path: lakePq });
    const tail = (await con.runAndReadAll(`SELECT epoch_ms(ts) AS ts, user_id, url, country, latency_ms, status FROM read_parquet('${tailPq}')`)).getRowObjects();
    for (let i = 0; i < tail.length; i += 10000) {
      const body = tail.slice(i, i + 10000).map((r) => JSON.stringify({ ...r, ts: Number(r.ts), status: Number(r.status) })).join('\n');
      await srv.post('/v1/streams/pv/events', body, 'application/x-ndjson');
    }
    const ratios = [];
    for (const [name, sql] of QUERIES) {
      const lam = await srv.post('/v1/query', { sql });
      const a = norm(lam.rows);
      const b = norm((await con.runAndReadAll(sql)).getRows());
      if (a !== b) throw new Error(`W6: answers differ for ${name}:\n laminar ${a.slice(0, 400)}\n duckdb  ${b.slice(0, 400)}`);
      const lt = [], dt = [];
      for (let r = 0; r < REPS; r++) {
        let t = now(); await srv.post('/v1/query', { sql }); lt.push(now() - t);
        t = now(); await con.runAndReadAll(sql); dt.push(now() - t);
      }
      const l = median(lt), d = median(dt);
      ratios.push(d / l);
      const st = lam.stats ?? {};
      ctx.note(`${name}: laminar ${l.toFixed(1)} ms, duckdb ${d.toFixed(1)} ms; read lake files ${st.lake_files - st.lake_files_skipped}/${st.lake_files}, row groups ${st.row_groups - st.row_groups_skipped}/${st.row_groups}`);
      ctx.record({ id: 'W6', workload: `raw query: ${name}`, laminar: `${l.toFixed(1)} ms`, peer: `${d.toFixed(1)} ms (DuckDB)`,
        ratio: d / l, target: '≥ 1×', met: d >= l });
    }
    const g = geomean(ratios);
    ctx.record({ id: 'W6', workload: `raw queries: geometric mean of ${ratios.length}`, laminar: '', peer: '', ratio: g,
      target: '≥ 1.5×', met: g >= 1.5 });
  } finally {
    await srv.stop();
    con.closeSync?.();
  }
}
