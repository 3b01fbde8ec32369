import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metadataXml } from '../../../extension/core/infrastructure/libvirt/domain-xml';
import { parseDomjobinfo } from '../../../extension/core/infrastructure/libvirt/virsh-parsers';
import { progressOfDomainJob } from '../../../extension/core/migration/libvirt/job-progress';
import { destinationDomainXml, libvirtPeer, tcpMigrateUri } from '../../../extension/core/migration/libvirt/peer';
import { libvirtTuning } from '../../../extension/core/migration/libvirt/tuning';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures/libvirt/virsh', name), 'utf8');

describe('the tool\'s tuning as virsh migrate options', () => {
  it('maps bandwidth, auto-converge, xbzrle, multifd and postcopy', () => {
    const tuning = libvirtTuning(
      { capabilities: ['auto-converge', 'xbzrle', 'multifd', 'postcopy'], maxBandwidthBytesPerSecond: 32 * 1024 * 1024, xbzrleCacheBytes: 1 << 26, multifdChannels: 4, downtimeLimitMs: 200 },
      { whenNotConverging: 'postcopy' },
    );
    expect(tuning).toEqual({
      ok: true,
      args: ['--bandwidth', '32', '--auto-converge', '--compressed', '--comp-methods', 'xbzrle', '--comp-xbzrle-cache', String(1 << 26), '--parallel', '--parallel-connections', '4', '--postcopy', '--postcopy-after-precopy'],
      downtimeLimitMs: 200,
      notes: [],
    });
  });

  it('rounds a bandwidth to whole MiB/s and says so; nothing asked is no option', () => {
    const tuning = libvirtTuning({ capabilities: [], maxBandwidthBytesPerSecond: 1_000_000 }, {});
    expect(tuning).toMatchObject({ ok: true, args: ['--bandwidth', '1'] });
    expect(tuning.ok && tuning.notes[0]).toContain('whole MiB/s');
    expect(libvirtTuning({ capabilities: [] }, {})).toEqual({ ok: true, args: [], downtimeLimitMs: undefined, notes: [] });
  });

  it('refuses a switch to postcopy without the capability (libvirt enables it before the start), with the reason', () => {
    expect(libvirtTuning({ capabilities: ['postcopy'] }, { postcopyAfterMs: 2000 })).toMatchObject({ ok: true, args: ['--postcopy'] });
    expect(libvirtTuning({ capabilities: [] }, { whenNotConverging: 'postcopy', postcopyAfterMs: 2000 })).toEqual({
      ok: false,
      problems: ['switching to postcopy when it does not converge needs the postcopy capability', 'switching to postcopy after a time needs the postcopy capability'],
    });
  });
});

describe('how the source reaches the destination', () => {
  const a = { name: 'a', uri: 'qemu+ssh://root@10.0.0.1/system?socket=/run/a.sock' };
  const b = { name: 'b', uri: 'qemu+ssh://root@10.0.0.2:2222/system?socket=/run/b.sock' };
  it("uses the destination's qemu+ssh URI as written, and its address for QEMU's stream", () => {
    expect(libvirtPeer(a, b, undefined)).toEqual({ ok: true, peerUri: b.uri, migrateUri: 'tcp://10.0.0.2' });
    expect(libvirtPeer(a, b, '192.168.1.7')).toEqual({ ok: true, peerUri: b.uri, migrateUri: 'tcp://192.168.1.7' });
    expect(tcpMigrateUri('fd00::2')).toBe('tcp://[fd00::2]');
  });

  it('keeps two daemons of this machine on loopback', () => {
    expect(libvirtPeer({ name: 'a', uri: 'qemu:///system' }, { name: 'b', uri: 'qemu+unix:///system?socket=/run/b.sock' }, undefined)).toEqual({
      ok: true,
      peerUri: 'qemu+unix:///system?socket=/run/b.sock',
      migrateUri: 'tcp://127.0.0.1',
    });
  });

  it("refuses a destination the source cannot name, the test driver, and a bad --address", () => {
    expect(libvirtPeer(a, { name: 'b', uri: 'qemu:///system' }, undefined)).toMatchObject({ ok: false, problem: expect.stringContaining('cannot reach by that URI') });
    expect(libvirtPeer({ name: 't', uri: 'test:///default' }, { name: 'u', uri: 'test:///default' }, undefined)).toMatchObject({ ok: false, problem: expect.stringContaining('test driver') });
    expect(libvirtPeer(a, b, '-oProxyCommand=x')).toMatchObject({ ok: false });
    expect(libvirtPeer(a, { name: 'b', uri: 'qemu+tcp://h/system' }, undefined)).toMatchObject({ ok: false, problem: expect.stringContaining('"b"') });
  });
});

