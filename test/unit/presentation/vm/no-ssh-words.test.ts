import { describe, expect, it } from 'vitest';
import { noSshLines, noSshReason } from '../../../../extension/presentation/vm/no-ssh-words';

const files = { serialSocket: '/run/i/serial.sock', serialLog: '/run/i/serial.log', vncSocket: '/run/i/vnc.sock' };

describe('what up says of a VM it cannot log into', () => {
  it('a blank disk installing from its ISO: up with no SSH, where the screen and serial console are, and that ssh refuses', () => {
    const lines = noSshLines({ name: 'inst', image: 'blank', cdrom: 'd.iso' }, files, 'cli');
    expect(lines[0]).toBe('VM "inst" is up with no SSH: its disk is blank: install a system on it from its ISO.');
    expect(lines[1]).toContain('/run/i/vnc.sock');
    expect(lines[2]).toContain('UNIX-CONNECT:/run/i/serial.sock');
    expect(lines[2]).toContain('/run/i/serial.log');
    expect(lines[3]).toMatch(/^ssh, benchmarks and --exec refuse/);
  });

  it('without vnc: true it says how to get a screen; the editor names its commands instead of paths', () => {
    expect(noSshLines({ name: 'inst', image: 'blank', cdrom: 'd.iso' }, { ...files, vncSocket: undefined }, 'cli')[1]).toContain('add vnc: true');
    const editor = noSshLines({ name: 'inst', image: 'blank', cdrom: 'd.iso' }, files, 'editor');
    expect(editor.slice(1, 3)).toEqual(['Its screen: Open Screen.', 'Its serial console: Open Serial Console.']);
  });

  it('a named login without cloud-init is used once the system is installed, and said so; with none, how to name one', () => {
    const lines = noSshLines({ name: 'inst', image: 'blank', cdrom: 'd.iso', login: { kind: 'manual', user: 'debian', identity: '~/.ssh/k' } }, files, 'cli');
    expect(lines[3]).toContain('a boot from its disk (boot: disk) logs in as debian with ~/.ssh/k');
    expect(noSshLines({ name: 'raw', image: '/d.qcow2' }, files, 'cli')[3]).toContain('Name the installed system\'s login with user: and identity:');
  });

  it('says nothing for the built-in guest or a cloud-init guest, which wait for SSH', () => {
    expect(noSshReason({ name: 'vm1', image: 'builtin' })).toBeUndefined();
    expect(noSshLines({ name: 'deb', image: '/d.qcow2', login: { kind: 'cloud-init', user: 'lab' } }, files, 'cli')).toEqual([]);
    expect(noSshReason({ name: 'raw', image: '/d.qcow2' })).toBe('VM "raw" is up with no SSH: its image has no cloud-init.');
  });

  it('a cloud-init guest with no SSH booted its ISO this time: says so, and how to get SSH back', () => {
    const lines = noSshLines({ name: 'deb', image: '/d.qcow2', cdrom: 'rescue.iso', login: { kind: 'cloud-init', user: 'lab' } }, files, 'cli');
    expect(lines[0]).toBe('VM "deb" is up with no SSH: it booted its ISO (boot: cdrom), not its disk.');
    expect(lines[3]).toContain('boot its disk (boot: disk)');
  });
});
