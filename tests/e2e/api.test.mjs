// The HTTP API end to end: DDL, ingest with good and bad records, queries with every supported
// clause, restart. Each test talks to a real `laminar serve` on a free port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, removeDir, ndjson } from './lib.mjs';

const DDL = `
CREATE TABLE pageviews (ts timestamptz NOT NULL, user_id text, url text NOT NULL, country text,
                        latency_ms double precision, status bigint, bot boolean);
CREATE MATERIALIZED VIEW pv_hourly AS
  SELECT date_trunc('hour', ts) AS hour, country, url, count(*) AS views, count(latency_ms) AS timed,
         sum(latency_ms) AS total_latency, avg(latency_ms) AS avg_latency, min(latency_ms) AS min_latency,
         max(status) AS max_status
  FROM pageviews WHERE bot IS NULL OR bot = false GROUP BY 1, 2, 3;
CREATE MATERIALIZED VIEW errors_by_minute AS
  SELECT date_trunc('minute', ts) AS minute, status, count(*) AS n FROM pageviews WHERE status >= 400 GROUP BY 1, 2;
`;

const EVENTS = [
  { ts: '2024-01-08T10:15:00Z', user_id: 'u1', url: '/a', country: 'US', latency_ms: 10, status: 200 },
  { ts: '2024-01-08T10:45:00Z', user_id: 'u2', url: '/a', country: 'US', latency_ms: 20.5, status: 200 },
  { ts: '2024-01-08T11:05:00Z', user_id: 'u1', url: '/b', country: 'DE', latency_ms: 30, status: 404 },
  { ts: 1704712800, user_id: 'u3', url: '/a', country: 'DE', latency_ms: null, status: 500 }, // 2024-01-08T11:20:00Z
  { ts: 1704801600000, user_id: 'u4', url: '/c', country: 'FR', latency_ms: 5, status: 200 }, // 2024-01-09T12:00:00Z
  { ts: '2024-01-08 10:50:00+01:00', user_id: 'u5', url: '/a', country: 'US', latency_ms: 1, status: 301 }, // 09:50Z
  { ts: '2024-01-08T10:16:00Z', url: '/a', country: 'US', latency_ms: 999, status: 200, bot: true }, // filtered
];

let srv;
let dir;

before(async () => {
  dir = tempDir();
  srv = await startServer({ dataDir: dir });
  const r = await srv.sql(DDL);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.results.map((x) => x.tag), ['CREATE TABLE', 'CREATE MATERIALIZED VIEW', 'CREATE MATERIALIZED VIEW']);
  const ing = await srv.ingest('pageviews', ndjson(EVENTS));
  assert.equal(ing.status, 200, ing.text);
  assert.equal(ing.json.accepted, EVENTS.length);
  assert.equal(ing.json.rejected, 0);
});

after(async () => {
  await srv?.stop();
  removeDir(dir);
});

const rows = async (sql) => {
  const r = await srv.query(sql);
  assert.equal(r.status, 200, `${sql}\n${r.text}`);
  return r.json.rows;
};
const queryError = async (sql) => {
  const r = await srv.query(sql);
  assert.equal(r.status, 400, `${sql} should fail, got ${r.text}`);
  return r.json.error;
};

test('streams and views are described', async () => {
  const s = await srv.get('/v1/streams');
  assert.equal(s.status, 200);
  const pv = s.json.streams.find((x) => x.name === 'pageviews');
  assert.equal(pv.event_time, 'ts');
  assert.deepEqual(pv.columns.map((c) => c.name), ['ts', 'user_id', 'url', 'country', 'latency_ms', 'status', 'bot']);
  assert.equal(pv.columns[0].type, 'timestamp with time zone');
  const v = await srv.get('/v1/views');
  const hourly = v.json.views.find((x) => x.name === 'pv_hourly');
  assert.equal(hourly.stream, 'pageviews');
  assert.deepEqual(hourly.dimensions.map((d) => d.name), ['hour', 'country', 'url']);
  assert.deepEqual(hourly.measures.map((m) => m.aggregate), ['count', 'count', 'sum', 'avg', 'min', 'max']);
});

