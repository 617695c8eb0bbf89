// Helpers shared by the benchmarks.
import net from 'node:net';

// "--name value" pairs of the command line as an object.
export const parseArgs = (argv = process.argv.slice(2)) => Object.fromEntries(argv.reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));

export const freePort = () => new Promise((res) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
});
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// The p-quantile (0..1) of xs.
export const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
