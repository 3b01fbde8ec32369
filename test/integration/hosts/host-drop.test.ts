/**
 * What the editor's tree sees when a host's SSH connection drops, without the editor: the host's
 * state (through the same pure view the tree uses) turns unreachable with the error, the VM
 * there shows "connection lost" and keeps running, and after a reconnect the VM is followed
 * again through QMP events.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostState } from '../../../extension/core/infrastructure/hosts/host';
import { HostPool } from '../../../extension/core/infrastructure/hosts/host-pool';
import { labHostSystems } from '../../../extension/core/infrastructure/hosts/lab-hosts';
import { SshTransport } from '../../../extension/core/infrastructure/hosts/transports/ssh-transport';
import { readLabFile } from '../../../extension/core/lab/load';
import type { HostSpec, LabModel } from '../../../extension/core/lab/model';
import type { UpDependencies } from '../../../extension/core/machines/vm/up';
import { upVm } from '../../../extension/core/machines/vm/up';
import { vmDependencies } from '../../../extension/core/machines/vm/vm-dependencies';
import { VmRegistry, type KnownVm } from '../../../extension/core/machines/vm/vm-registry';
import { hostConnectionView } from '../../../extension/presentation/hosts/host-connection-view';
import { createNetnsHosts, type NetnsHost, type NetnsHosts } from '../../support/netns/netns-hosts';
import { isolatedSshOptions } from '../../support/netns/ssh-options';
import { qemuProcessesMentioning } from '../../support/qemu-processes';

const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const remoteState = join(root, 'host-drop-remote-state');
let hosts: NetnsHosts;
let host: NetnsHost;
let pool: HostPool;
let lab: LabModel;
let spec: Extract<HostSpec, { kind: 'ssh' }>;
let deps: UpDependencies;
let registry: VmRegistry;
const seen: KnownVm[] = [];
const states: HostState['kind'][] = [];
const key = () => ({ labPath: lab.path, vmName: 'vm1', host: 'lab-b' });

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms; VM states ${seen.map((s) => s.state).join(' → ')}; host states ${states.join(' → ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  hosts = createNetnsHosts({ hosts: 1 });
  host = hosts.hosts[0] as NetnsHost;
  const dir = join(root, 'host-drop-lab');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'qemu-lab.yaml'),
    ['hosts:', `  lab-b: { kind: ssh, address: ${host.address}, user: root, identity: ${hosts.clientKey} }`, 'vms:', '  vm1: { host: lab-b, memory: 256M, accel: tcg }', ''].join('\n'),
  );
  const loaded = await readLabFile(join(dir, 'qemu-lab.yaml'));
  if (loaded.lab === undefined) throw new Error('lab did not load');
  lab = loaded.lab;
  spec = lab.hosts.get('lab-b') as Extract<HostSpec, { kind: 'ssh' }>;
  // Short keepalives and connect timeouts: a pulled cable is noticed in seconds.
  pool = new HostPool(isolatedSshOptions(hosts, { keepaliveIntervalMs: 1_000, keepaliveCountMax: 1, connectTimeoutMs: 2_000, connectAttempts: 2, retryDelayMs: 200 }));
  pool.forLabHost(spec).onStateChange((state) => states.push(state.kind));
  deps = vmDependencies({ env: process.env, stateRoot: join(root, 'host-drop-state'), remoteStateRoot: remoteState, systemFor: labHostSystems(lab, pool) });
  registry = new VmRegistry(deps.backend, (vm) => seen.push(vm));
  hosts.assertAlive();
  await upVm(lab, 'vm1', deps);
}, 300_000);

afterAll(async () => {
  if (hosts === undefined) return;
  hosts.setLink(host, true);
  await registry?.dispose();
  const instance = await deps?.backend.find(key()).catch(() => undefined);
  if (instance?.alive) await deps.backend.kill(instance);
  await pool?.dispose();
  hosts.destroy();
});

describe('a host whose SSH connection drops (network-namespace host, TCG)', () => {
  it('is followed while connected', async () => {
    await registry.refresh([key()]);
    await until('running', () => seen.at(-1)?.state === 'running', 30_000);
    expect(hostConnectionView('lab-b', spec, pool.forLabHost(spec).state)).toMatchObject({ reachable: true });
  });

  it('shows unreachable with the error when the cable is pulled; the VM is "connection lost" and keeps running', async () => {
    hosts.setLink(host, false);
    await until('unreachable', () => pool.forLabHost(spec).state.kind === 'unreachable', 30_000);
    await until('connection-lost', () => seen.at(-1)?.state === 'connection-lost', 30_000);
    expect(states).toContain('disconnected');
    const view = hostConnectionView('lab-b', spec, pool.forLabHost(spec).state);
    expect(view.reachable).toBe(false);
    expect(view.contextValue).toBe('qemuLab.host.ssh.unreachable');
    // With the link down, a connect gets no answer — or, once the kernel's ARP tries for the
    // address ran out (seen under load), EHOSTUNREACH at once. Either is the cable pulled.
    expect(view.tooltip).toMatch(/Cannot connect to .*(no answer within 2000 ms|EHOSTUNREACH)/);
    expect(qemuProcessesMentioning(remoteState)).toHaveLength(1);
  });

  it('reconnects, and the VM is followed again', async () => {
    hosts.setLink(host, true);
    hosts.assertAlive();
    const transport = pool.forLabHost(spec);
    if (!(transport instanceof SshTransport)) throw new Error('not an SSH transport');
    await transport.connect();
    expect(hostConnectionView('lab-b', spec, transport.state)).toMatchObject({ reachable: true, description: expect.stringMatching(/connected$/) });
    await registry.refresh([key()]);
    await until('running again', () => seen.at(-1)?.state === 'running', 30_000);
  });
});
