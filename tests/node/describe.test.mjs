// The HL7 dictionary through the npm package: `describe(path, version)`.
// Expected names are the standard's (hl7-dictionary 1.0.1 as the second source), not the
// generator's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe } from 'pipehat';

test('names a component in words, with its type', () => {
  const d = describe('PID-11[1].5', '2.5.1');
  assert.equal(d.path, 'PID-11.5');
  assert.equal(d.version, '2.5.1');
  assert.equal(d.label, 'Patient Address / Zip or Postal Code');
  assert.equal(d.segmentName, 'Patient Identification');
  assert.equal(d.dataType, 'ST');
  assert.equal(d.field.dataType, 'XAD');
  assert.equal(d.field.maxRepetitions, null);
  assert.equal(d.component.position, 5);
});

test('field definitions differ by version', () => {
  assert.equal(describe('PID-7', '2.3').field.dataType, 'TS');
  assert.equal(describe('PID-7', '2.8').field.dataType, 'DTM');
  const sex = describe('PID-8', '2.5.1').field;
  assert.deepEqual(
    { name: sex.name, usage: sex.usage, table: sex.table },
    { name: 'Administrative Sex', usage: 'O', table: 1 },
  );
});

test('reads MSH-12 as written and says when it falls back', () => {
  assert.equal(describe('MSH-9', '2.5.1^USA').version, '2.5.1');
  const newer = describe('MSH-9', '2.9');
  assert.equal(newer.version, '2.8.2');
  assert.match(newer.versionNote, /2\.9/);
  assert.equal(describe('MSH-9').version, '2.8.2');
});

test('unknown segments have an empty label; bad paths throw', () => {
  assert.equal(describe('ZPI-1', '2.5.1').label, '');
  assert.throws(() => describe('PID-', '2.5.1'), /path/i);
  assert.throws(() => describe('PID-5', 'latest'), /version/);
  assert.throws(() => describe(5), TypeError);
});
