// The binary starts and answers its simplest command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const bin = process.env.LAMINAR_BIN;

test('laminar version prints the version', () => {
  const out = execFileSync(bin, ['version']).toString();
  assert.match(out, /^laminar \d+\.\d+\.\d+/);
});
