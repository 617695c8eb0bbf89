// COPY ... TO STDOUT and SQL PREPARE / EXECUTE / DEALLOCATE over the PostgreSQL protocol, with the
// real psql: `\copy (SELECT ...) TO 'file'` in text, CSV and binary format, `\copy relation TO
// 'file' CSV HEADER` for a stream, a dimension table and a view, a 100,000-row COPY past
// max_result_rows (streamed), COPY refusals; PREPARE / EXECUTE / DEALLOCATE with their errors and
// SQLSTATEs (psql's VERBOSITY verbose), and the namespace SQL PREPARE shares with the protocol's
// Parse (a raw protocol client). The expected bytes are PostgreSQL 15's, from its documentation
// (COPY "File Formats", the types' output functions with DateStyle ISO, TimeZone UTC).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, removeDir, ndjson } from './lib.mjs';
import { PgClient, i16, i32, bindParams, dataRows, cstr } from './pgproto.mjs';

let srv, dir, pgPort, files;

before(async () => {
  dir = tempDir('laminar-pgcopy-');
  files = tempDir('laminar-pgcopy-files-');
  // max_result_rows far below the large COPY: its rows must be streamed, not collected.
  const config = path.join(files, 'laminar.toml');
  writeFileSync(config, '[query]\nmax_result_rows = 1000\n');
  srv = await startServer({ dataDir: dir, args: ['--pg', '127.0.0.1:0', '--config', config] });
  pgPort = srv.pgPort;
  let r = await srv.sql('CREATE TABLE ev (ts timestamptz NOT NULL, name text, n bigint, x double precision, ' +
    'ok boolean)');
  assert.equal(r.status, 200, r.text);
  r = await srv.ingest('ev', ndjson(EVENTS));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, EVENTS.length, r.text);
});
after(async () => {
  await srv?.stop();
  if (dir) removeDir(dir);
  if (files) removeDir(files);
});

// Text that needs COPY's escapes and CSV's quotes; doubles at PostgreSQL's format thresholds.
const EVENTS = [
  { ts: '2024-01-02T03:04:05Z', name: 'plain', n: 1, x: 0.1, ok: true },
  { ts: '2024-01-02T03:04:05.5Z', name: 'tab\there', n: -2, x: 1e15, ok: false },
  { ts: '2024-01-02T03:04:05.123456Z', name: 'line1\nline2\r\nend', x: 1 / 3 },
  { ts: '2024-01-03T00:00:00Z', name: `quote " and 'single' , comma`, n: 42, x: -2.5e-7, ok: true },
  { ts: '2024-01-04T00:00:00Z', name: 'back\\slash \\N', n: 0, x: 123456789.125, ok: false },
  { ts: '2024-01-05T00:00:00Z', name: '', x: 100000000000000 },
  { ts: '2024-01-06T00:00:00Z', n: 7, x: 0.0001, ok: true },
  { ts: '2024-01-07T00:00:00Z', name: '\\.', n: 8, x: 0.00001 },
  { ts: '2024-01-08T00:00:00Z', name: 'ünïcödé € 😀', n: 9, x: -0.5 },
];

const QUERY = 'SELECT name, n, x, ok, ts FROM ev ORDER BY ts';

// The same rows in PostgreSQL's COPY text format: tab-separated, \N for NULL, backslash escapes.
const TEXT = [
  'plain\t1\t0.1\tt\t2024-01-02 03:04:05+00',
  'line1\\nline2\\r\\nend\t\\N\t0.3333333333333333\t\\N\t2024-01-02 03:04:05.123456+00',
  'tab\\there\t-2\t1e+15\tf\t2024-01-02 03:04:05.5+00',
  `quote " and 'single' , comma\t42\t-2.5e-07\tt\t2024-01-03 00:00:00+00`,
  'back\\\\slash \\\\N\t0\t123456789.125\tf\t2024-01-04 00:00:00+00',
  '\t\\N\t100000000000000\t\\N\t2024-01-05 00:00:00+00',
  '\\N\t7\t0.0001\tt\t2024-01-06 00:00:00+00',
  '\\\\.\t8\t1e-05\t\\N\t2024-01-07 00:00:00+00',
  'ünïcödé € 😀\t9\t-0.5\t\\N\t2024-01-08 00:00:00+00',
].map((l) => l + '\n').join('');