test('SELECT * returns the view rows as stored', async () => {
  const r = await srv.query('SELECT * FROM pv_hourly ORDER BY hour, country, url');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.columns.map((c) => c.name),
    ['hour', 'country', 'url', 'views', 'timed', 'total_latency', 'avg_latency', 'min_latency', 'max_status']);
  assert.deepEqual(r.json.columns.map((c) => c.type),
    ['timestamptz', 'text', 'text', 'bigint', 'bigint', 'double', 'double', 'double', 'bigint']);
  assert.deepEqual(r.json.rows, [
    ['2024-01-08T09:00:00Z', 'US', '/a', 1, 1, 1, 1, 1, 301],
    ['2024-01-08T10:00:00Z', 'US', '/a', 2, 2, 30.5, 15.25, 10, 200],
    ['2024-01-08T11:00:00Z', 'DE', '/a', 1, 0, null, null, null, 500],
    ['2024-01-08T11:00:00Z', 'DE', '/b', 1, 1, 30, 30, 30, 404],
    ['2024-01-09T12:00:00Z', 'FR', '/c', 1, 1, 5, 5, 5, 200],
  ]);
  assert.equal(r.json.stats.relation, 'pv_hourly');
  assert.equal(r.json.stats.rows_from_speed, 5);
});

test('GROUP BY a subset re-merges measures: an avg stays a true average', async () => {
  assert.deepEqual(await rows('SELECT url, views, avg_latency, min_latency FROM pv_hourly GROUP BY url ORDER BY url'), [
    ['/a', 4, 31.5 / 3, 1],
    ['/b', 1, 30, 30],
    ['/c', 1, 5, 5],
  ]);
  assert.deepEqual(await rows('SELECT country, sum(views) AS v, avg(avg_latency) AS lat FROM pv_hourly GROUP BY 1 ORDER BY v DESC, country'), [
    ['US', 3, 31.5 / 3],
    ['DE', 2, 30],
    ['FR', 1, 5],
  ]);
});

test('a coarser date_trunc groups the time bucket', async () => {
  assert.deepEqual(
    await rows("SELECT date_trunc('day', hour) AS day, sum(views) FROM pv_hourly GROUP BY 1 ORDER BY 1"),
    [['2024-01-08T00:00:00Z', 5], ['2024-01-09T00:00:00Z', 1]]);
});

test('aggregates without GROUP BY give one row, also over nothing', async () => {
  assert.deepEqual(await rows('SELECT sum(views), count(*), max(max_status), min(hour) FROM pv_hourly'),
    [[6, 5, 500, '2024-01-08T09:00:00Z']]);
  assert.deepEqual(await rows("SELECT sum(views), avg(avg_latency) FROM pv_hourly WHERE country = 'XX'"), [[null, null]]);
});

test('WHERE: comparisons, IN, BETWEEN, AND/OR/NOT, string literals cast to timestamps', async () => {
  const q = (w) => rows(`SELECT sum(views) FROM pv_hourly WHERE ${w}`).then((r) => r[0][0]);
  assert.equal(await q("country = 'US'"), 3);
  assert.equal(await q("country <> 'US'"), 3);
  assert.equal(await q("country IN ('DE', 'FR')"), 3);
  assert.equal(await q("country NOT IN ('DE', 'FR')"), 3);
  assert.equal(await q("hour >= '2001-01-08'"), 6);
  assert.equal(await q("hour < '2024-01-08T11:00:00Z'"), 3);
  assert.equal(await q("hour <= '2024-01-08 10:00:00'"), 3);
  assert.equal(await q("hour > '2024-01-08T10:00:00Z'"), 3);
  assert.equal(await q("hour BETWEEN '2024-01-08T10:00:00Z' AND '2024-01-08T11:00:00Z'"), 4);
  assert.equal(await q("country = 'US' AND url = '/a'"), 3);
  assert.equal(await q("country = 'FR' OR url = '/b'"), 2);
  assert.equal(await q("NOT (country = 'US')"), 3);
  assert.equal(await q("hour >= '2024-01-09'::timestamptz"), 1);
});

