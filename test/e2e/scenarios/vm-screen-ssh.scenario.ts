// A VM's screen on an SSH host: the lab's host is a network namespace with a real sshd, its VM
// (the built-in guest with `vnc: true`) booted there by the CLI before the editor starts. Open
// Screen relays the VM's VNC UNIX socket through the editor's one SSH connection to the host
// (sshd's streamlocal forwarding): noVNC paints the guest's shell, and a command typed through
// the panel writes to the guest's serial port (its log is on this machine: the namespace shares
// the file system).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetnsHosts } from '../../support/netns/netns-hosts';
import { paintedPixels } from '../harness/panels';
import { defineScenario } from '../harness/scenario';
import { sshHostLab } from '../harness/ssh-host-lab';
import { waitFor } from '../harness/workbench';

interface ScreenLab {
  readonly hosts: NetnsHosts;
  /** The VMs' run directories on the host (this machine's file system). */
  readonly remoteState: string;
}

/** The serial log of vm1 on lab1, once its run directory exists. */
function serialLogOf(remoteState: string): string | undefined {
  const vms = join(remoteState, 'vms');
  const dir = existsSync(vms) ? readdirSync(vms).find((name) => name.endsWith('-vm1@lab1')) : undefined;
  return dir === undefined ? undefined : join(vms, dir, 'serial.log');
}

export const scenario = defineScenario<ScreenLab>({
  name: 'a VM\'s screen on an SSH host, through the host\'s SSH connection',
  timeoutMs: 360_000,
  async setUp({ workspace }) {
    const lab = await sshHostLab({ workspace, prefix: 'qle-scr-', vmKeys: () => 'cpus: 1, memory: 256M, accel: tcg, network: user, vnc: true' });
    return { env: lab.env, fixture: { hosts: lab.hosts, remoteState: lab.remoteState }, tearDown: () => lab.tearDown() };
  },
  async run({ workbench, step }, lab) {
    await step('open the QEMU Lab view', () => workbench.openActivity('QEMU Lab'));
    const view = workbench.view('Hosts and VMs');
    await step('vm1 is running on lab1', () =>
      waitFor('vm1 running', async () => ((await workbench.treeRows(view)).some((r) => /^vm1 running\b/.test(r)) ? true : undefined), { timeoutMs: 60_000 }),
    );
    lab.hosts.assertAlive();
    await step('Open Screen from the context menu', () => workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Open Screen'));
    const frame = workbench.webview();
    await step('the panel is connected to vm1 on lab1', () => frame.locator('.status', { hasText: 'Connected. Click the screen' }).first().waitFor({ timeout: 60_000 }));
    await step('noVNC paints the guest\'s screen', () =>
      waitFor('a painted screen canvas', async () => ((await paintedPixels(frame)) > 2_000 ? true : undefined), { timeoutMs: 60_000 }),
    );
    await step('a command typed through the panel writes to the guest\'s serial port', async () => {
      lab.hosts.assertAlive();
      const field = frame.locator('input[aria-label="Text to type into the guest"]');
      await field.fill('echo screen-over-ssh >/dev/ttyS0');
      await field.press('Enter');
      await waitFor('"screen-over-ssh" on the serial log', async () => {
        const log = serialLogOf(lab.remoteState);
        return log !== undefined && existsSync(log) && readFileSync(log, 'utf8').includes('screen-over-ssh') ? true : undefined;
      }, { timeoutMs: 30_000 });
    });
    // The screen keeps the keyboard (keys go to the guest) until something else is clicked.
    await step('a click on the tree takes the keyboard back; the VM keeps running', async () => {
      await workbench.treeRow(view, 'vm1').click();
      await waitFor('vm1 still running', async () => ((await workbench.treeRows(view)).some((r) => /^vm1 running\b/.test(r)) ? true : undefined));
    });
  },
});
