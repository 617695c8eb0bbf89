// Helpers shared by the benchmarks.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

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
// on a free port; resolves once /healthz answers. post(path, body, type) returns the JSON answer
// (throwing on an HTTP error); stop() sends SIGTERM and waits.
export async function startServer({ bin, dir, name, config }) {
  const port = await freePort();
  const data = path.join(dir, name);
  const cfg = `${data}.toml`;
  writeFileSync(cfg, config);
  const proc = spawn(bin, ['serve', '--data-dir', data, '--http', `127.0.0.1:${port}`, '--config', cfg],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch {}
    if (i > 300) throw new Error(`server did not start: ${err}`);
    await sleep(50);
  }
  const post = async (p, body, type = 'application/json') => {
    const r = await fetch(url + p, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': type } });
    const text = await r.text();
    if (!r.ok) throw new Error(`${p}: ${r.status} ${text}`);
    return JSON.parse(text);
  };
  return { port, url, post, stop: async () => { proc.kill('SIGTERM'); await new Promise((r) => proc.on('exit', r)); } };
}
