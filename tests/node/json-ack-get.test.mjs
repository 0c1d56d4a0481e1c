// toJSON/fromJSON, ack and get through the npm package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ack, fromJSON, get, toJSON } from 'pipehat';

const message = [
  'MSH|^~\\&|REG|HOSP|EHR|HOSP|20261122083000||ADT^A04^ADT_A01|MSG00001|P|2.5.1',
  'EVN|A04|20261122083000',
  'PID|1||123456^^^HOSP^MR~998^^^SSA^SS||Müller^Zoë\\T\\Ann||19800229|F',
  'PV1|1|O',
].join('\r') + '\r';

test('toJSON: readable, decoded, with names on request', () => {
  const [readable] = toJSON(message);
  const pid = readable.segments[2];
  assert.equal(pid.id, 'PID');
  assert.deepEqual(pid.fields['5'], { 1: 'Müller', 2: 'Zoë&Ann' });
  assert.deepEqual(pid.fields['3'], [{ 1: '123456', 4: 'HOSP', 5: 'MR' }, { 1: '998', 4: 'SSA', 5: 'SS' }]);
  const [named] = toJSON(message, { names: true });
  assert.equal(named.segments[2].name, 'Patient Identification');
  assert.equal(named.segments[2].names['5'], 'Patient Name');
  assert.throws(() => toJSON(message, { name: true }), /unknown option 'name'/);
});

test('lossless JSON gives back the exact bytes, whatever they are', () => {
  for (const text of [message, '// a comment\n' + message.replaceAll('\r', '\r\n') + '\n\nBTS|1', 'prose before\r' + message + 'and after']) {
    const json = JSON.parse(JSON.stringify(toJSON(text, { lossless: true })));
    assert.equal(new TextDecoder().decode(fromJSON(json)), text);
  }
  assert.throws(() => fromJSON({ format: 'something else' }), /lossless/);
  // Text with no message is no HL7 file: an error, like every other function.
  assert.throws(() => toJSON('not hl7 at all', { lossless: true }), /no HL7 v2 message \(a line starting with MSH\): the input starts with "not hl7 at all"/);
});

test('ack: AA for a valid message, AE with ERR segments for errors, or the code asked for', () => {
  const [aa] = ack(message, { controlId: 'ACK1', timestamp: '20261122083001' });
  assert.equal(aa, 'MSH|^~\\&|EHR|HOSP|REG|HOSP|20261122083001||ACK^A04^ACK|ACK1|P|2.5.1\rMSA|AA|MSG00001\r');
  const [ae] = ack(message.replace('19800229', '19800230'), { controlId: 'ACK2', timestamp: '20261122083001' });
  assert.match(ae, /\rMSA\|AE\|MSG00001\r/);
  assert.match(ae, /\rERR\|\|PID\^1\^7\|102\^Data type error\^HL70357\|E\|/);
  const [ar] = ack(message, { code: 'AR', controlId: 'X', timestamp: '2026' });
  assert.match(ar, /\rMSA\|AR\|MSG00001\r$/);
  assert.throws(() => ack(message, { code: 'OK' }), /must be an acknowledgment code/);
  assert.throws(() => ack('hello'), /no HL7 v2 message/);
  const [now] = ack(message);
  assert.match(now.split('|')[6], /^\d{14}[+-]\d{4}$/);
});

test('get: decoded or raw, per message, undefined where missing', () => {
  const two = message + message.replace('MSG00001', 'MSG00002').replace('Müller', 'Roe');
  assert.deepEqual(get(two, 'PID-5.1'), ['Müller', 'Roe']);
  assert.deepEqual(get(two, 'PID-5.2'), ['Zoë&Ann', 'Zoë&Ann']);
  assert.deepEqual(get(two, 'PID-5.2', { raw: true }), ['Zoë\\T\\Ann', 'Zoë\\T\\Ann']);
  assert.deepEqual(get(two, 'PID-3[2].4'), ['SSA', 'SSA']);
  assert.deepEqual(get(two, 'OBX-5'), [undefined, undefined]);
  assert.throws(() => get(two, 'P!D-5'), /not a path/);
});
