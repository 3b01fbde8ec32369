// Snapshots from the tree: a running VM opens onto its snapshots; Take Snapshot… saves one under
// the name typed, its row shows; Revert to Snapshot (confirmed in the dialog) puts the guest back —
// a file written after the snapshot is gone — and Delete Snapshot removes the row.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { settledVmRow } from '../harness/hosts-view';
import { runCliToEnd } from '../harness/run-cli';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const LAB = `vms:
  vm1: { image: builtin, cpus: 1, memory: 256M, accel: tcg, network: user }
`;

/** The VMs' state folder, the editor's and the CLI's alike (short: QMP socket paths stay under 108 bytes). */
interface SnapshotFixture {
  readonly state: string;
}

export const scenario = defineScenario<SnapshotFixture>({
  name: 'snapshots from the tree: take one, revert to it (the guest goes back), delete it',
  workspace: { 'qemu-lab.yaml': LAB },
  timeoutMs: 300_000,
  async setUp() {
    const state = mkdtempSync('/tmp/qle-snap-');
    return { env: { QEMU_LAB_STATE_DIR: state }, fixture: { state }, tearDown: async () => rmSync(state, { recursive: true, force: true }) };
  },
  async run({ workbench, workspace, repoRoot, step, publishScreenshot }, { state }) {
    const page = workbench.page;
    const env = { ...process.env, QEMU_LAB_STATE_DIR: state };
    const cli = (...args: string[]) => runCliToEnd(repoRoot, ['-f', join(workspace, 'qemu-lab.yaml'), ...args], workspace, env);
    /** Whether the guest has /root/after-snapshot, read over SSH through the real CLI. */
    const marked = (): boolean => {
      const out = execFileSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), '-f', join(workspace, 'qemu-lab.yaml'), 'ssh', 'vm1', '--', 'test -e /root/after-snapshot && echo yes || echo no'], {
        cwd: workspace,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      return out.trim().endsWith('yes');
    };
    await step('open the QEMU Lab view', () => workbench.openActivity('QEMU Lab'));
    const view = workbench.view('Hosts and VMs');
    await step('vm1 is stopped', () => settledVmRow(workbench, view, 'vm1', 'stopped'));
    await step('Boot from the context menu', () => workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Boot'));
    await step('vm1 turns running', () =>
      waitFor('vm1 running', async () => (await workbench.treeRows(view)).find((r) => /^vm1 running\b/.test(r)), { timeoutMs: 180_000 }),
    );
    await step('Take Snapshot… under the name typed', async () => {
      await workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Take Snapshot…');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ timeout: 15_000 });
      await input.fill('before-marker');
      await page.keyboard.press('Enter');
    });
    await step('vm1 opens onto the snapshot row', async () => {
      await workbench.treeRow(view, 'vm1').locator('.monaco-tl-twistie').click();
      await waitFor('the before-marker row', async () => (await workbench.treeRows(view)).find((r) => /^before-marker \d{4}-\d{2}-\d{2} .* memory \d+ MiB/.test(r)), { timeoutMs: 120_000 });
    });
    await publishScreenshot('vm-snapshots.png', workbench.sideBar(), { maxHeight: 200 });
    await step('a file written in the guest after the snapshot', async () => {
      await cli('ssh', 'vm1', '--', 'touch /root/after-snapshot && sync');
      assert.equal(marked(), true);
    });
    await step('Revert to Snapshot, confirmed: the file is gone', async () => {
      await workbench.contextMenu(workbench.treeRow(view, 'before-marker'), 'Revert to Snapshot');
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Revert$/ }).click({ timeout: 15_000 });
      await waitFor('the guest back at the snapshot', async () => (marked() ? undefined : true), { timeoutMs: 120_000, intervalMs: 3_000 });
      assert.match((await workbench.treeRows(view)).find((r) => /^vm1\b/.test(r)) ?? '', /^vm1 running\b/);
    });
    await step('Delete Snapshot, confirmed: the row goes, "No snapshots" comes', async () => {
      await workbench.contextMenu(workbench.treeRow(view, 'before-marker'), 'Delete Snapshot');
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Delete$/ }).click({ timeout: 15_000 });
      await waitFor('No snapshots under vm1', async () => ((await workbench.treeRows(view)).some((r) => /^No snapshots\b/.test(r)) ? true : undefined), { timeoutMs: 60_000 });
    });
    await step('Power Down from the context menu', () => workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Power Down'));
    await step('vm1 turns stopped', () => waitFor('vm1 stopped', async () => ((await workbench.treeRows(view)).some((r) => /^vm1 stopped\b/.test(r)) ? true : undefined), { timeoutMs: 60_000 }));
  },
});
