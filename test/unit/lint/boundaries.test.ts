// The layer boundaries of eslint.config.mjs, each direction: a file in one layer that imports a
// layer it must not is refused by the project's own lint configuration (the same `npm test` runs).
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(__dirname, '../../..');

/** The `no-restricted-imports` messages ESLint gives `code` as if it were the file `relativePath`. */
async function restrictedImports(eslint: ESLint, relativePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(repoRoot, relativePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const cases: readonly { layer: string; file: string; imports: string; refused: RegExp }[] = [
  { layer: 'core', file: 'extension/core/machines/vm/x.ts', imports: "import * as vscode from 'vscode';", refused: /must not depend on VS Code/ },
  { layer: 'core', file: 'extension/core/machines/vm/x.ts', imports: "import { a } from '../../../vscode/commands/boot-vm';", refused: /editor glue/ },
  { layer: 'core', file: 'extension/core/machines/vm/x.ts', imports: "import { a } from '../../../cli/main';", refused: /CLI or the language server/ },
  { layer: 'core', file: 'extension/core/machines/vm/x.ts', imports: "import { a } from '../../../server/server';", refused: /CLI or the language server/ },
  { layer: 'core', file: 'extension/core/machines/vm/x.ts', imports: "import { a } from '../../../../webview/colo/protocol';", refused: /browser code/ },
  { layer: 'core', file: 'extension/core/machines/vm/x.ts', imports: "import { a } from '../../../presentation/colo/colo-words';", refused: /presentation layer/ },
  { layer: 'presentation', file: 'extension/presentation/colo/x.ts', imports: "import * as vscode from 'vscode';", refused: /shared with the CLI: no vscode import/ },
  { layer: 'presentation', file: 'extension/presentation/colo/x.ts', imports: "import { a } from '../../vscode/services';", refused: /editor glue/ },
  { layer: 'presentation', file: 'extension/presentation/colo/x.ts', imports: "import { a } from '../../cli/io';", refused: /CLI or the language server/ },
  { layer: 'presentation', file: 'extension/presentation/colo/x.ts', imports: "import { a } from '../../server/server';", refused: /CLI or the language server/ },
  { layer: 'presentation', file: 'extension/presentation/colo/x.ts', imports: "import { a } from '../../../webview/shared/dom';", refused: /webview runtime code/ },
  { layer: 'cli', file: 'extension/cli/commands/x.ts', imports: "import * as vscode from 'vscode';", refused: /without VS Code/ },
  { layer: 'cli', file: 'extension/cli/commands/x.ts', imports: "import { a } from '../../vscode/extension';", refused: /editor glue/ },
  { layer: 'server', file: 'extension/server/x.ts', imports: "import * as vscode from 'vscode';", refused: /without VS Code/ },
  { layer: 'server', file: 'extension/server/x.ts', imports: "import { a } from '../vscode/services';", refused: /editor glue/ },
  { layer: 'webview', file: 'webview/colo/x.ts', imports: "import { a } from '../../extension/presentation/colo/colo-words';", refused: /must not import extension code/ },
  { layer: 'webview', file: 'webview/colo/x.ts', imports: "import { a } from '../../extension/core/errors';", refused: /must not import extension code/ },
  { layer: 'webview', file: 'webview/colo/x.ts', imports: "import * as vscode from 'vscode';", refused: /runs in the browser/ },
  { layer: 'vscode', file: 'extension/vscode/x.ts', imports: "import { spawn } from 'node:child_process';", refused: /HostPool/ },
];

describe('layer boundaries (eslint.config.mjs)', () => {
  const eslint = new ESLint({ cwd: repoRoot });

  for (const c of cases) {
    it(`${c.layer}: refuses ${c.imports}`, { timeout: 60_000 }, async () => {
      const messages = await restrictedImports(eslint, c.file, `${c.imports}\nexport const used = [${/import \* as (\w+)/.exec(c.imports)?.[1] ?? /\{ (\w+) \}/.exec(c.imports)?.[1]}];\n`);
      expect(messages.join('\n')).toMatch(c.refused);
    });
  }

  it('allows what each layer may import', { timeout: 60_000 }, async () => {
    const allowed: readonly [string, string][] = [
      ['extension/vscode/x.ts', "import * as vscode from 'vscode';\nimport { describeError } from '../core/errors';\nexport const used = [vscode, describeError];\n"],
      ['extension/cli/x.ts', "import { describeError } from '../core/errors';\nexport const used = [describeError];\n"],
      ['extension/vscode/x.ts', "import { isFromResultsWebview } from '../../webview/results/protocol';\nexport const used = [isFromResultsWebview];\n"],
      ['extension/vscode/x.ts', "import { stateWords } from '../presentation/colo/colo-words';\nexport const used = [stateWords];\n"],
      ['extension/cli/x.ts', "import { stateWords } from '../presentation/colo/colo-words';\nexport const used = [stateWords];\n"],
      ['extension/presentation/colo/x.ts', "import { describeError } from '../../core/errors';\nexport const used = [describeError];\n"],
      ['extension/presentation/colo/x.ts', "import { isColoViewModel } from '../../../webview/colo/model';\nimport { isRecord } from '../../../webview/shared/guards';\nimport type { ToColoWebview } from '../../../webview/colo/protocol';\nexport const used: [unknown, unknown, ToColoWebview | undefined] = [isColoViewModel, isRecord, undefined];\n"],
    ];
    for (const [file, code] of allowed) expect(await restrictedImports(eslint, file, code), file).toEqual([]);
  });
});
