// What crosses into WebAssembly: every argument and option is checked first, so no input
// reaches a trap; and should one trap anyway, the next call still works. Each case here was a
// trap, a wrong answer or an unreadable error before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  PipehatError, ack, anonymize, describe, fromJSON, get, parse, parseFile, parseMany, profileFromXml, segments, toJSON,
  validate, validateAll,
} from 'pipehat';

const here = fileURLToPath(new URL('.', import.meta.url));
const message = 'MSH|^~\\&|A|B|||20261122||ADT^A04|MSG1|P|2.5.1\rEVN||20261122\rPID|1||7||DOE^JANE\rPV1|1|O\r';

/** Every function that takes options, called with `options`. */
const withOptions = {
  validate: (o) => validate(message, o),
  validateAll: (o) => validateAll(message, o),
  anonymize: (o) => anonymize(message, o),
  toJSON: (o) => toJSON(message, o),
  ack: (o) => ack(message, o),
  get: (o) => get(message, 'PID-5', o),
  parse: (o) => parse(message, o),
  parseMany: (o) => parseMany(message, o),
  parseFile: (o) => parseFile(message, o),
  'HL7Message.get': (o) => parse(message).get('PID-5', o),
  'HL7File.values': (o) => parseFile(message).values('PID-5', o),
};

test('options: undefined, null and {} are no options, for every function', () => {
  for (const [name, call] of Object.entries(withOptions)) {
    for (const none of [undefined, null, {}]) assert.doesNotThrow(() => call(none), `${name}(${none})`);
  }
});

test('options: anything but a plain object is a TypeError naming the function', () => {
  for (const [name, call] of Object.entries(withOptions)) {
    for (const [bad, shown] of [[5, 'the number 5'], ['strict', "'strict'"], [[], 'an array'], [true, 'true'], [new Map(), 'an object']]) {
      assert.throws(() => call(bad), { name: 'TypeError', message: `${name}: options must be an object, not ${shown}` });
    }
  }
});

test('options: an unknown key is a TypeError for every function (a typo is never ignored)', () => {
  for (const [name, call] of Object.entries(withOptions)) {
    assert.throws(() => call({ presett: 'strict' }), { name: 'TypeError', message: new RegExp(`^${name.replace('.', '\\.')}: unknown option 'presett' \\(expected one of: `) });
  }
  assert.throws(() => anonymize(message, { policy: { fields: {}, feilds: {} } }), { name: 'TypeError', message: /^anonymize: unknown option 'policy\.feilds'/ });
  assert.throws(() => validate(message, { profile: { segments: { PID: { feilds: {} } } } }), { name: 'TypeError', message: /^validate: unknown option 'profile\.segments\.PID\.feilds'/ });
});

test('options: a wrong type is a TypeError saying what was given and what is expected', () => {
  // Each of these trapped ("memory access out of bounds") or read as serde's own words.
  const cases = [
    [() => ack(message, { controlId: 12345 }), "ack: option 'controlId' must be a string, not the number 12345"],
    [() => ack(message, { code: 5 }), "ack: option 'code' must be an acknowledgment code ('AA', 'AE', 'AR', 'CA', 'CE' or 'CR'), not the number 5"],
    [() => ack(message, { timestamp: 5 }), "ack: option 'timestamp' must be a string, not the number 5"],
    [() => toJSON(message, { version: 5 }), "toJSON: option 'version' must be a string, not the number 5"],
    [() => toJSON(message, { lossless: 'yes' }), "toJSON: option 'lossless' must be true or false, not 'yes'"],
    [() => validate(message, { withValues: 0 }), "validate: option 'withValues' must be true or false, not the number 0"],
    [() => validate(message, { profile: [] }), "validate: option 'profile' must be an object, not an array"],
    [() => validate(message, { profile: { segments: { PID: { max: '2' } } } }), "validate: option 'profile.segments.PID.max' must be a whole number from 0 to 4294967295 or null, not '2'"],
    [() => validate(message, { profile: { customSegments: [{ name: 'x' }] } }), "validate: option 'profile.customSegments[0].id' is required"],
    [() => anonymize(message, { key: 42 }), "anonymize: option 'key' must be a string, not the number 42"],
    [() => anonymize(message, { policy: { fields: { 'PID-5': true } } }), "anonymize: option 'policy.fields.PID-5' must be a method ('keep', 'redact', 'remove', 'generalize', 'pseudonymize' or 'scrub'), not true"],
    [() => get(message, 'PID-5', { raw: 1 }), "get: option 'raw' must be true or false, not the number 1"],
    [() => parse(message).get('PID-5', { raw: 'no' }), "HL7Message.get: option 'raw' must be true or false, not 'no'"],
  ];
  for (const [call, text] of cases) assert.throws(call, { name: 'TypeError', message: text });
});

