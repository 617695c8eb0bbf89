// The PostgreSQL wire protocol (src/pgwire): the real `psql` for the simple query protocol and
// its catalog commands (\d, \dt, \dm, \d NAME, ...), cancel requests (psql's Ctrl-C and raw
// CancelRequest packets), and a small hand-written protocol client for the extended protocol
// (psql 15 has no \bind).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startServer, tempDir, removeDir, freePort, ndjson, sleep } from './lib.mjs';
import { PgClient, i16, i32, i64, f64, bindParams, dataRows, cstr } from './pgproto.mjs';

let srv, dir, pgPort;

before(async () => {
  dir = tempDir();
  srv = await startServer({ dataDir: dir, args: ['--pg', '127.0.0.1:0'] });
  pgPort = srv.pgPort;
});
after(async () => {
  await srv?.stop();
  removeDir(dir);
});

function psql(sql, extra = []) {
  const r = spawnSync(
    'psql',
    [`host=127.0.0.1 port=${pgPort} user=u dbname=laminar sslmode=prefer`, '-X', '-A', '-t', '-v', 'VERBOSITY=verbose',
      ...extra, '-c', sql],
    { encoding: 'utf8', timeout: 30000 },
  );
  return { code: r.status, out: r.stdout.trimEnd(), err: r.stderr };
}

const EVENTS = [
  { ts: '2024-01-08T10:15:00Z', url: '/a', country: 'US', latency_ms: 12.5, ok: true },
  { ts: '2024-01-08T10:20:00.25Z', url: '/a', country: 'US', latency_ms: 7.5, ok: false },
  { ts: '2024-01-08T11:05:00Z', url: '/b', country: 'DE', latency_ms: 3.25, ok: true },
];

test('DDL, ingest over HTTP, SELECT over a view equals the HTTP query', async () => {
  let r = psql('CREATE TABLE pv (ts timestamptz NOT NULL, url text, country text, latency_ms double precision, ok boolean)');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'CREATE TABLE');
  r = psql(`CREATE MATERIALIZED VIEW pv_hourly AS SELECT date_trunc('hour', ts) AS hour, country, url,
            count(*) AS views, avg(latency_ms) AS avg_latency FROM pv GROUP BY 1, 2, 3`);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'CREATE MATERIALIZED VIEW');
  const ing = await srv.ingest('pv', ndjson(EVENTS));
  assert.equal(ing.status, 200, ing.text);
  const sql = 'SELECT hour, country, url, views, avg_latency FROM pv_hourly ORDER BY hour, url';
  r = psql(sql);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, ['2024-01-08 10:00:00+00|US|/a|2|10', '2024-01-08 11:00:00+00|DE|/b|1|3.25'].join('\n'));
  const http = await srv.query(sql);
  assert.equal(http.status, 200);
  const lines = r.out.split('\n').map((l) => l.split('|'));
  assert.equal(lines.length, http.json.rows.length);
  http.json.rows.forEach((row, i) => {
    assert.equal(Number(lines[i][3]), row[3]);
    assert.equal(Number(lines[i][4]), row[4]);
    assert.equal(lines[i][1], row[1]);
  });
});

test('several statements in one query string', () => {
  const r = psql("SELECT count(*) AS n FROM pv_hourly; SELECT url FROM pv_hourly WHERE country = 'DE'; SELECT 'x' AS y FROM pv_hourly LIMIT 0");
  // psql -c prints only the last result; use a stdin script to see every one.
  assert.equal(r.code, 0, r.err);
  const s = spawnSync('psql', [`host=127.0.0.1 port=${pgPort} user=u dbname=laminar`, '-X', '-A', '-t'], {
    input: "SELECT count(*) AS n FROM pv_hourly\\; SELECT url FROM pv_hourly WHERE country = 'DE';\n",
    encoding: 'utf8',
  });
  assert.equal(s.status, 0, s.stderr);
  assert.equal(s.stdout.trim(), '2\n/b');
});

