// The end-to-end suite: QEMU Lab in a real VS Code (code-server) in a real browser (Chromium).
// `npm run test:e2e` installs the tools (scripts/e2e/setup.mjs), builds the extension, and runs
// this: every UI scenario in test/e2e/scenarios/ and every extension-host suite in
// test/e2e/exthost/suites.ts, each in a fresh folder, server and browser. It ends with
// `N passed, N failed` and writes test-results/e2e/results.json and activation.json.
//
//   npm run test:e2e -- [NAME …] [--update-screenshots]
//     NAME                   run only scenarios/suites whose name contains NAME
//     --update-screenshots   rewrite media/screenshots/ from this run (else only missing ones)
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Locator } from 'playwright-core';
import type { ExtHostSuiteResult } from './exthost/mocha-runner';
import { extHostSuites, type ExtHostSuite } from './exthost/suites';
import { vscodeRoot } from './harness/code-server';
import { EXTENSION_HOST_MARKER, extensionProcesses, signalPid, STOP_GRACE_MS, type ProcessInfo } from './harness/processes';
import type { RunReport, TestResult } from './harness/results';
import type { Scenario, ScenarioContext, ScenarioSetUp } from './harness/scenario';
import { RUN_MARKER, Session } from './harness/session';
import { readTools, type Tools } from './harness/tools';

const repoRoot = resolve(__dirname, '..', '..');
const resultsDir = join(repoRoot, 'test-results', 'e2e');
const screenshotsDir = join(repoRoot, 'media', 'screenshots');

const DEFAULT_TIMEOUT_MS = 120_000;
const EXTHOST_TIMEOUT_MS = 180_000;

const args = process.argv.slice(2);
const updateScreenshots = args.includes('--update-screenshots') || process.env.QEMU_LAB_E2E_UPDATE_SCREENSHOTS === '1';
const filters = args.filter((a) => !a.startsWith('--'));
const selected = (name: string): boolean => filters.length === 0 || filters.some((f) => name.includes(f));

const runId = `${process.pid}-${randomBytes(4).toString('hex')}`;
const runDir = mkdtempSync(join(tmpdir(), 'qemu-lab-e2e-'));
/** Where this run bundles the extension-host suites: inside the repository (so `mocha` resolves
 * from its node_modules) but outside what git, eslint and the .vsix look at; one per run. */
