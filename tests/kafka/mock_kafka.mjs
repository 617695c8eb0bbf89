// Drives tests/kafka/mock_kafka (librdkafka's mock cluster) from Node, for the Kafka tests and
// the W11 benchmark: `startMockKafka(bin, brokers)` → {boot, cmd(command), stop()}. `boot` is the
// bootstrap list; `cmd` sends one of mock_kafka.c's commands and waits for its "ok" (it throws
// with the answer otherwise).
import { spawn } from 'node:child_process';
import readline from 'node:readline';

export async function startMockKafka(bin, brokers = 1) {
  const proc = spawn(bin, [String(brokers)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = [];
  const waiting = [];
  readline.createInterface({ input: proc.stdout }).on('line', (l) => (waiting.length ? waiting.shift()(l) : lines.push(l)));
  const next = () => (lines.length ? Promise.resolve(lines.shift()) : new Promise((r) => waiting.push(r)));
  const boot = (await next()).replace(/^bootstrap: /, '');
  return {
    boot,
    async cmd(c) {
      proc.stdin.write(`${c}\n`);
      const r = await next();
      if (r !== 'ok') throw new Error(`mock_kafka ${c}: ${r}`);
    },
    stop() {
      proc.stdin.end();
    },
  };
}
