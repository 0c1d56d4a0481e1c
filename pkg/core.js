// The API shared by every entry point. It only turns JavaScript calls into calls of the
// generated bindings (gen/, made by `cargo xtask build-pkg`); all HL7 work happens in Rust.
//
// Everything a caller passes is checked here, before it reaches the bindings: wasm-bindgen's
// conversions do not check types (a number where a string is expected wrote out of bounds) and
// turn any number into an unsigned integer (`message(NaN)` was message 0). Should the
// WebAssembly still trap, `guard` starts a fresh instance, so one bad call never breaks the next.
import * as bindings from './gen/pipehat.js';

/**
 * What pipehat throws for input or options it cannot use: an `Error` with a `code` saying what
 * kind (`input`, `path`, `version`, `options`, `profile`, `policy`, `key-required`,
 * `key-too-short`, `json`, `edit`, `range`, `internal`) and, where one applies, a `location` (`byteOffset` into the
 * input's UTF-8). Wrong argument and option types are `TypeError`s instead.
 */
export class PipehatError extends Error {
  constructor(message, code, location, options) {
    super(message, options);
    this.name = 'PipehatError';
    this.code = code;
    if (location !== undefined) this.location = location;
  }
}

/** Which WebAssembly instance is current: handles made by an earlier one must not touch it. */
let instance = 0;

/** A trap (or a stack overflow) may have left the instance in any state: it is not used again. */
function isTrap(error) {
  return error instanceof WebAssembly.RuntimeError
    || (error instanceof RangeError && /call stack/i.test(error.message));
}

/** Replaces the instance after a trap (wasm-bindgen's `--experimental-reset-state-function`). */
function reset(cause) {
  // The generated reset counts its instances first: ours stays in step even if it then fails.
  instance += 1;
  try {
    bindings.__wbg_reset_state();
  } catch (error) {
    throw new PipehatError('pipehat hit an internal error and could not start again: load the package again', 'internal', undefined, { cause: error });
  }
  return new PipehatError('pipehat hit an internal error and was reset; handles made before are no longer usable', 'internal', undefined, { cause });
}

/** Runs a call into the wasm, turning its coded errors into PipehatErrors, and traps into a reset. */
function guard(call) {
  try {
    return call();
  } catch (error) {
    if (isTrap(error)) throw reset(error);
    const text = error instanceof Error ? error.message : '';
    if (text.startsWith('\u0001')) {
      const end = text.indexOf('\u0001', 1);
      const [code, offset] = text.slice(1, end).split('@');
      throw new PipehatError(text.slice(end + 1), code, offset === undefined ? undefined : { byteOffset: Number(offset) });
    }
    throw error;
  }
}

let ready = false;

/** Strings cross into wasm as UTF-8 bytes: `TextEncoder` is native and fast on big text. */
const encoder = new TextEncoder();

/**
 * Writes an input into the wasm's input buffer — a string as UTF-8 (no temporary array, one
 * copy), a `Uint8Array` as it is — and returns how many bytes it took; the binding called next
 * takes them, told by `isText` whether they are a string's (text) or bytes.
 */
function toInput(input) {
  // Positions are 32-bit (the core addresses at most 4 GiB); wasm-bindgen would wrap a longer
  // length around.
  if (input.length >= 0xffffffff) throw new PipehatError(`the input is ${input.length} long: more than 4 GiB, the limit`, 'input');
  if (typeof input !== 'string') {
    const start = bindings.inputBuffer(input.length);
    new Uint8Array(bindings.wasmMemory().buffer, start, input.length).set(input);
    return input.length;
  }
  const text = input;
  // Room for ASCII first (HL7 nearly always is); more only if the text needs it.
  let room = text.length + 8;
  let start = bindings.inputBuffer(room);
  let { read, written } = encoder.encodeInto(text, new Uint8Array(bindings.wasmMemory().buffer, start, room));
  if (read < text.length) {
    room = written + (text.length - read) * 3;
    start = bindings.inputBuffer(room);
    written += encoder.encodeInto(text.slice(read), new Uint8Array(bindings.wasmMemory().buffer, start + written, room - written)).written;
  }
  return written;
}

/** A string is text; a `Uint8Array` is bytes, read by each message's MSH-18. */
const isText = (input) => typeof input === 'string';

