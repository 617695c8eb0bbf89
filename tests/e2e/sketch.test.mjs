// Approximate view measures end to end: approx_count_distinct (HyperLogLog) and
// approx_percentile (DDSketch) over batch ⊕ speed, against DuckDB's exact count(DISTINCT) and
// quantile_disc over the same events, within the documented bounds (docs/sql.md: ≤ 2% for the
// distinct count at these sizes, ≤ 1% relative value error for percentiles). The sketches merge
// exactly, so the answer before and after the batch layer absorbs the speed layer is identical,
// and POST /v1/verify (from-scratch recomputation) agrees bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer, tempDir, removeDir, ndjson, postJson, mulberry32, duckdb } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const oracle = path.join(here, '..', 'oracle');

async function ok(resPromise, what) {
  const r = await resPromise;
  assert.equal(r.status, 200, `${what}: HTTP ${r.status} ${r.text}`);
  return r.json;
}

// Keys with very different numbers of distinct users (sparse and dense HyperLogLogs).
const KEYS = { a: 20, b: 700, c: 5000, d: 40000, e: 1e9 };

function makeEvents(rand, count, startMs) {
  const keys = Object.keys(KEYS);
  const out = [];
  for (let i = 0; i < count; i++) {
    const k = keys[Math.floor(rand() * keys.length)];
    const user = rand() < 0.03 ? null : `u${Math.floor(rand() * KEYS[k])}`;
    // Latency: log-uniform over 0.1 .. ~2000 ms, a few NULLs.
    const lat = rand() < 0.03 ? null : 0.1 * Math.exp(rand() * 10);
    const n = rand() < 0.03 ? null : Math.floor(rand() * 1000) - 300;
    out.push({ ts: new Date(startMs + Math.floor(rand() * 6 * 3600e3)).toISOString(), k, user_id: user, lat, n });
  }
  return out;
}

async function ingestAll(srv, events, per = 2000) {
  for (let i = 0; i < events.length; i += per) {
    const chunk = events.slice(i, i + per);
    const r = await srv.ingest('ev', ndjson(chunk));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.accepted, chunk.length, r.text);
  }
}

const relErr = (est, exact) => Math.abs(est - exact) / Math.abs(exact);

