// The embeddable viewer (<hl7-viewer>, dist/hl7-viewer.js) in a real browser: the documentation
// page's three viewers render, the host page's styles and the viewers' do not mix, a removed
// viewer is unmounted and its memory freed, loading is lazy, and every request goes to the
// viewer's own files on the page's origin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchChromium, serve } from './server.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const artifacts = `${root}tests/artifacts`;

/** The viewer's own files, and the documentation page's. */
const OWN_FILES = new Set([
  '/embed/', '/embed/docs.css', '/embed/vaccination.hl7', '/favicon.svg',
  '/hl7-viewer.js', '/web.js', '/web_bg.wasm', '/style.css',
]);

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

/** A host page: a far-away viewer (lazy), and one whose src is on another origin. */
const lazyPage = (elsewhere) => `<!doctype html>
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>lazy</title>
<script type="module" src="/hl7-viewer.js"></script>
<p id="top">top</p>
<hl7-viewer id="foreign" src="${elsewhere}/secret.hl7"></hl7-viewer>
${'<p>filler</p>'.repeat(300)}
<pre class="hl7" id="far">MSH|^~\\&|A|B|C|D|202611220214||ADT^A04^ADT_A01|FAR-AWAY-1|P|2.5.1
PID|1||X1^^^H^MR||FAR^AWAY</pre>`;

