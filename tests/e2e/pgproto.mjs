// A minimal PostgreSQL protocol (3.0) client for the e2e tests: raw messages, so that tests can
// drive the extended protocol message by message (psql 15 has no \bind) and see every reply.
import net from 'node:net';

export class PgClient {
  constructor(port) {
    this.port = port;
    this.buf = Buffer.alloc(0);
    this.waiters = [];
  }
  async connect(extra = {}) {  // extra: more startup parameters ({application_name: ...})
    this.sock = net.connect(this.port, '127.0.0.1');
    await new Promise((res, rej) => (this.sock.once('connect', res), this.sock.once('error', rej)));
    this.sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.waiters.splice(0).forEach((w) => w());
    });
    const more = Object.entries(extra).map(([k, v]) => `${k}\0${v}\0`).join('');
    const params = Buffer.from(`user\0u\0database\0laminar\0${more}\0`);
    const head = Buffer.alloc(8);
    head.writeInt32BE(8 + params.length);
    head.writeInt32BE(196608, 4);
    this.sock.write(Buffer.concat([head, params]));
    return this.until('Z');
  }
  send(type, ...parts) {
    const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p + '\0') : p)));
    const head = Buffer.alloc(5);
    head.write(type, 0);
    head.writeInt32BE(body.length + 4, 1);
    this.sock.write(Buffer.concat([head, body]));
  }
  async next() {
    for (;;) {
      if (this.buf.length >= 5) {
        const len = this.buf.readInt32BE(1);
        if (this.buf.length >= len + 1) {
          const msg = { type: String.fromCharCode(this.buf[0]), body: this.buf.subarray(5, len + 1) };
          this.buf = this.buf.subarray(len + 1);
          return msg;
        }
      }
      await new Promise((r) => this.waiters.push(r));
    }
  }
  // Messages up to and including the first of type `stop`.
  async until(stop) {
    const out = [];
    for (;;) {
      const m = await this.next();
      out.push(m);
      if (m.type === stop) return out;
    }
  }
  close() {
    this.send('X');
    this.sock.end();
  }
}

export const i16 = (v) => { const b = Buffer.alloc(2); b.writeInt16BE(v); return b; };
export const i32 = (v) => { const b = Buffer.alloc(4); b.writeInt32BE(v); return b; };
export const i64 = (v) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(v)); return b; };
export const f64 = (v) => { const b = Buffer.alloc(8); b.writeDoubleBE(v); return b; };

export function bindParams(params) {  // [{fmt, value: Buffer|null}]
  const parts = [i16(params.length), ...params.map((p) => i16(p.fmt)), i16(params.length)];
  for (const p of params) parts.push(p.value === null ? i32(-1) : Buffer.concat([i32(p.value.length), p.value]));
  return parts;
}
export function dataRows(msgs) {
  return msgs.filter((m) => m.type === 'D').map((m) => {
    const n = m.body.readInt16BE(0);
    const cells = [];
    let off = 2;
    for (let i = 0; i < n; i++) {
      const len = m.body.readInt32BE(off);
      off += 4;
      cells.push(len < 0 ? null : m.body.subarray(off, off + len));
      off += Math.max(len, 0);
    }
    return cells;
  });
}
export const cstr = (b, off = 0) => b.subarray(off, b.indexOf(0, off)).toString();
