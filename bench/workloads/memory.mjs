// W9: memory. The peak resident set of each Laminar server through W1-W5 (the main server holds
// the data set's lake, batch versions and W5's load; the streaming server holds W2's events in its
// speed layer), against the peak of a DuckDB process doing the same load, aggregates and queries
// (duck_peak.mjs; a Node process, so its figure includes Node's own ~50 MiB). Bytes per view
// group: the batch versions' and the speed layer's own estimates (GET /v1/views, approx_bytes).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { memoryOf } from '../lib.mjs';

const mib = (b) => `${(b / 1048576).toFixed(0)} MiB`;

export async function memory(ctx) {
  for (const [k, srv] of [['main', ctx.main], ['stream', ctx.streamServer]]) {
    if (srv && srv.proc.exitCode === null) ctx.memory[k] = Math.max(ctx.memory[k] ?? 0, memoryOf(srv.proc.pid).peak);
  }
  const peak = Math.max(0, ...Object.values(ctx.memory));
  if (!peak) return;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const duck = JSON.parse(execFileSync(process.execPath, [path.join(here, 'duck_peak.mjs'), ctx.ndjson.file, path.join(ctx.dir, 'duck', 'peak.duckdb')]).toString());
  ctx.record({ id: 'W9', workload: 'peak resident set through W1-W5 (largest server)',
    laminar: `${mib(peak)} (${Object.entries(ctx.memory).map(([k, v]) => `${k} ${mib(v)}`).join(', ')})`,
    peer: `${mib(duck.peak)} (DuckDB in Node, same load and queries)`, ratio: duck.peak / peak, target: '≤ 1 GiB; ≤ the peer',
    met: peak <= 2 ** 30 && peak <= duck.peak });
  const per = [];
  for (const [kind, srv] of [['batch', ctx.main], ['speed', ctx.streamServer]]) {
    if (!srv || srv.proc.exitCode !== null) continue;
    const vs = (await srv.get('/v1/views')).views;
    let bytes = 0, rows = 0;
    for (const v of vs) { const part = v[kind]; if (part?.rows) { bytes += part.approx_bytes ?? 0; rows += part.rows; } }
    if (rows) per.push(`${kind} ${Math.round(bytes / rows)} B/group (${rows.toLocaleString('en-US')} groups)`);
  }
  if (per.length) ctx.record({ id: 'W9', workload: 'bytes per view group (3 views)', laminar: per.join('; '), target: '≤ the peer' });
}
