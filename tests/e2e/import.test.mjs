// `laminar ingest` importing files (CSV with RFC 4180 quoting, gzip CSV, zstd NDJSON, Parquet
// written by DuckDB) into a running server, checked through materialized views; and the
// `laminar lake` subcommands (inspect/cat on a DuckDB file; ls/attach against the server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIN, startServer, tempDir, removeDir, freePort, mulberry32, duckdb } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const oracle = path.join(here, '..', 'oracle');
const haveDuckdb = existsSync(path.join(oracle, 'node_modules', '@duckdb', 'node-api'));

function run(args) {
  const r = spawnSync(BIN, args, { maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const DDL = (s) => `CREATE TABLE ${s} (ts timestamptz NOT NULL, k bigint, x double precision, name text, ok boolean);
  CREATE MATERIALIZED VIEW ${s}_by_name AS
    SELECT name, count(*) AS n, sum(k) AS sk, sum(x) AS sx, count(ok) AS oks FROM ${s} GROUP BY name;`;

// One server for the whole file; each test uses its own stream.
let srv;
let dir;
const http = () => `127.0.0.1:${srv.port}`;

test.before(async () => {
  dir = tempDir('laminar-import-');
  srv = await startServer({ dataDir: path.join(dir, 'data') });
});
test.after(async () => {
  await srv?.stop();
  removeDir(dir);
});

async function byName(stream) {
  const q = await srv.query(`SELECT name, n, sk, sx, oks FROM ${stream}_by_name ORDER BY name`);
  assert.equal(q.status, 200, q.text);
  return q.json.rows;
}

test('CSV: quoting, NULLs, client- and server-side rejects with row numbers, --errors file', async () => {
  assert.equal((await srv.sql(DDL('csv1'))).status, 200);
  const file = path.join(dir, 'in.csv');
  writeFileSync(file, [
    'ts,k,x,name,ok',                                   // line 1
    '2024-05-01T00:00:00Z,1,1.5,"a, ""quoted""",true',  // row 1, line 2
    '2024-05-01T00:00:01Z,2,,"multi\r\nline",f',        // row 2, lines 3-4
    '2024-05-01T00:00:02Z,,2.5,,yes',                   // row 3: k and name NULL
    '2024-05-01T00:00:03Z,4.5,1,bad,t',                 // row 4: not a bigint (client)
    ',5,1,nots,t',                                      // row 5: ts NULL → NOT NULL (server)
    '2024-05-01T00:00:05Z,6,3,"",no',                   // row 6: empty string, not NULL
    '2024-05-01T00:00:06Z,7',                           // row 7: too few fields (client)
  ].join('\r\n') + '\r\n');
  const errors = path.join(dir, 'errors.ndjson');
  const r = run(['ingest', 'csv1', file, '--http', http(), '--errors', errors, '--batch', '2']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stdout, /^accepted 4, rejected 3$/m);
  assert.match(r.stdout, /row 4 \(line 6\): column "k": invalid bigint "4.5"/);
  assert.match(r.stdout, /row 5 \(line 7\): .*ts.*NOT NULL.*\(server\)/);
  assert.match(r.stdout, /row 7 \(line 9\): expected 5 fields \(as in the header\), got 2/);
  assert.match(r.stderr, /done: 7 rows read, 4 accepted, 3 rejected/);
  const rejects = readFileSync(errors, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  // Client rejects are written when read, server rejects when their batch is answered.
  assert.deepEqual(rejects.map((e) => [e.row, e.line, e.source]).sort((a, b) => a[0] - b[0]),
    [[4, 6, 'client'], [5, 7, 'server'], [7, 9, 'client']]);
  const server = rejects.find((e) => e.source === 'server');
  assert.equal(server.field, 'ts');
  assert.deepEqual(server.record, { k: 5, x: 1, name: 'nots', ok: true });

  // NULL sorts last; text compares bytewise.
  assert.deepEqual(await byName('csv1'), [
    ['', 1, 6, 3, 1],
    ['a, "quoted"', 1, 1, 1.5, 1],
    ['multi\r\nline', 1, 2, null, 1],
    [null, 1, null, 2.5, 1],
  ]);

  // --null-string, --quiet, a semicolon delimiter; everything accepted → exit 0.
  const semi = path.join(dir, 'semi.csv');
  writeFileSync(semi, 'TS;K;Name\n2024-05-01T01:00:00Z;NULL;"N"\n2024-05-01T01:00:01Z;10;"NULL"\n');
  const q = run(['ingest', 'csv1', semi, '--http', http(), '--delimiter', ';', '--null-string', 'NULL', '--quiet']);
  assert.equal(q.status, 0, q.stderr);
  assert.equal(q.stderr, '');
  assert.equal(q.stdout, 'accepted 2, rejected 0\n');
  const rows = await byName('csv1');
  assert.deepEqual(rows.find((r) => r[0] === 'N'), ['N', 1, null, null, 0]);
  assert.deepEqual(rows.find((r) => r[0] === 'NULL'), ['NULL', 1, 10, null, 0]);
});

test('column mismatches and unreachable servers are fatal (exit 1) before anything is sent', async () => {
  assert.equal((await srv.sql(DDL('csv2'))).status, 200);
  const file = path.join(dir, 'extra.csv');
  writeFileSync(file, 'ts,k,colour,size\n2024-05-01T00:00:00Z,1,red,3\n');
  let r = run(['ingest', 'csv2', file, '--http', http()]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /"colour", "size" are not in stream "csv2"/);
  assert.equal((await srv.query('SELECT sum(n) FROM csv2_by_name')).json.rows[0][0] ?? 0, 0);
  r = run(['ingest', 'csv2', file, '--http', http(), '--ignore-unknown']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /accepted 1, rejected 0/);

  r = run(['ingest', 'nosuch', file, '--http', http()]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no stream "nosuch"/);
  r = run(['ingest', 'csv2', path.join(dir, 'missing.csv'), '--http', http()]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no such file/);
  r = run(['ingest', 'csv2', file, '--http', `127.0.0.1:${await freePort()}`]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot reach the server/);
  // A CSV structure error names line and column; rows before it stay imported.
  const broken = path.join(dir, 'broken.csv');
  writeFileSync(broken, 'ts,k\n2024-05-01T00:00:00Z,1\n2024-05-01T00:00:01Z,"2\n');
  r = run(['ingest', 'csv2', broken, '--http', http()]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /line 3, column 2: quoted field is not terminated/);
  assert.match(r.stdout, /accepted 1, rejected 0/);
});

test('gzip CSV in batches matches the file', async () => {
  assert.equal((await srv.sql(DDL('gz'))).status, 200);
  const rnd = mulberry32(11);
  const lines = ['name,ts,k,x'];
  const want = new Map();
  for (let i = 0; i < 3000; i++) {
    const name = `g${Math.floor(rnd() * 6)}`;
    const k = Math.floor(rnd() * 1000) - 500;
    const x = Math.floor(rnd() * 1000) / 8;
    lines.push(`${name},${new Date(Date.UTC(2024, 4, 1, 0, 0, i)).toISOString()},${k},${x}`);
    const w = want.get(name) ?? [name, 0, 0, 0, 0];
    w[1]++, (w[2] += k), (w[3] += x);
    want.set(name, w);
  }
  const file = path.join(dir, 'big.csv.gz');
  writeFileSync(file, zlib.gzipSync(lines.join('\n') + '\n'));
  const r = run(['ingest', 'gz', file, '--http', http(), '--batch', '500']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'accepted 3000, rejected 0\n');
  assert.deepEqual(await byName('gz'), [...want.values()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
});

test('zstd NDJSON written by DuckDB, keys in another case, zstd request bodies', { skip: !haveDuckdb && 'no DuckDB (npm ci in tests/oracle)' }, async () => {
  assert.equal((await srv.sql(DDL('zst'))).status, 200);
  const file = path.join(dir, 'events.ndjson.zst');
  const con = await duckdb();
  await con.run(`COPY (SELECT TIMESTAMP '2024-05-01 00:00:00' + to_seconds(i) AS "TS", i AS k, i::DOUBLE / 4 AS "X",
                        'z' || (i % 7) AS name, i % 2 = 0 AS ok FROM range(2000) t(i))
                 TO '${file}' (FORMAT json, COMPRESSION zstd)`);
  assert.equal(readFileSync(file).readUInt32LE(0), 0xfd2fb528, 'zstd magic');
  const r = run(['ingest', 'zst', file, '--http', http(), '--batch', '300', '--compress']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'accepted 2000, rejected 0\n');
  const want = (await con.runAndReadAll(
    `SELECT name, count(*)::INT AS n, sum(k)::INT AS sk, sum("X") AS sx, count(ok)::INT AS oks
     FROM read_json('${file}') GROUP BY name ORDER BY name`)).getRows();
  assert.deepEqual(await byName('zst'), want);
});

test('Parquet written by DuckDB: other column order, INT32 and TIMESTAMP_MS, several row groups', { skip: !haveDuckdb && 'no DuckDB (npm ci in tests/oracle)' }, async () => {
  assert.equal((await srv.sql(DDL('pq') + 'CREATE MATERIALIZED VIEW pq_span AS SELECT min(ts) AS lo, max(ts) AS hi FROM pq;')).status, 200);
  const file = path.join(dir, 'events.parquet');
  const con = await duckdb();
  await con.run(`COPY (SELECT (i % 5)::INTEGER AS k, 'p' || (i % 3) AS name,
                        (TIMESTAMP '2024-05-02 00:00:00' + to_milliseconds(i * 1500))::TIMESTAMP_MS AS ts,
                        CASE WHEN i % 10 = 0 THEN NULL ELSE i * 0.5 END::DOUBLE AS x,
                        CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 = 0 END AS ok
                      FROM range(5000) t(i))
                 TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 1024)`);
  const types = (await con.runAndReadAll(`SELECT name, type, converted_type FROM parquet_schema('${file}')`)).getRowObjects();
  assert.equal(types.find((t) => t.name === 'k').type, 'INT32');
  const r = run(['ingest', 'pq', file, '--http', http()]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout, 'accepted 5000, rejected 0\n');
  const want = (await con.runAndReadAll(
    `SELECT name, count(*)::INT AS n, sum(k)::INT AS sk, sum(x) AS sx, count(ok)::INT AS oks
     FROM '${file}' GROUP BY name ORDER BY name`)).getRows();
  assert.deepEqual(await byName('pq'), want);
  const span = await srv.query('SELECT lo, hi FROM pq_span');
  assert.deepEqual(span.json.rows, [['2024-05-02T00:00:00Z', '2024-05-02T02:04:58.5Z']]);

  // lake inspect / lake cat on the same file.
  const ins = run(['lake', 'inspect', file]);
  assert.equal(ins.status, 0, ins.stderr);
  assert.match(ins.stdout, /INT32/);
  assert.match(ins.stdout, /5000/);
  const insJson = run(['lake', 'inspect', file, '--json']);
  assert.equal(insJson.status, 0, insJson.stderr);
  JSON.parse(insJson.stdout);
  const cat = run(['lake', 'cat', file, '--limit', '3']);
  assert.equal(cat.status, 0, cat.stderr);
  const rows = cat.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, 3);
  assert.deepEqual(Object.keys(rows[0]), ['k', 'name', 'ts', 'x', 'ok']);
  assert.deepEqual(rows[1], { k: 1, name: 'p1', ts: '2024-05-02T00:00:01.500000Z', x: 0.5, ok: false });
  const bad = run(['lake', 'cat', path.join(dir, 'in.csv')]);
  assert.equal(bad.status, 1);
});

test('lake ls and lake attach against the server', { skip: !haveDuckdb && 'no DuckDB (npm ci in tests/oracle)' }, async () => {
  assert.equal((await srv.sql(DDL('att'))).status, 200);
  const file = path.join(dir, 'attach.parquet');
  const con = await duckdb();
  await con.run(`COPY (SELECT TIMESTAMPTZ '2024-05-03 00:00:00+00' + to_seconds(i) AS ts, i::BIGINT AS k, i::DOUBLE AS x,
                        'a' || (i % 2) AS name, true AS ok FROM range(100) t(i))
                 TO '${file}' (FORMAT parquet)`);
  const a = run(['lake', 'attach', 'att', file, '--http', http()]);
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /^attached .*attach\.parquet to att: 100 rows, seq \d+\.\.\d+, 1 file; views att_by_name v\d+\n$/);
  assert.deepEqual((await byName('att')).map((r) => r.slice(0, 3)), [['a0', 50, 2450], ['a1', 50, 2500]]);

  const ls = run(['lake', 'ls', 'att', '--http', http()]);
  assert.equal(ls.status, 0, ls.stderr);
  assert.match(ls.stdout, /^lake: file:\/\/\/.*\/lake\n\natt \(manifest version \d+, last seq \d+\)\n partition +\| files \| rows \| bytes\n-+\+-+\+-+\+-+\n/);
  assert.match(ls.stdout, /event_date=2024-05-03\/event_hour=00/);
  assert.match(ls.stdout, /^ total\s+\|\s+\d+ \|\s+100 \|/m);
  const lsJson = JSON.parse(run(['lake', 'ls', '--json', '--http', http()]).stdout);
  const att = lsJson.streams.find((s) => s.stream === 'att');
  assert.equal(att.files.reduce((n, f) => n + f.rows, 0), 100);

  const missing = run(['lake', 'attach', 'nosuch', file, '--http', http()]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nosuch/);
  const noFile = run(['lake', 'attach', 'att', path.join(dir, 'nope.parquet'), '--http', http()]);
  assert.equal(noFile.status, 1);
  assert.match(noFile.stderr, /no such file/);
});
