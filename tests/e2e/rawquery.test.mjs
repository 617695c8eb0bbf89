// Queries over raw streams as a user sees them over HTTP (POST /v1/query): partition pruning and
// row-group skipping reported in stats with the right answer, the lake + log tail merge (events
// visible at once, counted exactly once before and after a batch run and across restarts), LIMIT
// stopping the scan early, errors naming the problem, the result-row and time limits (and the
// server answering afterwards), a join of a stream with a dimension table loaded by COPY, and
// edge cases: NaN values in a row group whose statistics leave them out, sum(bigint) beyond the
// bigint range, and the per-query memory cap ([query] max_memory_mb).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, removeDir, ndjson, postJson, postRaw, mulberry32, duckdb } from './lib.mjs';

const BASE = Date.UTC(2024, 2, 10, 0, 0, 0);
const H = 3600e3;

async function ok(resPromise, what) {
  const r = await resPromise;
  assert.equal(r.status, 200, `${what}: HTTP ${r.status} ${r.text}`);
  return r.json;
}

async function ingestAll(srv, stream, events, per = 1000) {
  for (let i = 0; i < events.length; i += per) {
    const chunk = events.slice(i, i + per);
    const r = await srv.ingest(stream, ndjson(chunk));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.accepted, chunk.length, r.text);
  }
}

const batchRun = (srv) => ok(postJson(`${srv.url}/v1/batch/run`, {}), 'batch run');

async function withServer(config, fn) {
  const dir = tempDir('laminar-rawquery-');
  const cfg = path.join(dir, 'laminar.toml');
  writeFileSync(cfg, config);
  const dataDir = path.join(dir, 'data');
  let srv = await startServer({ dataDir, args: ['--config', cfg] });
  const restart = async (how = 'stop') => {
    await (how === 'kill' ? srv.kill() : srv.stop());
    srv = await startServer({ dataDir, args: ['--config', cfg] });
    return srv;
  };
  try {
    await fn(srv, { dir, restart, current: () => srv });
  } finally {
    await srv.stop();
    removeDir(dir);
  }
}

// Small row groups, so that a few thousand events make several per lake file.
const LAKE_CONFIG = '[batch]\ninterval = 0\n[lake]\nrow_group_bytes = 4096\npage_bytes = 1024\n';

