// Python's psycopg2 and SQLAlchemy (Debian's python3-psycopg2, python3-sqlalchemy) against
// `laminar serve --pg`, through tests/pg/psycopg_client.py: psycopg2's default mode wraps every
// statement in a transaction block (BEGIN first), interpolates parameters client-side, and reads
// large results with named cursors (DECLARE / FETCH); SQLAlchemy asks its start-up questions
// (version, current_schema, `show transaction isolation level`, ...) and inspect() reads the
// catalog; SQLAlchemy's reflection; pgcli's backslash commands (pgspecial) and completion queries
// (pgcli.pgexecute over psycopg 3). Skips itself when /usr/bin/python3 lacks them (scripts/setup.sh
// installs them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, tempDir, removeDir, ndjson } from './lib.mjs';

const PY = '/usr/bin/python3';
const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'pg', 'psycopg_client.py');
const probe = spawnSync(PY, ['-c', 'import psycopg2, sqlalchemy, pgspecial, pgcli'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false
  : `${PY} cannot import psycopg2, sqlalchemy and pgcli (scripts/setup.sh installs python3-psycopg2 python3-sqlalchemy pgcli)`;

let srv, dir, pgPort;

before(async () => {
  if (skip) return;
  dir = tempDir('laminar-psycopg-');
  srv = await startServer({ dataDir: dir, args: ['--pg', '127.0.0.1:0'] });
  pgPort = srv.pgPort;
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

test('SQLAlchemy reflection: get_columns of a stream and a view, MetaData.reflect, Table(autoload_with=...)', { skip }, () => {
  const r = py('reflect');
  assert.deepEqual(r.columns, [['ts', 'TIMESTAMP', false], ['name', 'TEXT', true], ['ms', 'DOUBLE_PRECISION', true], ['n', 'BIGINT', true]]);
  assert.deepEqual(r.view_columns, ['name', 'c', 'ms']);
  assert.deepEqual(r.reflected, ['py_ev']);
  assert.deepEqual(r.autoload, ['ts', 'name', 'ms', 'n']);
  assert.equal(r.select_reflected, 30);
});

test("pgcli: \\dt, \\dv, \\dm, \\d NAME and the completion queries (relkind = ANY(%s) with an array parameter)", { skip }, () => {
  const r = py('pgcli');
  assert.deepEqual(r['\\dt'][1], [['public', 'py_ev', 'table', 'laminar']]);
  assert.deepEqual(r['\\dv'][1], []);
  assert.deepEqual(r['\\dm'][1], [['public', 'py_by_name', 'materialized view', 'laminar']]);
  assert.deepEqual(r['\\d py_ev'][1].map((row) => row[0]), ['ts', 'name', 'ms', 'n']);
  assert.deepEqual(r.schemata, ['information_schema', 'pg_catalog', 'public']);
  assert.deepEqual(r.tables, [['public', 'py_ev']]);
  assert.deepEqual(r.views, [['public', 'py_by_name']]);
  assert.deepEqual(r.table_columns.map((c) => c.slice(0, 3)), [['public', 'py_ev', 'ts'], ['public', 'py_ev', 'name'], ['public', 'py_ev', 'ms'], ['public', 'py_ev', 'n']]);
  assert.deepEqual(r.search_path, ['pg_catalog', 'public']);
});
