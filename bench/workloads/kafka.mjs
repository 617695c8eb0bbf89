// W11: Kafka consumption with exactly-once on — the data set as NDJSON messages, produced by
// `kcat` into a topic of 256 partitions on librdkafka's mock cluster (tests/kafka/mock_kafka.c,
// built beside the binary), then consumed by a subscription into a fresh Laminar server's stream
// with the suite's three views (each batch one durable log record with its offsets), timed from
// CREATE SUBSCRIPTION until every event is counted. The peer: PostgreSQL 15 loading the same rows
// with COPY (psql \copy of the CSV file W10 uses), as issue 15 asks.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startServer, sleep } from '../lib.mjs';
import { startMockKafka } from '../../tests/kafka/mock_kafka.mjs';
import { views } from './peers.mjs';
import { duckWithData } from './ingest.mjs';

const rate = (n, secs) => `${Math.round(n / secs).toLocaleString('en-US')} events/s`;
// The mock cluster keeps only a few MiB per partition (older messages are dropped, as a broker's
// retention would): the data set is spread evenly over enough partitions to stay within it.
const PARTITIONS = 256;


export async function kafka(ctx) {
  const n = ctx.events;
  const mock = await startMockKafka(path.join(path.dirname(ctx.bin), '..', '..', 'tests', 'kafka', 'mock_kafka'));
  try {
    await mock.cmd(`topic pageviews ${PARTITIONS}`);
    const t0 = performance.now();
    const lines = ctx.ndjson.data.toString('utf8').trimEnd().split('\n');
    const parts = Array.from({ length: PARTITIONS }, () => []);
    lines.forEach((l, i) => parts[i % PARTITIONS].push(l));
    for (let i = 0; i < PARTITIONS; i++) {
      if (!parts[i].length) continue;
      const p = spawnSync('kcat', ['-P', '-b', mock.boot, '-t', 'pageviews', '-p', String(i)],
        { input: parts[i].join('\n') + '\n', encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`W11: kcat: ${p.stderr}`);
    }
    ctx.note(`produced ${lines.length} messages with kcat into ${PARTITIONS} partitions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const s = await startServer({ bin: ctx.bin, dir: ctx.dir, name: 'kafka', config: '[batch]\ninterval = 0\n' });
    (ctx.servers ??= []).push(s);
    await s.post('/v1/sql', `${ctx.ddl};\n${views('pageviews')}`, 'application/sql');
    const t = performance.now();
    await s.post('/v1/sql', `CREATE SUBSCRIPTION pv CONNECTION 'kafka://${mock.boot}' PUBLICATION pageviews WITH (topic = 'pageviews', batch_events = 50000)`, 'application/sql');
    // Progress from the subscription's status (cheap), not from a count over the stream (a raw
    // scan of the whole log tail each time, which would compete with the consumer).
    for (;;) {
      const events = (await s.get('/v1/sources')).sources[0]?.events ?? 0;
      if (events >= n) break;
      if (performance.now() - t > 600_000) throw new Error(`W11: only ${events} of ${n} events consumed after 600 s`);
      await sleep(20);
    }
    const secs = (performance.now() - t) / 1000;
    const count = Number((await s.post('/v1/query', { sql: 'SELECT count(*) FROM pageviews' })).rows[0][0]);
    if (count !== n) throw new Error(`W11: laminar holds ${count} events, expected ${n}`);
    let pg = null;
    if (ctx.postgres) {
      const duck = await duckWithData(ctx);
      const csv = path.join(ctx.dir, 'duck', 'pageviews_w11.csv');
      await duck.run(`COPY (SELECT * FROM pageviews) TO '${csv}' (HEADER, DELIMITER ',')`);
      await ctx.postgres.query(`CREATE TABLE pv_kafka (ts timestamptz, user_id text, session_id text, url text, referrer text,
        country text, device text, browser text, status bigint, latency_ms double precision, bytes bigint)`);
      const tp = performance.now();
      const r = spawnSync('psql', [`host=127.0.0.1 port=${ctx.postgres.port} user=postgres dbname=postgres sslmode=disable`, '-X',
        '-v', 'ON_ERROR_STOP=1', '-c', `\\copy pv_kafka FROM '${csv}' WITH (FORMAT csv, HEADER true)`], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`W11: psql \\copy: ${r.stderr}`);
      pg = { secs: (performance.now() - tp) / 1000 };
    }
    ctx.note(`laminar ${secs.toFixed(2)} s from CREATE SUBSCRIPTION to ${n} events counted; postgresql COPY ${pg ? `${pg.secs.toFixed(2)} s` : '—'}`);
    ctx.record({ id: 'W11', workload: `Kafka consumption, exactly once (${PARTITIONS} partitions, JSON messages, 3 views)`,
      laminar: rate(n, secs), peer: pg ? `${rate(n, pg.secs)} (PostgreSQL COPY)` : '—', ratio: pg ? pg.secs / secs : undefined,
      target: '≥ 1,000,000 events/s', met: n / secs >= 1e6 });
    await s.stop();
    ctx.servers = ctx.servers.filter((x) => x !== s);
  } finally {
    mock.stop();
  }
}
