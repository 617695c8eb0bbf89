// SQL logic test runner (sqllogictest style) for Laminar: `node tests/sql/runner.mjs FILE.test ...`.
//
// What it promises: each script runs, record by record, against a real `laminar serve`
// (LAMINAR_BIN, started by tests/e2e/lib.mjs on a free port, with a fresh temporary data directory
// and periodic batch runs off) over the HTTP API; every record is checked (a statement's success or
// its error and error code, a query's column types and rows in a fixed text form, that ingested
// events were all accepted or some rejected, that a batch run, a restart or a kill and start
// worked); a failed record is reported with the script file, its line, the SQL, the expected and
// the actual answer, and the run goes on to the end of the script. The exit status is 0 only when
// every record of every script passed; a script that cannot be parsed, or a server that dies, is a
// failure. The format is described in tests/sql/README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, tempDir, removeDir, postJson } from '../e2e/lib.mjs';

// ---- parsing ---------------------------------------------------------------------------------

// A script is a list of records separated by blank lines; `#` starts a comment line.
// Returns [{kind, line, args, sql, expected, body}], and throws on a malformed record.
export function parseScript(text, file = '<script>') {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const records = [];
  let i = 0;
  const blockUntil = (stop) => {
    const out = [];
    while (i < lines.length && lines[i].trim() !== '' && !stop(lines[i])) out.push(lines[i++]);
    return out;
  };
  while (i < lines.length) {
    const head = lines[i];
    if (head.trim() === '' || head.trimStart().startsWith('#')) { i++; continue; }
    const line = ++i;  // 1-based number of the header line
    const words = head.trim().split(/\s+/);
    const kind = words[0];
    const bad = (msg) => { throw new Error(`${file}:${line}: ${msg}: ${head}`); };
    const rec = { kind, line, args: words.slice(1), head: head.trim() };
    const regex = (src) => {
      try {
        return new RegExp(src);
      } catch (e) {
        return bad(`bad regular expression (${e.message})`);
      }
    };
    if (kind === 'statement') {
      if (!['ok', 'error'].includes(words[1])) bad('expected `statement ok` or `statement error [code=C] [sqlstate=S] [regex]`');
      rec.error = words[1] === 'error';
      let rest = head.trim().replace(/^statement\s+error\s*/, '');
      for (let m; rec.error && (m = rest.match(/^(code|sqlstate)=(\S+)\s*/));) {
        rec[m[1]] = m[2];
        rest = rest.slice(m[0].length);
      }
      if (rec.error && rest) rec.regex = regex(rest);
      rec.sql = blockUntil(() => false).join('\n');
      if (!rec.sql) bad('statement without SQL');
    } else if (kind === 'query') {
      rec.types = words[1] ?? '';
      rec.sort = words[2] ?? 'nosort';
      if (!/^[IRTBDY]+$/.test(rec.types)) bad('query types must be letters of IRTBDY');
      if (!['nosort', 'rowsort', 'valuesort'].includes(rec.sort) || words.length > 3) bad('sort mode must be nosort, rowsort or valuesort');
      rec.sql = blockUntil((l) => l === '----').join('\n');
      if (!rec.sql) bad('query without SQL');
      rec.expected = [];
      if (lines[i] === '----') {
        i++;
        rec.expected = blockUntil(() => false);
      }
    } else if (kind === 'ingest') {
      if (words.length < 2 || (words[2] !== undefined && words[2] !== 'error')) bad('expected `ingest STREAM [error [regex]]`');
      rec.stream = words[1];
      rec.error = words[2] === 'error';
      const rest = head.trim().replace(/^ingest\s+\S+\s*(error\s*)?/, '');
      if (rest) rec.regex = regex(rest);
      rec.body = blockUntil(() => false);
      if (!rec.body.length) bad('ingest without events');
    } else if (kind === 'copy') {
      if (words.length !== 2) bad('expected `copy TABLE` followed by CSV lines (a header first)');
      rec.table = words[1];
      rec.body = blockUntil(() => false);
      if (!rec.body.length) bad('copy without CSV lines');
    } else if (kind === 'batch') {
      if (words.length > 2 || (words[1] && words[1] !== 'full')) bad('expected `batch [full]`');
      rec.full = words[1] === 'full';
    } else if (kind === 'restart' || kind === 'kill') {
      if (words.length > 1) bad(`\`${kind}\` takes no arguments`);
    } else {
      bad('unknown record');
    }
    records.push(rec);
  }
  return records;
}

// ---- result formatting -----------------------------------------------------------------------

const TYPE_LETTER = { bigint: 'I', double: 'R', text: 'T', boolean: 'B', timestamptz: 'D', date: 'Y' };

