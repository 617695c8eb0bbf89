// Kill loop: mixed ingest, queries and batch runs against the real binary, killed with SIGKILL at
// a random moment, restarted, checked, again and again. After every restart:
//   - every acknowledged batch of events is present exactly once, whole (a batch is one log
//     record: never half visible), in every view and in the stream itself (lake + log);
//   - every batch that is present was sent (nothing invented);
//   - the stream's count and sum, and the other view's, agree with the acknowledged batches;
//   - `POST /v1/verify` finds every view equal to its from-scratch computation (every 10th
//     restart and the last: it recomputes every view from the whole lake).
// Sizes: LAMINAR_KILL_CYCLES (default 200) cycles and LAMINAR_KILL_EVENTS (default 1,000,000)
// events in all, the CI-sized setting (a few minutes on 2 cores); larger when asked. The figures
// are printed as a "kill loop:" line (scripts/reliability_figures.mjs collects them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, existsSync } from 'node:fs';
import { startServer, tempDir, removeDir, sleep, postJson, mulberry32 } from '../e2e/lib.mjs';

const CYCLES = Number(process.env.LAMINAR_KILL_CYCLES ?? 200);
const EVENTS = Number(process.env.LAMINAR_KILL_EVENTS ?? 1_000_000);
const BATCH = 500;            // events a request
const CLIENTS = 3;            // concurrent ingest clients
const PER_CYCLE = Math.ceil(EVENTS / CYCLES);

