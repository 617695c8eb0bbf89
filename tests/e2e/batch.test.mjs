// The batch layer end to end: POST /v1/batch/run commits the log to the lake and publishes view
// versions with a horizon; queries merge batch(H) with speed(seq > H) and must equal a from-scratch
// reference computed here over every acked event (DESIGN.md contracts 3-6). Also: view swaps under
// concurrent ingest, redefinition recomputed from the lake, log retention and lake retention.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, startServer, tempDir, removeDir, sleep, ndjson, fsum, postJson, mulberry32 } from './lib.mjs';

// ---------------------------------------------------------------------------------------------
// Helpers (local to this file).

const rng = mulberry32;

const HOUR = 3600e3;
const DAY = 24 * HOUR;
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const hourOf = (ms) => iso(Math.floor(ms / HOUR) * HOUR);
const dayOf = (ms) => iso(Math.floor(ms / DAY) * DAY);

// Random events `{ts, k, x, n}` with event times in [startMs, startMs + spanMs), in random order.
// x mixes magnitudes (and a few ±1e15 that cancel) so that a naive floating-point sum depends on
// order; n is sometimes large so that the bigint sums are not trivially small.
function makeEvents(rand, count, startMs, spanMs, keys = ['a', 'b', 'c', 'd']) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const ms = startMs + Math.floor(rand() * spanMs);
    const r = rand();
    const x = r < 0.08 ? null
      : r < 0.12 ? (rand() < 0.5 ? 1e15 : -1e15)
      : (rand() - 0.5) * 10 ** Math.floor(rand() * 8 - 3);
    const q = rand();
    const n = q < 0.08 ? null : q < 0.2 ? Math.floor((rand() - 0.5) * 2e11) : Math.floor((rand() - 0.5) * 2000);
    const k = rand() < 0.05 ? null : keys[Math.floor(rand() * keys.length)];
    // Timestamps as ISO strings with milliseconds, a few as epoch milliseconds.
    out.push({ ts: rand() < 0.1 ? ms : new Date(ms).toISOString(), k, x, n });
  }
  return out;
}
const tsMs = (e) => (typeof e.ts === 'number' ? e.ts : Date.parse(e.ts));

// Measures of a reference aggregate, with SQL semantics (NULLs ignored; sum/avg/min/max of no
// values is NULL). Double sums are exact (fsum, the contract of Laminar's sum/avg states).
const nonNull = (es, f) => es.map(f).filter((v) => v !== null && v !== undefined);
const M = {
  count: () => (es) => es.length,
  countOf: (f) => (es) => nonNull(es, f).length,
  sumD: (f) => (es) => { const v = nonNull(es, f); return v.length ? fsum(v) : null; },
  sumI: (f) => (es) => {
    const v = nonNull(es, f);
    if (!v.length) return null;
    const s = v.reduce((a, b) => a + BigInt(b), 0n);
    assert.ok(s <= BigInt(Number.MAX_SAFE_INTEGER) && s >= -BigInt(Number.MAX_SAFE_INTEGER), 'reference sum out of JSON-safe range');
    return Number(s);
  },
  min: (f) => (es) => { const v = nonNull(es, f); return v.length ? v.reduce((a, b) => (b < a ? b : a)) : null; },
  max: (f) => (es) => { const v = nonNull(es, f); return v.length ? v.reduce((a, b) => (b > a ? b : a)) : null; },
  avg: (f) => (es) => { const v = nonNull(es, f); return v.length ? fsum(v) / v.length : null; },
};

// reference(events, {dims: [fn...], measures: [fn...], where}) -> { "[dims...]": [measures...] }
function reference(events, { dims, measures, where = () => true }) {
  const groups = new Map();
  for (const e of events) {
    if (!where(e)) continue;
    const key = JSON.stringify(dims.map((d) => d(e)));
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(e);
  }
  const out = {};
  for (const [key, es] of groups) out[key] = measures.map((m) => m(es));
  return out;
}

// Rows of a query whose first `nDims` columns are the group key, in the same shape.
function keyed(rows, nDims) {
  const out = {};
  for (const r of rows) {
    const key = JSON.stringify(r.slice(0, nDims));
    assert.ok(!(key in out), `duplicate group ${key} in the answer`);
    out[key] = r.slice(nDims);
  }
  return out;
}

// Dimension and measure functions for the views used below.
const D = { hour: (e) => hourOf(tsMs(e)), day: (e) => dayOf(tsMs(e)), k: (e) => e.k ?? null };
const X = (e) => e.x;
const N = (e) => e.n;

// V_HOURLY: the main view of these tests.
const V_HOURLY_SQL = `SELECT date_trunc('hour', ts) AS h, k, count(*) AS c, sum(x) AS sx, sum(n) AS sn,
  min(n) AS mn, max(x) AS mx, avg(x) AS ax FROM ev GROUP BY 1, 2`;
const V_HOURLY_REF = { dims: [D.hour, D.k], measures: [M.count(), M.sumD(X), M.sumI(N), M.min(N), M.max(X), M.avg(X)] };
const V_HOURLY_Q = 'SELECT h, k, c, sx, sn, mn, mx, ax FROM v';
const STREAM_DDL = 'CREATE TABLE ev (ts timestamptz NOT NULL, k text, x double precision, n bigint)';

function writeConfig(dir, text) {
  const p = `${dir}.toml`;
  writeFileSync(p, text);
  return p;
}

