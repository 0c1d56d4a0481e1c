// The package's `default` entry (browsers, workers, bundlers), exercised from Node.js: nothing
// works before `init()`, which accepts the wasm as bytes or a compiled module and is idempotent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// `pipehat/pipehat.wasm` is exported as a path, so bundlers and servers can find the module.
const wasmPath = require.resolve('pipehat/pipehat.wasm');
const { init, segments } = await import(new URL('../../pkg/index.js', import.meta.url));

test('using the API before init() is a clear error', () => {
  assert.throws(() => segments('MSH|^~\\&'), /call `await init\(\)`/);
});

test('init() with the wasm bytes, then the API works', async () => {
  await init(readFileSync(wasmPath));
  assert.deepEqual(segments('MSH|^~\\&|A\rPID|1').map((s) => s.id), ['MSH', 'PID']);
});

test('init() is idempotent: later calls return the first load', async () => {
  const module = new WebAssembly.Module(readFileSync(wasmPath));
  const first = init(module);
  assert.equal(init(), first);
  await first;
  assert.equal(segments('MSH|^~\\&').length, 1);
});