test('approx_count_distinct and approx_percentile: batch ⊕ speed within bounds of DuckDB, verify ok', async () => {
  assert.ok(existsSync(path.join(oracle, 'node_modules', '@duckdb', 'node-api')), 'run scripts/setup.sh (npm ci in tests/oracle)');
  const dir = tempDir('laminar-sketch-');
  const cfg = `${dir}.toml`;
  writeFileSync(cfg, '[batch]\ninterval = 0\n');
  const srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
  try {
    await ok(srv.sql(`CREATE TABLE ev (ts timestamptz NOT NULL, k text, user_id text, lat double precision, n bigint);
      CREATE MATERIALIZED VIEW s AS SELECT k, count(*) AS c, approx_count_distinct(user_id) AS users,
        approx_percentile(lat, 0.95) AS p95, approx_percentile(n, 0.5) AS med FROM ev GROUP BY k;
      CREATE MATERIALIZED VIEW sh AS SELECT date_trunc('hour', ts) AS h, k, approx_count_distinct(user_id) AS users,
        approx_percentile(lat, 0.95) AS p95 FROM ev GROUP BY 1, 2`), 'DDL');

    // Errors name the function.
    const bad = await srv.sql('CREATE MATERIALIZED VIEW x AS SELECT approx_percentile(lat, 2) FROM ev');
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.json.error, /approx_percentile must be between 0 and 1/);
    const arr = await srv.sql('CREATE MATERIALIZED VIEW x AS SELECT approx_percentile(lat, ARRAY[0.5, 0.9]) FROM ev');
    assert.notEqual(arr.status, 200, arr.text);
    assert.match(arr.json.error, /ARRAY/);

    const rand = mulberry32(2024);
    const base = Date.UTC(2024, 2, 10);
    const first = makeEvents(rand, 25000, base);
    const second = makeEvents(rand, 25000, base);
    await ingestAll(srv, first);
    const run = await ok(postJson(`${srv.url}/v1/batch/run`, {}), 'batch run');
    assert.ok(run.views.every((v) => v.published), JSON.stringify(run));
    await ingestAll(srv, second);
    const events = [...first, ...second];

    const q = await ok(srv.query('SELECT k, c, users, p95, med FROM s ORDER BY k'), 'query s');
    assert.ok(q.stats.rows_from_batch > 0 && q.stats.rows_from_speed > 0, `batch ⊕ speed: ${JSON.stringify(q.stats)}`);
    // Re-grouping the hourly view by k merges the hourly sketches: same as the per-k view.
    const qh = await ok(srv.query('SELECT k, users, p95, approx_count_distinct(users) AS u2, approx_percentile(p95, 0.5) AS p50 FROM sh GROUP BY k ORDER BY k'), 'query sh');

    // The exact answers, from DuckDB over the same events.
    const con = await duckdb();
    const file = `${dir}-events.ndjson`;
    writeFileSync(file, ndjson(events));
    await con.run(`CREATE TABLE t AS SELECT * FROM read_json('${file}', format = 'newline_delimited',
      columns = {ts: 'TIMESTAMPTZ', k: 'VARCHAR', user_id: 'VARCHAR', lat: 'DOUBLE', n: 'BIGINT'})`);
    const exact = (await con.runAndReadAll(`SELECT k, count(*)::BIGINT AS c, count(DISTINCT user_id)::BIGINT AS users,
        quantile_disc(lat, 0.95) AS p95, quantile_cont(lat, 0.95) AS p95c, quantile_disc(lat, 0.5) AS p50,
        quantile_disc(n, 0.5)::DOUBLE AS med FROM t GROUP BY k ORDER BY k`)).getRowObjects();
    assert.equal(exact.length, Object.keys(KEYS).length);
    assert.equal(q.rows.length, exact.length);
    let worstUsers = 0, worstP95 = 0;
    for (let i = 0; i < exact.length; i++) {
      const e = exact[i];
      const [k, c, users, p95, med] = q.rows[i];
      assert.equal(k, e.k);
      assert.equal(c, Number(e.c));
      const ue = relErr(users, Number(e.users));
      worstUsers = Math.max(worstUsers, ue);
      assert.ok(ue <= 0.02, `${k}: approx_count_distinct ${users} vs exact ${e.users}`);
      const pe = relErr(p95, e.p95);
      worstP95 = Math.max(worstP95, pe);
      assert.ok(pe <= 0.01, `${k}: approx_percentile(lat, 0.95) ${p95} vs quantile_disc ${e.p95}`);
      assert.ok(relErr(p95, e.p95c) <= 0.011, `${k}: approx_percentile(lat, 0.95) ${p95} vs quantile_cont ${e.p95c}`);
      assert.ok(relErr(med, e.med) <= 0.01, `${k}: approx_percentile(n, 0.5) ${med} vs quantile_disc ${e.med}`);
      const [hk, husers, hp95, u2, p50] = qh.rows[i];
      assert.equal(hk, k);
      assert.equal(husers, users, `${k}: merged hourly sketches == the per-k sketch`);
      assert.equal(u2, users);
      assert.equal(hp95, p95);
      assert.ok(relErr(p50, e.p50) <= 0.01, `${k}: median from the p95 sketch ${p50} vs ${e.p50}`);
    }
    console.log(`worst relative error: approx_count_distinct ${(worstUsers * 100).toFixed(3)}%, approx_percentile ${(worstP95 * 100).toFixed(3)}%`);

    // Exactness: from-scratch recomputation equals the served batch ⊕ speed answer.
    const v = await ok(postJson(`${srv.url}/v1/verify`, {}), 'verify');
    assert.equal(v.ok, true, JSON.stringify(v));
    // After the batch layer absorbs the speed layer, the answer is the same to the last bit.
    await ok(postJson(`${srv.url}/v1/batch/run`, {}), 'batch run 2');
    const q2 = await ok(srv.query('SELECT k, c, users, p95, med FROM s ORDER BY k'), 'query s again');
    assert.equal(q2.stats.rows_from_speed, 0);
    assert.deepEqual(q2.rows, q.rows);
    const v2 = await ok(postJson(`${srv.url}/v1/verify`, {}), 'verify 2');
    assert.equal(v2.ok, true, JSON.stringify(v2));

    // Re-aggregation errors name the measure and its merge.
    const wrong = await srv.query('SELECT sum(users) FROM s');
    assert.equal(wrong.status, 400, wrong.text);
    assert.match(wrong.json.error, /approx_count_distinct/);
    removeDir(file);
  } finally {
    await srv.stop();
    removeDir(dir);
    removeDir(cfg);
  }
});
