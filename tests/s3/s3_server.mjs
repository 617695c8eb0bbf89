#!/usr/bin/env node
// S3 test server: s3rver on an internal loopback port, behind a proxy that
//   - verifies every request's SigV4 signature with AWS's signing library (@smithy/signature-v4)
//     and checks x-amz-content-sha256 against the body,
//   - implements `If-None-Match: *` on PUT (s3rver ignores it), serialized per key,
//   - tracks multipart uploads (NoSuchUpload for unknown or finished ones; AbortMultipartUpload),
//   - injects faults deterministically from a seed (--fail-rate, --seed, --stall-ms),
//   - takes `POST /__control {"failRate":0}` (unsigned) to change the fault rate at run time.
// Prints one line {"port":N,"dir":"..."} on stdout when ready; logs to stderr only with --verbose.
// See tests/s3/README.md.
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'oracle', 'package.json'));
const S3rver = require('s3rver');
const { SignatureV4 } = require('@smithy/signature-v4');
const { HttpRequest } = require('@smithy/protocol-http');
const { Sha256 } = require('@aws-crypto/sha256-js');

// s3rver 3.7.1 encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 17+)
// only offers with the legacy provider: every truncated listing would fail with 500. When DES is
// missing, s3rver's 'des' becomes AES-128-CBC with the 8-byte key and IV doubled (the tokens are
// opaque to clients, and s3rver only ever decrypts its own).
{
  const nodeCrypto = require('node:crypto');
  let desWorks = true;
  try {
    nodeCrypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
  } catch {
    desWorks = false;
  }
  if (!desWorks) {
    const widen = (b) => Buffer.concat([Buffer.from(b), Buffer.from(b)]);
    const enc = nodeCrypto.createCipheriv;
    const dec = nodeCrypto.createDecipheriv;
    nodeCrypto.createCipheriv = (alg, key, iv, o) =>
      alg === 'des' ? enc('aes-128-cbc', widen(key), widen(iv), o) : enc(alg, key, iv, o);
    nodeCrypto.createDecipheriv = (alg, key, iv, o) =>
      alg === 'des' ? dec('aes-128-cbc', widen(key), widen(iv), o) : dec(alg, key, iv, o);
  }
}

// ---------------------------------------------------------------------------------------------
// Options

function usage(msg) {
  if (msg) process.stderr.write(`s3_server: ${msg}\n`);
  process.stderr.write(
    'usage: node tests/s3/s3_server.mjs [--port N] [--dir DIR] [--bucket NAME]... ' +
      '[--access-key ID] [--secret-key KEY] [--session-token T] [--region R] ' +
      '[--fail-rate R] [--seed S] [--stall-ms MS] [--verbose]\n',
  );
  process.exit(2);
}

const opts = {
  port: 0,
  dir: '',
  buckets: [],
  accessKey: 'AKIDLAMINARTEST',
  secretKey: 'laminar-test-secret',
  sessionToken: '',
  region: '',
  failRate: 0,
  seed: 1,
  stallMs: 3000,
  verbose: false,
};
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    const num = () => {
      const v = Number(val());
      if (!Number.isFinite(v)) usage(`${a} needs a number`);
      return v;
    };
    switch (a) {
      case '--port': opts.port = num(); break;
      case '--dir': opts.dir = val(); break;
      case '--bucket': opts.buckets.push(val()); break;
      case '--access-key': opts.accessKey = val(); break;
      case '--secret-key': opts.secretKey = val(); break;
      case '--session-token': opts.sessionToken = val(); break;
      case '--region': opts.region = val(); break;
      case '--fail-rate': opts.failRate = num(); break;
      case '--seed': opts.seed = num(); break;
      case '--stall-ms': opts.stallMs = num(); break;
      case '--verbose': opts.verbose = true; break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  if (opts.buckets.length === 0) opts.buckets.push('lake');
  if (!(opts.failRate >= 0 && opts.failRate <= 1)) usage('--fail-rate must be in [0, 1]');
}

const log = opts.verbose ? (...m) => process.stderr.write(m.join(' ') + '\n') : () => {};

// ---------------------------------------------------------------------------------------------
// Deterministic fault choice (mulberry32)

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let rng = prng(opts.seed);
const FAULTS = ['error500', 'slowdown503', 'reset', 'stall', 'after'];
const stats = {
  requests: 0,
  faults: Object.fromEntries(FAULTS.map((f) => [f, 0])),
  signatureFailures: 0,
  preconditionFailures: 0,
};

// ---------------------------------------------------------------------------------------------
// Helpers

const xmlEsc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);

