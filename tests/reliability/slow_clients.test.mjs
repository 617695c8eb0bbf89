// Slow readers do not freeze the HTTP server: clients that ask for a streamed answer and never
// read it hold at most max_streams threads (the rest get 503), each only until the write
// timeout cuts their answer; ingest, /healthz and other queries keep answering meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { writeFileSync, rmSync } from 'node:fs';
import { startServer, tempDir, removeDir, ndjson, sleep } from '../e2e/lib.mjs';

let srv, dir, cfg;
before(async () => {
  dir = tempDir('laminar-slow-');
  cfg = `${dir}.toml`;
  writeFileSync(cfg, '[server]\nthreads = 4\nwrite_timeout_seconds = 3\n');
  srv = await startServer({ dataDir: dir, args: ['--config', cfg, '--pg', 'off'] });
  assert.equal((await srv.sql('CREATE TABLE ev (ts timestamptz NOT NULL, n bigint)')).status, 200);
});
after(async () => {
  await srv?.stop();
  if (dir) removeDir(dir);
  if (cfg) rmSync(cfg, { force: true });
});

// A client that sends a streamed query for a large answer and never reads.
function stuckReader() {
  const body = JSON.stringify({ sql: "SELECT g, repeat('x', 200) FROM generate_series(1, 3000000) g", stream: true });
  const s = net.connect({ port: srv.port, host: '127.0.0.1' });
  s.setNoDelay(true);
  s.on('error', () => {});
  s.write(`POST /v1/query HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  s.pause();  // never read: the server's writes fill the socket buffers and block
  return s;
}

async function timed(p) {
  const t0 = Date.now();
  const r = await p;
  return { r, ms: Date.now() - t0 };
}

test('16 stuck streamed readers: ingest and /healthz keep answering; the stuck answers are cut by the write timeout', async () => {
  const stuck = Array.from({ length: 16 }, stuckReader);
  await sleep(1500);  // the first ones are writing (blocked), the rest were refused with 503
  for (let i = 0; i < 5; i++) {
    const h = await timed(srv.get('/healthz'));
    assert.equal(h.r.status, 200);
    assert.ok(h.ms < 2000, `/healthz took ${h.ms} ms`);
    const ing = await timed(srv.ingest('ev', ndjson([{ ts: '2024-05-01T00:00:00Z', n: i }])));
    assert.equal(ing.r.status, 200, ing.r.text);
    assert.ok(ing.ms < 2000, `ingest took ${ing.ms} ms`);
  }
  // After the write timeout every stuck answer is cut and its thread is free again: a streamed
  // query from a client that reads gets its whole answer.
  // (Polled: how soon a cut answer's producer notices depends on the build's speed.)
  await sleep(4000);
  let r;
  for (const deadline = Date.now() + 30000; ; await sleep(500)) {
    r = await fetch(`${srv.url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT count(*) FROM ev', stream: true }) });
    if (r.status === 200 || Date.now() > deadline) break;
    await r.text();
  }
  assert.equal(r.status, 200, 'the stuck answers still hold every stream slot 34 s later');
  assert.match(await r.text(), /"row_count":1/);
  for (const s of stuck) s.destroy();
});

test('64 half-sent PostgreSQL startups do not lock the port: they are closed after the startup timeout (10 s)', async () => {
  const { freePort } = await import('../e2e/lib.mjs');
  const { PgClient } = await import('../e2e/pgproto.mjs');
  const pgDir = tempDir('laminar-slow-pg-');
  const pg = await startServer({ dataDir: pgDir, args: ['--pg', '127.0.0.1:0'] });
  const pgPort = pg.pgPort;
  try {
    const half = Array.from({ length: 64 }, () => {
      const s = net.connect({ port: pgPort, host: '127.0.0.1' });
      s.on('error', () => {});
      s.write(Buffer.from([0, 0, 0, 40, 0, 3]));  // a startup packet's first bytes, never the rest
      return s;
    });
    await sleep(11000);
    const c = new PgClient(pgPort);
    const greeting = await c.connect();
    assert.equal(greeting.at(-1).type, 'Z', 'a new client is greeted');
    c.close();
    for (const s of half) s.destroy();
  } finally {
    await pg.stop();
    removeDir(pgDir);
  }
});

test('one client address cannot take every PostgreSQL connection (pg_max_connections_per_address)', async () => {
  const { freePort } = await import('../e2e/lib.mjs');
  const { writeFileSync } = await import('node:fs');
  const pgDir = tempDir('laminar-pg-per-address-');
  writeFileSync(`${pgDir}.toml`, '[server]\npg_max_connections = 10\npg_max_connections_per_address = 3\n');
  const pg = await startServer({ dataDir: pgDir, args: ['--config', `${pgDir}.toml`, '--pg', '127.0.0.1:0'] });
  const pgPort = pg.pgPort;
  // Connects from `from`, sends a startup packet and returns the first answer's type and text.
  const startup = (from) => new Promise((resolve, reject) => {
    const s = net.connect({ port: pgPort, host: '127.0.0.1', localAddress: from });
    s.on('error', reject);
    let buf = Buffer.alloc(0);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 5 && buf.length >= buf.readInt32BE(1) + 1) resolve({ type: String.fromCharCode(buf[0]), text: buf.toString('latin1'), sock: s });
    });
    const params = Buffer.from('user\0u\0database\0laminar\0\0');
    const head = Buffer.alloc(8);
    head.writeInt32BE(8 + params.length);
    head.writeInt32BE(196608, 4);
    s.write(Buffer.concat([head, params]));
  });
  const open = [];
  try {
    for (let i = 0; i < 3; i++) {
      const r = await startup('127.0.0.1');
      assert.equal(r.type, 'R', `connection ${i + 1} is accepted`);
      open.push(r.sock);
    }
    const refused = await startup('127.0.0.1');
    open.push(refused.sock);
    assert.equal(refused.type, 'E');
    assert.match(refused.text, /53300/);
    assert.match(refused.text, /too many connections from 127\.0\.0\.1 \(limit 3 a client address\)/);
    const other = await startup('127.0.0.2');  // another client address still gets in
    open.push(other.sock);
    assert.equal(other.type, 'R');
    open[0].destroy();  // a slot of the first address frees
    await sleep(300);
    const again = await startup('127.0.0.1');
    open.push(again.sock);
    assert.equal(again.type, 'R');
  } finally {
    for (const s of open) s.destroy();
    await pg.stop();
    removeDir(pgDir);
  }
});
