// Text and bytes: a string is text, whatever its MSH-18 says; a Uint8Array is bytes, read in
// the character set its MSH-18 names; and what is made for bytes stays in that set. Before,
// ISO 8859-1 bytes read as M\ufffdller, the string "Müller" in an 8859/1 message as MÃ¼ller,
// and the lossless JSON of bytes did not give them back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ack, anonymize, fromJSON, get, parse, parseFile, parseMany, segments, toJSON, validate, validateAll } from 'pipehat';

const text = 'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261122083000||ORU^R01^ORU_R01|MSG1|P|2.5.1||||||8859/1\r'
  + 'PID|1||7||Müller^Jürgen||19800101|M\r'
  + 'OBR|1|||718-7^Hämoglobin^LN\r'
  + 'OBX|1|ST|718-7^Hämoglobin^LN||13,5 g/dl für Jürgen|g/dL|||||F\r';
/** The same message as the bytes an 8859/1 sender sends. */
const latin1 = Uint8Array.from(text, (c) => c.charCodeAt(0));
/** The same characters as UTF-8 bytes, still labelled 8859/1: mislabelled. */
const mislabelled = new TextEncoder().encode(text);

const latin1Of = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const contains = (bytes, part) => Buffer.from(bytes).includes(Buffer.from(part));

test('reading: ISO 8859-1 bytes and the string give the same values', () => {
  for (const input of [latin1, text]) {
    const what = typeof input === 'string' ? 'string' : 'bytes';
    assert.deepEqual(get(input, 'PID-5.1'), ['Müller'], what);
    assert.deepEqual(get(input, 'OBX-3.2', { raw: true }), ['Hämoglobin'], what);
    assert.equal(parse(input).get('PID-5.2'), 'Jürgen', what);
    assert.deepEqual(parseFile(input).values('PID-5.1'), ['Müller'], what);
    assert.equal(parseMany(input)[0].get('OBX-5'), '13,5 g/dl für Jürgen', what);
    assert.deepEqual(toJSON(input)[0].segments[1].fields['5'], { 1: 'Müller', 2: 'Jürgen' }, what);
    assert.equal(validate(input).findings.filter((f) => f.rule.startsWith('encoding.')).length, 0, what);
  }
  // Handles keep text: bytes are decoded by MSH-18.
  assert.equal(parse(latin1).toString(), parse(text).toString());
  assert.equal(parseFile(latin1).message(0).toString(), parse(text).toString());
  // Byte spans are into the bytes as given.
  const pid = segments(latin1)[1];
  assert.deepEqual(pid.byteSpan, { start: text.indexOf('PID'), end: text.indexOf('\rOBR') });
  assert.equal(pid.span, undefined);
});

test('a string is never decoded again by its MSH-18', () => {
  assert.deepEqual(get(text, 'PID-5.1'), ['Müller']); // was 'MÃ¼ller'
  assert.deepEqual(toJSON(text)[0].segments[1].fields['5']['1'], 'Müller');
  assert.equal(parse(text).get('PID-5.1'), 'Müller');
});

test('bytes labelled 8859/1 that are UTF-8 read as labelled, with a warning finding', () => {
  assert.deepEqual(get(mislabelled, 'PID-5.1'), ['MÃ¼ller']);
  const warning = validate(mislabelled).findings.find((f) => f.rule === 'encoding.utf8-declared-latin1');
  assert.equal(warning?.severity, 'warning');
  assert.equal(warning.textSpan, undefined, 'no UTF-16 offsets for bytes');
  assert.ok(validateAll(mislabelled).messages[0].findings.some((f) => f.rule === 'encoding.utf8-declared-latin1'));
});

test('lossless JSON of bytes is of the bytes themselves: fromJSON gives them back exactly', () => {
  for (const bytes of [latin1, mislabelled, Uint8Array.of(...latin1, 0xff, 0x0d, 0x0a)]) {
    const json = JSON.parse(JSON.stringify(toJSON(bytes, { lossless: true })));
    assert.deepEqual(fromJSON(json), bytes);
  }
  // A string's lossless JSON is of its text (its UTF-8).
  assert.deepEqual(fromJSON(toJSON(text, { lossless: true })), new TextEncoder().encode(text));
});

test('anonymize: bytes in, bytes out in the message character set; a string in, text out', () => {
  const bytes = anonymize(latin1);
  assert.ok(bytes.bytes instanceof Uint8Array);
  assert.equal(bytes.text, undefined);
  assert.ok(contains(bytes.bytes, latin1Of('718-7^Hämoglobin^LN')), 'the kept value in ISO 8859-1');
  assert.ok(!contains(bytes.bytes, latin1Of('Müller')));
  assert.ok(!contains(bytes.bytes, Uint8Array.of(0xef, 0xbf, 0xbd)), 'no U+FFFD');
  assert.ok(contains(bytes.bytes, latin1Of('|8859/1\r')));
  const fromText = anonymize(text);
  assert.equal(typeof fromText.text, 'string');
  assert.equal(fromText.bytes, undefined);
  assert.ok(fromText.text.includes('718-7^Hämoglobin^LN'));
  // The same anonymization either way.
  assert.equal(fromText.text, String.fromCharCode(...bytes.bytes));
  assert.deepEqual(fromText.receipt.changes, bytes.receipt.changes);
});

test('ack: bytes in, Uint8Array out in the original character set; a string in, strings out', () => {
  const broken = text.replace('19800101', '1980Ä');
  const [fromBytes] = ack(latin1Of(broken), { controlId: 'A1', timestamp: '20261122083001' });
  assert.ok(fromBytes instanceof Uint8Array);
  assert.ok(contains(fromBytes, latin1Of("'1980Ä'")), String.fromCharCode(...fromBytes));
  assert.ok(contains(fromBytes, latin1Of('|8859/1\rMSA|AE|MSG1\r')));
  const [fromText] = ack(broken, { controlId: 'A1', timestamp: '20261122083001' });
  assert.equal(typeof fromText, 'string');
  assert.match(fromText, /\|8859\/1\rMSA\|AE\|MSG1\r/);
});

test('validate a string: finding values are read as the text they are', () => {
  const finding = validate(text.replace('19800101', '1980Ä')).findings.find((f) => f.location.path === 'PID-7');
  assert.equal(finding.value, '1980Ä');
});
