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
