#!/usr/bin/env node
// scripts/reliability_figures.mjs [--build DIR] [--skip-kill-loop]: reruns the reliability suite's
// measuring tests against an existing test build (default build/test, from scripts/build.sh test)
// and rewrites the "Latest figures" section of docs/reliability.md with what they printed:
//   faults:      src/engine/fault_test.cc — failed operations injected, power-loss points
//   damage:      src/engine/damage_test.cc — damaged copies and what each gave
//   memory cap:  tests/memory/memory_cap_test.cc — peak allocation of each operator past the cap
//   kill loop:   tests/reliability/kill_loop.test.mjs — cycles, events, batch runs (the sizes
//                LAMINAR_KILL_CYCLES / LAMINAR_KILL_EVENTS, default 200 / 1,000,000)
//   fuzz:        every *_fuzz target of the build, 20 s each over tests/fuzz/corpus/<target>
//   coverage:    build/coverage/coverage.txt when scripts/coverage.sh has run (it is not rerun)
// Each figure line is printed as it comes; the section is replaced between its markers.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const build = path.resolve(root, args.includes('--build') ? args[args.indexOf('--build') + 1] : 'build/test');
const lines = [];

function run(cmd, argv, env = {}, pattern) {
  const r = spawnSync(cmd, argv, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
  const out = (r.stdout ?? '') + (r.stderr ?? '');
  const found = out.split('\n').map((l) => l.replace(/^# /, '')).filter((l) => pattern.test(l));
  for (const l of found) {
    console.log(l);
    lines.push(l);
  }
  if (r.status !== 0) {
    const failure = `FAILED: ${path.basename(cmd)} ${argv.join(' ')} (exit ${r.status})`;
    console.log(failure);
    lines.push(failure);
  }
}

const asan = { ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=1' };
run(path.join(build, 'src/engine/engine_test'), ['--gtest_filter=Shards/FaultTest.*:LakeRetentionFaultTest.*:DamageTest.*'], asan, /^(faults|damage):/);
run(path.join(build, 'tests/memory/memory_cap_test'), [], asan, /^memory cap:/);
if (!args.includes('--skip-kill-loop')) {
  run('node', ['--test', 'tests/reliability/kill_loop.test.mjs'], { LAMINAR_BIN: path.join(build, 'src/app/laminar') }, /^kill loop:/);
}
for (const target of ['parquet', 'pgwire', 'sql', 'events', 'wal', 'http']) {
  const bin = ['lake', 'pgwire', 'serving', 'ingest', 'log', 'server']
    .map((m) => path.join(build, 'src', m, `${target}_fuzz`)).find((p) => existsSync(p));
  if (!bin) continue;
  const corpus = path.join(root, 'tests/fuzz/corpus', target);
  const argv = ['--seconds', '20', '--seed', String(Date.now() % 100000), '--self-seeds'];
  if (existsSync(corpus)) argv.push(corpus);
  run(bin, argv, asan, /^fuzz:/);
}
const coverage = path.join(root, 'build/coverage/coverage.txt');
if (existsSync(coverage)) {
  for (const l of readFileSync(coverage, 'utf8').split('\n').filter((l) => l.startsWith('coverage:'))) {
    console.log(l);
    lines.push(l);
  }
}

let commit = '';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
} catch {}
const doc = path.join(root, 'docs/reliability.md');
const text = readFileSync(doc, 'utf8');
const begin = '<!-- figures:begin (scripts/reliability_figures.mjs) -->';
const end = '<!-- figures:end -->';
const section = [
  begin,
  `Measured ${new Date().toISOString().slice(0, 10)} at commit ${commit}, ${os.cpus().length} cores, test build (ASan + UBSan):`,
  '',
  '```',
  ...lines,
  '```',
  end,
].join('\n');
const a = text.indexOf(begin), b = text.indexOf(end);
if (a < 0 || b < 0) throw new Error(`docs/reliability.md lacks the markers ${begin} ... ${end}`);
writeFileSync(doc, text.slice(0, a) + section + text.slice(b + end.length));
console.log(`wrote ${lines.length} figures to docs/reliability.md`);
process.exit(lines.some((l) => l.startsWith('FAILED')) ? 1 : 0);