async function ok(resPromise, what) {
  const r = await resPromise;
  assert.equal(r.status, 200, `${what}: HTTP ${r.status} ${r.text}`);
  return r.json;
}

const batchRun = (srv, body) => postJson(`${srv.url}/v1/batch/run`, body ?? {});
const verify = (srv, body) => postJson(`${srv.url}/v1/verify`, body ?? {});

async function mustVerify(srv, what) {
  const v = await ok(verify(srv), `verify ${what}`);
  assert.equal(v.ok, true, `${what}: /v1/verify differs: ${JSON.stringify(v)}`);
  for (const x of v.views) assert.deepEqual(x.diffs, [], `${what}: ${x.view}`);
  return v;
}

// Posts events in requests of `per`, checking each ack; returns the last acked seq.
async function ingestAll(srv, events, per = 100) {
  let last = 0;
  for (let i = 0; i < events.length; i += per) {
    const chunk = events.slice(i, i + per);
    const r = await srv.ingest('ev', ndjson(chunk));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.accepted, chunk.length, r.text);
    assert.equal(r.json.rejected, 0, r.text);
    assert.equal(r.json.last_seq - r.json.first_seq + 1, chunk.length);
    assert.ok(r.json.first_seq > last, 'sequence numbers must increase');
    last = r.json.last_seq;
  }
  return last;
}

async function queryJson(srv, sql) {
  const r = await srv.query(sql);
  assert.equal(r.status, 200, `${sql}\n${r.text}`);
  return r.json;
}

function cli(args) {
  const r = spawnSync(BIN, args, { timeout: 120000, maxBuffer: 16 << 20 });
  return { status: r.status, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '', error: r.error };
}

const walFiles = (dir) => {
  const d = path.join(dir, 'log', 'ev');
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.wal')) : [];
};

// Runs `body(ctx)` with a server on a fresh data dir; on failure appends the server's output.
async function withServer(configText, body) {
  const dir = tempDir('laminar-batch-');
  const cfg = writeConfig(dir, configText);
  const ctx = {
    dir,
    cfg,
    srv: null,
    async start() {
      ctx.srv = await startServer({ dataDir: dir, args: ['--config', cfg] });
      return ctx.srv;
    },
    async stop() {
      const s = ctx.srv;
      last = s;
      ctx.srv = null;
      const exit = await s.stop();
      assert.equal(exit.code, 0, `server did not exit cleanly: ${JSON.stringify(exit)}\n${s.output().slice(-4000)}`);
    },
  };
  let last = null;
  try {
    await ctx.start();
    await body(ctx);
  } catch (e) {
    const s = ctx.srv ?? last;
    if (s) e.message += `\n--- server output (tail) ---\n${s.output().slice(-6000)}`;
    throw e;
  } finally {
    if (ctx.srv) await ctx.srv.stop();
    if (!process.env.LAMINAR_KEEP) {
      removeDir(dir);
      removeDir(cfg);
    }
  }
}

// ---------------------------------------------------------------------------------------------

