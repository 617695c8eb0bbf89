// Results streamed over the PostgreSQL protocol: with `[query] max_result_rows = 100`, psql and
// the extended protocol (Execute without a row limit) still get every row of a 500-row SELECT,
// written as the engine produces them, while the same query over HTTP without streaming is
// refused. A runtime error after rows were sent follows them (ErrorResponse after DataRows, as in
// PostgreSQL). Execute with a row limit keeps the rows for the next Executes, so there the limit
// applies. Describe of a statement or portal announces the columns without running the query.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, removeDir, ndjson, postJson } from './lib.mjs';
import { PgClient, i16, i32, bindParams, dataRows, cstr } from './pgproto.mjs';

const N = 500;
const BASE = Date.UTC(2024, 2, 10, 0, 0, 0);
let srv, dir, pgPort;

before(async () => {
  dir = tempDir('laminar-pgstream-');
  const cfg = path.join(dir, 'laminar.toml');
  writeFileSync(cfg, '[batch]\ninterval = 0\n[query]\nmax_result_rows = 100\n');
  srv = await startServer({ dataDir: path.join(dir, 'data'), args: ['--config', cfg, '--pg', '127.0.0.1:0'] });
  pgPort = srv.pgPort;
  let r = await srv.sql('CREATE TABLE r (ts timestamptz NOT NULL, i bigint, s text)');
  assert.equal(r.status, 200, r.text);
  const events = Array.from({ length: N }, (_, i) => ({ ts: new Date(BASE + i * 1000).toISOString(), i, s: i === 300 ? 'x' : String(i) }));
  // The first 300 rows go to the lake, the rest stay in the log tail.
  r = await srv.ingest('r', ndjson(events.slice(0, 300)));
  assert.equal(r.status, 200, r.text);
  r = await postJson(`${srv.url}/v1/batch/run`, {});
  assert.equal(r.status, 200, r.text);
  r = await srv.ingest('r', ndjson(events.slice(300)));
  assert.equal(r.status, 200, r.text);
});
after(async () => {
  await srv?.stop();
  if (dir) removeDir(dir);
});

function psql(sql) {
  const r = spawnSync('psql', [`host=127.0.0.1 port=${pgPort} user=u dbname=laminar sslmode=disable`, '-X', '-A', '-t',
    '-v', 'VERBOSITY=verbose', '-c', sql], { encoding: 'utf8', timeout: 30000 });
  return { code: r.status, out: r.stdout.trimEnd(), err: r.stderr };
}

const errorCode = (m) => /C([0-9A-Z]{5})\0/.exec(m.body.toString())?.[1];

test('psql gets every row of a result larger than max_result_rows; HTTP without streaming is refused', async () => {
  const http = await srv.query('SELECT i FROM r ORDER BY i');
  assert.equal(http.status, 400, http.text);
  assert.match(http.json.error, /max_result_rows/);
  const r = psql('SELECT i, s FROM r ORDER BY i');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.equal(lines.length, N);
  assert.equal(lines[0], '0|0');
  assert.equal(lines[N - 1], `${N - 1}|${N - 1}`);
  // Unordered: lake rows, then the log tail.
  const all = psql('SELECT i FROM r');
  assert.equal(all.code, 0, all.err);
  assert.deepEqual(all.out.split('\n').map(Number).sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i));
});

test('a runtime error after rows were streamed: the ErrorResponse follows the DataRows; the session goes on', async () => {
  const c = new PgClient(pgPort);
  await c.connect();
  c.send('Q', 'SELECT i, s::bigint AS n FROM r');
  let msgs = await c.until('Z');
  const types = msgs.map((m) => m.type);
  assert.equal(types[0], 'T');
  const rows = dataRows(msgs);
  assert.equal(rows.length, 300, 'the rows before the bad one were sent');
  assert.equal(types.at(-2), 'E');
  assert.equal(errorCode(msgs.at(-2)), '22P02');
  assert.match(msgs.at(-2).body.toString(), /invalid input syntax for type bigint: "x"/);
  c.send('Q', 'SELECT count(*) FROM r');
  msgs = await c.until('Z');
  assert.deepEqual(dataRows(msgs).map((r) => r[0].toString()), [String(N)]);
  c.close();
  // psql reports it as an error.
  const p = psql('SELECT i, s::bigint FROM r');
  assert.equal(p.code, 1);
  assert.match(p.err, /22P02/);
});

