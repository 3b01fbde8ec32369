// How long activation takes, as VS Code itself measured it: "Developer: Startup Performance"
// lists, per extension, the extension host's own activation times (load code, call activate(),
// finish activate()). The QEMU Lab view is shown in a folder without a lab file, so the view is
// what activates the extension. Written to test-results/e2e/activation.json.
//
// For an ES-module extension "Load Code" is the wall time of an async import, so it also counts
// other extensions' synchronous loads that run meanwhile: the raw perf marks name them. With
// QEMU_LAB_E2E_ACTIVATION_SETTLE_MS (what `npm run bench activation` sets) the view is opened
// only after the extension host's start-up has settled, so the figure is the extension's own.
import * as assert from 'node:assert/strict';
import { defineScenario } from '../harness/scenario';
import { extensionLoadWindow } from '../harness/extension-load-window';
import { waitFor } from '../harness/workbench';

const ROW = /\|\s*qemu-lab\.qemu-lab\s*\|\s*(true|false)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*([^|]+?)\s*\|/;

export const scenario = defineScenario({
  name: 'activation time from Developer: Startup Performance',
  workspace: { 'README.md': '# not a lab\n' },
  async run({ workbench, step, record }) {
    const settleMs = Number(process.env.QEMU_LAB_E2E_ACTIVATION_SETTLE_MS ?? '0');
    if (!Number.isFinite(settleMs) || settleMs < 0) throw new Error(`QEMU_LAB_E2E_ACTIVATION_SETTLE_MS must be a number of ms, not "${String(process.env.QEMU_LAB_E2E_ACTIVATION_SETTLE_MS)}"`);
    if (settleMs > 0) await workbench.page.waitForTimeout(settleMs);
    await step('show the QEMU Lab view (activates the extension)', async () => {
      await workbench.openActivity('QEMU Lab');
      await workbench.view('Hosts and VMs').locator('.welcome-view-content, .monaco-list-row').first().waitFor({ timeout: 30_000 });
    });
    const match = await step('read the Extension Activation Stats row', () =>
      waitFor(
        'qemu-lab.qemu-lab in Extension Activation Stats',
        async () => {
          await workbench.runCommand('Developer: Startup Performance');
          await workbench.findInEditor('| qemu-lab.qemu-lab');
          const found = ROW.exec(await workbench.editorText());
          if (found === null) await workbench.page.keyboard.press('Control+W'); // not activated yet: reopen
          return found ?? undefined;
        },
        { timeoutMs: 60_000, intervalMs: 1_000 },
      ),
    );
    const [, eager, loadCode, callActivate, finishActivate, event] = match;
    const window = await step('read the raw perf marks around its code load', async () => {
      await workbench.findInEditor('code/extHost/willLoadExtensionCode/qemu-lab.qemu-lab');
      return extensionLoadWindow(await workbench.editorText(), 'qemu-lab.qemu-lab', Number(loadCode));
    });
    record('activation', {
      source: 'Developer: Startup Performance → Extension Activation Stats (the extension host’s ActivationTimes)',
      event,
      eager: eager === 'true',
      loadCodeMs: Number(loadCode),
      callActivateMs: Number(callActivate),
      finishActivateMs: Number(finishActivate),
      settleMs,
      ...(window !== undefined ? { importMs: window.importMs, loadsInsideWindow: window.overlapping } : {}),
    });
    assert.equal(eager, 'false', 'activated eagerly (at start-up)');
    assert.equal(event, 'onView:qemuLab.hosts');
  },
});
