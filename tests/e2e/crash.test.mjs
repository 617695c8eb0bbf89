// Crash safety: concurrent clients ingest while the server is killed with SIGKILL, several times.
// After each restart every acked event is present exactly once in every view, and a batch that
// was not acked is either wholly present or wholly absent (never half-visible).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tempDir, removeDir, sleep, ndjson } from './lib.mjs';

const BATCH = 40;
const CLIENTS = 4;
const ROUNDS = 4;

test('SIGKILL during concurrent ingest loses nothing acked and shows no partial batch', async () => {
  const dir = tempDir();
  let srv = await startServer({ dataDir: dir, args: ['--config', await smallSegments(dir)] });
  const ddl = await srv.sql(`
    CREATE TABLE ev (ts timestamptz NOT NULL, k bigint NOT NULL, batch text NOT NULL);
    CREATE MATERIALIZED VIEW by_batch AS SELECT batch, count(*) AS n, sum(k) AS s, min(k) AS lo, max(k) AS hi FROM ev GROUP BY batch;
    CREATE MATERIALIZED VIEW by_minute AS SELECT date_trunc('minute', ts) AS minute, count(*) AS n, sum(k) AS s FROM ev GROUP BY 1;`);
  assert.equal(ddl.status, 200, ddl.text);

  const acked = new Map(); // batch id -> sum of k
  const sent = new Map();  // every batch ever sent (acked or not)
  let nextBatch = 0;
  let nextK = 1;

  for (let round = 0; round < ROUNDS; round++) {
    let stop = false;
    const client = async () => {
      while (!stop) {
        const id = `b${nextBatch++}`;
        const recs = [];
        let sum = 0;
        for (let i = 0; i < BATCH; i++) {
          const k = nextK++;
          sum += k;
          recs.push({ ts: new Date(Date.UTC(2024, 0, 1, 0, (k % 600) / 10 | 0, k % 60)).toISOString(), k, batch: id });
        }
        sent.set(id, sum);
        try {
          const r = await srv.ingest('ev', ndjson(recs));
          if (r.status === 200) {
            assert.equal(r.json.accepted, BATCH);
            acked.set(id, sum);
          }
        } catch {
          // connection reset by the kill: not acked
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    await sleep(300 + Math.random() * 700);
    await srv.kill();
    stop = true;
    await Promise.all(clients);

    srv = await startServer({ dataDir: dir, args: ['--config', await smallSegments(dir)] });
    const r = await srv.query('SELECT batch, n, s, lo, hi FROM by_batch');
    assert.equal(r.status, 200, r.text);
    const seen = new Map(r.json.rows.map(([b, n, s]) => [b, { n, s }]));
    for (const [id, sum] of acked) {
      const got = seen.get(id);
      assert.ok(got, `round ${round}: acked batch ${id} is missing`);
      assert.equal(got.n, BATCH, `round ${round}: acked batch ${id} counted ${got.n} times`);
      assert.equal(got.s, sum);
    }
    for (const [id, got] of seen) {
      assert.ok(sent.has(id), `unknown batch ${id}`);
      assert.equal(got.n, BATCH, `round ${round}: batch ${id} is partially visible (${got.n} of ${BATCH})`);
      assert.equal(got.s, sent.get(id));
    }
    // The other view agrees on the total.
    const total = await srv.query('SELECT sum(n), sum(s) FROM by_minute');
    const expectN = [...seen.values()].reduce((a, x) => a + x.n, 0);
    const expectS = [...seen.values()].reduce((a, x) => a + x.s, 0);
    assert.deepEqual(total.json.rows, [[expectN, expectS]]);
    assert.ok(acked.size > 0);
  }
  await srv.stop();
  removeDir(dir);
});

async function smallSegments(dir) {
  const { writeFileSync } = await import('node:fs');
  const p = `${dir}.toml`;
  writeFileSync(p, '[log]\nsegment_max_bytes = 16384\n');
  return p;
}
