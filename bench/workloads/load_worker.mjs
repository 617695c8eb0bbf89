// A load-generating worker thread: posts request bodies (slices of one shared buffer, taken in
// turn through a shared counter) to a Laminar server over `clients` keep-alive connections, and
// answers with each request's latency. workerData: {port, path, type, data (SharedArrayBuffer),
// offsets (SharedArrayBuffer of Int32 start/end pairs), next (SharedArrayBuffer, one Int32),
// clients, stopAt (ms since epoch; 0: until the bodies run out), cycle (start again at the first
// body when they run out, until stopAt)}.
import { parentPort, workerData } from 'node:worker_threads';
import { httpClient } from '../lib.mjs';

const { port, path, type, clients, stopAt, cycle } = workerData;
const data = Buffer.from(workerData.data);
const offsets = new Int32Array(workerData.offsets);
const next = new Int32Array(workerData.next);
const bodies = offsets.length / 2;
const http = httpClient(port, clients);
const latencies = [];
let errors = 0;
let firstError = '';
await Promise.all(Array.from({ length: clients }, async () => {
  for (;;) {
    if (stopAt && Date.now() >= stopAt) return;
    let i = Atomics.add(next, 0, 1);
    if (i >= bodies) {
      if (!cycle) return;
      i %= bodies;
    }
    const t = performance.now();
    const r = await http.post(path, data.subarray(offsets[2 * i], offsets[2 * i + 1]), type);
    latencies.push(performance.now() - t);
    if (r.status !== 200) { errors++; firstError ||= `${r.status} ${r.text.slice(0, 300)}`; }
  }
}));
http.close();
parentPort.postMessage({ latencies: Float64Array.from(latencies), errors, firstError });
