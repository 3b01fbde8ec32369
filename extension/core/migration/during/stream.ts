/**
 * One `--during` benchmark at one place, for one run (the baseline, or during the migration):
 * started detached, followed while it runs, restarted when a stream broke at the switch-over
 * (iperf3 or iperf 2 through the source QEMU's forwarded port), stopped at the end of its window, and read
 * one last time for the samples it wrote while nobody could follow it.
 */
import { describeError } from '../../errors';
import { sleep } from '../../infrastructure/support/sleep';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { DuringBenchmarkError } from '../errors';
import { estimateAnchor } from './anchor';
import { DURING_GUEST_PORTS, guestNetworkClientArgv, isDuringNetwork, networkClientArgv, networkServerArgv, sysbenchIntervalArgv, waitListeningArgv } from './commands';
import { parseIperf2Intervals } from './interval-iperf2';
import { parseIperf3Intervals } from './interval-iperf3';
import { completeLines, parseSysbenchIntervals, type IntervalReading } from './interval-sysbench';
import type { DuringSpec } from './spec';
import { killDetached, launchDetached, type GuestPlace, type Shell } from './target-shell';
import { unitOf, type DuringSample, type DuringStream, type StreamEnd } from './timeline';

/** A host's shell, its system and a private folder there for output files. */
export interface HostSlot {
  readonly shell: Shell;
  readonly system: HostSystem;
  readonly dir: string;
}

/** What a stream needs from the session around it. */
export interface StreamEnvironment {
  /** Milliseconds on the migration's axis. */
  now(): number;
  /** No benchmark may run longer than this (a bound, in case nobody stops it). */
  readonly limitSeconds: number;
  readonly sourceHost: string;
  readonly destinationHost: string;
  hostSlot(name: string): Promise<HostSlot>;
  readonly guest: Shell;
  guestPlace(): Promise<GuestPlace | undefined>;
  /** Whether the guest may be moving now (the migration runs): only then is its silence a dead connection. */
  guestMoving(): boolean;
  /** A folder in the guest's RAM-backed /tmp: it moves with the guest. */
  readonly guestDir: string;
  /** Resolves once the migration is over (a broken stream is restarted then). */
  readonly settled: Promise<void>;
  onSample?(spec: DuringSpec, run: 'baseline' | 'during', sample: DuringSample): void;
}

/** A started program of a segment, to stop at the end. */
interface Running {
  readonly shell: Shell;
  readonly pid: number;
}

/** One start of the benchmark: its output file and what was read of it. */
interface Segment {
  readonly reader: Shell;
  readonly file: string;
  readonly running: Running[];
  readonly launchedMs: number;
  readonly launchReturnedMs: number;
  text: string;
  readonly liveOffsets: number[];
  seen: number;
  end: StreamEnd | undefined;
  /** When it was told to stop (its last line was written before). */
  stoppedMs: number | undefined;
}

/**
 * No output for this long from a benchmark in the guest that prints every second, while the
 * guest moves: the connection is dead (a source QEMU paused at the switch-over keeps it open).
 */
const SILENCE_MS = 6_000;
/** A stream that keeps breaking is given up after this many restarts. */
const MAX_RESTARTS = 4;

/** Runs one benchmark at one place; see the file comment. */
export class DuringStreamRunner {
  private readonly segments: Segment[] = [];
  private readonly ends: StreamEnd[] = [];
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private host = '?';
  private guestServer: number | undefined;

  constructor(
    readonly spec: DuringSpec,
    readonly run: 'baseline' | 'during',
    private readonly env: StreamEnvironment,
  ) {}

  /** Starts the benchmark; throws {@link DuringBenchmarkError} when it cannot be started at all. */
  async start(): Promise<void> {
    const first = await this.launch(0);
    this.segments.push(first);
    this.loop = this.follow(first);
  }

  /** Stops it, reads its output one last time, and returns its samples on the axis. */
  async stop(): Promise<DuringStream> {
    this.stopping.abort();
    await this.loop;
    for (const segment of this.segments) segment.stoppedMs ??= this.env.now();
    await Promise.all(this.segments.flatMap((segment) => segment.running.map((r) => killDetached(r.shell, r.pid))));
    const last = this.segments.at(-1);
    if (last !== undefined && last.end === undefined) {
      last.end = { t: this.env.now(), kind: 'stopped', reason: 'stopped at the end of its window' };
      this.ends.push(last.end);
    }
    if (this.guestServer !== undefined) await killDetached(this.env.guest, this.guestServer);
    // The file holds everything, including what was written while the session was broken.
    await Promise.all(
      this.segments.map(async (segment) => {
        const text = await segment.reader.read(segment.file);
        if (text !== undefined && this.parse(text).samples.length >= this.parse(segment.text).samples.length) segment.text = text;
      }),
    );
    const samples = this.segments.flatMap((segment) => this.samplesOf(segment));
    return { benchmark: this.spec.benchmark, target: this.spec.target, host: this.host, run: this.run, unit: unitOf(this.spec.benchmark), samples, ends: this.ends };
  }

