// Server-side encryption of the lake in S3: the real binary with `[lake] sse` configured, against
// s3rver behind tests/s3/s3_server.mjs (which checks every SigV4 signature and refuses unsigned
// x-amz-* headers), with tests/e2e/s3_record_proxy.mjs in front recording what Laminar sends.
// s3rver accepts x-amz-server-side-encryption but neither stores nor echoes it, so the records are
// where the headers are checked: every request that creates an object (PutObject, conditional
// PutObject, CreateMultipartUpload) carries them, signed; UploadPart, CompleteMultipartUpload and
// the reads carry none (S3 refuses them there for SSE-S3 and SSE-KMS).
//
// LAMINAR_BIN defaults to build/test/src/app/laminar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRecordProxy } from './s3_record_proxy.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
process.env.LAMINAR_BIN ||= path.join(here, '..', '..', 'build', 'test', 'src', 'app', 'laminar');
// After LAMINAR_BIN is settled: lib.mjs reads it when loaded.
const { startServer, tempDir, removeDir, ndjson, postJson, mulberry32, duckdb } = await import('./lib.mjs');

const KEY = 'AKIDLAMINARTEST';
const SECRET = 'laminar-test-secret';
const KMS_KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const MiB = 1 << 20;

// s3_server.mjs, then the recording proxy in front of it.
async function startS3() {
  const dir = tempDir('laminar-s3-');
  const args = [path.join(here, '..', 's3', 's3_server.mjs'), '--port', '0', '--dir', dir, '--bucket', 'lake',
    '--access-key', KEY, '--secret-key', SECRET];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  proc.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => proc.on('exit', r));
  const ready = await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
    });
    proc.on('exit', (code) => reject(new Error(`s3_server exited ${code}: ${err}`)));
  });
  const proxy = await startRecordProxy({ target: `http://127.0.0.1:${ready.port}` });
  return {
    endpoint: proxy.endpoint,
    records: () => proxy.records().filter((r) => !r.path.startsWith('/__')),
    async stop() {
      await proxy.close();
      proc.kill('SIGTERM');
      await exited;
      removeDir(dir);
    },
  };
}

// The config: `[lake] sse` and `sse_kms_key_id` map straight onto objstore::S3Options. Multipart
// from 5 MiB (S3's minimum part size), so the attached file below goes up in parts.
function config(dir, s3, lakeExtra) {
  const cfg = `${dir}.toml`;
  writeFileSync(cfg, `[lake]
url = "s3://lake/enc"
endpoint = "${s3.endpoint}"
region = "us-east-1"
access_key_id = "${KEY}"
secret_access_key = "${SECRET}"
multipart_threshold = ${5 * MiB}
part_size = ${5 * MiB}
${lakeExtra}
[batch]
interval = 0
[log]
segment_max_age_seconds = 1
`);
  return cfg;
}