class S3Err {
  constructor(status, code, message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }
}

function sendError(req, res, err, resource) {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${xmlEsc(err.code)}</Code><Message>${xmlEsc(err.message)}</Message>` +
    `<Resource>${xmlEsc(resource)}</Resource>` +
    `<RequestId>${crypto.randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`;
  if (res.destroyed || res.headersSent) return;
  res.writeHead(err.status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// SigV4 URI encoding of one decoded path segment or query component.
const sigv4Encode = (s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

function decodeComponent(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new S3Err(400, 'InvalidURI', 'Couldn\'t parse the specified URI.');
  }
}

// Raw query string → { name: value | [values] }, decoded.
function parseQuery(raw) {
  const q = {};
  if (!raw) return q;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const v = decodeComponent(eq < 0 ? '' : part.slice(eq + 1));
    if (k in q) q[k] = [].concat(q[k], v);
    else q[k] = v;
  }
  return q;
}

function parseAmzDate(s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s || '');
  if (!m) return null;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

// ---------------------------------------------------------------------------------------------
// Signature verification

const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

async function verifySignature(req, rawPath, rawQuery, body) {
  const auth = req.headers.authorization;
  if (!auth) throw new S3Err(403, 'AccessDenied', 'Access Denied (the request is not signed)');
  const m = AUTH_RE.exec(auth);
  if (!m) {
    throw new S3Err(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
  }
  const [, accessKey, scopeDate, region, service, signedList, signature] = m;
  if (accessKey !== opts.accessKey) {
    throw new S3Err(403, 'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.');
  }
  if (service !== 's3' || (opts.region && region !== opts.region)) {
    throw new S3Err(400, 'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the credential scope ${region}/${service} is wrong.`);
  }
  const amzDate = req.headers['x-amz-date'];
  const date = parseAmzDate(amzDate);
  if (!date || amzDate.slice(0, 8) !== scopeDate) {
    throw new S3Err(403, 'AccessDenied', 'x-amz-date is missing, malformed or not the scope date.');
  }
  if (Math.abs(Date.now() - date.getTime()) > 15 * 60 * 1000) {
    throw new S3Err(403, 'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.');
  }
  const signed = signedList.split(';');
  for (const required of ['host', 'x-amz-content-sha256', 'x-amz-date']) {
    if (!signed.includes(required)) {
      throw new S3Err(403, 'AccessDenied', `The ${required} header must be signed.`);
    }
  }
  for (const name of Object.keys(req.headers)) {
    if (name.startsWith('x-amz-') && !signed.includes(name)) {
      throw new S3Err(403, 'AccessDenied',
        `There were headers present in the request which were not signed: ${name}`);
    }
  }
  const headers = {};
  for (const name of signed) {
    const v = req.headers[name];
    if (v === undefined) {
      throw new S3Err(403, 'SignatureDoesNotMatch', `The signed header ${name} is missing.`);
    }
    headers[name] = Array.isArray(v) ? v.join(',') : v;
  }
  let sessionToken;
  if (opts.sessionToken) {
    if (req.headers['x-amz-security-token'] !== opts.sessionToken) {
      throw new S3Err(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
    }
  }
  if (req.headers['x-amz-security-token'] !== undefined) {
    sessionToken = req.headers['x-amz-security-token'];
  }

  // Canonical path: every segment decoded, then encoded by the SigV4 rules, as S3 does.
  const canonicalPath = rawPath.split('/').map((seg) => sigv4Encode(decodeComponent(seg))).join('/');
  const signer = new SignatureV4({
    credentials: { accessKeyId: opts.accessKey, secretAccessKey: opts.secretKey, sessionToken },
    region,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const expected = await signer.sign(
    new HttpRequest({
      method: req.method,
      protocol: 'http:',
      hostname: 'unused',
      path: canonicalPath,
      query: parseQuery(rawQuery),
      headers,
    }),
    { signingDate: date },
  );
  const em = /SignedHeaders=([^,]+), Signature=([0-9a-f]{64})/.exec(expected.headers.authorization);
  const sameHeaders = em && em[1] === [...signed].sort().join(';');
  if (!sameHeaders || em[2] !== signature) {
    stats.signatureFailures++;
    throw new S3Err(403, 'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. ' +
        'Check your key and signing method.');
  }

  const claimed = req.headers['x-amz-content-sha256'];
  if (claimed !== 'UNSIGNED-PAYLOAD') {
    const actual = crypto.createHash('sha256').update(body).digest('hex');
    if (claimed !== actual) {
      throw new S3Err(400, 'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Forwarding to s3rver

let upstreamPort = 0;

function forward(method, url, reqHeaders, body) {
  const headers = {};
  for (const [k, v] of Object.entries(reqHeaders)) {
    if (['authorization', 'if-none-match', 'expect', 'connection', 'transfer-encoding',
      'keep-alive', 'x-amz-security-token'].includes(k)) continue;
    headers[k] = v;
  }
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const up = http.request(
      { host: '127.0.0.1', port: upstreamPort, method, path: url, headers, agent: upstreamAgent },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    up.on('error', reject);
    up.end(body);
  });
}
const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function sendUpstream(req, res, up) {
  if (res.destroyed) return;
  const headers = {};
  for (const [k, v] of Object.entries(up.headers)) {
    if (['connection', 'transfer-encoding', 'keep-alive', 'content-length'].includes(k)) continue;
    headers[k] = v;
  }
  headers['content-length'] =
    req.method === 'HEAD' && up.headers['content-length'] !== undefined
      ? up.headers['content-length']
      : String(up.body.length);
  res.writeHead(up.status, headers);
  res.end(req.method === 'HEAD' ? undefined : up.body);
}

// Per-key serialization: conditional PUTs (and everything else that writes a key) run one at a
// time per key, so two `If-None-Match: *` PUTs cannot both win.
const locks = new Map();
async function withKeyLock(key, fn) {
  const prev = locks.get(key) || Promise.resolve();
  let release;
  const mine = new Promise((r) => (release = r));
  const tail = prev.then(() => mine);
  locks.set(key, tail);
  await prev;
  try {
    return await fn();
  } finally {
    release();
    if (locks.get(key) === tail) locks.delete(key);
  }
}

const injectRules = []; // {fault, method?, query?, key?, count}: faults for matching requests
const activeUploads = new Map(); // uploadId → "bucket/key"

// Runs the S3 operation (through s3rver) and returns { status, headers, body }.
async function operate(req, bucket, key, query, url, body) {
  const method = req.method;
  const lockKey = `${bucket}/${key}`;
  if (!key) return forward(method, url, req.headers, body);

  if ('uploadId' in query) {
    const id = String(query.uploadId);
    return withKeyLock(lockKey, async () => {
      if (activeUploads.get(id) !== lockKey) {
        throw new S3Err(404, 'NoSuchUpload',
          'The specified upload does not exist. The upload ID may be invalid, or the upload ' +
            'may have been aborted or completed.');
      }
      if (method === 'DELETE') { // AbortMultipartUpload (s3rver has none)
        activeUploads.delete(id);
        return { status: 204, headers: {}, body: Buffer.alloc(0) };
      }
      const up = await forward(method, url, req.headers, body);
      if (method === 'POST' && up.status === 200) activeUploads.delete(id);
      return up;
    });
  }
  if (method === 'POST' && 'uploads' in query) {
    const up = await forward(method, url, req.headers, body);
    const m = /<UploadId>([^<]+)<\/UploadId>/.exec(up.body.toString());
    if (up.status === 200 && m) activeUploads.set(m[1], lockKey);
    return up;
  }
  if (method === 'PUT' || method === 'DELETE') {
    return withKeyLock(lockKey, async () => {
      const inm = req.headers['if-none-match'];
      if (method === 'PUT' && inm !== undefined) {
        if (inm.trim() !== '*') {
          throw new S3Err(501, 'NotImplemented', 'Only If-None-Match: * is supported on PUT.');
        }
        const head = await forward('HEAD', `/${bucket}/${key.split('/').map(sigv4Encode).join('/')}`,
          {}, Buffer.alloc(0));
        if (head.status === 200) {
          stats.preconditionFailures++;
          throw new S3Err(412, 'PreconditionFailed',
            'At least one of the pre-conditions you specified did not hold');
        }
      }
      return forward(method, url, req.headers, body);
    });
  }
  return forward(method, url, req.headers, body);
}

async function handle(req, res) {
  const body = await readBody(req);
  const q = req.url.indexOf('?');
  let rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? '' : req.url.slice(q + 1);

  if (rawPath === '/__control') return control(req, res, body);
  stats.requests++;
  let resource = rawPath;
  try {
    await verifySignature(req, rawPath, rawQuery, body);

    // Virtual-hosted addressing: Host "<bucket>.<anything>" for a configured bucket.
    const host = String(req.headers.host || '');
    const vbucket = opts.buckets.find((b) => host.startsWith(b + '.'));
    if (vbucket) rawPath = `/${vbucket}${rawPath === '/' ? '' : rawPath}`;
    const url = rawPath + (q < 0 ? '' : '?' + rawQuery);
    const slash = rawPath.indexOf('/', 1);
    const bucket = decodeComponent(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
    const key = slash < 0 ? '' : rawPath.slice(slash + 1).split('/').map(decodeComponent).join('/');
    resource = `/${bucket}${key ? '/' + key : ''}`;
    const query = parseQuery(rawQuery);

    let fault = null;
    const rule = injectRules.find(
      (r) =>
        (r.method === undefined || r.method === req.method) &&
        (r.query === undefined || r.query in query) &&
        (r.key === undefined || key.includes(r.key)),
    );
    if (rule) {
      fault = rule.fault;
      stats.faults[fault]++;
      if (--rule.count <= 0) injectRules.splice(injectRules.indexOf(rule), 1);
    } else if (stats.failRate > 0 && rng() < stats.failRate) {
      fault = FAULTS[Math.floor(rng() * FAULTS.length)];
      stats.faults[fault]++;
    }
    log(`${req.method} ${req.url}${fault ? ' [fault ' + fault + ']' : ''}`);
    switch (fault) {
      case 'error500':
        throw new S3Err(500, 'InternalError', 'We encountered an internal error. Please try again. (injected)');
      case 'slowdown503':
        throw new S3Err(503, 'SlowDown', 'Please reduce your request rate. (injected)');
      case 'reset':
        if (typeof req.socket.resetAndDestroy === 'function') req.socket.resetAndDestroy();
        else req.socket.destroy();
        return;
      case 'stall':
        await sleep(stats.stallMs);
        if (req.socket.destroyed || res.destroyed) return; // the client gave up: nothing happens
        break;
      default:
        break;
    }
    const up = await operate(req, bucket, key, query, url, body);
    if (fault === 'after') {
      throw new S3Err(500, 'InternalError',
        'We encountered an internal error. Please try again. (injected after the operation)');
    }
    sendUpstream(req, res, up);
  } catch (err) {
    if (err instanceof S3Err) {
      log(`${req.method} ${req.url} -> ${err.status} ${err.code}`);
      sendError(req, res, err, resource);
    } else {
      process.stderr.write(`s3_server: ${req.method} ${req.url}: ${err && err.stack}\n`);
      sendError(req, res, new S3Err(500, 'InternalError', String(err && err.message)), resource);
    }
  }
}

function control(req, res, body) {
  if (req.method === 'POST') {
    let cmd;
    try {
      cmd = JSON.parse(body.toString() || '{}');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('bad JSON\n');
      return;
    }
    if (typeof cmd.failRate === 'number') stats.failRate = cmd.failRate;
    if (typeof cmd.stallMs === 'number') stats.stallMs = cmd.stallMs;
    if (typeof cmd.seed === 'number') rng = prng(cmd.seed);
    for (const r of cmd.inject || []) {
      if (!FAULTS.includes(r.fault)) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`unknown fault ${r.fault}; one of ${FAULTS.join(', ')}\n`);
        return;
      }
      injectRules.push({ fault: r.fault, method: r.method, query: r.query, key: r.key, count: r.count || 1 });
    }
  }
  const out =
    JSON.stringify({ ...stats, uploadsInProgress: activeUploads.size, pendingInjections: injectRules.length }) + '\n';
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
  res.end(out);
}

// ---------------------------------------------------------------------------------------------
// Start

stats.failRate = opts.failRate;
stats.stallMs = opts.stallMs;

let ownDir = false;
if (!opts.dir) {
  opts.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laminar-s3-'));
  ownDir = true;
} else {
  fs.mkdirSync(opts.dir, { recursive: true });
}

const s3rver = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: opts.dir,
  vhostBuckets: false,
  configureBuckets: opts.buckets.map((name) => ({ name })),
});
const upstreamAddr = await s3rver.run();
upstreamPort = upstreamAddr.port;

const proxy = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    process.stderr.write(`s3_server: ${err && err.stack}\n`);
    if (!res.headersSent) res.destroy();
  });
});
proxy.keepAliveTimeout = 30000;
await new Promise((resolve, reject) => {
  proxy.once('error', reject);
  proxy.listen(opts.port, '127.0.0.1', resolve);
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  proxy.close();
  if (typeof proxy.closeAllConnections === 'function') proxy.closeAllConnections();
  upstreamAgent.destroy();
  try {
    await s3rver.close();
  } catch {}
  if (ownDir) fs.rmSync(opts.dir, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
// Exit when the process that started us is gone (a crashed test would otherwise leak us).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop(0);
}, 1000).unref();

process.stdout.write(JSON.stringify({ port: proxy.address().port, dir: opts.dir }) + '\n');
