// Authentication and authorization as a client meets them: tokens made by `laminar token create`,
// users by `laminar user create`, a server started with them in its [auth] config. Every route of
// the route table (GET /v1/routes) refuses a request without credentials, and each scope is
// allowed exactly what it should be, over HTTP and over the PostgreSQL protocol (psql, psycopg2
// and pgJDBC with SCRAM-SHA-256); rate limits answer 429 with Retry-After and recover; the
// audit log holds the refusals and admin actions and no secret; a server without authentication
// refuses to listen beyond loopback unless --insecure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, tempDir, removeDir, startServer, sleep, postRaw } from './lib.mjs';

// What the test expects of each route. A route the server lists that is missing here fails the
// test: a new route must declare its policy in both places.
const EXPECTED = {
  'GET /healthz': 'public',
  'GET /': 'authenticated',
  'GET /v1/routes': 'authenticated',
  'POST /v1/query': 'query',
  'POST /v1/sql': 'authenticated',
  'POST /v1/streams/{stream}/events': 'ingest:{stream}',
  'POST /v1/firehose/{stream}': 'ingest:{stream}',
  'POST /v1/batch/run': 'admin',
  'POST /v1/verify': 'admin',
  'POST /v1/lake/attach': 'admin',
  'GET /v1/lake': 'query',
  'GET /v1/lake/{stream}': 'query',
  'GET /v1/streams': 'query',
  'GET /v1/views': 'query',
  'GET /v1/sources': 'query',
  'GET /metrics': 'query',
};

const PASSWORDS = { analyst: 'an4lyst-pw', loader: 'l0ader-pw', boss: 'b0ss-pw' };
let dir, srv, tokens = {}, configPath;