// In CSV: quoted only when a value holds the delimiter, the quote, CR or LF, or equals the NULL
// string (here empty: so '' is "" and NULL is nothing); the quote doubled inside.
const CSV = [
  'name,n,x,ok,ts',
  'plain,1,0.1,t,2024-01-02 03:04:05+00',
  '"line1\nline2\r\nend",,0.3333333333333333,,2024-01-02 03:04:05.123456+00',
  'tab\there,-2,1e+15,f,2024-01-02 03:04:05.5+00',
  `"quote "" and 'single' , comma",42,-2.5e-07,t,2024-01-03 00:00:00+00`,
  'back\\slash \\N,0,123456789.125,f,2024-01-04 00:00:00+00',
  '"",,100000000000000,,2024-01-05 00:00:00+00',
  ',7,0.0001,t,2024-01-06 00:00:00+00',
  '\\.,8,1e-05,,2024-01-07 00:00:00+00',
  'ünïcödé € 😀,9,-0.5,,2024-01-08 00:00:00+00',
].map((l) => l + '\n').join('');

function psql(args, input) {
  const r = spawnSync('psql', [`host=127.0.0.1 port=${pgPort} user=u dbname=laminar`, '-X', '-v', 'VERBOSITY=verbose',
    ...args], { encoding: 'utf8', timeout: 120000, input, maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const file = (name) => path.join(files, name);

test('\\copy (SELECT ...) TO a file: text format', () => {
  const r = psql(['-c', `\\copy (${QUERY}) TO '${file('q.txt')}'`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), `COPY ${EVENTS.length}`);
  assert.equal(readFileSync(file('q.txt'), 'utf8'), TEXT);
});

test('\\copy (SELECT ...) TO a file: CSV with HEADER, both option syntaxes', () => {
  let r = psql(['-c', `\\copy (${QUERY}) TO '${file('q.csv')}' CSV HEADER`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(file('q.csv'), 'utf8'), CSV);
  r = psql(['-c', `\\copy (${QUERY}) TO '${file('q2.csv')}' WITH (FORMAT csv, HEADER true)`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(file('q2.csv'), 'utf8'), CSV);
  // HEADER false, another delimiter and NULL string, FORCE_QUOTE of a column.
  r = psql(['-c', `\\copy (SELECT name, n FROM ev WHERE n < 8 ORDER BY ts) TO '${file('q3.csv')}' ` +
    `WITH (FORMAT csv, HEADER false, DELIMITER ';', NULL 'NULL', FORCE_QUOTE (n))`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(file('q3.csv'), 'utf8'),
    'plain;"1"\ntab\there;"-2"\nback\\slash \\N;"0"\nNULL;"7"\n');
  // Text format with a header and a delimiter of one's own: the delimiter in data is backslashed.
  r = psql(['-c', '\\copy (SELECT name AS "the name", n FROM ev WHERE n IN (1, 42) ORDER BY n) ' +
    `TO '${file('q4.txt')}' ` +
    `WITH (HEADER, DELIMITER ',')`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(file('q4.txt'), 'utf8'), 'the name,n\nplain,1\nquote " and \'single\' \\, comma,42\n');
});

test('\\copy in binary format: PostgreSQL\'s binary COPY file', () => {
  const r = psql(['-c', `\\copy (SELECT n, ok FROM ev WHERE n IN (1, -2) ORDER BY n) TO '${file('q.bin')}' BINARY`]);
  assert.equal(r.code, 0, r.err);
  const b = readFileSync(file('q.bin'));
  const expected = Buffer.concat([
    Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8),
    Buffer.from([0, 2, 0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 1, 0]),
    Buffer.from([0, 2, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1]),
    Buffer.from([0xff, 0xff]),
  ]);
  assert.deepEqual(b, expected);
});

test('\\copy relation TO a file: a stream, a dimension table with a column list, a view', async () => {
  let r = psql(['-c', `\\copy ev TO '${file('ev.csv')}' CSV HEADER`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), `COPY ${EVENTS.length}`);
  // Every column of the stream, in its order; the rows in the order they were ingested.
  assert.equal(readFileSync(file('ev.csv'), 'utf8'), [
    'ts,name,n,x,ok',
    '2024-01-02 03:04:05+00,plain,1,0.1,t',
    '2024-01-02 03:04:05.5+00,tab\there,-2,1e+15,f',
    '2024-01-02 03:04:05.123456+00,"line1\nline2\r\nend",,0.3333333333333333,',
    `2024-01-03 00:00:00+00,"quote "" and 'single' , comma",42,-2.5e-07,t`,
    '2024-01-04 00:00:00+00,back\\slash \\N,0,123456789.125,f',
    '2024-01-05 00:00:00+00,"",,100000000000000,',
    '2024-01-06 00:00:00+00,,7,0.0001,t',
    '2024-01-07 00:00:00+00,\\.,8,1e-05,',
    '2024-01-08 00:00:00+00,ünïcödé € 😀,9,-0.5,',
  ].map((l) => l + '\n').join(''));

  const src = file('countries.csv');
  writeFileSync(src, 'code,name\nDE,Germany\nUS,"United States, of America"\nXX,\n');
  r = await srv.sql("CREATE TABLE countries (code text NOT NULL, name text) WITH (kind = 'dimension')");
  assert.equal(r.status, 200, r.text);
  r = await srv.sql(`COPY countries FROM '${src}' WITH (FORMAT csv, HEADER true)`);
  assert.equal(r.status, 200, r.text);
  r = psql(['-c',
    `\\copy countries (name, code) TO '${file('countries.out')}' WITH (FORMAT csv, HEADER, FORCE_QUOTE *)`]);
  assert.equal(r.code, 0, r.err);
  const got = readFileSync(file('countries.out'), 'utf8').split('\n');
  assert.equal(got[0], 'name,code');
  assert.deepEqual(got.slice(1, -1).sort(), ['"Germany","DE"', '"United States, of America","US"', ',"XX"']);

  r = psql(['-c', 'CREATE MATERIALIZED VIEW ev_daily AS SELECT date_trunc(\'day\', ts) AS day, count(*) AS events, ' +
    'sum(n) AS total FROM ev GROUP BY 1']);
  assert.equal(r.code, 0, r.err);
  r = psql(['-c', `\\copy ev_daily TO '${file('daily.txt')}'`]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readFileSync(file('daily.txt'), 'utf8').split('\n').slice(0, -1).sort(), [
    '2024-01-02 00:00:00+00\t3\t-1', '2024-01-03 00:00:00+00\t1\t42', '2024-01-04 00:00:00+00\t1\t0',
    '2024-01-05 00:00:00+00\t1\t\\N', '2024-01-06 00:00:00+00\t1\t7', '2024-01-07 00:00:00+00\t1\t8',
    '2024-01-08 00:00:00+00\t1\t9']);
});

test('COPY TO STDOUT with psql -c: the rows on stdout; inside a transaction block too', () => {
  let r = psql(['-c', "COPY (SELECT n, name FROM ev WHERE n BETWEEN 0 AND 1 ORDER BY n) TO STDOUT WITH (FORMAT csv)"]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, '0,back\\slash \\N\n1,plain\n');
  r = psql(['-A', '-t'], 'BEGIN;\nCOPY (SELECT count(*) AS c FROM ev) TO STDOUT;\nCOMMIT;\n');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'BEGIN\n9\nCOMMIT\n');
  // Catalog and session answers copy too.
  r = psql(['-c', 'COPY (SELECT current_database(), current_user) TO STDOUT']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'laminar\tu\n');
});

test('a large COPY: 100,000 rows streamed past max_result_rows (1000 here)', async () => {
  const N = 100000;
  let r = await srv.sql('CREATE TABLE big (ts timestamptz NOT NULL, i bigint, s text)');
  assert.equal(r.status, 200, r.text);
  const base = Date.parse('2024-06-01T00:00:00Z');
  const events = Array.from({ length: N },
    (_, i) => ({ ts: new Date(base + i * 1000).toISOString(), i, s: `row ${i}\t"${i % 7}"` }));
  r = await srv.ingest('big', ndjson(events));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, N);
  // A plain SELECT collecting them over HTTP is refused by the limit; COPY streams them.
  const http = await srv.query('SELECT i FROM big');
  assert.notEqual(http.status, 200);
  r = psql(['-c', `\\copy (SELECT i, s FROM big ORDER BY i) TO '${file('big.csv')}' CSV`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), `COPY ${N}`);
  const lines = readFileSync(file('big.csv'), 'utf8').split('\n');
  assert.equal(lines.length, N + 1);
  assert.equal(lines[0], '0,"row 0\t""0"""');
  assert.equal(lines[N - 1], `${N - 1},"row ${N - 1}\t""${(N - 1) % 7}"""`);
  r = psql(['-c', `\\copy big TO '${file('big.txt')}'`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), `COPY ${N}`);
  const text = readFileSync(file('big.txt'), 'utf8').split('\n');
  assert.equal(text.length, N + 1);
  assert.ok(text.includes('2024-06-01 00:00:05+00\t5\trow 5\\t"5"'));
});

test('COPY refusals: a server file, a program, bad options, an unknown column, COPY FROM STDIN unchanged', () => {
  for (const [sql, re] of [
    ["COPY ev TO '/tmp/laminar-should-not-exist.csv'",
      new RegExp('ERROR:\\s+0A000: COPY to a file is not supported: Laminar writes no files on the server; ' +
        "use COPY \\.\\.\\. TO STDOUT \\(psql: \\\\copy \\.\\.\\. TO 'file' writes the file on the client\\)")],
    ["COPY (SELECT 1) TO PROGRAM 'cat'", /ERROR:\s+0A000: COPY TO PROGRAM is not supported/],
    ['COPY ev TO STDOUT (FORMAT xml)', /ERROR:\s+22023: COPY format "xml" not recognized/],
    ["COPY ev TO STDOUT (DELIMITER 'ab')", /ERROR:\s+0A000: COPY delimiter must be a single one-byte character/],
    ['COPY ev TO STDOUT (HEADER match)', /ERROR:\s+0A000: cannot use "match" with HEADER in COPY TO/],
    ['COPY ev TO STDOUT (FORMAT csv, FORCE_QUOTE (nope))',
      /ERROR:\s+42P10: FORCE_QUOTE column "nope" not referenced by COPY/],
    ['COPY (SELECT nope FROM ev) TO STDOUT', /ERROR:\s+42703: column "nope" does not exist/],
    ['COPY nosuch TO STDOUT', /ERROR:\s+42P01: .*"nosuch"/],
    ["COPY ev FROM '/etc/passwd' WITH (FORMAT csv)", /ERROR:\s+\w+: .*is not in an import directory/],
  ]) {
    const r = psql(['-c', sql]);
    assert.notEqual(r.code, 0, sql);
    assert.match(r.err, re, sql);
  }
  const r = psql(['-c', `\\copy (SELECT nope FROM ev) TO '${file('nope.txt')}'`]);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /42703/);
});

test('\\copy table FROM a client file: COPY FROM STDIN loads a dimension table (CSV and Parquet), CopyFail, refusals', async () => {
  let r = psql(['-c', "CREATE TABLE cities (code text NOT NULL, name text, pop bigint) WITH (kind = 'dimension')"]);
  assert.equal(r.code, 0, r.err);
  const rows = ['code,name,pop', 'BER,Berlin,3850809', 'PAR,"Paris, France",2102650', 'XXX,,'];
  writeFileSync(file('cities.csv'), rows.join('\n') + '\n');
  r = psql(['-c', `\\copy cities FROM '${file('cities.csv')}' WITH (FORMAT csv, HEADER true)`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), 'COPY 3');
  r = psql(['-A', '-t', '-c', 'SELECT code, name, pop FROM cities ORDER BY code']);
  assert.deepEqual(r.out.trim().split('\n'), ['BER|Berlin|3850809', 'PAR|Paris, France|2102650', 'XXX||']);
  // A column list and psql's old option syntax.
  writeFileSync(file('names.csv'), 'Lyon,LYS\n');
  r = psql(['-c', `\\copy cities (name, code) FROM '${file('names.csv')}' CSV`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(psql(['-A', '-t', '-c', 'SELECT code || name FROM cities']).out.trim(), 'LYSLyon');
  // Bad rows: nothing changes, the error names the line.
  writeFileSync(file('bad.csv'), 'code,name,pop\nAAA,a,1\nBBB,b,lots\n');
  r = psql(['-c', `\\copy cities FROM '${file('bad.csv')}' WITH (FORMAT csv, HEADER true)`]);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /line 3/);
  assert.equal(psql(['-A', '-t', '-c', 'SELECT count(*) FROM cities']).out.trim(), '1');
  // PostgreSQL's text format (psql's default): tabs, \N for NULL, backslash escapes. A CSV file
  // read as text is one field a line: refused whole.
  r = psql(['-c', `\\copy cities FROM '${file('cities.csv')}'`]);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /22P04: .*line 1: missing data for column "name"/);
  writeFileSync(file('cities.txt'), 'ROM\tRome\\, Lazio\t2873000\nNUL\t\\N\t\\N\nTAB\ta\\tb\t1\n');
  r = psql(['-c', `\\copy cities FROM '${file('cities.txt')}'`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), 'COPY 3');
  r = psql(['-A', '-t', '-F', '|', '-c', "SELECT code, coalesce(name, 'null'), coalesce(pop, -1), length(name) FROM cities ORDER BY code"]);
  assert.deepEqual(r.out.trim().split('\n'), ['NUL|null|-1|', 'ROM|Rome, Lazio|2873000|11', 'TAB|a\tb|1|3']);
  // The raw protocol: CopyInResponse, CopyData in pieces, CopyDone; and CopyFail.
  const c = new PgClient(pgPort);
  await c.connect();
  c.send('Q', 'COPY cities FROM STDIN WITH (FORMAT csv)');
  let m = await c.until('G');
  const g = m.at(-1).body;
  assert.deepEqual([g[0], g.readInt16BE(1)], [0, 3], 'text format, three columns');
  c.send('d', Buffer.from('ABC,Ab'));
  c.send('d', Buffer.from('c City,12\n'));
  c.send('c', Buffer.alloc(0));
  m = await c.until('Z');
  assert.deepEqual(m.filter((x) => x.type === 'C').map((x) => cstr(x.body)), ['COPY 1']);
  c.send('Q', 'COPY cities FROM STDIN WITH (FORMAT csv)');
  await c.until('G');
  c.send('d', Buffer.from('ZZZ,z,1\n'));
  c.send('f', 'the client gave up');
  m = await c.until('Z');
  const err = m.find((x) => x.type === 'E').body.toString();
  assert.match(err, /C57014\0/);
  assert.match(err, /COPY from stdin failed: the client gave up/);
  c.send('Q', 'SELECT name FROM cities');
  m = await c.until('Z');
  assert.deepEqual(dataRows(m).map((row) => row[0].toString()), ['Abc City'], 'CopyFail changed nothing');
  c.close();
});

test('PREPARE / EXECUTE / DEALLOCATE through psql, errors with their SQLSTATEs', () => {
  const r = psql(['-A', '-t'], [
    'PREPARE q (bigint) AS SELECT name, n FROM ev WHERE n > $1 ORDER BY n;',
    'EXECUTE q (7);',
    "EXECUTE q ('40');",
    'EXECUTE q (1, 2);',
    "EXECUTE q ('abc');",
    'EXECUTE nope;',
    'PREPARE q AS SELECT 1;',
    "PREPARE t2 (text, timestamptz) AS SELECT count(*) FROM ev WHERE name = $1 OR ts = $2;",
    "EXECUTE t2 ('plain', '2024-01-03 00:00:00+00');",
    "EXECUTE t2 ('it''s', NULL);",
    'PREPARE u AS SELECT n * 2 AS m FROM ev WHERE name = $1 OR ts = $2 ORDER BY m;',
    "EXECUTE u (E'tab\\there', '2024-01-06 00:00:00+00'::timestamptz);",
    'EXECUTE u ((SELECT 1), NULL);',
    'DEALLOCATE q;',
    'EXECUTE q (0);',
    'DEALLOCATE PREPARE q;',
    'DEALLOCATE ALL;',
    "EXECUTE t2 ('x', NULL);",
    'PREPARE bad (numeric) AS SELECT $1;',
    'PREPARE bad2 (nosuchtype) AS SELECT $1;',
    'PREPARE two AS SELECT 1; SELECT 2;',
  ].join('\n') + '\n');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out.trim().split('\n'), [
    'PREPARE', '\\.|8', 'ünïcödé € 😀|9', `quote " and 'single' , comma|42`,
    `quote " and 'single' , comma|42`,
    'PREPARE', '2', '0',
    'PREPARE', '-4', '14',
    'DEALLOCATE', 'DEALLOCATE ALL',
    'PREPARE', '2',  // psql sends PREPARE two AS SELECT 1 and SELECT 2 apart
  ], r.out);
  const errors = r.err.split('\n').filter((l) => l.startsWith('ERROR:') || l.startsWith('DETAIL:'));
  assert.deepEqual(errors, [
    'ERROR:  42601: wrong number of parameters for prepared statement "q": expected 1, got 2',
    'ERROR:  22P02: parameter $1: invalid input syntax for type bigint: "abc"',
    'ERROR:  26000: prepared statement "nope" does not exist',
    'ERROR:  42P05: prepared statement "q" already exists',
    'ERROR:  0A000: cannot use subquery in EXECUTE parameter',
    'ERROR:  26000: prepared statement "q" does not exist',
    'ERROR:  26000: prepared statement "q" does not exist',
    'ERROR:  26000: prepared statement "t2" does not exist',
    'ERROR:  0A000: type numeric is not supported as a parameter type: use bigint, integer, smallint, ' +
      'double precision, real, boolean, text, varchar, timestamp with time zone or date',
    'ERROR:  42704: type "nosuchtype" does not exist',
  ], r.err);
});

test('SQL PREPARE and Parse share one namespace; COPY and EXECUTE through the extended protocol', async () => {
  const c = new PgClient(pgPort);
  await c.connect();
  const errorOf = (msgs) => {
    const e = msgs.find((m) => m.type === 'E');
    return e && /C([0-9A-Z]{5})\0/.exec(e.body.toString())[1];
  };
  // PREPAREd in SQL, bound and executed by the protocol.
  c.send('Q', 'PREPARE sq (bigint) AS SELECT name FROM ev WHERE n = $1');
  let m = await c.until('Z');
  assert.deepEqual(m.map((x) => x.type), ['C', 'Z']);
  assert.equal(cstr(m[0].body), 'PREPARE');
  c.send('D', Buffer.from('S'), 'sq');
  c.send('B', '', 'sq', ...bindParams([{ fmt: 0, value: Buffer.from('42') }]), i16(0));
  c.send('E', '', i32(0));
  c.send('S');
  m = await c.until('Z');
  assert.deepEqual(m.map((x) => x.type), ['t', 'T', '2', 'D', 'C', 'Z']);
  assert.equal(m[0].body.readInt32BE(2), 20);  // the declared bigint
  assert.deepEqual(dataRows(m).map((r) => r[0].toString()), [`quote " and 'single' , comma`]);
  // Parsed by the protocol, run by SQL EXECUTE; a duplicate name either way is 42P05.
  c.send('P', 'pq', 'SELECT n FROM ev WHERE name = $1', i16(0));
  c.send('S');
  await c.until('Z');
  c.send('Q', "EXECUTE pq ('plain'); PREPARE pq AS SELECT 1");
  m = await c.until('Z');
  assert.deepEqual(dataRows(m).map((r) => r[0].toString()), ['1']);
  assert.equal(cstr(m.find((x) => x.type === 'C').body), 'SELECT 1');
  assert.equal(errorOf(m), '42P05');
  c.send('P', 'sq', 'SELECT 1', i16(0));
  c.send('S');
  assert.equal(errorOf(await c.until('Z')), '42P05');
  // DEALLOCATE drops a protocol statement; Close drops a SQL one.
  c.send('Q', 'DEALLOCATE pq');
  await c.until('Z');
  c.send('C', Buffer.from('S'), 'sq');
  c.send('S');
  await c.until('Z');
  c.send('Q', 'EXECUTE sq (1)');
  assert.equal(errorOf(await c.until('Z')), '26000');
  c.send('B', '', 'pq', i16(0), i16(0), i16(0));
  c.send('S');
  assert.equal(errorOf(await c.until('Z')), '26000');

  // EXECUTE through the extended protocol: its portal is the named statement's, with $1 bound.
  c.send('Q', 'PREPARE ex (bigint) AS SELECT name, n FROM ev WHERE n >= $1 ORDER BY n');
  await c.until('Z');
  c.send('P', '', 'EXECUTE ex ($1)', i16(0));
  c.send('B', '', '', ...bindParams([{ fmt: 0, value: Buffer.from('9') }]), i16(0));
  c.send('D', Buffer.from('P'), '');
  c.send('E', '', i32(0));
  c.send('S');
  m = await c.until('Z');
  assert.deepEqual(m.map((x) => x.type), ['1', '2', 'T', 'D', 'D', 'C', 'Z']);
  assert.deepEqual(dataRows(m).map((r) => r.map(String)), [['ünïcödé € 😀', '9'], [`quote " and 'single' , comma`, '42']]);

  // COPY TO STDOUT through the extended protocol: Describe says NoData, Execute copies.
  c.send('P', '', 'COPY (SELECT n FROM ev WHERE n < 2 ORDER BY n) TO STDOUT (FORMAT csv, HEADER)', i16(0));
  c.send('B', '', '', i16(0), i16(0), i16(0));
  c.send('D', Buffer.from('P'), '');
  c.send('E', '', i32(0));
  c.send('S');
  m = await c.until('Z');
  assert.deepEqual(m.map((x) => x.type), ['1', '2', 'n', 'H', 'd', 'd', 'd', 'd', 'c', 'C', 'Z']);
  assert.deepEqual([...m[3].body], [0, 0, 1, 0, 0]);  // text, one column in text format
  assert.deepEqual(m.filter((x) => x.type === 'd').map((x) => x.body.toString()), ['n\n', '-2\n', '0\n', '1\n']);
  assert.equal(cstr(m[9].body), 'COPY 3');
  // The simple protocol: CopyOutResponse, CopyData per row, CopyDone, COPY n, ReadyForQuery.
  c.send('Q', "COPY (SELECT 'a\tb' AS s, NULL AS z) TO STDOUT");
  m = await c.until('Z');
  assert.deepEqual(m.map((x) => x.type), ['H', 'd', 'c', 'C', 'Z']);
  assert.deepEqual([...m[0].body], [0, 0, 2, 0, 0, 0, 0]);
  assert.equal(m[1].body.toString(), 'a\\tb\t\\N\n');
  assert.equal(cstr(m[3].body), 'COPY 1');
  c.close();
});
