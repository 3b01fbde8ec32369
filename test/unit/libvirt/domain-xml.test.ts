import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDomainXml, DOMAIN_PREFIX, domainName, hostfwdCommand, planForwards, type DomainPlace } from '../../../extension/core/infrastructure/libvirt/domain-xml';
import { LibvirtError } from '../../../extension/core/infrastructure/libvirt/libvirt-errors';
import { QEMU_DEFAULT_MAC, type QemuLaunchPlan } from '../../../extension/core/infrastructure/qemu/launch-plan';
import { HOSTILE_STRINGS } from '../../support/hostile-strings';

// The same plans the argv tests turn into QEMU arguments (test/fixtures/argv/*.plan.json), turned
// into domain XML (test/fixtures/libvirt/*.xml): one launch plan, two backends.
// QEMU_LAB_REGENERATE=1 rewrites the .xml files; review the diff.
const plans = join(__dirname, '../../fixtures/argv');
const fixtures = join(__dirname, '../../fixtures/libvirt');
const readPlan = (name: string): QemuLaunchPlan => JSON.parse(readFileSync(join(plans, `${name}.plan.json`), 'utf8')) as QemuLaunchPlan;
const place = (over: Partial<DomainPlace> = {}): DomainPlace => ({
  owner: { labPath: '/home/u/lab/qemu-lab.yaml', vmName: 'vm1', host: 'lv' },
  serial: { socket: '/state/lv/vm1/serial.sock', log: '/state/lv/vm1/serial.log' },
  bridge: 'br0',
  ...over,
});
/** Plans a domain cannot express (yet): the argv fixture, and the words of the refusal. */
const refused: Record<string, string> = {
  'migration-destination': 'a migration destination started by hand',
  'install-q35-kvm-cdrom-first': 'a CD-ROM to install from',
  'installed-pc-tcg-disk-only': 'a CD-ROM to install from',
};

describe('buildDomainXml against stored XML files', () => {
  const cases = readdirSync(plans)
    .filter((file) => file.endsWith('.plan.json'))
    .map((file) => file.slice(0, -'.plan.json'.length));

  for (const name of cases) {
    it(name, () => {
      const plan = readPlan(name);
      const why = refused[name];
      if (why !== undefined) {
        expect(() => buildDomainXml(plan, place())).toThrow(why);
        return;
      }
      const actual = buildDomainXml(plan, place({ emulator: name.includes('kvm') ? '/usr/bin/qemu-system-x86_64' : undefined }));
      const expectedPath = join(fixtures, `${name}.xml`);
      if (process.env.QEMU_LAB_REGENERATE === '1') writeFileSync(expectedPath, actual);
      expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
    });
  }
});