test(`kill loop: ${CYCLES} SIGKILLs over ${EVENTS} events of ingest, queries and batch runs`, { timeout: 3_600_000 }, async () => {
  // On /dev/shm when there is one: a SIGKILL keeps the page cache, so what the loop checks does
  // not depend on the disk, and tmpfs makes each group commit's fsync cheap (on a slow disk the
  // fsyncs, not the checks, would bound the loop). Power loss is tested through the file-system
  // seam instead (src/engine/fault_test.cc).
  const dir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/laminar-kill-') : tempDir('laminar-kill-');
  const config = `${dir}.toml`;
  // Small segments and frequent sealing, so that kills land in lake commits and retention too.
  writeFileSync(config, '[log]\nsegment_max_bytes = 262144\n');
  const rand = mulberry32(20261207);
  let srv = await startServer({ dataDir: dir, args: ['--config', config] });
  const ddl = await srv.sql(`
    CREATE TABLE ev (ts timestamptz NOT NULL, k bigint NOT NULL, batch bigint NOT NULL);
    CREATE MATERIALIZED VIEW by_batch AS SELECT batch, count(*) AS n, sum(k) AS s FROM ev GROUP BY batch;
    CREATE MATERIALIZED VIEW by_hour AS SELECT date_trunc('hour', ts) AS hour, count(*) AS n, sum(k) AS s FROM ev GROUP BY 1;`);
  assert.equal(ddl.status, 200, ddl.text);

  const sent = new Map();  // batch -> sum of k, for every batch sent
  const acked = new Set();
  let nextBatch = 1;
  let nextK = 1;
  let ackedEvents = 0;
  let batchRuns = 0;         // completed
  let batchRunsStarted = 0;  // the rest were killed part way
  let queries = 0;
  let verified = 0;
  const started = Date.now();

  const body = (batch) => {
    let sum = 0;
    let text = '';
    for (let i = 0; i < BATCH; i++) {
      const k = nextK++;
      sum += k;
      const ts = new Date(Date.UTC(2024, 0, 1 + (k % 20), k % 24, k % 60)).toISOString();
      text += `{"ts":"${ts}","k":${k},"batch":${batch}}\n`;
    }
    sent.set(batch, sum);
    return text;
  };

  // A failed check must not leave the server running: its open pipes would keep this test's
  // process alive until the suite's timeout.
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // Kill once about PER_CYCLE events were acknowledged in this cycle (0.2× to 1.8×), or at a
      // random time, whichever comes first.
      const target = Math.max(BATCH, Math.round(PER_CYCLE * (0.2 + 1.6 * rand())));
      const deadline = Date.now() + 200 + rand() * 3000;
      let cycleAcked = 0;
      let stop = false;
      const ingest = async () => {
        while (!stop) {
          const batch = nextBatch++;
          try {
            const r = await fetch(`${srv.url}/v1/streams/ev/events`, {
              method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: body(batch),
            });
            const text = await r.text();
            if (r.status === 200) {
              assert.equal(JSON.parse(text).accepted, BATCH, text);
              acked.add(batch);
              cycleAcked += BATCH;
              ackedEvents += BATCH;
            }
          } catch {
            // the kill reset the connection: not acknowledged
          }
        }
      };
      const other = async () => {
        while (!stop) {
          try {
            if (rand() < 0.3) {
              batchRunsStarted++;
              const r = await postJson(`${srv.url}/v1/batch/run`, {});
              if (r.status === 200) batchRuns++;
            } else {
              await srv.query('SELECT count(*), sum(s) FROM by_hour');
              queries++;
            }
          } catch {}
          await sleep(20 + rand() * 100);
        }
      };
      const workers = [...Array.from({ length: CLIENTS }, ingest), other()];
      while (cycleAcked < target && Date.now() < deadline) await sleep(5);
      await srv.kill();
      stop = true;
      await Promise.all(workers);

      const t0 = Date.now();
      srv = await startServer({ dataDir: dir, args: ['--config', config] });
      const t1 = Date.now();
      await check(srv, cycle);
      if (process.env.LAMINAR_KILL_TRACE) console.log(`cycle ${cycle}: ${ackedEvents} acked, restart ${t1 - t0} ms, check ${Date.now() - t1} ms`);
      if (cycle % 5 === 4) {
        // A batch run that is not killed: the lake and the views catch up and retention trims the
        // log (otherwise each restart replays a log that only grows).
        const r = await postJson(`${srv.url}/v1/batch/run`, {});
        assert.equal(r.status, 200, r.text);
        batchRuns++;
        batchRunsStarted++;
        await check(srv, cycle);
      }
    }
  } catch (e) {
    srv.proc.kill('SIGKILL');
    throw e;
  }
  await srv.stop();
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`kill loop: ${CYCLES} cycles, ${ackedEvents} events acknowledged, ` +
              `${batchRunsStarted} batch runs (${batchRuns} completed), ${queries} queries, ${verified} verify runs, ${seconds} s`);
  assert.ok(ackedEvents >= EVENTS * 0.5, `only ${ackedEvents} events were acknowledged`);
  removeDir(dir);
  removeDir(config);

  async function check(srv, cycle) {
    const where = `after kill ${cycle + 1}`;
    const view = await srv.query('SELECT batch, n, s FROM by_batch');
    assert.equal(view.status, 200, view.text);
    const seen = new Map(view.json.rows.map(([b, n, s]) => [b, { n, s }]));
    for (const b of acked) {
      const got = seen.get(b);
      assert.ok(got, `${where}: acknowledged batch ${b} is missing`);
      assert.equal(got.n, BATCH, `${where}: acknowledged batch ${b} counted ${got.n} events`);
      assert.equal(got.s, sent.get(b), `${where}: batch ${b}`);
    }
    let n = 0, s = 0;
    for (const [b, got] of seen) {
      assert.ok(sent.has(b), `${where}: batch ${b} was never sent`);
      assert.equal(got.n, BATCH, `${where}: batch ${b} is partly visible (${got.n} of ${BATCH})`);
      assert.equal(got.s, sent.get(b));
      n += got.n;
      s += got.s;
    }
    // The stream itself (lake + log) and the other view agree: every k is distinct, so the
    // count and the sum of k together show each event counted once.
    const raw = await srv.query('SELECT count(*), sum(k) FROM ev');
    assert.deepEqual(raw.json.rows, [[n, s]], `${where}: the stream's events`);
    const hours = await srv.query('SELECT sum(n), sum(s) FROM by_hour');
    assert.deepEqual(hours.json.rows, [[n, s]], `${where}: by_hour`);
    // Every view against its from-scratch computation over the lake and the log (the costly
    // check: every 10th restart and the last).
    if (cycle % 10 === 9 || cycle === CYCLES - 1) {
      const v = await postJson(`${srv.url}/v1/verify`, {});
      assert.equal(v.status, 200, `${where}: verify: ${v.text}`);
      assert.equal(v.json.ok, true, `${where}: verify differs: ${v.text}`);
      verified++;
    }
  }
});
