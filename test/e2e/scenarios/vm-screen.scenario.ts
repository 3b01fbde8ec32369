// A VM's screen in the editor: boot a VM that has one (`vnc: true`) from the tree, Open Screen
// from its context menu, see noVNC paint the guest's tty1 shell (relayed by the extension from the
// VM's private VNC UNIX socket), and type a command into the canvas whose effect shows on the
// guest's serial console, read in the Serial Console terminal.
import { paintedPixels } from '../harness/panels';
import { settledVmRow } from '../harness/hosts-view';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const LAB = `vms:
  vm1: { image: builtin, cpus: 1, memory: 256M, accel: tcg, nic: virtio, network: user, vnc: true }
`;

export const scenario = defineScenario({
  name: 'a VM\'s screen: Open Screen shows the guest console, and takes keys',
  workspace: { 'qemu-lab.yaml': LAB },
  timeoutMs: 360_000,
  // The DOM renderer, so the terminal's text can be read from the page.
  settings: { 'terminal.integrated.gpuAcceleration': 'off' },
  async run({ workbench, step, publishScreenshot }) {
    await step('open the QEMU Lab view', () => workbench.openActivity('QEMU Lab'));
    const view = workbench.view('Hosts and VMs');
    const row = () => waitFor('the vm1 row', async () => (await workbench.treeRows(view)).find((r) => /^vm1\b/.test(r)));
    // A settled tree: a right-click on a row the probe's refresh replaces hands Boot no VM.
    await step('vm1 is stopped', () => settledVmRow(workbench, view, 'vm1', 'stopped'));
    await step('Boot from the context menu', () => workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Boot'));
    await step('vm1 turns running', () => waitFor('vm1 running', async () => (/running · tcg/.test(await row()) ? true : undefined), { timeoutMs: 240_000 }));
    const terminalText = async () => (await workbench.page.locator('.terminal .xterm-rows').last().innerText().catch(() => '')).replace(/\u00a0/g, ' ');
    await step('Open Serial Console: the guest prompt', async () => {
      await workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Open Serial Console');
      await waitFor('the guest prompt in the terminal', async () => (/vm1:[^\n]*#/.test(await terminalText()) ? true : undefined), { timeoutMs: 30_000 });
    });
    await step('Open Screen from the context menu', () => workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Open Screen'));
    const frame = workbench.webview();
    await step('the panel says it is connected', () => frame.locator('.status', { hasText: 'Connected. Click the screen' }).first().waitFor({ timeout: 60_000 }));
    const painted = await step('noVNC paints the guest\'s screen', () =>
      waitFor('a painted screen canvas', async () => {
        const count = await paintedPixels(frame);
        return count > 2_000 ? count : undefined;
      }, { timeoutMs: 60_000 }),
    );
    console.log(`    painted pixels: ${painted}`);
    await publishScreenshot('vm-screen.png', workbench.page.locator('.part.editor').first());
    await step('a command typed into the canvas writes to the serial console', async () => {
      await frame.locator('[data-screen] canvas').first().click();
      const keyboard = workbench.page.keyboard;
      // '>' and 'S' as a keyboard makes them (Shift held, then the key): noVNC sends QEMU the keys
      // themselves, and Playwright's type() would send the key without the Shift.
      await keyboard.type('echo screen-ok ');
      await keyboard.press('Shift+Period');
      await keyboard.type('/dev/tty');
      await keyboard.press('Shift+KeyS');
      await keyboard.type('0');
      await keyboard.press('Enter');
      // Only its output reaches the serial console: the command itself was typed on tty1.
      await waitFor('"screen-ok" on the serial console', async () => ((await terminalText()).includes('screen-ok') ? true : undefined), { timeoutMs: 30_000 });
    });
    await step('text typed through the panel\'s field (no clipboard in QEMU\'s VNC without a guest agent) runs too', async () => {
      const field = frame.locator('input[aria-label="Text to type into the guest"]');
      await field.fill('echo typed-ok >/dev/ttyS0');
      await field.press('Enter');
      await waitFor('"typed-ok" on the serial console', async () => ((await terminalText()).includes('typed-ok') ? true : undefined), { timeoutMs: 30_000 });
    });
    await step('more of the screen is painted: the commands and a new prompt', () =>
      waitFor('more painted pixels', async () => ((await paintedPixels(frame)) > painted ? true : undefined), { timeoutMs: 30_000 }),
    );
    await step('Power Down from the context menu', () => workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Power Down'));
    await step('vm1 turns stopped', () => waitFor('vm1 stopped again', async () => ((await row()).includes('stopped') ? true : undefined), { timeoutMs: 60_000 }));
  },
});
