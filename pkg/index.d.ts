/**
 * An HL7 v2 input. A `string` is text: its messages are read as the characters they are,
 * whatever MSH-18 says (MSH-18 names how the message travels as bytes). A `Uint8Array` is
 * bytes — a file, a socket's data — and each message is read in the character set its MSH-18
 * names (empty: UTF-8; `8859/1`: ISO 8859-1); what pipehat makes of bytes for bytes
 * (anonymized files, acknowledgments, lossless JSON) stays in that character set.
 */
export type Input = string | Uint8Array;

/** A half-open range of offsets `[start, end)`. */
export interface Range {
  /** First offset. */
  start: number;
  /** One past the last offset. */
  end: number;
}

/** One segment of an HL7 v2 message, without its terminator. */
export interface Segment {
  /** The segment id: `MSH`, `PID`, `ZPD`… (the text before the first field separator). */
  id: string;
  /**
   * Offsets in UTF-16 code units into the input string, as `String.prototype.slice` takes them.
   * Present when the input was a string.
   */
  span?: Range;
  /** Offsets into the input's UTF-8 bytes (or the `Uint8Array` as given). */
  byteSpan: Range;
}

/** A segment of a string input: it always has UTF-16 offsets. */
export interface TextSegment extends Segment {
  span: Range;
}

/**
 * The segments of an HL7 v2 message or file, in order. Segments may end with CR, LF or CRLF;
 * blank lines and a leading byte order mark are skipped.
 */
export function segments(input: string): TextSegment[];
export function segments(input: Uint8Array): Segment[];
export function segments(input: Input): Segment[];

/** A field or component definition from the HL7 dictionary. */
export interface ElementDefinition {
  /** Its number, from 1. */
  position: number;
  /** Its name as the standard prints it, e.g. `"Date/Time of Birth"`. */
  name: string;
  /** Its data type id, e.g. `"TS"`; `"varies"` where another field decides (OBX-5). */
  dataType: string;
  /** Usage: required, optional, conditional, backward compatible, not supported, withdrawn… */
  usage: 'R' | 'O' | 'C' | 'B' | 'X' | 'W' | 'NA' | 'RE';
  /** Most repetitions; `null` when unbounded. */
  maxRepetitions: number | null;
  /** Maximum length, where the dictionary's sources have it. */
  maxLength?: number;
  /** The HL7 table of its codes, e.g. `1` for table 0001. */
  table?: number;
}

/** What the dictionary knows of the element a path points at. */
export interface Description {
  /** The path in canonical form, e.g. `"PID-11.5"`. */
  path: string;
  /** The dictionary version used, e.g. `"2.5.1"`. */
  version: string;
  /** Present when the version asked for is not in the dictionary: which one was used instead. */
  versionNote?: string;
  /** Names from the field down, e.g. `"Patient Address / Zip or Postal Code"`; empty if unknown. */
  label: string;
  /** The segment's name, e.g. `"Patient Identification"`. */
  segmentName?: string;
  /** Data type of the deepest element described. */
  dataType?: string;
  field?: ElementDefinition;
  component?: ElementDefinition;
  subcomponent?: ElementDefinition;
}

/**
 * Names and types from the HL7 v2.1–2.8.2 dictionary for a path such as `PID-11[1].5`.
 * `version` is MSH-12 as written (`"2.5.1"`, `"2.3.0"`, `"2.5.1^USA"`); a version the dictionary
 * lacks maps to the nearest older one, with `versionNote` saying so. Without it, 2.8.2.
 * Throws on a path that cannot be read.
 */
export function describe(path: string, version?: string | null): Description;

/** Constraints on an element in a {@link Profile}. */
export interface ElementConstraint {
  usage?: 'R' | 'RE' | 'O' | 'C' | 'X';
  min?: number;
  max?: number;
  maxLength?: number;
  fixed?: string;
  values?: string[];
  /** An HL7 table whose codes are the values allowed. */
  table?: number;
}

/** Constraints on a segment in a {@link Profile}. */
export interface SegmentConstraint {
  usage?: 'R' | 'RE' | 'O' | 'C' | 'X';
  min?: number;
  max?: number;
  /** By element, keyed like a path below the segment: `"3"`, `"3.5"`, `"3.4.1"`. */
  fields?: Record<string, ElementConstraint>;
}

/** A field of a custom (Z-) segment definition. */
export interface CustomField {
  name: string;
  /** Default `ST`. */
  dataType?: string;
  usage?: 'R' | 'O' | 'C' | 'B' | 'X' | 'W' | 'NA' | 'RE';
  /** `null` for unbounded; default 1. */
  maxRepetitions?: number | null;
  maxLength?: number;
  table?: number;
}

