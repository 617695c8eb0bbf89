// A browser cannot be turned against a local server: requests whose Host is not one of the
// server's names are refused (DNS rebinding), every state-changing POST needs a content type or
// header that a web page cannot send to another origin without a CORS preflight (cross-site request
// forgery), no permissive CORS header is ever sent, and an unknown Transfer-Encoding is refused
// instead of letting its body be read as a second request (smuggling).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, tempDir, removeDir, postRaw, ndjson } from '../e2e/lib.mjs';

let srv, dir;
before(async () => {
  dir = tempDir('laminar-browser-');
  srv = await startServer({ dataDir: dir });
  const r = await srv.sql('CREATE TABLE ev (ts timestamptz NOT NULL, n bigint)');
  assert.equal(r.status, 200, r.text);
});
after(async () => {
  await srv?.stop();
  if (dir) removeDir(dir);
});

// One raw HTTP exchange (fetch() will not let a test set Host).
function raw(request) {
  return new Promise((resolve, reject) => {
    const s = net.connect(srv.port, '127.0.0.1', () => s.write(request));
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
    setTimeout(() => s.end(), 2000);
  });
}

test('a Host that is not the server\'s name is refused (DNS rebinding); localhost and IP literals pass', async () => {
  let out = await raw('GET /v1/streams HTTP/1.1\r\nHost: attacker.example:8080\r\nConnection: close\r\n\r\n');
  assert.match(out, /^HTTP\/1\.1 403/);
  assert.match(out, /allowed_hosts/);
  assert.doesNotMatch(out, /"ev"/, 'nothing of the server is read');
  for (const host of ['localhost:8080', '127.0.0.1', '[::1]:8080']) {
    out = await raw(`GET /v1/streams HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    assert.match(out, /^HTTP\/1\.1 200/, host);
  }
});

test('state-changing POSTs a web page could forge are refused with 415; the documented clients pass', async () => {
  const forged = [
    ['/v1/sql', 'DROP TABLE ev', 'text/plain'],
    ['/v1/sql', 'DROP TABLE ev', 'application/x-www-form-urlencoded'],
    ['/v1/streams/ev/events', '{"ts":"2024-01-01T00:00:00Z","n":1}', 'text/plain'],
    ['/v1/streams/ev/events', 'a=1', 'multipart/form-data; boundary=x'],
    ['/v1/batch/run', '', ''],
    ['/v1/lake/attach', '{"stream":"ev","path":"/tmp/x.parquet"}', 'text/plain'],
  ];
  for (const [p, body, type] of forged) {
    const headers = type ? { 'content-type': type } : {};
    const r = await postRaw(`${srv.url}${p}`, body, headers);
    assert.equal(r.status, 415, `${p} ${type}: ${r.text}`);
    assert.match(r.json.error, /a web page could send it from any site/);
  }
  assert.equal((await srv.query('SELECT count(*) FROM ev')).status, 200, 'the stream was not dropped');
  // What the CLI, the docs' curl lines and programs send.
  assert.equal((await postRaw(`${srv.url}/v1/sql`, 'SELECT 1', { 'content-type': 'application/sql' })).status, 200);
  assert.equal((await srv.ingest('ev', ndjson([{ ts: '2024-01-01T00:00:00Z', n: 1 }]))).status, 200);
  assert.equal((await postRaw(`${srv.url}/v1/batch/run`, '', { 'x-laminar-client': '1' })).status, 200);
  assert.equal((await postRaw(`${srv.url}/v1/batch/run`, '{}', { 'content-type': 'application/json' })).status, 200);
  // A query changes nothing: a form-encoded curl -d works.
  assert.equal((await postRaw(`${srv.url}/v1/query`, '{"sql": "SELECT 1"}', { 'content-type': 'application/x-www-form-urlencoded' })).status, 200);
});

test('no CORS: a preflight is not granted and answers carry no Access-Control-Allow-Origin', async () => {
  const pre = await fetch(`${srv.url}/v1/sql`, {
    method: 'OPTIONS',
    headers: { origin: 'https://attacker.example', 'access-control-request-method': 'POST' },
  });
  assert.notEqual(pre.status, 200);
  assert.equal(pre.headers.get('access-control-allow-origin'), null);
  const r = await fetch(`${srv.url}/v1/streams`, { headers: { origin: 'https://attacker.example' } });
  assert.equal(r.headers.get('access-control-allow-origin'), null);
});

test('an unknown Transfer-Encoding is 501 and its body never runs as a request', async () => {
  const out = await raw('POST /v1/sql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sql\r\n' +
    'Transfer-Encoding: xchunked\r\n\r\nPOST /v1/sql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sql\r\n' +
    'Content-Length: 13\r\n\r\nDROP TABLE ev');
  assert.match(out, /^HTTP\/1\.1 501/);
  assert.equal((out.match(/HTTP\/1\.1 /g) || []).length, 1, 'one answer: the smuggled request was not read');
  assert.equal((await srv.query('SELECT count(*) FROM ev')).status, 200, 'the stream still exists');
});
