// A VM's screen on an SSH host: the lab's host is a network namespace with a real sshd, its VM
// (the built-in guest with `vnc: true`) booted there by the CLI before the editor starts. Open
// Screen relays the VM's VNC UNIX socket through the editor's one SSH connection to the host
// (sshd's streamlocal forwarding): noVNC paints the guest's shell, and a command typed through
// the panel writes to the guest's serial port (its log is on this machine: the namespace shares
// the file system).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createNetnsHosts, type NetnsHosts } from '../../support/netns/netns-hosts';
import { runCliProcess } from '../../support/run-cli';
import { paintedPixels } from '../harness/panels';
import { defineScenario } from '../harness/scenario';
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
    // Short paths: the VM's sockets live under the remote state, and a socket path has 107 bytes.
    const root = mkdtempSync('/tmp/qle-scr-');
    process.env.QEMU_LAB_TEST_ROOT ??= root;
    const remoteHome = join(root, 'rhome');
    mkdirSync(remoteHome, { recursive: true, mode: 0o700 });
    // The host's sessions get their own HOME: the VM's state lives there (the editor and the CLI
    // both use the host's default, ~/.local/state/qemu-lab), not in root's home.
    const hosts = createNetnsHosts({ hosts: 1, sshdConfig: [`SetEnv HOME=${remoteHome}`] });
    const remoteState = join(remoteHome, '.local', 'state', 'qemu-lab');
    try {
      const host = hosts.hosts[0];
      if (host === undefined) throw new Error('no namespace host');
      // The editor's user: its own HOME with the client key and the host's key already known.
      const home = join(root, 'home');
      mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
      const identity = join(home, '.ssh', 'id_ed25519');
      copyFileSync(hosts.clientKey, identity);
      copyFileSync(hosts.knownHosts, join(home, '.ssh', 'known_hosts'));
      const lab = join(workspace, 'qemu-lab.yaml');
      writeFileSync(
        lab,
        ['hosts:', `  lab1: { kind: ssh, address: ${host.address}, user: root, identity: ${identity} }`, 'vms:', '  vm1: { host: lab1, cpus: 1, memory: 256M, accel: tcg, network: user, vnc: true }', ''].join('\n'),
      );
      const env = { HOME: home, XDG_CACHE_HOME: join(homedir(), '.cache'), SSH_AUTH_SOCK: '' };
      const cli = (...args: string[]) => {
        hosts.assertAlive(); // Never talk to a namespace address that is not ours any more.
        return runCliProcess(['-f', lab, ...args], { cwd: workspace, env });
      };
      const up = await cli('up', 'vm1');
      if (up.code !== 0) throw new Error(`qemu-lab up vm1 failed (${up.code}):\n${up.stdout}${up.stderr}`);
      return {
        env,
        fixture: { hosts, remoteState },
        async tearDown() {
          try {
            await cli('kill', 'vm1');
          } finally {
            hosts.destroy();
            rmSync(root, { recursive: true, force: true });
          }
        },
      };
    } catch (error) {
      hosts.destroy();
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
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
