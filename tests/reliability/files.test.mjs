// Server-side files a client names (COPY table FROM '/path', POST /v1/lake/attach) are confined to
// the import directories (default DATA_DIR/import): no client reads /etc/shadow, hangs a thread
// on a FIFO or fills memory from /dev/zero. A server with its default settings, as shipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, symlinkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, removeDir, postJson } from '../e2e/lib.mjs';

let srv, dir, importDir;

before(async () => {
  dir = tempDir('laminar-files-');
  srv = await startServer({ dataDir: dir, importDirs: [] });  // the default: DATA_DIR/import
  importDir = path.join(dir, 'import');
  let r = await srv.sql("CREATE TABLE t (a text) WITH (kind = 'dimension'); CREATE TABLE ev (ts timestamptz NOT NULL, a text)");
  assert.equal(r.status, 200, r.text);
});
after(async () => {
  await srv?.stop();
  if (dir) removeDir(dir);
});

const copy = (p, opts = 'WITH (FORMAT csv)') => srv.sql(`COPY t FROM '${p}' ${opts}`);

test('files outside the import directory are refused with 403 / 42501, saying nothing about them', async () => {
  for (const p of ['/etc/passwd', '/etc/shadow', '/nonexistent/file.csv', `${importDir}/../catalog`, '/dev/zero', '/proc/self/environ']) {
    const r = await copy(p);
    assert.equal(r.status, 403, `${p}: ${r.text}`);
    assert.equal(r.json.sqlstate, '42501', r.text);
    assert.match(r.json.error, /is not in an import directory/);
    assert.doesNotMatch(r.json.error, /root:|does not exist/, 'no content and no existence leaks');
  }
  const a = await postJson(`${srv.url}/v1/lake/attach`, { stream: 'ev', path: '/dev/zero' });
  assert.equal(a.status, 403, a.text);
  const rel = await copy('relative.csv');
  assert.equal(rel.status, 400);
  assert.match(rel.json.error, /must be an absolute path/);
});

test('inside the import directory: regular files load; links out, FIFOs and directories are refused at once', async () => {
  writeFileSync(path.join(importDir, 'ok.csv'), 'x\ny\n');
  let r = await copy(path.join(importDir, 'ok.csv'));
  assert.equal(r.status, 200, r.text);
  assert.equal((await srv.query('SELECT count(*) FROM t')).json.rows[0][0], 2);
  symlinkSync('/etc/passwd', path.join(importDir, 'passwd.csv'));
  r = await copy(path.join(importDir, 'passwd.csv'));
  assert.equal(r.status, 403, r.text);
  assert.equal(spawnSync('mkfifo', [path.join(importDir, 'fifo.csv')]).status, 0);
  const started = Date.now();
  r = await copy(path.join(importDir, 'fifo.csv'));
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.error, /not a regular file/);
  assert.ok(Date.now() - started < 5000, 'a FIFO never blocks the request');
  mkdirSync(path.join(importDir, 'sub'));
  r = await copy(path.join(importDir, 'sub'));
  assert.match(r.json.error, /is a directory/);
  r = await copy(path.join(importDir, 'missing.csv'));
  assert.equal(r.json.sqlstate, '58P01', r.text);
  assert.match(r.json.error, /does not exist/);
  // The table is still the one loaded first.
  assert.equal((await srv.query('SELECT count(*) FROM t')).json.rows[0][0], 2);
});