describe("the destination's domain XML", () => {
  const xml = [
    "<domain type='qemu'>",
    '  <name>qemu-lab-vm1-aaaaaaaaaa</name>',
    '  <uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca427</uuid>',
    '  <metadata>',
    "    <ql:vm xmlns:ql='urn:x-qemu-lab:libvirt-domain:1'>",
    '      <ql:host>a</ql:host>',
    '    </ql:vm>',
    '  </metadata>',
    '  <os>',
    '    <kernel>/root/.cache/qemu-lab/guest/x/vmlinux</kernel>',
    '  </os>',
    "  <serial type='unix'><source mode='bind' path='/state/a/vm1/serial.sock'/><log file='/state/a/vm1/serial.log' append='on'/></serial>",
    "  <mac address='52:54:00:12:34:56'/>",
    '</domain>',
  ].join('\n');
  const metadata = metadataXml({ labPath: '/lab/q & a.yaml', vmName: 'vm1', host: 'b' }, [{ hostPort: 40022, guestPort: 22 }]);

  it("moves the source machine's paths and writes the destination's metadata; keeps the hardware", () => {
    const out = destinationDomainXml(xml, {
      paths: [
        { from: '/state/a/vm1', to: '/state/b/vm1' },
        { from: '/root/.cache/qemu-lab/guest/x/vmlinux', to: '/home/u/.cache/qemu-lab/guest/x/vmlinux' },
      ],
      metadata,
    });
    // The name stays (libvirt refuses another; --dname renames).
    expect(out).toContain('<name>qemu-lab-vm1-aaaaaaaaaa</name>');
    expect(out).toContain("path='/state/b/vm1/serial.sock'");
    expect(out).toContain("file='/state/b/vm1/serial.log'");
    expect(out).toContain('<kernel>/home/u/.cache/qemu-lab/guest/x/vmlinux</kernel>');
    expect(out).toContain('<ql:host>b</ql:host>');
    expect(out).toContain("<ql:forward host='40022' guest='22'/>");
    expect(out).toContain('/lab/q &amp; a.yaml');
    expect(out).not.toContain('/state/a/');
    expect(out).toContain('<uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca427</uuid>');
    expect(out).toContain("<mac address='52:54:00:12:34:56'/>");
  });

  it('refuses XML without QEMU Lab metadata (a domain changed outside the tool)', () => {
    expect(() => destinationDomainXml(xml.replace(/ *<metadata>[\s\S]*<\/metadata>\n/, ''), { paths: [], metadata })).toThrow(/metadata/);
  });
});

describe("a libvirt job as the direct migration's progress sample", () => {
  it('reads the completed job: total time, downtime, RAM sent, pages', () => {
    expect(progressOfDomainJob(parseDomjobinfo(fixture('domjobinfo-completed-incoming.txt')))).toMatchObject({
      status: 'completed',
      elapsedMs: 4263,
      downtimeMs: 147,
      setupTimeMs: 8,
      totalBytes: Math.round(256.758 * 1024 ** 2),
      transferredBytes: Math.round(95.882 * 1024 ** 2),
      remainingBytes: 0,
      dirtySyncCount: 3,
      pageSize: 4096,
      normalPages: 24407,
      duplicatePages: 41395,
      dirtyBytesPerSecond: 0,
    });
  });

  it('reads a running job as active, and no job as none', () => {
    const running = progressOfDomainJob(parseDomjobinfo('Job type:         Unbounded   \nOperation:        Outgoing migration\nTime elapsed:     312          ms\nMemory processed: 1.000 MiB\nDirty rate:       10           pages/s\n'));
    expect(running).toMatchObject({ status: 'active', elapsedMs: 312, transferredBytes: 1024 * 1024, dirtyBytesPerSecond: 40960 });
    expect(progressOfDomainJob(parseDomjobinfo(fixture('domjobinfo-none.txt'))).status).toBe('none');
  });
});
