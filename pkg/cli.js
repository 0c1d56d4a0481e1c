#!/usr/bin/env node
// The `pipehat` command: HL7 v2 from the shell and CI pipelines. Everything runs locally, in the
// package's WebAssembly; nothing is sent anywhere.
import { parseArgs } from 'node:util';
import { accessSync, constants, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { PipehatError, ack, anonymize, diff, fromJSON, generateKey, get, profileFromXml, toJSON, validateAll } from './node.js';

const USAGE = `usage: pipehat <command> [options]

commands:
  validate FILE… | -     check messages against their HL7 version (files, globs, batches, MLLP)
      --hl7-version V      check against version V instead of each message's MSH-12
      --profile FILE       also check a profile (JSON, or an HL7 v2 XML conformance profile)
      --preset P           tolerant (default) or strict
      --format F           text (default), json or junit
      --no-values          leave every value out of the report (safe to share)

  anonymize FILE… | -    de-identify messages (files, globs, batches, MLLP) on this machine
      --preset P           safe-harbor (default) or pseudonymize (keyed, keeps linkage)
      --free-text F        redact (default) or scrub free text (notes, comments, text
                           results); scrubbing cannot catch a name that is only in the text
      --policy FILE        a JSON policy: preset and overrides by field, data type, segment
      --key K              the key for pseudonyms (needed by pseudonymize): at least 16 bytes
                           (128 bits) of UTF-8
      --key-file FILE      read the key from FILE instead
      --generate-key       print a new random 256-bit key and exit
      --out DIR            write each result to DIR/<file name> instead of standard output
      --receipt FILE       write the receipt (JSON: every changed path and method) to FILE
                           Every destination is checked and every input anonymized before
                           anything is written; files are written whole or not at all.

  to-json FILE | -       messages as readable JSON (fields by number, values decoded)
      --names              add the dictionary's names of segments and elements
      --lossless           the whole file, in a form from-json turns back into the same bytes
  from-json FILE | -     the exact bytes of a file from its lossless JSON
  ack FILE | -           an acknowledgment for every message (AA/AE/AR from validation,
                         findings as ERR segments)
      --code C             AA, AE, AR, CA, CE or CR instead of validating
      --control-id ID      MSH-10 of the acknowledgment
  get PATH FILE… | -     the value PATH names (PID-5.1, OBX[2]-5) in every message, a line each
      --raw                as written (escapes kept) instead of decoded
  diff A B               compare two files message by message, value by value (segments by id
                         and occurrence, values decoded); exit 1 when they differ, like diff
      --format F           text (default: one line per difference) or json
      --same               list the values that do not differ too

  Input files are bytes: each message is read in the character set its MSH-18 names (empty:
  UTF-8; 8859/1: ISO 8859-1), and what is written for bytes (anonymized files, ACKs, from-json)
  stays in the message's own set. Values printed (get, to-json, findings) are UTF-8.

  validate, anonymize, to-json, ack, get and diff also take
      --max-segments N     read at most N segments per message (default 100000)
      --max-messages N     read at most N messages per input (default 10000000)
  An input with no readable message (empty, blank, not HL7), or one a limit stopped reading,
  is an error: validate reports it as one (exit 1), the other commands exit 2 saying why.

  --version              print the version
  --help                 print this help

exit codes: 0 success; 1 validate found errors (or an input or messages that cannot be read),
get found a message without the path, or diff found differences; 2 bad usage or unreadable
input.`;

/** Bad usage or input: reported in one line, exit code 2. */
class UsageError extends Error {}

/** The `--max-segments` and `--max-messages` flags, for parseArgs. */
const LIMIT_FLAGS = { 'max-segments': { type: 'string' }, 'max-messages': { type: 'string' } };

/** The API's `limits` option from the flags, if any was given. */
function limitsOf(values) {
  const limits = {};
  for (const [flag, key] of [['max-segments', 'maxSegments'], ['max-messages', 'maxMessages']]) {
    const text = values[flag];
    if (text === undefined) continue;
    if (!/^[1-9][0-9]*$/.test(text) || Number(text) > 0xffffffff) throw new UsageError(`--${flag} must be a whole number from 1, not '${text}'`);
    limits[key] = Number(text);
  }
  return Object.keys(limits).length > 0 ? { limits } : {};
}

function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (command === 'validate') return validateCommand(rest);
  if (command === 'anonymize') return anonymizeCommand(rest);
  if (command === 'to-json') return toJsonCommand(rest);
  if (command === 'from-json') return fromJsonCommand(rest);
  if (command === 'ack') return ackCommand(rest);
  if (command === 'get') return getCommand(rest);
  if (command === 'diff') return diffCommand(rest);
  throw new UsageError(`unknown command '${command}' (try: pipehat --help)`);
}