test('extended protocol: Describe then Execute streams; Execute without Describe; again after completion', async () => {
  const c = new PgClient(pgPort);
  await c.connect();
  // Describe of the statement announces the columns (the query is planned, not run).
  c.send('P', 'big', 'SELECT i, s FROM r WHERE i >= $1 ORDER BY i', i16(1), i32(20));
  c.send('D', Buffer.from('S'), 'big');
  c.send('S');
  let msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['1', 't', 'T', 'Z']);
  const desc = msgs[2].body;
  assert.equal(desc.readInt16BE(0), 2);
  assert.equal(cstr(desc, 2), 'i');
  // Bind, Describe portal, Execute without a row limit: every row.
  c.send('B', 'p', 'big', ...bindParams([{ fmt: 0, value: Buffer.from('0') }]), i16(0));
  c.send('D', Buffer.from('P'), 'p');
  c.send('E', 'p', i32(0));
  c.send('E', 'p', i32(0));  // the portal is done: nothing more
  c.send('S');
  msgs = await c.until('Z');
  const types = msgs.map((m) => m.type);
  assert.deepEqual([types[0], types[1]], ['2', 'T']);
  assert.equal(dataRows(msgs).length, N);
  const tags = msgs.filter((m) => m.type === 'C').map((m) => cstr(m.body));
  assert.deepEqual(tags, [`SELECT ${N}`, 'SELECT 0']);
  // Execute without Describe: DataRows without a RowDescription.
  c.send('B', '', 'big', ...bindParams([{ fmt: 0, value: Buffer.from('450') }]), i16(0));
  c.send('E', '', i32(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.deepEqual([...new Set(msgs.map((m) => m.type))], ['2', 'D', 'C', 'Z']);
  assert.deepEqual(dataRows(msgs).map((r) => Number(r[0].toString())), Array.from({ length: 50 }, (_, k) => 450 + k));
  // Two result formats for a one-column query is a protocol error, found when the query runs.
  c.send('P', '', 'SELECT i FROM r', i16(0));
  c.send('B', '', '', i16(0), i16(0), i16(2), i16(0), i16(0));
  c.send('E', '', i32(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['1', '2', 'E', 'Z']);
  assert.equal(errorCode(msgs[2]), '08P01');
  c.close();
});

test('Execute with a row limit keeps the rows: pieces within max_result_rows, refused past it', async () => {
  const c = new PgClient(pgPort);
  await c.connect();
  c.send('P', '', 'SELECT i FROM r ORDER BY i LIMIT 25', i16(0));
  c.send('B', '', '', i16(0), i16(0), i16(0));
  c.send('E', '', i32(10));
  c.send('E', '', i32(10));
  c.send('E', '', i32(10));
  c.send('S');
  let msgs = await c.until('Z');
  assert.deepEqual(msgs.filter((m) => m.type !== 'D').map((m) => m.type), ['1', '2', 's', 's', 'C', 'Z']);
  assert.equal(dataRows(msgs).length, 25);
  c.send('P', '', 'SELECT i FROM r', i16(0));
  c.send('B', '', '', i16(0), i16(0), i16(0));
  c.send('E', '', i32(10));
  c.send('S');
  msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['1', '2', 'E', 'Z']);
  assert.equal(errorCode(msgs[2]), '54000');
  assert.match(msgs[2].body.toString(), /max_result_rows/);
  c.close();
});
