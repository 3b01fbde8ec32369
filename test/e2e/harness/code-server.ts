// One code-server (a real VS Code server) for one scenario: its own user data, extensions,
// XDG and temp folders under the scenario's folder, on a free loopback port, in its own process
// session, ended with everything it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  EXTENSION_HOST_MARKER,
  endProcesses,
  extensionProcesses,
  processGroup,
  signalGroup,
  sleep,
  STOP_GRACE_MS,
  type ExtensionProcessQuery,
  type ProcessInfo,
} from './processes';
import type { Tools } from './tools';
import { qemuLabCacheBase } from '../../../extension/core/infrastructure/files/cache-base';

export interface CodeServerOptions {
  /** false: start without --disable-workspace-trust, so the folder opens untrusted. */
  readonly workspaceTrust: boolean;
  /** User settings, merged over the quiet defaults below. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Extra environment for the server and so for the extension host (e.g. a result file). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra environment for the extension host alone (and so for what it starts). */
  readonly extensionHostEnv?: Readonly<Record<string, string>>;
}

/** Settings that keep the workbench quiet and offline; nothing here concerns QEMU Lab. */
const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
  // The remote extension host scans /proc for listening ports (a child `sh -c ls -l /proc/…`)
  // once when it starts, then every few seconds while port finding is on — with a tunnel
  // provider registered even when auto-forwarding is off, unless the source is "output". Off,
  // for quiet; processes.ts tells the scan at the start apart from the extension's processes.
  'remote.autoForwardPorts': false,
  'remote.autoForwardPortsSource': 'output',
};

/** VS Code's installation inside code-server (`vscode.env.appRoot` in its extension host). */
export function vscodeRoot(tools: Tools): string {
  return resolve(dirname(tools.codeServer), '..', '..', 'lib', 'vscode');
}

/** A loopback address that answers nothing, for the extension gallery: no query leaves the machine. */
const NOWHERE = 'http://127.0.0.1:9';

/** Folders to remove when the run ends: one exit listener for all sessions, not one each. */
const removedAtExit: string[] = [];
function removeAtExit(dir: string): void {
  if (removedAtExit.length === 0) process.once('exit', () => removedAtExit.forEach((d) => rmSync(d, { recursive: true, force: true })));
  removedAtExit.push(dir);
}

export class CodeServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly extension: ExtensionProcessQuery,
    /** What the workbench passes to the extension host as its environment (see processes.ts). */
    readonly extensionHostEnv: Readonly<Record<string, string>>,
    readonly port: number,
    private readonly output: string[],
    /** The user settings file the workbench reads (and the Settings editor writes). */
    readonly userSettingsFile: string,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The remote authority the workbench uses for files on the server. */
  get authority(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** A file on the server as the workbench names it (vscode-remote://127.0.0.1:PORT/abs/path). */
  remoteUri(absolutePath: string): string {
    return `vscode-remote://${this.authority}${absolutePath}`;
  }

  get log(): string {
    return this.output.join('');
  }

  /** `marker`: this session's value of EXTENSION_HOST_MARKER. */
  static async start(tools: Tools, dir: string, marker: string, options: CodeServerOptions): Promise<CodeServer> {
    const userData = join(dir, 'user-data');
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2));
    for (const sub of ['extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'xdg-state', 'tmp', 'run', 'vm-state']) {
      mkdirSync(join(dir, sub), { recursive: true, mode: 0o700 });
    }
    const vmStateDir = mkdtempSync('/tmp/qle-');
    removeAtExit(vmStateDir);
    const config = join(dir, 'code-server.yaml');
    writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');

    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      // Nothing of an editor this harness may itself run in, nor an npm script's settings.
      if (value === undefined || /^(VSCODE_|ELECTRON_|npm_)/i.test(name)) continue;
      if (['PORT', 'CODE_SERVER_HOST', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN'].includes(name)) continue;
      env[name] = value;
    }
    Object.assign(env, {
      XDG_CONFIG_HOME: join(dir, 'xdg-config'),
      XDG_DATA_HOME: join(dir, 'xdg-data'),
      XDG_CACHE_HOME: join(dir, 'xdg-cache'),
      XDG_STATE_HOME: join(dir, 'xdg-state'),
      XDG_RUNTIME_DIR: join(dir, 'run'), // VS Code's IPC sockets
      TMPDIR: join(dir, 'tmp'),
      // VMs a scenario boots never mix with the user's; a short path, since a UNIX socket path
      // (the VM's QMP socket lives there) may not exceed 107 bytes.
      QEMU_LAB_STATE_DIR: vmStateDir,
      // …but the built lab guest is shared with the other test tiers: no rebuild per scenario.
      QEMU_LAB_CACHE_DIR: qemuLabCacheBase(process.env),
      EXTENSIONS_GALLERY: JSON.stringify({
        serviceUrl: `${NOWHERE}/gallery`,
        itemUrl: `${NOWHERE}/item`,
        resourceUrlTemplate: `${NOWHERE}/{publisher}/{name}/{version}/{path}`,
      }),
      // The server runs `$SHELL -i -l -c …` to learn the user's environment for the extension
      // host; bash -i would run root's ~/.bashrc (pyenv init here: seconds, and a lock shared
      // with every other shell). A login sh reads only /etc/profile and ~/.profile.
      SHELL: '/bin/sh',
      ...options.env,
    });

    const argv = [
      tools.codeServer,
      '--config', config,
      '--bind-addr', '127.0.0.1:0',
      '--auth', 'none',
      '--user-data-dir', userData,
      '--extensions-dir', join(dir, 'extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      // Lets the workbench honour the URL payload (extensionDevelopmentPath, extensionTestsPath)
      // in a built product, and exposes the automation hooks (codeAutomationExit).
      '--vscode-option', 'enable-smoke-test-driver',
      ...(options.workspaceTrust ? ['--disable-workspace-trust'] : []),
    ];
    const child = spawn(tools.node, argv, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not listen within 60 s:\n${output.join('')}`)), 60_000);
      const onData = (chunk: Buffer): void => {
        output.push(chunk.toString());
        const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output.join(''));
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${output.join('')}`));
      });
    });
    const extensionHostEnv = { ...options.extensionHostEnv, [EXTENSION_HOST_MARKER]: marker };
    const extension = { marker: { name: EXTENSION_HOST_MARKER, value: marker }, vscodeRoot: vscodeRoot(tools) };
    const server = new CodeServer(child, extension, extensionHostEnv, port, output, join(userData, 'User', 'settings.json'));
    await server.waitHealthy();
    return server;
  }

  private async waitHealthy(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const response = await fetch(`${this.origin}/healthz`);
        if (response.ok) return;
      } catch {
        // not yet
      }
      if (Date.now() > deadline) throw new Error(`code-server on ${this.origin} never answered /healthz`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The live processes the extension started in this server's extension host(s). */
  extensionProcesses(): ProcessInfo[] {
    return extensionProcesses(this.extension);
  }

  /**
   * Ends the server's process group (SIGTERM), and what the extension started with it; returns
   * what the extension started that outlived a 10 s grace period (killed then). What VS Code ran
   * outside the group on its own account (the shell-environment probe) is left to finish.
   */
  async stop(): Promise<ProcessInfo[]> {
    const pgid = this.child.pid;
    const leftovers = await endProcesses(() => this.extensionProcesses(), pgid, STOP_GRACE_MS);
    if (pgid !== undefined) {
      const deadline = Date.now() + 5_000;
      while (processGroup(pgid).length > 0 && Date.now() < deadline) await sleep(100);
      signalGroup(pgid, 'SIGKILL');
    }
    return leftovers;
  }
}