function validateCommand(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'hl7-version': { type: 'string' },
      profile: { type: 'string' },
      preset: { type: 'string', default: 'tolerant' },
      format: { type: 'string', default: 'text' },
      'no-values': { type: 'boolean', default: false },
      ...LIMIT_FLAGS,
    },
  });
  if (!['tolerant', 'strict'].includes(values.preset)) throw new UsageError(`--preset must be tolerant or strict, not '${values.preset}'`);
  if (!['text', 'json', 'junit'].includes(values.format)) throw new UsageError(`--format must be text, json or junit, not '${values.format}'`);
  if (positionals.length === 0) throw new UsageError('validate: give one or more files, or - for standard input');
  const options = { preset: values.preset, withValues: !values['no-values'], ...limitsOf(values) };
  if (values['hl7-version'] !== undefined) options.version = values['hl7-version'];
  if (values.profile !== undefined) options.profile = readProfile(values.profile);

  const results = [];
  const files = expand(positionals);
  const progress = progressLine('validating', files.length);
  for (const [i, name] of files.entries()) {
    const bytes = readInput(name);
    progress(i, name, bytes.length);
    const file = name === '-' ? '<stdin>' : name;
    try {
      results.push({ file, ...validateAll(bytes, options) });
    } catch (error) {
      // No readable message: an error of this input, reported with the others (exit 1).
      if (!(error instanceof PipehatError && error.code === 'input')) throw error;
      results.push({ file, error: error.message, messages: [], unreadable: [] });
    }
  }
  progress.done();
  const out = values.format === 'json' ? JSON.stringify(results, null, 2) + '\n'
    : values.format === 'junit' ? junit(results)
    : text(results);
  process.stdout.write(out);
  const failed = results.some((r) => r.error !== undefined || r.unreadable.length > 0 || r.messages.some((m) => !m.valid));
  return failed ? 1 : 0;
}

