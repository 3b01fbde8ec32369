// The editor's settings decide which QEMU runs and where its state goes: a user's
// `qemuLab.hostQemu` ({ local: "11.1" }, the private QEMU 11.1 `qemu-lab qemu install` makes)
// and `qemuLab.stateDirectory` (a folder of this scenario's own, over the QEMU_LAB_STATE_DIR the
// harness sets). The host row shows QEMU 11.1; the language server checks the lab file against
// that same probe (it asks the editor: one probe per session), so its problem names 11.1; a VM
// booted from the tree runs that QEMU with its sockets in that folder, and the Settings editor
// lists the settings (screenshot for the README).
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { qemuLabCacheBase } from '../../../extension/core/infrastructure/files/cache-base';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { settledVmRow } from '../harness/hosts-view';
import { runCliToEnd } from '../harness/run-cli';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const LAB = `vms:
  vm1: { image: builtin, cpus: 1, memory: 256M, accel: tcg, network: user }
  vm2: { image: builtin, memory: 256M, accel: tcg, network: user, machine: pc-q35-99.0 }
`;

/** This run's own state folder: short (QMP socket paths stay under 108 bytes), unique per runner. */
const STATE = `/tmp/qle-set-${process.pid}`;

export const scenario = defineScenario({
  name: 'settings: qemuLab.hostQemu picks the QEMU a host runs, qemuLab.stateDirectory where its state goes',
  workspace: { 'qemu-lab.yaml': LAB },
  timeoutMs: 300_000,
  settings: { 'qemuLab.hostQemu': { local: '11.1' }, 'qemuLab.stateDirectory': STATE },
  async setUp({ workspace, repoRoot }) {
    mkdirSync(STATE, { recursive: true, mode: 0o700 });
    // QEMU 11.1 where the editor's cache is (a moment when the test set-up already installed it;
    // minutes on a machine that never had it).
    await runCliToEnd(repoRoot, ['qemu', 'install', '11.1'], workspace, { ...process.env, QEMU_LAB_CACHE_DIR: qemuLabCacheBase(process.env) });
    return { fixture: undefined, tearDown: async () => rmSync(STATE, { recursive: true, force: true }) };
  },
  async run({ workbench, step, publishScreenshot }) {
    await step('open the QEMU Lab view', () => workbench.openActivity('QEMU Lab'));
    const view = workbench.view('Hosts and VMs');
    const localRunsNewQemu = async () => (await workbench.treeRows(view)).find((r) => /^local\b.*QEMU 11\.1\.\d+/.test(r));
    // code-server hands the remote machine's settings to the extension host once it has read
    // them, which on a loaded machine can be after activation: the extension then says its
    // settings changed and offers a window reload, which a user takes.
    const lateSettings = /settings changed since this window started/;
    await step('the local host runs QEMU 11.1 (qemuLab.hostQemu), not the system QEMU', async () => {
      const seen = await waitFor('local: QEMU 11.1, or the offer to reload for settings that came late', async () => (await localRunsNewQemu()) ?? ((await workbench.notifications()).some((n) => lateSettings.test(n)) ? 'reload' : undefined), {
        timeoutMs: 60_000,
      });
      // Out of the way of the steps after (the notification center opens to be read).
      if (await workbench.page.locator('.notifications-center').isVisible()) await workbench.runCommand('Notifications: Hide Notifications');
      if (seen !== 'reload') return;
      assert.ok(await workbench.clickNotificationAction(lateSettings, 'Reload Window'), 'the reload offer is in the notification center');
      await workbench.ready();
      await workbench.openActivity('QEMU Lab');
      await waitFor('local: QEMU 11.1 after the reload', localRunsNewQemu, { timeoutMs: 60_000 });
    });
    await step('the lab file\'s host check names QEMU 11.1: the server has the tree\'s probe', async () => {
      await workbench.openFile('qemu-lab.yaml');
      await waitFor('the machine-type problem of vm2', async () => (await workbench.problems()).find((row) => /QEMU on host "local" \(11\.1\.\d+\) has no machine type "pc-q35-99\.0"/.test(row)), {
        timeoutMs: 60_000,
      });
    });
    await step('vm1 is stopped', () => settledVmRow(workbench, view, 'vm1', 'stopped'));
    await step('Boot from the context menu', () => workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Boot'));
    await step('vm1 turns running', () =>
      waitFor('vm1 running', async () => (await workbench.treeRows(view)).find((r) => /^vm1 running\b/.test(r)), { timeoutMs: 180_000 }),
    );
    await step('its QEMU is 11.1 and its sockets are in qemuLab.stateDirectory', async () => {
      const qemus = qemuProcessesMentioning(STATE);
      assert.equal(qemus.length, 1, `one QEMU mentions ${STATE}: ${JSON.stringify(qemus)}`);
      const argv = qemus[0]?.argv.join(' ') ?? '';
      assert.match(argv, /\/qemu\/11\.1\.\d+\//, `the QEMU runs from the 11.1 install: ${argv}`);
      assert.match(argv, new RegExp(`${STATE}/vms/[^ ]*/qmp\\.sock`), `its QMP socket is under ${STATE}: ${argv}`);
    });
    await step('the Settings editor lists the QEMU Lab settings', async () => {
      await workbench.runCommand('Preferences: Open Settings (UI)');
      const editor = workbench.page.locator('.settings-editor').first();
      await editor.waitFor({ timeout: 30_000 });
      await workbench.page.keyboard.type('qemuLab.');
      // code-server runs the extension on its "remote": machine-scoped settings are on that tab.
      await editor.locator('.settings-tabs-widget .action-label', { hasText: /^Remote/ }).first().click({ timeout: 15_000 });
      // The list draws what fits the panel: the first two, alphabetically.
      await waitFor('Cache Directory and Host Qemu listed', async () => {
        const text = await editor.innerText().catch(() => '');
        return /Cache Directory/.test(text) && /Host Qemu/.test(text) ? true : undefined;
      });
    });
    await publishScreenshot('settings.png', workbench.page.locator('.settings-editor').first(), { maxHeight: 640 });
    await step('Power Down from the context menu', () => workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Power Down'));
    await step('vm1 turns stopped and its QEMU is gone', () =>
      waitFor('vm1 stopped', async () => ((await workbench.treeRows(view)).some((r) => /^vm1 stopped\b/.test(r)) && qemuProcessesMentioning(STATE).length === 0 ? true : undefined), {
        timeoutMs: 60_000,
      }),
    );
  },
});