/** A validation profile: a site's or guide's constraints, and its own segments. */
export interface Profile {
  name?: string;
  segments?: Record<string, SegmentConstraint>;
  customSegments?: { id: string; name?: string; fields?: CustomField[] }[];
}

/**
 * How much a parse reads before it stops: reading past a limit is an error (`PipehatError`
 * code `input`, naming the line), never a silently shorter result. Both are whole numbers from 1.
 */
export interface Limits {
  /** The most segments in one message. Default 100,000. */
  maxSegments?: number;
  /** The most messages in one input. Default 10,000,000. */
  maxMessages?: number;
}

/** Options of {@link validate}. */
export interface ValidateOptions {
  /** Check against this version (MSH-12 as written) instead of the message's own. */
  version?: string;
  /** `tolerant` (the default: what receivers actually reject) or `strict` (everything). */
  preset?: 'tolerant' | 'strict';
  /** `false` leaves every value out of the report, so it can be shared. Default `true`. */
  withValues?: boolean;
  /** Also check a profile's constraints; its custom segments join the dictionary. */
  profile?: Profile;
  /** Parser limits; {@link validateAll} lists a message a limit stopped as unreadable. */
  limits?: Limits;
}

/** Where a finding is. */
export interface FindingLocation {
  /** The element's path, e.g. `PID-7` or `OBX[2]-5.1`; absent for a missing segment. */
  path?: string;
  /** The segment's position in the message, from 1. */
  segment: number;
  /** Byte offsets `[start, end)` into the input's bytes (a string's UTF-8). */
  span: [number, number];
  /** Line and column (from 1, columns in characters) of the start. */
  line: number;
  column: number;
}

/** One problem found. */
export interface Finding {
  severity: 'error' | 'warning' | 'info';
  /** HL7 error code (table 0357): 100 sequence, 101 required, 102 data type, 103 table, 104 length, 200–203 unsupported. */
  code: number;
  /** Stable rule id, e.g. `field.required`. */
  rule: string;
  location: FindingLocation;
  /** What is wrong, naming the element in words. */
  message: string;
  /** The value concerned; absent with `withValues: false`. */
  value?: string;
  /** The span in UTF-16 code units of the input string (for `String.prototype.slice`); only when the input was a string. */
  textSpan?: Range;
}

/** A finding in a string: it has UTF-16 offsets. */
export interface TextFinding extends Finding {
  textSpan: Range;
}

/** A validation report. */
export interface Report {
  /** The HL7 version checked against, e.g. `"2.5.1"`. */
  version: string;
  /** The message structure checked, e.g. `"ADT_A01"`. */
  structure?: string;
  /** True when no finding is an error. */
  valid: boolean;
  findings: Finding[];
}

/** The report of a string: its findings have UTF-16 offsets. */
export interface TextReport extends Report {
  findings: TextFinding[];
}

/**
 * Validates the first message of `input`: structure (segments and groups), fields, data types
 * and tables of its HL7 version. Throws (`input`) when it holds no readable message, a message
 * that cannot be read ({@link validateAll} lists those), or a limit stopped reading it. Bytes are read by MSH-18; UTF-8 bytes labelled `8859/1` get a warning.
 */
export function validate(input: string, options?: ValidateOptions | null): TextReport;
export function validate(input: Uint8Array, options?: ValidateOptions | null): Report;
export function validate(input: Input, options?: ValidateOptions | null): Report;

/** One message's report within a file. */
export interface MessageReport extends Report {
  /** The message's position in the file, from 1. */
  index: number;
  /** Its MSH-10. */
  controlId: string;
  /** Line of its MSH, from 1. */
  line: number;
}

/** The reports of every message in a file, and what could not be read. */
export interface FileReport {
  messages: MessageReport[];
  /** Lines that start a message whose header cannot be read. */
  unreadable: { line: number; message: string }[];
}

/** The reports of a string: their findings have UTF-16 offsets. */
export interface TextFileReport extends FileReport {
  messages: (MessageReport & TextReport)[];
}

/**
 * Validates every message of a file: many messages, batches, MLLP framing. Throws (`input`)
 * when it holds no readable message — empty, blank, not HL7 — saying why; messages that
 * cannot be read among readable ones, and where a limit stopped reading, are in `unreadable`.
 */
