// The lake end to end: sealed log segments become Hive-partitioned Parquet files that DuckDB
// (the npm package, as an independent reader) reads as they are, with the same rows as were acked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer, tempDir, removeDir, sleep, ndjson, postJson, duckdb } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const oracle = path.join(here, '..', 'oracle');

test('sealed segments land in the lake and DuckDB reads exactly the acked rows', async () => {
  assert.ok(existsSync(path.join(oracle, 'node_modules', '@duckdb', 'node-api')), 'run scripts/setup.sh (npm ci in tests/oracle)');
  const dir = tempDir();
  const cfg = `${dir}.toml`;
  writeFileSync(cfg, '[log]\nsegment_max_age_seconds = 1\nsegment_max_bytes = 65536\n');
  const srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
  try {
    const ddl = await srv.sql(`CREATE TABLE ev (ts timestamptz NOT NULL, k bigint NOT NULL, name text, x double precision, ok boolean)`);
    assert.equal(ddl.status, 200, ddl.text);
    let acked = [];
    let lastSeq = 0;
    for (let b = 0; b < 20; b++) {
      const recs = [];
      for (let i = 0; i < 100; i++) {
        const k = b * 100 + i;
        recs.push({
          // Spread over 5 hours, out of order.
          ts: new Date(Date.UTC(2024, 2, 10, (k * 7) % 5, k % 60, k % 60, k % 1000)).toISOString(),
          k,
          name: k % 9 === 0 ? null : k % 13 === 0 ? '' : `n${k % 50}é`,
          x: k % 11 === 0 ? null : k / 8,
          ok: k % 3 === 0 ? null : k % 2 === 0,
        });
      }
      const r = await srv.ingest('ev', ndjson(recs));
      assert.equal(r.status, 200, r.text);
      acked = acked.concat(recs);
      lastSeq = r.json.last_seq;
    }
    // Wait until the lake covers every acked event (segments seal after 1 s; commits follow).
    const deadline = Date.now() + 30000;
    let lake;
    for (;;) {
      const s = await srv.get('/v1/streams');
      lake = s.json.streams[0].lake;
      if (lake && lake.last_seq >= lastSeq) break;
      assert.ok(Date.now() < deadline, `lake did not catch up: ${JSON.stringify(s.json.streams[0])}`);
      await sleep(200);
    }
    assert.equal(lake.rows, acked.length);

    const con = await duckdb();
    const glob = path.join(dir, 'lake', 'ev', '*', '*', '*.parquet');
    const read = `read_parquet('${glob}', hive_partitioning = true)`;
    const agg = (await con.runAndReadAll(
      `SELECT count(*)::BIGINT AS n, sum(k)::BIGINT AS sk, count(name)::BIGINT AS names, count(x)::BIGINT AS xs,
              sum(x) AS sx, count(ok)::BIGINT AS oks, sum(ok::INT)::BIGINT AS trues,
              min(ts)::VARCHAR AS lo, max(ts)::VARCHAR AS hi, count(DISTINCT event_hour)::BIGINT AS hours
       FROM ${read}`)).getRowObjects()[0];
    assert.equal(Number(agg.n), acked.length);
    assert.equal(Number(agg.sk), acked.reduce((a, r) => a + r.k, 0));
    assert.equal(Number(agg.names), acked.filter((r) => r.name !== null).length);
    assert.equal(Number(agg.xs), acked.filter((r) => r.x !== null).length);
    assert.ok(Math.abs(agg.sx - acked.reduce((a, r) => a + (r.x ?? 0), 0)) < 1e-6);
    assert.equal(Number(agg.oks), acked.filter((r) => r.ok !== null).length);
    assert.equal(Number(agg.trues), acked.filter((r) => r.ok === true).length);
    assert.equal(Number(agg.hours), 5);
    // Column types as Laminar declares them.
    const types = (await con.runAndReadAll(`DESCRIBE SELECT ts, k, name, x, ok FROM ${read}`)).getRowObjects();
    assert.deepEqual(types.map((t) => t.column_type), ['TIMESTAMP WITH TIME ZONE', 'BIGINT', 'VARCHAR', 'DOUBLE', 'BOOLEAN']);
    // Every row, exactly: compare (k, ts, name) for all rows; the partition matches the event hour.
    const rows = (await con.runAndReadAll(
      `SELECT k, epoch_ms(ts)::BIGINT AS ms, name, event_date::VARCHAR AS d, event_hour::INT AS h FROM ${read} ORDER BY k`)).getRowObjects();
    assert.equal(rows.length, acked.length);
    for (const row of rows) {
      const a = acked[Number(row.k)];
      assert.equal(Number(row.ms), Date.parse(a.ts));
      assert.equal(row.name, a.name);
      assert.equal(Number(row.h), new Date(a.ts).getUTCHours());
      assert.equal(row.d, a.ts.slice(0, 10));
    }
  } finally {
    await srv.stop();
    removeDir(dir);
  }
});