function anonymizeCommand(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      'free-text': { type: 'string' },
      policy: { type: 'string' },
      key: { type: 'string' },
      'key-file': { type: 'string' },
      'generate-key': { type: 'boolean', default: false },
      out: { type: 'string' },
      receipt: { type: 'string' },
      ...LIMIT_FLAGS,
    },
  });
  if (values['generate-key']) {
    process.stdout.write(`${generateKey()}\n`);
    return 0;
  }
  if (values.preset !== undefined && !['safe-harbor', 'pseudonymize'].includes(values.preset)) {
    throw new UsageError(`--preset must be safe-harbor or pseudonymize, not '${values.preset}'`);
  }
  if (values['free-text'] !== undefined && !['redact', 'scrub'].includes(values['free-text'])) {
    throw new UsageError(`--free-text must be redact or scrub, not '${values['free-text']}'`);
  }
  if (values.key !== undefined && values['key-file'] !== undefined) throw new UsageError('give --key or --key-file, not both');
  if (positionals.length === 0) throw new UsageError('anonymize: give one or more files, or - for standard input');
  const options = limitsOf(values);
  if (values.preset !== undefined) options.preset = values.preset;
  if (values['free-text'] !== undefined) options.freeText = values['free-text'];
  if (values.policy !== undefined) {
    try {
      options.policy = JSON.parse(readText(values.policy));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--policy ${values.policy}: not JSON (${error.message})`);
    }
  }
  if (values.key !== undefined) options.key = values.key;
  if (values['key-file'] !== undefined) options.key = readText(values['key-file']).trim();
  const pseudonymizing = (options.preset ?? options.policy?.preset) === 'pseudonymize';
  if (pseudonymizing && !options.key) {
    throw new UsageError('pseudonymize needs a key: --key or --key-file (make one with --generate-key, and keep it to get the same pseudonyms again)');
  }
  const keyBytes = options.key === undefined ? 0 : Buffer.byteLength(options.key, 'utf8');
  if (options.key !== undefined && keyBytes < 16) {
    throw new UsageError(`the key is ${keyBytes} byte${keyBytes === 1 ? '' : 's'}: a key needs at least 16 bytes (128 bits) of UTF-8 (--generate-key makes a 256-bit one)`);
  }

  const files = expand(positionals);
  // Every destination is checked before the first input is read, and nothing is written where
  // anyone sees it before every input is anonymized: a failure half-way leaves no outputs and
  // no receipt, and each file appears whole (written beside its place, then renamed).
  const targets = values.out === undefined ? [] : outputTargets(values.out, files);
  if (values.receipt !== undefined) checkWritableFile(values.receipt, '--receipt');
  const staged = [];
  const stdout = [];
  const receipts = [];
  const progress = progressLine('anonymizing', files.length);
  try {
    for (const [i, name] of files.entries()) {
      const input = readInput(name);
      progress(i, name, input.length);
      // Bytes in, bytes out: each message stays in the character set its MSH-18 names.
      const result = attempt(name, () => anonymize(input, options));
      receipts.push({ file: name === '-' ? '<stdin>' : name, ...result.receipt });
      if (values.out === undefined) stdout.push(result.bytes);
      else staged.push(stage(targets[i], result.bytes));
    }
    if (values.receipt !== undefined) staged.push(stage(values.receipt, JSON.stringify(receipts, null, 2) + '\n'));
  } catch (error) {
    for (const { temporary } of staged) rmSync(temporary, { force: true });
    throw error;
  } finally {
    progress.done();
  }
  for (const { temporary, path } of staged) renameSync(temporary, path);
  for (const bytes of stdout) process.stdout.write(bytes);
  return 0;
}

/** Where `--out DIR` puts each input: DIR made if missing and writable; no two inputs (nor an input itself) on one path. */
function outputTargets(dir, files) {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(`--out ${dir}: cannot write there (${error.code === 'ENOTDIR' || error.code === 'EEXIST' ? 'not a directory' : error.code ?? error.message})`);
  }
  const seen = new Map();
  return files.map((name) => {
    const target = join(dir, name === '-' ? 'stdin.hl7' : basename(name));
    const key = resolve(target);
    if (seen.has(key)) throw new UsageError(`--out ${dir}: ${seen.get(key)} and ${name} would both be written to ${target}`);
    if (name !== '-' && resolve(name) === key) throw new UsageError(`--out ${dir}: ${name} would be overwritten by its own anonymized copy`);
    seen.set(key, name);
    return target;
  });
}

/** Checks that `file` can be written: its folder exists and is writable, and it is no folder itself. */
function checkWritableFile(file, flag) {
  const folder = dirname(resolve(file));
  try {
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    accessSync(folder, constants.W_OK);
  } catch (error) {
    const why = error.code === 'ENOENT' ? 'no such folder' : error.code === 'ENOTDIR' ? 'not a folder' : error.code ?? error.message;
    throw new UsageError(`${flag} ${file}: cannot write into ${folder} (${why})`);
  }
  let isFolder = false;
  try {
    isFolder = statSync(file).isDirectory();
  } catch {
    // Not there yet: it will be made.
  }
  if (isFolder) throw new UsageError(`${flag} ${file}: is a folder`);
}

/** Writes `data` to a new file beside `path`, to be renamed onto it once everything is ready. */
function stage(path, data) {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    writeFileSync(temporary, data, { flag: 'wx' });
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UsageError(`cannot write ${path}: ${error.code ?? error.message}`);
  }
  return { temporary, path };
}

/**
 * Progress on stderr for large inputs, only when stderr is a terminal (a pipeline's logs get
 * nothing): one line rewritten in place, cleared at the end.
 */
function progressLine(verb, count) {
  const shown = { any: false };
  const show = (i, name, size) => {
    if (!process.stderr.isTTY || (count < 20 && size < 5_000_000)) return;
    shown.any = true;
    process.stderr.write(`\r\x1b[K${verb} ${i + 1}/${count} ${name} (${(size / 1e6).toFixed(1)} MB)`);
  };
  show.done = () => {
    if (shown.any) process.stderr.write('\r\x1b[K');
  };
  return show;
}

/** The one input of a command, as bytes: a file or `-` (standard input). */
function oneInput(positionals, command) {
  if (positionals.length !== 1) throw new UsageError(`${command}: give one file, or - for standard input`);
  return readInput(positionals[0]);
}

/**
 * An input file (or `-`, standard input) as bytes, never decoded here: each message is read in
 * the character set its MSH-18 names, and what is written for it stays in that set.
 */
function readInput(name) {
  if (name === '-') return readFileSync(0);
  try {
    return readFileSync(name);
  } catch (error) {
    throw new UsageError(`cannot read ${name}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
}

/** Runs an API call on input `name`; its errors are bad input (exit 2), said in one line. */
function attempt(name, call) {
  try {
    return call();
  } catch (error) {
    throw new UsageError(`${name === '-' ? '<stdin>' : name}: ${error.message}`);
  }
}

function toJsonCommand(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { names: { type: 'boolean', default: false }, lossless: { type: 'boolean', default: false }, ...LIMIT_FLAGS },
  });
  if (values.names && values.lossless) throw new UsageError('to-json: --names and --lossless do not go together');
  const bytes = oneInput(positionals, 'to-json');
  const json = attempt(positionals[0], () => toJSON(bytes, { names: values.names, lossless: values.lossless, ...limitsOf(values) }));
  process.stdout.write(JSON.stringify(json, null, values.lossless ? undefined : 2) + '\n');
  return 0;
}

