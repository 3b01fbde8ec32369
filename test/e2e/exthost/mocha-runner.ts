// Runs inside the extension host (bundled by the harness to test/e2e/out/exthost/NAME.js and
// loaded through the workbench's `extensionTestsPath`). VS Code calls the bundle's `run()`; when
// its promise settles, the extension host exits and the page's `codeAutomationExit` receives
// 0 or 1. The per-test results go to the file named by QEMU_LAB_E2E_RESULT.
import Mocha from 'mocha';
import { writeFileSync } from 'node:fs';

export interface ExtHostTestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs: number;
  readonly error?: string;
}

export interface ExtHostSuiteResult {
  readonly tests: ExtHostTestResult[];
  readonly measurements: Record<string, unknown>;
}

const measurements: Record<string, unknown> = {};

/** A figure to report next to the results (e.g. activation time). */
export function measure(key: string, value: unknown): void {
  measurements[key] = value;
}

/**
 * Makes a suite's `run()`: `define` declares the tests with mocha's BDD functions (describe, it,
 * before …), passed in rather than global. Tests run in the order written.
 */
export function mochaSuite(define: (mocha: Mocha.MochaGlobals) => void): () => Promise<void> {
  return () =>
    new Promise<void>((resolve, reject) => {
      const output = process.env.QEMU_LAB_E2E_RESULT;
      const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
      const globals = {} as Mocha.MochaGlobals;
      mocha.suite.emit('pre-require', globals, 'extension-host-suite', mocha);
      define(globals);
      const tests: ExtHostTestResult[] = [];
      const runner = mocha.run((failures) => {
        try {
          if (output !== undefined) writeFileSync(output, JSON.stringify({ tests, measurements } satisfies ExtHostSuiteResult, null, 2));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else resolve();
      });
      runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 }));
      runner.on('pending', (test) => tests.push({ title: test.fullTitle(), state: 'pending', durationMs: 0 }));
      runner.on('fail', (test, error: Error) =>
        tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: error.stack ?? String(error) }),
      );
    });
}
