// The npm package as Node.js users get it: `import { segments } from 'pipehat'` resolves through
// the package's `exports` (the `node` condition), and the API is ready on import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, segments } from 'pipehat';

const message = [
  'MSH|^~\\&|LAB|HOSP|EHR|HOSP|202611220214||ORU^R01|MSG0001|P|2.5.1',
  'PID|1||12345^^^HOSP^MR||Müller^Zoë||19800101|F',
  'OBX|1|TX|NOTE^Note||Résumé 😀 ok||||||F',
].join('\r') + '\r';

test('splits a CR-terminated message into its segments', () => {
  assert.deepEqual(segments(message).map((s) => s.id), ['MSH', 'PID', 'OBX']);
});

test('UTF-16 spans slice the string; byte spans slice its UTF-8', () => {
  const bytes = new TextEncoder().encode(message);
  const lines = message.split('\r').filter(Boolean);
  const found = segments(message);
  assert.equal(found.length, lines.length);
  found.forEach((segment, i) => {
    assert.equal(message.slice(segment.span.start, segment.span.end), lines[i]);
    const slice = bytes.subarray(segment.byteSpan.start, segment.byteSpan.end);
    assert.equal(new TextDecoder().decode(slice), lines[i]);
  });
  // Non-ASCII makes the two differ: 'ü', 'ë' take 2 bytes, '😀' 4 bytes but 2 UTF-16 units.
  const obx = found[2];
  assert.equal(obx.span.start, message.indexOf('OBX'));
  assert.equal(obx.byteSpan.start, obx.span.start + 2);
  assert.equal(obx.byteSpan.end - obx.byteSpan.start, obx.span.end - obx.span.start + 4);
});

test('bytes in, byte spans out (no UTF-16 offsets without a string)', () => {
  const bytes = new TextEncoder().encode('\uFEFFMSH|^~\\&|A\r\nPID|1\n\nPV1|1');
  assert.deepEqual(segments(bytes), [
    { id: 'MSH', byteSpan: { start: 3, end: 13 } },
    { id: 'PID', byteSpan: { start: 15, end: 20 } },
    { id: 'PV1', byteSpan: { start: 22, end: 27 } },
  ]);
});

test('any line ending, blank lines and a custom field separator', () => {
  const text = 'MSH^~|\\&^A\r\n\r\nPID^1\nOBX^1\r';
  assert.deepEqual(
    segments(text).map((s) => [s.id, s.span.start, s.span.end]),
    [['MSH', 0, 10], ['PID', 14, 19], ['OBX', 20, 25]],
  );
});

test('an empty input has no segments', () => {
  assert.deepEqual(segments(''), []);
  assert.deepEqual(segments(new Uint8Array()), []);
});

test('a wrong input type is a TypeError that says what was expected', () => {
  assert.throws(() => segments(42), { name: 'TypeError', message: /string or a Uint8Array/ });
  assert.throws(() => segments(null), { name: 'TypeError', message: /not null/ });
});

test('init() is a harmless no-op in Node.js', async () => {
  await init();
  assert.equal(segments('MSH|^~\\&').length, 1);
});
