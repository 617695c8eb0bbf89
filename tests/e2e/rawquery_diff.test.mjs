// Differential test of the query engine (serving/engine_query.h) against DuckDB.
//
// For three random datasets (columns of each type, NULLs, negatives, out-of-order event times
// over three days) ingested over HTTP in several requests with batch runs in between (so every
// stream is part lake Parquet, part log tail), a generated family of queries — projections of
// expressions, WHERE with comparisons/BETWEEN/IN/IS NULL/LIKE/AND/OR/NOT, GROUP BY one or two keys
// (columns, date_trunc, lower(), CASE buckets, ...), aggregates (also with FILTER and DISTINCT),
// HAVING, SELECT DISTINCT, SELECT *, joins with a dimension table (COPY), with another stream and
// with a materialized view read as a table, ORDER BY over every output column (so the answer is
// one sequence), LIMIT/OFFSET — gives the same answer from Laminar as from DuckDB (Node package)
// over the same rows: same row count, same values, doubles within a relative 1e-9 (Laminar's sums
// of doubles are correctly rounded; DuckDB's fsum/favg, used for them, nearly so; variances 1e-7),
// timestamps as instants. Laminar's column types and names are checked too (the types
// PostgreSQL's rules give, as docs/sql.md states).
//
// Every query is rendered twice from one generated tree, once per dialect, where they differ:
// bigint / bigint truncates in Laminar (PostgreSQL) and is `//` in DuckDB; decimal literals are
// doubles in Laminar and DECIMAL in DuckDB (rendered CAST(... AS DOUBLE)); extract() is double in
// Laminar and BIGINT in DuckDB (cast); sum/avg of doubles are fsum/favg; DuckDB's LIKE has no
// default escape (patterns with `\` carry ESCAPE); ORDER BY always says NULLS FIRST/LAST (DuckDB's
// default differs for DESC), and a bare name in ORDER BY never also names an output column
// (PostgreSQL takes the output column, DuckDB the input one). Constructs Laminar documents as
// deviations from PostgreSQL, or where DuckDB deviates, are left out: division by zero (NULL in
// Laminar), upper() of non-ASCII text, double-to-text casts, round(x, n) of non-dyadic doubles,
// substr with a start below 1, bigint overflow, percentile_*(0 or 1) WITHIN GROUP (ORDER BY x
// DESC) (DuckDB 1.5 answers the minimum).
//
// Sketches: approx_count_distinct and approx_percentile against DuckDB's exact count(DISTINCT)
// and the exact value of the rank docs/sql.md defines (percentile_disc's: the ⌈q·n⌉-th smallest),
// within 2% and 1%.
//
// Reproduce or explore: LAMINAR_DIFF_SEED=<seed> (printed at start; default fixed),
// LAMINAR_DIFF_QUERIES=<number of generated queries, default 300>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, removeDir, ndjson, postJson, mulberry32, duckdb } from './lib.mjs';

const SEED = Number(process.env.LAMINAR_DIFF_SEED ?? 20240310) >>> 0;
const TOTAL_QUERIES = Number(process.env.LAMINAR_DIFF_QUERIES ?? 300);
const BASE = Date.UTC(2024, 2, 10, 0, 0, 0); // Sunday 2024-03-10; three days of events

// Three datasets of different shapes: NULL rate, key skew, user cardinality, size.
const SHAPES = [
  { rows: 3000, nulls: 0.08, skew: 1.0, users: 3000 },
  { rows: 2000, nulls: 0.3, skew: 2.0, users: 60 },
  { rows: 4000, nulls: 0.02, skew: 0.7, users: 8000 },
];
// Low-cardinality text: LIKE metacharacters, the empty string, mixed case, a non-ASCII
// lower-case value (lower() folds ASCII only, so the generator never applies upper() to k).
const KS = ['alpha', 'beta', 'Gamma', 'DELTA', 'eps', 'x_y', 'a%b', 'zürich', '', 'beta2'];

function makeRows(rand, shape) {
  const rows = [];
  for (let i = 0; i < shape.rows; i++) {
    const nul = () => rand() < shape.nulls;
    rows.push({
      ts: new Date(BASE + Math.floor(rand() * 3 * 86400e3)).toISOString(),
      k: nul() ? null : KS[Math.floor(Math.pow(rand(), shape.skew) * KS.length)],
      u: rand() < 0.05 ? null : `u${Math.floor(rand() * rand() * shape.users)}`,
      n: nul() ? null : Math.floor(rand() * 2000) - 500,
      m: i * 7 + Math.floor(rand() * 5), // grows with arrival
      x: nul() ? null : (Math.floor(rand() * 80001) - 40000) / 8, // dyadic: exact sums, .5 ties
      y: rand() < 0.05 ? null : 0.1 * Math.exp(rand() * 9),
      b: nul() ? null : rand() < 0.6,
    });
  }
  return rows;
}

// The dimension table, joined on k: a duplicate key, a key no event has, event keys missing.
const KD = [
  ['alpha', 'A', 1],
  ['alpha', 'A2', 10],
  ['beta', 'B', 2],
  ['Gamma', 'G', null],
  ['eps', null, 5],
  ['zzz', 'Z', 9],
  ['', 'empty', 7],
];

// ---------------------------------------------------------------------------------------------
// Query generator. An expression is {t, l, d, inexact}: its Laminar type (boolean, bigint, double,
// text, timestamptz), its Laminar text, its DuckDB text, and whether the two engines may compute
// it with different rounding (such columns sort after the exact ones in ORDER BY).

const E = (t, l, d = l, extra = {}) => ({ t, l, d, ...extra });
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const fmtD = (v) => (Number.isInteger(v) ? `${v}.0` : String(v));
const isoSql = (ms) => new Date(ms).toISOString().replace('T', ' ').replace(/\.000Z$/, '+00').replace('Z', '+00');

