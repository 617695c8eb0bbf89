// Rows into streams over the PostgreSQL protocol, as PostgreSQL's own clients send them: psql's
// \copy (text format and CSV with a header; LAMINAR_PGINGEST_ROWS rows, 1,000,000 by default),
// INSERT ... VALUES with many rows, INSERT ... SELECT, transaction blocks (rows stored at COMMIT,
// dropped at ROLLBACK), a bad row in the middle (the statement fails naming the line or row and
// the column; nothing of it is stored); psycopg2's executemany and copy_expert; pgJDBC's batch
// inserts and CopyManager; INSERT into a dimension table. Every load is checked against the same
// rows sent over HTTP to a twin stream: the views of both answer alike.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, tempDir, removeDir, ndjson } from './lib.mjs';

const ROWS = Number(process.env.LAMINAR_PGINGEST_ROWS ?? 1_000_000);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const JAR = process.env.LAMINAR_PGJDBC_JAR ?? '/usr/share/java/postgresql.jar';
const BASE = Date.UTC(2024, 4, 1);

let srv, dir, files, pgPort;

// Row i, as every client here makes it: ts, url, country (with a quote), ms, n.
const row = (i) => ({
  ts: new Date(BASE + i * 1000).toISOString(), url: `/p/${i % 7}`, country: `c'${i % 3}`, ms: i * 0.25, n: i,
});
const range = (from, to) => Array.from({ length: to - from }, (_, k) => from + k);

function psql(args, input) {
  const r = spawnSync('psql', [`host=127.0.0.1 port=${pgPort} user=u dbname=laminar sslmode=disable`, '-X',
    '-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=verbose', ...args], { encoding: 'utf8', timeout: 600000, input, maxBuffer: 1 << 26 });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}
const scalar = (sql) => {
  const r = psql(['-A', '-t', '-c', sql]);
  assert.equal(r.code, 0, r.err);
  return r.out.trim();
};

async function sql(text) {
  const r = await srv.sql(text);
  assert.equal(r.status, 200, r.text);
  return r.json.results;
}

// The stream `name` and its view `name_by_url`, and the twin `name_http` fed over HTTP.
async function streams(name) {
  for (const s of [name, `${name}_http`]) {
    await sql(`CREATE TABLE ${s} (ts timestamptz NOT NULL, url text, country text, ms double precision, n bigint);
      CREATE MATERIALIZED VIEW ${s}_by_url AS SELECT url, country, count(*) AS c, sum(ms) AS ms, sum(n) AS n,
        min(ts) AS first FROM ${s} GROUP BY 1, 2`);
  }
}

// Sends rows `ids` over HTTP to the twin, then checks that both views and counts agree.
async function sameAsHttp(name, ids) {
  for (let k = 0; k < ids.length; k += 100000) {
    const r = await srv.ingest(`${name}_http`, ndjson(ids.slice(k, k + 100000).map(row)));
    assert.equal(r.status, 200, r.text);
  }
  const q = async (s) => (await sql(`SELECT * FROM ${s}_by_url ORDER BY 1, 2`))[0].rows;
  const [a, b] = [await q(name), await q(`${name}_http`)];
  assert.ok(a.length > 0);
  assert.deepEqual(a, b, `${name}: the view over PostgreSQL-loaded rows equals the one over HTTP-sent rows`);
  const count = async (s) => (await sql(`SELECT count(*), sum(n) FROM ${s}`))[0].rows[0];
  assert.deepEqual(await count(name), await count(`${name}_http`));
  assert.equal(Number((await count(name))[0]), ids.length);
}

before(async () => {
  dir = tempDir('laminar-pgingest-');
  files = tempDir('laminar-pgingest-files-');
  srv = await startServer({ dataDir: dir, args: ['--pg', '127.0.0.1:0'] });
  pgPort = srv.pgPort;
});
after(async () => {
  await srv?.stop();
  if (dir) removeDir(dir);
  if (files) removeDir(files);
});