test('a syntax error: exit code, SQLSTATE and message', () => {
  const r = psql('SELEC 1');
  assert.notEqual(r.code, 0);
  assert.match(r.err, /ERROR:\s+42601: syntax error at or near "SELEC"/);
  const missing = psql('SELECT * FROM nope');
  assert.notEqual(missing.code, 0);
  assert.match(missing.err, /42P01/);
  const exists = psql('CREATE TABLE pv (ts timestamptz NOT NULL)');
  assert.match(exists.err, /42P07: relation "pv" already exists/);
});

test('version(), SET and SHOW', () => {
  let r = psql('SELECT version()');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^PostgreSQL 16\.0 \(Laminar/);
  r = psql('SHOW server_version');
  assert.equal(r.out, '16.0 (Laminar)');
  const s = spawnSync('psql', [`host=127.0.0.1 port=${pgPort} user=u dbname=laminar`, '-X', '-A', '-t'], {
    input: "SET application_name = 'e2e';\nSHOW application_name;\nSET my.flag TO on;\nSHOW my.flag;\nSHOW TimeZone;\n",
    encoding: 'utf8',
  });
  assert.equal(s.status, 0, s.stderr);
  assert.equal(s.stdout.trim(), 'SET\ne2e\nSET\non\nUTC');
  r = psql('SHOW no_such_thing');
  assert.match(r.err, /42704/);
});

test('empty query', () => {
  const r = psql(';');
  assert.equal(r.code, 0, r.err);
});

test('dates (OID 1082) and the function pack through psql', () => {
  let r = psql("SELECT date '2024-01-08', (ts::date - date '2024-01-01') AS days, to_char(ts, 'FMDay DD Mon YYYY') " +
    "FROM pv WHERE url ~ '^/a' AND ok IS TRUE");
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, '2024-01-08|7|Monday 08 Jan 2024');
  r = psql('SELECT CURRENT_DATE = now()::date');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 't');
  r = psql("SELECT '2024-02-30'::date");
  assert.equal(r.code, 1);
  assert.match(r.err, /22008: date\/time field value out of range: "2024-02-30"/);
});


