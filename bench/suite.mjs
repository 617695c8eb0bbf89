#!/usr/bin/env node
// The benchmark suite (run it through bench/run, which builds and installs first):
//
//   node bench/suite.mjs --bin PATH [--events N] [--only W1,W5] [--seconds S] [--recovery-mib M]
//
//   --events        pageview events of the data set (default 3,000,000; `laminar gen pageviews`,
//                   seed 1, spread over 14 days of event time)
//   --only          run only these workloads (W1..W11; W9 reports what the others measured)
//   --seconds       length of each timed load phase of W2, W5 (default 10)
//   --recovery-mib  log bytes above the horizon before W7's SIGKILL (default 1024)
//   --out           where the table goes (default bench/results/latest.md)
//
// PostgreSQL is a peer when Debian's postgresql-15 is installed (bench/run installs it); without
// it the PostgreSQL figures say so.
//
// Each workload runs Laminar and its peer on the same data in the same run and adds rows to one
// table: workload, Laminar's figure, the peer's, the ratio (>1: Laminar better), the target and
// whether it is met. The table is printed and written to bench/results/latest.md with the
// machine's cores and the commit. The workloads are in bench/workloads/ (see bench/README.md).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, loadDuckDB } from './lib.mjs';
import { startPostgres } from './workloads/peers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs();
const EVENTS = Number(args.events ?? 3000000);
const ONLY = (args.only ?? 'W1,W2,W3,W4,W5,W6,W7,W8,W9,W10,W11').toUpperCase().split(',');
const BIN = path.resolve(args.bin ?? 'build/release/src/app/laminar');
const DAYS = 14;

const dir = mkdtempSync(path.join(process.env.LAMINAR_BENCH_DIR ?? os.tmpdir(), 'laminar-bench-'));
const rows = [];
const ctx = {
  bin: BIN, dir, events: EVENTS, days: DAYS, seconds: Number(args.seconds ?? 10),
  recoveryBytes: Number(args['recovery-mib'] ?? 1024) * 1048576,
  only: (w) => ONLY.includes(w),
  // Adds a table row. ratio: >1 means Laminar is better (faster, smaller, more per second).
  record(row) { rows.push(row); console.log(`  ${row.id} ${row.workload}: laminar ${row.laminar}, peer ${row.peer ?? '—'}${row.ratio ? ` (×${row.ratio.toFixed(2)})` : ''} target ${row.target}: ${row.met === undefined ? '—' : row.met ? 'met' : 'NOT met'}`); },
  note: (s) => console.log(`    ${s}`),
  memory: {},  // peak resident bytes per Laminar server, for W9
};

function generate() {
  const start = '2024-05-01T00:00:00Z';
  const rate = EVENTS / (DAYS * 86400);
  const file = path.join(dir, 'pageviews.ndjson');
  execFileSync('sh', ['-c', `"$0" gen pageviews --events ${EVENTS} --seed 1 --start ${start} --rate ${rate} > "$1"`, BIN, file]);
  const data = readFileSync(file);
  ctx.ndjson = { file, data, start, rate };
  ctx.ddl = execFileSync(BIN, ['gen', 'pageviews', '--ddl']).toString().trim().replace(/;$/, '');
  // Cuts the data into request bodies of `size` events (zero-copy slices).
  ctx.bodies = (size, from = data) => {
    const out = [];
    for (let s = 0, n = 0, i = 0; i < from.length; i++) {
      if (from[i] !== 10) continue;
      if (++n === size || i === from.length - 1) { out.push({ body: from.subarray(s, i + 1), events: n }); s = i + 1; n = 0; }
    }
    return out;
  };
}

function table() {
  const commit = (() => { try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here }).toString().trim(); } catch { return '?'; } })();
  const dirty = (() => { try { return execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: here }).toString().trim() ? ' (with local changes)' : ''; } catch { return ''; } })();
  const head = `# Benchmark results\n\nCommit ${commit}${dirty}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${EVENTS.toLocaleString('en-US')} pageview events over ${DAYS} days of event time. Ratio: how many times better Laminar is (>1: Laminar wins). Produced by \`bench/run${process.argv.slice(2).filter((a, i, all) => !['--bin', '--out'].includes(a) && !['--bin', '--out'].includes(all[i - 1])).map((a) => ' ' + a).join('')}\`.\n\n`;
  const lines = ['| # | workload | Laminar | peer | ratio | target | met |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.id} | ${r.workload} | ${r.laminar} | ${r.peer ?? '—'} | ${r.ratio ? `×${r.ratio.toFixed(2)}` : '—'} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : '**no**'} |`);
  return head + lines.join('\n') + '\n';
}

async function main() {
  console.log(`bench: ${EVENTS.toLocaleString('en-US')} events, ${os.cpus().length} cores, data in ${dir}`);
  generate();
  ctx.duckdb = await loadDuckDB();
  ctx.DuckDBInstance = ctx.duckdb.DuckDBInstance;
  const havePostgres = existsSync('/usr/lib/postgresql/15/bin/initdb');
  if (!havePostgres) console.log('bench: PostgreSQL 15 is not installed (bench/run installs it): its figures are left out');
  ctx.postgres = havePostgres && ONLY.some((w) => ['W2', 'W5', 'W10', 'W11'].includes(w)) ? await startPostgres() : null;
  try {
    const order = [
      ['W1', './workloads/ingest.mjs', 'bulk'], ['W2', './workloads/ingest.mjs', 'streaming'],
      ['W4', './workloads/batch.mjs', 'batch'], ['W5', './workloads/views.mjs', 'views'],
      ['W6', './workloads/rawquery.mjs', 'rawquery'], ['W7', './workloads/recovery.mjs', 'recovery'],
      ['W8', './workloads/batch.mjs', 'sparseLake'], ['W10', './workloads/copy.mjs', 'copy'],
      ['W11', './workloads/kafka.mjs', 'kafka'],
    ];
    for (const [w, mod, fn] of order) {
      if (!ctx.only(w) && !(w === 'W2' && ctx.only('W3')) && !(w === 'W4' && ctx.only('W8'))) continue;
      console.log(`${w}...`);
      const t = performance.now();
      await (await import(mod))[fn](ctx);
      console.log(`  (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    }
    if (ctx.only('W9')) await (await import('./workloads/memory.mjs')).memory(ctx);
  } finally {
    for (const s of ctx.servers ?? []) await s.stop().catch(() => {});
    await ctx.postgres?.stop();
  }
  const out = table();
  console.log('\n' + out);
  const file = path.resolve(args.out ?? path.join(here, 'results', 'latest.md'));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, out);
  console.log(`written to ${file}`);
}

// LAMINAR_BENCH_KEEP=1 keeps the data directory (servers' logs and data) after a failure.
main().then(() => rmSync(dir, { recursive: true, force: true }), async (e) => {
  console.error(e);
  for (const s of ctx.servers ?? []) await s.kill().catch(() => {});
  try { await ctx.postgres?.stop(); } catch {}  // stopped already by main's finally
  if (process.env.LAMINAR_BENCH_KEEP) console.error(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
