// Transaction blocks over the PostgreSQL protocol, as clients that wrap statements in them
// (psycopg2, JDBC with autocommit off, ORMs) use them: BEGIN/COMMIT/ROLLBACK change the
// ReadyForQuery status ('I', 'T', 'E' after an error), queries run inside a block, DDL is refused
// there (25001: it could not be rolled back), a failed block refuses statements (25P02) until
// ROLLBACK, portals survive Sync inside a block (a JDBC-style fetch in pieces across Syncs), and
// isolation levels other than READ COMMITTED, savepoints and DISCARD inside a block are refused.
// SQL cursors (DECLARE / FETCH / MOVE / CLOSE, WITH HOLD, BINARY), as psycopg2's named cursors use them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, tempDir, removeDir, ndjson } from './lib.mjs';
import { PgClient, i16, i32, dataRows, cstr } from './pgproto.mjs';

let srv, dir, pgPort;

before(async () => {
  dir = tempDir('laminar-pgtx-');
  srv = await startServer({ dataDir: dir, args: ['--pg', '127.0.0.1:0'] });
  pgPort = srv.pgPort;
  let r = await srv.sql('CREATE TABLE ev (ts timestamptz NOT NULL, n bigint)');
  assert.equal(r.status, 200, r.text);
  r = await srv.ingest('ev', ndjson(Array.from({ length: 30 }, (_, n) => ({ ts: '2024-05-01T00:00:00Z', n }))));
  assert.equal(r.status, 200, r.text);
});
after(async () => {
  await srv?.stop();
  if (dir) removeDir(dir);
});

const status = (msgs) => String.fromCharCode(msgs.at(-1).body[0]);
const errorOf = (msgs) => {
  const e = msgs.find((m) => m.type === 'E');
  return e && { code: /C([0-9A-Z]{5})\0/.exec(e.body.toString())[1], message: /M([^\0]*)\0/.exec(e.body.toString())[1] };
};
const tags = (msgs) => msgs.filter((m) => m.type === 'C').map((m) => cstr(m.body));

async function q(c, sql) {
  c.send('Q', sql);
  return c.until('Z');
}

test('BEGIN, queries, COMMIT: statuses T then I; ROLLBACK and END too; warnings outside a block', async () => {
  const c = new PgClient(pgPort);
  assert.equal(status(await c.connect()), 'I');
  let m = await q(c, 'BEGIN');
  assert.deepEqual([tags(m), status(m)], [['BEGIN'], 'T']);
  m = await q(c, 'SELECT count(*) FROM ev');
  assert.deepEqual(dataRows(m).map((r) => r[0].toString()), ['30']);
  assert.equal(status(m), 'T');
  m = await q(c, 'COMMIT');
  assert.deepEqual([tags(m), status(m)], [['COMMIT'], 'I']);
  m = await q(c, 'START TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY; SELECT 1; END');
  assert.deepEqual([tags(m), status(m)], [['START TRANSACTION', 'SELECT 1', 'COMMIT'], 'I']);
  m = await q(c, 'ROLLBACK');
  assert.deepEqual(tags(m), ['ROLLBACK']);
  const notice = m.find((x) => x.type === 'N');
  assert.ok(notice, 'a WARNING notice');
  assert.match(notice.body.toString(), /C25P01\0.*there is no transaction in progress/s);
  c.close();
});

test('in a block: DDL refused with 25001; the block fails (E, 25P02) until ROLLBACK; COMMIT of a failed block rolls back', async () => {
  const c = new PgClient(pgPort);
  await c.connect();
  await q(c, 'BEGIN');
  let m = await q(c, 'CREATE TABLE t2 (ts timestamptz NOT NULL)');
  assert.equal(errorOf(m).code, '25001');
  assert.match(errorOf(m).message, /CREATE TABLE cannot run inside a transaction block/);
  assert.equal(status(m), 'E');
  m = await q(c, 'SELECT 1');
  assert.equal(errorOf(m).code, '25P02');
  assert.equal(status(m), 'E');
  m = await q(c, 'COMMIT');
  assert.deepEqual([tags(m), status(m)], [['ROLLBACK'], 'I']);
  // Nothing was created; outside a block DDL works.
  m = await q(c, 'SELECT count(*) FROM t2');
  assert.equal(errorOf(m).code, '42P01');
  m = await q(c, 'CREATE TABLE t2 (ts timestamptz NOT NULL)');
  assert.deepEqual([tags(m), status(m)], [['CREATE TABLE'], 'I']);
  // A query error inside a block fails it too.
  m = await q(c, 'BEGIN; SELECT nope FROM ev');
  assert.equal(errorOf(m).code, '42703');
  assert.equal(status(m), 'E');
  m = await q(c, 'ROLLBACK');
  assert.equal(status(m), 'I');
  c.close();
});

