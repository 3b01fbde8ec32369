// The extension-host suites: each file runs in its own, fresh extension host (so one suite's
// activation never hides another's), with the workspace and trust given here. To add one: write
// test/e2e/exthost/NAME.suite.ts exporting `run = mochaSuite(...)`, and a line below.

export interface ExtHostSuite {
  readonly name: string;
  /** test/e2e/exthost/<entry> */
  readonly entry: string;
  /** Files of the workspace folder. The extension must not be active when a suite starts, so
   * a suite that measures activation opens a folder without a lab file. */
  readonly workspace: Readonly<Record<string, string>>;
  /** false: the folder opens in Restricted Mode. */
  readonly workspaceTrust: boolean;
}

export const extHostSuites: readonly ExtHostSuite[] = [
  { name: 'activation', entry: 'activation.suite.ts', workspace: {}, workspaceTrust: true },
  { name: 'lifecycle', entry: 'lifecycle.suite.ts', workspace: {}, workspaceTrust: true },
  { name: 'untrusted', entry: 'untrusted.suite.ts', workspace: { 'notes.txt': 'not a lab file\n' }, workspaceTrust: false },
];
