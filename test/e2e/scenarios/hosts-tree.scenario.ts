// The "Hosts and VMs" tree shows the local host and, under it, the VMs of the workspace's lab; a
// libvirt host (libvirt's own test driver: virsh, no daemon) shows the domains it has that no
// lab file describes, read-only, and follows it by `virsh event` only while its row is expanded.
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const LAB = `hosts:
  local: { kind: local }
  lv: { kind: libvirt, uri: "test:///default" }
vms:
  web: { host: local, image: builtin, cpus: 1, memory: 512M, accel: tcg, nic: virtio, network: user }
  db: { host: local, image: builtin, cpus: 1, memory: 1G, accel: tcg, nic: e1000, network: user }
`;

export const scenario = defineScenario({
  name: 'the hosts tree shows the local host and the lab VMs',
  workspace: { 'qemu-lab.yaml': LAB },
  async run({ workbench, step, publishScreenshot, extensionProcesses }) {
    // The follower of lv: `virsh -c test:///default event --loop --all --timestamp`, started by the extension.
    const followers = (): number[] => extensionProcesses().filter((p) => /\bvirsh -c test:\/\/\/default event --loop\b/.test(p.command)).map((p) => p.pid);
    await step('open the QEMU Lab view', () => workbench.openActivity('QEMU Lab'));
    const view = workbench.view('Hosts and VMs');
    await step('the tree shows local, web and db', () =>
      waitFor('rows local, web and db', async () => {
        const labels = await workbench.treeLabels(view);
        return ['local', 'web', 'db'].every((name) => labels.includes(name)) ? labels : undefined;
      }),
    );
    await step('the local host has been probed', () =>
      waitFor('the local host without "probing…"', async () => (await workbench.treeRows(view)).find((r) => /^local\b/.test(r) && !r.includes('probing'))),
    );
    await step('the libvirt host lists its own domain, "test", read-only', () =>
      waitFor('the test domain under lv', async () => (await workbench.treeRows(view)).find((r) => /^test running\b.*not in the lab$/.test(r)), { timeoutMs: 60_000 }),
    );
    await publishScreenshot('hosts-tree.png', workbench.sideBar(), { maxHeight: 160 });
    const first = await step('lv is expanded: one virsh event follows it', () =>
      waitFor('one virsh event for lv', async () => {
        const pids = followers();
        return pids.length === 1 ? pids[0] : undefined;
      }),
    );
    await step('collapsing lv ends its virsh event', async () => {
      await workbench.treeRow(view, 'lv').locator('.monaco-tl-twistie').click();
      await waitFor('no virsh event for lv', async () => (followers().length === 0 ? true : undefined));
    });
    await step('expanding lv again reads it and follows it anew', async () => {
      await workbench.treeRow(view, 'lv').locator('.monaco-tl-twistie').click();
      await waitFor('the test domain under lv again', async () => (await workbench.treeRows(view)).find((r) => /^test running\b/.test(r)), { timeoutMs: 60_000 });
      const again = await waitFor('a new virsh event for lv', async () => {
        const pids = followers();
        return pids.length === 1 ? pids[0] : undefined;
      });
      if (again === first) throw new Error(`the virsh event of lv (pid ${first}) did not end when collapsed`);
    });
  },
});
