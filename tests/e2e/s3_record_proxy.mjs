#!/usr/bin/env node
// A recording HTTP proxy for the S3 tests: forwards every request unchanged (method, path, query,
// end-to-end headers including Host and Authorization, body streamed) to a target server, and
// records each request's method, path and headers plus the status the target answered. Tests put
// it between Laminar and tests/s3/s3_server.mjs to see what Laminar sends, e.g. the server-side
// encryption headers, which s3rver accepts but neither stores nor echoes.
//
// As a module:  const p = await startRecordProxy({ target: 'http://127.0.0.1:PORT' });
//               p.endpoint, p.records(), p.clear(), await p.close()
// As a program: node tests/e2e/s3_record_proxy.mjs --target http://127.0.0.1:PORT [--port N]
//               prints {"port":N} when ready; GET /__records answers the records as JSON,
//               DELETE /__records clears them (neither is forwarded). Exits on SIGTERM/SIGINT.
//
// Hop-by-hop headers (Connection, Keep-Alive, ...) belong to one connection and are not forwarded
// (they are recorded); everything else reaches the target as the client sent it, so a SigV4
// signature over Host and the x-amz-* headers still verifies there.
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate',
  'proxy-authorization', 'te', 'trailer', 'upgrade']);

const withoutHopByHop = (headers) =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k)));

// Starts the proxy on 127.0.0.1. `target`: "http://host:port" of the server behind it.
export async function startRecordProxy({ target, port = 0 }) {
  const t = new URL(target);
  if (t.protocol !== 'http:') throw new Error(`s3_record_proxy: target ${target} must be http://`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  let records = [];

  const server = http.createServer((req, res) => {
    if (req.url === '/__records') {
      if (req.method === 'DELETE') records = [];
      const body = JSON.stringify(records);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    // method, path with query, headers (node lowercases the names) as received.
    const record = { method: req.method, path: req.url, headers: { ...req.headers }, status: null };
    records.push(record);
    const up = http.request({
      host: t.hostname,
      port: t.port || 80,
      method: req.method,
      path: req.url,
      headers: withoutHopByHop(req.headers),
      agent,
    });
    up.on('response', (upRes) => {
      record.status = upRes.statusCode;
      res.writeHead(upRes.statusCode, withoutHopByHop(upRes.headers));
      upRes.pipe(res);
      upRes.on('error', () => res.destroy());
    });
    // The target failed or reset the connection: the client sees a lost connection too, as it
    // would without the proxy (its retry logic is what such faults test).
    up.on('error', () => req.socket.destroy());
    // The client gave up (a timeout, a reset): so does the proxy, so the target sees it too.
    req.on('error', () => up.destroy());
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  });
  server.keepAliveTimeout = 30000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = server.address().port;
  return {
    port: actual,
    endpoint: `http://127.0.0.1:${actual}`,
    // A copy: [{ method, path, headers, status }] in arrival order.
    records: () => records.map((r) => ({ ...r, headers: { ...r.headers } })),
    clear() {
      records = [];
    },
    async close() {
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  let target = '';
  let port = 0;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--target' && i + 1 < argv.length) target = argv[++i];
    else if (argv[i] === '--port' && i + 1 < argv.length) port = Number(argv[++i]);
    else {
      process.stderr.write('usage: node tests/e2e/s3_record_proxy.mjs --target http://host:port [--port N]\n');
      process.exit(2);
    }
  }
  if (!target) {
    process.stderr.write('s3_record_proxy: --target is required\n');
    process.exit(2);
  }
  const proxy = await startRecordProxy({ target, port });
  const stop = () => proxy.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(JSON.stringify({ port: proxy.port }) + '\n');
}
