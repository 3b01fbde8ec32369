// A hung first COLO checkpoint, from the tree: the same loopback pair as colo.scenario.ts but
// with a 2 s checkpoint delay, so "Start COLO Pair" watches the first checkpoint — which QEMU
// 7.2 under TCG deadlocks. The editor must say so plainly with the hint (a QEMU limit, what to
// do), end both QEMUs (teardown fails the test on any leftover process), and show no pair.
// Under QEMU 10.0 before 10.0.7 (QEMU_LAB_QEMU pointing at it) the primary never enters COLO
// instead: the other error of that kind, which ends both QEMUs too.
import * as assert from 'node:assert/strict';
import { settledVmRow } from '../harness/hosts-view';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const LAB = `vms:
  vm1: { image: builtin, cpus: 1, memory: 256M, accel: tcg, machine: pc, nic: virtio, network: user,
         faultTolerance: { mode: colo, secondary: local, checkpointDelay: 2s } }
`;

export const scenario = defineScenario({
  name: 'COLO hung checkpoint: Start COLO Pair reports it with its hint and leaves no QEMU',
  workspace: { 'qemu-lab.yaml': LAB },
  // The COLO error is the point: checked below, and that it is the only error.
  expectErrorNotifications: true,
  timeoutMs: 300_000,
  async run({ workbench, step }) {
    await step('open the QEMU Lab view', () => workbench.openActivity('QEMU Lab'));
    const view = workbench.view('Hosts and VMs');
    const row = () => waitFor('the vm1 row', async () => (await workbench.treeRows(view)).find((r) => /^vm1\b/.test(r)));
    await step('vm1 is stopped, without a pair', () => settledVmRow(workbench, view, 'vm1', 'stopped · COLO: no pair'));
    await step('Start COLO Pair from the context menu', () => workbench.contextMenu(workbench.treeRow(view, 'vm1'), 'Start COLO Pair'));
    const error = await step('an error says the checkpoint hung (or COLO never began), with the hint', () =>
      waitFor('the COLO error', async () => (await workbench.notificationItems()).find((n) => n.severity === 'error' && /COLO/.test(n.message))?.message, { timeoutMs: 200_000 }),
    );
    console.log(`    error: ${error}`);
    assert.match(
      error,
      /stopped answering QMP for \d+\.\d s during a checkpoint .*both QEMUs of the pair were killed\. QEMU 7\.2 under TCG deadlocks at the first COLO checkpoint|never entered COLO.*both QEMUs of the pair were killed\. QEMU 10\.0 before 10\.0\.7/,
    );
    assert.equal((await workbench.notificationItems()).filter((n) => n.severity === 'error').length, 1, 'one error notification, the COLO one');
    await step('the tree shows vm1 stopped, without a pair', () => waitFor('vm1 stopped, no pair', async () => (/^vm1 stopped · COLO: no pair/.test(await row()) ? true : undefined), { timeoutMs: 30_000 }));
  },
});
