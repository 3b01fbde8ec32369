import { describe, expect, it } from 'vitest';
import { migrateCommand } from '../../../extension/cli/commands/migrate';
import type { CliIo } from '../../../extension/cli/io';
import { runCli } from '../../../extension/cli/main';

function capture(): CliIo & { stderr: string[] } {
  const stderr: string[] = [];
  return { stderr, out: () => undefined, err: (t) => stderr.push(t), isTty: false, env: {}, cwd: '/nonexistent-lab-dir', signal: new AbortController().signal };
}

async function usage(...args: string[]): Promise<string> {
  const io = capture();
  expect(await runCli(['migrate', ...args], [migrateCommand], io)).toBe(2);
  return io.stderr.join('');
}

describe('qemu-lab migrate arguments', () => {
  it('needs a VM and --to, or --name, not both', async () => {
    expect(await usage()).toMatch(/needs a VM and --to HOST, or --name MIGRATION/);
    expect(await usage('vm1')).toMatch(/needs a VM and --to HOST/);
    expect(await usage('vm1', '--name', 'move')).toMatch(/either a VM name or --name/);
    expect(await usage('vm1', 'vm2', '--to', 'b')).toMatch(/at most one VM/);
  });

  it('checks capabilities, sizes, durations and policies before touching anything', async () => {
    expect(await usage('vm1', '--to', 'b', '--cap', 'auto-converge,turbo')).toMatch(/--cap turbo: not a capability; use auto-converge, xbzrle, postcopy, multifd/);
    expect(await usage('vm1', '--to', 'b', '--max-bandwidth', 'fast')).toMatch(/--max-bandwidth: .*not a bandwidth/);
    expect(await usage('vm1', '--to', 'b', '--downtime-limit', 'soon')).toMatch(/--downtime-limit: .*not a duration/);
    expect(await usage('vm1', '--to', 'b', '--on-stall', 'panic')).toMatch(/--on-stall takes continue, cancel, postcopy/);
    expect(await usage('vm1', '--to', 'b', '--multifd-channels', '0')).toMatch(/1 to 255/);
    expect(await usage('vm1', '--to', 'b', '--timeout', 'x')).toMatch(/--timeout takes a number of seconds/);
  });

  it('lists its options with every usage error, an unknown option too', async () => {
    const text = await usage('vm1', '--to', 'b', '--bandwidth', '1G');
    expect(text).toMatch(/Unknown option '--bandwidth'/);
    expect(text).toMatch(/Options of migrate:\n {2}--to HOST/);
    expect(text).toMatch(/--same-host/);
  });

  it('checks --during and its windows before touching anything', async () => {
    expect(await usage('vm1', '--to', 'b', '--during', 'sysbench-cpu')).toMatch(/--during: "sysbench-cpu" is not BENCH@WHERE/);
    expect(await usage('vm1', '--to', 'b', '--during', 'sysbench-oltp@guest')).toMatch(/--during: "sysbench-oltp" cannot be sampled per second; use sysbench-cpu, sysbench-memory, iperf3, iperf/);
    expect(await usage('vm1', '--to', 'b', '--during', 'sysbench-cpu@host', '--during-seconds', '1')).toMatch(/--during-seconds takes a whole number of seconds from 3 to 3600/);
    expect(await usage('vm1', '--to', 'b', '--during-tail', '5')).toMatch(/--during-seconds, --during-lead and --during-tail go with --during/);
    expect(await usage('vm1', '--to', 'b', '--cap', 'turbo')).toMatch(/--during LIST/);
  });
});
