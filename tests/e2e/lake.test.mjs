// The lake end to end: sealed log segments become Hive-partitioned Parquet files that DuckDB
// (the npm package, as an independent reader) reads as they are, with the same rows as were acked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer, tempDir, removeDir, sleep, ndjson } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const oracle = path.join(here, '..', 'oracle');

async function duckdb() {
  const require = createRequire(path.join(oracle, 'package.json'));
  const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
  const db = await DuckDBInstance.create(':memory:');
  return db.connect();
}

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
