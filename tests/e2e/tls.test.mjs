// TLS on the PostgreSQL protocol and HTTP, as clients meet it: a test CA and server certificate made with
// the openssl CLI, `[tls] required = true`, users with SCRAM. psql, psycopg2 and pgJDBC connect
// with sslmode=verify-full; a client trusting another CA, and a plain connection, are refused with
// the right errors; SIGHUP swaps the certificate for new connections while an open one goes on,
// and a broken certificate file on SIGHUP keeps the old one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, tempDir, removeDir, startServer, waitFor } from './lib.mjs';

const PASSWORD = 'tls-pw-1';
let dir, srv, token;

function openssl(args, input) {
  const r = spawnSync('openssl', args, { encoding: 'utf8', input, cwd: dir });
  assert.equal(r.status, 0, `openssl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// A CA (name.pem, name.key).
function makeCa(name) {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`,
           '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=Laminar test ${name}`]);
}

// A server certificate for localhost and 127.0.0.1 signed by `ca`, written as `out`.pem/.key.
function makeServerCert(ca, out) {
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${out}.key`,
           '-out', `${out}.csr`, '-subj', '/CN=localhost']);
  openssl(['x509', '-req', '-in', `${out}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
           '-out', `${out}.pem`, '-days', '2', '-extfile', 'san.ext']);
}

const file = (name) => path.join(dir, name);