test('a Parquet file written by DuckDB is attached as history: views include it, restart and verify agree', async () => {
  const dir = tempDir();
  const cfg = `${dir}.toml`;
  writeFileSync(cfg, '[batch]\ninterval = 0\n');
  let srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
  try {
    const ddl = await srv.sql(`CREATE TABLE ev (ts timestamptz NOT NULL, k bigint NOT NULL, name text, x double precision);
      CREATE MATERIALIZED VIEW per_name AS SELECT name, count(*) AS n, sum(k) AS sk, sum(x) AS sx FROM ev GROUP BY name`);
    assert.equal(ddl.status, 200, ddl.text);
    // Live events first, some still in the open log segment when the attach comes.
    const live = Array.from({ length: 50 }, (_, k) => ({ ts: `2026-11-24T0${k % 3}:00:00Z`, k, name: `n${k % 4}`, x: k / 2 }));
    assert.equal((await srv.ingest('ev', ndjson(live))).status, 200);

    const con = await duckdb();
    // Columns in another order, other names' case, int32 and float types, timestamp_ms, nulls,
    // no x column (reads as NULL): 5000 rows over 3 days.
    const good = `${dir}-good.parquet`;
    await con.run(`COPY (SELECT (i % 4)::VARCHAR AS "NAME", (i * 3)::INTEGER AS k,
                          (TIMESTAMP '2026-11-01' + INTERVAL (i) MINUTE)::TIMESTAMP_MS AS ts
                   FROM range(5000) t(i)) TO '${good}' (FORMAT parquet, COMPRESSION gzip, ROW_GROUP_SIZE 1000)`);
    const bad1 = `${dir}-extra.parquet`;
    await con.run(`COPY (SELECT TIMESTAMP '2026-11-01' AS ts, 1::BIGINT AS k, 'x' AS surprise) TO '${bad1}' (FORMAT parquet)`);
    const bad2 = `${dir}-type.parquet`;
    await con.run(`COPY (SELECT TIMESTAMP '2026-11-01' AS ts, 'one' AS k) TO '${bad2}' (FORMAT parquet)`);
    const bad3 = `${dir}-null-ts.parquet`;
    await con.run(`COPY (SELECT CASE WHEN i = 7 THEN NULL ELSE TIMESTAMP '2026-11-01' END AS ts, i AS k FROM range(10) t(i)) TO '${bad3}' (FORMAT parquet)`);

    const attach = (p) => postJson(`${srv.url}/v1/lake/attach`, { stream: 'ev', path: p });
    let r = await attach(bad1);
    assert.equal(r.status, 400, r.text);
    assert.match(r.json.error, /columns that stream ev does not: surprise/);
    r = await attach(bad2);
    assert.equal(r.status, 400, r.text);
    assert.match(r.json.error, /column k of .* is text, but stream ev column k is bigint/);
    r = await attach(bad3);
    assert.equal(r.status, 400, r.text);
    assert.match(r.json.error, /row 8 of .*null-ts\.parquet: column ts is NULL/);
    r = await attach(`${dir}-missing.parquet`);
    assert.equal(r.status, 404, r.text);
    r = await postJson(`${srv.url}/v1/lake/attach`, { stream: 'nope', path: good });
    assert.equal(r.status, 404, r.text);

    r = await attach(good);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.rows, 5000);
    assert.equal(r.json.first_seq, 51);   // after every live event
    assert.equal(r.json.last_seq, 5050);
    assert.equal(r.json.files.length, 84);  // one per event hour: 5000 minutes
    // More live events after it get later sequence numbers.
    const after = await srv.ingest('ev', ndjson([{ ts: '2026-11-24T05:00:00Z', k: 1000000, name: 'n0', x: 1 }]));
    assert.equal(after.json.last_seq, 5051);

    const want = new Map();
    const add = (name, k, x) => {
      const e = want.get(name) ?? { n: 0, sk: 0, sx: null };
      e.n++;
      e.sk += k;
      if (x !== null) e.sx = (e.sx ?? 0) + x;
      want.set(name, e);
    };
    for (const e of live) add(e.name, e.k, e.x);
    for (let i = 0; i < 5000; i++) add(String(i % 4), i * 3, null);
    add('n0', 1000000, 1);
    const expect = [...want.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, e]) => [n, e.n, e.sk, e.sx]);
    const q = async () => (await srv.query('SELECT name, n, sk, sx FROM per_name ORDER BY name')).json.rows;
    assert.deepEqual(await q(), expect);

    // The lake lists the attached files; DuckDB reads the whole lake with the same count.
    const lake = await srv.get('/v1/lake/ev');
    assert.equal(lake.json.streams[0].files.filter((f) => f.source === 'attached').length, 84);
    const n = (await con.runAndReadAll(
      `SELECT count(*)::BIGINT AS n FROM read_parquet('${path.join(dir, 'lake', 'ev', '*', '*', '*.parquet')}', hive_partitioning = true)`)).getRowObjects()[0].n;
    assert.equal(Number(n), 50 + 5000);  // the last live event is still in the log

    assert.equal((await srv.stop()).code, 0);
    srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
    assert.deepEqual(await q(), expect);
    const full = await postJson(`${srv.url}/v1/batch/run`, { full: true });
    assert.equal(full.status, 200, full.text);
    assert.deepEqual(await q(), expect);
    const v = await postJson(`${srv.url}/v1/verify`, {});
    assert.equal(v.json.ok, true, v.text);
  } finally {
    await srv.stop();
    removeDir(dir);
  }
});

