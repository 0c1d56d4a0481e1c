// index.d.ts is written by hand: every function and class the package exports at run time is
// declared there, and nothing is declared that does not exist (tests/types checks the shapes
// with tsc --strict).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as pipehat from 'pipehat';

test('index.d.ts declares exactly the exported functions and classes', () => {
  const declarations = readFileSync(new URL('../../pkg/index.d.ts', import.meta.url), 'utf8');
  const declared = new Set([...declarations.matchAll(/^export (?:declare )?(?:function|class) (\w+)/gm)].map((m) => m[1]));
  const exported = Object.keys(pipehat).filter((name) => typeof pipehat[name] === 'function');
  assert.deepEqual([...declared].sort(), exported.sort());
});