before(async () => {
  dir = tempDir('laminar-tls-');
  makeCa('ca');
  makeCa('otherca');
  makeServerCert('ca', 'first');
  makeServerCert('ca', 'second');
  fs.copyFileSync(file('first.pem'), file('server.pem'));
  fs.copyFileSync(file('first.key'), file('server.key'));
  const user = spawnSync(BIN, ['user', 'create', 'analyst', '--scopes', 'query'], { input: PASSWORD + '\n', encoding: 'utf8' });
  assert.equal(user.status, 0, user.stderr);
  const made = spawnSync(BIN, ['token', 'create', '--name', 'reader', '--scopes', 'query'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  token = made.stdout.split('\n')[0];
  const tokenEntry = made.stdout.slice(made.stdout.indexOf('[[auth.tokens]]'));
  fs.writeFileSync(file('laminar.toml'), `[tls]\ncert_file = "${file('server.pem')}"\nkey_file = "${file('server.key')}"\n` +
    `required = true\n${user.stdout}${tokenEntry}`);
  srv = await startServer({ dataDir: file('data'), args: ['--config', file('laminar.toml'), '--pg', '127.0.0.1:0'], health: false });
});

after(async () => {
  await srv?.stop();
  removeDir(dir);
});

function conninfo(extra) {
  return `host=localhost hostaddr=127.0.0.1 port=${srv.pgPort} user=analyst dbname=laminar ${extra}`;
}

function psql(extra, sql) {
  return spawnSync('psql', [conninfo(extra), '-X', '-A', '-t', '-c', sql], {
    encoding: 'utf8', env: { ...process.env, PGPASSWORD: PASSWORD, PGCONNECT_TIMEOUT: '10' },
  });
}

// The PEM certificate a new TLS connection is shown (openssl speaks PostgreSQL's SSLRequest).
function servedCertificate(protocol = 'pg') {
  const args = protocol === 'pg' ? ['-starttls', 'postgres', '-connect', `127.0.0.1:${srv.pgPort}`]
                                 : ['-connect', `127.0.0.1:${srv.port}`];
  const r = spawnSync('openssl', ['s_client', ...args], { input: '', encoding: 'utf8', timeout: 20000 });
  const m = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(r.stdout);
  assert.ok(m, `no certificate from s_client: ${r.stdout}\n${r.stderr}`);
  return m[0];
}
const pemOf = (name) => /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(fs.readFileSync(file(name), 'utf8'))[0];

test('psql connects with sslmode=verify-full against the test CA', () => {
  const r = psql(`sslmode=verify-full sslrootcert=${file('ca.pem')}`, 'SELECT current_user');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'analyst');
  const info = spawnSync('psql', [conninfo(`sslmode=verify-full sslrootcert=${file('ca.pem')}`), '-X', '-c', '\\conninfo'],
                         { encoding: 'utf8', env: { ...process.env, PGPASSWORD: PASSWORD } });
  assert.match(info.stdout, /SSL connection \(protocol: TLSv1\.[23]/, info.stdout + info.stderr);
});

test('a client trusting another CA, and a plain connection, are refused', () => {
  const wrongCa = psql(`sslmode=verify-full sslrootcert=${file('otherca.pem')}`, 'SELECT 1');
  assert.notEqual(wrongCa.status, 0);
  assert.match(wrongCa.stderr, /certificate verify failed/);
  const plain = psql('sslmode=disable', 'SELECT 1');
  assert.notEqual(plain.status, 0);
  assert.match(plain.stderr, /TLS is required/);
  const wrongPassword = spawnSync('psql', [conninfo(`sslmode=verify-full sslrootcert=${file('ca.pem')}`), '-X', '-c', 'SELECT 1'],
                                  { encoding: 'utf8', env: { ...process.env, PGPASSWORD: 'nope' } });
  assert.match(wrongPassword.stderr, /password authentication failed for user "analyst"/);
  const audit = fs.readFileSync(file('data/audit.log'), 'utf8');
  assert.match(audit, /a plain connection where TLS is required/);
});

const LIBPQ = process.env.LAMINAR_LIBPQ_CLIENT;
test('a libpq program over verify-full: queries, and a cancel request (sent unencrypted) still taken', {
  skip: !LIBPQ && 'LAMINAR_LIBPQ_CLIENT is not set (ctest sets it)',
}, () => {
  const r = spawnSync(LIBPQ, [conninfo(`sslmode=verify-full sslrootcert=${file('ca.pem')}`), 'cancel'],
                      { encoding: 'utf8', timeout: 60000, env: { ...process.env, PGPASSWORD: PASSWORD } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^cancel: sqlstate 57014: canceling statement due to user request$/m);
  assert.match(r.stdout, /^finish: ok$/m);
});

test('psycopg2 and pgJDBC connect with verify-full', () => {
  const py = spawnSync('/usr/bin/python3', ['-c', `
import sys, psycopg2
c = psycopg2.connect(host="localhost", hostaddr="127.0.0.1", port=int(sys.argv[1]), user="analyst", password="${PASSWORD}",
                     dbname="laminar", sslmode="verify-full", sslrootcert=sys.argv[2])
cur = c.cursor(); cur.execute("SELECT current_user"); print(cur.fetchone()[0], c.info.ssl_in_use)
`, String(srv.pgPort), file('ca.pem')], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  assert.equal(py.stdout, 'analyst True\n');

  const src = file('JdbcTls.java');
  fs.writeFileSync(src, `
import java.sql.*;
public class JdbcTls {
  public static void main(String[] a) throws Exception {
    try (Connection c = DriverManager.getConnection(a[0], "analyst", a[1]);
         ResultSet r = c.createStatement().executeQuery("SELECT current_user")) {
      r.next();
      System.out.println("user " + r.getString(1));
    }
    try (Connection c = DriverManager.getConnection(a[2], "analyst", a[1])) {
      System.out.println("connected despite the wrong CA");
    } catch (SQLException e) {
      System.out.println("refused " + e.getSQLState());
    }
  }
}`);
  const url = (ca) => `jdbc:postgresql://localhost:${srv.pgPort}/laminar?sslmode=verify-full&sslrootcert=${ca}`;
  const j = spawnSync('java', ['-cp', '/usr/share/java/postgresql.jar', src, url(file('ca.pem')), PASSWORD, url(file('otherca.pem'))],
                      { encoding: 'utf8' });
  assert.equal(j.status, 0, j.stderr);
  assert.equal(j.stdout, 'user analyst\nrefused 08006\n');
});

// curl over HTTPS, trusting `ca`, resolving localhost to the server's loopback address.
function curl(ca, p, extra = []) {
  return spawnSync('curl', ['-sS', '--cacert', file(ca), '--resolve', `localhost:${srv.port}:127.0.0.1`,
                            `https://localhost:${srv.port}${p}`, ...extra], { encoding: 'utf8', timeout: 30000 });
}

test('HTTPS with the same certificate; plain HTTP refused when TLS is required', async () => {
  const health = curl('ca.pem', '/healthz');
  assert.equal(health.status, 0, health.stderr);
  assert.deepEqual(JSON.parse(health.stdout), { status: 'ok' });
  const wrongCa = curl('otherca.pem', '/healthz');
  assert.equal(wrongCa.status, 60, 'curl: the peer certificate cannot be authenticated');
  // A streamed answer (written synchronously through TLS) arrives whole.
  const rows = curl('ca.pem', '/v1/query', ['-H', 'content-type: application/json', '-H', `authorization: Bearer ${token}`, '-d',
                                           JSON.stringify({ sql: 'SELECT g FROM generate_series(1, 50000) g', stream: true }),
                                           // then a second request on the same (kept-alive) connection
                                           '--next', '--cacert', file('ca.pem'), '--resolve', `localhost:${srv.port}:127.0.0.1`,
                                           '-w', '\n%{num_connects}\n', `https://localhost:${srv.port}/healthz`]);
  assert.equal(rows.status, 0, rows.stderr);
  const lines = rows.stdout.trim().split('\n');
  assert.deepEqual(lines.splice(-2), ['{"status":"ok"}', '0'], 'the second request reused the connection');
  assert.equal(lines.length, 50002);
  assert.deepEqual(JSON.parse(lines.at(-1)).row_count, 50000);
  const plain = await fetch(`${srv.url}/healthz`);
  assert.equal(plain.status, 400);
  assert.match((await plain.json()).error, /TLS is required/);
  assert.match(fs.readFileSync(file('data/audit.log'), 'utf8'), /"protocol":"http".*a plain connection where TLS is required/);
});

test('SIGHUP reloads the certificate; open connections go on; a broken file keeps the old one', async () => {
  assert.equal(servedCertificate(), pemOf('first.pem'));
  // A connection that stays open across the reload.
  const held = spawn('/usr/bin/python3', ['-u', '-c', `
import sys, psycopg2
c = psycopg2.connect(host="localhost", hostaddr="127.0.0.1", port=int(sys.argv[1]), user="analyst", password="${PASSWORD}",
                     dbname="laminar", sslmode="verify-full", sslrootcert=sys.argv[2])
print("connected", flush=True)
sys.stdin.readline()
cur = c.cursor(); cur.execute("SELECT 41 + 1"); print("after reload", cur.fetchone()[0], flush=True)
`, String(srv.pgPort), file('ca.pem')], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  held.stdout.on('data', (d) => (out += d));
  held.stderr.on('data', (d) => (out += d));
  const done = new Promise((resolve) => held.on('exit', resolve));
  await waitFor('the held connection', () => ({ ok: out.includes('connected'), out }), 20000);

  fs.copyFileSync(file('second.pem'), file('server.pem'));
  fs.copyFileSync(file('second.key'), file('server.key'));
  srv.proc.kill('SIGHUP');
  await waitFor('the new certificate', () => ({ ok: servedCertificate() === pemOf('second.pem') }), 20000);
  assert.equal(servedCertificate('http'), pemOf('second.pem'));
  held.stdin.write('go\n');
  assert.equal(await done, 0, out);
  assert.match(out, /after reload 42/);
  assert.equal(psql(`sslmode=verify-full sslrootcert=${file('ca.pem')}`, 'SELECT 1').status, 0);

  fs.writeFileSync(file('server.pem'), 'not a certificate\n');
  srv.proc.kill('SIGHUP');
  await waitFor('the reload error', () => ({ ok: /the TLS certificate was not reloaded/.test(srv.output()) }), 20000);
  assert.equal(servedCertificate(), pemOf('second.pem'));
  assert.equal(servedCertificate('http'), pemOf('second.pem'));
  const still = psql(`sslmode=verify-full sslrootcert=${file('ca.pem')}`, 'SELECT current_user');
  assert.equal(still.status, 0, still.stderr);
});
