import { describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { inNamespaceArgv, inNetworkNamespace } from '../../../extension/core/infrastructure/network/netns-system';
import { NetworkError } from '../../../extension/core/errors';

describe('a host seen from inside a network namespace', () => {
  it('runs programs through ip netns exec, arguments passed as they are', () => {
    expect(inNamespaceArgv('qlab-1', 'ssh', ['-p', '22', 'a b;$(x)'])).toEqual(['ip', ['netns', 'exec', 'qlab-1', 'ssh', '-p', '22', 'a b;$(x)']]);
  });

  it('keeps files and sockets the host’s, and refuses TCP streams with an error that says what to do', async () => {
    const inside = inNetworkNamespace(new LocalHostSystem(), 'qlab-none');
    expect(inside.isLocal).toBe(true);
    expect(await inside.readText('/proc/self/status')).toContain('Name:');
    await expect(inside.openTcp('10.77.0.11', 22)).rejects.toBeInstanceOf(NetworkError);
  });

  it('a namespace that does not exist fails the program, not silently', async () => {
    const inside = inNetworkNamespace(new LocalHostSystem(), `qlab-missing-${process.pid}`);
    const result = await inside.run('true', [], { check: false });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/qlab-missing/);
  });
});