test('ORDER BY names and positions, ASC and DESC, LIMIT and OFFSET', async () => {
  assert.deepEqual(await rows('SELECT url, views FROM pv_hourly GROUP BY url ORDER BY 2 DESC, 1 LIMIT 2'), [['/a', 4], ['/b', 1]]);
  assert.deepEqual(await rows('SELECT url, views FROM pv_hourly GROUP BY url ORDER BY views DESC, url DESC LIMIT 2 OFFSET 1'), [['/c', 1], ['/b', 1]]);
  assert.deepEqual(await rows('SELECT url FROM pv_hourly GROUP BY url ORDER BY url ASC OFFSET 2'), [['/c']]);
});

test('CSV output when the client asks for it', async () => {
  const r = await srv.query("SELECT url, views FROM pv_hourly GROUP BY url ORDER BY url", { accept: 'text/csv' });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  assert.equal(r.text, 'url,views\r\n/a,4\r\n/b,1\r\n/c,1\r\n');
});

test('a query body is a JSON object whatever the content type (curl -d), or plain SQL text', async () => {
  const { postRaw } = await import('./lib.mjs');
  const form = await postRaw(`${srv.url}/v1/query`, JSON.stringify({ sql: 'SELECT sum(views) FROM pv_hourly' }),
    { 'content-type': 'application/x-www-form-urlencoded' });
  assert.equal(form.status, 200, form.text);
  assert.deepEqual(form.json.rows, [[6]]);
  const text = await postRaw(`${srv.url}/v1/query`, 'SELECT sum(views) FROM pv_hourly', { 'content-type': 'text/plain' });
  assert.deepEqual(text.json.rows, [[6]]);
});

test('query errors are 400 and name the problem', async () => {
  assert.match(await queryError('SELECT nope FROM pv_hourly'), /column "nope" does not exist/);
  assert.match(await queryError('SELECT * FROM nowhere'), /relation "nowhere" does not exist/);
  assert.match(await queryError('SELEC * FROM pv_hourly'), /syntax error/);
  assert.match(await queryError('SELECT sum(avg_latency) FROM pv_hourly'), /avg_latency/);
  assert.match(await queryError('SELECT stddev(url) FROM pv_hourly'), /function stddev\(text\) does not exist/);
  assert.match(await queryError("SELECT url, country, views FROM pv_hourly GROUP BY url"), /GROUP BY/);
  assert.match(await queryError('WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r'), /WITH RECURSIVE is not supported/);
  assert.match(await queryError('SELECT h.url, p.views FROM pv_hourly h'), /missing FROM-clause entry for table "p"/);
  assert.match(await queryError('SELECT url FROM pv_hourly h WHERE pv_hourly.url = 1'), /missing FROM-clause entry for table "pv_hourly"/);
  assert.match(await queryError("SELECT * FROM pv_hourly WHERE hour > 'yesterday'"), /yesterday/);
  const noFrom = await srv.query('SELECT 1 AS one', {});
  assert.equal(noFrom.status, 200, noFrom.text);
  assert.deepEqual(noFrom.json.rows, [[1]]);
  const notJson = await srv.get('/v1/query');
  assert.equal(notJson.status, 405);
});

