// W9's peer: a process of its own that does with DuckDB what W1, W4 and W5 do with Laminar —
// loads the NDJSON into a table of a database file, builds the three aggregate tables, and runs
// the view queries — then prints its peak resident set (VmHWM, bytes) as JSON.
//   node bench/workloads/duck_peak.mjs NDJSON DBFILE
import { loadDuckDB, memoryOf } from '../lib.mjs';
import { DUCK_COLUMNS, peerAggregates } from './peers.mjs';

const [file, dbFile] = process.argv.slice(2);
const { DuckDBInstance } = await loadDuckDB();
const con = await (await DuckDBInstance.create(dbFile)).connect();
await con.run(`CREATE TABLE pageviews AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = ${DUCK_COLUMNS})`);
for (const [name, sql] of peerAggregates('pageviews')) await con.run(`CREATE TABLE pageviews_${name} AS ${sql}`);
for (let i = 0; i < 300; i++) {
  await con.runAndReadAll("SELECT url, sum(views) AS views FROM pageviews_hourly GROUP BY url ORDER BY views DESC LIMIT 10");
  await con.runAndReadAll('SELECT country, device, sum(views) FROM pageviews_country GROUP BY 1, 2');
}
console.log(JSON.stringify(memoryOf(process.pid)));