test(`psql \\copy of ${ROWS.toLocaleString('en-US')} rows in the text format and in CSV; a bad row in the middle stores nothing`, async () => {
  await streams('big');
  const half = Math.floor(ROWS / 2);
  const text = path.join(files, 'big.txt');
  writeFileSync(text, range(0, half).map((i) => {
    const r = row(i);
    return `${r.ts}\t${r.url}\t${r.country}\t${r.ms}\t${r.n}\n`;
  }).join(''));
  let r = psql(['-c', `\\copy big FROM '${text}'`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), `COPY ${half}`);
  const csv = path.join(files, 'big.csv');
  writeFileSync(csv, 'n,ms,country,url,ts\n' + range(half, ROWS).map((i) => {
    const x = row(i);
    return `${x.n},${x.ms},"${x.country}",${x.url},${x.ts}\n`;
  }).join(''));
  r = psql(['-c', `\\copy big FROM '${csv}' WITH (FORMAT csv, HEADER true)`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), `COPY ${ROWS - half}`);

  // A bad value on line 3 of 5, then a missing column: the error names the line and the column,
  // and nothing of either statement is stored.
  const bad = path.join(files, 'bad.txt');
  writeFileSync(bad, [0, 1, 2, 3, 4].map((k) => `2024-06-01T00:00:0${k}Z\t/x\tc\t${k === 2 ? 'lots' : k}\t${k}\n`).join(''));
  r = psql(['-c', `\\copy big FROM '${bad}'`]);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /22P02: COPY big: line 3, column "ms": invalid number "lots"/);
  r = psql(['-c', '\\copy big (ts, url) FROM STDIN'], '2024-06-01T00:00:00Z\n');
  assert.notEqual(r.code, 0);
  assert.match(r.err, /22P04: COPY big: line 1: missing data for column "url"/);
  await sameAsHttp('big', range(0, ROWS));
});

test('INSERT ... VALUES of many rows, INSERT ... SELECT, blocks stored at COMMIT and dropped at ROLLBACK', async () => {
  await streams('ins');
  const values = range(0, 300).map((i) => {
    const r = row(i);
    return `('${r.ts}', '${r.url}', '${r.country.replace("'", "''")}', ${r.ms}, ${r.n})`;
  });
  let r = psql(['-c', `INSERT INTO ins VALUES ${values.join(', ')}`]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), 'INSERT 0 300');
  // A column list in another order; the rest NULL.
  r = psql(['-c', "INSERT INTO ins (n, ts) VALUES (1, '2024-05-02 00:00:00+00')"]);
  assert.equal(r.code, 0, r.err);
  r = psql(['-c', 'INSERT INTO ins_http SELECT * FROM ins WHERE url IS NULL']);
  assert.equal(r.out.trim(), 'INSERT 0 1', r.err);
  // In a block: nothing is visible before COMMIT, ROLLBACK drops it, an error fails the block.
  r = psql(['-A', '-t'], [
    'BEGIN;',
    `INSERT INTO ins VALUES ${values.slice(0, 5).join(', ')};`,
    'ROLLBACK;',
    'BEGIN;',
    `INSERT INTO ins SELECT ts + interval '1 day', url, country, ms, n FROM ins WHERE n < 100 AND url IS NOT NULL;`,
    'SELECT count(*) FROM ins;',
    'COMMIT;',
    'SELECT count(*) FROM ins;',
  ].join('\n'));
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out.trim().split('\n'), ['BEGIN', 'INSERT 0 5', 'ROLLBACK', 'BEGIN', 'INSERT 0 100', '301', 'COMMIT', '401']);
  r = psql(['-A', '-t'], ['BEGIN;', `INSERT INTO ins VALUES ${values.slice(0, 5).join(', ')};`,
    "INSERT INTO ins VALUES (now(), 'a', 'b', 'x', 1);", 'COMMIT;', 'SELECT count(*) FROM ins;'].join('\n'));
  assert.match(r.err, /22P02: row 1, column "ms": invalid input syntax for type double precision: "x"/);
  // Errors name what is wrong.
  for (const [stmt, re] of [
    ["INSERT INTO ins VALUES ('2024-05-01', 'a', 'b', 1, 'lots')", /22P02: row 1, column "n": invalid input syntax for type bigint: "lots"/],
    ["INSERT INTO ins (url) VALUES ('a')", /23502: row 1: null value in column "ts" of relation "ins" violates not-null constraint/],
    ["INSERT INTO ins (ts, nope) VALUES (now(), 1)", /42703: column "nope" of relation "ins" does not exist/],
    ['INSERT INTO ins (ts) VALUES (now(), 1)', /42601: INSERT has more expressions than target columns/],
    ['INSERT INTO ins (ts, n) VALUES (now(), now())', /42804: column "n" is of type bigint but expression is of type timestamp with time zone/],
    ['INSERT INTO ins_by_url VALUES (1)', /42809: cannot INSERT into materialized view "ins_by_url"/],
    ['INSERT INTO nosuch VALUES (1)', /42P01: relation "nosuch" does not exist/],
    ["INSERT INTO ins (ts) VALUES (now()) RETURNING ts", /0A000: INSERT \.\.\. RETURNING is not supported/],
  ]) {
    r = psql(['-c', stmt]);
    assert.notEqual(r.code, 0, stmt);
    assert.match(r.err, re, stmt);
  }
  assert.equal(scalar('SELECT count(*) FROM ins'), '401');
  const ids = [...range(0, 300), ...range(0, 100)];
  // The twin gets the same rows: the 300, and the 100 a day later.
  const shifted = range(0, 100).map((i) => ({ ...row(i), ts: new Date(BASE + i * 1000 + 86400000).toISOString() }));
  const r2 = await srv.ingest('ins_http', ndjson([...range(0, 300).map(row), ...shifted]));
  assert.equal(r2.status, 200, r2.text);
  const q = async (s) => (await sql(`SELECT * FROM ${s}_by_url ORDER BY 1, 2`))[0].rows;
  assert.deepEqual(await q('ins'), await q('ins_http'));
  assert.equal(ids.length + 1, Number((await sql('SELECT count(*) FROM ins_http'))[0].rows[0][0]));
});