function makeGenerator(rand) {
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const chance = (p) => rand() < p;
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const shuffle = (a) => {
    const b = [...a];
    for (let i = b.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [b[i], b[j]] = [b[j], b[i]];
    }
    return b;
  };
  const anyInexact = (xs) => xs.some((a) => a.inexact);
  const bin = (op, a, b, t, dop = op) =>
    E(t, `(${a.l} ${op} ${b.l})`, `(${a.d} ${dop} ${b.d})`, { inexact: a.inexact || b.inexact });
  const fn = (name, t, args, dname = name) =>
    E(t, `${name}(${args.map((a) => a.l).join(', ')})`, `${dname}(${args.map((a) => a.d).join(', ')})`, {
      inexact: anyInexact(args),
    });
  const cast = (a, t, lt, dt) => E(t, `CAST(${a.l} AS ${lt})`, `CAST(${a.d} AS ${dt})`, { inexact: a.inexact });
  const caseWhen = (t, w, a, b) =>
    E(t, `CASE WHEN ${w.l} THEN ${a.l} ELSE ${b.l} END`, `CASE WHEN ${w.d} THEN ${a.d} ELSE ${b.d} END`, {
      inexact: a.inexact || b.inexact,
    });

  // Literals carry lit: ORDER BY a literal is an error (PostgreSQL, DuckDB), so they sort by position.
  const litInt = (v = int(-20, 1200)) => E('bigint', v < 0 ? `(${v})` : String(v), undefined, { lit: true });
  const litDouble = (v = int(-400, 3000) / 4) =>
    E('double', v < 0 ? `(${fmtD(v)})` : fmtD(v), `CAST(${fmtD(v)} AS DOUBLE)`, { lit: true });
  const litText = (s) => E('text', quote(s), undefined, { lit: true });
  const tsMs = () => BASE + int(0, 3 * 24 * 4) * 15 * 60e3 + pick([0, 0, 1, 37e3]);
  const litTsStr = () => E('text', quote(isoSql(tsMs())), undefined, { lit: true }); // next to a timestamptz: cast by both
  const litNull = (t) => E(t, 'NULL', undefined, { lit: true });

  // ctx: p is the qualifier of the stream's columns ('' or 'e.'); dim: the dimension table is
  // joined as d (label text, w bigint).
  const col = (ctx, name, t) => E(t, `${ctx.p}${name}`);

  function bigintExpr(ctx, d = 2) {
    const c = (n) => col(ctx, n, 'bigint');
    const leaves = [() => c('n'), () => c('n'), () => c('m'), () => litInt()];
    if (ctx.dim) leaves.push(() => E('bigint', 'd.w'));
    const leaf = () => pick(leaves)();
    if (d <= 0) return leaf();
    return pick([
      leaf,
      leaf,
      () => bin('+', bigintExpr(ctx, d - 1), bigintExpr(ctx, d - 1), 'bigint'),
      () => bin('-', bigintExpr(ctx, d - 1), leaf(), 'bigint'),
      () => bin('*', bigintExpr(ctx, d - 1), litInt(int(-3, 9)), 'bigint'),
      () => bin('/', bigintExpr(ctx, d - 1), litInt(pick([-7, -3, 2, 3, 10, 100])), 'bigint', '//'),
      () => bin('%', bigintExpr(ctx, d - 1), litInt(pick([-7, 2, 3, 10])), 'bigint'),
      () => { const a = bigintExpr(ctx, d - 1); return E('bigint', `(- ${a.l})`, `(- ${a.d})`, { lit: a.lit }); },
      () => fn('abs', 'bigint', [bigintExpr(ctx, d - 1)]),
      () => fn('mod', 'bigint', [bigintExpr(ctx, d - 1), litInt(pick([3, 7, -4]))]),
      () => fn('length', 'bigint', [textExpr(ctx, d - 1)]),
      () => fn('strpos', 'bigint', [col(ctx, 'u', 'text'), litText(pick(['1', '2', '0', 'u1']))]),
      () => cast(col(ctx, pick(['x', 'x', 'y']), 'double'), 'bigint', 'bigint', 'BIGINT'),
      () => fn('round', 'bigint', [bigintExpr(ctx, d - 1)]),
      () => fn('coalesce', 'bigint', [c('n'), bigintExpr(ctx, d - 1)]),
      () => fn('nullif', 'bigint', [bigintExpr(ctx, d - 1), litInt(int(-2, 2))]),
      () => fn(pick(['greatest', 'least']), 'bigint', [c('n'), bigintExpr(ctx, d - 1), litInt()]),
      () => caseWhen('bigint', boolExpr(ctx, d - 1), bigintExpr(ctx, d - 1), bigintExpr(ctx, d - 1)),
      () => {
        const a = bigintExpr(ctx, 0);
        return E('bigint', `CASE ${a.l} % 3 WHEN 0 THEN 10 WHEN 1 THEN 20 END`,
          `CASE ${a.d} % 3 WHEN 0 THEN 10 WHEN 1 THEN 20 END`);
      },
    ])();
  }

  const UNITS = ['hour', 'day', 'dow', 'doy', 'month', 'minute', 'isodow', 'quarter', 'week', 'epoch', 'year'];
  function doubleExpr(ctx, d = 2) {
    const c = (n) => col(ctx, n, 'double');
    const leaf = () => pick([() => c('x'), () => c('x'), () => c('y'), () => litDouble()])();
    if (d <= 0) return leaf();
    const unit = pick(UNITS);
    return pick([
      leaf,
      leaf,
      () => bin('+', doubleExpr(ctx, d - 1), pick([bigintExpr, doubleExpr])(ctx, d - 1), 'double'),
      () => bin('-', bigintExpr(ctx, 0), doubleExpr(ctx, d - 1), 'double'),
      () => bin('*', doubleExpr(ctx, d - 1), litDouble(pick([0.5, 1.5, -2.25, 1.1, 3.0])), 'double'),
      () => ({ ...bin('/', doubleExpr(ctx, d - 1), pick([litInt(pick([3, -4, 7])), litDouble(pick([2.5, 0.1, -8.0]))]), 'double'), inexact: true }),
      () => ({ ...bin('/', c('x'), fn('nullif', 'bigint', [col(ctx, 'n', 'bigint'), litInt(0)]), 'double'), inexact: true }),
      () => cast(bigintExpr(ctx, d - 1), 'double', 'double precision', 'DOUBLE'),
      () => fn('abs', 'double', [doubleExpr(ctx, d - 1)]),
      () => fn('round', 'double', [c('x')]),
      () => fn('round', 'double', [c('x'), litInt(pick([0, 1, 2]))]),
      () => fn(pick(['floor', 'ceil', 'trunc']), 'double', [doubleExpr(ctx, d - 1)]),
      () => ({ ...fn('sqrt', 'double', [fn('abs', 'double', [doubleExpr(ctx, d - 1)])]), inexact: true }),
      () => ({ ...fn('ln', 'double', [c('y')]), inexact: true }),
      () => fn('sign', 'double', [doubleExpr(ctx, d - 1)]),
      () => fn('mod', 'double', [c('x'), litInt(pick([3, 7]))]),
      () => { const ts = tsExpr(ctx, 0); return E('double', `extract(${unit} FROM ${ts.l})`, `CAST(extract(${unit} FROM ${ts.d}) AS DOUBLE)`); },
      () => E('double', `date_part('${unit}', ${ctx.p}ts)`, `CAST(date_part('${unit}', ${ctx.p}ts) AS DOUBLE)`),
      () => fn('coalesce', 'double', [c('x'), c('y'), litDouble()]),
      () => fn(pick(['greatest', 'least']), 'double', [c('x'), c('y')]),
      () => caseWhen('double', boolExpr(ctx, d - 1), doubleExpr(ctx, d - 1), bigintExpr(ctx, d - 1)),
    ])();
  }

  function textExpr(ctx, d = 2) {
    const c = (n) => col(ctx, n, 'text');
    const leaves = [() => c('k'), () => c('k'), () => c('u'), () => litText(pick(['x', 'alpha', 'u1', '']))];
    if (ctx.dim) leaves.push(() => E('text', 'd.label'));
    const leaf = () => pick(leaves)();
    if (d <= 0) return leaf();
    const n = col(ctx, 'n', 'bigint');
    return pick([
      leaf,
      leaf,
      () => fn('lower', 'text', [textExpr(ctx, d - 1)]),
      () => fn('upper', 'text', [c('u')]),
      () => fn('substr', 'text', [textExpr(ctx, d - 1), litInt(int(1, 3)), litInt(int(0, 4))]),
      () => fn('substr', 'text', [textExpr(ctx, d - 1), litInt(int(1, 3))]),
      () => bin('||', textExpr(ctx, d - 1), textExpr(ctx, d - 1), 'text'),
      () => bin('||', textExpr(ctx, d - 1), bigintExpr(ctx, 0), 'text'),
      () => fn('concat', 'text', [textExpr(ctx, d - 1), litText('/'), pick([bigintExpr, textExpr])(ctx, 0)]),
      () => fn('replace', 'text', [c('u'), litText('1'), litText('one')]),
      () => fn('trim', 'text', [textExpr(ctx, d - 1)]),
      () => fn(pick(['ltrim', 'rtrim']), 'text', [c('k'), litText(pick(['a', 'ab', 'e']))]),
      () => fn('coalesce', 'text', [c('k'), litText('(none)')]),
      () => fn('nullif', 'text', [c('k'), litText('')]),
      () => cast(bigintExpr(ctx, 0), 'text', 'text', 'VARCHAR'),
      () => cast(col(ctx, 'b', 'boolean'), 'text', 'text', 'VARCHAR'),
      () => E('text', `CASE WHEN ${n.l} < 0 THEN 'neg' WHEN ${n.l} < 100 THEN 'small' WHEN ${n.l} IS NULL THEN NULL ELSE 'big' END`),
    ])();
  }

  function tsExpr(ctx, d = 1) {
    const ts = col(ctx, 'ts', 'timestamptz');
    if (d <= 0 || chance(0.4)) return ts;
    return pick([
      () => fn('date_trunc', 'timestamptz', [litText(pick(['hour', 'day', 'minute', 'week', 'month'])), ts]),
      () => E('timestamptz', `(${ts.l} + interval '${pick(['1 hour', '90 minutes', '1 day'])}')`),
      () => E('timestamptz', `(${ts.l} - interval '${pick(['30 minutes', '2 days'])}')`),
    ])();
  }

  function exprOf(ctx, t, d) {
    switch (t) {
      case 'bigint': return bigintExpr(ctx, d);
      case 'double': return doubleExpr(ctx, d);
      case 'text': return textExpr(ctx, d);
      case 'timestamptz': return tsExpr(ctx, d);
      default: return boolExpr(ctx, d);
    }
  }

  // A literal of (or comparable with) type t.
  function litOf(t) {
    switch (t) {
      case 'bigint': return litInt();
      case 'double': return chance(0.5) ? litDouble() : litInt();
      case 'text': return litText(pick([...KS, 'u1', 'u10', 'u5', 'b', 'zz', 'A']));
      case 'timestamptz': return litTsStr();
      default: return E('boolean', pick(['true', 'false']), undefined, { lit: true });
    }
  }

  function boolExpr(ctx, d = 2) {
    const b = col(ctx, 'b', 'boolean');
    const t = pick(['bigint', 'bigint', 'double', 'text', 'text', 'timestamptz', 'boolean']);
    const cmp = () => {
      if (t === 'boolean') {
        return pick([() => b, () => E('boolean', `(${b.l} = ${pick(['true', 'false'])})`), () => E('boolean', `(NOT ${b.l})`)])();
      }
      const a = exprOf(ctx, t, d - 1);
      const rhs = chance(0.7) ? litOf(t) : exprOf(ctx, t === 'double' ? pick(['bigint', 'double']) : t, 0);
      return bin(pick(['=', '<>', '<', '<=', '>', '>=', '!=']), a, rhs, 'boolean');
    };
    const options = [cmp, cmp, cmp,
      () => {
        if (t === 'boolean') return cmp();
        const a = exprOf(ctx, t, d - 1), lo = litOf(t), hi = litOf(t);
        const not = chance(0.2) ? 'NOT ' : '';
        return E('boolean', `(${a.l} ${not}BETWEEN ${lo.l} AND ${hi.l})`, `(${a.d} ${not}BETWEEN ${lo.d} AND ${hi.d})`);
      },
      () => {
        if (t === 'boolean' || t === 'timestamptz') return cmp();
        const a = exprOf(ctx, t, d - 1);
        const items = Array.from({ length: int(1, 4) }, () => litOf(t));
        if (chance(0.15)) items.push(litNull(t));
        const not = chance(0.3) ? 'NOT ' : '';
        return E('boolean', `(${a.l} ${not}IN (${items.map((i) => i.l).join(', ')}))`,
          `(${a.d} ${not}IN (${items.map((i) => i.d).join(', ')}))`);
      },
      () => {
        const a = exprOf(ctx, t, d - 1);
        const not = chance(0.4) ? ' NOT' : '';
        return E('boolean', `(${a.l} IS${not} NULL)`, `(${a.d} IS${not} NULL)`);
      },
      () => {
        const a = textExpr(ctx, d - 1);
        const [pat, esc] = pick([['a%', ''], ['%a', ''], ['%e%', ''], ['_eta', ''], ['u1%', ''], ['u_', ''], ['%', ''],
          ['a\\%b', '\\'], ['x\\_y', '\\'], ['%!_%', '!'], ['', ''], ['ALPHA', ''], ['%ü%', ''], ['G%', ''], ['%2', '']]);
        const op = pick(['LIKE', 'NOT LIKE', 'ILIKE', 'NOT ILIKE']);
        const escape = esc ? ` ESCAPE ${quote(esc)}` : '';
        return E('boolean', `(${a.l} ${op} ${quote(pat)}${escape})`, `(${a.d} ${op} ${quote(pat)}${escape})`);
      },
    ];
    if (d > 0) {
      const andOr = () => bin(pick(['AND', 'OR']), boolExpr(ctx, d - 1), boolExpr(ctx, d - 1), 'boolean');
      options.push(andOr, andOr, () => {
        const a = boolExpr(ctx, d - 1);
        return E('boolean', `(NOT ${a.l})`, `(NOT ${a.d})`);
      });
    }
    return pick(options)();
  }

  // Group keys: exact values (the order over them is total).
  function keyExpr(ctx) {
    const c = (n, t) => col(ctx, n, t);
    const keys = [
      () => c('k', 'text'), () => c('k', 'text'), () => c('b', 'boolean'), () => c('u', 'text'), () => c('n', 'bigint'),
      () => fn('date_trunc', 'timestamptz', [litText('hour'), c('ts')]),
      () => fn('date_trunc', 'timestamptz', [litText('day'), c('ts')]),
      () => fn('lower', 'text', [c('k')]),
      () => E('text', `CASE WHEN ${ctx.p}n < 0 THEN 'neg' WHEN ${ctx.p}n < 100 THEN 'small' ELSE 'big' END`),
      () => E('double', `extract(hour FROM ${ctx.p}ts)`, `CAST(extract(hour FROM ${ctx.p}ts) AS DOUBLE)`),
      () => fn('coalesce', 'text', [c('k'), litText('?')]),
      () => bin('%', c('n', 'bigint'), litInt(10), 'bigint'),
      () => fn('floor', 'double', [bin('/', c('x'), litInt(1000), 'double')]),
      () => fn('substr', 'text', [c('u'), litInt(1), litInt(2)]),
      () => bin('/', c('m', 'bigint'), litInt(5000), 'bigint', '//'),
      () => bin('>', c('n', 'bigint'), litInt(100), 'boolean'),
    ];
    if (ctx.dim) keys.push(() => E('text', 'd.label'), () => E('bigint', 'd.w'), () => fn('coalesce', 'text', [E('text', 'd.label'), litText('-')]));
    return pick(keys)();
  }

  // Aggregates. `loose`: compare with a 1e-7 tolerance (variances: the engines' algorithms differ).
  function aggExpr(ctx) {
    const c = (n, t) => col(ctx, n, t);
    const q = pick([0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1]);
    const qd = pick([0, 0.25, 0.5, 0.75, 1]); // q·n exact in doubles and decimals alike
    const numArg = () => pick([() => bigintExpr(ctx, 1), () => doubleExpr(ctx, 1), () => c('n', 'bigint'), () => c('x', 'double'), () => c('y', 'double')])();
    let a = pick([
      () => E('bigint', 'count(*)'),
      () => E('bigint', 'count(*)'),
      () => fn('count', 'bigint', [pick([c('k'), c('u'), c('n'), c('x'), c('b'), c('ts'), textExpr(ctx, 1)])]),
      () => {
        const x = pick([c('k'), c('u'), c('n'), c('b'), fn('date_trunc', 'timestamptz', [litText('hour'), c('ts')]), c('x'), fn('lower', 'text', [c('k')])]);
        return E('bigint', `count(DISTINCT ${x.l})`, `count(DISTINCT ${x.d})`);
      },
      () => {
        const x = numArg();
        return x.t === 'bigint' ? fn('sum', 'bigint', [x]) : { ...fn('sum', 'double', [x], 'fsum'), inexact: true };
      },
      () => { const x = numArg(); return { ...fn('avg', 'double', [x], x.t === 'bigint' ? 'avg' : 'favg'), inexact: true }; },
      () => { const x = c('n', 'bigint'); return E('bigint', `sum(DISTINCT ${x.l})`); },
      () => E('double', `avg(DISTINCT ${ctx.p}n)`, undefined, { inexact: true }),
      () => {
        const x = pick([() => bigintExpr(ctx, 1), () => doubleExpr(ctx, 1), () => textExpr(ctx, 1), () => tsExpr(ctx, 1)])();
        return fn(pick(['min', 'max']), x.t, [x]);
      },
      () => {
        const x = pick([c('x', 'double'), c('y', 'double'), c('n', 'bigint'), bigintExpr(ctx, 1)]);
        // DuckDB 1.5 answers DESC with q = 0 or 1 wrongly (the minimum both times): no DESC there.
        const desc = q > 0 && q < 1 && chance(0.2) ? ' DESC' : '';
        return E('double', `percentile_cont(${q}) WITHIN GROUP (ORDER BY ${x.l}${desc})`,
          `percentile_cont(${q}) WITHIN GROUP (ORDER BY ${x.d}${desc})`, { inexact: true });
      },
      () => {
        const x = pick([c('x', 'double'), c('y', 'double'), c('n', 'bigint'), c('k', 'text'), c('ts', 'timestamptz')]);
        const desc = qd > 0 && qd < 1 && chance(0.2) ? ' DESC' : '';
        return E(x.t, `percentile_disc(${qd}) WITHIN GROUP (ORDER BY ${x.l}${desc})`,
          `percentile_disc(${qd}) WITHIN GROUP (ORDER BY ${x.d}${desc})`);
      },
      () => fn(pick(['bool_and', 'bool_or']), 'boolean', [pick([c('b', 'boolean'), boolExpr(ctx, 1)])]),
      () => ({ ...fn(pick(['stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop']), 'double',
        [pick([c('x', 'double'), c('y', 'double'), c('n', 'bigint')])]), inexact: true, loose: true }),
    ])();
    if (chance(0.15)) {
      const w = boolExpr(ctx, 1);
      a = { ...a, l: `${a.l} FILTER (WHERE ${w.l})`, d: `${a.d} FILTER (WHERE ${w.d})` };
    }
    return a;
  }

  // An aggregate, sometimes inside an expression.
  function aggItem(ctx) {
    const a = aggExpr(ctx);
    if (!chance(0.15)) return a;
    if (a.t === 'bigint' || a.t === 'double') {
      const b = aggExpr(ctx);
      if (b.t === 'bigint' || b.t === 'double') {
        const t = a.t === 'double' || b.t === 'double' ? 'double' : 'bigint';
        return { ...bin(pick(['+', '-']), a, b, t), loose: a.loose || b.loose };
      }
      return { ...bin('*', a, litInt(2), a.t), loose: a.loose };
    }
    if (a.t === 'text') return fn('coalesce', 'text', [a, litText('-')]);
    return a;
  }

  return { pick, chance, int, shuffle, bigintExpr, doubleExpr, textExpr, tsExpr, boolExpr, exprOf, keyExpr, aggItem, aggExpr, litInt, litText, litTsStr, fn, bin };
}

