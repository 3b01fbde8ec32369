// A VM's life from the tree: boot it from its context menu, see it running with its accelerator
// and SSH endpoint, read the guest's prompt on its serial console, power it down.
import { defineScenario } from '../harness/scenario';
import { settledVmRow } from '../harness/hosts-view';
import { waitFor } from '../harness/workbench';

const LAB = `vms:
  vm1: { image: builtin, cpus: 1, memory: 512M, accel: tcg, nic: virtio, network: user }
`;

export const scenario = defineScenario({
  name: 'a VM boots from the tree, shows its console, and powers down',
  workspace: { 'qemu-lab.yaml': LAB },
  timeoutMs: 240_000,
  // The DOM renderer, so the terminal's text can be read from the page.
  settings: { 'terminal.integrated.gpuAcceleration': 'off' },
  async run({ workbench, step, publishScreenshot }) {
    await step('open the QEMU Lab view', () => workbench.openActivity('QEMU Lab'));
    const view = workbench.view('Hosts and VMs');
    const row = () => waitFor('the vm1 row', async () => (await workbench.treeRows(view)).find((r) => /^vm1\b/.test(r)));
    await step('vm1 is stopped', () => settledVmRow(workbench, view, 'vm1', 'stopped'));
    await step('Boot from the context menu', () => workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Boot'));
    const running = await step('vm1 turns running, with its accelerator and SSH endpoint', () =>
      waitFor('vm1 running', async () => {
        const text = await row();
        return /running · tcg · virtio · ssh 127\.0\.0\.1:\d+/.test(text) ? text : undefined;
      }, { timeoutMs: 180_000 }),
    );
    if (!running.includes('running')) throw new Error(`unexpected row ${running}`);
    await publishScreenshot('vm-running.png', workbench.sideBar(), { maxHeight: 160 });
    const status = workbench.statusBarItem('qemuLab.status');
    await step('the status bar counts it running', () =>
      waitFor('"1 VM running" in the status bar', async () => ((await status.innerText().catch(() => '')).includes('1 VM running') ? true : undefined)),
    );
    await publishScreenshot('status-bar-vm-running.png', status);
    await step('Open Serial Console shows the guest prompt', async () => {
      await workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Open Serial Console');
      await waitFor('the guest prompt in the terminal', async () => {
        const text = (await workbench.page.locator('.terminal .xterm-rows').last().innerText().catch(() => '')).replace(/\u00a0/g, ' ');
        return /vm1:[^\n]*#/.test(text) ? text : undefined;
      }, { timeoutMs: 30_000 });
    });
    await step('Power Down from the context menu', () => workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Power Down'));
    await step('vm1 turns stopped', () => waitFor('vm1 stopped again', async () => ((await row()).includes('stopped') ? true : undefined), { timeoutMs: 60_000 }));
    await step('the status bar item hides: nothing runs', () => waitFor('the status bar item hidden', async () => ((await status.isVisible()) ? undefined : true)));
  },
});