test('refused: other isolation levels, savepoints, AND CHAIN, DISCARD inside a block; DISCARD ALL resets the session', async () => {
  const c = new PgClient(pgPort);
  await c.connect();
  for (const [sql, code, re] of [
    ['BEGIN ISOLATION LEVEL SERIALIZABLE', '0A000', /isolation level SERIALIZABLE is not supported/],
    ['SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ', '0A000', /REPEATABLE READ/],
    ['COMMIT AND CHAIN', '0A000', /AND CHAIN/],
  ]) {
    const m = await q(c, sql);
    assert.deepEqual([errorOf(m)?.code, status(m)], [code, 'I'], sql);
    assert.match(errorOf(m).message, re);
  }
  let m = await q(c, 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
  assert.deepEqual(tags(m), ['SET']);
  await q(c, 'BEGIN');
  m = await q(c, 'SAVEPOINT a');
  assert.equal(errorOf(m).code, '0A000');
  assert.match(errorOf(m).message, /SAVEPOINT is not supported/);
  await q(c, 'ROLLBACK');
  await q(c, 'BEGIN');
  m = await q(c, 'DISCARD ALL');
  assert.equal(errorOf(m).code, '25001');
  await q(c, 'ROLLBACK');
  m = await q(c, "SET application_name = 'x'; SET DateStyle = 'ISO, DMY'; DISCARD ALL; SHOW DateStyle; SHOW transaction_isolation");
  assert.deepEqual(tags(m), ['SET', 'SET', 'DISCARD ALL', 'SHOW', 'SHOW']);
  assert.deepEqual(dataRows(m).map((r) => r[0].toString()), ['ISO, MDY', 'read committed']);
  c.close();
});

test('SET, SHOW and RESET as PostgreSQL reads them: lists, LOCAL, DEFAULT, RESET ALL to the startup values, SHOW ALL', async () => {
  const c = new PgClient(pgPort);
  await c.connect({ application_name: 'startup-app' });
  let m = await q(c, 'SET search_path = "$user", public; SHOW search_path; SET DateStyle = ISO, DMY; SHOW DateStyle');
  assert.deepEqual(dataRows(m).map((r) => r[0].toString()), ['"$user", public', 'ISO, DMY']);
  m = await q(c, 'SHOW TIME ZONE');
  assert.equal(cstr(m.find((x) => x.type === 'T').body, 2), 'TimeZone', 'the column is the canonical name');
  // SET LOCAL lasts until the block ends; outside one it only warns.
  m = await q(c, "BEGIN; SET LOCAL application_name = 'in-block'; SHOW application_name; COMMIT; SHOW application_name");
  assert.deepEqual(dataRows(m).map((r) => r[0].toString()), ['in-block', 'startup-app']);
  m = await q(c, "SET LOCAL application_name = 'nowhere'; SHOW application_name");
  assert.match(m.find((x) => x.type === 'N').body.toString(), /C25P01\0.*SET LOCAL can only be used in transaction blocks/s);
  assert.deepEqual(dataRows(m).map((r) => r[0].toString()), ['startup-app']);
  // DEFAULT and RESET go back to the session's start, not to the server's default.
  m = await q(c, "SET application_name = 'x'; SET application_name TO DEFAULT; SHOW application_name");
  assert.deepEqual(dataRows(m).map((r) => r[0].toString()), ['startup-app']);
  m = await q(c, "SET application_name = 'y'; SET my.flag = 3; RESET ALL; SHOW application_name; SHOW DateStyle; SHOW my.flag");
  assert.deepEqual(tags(m), ['SET', 'SET', 'RESET', 'SHOW', 'SHOW']);
  assert.deepEqual(dataRows(m).map((r) => r[0].toString()), ['startup-app', 'ISO, MDY']);
  assert.equal(errorOf(m).code, '42704');
  m = await q(c, 'SHOW ALL');
  const all = new Map(dataRows(m).map((r) => [r[0].toString(), r[1].toString()]));
  assert.equal(all.get('application_name'), 'startup-app');
  assert.equal(all.get('server_version'), '16.0 (Laminar)');
  m = await q(c, 'RESET server_version');
  assert.equal(errorOf(m).code, '55P02');
  c.close();
});

test('extended protocol: a portal fetched in pieces across Syncs inside a block (JDBC fetch size)', async () => {
  const c = new PgClient(pgPort);
  await c.connect();
  c.send('P', '', 'BEGIN', i16(0));
  c.send('B', '', '', i16(0), i16(0), i16(0));
  c.send('E', '', i32(0));
  c.send('P', 's1', 'SELECT n FROM ev ORDER BY n', i16(0));
  c.send('B', 'c1', 's1', i16(0), i16(0), i16(0));
  c.send('E', 'c1', i32(10));
  c.send('S');
  let m = await c.until('Z');
  assert.equal(status(m), 'T');
  assert.deepEqual(dataRows(m).map((r) => Number(r[0].toString())), Array.from({ length: 10 }, (_, i) => i));
  assert.ok(m.some((x) => x.type === 's'), 'PortalSuspended');
  c.send('E', 'c1', i32(25));
  c.send('S');
  m = await c.until('Z');
  assert.deepEqual(dataRows(m).map((r) => Number(r[0].toString())), Array.from({ length: 20 }, (_, i) => 10 + i));
  assert.deepEqual(tags(m), ['SELECT 20']);
  m = await q(c, 'COMMIT');
  assert.equal(status(m), 'I');
  // After the block the portal is gone at the next Sync.
  c.send('S');
  await c.until('Z');
  c.send('E', 'c1', i32(0));
  c.send('S');
  m = await c.until('Z');
  assert.equal(errorOf(m).code, '34000');
  c.close();
});

test('psql: a script in a block: the DROP and the statement after it are refused, ROLLBACK ends the block', () => {
  const r = spawnSync('psql', [`host=127.0.0.1 port=${pgPort} user=u dbname=laminar sslmode=disable`, '-X', '-A', '-t',
    '-v', 'VERBOSITY=verbose'], {
    encoding: 'utf8', timeout: 30000,
    input: 'BEGIN;\nSELECT count(*) FROM ev;\nDROP TABLE ev;\nSELECT 1;\nROLLBACK;\nSELECT count(*) FROM ev;\n',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['BEGIN', '30', 'ROLLBACK', '30']);
  assert.match(r.stderr, /25001/);
  assert.match(r.stderr, /25P02/);
});

test('SQL cursors: DECLARE in a block, FETCH in pieces, MOVE, CLOSE; WITH HOLD outlives the block; errors', async () => {
  const c = new PgClient(pgPort);
  await c.connect();
  let m = await q(c, 'DECLARE c0 CURSOR FOR SELECT n FROM ev');
  assert.equal(errorOf(m).code, '25P01');
  m = await q(c, 'BEGIN; DECLARE c1 NO SCROLL CURSOR FOR SELECT n, n * 2 AS d FROM ev ORDER BY n');
  assert.deepEqual([tags(m), status(m)], [['BEGIN', 'DECLARE CURSOR'], 'T']);
  m = await q(c, 'FETCH FORWARD 4 FROM c1');
  assert.ok(m.some((x) => x.type === 'T'), 'RowDescription');
  assert.deepEqual(dataRows(m).map((r) => r.map(String)), [['0', '0'], ['1', '2'], ['2', '4'], ['3', '6']]);
  assert.deepEqual(tags(m), ['FETCH 4']);
  m = await q(c, 'MOVE 20 IN c1; FETCH NEXT c1; FETCH ALL FROM c1; FETCH 5 FROM c1');
  assert.deepEqual(tags(m), ['MOVE 20', 'FETCH 1', 'FETCH 5', 'FETCH 0']);
  assert.deepEqual(dataRows(m).map((r) => Number(r[0].toString())), [24, 25, 26, 27, 28, 29]);
  m = await q(c, 'FETCH BACKWARD 1 FROM c1');
  assert.equal(errorOf(m).code, '0A000');
  m = await q(c, 'ROLLBACK; BEGIN; FETCH 1 FROM c1');
  assert.equal(errorOf(m).code, '34000', 'the cursor ended with its block');
  m = await q(c, 'ROLLBACK; DECLARE h BINARY CURSOR WITH HOLD FOR SELECT n FROM ev ORDER BY n DESC; DECLARE h CURSOR WITH HOLD FOR SELECT 1');
  assert.deepEqual(tags(m), ['ROLLBACK', 'DECLARE CURSOR']);
  assert.equal(errorOf(m).code, '42P03');
  // A BINARY cursor sends its rows in binary format: int8 as 8 bytes.
  m = await q(c, 'FETCH 2 FROM h');
  assert.deepEqual(dataRows(m).map((r) => r[0].readBigInt64BE(0)), [29n, 28n]);
  // FETCH through the extended protocol: Describe of the statement consumes nothing.
  c.send('P', 'f', 'FETCH 3 FROM h', i16(0));
  c.send('D', Buffer.from('S'), 'f');
  c.send('B', '', 'f', i16(0), i16(0), i16(0));
  c.send('E', '', i32(0));
  c.send('S');
  m = await c.until('Z');
  assert.deepEqual(dataRows(m).map((r) => r[0].toString()), ['27', '26', '25']);
  assert.deepEqual(tags(m), ['FETCH 3']);
  m = await q(c, 'CLOSE h; CLOSE ALL; FETCH 1 FROM h');
  assert.deepEqual(tags(m), ['CLOSE CURSOR', 'CLOSE CURSOR']);
  assert.equal(errorOf(m).code, '34000');
  c.close();
});
