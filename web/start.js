// Starts the viewer. Trunk's own start-up script is inline, which the page's
// Content-Security-Policy forbids, so this file (same origin) does the same job.
import init, { startViewer } from './web.js';

await init({ module_or_path: new URL('./web_bg.wasm', import.meta.url) });
startViewer();