const bundleDir = join(repoRoot, 'node_modules', '.cache', 'qemu-lab-e2e', runId);
const measurements: Record<string, unknown> = {};
let current: Session | undefined;
let interrupted = false;
let toolsOfRun: Tools | undefined;

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function describeLeftovers(leftovers: readonly ProcessInfo[], waited = `${STOP_GRACE_MS / 1000} s after the browser and the server were stopped`): string {
  return `started by the extension or the browser, still running ${waited} (killed now): ${leftovers.map((p) => `${p.pid} ${p.command.slice(0, 120)}`).join('; ')}`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function loadScenarios(): Promise<Scenario<unknown>[]> {
  const dir = join(__dirname, 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.scenario.ts')).sort();
  const scenarios: Scenario<unknown>[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { scenario?: Scenario<unknown> };
    if (module.scenario === undefined) throw new Error(`${file} exports no \`scenario\``);
    scenarios.push(module.scenario);
  }
  return scenarios;
}

async function bundleExtHostSuites(suites: readonly ExtHostSuite[]): Promise<void> {
  rmSync(bundleDir, { recursive: true, force: true });
  await build({
    entryPoints: Object.fromEntries(suites.map((s) => [s.name, join(__dirname, 'exthost', s.entry)])),
    outdir: bundleDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

/** Writes what a failed session leaves for a person to look at; returns the folder. */
function saveArtifacts(name: string, session: Session | undefined, shots: readonly { name: string; png: Buffer }[]): string {
  const dir = join(resultsDir, slug(name));
  mkdirSync(dir, { recursive: true });
  shots.forEach((shot, i) => writeFileSync(join(dir, `${String(i + 1).padStart(2, '0')}-${slug(shot.name)}.png`), shot.png));
  if (session !== undefined) {
    writeFileSync(join(dir, 'code-server.log'), session.serverLog);
    writeFileSync(join(dir, 'browser-console.log'), session.consoleLog.join('\n'));
  }
  return relative(repoRoot, dir);
}

async function runScenario(tools: Tools, scenario: Scenario<unknown>): Promise<TestResult> {
  const started = Date.now();
  const sessionDir = mkdtempSync(join(runDir, `${slug(scenario.name)}-`));
  const sessionId = `${runId}-${slug(scenario.name)}`;
  let setUp: ScenarioSetUp<unknown> | undefined;
  if (scenario.setUp !== undefined) {
    const workspace = Session.workspaceIn(sessionDir);
    mkdirSync(workspace, { recursive: true });
    try {
      setUp = await scenario.setUp({ workspace, repoRoot });
    } catch (caught) {
      return { kind: 'ui', name: scenario.name, outcome: 'failed', durationMs: Date.now() - started, error: `setUp: ${errorText(caught)}` };
    }
  }
  const session = new Session({
    tools,
    repoRoot,
    dir: sessionDir,
    runId,
    sessionId,
    workspaceFiles: scenario.workspace ?? {},
    server: {
      workspaceTrust: scenario.workspaceTrust ?? true,
      ...(scenario.settings ? { settings: scenario.settings } : {}),
      ...(setUp?.env ? { env: setUp.env } : {}),
    },
  });
  current = session;
  const shots: { name: string; png: Buffer }[] = [];
  const published: { file: string; png: Buffer }[] = [];
  let notifications: string[] = [];
  let error: unknown;
  try {
    await session.open();
    await session.workbench.ready();
    const context: ScenarioContext = {
      workbench: session.workbench,
      server: session.codeServer,
      workspace: session.workspace,
      repoRoot,
      async step(name, body) {
        try {
          return await body();
        } finally {
          const png = await session.screenshot();
          if (png !== undefined) shots.push({ name, png });
        }
      },
      async publishScreenshot(file: string, target?: Locator, options?: { maxHeight?: number }) {
        const page = session.workbench.page;
        // No hover tooltip in the picture: the pointer rests on the editor area's right edge.
        const viewport = page.viewportSize() ?? { width: 1400, height: 860 };
        await page.mouse.move(viewport.width - 3, viewport.height / 2);
        await page.waitForTimeout(500);
        const box = target !== undefined ? await target.boundingBox() : { x: 0, y: 0, ...viewport };
        if (box === null) throw new Error(`publishScreenshot(${file}): the target is not visible`);
        const height = Math.min(box.height, options?.maxHeight ?? box.height);
        const png = await page.screenshot({
          clip: { x: box.x, y: box.y, width: box.width, height },
          style: '.workbench-hover-container, .monaco-hover { visibility: hidden !important; }',
          timeout: 10_000,
        });
        published.push({ file, png });
      },
      record(key, value) {
        measurements[key] = value;
      },
      extensionProcesses: () => extensionProcesses({ marker: { name: EXTENSION_HOST_MARKER, value: sessionId }, vscodeRoot: vscodeRoot(tools) }),
    };
    await withTimeout(scenario.run(context, setUp?.fixture), scenario.timeoutMs ?? DEFAULT_TIMEOUT_MS, scenario.name);
    if (scenario.expectErrorNotifications !== true) {
      // An error the UI only showed as a notification (a command or a tree provider that threw)
      // fails the scenario even when what it looked at seemed fine.
      const errors = (await session.workbench.notificationItems()).filter((n) => n.severity === 'error');
      if (errors.length > 0) throw new Error(`error notification(s): ${errors.map((n) => `${n.message}${n.source ? ` (${n.source})` : ''}`).join(' | ')}`);
    }
  } catch (caught) {
    error = caught;
    const png = await session.screenshot();
    if (png !== undefined) shots.push({ name: 'failure', png });
    // What the workbench said meanwhile (e.g. the error a tree provider threw) explains most failures.
    const notes = await withTimeout(
      (async () => session.workbench.notificationItems())(), // throws at once when the page never loaded
      15_000,
      'reading the notifications',
    ).catch(() => []);
    if (notes.length > 0) notifications = notes.map((n) => `${n.severity}: ${n.message}${n.source ? ` (${n.source})` : ''}`);
  }
  const leftovers = await session.close();
  if (leftovers.length > 0 && error === undefined) error = new Error(describeLeftovers(leftovers));
  if (setUp !== undefined) {
    try {
      await setUp.tearDown();
    } catch (caught) {
      error ??= new Error(`tearDown: ${errorText(caught)}`);
    }
  }
  if (error !== undefined && notifications.length > 0) {
    error = `${errorText(error)}\nnotifications: ${notifications.join(' | ')}`;
  }
  current = undefined;
  const durationMs = Date.now() - started;
  if (error !== undefined) {
    return { kind: 'ui', name: scenario.name, outcome: 'failed', durationMs, error: errorText(error), artifacts: saveArtifacts(scenario.name, session, shots) };
  }
  for (const { file, png } of published) {
    mkdirSync(join(resultsDir, 'screenshots'), { recursive: true });
    writeFileSync(join(resultsDir, 'screenshots', file), png);
    if (updateScreenshots || !existsSync(join(screenshotsDir, file))) {
      mkdirSync(screenshotsDir, { recursive: true });
      writeFileSync(join(screenshotsDir, file), png);
      console.log(`    screenshot: media/screenshots/${file}`);
    }
  }
  return { kind: 'ui', name: scenario.name, outcome: 'passed', durationMs };
}

async function runExtHostSuite(tools: Tools, suite: ExtHostSuite): Promise<TestResult[]> {
  const started = Date.now();
  const sessionDir = mkdtempSync(join(runDir, `exthost-${suite.name}-`));
  const resultFile = join(sessionDir, 'exthost-result.json');
  const session = new Session({
    tools,
    repoRoot,
    dir: sessionDir,
    runId,
    sessionId: `${runId}-exthost-${suite.name}`,
    workspaceFiles: suite.workspace,
    server: { workspaceTrust: suite.workspaceTrust, env: { QEMU_LAB_E2E_RESULT: resultFile } },
    extensionTests: join(bundleDir, `${suite.name}.js`),
  });
  current = session;
  let error: unknown;
  let exitCode: number | undefined;
  try {
    await session.open();
    exitCode = await withTimeout(session.automationExit, EXTHOST_TIMEOUT_MS, `extension-host suite ${suite.name}`);
  } catch (caught) {
    error = caught;
  }
  const png = error !== undefined || exitCode !== 0 ? await session.screenshot() : undefined;
  const leftovers = await session.close();
  current = undefined;
  const name = (title: string): string => `[extension host] ${title}`;
  const durationMs = Date.now() - started;
  const results: TestResult[] = [];
  if (existsSync(resultFile)) {
    const report = JSON.parse(readFileSync(resultFile, 'utf8')) as ExtHostSuiteResult;
    Object.assign(measurements, report.measurements);
    for (const test of report.tests) {
      results.push({
        kind: 'extension-host',
        name: name(test.title),
        outcome: test.state === 'pending' ? 'skipped' : test.state,
        durationMs: test.durationMs,
        ...(test.error !== undefined ? { error: test.error } : {}),
      });
    }
  }
  const problem =
    error !== undefined
      ? errorText(error)
      : results.length === 0
        ? `the suite reported no test (extension host exit code ${exitCode})`
        : exitCode !== 0 && !results.some((r) => r.outcome === 'failed')
          ? `the extension host exited with ${exitCode} although every test passed`
          : leftovers.length > 0
            ? describeLeftovers(leftovers)
            : undefined;
  if (problem !== undefined) {
    results.push({ kind: 'extension-host', name: name(`${suite.name} suite`), outcome: 'failed', durationMs, error: problem });
  }
  if (results.some((r) => r.outcome === 'failed')) {
    const artifacts = saveArtifacts(`exthost-${suite.name}`, session, png !== undefined ? [{ name: 'failure', png }] : []);
    return results.map((r) => (r.outcome === 'failed' ? { ...r, artifacts } : r));
  }
  return results;
}

function printResult(result: TestResult): void {
  const mark = result.outcome === 'passed' ? '✓' : result.outcome === 'skipped' ? '-' : '✗';
  console.log(`  ${mark} ${result.name} (${(result.durationMs / 1000).toFixed(1)} s)`);
  if (result.outcome === 'failed') {
    console.log(`      ${(result.error ?? '').split('\n').slice(0, 12).join('\n      ')}`);
    if (result.artifacts !== undefined) console.log(`      screenshots and logs: ${result.artifacts}/`);
  }
}

function writeActivation(tools: Tools): void {
  const ui = measurements.activation as Record<string, unknown> | undefined;
  const extHost = measurements.extHostActivateMs as number | undefined;
  if (ui === undefined && extHost === undefined) return;
  const activation = {
    extension: 'qemu-lab.qemu-lab',
    measuredAt: new Date().toISOString(),
    vscode: tools.vscodeVersion,
    codeServer: tools.codeServerVersion,
    node: tools.nodeVersion,
    ...(ui !== undefined ? { startupPerformance: ui } : {}),
    ...(extHost !== undefined
      ? {
          extHostActivateMs: extHost,
          extHostActivateSource: 'performance.now() around vscode.extensions.getExtension(id).activate() in a fresh extension host (loads the bundle and runs activate())',
        }
      : {}),
  };
  writeFileSync(join(resultsDir, 'activation.json'), `${JSON.stringify(activation, null, 2)}\n`);
  const parts: string[] = [];
  if (ui !== undefined) {
    parts.push(`Startup Performance (${String(ui.event)}): load code ${String(ui.loadCodeMs)} ms, call activate ${String(ui.callActivateMs)} ms, finish activate ${String(ui.finishActivateMs)} ms`);
    if (typeof ui.importMs === 'number') parts.push(`the import() itself ${ui.importMs} ms`);
    const inside = ui.loadsInsideWindow as readonly { extension: string; msInside: number }[] | undefined;
    if (inside !== undefined && inside.length > 0) parts.push(`other extensions' loads inside its load: ${inside.map((load) => `${load.extension} ${load.msInside} ms`).join(', ')}`);
  }
  if (extHost !== undefined) parts.push(`ext.activate() in the extension host: ${extHost} ms`);
  console.log(`\nactivation: ${parts.join('; ')}  (test-results/e2e/activation.json)`);
}

/** What the browsers and the extension hosts of this run started and is still running, killed. */
async function finalLeakCheck(): Promise<ProcessInfo[]> {
  if (toolsOfRun === undefined) return [];
  const left = extensionProcesses({ marker: { name: RUN_MARKER, value: runId }, vscodeRoot: vscodeRoot(toolsOfRun) });
  for (const p of left) signalPid(p.pid, 'SIGKILL');
  return left;
}

async function main(): Promise<number> {
  const runStarted = Date.now();
  const tools = readTools();
  toolsOfRun = tools;
  const scenarios = (await loadScenarios()).filter((s) => selected(s.name));
  const suites = extHostSuites.filter((s) => selected(`exthost ${s.name}`) || selected(s.name));
  // Only what this run rewrites: another run in the same checkout may be writing the rest, and
  // activation.json stays until a run measures again (it carries its date).
  for (const stale of ['results.json', 'screenshots', ...scenarios.map((s) => slug(s.name)), ...suites.map((s) => slug(`exthost-${s.name}`))]) {
    rmSync(join(resultsDir, stale), { recursive: true, force: true });
  }
  mkdirSync(resultsDir, { recursive: true });
  console.log(`e2e: code-server ${tools.codeServerVersion} (VS Code ${tools.vscodeVersion}) on Node ${tools.nodeVersion}, ${tools.chromium}`);
  if (suites.length > 0) await bundleExtHostSuites(suites);

  const results: TestResult[] = [];
  for (const scenario of scenarios) {
    if (interrupted) break;
    console.log(`▶ ${scenario.name}`);
    const result = await runScenario(tools, scenario);
    results.push(result);
    printResult(result);
  }
  for (const suite of suites) {
    if (interrupted) break;
    console.log(`▶ extension host: ${suite.name}`);
    for (const result of await runExtHostSuite(tools, suite)) {
      results.push(result);
      printResult(result);
    }
  }
  const leaked = await finalLeakCheck();
  if (leaked.length > 0) {
    const result: TestResult = { kind: 'ui', name: 'no process left running', outcome: 'failed', durationMs: 0, error: describeLeftovers(leaked, 'at the end of the run') };
    results.push(result);
    printResult(result);
  }
  if (results.length === 0) {
    results.push({ kind: 'ui', name: 'selection', outcome: 'failed', durationMs: 0, error: `nothing matched ${filters.join(' ')}` });
  }

  const count = (outcome: string): number => results.filter((r) => r.outcome === outcome).length;
  const report: RunReport = {
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    durationMs: Date.now() - runStarted,
    tools: { codeServer: tools.codeServerVersion, vscode: tools.vscodeVersion, node: tools.nodeVersion, chromium: tools.chromium },
    tests: results,
    measurements,
  };
  writeFileSync(join(resultsDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeActivation(tools);
  console.log(`\ne2e: ${results.length} in ${(report.durationMs / 1000).toFixed(0)} s`);
  console.log(`${report.passed} passed, ${report.failed} failed${report.skipped > 0 ? `, ${report.skipped} skipped` : ''}`);
  return report.failed === 0 ? 0 : 1;
}

let exiting: Promise<never> | undefined;
function cleanUpAndExit(code: number): Promise<never> {
  exiting ??= cleanUp().then(() => process.exit(code));
  return exiting;
}

async function cleanUp(): Promise<void> {
  if (current !== undefined) await current.close().catch(() => undefined);
  await finalLeakCheck();
  for (const dir of [runDir, bundleDir]) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      console.error(`e2e: could not remove ${dir}: ${errorText(error)}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  // `on`, not `once`: a second Ctrl+C must not end the process half-way through the teardown.
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\ne2e: ${signal}: tearing down`);
    void cleanUpAndExit(130);
  });
}

main().then(
  (code) => cleanUpAndExit(code),
  async (error: unknown) => {
    console.error(errorText(error));
    console.log('0 passed, 1 failed');
    await cleanUpAndExit(1);
  },
);