test('partition pruning: a narrow event-time range skips lake files and answers right', async () => {
  await withServer(LAKE_CONFIG, async (srv) => {
    await ok(srv.sql('CREATE TABLE hits (ts timestamptz NOT NULL, seq bigint, page text, v double precision)'), 'DDL');
    const rand = mulberry32(7);
    // 48 hours of events, arriving out of order; three parts: two batch runs, then a log tail.
    const events = Array.from({ length: 2400 }, (_, i) => ({
      ts: new Date(BASE + Math.floor(rand() * 48 * H)).toISOString(),
      seq: i,
      page: `/p${i % 7}`,
      v: (i % 13) / 4,
    }));
    await ingestAll(srv, 'hits', events.slice(0, 1000));
    await batchRun(srv);
    await ingestAll(srv, 'hits', events.slice(1000, 2000));
    await batchRun(srv);
    await ingestAll(srv, 'hits', events.slice(2000));

    const lo = BASE + 5 * H, hi = BASE + 7 * H;
    const want = events.filter((e) => Date.parse(e.ts) >= lo && Date.parse(e.ts) < hi);
    const r = await ok(srv.query(`SELECT count(*), sum(v), min(ts), max(seq) FROM hits
      WHERE ts >= '2024-03-10 05:00:00+00' AND ts < '2024-03-10 07:00:00+00'`), 'pruned query');
    assert.equal(r.rows[0][0], want.length);
    assert.equal(r.rows[0][1], want.reduce((s, e) => s + e.v, 0)); // quarters: exact
    assert.equal(r.rows[0][2], new Date(Math.min(...want.map((e) => Date.parse(e.ts)))).toISOString());
    assert.equal(r.rows[0][3], Math.max(...want.map((e) => e.seq)));
    const s = r.stats;
    assert.equal(s.raw, true);
    // One file per event hour per batch run: 2 × 48 files, of which 2 × 2 hours are read.
    assert.ok(s.lake_files >= 90, JSON.stringify(s));
    assert.ok(s.lake_files_skipped > 0 && s.lake_files_skipped >= s.lake_files - 4, `pruning: ${JSON.stringify(s)}`);
    assert.ok(s.lake_rows < 2000 / 4, `only the hours asked for are read: ${JSON.stringify(s)}`);
    assert.equal(s.log_rows, 400, 'the log tail is read whole');

    // BETWEEN and a reversed comparison prune too; a range on a derived value does not, and
    // still answers right.
    const b = await ok(srv.query(`SELECT count(*) FROM hits WHERE ts BETWEEN '2024-03-11 00:00:00+00' AND '2024-03-11 00:59:59.999+00'`), 'between');
    assert.equal(b.rows[0][0], events.filter((e) => e.ts.startsWith('2024-03-11T00:')).length);
    assert.ok(b.stats.lake_files_skipped > 0, JSON.stringify(b.stats));
    const rev = await ok(srv.query(`SELECT count(*) FROM hits WHERE '2024-03-11 12:00:00+00' <= ts`), 'reversed');
    assert.equal(rev.rows[0][0], events.filter((e) => Date.parse(e.ts) >= BASE + 36 * H).length);
    assert.ok(rev.stats.lake_files_skipped > 0, JSON.stringify(rev.stats));
    const d = await ok(srv.query(`SELECT count(*) FROM hits WHERE date_trunc('hour', ts) = '2024-03-10 05:00:00+00'`), 'derived');
    assert.equal(d.rows[0][0], events.filter((e) => e.ts.startsWith('2024-03-10T05:')).length);
    // An empty range reads no lake file.
    const none = await ok(srv.query(`SELECT count(*) FROM hits WHERE ts < '2024-03-01'`), 'empty range');
    assert.equal(none.rows[0][0], 0);
    assert.equal(none.stats.lake_files_skipped, none.stats.lake_files, JSON.stringify(none.stats));
  });
});

