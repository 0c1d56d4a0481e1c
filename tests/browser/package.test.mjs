// The npm package in a real browser (Debian's Chromium): bundled by esbuild, built by Vite, and
// unbundled in a module web worker — each loading its wasm with `init()` under a CSP that allows
// nothing but the page's own origin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { launchChromium, serve } from './server.mjs';

const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'self'";
const MESSAGE = 'MSH|^~\\&|LAB|HOSP|||20261122||ADT^A04|MSG1|P|2.5.1\rEVN||20261122\rPID|1||123||DOE^JANE||19800230\rPV1|1|O\r';

const page = (script) => `<!doctype html><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>pipehat package test</title><pre id="out">running</pre>
<script type="module" src="${script}"></script>`;

describe('npm package in the browser', () => {
  let dir;
  let server;
  let browser;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pipehat-browser-'));
    // The package as installed: its files under /node_modules/pipehat/.
    cpSync(pkg, join(dir, 'node_modules/pipehat'), {
      recursive: true,
      filter: (source) => !source.includes('node_modules'),
    });
    // A bundled app: esbuild resolves 'pipehat' through the default (browser) condition; the
    // wasm sits next to the bundle, where init() is told to find it.
    writeFileSync(join(dir, 'app.js'), `
      import { init, validate, anonymize, get } from 'pipehat';
      await init(new URL('./pipehat_bg.wasm', import.meta.url));
      const text = ${JSON.stringify(MESSAGE)};
      const report = validate(text);
      document.getElementById('out').textContent = JSON.stringify({
        valid: report.valid,
        rules: report.findings.map((f) => f.rule),
        name: get(text, 'PID-5.1')[0],
        anonymized: anonymize(text).text.split('\\r')[2],
      });
    `);
    await build({
      entryPoints: [join(dir, 'app.js')],
      bundle: true,
      format: 'esm',
      outfile: join(dir, 'dist/bundle.js'),
      nodePaths: [join(dir, 'node_modules')],
      logLevel: 'silent',
    });
    cpSync(join(pkg, 'gen/pipehat_bg.wasm'), join(dir, 'dist/pipehat_bg.wasm'));
    writeFileSync(join(dir, 'dist/bundle.html'), page('bundle.js'));
    // A Vite app: `init()` with no argument finds the wasm that Vite emitted as an asset (the
    // generated glue names it with `new URL(…, import.meta.url)`, which Vite follows).
    mkdirSync(join(dir, 'vite-app'));
    writeFileSync(join(dir, 'vite-app/index.html'), page('./main.js'));
    writeFileSync(join(dir, 'vite-app/main.js'), `
      import { init, validate, get } from 'pipehat';
      init().then(() => {
        const text = ${JSON.stringify(MESSAGE)};
        document.getElementById('out').textContent = JSON.stringify({
          valid: validate(text).valid,
          name: get(text, 'PID-5.1')[0],
        });
      });
    `);
    await viteBuild({
      root: join(dir, 'vite-app'),
      base: './',
      logLevel: 'silent',
      configFile: false,
      build: { outDir: join(dir, 'vite-dist'), emptyOutDir: true },
    });
    // A module worker importing the package unbundled; init() finds the wasm beside it.
    writeFileSync(join(dir, 'worker.js'), `
      import { init, validateAll } from './node_modules/pipehat/index.js';
      self.onmessage = async (event) => {
        await init();
        self.postMessage(validateAll(event.data).messages.map((m) => m.valid));
      };
    `);
    writeFileSync(join(dir, 'main.js'), `
      const worker = new Worker('./worker.js', { type: 'module' });
      worker.onmessage = (event) => { document.getElementById('out').textContent = JSON.stringify(event.data); };
      worker.onerror = (event) => { document.getElementById('out').textContent = 'error: ' + event.message; };
      worker.postMessage(${JSON.stringify(MESSAGE + MESSAGE.replace('19800230', '19800229'))});
    `);
    writeFileSync(join(dir, 'worker.html'), page('main.js'));
    writeFileSync(join(dir, 'favicon.ico'), ''); // what the browser asks for by itself
    server = await serve(dir);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function result(path) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const errors = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    const requests = [];
    context.on('request', (request) => requests.push(new URL(request.url()).origin));
    await tab.goto(`${server.origin}/${path}`);
    await tab.waitForFunction(() => document.getElementById('out').textContent !== 'running');
    const out = await tab.locator('#out').textContent();
    await context.close();
    assert.deepEqual(errors, []);
    assert.ok(requests.every((origin) => origin === server.origin), "only the page's own origin");
    return out;
  }

  test('an esbuild bundle loads the wasm with init() and works', async () => {
    const out = JSON.parse(await result('dist/bundle.html'));
    assert.equal(out.valid, false);
    assert.ok(out.rules.includes('value.format'));
    assert.equal(out.name, 'DOE');
    assert.equal(out.anonymized, 'PID|1||REDACTED||REDACTED^REDACTED||REDACTED');
  });

  test('a Vite build: init() with no argument finds the wasm Vite emitted', async () => {
    const assets = readdirSync(join(dir, 'vite-dist/assets'));
    assert.ok(assets.some((name) => /^pipehat_bg-.*\.wasm$/.test(name)), assets.join(' '));
    assert.deepEqual(JSON.parse(await result('vite-dist/index.html')), { valid: false, name: 'DOE' });
  });

  test('a module web worker loads its own instance and works off the main thread', async () => {
    assert.deepEqual(JSON.parse(await result('worker.html')), [false, true]);
  });
});