describe('embeddable viewer', () => {
  let browser;
  let app;
  let elsewhere;

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    elsewhere = await serve(artifacts);
    app = await serve(`${root}dist`, { '/__lazy.html': lazyPage(elsewhere.origin) });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await elsewhere?.close();
  });

  test('the documentation page: three viewers, findings, styles kept apart, own files only', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const requests = [];
    context.on('request', (r) => requests.push(r));
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));

    // The host page's own look, measured with the viewer's script blocked…
    const hostStyles = () => page.evaluate(() => {
      const pick = (selector) => {
        const style = getComputedStyle(document.querySelector(selector));
        return [style.fontFamily, style.fontSize, style.color, style.backgroundColor, style.lineHeight, style.textTransform].join(' / ');
      };
      return ['body', 'h1', 'p.lead', 'td', 'ol pre', 'code'].map(pick);
    });
    await page.route('**/hl7-viewer.js', (route) => route.abort());
    await page.goto(`${app.origin}/embed/`);
    const without = await hostStyles();
    // …and readable without it: the examples are plain text.
    assert.match(await page.locator('pre.hl7').textContent(), /^\s*MSH\|\^~\\&\|ADT1/);
    await page.unroute('**/hl7-viewer.js');
    requests.length = 0;
    errors.length = 0;

    await page.goto(`${app.origin}/embed/`);
    const viewers = page.locator('hl7-viewer');
    await page.waitForFunction(() => [...document.querySelectorAll('hl7-viewer')].every((v) => v.mounted), null, { timeout: 20000 });
    assert.equal(await viewers.count(), 3);
    assert.deepEqual(await hostStyles(), without, "the viewers change nothing of the host page's look");

    // 1: the upgraded <pre>: structure with names; the original text kept inside.
    const adt = viewers.nth(0);
    await adt.locator('.segment-id').first().waitFor();
    assert.deepEqual(await adt.locator('.segment-id').allTextContents(), ['MSH', 'EVN', 'PID', 'PV1']);
    await adt.getByText('Patient Name / Family Name').waitFor();
    assert.equal(await adt.locator('pre.hl7').count(), 1, 'the <pre> is still in the page, inside the viewer');
    // 2: the invalid message: findings first, the bad date underlined.
    const invalid = page.locator('#invalid');
    await invalid.locator('.finding.error', { hasText: 'PID-7' }).waitFor();
    assert.match(await invalid.locator('.finding.error').first().textContent(), /'19800231' is not a valid date/);
    assert.deepEqual(await invalid.locator('.highlight .t.error').allTextContents(), ['19800231']);
    // 3: from a file of the site, read-only, dark.
    const fromFile = page.locator('#from-file');
    await fromFile.locator('.segment-id', { hasText: 'RXA' }).waitFor();
    assert.equal(await fromFile.locator('textarea').getAttribute('readonly'), '');
    const darkBackground = await fromFile.locator('.embedded').evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(darkBackground, 'rgb(20, 23, 27)');

    // The host's broad rules (button { text-transform: uppercase }) do not reach in.
    assert.equal(await adt.locator('[role=tab]').first().evaluate((b) => getComputedStyle(b).textTransform), 'none');
    // Live: editing the message re-validates it.
    const area = adt.locator('textarea');
    await area.evaluate((a) => {
      a.focus();
      a.setSelectionRange(a.value.indexOf('19610615') + 6, a.value.indexOf('19610615') + 8);
    });
    await page.keyboard.type('32');
    assert.match(await adt.locator('.caret').textContent(), /PID-7 — Date\/Time of Birth/);
    await adt.getByRole('tab', { name: /Findings/ }).click();
    await adt.locator('.finding.error', { hasText: 'PID-7' }).waitFor();
    await page.screenshot({ path: `${artifacts}/embed.png`, fullPage: true });

    for (const request of requests) {
      const url = new URL(request.url());
      assert.equal(url.origin, app.origin, `${request.url()} is on the page's origin`);
      assert.ok(OWN_FILES.has(url.pathname), `${url.pathname} is one of the viewer's files`);
      assert.equal(request.method(), 'GET');
      assert.equal(url.search, '', 'no query string');
      assert.equal(request.postData(), null, 'no body');
    }
    assert.equal(requests.filter((r) => r.url().endsWith('/web_bg.wasm')).length, 1, 'one wasm for three viewers');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('lazy: nothing loads until a viewer nears the screen; src from elsewhere is refused', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const requests = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    const errors = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${app.origin}/__lazy.html`);
    await page.waitForLoadState('networkidle');
    // The foreign-src viewer is in view: it refuses, and nothing goes to the other origin.
    await page.waitForFunction(() => customElements.get('hl7-viewer'));
    await page.waitForTimeout(300);
    assert.ok(errors.some((e) => /src must be on this site/.test(e)), errors.join('\n'));
    assert.ok(!requests.some((u) => u.startsWith(elsewhere.origin)), 'no request to the other origin');
    assert.ok(!elsewhere.hits.includes('/secret.hl7'));
    const far = page.locator('hl7-viewer', { has: page.locator('#far') });
    assert.equal(await far.evaluate((v) => v.mounted), false, 'not mounted while far away');
    assert.ok(!requests.some((u) => u.endsWith('/web_bg.wasm')), 'no wasm before a viewer is near');
    await page.locator('#far').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('hl7-viewer:has(#far)').mounted);
    assert.ok(requests.some((u) => u.endsWith('/web_bg.wasm')), 'the wasm loads once one is near');
    await far.locator('.segment-id', { hasText: 'PID' }).waitFor();
    await context.close();
  });

  test('removing a viewer unmounts it and frees its memory', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.origin}/embed/`);
    await page.waitForFunction(() => [...document.querySelectorAll('hl7-viewer')].every((v) => v.mounted));
    const result = await page.evaluate(async () => {
      const wasm = await (await import('/web.js')).default();
      const message = document.querySelector('#invalid').textContent;
      const cycle = async () => {
        const viewer = document.createElement('hl7-viewer');
        viewer.textContent = message;
        document.body.prepend(viewer);
        while (!viewer.mounted) await new Promise((r) => setTimeout(r, 5));
        const shown = viewer.shadowRoot.querySelectorAll('.segment').length;
        viewer.remove();
        return { shown, after: viewer.mounted, left: viewer.shadowRoot.childElementCount };
      };
      const first = await cycle();
      for (let i = 0; i < 20; i++) await cycle();
      const before = wasm.memory.buffer.byteLength;
      for (let i = 0; i < 200; i++) await cycle();
      return { first, before, after: wasm.memory.buffer.byteLength };
    });
    assert.equal(result.first.shown, 4, 'it was mounted, with the message');
    assert.equal(result.first.after, false, 'unmounted when removed');
    assert.equal(result.first.left, 0, 'nothing left in its shadow root');
    // 200 more viewers mounted and removed: the wasm heap does not grow (each freed its memory).
    assert.ok(result.after - result.before <= 1 << 20, `wasm memory grew from ${result.before} to ${result.after}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