describe('domain XML pieces', () => {
  it('names a domain by its VM, with a hash of lab file and host that tells two labs apart', () => {
    const a = domainName({ labPath: '/a/qemu-lab.yaml', vmName: 'vm1', host: 'lv' });
    expect(a).toMatch(new RegExp(`^${DOMAIN_PREFIX}vm1-[0-9a-f]{10}$`));
    expect(domainName({ labPath: '/b/qemu-lab.yaml', vmName: 'vm1', host: 'lv' })).not.toBe(a);
    expect(domainName({ labPath: '/a/qemu-lab.yaml', vmName: 'vm1', host: 'lv2' })).not.toBe(a);
    expect(domainName({ labPath: '/a/qemu-lab.yaml', vmName: 'vm1', host: 'lv' })).toBe(a);
  });

  it('forwards the guest SSH port first, then the others, on loopback', () => {
    const forwards = planForwards(readPlan('builtin-tcg-virtio-user'));
    expect(forwards).toEqual([
      { hostPort: 40022, guestPort: 22 },
      { hostPort: 40122, guestPort: 5201 },
    ]);
    expect(forwards.map(hostfwdCommand)).toEqual(['hostfwd_add hostnet0 tcp:127.0.0.1:40022-:22', 'hostfwd_add hostnet0 tcp:127.0.0.1:40122-:5201']);
  });

  it('refuses what a domain cannot express, saying where the VM can run instead', () => {
    const plan = readPlan('disk-pc-tap-bridge');
    expect(() => buildDomainXml(plan, place({ bridge: undefined }))).toThrow(LibvirtError);
    expect(() => buildDomainXml(plan, place({ bridge: undefined }))).toThrow('an isolated network');
    const quorum = { ...plan, disks: [{ nodes: [{ kind: 'quorum' as const, id: 'colo-disk0', child: { kind: 'node' as const, node: 'x' } }], attach: 'colo-disk0' }] };
    expect(() => buildDomainXml(quorum, place())).toThrow('a quorum or replication disk (COLO)');
    const filters = { ...plan, netFilters: { chardevs: [], filters: [] } };
    expect(() => buildDomainXml(filters, place())).toThrow("COLO's network filters");
  });

  it('attaches a plain image disk as the next virtio disk, after the boot disk and the seed, as argv lists them', () => {
    const data = [{ nodes: [{ kind: 'image' as const, id: 'd0', file: '/img/data.qcow2', format: 'qcow2' as const }], attach: 'd0' }];
    const target = (name: string): string | undefined => /<source file='\/img\/data\.qcow2'\/>\n {6}<target dev='(vd.)'/.exec(buildDomainXml({ ...readPlan(name), disks: data }, place()))?.[1];
    expect(target('builtin-tcg-virtio-user')).toBe('vda');
    expect(target('disk-pc-tap-bridge')).toBe('vdb');
    expect(target('cloud-init-overlay-q35-tcg-user')).toBe('vdc');
  });

  it("boots a disk guest's overlay (the plan's image, what the disk step made) writable, its cloud-init seed read-only after it", () => {
    const plan = readPlan('cloud-init-overlay-q35-tcg-user');
    if (plan.boot.kind !== 'disk' || plan.boot.seed === undefined) throw new Error('fixture is not a disk guest with a seed');
    const xml = buildDomainXml(plan, place());
    // The seed's network-config matches the MAC QEMU gives a NIC the argv names none for; libvirt would pick a random one.
    expect(xml).toContain(`<interface type='user'>\n      <mac address='${QEMU_DEFAULT_MAC}'/>`);
    const disks = [...xml.matchAll(/<disk type='file' device='disk'>([\s\S]*?)<\/disk>/g)].map((m) => m[1] ?? '');
    expect(disks).toHaveLength(2);
    const [overlay = '', seed = ''] = disks;
    expect(overlay).toContain(`<source file='${plan.boot.image}'/>`);
    expect(overlay).toContain("<driver name='qemu' type='qcow2' cache='writeback'/>");
    expect(overlay).toContain("<target dev='vda' bus='virtio'/>");
    expect(overlay).not.toContain('<readonly/>');
    // The seed is never written: libvirt opens it read-only, as argv's readonly=on.
    expect(seed).toContain(`<source file='${plan.boot.seed}'/>`);
    expect(seed).toContain("<driver name='qemu' type='raw'/>");
    expect(seed).toContain("<target dev='vdb' bus='virtio'/>");
    expect(seed).toContain('<readonly/>');
  });
});

describe('hostile values', () => {
  /** The markup of a document: every `<`, `>` and quote, which a value must never add. */
  const markup = (xml: string): string => xml.replace(/[^<>'"]/g, '');
  const plain = buildDomainXml(readPlan('builtin-tcg-virtio-user'), place());
  // eslint-disable-next-line no-control-regex -- the characters XML cannot carry are exactly what is left out
  const xmlSafe = HOSTILE_STRINGS.filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s));

  it.each(xmlSafe)('%j in the lab path, kernel command line, paths and extra arguments adds no markup', (hostile) => {
    const base = readPlan('builtin-tcg-virtio-user');
    const plan: QemuLaunchPlan = {
      ...base,
      boot: { kind: 'kernel', kernel: `/k/${hostile}`, initrd: `/i/${hostile}`, append: `console=ttyS0 x=${hostile}` },
      extraArgs: [hostile],
    };
    const xml = buildDomainXml(plan, place({ owner: { labPath: `/lab/${hostile}`, vmName: 'vm1', host: 'lv' }, serial: { socket: `/s/${hostile}`, log: `/l/${hostile}` } }));
    const withArg = buildDomainXml({ ...base, extraArgs: ['x'] }, place());
    expect(markup(xml)).toBe(markup(withArg));
    expect(markup(plain).length).toBeLessThan(markup(withArg).length);
    // A newline or tab in an attribute survives as a character reference, not as a space.
    if (hostile.includes('\n')) expect(xml).toContain('&#10;');
  });

  it('refuses a control character XML cannot carry, with the field named', () => {
    const plan: QemuLaunchPlan = { ...readPlan('builtin-tcg-virtio-user'), extraArgs: ['a\u0001b'] };
    expect(() => buildDomainXml(plan, place())).toThrow(/extra QEMU argument contains a control character/);
  });
});
