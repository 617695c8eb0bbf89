// Self-test of the SQL logic test runner (tests/sql/runner.mjs): the value formatting it promises,
// a script that states the truth passing, and wrong expectations of every kind failing — each
// reported with file, line, SQL, expected and actual — with the run going on to the end of the
// script and the exit status 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir, removeDir } from '../e2e/lib.mjs';
import { pgFloat, formatValue, parseAnswer, parseScript } from './runner.mjs';

const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runner.mjs');

function runScript(text) {
  const dir = tempDir('laminar-sql-selftest-');
  const file = path.join(dir, 'case.test');
  writeFileSync(file, text);
  // TMPDIR: the data directories the runner keeps after a failure go into `dir` too.
  const r = spawnSync(process.execPath, [RUNNER, file], { encoding: 'utf8', timeout: 300000, env: { ...process.env, TMPDIR: dir } });
  removeDir(dir);
  return { status: r.status, out: r.stdout + r.stderr, file };
}

test('doubles print as PostgreSQL float8 text; values in their text form', () => {
  const cases = [[0.1 + 0.2, '0.30000000000000004'], [1e15, '1e+15'], [1e14, '100000000000000'],
    [123456789012345.6, '123456789012345.6'], [1e-5, '1e-05'], [0.0001, '0.0001'], [-2.5, '-2.5'],
    [1.5e300, '1.5e+300'], [-0, '-0'], [0, '0'], [3, '3'], [NaN, 'NaN'], [-Infinity, '-Infinity'],
    [5e-324, '5e-324'], [1 / 3, '0.3333333333333333']];
  for (const [x, want] of cases) assert.equal(pgFloat(x), want, String(x));
  assert.equal(formatValue(null, 'text'), 'NULL');
  assert.equal(formatValue('', 'text'), '(empty)');
  assert.equal(formatValue(true, 'boolean'), 'true');
  assert.equal(formatValue('2024-01-02T03:04:05.25Z', 'timestamptz'), '2024-01-02 03:04:05.25+00');
  // bigints and doubles come through exactly, numbers inside strings stay strings
  const a = parseAnswer('{"rows":[[9223372036854775807,-9223372036854775808,0.1,"1e5 \\"2\\"",null,true]]}');
  assert.deepEqual(a.rows[0], ['9223372036854775807', '-9223372036854775808', '0.1', '1e5 "2"', null, true]);
  assert.equal(formatValue(a.rows[0][0], 'bigint'), '9223372036854775807');
});

test('malformed scripts are refused with their line', () => {
  assert.throws(() => parseScript('query X\nSELECT 1\n', 'f'), /f:1: query types/);
  assert.throws(() => parseScript('\n\nselect 1\n', 'f'), /f:3: unknown record/);
  assert.throws(() => parseScript('statement maybe\nSELECT 1\n', 'f'), /f:1:/);
  assert.throws(() => parseScript('query I sorted\nSELECT 1\n', 'f'), /sort mode/);
  assert.throws(() => parseScript('\nstatement error (\nSELECT 1\n', 'f'), /f:2: bad regular expression/);
  const recs = parseScript('# c\nquery IT rowsort\nSELECT 1,\n  2\n----\n1\ta\n\nstatement error code=NotFound x.*y\nSELECT\n', 'f');
  assert.equal(recs.length, 2);
  assert.equal(recs[0].line, 2);
  assert.equal(recs[0].sql, 'SELECT 1,\n  2');
  assert.deepEqual(recs[0].expected, ['1\ta']);
  assert.equal(recs[1].code, 'NotFound');
  assert.equal(recs[1].regex.source, 'x.*y');
  const st = parseScript('statement error sqlstate=22023 code=InvalidArgument a b\nSELECT 1\n', 'f');
  assert.equal(st[0].sqlstate, '22023');
  assert.equal(st[0].code, 'InvalidArgument');
  assert.equal(st[0].regex.source, 'a b');
});

