// The "Hosts and VMs" tree shows the local host and, under it, the VMs of the workspace's lab; a
// libvirt host (libvirt's own test driver: virsh, no daemon) shows the domains it has that no
// lab file describes, read-only.
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
  async run({ workbench, step, publishScreenshot }) {
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
  },
});