// A double as PostgreSQL's float8 output prints it (extra_float_digits = 1, its default since 12):
// the shortest digits that read back as the same double, in fixed notation when the decimal
// exponent is in [-4, 15), else as d.ddde±XX.
export function pgFloat(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const [mant, e] = Math.abs(x).toExponential().split('e');  // shortest round-trip digits
  const exp = Number(e);
  const digits = mant.replace('.', '');
  if (exp < -4 || exp >= 15) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

// One value of a JSON answer (numbers arrive as their JSON text, see parseAnswer) as text.
export function formatValue(v, type) {
  if (v === null) return 'NULL';
  switch (type) {
    case 'bigint': return BigInt(v).toString();
    case 'double': return ['NaN', 'Infinity', '-Infinity'].includes(v) ? v : pgFloat(Number(v));
    case 'boolean': return v ? 'true' : 'false';
    case 'timestamptz': return String(v).replace('T', ' ').replace(/Z$/, '+00');  // psql's form, UTC
    case 'date': return String(v);  // "2024-01-08", as psql prints it
    case 'text': return v === '' ? '(empty)' : String(v);
    default: throw new Error(`unknown column type ${type}`);
  }
}

// Parses a JSON answer keeping every number as its exact source text (a bigint beyond 2^53 must
// not pass through a JavaScript number): numbers outside strings are quoted before JSON.parse;
// the column types say how to read them.
export function parseAnswer(text) {
  return JSON.parse(text.replace(/"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*/g, (m) => (m[0] === '"' ? m : `"${m}"`)));
}

// ---- running ---------------------------------------------------------------------------------

const CONFIG = '[batch]\ninterval = 0\n';  // batch runs happen only where a script says `batch`

class ScriptRun {
  constructor(file) {
    this.file = file;
    this.name = path.basename(file);
    this.failures = 0;
    this.passed = 0;
  }

  fail(rec, what, details = {}) {
    this.failures++;
    const out = [`FAIL ${this.file}:${rec.line}: ${rec.head ?? rec.kind}: ${what}`];
    const block = (title, text) => {
      if (text === undefined) return;
      out.push(`  ${title}:`);
      const ls = Array.isArray(text) ? text : String(text).split('\n');
      for (const l of ls.length ? ls : ['(no rows)']) out.push(`    ${l}`);
    };
    block('SQL', rec.sql);
    for (const [k, v] of Object.entries(details)) block(k, v);
    console.log(out.join('\n'));
  }

  async start() {
    this.srv = await startServer({ dataDir: this.dataDir, args: ['--config', this.config] });
  }

  async run() {
    let records;
    try {
      records = parseScript(readFileSync(this.file, 'utf8'), this.file);
    } catch (e) {
      this.fail({ line: 0, kind: 'parse' }, e.message);
      console.log(`${this.name}: not run`);
      return;
    }
    this.dir = tempDir('laminar-sql-');
    this.dataDir = path.join(this.dir, 'data');
    this.config = path.join(this.dir, 'laminar.toml');
    writeFileSync(this.config, CONFIG);
    await this.start();
    try {
      for (const rec of records) {
        let ok = false;
        try {
          ok = await this.step(rec);
        } catch (e) {
          this.fail(rec, `exception: ${e.message}`);
        }
        if (ok) this.passed++;
        if (this.srv.proc.exitCode !== null || this.srv.proc.signalCode !== null) {
          this.fail(rec, 'the server exited', { 'server output (tail)': this.srv.output().slice(-4000) });
          await this.start();  // go on with the rest of the script on the same data directory
        }
      }
      const exit = await this.srv.stop();
      if (exit.code !== 0)
        this.fail({ line: 0, kind: 'end of script' }, `SIGTERM: the server exited with ${JSON.stringify(exit)}`,
          { 'server output (tail)': this.srv.output().slice(-4000) });
    } finally {
      if (this.srv.proc.exitCode === null && this.srv.proc.signalCode === null) await this.srv.kill();
      if (this.failures) console.log(`(data directory kept: ${this.dataDir})`);
      else removeDir(this.dir);
    }
    console.log(`${this.name}: ${records.length} records, ${this.passed} passed, ${this.failures} failed`);
  }

  // Runs one record; returns true when it passed (after reporting any failure).
  async step(rec) {
    const srv = this.srv;
    switch (rec.kind) {
      case 'statement': {
        const r = await srv.sql(rec.sql);
        const err = r.json?.error, code = r.json?.code;
        if (!rec.error) {
          if (r.status === 200) return true;
          this.fail(rec, `statement failed (HTTP ${r.status})`, { error: code ? `${code}: ${err}` : r.text });
          return false;
        }
        if (r.status === 200) {
          this.fail(rec, 'statement succeeded, an error was expected', { answer: r.text.slice(0, 2000) });
          return false;
        }
        if (rec.code && code !== rec.code) {
          this.fail(rec, `error code ${code}, expected ${rec.code}`, { error: err ?? r.text });
          return false;
        }
        if (rec.sqlstate && r.json?.sqlstate !== rec.sqlstate) {
          this.fail(rec, `SQLSTATE ${r.json?.sqlstate}, expected ${rec.sqlstate}`, { error: err ?? r.text });
          return false;
        }
        if (rec.regex && !rec.regex.test(err ?? r.text)) {
          this.fail(rec, 'the error message does not match', { expected: `/${rec.regex.source}/`, actual: err ?? r.text });
          return false;
        }
        return true;
      }
      case 'query': return this.query(rec);
      case 'ingest': {
        const r = await srv.ingest(rec.stream, rec.body.join('\n') + '\n');
        const j = r.json;
        const reasons = r.status === 200
          ? (j.errors ?? []).map((e) => `record ${e.index}${e.field ? `, field ${e.field}` : ''}: ${e.reason}`)
          : [`HTTP ${r.status}: ${j?.error ?? r.text}`];
        const allIn = r.status === 200 && j.rejected === 0 && j.accepted === rec.body.length;
        if (!rec.error) {
          if (allIn) return true;
          this.fail(rec, `${rec.body.length} events sent, ${j?.accepted ?? 0} accepted`, { rejects: reasons });
          return false;
        }
        if (allIn) {
          this.fail(rec, 'every event was accepted, a reject was expected');
          return false;
        }
        if (rec.regex && !reasons.some((x) => rec.regex.test(x))) {
          this.fail(rec, 'no reject matches', { expected: `/${rec.regex.source}/`, rejects: reasons });
          return false;
        }
        return true;
      }
      case 'copy': {
        const csv = path.join(this.dir, `copy-${rec.line}.csv`);
        writeFileSync(csv, rec.body.join('\n') + '\n');
        rec.sql = `COPY ${rec.table} FROM '${csv}' WITH (FORMAT csv, HEADER true)`;
        const r = await srv.sql(rec.sql);
        const want = `COPY ${rec.body.length - 1}`;
        if (r.status === 200 && r.json.results?.[0]?.tag === want) return true;
        this.fail(rec, `COPY failed or loaded another row count (expected ${want})`, { answer: r.text });
        return false;
      }
      case 'batch': {
        const r = await postJson(`${srv.url}/v1/batch/run`, rec.full ? { full: true } : {});
        if (r.status === 200) return true;
        this.fail(rec, `batch run failed (HTTP ${r.status})`, { answer: r.text });
        return false;
      }
      case 'restart':
      case 'kill': {
        const exit = rec.kind === 'kill' ? await srv.kill() : await srv.stop();
        const clean = rec.kind === 'kill' ? exit.signal === 'SIGKILL' : exit.code === 0;
        await this.start();
        if (clean) return true;
        this.fail(rec, `the server exited with ${JSON.stringify(exit)}`, { 'server output (tail)': srv.output().slice(-4000) });
        return false;
      }
    }
    throw new Error(`unknown record ${rec.kind}`);
  }

  async query(rec) {
    const r = await this.srv.query(rec.sql);
    if (r.status !== 200) {
      this.fail(rec, `query failed (HTTP ${r.status})`, { expected: rec.expected, error: r.text });
      return false;
    }
    const ans = parseAnswer(r.text);
    const types = ans.columns.map((c) => c.type);
    const letters = types.map((t) => TYPE_LETTER[t] ?? '?').join('');
    let actual = ans.rows.map((row) => row.map((v, c) => formatValue(v, types[c])).join('\t'));
    let expected = rec.expected;
    if (rec.sort === 'rowsort') {
      actual = [...actual].sort();
      expected = [...expected].sort();
    } else if (rec.sort === 'valuesort') {
      actual = actual.flatMap((l) => l.split('\t')).sort();
      expected = expected.flatMap((l) => l.split('\t')).sort();
    }
    if (letters !== rec.types) {
      this.fail(rec, `column types ${letters} (${types.join(', ')}), expected ${rec.types}`, { expected, actual });
      return false;
    }
    if (actual.length !== expected.length || actual.some((l, k) => l !== expected[k])) {
      const k = actual.findIndex((l, j) => l !== expected[j]);
      const where = actual.length !== expected.length ? `${actual.length} rows, expected ${expected.length}` : `row ${k + 1} differs`;
      this.fail(rec, `wrong result: ${where}`, { expected, actual });
      return false;
    }
    return true;
  }
}

async function main(argv) {
  const files = argv.filter((a) => !a.startsWith('-'));
  if (!files.length) {
    console.error('usage: LAMINAR_BIN=build/release/src/app/laminar node tests/sql/runner.mjs FILE.test ...');
    process.exit(2);
  }
  let failed = 0;
  for (const f of files) {
    const run = new ScriptRun(f);
    try {
      await run.run();
    } catch (e) {
      run.fail({ line: 0, kind: 'runner' }, e.stack ?? String(e));
    }
    failed += run.failures;
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main(process.argv.slice(2));
