// Flat config. The architectural rules live here: extension/core/ must run without VS Code
// (CLI, plain tests), so it may never import `vscode`; extension/presentation/ (wording, choices,
// view models) is shared by the CLI and the editor, so it imports neither of them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/*.mjs', 'test/fixtures/**', '.qemu-lab/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'No default exports: use named exports.' },
      ],
    },
  },
  {
    // Layers, each direction enforced (test/unit/lint/boundaries.test.ts shows each one refused):
    // core is imported by everything and imports none of them.
    files: ['extension/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'extension/core must not depend on VS Code; put editor glue in extension/vscode/.' }],
          patterns: [
            { group: ['**/vscode/**', '../vscode/*'], message: 'extension/core must not import editor glue.' },
            { group: ['**/cli/**', '**/cli', '**/server/**', '**/server'], message: 'extension/core must not import the CLI or the language server: they build on core.' },
            { group: ['**/presentation/**', '**/presentation'], message: 'extension/core must not import the presentation layer: core returns data, presentation words it.' },
            { group: ['**/webview/**', '**/webview'], message: 'extension/core must not import browser code (webview/).' },
          ],
        },
      ],
    },
  },
  {
    // Presentation (wording, choices, view models) is what the CLI and the editor share: it builds
    // on core and may use the webview's message and model types, nothing that runs in an editor,
    // a terminal or a browser.
    files: ['extension/presentation/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'extension/presentation is shared with the CLI: no vscode import; put editor glue in extension/vscode/.' }],
          patterns: [
            { group: ['**/vscode/**', '**/vscode'], message: 'extension/presentation must not import editor glue (extension/vscode/).' },
            { group: ['**/cli/**', '**/cli', '**/server/**', '**/server'], message: 'extension/presentation must not import the CLI or the language server: they build on it.' },
            {
              // The webview's protocol, models and guards are plain types and checks both sides share.
              // (A regex: gitignore-style groups cannot re-include a file below an excluded folder.)
              regex: '(^|/)webview/(?!([^/]+/(protocol|model|[a-z-]+-model)|shared/(guards|protocol))$)',
              message: 'extension/presentation must not import webview runtime code (DOM, charts); share types through the panels\' protocols (webview/<panel>/protocol.ts, webview/shared/protocol.ts) and models.',
            },
          ],
        },
      ],
    },
  },
  {
    // The CLI and the language server run without VS Code.
    files: ['extension/cli/**/*.ts', 'extension/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The CLI and the language server run without VS Code: no vscode import here.' }],
          patterns: [{ group: ['**/vscode/**', '**/vscode'], message: 'The CLI and the language server must not import editor glue (extension/vscode/).' }],
        },
      ],
    },
  },
  {
    // Browser code: it talks to the extension only through the typed messages of webview/<panel>/protocol.ts.
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Webview code runs in the browser: no vscode import.' }],
          patterns: [{ group: ['**/extension/**', '**/extension'], message: 'Webview code must not import extension code; share types through webview/<panel>/protocol.ts.' }],
        },
      ],
    },
  },
  {
    // The editor reaches hosts only through its HostPool, whose gate is Workspace Trust: nothing
    // here may start a process or open a connection around it.
    files: ['extension/vscode/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['child_process', 'node:child_process', 'net', 'node:net'].map((name) => ({
              name,
              message: 'Reach hosts through the HostPool (its gate refuses in an untrusted workspace).',
            })),
            { name: '../core/infrastructure/hosts/system/host-system', importNames: ['LocalHostSystem'], message: 'Use pool.localSystem(): it asks the trust gate.' },
            { name: '../../core/infrastructure/hosts/system/host-system', importNames: ['LocalHostSystem'], message: 'Use pool.localSystem(): it asks the trust gate.' },
          ],
          patterns: [{ group: ['**/core/infrastructure/hosts/system/run-program'], message: 'Reach hosts through the HostPool (its gate refuses in an untrusted workspace).' }],
        },
      ],
    },
  },
);
