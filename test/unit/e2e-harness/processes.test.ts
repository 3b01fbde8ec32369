// The e2e harness's accounting of what the extension started (test/e2e/harness/processes.ts),
// on real processes: a stand-in extension host (a node script where VS Code keeps its own, run
// with --type=extensionHost) and the kinds of processes a real one has around it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { extensionProcesses, signalGroup, signalPid, type ProcessInfo } from '../../e2e/harness/processes';

const root = mkdtempSync(join(tmpdir(), 'qemu-lab-harness-'));
const vscodeRoot = join(root, 'lib', 'vscode');
const marker = { name: 'QEMU_LAB_E2E_EXTHOST', value: `unit-${process.pid}` };
// Sleep lengths no other process on the machine uses, to tell the processes apart.
const seconds = (n: number): string => `${7000 + n}.${process.pid}`;
const started: ChildProcess[] = [];
let found: ProcessInfo[] = [];

afterAll(() => {
  for (const child of started) if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
  for (const p of found) signalPid(p.pid, 'SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('extensionProcesses', () => {
  it("counts what the extension host started (a daemon too), not the host, VS Code's own or the server's", async () => {
    mkdirSync(join(vscodeRoot, 'out'), { recursive: true });
    mkdirSync(join(vscodeRoot, 'extensions', 'json'), { recursive: true });
    // A built-in extension's server, and what it starts: VS Code's.
    writeFileSync(
      join(vscodeRoot, 'extensions', 'json', 'server.js'),
      `require('node:child_process').spawn('sleep', ['${seconds(3)}'], { stdio: 'ignore' }); setInterval(() => {}, 1000);\n`,
    );
    // The extension host: the extension's processes (one daemonized), and the built-in server.
    writeFileSync(
      join(vscodeRoot, 'out', 'bootstrap-fork.js'),
      [
        "const { spawn } = require('node:child_process');",
        `spawn('sleep', ['${seconds(1)}'], { stdio: 'ignore' });`,
        `spawn('sh', ['-c', 'sleep ${seconds(2)} >/dev/null 2>&1 &'], { stdio: 'ignore' });`,
        `spawn(process.execPath, [${JSON.stringify(join(vscodeRoot, 'extensions', 'json', 'server.js'))}], { stdio: 'ignore' });`,
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    );
    const env = { ...process.env, [marker.name]: marker.value };
    started.push(spawn(process.execPath, [join(vscodeRoot, 'out', 'bootstrap-fork.js'), '--type=extensionHost'], { env, detached: true, stdio: 'ignore' }));
    // What the server starts from its own environment (the shell-environment probe): not the extension's.
    started.push(spawn('sleep', [seconds(4)], { detached: true, stdio: 'ignore' }));

    const expected = [`sleep ${seconds(1)}`, `sleep ${seconds(2)}`];
    await vi.waitFor(
      () => {
        // Everything is up once VS Code's own grandchild is: then the answer must be exact.
        const all = extensionProcesses({ marker, vscodeRoot: '/nowhere' }).map((p) => p.command);
        expect(all).toContain(`sleep ${seconds(3)}`);
        expect(all).toContain(`sleep ${seconds(2)}`);
      },
      { timeout: 30_000, interval: 100 },
    );
    found = extensionProcesses({ marker, vscodeRoot });
    expect(found.map((p) => p.command).sort()).toEqual(expected);
    // The daemon left the tree: its parent is gone.
    const daemon = found.find((p) => p.command === `sleep ${seconds(2)}`);
    expect(daemon?.ppid).not.toBe(started[0]?.pid);
  });
});
