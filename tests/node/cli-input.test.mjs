// The `pipehat` command on inputs that are not clean HL7 files: nothing readable, a limit
// reached. Each runs the CLI as users do, on files written to a temporary folder.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