function fromJsonCommand(args) {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const source = oneInput(positionals, 'from-json');
  let value;
  try {
    value = JSON.parse(new TextDecoder().decode(source));
  } catch (error) {
    throw new UsageError(`from-json: not JSON (${error.message})`);
  }
  process.stdout.write(attempt(positionals[0], () => fromJSON(value)));
  return 0;
}

function ackCommand(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { code: { type: 'string' }, 'control-id': { type: 'string' }, ...LIMIT_FLAGS },
  });
  const bytes = oneInput(positionals, 'ack');
  // Each acknowledgment in the character set of the message it answers.
  const acks = attempt(positionals[0], () => ack(bytes, { code: values.code, controlId: values['control-id'], ...limitsOf(values) }));
  for (const reply of acks) process.stdout.write(reply);
  return 0;
}

function getCommand(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { raw: { type: 'boolean', default: false }, ...LIMIT_FLAGS },
  });
  const [path, ...files] = positionals;
  if (path === undefined || files.length === 0) throw new UsageError('get: give a path and one or more files (or -)');
  let missing = 0;
  const options = { raw: values.raw, ...limitsOf(values) };
  for (const name of expand(files)) {
    const bytes = readInput(name);
    for (const value of attempt(name, () => get(bytes, path, options))) {
      if (value === undefined) missing += 1;
      process.stdout.write(`${value ?? ''}\n`);
    }
  }
  return missing > 0 ? 1 : 0;
}

function diffCommand(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, same: { type: 'boolean', default: false }, ...LIMIT_FLAGS },
  });
  if (positionals.length !== 2) throw new UsageError('diff: give two files (one of them may be -)');
  if (!['text', 'json'].includes(values.format)) throw new UsageError(`--format must be text or json, not '${values.format}'`);
  if (positionals[0] === '-' && positionals[1] === '-') throw new UsageError('diff: only one of the two files can be standard input');
  const [a, b] = positionals.map(readInput);
  let result;
  try {
    result = diff(a, b, { same: values.same, ...limitsOf(values) });
  } catch (error) {
    // The message says which side: "A: …" or "B: …".
    const side = error.message.startsWith('B: ') ? 1 : 0;
    const name = positionals[side] === '-' ? '<stdin>' : positionals[side];
    throw new UsageError(`${name}: ${error.message.replace(/^[AB]: /, '')}`);
  }
  if (values.format === 'json') {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const quoted = (value) => JSON.stringify(value);
    const several = result.messages.length > 1;
    let out = '';
    for (const { message, rows } of result.messages) {
      if (several && rows.length > 0) out += `message ${message}:\n`;
      for (const row of rows) {
        const indent = several ? '  ' : '';
        if (row.status === 'changed') out += `${indent}${row.path}: ${quoted(row.a)} → ${quoted(row.b)}\n`;
        else if (row.status === 'only-a') out += `${indent}${row.path}: only in A: ${quoted(row.a)}\n`;
        else if (row.status === 'only-b') out += `${indent}${row.path}: only in B: ${quoted(row.b)}\n`;
        else out += `${indent}${row.path}: same: ${quoted(row.a)}\n`;
      }
    }
    const n = result.differences;
    out += n === 0 ? 'no differences\n' : `${n} difference${n === 1 ? '' : 's'}\n`;
    process.stdout.write(out);
  }
  return result.differences > 0 ? 1 : 0;
}