test('options: a value that is not one the option allows is a PipehatError "options"', () => {
  const cases = [
    [() => validate(message, { preset: 'strct' }), "validate: option 'preset' must be 'tolerant' or 'strict', not 'strct'"],
    [() => anonymize(message, { preset: 'hipaa' }), "anonymize: option 'preset' must be 'safe-harbor' or 'pseudonymize', not 'hipaa'"],
    [() => anonymize(message, { policy: { fields: { 'PID-5': 'shred' } } }), "anonymize: option 'policy.fields.PID-5' must be a method ('keep', 'redact', 'remove', 'generalize', 'pseudonymize' or 'scrub'), not 'shred'"],
    [() => ack(message, { code: 'OK' }), "ack: option 'code' must be an acknowledgment code ('AA', 'AE', 'AR', 'CA', 'CE' or 'CR'), not 'OK'"],
    [() => validate(message, { profile: { segments: { PID: { max: -1 } } } }), "validate: option 'profile.segments.PID.max' must be a whole number from 0 to 4294967295 or null, not the number -1"],
  ];
  for (const [call, text] of cases) {
    assert.throws(call, (error) => error instanceof PipehatError && error.code === 'options' && error.message === text);
  }
});

test('arguments: wrong types are TypeErrors naming the function', () => {
  assert.throws(() => validate(42), { name: 'TypeError', message: 'validate: input must be a string or a Uint8Array, not the number 42' });
  assert.throws(() => get(message, 5), { name: 'TypeError', message: 'get: path must be a string, not the number 5' });
  assert.throws(() => describe('PID-5', 2.5), { name: 'TypeError', message: 'describe: version must be a string, not the number 2.5' });
  assert.throws(() => profileFromXml(null), { name: 'TypeError', message: 'profileFromXml: xml must be a string, not null' });
  assert.throws(() => parse(message).set('PID-5', 5), { name: 'TypeError', message: 'HL7Message.set: value must be a string, not the number 5' });
  assert.throws(() => segments({}), TypeError);
});

test('numbers are checked at the boundary: no index wraps around to another', () => {
  const file = parseFile(message);
  // 4294967296 wrapped to 0 and NaN became 0: both answered message 0.
  assert.throws(() => file.message(4294967296), (e) => e instanceof PipehatError && e.code === 'range' && /no message 4294967296: the file has 1/.test(e.message));
  assert.throws(() => file.message(-1), (e) => e instanceof PipehatError && e.code === 'range');
  for (const bad of [NaN, 0.5, Infinity, '0', null, undefined, 0n]) {
    assert.throws(() => file.message(bad), { name: 'TypeError', message: /^HL7File\.message: index must be a whole number, not / });
  }
  assert.equal(file.message(0).get('MSH-10'), 'MSG1');
  const parsed = parse(message);
  // 4294967301 wrapped to 5 and answered MSH-2.
  assert.equal(parsed.pathAt(4294967301), undefined);
  assert.equal(parsed.pathAt(-1), undefined);
  assert.equal(parsed.pathAt(Number.MAX_SAFE_INTEGER), undefined);
  assert.throws(() => parsed.pathAt(NaN), { name: 'TypeError', message: /^HL7Message\.pathAt: offset must be a whole number, not the number NaN$/ });
  assert.equal(parsed.pathAt(5).path, 'MSH-2');
});

test('huge indexes in an edit path are an "edit" error, and the message stays usable', () => {
  for (const path of ['PID-4294967295', 'PID-4[4294967295]', 'PID-5.4294967295', 'PID-5.1.4294967295', 'PID[4294967295]-1']) {
    const parsed = parse(message);
    assert.throws(() => parsed.set(path, 'X'), (e) => e instanceof PipehatError && e.code === 'edit', path);
    // It reported "recursive use of an object" after the trap.
    assert.equal(parsed.get('PID-5.1'), 'DOE', path);
    assert.equal(parsed.toString(), parse(message).toString());
  }
});

test('nesting the input decides is refused in Rust, with its code', () => {
  let field = 'x';
  for (let i = 0; i < 6000; i++) field = [field];
  const json = { format: 'pipehat-lossless/1', items: [{ message: [{ id: 'MSH', fields: ['|', '^~\\&', field] }] }] };
  assert.throws(() => fromJSON(json), (e) => e instanceof PipehatError && e.code === 'json' && /a list where a value was expected/.test(e.message));
  const xml = `${'<a>'.repeat(4000)}${'</a>'.repeat(4000)}`;
  assert.throws(() => profileFromXml(xml), (e) => e instanceof PipehatError && e.code === 'profile' && /nested more than 100 deep/.test(e.message));
  // The instance is fine afterwards (a trap here broke every later call).
  assert.equal(validate(message).valid, true);
});