/** The input of a function: a string (text) or a `Uint8Array` (bytes). */
function checkInput(fn, input) {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new TypeError(`${fn}: input must be a string or a Uint8Array, not ${show(input)}`);
  }
  return input;
}

/** Called by an entry point once the WebAssembly module is instantiated. */
export function markReady() {
  ready = true;
}

function assertReady() {
  if (!ready) {
    throw new Error("pipehat is not initialised: call `await init()` before using it (Node.js needs no init)");
  }
}

// ---------------------------------------------------------------------------------------------
// Checking what callers pass: one checker for every function's options.

/** A value as an error message shows it: what was given. */
function show(value) {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    return `'${JSON.stringify(shown).slice(1, -1)}'`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  return 'an object';
}

/** `'a', 'b' or 'c'`. */
function either(values) {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** A plain object (what JSON and object literals make), not an array, map, date… */
function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && Object.prototype.toString.call(value) === '[object Object]';
}

// What an option may be. Wrong types are TypeErrors; a value of the right type that is not one
// the option allows (an unknown preset, a count of 0) is a PipehatError with code `options`.
const STRING = { expected: 'a string', test: (v) => typeof v === 'string' };
const BOOLEAN = { expected: 'true or false', test: (v) => typeof v === 'boolean' };
const oneOf = (values, what) => ({ values, expected: what === undefined ? either(values) : `${what} (${either(values)})` });
const integer = (min, max, expected) => ({ integer: [min, max], expected });
const U32 = integer(0, 0xffffffff, 'a whole number from 0 to 4294967295');
const U16 = integer(0, 0xffff, 'a whole number from 0 to 65535');
const nullable = (spec) => ({ ...spec, nullable: true, expected: `${spec.expected} or null` });
const object = (keys, required = []) => ({ keys, required, expected: 'an object' });
const record = (of) => ({ record: of, expected: 'an object' });
const array = (of) => ({ array: of, expected: 'an array' });

/** Checks `value` against `spec` and returns a clean copy: only known keys, nothing undefined. */
function check(fn, name, value, spec) {
  if (value === null && spec.nullable) return null;
  const wrongType = () => new TypeError(`${fn}: option '${name}' must be ${spec.expected}, not ${show(value)}`);
  if (spec.keys !== undefined) {
    if (!isPlainObject(value)) throw wrongType();
    return checkKeys(fn, `${name}.`, value, spec);
  }
  if (spec.record !== undefined) {
    if (!isPlainObject(value)) throw wrongType();
    // No prototype: a key such as `__proto__` stays a key.
    const out = Object.create(null);
    for (const key of Object.keys(value)) {
      if (value[key] !== undefined) out[key] = check(fn, `${name}.${key}`, value[key], spec.record);
    }
    return out;
  }
  if (spec.array !== undefined) {
    if (!Array.isArray(value)) throw wrongType();
    return Array.from(value, (item, i) => check(fn, `${name}[${i}]`, item, spec.array));
  }
  if (spec.values !== undefined) {
    if (typeof value !== 'string') throw wrongType();
    if (!spec.values.includes(value)) throw new PipehatError(`${fn}: option '${name}' must be ${spec.expected}, not ${show(value)}`, 'options');
    return value;
  }
  if (spec.integer !== undefined) {
    if (typeof value !== 'number') throw wrongType();
    const [min, max] = spec.integer;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new PipehatError(`${fn}: option '${name}' must be ${spec.expected}, not ${show(value)}`, 'options');
    }
    return value;
  }
  if (!spec.test(value)) throw wrongType();
  return value;
}

function checkKeys(fn, prefix, value, spec) {
  const out = {};
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(spec.keys, key)) {
      throw new TypeError(`${fn}: unknown option '${prefix}${key}' (expected one of: ${Object.keys(spec.keys).join(', ')})`);
    }
  }
  for (const [key, keySpec] of Object.entries(spec.keys)) {
    const given = value[key];
    if (given === undefined) {
      if (spec.required.includes(key)) throw new TypeError(`${fn}: option '${prefix}${key}' is required`);
      continue;
    }
    out[key] = check(fn, `${prefix}${key}`, given, keySpec);
  }
  return out;
}

/**
 * A function's options, checked: `undefined` or `null` (none) or a plain object whose keys the
 * function knows, each of the right type and value. Returns a clean copy to hand to Rust.
 */