export function validateAll(input: string, options?: ValidateOptions | null): TextFileReport;
export function validateAll(input: Uint8Array, options?: ValidateOptions | null): FileReport;
export function validateAll(input: Input, options?: ValidateOptions | null): FileReport;

/** Reads an HL7 v2 XML conformance profile (`HL7v2xConformanceProfile`) as a {@link Profile}. */
export function profileFromXml(xml: string): Profile;

/** What to do with a value (see docs/deidentification.md). */
export type AnonymizeMethod = 'keep' | 'redact' | 'remove' | 'generalize' | 'pseudonymize' | 'scrub';

/** What a value was taken for. */
export type AnonymizeCategory =
  | 'allowed' | 'code' | 'code-text' | 'number' | 'time' | 'date' | 'birth-date' | 'age'
  | 'family-name' | 'given-name' | 'street' | 'city' | 'state' | 'postal-code' | 'country'
  | 'telecom' | 'email' | 'identifier' | 'free-text' | 'binary' | 'unknown';

/** A de-identification policy: a preset and overrides; the most specific override wins. */
export interface AnonymizePolicy {
  preset?: 'safe-harbor' | 'pseudonymize';
  /** Free text: `redact` (default) or `scrub`; see {@link AnonymizeOptions.freeText}. */
  freeText?: 'redact' | 'scrub';
  /** By element path: `"PID-11"`, `"PID-11.5"`. */
  fields?: Record<string, AnonymizeMethod>;
  /** By a field's data type: `"XAD"`. */
  dataTypes?: Record<string, AnonymizeMethod>;
  /** By segment id: `"ZPD"`. */
  segments?: Record<string, AnonymizeMethod>;
}

/** Options of {@link anonymize}. */
export interface AnonymizeOptions {
  /** `safe-harbor` (default: HIPAA Safe Harbor, no key) or `pseudonymize` (keyed, keeps linkage). */
  preset?: 'safe-harbor' | 'pseudonymize';
  /**
   * Free text (notes, comments, text results): `redact` (default, in both presets: each value
   * becomes `REDACTED`) or `scrub` (kept, with every value replaced elsewhere in the input, and
   * anything shaped like an email, URL, date or long number, removed from it). Scrubbing cannot
   * catch a name or number that appears only in the text; under `safe-harbor` it falls short of
   * Safe Harbor.
   */
  freeText?: 'redact' | 'scrub';
  /** Overrides; its preset and freeText are replaced by `preset` and `freeText` when both are given. */
  policy?: AnonymizePolicy;
  /**
   * The key for pseudonyms: at least 16 bytes (128 bits) of UTF-8, e.g. from {@link generateKey}
   * (256 bits); a shorter one throws `key-too-short`. Required to pseudonymize.
   */
  key?: string;
  /** Put each changed value's original in the receipt (off by default, so it can be shared). */
  keepOriginals?: boolean;
  /** Parser limits: lower ones only (anonymize reads at most 100,000 segments per message and 10,000,000 messages). */
  limits?: Limits;
}

/** One changed value. */
export interface AnonymizeChange {
  /** Which message of the input, from 0; absent for batch and file envelope segments. */
  message?: number;
  /** The value's path, e.g. `"PID-5.1"`, `"OBX[2]-5"`. */
  path: string;
  category: AnonymizeCategory;
  method: AnonymizeMethod;
  /** The original value, only with `keepOriginals`. */
  original?: string;
  /**
   * `unencodable`: the replacement held a character the message's character set cannot hold
   * (bytes input only), written as `?`.
   */
  note?: 'unencodable';
}

/** What an anonymization changed. */
export interface AnonymizeReceipt {
  preset: 'safe-harbor' | 'pseudonymize';
  /** How many messages were anonymized. */
  messages: number;
  changes: AnonymizeChange[];
  /** Input dropped because it was not HL7 (prose between messages), by byte range of the input (a string's UTF-8). */
  removed: { start: number; end: number; reason: string }[];
}

/** An anonymized string and its receipt. */
export interface Anonymized {
  /** The anonymized messages: same segments and structure, line ends as they were. */
  text: string;
  receipt: AnonymizeReceipt;
}

/** Anonymized bytes and their receipt. */
export interface AnonymizedBytes {
  /** The anonymized messages, each in the character set its MSH-18 names (kept values byte for byte). */
  bytes: Uint8Array;
  receipt: AnonymizeReceipt;
}