test('extended protocol: named statement, text and binary parameters, binary results, row limit', async () => {
  const c = new PgClient(pgPort);
  const hello = await c.connect();
  assert.ok(hello.some((m) => m.type === 'R'));
  assert.ok(hello.some((m) => m.type === 'K'));
  const status = hello.filter((m) => m.type === 'S').map((m) => cstr(m.body));
  assert.ok(status.includes('server_version') && status.includes('standard_conforming_strings'));

  c.send('P', 'q1', 'SELECT url, views, avg_latency FROM pv_hourly WHERE country = $1 ORDER BY url LIMIT $2', i16(2), i32(25), i32(20));
  c.send('D', Buffer.from('S'), 'q1');
  c.send('S');
  let msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['1', 't', 'T', 'Z']);
  const pd = msgs[1].body;
  assert.deepEqual([pd.readInt16BE(0), pd.readInt32BE(2), pd.readInt32BE(6)], [2, 25, 20]);

  // Text parameter 'US' (with a quote-free value) and binary int8 1; results: text, binary int8, binary float8.
  c.send('B', 'p1', 'q1', ...bindParams([{ fmt: 0, value: Buffer.from('US') }, { fmt: 1, value: i64(1) }]), i16(3), i16(0), i16(1), i16(1));
  c.send('D', Buffer.from('P'), 'p1');
  c.send('E', 'p1', i32(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['2', 'T', 'D', 'C', 'Z']);
  let rows = dataRows(msgs);
  assert.equal(rows[0][0].toString(), '/a');
  assert.equal(rows[0][1].readBigInt64BE(0), 2n);
  assert.equal(rows[0][2].readDoubleBE(0), 10);
  assert.equal(cstr(msgs[3].body), 'SELECT 1');

  // A quote in a text parameter stays data; unnamed statement; row limit → PortalSuspended.
  c.send('P', '', 'SELECT url FROM pv_hourly WHERE url <> $1 ORDER BY url', i16(0));
  c.send('B', '', '', ...bindParams([{ fmt: 0, value: Buffer.from("x' OR '1'='1") }]), i16(0));
  c.send('E', '', i32(1));
  c.send('E', '', i32(1));
  c.send('S');
  msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['1', '2', 'D', 's', 'D', 'C', 'Z']);
  assert.deepEqual(dataRows(msgs).map((r) => r[0].toString()), ['/a', '/b']);

  // Binary float8 and bool parameters, NULL (a view with double and boolean dimensions).
  c.send('Q', 'CREATE MATERIALIZED VIEW pv_lat AS SELECT url, latency_ms, ok, count(*) AS n FROM pv GROUP BY 1, 2, 3');
  msgs = await c.until('Z');
  assert.equal(cstr(msgs[0].body), 'CREATE MATERIALIZED VIEW');
  c.send('P', 'q2', 'SELECT url, ok FROM pv_lat WHERE (latency_ms > $1 AND ok = $2) OR url = $3 ORDER BY url', i16(3), i32(701), i32(16), i32(25));
  c.send('B', '', 'q2', ...bindParams([{ fmt: 1, value: f64(5.5) }, { fmt: 1, value: Buffer.from([1]) }, { fmt: 0, value: null }]), i16(0));
  c.send('E', '', i32(0));
  c.send('S');
  msgs = await c.until('Z');
  rows = dataRows(msgs);
  assert.deepEqual(rows.map((r) => r.map(String)), [['/a', 't']]);

  // Untyped parameters take the type their context needs, as quoted constants do: '2' meets the
  // bigint `views` as a bigint and LIMIT reads '1' as a count; the same statement with a value
  // that is not a bigint fails at Execute with 22P02. $n past the parameters is 42P02.
  c.send('P', 'q3', 'SELECT url, views FROM pv_hourly WHERE views >= $1 ORDER BY url LIMIT $2', i16(0));
  c.send('B', '', 'q3', ...bindParams([{ fmt: 0, value: Buffer.from('2') }, { fmt: 0, value: Buffer.from('1') }]), i16(0));
  c.send('E', '', i32(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.deepEqual(dataRows(msgs).map((r) => r.map(String)), [['/a', '2']]);
  c.send('B', '', 'q3', ...bindParams([{ fmt: 0, value: Buffer.from('two') }, { fmt: 0, value: Buffer.from('1') }]), i16(0));
  c.send('E', '', i32(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.match(msgs.find((m) => m.type === 'E').body.toString(), /C22P02.*invalid input syntax for type bigint: "two"/s);
  c.send('Q', 'SELECT $1');
  msgs = await c.until('Z');
  assert.match(msgs[0].body.toString(), /C42P02.*there is no parameter \$1/s);

  // An error discards until Sync; the next Sync gives ReadyForQuery and the session goes on.
  c.send('P', '', 'SELECT nope FROM pv_hourly', i16(0));
  c.send('B', '', '', i16(0), i16(0), i16(0));
  c.send('E', '', i32(0));
  c.send('S');
  msgs = await c.until('Z');
  // Parse checks syntax only; the unknown column is found when the portal runs.
  assert.deepEqual(msgs.map((m) => m.type), ['1', '2', 'E', 'Z']);
  assert.match(msgs[2].body.toString(), /C42703/);
  c.send('B', 'p9', 'nope', i16(0), i16(0), i16(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.match(msgs[0].body.toString(), /C26000/);

  // Wrong parameter count, bad int8 text, Close, DDL through the extended protocol, empty query.
  c.send('B', '', 'q1', i16(0), i16(0), i16(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.match(msgs[0].body.toString(), /C08P01/);
  c.send('B', '', 'q1', ...bindParams([{ fmt: 0, value: Buffer.from('US') }, { fmt: 0, value: Buffer.from('x1') }]), i16(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.match(msgs[0].body.toString(), /C22P02/);
  c.send('C', Buffer.from('S'), 'q1');
  c.send('P', '', 'CREATE TABLE t2 (ts timestamptz NOT NULL, k bigint)', i16(0));
  c.send('B', '', '', i16(0), i16(0), i16(0));
  c.send('D', Buffer.from('P'), '');
  c.send('E', '', i32(0));
  c.send('P', '', '', i16(0));
  c.send('B', '', '', i16(0), i16(0), i16(0));
  c.send('E', '', i32(0));
  c.send('S');
  msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['3', '1', '2', 'n', 'C', '1', '2', 'I', 'Z']);
  assert.equal(cstr(msgs[4].body), 'CREATE TABLE');
  c.close();
});

test('SSLRequest is answered N; a hostile length closes with 08P01', async () => {
  const sock = net.connect(pgPort, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  const got = [];
  sock.on('data', (d) => got.push(d));
  const closed = new Promise((r) => sock.once('close', r));
  const ssl = Buffer.alloc(8);
  ssl.writeInt32BE(8);
  ssl.writeInt32BE(80877103, 4);
  sock.write(ssl);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(Buffer.concat(got).toString(), 'N');
  const params = Buffer.from('user\0u\0\0');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length);
  head.writeInt32BE(196608, 4);
  const huge = Buffer.from([0x51, 0x7f, 0, 0, 0]);  // Query with a 2 GiB length
  sock.write(Buffer.concat([head, params, huge]));
  await closed;
  const all = Buffer.concat(got).toString('latin1');
  assert.match(all, /C08P01/);
  assert.match(all, /exceeds the limit/);
});

// ---- Cancel requests ----

// Sends a CancelRequest on a new connection; resolves with what the server sent back (nothing:
// it closes the connection without an answer).
function cancelRequest(pid, secret) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(pgPort, '127.0.0.1');
    const got = [];
    sock.on('data', (d) => got.push(d));
    sock.once('error', reject);
    sock.once('connect', () => {
      const b = Buffer.alloc(16);
      b.writeInt32BE(16);
      b.writeInt32BE(80877102, 4);
      b.writeInt32BE(pid, 8);
      b.writeInt32BE(secret, 12);
      sock.write(b);
    });
    sock.once('close', () => resolve(Buffer.concat(got)));
  });
}

test('cancel requests: idle is harmless, a wrong secret is ignored, the right one interrupts', async () => {
  const c = new PgClient(pgPort);
  const hello = await c.connect();
  const key = hello.find((m) => m.type === 'K').body;
  const pid = key.readInt32BE(0);
  const secret = key.readInt32BE(4);

  // Nothing runs: the request changes nothing, and gets no answer.
  assert.equal((await cancelRequest(pid, secret)).length, 0);
  c.send('Q', 'SHOW server_version');
  let msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['T', 'D', 'C', 'Z']);

  // A wrong secret, or an unknown process id, does not cancel: pg_sleep runs to its end and
  // returns one row, column "pg_sleep" of type text (25: Laminar has no void type, PostgreSQL
  // says void), value ''.
  c.send('Q', 'SELECT pg_sleep(1)');
  await sleep(300);
  await cancelRequest(pid, secret ^ 0x5a5a);
  await cancelRequest(pid + 100000, secret);
  msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['T', 'D', 'C', 'Z'], msgs.map((m) => m.body.toString()).join(' | '));
  const desc = msgs[0].body;
  assert.equal(cstr(desc, 2), 'pg_sleep');
  assert.equal(desc.readInt32BE(2 + 'pg_sleep'.length + 1 + 6), 25);
  assert.deepEqual(dataRows(msgs).map((r) => r.map(String)), [['']]);

  // The right secret interrupts the running statement with 57014. (A request that arrives before
  // the statement starts is dropped with it: repeat until the answer comes.)
  const t0 = Date.now();
  c.send('Q', 'SELECT pg_sleep(30)');
  const answer = c.until('Z');
  let answered = false;
  answer.then(() => (answered = true));
  for (let i = 0; i < 30 && !answered; i++) {
    await sleep(300);
    if (!answered) await cancelRequest(pid, secret);
  }
  msgs = await answer;
  assert.deepEqual(msgs.map((m) => m.type), ['E', 'Z']);
  assert.match(msgs[0].body.toString(), /C57014/);
  assert.match(msgs[0].body.toString(), /canceling statement due to user request/);
  assert.ok(Date.now() - t0 < 10000, `cancel took ${Date.now() - t0} ms`);

  // The session goes on, and a later statement is not cancelled by the old request.
  c.send('Q', 'SELECT pg_sleep(0.05); SELECT current_database()');
  msgs = await c.until('Z');
  assert.deepEqual(msgs.map((m) => m.type), ['T', 'D', 'C', 'T', 'D', 'C', 'Z']);
  assert.equal(dataRows(msgs)[1][0].toString(), 'laminar');
  c.close();
});

test('psql: Ctrl-C (SIGINT) cancels the running query', async () => {
  const p = spawn('psql', [`host=127.0.0.1 port=${pgPort} user=u dbname=laminar`, '-X', '-v', 'VERBOSITY=verbose',
    '-c', '\\echo started', '-c', 'SELECT pg_sleep(30)'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const t0 = Date.now();
  let timer;
  p.stdout.on('data', (d) => {
    out += d;
    // Ctrl-C every 300 ms until psql ends (a cancel that arrives before the statement starts
    // does not cancel it).
    if (out.includes('started') && !timer) timer = setInterval(() => p.kill('SIGINT'), 300);
  });
  p.stderr.on('data', (d) => (err += d));
  const code = await new Promise((resolve) => p.on('exit', resolve));
  clearInterval(timer);
  assert.equal(code, 1, out + err);
  assert.match(err, /Cancel request sent/);
  assert.match(err, /ERROR:\s+57014: canceling statement due to user request/);
  assert.ok(Date.now() - t0 < 10000);
});

// ---- psql's catalog commands, on a server of their own (a known set of relations) ----

test('psql catalog commands: \\dt, \\dm, \\dv, \\d, \\d NAME, \\dn, \\l; session functions; statement timeout', async () => {
  const d = tempDir();
  const port = await freePort();
  const config = path.join(d, 'laminar.toml');
  writeFileSync(config, '[query]\ntimeout_seconds = 2\n');
  const s = await startServer({ dataDir: path.join(d, 'data'), args: ['--pg', `127.0.0.1:${port}`, '--config', config] });
  // psql's own (aligned) output, trailing blanks of each line removed.
  const run = (...cmds) => {
    const args = [`host=127.0.0.1 port=${port} user=u dbname=laminar`, '-X', '-v', 'VERBOSITY=verbose'];
    for (const c of cmds) args.push('-c', c);
    const r = spawnSync('psql', args, { encoding: 'utf8', timeout: 30000 });
    return { code: r.status, out: r.stdout.split('\n').map((l) => l.trimEnd()).join('\n').replace(/^\n+|\n+$/g, ''), err: r.stderr };
  };
  try {
    let r = await s.sql('CREATE TABLE pageviews (ts timestamptz NOT NULL, url text NOT NULL, country text, ' +
      'latency_ms double precision, ok boolean, user_id bigint)');
    assert.equal(r.status, 200, r.text);
    r = run(`CREATE MATERIALIZED VIEW pv_hourly AS SELECT date_trunc('hour', ts) AS hour, country, count(*) AS views,
             avg(latency_ms) AS avg_latency FROM pageviews GROUP BY 1, 2`,
            "CREATE TABLE countries (code text NOT NULL, name text) WITH (kind = 'dimension')");
    assert.equal(r.code, 0, r.err);

    r = run('\\dt');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, [
      '          List of relations',
      ' Schema |   Name    | Type  |  Owner',
      '--------+-----------+-------+---------',
      ' public | countries | table | laminar',
      ' public | pageviews | table | laminar',
      '(2 rows)',
    ].join('\n'));
    r = run('\\dm');
    assert.equal(r.out, [
      '                List of relations',
      ' Schema |   Name    |       Type        |  Owner',
      '--------+-----------+-------------------+---------',
      ' public | pv_hourly | materialized view | laminar',
      '(1 row)',
    ].join('\n'));
    r = run('\\d');
    assert.equal(r.out, [
      '                List of relations',
      ' Schema |   Name    |       Type        |  Owner',
      '--------+-----------+-------------------+---------',
      ' public | countries | table             | laminar',
      ' public | pageviews | table             | laminar',
      ' public | pv_hourly | materialized view | laminar',
      '(3 rows)',
    ].join('\n'));
    r = run('\\dv');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out + r.err, /Did not find any relations/);

    r = run('\\d pv_hourly');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, [
      '                  Materialized view "public.pv_hourly"',
      '   Column    |           Type           | Collation | Nullable | Default',
      '-------------+--------------------------+-----------+----------+---------',
      ' hour        | timestamp with time zone |           |          |',
      ' country     | text                     |           |          |',
      ' views       | bigint                   |           |          |',
      ' avg_latency | double precision         |           |          |',
    ].join('\n'));
    r = run('\\d pageviews');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, [
      '                        Table "public.pageviews"',
      '   Column   |           Type           | Collation | Nullable | Default',
      '------------+--------------------------+-----------+----------+---------',
      ' ts         | timestamp with time zone |           | not null |',
      ' url        | text                     |           | not null |',
      ' country    | text                     |           |          |',
      ' latency_ms | double precision         |           |          |',
      ' ok         | boolean                  |           |          |',
      ' user_id    | bigint                   |           |          |',
    ].join('\n'));
    r = run('\\d countries');
    assert.match(r.out, /Table "public\.countries"/);
    assert.match(r.out, /\n code\s+\| text\s+\|\s+\| not null \|/);
    // \d+ adds the view's definition; a pattern describes every match; a missing name is said so.
    r = run('\\d+ pv_hourly');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /View definition:\n SELECT date_trunc\('hour', ts\) AS hour, country, count\(\*\) AS views,/);
    r = run('\\d p*');
    assert.deepEqual(r.out.split('\n').filter((l) => /^ +(Table|Materialized view) /.test(l)).map((l) => l.trim()),
      ['Table "public.pageviews"', 'Materialized view "public.pv_hourly"']);
    r = run('\\d nope');
    assert.match(r.err, /Did not find any relation named "nope"/);

    // The catalog is live: a dropped view disappears, a new stream appears.
    r = run('DROP MATERIALIZED VIEW pv_hourly', 'CREATE TABLE clicks (ts timestamptz NOT NULL, n bigint)', '\\dm', '\\dt clicks');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Did not find any relations\./);
    assert.match(r.out, / public \| clicks \| table \| laminar/);
    assert.doesNotMatch(r.out, /pv_hourly/);

    r = run('\\dn', '\\l');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /List of schemas\n  Name  \|  Owner\n--------\+---------\n public \| laminar\n\(1 row\)/);
    assert.match(r.out, /List of databases\n[^\n]*\n[^\n]*\n laminar \| laminar \| UTF8 {5}\| C {7}\| C/);

    // Session functions and settings; a catalog relation Laminar does not have is refused (0A000).
    r = run("SELECT current_database(), current_schema(), current_user, session_user, current_setting('TimeZone')");
    assert.match(r.out, /\n laminar {10}\| public {9}\| u {12}\| u {12}\| UTC\n/);
    r = run("SELECT pg_catalog.set_config('application_name', 'cat-test', false)", 'SHOW application_name');
    assert.match(r.out, /\n cat-test\n\(1 row\)$/);
    r = run('SELECT pid FROM pg_catalog.pg_stat_activity');
    assert.notEqual(r.code, 0);
    assert.match(r.err, /ERROR:\s+0A000: pg_catalog\.pg_stat_activity is not supported by Laminar/);
    // \df: Laminar has no user functions (pg_proc is empty).
    r = run('\\df');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /List of functions\n Schema \| Name \| Result data type \| Argument data types \| Type\n[-+]+\n\(0 rows\)$/);
    // information_schema as BI tools read it: tables (not materialized views, as in PostgreSQL) and columns.
    r = run("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'clicks' " +
      'ORDER BY ordinal_position');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\n clicks {5}\| BASE TABLE\n countries  \| BASE TABLE\n pageviews  \| BASE TABLE\n\(3 rows\)/);
    assert.match(r.out, /\n ts {10}\| timestamp with time zone \| NO\n n {11}\| bigint {19}\| YES\n\(2 rows\)/);

    // pg_sleep past the query timeout (2 s here) ends with 57014.
    const t0 = Date.now();
    r = run('SELECT pg_sleep(20)');
    assert.notEqual(r.code, 0);
    assert.match(r.err, /ERROR:\s+57014: canceling statement due to statement timeout/);
    assert.ok(Date.now() - t0 < 10000);
  } finally {
    await s.stop();
    removeDir(d);
  }
});
