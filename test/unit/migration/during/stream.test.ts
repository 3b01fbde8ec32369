import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProgramResult } from '../../../../extension/core/infrastructure/hosts/system/run-program';
import type { HostSystem } from '../../../../extension/core/infrastructure/hosts/system/host-system';
import { DuringStreamRunner, type HostSlot, type StreamEnvironment } from '../../../../extension/core/migration/during/stream';
import type { Shell } from '../../../../extension/core/migration/during/target-shell';

// The stream runner against a pretend host: programs "run" by writing lines into in-memory files,
// so restarts, breaks, stops and the dating of samples are checked without QEMU.

const ok = (stdout = ''): ProgramResult => ({ exitCode: 0, signal: null, stdout, stderr: '' });

class FakePlace implements Shell {
  readonly files = new Map<string, string>();
  readonly launched: { argv: string[]; out: string; pid: number }[] = [];
  readonly killed: number[] = [];
  private nextPid = 100;
  constructor(readonly where: string) {}
  async host(): Promise<string> {
    return 'local';
  }
  async run(argv: readonly string[]): Promise<ProgramResult> {
    if (argv[0] === 'sh' && argv[1] === '-c' && argv[2]?.includes('setsid')) {
      const out = argv[4] ?? '';
      const pid = this.nextPid++;
      this.launched.push({ argv: argv.slice(5), out, pid });
      this.files.set(out, '');
      return ok(`${pid}\n`);
    }
    if (argv[0] === 'kill') {
      this.killed.push(Number(argv[2]));
      return ok();
    }
    return ok(); // mkdir, the wait for a listener
  }
  async read(path: string): Promise<string | undefined> {
    return this.files.get(path);
  }
  follows = 0;
  /** Follows that ended (each one told to stop). */
  ended = 0;
  readonly follow = async (path: string, fromLine: number, onText: (text: string) => void, signal: AbortSignal): Promise<void> => {
    this.follows += 1;
    let sent = this.files.get(path)?.split('\n').slice(0, fromLine - 1).join('\n').length ?? 0;
    if (fromLine > 1) sent += 1;
    while (!signal.aborted) {
      const text = this.files.get(path) ?? '';
      if (text.length > sent) {
        onText(text.slice(sent));
        sent = text.length;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    this.ended += 1;
  };
  write(out: string, text: string): void {
    this.files.set(out, (this.files.get(out) ?? '') + text);
  }
}

function environment(place: FakePlace, clock: { t: number }, settled: Promise<void>, moving = (): boolean => false): StreamEnvironment {
  const system = { name: 'local', isLocal: true, freeLoopbackPort: async () => 40000 } as unknown as HostSystem;
  const slot: HostSlot = { shell: place, system, dir: '/tmp/qemu-lab-during.abcdef' };
  return {
    now: () => clock.t,
    limitSeconds: 60,
    sourceHost: 'local',
    destinationHost: 'local',
    hostSlot: async () => slot,
    guest: place,
    guestPlace: async () => ({ system, record: { vmName: 'vm1', forwardedPorts: { '5201': 45201 }, ssh: {} } as never }),
    guestDir: '/tmp/qemu-lab-during',
    guestMoving: moving,
    settled,
  };
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
};

describe('a --during stream', () => {
  it('dates samples by the tool\'s own clock, bounded by when it was stopped, and stops what it started', async () => {
    const place = new FakePlace('host "local"');
    const clock = { t: 1000 };
    const runner = new DuringStreamRunner({ benchmark: 'sysbench-cpu', target: 'host' }, 'during', environment(place, clock, new Promise(() => undefined)));
    await runner.start();
    const out = place.launched[0]?.out ?? '';
    expect(place.launched[0]?.argv).toEqual(['sysbench', 'cpu', '--cpu-max-prime=10000', '--threads=1', '--report-interval=1', '--time=60', 'run']);
    expect(out).toBe('/tmp/qemu-lab-during.abcdef/during-sysbench-cpu-0.out');
    // Each line seen 700 ms after its second ended (a reader in step with the writer).
    for (const s of [1, 2, 3]) {
      clock.t = 1000 + s * 1000 + 700;
      place.write(out, `[ ${s}s ] thds: 1 eps: ${s}00.00 lat (ms,95%): 0.24\n`);
      await until(() => true);
      await new Promise((r) => setTimeout(r, 80));
    }
    // Written while nobody read it, found by the last read.
    place.write(out, '[ 4s ] thds: 1 eps: 400.00 lat (ms,95%): 0.24\n');
    clock.t = 5100;
    const stream = await runner.stop();
    expect(place.killed).toEqual([100]);
    expect(stream.samples.map((s) => s.value)).toEqual([100, 200, 300, 400]);
    // Stopped at 5100 with its 4th second written: its clock started by 1100, not 1700.
    expect(stream.samples.map((s) => s.t)).toEqual([2100, 3100, 4100, 5100]);
    expect(stream.ends).toEqual([{ t: 5100, kind: 'stopped', reason: 'stopped at the end of its window' }]);
    expect(stream).toMatchObject({ benchmark: 'sysbench-cpu', target: 'host', host: 'local', run: 'during', unit: 'events/s' });
  });

  it('records a guest iperf3 stream that breaks at the switch-over as an end, and starts a new one once the migration is over', async () => {
    const place = new FakePlace('the guest');
    const clock = { t: 0 };
    let settle = (): void => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const runner = new DuringStreamRunner({ benchmark: 'iperf3', target: 'guest' }, 'during', environment(place, clock, settled));
    await runner.start();
    // The server in the guest, then the client on the host through the forwarded port.
    expect(place.launched.map((l) => l.argv.slice(0, 4))).toEqual([['iperf3', '-s', '-p', '5201'], ['iperf3', '-c', '127.0.0.1', '-p']]);
    expect(place.launched[1]?.argv[4]).toBe('45201');
    const first = place.launched[1]?.out ?? '';
    clock.t = 1200;
    place.write(first, '[  5]   0.00-1.00   sec  17.5 MBytes   147 Mbits/sec   10    767 KBytes\n');
    clock.t = 2200;
    place.write(first, '[  5]   1.00-2.00   sec  17.5 MBytes   150 Mbits/sec   10    767 KBytes\n[  5]   1.00-2.00   sec  17.5 MBytes   150 Mbits/sec   10    767 KBytes\niperf3: error - control socket has closed unexpectedly\n');
    await new Promise((r) => setTimeout(r, 200));
    expect(place.launched).toHaveLength(2); // no restart before the migration is over
    clock.t = 4000;
    settle();
    await until(() => place.launched.length === 4);
    // The old server was killed, a new one started, and a new client.
    expect(place.killed).toContain(place.launched[0]?.pid);
    const second = place.launched[3]?.out ?? '';
    expect(second).toBe('/tmp/qemu-lab-during.abcdef/during-iperf3-1.out');
    clock.t = 5600;
    place.write(second, '[  5]   0.00-1.00   sec  30 MBytes   250 Mbits/sec    6    767 KBytes\n');
    await new Promise((r) => setTimeout(r, 100));
    clock.t = 6000;
    const stream = await runner.stop();
    expect(stream.samples.map((s) => s.value)).toEqual([147e6, 150e6, 250e6]);
    expect(stream.ends.map((e) => [e.kind, e.reason])).toEqual([
      ['broken', 'iperf3: control socket has closed unexpectedly'],
      ['stopped', 'stopped at the end of its window'],
    ]);
    expect(stream.ends[0]?.t).toBe(2200);
    expect(stream.samples[2]?.t).toBeGreaterThan(4000);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('follows a silent guest once while it stays put, and again after 6 s of silence while it moves', async () => {
    vi.useFakeTimers();
    const place = new FakePlace('the guest');
    let moving = false;
    const runner = new DuringStreamRunner({ benchmark: 'sysbench-cpu', target: 'guest' }, 'during', environment(place, { t: 0 }, new Promise(() => undefined), () => moving));
    await runner.start();
    // Silent for long (a slow guest under TCG): the one follow goes on.
    await vi.advanceTimersByTimeAsync(30_000);
    expect([place.follows, place.ended]).toEqual([1, 0]);
    // While it moves, silence is a connection left open by a paused source: followed again.
    moving = true;
    await vi.advanceTimersByTimeAsync(9_000);
    expect(place.ended).toBe(1);
    // (The pause before following again is a real timer: waited for, bounded.)
    await vi.waitFor(() => expect(place.follows).toBe(2), { timeout: 10_000 });
    const stopped = runner.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopped;
  });
});