/**
 * De-identifies every message of `input`: `{ text }` for a string, `{ bytes }` (in each
 * message's character set) for bytes. Every value of every segment is judged from the
 * dictionary's data types; what is not known to be harmless (Z-segments included) is treated as
 * an identifier. Throws when `preset: 'pseudonymize'` has no `key` (`key-required`), the key
 * is shorter than 16 bytes (`key-too-short`), or a policy key is not a path; and (`input`) for input with no readable message, or with any message that cannot be
 * read (naming its line: it could not be anonymized), or that a limit stopped.
 */
export function anonymize(input: string, options?: AnonymizeOptions | null): Anonymized;
export function anonymize(input: Uint8Array, options?: AnonymizeOptions | null): AnonymizedBytes;
export function anonymize(input: Input, options?: AnonymizeOptions | null): Anonymized | AnonymizedBytes;

/** A new random key for pseudonyms: 64 hex digits from the platform's cryptographic randomness. */
export function generateKey(): string;

/** A readable message: segments with their fields by number, values decoded. */
export interface ReadableMessage {
  segments: { id: string; name?: string; names?: Record<string, string>; fields: Record<string, unknown> }[];
}

/** Options of {@link toJSON}. */
export interface ToJSONOptions {
  /** The whole file in a form {@link fromJSON} turns back into the same bytes. */
  lossless?: boolean;
  /** Add the dictionary's names of segments and elements. */
  names?: boolean;
  /** The HL7 version for names, instead of each message's MSH-12. */
  version?: string;
  /** Parser limits. */
  limits?: Limits;
}

/**
 * Every message of `input` in the readable form, or (`lossless`) the whole file as lossless
 * JSON: of bytes, the bytes themselves (what is not UTF-8 as `{"hex"}`), so {@link fromJSON}
 * gives them back exactly; of a string, its UTF-8. Throws (`input`) when it holds no readable
 * message, or (readable form only) a message that cannot be read: an array without it would
 * look like the whole file. The lossless form keeps such a message's bytes.
 */
export function toJSON(input: Input, options?: (ToJSONOptions & { lossless?: false }) | null): ReadableMessage[];
export function toJSON(input: Input, options: ToJSONOptions & { lossless: true }): { format: string; items: unknown[] };

/** The exact bytes of a file from its lossless JSON. Throws for anything else. */
export function fromJSON(value: unknown): Uint8Array;

/** Options of {@link ack}. */
export interface AckOptions {
  /** MSA-1; without it the message is validated and its findings decide (AA, AE, AR) and become ERR segments. */
  code?: 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';
  /** MSH-10 of the acknowledgment (numbered `-1`, `-2`… for many messages); `ACK` + the timestamp by default. */
  controlId?: string;
  /** MSH-7 of the acknowledgment, as HL7 writes it; now by default. */
  timestamp?: string;
  /** Parser limits. */
  limits?: Limits;
}

/**
 * An acknowledgment for every message of `input`, each CR-terminated: strings for a string;
 * for bytes, bytes in the character set of the message each answers (MSH-18 is kept). Throws
 * (`input`) when a message cannot be read, naming its line: it would get no acknowledgment.
 */
export function ack(input: string, options?: AckOptions | null): string[];
export function ack(input: Uint8Array, options?: AckOptions | null): Uint8Array[];
export function ack(input: Input, options?: AckOptions | null): string[] | Uint8Array[];

/** Options of {@link diff}. */
export interface DiffOptions {
  /** Keep the rows that do not differ too (status `same`). */
  same?: boolean;
  /** Parser limits, for both inputs. */
  limits?: Limits;
}

/** One place either message has a value at. */
export interface DiffRow {
  /** Where: `PID-5.1`, `OBX[2]-5` (as specific as the more specific side). */
  path: string;
  status: 'same' | 'changed' | 'only-a' | 'only-b';
  /** A's value, decoded (`""` for the HL7 null); absent where A has none. */
  a?: string;
  /** B's value; absent where B has none. */
  b?: string;
}

/** Two inputs compared. */
export interface Diff {
  /** How many places differ, over every message. */
  differences: number;
  /** Message 1 of A with message 1 of B, and so on; a message only one input has is compared with nothing. */
  messages: { message: number; differences: number; rows: DiffRow[] }[];
}

/**
 * Compares two inputs message by message, value by value: segments meet by id and occurrence
 * (`OBX[2]` with `OBX[2]`), values by field, repetition, component and subcomponent, compared
 * decoded (`\T\` is `&`); an empty value is no value, the HL7 null `""` is one. Throws
 * (`input`, the message starting with `A:` or `B:`) when an input has no readable message, or
 * one that cannot be read.
 */
