/**
 * A VM's screen through the relay the editor's screen panel uses (core ScreenRelay, no editor):
 * the built-in guest booted with `vnc: true` shows its tty1 shell on QEMU's VNC server, reached
 * on the VM's private UNIX socket — here directly, on a namespace host through the host's one
 * SSH connection. A tiny RFB client (test/support/rfb-client.ts) does the handshake, reads the
 * whole screen, checks it is not black, and types a command whose effect shows on the serial log.
 * One boot per host, shared by its checks.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostPool } from '../../../extension/core/infrastructure/hosts/host-pool';
import { labHostSystems } from '../../../extension/core/infrastructure/hosts/lab-hosts';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { readLabFile } from '../../../extension/core/lab/load';
import type { LabModel } from '../../../extension/core/lab/model';
import { ScreenRelay } from '../../../extension/core/machines/screen/screen-relay';
import type { VmKey } from '../../../extension/core/machines/vm/backend';
import { upVm, type UpDependencies } from '../../../extension/core/machines/vm/up';
import { vmDependencies } from '../../../extension/core/machines/vm/vm-dependencies';
import { createNetnsHosts, type NetnsHost, type NetnsHosts } from '../../support/netns/netns-hosts';
import { isolatedSshOptions } from '../../support/netns/ssh-options';
import { litPixels, RfbTestClient } from '../../support/rfb-client';

const root = process.env.QEMU_LAB_TEST_ROOT ?? '';

async function loadLab(name: string, lines: readonly string[]): Promise<LabModel> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'qemu-lab.yaml'), [...lines, ''].join('\n'));
  const loaded = await readLabFile(join(dir, 'qemu-lab.yaml'));
  if (loaded.lab === undefined) throw new Error('lab did not load');
  return loaded.lab;
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Opens the VM's screen through a relay and gives an RFB client speaking over it. */
async function openScreen(deps: UpDependencies, key: VmKey): Promise<{ client: RfbTestClient; relay: ScreenRelay; serialLog: string }> {
  const instance = await deps.backend.find(key);
  if (instance === undefined || !instance.alive) throw new Error(`${key.vmName} is not running`);
  const relay = await ScreenRelay.open(deps.backend.systemOf(instance.record), instance.record);
  const client = new RfbTestClient({ send: (bytes) => relay.send(bytes) });
  relay.start({ data: (bytes) => client.feed(bytes), closed: (reason) => client.end(reason ?? 'closed') });
  return { client, relay, serialLog: instance.record.files.serialLog };
}

/** The screen checks, for a booted VM with a screen. */
function screenChecks(context: () => { deps: UpDependencies; key: VmKey; beforeEach?: () => void }): void {
  it('shows the guest\'s shell: an RFB handshake over the relay, then a screen that is not black', async () => {
    const { deps, key, beforeEach } = context();
    beforeEach?.();
    const { client, relay } = await openScreen(deps, key);
    try {
      const init = await client.handshake();
      expect(init.width).toBeGreaterThanOrEqual(640);
      expect(init.height).toBeGreaterThanOrEqual(400);
      expect(init.name).toContain(key.vmName);
      // The guest may still be drawing its first prompt: look again until text shows.
      let lit = 0;
      const deadline = Date.now() + 60_000;
      while (lit < 200 && Date.now() < deadline) {
        lit = litPixels(await client.frame());
        if (lit < 200) await new Promise((r) => setTimeout(r, 500));
      }
      expect(lit).toBeGreaterThanOrEqual(200);
    } finally {
      relay.close();
    }
  });

  it('takes keys: a command typed on the screen writes to the serial port', async () => {
    const { deps, key, beforeEach } = context();
    beforeEach?.();
    const { client, relay, serialLog } = await openScreen(deps, key);
    try {
      await client.handshake();
      const before = litPixels(await client.frame());
      const marker = `screen-ok-${key.host}`;
      client.type(`echo ${marker} >/dev/ttyS0`);
      await waitFor(`"${marker}" on the serial log`, () => existsSync(serialLog) && readFileSync(serialLog, 'utf8').includes(marker), 30_000);
      // What was typed is echoed on the screen too: more of it is lit than before.
      expect(litPixels(await client.frame())).toBeGreaterThan(before);
    } finally {
      relay.close();
    }
  });
}

