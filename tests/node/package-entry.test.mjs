// The package as users load it: ESM import, CommonJS require, and a worker thread — each a
// fresh Node process or thread, so nothing is shared with this test's own import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const MESSAGE = 'MSH|^~\\&|LAB|HOSP|||20261122||ADT^A04|MSG1|P|2.5.1\rEVN||20261122\rPID|1||123||DOE^JANE\rPV1|1|O\r';

function node(args, input) {
  return spawnSync(process.execPath, args, { cwd: here, input, encoding: 'utf8' });
}

test('CommonJS: require() gives the same synchronous API (Node 20.19+ loads the ESM entry)', () => {
  const script = `
    const pipehat = require('pipehat');
    const text = require('node:fs').readFileSync(0, 'utf8');
    const report = pipehat.validate(text);
    process.stdout.write(JSON.stringify({ keys: Object.keys(pipehat).sort(), valid: report.valid, name: pipehat.get(text, 'PID-5.1') }));
  `;
  const result = node(['-e', script], MESSAGE);
  assert.equal(result.status, 0, result.stderr);
  const out = JSON.parse(result.stdout);
  assert.deepEqual(out.keys, ['PipehatError', 'ack', 'anonymize', 'describe', 'diff', 'fromJSON', 'generateKey', 'get', 'init', 'parse', 'parseFile', 'parseMany', 'profileFromXml', 'segments', 'toJSON', 'validate', 'validateAll']);
  assert.equal(out.valid, true);
  assert.deepEqual(out.name, ['DOE']);
});

test('ESM: import in a fresh process, ready at once', () => {
  const result = node(['--input-type=module', '-e', `
    import { anonymize } from 'pipehat';
    import { readFileSync } from 'node:fs';
    process.stdout.write(anonymize(readFileSync(0, 'utf8')).text);
  `], MESSAGE);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /\rPID\|1\|\|REDACTED\|\|REDACTED\^REDACTED\r/);
});

test('a worker thread loads its own instance and works off the main thread', async () => {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.url).then(({ validateAll }) => {
      parentPort.postMessage(validateAll(workerData.text).messages.map((m) => m.valid));
    });
  `, {
    eval: true,
    workerData: {
      url: import.meta.resolve('pipehat'),
      text: MESSAGE + MESSAGE.replace('MSG1', 'MSG2').replace('PID|1||123||DOE^JANE', 'PID|1||123||DOE^JANE||19800230'),
    },
  });
  const result = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.deepEqual(result, [true, false]);
});
