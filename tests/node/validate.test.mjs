// Validation through the npm package. Expected findings are written from the standard (v2.5.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from 'pipehat';

const broken = [
  'MSH|^~\\&|REG|HOSP|EHR|HOSP|20261122083000||ADT^A04|MSG1|P|2.5.1',
  'EVN|A04|20261122083000',
  'PID|1||123^^^HOSP^MR||Müller^Zoë||19800230|F',
].join('\r') + '\r';

test('reports every problem with rule, code, path, words and positions', () => {
  const report = validate(broken);
  assert.equal(report.version, '2.5.1');
  assert.equal(report.structure, 'ADT_A01');
  assert.equal(report.valid, false);
  const dob = report.findings.find((f) => f.rule === 'value.format');
  assert.equal(dob.location.path, 'PID-7');
  assert.equal(dob.code, 102);
  assert.equal(dob.severity, 'error');
  assert.match(dob.message, /^PID-7 Date\/Time of Birth: '19800230' is not a valid date/);
  assert.equal(dob.value, '19800230');
  // Non-ASCII before the value: UTF-16 and byte offsets differ, and each slices its own input.
  assert.equal(broken.slice(dob.textSpan.start, dob.textSpan.end), '19800230');
  const bytes = new TextEncoder().encode(broken);
  assert.equal(new TextDecoder().decode(bytes.subarray(...dob.location.span)), '19800230');
  assert.equal(dob.location.line, 3);
  const pv1 = report.findings.find((f) => f.rule === 'structure.segment-missing');
  assert.match(pv1.message, /PV1/);
});

test('withValues: false leaves every value out', () => {
  const report = validate(broken, { withValues: false });
  assert.ok(report.findings.length > 0);
  for (const finding of report.findings) {
    assert.equal(finding.value, undefined);
    assert.doesNotMatch(finding.message, /19800230/);
  }
});

test('presets and version override', () => {
  const ok = broken.replace('19800230', '19800229') + 'PV1|1|O\r';
  assert.equal(validate(ok).valid, true);
  assert.equal(validate(ok, { preset: 'strict' }).valid, true);
  assert.equal(validate(ok, { version: '2.3' }).version, '2.3');
  assert.throws(() => validate(ok, { preset: 'lenient' }), /preset|variant/);
  assert.throws(() => validate('no header here'), /MSH/);
});

test('a profile adds its constraints and its Z-segments', () => {
  const message = [
    'MSH|^~\\&|REG|HOSP|EHR|HOSP|20261122083000||ADT^A04|MSG2|T|2.5.1',
    'EVN|A04|20261122083000',
    'PID|1||123^^^HOSP^MR||DOE^JANE||19800229|F',
    'PV1|1|O',
    'ZPI|1|',
  ].join('\r') + '\r';
  const profile = {
    name: 'lab feed',
    segments: {
      MSH: { fields: { 11: { fixed: 'P' } } },
      ZPI: { usage: 'R', fields: { 2: { usage: 'R' } } },
    },
    customSegments: [{ id: 'ZPI', name: 'Patient Extras', fields: [{ name: 'Set ID', dataType: 'SI' }, { name: 'Pet Name' }] }],
  };
  const report = validate(message, { profile });
  const rules = report.findings.map((f) => `${f.rule} ${f.location.path}`).sort();
  assert.deepEqual(rules, ['profile.fixed MSH-11', 'profile.required ZPI-2']);
  const pet = report.findings.find((f) => f.rule === 'profile.required');
  assert.match(pet.message, /^ZPI-2 Pet Name is required by profile 'lab feed'/);
  assert.throws(() => validate(message, { profile: { segments: { PID: { fields: { 'x.1': {} } } } } }), /profile/);
});
