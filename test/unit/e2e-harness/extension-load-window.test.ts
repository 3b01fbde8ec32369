// The Load Code window of an ES-module extension, read from raw perf marks a real code-server
// printed (Developer: Startup Performance, captured in an e2e run with the view opened at start-up).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extensionLoadWindow } from '../../e2e/harness/extension-load-window';

const captured = readFileSync(join(__dirname, '../../fixtures/e2e/startup-performance-marks.txt'), 'utf8');

describe('extensionLoadWindow', () => {
  it('finds the import and the CommonJS load that ran inside it', () => {
    const window = extensionLoadWindow(captured, 'qemu-lab.qemu-lab', 3831);
    expect(window?.importMs).toBe(1796306972964 - 1796306969133);
    expect(window?.overlapping).toEqual([{ extension: 'vscode.markdown-language-features', msInside: 1796306972962 - 1796306969257 }]);
  });

  it('counts loads that ran before the import mark but inside the figure (its first await)', () => {
    // That run's figure was 6623 ms: it began 2792 ms before the import mark, while the loads of
    // github-authentication, emmet, configuration-editing, json, typescript, extension-editing and npm ran.
    const window = extensionLoadWindow(captured, 'qemu-lab.qemu-lab', 6623);
    expect(window?.overlapping.map((load) => load.extension)).toEqual([
      'vscode.github-authentication',
      'vscode.emmet',
      'vscode.configuration-editing',
      'vscode.json-language-features',
      'vscode.typescript-language-features',
      'vscode.extension-editing',
      'vscode.npm',
      'vscode.markdown-language-features',
    ]);
    expect(window?.overlapping[1]).toEqual({ extension: 'vscode.emmet', msInside: 1796306968123 - 1796306966530 });
    expect(window?.overlapping[0]?.msInside).toBe(1796306966530 - 1796306966347);
  });

  it('counts only the part of a load inside the window', () => {
    const text = ['code/extHost/willLoadExtensionCode/a.b  100', 'code/extHost/willLoadExtensionCode/me.x  150', 'code/extHost/didLoadExtensionCode/a.b  180', 'code/extHost/didLoadExtensionCode/me.x  200', 'code/extHost/willLoadExtensionCode/c.d  200', 'code/extHost/didLoadExtensionCode/c.d  260'].join('\n');
    expect(extensionLoadWindow(text, 'me.x', 50)).toEqual({ importMs: 50, overlapping: [{ extension: 'a.b', msInside: 30 }] });
    expect(extensionLoadWindow(text, 'me.x', 90)).toEqual({ importMs: 50, overlapping: [{ extension: 'a.b', msInside: 70 }] });
  });

  it('is undefined when the extension has not loaded yet', () => {
    expect(extensionLoadWindow('code/extHost/willLoadExtensionCode/me.x  150', 'me.x', 10)).toBeUndefined();
    expect(extensionLoadWindow('', 'me.x', 10)).toBeUndefined();
  });
});