test('batch run: versions, horizon handoff, incremental == full == reference, metadata and CLI', async () => {
  await withServer('[batch]\ninterval = 0\nretain_versions = 2\n', async (ctx) => {
    const srv = ctx.srv;
    const rand = rng(101);
    await ok(srv.sql(`${STREAM_DDL}; CREATE MATERIALIZED VIEW v AS ${V_HOURLY_SQL}`), 'DDL');

    // The initial (empty) version published when the view was created.
    const q0 = await queryJson(srv, V_HOURLY_Q);
    assert.equal(q0.row_count, 0);
    const v0 = q0.stats.batch_version;
    assert.ok(Number.isInteger(v0) && v0 >= 1, `initial batch_version ${v0}`);
    assert.equal(q0.stats.horizon, 0);
    const views0 = (await ok(srv.get('/v1/views'), 'views')).views.find((x) => x.name === 'v');
    assert.equal(views0.batch.version, v0);
    assert.equal(views0.batch.horizon, 0);
    assert.equal(views0.batch.rows, 0);

    // Phase A: six hours, out of order (the generator shuffles event times), in 5 requests.
    const base = Date.UTC(2024, 2, 10, 0, 0, 0);
    const A = makeEvents(rand, 500, base, 6 * HOUR);
    const lastA = await ingestAll(srv, A, 100);
    const refA = reference(A, V_HOURLY_REF);
    const groupsA = Object.keys(refA).length;

    const qA = await queryJson(srv, V_HOURLY_Q);
    assert.deepEqual(keyed(qA.rows, 2), refA, 'before any batch run: speed layer == reference');
    assert.equal(qA.stats.batch_version, v0, 'no batch run yet: still the initial version');
    assert.equal(qA.stats.horizon, 0);
    assert.equal(qA.stats.rows_from_batch, 0);
    assert.equal(qA.stats.rows_from_speed, groupsA);
    assert.ok(qA.stats.speed_generations >= 1);
    assert.equal(qA.stats.speed_max_seq, lastA);

    // First batch run: everything acked so far goes into the batch view.
    const run1 = await ok(batchRun(srv), 'batch run 1');
    assert.equal(run1.views.length, 1);
    const r1 = run1.views[0];
    assert.equal(r1.view, 'v');
    assert.equal(r1.published, true, JSON.stringify(r1));
    assert.ok(r1.version > v0, `version ${r1.version} after ${v0}`);
    assert.equal(r1.horizon, lastA, 'horizon == last acked seq');
    assert.equal(r1.events, A.length);
    assert.equal(r1.rows, groupsA);
    assert.ok(r1.files_read >= 6, `files_read ${r1.files_read}: one file per event hour at least`);
    assert.ok(r1.speed_generations_dropped >= 1);
    assert.ok(run1.log_segments_deleted >= 1, `log_segments_deleted ${run1.log_segments_deleted}`);

    const q1 = await queryJson(srv, V_HOURLY_Q);
    assert.deepEqual(keyed(q1.rows, 2), refA, 'after batch run 1: batch layer == reference');
    assert.equal(q1.stats.batch_version, r1.version);
    assert.equal(q1.stats.horizon, lastA);
    assert.equal(q1.stats.rows_from_batch, groupsA);
    assert.equal(q1.stats.rows_from_speed, 0);
    assert.equal(q1.stats.speed_generations, 0);

    // Phase B: late events in hours already in the batch view, a new later hour and one a day
    // earlier; now the answer merges batch and speed.
    const B = [
      ...makeEvents(rand, 150, base, 6 * HOUR),
      ...makeEvents(rand, 30, base + 9 * HOUR, HOUR),
      ...makeEvents(rand, 20, base - DAY, HOUR),
    ].sort(() => rand() - 0.5);
    const lastB = await ingestAll(srv, B, 40);
    const all = [...A, ...B];
    const refAll = reference(all, V_HOURLY_REF);
    const qB = await queryJson(srv, V_HOURLY_Q);
    assert.deepEqual(keyed(qB.rows, 2), refAll, 'batch ⊕ speed == reference over all acked events');
    assert.equal(qB.stats.batch_version, r1.version);
    assert.equal(qB.stats.horizon, lastA);
    assert.ok(qB.stats.rows_from_batch > 0);
    assert.equal(qB.stats.rows_from_speed, Object.keys(reference(B, V_HOURLY_REF)).length);
    assert.equal(qB.stats.speed_max_seq, lastB);

    // Re-grouping merges batch and speed states of the same key.
    const byK = await queryJson(srv, 'SELECT k, c, sx, sn, mn, mx, ax FROM v GROUP BY k');
    const refK = reference(all, { dims: [D.k], measures: V_HOURLY_REF.measures });
    assert.deepEqual(keyed(byK.rows, 1), refK, 'GROUP BY k over batch ⊕ speed');
    const tot = await queryJson(srv, 'SELECT sum(c), sum(sx), sum(sn), min(mn), max(mx), avg(ax) FROM v');
    assert.deepEqual(tot.rows, [[all.length, M.sumD(X)(all), M.sumI(N)(all), M.min(N)(all), M.max(X)(all), M.avg(X)(all)]]);

    // Incremental run: reads only the new files.
    const run2 = await ok(batchRun(srv, {}), 'batch run 2');
    const r2 = run2.views[0];
    assert.equal(r2.published, true);
    assert.equal(r2.full, false, 'an incremental run by default');
    assert.ok(r2.version > r1.version);
    assert.equal(r2.horizon, lastB);
    assert.equal(r2.events, all.length);
    assert.equal(r2.events_read, B.length, 'incremental: reads only the events committed since the last version');
    assert.equal(r2.rows, Object.keys(refAll).length);
    const inc = await queryJson(srv, V_HOURLY_Q);
    assert.deepEqual(keyed(inc.rows, 2), refAll, 'incremental version == reference');
    assert.equal(inc.stats.rows_from_speed, 0);
    assert.equal(inc.stats.horizon, lastB);
    const incK = await queryJson(srv, 'SELECT k, c, sx, sn, mn, mx, ax FROM v GROUP BY k');

    // A run with nothing new publishes nothing.
    const run3 = await ok(batchRun(srv), 'batch run 3');
    assert.equal(run3.views[0].published, false, JSON.stringify(run3));
    assert.equal(run3.views[0].version, r2.version);

    // Full recompute: same answers, bit for bit.
    const runF = await ok(batchRun(srv, { full: true }), 'full batch run');
    const rF = runF.views[0];
    assert.equal(rF.published, true);
    assert.equal(rF.full, true);
    assert.ok(rF.version > r2.version);
    assert.equal(rF.horizon, lastB);
    assert.equal(rF.events_read, all.length, 'full: reads the whole lake');
    assert.equal(rF.events, all.length);
    const full = await queryJson(srv, V_HOURLY_Q);
    assert.deepEqual(keyed(full.rows, 2), keyed(inc.rows, 2), 'full == incremental');
    assert.equal(full.stats.batch_version, rF.version);
    const fullK = await queryJson(srv, 'SELECT k, c, sx, sn, mn, mx, ax FROM v GROUP BY k');
    assert.deepEqual(keyed(fullK.rows, 1), keyed(incK.rows, 1));

    // GET /v1/views describes the published version.
    const vw = (await ok(srv.get('/v1/views'), 'views')).views.find((x) => x.name === 'v');
    assert.equal(vw.batch.version, rF.version);
    assert.equal(vw.batch.horizon, lastB);
    assert.equal(vw.batch.rows, Object.keys(refAll).length);
    assert.equal(vw.batch.events, all.length);
    assert.equal(vw.batch.full, true);
    assert.equal(typeof vw.batch.build_ms, 'number');
    assert.ok(vw.batch.build_ms >= 0);
    assert.ok(!Number.isNaN(Date.parse(vw.batch.created_at)), `created_at ${vw.batch.created_at}`);
    assert.equal(vw.speed.generations, 0);
    const st = (await ok(srv.get('/v1/streams'), 'streams')).streams.find((x) => x.name === 'ev');
    assert.equal(st.log.last_seq, lastB);
    assert.equal(st.lake.last_seq, lastB);
    assert.equal(st.lake.rows, all.length);

    // The CLI: one more ingest so that `batch run` publishes, then verify.
    const C = makeEvents(rand, 25, base, 6 * HOUR);
    const lastC = await ingestAll(srv, C, 25);
    all.push(...C);
    const host = `127.0.0.1:${srv.port}`;
    const b = cli(['batch', 'run', '--http', host]);
    assert.equal(b.status, 0, `laminar batch run: ${b.stdout}${b.stderr}`);
    assert.match(b.stdout, /^v\s+version\s+\d+\s+horizon\s+(\d+)/m);
    assert.equal(Number(b.stdout.match(/^v\s+version\s+\d+\s+horizon\s+(\d+)/m)[1]), lastC);
    assert.match(b.stdout, /published/);
    const bf = cli(['batch', 'run', '--full', '--view', 'v', '--http', host]);
    assert.equal(bf.status, 0, `laminar batch run --full --view v: ${bf.stdout}${bf.stderr}`);
    assert.match(bf.stdout, /published \(full\)/);
    const vc = cli(['verify', '--http', host]);
    assert.equal(vc.status, 0, `laminar verify --http: ${vc.stdout}${vc.stderr}`);
    assert.match(vc.stdout, /^v: OK/m);
    assert.doesNotMatch(vc.stdout, /DIFFERS/);
    const afterCli = await queryJson(srv, V_HOURLY_Q);
    assert.deepEqual(keyed(afterCli.rows, 2), reference(all, V_HOURLY_REF));
    assert.equal(afterCli.stats.horizon, lastC);

    // /v1/verify agrees.
    const ver = await mustVerify(srv, 'test 1');
    assert.equal(ver.views.length, 1);
    assert.equal(ver.views[0].served_rows, Object.keys(reference(all, V_HOURLY_REF)).length);
    assert.equal(ver.views[0].reference_rows, ver.views[0].served_rows);
    assert.equal(ver.views[0].events, all.length);
    assert.equal(ver.views[0].horizon, lastC);
    const verV = await ok(verify(srv, { view: 'v' }), 'verify view v');
    assert.equal(verV.ok, true);

    // Errors: unknown view, bad bodies.
    const nope = await batchRun(srv, { view: 'nope' });
    assert.equal(nope.status, 404, nope.text);
    assert.match(nope.json.error, /nope/);
    const badType = await batchRun(srv, { full: 'yes' });
    assert.equal(badType.status, 400, badType.text);
    const badField = await batchRun(srv, { fulll: true });
    assert.equal(badField.status, 400, badField.text);
    const notJson = await srv.get('/v1/batch/run');
    assert.notEqual(notJson.status, 200, 'GET /v1/batch/run must not run the batch layer');
    const { postRaw } = await import('./lib.mjs');
    const broken = await postRaw(`${srv.url}/v1/batch/run`, '{"full": tr', { 'content-type': 'application/json' });
    assert.equal(broken.status, 400, broken.text);
    const vnope = await verify(srv, { view: 'nope' });
    assert.equal(vnope.status, 404, vnope.text);
    const cliNope = cli(['batch', 'run', '--view', 'nope', '--http', host]);
    assert.notEqual(cliNope.status, 0, 'laminar batch run --view nope must fail');

    // Versions on disk: at most retain_versions, the newest among them.
    const lastVersion = afterCli.stats.batch_version;
    const files = readdirSync(path.join(ctx.dir, 'views', 'v')).filter((f) => f.endsWith('.state'));
    assert.ok(lastVersion - v0 + 1 > 2, 'more versions were made than are retained');
    assert.ok(files.length >= 1 && files.length <= 2, `versions on disk: ${files}`);
    assert.ok(files.includes(`v-${String(lastVersion).padStart(20, '0')}.state`), `newest version ${lastVersion} on disk: ${files}`);
  });
});

