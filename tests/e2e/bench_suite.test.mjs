// The benchmark suite (bench/suite.mjs, what bench/run runs) at a CI size: every workload W1-W11
// runs against the binary under test with 20,000 events, its peers included, and each one's
// answers are checked on the way (W1 and W7 count the events, W4 compares the views' row counts
// with DuckDB's, W5 and W6 compare every query form's answer with DuckDB's). Figures are not
// asserted: benchmarks are not tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('bench/suite.mjs runs every workload at a CI size and writes its table', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'laminar-bench-smoke-'));
  try {
    const out = path.join(dir, 'results.md');
    const r = spawnSync(process.execPath, [path.join(root, 'bench', 'suite.mjs'), '--bin', process.env.LAMINAR_BIN,
      '--events', '20000', '--seconds', '1', '--recovery-mib', '4', '--out', out],
      { encoding: 'utf8', env: { ...process.env, LAMINAR_BENCH_DIR: dir }, timeout: 540000 });
    assert.equal(r.status, 0, `suite failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
    const table = readFileSync(out, 'utf8');
    for (const w of ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8', 'W9', 'W10', 'W11']) assert.match(table, new RegExp(`^\\| ${w} \\|`, 'm'), `${w} has no row`);
    assert.match(table, /20,000 pageview events/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
