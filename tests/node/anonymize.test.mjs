// De-identification through the npm package: the same Rust code as the crate, with JS options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymize, generateKey, validate } from 'pipehat';

const message = [
  'MSH|^~\\&|REG|HOSP|EHR|HOSP|20261122083000||ADT^A04^ADT_A01|MSG00001|P|2.5.1',
  'EVN|A04|20261122083000',
  'PID|1||123456^^^HOSP^MR||Müller^Zoë^Q||19800229|F|||1 MAIN ST^^SPRINGFIELD^IL^62701^USA||^PRN^PH^^1^217^5551234',
  'PV1|1|O|CLINIC^101^1',
  'NTE|1||Zoë Müller (123456) asked to be called on 217-555-1234',
  'ZPI|1|her dog Rex',
].join('\r') + '\r';

const identifiers = ['Müller', 'Zoë', '123456', 'MAIN ST', 'SPRINGFIELD', '5551234', '62701', 'MSG00001', 'Rex', '19800229'];

test('safe harbor by default: identifiers gone, dates to the year, structure kept', () => {
  const { text, receipt } = anonymize(message);
  for (const value of identifiers) assert.ok(!text.includes(value), `${value} survived:\n${text}`);
  const lines = text.split('\r');
  assert.equal(lines[0], 'MSH|^~\\&|REG|HOSP|EHR|HOSP|2026||ADT^A04^ADT_A01|REDACTED|P|2.5.1');
  assert.equal(lines[2], 'PID|1||REDACTED^^^REDACTED^MR||REDACTED^REDACTED^REDACTED||1980|F|||REDACTED^^REDACTED^IL^627^USA||^PRN^PH^^^^');
  assert.equal(lines[5], 'ZPI|REDACTED|REDACTED');
  assert.equal(receipt.preset, 'safe-harbor');
  assert.equal(receipt.messages, 1);
  const name = receipt.changes.find((c) => c.path === 'PID-5.1');
  assert.deepEqual(name, { message: 0, path: 'PID-5.1', category: 'family-name', method: 'redact' });
  // No original values in the receipt unless asked.
  assert.ok(!JSON.stringify(receipt).includes('Müller'));
  const kept = anonymize(message, { keepOriginals: true }).receipt.changes.find((c) => c.path === 'PID-5.1');
  assert.equal(kept.original, 'Müller');
  // No new errors: the same ones as before (here: NTE has no place in ADT_A01).
  const errors = (t) => validate(t).findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.location.path ?? ''}`);
  assert.deepEqual(errors(text), errors(message));
  assert.deepEqual(errors(text), ['structure.segment-unexpected ']);
});

test('pseudonymize: keyed, consistent, realistic; free text redacted unless scrubbing is asked for', () => {
  const key = generateKey();
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.notEqual(key, generateKey());
  const one = anonymize(message, { preset: 'pseudonymize', key });
  assert.equal(one.text, anonymize(message, { preset: 'pseudonymize', key }).text);
  assert.notEqual(one.text, anonymize(message, { preset: 'pseudonymize', key: generateKey() }).text);
  for (const value of identifiers) assert.ok(!one.text.includes(value), `${value} survived:\n${one.text}`);
  const pid = one.text.split('\r')[2].split('|');
  assert.match(pid[3], /^\d{6}\^\^\^[A-Z]{4}\^MR$/); // shape kept, type code kept
  assert.match(pid[5], /^[A-Z][a-z]+\^[A-Z][a-z]+\^[A-Z]+$/); // realistic names; all-capital input gives capitals
  assert.match(pid[7], /^\d{8}$/); // shifted, same precision
  assert.equal(one.text.split('\r')[4], 'NTE|1||REDACTED');
  assert.ok(one.receipt.changes.some((c) => c.path === 'NTE-3' && c.category === 'free-text' && c.method === 'redact'));
  const scrubbed = anonymize(message, { preset: 'pseudonymize', key, freeText: 'scrub' });
  const [family] = scrubbed.text.split('\r')[2].split('|')[5].split('^');
  const note = scrubbed.text.split('\r')[4];
  assert.ok(note.includes(family), note); // the pseudonym of the name, not the name
  assert.ok(note.includes('asked to be called on'), note);
  for (const value of identifiers) assert.ok(!note.includes(value), `${value} survived: ${note}`);
  // The policy's freeText is the same option; the top-level one wins.
  assert.equal(anonymize(message, { preset: 'pseudonymize', key, policy: { freeText: 'scrub' } }).text, scrubbed.text);
  assert.equal(anonymize(message, { preset: 'pseudonymize', key, freeText: 'redact', policy: { freeText: 'scrub' } }).text, one.text);
});

test('policies override per field, data type and segment', () => {
  const { text } = anonymize(message, { policy: { fields: { 'PV1-3': 'keep' }, segments: { ZPI: 'remove' }, dataTypes: { XTN: 'remove' } } });
  const lines = text.split('\r');
  assert.equal(lines[3], 'PV1|1|O|CLINIC^101^1');
  assert.equal(lines[5], 'ZPI||');
  assert.ok(lines[2].endsWith('USA||^^^^^^'), lines[2]);
});

test('bad options are errors, not traps', () => {
  assert.throws(() => anonymize(message, { preset: 'pseudonymize' }), /key/);
  assert.throws(() => anonymize(message, { preset: 'hipaa' }), /option 'preset' must be 'safe-harbor' or 'pseudonymize', not 'hipaa'/);
  assert.throws(() => anonymize(message, { policy: { fields: { 'PID-3[2]': 'keep' } } }), /PID-3\[2\]/);
  assert.throws(() => anonymize(message, { colour: 'blue' }), /unknown option 'colour'/);
  assert.throws(() => anonymize(message, { freeText: 'keep' }), /option 'freeText' must be 'redact' or 'scrub', not 'keep'/);
  assert.throws(() => anonymize(message, { policy: { freeText: true } }), TypeError);
  assert.throws(() => anonymize(message, { policy: { feilds: {} } }), /unknown option 'policy.feilds'/);
  assert.throws(() => anonymize(42), TypeError);
  // Input with no readable message is an error that says why, never an empty "anonymized" text.
  for (const input of ['', 'hello', 'MSH', '\u0000\u0001']) {
    assert.throws(() => anonymize(input), (e) => e.code === 'input', JSON.stringify(input));
  }
  assert.equal(typeof anonymize('MSH|^~\\&\rPID|' + '^'.repeat(10000)).text, 'string');
});