  private parse(text: string): IntervalReading {
    switch (this.spec.benchmark) {
      case 'sysbench-cpu':
        return parseSysbenchIntervals(text, 'cpu');
      case 'sysbench-memory':
        return parseSysbenchIntervals(text, 'memory');
      case 'iperf3':
        return parseIperf3Intervals(text);
      case 'iperf':
        return parseIperf2Intervals(text);
    }
  }

  private anchorOf(segment: Segment, lastRelMs?: number): number {
    const bounds = [segment.end?.t, segment.stoppedMs].filter((t): t is number => t !== undefined);
    const byMs = bounds.length === 0 ? undefined : Math.min(...bounds);
    return estimateAnchor({
      launchedMs: segment.launchedMs,
      launchReturnedMs: segment.launchReturnedMs,
      liveOffsets: segment.liveOffsets,
      lastWrite: byMs === undefined || lastRelMs === undefined ? undefined : { byMs, relMs: lastRelMs },
    });
  }

  private samplesOf(segment: Segment): DuringSample[] {
    const samples = this.parse(segment.text).samples;
    const anchor = this.anchorOf(segment, samples.at(-1)?.relMs);
    return samples.map((s) => ({ t: Math.round(anchor + s.relMs), value: s.value }));
  }

  /** Follows a segment until it ends or the stream stops; restarts a broken one. */
  private async follow(first: Segment): Promise<void> {
    let segment = first;
    let restarts = 0;
    for (;;) {
      await this.followSegment(segment);
      if (segment.end === undefined) return;
      this.ends.push(segment.end);
      if (this.stopping.signal.aborted) return;
      if (!isDuringNetwork(this.spec.benchmark) || segment.end.kind !== 'broken' || restarts >= MAX_RESTARTS) return;
      // The stream broke (at the switch-over, the forwarded port went with the source QEMU):
      // once the migration is over, start a new one where the guest is now.
      await Promise.race([this.env.settled, sleep(10_000, this.stopping.signal)]);
      await sleep(500, this.stopping.signal);
      if (this.stopping.signal.aborted) return;
      restarts += 1;
      try {
        segment = await this.launch(restarts);
        this.segments.push(segment);
      } catch (error) {
        this.ends.push({ t: this.env.now(), kind: 'failed', reason: `could not restart after the break: ${describeError(error)}` });
        return;
      }
    }
  }

  /** Reads a segment's output as it comes, reconnecting when the reading connection dies. */
  private async followSegment(segment: Segment): Promise<void> {
    while (!this.stopping.signal.aborted && segment.end === undefined) {
      const session = new AbortController();
      const stop = (): void => session.abort();
      this.stopping.signal.addEventListener('abort', stop, { once: true });
      let heard = Date.now();
      // Only a guest on the move can leave a connection open and dead; a guest staying put that
      // is silent is slow (TCG on a busy machine), and following it again would not help.
      const watchdog =
        segment.reader === this.env.guest
          ? setInterval(() => {
              if (!this.env.guestMoving()) heard = Date.now();
              else if (Date.now() - heard > SILENCE_MS) session.abort();
            }, 1_000)
          : undefined;
      // Resume after the last complete line: a partial one is read again whole.
      segment.text = segment.text.slice(0, segment.text.lastIndexOf('\n') + 1);
      const fromLine = completeLines(segment.text).length + 1;
      try {
        await segment.reader.follow(
          segment.file,
          fromLine,
          (text) => {
            heard = Date.now();
            segment.text += text;
            this.take(segment);
            if (segment.end !== undefined) session.abort();
          },
          session.signal,
          this.env.limitSeconds * 1000,
        );
      } catch {
        // The guest could not be reached just now (mid switch-over): try again below.
      } finally {
        clearInterval(watchdog);
        this.stopping.signal.removeEventListener('abort', stop);
      }
      if (!this.stopping.signal.aborted && segment.end === undefined) await sleep(1_000, this.stopping.signal);
    }
  }