function readText(name) {
  try {
    return readFileSync(name, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${name}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
}

function readProfile(name) {
  const source = readText(name);
  if (source.trimStart().startsWith('<')) return profileFromXml(source);
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new UsageError(`--profile ${name}: not JSON (${error.message})`);
  }
}

/** Files named, with `*`, `?` and `**` patterns expanded (for shells that do not). */
function expand(patterns) {
  const files = [];
  for (const pattern of patterns) {
    if (pattern === '-' || !/[*?]/.test(pattern)) {
      files.push(pattern);
      continue;
    }
    const parts = pattern.split(/[\\/]/);
    const fixed = [];
    while (parts.length > 0 && !/[*?]/.test(parts[0])) fixed.push(parts.shift());
    const base = fixed.length > 0 ? fixed.join(sep) || sep : '.';
    const regex = new RegExp(`^${parts.map(globPart).join('/')}$`);
    const found = walk(base).filter((file) => regex.test(relative(base, file).split(sep).join('/'))).sort();
    if (found.length === 0) throw new UsageError(`no file matches ${pattern}`);
    files.push(...found);
  }
  return files;
}

function globPart(part) {
  if (part === '**') return '(?:.*)';
  return part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
}

function walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function text(results) {
  const lines = [];
  let errors = 0;
  let warnings = 0;
  for (const { file, error, messages, unreadable } of results) {
    if (error !== undefined) {
      errors += 1;
      lines.push(`${file}: error: ${error}`);
    }
    for (const u of unreadable) {
      errors += 1;
      lines.push(`${file}:${u.line}: error: cannot read this message: ${u.message}`);
    }
    for (const m of messages) {
      for (const f of m.findings) {
        if (f.severity === 'error') errors += 1;
        if (f.severity === 'warning') warnings += 1;
        const where = f.location.path ? ` ${f.location.path}` : '';
        lines.push(`${file}:${f.location.line}:${f.location.column}: ${f.severity} ${f.code} ${f.rule}${where}: ${f.message}`);
      }
    }
  }
  const count = results.reduce((n, r) => n + r.messages.length, 0);
  lines.push(`${count} message${count === 1 ? '' : 's'} in ${results.length} file${results.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}

function xml(value) {
  return String(value).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

function junit(results) {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="pipehat validate">'];
  for (const { file, error, messages, unreadable } of results) {
    const failures = messages.filter((m) => !m.valid).length + unreadable.length + (error === undefined ? 0 : 1);
    out.push(`  <testsuite name="${xml(file)}" tests="${messages.length + unreadable.length + (error === undefined ? 0 : 1)}" failures="${failures}">`);
    if (error !== undefined) {
      out.push(`    <testcase classname="${xml(file)}" name="input">`);
      out.push(`      <failure message="${xml(error)}"/>`);
      out.push('    </testcase>');
    }
    for (const m of messages) {
      const name = `message ${m.index}${m.controlId ? ` (${m.controlId})` : ''} at line ${m.line}`;
      const errors = m.findings.filter((f) => f.severity === 'error');
      if (errors.length === 0) {
        out.push(`    <testcase classname="${xml(file)}" name="${xml(name)}"/>`);
        continue;
      }
      const body = errors.map((f) => `${f.location.line}:${f.location.column} ${f.code} ${f.rule} ${f.location.path ?? ''}: ${f.message}`).join('\n');
      out.push(`    <testcase classname="${xml(file)}" name="${xml(name)}">`);
      out.push(`      <failure message="${xml(`${errors.length} error${errors.length === 1 ? '' : 's'}`)}">${xml(body)}</failure>`);
      out.push('    </testcase>');
    }
    for (const u of unreadable) {
      out.push(`    <testcase classname="${xml(file)}" name="${xml(`unreadable message at line ${u.line}`)}">`);
      out.push(`      <failure message="${xml(u.message)}"/>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  // Bad usage, a file that cannot be read, a profile that cannot be: all exit 2.
  process.stderr.write(`pipehat: ${error.message}\n`);
  process.exitCode = 2;
}
