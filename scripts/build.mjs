// Three bundles: the extension host (node, cjs, `vscode` external), the language server (node)
// and the webviews (browser, one per panel). The CLI is a fourth entry of the node bundle family.
import { build, context } from 'esbuild';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// `--outdir=DIR`: build somewhere else than dist/ (the bundle-size bench and test build there).
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const node = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // ssh2's optional native addons (.node) cannot be bundled; without them it uses pure JavaScript.
  external: ['vscode', '*.node'],
};

// What the extension loads on first use rather than at activation: ssh2 (the first SSH host),
// the language client (just after activate() returned). Its code imports them with import(), and
// only that import becomes a require() of a bundle of their own in dist/, so the bundle loaded
// at activation does not carry them. Each is self-contained: nothing of ours whose instanceof or
// module state could be split in two (the language client gets the command ids passed in).
const LAZY = { ssh2: './ssh2.js', './language-client.js': './language-client.js' };
const lazyBundles = {
  name: 'lazy-bundles',
  setup(build) {
    build.onResolve({ filter: /^(ssh2|\.\/language-client\.js)$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: LAZY[args.path], external: true } : undefined,
    );
  },
};

const targets = [
  { ...node, entryPoints: { extension: 'extension/vscode/extension.ts' }, outdir, plugins: [lazyBundles], supported: { 'dynamic-import': false } },
  { ...node, entryPoints: { 'language-client': 'extension/vscode/language-client.ts' }, outdir },
  { ...node, entryPoints: { ssh2: createRequire(import.meta.url).resolve('ssh2') }, outdir },
  { ...node, entryPoints: { cli: 'extension/cli/bin.ts' }, outdir, banner: { js: '#!/usr/bin/env node' } },
  ...(existsSync('extension/server/server.ts')
    ? [{ ...node, entryPoints: { server: 'extension/server/server.ts' }, outdir }]
    : []),
  ...(existsSync('webview/results/main.ts')
    ? [
        {
          ...common,
          platform: 'browser',
          target: 'es2022',
          format: 'esm',
          // One bundle per panel, from its folder's main.ts (webview/<panel>/); the names are what
          // each panel's kind loads (extension/vscode/panels/<panel>/) and .vscodeignore ships.
          entryPoints: { webview: 'webview/results/main.ts', migration: 'webview/migration/main.ts', colo: 'webview/colo/main.ts', screen: 'webview/screen/main.ts' },
          outdir,
        },
      ]
    : []),
];

mkdirSync(outdir, { recursive: true });
if (watch) {
  for (const target of targets) {
    const ctx = await context(target);
    await ctx.watch();
  }
} else {
  await Promise.all(targets.map((target) => build(target)));
  chmodSync(`${outdir}/cli.js`, 0o755);
}