const GOOD = `# every record kind, stating the truth
statement ok
CREATE TABLE ev (ts timestamptz NOT NULL, k text, n bigint, x double precision, ok boolean)

statement ok
CREATE TABLE dim (k text NOT NULL, label text) WITH (kind = 'dimension')

copy dim
k,label
a,Alpha
b,

ingest ev
{"ts": "2024-01-01T00:00:00Z", "k": "a", "n": 9223372036854775807, "x": 0.1, "ok": true}
{"ts": "2024-01-01T00:00:01.5Z", "k": "b", "n": -1, "x": 1e15, "ok": false}
{"ts": "2024-01-01T00:00:02Z", "k": "", "x": 1e-5}

ingest ev error field n: 
{"ts": "2024-01-01T00:00:03Z", "n": "not a number"}

query TIRBD
SELECT k, n, x, ok, ts FROM ev ORDER BY ts
----
a\t9223372036854775807\t0.1\ttrue\t2024-01-01 00:00:00+00
b\t-1\t1e+15\tfalse\t2024-01-01 00:00:01.5+00
(empty)\tNULL\t1e-05\tNULL\t2024-01-01 00:00:02+00

batch

query TT rowsort
SELECT e.k, d.label FROM ev e JOIN dim d ON d.k = e.k
----
b\tNULL
a\tAlpha

restart

kill

query T valuesort
SELECT k FROM ev WHERE k <> '' UNION ALL SELECT label FROM dim WHERE label IS NOT NULL
----
b
Alpha
a

statement error code=NotFound sqlstate=42P01 relation "nope" does not exist
SELECT * FROM nope

statement error
SELEC 1

query I
SELECT count(*) FROM ev WHERE n > 100
----
1

query R
SELECT 0.1::float8 + 0.2
----
0.30000000000000004

query I
SELECT n FROM ev WHERE n > 1000000
`;

test('a script whose expectations are true passes', () => {
  const r = runScript(GOOD.replace(/\n(query I\nSELECT n FROM ev WHERE n > 1000000\n)$/, '\n$1----\n9223372036854775807\n'));
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /case\.test: 16 records, 16 passed, 0 failed/);
});

test('wrong expectations fail, each reported with file, line, SQL, expected and actual; the run goes on', () => {
  // The last query of GOOD has no expected rows but returns one: the only difference.
  const one = runScript(GOOD);
  assert.equal(one.status, 1, one.out);
  assert.match(one.out, /case\.test:63: query I: wrong result: 1 rows, expected 0/);
  assert.match(one.out, /case\.test: 16 records, 15 passed, 1 failed/);

  const bad = `statement ok
CREATE TABLE ev (ts timestamptz NOT NULL, n bigint)

ingest ev
{"ts": "2024-01-01T00:00:00Z", "n": 1}
{"ts": "2024-01-01T00:00:00Z", "n": 2}

query I
SELECT n FROM ev ORDER BY n
----
1
3

query I
SELECT n FROM ev ORDER BY n DESC
----
1
2

query I rowsort
SELECT n FROM ev
----
1
2
2

query T
SELECT n FROM ev WHERE n = 1
----
1

statement ok
CREATE TABLE ev (ts timestamptz NOT NULL)

statement error
SELECT 1

statement error no such thing
SELECT nope FROM ev

statement error code=NotFound
SELECT nope FROM ev

ingest ev
{"ts": "2024-01-01T00:00:00Z", "n": "x"}

ingest ev error
{"ts": "2024-01-01T00:00:00Z", "n": 3}

copy ev
n
1

query I
SELECT n FROM ev ORDER BY n
----
1
2
`;
  const r = runScript(bad);
  assert.equal(r.status, 1, r.out);
  const fails = [...r.out.matchAll(/^FAIL .*case\.test:(\d+): /gm)].map((m) => Number(m[1]));
  assert.deepEqual(fails, [8, 14, 20, 27, 32, 35, 38, 41, 44, 47, 50, 54], r.out);
  assert.match(r.out, /case\.test: 14 records, 2 passed, 12 failed/);
  // The report of the first one: SQL, the expected rows and the actual ones.
  const first = r.out.slice(r.out.indexOf('case.test:8:'), r.out.indexOf('case.test:14:'));
  assert.match(first, /wrong result: row 2 differs/);
  assert.match(first, /SQL:\n {4}SELECT n FROM ev ORDER BY n\n/);
  assert.match(first, /expected:\n {4}1\n {4}3\n/);
  assert.match(first, /actual:\n {4}1\n {4}2\n/);
  assert.match(r.out, /case\.test:27: query T: column types I \(bigint\), expected T/);
  assert.match(r.out, /case\.test:35: statement error: statement succeeded, an error was expected/);
  assert.match(r.out, /case\.test:38: .*the error message does not match/);
  assert.match(r.out, /case\.test:41: .*error code InvalidArgument, expected NotFound/);
  assert.match(r.out, /case\.test:44: ingest ev: 1 events sent, 0 accepted/);
  assert.match(r.out, /case\.test:47: ingest ev error: every event was accepted/);
});
