// "Add to Lab" on a libvirt host's own domain (libvirt's test driver: virsh, no daemon): the user
// names the VM, picks the address libvirt reports in the quick pick, and the lab file has a VM
// that adopts the domain, written in the file's style and saved. Nothing starts.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const LAB = `hosts:
  lv: { kind: libvirt, uri: "test:///default" }
vms:
  web: { host: local, image: builtin, memory: 256M, accel: tcg }   # a lab VM
`;

export const scenario = defineScenario({
  name: 'Add to Lab on a libvirt domain writes a VM that adopts it, with the address libvirt reports',
  workspace: { 'qemu-lab.yaml': LAB },
  async run({ workbench, workspace, step }) {
    const page = workbench.page;
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await step('open the QEMU Lab view', () => workbench.openActivity('QEMU Lab'));
    const view = workbench.view('Hosts and VMs');
    await step('the libvirt host lists its own domain "test"', () =>
      waitFor('the test domain under lv', async () => (await workbench.treeRows(view)).find((r) => /^test running\b.*not in the lab$/.test(r)), { timeoutMs: 60_000 }),
    );
    await step('run "Add to Lab" from its context menu', () => workbench.contextMenu(workbench.treeRow(view, 'test'), 'Add to Lab'));
    await step('the name offered is the domain\'s; a used one is refused; name it "adopted"', async () => {
      await waitFor('the name box with "test"', async () => ((await input.inputValue().catch(() => '')) === 'test' ? true : undefined), { timeoutMs: 15_000 });
      await input.fill('web');
      await waitFor('the name refused', async () => ((await page.locator('.quick-input-widget').innerText()).includes('has a VM "web" already') ? true : undefined), { timeoutMs: 15_000 });
      await input.fill('adopted');
      await page.keyboard.press('Enter');
    });
    await step('the quick pick offers the address virsh domifaddr reports: pick it', async () => {
      const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: '192.168.122.3' }).first();
      await row.click({ timeout: 30_000 });
    });
    await step('the lab file has the VM, saved, in its flow style, its comment kept', async () => {
      const text = await waitFor('the saved entry', async () => {
        const now = readFileSync(join(workspace, 'qemu-lab.yaml'), 'utf8');
        return now.includes('adopted') ? now : undefined;
      });
      assert.equal(text, `${LAB}  adopted: { host: lv, domain: "test", address: 192.168.122.3 }\n`);
    });
  },
});