test('at least 100 view swaps under concurrent ingest: answers never go backwards, never miss or double-count', async () => {
  await withServer('[batch]\ninterval = 0\n', async (ctx) => {
    const srv = ctx.srv;
    await ok(srv.sql(`${STREAM_DDL}; CREATE MATERIALIZED VIEW v AS ${V_HOURLY_SQL}`), 'DDL');
    const rand = rng(202);
    const base = Date.UTC(2024, 4, 1);
    let sent = 0;
    let acked = 0;
    let ackedMaxSeq = 0;
    let stop = false;
    const ingestErrors = [];

    const ingestClient = async () => {
      while (!stop) {
        const n = 1 + Math.floor(rand() * 8);
        const recs = makeEvents(rand, n, base, 12 * HOUR);
        sent += n;
        const r = await srv.ingest('ev', ndjson(recs));
        if (r.status !== 200 || r.json.accepted !== n) {
          ingestErrors.push(r.text);
          continue;
        }
        acked += n;
        ackedMaxSeq = Math.max(ackedMaxSeq, r.json.last_seq);
      }
    };

    const queries = [];
    const queryLoop = async () => {
      let prev = { total: 0, version: 0, horizon: 0 };
      while (!stop) {
        const ackedBefore = acked;
        const r = await srv.query('SELECT sum(c) AS total FROM v');
        const sentAfter = sent;
        assert.equal(r.status, 200, r.text);
        const total = r.json.rows[0][0] ?? 0;
        const s = r.json.stats;
        queries.push({ ackedBefore, total, sentAfter, version: s.batch_version, horizon: s.horizon });
        assert.ok(total >= ackedBefore, `query total ${total} < ${ackedBefore} acked before it was sent (stats ${JSON.stringify(s)})`);
        assert.ok(total <= sentAfter, `query total ${total} > ${sentAfter} events ever sent (double counting; stats ${JSON.stringify(s)})`);
        assert.ok(total >= prev.total, `query total went backwards: ${prev.total} then ${total} (stats ${JSON.stringify(s)})`);
        assert.ok(s.batch_version >= prev.version, `batch_version went backwards: ${prev.version} then ${s.batch_version}`);
        assert.ok(s.horizon >= prev.horizon, `horizon went backwards: ${prev.horizon} then ${s.horizon}`);
        // One snapshot: the batch part covers seq 1..H exactly, the speed part only seqs above H.
        assert.ok(total >= s.horizon, `total ${total} < horizon ${s.horizon}: part of the batch version is missing`);
        assert.ok(total <= Math.max(s.horizon, s.speed_max_seq),
          `total ${total} > max(horizon ${s.horizon}, speed_max_seq ${s.speed_max_seq}): events counted twice`);
        prev = { total, version: s.batch_version, horizon: s.horizon };
      }
    };

    const runs = [];
    let published = 0;
    const batchLoop = async () => {
      const deadline = Date.now() + 100000;
      let lastVersion = 0;
      let lastHorizon = 0;
      while (published < 100 && Date.now() < deadline) {
        // Wait for events acked after the previous run, so that this run has something to seal.
        const seqBefore = ackedMaxSeq;
        if (seqBefore <= lastHorizon) {
          await sleep(1);
          continue;
        }
        const r = await batchRun(srv);
        assert.equal(r.status, 200, r.text);
        const v = r.json.views[0];
        runs.push(v);
        assert.equal(v.published, true, `run ${runs.length}: events up to seq ${seqBefore} were acked since horizon ${lastHorizon}, yet nothing was published: ${r.text}`);
        assert.ok(v.version > lastVersion, `version ${v.version} after ${lastVersion}`);
        assert.ok(v.horizon >= seqBefore, `run ${runs.length}: horizon ${v.horizon} < ${seqBefore}, acked before the run`);
        lastVersion = v.version;
        lastHorizon = v.horizon;
        published++;
      }
    };

    const started = Date.now();
    const ingesters = [ingestClient(), ingestClient()];
    const querier = queryLoop();
    try {
      await batchLoop();
    } finally {
      stop = true;
      await Promise.allSettled([...ingesters, querier]);
    }
    await Promise.all([...ingesters, querier]); // rethrow an assertion from the loops
    const elapsed = Date.now() - started;
    assert.deepEqual(ingestErrors, []);
    assert.ok(published >= 100, `only ${published} versions published in ${elapsed} ms`);
    assert.ok(queries.length >= 50, `only ${queries.length} queries ran during the swaps`);
    const versionsSeen = new Set(queries.map((q) => q.version));
    assert.ok(versionsSeen.size >= 10, `queries saw only ${versionsSeen.size} distinct batch versions`);

    assert.equal(sent, acked);
    const final = await queryJson(srv, 'SELECT sum(c) AS total FROM v');
    assert.equal(final.rows[0][0], acked, 'after the swaps: total == acked');
    await mustVerify(srv, 'after 100 swaps');
    const last = await ok(batchRun(srv), 'final batch run');
    assert.equal(last.views[0].horizon, acked);
    const final2 = await queryJson(srv, 'SELECT sum(c) AS total FROM v');
    assert.equal(final2.rows[0][0], acked);
    assert.equal(final2.stats.rows_from_speed, 0);
    await mustVerify(srv, 'after the final batch run');
  });
});

