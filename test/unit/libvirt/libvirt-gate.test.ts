// Restricted Mode covers libvirt hosts: while the host gate is closed, the libvirt backend runs
// no virsh here and opens no SSH connection to a qemu+ssh host — real sockets, no spies.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostAccessRefusedError } from '../../../extension/core/infrastructure/hosts/host-errors';
import { ConditionalHostGate } from '../../../extension/core/infrastructure/hosts/host-gate';
import { HostPool } from '../../../extension/core/infrastructure/hosts/host-pool';
import { libvirtUriOf } from '../../../extension/core/infrastructure/hosts/host-reach';
import { labHostSystems } from '../../../extension/core/infrastructure/hosts/lab-hosts';
import { LibvirtBackend } from '../../../extension/core/machines/vm/libvirt-backend';
import { parse } from '../lab/helpers';

const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-libvirt-gate-'));
const closed = new ConditionalHostGate(() => false, { reason: 'this workspace is not trusted (Restricted Mode)', hint: 'Trust the workspace.' });
const pool = new HostPool({ gate: closed, sshConfigPath: null, agentSocket: null, globalKnownHostsPaths: [], home: dir, knownHostsPath: join(dir, 'known_hosts'), connectAttempts: 1, connectTimeoutMs: 5_000 });
let server: Server | undefined;
afterAll(async () => {
  await pool.dispose();
  if (server !== undefined) await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('libvirt hosts behind a closed host gate', () => {
  it('runs no virsh for a local URI and connects nowhere for a qemu+ssh one', async () => {
    let connections = 0;
    server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const lab = parse(['hosts:', '  here: { kind: libvirt, uri: "qemu:///system" }', `  far: { kind: libvirt, uri: "qemu+ssh://root@127.0.0.1:${port}/system" }`, ''].join('\n')).lab;
    if (lab === undefined) throw new Error('lab did not parse');
    const backend = new LibvirtBackend({
      systemFor: labHostSystems(lab, pool),
      uriFor: (host) => libvirtUriOf(lab.hosts.get(host)) ?? '',
      localStateRoot: join(dir, 'state'),
    });
    expect(backend.systemOf({ host: 'here' }).isLocal).toBe(true);
    expect(backend.systemOf({ host: 'far' }).isLocal).toBe(false);
    await expect(backend.virsh('here').run(['list'])).rejects.toBeInstanceOf(HostAccessRefusedError);
    await expect(backend.virsh('far').run(['list'])).rejects.toBeInstanceOf(HostAccessRefusedError);
    const key = { labPath: join(dir, 'qemu-lab.yaml'), vmName: 'vm1', host: 'far' };
    await expect(backend.findAt(key)).rejects.toBeInstanceOf(HostAccessRefusedError);
    expect(connections).toBe(0);
  });
});
