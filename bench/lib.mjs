// Helpers shared by the benchmarks.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// "--name value" pairs of the command line as an object.
export const parseArgs = (argv = process.argv.slice(2)) => Object.fromEntries(argv.reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));

export const freePort = () => new Promise((res) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
});
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// The p-quantile (0..1) of xs.
export const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

// Starts `bin serve` with data in <dir>/<name> and the TOML `config` (written to <dir>/<name>.toml)
// on a free port (and the PostgreSQL protocol on another with `pg: true`); resolves once /healthz
// answers. post(path, body, type) returns the JSON answer (throwing on an HTTP error); stop()
// sends SIGTERM and waits; kill() sends SIGKILL and waits. The server's log goes to
// <dir>/<name>.log (its tail is in the error when it does not start).
export async function startServer({ bin, dir, name, config = '', pg = false, data: dataDir }) {
  const port = await freePort();
  const pgPort = pg ? await freePort() : 0;
  const data = dataDir ?? path.join(dir, name);
  const cfg = `${data}.toml`;
  writeFileSync(cfg, config);
  const logPath = `${data}.log`;
  const logFd = openSync(logPath, 'a');
  const t0 = performance.now();
  const proc = spawn(bin, ['serve', '--data-dir', data, '--http', `127.0.0.1:${port}`, '--config', cfg,
    '--pg', pg ? `127.0.0.1:${pgPort}` : 'off'], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch {}
    if (proc.exitCode !== null || i > 6000) {
      throw new Error(`server did not start: ${readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n')}`);
    }
    await sleep(i < 100 ? 5 : 50);
  }
  const startMs = performance.now() - t0;
  // Control calls on a connection of their own each: a keep-alive connection left idle between
  // workloads is closed by the server's idle timeout, and a client may race it.
  const control = httpClient(port, 1, false);
  const answer = ({ status, text }, p) => {
    if (status >= 300) throw new Error(`${p}: ${status} ${text}`);
    return JSON.parse(text);
  };
  const post = async (p, body, type = 'application/json') =>
    answer(await control.post(p, typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body), type), p);
  const get = async (p) => answer(await control.get(p), p);
  const exited = new Promise((r) => proc.on('exit', r));
  const signal = async (sig) => { if (proc.exitCode === null && proc.signalCode === null) proc.kill(sig); await exited; };
  return { port, pgPort, url, data, proc, startMs, post, get, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL') };
}

// ---- The suite's shared pieces (bench/run) ----

// An HTTP client: post(path, body, type) and get(path) → {status, text}; at most `sockets`
// connections, kept alive between requests unless keepAlive is false (a connection per request).
export function httpClient(port, sockets = 16, keepAlive = true) {
  const agent = keepAlive ? new http.Agent({ keepAlive: true, maxSockets: sockets }) : false;
  const request = (method, p, body, type) => new Promise((res, rej) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method, agent,
      headers: body === undefined ? {} : { 'content-type': type, 'content-length': Buffer.byteLength(body) } }, (r) => {
      const parts = [];
      r.on('data', (d) => parts.push(d));
      r.on('end', () => res({ status: r.statusCode, text: Buffer.concat(parts).toString() }));
      r.on('error', rej);
    });
    req.on('error', rej);
    if (body !== undefined) req.end(body); else req.end();
  });
  return {
    post: (p, body, type = 'application/json') => request('POST', p, body, type),
    get: (p) => request('GET', p),
    close: () => agent && agent.destroy(),
  };
}

// Peak and current resident set of a process, in bytes (Linux /proc).
export function memoryOf(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number((s.match(new RegExp(`${k}:\\s+(\\d+)`)) || [0, 0])[1]) * 1024;
    return { peak: kb('VmHWM'), rss: kb('VmRSS') };
  } catch { return { peak: 0, rss: 0 }; }
}

export const median = (xs) => pct(xs, 0.5);
export const geomean = (xs) => Math.exp(xs.reduce((s, r) => s + Math.log(r), 0) / xs.length);

// DuckDB from tests/oracle (npm, pinned): resolves the module (DuckDBInstance, timestampTZValue, ...).
export async function loadDuckDB() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const require = createRequire(path.join(here, '..', 'tests', 'oracle', 'package.json'));
  return import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
}

// Posts `bodies` ([{body: Buffer}]) to `port`/`p` from `workers` threads with `clients`
// connections each (bench/workloads/load_worker.mjs). Resolves {secs, latencies, errors}. With
// seconds > 0 it runs that long, starting again at the first body when they run out.
export async function postLoad({ port, p, type = 'application/x-ndjson', bodies, workers = 2, clients = 8, seconds = 0 }) {
  const { Worker } = await import('node:worker_threads');
  const total = bodies.reduce((a, b) => a + b.body.length, 0);
  const data = new SharedArrayBuffer(total);
  const bytes = new Uint8Array(data);
  const offsets = new Int32Array(new SharedArrayBuffer(8 * bodies.length));
  let at = 0;
  bodies.forEach((b, i) => { bytes.set(b.body, at); offsets[2 * i] = at; at += b.body.length; offsets[2 * i + 1] = at; });
  const next = new SharedArrayBuffer(4);
  const t0 = performance.now();
  const stopAt = seconds > 0 ? Date.now() + seconds * 1000 : 0;
  const results = await Promise.all(Array.from({ length: workers }, () => new Promise((res, rej) => {
    const w = new Worker(new URL('./workloads/load_worker.mjs', import.meta.url),
      { workerData: { port, path: p, type, data, offsets: offsets.buffer, next, clients, stopAt, cycle: seconds > 0 } });
    w.on('message', res);
    w.on('error', rej);
  })));
  const secs = (performance.now() - t0) / 1000;
  const latencies = results.flatMap((r) => Array.from(r.latencies));
  const errors = results.reduce((a, r) => a + r.errors, 0);
  return { secs, latencies, errors, firstError: results.find((r) => r.firstError)?.firstError, requests: Atomics.load(new Int32Array(next), 0) };
}
