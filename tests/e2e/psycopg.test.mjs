// Python's psycopg2 and SQLAlchemy (Debian's python3-psycopg2, python3-sqlalchemy) against
// `laminar serve --pg`, through tests/pg/psycopg_client.py: psycopg2's default mode wraps every
// statement in a transaction block (BEGIN first), interpolates parameters client-side, and reads
// large results with named cursors (DECLARE / FETCH); SQLAlchemy asks its start-up questions
// (version, current_schema, `show transaction isolation level`, ...) and inspect() reads the
// catalog. Skips itself when /usr/bin/python3 has no psycopg2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, tempDir, removeDir, freePort, ndjson } from './lib.mjs';

const PY = '/usr/bin/python3';
const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'pg', 'psycopg_client.py');
const probe = spawnSync(PY, ['-c', 'import psycopg2, sqlalchemy'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : `${PY} cannot import psycopg2 and sqlalchemy (apt install python3-psycopg2 python3-sqlalchemy)`;

let srv, dir, pgPort;

before(async () => {
  if (skip) return;
  dir = tempDir('laminar-psycopg-');
  pgPort = await freePort();
  srv = await startServer({ dataDir: dir, args: ['--pg', `127.0.0.1:${pgPort}`] });
});
after(async () => {
  await srv?.stop();
  if (dir) removeDir(dir);
});

function py(step) {
  const r = spawnSync(PY, [CLIENT, String(pgPort), step], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `${step}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('psycopg2: autocommit DDL; queries in its transaction blocks; named cursors; DDL in a block refused', { skip }, async () => {
  assert.deepEqual(py('ddl'), { create: 'CREATE TABLE', view: 'CREATE MATERIALIZED VIEW' });
  const events = Array.from({ length: 30 }, (_, n) => ({
    ts: new Date(Date.UTC(2024, 4, 1, 0, 0, n)).toISOString(), name: n % 3 === 0 ? 'alpha' : "o'brien", ms: n + 0.5, n,
  }));
  const r = await srv.ingest('py_ev', ndjson(events));
  assert.equal(r.status, 200, r.text);

  const q = py('query');
  const sum = (f) => events.filter(f).reduce((s, e) => s + e.ms, 0);
  assert.deepEqual(q.rows, [['alpha', 10, sum((e) => e.name === 'alpha')], ["o'brien", 20, sum((e) => e.name !== 'alpha')]]);
  assert.deepEqual(q.types, [25, 20, 701]);
  assert.equal(q.status_in_block, 2, 'psycopg2 sees an open transaction block');
  assert.equal(q.count_since, 10);
  assert.equal(q.min_ts, '2024-05-01T00:00:20+00:00');
  assert.deepEqual(q.error, ['42703', 'ERROR:  column "nope" does not exist']);
  assert.equal(q.after_error, '25P02');
  assert.equal(q.after_rollback, 30);

  const named = py('named');
  assert.deepEqual(named.rows, events.map((e) => e.n));
  assert.deepEqual(named.fetchmany, [29, 28, 27]);
  assert.equal(named.fetchone, 26);

  const tx = py('ddl_tx');
  assert.equal(tx.error[0], '25001');
  assert.match(tx.error[1], /CREATE TABLE cannot run inside a transaction block/);
  const missing = await srv.query('SELECT count(*) FROM py_other');
  assert.notEqual(missing.status, 200, 'the refused CREATE TABLE created nothing');
});

test('SQLAlchemy: connects, binds a parameter, lists tables', { skip }, () => {
  const a = py('alchemy');
  assert.equal(a.count_alpha, 10);
  assert.deepEqual(a.tables, ['py_ev']);
});
