// The PostgreSQL wire protocol (src/pgwire): the real `psql` for the simple query protocol, and a
// small hand-written protocol client for the extended protocol (psql 15 has no \bind).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { startServer, tempDir, removeDir, freePort, ndjson } from './lib.mjs';

let srv, dir, pgPort;

before(async () => {
  dir = tempDir();
  pgPort = await freePort();
  srv = await startServer({ dataDir: dir, args: ['--pg', `127.0.0.1:${pgPort}`] });
});
after(async () => {
  await srv?.stop();
  removeDir(dir);
});

function psql(sql, extra = []) {
  const r = spawnSync(
    'psql',
    [`host=127.0.0.1 port=${pgPort} user=u dbname=laminar sslmode=prefer`, '-X', '-A', '-t', '-v', 'VERBOSITY=verbose',
      ...extra, '-c', sql],
    { encoding: 'utf8', timeout: 30000 },
  );
  return { code: r.status, out: r.stdout.trimEnd(), err: r.stderr };
}

const EVENTS = [
  { ts: '2024-01-08T10:15:00Z', url: '/a', country: 'US', latency_ms: 12.5, ok: true },
  { ts: '2024-01-08T10:20:00.25Z', url: '/a', country: 'US', latency_ms: 7.5, ok: false },
  { ts: '2024-01-08T11:05:00Z', url: '/b', country: 'DE', latency_ms: 3.25, ok: true },
];

test('DDL, ingest over HTTP, SELECT over a view equals the HTTP query', async () => {
  let r = psql('CREATE TABLE pv (ts timestamptz NOT NULL, url text, country text, latency_ms double precision, ok boolean)');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'CREATE TABLE');
  r = psql(`CREATE MATERIALIZED VIEW pv_hourly AS SELECT date_trunc('hour', ts) AS hour, country, url,
            count(*) AS views, avg(latency_ms) AS avg_latency FROM pv GROUP BY 1, 2, 3`);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'CREATE MATERIALIZED VIEW');
  const ing = await srv.ingest('pv', ndjson(EVENTS));
  assert.equal(ing.status, 200, ing.text);
  const sql = 'SELECT hour, country, url, views, avg_latency FROM pv_hourly ORDER BY hour, url';
  r = psql(sql);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, ['2024-01-08 10:00:00+00|US|/a|2|10', '2024-01-08 11:00:00+00|DE|/b|1|3.25'].join('\n'));
  const http = await srv.query(sql);
  assert.equal(http.status, 200);
  const lines = r.out.split('\n').map((l) => l.split('|'));
  assert.equal(lines.length, http.json.rows.length);
  http.json.rows.forEach((row, i) => {
    assert.equal(Number(lines[i][3]), row[3]);
    assert.equal(Number(lines[i][4]), row[4]);
    assert.equal(lines[i][1], row[1]);
  });
});

test('several statements in one query string', () => {
  const r = psql("SELECT count(*) AS n FROM pv_hourly; SELECT url FROM pv_hourly WHERE country = 'DE'; SELECT 'x' AS y FROM pv_hourly LIMIT 0");
  // psql -c prints only the last result; use a stdin script to see every one.
  assert.equal(r.code, 0, r.err);
  const s = spawnSync('psql', [`host=127.0.0.1 port=${pgPort} user=u dbname=laminar`, '-X', '-A', '-t'], {
    input: "SELECT count(*) AS n FROM pv_hourly\\; SELECT url FROM pv_hourly WHERE country = 'DE';\n",
    encoding: 'utf8',
  });
  assert.equal(s.status, 0, s.stderr);
  assert.equal(s.stdout.trim(), '2\n/b');
});

test('a syntax error: exit code, SQLSTATE and message', () => {
  const r = psql('SELEC 1');
  assert.notEqual(r.code, 0);
  assert.match(r.err, /ERROR:\s+42601: syntax error at or near "SELEC"/);
  const missing = psql('SELECT * FROM nope');
  assert.notEqual(missing.code, 0);
  assert.match(missing.err, /42P01/);
  const exists = psql('CREATE TABLE pv (ts timestamptz NOT NULL)');
  assert.match(exists.err, /42P07: relation "pv" already exists/);
});

test('version(), SET and SHOW', () => {
  let r = psql('SELECT version()');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^PostgreSQL 16\.0 \(Laminar/);
  r = psql('SHOW server_version');
  assert.equal(r.out, '16.0 (Laminar)');
  const s = spawnSync('psql', [`host=127.0.0.1 port=${pgPort} user=u dbname=laminar`, '-X', '-A', '-t'], {
    input: "SET application_name = 'e2e';\nSHOW application_name;\nSET my.flag TO on;\nSHOW my.flag;\nSHOW TimeZone;\n",
    encoding: 'utf8',
  });
  assert.equal(s.status, 0, s.stderr);
  assert.equal(s.stdout.trim(), 'SET\ne2e\nSET\non\nUTC');
  r = psql('SHOW no_such_thing');
  assert.match(r.err, /42704/);
});