const dir = (g) => (g.chance(0.5) ? 'ASC' : 'DESC');
const nulls = (g) => (g.chance(0.5) ? 'NULLS FIRST' : 'NULLS LAST');

// ORDER BY over every output column: exact ones first, inexact (doubles computed differently)
// last; each term by position, alias or expression. `hidden`: a sort expression first that is not
// selected.
function orderBy(g, items, { allowExpr = true, hidden = null } = {}) {
  const exact = g.shuffle(items.map((it, i) => ({ it, i })).filter((x) => !x.it.inexact));
  const inexact = items.map((it, i) => ({ it, i })).filter((x) => x.it.inexact);
  const terms = [];
  if (hidden) terms.push({ l: hidden.l, d: hidden.d });
  for (const { it, i } of [...exact, ...inexact]) {
    const how = g.pick(allowExpr && !it.lit ? ['pos', 'alias', 'expr'] : ['pos', 'alias']);
    const ref = how === 'pos' || !it.alias ? { l: String(i + 1), d: String(i + 1) } : how === 'alias' ? { l: it.alias, d: it.alias } : { l: it.l, d: it.d };
    const s = ` ${dir(g)} ${nulls(g)}`;
    terms.push({ l: ref.l + s, d: ref.d + s });
  }
  return { l: ` ORDER BY ${terms.map((t) => t.l).join(', ')}`, d: ` ORDER BY ${terms.map((t) => t.d).join(', ')}` };
}