test('redefinition recomputes from the lake and the log tail; DROP + CREATE too; also after a restart', async () => {
  await withServer('[batch]\ninterval = 0\n', async (ctx) => {
    let srv = ctx.srv;
    const rand = rng(303);
    const W_SQL = 'CREATE MATERIALIZED VIEW w AS SELECT k, count(*) AS c, sum(n) AS sn FROM ev GROUP BY k';
    const W_REF = { dims: [D.k], measures: [M.count(), M.sumI(N)] };
    await ok(srv.sql(`${STREAM_DDL}; CREATE MATERIALIZED VIEW v AS ${V_HOURLY_SQL}; ${W_SQL}`), 'DDL');
    const base = Date.UTC(2024, 5, 9, 0, 0, 0);

    // History: batch-run into the lake; retention then deletes those log segments.
    const A = makeEvents(rand, 600, base, 3 * DAY);
    const lastA = await ingestAll(srv, A, 150);
    const run = await ok(batchRun(srv), 'batch run');
    assert.ok(run.log_segments_deleted >= 1, `log_segments_deleted ${run.log_segments_deleted}`);
    for (const x of run.views) assert.equal(x.horizon, lastA);
    let st = (await ok(srv.get('/v1/streams'), 'streams')).streams.find((x) => x.name === 'ev');
    assert.equal(st.lake.last_seq, lastA);
    assert.equal(st.lake.rows, A.length);
    assert.equal(st.log.segments, 0, `the history must now live only in the lake: ${JSON.stringify(st.log)}`);
    assert.deepEqual(walFiles(ctx.dir), []);

    // The log tail.
    const B = makeEvents(rand, 200, base - HOUR, 3 * DAY + 2 * HOUR);
    const lastB = await ingestAll(srv, B, 50);
    let all = [...A, ...B];
    const before = await queryJson(srv, V_HOURLY_Q);
    assert.deepEqual(keyed(before.rows, 2), reference(all, V_HOURLY_REF));
    const defBefore = before.stats.definition_version;

    // CREATE OR REPLACE with other dimensions, other measures and a WHERE filter.
    const V2_SQL = `SELECT date_trunc('day', ts) AS d, count(*) AS c, sum(n) AS sn, max(n) AS mxn, min(x) AS mnx,
      avg(x) AS ax FROM ev WHERE n > 0 AND k <> 'a' GROUP BY 1`;
    const V2_REF = {
      dims: [D.day],
      measures: [M.count(), M.sumI(N), M.max(N), M.min(X), M.avg(X)],
      where: (e) => e.n !== null && e.n > 0 && e.k !== null && e.k !== 'a',
    };
    const V2_Q = 'SELECT d, c, sn, mxn, mnx, ax FROM v';
    await ok(srv.sql(`CREATE OR REPLACE MATERIALIZED VIEW v AS ${V2_SQL}`), 'CREATE OR REPLACE');
    const waitServing = async (defVersion) => {
      const deadline = Date.now() + 60000;
      for (;;) {
        const vw = (await ok(srv.get('/v1/views'), 'views')).views.find((x) => x.name === 'v');
        if (vw && !vw.rebuilding && vw.serving_definition_version === vw.definition_version &&
            (defVersion === undefined || vw.definition_version === defVersion)) return vw;
        assert.ok(Date.now() < deadline, `view v still rebuilding: ${JSON.stringify(vw)}`);
        await sleep(100);
      }
    };
    const vw2 = await waitServing();
    assert.ok(vw2.definition_version > defBefore, `definition_version ${vw2.definition_version} after ${defBefore}`);
    const q2 = await queryJson(srv, V2_Q);
    assert.deepEqual(q2.columns.map((c) => c.name), ['d', 'c', 'sn', 'mxn', 'mnx', 'ax']);
    assert.deepEqual(keyed(q2.rows, 1), reference(all, V2_REF), 'redefined view == reference over lake + log tail');
    assert.ok(q2.stats.definition_version > defBefore, `stats.definition_version ${q2.stats.definition_version}`);
    assert.equal(q2.stats.horizon, lastA, 'the rebuilt version covers the lake; the tail comes from the log');
    assert.ok(q2.stats.rows_from_speed > 0);
    const old = await srv.query('SELECT h, k, sx FROM v');
    assert.equal(old.status, 400, `the old definition's columns must be gone: ${old.text}`);
    assert.deepEqual(keyed((await queryJson(srv, 'SELECT k, c, sn FROM w')).rows, 1), reference(all, W_REF), 'w untouched');
    await mustVerify(srv, 'after CREATE OR REPLACE');

    // A batch run after the redefinition carries on from the new definition.
    const C = makeEvents(rand, 100, base, 3 * DAY);
    await ingestAll(srv, C, 50);
    all = [...all, ...C];
    const run2 = await ok(batchRun(srv), 'batch run after redefinition');
    assert.ok(run2.views.every((x) => x.published), JSON.stringify(run2));
    const q3 = await queryJson(srv, V2_Q);
    assert.deepEqual(keyed(q3.rows, 1), reference(all, V2_REF));
    assert.equal(q3.stats.rows_from_speed, 0);
    assert.ok(q3.stats.definition_version > defBefore);
    await mustVerify(srv, 'after the batch run on the new definition');

    // DROP + CREATE with yet another definition rebuilds from the whole history, too.
    const D_ = makeEvents(rand, 60, base, 3 * DAY);
    await ingestAll(srv, D_, 60); // a log tail again
    all = [...all, ...D_];
    await ok(srv.sql('DROP MATERIALIZED VIEW v'), 'DROP');
    const gone = await srv.query('SELECT * FROM v');
    assert.equal(gone.status, 400);
    const V3_SQL = `SELECT k, date_trunc('hour', ts) AS h, count(*) AS c, sum(x) AS sx, min(n) AS mn, count(x) AS cx
      FROM ev WHERE x >= 0 GROUP BY 1, 2`;
    const V3_REF = {
      dims: [D.k, D.hour],
      measures: [M.count(), M.sumD(X), M.min(N), M.countOf(X)],
      where: (e) => e.x !== null && e.x >= 0,
    };
    const V3_Q = 'SELECT k, h, c, sx, mn, cx FROM v';
    await ok(srv.sql(`CREATE MATERIALIZED VIEW v AS ${V3_SQL}`), 'CREATE after DROP');
    await waitServing();
    const q4 = await queryJson(srv, V3_Q);
    assert.deepEqual(keyed(q4.rows, 2), reference(all, V3_REF), 'DROP + CREATE == reference over the whole history');
    const dayTotals = await queryJson(srv, "SELECT date_trunc('day', h) AS d, sum(c), sum(sx) FROM v GROUP BY 1");
    assert.deepEqual(keyed(dayTotals.rows, 1),
      reference(all, { dims: [D.day], measures: [M.count(), M.sumD(X)], where: V3_REF.where }));
    await mustVerify(srv, 'after DROP + CREATE');

    // Restart: the same answers from the versions on disk, the lake and the log.
    const wBefore = (await queryJson(srv, 'SELECT k, c, sn FROM w')).rows;
    await ctx.stop();
    srv = await ctx.start();
    const q5 = await queryJson(srv, V3_Q);
    assert.deepEqual(keyed(q5.rows, 2), reference(all, V3_REF), 'after restart: v == reference');
    assert.deepEqual(keyed((await queryJson(srv, 'SELECT k, c, sn FROM w')).rows, 1), reference(all, W_REF), 'after restart: w');
    assert.deepEqual(keyed((await queryJson(srv, 'SELECT k, c, sn FROM w')).rows, 1), keyed(wBefore, 1));
    await mustVerify(srv, 'after restart');
    // And the batch layer carries on after the restart.
    const E = makeEvents(rand, 50, base, 3 * DAY);
    const lastE = await ingestAll(srv, E, 50);
    all = [...all, ...E];
    const run3 = await ok(batchRun(srv), 'batch run after restart');
    for (const x of run3.views) assert.equal(x.horizon, lastE, JSON.stringify(x));
    assert.deepEqual(keyed((await queryJson(srv, V3_Q)).rows, 2), reference(all, V3_REF));
    assert.deepEqual(keyed((await queryJson(srv, 'SELECT k, c, sn FROM w')).rows, 1), reference(all, W_REF));
    await mustVerify(srv, 'after restart and batch run');
    assert.ok(lastB < lastE);
  });
});

