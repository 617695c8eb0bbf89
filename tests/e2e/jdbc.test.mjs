// A real JDBC program (tests/pg/JdbcClient.java, run with Java's source launcher against the
// PostgreSQL JDBC driver, pgjdbc) against `laminar serve --pg`: DDL through executeUpdate and
// errors as SQLExceptions with their SQLState; after events are ingested over HTTP, Statement and
// PreparedStatement queries (the 5th execution on is a named server-side statement) whose results
// must equal the HTTP query API's; DatabaseMetaData (getTables, getColumns, getSchemas,
// getPrimaryKeys, getTypeInfo, getSQLKeywords), which pgjdbc answers with its own catalog queries;
// and setQueryTimeout cancelling pg_sleep.
//
// Needs `java` (17+, for the source launcher) and pgjdbc's jar (LAMINAR_PGJDBC_JAR, else Debian's
// /usr/share/java/postgresql.jar); skipped with the reason when either is missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, tempDir, removeDir, freePort, parseClientSteps, ingestClientEvents } from './lib.mjs';

const JAR = process.env.LAMINAR_PGJDBC_JAR ?? '/usr/share/java/postgresql.jar';
const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'pg', 'JdbcClient.java');
const javaVersion = spawnSync('java', ['-version'], { encoding: 'utf8' });
const skip = javaVersion.error || javaVersion.status !== 0
  ? 'java was not found on PATH (install a JDK 17+, e.g. openjdk-17-jdk-headless)'
  : !existsSync(JAR)
    ? `the PostgreSQL JDBC driver was not found at ${JAR} (install libpostgresql-jdbc-java or set LAMINAR_PGJDBC_JAR)`
    : false;

const STREAM = 'jd_events';
const VIEW = 'jd_by_hour';
const DIM = 'jd_codes';
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

const url = (port) => `jdbc:postgresql://127.0.0.1:${port}/laminar?user=u&sslmode=disable&connectTimeout=10`;

