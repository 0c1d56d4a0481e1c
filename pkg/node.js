// Entry point for Node.js: the WebAssembly module is read and instantiated synchronously on
// import, so the API is ready at once. `init()` exists only so code can be shared with browsers.
import { readFileSync } from 'node:fs';
import { initSync } from './gen/pipehat.js';
import { markReady } from './core.js';

export { PipehatError, ack, anonymize, describe, diff, fromJSON, generateKey, get, parse, parseFile, parseMany, profileFromXml, segments, toJSON, validate, validateAll } from './core.js';

initSync({ module: readFileSync(new URL('./gen/pipehat_bg.wasm', import.meta.url)) });
markReady();

/** Nothing to do in Node.js: the module was loaded on import. */
export function init(_input) {
  return Promise.resolve();
}
