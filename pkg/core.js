// The API shared by every entry point. It only turns JavaScript calls into calls of the
// generated bindings (gen/, made by `cargo xtask build-pkg`); all HL7 work happens in Rust.
import * as bindings from './gen/pipehat.js';

/**
 * What pipehat throws for input or options it cannot use: an `Error` with a `code` saying what
 * kind (`input`, `path`, `version`, `options`, `profile`, `policy`, `key-required`, `json`,
 * `edit`, `range`) and, where one applies, a `location` (`byteOffset` into the input's UTF-8).
 * Wrong argument types are `TypeError`s instead.
 */
export class PipehatError extends Error {
  constructor(message, code, location) {
    super(message);
    this.name = 'PipehatError';
    this.code = code;
    if (location !== undefined) this.location = location;
  }
}

/** Runs a call into the wasm, turning its coded errors into PipehatErrors. */
function guard(call) {
  try {
    return call();
  } catch (error) {
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
 * Writes `text` as UTF-8 straight into the wasm's input buffer (no temporary array, one copy)
 * and returns how many bytes it took; `fromInput(length)` then parses them.
 */
function toInput(text) {
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

/** Called by an entry point once the WebAssembly module is instantiated. */
export function markReady() {
  ready = true;
}

function assertReady() {
  if (!ready) {
    throw new Error("pipehat is not initialised: call `await init()` before using it (Node.js needs no init)");
  }
}

/**
 * The segments of an HL7 v2 message or file.
 * @param {string | Uint8Array} input
 */
export function segments(input) {
  assertReady();
  if (typeof input === 'string') return guard(() => bindings.segmentsOfText(input));
  if (input instanceof Uint8Array) return guard(() => bindings.segmentsOfBytes(input));
  throw new TypeError(`segments(input): input must be a string or a Uint8Array, not ${input === null ? 'null' : typeof input}`);
}

/**
 * Names and types from the HL7 dictionary for a path such as `PID-11.5`.
 * @param {string} path
 * @param {string} [version] MSH-12 as written; the newest version (2.8.2) when left out.
 */
export function describe(path, version) {
  assertReady();
  if (typeof path !== 'string') throw new TypeError(`describe(path): path must be a string, not ${typeof path}`);
  if (version !== undefined && typeof version !== 'string') throw new TypeError(`describe(path, version): version must be a string, not ${typeof version}`);
  return guard(() => bindings.describe(path, version));
}

/**
 * Validates the first HL7 v2 message of `text` against the dictionary of its version.
 * @param {string} text
 * @param {{ version?: string, preset?: 'tolerant' | 'strict', withValues?: boolean }} [options]
 */
export function validate(text, options) {
  assertReady();
  if (typeof text !== 'string') throw new TypeError(`validate(text): text must be a string, not ${typeof text}`);
  return guard(() => bindings.validate(text, options));
}

/**
 * Validates every message of a file (many messages, batches, MLLP framing).
 * @param {string} text
 * @param {{ version?: string, preset?: 'tolerant' | 'strict', withValues?: boolean, profile?: object }} [options]
 */
export function validateAll(text, options) {
  assertReady();
  if (typeof text !== 'string') throw new TypeError(`validateAll(text): text must be a string, not ${typeof text}`);
  return guard(() => bindings.validateAll(text, options));
}

/**
 * Reads an HL7 v2 XML conformance profile into the profile form `validate` takes.
 * @param {string} xml
 */
export function profileFromXml(xml) {
  assertReady();
  if (typeof xml !== 'string') throw new TypeError(`profileFromXml(xml): xml must be a string, not ${typeof xml}`);
  return guard(() => bindings.profileFromXml(xml));
}

/**
 * De-identifies every message of `text` (a message, many, a batch): Safe Harbor by default, or
 * keyed pseudonyms (`preset: 'pseudonymize'` and a `key`). Returns the anonymized text and a
 * receipt of every changed path; original values only with `keepOriginals: true`.
 * @param {string} text
 * @param {import('./index.d.ts').AnonymizeOptions} [options]
 */
export function anonymize(text, options) {
  assertReady();
  if (typeof text !== 'string') throw new TypeError(`anonymize(text): text must be a string, not ${typeof text}`);
  // A misspelt option must not silently fall back to defaults: this is about patient data.
  checkKeys(options, ['preset', 'policy', 'key', 'keepOriginals'], 'option');
  checkKeys(options?.policy, ['preset', 'fields', 'dataTypes', 'segments'], 'policy key');
  return guard(() => bindings.anonymize(text, options));
}

/**
 * A new random key for pseudonyms (256 bits from the platform's cryptographic randomness, as
 * 64 hex digits). Keep it to get the same pseudonyms again; pipehat never stores it.
 */
export function generateKey() {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function checkKeys(object, known, what, fn = 'anonymize') {
  if (object === undefined || object === null || typeof object !== 'object') return;
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) throw new TypeError(`${fn}: unknown ${what} '${key}' (expected one of: ${known.join(', ')})`);
  }
}

/**
 * Messages as JSON. By default an array with every message in the readable form (fields by
 * number, values decoded); `names: true` adds the dictionary's names; `lossless: true` gives
 * the whole file in a form {@link fromJSON} turns back into the exact same bytes.
 * @param {string} text
 * @param {{ lossless?: boolean, names?: boolean, version?: string }} [options]
 */
export function toJSON(text, options = {}) {
  assertReady();
  if (typeof text !== 'string') throw new TypeError(`toJSON(text): text must be a string, not ${typeof text}`);
  checkKeys(options, ['lossless', 'names', 'version'], 'option', 'toJSON');
  return guard(() => bindings.toJson(text, options.lossless === true, options.names === true, options.version));
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
 * An acknowledgment (ACK) for every message of `text`, each a CR-terminated string. Without
 * `code`, the message is validated: AA, AE or AR by its findings, and each finding an ERR
 * segment. MSH-7 of the ACK is now, unless `timestamp` says otherwise.
 * @param {string} text
 * @param {{ code?: 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR', controlId?: string, timestamp?: string }} [options]
 * @returns {string[]}
 */
export function ack(text, options = {}) {
  assertReady();
  if (typeof text !== 'string') throw new TypeError(`ack(text): text must be a string, not ${typeof text}`);
  checkKeys(options, ['code', 'controlId', 'timestamp'], 'option', 'ack');
  const timestamp = options.timestamp ?? hl7Now();
  const controlId = options.controlId ?? `ACK${timestamp}`;
  return guard(() => bindings.ackAll(text, options.code, controlId, timestamp));
}

/**
 * The value `path` names (`PID-5.1`, `OBX[2]-5`, `PID-3[2].4`) in every message of `text`:
 * decoded, or as written with `raw: true`; `undefined` where a message lacks it.
 * @param {string} text
 * @param {string} path
 * @param {{ raw?: boolean }} [options]
 * @returns {(string | undefined)[]}
 */
export function get(text, path, options = {}) {
  assertReady();
  if (typeof text !== 'string') throw new TypeError(`get(text, path): text must be a string, not ${typeof text}`);
  if (typeof path !== 'string') throw new TypeError(`get(text, path): path must be a string, not ${typeof path}`);
  checkKeys(options, ['raw'], 'option', 'get');
  return guard(() => bindings.getAll(text, path, options.raw === true));
}

/** Now as HL7 writes it: YYYYMMDDHHMMSS+ZZZZ, local time. */
function hl7Now() {
  const now = new Date();
  const pad = (n, width = 2) => String(Math.abs(n)).padStart(width, '0');
  const offset = -now.getTimezoneOffset();
  return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}${offset < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
}

/**
 * Parses the first message of `input` and keeps it on the WebAssembly side: read it with
 * `get(path)`, edit it with `set(path, value)`, and turn it back into text with `toString()`.
 * Call `free()` when done with many messages; a FinalizationRegistry frees forgotten ones.
 * @param {string | Uint8Array} input
 * @returns {import('./index.d.ts').HL7Message}
 */
export function parse(input) {
  assertReady();
  if (typeof input === 'string') return guard(() => bindings.HL7Message.fromInput(toInput(input)));
  if (!(input instanceof Uint8Array)) throw new TypeError(`parse(input): input must be a string or a Uint8Array, not ${input === null ? 'null' : typeof input}`);
  return guard(() => bindings.HL7Message.fromBytes(input));
}

/**
 * Every readable message of a file, batch or MLLP stream, each as {@link parse} gives it.
 * @param {string} text
 */
export function parseMany(text) {
  assertReady();
  if (typeof text !== 'string') throw new TypeError(`parseMany(text): text must be a string, not ${typeof text}`);
  return guard(() => bindings.parseMany(text));
}

// The generated classes take `raw` positionally; users pass `{ raw }`, and errors become
// PipehatErrors. Wrapped once, on the prototypes, so a message costs no closures of its own.
{
  const message = bindings.HL7Message.prototype;
  const { get, set, pathAt } = message;
  message.get = function (path, options = {}) {
    if (typeof path !== 'string') throw new TypeError(`get(path): path must be a string, not ${typeof path}`);
    return guard(() => get.call(this, path, options.raw === true));
  };
  message.set = function (path, value) {
    if (typeof path !== 'string' || typeof value !== 'string') throw new TypeError('set(path, value): path and value must be strings');
    return guard(() => set.call(this, path, value));
  };
  message.pathAt = function (offset) {
    return guard(() => pathAt.call(this, offset));
  };
  const file = bindings.HL7File.prototype;
  const { valuesPacked, message: messageAt } = file;
  file.values = function (path, options = {}) {
    if (typeof path !== 'string') throw new TypeError(`values(path): path must be a string, not ${typeof path}`);
    // One string for every message's value, sliced here: one decode instead of thousands.
    const [text, lengths] = guard(() => valuesPacked.call(this, path, options.raw === true));
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
  };
  file.message = function (index) {
    return guard(() => messageAt.call(this, index));
  };
}

/**
 * Parses a whole file (many messages, batches, MLLP) once and keeps it on the WebAssembly side,
 * to read a column at a time: `values(path)` gives the value in every message in one call.
 * The fastest way through big files. Call `free()` when done.
 * @param {string} text
 * @returns {import('./index.d.ts').HL7File}
 */
export function parseFile(text) {
  assertReady();
  if (typeof text === 'string') return guard(() => bindings.HL7File.fromInput(toInput(text)));
  if (!(text instanceof Uint8Array)) throw new TypeError(`parseFile(text): text must be a string or a Uint8Array, not ${text === null ? 'null' : typeof text}`);
  return guard(() => bindings.HL7File.fromBytes(text));
}
