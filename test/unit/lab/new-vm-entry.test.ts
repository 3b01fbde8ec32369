import { describe, expect, it } from 'vitest';
import { addEntry } from '../../../extension/core/lab/add-entry';
import { diskVmEntryBody, vmNameForImage } from '../../../extension/core/lab/new-vm-entry';
import { parseLabText } from '../../../extension/core/lab/parse';
import { readLabStage } from '../../../extension/core/lab/staged-parse';

describe('New VM from Image…', () => {
  it('names the VM after its image, in the characters a lab name takes, and never as one taken', () => {
    expect(vmNameForImage('/img/debian-12-genericcloud-amd64.qcow2', new Set())).toBe('debian-12-genericcloud');
    expect(vmNameForImage('/img/Ubuntu 20.04 Server.img', new Set())).toBe('ubuntu-20.04-server');
    expect(vmNameForImage('/img/deb.qcow2', new Set(['deb', 'deb-2']))).toBe('deb-3');
    expect(vmNameForImage('/img/.qcow2', new Set())).toBe('vm');
  });

  it("writes the image relative to the lab file's folder when inside it, quoted when YAML needs it", () => {
    expect(diskVmEntryBody('/labs/course/images/deb.qcow2', '/labs/course')).toEqual(['image: images/deb.qcow2', 'memory: 1G', 'disk: 10G']);
    expect(diskVmEntryBody('/srv/images/deb.qcow2', '/labs/course')).toEqual(['image: /srv/images/deb.qcow2', 'memory: 1G', 'disk: 10G']);
    expect(diskVmEntryBody('/labs/course/my image: v2.qcow2', '/labs/course')[0]).toBe('image: "my image: v2.qcow2"');
  });

  it('adds an entry the lab file reads back, with the image it names, in block and flow style', () => {
    for (const text of ['vms:\n  vm1:\n    memory: 1G\n', 'vms:\n  vm1: { memory: 1G }\n', 'hosts:\n  local: { kind: local }\n']) {
      const added = addEntry({ text, tree: readLabStage(text, '/labs/course/qemu-lab.yaml').tree }, 'vms', 'deb', diskVmEntryBody('/labs/course/my image: v2.qcow2', '/labs/course'));
      expect(added, text).toBeDefined();
      const after = text.slice(0, added?.start) + (added?.newText ?? '') + text.slice(added?.end);
      const lab = parseLabText(after, '/labs/course/qemu-lab.yaml');
      expect(lab.diagnostics.filter((d) => d.severity === 'error'), after).toEqual([]);
      expect(lab.lab?.vms.get('deb')?.image, after).toBe('my image: v2.qcow2');
      expect(lab.lab?.vms.get('deb')?.diskBytes, after).toBe(10 * 1024 ** 3);
    }
  });
});
