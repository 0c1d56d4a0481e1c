// The `pipehat` command, spawned as users run it. Fixtures are the validator's hand-written ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../pkg/cli.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../../crates/pipehat-validate/tests/fixtures/', import.meta.url));

function run(args, input) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: fixtures, input, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('validate: well-formed messages exit 0', () => {
  const { code, out } = run(['validate', 'ok-adt-a04.hl7', 'ok-oru-r01.hl7']);
  assert.equal(code, 0);
  assert.match(out, /^2 messages in 2 files: 0 errors, 0 warnings$/m);
});

test('validate: errors exit 1, one line per finding with file:line:column', () => {
  const { code, out } = run(['validate', 'broken-adt.hl7']);
  assert.equal(code, 1);
  assert.match(out, /^broken-adt\.hl7:2:20: error 102 value\.format PID-7: PID-7 Date\/Time of Birth: '19800230' is not a valid date/m);
  assert.match(out, /^broken-adt\.hl7:5:1: error 100 structure\.too-many: ADT_A01: segment PV1 occurs more than 1 time$/m);
  assert.match(out, /1 message in 1 file: 7 errors, 1 warning/);
});

test('validate --format json --no-values: data without patient values', () => {
  const { code, out } = run(['validate', '--format', 'json', '--no-values', 'broken-adt.hl7']);
  assert.equal(code, 1);
  const [file] = JSON.parse(out);
  assert.equal(file.file, 'broken-adt.hl7');
  assert.equal(file.messages.length, 1);
  const findings = file.messages[0].findings;
  assert.ok(findings.length >= 7);
  for (const f of findings) {
    assert.equal(f.value, undefined);
    assert.doesNotMatch(f.message, /19800230|20261131/);
  }
});

test('validate --format junit: one test case per message, failures listed', () => {
  const { code, out } = run(['validate', '--format', 'junit', 'broken-adt.hl7', 'ok-adt-a04.hl7']);
  assert.equal(code, 1);
  assert.match(out, /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
  assert.match(out, /<testsuite name="broken-adt\.hl7" tests="1" failures="1">/);
  assert.match(out, /<testsuite name="ok-adt-a04\.hl7" tests="1" failures="0">/);
  assert.match(out, /<failure message="7 errors">/);
});

test('validate: standard input, globs, versions and profiles', () => {
  const stdin = run(['validate', '-'], readFileSync(`${fixtures}/ok-adt-a04.hl7`, 'utf8'));
  assert.equal(stdin.code, 0);
  assert.match(stdin.out, /1 message in 1 file/);
  const glob = run(['validate', 'ok-*.hl7']);
  assert.match(glob.out, /3 messages in 3 files/);
  const older = run(['validate', '--format', 'json', '--hl7-version', '2.3', 'ok-adt-a04.hl7']);
  assert.equal(JSON.parse(older.out)[0].messages[0].version, '2.3');
  const xml = run(['validate', '--profile', 'lab-feed.profile.xml', 'xmlprofile-broken.hl7']);
  assert.equal(xml.code, 1);
  assert.match(xml.out, /profile\.fixed MSH-11/);
  const json = run(['validate', '--profile', 'lab-feed.profile.json', 'ok-profile.hl7']);
  assert.equal(json.code, 0);
});

test('bad usage and unreadable input exit 2 with one clear line', () => {
  for (const [args, message] of [
    [['validate', 'no-such-file.hl7'], /cannot read no-such-file\.hl7: no such file/],
    [['validate'], /give one or more files/],
    [['validate', '--format', 'xml', 'ok-adt-a04.hl7'], /--format must be text, json or junit/],
    [['validate', '--bogus', 'ok-adt-a04.hl7'], /bogus/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['validate', 'nothing-*.hl7'], /no file matches/],
    [['validate', '--profile', 'ok-adt-a04.hl7', 'ok-adt-a04.hl7'], /not JSON/],
  ]) {
    const { code, err } = run(args);
    assert.equal(code, 2, args.join(' '));
    assert.match(err, message);
    assert.equal(err.trim().split('\n').length, 1);
  }
});

test('--help and --version', () => {
  const help = run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /^usage: pipehat <command>/);
  const version = run(['--version']);
  assert.equal(version.code, 0);
  const pkg = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
  assert.equal(version.out.trim(), pkg.version);
});

test('anonymize: safe harbor to stdout, receipt to a file', () => {
  const receipt = `${process.env.TMPDIR ?? '/tmp'}/pipehat-receipt-${process.pid}.json`;
  const { code, out } = run(['anonymize', '--receipt', receipt, 'ok-adt-a04.hl7']);
  assert.equal(code, 0);
  assert.ok(out.startsWith('MSH|^~\\&|REG|HOSP|EHR|HOSP|2026||ADT^A04^ADT_A01|REDACTED|P|2.5.1\r'), out);
  assert.ok(!out.includes('DOE') && !out.includes('123456'));
  const [file] = JSON.parse(readFileSync(receipt, 'utf8'));
  assert.equal(file.file, 'ok-adt-a04.hl7');
  assert.ok(file.changes.some((c) => c.path === 'PID-5.1' && c.method === 'redact'));
});

