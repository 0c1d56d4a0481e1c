// The viewer's speed in headless Chromium, against issue 8's and issue 16's targets: first
// paint ≤ 1 s on localhost, a 20 MB file listed ≤ 1 s, another message of it chosen and
// re-rendered in ≤ 16 ms, typing in a 4 KB message re-parsed and re-rendered in ≤ 16 ms. A
// benchmark, not a test: it prints what it measured.
//
//   python3 ../shared/bench/gen_corpus.py target/bench/corpus-20mb.hl7 20 42
//   cargo xtask build-web && node tests/bench/viewer.mjs
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium, serve } from '../browser/server.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const corpus = readFileSync(`${root}target/bench/corpus-20mb.hl7`);
const app = await serve(`${root}dist`);
const browser = await launchChromium();
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];

// First paint and the app ready, over 5 fresh loads.
const paints = [];
const ready = [];
for (let i = 0; i < 5; i += 1) {
  const page = await browser.newPage();
  const start = Date.now();
  await page.goto(`${app.origin}/`);
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  ready.push(Date.now() - start);
  // The paint entry can come a frame after the app is ready: wait for it.
  paints.push(await page.evaluate(() => new Promise((resolve) => {
    new PerformanceObserver((list, observer) => {
      const entry = list.getEntriesByName('first-contentful-paint')[0];
      if (entry) {
        observer.disconnect();
        resolve(entry.startTime);
      }
    }).observe({ type: 'paint', buffered: true });
  })));
  await page.close();
}

// A 20 MB file listed: from choosing it to the message count on screen.
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(`${app.origin}/`);
await page.getByRole('textbox', { name: 'Message' }).waitFor();
const messages = corpus.toString('utf8').split('\n').filter((l) => l).length;
// The file reaches the page through the test harness (Playwright sends it base64 over CDP):
// that part is timed apart, and left out of the viewer's own time.
await page.evaluate(() => document.getElementById('open-file').addEventListener('change', () => { window.chosenAt = performance.now(); }, { capture: true }));
let start = Date.now();
await page.locator('#open-file').setInputFiles({ name: 'corpus.hl7', mimeType: 'text/plain', buffer: corpus });
const handedOver = Date.now() - start;
await page.locator('.messages .count', { hasText: String(messages) }).waitFor({ timeout: 600_000 });
// In the page: from the file chosen (its change event) to the list on screen.
const listed = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now() - window.chosenAt))));

// Choosing another message of the 20 MB file: a click on its row in the list to the structure
// view showing it (its MSH-10), then to the next frame painted. The background check of the
// file runs between frames: it is let finish first, so it is not timed with the switch.
await page.waitForFunction(() => !document.querySelector('.messages-head .progress').textContent.includes('validating'), null, { timeout: 600_000, polling: 500 });
const switches = [];
for (let i = 0; i < 20; i += 1) {
  switches.push(await page.evaluate(async (n) => {
    const row = document.getElementById(`message-${n}`);
    const wanted = row.querySelector('.control-id').textContent;
    const shown = () => [...document.querySelectorAll('ol.segments tr')]
      .find((tr) => tr.querySelector('th')?.textContent === 'MSH-10')
      ?.querySelector('.value')?.textContent === wanted;
    const t0 = performance.now();
    row.click();
    // Leptos updates the DOM in tasks queued by the click: wait for them to run.
    do {
      await new Promise((resolve) => setTimeout(resolve, 0));
    } while (!shown() && performance.now() - t0 < 60_000);
    const updated = performance.now() - t0;
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    return { updated, painted: performance.now() - t0 };
  }, 2 + (i % 10)));
}


// Typing in a 4 KB message: one keystroke's input event to the DOM updated (synchronous in
// Leptos), then to the next frame painted.
const one = corpus.toString('utf8').split('\n')[0].replaceAll('\r', '\n');
await page.getByRole('button', { name: 'Close the file' }).click();
await page.getByRole('textbox', { name: 'Message' }).fill(one.slice(0, 4096));
await page.getByRole('tab', { name: /Structure/ }).click();
const keystrokes = [];
for (let i = 0; i < 20; i += 1) {
  keystrokes.push(await page.evaluate(async (i) => {
    const area = document.getElementById('message');
    const t0 = performance.now();
    area.value = area.value.replace(/PID\|1\|\|\d+/, `PID|1||${1000 + i}`);
    area.dispatchEvent(new Event('input', { bubbles: true }));
    // Leptos updates the DOM in tasks queued by the input event: wait for them to run.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const updated = performance.now() - t0;
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    return { updated, painted: performance.now() - t0 };
  }, i));
}
await browser.close();
await app.close();

console.log(`first contentful paint: ${median(paints).toFixed(0)} ms (median of 5; app ready ${median(ready)} ms)  target ≤ 1000 ms`);
console.log(`20 MB file (${messages} messages) listed: ${listed.toFixed(0)} ms from choosing it to the list painted (the harness took ${handedOver} ms to hand it over)  target ≤ 1000 ms`);
console.log(`another message of the 20 MB file chosen: structure shown ${median(switches.map((k) => k.updated)).toFixed(1)} ms, next frame ${median(switches.map((k) => k.painted)).toFixed(1)} ms (median of 20)  target ≤ 16 ms`);
console.log(`keystroke in a 4 KB message: re-parsed and DOM updated ${median(keystrokes.map((k) => k.updated)).toFixed(1)} ms, next frame ${median(keystrokes.map((k) => k.painted)).toFixed(1)} ms (median of 20)  target ≤ 16 ms`);
