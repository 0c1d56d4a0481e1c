// The package's types as a TypeScript user meets them: every exported function called as the
// README and the docs call it, each result used as its declared type, and wrong calls refused.
// `cargo xtask test` runs `tsc -p tests/types` (strict); nothing here is executed.
import {
  PipehatError, ack, anonymize, describe, diff, fromJSON, generateKey, get, init, parse, parseFile,
  parseMany, profileFromXml, segments, toJSON, validate, validateAll,
} from 'pipehat';
import type { Diff, DiffRow, Finding, Input, Profile, ReadableMessage, Report, TextReport } from 'pipehat';

declare const text: string;
declare const bytes: Uint8Array;
declare const input: Input;

/** Compiles only when `value` is exactly of type `T` (not wider, not narrower). */
function exactly<T>() {
  return <U extends T>(value: U & ([T] extends [U] ? unknown : never)) => value;
}

export async function usage(): Promise<void> {
  await init();

  // A string in, text out (UTF-16 spans); bytes in, bytes out.
  exactly<{ start: number; end: number } | undefined>()(segments(text)[0]?.span);
  exactly<TextReport>()(validate(text, { preset: 'strict', withValues: false }));
  exactly<Report>()(validate(bytes));
  const report: Report = validate(input, { limits: { maxSegments: 10 } });
  const finding: Finding | undefined = report.findings[0];
  exactly<string | undefined>()(finding?.rule);
  exactly<number>()(validateAll(text).messages.length);
  exactly<string>()(anonymize(text, { preset: 'pseudonymize', key: generateKey(), freeText: 'scrub' }).text);
  exactly<Uint8Array>()(anonymize(bytes).bytes);
  exactly<string[]>()(ack(text, { code: 'AE', controlId: 'A1' }));
  exactly<Uint8Array[]>()(ack(bytes));
  exactly<(string | undefined)[]>()(get(input, 'PID-5.1', { raw: true }));
  const readable: ReadableMessage[] = toJSON(input, { names: true });
  const lossless = toJSON(bytes, { lossless: true });
  exactly<Uint8Array>()(fromJSON(lossless));
  void readable;

  // Compare: rows that differ, with both sides' text.
  const compared: Diff = diff(text, bytes, { same: false });
  const row: DiffRow | undefined = compared.messages[0]?.rows[0];
  if (row?.status === 'changed') exactly<string | undefined>()(row.a);

  // Messages kept on the WebAssembly side.
  const message = parse(text);
  exactly<string | undefined>()(message.get('PID-5.1'));
  message.set('PID-5.1', 'DOE');
  exactly<{ path: string; label: string } | undefined>()(message.pathAt(0));
  message.free();
  for (const each of parseMany(bytes)) each.free();
  const file = parseFile(input);
  exactly<(string | undefined)[]>()(file.values('MSH-10'));
  exactly<Uint32Array>()(file.segmentCounts());
  file.free();

  exactly<string>()(describe('PID-11.5', '2.5.1').label);
  const profile: Profile = profileFromXml('<HL7v2xConformanceProfile/>');
  void profile;

  try {
    validate('');
  } catch (error) {
    if (error instanceof PipehatError) exactly<PipehatError['code']>()(error.code);
  }

  // Wrong calls do not compile.
  // @ts-expect-error a number is not an input
  validate(42);
  // @ts-expect-error not a preset
  validate(text, { preset: 'lenient' });
  // @ts-expect-error not a free-text method
  anonymize(text, { freeText: 'keep' });
  // @ts-expect-error options are checked by name
  diff(text, text, { sames: true });
  // @ts-expect-error limits are numbers
  get(text, 'PID-5', { limits: { maxSegments: '5' } });
}