describe('the screen of a local VM (TCG)', () => {
  const local = new LocalHostSystem();
  const deps = vmDependencies({ env: process.env, stateRoot: join(root, 'screen-state'), systemFor: () => local });
  let lab: LabModel;
  const key = (): VmKey => ({ labPath: lab.path, vmName: 'vm1', host: 'local' });

  beforeAll(async () => {
    lab = await loadLab('screen-lab', ['vms:', '  vm1: { memory: 256M, accel: tcg, vnc: true }']);
    await upVm(lab, 'vm1', deps);
  }, 300_000);

  afterAll(async () => {
    if (lab === undefined) return;
    const instance = await deps.backend.find(key());
    if (instance?.alive) await deps.backend.kill(instance);
  });

  screenChecks(() => ({ deps, key: key() }));

  it('takes Ctrl+Alt+Del: the guest\'s kernel restarts the machine at once', async () => {
    const { client, relay, serialLog } = await openScreen(deps, key());
    const restarts = () => readFileSync(serialLog, 'utf8').split('reboot: Restarting system').length - 1;
    try {
      await client.handshake();
      const before = restarts();
      client.ctrlAltDel();
      // The kernel's own line (an emergency one, shown despite `quiet`); QEMU resets and boots it again.
      await waitFor('the guest\'s kernel restarting', () => restarts() > before, 30_000);
    } finally {
      relay.close();
    }
    expect((await deps.backend.find(key()))?.alive).toBe(true);
  });

  it('says what to do when the VM has no screen, and leaves it running', async () => {
    const instance = await deps.backend.find(key());
    if (instance === undefined) throw new Error('vm1 not found');
    const withoutScreen = { ...instance.record, files: { ...instance.record.files, vncSocket: undefined } };
    await expect(ScreenRelay.open(local, withoutScreen)).rejects.toThrow(/vm1 has no screen/);
    expect((await deps.backend.find(key()))?.alive).toBe(true);
  });
});

describe('the screen of a VM on an SSH host, through its SSH connection (network-namespace host, TCG)', () => {
  let hosts: NetnsHosts;
  let pool: HostPool;
  let lab: LabModel;
  let deps: UpDependencies;
  const key = (): VmKey => ({ labPath: lab.path, vmName: 'vm1', host: 'lab-b' });

  beforeAll(async () => {
    hosts = createNetnsHosts({ hosts: 1 });
    const host = hosts.hosts[0] as NetnsHost;
    lab = await loadLab('screen-remote-lab', ['hosts:', `  lab-b: { kind: ssh, address: ${host.address}, user: root, identity: ${hosts.clientKey} }`, 'vms:', '  vm1: { host: lab-b, memory: 256M, accel: tcg, vnc: true }']);
    pool = new HostPool(isolatedSshOptions(hosts));
    deps = vmDependencies({ env: process.env, stateRoot: join(root, 'screen-remote-local-state'), remoteStateRoot: join(root, 'screen-remote-state'), systemFor: labHostSystems(lab, pool) });
    hosts.assertAlive();
    await upVm(lab, 'vm1', deps);
  }, 300_000);

  afterAll(async () => {
    if (hosts === undefined) return;
    const instance = lab === undefined ? undefined : await deps?.backend.find(key()).catch(() => undefined);
    if (instance?.alive) await deps.backend.kill(instance);
    await pool?.dispose();
    hosts.destroy();
  });

  // Never talk to a namespace address that is not ours any more.
  screenChecks(() => ({ deps, key: key(), beforeEach: () => hosts.assertAlive() }));
});