test('psycopg2: executemany and copy_expert in its transaction blocks; a bad row rolls the block back', async () => {
  await streams('py');
  const py = (step) => {
    const r = spawnSync('/usr/bin/python3', [path.join(HERE, '..', 'pg', 'ingest_client.py'), String(pgPort), step, 'py'],
      { encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, `${step}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  assert.deepEqual(py('executemany'), { status: 'INSERT 0 1', in_block: 2, count: 500 });
  assert.deepEqual(py('copy'), { text: 300, csv: 200, count: 1000 });
  const bad = py('bad');
  assert.equal(bad.added, 0, 'the rows before the bad one were rolled back with it');
  assert.equal(bad.error[0], '22007');
  assert.match(bad.error[1], /row 1, column "ts": invalid input syntax for type timestamp with time zone: "not a time"/);
  await sameAsHttp('py', [...range(0, 500), ...range(1000, 1300), ...range(2000, 2200)]);
});

test('pgJDBC: batch inserts with parameters and CopyManager', async () => {
  await streams('jd');
  const r = spawnSync('java', ['-cp', JAR, path.join(HERE, '..', 'pg', 'JdbcIngest.java'),
    `jdbc:postgresql://127.0.0.1:${pgPort}/laminar?user=u&sslmode=disable`, 'jd'], { encoding: 'utf8', timeout: 180000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['batch: 400', 'copy: 250', 'count: 650']);
  await sameAsHttp('jd', [...range(4000, 4400), ...range(5000, 5250)]);
});

test('a dimension table: INSERT appends rows, COPY FROM STDIN in the text format replaces them', async () => {
  await sql("CREATE TABLE regions (code text NOT NULL, name text) WITH (kind = 'dimension')");
  let r = psql(['-c', "INSERT INTO regions VALUES ('c''0', 'zero'), ('c''1', 'one')", '-c', "INSERT INTO regions (code) VALUES ('c''2')"]);
  assert.equal(r.code, 0, r.err);
  assert.equal(scalar("SELECT string_agg(code || '=' || coalesce(name, '?'), ',' ORDER BY code) FROM regions"), "c'0=zero,c'1=one,c'2=?");
  r = psql(['-c', '\\copy regions FROM STDIN'], "c'9\tnine\n");
  assert.equal(r.code, 0, r.err);
  assert.equal(scalar('SELECT count(*) FROM regions'), '1');
});
