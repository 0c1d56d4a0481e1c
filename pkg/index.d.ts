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
export function describe(path: string, version?: string): Description;

/** Options of {@link validate}. */
export interface ValidateOptions {
  /** Check against this version (MSH-12 as written) instead of the message's own. */
  version?: string;
  /** `tolerant` (the default: what receivers actually reject) or `strict` (everything). */
  preset?: 'tolerant' | 'strict';
  /** `false` leaves every value out of the report, so it can be shared. Default `true`. */
  withValues?: boolean;
}

/** Where a finding is. */
export interface FindingLocation {
  /** The element's path, e.g. `PID-7` or `OBX[2]-5.1`; absent for a missing segment. */
  path?: string;
  /** The segment's position in the message, from 1. */
  segment: number;
  /** Byte offsets `[start, end)` into the input's UTF-8. */
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
  /** The span in UTF-16 code units of the input string (for `String.prototype.slice`). */
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

/**
 * Validates the first message of `text`: structure (segments and groups), fields, data types
 * and tables of its HL7 version. Throws when the text holds no MSH header.
 */
export function validate(text: string, options?: ValidateOptions): Report;

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