function limitClause(g, p, max = 20) {
  if (!g.chance(p)) return { text: '', limited: false };
  let text = ` LIMIT ${g.int(0, max)}`;
  if (g.chance(0.3)) text += ` OFFSET ${g.int(1, 6)}`;
  return { text, limited: true };
}

// WITH, subqueries in FROM and in expressions, and set operations.
function subqueryQuery(g, stream, other) {
  const ctx = { p: '', dim: false };
  const w = () => g.boolExpr(ctx, 2);
  const form = g.pick(['with', 'with2', 'from', 'scalar', 'scalar_select', 'in', 'exists', 'setop', 'setop_num', 'comma', 'cross',
    'lateral']);
  const q = (l, d, items) => ({ kind: `sub/${form}`, l, d, items });
  if (form === 'lateral') {
    // LATERAL: a subquery or a table function per row of the items before it.
    const a = g.boolExpr({ p: 'e.', dim: false }, 1);
    const v = g.int(0, 3);
    if (v === 0) {
      const sql = (x) => `SELECT d.k, s.c, s.s FROM kd d, LATERAL (SELECT count(*) AS c, sum(e.n) AS s FROM ${stream} e ` +
        `WHERE e.k = d.k AND ${x}) s ORDER BY 1 NULLS FIRST, 2, 3 NULLS FIRST`;
      return q(sql(a.l), sql(a.d), [E('text', 'k', 'k', { alias: 'k' }), E('bigint', 'c', 'c', { alias: 'c' }), E('bigint', 's', 's', { alias: 's' })]);
    }
    if (v === 1) {
      const sql = (x) => `SELECT d.k, s.m FROM kd d LEFT JOIN LATERAL (SELECT e.m FROM ${stream} e WHERE e.k = d.k AND ${x} ` +
        'ORDER BY e.m DESC LIMIT 1) s ON true ORDER BY 1 NULLS FIRST, 2 NULLS FIRST';
      return q(sql(a.l), sql(a.d), [E('text', 'k', 'k', { alias: 'k' }), E('bigint', 'm', 'm', { alias: 'm' })]);
    }
    if (v === 2) {
      const sql = (x) => `SELECT e.m, g FROM ${stream} e, generate_series(1, coalesce(e.n, 0) % 3) AS t(g) WHERE ${x} ` +
        'ORDER BY 1, 2 LIMIT 40';
      return q(sql(a.l), sql(a.d), [E('bigint', 'm', 'm', { alias: 'm' }), E('bigint', 'g', 'g', { alias: 'g' })]);
    }
    const jt = g.pick(['JOIN', 'LEFT JOIN']);
    const sql = (x) => `SELECT e.m, s.label FROM ${stream} e ${jt} LATERAL (SELECT d.label FROM kd d WHERE d.k = e.k) s ` +
      `ON s.label <> 'x' WHERE ${x} ORDER BY 1, 2 NULLS FIRST LIMIT 40`;
    return q(sql(a.l), sql(a.d), [E('bigint', 'm', 'm', { alias: 'm' }), E('text', 'label', 'label', { alias: 'label' })]);
  }
  if (form === 'comma') {
    // FROM a, b WHERE a.k = b.k: an inner join keyed by WHERE's equality.
    const a = g.boolExpr({ p: 'e.', dim: false }, 1);
    const sql = (x) => `SELECT d.label, count(*) AS c, sum(e.n) AS s FROM ${stream} e, kd d WHERE e.k = d.k AND ${x} ` +
      'GROUP BY d.label ORDER BY 1 NULLS FIRST';
    return q(sql(a.l), sql(a.d), [E('text', 'label', 'label', { alias: 'label' }), E('bigint', 'c', 'c', { alias: 'c' }),
      E('bigint', 's', 's', { alias: 's' })]);
  }
  if (form === 'cross') {
    // A cross join with a one-row subquery, and a join on an inequality.
    if (g.chance(0.5)) {
      const sql = `SELECT e.m, e.n - s.lo AS d FROM ${stream} e CROSS JOIN (SELECT min(n) AS lo FROM ${other}) s ORDER BY 1 LIMIT 20`;
      return q(sql, sql, [E('bigint', 'm', 'm', { alias: 'm' }), E('bigint', 'd', 'd', { alias: 'd' })]);
    }
    const sql = `SELECT e.k, count(*) AS c FROM ${stream} e JOIN kd d ON e.n < d.w GROUP BY 1 ORDER BY 1 NULLS FIRST`;
    return q(sql, sql, [E('text', 'k', 'k', { alias: 'k' }), E('bigint', 'c', 'c', { alias: 'c' })]);
  }
  if (form === 'with') {
    const a = w();
    const c = g.int(0, 30);
    const sql = (x) => `WITH q AS (SELECT k, count(*) AS c, sum(n) AS s FROM ${stream} WHERE ${x} GROUP BY k) ` +
      `SELECT k, c, s FROM q WHERE c > ${c} ORDER BY k NULLS FIRST`;
    return q(sql(a.l), sql(a.d), [E('text', 'k', 'k', { alias: 'k' }), E('bigint', 'c', 'c', { alias: 'c' }), E('bigint', 's', 's', { alias: 's' })]);
  }
  if (form === 'with2') {
    const a = w();
    const sql = (x) => `WITH a AS (SELECT k, n, m FROM ${stream} WHERE ${x}), b (key, top) AS (SELECT k, max(n) FROM a GROUP BY k) ` +
      `SELECT b.key, b.top, count(*) AS c, min(a.m) AS mm FROM b JOIN a ON a.k = b.key AND a.n = b.top GROUP BY 1, 2 ORDER BY 1 NULLS FIRST`;
    return q(sql(a.l), sql(a.d), [E('text', 'key', 'key', { alias: 'key' }), E('bigint', 'top', 'top', { alias: 'top' }),
      E('bigint', 'c', 'c', { alias: 'c' }), E('bigint', 'mm', 'mm', { alias: 'mm' })]);
  }
  if (form === 'from') {
    const a = w();
    const named = g.chance(0.5);
    const inner = (x) => named ? `(SELECT lower(k), n + m FROM ${stream} WHERE ${x}) AS sq (g, v)`
      : `(SELECT lower(k) AS g, n + m AS v FROM ${stream} WHERE ${x}) sq`;
    const sql = (x) => `SELECT sq.g, count(*) AS c, max(sq.v) AS mx, count(DISTINCT v) AS dv FROM ${inner(x)} GROUP BY sq.g ORDER BY 1 NULLS FIRST`;
    return q(sql(a.l), sql(a.d), [E('text', 'g', 'g', { alias: 'g' }), E('bigint', 'c', 'c', { alias: 'c' }),
      E('bigint', 'mx', 'mx', { alias: 'mx' }), E('bigint', 'dv', 'dv', { alias: 'dv' })]);
  }
  if (form === 'scalar' || form === 'scalar_select') {
    const a = w();
    const agg = g.pick(['avg(n)', 'max(m)', 'min(n)', 'count(*)']);
    const t = agg.startsWith('avg') ? 'double' : 'bigint';
    if (form === 'scalar') {
      const cmp = g.pick(['>', '<=', '=']);
      const sql = (x) => `SELECT m, n FROM ${stream} WHERE n ${cmp} (SELECT ${agg} FROM ${other} WHERE ${x}) ORDER BY m LIMIT 25`;
      return q(sql(a.l), sql(a.d), [E('bigint', 'm', 'm', { alias: 'm' }), E('bigint', 'n', 'n', { alias: 'n' })]);
    }
    const sql = (x) => `SELECT k, count(*) AS c, (SELECT ${agg} FROM ${other} WHERE ${x}) AS sub FROM ${stream} GROUP BY k ORDER BY 1 NULLS FIRST`;
    return q(sql(a.l), sql(a.d), [E('text', 'k', 'k', { alias: 'k' }), E('bigint', 'c', 'c', { alias: 'c' }),
      E(t, 'sub', 'sub', { alias: 'sub', inexact: t === 'double' })]);
  }
  if (form === 'in') {
    const not = g.chance(0.4) ? 'NOT ' : '';
    const src = g.pick([`SELECT k FROM kd WHERE w > ${g.int(0, 3)}`, `SELECT k FROM kd WHERE w IS NOT NULL`, `SELECT u FROM ${other} WHERE m < ${g.int(0, 40)}`]);
    const sql = `SELECT m, k FROM ${stream} WHERE k ${not}IN (${src}) ORDER BY m LIMIT 30`;
    return q(sql, sql, [E('bigint', 'm', 'm', { alias: 'm' }), E('text', 'k', 'k', { alias: 'k' })]);
  }
  if (form === 'exists') {
    const a = w();
    const not = g.chance(0.5) ? 'NOT ' : '';
    const min = g.int(0, 5);
    const sql = (x) => `SELECT count(*) AS c FROM ${stream} WHERE ${not}EXISTS (SELECT 1 FROM kd WHERE w > ${min}) AND ${x}`;
    return q(sql(a.l), sql(a.d), [E('bigint', 'c', 'c', { alias: 'c' })]);
  }
  const op = g.pick(['UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT', 'INTERSECT ALL', 'EXCEPT ALL']);
  const a = w();
  const b = w();
  if (form === 'setop') {
    const sql = (x, y) => `SELECT k AS v FROM ${stream} WHERE ${x} ${op} SELECT u FROM ${other} WHERE ${y} ORDER BY 1 NULLS FIRST LIMIT 40`;
    return q(sql(a.l, b.l), sql(a.d, b.d), [E('text', 'v', 'v', { alias: 'v' })]);
  }
  const sql = (x, y) => `SELECT n AS v, k FROM ${stream} WHERE ${x} ${op} SELECT x, k FROM ${other} WHERE ${y} ORDER BY 1 NULLS FIRST, 2 NULLS FIRST LIMIT 40`;
  return q(sql(a.l, b.l), sql(a.d, b.d), [E('double', 'v', 'v', { alias: 'v' }), E('text', 'k', 'k', { alias: 'k' })]);
}