test('a stream partitioned by day or month: one file per partition, DuckDB reads the partition keys, queries prune by them', async () => {
  const dir = tempDir();
  const srv = await startServer({ dataDir: dir });
  try {
    const ddl = await srv.sql(`CREATE TABLE daily (ts timestamptz NOT NULL, k bigint NOT NULL) WITH (partition = 'day');
      CREATE TABLE monthly (ts timestamptz NOT NULL, k bigint NOT NULL) WITH (partition = 'month')`);
    assert.equal(ddl.status, 200, ddl.text);
    // 600 events, one every 3 hours from 2024-01-25: 75 days (Jan 25 .. Apr 8), 3 months.
    const recs = Array.from({ length: 600 }, (_, k) => ({ ts: new Date(Date.UTC(2024, 0, 25) + k * 3 * 3600e3).toISOString(), k }));
    for (const s of ['daily', 'monthly']) assert.equal((await srv.ingest(s, ndjson(recs))).status, 200);
    const run = await postJson(`${srv.url}/v1/batch/run`, {});
    assert.equal(run.status, 200, run.text);
    const streams = (await srv.get('/v1/streams')).json.streams;
    assert.deepEqual(streams.map((s) => [s.name, s.partition]), [['daily', 'day'], ['monthly', 'month']]);
    const lake = (await srv.get('/v1/lake')).json.streams;
    const files = Object.fromEntries(lake.map((s) => [s.stream, s.files]));
    assert.equal(files.daily.length, 75);
    assert.equal(files.daily[0].path, 'event_date=2024-01-25/seg-00000000000000000001.parquet');
    assert.deepEqual(files.monthly.map((f) => f.path.split('/')[0]), ['event_month=2024-01', 'event_month=2024-02', 'event_month=2024-03', 'event_month=2024-04']);
    const con = await duckdb();
    const d = (await con.runAndReadAll(`SELECT count(*)::BIGINT AS n, count(DISTINCT event_date)::BIGINT AS days,
        count(*) FILTER (WHERE event_date::VARCHAR <> strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%d'))::BIGINT AS wrong
      FROM read_parquet('${path.join(dir, 'lake', 'daily', '*', '*.parquet')}', hive_partitioning = true)`)).getRowObjects()[0];
    assert.deepEqual([Number(d.n), Number(d.days), Number(d.wrong)], [600, 75, 0]);
    const m = (await con.runAndReadAll(`SELECT event_month::VARCHAR AS month, count(*)::BIGINT AS n
      FROM read_parquet('${path.join(dir, 'lake', 'monthly', '*', '*.parquet')}', hive_partitioning = true) GROUP BY 1 ORDER BY 1`)).getRowObjects();
    assert.deepEqual(m.map((r) => [r.month, Number(r.n)]), [['2024-01', 56], ['2024-02', 232], ['2024-03', 248], ['2024-04', 64]]);
    // A query over one February week reads only that week's day files, and the February file.
    for (const [s, read] of [['daily', 7], ['monthly', 1]]) {
      const q = await postJson(`${srv.url}/v1/query`, { sql: `SELECT count(*) FROM ${s} WHERE ts >= '2024-02-10T00:00:00Z' AND ts < '2024-02-17T00:00:00Z'` });
      assert.equal(q.status, 200, q.text);
      assert.equal(Number(q.json.rows[0][0]), 56);
      assert.equal(q.json.stats.lake_files - q.json.stats.lake_files_skipped, read, JSON.stringify(q.json.stats));
    }
  } finally {
    await srv.stop();
    removeDir(dir);
  }
});