test('anonymize --preset pseudonymize: needs a key; the same key, the same output', () => {
  const missing = run(['anonymize', '--preset', 'pseudonymize', 'ok-adt-a04.hl7']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /needs a key/);
  const key = run(['anonymize', '--generate-key']).out.trim();
  assert.match(key, /^[0-9a-f]{64}$/);
  const a = run(['anonymize', '--preset', 'pseudonymize', '--key', key, 'ok-adt-a04.hl7']);
  const b = run(['anonymize', '--preset', 'pseudonymize', '--key', key, '-'], readFileSync(`${fixtures}/ok-adt-a04.hl7`, 'utf8'));
  assert.equal(a.code, 0);
  assert.equal(a.out, b.out);
  assert.ok(!a.out.includes('DOE'));
});

test('anonymize: bad usage exits 2 with a clear message', () => {
  assert.equal(run(['anonymize']).code, 2);
  assert.match(run(['anonymize', '--preset', 'hipaa', 'ok-adt-a04.hl7']).err, /safe-harbor or pseudonymize/);
  assert.match(run(['anonymize', 'no-such-file.hl7']).err, /cannot read no-such-file\.hl7/);
  const freeText = run(['anonymize', '--free-text', 'keep', 'ok-adt-a04.hl7']);
  assert.equal(freeText.code, 2);
  assert.match(freeText.err, /--free-text must be redact or scrub, not 'keep'/);
});

test('anonymize --free-text: notes are redacted unless scrubbing is asked for', () => {
  const note = 'MSH|^~\\&|REG|HOSP|||20261122||ADT^A04|7|P|2.5.1\rPID|1||556677||Okafor^Chidi\rNTE|1||Chidi Okafor (556677) walked in\r';
  const redacted = run(['anonymize', '-'], note);
  assert.equal(redacted.code, 0);
  assert.equal(redacted.out.split('\r')[2], 'NTE|1||REDACTED');
  const scrubbed = run(['anonymize', '--free-text', 'scrub', '-'], note);
  assert.equal(scrubbed.code, 0);
  const line = scrubbed.out.split('\r')[2];
  assert.ok(line.includes('walked in') && !/Okafor|Chidi|556677/.test(line), line);
});

test('to-json, from-json: lossless round trip through files', () => {
  const original = readFileSync(`${fixtures}/ok-adt-a04.hl7`);
  const json = run(['to-json', '--lossless', 'ok-adt-a04.hl7']);
  assert.equal(json.code, 0);
  const back = spawnSync(process.execPath, [cli, 'from-json', '-'], { cwd: fixtures, input: json.out });
  assert.equal(back.status, 0);
  assert.deepEqual(back.stdout, original);
  const named = run(['to-json', '--names', 'ok-adt-a04.hl7']);
  assert.equal(JSON.parse(named.out)[0].segments[2].names['5'], 'Patient Name');
  assert.match(run(['from-json', '-'], '{"not": "lossless"}').err, /lossless/);
});

test('ack and get', () => {
  const ok = run(['ack', '--control-id', 'A1', 'ok-adt-a04.hl7']);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /^MSH\|\^~\\&\|EHR\|HOSP\|REG\|HOSP\|\d{14}[+-]\d{4}\|\|ACK\^A04\^ACK\|A1\|P\|2\.5\.1\rMSA\|AA\|MSG00001\r$/);
  const broken = run(['ack', 'broken-adt.hl7']);
  assert.match(broken.out, /\rMSA\|AE\|/);
  assert.match(broken.out, /\rERR\|/);
  assert.equal(run(['ack', '--code', 'ZZ', 'ok-adt-a04.hl7']).code, 2);
  const name = run(['get', 'PID-5.1', 'ok-adt-a04.hl7', 'ok-oru-r01.hl7']);
  assert.equal(name.code, 0);
  assert.equal(name.out.split('\n')[0], 'DOE');
  const missing = run(['get', 'ZZZ-1', 'ok-adt-a04.hl7']);
  assert.equal(missing.code, 1);
  assert.equal(run(['get', 'PID-5.1']).code, 2);
});

test('progress goes to a terminal only: a pipeline gets no stray stderr', () => {
  const { code, err } = run(['validate', 'ok-adt-a04.hl7', 'ok-oru-r01.hl7']);
  assert.equal(code, 0);
  assert.equal(err, '');
});