// What an S3 request is, from its method, query and headers.
function kind(r) {
  const q = new URL(r.path, 'http://x').searchParams;
  if (r.method === 'PUT' && q.has('partNumber')) return r.headers['x-amz-copy-source'] ? 'UploadPartCopy' : 'UploadPart';
  if (r.method === 'PUT' && r.headers['x-amz-copy-source']) return 'CopyObject';
  if (r.method === 'PUT') return r.headers['if-none-match'] !== undefined ? 'PutObject (If-None-Match)' : 'PutObject';
  if (r.method === 'POST' && q.has('uploads')) return 'CreateMultipartUpload';
  if (r.method === 'POST' && q.has('uploadId')) return 'CompleteMultipartUpload';
  if (r.method === 'DELETE' && q.has('uploadId')) return 'AbortMultipartUpload';
  if (r.method === 'GET' && q.has('list-type')) return 'ListObjectsV2';
  return { GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' }[r.method] ?? `${r.method}?`;
}
// The requests that create an object, and so must say how S3 encrypts it.
const CREATES = new Set(['PutObject', 'PutObject (If-None-Match)', 'CreateMultipartUpload', 'CopyObject']);

function signedHeaders(r) {
  const m = /SignedHeaders=([^,\s]+)/.exec(r.headers.authorization ?? '');
  return m ? m[1].split(';') : [];
}

// Checks every recorded request against `want` (the SSE headers an object-creating request must
// carry, exactly) and returns how many requests of each kind there were.
function checkSse(records, want) {
  assert.ok(records.length > 0, 'no S3 requests recorded');
  const counts = {};
  for (const r of records) {
    const k = kind(r);
    counts[k] = (counts[k] ?? 0) + 1;
    const what = `${k} ${r.method} ${r.path} → ${r.status}\n${JSON.stringify(r.headers, null, 1)}`;
    // s3_server.mjs verified the signature, SSE headers included: nothing was refused.
    assert.ok(r.status !== null && r.status !== 400 && r.status !== 403, what);
    const sse = Object.fromEntries(
      Object.entries(r.headers).filter(([h]) => h.startsWith('x-amz-server-side-encryption')));
    if (CREATES.has(k)) {
      assert.deepEqual(sse, want, what);
      const signed = signedHeaders(r);
      for (const h of Object.keys(want)) assert.ok(signed.includes(h), `${h} is not signed: ${what}`);
    } else {
      assert.deepEqual(sse, {}, what);
    }
  }
  return counts;
}

const DDL = `CREATE TABLE ev (ts timestamptz NOT NULL, k bigint NOT NULL, country text, note text, x double precision);
CREATE MATERIALIZED VIEW by_country AS SELECT country, count(*) AS n FROM ev GROUP BY country`;

function events(rand, from, n) {
  const recs = [];
  for (let i = 0; i < n; i++) {
    recs.push({
      ts: new Date(Date.UTC(2026, 10, 20, Math.floor(rand() * 6), Math.floor(rand() * 60))).toISOString(),
      k: from + i,
      country: ['de', 'fr', 'us'][Math.floor(rand() * 3)],
      note: `n${from + i}`,
      x: Math.floor(rand() * 1000) / 8,
    });
  }
  return recs;
}

function counts(all) {
  const m = new Map();
  for (const r of all) m.set(r.country, (m.get(r.country) ?? 0) + 1);
  return [...m.entries()].sort();
}

async function viewRows(srv) {
  const r = await srv.query('SELECT country, n FROM by_country ORDER BY country');
  assert.equal(r.status, 200, r.text);
  return r.json.rows;
}

// Ingest and batch runs (lake files by PUT, manifests by conditional PUT, view versions by PUT),
// then `rows` attached rows written by DuckDB with random, incompressible columns, so the lake
// file Laminar writes for them is above multipart_threshold and goes up as a multipart upload.
async function fillLake(srv, dir, attachRows) {
  assert.equal((await srv.sql(DDL)).status, 200);
  const rand = mulberry32(5);
  let all = [];
  for (let b = 0; b < 2; b++) {
    const recs = events(rand, all.length, 300);
    const r = await srv.ingest('ev', ndjson(recs));
    assert.equal(r.status, 200, r.text);
    all = all.concat(recs);
    const run = await postJson(`${srv.url}/v1/batch/run`, {});
    assert.equal(run.status, 200, run.text);
  }
  if (attachRows > 0) {
    const con = await duckdb();
    const hist = `${dir}-hist.parquet`;
    await con.run(`COPY (SELECT TIMESTAMP '2025-01-01 00:00:00' + INTERVAL (i * 10) MILLISECOND AS ts, i AS k,
                          CASE WHEN i % 2 = 0 THEN 'de' ELSE 'br' END AS country, md5(i::VARCHAR) AS note,
                          random() AS x
                   FROM range(${attachRows}) t(i)) TO '${hist}' (FORMAT parquet, COMPRESSION zstd)`);
    const att = await postJson(`${srv.url}/v1/lake/attach`, { stream: 'ev', path: hist });
    assert.equal(att.status, 200, att.text);
    assert.equal(att.json.rows, attachRows);
    for (let i = 0; i < attachRows; i++) all.push({ country: i % 2 === 0 ? 'de' : 'br' });
    const run = await postJson(`${srv.url}/v1/batch/run`, { full: true });
    assert.equal(run.status, 200, run.text);
  }
  assert.deepEqual(await viewRows(srv), counts(all));
  return all;
}

test('SSE-KMS with a key: every object Laminar creates in S3 carries both headers, signed; reads need none', async () => {
  const s3 = await startS3();
  const dir = tempDir();
  const cfg = config(dir, s3, `sse = "aws:kms"\nsse_kms_key_id = "${KMS_KEY}"`);
  let srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
  try {
    const all = await fillLake(srv, dir, 300000);
    const lake = await srv.get('/v1/lake/ev');
    assert.equal(lake.status, 200, lake.text);
    const big = Math.max(...lake.json.streams[0].files.map((f) => f.bytes));
    assert.ok(big > 5 * MiB, `the attached rows made a lake file of ${big} bytes; it must exceed multipart_threshold`);

    // Restart: the views come back from S3 (GETs of encrypted objects, nothing to send).
    assert.equal((await srv.stop()).code, 0);
    srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
    assert.deepEqual(await viewRows(srv), counts(all));

    const n = checkSse(s3.records(), {
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY,
    });
    console.log(`# S3 requests by kind: ${JSON.stringify(n)}`);
    for (const k of ['PutObject', 'PutObject (If-None-Match)', 'CreateMultipartUpload', 'CompleteMultipartUpload', 'GetObject']) {
      assert.ok(n[k] >= 1, `no ${k} seen: ${JSON.stringify(n)}`);
    }
    assert.ok(n.UploadPart >= 2, `a multipart upload of at least two parts: ${JSON.stringify(n)}`);
  } finally {
    await srv?.stop();
    await s3.stop();
    removeDir(dir);
  }
});

test('SSE-S3 (AES256): the header on every object-creating request, no KMS key header', async () => {
  const s3 = await startS3();
  const dir = tempDir();
  const cfg = config(dir, s3, 'sse = "AES256"');
  const srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
  try {
    await fillLake(srv, dir, 0);
    const n = checkSse(s3.records(), { 'x-amz-server-side-encryption': 'AES256' });
    assert.ok(n.PutObject >= 1 && n['PutObject (If-None-Match)'] >= 1, JSON.stringify(n));
  } finally {
    await srv.stop();
    await s3.stop();
    removeDir(dir);
  }
});

test('without sse, no request carries an encryption header', async () => {
  const s3 = await startS3();
  const dir = tempDir();
  const cfg = config(dir, s3, '');
  const srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
  try {
    await fillLake(srv, dir, 0);
    const n = checkSse(s3.records(), {});
    assert.ok(n.PutObject >= 1, JSON.stringify(n));
  } finally {
    await srv.stop();
    await s3.stop();
    removeDir(dir);
  }
});

test('an unknown sse value, or a KMS key without aws:kms, is refused at start naming the value', async () => {
  const s3 = await startS3();
  const dir = tempDir();
  try {
    for (const [extra, want] of [
      ['sse = "aes256"', /aes256/],
      ['sse = "SSE-C"', /SSE-C/],
      [`sse = "AES256"\nsse_kms_key_id = "${KMS_KEY}"`, /sse_kms_key_id/],
      [`sse_kms_key_id = "${KMS_KEY}"`, /sse_kms_key_id/],
    ]) {
      const cfg = config(dir, s3, extra);
      let started;
      try {
        started = await startServer({ dataDir: dir, args: ['--config', cfg] });
      } catch (e) {
        assert.match(e.message, want, extra);
        continue;
      }
      await started.stop();
      assert.fail(`laminar started with ${JSON.stringify(extra)}`);
    }
    // Refused before anything was written.
    assert.deepEqual(s3.records().filter((r) => CREATES.has(kind(r))), []);
  } finally {
    await s3.stop();
    removeDir(dir);
  }
});
