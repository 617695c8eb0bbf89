// Kinesis subscriptions end to end: kinesalite (npm, tests/oracle) on loopback as the Kinesis
// API, records put with PutRecords, the real `laminar serve` reading them (signed SigV4 calls).
//   - every record counted once in the stream and its view; a malformed record in the
//     dead-letter store with its shard and sequence number;
//   - exactly once across SIGKILLs while records keep coming;
//   - a shard split during consumption: the parent drained before its children, nothing lost or
//     counted twice;
//   - a stream that does not exist: an error state naming it; GET /v1/sources and
//     laminar_subscriptions list the shards;
//   - throttling: a proxy before kinesalite (which never throttles) answers most GetRecords with
//     ProvisionedThroughputExceededException; every record still arrives exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, tempDir, removeDir, sleep, mulberry32, freePort, waitFor } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const KINESALITE = path.join(root, 'tests', 'oracle', 'node_modules', '.bin', 'kinesalite');

let kin, endpoint, srv, dir;
let nextK = 1;
let goodCount = 0, goodSum = 0;

// A Kinesis call as an SDK would send it (kinesalite checks the Authorization header's form, not
// the signature).
async function call(op, body) {
  const r = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `Kinesis_20131202.${op}`,
      'x-amz-date': '20260101T000000Z',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
    },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  assert.equal(r.status, 200, `${op}: ${text}`);
  return text ? JSON.parse(text) : {};
}

// Puts `n` good events (and `bad` malformed records among them) with random partition keys.
async function put(stream, n, { bad = [], rand = Math.random } = {}) {
  const records = [];
  for (let i = 0; i < n; i++) {
    const k = nextK++;
    goodCount++;
    goodSum += k;
    records.push(JSON.stringify({ ts: new Date(Date.UTC(2024, 0, 1, 0, 0, k % 3600)).toISOString(), k }));
    if (bad.includes(i)) records.push('{"ts": not json');
  }
  for (let i = 0; i < records.length; i += 500) {
    const r = await call('PutRecords', {
      StreamName: stream,
      Records: records.slice(i, i + 500).map((d) => ({ Data: Buffer.from(d).toString('base64'), PartitionKey: `key-${Math.floor(rand() * 1e9)}` })),
    });
    assert.equal(r.FailedRecordCount ?? 0, 0);
  }
}

async function counts() {
  const r = await srv.query('SELECT count(*), sum(k) FROM ev');
  assert.equal(r.status, 200, r.text);
  return { n: r.json.rows[0][0], s: r.json.rows[0][1] ?? 0 };
}

async function checkExactlyOnce(where) {
  await waitFor(`${goodCount} events`, async () => {
    const c = await counts();
    return { ...c, ok: c.n >= goodCount };
  });
  await sleep(500);
  assert.deepEqual(await counts(), { n: goodCount, s: goodSum }, where);
  const v = await srv.query('SELECT n FROM ev_n');
  assert.deepEqual(v.json.rows, [[goodCount]], `${where}: the view`);
}

async function source(name) {
  const r = await srv.get('/v1/sources');
  assert.equal(r.status, 200, r.text);
  return r.json.sources.find((s) => s.name === name);
}

before(async () => {
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  kin = spawn(KINESALITE, ['--port', String(port), '--createStreamMs', '0', '--deleteStreamMs', '0', '--updateStreamMs', '0'], { stdio: 'ignore' });
  await waitFor('kinesalite', () => new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => { s.end(); resolve({ ok: true }); });
    s.on('error', () => resolve({ ok: false }));
  }));
  await call('CreateStream', { StreamName: 'clicks', ShardCount: 2 });
  dir = tempDir('laminar-kinesis-');
  srv = await startServer({ dataDir: dir });
  const ddl = await srv.sql(`
    CREATE TABLE ev (ts timestamptz NOT NULL, k bigint NOT NULL);
    CREATE MATERIALIZED VIEW ev_n AS SELECT count(*) AS n FROM ev;`);
  assert.equal(ddl.status, 200, ddl.text);
});

after(async () => {
  await srv?.stop();
  kin?.kill();
  removeDir(dir);
});

const connection = (stream) => `CONNECTION 'kinesis://us-east-1/${stream}' PUBLICATION ev WITH (endpoint = '${endpoint}', access_key_id = 'AKID', secret_access_key = 'secret')`;

test('every record counted once; a malformed one goes to the dead-letter store with its shard and sequence number', async () => {
  const r = await srv.sql(`CREATE SUBSCRIPTION k ${connection('clicks')}`);
  assert.equal(r.status, 200, r.text);
  await put('clicks', 1000, { bad: [500] });
  await checkExactlyOnce('first load');
  const files = readdirSync(path.join(dir, 'deadletter', 'ev'));
  const dead = files.flatMap((f) => readFileSync(path.join(dir, 'deadletter', 'ev', f), 'utf8').trim().split('\n')).map((l) => JSON.parse(l));
  assert.equal(dead.length, 1);
  assert.match(dead[0].origin, /^kinesis stream clicks shard shardId-00000000000[01] sequence \d+$/);
  const s = await source('k');
  assert.equal(s.kind, 'kinesis');
  assert.equal(s.state, 'running');
  assert.deepEqual(s.partitions.map((p) => p.id), ['shardId-000000000000', 'shardId-000000000001']);
  assert.ok(s.partitions.every((p) => /^\d+$/.test(p.position)));
  const q = await srv.query(`SELECT partition, kind FROM laminar_subscriptions WHERE name = 'k' ORDER BY partition`);
  assert.deepEqual(q.json.rows, [['shardId-000000000000', 'kinesis'], ['shardId-000000000001', 'kinesis']]);
});