test('row-group skipping by min/max statistics; LIMIT stops the scan early', async () => {
  await withServer(LAKE_CONFIG, async (srv) => {
    await ok(srv.sql('CREATE TABLE seqs (ts timestamptz NOT NULL, seq bigint, x double precision, pad text)'), 'DDL');
    // seq grows with arrival; every event is in one hour (one lake file per batch run); three batch
    // runs make three files of several row groups each.
    const rand = mulberry32(11);
    const N = 6000;
    const events = Array.from({ length: N }, (_, i) => ({
      ts: new Date(BASE + Math.floor(rand() * 3000e3)).toISOString(),
      seq: i,
      x: i / 2,
      pad: `pad-${Math.floor(rand() * 1e9).toString(36)}-${i}`,
    }));
    for (let part = 0; part < 3; part++) {
      await ingestAll(srv, 'seqs', events.slice(part * 2000, (part + 1) * 2000));
      await batchRun(srv);
    }
    const all = await ok(srv.query('SELECT count(*) FROM seqs'), 'count');
    assert.equal(all.rows[0][0], N);
    assert.equal(all.stats.lake_rows, N);
    assert.equal(all.stats.lake_files, 3);
    assert.ok(all.stats.row_groups >= 6, `several row groups per file: ${JSON.stringify(all.stats)}`);
    assert.equal(all.stats.row_groups_skipped, 0);
    const groups = all.stats.row_groups;

    const cases = [
      ['seq BETWEEN 2500 AND 2600', (e) => e.seq >= 2500 && e.seq <= 2600],
      ['seq = 10', (e) => e.seq === 10],
      ['seq > 5990', (e) => e.seq > 5990],
      ['seq IN (4330, 4321)', (e) => e.seq === 4330 || e.seq === 4321],
      ['x >= 100 AND x < 101.5', (e) => e.x >= 100 && e.x < 101.5],
      ['5990 <= seq', (e) => e.seq >= 5990],
    ];
    for (const [where, pred] of cases) {
      const want = events.filter(pred);
      const r = await ok(srv.query(`SELECT count(*), min(seq), max(seq), sum(x) FROM seqs WHERE ${where}`), where);
      assert.deepEqual(r.rows[0], [want.length, Math.min(...want.map((e) => e.seq)), Math.max(...want.map((e) => e.seq)),
        want.reduce((s, e) => s + e.x, 0)], where);
      assert.equal(r.stats.row_groups, groups, where);
      assert.ok(r.stats.row_groups_skipped > 0, `${where}: ${JSON.stringify(r.stats)}`);
      assert.ok(r.stats.lake_rows < N / 2, `${where}: ${JSON.stringify(r.stats)}`);
    }
    // No bound can be derived from OR or NOT: nothing skipped, same right answer.
    const or = await ok(srv.query('SELECT count(*) FROM seqs WHERE seq < 100 OR seq >= 5900'), 'or');
    assert.equal(or.rows[0][0], 200);
    assert.equal(or.stats.row_groups_skipped, 0);

    // LIMIT without ORDER BY stops once it has its rows: far fewer rows are read than exist.
    const lim = await ok(srv.query('SELECT seq, pad FROM seqs LIMIT 5'), 'limit');
    assert.equal(lim.rows.length, 5);
    assert.ok(lim.stats.lake_rows + lim.stats.log_rows < N / 3, `early stop: ${JSON.stringify(lim.stats)}`);
    assert.ok(lim.stats.row_groups < groups, JSON.stringify(lim.stats));
    // With ORDER BY every row is read, and the answer is the top of the order.
    const top = await ok(srv.query('SELECT seq FROM seqs ORDER BY seq DESC LIMIT 3'), 'top');
    assert.deepEqual(top.rows, [[N - 1], [N - 2], [N - 3]]);
    assert.equal(top.stats.lake_rows, N);
    const page = await ok(srv.query('SELECT seq FROM seqs ORDER BY seq LIMIT 3 OFFSET 2998'), 'offset');
    assert.deepEqual(page.rows, [[2998], [2999], [3000]]);
  });
});

test('lake + log tail: events visible at once, counted exactly once across batch runs and restarts', async () => {
  await withServer(LAKE_CONFIG, async (srv0, { restart }) => {
    let srv = srv0;
    await ok(srv.sql('CREATE TABLE once (ts timestamptz NOT NULL, id bigint, amt double precision)'), 'DDL');
    const ev = (i) => ({ ts: new Date(BASE + (i % 30) * 7 * 60e3).toISOString(), id: i, amt: i % 2 ? 0.25 : 1.5 });
    const events = [];
    const add = async (n) => {
      const batch = Array.from({ length: n }, (_, j) => ev(events.length + j));
      await ingestAll(srv, 'once', batch, 100);
      events.push(...batch);
    };
    const check = async (where, lake, log) => {
      const r = await ok(srv.query('SELECT count(*), count(DISTINCT id), sum(id), sum(amt), min(id), max(id) FROM once'), where);
      const n = events.length;
      assert.deepEqual(r.rows[0], [n, n, (n * (n - 1)) / 2, events.reduce((s, e) => s + e.amt, 0), 0, n - 1], where);
      assert.equal(r.stats.lake_rows, lake, `${where}: ${JSON.stringify(r.stats)}`);
      assert.equal(r.stats.log_rows, log, `${where}: ${JSON.stringify(r.stats)}`);
      // Grouped: each id once.
      const dup = await ok(srv.query('SELECT id, count(*) FROM once GROUP BY id HAVING count(*) <> 1'), `${where}: duplicates`);
      assert.deepEqual(dup.rows, [], where);
    };
    await add(300);
    await check('log only', 0, 300);
    await batchRun(srv);
    await check('after the batch run', 300, 0);
    await add(50);
    await check('new events in the log tail', 300, 50);
    srv = await restart('stop');
    await check('after a restart', 300, 50);
    await batchRun(srv);
    await check('after a batch run after the restart', 350, 0);
    await add(7);
    srv = await restart('kill');
    await check('after kill -9 and a restart', 350, 7);
    await batchRun(srv);
    await batchRun(srv); // nothing new: no change
    await check('after two more batch runs', 357, 0);
  });
});

