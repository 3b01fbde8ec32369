// One session: a fresh workspace folder, a fresh code-server, a fresh Chromium, and the workbench
// loaded with the extension under development (and, for extension-host suites, a test runner).
// close() ends every process of it and says which outlived their grace period.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { CodeServer, type CodeServerOptions } from './code-server';
import type { ProcessInfo } from './processes';
import type { Tools } from './tools';
import { Workbench } from './workbench';

/** The browser's processes and the extension host's carry this (with the run's id), as well as
 * their session's marker (see processes.ts). */
export const RUN_MARKER = 'QEMU_LAB_E2E_RUN';

export interface SessionOptions {
  readonly tools: Tools;
  readonly repoRoot: string;
  /** A fresh folder this session owns (the caller removes it). */
  readonly dir: string;
  readonly runId: string;
  readonly sessionId: string;
  readonly workspaceFiles: Readonly<Record<string, string>>;
  readonly server: CodeServerOptions;
  /** An extension-host test bundle (absolute path) to run through `extensionTestsPath`. */
  readonly extensionTests?: string;
}

export class Session {
  /** Lines the page logged as errors, and uncaught page errors. */
  readonly consoleLog: string[] = [];
  /** Settles with the extension host's exit code when an extension-host test run ends. */
  readonly automationExit: Promise<number>;
  private resolveExit: (code: number) => void = () => undefined;
  private server: CodeServer | undefined;
  private browser: LaunchedBrowser | undefined;
  private page: Page | undefined;
  private workbenchValue: Workbench | undefined;
  readonly workspace: string;

  /** The workspace folder of a session made in `dir`. */
  static workspaceIn(dir: string): string {
    return join(dir, 'workspace');
  }

  constructor(readonly options: SessionOptions) {
    this.workspace = Session.workspaceIn(options.dir);
    this.automationExit = new Promise<number>((resolve) => {
      this.resolveExit = resolve;
    });
  }

  get workbench(): Workbench {
    if (this.workbenchValue === undefined) throw new Error('session not open');
    return this.workbenchValue;
  }

  get codeServer(): CodeServer {
    if (this.server === undefined) throw new Error('session not open');
    return this.server;
  }

  get serverLog(): string {
    return this.server?.log ?? '';
  }

  async open(): Promise<void> {
    const { tools, dir, runId, sessionId, repoRoot } = this.options;
    mkdirSync(this.workspace, { recursive: true });
    for (const [relative, content] of Object.entries(this.options.workspaceFiles)) {
      mkdirSync(dirname(join(this.workspace, relative)), { recursive: true });
      writeFileSync(join(this.workspace, relative), content);
    }
    this.server = await CodeServer.start(tools, join(dir, 'server'), sessionId, {
      ...this.options.server,
      extensionHostEnv: { ...this.options.server.extensionHostEnv, [RUN_MARKER]: runId },
    });
    this.browser = await launchBrowser(tools, join(dir, 'chromium-profile'), sessionId, { [RUN_MARKER]: runId });
    const page = this.browser.context.pages()[0] ?? (await this.browser.context.newPage());
    this.page = page;
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') this.consoleLog.push(`[${message.type()}] ${message.text()}`);
    });
    page.on('pageerror', (error) => this.consoleLog.push(`[pageerror] ${error.stack ?? error.message}`));
    await page.exposeFunction('codeAutomationExit', (code: number) => this.resolveExit(code));

    const payload: [string, string][] = [
      ['extensionDevelopmentPath', this.server.remoteUri(repoRoot)],
      // The extension host's environment, and so that of everything the extension starts.
      ['extensionEnvironment', JSON.stringify(this.server.extensionHostEnv)],
    ];
    if (this.options.extensionTests !== undefined) payload.push(['extensionTestsPath', this.server.remoteUri(this.options.extensionTests)]);
    const url = `${this.server.origin}/?folder=${encodeURIComponent(this.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { timeout: 60_000 });
    this.workbenchValue = new Workbench(page);
  }

  async screenshot(): Promise<Buffer | undefined> {
    return this.page?.screenshot({ timeout: 10_000 }).catch(() => undefined);
  }

  /** Ends the browser and the server; returns every process that outlived its grace period. */
  async close(): Promise<ProcessInfo[]> {
    const leftovers: ProcessInfo[] = [];
    if (this.browser !== undefined) leftovers.push(...(await this.browser.close()));
    if (this.server !== undefined) leftovers.push(...(await this.server.stop()));
    this.browser = undefined;
    this.server = undefined;
    return leftovers;
  }
}
