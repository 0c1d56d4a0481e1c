// The viewer in a real browser (Debian's Chromium driven by playwright-core): pasting a message
// lists its segments, and nothing the page does reaches any other origin — or anything at all
// once the page has loaded its own files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium, serve } from './server.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = `${root}dist`;
const artifacts = `${root}tests/artifacts`;

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'";

const MESSAGE = [
  'MSH|^~\\&|ADT1|GOOD HEALTH HOSPITAL|GHH LAB|GHH|202611220214||ADT^A01^ADT_A01|MSG00001|P|2.5.1',
  'EVN|A01|202611220214',
  'PID|1||PATID1234^5^M11^ADT1^MR^GOOD HEALTH HOSPITAL~123456789^^^USSSA^SS||EVERYMAN^ADAM^A^III||19610615|M',
  'PV1|1|I|2000^2012^01||||004777^ATTEND^AARON^A|||SUR||||ADM|A0|',
].join('\r');

/** Records every request of a browser context, with the phase the test was in. */
function recordRequests(context) {
  const log = { phase: 'load', requests: [] };
  context.on('request', (request) => log.requests.push({ url: request.url(), phase: log.phase }));
  return log;
}

/** The row of the anonymize panel's before/after table for `path` (and message, when given). */
function changeRow(page, path, message) {
  let rows = page.locator('table.changes tbody tr', { has: page.locator('th.path', { hasText: new RegExp(`^${escapeRegExp(path)}$`) }) });
  if (message !== undefined) {
    rows = rows.filter({ has: page.locator('td.message', { hasText: new RegExp(`^${message}$`) }) });
  }
  return rows;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens `text` as a file named `name`, as the "Open a file" button does. */
async function openFile(page, name, text) {
  await page.locator('#open-file').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
}

function crossOrigin(log, origin) {
  return log.requests.filter((r) => new URL(r.url).origin !== origin && !r.url.startsWith('data:'));
}

describe('viewer', () => {
  let browser;
  let app;
  let elsewhere;

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    // A second origin, standing in for anywhere a page could leak data to.
    elsewhere = await serve(artifacts);
    app = await serve(dist, {
      // A page without the viewer's CSP that leaks on purpose: the negative control.
      '/__leak.html': `<!doctype html><title>leak</title><script type="module">
        fetch('${elsewhere.origin}/leak?from=control', { mode: 'no-cors' }).catch(() => {});
      </script>`,
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await elsewhere?.close();
  });

  /**
   * A fresh page of the viewer, loaded: its browser context, the log of its requests from the
   * start, the errors it reports, the message text area, and how many requests the load made.
   */
  async function openViewer(contextOptions = {}) {
    const context = await browser.newContext(contextOptions);
    const log = recordRequests(context);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${app.origin}/`);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.waitFor();
    await page.waitForLoadState('networkidle');
    return { context, page, log, errors, input, loaded: log.requests.length };
  }

  test('the built page ships the CSP and no inline script', async () => {
    const html = await readFile(`${dist}/index.html`, 'utf8');
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/);
    assert.equal(csp?.[1], CSP);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0, 'the page starts through a script file');
    for (const [, attributes, body] of scripts) {
      assert.match(attributes, /\bsrc=/, 'every script is a file');
      assert.equal(body.trim(), '', 'no inline script');
    }
    assert.doesNotMatch(html, /\b(ws|wss):\/\//, 'no live-reload websocket');
  });

  test('pasting a message lists its segments, with no request after load', async () => {
    const { context, page, log, errors, input, loaded } = await openViewer({ viewport: { width: 1280, height: 720 } });
    assert.deepEqual(
      log.requests.map((r) => new URL(r.url).pathname).sort(),
      ['/', '/favicon.svg', '/start.js', '/style.css', '/web.js', '/web_bg.wasm'],
      'the page loads only its own files',
    );

    await page.screenshot({ path: `${artifacts}/viewer-empty.png`, fullPage: true });

    // A real paste: the message goes to the clipboard, then Ctrl+V into the text area.
    log.phase = 'paste';
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
    await page.evaluate((text) => navigator.clipboard.writeText(text), MESSAGE);
    await input.focus();
    await page.keyboard.press('Control+V');
    const ids = page.locator('ol.segments .segment-id');
    await ids.nth(3).waitFor();
    assert.deepEqual(await ids.allTextContents(), ['MSH', 'EVN', 'PID', 'PV1']);
    assert.equal(await page.locator('.count').textContent(), '4');
    // Fields and components by name, with decoded values (the textarea turned CRs into LFs).
    await page.getByText('Patient Name / Family Name').waitFor();
    const row = page.locator('tr', { has: page.locator('th', { hasText: /^PID-5\.1$/ }) });
    assert.equal(await row.locator('.value').textContent(), 'EVERYMAN');
    assert.match(await row.locator('.type').textContent(), /^(ST|FN)$/);
    // The element under the cursor, named as you move.
    await input.evaluate((area) => {
      const at = area.value.indexOf('EVERYMAN') + 2;
      area.setSelectionRange(at, at);
    });
    await page.keyboard.press('ArrowRight');
    await page.getByText('PID-5.1 — Patient Name / Family Name').waitFor();
    await input.evaluate((area) => {
      const at = area.value.indexOf('19610615') + 4;
      area.setSelectionRange(at, at);
    });
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.getByLabel('Element at the cursor').textContent(), 'PID-7 — Date/Time of Birth (TS)');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${artifacts}/viewer.png`, fullPage: true });
    assert.deepEqual(log.requests.slice(loaded), [], 'no request after the page loaded');
    assert.deepEqual(crossOrigin(log, app.origin), [], 'no cross-origin request');
    assert.deepEqual(errors, [], 'no error in the page');

    // The CSP itself blocks an attempt to send data elsewhere, even from script in the page.
    const blocked = await page.evaluate(
      (url) => fetch(url, { mode: 'no-cors' }).then(() => 'sent', () => 'blocked'),
      `${elsewhere.origin}/leak?from=viewer`,
    );
    assert.equal(blocked, 'blocked');
    assert.ok(!elsewhere.hits.some((h) => h.startsWith('/leak')), 'nothing reached the other origin');
    await context.close();
  });

  test('findings and anonymizing: in the page, with no request and nothing left of the patient', async () => {
    const { context, page, log, errors, input, loaded } = await openViewer({ viewport: { width: 1400, height: 900 } });

    log.phase = 'validate';
    const canaries = MESSAGE.replace('19610615', '19610631').replace('EVERYMAN^ADAM', 'QXZCANARYFAMILY^QXZCANARYGIVEN')
      + '\rNTE|1||QXZCANARYGIVEN QXZCANARYFAMILY was seen by the nurse';
    await input.fill(canaries);
    await page.getByRole('tab', { name: /Findings/ }).click();
    const finding = page.locator('.finding.error', { hasText: 'PID-7' });
    await finding.waitFor();
    assert.match(await finding.textContent(), /Date\/Time of Birth: '19610631' is not a valid date/);
    await page.screenshot({ path: `${artifacts}/viewer-findings.png`, fullPage: true });

    log.phase = 'anonymize';
    await page.getByRole('tab', { name: /Anonymize/ }).click();
    const output = page.getByLabel('Anonymized message');
    await output.waitFor();
    const text = await output.textContent();
    assert.ok(text.startsWith('MSH|^~\\&|ADT1|GOOD HEALTH HOSPITAL|GHH LAB|GHH|2026||ADT^A01^ADT_A01|REDACTED|P|2.5.1\n'), text);
    for (const gone of ['QXZCANARY', 'PATID1234', '123456789', '19610631', 'ATTEND']) {
      assert.ok(!text.includes(gone), `${gone} survived:\n${text}`);
    }
    const family = changeRow(page, 'PID-5.1');
    assert.deepEqual(await family.locator('td').allTextContents(), ['family-name', 'redact', 'QXZCANARYFAMILY', 'REDACTED']);
    // Pseudonyms with a key made in the page.
    await page.getByLabel('Preset').selectOption('pseudonymize');
    await page.getByRole('button', { name: 'Generate' }).click();
    assert.match(await page.getByLabel('Key').inputValue(), /^[0-9a-f]{64}$/);
    await page.locator('.changes', { hasText: 'pseudonymize' }).waitFor();
    const pseudonymized = await output.textContent();
    assert.ok(!pseudonymized.includes('QXZCANARY') && !pseudonymized.includes('PATID1234'), pseudonymized);
    // Free text is redacted in both presets, and scrubbed (kept, names out) only when asked.
    assert.ok(pseudonymized.includes('\nNTE|1||REDACTED'), pseudonymized);
    await page.getByLabel('Free text').selectOption('scrub');
    await page.locator('.changes td.method', { hasText: 'scrub' }).first().waitFor();
    const scrubbed = await output.textContent();
    assert.match(scrubbed, /\nNTE\|1\|\|.* was seen by the nurse/);
    assert.ok(!scrubbed.includes('QXZCANARY'), scrubbed);
    await page.screenshot({ path: `${artifacts}/viewer-anonymized.png`, fullPage: true });
    // A key shorter than 128 bits is refused, in words, like the CLI and npm refuse it.
    const key = await page.getByLabel('Key').inputValue();
    await page.getByLabel('Key').fill('too short');
    await page.locator('.problem', { hasText: 'the key is 9 bytes: a key needs at least 16 bytes (128 bits)' }).waitFor();
    await page.getByLabel('Key').fill(key);
    await page.locator('.changes td.method', { hasText: 'pseudonymize' }).first().waitFor();

    assert.deepEqual(log.requests.slice(loaded), [], 'no request while validating and anonymizing');
    assert.deepEqual(crossOrigin(log, app.origin), [], 'no cross-origin request');
    assert.deepEqual(errors, [], 'no error in the page');
    await context.close();
  });

  test('message text is only ever text: markup in values adds no element and runs nothing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      dialog.dismiss();
    });
    await page.goto(`${app.origin}/`);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.waitFor();
    const hostile = [
      'MSH|^~\\&|A|B|C|D|202611220214||ORU^R01|1|P|2.5.1',
      'PID|1||1||<img src=x onerror=alert(1)>^<script>alert(2)</script>',
      'OBX|1|TX|1^x^LN||javascript:alert(3)\\X3C\\img src=x onerror=alert(4)\\X3E\\',
      'NTE|1||<svg onload=alert(5)>',
    ].join('\r');
    await input.fill(hostile);
    for (const tab of ['Structure', 'Findings', 'Anonymize', 'Compare']) {
      await page.getByRole('tab', { name: new RegExp(tab) }).click();
      if (tab === 'Compare') {
        // Compared with a copy of itself whose values moved about: every value shows, as text.
        await page.getByLabel('Compare with').fill(hostile.replace('alert(2)', 'alert(6)').replace('PID|1||1|', 'PID|1||2|'));
        await page.locator('table.compare').waitFor();
        await page.getByText('only differences', { exact: false }).click();
      }
      await page.waitForTimeout(200);
      const injected = await page.evaluate(() => document.querySelectorAll('main img, main script, main svg, main iframe').length);
      assert.equal(injected, 0, `no element from message text in ${tab}`);
    }
    await page.getByRole('tab', { name: /Structure/ }).click();
    await page.getByText('<img src=x onerror=alert(1)>').first().waitFor();
    await page.getByText('<img src=x onerror=alert(4)>', { exact: false }).first().waitFor();
    assert.deepEqual(dialogs, [], 'no script ran');
    await context.close();
  });

  test('a file of many messages: opened or dropped, listed, filtered, each one viewable', async () => {
    const { context, page, log, errors, input, loaded } = await openViewer({ viewport: { width: 1400, height: 900 } });

    const second = MESSAGE.replace('MSG00001', 'MSG00002').replace('EVERYMAN^ADAM', 'ROE^JANE').replace('19610615', '19610631');
    const third = MESSAGE.replace('MSG00001', 'MSG00003').replace('ADT^A01^ADT_A01', 'ADT^A08^ADT_A01');
    const file = [MESSAGE, second, third].join('\r\n') + '\r';
    log.phase = 'open';
    await page.locator('#open-file').setInputFiles({ name: 'feed.hl7', mimeType: 'text/plain', buffer: Buffer.from(file) });
    const rows = page.getByRole('listbox', { name: 'Messages' }).getByRole('option');
    await rows.nth(2).waitFor();
    assert.equal(await page.locator('.file-name').textContent(), 'feed.hl7');
    assert.deepEqual(await rows.locator('.control-id').allTextContents(), ['MSG00001', 'MSG00002', 'MSG00003']);
    assert.deepEqual(await rows.locator('.patient').allTextContents(), ['EVERYMAN, ADAM', 'ROE, JANE', 'EVERYMAN, ADAM']);
    assert.deepEqual(await rows.locator('.kind').allTextContents(), ['ADT^A01', 'ADT^A01', 'ADT^A08']);
    // Validation fills in the statuses in the background.
    await page.waitForFunction(() => ![...document.querySelectorAll('.message-row .status')].some((s) => s.textContent.includes('checking')));
    assert.deepEqual(await rows.locator('.status').allTextContents(), ['valid', '1 error', 'valid']);
    assert.equal(await page.locator('.messages-head .progress').textContent(), '1 with errors');

    // Picking a message shows it; the filter narrows the list.
    await rows.nth(1).click();
    const value = (path) => page.locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${path.replace(/[.[\]]/g, '\\$&')}$`) }) }).locator('.value');
    await page.waitForFunction(() => [...document.querySelectorAll('tr')].some((tr) => tr.textContent.includes('MSG00002')));
    assert.equal(await value('PID-5.1').textContent(), 'ROE');
    await page.getByRole('tab', { name: /Findings/ }).click();
    await page.locator('.finding.error', { hasText: 'PID-7' }).waitFor();
    await page.getByLabel('Filter messages').fill('roe');
    assert.deepEqual(await rows.locator('.control-id').allTextContents(), ['MSG00002']);
    await page.screenshot({ path: `${artifacts}/viewer-file.png`, fullPage: true });

    // Dropping a file on the input reads it the same way.
    log.phase = 'drop';
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'dropped.hl7', { type: 'text/plain' }));
      return data;
    }, [third, MESSAGE].join('\r'));
    await page.dispatchEvent('#message', 'drop', { dataTransfer: transfer });
    await page.locator('.file-name', { hasText: 'dropped.hl7' }).waitFor();
    assert.equal(await page.locator('.messages .count').textContent(), '2');

    assert.deepEqual(log.requests.slice(loaded), [], 'no request while opening, dropping and reading files');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('choosing another message changes the structure in place to exactly what that message shows alone', async () => {
    const { context, page, errors } = await openViewer({ viewport: { width: 1400, height: 900 } });
    // Different segments, repetitions, components, a null and table meanings (PID-8).
    const messages = [
      MESSAGE.replace('19610615|M', '19610615|F'),
      MESSAGE.replace('MSG00001', 'MSG00002').replace('EVERYMAN^ADAM^A^III', '""').replace('EVN|A01|202611220214\r', 'EVN|A01|202611220214\rNK1|1|ROE^JANE|SPO\rNK1|2|ROE^JIM\r'),
      ['MSH|^~\\&|X|Y|||202601010000||ORU^R01|MSG00003|P|2.5.1', 'PID|1||7~8^^^H&1.2&ISO^MR||DOE', 'OBX|1|ST|x||a\\T\\b'].join('\r'),
    ];
    // Each segment as drawn, without the mark of the row at the cursor.
    const drawn = (on) => on.locator('ol.segments > li').evaluateAll((items) => items.map((li) => li.outerHTML.replaceAll(' here', '')));
    const controlId = (on, n) => on.locator('tr', { has: on.locator('th', { hasText: /^MSH-10$/ }) }).locator('.value', { hasText: `MSG0000${n + 1}` });
    // Each message alone, drawn afresh in a page of its own.
    const alone = [];
    for (const [n, message] of messages.entries()) {
      const fresh = await context.newPage();
      await fresh.goto(`${app.origin}/`);
      await openFile(fresh, `alone-${n}.hl7`, message);
      await controlId(fresh, n).waitFor();
      alone.push(await drawn(fresh));
      await fresh.close();
    }
    await openFile(page, 'all.hl7', messages.join('\r\n'));
    const rows = page.getByRole('listbox', { name: 'Messages' }).getByRole('option');
    await rows.nth(2).waitFor();
    for (const n of [1, 2, 0, 2, 1, 0]) {
      await rows.nth(n).click();
      await controlId(page, n).waitFor();
      assert.deepEqual(await drawn(page), alone[n], `message ${n + 1} after another`);
      assert.ok(await page.locator('tr.here').count() <= 1, 'at most one row at the cursor');
    }
    // A path chosen after the switch selects its own bytes.
    await page.getByRole('button', { name: 'PID-5.1', exact: true }).click();
    const area = page.getByRole('textbox', { name: 'Message' });
    assert.equal(await area.evaluate((a) => a.value.slice(a.selectionStart, a.selectionEnd)), 'EVERYMAN');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an opened file is read by its own MSH-18 and any framing; downloads keep its character set', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const log = recordRequests(context);
    const page = await context.newPage();
    await page.goto(`${app.origin}/`);
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    await page.waitForLoadState('networkidle');
    const loaded = log.requests.length;
    // ISO 8859-1 bytes, declared in MSH-18, behind an MLLP start block and a UTF-8 BOM (which
    // read as no message at all before), a second frame with no CR after its end block.
    const latin1 = (text) => Buffer.from(text, 'latin1');
    const header = (id) => `MSH|^~\\&|LAB|HOSP|EHR|CLINIC|202611220214||ORU^R01|${id}|P|2.5.1||||||8859/1`;
    const first = `${header('L1')}\rPID|1||7^^^H^MR||M\u00fcller^J\u00fcrgen\rOBX|1|ST|HB^H\u00e4moglobin||12\r`;
    const second = `${header('L2')}\rPID|1||8^^^H^MR||Ba\u00dfler^Ren\u00e9\r`;
    const bytes = Buffer.concat([Buffer.from([0x0b, 0xef, 0xbb, 0xbf]), latin1(first), Buffer.from([0x1c, 0x0b]), latin1(second), Buffer.from([0x1c, 0x0d])]);
    await page.locator('#open-file').setInputFiles({ name: 'latin1.hl7', mimeType: 'text/plain', buffer: bytes });
    const rows = page.getByRole('listbox', { name: 'Messages' }).getByRole('option');
    await rows.nth(1).waitFor();
    assert.deepEqual(await rows.locator('.control-id').allTextContents(), ['L1', 'L2']);
    assert.deepEqual(await rows.locator('.patient').allTextContents(), ['M\u00fcller, J\u00fcrgen', 'Ba\u00dfler, Ren\u00e9']);
    // Anonymized and downloaded: ISO 8859-1 again, the kept value's bytes as they were.
    await rows.nth(0).click();
    await page.getByRole('tab', { name: /Anonymize/ }).click();
    await page.locator('pre.anonymized', { hasText: 'REDACTED' }).waitFor();
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download', exact: true }).click(),
    ]);
    const downloaded = readFileSync(await file.path());
    assert.ok(downloaded.includes(latin1('H\u00e4moglobin')), 'the kept value in ISO 8859-1');
    assert.ok(!downloaded.includes(Buffer.from('H\u00e4moglobin', 'utf8')), 'not in UTF-8');
    assert.ok(!downloaded.includes(latin1('M\u00fcller')), 'the name is gone');
    assert.deepEqual(log.requests.slice(loaded), [], 'no request while opening and downloading');
    await context.close();
  });

  test('what is copied or downloaded is proper HL7: CR terminators; an ACK to copy', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
    const log = recordRequests(context);
    const page = await context.newPage();
    await page.goto(`${app.origin}/`);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.waitFor();
    await page.waitForLoadState('networkidle');
    log.phase = 'copy';
    // Typed text comes back from the text area with LF; the copy has CR.
    await input.fill(MESSAGE.replace('19610615', '19610631'));
    await page.getByRole('tab', { name: /Findings/ }).click();
    const ack = page.getByLabel('Acknowledgment');
    await ack.waitFor();
    assert.match(await ack.textContent(), /^MSH\|\^~\\&\|GHH LAB\|GHH\|ADT1\|GOOD HEALTH HOSPITAL\|\d{14}\|\|ACK\^A01\^ACK\|ACK\d{14}\|P\|2\.5\.1\nMSA\|AE\|MSG00001\nERR\|/);
    await page.getByRole('button', { name: 'Copy the ACK' }).click();
    const copiedAck = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copiedAck, /\rMSA\|AE\|MSG00001\r/);
    assert.ok(!copiedAck.includes('\n'));

    await page.getByRole('tab', { name: /Anonymize/ }).click();
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(copied.startsWith('MSH|^~\\&|ADT1|GOOD HEALTH HOSPITAL|GHH LAB|GHH|2026||ADT^A01^ADT_A01|REDACTED|P|2.5.1\r'), copied);
    assert.ok(!copied.includes('\n') && !copied.includes('EVERYMAN'), copied);
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download', exact: true }).click(),
    ]);
    assert.equal(file.suggestedFilename(), 'message.hl7');
    const downloaded = readFileSync(await file.path(), 'utf8');
    assert.equal(downloaded, copied);
    // The receipt, as the CLI writes it: paths and methods, never the original values.
    const [receiptFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the receipt' }).click(),
    ]);
    assert.equal(receiptFile.suggestedFilename(), 'message.receipt.json');
    const receiptText = readFileSync(await receiptFile.path(), 'utf8');
    const receipt = JSON.parse(receiptText);
    assert.equal(receipt.preset, 'safe-harbor');
    assert.equal(receipt.messages, 1);
    assert.ok(receipt.changes.some((c) => c.path === 'PID-5.1' && c.category === 'family-name' && c.method === 'redact'), receiptText);
    assert.ok(receipt.changes.every((c) => !('original' in c)), 'no originals');
    assert.ok(!receiptText.includes('EVERYMAN') && !receiptText.includes('PATID1234'), receiptText);
    assert.deepEqual(crossOrigin(log, app.origin), [], 'no cross-origin request');
    assert.ok(log.requests.every((r) => r.phase === 'load' || r.url.startsWith('blob:')), 'only the download\'s own blob: URL');
    await context.close();
  });

  test('comparing two messages of a file value by value, or one with a pasted message', async () => {
    const { context, page, log, errors, input, loaded } = await openViewer({ viewport: { width: 1400, height: 1000 } });

    log.phase = 'compare';
    const second = MESSAGE.replace('MSG00001', 'MSG00002').replace('EVERYMAN^ADAM^A^III', 'ROE^JANE').replace('19610615', '19610631');
    const third = MESSAGE.replace('MSG00001', 'MSG00003').replace('ADT^A01^ADT_A01', 'ADT^A08^ADT_A01');
    await openFile(page, 'feed.hl7', [MESSAGE, second, third].join('\r\n') + '\r');
    await page.getByRole('listbox', { name: 'Messages' }).getByRole('option').nth(2).waitFor();
    await page.getByRole('tab', { name: 'Compare' }).click();

    // By default: the selected message (the first) against the next one.
    assert.equal(await page.getByLabel('Message A').inputValue(), '0');
    assert.equal(await page.getByLabel('Message B').inputValue(), '1');
    const counts = page.locator('.compare-counts');
    await counts.waitFor();
    const [, differences, values] = (await counts.textContent()).match(/^(\d+) differences in (\d+) values$/);
    assert.equal(differences, '6');
    const table = page.getByRole('table', { name: 'Comparison' });
    const visible = table.locator('tbody tr:visible');
    const row = (path) => table.locator('tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${escapeRegExp(path)}$`) }) });
    const cells = async (path) => row(path).locator('th, td').allTextContents();
    // Only the differences, each marked.
    assert.equal(await visible.count(), 6);
    assert.deepEqual(await cells('PID-5.2'), ['PID-5.2', 'Patient Name / Given Name', 'ADAM', 'JANE', 'changed']);
    assert.deepEqual(await cells('PID-5.4'), ['PID-5.4', 'Patient Name / Suffix (e.g., JR or III)', 'III', '—', 'only in A']);
    assert.deepEqual(await cells('MSH-10'), ['MSH-10', 'Message Control ID', 'MSG00001', 'MSG00002', 'changed']);
    assert.deepEqual(
      await visible.locator('th').allTextContents(),
      ['MSH-10', 'PID-5.1', 'PID-5.2', 'PID-5.3', 'PID-5.4', 'PID-7'],
      'in message order',
    );
    // Every value when the toggle is off.
    await page.getByLabel('Only differences').uncheck();
    assert.equal(await visible.count(), Number(values));
    assert.deepEqual(await cells('PID-3[2].1'), ['PID-3[2].1', 'Patient Identifier List / ID Number', '123456789', '123456789', 'same']);
    await page.getByLabel('Only differences').check();

    // Another B: the third message differs only in its type and control id.
    await page.getByLabel('Message B').selectOption('2');
    await page.locator('.compare-counts', { hasText: /^2 differences in \d+ values$/ }).waitFor();
    assert.deepEqual(await visible.locator('th').allTextContents(), ['MSH-9.2', 'MSH-10']);
    // Picking another message in the list moves A when it was not picked by hand.
    await page.getByRole('listbox', { name: 'Messages' }).getByRole('option').nth(1).click();
    assert.equal(await page.getByLabel('Message A').inputValue(), '1');

    // A pasted message becomes B: a null, a new segment, a changed name.
    const pasted = [
      MESSAGE.replace('MSG00001', 'MSG09999').replace('EVERYMAN^ADAM^A^III', '""'),
      'OBX|1|NM|8302-2^Body height^LN||178|cm^centimeter^UCUM|||||F',
    ].join('\n');
    await page.getByLabel('Compare with').fill(pasted);
    await page.getByLabel('Message B').waitFor({ state: 'detached' });
    await page.locator('.compare-counts', { hasText: /^\d+ differences in \d+ values$/ }).waitFor();
    // A field is its first component: B's null name stands against A's family name.
    const nullName = row('PID-5.1');
    await nullName.locator('td.value.null').waitFor();
    assert.deepEqual(await cells('PID-5.1'), ['PID-5.1', 'Patient Name / Family Name', 'ROE', '""', 'changed']);
    assert.equal(await nullName.locator('td.value.null').count(), 1, 'the null is shown as such');
    assert.deepEqual(await cells('PID-5.2'), ['PID-5.2', 'Patient Name / Given Name', 'JANE', '—', 'only in A']);
    assert.deepEqual(await cells('OBX-5'), ['OBX-5', 'Observation Value', '—', '178', 'only in B']);
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${artifacts}/viewer-compare.png`, fullPage: true });

    // Text that is no message says so.
    await page.getByLabel('Compare with').fill('hello');
    await page.locator('.problem', { hasText: 'The text to compare with has no HL7 v2 message' }).waitFor();

    assert.deepEqual(log.requests.slice(loaded), [], 'no request while comparing');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('anonymizing a file: every changed value before and after, by message', async () => {
    const { context, page, log, errors, input, loaded } = await openViewer({ viewport: { width: 1400, height: 1000 } });

    log.phase = 'anonymize';
    const second = MESSAGE.replace('MSG00001', 'MSG00002').replace('EVERYMAN^ADAM', 'QXZROE^QXZJANE').replace('19610615', '19700101');
    const third = MESSAGE.replace('MSG00001', 'MSG00003').replace('EVERYMAN^ADAM', 'QXZLEE^QXZMAY');
    await openFile(page, 'feed.hl7', [MESSAGE, second, third].join('\r\n') + '\r\n');
    await page.getByRole('listbox', { name: 'Messages' }).getByRole('option').nth(2).waitFor();
    await page.getByRole('tab', { name: 'Anonymize' }).click();
    const heading = page.locator('#changes-heading');
    await heading.waitFor();
    const [, changed] = (await heading.textContent()).match(/^(\d+) values changed in 3 of 3 messages$/);
    const rows = page.locator('table.changes tbody tr');
    assert.equal(await rows.count(), Number(changed), 'a small file lists every change');
    // Each change: its message, path, category, method, then the value before and after.
    assert.deepEqual(await changeRow(page, 'PID-5.1', 2).locator('td').allTextContents(), ['2', 'family-name', 'redact', 'QXZROE', 'REDACTED']);
    assert.deepEqual(await changeRow(page, 'PID-5.2', 3).locator('td').allTextContents(), ['3', 'given-name', 'redact', 'QXZMAY', 'REDACTED']);
    assert.deepEqual(await changeRow(page, 'PID-7', 2).locator('td').allTextContents(), ['2', 'birth-date', 'generalize', '19700101', '1970']);
    assert.deepEqual(await changeRow(page, 'PID-3[2].1', 1).locator('td').allTextContents(), ['1', 'identifier', 'redact', '123456789', 'REDACTED']);

    // One message's own changes.
    const picker = page.getByLabel('Changes of');
    const option = await picker.locator('option[value="1"]').textContent();
    const [, own] = option.match(/^message 2 \((\d+)\)$/);
    await picker.selectOption('1');
    await page.waitForFunction((n) => document.querySelectorAll('table.changes tbody tr').length === n, Number(own));
    assert.deepEqual([...new Set(await rows.locator('td.message').allTextContents())], ['2']);
    assert.equal(Number(own) * 3, Number(changed), 'the three messages change the same places');

    // Pseudonyms: the after column shows them, the before column the originals.
    await page.getByLabel('Preset').selectOption('pseudonymize');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.locator('table.changes td.method', { hasText: 'pseudonymize' }).first().waitFor();
    const family = changeRow(page, 'PID-5.1', 2).locator('td');
    assert.equal(await family.nth(3).textContent(), 'QXZROE');
    const pseudonym = await family.nth(4).textContent();
    assert.ok(pseudonym && !pseudonym.includes('QXZ') && pseudonym !== 'REDACTED', pseudonym);
    assert.ok((await page.getByLabel('Anonymized message').textContent()).includes(pseudonym));
    await page.getByLabel('Preset').selectOption('safe-harbor');
    await changeRow(page, 'PID-5.1', 2).locator('td', { hasText: 'REDACTED' }).waitFor();
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${artifacts}/viewer-anonymized-diff.png`, fullPage: true });

    assert.deepEqual(log.requests.slice(loaded), [], 'the originals stay in the page');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a file of thousands of messages: a virtual list that scrolls to the end and follows the keyboard', async () => {
    const { context, page, log, errors, input, loaded } = await openViewer({ viewport: { width: 1400, height: 900 } });

    // 6,000 small messages, about 3 MB.
    const COUNT = 6000;
    const id = (n) => `CTL${String(n).padStart(5, '0')}`;
    const messages = [];
    for (let n = 1; n <= COUNT; n++) {
      messages.push([
        `MSH|^~\\&|SEND|FAC|RECV|FAC|20260101120000||${n % 3 ? 'ADT^A01^ADT_A01' : 'ADT^A08^ADT_A01'}|${id(n)}|P|2.5.1`,
        'EVN|A01|20260101120000',
        `PID|1||MRN${n}^^^FAC^MR||FAMILY${n}^GIVEN^M||19800101|F|||${n} MAIN ST^^SPRINGFIELD^IL^62701`,
        'PV1|1|I|WARD^101^1||||004777^ATTEND^AARON^A|||SUR||||ADM|A0',
        `OBX|1|TX|NOTE^Note^L||${'the patient was seen in clinic today and reports no acute distress '.repeat(3)}||||||F`,
      ].join('\r'));
    }
    const file = messages.join('\r\n') + '\r\n';
    assert.ok(file.length > 2_000_000, `${file.length} bytes`);

    log.phase = 'open';
    const started = Date.now();
    await openFile(page, 'thousands.hl7', file);
    await page.locator('.messages .count', { hasText: String(COUNT) }).waitFor();
    const list = page.getByRole('listbox', { name: 'Messages' });
    const options = list.getByRole('option');
    await options.first().waitFor();
    const listed = Date.now() - started;
    assert.ok(listed < 10_000, `listed in ${listed} ms`);
    const drawn = await options.count();
    assert.ok(drawn > 5 && drawn < 40, `only the rows in view are in the page (${drawn})`);
    assert.equal(await options.first().getAttribute('aria-setsize'), String(COUNT));

    // Scrolled to the end: the last message is there, in view.
    await list.evaluate((element) => { element.scrollTop = element.scrollHeight; });
    const last = list.getByRole('option', { name: new RegExp(id(COUNT)) });
    await last.waitFor();
    const inView = async (option) => {
      const [box, frame] = [await option.boundingBox(), await list.boundingBox()];
      return box.y >= frame.y - 1 && box.y + box.height <= frame.y + frame.height + 1;
    };
    assert.ok(await inView(last), 'the last row is within the list');
    assert.ok(await options.count() < 40, 'still only the rows in view');
    await last.click();
    const value = (path) => page.locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${escapeRegExp(path)}$`) }) }).locator('.value');
    await page.waitForFunction((ctl) => [...document.querySelectorAll('tr')].some((tr) => tr.textContent.includes(ctl)), id(COUNT));
    assert.equal(await value('MSH-10').textContent(), id(COUNT));
    // Too big to edit: the raw view shows the chosen message, coloured and read-only.
    const area = page.getByRole('textbox', { name: 'Message' });
    assert.equal(await area.getAttribute('readonly'), '');
    assert.match(await area.inputValue(), new RegExp(`^MSH\\|.*\\|${id(COUNT)}\\|`));
    assert.equal(await page.locator('.highlight .line').first().locator('.t.seg').textContent(), 'MSH');
    await page.getByText(`Message ${COUNT} of ${COUNT}, read-only`).waitFor();
    await page.getByRole('button', { name: 'PID-5.1', exact: true }).click();
    assert.equal(await area.evaluate((a) => a.value.slice(a.selectionStart, a.selectionEnd)), `FAMILY${COUNT}`);

    // The keyboard moves the selection and keeps it in view.
    const current = list.locator('[aria-selected="true"]');
    const currentId = async () => current.locator('.control-id').textContent();
    await list.focus();
    await page.keyboard.press('Home');
    assert.equal(await currentId(), id(1));
    assert.equal(await list.evaluate((element) => element.scrollTop), 0);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await currentId(), id(3));
    await page.waitForFunction((ctl) => [...document.querySelectorAll('tr')].some((tr) => tr.textContent.includes(ctl)), id(3));
    assert.equal(await value('MSH-10').textContent(), id(3));
    assert.equal(await list.getAttribute('aria-activedescendant'), 'message-3');
    await page.keyboard.press('PageDown');
    const paged = Number((await currentId()).slice(3));
    assert.ok(paged > 5 && paged < 20, `a page down: ${paged}`);
    assert.ok(await inView(current));
    await page.keyboard.press('End');
    assert.equal(await currentId(), id(COUNT));
    assert.ok(await inView(current));
    await page.keyboard.press('ArrowUp');
    assert.equal(await currentId(), id(COUNT - 1));
    await page.keyboard.press('PageUp');
    assert.ok(Number((await currentId()).slice(3)) < COUNT - 5);
    assert.ok(await inView(current));

    // Background validation reaches the rows in view; the filter still narrows the list.
    await page.waitForFunction(() => ![...document.querySelectorAll('.message-row .status')].some((s) => s.textContent.includes('checking')), null, { timeout: 30_000 });
    await page.getByLabel('Filter messages').fill('CTL0599');
    await page.getByText(`10 of ${COUNT} match.`).waitFor();
    assert.deepEqual(await options.locator('.control-id').allTextContents(), Array.from({ length: 10 }, (_, i) => id(5990 + i)));
    assert.deepEqual([...new Set(await options.locator('.status').allTextContents())], ['valid']);
    await page.getByLabel('Filter messages').fill('');
    await list.evaluate((element) => { element.scrollTop = element.scrollHeight / 2; });
    await list.getByRole('option', { name: new RegExp(id(COUNT / 2)) }).waitFor();
    await list.focus();
    await page.keyboard.press('End');
    assert.ok(await inView(list.getByRole('option', { name: new RegExp(id(COUNT)) })));
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${artifacts}/viewer-big-file.png`, fullPage: true });

    // The whole file anonymized in one go, in the page.
    await page.getByRole('tab', { name: 'Anonymize' }).click();
    await page.getByRole('heading', { name: new RegExp(`values changed in ${COUNT} of ${COUNT} messages`) }).waitFor({ timeout: 30_000 });
    assert.equal(await page.getByRole('status').filter({ hasText: 'Anonymizing' }).count(), 0, 'done');
    // Closing the file makes the text area editable again, for a message of one's own.
    await page.getByRole('button', { name: 'Close the file' }).click();
    assert.equal(await area.getAttribute('readonly'), null);
    assert.equal(await page.locator('.messages').count(), 0);
    await area.fill(MESSAGE);
    await page.getByRole('tab', { name: 'Structure' }).click();
    await page.locator('.segment-id', { hasText: 'PV1' }).waitFor();

    assert.deepEqual(log.requests.slice(loaded), [], 'no request while listing');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a 100 MB paste gets a clear message and the page keeps working', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.origin}/`);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.waitFor();
    // A paste of 100 MB, as the browser delivers it to the page.
    await input.evaluate((area, message) => {
      const data = new DataTransfer();
      data.setData('text/plain', (message + '\n').repeat(Math.ceil(100_000_000 / (message.length + 1))));
      area.focus();
      area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, MESSAGE);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /^This text is 100\.\d MB: the viewer reads up to 64 MB at once/);
    // Still alive: a normal message afterwards is read as usual.
    await input.fill(MESSAGE);
    await page.getByText('Patient Name / Family Name').waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the raw view: coloured, numbered, findings underlined, linked both ways with the structure', async () => {
    const { context, page, log, errors, input, loaded } = await openViewer({ viewport: { width: 1400, height: 900 } });

    // An invalid birth date, an escape sequence and an HL7 null.
    const message = MESSAGE.replace('19610615', '19610631').replace('GOOD HEALTH HOSPITAL|GHH LAB', 'GOOD \\T\\ HEALTH|GHH LAB') + '\rNTE|1||""';
    await input.fill(message);
    const lines = page.locator('.highlight .line');
    await lines.nth(4).waitFor();
    // Every line drawn, in order, exactly as typed (the highlight is a copy of the text).
    assert.deepEqual(await lines.allTextContents(), message.split('\r'));
    assert.deepEqual(await page.locator('.gutter .number').allTextContents(), ['1', '2', '3', '4', '5']);
    assert.deepEqual(
      await page.locator('.highlight .t.seg').allTextContents(),
      ['MSH', 'EVN', 'PID', 'PV1', 'NTE'],
    );
    assert.equal(await page.locator('.highlight .t.enc').first().textContent(), '^~\\&');
    assert.equal(await page.locator('.highlight .t.esc').first().textContent(), '\\T\\');
    // The finding underlined at its exact bytes.
    assert.deepEqual(await lines.nth(2).locator('.t.error').allTextContents(), ['19610631']);

    // Coded values with their meaning from the HL7 table; hover or focus tells type and table.
    const sex = page.locator('tr', { has: page.locator('th', { hasText: /^PID-8$/ }) });
    assert.equal(await sex.locator('.value').textContent(), 'MMale');
    assert.equal(await sex.locator('.meaning').textContent(), 'Male');
    assert.equal(
      await sex.locator('.name').getAttribute('title'),
      'PID-8 — Administrative Sex; data type IS; table 0001 Administrative Sex',
    );
    // Choosing an element in the structure selects its bytes in the raw view…
    await page.getByRole('button', { name: 'PID-7', exact: true }).click();
    const selection = () => input.evaluate((a) => a.value.slice(a.selectionStart, a.selectionEnd));
    assert.equal(await selection(), '19610631');
    await page.getByText('PID-7 — Date/Time of Birth (TS)').waitFor();
    assert.equal(await page.locator('tr.here .path').textContent(), 'PID-7');
    // …and moving the caret marks the element in the structure.
    await input.evaluate((area) => {
      const at = area.value.indexOf('ADAM') + 1;
      area.setSelectionRange(at, at);
    });
    await page.keyboard.press('ArrowRight');
    await page.locator('tr.here', { hasText: 'PID-5.2' }).waitFor();

    // A finding selects its place too.
    await page.getByRole('tab', { name: /Findings/ }).click();
    await page.locator('.finding.error', { hasText: 'PID-7' }).getByRole('button').click();
    assert.equal(await selection(), '19610631');
    await page.screenshot({ path: `${artifacts}/viewer-raw.png`, fullPage: true });
    assert.deepEqual(log.requests.slice(loaded), [], 'no request');
    assert.deepEqual(errors, [], 'no error in the page');
    await context.close();
  });

  test('findings: grouped, checked as chosen (version, strict, a profile), copied as text or JSON', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const log = recordRequests(context);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.origin}/`);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.waitFor();
    await page.waitForLoadState('networkidle');
    const loaded = log.requests.length;
    await input.fill(MESSAGE.replace('19610615', '19610631'));

    // Tabs by keyboard: arrows move and focus.
    await page.getByRole('tab', { name: 'Structure' }).focus();
    await page.keyboard.press('ArrowRight');
    const findingsTab = page.getByRole('tab', { name: /Findings/ });
    assert.equal(await findingsTab.getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-findings');

    await page.getByRole('heading', { name: /^Errors/ }).waitFor();
    const errorList = page.getByRole('list', { name: 'Errors' });
    assert.match(await errorList.textContent(), /PID-7/);

    // The report, as text and as JSON.
    await page.getByRole('button', { name: 'Copy report' }).click();
    await page.waitForFunction(async () => (await navigator.clipboard.readText()).startsWith('HL7 v2.5.1'));
    const text = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(text, /^HL7 v2\.5\.1 ADT_A01: 1 errors, \d+ warnings, \d+ infos\n/);
    assert.match(text, /^3:\d+ error 102 value\.format PID-7: /m);
    await page.getByRole('button', { name: 'Copy as JSON' }).click();
    await page.waitForFunction(async () => (await navigator.clipboard.readText()).startsWith('{'));
    const json = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    assert.equal(json.version, '2.5.1');
    assert.ok(json.findings.some((f) => f.location.path === 'PID-7' && f.severity === 'error'), JSON.stringify(json));

    // Strict finds more than tolerant.
    const count = async () => Number(await page.locator('.panel > h2 .count').textContent());
    const tolerant = await count();
    await page.getByLabel('Strict').check();
    await page.waitForFunction((n) => Number(document.querySelector('.panel > h2 .count').textContent) > n, tolerant);

    // Another version: the names and the check follow it.
    await page.getByLabel('HL7 version').selectOption('2.3');
    await page.getByRole('tab', { name: 'Structure' }).click();
    await page.getByText('HL7 v2.3').waitFor();
    await page.getByRole('tab', { name: /Findings/ }).click();
    await page.getByLabel('HL7 version').waitFor();
    assert.equal(await page.getByLabel('HL7 version').inputValue(), '2.3', 'the choice is kept across tabs');

    // A conformance profile opened from a file: its constraints become findings.
    const profile = { name: 'test feed', segments: { PID: { fields: { '5.1': { maxLength: 4 }, '19': { usage: 'R' } } } } };
    await page.locator('#open-profile').setInputFiles({
      name: 'feed.profile.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(profile)),
    });
    await page.getByText('Profile: feed.profile.json').waitFor();
    await page.locator('.finding', { hasText: 'PID-19' }).waitFor();
    await page.locator('#open-profile').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"segments": 3}') });
    await page.getByRole('alert').filter({ hasText: 'broken.json' }).waitFor();
    await page.getByRole('button', { name: 'Remove the profile' }).click();
    await page.locator('.finding', { hasText: 'PID-19' }).waitFor({ state: 'detached' });
    assert.deepEqual(log.requests.slice(loaded), [], 'no request');
    assert.deepEqual(errors, [], 'no error in the page');
    await context.close();
  });

  test('negative control: the recorder catches a cross-origin request', async () => {
    const context = await browser.newContext();
    const log = recordRequests(context);
    const page = await context.newPage();
    await page.goto(`${app.origin}/__leak.html`);
    await page.waitForLoadState('networkidle');
    const leaks = crossOrigin(log, app.origin);
    assert.equal(leaks.length, 1, 'the deliberate leak is recorded');
    assert.equal(leaks[0].url, `${elsewhere.origin}/leak?from=control`);
    assert.ok(elsewhere.hits.includes('/leak'), 'and it did reach the other origin');
    await context.close();
  });
});
