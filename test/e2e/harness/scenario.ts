// A UI scenario: a small file in test/e2e/scenarios/ named NAME.scenario.ts that exports
// `scenario = defineScenario({ … })`. The runner gives each one a fresh workspace folder, a fresh
// code-server and a fresh browser, and tears all of it down afterwards, pass or fail.
import type { Locator } from 'playwright-core';
import type { CodeServer } from './code-server';
import type { ProcessInfo } from './processes';
import type { Workbench } from './workbench';

export interface ScenarioContext {
  readonly workbench: Workbench;
  readonly server: CodeServer;
  /** The workspace folder (absolute path on this machine). */
  readonly workspace: string;
  /** The repository root: the extension under test. */
  readonly repoRoot: string;
  /**
   * A named step. A screenshot is taken after each; on failure every step's screenshot, and one
   * of the moment it failed, land in test-results/e2e/SCENARIO/.
   */
  step<T>(name: string, body: () => Promise<T>): Promise<T>;
  /**
   * A screenshot for the README, of the page or of `target` (cut at `maxHeight` pixels): kept in
   * memory, written to media/screenshots/FILE only when the whole scenario passes (when missing
   * there, or with --update-screenshots), and always to test-results/e2e/screenshots/.
   */
  publishScreenshot(file: string, target?: Locator, options?: { maxHeight?: number }): Promise<void>;
  /** A measurement to report (test-results/e2e/results.json, and activation.json for "activation"). */
  record(key: string, value: unknown): void;
  /**
   * The live processes the extension started in this scenario (daemons that left the tree
   * included), never VS Code's own: the accounting of processes.ts `extensionProcesses`.
   */
  extensionProcesses(): ProcessInfo[];
}

/**
 * What a scenario's `setUp` made before its code-server starts: more environment for the server
 * (and so for the extension host), what `run` gets as its second argument, and how to undo it.
 */
export interface ScenarioSetUp<F> {
  readonly env?: Readonly<Record<string, string>>;
  readonly fixture: F;
  /** Runs after the session is closed, pass or fail. */
  tearDown(): Promise<void>;
}

export interface Scenario<F = undefined> {
  readonly name: string;
  /** Files of the workspace folder: relative path → content. Empty: a folder with no file. */
  readonly workspace?: Readonly<Record<string, string>>;
  /** false: the folder opens in Restricted Mode (default: trusted, --disable-workspace-trust). */
  readonly workspaceTrust?: boolean;
  /** User settings for this scenario's VS Code. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /**
   * After a scenario passes, the runner opens the notification center and fails the scenario if
   * it holds an error notification (a command or tree provider that threw shows one). Set this
   * when the scenario expects an error notification (and check its text yourself).
   */
  readonly expectErrorNotifications?: boolean;
  /** Default 120 s, from the workbench being ready. */
  readonly timeoutMs?: number;
  /**
   * Runs before the server starts, given the workspace folder's path (it may write files there;
   * `workspace`'s are written after): e.g. namespace SSH hosts a lab file names, a VM already
   * running. Not counted in `timeoutMs`.
   */
  setUp?(context: { readonly workspace: string; readonly repoRoot: string }): Promise<ScenarioSetUp<F>>;
  run(context: ScenarioContext, fixture: F): Promise<void>;
}

export function defineScenario<F = undefined>(scenario: Scenario<F>): Scenario<F> {
  return scenario;
}