// The bug classes of expressions matched by text: the same column name through several aliases
// (a self-join, the dimension table joined twice, a CTE joined with itself) and literals of
// different types side by side (`n / 2` beside `n / 2.0`), each expression repeated across SELECT,
// GROUP BY, HAVING and ORDER BY. Laminar once grouped `a.k, b.k` as one key and `n / 2`,
// `n / 2.0` as one expression, silently.
function aliasQuery(g, stream, other) {
  const form = g.pick(['self', 'dim2', 'cte2', 'littype', 'littype_agg']);
  const q = (l, d, items) => ({ kind: `alias/${form}`, l, d, items });
  const it = (t, alias, extra = {}) => E(t, alias, alias, { alias, ...extra });
  if (form === 'self') {
    // A self-join on an arrival offset: both sides' k, n and u under the same names.
    const off = g.int(0, 40);
    const jt = g.pick(['JOIN', 'LEFT JOIN']);
    const w = g.boolExpr({ p: 'a.', dim: false }, 1);
    const sql = (x) => `SELECT a.k AS ak, b.k AS bk, count(*) AS c, sum(a.n) AS sa, sum(b.n) AS sb, max(b.u) AS mu ` +
      `FROM ${stream} a ${jt} ${stream} b ON a.m = b.m + ${off} WHERE ${x} GROUP BY a.k, b.k ` +
      `ORDER BY a.k NULLS FIRST, b.k DESC NULLS LAST`;
    return q(sql(w.l), sql(w.d), [it('text', 'ak'), it('text', 'bk'), it('bigint', 'c'), it('bigint', 'sa'), it('bigint', 'sb'), it('text', 'mu')]);
  }
  if (form === 'dim2') {
    // The dimension table joined twice (as origin and destination airports would be).
    const jt = g.pick(['JOIN', 'LEFT JOIN']);
    const sql = `SELECT d1.label AS l1, d2.label AS l2, count(*) AS c, sum(d1.w) AS w1, sum(d2.w) AS w2 ` +
      `FROM ${stream} e ${jt} kd d1 ON e.k = d1.k LEFT JOIN kd d2 ON lower(e.u) = lower(d2.k) OR substr(e.u, 2, 1) = substr(d2.label, 1, 1) ` +
      `GROUP BY d1.label, d2.label ORDER BY d1.label NULLS FIRST, d2.label NULLS FIRST`;
    return q(sql, sql, [it('text', 'l1'), it('text', 'l2'), it('bigint', 'c'), it('bigint', 'w1'), it('bigint', 'w2')]);
  }
  if (form === 'cte2') {
    // A CTE joined with itself.
    const w = g.boolExpr({ p: '', dim: false }, 1);
    const sql = (x) => `WITH c AS (SELECT k, count(*) AS n, min(m) AS lo FROM ${stream} WHERE ${x} GROUP BY k) ` +
      `SELECT a.k AS ak, b.k AS bk, a.n AS an, b.n AS bn FROM c a JOIN c b ON a.n < b.n ` +
      `ORDER BY a.k NULLS FIRST, b.k NULLS FIRST, a.n, b.n`;
    return q(sql(w.l), sql(w.d), [it('text', 'ak'), it('text', 'bk'), it('bigint', 'an'), it('bigint', 'bn')]);
  }
  // Literals of different types side by side; the expressions repeated in GROUP BY, HAVING and
  // ORDER BY. bigint / bigint truncates (DuckDB: //); 2.0 is a double.
  const d = g.pick([2, 3, 4, 10]);
  const col = g.pick(['n', 'm']);
  const li = `${col} / ${d}`, ld = `${col} / ${d}.0`;
  const di = `${col} // ${d}`, dd = `${col} / CAST(${d}.0 AS DOUBLE)`;
  if (form === 'littype') {
    const w = g.boolExpr({ p: '', dim: false }, 1);
    const sql = (x, a, b) => `SELECT ${a} AS qi, ${b} AS qd, count(*) AS c FROM ${stream} WHERE ${x} AND ${col} < 200 ` +
      `GROUP BY ${a}, ${b} ORDER BY ${b} DESC NULLS LAST, ${a} NULLS FIRST LIMIT 50`;
    return q(sql(w.l, li, ld), sql(w.d, di, dd), [it('bigint', 'qi'), it('double', 'qd'), it('bigint', 'c')]);
  }
  // Divisors 2 and 4 only here: the double quotients are dyadic, so their sums are exact in both
  // engines and HAVING's comparison of them is too.
  const e = g.pick([2, 4]);
  const [ai, ad, bi, bd] = [`${col} / ${e}`, `${col} // ${e}`, `${col} / ${e}.0`, `${col} / CAST(${e}.0 AS DOUBLE)`];
  const sql = (a, b, dsum) => `SELECT k, sum(${a}) AS si, ${dsum}(${b}) AS sd, max(${a}) AS mi, max(${b}) AS md FROM ${stream} ` +
    `GROUP BY k HAVING ${dsum}(${b}) <> sum(${a}) OR count(*) > 400 ORDER BY k NULLS FIRST`;
  return q(sql(ai, bi, 'sum'), sql(ad, bd, 'fsum'),
    [it('text', 'k'), it('bigint', 'si'), it('double', 'sd'), it('bigint', 'mi'), it('double', 'md')]);
}

