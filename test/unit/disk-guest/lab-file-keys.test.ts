import { describe, expect, it } from 'vitest';
import { messages, summary } from '../lab/helpers';
import { parseLabText } from '../../../extension/core/lab/parse';

const vm = (body: string) => `vms:\n  vm1: { ${body} }\n`;
const model = (body: string) => parseLabText(vm(body), 'lab.yaml').lab?.vms.get('vm1');

describe('disk-guest keys of a VM', () => {
  it('a disk image logs in through cloud-init as "lab" unless user: says otherwise', () => {
    expect(model('image: /srv/d.qcow2')).toMatchObject({ login: { kind: 'cloud-init', user: 'lab' } });
    expect(model('image: /srv/d.qcow2, user: debian')).toMatchObject({ login: { kind: 'cloud-init', user: 'debian' } });
    expect(model('image: /srv/d.qcow2')?.diskBytes).toBeUndefined();
  });

  it('disk: is a size, at least 64 MiB', () => {
    expect(model('image: /srv/d.qcow2, disk: 10G')?.diskBytes).toBe(10 * 1024 ** 3);
    expect(summary(vm('image: /srv/d.qcow2, disk: 1M'))).toEqual(['2:37 error out-of-range']);
    expect(summary(vm('image: /srv/d.qcow2, disk: lots'))).toEqual(['2:37 error bad-size']);
  });

  it('without cloud-init, user and identity name the login; either missing is a warning saying what to add', () => {
    expect(model('image: /srv/d.qcow2, cloudInit: false, user: debian, identity: ~/.ssh/id_ed25519')).toMatchObject({
      login: { kind: 'manual', user: 'debian', identity: '~/.ssh/id_ed25519' },
    });
    const result = parseLabText(vm('image: /srv/d.qcow2, cloudInit: false, user: debian'), 'lab.yaml');
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning missing-key']);
    expect(result.diagnostics[0]?.message).toContain('add identity');
    expect(result.lab?.vms.get('vm1')?.login).toBeUndefined();
  });

  it('a user name that is not a Linux user name is an error; cloud-init then uses the default', () => {
    expect(summary(vm('image: /srv/d.qcow2, user: "-oProxyCommand=x"'))).toEqual(['2:37 error invalid-user']);
    expect(model('image: /srv/d.qcow2, user: "Root Me"')).toMatchObject({ login: { kind: 'cloud-init', user: 'lab' } });
  });

  it('identity with cloud-init, and every disk key on the built-in guest, are reported as ignored', () => {
    expect(summary(vm('image: /srv/d.qcow2, identity: /k'))).toEqual(['2:31 warning ignored-key']);
    expect(summary(vm('image: builtin, disk: 10G, user: x'))).toEqual(['2:26 warning ignored-key', '2:37 warning ignored-key']);
    expect(model('image: builtin, disk: 10G')?.login).toBeUndefined();
  });
});

