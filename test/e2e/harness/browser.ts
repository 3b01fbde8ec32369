// Debian's Chromium, driven by playwright-core (which downloads no browser of its own): one
// browser with a fresh profile per scenario.
import { mkdirSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { endMarked, type ProcessInfo } from './processes';
import type { Tools } from './tools';

export const BROWSER_MARKER = 'QEMU_LAB_E2E_BROWSER';

export interface LaunchedBrowser {
  readonly context: BrowserContext;
  /** Closes the browser; returns the processes that outlived it (a leak). */
  close(): Promise<ProcessInfo[]>;
}

function isLoopback(url: URL): boolean {
  if (['data:', 'blob:', 'about:'].includes(url.protocol)) return true;
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

export async function launchBrowser(
  tools: Tools,
  profileDir: string,
  marker: string,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<LaunchedBrowser> {
  mkdirSync(profileDir, { recursive: true });
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  // Chromium keeps crash reports and caches under XDG folders: the session's, not the user's.
  const xdg = `${profileDir}-xdg`;
  for (const sub of ['config', 'cache']) mkdirSync(`${xdg}/${sub}`, { recursive: true });
  Object.assign(env, extraEnv, { XDG_CONFIG_HOME: `${xdg}/config`, XDG_CACHE_HOME: `${xdg}/cache`, [BROWSER_MARKER]: marker });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: tools.chromium,
    headless: true,
    env,
    // The harness tears down on a signal itself (and a marker finds every process it missed).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    viewport: { width: 1400, height: 860 },
    deviceScaleFactor: 1,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      // No name resolves: nothing the workbench asks for can leave the machine.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
  // And every request to anywhere but the loopback code-server fails at once.
  await context.route((url) => !isLoopback(url), (route) => route.abort('blockedbyclient'));
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      return endMarked({ name: BROWSER_MARKER, value: marker }, undefined);
    },
  };
}