  /** Takes the samples that just arrived: they date the benchmark's clock, and are shown live. */
  private take(segment: Segment): void {
    const reading = this.parse(segment.text);
    const now = this.env.now();
    const fresh = reading.samples.slice(segment.seen);
    segment.seen = reading.samples.length;
    for (const sample of fresh) segment.liveOffsets.push(now - sample.relMs);
    const anchor = this.anchorOf(segment);
    for (const sample of fresh) this.env.onSample?.(this.spec, this.run, { t: Math.round(anchor + sample.relMs), value: sample.value });
    if (reading.end !== undefined && segment.end === undefined) segment.end = { t: now, kind: reading.end.kind, reason: reading.end.reason };
  }

  private fileName(n: number): string {
    return `${this.run}-${this.spec.benchmark}-${n}.out`;
  }

  /** Starts segment `n` of the benchmark where it belongs. */
  private async launch(n: number): Promise<Segment> {
    const { spec, env } = this;
    const launchedMs = env.now();
    const running: Running[] = [];
    const segment = (reader: Shell, file: string): Segment => ({
      reader,
      file,
      running,
      launchedMs,
      launchReturnedMs: env.now(),
      text: '',
      liveOffsets: [],
      seen: 0,
      end: undefined,
      stoppedMs: undefined,
    });
    const benchmark = spec.benchmark;
    if (spec.target !== 'guest') {
      const slot = await env.hostSlot(spec.target === 'host' ? env.sourceHost : env.destinationHost);
      this.host = slot.system.name;
      const file = `${slot.dir}/${this.fileName(n)}`;
      if (!isDuringNetwork(benchmark)) {
        running.push({ shell: slot.shell, pid: await launchDetached(slot.shell, sysbenchIntervalArgv(benchmark, env.limitSeconds), file) });
        return segment(slot.shell, file);
      }
      if (!slot.system.isLocal) {
        throw new DuringBenchmarkError(`${benchmark}@${spec.target} on remote host "${slot.system.name}" is not supported yet.`, { hint: `Use ${benchmark}@guest, or sysbench on that host.` });
      }
      const port = await slot.system.freeLoopbackPort();
      running.push({ shell: slot.shell, pid: await launchDetached(slot.shell, networkServerArgv(benchmark, port, '127.0.0.1'), `${slot.dir}/${this.run}-${benchmark}-server-${n}.out`) });
      await this.mustListen(slot.shell, port);
      running.push({ shell: slot.shell, pid: await launchDetached(slot.shell, networkClientArgv(benchmark, '127.0.0.1', port, env.limitSeconds), file) });
      return segment(slot.shell, file);
    }
    const place = await env.guestPlace();
    if (place === undefined) throw new DuringBenchmarkError('The VM is not running, so nothing can run in its guest.');
    this.host = place.system.name;
    const made = await env.guest.run(['mkdir', '-p', env.guestDir]);
    if (made.exitCode !== 0) throw new DuringBenchmarkError(`Cannot reach the guest over SSH: ${made.stderr.trim() || `exit ${made.exitCode}`}`);
    const guestFile = `${env.guestDir}/${this.fileName(n)}`;
    if (!isDuringNetwork(benchmark)) {
      running.push({ shell: env.guest, pid: await launchDetached(env.guest, sysbenchIntervalArgv(benchmark, env.limitSeconds), guestFile) });
      return segment(env.guest, guestFile);
    }
    const guestPort = DURING_GUEST_PORTS[benchmark];
    const client = guestNetworkClientArgv(benchmark, place.record, env.limitSeconds);
    if (client === undefined) {
      throw new DuringBenchmarkError(`VM "${place.record.vmName}" is on user networking but forwards no host port to its port ${guestPort}.`, {
        hint: 'It was booted by an older QEMU Lab: power it down and boot it again, and its benchmark ports are forwarded.',
      });
    }
    // A server left busy by the broken test would refuse the new one: start it afresh.
    if (this.guestServer !== undefined) await killDetached(env.guest, this.guestServer);
    this.guestServer = await launchDetached(env.guest, networkServerArgv(benchmark, guestPort), `${env.guestDir}/${this.run}-${benchmark}-server-${n}.out`);
    await this.mustListen(env.guest, guestPort);
    const slot = await env.hostSlot(place.system.name);
    const file = `${slot.dir}/${this.fileName(n)}`;
    running.push({ shell: slot.shell, pid: await launchDetached(slot.shell, client, file) });
    return segment(slot.shell, file);
  }

  private async mustListen(shell: Shell, port: number): Promise<void> {
    const result = await shell.run(waitListeningArgv(port), 30_000);
    if (result.exitCode !== 0) throw new DuringBenchmarkError(`The ${this.spec.benchmark} server on ${shell.where} did not listen on port ${port} within 10 s.`);
  }
}
