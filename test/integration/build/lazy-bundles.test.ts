import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { eagerFiles } from '../../../bench/eager-files';
import { runProcessCollecting } from '../../support/run-cli';

// The extension's production build: activation loads dist/extension.mjs and the chunks it imports
// statically; every import() of its code is a chunk loaded on first use, and ssh2 and the language
// client are CommonJS bundles of their own (scripts/build.mjs).
const repo = join(__dirname, '../../..');
const out = join(process.env.QEMU_LAB_TEST_ROOT ?? '', 'production-build');

/**
 * Text only one part of the build has: what activation must not load. Each is checked to be in
 * the build somewhere, so a marker that stopped matching fails here rather than passing for ever.
 */
const LOADED_ON_FIRST_USE = {
  'ssh2 (its SSH identification string)': 'ssh2js',
  'the language client': 'Server will not be restarted',
  'the YAML parser': 'Implicit keys need to be on a single line',
  'the guest builder': 'has no module(s)',
  'live migration': 'QEMU did not confirm the cancel within',
} as const;

const read = (file: string) => readFileSync(join(out, file), 'utf8');

beforeAll(async () => {
  expect(process.env.QEMU_LAB_TEST_ROOT, 'the integration global setup must set QEMU_LAB_TEST_ROOT').toBeDefined();
  const run = await runProcessCollecting([process.execPath, 'scripts/build.mjs', '--production', `--outdir=${out}`], { cwd: repo });
  expect(run.code, run.stderr).toBe(0);
});

describe('the production build loads at activation only what activation needs', () => {
  it('keeps ssh2, the language client, the YAML parser, the guest builder and migration out of what activation loads', () => {
    const eager = eagerFiles(out, 'extension.mjs');
    const everything = readdirSync(out).filter((file) => file.endsWith('.js') || file.endsWith('.mjs'));
    // The split is real: some chunks load only on first use.
    expect(everything.filter((file) => file.endsWith('.mjs')).length).toBeGreaterThan(eager.length);
    for (const [part, marker] of Object.entries(LOADED_ON_FIRST_USE)) {
      expect(everything.some((file) => read(file).includes(marker)), `${part}: its marker is nowhere in the build`).toBe(true);
      for (const file of eager) expect(read(file).includes(marker), `${part} is loaded at activation (in ${file})`).toBe(false);
    }
  });

  it('puts what activation loads in a few files, not one per set of lazy parts', () => {
    // The extension host loads each ES module through its loader hooks, a few ms a file: without
    // the build's eager-in-one-chunk plugin this was 58 files.
    const eager = eagerFiles(out, 'extension.mjs');
    expect(eager.length, eager.join(', ')).toBeLessThanOrEqual(4);
  });

  it('imports ssh2 and the language client from their own files, by names those files declare', async () => {
    const chunks = readdirSync(out).filter((file) => file.endsWith('.mjs'));
    const imported = new Set(chunks.flatMap((file) => [...read(file).matchAll(/import\("(\.\/[^"]+\.js)"\)/g)].map((m) => m[1])));
    expect([...imported].sort()).toEqual(['./language-client.js', './ssh2.js']);
    expect(read('ssh2.js')).toContain(LOADED_ON_FIRST_USE['ssh2 (its SSH identification string)']);
    expect(read('language-client.js')).toContain(LOADED_ON_FIRST_USE['the language client']);
    // An ES module sees a CommonJS bundle's names only where the bundle declares them.
    const ssh2 = (await import(pathToFileURL(join(out, 'ssh2.js')).href)) as { Client?: unknown; utils?: { parseKey?: unknown } };
    expect(typeof ssh2.Client).toBe('function');
    expect(typeof ssh2.utils?.parseKey).toBe('function');
  });

  it('packages every file the extension loads (.vscodeignore allow-list)', () => {
    const allowed = readFileSync(join(repo, '.vscodeignore'), 'utf8').split('\n');
    for (const file of ['extension.mjs', 'language-client.js', 'ssh2.js']) {
      expect(existsSync(join(out, file))).toBe(true);
      expect(allowed).toContain(`!dist/${file}`);
    }
    expect(allowed).toContain('!dist/chunk-*.mjs');
    const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { main?: string };
    expect(manifest.main).toBe('./dist/extension.mjs');
  });
});
