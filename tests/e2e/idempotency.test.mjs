// Idempotency-Key on POST /v1/streams/{stream}/events (engine/idempotency.h): a retry with the
// same key and body gets the first answer (with Idempotency-Replayed: true) and appends nothing —
// also when sent concurrently, after a SIGKILL right after the ack, and after the batch run moved
// the events to the lake and retention deleted their log segments; the same key with another body
// is 409; a key is forgotten after [ingest] idempotency_window; bad keys are 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, removeDir, ndjson, postJson, sleep } from './lib.mjs';

let dir, cfg, srv;
const events = (tag, n) => ndjson(Array.from({ length: n }, (_, i) => ({ ts: new Date(Date.UTC(2024, 4, 1, 0, 0, i)).toISOString(), name: `${tag}${i}` })));
const send = (body, key, s = srv) => s.ingest('ev', body, { 'content-type': 'application/x-ndjson', ...(key === undefined ? {} : { 'idempotency-key': key }) });
const count = async (s = srv) => Number((await s.query('SELECT count(*) FROM ev')).json.rows[0][0]);
const start = () => startServer({ dataDir: path.join(dir, 'data'), args: ['--config', cfg] });

before(async () => {
  dir = tempDir('laminar-idem-');
  cfg = path.join(dir, 'laminar.toml');
  writeFileSync(cfg, '[batch]\ninterval = 0\n');
  srv = await start();
  assert.equal((await srv.sql('CREATE TABLE ev (ts timestamptz NOT NULL, name text)')).status, 200);
});
after(async () => {
  await srv?.stop();
  if (dir) removeDir(dir);
});

test('a retry gets the first answer and appends nothing; another body with the key is 409; bad keys are 400', async () => {
  const body = events('a', 3) + '{"ts": "bad"}\n';
  const first = await send(body, 'k-1');
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.accepted, 3);
  assert.equal(first.json.rejected, 1);
  assert.equal(first.headers.get('idempotency-replayed'), null);
  const again = await send(body, 'k-1');
  assert.equal(again.status, 200);
  assert.deepEqual(again.json, first.json);
  assert.equal(again.headers.get('idempotency-replayed'), 'true');
  assert.equal(await count(), 3);
  const other = await send(events('b', 1), 'k-1');
  assert.equal(other.status, 409, other.text);
  assert.match(other.json.error, /Idempotency-Key "k-1" was used for another request to stream ev/);
  // Without a key, or with another key, the same body appends again.
  assert.equal((await send(body)).json.accepted, 3);
  assert.equal((await send(body, 'k-2')).json.accepted, 3);
  assert.equal(await count(), 9);
  for (const bad of ['', 'x'.repeat(256), 'tab\there']) {
    const r = await send(events('c', 1), bad);
    assert.equal(r.status, 400, `key ${JSON.stringify(bad)}: ${r.text}`);
    assert.match(r.json.error, /Idempotency-Key must be 1 to 255 printable ASCII characters/);
  }
  // Every record rejected: nothing appended, the same answer again.
  const none = await send('{"ts": "bad"}\n', 'k-none');
  assert.deepEqual([none.json.accepted, none.json.rejected], [0, 1]);
  assert.deepEqual((await send('{"ts": "bad"}\n', 'k-none')).json, none.json);
  assert.equal(await count(), 9);
});

test('concurrent requests with one key append once', async () => {
  const before = await count();
  const body = events('c', 50);
  const answers = await Promise.all(Array.from({ length: 12 }, () => send(body, 'k-concurrent')));
  for (const a of answers) assert.equal(a.status, 200, a.text);
  assert.equal(answers.filter((a) => a.headers.get('idempotency-replayed') === 'true').length, 11);
  for (const a of answers) assert.deepEqual(a.json, answers[0].json);
  assert.equal(await count(), before + 50);
});

test('keys survive a SIGKILL right after the ack, and the lake and log retention', async () => {
  const body = events('d', 20);
  const first = await send(body, 'k-crash');
  assert.equal(first.json.accepted, 20);
  const n = await count();
  await srv.kill();
  srv = await start();
  const again = await send(body, 'k-crash');
  assert.equal(again.headers.get('idempotency-replayed'), 'true');
  assert.deepEqual(again.json, first.json);
  assert.equal(await count(), n);
  // The batch run commits the log to the lake and retention deletes its segments: the keys are
  // saved first, and still answer after a restart.
  const run = await postJson(`${srv.url}/v1/batch/run`, {});
  assert.equal(run.status, 200, run.text);
  assert.ok(existsSync(path.join(dir, 'data', 'idempotency', 'ev.json')), 'the keys were saved');
  const streams = await (await fetch(`${srv.url}/v1/streams`)).json();
  assert.equal(streams.streams[0].lake.rows, n, 'every event is in the lake');
  assert.equal(streams.streams[0].log.bytes, 0, `retention deleted the log's records: ${JSON.stringify(streams.streams[0].log)}`);
  await srv.kill();
  srv = await start();
  for (const [key, b] of [['k-crash', body], ['k-1', events('a', 3) + '{"ts": "bad"}\n']]) {
    const r = await send(b, key);
    assert.equal(r.headers.get('idempotency-replayed'), 'true', key);
  }
  assert.equal(await count(), n);
});

test('a key is forgotten after idempotency_window', async () => {
  await srv.stop();
  writeFileSync(cfg, '[batch]\ninterval = 0\n[ingest]\nidempotency_window = "1s"\n');
  srv = await start();
  const n = await count();
  const body = events('e', 2);
  assert.equal((await send(body, 'k-window')).json.accepted, 2);
  assert.equal((await send(body, 'k-window')).headers.get('idempotency-replayed'), 'true');
  await sleep(1500);
  const later = await send(body, 'k-window');
  assert.equal(later.headers.get('idempotency-replayed'), null);
  assert.equal(later.json.accepted, 2);
  assert.equal(await count(), n + 4);
});