function cli(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8' });
  assert.equal(r.status, 0, `laminar ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// `laminar token create` prints the token, then its config entry.
function makeToken(name, scopes, extra = '') {
  const out = cli(['token', 'create', '--name', name, '--scopes', scopes]);
  const token = out.split('\n')[0];
  assert.match(token, /^lmr_[A-Za-z0-9_-]{43}$/);
  const entry = out.slice(out.indexOf('[[auth.tokens]]'));
  assert.ok(!entry.includes(token), 'the config entry must not hold the token');
  tokens[name] = token;
  return entry + extra;
}

before(async () => {
  dir = tempDir('laminar-security-');
  let config = '';
  config += makeToken('boss', 'admin');
  config += makeToken('reader', 'query');
  config += makeToken('feeder', 'ingest:pv');
  config += makeToken('other', 'ingest:other');
  config += makeToken('bare', 'query').replace('scopes = ["query"]', 'scopes = []');
  config += makeToken('limited', 'query', 'requests_per_second = 1\nrequests_burst = 3\n');
  config += makeToken('trickle', 'ingest:pv', 'events_per_second = 1\nevents_burst = 10\n');
  config += makeToken('hasty', 'query', 'query_timeout_seconds = 0.3\n');
  for (const [user, scopes] of [['analyst', 'query'], ['loader', 'ingest:pv'], ['boss', 'admin']]) {
    const entry = cli(['user', 'create', user, '--scopes', scopes], PASSWORDS[user] + '\n');
    assert.match(entry, /password = "SCRAM-SHA-256\$4096:/);
    config += entry;
  }
  configPath = path.join(dir, 'laminar.toml');
  fs.writeFileSync(configPath, config);
  srv = await startServer({ dataDir: path.join(dir, 'data'), args: ['--config', configPath, '--pg', '127.0.0.1:0'] });
  const r = await call('POST', '/v1/sql', 'boss', 'CREATE TABLE pv (ts timestamptz NOT NULL, n bigint); CREATE TABLE other (ts timestamptz NOT NULL)');
  assert.equal(r.status, 200, r.text);
});

after(async () => {
  await srv?.stop();
  removeDir(dir);
});

function headersFor(token, extra = {}) {
  return token ? { authorization: `Bearer ${tokens[token]}`, ...extra } : extra;
}

async function call(method, p, token, body, extra = {}) {
  const type = p === '/v1/sql' ? 'application/sql' : p.endsWith('/events') ? 'application/x-ndjson' : 'application/json';
  const headers = headersFor(token, method === 'POST' ? { 'content-type': type, ...extra } : extra);
  const r = await fetch(`${srv.url}${p}`, { method, headers, body: method === 'POST' ? body : undefined });
  const text = await r.text();
  return { status: r.status, text, headers: r.headers };
}

// A request for each route that its allowed callers can make successfully.
let firehoseId = 0;
function requestFor(method, pattern) {
  const p = pattern.replace('{stream}', 'pv');
  const now = new Date().toISOString();
  const bodies = {
    '/v1/query': JSON.stringify({ sql: 'SELECT count(*) FROM pv' }),
    '/v1/sql': 'SHOW TimeZone',  // needs no scope: the route's own policy decides
    '/v1/streams/pv/events': JSON.stringify({ ts: now, n: 1 }) + '\n',
    '/v1/firehose/pv': JSON.stringify({ requestId: `r${++firehoseId}`, timestamp: Date.now(),
                                        records: [{ data: Buffer.from(JSON.stringify({ ts: now, n: 2 })).toString('base64') }] }),
    '/v1/batch/run': '{}',
    '/v1/verify': '{}',
    '/v1/lake/attach': JSON.stringify({ stream: 'pv', path: '/tmp/laminar-security-no-such-file.parquet' }),
  };
  return { method, path: p, body: bodies[p] };
}

const ALLOWED = {
  public: () => true,
  authenticated: () => true,
  query: (t) => ['boss', 'reader', 'limited', 'hasty'].includes(t),
  'ingest:{stream}': (t) => ['boss', 'feeder', 'trickle'].includes(t),
  admin: (t) => t === 'boss',
};

test('every route declares its policy and refuses a request without credentials', async () => {
  const r = await call('GET', '/v1/routes', 'boss');
  assert.equal(r.status, 200, r.text);
  const routes = JSON.parse(r.text).routes;
  const listed = Object.fromEntries(routes.map((x) => [`${x.method} ${x.path}`, x.policy]));
  assert.deepEqual(listed, EXPECTED, 'the route table and this test disagree: declare the new route\'s policy here');
  for (const route of routes) {
    const q = requestFor(route.method, route.path);
    const got = await call(q.method, q.path, null, q.body);
    if (route.policy === 'public') {
      assert.equal(got.status, 200, `${q.method} ${q.path}`);
      assert.deepEqual(JSON.parse(got.text), { status: 'ok' }, 'liveness only, no details');
    } else {
      assert.equal(got.status, 401, `${q.method} ${q.path} without credentials: ${got.text}`);
      assert.equal(got.headers.get('www-authenticate'), 'Bearer realm="laminar"');
    }
    // A wrong token is refused the same way.
    const wrong = await fetch(`${srv.url}${q.path}`, { method: q.method, body: q.method === 'POST' ? q.body : undefined,
      headers: { authorization: `Bearer ${tokens.boss}x`, 'content-type': 'application/json' } });
    assert.equal(wrong.status, route.policy === 'public' ? 200 : 401, `${q.method} ${q.path} with a wrong token`);
  }
  // Paths that do not exist are 401 too without credentials (nothing to discover), 404 with them.
  assert.equal((await call('GET', '/v1/nothing', null)).status, 401);
  assert.equal((await call('GET', '/v1/nothing', 'bare')).status, 404);
});

test('scope matrix over HTTP routes', async () => {
  for (const [route, policy] of Object.entries(EXPECTED)) {
    const [method, pattern] = route.split(' ');
    for (const token of ['boss', 'reader', 'feeder', 'other', 'bare']) {
      const q = requestFor(method, pattern);
      const got = await call(q.method, q.path, token, q.body);
      if (ALLOWED[policy](token)) {
        assert.ok(![401, 403].includes(got.status), `${token} on ${route}: ${got.status} ${got.text}`);
        assert.ok(got.status < 500, `${token} on ${route}: ${got.status} ${got.text}`);
      } else {
        assert.equal(got.status, 403, `${token} on ${route}: ${got.text}`);
        assert.match(JSON.parse(got.text).error, /permission denied/);
        assert.equal(JSON.parse(got.text).sqlstate, '42501');
      }
    }
  }
  // The Firehose access key header carries a token too (Firehose sends no Authorization).
  const q = requestFor('POST', '/v1/firehose/{stream}');
  const key = await postRaw(`${srv.url}${q.path}`, q.body, { 'content-type': 'application/json', 'x-amz-firehose-access-key': tokens.feeder });
  assert.equal(key.status, 200, key.text);
  const wrongKey = await postRaw(`${srv.url}${q.path}`, q.body, { 'content-type': 'application/json', 'x-amz-firehose-access-key': tokens.reader });
  assert.equal(wrongKey.status, 403);
  // HTTP Basic with the token as the password (what a browser can send) works like Bearer.
  const basic = await fetch(`${srv.url}/v1/streams`, { headers: { authorization: `Basic ${Buffer.from(`x:${tokens.reader}`).toString('base64')}` } });
  assert.equal(basic.status, 200);
});

test('scope matrix over SQL statements on POST /v1/sql', async () => {
  const cases = [
    ['SELECT count(*) FROM pv', ['boss', 'reader']],
    [`INSERT INTO pv VALUES ('2026-01-01T00:00:00Z', 5)`, ['boss', 'feeder']],
    [`INSERT INTO other VALUES ('2026-01-01T00:00:00Z')`, ['boss', 'other']],
    ['INSERT INTO pv SELECT ts, 1 FROM other', ['boss']],  // reads too: ingest and query
    ['CREATE MATERIALIZED VIEW v AS SELECT count(*) AS c FROM pv', ['boss']],
    ['DROP MATERIALIZED VIEW v', ['boss']],
    ['SHOW TimeZone', ['boss', 'reader', 'feeder', 'other', 'bare']],
  ];
  for (const [sql, allowed] of cases) {
    for (const token of ['reader', 'feeder', 'other', 'bare', 'boss']) {
      const got = await call('POST', '/v1/sql', token, sql);
      if (allowed.includes(token)) assert.ok(![401, 403].includes(got.status), `${token}: ${sql}: ${got.text}`);
      else assert.equal(got.status, 403, `${token}: ${sql}: ${got.text}`);
    }
  }
  // All or nothing: a refused statement stops the request before the allowed ones run.
  const mixed = await call('POST', '/v1/sql', 'feeder', `INSERT INTO pv VALUES ('2030-01-01T00:00:00Z', 77); DROP TABLE pv`);
  assert.equal(mixed.status, 403);
  const count = await call('POST', '/v1/query', 'reader', JSON.stringify({ sql: 'SELECT count(*) FROM pv WHERE n = 77' }));
  assert.deepEqual(JSON.parse(count.text).rows, [[0]]);
  // current_user is the token's name.
  const me = await call('POST', '/v1/query', 'reader', JSON.stringify({ sql: 'SELECT current_user' }));
  assert.deepEqual(JSON.parse(me.text).rows, [['reader']]);
});

function psql(user, password, sql, input) {
  return spawnSync('psql', [`host=127.0.0.1 port=${srv.pgPort} user=${user} dbname=laminar sslmode=disable`, '-X', '-A', '-t',
                            '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8', input, env: { ...process.env, PGPASSWORD: password ?? '', PGCONNECT_TIMEOUT: '10' },
  });
}

test('psql authenticates with SCRAM-SHA-256 and each user is allowed what its scopes say', () => {
  const ok = psql('analyst', PASSWORDS.analyst, 'SELECT current_user');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), 'analyst');
  for (const [user, password] of [['analyst', 'wrong'], ['nobody', 'whatever']]) {
    const bad = psql(user, password, 'SELECT 1');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, new RegExp(`password authentication failed for user "${user}"`));
  }
  const none = psql('analyst', null, 'SELECT 1');
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /no password supplied|password authentication failed/);

  const matrix = [
    ['SELECT count(*) FROM pv', ['analyst', 'boss']],
    [`INSERT INTO pv VALUES ('2026-01-02T00:00:00Z', 9)`, ['loader', 'boss']],
    ['CREATE TABLE t2 (ts timestamptz NOT NULL)', ['boss']],
    ['DROP TABLE t2', ['boss']],
    ['SET search_path = public', ['analyst', 'loader', 'boss']],
  ];
  for (const [sql, allowed] of matrix) {
    for (const user of ['analyst', 'loader', 'boss']) {
      const r = psql(user, PASSWORDS[user], sql);
      if (allowed.includes(user)) assert.equal(r.status, 0, `${user}: ${sql}: ${r.stderr}`);
      else {
        assert.notEqual(r.status, 0, `${user}: ${sql} should be refused`);
        assert.match(r.stderr, /permission denied/, `${user}: ${sql}`);
      }
    }
  }
  // COPY FROM STDIN (psql \copy) is ingest; the reader may not load, the loader may.
  const rows = '2026-01-03T00:00:00Z\t1\n2026-01-03T00:00:01Z\t2\n';
  assert.equal(psql('loader', PASSWORDS.loader, '\\copy pv FROM STDIN', rows).status, 0);
  assert.match(psql('analyst', PASSWORDS.analyst, '\\copy pv FROM STDIN', rows).stderr, /permission denied/);
  // COPY TO STDOUT is a query.
  assert.equal(psql('analyst', PASSWORDS.analyst, '\\copy (SELECT 1) TO STDOUT').status, 0);
  assert.match(psql('loader', PASSWORDS.loader, '\\copy (SELECT 1) TO STDOUT').stderr, /permission denied/);
  // An EXECUTEd statement is checked when it runs.
  const prep = psql('analyst', PASSWORDS.analyst, `PREPARE p AS INSERT INTO pv VALUES ('2026-01-04T00:00:00Z', 3); EXECUTE p`);
  assert.match(prep.stderr, /permission denied/);
});

test('roles made in SQL: CREATE ROLE, GRANT, REVOKE, ALTER ROLE PASSWORD, DROP ROLE, kept across a restart', async () => {
  const boss = (sql) => psql('boss', PASSWORDS.boss, sql);
  const ok = (r, what) => assert.equal(r.status, 0, `${what}: ${r.stderr}`);
  const denied = (r, what) => { assert.notEqual(r.status, 0, `${what} should be refused`); assert.match(r.stderr, /permission denied/, what); };
  // Only admin may make roles.
  denied(psql('analyst', PASSWORDS.analyst, `CREATE ROLE sneaky LOGIN PASSWORD 'x'`), 'CREATE ROLE by analyst');
  ok(boss(`CREATE ROLE writer LOGIN PASSWORD 'wr1ter-pw'`), 'CREATE ROLE');
  ok(boss('GRANT INSERT ON pv TO writer'), 'GRANT INSERT');
  const writer = (sql, pw = 'wr1ter-pw') => psql('writer', pw, sql);
  ok(writer(`INSERT INTO pv VALUES ('2026-01-05T00:00:00Z', 11)`), 'INSERT by writer');
  denied(writer('SELECT count(*) FROM pv'), 'SELECT by writer before GRANT SELECT');
  ok(boss('GRANT SELECT ON ALL TABLES IN SCHEMA public TO writer'), 'GRANT SELECT');
  ok(writer('SELECT count(*) FROM pv'), 'SELECT by writer');
  ok(boss('REVOKE INSERT ON pv FROM writer'), 'REVOKE INSERT');
  denied(writer(`INSERT INTO pv VALUES ('2026-01-05T00:00:00Z', 12)`), 'INSERT after REVOKE');
  ok(boss(`ALTER ROLE writer PASSWORD 'n3w-pw'`), 'ALTER ROLE PASSWORD');
  assert.match(writer('SELECT 1').stderr, /password authentication failed for user "writer"/);
  ok(writer('SELECT 1', 'n3w-pw'), 'the new password');
  // A role without LOGIN cannot connect; SUPERUSER is admin.
  ok(boss(`CREATE ROLE nologin PASSWORD 'n0login-pw'`), 'CREATE ROLE without LOGIN');
  assert.match(psql('nologin', 'n0login-pw', 'SELECT 1').stderr, /password authentication failed/);
  ok(boss('ALTER ROLE writer SUPERUSER'), 'ALTER ROLE SUPERUSER');
  ok(writer('CREATE TABLE t3 (ts timestamptz NOT NULL); DROP TABLE t3', 'n3w-pw'), 'DDL by a superuser role');
  // What Laminar cannot map is refused by name.
  assert.match(boss('GRANT SELECT ON pv TO writer').stderr, /SELECT on single tables is not supported/);
  assert.match(boss('CREATE ROLE other2 CREATEDB').stderr, /role option createdb is not supported/);
  assert.match(boss(`CREATE ROLE other3 PASSWORD 'md5${'a'.repeat(32)}'`).stderr, /md5 passwords are not supported/);
  // Only the verifier is kept.
  const catalog = fs.readFileSync(path.join(dir, 'data', 'catalog'), 'utf8');
  assert.ok(!catalog.includes('n3w-pw') && !catalog.includes('wr1ter-pw'), 'a password in the catalog file');
  assert.match(catalog, /SCRAM-SHA-256\$4096:/);
  const audit = fs.readFileSync(path.join(dir, 'data', 'audit.log'), 'utf8');
  assert.match(audit, /"who":"boss".*"what":"CREATE ROLE"/);
  assert.ok(!audit.includes('n3w-pw'), 'a password in the audit log');
  // Kept across a restart.
  await srv.stop();
  srv = await startServer({ dataDir: path.join(dir, 'data'), args: ['--config', configPath, '--pg', '127.0.0.1:0'] });
  ok(writer('SELECT count(*) FROM pv', 'n3w-pw'), 'the role after a restart');
  ok(boss('DROP ROLE writer, nologin'), 'DROP ROLE');
  assert.match(writer('SELECT 1', 'n3w-pw').stderr, /password authentication failed/);
});

test('psycopg2 and pgJDBC authenticate with SCRAM-SHA-256', () => {
  const py = spawnSync('/usr/bin/python3', ['-c', `
import sys, psycopg2
port = int(sys.argv[1])
c = psycopg2.connect(host="127.0.0.1", port=port, user="analyst", password="${PASSWORDS.analyst}", dbname="laminar", sslmode="disable")
cur = c.cursor(); cur.execute("SELECT current_user"); print(cur.fetchone()[0])
try:
    psycopg2.connect(host="127.0.0.1", port=port, user="analyst", password="nope", dbname="laminar", sslmode="disable")
    print("connected with a wrong password")
except psycopg2.OperationalError as e:
    print("refused:", str(e).strip().splitlines()[-1])
`, String(srv.pgPort)], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  assert.match(py.stdout, /^analyst\nrefused: .*password authentication failed for user "analyst"/);

  const javaDir = tempDir('laminar-jdbc-auth-');
  try {
    const src = path.join(javaDir, 'JdbcAuth.java');
    fs.writeFileSync(src, `
import java.sql.*;
public class JdbcAuth {
  public static void main(String[] a) throws Exception {
    for (String pw : new String[] {a[1], "nope"}) {
      try (Connection c = DriverManager.getConnection(a[0], "analyst", pw);
           ResultSet r = c.createStatement().executeQuery("SELECT current_user")) {
        r.next();
        System.out.println("user " + r.getString(1));
      } catch (SQLException e) {
        System.out.println("refused " + e.getSQLState());
      }
    }
  }
}`);
    const url = `jdbc:postgresql://127.0.0.1:${srv.pgPort}/laminar?sslmode=disable`;
    const j = spawnSync('java', ['-cp', '/usr/share/java/postgresql.jar', src, url, PASSWORDS.analyst], { encoding: 'utf8' });
    assert.equal(j.status, 0, j.stderr);
    assert.equal(j.stdout, 'user analyst\nrefused 28P01\n');
  } finally {
    removeDir(javaDir);
  }
});

