// The package as published: `npm pack` ships only what it should, and the tarball installs
// into an empty project with no network (no dependencies, no install scripts) and works there:
// import, require, and the CLI through npx's bin link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack ships the entries, types, CLI and wasm — nothing else', () => {
  const [info] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json'], { cwd: pkg, encoding: 'utf8' }));
  assert.deepEqual(info.files.map((f) => f.path).sort(), [
    'README.md', 'cli.js', 'core.js', 'gen/pipehat.js', 'gen/pipehat_bg.wasm', 'index.d.ts', 'index.js', 'node.js', 'package.json',
  ]);
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  assert.equal(manifest.dependencies, undefined, 'no runtime dependencies');
  assert.equal(manifest.scripts?.install ?? manifest.scripts?.postinstall, undefined, 'no install scripts');
  assert.equal(manifest.sideEffects, false);
});

test('the tarball installs offline into an empty project and works in ESM, CJS and the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipehat-pack-'));
  try {
    const tarball = execFileSync(npm, ['pack', '--pack-destination', dir], { cwd: pkg, encoding: 'utf8' }).trim().split('\n').pop();
    const project = join(dir, 'project');
    execFileSync('mkdir', [project]);
    writeFileSync(join(project, 'package.json'), '{"name":"empty","version":"1.0.0","private":true}');
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', join(dir, tarball)], { cwd: project, stdio: 'pipe' });
    const message = 'MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1\rEVN||20261122\rPID|1||7||DOE^JANE\rPV1|1|O\r';
    writeFileSync(join(project, 'message.hl7'), message);
    const esm = spawnSync(process.execPath, ['--input-type=module', '-e',
      "import { validate } from 'pipehat'; import { readFileSync } from 'node:fs'; console.log(validate(readFileSync('message.hl7', 'utf8')).valid)"],
    { cwd: project, encoding: 'utf8' });
    assert.equal(esm.stdout.trim(), 'true', esm.stderr);
    const cjs = spawnSync(process.execPath, ['-e', "console.log(require('pipehat').get(require('fs').readFileSync('message.hl7', 'utf8'), 'PID-5.2')[0])"],
      { cwd: project, encoding: 'utf8' });
    assert.equal(cjs.stdout.trim(), 'JANE', cjs.stderr);
    const cli = spawnSync(join(project, 'node_modules/.bin/pipehat'), ['validate', 'message.hl7'], { cwd: project, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /1 message in 1 file: 0 errors/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