test('errors name the problem', async () => {
  await withServer(LAKE_CONFIG, async (srv) => {
    await ok(srv.sql(`CREATE TABLE ev (ts timestamptz NOT NULL, page text, n bigint);
      CREATE TABLE other (ts timestamptz NOT NULL, page text)`), 'DDL');
    await ingestAll(srv, 'ev', [{ ts: new Date(BASE).toISOString(), page: '/a', n: 1 }]);
    const cases = [
      ['SELECT nope FROM ev', /column "nope" does not exist/],
      ['SELECT ev.nope FROM ev', /nope/],
      ['SELECT * FROM missing', /relation "missing" does not exist/],
      ['SELECT (SELECT page FROM ev UNION ALL SELECT page FROM ev) FROM ev', /more than one row returned by a subquery used as an expression/],
      ['WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r', /WITH RECURSIVE is not supported/],
      ['SELECT page FROM ev UNION SELECT n FROM ev', /UNION types text and bigint cannot be matched/],
      ['SELECT page, n FROM ev INTERSECT SELECT page FROM ev', /each INTERSECT query must have the same number of columns/],
      ['SELECT * FROM (SELECT page FROM ev) s (a, b)', /"s" has 1 columns available but 2 columns specified/],
      ['SELECT page, count(*) FROM ev', /column "page" must appear in the GROUP BY clause/],
      ['SELECT sum(page) FROM ev', /function sum\(text\) does not exist/],
      ['SELECT page FROM ev WHERE count(*) > 1', /aggregate functions are not allowed in WHERE/],
      ["SELECT page FROM ev WHERE ts > 'yesterday'", /invalid input syntax for type timestamp with time zone: "yesterday"/],
      ['SELECT page FROM ev WHERE n = page', /operator does not exist: bigint = text/],
      ['SELECT page FROM ev ORDER BY 3', /ORDER BY position 3 is not in select list/],
      ['SELECT page FROM ev LIMIT -1', /LIMIT must not be negative/],
      ['SELECT page FROM ev WHERE GROUP BY page', /syntax error at or near "GROUP" \(at character 27\)/],
    ];
    for (const [sql, re] of cases) {
      const r = await srv.query(sql);
      assert.equal(r.status, 400, `${sql} → HTTP ${r.status} ${r.text}`);
      assert.match(r.json.error, re, sql);
    }
    // Refused by the older paths, answered by the engine.
    const answered = [
      ['SELECT 1 FROM ev RIGHT JOIN other ON ev.page = other.page', []],
      ['SELECT ev.page, other.page FROM ev FULL JOIN other ON ev.page = other.page', [['/a', null]]],
      ['SELECT count(*) FROM ev, other JOIN ev e2 ON e2.page = other.page', [[0]]],
      ['SELECT page, row_number() OVER () FROM ev', [['/a', 1]]],
    ];
    for (const [sql, rows] of answered) assert.deepEqual((await ok(srv.query(sql), sql)).rows, rows, sql);
    // The server still answers.
    const r = await ok(srv.query('SELECT page, n FROM ev'), 'after errors');
    assert.deepEqual(r.rows, [['/a', 1]]);
  });
});

