// The lake in S3: the real binary against a local S3 server on loopback (s3rver behind
// tests/s3/s3_server.mjs, which checks every request's SigV4 signature with AWS's signing
// library and can fail requests at random). The whole pipeline — ingest, lake commit, batch
// views, attach, restart, verify — with only the log left in the local data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIN, startServer, tempDir, removeDir, sleep, ndjson, postJson, mulberry32, duckdb } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const oracle = path.join(here, '..', 'oracle');
const KEY = 'AKIDLAMINARTEST';
const SECRET = 'laminar-test-secret';

// Starts the S3 test server; resolves once it printed its ready line.
async function startS3({ failRate = 0, seed = 1, stallMs } = {}) {
  const dir = tempDir('laminar-s3-');
  const args = [path.join(here, '..', 's3', 's3_server.mjs'), '--port', '0', '--dir', dir, '--bucket', 'lake',
    '--access-key', KEY, '--secret-key', SECRET, '--fail-rate', String(failRate), '--seed', String(seed)];
  if (stallMs) args.push('--stall-ms', String(stallMs));
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  proc.stderr.on('data', (d) => (err += d));
  const ready = await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
    });
    proc.on('exit', (code) => reject(new Error(`s3_server exited ${code}: ${err}`)));
  });
  const url = `http://127.0.0.1:${ready.port}`;
  return {
    port: ready.port,
    dir,
    endpoint: url,
    control: (obj) => postJson(`${url}/__control`, obj),
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.on('exit', r));
      removeDir(dir);
    },
  };
}

function config(dir, s3, { secret = SECRET, retries = 6 } = {}) {
  const cfg = `${dir}.toml`;
  writeFileSync(cfg, `[lake]
url = "s3://lake/team-a"
endpoint = "${s3.endpoint}"
region = "us-east-1"
access_key_id = "${KEY}"
secret_access_key = "${secret}"
max_retries = ${retries}
[batch]
interval = 0
[log]
segment_max_age_seconds = 1
`);
  return cfg;
}

// Every regular file under dir (recursively).
function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function events(rand, from, n) {
  const recs = [];
  for (let i = 0; i < n; i++) {
    const k = from + i;
    recs.push({
      ts: new Date(Date.UTC(2026, 10, 20, Math.floor(rand() * 6), Math.floor(rand() * 60))).toISOString(),
      k,
      country: ['de', 'fr', 'us', 'jp'][Math.floor(rand() * 4)],
      x: Math.floor(rand() * 1000) / 8,
    });
  }
  return recs;
}

// Expected rows of the view: per country, count and sum(x).
function expected(all) {
  const m = new Map();
  for (const r of all) {
    const e = m.get(r.country) ?? { n: 0, sx: 0 };
    e.n++;
    e.sx += r.x;
    m.set(r.country, e);
  }
  return [...m.entries()].sort().map(([c, e]) => [c, e.n, e.sx]);
}

async function viewRows(srv) {
  const r = await srv.query('SELECT country, n, sx FROM by_country ORDER BY country');
  assert.equal(r.status, 200, r.text);
  return r.json;
}

function runCli(args) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => resolve({ code, out }));
  });
}

const DDL = `CREATE TABLE ev (ts timestamptz NOT NULL, k bigint NOT NULL, country text, x double precision);
CREATE MATERIALIZED VIEW by_country AS SELECT country, count(*) AS n, sum(x) AS sx FROM ev GROUP BY country`;

