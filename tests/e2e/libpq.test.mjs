// A real libpq program (tests/pg/libpq_client.c, path in LAMINAR_LIBPQ_CLIENT) against
// `laminar serve --pg`: DDL and a syntax error, then — after events are ingested over HTTP — a
// simple-protocol SELECT, PQprepare/PQdescribePrepared/PQexecPrepared with text parameters and
// PQexecParams with a binary int8 parameter and binary results. Every result must equal what the
// HTTP query API returns for the same SQL. Then cancel requests: PQcancel from another thread
// interrupts SELECT pg_sleep(30) with 57014, and the same connection goes on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, tempDir, removeDir, freePort, parseClientSteps, ingestClientEvents } from './lib.mjs';

const CLIENT = process.env.LAMINAR_LIBPQ_CLIENT;
const skip = CLIENT ? false : 'LAMINAR_LIBPQ_CLIENT is unset: libpq (pkg-config libpq) was not found, tests/pg/libpq_client was not built';

const STREAM = 'lpq_events';
const VIEW = 'lpq_by_name';
const NAMES = ['alpha', "o'brien", 'zürich', 'gamma'];

let srv, dir, pgPort;

before(async () => {
  if (skip) return;
  dir = tempDir();
  srv = await startServer({ dataDir: dir, args: ['--pg', '127.0.0.1:0'] });
  pgPort = srv.pgPort;
});
after(async () => {
  await srv?.stop();
  if (dir) removeDir(dir);
});

const conninfo = (port) => `host=127.0.0.1 port=${port} user=u dbname=laminar sslmode=disable connect_timeout=10`;

