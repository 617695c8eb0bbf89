// The damage catalogue: files of a stopped server damaged, truncated or deleted as a disk, an
// operator or a script might, then the server started again. Each case ends in a clear refusal
// naming what is wrong (and, where the issue allows, a salvage that reports exactly what was
// lost) — never in silent loss or wrong totals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, truncateSync, rmSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { BIN, startServer, tempDir, removeDir, ndjson } from '../e2e/lib.mjs';

const DDL = 'CREATE TABLE ev (ts timestamptz NOT NULL, k text, n bigint)';
const VIEW = 'CREATE MATERIALIZED VIEW ev_k AS SELECT k, count(*) AS c, sum(n) AS s FROM ev GROUP BY k';

function setup(configText) {
  const dir = tempDir('laminar-damage-');
  const cfg = `${dir}.toml`;
  writeFileSync(cfg, configText);
  return { dir, cfg, args: ['--config', cfg] };
}

// `requests` ingest requests of `per` events each; returns the events' reference totals by k.
let nextN = 0;
async function ingest(srv, requests, per) {
  for (let r = 0; r < requests; r++) {
    const events = Array.from({ length: per }, (_, i) => {
      const n = nextN++;
      return { ts: new Date(Date.UTC(2024, 4, 1) + n * 1000).toISOString(), k: `k${n % 3}`, n };
    });
    const res = await srv.ingest('ev', ndjson(events));
    assert.equal(res.status, 200, res.text);
  }
}

async function must(p, what) {
  const r = await p;
  assert.equal(r.status, 200, `${what}: ${r.text}`);
  return r.json;
}
const rows = async (srv, sql) => (await must(srv.query(sql), sql)).rows;
const count = async (srv) => Number((await rows(srv, 'SELECT count(*) FROM ev'))[0][0]);