test('empty query', () => {
  const r = psql(';');
  assert.equal(r.code, 0, r.err);
});

// ---- A minimal protocol client for the extended protocol ----

class PgClient {
  constructor(port) {
    this.port = port;
    this.buf = Buffer.alloc(0);
    this.waiters = [];
  }
  async connect() {
    this.sock = net.connect(this.port, '127.0.0.1');
    await new Promise((res, rej) => (this.sock.once('connect', res), this.sock.once('error', rej)));
    this.sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.waiters.splice(0).forEach((w) => w());
    });
    const params = Buffer.from('user\0u\0database\0laminar\0\0');
    const head = Buffer.alloc(8);
    head.writeInt32BE(8 + params.length);
    head.writeInt32BE(196608, 4);
    this.sock.write(Buffer.concat([head, params]));
    return this.until('Z');
  }
  send(type, ...parts) {
    const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p + '\0') : p)));
    const head = Buffer.alloc(5);
    head.write(type, 0);
    head.writeInt32BE(body.length + 4, 1);
    this.sock.write(Buffer.concat([head, body]));
  }
  async next() {
    for (;;) {
      if (this.buf.length >= 5) {
        const len = this.buf.readInt32BE(1);
        if (this.buf.length >= len + 1) {
          const msg = { type: String.fromCharCode(this.buf[0]), body: this.buf.subarray(5, len + 1) };
          this.buf = this.buf.subarray(len + 1);
          return msg;
        }
      }
      await new Promise((r) => this.waiters.push(r));
    }
  }
  // Messages up to and including the first of type `stop`.
  async until(stop) {
    const out = [];
    for (;;) {
      const m = await this.next();
      out.push(m);
      if (m.type === stop) return out;
    }
  }
  close() {
    this.send('X');
    this.sock.end();
  }
}

const i16 = (v) => { const b = Buffer.alloc(2); b.writeInt16BE(v); return b; };
const i32 = (v) => { const b = Buffer.alloc(4); b.writeInt32BE(v); return b; };
const i64 = (v) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(v)); return b; };
const f64 = (v) => { const b = Buffer.alloc(8); b.writeDoubleBE(v); return b; };

function bindParams(params) {  // [{fmt, value: Buffer|null}]
  const parts = [i16(params.length), ...params.map((p) => i16(p.fmt)), i16(params.length)];
  for (const p of params) parts.push(p.value === null ? i32(-1) : Buffer.concat([i32(p.value.length), p.value]));
  return parts;
}
function dataRows(msgs) {
  return msgs.filter((m) => m.type === 'D').map((m) => {
    const n = m.body.readInt16BE(0);
    const cells = [];
    let off = 2;
    for (let i = 0; i < n; i++) {
      const len = m.body.readInt32BE(off);
      off += 4;
      cells.push(len < 0 ? null : m.body.subarray(off, off + len));
      off += Math.max(len, 0);
    }
    return cells;
  });
}
const cstr = (b, off = 0) => b.subarray(off, b.indexOf(0, off)).toString();

