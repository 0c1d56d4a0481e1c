// What the browser tests share: a minimal static file server that serves the built viewer
// (`dist/`) on a loopback port, with the MIME types browsers insist on for modules and wasm
// (test-only pages can be added with `extra`, path → HTML), and Debian's Chromium, headless.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/**
 * Serves `root` on 127.0.0.1 at a free port. Resolves to `{ origin, hits, close }`, where `hits`
 * lists every request path the server received.
 */
export async function serve(root, extra = {}) {
  const hits = [];
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://x').pathname;
    hits.push(path);
    if (path in extra) {
      response.writeHead(200, { 'content-type': TYPES['.html'] });
      response.end(extra[path]);
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(normalize(root))) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, hits, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * Debian's Chromium (or `$PIPEHAT_CHROMIUM`), headless, with nothing of its own reaching the
 * network: no background requests, component updates, sync or QUIC.
 */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.PIPEHAT_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