test('a stream joined with a dimension table loaded by COPY', async () => {
  await withServer(LAKE_CONFIG, async (srv, { dir }) => {
    await ok(srv.sql(`CREATE TABLE views (ts timestamptz NOT NULL, page text, ms double precision);
      CREATE TABLE pages (page text NOT NULL, title text, section text) WITH (kind = 'dimension')`), 'DDL');
    const csv = path.join(dir, 'pages.csv');
    writeFileSync(csv, 'page,title,section\n/a,Home,main\n/b,"About, us",main\n/c,,docs\n/unused,Nobody,x\n');
    const c = await ok(srv.sql(`COPY pages FROM '${csv}' WITH (FORMAT csv, HEADER true)`), 'COPY');
    assert.equal(c.results[0].tag, 'COPY 4');
    const pages = ['/a', '/b', '/c', '/d', null];
    const events = Array.from({ length: 500 }, (_, i) => ({ ts: new Date(BASE + i * 60e3).toISOString(), page: pages[i % 5], ms: i % 10 }));
    await ingestAll(srv, 'views', events.slice(0, 300));
    await batchRun(srv);
    await ingestAll(srv, 'views', events.slice(300));

    const inner = await ok(srv.query(`SELECT p.title, p.section, count(*), sum(v.ms) FROM views v JOIN pages p ON v.page = p.page
      GROUP BY 1, 2 ORDER BY 1 NULLS LAST`), 'inner join');
    const sumMs = (p) => events.filter((e) => e.page === p).reduce((s, e) => s + e.ms, 0);
    assert.deepEqual(inner.rows, [['About, us', 'main', 100, sumMs('/b')], ['Home', 'main', 100, sumMs('/a')], [null, 'docs', 100, sumMs('/c')]]);
    assert.equal(inner.stats.other_rows, 4, 'the dimension table is read once');
    const left = await ok(srv.query(`SELECT v.page, p.title FROM views v LEFT JOIN pages p USING (page)
      WHERE v.ts < '2024-03-10 00:05:00+00' ORDER BY v.ts`), 'left join');
    assert.deepEqual(left.rows, [['/a', 'Home'], ['/b', 'About, us'], ['/c', null], ['/d', null], [null, null]]);
    const section = await ok(srv.query(`SELECT coalesce(p.section, '?') AS s, count(*) FROM views v LEFT JOIN pages p
      ON p.page = v.page GROUP BY s ORDER BY s`), 'grouped by a dimension column');
    assert.deepEqual(section.rows, [['?', 200], ['docs', 100], ['main', 200]]);
    // A new COPY shows in the next query.
    writeFileSync(csv, 'page,title,section\n/d,Dee,docs\n');
    await ok(srv.sql(`COPY pages FROM '${csv}' WITH (FORMAT csv, HEADER true)`), 'COPY again');
    const again = await ok(srv.query('SELECT p.title, count(*) FROM views v JOIN pages p ON v.page = p.page GROUP BY 1'), 'after COPY');
    assert.deepEqual(again.rows, [['Dee', 100]]);
    // USING (page) makes one column page, which PostgreSQL lets a query name unqualified.
    const using = await srv.query(`SELECT page, title FROM views JOIN pages USING (page) WHERE ts < '2024-03-10 00:10:00+00' ORDER BY ts`);
    assert.equal(using.status, 200, `unqualified USING column: HTTP ${using.status} ${using.text}`);
    assert.deepEqual(using.json.rows, [['/d', 'Dee'], ['/d', 'Dee']]);
  });
});

test('[query] max_result_rows refuses a large result; LIMIT, aggregates and streaming work', async () => {
  await withServer('[batch]\ninterval = 0\n[query]\nmax_result_rows = 100\n', async (srv) => {
    await ok(srv.sql('CREATE TABLE r (ts timestamptz NOT NULL, i bigint)'), 'DDL');
    await ingestAll(srv, 'r', Array.from({ length: 500 }, (_, i) => ({ ts: new Date(BASE + i * 1000).toISOString(), i })));
    await batchRun(srv);
    const big = await srv.query('SELECT * FROM r');
    assert.equal(big.status, 400, big.text);
    assert.match(big.json.error, /max_result_rows/);
    assert.match(big.json.error, /more than 100 rows/);
    const ordered = await srv.query('SELECT i FROM r ORDER BY i DESC');
    assert.equal(ordered.status, 400, ordered.text);
    assert.match(ordered.json.error, /max_result_rows/);
    const lim = await ok(srv.query('SELECT * FROM r LIMIT 50'), 'LIMIT 50');
    assert.equal(lim.rows.length, 50);
    const top = await ok(srv.query('SELECT i FROM r ORDER BY i DESC LIMIT 100'), 'LIMIT 100');
    assert.equal(top.rows.length, 100);
    assert.deepEqual(top.rows[0], [499]);
    const agg = await ok(srv.query('SELECT count(*), sum(i) FROM r'), 'aggregate');
    assert.deepEqual(agg.rows, [[500, 124750]]);
    // Streamed, the rows have no limit.
    const s = await postRaw(`${srv.url}/v1/query`, JSON.stringify({ sql: 'SELECT i FROM r', stream: true }),
      { 'content-type': 'application/json' });
    assert.equal(s.status, 200, s.text);
    const lines = s.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines[0].columns, [{ name: 'i', type: 'bigint' }]);
    assert.equal(lines.length, 502, s.text.slice(-300));
    assert.equal(lines.at(-1).row_count, 500);
  });
});

