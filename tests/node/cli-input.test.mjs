// The `pipehat` command on inputs that are not clean HL7 files: nothing readable, a limit
// reached. Each runs the CLI as users do, on files written to a temporary folder.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../pkg/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pipehat-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const message = 'MSH|^~\\&|A|B|||20261122||ADT^A04|MSG1|P|2.5.1\rEVN||20261122\rPID|1||7||DOE^JANE\rPV1|1|O\r';

/** Writes `content` (string or bytes) as `name` in the temporary folder. */
function file(name, content) {
  writeFileSync(join(dir, name), content);
  return name;
}

/** Runs the CLI in the temporary folder; stdout as bytes (`outBytes`) and text. */
function run(args, input) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: dir, input: input ?? '', maxBuffer: 1 << 28 });
  return { code: result.status, out: result.stdout.toString('utf8'), outBytes: result.stdout, err: result.stderr.toString('utf8') };
}

test('validate: an input with no readable message is an error (exit 1), said in a finding', () => {
  file('empty.hl7', '');
  file('random.bin', Uint8Array.from({ length: 64 }, (_, i) => (i * 151 + 7) % 256));
  file('ok.hl7', message);
  const empty = run(['validate', 'empty.hl7', 'ok.hl7']);
  assert.equal(empty.code, 1);
  assert.match(empty.out, /^empty\.hl7: error: the input is empty$/m);
  assert.match(empty.out, /^1 message in 2 files: 1 error, 0 warnings$/m);
  const random = run(['validate', 'random.bin']);
  assert.equal(random.code, 1);
  assert.match(random.out, /^random\.bin: error: no HL7 v2 message \(a line starting with MSH\): the input starts with "\\x07/m);
  const stdin = run(['validate', '-']);
  assert.equal(stdin.code, 1);
  assert.match(stdin.out, /^<stdin>: error: the input is empty$/m);
  const json = JSON.parse(run(['validate', '--format', 'json', 'empty.hl7']).out);
  assert.deepEqual(json, [{ file: 'empty.hl7', error: 'the input is empty', messages: [], unreadable: [] }]);
  assert.match(run(['validate', '--format', 'junit', 'empty.hl7']).out, /<testsuite name="empty\.hl7" tests="1" failures="1">\n\s*<testcase classname="empty\.hl7" name="input">\n\s*<failure message="the input is empty"\/>/);
});

test('the other commands exit 2 on an input with no readable message, with the reason in one line', () => {
  file('empty.hl7', '');
  file('prose.txt', 'Dear colleague,\nplease find attached\n');
  for (const args of [['get', 'PID-5'], ['to-json'], ['to-json', '--lossless'], ['ack'], ['anonymize']]) {
    const empty = run([...args, 'empty.hl7']);
    assert.equal(empty.code, 2, args.join(' '));
    assert.equal(empty.err, 'pipehat: empty.hl7: the input is empty\n', args.join(' '));
    assert.equal(empty.out, '', args.join(' '));
    const prose = run([...args, 'prose.txt']);
    assert.equal(prose.code, 2, args.join(' '));
    assert.equal(prose.err, 'pipehat: prose.txt: no HL7 v2 message (a line starting with MSH): the input starts with "Dear colleague,\\nplease f…"\n', args.join(' '));
    const stdin = run([...args, '-']);
    assert.equal(stdin.err, 'pipehat: <stdin>: the input is empty\n', args.join(' '));
  }
});

test('a message over the segment limit is an error for every command, never an emptied message', () => {
  file('big.hl7', message + 'OBX|1|ST|X||y\r'.repeat(100_000));
  for (const args of [['get', 'PID-5.1'], ['to-json'], ['ack'], ['anonymize']]) {
    const result = run([...args, 'big.hl7']);
    assert.equal(result.code, 2, args.join(' '));
    assert.equal(result.out, '', args.join(' '));
    assert.match(result.err, /^pipehat: big\.hl7: line 100001: the message has more than 100000 segments, the limit .*--max-segments/, args.join(' '));
  }
  const validate = run(['validate', 'big.hl7']);
  assert.equal(validate.code, 1);
  assert.match(validate.out, /^big\.hl7: error: line 100001: no readable message: the message has more than 100000 segments/m);
  const raised = run(['get', '--max-segments', '200000', 'PID-5.1', 'big.hl7']);
  assert.equal(raised.code, 0, raised.err);
  assert.equal(raised.out, 'DOE\n');
  assert.match(run(['get', '--max-segments', '0', 'PID-5.1', 'big.hl7']).err, /--max-segments must be a whole number from 1, not '0'/);
  const lower = run(['to-json', '--max-messages', '1', file('two.hl7', message + message)]);
  assert.equal(lower.code, 2);
  assert.match(lower.err, /line 5: the file has more than 1 messages/);
});

// Text and bytes: the CLI reads every input as bytes, so each message is read in the character
// set its MSH-18 names, and what it writes for a file stays in that set.
const umlauts = 'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261122083000||ORU^R01^ORU_R01|MSG1|P|2.5.1||||||CHARSET\r'
  + 'PID|1||7||Müller^Jürgen||19800101|M\rOBR|1|||718-7^Hämoglobin^LN\r'
  + 'OBX|1|ST|718-7^Hämoglobin^LN||13.5|g/dL|||||F\r';
const latin1File = Buffer.from(umlauts.replace('CHARSET', '8859/1'), 'latin1');
const utf8File = Buffer.from(umlauts.replace('CHARSET', 'UNICODE UTF-8'), 'utf8');

test('get and to-json read ISO 8859-1 and UTF-8 files by their MSH-18', () => {
  file('latin1.hl7', latin1File);
  file('utf8.hl7', utf8File);
  for (const name of ['latin1.hl7', 'utf8.hl7']) {
    const got = run(['get', 'PID-5.1', name]);
    assert.equal(got.code, 0, got.err);
    assert.equal(got.out, 'Müller\n', name); // was M\ufffdller for ISO 8859-1
    assert.equal(run(['get', 'PID-5.1', '-'], name === 'latin1.hl7' ? latin1File : utf8File).out, 'Müller\n');
    assert.equal(JSON.parse(run(['to-json', name]).out)[0].segments[1].fields['5']['1'], 'Müller');
  }
});

test('to-json --lossless | from-json - gives back the file byte for byte', () => {
  file('latin1.hl7', latin1File);
  file('utf8.hl7', utf8File);
  for (const [name, bytes] of [['latin1.hl7', latin1File], ['utf8.hl7', utf8File]]) {
    const json = run(['to-json', '--lossless', name]);
    assert.equal(json.code, 0, json.err);
    const back = run(['from-json', '-'], json.outBytes);
    assert.equal(back.code, 0, back.err);
    assert.deepEqual(back.outBytes, bytes, name);
  }
});

test('anonymize and ack write in the file character set: kept ISO 8859-1 bytes stay', () => {
  file('latin1.hl7', latin1File);
  file('utf8.hl7', utf8File);
  const latin = run(['anonymize', 'latin1.hl7']);
  assert.equal(latin.code, 0, latin.err);
  assert.ok(latin.outBytes.includes(Buffer.from('718-7^Hämoglobin^LN', 'latin1')), latin.outBytes.toString('latin1'));
  assert.ok(!latin.outBytes.includes(Buffer.from('\ufffd', 'utf8')), 'no U+FFFD');
  assert.ok(!latin.outBytes.includes(Buffer.from('Müller', 'latin1')));
  const utf8 = run(['anonymize', 'utf8.hl7']);
  assert.ok(utf8.outBytes.includes(Buffer.from('718-7^Hämoglobin^LN', 'utf8')));
  // --out writes the same bytes.
  assert.equal(run(['anonymize', '--out', 'out', 'latin1.hl7']).code, 0);
  assert.deepEqual(readFileSync(join(dir, 'out/latin1.hl7')), latin.outBytes);
  const reply = run(['ack', '--control-id', 'A1', file('broken-latin1.hl7', Buffer.from(umlauts.replace('CHARSET', '8859/1').replace('19800101', '1980Ä'), 'latin1'))]);
  assert.equal(reply.code, 0, reply.err);
  assert.ok(reply.outBytes.includes(Buffer.from("'1980Ä'", 'latin1')), reply.outBytes.toString('latin1'));
  assert.ok(reply.outBytes.includes(Buffer.from('|8859/1\rMSA|AE|MSG1\r', 'latin1')));
});

test('validate warns when a UTF-8 file says it is ISO 8859-1', () => {
  file('mislabelled.hl7', Buffer.from(umlauts.replace('CHARSET', '8859/1'), 'utf8'));
  const result = run(['validate', 'mislabelled.hl7']);
  assert.match(result.out, /^mislabelled\.hl7:2:12: warning 102 encoding\.utf8-declared-latin1/m);
  assert.match(result.out, /MSH-18 says 8859\/1, but the text is UTF-8/);
  const clean = run(['validate', 'latin1.hl7']);
  assert.doesNotMatch(clean.out, /encoding\./);
});