// The view's totals must equal the raw stream's, and verify must say OK.
async function viewMatchesStream(srv) {
  const raw = await rows(srv, 'SELECT k, count(*), sum(n) FROM ev GROUP BY k ORDER BY k');
  const view = await rows(srv, 'SELECT k, c, s FROM ev_k ORDER BY k');
  assert.deepEqual(view.map((r) => r.map(Number)), raw.map((r) => r.map(Number)), 'view totals = stream totals');
  const v = await must(srv.get ? fetch(`${srv.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    .then(async (r) => ({ status: r.status, text: await r.text() })).then((r) => ({ ...r, json: JSON.parse(r.text) })) : null, 'verify');
  for (const view of v.views) assert.ok(view.ok, `verify ${view.view}: ${JSON.stringify(view)}`);
}

// Starting must fail; returns its output.
function refusedStart(dir, args) {
  const r = spawnSync(BIN, ['serve', '--data-dir', dir, '--http', '127.0.0.1:0', '--pg', 'off', ...args], {
    encoding: 'utf8', timeout: 30000,
  });
  assert.notEqual(r.status, 0, `the server must refuse to start:\n${r.stdout}${r.stderr}`);
  assert.equal(r.signal, null, `the server must exit by itself, not hang:\n${r.stdout}${r.stderr}`);
  return r.stdout + r.stderr;
}

const segments = (dir) => readdirSync(path.join(dir, 'log', 'ev')).filter((f) => f.endsWith('.wal')).sort()
  .map((f) => path.join(dir, 'log', 'ev', f));

async function batchRun(srv) {
  const r = await fetch(`${srv.url}/v1/batch/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(r.status, 200, await r.text());
}

test('damage in the middle of the open log segment is corruption, not a torn tail; --salvage-wal keeps every valid record and reports the loss', async () => {
  const { dir, cfg, args } = setup('[batch]\ninterval = 0\n');
  try {
    let srv = await startServer({ dataDir: dir, args });
    assert.equal((await srv.sql(`${DDL}; ${VIEW}`)).status, 200);
    await ingest(srv, 40, 25);  // 40 records in one segment
    await srv.stop();
    const wal = segments(dir).at(-1);
    const bytes = readFileSync(wal);
    const mid = Math.floor(bytes.length / 2);
    for (let i = 0; i < 16; i++) bytes[mid + i] ^= 0x5a;
    writeFileSync(wal, bytes);

    const out = refusedStart(dir, args);
    assert.match(out, new RegExp(`${path.basename(wal)} is damaged at offset \\d+`));
    assert.match(out, /valid records follow at offset \d+/);
    assert.match(out, /--salvage-wal/);
    assert.deepEqual(readFileSync(wal), bytes, 'a refused start changes nothing');

    srv = await startServer({ dataDir: dir, args: [...args, '--salvage-wal'] });
    // Each lost range, counted once however often the output names it.
    const ranges = new Map([...srv.output().matchAll(/sequence numbers (\d+)\.\.(\d+) \((\d+) events\) are lost/g)]
      .map((m) => [`${m[1]}..${m[2]}`, Number(m[3])]));
    const lost = [...ranges.values()].reduce((a, b) => a + b, 0);
    assert.ok(lost >= 25 && lost <= 50, `one or two records' events are reported lost: ${lost}\n${srv.output()}`);
    assert.equal(await count(srv), 1000 - lost);
    await viewMatchesStream(srv);
    await srv.stop();
    // The loss is remembered: the next start needs no flag, and ingest goes on.
    srv = await startServer({ dataDir: dir, args });
    assert.equal(await count(srv), 1000 - lost);
    await ingest(srv, 1, 10);
    assert.equal(await count(srv), 1010 - lost);
    await viewMatchesStream(srv);
    await srv.stop();
  } finally {
    removeDir(dir);
    rmSync(cfg, { force: true });
  }
});

test('a torn tail of the open segment (no valid record after it) is cut at restart, with the cut reported', async () => {
  const { dir, cfg, args } = setup('[batch]\ninterval = 0\n');
  try {
    let srv = await startServer({ dataDir: dir, args });
    assert.equal((await srv.sql(`${DDL}; ${VIEW}`)).status, 200);
    await ingest(srv, 10, 25);
    await srv.stop();
    const wal = segments(dir).at(-1);
    truncateSync(wal, statSync(wal).size - 7);  // the last record cut short: a crash mid-write
    srv = await startServer({ dataDir: dir, args });
    assert.match(srv.output(), /torn tail at offset \d+/);
    assert.equal(await count(srv), 225);
    await viewMatchesStream(srv);
    await srv.stop();
  } finally {
    removeDir(dir);
    rmSync(cfg, { force: true });
  }
});

test('a deleted middle log segment is noticed: the start names the missing sequence numbers', async () => {
  const { dir, cfg, args } = setup('[log]\nsegment_max_bytes = 4096\n[batch]\ninterval = 0\n');
  try {
    let srv = await startServer({ dataDir: dir, args });
    assert.equal((await srv.sql(`${DDL}; ${VIEW}`)).status, 200);
    await ingest(srv, 6, 200);  // each record (~5 KB) seals its segment
    await srv.stop();
    const segs = segments(dir);
    assert.ok(segs.length >= 5, `several segments: ${segs.length}`);
    rmSync(segs[2]);
    const out = refusedStart(dir, args);
    assert.match(out, /sequence numbers 401\.\.600 are missing/);
    srv = await startServer({ dataDir: dir, args: [...args, '--salvage-wal'] });
    assert.match(srv.output(), /sequence numbers 401\.\.600 \(200 events\) are lost/);
    assert.equal(await count(srv), 1000);
    await viewMatchesStream(srv);
    await srv.stop();
  } finally {
    removeDir(dir);
    rmSync(cfg, { force: true });
  }
});

test('a log deleted below what the lake holds is noticed (lake and log must meet)', async () => {
  const { dir, cfg, args } = setup('[log]\nsegment_max_bytes = 4096\n[batch]\ninterval = 0\n');
  try {
    let srv = await startServer({ dataDir: dir, args });
    assert.equal((await srv.sql(`${DDL}; ${VIEW}`)).status, 200);
    await ingest(srv, 3, 200);
    await batchRun(srv);  // 1..600 in the lake; retention deletes those segments
    await ingest(srv, 3, 200);
    await srv.stop();
    const segs = segments(dir);
    rmSync(segs[0]);  // the oldest left: 601..800 in neither the lake nor the log
    const out = refusedStart(dir, args);
    assert.match(out, /events 601\.\.800 are neither in the lake/);
  } finally {
    removeDir(dir);
    rmSync(cfg, { force: true });
  }
});

test('a missing or damaged newest view version falls back without serving wrong totals', async () => {
  const { dir, cfg, args } = setup('[log]\nsegment_max_bytes = 4096\n[batch]\ninterval = 0\n');
  try {
    let srv = await startServer({ dataDir: dir, args });
    assert.equal((await srv.sql(`${DDL}; ${VIEW}`)).status, 200);
    await ingest(srv, 4, 200);
    await batchRun(srv);
    await ingest(srv, 4, 200);
    await batchRun(srv);  // retention deleted the log below the second version's horizon
    await ingest(srv, 2, 200);
    await srv.stop();
    const vdir = path.join(dir, 'views', 'ev_k');
    const versions = readdirSync(vdir).filter((f) => f.endsWith('.state')).sort();
    assert.ok(versions.length >= 2, versions.join(', '));
    rmSync(path.join(vdir, versions.at(-1)));
    srv = await startServer({ dataDir: dir, args });
    assert.equal(await count(srv), 2000);
    await viewMatchesStream(srv);
    await srv.stop();
    // Damaged instead of missing: the same.
    const again = readdirSync(vdir).filter((f) => f.endsWith('.state')).sort();
    const newest = path.join(vdir, again.at(-1));
    const b = readFileSync(newest);
    b[Math.floor(b.length / 2)] ^= 0xff;
    writeFileSync(newest, b);
    srv = await startServer({ dataDir: dir, args });
    await viewMatchesStream(srv);
    await srv.stop();
  } finally {
    removeDir(dir);
    rmSync(cfg, { force: true });
  }
});

test('a missing catalog never wipes the lake: the start is refused, and recover-catalog rebuilds it', async () => {
  const { dir, cfg, args } = setup('[log]\nsegment_max_bytes = 4096\n[batch]\ninterval = 0\n');
  const catalogFile = `${dir}.sql`;
  writeFileSync(catalogFile, `${DDL};\n${VIEW};\n`);
  try {
    let srv = await startServer({ dataDir: dir, args: [...args, '--catalog', catalogFile] });
    await ingest(srv, 4, 200);
    await batchRun(srv);
    await ingest(srv, 2, 200);
    await srv.stop();
    const lakeFiles = () => spawnSync('find', [path.join(dir, 'lake'), '-name', '*.parquet'], { encoding: 'utf8' }).stdout.trim().split('\n').sort();
    const before = lakeFiles();
    assert.ok(before.length > 0 && before[0] !== '');
    rmSync(path.join(dir, 'catalog'));

    const out = refusedStart(dir, [...args, '--catalog', catalogFile]);
    assert.match(out, /but no catalog file/);
    assert.match(out, /laminar recover-catalog/);
    assert.deepEqual(lakeFiles(), before, 'the lake is untouched');

    const rec = spawnSync(BIN, ['recover-catalog', '--data-dir', dir, ...args], { encoding: 'utf8' });
    assert.equal(rec.status, 0, rec.stdout + rec.stderr);
    assert.match(rec.stdout, /recovered stream ev/);
    assert.match(rec.stdout, /recovered materialized view ev_k/);
    // A second run refuses: there is a catalog now.
    assert.notEqual(spawnSync(BIN, ['recover-catalog', '--data-dir', dir, ...args]).status, 0);

    srv = await startServer({ dataDir: dir, args: [...args, '--catalog', catalogFile] });
    assert.equal(await count(srv), 1200);
    await viewMatchesStream(srv);
    await srv.stop();
  } finally {
    removeDir(dir);
    rmSync(cfg, { force: true });
    rmSync(catalogFile, { force: true });
  }
});