function client(...args) {
  const r = spawnSync(CLIENT, [conninfo(pgPort), ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '', lines: (r.stdout ?? '').trimEnd().split('\n') };
}

// The client's output by step: { fields: [[name, oid]], rows: [[cell]], tag } or the step's text.
function parseSteps(lines) {
  const steps = parseClientSteps(lines, 'fields');
  for (const [k, v] of Object.entries(steps))
    if (typeof v === 'object') steps[k] = { fields: v.head, rows: v.rows, tag: v.end };
  return steps;
}

// A printed cell as JSON would hold it, by the column's type OID.
function typed(cell, oid) {
  if (cell === null) return null;
  if (oid === '20') {
    assert.match(cell, /^-?\d+$/);
    return Number(cell);
  }
  if (oid === '701') return Number(cell);
  assert.equal(oid, '25');
  return cell;
}

async function assertSameAsHttp(step, sql) {
  const http = await srv.query(sql);
  assert.equal(http.status, 200, http.text);
  assert.deepEqual(step.fields.map(([n]) => n), http.json.columns.map((c) => c.name), sql);
  const rows = step.rows.map((r) => r.map((c, i) => typed(c, step.fields[i][1])));
  assert.deepEqual(rows, http.json.rows, sql);
  assert.equal(step.tag, `SELECT ${http.json.rows.length}`);
  return http.json.rows;
}

const lit = (s) => `'${s.replaceAll("'", "''")}'`;

test('setup: CREATE TABLE, CREATE MATERIALIZED VIEW and a syntax error through libpq', { skip }, () => {
  const r = client('setup', STREAM, VIEW);
  assert.equal(r.code, 0, r.out + r.err);
  assert.deepEqual(r.lines, [
    'connect: ok protocol=3',
    'server_version: 16.0 (Laminar)',
    'create_table: CREATE TABLE',
    'create_view: CREATE MATERIALIZED VIEW',
    'syntax_error: sqlstate 42601',
    'finish: ok',
  ]);
});

test('query: prepared and binary-parameter queries equal the HTTP query API', { skip }, async () => {
  const events = await ingestClientEvents(srv, STREAM, { seed: 20240108, n: 60, names: NAMES, tsOf: (i) => new Date(Date.UTC(2024, 0, 8, 10, 0, i)) });

  const r = client('query', STREAM, VIEW, 'alpha', "o'brien", '3');
  assert.equal(r.code, 0, r.out + r.err);
  assert.deepEqual(r.lines.slice(0, 2), ['connect: ok protocol=3', 'server_version: 16.0 (Laminar)']);
  assert.equal(r.lines.at(-1), 'finish: ok');
  const steps = parseSteps(r.lines.slice(2, -1));
  assert.deepEqual(Object.keys(steps), [
    'select_all', 'prepare', 'describe', 'exec_prepared_1', 'exec_prepared_2', 'exec_prepared_null', 'exec_params_binary',
  ]);

  // Type OIDs: text 25, bigint 20, double precision 701.
  assert.deepEqual(steps.select_all.fields, [['name', '25'], ['n', '20'], ['sk', '20'], ['ax', '701']]);
  assert.equal(steps.prepare, 'ok');
  assert.equal(steps.describe, 'nparams=1 param0=25 nfields=3 fields name:25|n:20|sk:20');

  const all = await assertSameAsHttp(steps.select_all, `SELECT name, n, sk, ax FROM ${VIEW} ORDER BY name`);
  assert.equal(all.length, NAMES.length);
  assert.equal(all.reduce((s, row) => s + row[1], 0), events.length);
  assert.ok(all.some((row) => row[2] === null), 'a NULL sum(k) is printed as \\N');

  assert.deepEqual(steps.exec_prepared_1.fields, [['name', '25'], ['n', '20'], ['sk', '20']]);
  let rows = await assertSameAsHttp(steps.exec_prepared_1, `SELECT name, n, sk FROM ${VIEW} WHERE name = ${lit('alpha')}`);
  assert.equal(rows.length, 1);
  rows = await assertSameAsHttp(steps.exec_prepared_2, `SELECT name, n, sk FROM ${VIEW} WHERE name = ${lit("o'brien")}`);
  assert.equal(rows.length, 1, "a quote in a text parameter is data");
  assert.deepEqual(steps.exec_prepared_null.rows, []);
  assert.equal(steps.exec_prepared_null.tag, 'SELECT 0');

  // Binary int8 parameter (LIMIT 3) and binary results, decoded by the client.
  assert.deepEqual(steps.exec_params_binary.fields, [['name', '25'], ['n', '20'], ['sk', '20'], ['ax', '701']]);
  rows = await assertSameAsHttp(steps.exec_params_binary, `SELECT name, n, sk, ax FROM ${VIEW} ORDER BY n DESC, name LIMIT 3`);
  assert.equal(rows.length, 3);
});

test('cancel: PQcancel from another thread interrupts pg_sleep with 57014; the connection goes on', { skip }, () => {
  const r = client('cancel');
  assert.equal(r.code, 0, r.out + r.err);
  assert.deepEqual(r.lines, [
    'connect: ok protocol=3',
    'server_version: 16.0 (Laminar)',
    'idle_cancel: ok',
    'idle_after: 16.0 (Laminar)',
    'cancel: sqlstate 57014: canceling statement due to user request',
    'cancel_elapsed: under 10 s',
    'after_cancel: 16.0 (Laminar)',
    'after_cancel: laminar',
    'finish: ok',
  ]);
});

test('the client fails on unexpected results: existing table, missing view, no server', { skip }, async () => {
  let r = client('setup', STREAM, VIEW);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.lines.find((l) => l.startsWith('fail: ')), /^fail: create_table: status PGRES_FATAL_ERROR sqlstate 42P07: /);

  r = client('query', STREAM, 'lpq_missing', 'alpha', 'beta', '1');
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.lines.find((l) => l.startsWith('fail: ')), /^fail: select_all: status PGRES_FATAL_ERROR sqlstate 42P01: /);

  const closed = await freePort();
  const c = spawnSync(CLIENT, [conninfo(closed), 'setup', STREAM, VIEW], { encoding: 'utf8', timeout: 60000 });
  assert.equal(c.status, 1, c.stdout + c.stderr);
  assert.match(c.stdout, /^fail: connect: /);

  const u = spawnSync(CLIENT, [conninfo(pgPort), 'setup', 'Bad-Name', VIEW], { encoding: 'utf8' });
  assert.equal(u.status, 2);
});
