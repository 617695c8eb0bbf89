// The command line: version, gen, serve --catalog (applied again at every start), ingest and
// query against a running server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, startServer, tempDir, removeDir } from './lib.mjs';

test('laminar version prints the version', () => {
  const out = execFileSync(BIN, ['version']).toString();
  assert.match(out, /^laminar \d+\.\d+\.\d+/);
});

test('laminar gen is deterministic per seed and prints pageview NDJSON', () => {
  const args = ['gen', 'pageviews', '--events', '200', '--seed', '7', '--start', '2024-05-01T00:00:00Z', '--rate', '100'];
  const a = execFileSync(BIN, args).toString();
  const b = execFileSync(BIN, args).toString();
  assert.equal(a, b);
  const lines = a.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 200);
  for (const k of ['ts', 'user_id', 'url', 'country', 'device', 'status', 'latency_ms', 'bytes']) assert.ok(k in lines[0], k);
  assert.ok(lines[0].ts.startsWith('2024-05-01T00:00'));
  const c = execFileSync(BIN, [...args.slice(0, 5), '8', ...args.slice(6)]).toString();
  assert.notEqual(a, c);
});

test('serve --catalog, laminar ingest and laminar query work together, also after a restart', async () => {
  const dir = tempDir();
  const catalog = path.join(dir, 'catalog.sql');
  const ddl = execFileSync(BIN, ['gen', 'pageviews', '--ddl']).toString();
  writeFileSync(catalog, `${ddl}
    CREATE MATERIALIZED VIEW by_country AS SELECT country, count(*) AS views, avg(latency_ms) AS latency
      FROM pageviews GROUP BY country;`);
  const events = path.join(dir, 'events.ndjson');
  writeFileSync(events, execFileSync(BIN, ['gen', 'pageviews', '--events', '5000', '--seed', '1', '--start', '2024-05-01T00:00:00Z'], { maxBuffer: 64 << 20 }));
  let srv = await startServer({ dataDir: path.join(dir, 'data'), args: ['--catalog', catalog] });
  try {
    const ing = spawnSync(BIN, ['ingest', 'pageviews', events, '--http', `127.0.0.1:${srv.port}`, '--batch', '700']);
    assert.equal(ing.status, 0, ing.stderr.toString());
    assert.match(ing.stderr.toString(), /5000 accepted, 0 rejected/);
    const q = spawnSync(BIN, ['query', 'SELECT sum(views) AS total FROM by_country', '--http', `127.0.0.1:${srv.port}`]);
    assert.equal(q.status, 0, q.stderr.toString());
    assert.match(q.stdout.toString(), /total/);
    assert.match(q.stdout.toString(), /5000/);
    assert.match(q.stdout.toString(), /\(1 row\)/);
    const csv = spawnSync(BIN, ['query', 'SELECT count(*) FROM by_country', '--format', 'csv', '--http', `127.0.0.1:${srv.port}`]);
    assert.match(csv.stdout.toString(), /^count\r\n\d+\r\n$/);
    const bad = spawnSync(BIN, ['query', 'SELECT nope FROM by_country', '--http', `127.0.0.1:${srv.port}`]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr.toString(), /column "nope" does not exist/);

    // The same catalog file at the next start is not an error, and the data is still there.
    await srv.stop();
    srv = await startServer({ dataDir: path.join(dir, 'data'), args: ['--catalog', catalog] });
    const again = await srv.query('SELECT sum(views) FROM by_country');
    assert.deepEqual(again.json.rows, [[5000]]);
  } finally {
    await srv.stop();
    removeDir(dir);
  }
});

test('a bad config file is refused with the key named', async () => {
  const dir = tempDir();
  const cfg = path.join(dir, 'bad.toml');
  writeFileSync(cfg, '[log]\ndurabilty = "none"\n');
  const r = spawnSync(BIN, ['serve', '--data-dir', dir, '--http', '127.0.0.1:0', '--config', cfg]);
  assert.equal(r.status, 1);
  assert.match(r.stderr.toString(), /durabilty/);
  removeDir(dir);
});
