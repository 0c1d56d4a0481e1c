// Comparing messages: `diff(a, b)` in the API and `pipehat diff A B` on the command line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipehatError, diff } from 'pipehat';

const A = 'MSH|^~\\&|LAB|HOSP|||20261122||ORU^R01|M1|P|2.5.1\rPID|1||7^^^H^MR||DOE^JOHN\rOBX|1|NM|718-7^Hgb^LN||13.5|g/dL\rOBX|2|ST|x^y||A\\T\\B\r';
const B = 'MSH|^~\\&|LAB|HOSP|||20261122||ORU^R01|M1|P|2.5.1\rPID|1||7^^^H^MR||DOE^JON^Q\rNTE|1||added\rOBX|1|NM|718-7^Hgb^LN||13.5|g/dL\rOBX|2|ST|x^y||A&B\r';

test('diff: the places that differ, in message order, values decoded', () => {
  const result = diff(A, B);
  assert.equal(result.differences, 6);
  assert.deepEqual(result.messages[0].rows, [
    { path: 'PID-5.2', status: 'changed', a: 'JOHN', b: 'JON' },
    { path: 'PID-5.3', status: 'only-b', b: 'Q' },
    { path: 'NTE-1', status: 'only-b', b: '1' },
    { path: 'NTE-3', status: 'only-b', b: 'added' },
    // `A\T\B` is `A&B` decoded, but a raw `&` in B splits OBX-5 into two subcomponents.
    { path: 'OBX[2]-5.1.1', status: 'changed', a: 'A&B', b: 'A' },
    { path: 'OBX[2]-5.1.2', status: 'only-b', b: 'B' },
  ]);
  assert.deepEqual(diff(A, A), { differences: 0, messages: [{ message: 1, differences: 0, rows: [] }] });
  assert.ok(diff(A, A, { same: true }).messages[0].rows.every((row) => row.status === 'same' && row.a === row.b));
  // Bytes are read by MSH-18 on each side.
  const latin1 = Uint8Array.from([...'MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1||||||8859/1\rPID|1||7||M'].map((c) => c.charCodeAt(0)).concat([0xfc], [...'ller\r'].map((c) => c.charCodeAt(0))));
  assert.equal(diff(latin1, 'MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1||||||8859/1\rPID|1||7||Müller\r').differences, 0);
});

test('diff: messages in pairs, a side that runs out, and errors naming the side', () => {
  const two = diff(A + B, A);
  assert.equal(two.messages.length, 2);
  assert.equal(two.messages[0].differences, 0);
  assert.ok(two.messages[1].rows.length > 5 && two.messages[1].rows.every((row) => row.status === 'only-a' && row.b === undefined));
  assert.throws(() => diff(A, 'hello'), (e) => e instanceof PipehatError && e.code === 'input' && e.message.startsWith('B: no HL7 v2 message'));
  assert.throws(() => diff(A, `${A}MSH\rPID|1\r`), (e) => e.code === 'input' && /^B: line 5: a message cannot be read/.test(e.message));
  assert.throws(() => diff(A, 42), TypeError);
  assert.throws(() => diff(A, B, { sames: true }), { name: 'TypeError', message: /unknown option 'sames'/ });
});

const cli = fileURLToPath(new URL('../../pkg/cli.js', import.meta.url));

test('pipehat diff: one line per difference, exit 1 when they differ, 0 when not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipehat-diff-'));
  writeFileSync(join(dir, 'a.hl7'), A);
  writeFileSync(join(dir, 'b.hl7'), B);
  const run = (args, input) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, input, encoding: 'utf8' });
  const differ = run(['diff', 'a.hl7', 'b.hl7']);
  assert.equal(differ.status, 1, differ.stderr);
  assert.equal(differ.stdout.split('\n')[0], 'PID-5.2: "JOHN" → "JON"');
  assert.match(differ.stdout, /^NTE-3: only in B: "added"$/m);
  assert.match(differ.stdout, /^6 differences$/m);
  const same = run(['diff', 'a.hl7', '-'], A);
  assert.equal(same.status, 0, same.stderr);
  assert.equal(same.stdout, 'no differences\n');
  const json = JSON.parse(run(['diff', '--format', 'json', 'a.hl7', 'b.hl7']).stdout);
  assert.equal(json.differences, 6);
  const bad = run(['diff', 'a.hl7', '-'], 'not hl7');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^pipehat: <stdin>: no HL7 v2 message/);
  assert.equal(run(['diff', 'a.hl7']).status, 2);
});
