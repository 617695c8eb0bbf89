// Encryption at rest ([encryption], objstore/encrypted_store.h): with a key the lake's Parquet
// files and manifests and the batch view versions on disk are ciphertext — no Parquet magic, no
// event text —, the server answers the same before and after a restart with the key, and refuses
// to start without it or with another key, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, tempDir, removeDir, startServer, postJson, ndjson } from './lib.mjs';

function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

test('lake files, manifests and views are encrypted and read back only with the key', async () => {
  const dir = tempDir('laminar-encryption-');
  const data = path.join(dir, 'data');
  const config = path.join(dir, 'laminar.toml');
  fs.writeFileSync(config, '[encryption]\nkey_env = "LAMINAR_TEST_KEY"\n');
  const key = crypto.randomBytes(32).toString('base64');
  const env = { LAMINAR_TEST_KEY: key };
  let srv = await startServer({ dataDir: data, args: ['--config', config, '--pg', 'off'], env });
  try {
    let r = await srv.sql(`CREATE TABLE pv (ts timestamptz NOT NULL, url text, n bigint);
                           CREATE MATERIALIZED VIEW by_url AS SELECT url, count(*) AS c, sum(n) AS s FROM pv GROUP BY url`);
    assert.equal(r.status, 200, r.text);
    const events = Array.from({ length: 500 }, (_, i) => ({
      ts: new Date(Date.UTC(2026, 0, 1, i % 5)).toISOString(), url: `https://very-secret.example/${i % 7}`, n: i }));
    r = await srv.ingest('pv', ndjson(events));
    assert.equal(r.status, 200, r.text);
    r = await postJson(`${srv.url}/v1/batch/run`, {});
    assert.equal(r.status, 200, r.text);
    const viewQuery = 'SELECT url, c, s FROM by_url ORDER BY url';
    const rawQuery = 'SELECT count(*), sum(n), min(url) FROM pv';
    const before = [(await srv.query(viewQuery)).json.rows, (await srv.query(rawQuery)).json.rows];
    assert.equal(before[0].length, 7);
    assert.deepEqual(before[1], [[500, 124750, 'https://very-secret.example/0']]);

    const stored = [...filesUnder(path.join(data, 'lake')), ...filesUnder(path.join(data, 'views'))]
      .filter((f) => !path.basename(f).startsWith('.'));
    assert.ok(stored.some((f) => f.endsWith('.parquet')), `no Parquet file: ${stored}`);
    for (const f of stored) {
      const bytes = fs.readFileSync(f);
      assert.equal(bytes.subarray(0, 5).toString('latin1'), 'LMRE\x01', `${f} is not encrypted`);
      assert.ok(!bytes.includes('very-secret'), `${f} holds event text`);
      assert.ok(!bytes.includes('PAR1'), `${f} holds Parquet's magic`);
    }
    await srv.stop();

    srv = await startServer({ dataDir: data, args: ['--config', config, '--pg', 'off'], env });
    assert.deepEqual([(await srv.query(viewQuery)).json.rows, (await srv.query(rawQuery)).json.rows], before);
    await srv.stop();
    srv = null;

    const run = (args, extraEnv) => spawnSync(BIN, ['serve', '--data-dir', data, '--http', '127.0.0.1:0', '--pg', 'off', ...args],
                                              { encoding: 'utf8', timeout: 60000, env: { ...process.env, ...extraEnv } });
    const without = run([], {});
    assert.notEqual(without.status, 0, 'started without the key');
    assert.match(without.stderr, /is encrypted and no \[encryption\] key is configured/);
    const wrong = run(['--config', config], { LAMINAR_TEST_KEY: crypto.randomBytes(32).toString('base64') });
    assert.notEqual(wrong.status, 0, 'started with another key');
    assert.match(wrong.stderr, /does not decrypt: the \[encryption\] key is not the one it was written with/);
    assert.ok(!wrong.stderr.includes(key));
  } finally {
    await srv?.stop();
    removeDir(dir);
  }
});
