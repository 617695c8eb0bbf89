// DuckDB as a Parquet oracle: prints what DuckDB reads from one Parquet file, as JSON.
//   node read_parquet.mjs FILE
// {"count": "N", "created_by": "...", "columns": {"name": {"type": "BIGINT", "non_null": "N",
//  "sum": "...", "min": "...", "max": "..."}}, "chunks": [{"row_group", "column", "encodings",
//  "compression", "null_count", "min", "max"}]} (chunks: DuckDB's parquet_metadata()). Every value is a string (or null) so that
// bigint sums and special doubles ('inf', 'nan') survive JSON. Used by src/lake/parquet_duckdb_test.cc.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
if (!file) {
  console.error('usage: node read_parquet.mjs FILE');
  process.exit(2);
}
const lit = `'${file.replaceAll("'", "''")}'`;
const ident = (name) => `"${name.replaceAll('"', '""')}"`;

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const rows = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson();

const described = await rows(`DESCRIBE SELECT * FROM read_parquet(${lit})`);
const out = { columns: {} };
out.count = (await rows(`SELECT count(*)::VARCHAR AS n FROM read_parquet(${lit})`))[0].n;
out.created_by = (await rows(`SELECT created_by FROM parquet_file_metadata(${lit})`))[0].created_by;
for (const { column_name: name, column_type: type } of described) {
  const c = ident(name);
  let value = c;  // the expression aggregated for sum/min/max
  let summed = c;
  if (type === 'BOOLEAN') summed = `${c}::INTEGER`;
  if (type === 'VARCHAR') summed = `length(${c})`;
  if (type.startsWith('TIMESTAMP')) value = summed = `epoch_us(${c})`;
  const [agg] = await rows(
    `SELECT count(${c})::VARCHAR AS non_null, sum(${summed})::VARCHAR AS sum, ` +
    `min(${value})::VARCHAR AS min, max(${value})::VARCHAR AS max FROM read_parquet(${lit})`);
  out.columns[name] = { type, ...agg };
}
out.chunks = await rows(
  `SELECT row_group_id::VARCHAR AS row_group, path_in_schema AS column, encodings, compression, ` +
  `stats_null_count::VARCHAR AS null_count, stats_min_value AS min, stats_max_value AS max ` +
  `FROM parquet_metadata(${lit}) ORDER BY row_group_id, column_id`);
console.log(JSON.stringify(out));