function checkOptions(fn, options, spec) {
  if (options === undefined || options === null) return {};
  if (!isPlainObject(options)) throw new TypeError(`${fn}: options must be an object, not ${show(options)}`);
  return checkKeys(fn, '', options, spec);
}

/** An index or offset: a whole number (what wasm-bindgen would otherwise wrap around). */
function checkInteger(fn, what, value) {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${fn}: ${what} must be a whole number, not ${show(value)}`);
  }
  return value;
}

function checkString(fn, what, value) {
  if (typeof value !== 'string') throw new TypeError(`${fn}: ${what} must be a string, not ${show(value)}`);
  return value;
}

const METHOD = oneOf(['keep', 'redact', 'remove', 'generalize', 'pseudonymize', 'scrub'], 'a method');
const PROFILE_USAGE = oneOf(['R', 'RE', 'O', 'C', 'X'], 'a usage');
const ELEMENT_CONSTRAINT = object({
  usage: nullable(PROFILE_USAGE), min: nullable(U32), max: nullable(U32), maxLength: nullable(U32),
  fixed: nullable(STRING), values: nullable(array(STRING)), table: nullable(U16),
});
// The JSON form of `pipehat_validate::Profile` (Rust checks it again when it reads it).
const PROFILE = object({
  name: STRING,
  segments: record(object({ usage: nullable(PROFILE_USAGE), min: nullable(U32), max: nullable(U32), fields: record(ELEMENT_CONSTRAINT) })),
  customSegments: array(object({
    id: STRING,
    name: STRING,
    fields: array(object({
      name: STRING, dataType: STRING, usage: oneOf(['R', 'O', 'C', 'B', 'X', 'W', 'NA', 'RE'], 'a usage'),
      maxRepetitions: nullable(U32), maxLength: nullable(U32), table: nullable(U16),
    }, ['name'])),
  }, ['id'])),
});
// How much a parse reads before it stops with an error: `pipehat::Limits`.
const LIMITS = object({
  maxSegments: integer(1, 0xffffffff, 'a whole number from 1 to 4294967295'),
  maxMessages: integer(1, 0xffffffff, 'a whole number from 1 to 4294967295'),
});
const VALIDATE = object({ version: STRING, preset: oneOf(['tolerant', 'strict']), withValues: BOOLEAN, profile: PROFILE, limits: LIMITS });
const ANONYMIZE_PRESET = oneOf(['safe-harbor', 'pseudonymize']);
const FREE_TEXT = oneOf(['redact', 'scrub']);
const ANONYMIZE = object({
  preset: ANONYMIZE_PRESET,
  freeText: FREE_TEXT,
  policy: object({ preset: ANONYMIZE_PRESET, freeText: FREE_TEXT, fields: record(METHOD), dataTypes: record(METHOD), segments: record(METHOD) }),
  key: STRING,
  keepOriginals: BOOLEAN,
  // The anonymizer reads with the default limits: lower ones only.
  limits: object({
    maxSegments: integer(1, 100_000, 'a whole number from 1 to 100000 (anonymize reads no more)'),
    maxMessages: integer(1, 10_000_000, 'a whole number from 1 to 10000000 (anonymize reads no more)'),
  }),
});
const TO_JSON = object({ lossless: BOOLEAN, names: BOOLEAN, version: STRING, limits: LIMITS });
const ACK = object({ code: oneOf(['AA', 'AE', 'AR', 'CA', 'CE', 'CR'], 'an acknowledgment code'), controlId: STRING, timestamp: STRING, limits: LIMITS });
const GET = object({ raw: BOOLEAN, limits: LIMITS });
const DIFF = object({ same: BOOLEAN, limits: LIMITS });
const RAW = object({ raw: BOOLEAN });
const PARSE = object({ limits: LIMITS });

// ---------------------------------------------------------------------------------------------
// The API.

/**
 * The segments of an HL7 v2 message or file.
 * @param {string | Uint8Array} input
 */
export function segments(input) {
  assertReady();
  checkInput('segments', input);
  return guard(() => bindings.segments(toInput(input), isText(input)));
}

/**
 * Names and types from the HL7 dictionary for a path such as `PID-11.5`.
 * @param {string} path
 * @param {string} [version] MSH-12 as written; the newest version (2.8.2) when left out.
 */
export function describe(path, version) {
  assertReady();
  checkString('describe', 'path', path);
  if (version !== undefined && version !== null) checkString('describe', 'version', version);
  return guard(() => bindings.describe(path, version ?? undefined));
}

/**
 * Validates the first HL7 v2 message of `input` against the dictionary of its version.
 * @param {string | Uint8Array} input a string is text; bytes are read by each message's MSH-18
 * @param {import('./index.d.ts').ValidateOptions} [options]
 */
export function validate(input, options) {
  assertReady();
  checkInput('validate', input);
  const checked = checkOptions('validate', options, VALIDATE);
  return guard(() => bindings.validate(toInput(input), isText(input), checked));
}

/**
 * Validates every message of a file (many messages, batches, MLLP framing).
 * @param {string | Uint8Array} input a string is text; bytes are read by each message's MSH-18
 * @param {import('./index.d.ts').ValidateOptions} [options]
 */
export function validateAll(input, options) {
  assertReady();
  checkInput('validateAll', input);
  const checked = checkOptions('validateAll', options, VALIDATE);
  return guard(() => bindings.validateAll(toInput(input), isText(input), checked));
}

/**
 * Reads an HL7 v2 XML conformance profile into the profile form `validate` takes.
 * @param {string} xml
 */
export function profileFromXml(xml) {
  assertReady();
  checkString('profileFromXml', 'xml', xml);
  return guard(() => bindings.profileFromXml(xml));
}

/**
 * De-identifies every message of `input` (a message, many, a batch): Safe Harbor by default,
 * or keyed pseudonyms (`preset: 'pseudonymize'` and a `key`). Returns `{ text, receipt }` for a
 * string, `{ bytes, receipt }` for bytes (in each message's own character set); the receipt
 * lists every changed path; original values only with `keepOriginals: true`.
 * @param {string | Uint8Array} input a string is text; bytes are read by each message's MSH-18
 * @param {import('./index.d.ts').AnonymizeOptions} [options]
 */
export function anonymize(input, options) {
  assertReady();
  checkInput('anonymize', input);
  // A misspelt option must not silently fall back to defaults: this is about patient data.
  const checked = checkOptions('anonymize', options, ANONYMIZE);
  return guard(() => bindings.anonymize(toInput(input), isText(input), checked));
}

/**
 * A new random key for pseudonyms (256 bits from the platform's cryptographic randomness, as
 * 64 hex digits). Keep it to get the same pseudonyms again; pipehat never stores it.
 */
export function generateKey() {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Messages as JSON. By default an array with every message in the readable form (fields by
 * number, values decoded); `names: true` adds the dictionary's names; `lossless: true` gives
 * the whole file in a form {@link fromJSON} turns back into the exact same bytes.
 * @param {string | Uint8Array} input a string is text; bytes are read by each message's MSH-18
 * @param {import('./index.d.ts').ToJSONOptions} [options]
 */
export function toJSON(input, options) {
  assertReady();
  checkInput('toJSON', input);
  const checked = checkOptions('toJSON', options, TO_JSON);
  return guard(() => bindings.toJson(toInput(input), isText(input), checked));
}

/**
 * The exact bytes of a file from its lossless JSON (`toJSON(text, { lossless: true })`).
 * @param {unknown} value the JSON value (not its text)
 * @returns {Uint8Array}
 */
export function fromJSON(value) {
  assertReady();
  return guard(() => bindings.fromJson(value));
}

/**
 * An acknowledgment (ACK) for every message of `input`, each CR-terminated: strings for a
 * string, `Uint8Array`s in the original's character set for bytes. Without
 * `code`, the message is validated: AA, AE or AR by its findings, and each finding an ERR
 * segment. MSH-7 of the ACK is now, unless `timestamp` says otherwise.
 * @param {string | Uint8Array} input a string is text; bytes are read by each message's MSH-18
 * @param {import('./index.d.ts').AckOptions} [options]
 * @returns {string[] | Uint8Array[]}
 */
export function ack(input, options) {
  assertReady();
  checkInput('ack', input);
  const checked = checkOptions('ack', options, ACK);
  checked.timestamp ??= hl7Now();
  checked.controlId ??= `ACK${checked.timestamp}`;
  return guard(() => bindings.ackAll(toInput(input), isText(input), checked));
}

/**
 * The value `path` names (`PID-5.1`, `OBX[2]-5`, `PID-3[2].4`) in every message of `input`:
 * decoded, or as written with `raw: true`; `undefined` where a message lacks it.
 * @param {string | Uint8Array} input a string is text; bytes are read by each message's MSH-18
 * @param {string} path
 * @param {{ raw?: boolean }} [options]
 * @returns {(string | undefined)[]}
 */
export function get(input, path, options) {
  assertReady();
  checkInput('get', input);
  checkString('get', 'path', path);
  const checked = checkOptions('get', options, GET);
  return guard(() => bindings.getAll(toInput(input), isText(input), path, checked));
}

/** Now as HL7 writes it: YYYYMMDDHHMMSS+ZZZZ, local time. */
/**
 * Compares two inputs message by message (message 1 of A with message 1 of B…), value by
 * value: segments meet by id and occurrence, values by field, repetition, component and
 * subcomponent, decoded. Returns how many places differ and, for each pair, the rows that
 * differ (every row with `same: true`).
 * @param {string | Uint8Array} a a string is text; bytes are read by each message's MSH-18
 * @param {string | Uint8Array} b
 * @param {import('./index.d.ts').DiffOptions} [options]
 * @returns {import('./index.d.ts').Diff}
 */
export function diff(a, b, options) {
  assertReady();
  checkInput('diff', a);
  checkInput('diff', b);
  const { same = false, ...rest } = checkOptions('diff', options, DIFF);
  const text = isText(b) ? b : undefined;
  const bytes = isText(b) ? undefined : b;
  return guard(() => bindings.diff(toInput(a), isText(a), text, bytes, same, rest));
}

function hl7Now() {
  const now = new Date();
  const pad = (n, width = 2) => String(Math.abs(n)).padStart(width, '0');
  const offset = -now.getTimezoneOffset();
  return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}${offset < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
}

// The generated classes' own constructors and statics take unchecked arguments: they are taken
// off the classes (reachable from any handle as `handle.constructor`) and called only from here.
const messageFromInput = bindings.HL7Message.fromInput;
const fileFromInput = bindings.HL7File.fromInput;
for (const cls of [bindings.HL7Message, bindings.HL7File]) {
  delete cls.fromInput;
  delete cls.fromBytes;
}

/**
 * Parses the first message of `input` and keeps it on the WebAssembly side: read it with
 * `get(path)`, edit it with `set(path, value)`, and turn it back into text with `toString()`.
 * Call `free()` when done with many messages; a FinalizationRegistry frees forgotten ones.
 * @param {string | Uint8Array} input a string is text; bytes are decoded by MSH-18
 * @param {import('./index.d.ts').ParseOptions} [options]
 * @returns {import('./index.d.ts').HL7Message}
 */
export function parse(input, options) {
  assertReady();
  checkInput('parse', input);
  const checked = checkOptions('parse', options, PARSE);
  return guard(() => messageFromInput(toInput(input), isText(input), checked));
}

/**
 * Every readable message of a file, batch or MLLP stream, each as {@link parse} gives it.
 * @param {string | Uint8Array} input a string is text; bytes are read by each message's MSH-18
 * @param {import('./index.d.ts').ParseOptions} [options]
 */
export function parseMany(input, options) {
  assertReady();
  checkInput('parseMany', input);
  const checked = checkOptions('parseMany', options, PARSE);
  return guard(() => bindings.parseMany(toInput(input), isText(input), checked));
}

/**
 * Parses a whole file (many messages, batches, MLLP) once and keeps it on the WebAssembly side,
 * to read a column at a time: `values(path)` gives the value in every message in one call.
 * The fastest way through big files. Call `free()` when done.
 * @param {string | Uint8Array} text
 * @param {import('./index.d.ts').ParseOptions} [options]
 * @returns {import('./index.d.ts').HL7File}
 */
export function parseFile(input, options) {
  assertReady();
  checkInput('parseFile', input);
  const checked = checkOptions('parseFile', options, PARSE);
  return guard(() => fileFromInput(toInput(input), isText(input), checked));
}

// ---------------------------------------------------------------------------------------------
// Handles. The generated methods are wrapped once, on the prototypes (a message costs no
// closures of its own): arguments checked, `{ raw }` options, coded errors as PipehatErrors,
// and a clear error for a handle that was freed or made before a reset — the generated code
// would say "null pointer passed to rust", or free memory of the new instance.

/** Throws unless `handle` is a live handle of `name`'s class, made by the current instance. */
function live(handle, name, where) {
  if (typeof handle?.__wbg_ptr !== 'number') throw new TypeError(`${where}: not called on an ${name}`);
  if (handle.__wbg_ptr === 0) throw new TypeError(`${where}: this ${name} was freed`);
  if (handle.__wbg_inst !== undefined && handle.__wbg_inst !== instance) {
    throw new PipehatError(`${where}: this ${name} was made before pipehat was reset after an internal error, and can no longer be used (parse its input again)`, 'internal');
  }
}

function wrapHandles(cls, name, methods) {
  const proto = cls.prototype;
  const generated = Object.getOwnPropertyDescriptors(proto);
  for (const [key, wrap] of Object.entries(methods)) {
    const where = `${name}.${key}`;
    const { get, value } = generated[key] ?? {};
    if (get !== undefined) {
      Object.defineProperty(proto, key, {
        configurable: true,
        get() {
          live(this, name, where);
          return guard(() => get.call(this));
        },
      });
    } else {
      proto[key] = wrap(value, where);
    }
  }
  const free = generated.free.value;
  proto.free = function () {
    // Freeing twice, or after a reset (the memory went with the old instance), does nothing.
    if (typeof this?.__wbg_ptr !== 'number' || this.__wbg_ptr === 0) return;
    if (this.__wbg_inst !== undefined && this.__wbg_inst !== instance) {
      this.__destroy_into_raw();
      return;
    }
    guard(() => free.call(this));
  };
  if (typeof Symbol.dispose === 'symbol') proto[Symbol.dispose] = proto.free;
}

/** A method whose arguments `check` returns, ready for the generated one. */
const method = (name, checkArgs) => (generated, where) => function (...args) {
  live(this, name, where);
  const checked = checkArgs(where, ...args);
  return guard(() => generated.apply(this, checked));
};
const noArgs = () => [];

wrapHandles(bindings.HL7Message, 'HL7Message', {
  segmentCount: null,
  segments: null,
  get: method('HL7Message', (where, path, options) => [
    checkString(where, 'path', path), checkOptions(where, options, RAW).raw === true,
  ]),
  set: method('HL7Message', (where, path, value) => [checkString(where, 'path', path), checkString(where, 'value', value)]),
  pathAt: (generated, where) => function (offset) {
    live(this, 'HL7Message', where);
    checkInteger(where, 'offset', offset);
    // Outside the text (or beyond what wasm-bindgen passes whole) there is no element.
    if (offset < 0 || offset > 0xffffffff) return undefined;
    return guard(() => generated.call(this, offset));
  },
  toString: method('HL7Message', noArgs),
  toJSON: method('HL7Message', noArgs),
});

const valuesPacked = bindings.HL7File.prototype.valuesPacked;
delete bindings.HL7File.prototype.valuesPacked;

wrapHandles(bindings.HL7File, 'HL7File', {
  messageCount: null,
  segmentCounts: method('HL7File', noArgs),
  values: () => function (path, options) {
    const where = 'HL7File.values';
    live(this, 'HL7File', where);
    checkString(where, 'path', path);
    const raw = checkOptions(where, options, RAW).raw === true;
    // One string for every message's value, sliced here: one decode instead of thousands.
    const [text, lengths] = guard(() => valuesPacked.call(this, path, raw));
    const values = [];
    let at = 0;
    for (const length of lengths) {
      if (length === 0xffffffff) {
        values.push(undefined);
      } else {
        values.push(text.slice(at, at + length));
        at += length;
      }
    }
    return values;
  },
  message: (generated, where) => function (index) {
    live(this, 'HL7File', where);
    checkInteger(where, 'index', index);
    const count = guard(() => this.messageCount);
    if (index < 0 || index >= count) throw new PipehatError(`no message ${index}: the file has ${count}`, 'range');
    return guard(() => generated.call(this, index));
  },
});

/**
 * For the package's own tests only (`tests/node`), not part of the API: the entry points do not
 * export it. `trap()` makes the WebAssembly trap, as a Rust panic would.
 */
export const __testing = {
  trap: () => guard(() => bindings.__trap()),
};