test('rate limits: at limit - 1, limit and limit + 1, then recovery', async () => {
  // requests_per_second = 1, requests_burst = 3.
  for (let i = 1; i <= 3; i++) assert.equal((await call('GET', '/v1/streams', 'limited')).status, 200, `request ${i}`);
  const refused = await call('GET', '/v1/streams', 'limited');
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('retry-after'), '1');
  assert.match(JSON.parse(refused.text).error, /requests_per_second = 1/);
  assert.equal((await call('GET', '/v1/streams', 'reader')).status, 200, 'another token is not limited');
  await sleep(1100);
  assert.equal((await call('GET', '/v1/streams', 'limited')).status, 200, 'recovered');

  // events_per_second = 1, events_burst = 10.
  const events = (n) => Array.from({ length: n }, (_, i) => JSON.stringify({ ts: new Date(Date.UTC(2026, 1, 1, 0, 0, i)).toISOString(), n: i })).join('\n') + '\n';
  assert.equal((await call('POST', '/v1/streams/pv/events', 'trickle', events(9))).status, 200);   // limit - 1
  assert.equal((await call('POST', '/v1/streams/pv/events', 'trickle', events(1))).status, 200);   // limit
  const over = await call('POST', '/v1/streams/pv/events', 'trickle', events(1));                  // limit + 1
  assert.equal(over.status, 429, over.text);
  assert.equal(over.headers.get('retry-after'), '1');
  assert.match(JSON.parse(over.text).error, /events_per_second = 1/);
  await sleep(1100);
  assert.equal((await call('POST', '/v1/streams/pv/events', 'trickle', events(1))).status, 200, 'recovered');
});

