// Three bundles: the extension host (node, cjs, `vscode` external), the language server (node)
// and the webviews (browser, one per panel). The CLI is a fourth entry of the node bundle family.
import { build, context } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

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

// The extension is ES modules with code splitting: dist/extension.mjs is what activation loads,
// and every `import()` in its code (a command's implementation, a panel, the migration and COLO
// machinery) becomes a chunk of its own, dist/chunk-*.mjs, loaded on first use. A module two
// parts need lives in one shared chunk, so each class and each module's state exists once
// (an error's instanceof holds whichever part threw it). Chunks sit beside the entry because an
// external import keeps its specifier as written ('./ssh2.js' must resolve from every chunk).
//
// Two libraries stay CommonJS bundles of their own, imported on first use: ssh2 (the first SSH
// host) and the language client (just after activate() returned); both require() what they
// need, which only CommonJS gives them (the language client requires 'vscode').
const LAZY = { ssh2: './ssh2.js', './language-client.js': './language-client.js' };
const lazyBundles = {
  name: 'lazy-bundles',
  setup(build) {
    build.onResolve({ filter: /^(ssh2|\.\/language-client\.js)$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: LAZY[args.path], external: true } : undefined,
    );
  },
};

// What activation loads is one shared chunk, not dozens. esbuild puts a module in a chunk keyed
// by the set of entries that reach it (the extension and each import() target), so the modules
// activation loads were spread over one chunk per set — 58 files, and the extension host loads
// every ES module through its loader hooks (a few ms each: 247 ms against 63 ms for the same code
// in 3 files, measured with a hook like VS Code's). Each import() target of our own code also
// imports the extension's entry, so every module activation loads is reached by every entry and
// lands in one chunk; what only some lazy parts use still loads on first use, in chunks of its own.
const ENTRY = resolve('extension/vscode/extension.ts');
const eagerInOneChunk = {
  name: 'eager-in-one-chunk',
  setup(build) {
    const lazyTargets = new Set();
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === eagerInOneChunk) return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: eagerInOneChunk });
      if (resolved.errors.length === 0 && !resolved.external && resolved.path.endsWith('.ts') && !resolved.path.includes('/node_modules/')) lazyTargets.add(resolved.path);
      return resolved;
    });
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (!lazyTargets.has(args.path)) return undefined;
      // Only a reference: the entry is loaded (and evaluated) before any import() runs. At the
      // end, as imports are hoisted anyway, so the file's lines (and its source map) stay as written.
      return { contents: `${await readFile(args.path, 'utf8')}\nimport ${JSON.stringify(ENTRY)};\n`, loader: 'ts' };
    });
  },
};

// Libraries bundled into the ES modules may still call require() for Node's own modules: every
// output file gets a real require (esbuild's shim uses it when one is in scope).
const esmRequire = "import { createRequire as __qemuLabCreateRequire } from 'node:module'; const require = __qemuLabCreateRequire(import.meta.url);";

const targets = [
  {
    ...node,
    format: 'esm',
    splitting: true,
    entryPoints: { extension: 'extension/vscode/extension.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    banner: { js: esmRequire },
    plugins: [lazyBundles, eagerInOneChunk],
  },
  { ...node, entryPoints: { 'language-client': 'extension/vscode/language-client.ts' }, outdir },
  // ssh2 is CommonJS whose exports Node cannot name for an importing ES module; this entry
  // re-exports what the SSH transport takes, so the bundle declares those names.
  { ...node, entryPoints: { ssh2: 'extension/core/infrastructure/hosts/transports/ssh2-bundle.ts' }, outdir },
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
// Chunk names are content hashes, so every build writes new ones beside the old; the package's
// allow-list takes every dist/chunk-*.mjs. The old ones go first (and the CommonJS
// dist/extension.js of builds before the split), so only this build's code is packaged.
for (const name of readdirSync(outdir)) {
  if (/^chunk-[A-Z0-9]+\.mjs(\.map)?$/.test(name) || /^extension\.js(\.map)?$/.test(name)) rmSync(`${outdir}/${name}`);
}
if (watch) {
  for (const target of targets) {
    const ctx = await context(target);
    await ctx.watch();
  }
} else {
  await Promise.all(targets.map((target) => build(target)));
  chmodSync(`${outdir}/cli.js`, 0o755);
}