test('exactly once across SIGKILLs while records keep coming', async () => {
  const rand = mulberry32(99);
  for (let kill = 0; kill < 3; kill++) {
    const putting = put('clicks', 1500 + Math.floor(rand() * 1000), { rand });
    await sleep(50 + rand() * 300);
    await srv.kill();
    await putting;
    srv = await startServer({ dataDir: dir });
  }
  await checkExactlyOnce('after 3 kills');
});

test('a shard split during consumption: the parent is drained first, nothing lost or counted twice', async () => {
  const putting = put('clicks', 3000);
  const d = await call('DescribeStream', { StreamName: 'clicks' });
  const shard = d.StreamDescription.Shards.find((s) => s.ShardId === 'shardId-000000000000');
  const lo = BigInt(shard.HashKeyRange.StartingHashKey), hi = BigInt(shard.HashKeyRange.EndingHashKey);
  await call('SplitShard', { StreamName: 'clicks', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String((lo + hi) / 2n) });
  await putting;
  await put('clicks', 2000);  // into the children
  await checkExactlyOnce('after the split');
  const s = await waitFor('the parent closed', async () => {
    const s = await source('k');
    return { ...s, ok: s.partitions.find((p) => p.id === 'shardId-000000000000')?.position === 'closed' };
  });
  assert.ok(s.partitions.length >= 4, JSON.stringify(s.partitions));
  // And across a restart: the parent stays drained, the children go on.
  await srv.kill();
  srv = await startServer({ dataDir: dir });
  await put('clicks', 500);
  await checkExactlyOnce('after the split and a restart');
});

test('a stream that does not exist: an error state naming it', async () => {
  const r = await srv.sql(`CREATE SUBSCRIPTION gone ${connection('nope')}`);
  assert.equal(r.status, 200, r.text);
  const s = await waitFor('the error', async () => {
    const s = await source('gone');
    return { ...s, ok: s.state === 'error' && /ResourceNotFoundException/.test(s.last_error ?? '') };
  });
  assert.match(s.last_error, /nope/);
  assert.equal((await srv.sql('DROP SUBSCRIPTION gone')).status, 200);
});

// A proxy before kinesalite that answers GetRecords with Kinesis's throttling error except every
// `every`-th call, and forwards everything else unchanged.
async function startThrottlingProxy(target, every) {
  const stats = { getRecords: 0, throttled: 0 };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if ((req.headers['x-amz-target'] ?? '').endsWith('.GetRecords') && ++stats.getRecords % every !== 0) {
        stats.throttled++;
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'ProvisionedThroughputExceededException',
                                 message: 'Rate exceeded for shard shardId-000000000000 in stream slow under account 000000000000.' }));
        return;
      }
      const url = new URL(target);
      const up = http.request({ host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      up.on('error', () => { res.writeHead(502); res.end(); });
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stats, close: () => server.close() };
}

test('throttling (ProvisionedThroughputExceededException) is retried: every record once', async () => {
  await call('CreateStream', { StreamName: 'slow', ShardCount: 1 });
  await waitFor('the stream active', async () => {
    const d = await call('DescribeStream', { StreamName: 'slow' });
    return { ok: d.StreamDescription.StreamStatus === 'ACTIVE' };
  });
  const proxy = await startThrottlingProxy(endpoint, 3);
  try {
    assert.equal((await srv.sql('CREATE TABLE ev2 (ts timestamptz NOT NULL, k bigint NOT NULL)')).status, 200);
    const r = await srv.sql(`CREATE SUBSCRIPTION slow CONNECTION 'kinesis://us-east-1/slow' PUBLICATION ev2 WITH (endpoint = '${proxy.url}', access_key_id = 'AKID', secret_access_key = 'secret')`);
    assert.equal(r.status, 200, r.text);
    const records = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ ts: new Date(Date.UTC(2024, 0, 2, 0, 0, i % 3600)).toISOString(), k: i + 1 }));
    for (let i = 0; i < records.length; i += 250) {
      await call('PutRecords', { StreamName: 'slow', Records: records.slice(i, i + 250).map((d, j) => ({ Data: Buffer.from(d).toString('base64'), PartitionKey: `p${i + j}` })) });
      await sleep(100);  // records arrive while reads are being throttled
    }
    const expected = { n: 2000, s: 2000 * 2001 / 2 };
    const got = await waitFor('every throttled record', async () => {
      const q = await srv.query('SELECT count(*), sum(k) FROM ev2');
      const c = { n: q.json.rows[0][0], s: q.json.rows[0][1] ?? 0 };
      return { ...c, ok: c.n >= expected.n };
    }, 90000);
    await sleep(500);
    const q = await srv.query('SELECT count(*), sum(k) FROM ev2');
    assert.deepEqual({ n: q.json.rows[0][0], s: q.json.rows[0][1] }, expected, JSON.stringify(got));
    assert.ok(proxy.stats.throttled >= 5, `throttled ${JSON.stringify(proxy.stats)}`);
    const s = await source('slow');
    assert.equal(s.state, 'running', 'throttling is ridden out, not an error state');
    assert.match(s.last_error ?? '', /ProvisionedThroughputExceededException/, 'but it is reported');
    assert.equal((await srv.sql('DROP SUBSCRIPTION slow')).status, 200);
  } finally {
    proxy.close();
  }
});