test('a freed handle says so (not "null pointer passed to rust"); freeing twice is harmless', () => {
  const parsed = parse(message);
  parsed.free();
  parsed.free();
  for (const call of [() => parsed.get('PID-5'), () => parsed.segmentCount, () => parsed.toString(), () => parsed.set('PID-5', 'X'), () => parsed.pathAt(1), () => JSON.stringify(parsed)]) {
    assert.throws(call, { name: 'TypeError', message: /^HL7Message\.\w+: this HL7Message was freed$/ });
  }
  const file = parseFile(message);
  file.free();
  assert.throws(() => file.values('PID-5'), { name: 'TypeError', message: 'HL7File.values: this HL7File was freed' });
  assert.throws(() => file.messageCount, { name: 'TypeError', message: 'HL7File.messageCount: this HL7File was freed' });
  // Methods called on something else, and the generated constructors and statics reachable
  // from any handle, are no way around the checks.
  const { constructor } = parse(message);
  assert.equal(constructor.fromBytes, undefined);
  assert.equal(constructor.fromInput, undefined);
  assert.throws(() => constructor.prototype.get.call({}, 'PID-5'), { name: 'TypeError', message: 'HL7Message.get: not called on an HL7Message' });
  assert.equal(parseFile(message).valuesPacked, undefined);
});

test('after a trap, pipehat is reset: the next call works, old handles say why they cannot', async () => {
  const { __testing } = await import(new URL('../../pkg/core.js', import.meta.url));
  const before = parse(message);
  const file = parseFile(message);
  assert.throws(() => __testing.trap(), (e) => e instanceof PipehatError && e.code === 'internal'
    && e.message === 'pipehat hit an internal error and was reset; handles made before are no longer usable'
    && e.cause instanceof WebAssembly.RuntimeError);
  assert.equal(validate(message).valid, true);
  assert.equal(parse(message).get('PID-5.1'), 'DOE');
  assert.throws(() => before.get('PID-5'), (e) => e instanceof PipehatError && e.code === 'internal' && /^HL7Message\.get: this HL7Message was made before pipehat was reset/.test(e.message));
  assert.throws(() => file.values('PID-5'), (e) => e.code === 'internal');
  before.free(); // its memory went with the old instance: nothing to free in the new one
  file.free();
});

test('bad call, good call, 10,000 times: every good call works and the process exits 0', () => {
  // In a child process, so a crash at exit (the FinalizationRegistry after a trap) shows.
  const script = `
    import * as p from 'pipehat';
    const { __testing } = await import(${JSON.stringify(new URL('../../pkg/core.js', import.meta.url).href)});
    const m = ${JSON.stringify(message)};
    let field = 'x';
    for (let i = 0; i < 6000; i++) field = [field];
    const deepJson = { format: 'pipehat-lossless/1', items: [{ message: [{ id: 'MSH', fields: ['|', '^~\\\\&', field] }] }] };
    const deepXml = '<a>'.repeat(4000) + '</a>'.repeat(4000);
    const kept = [];
    const bad = [
      () => p.ack(m, { controlId: 12345 }),
      () => p.ack(m, { code: 5 }),
      () => p.ack(m, { timestamp: 5 }),
      () => p.toJSON(m, { version: 5 }),
      () => p.fromJSON(deepJson),
      () => p.profileFromXml(deepXml),
      () => p.parse(m).set('PID-4294967295', 'X'),
      () => p.parse(m).set('PID-5[4294967295]', 'X'),
      () => p.parse(m).set('PID-5.4294967295', 'X'),
      () => p.parseFile(m).message(4294967296),
      () => p.parseFile(m).message(NaN),
      () => p.parse(m).pathAt(4294967301) ?? (() => { throw new Error('undefined'); })(),
      () => { const h = p.parse(m); h.free(); h.get('PID-5'); },
      () => p.validate(m, { presett: 'strict' }),
      () => p.validate(m, 5),
      () => { kept.push(p.parse(m), p.parseFile(m)); __testing.trap(); },
    ];
    for (let i = 0; i < 10000; i++) {
      try { bad[i % bad.length](); throw new Error('no error from bad call ' + (i % bad.length)); } catch (e) {
        if (e.message.startsWith('no error')) throw e;
      }
      const name = p.parse(m).get('PID-5.1');
      if (name !== 'DOE' || p.validate(m).valid !== true) throw new Error('good call ' + i + ' failed after bad call ' + (i % bad.length));
    }
    for (const h of kept.splice(0, 10)) { try { h.get ? h.get('PID-5') : h.values('PID-5'); throw new Error('stale handle worked'); } catch (e) { if (e.code !== 'internal') throw e; } }
    kept.length = 0;
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
    globalThis.gc?.();
    process.stdout.write('ok');
  `;
  const result = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { cwd: here, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr.slice(-2000));
  assert.equal(result.stdout, 'ok');
});
