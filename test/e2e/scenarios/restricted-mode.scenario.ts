// Restricted Mode (Workspace Trust) in the "Hosts and VMs" tree. The folder opens untrusted; its
// lab file names an SSH host — a network namespace with a real sshd — and a VM already running
// there (booted by the CLI before the editor starts). Showing the tree must not connect to the
// host (sshd's log says so), probe this machine or start any process: the tree says why and
// offers "Trust Workspace…". Trusting it through VS Code's Workspace Trust editor fills the tree
// in without a reload: the host is connected and the VM is running.
// (The extension-host suite `untrusted` checks that every command refuses in Restricted Mode.)
import * as assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetnsHost, NetnsHosts } from '../../support/netns/netns-hosts';
import type { ProcessInfo } from '../harness/processes';
import { defineScenario } from '../harness/scenario';
import { sshHostLab } from '../harness/ssh-host-lab';
import { waitFor } from '../harness/workbench';

interface TrustLab {
  readonly hosts: NetnsHosts;
  readonly host: NetnsHost;
  /** Bytes of sshd's log written before the editor started (the CLI's boot of the VM). */
  readonly sshdLogOffset: number;
}

/** sshd's log after `offset`: one "Connection from" line per TCP connection (LogLevel VERBOSE). */
function sshdLogSince(host: NetnsHost, offset: number): string {
  return readFileSync(host.sshdLog, 'utf8').slice(offset);
}

/**
 * Processes the extension started that were not there at `baseline`, but our language server,
 * which runs in Restricted Mode too (it checks lab files as text; what it starts counts).
 */
function startedSince(baseline: ReadonlySet<number>, now: readonly ProcessInfo[]): ProcessInfo[] {
  return now.filter((p) => !baseline.has(p.pid) && !/\/dist\/server\.js\b/.test(p.command));
}

export const scenario = defineScenario<TrustLab>({
  name: 'Restricted Mode: the hosts tree connects nowhere and starts nothing until the workspace is trusted',
  workspaceTrust: false,
  // No modal "Do you trust the authors?" at start: the tree itself must say it and offer it.
  settings: { 'security.workspace.trust.startupPrompt': 'never' },
  // Trusting the folder activates VS Code's own extensions held back in Restricted Mode; one of
  // code-server's (TypeScript features) fails to ("Not Found"). Ours are checked at the end.
  expectErrorNotifications: true,
  timeoutMs: 300_000,
  async setUp({ workspace }) {
    const lab = await sshHostLab({
      workspace,
      prefix: 'qle-trust-',
      // No OS: QEMU runs its firmware, which is enough. No cloud-init either, so `up` waits for no SSH.
      files: (root) => writeFileSync(join(root, 'blank.raw'), Buffer.alloc(1024 * 1024)),
      vmKeys: (root) => `image: ${join(root, 'blank.raw')}, cloudInit: false, cpus: 1, memory: 128M, accel: tcg, network: user`,
    });
    return { env: lab.env, fixture: { hosts: lab.hosts, host: lab.host, sshdLogOffset: statSync(lab.host.sshdLog).size }, tearDown: () => lab.tearDown() };
  },
  async run({ workbench, step, extensionProcesses }, lab) {
    // Every process of the server, sampled often from before the view is shown: a probe's
    // `qemu-system-x86_64 --version` lives for a moment only.
    const baseline = new Set(extensionProcesses().map((p) => p.pid));
    const started = new Map<number, ProcessInfo>();
    const sampler = setInterval(() => {
      for (const p of startedSince(baseline, extensionProcesses())) started.set(p.pid, p);
    }, 20);
    try {
      await step('open the QEMU Lab view', () => workbench.openActivity('QEMU Lab'));
      // What an untrusted tree would have done by now: connect, probe, follow the VM.
      await step('the tree has had its time (8 s)', () => workbench.page.waitForTimeout(8_000));
      await step("sshd's log shows no connection", async () => {
        const log = sshdLogSince(lab.host, lab.sshdLogOffset);
        assert.doesNotMatch(log, /Connection from|Accepted|preauth/, `the editor connected to the SSH host in Restricted Mode:\n${log}`);
      });
      await step('no process was started', async () => {
        const short = (command: string): string => (command.length <= 240 ? command : `${command.slice(0, 100)} … ${command.slice(-140)}`);
        const list = [...started.values()].map((p) => `${p.pid} (parent ${p.ppid}) ${short(p.command)}`);
        assert.deepEqual(list, [], `processes started in Restricted Mode:\n${list.join('\n')}`);
      });
    } finally {
      clearInterval(sampler);
    }
    const view = workbench.view('Hosts and VMs');
    await step('the tree says why and offers "Trust Workspace…"; no host or VM is shown', async () => {
      const rows = await waitFor('the Restricted Mode rows', async () => {
        const shown = await workbench.treeRows(view);
        return shown.some((r) => r.startsWith('Trust Workspace…')) ? shown : undefined;
      });
      assert.deepEqual(rows, ['Restricted Mode hosts and VMs are not checked', 'Trust Workspace… to see hosts and VMs']);
    });
    await step('"Trust Workspace…" opens Workspace Trust; trust the folder there', async () => {
      await workbench.treeRow(view, 'Trust Workspace…').click();
      await workbench.trustWorkspace();
    });
    await step('without a reload, the tree shows the host connected and the VM running', async () => {
      await waitFor(
        'lab1 connected and vm1 running',
        async () => {
          const rows = await workbench.treeRows(view);
          return rows.some((r) => /^vm1 running\b/.test(r)) && rows.some((r) => /^lab1\b/.test(r)) ? rows : undefined;
        },
        { timeoutMs: 60_000 },
      );
    });
    await step("and sshd's log shows the editor's connection", async () => {
      assert.match(sshdLogSince(lab.host, lab.sshdLogOffset), /Accepted publickey for root/);
    });
    await step('QEMU Lab showed no error', async () => {
      const ours = (await workbench.notificationItems()).filter((n) => n.severity === 'error' && /QEMU Lab/i.test(`${n.source} ${n.message}`));
      assert.deepEqual(ours, []);
    });
  },
});