// One query: {l, d, items: [{t, alias, inexact, loose}], kind}.
// Queries over a materialized view (h, k; c = count(*), sn = sum(n), ax = avg(x)): re-grouped by
// dimension expressions, measures merged (sum(c), sn bare or sum(sn), avg(ax) or ax bare: a true
// average) or read per row (max(c), count(*)), WHERE on dimensions and measures, HAVING, a window
// over merged values, a join with the dimension table. DuckDB answers over its view of the same
// groups, which also has sx = sum(x) and cx = count(x): a merged average is fsum(sx)/sum(cx).
function viewQuery(g, stream) {
  const v = `${stream}_hv`;
  const joined = g.chance(0.3);
  const p = joined ? 'v.' : '';
  const key = g.pick([
    null,
    E('text', `${p}k`),
    E('timestamptz', `date_trunc('day', ${p}h)`),
    E('boolean', `(${p}k IS NULL)`),
    E('text', `lower(${p}k)`),
    ...(joined ? [E('text', 'd.label'), E('bigint', 'd.w')] : []),
  ]);
  const items = [];
  if (key) items.push({ ...key, alias: 'g0' });
  const bare = key && g.chance(0.4);
  items.push({ ...E('bigint', `sum(${p}c)`, `sum(${p}c)`), alias: 'c' });
  items.push({ ...E('bigint', bare ? `${p}sn` : `sum(${p}sn)`, `sum(${p}sn)`), alias: 'sn' });
  items.push({ ...E('double', bare ? `${p}ax` : `avg(${p}ax)`, `fsum(${p}sx) / nullif(sum(${p}cx), 0)`), alias: 'ax', inexact: true });
  if (g.chance(0.5)) items.push({ ...E('bigint', `max(${p}c)`), alias: 'mc' });
  if (g.chance(0.5)) items.push({ ...E('bigint', 'count(*)'), alias: 'rows' });
  if (key && g.chance(0.3))
    items.push({ ...E('bigint', `rank() OVER (ORDER BY sum(${p}c) DESC)`), alias: 'rk' });
  const conds = [];
  if (g.chance(0.4)) conds.push(g.pick([`${p}k <> 'beta'`, `${p}k IS NOT NULL`, `${p}h >= '2024-03-11 00:00:00+00'`, `${p}h < '2024-03-11 12:00:00+00'`]));
  if (g.chance(0.3)) conds.push(g.pick([`${p}c > 2`, `${p}ax > 0`, `${p}sn IS NULL`, `${p}c = 1`]));
  const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
  const having = key && g.chance(0.3) ? { l: ` HAVING sum(${p}c) > ${g.int(1, 30)}`, d: ` HAVING sum(${p}c) > ` } : null;
  if (having) having.d += having.l.split('> ')[1];
  const from = joined ? `${v} v ${g.pick(['JOIN', 'LEFT JOIN'])} kd d ON d.k = v.k` : v;
  const group = key ? ' GROUP BY 1' : '';
  const ob = key ? orderBy(g, items.filter((it) => it.alias !== 'rk'), { allowExpr: false }) : { l: '', d: '' };
  const sel = (side) => items.map((it) => `${it[side]} AS ${it.alias}`).join(', ');
  return {
    kind: 'viewq',
    l: `SELECT ${sel('l')} FROM ${from}${where}${group}${having ? having.l : ''}${ob.l}`,
    d: `SELECT ${sel('d')} FROM ${from}${where}${group}${having ? having.d : ''}${ob.d}`,
    items,
  };
}

function generateQuery(g, stream, other) {
  const kind = g.pick(['agg', 'agg', 'agg', 'agg', 'global', 'proj', 'proj', 'proj', 'distinct', 'join', 'join', 'join2',
    'star', 'view', 'viewq', 'viewq', 'sub', 'sub', 'alias']);
  if (kind === 'sub') return subqueryQuery(g, stream, other);
  if (kind === 'alias') return aliasQuery(g, stream, other);
  if (kind === 'viewq') return viewQuery(g, stream);
  let ctx = { p: '', dim: false };
  let fromL = stream, fromD = stream;
  if (kind === 'join') {
    ctx = { p: 'e.', dim: true };
    const jt = g.pick(['JOIN', 'LEFT JOIN', 'INNER JOIN', 'LEFT OUTER JOIN']);
    const on = g.pick(['ON e.k = d.k', 'ON d.k = e.k', 'USING (k)', 'ON e.k = d.k AND d.w > 1', 'ON lower(e.k) = lower(d.k)',
      "ON e.k = d.k AND e.n > 0"]);
    fromL = fromD = `${stream} e ${jt} kd d ${on}`;
  }
  if (kind === 'join2') {
    // Two streams joined on m (the build side is a stream too: lake + log tail).
    const jt = g.pick(['JOIN', 'LEFT JOIN']);
    const on = g.pick(['ON e.m = f.m', 'ON f.m = e.m', 'ON e.m = f.m + 1', 'ON e.m = f.m AND e.k = f.k']);
    const w = g.chance(0.5) ? g.boolExpr({ p: 'e.', dim: false }, 1) : null;
    const items = [
      { ...E('bigint', 'count(*)'), alias: 'c' },
      { ...E('bigint', 'count(f.m)'), alias: 'cf' },
      { ...E('bigint', 'sum(e.n - f.n)'), alias: 's' },
      { ...E('text', 'max(f.k)'), alias: 'mk' },
      { ...E('double', 'sum(e.x * f.y)', 'fsum(e.x * f.y)'), alias: 'p', inexact: true },
    ];
    const key = g.pick([null, E('text', 'f.k'), E('boolean', '(f.u IS NULL)'), E('text', 'e.k')]);
    if (key) items.unshift({ ...key, alias: 'g0' });
    const sel = (s) => items.map((it) => `${it[s]} AS ${it.alias}`).join(', ');
    const where = w ? { l: ` WHERE ${w.l}`, d: ` WHERE ${w.d}` } : { l: '', d: '' };
    const group = key ? ' GROUP BY 1' : '';
    const ob = key ? orderBy(g, items, { allowExpr: false }) : { l: '', d: '' };
    const from = `${stream} e ${jt} ${other} f ${on}`;
    return {
      kind,
      l: `SELECT ${sel('l')} FROM ${from}${where.l}${group}${ob.l}`,
      d: `SELECT ${sel('d')} FROM ${from}${where.d}${group}${ob.d}`,
      items,
    };
  }
  if (kind === 'view') {
    // The stream joined with a materialized view read as a table (its batch ⊕ speed rows).
    const jt = g.pick(['JOIN', 'LEFT JOIN']);
    const w = g.chance(0.5) ? g.boolExpr({ p: 'e.', dim: false }, 1) : null;
    const items = [
      { ...E('text', 'e.k'), alias: 'g0' },
      { ...E('bigint', 'count(*)'), alias: 'c' },
      { ...E('bigint', 'sum(v.c)'), alias: 'vc' },
      { ...E('bigint', 'max(v.sn)'), alias: 'vs' },
      // avg of an avg measure merges the matched view rows' states (each as often as it matches).
      { ...E('double', 'avg(v.ax)', 'fsum(v.sx) / nullif(sum(v.cx), 0)'), alias: 'va', inexact: true },
    ];
    const ob = orderBy(g, items, { allowExpr: false });
    const from = `${stream} e ${jt} ${stream}_hv v ON v.h = date_trunc('hour', e.ts) AND v.k = e.k`;
    return {
      kind,
      l: `SELECT ${items.map((it) => `${it.l} AS ${it.alias}`).join(', ')} FROM ${from}${w ? ` WHERE ${w.l}` : ''} GROUP BY 1${ob.l}`,
      d: `SELECT ${items.map((it) => `${it.d} AS ${it.alias}`).join(', ')} FROM ${from}${w ? ` WHERE ${w.d}` : ''} GROUP BY 1${ob.d}`,
      items,
    };
  }
  if (kind === 'star') {
    // SELECT * in the stream's column order; m is unique, so ORDER BY m is total.
    const w = g.boolExpr(ctx, 2);
    const cols = [['ts', 'timestamptz'], ['k', 'text'], ['u', 'text'], ['n', 'bigint'], ['m', 'bigint'], ['x', 'double'], ['y', 'double'], ['b', 'boolean']];
    const items = cols.map(([name, t]) => ({ ...E(t, name), alias: name }));
    const o = ` ORDER BY m ${dir(g)}`;
    const lim = limitClause(g, 0.5, 30);
    return { kind, l: `SELECT * FROM ${stream} WHERE ${w.l}${o}${lim.text}`, d: `SELECT * FROM ${stream} WHERE ${w.d}${o}${lim.text}`, items };
  }
  const where = g.chance(kind === 'proj' ? 0.85 : 0.6) ? g.boolExpr(ctx, 2) : null;
  const whereL = where ? ` WHERE ${where.l}` : '';
  const whereD = where ? ` WHERE ${where.d}` : '';
  const shape = kind === 'join' ? g.pick(['agg', 'agg', 'proj', 'global']) : kind;

  if (shape === 'proj') {
    // A hidden sort key first sometimes: an exact expression not in the select list. Then every
    // item has an alias: a bare name in ORDER BY means an output column of that name first
    // (PostgreSQL; `CAST(m AS text)` is named m), where DuckDB takes the input column.
    const hidden = g.chance(0.2) ? g.pick([E('bigint', `${ctx.p}m`), g.keyExpr(ctx)]) : null;
    const items = Array.from({ length: g.int(1, 4) }, (_, i) => {
      const t = g.pick(['bigint', 'double', 'text', 'text', 'timestamptz', 'boolean']);
      const e = g.exprOf(ctx, t, 2);
      return { ...e, alias: hidden || g.chance(0.85) ? `c${i}` : null };
    });
    const how = ` ${dir(g)} ${nulls(g)}`;
    const hid = hidden ? { l: hidden.l + how, d: hidden.d + how } : null;
    const ob = orderBy(g, items, { hidden: hid });
    const lim = limitClause(g, 0.5, 30);
    const sel = (s) => items.map((it) => (it.alias ? `${it[s]} AS ${it.alias}` : it[s])).join(', ');
    return {
      kind: shape === kind ? kind : `${kind}/${shape}`,
      l: `SELECT ${sel('l')} FROM ${fromL}${whereL}${ob.l}${lim.text}`,
      d: `SELECT ${sel('d')} FROM ${fromD}${whereD}${ob.d}${lim.text}`,
      items,
    };
  }

  if (shape === 'distinct') {
    const items = [];
    const texts = new Set();
    for (let i = 0, n = g.int(1, 3); i < n; i++) {
      const e = g.keyExpr(ctx);
      if (texts.has(e.l)) continue;
      texts.add(e.l);
      items.push({ ...e, alias: `d${i}` });
    }
    const ob = orderBy(g, items, { allowExpr: false });
    const lim = limitClause(g, 0.3);
    const sel = (s) => items.map((it) => `${it[s]} AS ${it.alias}`).join(', ');
    return {
      kind,
      l: `SELECT DISTINCT ${sel('l')} FROM ${fromL}${whereL}${ob.l}${lim.text}`,
      d: `SELECT DISTINCT ${sel('d')} FROM ${fromD}${whereD}${ob.d}${lim.text}`,
      items,
    };
  }

  // Aggregates: global (one row) or grouped by one or two keys.
  const keys = [];
  if (shape === 'agg') {
    const texts = new Set();
    for (let i = 0, n = g.int(1, 2); i < n; i++) {
      const e = g.keyExpr(ctx);
      if (texts.has(e.l)) continue;
      texts.add(e.l);
      keys.push({ ...e, alias: `g${keys.length}`, inexact: false });
    }
  }
  const aggs = Array.from({ length: g.int(1, 4) }, (_, i) => ({ ...g.aggItem(ctx), alias: `a${i}` }));
  const items = [...keys, ...aggs];
  // A derived expression of a key, bound over the group key.
  if (keys.length && g.chance(0.15)) {
    const k = keys[0];
    items.push({ ...E('boolean', `(${k.l} IS NULL)`, `(${k.d} IS NULL)`), alias: 'kn' });
  }
  const sel = (s) => items.map((it) => `${it[s]} AS ${it.alias}`).join(', ');
  let group = { l: '', d: '' };
  if (keys.length) {
    const refs = keys.map((k, i) => {
      const how = g.pick(['pos', 'alias', 'expr', 'expr']);
      return how === 'pos' ? { l: String(i + 1), d: String(i + 1) } : how === 'alias' ? { l: k.alias, d: k.alias } : { l: k.l, d: k.d };
    });
    group = { l: ` GROUP BY ${refs.map((r) => r.l).join(', ')}`, d: ` GROUP BY ${refs.map((r) => r.d).join(', ')}` };
  }
  let having = { l: '', d: '' };
  if (g.chance(shape === 'global' ? 0.1 : 0.25)) {
    const h = g.pick([
      () => E('boolean', `count(*) > ${g.int(1, 40)}`),
      () => E('boolean', `sum(${ctx.p}n) > ${g.int(-1000, 20000)}`),
      () => E('boolean', `count(DISTINCT ${ctx.p}u) >= ${g.int(1, 20)}`),
      () => { const v = g.int(-100, 100); return E('boolean', `avg(${ctx.p}x) > ${v}`, `favg(${ctx.p}x) > ${v}`); },
      () => E('boolean', `max(${ctx.p}k) IS NOT NULL`),
      () => { const t = g.litTsStr(); return E('boolean', `min(${ctx.p}ts) < ${t.l}`); },
      () => E('boolean', `bool_or(${ctx.p}b)`),
    ])();
    having = { l: ` HAVING ${h.l}`, d: ` HAVING ${h.d}` };
  }
  let ob = { l: '', d: '' };
  let lim = { text: '' };
  if (keys.length) {
    // Sometimes an exact aggregate first (count(*) DESC), then every output column.
    const hid = g.chance(0.2) ? { l: `count(*) ${dir(g)} ${nulls(g)}` } : null;
    if (hid) hid.d = hid.l;
    ob = orderBy(g, items, { hidden: hid });
    lim = limitClause(g, 0.3, 15);
  }
  return {
    kind: shape === kind ? kind : `${kind}/${shape}`,
    l: `SELECT ${sel('l')} FROM ${fromL}${whereL}${group.l}${having.l}${ob.l}${lim.text}`,
    d: `SELECT ${sel('d')} FROM ${fromD}${whereD}${group.d}${having.d}${ob.d}${lim.text}`,
    items,
  };
}

