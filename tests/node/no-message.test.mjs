// An input with no readable message is an error that says why, for every function; so is an
// input a limit stopped reading. Before, validateAll said "0 messages", toJSON and get gave [],
// and anonymize printed 100,000 empty lines for a message over the segment limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PipehatError, ack, anonymize, fromJSON, get, parse, parseFile, parseMany, toJSON, validate, validateAll } from 'pipehat';

const message = 'MSH|^~\\&|A|B|||20261122||ADT^A04|MSG1|P|2.5.1\rEVN||20261122\rPID|1||7||DOE^JANE\rPV1|1|O\r';

/** Every function that reads messages, on `input` with `options`. */
const functions = {
  validate: (input, o) => validate(input, o),
  validateAll: (input, o) => validateAll(input, o),
  anonymize: (input, o) => anonymize(input, o),
  toJSON: (input, o) => toJSON(input, o),
  'toJSON lossless': (input, o) => toJSON(input, { ...o, lossless: true }),
  ack: (input, o) => ack(input, o),
  get: (input, o) => get(input, 'PID-5', o),
  parse: (input, o) => parse(input, o),
  parseMany: (input, o) => parseMany(input, o),
  parseFile: (input, o) => parseFile(input, o),
};

function throwsInput(call, text, name) {
  assert.throws(call, (error) => {
    assert.ok(error instanceof PipehatError, `${name}: ${error}`);
    assert.equal(error.code, 'input', name);
    if (text instanceof RegExp) assert.match(error.message, text, name);
    else assert.equal(error.message, text, name);
    return true;
  });
}

test('no readable message: every function throws "input" saying why', () => {
  const cases = [
    ['', 'the input is empty'],
    ['\r\n  \n\t', 'the input is blank: only spaces and line ends'],
    // What it starts with, shown safely: controls and escape sequences never reach a terminal.
    ['\u0000\u0013\u001b[2J\u202eabc', 'no HL7 v2 message (a line starting with MSH): the input starts with "\\x00\\x13\\x1b[2J\\u{202e}abc"'],
    ['Dear colleague, "quotes" and a \\ backslash: see attached file', 'no HL7 v2 message (a line starting with MSH): the input starts with "Dear colleague, \\"quotes\\"…"'],
    ['PID|1||7\rPV1|1\r', 'no HL7 v2 message (a line starting with MSH): the input starts with "PID|1||7\\rPV1|1\\r"'],
  ];
  for (const [input, text] of cases) {
    for (const [name, call] of Object.entries(functions)) throwsInput(() => call(input), text, `${name}(${JSON.stringify(input)})`);
  }
  // A message whose header cannot be read, and nothing else: why, and where.
  for (const [name, call] of Object.entries(functions)) {
    if (name === 'parse') continue; // parse reads the first message: its own error, below
    throwsInput(() => call('// notes\rMSH\rPID|1\r'), /^line 2: no readable message: the MSH segment ends before its field separator/, name);
  }
  throwsInput(() => parse('MSH\rPID|1\r'), /^line 1: the MSH segment ends before its field separator/, 'parse');
  // Random bytes, as bytes.
  const random = Uint8Array.from({ length: 64 }, (_, i) => (i * 151 + 7) % 256);
  throwsInput(() => parse(random), /^no HL7 v2 message \(a line starting with MSH\): the input starts with "\\x07/, 'parse(bytes)');
  throwsInput(() => parseFile(random), /^no HL7 v2 message/, 'parseFile(bytes)');
});

test('a message over the segment limit is an error naming its line, for every function', () => {
  const big = message + 'OBX|1|ST|X||y\r'.repeat(100_000);
  for (const [name, call] of Object.entries(functions)) {
    if (name === 'validateAll') continue;
    throwsInput(() => call(big), /^line 100001: the message has more than 100000 segments, the limit .*limits\.maxSegments/, name);
  }
  // validateAll reports it as unreadable: there is nothing else to report.
  throwsInput(() => validateAll(big), /^line 100001: no readable message: the message has more than 100000 segments.*limits\.maxSegments/, 'validateAll');
  const two = validateAll(message + big);
  assert.equal(two.messages.length, 1);
  assert.deepEqual(two.unreadable, [{ line: 100005, message: two.unreadable[0].message }]);
  assert.match(two.unreadable[0].message, /more than 100000 segments/);
  // The limit is an option: raised, the message reads (anonymize reads no more than the default).
  const raised = { limits: { maxSegments: 200_000 } };
  for (const [name, call] of Object.entries(functions)) {
    if (name === 'anonymize') continue;
    assert.doesNotThrow(() => call(big, raised), name);
  }
  assert.equal(get(big, 'OBX[100000]-5', raised)[0], 'y');
  assert.throws(() => anonymize(big, raised), (e) => e.code === 'options' && /limits\.maxSegments' must be a whole number from 1 to 100000/.test(e.message));
});

test('lower limits: the messages a limit stops are an error, never left out', () => {
  const two = message + message.replace('MSG1', 'MSG2');
  for (const [name, call] of Object.entries(functions)) {
    if (name === 'validateAll' || name === 'parse') continue;
    throwsInput(() => call(two, { limits: { maxMessages: 1 } }), /^line 5: the file has more than 1 messages, the limit .*limits\.maxMessages/, name);
    throwsInput(() => call(message, { limits: { maxSegments: 3 } }), /^line 4: the message has more than 3 segments/, name);
  }
  throwsInput(() => parse(message, { limits: { maxSegments: 3 } }), /^line 4: the message has more than 3 segments/, 'parse');
  assert.deepEqual(validateAll(two, { limits: { maxMessages: 1 } }).unreadable.map((u) => u.line), [5]);
  for (const bad of [0, -1, 1.5, 2 ** 32]) {
    assert.throws(() => get(message, 'PID-5', { limits: { maxSegments: bad } }), (e) => e.code === 'options' && /option 'limits\.maxSegments' must be a whole number from 1 to 4294967295/.test(e.message));
  }
  assert.throws(() => get(message, 'PID-5', { limits: { maxSegments: '5' } }), TypeError);
  assert.throws(() => get(message, 'PID-5', { limits: { max: 5 } }), { name: 'TypeError', message: /unknown option 'limits\.max'/ });
});

test('a message that cannot be read among readable ones is an error, never left out', () => {
  // Before, get gave ['DOE'] for two messages and toJSON, ack, parseFile and parseMany one
  // result each: the second message was silently missing from what looked like the whole file.
  const damaged = `${message}MSH\rPID|1||8||ROE^JOHN\r`;
  for (const [name, call] of Object.entries(functions)) {
    if (['validateAll', 'parse', 'toJSON lossless'].includes(name)) continue;
    throwsInput(() => call(damaged), /^line 5: a message cannot be read \(.*\); fix or remove it, or use validateAll \(`pipehat validate` on the command line\) to list every one$/, name);
  }
  const three = `${damaged}MSH\rPID|1\r${message}`;
  throwsInput(() => get(three, 'PID-5'), /^line 5: a message cannot be read \(.*\), nor can 1 more; /, 'get');
  // validateAll lists it; lossless JSON keeps its bytes; parse reads the first message only.
  assert.deepEqual(validateAll(three).unreadable.map((u) => u.line), [5, 7]);
  assert.equal(validateAll(three).messages.length, 2);
  assert.equal(new TextDecoder().decode(fromJSON(toJSON(three, { lossless: true }))), three);
  assert.equal(parse(damaged).get('PID-5.1'), 'DOE');
});