test('log retention: segments in the lake and below every horizon are deleted; nothing acked is lost; offline verify', async () => {
  await withServer('[log]\nsegment_max_bytes = 4096\n[batch]\ninterval = 0\n', async (ctx) => {
    let srv = ctx.srv;
    const rand = rng(404);
    await ok(srv.sql(`${STREAM_DDL}; CREATE MATERIALIZED VIEW v AS ${V_HOURLY_SQL};
      CREATE MATERIALIZED VIEW t AS SELECT count(*) AS c, sum(n) AS sn FROM ev`), 'DDL');
    const base = Date.UTC(2024, 6, 1);
    const A = makeEvents(rand, 1500, base, 8 * HOUR);
    await ingestAll(srv, A, 25);
    const s0 = (await ok(srv.get('/v1/streams'), 'streams')).streams.find((x) => x.name === 'ev');
    const wal0 = walFiles(ctx.dir);
    assert.ok(s0.log.segments >= 5, `small segments: expected several, got ${JSON.stringify(s0.log)}`);
    assert.ok(wal0.length >= 5, `wal files: ${wal0}`);

    const run = await ok(batchRun(srv), 'batch run');
    assert.ok(run.log_segments_deleted >= s0.log.segments - 1, `log_segments_deleted ${run.log_segments_deleted} of ${s0.log.segments}`);
    const s1 = (await ok(srv.get('/v1/streams'), 'streams')).streams.find((x) => x.name === 'ev');
    const wal1 = walFiles(ctx.dir);
    assert.ok(s1.log.segments < s0.log.segments, `log segments ${s0.log.segments} -> ${s1.log.segments}`);
    assert.ok(wal1.length < wal0.length, `wal files ${wal0.length} -> ${wal1.length}`);
    assert.ok(s1.log.bytes < s0.log.bytes);
    assert.equal(s1.lake.rows, A.length);

    // A log tail that is not in the lake yet, over several small segments.
    const B = makeEvents(rand, 300, base, 8 * HOUR);
    const lastB = await ingestAll(srv, B, 25);
    const all = [...A, ...B];
    const ref = reference(all, V_HOURLY_REF);
    assert.deepEqual(keyed((await queryJson(srv, V_HOURLY_Q)).rows, 2), ref);

    // Restart: every acked event counted exactly once (batch version + log tail).
    await ctx.stop();
    srv = await ctx.start();
    const q = await queryJson(srv, V_HOURLY_Q);
    assert.deepEqual(keyed(q.rows, 2), ref, 'after restart: v == reference');
    const t = await queryJson(srv, 'SELECT c, sn FROM t');
    assert.deepEqual(t.rows, [[all.length, M.sumI(N)(all)]], 'after restart: every acked event exactly once');
    const s2 = (await ok(srv.get('/v1/streams'), 'streams')).streams.find((x) => x.name === 'ev');
    assert.equal(s2.log.last_seq, lastB, 'sequence numbers survive the deletion of old segments');
    // New events after the restart continue the sequence.
    const C = makeEvents(rand, 10, base, 8 * HOUR);
    const r = await srv.ingest('ev', ndjson(C));
    assert.equal(r.json.first_seq, lastB + 1, r.text);
    all.push(...C);
    await ctx.stop();

    // Offline verify, server stopped.
    const v = cli(['verify', '--data-dir', ctx.dir]);
    assert.equal(v.status, 0, `laminar verify --data-dir: ${v.stdout}${v.stderr}`);
    assert.match(v.stdout, /^v: OK/m);
    assert.match(v.stdout, /^t: OK/m);
    assert.doesNotMatch(v.stdout, /DIFFERS/);
    const vv = cli(['verify', '--data-dir', ctx.dir, '--view', 't']);
    assert.equal(vv.status, 0, `laminar verify --data-dir --view t: ${vv.stdout}${vv.stderr}`);
    assert.match(vv.stdout, new RegExp(`^t: OK .*\\b${all.length} events`, 'm'));

    srv = await ctx.start();
    assert.deepEqual((await queryJson(srv, 'SELECT c, sn FROM t')).rows, [[all.length, M.sumI(N)(all)]]);
  });
});

