// A full disk: the data directory on a small tmpfs, filled up. Ingest is answered 507 with a clear
// message and nothing is acknowledged; once space is back, ingest works again without a restart,
// and every acknowledged event is there (also after a restart). Needs root for the mount (CI and
// the development machine run as root); without it the test says so and is skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, ndjson } from '../e2e/lib.mjs';

function mountTmpfs(mb) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'laminar-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return { dir, error: (r.stderr || '').trim() || `mount exited ${r.status}` };
  return { dir };
}

// Fills the file system holding `file` until write() fails.
function fill(file) {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 << 10, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    assert.equal(e.code, 'ENOSPC', String(e));
  } finally {
    closeSync(fd);
  }
}

const events = (from, n) => ndjson(Array.from({ length: n }, (_, i) => ({ ts: '2024-05-01T00:00:00Z', n: from + i, s: 'x'.repeat(200) })));

test('a full disk: 507 and nothing acknowledged; ingest resumes when space is back, without a restart', async (t) => {
  const m = mountTmpfs(24);
  if (m.error) {
    rmSync(m.dir, { recursive: true, force: true });
    t.skip(`cannot mount a tmpfs here (${m.error}): run as root`);
    return;
  }
  const dataDir = path.join(m.dir, 'data');
  let srv;
  try {
    srv = await startServer({ dataDir, args: ['--pg', 'off'] });
    assert.equal((await srv.sql('CREATE TABLE ev (ts timestamptz NOT NULL, n bigint, s text)')).status, 200);
    let acked = 0;
    let r = await srv.ingest('ev', events(0, 1000));
    assert.equal(r.status, 200, r.text);
    acked += r.json.accepted;

    const filler = path.join(m.dir, 'filler');
    fill(filler);
    r = await srv.ingest('ev', events(acked, 2000));
    assert.equal(r.status, 507, r.text);
    assert.equal(r.json.sqlstate, '53100');
    assert.match(r.json.error, /the events were not stored \(none acknowledged\).*No space left on device/);
    // A write failure is not a lasting fault: /healthz stays ok, queries answer.
    assert.equal((await srv.get('/healthz')).status, 200);
    assert.equal((await srv.query('SELECT count(*) FROM ev')).json.rows[0][0], acked);

    rmSync(filler);
    r = await srv.ingest('ev', events(acked, 500));
    assert.equal(r.status, 200, r.text);
    acked += r.json.accepted;
    assert.equal((await srv.query('SELECT count(*) FROM ev')).json.rows[0][0], acked);
    await srv.stop();
    srv = await startServer({ dataDir, args: ['--pg', 'off'] });
    assert.doesNotMatch(srv.output(), /torn tail|lost/, 'the failed write left no damage behind');
    assert.equal((await srv.query('SELECT count(*) FROM ev')).json.rows[0][0], acked);
  } finally {
    await srv?.stop();
    spawnSync('umount', [m.dir]);
    rmSync(m.dir, { recursive: true, force: true });
  }
});
