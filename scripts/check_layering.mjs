#!/usr/bin/env node
// The layering check: each folder of src/ includes only the folders docs/architecture.md allows
// ("may use" column of the module table). Run by ctest (`layering`); exits 1 listing every
// wrong-way include with its file and line.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const doc = readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
const folders = readdirSync(path.join(root, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

// | `src/x` | lib | what | may use |
const allowed = new Map();
const order = [];
for (const line of doc.split('\n')) {
  const m = /^\|\s*`src\/([a-z_]+)`\s*\|[^|]*\|[^|]*\|([^|]*)\|\s*$/.exec(line);
  if (!m) continue;
  const [, folder, uses] = m;
  let set;
  if (/everything/.test(uses)) set = new Set(folders);
  else if (/all of the above/.test(uses)) set = new Set(order);
  else set = new Set(uses.split(',').map((s) => s.trim()).filter((s) => folders.includes(s)));
  set.add(folder);
  allowed.set(folder, set);
  order.push(folder);
}

const errors = [];
for (const f of folders) {
  if (!allowed.has(f)) {
    errors.push(`src/${f}: not in the module table of docs/architecture.md`);
    continue;
  }
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(h|cc)$/.test(e.name)) {
        readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
          const m = /^\s*#\s*include\s+"([a-z_]+)\//.exec(line);
          if (m && folders.includes(m[1]) && !allowed.get(f).has(m[1]))
            errors.push(`${path.relative(root, p)}:${i + 1}: src/${f} may not include ${m[1]}/ (docs/architecture.md)`);
        });
      }
    }
  };
  walk(path.join(root, 'src', f));
}
if (errors.length) {
  console.error(errors.join('\n'));
  console.error(`layering: ${errors.length} wrong-way include(s)`);
  process.exit(1);
}
console.log(`layering: ${folders.length} folders, every include allowed`);
