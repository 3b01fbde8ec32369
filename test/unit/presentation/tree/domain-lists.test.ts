import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../../extension/core/infrastructure/hosts/system/host-system';
import { listDomains } from '../../../../extension/core/infrastructure/libvirt/domains';
import { Virsh } from '../../../../extension/core/infrastructure/libvirt/virsh';
import { ExistingDomains } from '../../../../extension/presentation/tree/domain-lists';
import type { DomainRow } from '../../../../extension/presentation/tree/domain-rows';

// Real virsh on libvirt's test driver: a node file per host, read again from the file by each virsh.
const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-domain-lists-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hostFile(host: string, names: readonly string[]): string {
  const file = join(dir, `${host}.xml`);
  const domains = names.map((name) => `<domain type='test'><name>${name}</name><memory>65536</memory><os><type>hvm</type></os></domain>`);
  writeFileSync(file, `<node>${domains.join('')}</node>`);
  return file;
}

const names = (rows: readonly DomainRow[]): string[] => rows.map((row) => (row.kind === 'domain' ? row.domain.name : `note: ${row.reason}`)).sort();

describe('ExistingDomains (the tree\'s domain lists, real virsh)', () => {
  const files = new Map([
    ['a', hostFile('a', ['a1'])],
    ['b', hostFile('b', ['b1'])],
  ]);
  const reads: string[] = [];
  const lists = new ExistingDomains((host) => {
    reads.push(host);
    return listDomains(new Virsh(new LocalHostSystem(), `test://${files.get(host) ?? '/nonexistent.xml'}`, host));
  });

  it('reads a host once however often it is drawn', async () => {
    expect(names(await lists.rowsOf('a'))).toEqual(['a1']);
    expect(names(await lists.rowsOf('a'))).toEqual(['a1']);
    expect(names(await lists.rowsOf('b'))).toEqual(['b1']);
    expect(reads).toEqual(['a', 'b']);
  });

  it('re-reads one host on events, showing the old rows until the new ones are there', async () => {
    hostFile('a', ['a1', 'a2']);
    const rereading = lists.reread('a');
    expect(names(await lists.rowsOf('a'))).toEqual(['a1']); // Still the old list while virsh runs.
    await rereading;
    expect(names(await lists.rowsOf('a'))).toEqual(['a1', 'a2']);
    expect(reads).toEqual(['a', 'b', 'a']);
  });

  it('Refresh re-reads the expanded hosts only and forgets the others until drawn', async () => {
    hostFile('a', ['a3']);
    hostFile('b', ['b2']);
    reads.length = 0;
    lists.refreshOnly((host) => host === 'a');
    expect(names(await lists.rowsOf('a'))).toEqual(['a3']);
    expect(reads).toEqual(['a']);
    expect(lists.has('b')).toBe(false);
    expect(names(await lists.rowsOf('b'))).toEqual(['b2']); // Read when expanded.
    expect(reads).toEqual(['a', 'b']);
  });

  it('shows why a host could not be read, as a row', async () => {
    expect(names(await lists.rowsOf('gone'))[0]).toMatch(/^note: virsh domstats on host "gone"/);
  });
});
