// What the package throws: a PipehatError (an Error) with a code, and a location where the
// problem has one; never a wasm trap or a bare string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PipehatError, ack, anonymize, describe, fromJSON, get, parse, parseFile, validate } from 'pipehat';

function throwsCode(call, code, pattern) {
  assert.throws(call, (error) => {
    assert.ok(error instanceof PipehatError, `${error} is a PipehatError`);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'PipehatError');
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\u0001/);
    return true;
  });
}

const message = 'MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1\rPID|1||7||DOE^JANE\r';

test('every kind of bad input has its code', () => {
  throwsCode(() => validate('hello'), 'input', /MSH/);
  throwsCode(() => get(message, 'P!D-5'), 'path', /not a path/);
  throwsCode(() => describe('PID-', '2.5.1'), 'path', /./);
  throwsCode(() => describe('PID-5', 'abc'), 'version', /names no HL7 v2 version/);
  throwsCode(() => anonymize(message, { preset: 'pseudonymize' }), 'key-required', /key/);
  throwsCode(() => anonymize(message, { policy: { fields: { 'PID-3[2]': 'keep' } } }), 'policy', /PID-3\[2\]/);
  throwsCode(() => anonymize(message, { preset: 'hipaa' }), 'options', /hipaa/);
  throwsCode(() => ack(message, { code: 'OK' }), 'options', /acknowledgment code/);
  throwsCode(() => fromJSON({ format: 'x' }), 'json', /lossless/);
  throwsCode(() => parse(message).set('MSH-1', '#'), 'edit', /cannot set MSH-1/);
  throwsCode(() => parseFile(message).message(3), 'range', /no message 3/);
});

test('a message without a readable header says where', () => {
  assert.throws(() => parse('MSH'), (error) => {
    assert.equal(error.code, 'input');
    assert.equal(typeof error.location?.byteOffset, 'number');
    return true;
  });
});

test('wrong argument types stay TypeErrors', () => {
  assert.throws(() => validate(42), TypeError);
  assert.throws(() => parse(null), TypeError);
  assert.throws(() => parse(message).get(5), TypeError);
});
