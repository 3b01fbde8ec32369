import { describe, expect, it } from 'vitest';
import { BenchmarkError } from '../../../extension/core/measuring/workloads/errors';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { explainUnreachable } from '../../../extension/core/measuring/experiments/measure';

// Only the host's neighbour table is read (`ip neigh show to`): nothing is sent anywhere.
const side = new LocalHostSystem();
const endpoint = { side, host: '192.0.2.77', port: 5201 };
const noRoute = new BenchmarkError('iperf3 reported an error: unable to connect to server: No route to host.');

describe('a network benchmark that finds no route to the guest on a bridge', () => {
  it("says what the host's neighbour table holds for the guest's address, and what to check", async () => {
    const error = await explainUnreachable(noRoute, endpoint, { vmName: 'vm1', guestAddress: '192.0.2.77' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BenchmarkError);
    const { message, hint } = error as BenchmarkError;
    expect(message).toMatch(/^iperf3 reported an error: unable to connect to server: No route to host\. The host's neighbour entry for 192\.0\.2\.77: (\(no entry\)|192\.0\.2\.77 .+)\.$/);
    expect(hint).toContain('VM "vm1" did not answer');
    expect(hint).toContain('qemu-lab ssh vm1 -- ip addr');
  });

  it('leaves any other failure, and a guest on user networking, as they were', async () => {
    const refused = new BenchmarkError('iperf3 reported an error: unable to connect to server: Connection refused.');
    await expect(explainUnreachable(refused, endpoint, { vmName: 'vm1', guestAddress: '192.0.2.77' })).rejects.toBe(refused);
    await expect(explainUnreachable(noRoute, { ...endpoint, host: '127.0.0.1' }, { vmName: 'vm1', guestAddress: undefined })).rejects.toBe(noRoute);
  });
});
