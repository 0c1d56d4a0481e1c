// `pipehat anonymize` writes patient-derived files: every destination is checked, and every
// input anonymized, before anything is written; each file appears whole. And keys are long
// enough to be keys.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipehatError, anonymize } from 'pipehat';

const cli = fileURLToPath(new URL('../../pkg/cli.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'pipehat-write-'));
after(() => rmSync(root, { recursive: true, force: true }));

const message = 'MSH|^~\\&|A|B|||20261122||ADT^A04|MSG1|P|2.5.1\rEVN||20261122\rPID|1||7||DOE^JANE\rPV1|1|O\r';

/** A fresh folder with the given files. */
function folder(files) {
  const dir = mkdtempSync(join(root, 'case-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function run(dir, args) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', input: '' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('a receipt that cannot be written fails before any output is written', () => {
  const dir = folder({ 'a.hl7': message });
  const result = run(dir, ['anonymize', '--receipt', '/nonexistent/r.json', 'a.hl7']);
  assert.equal(result.code, 2);
  assert.equal(result.out, '', 'no anonymized text before the failure');
  assert.equal(result.err, 'pipehat: --receipt /nonexistent/r.json: cannot write into /nonexistent (no such folder)\n');
  const folderReceipt = run(dir, ['anonymize', '--receipt', '.', 'a.hl7']);
  assert.equal(folderReceipt.code, 2);
  assert.match(folderReceipt.err, /--receipt \.: is a folder/);
});

test('--out that cannot be a folder fails before anything is written', () => {
  const dir = folder({ 'a.hl7': message, taken: 'a file' });
  const result = run(dir, ['anonymize', '--out', 'taken', '--receipt', 'r.json', 'a.hl7']);
  assert.equal(result.code, 2);
  assert.match(result.err, /^pipehat: --out taken: cannot write there \(not a directory\)/);
  assert.equal(existsSync(join(dir, 'r.json')), false);
});

test('a failure half-way leaves no outputs and no receipt (and no temporary files)', () => {
  const dir = folder({ 'a.hl7': message, 'b.hl7': message.replace('MSG1', 'MSG2'), 'c.hl7': '' });
  const result = run(dir, ['anonymize', '--out', 'safe', '--receipt', 'safe/receipt.json', 'a.hl7', 'b.hl7', 'c.hl7']);
  assert.equal(result.code, 2);
  assert.equal(result.err, 'pipehat: c.hl7: the input is empty\n');
  assert.deepEqual(readdirSync(join(dir, 'safe')), []);
  // On standard output too: nothing before the failure.
  const stdout = run(dir, ['anonymize', 'a.hl7', 'c.hl7']);
  assert.equal(stdout.code, 2);
  assert.equal(stdout.out, '');
});

test('every output appears whole once all are ready; no two inputs on one output', () => {
  const dir = folder({ 'a.hl7': message, 'b.hl7': message.replace('MSG1', 'MSG2'), 'x/same.hl7': message, 'y/same.hl7': message });
  const ok = run(dir, ['anonymize', '--out', 'safe/deep', '--receipt', 'receipt.json', 'a.hl7', 'b.hl7']);
  assert.equal(ok.code, 0, ok.err);
  assert.deepEqual(readdirSync(join(dir, 'safe/deep')).sort(), ['a.hl7', 'b.hl7']);
  assert.match(readFileSync(join(dir, 'safe/deep/a.hl7'), 'utf8'), /^MSH\|\^~\\&\|A\|B\|\|\|2026\|\|ADT\^A04\|REDACTED\|/);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'receipt.json'), 'utf8')).map((r) => r.file), ['a.hl7', 'b.hl7']);
  const clash = run(dir, ['anonymize', '--out', 'safe', 'x/same.hl7', 'y/same.hl7']);
  assert.equal(clash.code, 2);
  assert.match(clash.err, /--out safe: x\/same\.hl7 and y\/same\.hl7 would both be written to safe\/same\.hl7/);
  const self = run(dir, ['anonymize', '--out', '.', 'a.hl7']);
  assert.equal(self.code, 2);
  assert.match(self.err, /a\.hl7 would be overwritten by its own anonymized copy/);
  assert.equal(readFileSync(join(dir, 'a.hl7'), 'utf8'), message);
});

test('a key has at least 128 bits: the CLI and the API refuse shorter ones', () => {
  const dir = folder({ 'a.hl7': message });
  for (const [key, bytes] of [['a', '1 byte'], ['0123456789abcde', '15 bytes'], ['üüüüüüü', '14 bytes']]) {
    const result = run(dir, ['anonymize', '--preset', 'pseudonymize', '--key', key, 'a.hl7']);
    assert.equal(result.code, 2, key);
    assert.equal(result.out, '');
    assert.equal(result.err, `pipehat: the key is ${bytes}: a key needs at least 16 bytes (128 bits) of UTF-8 (--generate-key makes a 256-bit one)\n`);
    assert.throws(() => anonymize(message, { preset: 'pseudonymize', key }), (e) => e instanceof PipehatError && e.code === 'key-too-short'
      && e.message.startsWith(`the key is ${bytes}: a key needs at least 16 bytes (128 bits) of UTF-8`));
  }
  writeFileSync(join(dir, 'short.key'), 'abc\n');
  assert.match(run(dir, ['anonymize', '--preset', 'pseudonymize', '--key-file', 'short.key', 'a.hl7']).err, /the key is 3 bytes/);
  assert.equal(run(dir, ['anonymize', '--preset', 'pseudonymize', '--key', 'üüüüüüüü', 'a.hl7']).code, 0);
  assert.equal(typeof anonymize(message, { preset: 'pseudonymize', key: '0123456789abcdef' }).text, 'string');
});
