// Three bundles: the extension host (node, cjs, `vscode` external), the language server (node)
// and the webviews (browser, one per panel). The CLI is a fourth entry of the node bundle family.
import { build, context } from 'esbuild';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

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

const targets = [
  { ...node, entryPoints: { extension: 'extension/vscode/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'extension/cli/bin.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  ...(existsSync('extension/server/server.ts')
    ? [{ ...node, entryPoints: { server: 'extension/server/server.ts' }, outdir: 'dist' }]
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
          entryPoints: { webview: 'webview/results/main.ts', migration: 'webview/migration/main.ts', colo: 'webview/colo/main.ts' },
          outdir: 'dist',
        },
      ]
    : []),
];

mkdirSync('dist', { recursive: true });
if (watch) {
  for (const target of targets) {
    const ctx = await context(target);
    await ctx.watch();
  }
} else {
  await Promise.all(targets.map((target) => build(target)));
  chmodSync('dist/cli.js', 0o755);
}
