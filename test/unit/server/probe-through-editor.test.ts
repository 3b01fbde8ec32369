import { describe, expect, it } from 'vitest';
import type { HostCapabilities } from '../../../extension/core/infrastructure/hosts/probes/capabilities';
import { probeThroughEditor } from '../../../extension/server/probe-through-editor';
import { PROBE_HOST_METHOD } from '../../../extension/server/protocol';
import { LocalProbes } from '../../../extension/vscode/local-probes';

const capabilities: HostCapabilities = {
  host: 'local',
  qemu: { path: '/usr/bin/qemu-system-x86_64', version: { major: 7, minor: 2, micro: 22, text: 'QEMU emulator version 7.2.22' } },
  machines: [],
  nicModels: [],
  cpu: { model: 'test', count: 2, flags: [] },
  memoryBytes: 1 << 30,
  kvm: { devKvmExists: false, status: { usable: false, reason: '/dev/kvm does not exist' } },
  probedAt: '2026-12-02T19:00:00.000Z',
};

/** An editor end that answers every request with `answer`, and keeps what it was asked. */
function editor(answer: unknown): { asked: [string, unknown][]; sendRequest: (method: string, params: unknown) => Promise<unknown> } {
  const asked: [string, unknown][] = [];
  return { asked, sendRequest: async (method, params) => (asked.push([method, params]), answer) };
}

describe('the server asks the editor for a host\'s probe', () => {
  it('takes the capabilities the editor answers', async () => {
    const end = editor({ capabilities });
    expect(await probeThroughEditor(end as never, 'local')).toEqual(capabilities);
    expect(end.asked).toEqual([[PROBE_HOST_METHOD, { host: 'local' }]]);
  });

  it('fails with the editor\'s reason, or when the answer is not capabilities', async () => {
    await expect(probeThroughEditor(editor({ error: 'this workspace is not trusted' }) as never, 'local')).rejects.toThrow('this workspace is not trusted');
    await expect(probeThroughEditor(editor({ capabilities: { qemu: {} } }) as never, 'local')).rejects.toThrow(/not a host's capabilities/);
    await expect(probeThroughEditor(editor(null) as never, 'local')).rejects.toThrow(/not a host's capabilities/);
  });
});

describe('the editor\'s probes of this machine', () => {
  it('probe once per QEMU setting until cleared, so the tree and the server share one', async () => {
    let probes = 0;
    const local = new LocalProbes(async () => (probes++, capabilities));
    await Promise.all([local.get(undefined), local.get(undefined), local.get({ kind: 'version', version: '11.1' })]);
    expect(probes).toBe(2);
    local.clear();
    await local.get(undefined);
    expect(probes).toBe(3);
  });

  it('ask again after a refused probe (Restricted Mode), not keep the refusal', async () => {
    let probes = 0;
    const local = new LocalProbes(async () => {
      probes += 1;
      if (probes === 1) throw new Error('not trusted');
      return capabilities;
    });
    await expect(local.get(undefined)).rejects.toThrow('not trusted');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await local.get(undefined)).toBe(capabilities);
  });
});