// ---------------------------------------------------------------------------------------------
// Comparison.

function parseTs(s) {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z$/.exec(s);
  if (!m) return `bad timestamp ${s}`;
  return Date.parse(`${m[1]}Z`) * 1000 + Number((m[2] ?? '').padEnd(6, '0'));
}

function normLaminar(res) {
  const types = res.columns.map((c) => c.type);
  return res.rows.map((row) => row.map((v, i) => (v !== null && types[i] === 'timestamptz' ? parseTs(v) : v)));
}

function normDuck(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v;
  if (typeof v === 'object') {
    if ('micros' in v) return Number(v.micros);
    if (typeof v.toDouble === 'function') return v.toDouble();
    return String(v);
  }
  return v;
}

function sameValue(a, b, tol) {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return true;
    const diff = Math.abs(a - b);
    return diff <= tol * Math.max(Math.abs(a), Math.abs(b)) || diff <= 1e-9;
  }
  return a === b;
}

// Returns null when equal, else a description of the first difference.
function compareRows(lam, duck, items) {
  if (lam.length !== duck.length) return `row count: laminar ${lam.length}, duckdb ${duck.length}`;
  for (let r = 0; r < lam.length; r++) {
    if (lam[r].length !== duck[r].length) return `row ${r}: width ${lam[r].length} vs ${duck[r].length}`;
    for (let c = 0; c < lam[r].length; c++) {
      const tol = items[c]?.loose ? 1e-7 : 1e-9;
      if (!sameValue(lam[r][c], duck[r][c], tol))
        return `row ${r} column ${c + 1}: laminar ${JSON.stringify(lam[r][c])}, duckdb ${JSON.stringify(duck[r][c])}`;
    }
  }
  return null;
}

const show = (rows, n = 8) => rows.slice(0, n).map((r) => JSON.stringify(r)).join('\n    ') + (rows.length > n ? `\n    ... (${rows.length} rows)` : '');

// ---------------------------------------------------------------------------------------------

async function ok(resPromise, what) {
  const r = await resPromise;
  assert.equal(r.status, 200, `${what}: HTTP ${r.status} ${r.text}`);
  return r.json;
}

