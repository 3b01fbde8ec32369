// A QEMU Lab setting changed in a running window (in the Settings editor, or handed over late by
// a remote window): the window keeps what it started with, says the settings changed and offers
// a reload; after the reload the extension runs on the new value (its log says what it took).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const LAB = `vms:
  vm1: { image: builtin, memory: 256M, accel: tcg, network: user }
`;

/** The state folder the Settings editor sets: this runner's own, never created (nothing boots). */
const NEW_STATE = `/tmp/qle-chg-${process.pid}`;

/** Every line of the extension's own logs under the server's log folder (one log per extension host). */
function extensionLogLines(logsDir: string): string[] {
  return readdirSync(logsDir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('QEMU Lab.log'))
    .flatMap((path) => readFileSync(join(logsDir, path), 'utf8').split('\n'));
}

export const scenario = defineScenario({
  name: 'settings changed in a running window: the reload offer, then the extension runs on the new value',
  workspace: { 'qemu-lab.yaml': LAB },
  timeoutMs: 240_000,
  async setUp() {
    // The extension may make the folder once it runs on it: this scenario's to remove.
    return { fixture: undefined, tearDown: async () => rmSync(NEW_STATE, { recursive: true, force: true }) };
  },
  async run({ workbench, server, step }) {
    const logsDir = join(dirname(dirname(server.userSettingsFile)), 'logs');
    const startedWithNewState = () => extensionLogLines(logsDir).some((line) => line.includes('settings at start:') && line.includes(`QEMU_LAB_STATE_DIR=${NEW_STATE},`));
    await step('open the QEMU Lab view', () => workbench.openActivity('QEMU Lab'));
    const view = workbench.view('Hosts and VMs');
    await step('the local host is probed', () => waitFor('local: its QEMU', async () => (await workbench.treeRows(view)).find((r) => /^local\b.*QEMU \d+\.\d+\.\d+/.test(r)), { timeoutMs: 60_000 }));
    assert.ok(!startedWithNewState(), 'the window started on the state folder the harness gave it');

    await step('set qemuLab.stateDirectory in the Settings editor', async () => {
      await workbench.runCommand('Preferences: Open Settings (UI)');
      const editor = workbench.page.locator('.settings-editor').first();
      await editor.waitFor({ timeout: 30_000 });
      await workbench.page.keyboard.type('qemuLab.stateDirectory');
      // code-server runs the extension on its "remote": machine-scoped settings are on that tab.
      await editor.locator('.settings-tabs-widget .action-label', { hasText: /^Remote/ }).first().click({ timeout: 15_000 });
      const item = editor.locator('.setting-item-contents').filter({ hasText: 'Lab: State Directory' }).first();
      const input = item.locator('input:not([type="number"])').first();
      await input.fill(NEW_STATE, { timeout: 15_000 });
      await input.press('Tab');
    });
    const offer = /settings changed since this window started/;
    await step('the window offers a reload', () => waitFor('the reload offer', async () => ((await workbench.notifications()).some((n) => offer.test(n)) ? true : undefined), { timeoutMs: 60_000 }));
    assert.ok(!startedWithNewState(), 'no extension host has taken the new folder before the reload');
    await step('Reload Window', async () => assert.ok(await workbench.clickNotificationAction(offer, 'Reload Window'), 'the offer has its Reload Window button'));
    await step('after the reload the extension starts on the new state folder', async () => {
      await workbench.ready();
      await workbench.openActivity('QEMU Lab');
      await waitFor(`the extension's log: settings at start with QEMU_LAB_STATE_DIR=${NEW_STATE}`, async () => (startedWithNewState() ? true : undefined), { timeoutMs: 60_000 });
    });
  },
});
