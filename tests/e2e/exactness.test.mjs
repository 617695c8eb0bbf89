// Exactness under faults: random streams (late and out-of-order events), random batch runs
// (incremental, full, single view), graceful restarts and SIGKILLs at random points — while idle,
// with ingest requests in flight, in the middle of a batch run, and at every crash point of a lake
// commit and of a view publish. After every step each view answers exactly what a from-scratch
// reference computed here in JS says (bit for bit: doubles via fsum), POST /v1/verify is ok, and a
// view's batch version and horizon never go back. After each kill the data directory holds only
// whole view versions and a well-formed lake manifest (a kill mid-publish leaves the old version or
// the new one, never a mix). At the end `laminar verify --data-dir` (offline) passes.
//
// Reproduce a run: EXACTNESS_SEED=<seed> EXACTNESS_STEPS=<n> (the seed is printed; the seed fixes
// the events and the steps, the timing only where a kill lands). EXACTNESS_VERBOSE=1 prints the steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync, readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { BIN, startServer, tempDir, removeDir, sleep, ndjson, fsum, mulberry32 } from './lib.mjs';

const SEED = Number(process.env.EXACTNESS_SEED ?? 20261124) >>> 0;
const STEPS = Number(process.env.EXACTNESS_STEPS ?? 75);

// ---------------------------------------------------------------- seeded randomness

const rand = mulberry32(SEED);
const randint = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
function weighted(table) {
  const total = table.reduce((a, [w]) => a + w, 0);
  let r = rand() * total;
  for (const [w, v] of table) if ((r -= w) < 0) return v;
  return table[table.length - 1][1];
}

// ---------------------------------------------------------------- time helpers (micros, UTC)

const US_HOUR = 3600e6;
const US_DAY = 24 * US_HOUR;
const BASE = Date.UTC(2026, 10, 23) * 1000; // 2026-11-23T00:00:00Z in micros

// As Laminar prints a timestamptz: ISO-8601 UTC, fraction of up to 6 digits without trailing zeros.
function iso(us) {
  const ms = Math.floor(us / 1000);
  const rem = us - ms * 1000;
  const d = new Date(ms).toISOString();
  const frac = (d.slice(20, 23) + String(rem).padStart(3, '0')).replace(/0+$/, '');
  return d.slice(0, 19) + (frac ? '.' + frac : '') + 'Z';
}
const truncHour = (us) => Math.floor(us / US_HOUR) * US_HOUR;
const truncDay = (us) => Math.floor(us / US_DAY) * US_DAY;