test('the whole pipeline with the lake and the views in S3: ingest, batch, attach, restart, verify', async () => {
  const s3 = await startS3();
  const dir = tempDir();
  const cfg = config(dir, s3);
  let srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
  try {
    assert.equal((await srv.sql(DDL)).status, 200);
    const rand = mulberry32(7);
    let all = [];
    for (let b = 0; b < 5; b++) {
      const recs = events(rand, all.length, 400);
      const r = await srv.ingest('ev', ndjson(recs));
      assert.equal(r.status, 200, r.text);
      all = all.concat(recs);
      const run = await postJson(`${srv.url}/v1/batch/run`, b === 4 ? { full: true } : {});
      assert.equal(run.status, 200, run.text);
    }
    let got = await viewRows(srv);
    assert.deepEqual(got.rows, expected(all));
    assert.ok(got.stats.batch_version >= 5 && got.stats.rows_from_speed === 0, JSON.stringify(got.stats));

    // Attach history written by DuckDB (int32 keys, timestamp_ms): it lands in S3 too.
    const con = await duckdb();
    const hist = path.join(dir + '-hist.parquet');
    await con.run(`COPY (SELECT TIMESTAMP '2025-01-01 00:00:00' + INTERVAL (i) MINUTE AS ts, i::INTEGER AS k,
                          CASE WHEN i % 2 = 0 THEN 'de' ELSE 'br' END AS country, i / 4 AS x
                   FROM range(1000) t(i)) TO '${hist}' (FORMAT parquet, COMPRESSION snappy)`);
    const att = await postJson(`${srv.url}/v1/lake/attach`, { stream: 'ev', path: hist });
    assert.equal(att.status, 200, att.text);
    assert.equal(att.json.rows, 1000);
    for (let i = 0; i < 1000; i++) all.push({ country: i % 2 === 0 ? 'de' : 'br', x: i / 4 });
    got = await viewRows(srv);
    assert.deepEqual(got.rows, expected(all));

    // The lake as S3 holds it, listed by the server and read back by DuckDB from s3rver's files.
    const lake = await srv.get('/v1/lake/ev');
    assert.equal(lake.status, 200, lake.text);
    assert.equal(lake.json.url, 's3://lake/team-a/lake');
    const files = lake.json.streams[0].files;
    assert.equal(files.reduce((a, f) => a + f.rows, 0), all.length);
    assert.ok(files.some((f) => f.source === 'attached'));
    const stored = walk(s3.dir).filter((p) => p.includes(`${path.sep}team-a${path.sep}lake${path.sep}ev${path.sep}`) && p.includes('.parquet'));
    const objects = stored.filter((p) => p.endsWith('.parquet._S3rver_object'));
    assert.ok(objects.length >= files.length, `s3rver holds ${objects.length} parquet objects, manifest names ${files.length}`);
    const list = objects.map((p) => `'${p}'`).join(', ');
    const n = (await con.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM read_parquet([${list}])`)).getRowObjects()[0].n;
    assert.equal(Number(n), all.length);

    // Nothing of the lake or the views in the local data directory: only the log.
    assert.deepEqual(walk(path.join(dir, 'lake')), []);
    assert.deepEqual(walk(path.join(dir, 'views')), []);
    assert.ok(walk(path.join(dir, 'log')).length > 0);

    // Restart: the views load their versions from S3 and answer the same.
    const version = got.stats.batch_version;
    assert.equal((await srv.stop()).code, 0);
    srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
    got = await viewRows(srv);
    assert.deepEqual(got.rows, expected(all));
    assert.equal(got.stats.batch_version, version);
    const v = await runCli(['verify', '--http', `127.0.0.1:${srv.port}`]);
    assert.equal(v.code, 0, v.out);
  } finally {
    await srv?.stop();
    await s3.stop();
    removeDir(dir);
  }
});

test('a wrong secret key is refused at start with S3\'s 403 and error code', async () => {
  const s3 = await startS3();
  const dir = tempDir();
  try {
    const cfg = config(dir, s3, { secret: 'not-the-secret' });
    await assert.rejects(startServer({ dataDir: dir, args: ['--config', cfg] }), (e) => {
      assert.match(e.message, /403/);
      assert.match(e.message, /SignatureDoesNotMatch/);
      return true;
    });
  } finally {
    await s3.stop();
    removeDir(dir);
  }
});

test('with S3 failing requests at random, the lake still ends exact', async () => {
  const s3 = await startS3({ failRate: 0.2, seed: 42, stallMs: 3000 });
  const dir = tempDir();
  const cfg = config(dir, s3, { retries: 1 });  // many faults reach Laminar
  let srv;
  try {
    // Starting may itself hit faults; retry it.
    for (let i = 0; ; i++) {
      try {
        srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
        break;
      } catch (e) {
        assert.ok(i < 10, `could not start under faults: ${e.message}`);
      }
    }
    let ddl;
    for (let i = 0; i < 20 && ddl?.status !== 200; i++) ddl = await srv.sql(DDL);
    assert.equal(ddl.status, 200, ddl.text);
    const rand = mulberry32(11);
    let all = [];
    let failedRuns = 0;
    for (let b = 0; b < 12; b++) {
      const recs = events(rand, all.length, 250);
      const r = await srv.ingest('ev', ndjson(recs));  // the log is local: never fails
      assert.equal(r.status, 200, r.text);
      all = all.concat(recs);
      const run = await postJson(`${srv.url}/v1/batch/run`, {});
      if (run.status !== 200) failedRuns++;
      // Whatever S3 does, the served answer stays exact (batch ⊕ speed).
      assert.deepEqual((await viewRows(srv)).rows, expected(all));
    }
    // Faults off: a run completes, and the lake, the views and verify agree with what was sent.
    assert.equal((await s3.control({ failRate: 0 })).status, 200);
    const run = await postJson(`${srv.url}/v1/batch/run`, {});
    assert.equal(run.status, 200, run.text);
    const lake = await srv.get('/v1/lake/ev');
    assert.equal(lake.json.streams[0].files.reduce((a, f) => a + f.rows, 0), all.length);
    assert.equal(lake.json.streams[0].last_seq, all.length);
    const got = await viewRows(srv);
    assert.deepEqual(got.rows, expected(all));
    assert.equal(got.stats.rows_from_speed, 0);
    let v = await runCli(['verify', '--http', `127.0.0.1:${srv.port}`]);
    assert.equal(v.code, 0, v.out);
    assert.equal((await srv.stop()).code, 0);
    srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
    assert.deepEqual((await viewRows(srv)).rows, expected(all));
    v = await runCli(['verify', '--http', `127.0.0.1:${srv.port}`]);
    assert.equal(v.code, 0, v.out);
    console.log(`# ${failedRuns} of 12 batch runs failed under faults; the lake ended exact`);
  } finally {
    await srv?.stop();
    await s3.stop();
    removeDir(dir);
  }
});