test('a token\'s own query time limit', async () => {
  const slow = 'SELECT count(*) FROM generate_series(1, 200000000) g';
  const r = await call('POST', '/v1/query', 'hasty', JSON.stringify({ sql: slow }));
  assert.equal(r.status, 408, r.text);
  assert.match(JSON.parse(r.text).error, /statement timeout/);
});

test('the audit log holds refusals, failures and admin actions, and no secret', async () => {
  const text = fs.readFileSync(path.join(dir, 'data', 'audit.log'), 'utf8');
  const lines = text.trim().split('\n').map((l) => JSON.parse(l));
  const has = (pred, what) => assert.ok(lines.some(pred), `no audit line for ${what}`);
  has((l) => l.event === 'auth_failure' && l.protocol === 'http' && l.outcome.startsWith('401'), 'an HTTP authentication failure');
  has((l) => l.event === 'auth_failure' && l.protocol === 'pg' && l.who === 'nobody', 'a PostgreSQL authentication failure');
  has((l) => l.event === 'denied' && l.who === 'reader' && l.protocol === 'http', 'an HTTP refusal');
  has((l) => l.event === 'denied' && l.who === 'loader' && l.protocol === 'pg', 'a PostgreSQL refusal');
  has((l) => l.event === 'rate_limited' && l.who === 'limited', 'a rate limit');
  has((l) => l.event === 'admin' && l.who === 'boss' && l.what === 'POST /v1/batch/run', 'an admin route');
  has((l) => l.event === 'admin' && l.who === 'boss' && l.what.includes('CREATE TABLE'), 'a DDL statement');
  for (const l of lines) {
    assert.ok(l.time && l.from, JSON.stringify(l));
  }
  for (const secret of [...Object.values(tokens), ...Object.values(PASSWORDS)]) {
    assert.ok(!text.includes(secret), 'a secret in the audit log');
    assert.ok(!srv.output().includes(secret), 'a secret in the server output');
  }
});

test('without authentication the server listens on loopback only, unless --insecure', async () => {
  const d = tempDir('laminar-insecure-');
  try {
    const refused = spawnSync(BIN, ['serve', '--data-dir', path.join(d, 'a'), '--http', '0.0.0.0:0', '--pg', 'off'], { encoding: 'utf8', timeout: 30000 });
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /refusing to listen \(HTTP on 0\.0\.0\.0:0\) without authentication/);
    const pg = spawnSync(BIN, ['serve', '--data-dir', path.join(d, 'b'), '--pg', '0.0.0.0:0', '--http', '127.0.0.1:0'], { encoding: 'utf8', timeout: 30000 });
    assert.notEqual(pg.status, 0);
    assert.match(pg.stderr, /PostgreSQL on 0\.0\.0\.0:0/);
    const open = await startServer({ dataDir: path.join(d, 'c'), args: ['--insecure', '--pg', 'off'] });
    try {
      assert.match(open.output(), /authentication is OFF and --insecure is given/);
      assert.equal((await fetch(`${open.url}/v1/streams`)).status, 200);
    } finally {
      await open.stop();
    }
  } finally {
    removeDir(d);
  }
});