// The same instant in one of the encodings ingest accepts.
function encodeTs(us) {
  const forms = ['z', 'z', 'offset', 'nozone', 'space'];
  if (us % 1e6 === 0) forms.push('epoch_s');
  if (us % 1000 === 0) forms.push('epoch_ms');
  switch (pick(forms)) {
    case 'z': return iso(us);
    case 'nozone': return iso(us).slice(0, -1);
    case 'space': return iso(us).slice(0, -1).replace('T', ' ');
    case 'epoch_s': return us / 1e6;
    case 'epoch_ms': return us / 1000;
    case 'offset': {
      const off = pick([-480, -210, -30, 0, 60, 330, 345, 600]); // minutes east of UTC
      const a = Math.abs(off);
      const hhmm = `${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
      return iso(us + off * 60e6).slice(0, -1) + (off < 0 ? '-' : '+') + hhmm;
    }
  }
}

// ---------------------------------------------------------------- the stream and its views

const DDL_TABLE = 'CREATE TABLE ev (ts timestamptz NOT NULL, k text, x double precision, n bigint, b bigint)';

// A JS reference per view: dims (name, fn(event)) then measures (name, kind, column), in the
// order of the SELECT list (dimensions first, so SELECT * has them first).
const VIEWS = [
  {
    name: 'v_hour',
    sql: `CREATE MATERIALIZED VIEW v_hour AS SELECT date_trunc('hour', ts) AS h, k, count(*) AS c, count(x) AS cx,
            sum(x) AS sx, sum(n) AS sn, min(n) AS mn, max(x) AS mx, avg(x) AS ax, avg(n) AS an FROM ev GROUP BY 1, 2`,
    dims: [['h', (e) => iso(truncHour(e.ts))], ['k', (e) => e.k]],
    measures: [['c', 'count*'], ['cx', 'count', 'x'], ['sx', 'sum', 'x'], ['sn', 'sum', 'n'], ['mn', 'min', 'n'],
               ['mx', 'max', 'x'], ['ax', 'avg', 'x'], ['an', 'avg', 'n']],
  },
  {
    name: 'v_filt',
    sql: `CREATE MATERIALIZED VIEW v_filt AS SELECT date_trunc('hour', ts) AS h, count(*) AS c, sum(x) AS sx,
            min(x) AS mnx, max(n) AS mxn, min(ts) AS t0 FROM ev
          WHERE x > 0 AND (k IS NULL OR k <> 'b') AND n % 3 <> 1 GROUP BY 1`,
    // SQL: a row passes only when the predicate is true (NULL is not).
    where: (e) => e.x !== null && e.x > 0 && (e.k === null || e.k !== 'b') && e.n !== null && e.n % 3n !== 1n,
    dims: [['h', (e) => iso(truncHour(e.ts))]],
    measures: [['c', 'count*'], ['sx', 'sum', 'x'], ['mnx', 'min', 'x'], ['mxn', 'max', 'n'], ['t0', 'min', 'ts']],
  },
  {
    name: 'v_day',
    sql: `CREATE MATERIALIZED VIEW v_day AS SELECT date_trunc('day', ts) AS d, count(*) AS c, count(k) AS ck,
            min(k) AS k0, max(k) AS k1, sum(n) AS sn, sum(x) AS sx, avg(x) AS ax, min(ts) AS t0, max(ts) AS t1
          FROM ev GROUP BY 1`,
    dims: [['d', (e) => iso(truncDay(e.ts))]],
    measures: [['c', 'count*'], ['ck', 'count', 'k'], ['k0', 'min', 'k'], ['k1', 'max', 'k'], ['sn', 'sum', 'n'],
               ['sx', 'sum', 'x'], ['ax', 'avg', 'x'], ['t0', 'min', 'ts'], ['t1', 'max', 'ts']],
  },
  {
    // One row per ingest request (b is unique per request): also how an unacked request is found.
    name: 'v_batch',
    sql: `CREATE MATERIALIZED VIEW v_batch AS SELECT b, count(*) AS c, sum(n) AS sn, max(ts) AS t1 FROM ev GROUP BY b`,
    dims: [['b', (e) => e.b]],
    measures: [['c', 'count*'], ['sn', 'sum', 'n'], ['t1', 'max', 'ts']],
  },
  {
    name: 'v_all',
    sql: `CREATE MATERIALIZED VIEW v_all AS SELECT count(*) AS c, count(n) AS cn, sum(x) AS sx, min(x) AS mnx,
            max(ts) AS t1 FROM ev`,
    dims: [],
    measures: [['c', 'count*'], ['cn', 'count', 'n'], ['sx', 'sum', 'x'], ['mnx', 'min', 'x'], ['t1', 'max', 'ts']],
  },
];

// Measures over a group's events, as SQL computes them (NULL inputs ignored; NULL over no input).
function measure(kind, col, events) {
  if (kind === 'count*') return events.length;
  const vals = events.map((e) => e[col]).filter((v) => v !== null);
  if (kind === 'count') return vals.length;
  if (vals.length === 0) return null;
  if (kind === 'sum' || kind === 'avg') {
    let s;
    if (col === 'n') {
      const big = vals.reduce((a, v) => a + v, 0n);
      assert.ok(big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= -BigInt(Number.MAX_SAFE_INTEGER), `test keeps sums safe: ${big} (${vals.length} values)`);
      s = Number(big);
    } else {
      s = fsum(vals);
    }
    return kind === 'sum' ? s : s / vals.length;
  }
  // min / max: numbers, BigInts, timestamps (micros) and text (code point order = UTF-8 byte order
  // for the BMP characters used here).
  let best = vals[0];
  for (const v of vals) if (kind === 'min' ? v < best : v > best) best = v;
  if (col === 'ts') return iso(best);
  if (col === 'n') return Number(best);
  return best;
}

// Column names and types as the docs give them: count → bigint, sum → the column's type, avg →
// double, min/max → the column's type; dimensions h, d are timestamptz buckets.
const COL_TYPE = { ts: 'timestamptz', k: 'text', x: 'double', n: 'bigint', b: 'bigint' };
function columnTypes(view) {
  const dims = view.dims.map(([n]) => `${n}:${n === 'h' || n === 'd' ? 'timestamptz' : COL_TYPE[n]}`);
  const ms = view.measures.map(([n, kind, col]) =>
    `${n}:${kind.startsWith('count') ? 'bigint' : kind === 'avg' ? 'double' : COL_TYPE[col]}`);
  return [...dims, ...ms];
}

function referenceRows(view, events, dims = view.dims, measures = view.measures) {
  const groups = new Map();
  for (const e of events) {
    if (view.where && !view.where(e)) continue;
    const key = dims.map(([, f]) => f(e));
    const ks = JSON.stringify(key);
    let g = groups.get(ks);
    if (!g) groups.set(ks, (g = { key, events: [] }));
    g.events.push(e);
  }
  // A view without dimensions holds one row, also over no events (as SELECT count(*) does).
  if (dims.length === 0 && groups.size === 0) groups.set('[]', { key: [], events: [] });
  return sortRows([...groups.values()].map((g) => [...g.key, ...measures.map(([, k, c]) => measure(k, c, g.events))]), dims.length);
}

function sortRows(rows, ndims) {
  const key = (r) => JSON.stringify(r.slice(0, ndims));
  return rows.map((r) => [key(r), r]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((x) => x[1]);
}

// Exact comparison with a readable report of the first differences.
function compareRows(label, got, want, ndims) {
  got = sortRows(got, ndims);
  const diffs = [];
  const n = Math.max(got.length, want.length);
  const gm = new Map(got.map((r) => [JSON.stringify(r.slice(0, ndims)), r]));
  const wm = new Map(want.map((r) => [JSON.stringify(r.slice(0, ndims)), r]));
  for (const [k, w] of wm) {
    const g = gm.get(k);
    if (!g) diffs.push(`missing row ${k}: expected ${JSON.stringify(w)}`);
    else if (!sameRow(g, w)) diffs.push(`row ${k}: expected ${JSON.stringify(w)}, got ${JSON.stringify(g)}`);
  }
  for (const [k, g] of gm) if (!wm.has(k)) diffs.push(`unexpected row ${k}: ${JSON.stringify(g)}`);
  if (gm.size !== got.length) diffs.push(`duplicate keys in the answer (${got.length} rows, ${gm.size} keys)`);
  if (diffs.length) {
    assert.fail(`${label}: answer differs from the from-scratch reference (${got.length} rows, expected ${want.length}, ${n} compared):\n  ` +
      diffs.slice(0, 8).join('\n  ') + (diffs.length > 8 ? `\n  ... ${diffs.length - 8} more` : ''));
  }
}
const sameRow = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

// ---------------------------------------------------------------- random events

const KS = [[14, 'a'], [12, 'b'], [10, 'c'], [6, 'd'], [4, 'Z'], [3, 'é'], [3, 'Ω'], [6, null], [4, undefined]];

function randomX() {
  const v = weighted([
    [8, null], [5, undefined],
    [15, () => randint(-100, 100)],
    [20, () => randint(-1e6, 1e6) / 1000], // 0.001 steps: naive sums round differently
    [15, () => (rand() < 0.5 ? -1 : 1) * (1 + rand()) * 10 ** randint(100, 200)], // huge, cancels
    [10, () => (rand() < 0.5 ? -1 : 1) * (1 + rand()) * 1e-300 * 10 ** -randint(0, 23)], // tiny, subnormal
    [27, () => (rand() - 0.5) * 10 ** randint(-5, 15)],
  ]);
  if (typeof v !== 'function') return v;
  const x = v();
  return x === 0 ? 0 : x; // never -0
}

function randomN() {
  const v = weighted([
    [8, null], [5, undefined],
    [60, () => BigInt(randint(-1000, 1000))],
    [27, () => BigInt((rand() < 0.5 ? -1 : 1) * Math.floor(rand() * 2 ** 36))],
  ]);
  return typeof v === 'function' ? v() : v;
}

// Stream time moves over ~2 days during the run; many events are late (hours, up to a day before
// the start) or out of order within minutes.
function randomTs(progress) {
  const now = BASE + Math.floor(progress * 2 * US_DAY);
  let us = weighted([
    [60, () => now - randint(0, 600) * 1e6 + randint(-1e6, 1e6)],
    [30, () => BASE + Math.floor(rand() * (now - BASE + 1))],
    [5, () => BASE - randint(1, 86400) * 1e6],
    [5, () => now + randint(0, 3600) * 1e6],
  ])();
  us = Math.floor(us);
  const prec = rand();
  if (prec < 0.5) us = Math.floor(us / 1e6) * 1e6;
  else if (prec < 0.75) us = Math.floor(us / 1000) * 1000;
  return us;
}

let nextBatchId = 1;
// One ingest request: its events (reference form), its body, and how many are good.
function randomBatch(progress, size = randint(1, 40)) {
  const b = nextBatchId++;
  const good = [];
  const records = [];
  for (let i = 0; i < size; i++) {
    const ts = randomTs(progress);
    const k = weighted(KS);
    const x = randomX();
    const n = randomN();
    const rec = { ts: encodeTs(ts) };
    if (k !== undefined) rec.k = k;
    if (x !== undefined) rec.x = x;
    if (n !== undefined) rec.n = n === null ? null : Number(n);
    rec.b = b;
    records.push(rec);
    good.push({ ts, k: k ?? null, x: x ?? null, n: n ?? null, b });
  }
  // A big value and its negation in one group now and then: only exact sums get this right.
  if (rand() < 0.15 && size > 1) {
    const m = (1 + rand()) * 10 ** randint(150, 250);
    const ts = randomTs(progress);
    for (const x of [m, -m]) {
      records.push({ ts: iso(ts), k: 'c', x, n: 1, b });
      good.push({ ts, k: 'c', x, n: 1n, b });
    }
  }
  // Sometimes one bad record: rejected, the good ones of the request accepted.
  let badIndex = -1;
  if (rand() < 0.05) {
    badIndex = randint(0, records.length);
    const bad = pick([{ ts: 'yesterday', b }, { k: 'a', b }, { ts: iso(BASE), n: 1.5, b }, { ts: iso(BASE), x: 'abc', b }]);
    records.splice(badIndex, 0, bad);
  }
  return { b, events: good, body: ndjson(records), badIndex };
}

// ---------------------------------------------------------------- data-directory inspection

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let j = 0; j < 8; j++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();
function crc32c(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
const maskCrc = (c) => ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;

// Every view directory holds only whole version files (magic, lengths, checksum, a header naming
// the view and the version of the file name); a leftover *.tmp of an interrupted publish is fine.
// The lake manifest is whole JSON, its segments are in order without overlap, and every file it
// names exists with the size it records. Returns {view: max version on disk}.
function inspectDataDir(dir, label) {
  const versions = {};
  const vdir = path.join(dir, 'views');
  for (const view of existsSync(vdir) ? readdirSync(vdir) : []) {
    let max = 0;
    for (const f of readdirSync(path.join(vdir, view))) {
      if (f.endsWith('.tmp')) continue;
      const m = /^v-(\d{20})\.state$/.exec(f);
      assert.ok(m, `${label}: unexpected file views/${view}/${f}`);
      const data = readFileSync(path.join(vdir, view, f));
      const where = `${label}: views/${view}/${f}`;
      assert.ok(data.length >= 24 && data.subarray(0, 8).toString('latin1') === 'LMNVIEW1', `${where}: bad magic or too short (${data.length} bytes)`);
      assert.equal(data.readUInt32LE(data.length - 4), maskCrc(crc32c(data.subarray(0, data.length - 4))), `${where}: checksum mismatch (a torn publish)`);
      const hlen = data.readUInt32LE(8);
      const header = JSON.parse(data.subarray(12, 12 + hlen).toString('utf8'));
      assert.equal(header.view, view, where);
      assert.equal(header.version, Number(m[1]), where);
      assert.equal(Number(data.readBigUInt64LE(12 + hlen)), data.length - 12 - hlen - 8 - 4, `${where}: state length`);
      max = Math.max(max, header.version);
    }
    versions[view] = max;
  }
  // The manifest is the highest version in lake/ev/_manifest/.
  const mdir = path.join(dir, 'lake', 'ev', '_manifest');
  const mnames = existsSync(mdir) ? readdirSync(mdir).filter((f) => /^\d{20}\.json$/.test(f)).sort() : [];
  const mpath = mnames.length ? path.join(mdir, mnames[mnames.length - 1]) : null;
  if (mpath) {
    const text = readFileSync(mpath, 'utf8');
    let m;
    assert.doesNotThrow(() => (m = JSON.parse(text)), `${label}: lake manifest is not whole JSON`);
    let last = 0;
    let lastId = 0;
    for (const s of m.segments) {
      assert.ok(s.segment_id > lastId, `${label}: manifest segments out of order at ${s.segment_id}`);
      lastId = s.segment_id;
      if (s.first_seq === 0 && s.last_seq === 0) continue;
      assert.ok(s.first_seq > last && s.last_seq >= s.first_seq, `${label}: manifest segment ${s.segment_id} seq ${s.first_seq}..${s.last_seq} after ${last}`);
      last = s.last_seq;
      const rows = s.files.reduce((a, f) => a + f.rows, 0);
      assert.equal(rows, s.last_seq - s.first_seq + 1, `${label}: manifest segment ${s.segment_id} rows`);
      for (const f of s.files) {
        const p = path.join(dir, 'lake', 'ev', f.path);
        assert.ok(existsSync(p), `${label}: manifest names a missing file ${f.path}`);
        assert.equal(statSync(p).size, f.bytes, `${label}: lake file ${f.path} changed size`);
      }
    }
  }
  return versions;
}

function runCli(args, timeoutMs = 60000) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out });
    });
  });
}

// POST with a deadline (a hung server fails the test instead of hanging it).
async function post(srv, p, body, contentType = 'application/json', timeoutMs = 60000) {
  const r = await fetch(`${srv.url}${p}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': contentType },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await r.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: r.status, text, json };
}

function withTimeout(promise, ms, what) {
  let timer;
  const expire = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, expire]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- the property

test(`random streams, batch runs, restarts and kills: every view equals the from-scratch reference (seed ${SEED}, ${STEPS} steps)`, { timeout: 15 * 60 * 1000 }, async () => {
  console.log(`exactness: EXACTNESS_SEED=${SEED} EXACTNESS_STEPS=${STEPS}`);
  const dir = tempDir('laminar-exactness-');
  const cfg = `${dir}.toml`;
  writeFileSync(cfg, '[batch]\ninterval = 0\n[log]\nsegment_max_bytes = 4096\n');
  const args = ['--config', cfg];

  const acked = [];          // every event whose request was acked (or found whole after a kill)
  let pending = [];          // requests without an answer when the server died: wholly there or not
  const history = [];        // step log, for the failure report
  const outputs = [];        // the output of the last servers
  const lastStats = {};      // view -> {batch_version, horizon}: never go back
  let maxAckedSeq = 0;
  let lastBatchMs = 50;
  const counts = {};
  const crashes = {};        // crash-point outcomes: killed / died (while starting) / not (reached)
  let srv = null;
  let step = -1;
  let expectAfter = null;    // after a crash point: which views serve the old or the new version
  let runOrder = VIEWS.map((v) => v.name).sort(); // the order runs publish views in (as they report it)

  const note = (s) => history.push(`step ${step}: ${s}`);
  const progress = () => Math.min(1, (step + 1) / STEPS);

  async function start(env = {}) {
    try {
      const s = await startServer({ dataDir: dir, args, env });
      outputs.push(() => s.output());
      if (outputs.length > 3) outputs.shift();
      return s;
    } catch (e) {
      outputs.push(() => String(e.message));
      if (outputs.length > 3) outputs.shift();
      if (env.LAMINAR_CRASH_AT && /exited early.*"signal":"SIGKILL"/.test(e.message)) return null; // died at the crash point while starting
      throw e;
    }
  }

  // Sends one request. Returns true when acked. With mayDie, a request without an answer (or with
  // a 5xx while the server goes down) becomes pending.
  async function send(s, batch, mayDie) {
    let r;
    try {
      r = await post(s, '/v1/streams/ev/events', batch.body, 'application/x-ndjson');
    } catch (e) {
      assert.ok(mayDie, `step ${step}: ingest of batch ${batch.b} failed: ${e.message}`);
      pending.push(batch);
      return false;
    }
    if (r.status !== 200 && mayDie && r.status >= 500) {
      pending.push(batch);
      return false;
    }
    assert.equal(r.status, 200, `step ${step}: ingest of batch ${batch.b}: ${r.text}`);
    assert.equal(r.json.accepted, batch.events.length, r.text);
    assert.equal(r.json.rejected, batch.badIndex >= 0 ? 1 : 0, r.text);
    if (batch.badIndex >= 0) assert.equal(r.json.errors[0].index, batch.badIndex, r.text);
    if (batch.events.length) maxAckedSeq = Math.max(maxAckedSeq, r.json.last_seq);
    for (const e of batch.events) acked.push(e);
    return true;
  }

  async function batchRun(s, body, mayDie) {
    const t0 = Date.now();
    let r;
    try {
      r = await post(s, '/v1/batch/run', body, 'application/json', 120000);
    } catch (e) {
      assert.ok(mayDie, `step ${step}: batch run ${JSON.stringify(body)} failed: ${e.message}`);
      return null;
    }
    if (mayDie && r.status >= 500) return null;
    assert.equal(r.status, 200, `step ${step}: batch run ${JSON.stringify(body)}: ${r.text}`);
    lastBatchMs = Math.max(10, Date.now() - t0);
    return r.json;
  }

  function randomRunBody() {
    return weighted([[45, {}], [25, { full: true }], [30, { view: pick(VIEWS).name }]]);
  }

  // After a kill: the directory is consistent while nobody has it open; sometimes also the offline
  // verifier on the crashed directory.
  async function afterDeath(label) {
    const before = inspectDataDir(dir, `${label} (killed)`);
    for (const [v, max] of Object.entries(before)) {
      if (lastStats[v]) assert.ok(max >= lastStats[v].batch_version, `${label}: views/${v} lost version ${lastStats[v].batch_version} (newest on disk ${max})`);
    }
    if (rand() < 0.25) {
      const r = await runCli(['verify', '--data-dir', dir]);
      assert.equal(r.code, 0, `${label}: offline verify of the crashed data dir failed:\n${r.out}`);
    }
  }

  // Answers after a step. Pending requests are settled first (v_batch has one row per request).
  async function check(label) {
    if (pending.length) {
      const r = await post(srv, '/v1/query', { sql: 'SELECT b, c FROM v_batch' });
      assert.equal(r.status, 200, r.text);
      const seen = new Map(r.json.rows.map(([b, c]) => [b, c]));
      for (const batch of pending) {
        const c = seen.get(batch.b);
        if (c === undefined) continue;
        assert.equal(c, batch.events.length, `${label}: unacked batch ${batch.b} is partially visible (${c} of ${batch.events.length})`);
        for (const e of batch.events) acked.push(e);
      }
      note(`settled ${pending.length} unacked requests: ${pending.filter((p) => seen.has(p.b)).length} present`);
      pending = [];
    }
    for (const view of VIEWS) {
      const r = await post(srv, '/v1/query', { sql: `SELECT * FROM ${view.name}` });
      assert.equal(r.status, 200, `${label}: ${view.name}: ${r.text}`);
      assert.deepEqual(r.json.columns.map((c) => `${c.name}:${c.type}`), columnTypes(view), `${label}: ${view.name} columns`);
      compareRows(`${label}: SELECT * FROM ${view.name} (stats ${JSON.stringify(r.json.stats)})`, r.json.rows, referenceRows(view, acked), view.dims.length);
      const st = r.json.stats;
      const prev = lastStats[view.name];
      if (prev) {
        assert.ok(st.batch_version >= prev.batch_version, `${label}: ${view.name} batch version went back from ${prev.batch_version} to ${st.batch_version}`);
        assert.ok(st.horizon >= prev.horizon, `${label}: ${view.name} horizon went back from ${prev.horizon} to ${st.horizon}`);
      }
      lastStats[view.name] = { batch_version: st.batch_version, horizon: st.horizon, speed_generations: st.speed_generations };
    }
    // Re-grouped queries merge batch and speed states at query time.
    const hour = VIEWS[0];
    const byK = await post(srv, '/v1/query', { sql: 'SELECT k, c, cx, sx, sn, mn, mx, ax, an FROM v_hour GROUP BY k' });
    assert.equal(byK.status, 200, byK.text);
    compareRows(`${label}: v_hour GROUP BY k`, byK.json.rows, referenceRows(hour, acked, [hour.dims[1]]), 1);
    const byDay = await post(srv, '/v1/query', {
      sql: "SELECT date_trunc('day', h) AS d, sum(c) AS c, sum(sx) AS sx, avg(ax) AS ax, max(mx) AS mx, min(mn) AS mn FROM v_hour GROUP BY 1",
    });
    assert.equal(byDay.status, 200, byDay.text);
    compareRows(`${label}: v_hour GROUP BY day`, byDay.json.rows,
      referenceRows(hour, acked, [['d', (e) => iso(truncDay(e.ts))]], [['c', 'count*'], ['sx', 'sum', 'x'], ['ax', 'avg', 'x'], ['mx', 'max', 'x'], ['mn', 'min', 'n']]), 1);
    const v = await post(srv, '/v1/verify', {}, 'application/json', 120000);
    assert.equal(v.status, 200, v.text);
    assert.ok(v.json.ok, `${label}: POST /v1/verify: ${JSON.stringify(v.json.views.filter((x) => !x.ok)).slice(0, 3000)}`);
  }

  const STEP_KINDS = [
    [30, 'ingest'], [18, 'batch'], [9, 'restart'], [6, 'kill_idle'], [10, 'kill_ingest'], [9, 'kill_batch'], [18, 'crash_point'],
  ];
  // objstore.before_publish: any object of the local lake or views store is written and fsynced
  // under a temporary name, not yet visible (which object depends on n).
  const CRASH_POINTS = ['lake.before_manifest', 'lake.after_manifest', 'objstore.before_publish',
                        'publish.before_write', 'publish.after_write'];

  try {
    srv = await start();
    const ddl = await srv.sql([DDL_TABLE, ...VIEWS.map((v) => v.sql)].join(';\n'));
    assert.equal(ddl.status, 200, ddl.text);
    const t0 = Date.now();

    for (step = 0; step < STEPS; step++) {
      const kind = step === 0 ? 'ingest' : weighted(STEP_KINDS);
      counts[kind] = (counts[kind] ?? 0) + 1;
      const label = `seed ${SEED} step ${step} (${kind})`;
      switch (kind) {
        case 'ingest': {
          const nreq = randint(1, 4);
          const batches = Array.from({ length: nreq }, () => randomBatch(progress()));
          if (rand() < 0.5) await Promise.all(batches.map((b) => send(srv, b, false)));
          else for (const b of batches) await send(srv, b, false);
          note(`ingest ${batches.map((b) => `b${b.b}:${b.events.length}`).join(' ')}`);
          break;
        }
        case 'batch': {
          const body = randomRunBody();
          // Queries while the run swaps versions in: each answer is one snapshot, so it equals the
          // reference (nothing is ingested meanwhile), whichever side of the swap it reads.
          const probes = [...new Set([body.view ?? pick(VIEWS).name, 'v_all'])].map((n) => VIEWS.find((v) => v.name === n));
          const want = probes.map((v) => referenceRows(v, acked));
          let done = false;
          let probed = 0;
          const prober = (async () => {
            while (!done) {
              for (const [i, v] of probes.entries()) {
                const q = await post(srv, '/v1/query', { sql: `SELECT * FROM ${v.name}` });
                assert.equal(q.status, 200, q.text);
                compareRows(`${label}: SELECT * FROM ${v.name} during batch run ${JSON.stringify(body)} (stats ${JSON.stringify(q.json.stats)})`, q.json.rows, want[i], v.dims.length);
                probed++;
              }
              await sleep(10);
            }
          })();
          const r = await batchRun(srv, body, false).finally(() => (done = true));
          await prober;
          if (!body.view) runOrder = r.views.map((v) => v.view);
          note(`batch run ${JSON.stringify(body)} (${probed} queries during it): ${r.views.map((v) => `${v.view} v${v.version} h${v.horizon}${v.published ? '' : ' unchanged'}`).join(', ')}; log segments deleted ${r.log_segments_deleted}`);
          // The run sealed the log: what it covers, it covers up to the last acked event.
          for (const v of r.views) assert.ok(v.horizon >= maxAckedSeq, `${label}: ${v.view} horizon ${v.horizon} < last acked seq ${maxAckedSeq} after ${JSON.stringify(body)}`);
          break;
        }
        case 'restart': {
          const e = await withTimeout(srv.stop(), 30000, 'SIGTERM shutdown');
          assert.equal(e.code, 0, `${label}: SIGTERM exit ${JSON.stringify(e)}:\n${srv.output().slice(-3000)}`);
          srv = await start();
          note('graceful restart');
          break;
        }
        case 'kill_idle': {
          await srv.kill();
          await afterDeath(label);
          srv = await start();
          note('SIGKILL while idle');
          break;
        }
        case 'kill_ingest': {
          // The requests are drawn up front, so the seed fixes everything but where the kill lands.
          let stop = false;
          let sent = 0;
          const queues = Array.from({ length: randint(1, 3) }, () => Array.from({ length: 30 }, () => randomBatch(progress(), randint(1, 25))));
          const client = async (queue) => {
            for (const b of queue) {
              if (stop) break;
              sent++;
              if (!(await send(srv, b, true))) break;
            }
          };
          const clients = queues.map(client);
          const delay = randint(5, 80);
          await sleep(delay);
          await srv.kill();
          stop = true;
          await Promise.all(clients);
          note(`SIGKILL after ${delay} ms of ingest (${sent} requests sent, ${pending.length} unanswered)`);
          await afterDeath(label);
          srv = await start();
          break;
        }
        case 'kill_batch': {
          for (const b of Array.from({ length: randint(0, 3) }, () => randomBatch(progress()))) await send(srv, b, false);
          const body = randomRunBody();
          const run = batchRun(srv, body, true);
          const delay = Math.floor(rand() * lastBatchMs * 1.5);
          await sleep(delay);
          await srv.kill();
          const r = await run;
          note(`SIGKILL ${delay} ms into batch run ${JSON.stringify(body)} (${r ? 'it had finished' : 'cut off'})`);
          await afterDeath(label);
          srv = await start();
          break;
        }
        case 'crash_point': {
          const name = pick(CRASH_POINTS);
          const nth = rand() < 0.6 ? 1 : randint(2, 4);
          const at = nth === 1 ? name : `${name}:${nth}`;
          const old = structuredClone(lastStats);
          const e = await withTimeout(srv.stop(), 30000, 'SIGTERM shutdown');
          assert.equal(e.code, 0, `${label}: SIGTERM exit ${JSON.stringify(e)}`);
          srv = await start({ LAMINAR_CRASH_AT: at });
          let how;
          if (!srv) {
            how = 'died while starting';
          } else {
            let ackedNow = 0;
            let diedInIngest = false;
            const batches = Array.from({ length: randint(1, 4) }, () => randomBatch(progress()));
            const body = randomRunBody();
            for (const b of batches) {
              // The background commit may reach a lake.* point while these are in flight.
              if (await send(srv, b, true)) ackedNow++;
              else {
                diedInIngest = true;
                break;
              }
            }
            // Now and then give the background commit (every second) time to reach a lake.* point.
            let diedIdle = false;
            if (!diedInIngest && rand() < 0.3) {
              diedIdle = await Promise.race([srv.exited.then(() => true), sleep(1500).then(() => false)]);
            }
            const r = diedInIngest || diedIdle ? null : await batchRun(srv, body, true);
            // Every view has new data, so a run over all views publishes each of them, in the
            // order runs report them; a lake commit comes before any publish.
            const targets = body.view ? [body.view] : runOrder;
            if (r) {
              // The point was not reached (n-th pass beyond this run's passes).
              assert.ok(name.startsWith('objstore.') || (name.startsWith('lake.') ? nth > 1 : nth > targets.length),
                `${label}: ${at} not reached by batch run ${JSON.stringify(body)} after ${ackedNow} acked requests: ${JSON.stringify(r)}`);
              const ex = await withTimeout(srv.stop(), 30000, 'SIGTERM shutdown');
              assert.equal(ex.code, 0, `${label}: SIGTERM exit ${JSON.stringify(ex)}`);
              how = `not reached by batch run ${JSON.stringify(body)}`;
            } else {
              const ex = await withTimeout(srv.exited, 30000, `death at ${at}`);
              assert.equal(ex.signal, 'SIGKILL', `${label}: expected death at ${at}, got ${JSON.stringify(ex)}:\n${srv.output().slice(-3000)}`);
              how = `killed itself during ${diedInIngest ? `ingest (${ackedNow} requests acked)` : diedIdle ? 'the background lake commit' : `batch run ${JSON.stringify(body)}`}`;
              // Which views must show the version from before the run, which the new one.
              // (Which object a kill at objstore.before_publish hit is not known: no expectation.)
              expectAfter = name.startsWith('objstore.') ? null : { old, want: {} };
              if (expectAfter) for (const v of VIEWS) expectAfter.want[v.name] = 'old';
              if (name.startsWith('publish.') && !diedInIngest && !diedIdle) {
                const killed = targets[nth - 1];
                for (let i = 0; i < nth - 1; i++) expectAfter.want[targets[i]] = 'new';
                expectAfter.want[killed] = name === 'publish.after_write' ? 'new' : 'old';
              }
            }
            if (how !== undefined && !how.startsWith('not reached')) {
              assert.match(srv.output(), new RegExp(`crash point ${name.replace('.', '\\.')} reached`), `${label}: died, but not at ${at}:\n${srv.output().slice(-3000)}`);
            }
          }
          note(`LAMINAR_CRASH_AT=${at}: ${how}`);
          crashes[how.split(' ')[0]] = (crashes[how.split(' ')[0]] ?? 0) + 1;
          await afterDeath(label);
          srv = await start();
          break;
        }
      }
      await check(label);
      if (expectAfter) {
        for (const [v, want] of Object.entries(expectAfter.want)) {
          const was = expectAfter.old[v];
          const now = lastStats[v];
          if (want === 'old') {
            assert.deepEqual([now.batch_version, now.horizon], [was.batch_version, was.horizon], `${label}: ${v} should still serve version ${was.batch_version} (horizon ${was.horizon})`);
          } else {
            assert.ok(now.batch_version > was.batch_version && now.horizon >= maxAckedSeq,
              `${label}: ${v} should serve the version published before the kill: was ${JSON.stringify(was)}, now ${JSON.stringify(now)}, last acked seq ${maxAckedSeq}`);
          }
        }
        note(`versions after the kill as expected: ${JSON.stringify(expectAfter.want)}`);
        expectAfter = null;
      }
      if (step % 15 === 14) {
        const r = await runCli(['verify', '--http', `127.0.0.1:${srv.port}`]);
        assert.equal(r.code, 0, `${label}: laminar verify --http:\n${r.out}`);
      }
    }

    const e = await withTimeout(srv.stop(), 30000, 'final SIGTERM shutdown');
    assert.equal(e.code, 0, `final SIGTERM exit ${JSON.stringify(e)}`);
    srv = null;
    inspectDataDir(dir, 'end');
    const r = await runCli(['verify', '--data-dir', dir]);
    assert.equal(r.code, 0, `laminar verify --data-dir at the end:\n${r.out}`);
    if (process.env.EXACTNESS_VERBOSE) console.log(history.join('\n'));
    console.log(`exactness: seed ${SEED}: ${STEPS} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${acked.length} events, ` +
      `${nextBatchId - 1} requests; steps ${JSON.stringify(counts)}; crash points ${JSON.stringify(crashes)}`);
  } catch (err) {
    err.message += `\n\nEXACTNESS_SEED=${SEED} EXACTNESS_STEPS=${STEPS}; data dir ${dir} (kept); last steps:\n  ${history.slice(-20).join('\n  ')}` +
      outputs.map((o, i) => `\n--- server output ${i - outputs.length + 1} (tail) ---\n${o().slice(-4000)}`).join('');
    throw err;
  } finally {
    if (srv) await srv.kill();
  }
  removeDir(dir);
  removeDir(cfg);
});

// A view without GROUP BY holds one row, as PostgreSQL's SELECT count(*) FROM t does (and as
// docs/sql.md says): also while its stream is empty and when its filter passes nothing, from the
// speed layer and from a batch version.
test('a view without dimensions holds one row over no events', async () => {
  const dir = tempDir('laminar-exactness-');
  const cfg = `${dir}.toml`;
  writeFileSync(cfg, '[batch]\ninterval = 0\n');
  const srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
  try {
    const ddl = await srv.sql(`${DDL_TABLE};
      CREATE MATERIALIZED VIEW v_all AS SELECT count(*) AS c, count(n) AS cn, sum(x) AS sx, min(x) AS mnx, max(ts) AS t1 FROM ev;
      CREATE MATERIALIZED VIEW v_none AS SELECT count(*) AS c, sum(n) AS sn FROM ev WHERE k = 'never'`);
    assert.equal(ddl.status, 200, ddl.text);
    const rows = async (view) => {
      const r = await srv.query(`SELECT * FROM ${view}`);
      assert.equal(r.status, 200, r.text);
      return r.json.rows;
    };
    const got = {};
    got['v_all, empty stream'] = await rows('v_all');
    const r = await srv.ingest('ev', ndjson([{ ts: iso(BASE), k: 'a', n: 1 }]));
    assert.equal(r.status, 200, r.text);
    got['v_none, speed layer'] = await rows('v_none');
    const run = await post(srv, '/v1/batch/run', {});
    assert.equal(run.status, 200, run.text);
    got['v_none, batch version'] = await rows('v_none');
    got['v_all, batch version'] = await rows('v_all');
    assert.deepEqual(got, {
      'v_all, empty stream': [[0, 0, null, null, null]],
      'v_none, speed layer': [[0, null]],
      'v_none, batch version': [[0, null]],
      'v_all, batch version': [[1, 1, null, null, iso(BASE)]],
    });
  } finally {
    await srv.stop();
    removeDir(dir);
    removeDir(cfg);
  }
});