describe('a blank disk and a CD-ROM to install from', () => {
  it('disk: without image: is a blank disk of that size, with no cloud-init and no login until one is named', () => {
    expect(summary(vm('disk: 10G, cdrom: debian.iso'))).toEqual([]);
    const blank = model('disk: 10G, cdrom: debian.iso');
    expect(blank).toMatchObject({ image: 'blank', diskBytes: 10 * 1024 ** 3, cdrom: 'debian.iso' });
    expect(blank?.login).toBeUndefined();
    expect(blank?.boot).toBeUndefined();
    expect(model('image: blank, disk: 8G, cdrom: /isos/d.iso, boot: disk')).toMatchObject({ image: 'blank', diskBytes: 8 * 1024 ** 3, cdrom: '/isos/d.iso', boot: 'disk' });
    expect(model('disk: 10G, cdrom: d.iso, user: debian, identity: ~/.ssh/id_ed25519')?.login).toEqual({ kind: 'manual', user: 'debian', identity: '~/.ssh/id_ed25519' });
  });

  it('a VM with neither image: nor disk: is still the built-in guest', () => {
    expect(model('cpus: 1')?.image).toBe('builtin');
  });

  it('errors say what to write: a blank disk without its size, a size that is no size or too small', () => {
    const noSize = parseLabText(vm('image: blank, cdrom: d.iso'), 'lab.yaml').diagnostics;
    expect(noSize.map((d) => `${d.severity} ${d.code}`)).toEqual(['error missing-key']);
    expect(noSize[0]?.message).toContain('add disk: 10G');
    expect(messages(vm('disk: lots, cdrom: d.iso'))).toEqual(['VM "vm1": disk "lots" is not a size: use 1G or 1024M']);
    expect(summary(vm('disk: 1M, cdrom: d.iso'))).toEqual(['2:16 error out-of-range']);
  });

  it('cdrom: on the built-in guest is an error naming the disk to add; boot: there is ignored', () => {
    const implicit = parseLabText(vm('cdrom: d.iso'), 'lab.yaml').diagnostics;
    expect(implicit.map((d) => `${d.span.line}:${d.span.column} ${d.severity} ${d.code}`)).toEqual(['2:10 error missing-key']);
    expect(implicit[0]?.message).toContain('add disk: 10G');
    expect(messages(vm('image: builtin, cdrom: d.iso'))[0]).toContain('replace image: builtin with disk: 10G');
    expect(summary(vm('boot: cdrom'))).toEqual(['2:10 warning ignored-key']);
  });

  it('boot: is cdrom or disk; boot: cdrom needs a cdrom: to boot, boot: disk without one changes nothing', () => {
    expect(summary(vm('disk: 10G, cdrom: d.iso, boot: floppy'))).toEqual(['2:41 error unknown-value']);
    const noCdrom = parseLabText(vm('image: /srv/d.qcow2, boot: cdrom'), 'lab.yaml').diagnostics;
    expect(noCdrom.map((d) => `${d.severity} ${d.code}`)).toEqual(['error missing-key']);
    expect(noCdrom[0]?.message).toContain('add cdrom: PATH.iso');
    expect(summary(vm('image: /srv/d.qcow2, boot: disk'))).toEqual(['2:31 warning ignored-key']);
  });

  it('a blank disk without a cdrom: warns that nothing boots; cloudInit: true on it is an error', () => {
    const nothing = parseLabText(vm('disk: 10G'), 'lab.yaml').diagnostics;
    expect(nothing.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning missing-key']);
    expect(nothing[0]?.message).toContain('add cdrom: PATH.iso');
    const cloud = parseLabText(vm('disk: 10G, cdrom: d.iso, cloudInit: true'), 'lab.yaml').diagnostics;
    expect(cloud.map((d) => `${d.severity} ${d.code}`)).toEqual(['error unknown-value']);
    expect(cloud[0]?.message).toContain('user: and identity:');
  });

  it('a disk image may carry a cdrom: too (it boots its disk unless boot: cdrom)', () => {
    expect(summary(vm('image: /srv/d.qcow2, cdrom: tools.iso'))).toEqual([]);
    expect(model('image: /srv/d.qcow2, cdrom: tools.iso, boot: cdrom')).toMatchObject({ cdrom: 'tools.iso', boot: 'cdrom', login: { kind: 'cloud-init' } });
  });

  it('a blank disk with only one of user and identity says which to add', () => {
    const result = parseLabText(vm('disk: 10G, cdrom: d.iso, user: debian'), 'lab.yaml');
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning missing-key']);
    expect(result.diagnostics[0]?.message).toContain('add identity');
    expect(result.lab?.vms.get('vm1')?.login).toBeUndefined();
  });

  it('an install on a libvirt host is an error saying where it can run', () => {
    const text = 'hosts:\n  lv: { kind: libvirt, uri: "qemu:///system" }\nvms:\n  inst: { host: lv, disk: 10G, cdrom: d.iso }\n  img: { host: lv, image: /d.qcow2 }\n';
    const diagnostics = parseLabText(text, 'lab.yaml').diagnostics;
    expect(diagnostics.map((d) => `${d.span.line} ${d.severity} ${d.code}`)).toEqual(['4 error backend-mismatch']);
    expect(diagnostics[0]?.message).toContain('run it on a local or SSH host');
  });
});
