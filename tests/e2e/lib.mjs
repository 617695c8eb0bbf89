// Helpers for end-to-end tests: start the real `laminar` binary on a free port with a temporary
// data directory and talk to it over HTTP as a client would.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BIN = process.env.LAMINAR_BIN;
if (!BIN) throw new Error('LAMINAR_BIN must point at the laminar binary');

export function tempDir(prefix = 'laminar-e2e-') {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `fn` every 100 ms until its answer has `ok` set, and returns that answer; after `ms`
// fails naming `what` and showing the last answer.
export async function waitFor(what, fn, ms = 30000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last?.ok) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
    await sleep(100);
  }
}

// Starts `laminar serve` and waits until it listens. Returns a handle with url, port, pgPort (with
// `--pg` given), proc and helpers. Without `port`, the server binds port 0 and the handle reads
// the ports the kernel picked from the lines laminar prints: a port found free beforehand could be
// taken by another test's server while this one recovers, and the test would talk to that one.
// `importDirs`: the directories whose files COPY ... FROM '/path' and lake attach may read; the
// tests write their files to the OS temporary directory, so that is the default here ([] for the
// server's own default, DATA_DIR/import).
// `health: false` skips the plain-HTTP /healthz check (a server that requires TLS refuses it).
export async function startServer({ dataDir, args = [], port, env = {}, importDirs = [os.tmpdir()], health = true } = {}) {
  const imports = importDirs.flatMap((d) => ['--import-dir', d]);
  const proc = spawn(BIN, ['serve', '--data-dir', dataDir, '--http', `127.0.0.1:${port ?? 0}`, ...imports, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 30000;
  let pgPort;
  for (;;) {
    const state = await Promise.race([exited.then((e) => ({ exited: e })), sleep(20).then(() => null)]);
    if (state?.exited) throw new Error(`laminar exited early (${JSON.stringify(state.exited)}):\n${output}`);
    const listening = /^laminar: listening on http:\/\/[^\s:]+:(\d+)$/m.exec(output);
    if (listening) {
      port = Number(listening[1]);
      const pg = /^laminar: PostgreSQL protocol on [^\s:]+:(\d+)$/m.exec(output);
      if (pg) pgPort = Number(pg[1]);
      break;
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`laminar did not start listening:\n${output}`);
    }
  }
  const url = `http://127.0.0.1:${port}`;
  const healthz = health ? await fetch(`${url}/healthz`) : { status: 200 };
  if (healthz.status !== 200) {
    proc.kill('SIGKILL');
    throw new Error(`laminar listens but /healthz answers ${healthz.status}:\n${output}`);
  }
  const server = {
    url,
    port,
    pgPort,
    proc,
    exited,
    output: () => output,
    async stop() {
      proc.kill('SIGTERM');
      return exited;
    },
    async kill() {
      proc.kill('SIGKILL');
      return exited;
    },
    sql: (text) => postText(`${url}/v1/sql`, text),
    query: (sql, headers = {}) => postJson(`${url}/v1/query`, { sql }, headers),
    ingest: (stream, body, headers = { 'content-type': 'application/x-ndjson' }) =>
      postRaw(`${url}/v1/streams/${stream}/events`, body, headers),
    get: async (p) => {
      const r = await fetch(`${url}${p}`);
      const text = await r.text();
      return { status: r.status, text, json: tryJson(text), headers: r.headers };
    },
  };
  return server;
}

function tryJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function postRaw(url, body, headers = {}) {
  const r = await fetch(url, { method: 'POST', body, headers });
  const text = await r.text();
  return { status: r.status, text, json: tryJson(text), headers: r.headers };
}

export const postText = (url, text) => postRaw(url, text, { 'content-type': 'application/sql' });
export const postJson = (url, obj, headers = {}) =>
  postRaw(url, JSON.stringify(obj), { 'content-type': 'application/json', ...headers });

export const ndjson = (records) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

// Exact (correctly rounded) sum of doubles, order independent: Shewchuk's algorithm, the same
// contract as Laminar's sum/avg states — for reference answers computed in the tests.
export function fsum(xs) {
  const partials = [];
  for (let x of xs) {
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n];
    hi = x + y;
    lo = y - (hi - x);
    if (lo) break;
  }
  if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

// Deterministic PRNG (mulberry32): a seed reproduces a failing random test.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A connection to an in-memory DuckDB (the npm package in tests/oracle): the test oracle.
const oracle = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'oracle');
export async function duckdb() {
  const require = createRequire(path.join(oracle, 'package.json'));
  const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
  const db = await DuckDBInstance.create(':memory:');
  return db.connect();
}

// Splits the output of a client program (tests/pg/libpq_client.c, JdbcClient.java) into steps by
// name. `step: <header> a:x|b:y` begins a result set (`head`: the header's fields split at '|'
// and ':'), `row: c1|c2` lines are its rows (`\N` is NULL), and the step's next line ends it
// (`end`: its text, e.g. the command tag); any other `step: text` line is that text.
export function parseClientSteps(lines, header) {
  const steps = {};
  let cur = null;
  for (const line of lines) {
    if (line.startsWith('row: ')) {
      if (!cur) throw new Error(`row outside a result: ${line}`);
      cur.rows.push(line.slice(5).split('|').map((c) => (c === '\\N' ? null : c)));
      continue;
    }
    const m = /^([a-z_0-9]+): (.*)$/.exec(line);
    if (!m) throw new Error(`unexpected line: ${line}`);
    const [, step, rest] = m;
    if (rest.startsWith(`${header} `)) {
      cur = steps[step] = { head: rest.slice(header.length + 1).split('|').map((f) => f.split(':')), rows: [], end: null };
    } else if (steps[step] === cur && cur) {
      cur.end = rest;
      cur = null;
    } else {
      steps[step] = rest;
    }
  }
  return steps;
}

// Events for the PostgreSQL client tests (libpq, JDBC): `n` rows of {ts: tsOf(i), name, k?, x?}
// with a name from `names`, a bigint k on most rows (never for 'gamma', so its sum(k) is NULL) and
// a double x on most, drawn from mulberry32(seed). Returns them after ingesting them into
// `stream` of `srv` (every one accepted).
export async function ingestClientEvents(srv, stream, { seed, n, names, tsOf }) {
  const rnd = mulberry32(seed);
  const events = [];
  for (let i = 0; i < n; i++) {
    const e = { ts: tsOf(i).toISOString(), name: names[Math.floor(rnd() * names.length)] };
    if (e.name !== 'gamma' && rnd() < 0.8) e.k = Math.floor(rnd() * 2000) - 1000;
    if (rnd() < 0.9) e.x = Math.round((rnd() - 0.3) * 1e6) / 997;
    events.push(e);
  }
  const ing = await srv.ingest(stream, ndjson(events));
  if (ing.status !== 200 || ing.json.accepted !== events.length) throw new Error(`ingest: HTTP ${ing.status} ${ing.text}`);
  return events;
}