test('queries over raw streams: Laminar equals DuckDB on generated queries; sketches within bounds', async () => {
  console.log(`rawquery_diff: seed ${SEED} (LAMINAR_DIFF_SEED), ${TOTAL_QUERIES} queries (LAMINAR_DIFF_QUERIES)`);
  const started = Date.now();
  const dir = tempDir('laminar-rawdiff-');
  const cfg = path.join(dir, 'laminar.toml');
  // Small row groups: several per lake file, so the scans cross row-group boundaries.
  writeFileSync(cfg, '[batch]\ninterval = 0\n[lake]\nrow_group_bytes = 16384\npage_bytes = 4096\n');
  const srv = await startServer({ dataDir: path.join(dir, 'data'), args: ['--config', cfg] });
  const con = await duckdb();
  await con.run("SET TimeZone = 'UTC'");
  const mismatches = [];
  try {
    const rand = mulberry32(SEED);
    const datasets = SHAPES.map((shape) => makeRows(rand, shape));
    const streams = datasets.map((_, i) => `ev${i}`);

    // Laminar: streams and the dimension table.
    const ddl = streams.map((s) => `CREATE TABLE ${s} (ts timestamptz NOT NULL, k text, u text, n bigint, m bigint,
      x double precision, y double precision, b boolean)`).join(';\n');
    await ok(srv.sql(ddl), 'CREATE TABLE streams');
    // A materialized view per stream, joined to its stream by some queries.
    const viewSql = (s) => `SELECT date_trunc('hour', ts) AS h, k, count(*) AS c, sum(n) AS sn, avg(x) AS ax FROM ${s} GROUP BY 1, 2`;
    await ok(srv.sql(streams.map((s) => `CREATE MATERIALIZED VIEW ${s}_hv AS ${viewSql(s)}`).join(';\n')), 'CREATE MATERIALIZED VIEW');
    await ok(srv.sql('CREATE TABLE kd (k text, label text, w bigint) WITH (kind = \'dimension\')'), 'CREATE TABLE kd');
    const csv = path.join(dir, 'kd.csv');
    const csvField = (v) => (v === null ? '' : `"${String(v).replaceAll('"', '""')}"`);
    writeFileSync(csv, 'k,label,w\n' + KD.map((r) => r.map(csvField).join(',')).join('\n') + '\n');
    const copied = await ok(srv.sql(`COPY kd FROM '${csv}' WITH (FORMAT csv, HEADER true)`), 'COPY kd');
    assert.equal(copied.results[0].tag, `COPY ${KD.length}`);

    // Ingest in several requests: a third, batch run, a third, batch run, the rest stays in the log.
    const cuts = datasets.map((rows) => [0, Math.floor(rows.length * 0.4), Math.floor(rows.length * 0.7), rows.length]);
    for (let phase = 0; phase < 3; phase++) {
      for (let s = 0; s < streams.length; s++) {
        const part = datasets[s].slice(cuts[s][phase], cuts[s][phase + 1]);
        for (let i = 0; i < part.length; i += 500) {
          const chunk = part.slice(i, i + 500);
          const r = await srv.ingest(streams[s], ndjson(chunk));
          assert.equal(r.status, 200, r.text);
          assert.equal(r.json.accepted, chunk.length, r.text);
        }
      }
      if (phase < 2) await ok(postJson(`${srv.url}/v1/batch/run`, {}), `batch run ${phase + 1}`);
    }

    // DuckDB: the same rows (NULL empty strings stay empty strings: NDJSON keeps them apart).
    for (let s = 0; s < streams.length; s++) {
      const file = path.join(dir, `${streams[s]}.ndjson`);
      writeFileSync(file, ndjson(datasets[s]));
      await con.run(`CREATE TABLE ${streams[s]} AS SELECT * FROM read_json('${file}', format = 'newline_delimited',
        columns = {ts: 'TIMESTAMPTZ', k: 'VARCHAR', u: 'VARCHAR', n: 'BIGINT', m: 'BIGINT', x: 'DOUBLE', y: 'DOUBLE', b: 'BOOLEAN'})`);
      const cnt = (await con.runAndReadAll(`SELECT count(*) FROM ${streams[s]}`)).getRows()[0][0];
      assert.equal(Number(cnt), datasets[s].length);
    }
    for (const s of streams)
      await con.run(`CREATE VIEW ${s}_hv AS ${viewSql(s).replace('avg(x) AS ax', 'favg(x) AS ax, fsum(x) AS sx, count(x) AS cx')}`);
    await con.run('CREATE TABLE kd (k VARCHAR, label VARCHAR, w BIGINT)');
    for (const [k, label, w] of KD)
      await con.run(`INSERT INTO kd VALUES (${quote(k)}, ${label === null ? 'NULL' : quote(label)}, ${w ?? 'NULL'})`);

    // Each stream is part lake, part log tail.
    for (let s = 0; s < streams.length; s++) {
      const r = await ok(srv.query(`SELECT count(*) FROM ${streams[s]}`), 'count');
      assert.equal(r.rows[0][0], datasets[s].length);
      assert.equal(r.stats.raw, true);
      assert.ok(r.stats.lake_rows > 0 && r.stats.log_rows > 0, `lake + log tail: ${JSON.stringify(r.stats)}`);
      assert.equal(r.stats.lake_rows + r.stats.log_rows, datasets[s].length);
      assert.ok(r.stats.lake_files >= 2 && r.stats.row_groups >= r.stats.lake_files, JSON.stringify(r.stats));
    }

    const setupSeconds = (Date.now() - started) / 1000;
    // The generated queries.
    const queriesStarted = Date.now();
    const slowest = [];
    const g = makeGenerator(mulberry32(SEED ^ 0x5eed));
    const kinds = {};
    let rowsCompared = 0;
    for (let qi = 0; qi < TOTAL_QUERIES; qi++) {
      const s = qi % streams.length;
      const query = generateQuery(g, streams[s], streams[(s + 1) % streams.length]);
      kinds[query.kind] = (kinds[query.kind] ?? 0) + 1;
      const fail = (why, lamRows = [], duckRows = []) => {
        mismatches.push(query);
        console.log(`\nMISMATCH #${mismatches.length} (seed ${SEED}, query ${qi}, ${query.kind}): ${why}\n  laminar: ${query.l}\n  duckdb:  ${query.d}` +
          `\n  laminar rows:\n    ${show(lamRows)}\n  duckdb rows:\n    ${show(duckRows)}`);
      };
      let duckRows;
      try {
        const reader = await con.runAndReadAll(query.d);
        duckRows = reader.getRows().map((row) => row.map(normDuck));
      } catch (e) {
        fail(`DuckDB refused the query (a generator bug): ${e.message}`);
        continue;
      }
      const t0 = Date.now();
      const r = await srv.query(query.l);
      slowest.push([Date.now() - t0, query.l]);
      if (r.status !== 200) {
        fail(`Laminar: HTTP ${r.status} ${r.text}`, [], duckRows);
        continue;
      }
      const types = r.json.columns.map((c) => c.type);
      const wantTypes = query.items.map((it) => it.t);
      if (JSON.stringify(types) !== JSON.stringify(wantTypes)) {
        fail(`column types: laminar ${JSON.stringify(types)}, expected ${JSON.stringify(wantTypes)}`);
        continue;
      }
      const names = r.json.columns.map((c) => c.name);
      const badName = query.items.findIndex((it, i) => it.alias && it.alias !== names[i]);
      if (badName >= 0) {
        fail(`column ${badName + 1} is named ${names[badName]}, not ${query.items[badName].alias}`);
        continue;
      }
      const lamRows = normLaminar(r.json);
      const diff = compareRows(lamRows, duckRows, query.items);
      if (diff) fail(diff, lamRows, duckRows);
      rowsCompared += lamRows.length;
    }
    slowest.sort((a, b) => b[0] - a[0]);
    console.log(`rawquery_diff: ${TOTAL_QUERIES} queries (${JSON.stringify(kinds)}), ${rowsCompared} rows compared, ` +
      `${mismatches.length} mismatches; setup ${setupSeconds.toFixed(1)} s, queries ${((Date.now() - queriesStarted) / 1000).toFixed(1)} s ` +
      `(slowest ${slowest[0]?.[0]} ms: ${slowest[0]?.[1].slice(0, 200)})`);

    // Sketches against exact answers, per k and over everything.
    let worstDistinct = 0, worstPct = 0;
    // percentile_disc's rank: the ceil(q·n)-th smallest value (at least the first).
    const rank = (col, qq) => `list_sort(list(${col}) FILTER (WHERE ${col} IS NOT NULL))[greatest(CAST(ceil(${qq} * count(${col})) AS BIGINT), 1)]`;
    const QS = [['y', 0.5], ['y', 0.9], ['y', 0.99], ['n', 0.25], ['x', 0.75], ['y', 0], ['x', 1]];
    for (const s of streams) {
      for (const grouped of [true, false]) {
        const g1 = grouped ? 'k, ' : "'all' AS k, ";
        const gb = grouped ? ' GROUP BY k ORDER BY k NULLS LAST' : '';
        const lam = await ok(srv.query(`SELECT ${g1}approx_count_distinct(u), approx_count_distinct(ts), approx_count_distinct(y), ` +
          `${QS.map(([c, qq]) => `approx_percentile(${c}, ${qq})`).join(', ')} FROM ${s}${gb}`), 'sketch query');
        const exact = (await con.runAndReadAll(`SELECT ${g1}count(DISTINCT u), count(DISTINCT ts), count(DISTINCT y), ` +
          `${QS.map(([c, qq]) => rank(c, qq)).join(', ')} FROM ${s}${gb}`)).getRows().map((row) => row.map(normDuck));
        assert.equal(lam.rows.length, exact.length);
        for (let i = 0; i < exact.length; i++) {
          const [k, ...est] = lam.rows[i];
          const [ek, ...ex] = exact[i];
          assert.equal(k, ek);
          for (let j = 0; j < 3; j++) {
            const e = ex[j], v = est[j];
            const err = e === 0 ? Math.abs(v) : Math.abs(v - e) / e;
            worstDistinct = Math.max(worstDistinct, err);
            assert.ok(err <= 0.02, `${s} k=${k}: approx_count_distinct #${j + 1} ${v} vs exact ${e} (seed ${SEED})`);
          }
          for (let j = 0; j < QS.length; j++) {
            const e = ex[3 + j], v = est[3 + j];
            if (e === null) {
              assert.equal(v, null, `${s} k=${k}: approx_percentile(${QS[j]}) over no values`);
              continue;
            }
            const err = e === 0 ? Math.abs(v) : Math.abs(v - e) / Math.abs(e);
            worstPct = Math.max(worstPct, err);
            assert.ok(err <= 0.01, `${s} k=${k}: approx_percentile(${QS[j].join(', ')}) ${v} vs exact ${e} (seed ${SEED})`);
          }
        }
      }
    }
    console.log(`rawquery_diff: worst relative error approx_count_distinct ${(worstDistinct * 100).toFixed(3)}%, ` +
      `approx_percentile ${(worstPct * 100).toFixed(3)}%; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await srv.stop();
    removeDir(dir);
  }
  assert.equal(mismatches.length, 0, `${mismatches.length} queries differ from DuckDB (seed ${SEED}); see the log above`);
});
