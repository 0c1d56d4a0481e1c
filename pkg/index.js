// Entry point for browsers, workers and bundlers: `await init()` once, then use the API.
import instantiate from './gen/pipehat.js';
import { markReady } from './core.js';

export { PipehatError, ack, anonymize, describe, diff, fromJSON, generateKey, get, parse, parseFile, parseMany, profileFromXml, segments, toJSON, validate, validateAll } from './core.js';

let initialising;

/**
 * Loads the WebAssembly module. Safe to call many times: the first call does the work.
 * @param {import('./index.d.ts').InitInput} [input] where the `.wasm` is: by default next to this file.
 */
export function init(input) {
  initialising ??= instantiate(input === undefined ? undefined : { module_or_path: input }).then(() => {
    markReady();
  });
  return initialising;
}