export function diff(a: Input, b: Input, options?: DiffOptions | null): Diff;

/** Options of {@link get}. */
export interface GetOptions {
  /** The value as written (escapes kept) instead of decoded. */
  raw?: boolean;
  /** Parser limits. */
  limits?: Limits;
}

/**
 * The value `path` names in every message of `input`: decoded, or as written with `raw`;
 * `undefined` where missing. Throws (`input`) when a message cannot be read, naming its line.
 */
export function get(input: Input, path: string, options?: GetOptions | null): (string | undefined)[];

/** A message parsed and kept on the WebAssembly side ({@link parse}). */
export interface HL7Message {
  /** How many segments it has. */
  readonly segmentCount: number;
  /** Its segments, with UTF-16 and byte spans into `toString()`. */
  readonly segments: TextSegment[];
  /** The value at `path` (`PID-5.1`, `OBX[2]-5`), decoded, or as written with `raw`; `undefined` when absent. */
  get(path: string, options?: { raw?: boolean } | null): string | undefined;
  /** Sets the value at `path`, escaped for the message's delimiters; missing parts are created. Throws when it cannot. */
  set(path: string, value: string): void;
  /** The path and dictionary name at a UTF-16 offset of `toString()` (a whole number); `undefined` outside the text. */
  pathAt(offset: number): { path: string; label: string } | undefined;
  /** The message as text, edits included. */
  toString(): string;
  /** The readable JSON form. */
  toJSON(): ReadableMessage;
  /** Frees its WebAssembly memory now (a FinalizationRegistry does it eventually otherwise). */
  free(): void;
}

/** Options of {@link parse}, {@link parseMany} and {@link parseFile}. */
export interface ParseOptions {
  /** Parser limits. */
  limits?: Limits;
}

/**
 * Parses the first message of `input` and keeps it as text (`toString()`): bytes are decoded
 * message by message by MSH-18 (UTF-16 with a byte order mark too). Throws when it holds no
 * readable MSH header.
 */
export function parse(input: Input, options?: ParseOptions | null): HL7Message;

/** Every message of a file, batch or MLLP stream. Throws (`input`) when there is none, one cannot be read, or a limit stopped reading. */
export function parseMany(input: Input, options?: ParseOptions | null): HL7Message[];

/** A whole file parsed once and kept on the WebAssembly side ({@link parseFile}). */
export interface HL7File {
  /** How many readable messages it holds. */
  readonly messageCount: number;
  /** Each message's segment count. */
  segmentCounts(): Uint32Array;
  /** The value at `path` in every message, decoded or (`raw`) as written; `undefined` where absent. */
  values(path: string, options?: { raw?: boolean } | null): (string | undefined)[];
  /** Message `index` (a whole number from 0) as its own {@link HL7Message}; a `range` error past the last. */
  message(index: number): HL7Message;
  /** Frees its WebAssembly memory now. */
  free(): void;
}

/**
 * Parses every message of a file once, to read it a column at a time: the fastest way through
 * big files. Throws (`input`) when there is no readable message, one cannot be read, or a limit
 * stopped reading.
 */
export function parseFile(input: Input, options?: ParseOptions | null): HL7File;

/** What kind of problem a {@link PipehatError} reports. */
export type PipehatErrorCode =
  | 'input' | 'path' | 'version' | 'options' | 'profile' | 'policy' | 'key-required' | 'key-too-short' | 'json' | 'edit' | 'range' | 'internal';

/**
 * What pipehat throws for input or options it cannot use. Wrong argument and option types, and
 * unknown options, are `TypeError`s; an option value that is not allowed has code `options`;
 * `internal` means pipehat failed inside and started afresh (handles made before then throw it).
 */
export class PipehatError extends Error {
  readonly name: 'PipehatError';
  /** What kind of problem. */
  readonly code: PipehatErrorCode;
  /** Where in the input, when the problem has a place. */
  readonly location?: { byteOffset: number };
}

/** Where the WebAssembly module comes from, for `init`. */
export type InitInput =
  | string
  | URL
  | Request
  | Response
  | BufferSource
  | WebAssembly.Module
  | Promise<string | URL | Request | Response | BufferSource | WebAssembly.Module>;

/**
 * Loads the WebAssembly module: needed once in browsers, workers and bundlers before any other
 * call (idempotent); a no-op in Node.js, which loads it on import. By default the `.wasm` is
 * fetched from beside the package's JavaScript (`pipehat/pipehat.wasm`).
 */
export function init(input?: InitInput): Promise<void>;