test('[query] timeout_seconds ends a long query; the server answers afterwards', async () => {
  await withServer('[batch]\ninterval = 0\n[query]\ntimeout_seconds = 0.001\n', async (srv) => {
    await ok(srv.sql('CREATE TABLE big (ts timestamptz NOT NULL, u text, n bigint)'), 'DDL');
    const rand = mulberry32(3);
    const N = 50000;
    const events = Array.from({ length: N }, (_, i) => ({
      ts: new Date(BASE + Math.floor(rand() * 4 * H)).toISOString(), u: `user-${Math.floor(rand() * 1e6)}`, n: i,
    }));
    await ingestAll(srv, 'big', events, 5000);
    await batchRun(srv);
    for (const sql of ['SELECT count(DISTINCT u) FROM big', 'SELECT u, count(*) FROM big GROUP BY u ORDER BY 2 DESC LIMIT 3']) {
      const r = await srv.query(sql);
      assert.equal(r.status, 408, `${sql}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
      assert.match(r.json.error, /statement timeout/);
      assert.equal(r.json.code, 'DeadlineExceeded');
      assert.equal(r.json.sqlstate, '57014');
    }
    const h = await srv.get('/healthz');
    assert.equal(h.status, 200);
    const small = await ok(srv.query('SELECT 1 + 1 AS two'), 'small query');
    assert.deepEqual(small.rows, [[2]]);
  });
});

test('row-group skipping keeps rows the predicate accepts: NaN (above every number, as in PostgreSQL)', async () => {
  await withServer(LAKE_CONFIG, async (srv, { dir }) => {
    await ok(srv.sql('CREATE TABLE m (ts timestamptz NOT NULL, x double precision, s text)'), 'DDL');
    // JSON has no NaN: the file comes from DuckDB and is attached to the lake. Parquet statistics
    // leave NaN out of min/max, so the row group's max is 4 while it holds a NaN.
    const file = path.join(dir, 'nan.parquet');
    const con = await duckdb();
    await con.run(`COPY (SELECT TIMESTAMPTZ '2024-03-10 00:00:00+00' + to_seconds(i::BIGINT) AS ts,
      CASE WHEN i = 1 THEN 'NaN'::DOUBLE ELSE i::DOUBLE END AS x, 's' || i AS s FROM range(5) t(i)) TO '${file}' (FORMAT parquet)`);
    await ok(postJson(`${srv.url}/v1/lake/attach`, { stream: 'm', path: file }), 'attach');
    for (const where of ["x > 100", "x = 'NaN'", "x >= 'NaN'", "x BETWEEN 5 AND 'NaN'"]) {
      const noSkip = await ok(srv.query(`SELECT s FROM m WHERE ${where} OR s = 'none'`), `${where} (no bounds)`);
      assert.deepEqual(noSkip.rows, [['s1']], `${where}: NaN compares above every number`);
      const r = await ok(srv.query(`SELECT s FROM m WHERE ${where}`), where);
      assert.deepEqual(r.rows, [['s1']], `${where}: the row group was skipped although it holds a NaN: ${JSON.stringify(r.stats)}`);
    }
  });
});

test('sum(bigint) beyond the bigint range: a clean answer or error, never an internal error', async () => {
  await withServer(LAKE_CONFIG, async (srv) => {
    await ok(srv.sql('CREATE TABLE big (ts timestamptz NOT NULL, n bigint)'), 'DDL');
    const ts = new Date(BASE).toISOString();
    const body = `{"ts":"${ts}","n":9223372036854775807}\n{"ts":"${ts}","n":10}\n`; // JSON.stringify has no int64
    const ing = await srv.ingest('big', body);
    assert.equal(ing.json?.accepted, 2, ing.text);
    const problems = [];
    for (const sql of ['SELECT sum(n) FROM big', 'SELECT sum(n) + 1 FROM big', 'SELECT sum(n)::text FROM big', 'SELECT -sum(n) FROM big']) {
      const r = await srv.query(sql);
      if (r.status !== 200 && r.status !== 400) problems.push(`${sql}: HTTP ${r.status} ${r.text}`);
      else if (r.status === 400 && !/out of range/.test(r.json.error)) problems.push(`${sql}: ${r.json.error}`);
      else if (r.status === 200 && r.json.columns[0].type === 'bigint' && /e\+18/.test(r.text))
        problems.push(`${sql}: a bigint column holds a double: ${JSON.stringify(r.json.rows)}`);
    }
    assert.deepEqual(problems, []);
  });
});

test('[query] timeout_seconds also ends a join that multiplies rows (checked while joining, not only while scanning)', async () => {
  await withServer('[batch]\ninterval = 0\n[query]\ntimeout_seconds = 0.2\n', async (srv, { current }) => {
    await ok(srv.sql('CREATE TABLE small (ts timestamptz NOT NULL, g bigint)'), 'DDL');
    // 3,000 rows with one key: each joined relation is a small hash table (read in well under the
    // timeout), but two joins make 2.7·10¹⁰ combinations.
    await ingestAll(srv, 'small', Array.from({ length: 3000 }, (_, i) => ({ ts: new Date(BASE + i).toISOString(), g: 1 })));
    const started = Date.now();
    let r;
    try {
      const res = await fetch(`${srv.url}/v1/query`, {
        method: 'POST',
        body: 'SELECT count(*) FROM small a JOIN small b ON a.g = b.g JOIN small c ON c.g = a.g',
        signal: AbortSignal.timeout(10000),
      });
      const text = await res.text();
      r = { status: res.status, text, json: JSON.parse(text) };
    } catch (e) {
      await current().kill(); // the query would run on for hours; do not wait for it at shutdown
      assert.fail(`a 0.2 s timeout did not end the join within 10 s (${e.name})`);
    }
    assert.equal(r.status, 408, r.text);
    assert.match(r.json.error, /statement timeout/);
    assert.ok(Date.now() - started < 10000);
    assert.equal((await srv.get('/healthz')).status, 200);
  });
});

test('[query] max_memory_mb ends a query that holds too much; the server answers afterwards', async () => {
  await withServer('[batch]\ninterval = 0\n[query]\nmax_memory_mb = 1\n', async (srv) => {
    await ok(srv.sql('CREATE TABLE wide (ts timestamptz NOT NULL, u text)'), 'DDL');
    const events = Array.from({ length: 30000 }, (_, i) => ({
      ts: new Date(BASE + i * 1000).toISOString(), u: `user-${i}-${'x'.repeat(40)}`,
    }));
    await ingestAll(srv, 'wide', events, 5000);
    const r = await srv.query('SELECT u, count(*) FROM wide GROUP BY u');
    assert.equal(r.status, 400, r.text.slice(0, 300));
    assert.equal(r.json.code, 'ResourceExhausted');
    assert.match(r.json.error, /more than 1 MiB of memory \(\[query\] max_memory_mb\)/);
    // Small queries still run, and streamed ones too.
    const c = await ok(srv.query('SELECT count(*) FROM wide'), 'count');
    assert.deepEqual(c.rows, [[30000]]);
    assert.equal((await srv.get('/healthz')).status, 200);
  });
});

test('WITH, subqueries and set operations: parts over views merge their measures; limits cover every part', async () => {
  await withServer('[batch]\ninterval = 0\n', async (srv) => {
    await ok(srv.sql(`CREATE TABLE pv (ts timestamptz NOT NULL, country text, ms double precision);
      CREATE MATERIALIZED VIEW pv_c AS SELECT date_trunc('hour', ts) AS h, country, count(*) AS n, avg(ms) AS lat FROM pv GROUP BY 1, 2`), 'DDL');
    const events = [];
    for (let i = 0; i < 600; i++) events.push({ ts: new Date(BASE + (i % 3) * H + i * 1000).toISOString(), country: ['de', 'fr', 'us'][i % 3], ms: i });
    await ingestAll(srv, 'pv', events.slice(0, 400));
    await batchRun(srv);
    await ingestAll(srv, 'pv', events.slice(400));
    const avg = (c) => { const xs = events.filter((e) => e.country === c).map((e) => e.ms); return xs.reduce((a, b) => a + b, 0) / xs.length; };
    // A part over the view is a view query: avg merges across hours (not an average of averages).
    const merged = await ok(srv.query(`WITH by_c AS (SELECT country, n, lat FROM pv_c GROUP BY country)
      SELECT country, n, lat FROM by_c WHERE n > 0 ORDER BY country`), 'CTE over a view');
    assert.deepEqual(merged.rows, ['de', 'fr', 'us'].map((c) => [c, 200, avg(c)]));
    assert.equal(merged.stats.relation, 'pv_c');
    // The same through a FROM subquery, a scalar subquery, IN, EXISTS and a set operation.
    const sub = await ok(srv.query(`SELECT s.country FROM (SELECT country, lat FROM pv_c GROUP BY country) s
      WHERE s.lat > (SELECT avg(ms) FROM pv) AND s.country IN (SELECT country FROM pv WHERE ms < 10)
      AND EXISTS (SELECT 1 FROM pv WHERE country = 'us') ORDER BY 1`), 'subqueries');
    assert.deepEqual(sub.rows, [['us']]);
    const setop = await ok(srv.query(`SELECT country FROM pv WHERE ms < 2 UNION SELECT country FROM pv_c
      EXCEPT SELECT 'fr' ORDER BY 1 DESC`), 'set operations');
    assert.deepEqual(setop.rows, [['us'], ['de']]);
    // Stats add up every part's scan (the first part skipped row groups by min/max of ms).
    assert.equal(setop.stats.relation, 'pv, pv_c');
    assert.ok(setop.stats.lake_rows > 0 && setop.stats.log_rows === 200, JSON.stringify(setop.stats));
    // A CTE named like a view shadows it; schema-qualified names still reach the view.
    const shadow = await ok(srv.query(`WITH pv_c AS (SELECT 7 AS n) SELECT a.n, (SELECT count(*) FROM public.pv_c) AS rows FROM pv_c a`), 'shadowing');
    assert.deepEqual(shadow.rows, [[7, 3]]);  // pv_c: one row per (hour, country), 3 here
  });
  // A CTE streams through the engine (nothing is held for it); what a query holds — here the
  // distinct values — counts against max_memory_mb.
  await withServer('[batch]\ninterval = 0\n[query]\nmax_memory_mb = 1\n', async (srv) => {
    await ok(srv.sql('CREATE TABLE wide (ts timestamptz NOT NULL, u text)'), 'DDL');
    await ingestAll(srv, 'wide', Array.from({ length: 30000 }, (_, i) => ({ ts: new Date(BASE + i * 1000).toISOString(), u: `user-${i}-${'x'.repeat(40)}` })), 5000);
    const all = await ok(srv.query('WITH all_rows AS (SELECT u FROM wide) SELECT count(*) FROM all_rows'), 'streamed CTE');
    assert.deepEqual(all.rows, [[30000]]);
    const r = await srv.query('WITH all_rows AS (SELECT u FROM wide) SELECT count(*) FROM (SELECT DISTINCT u FROM all_rows) d');
    assert.equal(r.status, 400, r.text.slice(0, 300));
    assert.match(r.json.error, /max_memory_mb\)/);
    const small = await ok(srv.query('WITH few AS (SELECT u FROM wide LIMIT 10) SELECT count(*) FROM few'), 'small CTE');
    assert.deepEqual(small.rows, [[10]]);
  });
});