test('lake retention drops old partitions and recomputes the views', async () => {
  // First without lake retention: old and recent events both reach the lake and a batch version.
  const dir = tempDir('laminar-batch-');
  const cfgKeep = writeConfig(`${dir}-keep`, '[batch]\ninterval = 0\n');
  const cfgRetain = writeConfig(`${dir}-retain`, '[batch]\ninterval = 0\n[lake]\nretention = "2h"\n');
  let srv = await startServer({ dataDir: dir, args: ['--config', cfgKeep] });
  try {
    const rand = rng(505);
    await ok(srv.sql(`${STREAM_DDL}; CREATE MATERIALIZED VIEW v AS ${V_HOURLY_SQL};
      CREATE MATERIALIZED VIEW byk AS SELECT k, count(*) AS c, sum(x) AS sx FROM ev GROUP BY k`), 'DDL');
    const now = Date.now();
    // Days old, over several hours and dates; and recent (within the last 50 minutes).
    const old = [
      ...makeEvents(rand, 200, now - 5 * DAY, 3 * HOUR),
      ...makeEvents(rand, 200, now - 3 * DAY, 5 * HOUR),
      ...makeEvents(rand, 50, now - 1 * DAY - 6 * HOUR, HOUR),
    ];
    const recent1 = makeEvents(rand, 150, now - 50 * 60e3, 50 * 60e3);
    await ingestAll(srv, [...old, ...recent1].sort(() => rand() - 0.5), 100);
    const run0 = await ok(batchRun(srv), 'batch run without retention');
    assert.equal(run0.lake_files_dropped, 0);
    const everything = [...old, ...recent1];
    assert.deepEqual(keyed((await queryJson(srv, V_HOURLY_Q)).rows, 2), reference(everything, V_HOURLY_REF));
    const oldDates = [...new Set(old.map((e) => dayOf(tsMs(e)).slice(0, 10)))];
    const lakeDir = path.join(dir, 'lake', 'ev');
    for (const d of oldDates) assert.ok(existsSync(path.join(lakeDir, `event_date=${d}`)), `partition ${d} in the lake`);
    const exit = await srv.stop();
    assert.equal(exit.code, 0);

    // Now with retention = 2h.
    srv = await startServer({ dataDir: dir, args: ['--config', cfgRetain] });
    const recent2 = makeEvents(rand, 100, Date.now() - 30 * 60e3, 30 * 60e3);
    await ingestAll(srv, recent2, 50);
    const recent = [...recent1, ...recent2];
    const run = await ok(batchRun(srv), 'batch run with retention');
    assert.ok(run.lake_files_dropped > 0, `lake_files_dropped ${run.lake_files_dropped}: ${JSON.stringify(run)}`);
    for (const d of oldDates)
      assert.ok(!existsSync(path.join(lakeDir, `event_date=${d}`)), `old partition event_date=${d} still in the lake: ${readdirSync(lakeDir)}`);
    const recentDates = [...new Set(recent.map((e) => dayOf(tsMs(e)).slice(0, 10)))];
    for (const d of recentDates) assert.ok(existsSync(path.join(lakeDir, `event_date=${d}`)), `recent partition ${d} kept`);
    for (const v of run.views) {
      assert.equal(v.published, true, JSON.stringify(v));
      assert.equal(v.events, recent.length, `${v.view}: the new version holds only the retained events`);
    }

    const q = await queryJson(srv, V_HOURLY_Q);
    assert.deepEqual(keyed(q.rows, 2), reference(recent, V_HOURLY_REF), 'old events are gone, every recent one is counted');
    assert.equal(q.stats.rows_from_speed, 0);
    const qk = await queryJson(srv, 'SELECT k, c, sx FROM byk');
    assert.deepEqual(keyed(qk.rows, 1), reference(recent, { dims: [D.k], measures: [M.count(), M.sumD(X)] }));
    const st = (await ok(srv.get('/v1/streams'), 'streams')).streams.find((x) => x.name === 'ev');
    assert.equal(st.lake.rows, recent.length);
    await mustVerify(srv, 'after lake retention');

    // New events keep flowing on top of the recomputed versions, also across a restart.
    const recent3 = makeEvents(rand, 40, Date.now() - 10 * 60e3, 10 * 60e3);
    await ingestAll(srv, recent3, 40);
    const kept = [...recent, ...recent3];
    assert.deepEqual(keyed((await queryJson(srv, V_HOURLY_Q)).rows, 2), reference(kept, V_HOURLY_REF));
    assert.equal((await srv.stop()).code, 0);
    srv = await startServer({ dataDir: dir, args: ['--config', cfgRetain] });
    assert.deepEqual(keyed((await queryJson(srv, V_HOURLY_Q)).rows, 2), reference(kept, V_HOURLY_REF), 'after restart');
    await mustVerify(srv, 'after lake retention and restart');
  } catch (e) {
    e.message += `\n--- server output (tail) ---\n${srv.output().slice(-6000)}`;
    throw e;
  } finally {
    await srv.stop();
    if (!process.env.LAMINAR_KEEP) {
      removeDir(dir);
      removeDir(cfgKeep);
      removeDir(cfgRetain);
    }
  }
});
