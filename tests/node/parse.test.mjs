// parse() and parseMany(): messages kept on the WebAssembly side, read and edited by path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseFile, parseMany } from 'pipehat';

const text = 'MSH|^~\\&|LAB|HOSP|||20261122||ADT^A04|MSG1|P|2.5.1\rEVN||20261122\r' +
  'PID|1||123^^^HOSP^MR~998^^^SSA^SS||Zoë^Ann\\T\\Lee\rPV1|1|O\r';

test('reads segments and values by path, decoded or raw', () => {
  const message = parse(text);
  assert.equal(message.segmentCount, 4);
  assert.deepEqual(message.segments.map((s) => s.id), ['MSH', 'EVN', 'PID', 'PV1']);
  const pid = message.segments[2];
  assert.equal(text.slice(pid.span.start, pid.span.end).slice(0, 4), 'PID|');
  assert.equal(message.get('PID-3[2].4'), 'SSA');
  assert.equal(message.get('PID-5.2'), 'Ann&Lee');
  assert.equal(message.get('PID-5.2', { raw: true }), 'Ann\\T\\Lee');
  assert.equal(message.get('OBX-5'), undefined);
  assert.throws(() => message.get('not a path'), /not a path/);
  message.free();
});

test('edits by path, escaping values, and gives back the text', () => {
  const message = parse(text);
  message.set('PID-5.1', 'O|Brien');
  message.set('PID-8', 'F');
  assert.equal(message.get('PID-5.1'), 'O|Brien');
  assert.match(message.toString(), /\rPID\|1\|\|123\^\^\^HOSP\^MR~998\^\^\^SSA\^SS\|\|O\\F\\Brien\^Ann\\T\\Lee\|\|\|F\r/);
  assert.throws(() => message.set('MSH-1', '#'), /cannot set MSH-1/);
  assert.equal(JSON.parse(JSON.stringify(message)).segments[2].fields['8'], 'F');
});

test('names the element at a UTF-16 offset', () => {
  const message = parse(text);
  const at = message.pathAt(text.indexOf('Ann'));
  assert.deepEqual(at, { path: 'PID-5.2', label: 'Patient Name / Given Name' });
  assert.equal(message.pathAt(10_000), undefined);
});

test('parseMany reads every message of a file; bad input is an error, not a trap', () => {
  const many = parseMany(`${text}\n${text.replace('MSG1', 'MSG2')}`);
  assert.deepEqual(many.map((m) => m.get('MSH-10')), ['MSG1', 'MSG2']);
  assert.throws(() => parseMany('hello'), /no HL7 v2 message/);
  assert.throws(() => parse('hello'), /MSH/);
  assert.throws(() => parse(42), TypeError);
  assert.equal(parse(new TextEncoder().encode(text)).get('PID-5.1'), 'Zoë');
});

test('parseFile reads a column of values from every message in one call', () => {
  const file = parseFile(`${text}\n${text.replace('MSG1', 'MSG2').replace('Zoë', 'Roe')}`);
  assert.equal(file.messageCount, 2);
  assert.deepEqual([...file.segmentCounts()], [4, 4]);
  assert.deepEqual(file.values('MSH-10'), ['MSG1', 'MSG2']);
  assert.deepEqual(file.values('PID-5.1'), ['Zoë', 'Roe']);
  assert.deepEqual(file.values('PID-5.2', { raw: true }), ['Ann\\T\\Lee', 'Ann\\T\\Lee']);
  assert.deepEqual(file.values('OBX-5'), [undefined, undefined]);
  assert.equal(file.message(1).get('MSH-10'), 'MSG2');
  assert.throws(() => file.message(2), /no message 2/);
  assert.throws(() => file.values('???'), /not a path/);
  file.free();
});
