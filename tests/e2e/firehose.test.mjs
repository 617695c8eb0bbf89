// Amazon Data Firehose's HTTP endpoint delivery (src/server/firehose.h): a request in Firehose's
// recorded format (requestId, timestamp, base64 records; also gzip) lands its events in the
// stream and its views; the same delivery redelivered (a retry, even with a new timestamp)
// appends nothing twice; a bad record goes to the dead-letter store while the rest land; the
// access key is checked when configured; errors answer in Firehose's format.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startServer, tempDir, removeDir, postRaw } from './lib.mjs';

let dir, srv;
const KEY = 'fh-secret-1';

// A delivery as Firehose sends it: one JSON event per record, base64.
function delivery(requestId, events, timestamp = 1714521600000) {
  return {
    requestId, timestamp,
    records: events.map((e) => ({ data: Buffer.from(typeof e === 'string' ? e : JSON.stringify(e)).toString('base64') })),
  };
}
function send(body, { requestId = body.requestId, key = KEY, gzip = false, stream = 'clicks' } = {}) {
  const raw = Buffer.from(JSON.stringify(body));
  const headers = {
    'content-type': 'application/json', 'x-amz-firehose-protocol-version': '1.0',
    'x-amz-firehose-request-id': requestId, 'x-amz-firehose-source-arn': 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/clicks',
  };
  if (key !== null) headers['x-amz-firehose-access-key'] = key;
  if (gzip) headers['content-encoding'] = 'gzip';
  return postRaw(`${srv.url}/v1/firehose/${stream}`, gzip ? gzipSync(raw) : raw, headers);
}
const count = async () => Number((await srv.query('SELECT count(*) FROM clicks')).json.rows[0][0]);
const events = (from, n) => Array.from({ length: n }, (_, i) => ({ ts: new Date(Date.UTC(2024, 4, 1, 0, from + i)).toISOString(), page: `/p${(from + i) % 3}` }));

before(async () => {
  dir = tempDir('laminar-firehose-');
  const cfg = path.join(dir, 'laminar.toml');
  writeFileSync(cfg, `[firehose]\naccess_keys = ["other", "${KEY}"]\n`);
  srv = await startServer({ dataDir: path.join(dir, 'data'), args: ['--config', cfg] });
  const r = await srv.sql(`CREATE TABLE clicks (ts timestamptz NOT NULL, page text);
    CREATE MATERIALIZED VIEW clicks_by_page AS SELECT page, count(*) AS n FROM clicks GROUP BY 1`);
  assert.equal(r.status, 200, r.text);
});
after(async () => {
  await srv?.stop();
  if (dir) removeDir(dir);
});

test('a delivery lands once, also redelivered; a bad record is dead-lettered; gzip', async () => {
  const d = delivery('ed4acda5-034f-9f42-bba1-f29aea6d7d8f', [...events(0, 3), '{"ts": "yesterday", "page": "/x"}']);
  const r = await send(d);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.requestId, d.requestId);
  assert.equal(typeof r.json.timestamp, 'number');
  assert.equal(r.json.errorMessage, undefined);
  assert.equal(r.headers.get('content-type'), 'application/json');
  // Firehose retries with the same requestId (and records), a later timestamp.
  for (const again of [d, { ...d, timestamp: d.timestamp + 5000 }]) assert.equal((await send(again)).status, 200);
  assert.equal(await count(), 3);
  const byPage = (await srv.query('SELECT page, n FROM clicks_by_page ORDER BY page')).json.rows;
  assert.deepEqual(byPage, [['/p0', 1], ['/p1', 1], ['/p2', 1]]);
  const dl = path.join(dir, 'data', 'deadletter', 'clicks');
  const lines = readdirSync(dl).flatMap((f) => readFileSync(path.join(dl, f), 'utf8').trim().split('\n'));
  assert.equal(lines.length, 1, 'the bad record once, not once per redelivery');
  assert.match(lines[0], /yesterday/);
  assert.equal(JSON.parse(lines[0]).origin, `firehose request ${d.requestId}`, 'the dead letter names its delivery');
  // Several events in one record (NDJSON), gzip-compressed.
  const packed = delivery('req-gzip', [events(10, 2).map((e) => JSON.stringify(e)).join('\n')]);
  assert.equal((await send(packed, { gzip: true })).status, 200);
  assert.equal(await count(), 5);
});

test('refusals in Firehose\'s format: access key, unknown stream, malformed deliveries, a reused requestId', async () => {
  for (const [opts, status, re] of [
    [{ key: null }, 401, /X-Amz-Firehose-Access-Key header is missing/],
    [{ key: 'wrong' }, 401, /not one of \[firehose\] access_keys/],
    [{ stream: 'nope' }, 404, /stream "nope" does not exist/],
    [{ requestId: 'mismatch' }, 400, /X-Amz-Firehose-Request-Id and the body's requestId differ/],
  ]) {
    const r = await send(delivery('req-1', events(20, 1)), opts);
    assert.equal(r.status, status, `${JSON.stringify(opts)}: ${r.text}`);
    assert.equal(r.json.requestId, opts.requestId ?? 'req-1');
    assert.match(r.json.errorMessage, re);
  }
  const bad = await send({ requestId: 'req-bad', records: [{ data: '%%%=' }] });
  assert.equal(bad.status, 400);
  assert.match(bad.json.errorMessage, /record 0: not base64/);
  const notFirehose = await send({ requestId: 'req-x', hello: 1 });
  assert.equal(notFirehose.status, 400);
  assert.match(notFirehose.json.errorMessage, /not a Firehose delivery/);
  // The same requestId with other records is not a redelivery.
  assert.equal((await send(delivery('req-2', events(30, 1)))).status, 200);
  const reused = await send(delivery('req-2', events(31, 1)));
  assert.equal(reused.status, 400);
  assert.match(reused.json.errorMessage, /was used for another request/);
  assert.equal(await count(), 6);
});