function client(...args) {
  const r = spawnSync('java', ['-cp', JAR, CLIENT, url(pgPort), ...args], { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '', lines: (r.stdout ?? '').trimEnd().split('\n') };
}

// The client's output by step: { cols: [[name, typeName, sqlType]], rows: [[cell]], count } for
// result sets, else the step's text.
function parseSteps(lines) {
  const steps = parseClientSteps(lines, 'cols');
  for (const [k, v] of Object.entries(steps)) {
    if (typeof v !== 'object') continue;
    assert.match(v.end ?? '', /^rows \d+$/, `step ${k} ends with its row count`);
    steps[k] = { cols: v.head, rows: v.rows, count: Number(v.end.slice(5)) };
    assert.equal(steps[k].count, v.rows.length);
  }
  return steps;
}

// A printed cell as the HTTP API's JSON holds it, by the column's type name.
function typed(cell, typeName) {
  if (cell === null) return null;
  if (typeName === 'int8') {
    assert.match(cell, /^-?\d+$/);
    return Number(cell);
  }
  if (typeName === 'float8') return Number(cell);
  return cell;
}

async function assertSameAsHttp(step, sql) {
  assert.ok(step && step.rows, `no result for ${sql}`);
  const http = await srv.query(sql);
  assert.equal(http.status, 200, http.text);
  assert.deepEqual(step.cols.map(([n]) => n), http.json.columns.map((c) => c.name), sql);
  const rows = step.rows.map((r) => r.map((c, i) => typed(c, step.cols[i][1])));
  assert.deepEqual(rows, http.json.rows, sql);
  return http.json.rows;
}

test('setup: executeUpdate of DDL; SQLExceptions carry 42601 and 42P01 and the connection goes on', { skip }, () => {
  const r = client('setup', STREAM, VIEW, DIM);
  assert.equal(r.code, 0, r.out + r.err);
  assert.deepEqual(r.lines, [
    'connect: 16.0 (Laminar)',
    'create_table: 0',
    'create_view: 0',
    'create_dimension: 0',
    'syntax_error: sqlstate 42601',
    'unknown_table: sqlstate 42P01',
    'after_errors: 42',
    'finish: ok',
  ]);
});

test('query: Statement and PreparedStatement results equal the HTTP query API', { skip }, async () => {
  const events = await ingestClientEvents(srv, STREAM, { seed: 20240108, n: 90, names: NAMES, tsOf: (i) => new Date(Date.UTC(2024, 0, 8, 9 + (i % 3), 0, i)) });

  const r = client('query', STREAM, VIEW, "o'brien");
  assert.equal(r.code, 0, r.out + r.err);
  assert.equal(r.lines[0], 'connect: 16.0 (Laminar)');
  assert.equal(r.lines.at(-1), 'finish: ok');
  const steps = parseSteps(r.lines.slice(1, -1));

  // ResultSetMetaData: getColumnTypeName and java.sql.Types (TIMESTAMP 93, VARCHAR 12, BIGINT -5, DOUBLE 8).
  assert.deepEqual(steps.view_all.cols, [
    ['hour', 'timestamptz', '93'], ['name', 'text', '12'], ['n', 'int8', '-5'], ['sk', 'int8', '-5'], ['ax', 'float8', '8'],
  ]);
  const all = await assertSameAsHttp(steps.view_all, `SELECT hour, name, n, sk, ax FROM ${VIEW} ORDER BY hour, name`);
  assert.equal(all.reduce((s, row) => s + row[2], 0), events.length);
  assert.ok(all.some((row) => row[3] === null), 'a NULL sum(k) reads as NULL (wasNull, getObject)');

  assert.deepEqual(steps.raw_rows.cols, [['ts', 'timestamptz', '93'], ['name', 'text', '12'], ['k', 'int8', '-5'], ['x', 'float8', '8']]);
  const raw = await assertSameAsHttp(steps.raw_rows, `SELECT ts, name, k, x FROM ${STREAM} ORDER BY ts LIMIT 3`);
  assert.equal(raw.length, 3);
  assert.equal(steps.objects, 'String Long Double');

  // The same PreparedStatement 7 times (unnamed, then named after prepareThreshold) gives the same answer.
  const want = await srv.query(`SELECT name, count(*) AS c, sum(k) AS sk FROM ${STREAM} WHERE name = 'o''brien' ` +
    "AND k > -1000000000000 AND k < 1000000 AND x < 1e12 AND ts >= '2024-01-08T10:00:00Z' GROUP BY name");
  assert.equal(want.status, 200, want.text);
  assert.equal(want.json.rows.length, 1);
  for (let i = 1; i <= 7; i++) {
    const step = steps[`prepared_${i}`];
    assert.ok(step, `prepared_${i} missing`);
    assert.deepEqual(step.cols, [['name', 'text', '12'], ['c', 'int8', '-5'], ['sk', 'int8', '-5']]);
    assert.deepEqual(step.rows.map((row) => row.map((c, k) => typed(c, step.cols[k][1]))), want.json.rows, `execution ${i}`);
  }
});

test('DatabaseMetaData: tables, columns, schemas, keys and types from the live catalog', { skip }, () => {
  const r = client('meta', STREAM, VIEW, DIM);
  assert.equal(r.code, 0, r.out + r.err);
  assert.equal(r.lines.at(-1), 'finish: ok');
  const steps = parseSteps(r.lines.slice(1, -1));
  assert.equal(steps.product, 'PostgreSQL 16.0 (Laminar) major=16');
  assert.deepEqual(steps.schemas.rows, [['information_schema'], ['pg_catalog'], ['public']]);
  // pgjdbc's order: TABLE_TYPE, then schema and name; a materialized view is 'MATERIALIZED VIEW'.
  assert.deepEqual(steps.tables.rows, [
    ['public', VIEW, 'MATERIALIZED VIEW'],
    ['public', DIM, 'TABLE'],
    ['public', STREAM, 'TABLE'],
  ]);
  assert.deepEqual(steps.tables_typed.rows, [[VIEW, 'MATERIALIZED VIEW']]);
  // java.sql.Types: TIMESTAMP 93, VARCHAR 12, BIGINT -5, DOUBLE 8; view columns are nullable.
  assert.deepEqual(steps.columns_view.rows, [
    [VIEW, 'hour', '93', 'timestamptz', '1', 'YES', '1'],
    [VIEW, 'name', '12', 'text', '2', 'YES', '1'],
    [VIEW, 'n', '-5', 'int8', '3', 'YES', '1'],
    [VIEW, 'sk', '-5', 'int8', '4', 'YES', '1'],
    [VIEW, 'ax', '8', 'float8', '5', 'YES', '1'],
  ]);
  assert.deepEqual(steps.columns_stream.rows, [
    ['ts', '93', 'timestamptz', '1', 'NO'],
    ['name', '12', 'text', '2', 'YES'],
    ['k', '-5', 'int8', '3', 'YES'],
    ['x', '8', 'float8', '4', 'YES'],
  ]);
  assert.deepEqual(steps.columns_dim.rows, [['label', 'text', '2']]);
  assert.deepEqual(steps.primary_keys.rows, []);
  const types = new Map(steps.type_info.split('|').map((t) => t.split(':')));
  for (const [name, code] of [['int8', '-5'], ['text', '12'], ['float8', '8'], ['bool', '-7'], ['timestamptz', '93'], ['_int4', '2003']])
    assert.equal(types.get(name), code, `getTypeInfo ${name}: ${steps.type_info}`);
  // getSQLKeywords: PostgreSQL 15's keywords (pg_get_keywords()) less SQL:2003's, as pgjdbc filters them.
  const keywords = steps.keywords.split(',');
  assert.equal(keywords.length, 179, steps.keywords);  // as PostgreSQL 15 answers
  for (const k of ['abort', 'analyse', 'analyze', 'limit', 'offset', 'vacuum']) assert.ok(keywords.includes(k), `${k} in ${steps.keywords}`);
  for (const k of ['select', 'from', 'where']) assert.ok(!keywords.includes(k), `${k} not in ${steps.keywords}`);
});

test('setQueryTimeout cancels pg_sleep with 57014; the connection goes on', { skip }, () => {
  const r = client('cancel');
  assert.equal(r.code, 0, r.out + r.err);
  assert.deepEqual(r.lines, [
    'connect: 16.0 (Laminar)',
    'timeout: sqlstate 57014',
    'timeout_elapsed: under 10 s',
    'after_timeout: PostgreSQL JDBC Driver',
    'finish: ok',
  ]);
});

test('the client fails on unexpected results: existing table, missing view, no server', { skip }, async () => {
  let r = client('setup', STREAM, VIEW, DIM);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.lines.find((l) => l.startsWith('fail: ')), /^fail: create_table: sqlstate 42P07: /);
  r = client('query', STREAM, 'jd_missing', 'alpha');
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.lines.find((l) => l.startsWith('fail: ')), /^fail: view_all: sqlstate 42P01: /);
  const closed = await freePort();
  const c = spawnSync('java', ['-cp', JAR, CLIENT, url(closed), 'cancel'], { encoding: 'utf8', timeout: 120000 });
  assert.equal(c.status, 1, c.stdout + c.stderr);
  assert.match(c.stdout, /^fail: connect: sqlstate 08001: /);
});
