import { describe, expect, it } from 'vitest';
import { adoptEntryEdit, applyOffsetEdit, vmNameForDomain } from '../../../extension/core/lab/adopt-entry';
import { parseLabText } from '../../../extension/core/lab/parse';

const LAB = '/labs/course/qemu-lab.yaml';
const text = [
  '# The course lab',
  'hosts:',
  '  lv: { kind: libvirt, uri: "qemu:///system" }  # the rack',
  '  b: { kind: ssh, address: 10.0.0.2 }',
  'vms:',
  '  vm1:',
  '    host: lv',
  '    memory: 512M   # small',
  '',
  'experiments:',
  '  cpu: { vm: vm1 }',
  '',
].join('\n');

function adopt(request: Parameters<typeof adoptEntryEdit>[2], source = text): { text: string; name: string } | string {
  const lab = parseLabText(source, LAB).lab;
  if (lab === undefined) throw new Error('no lab');
  const result = adoptEntryEdit(source, lab, request);
  return result.ok ? { text: applyOffsetEdit(source, result.edit), name: result.name } : result.problem;
}

describe('adoptEntryEdit: the VM "Add to Lab" and qemu-lab adopt write', () => {
  it('adds the VM in the file\'s own style, keeping comments, and the result parses to the adopted VM', () => {
    const result = adopt({ host: 'lv', domain: 'Web_Prod', address: '192.168.122.50', user: 'debian', identity: '/labs/course/keys/web', sshPort: 2222 });
    if (typeof result === 'string') throw new Error(result);
    expect(result.name).toBe('web_prod');
    expect(result.text).toBe(
      text.replace(
        '    memory: 512M   # small\n',
        '    memory: 512M   # small\n  web_prod:\n    host: lv\n    domain: "Web_Prod"\n    address: 192.168.122.50\n    sshPort: 2222\n    user: debian\n    identity: keys/web\n',
      ),
    );
    const parsed = parseLabText(result.text, LAB);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.lab?.vms.get('web_prod')?.adopted).toEqual({ domain: 'Web_Prod', address: '192.168.122.50', sshPort: 2222, user: 'debian', identity: 'keys/web' });
  });

  it('leaves defaults out, keeps a key outside the lab folder absolute, and takes --name', () => {
    const result = adopt({ host: 'lv', domain: 'db', name: 'database', identity: '/home/me/.ssh/id_ed25519' });
    if (typeof result === 'string') throw new Error(result);
    expect(result.text).toContain('  database:\n    host: lv\n    domain: "db"\n    identity: /home/me/.ssh/id_ed25519\n');
  });

  it('refuses a name already used, a non-libvirt or unknown host, a domain adopted already, bad values', () => {
    expect(adopt({ host: 'lv', domain: 'x', name: 'vm1' })).toBe('The lab file has a VM "vm1" already: choose another name.');
    expect(adopt({ host: 'b', domain: 'x' })).toMatch(/Host "b" is kind ssh: only a kind: libvirt host has domains to adopt/);
    expect(adopt({ host: 'nope', domain: 'x' })).toMatch(/no host "nope"/);
    expect(adopt({ host: 'lv', domain: '-x' })).toMatch(/not a libvirt domain name/);
    expect(adopt({ host: 'lv', domain: 'x', address: 'web.example' })).toMatch(/not an IP address/);
    expect(adopt({ host: 'lv', domain: 'x', user: 'Root' })).toMatch(/not a Linux user name/);
    expect(adopt({ host: 'lv', domain: 'x', name: '.hidden' })).toMatch(/not a VM name/);
    const once = adopt({ host: 'lv', domain: 'web' });
    if (typeof once === 'string') throw new Error(once);
    expect(adopt({ host: 'lv', domain: 'web', name: 'web2' }, once.text)).toBe('VM "web" of the lab adopts the domain "web" already.');
  });

  it('makes a VM name from a domain name', () => {
    expect(vmNameForDomain('Ubuntu 24.04 (server)')).toBe('ubuntu-24.04-server');
    expect(vmNameForDomain('---')).toBe('vm');
  });
});
