// A minimal static file server for the browser tests: it serves the built viewer (`dist/`) on a
// loopback port, with the MIME types browsers insist on for modules and wasm. Test-only pages can
// be added with `extra` (path → HTML).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

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