test('EXPLAIN ANALYZE of a view query names the batch version, horizon and speed generations it read', async () => {
  const r = await srv.query('EXPLAIN ANALYZE SELECT url, sum(views) FROM pv_hourly GROUP BY url');
  assert.equal(r.status, 200, r.text);
  const plan = r.json.rows.map((row) => row[0]).join('\n');
  assert.match(plan, /aggregates: sum\(views\) merged/);
  assert.match(plan, /Scan view pv_hourly \[url, #row\]/);
  assert.match(plan, /batch version \d+, horizon \d+, speed generations \d+/);
});

test('an error answer carries its SQLSTATE beside the code, also as the last line of a stream', async () => {
  for (const [sql, status, code, sqlstate] of [
    ['SELECT nope FROM pv_hourly', 400, 'InvalidArgument', '42703'],
    ['SELECT * FROM nowhere', 400, 'NotFound', '42P01'],
    ['SELEC * FROM pv_hourly', 400, 'InvalidArgument', '42601'],
    ['SELECT url, country, views FROM pv_hourly GROUP BY url', 400, 'InvalidArgument', '42803'],
    ['SELECT h.url, p.views FROM pv_hourly h', 400, 'InvalidArgument', '42P01'],
    ['WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r', 400, 'Unimplemented', '0A000'],
  ]) {
    const r = await srv.query(sql);
    assert.deepEqual([r.status, r.json.code, r.json.sqlstate], [status, code, sqlstate], `${sql}: ${r.text}`);
  }
  const { postJson } = await import('./lib.mjs');
  const s = await postJson(`${srv.url}/v1/query`, { sql: 'SELECT nope FROM pv_hourly', stream: true });
  assert.equal(s.status, 200, s.text);
  const last = JSON.parse(s.text.trim().split('\n').at(-1));
  assert.deepEqual([last.code, last.sqlstate], ['InvalidArgument', '42703'], s.text);
  assert.match(last.error, /column "nope" does not exist/);
});

test('the other view sees only what its WHERE admits', async () => {
  assert.deepEqual(await rows('SELECT status, sum(n) FROM errors_by_minute GROUP BY status ORDER BY status'), [[404, 1], [500, 1]]);
});

test('bad records are rejected one by one, named, and dead-lettered', async () => {
  const body = [
    JSON.stringify({ ts: '2024-02-01T00:00:00Z', url: '/ok', status: 200 }),   // 0 ok
    JSON.stringify({ ts: '2024-02-01T00:00:00Z', url: '/x', status: 'abc' }),  // 1 wrong type
    JSON.stringify({ url: '/x' }),                                            // 2 missing NOT NULL ts
    JSON.stringify({ ts: 'yesterday', url: '/x' }),                           // 3 bad timestamp
    '{"ts": "2024-02-01T00:00:00Z", "url": ',                                 // 4 malformed JSON
    JSON.stringify({ ts: '2024-02-01T00:00:00Z', url: '/x', nope: 1 }),       // 5 unknown field
    JSON.stringify({ ts: '2024-02-01T00:00:00Z', url: { deep: [1] } }),       // 6 nested value
    JSON.stringify({ ts: '2024-02-01T00:00:00Z', url: '/x', status: 1.5 }),   // 7 fraction for bigint
    JSON.stringify({ ts: '2024-02-01T00:00:00Z', url: '/ok2', country: null }), // 8 ok
  ].join('\n');
  const r = await srv.ingest('pageviews', body);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 2);
  assert.equal(r.json.rejected, 7);
  assert.deepEqual(r.json.errors.map((e) => e.index), [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(r.json.errors[0].field, 'status');
  assert.equal(r.json.errors[1].field, 'ts');
  assert.match(r.json.errors[2].reason, /yesterday/);
  assert.equal(r.json.errors[4].field, 'nope');
  assert.equal(r.json.last_seq - r.json.first_seq, 1);
  const dl = path.join(dir, 'deadletter', 'pageviews');
  const files = readdirSync(dl);
  const lines = files.flatMap((f) => readFileSync(path.join(dl, f), 'utf8').trim().split('\n')).map((l) => JSON.parse(l));
  assert.ok(lines.length >= 7);
  assert.ok(lines.some((l) => /yesterday/.test(l.reason) && l.raw.includes('yesterday')));
});

test('request-level errors: unknown stream, empty body, wrong content type, invalid UTF-8, huge strings, deep nesting', async () => {
  assert.equal((await srv.ingest('nope', ndjson([{ a: 1 }]))).status, 404);
  assert.equal((await srv.ingest('pageviews', '')).status, 400);
  // text/csv is a type any web page may POST: refused before parsing (415), and a format the
  // stream endpoint does not take even from a program that says it is one (400).
  assert.equal((await srv.ingest('pageviews', 'a,b\n1,2', { 'content-type': 'text/csv' })).status, 415);
  assert.equal((await srv.ingest('pageviews', 'a,b\n1,2', { 'content-type': 'text/csv', 'x-laminar-client': '1' })).status, 400);
  const invalidUtf8 = Buffer.concat([Buffer.from('{"ts": "2024-02-01T00:00:00Z", "url": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
  const u = await srv.ingest('pageviews', invalidUtf8);
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.rejected, 1);
  assert.match(u.json.errors[0].reason, /UTF-8/i);
  const huge = await srv.ingest('pageviews', ndjson([{ ts: '2024-02-01T00:00:00Z', url: 'x'.repeat(200000) }]));
  assert.equal(huge.json.rejected, 1);
  const deep = '{"ts": "2024-02-01T00:00:00Z", "url": ' + '['.repeat(100) + ']'.repeat(100) + '}\n';
  const d = await srv.ingest('pageviews', deep);
  assert.equal(d.json.rejected, 1);
});

test('a JSON array body and a gzip body are accepted', async () => {
  const before = (await rows("SELECT count(*) FROM errors_by_minute"))[0][0];
  const arr = await srv.ingest('pageviews', JSON.stringify([
    { ts: '2024-03-01T00:00:00Z', url: '/arr', status: 503 },
    { ts: '2024-03-01T00:00:30Z', url: '/arr', status: 503 },
  ]), { 'content-type': 'application/json' });
  assert.equal(arr.json.accepted, 2, arr.text);
  const gz = await srv.ingest('pageviews', gzipSync(ndjson([{ ts: '2024-03-01T00:01:00Z', url: '/gz', status: 502 }])),
    { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
  assert.equal(gz.json.accepted, 1, gz.text);
  assert.equal((await rows("SELECT count(*) FROM errors_by_minute"))[0][0], before + 2);
});

test('unsupported SQL gets a clear error that names the construct', async () => {
  const e1 = await srv.sql('CREATE MATERIALIZED VIEW bad AS SELECT url, stddev(latency_ms) FROM pageviews GROUP BY url');
  assert.equal(e1.status, 400);
  assert.match(e1.json.error, /stddev/);
  const e2 = await srv.sql("UPDATE pageviews SET url = 'x'");
  assert.equal(e2.status, 400);
  assert.match(e2.json.error, /unsupported statement: UPDATE/);
  const e3 = await srv.sql('CREATE TABLE t (a integer[])');
  assert.equal(e3.status, 400);
});

test('a body over the limit is refused with 413', async () => {
  const dir2 = tempDir();
  const { writeFileSync } = await import('node:fs');
  const cfg = path.join(dir2, 'laminar.toml');
  writeFileSync(cfg, '[ingest]\nmax_body_bytes = 1000\n');
  const s2 = await startServer({ dataDir: dir2, args: ['--config', cfg] });
  try {
    await s2.sql('CREATE TABLE t (ts timestamptz NOT NULL, s text)');
    const r = await s2.ingest('t', ndjson([{ ts: '2024-01-01T00:00:00Z', s: 'x'.repeat(5000) }]));
    assert.equal(r.status, 413);
  } finally {
    await s2.stop();
    removeDir(dir2);
  }
});

test('restart keeps the catalog and every acked event; DROP works', async () => {
  const before = await rows('SELECT * FROM pv_hourly ORDER BY hour, country, url');
  const exit = await srv.stop();
  assert.equal(exit.code, 0, srv.output());
  srv = await startServer({ dataDir: dir });
  assert.deepEqual(await rows('SELECT * FROM pv_hourly ORDER BY hour, country, url'), before);
  const d = await srv.sql('DROP MATERIALIZED VIEW errors_by_minute');
  assert.equal(d.status, 200, d.text);
  assert.match(await queryError('SELECT * FROM errors_by_minute'), /does not exist/);
  const blocked = await srv.sql('DROP TABLE pageviews');
  assert.equal(blocked.status, 400);
  assert.match(blocked.json.error, /pv_hourly/);
});
