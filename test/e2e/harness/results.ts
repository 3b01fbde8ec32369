// What a run reports: one entry per UI scenario and per extension-host test, written to
// test-results/e2e/results.json (scripts/test.mjs adds its counts to `npm test`'s total).

export type Outcome = 'passed' | 'failed' | 'skipped';

export interface TestResult {
  readonly kind: 'ui' | 'extension-host';
  readonly name: string;
  readonly outcome: Outcome;
  readonly durationMs: number;
  readonly error?: string;
  /** Where the failure's screenshots and logs are (relative to the repository). */
  readonly artifacts?: string;
}

export interface RunReport {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly durationMs: number;
  readonly tools: { readonly codeServer: string; readonly vscode: string; readonly node: string; readonly chromium: string };
  readonly tests: readonly TestResult[];
  readonly measurements: Readonly<Record<string, unknown>>;
}
