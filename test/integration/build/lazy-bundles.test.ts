import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runProcessCollecting } from '../../support/run-cli';

// The extension's production build: what activation loads is dist/extension.js; ssh2 and the
// language client are bundles of their own, required on first use (scripts/build.mjs).
const repo = join(__dirname, '../../..');
const out = join(process.env.QEMU_LAB_TEST_ROOT ?? '', 'production-build');

/** Text only ssh2 has (its SSH identification string), and only vscode-languageclient. */
const SSH2_MARKER = 'ssh2js';
const LANGUAGE_CLIENT_MARKER = 'Server will not be restarted';

beforeAll(async () => {
  expect(process.env.QEMU_LAB_TEST_ROOT, 'the integration global setup must set QEMU_LAB_TEST_ROOT').toBeDefined();
  const run = await runProcessCollecting([process.execPath, 'scripts/build.mjs', '--production', `--outdir=${out}`], { cwd: repo });
  expect(run.code, run.stderr).toBe(0);
});

describe('the production build splits what activation does not need', () => {
  it('leaves ssh2 and the language client out of the bundle activation loads, and requires them from their own files', () => {
    const extension = readFileSync(join(out, 'extension.js'), 'utf8');
    expect(extension).not.toContain(SSH2_MARKER);
    expect(extension).not.toContain(LANGUAGE_CLIENT_MARKER);
    const required = [...extension.matchAll(/require\("(\.\/[^"]+)"\)/g)].map((m) => m[1]);
    expect([...new Set(required)].sort()).toEqual(['./language-client.js', './ssh2.js']);
    expect(readFileSync(join(out, 'ssh2.js'), 'utf8')).toContain(SSH2_MARKER);
    expect(readFileSync(join(out, 'language-client.js'), 'utf8')).toContain(LANGUAGE_CLIENT_MARKER);
    // The split is the point: the eager bundle is the smaller part.
    expect(statSync(join(out, 'extension.js')).size).toBeLessThan(statSync(join(out, 'ssh2.js')).size + statSync(join(out, 'language-client.js')).size);
  });

  it('packages every bundle the extension requires (.vscodeignore allow-list)', () => {
    const allowed = readFileSync(join(repo, '.vscodeignore'), 'utf8').split('\n');
    for (const file of ['extension.js', 'language-client.js', 'ssh2.js']) {
      expect(existsSync(join(out, file))).toBe(true);
      expect(allowed).toContain(`!dist/${file}`);
    }
  });

  it('ssh2.js gives what the SSH transport takes from it (Client, utils.parseKey)', () => {
    const ssh2 = createRequire(__filename)(join(out, 'ssh2.js')) as { Client?: unknown; utils?: { parseKey?: unknown } };
    expect(typeof ssh2.Client).toBe('function');
    expect(typeof ssh2.utils?.parseKey).toBe('function');
  });
});
