// The package README's examples run as written, and print what their comments say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const readme = readFileSync(new URL('../../pkg/README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

/** What the comments after each console.log say it prints, as one pattern over the output. */
function expected(code) {
  const lines = code.split('\n');
  const parts = [];
  let inLog = false;
  for (const line of lines) {
    const comment = line.match(/\/\/ (.*)$/);
    if (line.trimStart().startsWith('console.log(')) {
      inLog = true;
      if (comment) parts.push(comment[1]);
    } else if (inLog && line.trimStart().startsWith('//') && comment) {
      parts.push(comment[1]);
    } else {
      inLog = false;
    }
  }
  const squash = (s) => s.replace(/\s+/g, '');
  const pattern = parts
    .map((p) => squash(p).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\(…\\\)/g, '.*?'))
    .join('');
  return { pattern: new RegExp(`^${pattern}$`, 's'), squash };
}

for (const [i, code] of blocks.entries()) {
  if (code.includes('await init()')) continue; // the browser form: tested in tests/browser
  test(`README example ${i + 1} runs and prints what it says`, () => {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: here, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const { pattern, squash } = expected(code);
    assert.match(squash(result.stdout), pattern, result.stdout);
  });
}

test('the README has examples to run', () => {
  assert.ok(blocks.filter((b) => !b.includes('await init()')).length >= 3);
});