test('extended protocol: named statement, text and binary parameters, binary results, row limit', async () => {
  const c = new PgClient(pgPort);
  const hello = await c.connect();
  assert.ok(hello.some((m) => m.type === 'R'));
  assert.ok(hello.some((m) => m.type === 'K'));
  const status = hello.filter((m) => m.type === 'S').map((m) => cstr(m.body));
  assert.ok(status.includes('server_version') && status.includes('standard_conforming_strings'));

  c.send('P', 'q1', 'SELECT url, views, avg_latency FROM pv_hourly WHERE country = $1 ORDER BY url LIMIT $2', i16(2), i32(25), i32(20));
  c.send('D', Buffer.from('S'), 'q1');
  c.send('S');
  let msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['1', 't', 'T', 'Z']);
  const pd = msgs[1].body;
  assert.deepEqual([pd.readInt16BE(0), pd.readInt32BE(2), pd.readInt32BE(6)], [2, 25, 20]);

  // Text parameter 'US' (with a quote-free value) and binary int8 1; results: text, binary int8, binary float8.
  c.send('B', 'p1', 'q1', ...bindParams([{ fmt: 0, value: Buffer.from('US') }, { fmt: 1, value: i64(1) }]), i16(3), i16(0), i16(1), i16(1));
  c.send('D', Buffer.from('P'), 'p1');
  c.send('E', 'p1', i32(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['2', 'T', 'D', 'C', 'Z']);
  let rows = dataRows(msgs);
  assert.equal(rows[0][0].toString(), '/a');
  assert.equal(rows[0][1].readBigInt64BE(0), 2n);
  assert.equal(rows[0][2].readDoubleBE(0), 10);
  assert.equal(cstr(msgs[3].body), 'SELECT 1');

  // A quote in a text parameter stays data; unnamed statement; row limit → PortalSuspended.
  c.send('P', '', 'SELECT url FROM pv_hourly WHERE url <> $1 ORDER BY url', i16(0));
  c.send('B', '', '', ...bindParams([{ fmt: 0, value: Buffer.from("x' OR '1'='1") }]), i16(0));
  c.send('E', '', i32(1));
  c.send('E', '', i32(1));
  c.send('S');
  msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['1', '2', 'D', 's', 'D', 'C', 'Z']);
  assert.deepEqual(dataRows(msgs).map((r) => r[0].toString()), ['/a', '/b']);

  // Binary float8 and bool parameters, NULL (a view with double and boolean dimensions).
  c.send('Q', 'CREATE MATERIALIZED VIEW pv_lat AS SELECT url, latency_ms, ok, count(*) AS n FROM pv GROUP BY 1, 2, 3');
  msgs = await c.until('Z');
  assert.equal(cstr(msgs[0].body), 'CREATE MATERIALIZED VIEW');
  c.send('P', 'q2', 'SELECT url, ok FROM pv_lat WHERE (latency_ms > $1 AND ok = $2) OR url = $3 ORDER BY url', i16(3), i32(701), i32(16), i32(25));
  c.send('B', '', 'q2', ...bindParams([{ fmt: 1, value: f64(5.5) }, { fmt: 1, value: Buffer.from([1]) }, { fmt: 0, value: null }]), i16(0));
  c.send('E', '', i32(0));
  c.send('S');
  msgs = await c.until('Z');
  rows = dataRows(msgs);
  assert.deepEqual(rows.map((r) => r.map(String)), [['/a', 't']]);

  // An error discards until Sync; the next Sync gives ReadyForQuery and the session goes on.
  c.send('P', '', 'SELECT nope FROM pv_hourly', i16(0));
  c.send('B', '', '', i16(0), i16(0), i16(0));
  c.send('E', '', i32(0));
  c.send('S');
  msgs = await c.until('Z');
  // Parse checks syntax only; the unknown column is found when the portal runs.
  assert.deepEqual(msgs.map((m) => m.type), ['1', '2', 'E', 'Z']);
  assert.match(msgs[2].body.toString(), /C42703/);
  c.send('B', 'p9', 'nope', i16(0), i16(0), i16(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.match(msgs[0].body.toString(), /C26000/);

  // Wrong parameter count, bad int8 text, Close, DDL through the extended protocol, empty query.
  c.send('B', '', 'q1', i16(0), i16(0), i16(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.match(msgs[0].body.toString(), /C08P01/);
  c.send('B', '', 'q1', ...bindParams([{ fmt: 0, value: Buffer.from('US') }, { fmt: 0, value: Buffer.from('x1') }]), i16(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.match(msgs[0].body.toString(), /C22P02/);
  c.send('C', Buffer.from('S'), 'q1');
  c.send('P', '', 'CREATE TABLE t2 (ts timestamptz NOT NULL, k bigint)', i16(0));
  c.send('B', '', '', i16(0), i16(0), i16(0));
  c.send('D', Buffer.from('P'), '');
  c.send('E', '', i32(0));
  c.send('P', '', '', i16(0));
  c.send('B', '', '', i16(0), i16(0), i16(0));
  c.send('E', '', i32(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['3', '1', '2', 'n', 'C', '1', '2', 'I', 'Z']);
  assert.equal(cstr(msgs[4].body), 'CREATE TABLE');
  c.close();
});

test('SSLRequest is answered N; a hostile length closes with 08P01', async () => {
  const sock = net.connect(pgPort, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  const got = [];
  sock.on('data', (d) => got.push(d));
  const closed = new Promise((r) => sock.once('close', r));
  const ssl = Buffer.alloc(8);
  ssl.writeInt32BE(8);
  ssl.writeInt32BE(80877103, 4);
  sock.write(ssl);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(Buffer.concat(got).toString(), 'N');
  const params = Buffer.from('user\0u\0\0');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length);
  head.writeInt32BE(196608, 4);
  const huge = Buffer.from([0x51, 0x7f, 0, 0, 0]);  // Query with a 2 GiB length
  sock.write(Buffer.concat([head, params, huge]));
  await closed;
  const all = Buffer.concat(got).toString('latin1');
  assert.match(all, /C08P01/);
  assert.match(all, /exceeds the limit/);
});
